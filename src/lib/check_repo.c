/*
 * check_repo.c - the repository phase of a check (reference §4.1, §4.6, §4.7):
 * rules that look across documents (ids, references, links) and the
 * periodic review, which depends on the day of the check. The documents
 * are looked up in the set and, for the rest of the tree a hook does not
 * read, in its snapshot (set->rest, snapshot.h). The per-document rules
 * run on all cores over slices of the set, each slice with its own
 * findings, joined in the set's order: the same findings as one pass.
 */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fields.h"
#include "history.h"
#include "i18n.h"
#include "parallel.h"
#include "snapshot.h"

static int check_review(const dc_project *p, const dc_docinfo *in, const dc_check_opts *o, dc_diags *diags)
{
	const dc_type *t = in->type ? dc_policy_type(p->policy, in->type) : NULL;
	const dc_duration *d;
	dc_date approved, reviewed, base, due;
	dc_mark at;
	char due_s[11], base_s[11], every[64];

	if (!t || !t->has_review || !in->status || dc_status_parse(in->status) != DC_STATUS_APPROVED || !in->approved_on ||
	    dc_date_parse(&approved, in->approved_on) < 0)
		return 0;
	base = approved;
	at = in->approved_on_mark;
	if (in->reviewed_on && dc_date_parse(&reviewed, in->reviewed_on) == 0 && dc_date_cmp(&reviewed, &approved) > 0) {
		base = reviewed;
		at = in->reviewed_on_mark;
	}
	due = dc_date_add(&base, &t->review_every);
	if (dc_date_cmp(&due, &o->today) >= 0)
		return 0;
	dc_date_format(&due, due_s);
	dc_date_format(&base, base_s);
	d = &t->review_every;
	snprintf(every, sizeof(every), "P%.0d%s%.0d%s%.0d%s%.0d%s", d->years, d->years ? "Y" : "",
		 d->months, d->months ? "M" : "", d->weeks, d->weeks ? "W" : "", d->days, d->days ? "D" : "");
	return dc_diags_add(diags, in->path, at.line, at.col, DC_R_REVIEW_OVERDUE, in->id,
			    _("periodic review was due on %s (%s reviews every %s, last on %s); review the document and record it with 'docctl review %s'"),
			    due_s, t->name, every, base_s, in->id ? in->id : "ID");
}

typedef struct {
	const char *id;
	const dc_docinfo *doc;
} id_slot;

/* What the repository rules look documents up in: the set, indexed by id,
 * and the snapshot of the rest of the tree (set->rest), if any. */
typedef struct {
	const dc_docset *set;
	id_slot *slots;
	size_t n;
	dc_strmap ids;           /* id -> its first slot */
	dc_docinfo tmp;          /* a document of the snapshot, as a summary */
	dc_strmap earlier;       /* successor id -> 1 when approved in the history */
} repo_ctx;


static int is_status(const dc_docinfo *d, dc_status status)
{
	return dc_status_parse(d->status) == status;
}

/* Nonzero when the snapshot's document at `path` does not count. */
static int hidden(const dc_docset *set, const char *path)
{
	size_t ignored;

	return set->hidden.mask && dc_strmap_get(&set->hidden, path, &ignored);
}

/* The k-th document of the snapshot as a summary (valid until the next). */
static const dc_docinfo *rest_doc(repo_ctx *r, size_t k)
{
	dc_snapdoc d;

	dc_snapshot_doc(r->set->rest, k, &d);
	memset(&r->tmp, 0, sizeof(r->tmp));
	r->tmp.path = d.path;
	r->tmp.parsed = 1;
	r->tmp.id = d.id;
	r->tmp.status = d.status;
	r->tmp.superseded_by.text = d.superseded_by;
	return &r->tmp;
}

/* The snapshot's documents with this id that count: how many, and the
 * first of them in *first. */
static size_t rest_with_id(repo_ctx *r, const char *id, const dc_docinfo **first)
{
	const dc_snapshot *snap = r->set->rest;
	size_t k, start = 0, n = snap ? dc_snapshot_with_id(snap, id, &start) : 0, found = 0, at = 0;

	*first = NULL;
	for (k = start; k < start + n && found < 2; k++) {
		dc_snapdoc d;

		dc_snapshot_doc(snap, dc_snapshot_with_id_at(snap, k), &d);
		if (hidden(r->set, d.path))
			continue;
		if (!found++)
			at = dc_snapshot_with_id_at(snap, k);
	}
	if (found)
		*first = rest_doc(r, at);
	return found; /* 2 means two or more: enough to say "and others" */
}

