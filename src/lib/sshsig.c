/*
 * sshsig.c - an SSHSIG by an ed25519 key verified in-process, as OpenSSH
 * 9.2's `ssh-keygen -Y verify -n git -I email` does (sshsig.c there), for the
 * common case only (reference §6.3, §6.8). It is stricter than OpenSSH
 * everywhere: what it does not accept it leaves to ssh-keygen, so it can
 * only ever save a process, never change an answer.
 *
 * Why "good" here implies "good" from ssh-keygen:
 * - the armour: ssh-keygen takes what lies between the BEGIN marker and the
 *   first "\n" END marker and decodes it with b64_pton (whitespace skipped,
 *   padding and zero trailing bits required); libsodium's decoder, with only
 *   " \t\r\n" ignorable and no NUL anywhere, accepts a subset of that;
 * - the blob: the same fields in the same order, version exactly 1, no
 *   trailing bytes, namespace "git", an empty reserved field (ssh-keygen
 *   signs over an empty one whatever the blob says), hash sha512 or sha256;
 * - the key and the signature: ssh-ed25519 only, 32 and 64 bytes exactly,
 *   no trailing bytes; libsodium's verification rejects non-canonical S,
 *   non-canonical or small-order keys and R that OpenSSH's reference code
 *   may accept, and otherwise checks the same equation on the same bytes;
 * - the signers file: ssh-keygen reads each line on its own (any line that
 *   does not parse or match is skipped) and says good at the first line
 *   whose principals match the email, whose key equals the signature's and
 *   whose options allow it; a line accepted here is such a line, and every
 *   line before it is one that ssh-keygen passes over in silence (it names
 *   the lines it complains about in its message, which is the answer's).
 */
#include "sshsig.h"

#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#define BEGIN_MARKER "-----BEGIN SSH SIGNATURE-----"
#define END_MARKER "\n-----END SSH SIGNATURE-----"
#define KEY_TYPE "ssh-ed25519"
#define KEY_TYPE_LEN (sizeof(KEY_TYPE) - 1)
#define NAMESPACE "git"
#define BLOB_MAX 1024
/* OpenSSH's match_pattern_list() gives up on a longer pattern */
#define SUBPATTERN_MAX 1023

/* --- principals: OpenSSH's match_pattern() and match_pattern_list() --- */

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

static int list_matches(const char *s, const char *list, size_t len)
{
	size_t i = 0;
	int positive = 0;

	while (i < len) {
		int negated = list[i] == '!';
		size_t start, n;

		if (negated)
			i++;
		for (start = i; i < len && list[i] != ','; i++)
			;
		n = i - start;
		if (n >= SUBPATTERN_MAX)
			return 0;
		if (i < len)
			i++;
		if (match_pattern(s, list + start, n)) {
			if (negated)
				return 0;
			positive = 1;
		}
	}
	return positive;
}

int dc_sshsig_principal_matches(const char *email, const char *list)
{
	return email && list && list_matches(email, list, strlen(list));
}

/* --- the signature --- */

static int get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
	if (end - *p < 4)
		return -1;
	*v = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 | (uint32_t)(*p)[2] << 8 | (*p)[3];
	*p += 4;
	return 0;
}

/* An SSH string (uint32 length, bytes) at *p of `end`. */
static int get_string(const unsigned char **p, const unsigned char *end, const unsigned char **s, size_t *n)
{
	uint32_t len;

	if (get_u32(p, end, &len) < 0 || (size_t)(end - *p) < len)
		return -1;
	*s = *p;
	*n = len;
	*p += len;
	return 0;
}

static int is(const unsigned char *s, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(s, want, n);
}

