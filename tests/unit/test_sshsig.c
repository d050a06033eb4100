/*
 * test_sshsig.c - the in-process SSHSIG check (sshsig.c) against OpenSSH's
 * ssh-keygen, case by case. The group setup makes real keys (ed25519, rsa,
 * ecdsa) and real signatures with `ssh-keygen -Y sign`; every case is then
 * decided twice, by dc_sig_verify_data (in-process when it can) and by
 * dc_sig_verify_keygen (`ssh-keygen -Y verify`, as the hook ran it before),
 * and the two results must be identical: status, principals and message.
 * The cases: listed and unlisted keys, a key listed for another email,
 * namespaces="file" only, wildcard and negated principals, valid-before in
 * the past, a quoted principal, CRLF lines, sha256 and sha512, the "file"
 * namespace, rsa and ecdsa keys, bits flipped in the armour and the payload,
 * truncated armour, and hand-built blobs (trailing bytes, version 0, a
 * reserved field, a signature of another key type or length, another hash).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "signature.h"
#include "sshsig.h"
#include "fixture.h"

static char root[PATH_MAX];
static char *signers, *payload;
static size_t signers_len, payload_len;
static int compared, fast;

static const char fixture[] =
	"set -e\n"
	"cd \"$ROOT\"\n"
	"mkdir keys\n"
	"for k in alice bob dan frank carol erin grace henry mallory; do\n"
	"  ssh-keygen -q -t ed25519 -N '' -C $k@example.com -f keys/$k\n"
	"done\n"
	"ssh-keygen -q -t rsa -b 2048 -N '' -C rsa -f keys/rsa\n"
	"ssh-keygen -q -t ecdsa -b 256 -N '' -C ecdsa -f keys/ecdsa\n"
	"{\n"
	"  echo '# who signs'\n"
	"  echo \"alice@example.com $(cat keys/alice.pub)\"\n"
	"  echo \"bob@example.com namespaces=\\\"git\\\" $(cat keys/bob.pub)\"\n"
	"  echo \"*@team.example,!eve@team.example namespaces=\\\"file,g?t\\\" $(cat keys/dan.pub)\"\n"
	"  echo \"frank@example.com namespaces=\\\"file\\\" $(cat keys/frank.pub)\"\n"
	"  echo \"carol@example.com valid-before=\\\"20200101\\\" $(cat keys/carol.pub)\"\n"
	"  echo \"erin@example.com valid-after=\\\"20200101\\\",valid-before=\\\"20990101\\\" $(cat keys/erin.pub)\"\n"
	"  echo \"\\\"grace@example.com\\\" $(cat keys/grace.pub)\"\n"
	"  printf 'henry@example.com %s\\r\\n' \"$(cut -d' ' -f1,2 keys/henry.pub)\"\n"
	"  echo \"rsa@example.com $(cat keys/rsa.pub)\"\n"
	"  echo \"ecdsa@example.com namespaces=\\\"git\\\" $(cat keys/ecdsa.pub)\"\n"
	"} > allowed_signers\n"
	"printf 'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\\nauthor A <a@example.com> 1700000000 +0000\\n"
	"committer A <a@example.com> 1700000000 +0000\\n\\napprove SP-001\\n' > payload\n"
	"for k in alice bob dan frank carol erin grace henry mallory rsa ecdsa; do\n"
	"  ssh-keygen -q -Y sign -n git -f keys/$k < payload > $k.sig\n"
	"done\n"
	"ssh-keygen -q -Y sign -n git -O hashalg=sha256 -f keys/alice < payload > alice-sha256.sig\n"
	"ssh-keygen -q -Y sign -n file -f keys/alice < payload > alice-file.sig\n";

/* A file the fixture script wrote, under root. */
static char *slurp(const char *name, size_t *len)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	return fx_read_whole(path, len);
}

static char *sig_of(const char *name, size_t *len)
{
	char file[64];
	char *s;

	snprintf(file, sizeof(file), "%s.sig", name);
	s = slurp(file, len);
	if (!s)
		fail_msg("no signature %s", file);
	return s;
}

