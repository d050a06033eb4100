/*
 * test_text.c - UTF-8 validation (overlongs, surrogates, out-of-range and
 * truncated sequences), code-point counting and offset-to-mark conversion
 * (dc_text_mark, dc_lines_mark) with CJK columns and CRLF line ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "text.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void valid_utf8_is_accepted(void **state)
{
	(void)state;
	assert_int_equal(dc_utf8_invalid_at(S("")), 0);
	assert_int_equal(dc_utf8_invalid_at(S("plain ascii\r\n")), 13);
	/* 2, 3 and 4 byte forms, the smallest and largest of each */
	assert_int_equal(dc_utf8_invalid_at(S("\xC2\x80\xDF\xBF")), 4);
	assert_int_equal(dc_utf8_invalid_at(S("\xE0\xA0\x80\xEF\xBF\xBF")), 6);
	assert_int_equal(dc_utf8_invalid_at(S("\xF0\x90\x80\x80\xF4\x8F\xBF\xBF")), 8);
	/* just outside the surrogates */
	assert_int_equal(dc_utf8_invalid_at(S("\xED\x9F\xBF\xEE\x80\x80")), 6);
	assert_int_equal(dc_utf8_invalid_at(S("文件控制程序")), 18);
	assert_int_equal(dc_utf8_invalid_at(S("\xEF\xBB\xBF---")), 6);
}

static void overlongs_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(dc_utf8_invalid_at(S("ab\xC0\x80")), 2);
	assert_int_equal(dc_utf8_invalid_at(S("ab\xC1\xBF")), 2);
	assert_int_equal(dc_utf8_invalid_at(S("\xE0\x80\x80")), 0);
	assert_int_equal(dc_utf8_invalid_at(S("x\xE0\x9F\xBF")), 1);
	assert_int_equal(dc_utf8_invalid_at(S("\xF0\x80\x80\x80")), 0);
	assert_int_equal(dc_utf8_invalid_at(S("\xF0\x8F\xBF\xBF")), 0);
}

static void surrogates_and_out_of_range_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(dc_utf8_invalid_at(S("a\xED\xA0\x80")), 1);  /* U+D800 */
	assert_int_equal(dc_utf8_invalid_at(S("ab\xED\xBF\xBF")), 2); /* U+DFFF */
	assert_int_equal(dc_utf8_invalid_at(S("\xF4\x90\x80\x80")), 0); /* U+110000 */
	assert_int_equal(dc_utf8_invalid_at(S("\xF5\x80\x80\x80")), 0);
	assert_int_equal(dc_utf8_invalid_at(S("\xFF")), 0);
	assert_int_equal(dc_utf8_invalid_at(S("\xFE")), 0);
}

static void broken_sequences_are_rejected(void **state)
{
	(void)state;
	assert_int_equal(dc_utf8_invalid_at(S("ok\x80")), 2);       /* lone continuation */
	assert_int_equal(dc_utf8_invalid_at(S("ok\xE6\x96")), 2);   /* truncated at the end */
	assert_int_equal(dc_utf8_invalid_at(S("ok\xE6\x96x")), 2);  /* bad continuation */
	assert_int_equal(dc_utf8_invalid_at(S("文\xE4\xBB")), 3);
	assert_int_equal(dc_utf8_invalid_at(S("\xC3")), 0);
}

static void counts_and_decodes_code_points(void **state)
{
	size_t n = 0;

	(void)state;
	assert_int_equal(dc_utf8_count(S("")), 0);
	assert_int_equal(dc_utf8_count(S("abc")), 3);
	assert_int_equal(dc_utf8_count(S("文件控制")), 4);
	assert_int_equal(dc_utf8_count(S("é😀x")), 3);
	assert_int_equal(dc_utf8_decode(S("A"), &n), 0x41);
	assert_int_equal(n, 1);
	assert_int_equal(dc_utf8_decode(S("é"), &n), 0xE9);
	assert_int_equal(n, 2);
	assert_int_equal(dc_utf8_decode(S("文"), &n), 0x6587);
	assert_int_equal(n, 3);
	assert_int_equal(dc_utf8_decode(S("😀"), &n), 0x1F600);
	assert_int_equal(n, 4);
}

static void assert_mark(dc_mark m, unsigned line, unsigned col, size_t off)
{
	assert_int_equal(m.line, line);
	assert_int_equal(m.col, col);
	assert_int_equal(m.offset, off);
}

