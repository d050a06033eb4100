/*
 * test_content.c - "the same content" of two versions of a document
 * (document.h, reference §4.2): byte-identical once the lines of the
 * approval, review, retirement and check fields are removed. Approving,
 * reviewing and obsoleting (which change only those lines, even when their
 * values span lines) keep the content; any other byte is content: comments,
 * a BOM, CRLF, quoting, key order, tags, a `...` end line, the body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "document.h"
#include "fixture.h"
#include "fm_edit.h"

#define PATH "docs/SP-004.md"

#define DRAFT                                                                       \
	"---\n"                                                                     \
	"id: SP-004\n"                                                              \
	"title: 文件控制程序\n"                                                     \
	"revision: B/0\n"                                                           \
	"status: draft\n"                                                           \
	"owner: li.wei\n"                                                           \
	"references: [SM-001]\n"                                                    \
	"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n"

#define APPROVED                                                                    \
	"---\n"                                                                     \
	"id: SP-004\n"                                                              \
	"title: 文件控制程序\n"                                                     \
	"revision: B/0\n"                                                           \
	"status: approved\n"                                                        \
	"owner: li.wei\n"                                                           \
	"approved_by: zhang.min\n"                                                  \
	"references: [SM-001]\n"                                                    \
	"approved_on: 2026-11-20\n"                                                 \
	"effective: 2026-12-01\n"                                                   \
	"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n"

static int same(const char *a, const char *b)
{
	dc_doc da, db;
	dc_diags ignored;
	int r;

	dc_diags_init(&ignored);
	fx_doc_parse_any(&da, PATH, a, &ignored);
	fx_doc_parse_any(&db, PATH, b, &ignored);
	r = dc_doc_same_content(&da, &db);
	assert_int_equal(r, dc_doc_same_content(&db, &da)); /* symmetric */
	assert_int_equal(dc_doc_same_content(&da, &da), 1);
	fx_doc_dispose(&da);
	fx_doc_dispose(&db);
	dc_diags_dispose(&ignored);
	return r;
}

static void approval_is_not_content(void **state)
{
	(void)state;
	assert_true(same(DRAFT, APPROVED));
	/* approval fields moved, changed or dropped */
	assert_true(same(APPROVED, "---\nstatus: obsolete\nid: SP-004\ntitle: 文件控制程序\nrevision: B/0\n"
				   "owner: li.wei\nreferences: [SM-001]\nobsoleted_by: a\nobsoleted_on: 2027-01-01\n"
				   "superseded_by: SP-009\nreviewed_by: b\nreviewed_on: 2026-12-24\n"
				   "checked_by: c\nchecked_on: 2026-11-19\n"
				   "---\n# 文件控制程序\n\n## 1 目的\n\ntext\n"));
}

static void multiline_approval_values(void **state)
{
	(void)state;
	/* a block sequence, a folded and a literal scalar, a flow list over
	 * lines, a double-quoted scalar over lines, a trailing comment */
	assert_true(same(DRAFT, "---\n"
				"id: SP-004\n"
				"approved_by:\n"
				"  - zhang.min\n"
				"  -   wang.fang   # two\n"
				"title: 文件控制程序\n"
				"reviewed_by: >\n"
				"  zhang\n"
				"  min\n"
				"revision: B/0\n"
				"checked_by: |-\n"
				"    a\n"
				"    b\n"
				"status: [approved,\n"
				"  x]\n"
				"owner: li.wei\n"
				"superseded_by: \"SP-\n"
				"  009\"\n"
				"references: [SM-001]\n"
				"effective:\n"
				"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n"));
	/* a comment or blank line after a multi-line approval value is content */
	assert_false(same("---\nid: SP-004\napproved_by:\n  - a\n# note\ntitle: T\n---\nx\n",
			  "---\nid: SP-004\napproved_by:\n  - a\ntitle: T\n---\nx\n"));
	assert_true(same("---\nid: SP-004\napproved_by:\n  - a\n  - b\n# note\ntitle: T\n---\nx\n",
			 "---\nid: SP-004\n# note\ntitle: T\n---\nx\n"));
	assert_false(same("---\nid: SP-004\nreviewed_by: >\n  a\n\ntitle: T\n---\nx\n",
			  "---\nid: SP-004\ntitle: T\n---\nx\n"));
	/* an explicit key without a value: libyaml marks the empty value at
	 * the next key, which stays content */
	assert_true(same("---\nid: SP-004\n? approved_by\ntitle: T\n---\nx\n", "---\nid: SP-004\ntitle: T\n---\nx\n"));
	assert_false(same("---\nid: SP-004\n? approved_by\ntitle: T\n---\nx\n", "---\nid: SP-004\ntitle: U\n---\nx\n"));
	assert_true(same("---\nid: SP-004\napproved_by:\n  ? >\n    T\nstatus: |\n  approved\ntitle: T\n---\nx\n",
			 "---\nid: SP-004\ntitle: T\n---\nx\n"));
	/* a content value that spans lines is content on every line */
	assert_false(same("---\nid: SP-004\ntitle: >\n  a\n  b\n---\nx\n", "---\nid: SP-004\ntitle: >\n  a\n   b\n---\nx\n"));
}

