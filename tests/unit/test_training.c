/*
 * test_training.c - release and training (reference §10): the policy's
 * training section, departments and readers (policy_training.c) with the
 * line:col of each policy.invalid finding, and the strict confirmations
 * format (ack.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "ack.h"
#include "fixture.h"
#include "policy.h"
#include "yaml_load.h"

#define BASE \
	"docctl: 1\nroots: [docs]\n" \
	"people:\n" \
	"  li.wei: {name: Li Wei, email: li.wei@example.com, roles: [qa-manager], departments: [客服部]}\n" \
	"  zhou.hui: {name: Zhou Hui, email: zhou.hui@example.com, roles: [author]}\n"

/* Loads `text` as docctl.yaml into the test's findings (fixture.h). */
static int load(dc_policy **out, const char *text)
{
	return fx_policy_load(out, text, &fx_diags);
}

static void expect_invalid(const char *text, unsigned line, unsigned col, const char *what)
{
	dc_policy *p;
	size_t i;

	dc_diags_dispose(&fx_diags);
	dc_diags_init(&fx_diags);
	assert_int_equal(load(&p, text), 1);
	assert_null(p);
	for (i = 0; i < fx_diags.n; i++)
		if (fx_diags.items[i].line == line && fx_diags.items[i].col == col && strstr(fx_diags.items[i].message, what) &&
		    !strcmp(fx_diags.items[i].rule->name, "policy.invalid"))
			break;
	if (i == fx_diags.n) {
		for (i = 0; i < fx_diags.n; i++)
			print_error("got %u:%u: %s\n", fx_diags.items[i].line, fx_diags.items[i].col, fx_diags.items[i].message);
		fail_msg("no policy.invalid at %u:%u saying \"%s\"", line, col, what);
	}
}

static void test_training_policy(void **state)
{
	dc_policy *p;
	const char *const dept[] = { "客服部" }, *const all[] = { "all" }, *const role[] = { "author" };

	(void)state;
	assert_int_equal(load(&p, BASE "training: {due: P1M, trainers: [qa-manager], ref: refs/heads/acks}\n"
					"types:\n  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager], readers: [客服部, zhou.hui]}\n"),
			 0);
	assert_non_null(p);
	assert_true(p->training.present);
	assert_int_equal(p->training.due.months, 1);
	assert_string_equal(p->training.ref, "refs/heads/acks");
	assert_int_equal(p->types[0].nreaders, 2);
	assert_int_equal(p->people[0].ndepartments, 1);
	assert_true(dc_policy_is_reader(p, "li.wei", dept, 1));
	assert_false(dc_policy_is_reader(p, "zhou.hui", dept, 1));
	assert_true(dc_policy_is_reader(p, "zhou.hui", all, 1));
	assert_true(dc_policy_is_reader(p, "zhou.hui", role, 1));
	assert_false(dc_policy_is_reader(p, "nobody", all, 1));
	assert_true(dc_policy_is_trainer(p, "li.wei"));
	assert_false(dc_policy_is_trainer(p, "zhou.hui"));
	dc_policy_free(p);
}

static void test_training_defaults(void **state)
{
	dc_policy *p;

	(void)state;
	assert_int_equal(load(&p, BASE "types:\n  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager]}\n"), 0);
	assert_false(p->training.present);
	assert_int_equal(p->training.due.days, 14);
	assert_string_equal(p->training.ref, "refs/heads/docctl/acks");
	assert_int_equal(p->types[0].nreaders, 0);
	dc_policy_free(p);
}

#define TYPES "types:\n  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager]}\n"

static void test_training_invalid(void **state)
{
	(void)state;
	expect_invalid(BASE "training: {due: 14 days}\n" TYPES, 6, 17, "training.due");
	expect_invalid(BASE "training: {due: P0D}\n" TYPES, 6, 17, "is zero");
	expect_invalid(BASE "training: {trainers: [nobody]}\n" TYPES, 6, 23, "training.trainers \"nobody\" names nobody");
	expect_invalid(BASE "training: {ref: main}\n" TYPES, 6, 17, "not a full ref name");
	expect_invalid(BASE "training: {ref: refs/heads/main}\n" TYPES, 6, 17, "protected ref");
	expect_invalid(BASE "training: {when: P1D}\n" TYPES, 6, 12, "unknown key \"when\"");
	expect_invalid(BASE "training: [P1D]\n" TYPES, 6, 11, "training must be a mapping");
	expect_invalid(BASE "types:\n  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager], readers: [销售部]}\n", 7,
		       69, "readers \"销售部\" names nobody");
	expect_invalid(BASE "types:\n  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager], readers: all}\n", 7, 68,
		       "types.procedure.readers must be a list");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n  li.wei: {name: L, email: l@x, roles: [], departments: 客服部}\n" TYPES,
		       4, 57, "people.li.wei.departments must be a list");
}

