/*
 * history.c - the audit trail of documents from a branch's commits (see
 * history.h for what counts as an event).
 *
 * Two walks give the same events, and both follow documents through the
 * touched index (touched.h): for each commit and parent, the controlled
 * paths that changed and their blobs. dc_history_build() follows one
 * document from the tip: where a commit did not change its path, the
 * parent holds the same blob there, and where it did, the index has the
 * parent's blob; only a path the parent does not have (a rename, the
 * document's beginning) is looked for in the parent's tree. So a history
 * reads no folder tree per commit, whatever the number of documents. For
 * many documents (publish, register) dc_history_build_many() walks the
 * commits once for all of them. Each distinct version of a document is
 * parsed once.
 * Commits are remembered in small open-addressing tables keyed by object id.
 */
#include "history.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "document.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "oidmap.h"
#include "revwalk.h"
#include "strmap.h"
#include "touched.h"
#include "tree_cursor.h"
#include "treediff.h"

/* --- versions and events (both walks) --- */

static const char *keep(dc_history *h, const char *s)
{
	return s ? dc_arena_strdup(&h->arena, s) : NULL;
}

/* Parses the blob `blob`, at `path`, into a version kept in h's arena. */
static int parse_version(dc_version **out, dc_history *h, git_repository *repo, const git_oid *blob,
			 const char *path)
{
	git_blob *b = NULL;
	dc_diags ignored;
	dc_doc doc;
	dc_version *v = NULL;
	int rc;

	if (git_blob_lookup(&b, repo, blob) < 0)
		return dc_error_set_git(_("cannot read a document version"));
	dc_doc_init(&doc);
	dc_diags_init(&ignored);
	rc = dc_doc_parse(&doc, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), 0, &ignored);
	if (rc == 0 && !(v = dc_arena_alloc(&h->arena, sizeof(*v))))
		rc = -1;
	if (rc == 0) {
		v->blob = *blob;
		v->path = keep(h, path);
		if (doc.root) {
#define FIELD(m, name, group, kind, req, info, version) \
	DC_FIELD_IF_##version(v->m = keep(h, dc_doc_field_str(&doc, name, DC_FK_##kind));)
#include "fields.def"
#undef FIELD
		}
		h->nparsed++;
		*out = v;
	}
	dc_diags_dispose(&ignored);
	dc_doc_dispose(&doc);
	git_blob_free(b);
	return rc;
}

/* Whether a file name may hold document `id`: ID.md or ID-*.md. */
static int is_candidate(const char *name, const char *id)
{
	size_t n = strlen(id), len = strlen(name);

	if (strncmp(name, id, n) || len < 3 || strcmp(name + len - 3, ".md"))
		return 0;
	return name[n] == '-' || !strcmp(name + n, ".md");
}

static int eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int is(const dc_version *v, dc_status status)
{
	return dc_status_parse(v->status) == status;
}

static int same_approval(const dc_version *a, const dc_version *b)
{
	return eq(a->revision, b->revision) && eq(a->approved_by, b->approved_by) &&
	       eq(a->approved_on, b->approved_on) && eq(a->effective, b->effective);
}

static int same_event(const dc_event *a, const dc_event *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case DC_EVENT_APPROVED:
		return same_approval(a->version, b->version);
	case DC_EVENT_REVIEWED:
		return same_approval(a->version, b->version) && eq(a->version->reviewed_by, b->version->reviewed_by) &&
		       eq(a->version->reviewed_on, b->version->reviewed_on);
	case DC_EVENT_OBSOLETED:
		return eq(a->version->obsoleted_by, b->version->obsoleted_by) &&
		       eq(a->version->obsoleted_on, b->version->obsoleted_on);
	case DC_EVENT_CHECKED:
		return eq(a->version->revision, b->version->revision) && eq(a->version->checked_by, b->version->checked_by) &&
		       eq(a->version->checked_on, b->version->checked_on);
	}
	return 0;
}

typedef struct {
	dc_event ev;
	size_t order;          /* walk order: a tie-breaker, nearer the tip first */
} ranked;