/* The document with this id: the set's first, else the snapshot's. */
static const dc_docinfo *doc_by_id(repo_ctx *r, const char *id)
{
	const dc_docinfo *d;
	size_t at;

	if (dc_strmap_get(&r->ids, id, &at))
		return r->slots[at].doc;
	return rest_with_id(r, id, &d) ? d : NULL;
}

/* The document at `path`: the set's, else the snapshot's. */
static const dc_docinfo *doc_by_path(repo_ctx *r, const char *path)
{
	const dc_docinfo *d = dc_docset_by_path(r->set, path);
	size_t k;

	if (d || !r->set->rest || hidden(r->set, path) || !dc_snapshot_find(r->set->rest, path, &k))
		return d;
	return rest_doc(r, k);
}

/* Nonzero when ref.obsolete applies to what `d` cites: an approved document
 * other than a record, which cites what was in force when it was filed
 * (reference §4.7). */
static int cites_current(const dc_docinfo *d)
{
	return is_status(d, DC_STATUS_APPROVED) && !(d->type && !strcmp(d->type, "record"));
}

/* Nonzero when the successor `t` (with this id) has been approved: it is
 * approved or obsolete in the tree, or an earlier version of it was
 * approved in the history (reference §4.1). */
static int approved_successor(const repo_ctx *r, const dc_docinfo *t, const char *id)
{
	size_t yes = 0;

	if (is_status(t, DC_STATUS_APPROVED) || is_status(t, DC_STATUS_OBSOLETE))
		return 1;
	return dc_strmap_get(&r->earlier, id, &yes) && yes;
}

/*
 * Looks up, in the history of o->history_tip, each successor named by a
 * wanted or related document that is not approved or obsolete in the tree
 * (each id once; the walk follows that one document), and notes in
 * r->earlier those of which a version was approved or obsoleted there: the
 * cost grows with those successors only.
 */
static int successors_in_history(repo_ctx *r, const dc_project *p, const dc_check_opts *o)
{
	size_t i, ignored, k;

	if (!o->history_repo || !o->history_tip)
		return 0;
	for (i = 0; i < r->set->n; i++) {
		const dc_docinfo *d = &r->set->docs[i], *t;
		const char *id = d->superseded_by.text;
		dc_history h;
		int rc, yes = 0;

		if (!id || (!dc_check_wanted(o, d->path) && !(o->related && dc_strmap_get(o->related, d->path, &ignored))))
			continue;
		if (dc_strmap_get(&r->earlier, id, &ignored) || !(t = doc_by_id(r, id)) || approved_successor(r, t, id))
			continue;
		dc_history_init(&h);
		rc = dc_history_build(&h, o->history_repo, o->history_tip, o->history_prefix, p->policy, id, t->path);
		for (k = 0; rc == 0 && k < h.nevents; k++)
			yes |= h.events[k].kind == DC_EVENT_APPROVED || h.events[k].kind == DC_EVENT_OBSOLETED;
		dc_history_dispose(&h);
		if (rc < 0)
			dc_error_clear(); /* history cut short (a shallow clone): not approved, fail closed */
		if (dc_strmap_put(&r->earlier, id, (size_t)yes) < 0)
			return -1;
	}
	return 0;
}

static int check_references(repo_ctx *r, const dc_docinfo *d, dc_diags *diags)
{
	size_t i;
	int approved = cites_current(d);

	for (i = 0; i < d->nrefs; i++) {
		const dc_docinfo *t = doc_by_id(r, d->refs[i].text);

		if (!t) {
			if (dc_diags_add(diags, d->path, d->refs[i].mark.line, d->refs[i].mark.col, DC_R_REF_UNRESOLVED, d->id,
					 _("reference \"%s\" names no document in the repository; fix the id or remove it"),
					 d->refs[i].text) < 0)
				return -1;
		} else if (approved && is_status(t, DC_STATUS_OBSOLETE)) {
			if (dc_diags_add(diags, d->path, d->refs[i].mark.line, d->refs[i].mark.col, DC_R_REF_OBSOLETE, d->id,
					 _("reference \"%s\" names an obsolete document%s%s; refer to the current one instead"),
					 d->refs[i].text, t->superseded_by.text ? _(" superseded by ") : "",
					 t->superseded_by.text ? t->superseded_by.text : "") < 0)
				return -1;
		}
	}
	if (d->superseded_by.text) {
		const dc_docinfo *t = doc_by_id(r, d->superseded_by.text);
		const dc_mark *m = &d->superseded_by.mark;

		if (!t) {
			if (dc_diags_add(diags, d->path, m->line, m->col, DC_R_REF_UNRESOLVED, d->id,
					 _("superseded_by \"%s\" names no document in the repository; name the document that replaces this one"),
					 d->superseded_by.text) < 0)
				return -1;
		} else if (!approved_successor(r, t, d->superseded_by.text)) {
			if (dc_diags_add(diags, d->path, m->line, m->col, DC_R_REF_NOT_APPROVED, d->id,
					 _("superseded_by \"%s\" is %s, not approved; approve the successor first"),
					 d->superseded_by.text, t->status ? t->status : "without a status") < 0)
				return -1;
		}
	}
	return 0;
}

