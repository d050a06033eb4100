/*
 * test_signature.c - SSH commit signatures against real git, real ssh-keygen
 * and real ed25519 keys: the group setup builds a throwaway repository with
 * unsigned, signed, foreign-key, expired-key, tampered and hand-made commits,
 * each tagged, and every test checks the status dc_sig_verify_commit gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "signature.h"
#include "fixture.h"

/* 2019-06-02, 2100-01-01 (UTC). */
#define T_2019 ((time_t)1559433600)
#define T_2100 ((time_t)4102444800)

static char root[PATH_MAX];
static git_repository *repo;
static char *signers;
static size_t signers_len;

static const char fixture[] =
	"set -e\n"
	"cd \"$ROOT\"\n"
	"export HOME=\"$ROOT\" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null\n"
	"export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.com\n"
	"export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.com\n"
	"mkdir keys empty tmp fakebin\n"
	"for k in alice bob mallory carol dan erin; do\n"
	"  ssh-keygen -q -t ed25519 -N '' -C $k -f keys/$k\n"
	"done\n"
	"{\n"
	"  echo \"alice@example.com namespaces=\\\"git\\\" $(cat keys/alice.pub)\"\n"
	"  echo \"bob@example.com namespaces=\\\"git\\\" $(cat keys/bob.pub)\"\n"
	"  echo \"carol@example.com namespaces=\\\"git\\\",valid-before=\\\"20200101\\\" $(cat keys/carol.pub)\"\n"
	"  echo \"*@team.example,!eve@team.example namespaces=\\\"git\\\" $(cat keys/dan.pub)\"\n"
	"  echo \"erin@example.com namespaces=\\\"git\\\",valid-after=\\\"20200101\\\",valid-before=\\\"20990101\\\" $(cat keys/erin.pub)\"\n"
	"} > allowed_signers\n"
	"git init -q repo\n"
	"cd repo\n"
	"sign() { key=$1; shift; git -c gpg.format=ssh -c user.signingkey=\"$ROOT/keys/$key\" commit -q -S \"$@\"; }\n"
	"echo 1 > f && git add f && git commit -q -m unsigned && git tag unsigned\n"
	"echo 2 > f && sign alice -a -m 'signed by alice' && git tag alice\n"
	"echo 3 > f && sign mallory -a -m 'signed by mallory' && git tag mallory\n"
	"echo 4 > f && GIT_COMMITTER_DATE=2019-06-01T00:00:00Z sign carol -a -m 'signed by carol' && git tag carol\n"
	"echo 5 > f && sign dan -a -m 'signed by dan' && git tag dan\n"
	"echo 6 > f && sign erin -a -m 'signed by erin' && git tag erin\n"
	/* The message of alice's commit changed, her signature kept. */
	"git cat-file commit alice | sed 's/^signed by alice$/signed by alice, then changed/' > tampered.txt\n"
	"grep -q 'then changed' tampered.txt\n"
	"git tag tampered $(git hash-object -t commit -w --stdin < tampered.txt)\n"
	/* Hand-made signatures over the unsigned commit: namespace git and file. */
	"withsig() {\n"
	"  sed '/^$/,$d' \"$1\"; printf 'gpgsig '; sed -n 1p \"$2\"; sed '1d; s/^/ /' \"$2\"\n"
	"  echo; sed '1,/^$/d' \"$1\"\n"
	"}\n"
	"git cat-file commit unsigned > base.txt\n"
	"cp base.txt ns-git.txt && ssh-keygen -q -Y sign -n git -f \"$ROOT/keys/alice\" ns-git.txt\n"
	"cp base.txt ns-file.txt && ssh-keygen -q -Y sign -n file -f \"$ROOT/keys/alice\" ns-file.txt\n"
	"git tag handmade-git $(withsig base.txt ns-git.txt.sig | git hash-object -t commit -w --stdin)\n"
	"git tag handmade-file $(withsig base.txt ns-file.txt.sig | git hash-object -t commit -w --stdin)\n"
	"printf -- '-----BEGIN PGP SIGNATURE-----\\n\\niQEzBAABCAAdFiEE\\n=AbCd\\n-----END PGP SIGNATURE-----\\n' > pgp.sig\n"
	"git tag pgp $(withsig base.txt pgp.sig | git hash-object -t commit -w --stdin)\n"
	"printf '#!/bin/sh\\nexec %s 30\\n' \"$(command -v sleep)\" > ../fakebin/ssh-keygen\n"
	"chmod +x ../fakebin/ssh-keygen\n";

