/*
 * numbering.c - the leading numbering of a heading (reference §3, see numbering.h).
 *
 * One anchored PCRE2 pattern, compiled once per process (pthread_once), says
 * what numbering is. It is stripped once: "1 2 目的" leaves "2 目的".
 *
 *   arabic      "1 ", "1.", "1.2 ", "1.2. ", "1.2目的", "1、", "1)"
 *               ASCII or full-width digits and dots. A bare number needs a
 *               dot, 、, a closing parenthesis or a space after it, so
 *               "2026年计划" and "1目的" keep their number; a number with
 *               inner dots ("1.2") is numbering whatever follows.
 *   chinese     "一、", "十二、" (零〇一二三四五六七八九十百千两 and 、)
 *   parentheses "（一）", "(1)", "（1）", half- or full-width, mixed
 *   chapter     "第一章", "第3节", "第十二条" (arabic or Chinese numerals)
 *
 * Any run of spaces (ASCII space, tab, U+3000) after the numbering is part of
 * it. Text that is not valid UTF-8 has no numbering.
 */
#include "numbering.h"

#include <pcre2.h>
#include <pthread.h>

#define DIGIT "[0-9\\x{FF10}-\\x{FF19}]"
#define DOT "[.\\x{FF0E}]"
#define HAN "[零〇一二三四五六七八九十百千两]"
#define SPACE "[ \\t\\x{3000}]"

static const char numbering_pattern[] =
	"(?:"
	DIGIT "+(?:" DOT DIGIT "+)+" DOT "?"                 /* 1.2  1.2. */
	"|" DIGIT "+(?:" DOT "|、|[)\\x{FF09}])"              /* 1.  1、  1) */
	"|" DIGIT "+(?=" SPACE ")"                            /* 1 */
	"|" HAN "+、"                                         /* 一、 */
	"|[(\\x{FF08}](?:" DIGIT "+|" HAN "+)[)\\x{FF09}]"    /* (1)  （一） */
	"|第(?:" DIGIT "+|" HAN "+)[章节条]"                  /* 第一章 */
	")" SPACE "*";

static pcre2_code *numbering_re;
static pthread_once_t numbering_once = PTHREAD_ONCE_INIT;

static void compile_numbering(void)
{
	int err;
	PCRE2_SIZE off;

	numbering_re = pcre2_compile((PCRE2_SPTR)numbering_pattern, PCRE2_ZERO_TERMINATED,
				     PCRE2_ANCHORED | PCRE2_UTF, &err, &off, NULL);
}

size_t dc_numbering_len(const char *text, size_t len)
{
	pcre2_match_data *md;
	size_t n = 0;

	if (!text || !len || pthread_once(&numbering_once, compile_numbering) != 0 || !numbering_re)
		return 0;
	md = pcre2_match_data_create(1, NULL);
	if (!md)
		return 0;
	if (pcre2_match(numbering_re, (PCRE2_SPTR)text, len, 0, 0, md, NULL) >= 1)
		n = pcre2_get_ovector_pointer(md)[1];
	pcre2_match_data_free(md);
	return n;
}
