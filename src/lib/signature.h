/*
 * signature.h - verifies a commit's SSH signature as `git verify-commit`
 * does with gpg.format=ssh (reference §6.3).
 *
 * The work is done by OpenSSH's own `ssh-keygen -Y find-principals` and
 * `ssh-keygen -Y verify -n git`, run without a shell over files in a private
 * temporary directory, with the server's clock as the verification time
 * (never the committer date). Author and committer fields are never read.
 * dc_sig_verify_data may run on several threads at once (each call has its
 * own temporary directory); the functions that read the repository may not.
 */
#ifndef DC_SIGNATURE_H
#define DC_SIGNATURE_H

#include <git2.h>
#include <stddef.h>
#include <time.h>

typedef enum {
	DC_SIG_NONE,            /* the commit carries no gpgsig header */
	DC_SIG_GOOD,            /* signed by a key the signers file lists for `email` */
	DC_SIG_UNKNOWN_KEY,     /* the key is not in the signers file (or not valid at `now`) */
	DC_SIG_WRONG_PRINCIPAL, /* a listed key, but of someone else than `email` */
	DC_SIG_BAD,             /* the signature does not verify (tampered, wrong namespace, corrupt) */
	DC_SIG_NOT_SSH          /* a signature, but not an SSH one (gpg, x509) */
} dc_sig_status;

typedef struct {
	dc_sig_status status;
	/* Who the key belongs to per the signers file (the principals field of
	 * the first line listing the key), comma-separated; empty when unknown. */
	char principals[512];
	/* ssh-keygen's message, on one line (several lines joined by "; "). */
	char detail[512];
} dc_sig_result;

/*
 * Verifies the signature on commit `id` in `repo` against `signers` (the
 * content of an allowed_signers file, `len` bytes) for the principal `email`,
 * at time `now` (the server's clock; never the committer date). Returns 0 with
 * *out filled; -1 on an operational failure (a missing object, cannot run
 * ssh-keygen, ssh-keygen ran for more than 10 s, cannot write temporary
 * files, a libgit2 error) with dc_error set.
 *
 * Decision, as git makes it: find-principals fails -> DC_SIG_UNKNOWN_KEY
 * (DC_SIG_BAD if the signature does not even verify on its own, as git's
 * check-novalidate fallback says); otherwise `ssh-keygen -Y verify -I email`
 * succeeds -> DC_SIG_GOOD; fails -> DC_SIG_WRONG_PRINCIPAL when `email` is not
 * among the key's principals, else DC_SIG_BAD.
 */
int dc_sig_verify_commit(dc_sig_result *out, git_repository *repo, const git_oid *id,
	const char *signers, size_t len, const char *email, time_t now);

/* The signature and the signed payload of commit `id`: 0; 1 when it carries
 * none; -1 with dc_error set (a missing object, a libgit2 error). */
int dc_sig_extract(git_repository *repo, const git_oid *id, git_buf *sig, git_buf *payload);

/* dc_sig_verify_commit on what dc_sig_extract read (`sig` NULL: unsigned),
 * each ssh-keygen killed after `timeout_ms` (0 or more than 10 s: 10 s).
 * A good ed25519 signature by a key a plain signers line lists is decided
 * in-process (sshsig.h) unless `principals` is nonzero; anything else costs
 * one ssh-keygen when good, and `principals` nonzero asks for
 * out->principals then too (a second one). Thread-safe. */
int dc_sig_verify_data(dc_sig_result *out, const char *sig, size_t siglen, const char *payload, size_t paylen,
		       const char *signers, size_t len, const char *email, time_t now, int timeout_ms,
		       int principals);

/* dc_sig_verify_data by ssh-keygen alone, never in-process: what the
 * in-process path (sshsig.h) must agree with; for tests. Thread-safe. */
int dc_sig_verify_keygen(dc_sig_result *out, const char *sig, size_t siglen, const char *payload, size_t paylen,
			 const char *signers, size_t len, const char *email, time_t now, int timeout_ms,
			 int principals);

/* Nonzero when the armoured SSH signature `sig` names a public key that
 * `signers` lists for `email`, without verifying anything (a forged
 * signature may name anyone's key): cheap, for "could this be theirs". */
int dc_sig_names_key_of(const char *sig, size_t siglen, const char *signers, size_t len, const char *email);

/* "none", "good", "unknown-key", "wrong-principal", "bad", "not-ssh". */
const char *dc_sig_status_name(dc_sig_status status);

#endif
