/*
 * fixture.h - what several unit tests share: documents parsed from text
 * (test_vouch.c, test_transition.c, test_content.c), a policy loaded from
 * YAML written in the test (test_policy.c, test_transition.c,
 * test_vouch.c), made-up blob ids, and printing findings when an assertion
 * is about to fail (schema_fixture.h). Include after <cmocka.h>.
 */
#ifndef DC_FIXTURE_H
#define DC_FIXTURE_H

#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "document.h"
#include "policy.h"
#include "yaml_load.h"

/* Prints every finding (file:line:col: message [rule]) with print_message. */
static inline void fx_dump(const dc_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		print_message("  %s:%u:%u: %s [%s]\n", d->items[i].file, d->items[i].line, d->items[i].col,
			      d->items[i].message, d->items[i].rule->name);
}

/* Parses `text` as the document at `path` into `d` (dc_doc_init first),
 * whatever its findings: d->root is NULL when the front-matter does not
 * parse. Free with fx_doc_dispose. */
static inline void fx_doc_parse_any(dc_doc *d, const char *path, const char *text, dc_diags *diags)
{
	dc_doc_init(d);
	assert_int_equal(dc_doc_parse(d, path, text, strlen(text), 0, diags), 0);
}

/* The same, for a document whose front-matter must parse. */
static inline void fx_doc_parse(dc_doc *d, const char *path, const char *text)
{
	dc_diags diags;

	dc_diags_init(&diags);
	fx_doc_parse_any(d, path, text, &diags);
	if (!d->root) {
		fx_dump(&diags);
		fail_msg("the front-matter of %s did not parse", path);
	}
	dc_diags_dispose(&diags);
}

static inline void fx_doc_dispose(dc_doc *d)
{
	dc_doc_dispose(d);
	dc_arena_dispose(&d->arena);
}

/* A handful of parsed documents that live as long as one test. */
typedef struct {
	dc_doc d[16];
	size_t n;
} fx_docs;

/* Parses one more document of the set (fx_doc_parse); never NULL. */
static inline const dc_doc *fx_docs_parse(fx_docs *s, const char *path, const char *text)
{
	dc_doc *d;

	assert_true(s->n < sizeof(s->d) / sizeof(s->d[0]));
	d = &s->d[s->n++];
	fx_doc_parse(d, path, text);
	return d;
}

static inline void fx_docs_dispose(fx_docs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		fx_doc_dispose(&s->d[i]);
	s->n = 0;
}

/* A made-up blob or commit id: n in decimal, padded with zeros. */
static inline git_oid fx_oid(int n)
{
	git_oid o;
	char hex[41];

	snprintf(hex, sizeof(hex), "%040d", n);
	assert_int_equal(git_oid_fromstr(&o, hex), 0);
	return o;
}

/* Loads `text` as docctl.yaml: dc_policy_load's result, findings in `d`.
 * The YAML tree is gone when this returns (its memory is scribbled over
 * by the arena's free), so the policy must own its strings. */
static inline int fx_policy_load(dc_policy **out, const char *text, dc_diags *d)
{
	dc_yaml_where w = { "docctl.yaml", 1, 0, 32 };
	dc_arena arena = DC_ARENA_INIT;
	dc_node *root = NULL;
	int rc;

	*out = NULL;
	assert_int_equal(dc_yaml_load(&root, &arena, text, strlen(text), &w, d), 0);
	if (!root) {
		dc_arena_dispose(&arena);
		fail_msg("YAML did not load: %s", d->n ? d->items[0].message : "?");
	}
	rc = dc_policy_load(out, root, "docctl.yaml", d);
	dc_arena_dispose(&arena);
	return rc;
}

/* Loads a policy that must load without a finding. */
static inline dc_policy *fx_policy_ok(const char *text)
{
	dc_policy *p;
	dc_diags d;
	int rc;

	dc_diags_init(&d);
	rc = fx_policy_load(&p, text, &d);
	if (d.n)
		fx_dump(&d);
	assert_int_equal(rc, 0);
	assert_non_null(p);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	return p;
}

#endif
