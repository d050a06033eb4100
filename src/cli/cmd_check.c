/*
 * cmd_check.c - `docctl check`: validate the working tree or a commit.
 */
#include <getopt.h>
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
		rc = dc_error_set_git("cannot read the previous version of the tree checked");
done:
	git_commit_free(parent);
	git_commit_free(c);
	git_object_free(obj);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "rev", required_argument, NULL, 'r' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_format format = FORMAT_TEXT;
	const char *rev = NULL, *as_of = NULL;
	cli_project proj;
	dc_check_opts o;
	dc_docset set;
	dc_diags diags;
	git_oid tip;
	git_tree *prev = NULL, *now = NULL;
	dc_stale *stale = NULL;
	char **only = NULL;
	int c, strict = 0, rc, i, nonly = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cli_format_parse(&format, optarg) < 0)
				return cli_usage_error("check", "unknown format '%s'", optarg);
			break;
		case 's': strict = 1; break;
		case 'r': rev = optarg; break;
		case 'a': as_of = optarg; break;
		case 'h':
			printf("usage: docctl check [--format text|json|sarif] [--strict] [--rev REV] [--as-of DATE] [PATH...]\n");
			return EXIT_OK;
		default:
			return cli_usage_error("check", "bad option");
		}
	}
	memset(&o, 0, sizeof(o));
	if (cli_as_of("check", &o.today, as_of) != 0)
		return EXIT_FATAL;
	dc_diags_init(&diags);
	dc_docset_init(&set);
	rc = cli_project_open(&proj, rev, &diags);
	if (rc < 0) {
		rc = cli_fail("cannot open the project");
		goto cleanup;
	}
	if (rc > 0)
		goto report;
	if (optind < argc) {
		only = calloc((size_t)(argc - optind), sizeof(char *));
		for (i = optind; only && i < argc; i++) {
			dc_buf rel = DC_BUF_INIT;

			if (project_path(&rel, proj.root, argv[i]) < 0) {
				dc_buf_dispose(&rel);
				rc = cli_usage_error("check", "'%s' is outside the project at %s", argv[i], proj.root);
				goto cleanup;
			}
			only[nonly++] = dc_buf_detach(&rel);
		}
		o.only = (const char **)only;
		o.nonly = (size_t)nonly;
	}
	if (proj.repo && history_tip(&tip, proj.repo, rev) == 0) {
		o.history_repo = proj.repo;
		o.history_tip = &tip;
		o.history_prefix = proj.prefix;
	}
	if ((proj.repo && (previous_tree(&prev, &now, proj.repo, rev) < 0 ||
			   dc_stale_begin(&stale, proj.project, prev, now, proj.prefix) < 0)) ||
	    dc_check_all(proj.project, &o, &set, &diags) < 0 || dc_stale_end(stale, &set, &o, &diags) < 0 ||
	    (!rev && dc_check_protection(proj.repo, proj.project->policy, DC_POLICY_FILE, &diags) < 0)) {
		rc = cli_fail("check failed");
		goto cleanup;
	}
	/* a PATH that names no controlled document is a mistake, not a pass */
	for (i = 0; i < nonly; i++) {
		dc_check_opts one = o;
		size_t k;

		one.only = (const char **)&only[i];
		one.nonly = 1;
		for (k = 0; k < set.n && !dc_check_wanted(&one, set.docs[k].path); k++)
			;
		if (k == set.n) {
			rc = cli_usage_error("check", "'%s' names no controlled document (a *.md file under %s)", argv[optind + i],
					     "the policy's roots");
			goto cleanup;
		}
	}
report:
	dc_diags_sort(&diags);
	cli_print_diags(stdout, &diags, format, strict);
	rc = cli_exit_code(&diags, strict);
	fflush(stdout);
	if (format == FORMAT_TEXT && rc != EXIT_FATAL)
		fprintf(stderr, "docctl: %zu error%s, %zu warning%s in %zu document%s\n",
			dc_diags_errors(&diags, 0), dc_diags_errors(&diags, 0) == 1 ? "" : "s",
			dc_diags_warnings(&diags), dc_diags_warnings(&diags) == 1 ? "" : "s",
			set.n, set.n == 1 ? "" : "s");
cleanup:
	for (i = 0; i < nonly; i++)
		free(only[i]);
	free(only);
	dc_stale_free(stale);
	git_tree_free(prev);
	git_tree_free(now);
	dc_docset_dispose(&set);
	dc_diags_dispose(&diags);
	cli_project_close(&proj);
	return rc;
}