/* Relative links: each target looked up once, for link.broken (nothing
 * there, in the tree or the snapshot) and, from an approved document,
 * ref.obsolete (an obsolete document there, except from a record). */
static int check_links(repo_ctx *r, const dc_project *p, const dc_docinfo *d, dc_diags *diags)
{
	int approved = cites_current(d);
	size_t i;

	for (i = 0; i < d->nlinks; i++) {
		const dc_linkref *l = &d->links[i];
		const dc_docinfo *t = doc_by_path(r, l->target);

		if (!t && !dc_source_exists(p->src, l->target)) {
			if (dc_diags_add(diags, d->path, l->mark.line, l->mark.col, DC_R_LINK_BROKEN, d->id,
					 _("%s \"%s\" points at \"%s\", which does not exist; fix the path or add the file"),
					 l->image ? _("image") : _("link"), l->dest, l->target) < 0)
				return -1;
		} else if (t && approved && is_status(t, DC_STATUS_OBSOLETE) &&
			   dc_diags_add(diags, d->path, l->mark.line, l->mark.col, DC_R_REF_OBSOLETE, d->id,
					_("link to %s%s%s points at an obsolete document; link to the current one instead"),
					t->id ? t->id : t->path, t->superseded_by.text ? _(", superseded by ") : "",
					t->superseded_by.text ? t->superseded_by.text : "") < 0) {
			return -1;
		}
	}
	return 0;
}

static int related(const dc_check_opts *o, const char *path)
{
	size_t ignored;

	return o->related && dc_strmap_get(o->related, path, &ignored);
}

/* id.duplicate for the `n` documents of `g` (in path order), which share
 * an id, and for the snapshot's documents that share it too. */
static int check_duplicates(repo_ctx *r, const id_slot *g, size_t n, const dc_check_opts *o, dc_diags *diags)
{
	const dc_docinfo *elsewhere = NULL;
	size_t k, more = 0, total;
	int any = 0;

	for (k = 0; k < n; k++)
		any |= dc_check_wanted(o, g[k].doc->path) || related(o, g[k].doc->path);
	if (!any || (n == 1 && !r->set->rest))
		return 0;
	if (r->set->rest)
		more = rest_with_id(r, g[0].id, &elsewhere);
	total = n + more;
	for (k = 0; k < n && total > 1; k++) {
		const dc_docinfo *d = g[k].doc;
		const char *other = n > 1 ? g[k == 0 ? 1 : 0].doc->path : elsewhere->path;

		if (dc_diags_add(diags, d->path, d->id_mark.line, d->id_mark.col, DC_R_ID_DUPLICATE, d->id,
				 _("id \"%s\" is also used by %s%s; give each document its own id (docctl new assigns the next free one)"),
				 d->id, other, total > 2 ? _(" and others") : "") < 0)
			return -1;
	}
	return 0;
}

/*
 * Indexes the set's ids (the first document of each, in path order) and
 * runs id.duplicate on each id: documents that share an id are chained
 * (next[]) as the index finds them, so no sort is needed.
 */
static int index_ids(repo_ctx *r, const dc_check_opts *o, dc_diags *diags)
{
	size_t *next = NULL, *tail = NULL, i, at;
	id_slot *grp = NULL;
	int rc = 0;

	if (dc_strmap_reserve(&r->ids, r->n) < 0)
		return -1;
	if (!(next = malloc((r->n + 1) * sizeof(*next))) || !(tail = malloc((r->n + 1) * sizeof(*tail))) ||
	    !(grp = malloc((r->n + 1) * sizeof(*grp)))) {
		rc = dc_error_oom();
		goto cleanup;
	}
	for (i = 0; i < r->n && rc == 0; i++) {
		next[i] = SIZE_MAX;
		tail[i] = i; /* also: i is the first of its id */
		if ((rc = dc_strmap_add(&r->ids, r->slots[i].id, i, &at)) == 0) {
			next[tail[at]] = i; /* the same id again */
			tail[at] = i;
			tail[i] = SIZE_MAX;
		}
		rc = rc < 0 ? -1 : 0;
	}
	for (i = 0; i < r->n && rc == 0; i++) {
		size_t n = 0, k;

		if (tail[i] == SIZE_MAX)
			continue; /* not the first of its id */
		for (k = i; k != SIZE_MAX; k = next[k])
			grp[n++] = r->slots[k];
		rc = check_duplicates(r, grp, n, o, diags);
	}
cleanup:
	free(next);
	free(tail);
	free(grp);
	return rc;
}

