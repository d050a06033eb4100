/*
 * test_schema.c - the JSON Schema subset of reference §4.9: every keyword passing
 * and failing (rule name, line, column, message), the schema's own errors
 * (schema.invalid at the schema file's line:col), pattern match limits, $ref
 * cycles, and the root queries the document checks use.
 *
 * Schemas and documents are written as YAML and loaded with dc_yaml_load; a
 * document's text starts on line 2, as front-matter after a `---` line 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "yaml_load.h"

#include "fixture.h"

/* ---- keywords ---------------------------------------------------------- */

static void type_single(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  title: {type: string}\n",
		  "title: 文件控制程序\n", "title: 42\n",
		  "schema.type", 2, 8, "title must be a string, not an integer");
}

static void type_list(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  x:\n    type: [string, 'null']\n",
		  "x: null\n", "x: [1]\n",
		  "schema.type", 2, 4, "x must be a string or null, not an array");
}

static void type_numbers(void **state)
{
	dc_schema *s = fx_schema_ok("properties:\n  n: {type: integer}\n  f: {type: number}\n");
	dc_diags d;

	(void)state;
	/* an integral float is an integer; an integer is a number */
	fx_validate(s, "n: 3.0\nf: 3\n", &d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	fx_validate(s, "n: 3.5\nf: true\n", &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.items[0].message, "n must be an integer, not a number");
	assert_string_equal(d.items[1].message, "f must be a number, not a boolean");
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void type_root(void **state)
{
	(void)state;
	fx_pass_fail("type: object\n", "a: 1\n", "- a\n", "schema.type", 2, 1,
		  "the front-matter must be an object, not an array");
}

static void properties_nested(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  approval:\n    properties:\n      by: {type: string}\n",
		  "approval:\n  by: li.wei\n", "approval:\n  by: 7\n",
		  "schema.type", 3, 7, "approval.by must be a string, not an integer");
}

static void required_top(void **state)
{
	(void)state;
	/* the top-level mapping's missing field points at the opening `---` */
	fx_pass_fail("required: [title]\n", "title: x\n", "id: SP-004\n",
		  "schema.required", 1, 1, "missing required field \"title\"");
}

static void required_nested(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  approval:\n    required: [by]\n",
		  "approval: {by: x}\n", "id: a\napproval:\n  on: 2026-01-01\n",
		  "schema.required", 4, 3, "missing required field \"approval.by\"");
}

static void additional_false(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  title: {}\nadditionalProperties: false\n",
		  "title: x\n", "title: x\ncolour: red\n",
		  "schema.additionalProperties", 3, 1,
		  "field \"colour\" is not allowed by the schema; remove it or declare it in "
		  FX_SCHEMA_FILE);
}

static void additional_schema(void **state)
{
	dc_schema *s;
	dc_diags d;

	(void)state;
	fx_pass_fail("properties:\n  title: {}\nadditionalProperties: {type: string}\n",
		  "title: 1\nextra: x\n", "title: 1\nextra: 2\n",
		  "schema.type", 3, 8, "extra must be a string, not an integer");
	s = fx_schema_ok("additionalProperties: true\n");
	fx_validate(s, "anything: [1, 2]\n", &d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void enum_status(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  status:\n    enum: [draft, in-review, approved, obsolete]\n",
		  "status: approved\n", "id: SP-004\ntitle: x\ntype: procedure\nstatus: aproved\n",
		  "schema.enum", 5, 9,
		  "status \"aproved\" is not one of draft, in-review, approved, obsolete");
}

static void const_value(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  classification: {const: internal}\n",
		  "classification: internal\n", "classification: secret\n",
		  "schema.const", 2, 17, "classification must be \"internal\", not \"secret\"");
}

static void pattern_match(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  id: {pattern: '^SP-[0-9]{3}$'}\n",
		  "id: SP-004\n", "id: sp-4\n",
		  "schema.pattern", 2, 5, "id \"sp-4\" does not match the pattern \"^SP-[0-9]{3}$\"");
}

