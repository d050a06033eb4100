/*
 * receive_ids.c - one number, one document (reference §6.6): an id a push newly
 * introduces on any ref is refused when another branch of the server, or a
 * ref earlier in the same push, already holds it at a different path.
 */
#include "i18n.h"
#include "receive_int.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "i18n.h"

#define ADD(x, file, line, col, rule, id, ...) dc_diags_add((x)->diags, file, line, col, rule, id, __VA_ARGS__)

typedef struct {
	rcv_ref *x;
	const char **ids;      /* the ids the push introduces */
	const char **paths;    /* where NEW has them */
	const dc_change **changes;
	size_t n;
	const char *branch;
	unsigned char *found;  /* per id: already reported */
} id_scan;

int rcv_named_for(const char *name, const char *id)
{
	size_t n = strlen(id), len = strlen(name);

	return !strncmp(name, id, n) && len >= n + 3 && !strcmp(name + len - 3, ".md") &&
	       (name[n] == '.' || name[n] == '-');
}

/* --- the files named for an id, under the roots of a tree --- */

typedef struct {
	const char *const *ids;
	const unsigned char *found;
	size_t n;
	const char *root;      /* the root folder being walked */
	rcv_named_fn fn;
	void *arg;
	int failed;            /* fn stopped the walk */
} named_walk;

static int named_entry(const char *dir, const git_tree_entry *e, void *payload)
{
	named_walk *w = payload;
	const char *name = git_tree_entry_name(e);
	dc_buf path = DC_BUF_INIT;
	size_t k;
	int rc = 0;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	for (k = 0; k < w->n && rc == 0; k++) {
		if (w->found[k] || !rcv_named_for(name, w->ids[k]))
			continue;
		dc_buf_clear(&path);
		rc = dc_buf_printf(&path, "%s%s%s%s", w->root, *w->root ? "/" : "", dir, name) < 0 ? -1 :
		     w->fn(w->arg, k, path.ptr, e);
	}
	dc_buf_dispose(&path);
	if (rc < 0)
		w->failed = 1;
	return rc < 0 ? -1 : 0;
}

int rcv_walk_named(git_repository *repo, git_tree *tree, const dc_policy *pol, const char *const *ids,
		   const unsigned char *found, size_t n, const char *unreadable, rcv_named_fn fn, void *arg)
{
	named_walk w = { ids, found, n, NULL, fn, arg, 0 };
	size_t i;

	for (i = 0; i < pol->nroots; i++) {
		git_tree_entry *e = NULL;
		git_tree *sub = NULL;
		int rc;

		w.root = pol->roots[i];
		if (!*w.root) {
			rc = git_tree_walk(tree, GIT_TREEWALK_PRE, named_entry, &w);
		} else {
			rc = git_tree_entry_bypath(&e, tree, w.root);
			if (rc == GIT_ENOTFOUND)
				continue;
			if (rc == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			    (rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e))) == 0)
				rc = git_tree_walk(sub, GIT_TREEWALK_PRE, named_entry, &w);
			git_tree_free(sub);
			git_tree_entry_free(e);
		}
		if (w.failed)
			return -1;
		if (rc < 0)
			return dc_error_set_git(unreadable);
	}
	return 0;
}

/* --- one number, one document --- */

/* rcv_walk_named's fn: a file of another branch named for id k, which
 * takes the id when it is another document than the one pushed. */
static int id_taken(void *arg, size_t k, const char *path, const git_tree_entry *e)
{
	id_scan *s = arg;
	git_blob *blob = NULL;
	dc_diags ignored;
	dc_doc doc;
	const char *id;
	int rc = 0;

	if (!strcmp(path, s->paths[k]))
		return 0; /* the same document */
	if (git_blob_lookup(&blob, s->x->r->repo, git_tree_entry_id(e)) < 0)
		return dc_error_set_git(_("cannot read a document of another branch"));
	dc_diags_init(&ignored);
	dc_doc_init(&doc);
	if (git_blob_rawsize(blob) <= DC_FILE_MAX &&
	    dc_doc_parse(&doc, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), 0, &ignored) == 0 &&
	    (id = dc_doc_str(&doc, "id")) && !strcmp(id, s->ids[k])) {
		const dc_change *c = s->changes[k];
		const dc_node *v = dc_node_get(c->new_doc.root, "id");
		dc_mark m = v ? v->start : c->new_doc.open;

		s->found[k] = 1;
		if (ADD(s->x, s->paths[k], m.line, m.col, DC_R_ID_DUPLICATE, s->ids[k],
			_("id \"%s\" is already taken on %s by %s; two documents cannot share a number: take the next free id (docctl new assigns one) and rename the file"),
			s->ids[k], s->branch, path) < 0 ||
		    rcv_hint(s->x, _("give %s a number no other branch uses"), s->paths[k]) < 0)
			rc = -1;
	}
	dc_arena_dispose(&doc.arena);
	dc_diags_dispose(&ignored);
	git_blob_free(blob);
	return rc;
}

/* Whether the trusted ref held a file at `path` before the push: a document
 * that reached this ref from there (a release fast-forwarded to main) was
 * introduced there, and judged then; it is not new, wherever it was before
 * (renamed on main, its old path still on a feature branch). */
