/*
 * test_frontmatter.c - the byte-level checks and the front-matter split
 * (frontmatter.h): offsets and lines of the parts, a BOM, CRLF and trailing
 * blanks on the delimiter lines, and each finding that stops a file, in the
 * order reference §4.3 gives them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "frontmatter.h"
#include "yaml_load.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static dc_frontmatter split_ok(const char *data, size_t len)
{
	dc_frontmatter fm;

	dc_diags_dispose(&fx_diags);
	dc_diags_init(&fx_diags);
	assert_int_equal(dc_frontmatter_split(&fm, "docs/SP-1.md", data, len, &fx_diags), 0);
	return fm;
}

/* Splits data that must stop with exactly one finding (after an optional BOM warning). */
static const dc_diag *split_stops(const char *data, size_t len, const char *rule, unsigned line,
				  unsigned col)
{
	dc_frontmatter fm;
	const dc_diag *d;

	dc_diags_dispose(&fx_diags);
	dc_diags_init(&fx_diags);
	assert_int_equal(dc_frontmatter_split(&fm, "docs/SP-1.md", data, len, &fx_diags), 1);
	assert_true(fx_diags.n >= 1);
	d = &fx_diags.items[fx_diags.n - 1];
	assert_string_equal(d->rule->name, rule);
	assert_string_equal(d->file, "docs/SP-1.md");
	assert_int_equal(d->line, line);
	assert_int_equal(d->col, col);
	assert_int_equal(d->severity, DC_SEV_ERROR);
	return d;
}

static void normal_split(void **state)
{
	static const char f[] = "---\nid: SP-1\ntitle: x\n---\n# Body\n\ntext\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fx_diags.n, 0);
	assert_int_equal(fm.bom, 0);
	assert_int_equal(fm.open_off, 0);
	assert_int_equal(fm.yaml_off, 4);
	assert_int_equal(fm.yaml_len, 18);
	assert_memory_equal(f + fm.yaml_off, "id: SP-1\ntitle: x\n", 18);
	assert_int_equal(fm.yaml_line, 2);
	assert_int_equal(fm.body_off, 26);
	assert_string_equal(f + fm.body_off, "# Body\n\ntext\n");
	assert_int_equal(fm.body_line, 5);
}

static void yaml_marks_are_file_positions(void **state)
{
	static const char f[] = "\xEF\xBB\xBF---\nid: SP-1\ntitle: 文件\n---\nbody\n";
	dc_frontmatter fm;
	dc_yaml_where w = { "docs/SP-1.md", 0, 0, 16 };
	dc_arena arena = DC_ARENA_INIT;
	dc_node *n = NULL;
	const dc_node *t;

	(void)state;
	fm = split_ok(S(f));
	w.line = fm.yaml_line;
	w.offset = fm.yaml_off;
	assert_int_equal(dc_yaml_load(&n, &arena, f + fm.yaml_off, fm.yaml_len, &w, &fx_diags), 0);
	assert_non_null(n);
	t = dc_node_get(n, "title");
	assert_int_equal(t->start.line, 3);
	assert_int_equal(t->start.col, 8);
	assert_int_equal(t->start.offset, (size_t)(strstr(f, "文件") - f));
	dc_arena_dispose(&arena);
}

static void bom_warns_and_still_parses(void **state)
{
	static const char f[] = "\xEF\xBB\xBF---\nid: 1\n---\nbody\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fx_diags.n, 1);
	assert_string_equal(fx_diags.items[0].rule->name, "encoding.bom");
	assert_int_equal(fx_diags.items[0].severity, DC_SEV_WARNING);
	assert_int_equal(fx_diags.items[0].line, 1);
	assert_int_equal(fx_diags.items[0].col, 1);
	assert_int_equal(fm.bom, 1);
	assert_int_equal(fm.open_off, 3);
	assert_int_equal(fm.yaml_off, 7);
	assert_int_equal(fm.yaml_len, 6);
	assert_int_equal(fm.yaml_line, 2);
	assert_int_equal(fm.body_off, 17);
	assert_int_equal(fm.body_line, 4);
}

static void crlf_delimiters(void **state)
{
	static const char f[] = "---\r\nid: 1\r\n---\r\nbody\r\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fx_diags.n, 0);
	assert_int_equal(fm.yaml_off, 5);
	assert_int_equal(fm.yaml_len, 7);
	assert_int_equal(fm.body_off, 17);
	assert_int_equal(fm.body_line, 4);
}

static void trailing_blanks_on_delimiters(void **state)
{
	static const char f[] = "--- \t \nid: 1\n---\t  \r\nbody\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fm.yaml_off, 7);
	assert_int_equal(fm.yaml_len, 6);
	assert_string_equal(f + fm.body_off, "body\n");
	assert_int_equal(fm.body_line, 4);
}

static void dots_close(void **state)
{
	static const char f[] = "---\nid: 1\na: 2\n... \nbody\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fm.yaml_len, 11);
	assert_string_equal(f + fm.body_off, "body\n");
	assert_int_equal(fm.body_line, 5);
}

static void first_closing_line_wins(void **state)
{
	static const char f[] = "---\na: 1\n----\n ---\n---\nb\n---\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fm.yaml_len, 15);
	assert_string_equal(f + fm.body_off, "b\n---\n");
	assert_int_equal(fm.body_line, 6);
}

