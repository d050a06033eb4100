/*
 * history.c - the audit trail of one document from a branch's commits (see
 * history.h for what counts as an event).
 *
 * The cost is one tree-entry lookup per commit that holds the document (git
 * keeps unchanged subtrees shared, and libgit2 caches the trees), plus one
 * parse per distinct version of the file. Commits are remembered in a small
 * open-addressing table keyed by object id, so each is looked at once even
 * when merges join the lines of history again.
 */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "document.h"
#include "error.h"

/* --- a table from object ids to indices --- */

typedef struct {
	git_oid key;
	size_t val;
	int used;
} oslot;

typedef struct {
	oslot *s;
	size_t cap, n;
} oidmap;

static size_t oid_hash(const git_oid *k)
{
	size_t h;

	memcpy(&h, k->id, sizeof(h));
	return h;
}

static int oidmap_get(const oidmap *m, const git_oid *k, size_t *val)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = oid_hash(k) & (m->cap - 1); m->s[i].used; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(&m->s[i].key, k)) {
			*val = m->s[i].val;
			return 1;
		}
	return 0;
}

static int oidmap_put(oidmap *m, const git_oid *k, size_t val)
{
	size_t i;

	if ((m->n + 1) * 10 > m->cap * 7) {
		oidmap bigger = { NULL, m->cap ? m->cap * 2 : 1024, 0 };

		if (!(bigger.s = calloc(bigger.cap, sizeof(oslot))))
			return dc_error_set("out of memory");
		for (i = 0; i < m->cap; i++)
			if (m->s[i].used)
				oidmap_put(&bigger, &m->s[i].key, m->s[i].val);
		free(m->s);
		*m = bigger;
	}
	for (i = oid_hash(k) & (m->cap - 1); m->s[i].used; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(&m->s[i].key, k)) {
			m->s[i].val = val;
			return 0;
		}
	m->s[i].key = *k;
	m->s[i].val = val;
	m->s[i].used = 1;
	m->n++;
	return 0;
}

/* --- which paths each commit changed --- */

static int grow(void **p, size_t *cap, size_t n, size_t size);

/* The paths one commit changed relative to one parent. */
typedef struct {
	git_oid child, parent;
	const char **paths;
	size_t n, cap;
} touch_pair;

struct dc_touched {
	dc_arena arena;        /* the paths */
	touch_pair *pairs;
	size_t npairs, cappairs;
	size_t *slots;         /* pair index + 1 by (child, parent); 0 empty */
	size_t mask;
};

static size_t pair_hash(const git_oid *child, const git_oid *parent)
{
	size_t a, b;

	memcpy(&a, child->id, sizeof(a));
	memcpy(&b, parent->id, sizeof(b));
	return a ^ (b * 31);
}

static touch_pair *pair_find(const dc_touched *t, const git_oid *child, const git_oid *parent, size_t *slot)
{
	size_t h;

	for (h = pair_hash(child, parent) & t->mask; t->slots[h]; h = (h + 1) & t->mask) {
		touch_pair *p = &t->pairs[t->slots[h] - 1];

		if (git_oid_equal(&p->child, child) && git_oid_equal(&p->parent, parent))
			return p;
	}
	if (slot)
		*slot = h;
	return NULL;
}

static int was_touched(const dc_touched *t, const git_oid *child, const git_oid *parent, const char *path)
{
	const touch_pair *p = t->mask ? pair_find(t, child, parent, NULL) : NULL;
	size_t i;

	for (i = 0; p && i < p->n; i++)
		if (!strcmp(p->paths[i], path))
			return 1;
	return 0;
}

