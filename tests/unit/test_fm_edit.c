/*
 * test_fm_edit.c - front-matter edits that change only the edited field
 * (fm_edit.h). Every case compares the whole file after the edit with the
 * whole expected file, byte for byte: comments, blank lines, key order,
 * quoting of untouched values, CRLF, a BOM and the body (which holds `---`
 * lines and YAML-looking text) must survive. Each set is done twice to show
 * it is idempotent. Also the atomic file write.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fm_edit.h"

#define PATH "docs/SP-004.md"

/* Front-matter with comments, blank lines, keys out of the usual order and
 * every quoting style; a body that looks like front-matter. */
#define HEAD "---\n# 文件控制程序 header comment\n"
#define BODY                                                                        \
	"---\n# 文件控制程序\n\n---\nstatus: approved\nid: XX-999\n---\n\n"         \
	"```yaml\nowner: nobody\n```\n"
#define DOC                                                                         \
	HEAD "title: 文件控制程序   # the title\n"                                       \
	     "id: SP-004\n"                                                             \
	     "\n"                                                                       \
	     "revision: 'B/0'\n"                                                        \
	     "status: \"draft\"    # set by docctl\n"                                   \
	     "owner: li.wei\n"                                                          \
	     "references:\n"                                                            \
	     "  - SM-001   # the manual\n"                                              \
	     "  - FM-002\n"                                                             \
	     "# approval block below\n"                                                 \
	     "approved_on: 2026-11-20\n" BODY

static void expect_set(const char *in, const char *field, const char *value, const char *want)
{
	dc_buf b = DC_BUF_INIT;

	assert_int_equal(dc_buf_puts(&b, in), 0);
	if (dc_fm_set(&b, PATH, field, value) != 0)
		fail_msg("dc_fm_set: %s", dc_error_last());
	assert_string_equal(b.ptr, want);
	assert_int_equal(b.len, strlen(want));
	if (dc_fm_set(&b, PATH, field, value) != 0)
		fail_msg("dc_fm_set again: %s", dc_error_last());
	assert_string_equal(b.ptr, want);
	assert_int_equal(b.len, strlen(want));
	dc_buf_dispose(&b);
}

static void expect_set_int(const char *in, const char *field, long value, const char *want)
{
	dc_buf b = DC_BUF_INIT;

	assert_int_equal(dc_buf_puts(&b, in), 0);
	if (dc_fm_set_int(&b, PATH, field, value) != 0)
		fail_msg("dc_fm_set_int: %s", dc_error_last());
	assert_string_equal(b.ptr, want);
	assert_int_equal(dc_fm_set_int(&b, PATH, field, value), 0);
	assert_string_equal(b.ptr, want);
	assert_int_equal(b.len, strlen(want));
	dc_buf_dispose(&b);
}

static void expect_remove(const char *in, const char *field, const char *want)
{
	dc_buf b = DC_BUF_INIT;

	assert_int_equal(dc_buf_puts(&b, in), 0);
	if (dc_fm_remove(&b, PATH, field) != 0)
		fail_msg("dc_fm_remove: %s", dc_error_last());
	assert_string_equal(b.ptr, want);
	assert_int_equal(b.len, strlen(want));
	/* removing it again is no change */
	assert_int_equal(dc_fm_remove(&b, PATH, field), 0);
	assert_string_equal(b.ptr, want);
	dc_buf_dispose(&b);
}

/* An edit that must fail and leave the buffer alone; the message names the file. */
static void expect_fail(const char *in, const char *field, const char *value, const char *msg)
{
	dc_buf b = DC_BUF_INIT;

	assert_int_equal(dc_buf_puts(&b, in), 0);
	dc_error_clear();
	if (value)
		assert_int_equal(dc_fm_set(&b, PATH, field, value), -1);
	else
		assert_int_equal(dc_fm_remove(&b, PATH, field), -1);
	assert_string_equal(b.ptr, in);
	assert_non_null(strstr(dc_error_last(), PATH));
	if (!strstr(dc_error_last(), msg))
		fail_msg("error \"%s\" lacks \"%s\"", dc_error_last(), msg);
	dc_buf_dispose(&b);
}

/* ---- setting existing fields ---- */

static void set_double_quoted_keeps_quotes_and_comment(void **state)
{
	(void)state;
	expect_set(DOC, "status", "approved",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"approved\"    # set by docctl\n"
			"owner: li.wei\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n" BODY);
	expect_set(DOC, "status", "say \"hi\" \\o/",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"say \\\"hi\\\" \\\\o/\"    # set by docctl\n"
			"owner: li.wei\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n" BODY);
}

