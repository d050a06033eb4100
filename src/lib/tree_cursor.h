/*
 * tree_cursor.h - blobs looked up by path in one tree, folder by folder:
 * the tree of the folder last read is kept, so paths that come in order
 * (as a docset's or an index's do) read each folder once.
 */
#ifndef DC_TREE_CURSOR_H
#define DC_TREE_CURSOR_H

#include <git2.h>

#include "buf.h"

typedef struct {
	git_tree *base;       /* borrowed */
	git_tree *dir_tree;   /* the tree of `dir`, NULL when there is none */
	dc_buf dir;
	int valid;            /* dir and dir_tree are set */
} dc_tree_cursor;

void dc_tree_cursor_init(dc_tree_cursor *c, git_tree *base);
/* Frees what the cursor read (not `base`). */
void dc_tree_cursor_dispose(dc_tree_cursor *c);
/* The blob entry at `path` in *out (borrowed: valid until the next call):
 * 1, 0 when there is none (no such path, or not a blob), -1 when a folder's
 * tree cannot be read (error set). */
int dc_tree_cursor_blob(dc_tree_cursor *c, const char *path, const git_tree_entry **out);

/* The folder at `path` in `tree` ("" is the tree itself) in *out, for the
 * caller to free: 1; 0 when `path` names no folder (*out NULL); or a
 * libgit2 error (< 0, *out NULL) for the caller's own message. */
int dc_tree_folder(git_tree **out, git_tree *tree, const char *path);

#endif
