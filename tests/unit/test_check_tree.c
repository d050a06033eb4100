/*
 * test_check_tree.c - the key under which two names are one on a
 * case-insensitive, normalising file system (dc_shape_fold, check_tree.h):
 * letter case (with Unicode's full case folding), NFC against NFD, names
 * that stay apart, and bytes that are not UTF-8; and the sieve in front of
 * git's attribute lookup (dc_shape_attrs_may_reach), which must let through
 * every file a .gitattributes may transform; and a .gitattributes inside a
 * root judged by its own lines, in a root that holds no file (git's lookup
 * expands the macros).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check_tree.h"
#include "project.h"
#include "source.h"

/* Nonzero when the two names fold to the same key. */
static int same(const char *a, const char *b)
{
	dc_buf ka = DC_BUF_INIT, kb = DC_BUF_INIT;
	int r;

	assert_int_equal(dc_shape_fold(&ka, a, strlen(a)), 0);
	assert_int_equal(dc_shape_fold(&kb, b, strlen(b)), 0);
	r = ka.len == kb.len && !memcmp(ka.ptr, kb.ptr, ka.len);
	dc_buf_dispose(&ka);
	dc_buf_dispose(&kb);
	return r;
}

static void letter_case_folds(void **state)
{
	(void)state;
	assert_true(same("docs", "Docs"));
	assert_true(same("docs", "DOCS"));
	assert_true(same("SP-005-control.md", "SP-005-control.MD"));
	assert_true(same("\xC3\x89T\xC3\x89", "\xC3\xA9t\xC3\xA9"));             /* ÉTÉ, été */
	assert_true(same("\xCE\xA3\xCE\x91\xCE\xA3", "\xCF\x83\xCE\xB1\xCF\x82")); /* ΣΑΣ, σας (final sigma) */
	assert_true(same("Stra\xC3\x9F" "e", "STRASSE"));                          /* full folding: ß is ss */
	assert_true(same("\xE2\x84\xAA" "elvin", "kelvin"));                       /* KELVIN SIGN */
}

static void normalisation_folds(void **state)
{
	(void)state;
	assert_true(same("caf\xC3\xA9.md", "cafe\xCC\x81.md"));       /* NFC, NFD */
	assert_true(same("CAFE\xCC\x81.md", "caf\xC3\xA9.md"));       /* and case together */
	assert_true(same("\xEA\xB0\x80", "\xE1\x84\x80\xE1\x85\xA1")); /* Hangul syllable, its jamo */
}

static void different_names_stay_apart(void **state)
{
	(void)state;
	assert_false(same("SP-005.md", "SP-006.md"));
	assert_false(same("a.md", "\xC3\xA1.md"));          /* a, á */
	assert_false(same("A.md", "\xEF\xBC\xA1.md"));       /* A, fullwidth A: only canonical forms join */
	assert_false(same("docs", "docs "));
	assert_true(same("\xE6\x96\x87\xE4\xBB\xB6", "\xE6\x96\x87\xE4\xBB\xB6")); /* 文件 */
}

static void bytes_that_are_not_utf8_stay_as_they_are(void **state)
{
	dc_buf k = DC_BUF_INIT;

	(void)state;
	assert_int_equal(dc_shape_fold(&k, "A\xFF", 2), 0);
	assert_int_equal(k.len, 2);
	assert_memory_equal(k.ptr, "A\xFF", 2);
	assert_false(same("A\xFF", "a\xFF"));
	assert_int_equal(dc_shape_fold(&k, "", 0), 0);
	assert_int_equal(k.len, 0);
	dc_buf_dispose(&k);
}

/* --- a .gitattributes judged by its own lines (a real repository) --- */

static char repo_dir[] = "/tmp/docctl-check-tree-XXXXXX";