static const char cjk[] = "id: SP-004\ntitle: 文件控制程序 x\r\nowner: li.wei\r\n\r\nend";

static void text_mark_counts_code_points(void **state)
{
	const char *x = strstr(cjk, " x");
	size_t len = sizeof(cjk) - 1;

	(void)state;
	assert_mark(dc_text_mark(cjk, len, 0), 1, 1, 0);
	assert_mark(dc_text_mark(cjk, len, 4), 1, 5, 4);
	assert_mark(dc_text_mark(cjk, len, 11), 2, 1, 11);
	/* "title: " is 7 columns, each CJK character one more */
	assert_mark(dc_text_mark(cjk, len, 18), 2, 8, 18);
	assert_mark(dc_text_mark(cjk, len, 21), 2, 9, 21);
	assert_mark(dc_text_mark(cjk, len, (size_t)(x - cjk) + 1), 2, 15, (size_t)(x - cjk) + 1);
}

static void text_mark_handles_crlf(void **state)
{
	const char *owner = strstr(cjk, "owner");
	const char *end = strstr(cjk, "end");
	const char *cr = strstr(cjk, "\r\n");
	size_t len = sizeof(cjk) - 1;

	(void)state;
	/* the CR is the last column of its line, the next line starts after LF */
	assert_mark(dc_text_mark(cjk, len, (size_t)(cr - cjk)), 2, 16, (size_t)(cr - cjk));
	assert_mark(dc_text_mark(cjk, len, (size_t)(owner - cjk)), 3, 1, (size_t)(owner - cjk));
	assert_mark(dc_text_mark(cjk, len, (size_t)(owner - cjk) + 7), 3, 8,
		    (size_t)(owner - cjk) + 7);
	assert_mark(dc_text_mark(cjk, len, (size_t)(end - cjk)), 5, 1, (size_t)(end - cjk));
	assert_mark(dc_text_mark(cjk, len, len), 5, 4, len);
}

static void lines_agree_with_text_mark(void **state)
{
	dc_lines l;
	size_t len = sizeof(cjk) - 1, off;

	(void)state;
	assert_int_equal(dc_lines_init(&l, cjk, len), 0);
	assert_int_equal(l.n, 5);
	for (off = 0; off <= len; off++) {
		dc_mark a = dc_text_mark(cjk, len, off), b = dc_lines_mark(&l, off);

		if ((((unsigned char)cjk[off < len ? off : 0]) & 0xC0) == 0x80)
			continue;
		assert_int_equal(a.line, b.line);
		assert_int_equal(a.col, b.col);
		assert_int_equal(a.offset, b.offset);
	}
	assert_mark(dc_lines_mark(&l, 18), 2, 8, 18);
	/* an offset past the end is clamped to the end */
	assert_mark(dc_lines_mark(&l, len + 10), 5, 4, len);
	dc_lines_dispose(&l);
	dc_lines_dispose(&l);
}

static void lines_of_empty_and_newline_only_text(void **state)
{
	dc_lines l;

	(void)state;
	assert_int_equal(dc_lines_init(&l, "", 0), 0);
	assert_int_equal(l.n, 1);
	assert_mark(dc_lines_mark(&l, 0), 1, 1, 0);
	dc_lines_dispose(&l);
	assert_int_equal(dc_lines_init(&l, S("\n\r\n\n")), 0);
	assert_int_equal(l.n, 4);
	assert_mark(dc_lines_mark(&l, 1), 2, 1, 1);
	assert_mark(dc_lines_mark(&l, 2), 2, 2, 2);
	assert_mark(dc_lines_mark(&l, 3), 3, 1, 3);
	assert_mark(dc_lines_mark(&l, 4), 4, 1, 4);
	dc_lines_dispose(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_utf8_is_accepted),
		cmocka_unit_test(overlongs_are_rejected),
		cmocka_unit_test(surrogates_and_out_of_range_are_rejected),
		cmocka_unit_test(broken_sequences_are_rejected),
		cmocka_unit_test(counts_and_decodes_code_points),
		cmocka_unit_test(text_mark_counts_code_points),
		cmocka_unit_test(text_mark_handles_crlf),
		cmocka_unit_test(lines_agree_with_text_mark),
		cmocka_unit_test(lines_of_empty_and_newline_only_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
