/*
 * receive_int.h - what the server's files share. Not part of the
 * library's interface. Each uses only the ones listed before it (the file
 * dependency graph is a tree; scripts/depgraph.py checks it):
 *
 *   receive_repo.c   the repository before the push, symbolic refs, the deadline
 *   receive_trust.c  where trust lives (reference §6.1 item 2)
 *   receive_graph.c  which paths each commit of a list touched
 *   sigcache.c       the signatures a push asks about, verified once
 *   receive_ref.c    one ref's evaluation: made, disposed of, its hints and commits
 *   receive_ids.c    one id, one document (reference §6.6)
 *   receive_auth.c   who vouches, and how they are known (reference §6.2, §6.3, §6.5)
 *   receive.c        the decision about each pushed ref
 */
#ifndef DC_RECEIVE_INT_H
#define DC_RECEIVE_INT_H

#include "check.h"
#include "delta.h"
#include "project.h"
#include "receive.h"
#include "signature.h"
#include "strlist.h"
#include "strmap.h"

/* A policy read from one commit's tree. */
typedef struct {
	git_commit *commit;
	git_tree *tree;
	dc_source *src;
	dc_project *proj;     /* NULL when absent or broken */
	int absent;           /* the tree has no docctl.yaml */
	dc_diags broken;      /* policy.invalid / schema.invalid findings */
} rcv_policy;

typedef struct {
	char *ref;            /* symbolic refs resolved to their target */
	git_oid old;          /* zero: created by the push */
	git_oid new_oid;      /* zero: deleted by the push */
} rcv_update;

typedef struct {
	char *id, *path, *ref;
} rcv_claim;

typedef struct {
	char *key;            /* "<commit hex> <email>" */
	dc_sig_result result;
	git_oid commit;
	const char *email;    /* borrowed from the trusted policy */
	int pending;          /* asked for while collecting, not verified yet */
} rcv_sig;

/* receive_graph.c: a list of commits read once. For each commit and parent,
 * the paths whose tree entries differ ("touches"); a path a commit does not
 * touch relative to a parent has that parent's entry. */
typedef struct {
	size_t commit;        /* index in the list */
	unsigned parent;      /* which parent */
	uint32_t mode;        /* the commit's entry at the path: its mode, */
	git_oid oid;          /* and its id (has_new 0: the commit has none) */
	int has_new;
} rcv_touch;

typedef struct {
	const char *name;     /* the path */
	rcv_touch *items;     /* by commit index (descending, unless unsorted), then parent */
	size_t n, cap;
	int unsorted;
} rcv_touches;

typedef struct {
	unsigned np;
	git_oid *parents;
	size_t *pidx;         /* index of each parent in the list, SIZE_MAX: not in it */
	const char *author;   /* the author's email, NULL when none */
	const char *committer;/* the committer's email, NULL when none */
	int has_sig;          /* carries a gpgsig header */
} rcv_gcommit;

typedef struct {
	size_t n;
	const git_oid *ids;   /* borrowed */
	rcv_gcommit *c;
	size_t *signed_idx;   /* the commits with has_sig, ascending */
	size_t nsigned;
	dc_strmap paths;      /* path -> index in touches */
	rcv_touches *touches;
	size_t npaths, cappaths;
	dc_arena arena;       /* c, signed_idx, each touches[].items, the strings */
} rcv_graph;

/* Reads the commits ids[0..n) (borrowed: they must outlive the graph). */
int rcv_graph_build(rcv_graph **out, git_repository *repo, const git_oid *ids, size_t n);
/* The commits that touch `path`, NULL when none does. */
const rcv_touches *rcv_graph_touches(const rcv_graph *g, const char *path);
/* Commit `commit`'s touch of the path relative to parent `parent`, or NULL. */
const rcv_touch *rcv_touch_find(const rcv_touches *t, size_t commit, unsigned parent);
void rcv_graph_free(rcv_graph *g);