static void pattern_dollar_end_only(void **state)
{
	(void)state;
	/* `$` does not match before a final newline; patterns are unanchored */
	fx_pass_fail("properties:\n  id: {pattern: '-[0-9]{3}$'}\n",
		  "id: SP-004\n", "id: \"SP-004\\n\"\n",
		  "schema.pattern", 2, 5, "id \"SP-004\\n\" does not match the pattern \"-[0-9]{3}$\"");
}

static void pattern_utf8(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  t: {pattern: '^\\w{4}$'}\n",
		  "t: 文件控制\n", "t: 文件控制程序\n", "schema.pattern", 2, 4, NULL);
}

static void min_length(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  title: {minLength: 1}\n",
		  "title: x\n", "title: ''\n",
		  "schema.minLength", 2, 8, "title \"\" has 0 characters; it must have at least 1");
}

static void max_length_code_points(void **state)
{
	(void)state;
	/* 4 code points (12 bytes) fit maxLength 4 */
	fx_pass_fail("properties:\n  title: {maxLength: 4}\n",
		  "title: 文件控制\n", "title: 文件控制程序\n",
		  "schema.maxLength", 2, 8,
		  "title \"文件控制程序\" has 6 characters; it must have at most 4");
}

static void minimum(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  revision: {minimum: 1}\n",
		  "revision: 1\n", "revision: 0\n",
		  "schema.minimum", 2, 11, "revision 0 is less than the minimum 1");
}

static void maximum(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  score: {maximum: 2.5}\n",
		  "score: 2\n", "score: 3\n",
		  "schema.maximum", 2, 8, "score 3 is greater than the maximum 2.5");
}

static void items_path(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  references:\n    items: {pattern: '^[A-Z]+-[0-9]+$'}\n",
		  "references: [SM-001, FM-002]\n", "references: [SM-001, fm2]\n",
		  "schema.pattern", 2, 22,
		  "references[1] \"fm2\" does not match the pattern \"^[A-Z]+-[0-9]+$\"");
}

static void min_items(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  references: {minItems: 1}\n",
		  "references: [a]\n", "references: []\n",
		  "schema.minItems", 2, 13, "references has 0 items; it must have at least 1");
}

static void max_items(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  references: {maxItems: 1}\n",
		  "references: [a]\n", "references:\n  - a\n  - b\n",
		  "schema.maxItems", 3, 3, "references has 2 items; it must have at most 1");
}

static void unique_items(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  references: {uniqueItems: true}\n",
		  "references: [SM-001, FM-002, 1, '1']\n",
		  "references: [SM-001, FM-002, {a: 1, b: 2}, SM-001, {b: 2, a: 1}]\n",
		  "schema.uniqueItems", 2, 44,
		  "references \"SM-001\" at references[3] repeats references[0]; remove the duplicate");
}

static void format_date(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  approved_on: {type: string, format: date}\n",
		  "approved_on: 2026-11-20\n", "approved_on: 2026-13-01\n",
		  "schema.format", 2, 14, "approved_on \"2026-13-01\" is not a valid date (YYYY-MM-DD)");
}

static void format_duration(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  retention: {format: duration}\n",
		  "retention: P1Y6M\n", "retention: 1Y\n", "schema.format", 2, 12, NULL);
}

static void all_of_inner(void **state)
{
	(void)state;
	fx_pass_fail("allOf:\n  - required: [id]\n  - properties:\n      id: {maxLength: 3}\n",
		  "id: abc\n", "id: abcd\n", "schema.maxLength", 2, 5, NULL);
}