static int pair_add(dc_touched *t, const git_oid *child, const git_oid *parent, const char *path)
{
	touch_pair *p;
	size_t slot = 0, i;

	if (t->npairs * 2 + 2 > t->mask) {
		size_t cap = t->mask ? (t->mask + 1) * 2 : 1024;
		size_t *slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return dc_error_set("out of memory");
		free(t->slots);
		t->slots = slots;
		t->mask = cap - 1;
		for (i = 0; i < t->npairs; i++) {
			pair_find(t, &t->pairs[i].child, &t->pairs[i].parent, &slot);
			t->slots[slot] = i + 1;
		}
	}
	if (!(p = pair_find(t, child, parent, &slot))) {
		if (grow((void **)&t->pairs, &t->cappairs, t->npairs, sizeof(*p)) < 0)
			return -1;
		p = &t->pairs[t->npairs++];
		memset(p, 0, sizeof(*p));
		p->child = *child;
		p->parent = *parent;
		t->slots[slot] = t->npairs;
	}
	if (grow((void **)&p->paths, &p->cap, p->n, sizeof(*p->paths)) < 0 ||
	    !(p->paths[p->n] = dc_arena_strdup(&t->arena, path)))
		return -1;
	p->n++;
	return 0;
}

typedef struct {
	dc_touched *t;
	const git_oid *child, *parent;
	int rc;
} touch_ctx;

static int touch_file(const git_diff_delta *d, float progress, void *payload)
{
	touch_ctx *x = payload;
	const char *paths[2] = { d->old_file.path, d->new_file.path };
	size_t i;

	(void)progress;
	for (i = 0; i < 2 && x->rc == 0; i++) {
		if (!paths[i] || (i == 1 && paths[0] && !strcmp(paths[0], paths[1])))
			continue;
		if (pair_add(x->t, x->child, x->parent, paths[i]) < 0)
			x->rc = -1;
	}
	return x->rc;
}

void dc_touched_free(dc_touched *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->npairs; i++)
		free(t->pairs[i].paths);
	free(t->pairs);
	free(t->slots);
	dc_arena_dispose(&t->arena);
	free(t);
}

int dc_touched_build(dc_touched **out, git_repository *repo, const git_oid *tip, const char *prefix,
		     const dc_policy *policy)
{
	git_diff_options opts;
	git_revwalk *walk = NULL;
	dc_touched *t;
	char **specs = NULL;
	git_oid id;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t))) || !(specs = calloc(policy->nroots + 1, sizeof(*specs)))) {
		free(t);
		return dc_error_set("out of memory");
	}
	dc_arena_init(&t->arena);
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	for (i = 0; i < policy->nroots; i++) {
		const char *r = policy->roots[i];

		specs[i] = dc_arena_strdup(&t->arena, "");
		if (*prefix || *r) {
			dc_buf b = DC_BUF_INIT;

			dc_buf_printf(&b, "%s%s%s", prefix, *prefix && *r ? "/" : "", r);
			specs[i] = dc_arena_strdup(&t->arena, b.ptr);
			dc_buf_dispose(&b);
		}
	}
	opts.pathspec.strings = specs;
	opts.pathspec.count = policy->nroots;
	for (i = 0; i < policy->nroots; i++)
		if (!*specs[i])
			opts.pathspec.count = 0; /* a root that is the whole repository */
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push(walk, tip) < 0) {
		rc = dc_error_set_git("cannot walk the history");
		goto cleanup;
	}
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		git_tree *tree = NULL;
		unsigned k;

		if (git_commit_lookup(&c, repo, &id) < 0 || git_commit_tree(&tree, c) < 0) {
			git_commit_free(c);
			rc = dc_error_set_git("cannot read a commit");
			break;
		}
		for (k = 0; rc == 0 && k < git_commit_parentcount(c); k++) {
			git_commit *p = NULL;
			git_tree *ptree = NULL;
			git_diff *diff = NULL;
			touch_ctx x = { t, &id, git_commit_parent_id(c, k), 0 };

			if (git_commit_parent(&p, c, k) < 0 || git_commit_tree(&ptree, p) < 0 ||
			    git_diff_tree_to_tree(&diff, repo, ptree, tree, &opts) < 0)
				rc = dc_error_set_git("cannot compare a commit with its parent");
			else if (git_diff_foreach(diff, touch_file, NULL, NULL, NULL, &x) < 0 || x.rc < 0)
				rc = x.rc < 0 ? -1 : dc_error_set_git("cannot compare a commit with its parent");
			git_diff_free(diff);
			git_tree_free(ptree);
			git_commit_free(p);
		}
		git_tree_free(tree);
		git_commit_free(c);
	}
