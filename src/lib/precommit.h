/*
 * precommit.h - what the client hooks decide about a commit being made
 * (reference §7): the staged tree must pass `check`, and relative to HEAD the
 * rules of transition.h and approval.self apply. The staged tree is the
 * index git names (GIT_INDEX_FILE), never the working tree (staged.h).
 */
#ifndef DC_PRECOMMIT_H
#define DC_PRECOMMIT_H

#include <git2.h>

#include "buf.h"
#include "date.h"
#include "delta.h"
#include "diag.h"

typedef struct {
	dc_date today;
	const char *committer_email;  /* who is committing (user.email) */
} dc_precommit_opts;

/* Runs every pre-commit rule. Returns 0 (findings appended), -1 on failure. */
int dc_precommit_check(git_repository *repo, const dc_precommit_opts *o, dc_diags *diags);

/*
 * The "Document: ID REVISION STATUS" trailers for the controlled documents
 * the staged change touches, one line each, into `out`. Returns 0 or -1.
 */
int dc_precommit_trailers(git_repository *repo, dc_buf *out);

/*
 * Adds trailer lines (`trailers`, one per line) to a commit message kept in
 * `msg`: after the last paragraph if it is already trailers, else after a
 * blank line; before git's comment block; lines already present are not
 * repeated; an empty message stays untouched. Returns 0 or -1.
 */
int dc_message_add_trailers(dc_buf *msg, const char *trailers, char comment_char);

#endif
