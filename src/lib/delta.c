/*
 * delta.c - the changed controlled documents between two states, matched by
 * id (see delta.h).
 */
#include "delta.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "treediff.h"


void dc_delta_init(dc_delta *d)
{
	memset(d, 0, sizeof(*d));
}

void dc_delta_dispose(dc_delta *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		dc_arena_dispose(&d->items[i].old_doc.arena);
		dc_arena_dispose(&d->items[i].new_doc.arena);
	}
	dc_strlist_dispose(&d->other);
	free(d->items);
	dc_delta_init(d);
}

int dc_fields_differ(const dc_doc *a, const dc_doc *b, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!dc_node_equal(dc_node_get(a->root, fields[i]), dc_node_get(b->root, fields[i])))
			return 1;
	return 0;
}

/* Reads and parses one blob as the document at `path`. */
static int load(dc_doc *doc, git_repository *repo, const git_oid *oid, const char *path, git_filemode_t mode)
{
	git_blob *blob = NULL;
	dc_diags ignored;
	git_object_size_t size;
	int rc;

	dc_doc_init(doc);
	dc_diags_init(&ignored);
	if (git_blob_lookup(&blob, repo, oid) < 0)
		return dc_error_set_git(_("cannot read a changed document"));
	size = git_blob_rawsize(blob);
	rc = dc_doc_parse(doc, path, git_blob_rawcontent(blob), size > DC_FILE_MAX ? DC_FILE_MAX + 1 : (size_t)size,
			  mode == GIT_FILEMODE_LINK, &ignored);
	git_blob_free(blob);
	dc_diags_dispose(&ignored);
	return rc;
}

static int push(dc_delta *d, size_t *cap, dc_change **out)
{
	if (DC_ARRAY_GROW(d->items, *cap, d->n + 1) < 0)
		return -1;
	*out = &d->items[d->n++];
	memset(*out, 0, sizeof(**out));
	dc_doc_init(&(*out)->old_doc);
	dc_doc_init(&(*out)->new_doc);
	return 0;
}

/* Whether a document has any of `fields`. */
/* Nonzero when a field of `group` (reference §4.2) differs between a and b. */
static int group_differs(const dc_doc *a, const dc_doc *b, dc_field_group group)
{
	size_t i;

	for (i = 0; i < dc_fields_count; i++)
		if (dc_fields[i].group == group && dc_fields_differ(a, b, &dc_fields[i].name, 1))
			return 1;
	return 0;
}

/* Nonzero when `d` has a field of `group`. */
static int has_any(const dc_doc *d, dc_field_group group)
{
	size_t i;

	for (i = 0; i < dc_fields_count; i++)
		if (dc_fields[i].group == group && dc_node_get(d->root, dc_fields[i].name))
			return 1;
	return 0;
}

static void classify(dc_change *c)
{
	const char *oid = c->has_old ? dc_doc_str(&c->old_doc, "id") : NULL;
	const char *nid = c->has_new ? dc_doc_str(&c->new_doc, "id") : NULL;

	c->id = nid ? nid : oid;
	if (c->has_old && c->has_new) {
		c->kind = DC_CHANGE_MODIFIED;
		c->renamed = strcmp(c->old_doc.path, c->new_doc.path) != 0;
		if (!c->old_doc.root || !c->new_doc.root) {
			c->content_changed = git_oid_cmp(&c->old_oid, &c->new_oid) != 0 || c->renamed;
			c->approval_changed = c->review_changed = c->retire_changed = c->content_changed;
			return;
		}
		c->content_changed = !dc_doc_same_content(&c->old_doc, &c->new_doc);
		c->approval_changed = group_differs(&c->old_doc, &c->new_doc, DC_FG_APPROVAL);
		c->review_changed = group_differs(&c->old_doc, &c->new_doc, DC_FG_REVIEW);
		c->retire_changed = group_differs(&c->old_doc, &c->new_doc, DC_FG_RETIREMENT);
	} else {
		c->kind = c->has_old ? DC_CHANGE_DELETED : DC_CHANGE_ADDED;
		c->content_changed = 1;
		/* a new document's groups changed from nothing: each that it
		 * has is vouched for (rcv_vouch) */
		if (c->has_new && c->new_doc.root) {
			c->approval_changed = has_any(&c->new_doc, DC_FG_APPROVAL);
			c->review_changed = has_any(&c->new_doc, DC_FG_REVIEW);
			c->retire_changed = has_any(&c->new_doc, DC_FG_RETIREMENT);
		}
	}
}

static int add_other(dc_delta *d, const char *path)
{
	return dc_strlist_add(&d->other, path);
}

