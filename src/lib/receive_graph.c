/*
 * receive_graph.c - the commits of a push, read once (see receive_int.h):
 * for each commit its parents (and where they are in the list), its
 * author's and committer's emails, whether it carries a signature, and for each parent the
 * paths whose entries differ. receive_auth.c asks, per document, only about
 * the commits that touched the document's paths: a commit whose diff to a
 * parent does not name a path has that parent's entry there, so it has the
 * parent's version of the document. The cost is one tree diff per commit
 * and parent (commitdiff.h: by git for many, else treediff.h, proportional
 * to what changed), not one tree lookup per document and commit.
 */
#include "i18n.h"
#include "receive_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commitdiff.h"
#include "error.h"

static int add_touch(rcv_graph *g, const char *path, size_t commit, unsigned parent, int has_new, uint32_t mode,
		     const git_oid *oid)
{
	rcv_touches *t;
	size_t at;

	if (!dc_strmap_get(&g->paths, path, &at)) {
		char *key;

		if (dc_array_grow(&g->touches, &g->cappaths, g->npaths, sizeof(*g->touches)) < 0)
			return -1;
		if (!(key = dc_arena_strdup(&g->arena, path)))
			return dc_error_oom();
		at = g->npaths++;
		memset(&g->touches[at], 0, sizeof(g->touches[at]));
		g->touches[at].name = key;
		if (dc_strmap_put(&g->paths, key, at) < 0)
			return -1;
	}
	t = &g->touches[at];
	if (t->n && t->items[t->n - 1].commit == commit && t->items[t->n - 1].parent == parent) {
		/* the old and new side of one delta: keep the new side */
		if (has_new) {
			t->items[t->n - 1].has_new = 1;
			t->items[t->n - 1].mode = mode;
			git_oid_cpy(&t->items[t->n - 1].oid, oid);
		}
		return 0;
	}
	if (dc_arena_grow(&g->arena, &t->items, &t->cap, t->n, sizeof(*t->items)) < 0)
		return -1;
	if (t->n && (t->items[t->n - 1].commit < commit ||
		     (t->items[t->n - 1].commit == commit && t->items[t->n - 1].parent > parent)))
		t->unsorted = 1;
	memset(&t->items[t->n], 0, sizeof(t->items[t->n]));
	t->items[t->n].commit = commit;
	t->items[t->n].parent = parent;
	if ((t->items[t->n].has_new = has_new)) {
		t->items[t->n].mode = mode;
		git_oid_cpy(&t->items[t->n].oid, oid);
	}
	t->n++;
	return 0;
}

const rcv_touch *rcv_touch_find(const rcv_touches *t, size_t commit, unsigned parent)
{
	size_t lo = 0, hi, i;

	if (!t)
		return NULL;
	if (t->unsorted) {
		for (i = 0; i < t->n; i++)
			if (t->items[i].commit == commit && t->items[i].parent == parent)
				return &t->items[i];
		return NULL;
	}
	/* descending commit, then ascending parent */
	hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const rcv_touch *e = &t->items[mid];

		if (e->commit > commit || (e->commit == commit && e->parent < parent))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->items[lo].commit == commit && t->items[lo].parent == parent ? &t->items[lo] : NULL;
}

/* What the engine says each pair changed (commitdiff.h), pair after pair. */
typedef struct {
	rcv_graph *g;
	size_t *pair_commit;
	unsigned *pair_parent;
} touch_ctx;

static int touch(size_t pair, const dc_filechange *f, void *payload)
{
	touch_ctx *x = payload;

	return add_touch(x->g, f->path, x->pair_commit[pair], x->pair_parent[pair], f->has_new, (uint32_t)f->new_mode,
			 &f->new_oid);
}

/* The touches of every commit and parent, from the oldest commit: the
 * touches of a path are kept in order, and with treediff.h a parent's big
 * trees, read as the new side of its own diff, are still in the session's
 * cache for its child's. */
static int touches(rcv_graph *g, git_repository *repo)
{
	touch_ctx x;
	dc_treediff_session *td = NULL;
	git_oid *children = NULL, *parents = NULL;
	size_t i, k, npairs = 0;
	int rc;

	memset(&x, 0, sizeof(x));
	x.g = g;
	for (i = 0; i < g->n; i++)
		npairs += g->c[i].np; /* a root commit touches nothing: it has no parent to differ from */
	if (!(x.pair_commit = calloc(npairs + 1, sizeof(*x.pair_commit))) ||
	    !(x.pair_parent = calloc(npairs + 1, sizeof(*x.pair_parent))) ||
	    !(children = calloc(npairs + 1, sizeof(*children))) || !(parents = calloc(npairs + 1, sizeof(*parents)))) {
		rc = dc_error_oom();
		goto cleanup;
	}
	for (i = g->n, npairs = 0; i-- > 0;)
		for (k = 0; k < g->c[i].np; k++, npairs++) {
			x.pair_commit[npairs] = i;
			x.pair_parent[npairs] = (unsigned)k;
			children[npairs] = g->ids[i];
			parents[npairs] = g->c[i].parents[k];
		}
	rc = dc_commitdiff_pairs(repo, &td, children, parents, npairs, NULL, 0, touch, &x);
cleanup:
	dc_treediff_session_free(td);
	free(x.pair_commit);
	free(x.pair_parent);
	free(children);
	free(parents);
	return rc;
}

