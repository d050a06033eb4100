/*
 * attach_delta.c - what a change does to attachments (attach.h,
 * dc_attach_delta): the files each document of the change lists, who
 * claims each file under the roots, and the links that claim a file, read
 * from the base tree's snapshot when there is one. The hooks' side of
 * reference §9.3; check's is check_attach.c.
 */
#include "attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "markdown.h"
#include "snapshot.h"
#include "source.h"
#include "strmap.h"
/* --- what a change does to attachments --- */

/* A document that lists the file, in one state. */
typedef struct {
	char *path;      /* the document's */
	char *id;
} lister;

typedef struct {
	lister *v;
	size_t n;
} listers;

static void listers_clear(listers *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].id);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Parses `data` as the document at `path` into doc (caller disposes). */
static int parse_doc(dc_doc *doc, const char *path, const dc_buf *data)
{
	dc_diags ignored;
	int rc;

	dc_doc_init(doc);
	dc_diags_init(&ignored);
	rc = dc_doc_parse(doc, path, data->ptr ? data->ptr : "", data->len, 0, &ignored);
	dc_diags_dispose(&ignored);
	return rc;
}

/* Whether the parsed `doc` at `doc_path` lists the file `rel`. */
static int doc_lists(const dc_policy *pol, const dc_doc *doc, const char *doc_path, const char *rel, dc_buf *tmp)
{
	const dc_node *v = doc->root ? dc_node_get(doc->root, "files") : NULL;
	size_t i;

	for (i = 0; v && v->kind == DC_NODE_SEQ && i < v->u.seq.n; i++) {
		const dc_node *e = v->u.seq.items[i];
		const char *why;

		if (e->kind != DC_NODE_STR || memchr(e->text, '\0', e->len))
			continue;
		if (dc_file_path(tmp, pol, doc_path, e->text, &why) == 0 && !strcmp(tmp->ptr, rel))
			return 1;
	}
	return 0;
}

/* Every document's listed files in the folders scanned so far: for a push
 * that changes many files (the first push of a repository), each folder is
 * read once, not once per file. */
typedef struct {
	char *path;      /* the listed file (the map's key) */
	listers l;
} listed;

typedef struct {
	dc_strmap dirs, files;
	char **dirkeys;
	size_t ndirs;
	listed *v;
	size_t n, cap;
} lister_index;

static void index_dispose(lister_index *ix)
{
	size_t i;

	dc_strmap_dispose(&ix->dirs);
	dc_strmap_dispose(&ix->files);
	for (i = 0; i < ix->ndirs; i++)
		free(ix->dirkeys[i]);
	free(ix->dirkeys);
	for (i = 0; i < ix->n; i++) {
		free(ix->v[i].path);
		listers_clear(&ix->v[i].l);
	}
	free(ix->v);
	memset(ix, 0, sizeof(*ix));
}

static int lister_add(listers *l, const char *path, const char *id)
{
	lister *g = realloc(l->v, (l->n + 1) * sizeof(*g));

	if (!g)
		return dc_error_oom();
	l->v = g;
	g[l->n].path = strdup(path);
	g[l->n].id = id ? strdup(id) : NULL;
	if (!g[l->n].path || (id && !g[l->n].id))
		return dc_error_oom();
	l->n++;
	return 0;
}

