/*
 * test_feedback.c - the feedback item's form (feedback.h, reference §11):
 * valid items, each way an item breaks its form (feedback.format), the
 * arrows of the status, and how a change or a commit names an item.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "feedback.h"

#define PATH "feedback/FB-2026-0042.md"
#define HEAD "---\nid: FB-2026-0042\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: li.wei\nfiled_on: 2026-12-08\n"

/* Parses `text` at `path`: the result, and the rule of the first finding in `rule`. */
static int parse_at(const char *path, const char *text, char *rule, size_t size)
{
	dc_feedback f;
	dc_diags d;
	int rc;

	dc_feedback_init(&f);
	dc_diags_init(&d);
	rc = dc_feedback_parse(&f, path, text, strlen(text), &d);
	snprintf(rule, size, "%s", d.n ? d.items[0].rule->name : "");
	dc_feedback_dispose(&f);
	dc_diags_dispose(&d);
	return rc;
}

static void valid_items(void **state)
{
	static const char *const good[] = {
		HEAD "status: open\n---\n\n第3步缺少检验记录。\n",
		HEAD "status: accepted\ndecided_by: zhang.min\ndecided_on: 2026-12-09\nreason: 同意，下次修订时增加\n---\nText.\n",
		HEAD "status: implemented\ndecided_by: zhang.min\ndecided_on: 2026-12-09\nreason: ok\nresolved_in: A/2\n---\nText.\n",
		"---\nid: FB-2026-0042\ndocument: SP-005\nrevision: 3\nkind: complaint\nfrom: \"customer: 某某公司\"\nfiled_on: 2026-12-08\nstatus: open\n---\nText.\n",
	};
	char rule[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(parse_at(PATH, good[i], rule, sizeof(rule)), 0);
		assert_string_equal(rule, "");
	}
}

static void customer_and_fields(void **state)
{
	const char *text = "---\nid: FB-2026-0042\ndocument: SP-005\nrevision: A/1\nkind: question\nfrom: \"customer: ACME\"\n"
			   "filed_on: 2026-12-08\nstatus: open\n---\nWhy?\n";
	dc_feedback f;
	dc_diags d;

	(void)state;
	dc_feedback_init(&f);
	dc_diags_init(&d);
	assert_int_equal(dc_feedback_parse(&f, PATH, text, strlen(text), &d), 0);
	assert_string_equal(f.customer, "ACME");
	assert_int_equal(f.year, 2026);
	assert_int_equal(f.number, 42);
	assert_int_equal(f.status, DC_FB_OPEN);
	dc_feedback_dispose(&f);
	dc_diags_dispose(&d);
}

static void broken_items(void **state)
{
	static const char *const bad[] = {
		HEAD "status: open\n---\n\n",                                  /* no text */
		HEAD "status: pending\n---\nT\n",                              /* status */
		HEAD "status: open\ncolour: red\n---\nT\n",                     /* unknown field */
		HEAD "status: open\nreason: because\n---\nT\n",                 /* a decision while open */
		HEAD "status: accepted\n---\nT\n",                              /* accepted, no decision */
		HEAD "status: accepted\ndecided_by: z\ndecided_on: 2026-12-09\nreason: r\nresolved_in: A/2\n---\nT\n",
		HEAD "status: implemented\ndecided_by: z\ndecided_on: 2026-12-09\nreason: r\n---\nT\n",
		"---\nid: FB-2026-0042\ndocument: SP-005\nrevision: A/1\nkind: bug\nfrom: li.wei\nfiled_on: 2026-12-08\nstatus: open\n---\nT\n",
		"---\nid: FB-2026-0042\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: [li.wei]\nfiled_on: 2026-12-08\nstatus: open\n---\nT\n",
		"---\nid: FB-2026-0042\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: \"customer: \"\nfiled_on: 2026-12-08\nstatus: open\n---\nT\n",
		"---\nid: FB-2026-0042\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: li.wei\nfiled_on: 2026-02-30\nstatus: open\n---\nT\n",
		"---\nid: FB-2026-0042\ndocument: SP-005\nkind: error\nfrom: li.wei\nfiled_on: 2026-12-08\nstatus: open\n---\nT\n",
		"---\nid: FB-26-42\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: li.wei\nfiled_on: 2026-12-08\nstatus: open\n---\nT\n",
	};
	char rule[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_at(PATH, bad[i], rule, sizeof(rule)), 1);
		assert_string_equal(rule, "feedback.format");
	}
	/* the file is named after its id */
	assert_int_equal(parse_at("feedback/FB-2026-0043.md", HEAD "status: open\n---\nT\n", rule, sizeof(rule)), 1);
	assert_string_equal(rule, "feedback.format");
	/* numbered in the year it was filed */
	assert_int_equal(parse_at("feedback/FB-2025-0042.md",
				  "---\nid: FB-2025-0042\ndocument: SP-005\nrevision: A/1\nkind: error\nfrom: li.wei\n"
				  "filed_on: 2026-12-08\nstatus: open\n---\nT\n", rule, sizeof(rule)), 1);
	assert_string_equal(rule, "feedback.format");
	/* the loader's own rules come first */
	assert_int_equal(parse_at(PATH, HEAD "status: open\nstatus: open\n---\nT\n", rule, sizeof(rule)), 1);
	assert_string_equal(rule, "yaml.duplicate-key");
	assert_int_equal(parse_at(PATH, "no front-matter\n", rule, sizeof(rule)), 1);
	assert_string_equal(rule, "frontmatter.missing");
}

static void arrows(void **state)
{
	(void)state;
	assert_true(dc_feedback_may_move(DC_FB_OPEN, DC_FB_ACCEPTED));
	assert_true(dc_feedback_may_move(DC_FB_OPEN, DC_FB_REJECTED));
	assert_true(dc_feedback_may_move(DC_FB_OPEN, DC_FB_DEFERRED));
	assert_true(dc_feedback_may_move(DC_FB_ACCEPTED, DC_FB_IMPLEMENTED));
	assert_false(dc_feedback_may_move(DC_FB_OPEN, DC_FB_IMPLEMENTED));
	assert_false(dc_feedback_may_move(DC_FB_REJECTED, DC_FB_ACCEPTED));
	assert_false(dc_feedback_may_move(DC_FB_DEFERRED, DC_FB_OPEN));
	assert_false(dc_feedback_may_move(DC_FB_IMPLEMENTED, DC_FB_ACCEPTED));
	assert_false(dc_feedback_may_move(DC_FB_OPEN, DC_FB_OPEN));
}

static void naming(void **state)
{
	(void)state;
	assert_true(dc_feedback_names("增加检验记录 (Resolves FB-2026-0042)", "FB-2026-0042"));
	assert_false(dc_feedback_names("Resolves FB-2026-00421", "FB-2026-0042"));
	assert_false(dc_feedback_names("XFB-2026-0042", "FB-2026-0042"));
	assert_true(dc_feedback_trailer_names("Approve SP-005\n\nSigner: Z\nResolves: FB-2026-0041, FB-2026-0042\n",
					      "FB-2026-0042"));
	assert_false(dc_feedback_trailer_names("Approve SP-005 for FB-2026-0042\n", "FB-2026-0042"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_items),  cmocka_unit_test(customer_and_fields), cmocka_unit_test(broken_items),
		cmocka_unit_test(arrows), cmocka_unit_test(naming),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
