/*
 * vouch.c - see vouch.h.
 */
#include "vouch.h"

#include <string.h>

#include "delta.h"
#include "fields.h"

static const char *const approval_group[] = { "status", "approved_by", "approved_on", "effective",
					       "checked_by", "checked_on" };
static const char *const review_group[] = { "reviewed_by", "reviewed_on" };
static const char *const retirement_group[] = { "status", "obsoleted_by", "obsoleted_on", "superseded_by" };
/* what a copied-over approval keeps (status is "approved" either way) */
static const char *const approval_values[] = { "approved_by", "approved_on", "effective", "checked_by", "checked_on" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* What may change after a vouching without undoing its signature: the
 * steps that come later in a document's life, a periodic review after an
 * approval and, on a document that is obsolete now, its withdrawal (status
 * included) after either. A push with such lines has them vouched for by
 * their own person (reviewed_by, obsoleted_by: rcv_vouch), so no byte goes
 * unsigned. */
static const char *const review_lines[] = { "reviewed_by", "reviewed_on", "status", "obsoleted_by", "obsoleted_on",
					    "superseded_by" };
/* what may change after a check (reference §9.1): the approval step, then
 * the review and the withdrawal as after an approval */
static const char *const check_lines[] = { "status", "approved_by", "approved_on", "effective", "reviewed_by",
					   "reviewed_on", "obsoleted_by", "obsoleted_on", "superseded_by" };
static const char *const check_group[] = { "checked_by", "checked_on" };
static const char *const withdrawal_lines[] = { "status", "obsoleted_by", "obsoleted_on", "superseded_by" };

int dc_vouch_holds(const dc_doc *v, const git_oid *vb, const dc_doc *newdoc, const git_oid *newb, dc_vouch_kind kind)
{
	const char *now, *then;
	int withdrawn;

	if (git_oid_equal(vb, newb))
		return 1;
	if (!v || !v->root || !newdoc || !newdoc->root || kind == DC_VOUCH_RETIREMENT)
		return 0;
	/* a withdrawal since: the version signed was an approved one */
	now = dc_doc_str(newdoc, "status");
	then = dc_doc_str(v, "status");
	withdrawn = now && dc_status_parse(now) == DC_STATUS_OBSOLETE && then && dc_status_parse(then) == DC_STATUS_APPROVED;
	if (kind == DC_VOUCH_APPROVAL)
		return dc_doc_same_except(v, newdoc, review_lines, withdrawn ? N(review_lines) : 2);
	if (kind == DC_VOUCH_CHECK)
		return dc_doc_same_except(v, newdoc, check_lines, withdrawn ? N(check_lines) : 6);
	return withdrawn && dc_doc_same_except(v, newdoc, withdrawal_lines, N(withdrawal_lines));
}

const char *const *dc_vouch_fields(dc_vouch_kind kind, size_t *n)
{
	switch (kind) {
	case DC_VOUCH_REVIEW:
		*n = N(review_group);
		return review_group;
	case DC_VOUCH_RETIREMENT:
		*n = N(retirement_group);
		return retirement_group;
	case DC_VOUCH_CHECK:
		*n = N(check_group);
		return check_group;
	case DC_VOUCH_APPROVAL:
	default:
		*n = N(approval_group);
		return approval_group;
	}
}

dc_vouch_scope dc_vouch_scope_of(const dc_doc *v, const git_oid *vb, const dc_doc *newdoc, const git_oid *newb,
				 const dc_doc *const *pv, size_t np, dc_vouch_kind kind)
{
	const char *const *fields;
	size_t i, nf;
	int untouched = 0;

	if (!v || !v->root || !dc_vouch_holds(v, vb, newdoc, newb, kind))
		return DC_VOUCH_NOT_NEW;
	if (!np)
		return DC_VOUCH_CONTENT; /* a root commit creates the document */
	fields = dc_vouch_fields(kind, &nf);
	for (i = 0; i < np; i++) {
		if (!pv[i] || !pv[i]->root || !dc_doc_same_content(v, pv[i]))
			return DC_VOUCH_CONTENT;
		if (!dc_fields_differ(v, pv[i], fields, nf))
			untouched = 1;
	}
	return untouched ? DC_VOUCH_UNTOUCHED : DC_VOUCH_OK;
}

int dc_vouch_approval_changed(const dc_doc *v, const dc_doc *const *pv, size_t np)
{
	size_t i;

	if (!v || !v->root)
		return 0;
	for (i = 0; i < np; i++)
		if (pv[i] && pv[i]->root && !dc_fields_differ(v, pv[i], approval_values, N(approval_values)))
			return 0;
	return 1;
}

int dc_vouch_approval_equal(const dc_doc *a, const dc_doc *b)
{
	return a && b && a->root && b->root && !dc_fields_differ(a, b, approval_values, N(approval_values));
}

dc_voucher dc_vouch_who(const dc_policy *pol, const char *key, const char *type, const dc_person **p,
			const dc_type **t)
{
	*p = dc_policy_person(pol, key);
	*t = type ? dc_policy_type(pol, type) : NULL;
	if (!*p)
		return DC_VOUCHER_NOT_PERSON;
	if (!*t)
		return DC_VOUCHER_NO_TYPE;
	return dc_policy_may_approve(pol, *t, key) ? DC_VOUCHER_OK : DC_VOUCHER_NO_ROLE;
}

dc_self dc_vouch_self(const dc_policy *pol, const dc_person *p, const char *author, const char *committer,
		      int has_sig)
{
	if (author && dc_policy_person_by_email(pol, author) == p)
		return DC_SELF_YES;
	if (committer && dc_policy_person_by_email(pol, committer) == p)
		return DC_SELF_YES;
	return has_sig && p->email ? DC_SELF_IF_SIGNER : DC_SELF_NO;
}

int dc_vouch_by_pusher(const dc_policy *pol, const char *pusher, const char *key)
{
	return pol->identity_pusher && pusher && !strcmp(pusher, key);
}
