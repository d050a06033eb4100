/*
 * staged.h - the state a commit is about to record (the index), opened for
 * the client hooks.
 *
 * The quick way reads HEAD's tree and the list of files `git diff-index
 * --cached` says the index changes, and overlays one on the other: the
 * cost follows the change (git reads its index far faster than libgit2,
 * which takes ~0.1 s for 100,000 entries). The whole way opens libgit2's
 * index; it is taken when the quick way cannot serve: before the first
 * commit, an unmerged index, no git program, or when every document is to
 * be checked (the policy changed), since an overlay cannot be listed.
 */
#ifndef DC_STAGED_H
#define DC_STAGED_H

#include <git2.h>

#include "arena.h"
#include "delta.h"
#include "diag.h"
#include "project.h"
#include "source.h"

typedef struct {
	git_repository *repo;    /* borrowed */
	git_tree *head;          /* HEAD's tree; NULL before the first commit */
	git_index *index;        /* the whole way only */
	dc_source *src;          /* the staged state */
	dc_project *proj;        /* its policy and schemas */
	dc_delta delta;          /* what changes from HEAD */
	dc_filechange *files;    /* the quick way: git's list */
	size_t nfiles, capfiles;
	dc_arena arena;
	int whole;
} dc_staged;

/*
 * Opens the staged state of `repo` (GIT_INDEX_FILE is honoured), the whole
 * way when `whole`. Returns 0, 1 when its policy or a schema is broken
 * (the findings are in `diags`), -1 on failure. Close it in any case.
 */
int dc_staged_open(dc_staged *s, git_repository *repo, int whole, dc_diags *diags);
void dc_staged_close(dc_staged *s);

/* Nonzero when the change touches the policy or a schema. */
int dc_staged_policy_changed(const dc_staged *s);

#endif
