/*
 * test_treediff.c - the raw tree diff (treediff.h) against libgit2's
 * git_diff_tree_to_tree on real trees written into a repository in memory:
 * names that sort differently as files and as folders, a file that becomes
 * a folder and back, nested additions, deletions and changes, mode, symlink
 * and submodule changes, path filters, a big flat folder, trees generated at
 * random, and the failures (a malformed tree, a blob, a SHA-256 repository).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2/sys/mempack.h>

#include "buf.h"
#include "error.h"
#include "treediff.h"

typedef struct {
	const char *path;
	const char *content;   /* for a submodule: hashed into its commit id */
	unsigned mode;         /* 0: 0100644 */
} file;

typedef struct {
	git_repository *repo;
	char dir[64];          /* "" for a repository in memory */
} fixture;

/* A repository whose objects live in memory (libgit2's mempack backend):
 * the tests write and read thousands of objects. */
static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	git_odb_backend *mempack;
	git_odb *odb;

	assert_non_null(f);
	git_libgit2_init();
	assert_int_equal(git_odb_new(&odb), 0);
	assert_int_equal(git_mempack_new(&mempack), 0);
	assert_int_equal(git_odb_add_backend(odb, mempack, 1), 0);
	assert_int_equal(git_repository_wrap_odb(&f->repo, odb), 0);
	git_odb_free(odb);
	*state = f;
	return 0;
}

/* A repository on disk, for its configuration. */
static int setup_disk(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	git_libgit2_init();
	strcpy(f->dir, "/tmp/test_treediff.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, 1), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];

	git_repository_free(f->repo);
	if (*f->dir) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		assert_int_equal(system(cmd), 0);
	}
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* Writes the tree of `files` (any order). */
static git_oid mktree(git_repository *repo, const file *files, size_t n)
{
	git_index *index = NULL;
	git_oid id;
	size_t i;

	assert_int_equal(git_index_new(&index), 0);
	for (i = 0; i < n; i++) {
		git_index_entry e;

		memset(&e, 0, sizeof(e));
		e.path = files[i].path;
		e.mode = files[i].mode ? files[i].mode : GIT_FILEMODE_BLOB;
		if (e.mode == GIT_FILEMODE_COMMIT)
			assert_int_equal(git_odb_hash(&e.id, files[i].content, strlen(files[i].content),
						      GIT_OBJECT_COMMIT), 0);
		else
			assert_int_equal(git_blob_create_from_buffer(&e.id, repo, files[i].content,
								     strlen(files[i].content)), 0);
		if (git_index_add(index, &e) < 0)
			fail_msg("cannot add \"%s\": %s", files[i].path, git_error_last()->message);
	}
	assert_int_equal(git_index_write_tree_to(&id, index, repo), 0);
	git_index_free(index);
	return id;
}

static void side(dc_buf *b, char status, const char *path, const git_diff_file *f)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), &f->id);
	dc_buf_printf(b, "%c %s %06o %s\n", status, path, (unsigned)f->mode, hex);
}

/* libgit2's answer, one line per delta side. */
static void expected(dc_buf *out, git_repository *repo, const git_oid *a, const git_oid *b,
		     const char *const *paths, size_t npaths, uint32_t flags)
{
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	size_t i;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH | flags;
	o.pathspec.strings = (char **)paths;
	o.pathspec.count = npaths;
	if (a)
		assert_int_equal(git_tree_lookup(&ta, repo, a), 0);
	if (b)
		assert_int_equal(git_tree_lookup(&tb, repo, b), 0);
	assert_int_equal(git_diff_tree_to_tree(&diff, repo, ta, tb, &o), 0);
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		switch (d->status) {
		case GIT_DELTA_ADDED:
			side(out, 'A', d->new_file.path, &d->new_file);
			break;
		case GIT_DELTA_DELETED:
			side(out, 'D', d->old_file.path, &d->old_file);
			break;
		case GIT_DELTA_MODIFIED:
			side(out, 'M', d->old_file.path, &d->old_file);
			side(out, '>', d->new_file.path, &d->new_file);
			break;
		default:
			fail_msg("unexpected delta status %d", d->status);
		}
	}
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
}

