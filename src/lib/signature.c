/*
 * signature.c - SSH commit signatures checked by OpenSSH's ssh-keygen, with
 * the same calls `git verify-commit` makes (gpg.format=ssh): find-principals
 * to learn whose key it is, check-novalidate when nobody's, verify -n git for
 * the person. The signers file, the signature and the signed payload go into
 * a private mkdtemp() directory that is removed afterwards; ssh-keygen runs in
 * it through posix_spawnp (no shell), stdin from a file, stdout and stderr
 * captured through pipes with a bounded read, killed after ten seconds.
 */
#include "signature.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "child.h"

#define SSH_KEYGEN "ssh-keygen"
#define SSH_SIG_BEGIN "-----BEGIN SSH SIGNATURE-----"
#define TIMEOUT_MS 10000
#define OUTPUT_MAX 4096

/* File names inside the temporary directory, where ssh-keygen runs. */
#define F_SIGNERS "allowed_signers"
#define F_SIG "signature"
#define F_PAYLOAD "payload"

const char *dc_sig_status_name(dc_sig_status status)
{
	switch (status) {
	case DC_SIG_NONE: return "none";
	case DC_SIG_GOOD: return "good";
	case DC_SIG_UNKNOWN_KEY: return "unknown-key";
	case DC_SIG_WRONG_PRINCIPAL: return "wrong-principal";
	case DC_SIG_BAD: return "bad";
	case DC_SIG_NOT_SSH: return "not-ssh";
	}
	return "unknown";
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[PATH_MAX];
	const char *p = data;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return dc_error_set("temporary path too long in '%s'", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return dc_error_set("cannot create '%s': %s", path, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = errno;

			close(fd);
			return dc_error_set("cannot write '%s': %s", path, strerror(e));
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0)
		return dc_error_set("cannot write '%s': %s", path, strerror(errno));
	return 0;
}

static void remove_tmpdir(const char *dir)
{
	static const char *const names[] = { F_SIGNERS, F_SIG, F_PAYLOAD };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[i]) < sizeof(path))
			unlink(path);
	}
	rmdir(dir);
}

/* Appends the non-empty lines of `text` to dst (of size n), separated by `sep`. */
static void join_lines(char *dst, size_t n, const char *text, const char *sep)
{
	const char *p = text;

	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t linelen = eol ? (size_t)(eol - p) : strlen(p);
		size_t used = strlen(dst);

		while (linelen > 0 && (p[linelen - 1] == '\r' || p[linelen - 1] == ' '))
			linelen--;
		if (linelen > 0 && used + 1 < n) {
			if (used > 0)
				used += (size_t)snprintf(dst + used, n - used, "%s", sep);
			if (used + 1 < n)
				snprintf(dst + used, n - used, "%.*s", (int)linelen, p);
		}
		if (!eol)
			break;
		p = eol + 1;
	}
}

static void set_detail(dc_sig_result *out, const dc_child *res)
{
	out->detail[0] = '\0';
	join_lines(out->detail, sizeof(out->detail), res->err.ptr, "; ");
	join_lines(out->detail, sizeof(out->detail), res->out.ptr, "; ");
}

/* OpenSSH's match_pattern(): '*' and '?' wildcards, nothing else. */
static int match_pattern(const char *s, const char *pat, size_t patlen)
{
	while (patlen > 0) {
		if (*pat == '*') {
			while (patlen > 0 && *pat == '*')
				pat++, patlen--;
			if (patlen == 0)
				return 1;
			for (; *s; s++) {
				if (match_pattern(s, pat, patlen))
					return 1;
			}
			return 0;
		}
		if (!*s || (*pat != '?' && *pat != *s))
			return 0;
		s++, pat++, patlen--;
	}
	return !*s;
}

/*
 * OpenSSH's match_pattern_list() as sshsig uses it for the principals
 * field: comma-separated patterns, a match of a "!pattern" excludes.
 */
