/*
 * history.h - the audit trail of one controlled document: every approval,
 * periodic review and obsoletion in a branch's history (reference §7 `history`),
 * and the revision in force on a given day (`show`, `publish`, `register`).
 *
 * The walk starts at the branch's tip, where the document is at a known
 * path, and visits every ancestor commit that holds it (all parents, not
 * only the first, so an approval signed on a side branch and merged is found
 * on the commit that carries the signature). Each commit's version is found
 * by the blob id at the document's path; a file is parsed only when its blob
 * id is new. When the path disappears in a parent, the parent's tree is
 * searched for the same id (a rename; files are named ID.md or ID-*.md); when
 * the id is not there either, the document began in the child. A commit
 * reached from several children is read as the first of them found it.
 *
 * A commit "introduces" a version when its blob differs from every parent's.
 * Events are read from the versions a commit introduces, compared with its
 * parents' versions:
 *   approved   status approved, and no parent was approved or obsolete with
 *              the same revision, approved_by, approved_on and effective;
 *   reviewed   same approval as a parent, reviewed_by/reviewed_on new;
 *   obsoleted  status obsolete, and no parent was obsolete;
 *   checked    checked_by/checked_on set, and no parent had the same
 *              revision, checked_by and checked_on (reference §9.1).
 * The same event reached through two lines of history (a cherry-pick) is
 * listed once, at its earliest commit.
 *
 * The date and time of a signature are the committer time of the commit
 * carrying the event. dc_history_verify() checks each event commit's SSH
 * signature against the signers file in that commit's own tree (the file of
 * that time) for the signer's email in the policy, with the committer time
 * as the verification time, as `git verify-commit` does; so the same commit
 * always gives the same answer.
 */
#ifndef DC_HISTORY_H
#define DC_HISTORY_H

#include <git2.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "fields.h"
#include "policy.h"
#include "signature.h"

/* One version of the document (one blob), as its front-matter says. */
typedef struct {
	git_oid blob;
	const char *path;          /* in the repository (prefix included) */
	/* id, title, type, ...: a string for each row of fields.def with version 1 */
#define FIELD(m, name, group, kind, req, info, version) DC_FIELD_IF_##version(const char *m;)
#include "fields.def"
#undef FIELD
} dc_version;

typedef enum {
	DC_EVENT_APPROVED,
	DC_EVENT_REVIEWED,
	DC_EVENT_OBSOLETED,
	DC_EVENT_CHECKED           /* the check step 审核 (reference §9.1) */
} dc_event_kind;

typedef struct {
	dc_event_kind kind;
	const dc_version *version; /* the document as the event left it */
	git_oid commit;            /* the commit that carried it */
	git_time_t time;           /* its committer time (seconds since the epoch) */
	int offset;                /* and time zone, minutes east of UTC */
	const char *signer;        /* person id: approved_by, reviewed_by, obsoleted_by or checked_by */
	int verified;              /* dc_history_verify() ran for this event */
	dc_sig_status sig;         /* its result */
	const char *sig_detail;    /* ssh-keygen's message, or why it was not checked */
} dc_event;

typedef struct {
	dc_arena arena;            /* owns everything below */
	const char *id;
	dc_event *events;          /* newest first */
	size_t nevents;
	size_t ncommits;           /* commits visited */
	size_t nparsed;            /* versions parsed */
} dc_history;

void dc_history_init(dc_history *h);
void dc_history_dispose(dc_history *h);

/*
 * Builds the history of document `id`, which is at `path` (relative to the
 * project root `prefix`) in commit `tip`, from the commits reachable from
 * `tip`. `policy` names the roots searched on renames. Returns 0, or -1
 * with dc_error set.
 */
int dc_history_build(dc_history *h, git_repository *repo, const git_oid *tip, const char *prefix,
		     const dc_policy *policy, const char *id, const char *path);

/*
 * The histories of the documents `ids` at `paths` (relative to `prefix`) in
 * commit `tip`, hs[i] for document i, built in one walk of the commits
 * reachable from `tip` (publish, register): the same events as
 * dc_history_build() gives each, in a time that grows with the commits and
 * the changes, not with commits times documents. A renamed document is
 * followed to an earlier path that once held, or is held by, a file whose
 * name fits its id. ncommits is the number of commits of the walk. Returns
 * 0, or -1 with dc_error set.
 */
int dc_history_build_many(dc_history *const *hs, const char *const *ids, const char *const *paths, size_t n,
			  git_repository *repo, const git_oid *tip, const char *prefix, const dc_policy *policy);

/*
 * Verifies the signature of every event (see above). `prefix` is the project
 * root in the repository. Returns 0, or -1 on an operational failure.
 */
int dc_history_verify(dc_history *h, git_repository *repo, const char *prefix, const dc_policy *policy);

/* Nonzero when a version's effective date (approved_on when it has none) is
 * after `today`: approved, but not in force yet. */
int dc_version_pending(const dc_version *v, const dc_date *today);

/* The newest event whose version is in force on `today` (not pending), or
 * NULL when there is none. */
const dc_event *dc_history_in_force(const dc_history *h, const dc_date *today);

/* The newest event whose version has revision `revision`, or NULL. */
const dc_event *dc_history_revision(const dc_history *h, const char *revision);

/* The approval event of the version `v` (same revision, approved_by,
 * approved_on, effective), or NULL. */
const dc_event *dc_history_approval_of(const dc_history *h, const dc_version *v);

/* Reads a version's file into `out`. Returns 0, or -1. */
int dc_version_read(dc_buf *out, git_repository *repo, const dc_version *v);

/* "approved", "reviewed", "obsoleted", "checked". */
const char *dc_event_kind_name(dc_event_kind k);

/* Formats a commit time as "YYYY-MM-DD HH:MM:SS +HHMM" (at least 32 bytes). */
void dc_time_format(char *out, size_t size, git_time_t t, int offset);

#endif
