/*
 * tree_cursor.c - blobs looked up by path in one tree, folder by folder
 * (see tree_cursor.h).
 */
#include <string.h>

#include "error.h"
#include "i18n.h"
#include "tree_cursor.h"

void dc_tree_cursor_init(dc_tree_cursor *c, git_tree *base)
{
	memset(c, 0, sizeof(*c));
	c->base = base;
	dc_buf_init(&c->dir);
}

void dc_tree_cursor_dispose(dc_tree_cursor *c)
{
	git_tree_free(c->dir_tree);
	c->dir_tree = NULL;
	dc_buf_dispose(&c->dir);
	c->valid = 0;
}

/* Reads the tree of the folder `path` of length len into c->dir_tree (NULL
 * when it is no folder): 0, or -1. */
static int read_dir(dc_tree_cursor *c, const char *path, size_t len)
{
	git_tree_entry *e = NULL;
	int rc = 0;

	git_tree_free(c->dir_tree);
	c->dir_tree = NULL;
	c->valid = 0;
	dc_buf_clear(&c->dir);
	if (dc_buf_put(&c->dir, path, len) < 0)
		return -1;
	if (len && git_tree_entry_bypath(&e, c->base, c->dir.ptr) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&c->dir_tree, git_tree_owner(c->base), git_tree_entry_id(e)) < 0) {
		c->dir_tree = NULL;
		rc = dc_error_set_git(_("cannot read a tree"));
	}
	git_tree_entry_free(e);
	c->valid = rc == 0;
	return rc;
}

int dc_tree_cursor_blob(dc_tree_cursor *c, const char *path, const git_tree_entry **out)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	const git_tree_entry *e;

	if ((!c->valid || c->dir.len != len || memcmp(c->dir.ptr, path, len)) && read_dir(c, path, len) < 0)
		return -1;
	if (len && !c->dir_tree)
		return 0;
	e = git_tree_entry_byname(len ? c->dir_tree : c->base, slash ? slash + 1 : path);
	if (!e || git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	*out = e;
	return 1;
}

int dc_tree_folder(git_tree **out, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	if (!*path)
		return (rc = git_tree_dup(out, tree)) < 0 ? rc : 1;
	rc = git_tree_entry_bypath(&e, tree, path);
	if (rc == GIT_ENOTFOUND || (rc == 0 && git_tree_entry_type(e) != GIT_OBJECT_TREE))
		rc = 0;
	else if (rc == 0 && (rc = git_tree_lookup(out, git_tree_owner(tree), git_tree_entry_id(e))) == 0)
		rc = 1;
	git_tree_entry_free(e);
	return rc;
}