static int newest_first(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;

	if (a->ev.time != b->ev.time)
		return a->ev.time > b->ev.time ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

#define PARENTS_MAX 64

/* A commit that introduces version `v` (the parents that hold the document
 * hold the versions `pv`): the events it carries (at most one per kind),
 * appended to out[*n]. */
static void events_of(const dc_version *v, dc_version *const *pv, size_t np, const git_oid *commit,
		      git_time_t time, int offset, size_t order, ranked *out, size_t *n)
{
	size_t i;
	int approved_before = 0, obsolete_before = 0, reviewed_before = 0, same_before = 0, checked_before = 0;

	for (i = 0; i < np; i++) {
		int sa = same_approval(v, pv[i]);

		if (eq(pv[i]->revision, v->revision) && eq(pv[i]->checked_by, v->checked_by) &&
		    eq(pv[i]->checked_on, v->checked_on))
			checked_before = 1;

		if (is(pv[i], DC_STATUS_OBSOLETE))
			obsolete_before = 1;
		if ((is(pv[i], DC_STATUS_APPROVED) || is(pv[i], DC_STATUS_OBSOLETE)) && sa)
			approved_before = 1;
		if (is(pv[i], DC_STATUS_APPROVED) && sa) {
			same_before = 1;
			if (eq(pv[i]->reviewed_by, v->reviewed_by) && eq(pv[i]->reviewed_on, v->reviewed_on))
				reviewed_before = 1;
		}
	}
	for (i = 0; i < 4; i++) {
		ranked *r = &out[*n];

		memset(r, 0, sizeof(*r));
		if (i == 0 && is(v, DC_STATUS_APPROVED) && !approved_before) {
			r->ev.kind = DC_EVENT_APPROVED;
			r->ev.signer = v->approved_by;
		} else if (i == 1 && is(v, DC_STATUS_APPROVED) && same_before && !reviewed_before && v->reviewed_on) {
			r->ev.kind = DC_EVENT_REVIEWED;
			r->ev.signer = v->reviewed_by;
		} else if (i == 2 && is(v, DC_STATUS_OBSOLETE) && !obsolete_before) {
			r->ev.kind = DC_EVENT_OBSOLETED;
			r->ev.signer = v->obsoleted_by;
		} else if (i == 3 && v->checked_by && !checked_before && !is(v, DC_STATUS_OBSOLETE)) {
			r->ev.kind = DC_EVENT_CHECKED;
			r->ev.signer = v->checked_by;
		} else {
			continue;
		}
		r->ev.version = v;
		r->ev.commit = *commit;
		r->ev.time = time;
		r->ev.offset = offset;
		r->order = order;
		(*n)++;
	}
}

/* Sorts the events found (any order) newest first into h->events, the same
 * event reached twice listed once, at its earliest commit. */
static int finish_events(dc_history *h, ranked *all, size_t n)
{
	size_t i, j;

	if (!n)
		return 0;
	/* oldest first, so the first of two equal events is the one kept */
	qsort(all, n, sizeof(*all), newest_first);
	if (!(h->events = dc_arena_alloc(&h->arena, n * sizeof(dc_event))))
		return -1;
	for (i = n; i-- > 0;) {
		int dup = 0;

		for (j = 0; j < h->nevents && !dup; j++)
			dup = same_event(&h->events[j], &all[i].ev);
		if (!dup)
			h->events[h->nevents++] = all[i].ev;
	}
	/* back to newest first */
	for (i = 0, j = h->nevents; i + 1 < j; i++, j--) {
		dc_event t = h->events[i];

		h->events[i] = h->events[j - 1];
		h->events[j - 1] = t;
	}
	return 0;
}

/* --- one document's walk --- */

#define CHAIN_MAX 16

/* A commit that holds the document, or does not. */
typedef struct {
	git_oid oid;
	int present;
	const char *path;      /* where the document is in this commit */
	git_oid blob;
	size_t version;        /* index in walk.versions, when present */
	/* The ids of the trees on the way to `path` (the root tree, then each
	 * folder), so a parent's path is resolved only from the first tree that
	 * differs; nchain is 0 when they are not known. */
	git_oid chain[CHAIN_MAX];
	size_t nchain;
} cnode;

/* A commit that introduces a version: its blob differs from every parent's. */
typedef struct {
	size_t node;
	size_t *parents;       /* nodes of the parents that hold the document */
	size_t nparents;
	git_time_t time;
	int offset;
	size_t order;          /* visit order: a tie-breaker, nearer the tip first */
} intro;

typedef struct {
	git_repository *repo;
	const dc_policy *policy;
	const char *prefix;
	const char *id;
	dc_history *h;
	cnode *nodes;
	size_t nnodes, capnodes;
	dc_oidmap commits;        /* commit id -> node */
	dc_version **versions;
	size_t nversions, capversions;
	dc_oidmap blobs;          /* blob id -> version */
	intro *intros;
	size_t nintros, capintros;
	size_t *stack;
	size_t nstack, capstack;
	dc_touched *touched;   /* which paths each commit changed */
} walk;

/* The parsed version of a blob, parsed once. */
static int version_of(dc_version **out, walk *w, const git_oid *blob, const char *path)
{
	size_t idx;
	int rc;

	if (dc_oidmap_get(&w->blobs, blob, &idx)) {
		*out = w->versions[idx];
		return 0;
	}
	if ((rc = parse_version(out, w->h, w->repo, blob, path)) < 0 ||
	    (rc = dc_array_grow(&w->versions, &w->capversions, w->nversions, sizeof(*w->versions))) < 0 ||
	    (rc = dc_oidmap_put(&w->blobs, blob, w->nversions)) < 0)
		return rc;
	w->versions[w->nversions++] = *out;
	return 0;
}

typedef struct {
	walk *w;
	const char *base;      /* the root folder walked, in the repository */
	dc_buf *path;          /* out: the first candidate's path */
	git_oid *blob;
	int found;
	int rc;
} search_ctx;

static int search_cb(const char *root, const git_tree_entry *e, void *payload)
{
	search_ctx *s = payload;
	dc_buf full = DC_BUF_INIT;
	dc_version *v;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !is_candidate(git_tree_entry_name(e), s->w->id))
		return 0;
	dc_buf_printf(&full, "%s%s%s%s", s->base, *s->base ? "/" : "", root, git_tree_entry_name(e));
	if ((s->rc = version_of(&v, s->w, git_tree_entry_id(e), full.ptr)) == 0 && v->id && !strcmp(v->id, s->w->id)) {
		dc_buf_clear(s->path);
		dc_buf_puts(s->path, full.ptr);
		*s->blob = *git_tree_entry_id(e);
		s->found = 1;
	}
	dc_buf_dispose(&full);
	return s->rc < 0 || s->found ? -1 : 0; /* negative stops the walk */
}

/* Looks for the document by id under the policy's roots of `tree`. */
static int find_by_id(walk *w, git_tree *tree, dc_buf *path, git_oid *blob)
{
	dc_buf base = DC_BUF_INIT;
	size_t i;
	int found = 0;

	for (i = 0; i < w->policy->nroots && !found; i++) {
		git_tree_entry *te = NULL;
		git_tree *sub = NULL;
		search_ctx s = { w, NULL, path, blob, 0, 0 };
		const char *r = w->policy->roots[i];

		dc_buf_clear(&base);
		dc_buf_printf(&base, "%s%s%s", w->prefix, *w->prefix && *r ? "/" : "", r);
		if (!base.len) {
			if (git_tree_dup(&sub, tree) < 0)
				goto fail;
		} else if (git_tree_entry_bypath(&te, tree, base.ptr) < 0 || git_tree_entry_type(te) != GIT_OBJECT_TREE) {
			git_tree_entry_free(te);
			continue;
		} else if (git_tree_lookup(&sub, w->repo, git_tree_entry_id(te)) < 0) {
			git_tree_entry_free(te);
			goto fail;
		}
		git_tree_entry_free(te);
		s.base = base.ptr;
		git_tree_walk(sub, GIT_TREEWALK_PRE, search_cb, &s);
		git_tree_free(sub);
		if (s.rc < 0) {
			dc_buf_dispose(&base);
			return -1;
		}
		found = s.found;
	}
	dc_buf_dispose(&base);
	return found;
fail:
	dc_buf_dispose(&base);
	return dc_error_set_git(_("cannot read a tree"));
}

/*
 * Resolves `path` from the root tree `root` of a commit into `n` (blob and
 * tree chain). When `child` (a commit already resolved at the same path) has
 * the same tree at some level, the rest of the path is the child's: an
 * unchanged subtree is never read. This is what keeps one document's walk
 * from reading, in every commit, the large folder trees that other documents
 * change. Returns 1 (found), 0 (not a blob at that path), or -1.
 */
