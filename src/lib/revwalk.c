/*
 * revwalk.c - a walk of the history from one commit (see revwalk.h).
 */
#include "revwalk.h"

int dc_revwalk_from(git_revwalk **out, git_repository *repo, const git_oid *tip,
		    const git_oid *hide)
{
	int rc;

	*out = NULL;
	if ((rc = git_revwalk_new(out, repo)) < 0)
		return rc;
	if ((rc = git_revwalk_push(*out, tip)) < 0 || (hide && (rc = git_revwalk_hide(*out, hide)) < 0)) {
		git_revwalk_free(*out);
		*out = NULL;
	}
	return rc;
}