static void put(const char *rel, const char *text)
{
	char path[512], cmd[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", repo_dir, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* The attributes.transform findings of the working tree, "file:line:col" a line. */
static void shape_findings(dc_buf *out)
{
	git_repository *repo = NULL;
	dc_source *src = NULL;
	dc_project *p = NULL;
	dc_diags d;
	size_t i;

	dc_diags_init(&d);
	dc_buf_clear(out);
	assert_int_equal(git_repository_open(&repo, repo_dir), 0);
	assert_int_equal(dc_source_open_worktree(&src, repo, repo_dir), 0);
	assert_int_equal(dc_project_open(&p, src, &d), 0);
	assert_int_equal(dc_shape_check_source(p, NULL, &d), 0);
	dc_diags_sort(&d);
	for (i = 0; i < d.n; i++)
		if (!strcmp(d.items[i].rule->name, "attributes.transform"))
			dc_buf_printf(out, "%s:%u:%u\n", d.items[i].file, d.items[i].line, d.items[i].col);
	dc_project_free(p);
	dc_source_free(src);
	git_repository_free(repo);
	dc_diags_dispose(&d);
}

static void a_gitattributes_in_an_empty_root_is_judged_by_its_lines(void **state)
{
	char cmd[128];
	dc_buf f = DC_BUF_INIT;
	git_repository *repo = NULL;

	(void)state;
	git_libgit2_init();
	assert_non_null(mkdtemp(repo_dir));
	assert_int_equal(git_repository_init(&repo, repo_dir, 0), 0);
	git_repository_free(repo);
	put("docctl.yaml", "docctl: 1\nroots: [docs, records]\nrevision_scheme: letter-number\n"
			   "people:\n  ann: {name: Ann, email: ann@example.com, roles: [author]}\n"
			   "types:\n  procedure: {id: \"SP-[0-9]{3}\", approvers: [author]}\n");
	put(".gitattributes", "[attr]big filter=lfs -text\n*.sh eol=lf\n");
	/* records holds no document: only what each line says counts */
	put("records/.gitattributes", "\xEF\xBB\xBF# records\n"
				      "*.pdf -diff\n"                  /* 2: unset: harmless */
				      "*.md -text !eol binary\n"       /* 3: harmless */
				      "*.md filter=lfs diff=lfs\n"     /* 4: col 6 */
				      "\"caf\xC3\xA9 x.md\" diff eol=crlf\r\n" /* 5: col 18 (code points) */
				      "*.md\tbig\n"                    /* 6: a macro of the top, col 6 */
				      "*.md text -text\n"              /* 7: the last word wins: unset */
				      "[attr]mine text\n"              /* 8: git ignores macros here */
				      "*.md mine\n"                    /* 9: so mine is nothing */
				      "*.md ident\n");                 /* 10 */
	put("docs/a/.gitattributes", "*.md working-tree-encoding=UTF-16LE\n");
	shape_findings(&f);
	assert_string_equal(f.ptr, "docs/a/.gitattributes:1:6\n"
				   "records/.gitattributes:4:6\n"
				   "records/.gitattributes:5:18\n"
				   "records/.gitattributes:6:6\n"
				   "records/.gitattributes:10:6\n");

	/* harmless lines only: nothing; then the top reaches the empty root */
	put("records/.gitattributes", "*.pdf -diff\n*.md -text\n");
	put("docs/a/.gitattributes", "*.png binary\n");
	shape_findings(&f);
	assert_string_equal(f.ptr ? f.ptr : "", "");
	put(".gitattributes", "records/** eol=crlf\n");
	shape_findings(&f);
	assert_string_equal(f.ptr, "records/.gitattributes:0:0\n"); /* a file there, said at it */
	snprintf(cmd, sizeof(cmd), "rm -r '%s/records'", repo_dir);
	assert_int_equal(system(cmd), 0);
	shape_findings(&f);
	assert_string_equal(f.ptr, "records:0:0\n"); /* no file there: said at the root */

	dc_buf_dispose(&f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", repo_dir);
	assert_int_equal(system(cmd), 0);
	git_libgit2_shutdown();
}

#define REACH(text, base) dc_shape_attrs_may_reach((text), strlen(text), (base))

static void the_sieve_lets_through_what_may_transform(void **state)
{
	(void)state;
	assert_int_equal(REACH("*.md working-tree-encoding=UTF-16LE\n", "SP-005.md"), 1);
	assert_int_equal(REACH("*.MD text\n", "SP-005.md"), 1);           /* core.ignorecase may join them */
	assert_int_equal(REACH("*.md -text\n", "SP-005.md"), 1);          /* git decides: harmless */
	assert_int_equal(REACH("* text=auto\n", "form.pdf"), 1);
	assert_int_equal(REACH("docs/** filter=x\n", "a.md"), 1);         /* a pattern with a slash */
	assert_int_equal(REACH("\"*.sh\" eol=lf\n", "a.md"), 1);         /* a quoted pattern */
	assert_int_equal(REACH("*.m? eol=crlf\n", "a.md"), 1);
	assert_int_equal(REACH("[attr]plain -diff\n*.sh plain\n", "a.md"), 1); /* a macro */
	assert_int_equal(REACH("  *.md\tident\r\n", "a.md"), 1);
	assert_int_equal(REACH("*.sh text eol=lf\n*.md export-subst\n", "x.md"), 1);
}

static void the_sieve_stops_what_cannot(void **state)
{
	(void)state;
	assert_int_equal(REACH("", "a.md"), 0);
	assert_int_equal(REACH("*.png binary\n*.md -diff linguist-documentation\n", "a.md"), 0);
	assert_int_equal(REACH("# text eol=crlf\n\n", "a.md"), 0);
	assert_int_equal(REACH("*.sh text eol=lf\n", "a.md"), 0);
	assert_int_equal(REACH("*.sh text eol=lf\n", "run.sh"), 1);
	assert_int_equal(REACH("*.log eol=crlf", "notes.log.md"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(letter_case_folds),
		cmocka_unit_test(normalisation_folds),
		cmocka_unit_test(different_names_stay_apart),
		cmocka_unit_test(bytes_that_are_not_utf8_stay_as_they_are),
		cmocka_unit_test(the_sieve_lets_through_what_may_transform),
		cmocka_unit_test(the_sieve_stops_what_cannot),
		cmocka_unit_test(a_gitattributes_in_an_empty_root_is_judged_by_its_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