struct dc_receive {
	git_repository *repo;
	dc_receive_opts opts;
	rcv_update *updates;
	size_t nupdates, updates_cap;
	rcv_claim *claims;    /* ids introduced by refs evaluated earlier in this push */
	size_t nclaims, claims_cap;
	dc_arena arena;       /* the claims' strings */
	/* where trust lives (receive_trust.c, reference §6.1 item 2), loaded once */
	enum { RCV_TRUST_UNKNOWN, RCV_TRUST_REF, RCV_TRUST_TOFU, RCV_TRUST_NONE } trust_state;
	int empty;            /* no ref held a commit before the push */
	char *trusted_ref;    /* docctl.trustedRef (resolved), NULL when unset */
	char *trust_ref;      /* RCV_TRUST_REF: the trusted ref, which held a commit */
	char *tofu_ref;       /* RCV_TRUST_TOFU: the protected ref the push creates */
	char *head_target;    /* what HEAD names, NULL when it is not symbolic */
	rcv_policy trust;     /* the trusted ref's policy before the push (REF),
	                         or the tofu ref's pushed policy (TOFU) */
	dc_buf trust_why;     /* RCV_TRUST_NONE: why no policy is in force */
	dc_strlist aliased;   /* targets of symbolic refs with a protected name */
	long long deadline_ms;/* monotonic ms at which the hook gives up (reference §6.8) */
	double deadline_s;    /* the budget it was computed from */
};

/* receive_repo.c */
const char *rcv_env(const dc_receive *r, const char *name);
void rcv_policy_init(rcv_policy *p);
void rcv_policy_dispose(rcv_policy *p);
/* The value of `name` before the push: 1 with *out, 0 when it did not exist, -1. */
int rcv_ref_before(dc_receive *r, const char *name, git_oid *out);
/* The commit `id` names, annotated tags peeled: 0 with *out; 1 when it is no
 * commit (*type says what it is); -1 when an object is missing. */
int rcv_peel_commit(git_commit **out, git_repository *repo, const git_oid *id, git_object_t *type);
const char *rcv_type_name(git_object_t t);
/* Reads the policy of a commit (p->absent without docctl.yaml; p->proj NULL
 * and the findings in p->broken when it does not load). */
int rcv_policy_load(rcv_policy *p, git_repository *repo, git_commit *c);
/* The ref `name` names on the server, symbolic refs followed (*out
 * malloc'd; `name` itself when it is no symbolic ref). 0, or -1. */
int rcv_resolve(char **out, git_repository *repo, const char *name);
/* receive_trust.c: where trust lives and whether the repository was
 * empty, once (r->trust_state). Returns 0, or -1 with dc_error set. */
int rcv_load_trust(dc_receive *r);
/* The policy that says which refs are protected and governs a created
 * one: the trusted ref's, or on trust on first use the pushed one; NULL
 * when none is in force (r->trust_why says why) or it does not load. */
const dc_policy *rcv_trust_policy(const dc_receive *r);
/* Nonzero when the trusted policy protects `name`, or a symbolic ref whose
 * name it protects points at `name`. */
int rcv_trust_protects(const dc_receive *r, const char *name);

