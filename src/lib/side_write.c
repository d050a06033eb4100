/*
 * side_write.c - a commit on a side ref built in the object database
 * (side_write.h): git_tree_create_updated() sets the files on the
 * parent's tree, whatever else the tree holds is kept as it is.
 */
#include "side_write.h"

#include <stdlib.h>

#include "error.h"
#include "i18n.h"

int dc_side_read(dc_buf *out, git_repository *repo, const git_oid *commit, const char *path)
{
	git_commit *c = NULL;
	git_object *blob = NULL;
	int rc = -1, found;

	dc_buf_clear(out);
	if (!commit)
		return 1;
	if (git_commit_lookup(&c, repo, commit) < 0) {
		dc_error_set_git(_("cannot read the side ref's commit"));
		return -1;
	}
	found = git_object_lookup_bypath(&blob, (git_object *)c, path, GIT_OBJECT_BLOB);
	if (found == GIT_ENOTFOUND)
		rc = 1;
	else if (found < 0)
		dc_error_set_git(_("cannot read the side ref's file"));
	else
		rc = dc_buf_put(out, git_blob_rawcontent((git_blob *)blob), (size_t)git_blob_rawsize((git_blob *)blob)) < 0 ? -1 : 0;
	git_object_free(blob);
	git_commit_free(c);
	return rc;
}

int dc_side_commit(git_oid *out, git_repository *repo, const git_oid *parent, const dc_side_file *files,
		   size_t nfiles, const git_signature *author, const git_signature *committer, const char *message)
{
	git_commit *pc = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_tree_update *up = NULL;
	git_oid tree_id;
	size_t i;
	int rc = -1;

	if (parent && (git_commit_lookup(&pc, repo, parent) < 0 || git_commit_tree(&base, pc) < 0))
		goto git_fail;
	if (!(up = calloc(nfiles ? nfiles : 1, sizeof(*up)))) {
		dc_error_oom();
		goto out;
	}
	for (i = 0; i < nfiles; i++) {
		up[i].action = GIT_TREE_UPDATE_UPSERT;
		up[i].filemode = GIT_FILEMODE_BLOB;
		up[i].path = files[i].path;
		if (git_blob_create_from_buffer(&up[i].id, repo, files[i].data, files[i].len) < 0)
			goto git_fail;
	}
	if (!base) {
		/* no parent yet: the files on an empty tree */
		git_treebuilder *tb = NULL;
		git_oid empty;
		int bad = git_treebuilder_new(&tb, repo, NULL) < 0 || git_treebuilder_write(&empty, tb) < 0 ||
			  git_tree_lookup(&base, repo, &empty) < 0;

		git_treebuilder_free(tb);
		if (bad)
			goto git_fail;
	}
	if (git_tree_create_updated(&tree_id, repo, base, nfiles, up) < 0)
		goto git_fail;
	if (git_tree_lookup(&tree, repo, &tree_id) < 0 ||
	    git_commit_create(out, repo, NULL, author, committer, NULL, message, tree, pc ? 1 : 0,
			      (const git_commit **)&pc) < 0)
		goto git_fail;
	rc = 0;
	goto out;
git_fail:
	dc_error_set_git(_("cannot write the commit on the side ref"));
out:
	free(up);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(pc);
	return rc;
}
