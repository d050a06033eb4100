/*
 * test_markdown.c - the body scan (markdown.h): level-2 headings, links and
 * images, word counts and ambiguous terms, each with its file position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "arena.h"
#include "markdown.h"

static dc_arena arena;
static pcre2_code *terms_re;

/* The kind of pattern the policy builds from language.ambiguous. */
static pcre2_code *compile(const char *pattern)
{
	int err;
	PCRE2_SIZE at;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &at, NULL);

	assert_non_null(re);
	return re;
}

static int setup(void **state)
{
	(void)state;
	dc_arena_init(&arena);
	terms_re = compile("适当|尽量|\\bTBD\\b|as\\s+appropriate");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dc_arena_dispose(&arena);
	pcre2_code_free(terms_re);
	return 0;
}

/* Scans a body that starts at line 1, byte 0 of its file. */
static dc_md_facts scan(const char *body, const pcre2_code *re)
{
	dc_md_facts f;

	assert_int_equal(dc_markdown_scan(&f, &arena, body, strlen(body), 1, 0, re), 0);
	return f;
}

static void assert_mark(dc_mark m, unsigned line, unsigned col)
{
	assert_int_equal(m.line, line);
	assert_int_equal(m.col, col);
}

static void headings_level2_only(void **state)
{
	const char *body =
		"# 标题一\n"                 /* 1 */
		"\n"
		"## 1 目的\n"                /* 3 */
		"\n"
		"正文\n"
		"\n"
		"范围 *说明*\n"              /* 7: setext */
		"----\n"
		"\n"
		"### 细节\n"
		"\n"
		"## `code` 和 **粗体** ##\n" /* 12 */
		"\n"
		"术语\n"                     /* 14: setext level 1 */
		"====\n"
		"  ## （一）职责\n";         /* 16 */
	dc_md_facts f = scan(body, NULL);

	(void)state;
	assert_int_equal(f.nheadings, 4);
	assert_string_equal(f.headings[0].text, "1 目的");
	assert_mark(f.headings[0].mark, 3, 4);
	assert_int_equal(f.headings[0].mark.offset, strlen("# 标题一\n\n## "));
	assert_string_equal(f.headings[1].text, "范围 说明");
	assert_mark(f.headings[1].mark, 7, 1);
	assert_string_equal(f.headings[2].text, "code 和 粗体");
	assert_mark(f.headings[2].mark, 12, 5);
	assert_string_equal(f.headings[3].text, "（一）职责");
	assert_mark(f.headings[3].mark, 16, 6);
}

static void headings_not_in_code(void **state)
{
	const char *body =
		"```\n"
		"## 目的\n"
		"```\n"
		"\n"
		"    ## Scope\n"
		"\n"
		"~~~markdown\n"
		"Steps\n"
		"-----\n"
		"~~~\n"
		"\n"
		"text `## not` here\n";
	dc_md_facts f = scan(body, NULL);

	(void)state;
	assert_int_equal(f.nheadings, 0);
	assert_int_equal(f.words, 2);
}

static void heading_empty_and_entities(void **state)
{
	dc_md_facts f = scan("para\n\n##\n\n## A &amp; B\n", NULL);

	(void)state;
	assert_int_equal(f.nheadings, 2);
	assert_string_equal(f.headings[0].text, "");
	assert_mark(f.headings[0].mark, 3, 1); /* no text: the line it is on */
	assert_string_equal(f.headings[1].text, "A & B");
	assert_mark(f.headings[1].mark, 5, 4);

	f = scan("\n \n## ##\n", NULL);
	assert_int_equal(f.nheadings, 1);
	assert_string_equal(f.headings[0].text, "");
	assert_mark(f.headings[0].mark, 3, 1);
}

static void links_and_images(void **state)
{
	const char *body =
		"见 [程序](SP-001.md) 和 ![图](img/a.png \"t\")\n"  /* 1 */
		"[外部](https://example.com/x) [mail](mailto:a@b.c)\n" /* 2 */
		"[转义](a\\_b.md) [空格](<my file.md>)\n"             /* 3 */
		"\n"
		"[引用][r] 与 [再次][r] 和 [未引用的定义]\n"          /* 5 */
		"\n"
		"[r]: ../records/RC-0001.md\n"                        /* 7 */
		"[unused]: nowhere.md\n";
	dc_md_facts f = scan(body, NULL);

	(void)state;
	assert_int_equal(f.nlinks, 7);
	assert_string_equal(f.links[0].dest, "SP-001.md");
	assert_int_equal(f.links[0].image, 0);
	assert_mark(f.links[0].mark, 1, 8);
	assert_string_equal(f.links[1].dest, "img/a.png");
	assert_int_equal(f.links[1].image, 1);
	assert_mark(f.links[1].mark, 1, 26);
	/* links with a scheme are kept: the caller decides */
	assert_string_equal(f.links[2].dest, "https://example.com/x");
	assert_mark(f.links[2].mark, 2, 6);
	assert_string_equal(f.links[3].dest, "mailto:a@b.c");
	assert_mark(f.links[3].mark, 2, 36);
	/* md4c copied this one (escape): the mark falls back to the link text */
	assert_string_equal(f.links[4].dest, "a_b.md");
	assert_mark(f.links[4].mark, 3, 2);
	assert_string_equal(f.links[5].dest, "my file.md");
	assert_mark(f.links[5].mark, 3, 21);
	/* a used reference: one link, at its definition, however often used */
	assert_string_equal(f.links[6].dest, "../records/RC-0001.md");
	assert_int_equal(f.links[6].image, 0);
	assert_mark(f.links[6].mark, 7, 6);
}