/* The evaluation of one ref. */
typedef struct {
	dc_receive *r;
	const char *ref;          /* the ref judged: the pushed one, symbolic refs followed */
	const char *pushed;       /* the ref as pushed */
	int audit;                /* post-receive: approvals only, no findings kept */
	int has_old, has_new;
	git_oid old, new_oid;
	git_commit *old_commit;   /* OLD peeled, NULL when absent or not a commit */
	git_commit *new_commit;
	git_tree *new_tree;
	int tofu;                 /* no policy in force: the pushed one is trusted */
	const rcv_policy *trusted;/* the policy in force (NULL: tofu or none) */
	rcv_policy old_pol;       /* the policy of OLD */
	rcv_policy new_pol;       /* the policy of NEW */
	dc_buf signers;           /* the trusted signers file */
	const char *pusher;       /* per the trusted policy's pusher_env, or NULL */
	git_oid *commits;         /* new to the ref (reference §6.1 item 3) */
	size_t ncommits;
	git_oid *extra;           /* in OLD..NEW but not new: checked on another
	                             protected ref first (rcv_range_extra) */
	size_t nextra;
	int extra_done;
	dc_delta delta;
	dc_diags *diags;
	dc_receive_result *res;
	dc_buf hints;             /* summary hints, "; "-separated */
	size_t first_diag;        /* diags->items[first_diag..] are this ref's */
	rcv_sig *sigs;            /* signature results by commit and email (the
	                             signers file is this ref's trusted one) */
	size_t nsigs, capsigs;
	dc_strmap sig_index;      /* sigs[].key -> index */
	int collect;              /* receive_auth.c's first pass: rcv_verify only
	                             notes what to verify (rcv_verify_pending) */
	rcv_graph *graph;         /* the commits, read once on demand */
	rcv_graph *graph_extra;   /* the extra commits, the same */
} rcv_ref;

/* receive_ref.c: a ref's evaluation made (`pushed` as pushed, `ref` with
 * symbolic refs followed; both borrowed) and disposed of. */
void rcv_ref_init(rcv_ref *x, dc_receive *r, const char *pushed, const char *ref, const git_oid *old,
		  const git_oid *new_oid, int audit, dc_receive_result *res, dc_diags *diags);
void rcv_ref_dispose(rcv_ref *x);
/* receive_ref.c: the pusher (reference §6.3) into x->pusher and
 * x->res->pusher: the first of `p`'s pusher_env that is set (p NULL: the
 * usual variables of gitolite, Gitea, GitLab and HTTP). 0, or -1. */
