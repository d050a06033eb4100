/*
 * transition.h - the rules about how an approved document may change from
 * one version to the next (reference §6.2 item 5, mirrored by pre-commit §7):
 * deletion and record retention, obsolete is final, records are immutable,
 * revisions go up when content changes, ids never change.
 *
 * They depend only on the two versions (a dc_change); who vouches for a
 * change and how that person is authenticated is decided elsewhere.
 */
#ifndef DC_TRANSITION_H
#define DC_TRANSITION_H

#include "date.h"
#include "delta.h"
#include "diag.h"
#include "policy.h"

typedef struct {
	const dc_policy *policy; /* the trusted policy (types, scheme, retention) */
	dc_date today;
} dc_transition_opts;

/* Nonzero when the old version is under change control (approved or obsolete). */
int dc_change_was_controlled(const dc_change *c);

/* Appends the findings for one change. Returns 0, or -1 on failure. */
int dc_transition_check(const dc_change *c, const dc_transition_opts *o, dc_diags *diags);

/* The retention of a record version: its own `retention`, else its type's.
 * Returns 0, or -1 when it has none. */
int dc_record_retention(const dc_doc *doc, const dc_policy *p, dc_duration *out);

#endif
