/*
 * partial.c - checking the part of a tree that changed, with a snapshot of
 * the rest (see dc_check_partial() in check.h): what keeps the hooks'
 * cost proportional to the change instead of the repository.
 *
 * The documents at the changed paths are read, parsed and checked; with
 * `related`, so are the documents the snapshot says cite a changed one
 * (by id or path) or share its id. Every other document is seen only
 * through the snapshot, which hides the changed paths.
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "error.h"
#include "frontmatter.h"
#include "i18n.h"
#include "snapshot.h"

typedef struct {
	const dc_project *p;
	const dc_check_opts *o;
	dc_docset *set;
	dc_diags *diags;
	dc_doc doc;
	dc_buf data;
	dc_diags found;
} partial;

static void partial_init(partial *c, const dc_project *p, const dc_check_opts *o, dc_docset *set,
			 dc_diags *diags)
{
	*c = (partial){ .p = p, .o = o, .set = set, .diags = diags, .data = DC_BUF_INIT };
	dc_doc_init(&c->doc);
	dc_diags_init(&c->found);
}

static void partial_dispose(partial *c)
{
	dc_diags_dispose(&c->found);
	dc_arena_dispose(&c->doc.arena);
	dc_buf_dispose(&c->data);
}

/* Options that want no findings at all: only what only_files names, which
 * is nothing (`none` and `nothing` must outlive them). */
static void want_nothing(dc_check_opts *o, dc_strmap *none, const char **nothing)
{
	memset(o, 0, sizeof(*o));
	o->skip_shape = 1;
	dc_strmap_init(none);
	*nothing = NULL;
	o->only = nothing;
	o->only_files = none;
}

static dc_docinfo *add_doc(dc_docset *set)
{
	if (dc_array_grow(&set->docs, &set->cap, set->n, sizeof(*set->docs)) < 0)
		return NULL;
	memset(&set->docs[set->n], 0, sizeof(set->docs[0]));
	return &set->docs[set->n++];
}

/* The document phase on the file at `path`, if the source has one; its
 * findings are kept when wanted. Returns 0 (also when there is no file), -1. */
static int check_path(partial *c, const char *path)
{
	dc_entry e;
	dc_docinfo *info;
	int rc, truncated = 0;

	if (!dc_policy_controls(c->p->policy, path))
		return 0;
	if ((rc = dc_source_lookup(c->p->src, path, &e)) != 0)
		return rc < 0 ? -1 : 0;
	if (!(e.path = dc_arena_strdup(&c->set->arena, path)) || !(info = add_doc(c->set)))
		return dc_error_oom();
	if (!e.symlink && dc_source_read(c->p->src, &e, DC_FILE_MAX + 1, &c->data, &truncated) < 0)
		return -1;
	if (dc_doc_parse(&c->doc, e.path, c->data.ptr, e.symlink ? 0 : c->data.len, e.symlink, &c->found) < 0 ||
	    dc_check_document(info, &c->set->arena, c->p, &c->doc, c->o, &c->found) < 0)
		return -1;
	rc = dc_check_wanted(c->o, e.path) ? dc_diags_take(c->diags, &c->found) : 0;
	dc_diags_dispose(&c->found);
	dc_arena_dispose(&c->doc.arena);
	dc_doc_init(&c->doc);
	return rc;
}

/* Reads the snapshot's document k into the set, unless hidden or done;
 * with `rel`, as related (its id and reference rules run again). */
static int relate(partial *c, const dc_snapshot *snap, size_t k, dc_strmap *rel)
{
	dc_snapdoc d;
	size_t ignored;

	dc_snapshot_doc(snap, k, &d);
	if (dc_strmap_get(&c->set->hidden, d.path, &ignored))
		return 0;
	if (dc_strmap_put(&c->set->hidden, d.path, 0) < 0 || (rel && dc_strmap_put(rel, d.path, 0) < 0))
		return -1;
	return check_path(c, d.path);
}