cleanup:
	free(specs);
	git_revwalk_free(walk);
	if (rc < 0) {
		dc_touched_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* --- the walk --- */

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
	const dc_touched *touched;
	dc_history *h;
	cnode *nodes;
	size_t nnodes, capnodes;
	oidmap commits;        /* commit id -> node */
	dc_version **versions;
	size_t nversions, capversions;
	oidmap blobs;          /* blob id -> version */
	intro *intros;
	size_t nintros, capintros;
	size_t *stack;
	size_t nstack, capstack;
} walk;

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if (!(q = realloc(*p, c * size)))
		return dc_error_set("out of memory");
	*p = q;
	*cap = c;
	return 0;
}

static const char *keep(walk *w, const char *s)
{
	return s ? dc_arena_strdup(&w->h->arena, s) : NULL;
}

/* The parsed version of a blob, parsed once. */
static int version_of(dc_version **out, walk *w, const git_oid *blob, const char *path)
{
	git_blob *b = NULL;
	dc_diags ignored;
	dc_doc doc;
	dc_version *v;
	const dc_node *rev;
	size_t idx;
	int rc;

	if (oidmap_get(&w->blobs, blob, &idx)) {
		*out = w->versions[idx];
		return 0;
	}
	if (git_blob_lookup(&b, w->repo, blob) < 0)
		return dc_error_set_git("cannot read a document version");
	dc_doc_init(&doc);
	dc_diags_init(&ignored);
	rc = dc_doc_parse(&doc, path, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), 0, &ignored);
	if (rc == 0 && !(v = dc_arena_alloc(&w->h->arena, sizeof(*v))))
		rc = -1;
	if (rc == 0) {
		v->blob = *blob;
		v->path = keep(w, path);
		if (doc.root) {
			v->id = keep(w, dc_doc_str(&doc, "id"));
			v->title = keep(w, dc_doc_str(&doc, "title"));
			v->type = keep(w, dc_doc_str(&doc, "type"));
			rev = dc_node_get(doc.root, "revision");
			v->revision = rev && (rev->kind == DC_NODE_STR || rev->kind == DC_NODE_INT) ? keep(w, rev->text) : NULL;
			v->status = keep(w, dc_doc_str(&doc, "status"));
			v->change = keep(w, dc_doc_str(&doc, "change"));
			v->owner = keep(w, dc_doc_str(&doc, "owner"));
			v->classification = keep(w, dc_doc_str(&doc, "classification"));
			v->approved_by = keep(w, dc_doc_str(&doc, "approved_by"));
			v->approved_on = keep(w, dc_doc_str(&doc, "approved_on"));
			v->effective = keep(w, dc_doc_str(&doc, "effective"));
			v->reviewed_by = keep(w, dc_doc_str(&doc, "reviewed_by"));
			v->reviewed_on = keep(w, dc_doc_str(&doc, "reviewed_on"));
			v->obsoleted_by = keep(w, dc_doc_str(&doc, "obsoleted_by"));
			v->obsoleted_on = keep(w, dc_doc_str(&doc, "obsoleted_on"));
			v->superseded_by = keep(w, dc_doc_str(&doc, "superseded_by"));
		}
		w->h->nparsed++;
		if ((rc = grow((void **)&w->versions, &w->capversions, w->nversions, sizeof(*w->versions))) == 0)
			rc = oidmap_put(&w->blobs, blob, w->nversions);
		if (rc == 0) {
			w->versions[w->nversions++] = v;
			*out = v;
		}
	}
	dc_diags_dispose(&ignored);
	dc_doc_dispose(&doc);
	dc_arena_dispose(&doc.arena);
	git_blob_free(b);
	return rc;
}

typedef struct {
	walk *w;
	const char *base;      /* the root folder walked, in the repository */
	dc_buf *path;          /* out: the first candidate's path */
	git_oid *blob;
	int found;
	int rc;
} search_ctx;

