/*
 * vouch.h - what one commit's signature can vouch for (reference §6.3 (a)
 * to (c), §6.2 item 5), decided on the versions of one document: the
 * commit's own, its parents' and NEW's. No repository is read here:
 * receive_auth.c finds the versions and verifies the signatures.
 */
#ifndef DC_VOUCH_H
#define DC_VOUCH_H

#include <git2.h>
#include <stddef.h>

#include "document.h"
#include "policy.h"

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

/* Whether the person named in a vouching field may vouch at all
 * (reference §6.2 item 5, approval.unauthorized). */
typedef enum {
	DC_VOUCHER_OK,         /* a person of the policy with an approver role of the type */
	DC_VOUCHER_NOT_PERSON, /* not a person of the policy */
	DC_VOUCHER_NO_TYPE,    /* the document names no type, or one the policy lacks */
	DC_VOUCHER_NO_ROLE     /* holds no approver role of the type */
} dc_voucher;

/* Decides it for person `key` and type name `type` (either may be NULL)
 * under the trusted policy; *p and *t get the person and type found
 * (NULL when not), whatever the answer. */
dc_voucher dc_vouch_who(const dc_policy *pol, const char *key, const char *type, const dc_person **p,
			const dc_type **t);

/* Whether a commit that changed the content was person p's (four eyes,
 * reference §6.2 item 5): their email is its author's or committer's, or
 * the signature it carries is made with their key. The last needs the
 * signature read, so it is left to the caller. */
typedef enum {
	DC_SELF_NO,        /* neither, and nothing of theirs to look for in a signature */
	DC_SELF_YES,       /* the author or the committer is p */
	DC_SELF_IF_SIGNER  /* p, when the commit's signature names p's key */
} dc_self;

/* Decides it from the commit's author and committer emails (NULL when
 * absent) and whether it carries a signature. */
dc_self dc_vouch_self(const dc_policy *pol, const dc_person *p, const char *author, const char *committer,
		      int has_sig);

/* The pusher method (reference §6.3): the policy allows it and the
 * pusher (NULL when the push names none) is the person `key`. */
int dc_vouch_by_pusher(const dc_policy *pol, const char *pusher, const char *key);

#endif
