/*
 * cmd_check.c - `docctl check`: validate the working tree or a commit.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "cli.h"
#include "protection.h"
#include "error.h"
#include "stale.h"

/* PATH (relative to the current folder) as a path relative to the project
 * root, lexically normalised. Returns 0, or -1 when it lies outside. */
static int project_path(dc_buf *out, const char *root, const char *path)
{
	dc_buf abs = DC_BUF_INIT, norm = DC_BUF_INIT;
	char *cwd = getcwd(NULL, 0);
	size_t rlen = strlen(root);
	int rc = 0;

	if (path[0] == '/')
		dc_buf_puts(&abs, path);
	else
		dc_buf_printf(&abs, "%s/%s", cwd ? cwd : ".", path);
	free(cwd);
	if (dc_path_normalize(&norm, "", abs.ptr) < 0) {
		rc = -1;
		goto done;
	}
	dc_buf_clear(out);
	if (rlen == 1) /* the root is "/" */
		dc_buf_puts(out, norm.ptr);
	else if (!strncmp(norm.ptr, root + 1, rlen - 1) && (norm.ptr[rlen - 1] == '/' || !norm.ptr[rlen - 1]))
		dc_buf_puts(out, norm.ptr + rlen - 1 + (norm.ptr[rlen - 1] == '/'));
	else
		rc = -1;
done:
	dc_buf_dispose(&abs);
	dc_buf_dispose(&norm);
	return rc;
}

/* The commit whose history says which successors were approved: that of
 * REV, or HEAD for the working tree. Returns 0, or -1 when there is none. */
static int history_tip(git_oid *out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL, *commit = NULL;
	int rc;

	if (!rev)
		return git_reference_name_to_id(out, repo, "HEAD") < 0 ? -1 : 0;
	if (git_revparse_single(&obj, repo, rev) < 0)
		return -1;
	if ((rc = git_object_peel(&commit, obj, GIT_OBJECT_COMMIT)) == 0)
		git_oid_cpy(out, git_object_id(commit));
	git_object_free(commit);
	git_object_free(obj);
	return rc < 0 ? -1 : 0;
}

/* The tree approval.stale compares with: HEAD's for the working tree,
 * REV's first parent's for --rev (and REV's own in *now); *out NULL when
 * there is none (no commit yet, a root commit, a tree). Returns 0, or -1
 * with dc_error set. */
static int previous_tree(git_tree **out, git_tree **now, git_repository *repo, const char *rev)
{
	git_object *obj = NULL;
	git_commit *c = NULL, *parent = NULL;
	int rc = 0;

	*out = *now = NULL;
	if (git_revparse_single(&obj, repo, rev ? rev : "HEAD") < 0 ||
	    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0)
		goto done; /* no commit yet, or a tree */
	if (rev && (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) < 0))
		goto done; /* a root commit, or a shallow clone's first */
	if (rev ? git_commit_tree(out, parent) < 0 || git_commit_tree(now, c) < 0 : git_commit_tree(out, c) < 0)
		rc = dc_error_set_git(_("cannot read the previous version of the tree checked"));
done:
	git_commit_free(parent);
	git_commit_free(c);
	git_object_free(obj);
	return rc;
}

typedef struct {
	cli_read_args read;   /* first: cli_read_option takes the others */
	int strict;
} check_args;

const cli_option check_options[] = {
	{ "format", 0, "FORMAT", "text|json|sarif", N_("the output format: text for people, json or sarif (reference §5.1) for tools"),
	  "check --format sarif > docctl.sarif", 0 },
	{ "strict", 0, NULL, NULL, N_("warnings count as errors (exit 1)"), "check --strict",
	  CLI_FLAG(check_args, strict) },
	{ "rev", 0, "REV", NULL, N_("check the tree of a commit instead of the working tree"), "check --rev HEAD~1", 0 },
	{ "as-of", 0, "DATE", NULL, N_("take DATE (YYYY-MM-DD) as today for the date rules, as DOCCTL_AS_OF does"),
	  "check --as-of 2027-01-01", 0 },
	CLI_OPTIONS_END,
};



/* The PATHs as paths of the project in o->only: 0, or a usage error said. */
static int only_paths(dc_check_opts *o, char ***only, const cli_project *proj, int n, char **paths)
{
	int i;

	if (n == 0)
		return 0;
	if (!(*only = calloc((size_t)n, sizeof(char *))))
		return cli_fail(_("check failed"));
	for (i = 0; i < n; i++) {
		dc_buf rel = DC_BUF_INIT;

		if (project_path(&rel, proj->root, paths[i]) < 0) {
			dc_buf_dispose(&rel);
			return cli_usage_error("check", _("'%s' is outside the project at %s"), cli_esc(paths[i]),
					       cli_esc(proj->root));
		}
		(*only)[o->nonly++] = dc_buf_detach(&rel);
	}
	o->only = (const char **)*only;
	return 0;
}

