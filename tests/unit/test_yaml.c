/*
 * test_yaml.c - the YAML loader (yaml_load.h): file marks (lines shifted by
 * the caller, code-point columns, byte offsets, CRLF), core-schema typing,
 * core tags, and every finding it stops at (alias, tag, duplicate key,
 * depth, syntax, a second document), including hostile inputs that must
 * stop at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "yaml_load.h"

static dc_arena arena;
static dc_diags diags;

static int setup(void **state)
{
	(void)state;
	dc_arena_init(&arena);
	dc_diags_init(&diags);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dc_arena_dispose(&arena);
	dc_diags_dispose(&diags);
	return 0;
}

static dc_node *load_at(const char *text, unsigned line, size_t offset)
{
	dc_yaml_where w = { "doc.md", line, offset, 16 };
	dc_node *n = (dc_node *)1;

	dc_diags_dispose(&diags);
	dc_diags_init(&diags);
	assert_int_equal(dc_yaml_load(&n, &arena, text, strlen(text), &w, &diags), 0);
	if (diags.n)
		fail_msg("unexpected finding %u:%u %s: %s", diags.items[0].line, diags.items[0].col,
			 diags.items[0].rule->name, diags.items[0].message);
	assert_non_null(n);
	return n;
}

static dc_node *load(const char *text)
{
	return load_at(text, 1, 0);
}

/* Loads text that must stop with exactly one finding; returns it. */
static const dc_diag *stops_len(const char *text, size_t len, unsigned depth, const char *rule,
				unsigned line, unsigned col)
{
	dc_yaml_where w = { "doc.md", 1, 0, depth };
	dc_node *n = (dc_node *)1;

	dc_diags_dispose(&diags);
	dc_diags_init(&diags);
	assert_int_equal(dc_yaml_load(&n, &arena, text, len, &w, &diags), 0);
	assert_null(n);
	assert_int_equal(diags.n, 1);
	assert_string_equal(diags.items[0].rule->name, rule);
	assert_string_equal(diags.items[0].file, "doc.md");
	assert_int_equal(diags.items[0].line, line);
	assert_int_equal(diags.items[0].col, col);
	return &diags.items[0];
}

static const dc_diag *stops(const char *text, const char *rule, unsigned line, unsigned col)
{
	return stops_len(text, strlen(text), 16, rule, line, col);
}

static void assert_mark(dc_mark m, unsigned line, unsigned col, size_t off)
{
	assert_int_equal(m.line, line);
	assert_int_equal(m.col, col);
	assert_int_equal(m.offset, off);
}

static void marks_of_keys_and_values(void **state)
{
	const char *text = "id: SP-004\ntitle: Document control\nrefs: [SM-001, FM-002]\n";
	dc_node *n;
	const dc_pair *p;
	const dc_node *refs;

	(void)state;
	n = load(text);
	assert_int_equal(n->kind, DC_NODE_MAP);
	assert_int_equal(n->style, DC_STYLE_BLOCK);
	assert_int_equal(n->u.map.n, 3);
	p = dc_node_pair(n, "title");
	assert_non_null(p);
	assert_mark(p->key->start, 2, 1, 11);
	assert_mark(p->key->end, 2, 6, 16);
	assert_mark(p->value->start, 2, 8, 18);
	assert_mark(p->value->end, 2, 24, 34);
	assert_string_equal(p->value->text, "Document control");
	assert_int_equal(p->value->len, 16);
	refs = dc_node_get(n, "refs");
	assert_int_equal(refs->kind, DC_NODE_SEQ);
	assert_int_equal(refs->style, DC_STYLE_FLOW);
	assert_mark(refs->start, 3, 7, 41);
	assert_mark(refs->end, 3, 23, 57);
	assert_int_equal(refs->u.seq.n, 2);
	assert_mark(refs->u.seq.items[1]->start, 3, 16, 50);
	assert_string_equal(refs->u.seq.items[1]->text, "FM-002");
}

