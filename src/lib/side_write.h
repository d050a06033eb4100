/*
 * side_write.h - a commit on a side ref (the confirmations' ref of
 * reference §10, the feedback ref of §11) made directly in a repository's
 * object database with libgit2: no working tree, no clone, no git process.
 * What the commit holds is for the caller to build; whether it may land is
 * for the server's hooks to say when it is pushed.
 */
#ifndef DC_SIDE_WRITE_H
#define DC_SIDE_WRITE_H

#include <git2.h>
#include <stddef.h>

#include "buf.h"

/* One file the commit sets (a path such as "acks/li.wei.txt"). */
typedef struct {
	const char *path;
	const char *data;
	size_t len;
} dc_side_file;

/*
 * The blob at `path` in the tree of `commit` into `out` (cleared first).
 * Returns 0 when it is there, 1 when the commit is NULL or has no such
 * file (out left empty), -1 on failure (dc_error set).
 */
int dc_side_read(dc_buf *out, git_repository *repo, const git_oid *commit, const char *path);

/*
 * Writes the blobs of `files`, the tree of `parent` (NULL: an empty one)
 * with them set, and a commit of that tree on `parent` by `author` and
 * `committer` with `message`; its id in *out. No ref moves. Returns 0, or
 * -1 (dc_error set).
 */
int dc_side_commit(git_oid *out, git_repository *repo, const git_oid *parent, const dc_side_file *files,
		   size_t nfiles, const git_signature *author, const git_signature *committer, const char *message);

#endif
