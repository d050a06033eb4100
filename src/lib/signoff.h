/*
 * signoff.h - the check step 审核 of reference §9.1 as a rule on one
 * document: what `check`, pre-commit and the server (through check) all
 * report about checked_by and checked_on, from the front-matter alone.
 * Who changed the content, and who signed, is the server's part
 * (authenticate.c) and pre-commit's (precommit.c).
 */
#ifndef DC_SIGNOFF_H
#define DC_SIGNOFF_H

#include "buf.h"
#include "diag.h"
#include "document.h"
#include "policy.h"

/*
 * Appends to `diags` (file doc->path, id `id`):
 *   person.unknown         checked_by names no person of the policy
 *   approval.unauthorized  checked_by holds no checker role of type `t`
 *                          (or `t` has no check step)
 *   signoff.missing        approved without checked_by on a
 *                          type with checkers (checked_on without
 *                          checked_by, or the reverse, too)
 *   signoff.order          checked_on after approved_on
 *   signoff.same-person    checked_by is approved_by
 * `t` NULL: only person.unknown. Returns 0, or -1 when memory runs out.
 */
int dc_check_signoff(const dc_policy *p, const dc_type *t, const dc_doc *doc, const char *id, dc_diags *diags);

/* The roles or people of `t`'s checkers as "a, b" into out. */
void dc_signoff_roles(dc_buf *out, const dc_type *t);

#endif
