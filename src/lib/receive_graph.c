/*
 * receive_graph.c - the commits of a push, read once (see receive_int.h):
 * for each commit its parents (and where they are in the list), its
 * author's email, whether it carries a signature, and for each parent the
 * paths whose entries differ. authenticate.c asks, per document, only about
 * the commits that touched the document's paths: a commit whose diff to a
 * parent does not name a path has that parent's entry there, so it has the
 * parent's version of the document. The cost is one tree diff per commit
 * and parent (proportional to what changed), not one tree lookup per
 * document and commit.
 */
#include "receive_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static int add_touch(rcv_graph *g, const char *path, size_t commit, unsigned parent)
{
	rcv_touches *t;
	size_t at;

	if (!dc_strmap_get(&g->paths, path, &at)) {
		char *key;

		if (g->npaths == g->cappaths) {
			size_t ncap = g->cappaths ? g->cappaths * 2 : 64;
			rcv_touches *p = realloc(g->touches, ncap * sizeof(*p));

			if (!p)
				return dc_error_set("out of memory");
			g->touches = p;
			g->cappaths = ncap;
		}
		if (!(key = dc_arena_strdup(&g->arena, path)))
			return dc_error_set("out of memory");
		at = g->npaths++;
		memset(&g->touches[at], 0, sizeof(g->touches[at]));
		if (dc_strmap_put(&g->paths, key, at) < 0)
			return -1;
	}
	t = &g->touches[at];
	if (t->n && t->items[t->n - 1].commit == commit && t->items[t->n - 1].parent == parent)
		return 0; /* the old and new side of one delta */
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 4;
		rcv_touch *p = realloc(t->items, ncap * sizeof(*p));

		if (!p)
			return dc_error_set("out of memory");
		t->items = p;
		t->cap = ncap;
	}
	t->items[t->n].commit = commit;
	t->items[t->n++].parent = parent;
	return 0;
}

static int diff_parent(rcv_graph *g, git_repository *repo, git_tree *tree, git_commit *c, size_t i, unsigned k)
{
	git_commit *pc = NULL;
	git_tree *pt = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	size_t d, nd;
	int rc = 0;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags = GIT_DIFF_IGNORE_SUBMODULES;
	if (git_commit_parent(&pc, c, k) < 0 || git_commit_tree(&pt, pc) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, pt, tree, &o) < 0) {
		rc = dc_error_set_git("cannot compare a new commit with its parent");
		goto cleanup;
	}
	nd = git_diff_num_deltas(diff);
	for (d = 0; d < nd && rc == 0; d++) {
		const git_diff_delta *e = git_diff_get_delta(diff, d);

		if (e->old_file.path)
			rc = add_touch(g, e->old_file.path, i, k);
		if (rc == 0 && e->new_file.path)
			rc = add_touch(g, e->new_file.path, i, k);
	}
cleanup:
	git_diff_free(diff);
	git_tree_free(pt);
	git_commit_free(pc);
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
		return dc_error_set("out of memory");
	dc_arena_init(&g->arena);
	dc_strmap_init(&g->paths);
	dc_strmap_init(&by_id);
	g->n = n;
	g->ids = ids;
	if (n && (!(g->c = calloc(n, sizeof(*g->c))) || !(hex = calloc(n, sizeof(*hex))))) {
		dc_error_set("out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		if (!(hex[i] = dc_arena_alloc(&g->arena, GIT_OID_HEXSZ + 1))) {
			dc_error_set("out of memory");
			goto cleanup;
		}
		git_oid_tostr(hex[i], GIT_OID_HEXSZ + 1, &ids[i]);
		if (dc_strmap_put(&by_id, hex[i], i) < 0)
			goto cleanup;
	}
	/* Big trees (a folder of thousands of documents) are read once per
	 * commit and once per child: let libgit2 keep them in its object cache
	 * while the graph is built (it keeps only trees under 4 KiB by default),
	 * and go from the oldest commit so a parent's trees are still there. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)64 * 1024 * 1024);
	for (i = n; i-- > 0;) {
		rcv_gcommit *gc = &g->c[i];
		git_commit *c = NULL;
		git_tree *tree = NULL;
		const git_signature *a;
		git_buf sig = GIT_BUF_INIT, payload = GIT_BUF_INIT;
		git_oid id;
		unsigned k;
		int r;

		if (git_commit_lookup(&c, repo, &ids[i]) < 0 || git_commit_tree(&tree, c) < 0) {
			git_commit_free(c);
			dc_error_set_git("cannot read a new commit");
			goto cleanup;
		}
		gc->np = git_commit_parentcount(c);
		if (gc->np && (!(gc->parents = dc_arena_alloc(&g->arena, gc->np * sizeof(*gc->parents))) ||
			       !(gc->pidx = dc_arena_alloc(&g->arena, gc->np * sizeof(*gc->pidx))))) {
			r = dc_error_set("out of memory");
		} else {
			r = 0;
		}
		for (k = 0; k < gc->np && r == 0; k++) {
			char h[GIT_OID_HEXSZ + 1];
			size_t at;

			git_oid_cpy(&gc->parents[k], git_commit_parent_id(c, k));
			git_oid_tostr(h, sizeof(h), &gc->parents[k]);
			gc->pidx[k] = dc_strmap_get(&by_id, h, &at) ? at : SIZE_MAX;
			r = diff_parent(g, repo, tree, c, i, k);
		}
		if (r == 0 && (a = git_commit_author(c)) && a->email && !(gc->author = dc_arena_strdup(&g->arena, a->email)))
			r = dc_error_set("out of memory");
		if (r == 0) {
			git_oid_cpy(&id, &ids[i]);
			/* unsure (an error reading it): let the verification say */
			gc->has_sig = git_commit_extract_signature(&sig, &payload, repo, &id, "gpgsig") != GIT_ENOTFOUND;
			git_buf_dispose(&sig);
			git_buf_dispose(&payload);
		}
		git_tree_free(tree);
		git_commit_free(c);
		if (r < 0) {
			git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4096);
			goto cleanup;
		}
		if (gc->has_sig)
			g->nsigned++;
	}
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)4096);
	if (g->nsigned && !(g->signed_idx = calloc(g->nsigned, sizeof(*g->signed_idx)))) {
		dc_error_set("out of memory");
		goto cleanup;
	}
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
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->npaths; i++)
		free(g->touches[i].items);
	free(g->touches);
	free(g->c);
	free(g->signed_idx);
	dc_strmap_dispose(&g->paths);
	dc_arena_dispose(&g->arena);
	free(g);
}
