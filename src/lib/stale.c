/*
 * stale.c - a copied-over approval, found by `check` and pre-commit (see
 * stale.h).
 */
#include "stale.h"

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "delta.h"
#include "error.h"

static const char *const approval_fields[] = { "approved_by", "approved_on", "effective" };

int dc_stale_check(const dc_doc *before, const dc_doc *now, dc_diags *diags)
{
	const char *status, *id, *by;
	const dc_node *v, *rev;

	if (!before->root || !now->root)
		return 0;
	status = dc_doc_str(now, "status");
	v = dc_node_get(now->root, "approved_by");
	by = dc_doc_str(now, "approved_by");
	if (!status || strcmp(status, "approved") || !v || v->kind == DC_NODE_NULL)
		return 0;
	if (dc_fields_differ(before, now, approval_fields, sizeof(approval_fields) / sizeof(approval_fields[0])) ||
	    dc_doc_same_content(before, now))
		return 0;
	id = dc_doc_str(now, "id");
	rev = dc_node_get(now->root, "revision");
	return dc_diags_add(diags, now->path, v->start.line, v->start.col, "approval.stale", id,
			    "%s%s%s changed but keeps the approval of the version before it (approved_by %s, approved_on %s); "
			    "an approver must approve this version (docctl approve %s), or set it back to draft "
			    "(status: draft, without approved_by, approved_on and effective)",
			    id ? id : now->path, rev && rev->text ? " " : "", rev && rev->text ? rev->text : "",
			    by ? by : "?", dc_doc_str(now, "approved_on") ? dc_doc_str(now, "approved_on") : "-",
			    id ? id : "ID");
}

/* Parses `len` bytes as the document at `path` into `doc`. */
static int parse(dc_doc *doc, const char *path, const char *data, size_t len)
{
	dc_diags ignored;
	int rc;

	dc_diags_init(&ignored);
	rc = dc_doc_parse(doc, path, data, len, 0, &ignored);
	dc_diags_dispose(&ignored);
	return rc;
}

/* The index of a working tree, to tell a file git already knows unchanged
 * from its stat data as `git status` does (a file written in the same
 * second as the index is read anyway: racy). */
typedef struct {
	git_index *index;
	int64_t written;   /* the index file's mtime, seconds */
} known_index;

static void known_open(known_index *k, const dc_project *p)
{
	struct stat st;

	memset(k, 0, sizeof(*k));
	if (dc_source_kind_of(p->src) != DC_SOURCE_WORKTREE || !dc_source_repo(p->src) ||
	    git_repository_index(&k->index, dc_source_repo(p->src)) < 0 || !git_index_path(k->index) ||
	    stat(git_index_path(k->index), &st) < 0) {
		git_index_free(k->index);
		k->index = NULL;
		dc_error_clear();
		return;
	}
	k->written = (int64_t)st.st_mtime;
}

/* Nonzero when the working tree file `e` (at `full` in the repository) is
 * the blob `oid` by the index's stat data. */
static int known_same(const known_index *k, const dc_entry *e, const char *full, const git_oid *oid)
{
	const git_index_entry *ie = k->index ? git_index_get_bypath(k->index, full, 0) : NULL;

	return ie && e->has_stat && git_oid_equal(&ie->id, oid) && e->size == ie->file_size &&
	       e->mtime_s == ie->mtime.seconds && e->mtime_ns == (long)ie->mtime.nanoseconds &&
	       (int64_t)ie->mtime.seconds < k->written;
}

/* The entries of `base` looked up folder by folder: the documents come in
 * path order, so each folder's tree is read once. */
typedef struct {
	git_tree *base;
	git_tree *dir_tree;  /* the tree of `dir`, NULL when there is none */
	dc_buf dir;
	int valid;           /* dir and dir_tree are set */
} tree_cursor;