/* The documents of the snapshot that have `key` as their id (for
 * id.duplicate), and with `citing` those that cite it (as related). */
static int relate_key(partial *c, const dc_snapshot *snap, const char *key, int citing, dc_strmap *rel)
{
	size_t first = 0, n, k;

	if (!key)
		return 0;
	n = citing ? dc_snapshot_citing(snap, key, &first) : 0;
	for (k = first; k < first + n; k++)
		if (relate(c, snap, dc_snapshot_citing_at(snap, k), rel) < 0)
			return -1;
	n = dc_snapshot_with_id(snap, key, &first);
	for (k = first; k < first + n; k++)
		if (relate(c, snap, dc_snapshot_with_id_at(snap, k), NULL) < 0)
			return -1;
	return 0;
}

static int info_cmp(const void *a, const void *b)
{
	return strcmp(((const dc_docinfo *)a)->path, ((const dc_docinfo *)b)->path);
}

int dc_check_partial(const dc_project *p, const dc_check_opts *o, const struct dc_snapshot *snap,
		     const char *const *changed, size_t nchanged, const char *const *keys, size_t nkeys,
		     dc_docset *set, dc_diags *diags)
{
	partial c;
	dc_check_opts ro = *o;
	dc_strmap rel;
	size_t i, nchecked;
	int rc = -1;

	partial_init(&c, p, o, set, diags);
	dc_strmap_init(&rel);
	set->rest = snap;
	if (dc_strmap_reserve(&set->hidden, nchanged * 2 + 16) < 0)
		goto cleanup;
	for (i = 0; i < nchanged; i++) {
		size_t ignored;

		if (dc_strmap_get(&set->hidden, changed[i], &ignored))
			continue; /* named twice */
		if (dc_strmap_put(&set->hidden, changed[i], 0) < 0 || check_path(&c, changed[i]) < 0)
			goto cleanup;
	}
	/* The documents that share a changed document's id are read too, so
	 * that id.duplicate names every file that holds the id (as a check of
	 * the whole tree does); then those that cite one of the keys. */
	nchecked = set->n;
	for (i = 0; snap && i < nchecked; i++)
		if (relate_key(&c, snap, set->docs[i].id, 0, &rel) < 0)
			goto cleanup;
	for (i = 0; snap && i < nkeys; i++)
		if (relate_key(&c, snap, keys[i], 1, &rel) < 0)
			goto cleanup;
	if (set->n)
		qsort(set->docs, set->n, sizeof(*set->docs), info_cmp);
	if (dc_docset_index(set) < 0)
		goto cleanup;
	ro.related = &rel;
	rc = dc_check_repository(p, set, &ro, diags);
cleanup:
	dc_strmap_dispose(&rel);
	partial_dispose(&c);
	return rc;
}

/* --- the snapshot a partial check stands on --- */

int dc_change_cited_keys(const dc_change *c, dc_strlist *keys)
{
	static const char *const cited[] = { "id", "status" };
	const char *oid = c->has_old ? dc_doc_str(&c->old_doc, "id") : NULL;
	const char *nid = c->has_new ? dc_doc_str(&c->new_doc, "id") : NULL;

	if (c->has_old && c->has_new && !c->renamed && !dc_fields_differ(&c->old_doc, &c->new_doc, cited, 2))
		return 0;
	/* a key named twice is looked up once (dc_check_partial, dc_docset_citing) */
	if ((oid && dc_strlist_add(keys, oid) < 0) || (nid && dc_strlist_add(keys, nid) < 0) ||
	    (c->has_old && dc_strlist_add(keys, c->old_doc.path) < 0) ||
	    (c->has_new && dc_strlist_add(keys, c->new_doc.path) < 0))
		return -1;
	return 0;
}