static void marks_count_code_points_and_shift_by_where(void **state)
{
	/* the YAML starts on line 2 of the file, after "---\n" (4 bytes) */
	const char *text = "title: 文件控制程序\nchange: 增加记录 \"x\"\nowner: li.wei\n";
	dc_node *n;
	const dc_pair *p;

	(void)state;
	n = load_at(text, 2, 4);
	assert_mark(n->start, 2, 1, 4);
	p = dc_node_pair(n, "title");
	assert_mark(p->value->start, 2, 8, 11);
	assert_mark(p->value->end, 2, 14, 29);
	assert_string_equal(p->value->text, "文件控制程序");
	p = dc_node_pair(n, "change");
	assert_mark(p->key->start, 3, 1, 30);
	assert_mark(p->value->start, 3, 9, 38);
	p = dc_node_pair(n, "owner");
	assert_mark(p->key->start, 4, 1, 55);
	assert_mark(p->value->start, 4, 8, 62);
}

static void marks_with_crlf(void **state)
{
	const char *text = "a: 1\r\nb:\r\n  - 文\r\n  - y\r\nc: |\r\n  lit\r\n  more\r\nd: e\r\n";
	dc_node *n;
	const dc_node *b, *c;

	(void)state;
	n = load_at(text, 10, 100);
	assert_mark(dc_node_pair(n, "a")->value->start, 10, 4, 103);
	b = dc_node_get(n, "b");
	assert_int_equal(b->kind, DC_NODE_SEQ);
	assert_int_equal(b->u.seq.n, 2);
	assert_mark(b->u.seq.items[0]->start, 12, 5, 114);
	assert_mark(b->u.seq.items[1]->start, 13, 5, 123);
	c = dc_node_get(n, "c");
	assert_int_equal(c->style, DC_STYLE_LITERAL);
	/* line breaks inside a block scalar are normalised to LF */
	assert_string_equal(c->text, "lit\nmore\n");
	assert_mark(dc_node_pair(n, "d")->key->start, 17, 1, 147);
	assert_string_equal(dc_node_get_str(n, "d"), "e");
}

static void marks_after_a_bom(void **state)
{
	dc_node *n;

	(void)state;
	n = load("\xEF\xBB\xBFk: v\nx: 文\n");
	assert_mark(dc_node_pair(n, "k")->key->start, 1, 1, 3);
	assert_mark(dc_node_pair(n, "k")->value->start, 1, 4, 6);
	assert_mark(dc_node_pair(n, "x")->value->start, 2, 4, 11);
}

static void scalar_styles(void **state)
{
	dc_node *n;

	(void)state;
	n = load("p: plain\ns: 'it''s'\nd: \"a\\tb\\u6587\"\nl: |\n  x\n  y\nf: >\n  x\n  y\n"
		 "m: {a: 1}\nq: [1]\n");
	assert_int_equal(dc_node_get(n, "p")->style, DC_STYLE_PLAIN);
	assert_int_equal(dc_node_get(n, "s")->style, DC_STYLE_SINGLE);
	assert_string_equal(dc_node_get_str(n, "s"), "it's");
	assert_int_equal(dc_node_get(n, "d")->style, DC_STYLE_DOUBLE);
	assert_string_equal(dc_node_get_str(n, "d"), "a\tb文");
	assert_int_equal(dc_node_get(n, "l")->style, DC_STYLE_LITERAL);
	assert_string_equal(dc_node_get_str(n, "l"), "x\ny\n");
	assert_int_equal(dc_node_get(n, "f")->style, DC_STYLE_FOLDED);
	assert_string_equal(dc_node_get_str(n, "f"), "x y\n");
	assert_int_equal(dc_node_get(n, "m")->style, DC_STYLE_FLOW);
	assert_int_equal(dc_node_get(n, "m")->kind, DC_NODE_MAP);
	assert_int_equal(dc_node_get(n, "q")->style, DC_STYLE_FLOW);
}