/* The blob entry at `full`, or NULL (borrowed: valid until the next call). */
static const git_tree_entry *cursor_find(tree_cursor *c, const char *full)
{
	const char *slash = strrchr(full, '/');
	size_t dlen = slash ? (size_t)(slash - full) : 0;
	const git_tree_entry *te;

	if (!c->valid || c->dir.len != dlen || memcmp(c->dir.ptr, full, dlen)) {
		git_tree_entry *dir = NULL;

		git_tree_free(c->dir_tree);
		c->dir_tree = NULL;
		dc_buf_clear(&c->dir);
		dc_buf_put(&c->dir, full, dlen);
		c->valid = 1;
		if (dlen && git_tree_entry_bypath(&dir, c->base, c->dir.ptr) == 0 &&
		    git_tree_entry_type(dir) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&c->dir_tree, git_tree_owner(c->base), git_tree_entry_id(dir)) < 0)
			c->dir_tree = NULL;
		git_tree_entry_free(dir);
		dc_error_clear();
	}
	if (dlen && !c->dir_tree)
		return NULL;
	te = git_tree_entry_byname(dlen ? c->dir_tree : c->base, slash ? slash + 1 : full);
	if (!te || git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return NULL; /* new here (or renamed): no version before it at this path */
	return te;
}

/* Compares the document at `path` (its summary says it is approved) with
 * its version in `base`. */
static int one(const dc_project *p, const known_index *k, const char *path, tree_cursor *cur, const char *prefix,
	       dc_buf *full, dc_buf *now_bytes, dc_doc *before, dc_doc *now, dc_diags *diags)
{
	const git_tree_entry *te;
	git_blob *blob = NULL;
	const dc_entry *e;
	dc_entry looked;
	git_oid now_oid;
	int truncated = 0, rc = 0;

	dc_buf_clear(full);
	dc_buf_printf(full, "%s%s%s", prefix, *prefix ? "/" : "", path);
	if (!(te = cursor_find(cur, full->ptr)))
		return 0;
	if (!(e = dc_source_find(p->src, path))) {
		if (dc_source_lookup(p->src, path, &looked) != 0)
			goto cleanup;
		e = &looked;
	}
	if ((e->has_oid && git_oid_equal(&e->oid, git_tree_entry_id(te))) ||
	    (!e->has_oid && known_same(k, e, full->ptr, git_tree_entry_id(te))))
		goto cleanup; /* the same blob */
	if ((rc = dc_source_read(p->src, e, DC_FILE_MAX + 1, now_bytes, &truncated)) < 0)
		goto cleanup;
	if (truncated)
		goto cleanup;
	if (!e->has_oid) {
		if (git_odb_hash(&now_oid, now_bytes->ptr, now_bytes->len, GIT_OBJECT_BLOB) < 0) {
			rc = dc_error_set_git("cannot hash a document");
			goto cleanup;
		}
		if (git_oid_equal(&now_oid, git_tree_entry_id(te)))
			goto cleanup;
	}
	if (git_blob_lookup(&blob, git_tree_owner(cur->base), git_tree_entry_id(te)) < 0) {
		rc = dc_error_set_git("cannot read the previous version of a document");
		goto cleanup;
	}
	if (git_blob_rawsize(blob) > DC_FILE_MAX)
		goto cleanup;
	if ((rc = parse(before, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob))) < 0 ||
	    (rc = parse(now, path, now_bytes->ptr, now_bytes->len)) < 0)
		goto cleanup;
	rc = dc_stale_check(before, now, diags);
cleanup:
	git_blob_free(blob);
	return rc;
}

int dc_stale_check_set(const dc_project *p, const dc_docset *set, const dc_check_opts *o, git_tree *base,
		       const char *prefix, dc_diags *diags)
{
	dc_buf full = DC_BUF_INIT, bytes = DC_BUF_INIT;
	dc_doc before, now;
	known_index k;
	tree_cursor cur = { base, NULL, DC_BUF_INIT, 0 };
	size_t i;
	int rc = 0;

	if (!base)
		return 0;
	known_open(&k, p);
	dc_doc_init(&before);
	dc_doc_init(&now);
	for (i = 0; i < set->n && rc == 0; i++) {
		const dc_docinfo *d = &set->docs[i];

		if (!d->parsed || !d->status || strcmp(d->status, "approved") || !d->approved_by ||
		    !dc_check_wanted(o, d->path))
			continue;
		rc = one(p, &k, d->path, &cur, prefix ? prefix : "", &full, &bytes, &before, &now, diags);
	}
	dc_arena_dispose(&before.arena);
	dc_arena_dispose(&now.arena);
	dc_buf_dispose(&full);
	dc_buf_dispose(&bytes);
	git_index_free(k.index);
	git_tree_free(cur.dir_tree);
	dc_buf_dispose(&cur.dir);
	return rc;
}
