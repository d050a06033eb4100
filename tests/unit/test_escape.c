/*
 * test_escape.c - the output writers (escape.h, json.h) on the payloads
 * of reference §7 "Output safety": terminal controls and bidi overrides,
 * formula cells, forged Markdown table cells, HTML, bytes that are not UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "escape.h"
#include "json.h"
#include "sha256.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static char got[4096];

static const char *term(const char *s, size_t n, int flags)
{
	dc_buf b = DC_BUF_INIT;

	assert_int_equal(dc_term_escape(&b, s, n, flags), 0);
	strcpy(got, b.ptr);
	dc_buf_dispose(&b);
	return got;
}

#define WRAP(name, fn) \
	static const char *name(const char *s) \
	{ \
		dc_buf b = DC_BUF_INIT; \
		assert_int_equal(fn(&b, s), 0); \
		strcpy(got, b.ptr); \
		dc_buf_dispose(&b); \
		return got; \
	}
WRAP(csv, dc_csv_cell)
WRAP(md, dc_md_cell)
WRAP(html, dc_html_escape)

static const char *json(const char *s, size_t n)
{
	dc_buf b = DC_BUF_INIT;

	assert_int_equal(dc_json_str(&b, s, n), 0);
	strcpy(got, b.ptr);
	dc_buf_dispose(&b);
	return got;
}

static void terminal_shows_controls(void **state)
{
	(void)state;
	assert_string_equal(term(S("Pay \x1b]52;c;aGk=\x07 now"), 0), "Pay \\x1b]52;c;aGk=\\x07 now");
	assert_string_equal(term(S("a\rb\bc\x7f"), 0), "a\\x0db\\x08c\\x7f");
	assert_string_equal(term(S("gpj\xE2\x80\xAE.exe \xE2\x81\xA6x"), 0), "gpj<U+202E>.exe <U+2066>x");
	assert_string_equal(term(S("csi \xC2\x9B" "31m"), 0), "csi <U+009B>31m");
	assert_string_equal(term(S("bad \xFF\xC0\xAF"), 0), "bad \\xff\\xc0\\xaf");
	assert_string_equal(term(S("tab\tand\nline"), 0), "tab\tand\\x0aline");
	assert_string_equal(term(S("文件 ok"), 0), "文件 ok");
	/* many lines: line feeds and CRLF stay, a lone CR does not */
	assert_string_equal(term(S("a\r\nb\nc\rd\x1b[2J"), DC_ESC_LINES), "a\r\nb\nc\\x0dd\\x1b[2J");
	assert_string_equal(term(S("end\r"), DC_ESC_LINES), "end\\x0d");
}

static void csv_neutralises_formulas(void **state)
{
	(void)state;
	assert_string_equal(csv("=HYPERLINK(\"http://x/\",\"Click\")"), "\"'=HYPERLINK(\"\"http://x/\"\",\"\"Click\"\")\"");
	assert_string_equal(csv("+1"), "'+1");
	assert_string_equal(csv("-2+3"), "'-2+3");
	assert_string_equal(csv("@SUM(A1)"), "'@SUM(A1)");
	assert_string_equal(csv("\t=1"), "'\t=1");
	assert_string_equal(csv("\r=1"), "\"'\r=1\"");
	assert_string_equal(csv("plain, with comma"), "\"plain, with comma\"");
	assert_string_equal(csv("1=1"), "1=1");
	assert_string_equal(csv("bad \xFF"), "bad \xEF\xBF\xBD");
	assert_string_equal(csv(""), "");
}

static void markdown_cell_cannot_forge_columns(void **state)
{
	(void)state;
	assert_string_equal(md("a | b"), "a \\| b");
	assert_string_equal(md("a \\| b"), "a \\\\\\| b");
	assert_string_equal(md("<img src=x> & [l](javascript:x) *b*"),
			    "&lt;img src=x&gt; &amp; \\[l\\](javascript:x) \\*b\\*");
	assert_string_equal(md("two\nlines\r"), "two lines ");
	assert_string_equal(md("rtl \xE2\x80\xAE esc \x1b"), "rtl &lt;U+202E&gt; esc \\x1b");
}

static void html_escapes_markup(void **state)
{
	(void)state;
	assert_string_equal(html("<script>x='1' & \"2\"</script>"),
			    "&lt;script&gt;x=&#39;1&#39; &amp; &quot;2&quot;&lt;/script&gt;");
	assert_string_equal(html("bad \xFF esc \x1b ok 文件"), "bad \xEF\xBF\xBD esc \xEF\xBF\xBD ok 文件");
}

static void html_row_escapes_each_cell(void **state)
{
	const char *cells[] = { "FB-2026-0001", "<script>alert(1)</script>", NULL, "a \xff b" };
	dc_buf b = DC_BUF_INIT;

	(void)state;
	assert_int_equal(dc_html_row(&b, cells, 4), 0);
	assert_string_equal(b.ptr, "<tr><td>FB-2026-0001</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td></td>"
				   "<td>a \xEF\xBF\xBD b</td></tr>\n");
	dc_buf_dispose(&b);
}

static void json_is_strict(void **state)
{
	(void)state;
	assert_string_equal(json(S("a\"b\\c\n\t\x01")), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
	assert_string_equal(json(S("refs/heads/x\xFF\xFE")), "\"refs/heads/x\\ufffd\\ufffd\"");
	assert_string_equal(json(S("\xE2\x80\xAE \xC2\x9B \xE2\x80\xA8 \x1b")), "\"\\u202e \\u009b \\u2028 \\u001b\"");
	assert_string_equal(json(S("文件")), "\"文件\"");
	assert_string_equal(json(S("nul\0in")), "\"nul\\u0000in\"");
	{
		dc_buf b = DC_BUF_INIT;

		assert_int_equal(dc_json_cstr(&b, NULL), 0);
		assert_string_equal(b.ptr, "null");
		dc_buf_dispose(&b);
	}
}

static void sha256_known_answers(void **state)
{
	static const unsigned char abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	static const unsigned char two_blocks[32] = { /* 56 bytes: the padding takes a second block */
		0x24, 0x8d, 0x6a, 0x61, 0xd2, 0x06, 0x38, 0xb8, 0xe5, 0xc0, 0x26, 0x93, 0x0c, 0x3e, 0x60, 0x39,
		0xa3, 0x3c, 0xe4, 0x59, 0x64, 0xff, 0x21, 0x67, 0xf6, 0xec, 0xed, 0xd4, 0x19, 0xdb, 0x06, 0xc1,
	};
	unsigned char h[32];

	(void)state;
	dc_sha256(h, "abc", 3);
	assert_memory_equal(h, abc, 32);
	dc_sha256(h, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	assert_memory_equal(h, two_blocks, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(terminal_shows_controls),
		cmocka_unit_test(csv_neutralises_formulas),
		cmocka_unit_test(markdown_cell_cannot_forge_columns),
		cmocka_unit_test(html_escapes_markup),
		cmocka_unit_test(html_row_escapes_each_cell),
		cmocka_unit_test(json_is_strict),
		cmocka_unit_test(sha256_known_answers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