static void quoted_nul_keeps_its_length(void **state)
{
	dc_node *n;
	const dc_node *v;

	(void)state;
	n = load("v: \"a\\0b\"\n");
	v = dc_node_get(n, "v");
	assert_int_equal(v->kind, DC_NODE_STR);
	assert_int_equal(v->len, 3);
	assert_memory_equal(v->text, "a\0b", 4);
}

typedef struct {
	const char *value;
	dc_node_kind kind;
	int64_t i;
	double f;
} typing;

static const typing table[] = {
	{ "null", DC_NODE_NULL, 0, 0 },
	{ "Null", DC_NODE_NULL, 0, 0 },
	{ "NULL", DC_NODE_NULL, 0, 0 },
	{ "~", DC_NODE_NULL, 0, 0 },
	{ "", DC_NODE_NULL, 0, 0 },
	{ "nULL", DC_NODE_STR, 0, 0 },
	{ "true", DC_NODE_BOOL, 1, 0 },
	{ "True", DC_NODE_BOOL, 1, 0 },
	{ "TRUE", DC_NODE_BOOL, 1, 0 },
	{ "false", DC_NODE_BOOL, 0, 0 },
	{ "False", DC_NODE_BOOL, 0, 0 },
	{ "FALSE", DC_NODE_BOOL, 0, 0 },
	{ "tRUE", DC_NODE_STR, 0, 0 },
	{ "yes", DC_NODE_STR, 0, 0 },
	{ "no", DC_NODE_STR, 0, 0 },
	{ "on", DC_NODE_STR, 0, 0 },
	{ "0", DC_NODE_INT, 0, 0 },
	{ "3", DC_NODE_INT, 3, 0 },
	{ "-17", DC_NODE_INT, -17, 0 },
	{ "+12", DC_NODE_INT, 12, 0 },
	{ "007", DC_NODE_INT, 7, 0 },
	{ "0o17", DC_NODE_INT, 15, 0 },
	{ "0x1F", DC_NODE_INT, 31, 0 },
	{ "0xff", DC_NODE_INT, 255, 0 },
	{ "9223372036854775807", DC_NODE_INT, INT64_MAX, 0 },
	{ "-9223372036854775808", DC_NODE_INT, INT64_MIN, 0 },
	{ "0x7FFFFFFFFFFFFFFF", DC_NODE_INT, INT64_MAX, 0 },
	{ "9223372036854775808", DC_NODE_FLOAT, 0, 9223372036854775808.0 },
	{ "0xFFFFFFFFFFFFFFFF", DC_NODE_FLOAT, 0, 18446744073709551615.0 },
	{ "-0o7", DC_NODE_STR, 0, 0 },
	{ "0o8", DC_NODE_STR, 0, 0 },
	{ "0X1F", DC_NODE_STR, 0, 0 },
	{ "0x", DC_NODE_STR, 0, 0 },
	{ "1.5", DC_NODE_FLOAT, 0, 1.5 },
	{ "-1.", DC_NODE_FLOAT, 0, -1.0 },
	{ ".5", DC_NODE_FLOAT, 0, 0.5 },
	{ "+.5e2", DC_NODE_FLOAT, 0, 50.0 },
	{ "1e3", DC_NODE_FLOAT, 0, 1000.0 },
	{ "2E-2", DC_NODE_FLOAT, 0, 0.02 },
	{ ".inf", DC_NODE_FLOAT, 0, INFINITY },
	{ "-.Inf", DC_NODE_FLOAT, 0, -INFINITY },
	{ "+.INF", DC_NODE_FLOAT, 0, INFINITY },
	{ ".", DC_NODE_STR, 0, 0 },
	{ "1e", DC_NODE_STR, 0, 0 },
	{ "1.2.3", DC_NODE_STR, 0, 0 },
	{ "1_000", DC_NODE_STR, 0, 0 },
	{ "-.nan", DC_NODE_STR, 0, 0 },
	{ "2026-11-20", DC_NODE_STR, 0, 0 },
	{ "B/0", DC_NODE_STR, 0, 0 },
	{ "SP-004", DC_NODE_STR, 0, 0 },
	{ "12:30", DC_NODE_STR, 0, 0 },
};