/* Every check of the project into set and diags: 0, or -1 with dc_error set. */
static int run_checks(cli_project *proj, dc_check_opts *o, const char *rev, dc_docset *set, dc_diags *diags)
{
	git_tree *prev = NULL, *now = NULL;
	dc_stale *stale = NULL;
	git_oid tip;
	int rc = 0;

	if (proj->repo && history_tip(&tip, proj->repo, rev) == 0) {
		o->history_repo = proj->repo;
		o->history_tip = &tip;
		o->history_prefix = proj->prefix;
	}
	if ((proj->repo && (previous_tree(&prev, &now, proj->repo, rev) < 0 ||
			    dc_stale_begin(&stale, proj->project, prev, now, proj->prefix) < 0)) ||
	    dc_check_all(proj->project, o, set, diags) < 0 || dc_stale_end(stale, set, o, diags) < 0 ||
	    (!rev && dc_check_protection(proj->repo, proj->project->policy, DC_POLICY_FILE, diags) < 0))
		rc = -1;
	o->history_tip = NULL; /* it was &tip */
	dc_stale_free(stale);
	git_tree_free(prev);
	git_tree_free(now);
	return rc;
}

/* A PATH that names no controlled document (nor a file under the roots,
 * which the attachment rules judge: reference §9.3) is a mistake, not a
 * pass: 0, or a usage error said. */
static int paths_found(const dc_check_opts *o, const dc_docset *set, const dc_source *src, char **paths)
{
	size_t i, k;

	for (i = 0; i < o->nonly; i++) {
		dc_check_opts one = *o;

		one.only = &o->only[i];
		one.nonly = 1;
		for (k = 0; k < set->n && !dc_check_wanted(&one, set->docs[k].path); k++)
			;
		if (k == set->n && !dc_source_find(src, o->only[i]))
			return cli_usage_error("check", _("'%s' names no controlled document (a *.md file under %s)"),
					       cli_esc(paths[i]), _("the policy's roots"));
	}
	return 0;
}

static int report(const dc_diags *diags, const dc_docset *set, const check_args *a)
{
	size_t errors = dc_diags_errors(diags, 0), warnings = dc_diags_warnings(diags);
	int rc;

	cli_print_diags(stdout, diags, a->read.format, a->strict);
	rc = cli_exit_code(diags, a->strict);
	fflush(stdout);
	if (a->read.format == FORMAT_TEXT && rc != EXIT_FATAL) {
		/* three counts, each with its plural */
		fprintf(stderr, _("docctl: "));
		fprintf(stderr, P_("%zu error", "%zu errors", errors), errors);
		/* TRANSLATORS: between the count of errors and the count of warnings */
		fputs(_(", "), stderr);
		fprintf(stderr, P_("%zu warning", "%zu warnings", warnings), warnings);
		fprintf(stderr, P_(" in %zu document\n", " in %zu documents\n", set->n), set->n);
	}
	return rc;
}

int cmd_check(const cli_command *cmd, int argc, char **argv)
{
	check_args a = { { FORMAT_TEXT, NULL, NULL }, 0 };
	cli_project proj;
	dc_check_opts o;
	dc_docset set;
	dc_diags diags;
	char **only = NULL;
	size_t i;
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, cli_read_option, &a, &first)) != CLI_RUN)
		return rc;
	memset(&o, 0, sizeof(o));
	if (cli_as_of("check", &o.today, a.read.as_of) != 0)
		return EXIT_FATAL;
	dc_diags_init(&diags);
	dc_docset_init(&set);
	rc = cli_project_open(&proj, a.read.rev, &diags);
	if (rc < 0) {
		rc = cli_fail(_("cannot open the project"));
		goto cleanup;
	}
	if (rc == 0) {
		if ((rc = only_paths(&o, &only, &proj, argc - first, argv + first)) != 0)
			goto cleanup;
		if (run_checks(&proj, &o, a.read.rev, &set, &diags) < 0) {
			rc = cli_fail(_("check failed"));
			goto cleanup;
		}
		if ((rc = paths_found(&o, &set, proj.project->src, argv + first)) != 0)
			goto cleanup;
	}
	dc_diags_sort(&diags);
	rc = report(&diags, &set, &a);
cleanup:
	for (i = 0; i < o.nonly; i++)
		free(only[i]);
	free(only);
	dc_docset_dispose(&set);
	dc_diags_dispose(&diags);
	cli_project_close(&proj);
	return rc;
}