static int group_setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s/dc-sshsig.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root) || sodium_init() < 0)
		return -1;
	if (fx_run_script(root, fixture) != 0) {
		fprintf(stderr, "fixture failed; see %s/script.log\n", root);
		return -1;
	}
	signers = slurp("allowed_signers", &signers_len);
	payload = slurp("payload", &payload_len);
	return signers && payload ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	print_message("compared %d cases with ssh-keygen, %d of them decided in-process\n", compared, fast);
	free(signers);
	free(payload);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * One case: the in-process path and ssh-keygen give the same result.
 * `want_fast` 1: it must be decided in-process (a good plain ed25519
 * signature); 0: it must not; -1: either. Returns the status.
 */
static dc_sig_status same(const char *what, const char *sig, size_t siglen, const char *pay, size_t paylen,
			  const char *sigs, size_t slen, const char *email, int want_fast)
{
	dc_sig_result a, b;
	char fp[128];
	int in_process = dc_sshsig_good(sig, siglen, pay, paylen, sigs, slen, email, fp, sizeof(fp));
	time_t now = time(NULL);

	if (dc_sig_verify_data(&a, sig, siglen, pay, paylen, sigs, slen, email, now, 0, 0) != 0)
		fail_msg("%s: dc_sig_verify_data: %s", what, dc_error_last());
	if (dc_sig_verify_keygen(&b, sig, siglen, pay, paylen, sigs, slen, email, now, 0, 0) != 0)
		fail_msg("%s: dc_sig_verify_keygen: %s", what, dc_error_last());
	compared++;
	fast += in_process;
	if (a.status != b.status || strcmp(a.detail, b.detail) || strcmp(a.principals, b.principals))
		fail_msg("%s for %s: in-process %s \"%s\" [%s], ssh-keygen %s \"%s\" [%s]", what, email,
			 dc_sig_status_name(a.status), a.detail, a.principals, dc_sig_status_name(b.status), b.detail,
			 b.principals);
	if (want_fast >= 0 && in_process != want_fast)
		fail_msg("%s for %s: decided in-process %d, expected %d", what, email, in_process, want_fast);
	if (in_process && b.status != DC_SIG_GOOD)
		fail_msg("%s for %s: in-process good, ssh-keygen %s", what, email, dc_sig_status_name(b.status));
	return b.status;
}

static dc_sig_status same_sig(const char *name, const char *email, int want_fast)
{
	size_t len;
	char *sig = sig_of(name, &len);
	dc_sig_status st = same(name, sig, len, payload, payload_len, signers, signers_len, email, want_fast);

	free(sig);
	return st;
}

