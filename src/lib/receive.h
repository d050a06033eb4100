/*
 * receive.h - what the server decides about a push (reference §6): the
 * pre-receive and update hooks ask dc_receive_ref() about each pushed ref,
 * and the post-receive hook asks dc_receive_audit() what the push approved
 * and appends it to the audit trail (reference §6.7).
 *
 * The repository is opened bare from the hook's GIT_DIR, and the objects git
 * keeps in quarantine during pre-receive (GIT_QUARANTINE_PATH,
 * GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES) are added as
 * alternates here, unquoted as git writes them, so a repository path with
 * ':' or spaces works.
 *
 * Where trust lives is the repository's config key docctl.trustedRef
 * (reference §6.1 item 2): the policy at that ref says which refs are
 * protected and governs a protected ref being created; an existing ref is
 * judged by OLD's policy. Only on a repository that holds no ref is the
 * push itself trusted (trust on first use, recorded by post-receive with
 * dc_receive_record_trust); any other push without docctl.trustedRef is
 * refused (internal.error) with the command that sets it. A pushed ref
 * that is a symbolic ref on the server is judged as its target, and a
 * push to refs/replace/ is refused (ref.replace). A protected ref gets
 * every rule of §6; any other ref gets the structural checks of §5 on the
 * documents it changes and §6.6 (one id, one document). The decision is the
 * findings: a ref is refused when its findings hold an error. A function
 * that cannot decide returns -1 with dc_error set, and the caller refuses
 * (fail closed).
 */
#ifndef DC_RECEIVE_H
#define DC_RECEIVE_H

#include <git2.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "diag.h"
#include "snapshot.h"

typedef struct {
	dc_date today;   /* "today" for retention and review dates */
	time_t now;      /* the server's clock: signatures are verified at it */
	/* The hook's environment, read for the policy's pusher_env (reference §6.3);
	 * NULL: no variable is set. */
	const char *(*getenv)(const char *name);
} dc_receive_opts;

/* One approval a push carried (reference §6.7). */
typedef struct {
	char *id, *revision;
	char *person;          /* the person id */
	char *name;            /* the printed name from the policy in force */
	const char *meaning;   /* "approved", "reviewed" or "obsoleted" */
	int has_commit;        /* authenticated by this signed commit */
	git_oid commit;
	const char *method;    /* "signature" or "pusher" */
} dc_approval;

typedef struct {
	int protected_ref;     /* the policy in force protects the ref */
	dc_buf note;           /* something the pusher should know though nothing
	                          is wrong (trust on first use), or empty */
	dc_buf summary;        /* when refused: how to fix it, on one line */
	char *pusher;          /* the pusher (reference §6.3), NULL when none is set */
	dc_approval *approvals;/* the authenticated approvals, by document */
	size_t napprovals, approvals_cap;
	dc_arena arena;        /* the approvals' strings and the pusher */
} dc_receive_result;

typedef struct dc_receive dc_receive;

/*
 * Opens the repository at `git_dir` (the hook's GIT_DIR) and adds the
 * quarantine directories named in the environment given by o->getenv.
 * A SHA-256 repository, which libgit2 1.5 cannot read, is a clear error.
 * Returns 0 with *out set, or -1 with dc_error set.
 */
int dc_receive_open(dc_receive **out, const char *git_dir, const dc_receive_opts *o);
void dc_receive_free(dc_receive *r);

/*
 * Tells which refs the same push updates and their values before it (a
 * zero `old` for a created ref). Commits new to one ref are the ones no
 * other protected ref held before the push, so a ref updated by the push
 * counts with its old value (post-receive runs after the update). Call it
 * for every ref of the push before evaluating any.
 */
int dc_receive_add_update(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid);

/*
 * post-receive, after the refs of a push that was trusted on first use
 * were updated: records the protected ref it created as docctl.trustedRef
 * and points HEAD at it when HEAD names a missing branch. Written here and
 * not in pre-receive or update, so a refused push (or an --atomic push with
 * another refused ref) leaves no trust behind. Appends what it did to
 * `said` (nothing when there was nothing to record). Returns 0, or -1.
 */
int dc_receive_record_trust(dc_receive *r, dc_buf *said);

/* docctl.trustedRef of a repository, *out malloc'd or NULL when unset. 0, or -1. */
int dc_trust_configured(char **out, git_repository *repo);

/*
 * Sets docctl.trustedRef to `ref` (a full ref name) and points HEAD at it
 * when HEAD names a missing branch; says what it did in `said`. 0, or -1.
 */
int dc_trust_set(git_repository *repo, const char *ref, dc_buf *said);

/*
 * Whether the policy at ref `trusted` protects `ref` (for `docctl init
 * --hooks` on a server): 1 it does, 0 it does not, 2 `trusted` holds no
 * commit, 3 it has no docctl.yaml or one that does not load; -1.
 */
int dc_trust_protects(git_repository *repo, const char *trusted, const char *ref);

/*
 * The refs the policy at `trusted` protects whose docctl.yaml, signers file
 * or schema/ differ from the trusted ref's (for `docctl init --hooks`: an
 * existing protected ref is judged by its own policy, which a ref that
 * became protected after it was pushed got from its pusher). Appended to
 * `out`. Returns 0, or -1.
 */
int dc_trust_divergent(dc_strlist *out, git_repository *repo, const char *trusted);

void dc_receive_result_init(dc_receive_result *res);
void dc_receive_result_dispose(dc_receive_result *res);

/*
 * Evaluates one pushed ref (`old` or `new` zero for a creation or a
 * deletion; annotated tags are peeled). Appends the findings to `diags`
 * (set diags->ref to stamp them) and fills `res`. Returns 0 when decided
 * (refused when `diags` gained an error), -1 when it cannot decide.
 */
int dc_receive_ref(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid,
		   dc_receive_result *res, dc_diags *diags);

/*
 * What an accepted update of `ref` approved, recomputed after the fact for
 * the audit trail: fills res->approvals and res->pusher without running the
 * document checks. Returns 0, or -1.
 */
int dc_receive_audit(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid,
		     dc_receive_result *res);

/*
 * Appends one line of JSON for an updated ref to `path` (the audit trail,
 * $GIT_DIR/docctl-audit.log): the server's UTC time `now`, the pusher, the
 * ref, OLD and NEW, and the approvals. The line is written with one
 * write(2) on a file opened O_APPEND, then fsync'd. Returns 0, or -1.
 */
int dc_audit_append(const char *path, time_t now, const char *ref, const git_oid *old,
		    const git_oid *new_oid, const dc_receive_result *res);

/*
 * The same line's members after its time, into `out`: pre-receive keeps
 * what it decided for its own post-receive (cmd_hook.c), which appends it
 * with dc_audit_append_record() instead of judging the push again.
 */
int dc_audit_record(dc_buf *out, const char *ref, const git_oid *old, const git_oid *new_oid,
		    const dc_receive_result *res);
int dc_audit_append_record(const char *path, time_t now, const char *record);

/* Whether the pushes judged by `r` may trust a policy on first use
 * (reference §6.1 item 2), which post-receive records: 1 also when `r`
 * never read the trust. */
int dc_receive_may_tofu(const dc_receive *r);

/* The audit trail's path for a git directory, into `out`. */
int dc_audit_path(dc_buf *out, const char *git_dir);

#endif
