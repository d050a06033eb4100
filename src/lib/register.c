/*
 * register.c - the rows of the master list of controlled documents from the
 * summaries of a branch's tree, with the pending revisions resolved through
 * history (see register.h).
 */
#include "register.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "feedback.h"
#include "fields.h"

void dc_register_init(dc_register *r)
{
	memset(r, 0, sizeof(*r));
}

void dc_register_dispose(dc_register *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->rows[i].history) {
			dc_history_dispose(r->rows[i].history);
			free(r->rows[i].history);
		}
	free(r->rows);
	memset(r, 0, sizeof(*r));
}

const char *dc_person_name(const dc_policy *policy, const char *key)
{
	const dc_person *p = key ? dc_policy_person(policy, key) : NULL;

	return p && p->name ? p->name : key;
}

/* The policy's type order (types are one array), unknown types last, then the id. */
static int row_cmp(const void *pa, const void *pb)
{
	const dc_register_row *a = pa, *b = pb;

	if (a->type != b->type) {
		if (!a->type || !b->type)
			return a->type ? -1 : 1;
		return a->type < b->type ? -1 : 1;
	}
	return strcmp(a->doc->id, b->doc->id);
}

static void next_review(dc_register_row *row, const dc_date *today)
{
	const dc_docinfo *d = row->doc;
	dc_date approved, reviewed, base, due;

	row->next_review[0] = '\0';
	if (!row->type || !row->type->has_review || !d->status || dc_status_parse(d->status) != DC_STATUS_APPROVED || !d->approved_on ||
	    dc_date_parse(&approved, d->approved_on) < 0)
		return;
	base = approved;
	if (d->reviewed_on && dc_date_parse(&reviewed, d->reviewed_on) == 0 && dc_date_cmp(&reviewed, &approved) > 0)
		base = reviewed;
	due = dc_date_add(&base, &row->type->review_every);
	dc_date_format(&due, row->next_review);
	row->review_overdue = dc_date_cmp(&due, today) < 0;
}

static int tip_pending(const dc_docinfo *d, const dc_date *today)
{
	dc_version v;

	memset(&v, 0, sizeof(v));
	v.approved_on = d->approved_on;
	v.effective = d->effective;
	return d->status && dc_status_parse(d->status) == DC_STATUS_APPROVED && dc_version_pending(&v, today);
}

/* What a row takes from the tip's summary alone. */
static void fill_head(dc_register_row *row, const dc_policy *policy)
{
	const dc_docinfo *d = row->doc;

	row->type = d->type ? dc_policy_type(policy, d->type) : NULL;
	row->owner_name = dc_person_name(policy, d->owner);
	row->obsolete = d->status && dc_status_parse(d->status) == DC_STATUS_OBSOLETE;
	row->confidential = d->classification && !strcmp(d->classification, "confidential");
}

/* The histories of the pending rows, or of every row (opts). */
static int fill_histories(dc_register *r, const dc_policy *policy, const dc_register_opts *o)
{
	dc_history **hs = NULL;
	const char **ids = NULL, **paths = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (r->n && (!(hs = calloc(r->n, sizeof(*hs))) || !(ids = calloc(r->n, sizeof(*ids))) ||
		     !(paths = calloc(r->n, sizeof(*paths))))) {
		rc = dc_error_oom();
		goto cleanup;
	}
	for (i = 0; i < r->n; i++) {
		dc_register_row *row = &r->rows[i];

		if (!o->all_histories && !tip_pending(row->doc, &o->today))
			continue;
		if (!(row->history = calloc(1, sizeof(dc_history)))) {
			rc = dc_error_oom();
			goto cleanup;
		}
		dc_history_init(row->history);
		hs[n] = row->history;
		ids[n] = row->doc->id;
		paths[n++] = row->doc->path;
	}
	/* one walk of the branch serves them all; for one or two documents,
	 * their own walks read less */
	if (n > 2)
		rc = dc_history_build_many(hs, ids, paths, n, o->repo, o->tip, o->prefix, policy);
	for (i = 0; i < n && rc == 0 && n <= 2; i++)
		rc = dc_history_build(hs[i], o->repo, o->tip, o->prefix, policy, ids[i], paths[i]);
	for (i = 0; i < n && rc == 0 && o->verify; i++)
		rc = dc_history_verify(hs[i], o->repo, o->prefix, policy);
cleanup:
	free(hs);
	free(ids);
	free(paths);
	return rc;
}

/* What a row takes from history (the revision in force), and the review. */
static void fill_tail(dc_register_row *row, const dc_policy *policy, const dc_register_opts *o)
{
	const dc_docinfo *d = row->doc;
	int pending = tip_pending(d, &o->today);

	row->revision = d->revision;
	row->status = d->status;
	row->approved_by = d->approved_by;
	row->approved_on = d->approved_on;
	row->effective = d->effective ? d->effective : d->approved_on;
	if (pending) {
		const dc_event *e = row->history ? dc_history_in_force(row->history, &o->today) : NULL;

		row->pending_revision = d->revision;
		row->pending_effective = row->effective;
		if (e) {
			row->in_force = e->version;
			row->revision = e->version->revision;
			row->status = e->version->status;
			row->approved_by = e->version->approved_by;
			row->approved_on = e->version->approved_on;
			row->effective = e->version->effective ? e->version->effective : e->version->approved_on;
		} else {
			row->revision = NULL;
			row->status = "pending";
			row->approved_by = row->approved_on = row->effective = NULL;
		}
	}
	row->approver_name = dc_person_name(policy, row->approved_by);
	{
		const char *cb = row->in_force ? row->in_force->checked_by : row->pending_revision ? NULL : d->checked_by;

		row->checker_name = cb ? dc_person_name(policy, cb) : NULL;
	}
	next_review(row, &o->today);
}

int dc_register_build(dc_register *r, const dc_policy *policy, const dc_docset *set, const dc_register_opts *o)
{
	size_t i;

	dc_register_init(r);
	if (set->n && !(r->rows = calloc(set->n, sizeof(dc_register_row))))
		return dc_error_oom();
	for (i = 0; i < set->n; i++) {
		if (!set->docs[i].parsed || !set->docs[i].id)
			continue;
		r->rows[r->n].doc = &set->docs[i];
		fill_head(&r->rows[r->n++], policy);
	}
	if (o->repo && o->tip && fill_histories(r, policy, o) < 0)
		return -1;
	for (i = 0; i < r->n; i++)
		fill_tail(&r->rows[i], policy, o);
	if (r->n)
		qsort(r->rows, r->n, sizeof(dc_register_row), row_cmp);
	return 0;
}

const dc_register_row *dc_register_find(const dc_register *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].doc->id, id))
			return &r->rows[i];
	return NULL;
}

void dc_register_feedback(dc_register *r, const dc_fb_open *o)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		r->rows[i].open_feedback = dc_fb_open_count(o, r->rows[i].doc->id);
}