static void listed_keys_and_principals(void **state)
{
	(void)state;
	assert_int_equal(same_sig("alice", "alice@example.com", 1), DC_SIG_GOOD);
	assert_int_equal(same_sig("alice-sha256", "alice@example.com", 1), DC_SIG_GOOD);
	assert_int_equal(same_sig("bob", "bob@example.com", 1), DC_SIG_GOOD);
	assert_int_equal(same_sig("dan", "x@team.example", 1), DC_SIG_GOOD);
	assert_int_equal(same_sig("henry", "henry@example.com", 1), DC_SIG_GOOD);
	assert_int_equal(same_sig("dan", "eve@team.example", 0), DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(same_sig("dan", "x@team.example.org", 0), DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(same_sig("alice", "bob@example.com", 0), DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(same_sig("bob", "alice@example.com", 0), DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(same_sig("alice", "Alice@example.com", 0), DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(same_sig("mallory", "alice@example.com", 0), DC_SIG_UNKNOWN_KEY);
	/* frank's key is for the "file" namespace only */
	assert_int_equal(same_sig("frank", "frank@example.com", 0), DC_SIG_BAD);
	/* carol's key expired in 2020; erin's is valid now */
	assert_int_equal(same_sig("carol", "carol@example.com", 0), DC_SIG_UNKNOWN_KEY);
	assert_int_equal(same_sig("erin", "erin@example.com", 0), DC_SIG_GOOD);
	/* a quoted principal */
	assert_int_equal(same_sig("grace", "grace@example.com", 1), DC_SIG_GOOD);
	/* the "file" namespace does not sign commits */
	assert_int_equal(same_sig("alice-file", "alice@example.com", 0), DC_SIG_BAD);
}

static void rsa_and_ecdsa_fall_back(void **state)
{
	(void)state;
	assert_int_equal(same_sig("rsa", "rsa@example.com", 0), DC_SIG_GOOD);
	assert_int_equal(same_sig("ecdsa", "ecdsa@example.com", 0), DC_SIG_GOOD);
	assert_int_equal(same_sig("rsa", "alice@example.com", 0), DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(same_sig("ecdsa", "bob@example.com", 0), DC_SIG_WRONG_PRINCIPAL);
}

static void signers_file_variants(void **state)
{
	static const char *const prefixes[] = {
		"",
		"alice@example.com cert-authority ",
		"alice@example.com valid-before=\"20200101\" ",
		"alice@example.com namespaces=\"file\" ",
		"alice@example.com namespaces=\"git\",valid-after=\"20200101\" ",
		"alice@example.com,!alice@example.com ",
		"*@example.com ",
		"al?ce@example.com namespaces=\"*\" ",
		"  alice@example.com\tnamespaces=\"!file,git\"  ",
		"alice@example.com namespaces=\"!git,*\" ",
		"alice@example.com NAMESPACES=\"git\" ",
		"alice@example.com unknown-option ",
		"# alice@example.com ",
		"\"alice@example.com\"namespaces=\"git\" ",
		"\"alice@example.com,bob@example.com\" ",
		"\"alice@example.com ",
		"alice@example.com\" ",
		"alice@example.com\r ",
	};
	size_t alen, klen, i;
	char *sig = sig_of("alice", &alen), *pub = slurp("keys/alice.pub", &klen), *bobpub = slurp("keys/bob.pub", &klen);

	(void)state;
	assert_non_null(pub);
	assert_non_null(bobpub);
	bobpub[strcspn(bobpub, "\n")] = '\0';
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		char file[1024];
		int n = snprintf(file, sizeof(file), "%s%s", prefixes[i], pub);

		assert_true(n > 0 && (size_t)n < sizeof(file));
		same(prefixes[i], sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", -1);
	}
	/* the key of the line broken: ssh-keygen skips that line */
	{
		char file[2048];
		int n = snprintf(file, sizeof(file), "alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\nalice@example.com %s", pub);

		same("broken line first", sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", 0);
		n = snprintf(file, sizeof(file), "bob@example.com,alice@example.com %s\nalice@example.com %s", bobpub, pub);
		same("another key first", sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", 1);
		n = snprintf(file, sizeof(file), "alice@example.com namespaces=\"file\" %s\nalice@example.com %s", pub, pub);
		same("file only first", sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", 0);
		n = snprintf(file, sizeof(file), "bob@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA\nalice@example.com %s", pub);
		same("broken line of another", sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", 1);
		n = snprintf(file, sizeof(file), "# CRLF\r\n\r\n  \r\nalice@example.com %.*s\r\n", (int)strcspn(pub, "\n"), pub);
		same("CRLF and blank lines", sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", 1);
		n = snprintf(file, sizeof(file), "\r\r\nalice@example.com %s", pub);
		same("two CRs", sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", 0);
		same("no signers", sig, alen, payload, payload_len, "", 0, "alice@example.com", 0);
	}
	free(sig);
	free(pub);
	free(bobpub);
}

/* Random edits of a signers file (a fixed seed, so the same cases every run):
 * one to three characters of alice's line replaced by characters that mean
 * something to the format. */
static void edited_signers_lines(void **state)
{
	static const char alphabet[] = " \t\",*!=#\r\naA/+?-.@";
	size_t alen, klen, i, k;
	char *sig = sig_of("alice", &alen), *pub = slurp("keys/alice.pub", &klen);
	unsigned long seed = 20261207;

	(void)state;
	assert_non_null(pub);
	for (i = 0; i < 40; i++) {
		char file[1024], what[64];
		int n = snprintf(file, sizeof(file), "alice@example.com namespaces=\"git\" %s", pub);
		size_t edits;

		assert_true(n > 0 && (size_t)n < sizeof(file));
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		edits = 1 + (seed >> 33) % 3;
		for (k = 0; k < edits; k++) {
			size_t at;

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			/* mostly in the principals and options, sometimes in the key */
			at = (seed >> 40) % ((seed >> 20) % 4 ? 40 : (size_t)n);
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			file[at] = alphabet[(seed >> 35) % (sizeof(alphabet) - 1)];
		}
		snprintf(what, sizeof(what), "edited signers line %zu", i);
		same(what, sig, alen, payload, payload_len, file, (size_t)n, "alice@example.com", -1);
	}
	free(sig);
	free(pub);
}

static void flipped_and_truncated(void **state)
{
	size_t len, i;
	char *sig = sig_of("alice", &len), *copy = malloc(len + 1), *pay = malloc(payload_len);

	(void)state;
	assert_non_null(copy);
	assert_non_null(pay);
	/* one character of the armour changed at a time, across all of it */
	for (i = 0; i < len; i += len / 40 + 1) {
		char what[64];

		memcpy(copy, sig, len);
		copy[i] = copy[i] == 'A' ? 'B' : (copy[i] == '\n' ? ' ' : 'A');
		snprintf(what, sizeof(what), "armour changed at %zu", i);
		same(what, copy, len, payload, payload_len, signers, signers_len, "alice@example.com", -1);
	}
	/* truncated */
	for (i = 0; i < len; i += len / 8 + 1) {
		char what[64];

		snprintf(what, sizeof(what), "armour cut at %zu", i);
		same(what, sig, i, payload, payload_len, signers, signers_len, "alice@example.com", 0);
	}
	/* a bit of the payload flipped */
	for (i = 0; i < payload_len; i += payload_len / 4 + 1) {
		char what[64];

		memcpy(pay, payload, payload_len);
		pay[i] ^= 1;
		snprintf(what, sizeof(what), "payload bit flipped at %zu", i);
		assert_int_equal(same(what, sig, len, pay, payload_len, signers, signers_len, "alice@example.com", 0),
				 DC_SIG_BAD);
	}
	/* what follows the END marker */
	memcpy(copy, sig, len);
	copy[len] = 'x';
	same("a byte after the armour", copy, len + 1, payload, payload_len, signers, signers_len, "alice@example.com",
	     0);
	free(sig);
	free(copy);
	free(pay);
}

/* --- hand-built blobs --- */

typedef struct {
	unsigned char b[1024];
	size_t n;
} blob;

static void put(blob *b, const void *s, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, s, n);
	b->n += n;
}

static void put_u32(blob *b, uint32_t v)
{
	unsigned char x[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			       (unsigned char)v };

	put(b, x, 4);
}

static void put_str(blob *b, const void *s, size_t n)
{
	put_u32(b, (uint32_t)n);
	put(b, s, n);
}

static void put_cstr(blob *b, const char *s)
{
	put_str(b, s, strlen(s));
}

typedef struct {
	uint32_t version;
	const char *key_type, *ns, *reserved, *hash, *sig_type;
	size_t siglen;
	int trailing, sig_trailing, other_key;
} spec;

/* The SSHSIG of `s`, with alice's signature bytes, armoured as ssh-keygen does. */
static char *build(const spec *s, const dc_sshsig *alice, const dc_sshsig *bob, size_t *len)
{
	blob b = { { 0 }, 0 }, key = { { 0 }, 0 }, sg = { { 0 }, 0 };
	char b64[2048], *out, *p;
	size_t i, n;

	put_cstr(&key, s->key_type);
	put_str(&key, s->other_key ? bob->pk : alice->pk, DC_SSHSIG_PK_BYTES);
	put_cstr(&sg, s->sig_type);
	put_str(&sg, alice->sig, s->siglen);
	if (s->sig_trailing)
		put(&sg, "", 1);
	put(&b, "SSHSIG", 6);
	put_u32(&b, s->version);
	put_str(&b, key.b, key.n);
	put_cstr(&b, s->ns);
	put_cstr(&b, s->reserved);
	put_cstr(&b, s->hash);
	put_str(&b, sg.b, sg.n);
	if (s->trailing)
		put(&b, "\0\0", 2);
	sodium_bin2base64(b64, sizeof(b64), b.b, b.n, sodium_base64_VARIANT_ORIGINAL);
	n = strlen(b64);
	out = p = malloc(n + n / 70 + 128);
	assert_non_null(out);
	p += sprintf(p, "-----BEGIN SSH SIGNATURE-----\n");
	for (i = 0; i < n; i += 70)
		p += sprintf(p, "%.70s\n", b64 + i);
	p += sprintf(p, "-----END SSH SIGNATURE-----\n");
	*len = (size_t)(p - out);
	return out;
}

static void hand_built_blobs(void **state)
{
	static const spec base = { 1, "ssh-ed25519", "git", "", "sha512", "ssh-ed25519", 64, 0, 0, 0 };
	size_t alen, blen, len, i;
	char *a = sig_of("alice", &alen), *bsig = sig_of("bob", &blen), *sig;
	dc_sshsig alice, bob, scratch;
	spec cases[12];

	(void)state;
	assert_int_equal(dc_sshsig_parse(&alice, a, alen), 0);
	assert_int_equal(dc_sshsig_parse(&bob, bsig, blen), 0);
	assert_int_equal(alice.sha256, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cases[i] = base;
	cases[1].trailing = 1;
	cases[2].version = 0;
	cases[3].reserved = "x";
	cases[4].sig_type = "ssh-ed25518";
	cases[5].sig_trailing = 1;
	cases[6].siglen = 63;
	cases[7].hash = "sha384";
	cases[8].other_key = 1;
	cases[9].ns = "file";
	cases[10].version = 2;
	cases[11].key_type = "ssh-ed25519-cert-v01@openssh.com";
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[64];
		dc_sig_status st;

		sig = build(&cases[i], &alice, &bob, &len);
		snprintf(what, sizeof(what), "hand-built blob %zu", i);
		st = same(what, sig, len, payload, payload_len, signers, signers_len, "alice@example.com", i == 0);
		/* the rebuilt original is byte-identical to ssh-keygen's */
		if (i == 0) {
			assert_int_equal(st, DC_SIG_GOOD);
			assert_int_equal(len, alen);
			assert_memory_equal(sig, a, len);
		} else {
			/* bob's key with alice's signature parses, and does not verify */
			assert_int_equal(dc_sshsig_parse(&scratch, sig, len), i == 8 ? 0 : -1);
		}
		free(sig);
	}
	free(a);
	free(bsig);
}

static void parser_refuses_what_it_does_not_know(void **state)
{
	dc_sshsig s;
	size_t len;
	char *sig;

	(void)state;
	sig = sig_of("rsa", &len);
	assert_int_equal(dc_sshsig_parse(&s, sig, len), -1);
	free(sig);
	sig = sig_of("alice-sha256", &len);
	assert_int_equal(dc_sshsig_parse(&s, sig, len), 0);
	assert_int_equal(s.sha256, 1);
	free(sig);
	assert_int_equal(dc_sshsig_parse(&s, "", 0), -1);
	assert_int_equal(dc_sshsig_parse(&s, "-----BEGIN SSH SIGNATURE-----\n\n-----END SSH SIGNATURE-----\n", 58), -1);
	assert_true(dc_sshsig_principal_matches("a@b.c", "*@b.c"));
	assert_false(dc_sshsig_principal_matches("a@b.c", "*@b.c,!a@*"));
	assert_false(dc_sshsig_principal_matches("a@b.c", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listed_keys_and_principals),
		cmocka_unit_test(rsa_and_ecdsa_fall_back),
		cmocka_unit_test(signers_file_variants),
		cmocka_unit_test(edited_signers_lines),
		cmocka_unit_test(flipped_and_truncated),
		cmocka_unit_test(hand_built_blobs),
		cmocka_unit_test(parser_refuses_what_it_does_not_know),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
