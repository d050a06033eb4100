/*
 * test_touched.c - the index of what each commit changed (touched.h), on a
 * throwaway repository made by real git: every pair (commit, parent) says
 * exactly what libgit2's own tree diff says under the roots, with the blob
 * on each side; a saved index gives the same pairs without computing them;
 * all pairs at once (more than DC_COMMITDIFF_GIT_PAIRS), from git or
 * without it, say the same; a damaged, cut
 * or foreign file (other roots) is not trusted, and the
 * pairs it lost are computed again and saved whole; DOCCTL_CACHE=0 neither
 * reads nor writes the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commitdiff.h"
#include "fixture.h"
#include "touched.h"

static char root[] = "/tmp/docctl-touched-XXXXXX";
static char file[256];
static git_repository *repo;
static git_oid tip;
static const char *roots[] = { "docs", "records" };
static dc_policy policy;

static int sh(const char *cmd)
{
	char line[4096];

	snprintf(line, sizeof(line),
		 "cd '%s' && (export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=T "
		 "GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.com; %s) "
		 ">/dev/null 2>&1",
		 root, cmd);
	return system(line);
}

static int setup(void **state)
{
	git_reference *head = NULL;

	(void)state;
	if (fx_scratch_open(root, NULL) < 0)
		return -1;
	/* additions, a change, a rename, a deletion, a file outside the roots,
	 * a file that becomes a symlink, a side branch merged back */
	if (sh("git init -q -b main . && mkdir -p docs/a records other && echo one >docs/a/x.md && "
	       "echo two >docs/a/y.md && echo r >records/r.md && echo o >other/o.md && git add . && "
	       "git commit -q -m one && echo one2 >docs/a/x.md && echo o2 >other/o.md && git commit -qam two && "
	       "git mv docs/a/y.md docs/y.md && git commit -qm three && git checkout -q -b side && "
	       "echo side >docs/s.md && git add . && git commit -qm side && echo r2 >records/r.md && "
	       "git commit -qam side2 && git checkout -q main && git rm -q docs/a/x.md && git commit -qm four && "
	       "rm docs/y.md && ln -s s.md docs/y.md && git add -A && git commit -qm five && "
	       "git merge -q --no-edit side && "
	       /* more pairs than DC_COMMITDIFF_GIT_PAIRS: all at once asks git */
	       "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo $i >docs/c.md && echo $i >other/c.md && "
	       "git add . && git commit -qm c$i || exit 1; done") != 0)
		return -1;
	if (git_repository_open(&repo, root) < 0 || git_repository_head(&head, repo) < 0)
		return -1;
	tip = *git_reference_target(head);
	git_reference_free(head);
	policy.roots = roots;
	policy.nroots = 2;
	snprintf(file, sizeof(file), "%s/.git/docctl-cache/touched", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fx_scratch_close(repo, root);
}

/* What libgit2 says the pair changed under the roots, one line per path:
 * "path old new" with "-" for no blob. A path it reports twice (a file
 * that became a symlink: deleted, then added) is one line, as it is one
 * entry of the index. */
typedef struct {
	char out[4096];
	char path[256], o[GIT_OID_HEXSZ + 1], n[GIT_OID_HEXSZ + 1];
} expect_ctx;

static void expect_flush(expect_ctx *x)
{
	char line[512];

	if (!x->path[0])
		return;
	snprintf(line, sizeof(line), "%s %s %s\n", x->path, x->o, x->n);
	strcat(x->out, line);
	x->path[0] = '\0';
}

static int expect_file(const git_diff_delta *d, float progress, void *payload)
{
	expect_ctx *x = payload;

	(void)progress;
	if (strcmp(x->path, d->new_file.path)) {
		expect_flush(x);
		snprintf(x->path, sizeof(x->path), "%s", d->new_file.path);
		strcpy(x->o, "-");
		strcpy(x->n, "-");
	}
	if (d->old_file.flags & GIT_DIFF_FLAG_EXISTS)
		git_oid_tostr(x->o, sizeof(x->o), &d->old_file.id);
	if (d->new_file.flags & GIT_DIFF_FLAG_EXISTS)
		git_oid_tostr(x->n, sizeof(x->n), &d->new_file.id);
	return 0;
}

