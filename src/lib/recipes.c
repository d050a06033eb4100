/*
 * recipes.c - the front-matter edits of approve, obsolete, review and
 * revise (reference §7), decided from the document's state alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authoring.h"
#include "error.h"
#include "fm_edit.h"
#include "recipes.h"

static void add(dc_recipe *r, const char *field, const char *value)
{
	if (r->nedits < DC_RECIPE_EDITS_MAX)
		r->edits[r->nedits++] = (dc_field_edit){ field, value };
}

static int is(const char *status, const char *what)
{
	return status && !strcmp(status, what);
}

void dc_recipe_approve(dc_recipe *out, const dc_docinfo *d, const char *who, const char *today)
{
	memset(out, 0, sizeof(*out));
	if (is(d->status, "obsolete")) {
		out->verdict = DC_RECIPE_IS_OBSOLETE;
		return;
	}
	snprintf(out->effective, sizeof(out->effective), "%s",
		 d->effective && strcmp(d->effective, today) > 0 ? d->effective : today);
	add(out, "status", "approved");
	add(out, "approved_by", who);
	add(out, "approved_on", today);
	add(out, "effective", out->effective);
}

void dc_recipe_review(dc_recipe *out, const dc_docinfo *d, const char *who, const char *today)
{
	memset(out, 0, sizeof(*out));
	if (!is(d->status, "approved")) {
		out->verdict = DC_RECIPE_NOT_APPROVED;
		return;
	}
	add(out, "reviewed_by", who);
	add(out, "reviewed_on", today);
}

void dc_recipe_obsolete(dc_recipe *out, const dc_docinfo *d, const char *who, const char *today,
			const char *superseded_by)
{
	memset(out, 0, sizeof(*out));
	if (!is(d->status, "approved")) {
		out->verdict = DC_RECIPE_NOT_APPROVED;
		return;
	}
	add(out, "status", "obsolete");
	add(out, "obsoleted_by", who);
	add(out, "obsoleted_on", today);
	if (superseded_by)
		add(out, "superseded_by", superseded_by);
}

/* The fields a new revision drops: the approval, check and review groups. */
static const char *const revise_drops[] = {
	"approved_by", "approved_on", "effective", "checked_by", "checked_on", "reviewed_by", "reviewed_on",
};

void dc_recipe_revise(dc_recipe *out, const dc_docinfo *d, dc_scheme scheme, const char *change, int major)
{
	dc_revision r;
	size_t k;

	memset(out, 0, sizeof(*out));
	if (!d->revision || dc_revision_parse_str(&r, scheme, d->revision) < 0) {
		out->verdict = DC_RECIPE_BAD_REVISION;
		return;
	}
	if (is(d->status, "obsolete")) {
		out->verdict = DC_RECIPE_IS_OBSOLETE;
		return;
	}
	if (!is(d->status, "approved")) {
		/* a draft is already the next revision: revising it again would
		 * skip one; only its summary may be said again */
		if (change && !major) {
			out->change_only = 1;
			add(out, "change", change);
		} else {
			out->verdict = DC_RECIPE_NOT_YET_APPROVED;
		}
		return;
	}
	r = major ? dc_revision_next_major(scheme, &r) : dc_revision_next(scheme, &r);
	dc_revision_format(scheme, &r, out->revision, sizeof(out->revision));
	add(out, "revision", out->revision);
	add(out, "status", "draft");
	add(out, "change", change);
	for (k = 0; k < sizeof(revise_drops) / sizeof(*revise_drops); k++)
		add(out, revise_drops[k], NULL);
}

int dc_recipe_authored(int *out, git_repository *repo, const char *prefix, const char *path, const dc_policy *p,
		       const dc_person *me)
{
	dc_strlist authors = { 0 };
	size_t i;

	*out = 0;
	if (dc_content_authors(&authors, repo, prefix, path) < 0) {
		dc_strlist_dispose(&authors);
		return -1;
	}
	for (i = 0; i < authors.n; i++)
		if (dc_policy_person_by_email(p, authors.v[i]) == me || !strcmp(authors.v[i], me->email))
			*out = 1;
	dc_strlist_dispose(&authors);
	return 0;
}

int dc_recipe_apply(dc_buf *text, const char *path, const dc_recipe *r)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < r->nedits; i++)
		rc = r->edits[i].value ? dc_fm_set(text, path, r->edits[i].field, r->edits[i].value)
				       : dc_fm_remove(text, path, r->edits[i].field);
	return rc;
}

/* Whether document `by` cites `d` (references or a link). */
static int cites(const dc_docinfo *by, const dc_docinfo *d)
{
	size_t i;

	for (i = 0; i < by->nrefs; i++)
		if (by->refs[i].text && d->id && !strcmp(by->refs[i].text, d->id))
			return 1;
	for (i = 0; i < by->nlinks; i++)
		if (by->links[i].target && !strcmp(by->links[i].target, d->path))
			return 1;
	return 0;
}

int dc_recipe_citing(const dc_docinfo ***out, size_t *n, const dc_docset *set, const dc_docinfo *d)
{
	size_t i;

	*n = 0;
	if (!(*out = calloc(set->n + 1, sizeof(**out))))
		return dc_error_oom();
	for (i = 0; i < set->n; i++) {
		const dc_docinfo *by = &set->docs[i];

		/* records keep citing what was in force when they were filed */
		if (by != d && is(by->status, "approved") && !is(by->type, "record") && cites(by, d))
			(*out)[(*n)++] = by;
	}
	return 0;
}
