/*
 * receive_side.c - what the server's rules for a "side ref" share: the
 * confirmations' ref (receive_ack.c, reference §10.1) and the feedback ref
 * (receive_feedback.c, reference §11). Such a ref only moves forward, one
 * parent per commit; each pushed commit is judged by the blobs it changed
 * against its parent, and vouched for by a signature or by the pusher.
 * The rule names and messages stay the caller's: they are passed in,
 * already translated.
 */
#include "receive_int.h"

#include <string.h>

#include "array.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"

int rcv_side_walk(rcv_ref *x, git_oid **commits, size_t *n, const char *cannot_walk)
{
	git_revwalk *w = NULL;
	git_oid id;
	size_t cap = 0;
	int rc;

	if (git_revwalk_new(&w, x->r->repo) < 0 || git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(w, git_commit_id(x->new_commit)) < 0 ||
	    (x->old_commit && git_revwalk_hide(w, git_commit_id(x->old_commit)) < 0)) {
		git_revwalk_free(w);
		return dc_error_set_git(cannot_walk);
	}
	while ((rc = git_revwalk_next(&id, w)) == 0) {
		if (dc_array_grow(commits, &cap, *n, sizeof(**commits)) < 0) {
			git_revwalk_free(w);
			return dc_error_oom();
		}
		git_oid_cpy(&(*commits)[(*n)++], &id);
	}
	git_revwalk_free(w);
	if (rc != GIT_ITEROVER)
		return dc_error_set_git(cannot_walk);
	return 0;
}

int rcv_side_blob(git_blob **out, git_repository *repo, const git_oid *id, size_t max, const char *cannot_read,
		  const char *too_large)
{
	if (git_blob_lookup(out, repo, id) < 0)
		return dc_error_set_git(cannot_read);
	if ((size_t)git_blob_rawsize(*out) > max) {
		git_blob_free(*out);
		*out = NULL;
		return dc_error_set("%s", too_large);
	}
	return 0;
}

int rcv_side_commit(rcv_ref *x, const git_oid *id, const rcv_side_merge *merge, rcv_side_delta_fn each, void *arg)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *t = NULL, *pt = NULL;
	git_diff *diff = NULL;
	git_diff_options o;
	size_t i, n;
	int rc = -1;

	if (git_commit_lookup(&c, x->r->repo, id) < 0 || git_commit_tree(&t, c) < 0) {
		dc_error_set_git(_("cannot read a pushed commit"));
		goto cleanup;
	}
	if (git_commit_parentcount(c) > 1) {
		char hex[8];

		git_oid_tostr(hex, sizeof(hex), id);
		rc = dc_diags_add(x->diags, "", 0, 0, merge->rule, NULL, merge->fmt, hex, x->ref);
		rc = rc < 0 ? -1 : 1;
		goto cleanup;
	}
	if (git_commit_parentcount(c) == 1 && (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&pt, parent) < 0)) {
		dc_error_set_git(_("cannot read the parent of a pushed commit"));
		goto cleanup;
	}
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.flags |= GIT_DIFF_SKIP_BINARY_CHECK;
	if (git_diff_tree_to_tree(&diff, x->r->repo, pt, t, &o) < 0) {
		dc_error_set_git(_("cannot compare a pushed commit with its parent"));
		goto cleanup;
	}
	n = git_diff_num_deltas(diff);
	rc = 0;
	for (i = 0; i < n && rc == 0; i++)
		rc = each(arg, t, git_diff_get_delta(diff, i));
cleanup:
	git_diff_free(diff);
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(c);
	git_commit_free(parent);
	return rc;
}

typedef struct {
	rcv_side_file_fn each;
	void *arg;
	size_t ci;
} side_commit;

static int side_delta(void *arg, git_tree *tree, const git_diff_delta *d)
{
	side_commit *c = arg;

	return c->each(c->arg, c->ci, tree, d);
}

int rcv_side_judge(rcv_side_push *s, const char *cannot_walk, const rcv_side_merge *merge, rcv_side_file_fn each,
		   void *arg)
{
	rcv_side_merge m = { merge->rule, _(merge->fmt) };
	side_commit c = { each, arg, 0 };
	int rc = rcv_side_walk(s->x, &s->commits, &s->ncommits, cannot_walk);

	for (c.ci = 0; rc == 0 && c.ci < s->ncommits; c.ci++) {
		rc = rcv_side_commit(s->x, &s->commits[c.ci], &m, side_delta, &c);
		if (rc == 1) {
			s->refused = 1;
			rc = 0;
		}
	}
	return rc < 0 ? -1 : 0;
}

int rcv_side_vouched(rcv_side_push *s, size_t ci, const dc_person *p, int *out)
{
	rcv_ref *x = s->x;
	const dc_policy *pol = s->pol;
	dc_sig_result res;

	*out = 0;
	if (!p)
		return 0;
	if (pol->identity_pusher && x->pusher && !strcmp(x->pusher, p->key)) {
		*out = 1;
		return 0;
	}
	if (!pol->identity_signature || !p->email)
		return 0;
	if (rcv_verify(x, &s->commits[ci], p->email, &res) < 0)
		return -1;
	*out = res.status == DC_SIG_GOOD;
	return 0;
}