static int is_candidate(const char *name, const char *id)
{
	size_t n = strlen(id), len = strlen(name);

	if (strncmp(name, id, n) || len < 3 || strcmp(name + len - 3, ".md"))
		return 0;
	return name[n] == '-' || !strcmp(name + n, ".md");
}

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
	return dc_error_set_git("cannot read a tree");
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
			return dc_error_set_git("cannot read a tree");
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

	if ((rc = grow((void **)&w->nodes, &w->capnodes, w->nnodes, sizeof(cnode))) < 0)
		return rc;
	n = &w->nodes[w->nnodes];
	memset(n, 0, sizeof(*n));
	n->oid = *commit;
	child = from < w->nnodes ? &w->nodes[from] : NULL; /* after grow(), which moves the nodes */
	if (git_commit_lookup(&c, w->repo, commit) < 0) {
		rc = dc_error_set_git("cannot read a commit");
		goto cleanup;
	}
	if (child && child->path != path)
		child = NULL;
	if (child && child->present && w->touched && !was_touched(w->touched, &child->oid, commit, path)) {
		/* the child did not change the file: the parent has the same blob */
		n->present = 1;
		n->path = path;
		n->blob = child->blob;
		goto put;
	}
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
		rc = dc_error_set_git("cannot read a commit");
		goto cleanup;
	}
	if (at == 2 && git_tree_entry_bypath(&te, tree, path) == 0 && git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
		n->present = 1;
		n->path = path;
		n->blob = *git_tree_entry_id(te);
	} else if ((rc = find_by_id(w, tree, &found, &n->blob)) > 0) {
		n->present = 1;
		if (!(n->path = keep(w, found.ptr)))
			rc = -1;
	}
put:
	if (rc >= 0)
		rc = oidmap_put(&w->commits, commit, w->nnodes);
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

/* Visits one commit that holds the document: finds its parents' versions
 * and records it when it introduces a version. */
