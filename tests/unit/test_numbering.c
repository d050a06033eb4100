/*
 * test_numbering.c - stripping a heading's leading numbering once
 * (numbering.h, reference §3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "numbering.h"

/* What is left of `heading` after its numbering. */
static const char *rest(const char *heading)
{
	return heading + dc_numbering_len(heading, strlen(heading));
}

static void strips_arabic_numbers(void **state)
{
	(void)state;
	assert_string_equal(rest("1 目的"), "目的");
	assert_string_equal(rest("1.目的"), "目的");
	assert_string_equal(rest("1. Purpose"), "Purpose");
	assert_string_equal(rest("1.2 目的"), "目的");
	assert_string_equal(rest("1.2. Purpose"), "Purpose");
	assert_string_equal(rest("10.2.3 Scope"), "Scope");
	assert_string_equal(rest("1.2目的"), "目的");
	assert_string_equal(rest("1、目的"), "目的");
	assert_string_equal(rest("1) Purpose"), "Purpose");
	assert_string_equal(rest("１．目的"), "目的");
	assert_string_equal(rest("1\t目的"), "目的");
}

static void strips_chinese_numerals(void **state)
{
	(void)state;
	assert_string_equal(rest("一、目的"), "目的");
	assert_string_equal(rest("十二、目的"), "目的");
	assert_string_equal(rest("二十、 适用范围"), "适用范围");
}

static void strips_parenthesised_numbers(void **state)
{
	(void)state;
	assert_string_equal(rest("（一）目的"), "目的");
	assert_string_equal(rest("(1) Purpose"), "Purpose");
	assert_string_equal(rest("（1）目的"), "目的");
	assert_string_equal(rest("(十)范围"), "范围");
	assert_string_equal(rest("（12) 范围"), "范围");
}

static void strips_chapters_sections_articles(void **state)
{
	(void)state;
	assert_string_equal(rest("第一章 总则"), "总则");
	assert_string_equal(rest("第3节 xx"), "xx");
	assert_string_equal(rest("第十二条 xx"), "xx");
	assert_string_equal(rest("第一章总则"), "总则");
}

static void eats_ascii_and_ideographic_spaces(void **state)
{
	(void)state;
	assert_string_equal(rest("1\u3000目的"), "目的");
	assert_string_equal(rest("一、\u3000\u3000目的"), "目的");
	assert_string_equal(rest("第一章 \u3000 总则"), "总则");
	assert_string_equal(rest("1.2   Scope"), "Scope");
}

static void strips_once_only(void **state)
{
	(void)state;
	assert_string_equal(rest("1 2 目的"), "2 目的");
	assert_string_equal(rest("一、（一）目的"), "（一）目的");
	assert_string_equal(rest("(1) (2) Purpose"), "(2) Purpose");
}

static void leaves_other_text_alone(void **state)
{
	static const char *const keep[] = {
		"目的", "Purpose", "2026年计划", "1目的", "2026", "ISO 9001", "第一 总则",
		"一二三", "(a) Purpose", "（一目的", "第章 总则", " 1 目的", "A.1 Scope",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if (dc_numbering_len(keep[i], strlen(keep[i])) != 0)
			fail_msg("stripped numbering from \"%s\"", keep[i]);
	}
	assert_int_equal(dc_numbering_len("", 0), 0);
	assert_int_equal(dc_numbering_len(NULL, 0), 0);
	assert_int_equal(dc_numbering_len("\xff 1 x", 5), 0);
}

static void honours_the_length(void **state)
{
	(void)state;
	/* only "1" is inside the given length: no space follows it there */
	assert_int_equal(dc_numbering_len("1 目的", 1), 0);
	assert_int_equal(dc_numbering_len("1 目的", 2), 2);
	assert_int_equal(dc_numbering_len("1.2 x", 3), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strips_arabic_numbers),
		cmocka_unit_test(strips_chinese_numerals),
		cmocka_unit_test(strips_parenthesised_numbers),
		cmocka_unit_test(strips_chapters_sections_articles),
		cmocka_unit_test(eats_ascii_and_ideographic_spaces),
		cmocka_unit_test(strips_once_only),
		cmocka_unit_test(leaves_other_text_alone),
		cmocka_unit_test(honours_the_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
