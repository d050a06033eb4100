/*
 * cmd_hook.c - `docctl hook NAME`: the entry points git runs. Each hook is a
 * thin layer over the library; they all fail closed (SPEC §5.2): anything
 * that goes wrong refuses with the reason.
 *
 * DOCCTL_AS_OF=YYYY-MM-DD sets "today" for the date rules (tests, audits).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "error.h"
#include "precommit.h"

static int hook_today(dc_date *out)
{
	if (cli_today(out, getenv("DOCCTL_AS_OF")) < 0) {
		fprintf(stderr, "docctl: DOCCTL_AS_OF='%s' is not a date (YYYY-MM-DD)\n", getenv("DOCCTL_AS_OF"));
		return -1;
	}
	return 0;
}

/* The repository and the index git named for this hook (GIT_DIR,
 * GIT_INDEX_FILE: `commit -a`, `commit <paths>` and linked worktrees each
 * use their own index). */
static int open_client(git_repository **repo, git_index **index)
{
	if (git_repository_open_ext(repo, ".", GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
		return dc_error_set_git("cannot open the repository");
	if (git_repository_index(index, *repo) < 0) {
		git_repository_free(*repo);
		*repo = NULL;
		return dc_error_set_git("cannot read the index");
	}
	return 0;
}

/* Who makes the commit: the author git is about to record (git exports
 * GIT_AUTHOR_EMAIL to pre-commit, resolved from --author, `git -c
 * user.email=...`, the environment or the configuration; libgit2 does not
 * read `git -c`), else the committer, else user.email. */
static char *committer_email(git_repository *repo)
{
	static const char *const vars[] = { "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL" };
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char *email = NULL;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			return strdup(getenv(vars[i]));
	if (git_repository_config_snapshot(&cfg, repo) == 0 && git_config_get_string_buf(&b, cfg, "user.email") == 0)
		email = strdup(b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	return email;
}

static int refuse_internal(const char *hook)
{
	fprintf(stderr, "docctl: %s: error: %s [internal.error]\n", hook, dc_error_last());
	fprintf(stderr, "docctl: %s refused because docctl could not decide; fix the problem above and try again\n", hook);
	return EXIT_FATAL;
}

static int pre_commit(void)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	dc_precommit_opts o;
	dc_diags diags;
	char *email = NULL;
	int rc;

	dc_diags_init(&diags);
	if (hook_today(&o.today) < 0)
		return EXIT_FATAL;
	if (open_client(&repo, &index) < 0)
		return refuse_internal("pre-commit");
	email = committer_email(repo);
	o.committer_email = email;
	rc = dc_precommit_check(repo, index, &o, &diags);
	if (rc < 0) {
		rc = refuse_internal("pre-commit");
		goto cleanup;
	}
	dc_diags_sort(&diags);
	cli_print_diags(stderr, &diags, FORMAT_TEXT, 0);
	rc = cli_exit_code(&diags, 0);
	if (rc == EXIT_FATAL)
		fprintf(stderr, "docctl: commit refused: the policy or a schema is broken; fix it first\n");
	else if (rc)
		fprintf(stderr, "docctl: commit refused: %zu error%s in the staged documents; fix them, 'git add' the fix and commit again\n",
			dc_diags_errors(&diags, 0), dc_diags_errors(&diags, 0) == 1 ? "" : "s");
cleanup:
	free(email);
	dc_diags_dispose(&diags);
	git_index_free(index);
	git_repository_free(repo);
	return rc;
}

static int commit_msg(const char *file)
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	dc_buf trailers = DC_BUF_INIT, msg = DC_BUF_INIT;
	FILE *f;
	char chunk[8192];
	size_t n;
	int rc = EXIT_OK;

	if (open_client(&repo, &index) < 0)
		return refuse_internal("commit-msg");
	if (dc_precommit_trailers(repo, index, &trailers) < 0) {
		rc = refuse_internal("commit-msg");
		goto cleanup;
	}
	if (!trailers.len)
		goto cleanup;
	if (!(f = fopen(file, "rb"))) {
		dc_error_set("cannot read '%s'", file);
		rc = refuse_internal("commit-msg");
		goto cleanup;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dc_buf_put(&msg, chunk, n);
	fclose(f);
	if (dc_message_add_trailers(&msg, trailers.ptr, '#') < 0 || !(f = fopen(file, "wb"))) {
		rc = refuse_internal("commit-msg");
		goto cleanup;
	}
	if (fwrite(msg.ptr, 1, msg.len, f) != msg.len)
		rc = EXIT_FATAL;
	if (fclose(f) != 0 || rc) {
		dc_error_set("cannot write '%s'", file);
		rc = refuse_internal("commit-msg");
	}
cleanup:
	dc_buf_dispose(&trailers);
	dc_buf_dispose(&msg);
	git_index_free(index);
	git_repository_free(repo);
	return rc;
}

int cmd_hook(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("hook", "which hook?");
	if (!strcmp(argv[1], "pre-commit"))
		return pre_commit();
	if (!strcmp(argv[1], "commit-msg")) {
		if (argc < 3)
			return cli_usage_error("hook", "commit-msg needs the message file");
		return commit_msg(argv[2]);
	}
	if (!strcmp(argv[1], "pre-receive") || !strcmp(argv[1], "update") || !strcmp(argv[1], "post-receive")) {
		fprintf(stderr, "docctl: hook %s is not implemented yet in this version (%s); refusing\n", argv[1], DOCCTL_VERSION);
		return EXIT_FATAL;
	}
	return cli_usage_error("hook", "unknown hook '%s'", argv[1]);
}
