/*
 * feedback.h - one feedback item, a change request to a document's owner
 * (reference §11): a file feedback/FB-YYYY-NNNN.md on the feedback ref
 * (`feedback.ref`, refs/heads/docctl/feedback by default), Markdown with a
 * front-matter read by the project's YAML loader (document.h), validated
 * strictly: the known fields only, each a string of its form, the decision
 * fields exactly when the item has left `open`, resolved_in exactly when it
 * is implemented, and a body with the text of the request.
 *
 * The status moves only along the arrows open -> accepted | rejected |
 * deferred and accepted -> implemented (dc_feedback_may_move).
 */
#ifndef DC_FEEDBACK_H
#define DC_FEEDBACK_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include <git2.h>

#include "document.h"
#include "history.h"
#include "node.h"
#include "policy.h"

#define DC_FEEDBACK_REF "refs/heads/docctl/feedback"
#define DC_FEEDBACK_DIR "feedback"

typedef enum {
	DC_FB_OPEN,
	DC_FB_ACCEPTED,
	DC_FB_REJECTED,
	DC_FB_DEFERRED,
	DC_FB_IMPLEMENTED,
	DC_FB_NSTATUS
} dc_fb_status;

typedef struct {
	dc_doc doc;               /* the file as parsed; owns the strings below */
	const char *id, *document, *revision, *kind, *from, *filed_on;
	const char *status_name, *decided_by, *decided_on, *reason, *resolved_in;
	const char *customer;     /* the name after "customer: ", NULL when `from` is a person */
	dc_fb_status status;
	int year, number;         /* of the id */
} dc_feedback;

void dc_feedback_init(dc_feedback *f);
void dc_feedback_dispose(dc_feedback *f);

/*
 * Parses and validates the item at `path` (which must be
 * feedback/<id>.md). Findings are appended to `diags` (the loader's own
 * rules, and feedback.format for what breaks the item's form). Returns 0
 * when the item is valid, 1 when it is not (findings added), -1 on failure.
 */
int dc_feedback_parse(dc_feedback *f, const char *path, const char *data, size_t len, dc_diags *diags);

/* FB-YYYY-NNNN: 0 with the year and number, -1 when `id` is not one. */
int dc_feedback_id_parse(const char *id, int *year, int *number);
/* "feedback/FB-YYYY-NNNN.md" for a year and number, into `out`. */
int dc_feedback_path(dc_buf *out, int year, int number);
const char *dc_feedback_status_name(dc_fb_status s);
/* 0 with *out, -1 when `s` names no status. */
int dc_feedback_status_parse(dc_fb_status *out, const char *s);
/* Nonzero when an item may move from `from` to `to`. */
int dc_feedback_may_move(dc_fb_status from, dc_fb_status to);
/* Nonzero when `text` names item `id` as a whole word (a `change`, a
 * commit message's "Resolves: FB-2026-0042" trailer). */
int dc_feedback_names(const char *text, const char *id);
/* Nonzero when commit message `msg` has a trailer line "Resolves: <id>"
 * (several ids may follow, separated by commas or spaces). */
int dc_feedback_trailer_names(const char *msg, const char *id);

/* The newest approval in `h` (a document's history) of a revision at
 * least `min` (NULL: any) whose `change` or approving commit's "Resolves:"
 * trailer names item `id`, in *out; NULL when there is none. 0, or -1. */
int dc_feedback_resolving(const dc_event **out, const dc_history *h, git_repository *repo, dc_scheme scheme,
			  const char *id, const char *min);

/* Appends to `out` the ids of the items an approval resolves ("FB-2026-0001,
 * FB-2026-0007"): those its `change` names, then those the "Resolves:"
 * trailers of its commit name (an unreadable commit: none of those).
 * Returns the length `out` had after the change's ids. */
size_t dc_feedback_resolved_ids(dc_buf *out, git_repository *repo, const char *change, const git_oid *commit);

/* The fields a decision may change (status, decided_by, decided_on,
 * reason, resolved_in); every other byte of an item is fixed once filed. */
extern const char *const dc_feedback_decision_fields[];
extern const size_t dc_feedback_ndecision_fields;

/*
 * policy.c: the `feedback` key of the policy ({ref: refs/heads/...}):
 * fills p->feedback_ref (the default when absent). Returns 0, 1 after
 * appending policy.invalid findings, -1.
 */
int dc_policy_feedback_load(dc_policy *p, const dc_node *root, dc_diags *diags);

/* The open items of the feedback ref, for the register and the published
 * pages (reference §11): id, document, kind, filed_on and the text, cut at
 * DC_FB_TEXT_MAX bytes on a character's boundary (the text is the
 * submitter's: escape it where it is shown). */
#define DC_FB_TEXT_MAX 500
typedef struct {
	char *id, *document, *revision, *kind, *filed_on, *text;
} dc_fb_open_item;

typedef struct dc_fb_open {
	dc_fb_open_item *items;   /* sorted by id */
	size_t n, cap;
} dc_fb_open;

void dc_fb_open_init(dc_fb_open *o);
void dc_fb_open_dispose(dc_fb_open *o);
/* Reads the open items of the feedback ref (dc_feedback_each, remote
 * origin). 0, or -1. */
int dc_fb_open_load(dc_fb_open *o, git_repository *repo, const dc_policy *p);
/* Calls fn for each item of the feedback ref that parses, in the order of
 * their ids: the ref refs/remotes/REMOTE/<name> (REMOTE NULL: origin)
 * when the clone has it (what `docctl feedback` fetched), else
 * p->feedback_ref; none when neither exists. fn returns 0, or -1 to stop.
 * Returns 0, or -1. */
typedef int (*dc_feedback_fn)(void *arg, const dc_feedback *f);
int dc_feedback_each(git_repository *repo, const dc_policy *p, const char *remote, dc_feedback_fn fn, void *arg);

/* How many of the open items are about document `id`. */
size_t dc_fb_open_count(const dc_fb_open *o, const char *id);

#endif