/* string("ssh-ed25519") || string(exactly `n` bytes), nothing after: into out. */
static int ed25519_blob(const unsigned char *b, size_t blen, unsigned char *out, size_t n)
{
	const unsigned char *p = b, *end = b + blen, *s;
	size_t sn;

	if (get_string(&p, end, &s, &sn) < 0 || !is(s, sn, KEY_TYPE))
		return -1;
	if (get_string(&p, end, &s, &sn) < 0 || sn != n || p != end)
		return -1;
	memcpy(out, s, n);
	return 0;
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_ok;

static void init_sodium(void)
{
	sodium_ok = sodium_init() >= 0;
}

static int ready(void)
{
	return pthread_once(&sodium_once, init_sodium) == 0 && sodium_ok;
}

int dc_sshsig_parse(dc_sshsig *out, const char *armor, size_t len)
{
	unsigned char blob[BLOB_MAX];
	const unsigned char *p, *end, *s;
	const char *body, *stop, *after;
	size_t blen = strlen(BEGIN_MARKER), elen = strlen(END_MARKER), n, bodylen;
	uint32_t version;

	if (!out || !armor || !ready())
		return -1;
	memset(out, 0, sizeof(*out));
	if (len < blen || memcmp(armor, BEGIN_MARKER, blen) || memchr(armor, '\0', len))
		return -1;
	body = armor + blen;
	if (!(stop = memmem(body, len - blen, END_MARKER, elen)))
		return -1;
	after = stop + elen;
	if (!(after == armor + len || (after + 1 == armor + len && *after == '\n')))
		return -1;
	bodylen = (size_t)(stop - body);
	if (sodium_base642bin(blob, sizeof(blob), body, bodylen, " \t\r\n", &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	p = blob;
	end = blob + n;
	if (n < 6 || memcmp(p, "SSHSIG", 6))
		return -1;
	p += 6;
	if (get_u32(&p, end, &version) < 0 || version != 1)
		return -1;
	if (get_string(&p, end, &s, &n) < 0 || ed25519_blob(s, n, out->pk, sizeof(out->pk)) < 0)
		return -1;
	if (get_string(&p, end, &s, &n) < 0 || !is(s, n, NAMESPACE))
		return -1;
	if (get_string(&p, end, &s, &n) < 0 || n != 0) /* reserved */
		return -1;
	if (get_string(&p, end, &s, &n) < 0)
		return -1;
	if (is(s, n, "sha256"))
		out->sha256 = 1;
	else if (!is(s, n, "sha512"))
		return -1;
	if (get_string(&p, end, &s, &n) < 0 || ed25519_blob(s, n, out->sig, sizeof(out->sig)) < 0)
		return -1;
	return p == end ? 0 : -1;
}

/* --- the signers file --- */

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * One line (no '\n', no NUL) of an allowed_signers file, as ssh-keygen
 * reads it for `email`: 1 when it lists pk for email (ssh-keygen stops
 * there and says good); 0 when ssh-keygen passes over it without a word
 * (principals that do not match, or another ed25519 key); -1 for anything
 * else (ssh-keygen may complain about the line, and its complaint is part of
 * the answer's message, or may take it): the caller asks ssh-keygen.
 */
static int line_lists(const unsigned char pk[DC_SSHSIG_PK_BYTES], const char *line, size_t len, const char *email)
{
	unsigned char blob[4 + KEY_TYPE_LEN + 4 + DC_SSHSIG_PK_BYTES + 1], key[DC_SSHSIG_PK_BYTES];
	const char *p = line, *end = line + len, *tok;
	int git_ok = 1;
	size_t bn, plen;

	while (p < end && blank(*p))
		p++;
	/* blank (also the "\r" of a CRLF file), or a comment */
	if (p == end || *p == '#' || (*p == '\r' && p + 1 == end))
		return 0;
	/* principals: ended by a blank, or all of it in double quotes and then a blank */
	if (*p == '"') {
		for (tok = ++p; p < end && *p != '"'; p++)
			if (*p == '\r' || *p == '\\')
				return -1;
		if (p == end)
			return -1;
		plen = (size_t)(p - tok);
		p++;
		if (p == end || !blank(*p))
			return -1;
	} else {
		for (tok = p; p < end && !blank(*p); p++)
			if (*p == '"' || *p == '\r' || *p == '\\')
				return -1;
		if (p == end)
			return -1;
		plen = (size_t)(p - tok);
	}
	if (!list_matches(email, tok, plen))
		return 0;
	while (p < end && blank(*p))
		p++;
	/* options: none, or exactly namespaces="list" */
	if ((size_t)(end - p) > 12 && !memcmp(p, "namespaces=\"", 12)) {
		p += 12;
		for (tok = p; p < end && *p != '"'; p++)
			if (blank(*p) || *p == '\\')
				return -1;
		if (p == end || p == tok)
			return -1;
		git_ok = list_matches(NAMESPACE, tok, (size_t)(p - tok));
		p++;
		if (p == end || !blank(*p))
			return -1;
		while (p < end && blank(*p))
			p++;
	}
	/* "ssh-ed25519", blanks, the key, then nothing or a blank and a comment */
	if ((size_t)(end - p) <= KEY_TYPE_LEN || memcmp(p, KEY_TYPE, KEY_TYPE_LEN) || !blank(p[KEY_TYPE_LEN]))
		return -1;
	p += KEY_TYPE_LEN;
	while (p < end && blank(*p))
		p++;
	for (tok = p; p < end && !blank(*p); p++)
		;
	if (p == tok || sodium_base642bin(blob, sizeof(blob), tok, (size_t)(p - tok), "\r", &bn, NULL,
					  sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	if (ed25519_blob(blob, bn, key, sizeof(key)) < 0)
		return -1;
	if (memcmp(key, pk, sizeof(key)))
		return 0;
	/* the key, but not for namespace git: ssh-keygen says so and goes on */
	return git_ok ? 1 : -1;
}

int dc_sshsig_listed(const unsigned char pk[DC_SSHSIG_PK_BYTES], const char *signers, size_t len,
		     const char *email)
{
	size_t at = 0;

	if (!pk || !signers || !email || !*email || memchr(signers, '\0', len) || !ready())
		return 0;
	while (at < len) {
		const char *line = signers + at, *nl = memchr(line, '\n', len - at);
		size_t llen = nl ? (size_t)(nl - line) : len - at;
		int r = line_lists(pk, line, llen, email);

		if (r != 0)
			return r > 0;
		at += llen + 1;
	}
	return 0;
}

/* --- the verification --- */

static void put_string(unsigned char **p, const void *s, size_t n)
{
	(*p)[0] = (unsigned char)(n >> 24);
	(*p)[1] = (unsigned char)(n >> 16);
	(*p)[2] = (unsigned char)(n >> 8);
	(*p)[3] = (unsigned char)n;
	memcpy(*p + 4, s, n);
	*p += 4 + n;
}

static int email_ok(const char *email)
{
	const unsigned char *e = (const unsigned char *)email;

	if (!*e)
		return 0;
	for (; *e; e++)
		if (*e < 0x20 || *e == 0x7f)
			return 0;
	return 1;
}

int dc_sshsig_good(const char *sig, size_t siglen, const char *payload, size_t paylen, const char *signers,
		   size_t len, const char *email, char *fingerprint, size_t fpsize)
{
	unsigned char hash[crypto_hash_sha512_BYTES], msg[6 + 4 + 3 + 4 + 4 + 6 + 4 + crypto_hash_sha512_BYTES];
	unsigned char keyblob[4 + KEY_TYPE_LEN + 4 + DC_SSHSIG_PK_BYTES], fp[crypto_hash_sha256_BYTES], *p;
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];
	size_t hlen;
	dc_sshsig s;

	if (!sig || (!payload && paylen) || !signers || !email || !fingerprint || fpsize < 8 + sizeof(b64))
		return 0;
	if (!email_ok(email) || dc_sshsig_parse(&s, sig, siglen) < 0)
		return 0;
	if (!dc_sshsig_listed(s.pk, signers, len, email))
		return 0;
	if (s.sha256) {
		crypto_hash_sha256(hash, (const unsigned char *)(payload ? payload : ""), paylen);
		hlen = crypto_hash_sha256_BYTES;
	} else {
		crypto_hash_sha512(hash, (const unsigned char *)(payload ? payload : ""), paylen);
		hlen = crypto_hash_sha512_BYTES;
	}
	p = msg;
	memcpy(p, "SSHSIG", 6);
	p += 6;
	put_string(&p, NAMESPACE, 3);
	put_string(&p, "", 0);
	put_string(&p, s.sha256 ? "sha256" : "sha512", 6);
	put_string(&p, hash, hlen);
	if (crypto_sign_ed25519_verify_detached(s.sig, msg, (unsigned long long)(p - msg), s.pk) != 0)
		return 0;
	p = keyblob;
	put_string(&p, KEY_TYPE, KEY_TYPE_LEN);
	put_string(&p, s.pk, sizeof(s.pk));
	crypto_hash_sha256(fp, keyblob, sizeof(keyblob));
	sodium_bin2base64(b64, sizeof(b64), fp, sizeof(fp), sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	memcpy(fingerprint, "SHA256:", 7);
	memcpy(fingerprint + 7, b64, strlen(b64) + 1);
	return 1;
}