static void set_single_quoted_keeps_quotes(void **state)
{
	(void)state;
	expect_set(DOC, "revision", "B/1",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/1'\n"
			"status: \"draft\"    # set by docctl\n"
			"owner: li.wei\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n" BODY);
	expect_set("---\nchange: 'x'\n---\n", "change", "it's \"new\"",
		   "---\nchange: 'it''s \"new\"'\n---\n");
	/* a line break cannot be written single-quoted on one line */
	expect_set("---\nchange: 'x'\n---\n", "change", "a\nb", "---\nchange: \"a\\nb\"\n---\n");
}

static void set_plain_keeps_plain(void **state)
{
	(void)state;
	expect_set(DOC, "owner", "zhou.hui",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"draft\"    # set by docctl\n"
			"owner: zhou.hui\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n" BODY);
	expect_set(DOC, "approved_on", "2026-11-27",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"draft\"    # set by docctl\n"
			"owner: li.wei\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-27\n" BODY);
}

static void set_cjk_value(void **state)
{
	(void)state;
	expect_set(DOC, "title", "记录控制程序（第二版）",
		   HEAD "title: 记录控制程序（第二版）   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"draft\"    # set by docctl\n"
			"owner: li.wei\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n" BODY);
	expect_set("---\ntitle: \"旧标题\"\nid: SP-1\n---\n", "title", "新标题",
		   "---\ntitle: \"新标题\"\nid: SP-1\n---\n");
	expect_set("---\ntitle: '旧'\n---\n", "title", "新", "---\ntitle: '新'\n---\n");
}

/* A plain value that the core schema would not read as the same string is quoted. */
static void set_plain_quotes_when_needed(void **state)
{
	static const char *const cases[][2] = {
		{ "yes", "\"yes\"" },
		{ "No", "\"No\"" },
		{ "off", "\"off\"" },
		{ "true", "\"true\"" },
		{ "False", "\"False\"" },
		{ "null", "\"null\"" },
		{ "~", "\"~\"" },
		{ "1.5", "\"1.5\"" },
		{ "1.0", "\"1.0\"" },
		{ "12", "\"12\"" },
		{ "0x1F", "\"0x1F\"" },
		{ ".inf", "\".inf\"" },
		{ "a: b", "\"a: b\"" },
		{ "a:", "\"a:\"" },
		{ ": x", "\": x\"" },
		{ "#x", "\"#x\"" },
		{ "a #b", "\"a #b\"" },
		{ "- x", "\"- x\"" },
		{ "[x]", "\"[x]\"" },
		{ "{x}", "\"{x}\"" },
		{ "*x", "\"*x\"" },
		{ "&x", "\"&x\"" },
		{ "!x", "\"!x\"" },
		{ "|", "\"|\"" },
		{ ">x", "\">x\"" },
		{ "'x'", "\"'x'\"" },
		{ "%x", "\"%x\"" },
		{ "@x", "\"@x\"" },
		{ "`x`", "\"`x`\"" },
		{ " lead", "\" lead\"" },
		{ "trail ", "\"trail \"" },
		{ "", "\"\"" },
		{ "tab\there", "\"tab\\there\"" },
		{ "two\nlines", "\"two\\nlines\"" },
		{ "bell\a", "\"bell\\x07\"" },
		{ "nel\xC2\x85", "\"nel\\N\"" },
		{ "ls\xE2\x80\xA8", "\"ls\\L\"" },
		{ "back\\slash", "back\\slash" },
		{ "2026-11-27", "2026-11-27" },
		{ "A/1", "A/1" },
		{ "a#b", "a#b" },
		{ "-x", "-x" },
		{ "a, b", "a, b" },
		{ "a:b", "a:b" },
		{ "it's", "it's" },
		{ "1_000", "1_000" },
		{ "张三", "张三" },
		{ "增加记录保存期限表：见第 3 条", "增加记录保存期限表：见第 3 条" },
	};
	char in[] = "---\na: 1\nchange: old  # why\nz: 2\n---\nbody\n";
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "---\na: 1\nchange: %s  # why\nz: 2\n---\nbody\n",
			 cases[i][1]);
		expect_set(in, "change", cases[i][0], want);
	}
}