/* Records each file `doc` lists in the index. */
static int index_doc(lister_index *ix, const dc_policy *pol, const dc_doc *doc, const char *doc_path, dc_buf *tmp)
{
	const dc_node *v = doc->root ? dc_node_get(doc->root, "files") : NULL;
	size_t i, at;

	for (i = 0; v && v->kind == DC_NODE_SEQ && i < v->u.seq.n; i++) {
		const dc_node *e = v->u.seq.items[i];
		const char *why;

		if (e->kind != DC_NODE_STR || memchr(e->text, '\0', e->len) || dc_file_path(tmp, pol, doc_path, e->text, &why) != 0)
			continue;
		if (!dc_strmap_get(&ix->files, tmp->ptr, &at)) {
			if (dc_array_grow(&ix->v, &ix->cap, ix->n, sizeof(*ix->v)) < 0)
				return -1;
			at = ix->n;
			memset(&ix->v[at], 0, sizeof(ix->v[at]));
			if (!(ix->v[at].path = strdup(tmp->ptr)))
				return dc_error_oom();
			ix->n++;
			if (dc_strmap_put(&ix->files, ix->v[at].path, at) < 0)
				return -1;
		}
		if (lister_add(&ix->v[at].l, doc_path, dc_doc_str(doc, "id")) < 0)
			return -1;
	}
	return 0;
}

typedef struct {
	dc_source *src;
	const dc_policy *pol;
	const char *dir, *rel, *base;
	listers *out;
	lister_index *ix;   /* index mode: every listed file of the folder */
	dc_buf path, data, tmp;
	int failed;
} find_ctx;

static int find_cb(const char *name, size_t len, int kind, void *payload)
{
	find_ctx *f = payload;
	dc_doc doc;
	int r;

	if (kind != 'f' || len < 4 || memcmp(name + len - 3, ".md", 3))
		return 0;
	dc_buf_clear(&f->path);
	if ((*f->dir && (dc_buf_puts(&f->path, f->dir) < 0 || dc_buf_putc(&f->path, '/') < 0)) ||
	    dc_buf_put(&f->path, name, len) < 0)
		return f->failed = -1;
	if (!dc_policy_controls(f->pol, f->path.ptr))
		return 0;
	r = dc_source_read_path(f->src, f->path.ptr, DC_FILE_MAX, &f->data);
	if (r < 0)
		return f->failed = -1;
	/* the cheap sieve first: a document that lists the file names it */
	if (r > 0 || !f->data.len || !memmem(f->data.ptr, f->data.len, f->base, strlen(f->base)))
		return 0;
	if (parse_doc(&doc, f->path.ptr, &f->data) < 0)
		return f->failed = -1;
	if (f->ix) {
		if (index_doc(f->ix, f->pol, &doc, f->path.ptr, &f->tmp) < 0)
			f->failed = -1;
	} else if (doc_lists(f->pol, &doc, f->path.ptr, f->rel, &f->tmp)) {
		lister *g = realloc(f->out->v, (f->out->n + 1) * sizeof(*g));
		const char *id = dc_doc_str(&doc, "id");

		if (!g) {
			dc_doc_dispose(&doc);
			dc_arena_dispose(&doc.arena);
			return f->failed = dc_error_oom();
		}
		f->out->v = g;
		g[f->out->n].path = strdup(f->path.ptr);
		g[f->out->n].id = id ? strdup(id) : NULL;
		f->out->n++;
	}
	dc_doc_dispose(&doc);
	dc_arena_dispose(&doc.arena);
	return 0;
}

/* The documents of `src` that list `rel`: those in its folder and above.
 * With `ix`, each folder is read once for every file asked about. */