static void expected(git_commit *c, unsigned k, char *out)
{
	git_commit *p = NULL;
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	git_diff_options o;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.pathspec.strings = (char **)roots;
	o.pathspec.count = 2;
	o.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	expect_ctx x;

	memset(&x, 0, sizeof(x));
	assert_int_equal(git_commit_parent(&p, c, k), 0);
	assert_int_equal(git_commit_tree(&a, p), 0);
	assert_int_equal(git_commit_tree(&b, c), 0);
	assert_int_equal(git_diff_tree_to_tree(&diff, repo, a, b, &o), 0);
	assert_int_equal(git_diff_foreach(diff, expect_file, NULL, NULL, NULL, &x), 0);
	expect_flush(&x);
	strcpy(out, x.out);
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	git_commit_free(p);
}

/* The same lines from a pair of the index. */
static void actual(const dc_touch_pair *tp, char *out)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < tp->n; i++) {
		const dc_touch *e = &tp->ents[i];
		char o[GIT_OID_HEXSZ + 1] = "-", n[GIT_OID_HEXSZ + 1] = "-", line[512];

		if (e->has_old)
			git_oid_tostr(o, sizeof(o), &e->old_id);
		if (e->has_new)
			git_oid_tostr(n, sizeof(n), &e->new_id);
		snprintf(line, sizeof(line), "%s %s %s\n", e->path, o, n);
		strcat(out, line);
	}
}

/* Walks every commit and parent; `known` 1 asks that each pair be found
 * without computing, 0 that some was not. Returns the number of pairs. */
static size_t check_all(dc_touched *t, int known)
{
	git_revwalk *w = NULL;
	git_oid id;
	size_t npairs = 0, nknown = 0;

	assert_int_equal(git_revwalk_new(&w, repo), 0);
	assert_int_equal(git_revwalk_push(w, &tip), 0);
	while (git_revwalk_next(&id, w) == 0) {
		git_commit *c = NULL;
		unsigned k;

		assert_int_equal(git_commit_lookup(&c, repo, &id), 0);
		for (k = 0; k < git_commit_parentcount(c); k++) {
			const dc_touch_pair *tp;
			char want[4096], got[4096];

			if (dc_touched_find(t, &id, git_commit_parent_id(c, k)))
				nknown++;
			assert_int_equal(dc_touched_get(t, c, k, &tp), 0);
			expected(c, k, want);
			actual(tp, got);
			assert_string_equal(got, want);
			npairs++;
		}
		git_commit_free(c);
	}
	git_revwalk_free(w);
	if (known)
		assert_int_equal(nknown, npairs);
	else
		assert_true(nknown < npairs);
	return npairs;
}

static dc_touched *open_index(void)
{
	dc_touched *t = NULL;

	assert_int_equal(dc_touched_open(&t, repo, "", &policy), 0);
	assert_non_null(t);
	return t;
}

static void test_pairs_and_reload(void **state)
{
	dc_touched *t;
	size_t n;

	(void)state;
	unlink(file);
	t = open_index();
	n = check_all(t, 0);
	assert_int_equal(n, 20); /* eighteen commits with one parent, a merge with two */
	assert_true(dc_touched_covers(t, "docs/a/x.md"));
	assert_true(dc_touched_covers(t, "records"));
	assert_false(dc_touched_covers(t, "docs2/x.md"));
	assert_false(dc_touched_covers(t, "other/o.md"));
	assert_int_equal(dc_touched_save(t), 0);
	dc_touched_free(t);
	t = open_index();
	check_all(t, 1);
	dc_touched_free(t);
}

/* Damages the file with `cmd` (run in the repository), then checks that
 * the index still answers right, lost pairs (when `lost`), and is saved
 * whole again. */