/* An old plain integer, boolean or number stays plain for a value of its kind. */
static void set_plain_same_kind(void **state)
{
	(void)state;
	expect_set("---\nrevision: 3\n---\n", "revision", "4", "---\nrevision: 4\n---\n");
	expect_set("---\nrevision: 3\n---\n", "revision", "B", "---\nrevision: B\n---\n");
	expect_set("---\nflag: true\n---\n", "flag", "false", "---\nflag: false\n---\n");
	expect_set("---\nrevision: \"3\"\n---\n", "revision", "4", "---\nrevision: \"4\"\n---\n");
	expect_set("---\nrevision: A\n---\n", "revision", "4", "---\nrevision: \"4\"\n---\n");
	expect_set("---\nx: null\n---\n", "x", "null", "---\nx: \"null\"\n---\n");
	/* a tag goes with the old value */
	expect_set("---\nrevision: !!str 3\n---\n", "revision", "4",
		   "---\nrevision: \"4\"\n---\n");
}

static void set_empty_value(void **state)
{
	(void)state;
	expect_set("---\neffective:\nid: SP-1\n---\n", "effective", "2026-12-01",
		   "---\neffective: 2026-12-01\nid: SP-1\n---\n");
	expect_set("---\neffective:   # later\nid: SP-1\n---\n", "effective", "2026-12-01",
		   "---\neffective: 2026-12-01   # later\nid: SP-1\n---\n");
	expect_set("---\nid: SP-1\neffective:\n---\n", "effective", "yes",
		   "---\nid: SP-1\neffective: \"yes\"\n---\n");
}

static void set_multiline_values(void **state)
{
	(void)state;
	expect_set("---\nchange: a long\n  plain value\nid: 1\n---\n", "change", "short",
		   "---\nchange: short\nid: 1\n---\n");
	expect_set("---\nchange: \"a long\n  quoted\"  # c\nid: 1\n---\n", "change", "short",
		   "---\nchange: \"short\"  # c\nid: 1\n---\n");
	expect_set("---\nchange:\n  on the next line\nid: 1\n---\n", "change", "new",
		   "---\nchange:\n  new\nid: 1\n---\n");
	/* a block scalar: the header comment stays, the blank line after it too */
	expect_set("---\nchange: |  # what changed\n  line one\n\n  line two\n\nid: 1\n---\n",
		   "change", "one line", "---\nchange: one line  # what changed\n\nid: 1\n---\n");
	expect_set("---\nchange: >-\n  folded\n  text\nid: 1\n---\n", "change", "true",
		   "---\nchange: \"true\"\nid: 1\n---\n");
}

static void set_over_collections(void **state)
{
	(void)state;
	/* a flow list, on one line and over two */
	expect_set("---\nid: SP-1\nreferences: [SM-001, FM-002]  # refs\ntitle: T\n---\nx\n",
		   "references", "SM-001",
		   "---\nid: SP-1\nreferences: SM-001  # refs\ntitle: T\n---\nx\n");
	expect_set("---\nreferences: [SM-001,\n  FM-002]\ntitle: T\n---\n", "references", "none",
		   "---\nreferences: none\ntitle: T\n---\n");
	/* a block list: its lines go, the comment line after it stays */
	expect_set(DOC, "references", "SM-001",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"draft\"    # set by docctl\n"
			"owner: li.wei\n"
			"references: SM-001\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n" BODY);
	/* an indentless list with a comment on the key line, and a nested mapping */
	expect_set("---\nreferences:   # ids\n- A\n- B\nmeta:\n  a: 1\n  b:\n    - x\n    - y  # last\nz: 1\n---\n",
		   "meta", "flat",
		   "---\nreferences:   # ids\n- A\n- B\nmeta: flat\nz: 1\n---\n");
	expect_set("---\nreferences:   # ids\n- A\n- B\nz: 1\n---\n", "references", "A",
		   "---\nreferences: A   # ids\nz: 1\n---\n");
	expect_set("---\nmeta: {a: 1}\nz: 1\n---\n", "meta", "x", "---\nmeta: x\nz: 1\n---\n");
	/* libyaml lets a comment touch a quoted or flow value; plain needs a blank */
	expect_set("---\nrefs: [A]#c\n---\n", "refs", "B", "---\nrefs: B #c\n---\n");
	expect_set("---\nrev: 'A'#c\n---\n", "rev", "B", "---\nrev: 'B'#c\n---\n");
	expect_set_int("---\nrev: '1'#c\n---\n", "rev", 2, "---\nrev: 2 #c\n---\n");
}