static int find_listers(dc_source *src, const dc_policy *pol, const char *rel, listers *out, lister_index *ix)
{
	find_ctx f;
	char *dir = strdup(rel), *slash;
	size_t at, k;
	int rc = 0;

	if (!dir)
		return dc_error_oom();
	f = (find_ctx){ .src = src, .pol = pol, .rel = rel, .out = out, .ix = ix,
			.base = ix ? "files" : strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel };
	while (rc == 0 && (slash = strrchr(dir, '/'))) {
		*slash = '\0';
		if (ix && dc_strmap_get(&ix->dirs, dir, &at))
			continue;
		if (ix) {
			char **g = realloc(ix->dirkeys, (ix->ndirs + 1) * sizeof(*g));

			if (!g || !(g[ix->ndirs] = strdup(dir))) {
				if (g)
					ix->dirkeys = g;
				rc = dc_error_oom();
				break;
			}
			ix->dirkeys = g;
			if (dc_strmap_put(&ix->dirs, g[ix->ndirs], 0) < 0) {
				free(g[ix->ndirs]);
				rc = -1;
				break;
			}
			ix->ndirs++;
		}
		f.dir = dir;
		rc = dc_source_names(src, dir, find_cb, &f);
		if (rc == 0 && f.failed)
			rc = -1;
	}
	if (rc == 0 && ix && dc_strmap_get(&ix->files, rel, &at))
		for (k = 0; k < ix->v[at].l.n && rc == 0; k++)
			rc = lister_add(out, ix->v[at].l.v[k].path, ix->v[at].l.v[k].id);
	if (rc == 0 && !strchr(rel, '/') && !ix) {
		f.dir = "";
		rc = dc_source_names(src, "", find_cb, &f);
		if (rc == 0 && f.failed)
			rc = -1;
	}
	free(dir);
	dc_buf_dispose(&f.path);
	dc_buf_dispose(&f.data);
	dc_buf_dispose(&f.tmp);
	return rc < 0 ? -1 : 0;
}

/* Under one of the roots: a controlled .md could stand beside it. */
static int under_roots(const dc_policy *pol, const char *rel)
{
	dc_buf probe = DC_BUF_INIT;
	int r;

	dc_buf_printf(&probe, "%s.md", rel);
	r = probe.ptr && dc_policy_controls(pol, probe.ptr);
	dc_buf_dispose(&probe);
	return r;
}

/* The change of the document `l` in `d`, added (its .md unchanged) when
 * there is none. */
static int change_for(dc_delta *d, dc_source *old_src, dc_source *new_src, const lister *l, dc_change **out)
{
	dc_buf data = DC_BUF_INIT;
	dc_entry e;
	dc_change *c, *grown;
	size_t i;
	int rc = 0;

	for (i = 0; i < d->n; i++) {
		c = &d->items[i];
		if ((l->id && c->id && !strcmp(c->id, l->id)) || (c->has_new && !strcmp(c->new_doc.path, l->path)) ||
		    (c->has_old && !strcmp(c->old_doc.path, l->path))) {
			*out = c;
			return 0;
		}
	}
	if (!(grown = realloc(d->items, (d->n + 1) * sizeof(*grown))))
		return dc_error_oom();
	d->items = grown;
	c = &d->items[d->n];
	memset(c, 0, sizeof(*c));
	dc_doc_init(&c->old_doc);
	dc_doc_init(&c->new_doc);
	if (old_src && dc_source_lookup(old_src, l->path, &e) == 0 && e.has_oid &&
	    dc_source_read_path(old_src, l->path, DC_FILE_MAX, &data) == 0) {
		c->has_old = 1;
		c->old_oid = e.oid;
		rc = parse_doc(&c->old_doc, l->path, &data);
	}
	if (rc == 0 && new_src && dc_source_lookup(new_src, l->path, &e) == 0 && e.has_oid &&
	    dc_source_read_path(new_src, l->path, DC_FILE_MAX, &data) == 0) {
		c->has_new = 1;
		c->new_oid = e.oid;
		rc = parse_doc(&c->new_doc, l->path, &data);
	}
	dc_buf_dispose(&data);
	d->n++;
	if (rc < 0)
		return -1;
	c->kind = c->has_old && c->has_new ? DC_CHANGE_MODIFIED : c->has_old ? DC_CHANGE_DELETED : DC_CHANGE_ADDED;
	c->id = c->has_new ? dc_doc_str(&c->new_doc, "id") : c->has_old ? dc_doc_str(&c->old_doc, "id") : NULL;
	*out = c;
	return 0;
}

/* Nonzero when the string entry `text` stands in the files list `v`. */
static int lists_entry(const dc_node *v, const char *text)
{
	size_t i;

	for (i = 0; v && v->kind == DC_NODE_SEQ && i < v->u.seq.n; i++)
		if (v->u.seq.items[i]->kind == DC_NODE_STR && !strcmp(v->u.seq.items[i]->text, text))
			return 1;
	return 0;
}