int dc_changes_init(dc_changes *w, const dc_delta *d, dc_check_opts *o)
{
	size_t i, n = 0;

	dc_strmap_init(&w->files);
	dc_strlist_init(&w->paths);
	if (!(w->only = calloc(d->n + 1, sizeof(*w->only))) || dc_strmap_reserve(&w->files, d->n) < 0)
		return dc_error_oom();
	for (i = 0; i < d->n; i++) {
		const dc_change *c = &d->items[i];

		if (c->has_new && dc_strmap_put(&w->files, w->only[n++] = c->new_doc.path, i) < 0)
			return -1;
		if ((c->has_old && dc_strlist_add(&w->paths, c->old_doc.path) < 0) ||
		    (c->has_new && dc_strlist_add(&w->paths, c->new_doc.path) < 0))
			return -1;
	}
	o->only = w->only; /* deletions only: no per-document findings */
	o->nonly = n;
	o->only_files = &w->files;
	return 0;
}

void dc_changes_dispose(dc_changes *w)
{
	free(w->only);
	w->only = NULL;
	dc_strmap_dispose(&w->files);
	dc_strlist_dispose(&w->paths);
}

typedef struct {
	dc_strlist *out;
	const dc_policy *pol;
	size_t skip;   /* the length of the project prefix */
	int rc;
} diff_ctx;

static int diff_file(const git_diff_delta *d, float progress, void *payload)
{
	diff_ctx *x = payload;
	const char *paths[2] = { d->old_file.path, d->new_file.path };
	size_t i;

	(void)progress;
	for (i = 0; i < 2; i++) {
		const char *path = paths[i];

		if (!path || strlen(path) < x->skip || (i == 1 && paths[0] && !strcmp(paths[0], path)))
			continue;
		path += x->skip;
		if (dc_policy_controls(x->pol, path) && dc_strlist_add(x->out, path) < 0) {
			x->rc = -1;
			return -1;
		}
	}
	return 0;
}

/* The controlled paths that differ between two trees. */
static int diff_trees(dc_strlist *out, git_repository *repo, const dc_policy *pol, const char *prefix,
		      git_tree *a, git_tree *b)
{
	git_diff_options opts;
	git_diff *diff = NULL;
	size_t plen = strlen(prefix);
	diff_ctx x = { out, pol, plen + (plen && prefix[plen - 1] != '/'), 0 };
	char *spec = (char *)prefix;
	int rc;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_DISABLE_PATHSPEC_MATCH | GIT_DIFF_IGNORE_SUBMODULES;
	if (*prefix) {
		opts.pathspec.strings = &spec;
		opts.pathspec.count = 1;
	}
	if (git_diff_tree_to_tree(&diff, repo, a, b, &opts) < 0)
		return dc_error_set_git(_("cannot compare two trees"));
	rc = git_diff_foreach(diff, diff_file, NULL, NULL, NULL, &x);
	git_diff_free(diff);
	if (x.rc < 0)
		return -1;
	return rc < 0 ? dc_error_set_git(_("cannot compare two trees")) : 0;
}

/* The summaries of the documents of `base` at `paths` (no findings kept),
 * with their blob ids. */
static int summarize(const dc_project *bp, const char *const *paths, size_t n, dc_docset *set, git_oid **blobs)
{
	dc_strmap none;
	dc_check_opts o;
	partial c;
	const char *nothing;
	size_t i;
	int rc = 0;

	want_nothing(&o, &none, &nothing);
	partial_init(&c, bp, &o, set, NULL);
	for (i = 0; i < n && rc == 0; i++)
		rc = check_path(&c, paths[i]);
	partial_dispose(&c);
	if (rc == 0 && set->n)
		qsort(set->docs, set->n, sizeof(*set->docs), info_cmp);
	if (rc == 0 && !(*blobs = calloc(set->n + 1, sizeof(**blobs))))
		rc = dc_error_oom();
	for (i = 0; rc == 0 && i < set->n; i++) {
		dc_entry e;

		if (dc_source_lookup(bp->src, set->docs[i].path, &e) != 0)
			rc = dc_error_set(_("'%s' disappeared from the tree"), set->docs[i].path);
		else
			(*blobs)[i] = e.oid;
	}
	return rc;
}