/* ---- adding a missing field ---- */

static void add_missing_field(void **state)
{
	(void)state;
	expect_set(DOC, "approved_by", "zhang.min",
		   HEAD "title: 文件控制程序   # the title\n"
			"id: SP-004\n"
			"\n"
			"revision: 'B/0'\n"
			"status: \"draft\"    # set by docctl\n"
			"owner: li.wei\n"
			"references:\n"
			"  - SM-001   # the manual\n"
			"  - FM-002\n"
			"# approval block below\n"
			"approved_on: 2026-11-20\n"
			"approved_by: zhang.min\n" BODY);
	expect_set("---\nid: SP-1\n...\nbody\n", "status", "yes",
		   "---\nid: SP-1\nstatus: \"yes\"\n...\nbody\n");
	/* an empty front-matter, one of comments only, an indented mapping */
	expect_set("---\n---\nbody\n", "status", "draft", "---\nstatus: draft\n---\nbody\n");
	expect_set("---\n# nothing yet\n---\n", "status", "draft",
		   "---\n# nothing yet\nstatus: draft\n---\n");
}

static void add_missing_keeps_indent(void **state)
{
	(void)state;
	expect_set("---\n  id: SP-1\n  title: T\n---\n", "status", "draft",
		   "---\n  id: SP-1\n  title: T\n  status: draft\n---\n");
}

/* ---- integers ---- */

static void set_int_values(void **state)
{
	(void)state;
	expect_set_int("---\nrevision: 3  # int scheme\nid: SP-1\n---\n", "revision", 4,
		       "---\nrevision: 4  # int scheme\nid: SP-1\n---\n");
	expect_set_int("---\nrevision: '3'\nid: SP-1\n---\n", "revision", 10,
		       "---\nrevision: 10\nid: SP-1\n---\n");
	expect_set_int("---\nid: SP-1\n---\n", "revision", -2,
		       "---\nid: SP-1\nrevision: -2\n---\n");
	expect_set_int("---\nrevision:\n  - 1\nid: SP-1\n---\n", "revision", 1,
		       "---\nrevision: 1\nid: SP-1\n---\n");
}

/* ---- removing ---- */

static void remove_block_list(void **state)
{
	(void)state;
	expect_remove(DOC, "references",
		      HEAD "title: 文件控制程序   # the title\n"
			   "id: SP-004\n"
			   "\n"
			   "revision: 'B/0'\n"
			   "status: \"draft\"    # set by docctl\n"
			   "owner: li.wei\n"
			   "# approval block below\n"
			   "approved_on: 2026-11-20\n" BODY);
}

static void remove_keeps_comment_above(void **state)
{
	(void)state;
	expect_remove(DOC, "approved_on",
		      HEAD "title: 文件控制程序   # the title\n"
			   "id: SP-004\n"
			   "\n"
			   "revision: 'B/0'\n"
			   "status: \"draft\"    # set by docctl\n"
			   "owner: li.wei\n"
			   "references:\n"
			   "  - SM-001   # the manual\n"
			   "  - FM-002\n"
			   "# approval block below\n" BODY);
	expect_remove(DOC, "title",
		      HEAD "id: SP-004\n"
			   "\n"
			   "revision: 'B/0'\n"
			   "status: \"draft\"    # set by docctl\n"
			   "owner: li.wei\n"
			   "references:\n"
			   "  - SM-001   # the manual\n"
			   "  - FM-002\n"
			   "# approval block below\n"
			   "approved_on: 2026-11-20\n" BODY);
}

static void remove_other_shapes(void **state)
{
	(void)state;
	expect_remove("---\na: 1\nchange: |\n  one\n\n  two\n\nb: 2\n---\n", "change",
		      "---\na: 1\n\nb: 2\n---\n");
	expect_remove("---\na: 1\nmeta:\n  x:\n    - 1\n    - 2   # two\n  # inner\nb: 2\n---\n",
		      "meta", "---\na: 1\n  # inner\nb: 2\n---\n");
	expect_remove("---\nrefs: [A,\n  B]  # c\nb: 2\n---\n", "refs", "---\nb: 2\n---\n");
	expect_remove("---\nchange: \"two\n  lines\"\nb: 2\n---\n", "change", "---\nb: 2\n---\n");
	expect_remove("---\nempty:   # c\nb: 2\n---\n", "empty", "---\nb: 2\n---\n");
	/* the only field: an empty front-matter remains */
	expect_remove("---\nid: SP-1\n---\nbody\n", "id", "---\n---\nbody\n");
	expect_remove("---\nid: SP-1\n---\nbody\n", "title", "---\nid: SP-1\n---\nbody\n");
}