/* The per-document rules over a slice of the set, with its own findings
 * and its own scratch summary (repo_ctx.tmp). */
typedef struct {
	repo_ctx r;
	const dc_project *p;
	const dc_check_opts *o;
	size_t from, to;
	dc_diags diags;
	int rc;
	dc_error_saved error;
} slice;

static void *check_slice(void *arg)
{
	slice *s = arg;
	size_t i;

	for (i = s->from; i < s->to && s->rc == 0; i++) {
		const dc_docinfo *d = &s->r.set->docs[i];
		int wanted = dc_check_wanted(s->o, d->path);

		if (!wanted && !related(s->o, d->path))
			continue;
		if (d->parsed && (s->rc = check_links(&s->r, s->p, d, &s->diags)) == 0 && wanted)
			s->rc = check_review(s->p, d, s->o, &s->diags);
		if (s->rc == 0)
			s->rc = check_references(&s->r, d, &s->diags);
	}
	if (s->rc < 0)
		dc_error_capture(&s->error);
	return NULL;
}

/* A slice per core, of at least this many documents. */
#define SLICE_MIN 8192

int dc_check_repository(const dc_project *p, const dc_docset *set,
			const dc_check_opts *o, dc_diags *diags)
{
	repo_ctx r;
	slice sl[DC_THREADS_MAX];
	size_t i, ns = dc_threads_for(set->n, SLICE_MIN);
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.set = set;
	dc_strmap_init(&r.ids);
	dc_strmap_init(&r.earlier);
	if (!(r.slots = malloc((set->n ? set->n : 1) * sizeof(*r.slots))))
		return dc_error_oom();
	for (i = 0; i < set->n; i++)
		if (set->docs[i].id) {
			r.slots[r.n].id = set->docs[i].id;
			r.slots[r.n].doc = &set->docs[i];
			r.n++;
		}
	if ((rc = index_ids(&r, o, diags)) < 0 || (rc = successors_in_history(&r, p, o)) < 0)
		goto cleanup;
	for (i = 0; i < ns; i++) {
		memset(&sl[i], 0, sizeof(sl[i]));
		sl[i].r = r;
		sl[i].p = p;
		sl[i].o = o;
		sl[i].from = set->n * i / ns;
		sl[i].to = set->n * (i + 1) / ns;
		dc_diags_init(&sl[i].diags);
	}
	dc_parallel(check_slice, sl, sizeof(*sl), ns);
	for (i = 0; i < ns; i++) {
		if (rc == 0 && sl[i].rc < 0)
			rc = dc_error_restore(&sl[i].error);
		if (rc == 0 && dc_diags_take(diags, &sl[i].diags) < 0)
			rc = -1;
		dc_diags_dispose(&sl[i].diags);
	}
cleanup:
	dc_strmap_dispose(&r.ids);
	dc_strmap_dispose(&r.earlier);
	free(r.slots);
	return rc;
}

int dc_docset_citing(const dc_docset *set, const dc_check_opts *o, const char *const *keys, size_t nkeys,
		     dc_strmap *out)
{
	dc_strmap want;
	size_t i, j, ignored;
	int rc = 0;

	dc_strmap_init(&want);
	if (dc_strmap_reserve(&want, nkeys) < 0)
		return -1;
	for (i = 0; i < nkeys; i++)
		if (keys[i] && dc_strmap_put(&want, keys[i], i) < 0)
			rc = -1;
	for (i = 0; i < set->n && rc == 0; i++) {
		const dc_docinfo *d = &set->docs[i];
		int cites = d->superseded_by.text && dc_strmap_get(&want, d->superseded_by.text, &ignored);

		for (j = 0; j < d->nrefs && !cites; j++)
			cites = d->refs[j].text && dc_strmap_get(&want, d->refs[j].text, &ignored);
		for (j = 0; j < d->nlinks && !cites; j++)
			cites = dc_strmap_get(&want, d->links[j].target, &ignored);
		if (cites && !dc_check_wanted(o, d->path))
			rc = dc_strmap_put(out, d->path, i);
	}
	dc_strmap_dispose(&want);
	return rc;
}