int rcv_graph_build(rcv_graph **out, git_repository *repo, const git_oid *ids, size_t n)
{
	rcv_graph *g;
	dc_strmap by_id;
	char **hex = NULL;
	size_t i;
	int rc = -1;

	*out = NULL;
	if (!(g = calloc(1, sizeof(*g))))
		return dc_error_oom();
	dc_strmap_init(&by_id);
	g->n = n;
	g->ids = ids;
	if (n && (!(g->c = dc_arena_alloc(&g->arena, n * sizeof(*g->c))) || !(hex = calloc(n, sizeof(*hex))))) {
		dc_error_oom();
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (!(hex[i] = dc_arena_alloc(&g->arena, GIT_OID_HEXSZ + 1))) {
			dc_error_oom();
			goto cleanup;
		}
		git_oid_tostr(hex[i], GIT_OID_HEXSZ + 1, &ids[i]);
		if (dc_strmap_put(&by_id, hex[i], i) < 0)
			goto cleanup;
	}
	for (i = n; i-- > 0;) {
		rcv_gcommit *gc = &g->c[i];
		git_commit *c = NULL;
		const git_signature *a, *cm;
		git_buf sig = GIT_BUF_INIT, payload = GIT_BUF_INIT;
		git_oid id;
		unsigned k;
		int r;

		if (git_commit_lookup(&c, repo, &ids[i]) < 0) {
			dc_error_set_git(_("cannot read a new commit"));
			goto cleanup;
		}
		gc->np = git_commit_parentcount(c);
		if (gc->np && (!(gc->parents = dc_arena_alloc(&g->arena, gc->np * sizeof(*gc->parents))) ||
			       !(gc->pidx = dc_arena_alloc(&g->arena, gc->np * sizeof(*gc->pidx))))) {
			r = dc_error_oom();
		} else {
			r = 0;
		}
		for (k = 0; k < gc->np && r == 0; k++) {
			char h[GIT_OID_HEXSZ + 1];
			size_t at;

			git_oid_cpy(&gc->parents[k], git_commit_parent_id(c, k));
			git_oid_tostr(h, sizeof(h), &gc->parents[k]);
			gc->pidx[k] = dc_strmap_get(&by_id, h, &at) ? at : SIZE_MAX;
		}
		if (r == 0 && (a = git_commit_author(c)) && a->email && !(gc->author = dc_arena_strdup(&g->arena, a->email)))
			r = dc_error_oom();
		if (r == 0 && (cm = git_commit_committer(c)) && cm->email &&
		    !(gc->committer = dc_arena_strdup(&g->arena, cm->email)))
			r = dc_error_oom();
		if (r == 0) {
			git_oid_cpy(&id, &ids[i]);
			/* unsure (an error reading it): let the verification say */
			gc->has_sig = git_commit_extract_signature(&sig, &payload, repo, &id, "gpgsig") != GIT_ENOTFOUND;
			git_buf_dispose(&sig);
			git_buf_dispose(&payload);
		}
		git_commit_free(c);
		if (r < 0)
			goto cleanup;
		if (gc->has_sig)
			g->nsigned++;
	}
	/* which paths each commit changed */
	if (touches(g, repo) < 0)
		goto cleanup;
	if (g->nsigned && !(g->signed_idx = dc_arena_alloc(&g->arena, g->nsigned * sizeof(*g->signed_idx))))
		goto cleanup;
	for (i = 0, g->nsigned = 0; i < n; i++)
		if (g->c[i].has_sig)
			g->signed_idx[g->nsigned++] = i;
	rc = 0;
cleanup:
	free(hex);
	dc_strmap_dispose(&by_id);
	if (rc < 0)
		rcv_graph_free(g);
	else
		*out = g;
	return rc;
}

const rcv_touches *rcv_graph_touches(const rcv_graph *g, const char *path)
{
	size_t at;

	return dc_strmap_get(&g->paths, path, &at) ? &g->touches[at] : NULL;
}

void rcv_graph_free(rcv_graph *g)
{
	if (!g)
		return;
	free(g->touches);
	dc_strmap_dispose(&g->paths);
	dc_arena_dispose(&g->arena);
	free(g);
}
