/*
 * stale.h - approval.stale for `check` and pre-commit (reference §6.2 item
 * 5, §5): an approved document whose content (the revision included)
 * differs from the previous version's while its approval fields are equal
 * to that version's, an approval copied over to a new revision. The
 * previous version is HEAD's for the working tree and the index, the
 * first parent's for `check --rev`. (On a protected ref the server
 * decides the same rule from the commits new to the ref, elsewhere; on
 * other refs it compares as `check --rev` does: reference §6.4.)
 */
#ifndef DC_STALE_H
#define DC_STALE_H

#include <git2.h>

#include "check.h"
#include "delta.h"
#include "document.h"

/* Appends approval.stale when `now` (approved) carries `before`'s approval
 * over a content change. Returns 0, or -1 on failure. */
int dc_stale_check(const dc_doc *before, const dc_doc *now, dc_diags *diags);

/* The same between two trees of one repository, by `pol`'s roots under
 * `prefix` (`before` NULL: nothing to compare): as `check --rev` compares
 * REV with its first parent. Returns 0, or -1 with dc_error set. */
int dc_stale_trees(const dc_policy *pol, const char *prefix, git_tree *before, git_tree *now,
		   const dc_check_opts *o, dc_diags *diags);

/*
 * The same for a check of `p`'s source against `base` (HEAD's tree, or the
 * first parent's; NULL: nothing to compare). With `now_tree` (the tree
 * checked, for `check --rev`) the documents that changed between the two,
 * matched by id as pre-commit and the server match them. Without it (the
 * working tree) each approved document against its version at the same
 * path in `base`: begin before the check, and which tracked files are
 * still `base`'s blobs (git diff-index, or the index's blob ids and stat
 * data) is worked out on another thread meanwhile, so only the files that
 * changed are read again. End after the check, with its summaries; free it
 * in any case (NULL-safe). The trees must outlive it. Return 0, or -1 with
 * dc_error set.
 */
typedef struct dc_stale dc_stale;
int dc_stale_begin(dc_stale **out, const dc_project *p, git_tree *base, git_tree *now_tree, const char *prefix);
int dc_stale_end(dc_stale *s, const dc_docset *set, const dc_check_opts *o, dc_diags *diags);
void dc_stale_free(dc_stale *s);

#endif