static void core_schema_typing(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		char text[64];
		const dc_node *v;

		snprintf(text, sizeof(text), "v: %s\n", table[i].value);
		v = dc_node_get(load(text), "v");
		if (v->kind != table[i].kind)
			fail_msg("'%s': kind %d, expected %d", table[i].value, v->kind,
				 table[i].kind);
		assert_string_equal(v->text, table[i].value);
		assert_int_equal(v->style, DC_STYLE_PLAIN);
		if (v->kind == DC_NODE_BOOL)
			assert_int_equal(v->u.b, table[i].i);
		if (v->kind == DC_NODE_INT)
			assert_true(v->u.i == table[i].i);
		if (v->kind == DC_NODE_FLOAT && v->u.f != table[i].f)
			fail_msg("'%s': %g, expected %g", table[i].value, v->u.f, table[i].f);
	}
}

static void nan_is_a_float(void **state)
{
	static const char *const nan[] = { "v: .nan\n", "v: .NaN\n", "v: .NAN\n" };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		const dc_node *v = dc_node_get(load(nan[i]), "v");

		assert_int_equal(v->kind, DC_NODE_FLOAT);
		assert_true(isnan(v->u.f));
	}
}

static void quoted_scalars_stay_strings(void **state)
{
	dc_node *n;

	(void)state;
	n = load("a: '3'\nb: \"true\"\nc: 'null'\nd: \"\"\ne: |\n  12\nf: \"1.5\"\n");
	assert_int_equal(dc_node_get(n, "a")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "b")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "c")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "d")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "d")->len, 0);
	assert_int_equal(dc_node_get(n, "e")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "f")->kind, DC_NODE_STR);
}

static void core_tags_force_the_type(void **state)
{
	dc_node *n;

	(void)state;
	n = load("a: !!str 3\nb: !!int \"42\"\nc: !!float 3\nd: !!bool 'true'\ne: !!null ''\n"
		 "f: ! 12\ng: !<tag:yaml.org,2002:str> yes\nh: !!map {x: 1}\ni: !!seq [1]\n"
		 "j: !!float '1e2'\nk: ! [1]\n");
	assert_int_equal(dc_node_get(n, "a")->kind, DC_NODE_STR);
	assert_string_equal(dc_node_get_str(n, "a"), "3");
	assert_int_equal(dc_node_get(n, "b")->kind, DC_NODE_INT);
	assert_int_equal(dc_node_get(n, "b")->u.i, 42);
	assert_int_equal(dc_node_get(n, "c")->kind, DC_NODE_FLOAT);
	assert_true(dc_node_get(n, "c")->u.f == 3.0);
	assert_int_equal(dc_node_get(n, "d")->kind, DC_NODE_BOOL);
	assert_int_equal(dc_node_get(n, "d")->u.b, 1);
	assert_int_equal(dc_node_get(n, "e")->kind, DC_NODE_NULL);
	assert_int_equal(dc_node_get(n, "f")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "g")->kind, DC_NODE_STR);
	assert_int_equal(dc_node_get(n, "h")->kind, DC_NODE_MAP);
	assert_int_equal(dc_node_get(n, "i")->kind, DC_NODE_SEQ);
	assert_true(dc_node_get(n, "j")->u.f == 100.0);
	assert_int_equal(dc_node_get(n, "k")->kind, DC_NODE_SEQ);
}

static void tags_that_do_not_fit(void **state)
{
	const dc_diag *d;

	(void)state;
	d = stops("a: 1\nb: !!int abc\n", "yaml.tag", 2, 4);
	assert_non_null(strstr(d->message, "\"abc\""));
	assert_non_null(strstr(d->message, "not an integer"));
	stops("b: !!int 1.5\n", "yaml.tag", 1, 4);
	stops("b: !!int 99999999999999999999\n", "yaml.tag", 1, 4);
	stops("b: !!bool yes\n", "yaml.tag", 1, 4);
	stops("b: !!null x\n", "yaml.tag", 1, 4);
	stops("b: !!float abc\n", "yaml.tag", 1, 4);
	stops("b: !!map [1]\n", "yaml.tag", 1, 4);
	stops("b: !!seq {a: 1}\n", "yaml.tag", 1, 4);
	stops("b: !!str [1]\n", "yaml.tag", 1, 4);
	stops("b: !!map x\n", "yaml.tag", 1, 4);
}

