/*
 * staged.c - the state a commit is about to record (see staged.h).
 */
#include "staged.h"

#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "rawdiff.h"

static int head_tree(git_tree **out, git_repository *repo)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	rc = git_revparse_single(&obj, repo, "HEAD^{tree}");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return 0; /* the first commit */
	if (rc < 0)
		return dc_error_set_git(_("cannot read HEAD"));
	*out = (git_tree *)obj;
	return 0;
}

static int add_file(const dc_filechange *f, void *payload)
{
	dc_staged *s = payload;

	if (dc_array_grow(&s->files, &s->capfiles, s->nfiles, sizeof(*s->files)) < 0)
		return -1;
	s->files[s->nfiles++] = *f;
	return 0;
}

/* git's list of the files the index changes from HEAD. Returns 0, 1 when
 * it cannot be had this way (then the whole way says why), -1 on failure. */
static int staged_files(dc_staged *s)
{
	/* gitlinks included: one under the roots is refused (check_tree.h) */
	static const char *const argv[] = { "git", "diff-index", "--cached", "--raw", "-z", "--no-renames",
					    "HEAD", "--", NULL };
	dc_rawdiff_cb cb = { NULL, add_file, s };
	int rc;

	if (git_repository_is_bare(s->repo))
		return 1;
	rc = dc_rawdiff_run(".", argv, "/dev/null", &s->arena, &cb);
	return rc < 0 ? -1 : rc > 0;
}

int dc_staged_open(dc_staged *s, git_repository *repo, int whole, dc_diags *diags)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->repo = repo;
	dc_arena_init(&s->arena);
	dc_delta_init(&s->delta);
	if (head_tree(&s->head, repo) < 0)
		return -1;
	rc = !whole && s->head ? staged_files(s) : 1;
	if (rc < 0)
		return -1;
	if (rc == 0) {
		rc = dc_source_open_overlay(&s->src, repo, s->head, "", s->files, s->nfiles);
	} else {
		s->whole = 1;
		/* the index git names for this commit (`commit -a`, `commit
		 * <paths>` and linked worktrees each have their own) */
		if (getenv("GIT_INDEX_FILE") && *getenv("GIT_INDEX_FILE") ?
			    git_index_open(&s->index, getenv("GIT_INDEX_FILE")) < 0 :
			    git_repository_index(&s->index, repo) < 0)
			return dc_error_set_git(_("cannot read the index"));
		rc = dc_source_open_index(&s->src, repo, s->index, "");
	}
	if (rc < 0)
		return -1;
	rc = dc_project_open(&s->proj, s->src, diags);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	if (s->whole)
		rc = dc_delta_compute(&s->delta, repo, s->proj->policy, "", s->head, s->index, NULL);
	else
		rc = dc_delta_from_files(&s->delta, repo, s->proj->policy, "", s->files, s->nfiles);
	/* attachments (reference §9.3): a changed listed file changes its document */
	if (rc == 0)
		rc = dc_attach_delta(&s->delta, repo, s->proj->policy, NULL, s->head, s->src, s->proj, 0, diags);
	return rc;
}

void dc_staged_close(dc_staged *s)
{
	dc_delta_dispose(&s->delta);
	dc_project_free(s->proj);
	dc_source_free(s->src);
	git_index_free(s->index);
	git_tree_free(s->head);
	free(s->files);
	dc_arena_dispose(&s->arena);
	memset(s, 0, sizeof(*s));
}

int dc_staged_policy_changed(const dc_staged *s)
{
	size_t i;

	for (i = 0; i < s->delta.other.n; i++)
		if (!strcmp(s->delta.other.v[i], DC_POLICY_FILE) || !strncmp(s->delta.other.v[i], "schema/", 7))
			return 1;
	return 0;
}
