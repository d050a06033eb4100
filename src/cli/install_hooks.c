/*
 * install_hooks.c - `docctl init --hooks`: puts hooks/docctl-hook in place
 * under the names git runs. A working repository gets pre-commit and
 * commit-msg in its hooks folder (core.hooksPath when set); a bare one gets
 * pre-receive and post-receive, and core.logAllRefUpdates is turned on
 * (reference §6.7); --trusted-ref REF says where the trusted policy lives
 * (docctl.trustedRef, reference §6.1 item 2), and init --hooks on a server
 * says when that ref or the default branch is not protected. A hook the user already has is never overwritten silently:
 * it is kept as NAME.pre-docctl and chained (runs first), unless --force
 * replaces it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "error.h"
#include "receive.h"

extern const char tpl_hook[];
extern const size_t tpl_hook_len;

#define MARKER "installed by `docctl init --hooks`"

/* An installed docctl (this binary is DOCCTL_BIN_PATH) installs the shim
 * installed with it, so the hooks are the very file the package ships.
 * 1 with the shim in `out`, 0 when there is none to use. */
static int installed_shim(dc_buf *out, const char *self)
{
#ifdef DOCCTL_HOOK_PATH
	char chunk[4096];
	size_t n;
	FILE *f;
	int ok;

	if (strcmp(self, DOCCTL_BIN_PATH) || !(f = fopen(DOCCTL_HOOK_PATH, "rb")))
		return 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		dc_buf_put(out, chunk, n);
	ok = !ferror(f) && out->ptr && strstr(out->ptr, MARKER) && !strstr(out->ptr, "@DOCCTL@");
	fclose(f);
	if (!ok)
		dc_buf_clear(out);
	return ok;
#else
	(void)out;
	(void)self;
	return 0;
#endif
}

/* The shim: the installed one, else the one this binary carries with
 * @DOCCTL@ replaced by this binary's absolute path (a build tree, an
 * unpacked package). */
static void shim(dc_buf *out)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	const char *at = strstr(tpl_hook, "@DOCCTL@");

	self[n > 0 ? n : 0] = '\0';
	if (installed_shim(out, self))
		return;
	dc_buf_put(out, tpl_hook, (size_t)(at - tpl_hook));
	dc_buf_puts(out, n > 0 ? self : "docctl");
	dc_buf_puts(out, at + strlen("@DOCCTL@"));
}

static int is_ours(const char *path)
{
	char head[1024];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	return strstr(head, MARKER) != NULL;
}

static int install_one(const char *dir, const char *name, const dc_buf *body, int force)
{
	dc_buf path = DC_BUF_INIT, kept = DC_BUF_INIT;
	struct stat st;
	int fd, rc = 0;

	dc_buf_printf(&path, "%s/%s", dir, name);
	dc_buf_printf(&kept, "%s.pre-docctl", path.ptr);
	if (lstat(path.ptr, &st) == 0 && !is_ours(path.ptr)) {
		if (force) {
			printf(_("replaced %s (--force)\n"), path.ptr);
		} else if (lstat(kept.ptr, &st) == 0) {
			rc = dc_error_set(_("'%s' exists and so does '%s'; move one away or use --force"), path.ptr, kept.ptr);
			goto done;
		} else {
			if (rename(path.ptr, kept.ptr) < 0) {
				rc = dc_error_set(_("cannot keep '%s': %s"), path.ptr, strerror(errno));
				goto done;
			}
			printf(_("kept your %s hook as %s; it runs before docctl's\n"), name, kept.ptr);
		}
	}
	unlink(path.ptr);
	fd = open(path.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, body->ptr, body->len) != (ssize_t)body->len || fchmod(fd, 0755) < 0) {
		rc = dc_error_set(_("cannot write '%s': %s"), path.ptr, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto done;
	}
	close(fd);
	printf(_("installed %s\n"), path.ptr);
done:
	dc_buf_dispose(&path);
	dc_buf_dispose(&kept);
	return rc;
}

static int holds_refs(git_repository *repo)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int any;

	if (git_reference_iterator_new(&it, repo) < 0)
		return 1; /* cannot tell: the stricter answer */
	any = git_reference_next_name(&name, it) == 0;
	git_reference_iterator_free(it);
	return any;
}

/* Sets docctl.trustedRef when asked, then says where trust lives and what
 * the hooks will do with it. */