static int on_trusted_ref(rcv_ref *x, const char *path)
{
	git_tree_entry *e = NULL;
	int found;

	if (!x->r->trust.tree || !x->r->trust_ref || !strcmp(x->r->trust_ref, x->ref))
		return 0;
	found = git_tree_entry_bypath(&e, x->r->trust.tree, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB;
	git_tree_entry_free(e);
	return found;
}

/* The ids the push gives documents that did not have them before. */
static int collect_new_ids(id_scan *s, rcv_ref *x)
{
	s->ids = calloc(x->delta.n + 1, sizeof(*s->ids));
	s->paths = calloc(x->delta.n + 1, sizeof(*s->paths));
	s->changes = calloc(x->delta.n + 1, sizeof(*s->changes));
	s->found = calloc(x->delta.n + 1, sizeof(*s->found));
	if (!s->ids || !s->paths || !s->changes || !s->found)
		return dc_error_oom();
	for (size_t i = 0; i < x->delta.n; i++) {
		const dc_change *c = &x->delta.items[i];
		const char *nid = c->has_new && c->new_doc.root ? dc_doc_str(&c->new_doc, "id") : NULL;
		const char *oid = c->has_old && c->old_doc.root ? dc_doc_str(&c->old_doc, "id") : NULL;

		if (!nid || (oid && !strcmp(oid, nid)) || on_trusted_ref(x, c->new_doc.path))
			continue;
		s->ids[s->n] = nid;
		s->paths[s->n] = c->new_doc.path;
		s->changes[s->n++] = c;
	}
	return 0;
}

/* The ids claimed by the refs evaluated earlier in this push. */
static int check_push_claims(id_scan *s, rcv_ref *x)
{
	for (size_t k = 0; k < s->n; k++)
		for (size_t i = 0; i < x->r->nclaims && !s->found[k]; i++) {
			const rcv_claim *cl = &x->r->claims[i];
			const dc_node *v = dc_node_get(s->changes[k]->new_doc.root, "id");

			if (strcmp(cl->id, s->ids[k]) || !strcmp(cl->path, s->paths[k]) || !strcmp(cl->ref, x->ref))
				continue;
			s->found[k] = 1;
			if (ADD(x, s->paths[k], v->start.line, v->start.col, DC_R_ID_DUPLICATE, s->ids[k],
				_("id \"%s\" is also taken by %s on %s in the same push; two documents cannot share a number: take the next free id (docctl new assigns one) and rename the file"),
				s->ids[k], cl->path, cl->ref) < 0 ||
			    rcv_hint(x, _("give %s a number no other branch uses"), s->paths[k]) < 0)
				return -1;
		}
	return 0;
}

/* The ids on branch name as it was before the push. */
static int scan_other_branch(id_scan *s, rcv_ref *x, const dc_policy *pol, const char *name)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_object_t type;
	git_oid oid;
	int rc;

	if ((rc = rcv_ref_before(x->r, name, &oid)) <= 0 || (rc = rcv_peel_commit(&c, x->r->repo, &oid, &type)) != 0)
		return rc < 0 ? -1 : 0;
	s->branch = name;
	if (git_commit_tree(&tree, c) < 0)
		rc = dc_error_set_git(_("cannot read another branch"));
	else /* TODO(perf): walks the names of every file under the roots of each
	      * other branch; an index of ids by branch would make this cost the
	      * new ids only. */
		rc = rcv_walk_named(x->r->repo, tree, pol, s->ids, s->found, s->n, _("cannot read another branch"),
				    id_taken, s);
	git_tree_free(tree);
	git_commit_free(c);
	return rc < 0 ? -1 : 0;
}

/* The ids on the other branches, as they were before the push. */
static int scan_other_branches(id_scan *s, rcv_ref *x, const dc_policy *pol)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int rc = 0, failed = 0;

	if (git_reference_iterator_glob_new(&it, x->r->repo, "refs/heads/*") < 0)
		return dc_error_set_git(_("cannot list the branches"));
	while (!failed && (rc = git_reference_next_name(&name, it)) == 0)
		if (strcmp(name, x->ref))
			failed = scan_other_branch(s, x, pol, name) < 0;
	if (!failed && rc != GIT_ITEROVER) {
		dc_error_set_git(_("cannot list the branches"));
		failed = 1;
	}
	git_reference_iterator_free(it);
	return failed ? -1 : 0;
}

/* Remembers what this ref introduces for the refs after it. */
static int remember_claims(const id_scan *s, rcv_ref *x)
{
	for (size_t k = 0; k < s->n; k++) {
		rcv_claim *p;

		if (DC_ARRAY_GROW(x->r->claims, x->r->claims_cap, x->r->nclaims + 1) < 0)
			return -1;
		p = x->r->claims + x->r->nclaims;
		p->id = dc_arena_strdup(&x->r->arena, s->ids[k]);
		p->path = dc_arena_strdup(&x->r->arena, s->paths[k]);
		p->ref = dc_arena_strdup(&x->r->arena, x->ref);
		x->r->nclaims++;
		if (!p->id || !p->path || !p->ref)
			return -1;
	}
	return 0;
}

int rcv_claim_ids(rcv_ref *x, const dc_policy *pol)
{
	id_scan s;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.x = x;
	if (collect_new_ids(&s, x) < 0)
		goto cleanup;
	rc = 0;
	if (s.n && (check_push_claims(&s, x) < 0 || scan_other_branches(&s, x, pol) < 0 ||
		    remember_claims(&s, x) < 0))
		rc = -1;
cleanup:
	free(s.ids);
	free(s.paths);
	free(s.changes);
	free(s.found);
	return rc;
}