int dc_delta_from_files(dc_delta *out, git_repository *repo, const dc_policy *policy, const char *prefix,
			const dc_filechange *files, size_t nfiles)
{
	size_t i, j, plen = strlen(prefix);
	int rc = 0;

	dc_delta_init(out);
	for (i = 0; i < nfiles && rc == 0; i++) {
		const dc_filechange *f = &files[i];
		const char *rel;
		dc_change *c = NULL;

		if (strncmp(f->path, prefix, plen))
			continue;
		rel = f->path + plen + (plen && f->path[plen] == '/');
		if (!dc_policy_controls(policy, rel)) {
			rc = add_other(out, rel);
			continue;
		}
		/* a gitlink (submodule entry) is no document, whatever blob id it
		 * names: one in place of a document is its deletion (reference
		 * §6.1 item 3b; check_tree.c reports the gitlink itself) */
		if ((!f->has_old || f->old_mode == GIT_FILEMODE_COMMIT) &&
		    (!f->has_new || f->new_mode == GIT_FILEMODE_COMMIT))
			continue;
		if ((rc = push(out, &out->cap, &c)) < 0)
			break;
		if (f->has_old && f->old_mode != GIT_FILEMODE_COMMIT) {
			c->has_old = 1;
			git_oid_cpy(&c->old_oid, &f->old_oid);
			rc = load(&c->old_doc, repo, &f->old_oid, rel, f->old_mode);
		}
		if (rc == 0 && f->has_new && f->new_mode != GIT_FILEMODE_COMMIT) {
			c->has_new = 1;
			git_oid_cpy(&c->new_oid, &f->new_oid);
			rc = load(&c->new_doc, repo, &f->new_oid, rel, f->new_mode);
		}
	}
	if (rc < 0)
		return rc;
	/* pair a deletion with an addition of the same id: one change, renamed */
	for (i = 0; i < out->n; i++) {
		dc_change *del = &out->items[i];
		const char *id;

		if (del->has_new || !del->has_old || !(id = dc_doc_str(&del->old_doc, "id")))
			continue;
		for (j = 0; j < out->n; j++) {
			dc_change *add = &out->items[j];
			const char *nid;

			if (add->has_old || !add->has_new || !(nid = dc_doc_str(&add->new_doc, "id")) || strcmp(id, nid))
				continue;
			add->has_old = 1;
			add->old_doc = del->old_doc;
			add->old_oid = del->old_oid;
			dc_doc_init(&del->old_doc);
			del->has_old = 0;
			break;
		}
	}
	for (i = 0, j = 0; i < out->n; i++) {
		if (!out->items[i].has_old && !out->items[i].has_new)
			continue;
		out->items[j++] = out->items[i];
	}
	out->n = j;
	for (i = 0; i < out->n; i++)
		classify(&out->items[i]);
	return 0;
}

typedef struct {
	dc_filechange *files;
	size_t n, cap;
	dc_arena paths;
} file_list;

static int file_of(const git_diff_delta *gd, float progress, void *payload)
{
	file_list *l = payload;
	const char *path = gd->new_file.path ? gd->new_file.path : gd->old_file.path;
	dc_filechange *f;

	(void)progress;
	if (dc_array_grow(&l->files, &l->cap, l->n, sizeof(*l->files)) < 0)
		return -1;
	f = &l->files[l->n];
	memset(f, 0, sizeof(*f));
	if (!(f->path = dc_arena_strdup(&l->paths, path)))
		return dc_error_oom();
	f->has_old = gd->status != GIT_DELTA_ADDED;
	f->old_oid = gd->old_file.id;
	f->old_mode = gd->old_file.mode;
	f->has_new = gd->status != GIT_DELTA_DELETED;
	f->new_oid = gd->new_file.id;
	f->new_mode = gd->new_file.mode;
	l->n++;
	return 0;
}

int dc_delta_compute(dc_delta *out, git_repository *repo, const dc_policy *policy, const char *prefix,
		     git_tree *old_tree, git_index *new_index, git_tree *new_tree)
{
	git_diff_options opts;
	git_diff *diff = NULL;
	file_list l;
	int rc = 0;

	dc_delta_init(out);
	memset(&l, 0, sizeof(l));
	dc_arena_init(&l.paths);
	if (new_index) {
		git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
		opts.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
		if (git_diff_tree_to_index(&diff, repo, old_tree, new_index, &opts) < 0)
			rc = dc_error_set_git(_("cannot compare trees"));
		else if ((rc = git_diff_foreach(diff, file_of, NULL, NULL, NULL, &l)) != 0)
			rc = -1;
		git_diff_free(diff);
	} else {
		/* two trees (a push): git's raw tree diff, the same deltas as
		 * git_diff_tree_to_tree without reading unchanged folders */
		const git_oid *oid = old_tree ? git_tree_id(old_tree) : NULL;
		const git_oid *nid = new_tree ? git_tree_id(new_tree) : NULL;
		dc_treediff_session *td = NULL;

		if ((rc = dc_treediff_session_new(&td, repo)) == 0 &&
		    dc_treediff_foreach(td, oid, nid, NULL, 0, 0, file_of, &l) != 0)
			rc = -1;
		dc_treediff_session_free(td);
	}
	if (rc == 0)
		rc = dc_delta_from_files(out, repo, policy, prefix, l.files, l.n);
	free(l.files);
	dc_arena_dispose(&l.paths);
	return rc;
}