static int server_trust(git_repository *repo, const char *want)
{
	dc_buf said = DC_BUF_INIT;
	git_reference *head = NULL;
	char *ref = NULL;
	int any = holds_refs(repo), rc = 0, p;
	git_oid oid;

	if (want) {
		if (any && git_reference_name_to_id(&oid, repo, want) != 0) {
			rc = dc_error_set(_("'%s' does not exist in this repository, which already holds refs; name the branch "
					  "that holds the approved policy (git for-each-ref refs/heads lists them)"), want);
			goto done;
		}
		if ((rc = dc_trust_set(repo, want, &said)) < 0)
			goto done;
		printf("%s\n", said.ptr);
	}
	if ((rc = dc_trust_configured(&ref, repo)) < 0)
		goto done;
	if (!ref) {
		if (any)
			fprintf(stderr, _("docctl: warning: docctl.trustedRef is not set, so the hooks refuse every push until it is; "
					"name the branch that holds the approved policy: docctl init --hooks --trusted-ref refs/heads/BRANCH\n"));
		else
			printf(_("the repository is empty: its first push is trusted on first use, and post-receive records "
			       "the protected branch it creates as docctl.trustedRef\n"));
		goto done;
	}
	p = dc_trust_protects(repo, ref, ref);
	if (p < 0) {
		rc = -1;
		goto done;
	}
	if (p == 2)
		printf(_("%s does not exist yet: its first push is trusted on first use\n"), ref);
	else if (p == 3)
		fprintf(stderr, _("docctl: warning: %s has no docctl.yaml that loads, so the hooks refuse every push until it has one\n"), ref);
	else if (p == 0)
		fprintf(stderr, _("docctl: warning: %s (docctl.trustedRef) is not protected by its own docctl.yaml: add it to "
				"`protected`, or the policy in force can change without approval\n"), ref);
	if (p == 0 || p == 1) {
		dc_strlist odd;
		size_t i;

		dc_strlist_init(&odd);
		rc = dc_trust_divergent(&odd, repo, ref);
		for (i = 0; rc == 0 && i < odd.n; i++)
			fprintf(stderr, _("docctl: warning: %s is protected, but its docctl.yaml, signers file or schema/ differ from "
					"%s's, and a protected ref is judged by its own policy; if it was pushed before it was "
					"protected, that policy is its pusher's: check it (git diff %s %s -- docctl.yaml .docctl "
					"schema) or delete the ref\n"), odd.v[i], ref, ref, odd.v[i]);
		dc_strlist_dispose(&odd);
		if (rc < 0)
			goto done;
	}
	if ((p == 0 || p == 1) && git_reference_lookup(&head, repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC && strcmp(git_reference_symbolic_target(head), ref) &&
	    dc_trust_protects(repo, ref, git_reference_symbolic_target(head)) == 0)
		fprintf(stderr, _("docctl: warning: the default branch (HEAD -> %s) is not protected by the policy at %s; "
				"clones check it out, but the hooks do not guard it\n"), git_reference_symbolic_target(head), ref);
done:
	git_reference_free(head);
	free(ref);
	dc_buf_dispose(&said);
	return rc;
}

int cli_install_hooks(int force, const char *trusted_ref)
{
	static const char *const client[] = { "pre-commit", "commit-msg" };
	static const char *const server[] = { "pre-receive", "post-receive" };
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_buf hp = { 0 };
	dc_buf dir = DC_BUF_INIT, body = DC_BUF_INIT;
	const char *const *names;
	int bare, rc = EXIT_OK;
	size_t i;

	if (git_repository_open_ext(&repo, ".", GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
		return cli_fail(_("init --hooks needs a git repository"));
	bare = git_repository_is_bare(repo);
	names = bare ? server : client;
	if (trusted_ref && !bare) {
		rc = cli_usage_error("init", _("--trusted-ref is for a bare repository on the server"));
		goto cleanup;
	}
	if (git_repository_config(&cfg, repo) < 0) {
		rc = cli_fail(_("cannot read the repository's configuration"));
		goto cleanup;
	}
	if (git_config_get_path(&hp, cfg, "core.hooksPath") == 0 && hp.size) {
		if (hp.ptr[0] != '/' && !bare && git_repository_workdir(repo))
			dc_buf_puts(&dir, git_repository_workdir(repo));
		dc_buf_puts(&dir, hp.ptr);
	} else {
		dc_buf_printf(&dir, "%shooks", git_repository_commondir(repo));
	}
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		dc_error_set(_("cannot create '%s': %s"), dir.ptr, strerror(errno));
		rc = cli_fail(_("init --hooks failed"));
		goto cleanup;
	}
	shim(&body);
	for (i = 0; i < 2; i++)
		if (install_one(dir.ptr, names[i], &body, force) < 0) {
			rc = cli_fail(_("init --hooks failed"));
			goto cleanup;
		}
	if (bare) {
		if (git_config_set_bool(cfg, "core.logAllRefUpdates", 1) < 0) {
			rc = cli_fail(_("cannot set core.logAllRefUpdates"));
			goto cleanup;
		}
		printf(_("set core.logAllRefUpdates=true\n"));
		if (server_trust(repo, trusted_ref) < 0) {
			rc = cli_fail(_("cannot say where the trusted policy lives"));
			goto cleanup;
		}
	}
cleanup:
	git_buf_dispose(&hp);
	dc_buf_dispose(&dir);
	dc_buf_dispose(&body);
	git_config_free(cfg);
	git_repository_free(repo);
	return rc;
}
