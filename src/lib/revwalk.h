/*
 * revwalk.h - a walk of the history from one commit, the start that
 * history.c, touched.c and receive_ref.c share.
 */
#ifndef DC_REVWALK_H
#define DC_REVWALK_H

#include <git2.h>

/* A new walk from `tip` that leaves out what `hide` reaches (NULL: nothing
 * is left out). Returns 0, or a libgit2 error (< 0) with *out NULL and
 * git_error_last() saying why, for the caller's own message. */
int dc_revwalk_from(git_revwalk **out, git_repository *repo, const git_oid *tip,
		    const git_oid *hide);

#endif
