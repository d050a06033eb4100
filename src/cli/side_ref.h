/*
 * side_ref.h - the client side of a "side ref" (the confirmations' ref of
 * docctl ack, the feedback ref of docctl feedback): fetch it, commit on top
 * of it with git commit-tree (signed with -S when asked), push without
 * force and tell a concurrent update (try again) from a refusal. The
 * messages stay the commands': they are passed in, translated.
 */
#ifndef DOCCTL_CLI_SIDE_REF_H
#define DOCCTL_CLI_SIDE_REF_H

#include <git2.h>

#include "buf.h"
#include "child.h"

typedef struct {
	const char *dir;          /* where git runs */
	const char *remote;       /* NULL: no remote, the local ref only */
	const char *ref;          /* the side ref */
	const char *tracking;     /* refs/remotes/<remote>/...; unused without remote */
	int sign;                 /* git commit-tree -S */
} cli_side;

/* Runs git in s->dir: its exit code, or -1 (`out` set up either way; the
 * caller disposes it). */
int cli_side_git(const cli_side *s, const char *const argv[], dc_child *out);
/* Fetches the ref into the tracking ref. 0 (also when the remote has none
 * yet, or there is no remote), or EXIT_FATAL said with `cannot_fetch`
 * (arguments: ref, remote, why). */
int cli_side_fetch(const cli_side *s, const char *cannot_fetch);
/* Commits `tree` on `parent` (NULL: none) with `message` and sets the ref
 * to it; its id in `hex`. 0, or EXIT_FATAL said with `cannot_commit`
 * (arguments: the signing hint, why) or `cannot_update` (ref, why). */
int cli_side_commit(const cli_side *s, const git_oid *tree, const git_oid *parent, const char *message,
		    const char *cannot_commit, const char *cannot_update, char hex[GIT_OID_HEXSZ + 1]);
/* Pushes commit `hex` to the ref. 0 pushed (the tracking ref follows),
 * 3 someone pushed first (try again), 1 refused: git's words in `why`. */
int cli_side_push(const cli_side *s, const char *hex, dc_buf *why);
/* The randomised exponential back-off before another round: the contenders
 * spread out instead of all running the server's hook again together. */
void cli_side_pause(int attempt, unsigned base_us, int max_shift);
/* Seeds the back-off. */
void cli_side_seed(void);

/* Whether `repo` has a remote called `name` (its remote.NAME.url is set).
 * Read from the configuration: libgit2 1.5's git_remote_lookup() leaks the
 * match data of its URL rewriting. */
int cli_side_has_remote(git_repository *repo, const char *name);
/* The remote of a side-ref command: *remote set to NULL when `repo` has no
 * such remote, else *tracking to refs/remotes/REMOTE/<branch of `ref`>
 * (malloc'd). 0, or EXIT_FATAL after saying `no_remote` (argument: the
 * remote) when `push` wants one. */
int cli_side_remote(git_repository *repo, const char **remote, int push, const char *ref, const char *no_remote,
		    char **tracking);

#endif
