/*
 * receive_auth.c - who vouches for a change on a protected ref, and how the
 * server knows it was them (reference §6.2 item 5, §6.3, §6.5).
 *
 * The person named in approved_by, reviewed_by or obsoleted_by must be a
 * person of the policy in force, hold an approver role of the document's
 * type there, not have changed the document's content in a commit new to
 * the ref (four eyes: as its author, its committer or its signer; a merge
 * changes it when its result differs from every parent), and be
 * authenticated: a commit whose own change is that vouching (vouch.h: it
 * holds NEW's very bytes, changes the vouching fields and no content
 * relative to every parent) carries their good SSH signature, or they are
 * the pusher the git server names. Author and committer serve the
 * four-eyes rule only, never authentication. A content change whose
 * approval fields no commit of the push changed is approval.stale.
 *
 * Every commit new to the ref that changes the policy (docctl.yaml, the
 * signers file, the schemas, any .gitattributes) must be signed by a
 * policy approver of the policy in force.
 *
 * rcv_authenticate_prepare runs all of this once without verifying
 * anything, to learn which signatures the decisions need; sigcache.c
 * verifies them on every core; the second run decides (reference §6.8).
 *
 * To know each new commit's version of a document, the document is looked
 * up by the paths it has in OLD and NEW and matched by id; each blob is
 * parsed once.
 */
#include "receive_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "signoff.h"
#include "text.h"
#include "vouch.h"

/* While collecting (x->collect) nothing is reported: the same walk runs
 * again to decide. */
#define ADD(x, ...) ((x)->collect ? 0 : dc_diags_add((x)->diags, __VA_ARGS__))

/* --- a document through the new commits ---
 *
 * A commit's version of a document is read from its tree only where the
 * commit touched one of the document's paths (receive_graph.c); elsewhere it
 * is its first parent's, memoized along the first-parent chain. Four eyes
 * looks only at the commits that touched the paths relative to every parent
 * (any other one has some parent's version, so it changed nothing), and
 * authentication first at the signed commits; only a refusal walks every
 * commit, for its message. Reading trees and parsing blobs so costs the
 * commits that touched the document, not every new commit; what is left per
 * document and commit is a few array steps. */

typedef struct {
	git_oid blob;
	char hex[GIT_OID_HEXSZ + 1];
	dc_doc doc;
} parsed_blob;

typedef struct {
	const dc_doc *doc;  /* NULL: the commit has no version of the document */
	git_oid blob;
} version;

/* A commit outside the list whose version was read. */
typedef struct {
	git_oid id;
	version v;
} outside_version;

/* The document through one list of commits. */
typedef struct {
	rcv_graph *g;
	version *v;               /* per commit, valid where known[] */
	unsigned char *known;
	unsigned char *touched0;  /* touched relative to the first parent */
	size_t *all;              /* commits that touched relative to every parent, or roots; ascending */
	size_t nall;
	struct path_entry *pe;    /* per commit and path: the commit's entry there, valid where known */
} doc_track;

/* A commit's entry at one of the document's paths. */
typedef struct path_entry {
	git_oid oid;
	uint32_t mode;
	unsigned char present, known;
} path_entry;

#define DOC_PATHS_MAX 8

typedef struct {
	rcv_ref *x;
	const dc_change *c;
	const char *paths[DOC_PATHS_MAX];
	size_t npaths;
	parsed_blob **blobs;
	size_t nblobs, blobs_cap;
	dc_strmap blob_index;     /* hex -> index in blobs */
	outside_version *outside;
	size_t noutside, outside_cap;
	doc_track t[2];           /* the new commits, the extra ones */
} doc_history;

static void history_dispose(doc_history *h)
{
	size_t i;

	for (i = 0; i < h->nblobs; i++) {
		dc_arena_dispose(&h->blobs[i]->doc.arena);
		free(h->blobs[i]);
	}
	free(h->blobs);
	dc_strmap_dispose(&h->blob_index);
	free(h->outside);
	for (i = 0; i < 2; i++) {
		free(h->t[i].v);
		free(h->t[i].known);
		free(h->t[i].touched0);
		free(h->t[i].all);
		free(h->t[i].pe);
	}
}

static int parse_blob(doc_history *h, const git_oid *id, const char *path, git_filemode_t mode, const dc_doc **out)
{
	git_blob *blob = NULL;
	git_object_size_t size;
	parsed_blob *pb;
	dc_diags ignored;
	size_t at;
	int rc;

	{
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), id);
		if (dc_strmap_get(&h->blob_index, hex, &at)) {
			*out = &h->blobs[at]->doc;
			return 0;
		}
	}
	if (DC_ARRAY_GROW(h->blobs, h->blobs_cap, h->nblobs + 1) < 0)
		return -1;
	if (!(pb = calloc(1, sizeof(*pb))))
		return dc_error_oom();
	git_oid_cpy(&pb->blob, id);
	git_oid_tostr(pb->hex, sizeof(pb->hex), id);
	dc_doc_init(&pb->doc);
	h->blobs[h->nblobs++] = pb;
	if (dc_strmap_put(&h->blob_index, pb->hex, h->nblobs - 1) < 0)
		return -1;
	if (git_blob_lookup(&blob, h->x->r->repo, id) < 0)
		return dc_error_set_git(_("cannot read a version of a document"));
	size = git_blob_rawsize(blob);
	dc_diags_init(&ignored);
	rc = dc_doc_parse(&pb->doc, path, git_blob_rawcontent(blob), size > DC_FILE_MAX ? DC_FILE_MAX + 1 : (size_t)size,
			  mode == GIT_FILEMODE_LINK, &ignored);
	dc_diags_dispose(&ignored);
	git_blob_free(blob);
	*out = &pb->doc;
	return rc;
}

/* The commit's version of the document, read from its tree: at one of its
 * paths, with its id. */
static int version_in(doc_history *h, const git_oid *commit, version *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	size_t i;
	int rc = 0;

	out->doc = NULL;
	if (git_commit_lookup(&c, h->x->r->repo, commit) < 0 || git_commit_tree(&t, c) < 0) {
		rc = dc_error_set_git(_("cannot read a new commit"));
		goto cleanup;
	}
	for (i = 0; i < h->npaths && !out->doc && rc == 0; i++) {
		git_tree_entry *e = NULL;
		const dc_doc *d = NULL;
		const char *id;

		rc = git_tree_entry_bypath(&e, t, h->paths[i]);
		if (rc == GIT_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc < 0) {
			rc = dc_error_set_git(_("cannot read a new commit's tree"));
			break;
		}
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    (rc = parse_blob(h, git_tree_entry_id(e), h->paths[i], git_tree_entry_filemode(e), &d)) == 0) {
			id = d->root ? dc_doc_str(d, "id") : NULL;
			if (!id || !h->c->id || !strcmp(id, h->c->id)) {
				out->doc = d;
				git_oid_cpy(&out->blob, git_tree_entry_id(e));
			}
		}
		git_tree_entry_free(e);
	}