static void non_core_tags(void **state)
{
	const dc_diag *d;

	(void)state;
	d = stops("id: SP-1\ntitle: !custom x\n", "yaml.tag", 2, 8);
	assert_non_null(strstr(d->message, "\"!custom\""));
	d = stops("x: !!binary aGVsbG8=\n", "yaml.tag", 1, 4);
	assert_non_null(strstr(d->message, "\"!!binary\""));
	stops("x: !!timestamp 2026-11-20\n", "yaml.tag", 1, 4);
	stops("x: !<tag:example.com,2000:x> 1\n", "yaml.tag", 1, 4);
	stops("x: !!set {a}\n", "yaml.tag", 1, 4);
	stops("%TAG !e! tag:example.com,2000:\n---\nx: !e!foo 1\n", "yaml.tag", 3, 4);
}

static void duplicate_keys(void **state)
{
	const dc_diag *d;

	(void)state;
	d = stops("id: SP-1\ntitle: a\nowner: b\ntitle: c\n", "yaml.duplicate-key", 4, 1);
	assert_non_null(strstr(d->message, "\"title\""));
	assert_non_null(strstr(d->message, "line 2"));
	stops("{a: 1, b: 2, a: 3}", "yaml.duplicate-key", 1, 14);
	/* keys are compared by text, whatever their quoting */
	stops("a: 1\n'a': 2\n", "yaml.duplicate-key", 2, 1);
	stops("m:\n  k: 1\n  文件: 2\n  文件: 3\n", "yaml.duplicate-key", 4, 3);
}

static void same_key_in_different_mappings_is_fine(void **state)
{
	dc_node *n;

	(void)state;
	n = load("a: {k: 1}\nb: {k: 2}\nk: 3\nlist:\n  - k: 1\n  - k: 2\n");
	assert_int_equal(n->u.map.n, 4);
	assert_int_equal(dc_node_get(dc_node_get(n, "b"), "k")->u.i, 2);
}

static void many_keys_are_checked_fast(void **state)
{
	size_t cap = 20000 * 16, len = 0, i;
	char *text = malloc(cap);
	dc_node *n;
	clock_t t0 = clock();

	(void)state;
	assert_non_null(text);
	for (i = 0; i < 20000; i++)
		len += (size_t)snprintf(text + len, cap - len, "k%zu: %zu\n", i, i);
	n = load(text);
	assert_int_equal(n->u.map.n, 20000);
	assert_int_equal(dc_node_get(n, "k19999")->u.i, 19999);
	/* and a repeat at the very end is still found */
	len += (size_t)snprintf(text + len, cap - len, "k7: x\n");
	stops_len(text, len, 16, "yaml.duplicate-key", 20001, 1);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	free(text);
}

static void anchors_are_refused(void **state)
{
	const dc_diag *d;

	(void)state;
	d = stops("a: 1\nb: &x 2\n", "yaml.alias", 2, 4);
	assert_string_equal(d->message, "anchors and aliases are not allowed in front-matter; "
					"write the value out in full");
	stops("a: &m {x: 1}\n", "yaml.alias", 1, 4);
	stops("a: &s [1]\n", "yaml.alias", 1, 4);
	stops("&top\nx: 1\n", "yaml.alias", 1, 1);
}

static void aliases_are_refused(void **state)
{
	(void)state;
	/* the alias alone, its anchor never defined */
	stops("a: 1\nb: *x\n", "yaml.alias", 2, 4);
	stops("- *x\n", "yaml.alias", 1, 3);
	stops("<<: *base\n", "yaml.alias", 1, 5);
}