/* Every document of `base`, summarized (with the cache of results). */
static int summarize_all(const dc_project *bp, dc_docset *set, git_oid **blobs)
{
	dc_strmap none;
	dc_check_opts o;
	dc_diags ignored;
	const char *nothing;
	size_t i;
	int rc;

	want_nothing(&o, &none, &nothing);
	dc_diags_init(&ignored);
	rc = dc_check_all(bp, &o, set, &ignored);
	dc_diags_dispose(&ignored);
	if (rc == 0 && !(*blobs = calloc(set->n + 1, sizeof(**blobs))))
		rc = dc_error_oom();
	for (i = 0; rc == 0 && i < set->n; i++) {
		const dc_entry *e = dc_source_find(bp->src, set->docs[i].path);

		if (!e || !e->has_oid)
			rc = dc_error_set(_("'%s' has no blob id"), set->docs[i].path);
		else
			(*blobs)[i] = e->oid;
	}
	return rc;
}

int dc_snapshot_for(dc_snapshot **out, dc_strlist *changed, const dc_project *p, git_tree *base,
		    const char *prefix)
{
	git_repository *repo = dc_source_repo(p->src);
	dc_snapshot *snap = NULL;
	dc_source *bsrc = NULL;
	dc_project bp;
	dc_docset set;
	dc_strlist drift;
	dc_strmap hide;
	git_tree *old = NULL;
	git_oid *blobs = NULL;
	size_t i;
	int rc = -1;

	*out = NULL;
	dc_docset_init(&set);
	dc_strlist_init(&drift);
	dc_strmap_init(&hide);
	if (!repo || !dc_cache_enabled())
		return 0;
	if (dc_snapshot_load(&snap, repo, p->fingerprint, prefix) < 0)
		return -1;
	if (snap && git_oid_equal(dc_snapshot_tree(snap), git_tree_id(base))) {
		*out = snap;
		return 0;
	}
	if (snap && git_tree_lookup(&old, repo, dc_snapshot_tree(snap)) < 0) {
		dc_snapshot_free(snap); /* its tree is gone (gc'ed): start again */
		snap = NULL;
	}
	if (snap && diff_trees(&drift, repo, p->policy, prefix, old, base) < 0)
		goto cleanup;
	if (snap && drift.n <= DC_SNAPSHOT_DRIFT) {
		for (i = 0; i < drift.n; i++)
			if (dc_strlist_add(changed, drift.v[i]) < 0)
				goto cleanup;
		*out = snap;
		snap = NULL;
		rc = 0;
		goto cleanup;
	}
	/* (re)write it for `base`: from the old one and what changed, or whole */
	if (dc_source_open_tree(&bsrc, repo, base, prefix) < 0)
		goto cleanup;
	bp = *p;
	bp.src = bsrc;
	if (snap) {
		if (dc_strmap_reserve(&hide, drift.n) < 0)
			goto cleanup;
		for (i = 0; i < drift.n; i++)
			if (dc_strmap_put(&hide, drift.v[i], 0) < 0)
				goto cleanup;
		if (summarize(&bp, drift.v, drift.n, &set, &blobs) < 0)
			goto cleanup;
	} else if (summarize_all(&bp, &set, &blobs) < 0) {
		goto cleanup;
	}
	rc = 0;
	if (dc_snapshot_save(repo, p->fingerprint, prefix, git_tree_id(base), snap, &hide, &set, blobs) == 0) {
		rc = dc_snapshot_load(out, repo, p->fingerprint, prefix);
		if (rc == 0 && *out && !git_oid_equal(dc_snapshot_tree(*out), git_tree_id(base))) {
			dc_snapshot_free(*out); /* a concurrent hook wrote another: check whole */
			*out = NULL;
		}
	}
cleanup:
	free(blobs);
	dc_docset_dispose(&set);
	dc_strmap_dispose(&hide);
	dc_strlist_dispose(&drift);
	dc_source_free(bsrc);
	git_tree_free(old);
	dc_snapshot_free(snap);
	return rc;
}