cleanup:
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* The version of a commit outside the list (read once per document). */
static int version_outside(doc_history *h, const git_oid *commit, version *out)
{
	size_t i;

	for (i = 0; i < h->noutside; i++)
		if (git_oid_equal(&h->outside[i].id, commit)) {
			*out = h->outside[i].v;
			return 0;
		}
	if (version_in(h, commit, out) < 0)
		return -1;
	if (DC_ARRAY_GROW(h->outside, h->outside_cap, h->noutside + 1) < 0)
		return -1;
	git_oid_cpy(&h->outside[h->noutside].id, commit);
	h->outside[h->noutside++].v = *out;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Prepares the document's view of list `which` (0: x->commits, 1: x->extra). */
static int track_open(doc_history *h, int which, doc_track **out)
{
	rcv_ref *x = h->x;
	doc_track *t = &h->t[which];
	rcv_graph **gp = which ? &x->graph_extra : &x->graph;
	unsigned char *mask = NULL;
	size_t i, j, n, cap = 0;
	int rc = 0;

	*out = t;
	if (t->g)
		return 0;
	if (!*gp && rcv_graph_build(gp, x->r->repo, which ? x->extra : x->commits, which ? x->nextra : x->ncommits) < 0)
		return -1;
	t->g = *gp;
	n = t->g->n;
	if (!n)
		return 0;
	if (!(t->v = calloc(n, sizeof(*t->v))) || !(t->known = calloc(n, 1)) || !(t->touched0 = calloc(n, 1)) ||
	    !(t->pe = calloc(n * h->npaths, sizeof(*t->pe))))
		return dc_error_oom();
	/* per commit, a bit per parent touched (merges with more than 8
	 * parents count as touched by all, which only costs a tree read) */
	if (!(mask = calloc(n, 1)))
		return dc_error_oom();
	for (j = 0; j < h->npaths; j++) {
		const rcv_touches *tt = rcv_graph_touches(t->g, h->paths[j]);

		for (i = 0; tt && i < tt->n; i++) {
			const rcv_touch *e = &tt->items[i];

			mask[e->commit] |= (unsigned char)(e->parent < 8 ? 1u << e->parent : 0xffu);
			if (e->parent == 0)
				t->touched0[e->commit] = 1;
		}
	}
	for (i = 0; i < n && rc == 0; i++) {
		unsigned np = t->g->c[i].np;
		unsigned full = np >= 8 ? 0xffu : (1u << np) - 1;

		if (np && (mask[i] & full) != full)
			continue;
		if (!np || mask[i]) {
			if (DC_ARRAY_GROW(t->all, cap, t->nall + 1) < 0) {
				rc = -1;
				break;
			}
			t->all[t->nall++] = i;
		}
	}
	free(mask);
	if (rc == 0 && t->nall > 1)
		qsort(t->all, t->nall, sizeof(*t->all), cmp_size);
	return rc;
}

/* A commit's entry at a path, read from its tree (a root commit, or a
 * parent outside the list). */
static int tree_entry(doc_history *h, const git_oid *commit, const char *path, path_entry *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (git_commit_lookup(&c, h->x->r->repo, commit) < 0 || git_commit_tree(&t, c) < 0) {
		rc = dc_error_set_git(_("cannot read a commit"));
	} else if ((rc = git_tree_entry_bypath(&e, t, path)) == 0) {
		out->present = 1;
		out->mode = (uint32_t)git_tree_entry_filemode(e);
		git_oid_cpy(&out->oid, git_tree_entry_id(e));
	} else if (rc == GIT_ENOTFOUND) {
		rc = 0;
	} else {
		rc = dc_error_set_git(_("cannot read a commit's tree"));
	}
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* Commit i's entry at path pi, from the touches of the push (receive_graph.c:
 * git said what each commit changed, so the big folder trees of a large
 * repository are not read again per document): its own where it touched
 * the path relative to its first parent, else its first parent's. */
static int entry_at(doc_history *h, doc_track *t, size_t i, size_t pi, path_entry *out)
{
	const rcv_graph *g = t->g;
	const rcv_touches *tt = rcv_graph_touches(g, h->paths[pi]);
	const rcv_touch *hit;
	path_entry e;
	size_t j = i;

	for (;;) {
		const rcv_gcommit *gc = &g->c[j];
		const path_entry *m = &t->pe[j * h->npaths + pi];

		if (m->known) {
			e = *m;
			break;
		}
		if (!gc->np) {
			if (tree_entry(h, &g->ids[j], h->paths[pi], &e) < 0)
				return -1;
			break;
		}
		if ((hit = rcv_touch_find(tt, j, 0))) {
			memset(&e, 0, sizeof(e));
			if ((e.present = (unsigned char)(hit->has_new != 0))) {
				e.mode = hit->mode;
				git_oid_cpy(&e.oid, &hit->oid);
			}
			break;
		}
		if (gc->pidx[0] == SIZE_MAX) {
			if (tree_entry(h, &gc->parents[0], h->paths[pi], &e) < 0)
				return -1;
			break;
		}
		j = gc->pidx[0];
	}
	e.known = 1;
	for (j = i;; j = g->c[j].pidx[0]) {
		path_entry *m = &t->pe[j * h->npaths + pi];

		if (m->known)
			break;
		*m = e;
		if (!g->c[j].np || rcv_touch_find(tt, j, 0) || g->c[j].pidx[0] == SIZE_MAX)
			break;
	}
	*out = e;
	return 0;
}

/* Commit i's version, from its entries at the document's paths (as
 * version_in reads them from its tree). */
static int version_from_entries(doc_history *h, doc_track *t, size_t i, version *out)
{
	size_t pi;

	out->doc = NULL;
	for (pi = 0; pi < h->npaths && !out->doc; pi++) {
		const dc_doc *d = NULL;
		const char *id;
		path_entry e;

		if (entry_at(h, t, i, pi, &e) < 0)
			return -1;
		if (!e.present || (e.mode != GIT_FILEMODE_BLOB && e.mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
				   e.mode != GIT_FILEMODE_LINK))
			continue;
		if (parse_blob(h, &e.oid, h->paths[pi], (git_filemode_t)e.mode, &d) < 0)
			return -1;
		id = d->root ? dc_doc_str(d, "id") : NULL;
		if (!id || !h->c->id || !strcmp(id, h->c->id)) {
			out->doc = d;
			git_oid_cpy(&out->blob, &e.oid);
		}
	}
	return 0;
}

/* The version of commit i of a list: its own where it touched the paths (or
 * is a root), else its first parent's. */
static int version_at(doc_history *h, doc_track *t, size_t i, version *out)
{
	const rcv_graph *g = t->g;
	size_t j = i;
	version v;

	for (;;) {
		const rcv_gcommit *gc = &g->c[j];

		if (t->known[j]) {
			v = t->v[j];
			break;
		}
		if (!gc->np || t->touched0[j]) {
			if (version_from_entries(h, t, j, &v) < 0)
				return -1;
			break;
		}
		if (gc->pidx[0] == SIZE_MAX) {
			if (version_outside(h, &gc->parents[0], &v) < 0)
				return -1;
			break;
		}
		j = gc->pidx[0];
	}
	for (j = i;; j = g->c[j].pidx[0]) {
		if (t->known[j])
			break;
		t->v[j] = v;
		t->known[j] = 1;
		if (!g->c[j].np || t->touched0[j] || g->c[j].pidx[0] == SIZE_MAX)
			break;
	}
	*out = v;
	return 0;
}

/* Nonzero when two versions differ in content (reference §4.2). */
static int differs(const version *a, const version *b)
{
	if (!a->doc || !b->doc)
		return a->doc != b->doc;
	if (git_oid_equal(&a->blob, &b->blob))
		return 0;
	if (!a->doc->root || !b->doc->root)
		return 1;
	return !dc_doc_same_content(a->doc, b->doc);
}

/* Whether new commit i changed the content: a root commit when it has the
 * document, any other when its version differs from every parent's (a
 * merge changes it only then). Called for t->all only: a commit that left
 * a path untouched relative to some parent has that parent's version. */
static int changed_at(doc_history *h, doc_track *t, size_t i, int *changed)
{
	const rcv_gcommit *gc = &t->g->c[i];
	version v, pv;
	unsigned k;

	if (version_at(h, t, i, &v) < 0)
		return -1;
	*changed = gc->np ? 1 : v.doc != NULL;
	for (k = 0; k < gc->np && *changed; k++) {
		if (gc->pidx[k] == SIZE_MAX ? version_outside(h, &gc->parents[k], &pv) < 0
					    : version_at(h, t, gc->pidx[k], &pv) < 0)
			return -1;
		if (!differs(&v, &pv))
			*changed = 0;
	}
	return 0;
}

/* The versions of commit i's parents, into pv[0..np) (pv[k].doc NULL where
 * a parent has none) and docs[] pointing at them. */
static int parents_of(doc_history *h, doc_track *t, size_t i, version *pv, const dc_doc **docs)
{
	const rcv_gcommit *gc = &t->g->c[i];
	unsigned k;

	for (k = 0; k < gc->np; k++) {
		if (gc->pidx[k] == SIZE_MAX ? version_outside(h, &gc->parents[k], &pv[k]) < 0
					    : version_at(h, t, gc->pidx[k], &pv[k]) < 0)
			return -1;
		docs[k] = pv[k].doc && pv[k].doc->root ? pv[k].doc : NULL;
	}
	return 0;
}

/* Room for commit i's parents' versions (a few on the stack, more for an
 * octopus merge); parents_close after parents_open, whatever it returned. */
typedef struct {
	version pv[4];
	const dc_doc *docs[4];
	version *hpv;
	const dc_doc **hdocs;
} parent_buf;

static int parents_open(doc_history *h, doc_track *t, size_t i, parent_buf *b, const dc_doc *const **docs)
{
	unsigned np = t->g->c[i].np;
	version *pv = b->pv;
	const dc_doc **d = b->docs;

	b->hpv = NULL;
	b->hdocs = NULL;
	if (np > 4) {
		if (!(b->hpv = calloc(np, sizeof(*b->hpv))) || !(b->hdocs = calloc(np, sizeof(*b->hdocs))))
			return dc_error_oom(); /* parents_close frees what was allocated */
		pv = b->hpv;
		d = b->hdocs;
	}
	*docs = d;
	return parents_of(h, t, i, pv, d);
}

static void parents_close(parent_buf *b)
{
	free(b->hpv);
	free(b->hdocs);
}

/* --- one person vouching --- */

typedef struct {
	const char *field, *meaning, *verb;
	dc_vouch_kind kind;
	const char *command, *step; /* what the person runs: docctl COMMAND ID STEP --sign */
} vouch_kind;

static const vouch_kind kinds[] = {
	{ "approved_by", "approved", "approve", DC_VOUCH_APPROVAL, "approve", "" },
	{ "reviewed_by", "reviewed", "review", DC_VOUCH_REVIEW, "review", "" },
	{ "obsoleted_by", "obsoleted", "obsolete", DC_VOUCH_RETIREMENT, "obsolete", "" },
	/* the check step 审核 (reference §9.1) */
	{ "checked_by", "checked", "check", DC_VOUCH_CHECK, "approve", " --step checked" },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *revision_of(const dc_doc *d)
{
	const dc_node *v = dc_node_get(d->root, "revision");

	return v && v->text ? v->text : "-";
}

static int hint_for(rcv_ref *x, const dc_change *c, const vouch_kind *k, const char *type, int another)
{
	const dc_policy *p = x->trusted->proj->policy;

	if (x->collect)
		return 0;
	if (k->kind == DC_VOUCH_CHECK) {
		if (p->identity_signature)
			return rcv_hint(x, _("ask %s checker of type %s to check %s revision %s and sign the commit: docctl approve %s --step checked --sign"),
					another ? _("another") : _("a"), type, c->id, revision_of(&c->new_doc), c->id);
		return rcv_hint(x, _("ask %s checker of type %s to check %s revision %s and push it themself: docctl approve %s --step checked"),
				another ? _("another") : _("a"), type, c->id, revision_of(&c->new_doc), c->id);
	}
	if (p->identity_signature)
		return rcv_hint(x, _("ask %s approver of type %s to %s %s revision %s and sign the commit: docctl %s %s --sign"),
				another ? _("another") : _("an"), type, k->verb, c->id, revision_of(&c->new_doc), k->verb, c->id);
	return rcv_hint(x, _("ask %s approver of type %s to %s %s revision %s and push it themself: docctl %s %s"),
			another ? _("another") : _("an"), type, k->verb, c->id, revision_of(&c->new_doc), k->verb, c->id);
}

static int has_finding_at(const rcv_ref *x, dc_rule_id rule, const char *file, unsigned line)
{
	size_t i;

	for (i = x->first_diag; i < x->diags->n; i++) {
		const dc_diag *g = &x->diags->items[i];

		if (g->line == line && g->rule == &dc_rules[rule] && !strcmp(g->file, file))
			return 1;
	}
	return 0;
}

static int record_approval(rcv_ref *x, const dc_change *c, const vouch_kind *k, const dc_person *p,
			   const git_oid *commit, const char *method)
{
	dc_receive_result *res = x->res;
	dc_approval *a;

	if (x->collect)
		return 0;
	if (DC_ARRAY_GROW(res->approvals, res->approvals_cap, res->napprovals + 1) < 0)
		return -1;
	a = res->approvals + res->napprovals++;
	memset(a, 0, sizeof(*a));
	a->id = dc_arena_strdup(&res->arena, c->id);
	a->revision = dc_arena_strdup(&res->arena, revision_of(&c->new_doc));
	a->person = dc_arena_strdup(&res->arena, p->key);
	a->name = dc_arena_strdup(&res->arena, p->name ? p->name : p->key);
	a->meaning = k->meaning;
	a->method = method;
	if (commit) {
		a->has_commit = 1;
		git_oid_cpy(&a->commit, commit);
	}
	if (!a->id || !a->revision || !a->person || !a->name)
		return -1;
	return 0;
}

static void roles_of(dc_buf *out, const dc_type *t)
{
	size_t i;

	for (i = 0; i < t->napprovers; i++)
		dc_buf_printf(out, "%s%s", i ? ", " : "", t->approvers[i]);
}

/* Whether commit i of `g` changed the file at `path` relative to every
 * parent (a root commit that has it: created it). */
static int touched_all(const rcv_graph *g, size_t i, const char *path)
{
	const rcv_touches *t = rcv_graph_touches(g, path);
	unsigned k, n = 0;

	if (!t)
		return 0;
	for (k = 0; k < g->c[i].np || (!g->c[i].np && k == 0); k++)
		if (rcv_touch_find(t, i, k))
			n++;
	return g->c[i].np ? n == g->c[i].np : n > 0;
}

/* The listed files of a version (reference §9.3), as project paths, into
 * out (which holds up to max). */
static size_t listed_paths(const dc_doc *d, dc_buf *bufs, size_t max)
{
	const dc_node *v = d && d->root ? dc_node_get(d->root, "files") : NULL;
	size_t i, n = 0;

	for (i = 0; v && v->kind == DC_NODE_SEQ && i < v->u.seq.n && n < max; i++) {
		const dc_node *e = v->u.seq.items[i];
		const char *why;

		if (e->kind == DC_NODE_STR && !memchr(e->text, '\0', e->len) &&
		    dc_file_path(&bufs[n], NULL, d->path, e->text, &why) == 0)
			n++;
	}
	return n;
}

#define LISTED_MAX 64

/* Whether commit i changed one of the files the document lists, in OLD
 * or NEW: a change of its content (reference §9.3). */
static int changed_listed(doc_history *h, const rcv_graph *g, size_t i)
{
	dc_buf bufs[LISTED_MAX];
	size_t n = 0, k;
	int hit = 0;

	for (k = 0; k < LISTED_MAX; k++)
		dc_buf_init(&bufs[k]);
	n = listed_paths(&h->c->new_doc, bufs, LISTED_MAX);
	if (h->c->has_old)
		n += listed_paths(&h->c->old_doc, bufs + n, LISTED_MAX - n);
	for (k = 0; k < n && !hit; k++)
		hit = touched_all(g, i, bufs[k].ptr);
	for (k = 0; k < LISTED_MAX; k++)
		dc_buf_dispose(&bufs[k]);
	return hit;
}

/* Four eyes for the listed files: a new commit that changed one and whose
 * author, committer or signer is the person. */
static int self_file_commit(doc_history *h, const dc_person *p, const git_oid **self)
{
	rcv_ref *x = h->x;
	const dc_policy *pol = x->trusted->proj->policy;
	doc_track *tr;
	size_t i;

	if (!dc_node_get(h->c->new_doc.root, "files") && !(h->c->has_old && h->c->old_doc.root &&
							   dc_node_get(h->c->old_doc.root, "files")))
		return 0;
	if (track_open(h, 0, &tr) < 0)
		return -1;
	for (i = 0; i < tr->g->n && !*self; i++) {
		const rcv_gcommit *gc = &tr->g->c[i];
		int by = (gc->author && dc_policy_person_by_email(pol, gc->author) == p) ||
			 (gc->committer && dc_policy_person_by_email(pol, gc->committer) == p);

		if (!by && !(gc->has_sig && p->email))
			continue;
		if (!changed_listed(h, tr->g, i))
			continue;
		if (!by && rcv_signed_with_key_of(x, &tr->g->ids[i], p->email, &by) < 0)
			return -1;
		if (by)
			*self = &tr->g->ids[i];
	}
	return 0;
}

/* Four eyes (reference §6.2 item 5): a new commit that changed the content
 * and whose author, committer or signer is the person. *self gets it. */
static int self_commit(doc_history *h, const dc_person *p, const git_oid **self)
{
	rcv_ref *x = h->x;
	const dc_policy *pol = x->trusted->proj->policy;
	doc_track *tr;
	size_t i, j;

	*self = NULL;
	if (track_open(h, 0, &tr) < 0)
		return -1;
	for (j = 0; j < tr->nall && !*self; j++) {
		const rcv_gcommit *gc;
		dc_self whose;
		int changed, by;

		i = tr->all[j];
		gc = &tr->g->c[i];
		whose = dc_vouch_self(pol, p, gc->author, gc->committer, gc->has_sig);
		if (whose == DC_SELF_NO)
			continue;
		by = whose == DC_SELF_YES;
		if (changed_at(h, tr, i, &changed) < 0)
			return -1;
		if (!changed)
			continue;
		/* the signer: a signature that names their key, verified or not
		 * (a forgery naming it only refuses its own push), so a content
		 * change costs no verification (reference §6.8) */
		if (!by && rcv_signed_with_key_of(x, &tr->g->ids[i], p->email, &by) < 0)
			return -1;
		if (by)
			*self = &tr->g->ids[i];
	}
	return *self ? 0 : self_file_commit(h, p, self);
}

/*
 * The commits that can vouch for NEW (vouch.h) and name the person in the
 * field, in order: the new ones, then those that reached the ref through
 * another protected ref; verified until one carries their good signature.
 * signed_only: only the commits that carry a signature (no other can
 * authenticate). The near misses explain a refusal.
 */
typedef struct {
	const char *key, *email, *field;
	dc_vouch_kind kind;
	const git_oid *good, *worst_commit;
	dc_sig_result worst;
	size_t ncand;
	int bad;
	const git_oid *untouched, *content, *earlier;  /* near misses */
} auth_scan;

/* Whether commit `id` holds NEW's listed files of `doc` (attach.h). */
static int files_as_new(rcv_ref *x, const dc_doc *doc, const git_oid *id)
{
	const dc_node *v = dc_node_get(doc->root, "files");
	git_commit *cm = NULL;
	git_tree *tree = NULL;
	int same;

	if (!v || v->kind != DC_NODE_SEQ || !v->u.seq.n || !x->new_tree)
		return 1;
	if (git_commit_lookup(&cm, x->r->repo, id) < 0 || git_commit_tree(&tree, cm) < 0) {
		git_commit_free(cm);
		return dc_error_set_git(_("cannot read a commit's tree"));
	}
	same = dc_files_same_in(x->r->repo, doc, tree, x->new_tree, "");
	git_tree_free(tree);
	git_commit_free(cm);
	return same < 0 ? dc_error_set(_("cannot read a listed file's entry")) : same;
}

static int scan(doc_history *h, auth_scan *s, int signed_only)
{
	rcv_ref *x = h->x;
	const dc_change *c = h->c;
	int pass;

	for (pass = 0; pass < 2 && !s->good; pass++) {
		doc_track *t;
		size_t j, n;

		if (pass == 1 && rcv_range_extra(x) < 0)
			return -1;
		if (track_open(h, pass, &t) < 0)
			return -1;
		/* only a commit that touched the document relative to every
		 * parent can change its vouching fields relative to every parent:
		 * any other one has some parent's version */
		n = t->nall;
		for (j = 0; j < n && !s->good; j++) {
			size_t i = t->all[j];
			const git_oid *id = &t->g->ids[i];
			const dc_doc *const *pdocs;
			const char *named;
			dc_vouch_scope scope;
			dc_sig_result sig;
			parent_buf pb;
			version cv;
			int same;

			if (signed_only && !t->g->c[i].has_sig)
				continue;
			if (version_at(h, t, i, &cv) < 0)
				return -1;
			if (!cv.doc || !cv.doc->root)
				continue;
			named = dc_doc_str(cv.doc, s->field);
			if (!named || strcmp(named, s->key))
				continue;
			if (!dc_vouch_holds(cv.doc, &cv.blob, &c->new_doc, &c->new_oid, s->kind)) {
				if (t->g->c[i].has_sig && !s->earlier)
					s->earlier = id;
				continue;
			}
			/* the listed files are content too (reference §9.3): the
			 * signed commit holds NEW's bytes of them as well */
			if ((same = files_as_new(x, &c->new_doc, id)) < 0)
				return -1;
			if (!same) {
				if (t->g->c[i].has_sig && !s->earlier)
					s->earlier = id;
				continue;
			}
			if (parents_open(h, t, i, &pb, &pdocs) < 0) {
				parents_close(&pb);
				return -1;
			}
			scope = dc_vouch_scope_of(cv.doc, &cv.blob, &c->new_doc, &c->new_oid, pdocs, t->g->c[i].np, s->kind);
			parents_close(&pb);
			/* (c): a commit that changes a listed file changes the content */
			if (scope == DC_VOUCH_OK && changed_listed(h, t->g, i))
				scope = DC_VOUCH_CONTENT;
			if (scope == DC_VOUCH_CONTENT) {
				if (!s->content)
					s->content = id;
				continue;
			}
			if (scope == DC_VOUCH_UNTOUCHED) {
				if (!s->untouched)
					s->untouched = id;
				continue;
			}
			if (scope != DC_VOUCH_OK)
				continue;
			s->ncand++;
			if (rcv_verify(x, id, s->email, &sig) < 0)
				return -1;
			if (sig.status == DC_SIG_GOOD) {
				s->good = id;
			} else if (sig.status == DC_SIG_BAD || sig.status == DC_SIG_WRONG_PRINCIPAL) {
				if (!s->bad) {
					s->worst = sig;
					s->worst_commit = id;
				}
				s->bad = 1;
			} else if (!s->worst_commit) {
				s->worst = sig;
				s->worst_commit = id;
			}
		}
	}
	return 0;
}

/* Why no commit authenticates the person, into why. */
static void explain(rcv_ref *x, const dc_change *c, const vouch_kind *k, const dc_person *p, const auth_scan *sc,
		    dc_buf *why)
{
	const dc_policy *pol = x->trusted->proj->policy;
	char hex[8];

	if (!pol->identity_signature) {
		dc_buf_puts(why, _("approvals are authenticated by the pusher only"));
		return;
	}
	if (!sc->ncand) {
		if (sc->content) {
			git_oid_tostr(hex, sizeof(hex), sc->content);
			dc_buf_printf(why, _("commit %s changes the content of %s as well as its %s, and a signature vouches only for a commit that changes nothing but that"),
				      hex, c->id, k->field);
		} else if (sc->untouched) {
			git_oid_tostr(hex, sizeof(hex), sc->untouched);
			dc_buf_printf(why, _("commit %s holds this version of %s but does not itself change its %s (a signature vouches only for what its own commit changes)"),
				      hex, c->id, k->field);
		} else if (sc->earlier) {
			git_oid_tostr(hex, sizeof(hex), sc->earlier);
			dc_buf_printf(why, _("the signed commit %s holds another version of %s, and a later commit changed its bytes after the signature"),
				      hex, c->id);
		} else {
			dc_buf_printf(why, _("no commit new to %s has this version of %s with %s \"%s\""), x->ref, c->id, k->field, sc->key);
		}
		return;
	}
	git_oid_tostr(hex, sizeof(hex), sc->worst_commit);
	if (sc->worst.status == DC_SIG_WRONG_PRINCIPAL)
		dc_buf_printf(why, _("commit %s is signed with the key of %s, not of %s <%s>"), hex,
			      sc->worst.principals[0] ? sc->worst.principals : _("someone else"), sc->key, p->email);
	else if (sc->worst.status == DC_SIG_BAD)
		dc_buf_printf(why, _("the signature of commit %s does not verify (%s)"), hex, sc->worst.detail);
	else if (sc->worst.status == DC_SIG_UNKNOWN_KEY)
		dc_buf_printf(why, _("commit %s is signed with a key %s does not list for %s"), hex, pol->signers, p->email);
	else if (sc->worst.status == DC_SIG_NOT_SSH)
		dc_buf_printf(why, _("commit %s carries a signature that is not an SSH signature"), hex);
	else
		dc_buf_printf(why, _("commit %s is not signed"), hex);
}

/* Authentication of voucher `key` (person `p`) of field k->field at `m` (reference
 * §6.3): approval.unsigned or approval.bad-signature when nothing in the
 * push authenticates them. */
static int authenticate(rcv_ref *x, doc_history *h, const vouch_kind *k, const dc_person *p, const dc_type *t,
			const char *key, dc_mark m)
{
	const dc_change *c = h->c;
	const dc_policy *pol = x->trusted->proj->policy;
	const char *path = c->new_doc.path;
	dc_buf why = DC_BUF_INIT;
	auth_scan sc;
	int rc, by_pusher;

	/* authentication (reference §6.3): the new commits first, then those
	 * that came through another protected ref; the signed ones alone
	 * decide whether one authenticates, every one only explains a refusal */
	by_pusher = dc_vouch_by_pusher(pol, x->pusher, key);
	memset(&sc, 0, sizeof(sc));
	sc.key = key;
	sc.email = p->email;
	sc.field = k->field;
	sc.kind = k->kind;
	if (pol->identity_signature && p->email && scan(h, &sc, 1) < 0)
		return -1;
	if (sc.good)
		return record_approval(x, c, k, p, sc.good, "signature");
	if (by_pusher)
		return record_approval(x, c, k, p, NULL, "pusher");
	if (pol->identity_signature && p->email) {
		memset(&sc, 0, sizeof(sc));
		sc.key = key;
		sc.email = p->email;
		sc.field = k->field;
		sc.kind = k->kind;
		if (scan(h, &sc, 0) < 0)
			return -1;
	}
	if (x->collect)
		return 0;
	explain(x, c, k, p, &sc, &why);
	if (pol->identity_pusher)
		dc_buf_printf(&why, x->pusher ? _(", and the pusher is %s") : _(", and the push names no pusher%s"),
			      x->pusher ? x->pusher : "");
	rc = ADD(x, path, m.line, m.col, sc.bad ? DC_R_APPROVAL_BAD_SIGNATURE : DC_R_APPROVAL_UNSIGNED, c->id,
		 _("%s \"%s\" is not authenticated: %s; ask %s to %s %s in a commit of its own signed with their own key: docctl %s %s%s --sign%s"),
		 k->field, key, why.ptr, key, k->verb, c->id, k->command, c->id, k->step,
		 pol->identity_pusher ? _(" (or to push it themself)") : "");
	dc_buf_dispose(&why);
	return rc < 0 ? -1 : hint_for(x, c, k, t->name, 0);
}

/* One person vouching with kind k; self_only: the four-eyes rule alone
 * (the approval is stale: nothing in the push can authenticate it). */
static int vouch_one(rcv_ref *x, doc_history *h, const vouch_kind *k, int self_only)
{
	const dc_change *c = h->c;
	const dc_policy *pol = x->trusted->proj->policy;
	const dc_node *v = dc_node_get(c->new_doc.root, k->field);
	const char *path = c->new_doc.path, *key, *tname = dc_doc_str(&c->new_doc, "type");
	const dc_person *p;
	const dc_type *t;
	const git_oid *self;
	dc_voucher who;
	char hex[8];
	int rc;
	dc_mark m;

	if (!v || v->kind != DC_NODE_STR)
		return 0; /* a missing field: check reports approval.missing */
	key = v->text;
	m = v->start;
	who = dc_vouch_who(pol, key, tname, &p, &t);
	/* the check step (reference §9.1): a checker role, not an approver role */
	if (k->kind == DC_VOUCH_CHECK && (who == DC_VOUCHER_OK || who == DC_VOUCHER_NO_ROLE))
		who = dc_policy_may_check(pol, t, key) ? DC_VOUCHER_OK : DC_VOUCHER_NO_ROLE;
	if (k->kind == DC_VOUCH_CHECK && who == DC_VOUCHER_NO_ROLE) {
		dc_buf roles = DC_BUF_INIT;

		if (x->collect)
			return 0;
		if (has_finding_at(x, DC_R_APPROVAL_UNAUTHORIZED, path, m.line))
			return hint_for(x, c, k, t->name, 0);
		dc_signoff_roles(&roles, t);
		rc = ADD(x, path, m.line, m.col, DC_R_APPROVAL_UNAUTHORIZED, c->id,
			 _("checked_by \"%s\" holds no checker role of type %s in the policy in force; ask someone who holds %s"),
			 key, t->name, roles.ptr ? roles.ptr : _("(none: the type has no check step)"));
		dc_buf_dispose(&roles);
		return rc < 0 ? -1 : hint_for(x, c, k, t->name, 0);
	}
	if (who != DC_VOUCHER_OK) {
		dc_buf roles = DC_BUF_INIT;

		if (x->collect)
			return 0;
		if (has_finding_at(x, DC_R_APPROVAL_UNAUTHORIZED, path, m.line)) /* check said it already */
			return hint_for(x, c, k, tname ? tname : "?", 0);
		if (t)
			roles_of(&roles, t);
		if (who == DC_VOUCHER_NOT_PERSON)
			rc = ADD(x, path, m.line, m.col, DC_R_APPROVAL_UNAUTHORIZED, c->id,
				 _("%s \"%s\" is not a person of the policy in force; only people already in docctl.yaml on %s may vouch: ask one who holds an approver role of type %s"),
				 k->field, key, x->ref, tname ? tname : "?");
		else if (who == DC_VOUCHER_NO_TYPE)
			rc = ADD(x, path, m.line, m.col, DC_R_APPROVAL_UNAUTHORIZED, c->id,
				 _("type \"%s\" of %s is not in the policy in force, so nobody may %s it yet; get the policy change onto %s first"),
				 tname ? tname : "", c->id, k->verb, x->ref);
		else
			rc = ADD(x, path, m.line, m.col, DC_R_APPROVAL_UNAUTHORIZED, c->id,
				 _("%s \"%s\" holds no approver role of type %s in the policy in force; ask someone who holds %s"),
				 k->field, key, t->name, roles.ptr);
		dc_buf_dispose(&roles);
		if (rc == 0)
			rc = hint_for(x, c, k, tname ? tname : "?", 0);
		return rc;
	}
	if (self_commit(h, p, &self) < 0)
		return -1;
	if (self && k->kind == DC_VOUCH_CHECK) {
		git_oid_tostr(hex, sizeof(hex), self);
		if (ADD(x, path, m.line, m.col, DC_R_SIGNOFF_SAME_PERSON, c->id,
			_("checked_by \"%s\" changed the content of %s in commit %s (as its author, committer or signer) and cannot also check it; the author, the checker and the approver must be three people: ask another checker of type %s"),
			key, c->id, hex, t->name) < 0)
			return -1;
		return hint_for(x, c, k, t->name, 1);
	}
	if (self) {
		git_oid_tostr(hex, sizeof(hex), self);
		if (ADD(x, path, m.line, m.col, DC_R_APPROVAL_SELF, c->id,
			_("%s \"%s\" changed the content of %s in commit %s (as its author, committer or signer) and cannot also vouch for it (four eyes); ask another approver of type %s to %s it"),
			k->field, key, c->id, hex, t->name, k->verb) < 0)
			return -1;
		return hint_for(x, c, k, t->name, 1);
	}
	if (self_only)
		return 0;
	return authenticate(x, h, k, p, t, key, m);
}

/* approval.stale (reference §6.2 item 5): the content changed while no
 * commit of the push (new, or through another protected ref) changed the
 * approval fields: they are the previous revision's. */
static int stale(doc_history *h, int *out)
{
	rcv_ref *x = h->x;
	int pass;

	*out = 0;
	if (!dc_vouch_approval_equal(&h->c->old_doc, &h->c->new_doc))
		return 0; /* some commit changed them */
	for (pass = 0; pass < 2; pass++) {
		doc_track *t;
		size_t j;

		if (pass == 1 && rcv_range_extra(x) < 0)
			return -1;
		if (track_open(h, pass, &t) < 0)
			return -1;
		for (j = 0; j < t->nall; j++) {
			size_t i = t->all[j];
			const dc_doc *const *pdocs;
			parent_buf pb;
			version cv;
			int changed;

			if (version_at(h, t, i, &cv) < 0)
				return -1;
			if (parents_open(h, t, i, &pb, &pdocs) < 0) {
				parents_close(&pb);
				return -1;
			}
			changed = dc_vouch_approval_changed(cv.doc, pdocs, t->g->c[i].np);
			parents_close(&pb);
			if (changed)
				return 0;
		}
	}
	*out = 1;
	return 0;
}

static int report_stale(rcv_ref *x, const dc_change *c)
{
	const dc_node *v = dc_node_get(c->new_doc.root, "approved_by");
	dc_mark m = v ? v->start : c->new_doc.open;
	const char *by = dc_doc_str(&c->new_doc, "approved_by"), *tname = dc_doc_str(&c->new_doc, "type");

	if (ADD(x, c->new_doc.path, m.line, m.col, DC_R_APPROVAL_STALE, c->id,
		_("%s revision %s changes the content of revision %s but keeps its approval unchanged (approved_by \"%s\"): no commit of this push approves the new content; start the revision with docctl revise %s (it clears the approval) and ask an approver to approve it: docctl approve %s --sign"),
		c->id, revision_of(&c->new_doc), revision_of(&c->old_doc), by ? by : "", c->id, c->id) < 0)
		return -1;
	return hint_for(x, c, &kinds[0], tname ? tname : "?", 0);
}

int rcv_approval_carried(rcv_ref *x, const dc_change *c, int *carried)
{
	doc_history h;
	int rc;

	*carried = 0;
	if (!c->has_old || !c->has_new || !c->old_doc.root || !c->new_doc.root || !c->content_changed)
		return 0;
	memset(&h, 0, sizeof(h));
	h.x = x;
	h.c = c;
	h.paths[h.npaths++] = c->new_doc.path;
	if (strcmp(c->old_doc.path, c->new_doc.path))
		h.paths[h.npaths++] = c->old_doc.path;
	rc = stale(&h, carried);
	history_dispose(&h);
	return rc;
}

static const char *const approval_fields[] = { "approved_by", "approved_on", "effective" };
static const char *const check_fields[] = { "checked_by", "checked_on" };

/*
 * The other paths the document had in the commits this push brings: files
 * named for its id (ID.md, ID-*.md, which id.filename ties to it) that one
 * of them touched. So a rename on the way (on main, before a release is
 * fast-forwarded to it) is followed; versions are matched by id anyway.
 */
static int add_named_paths(doc_history *h)
{
	rcv_ref *x = h->x;
	size_t which, j, k;

	for (which = 0; which < 2; which++) {
		rcv_graph **gp = which ? &x->graph_extra : &x->graph;
		const rcv_graph *g;

		if (which && rcv_range_extra(x) < 0)
			return -1;
		if (!*gp && rcv_graph_build(gp, x->r->repo, which ? x->extra : x->commits, which ? x->nextra : x->ncommits) < 0)
			return -1;
		g = *gp;
		for (j = 0; j < g->npaths && h->npaths < DOC_PATHS_MAX; j++) {
			const char *name = g->touches[j].name, *base = strrchr(name, '/');

			if (!rcv_named_for(base ? base + 1 : name, h->c->id))
				continue;
			for (k = 0; k < h->npaths && strcmp(h->paths[k], name); k++)
				;
			if (k == h->npaths)
				h->paths[h->npaths++] = name;
		}
	}
	return 0;
}

int rcv_vouch(rcv_ref *x, const dc_change *c)
{
	const char *ns, *os = NULL, *t;
	doc_history h;
	int need[NKINDS], rc = 0, carried = 0;
	size_t i;

	if (!x->trusted || !x->trusted->proj || !c->has_new || !c->new_doc.root || !c->id)
		return 0;
	if (rcv_deadline_left(x, N_("checking the approvals")) < 0)
		return -1;
	ns = dc_doc_str(&c->new_doc, "status");
	if (c->has_old && c->old_doc.root)
		os = dc_doc_str(&c->old_doc, "status");
	if (!ns || (dc_status_parse(ns) != DC_STATUS_APPROVED && dc_status_parse(ns) != DC_STATUS_OBSOLETE))
		return 0; /* status.not-approved */
	if (os && dc_status_parse(os) == DC_STATUS_OBSOLETE)
		return 0; /* obsolete is final: status.transition */
	if (os && dc_status_parse(os) == DC_STATUS_APPROVED && (t = dc_doc_str(&c->old_doc, "type")) && !strcmp(t, "record"))
		return 0; /* a filed record never changes: record.immutable */
	need[0] = c->content_changed || !c->has_old || !c->old_doc.root ||
		  dc_fields_differ(&c->old_doc, &c->new_doc, approval_fields, 3) ||
		  (dc_status_parse(ns) == DC_STATUS_APPROVED && (!os || dc_status_parse(os) != DC_STATUS_APPROVED));
	/* a review on new content is a review of this push: vouched for here */
	need[1] = c->review_changed || (c->content_changed && (dc_node_get(c->new_doc.root, "reviewed_by") ||
							      dc_node_get(c->new_doc.root, "reviewed_on")));
	need[2] = dc_status_parse(ns) == DC_STATUS_OBSOLETE;
	/* the check step is vouched for with the approval it precedes (§9.1) */
	need[3] = (need[0] || !c->has_old || !c->old_doc.root || dc_fields_differ(&c->old_doc, &c->new_doc, check_fields, 2)) &&
		  dc_node_get(c->new_doc.root, "checked_by");
	if (!need[0] && !need[1] && !need[2] && !need[3])
		return 0;
	memset(&h, 0, sizeof(h));
	h.x = x;
	h.c = c;
	h.paths[h.npaths++] = c->new_doc.path;
	if (c->has_old && strcmp(c->old_doc.path, c->new_doc.path))
		h.paths[h.npaths++] = c->old_doc.path;
	rc = add_named_paths(&h);
	if (rc == 0 && need[0] && c->content_changed && c->has_old && c->old_doc.root && dc_status_parse(ns) == DC_STATUS_APPROVED &&
	    (rc = stale(&h, &carried)) == 0 && carried)
		rc = report_stale(x, c);
	for (i = 0; i < NKINDS && rc == 0; i++)
		if (need[i])
			rc = vouch_one(x, &h, &kinds[i], (i == 0 || kinds[i].kind == DC_VOUCH_CHECK) && carried);
	history_dispose(&h);
	return rc;
}

/* --- the policy controls itself (reference §6.5) --- */

typedef struct {
	const char **paths;      /* borrowed from the policies */
	size_t n, cap;
	int oom;
} policy_files;

static void add_file(policy_files *f, const char *path)
{
	size_t i;

	if (!path)
		return;
	for (i = 0; i < f->n; i++)
		if (!strcmp(f->paths[i], path))
			return;
	if (DC_ARRAY_GROW(f->paths, f->cap, f->n + 1) < 0) {
		f->oom = 1;
		return;
	}
	f->paths[f->n++] = path;
}

static void add_policy_files(policy_files *f, const dc_policy *p)
{
	size_t i;

	if (!p)
		return;
	add_file(f, p->signers);
	add_file(f, p->schema);
	for (i = 0; i < p->ntypes; i++)
		add_file(f, p->types[i].schema);
}

/* Nonzero when a changed file at `path` changes the policy: one of the
 * files, under one of them (schema/), or a .gitattributes anywhere. */
static int is_policy_path(const policy_files *f, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	if (!strcmp(base ? base + 1 : path, ".gitattributes"))
		return 1;
	for (i = 0; i < f->n; i++)
		if (dc_path_within(path, f->paths[i]))
			return 1;
	return 0;
}

/* The first of the files whose entry differs between two trees (NULL: none
 * differs); -1 on failure. */
static int files_differ(const policy_files *f, git_tree *a, git_tree *b, const char **which)
{
	size_t i;

	*which = NULL;
	for (i = 0; i < f->n; i++) {
		git_tree_entry *ea = NULL, *eb = NULL;
		int ra = a ? git_tree_entry_bypath(&ea, a, f->paths[i]) : GIT_ENOTFOUND;
		int rb = b ? git_tree_entry_bypath(&eb, b, f->paths[i]) : GIT_ENOTFOUND;
		int same;

		if ((ra < 0 && ra != GIT_ENOTFOUND) || (rb < 0 && rb != GIT_ENOTFOUND)) {
			git_tree_entry_free(ea);
			git_tree_entry_free(eb);
			return dc_error_set_git(_("cannot read the policy files"));
		}
		same = (!ea && !eb) || (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
					git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb));
		git_tree_entry_free(ea);
		git_tree_entry_free(eb);
		if (!same) {
			*which = f->paths[i];
			return 0;
		}
	}
	return 0;
}

static int commit_tree(git_repository *repo, const git_oid *id, git_commit **c, git_tree **t)
{
	if (git_commit_lookup(c, repo, id) < 0 || git_commit_tree(t, *c) < 0)
		return dc_error_set_git(_("cannot read a new commit"));
	return 0;
}

/* Whether a commit is signed by a policy approver of the policy in force;
 * why not, into why. While collecting, every policy approver is asked. */
static int signed_by_policy_approver(rcv_ref *x, const git_oid *id, int *ok, dc_buf *why)
{
	const dc_policy *pol = x->trusted->proj->policy;
	char hex[8];
	size_t k;
	int named;

	*ok = 0;
	git_oid_tostr(hex, sizeof(hex), id);
	for (k = 0; k < pol->npeople && !*ok; k++) {
		const dc_person *p = &pol->people[k];
		dc_sig_result sig;

		if (!p->email || !dc_policy_person_in(pol, p->key, pol->policy_approvers, pol->npolicy_approvers))
			continue;
		/* a signature that does not even name their key is not theirs:
		 * nothing to verify (junk signatures cost nothing, reference §6.8) */
		if (rcv_signed_with_key_of(x, id, p->email, &named) < 0)
			return -1;
		if (!named) {
			if (!x->collect) {
				dc_buf_clear(why);
				dc_buf_printf(why, _("commit %s is not signed with the key of a policy approver"), hex);
			}
			continue;
		}
		if (rcv_verify(x, id, p->email, &sig) < 0)
			return -1;
		if (sig.status == DC_SIG_GOOD) {
			*ok = 1;
			break;
		}
		if (x->collect)
			continue;
		dc_buf_clear(why);
		if (sig.status == DC_SIG_WRONG_PRINCIPAL)
			dc_buf_printf(why, _("commit %s is signed by %s, who holds no policy_approvers role"), hex,
				      sig.principals[0] ? sig.principals : "someone else");
		else if (sig.status == DC_SIG_NONE)
			dc_buf_printf(why, _("commit %s is not signed"), hex);
		else
			dc_buf_printf(why, _("commit %s: signature %s"), hex, dc_sig_status_name(sig.status));
		if (sig.status != DC_SIG_WRONG_PRINCIPAL)
			break; /* the same for every approver */
	}
	return 0;
}

/* A new commit that makes NEW's policy files (they differ from every parent)
 * and is signed by a policy approver of the policy in force. */
static int signed_policy_commit(rcv_ref *x, const policy_files *f, int *ok, dc_buf *why)
{
	size_t i;
	int rc = 0;

	*ok = 0;
	for (i = 0; !*ok && rc == 0; i++) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		const git_oid *id;
		const char *which;
		unsigned np, j;
		int changed;

		if (i == x->ncommits && (rc = rcv_range_extra(x)) < 0)
			break;
		if (i >= x->ncommits + x->nextra)
			break;
		id = i < x->ncommits ? &x->commits[i] : &x->extra[i - x->ncommits];
		if ((rc = commit_tree(x->r->repo, id, &c, &t)) < 0 ||
		    (rc = files_differ(f, t, x->new_tree, &which)) < 0 || which)
			goto next;
		np = git_commit_parentcount(c);
		changed = 1;
		if (!np && (rc = files_differ(f, t, NULL, &which)) == 0)
			changed = which != NULL;
		for (j = 0; j < np && changed && rc == 0; j++) {
			git_commit *pc = NULL;
			git_tree *pt = NULL;

			if ((rc = commit_tree(x->r->repo, git_commit_parent_id(c, j), &pc, &pt)) == 0 &&
			    (rc = files_differ(f, t, pt, &which)) == 0 && !which)
				changed = 0;
			git_tree_free(pt);
			git_commit_free(pc);
		}
		if (rc == 0 && changed)
			rc = signed_by_policy_approver(x, id, ok, why);
next:
		git_tree_free(t);
		git_commit_free(c);
	}
	return rc;
}