static void autolinks_and_code_skipped(void **state)
{
	const char *body =
		"<https://example.com/a.md> <someone@example.com> <./x.md>\n"
		"\n"
		"`[a](code.md)` and ``![b](code.png)``\n"
		"\n"
		"```\n"
		"[c](block.md)\n"
		"```\n"
		"\n"
		"    [d](indented.md)\n"
		"\n"
		"<a href=\"html.md\">x</a>\n"
		"\n"
		"[e](real.md)\n";
	dc_md_facts f = scan(body, NULL);
	size_t i, n = 0, last = 0;

	(void)state;
	/* autolinks are kept, marked, for their scheme only (link.scheme) */
	for (i = 0; i < f.nlinks; i++) {
		if (f.links[i].autolink)
			continue;
		n++;
		last = i;
	}
	assert_int_equal(n, 1);
	assert_int_equal(f.nlinks, 3);
	assert_string_equal(f.links[last].dest, "real.md");
	assert_mark(f.links[last].mark, 13, 5);
}

static void link_destination_entities(void **state)
{
	dc_md_facts f = scan("[a](x&amp;y&#x4E2D;.md) ![](z.png)\n", NULL);

	(void)state;
	assert_int_equal(f.nlinks, 2);
	assert_string_equal(f.links[0].dest, "x&y中.md");
	assert_mark(f.links[0].mark, 1, 2);
	assert_string_equal(f.links[1].dest, "z.png");
	assert_mark(f.links[1].mark, 1, 29);
}

static size_t words(const char *body)
{
	return scan(body, NULL).words;
}

static void word_counts(void **state)
{
	(void)state;
	assert_int_equal(words("文件控制程序\n"), 6);
	assert_int_equal(words("ISO 9001 文件控制\n"), 6);
	assert_int_equal(words("Hello, world! 你好。「引号」\n"), 6);
	assert_int_equal(words("ひらがな カタカナ 한국어\n"), 11);
	assert_int_equal(words("foo*bar* baz_qux naïve 3.14\n"), 6);
	assert_int_equal(words("a `b c d` e\n\n```\nf g h\n```\n\n    i j\n"), 2);
	assert_int_equal(words("<div>\nhtml words\n</div>\n\nx <span class=\"y z\">w</span>\n"), 2);
	assert_int_equal(words("- 一\n- two\n  - 三 four\n\n| 列 | col |\n|---|---|\n| 值 | v |\n"), 8);
	assert_int_equal(words("AT&amp;T\n"), 2);
	assert_int_equal(words("## 1 目的\n\n[链接](x.md) ![图](y.png)\n"), 6);
}

static void terms_found_with_marks(void **state)
{
	const char *body =
		"第一行文字适当。\n"                 /* 1 */
		"按*适*当处理 tbd 和 TBDX\n"         /* 2 */
		"`适当` 不算，`TBD` 也不算\n"        /* 3 */
		"\n"
		"## 尽量 TBD\n"                      /* 5 */
		"\n"
		"适&#24403;，as\n"                   /* 7 */
		"appropriate\n"
		"\n"
		"```\n"
		"适当 TBD\n"
		"```\n"
		"\n"
		"<p>适当</p>\n"
		"\n"
		"| x | 尽量 |\n"                     /* 16 */
		"|---|---|\n"
		"\n"
		"- a TBD\n";                         /* 19 */
	dc_md_facts f = scan(body, terms_re);

	(void)state;
	assert_int_equal(f.nterms, 9);
	assert_string_equal(f.terms[0].term, "适当");
	assert_mark(f.terms[0].mark, 1, 6);
	assert_int_equal(f.terms[0].mark.offset, strlen("第一行文字"));
	/* across emphasis markup: the plain text is contiguous */
	assert_string_equal(f.terms[1].term, "适当");
	assert_mark(f.terms[1].mark, 2, 3);
	assert_string_equal(f.terms[2].term, "tbd");
	assert_mark(f.terms[2].mark, 2, 9);
	assert_string_equal(f.terms[3].term, "尽量");
	assert_mark(f.terms[3].mark, 5, 4);
	assert_string_equal(f.terms[4].term, "TBD");
	assert_mark(f.terms[4].mark, 5, 7);
	/* across an entity, and across a soft line break */
	assert_string_equal(f.terms[5].term, "适当");
	assert_mark(f.terms[5].mark, 7, 1);
	assert_string_equal(f.terms[6].term, "as appropriate");
	assert_mark(f.terms[6].mark, 7, 11);
	assert_string_equal(f.terms[7].term, "尽量");
	assert_mark(f.terms[7].mark, 16, 7);
	assert_string_equal(f.terms[8].term, "TBD");
	assert_mark(f.terms[8].mark, 19, 5);
}