/* ---- CRLF and a BOM ---- */

#define CRLF_DOC                                                                    \
	"\xEF\xBB\xBF---\r\n"                                                        \
	"# comment\r\n"                                                              \
	"id: SP-7\r\n"                                                               \
	"\r\n"                                                                       \
	"title: '质量手册'   # t\r\n"                                                \
	"references:\r\n"                                                            \
	"  - A\r\n"                                                                  \
	"  - B\r\n"                                                                  \
	"status: draft\r\n"                                                          \
	"---\r\n"                                                                    \
	"body\r\n---\r\nid: x\r\n"

static void crlf_and_bom(void **state)
{
	(void)state;
	expect_set(CRLF_DOC, "title", "质量手册 第二版",
		   "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-7\r\n\r\ntitle: '质量手册 第二版'   # t\r\n"
		   "references:\r\n  - A\r\n  - B\r\nstatus: draft\r\n---\r\nbody\r\n---\r\nid: x\r\n");
	expect_set(CRLF_DOC, "owner", "li.wei",
		   "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-7\r\n\r\ntitle: '质量手册'   # t\r\n"
		   "references:\r\n  - A\r\n  - B\r\nstatus: draft\r\nowner: li.wei\r\n---\r\n"
		   "body\r\n---\r\nid: x\r\n");
	expect_set(CRLF_DOC, "references", "A",
		   "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-7\r\n\r\ntitle: '质量手册'   # t\r\n"
		   "references: A\r\nstatus: draft\r\n---\r\nbody\r\n---\r\nid: x\r\n");
	expect_remove(CRLF_DOC, "references",
		      "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-7\r\n\r\ntitle: '质量手册'   # t\r\n"
		      "status: draft\r\n---\r\nbody\r\n---\r\nid: x\r\n");
	expect_remove(CRLF_DOC, "status",
		      "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-7\r\n\r\ntitle: '质量手册'   # t\r\n"
		      "references:\r\n  - A\r\n  - B\r\n---\r\nbody\r\n---\r\nid: x\r\n");
	expect_set_int(CRLF_DOC, "status", 2,
		       "\xEF\xBB\xBF---\r\n# comment\r\nid: SP-7\r\n\r\ntitle: '质量手册'   # t\r\n"
		       "references:\r\n  - A\r\n  - B\r\nstatus: 2\r\n---\r\nbody\r\n---\r\nid: x\r\n");
}

/* Several edits in a row, as `docctl approve` makes them. */
static void approve_sequence(void **state)
{
	dc_buf b = DC_BUF_INIT;

	(void)state;
	assert_int_equal(dc_buf_puts(&b, DOC), 0);
	assert_int_equal(dc_fm_set(&b, PATH, "status", "approved"), 0);
	assert_int_equal(dc_fm_set(&b, PATH, "approved_by", "zhang.min"), 0);
	assert_int_equal(dc_fm_set(&b, PATH, "approved_on", "2026-11-27"), 0);
	assert_int_equal(dc_fm_set(&b, PATH, "effective", "2026-12-01"), 0);
	assert_int_equal(dc_fm_remove(&b, PATH, "references"), 0);
	assert_string_equal(b.ptr, HEAD "title: 文件控制程序   # the title\n"
					"id: SP-004\n"
					"\n"
					"revision: 'B/0'\n"
					"status: \"approved\"    # set by docctl\n"
					"owner: li.wei\n"
					"# approval block below\n"
					"approved_on: 2026-11-27\n"
					"approved_by: zhang.min\n"
					"effective: 2026-12-01\n" BODY);
	dc_buf_dispose(&b);
}

/* ---- failures ---- */

static void failures_leave_file_alone(void **state)
{
	(void)state;
	expect_fail("---\n{id: SP-1, title: T}\n---\n", "status", "draft", "flow mapping");
	expect_fail("---\n{id: SP-1}\n---\n", "id", NULL, "flow mapping");
	expect_fail("---\nid: [SP-1\n---\n", "status", "draft", "line 2");
	expect_fail("---\nid: 1\nid: 2\n---\n", "status", "draft", "duplicate key");
	expect_fail("no front-matter\n", "status", "draft", "line 1");
	expect_fail("---\nid: 1\n", "status", "draft", "never closed");
	expect_fail("---\n- a\n- b\n---\n", "status", "draft", "not a mapping");
	expect_fail("---\njust text\n---\n", "status", "draft", "not a mapping");
	expect_fail("---\nid: 1\n---\n", "status", "bad \xFF utf-8", "UTF-8");
	/* an explicit key is not "key: value": refused, not guessed at */
	expect_fail("---\n? id\n: SP-1\n---\n", "id", "SP-2", "key: value");
	expect_fail("---\n? id\n: SP-1\n---\n", "id", NULL, "key: value");
}