static int find_gitattributes(const char *root, const git_tree_entry *e, void *payload)
{
	(void)root;
	if (!strcmp(git_tree_entry_name(e), ".gitattributes")) {
		*(int *)payload = 1;
		return -1; /* stop */
	}
	return 0;
}

/* Whether a new root commit holds policy files (it changes the policy from
 * nothing). */
static int root_has_policy(rcv_ref *x, const policy_files *f, const git_oid *id, const char **which)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	int found = 0, rc;

	*which = NULL;
	if ((rc = commit_tree(x->r->repo, id, &c, &t)) == 0 && (rc = files_differ(f, t, NULL, which)) == 0 && !*which) {
		git_tree_walk(t, GIT_TREEWALK_PRE, find_gitattributes, &found);
		if (found)
			*which = ".gitattributes";
	}
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/*
 * Every commit new to the ref that changes a policy file relative to every
 * parent must be signed by a policy approver of the policy in force
 * (reference §6.5): a key slipped into the signers file by an unsigned
 * commit does not become trusted when a later commit is signed. The
 * commits come from the graph of the push (receive_graph.c): which paths
 * each commit changed. Reports the first such commit that is not signed;
 * *reported says whether it did.
 */
static int every_policy_commit_signed(rcv_ref *x, const policy_files *f, int *reported)
{
	const dc_policy *pol = x->trusted->proj->policy;
	rcv_graph *g;
	unsigned char *mask = NULL;
	const char **path = NULL;
	const git_oid *first = NULL;
	const char *first_path = NULL;
	dc_buf why = DC_BUF_INIT, first_why = DC_BUF_INIT;
	size_t i, j, more = 0;
	int rc = -1;

	*reported = 0;
	if (!x->ncommits)
		return 0;
	if (!x->graph && rcv_graph_build(&x->graph, x->r->repo, x->commits, x->ncommits) < 0)
		return -1;
	g = x->graph;
	if (!(mask = calloc(g->n, 1)) || !(path = calloc(g->n, sizeof(*path)))) {
		dc_error_oom();
		goto cleanup;
	}
	for (j = 0; j < g->npaths; j++) {
		const rcv_touches *tt = &g->touches[j];

		if (!is_policy_path(f, tt->name))
			continue;
		for (i = 0; i < tt->n; i++) {
			const rcv_touch *e = &tt->items[i];

			mask[e->commit] |= (unsigned char)(e->parent < 8 ? 1u << e->parent : 0xffu);
			if (!path[e->commit])
				path[e->commit] = tt->name;
		}
	}
	/* from the oldest commit */
	for (i = g->n; i-- > 0;) {
		unsigned np = g->c[i].np;
		unsigned full = np >= 8 ? 0xffu : (1u << np) - 1;
		const char *which = path[i];
		int ok;

		if (np && (mask[i] & full) != full)
			continue;
		if (!np && root_has_policy(x, f, &g->ids[i], &which) < 0)
			goto cleanup;
		if (!which)
			continue;
		dc_buf_clear(&why);
		if (signed_by_policy_approver(x, &g->ids[i], &ok, &why) < 0)
			goto cleanup;
		if (ok || x->collect)
			continue;
		if (first) {
			more++;
			continue;
		}
		first = &g->ids[i];
		first_path = which;
		dc_buf_puts(&first_why, why.ptr);
	}
	rc = 0;
	if (first) {
		dc_buf who = DC_BUF_INIT;
		char hex[8];
		size_t k;

		for (k = 0; k < pol->npeople; k++)
			if (dc_policy_person_in(pol, pol->people[k].key, pol->policy_approvers, pol->npolicy_approvers))
				dc_buf_printf(&who, "%s%s", who.len ? ", " : "", pol->people[k].key);
		git_oid_tostr(hex, sizeof(hex), first);
		*reported = 1;
		rc = ADD(x, first_path, 0, 0, DC_R_POLICY_UNAPPROVED_CHANGE, NULL,
			 _("commit %s changes %s, but every commit that changes the policy on %s must itself be signed by a policy approver of the policy in force (%s)%s%s%s; take the commit%s out of the push (git rebase -i) and ask one of them to make the change in a commit of their own, signed (git commit -S with gpg.format=ssh)"),
			 hex, first_path, x->ref, who.len ? who.ptr : _("nobody holds a policy_approvers role"),
			 first_why.len ? ": " : "", first_why.ptr, more ? _(" (and more commits like it)") : "", more ? "s" : "");
		if (rc == 0)
			rc = rcv_hint(x, _("ask a policy approver (%s) to make and sign every commit that changes the policy"),
				      who.len ? who.ptr : "none");
		dc_buf_dispose(&who);
	}
cleanup:
	free(mask);
	free(path);
	dc_buf_dispose(&why);
	dc_buf_dispose(&first_why);
	return rc;
}

