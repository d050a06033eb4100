/*
 * fixture.h - what several unit tests share, in one place (each test uses
 * what it needs; every name starts with fx_):
 * - findings printed when an assertion is about to fail, and one list of
 *   findings emptied around each test (fx_diags; test_frontmatter,
 *   test_policy, test_training);
 * - documents parsed from text (test_vouch, test_transition, test_content);
 * - a policy loaded from YAML written in the test (test_policy,
 *   test_transition, test_vouch) and made-up blob ids;
 * - a scratch repository, removed with its folder after the tests
 *   (test_node_codec, test_snapshot, test_touched);
 * - a shell script that makes real keys and signatures in a scratch folder,
 *   and reading back what it wrote (test_signature, test_sshsig);
 * - compiling a schema, validating a document whose front-matter starts on
 *   line 2, and asserting exactly one finding (test_schema,
 *   test_schema_2020).
 * Include after <cmocka.h>.
 */
#ifndef DC_FIXTURE_H
#define DC_FIXTURE_H

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "document.h"
#include "policy.h"
#include "schema.h"
#include "yaml_load.h"

/* Prints every finding (file:line:col: message [rule]) with print_message. */
static inline void fx_dump(const dc_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		print_message("  %s:%u:%u: %s [%s]\n", d->items[i].file, d->items[i].line, d->items[i].col,
			      d->items[i].message, d->items[i].rule->name);
}

/* The findings a test collects: emptied before each test and freed after
 * it when the test runs with fx_diags_setup and fx_diags_teardown. */
static dc_diags fx_diags __attribute__((unused));

static inline int fx_diags_setup(void **state)
{
	(void)state;
	dc_diags_init(&fx_diags);
	return 0;
}

static inline int fx_diags_teardown(void **state)
{
	(void)state;
	dc_diags_dispose(&fx_diags);
	return 0;
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

/* --- a scratch repository --- */

/* Starts libgit2 and makes the folder `dir` (a mkdtemp template, changed
 * in place); with `repo` not NULL, a bare repository in it. 0, or -1. */
static inline int fx_scratch_open(char *dir, git_repository **repo)
{
	git_libgit2_init();
	if (!mkdtemp(dir))
		return -1;
	return repo && git_repository_init(repo, dir, 1) < 0 ? -1 : 0;
}

/* Frees `repo` (may be NULL), removes `dir` and stops libgit2. 0, or -1. */
static inline int fx_scratch_close(git_repository *repo, const char *dir)
{
	char cmd[PATH_MAX + 16];

	git_repository_free(repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return -1;
	git_libgit2_shutdown();
	return 0;
}

/* --- scripts: real keys and signatures --- */

/* Runs `script` with sh in `root` (as $ROOT), its output in root/script.log. */
static inline int fx_run_script(const char *root, const char *script)
{
	char path[PATH_MAX + 16];
	char cmd[4 * PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/script.sh", root);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(script, f);
	fclose(f);
	if ((size_t)snprintf(cmd, sizeof(cmd), "ROOT='%s' sh '%s' >'%s/script.log' 2>&1", root, path, root) >= sizeof(cmd))
		return -1;
	return system(cmd);
}

/* The whole file at `path`, NUL-terminated (caller frees), its length in
 * *len; NULL when it cannot be read. */
static inline char *fx_read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	if (s) {
		s[n] = '\0';
		*len = (size_t)n;
	}
	return s;
}

/* --- schemas --- */

#define FX_SCHEMA_FILE "schema/document.schema.yaml"
#define FX_DOC_FILE "docs/SP-004.md"

/* Loads YAML written in the test, its first line numbered `line`. */
static inline dc_node *fx_yaml(dc_arena *a, const char *text, const char *file, unsigned line, unsigned max_depth)
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
static inline int fx_schema_compile(dc_schema **s, const char *text, dc_diags *d)
{
	dc_arena a = DC_ARENA_INIT;
	int r;

	/* the node tree dies before the compiled schema is used */
	r = dc_schema_compile(s, fx_yaml(&a, text, FX_SCHEMA_FILE, 1, 64), FX_SCHEMA_FILE, d);
	dc_arena_dispose(&a);
	return r;
}

static inline dc_schema *fx_schema_ok(const char *text)
{
	dc_schema *s = NULL;
	dc_diags d;

	dc_diags_init(&d);
	if (fx_schema_compile(&s, text, &d) != 0)
		fail_msg("schema did not compile: %s", d.n ? d.items[0].message : "?");
	assert_non_null(s);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	return s;
}

/* Validates the document `doc` (front-matter starting on line 2). */
static inline void fx_validate(const dc_schema *s, const char *doc, dc_diags *d)
{
	dc_arena a = DC_ARENA_INIT;
	dc_mark open = { 1, 1, 0 };

	dc_diags_init(d);
	assert_int_equal(dc_schema_validate(s, fx_yaml(&a, doc, FX_DOC_FILE, 2, 16), FX_DOC_FILE, &open, d), 0);
	dc_arena_dispose(&a);
}

/* Exactly one finding, with this rule, place and message (a line, column or
 * message of 0 / NULL is not checked). */
static inline void fx_expect_one(const dc_diags *d, const char *file, const char *rule, unsigned line,
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
static inline void fx_pass_fail(const char *schema, const char *good, const char *bad, const char *rule,
				unsigned line, unsigned col, const char *message)
{
	dc_schema *s = fx_schema_ok(schema);
	dc_diags d;

	fx_validate(s, good, &d);
	if (d.n)
		fx_dump(&d);
	assert_int_equal(d.n, 0);
	dc_diags_dispose(&d);
	fx_validate(s, bad, &d);
	fx_expect_one(&d, FX_DOC_FILE, rule, line, col, message);
	dc_diags_dispose(&d);
	dc_schema_free(s);
}

/* `schema` does not compile: one schema.invalid at line:col. */
static inline void fx_schema_invalid(const char *schema, unsigned line, unsigned col, const char *message)
{
	dc_schema *s = (dc_schema *)1;
	dc_diags d;

	dc_diags_init(&d);
	assert_int_equal(fx_schema_compile(&s, schema, &d), 1);
	assert_null(s);
	fx_expect_one(&d, FX_SCHEMA_FILE, "schema.invalid", line, col, message);
	assert_true(dc_diags_fatal(&d));
	dc_diags_dispose(&d);
}

#endif