static int resolve_path(walk *w, cnode *n, const git_oid *root, const char *path, const cnode *child)
{
	git_oid cur = *root;
	const char *p = path, *slash;
	size_t level = 0;
	int rc = 0;

	for (;;) {
		git_tree *t = NULL;
		const git_tree_entry *e;
		char name[1024];
		size_t len;

		if (level >= CHAIN_MAX)
			return 2; /* too deep: the caller looks it up the plain way */
		if (child && child->nchain > level && git_oid_equal(&cur, &child->chain[level])) {
			memcpy(&n->chain[level], &child->chain[level], (child->nchain - level) * sizeof(git_oid));
			n->nchain = child->nchain;
			n->blob = child->blob;
			return 1;
		}
		n->chain[level] = cur;
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len >= sizeof(name))
			return 2;
		memcpy(name, p, len);
		name[len] = '\0';
		if (git_tree_lookup(&t, w->repo, &cur) < 0)
			return dc_error_set_git(_("cannot read a tree"));
		e = git_tree_entry_byname(t, name);
		if (!e || git_tree_entry_type(e) != (slash ? GIT_OBJECT_TREE : GIT_OBJECT_BLOB)) {
			rc = 0;
		} else if (!slash) {
			n->blob = *git_tree_entry_id(e);
			n->nchain = level + 1;
			rc = 1;
		} else {
			cur = *git_tree_entry_id(e);
			rc = -2;
		}
		git_tree_free(t);
		if (rc != -2)
			return rc;
		p = slash + 1;
		level++;
	}
}

/* Finds the document in `commit`, at `path` or (renamed) by id; `from` is
 * the node it was reached from ((size_t)-1 at the tip). */
