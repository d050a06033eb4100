/*
 * commitdiff.c - which paths each pair (commit, parent) changed, by git or
 * by treediff.h (see commitdiff.h).
 */
#include "commitdiff.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"

/* As treediff.h takes `paths`: "" everything, "docs" the path and what is
 * under it, "docs/" only what is under the folder. */
static int under(const char *path, const char *const *paths, size_t npaths)
{
	size_t i;

	if (!npaths)
		return 1;
	for (i = 0; i < npaths; i++) {
		size_t n = strlen(paths[i]);

		if (!n || (!strncmp(path, paths[i], n) &&
			   (paths[i][n - 1] == '/' || path[n] == '/' || path[n] == '\0')))
			return 1;
	}
	return 0;
}

static int moved_submodule(const dc_filechange *f)
{
	return f->has_old && f->has_new && f->old_mode == GIT_FILEMODE_COMMIT && f->new_mode == GIT_FILEMODE_COMMIT;
}

/* --- one pair at a time: treediff.h --- */

typedef struct {
	size_t pair;
	dc_rawdiff_pair_cb cb;
	void *payload;
} tree_ctx;

static int tree_change(const char *path, const dc_treediff_side *o, const dc_treediff_side *n, void *payload)
{
	tree_ctx *x = payload;
	dc_filechange f;

	memset(&f, 0, sizeof(f));
	f.path = path;
	if (o) {
		f.has_old = 1;
		f.old_mode = (git_filemode_t)o->mode;
		git_oid_cpy(&f.old_oid, &o->id);
	}
	if (n) {
		f.has_new = 1;
		f.new_mode = (git_filemode_t)n->mode;
		git_oid_cpy(&f.new_oid, &n->id);
	}
	return moved_submodule(&f) ? 0 : x->cb(x->pair, &f, x->payload);
}

static int from_trees(git_repository *repo, dc_treediff_session **td, const git_oid *children,
		      const git_oid *parents, size_t n, const char *const *paths, size_t npaths,
		      dc_rawdiff_pair_cb cb, void *payload)
{
	tree_ctx x = { 0, cb, payload };
	size_t i;
	int rc = 0;

	if (!*td && dc_treediff_session_new(td, repo) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		git_commit *c = NULL, *p = NULL;

		if (git_commit_lookup(&c, repo, &children[i]) < 0 || git_commit_lookup(&p, repo, &parents[i]) < 0) {
			rc = dc_error_set_git(_("cannot compare a commit with its parent"));
		} else {
			x.pair = i;
			rc = dc_treediff_run(*td, git_commit_tree_id(p), git_commit_tree_id(c), paths, npaths,
					     tree_change, &x);
		}
		git_commit_free(c);
		git_commit_free(p);
	}
	return rc;
}

/* --- all pairs at once: git --- */

typedef struct {
	size_t pair, seq;
	dc_filechange f;
} git_rec;

typedef struct {
	git_rec *items;
	size_t n, cap;
	const char *const *paths;
	size_t npaths;
} git_recs;

static int keep(size_t pair, const dc_filechange *f, void *payload)
{
	git_recs *b = payload;

	if (moved_submodule(f) || !under(f->path, b->paths, b->npaths))
		return 0;
	if (dc_array_grow(&b->items, &b->cap, b->n, sizeof(*b->items)) < 0)
		return -1;
	b->items[b->n].pair = pair;
	b->items[b->n].seq = b->n;
	b->items[b->n].f = *f;
	b->n++;
	return 0;
}

static int rec_cmp(const void *pa, const void *pb)
{
	const git_rec *a = pa, *b = pb;
	int c;

	if (a->pair != b->pair)
		return a->pair < b->pair ? -1 : 1;
	if ((c = strcmp(a->f.path, b->f.path)))
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Returns 0, 1 when git cannot serve (nothing was reported), -1, or the
 * callback's value. git is not given the paths: its pathspec matching
 * costs more (3.2 s instead of 2.0 s at 100,000 documents and 2,000
 * commits) than the paths it then prints outside them. */
static int from_git(git_repository *repo, const git_oid *children, const git_oid *parents, size_t n,
		    const char *const *paths, size_t npaths, dc_rawdiff_pair_cb cb, void *payload)
{
	git_recs b = { NULL, 0, 0, paths, npaths };
	dc_arena scratch;
	size_t i, j;
	int rc;

	dc_arena_init(&scratch);
	rc = dc_rawdiff_pairs(repo, children, parents, n, &scratch, keep, &b);
	if (rc > 0)
		dc_error_clear();
	if (rc != 0)
		goto cleanup;
	if (b.n > 1)
		qsort(b.items, b.n, sizeof(*b.items), rec_cmp);
	for (i = 0; i < b.n && rc == 0; i = j) {
		dc_filechange f = b.items[i].f;
		size_t pair = b.items[i].pair;

		/* a change of type: git's deletion and addition of one path */
		for (j = i + 1; j < b.n && b.items[j].pair == pair && !strcmp(b.items[j].f.path, f.path); j++) {
			const dc_filechange *g = &b.items[j].f;

			if (g->has_old && !f.has_old) {
				f.has_old = 1;
				f.old_mode = g->old_mode;
				f.old_oid = g->old_oid;
			}
			if (g->has_new) {
				f.has_new = 1;
				f.new_mode = g->new_mode;
				f.new_oid = g->new_oid;
			}
		}
		rc = cb(pair, &f, payload);
	}
cleanup:
	free(b.items);
	dc_arena_dispose(&scratch);
	return rc;
}

int dc_commitdiff_pairs(git_repository *repo, dc_treediff_session **td, const git_oid *children,
			const git_oid *parents, size_t n, const char *const *paths, size_t npaths,
			dc_rawdiff_pair_cb cb, void *payload)
{
	int rc;

	if (n > DC_COMMITDIFF_GIT_PAIRS && (rc = from_git(repo, children, parents, n, paths, npaths, cb, payload)) <= 0)
		return rc;
	return from_trees(repo, td, children, parents, n, paths, npaths, cb, payload);
}