static int visit(walk *w, size_t node, size_t order)
{
	git_commit *c = NULL;
	size_t i, np, idx, *parents = NULL, npresent = 0;
	int rc = 0, introduces = 1;

	if (git_commit_lookup(&c, w->repo, &w->nodes[node].oid) < 0)
		return dc_error_set_git("cannot read a commit");
	np = git_commit_parentcount(c);
	if (np && !(parents = dc_arena_alloc(&w->h->arena, np * sizeof(size_t)))) {
		rc = -1;
		goto cleanup;
	}
	for (i = 0; i < np; i++) {
		const git_oid *pid = git_commit_parent_id(c, (unsigned)i);

		if (!oidmap_get(&w->commits, pid, &idx)) {
			if ((rc = locate(w, &idx, pid, w->nodes[node].path, node)) < 0)
				goto cleanup;
			if (w->nodes[idx].present) {
				if ((rc = grow((void **)&w->stack, &w->capstack, w->nstack, sizeof(size_t))) < 0)
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

		if ((rc = grow((void **)&w->intros, &w->capintros, w->nintros, sizeof(intro))) < 0)
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

/* --- events --- */

static int eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int is(const dc_version *v, const char *status)
{
	return v->status && !strcmp(v->status, status);
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
	}
	return 0;
}

typedef struct {
	dc_event ev;
	size_t order;
} ranked;

static int newest_first(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;

	if (a->ev.time != b->ev.time)
		return a->ev.time > b->ev.time ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* The events one introducing commit carries (at most one per kind). */
static int events_of(walk *w, const intro *in, ranked *out, size_t *n)
{
	const cnode *node = &w->nodes[in->node];
	dc_version *v, *pv[64];
	size_t i, np = 0;
	int approved_before = 0, obsolete_before = 0, reviewed_before = 0, same_before = 0;
	int rc;

	*n = 0;
	if ((rc = version_of(&v, w, &node->blob, node->path)) < 0)
		return rc;
	for (i = 0; i < in->nparents && np < 64; i++) {
		const cnode *p = &w->nodes[in->parents[i]];

		if ((rc = version_of(&pv[np], w, &p->blob, p->path)) < 0)
			return rc;
		np++;
	}
	for (i = 0; i < np; i++) {
		int sa = same_approval(v, pv[i]);

		if (is(pv[i], "obsolete"))
			obsolete_before = 1;
		if ((is(pv[i], "approved") || is(pv[i], "obsolete")) && sa)
			approved_before = 1;
		if (is(pv[i], "approved") && sa) {
			same_before = 1;
			if (eq(pv[i]->reviewed_by, v->reviewed_by) && eq(pv[i]->reviewed_on, v->reviewed_on))
				reviewed_before = 1;
		}
	}
	for (i = 0; i < 3; i++) {
		ranked *r = &out[*n];

		memset(r, 0, sizeof(*r));
		if (i == 0 && is(v, "approved") && !approved_before) {
			r->ev.kind = DC_EVENT_APPROVED;
			r->ev.signer = v->approved_by;
		} else if (i == 1 && is(v, "approved") && same_before && !reviewed_before && v->reviewed_on) {
			r->ev.kind = DC_EVENT_REVIEWED;
			r->ev.signer = v->reviewed_by;
		} else if (i == 2 && is(v, "obsolete") && !obsolete_before) {
			r->ev.kind = DC_EVENT_OBSOLETED;
			r->ev.signer = v->obsoleted_by;
		} else {
			continue;
		}
		r->ev.version = v;
		r->ev.commit = node->oid;
		r->ev.time = in->time;
		r->ev.offset = in->offset;
		r->order = in->order;
		(*n)++;
	}
	return 0;
}

static int collect_events(walk *w)
{
	ranked *all = NULL;
	size_t i, j, n = 0, k;
	int rc = 0;

	if (w->nintros && !(all = calloc(w->nintros * 3, sizeof(*all))))
		return dc_error_set("out of memory");
	for (i = 0; i < w->nintros && rc == 0; i++) {
		rc = events_of(w, &w->intros[i], all + n, &k);
		n += k;
	}
	if (rc < 0)
		goto cleanup;
	/* oldest first, so the first of two equal events is the one kept */
	if (n)
		qsort(all, n, sizeof(*all), newest_first);
	if (n && !(w->h->events = dc_arena_alloc(&w->h->arena, n * sizeof(dc_event)))) {
		rc = -1;
		goto cleanup;
	}
	for (i = n; i-- > 0;) {
		int dup = 0;

		for (j = 0; j < w->h->nevents && !dup; j++)
			dup = same_event(&w->h->events[j], &all[i].ev);
		if (!dup)
			w->h->events[w->h->nevents++] = all[i].ev;
	}
	/* back to newest first */
	for (i = 0, j = w->h->nevents; i + 1 < j; i++, j--) {
		dc_event t = w->h->events[i];

		w->h->events[i] = w->h->events[j - 1];
		w->h->events[j - 1] = t;
	}
cleanup:
	free(all);
	return rc;
}

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
	return dc_history_build_touched(h, repo, tip, prefix, policy, id, path, NULL);
}

int dc_history_build_touched(dc_history *h, git_repository *repo, const git_oid *tip, const char *prefix,
			     const dc_policy *policy, const char *id, const char *path, const dc_touched *touched)
{
	walk w;
	dc_buf full = DC_BUF_INIT;
	size_t node, order = 0;
	int rc;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.policy = policy;
	w.prefix = prefix ? prefix : "";
	w.touched = touched;
	w.h = h;
	if (!(h->id = w.id = dc_arena_strdup(&h->arena, id)))
		return -1;
	dc_buf_printf(&full, "%s%s%s", w.prefix, *w.prefix ? "/" : "", path);
	rc = locate(&w, &node, tip, keep(&w, full.ptr), (size_t)-1);
	if (rc == 0 && w.nodes[node].present) {
		if ((rc = grow((void **)&w.stack, &w.capstack, w.nstack, sizeof(size_t))) == 0)
			w.stack[w.nstack++] = node;
	}
	while (rc == 0 && w.nstack) {
		node = w.stack[--w.nstack];
		rc = visit(&w, node, order++);
	}
	h->ncommits = order;
	if (rc == 0)
		rc = collect_events(&w);
	dc_buf_dispose(&full);
	free(w.nodes);
	free(w.commits.s);
	free(w.versions);
	free(w.blobs.s);
	free(w.intros);
	free(w.stack);
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
		return dc_error_set_git("cannot read a document version");
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
			e->sig_detail = e->signer ? "the signer is not a person of the policy" : "no signer is named";
			continue;
		}
		if (git_commit_lookup(&c, repo, &e->commit) < 0 || git_commit_tree(&tree, c) < 0) {
			rc = dc_error_set_git("cannot read a commit");
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