static void terms_in_lists_and_boundaries(void **state)
{
	dc_md_facts f = scan("- a TBD\n- TBDX xTBD TBD_ TBD.\n", terms_re);

	(void)state;
	assert_int_equal(f.nterms, 2);
	assert_mark(f.terms[0].mark, 1, 5);
	assert_mark(f.terms[1].mark, 2, 18);
	assert_string_equal(f.terms[1].term, "TBD");
}

static void terms_code_span_breaks_text(void **state)
{
	/* a code span between the halves of a term breaks it */
	dc_md_facts f = scan("适`x`当 as `y` appropriate\n", terms_re);

	(void)state;
	assert_int_equal(f.nterms, 0);
	assert_int_equal(f.words, 4);
}

static void blank_bodies(void **state)
{
	dc_md_facts f = scan("", terms_re);

	(void)state;
	assert_true(f.blank);
	assert_int_equal(f.words, 0);
	assert_int_equal(f.nheadings + f.nlinks + f.nterms, 0);
	assert_mark(f.end, 1, 1);

	f = scan(" \n\t\r\n\n", NULL);
	assert_true(f.blank);
	assert_int_equal(f.words, 0);

	f = scan("<!-- only a comment -->\n", NULL);
	assert_false(f.blank);
	assert_int_equal(f.words, 0);
}

static void crlf_body(void **state)
{
	const char *body = "## 目的\r\n\r\n文本 TBD [链接](a.md)\r\n\r\n标题\r\n---\r\n";
	dc_md_facts f = scan(body, terms_re);

	(void)state;
	assert_int_equal(f.nheadings, 2);
	assert_string_equal(f.headings[0].text, "目的");
	assert_mark(f.headings[0].mark, 1, 4);
	assert_string_equal(f.headings[1].text, "标题");
	assert_mark(f.headings[1].mark, 5, 1);
	assert_int_equal(f.nterms, 1);
	assert_mark(f.terms[0].mark, 3, 4);
	assert_int_equal(f.nlinks, 1);
	assert_string_equal(f.links[0].dest, "a.md");
	assert_mark(f.links[0].mark, 3, 13);
	assert_mark(f.end, 6, 4);
}

static void marks_offset_by_body_start(void **state)
{
	const char *body = "正文\n\n## 目的 TBD\n";
	dc_md_facts f;

	(void)state;
	assert_int_equal(dc_markdown_scan(&f, &arena, body, strlen(body), 12, 300, terms_re), 0);
	assert_int_equal(f.nheadings, 1);
	assert_int_equal(f.headings[0].mark.line, 14);
	assert_int_equal(f.headings[0].mark.col, 4);
	assert_int_equal(f.headings[0].mark.offset, 300 + strlen("正文\n\n## "));
	assert_int_equal(f.nterms, 1);
	assert_mark(f.terms[0].mark, 14, 7);
	/* the end of the body is the end of its last line */
	assert_mark(f.end, 14, 10);
	assert_int_equal(f.end.offset, 300 + strlen(body) - 1);
	assert_false(f.blank);
	assert_int_equal(f.words, 5);
}

static void body_without_final_newline(void **state)
{
	/* md4c 0.4.8 reads past such a body's end; the scan must not */
	dc_md_facts f = scan("见 [t](cell.", NULL);

	(void)state;
	assert_int_equal(f.nlinks, 0);
	assert_int_equal(f.words, 3);
	assert_mark(f.end, 1, 12);
}

static void no_terms_pattern(void **state)
{
	dc_md_facts f = scan("适当 TBD\n", NULL);

	(void)state;
	assert_int_equal(f.nterms, 0);
	assert_null(f.terms);
	assert_int_equal(f.words, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(headings_level2_only),
		cmocka_unit_test(headings_not_in_code),
		cmocka_unit_test(heading_empty_and_entities),
		cmocka_unit_test(links_and_images),
		cmocka_unit_test(autolinks_and_code_skipped),
		cmocka_unit_test(link_destination_entities),
		cmocka_unit_test(word_counts),
		cmocka_unit_test(terms_found_with_marks),
		cmocka_unit_test(terms_in_lists_and_boundaries),
		cmocka_unit_test(terms_code_span_breaks_text),
		cmocka_unit_test(blank_bodies),
		cmocka_unit_test(crlf_body),
		cmocka_unit_test(marks_offset_by_body_start),
		cmocka_unit_test(body_without_final_newline),
		cmocka_unit_test(no_terms_pattern),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