typedef struct {
	dc_buf *out;
	size_t calls;
	int stop_at, stop_with;
} collect_ctx;

static void side_of(dc_buf *b, char status, const char *path, const dc_treediff_side *s)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), &s->id);
	dc_buf_printf(b, "%c %s %06o %s\n", status, path, (unsigned)s->mode, hex);
}

/* The same lines from the tree diff: a change of type is a deletion and an
 * addition there. */
static int collect(const char *path, const dc_treediff_side *o, const dc_treediff_side *n, void *payload)
{
	collect_ctx *x = payload;

	if (x->stop_at && (int)++x->calls == x->stop_at)
		return x->stop_with;
	assert_true(o || n);
	if (o && n && (o->mode & 0170000) != (n->mode & 0170000)) {
		side_of(x->out, 'D', path, o);
		side_of(x->out, 'A', path, n);
	} else if (o && n) {
		assert_true(o->mode != n->mode || !git_oid_equal(&o->id, &n->id));
		side_of(x->out, 'M', path, o);
		side_of(x->out, '>', path, n);
	} else {
		side_of(x->out, o ? 'D' : 'A', path, o ? o : n);
	}
	return 0;
}

/* The same lines from dc_treediff_foreach's deltas. */
static int collect_delta(const git_diff_delta *d, float progress, void *payload)
{
	dc_buf *out = payload;

	assert_true(progress == 0);
	assert_non_null(d->old_file.path);
	assert_ptr_equal(d->old_file.path, d->new_file.path);
	switch (d->status) {
	case GIT_DELTA_ADDED:
		assert_int_equal(d->nfiles, 1);
		assert_int_equal(d->old_file.mode, 0);
		side(out, 'A', d->new_file.path, &d->new_file);
		break;
	case GIT_DELTA_DELETED:
		assert_int_equal(d->nfiles, 1);
		assert_int_equal(d->new_file.mode, 0);
		side(out, 'D', d->old_file.path, &d->old_file);
		break;
	case GIT_DELTA_MODIFIED:
		assert_int_equal(d->nfiles, 2);
		side(out, 'M', d->old_file.path, &d->old_file);
		side(out, '>', d->new_file.path, &d->new_file);
		break;
	default:
		fail_msg("unexpected delta status %d", d->status);
	}
	return 0;
}

/* Compares both ways, and as deltas with and without submodules; returns
 * the line count of the first. */
static size_t check_paths(git_repository *repo, dc_treediff_session *s, const git_oid *a, const git_oid *b,
			  const char *const *paths, size_t npaths)
{
	dc_buf want = DC_BUF_INIT, got = DC_BUF_INIT;
	collect_ctx x = { &got, 0, 0, 0 };
	const git_oid *sides[2][2] = { { a, b }, { b, a } };
	size_t k, i, lines = 0;

	for (k = 0; k < 2; k++) {
		const git_oid *o = sides[k][0], *n = sides[k][1];

		dc_buf_clear(&want);
		dc_buf_clear(&got);
		expected(&want, repo, o, n, paths, npaths, GIT_DIFF_IGNORE_SUBMODULES);
		if (s) {
			assert_int_equal(dc_treediff_foreach(s, o, n, paths, npaths, GIT_DIFF_IGNORE_SUBMODULES,
							     collect_delta, &got), 0);
			assert_string_equal(got.ptr, want.ptr);
			dc_buf_clear(&got);
		}
		dc_buf_clear(&want);
		expected(&want, repo, o, n, paths, npaths, 0);
		if (s) {
			assert_int_equal(dc_treediff_foreach(s, o, n, paths, npaths, 0, collect_delta, &got), 0);
			assert_string_equal(got.ptr, want.ptr);
			dc_buf_clear(&got);
		}
		if (s)
			assert_int_equal(dc_treediff_run(s, o, n, paths, npaths, collect, &x), 0);
		else
			assert_int_equal(dc_treediff(repo, o, n, paths, npaths, collect, &x), 0);
		if (strcmp(got.ptr, want.ptr)) {
			size_t j;

			fprintf(stderr, "paths:");
			for (j = 0; j < npaths; j++)
				fprintf(stderr, " \"%s\"", paths[j]);
			fprintf(stderr, "\n--- got\n%s--- want\n%s", got.ptr, want.ptr);
		}
		assert_string_equal(got.ptr, want.ptr);
		for (i = 0; k == 0 && i < want.len; i++)
			lines += want.ptr[i] == '\n';
	}
	dc_buf_dispose(&want);
	dc_buf_dispose(&got);
	return lines;
}

