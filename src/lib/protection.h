/*
 * protection.h - whether the branch a repository is on is under control:
 * the rule policy.unprotected-branch (reference §7).
 */
#ifndef DC_PROTECTION_H
#define DC_PROTECTION_H

#include <git2.h>

#include "diag.h"
#include "policy.h"

/*
 * Adds the warning policy.unprotected-branch when the repository is on a
 * branch (HEAD, born or not) that the policy's `protected` does not cover
 * while no ref it covers exists: every commit would then land on a branch
 * the server never guards (a plain `git init` names the branch master, the
 * policy says main). `policy_file` is the policy's path for the finding.
 * Returns 0, or -1 with dc_error set.
 */
int dc_check_protection(git_repository *repo, const dc_policy *p, const char *policy_file, dc_diags *diags);

/* The branch HEAD names ("refs/heads/master"), born or not, in *out
 * (caller frees): 0; 1 when HEAD is detached or missing; -1. */
int dc_head_branch(git_repository *repo, char **out);

/*
 * The branch the reading commands (register, history, show, review-due,
 * publish) read: the first ref of the policy's `protected` list that exists
 * in `repo` (a glob takes its first match by name), in *out (caller frees),
 * NULL when none exists (they read HEAD then). Returns 0, or -1.
 */
int dc_protected_branch(char **out, git_repository *repo, const dc_policy *p);

#endif