int rcv_side_docs_init(rcv_side_docs *d, size_t most, size_t size,
		       int (*load)(void *, void *, const char *, const dc_doc *, const char *), void *arg)
{
	memset(d, 0, sizeof(*d));
	d->load = load;
	d->arg = arg;
	d->size = size;
	d->ids = dc_arena_alloc(&d->arena, (most + 1) * sizeof(*d->ids));
	d->found = dc_arena_alloc(&d->arena, most + 1);
	d->docs = dc_arena_alloc(&d->arena, (most + 1) * size);
	return d->ids && d->found && d->docs ? 0 : -1;
}

int rcv_side_docs_add(rcv_side_docs *d, const char *id)
{
	size_t k;

	for (k = 0; id && k < d->n; k++)
		if (!strcmp(d->ids[k], id))
			return 0;
	if (id && !(d->ids[d->n++] = dc_arena_strdup(&d->arena, id)))
		return -1;
	return 0;
}

const void *rcv_side_docs_found(const rcv_side_docs *d, const char *id)
{
	size_t k;

	for (k = 0; id && k < d->n; k++)
		if (!strcmp(d->ids[k], id))
			return d->found[k] ? (const char *)d->docs + k * d->size : NULL;
	return NULL;
}

void rcv_side_docs_dispose(rcv_side_docs *d)
{
	dc_arena_dispose(&d->arena);
	memset(d, 0, sizeof(*d));
}

void rcv_side_push_dispose(rcv_side_push *s)
{
	rcv_side_docs_dispose(&s->ids);
	free(s->commits);
}

const dc_policy *rcv_side_policy(const dc_receive *r)
{
	return r->trust_state == RCV_TRUST_REF && r->trust.proj ? r->trust.proj->policy : NULL;
}

typedef struct {
	rcv_ref *x;
	const dc_policy *pol;
	rcv_side_docs *docs;
} side_scan;

/* rcv_walk_named's fn: a file named for document k, loaded when it is a
 * controlled file and its id holds (else another document named like it). */
static int side_found(void *arg, size_t k, const char *path, const git_tree_entry *e)
{
	side_scan *s = arg;
	const char *want = s->docs->ids[k], *id;
	void *out = (char *)s->docs->docs + k * s->docs->size;
	dc_doc doc;
	int rc = 0;

	if (!dc_policy_controls(s->pol, path))
		return 0;
	if (rcv_side_doc(&doc, s->x, path, git_tree_entry_id(e)) < 0)
		rc = -1;
	else if (doc.root && (id = dc_doc_str(&doc, "id")) && !strcmp(id, want) &&
		 (rc = s->docs->load(s->docs->arg, out, want, &doc, path)) == 0)
		s->docs->found[k] = 1;
	rcv_side_doc_dispose(&doc);
	return rc;
}

int rcv_side_find_docs(rcv_side_push *p)
{
	side_scan s = { p->x, p->pol, &p->ids };
	git_tree *tree = NULL;
	int rc;

	if (git_commit_tree(&tree, p->x->r->trust.commit) < 0)
		return dc_error_set_git(_("cannot read the protected branch"));
	rc = rcv_walk_named(p->x->r->repo, tree, p->pol, (const char *const *)p->ids.ids, p->ids.found, p->ids.n,
			    _("cannot read the protected branch"), side_found, &s);
	git_tree_free(tree);
	return rc;
}

int rcv_side_begin(rcv_ref *x, const dc_policy *pol, size_t signers_max, git_object_t *type)
{
	dc_receive *r = x->r;
	int rc;

	x->trusted = &r->trust;
	if (dc_source_read_path(r->trust.src, pol->signers, signers_max, &x->signers) < 0)
		return -1;
	rc = rcv_peel_commit(&x->new_commit, r->repo, &x->new_oid, type);
	if (rc == 0 && x->has_old)
		rc = rcv_peel_commit(&x->old_commit, r->repo, &x->old, type);
	if (rc < 0)
		return -1;
	if (rc == 1 || !x->new_commit)
		return 1;
	if (x->old_commit && !git_oid_equal(git_commit_id(x->old_commit), git_commit_id(x->new_commit))) {
		rc = git_graph_descendant_of(r->repo, git_commit_id(x->new_commit), git_commit_id(x->old_commit));
		if (rc < 0)
			return dc_error_set_git(_("cannot compare OLD and NEW"));
		if (rc == 0)
			return 2;
	}
	return 0;
}

int rcv_side_doc(dc_doc *doc, rcv_ref *x, const char *path, const git_oid *id)
{
	git_blob *blob = NULL;
	dc_diags ignored;
	int rc;

	dc_doc_init(doc);
	if (git_blob_lookup(&blob, x->r->repo, id) < 0)
		return dc_error_set_git(_("cannot read a document of the protected branch"));
	dc_diags_init(&ignored);
	rc = dc_doc_parse(doc, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), 0, &ignored);
	dc_diags_dispose(&ignored);
	git_blob_free(blob);
	return rc;
}

void rcv_side_doc_dispose(dc_doc *doc)
{
	dc_doc_dispose(doc);
	dc_arena_dispose(&doc->arena); /* dc_doc_dispose keeps the arena for another parse */
}

const dc_type *rcv_side_doc_type(const dc_policy *pol, const dc_doc *doc, const char *id)
{
	const dc_type *t = dc_policy_type(pol, dc_doc_str(doc, "type"));

	return t ? t : dc_policy_type_for_id(pol, id);
}