static void damaged(const char *cmd, int lost)
{
	dc_touched *t;

	t = open_index();
	assert_int_equal(dc_touched_all(t, &tip), 0);
	assert_int_equal(dc_touched_save(t), 0);
	dc_touched_free(t);
	assert_int_equal(sh(cmd), 0);
	t = open_index();
	check_all(t, !lost);
	assert_int_equal(dc_touched_save(t), 0);
	dc_touched_free(t);
	t = open_index();
	check_all(t, 1);
	dc_touched_free(t);
}

static void test_damage(void **state)
{
	struct stat st;
	char cmd[256];

	(void)state;
	unlink(file);
	damaged("true", 0); /* builds it */
	assert_int_equal(stat(file, &st), 0);
	/* a byte in the middle inverted, the end cut off, the header broken */
	snprintf(cmd, sizeof(cmd),
		 "f=.git/docctl-cache/touched; b=$(dd if=$f bs=1 skip=%ld count=1 | od -An -tu1); "
		 "printf \"\\\\$(printf %%o $((b ^ 255)))\" | dd of=$f bs=1 seek=%ld conv=notrunc",
		 (long)st.st_size / 2, (long)st.st_size / 2);
	damaged(cmd, 1);
	snprintf(cmd, sizeof(cmd), "truncate -s %ld .git/docctl-cache/touched", (long)st.st_size - 7);
	damaged(cmd, 1);
	damaged("printf 'X' | dd of=.git/docctl-cache/touched bs=1 seek=3 conv=notrunc", 1);
	damaged(": >.git/docctl-cache/touched", 1);
}

/* Every pair at once: from git, and without git on PATH (one tree diff
 * per pair); both say what libgit2 says. After dc_touched_follow(), a
 * walk that needs many pairs gets them all at once. */
static void test_all_at_once(void **state)
{
	const char *path = getenv("PATH");
	char *saved = strdup(path ? path : "/usr/bin:/bin");
	dc_touched *t;

	(void)state;
	unlink(file);
	t = open_index();
	assert_int_equal(dc_touched_all(t, &tip), 0);
	assert_true(check_all(t, 1) > DC_COMMITDIFF_GIT_PAIRS);
	dc_touched_free(t);
	setenv("PATH", "/nonexistent", 1);
	t = open_index();
	assert_int_equal(dc_touched_all(t, &tip), 0);
	check_all(t, 1);
	dc_touched_free(t);
	setenv("PATH", saved, 1);
	free(saved);
}

static void test_other_roots_and_cache_off(void **state)
{
	static const char *other[] = { "docs" };
	dc_policy p2;
	dc_touched *t = NULL;
	struct stat st;

	(void)state;
	unlink(file);
	t = open_index();
	assert_int_equal(dc_touched_all(t, &tip), 0);
	assert_int_equal(dc_touched_save(t), 0);
	dc_touched_free(t);
	/* another list of roots: the file is not used */
	memset(&p2, 0, sizeof(p2));
	p2.roots = other;
	p2.nroots = 1;
	assert_int_equal(dc_touched_open(&t, repo, "", &p2), 0);
	assert_null(dc_touched_find(t, &tip, &tip));
	{
		git_commit *c = NULL;

		assert_int_equal(git_commit_lookup(&c, repo, &tip), 0);
		assert_null(dc_touched_find(t, &tip, git_commit_parent_id(c, 0)));
		git_commit_free(c);
	}
	dc_touched_free(t);
	/* caching off: nothing read, nothing written */
	setenv("DOCCTL_CACHE", "0", 1);
	t = open_index();
	check_all(t, 0);
	unlink(file);
	assert_int_equal(dc_touched_save(t), 0);
	assert_int_not_equal(stat(file, &st), 0);
	dc_touched_free(t);
	unsetenv("DOCCTL_CACHE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs_and_reload),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_all_at_once),
		cmocka_unit_test(test_other_roots_and_cache_off),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
