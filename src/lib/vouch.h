/*
 * vouch.h - what one commit's signature can vouch for (reference §6.3 (a)
 * to (c), §6.2 item 5), decided on the versions of one document: the
 * commit's own, its parents' and NEW's. No repository is read here:
 * authenticate.c finds the versions and verifies the signatures.
 */
#ifndef DC_VOUCH_H
#define DC_VOUCH_H

#include <git2.h>
#include <stddef.h>

#include "document.h"

/* The fields a kind of vouching changes (§4.2 groups). */
typedef enum {
	DC_VOUCH_APPROVAL,   /* approved_by: the approval group, with checked_by and checked_on */
	DC_VOUCH_REVIEW,     /* reviewed_by: the review group */
	DC_VOUCH_RETIREMENT, /* obsoleted_by: the retirement group and status */
	DC_VOUCH_CHECK       /* checked_by: the check step of §9.1 (checked_by, checked_on) */
} dc_vouch_kind;

typedef enum {
	DC_VOUCH_OK,         /* the commit's signature can vouch for NEW */
	DC_VOUCH_NOT_NEW,    /* (a) its version is not byte-identical to NEW's */
	DC_VOUCH_CONTENT,    /* (c) it changes the content (or creates the document) */
	DC_VOUCH_UNTOUCHED   /* (b) it leaves the vouching fields as some parent had them */
} dc_vouch_scope;

/* The field names of a kind; *n gets how many. */
const char *const *dc_vouch_fields(dc_vouch_kind kind, size_t *n);

/*
 * Whether a commit's version `v` (blob `vb`) of the document holds NEW's
 * (`newdoc`, blob `newb`) as far as a vouching of `kind` goes: the same
 * bytes, or, for an approval, the same bytes once the lines of the later
 * steps are removed from both: the review fields (a periodic review after
 * the approval), and on a document NEW has made obsolete, its status and
 * retirement fields — each step vouched for by its own person. For a
 * check, the lines of the approval step (status, approved_by, approved_on,
 * effective) are removed as well: reference §9.1's reading of §6.3 (a). A
 * later step does not undo an earlier one's signature.
 */
int dc_vouch_holds(const dc_doc *v, const git_oid *vb, const dc_doc *newdoc, const git_oid *newb, dc_vouch_kind kind);

/*
 * Whether a commit whose version of the document is `v` (its blob `vb`)
 * can vouch for NEW (`newdoc`, blob `newb`) with `kind`: (a) NEW's version
 * (dc_vouch_holds),
 * (c) the same content (§4.2) as every parent's version, (b) vouching
 * fields that differ from every parent's. `pv` holds the np parents'
 * versions, NULL where a parent has none (a root commit has np 0: it
 * creates the document). All versions must be parsed (root not NULL).
 */
dc_vouch_scope dc_vouch_scope_of(const dc_doc *v, const git_oid *vb, const dc_doc *newdoc, const git_oid *newb,
				 const dc_doc *const *pv, size_t np, dc_vouch_kind kind);

/*
 * Whether a commit changed the document's approval fields (approved_by,
 * approved_on, effective, checked_by, checked_on): they differ from every
 * parent's version, or a parent has none, or it is a root commit. `v`
 * NULL: the commit has no version (it changed nothing that stays).
 * approval.stale is a content change that no commit of the push made
 * this way (§6.2 item 5).
 */
int dc_vouch_approval_changed(const dc_doc *v, const dc_doc *const *pv, size_t np);

/* Nonzero when the approval fields of a and b are equal (carried over). */
int dc_vouch_approval_equal(const dc_doc *a, const dc_doc *b);

#endif
