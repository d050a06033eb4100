/*
 * cmd_init.c - `docctl init`: scaffold a controlled repository. Writes the
 * policy, the default schema and the signers file where they are missing;
 * never overwrites.
 */
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "error.h"
#include "protection.h"

extern const char tpl_policy[], tpl_schema[], tpl_signers[], tpl_policy_zh[];
extern const size_t tpl_policy_len, tpl_schema_len, tpl_signers_len, tpl_policy_zh_len;

/*
 * The policy template, protecting the branch the repository is on: a plain
 * `git init` names it master (or whatever init.defaultBranch says), and a
 * policy that protects main there would leave every commit uncontrolled.
 */
static int policy_text(dc_buf *out, git_repository *repo, char **branch)
{
	static const char main_ref[] = "protected: [refs/heads/main,";
	dc_buf tail = DC_BUF_INIT;
	const char *at;
	size_t off;
	int rc;

	*branch = NULL;
	/* its comments in the language of the locale (reference §7) */
	at = setlocale(LC_MESSAGES, NULL);
	if ((rc = at && !strncmp(at, "zh", 2) ? dc_buf_put(out, tpl_policy_zh, tpl_policy_zh_len)
					     : dc_buf_put(out, tpl_policy, tpl_policy_len)) < 0)
		return -1;
	if (!repo || git_repository_is_bare(repo) || dc_head_branch(repo, branch) != 0 ||
	    !strcmp(*branch, "refs/heads/main") || !(at = strstr(out->ptr, main_ref)))
		return 0;
	off = (size_t)(at - out->ptr);
	rc = dc_buf_puts(&tail, at + sizeof(main_ref) - 1);
	out->len = off;
	out->ptr[off] = '\0';
	if (rc == 0)
		rc = dc_buf_printf(out, "protected: [%s,%s", *branch, tail.ptr);
	dc_buf_dispose(&tail);
	return rc;
}

/* Writes `path` under root unless it exists. 1 written, 0 kept, -1 failure. */
static int write_new(const char *root, const char *path, const char *data, size_t len)
{
	dc_buf full = DC_BUF_INIT;
	char *slash;
	int fd, rc = 1;

	dc_buf_printf(&full, "%s/%s", root, path);
	for (slash = strchr(full.ptr + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(full.ptr, 0777) < 0 && errno != EEXIST) {
			rc = dc_error_set(_("cannot create '%s': %s"), full.ptr, strerror(errno));
			*slash = '/';
			goto done;
		}
		*slash = '/';
	}
	fd = open(full.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = errno == EEXIST ? 0 : dc_error_set(_("cannot create '%s': %s"), path, strerror(errno));
		goto done;
	}
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) < 0) {
		rc = dc_error_set(_("cannot write '%s': %s"), path, strerror(errno));
		unlink(full.ptr);
	}
	close(fd);
done:
	dc_buf_dispose(&full);
	return rc;
}

typedef struct {
	int hooks, force;
	const char *trusted_ref;
} init_args;

int cmd_init(const cli_command *cmd, int argc, char **argv)
{
	init_args a = { 0, 0, NULL };
	struct { const char *path; const char *data; size_t len; } files[] = {
		{ DC_POLICY_FILE, tpl_policy, tpl_policy_len },
		{ DC_DEFAULT_SCHEMA, tpl_schema, tpl_schema_len },
		{ ".docctl/allowed_signers", tpl_signers, tpl_signers_len },
	};
	cli_project proj;
	dc_buf policy = DC_BUF_INIT;
	char *branch = NULL;
	int rc, first;
	size_t i;

	if ((rc = cli_parse(cmd, argc, argv, NULL, &a, &first)) != CLI_RUN)
		return rc;
	rc = EXIT_OK;
	if ((a.trusted_ref || a.force) && !a.hooks)
		return cli_usage_error("init", _("--trusted-ref and --force go with --hooks"));
	if (a.hooks)
		return cli_install_hooks(a.force, a.trusted_ref);
	if (cli_project_locate(&proj) < 0)
		return cli_fail(_("cannot find the project"));
	if (policy_text(&policy, proj.repo, &branch) < 0) {
		cli_project_close(&proj);
		return cli_fail(_("init failed"));
	}
	files[0].data = policy.ptr;
	files[0].len = policy.len;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int w = write_new(proj.root, files[i].path, files[i].data, files[i].len);

		if (w < 0) {
			rc = cli_fail(_("init failed"));
			break;
		}
		printf("%s %s\n", w ? _("created") : _("kept   "), files[i].path);
		if (w && i == 0 && branch)
			printf(_("        it protects %s, the branch this repository is on\n"), branch);
	}
	free(branch);
	dc_buf_dispose(&policy);
	cli_project_close(&proj);
	return rc;
}

const cli_option init_options[] = {
	{ "hooks", 0, NULL, NULL, N_("install docctl's git hooks instead (client hooks, or the server's in a bare repository)"),
	  "init --hooks", CLI_FLAG(init_args, hooks) },
	{ "force", 0, NULL, NULL, N_("with --hooks: replace hooks that are not docctl's"), "init --hooks --force",
	  CLI_FLAG(init_args, force) },
	{ "trusted-ref", 0, "REF", NULL, N_("with --hooks on a server: the ref whose policy the hooks trust (reference §6.1)"),
	  "init --hooks --trusted-ref refs/heads/main", CLI_STRING(init_args, trusted_ref) },
	CLI_OPTIONS_END,
};
