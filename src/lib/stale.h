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
 * The same for every approved document of `set` that `o` wants, read from
 * the project's source, against its version at the same path in `base`
 * (the tree the source was made from; NULL: nothing to compare). A blob
 * that did not change is not read again. Returns 0, or -1 with dc_error set.
 */
int dc_stale_check_set(const dc_project *p, const dc_docset *set, const dc_check_opts *o, git_tree *base,
		       const char *prefix, dc_diags *diags);

#endif
