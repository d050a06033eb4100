/*
 * stale.h - approval.stale for `check` and pre-commit (reference §6.2 item
 * 5, §5): an approved document whose content (the revision included)
 * differs from the previous version's while its approval fields are equal
 * to that version's, an approval copied over to a new revision. The
 * previous version is HEAD's for the working tree and the index, the
 * first parent's for `check --rev`. (The server decides the same rule from
 * the commits new to the ref, elsewhere.)
 */
#ifndef DC_STALE_H
#define DC_STALE_H

#include <git2.h>

#include "check.h"
#include "document.h"

/* Appends approval.stale when `now` (approved) carries `before`'s approval
 * over a content change. Returns 0, or -1 on failure. */
int dc_stale_check(const dc_doc *before, const dc_doc *now, dc_diags *diags);

/*
 * The same for every approved document of a check of `p`'s source, against
 * its version at the same path in `base` (the tree the source was made
 * from, which must outlive the run; NULL: nothing to compare). Begin before
 * the check: for a working tree, which tracked files are known to be
 * `base`'s blobs (the index's blob ids and stat data, as `git status`
 * tells) is worked out on another thread meanwhile, so only the files that
 * changed are read again. End after it, with the check's summaries; free
 * it in any case (NULL-safe). Return 0, or -1 with dc_error set.
 */
typedef struct dc_stale dc_stale;
int dc_stale_begin(dc_stale **out, const dc_project *p, git_tree *base, const char *prefix);
int dc_stale_end(dc_stale *s, const dc_docset *set, const dc_check_opts *o, dc_diags *diags);
void dc_stale_free(dc_stale *s);

#endif