static void billion_laughs_stops_at_once(void **state)
{
	const char *text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
			   "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
			   "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
			   "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
			   "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
			   "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
			   "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
			   "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
			   "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	clock_t t0 = clock();

	(void)state;
	stops(text, "yaml.alias", 1, 4);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
}

static char *nested(unsigned depth, const char *open, const char *close)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc(depth * (lo + lc) + 2);
	size_t i, n = 0;

	assert_non_null(s);
	for (i = 0; i < depth; i++, n += lo)
		memcpy(s + n, open, lo);
	s[n++] = '1';
	for (i = 0; i < depth; i++, n += lc)
		memcpy(s + n, close, lc);
	s[n] = '\0';
	return s;
}

static void depth_16_loads_17_does_not(void **state)
{
	char *s = nested(16, "[", "]");
	const dc_node *n;
	unsigned d = 0;

	(void)state;
	for (n = load(s); n->kind == DC_NODE_SEQ; n = n->u.seq.items[0])
		d++;
	assert_int_equal(d, 16);
	assert_int_equal(n->u.i, 1);
	free(s);
	s = nested(17, "[", "]");
	stops(s, "yaml.too-deep", 1, 17);
	free(s);
	/* block mappings count the same way: the top mapping is 1 */
	s = nested(16, "{a: ", "}");
	assert_int_equal(load(s)->kind, DC_NODE_MAP);
	free(s);
	s = nested(17, "{a: ", "}");
	stops(s, "yaml.too-deep", 1, 65);
	free(s);
	/* with max_depth 3, the fourth mapping starts at "d" */
	stops_len("a:\n b:\n  c:\n   d: 1\n", 20, 3, "yaml.too-deep", 4, 4);
}

static void hundred_thousand_brackets_stop_quickly(void **state)
{
	size_t len = 100000;
	char *s = malloc(len + 1);
	clock_t t0 = clock();

	(void)state;
	assert_non_null(s);
	memset(s, '[', len);
	s[len] = '\0';
	stops(s, "yaml.too-deep", 1, 17);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	free(s);
}

static void syntax_errors_at_the_problem(void **state)
{
	const dc_diag *d;

	(void)state;
	d = stops("id: SP-1\ntitle: a: b\n", "yaml.syntax", 2, 9);
	assert_non_null(strstr(d->message, "mapping values are not allowed in this context"));
	d = stops("a: \"open\nb: 1\n", "yaml.syntax", 3, 1);
	assert_non_null(strstr(d->message, "while scanning a quoted scalar"));
	stops("a: 1\n b: 2\n", "yaml.syntax", 2, 3);
	stops("- a\nb: 1\n", "yaml.syntax", 2, 1);
	stops("a: [1, 2\n", "yaml.syntax", 2, 1);
	stops("a: 文 x\n文: 1: 2\n", "yaml.syntax", 2, 5);
	/* a control character is refused by libyaml's reader */
	stops("a: b\nc: \x01\n", "yaml.syntax", 2, 4);
	/* invalid UTF-8 (the front-matter split refuses it earlier) */
	stops("a: \x80\n", "yaml.syntax", 1, 4);
}

static void syntax_error_with_line_offset(void **state)
{
	dc_yaml_where w = { "x/SP-1.md", 7, 120, 16 };
	dc_node *n = NULL;

	(void)state;
	assert_int_equal(dc_yaml_load(&n, &arena, "a: 1\n  b: 2\n", 12, &w, &diags), 0);
	assert_null(n);
	assert_int_equal(diags.n, 1);
	assert_string_equal(diags.items[0].file, "x/SP-1.md");
	assert_string_equal(diags.items[0].rule->name, "yaml.syntax");
	assert_int_equal(diags.items[0].line, 8);
	assert_int_equal(diags.items[0].col, 4);
}