static size_t check(git_repository *repo, const git_oid *a, const git_oid *b)
{
	return check_paths(repo, NULL, a, b, NULL, 0);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void tricky_names(void **state)
{
	fixture *f = *state;
	static const file old[] = {
		{ "a", "file a", 0 }, { "a-b", "dash", 0 }, { "a.b", "dot", 0 }, { "a0", "zero", 0 },
		{ "a.b.c/x", "x", 0 }, { "b", "b", 0 },
	};
	static const file new[] = {
		{ "a/b", "in folder a", 0 }, { "a/a", "aa", 0 }, { "a-b", "dash", 0 }, { "a.b", "dot changed", 0 },
		{ "a0", "zero", 0 }, { "a.b.c/x", "x", 0 }, { "a.b.c/y", "y", 0 }, { "b", "b", 0 },
	};
	git_oid a = mktree(f->repo, old, N(old)), b = mktree(f->repo, new, N(new));
	dc_buf got = DC_BUF_INIT;
	collect_ctx x = { &got, 0, 0, 0 };

	assert_int_equal(check(f->repo, &a, &b), 6);
	/* the order is git's: "a" as a file, "a-b", "a.b", then the folder "a/" */
	assert_int_equal(dc_treediff(f->repo, &a, &b, NULL, 0, collect, &x), 0);
	assert_non_null(strstr(got.ptr, "D a 100644"));
	assert_true(strstr(got.ptr, "D a ") < strstr(got.ptr, "M a.b "));
	assert_true(strstr(got.ptr, "M a.b ") < strstr(got.ptr, "A a.b.c/y "));
	assert_true(strstr(got.ptr, "A a.b.c/y ") < strstr(got.ptr, "A a/a "));
	assert_true(strstr(got.ptr, "A a/a ") < strstr(got.ptr, "A a/b "));
	dc_buf_dispose(&got);
}

static void file_and_folder_swap(void **state)
{
	fixture *f = *state;
	static const file old[] = {
		{ "docs/a.md", "1", 0 }, { "docs/sub/b.md", "2", 0 }, { "docs/sub/deep/c.md", "3", 0 }, { "x", "x", 0 },
	};
	static const file new[] = {
		{ "docs/a.md/inner.md", "1", 0 }, { "docs/sub", "now a file", 0 }, { "x/y", "x", 0 },
	};
	git_oid a = mktree(f->repo, old, N(old)), b = mktree(f->repo, new, N(new));

	assert_int_equal(check(f->repo, &a, &b), 7);
}

static void nested_changes_and_modes(void **state)
{
	fixture *f = *state;
	static const file old[] = {
		{ "docs/procedures/SP-001.md", "one", 0 },
		{ "docs/procedures/SP-002.md", "two", 0 },
		{ "docs/procedures/old/SP-000.md", "zero", 0 },
		{ "docs/forms/F-001.md", "form", 0 },
		{ "records/2025/r1.md", "r1", 0 },
		{ "records/2026/r2.md", "r2", 0 },
		{ "tools/run.sh", "#!/bin/sh", 0 },
		{ "tools/link", "run.sh", GIT_FILEMODE_LINK },
		{ "tools/file-then-link", "x", 0 },
		{ "vendor/lib", "", GIT_FILEMODE_COMMIT },
		{ "vendor/other", "", GIT_FILEMODE_COMMIT },
		{ "vendor/moved", "1", GIT_FILEMODE_COMMIT },
		{ "same/deep/er/still.md", "unchanged", 0 },
	};
	static const file new[] = {
		{ "docs/procedures/SP-001.md", "one", 0 },
		{ "docs/procedures/SP-002.md", "two, revised", 0 },
		{ "docs/procedures/SP-003.md", "three", 0 },
		{ "docs/forms/F-001.md", "form", 0 },
		{ "records/2026/r2.md", "r2", 0 },
		{ "records/2027/r3.md", "r3", 0 },
		{ "tools/run.sh", "#!/bin/sh", GIT_FILEMODE_BLOB_EXECUTABLE },
		{ "tools/link", "other.sh", GIT_FILEMODE_LINK },
		{ "tools/file-then-link", "x", GIT_FILEMODE_LINK },
		{ "vendor/lib", "x", 0 },
		{ "vendor/moved", "2", GIT_FILEMODE_COMMIT },
		{ "same/deep/er/still.md", "unchanged", 0 },
	};
	git_oid a = mktree(f->repo, old, N(old)), b = mktree(f->repo, new, N(new));
	dc_treediff_session *s;

	/* a changed doc (2 lines), an added one, one in a deleted folder; two
	 * records; the mode, the symlink's target (2 each), a file that became a
	 * symlink and a submodule that became a file (deleted, then added), a
	 * deleted submodule, a moved one (2) */
	assert_int_equal(check(f->repo, &a, &b), 2 + 1 + 1 + 2 + 2 + 2 + 2 + 2 + 1 + 2);
	assert_int_equal(dc_treediff_session_new(&s, f->repo), 0);
	check_paths(f->repo, s, &a, &b, NULL, 0);
	dc_treediff_session_free(s);
}

static void empty_and_identical(void **state)
{
	fixture *f = *state;
	static const file some[] = { { "a/b/c.md", "c", 0 }, { "d.md", "d", 0 } };
	git_oid a = mktree(f->repo, some, N(some)), again = mktree(f->repo, some, N(some));
	dc_buf got = DC_BUF_INIT;
	collect_ctx x = { &got, 0, 0, 0 };
	git_oid empty;

	assert_int_equal(check(f->repo, NULL, &a), 2);
	assert_int_equal(check(f->repo, &a, &again), 0);
	assert_int_equal(dc_treediff(f->repo, NULL, NULL, NULL, 0, collect, &x), 0);
	assert_int_equal(git_oid_fromstr(&empty, "4b825dc642cb6eb9a060e54bf8d69288fbee4904"), 0);
	assert_int_equal(check(f->repo, &empty, &a), 2);
	assert_int_equal(got.len, 0);
	dc_buf_dispose(&got);
}

static void path_filters(void **state)
{
	fixture *f = *state;
	static const file old[] = {
		{ "docs/a.md", "1", 0 }, { "docs2/a.md", "1", 0 }, { "docsx", "1", 0 }, { "doc", "1", 0 },
		{ "records/2025/r.md", "1", 0 }, { "records/2026", "a file", 0 }, { "records/2026x/r.md", "1", 0 },
		{ "top.md", "1", 0 },
	};
	static const file new[] = {
		{ "docs/a.md", "2", 0 }, { "docs/b/c.md", "2", 0 }, { "docs2/a.md", "2", 0 }, { "docsx", "2", 0 },
		{ "doc", "2", 0 }, { "records/2025/r.md", "2", 0 }, { "records/2026/r.md", "2", 0 },
		{ "records/2026x/r.md", "2", 0 }, { "top.md", "2", 0 },
	};
	static const char *const roots[] = { "docs", "records/2026" };
	static const char *const slash[] = { "docs/", "top.md/", "records/2026/" };
	static const char *const whole[] = { "docs", "" };
	static const char *const file_root[] = { "top.md", "records/2025/r.md", "nothing/here" };
	git_oid a = mktree(f->repo, old, N(old)), b = mktree(f->repo, new, N(new));
	dc_buf want = DC_BUF_INIT, got = DC_BUF_INIT;
	collect_ctx x = { &got, 0, 0, 0 };
	dc_treediff_session *s;

	assert_int_equal(dc_treediff_session_new(&s, f->repo), 0);
	/* docs/a.md (2 lines), docs/b/c.md, records/2026 the file, records/2026/r.md */
	assert_int_equal(check_paths(f->repo, s, &a, &b, roots, N(roots)), 5);
	/* a trailing '/': folders only (not the file records/2026 nor top.md) */
	assert_int_equal(check_paths(f->repo, s, &a, &b, slash, N(slash)), 4);
	/* "" is the whole tree (libgit2 would match nothing with it) */
	dc_buf_clear(&want);
	expected(&want, f->repo, &a, &b, NULL, 0, 0);
	assert_int_equal(dc_treediff_run(s, &a, &b, whole, N(whole), collect, &x), 0);
	assert_string_equal(got.ptr, want.ptr);
	dc_buf_dispose(&want);
	dc_buf_dispose(&got);
	assert_int_equal(check_paths(f->repo, s, &a, &b, file_root, N(file_root)), 4);
	dc_treediff_session_free(s);
}

/* A folder of 5,000 documents (over the session's cache threshold), changed
 * at the start, in the middle, at the end, and next to a longer name. */
static void big_flat_folder(void **state)
{
	fixture *f = *state;
	enum { COUNT = 5000 };
	file *old = calloc(COUNT + 1, sizeof(*old)), *new = calloc(COUNT + 2, sizeof(*new));
	char (*names)[32] = calloc(COUNT + 2, sizeof(*names));
	dc_treediff_session *s;
	git_oid a, b, c;
	size_t i, n;

	assert_true(old && new && names);
	for (i = 0; i < COUNT; i++) {
		snprintf(names[i], sizeof(names[i]), "records/2026/REC-%05zu.md", i);
		old[i] = (file){ names[i], names[i], 0 };
		new[i] = old[i];
	}
	new[0].content = "changed first";
	new[2500].content = "changed middle";
	new[COUNT - 1].content = "changed last";
	new[1234].mode = GIT_FILEMODE_BLOB_EXECUTABLE;
	snprintf(names[COUNT], sizeof(names[COUNT]), "records/2026/REC-01000.md.bak");
	new[COUNT] = (file){ names[COUNT], "added", 0 };
	n = COUNT + 1;
	a = mktree(f->repo, old, COUNT);
	b = mktree(f->repo, new, n);
	new[777].content = "another";
	c = mktree(f->repo, new, n);
	assert_int_equal(dc_treediff_session_new(&s, f->repo), 0);
	assert_int_equal(check_paths(f->repo, s, &a, &b, NULL, 0), 2 * 4 + 1);
	assert_int_equal(check_paths(f->repo, s, &b, &c, NULL, 0), 2);
	assert_int_equal(check_paths(f->repo, s, &a, &c, NULL, 0), 2 * 5 + 1);
	dc_treediff_session_free(s);
	free(old);
	free(new);
	free(names);
}

/* More big trees than the session keeps, diffed in a chain and back. */
static void session_cache_eviction(void **state)
{
	fixture *f = *state;
	enum { TREES = 24, FILES = 150 };
	static char names[FILES][40], contents[TREES][16];
	file files[FILES];
	git_oid ids[TREES];
	dc_treediff_session *s;
	size_t t, i;

	for (i = 0; i < FILES; i++) {
		snprintf(names[i], sizeof(names[i]), "big/a-rather-long-name-%03zu.md", i);
		files[i] = (file){ names[i], "same", 0 };
	}
	for (t = 0; t < TREES; t++) {
		snprintf(contents[t], sizeof(contents[t]), "v%zu", t);
		files[(t * 7) % FILES].content = contents[t];
		ids[t] = mktree(f->repo, files, FILES);
	}
	assert_int_equal(dc_treediff_session_new(&s, f->repo), 0);
	for (t = 1; t < TREES; t++)
		assert_true(check_paths(f->repo, s, &ids[t - 1], &ids[t], NULL, 0) >= 2);
	for (t = TREES - 1; t-- > 1;)
		assert_true(check_paths(f->repo, s, &ids[t + 1], &ids[t - 1], NULL, 0) >= 2);
	dc_treediff_session_free(s);
}

/* --- random trees --- */

static const char *const alphabet[] = { "a", "a-b", "a.b", "a0", "b" };

static unsigned hash(const char *s, unsigned salt)
{
	unsigned h = 2166136261u ^ salt;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h;
}

typedef struct {
	file items[512];
	char paths[512][64];
	size_t n;
} gen_tree;

/* Each node decides (absent, file, folder) from its path and a salt; the new
 * side re-decides about one node in four, so the two trees share a lot. */
static void gen(gen_tree *g, const char *dir, int depth, unsigned base, unsigned pair, int is_new)
{
	static const char *const contents[] = { "x", "y", "z" };
	size_t i;

	for (i = 0; i < N(alphabet); i++) {
		char p[64];
		unsigned salt, kind, h;

		snprintf(p, sizeof(p), "%.40s%s%s", dir, *dir ? "/" : "", alphabet[i]);
		salt = base + (is_new && hash(p, pair) % 4 == 0);
		h = hash(p, salt);
		kind = h % (depth < 3 ? 4 : 2);
		if (kind == 0 || g->n == N(g->items))
			continue;
		if (kind == 1) {
			unsigned m = (h >> 8) % 10;

			strcpy(g->paths[g->n], p);
			g->items[g->n].path = g->paths[g->n];
			g->items[g->n].content = contents[(h >> 16) % 3];
			g->items[g->n].mode = m == 0 ? GIT_FILEMODE_BLOB_EXECUTABLE
					    : m == 1 ? GIT_FILEMODE_LINK
					    : m == 2 ? GIT_FILEMODE_COMMIT : GIT_FILEMODE_BLOB;
			g->n++;
		} else {
			gen(g, p, depth + 1, base, pair, is_new);
		}
	}
}

static void random_trees(void **state)
{
	fixture *f = *state;
	static const char *const specs[][2] = { { "a", NULL }, { "a.b/a-b", "b" }, { "a-b/", "a0/a/a.b" } };
	static gen_tree ga, gb;
	dc_treediff_session *s;
	unsigned round;
	size_t total = 0, k;

	assert_int_equal(dc_treediff_session_new(&s, f->repo), 0);
	for (round = 0; round < 300; round++) {
		git_oid a, b;

		ga.n = gb.n = 0;
		gen(&ga, "", 0, round * 2, round, 0);
		gen(&gb, "", 0, round * 2, round, 1);
		a = mktree(f->repo, ga.items, ga.n);
		b = mktree(f->repo, gb.items, gb.n);
		total += check_paths(f->repo, s, &a, &b, NULL, 0);
		for (k = 0; k < N(specs); k++)
			check_paths(f->repo, s, &a, &b, (const char *const *)specs[k], specs[k][1] ? 2 : 1);
	}
	assert_true(total > 300);
	dc_treediff_session_free(s);
}

/* --- stops and failures --- */

static void callback_stops_the_walk(void **state)
{
	fixture *f = *state;
	static const file old[] = { { "a.md", "1", 0 }, { "b/c.md", "1", 0 }, { "d.md", "1", 0 } };
	static const file new[] = { { "a.md", "2", 0 }, { "b/c.md", "2", 0 }, { "d.md", "2", 0 } };
	git_oid a = mktree(f->repo, old, N(old)), b = mktree(f->repo, new, N(new));
	dc_buf got = DC_BUF_INIT;
	collect_ctx x = { &got, 0, 2, 42 };

	assert_int_equal(dc_treediff(f->repo, &a, &b, NULL, 0, collect, &x), 42);
	assert_int_equal(x.calls, 2);
	assert_string_equal(got.ptr, "M a.md 100644 56a6051ca2b02b04ef92d5150c9ef600403cb1de\n"
				     "> a.md 100644 d8263ee9860594d2806b0dfd1bfd17528b0ba2a4\n");
	dc_buf_dispose(&got);
}

static int never(const char *path, const dc_treediff_side *o, const dc_treediff_side *n, void *payload)
{
	(void)o;
	(void)n;
	(void)payload;
	fail_msg("unexpected callback for \"%s\"", path);
	return -1;
}

static void malformed_trees_fail(void **state)
{
	fixture *f = *state;
	static const file some[] = { { "sub/x.md", "1", 0 } };
	static const char truncated[] = "100644 a.md\0short";
	static const char no_mode[] = " a.md\0aaaaaaaaaaaaaaaaaaaa";
	const char *const bad[] = { truncated, no_mode };
	const size_t sizes[] = { sizeof(truncated) - 1, sizeof(no_mode) - 1 };
	git_oid good = mktree(f->repo, some, N(some)), blob, id;
	git_odb *odb;
	size_t i;

	assert_int_equal(git_repository_odb(&odb, f->repo), 0);
	for (i = 0; i < N(bad); i++) {
		assert_int_equal(git_odb_write(&id, odb, bad[i], sizes[i], GIT_OBJECT_TREE), 0);
		assert_int_equal(dc_treediff(f->repo, &good, &id, NULL, 0, never, NULL), -1);
		assert_non_null(strstr(dc_error_last(), "malformed tree"));
	}
	assert_int_equal(git_blob_create_from_buffer(&blob, f->repo, "x", 1), 0);
	assert_int_equal(dc_treediff(f->repo, &good, &blob, NULL, 0, never, NULL), -1);
	assert_non_null(strstr(dc_error_last(), "is not a tree"));
	assert_int_equal(git_oid_fromstr(&id, "1111111111111111111111111111111111111111"), 0);
	assert_int_equal(dc_treediff(f->repo, &good, &id, NULL, 0, never, NULL), -1);
	assert_non_null(strstr(dc_error_last(), "cannot read a tree"));
	git_odb_free(odb);
}

static void sha256_repository_fails(void **state)
{
	fixture *f = *state;
	static const file some[] = { { "x.md", "1", 0 } };
	git_oid a = mktree(f->repo, some, N(some));
	dc_treediff_session *s = NULL;
	git_config *cfg;

	assert_int_equal(git_repository_config(&cfg, f->repo), 0);
	assert_int_equal(git_config_set_string(cfg, "extensions.objectformat", "sha256"), 0);
	assert_int_equal(dc_treediff_session_new(&s, f->repo), -1);
	assert_null(s);
	assert_non_null(strstr(dc_error_last(), "sha256"));
	assert_int_equal(dc_treediff(f->repo, NULL, &a, NULL, 0, never, NULL), -1);
	assert_int_equal(git_config_delete_entry(cfg, "extensions.objectformat"), 0);
	git_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tricky_names, setup, teardown),
		cmocka_unit_test_setup_teardown(file_and_folder_swap, setup, teardown),
		cmocka_unit_test_setup_teardown(nested_changes_and_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_and_identical, setup, teardown),
		cmocka_unit_test_setup_teardown(path_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(big_flat_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(session_cache_eviction, setup, teardown),
		cmocka_unit_test_setup_teardown(random_trees, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_stops_the_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_trees_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(sha256_repository_fails, setup_disk, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