/*
 * The files lists of the documents a change touches, judged as `check` of
 * the whole tree judges them (check_attach.c, the same findings, so the
 * hooks and check agree: reference §6.9): each entry of NEW's list, and
 * into `judge` the paths NEW lists that OLD did not and the reverse, whose
 * claim changed.
 */
static int judge_lists(const dc_change *c, const dc_policy *pol, dc_source *src, dc_diags *diags, dc_strlist *judge)
{
	const dc_node *nv = c->has_new && c->new_doc.root ? dc_node_get(c->new_doc.root, "files") : NULL;
	const dc_node *ov = c->has_old && c->old_doc.root ? dc_node_get(c->old_doc.root, "files") : NULL;
	const dc_type *t = c->new_doc.root && dc_doc_str(&c->new_doc, "type") ? dc_policy_type(pol, dc_doc_str(&c->new_doc, "type")) : NULL;
	const char *path = c->has_new ? c->new_doc.path : NULL, *id = c->id, *why;
	dc_buf p = DC_BUF_INIT;
	size_t i, k;
	int rc = 0;

	for (i = 0; nv && nv->kind == DC_NODE_SEQ && i < nv->u.seq.n && rc == 0; i++) {
		const dc_node *e = nv->u.seq.items[i];
		dc_entry ent;
		int r, dup = 0;

		if (e->kind != DC_NODE_STR || memchr(e->text, '\0', e->len) || memchr(e->text, '\n', e->len))
			continue;
		for (k = 0; k < i && !dup; k++)
			dup = nv->u.seq.items[k]->kind == DC_NODE_STR && !strcmp(nv->u.seq.items[k]->text, e->text);
		r = dc_file_path(&p, pol, path, e->text, &why);
		if (r < 0) {
			rc = -1;
		} else if (r > 0) {
			rc = dc_attach_diag(diags, DC_SEV_ERROR, path, DC_R_FILES_INVALID, id, _("files entry \"%s\" %s%s"), e->text,
					    _(why), "");
		} else if (dup) {
			rc = dc_attach_diag(diags, DC_SEV_ERROR, path, DC_R_FILES_INVALID, id,
					    _("files lists \"%s\" twice%s%s; list each file once"), e->text, "", "");
		} else if ((r = dc_source_lookup(src, p.ptr, &ent)) < 0) {
			rc = -1;
		} else if (r > 0) {
			rc = dc_attach_diag(diags, DC_SEV_ERROR, path, DC_R_LINK_BROKEN, id,
					    _("files lists \"%s\", but %s is not in the tree; add the file or remove it from files%s"),
					    e->text, p.ptr, "");
		} else {
			git_odb *odb = NULL;
			git_object_t type;
			size_t size;

			if (t && ent.has_oid && git_repository_odb(&odb, dc_source_repo(src)) == 0 &&
			    git_odb_read_header(&size, &type, odb, &ent.oid) == 0 && size > t->max_file_size) {
				char sz[64];

				snprintf(sz, sizeof(sz), "%zu > %llu", size, t->max_file_size);
				rc = dc_attach_diag(diags, DC_SEV_ERROR, p.ptr, DC_R_FILE_TOO_LARGE, id,
						    _("attachment of %s is larger than its type's max_file_size (%s bytes)%s"),
						    id ? id : path, sz, "");
			}
			git_odb_free(odb);
			if (rc == 0 && !lists_entry(ov, e->text) && dc_strlist_add_unique(judge, p.ptr) < 0)
				rc = -1;
		}
	}
	/* what OLD listed and NEW does not: whoever claims it now */
	for (i = 0; ov && ov->kind == DC_NODE_SEQ && i < ov->u.seq.n && rc == 0; i++) {
		const dc_node *e = ov->u.seq.items[i];

		if (e->kind != DC_NODE_STR || memchr(e->text, '\0', e->len) || lists_entry(nv, e->text) ||
		    dc_file_path(&p, pol, c->old_doc.path, e->text, &why) != 0)
			continue;
		if (dc_strlist_add_unique(judge, p.ptr) < 0)
			rc = -1;
	}
	dc_buf_dispose(&p);
	return rc;
}

