/*
 * treediff.h - the paths whose entries differ between two trees, as git's
 * own tree-diff.c finds them: the raw tree objects are read from the object
 * database and merge-walked in git's order, a subtree whose id is the same on
 * both sides is skipped without being read, and a path is built only for an
 * entry that differs. This is what a push of 1,000 commits into folders of
 * 47,000 documents needs: libgit2's git_diff_tree_to_tree reads and names
 * every entry of every tree on both sides.
 *
 * What is reported: every non-tree entry (a blob, a symlink, a submodule
 * commit) whose mode or id differs, or that exists on one side only, in the
 * order of git_diff_tree_to_tree (strcmp of the full paths). A path that is a
 * file on one side and a folder on the other reports the file (with the
 * other side absent) and every entry under the folder. Only SHA-1
 * repositories are supported.
 */
#ifndef DC_TREEDIFF_H
#define DC_TREEDIFF_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

/* One side of a differing entry. */
typedef struct {
	uint32_t mode;   /* as written in the tree: 0100644, 0100755, 0120000, 0160000 */
	git_oid id;
} dc_treediff_side;

/*
 * Called for each differing entry with its full path from the root
 * ("records/2026/a.md", valid during the call only) and its two sides, NULL
 * for the side where there is no such non-tree entry. Both sides are given
 * even when their types differ (a file that became a symlink); libgit2
 * reports that as a deletion and an addition. A non-zero return stops the
 * walk, and the diff returns that value.
 */
typedef int (*dc_treediff_cb)(const char *path, const dc_treediff_side *old_side,
			      const dc_treediff_side *new_side, void *payload);

/* A session of diffs: the repository's object database and the recently read
 * big trees, so that a commit's trees, read as the new side of one diff, are
 * not read again as the old side of its child's. */
typedef struct dc_treediff_session dc_treediff_session;

/* Fails (-1, dc_error set) on a repository whose objects are not SHA-1. */
int dc_treediff_session_new(dc_treediff_session **out, git_repository *repo);
void dc_treediff_session_free(dc_treediff_session *s);

/*
 * Compares the trees `old_tree` and `new_tree` (NULL: the empty tree). When
 * `npaths` is not 0, only entries at or under one of `paths` are reported
 * (literal paths from the root, no globs: "docs" takes "docs" and
 * "docs/x.md", not "docs2"; "docs/" takes only a folder "docs"), as
 * GIT_DIFF_DISABLE_PATHSPEC_MATCH does; unlike it, "" takes everything. Returns 0, -1 with dc_error set
 * (an unreadable or malformed tree), or the callback's non-zero value.
 */
int dc_treediff_run(dc_treediff_session *s, const git_oid *old_tree, const git_oid *new_tree,
		    const char *const *paths, size_t npaths, dc_treediff_cb cb, void *payload);

/*
 * The same walk, reported as git_diff_tree_to_tree() followed by
 * git_diff_foreach() with only a file callback would: one delta per path
 * (GIT_DELTA_ADDED, _DELETED or _MODIFIED; both paths set, as libgit2 does),
 * and a change of type (a file that became a symlink or a submodule) as a
 * deletion then an addition. `flags` may hold GIT_DIFF_IGNORE_SUBMODULES
 * (a submodule that moved is no change); other flags are ignored. Only the
 * status, nfiles and each side's path, id, mode and GIT_DIFF_FLAG_EXISTS are
 * filled in; `progress` is 0.
 */
int dc_treediff_foreach(dc_treediff_session *s, const git_oid *old_tree, const git_oid *new_tree,
			const char *const *paths, size_t npaths, uint32_t flags, git_diff_file_cb cb,
			void *payload);

/* One diff without a session. */
int dc_treediff(git_repository *repo, const git_oid *old_tree, const git_oid *new_tree,
		const char *const *paths, size_t npaths, dc_treediff_cb cb, void *payload);

#endif