static void every_other_byte_is_content(void **state)
{
	static const char *const edits[] = {
		/* a comment */
		"---\nid: SP-004\n# unsigned\ntitle: 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* a comment on an approval line's neighbour */
		"---\nid: SP-004\ntitle: 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei # x\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* a BOM */
		"\xEF\xBB\xBF" APPROVED,
		/* CRLF in the front-matter */
		"---\r\nid: SP-004\r\ntitle: 文件控制程序\r\nrevision: B/0\r\nstatus: approved\r\nowner: li.wei\r\n"
		"approved_by: zhang.min\r\nreferences: [SM-001]\r\napproved_on: 2026-11-20\r\neffective: 2026-12-01\r\n"
		"---\r\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* a `...` end line */
		"---\nid: SP-004\ntitle: 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"...\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* spaces after the `---` */
		"---  \nid: SP-004\ntitle: 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* a tag */
		"---\nid: SP-004\ntitle: !!str 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* quoting */
		"---\nid: 'SP-004'\ntitle: 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* key order */
		"---\ntitle: 文件控制程序\nid: SP-004\nrevision: B/0\nstatus: approved\nowner: li.wei\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* a blank line */
		"---\nid: SP-004\ntitle: 文件控制程序\nrevision: B/0\nstatus: approved\nowner: li.wei\n\n"
		"approved_by: zhang.min\nreferences: [SM-001]\napproved_on: 2026-11-20\neffective: 2026-12-01\n"
		"---\n# 文件控制程序\n\n## 1 目的\n\ntext\n",
		/* the body */
		APPROVED "\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		print_message("edit %zu\n", i);
		assert_false(same(APPROVED, edits[i]));
	}
}

static void flow_mapping_is_all_content(void **state)
{
	(void)state;
	/* fields sharing a line cannot be told apart: every byte counts */
	assert_false(same("---\n{id: SP-004, status: draft, title: T}\n---\nx\n",
			  "---\n{id: SP-004, status: approved, title: T}\n---\nx\n"));
	assert_true(same("---\n{id: SP-004, status: draft, title: T}\n---\nx\n",
			 "---\n{id: SP-004, status: draft, title: T}\n---\nx\n"));
}

static void editing_commands_keep_content(void **state)
{
	static const char *const fields[][2] = {
		{ "status", "approved" }, { "approved_by", "zhang.min" }, { "approved_on", "2026-11-20" },
		{ "effective", "2026-12-01" }, { "reviewed_by", "wang.fang" }, { "checked_by", "li.na" },
	};
	const char *start = "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-004\r\ntitle: !!str T\r\nstatus: draft\r\n"
			    "approved_by:\r\n  - old\r\n...\r\nbody\r\n";
	dc_buf b = DC_BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(dc_buf_puts(&b, start), 0);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		assert_int_equal(dc_fm_set(&b, PATH, fields[i][0], fields[i][1]), 0);
		assert_true(same(start, b.ptr));
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		assert_int_equal(dc_fm_remove(&b, PATH, fields[i][0]), 0);
		assert_true(same(start, b.ptr));
	}
	assert_int_equal(dc_fm_set(&b, PATH, "title", "U"), 0);
	assert_false(same(start, b.ptr));
	dc_buf_dispose(&b);
}

static void unparsed_files(void **state)
{
	(void)state;
	assert_true(same("no front-matter\n", "no front-matter\n"));
	assert_false(same("no front-matter\n", "no front-matter \n"));
	assert_false(same("no front-matter\n", DRAFT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(approval_is_not_content),
		cmocka_unit_test(multiline_approval_values),
		cmocka_unit_test(every_other_byte_is_content),
		cmocka_unit_test(flow_mapping_is_all_content),
		cmocka_unit_test(editing_commands_keep_content),
		cmocka_unit_test(unparsed_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