/* The files of `want` that a controlled document of `src` links to: every
 * document under the roots is a candidate, read when its text names one of
 * them (or holds a '%', '&' or a backslash, which may encode or escape one in a
 * link) and parsed as `check` parses it (reference §9.3). */
typedef struct {
	dc_source *src;
	const dc_policy *pol;
	const dc_strlist *want;
	dc_strmap at;            /* want -> index */
	char *linked;            /* per want: linked */
	dc_strlist dirs;         /* folders still to read */
	const char *dir;
	dc_buf path, data;
	int sieve, failed;
} link_walk;

static int mark_link(const char *target, void *payload)
{
	link_walk *w = payload;
	size_t at;

	if (dc_strmap_get(&w->at, target, &at))
		w->linked[at] = 1;
	return 0;
}

static int names_text(const link_walk *w)
{
	size_t i;

	if (!w->sieve || memchr(w->data.ptr, '%', w->data.len) || memchr(w->data.ptr, '&', w->data.len) ||
	    memchr(w->data.ptr, '\\', w->data.len))
		return 1;
	for (i = 0; i < w->want->n; i++) {
		const char *base = strrchr(w->want->v[i], '/');

		base = base ? base + 1 : w->want->v[i];
		if (memmem(w->data.ptr, w->data.len, base, strlen(base)))
			return 1;
	}
	return 0;
}

static int walk_cb(const char *name, size_t len, int kind, void *payload)
{
	link_walk *w = payload;
	dc_doc doc;
	int r;

	dc_buf_clear(&w->path);
	if ((*w->dir && (dc_buf_puts(&w->path, w->dir) < 0 || dc_buf_putc(&w->path, '/') < 0)) ||
	    dc_buf_put(&w->path, name, len) < 0)
		return w->failed = -1;
	if (kind == 'd')
		return dc_strlist_add(&w->dirs, w->path.ptr) < 0 ? (w->failed = -1) : 0;
	if (kind != 'f' || !dc_policy_controls(w->pol, w->path.ptr))
		return 0;
	if ((r = dc_source_read_path(w->src, w->path.ptr, DC_FILE_MAX, &w->data)) < 0)
		return w->failed = -1;
	if (r > 0 || !w->data.len || !names_text(w))
		return 0;
	if (parse_doc(&doc, w->path.ptr, &w->data) < 0 || dc_attach_links(&doc, mark_link, w) < 0)
		w->failed = -1;
	dc_doc_dispose(&doc);
	dc_arena_dispose(&doc.arena);
	return w->failed;
}

/*
 * The rest of NEW's documents from the snapshot of the base tree
 * (snapshot.h), which indexes the paths each document links to: NEW's
 * documents are the base's but for those of the change (asked before) and
 * those the snapshot lags behind on (read from NEW here), so the cost grows
 * with the change. *done is 0 when there is no snapshot to use.
 */
