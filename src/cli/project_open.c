/*
 * project_open.c - finding and opening the project a command works on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "error.h"

static int has_policy(const char *dir)
{
	dc_buf p = DC_BUF_INIT;
	struct stat st;
	int rc;

	dc_buf_printf(&p, "%s/%s", dir, DC_POLICY_FILE);
	rc = lstat(p.ptr, &st) == 0;
	dc_buf_dispose(&p);
	return rc;
}

int cli_project_locate(cli_project *p)
{
	char *cwd = getcwd(NULL, 0), *top = NULL, *dir;
	const char *wd;

	memset(p, 0, sizeof(*p));
	if (!cwd)
		return dc_error_set(_("cannot read the current folder: %s"), strerror(errno));
	if (git_repository_open_ext(&p->repo, cwd, 0, NULL) == 0) {
		if (git_repository_is_bare(p->repo) || !(wd = git_repository_workdir(p->repo))) {
			free(cwd);
			return dc_error_set(_("this is a bare repository; run docctl in a working tree, or use --rev"));
		}
		top = realpath(wd, NULL);
	}
	dir = realpath(cwd, NULL);
	free(cwd);
	if (!dir) {
		free(top);
		return dc_error_set(_("cannot resolve the current folder"));
	}
	/* the nearest folder holding docctl.yaml, not above the work tree's top */
	for (;;) {
		char *slash;

		if (has_policy(dir))
			break;
		if ((top && !strcmp(dir, top)) || !strcmp(dir, "/")) {
			if (top) {
				free(dir);
				dir = strdup(top);
			}
			break;
		}
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	if (!top) {
		/* outside git: the folder holding docctl.yaml, else the current one */
		if (!has_policy(dir)) {
			free(dir);
			dir = getcwd(NULL, 0);
		}
	}
	p->root = dir;
	if (top && strlen(dir) > strlen(top))
		p->prefix = strdup(dir + strlen(top) + (strcmp(top, "/") ? 1 : 0));
	else
		p->prefix = strdup("");
	free(top);
	if (!p->root || !p->prefix)
		return dc_error_oom();
	return 0;
}

/* A bare repository (a server) has no work tree: with --rev, the project is
 * the tree of REV at the repository's top. 1 when it is one, 0, or -1. */
static int locate_bare(cli_project *p)
{
	git_repository *repo = NULL;
	char *cwd = getcwd(NULL, 0);
	int rc = 0;

	if (cwd && git_repository_open_ext(&repo, cwd, 0, NULL) == 0 && git_repository_is_bare(repo)) {
		memset(p, 0, sizeof(*p));
		p->repo = repo;
		p->root = strdup(git_repository_path(repo));
		p->prefix = strdup("");
		repo = NULL;
		rc = p->root && p->prefix ? 1 : dc_error_oom();
	}
	git_repository_free(repo);
	free(cwd);
	return rc;
}

int cli_project_open(cli_project *p, const char *rev, dc_diags *diags)
{
	int rc;

	if (!rev || (rc = locate_bare(p)) == 0)
		rc = cli_project_locate(p);
	if (rc < 0)
		return rc;
	if (rev) {
		git_object *obj = NULL;
		git_tree *tree = NULL;

		if (!p->repo)
			return dc_error_set(_("--rev needs a git repository"));
		if (git_revparse_single(&obj, p->repo, rev) < 0)
			return dc_error_set(_("unknown revision '%s'"), rev);
		if (git_object_peel((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
			git_object_free(obj);
			return dc_error_set(_("'%s' does not name a commit or a tree"), rev);
		}
		rc = dc_source_open_tree(&p->src, p->repo, tree, p->prefix);
		git_tree_free(tree);
		git_object_free(obj);
	} else {
		rc = dc_source_open_worktree(&p->src, p->repo, p->root);
	}
	if (rc < 0)
		return rc;
	return dc_project_open(&p->project, p->src, diags);
}

char *cli_user_email(git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char *email = NULL;

	if (repo && git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string_buf(&b, cfg, "user.email") == 0)
		email = strdup(b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	return email;
}

int cli_project_read_docs(dc_docset *set, const dc_project *project, const dc_date *today)
{
	dc_check_opts o;
	dc_diags diags;
	int rc;

	memset(&o, 0, sizeof(o));
	o.today = *today;
	dc_diags_init(&diags);
	rc = dc_check_all(project, &o, set, &diags);
	dc_diags_dispose(&diags);
	return rc < 0 ? -1 : 0;
}

void cli_project_close(cli_project *p)
{
	dc_project_free(p->project);
	dc_source_free(p->src);
	git_repository_free(p->repo);
	free(p->root);
	free(p->prefix);
	memset(p, 0, sizeof(*p));
}