static void non_scalar_keys(void **state)
{
	(void)state;
	stops("? [a, b]\n: 1\n", "yaml.syntax", 1, 3);
	stops("{[a]: 1}", "yaml.syntax", 1, 2);
	stops("? {a: 1}\n: 1\n", "yaml.syntax", 1, 3);
}

static void second_document(void **state)
{
	(void)state;
	stops("a: 1\n---\nb: 2\n", "yaml.syntax", 2, 1);
	stops("a: 1\n...\n---\na: 1\n", "yaml.syntax", 3, 1);
	/* one explicit document is fine */
	assert_int_equal(load("---\na: 1\n...\n")->u.map.n, 1);
}

static void empty_streams(void **state)
{
	dc_node *n;

	(void)state;
	n = load_at("", 2, 4);
	assert_int_equal(n->kind, DC_NODE_NULL);
	assert_mark(n->start, 2, 1, 4);
	n = load_at("# only a comment\n\n", 5, 30);
	assert_int_equal(n->kind, DC_NODE_NULL);
	assert_mark(n->start, 5, 1, 30);
	n = load("{}");
	assert_int_equal(n->kind, DC_NODE_MAP);
	assert_int_equal(n->u.map.n, 0);
	n = load("[]");
	assert_int_equal(n->kind, DC_NODE_SEQ);
	assert_int_equal(n->u.seq.n, 0);
	n = load("just text");
	assert_int_equal(n->kind, DC_NODE_STR);
}

static void crlf_input(void **state)
{
	dc_node *n;
	const dc_node *refs;

	(void)state;
	n = load("id: SP-004\r\nrevision: 3\r\nrefs:\r\n  - SM-001\r\n  - 'FM-002'\r\n");
	assert_int_equal(dc_node_get(n, "revision")->kind, DC_NODE_INT);
	assert_int_equal(dc_node_get(n, "revision")->u.i, 3);
	assert_mark(dc_node_get(n, "revision")->start, 2, 11, 22);
	refs = dc_node_get(n, "refs");
	assert_int_equal(refs->u.seq.n, 2);
	assert_string_equal(refs->u.seq.items[0]->text, "SM-001");
	assert_mark(refs->u.seq.items[1]->start, 5, 5, 48);
	stops("a: 1\r\nb: 2\r\na: 3\r\n", "yaml.duplicate-key", 3, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(marks_of_keys_and_values, setup, teardown),
		cmocka_unit_test_setup_teardown(marks_count_code_points_and_shift_by_where, setup,
						teardown),
		cmocka_unit_test_setup_teardown(marks_with_crlf, setup, teardown),
		cmocka_unit_test_setup_teardown(marks_after_a_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(scalar_styles, setup, teardown),
		cmocka_unit_test_setup_teardown(quoted_nul_keeps_its_length, setup, teardown),
		cmocka_unit_test_setup_teardown(core_schema_typing, setup, teardown),
		cmocka_unit_test_setup_teardown(nan_is_a_float, setup, teardown),
		cmocka_unit_test_setup_teardown(quoted_scalars_stay_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(core_tags_force_the_type, setup, teardown),
		cmocka_unit_test_setup_teardown(tags_that_do_not_fit, setup, teardown),
		cmocka_unit_test_setup_teardown(non_core_tags, setup, teardown),
		cmocka_unit_test_setup_teardown(duplicate_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(same_key_in_different_mappings_is_fine, setup,
						teardown),
		cmocka_unit_test_setup_teardown(many_keys_are_checked_fast, setup, teardown),
		cmocka_unit_test_setup_teardown(anchors_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(aliases_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(billion_laughs_stops_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(depth_16_loads_17_does_not, setup, teardown),
		cmocka_unit_test_setup_teardown(hundred_thousand_brackets_stop_quickly, setup,
						teardown),
		cmocka_unit_test_setup_teardown(syntax_errors_at_the_problem, setup, teardown),
		cmocka_unit_test_setup_teardown(syntax_error_with_line_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(non_scalar_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(second_document, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_streams, setup, teardown),
		cmocka_unit_test_setup_teardown(crlf_input, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