static int from_snapshot(link_walk *w, const dc_project *proj, git_tree *base, const dc_delta *d, int *done)
{
	dc_snapshot *snap = NULL;
	dc_strlist lag;
	dc_strmap changed, lagging;
	size_t i, j, k, first, at;
	int rc;

	*done = 0;
	dc_strlist_init(&lag);
	dc_strmap_init(&changed);
	dc_strmap_init(&lagging);
	rc = dc_snapshot_for(&snap, &lag, proj, base, "");
	for (i = 0; i < d->n && rc == 0 && snap; i++) {
		if (d->items[i].has_old)
			rc = dc_strmap_put(&changed, d->items[i].old_doc.path, 0);
		if (rc == 0 && d->items[i].has_new)
			rc = dc_strmap_put(&changed, d->items[i].new_doc.path, 0);
	}
	for (i = 0; i < lag.n && rc == 0 && snap; i++)
		rc = dc_strmap_put(&lagging, lag.v[i], 0);
	for (i = 0; i < w->want->n && rc == 0 && snap; i++) {
		k = dc_snapshot_citing(snap, w->want->v[i], &first);
		for (j = first; j < first + k && !w->linked[i]; j++) {
			dc_snapdoc sd;

			dc_snapshot_doc(snap, dc_snapshot_citing_at(snap, j), &sd);
			if (!dc_strmap_get(&changed, sd.path, &at) && !dc_strmap_get(&lagging, sd.path, &at))
				w->linked[i] = 1;
		}
	}
	w->dir = "";
	for (i = 0; i < lag.n && rc == 0 && snap; i++)
		if (!dc_strmap_get(&changed, lag.v[i], &at) && walk_cb(lag.v[i], strlen(lag.v[i]), 'f', w) < 0)
			rc = -1;
	*done = rc == 0 && snap;
	dc_snapshot_free(snap);
	dc_strlist_dispose(&lag);
	dc_strmap_dispose(&changed);
	dc_strmap_dispose(&lagging);
	return rc < 0 ? -1 : 0;
}

static int find_linked(dc_source *src, const dc_policy *pol, const dc_project *proj, git_tree *base, dc_delta *d,
		       const dc_strlist *want, char *linked)
{
	link_walk w;
	size_t i, n = 0;
	int rc = 0, done = 0;

	memset(&w, 0, sizeof(w));
	w.src = src;
	w.pol = pol;
	w.want = want;
	w.linked = linked;
	w.sieve = want->n <= 16; /* many: every document is parsed */
	dc_strmap_init(&w.at);
	dc_strlist_init(&w.dirs);
	for (i = 0; i < want->n && rc == 0; i++)
		rc = dc_strmap_put(&w.at, want->v[i], i);
	/* the documents the change holds first: a document added with its
	 * images needs no walk of the rest */
	for (i = 0; i < d->n && rc == 0; i++)
		if (d->items[i].has_new)
			rc = dc_attach_links(&d->items[i].new_doc, mark_link, &w);
	for (i = 0; i < want->n; i++)
		n += linked[i] != 0;
	/* then the snapshot, else every document of NEW */
	if (rc == 0 && n < want->n && proj && base)
		rc = from_snapshot(&w, proj, base, d, &done);
	for (i = 0; i < pol->nroots && rc == 0 && n < want->n && !done; i++)
		rc = dc_strlist_add_unique(&w.dirs, strcmp(pol->roots[i], ".") ? pol->roots[i] : "");
	for (i = 0; i < w.dirs.n && rc == 0; i++) {
		w.dir = w.dirs.v[i];
		rc = dc_source_names(src, w.dir, walk_cb, &w);
		if (rc == 0 && w.failed)
			rc = -1;
	}
	dc_strmap_dispose(&w.at);
	dc_strlist_dispose(&w.dirs);
	dc_buf_dispose(&w.path);
	dc_buf_dispose(&w.data);
	return rc < 0 ? -1 : 0;
}

typedef struct {
	dc_strlist *dirs, *out;
	const dc_policy *pol, *old;
	const char *dir;
	dc_buf *path;
	int failed;
} newly_ctx;

static int newly_cb(const char *name, size_t len, int kind, void *payload)
{
	newly_ctx *c = payload;

	dc_buf_clear(c->path);
	if ((*c->dir && (dc_buf_puts(c->path, c->dir) < 0 || dc_buf_putc(c->path, '/') < 0)) ||
	    dc_buf_put(c->path, name, len) < 0)
		return c->failed = -1;
	if (kind == 'd')
		return dc_strlist_add(c->dirs, c->path->ptr) < 0 ? (c->failed = -1) : 0;
	if (kind != 'f' || dc_policy_controls(c->pol, c->path->ptr) || dc_attach_git_file(c->path->ptr) ||
	    under_roots(c->old, c->path->ptr))
		return 0;
	return dc_strlist_add(c->out, c->path->ptr) < 0 ? (c->failed = -1) : 0;
}

