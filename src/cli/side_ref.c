/*
 * side_ref.c - the client side of a side ref, shared by docctl ack
 * (cmd_ack.c) and docctl feedback (cmd_feedback.c); see side_ref.h.
 */
#include "side_ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "i18n.h"

int cli_side_git(const cli_side *s, const char *const argv[], dc_child *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	dc_buf_init(&out->out);
	dc_buf_init(&out->err);
	rc = dc_spawn(out, s->dir, argv, "/dev/null", 1 << 20, 120000);
	return rc < 0 ? -1 : out->code;
}

int cli_side_fetch(const cli_side *s, const char *cannot_fetch)
{
	dc_buf spec = DC_BUF_INIT;
	dc_child res;
	int rc;

	if (!s->remote)
		return 0;
	dc_buf_printf(&spec, "+%s:%s", s->ref, s->tracking);
	{
		const char *argv[] = { "git", "fetch", "-q", s->remote, spec.ptr, NULL };

		rc = cli_side_git(s, argv, &res);
	}
	dc_buf_dispose(&spec);
	if (rc != 0 && strstr(res.err.ptr, "couldn't find remote ref")) {
		const char *del[] = { "git", "update-ref", "-d", s->tracking, NULL };
		dc_child ignored;

		dc_child_dispose(&res);
		cli_side_git(s, del, &ignored);
		dc_child_dispose(&ignored);
		return 0;
	}
	if (rc != 0) {
		fprintf(stderr, cannot_fetch, s->ref, s->remote, rc < 0 ? dc_error_last() : cli_esc(res.err.ptr));
		dc_child_dispose(&res);
		return EXIT_FATAL;
	}
	dc_child_dispose(&res);
	return 0;
}

int cli_side_commit(const cli_side *s, const git_oid *tree, const git_oid *parent, const char *message,
		    const char *cannot_commit, const char *cannot_update, char hex[GIT_OID_HEXSZ + 1])
{
	char th[GIT_OID_HEXSZ + 1], bh[GIT_OID_HEXSZ + 1];
	git_oid commit;
	dc_child res;
	int rc;

	git_oid_tostr(th, sizeof(th), tree);
	{
		const char *argv[12];
		int n = 0;

		argv[n++] = "git";
		argv[n++] = "commit-tree";
		argv[n++] = th;
		if (parent) {
			git_oid_tostr(bh, sizeof(bh), parent);
			argv[n++] = "-p";
			argv[n++] = bh;
		}
		if (s->sign)
			argv[n++] = "-S";
		argv[n++] = "-m";
		argv[n++] = message;
		argv[n] = NULL;
		rc = cli_side_git(s, argv, &res);
	}
	if (rc != 0 || git_oid_fromstrn(&commit, res.out.ptr, res.out.len < GIT_OID_HEXSZ ? res.out.len : GIT_OID_HEXSZ) < 0) {
		fprintf(stderr, cannot_commit,
			s->sign ? _(" (is signing set up? git config gpg.format ssh; git config user.signingkey ~/.ssh/id_ed25519.pub)") : "",
			cli_esc(res.err.ptr));
		dc_child_dispose(&res);
		return EXIT_FATAL;
	}
	dc_child_dispose(&res);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, &commit);
	{
		const char *argv[] = { "git", "update-ref", s->ref, hex, NULL };

		if (cli_side_git(s, argv, &res) != 0) {
			fprintf(stderr, cannot_update, s->ref, cli_esc(res.err.ptr));
			dc_child_dispose(&res);
			return EXIT_FATAL;
		}
		dc_child_dispose(&res);
	}
	return 0;
}

int cli_side_push(const cli_side *s, const char *hex, dc_buf *why)
{
	dc_buf spec = DC_BUF_INIT;
	dc_child res;
	int rc;

	dc_buf_printf(&spec, "%s:%s", hex, s->ref);
	{
		const char *argv[] = { "git", "push", "-q", s->remote, spec.ptr, NULL };

		rc = cli_side_git(s, argv, &res);
	}
	dc_buf_dispose(&spec);
	if (rc == 0) {
		const char *argv[] = { "git", "update-ref", s->tracking, hex, NULL };
		dc_child ignored;

		cli_side_git(s, argv, &ignored);
		dc_child_dispose(&ignored);
	} else if (!strstr(res.err.ptr, "hook declined") &&
		   (strstr(res.err.ptr, "fetch first") || strstr(res.err.ptr, "non-fast-forward") ||
		    strstr(res.err.ptr, "failed to update ref") || strstr(res.err.ptr, "cannot lock ref") ||
		    strstr(res.err.ptr, "stale info") || strstr(res.err.ptr, "incorrect old value"))) {
		rc = 3;
	} else {
		dc_buf_puts(why, res.err.ptr);
		rc = 1;
	}
	dc_child_dispose(&res);
	return rc;
}

void cli_side_pause(int attempt, unsigned base_us, int max_shift)
{
	usleep((useconds_t)(20000 + (unsigned)rand() % (base_us << (attempt < max_shift ? attempt : max_shift))));
}

void cli_side_seed(void)
{
	srand((unsigned)(time(NULL) ^ getpid()));
}

int cli_side_has_remote(git_repository *repo, const char *name)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	dc_buf key = DC_BUF_INIT;
	int found = 0;

	dc_buf_printf(&key, "remote.%s.url", name);
	if (key.ptr && git_repository_config_snapshot(&cfg, repo) == 0 && git_config_get_entry(&e, cfg, key.ptr) == 0)
		found = 1;
	git_config_entry_free(e);
	git_config_free(cfg);
	dc_buf_dispose(&key);
	return found;
}

int cli_side_remote(git_repository *repo, const char **remote, int push, const char *ref, const char *no_remote,
		    char **tracking)
{
	dc_buf tr = DC_BUF_INIT;

	if (!cli_side_has_remote(repo, *remote)) {
		if (push) {
			fprintf(stderr, no_remote, cli_esc(*remote));
			return EXIT_FATAL;
		}
		*remote = NULL;
		return 0;
	}
	dc_buf_printf(&tr, "refs/remotes/%s/%s", *remote, !strncmp(ref, "refs/heads/", 11) ? ref + 11 : ref + 5);
	*tracking = dc_buf_detach(&tr);
	return 0;
}
