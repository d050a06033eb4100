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
	if (dc_check_all(proj.project, &o, &set, &diags) < 0 ||
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
	dc_docset_dispose(&set);
	dc_diags_dispose(&diags);
	cli_project_close(&proj);
	return rc;
}