/* The files under the roots of `pol` that were not under the roots of
 * `old` (a push that moves the roots), into `out`. */
static int newly_under_roots(dc_source *src, const dc_policy *pol, const dc_policy *old, dc_strlist *out)
{
	dc_strlist dirs;
	dc_buf path = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	dc_strlist_init(&dirs);
	for (i = 0; i < pol->nroots && rc == 0; i++)
		rc = dc_strlist_add_unique(&dirs, strcmp(pol->roots[i], ".") ? pol->roots[i] : "");
	for (i = 0; i < dirs.n && rc == 0; i++) {
		const char *dir = dirs.v[i];
		newly_ctx c = { &dirs, out, pol, old, dir, &path, 0 };

		rc = dc_source_names(src, dir, newly_cb, &c);
		if (rc == 0 && c.failed)
			rc = -1;
	}
	dc_strlist_dispose(&dirs);
	dc_buf_dispose(&path);
	return rc < 0 ? -1 : 0;
}

/* The verdict on each file whose claim is in question: `nlisted` and `by`
 * per file of `files`; the links are looked for only when a file has no
 * lister. */
static int judge_claims(dc_source *new_src, const dc_policy *pol, const dc_project *proj, git_tree *base, dc_delta *d,
			const dc_strlist *files, const size_t *nlisted, const dc_strlist *by, dc_severity sev,
			dc_diags *diags)
{
	dc_strlist orphans;
	char *linked = NULL;
	size_t i, k;
	int rc = 0;

	dc_strlist_init(&orphans);
	for (i = 0; i < files->n && rc == 0; i++)
		if (!nlisted[i])
			rc = dc_strlist_add(&orphans, files->v[i]);
	if (rc == 0 && orphans.n && (!(linked = calloc(orphans.n, 1)) || find_linked(new_src, pol, proj, base, d, &orphans, linked) < 0))
		rc = linked ? -1 : dc_error_oom();
	for (i = 0, k = 0; i < files->n && rc == 0; i++) {
		int l = !nlisted[i] && linked[k++];

		rc = dc_attach_claim(diags, sev, files->v[i], nlisted[i], by->v[i], l);
	}
	free(linked);
	dc_strlist_dispose(&orphans);
	return rc;
}

/* One more file whose claim is in question. */
static int question(dc_strlist *files, size_t **nlisted, size_t *cap, dc_strlist *by, const char *path, const listers *l)
{
	if (dc_array_grow(nlisted, cap, files->n, sizeof(**nlisted)) < 0 || dc_strlist_add(files, path) < 0 ||
	    dc_strlist_add(by, l->n ? (l->v[0].id ? l->v[0].id : l->v[0].path) : "") < 0)
		return -1;
	(*nlisted)[files->n - 1] = l->n;
	return 0;
}

