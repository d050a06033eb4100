/*
 * test_schema_2020.c - what edition 2 of reference §4.9 adds to schemas,
 * each case written from the text of JSON Schema draft 2020-12 (core and
 * validation): numbers compared by value in enum, const and uniqueItems;
 * $ref to any local JSON pointer (percent-encoding and ~0/~1 decoded) or
 * $anchor; an empty enum; exclusiveMinimum, exclusiveMaximum, multipleOf,
 * minProperties, maxProperties, patternProperties, propertyNames,
 * dependentRequired, dependentSchemas, prefixItems, contains, minContains,
 * maxContains, unevaluatedProperties and unevaluatedItems with the
 * annotations they read; and what stays refused (remote $ref, $dynamicRef,
 * $vocabulary).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "schema.h"
#include "yaml_load.h"

#include "fixture.h"

/* The number of findings of `doc` against `s`. */
static size_t count(const dc_schema *s, const char *doc)
{
	dc_diags d;
	size_t n;

	fx_validate(s, doc, &d);
	n = d.n;
	dc_diags_dispose(&d);
	return n;
}

static void passes(const char *schema, const char *doc)
{
	dc_schema *s = fx_schema_ok(schema);
	dc_diags d;

	fx_validate(s, doc, &d);
	if (d.n)
		fx_dump(&d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* `schema` fails `doc` with exactly one finding of `rule`. */
static void fails(const char *schema, const char *doc, const char *rule, unsigned line,
		  unsigned col, const char *message)
{
	dc_schema *s = fx_schema_ok(schema);
	dc_diags d;

	fx_validate(s, doc, &d);
	fx_expect_one(&d, FX_DOC_FILE, rule, line, col, message);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* ---- numbers compare by value ------------------------------------------ */

/* Validation §6.1.2/§6.1.3 and core §4.2.2: "Two JSON instances are said
 * to be equal if and only if they are of the same type and have the same
 * value according to the data model"; numbers are equal when "they are
 * mathematically equal". */
static void enum_const_numbers_by_value(void **state)
{
	(void)state;
	passes("properties:\n  n: {enum: [1]}\n", "n: 1.0\n");
	passes("properties:\n  n: {enum: [1.0]}\n", "n: 1\n");
	passes("properties:\n  n: {const: -2}\n", "n: -2.0\n");
	passes("properties:\n  n: {const: 9007199254740992}\n", "n: 9007199254740992.0\n");
	passes("properties:\n  n: {const: 0}\n", "n: -0.0\n");
	passes("properties:\n  n: {const: {a: 1, b: [2]}}\n", "n: {b: [2.0], a: 1.0}\n");
	fails("properties:\n  n: {const: 1}\n", "n: 1.5\n", "schema.const", 2, 4,
	      "n must be 1, not 1.5");
	fails("properties:\n  n: {enum: [1]}\n", "n: '1'\n", "schema.enum", 2, 4, NULL);
	fails("properties:\n  n: {enum: [1]}\n", "n: true\n", "schema.enum", 2, 4, NULL);
	fails("properties:\n  n: {const: 9007199254740992}\n", "n: 9007199254740993\n",
	      "schema.const", 2, 4, NULL);
}

/* Validation §6.4.3: uniqueItems "if this keyword has boolean value true,
 * the instance validates successfully if all of its elements are unique" -
 * by the same equality, so [1, 1.0] is not unique. */
static void unique_items_by_value(void **state)
{
	dc_schema *s = fx_schema_ok("properties:\n  l: {uniqueItems: true}\n");
	dc_buf doc = DC_BUF_INIT;
	dc_diags d;
	int i;

	(void)state;
	fx_validate(s, "l: [1, 1.0]\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.uniqueItems", 2, 8,
		   "l 1.0 at l[1] repeats l[0]; remove the duplicate");
	dc_diags_dispose(&d);
	fx_validate(s, "l: [{a: 0}, {a: -0.0}]\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.uniqueItems", 2, 13, NULL);
	dc_diags_dispose(&d);
	assert_int_equal(count(s, "l: [1, '1', true, 1.5, [1], {a: 1}]\n"), 0);
	/* the hash agrees with the equality: far apart, among many */
	assert_int_equal(dc_buf_puts(&doc, "l: [5.0"), 0);
	for (i = 100; i < 400; i++)
		assert_int_equal(dc_buf_printf(&doc, ", %d", i), 0);
	assert_int_equal(dc_buf_puts(&doc, ", 5]\n"), 0);
	fx_validate(s, doc.ptr, &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.uniqueItems", 2, 0,
		   "l 5 at l[301] repeats l[0]; remove the duplicate");
	dc_diags_dispose(&d);
	dc_buf_dispose(&doc);
	dc_schema_free(s);
}

/* Validation §6.1.2: the enum array "SHOULD have at least one element"; an
 * empty one is allowed, and no value is in it. */
static void enum_empty(void **state)
{
	(void)state;
	fails("properties:\n  status: {enum: []}\n", "status: draft\n", "schema.enum", 2, 9,
	      "status \"draft\" is not allowed: the schema's enum lists no values, so nothing "
	      "matches it");
	passes("properties:\n  status: {enum: []}\n", "title: x\n");
}

/* ---- $ref, $anchor ------------------------------------------------------ */

/* Core §8.2.3.1: $ref is a URI-reference resolved against the base URI;
 * a fragment is a JSON pointer (RFC 6901: ~1 is "/", ~0 is "~") after
 * percent-decoding (RFC 3986), or a plain name ($anchor, §8.2.2). */
static void ref_percent_encoded(void **state)
{
	(void)state;
	fails("$defs:\n  'percent%field': {type: integer}\n"
	      "properties:\n  n: {$ref: '#/$defs/percent%25field'}\n",
	      "n: x\n", "schema.type", 2, 4, "n must be an integer, not a string");
	fails("$defs:\n  'foo\"bar': {type: integer}\n"
	      "properties:\n  n: {$ref: '#/$defs/foo%22bar'}\n",
	      "n: x\n", "schema.type", 2, 4, NULL);
	fails("$defs:\n  'slash/field': {type: integer}\n  'tilde~field': {type: string}\n"
	      "properties:\n  n: {$ref: '#/$defs/slash~1field'}\n  t: {$ref: '#/$defs/tilde~0field'}\n",
	      "n: 1\nt: 2\n", "schema.type", 3, 4, "t must be a string, not an integer");
	fx_schema_invalid("properties:\n  n: {$ref: '#/$defs/a%zz'}\n", 2, 13, NULL);
	fx_schema_invalid("properties:\n  n: {$ref: '#/$defs/a~2'}\n", 2, 13, NULL);
}

static void ref_any_pointer(void **state)
{
	(void)state;
	/* to the root: a recursive structure */
	fails("properties:\n  name: {type: string}\n  child: {$ref: '#'}\n",
	      "name: a\nchild:\n  name: b\n  child:\n    name: 3\n", "schema.type", 6, 11,
	      "child.child.name must be a string, not an integer");
	/* to a property's schema, to an item of a list */
	fails("properties:\n  a: {type: integer}\n  b: {$ref: '#/properties/a'}\n",
	      "a: 1\nb: x\n", "schema.type", 3, 4, NULL);
	fails("prefixItems: [{type: string}, {$ref: '#/prefixItems/0'}]\n",
	      "- a\n- 3\n", "schema.type", 3, 3, NULL);
	fx_schema_invalid("properties:\n  a: {$ref: '#/properties/b'}\n", 2, 13, NULL);
	fx_schema_invalid("required: [a]\nproperties:\n  b: {$ref: '#/required/0'}\n", 3, 13,
		"$ref \"#/required/0\" points at a part of the schema file that is not a schema");
}

/* Core §8.2.2: "$anchor" ... plain name fragment; [A-Za-z_][-A-Za-z0-9._]* */
static void ref_anchor(void **state)
{
	(void)state;
	fails("$defs:\n  code: {$anchor: code, pattern: '^[A-Z]+$'}\n"
	      "properties:\n  c: {$ref: '#code'}\n", "c: abc\n", "schema.pattern", 2, 4, NULL);
	passes("$defs:\n  code: {$anchor: code, pattern: '^[A-Z]+$'}\n"
	       "properties:\n  c: {$ref: '#code'}\n", "c: ABC\n");
	fx_schema_invalid("properties:\n  c: {$ref: '#nowhere'}\n", 2, 13, NULL);
	fx_schema_invalid("$anchor: '1abc'\n", 1, 10, NULL);
	/* an $id starts a resource of its own: "#..." inside it means it */
	fails("$defs:\n  x: {type: integer}\n"
	      "properties:\n  inner:\n    $id: 'https://example.com/inner'\n"
	      "    $defs:\n      x: {type: string}\n    properties:\n      v: {$ref: '#/$defs/x'}\n",
	      "inner:\n  v: 3\n", "schema.type", 3, 6, "inner.v must be a string, not an integer");
}

/* reference §4.9: remote $ref, $dynamicRef and $vocabulary are refused */
static void refused(void **state)
{
	(void)state;
	fx_schema_invalid("$ref: 'https://example.com/other.json'\n", 1, 7,
		"$ref \"https://example.com/other.json\" is not supported: docctl reads no other "
		"schema (remote or relative references are refused); refer to a part of this file, "
		"such as \"#/$defs/NAME\", \"#/properties/NAME\" or an $anchor written \"#NAME\"");
	fx_schema_invalid("$ref: 'other.yaml#/$defs/a'\n", 1, 7, NULL);
	fx_schema_invalid("$dynamicAnchor: node\n", 1, 1, NULL);
	fx_schema_invalid("$defs:\n  a: {$dynamicRef: '#node'}\n", 2, 7, NULL);
	fx_schema_invalid("$vocabulary: {'https://json-schema.org/draft/2020-12/vocab/core': true}\n", 1, 1,
		NULL);
	fx_schema_invalid("properties:\n  a: {contentMediaType: text/plain}\n", 2, 7, NULL);
}

/* ---- numbers -------------------------------------------------------------- */

/* Validation §6.2.3/§6.2.5: exclusiveMaximum: valid "if it has a value
 * strictly less than (not equal to)"; exclusiveMinimum: "strictly greater". */
static void exclusive_bounds(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  n: {exclusiveMinimum: 1}\n", "n: 1.0001\n", "n: 1.0\n",
		  "schema.exclusiveMinimum", 2, 4,
		  "n 1.0 must be greater than 1 (exclusiveMinimum)");
	fx_pass_fail("properties:\n  n: {exclusiveMaximum: 3.0}\n", "n: 2\n", "n: 3\n",
		  "schema.exclusiveMaximum", 2, 4, "n 3 must be less than 3.0 (exclusiveMaximum)");
	fx_schema_invalid("exclusiveMinimum: true\n", 1, 19, NULL);
}

/* Validation §6.2.1: "strictly greater than 0"; valid "if and only if
 * division by this keyword's value results in an integer". */
static void multiple_of(void **state)
{
	(void)state;
	fx_pass_fail("properties:\n  n: {multipleOf: 2}\n", "n: 10\n", "n: 7\n", "schema.multipleOf",
		  2, 4, "n 7 is not a multiple of 2");
	fx_pass_fail("properties:\n  n: {multipleOf: 0.0001}\n", "n: 0.0075\n", "n: 0.00751\n",
		  "schema.multipleOf", 2, 4, NULL);
	fx_pass_fail("properties:\n  n: {multipleOf: 1.5}\n", "n: 4.5\n", "n: 35\n",
		  "schema.multipleOf", 2, 4, NULL);
	fails("properties:\n  n: {multipleOf: 0.123456789}\n", "n: 1.0e+308\n",
	      "schema.multipleOf", 2, 4, NULL);
	fx_schema_invalid("multipleOf: 0\n", 1, 13, NULL);
	fx_schema_invalid("multipleOf: -2\n", 1, 13, NULL);
}

/* ---- objects ---------------------------------------------------------------- */

/* Validation §6.5.1/§6.5.2: maxProperties / minProperties count fields. */
static void min_max_properties(void **state)
{
	(void)state;
	fx_pass_fail("minProperties: 2\n", "a: 1\nb: 2\n", "a: 1\n", "schema.minProperties", 1, 1,
		  "the front-matter has 1 field; it must have at least 2");
	fx_pass_fail("properties:\n  o: {maxProperties: 1}\n", "o: {a: 1}\n", "o: {a: 1, b: 2}\n",
		  "schema.maxProperties", 2, 4, "o has 2 fields; it must have at most 1");
}

/* Core §10.3.2.2: each property name that a regular expression matches
 * validates against its schema; §10.3.2.3: additionalProperties applies to
 * names neither properties nor patternProperties match. */
static void pattern_properties(void **state)
{
	const char *schema = "properties:\n  id: {type: string}\n"
			     "patternProperties:\n  '^x-': {type: string}\n  '^n_': {type: integer}\n"
			     "  '^secret': false\n"
			     "additionalProperties: false\n";
	dc_schema *s = fx_schema_ok(schema);
	dc_diags d;

	(void)state;
	assert_int_equal(count(s, "id: a\nx-colour: red\nn_pages: 3\n"), 0);
	fx_validate(s, "id: a\nx-colour: 3\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.type", 3, 11, "x-colour must be a string, not an integer");
	dc_diags_dispose(&d);
	fx_validate(s, "id: a\nsecret_key: x\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.patternProperties", 3, 1, NULL);
	dc_diags_dispose(&d);
	fx_validate(s, "id: a\ncolour: red\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.additionalProperties", 3, 1, NULL);
	dc_diags_dispose(&d);
	/* the root queries that decide docctl's own unknown-field check */
	assert_true(dc_schema_root_declares(s, "x-anything"));
	assert_false(dc_schema_root_declares(s, "colour"));
	dc_schema_free(s);
	fx_schema_invalid("patternProperties:\n  '(x': {}\n", 2, 3, NULL);
}

/* Core §10.3.2.4: "If the instance is an object, this keyword validates if
 * every property name in the instance validates against the provided
 * schema." */
static void property_names(void **state)
{
	(void)state;
	fx_pass_fail("propertyNames: {pattern: '^[a-z_]+$'}\n", "owner: a\n", "title: a\nOwner: b\n",
		  "schema.propertyNames", 3, 1, "field name \"Owner\" is not allowed by the schema's "
		  "propertyNames (at schema/document.schema.yaml:1); rename the field");
	fx_pass_fail("properties:\n  o:\n    propertyNames: {maxLength: 3}\n", "o: {abc: 1}\n",
		  "o:\n  abcd: 1\n", "schema.propertyNames", 3, 3, NULL);
}

/* Validation §6.5.4: "if the instance has a property named by a key,
 * every item of its array must also be a property". */
static void dependent_required(void **state)
{
	(void)state;
	fx_pass_fail("dependentRequired:\n  approved_on: [approved_by]\n",
		  "approved_on: '2026-01-02'\napproved_by: li.wei\n", "title: x\napproved_on: '2026-01-02'\n",
		  "schema.dependentRequired", 3, 1, "missing field \"approved_by\", which the schema "
		  "requires when \"approved_on\" is present; add it or remove \"approved_on\"");
	passes("dependentRequired:\n  approved_on: [approved_by]\n", "approved_by: li.wei\n");
}

/* Core §10.2.2.4: "if the property is present, the entire instance must
 * validate against the subschema"; the finding names the inner keyword. */
static void dependent_schemas(void **state)
{
	(void)state;
	fx_pass_fail("dependentSchemas:\n  effective:\n    required: [approved_on]\n",
		  "effective: '2026-01-02'\napproved_on: '2026-01-01'\n", "effective: '2026-01-02'\n",
		  "schema.required", 1, 1, "missing required field \"approved_on\"");
	passes("dependentSchemas:\n  effective: false\n", "title: x\n");
}

/* ---- arrays ------------------------------------------------------------------ */

/* Core §10.3.1.1/§10.3.1.2: prefixItems validates the items at the same
 * position; items applies to the ones after them. */
static void prefix_items(void **state)
{
	const char *schema = "properties:\n  l:\n    prefixItems: [{type: string}, {type: integer}]\n"
			     "    items: {type: boolean}\n";
	dc_schema *s = fx_schema_ok(schema);
	dc_diags d;

	(void)state;
	assert_int_equal(count(s, "l: [a, 1, true, false]\n"), 0);
	assert_int_equal(count(s, "l: [a]\n"), 0);
	fx_validate(s, "l: [a, 1, 2]\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.type", 2, 11, "l[2] must be a boolean, not an integer");
	dc_diags_dispose(&d);
	fx_validate(s, "l: [1, 1]\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.type", 2, 5, NULL);
	dc_diags_dispose(&d);
	dc_schema_free(s);
	fails("prefixItems: [true]\nitems: false\n", "- a\n- b\n", "schema.not", 3, 3, NULL);
}

/* Core §10.3.1.3 and validation §6.4.4/§6.4.5: contains needs at least
 * minContains (default 1) and at most maxContains matching items;
 * minContains 0 makes contains always pass. */
static void contains(void **state)
{
	const char *schema = "properties:\n  refs:\n    contains: {pattern: '^SP-'}\n";

	(void)state;
	fx_pass_fail(schema, "refs: [FM-001, SP-004]\n", "refs: [FM-001]\n", "schema.contains", 2, 7,
		  "refs has no item that matches the schema's contains "
		  "(at schema/document.schema.yaml:3); add one");
	fx_pass_fail("properties:\n  refs:\n    contains: {pattern: '^SP-'}\n    minContains: 2\n",
		  "refs: [SP-1, SP-2]\n", "refs: [SP-1, FM-1]\n", "schema.minContains", 2, 7,
		  "refs has 1 item that matches the schema's contains "
		  "(at schema/document.schema.yaml:3); it must have at least 2");
	fx_pass_fail("properties:\n  refs:\n    contains: {pattern: '^SP-'}\n    maxContains: 1\n",
		  "refs: [SP-1, FM-1]\n", "refs: [SP-1, SP-2]\n", "schema.maxContains", 2, 7,
		  "refs has 2 items that match the schema's contains "
		  "(at schema/document.schema.yaml:3); it must have at most 1");
	passes("properties:\n  refs:\n    contains: {pattern: '^SP-'}\n    minContains: 0\n",
	       "refs: []\n");
	passes("properties:\n  refs:\n    maxContains: 0\n", "refs: [a]\n");
}

/* ---- unevaluated* ------------------------------------------------------------ */

/* Core §11.3: unevaluatedProperties applies to the properties that no
 * adjacent keyword and no subschema applied in place (allOf, anyOf, oneOf,
 * if/then/else, dependentSchemas, $ref) evaluated; subschemas that failed
 * (an anyOf alternative, an `if` that did not hold) and `not` contribute
 * nothing. */
static void unevaluated_properties(void **state)
{
	const char *schema = "allOf:\n  - properties:\n      id: {type: string}\n"
			     "anyOf:\n  - properties: {a: {type: integer}}\n"
			     "  - properties: {b: {type: integer}}\n"
			     "if: {required: [kind], properties: {kind: {const: form}}}\n"
			     "then: {properties: {copies: {type: integer}}}\n"
			     "not: {properties: {n: {type: integer}}, required: [m]}\n"
			     "unevaluatedProperties: false\n";
	dc_schema *s = fx_schema_ok(schema);
	dc_diags d;

	(void)state;
	assert_int_equal(count(s, "id: x\na: 1\nb: 2\n"), 0);
	assert_int_equal(count(s, "id: x\nkind: form\ncopies: 3\n"), 0);
	/* the alternative for b failed: b is not evaluated */
	fx_validate(s, "id: x\na: 1\nb: two\n", &d);
	fx_expect_one(&d, FX_DOC_FILE, "schema.unevaluatedProperties", 4, 1,
		   "field \"b\" is not allowed by the schema: nothing in it declares the field "
		   "(unevaluatedProperties at schema/document.schema.yaml:10); remove it or "
		   "declare it in schema/document.schema.yaml");
	dc_diags_dispose(&d);
	/* `if` did not hold: `kind` and copies are not evaluated */
	assert_int_equal(count(s, "id: x\nkind: letter\ncopies: 3\n"), 2);
	/* `not` evaluates nothing */
	assert_int_equal(count(s, "id: x\nn: 3\n"), 1);
	assert_int_equal(dc_schema_root_extra(s), DC_SCHEMA_EXTRA_FORBIDDEN);
	dc_schema_free(s);
	/* a schema for the rest, reported as its inner keyword */
	fails("properties: {id: true}\nunevaluatedProperties: {type: string}\n",
	      "id: 1\nnote: 2\n", "schema.type", 3, 7, "note must be a string, not an integer");
	/* $ref and dependentSchemas evaluate in place */
	passes("$defs:\n  base: {properties: {id: true}}\n$ref: '#/$defs/base'\n"
	       "dependentSchemas: {id: {properties: {extra: true}}}\n"
	       "unevaluatedProperties: false\n", "id: 1\nextra: 2\n");
	/* a nested unevaluatedProperties sees its own subschemas only */
	fails("properties: {id: true}\nallOf:\n  - unevaluatedProperties: false\n",
	      "id: 1\n", "schema.unevaluatedProperties", 2, 1, NULL);
}

/* Core §11.2: unevaluatedItems applies to the items no prefixItems, items
 * or contains (of this schema or its in-place subschemas that passed)
 * evaluated. */
static void unevaluated_items(void **state)
{
	const char *schema = "properties:\n  l:\n    allOf: [{prefixItems: [{type: string}]}]\n"
			     "    contains: {type: integer}\n    minContains: 0\n"
			     "    unevaluatedItems: false\n";

	(void)state;
	passes(schema, "l: [a, 1, 2]\n");
	fails(schema, "l: [a, 1, true]\n", "schema.unevaluatedItems", 2, 11,
	      "l[2] is not allowed by the schema: nothing in it covers this item "
	      "(unevaluatedItems at schema/document.schema.yaml:6); remove it");
	passes("items: true\nunevaluatedItems: false\n", "- 1\n- 2\n");
}

/* reference §4.9: the match limit applies to the names patternProperties
 * and propertyNames match as to values: a catastrophic pattern is
 * schema.invalid at the pattern, never a pass; a name YAML reads as a number
 * is matched as the string it is written as. */
static void pattern_limits_on_names(void **state)
{
	dc_diags d;
	dc_schema *s = fx_schema_ok("patternProperties:\n  '^(a+)+$': false\n");

	(void)state;
	fx_validate(s, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!: 1\n", &d);
	fx_expect_one(&d, FX_SCHEMA_FILE, "schema.invalid", 2, 3, NULL);
	assert_non_null(strstr(d.items[0].message, "hit the match limit"));
	dc_diags_dispose(&d);
	dc_schema_free(s);
	s = fx_schema_ok("propertyNames: {pattern: '^[a-z]+$'}\n");
	fx_validate(s, "ok: 1\n12: 2\n13: 3\nfine: 4\n", &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.items[0].rule->name, "schema.propertyNames");
	assert_int_equal(d.items[0].line, 3);
	assert_int_equal(d.items[1].line, 4);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* ---- patterns ------------------------------------------------------------------ */

/* reference §4.9: PCRE2, not ECMA-262: \p{L}, not \p{Letter}; the
 * finding says what to type instead. */
static void pattern_dialect(void **state)
{
	dc_schema *s = (dc_schema *)1;
	dc_diags d;

	(void)state;
	passes("properties:\n  t: {pattern: '^\\p{L}+$'}\n", "t: 文件控制\n");
	dc_diags_init(&d);
	assert_int_equal(fx_schema_compile(&s, "pattern: '^\\p{Letter}+$'\n", &d), 1);
	fx_expect_one(&d, FX_SCHEMA_FILE, "schema.invalid", 1, 10, NULL);
	assert_non_null(strstr(d.items[0].message, "write \\p{L} for \\p{Letter}"));
	dc_diags_dispose(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enum_const_numbers_by_value),
		cmocka_unit_test(unique_items_by_value),
		cmocka_unit_test(enum_empty),
		cmocka_unit_test(ref_percent_encoded),
		cmocka_unit_test(ref_any_pointer),
		cmocka_unit_test(ref_anchor),
		cmocka_unit_test(refused),
		cmocka_unit_test(exclusive_bounds),
		cmocka_unit_test(multiple_of),
		cmocka_unit_test(min_max_properties),
		cmocka_unit_test(pattern_properties),
		cmocka_unit_test(property_names),
		cmocka_unit_test(dependent_required),
		cmocka_unit_test(dependent_schemas),
		cmocka_unit_test(prefix_items),
		cmocka_unit_test(contains),
		cmocka_unit_test(unevaluated_properties),
		cmocka_unit_test(unevaluated_items),
		cmocka_unit_test(pattern_limits_on_names),
		cmocka_unit_test(pattern_dialect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