static void missing(void **state)
{
	static const char *const bad[] = {
		"id: 1\n---\n", "", "\n---\n", "----\nid: 1\n---\n", " ---\nid: 1\n---\n",
		"---x\n---\n", "--- x\n---\n", "...\nid: 1\n---\n", "---\rid: 1\r---\r",
		"# Title\n",
	};
	const dc_diag *d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = split_stops(bad[i], strlen(bad[i]), "frontmatter.missing", 1, 1);
		assert_string_equal(d->message, "the file must start with a line \"---\" that opens "
						"the YAML front-matter");
	}
	/* after a BOM: the warning, then the error, still at 1:1 */
	split_stops(S("\xEF\xBB\xBFid: 1\n"), "frontmatter.missing", 1, 1);
	assert_int_equal(fx_diags.n, 2);
	assert_string_equal(fx_diags.items[0].rule->name, "encoding.bom");
}

static void unterminated(void **state)
{
	static const char *const bad[] = {
		"---\nid: 1\n", "---\n", "---", "---\nid: 1\n----\n", "---\nid: 1\n ---\n",
		"---\nid: 1\n--- x\n", "---\nid: 1\n---x", "---\r\nid: 1\r\n---\r",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		split_stops(bad[i], strlen(bad[i]), "frontmatter.unterminated", 1, 1);
	split_stops(S("\xEF\xBB\xBF---\nid: 1\n"), "frontmatter.unterminated", 1, 1);
}

static char *frontmatter_of(size_t yaml_len, size_t *len)
{
	char *f = malloc(yaml_len + 16);
	size_t i;

	assert_non_null(f);
	memcpy(f, "---\n", 4);
	for (i = 0; i < yaml_len; i++)
		f[4 + i] = (i % 64 == 63) ? '\n' : 'x';
	if (yaml_len)
		f[4 + yaml_len - 1] = '\n';
	memcpy(f + 4 + yaml_len, "---\nbody\n", 9);
	*len = yaml_len + 13;
	return f;
}

static void frontmatter_too_large(void **state)
{
	size_t len;
	char *f;
	dc_frontmatter fm;

	(void)state;
	f = frontmatter_of(DC_FRONTMATTER_MAX, &len);
	fm = split_ok(f, len);
	assert_int_equal(fm.yaml_len, DC_FRONTMATTER_MAX);
	free(f);
	f = frontmatter_of(DC_FRONTMATTER_MAX + 1, &len);
	split_stops(f, len, "frontmatter.too-large", 1, 1);
	free(f);
}

static void file_too_large(void **state)
{
	size_t len = (size_t)5 * 1024 * 1024;
	char *f = malloc(len);
	dc_frontmatter fm;

	(void)state;
	assert_non_null(f);
	memset(f, 'a', len);
	memcpy(f, "---\nid: 1\n---\n", 14);
	f[100] = '\0'; /* the size is checked first */
	split_stops(f, len, "file.too-large", 1, 1);
	split_stops(f, DC_FILE_MAX + 1, "file.too-large", 1, 1);
	/* exactly 4 MiB is allowed */
	f[100] = 'a';
	fm = split_ok(f, DC_FILE_MAX);
	assert_int_equal(fm.body_off, 14);
	assert_int_equal(fm.body_line, 4);
	free(f);
}

static void nul_byte(void **state)
{
	(void)state;
	split_stops(S("---\nid: 1\n---\nab\0c\n"), "file.binary", 4, 3);
	split_stops(S("\0---\n"), "file.binary", 1, 1);
	/* a BOM is not a column */
	split_stops(S("\xEF\xBB\xBF--\0"), "file.binary", 1, 3);
	/* before the UTF-8 check, even after a bad byte */
	split_stops(S("---\n\xFF\n\0"), "file.binary", 3, 1);
}

static void invalid_utf8_position(void **state)
{
	const dc_diag *d;

	(void)state;
	d = split_stops(S("---\ntitle: 文\xFF\n---\n"), "encoding.utf8", 2, 9);
	assert_non_null(strstr(d->message, "0xFF"));
	split_stops(S("---\nid: 1\n---\n# 文件\r\n\r\nx \xC0\xAF\n"), "encoding.utf8", 6, 3);
	split_stops(S("---\na: \xED\xA0\x80\n---\n"), "encoding.utf8", 2, 4); /* surrogate */
	split_stops(S("\xEF\xBB\xBF\xE6\x96"), "encoding.utf8", 1, 1);
	split_stops(S("\xEF\xBB\xBF-\x80"), "encoding.utf8", 1, 2);
	/* no BOM warning before a stopping error */
	assert_int_equal(fx_diags.n, 1);
}

static void empty_frontmatter(void **state)
{
	static const char f[] = "---\n---\nbody\n";
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S(f));
	assert_int_equal(fm.yaml_off, 4);
	assert_int_equal(fm.yaml_len, 0);
	assert_int_equal(fm.yaml_line, 2);
	assert_int_equal(fm.body_off, 8);
	assert_int_equal(fm.body_line, 3);
}

static void no_body(void **state)
{
	dc_frontmatter fm;

	(void)state;
	fm = split_ok(S("---\nid: 1\n---"));
	assert_int_equal(fm.yaml_len, 6);
	assert_int_equal(fm.body_off, 13);
	assert_int_equal(fm.body_line, 4);
	fm = split_ok(S("---\nid: 1\n...  "));
	assert_int_equal(fm.body_off, 15);
	fm = split_ok(S("---\nid: 1\n---\n"));
	assert_int_equal(fm.body_off, 14);
	assert_int_equal(fm.body_line, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(normal_split, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(yaml_marks_are_file_positions, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(bom_warns_and_still_parses, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(crlf_delimiters, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(trailing_blanks_on_delimiters, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(dots_close, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(first_closing_line_wins, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(missing, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(unterminated, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(frontmatter_too_large, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(file_too_large, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(nul_byte, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(invalid_utf8_position, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(empty_frontmatter, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(no_body, fx_diags_setup, fx_diags_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