static int locate(walk *w, size_t *out, const git_oid *commit, const char *path, size_t from)
{
	const cnode *child;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	dc_buf found = DC_BUF_INIT;
	cnode *n;
	int rc = 0, at;

	if ((rc = dc_array_grow(&w->nodes, &w->capnodes, w->nnodes, sizeof(cnode))) < 0)
		return rc;
	n = &w->nodes[w->nnodes];
	memset(n, 0, sizeof(*n));
	n->oid = *commit;
	child = from < w->nnodes ? &w->nodes[from] : NULL; /* after dc_array_grow(), which moves the nodes */
	if (git_commit_lookup(&c, w->repo, commit) < 0) {
		rc = dc_error_set_git(_("cannot read a commit"));
		goto cleanup;
	}
	if (child && child->path != path)
		child = NULL;
	if ((at = resolve_path(w, n, git_commit_tree_id(c), path, child)) < 0) {
		rc = -1;
		goto cleanup;
	}
	if (at == 1) {
		n->present = 1;
		n->path = path;
		goto put;
	}
	n->nchain = 0;
	if (git_commit_tree(&tree, c) < 0) {
		rc = dc_error_set_git(_("cannot read a commit"));
		goto cleanup;
	}
	if (at == 2 && git_tree_entry_bypath(&te, tree, path) == 0 && git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
		n->present = 1;
		n->path = path;
		n->blob = *git_tree_entry_id(te);
	} else if ((rc = find_by_id(w, tree, &found, &n->blob)) > 0) {
		n->present = 1;
		if (!(n->path = keep(w->h, found.ptr)))
			rc = -1;
	}
put:
	if (rc >= 0)
		rc = dc_oidmap_put(&w->commits, commit, w->nnodes);
	if (rc >= 0) {
		*out = w->nnodes++;
		rc = 0;
	}
cleanup:
	dc_buf_dispose(&found);
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/*
 * Finds the document in parent k of commit c, which holds it at
 * nodes[node]: where the touched index says the commit did not change its
 * path relative to that parent, the parent holds the same blob there, and
 * where it did, the parent's blob is in the index. Only a path the parent
 * does not have (a rename, or the document's beginning) reads its tree.
 */
static int locate_parent(walk *w, size_t *out, const git_commit *c, unsigned k, size_t node)
{
	const dc_touch_pair *tp;
	const char *path = w->nodes[node].path;
	git_oid blob = w->nodes[node].blob;
	cnode *n;
	size_t i;
	int rc;

	if (!w->touched || !dc_touched_covers(w->touched, path))
		return locate(w, out, git_commit_parent_id(c, k), path, node);
	if ((rc = dc_touched_get(w->touched, c, k, &tp)) < 0)
		return rc;
	for (i = 0; i < tp->n && strcmp(tp->ents[i].path, path); i++)
		;
	if (i < tp->n) {
		if (!tp->ents[i].has_old)
			return locate(w, out, git_commit_parent_id(c, k), path, node);
		blob = tp->ents[i].old_id;
	}
	if ((rc = dc_array_grow(&w->nodes, &w->capnodes, w->nnodes, sizeof(cnode))) < 0)
		return rc;
	n = &w->nodes[w->nnodes];
	memset(n, 0, sizeof(*n));
	n->oid = *git_commit_parent_id(c, k);
	n->present = 1;
	n->path = path;
	n->blob = blob;
	if ((rc = dc_oidmap_put(&w->commits, &n->oid, w->nnodes)) < 0)
		return rc;
	*out = w->nnodes++;
	return 0;
}

/* Visits one commit that holds the document: finds its parents' versions
 * and records it when it introduces a version. */
static int visit(walk *w, size_t node, size_t order)
{
	git_commit *c = NULL;
	size_t i, np, idx, *parents = NULL, npresent = 0;
	int rc = 0, introduces = 1;

	if (git_commit_lookup(&c, w->repo, &w->nodes[node].oid) < 0)
		return dc_error_set_git(_("cannot read a commit"));
	np = git_commit_parentcount(c);
	if (np && !(parents = dc_arena_alloc(&w->h->arena, np * sizeof(size_t)))) {
		rc = -1;
		goto cleanup;
	}
	for (i = 0; i < np; i++) {
		const git_oid *pid = git_commit_parent_id(c, (unsigned)i);

		if (!dc_oidmap_get(&w->commits, pid, &idx)) {
			if ((rc = locate_parent(w, &idx, c, (unsigned)i, node)) < 0)
				goto cleanup;
			if (w->nodes[idx].present) {
				if ((rc = dc_array_grow(&w->stack, &w->capstack, w->nstack, sizeof(size_t))) < 0)
					goto cleanup;
				w->stack[w->nstack++] = idx;
			}
		}
		if (!w->nodes[idx].present)
			continue;
		parents[npresent++] = idx;
		if (git_oid_equal(&w->nodes[idx].blob, &w->nodes[node].blob))
			introduces = 0;
	}
	if (introduces) {
		intro *in;

		if ((rc = dc_array_grow(&w->intros, &w->capintros, w->nintros, sizeof(intro))) < 0)
			goto cleanup;
		in = &w->intros[w->nintros++];
		in->node = node;
		in->parents = parents;
		in->nparents = npresent;
		in->time = git_commit_committer(c)->when.time;
		in->offset = git_commit_committer(c)->when.offset;
		in->order = order;
	}
cleanup:
	git_commit_free(c);
	return rc;
}

/* The events of the commits that introduce a version. */
static int collect_events(walk *w)
{
	ranked *all = NULL;
	size_t i, j, n = 0;
	int rc = 0;

	if (w->nintros && !(all = calloc(w->nintros * 4, sizeof(*all))))
		return dc_error_oom();
	for (i = 0; i < w->nintros && rc == 0; i++) {
		const intro *in = &w->intros[i];
		const cnode *node = &w->nodes[in->node];
		dc_version *v, *pv[PARENTS_MAX];
		size_t np = 0;

		rc = version_of(&v, w, &node->blob, node->path);
		for (j = 0; rc == 0 && j < in->nparents && np < PARENTS_MAX; j++) {
			const cnode *p = &w->nodes[in->parents[j]];

			rc = version_of(&pv[np++], w, &p->blob, p->path);
		}
		if (rc == 0)
			events_of(v, pv, np, &node->oid, in->time, in->offset, in->order, all, &n);
	}
	if (rc == 0)
		rc = finish_events(w->h, all, n);
	free(all);
	return rc;
}

/* --- many documents in one walk --- */

/*
 * Each commit carries a state: for every document, where it is there (a
 * `place`: path and blob, as indices), UNREACHED when no commit holding the
 * document led here, or ABSENT when one did and the document is not here
 * (it began in that child). Commits are visited once, children before
 * parents. A state passes from a commit to its last parent as it is and is
 * copied for the others; a document changes in it only where the dc_touched
 * index says the commit changed its path relative to that parent, and the
 * index carries the parent's blob. A parent reached from several children
 * keeps, for each document, what the first of them found (as the
 * one-document walk does).
 */

enum { UNREACHED = 0, ABSENT = 1, BLOB0 = 2 };

typedef struct {
	uint32_t path;         /* index in many.paths */
	uint32_t blob;         /* UNREACHED, ABSENT, or BLOB0 + index in many.blobs */
} place;

typedef struct {
	place *s;               /* one per document */
	size_t *absent;        /* the documents ABSENT here: UNREACHED in the parents */
	size_t nabsent, capabsent;
} mstate;

/* A list of indices: the documents that were at a path, the paths whose
 * file name fits an id. */
typedef struct ilist {
	size_t val;
	struct ilist *next;
} ilist;

typedef struct mver {
	uint32_t blob;
	dc_version *v;
	struct mver *next;
} mver;

typedef struct {
	git_oid oid;
	size_t *parents;       /* indices in many.commits */
	size_t np;
	size_t children;       /* not yet visited */
	git_time_t time;
	int offset;
} mcommit;

/* A document whose path a commit changed relative to a parent. */
typedef struct {
	size_t doc;
	place was, now;         /* in the commit, in the parent */
} change;

typedef struct {
	size_t doc;
	ranked r;
} mevent;

typedef struct {
	git_repository *repo;
	const dc_touched *touched;
	dc_history *const *hs; /* per document */
	const char *const *ids;
	size_t ndocs;
	mver **vers;           /* per document, the versions parsed */
	size_t *mark;          /* per document, the pair that last changed it */
	size_t stamp;
	dc_arena arena;        /* paths, names, lists */
	const char **paths;
	ilist **docs_at;       /* per path, the documents that were at it */
	size_t npaths, cappaths;
	dc_strmap path_index;
	int named;             /* `names` is built (on the first rename) */
	dc_strmap names;       /* an id a file name fits -> index in by_name */
	ilist **by_name;
	size_t nnames, capnames;
	git_oid *blobs;
	size_t nblobs, capblobs;
	dc_oidmap blob_index;
	mcommit *commits;
	size_t ncommits;
	size_t *parent_ids;    /* all commits' parents */
	dc_oidmap commit_index;
	mstate **states;       /* per commit, while it waits to be visited */
	uint32_t *epath;       /* the path index of each entry of the pair at hand */
	size_t capepath;
	change *chg;
	size_t nchg, capchg;
	mevent *ev;
	size_t nev, capev;
} many;

static int list_add(many *m, ilist **head, size_t val)
{
	ilist *l;

	for (l = *head; l; l = l->next)
		if (l->val == val)
			return 0;
	if (!(l = dc_arena_alloc(&m->arena, sizeof(*l))))
		return -1;
	l->val = val;
	l->next = *head;
	*head = l;
	return 0;
}

/* Files a name as fitting the id `name[0..n)`. */
static int name_add(many *m, const char *name, size_t n, size_t path)
{
	char buf[256];
	const char *key = buf;
	ilist *l;
	size_t idx;

	if (n < sizeof(buf)) {
		memcpy(buf, name, n);
		buf[n] = '\0';
	} else if (!(key = dc_arena_strndup(&m->arena, name, n))) {
		return -1;
	}
	if (!dc_strmap_get(&m->names, key, &idx)) {
		if (key == buf && !(key = dc_arena_strndup(&m->arena, name, n)))
			return -1;
		if (dc_array_grow(&m->by_name, &m->capnames, m->nnames, sizeof(*m->by_name)) < 0 ||
		    dc_strmap_put(&m->names, key, m->nnames) < 0)
			return -1;
		idx = m->nnames;
		m->by_name[m->nnames++] = NULL;
	}
	/* each path is filed once under a name: no need to look for it */
	if (!(l = dc_arena_alloc(&m->arena, sizeof(*l))))
		return -1;
	l->val = path;
	l->next = m->by_name[idx];
	m->by_name[idx] = l;
	return 0;
}

/* Files path `path` under the ids its file name fits (see is_candidate()). */
static int name_path(many *m, size_t path)
{
	const char *base = strrchr(m->paths[path], '/');
	size_t len, j;

	base = base ? base + 1 : m->paths[path];
	len = strlen(base);
	if (len <= 3 || strcmp(base + len - 3, ".md"))
		return 0;
	for (j = 1; j < len - 3; j++)
		if (base[j] == '-' && name_add(m, base, j, path) < 0)
			return -1;
	return name_add(m, base, len - 3, path);
}

/* The index of a path, added when new. */
static int intern(many *m, const char *path, uint32_t *out)
{
	const char *copy;
	size_t idx;

	if (dc_strmap_get(&m->path_index, path, &idx)) {
		*out = (uint32_t)idx;
		return 0;
	}
	if (m->npaths == m->cappaths) {
		size_t cap = m->cappaths, cap_docs = m->cappaths;

		if (DC_ARRAY_GROW(m->paths, cap, m->npaths + 1) < 0 ||
		    DC_ARRAY_GROW(m->docs_at, cap_docs, m->npaths + 1) < 0)
			return -1;
		m->cappaths = cap;
	}
	if (m->npaths >= UINT32_MAX || !(copy = dc_arena_strdup(&m->arena, path)) ||
	    dc_strmap_put(&m->path_index, copy, m->npaths) < 0)
		return -1;
	m->paths[m->npaths] = copy;
	m->docs_at[m->npaths] = NULL;
	if (m->named && name_path(m, m->npaths) < 0)
		return -1;
	*out = (uint32_t)m->npaths++;
	return 0;
}

static int blob_index(many *m, const git_oid *id, uint32_t *out)
{
	size_t idx;

	if (!dc_oidmap_get(&m->blob_index, id, &idx)) {
		if (m->nblobs >= UINT32_MAX - BLOB0 ||
		    dc_array_grow(&m->blobs, &m->capblobs, m->nblobs, sizeof(*m->blobs)) < 0 ||
		    dc_oidmap_put(&m->blob_index, id, m->nblobs) < 0)
			return -1;
		idx = m->nblobs;
		m->blobs[m->nblobs++] = *id;
	}
	*out = (uint32_t)idx + BLOB0;
	return 0;
}

/* The version of document `d` in place `s` (a blob), parsed once. */
static int mversion(dc_version **out, many *m, size_t d, place s)
{
	mver *mv;

	for (mv = m->vers[d]; mv; mv = mv->next)
		if (mv->blob == s.blob) {
			*out = mv->v;
			return 0;
		}
	if (!(mv = dc_arena_alloc(&m->arena, sizeof(*mv))) ||
	    parse_version(&mv->v, m->hs[d], m->repo, &m->blobs[s.blob - BLOB0], m->paths[s.path]) < 0)
		return -1;
	mv->blob = s.blob;
	mv->next = m->vers[d];
	m->vers[d] = mv;
	*out = mv->v;
	return 0;
}

/* Looks up blobs by path in the tree of one commit (tree_cursor.h). */
typedef struct {
	git_tree *root;
	dc_tree_cursor tc;
} cursor;

static int cursor_open(cursor *c, git_repository *repo, const git_oid *commit)
{
	git_commit *cm = NULL;
	int rc = 0;

	c->root = NULL;
	if (git_commit_lookup(&cm, repo, commit) < 0 || git_commit_tree(&c->root, cm) < 0)
		rc = dc_error_set_git(_("cannot read a commit"));
	git_commit_free(cm);
	dc_tree_cursor_init(&c->tc, c->root);
	return rc;
}

static void cursor_close(cursor *c)
{
	dc_tree_cursor_dispose(&c->tc);
	git_tree_free(c->root);
}

/* 1 with the blob at `path` in *out, 0 when there is none, -1. */
static int cursor_blob(cursor *c, const char *path, git_oid *out)
{
	const git_tree_entry *e;
	int rc = dc_tree_cursor_blob(&c->tc, path, &e);

	if (rc == 1)
		*out = *git_tree_entry_id(e);
	return rc;
}

static int path_cmp(const void *a, const void *b, void *paths)
{
	const char *const *p = paths;

	return strcmp(p[*(const size_t *)a], p[*(const size_t *)b]);
}

/*
 * Document `d` is not at its path `from` in `commit`: looks for it under
 * another name that fits its id, in path order, as a file whose id is the
 * document's (a rename). `tp` is the pair that led there (its entries at
 * the paths m->epath), whose parent is `commit`, or NULL at the tip. Sets
 * *out, or returns 0 with *out ABSENT.
 */
static int find_renamed(many *m, size_t d, const git_oid *commit, const dc_touch_pair *tp, uint32_t from, place *out)
{
	cursor c;
	ilist *l;
	size_t idx, *cand = NULL, n = 0, cap = 0, i, j;
	int rc = 0, opened = 0;

	out->path = from;
	out->blob = ABSENT;
	/* the names of the paths known so far; intern() files later ones */
	for (i = 0; !m->named && i < m->npaths; i++)
		if (name_path(m, i) < 0)
			return -1;
	m->named = 1;
	if (!dc_strmap_get(&m->names, m->ids[d], &idx))
		return 0;
	for (l = m->by_name[idx]; l; l = l->next) {
		if (l->val == from)
			continue;
		if (dc_array_grow(&cand, &cap, n, sizeof(*cand)) < 0) {
			free(cand);
			return -1;
		}
		cand[n++] = l->val;
	}
	if (n > 1)
		qsort_r(cand, n, sizeof(*cand), path_cmp, (void *)m->paths);
	for (i = 0; i < n && rc == 0 && out->blob == ABSENT; i++) {
		git_oid id;
		int found = 0;
		dc_version *v;
		place s;

		for (j = 0; tp && j < tp->n && m->epath[j] != cand[i]; j++)
			;
		if (tp && j < tp->n) {
			/* the pair changed that path: the index has the parent's blob */
			if ((found = tp->ents[j].has_old))
				id = tp->ents[j].old_id;
		} else {
			if (!opened && (rc = cursor_open(&c, m->repo, commit)) < 0)
				break;
			opened = 1;
			if ((found = cursor_blob(&c, m->paths[cand[i]], &id)) < 0)
				rc = -1;
		}
		if (found <= 0)
			continue;
		s.path = (uint32_t)cand[i];
		if ((rc = blob_index(m, &id, &s.blob)) < 0 || (rc = mversion(&v, m, d, s)) < 0)
			break;
		if (v->id && !strcmp(v->id, m->ids[d])) {
			*out = s;
			rc = list_add(m, &m->docs_at[s.path], d);
		}
	}
	if (opened)
		cursor_close(&c);
	free(cand);
	return rc;
}

static mstate *state_new(size_t ndocs)
{
	mstate *st = calloc(1, sizeof(*st));

	if (!st || !(st->s = calloc(ndocs ? ndocs : 1, sizeof(place)))) {
		free(st);
		dc_error_oom();
		return NULL;
	}
	return st;
}

static void state_free(mstate *st)
{
	if (st) {
		free(st->s);
		free(st->absent);
		free(st);
	}
}

static int set_place(mstate *st, size_t d, place s)
{
	st->s[d] = s;
	if (s.blob != ABSENT)
		return 0;
	if (dc_array_grow(&st->absent, &st->capabsent, st->nabsent, sizeof(*st->absent)) < 0)
		return -1;
	st->absent[st->nabsent++] = d;
	return 0;
}

/* The documents of state `st` (of commit i) whose path the pair `tp`
 * changed, with where each is in the parent: appended to m->chg. */
static int pair_changes(many *m, const mstate *st, const git_oid *parent, const dc_touch_pair *tp)
{
	size_t j;
	int rc = 0;

	m->stamp++;
	if (tp->n > m->capepath) {
		free(m->epath);
		if (!(m->epath = malloc(tp->n * sizeof(*m->epath))))
			return dc_error_oom();
		m->capepath = tp->n;
	}
	for (j = 0; j < tp->n; j++)
		if (intern(m, tp->ents[j].path, &m->epath[j]) < 0)
			return -1;
	for (j = 0; j < tp->n && rc == 0; j++) {
		const dc_touch *e = &tp->ents[j];
		const ilist *l;

		for (l = m->docs_at[m->epath[j]]; l && rc == 0; l = l->next) {
			size_t d = l->val;
			change *c;

			if (m->mark[d] == m->stamp || st->s[d].blob < BLOB0 || st->s[d].path != m->epath[j])
				continue;
			m->mark[d] = m->stamp;
			if ((rc = dc_array_grow(&m->chg, &m->capchg, m->nchg, sizeof(*m->chg))) < 0)
				break;
			c = &m->chg[m->nchg++];
			c->doc = d;
			c->was = st->s[d];
			c->now.path = m->epath[j];
			if (e->has_old)
				rc = blob_index(m, &e->old_id, &c->now.blob);
			else
				rc = find_renamed(m, d, parent, tp, m->epath[j], &c->now);
		}
	}
	return rc;
}

/* Hands the state `st` of a commit, with the changes chg[from..to), to a
 * parent: as its state (`last`: st itself) or into the one it has. */
static int hand_down(many *m, mstate *st, size_t parent, size_t from, size_t to, int last)
{
	mstate *ps = m->states[parent];
	size_t i;

	if (!ps) {
		if (last) {
			ps = st;
		} else {
			if (!(ps = state_new(m->ndocs)))
				return -1;
			memcpy(ps->s, st->s, m->ndocs * sizeof(place));
		}
		for (i = 0; i < st->nabsent; i++)
			ps->s[st->absent[i]].blob = UNREACHED;
		ps->nabsent = 0;
		m->states[parent] = ps;
		for (i = from; i < to; i++)
			if (set_place(ps, m->chg[i].doc, m->chg[i].now) < 0)
				return -1;
		return 0;
	}
	for (i = from; i < to; i++)
		if (ps->s[m->chg[i].doc].blob == UNREACHED && set_place(ps, m->chg[i].doc, m->chg[i].now) < 0)
			return -1;
	for (i = 0; i < m->ndocs; i++)
		if (ps->s[i].blob == UNREACHED && st->s[i].blob >= BLOB0)
			ps->s[i] = st->s[i];
	return 0;
}

/* Document `d`, at `was` in commit c, introduces a version unless a parent
 * has the same blob: then its events. */
static int intro_events(many *m, size_t d, place was, const mcommit *c, size_t order)
{
	dc_version *v, *pv[PARENTS_MAX];
	ranked r[4];
	size_t k, np = 0, n = 0;

	for (k = 0; k < c->np; k++) {
		place ps = m->states[c->parents[k]]->s[d];

		if (ps.blob == was.blob)
			return 0;
	}
	for (k = 0; k < c->np && np < PARENTS_MAX; k++) {
		place ps = m->states[c->parents[k]]->s[d];

		if (ps.blob >= BLOB0 && mversion(&pv[np++], m, d, ps) < 0)
			return -1;
	}
	if (mversion(&v, m, d, was) < 0)
		return -1;
	events_of(v, pv, np, &c->oid, c->time, c->offset, order, r, &n);
	for (k = 0; k < n; k++) {
		if (dc_array_grow(&m->ev, &m->capev, m->nev, sizeof(*m->ev)) < 0)
			return -1;
		m->ev[m->nev].doc = d;
		m->ev[m->nev++].r = r[k];
	}
	return 0;
}

/* Visits commit i: hands its state down to its parents, then records the
 * versions it introduces. */
static int visit_many(many *m, size_t i, size_t order)
{
	mstate *st = m->states[i];
	const mcommit *c = &m->commits[i];
	size_t k, d, first_end = 0;
	int rc = 0, moved = 0;

	m->states[i] = NULL;
	if (!st)
		return 0;
	if (!c->np) {
		for (d = 0; d < m->ndocs && rc == 0; d++)
			if (st->s[d].blob >= BLOB0)
				rc = intro_events(m, d, st->s[d], c, order);
		state_free(st);
		return rc;
	}
	m->nchg = 0;
	for (k = 0; k < c->np && rc == 0; k++) {
		const mcommit *p = &m->commits[c->parents[k]];
		const dc_touch_pair *tp = dc_touched_find(m->touched, &c->oid, &p->oid);
		size_t from = m->nchg;

		if (tp && (rc = pair_changes(m, st, &p->oid, tp)) < 0)
			break;
		if (k == 0)
			first_end = m->nchg;
		rc = hand_down(m, st, c->parents[k], from, m->nchg, k + 1 == c->np);
		moved = k + 1 == c->np && m->states[c->parents[k]] == st;
	}
	/* a version is introduced where every parent's blob differs: only where
	 * the commit changed the path relative to the first parent */
	for (k = 0; k < first_end && rc == 0; k++)
		rc = intro_events(m, m->chg[k].doc, m->chg[k].was, c, order);
	if (!moved)
		state_free(st);
	return rc;
}

/* Lists the commits reachable from the tip with their parents. */
static int list_commits(many *m, const git_oid *tip)
{
	git_revwalk *rw = NULL;
	git_oid *pids = NULL;
	size_t npids = 0, cappids = 0, cap = 0, i, k;
	git_oid id;
	int rc = 0;

	if (dc_revwalk_from(&rw, m->repo, tip, NULL) < 0)
		return dc_error_set_git(_("cannot rw the history"));
	while (rc == 0 && git_revwalk_next(&id, rw) == 0) {
		git_commit *c = NULL;
		mcommit *mc;
		unsigned j;

		if (git_commit_lookup(&c, m->repo, &id) < 0) {
			rc = dc_error_set_git(_("cannot read a commit"));
			break;
		}
		if ((rc = dc_array_grow(&m->commits, &cap, m->ncommits, sizeof(*m->commits))) == 0)
			rc = dc_oidmap_put(&m->commit_index, &id, m->ncommits);
		for (j = 0; rc == 0 && j < git_commit_parentcount(c); j++)
			if ((rc = dc_array_grow(&pids, &cappids, npids, sizeof(*pids))) == 0)
				pids[npids++] = *git_commit_parent_id(c, j);
		if (rc == 0) {
			mc = &m->commits[m->ncommits++];
			memset(mc, 0, sizeof(*mc));
			mc->oid = id;
			mc->np = git_commit_parentcount(c);
			mc->time = git_commit_committer(c)->when.time;
			mc->offset = git_commit_committer(c)->when.offset;
		}
		git_commit_free(c);
	}
	git_revwalk_free(rw);
	if (rc == 0 && npids && !(m->parent_ids = malloc(npids * sizeof(size_t))))
		rc = dc_error_oom();
	for (i = 0, npids = 0; rc == 0 && i < m->ncommits; i++) {
		m->commits[i].parents = m->parent_ids + npids;
		for (k = 0; k < m->commits[i].np && rc == 0; k++, npids++) {
			if (!dc_oidmap_get(&m->commit_index, &pids[npids], &m->parent_ids[npids]))
				rc = dc_error_set(_("cannot walk the history: a parent commit is missing"));
			else
				m->commits[m->parent_ids[npids]].children++;
		}
	}
	free(pids);
	return rc;
}

/* Has the touched index know every pair (commit, parent) of the walk. */
static int touch_commits(many *m, dc_touched *t)
{
	git_oid *children, *parents;
	size_t n = 0, i, k;
	int rc;

	for (i = 0; i < m->ncommits; i++)
		n += m->commits[i].np;
	children = malloc((n + 1) * sizeof(*children));
	parents = malloc((n + 1) * sizeof(*parents));
	if (!children || !parents) {
		free(children);
		free(parents);
		return dc_error_oom();
	}
	for (i = 0, n = 0; i < m->ncommits; i++)
		for (k = 0; k < m->commits[i].np; k++, n++) {
			children[n] = m->commits[i].oid;
			parents[n] = m->commits[m->commits[i].parents[k]].oid;
		}
	rc = dc_touched_need(t, children, parents, n);
	free(children);
	free(parents);
	return rc;
}

/* The state of the tip: each document at its path, or under another name
 * that fits its id. */
static int tip_state(many *m, const git_oid *tip, const char *prefix, const char *const *paths, size_t itip)
{
	dc_buf full = DC_BUF_INIT;
	cursor c;
	mstate *st;
	size_t d;
	int rc;

	if (!(st = state_new(m->ndocs)))
		return -1;
	m->states[itip] = st;
	for (d = 0; d < m->ndocs; d++) {
		dc_buf_clear(&full);
		if (dc_buf_printf(&full, "%s%s%s", prefix, *prefix ? "/" : "", paths[d]) < 0 ||
		    intern(m, full.ptr, &st->s[d].path) < 0 || list_add(m, &m->docs_at[st->s[d].path], d) < 0) {
			dc_buf_dispose(&full);
			return -1;
		}
	}
	dc_buf_dispose(&full);
	if ((rc = cursor_open(&c, m->repo, tip)) < 0)
		return rc;
	for (d = 0; d < m->ndocs && rc == 0; d++) {
		git_oid id;
		int found = cursor_blob(&c, m->paths[st->s[d].path], &id);

		if (found < 0)
			rc = -1;
		else if (found)
			rc = blob_index(m, &id, &st->s[d].blob);
		else if ((rc = find_renamed(m, d, tip, NULL, st->s[d].path, &st->s[d])) == 0 &&
			 st->s[d].blob == ABSENT)
			st->s[d].blob = UNREACHED;
	}
	cursor_close(&c);
	return rc;
}

/* Hands each history its events (m->ev, grouped by document in the order
 * found). */
static int deal_events(many *m)
{
	size_t *start, d, i;
	ranked *sorted;
	int rc = 0;

	start = calloc(m->ndocs + 1, sizeof(*start));
	sorted = malloc((m->nev ? m->nev : 1) * sizeof(*sorted));
	if (!start || !sorted) {
		free(start);
		free(sorted);
		return dc_error_oom();
	}
	for (i = 0; i < m->nev; i++)
		start[m->ev[i].doc + 1]++;
	for (d = 0; d < m->ndocs; d++)
		start[d + 1] += start[d];
	for (i = 0; i < m->nev; i++)
		sorted[start[m->ev[i].doc]++] = m->ev[i].r;
	for (d = m->ndocs; d > 0; d--)
		start[d] = start[d - 1];
	start[0] = 0;
	for (d = 0; d < m->ndocs && rc == 0; d++)
		rc = finish_events(m->hs[d], sorted + start[d], start[d + 1] - start[d]);
	free(start);
	free(sorted);
	return rc;
}

/* --- building --- */

void dc_history_init(dc_history *h)
{
	memset(h, 0, sizeof(*h));
}

void dc_history_dispose(dc_history *h)
{
	dc_arena_dispose(&h->arena);
	memset(h, 0, sizeof(*h));
}

int dc_history_build(dc_history *h, git_repository *repo, const git_oid *tip, const char *prefix,
		     const dc_policy *policy, const char *id, const char *path)
{
	walk w;
	dc_buf full = DC_BUF_INIT;
	size_t node, order = 0;
	int rc;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.policy = policy;
	w.prefix = prefix ? prefix : "";
	w.h = h;
	if (!(h->id = w.id = dc_arena_strdup(&h->arena, id)))
		return -1;
	dc_buf_printf(&full, "%s%s%s", w.prefix, *w.prefix ? "/" : "", path);
	rc = dc_touched_open(&w.touched, repo, w.prefix, policy);
	if (rc == 0)
		dc_touched_follow(w.touched, tip);
	if (rc == 0)
		rc = locate(&w, &node, tip, keep(h, full.ptr), (size_t)-1);
	if (rc == 0 && w.nodes[node].present) {
		if ((rc = dc_array_grow(&w.stack, &w.capstack, w.nstack, sizeof(size_t))) == 0)
			w.stack[w.nstack++] = node;
	}
	while (rc == 0 && w.nstack) {
		node = w.stack[--w.nstack];
		rc = visit(&w, node, order++);
	}
	h->ncommits = order;
	if (rc == 0)
		rc = collect_events(&w);
	if (rc == 0 && w.touched && dc_touched_save(w.touched) < 0)
		dc_error_clear(); /* only slower next time */
	dc_touched_free(w.touched);
	dc_buf_dispose(&full);
	free(w.nodes);
	dc_oidmap_dispose(&w.commits);
	free(w.versions);
	dc_oidmap_dispose(&w.blobs);
	free(w.intros);
	free(w.stack);
	return rc;
}

int dc_history_build_many(dc_history *const *hs, const char *const *ids, const char *const *paths, size_t n,
			  git_repository *repo, const git_oid *tip, const char *prefix, const dc_policy *policy)
{
	many m;
	dc_touched *touched = NULL;
	size_t *stack = NULL, nstack = 0, capstack = 0, itip, i, k, order = 0;
	int rc = 0;

	for (i = 0; i < n; i++)
		if (!(hs[i]->id = dc_arena_strdup(&hs[i]->arena, ids[i])))
			return -1;
	if (!n)
		return 0;
	prefix = prefix ? prefix : "";
	memset(&m, 0, sizeof(m));
	m.repo = repo;
	m.hs = hs;
	m.ids = ids;
	m.ndocs = n;
	dc_arena_init(&m.arena);
	dc_strmap_init(&m.path_index);
	dc_strmap_init(&m.names);
	if (!(m.vers = calloc(n, sizeof(*m.vers))) || !(m.mark = calloc(n, sizeof(*m.mark)))) {
		rc = dc_error_oom();
		goto cleanup;
	}
	if ((rc = list_commits(&m, tip)) < 0 || (rc = dc_touched_open(&touched, repo, prefix, policy)) < 0 ||
	    (rc = touch_commits(&m, touched)) < 0)
		goto cleanup;
	if (dc_touched_save(touched) < 0)
		dc_error_clear(); /* only slower next time */
	m.touched = touched;
	if (!(m.states = calloc(m.ncommits + 1, sizeof(*m.states)))) {
		rc = dc_error_oom();
		goto cleanup;
	}
	if (!dc_oidmap_get(&m.commit_index, tip, &itip)) {
		rc = dc_error_set(_("cannot walk the history from its tip"));
		goto cleanup;
	}
	if ((rc = tip_state(&m, tip, prefix, paths, itip)) < 0 ||
	    (rc = dc_array_grow(&stack, &capstack, nstack, sizeof(*stack))) < 0)
		goto cleanup;
	/* children before parents: a commit is visited once all its children are */
	stack[nstack++] = itip;
	while (rc == 0 && nstack) {
		i = stack[--nstack];
		rc = visit_many(&m, i, order++);
		for (k = 0; rc == 0 && k < m.commits[i].np; k++) {
			size_t p = m.commits[i].parents[k];

			if (--m.commits[p].children == 0 &&
			    (rc = dc_array_grow(&stack, &capstack, nstack, sizeof(*stack))) == 0)
				stack[nstack++] = p;
		}
	}
	for (i = 0; i < n; i++)
		hs[i]->ncommits = order;
	if (rc == 0)
		rc = deal_events(&m);
cleanup:
	for (i = 0; m.states && i < m.ncommits; i++)
		state_free(m.states[i]);
	free(m.states);
	free(stack);
	free(m.commits);
	free(m.parent_ids);
	dc_oidmap_dispose(&m.commit_index);
	free(m.blobs);
	dc_oidmap_dispose(&m.blob_index);
	free(m.paths);
	free(m.docs_at);
	free(m.by_name);
	free(m.epath);
	free(m.chg);
	free(m.ev);
	free(m.vers);
	free(m.mark);
	dc_strmap_dispose(&m.path_index);
	dc_strmap_dispose(&m.names);
	dc_arena_dispose(&m.arena);
	dc_touched_free(touched);
	return rc;
}

/* --- questions --- */

int dc_version_pending(const dc_version *v, const dc_date *today)
{
	const char *eff = v->effective ? v->effective : v->approved_on;
	dc_date d;

	return eff && dc_date_parse(&d, eff) == 0 && dc_date_cmp(&d, today) > 0;
}

const dc_event *dc_history_in_force(const dc_history *h, const dc_date *today)
{
	size_t i;

	for (i = 0; i < h->nevents; i++)
		if (!dc_version_pending(h->events[i].version, today))
			return &h->events[i];
	return NULL;
}

const dc_event *dc_history_revision(const dc_history *h, const char *revision)
{
	size_t i;

	for (i = 0; i < h->nevents; i++)
		if (eq(h->events[i].version->revision, revision))
			return &h->events[i];
	return NULL;
}

const dc_event *dc_history_approval_of(const dc_history *h, const dc_version *v)
{
	size_t i;

	for (i = 0; i < h->nevents; i++)
		if (h->events[i].kind == DC_EVENT_APPROVED && same_approval(h->events[i].version, v))
			return &h->events[i];
	return NULL;
}

int dc_version_read(dc_buf *out, git_repository *repo, const dc_version *v)
{
	git_blob *b = NULL;
	int rc;

	if (git_blob_lookup(&b, repo, &v->blob) < 0)
		return dc_error_set_git(_("cannot read a document version"));
	dc_buf_clear(out);
	rc = dc_buf_put(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return rc;
}

const char *dc_event_kind_name(dc_event_kind k)
{
	switch (k) {
	case DC_EVENT_APPROVED: return "approved";
	case DC_EVENT_REVIEWED: return "reviewed";
	case DC_EVENT_OBSOLETED: return "obsoleted";
	case DC_EVENT_CHECKED: return "checked";
	}
	return "?";
}

void dc_time_format(char *out, size_t size, git_time_t t, int offset)
{
	time_t local = (time_t)(t + (git_time_t)offset * 60);
	struct tm tm;
	int off = offset < 0 ? -offset : offset;

	gmtime_r(&local, &tm);
	snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d %c%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+', off / 60, off % 60);
}

/* --- signatures --- */

int dc_history_verify(dc_history *h, git_repository *repo, const char *prefix, const dc_policy *policy)
{
	dc_buf path = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	dc_buf_printf(&path, "%s%s%s", prefix ? prefix : "", prefix && *prefix ? "/" : "",
		      policy->signers ? policy->signers : ".docctl/allowed_signers");
	for (i = 0; i < h->nevents && rc == 0; i++) {
		dc_event *e = &h->events[i];
		const dc_person *who = e->signer ? dc_policy_person(policy, e->signer) : NULL;
		git_commit *c = NULL;
		git_tree *tree = NULL;
		git_tree_entry *te = NULL;
		git_blob *b = NULL;
		const char *signers = "";
		size_t len = 0;
		dc_sig_result res;

		e->verified = 0;
		if (!who) {
			e->sig_detail = e->signer ? _("the signer is not a person of the policy") : _("no signer is named");
			continue;
		}
		if (git_commit_lookup(&c, repo, &e->commit) < 0 || git_commit_tree(&tree, c) < 0) {
			rc = dc_error_set_git(_("cannot read a commit"));
		} else {
			if (git_tree_entry_bypath(&te, tree, path.ptr) == 0 &&
			    git_blob_lookup(&b, repo, git_tree_entry_id(te)) == 0) {
				signers = git_blob_rawcontent(b);
				len = (size_t)git_blob_rawsize(b);
			}
			rc = dc_sig_verify_commit(&res, repo, &e->commit, signers, len, who->email, (time_t)e->time);
			if (rc == 0) {
				e->verified = 1;
				e->sig = res.status;
				e->sig_detail = dc_arena_strdup(&h->arena, res.detail);
			}
		}
		git_blob_free(b);
		git_tree_entry_free(te);
		git_tree_free(tree);
		git_commit_free(c);
	}
	dc_buf_dispose(&path);
	return rc;
}
