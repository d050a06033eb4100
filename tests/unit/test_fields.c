/*
 * test_fields.c - the one tables: the rule constants of rules.def name their
 * rows (and a value outside the table is internal.error, never a crash), the
 * front-matter fields of fields.def fall into the groups of reference §4.2,
 * and the status words parse and print back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "diag.h"
#include "document.h"
#include "fields.h"
#include "rules.h"

static void rule_constants_name_their_rows(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(dc_rules_count, DC_R_COUNT_);
	assert_string_equal(dc_rules[DC_R_SCHEMA_REQUIRED].name, "schema.required");
	assert_string_equal(dc_rules[DC_R_SCHEMA_ADDITIONAL_PROPERTIES].name, "schema.additionalProperties");
	assert_string_equal(dc_rules[DC_R_FILE_TOO_LARGE].name, "file.too-large");
	assert_string_equal(dc_rules[DC_R_INTERNAL_ERROR].name, "internal.error");
	assert_true(dc_rules[DC_R_INTERNAL_ERROR].fatal);
	assert_int_equal(dc_rules[DC_R_ENCODING_BOM].severity, DC_SEV_WARNING);
	for (i = 0; i < dc_rules_count; i++) {
		assert_ptr_equal(dc_rule_find(dc_rules[i].name), &dc_rules[i]);
		assert_int_equal(dc_rule_id_of(&dc_rules[i]), i);
	}
	assert_null(dc_rule_find("schema.requried"));
}

static void findings_carry_the_rule_of_the_constant(void **state)
{
	dc_diags d;

	(void)state;
	dc_diags_init(&d);
	assert_int_equal(dc_diags_add(&d, "a.md", 2, 3, DC_R_PERSON_UNKNOWN, "SP-001", "owner \"%s\"", "x"), 0);
	assert_int_equal(dc_diags_add(&d, "a.md", 0, 0, (dc_rule_id)DC_R_COUNT_, NULL, "lost"), 0);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.items[0].rule->name, "person.unknown");
	assert_string_equal(d.items[0].message, "owner \"x\"");
	assert_true(dc_diags_has(&d, "person.unknown"));
	/* a value outside the table is a programming error, reported, not a crash */
	assert_string_equal(d.items[1].rule->name, "internal.error");
	assert_non_null(strstr(d.items[1].message, "unknown rule"));
	assert_true(dc_diags_fatal(&d));
	dc_diags_dispose(&d);
}

static void fields_fall_into_the_groups_of_the_reference(void **state)
{
	static const char *const approval[] = { "status", "approved_by", "approved_on", "effective", "checked_by",
						"checked_on" };
	static const char *const review[] = { "reviewed_by", "reviewed_on" };
	static const char *const retirement[] = { "obsoleted_by", "obsoleted_on", "superseded_by" };
	static const char *const content[] = { "id", "title", "type", "revision", "owner", "change",
					       "references", "classification", "retention", "source",
					       "source_version", "files" };
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < sizeof(approval) / sizeof(approval[0]); i++, n++)
		assert_true(dc_field_in_group(approval[i], DC_FG_APPROVAL));
	for (i = 0; i < sizeof(review) / sizeof(review[0]); i++, n++)
		assert_true(dc_field_in_group(review[i], DC_FG_REVIEW));
	for (i = 0; i < sizeof(retirement) / sizeof(retirement[0]); i++, n++)
		assert_true(dc_field_in_group(retirement[i], DC_FG_RETIREMENT));
	for (i = 0; i < sizeof(content) / sizeof(content[0]); i++, n++) {
		assert_true(dc_field_in_group(content[i], DC_FG_CONTENT));
		assert_false(dc_field_is_vouching(content[i]));
	}
	assert_int_equal(n, dc_fields_count);
	assert_true(dc_field_is_vouching("superseded_by"));
	assert_null(dc_field_find("Title"));
	assert_null(dc_field_find(NULL));
	assert_int_equal(dc_field_find("approved_on")->kind, DC_FK_DATE);
	assert_int_equal(dc_field_find("owner")->kind, DC_FK_PERSON);
	assert_int_equal(dc_field_find("reviewed_by")->kind, DC_FK_APPROVER);
	assert_int_equal(dc_field_find("approved_by")->required, DC_FR_APPROVED);
	assert_int_equal(dc_field_find("source")->required, DC_FR_EXTERNAL);
}

static void status_words_parse_and_print_back(void **state)
{
	static const char *const words[] = { "draft", "in-review", "approved", "obsolete" };
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_string_equal(dc_status_name(dc_status_parse(words[i])), words[i]);
	assert_int_equal(dc_status_parse("approved"), DC_STATUS_APPROVED);
	assert_int_equal(dc_status_parse(NULL), DC_STATUS_NONE);
	assert_int_equal(dc_status_parse("Approved"), DC_STATUS_OTHER);
	assert_int_equal(dc_status_parse(""), DC_STATUS_OTHER);
	assert_null(dc_status_name(DC_STATUS_NONE));
	assert_null(dc_status_name(DC_STATUS_OTHER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule_constants_name_their_rows),
		cmocka_unit_test(findings_carry_the_rule_of_the_constant),
		cmocka_unit_test(fields_fall_into_the_groups_of_the_reference),
		cmocka_unit_test(status_words_parse_and_print_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
