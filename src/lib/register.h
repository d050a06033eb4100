/*
 * register.h - the master list of controlled documents (受控文件清单, reference §7
 * `register`), and what `review-due` and `publish` read from it.
 *
 * One row per document of a branch's tree, in the order of the policy's
 * types, then by id. A document whose approved revision takes effect after
 * "today" is pending: its row shows the revision still in force (found in
 * the branch's history) and names the pending revision in its own columns.
 * The next periodic review is due `review_every` after the later of
 * approved_on and reviewed_on (reference §4.6).
 */
#ifndef DC_REGISTER_H
#define DC_REGISTER_H

#include <git2.h>

#include "check.h"
#include "date.h"
#include "history.h"
#include "policy.h"

typedef struct {
	const dc_docinfo *doc;      /* the document at the tip */
	const dc_type *type;        /* NULL when the type is unknown */
	const char *owner_name;     /* printed names from the policy (the id when unknown) */
	/* The version in force: the tip's, or an older one while the tip's is pending. */
	const dc_version *in_force; /* from history; NULL when it is the tip's */
	const char *revision;       /* NULL when nothing is in force yet */
	const char *status;         /* approved, obsolete, draft, ..., or "pending" */
	const char *approved_by, *approver_name, *approved_on, *effective;
	const char *checker_name;   /* the check step (reference §9.1) of the revision in force, or NULL */
	const char *pending_revision, *pending_effective; /* NULL when none */
	char next_review[11];       /* "" when the type has no review period or the document is not approved */
	int review_overdue;         /* the next review date has passed */
	int obsolete;
	int confidential;
	dc_history *history;        /* built for pending rows, or every row (opts) */
	size_t open_feedback;       /* open feedback items (reference §11), dc_register_feedback */
} dc_register_row;

typedef struct {
	dc_register_row *rows;
	size_t n;
} dc_register;

typedef struct {
	git_repository *repo;       /* NULL: no history is read */
	const git_oid *tip;         /* the commit the docset was read from */
	const char *prefix;         /* the project root in the repository */
	dc_date today;
	int all_histories;          /* build every row's history, not only the pending ones' */
	int verify;                 /* verify the signatures in the histories built */
} dc_register_opts;

void dc_register_init(dc_register *r);
void dc_register_dispose(dc_register *r);

/* Builds the rows for the documents of `set`. Returns 0, or -1. */
int dc_register_build(dc_register *r, const dc_policy *policy, const dc_docset *set, const dc_register_opts *o);

/* The printed name of a person id (the id itself when it is not a person). */
const char *dc_person_name(const dc_policy *policy, const char *key);

/* Sets each row's open_feedback from the open items `o` (feedback.h). */
struct dc_fb_open;
void dc_register_feedback(dc_register *r, const struct dc_fb_open *o);

/* The row of document `id`, or NULL. */
const dc_register_row *dc_register_find(const dc_register *r, const char *id);

#endif