int rcv_pusher(rcv_ref *x, const dc_policy *p);
/* receive_ref.c: adds a hint for the summary line (once). */
int rcv_hint(rcv_ref *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* receive_ref.c: the commits new to the ref (reference §6.1 item 3) into
 * x->commits: in NEW, not in OLD nor on another protected ref. */
int rcv_new_commits(rcv_ref *x);

/*
 * receive_ref.c: the commits of OLD..NEW (for a created ref: those not on the default
 * branch) that are not new to the ref because another protected ref held
 * them first. Their signatures still authenticate an approval (a release
 * branch fast-forwarded to approved commits of main), but they count for
 * nothing else. Computed once, on demand, into x->extra.
 */
int rcv_range_extra(rcv_ref *x);

/* sigcache.c: verifies a commit's signature for `email` (borrowed: it
 * must outlive the ref's evaluation) against the trusted signers file at
 * the server's clock; once per commit and email. While x->collect, only
 * notes the pair (out->status DC_SIG_NONE) for rcv_verify_pending. */
int rcv_verify(rcv_ref *x, const git_oid *commit, const char *email, dc_sig_result *out);
/* Whether a commit's signature names a key the trusted signers file lists
 * for `email`, verifying nothing (four eyes counts the signer so). */
int rcv_signed_with_key_of(rcv_ref *x, const git_oid *commit, const char *email, int *out);
/* Verifies every pair noted while collecting, on every core (reference §6.8). */
int rcv_verify_pending(rcv_ref *x);
void rcv_sigs_dispose(rcv_ref *x);
/* receive_repo.c: the hook's deadline (reference §6.8): DOCCTL_HOOK_DEADLINE
 * seconds (default 60) from now. */
void rcv_deadline_start(dc_receive *r);
/* The milliseconds left (at least 1), or -1 with dc_error set to why the
 * push is refused when the deadline has passed; `doing` says what the hook
 * was doing. */
long long rcv_deadline_left(const rcv_ref *x, const char *doing);

/* receive_ids.c: nonzero when a file name is ID.md or ID-anything.md. */
int rcv_named_for(const char *name, const char *id);
/* What rcv_walk_named() calls for a file named for ids[k], with its path
 * from the repository root: 0 to go on, -1 (dc_error set) to stop. */
typedef int (*rcv_named_fn)(void *arg, size_t k, const char *path, const git_tree_entry *e);
/* receive_ids.c: calls `fn` for each file under the roots of `pol` in
 * `tree` whose name fits one of the n ids not found[] yet. 0, or -1 with
 * dc_error set (to `unreadable` when a folder cannot be read). */
int rcv_walk_named(git_repository *repo, git_tree *tree, const dc_policy *pol, const char *const *ids,
		   const unsigned char *found, size_t n, const char *unreadable, rcv_named_fn fn, void *arg);
/* receive_ids.c: ids this ref introduces that another branch holds (reference §6.6). */
int rcv_claim_ids(rcv_ref *x, const dc_policy *pol);

/* receive_auth.c: the people who vouch for one change (reference §6.2 item 5, §6.3). */
int rcv_vouch(rcv_ref *x, const dc_change *c);
/* receive_auth.c: approval.stale by the commits (reference §6.2 item 5):
 * *carried nonzero when c's content changed while no commit new to the
 * ref (x->commits, then rcv_range_extra) changed its approval fields. */
int rcv_approval_carried(rcv_ref *x, const dc_change *c, int *carried);
/* receive_auth.c: before rcv_vouch and rcv_policy_change, finds every
 * signature they will ask about and verifies them all at once, on every
 * core (reference §6.8). */
int rcv_authenticate_prepare(rcv_ref *x);
/* receive_auth.c: the policy controls itself (reference §6.5). */
int rcv_policy_change(rcv_ref *x);

/* receive_ack.c: judges the confirmations' ref (reference §10.1): 0 when
 * `x` is another ref, 1 when it was judged (findings added), -1. */
int rcv_ack_ref(rcv_ref *x);
/* receive_ack.c: ack.misplaced when a protected push changes acks/
 * (`base` is what NEW is compared with, NULL: nothing). 0, or -1. */
int rcv_ack_misplaced(rcv_ref *x, git_tree *base);
/* receive_feedback.c: judges the feedback ref (reference §11): 0 when `x`
 * is another ref, 1 when it was judged (findings added), -1. */
int rcv_feedback_ref(rcv_ref *x);
/* receive_feedback.c: feedback.misplaced when a protected push changes
 * feedback/ (`base` as for rcv_ack_misplaced). 0, or -1. */
int rcv_feedback_misplaced(rcv_ref *x, git_tree *base);

/* receive_side.c: what the rules of a side ref (the confirmations' ref,
 * the feedback ref) share; the messages are the caller's, translated. */
/* The commits NEW adds to OLD, oldest first, into the array *commits of
 * *n (grown; the caller frees it). 0, or -1 with `cannot_walk`. */
int rcv_side_walk(rcv_ref *x, git_oid **commits, size_t *n, const char *cannot_walk);
/* Blob `id`, at most `max` bytes. 0, or -1 (*out NULL). */
int rcv_side_blob(git_blob **out, git_repository *repo, const git_oid *id, size_t max, const char *cannot_read,
		  const char *too_large);
/* The document at `path` on the protected branch, blob `id`, parsed into
 * `doc` (findings dropped: the rules of the side ref decide). `doc` is
 * ready for rcv_side_doc_dispose() whatever the outcome. 0, or -1. */
int rcv_side_doc(dc_doc *doc, rcv_ref *x, const char *path, const git_oid *id);
/* Frees what rcv_side_doc() read, its arena included. */
void rcv_side_doc_dispose(dc_doc *doc);
/* The type of a document of the protected branch: its own, else the one
 * its id says (dc_policy_type_for_id), or NULL. */
const dc_type *rcv_side_doc_type(const dc_policy *pol, const dc_doc *doc, const char *id);
/* A merge is refused with `rule` and `fmt` (arguments: short id, ref). */
typedef struct {
	dc_rule_id rule;
	const char *fmt;
} rcv_side_merge;
/* Called for each file a commit changed against its parent; `tree` is
 * the commit's own. 0 to go on, -1 to stop with an error. */
typedef int (*rcv_side_delta_fn)(void *arg, git_tree *tree, const git_diff_delta *d);
/* Judges pushed commit `id`: a merge is refused (1), else `each` is
 * called for each changed file. 0, 1 (a merge, finding added) or -1. */
int rcv_side_commit(rcv_ref *x, const git_oid *id, const rcv_side_merge *merge, rcv_side_delta_fn each, void *arg);
/* Called for each file pushed commit `ci` (its index in the walk) changed
 * against its parent; `tree` is the commit's own. 0 to go on, -1. */
typedef int (*rcv_side_file_fn)(void *arg, size_t ci, git_tree *tree, const git_diff_delta *d);
/* The documents a side ref's lines or items name, by distinct id, looked
 * up on the protected branch (the trusted commit) by rcv_side_find_docs():
 * `load` gets the document `id` (one of ids), read from the controlled
 * file at `path` whose id holds, and keeps what it needs of it in *out (its
 * record, zeroed, `size` bytes), its strings in `arena` (the document itself
 * dies after the call): 0, or -1 on failure. */
typedef struct {
	char **ids;               /* distinct */
	unsigned char *found;
	void *docs;               /* the records, indexed as ids */
	size_t size, n;
	dc_arena arena;           /* all of it, and what load() keeps */
	int (*load)(void *arg, void *out, const char *id, const dc_doc *doc, const char *path);
	void *arg;
} rcv_side_docs;
/* Room for `most` ids and their records of `size` bytes: 0, or -1. */
int rcv_side_docs_init(rcv_side_docs *d, size_t most, size_t size,
		       int (*load)(void *, void *, const char *, const dc_doc *, const char *), void *arg);
/* Adds `id` (NULL: nothing) unless it is there: 0, or -1. */
int rcv_side_docs_add(rcv_side_docs *d, const char *id);
/* The record of document `id` when it was found, else NULL. */
const void *rcv_side_docs_found(const rcv_side_docs *d, const char *id);
void rcv_side_docs_dispose(rcv_side_docs *d);
/* What the rules of both side refs keep about one push. */
typedef struct {
	rcv_ref *x;
	const dc_policy *pol;
	git_oid *commits;         /* oldest first */
	size_t ncommits;
	rcv_side_docs ids;        /* the documents the lines or items name */
	int refused;              /* a structural finding: the lines or items are not judged */
} rcv_side_push;
/* Frees the commits and the documents. */
void rcv_side_push_dispose(rcv_side_push *s);
/* The policy the side refs are judged by: the trusted ref's, or NULL. */
const dc_policy *rcv_side_policy(const dc_receive *r);
/* Walks the commits NEW adds to OLD into s->commits (rcv_side_walk) and
 * judges each (rcv_side_commit; merge->fmt is marked N_() and translated
 * here): a merge sets s->refused, the others' files go to `each`. 0, or -1. */
int rcv_side_judge(rcv_side_push *s, const char *cannot_walk, const rcv_side_merge *merge, rcv_side_file_fn each,
		   void *arg);
/* Looks the documents of s->ids up: 0, or -1. */
int rcv_side_find_docs(rcv_side_push *s);
/* Whether commit ci is vouched for by person `p`: the pusher is p (when
 * the policy accepts the pusher), or its signature is p's. 0 or -1. */
int rcv_side_vouched(rcv_side_push *s, size_t ci, const dc_person *p, int *out);
/* Trusts the policy in force, reads its signers, peels OLD and NEW: 0,
 * 1 NEW is not a commit (*type says what), 2 NEW does not descend from
 * OLD (a rewind), or -1. */
int rcv_side_begin(rcv_ref *x, const dc_policy *pol, size_t signers_max, git_object_t *type);

#endif