/* ---- atomic write ---- */

static char tmpdir[64];

static int dir_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_fm_edit.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int dir_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void read_back(const char *path, const char *want)
{
	char got[256];
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	assert_int_equal(n, strlen(want));
	assert_string_equal(got, want);
}

/* The names in the folder, sorted, joined by spaces. */
static void list_dir(char *out, size_t cap)
{
	struct dirent **names;
	int n, i;

	out[0] = '\0';
	n = scandir(tmpdir, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			if (out[0])
				strncat(out, " ", cap - strlen(out) - 1);
			strncat(out, names[i]->d_name, cap - strlen(out) - 1);
		}
		free(names[i]);
	}
	free(names);
}

static void write_atomic(void **state)
{
	char path[128], missing[128], link[128], names[256];
	struct stat st;
	mode_t mask = umask(022);

	(void)state;
	snprintf(path, sizeof(path), "%s/SP-1.md", tmpdir);
	/* a new file: 0644 & ~umask */
	assert_int_equal(dc_file_write_atomic(path, "---\nid: SP-1\n---\n", 17), 0);
	read_back(path, "---\nid: SP-1\n---\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	/* an existing file keeps its mode */
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(dc_file_write_atomic(path, "new\r\n", 5), 0);
	read_back(path, "new\r\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(dc_file_write_atomic(path, "", 0), 0);
	read_back(path, "");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	/* nothing else is left in the folder */
	list_dir(names, sizeof(names));
	assert_string_equal(names, "SP-1.md");
	/* a missing folder fails cleanly */
	snprintf(missing, sizeof(missing), "%s/no/such/SP-2.md", tmpdir);
	dc_error_clear();
	assert_int_equal(dc_file_write_atomic(missing, "x", 1), -1);
	assert_non_null(strstr(dc_error_last(), "SP-2.md"));
	list_dir(names, sizeof(names));
	assert_string_equal(names, "SP-1.md");
	/* a symbolic link is refused and stays */
	snprintf(link, sizeof(link), "%s/link.md", tmpdir);
	assert_int_equal(symlink("SP-1.md", link), 0);
	assert_int_equal(dc_file_write_atomic(link, "x", 1), -1);
	assert_non_null(strstr(dc_error_last(), "symbolic link"));
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	list_dir(names, sizeof(names));
	assert_string_equal(names, "SP-1.md link.md");
	umask(mask);
}

/* A relative path (no folder part) writes in the current folder. */
static void write_atomic_relative(void **state)
{
	char cwd[512], names[256];

	(void)state;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(tmpdir), 0);
	assert_int_equal(dc_file_write_atomic("R.md", "abc", 3), 0);
	assert_int_equal(chdir(cwd), 0);
	list_dir(names, sizeof(names));
	assert_non_null(strstr(names, "R.md"));
	assert_null(strstr(names, ".R.md."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(set_double_quoted_keeps_quotes_and_comment),
		cmocka_unit_test(set_single_quoted_keeps_quotes),
		cmocka_unit_test(set_plain_keeps_plain),
		cmocka_unit_test(set_cjk_value),
		cmocka_unit_test(set_plain_quotes_when_needed),
		cmocka_unit_test(set_plain_same_kind),
		cmocka_unit_test(set_empty_value),
		cmocka_unit_test(set_multiline_values),
		cmocka_unit_test(set_over_collections),
		cmocka_unit_test(add_missing_field),
		cmocka_unit_test(add_missing_keeps_indent),
		cmocka_unit_test(set_int_values),
		cmocka_unit_test(remove_block_list),
		cmocka_unit_test(remove_keeps_comment_above),
		cmocka_unit_test(remove_other_shapes),
		cmocka_unit_test(crlf_and_bom),
		cmocka_unit_test(approve_sequence),
		cmocka_unit_test(failures_leave_file_alone),
		cmocka_unit_test_setup_teardown(write_atomic, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(write_atomic_relative, dir_setup, dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