static void test_ack_line(void **state)
{
	static const char good[] = "li.wei\tSP-001\tA/0\t2026-12-01\ttraining:RC-0001\tzhang.min";
	dc_ack a;
	dc_ack_error e;

	(void)state;
	assert_int_equal(dc_ack_parse_line(&a, good, strlen(good), &e), 0);
	assert_true(dc_span_is(a.person, "li.wei"));
	assert_true(dc_span_is(a.revision, "A/0"));
	assert_true(dc_span_is(a.record, "RC-0001"));
	assert_true(dc_span_is(a.recorded_by, "zhang.min"));
#define BAD(s, c, w)                                                       \
	do {                                                               \
		memset(&e, 0, sizeof(e));                                  \
		assert_int_equal(dc_ack_parse_line(&a, s, strlen(s), &e), 1); \
		assert_int_equal(e.col, c);                                \
		assert_non_null(strstr(e.why, w));                         \
	} while (0)
	BAD("li.wei\tSP-001\tA/0\t2026-12-01\tread", 34, "fewer than six");
	BAD("li.wei\tSP-001\tA/0\t2026-12-01\tread\tli.wei\tx", 42, "more than six");
	BAD("li.wei\tSP-001\tA/0\t2026-02-30\tread\tli.wei", 19, "YYYY-MM-DD");
	BAD("li.wei\tSP-001\tA/0\t2026-12-01\tlooked\tli.wei", 30, "neither read");
	BAD("li.wei\tSP-001\tA/0\t2026-12-01\ttraining:\tli.wei", 30, "neither read");
	BAD("li.wei \tSP-001\tA/0\t2026-12-01\tread\tli.wei", 7, "space at the end");
	BAD("li.wei\t\tA/0\t2026-12-01\tread\tli.wei", 8, "empty field");
	BAD("li.wei\tSP-001\tA/0\t2026-12-01\tread\tli.wei\r", 41, "carriage return");
	BAD("li.wei\tSP-\xff\tA/0\t2026-12-01\tread\tli.wei", 11, "UTF-8");
	BAD("", 1, "empty line");
}

static int count(void *arg, const dc_ack *a, size_t line)
{
	(void)a;
	(void)line;
	(*(int *)arg)++;
	return 0;
}

static void test_ack_file(void **state)
{
	static const char two[] = "a\tSP-001\t1\t2026-12-01\tread\ta\na\tSP-002\t1\t2026-12-01\tread\ta\n";
	static const char nolf[] = "a\tSP-001\t1\t2026-12-01\tread\ta\na\tSP-002\t1\t2026-12-01\tread\ta";
	static const char blank[] = "a\tSP-001\t1\t2026-12-01\tread\ta\n\n";
	dc_ack_error e;
	dc_buf b = DC_BUF_INIT;
	int n = 0;

	(void)state;
	assert_int_equal(dc_ack_each(two, strlen(two), count, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(dc_ack_each("", 0, count, &n, &e), 0);
	assert_int_equal(dc_ack_each(nolf, strlen(nolf), count, &n, &e), 1);
	assert_int_equal(e.line, 2);
	assert_int_equal(dc_ack_each(blank, strlen(blank), count, &n, &e), 1);
	assert_int_equal(e.line, 2);
	assert_int_equal(dc_ack_format(&b, "李伟", "SP-001", "A/0", "2026-12-01", "read", "李伟"), 0);
	assert_string_equal(b.ptr, "李伟\tSP-001\tA/0\t2026-12-01\tread\t李伟\n");
	dc_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_training_policy, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(test_training_defaults, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(test_training_invalid, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test(test_ack_line),
		cmocka_unit_test(test_ack_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
