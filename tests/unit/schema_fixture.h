/*
 * schema_fixture.h - what the schema unit tests (test_schema.c,
 * test_schema_2020.c) share: loading YAML written in the test, compiling a
 * schema, validating a document whose front-matter starts on line 2, and
 * asserting exactly one finding. Include after <cmocka.h>.
 */
#ifndef DC_SCHEMA_FIXTURE_H
#define DC_SCHEMA_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "fixture.h"
#include "schema.h"
#include "yaml_load.h"

#define SCHEMA_FILE "schema/document.schema.yaml"
#define DOC_FILE "docs/SP-004.md"

static inline dc_node *load(dc_arena *a, const char *text, const char *file, unsigned line,
		     unsigned max_depth)
{
	dc_yaml_where where = { file, line, 0, max_depth };
	dc_diags d;
	dc_node *n = NULL;

	dc_diags_init(&d);
	assert_int_equal(dc_yaml_load(&n, a, text, strlen(text), &where, &d), 0);
	if (!n)
		fail_msg("cannot load YAML: %s", d.n ? d.items[0].message : "?");
	dc_diags_dispose(&d);
	return n;
}

/* Compiles `text`; returns dc_schema_compile's result, findings in `d`. */
static inline int compile(dc_schema **s, const char *text, dc_diags *d)
{
	dc_arena a = DC_ARENA_INIT;
	int r;

	/* the node tree dies before the compiled schema is used */
	r = dc_schema_compile(s, load(&a, text, SCHEMA_FILE, 1, 64), SCHEMA_FILE, d);
	dc_arena_dispose(&a);
	return r;
}

static inline dc_schema *compile_ok(const char *text)
{
	dc_schema *s = NULL;
	dc_diags d;

	dc_diags_init(&d);
	if (compile(&s, text, &d) != 0)
		fail_msg("schema did not compile: %s", d.n ? d.items[0].message : "?");
	assert_non_null(s);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	return s;
}

/* Validates the document `doc` (front-matter starting on line 2). */
static inline void validate(const dc_schema *s, const char *doc, dc_diags *d)
{
	dc_arena a = DC_ARENA_INIT;
	dc_mark open = { 1, 1, 0 };

	dc_diags_init(d);
	assert_int_equal(dc_schema_validate(s, load(&a, doc, DOC_FILE, 2, 16), DOC_FILE, &open, d), 0);
	dc_arena_dispose(&a);
}

/* Exactly one finding, with this rule, place and message (a line, column or
 * message of 0 / NULL is not checked). */
static inline void expect_one(const dc_diags *d, const char *file, const char *rule, unsigned line,
		       unsigned col, const char *message)
{
	if (d->n != 1)
		fx_dump(d);
	assert_int_equal(d->n, 1);
	assert_string_equal(d->items[0].rule->name, rule);
	assert_string_equal(d->items[0].file, file);
	if (line)
		assert_int_equal(d->items[0].line, line);
	if (col)
		assert_int_equal(d->items[0].col, col);
	if (message)
		assert_string_equal(d->items[0].message, message);
}

/* `schema` passes `good` and fails `bad` with exactly one finding. */
static inline void pass_fail(const char *schema, const char *good, const char *bad, const char *rule,
		      unsigned line, unsigned col, const char *message)
{
	dc_schema *s = compile_ok(schema);
	dc_diags d;

	validate(s, good, &d);
	if (d.n)
		fx_dump(&d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	validate(s, bad, &d);
	expect_one(&d, DOC_FILE, rule, line, col, message);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* `schema` does not compile: one schema.invalid at line:col. */
static inline void invalid(const char *schema, unsigned line, unsigned col, const char *message)
{
	dc_schema *s = (dc_schema *)1;
	dc_diags d;

	dc_diags_init(&d);
	assert_int_equal(compile(&s, schema, &d), 1);
	assert_null(s);
	expect_one(&d, SCHEMA_FILE, "schema.invalid", line, col, message);
	assert_true(dc_diags_fatal(&d));
	dc_diags_dispose(&d);
}

#endif