static int principal_matches(const char *email, const char *list)
{
	const char *p = list;
	int positive = 0;

	for (;;) {
		size_t n = strcspn(p, ",");
		int negated = n > 0 && *p == '!';
		const char *pat = negated ? p + 1 : p;
		size_t patlen = negated ? n - 1 : n;

		if (patlen > 0 && match_pattern(email, pat, patlen)) {
			if (negated)
				return 0;
			positive = 1;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	return positive;
}

/* Whose key signed it, when the verification for `email` failed: as git
 * decides (find-principals, then check-novalidate when nobody's). */
static int diagnose(dc_sig_result *out, const char *dir, const char *email, const char *vtime, int timeout_ms,
		    const dc_child *failed)
{
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };
	int error = -1;

	{
		const char *const argv[] = { SSH_KEYGEN, "-Y", "find-principals", "-f", F_SIGNERS,
			"-s", F_SIG, vtime, NULL };

		if (dc_spawn(&res, dir, argv, "/dev/null", OUTPUT_MAX, timeout_ms) < 0)
			goto cleanup;
	}
	if (res.code != 0 && strstr(res.err.ptr, "usage:")) {
		dc_error_set("'%s' does not support -Y find-principals (OpenSSH 8.8 or later is needed)",
			SSH_KEYGEN);
		goto cleanup;
	}
	if (res.code != 0 || res.out.len == 0) {
		/* Nobody's key, as git sees it; its fallback tells a corrupt signature apart. */
		const char *const argv[] = { SSH_KEYGEN, "-Y", "check-novalidate", "-n", "git",
			"-s", F_SIG, vtime, NULL };

		out->status = DC_SIG_UNKNOWN_KEY;
		set_detail(out, &res);
		dc_child_dispose(&res);
		if (dc_spawn(&res, dir, argv, F_PAYLOAD, OUTPUT_MAX, timeout_ms) < 0)
			goto cleanup;
		if (res.code != 0) {
			out->status = DC_SIG_BAD;
			set_detail(out, &res);
		}
		error = 0;
		goto cleanup;
	}
	join_lines(out->principals, sizeof(out->principals), res.out.ptr, ",");
	if (!principal_matches(email, out->principals)) {
		out->status = DC_SIG_WRONG_PRINCIPAL;
		snprintf(out->detail, sizeof(out->detail),
			"the signing key is listed for \"%.200s\", not for \"%.200s\"", out->principals, email);
	} else {
		out->status = DC_SIG_BAD;
		set_detail(out, failed);
	}
	error = 0;
cleanup:
	dc_child_dispose(&res);
	return error;
}

/* `verify -I email` first: a good signature (the common case) costs one
 * ssh-keygen; only a failure asks whose key it is, to say why, or a good
 * one when `principals` asks for them. */
static int verify(dc_sig_result *out, const char *dir, const char *email, time_t now, int timeout_ms, int principals)
{
	char vtime[64];
	struct tm tm;
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };
	int error = -1;

	if (!gmtime_r(&now, &tm) || !strftime(vtime, sizeof(vtime), "-Overify-time=%Y%m%d%H%M%SZ", &tm))
		return dc_error_set("cannot format the verification time %lld", (long long)now);
	{
		const char *const argv[] = { SSH_KEYGEN, "-Y", "verify", "-n", "git", "-f", F_SIGNERS,
			"-I", email, "-s", F_SIG, vtime, NULL };

		if (dc_spawn(&res, dir, argv, F_PAYLOAD, OUTPUT_MAX, timeout_ms) < 0)
			goto cleanup;
	}
	if (res.code == 0) {
		out->status = DC_SIG_GOOD;
		set_detail(out, &res);
		error = 0;
		if (principals) {
			const char *const argv[] = { SSH_KEYGEN, "-Y", "find-principals", "-f", F_SIGNERS,
				"-s", F_SIG, vtime, NULL };

			dc_child_dispose(&res);
			if (dc_spawn(&res, dir, argv, "/dev/null", OUTPUT_MAX, timeout_ms) < 0)
				error = -1;
			else if (res.code == 0)
				join_lines(out->principals, sizeof(out->principals), res.out.ptr, ",");
		}
	} else {
		error = diagnose(out, dir, email, vtime, timeout_ms, &res);
	}
cleanup:
	dc_child_dispose(&res);
	return error;
}

int dc_sig_verify_data(dc_sig_result *out, const char *sig, size_t siglen, const char *payload, size_t paylen,
		       const char *signers, size_t len, const char *email, time_t now, int timeout_ms, int principals)
{
	char dir[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	int error = -1;

	memset(out, 0, sizeof(*out));
	out->status = DC_SIG_NONE;
	if ((!signers && len > 0) || !email || (!sig && siglen) || (!payload && paylen))
		return dc_error_set("dc_sig_verify_data: missing argument");
	if (!sig)
		return 0;
	if (siglen < strlen(SSH_SIG_BEGIN) || memcmp(sig, SSH_SIG_BEGIN, strlen(SSH_SIG_BEGIN)) != 0) {
		out->status = DC_SIG_NOT_SSH;
		snprintf(out->detail, sizeof(out->detail), "not an SSH signature");
		return 0;
	}
	if (timeout_ms <= 0 || timeout_ms > TIMEOUT_MS)
		timeout_ms = TIMEOUT_MS;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/docctl-sig.XXXXXX", tmp) >= sizeof(dir))
		return dc_error_set("TMPDIR is too long");
	if (!mkdtemp(dir))
		return dc_error_set("cannot create a temporary directory in '%s': %s", tmp, strerror(errno));
	if (write_file(dir, F_SIGNERS, signers ? signers : "", len) == 0 && write_file(dir, F_SIG, sig, siglen) == 0 &&
	    write_file(dir, F_PAYLOAD, payload ? payload : "", paylen) == 0)
		error = verify(out, dir, email, now, timeout_ms, principals);
	remove_tmpdir(dir);
	return error;
}

int dc_sig_extract(git_repository *repo, const git_oid *id, git_buf *sig, git_buf *payload)
{
	git_commit *commit = NULL;
	git_oid oid;
	int rc;

	if (!repo || !id)
		return dc_error_set("dc_sig_extract: missing argument");
	/* A missing object is an error, not an unsigned commit: look it up first. */
	if (git_commit_lookup(&commit, repo, id) < 0) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), id);
		return dc_error_set_git(hex);
	}
	git_commit_free(commit);
	git_oid_cpy(&oid, id);
	rc = git_commit_extract_signature(sig, payload, repo, &oid, "gpgsig");
	if (rc == GIT_ENOTFOUND)
		return 1;
	if (rc < 0)
		return dc_error_set_git("cannot read the commit's signature");
	return 0;
}

int dc_sig_verify_commit(dc_sig_result *out, git_repository *repo, const git_oid *id,
	const char *signers, size_t len, const char *email, time_t now)
{
	git_buf sig = GIT_BUF_INIT, payload = GIT_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	out->status = DC_SIG_NONE;
	if (!repo || !id || (!signers && len > 0) || !email)
		return dc_error_set("dc_sig_verify_commit: missing argument");
	rc = dc_sig_extract(repo, id, &sig, &payload);
	if (rc == 0)
		rc = dc_sig_verify_data(out, sig.ptr, sig.size, payload.ptr, payload.size, signers, len, email, now, 0, 1);
	else if (rc > 0)
		rc = 0;
	git_buf_dispose(&sig);
	git_buf_dispose(&payload);
	return rc;
}