static void any_of_no_leak(void **state)
{
	(void)state;
	/* the failed alternatives' own findings are not reported */
	fx_pass_fail("properties:\n  v:\n    anyOf:\n      - {type: integer}\n      - {pattern: '^x'}\n",
		  "v: xyz\n", "v: abc\n", "schema.anyOf", 2, 4,
		  "v matches none of the alternatives (anyOf at " FX_SCHEMA_FILE ":3); change the "
		  "value to fit one of the schema's alternatives");
}

static void one_of(void **state)
{
	dc_schema *s = fx_schema_ok("properties:\n  v:\n    oneOf:\n      - {type: integer}\n"
				  "      - {minimum: 10}\n");
	dc_diags d;

	(void)state;
	fx_validate(s, "v: 3\n", &d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	fx_validate(s, "v: 12\n", &d); /* both match */
	fx_expect_one(&d, FX_DOC_FILE, "schema.oneOf", 2, 4, NULL);
	assert_non_null(strstr(d.items[0].message, "more than one"));
	dc_diags_dispose(&d);
	fx_validate(s, "v: 3.5\n", &d); /* neither */
	fx_expect_one(&d, FX_DOC_FILE, "schema.oneOf", 2, 4, NULL);
	assert_non_null(strstr(d.items[0].message, "none"));
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void not_keyword(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  owner:\n    not: {const: nobody}\n",
		  "owner: li.wei\n", "owner: nobody\n", "schema.not", 2, 8, NULL);
}

static void if_then_else(void **state)
{
	dc_schema *s = fx_schema_ok("if:\n  properties:\n    status: {const: approved}\n"
				  "then:\n  required: [approved_by]\n"
				  "else:\n  properties:\n    approved_by: {type: 'null'}\n");
	dc_diags d;

	(void)state;
	fx_validate(s, "status: approved\napproved_by: zhang.min\n", &d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	fx_validate(s, "status: draft\n", &d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	/* then: the inner keyword, at the opening line */
	fx_validate(s, "status: approved\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.required", 1, 1, "missing required field \"approved_by\"");
	dc_diags_dispose(&d);
	/* else */
	fx_validate(s, "status: draft\napproved_by: x\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.type", 3, 14, NULL);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void ref_defs(void **state)
{
	(void)state;
	fx_pass_fail("$defs:\n  person: {type: string, pattern: '^[a-z]+\\.[a-z]+$'}\n"
		  "properties:\n  owner: {$ref: '#/$defs/person'}\n",
		  "owner: li.wei\n", "owner: Li Wei\n", "schema.pattern", 2, 8, NULL);
}

static void ref_recursive_tree(void **state)
{
	(void)state;
	/* recursion through properties reads the document: allowed */
	fx_pass_fail("$defs:\n  node:\n    properties:\n      name: {type: string}\n"
		  "      kids: {items: {$ref: '#/$defs/node'}}\n"
		  "$ref: '#/$defs/node'\n",
		  "name: a\nkids:\n  - name: b\n    kids: [{name: c}]\n",
		  "name: a\nkids:\n  - name: b\n    kids: [{name: 3}]\n",
		  "schema.type", 5, 19, "kids[0].kids[0].name must be a string, not an integer");
}

static void false_schema(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  legacy: false\n", "id: a\n", "legacy: 1\n",
		  "schema.additionalProperties", 2, 1, NULL);
}

static void annotations_ignored(void **state)
{
	(void)state;
	fx_pass_fail("$schema: https://json-schema.org/draft/2020-12/schema\n$id: doc\n"
		  "$comment: c\ntitle: t\ndescription: d\n"
		  "properties:\n  x: {type: integer, default: 1, examples: [1, 2], title: x}\n",
		  "x: 1\n", "x: a\n", "schema.type", 2, 4, NULL);
}

static void all_failures_reported(void **state)
{
	dc_schema *s = fx_schema_ok("required: [id, title]\nadditionalProperties: false\n"
				  "properties:\n  id: {type: string}\n  title: {}\n");
	dc_diags d;

	(void)state;
	fx_validate(s, "id: 4\nfoo: 1\nbar: 2\n", &d);
	assert_int_equal(d.n, 4);
	assert_true(dc_diags_has(&d, "schema.required"));
	assert_true(dc_diags_has(&d, "schema.type"));
	assert_true(dc_diags_has(&d, "schema.additionalProperties"));
	assert_null(d.items[0].id); /* the id is not a string here */
	dc_diags_dispose(&d);
	fx_validate(s, "id: SP-1\nfoo: 1\n", &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.items[0].id, "SP-1");
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* ---- the schema's own errors ------------------------------------------- */

static void unknown_keyword(void **state)
{
	(void)state;
	fx_schema_invalid("properties:\n  id:\n    patern: '^SP'\n", 3, 5,
		"unknown schema keyword \"patern\"; see reference §4.9 for the keywords docctl supports");
	fx_schema_invalid("properties:\n  a: {$dynamicRef: '#node'}\n", 2, 7,
		"\"$dynamicRef\" is not supported: docctl reads no other schema and no vocabulary "
		"(dynamic references and $vocabulary are refused, reference §4.9); use $ref to a "
		"part of this file");
	fx_schema_invalid("$vocabulary: {}\n", 1, 1, NULL);
}

static void bad_values(void **state)
{
	(void)state;
	fx_schema_invalid("required: foo\n", 1, 11, NULL);
	fx_schema_invalid("properties:\n  t: {minLength: -1}\n", 2, 18,
		"\"minLength\" must be a non-negative integer, not -1");
	fx_schema_invalid("maxItems: 1.5\n", 1, 11, NULL);
	fx_schema_invalid("minimum: ten\n", 1, 10, NULL);
	fx_schema_invalid("uniqueItems: 1\n", 1, 14, NULL);
	fx_schema_invalid("enum: {a: 1}\n", 1, 7, NULL);
	fx_schema_invalid("oneOf: []\n", 1, 8, NULL);
	fx_schema_invalid("anyOf: {type: string}\n", 1, 8, NULL);
	fx_schema_invalid("properties: [a]\n", 1, 13, NULL);
	fx_schema_invalid("additionalProperties: 'no'\n", 1, 23, NULL);
	fx_schema_invalid("items: [{type: string}]\n", 1, 8, NULL);
	fx_schema_invalid("type: strng\n", 1, 7, NULL);
	fx_schema_invalid("properties:\n  a: 3\n", 2, 6, NULL);
	fx_schema_invalid("", 1, 1, NULL);
	fx_schema_invalid("required: [a, 1]\n", 1, 15, NULL);
}

static void bad_format(void **state)
{
	(void)state;
	fx_schema_invalid("properties:\n  mail: {format: email}\n", 2, 18,
		"format \"email\" is not supported; use date or duration (or a pattern)");
}

static void bad_pattern(void **state)
{
	dc_schema *s = (dc_schema *)1;
	dc_diags d;

	(void)state;
	dc_diags_init(&d);
	assert_int_equal(fx_schema_compile(&s, "pattern: '(abc'\n", &d), 1);
	fx_expect_one(&d, FX_SCHEMA_FILE, "schema.invalid", 1, 10, NULL);
	assert_non_null(strstr(d.items[0].message, "does not compile"));
	dc_diags_dispose(&d);
}

static void bad_refs(void **state)
{
	(void)state;
	fx_schema_invalid("$ref: 'other.yaml#/$defs/a'\n", 1, 7, NULL);
	fx_schema_invalid("$ref: '#/definitions/a'\n", 1, 7, NULL);
	fx_schema_invalid("$ref: '#/$defs/a/b'\n", 1, 7, NULL);
	fx_schema_invalid("$defs: {a: {}}\nproperties:\n  x: {$ref: '#/$defs/b'}\n", 3, 13,
		"$ref \"#/$defs/b\" names no definition; add it under $defs at the top of the schema");
}

static void ref_cycles(void **state)
{
	(void)state;
	fx_schema_invalid("$defs:\n  a: {$ref: '#/$defs/a'}\n$ref: '#/$defs/a'\n", 2, 13, NULL);
	fx_schema_invalid("$defs:\n  a:\n    anyOf:\n      - $ref: '#/$defs/b'\n"
		"  b:\n    not: {$ref: '#/$defs/a'}\n", 0, 0, NULL);
}

static void ref_cycle_message(void **state)
{
	dc_schema *s = (dc_schema *)1;
	dc_diags d;

	(void)state;
	dc_diags_init(&d);
	assert_int_equal(fx_schema_compile(&s, "$defs:\n  a: {allOf: [{$ref: '#/$defs/b'}]}\n"
				 "  b: {$ref: '#/$defs/a'}\n", &d), 1);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.items[0].rule->name, "schema.invalid");
	assert_non_null(strstr(d.items[0].message, "leads back to itself"));
	dc_diags_dispose(&d);
}

/* ---- limits ------------------------------------------------------------ */

static void catastrophic_pattern(void **state)
{
	dc_schema *s = fx_schema_ok("properties:\n  id:\n    pattern: '^(a+)+$'\n");
	struct timespec t0, t1;
	double secs;
	dc_diags d;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fx_validate(s, "id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n", &d);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 1.0);
	/* never a pass, never a plain mismatch: the schema is at fault */
	fx_expect_one(&d, FX_SCHEMA_FILE, "schema.invalid", 3, 14,
		   "pattern \"^(a+)+$\" hit the match limit on field id; simplify the pattern");
	assert_true(dc_diags_fatal(&d));
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void catastrophic_pattern_inside_not(void **state)
{
	dc_schema *s = fx_schema_ok("properties:\n  id:\n    not: {pattern: '^(a+)+$'}\n");
	dc_diags d;

	(void)state;
	/* a silent evaluation still reports the limit */
	fx_validate(s, "id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n", &d);
	assert_true(dc_diags_has(&d, "schema.invalid"));
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void exponential_schema(void **state)
{
	char text[4096];
	size_t len = 0;
	int i;
	dc_schema *s;
	dc_diags d;

	(void)state;
	/* d0 -> d1 twice -> d2 twice ...: 2^40 evaluations without a budget */
	len += (size_t)snprintf(text + len, sizeof(text) - len, "$ref: '#/$defs/d0'\n$defs:\n");
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"  d%d: {allOf: [{$ref: '#/$defs/d%d'}, {$ref: '#/$defs/d%d'}]}\n",
					i, i + 1, i + 1);
	snprintf(text + len, sizeof(text) - len, "  d40: {type: object}\n");
	s = fx_schema_ok(text);
	fx_validate(s, "a: 1\n", &d);
	assert_true(dc_diags_has(&d, "schema.invalid"));
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void deep_ref_chain(void **state)
{
	static char text[65536];
	size_t len = 0;
	int i;
	dc_schema *s;
	dc_diags d;

	(void)state;
	/* no cycle, but 1,200 same-value hops: the depth cap stops it */
	len += (size_t)snprintf(text + len, sizeof(text) - len, "$ref: '#/$defs/d0'\n$defs:\n");
	for (i = 0; i < 1200; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"  d%d: {$ref: '#/$defs/d%d'}\n", i, i + 1);
	snprintf(text + len, sizeof(text) - len, "  d1200: {type: object}\n");
	s = fx_schema_ok(text);
	fx_validate(s, "a: 1\n", &d);
	fx_expect_one(&d, FX_SCHEMA_FILE, "schema.invalid", 0, 0, NULL);
	assert_non_null(strstr(d.items[0].message, "evaluations deep"));
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

static void unique_items_large(void **state)
{
	static char doc[200000];
	size_t len;
	int i;
	dc_schema *s = fx_schema_ok("properties:\n  l: {uniqueItems: true}\n");
	dc_diags d;

	(void)state;
	/* 20,001 items, the last repeating one: no quadratic comparison */
	len = (size_t)snprintf(doc, sizeof(doc), "l:\n");
	for (i = 0; i < 20000; i++)
		len += (size_t)snprintf(doc + len, sizeof(doc) - len, "  - %d\n", i);
	snprintf(doc + len, sizeof(doc) - len, "  - 19999\n");
	fx_validate(s, doc, &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.uniqueItems", 20003, 5,
		   "l 19999 at l[20000] repeats l[19999]; remove the duplicate");
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* ---- root queries ------------------------------------------------------ */

static void root_queries(void **state)
{
	dc_schema *s;

	(void)state;
	s = fx_schema_ok("properties:\n  title: {}\n  id: {}\nadditionalProperties: false\n");
	assert_int_equal(dc_schema_root_extra(s), DC_SCHEMA_EXTRA_FORBIDDEN);
	assert_true(dc_schema_root_declares(s, "title"));
	assert_false(dc_schema_root_declares(s, "colour"));
	dc_schema_free(s);
	s = fx_schema_ok("additionalProperties: {type: string}\n");
	assert_int_equal(dc_schema_root_extra(s), DC_SCHEMA_EXTRA_ALLOWED);
	dc_schema_free(s);
	s = fx_schema_ok("additionalProperties: true\n");
	assert_int_equal(dc_schema_root_extra(s), DC_SCHEMA_EXTRA_ALLOWED);
	dc_schema_free(s);
	s = fx_schema_ok("properties:\n  approval:\n    properties: {by: {}}\n"
		       "    additionalProperties: false\n");
	assert_int_equal(dc_schema_root_extra(s), DC_SCHEMA_EXTRA_UNSPECIFIED);
	assert_false(dc_schema_root_declares(s, "by"));
	dc_schema_free(s);
	dc_schema_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(type_single),
		cmocka_unit_test(type_list),
		cmocka_unit_test(type_numbers),
		cmocka_unit_test(type_root),
		cmocka_unit_test(properties_nested),
		cmocka_unit_test(required_top),
		cmocka_unit_test(required_nested),
		cmocka_unit_test(additional_false),
		cmocka_unit_test(additional_schema),
		cmocka_unit_test(enum_status),
		cmocka_unit_test(const_value),
		cmocka_unit_test(pattern_match),
		cmocka_unit_test(pattern_dollar_end_only),
		cmocka_unit_test(pattern_utf8),
		cmocka_unit_test(min_length),
		cmocka_unit_test(max_length_code_points),
		cmocka_unit_test(minimum),
		cmocka_unit_test(maximum),
		cmocka_unit_test(items_path),
		cmocka_unit_test(min_items),
		cmocka_unit_test(max_items),
		cmocka_unit_test(unique_items),
		cmocka_unit_test(format_date),
		cmocka_unit_test(format_duration),
		cmocka_unit_test(all_of_inner),
		cmocka_unit_test(any_of_no_leak),
		cmocka_unit_test(one_of),
		cmocka_unit_test(not_keyword),
		cmocka_unit_test(if_then_else),
		cmocka_unit_test(ref_defs),
		cmocka_unit_test(ref_recursive_tree),
		cmocka_unit_test(false_schema),
		cmocka_unit_test(annotations_ignored),
		cmocka_unit_test(all_failures_reported),
		cmocka_unit_test(unknown_keyword),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(bad_format),
		cmocka_unit_test(bad_pattern),
		cmocka_unit_test(bad_refs),
		cmocka_unit_test(ref_cycles),
		cmocka_unit_test(ref_cycle_message),
		cmocka_unit_test(catastrophic_pattern),
		cmocka_unit_test(catastrophic_pattern_inside_not),
		cmocka_unit_test(exponential_schema),
		cmocka_unit_test(deep_ref_chain),
		cmocka_unit_test(unique_items_large),
		cmocka_unit_test(root_queries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