static int group_setup(void **state)
{
	char path[PATH_MAX + 32];

	(void)state;
	snprintf(root, sizeof(root), "%s/dc-sigtest.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return -1;
	if (fx_run_script(root, fixture) != 0) {
		fprintf(stderr, "fixture failed; see %s/script.log\n", root);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/allowed_signers", root);
	signers = fx_read_whole(path, &signers_len);
	if (!signers)
		return -1;
	git_libgit2_init();
	snprintf(path, sizeof(path), "%s/repo", root);
	return git_repository_open(&repo, path) < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(signers);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static git_oid resolve(const char *tag)
{
	git_object *obj = NULL;
	char spec[128];
	git_oid id;

	snprintf(spec, sizeof(spec), "%s^{commit}", tag);
	assert_int_equal(git_revparse_single(&obj, repo, spec), 0);
	git_oid_cpy(&id, git_object_id(obj));
	git_object_free(obj);
	return id;
}

static dc_sig_result verify_at(const char *tag, const char *email, time_t now)
{
	dc_sig_result r;
	git_oid id = resolve(tag);
	int rc = dc_sig_verify_commit(&r, repo, &id, signers, signers_len, email, now);

	if (rc != 0)
		fail_msg("dc_sig_verify_commit(%s): %s", tag, dc_error_last());
	return r;
}

static dc_sig_result verify(const char *tag, const char *email)
{
	return verify_at(tag, email, time(NULL));
}

/* Runs `git verify-commit` on the tag, as the reference the library mirrors. */
static int git_verify_commit(const char *tag)
{
	char cmd[3 * PATH_MAX];

	snprintf(cmd, sizeof(cmd),
		"cd '%s/repo' && GIT_CONFIG_NOSYSTEM=1 git -c gpg.format=ssh "
		"-c gpg.ssh.allowedSignersFile='%s/allowed_signers' verify-commit %s >/dev/null 2>&1",
		root, root, tag);
	return system(cmd);
}

static void unsigned_commit_is_none(void **state)
{
	dc_sig_result r = verify("unsigned", "alice@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_NONE);
	assert_string_equal(dc_sig_status_name(r.status), "none");
	assert_string_equal(r.principals, "");
}

static void signed_by_alice_is_good_for_alice(void **state)
{
	dc_sig_result r = verify("alice", "alice@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_GOOD);
	assert_string_equal(dc_sig_status_name(r.status), "good");
	assert_string_equal(r.principals, "alice@example.com");
	assert_non_null(strstr(r.detail, "Good \"git\" signature for alice@example.com"));
	assert_null(strchr(r.detail, '\n'));
	assert_int_equal(git_verify_commit("alice"), 0);
}

static void signed_by_alice_is_wrong_principal_for_bob(void **state)
{
	dc_sig_result r = verify("alice", "bob@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_WRONG_PRINCIPAL);
	assert_string_equal(dc_sig_status_name(r.status), "wrong-principal");
	assert_string_equal(r.principals, "alice@example.com");
	assert_non_null(strstr(r.detail, "bob@example.com"));
}

static void foreign_key_is_unknown(void **state)
{
	dc_sig_result r = verify("mallory", "alice@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_UNKNOWN_KEY);
	assert_string_equal(r.principals, "");
	assert_string_equal(r.detail, "No principal matched.");
}

static void tampered_message_is_bad(void **state)
{
	dc_sig_result r = verify("tampered", "alice@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_BAD);
	assert_string_equal(dc_sig_status_name(r.status), "bad");
	assert_string_equal(r.principals, "alice@example.com");
	assert_non_null(strstr(r.detail, "incorrect signature"));
	assert_int_not_equal(git_verify_commit("tampered"), 0);
}

static void tampered_message_for_someone_else_is_wrong_principal(void **state)
{
	dc_sig_result r = verify("tampered", "bob@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_WRONG_PRINCIPAL);
}

/*
 * carol's key expired on 2020-01-01; her commit claims 2019 as its committer
 * date, which git verify-commit would believe. The server's clock decides.
 */
static void expired_key_is_not_good_today(void **state)
{
	dc_sig_result r = verify("carol", "carol@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_UNKNOWN_KEY);
	assert_non_null(strstr(r.detail, "key has expired"));
	assert_null(strstr(r.detail, "/tmp"));
}

static void expired_key_was_good_before_it_expired(void **state)
{
	dc_sig_result r = verify_at("carol", "carol@example.com", T_2019);

	(void)state;
	assert_int_equal(r.status, DC_SIG_GOOD);
}

static void validity_window_follows_now(void **state)
{
	(void)state;
	assert_int_equal(verify("erin", "erin@example.com").status, DC_SIG_GOOD);
	assert_int_equal(verify_at("erin", "erin@example.com", T_2019).status, DC_SIG_UNKNOWN_KEY);
	assert_int_equal(verify_at("erin", "erin@example.com", T_2100).status, DC_SIG_UNKNOWN_KEY);
	/* A line without validity options is good at any time. */
	assert_int_equal(verify_at("alice", "alice@example.com", T_2100).status, DC_SIG_GOOD);
}

static void principal_patterns_match_as_openssh(void **state)
{
	dc_sig_result r = verify("dan", "dan@team.example");

	(void)state;
	assert_int_equal(r.status, DC_SIG_GOOD);
	assert_string_equal(r.principals, "*@team.example,!eve@team.example");
	assert_int_equal(verify("dan", "eve@team.example").status, DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(verify("dan", "dan@example.com").status, DC_SIG_WRONG_PRINCIPAL);
	assert_int_equal(verify("dan", "").status, DC_SIG_WRONG_PRINCIPAL);
}

static void handmade_git_namespace_is_good(void **state)
{
	(void)state;
	assert_int_equal(verify("handmade-git", "alice@example.com").status, DC_SIG_GOOD);
}

static void file_namespace_is_bad(void **state)
{
	dc_sig_result r = verify("handmade-file", "alice@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_BAD);
	assert_int_not_equal(git_verify_commit("handmade-file"), 0);
}

static void pgp_signature_is_not_ssh(void **state)
{
	dc_sig_result r = verify("pgp", "alice@example.com");

	(void)state;
	assert_int_equal(r.status, DC_SIG_NOT_SSH);
	assert_string_equal(dc_sig_status_name(r.status), "not-ssh");
}

static void empty_signers_file_knows_no_key(void **state)
{
	dc_sig_result r;
	git_oid id = resolve("alice");

	(void)state;
	assert_int_equal(dc_sig_verify_commit(&r, repo, &id, "", 0, "alice@example.com", time(NULL)), 0);
	assert_int_equal(r.status, DC_SIG_UNKNOWN_KEY);
}

static void missing_commit_is_an_error(void **state)
{
	dc_sig_result r;
	git_oid id;

	(void)state;
	git_oid_fromstr(&id, "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(dc_sig_verify_commit(&r, repo, &id, signers, signers_len,
		"alice@example.com", time(NULL)), -1);
	assert_non_null(strstr(dc_error_last(), "0123456789abcdef0123456789abcdef01234567"));
}

static void temporary_files_are_removed(void **state)
{
	char tmp[PATH_MAX + 8], cmd[PATH_MAX + 64];
	const char *old = getenv("TMPDIR");
	char *saved = old ? strdup(old) : NULL;

	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/tmp", root);
	setenv("TMPDIR", tmp, 1);
	assert_int_equal(verify("alice", "alice@example.com").status, DC_SIG_GOOD);
	assert_int_equal(verify("mallory", "alice@example.com").status, DC_SIG_UNKNOWN_KEY);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A '%s')\"", tmp);
	assert_int_equal(system(cmd), 0);
}

/* Swaps PATH for `dir` (relative to root) around one call. */
static int verify_with_path(const char *dir, dc_sig_result *r)
{
	char *saved = strdup(getenv("PATH"));
	char path[PATH_MAX + 16];
	git_oid id = resolve("alice");
	int rc;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	setenv("PATH", path, 1);
	rc = dc_sig_verify_commit(r, repo, &id, signers, signers_len, "alice@example.com", time(NULL));
	setenv("PATH", saved, 1);
	free(saved);
	return rc;
}

static void missing_ssh_keygen_is_an_error(void **state)
{
	dc_sig_result r;

	(void)state;
	assert_int_equal(verify_with_path("empty", &r), -1);
	assert_non_null(strstr(dc_error_last(), "cannot run 'ssh-keygen'"));
}

static void hanging_ssh_keygen_is_killed(void **state)
{
	dc_sig_result r;
	time_t start = time(NULL);

	(void)state;
	assert_int_equal(verify_with_path("fakebin", &r), -1);
	assert_non_null(strstr(dc_error_last(), "did not finish within 10 s"));
	assert_true(time(NULL) - start < 15);
}

/* Whose key a signature names, without verifying it (four eyes counts the
 * signer of a content change so, reference §6.2 item 5). */
static int names_key_of(const char *tag, const char *email)
{
	git_buf sig = GIT_BUF_INIT, payload = GIT_BUF_INIT;
	git_oid id = resolve(tag);
	int rc = dc_sig_extract(repo, &id, &sig, &payload), named;

	assert_true(rc >= 0);
	named = rc == 0 && dc_sig_names_key_of(sig.ptr, sig.size, signers, signers_len, email);
	git_buf_dispose(&sig);
	git_buf_dispose(&payload);
	return named;
}

static void signature_names_its_signers_key(void **state)
{
	(void)state;
	assert_true(names_key_of("alice", "alice@example.com"));
	assert_false(names_key_of("alice", "bob@example.com"));
	assert_false(names_key_of("mallory", "alice@example.com"));
	assert_false(names_key_of("unsigned", "alice@example.com"));
	assert_false(names_key_of("pgp", "alice@example.com"));
	/* a principal pattern, and its exclusion */
	assert_true(names_key_of("dan", "someone@team.example"));
	assert_false(names_key_of("dan", "eve@team.example"));
	/* a tampered commit still names alice's key: four eyes counts it */
	assert_true(names_key_of("tampered", "alice@example.com"));
	assert_false(dc_sig_names_key_of("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n", 66,
					 signers, signers_len, "alice@example.com"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsigned_commit_is_none),
		cmocka_unit_test(signed_by_alice_is_good_for_alice),
		cmocka_unit_test(signed_by_alice_is_wrong_principal_for_bob),
		cmocka_unit_test(foreign_key_is_unknown),
		cmocka_unit_test(tampered_message_is_bad),
		cmocka_unit_test(tampered_message_for_someone_else_is_wrong_principal),
		cmocka_unit_test(expired_key_is_not_good_today),
		cmocka_unit_test(expired_key_was_good_before_it_expired),
		cmocka_unit_test(validity_window_follows_now),
		cmocka_unit_test(principal_patterns_match_as_openssh),
		cmocka_unit_test(handmade_git_namespace_is_good),
		cmocka_unit_test(file_namespace_is_bad),
		cmocka_unit_test(pgp_signature_is_not_ssh),
		cmocka_unit_test(empty_signers_file_knows_no_key),
		cmocka_unit_test(missing_commit_is_an_error),
		cmocka_unit_test(temporary_files_are_removed),
		cmocka_unit_test(missing_ssh_keygen_is_an_error),
		cmocka_unit_test(hanging_ssh_keygen_is_killed),
		cmocka_unit_test(signature_names_its_signers_key),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