int dc_attach_delta(dc_delta *d, git_repository *repo, const dc_policy *pol, const dc_policy *old_pol, git_tree *old_tree,
		    dc_source *new_src, const dc_project *proj, int protected_ref, dc_diags *diags)
{
	dc_source *old_src = NULL;
	listers lo = { NULL, 0 }, ln = { NULL, 0 };
	lister_index ixo, ixn;
	dc_strlist judge, qfiles, qby;
	size_t i, k, nother = d->other.n, many = 0, *qn = NULL, qcap = 0;
	dc_severity sev = protected_ref ? DC_SEV_ERROR : DC_SEV_WARNING;
	int rc = 0;

	memset(&ixo, 0, sizeof(ixo));
	memset(&ixn, 0, sizeof(ixn));
	dc_strmap_init(&ixo.dirs);
	dc_strmap_init(&ixo.files);
	dc_strmap_init(&ixn.dirs);
	dc_strmap_init(&ixn.files);
	dc_strlist_init(&judge);
	dc_strlist_init(&qfiles);
	dc_strlist_init(&qby);
	/* the lists of the changed documents, and the files whose claim changed */
	for (i = 0; i < d->n && rc == 0; i++)
		rc = judge_lists(&d->items[i], pol, new_src, diags, &judge);
	/* a push that moves the roots: the files already under the new ones */
	if (rc == 0 && old_pol)
		rc = newly_under_roots(new_src, pol, old_pol, &judge);
	for (i = 0; i < judge.n && rc == 0; i++) {
		listers l = { NULL, 0 };

		if (dc_strlist_has(&d->other, judge.v[i]) || !dc_source_exists(new_src, judge.v[i]))
			continue; /* a changed file is judged below; a missing one above */
		if ((rc = find_listers(new_src, pol, judge.v[i], &l, judge.n > 16 ? &ixn : NULL)) == 0 && l.n != 1)
			rc = question(&qfiles, &qn, &qcap, &qby, judge.v[i], &l);
		listers_clear(&l);
	}
	dc_strlist_dispose(&judge);
	/* a few files: each asks its folders with its own name as the sieve;
	 * many: every folder is read once into an index */
	for (i = 0; i < nother && many <= 16; i++)
		many += under_roots(pol, d->other.v[i]) && !dc_attach_git_file(d->other.v[i]);
	for (i = 0; i < nother && rc == 0; i++) {
		const char *rel = d->other.v[i];
		int in_new;

		if (!under_roots(pol, rel) || dc_attach_git_file(rel))
			continue;
		if (old_tree && !old_src && dc_source_open_tree(&old_src, repo, old_tree, "") < 0) {
			rc = -1;
			break;
		}
		listers_clear(&lo);
		listers_clear(&ln);
		in_new = dc_source_exists(new_src, rel);
		if ((old_src && find_listers(old_src, pol, rel, &lo, many > 16 ? &ixo : NULL) < 0) ||
		    find_listers(new_src, pol, rel, &ln, many > 16 ? &ixn : NULL) < 0) {
			rc = -1;
			break;
		}
		if (in_new && ln.n != 1)
			rc = question(&qfiles, &qn, &qcap, &qby, rel, &ln);
		if (!in_new && rc == 0) {
			for (k = 0; k < ln.n && rc == 0; k++)
				rc = dc_attach_diag(diags, DC_SEV_ERROR, rel, DC_R_DOC_DELETED, ln.v[k].id,
					      _("%s was deleted but %s still lists it in files; an attachment goes with its document: restore it, or revise %s without it"),
					      rel, ln.v[k].id ? ln.v[k].id : ln.v[k].path, ln.v[k].id ? ln.v[k].id : ln.v[k].path);
		}
		/* the content of each document that lists it, then or now,
		 * changed; a file only linked is not part of any document's
		 * content (publish serves the approval's bytes of it) */
		for (k = 0; k < lo.n + ln.n && rc == 0; k++) {
			const lister *l = k < lo.n ? &lo.v[k] : &ln.v[k - lo.n];
			dc_change *c = NULL;

			if ((rc = change_for(d, old_src, new_src, l, &c)) == 0) {
				c->files_changed = 1;
				c->content_changed = 1;
			}
		}
	}
	/* claimed: listed by exactly one document, or linked and listed by none */
	if (rc == 0 && qfiles.n)
		rc = judge_claims(new_src, pol, proj, old_tree, d, &qfiles, qn, &qby, sev, diags);
	free(qn);
	dc_strlist_dispose(&qfiles);
	dc_strlist_dispose(&qby);
	listers_clear(&lo);
	listers_clear(&ln);
	index_dispose(&ixo);
	index_dispose(&ixn);
	dc_source_free(old_src);
	return rc;
}

