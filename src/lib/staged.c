/*
 * staged.c - the state a commit is about to record (see staged.h).
 */
#include "staged.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "error.h"

#define GIT_OUTPUT_MAX ((size_t)256 * 1024 * 1024)
#define GIT_TIMEOUT_MS 60000

static int head_tree(git_tree **out, git_repository *repo)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	rc = git_revparse_single(&obj, repo, "HEAD^{tree}");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return 0; /* the first commit */
	if (rc < 0)
		return dc_error_set_git("cannot read HEAD");
	*out = (git_tree *)obj;
	return 0;
}

/* One record of `git diff-index --raw -z`: ":OLDMODE NEWMODE OLDOID NEWOID
 * STATUS" NUL PATH NUL. Returns 1 for a status this way cannot take
 * (unmerged), -1 when the output is not understood. */
static int parse_record(dc_filechange *f, const char *meta, const char *path, dc_arena *arena)
{
	unsigned long om, nm;
	char ohex[GIT_OID_HEXSZ + 1], nhex[GIT_OID_HEXSZ + 1], status;

	if (sscanf(meta, ":%lo %lo %40s %40s %c", &om, &nm, ohex, nhex, &status) != 5 ||
	    strlen(ohex) != GIT_OID_HEXSZ || strlen(nhex) != GIT_OID_HEXSZ)
		return -1;
	if (status != 'A' && status != 'D' && status != 'M' && status != 'T')
		return 1;
	memset(f, 0, sizeof(*f));
	if (!(f->path = dc_arena_strdup(arena, path)))
		return -1;
	f->has_old = status != 'A';
	f->has_new = status != 'D';
	f->old_mode = (git_filemode_t)om;
	f->new_mode = (git_filemode_t)nm;
	if (git_oid_fromstr(&f->old_oid, ohex) < 0 || git_oid_fromstr(&f->new_oid, nhex) < 0)
		return -1;
	return 0;
}

/* git's list of the files the index changes from HEAD. Returns 0, 1 when
 * it cannot be had this way, -1 on failure. */
static int staged_files(dc_staged *s)
{
	static const char *const argv[] = { "git", "diff-index", "--cached", "--raw", "-z", "--no-renames",
					    "--ignore-submodules=all", "HEAD", "--", NULL };
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };
	size_t cap = 0, pos = 0;
	int rc = 1;

	if (git_repository_is_bare(s->repo))
		return 1;
	if (dc_spawn(&res, ".", argv, "/dev/null", GIT_OUTPUT_MAX, GIT_TIMEOUT_MS) < 0 || res.code != 0 ||
	    res.out.len >= GIT_OUTPUT_MAX)
		goto done; /* no git, or it failed: the whole way will say why */
	while (pos < res.out.len) {
		const char *meta = res.out.ptr + pos;
		const char *path = memchr(meta, '\0', res.out.len - pos);
		const char *end;
		int r;

		if (!path || !(end = memchr(path + 1, '\0', res.out.len - (size_t)(path + 1 - res.out.ptr))))
			goto bad;
		path++;
		if (s->nfiles == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			dc_filechange *p = realloc(s->files, ncap * sizeof(*p));

			if (!p) {
				rc = dc_error_set("out of memory");
				goto done;
			}
			s->files = p;
			cap = ncap;
		}
		r = parse_record(&s->files[s->nfiles], meta, path, &s->arena);
		if (r < 0)
			goto bad;
		if (r > 0)
			goto done; /* unmerged: the whole way */
		s->nfiles++;
		pos = (size_t)(end + 1 - res.out.ptr);
	}
	rc = 0;
	goto done;
bad:
	rc = 1; /* output not understood: the whole way */
done:
	dc_child_dispose(&res);
	return rc;
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
		if (git_repository_index(&s->index, repo) < 0)
			return dc_error_set_git("cannot read the index");
		rc = dc_source_open_index(&s->src, repo, s->index, "");
	}
	if (rc < 0)
		return -1;
	rc = dc_project_open(&s->proj, s->src, diags);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	if (s->whole)
		return dc_delta_compute(&s->delta, repo, s->proj->policy, "", s->head, s->index, NULL);
	return dc_delta_from_files(&s->delta, repo, s->proj->policy, "", s->files, s->nfiles);
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

	for (i = 0; i < s->delta.nother; i++)
		if (!strcmp(s->delta.other_paths[i], DC_POLICY_FILE) || !strncmp(s->delta.other_paths[i], "schema/", 7))
			return 1;
	return 0;
}
