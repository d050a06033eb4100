/*
 * sshsig.h - the common case of an SSH commit signature (reference §6.3,
 * §6.8) decided in-process: an SSHSIG (version 1, namespace "git", sha512 or
 * sha256) by an ssh-ed25519 key that a plain line of the signers file lists
 * for the person. It only ever says "good" when OpenSSH's
 * `ssh-keygen -Y verify -n git -I email` would; everything else (another key
 * type, a certificate, an option other than namespaces=, a signature that
 * does not verify, anything it does not parse) is left to ssh-keygen by the
 * caller (signature.c), so every other answer stays ssh-keygen's own.
 * Ed25519 and the hashes are libsodium's. Thread-safe.
 */
#ifndef DC_SSHSIG_H
#define DC_SSHSIG_H

#include <stddef.h>

#define DC_SSHSIG_PK_BYTES 32
#define DC_SSHSIG_SIG_BYTES 64

typedef struct {
	unsigned char pk[DC_SSHSIG_PK_BYTES];   /* the ed25519 public key */
	unsigned char sig[DC_SSHSIG_SIG_BYTES]; /* the ed25519 signature */
	int sha256;                             /* hash_alg "sha256" (else "sha512") */
} dc_sshsig;

/*
 * Parses the armoured signature `armor` (`len` bytes, as git stores it in a
 * commit's gpgsig header): 0 when it is exactly "-----BEGIN SSH SIGNATURE-----",
 * base64 (whitespace between lines only), "\n-----END SSH SIGNATURE-----" and at
 * most one newline, of a blob "SSHSIG" || uint32 1 || string(publickey) ||
 * string("git") || string("") || string(hash_alg) || string(signature) with
 * nothing after it, where publickey is string("ssh-ed25519") || string(32
 * bytes) and signature is string("ssh-ed25519") || string(64 bytes); -1 for
 * anything else (not an answer: ssh-keygen decides those).
 */
int dc_sshsig_parse(dc_sshsig *out, const char *armor, size_t len);

/*
 * Nonzero when a line of `signers` (git's allowed_signers format, `len`
 * bytes) lists the ed25519 key `pk` for `email` in the form this file
 * understands: principals (plain, or all in double quotes) matching `email`
 * as OpenSSH's match_pattern_list does, then either nothing or namespaces="..." that
 * admits "git", then "ssh-ed25519" and the key, and every line before it is
 * a comment, a line whose plain principals do not match, or a line in that
 * form for another key. Zero for anything else (ssh-keygen decides).
 */
int dc_sshsig_listed(const unsigned char pk[DC_SSHSIG_PK_BYTES], const char *signers, size_t len,
		     const char *email);

/*
 * 1 when the signature `sig` over `payload` is good for `email` per
 * `signers`, decided here; `fingerprint` (at least 64 bytes) then holds the
 * key's "SHA256:..." fingerprint as ssh-keygen prints it. 0 when this file
 * cannot say (the caller asks ssh-keygen): never 1 when ssh-keygen would
 * not say good.
 */
int dc_sshsig_good(const char *sig, size_t siglen, const char *payload, size_t paylen, const char *signers,
		   size_t len, const char *email, char *fingerprint, size_t fpsize);

/* OpenSSH's match_pattern_list() (case-sensitive) for a signers line's
 * principals field: comma-separated '*' / '?' patterns, "!pattern" excludes;
 * nonzero on a match. */
int dc_sshsig_principal_matches(const char *email, const char *list);

#endif