int rcv_policy_change(rcv_ref *x)
{
	const dc_policy *pol;
	policy_files f;
	dc_buf who = DC_BUF_INIT, why = DC_BUF_INIT;
	const char *which;
	size_t k;
	int ok, reported, rc = -1;

	if (x->tofu || !x->trusted || !x->trusted->proj)
		return 0;
	pol = x->trusted->proj->policy;
	memset(&f, 0, sizeof(f));
	add_file(&f, DC_POLICY_FILE);
	add_file(&f, "schema");
	add_policy_files(&f, pol);
	if (x->new_pol.proj)
		add_policy_files(&f, x->new_pol.proj->policy);
	if (f.oom) {
		dc_error_oom();
		goto cleanup;
	}
	if (every_policy_commit_signed(x, &f, &reported) < 0)
		goto cleanup;
	if (reported) {
		rc = 0;
		goto cleanup;
	}
	/* a protected ref created at a commit another protected ref holds:
	 * no commit is new to it, so none changes its policy (reference
	 * §6.5); that commit's policy was in force where it was accepted */
	if (!x->has_old && !x->ncommits) {
		rc = 0;
		goto cleanup;
	}
	if (files_differ(&f, x->trusted->tree, x->new_tree, &which) < 0)
		goto cleanup;
	if (!which) {
		rc = 0;
		goto cleanup;
	}
	if (signed_policy_commit(x, &f, &ok, &why) < 0)
		goto cleanup;
	if (ok || x->collect) {
		rc = 0;
		goto cleanup;
	}
	for (k = 0; k < pol->npeople; k++)
		if (dc_policy_person_in(pol, pol->people[k].key, pol->policy_approvers, pol->npolicy_approvers))
			dc_buf_printf(&who, "%s%s", who.len ? ", " : "", pol->people[k].key);
	rc = ADD(x, which, 0, 0, DC_R_POLICY_UNAPPROVED_CHANGE, NULL,
		 _("the push changes %s on %s, but no commit new to it that makes this change is signed by a policy approver of the policy in force (%s)%s%s; ask one of them to make and sign that commit (git commit -S with gpg.format=ssh)"),
		 which, x->ref, who.len ? who.ptr : _("nobody holds a policy_approvers role"), why.len ? ": " : "", why.ptr);
	if (rc == 0)
		rc = rcv_hint(x, _("ask a policy approver (%s) to make and sign the commit that changes the policy"), who.len ? who.ptr : "none");
cleanup:
	free(f.paths);
	dc_buf_dispose(&who);
	dc_buf_dispose(&why);
	return rc;
}

int rcv_authenticate_prepare(rcv_ref *x)
{
	size_t i;
	int rc = 0;

	if (x->tofu || !x->trusted || !x->trusted->proj)
		return 0;
	x->collect = 1;
	for (i = 0; i < x->delta.n && rc == 0; i++)
		rc = rcv_vouch(x, &x->delta.items[i]);
	if (rc == 0 && !x->audit)
		rc = rcv_policy_change(x);
	x->collect = 0;
	return rc < 0 ? -1 : rcv_verify_pending(x);
}
