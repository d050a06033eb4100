/*
 * signature.c - SSH commit signatures checked by OpenSSH's ssh-keygen, with
 * the same calls `git verify-commit` makes (gpg.format=ssh): find-principals
 * to learn whose key it is, check-novalidate when nobody's, verify -n git for
 * the person. The signers file, the signature and the signed payload go into
 * a private mkdtemp() directory that is removed afterwards; ssh-keygen runs in
 * it through posix_spawnp (no shell), stdin from a file, stdout and stderr
 * captured through pipes with a bounded read, killed after ten seconds.
 * The common case, a good ed25519 signature by a plainly listed key, is
 * decided in-process first (sshsig.c, reference §6.8); every other answer
 * is ssh-keygen's.
 */
#include "signature.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "child.h"
#include "i18n.h"
#include "sshsig.h"

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
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return dc_error_set(_("temporary path too long in '%s'"), dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return dc_error_set(_("cannot create '%s': %s"), path, strerror(errno));
	if (dc_fd_write_all(fd, path, data, len) < 0) {
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return dc_error_set(_("cannot write '%s': %s"), path, strerror(errno));
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
		dc_error_set(_("'%s' does not support -Y find-principals (OpenSSH 8.8 or later is needed)"),
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
	if (!dc_sshsig_principal_matches(email, out->principals)) {
		out->status = DC_SIG_WRONG_PRINCIPAL;
		snprintf(out->detail, sizeof(out->detail),
			 _("the signing key is listed for \"%.200s\", not for \"%.200s\""), out->principals, email);
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
		return dc_error_set(_("cannot format the verification time %lld"), (long long)now);
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

/* --- whose key a signature names, without verifying it --- */

/* The value of a base64 digit, or -1. */
static int b64_value(unsigned char c)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *at = c ? strchr(digits, c) : NULL;

	return at ? (int)(at - digits) : -1;
}

/* Decodes base64 (whitespace skipped, '=' ends it) into out; 0 or -1. */
static int b64_decode(const char *in, size_t len, dc_buf *out)
{
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < len && in[i] != '='; i++) {
		int v;
		char c;

		if (in[i] == '\n' || in[i] == '\r' || in[i] == ' ' || in[i] == '\t')
			continue;
		if ((v = b64_value((unsigned char)in[i])) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			c = (char)((acc >> bits) & 0xff);
			if (dc_buf_put(out, &c, 1) < 0)
				return -1;
		}
	}
	return 0;
}

/* An SSH string (uint32 length, bytes) at *p of `end`. */
static int ssh_string(const unsigned char **p, const unsigned char *end, const unsigned char **s, size_t *n)
{
	uint32_t len;

	if (end - *p < 4)
		return -1;
	len = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 | (uint32_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < len)
		return -1;
	*s = *p;
	*n = len;
	*p += len;
	return 0;
}

/* The public key blob an armoured SSH signature names, into key. */
static int sig_public_key(const char *sig, size_t siglen, dc_buf *key)
{
	static const char end_marker[] = "-----END SSH SIGNATURE-----";
	dc_buf raw = DC_BUF_INIT;
	const unsigned char *p, *e, *k;
	const char *body, *stop;
	size_t n, blen = strlen(SSH_SIG_BEGIN);
	int rc = -1;

	if (siglen < blen || memcmp(sig, SSH_SIG_BEGIN, blen))
		return -1;
	body = sig + blen;
	stop = memmem(body, siglen - blen, end_marker, strlen(end_marker));
	if (!stop || b64_decode(body, (size_t)(stop - body), &raw) < 0)
		goto cleanup;
	p = (const unsigned char *)raw.ptr;
	e = p + raw.len;
	if (raw.len < 10 || memcmp(p, "SSHSIG", 6))
		goto cleanup;
	p += 10; /* magic and version */
	if (ssh_string(&p, e, &k, &n) < 0 || n == 0)
		goto cleanup;
	rc = dc_buf_put(key, (const char *)k, n);
cleanup:
	dc_buf_dispose(&raw);
	return rc;
}

/* The next whitespace-separated field of a signers line (a double-quoted
 * one keeps its spaces; the quotes stay). */
static const char *next_field(const char **p, size_t *n)
{
	const char *s = *p, *q;
	int quoted = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	for (q = s; *q && *q != '\n' && (quoted || (*q != ' ' && *q != '\t')); q++)
		if (*q == '"')
			quoted = !quoted;
	*n = (size_t)(q - s);
	*p = q;
	return *n ? s : NULL;
}

static int is_key_type(const char *s, size_t n)
{
	return (n > 4 && !strncmp(s, "ssh-", 4)) || (n > 6 && !strncmp(s, "ecdsa-", 6)) ||
	       (n > 3 && !strncmp(s, "sk-", 3));
}

int dc_sig_names_key_of(const char *sig, size_t siglen, const char *signers, size_t len, const char *email)
{
	dc_buf want = DC_BUF_INIT, line = DC_BUF_INIT, key = DC_BUF_INIT;
	size_t at = 0;
	int found = 0;

	if (!sig || !signers || !email || sig_public_key(sig, siglen, &want) < 0) {
		dc_buf_dispose(&want);
		return 0;
	}
	while (at < len && !found) {
		const char *nl = memchr(signers + at, '\n', len - at), *p, *f, *principals;
		size_t llen = nl ? (size_t)(nl - (signers + at)) : len - at, n, plen;

		dc_buf_clear(&line);
		if (dc_buf_put(&line, signers + at, llen) < 0)
			break;
		at += llen + 1;
		p = line.ptr;
		if (!(principals = next_field(&p, &plen)) || *principals == '#')
			continue;
		/* options, then the key type and the key */
		while ((f = next_field(&p, &n)) && !is_key_type(f, n))
			;
		if (!f || !(f = next_field(&p, &n)))
			continue;
		{
			char pats[512];

			if (plen >= 2 && principals[0] == '"' && principals[plen - 1] == '"')
				principals++, plen -= 2;
			if (plen >= sizeof(pats))
				continue;
			memcpy(pats, principals, plen);
			pats[plen] = '\0';
			if (!dc_sshsig_principal_matches(email, pats))
				continue;
		}
		dc_buf_clear(&key);
		if (b64_decode(f, n, &key) == 0 && key.len == want.len && !memcmp(key.ptr, want.ptr, key.len))
			found = 1;
	}
	dc_buf_dispose(&want);
	dc_buf_dispose(&line);
	dc_buf_dispose(&key);
	return found;
}

/* The common case decided in-process (sshsig.c): a good ed25519 signature
 * by a key a plain signers line lists for `email`, with the message
 * ssh-keygen prints for it. 1 when decided; 0: ask ssh-keygen. */
static int verify_fast(dc_sig_result *out, const char *sig, size_t siglen, const char *payload, size_t paylen,
		       const char *signers, size_t len, const char *email)
{
	char fp[128];
	dc_buf msg = DC_BUF_INIT;
	int decided = 0;

	if (!dc_sshsig_good(sig, siglen, payload, paylen, signers, len, email, fp, sizeof(fp)))
		return 0;
	if (dc_buf_printf(&msg, "Good \"git\" signature for %s with ED25519 key %s\n", email, fp) == 0) {
		out->status = DC_SIG_GOOD;
		out->detail[0] = '\0';
		join_lines(out->detail, sizeof(out->detail), msg.ptr, "; ");
		decided = 1;
	}
	dc_buf_dispose(&msg);
	return decided;
}

int dc_sig_verify_data(dc_sig_result *out, const char *sig, size_t siglen, const char *payload, size_t paylen,
		       const char *signers, size_t len, const char *email, time_t now, int timeout_ms, int principals)
{
	memset(out, 0, sizeof(*out));
	out->status = DC_SIG_NONE;
	if (!principals && sig && signers && email && (payload || !paylen) &&
	    verify_fast(out, sig, siglen, payload, paylen, signers, len, email))
		return 0;
	return dc_sig_verify_keygen(out, sig, siglen, payload, paylen, signers, len, email, now, timeout_ms,
				    principals);
}

int dc_sig_verify_keygen(dc_sig_result *out, const char *sig, size_t siglen, const char *payload, size_t paylen,
			 const char *signers, size_t len, const char *email, time_t now, int timeout_ms,
			 int principals)
{
	char dir[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	int error = -1;

	memset(out, 0, sizeof(*out));
	out->status = DC_SIG_NONE;
	if ((!signers && len > 0) || !email || (!sig && siglen) || (!payload && paylen))
		return dc_error_set(_("dc_sig_verify_data: missing argument"));
	if (!sig)
		return 0;
	if (siglen < strlen(SSH_SIG_BEGIN) || memcmp(sig, SSH_SIG_BEGIN, strlen(SSH_SIG_BEGIN)) != 0) {
		out->status = DC_SIG_NOT_SSH;
		snprintf(out->detail, sizeof(out->detail), "%s", _("not an SSH signature"));
		return 0;
	}
	if (timeout_ms <= 0 || timeout_ms > TIMEOUT_MS)
		timeout_ms = TIMEOUT_MS;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s/docctl-sig.XXXXXX", tmp) >= sizeof(dir))
		return dc_error_set(_("TMPDIR is too long"));
	if (!mkdtemp(dir))
		return dc_error_set(_("cannot create a temporary directory in '%s': %s"), tmp, strerror(errno));
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
		return dc_error_set(_("dc_sig_extract: missing argument"));
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
		return dc_error_set_git(_("cannot read the commit's signature"));
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
		return dc_error_set(_("dc_sig_verify_commit: missing argument"));
	rc = dc_sig_extract(repo, id, &sig, &payload);
	if (rc == 0)
		rc = dc_sig_verify_data(out, sig.ptr, sig.size, payload.ptr, payload.size, signers, len, email, now, 0, 1);
	else if (rc > 0)
		rc = 0;
	git_buf_dispose(&sig);
	git_buf_dispose(&payload);
	return rc;
}
