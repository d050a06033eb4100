/*
 * cmd_hook.c - `docctl hook NAME`: the entry points git runs. Each hook is a
 * thin layer over the library; they all fail closed (reference §5.2): anything
 * that goes wrong refuses with the reason.
 *
 * The server hooks (pre-receive, update, post-receive) read the ref updates
 * git gives them, ask the library (receive.h) about each ref, and print its
 * findings, prefixed by the ref, with one summary line per refused ref.
 *
 * DOCCTL_AS_OF=YYYY-MM-DD sets "today" for the date rules (tests, audits).
 */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "buf.h"
#include "cli.h"
#include "error.h"
#include "fileio.h"
#include "fm_edit.h"
#include "libgit2_init.h"
#include "precommit.h"
#include "receive.h"
#include "text.h"

static int hook_today(dc_date *out)
{
	if (dc_today(out, NULL) < 0) {
		fprintf(stderr, _("docctl: DOCCTL_AS_OF='%s' is not a date (YYYY-MM-DD)\n"), getenv("DOCCTL_AS_OF"));
		return -1;
	}
	return 0;
}

/* The repository git named for this hook (GIT_DIR; the library reads the
 * index GIT_INDEX_FILE names: `commit -a`, `commit <paths>` and linked
 * worktrees each use their own). */
static int open_client(git_repository **repo)
{
	char *index = getenv("GIT_INDEX_FILE") ? strdup(getenv("GIT_INDEX_FILE")) : NULL;
	int rc = 0;

	/* with GIT_INDEX_FILE set, libgit2 reads that whole index as it opens
	 * the repository (0.1 s at 100,000 files); the library reads it only
	 * when it must (staged.h), and git, which it asks first, reads it from
	 * the environment, restored here */
	if (index)
		unsetenv("GIT_INDEX_FILE");
	if (git_repository_open_ext(repo, ".", GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
		rc = dc_error_set_git(_("cannot open the repository"));
	if (index)
		setenv("GIT_INDEX_FILE", index, 1);
	free(index);
	return rc;
}

/* Who makes the commit: the author git is about to record (git exports
 * GIT_AUTHOR_EMAIL to pre-commit, resolved from --author, `git -c
 * user.email=...`, the environment or the configuration; libgit2 does not
 * read `git -c`), else the committer, else user.email. */
static char *committer_email(git_repository *repo)
{
	static const char *const vars[] = { "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (getenv(vars[i]) && *getenv(vars[i]))
			return strdup(getenv(vars[i]));
	return cli_user_email(repo);
}

static int refuse_internal(const char *hook)
{
	fprintf(stderr, _("docctl: %s: error: %s [internal.error]\n"), hook, cli_esc(dc_error_last()));
	fprintf(stderr, _("docctl: %s refused because docctl could not decide; fix the problem above and try again\n"), hook);
	return EXIT_FATAL;
}

static int pre_commit(void)
{
	git_repository *repo = NULL;
	dc_precommit_opts o;
	dc_diags diags;
	char *email = NULL;
	int rc;

	dc_diags_init(&diags);
	if (hook_today(&o.today) < 0)
		return EXIT_FATAL;
	if (open_client(&repo) < 0)
		return refuse_internal("pre-commit");
	email = committer_email(repo);
	o.committer_email = email;
	rc = dc_precommit_check(repo, &o, &diags);
	if (rc < 0) {
		rc = refuse_internal("pre-commit");
		goto cleanup;
	}
	dc_diags_sort(&diags);
	cli_print_diags(stderr, &diags, FORMAT_TEXT, 0);
	rc = cli_exit_code(&diags, 0);
	if (rc == EXIT_FATAL)
		fprintf(stderr, _("docctl: commit refused: the policy or a schema is broken; fix it first\n"));
	else if (rc)
		fprintf(stderr, _("docctl: commit refused: %zu error%s in the staged documents; fix them, 'git add' the fix and commit again\n"),
			dc_diags_errors(&diags, 0), dc_diags_errors(&diags, 0) == 1 ? "" : "s");
cleanup:
	free(email);
	dc_diags_dispose(&diags);
	git_repository_free(repo);
	return rc;
}

static int commit_msg(const char *file)
{
	git_repository *repo = NULL;
	dc_buf trailers = DC_BUF_INIT, msg = DC_BUF_INIT;
	FILE *f;
	int rc = EXIT_OK;

	if (open_client(&repo) < 0)
		return refuse_internal("commit-msg");
	if (dc_precommit_trailers(repo, &trailers) < 0) {
		rc = refuse_internal("commit-msg");
		goto cleanup;
	}
	if (!trailers.len)
		goto cleanup;
	if (dc_file_read(&msg, file) != 0) {
		dc_error_set(_("cannot read '%s'"), file);
		rc = refuse_internal("commit-msg");
		goto cleanup;
	}
	if (dc_message_add_trailers(&msg, trailers.ptr, '#') < 0 || !(f = fopen(file, "wb"))) {
		rc = refuse_internal("commit-msg");
		goto cleanup;
	}
	if (fwrite(msg.ptr, 1, msg.len, f) != msg.len)
		rc = EXIT_FATAL;
	if (fclose(f) != 0 || rc) {
		dc_error_set(_("cannot write '%s'"), file);
		rc = refuse_internal("commit-msg");
	}
cleanup:
	dc_buf_dispose(&trailers);
	dc_buf_dispose(&msg);
	git_repository_free(repo);
	return rc;
}


/* --- the server hooks (reference §6) --- */

/* One line of what git gives a server hook; the object names are read as
 * text first (old_hex, new_hex: 40 hex digits) so that post-receive can
 * find pre-receive's records without starting libgit2. */
typedef struct {
	char *ref;
	char old_hex[GIT_OID_HEXSZ + 1], new_hex[GIT_OID_HEXSZ + 1];
	git_oid old, new_oid;
} ref_update;

static const char *hook_getenv(const char *name)
{
	return getenv(name);
}

static const char *git_dir(void)
{
	const char *d = getenv("GIT_DIR");

	return d && *d ? d : ".";
}

static void free_updates(ref_update *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(u[i].ref);
	free(u);
}

/* Reads "OLD NEW REF" lines from standard input; the object names as text
 * (see ref_update_oids). Returns 0, or -1 with dc_error set (and whatever
 * could be read kept, to name the refs). */
static int read_updates(ref_update **out, size_t *n)
{
	char *line = NULL;
	size_t cap = 0, have = 0;
	ssize_t len;
	int rc = 0;

	*out = NULL;
	*n = 0;
	while ((len = getline(&line, &cap, stdin)) > 0) {
		char old[128], new_hex[128], *ref;
		ref_update *u;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		if (!(ref = malloc((size_t)len + 1)) || sscanf(line, "%127s %127s %s", old, new_hex, ref) != 3) {
			free(ref);
			rc = dc_error_set(_("cannot read the ref update \"%s\""), line);
			continue;
		}
		if (DC_ARRAY_GROW(*out, have, *n + 1) < 0) {
			free(ref);
			rc = -1;
			break;
		}
		u = &(*out)[(*n)++];
		memset(u, 0, sizeof(*u));
		u->ref = ref;
		if (!dc_hex_string(old, GIT_OID_HEXSZ) || !dc_hex_string(new_hex, GIT_OID_HEXSZ)) {
			rc = dc_error_set(_("cannot read the object names in \"%s\" (%zu hex digits; docctl reads SHA-1 names only)"),
					  line, strlen(new_hex));
			continue;
		}
		memcpy(u->old_hex, old, sizeof(u->old_hex));
		memcpy(u->new_hex, new_hex, sizeof(u->new_hex));
	}
	free(line);
	return rc;
}

/* Starts libgit2 and reads the object names of what read_updates() read
 * (names it could not read stay zero; it said so). */
static void ref_update_oids(ref_update *u, size_t n)
{
	size_t i;

	dc_libgit2_init();
	for (i = 0; i < n; i++)
		if (u[i].old_hex[0] && (git_oid_fromstr(&u[i].old, u[i].old_hex) < 0 ||
					git_oid_fromstr(&u[i].new_oid, u[i].new_hex) < 0))
			dc_error_clear();
}

static int open_server(dc_receive **r, dc_receive_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->now = time(NULL);
	o->getenv = hook_getenv;
	if (dc_today(&o->today, NULL) < 0)
		return dc_error_set(_("DOCCTL_AS_OF='%s' is not a date (YYYY-MM-DD)"), getenv("DOCCTL_AS_OF"));
	/* git already decided to serve this repository, whoever owns it */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	return dc_receive_open(r, git_dir(), o);
}

/* Evaluates and reports one ref; returns its exit code (0, 1 or 2). */
/*
 * What pre-receive decided, kept for its post-receive so that the audit
 * trail records it without judging the push again: the file
 * docctl-audit.pending.PID in the git dir, PID being receive-pack's (the
 * parent of both hooks), with a line "tofu 0|1" and one line a ref. A
 * post-receive that finds no such file, or not a line for each of its
 * updates, judges them again as before.
 */
static int pending_path(dc_buf *out)
{
	return dc_buf_printf(out, "%s/docctl-audit.pending.%ld", git_dir(), (long)getppid());
}

static int pending_key(dc_buf *out, const char *ref, const char *old_hex, const char *new_hex)
{
	return dc_buf_printf(out, "%s %s %s\t", ref, old_hex, new_hex);
}

static int pending_add(dc_buf *pending, const char *ref, const git_oid *old, const git_oid *new_oid,
		       const dc_receive_result *res)
{
	char o[GIT_OID_HEXSZ + 1], n[GIT_OID_HEXSZ + 1];
	dc_buf record = DC_BUF_INIT;
	int rc;

	git_oid_tostr(o, sizeof(o), old);
	git_oid_tostr(n, sizeof(n), new_oid);
	rc = pending_key(pending, ref, o, n) < 0 || dc_audit_record(&record, ref, old, new_oid, res) < 0 ||
		 dc_buf_puts(pending, record.ptr) < 0 || dc_buf_putc(pending, '\n') < 0 ? -1 : 0;

	dc_buf_dispose(&record);
	return rc;
}

/* Removes the kept records older than a day: a push whose refs git could
 * not update after pre-receive accepted it runs no post-receive, and its
 * file would stay (and meet a later receive-pack of the same pid). */
static void pending_sweep(const char *keep)
{
	static const char prefix[] = "docctl-audit.pending.";
	DIR *d = opendir(git_dir());
	struct dirent *e;
	time_t old = time(NULL) - 24 * 60 * 60;
	dc_buf path = DC_BUF_INIT;
	struct stat st;

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, sizeof(prefix) - 1))
			continue;
		dc_buf_clear(&path);
		if (dc_buf_printf(&path, "%s/%s", git_dir(), e->d_name) == 0 && strcmp(path.ptr, keep) &&
		    lstat(path.ptr, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < old)
			unlink(path.ptr);
	}
	if (d)
		closedir(d);
	dc_buf_dispose(&path);
	dc_error_clear();
}

/* Written whole under another name, then renamed; not synced: a file lost
 * or cut short only makes post-receive judge the push again. */
static void pending_write(const dc_buf *lines, int may_tofu)
{
	dc_buf path = DC_BUF_INIT, all = DC_BUF_INIT;

	if (pending_path(&path) == 0 && dc_buf_printf(&all, "tofu %d\n", may_tofu) == 0 &&
	    dc_buf_put(&all, lines->ptr, lines->len) == 0 && dc_file_write_cache(path.ptr, all.ptr, all.len, 0600) == 0)
		pending_sweep(path.ptr);
	dc_error_clear();
	dc_buf_dispose(&path);
	dc_buf_dispose(&all);
}

/* Appends to the audit trail the records pre-receive kept for `u`: 0 when
 * it did (the file is removed), 1 when post-receive must judge them itself. */
static int pending_append(const ref_update *u, size_t n, const char *log)
{
	dc_buf path = DC_BUF_INIT, data = DC_BUF_INIT, key = DC_BUF_INIT;
	const char **records = calloc(n ? n : 1, sizeof(*records));
	time_t now = time(NULL);
	size_t i;
	int rc = 1;

	if (!records || pending_path(&path) < 0 || dc_file_read(&data, path.ptr) < 0 || !data.ptr) {
		dc_error_clear();
		goto done;
	}
	unlink(path.ptr);
	if (strncmp(data.ptr, "tofu 0\n", 7))
		goto done;
	for (i = 0; i < n; i++) {
		char *at, *end;

		if (!u[i].old_hex[0] || pending_key(&key, u[i].ref, u[i].old_hex, u[i].new_hex) < 0)
			goto done;
		at = strstr(data.ptr, key.ptr);
		if (!at || (at != data.ptr && at[-1] != '\n') || !(end = strchr(at, '\n')))
			goto done; /* not kept: judged again */
		records[i] = at + key.len;
		dc_buf_clear(&key);
	}
	for (i = 0; i < n; i++)
		*strchr(records[i], '\n') = '\0';
	for (i = 0; i < n; i++)
		if (dc_audit_append_record(log, now, records[i]) < 0)
			fprintf(stderr, _("docctl: post-receive: %s: the audit trail misses this update: %s\n"),
				cli_esc(u[i].ref), cli_esc(dc_error_last()));
	rc = 0;
done:
	free(records);
	dc_buf_dispose(&path);
	dc_buf_dispose(&data);
	dc_buf_dispose(&key);
	return rc;
}

/* Judges one ref update and prints the findings; the audit record of an
 * accepted one goes to `pending` (when not NULL) as a line "REF OLD NEW\tRECORD". */
static int report_ref(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid, const char *failure,
		      dc_buf *pending)
{
	dc_receive_result res;
	dc_diags d;
	int rc;

	dc_diags_init(&d);
	dc_receive_result_init(&res);
	d.ref = strdup(ref);
	if (failure || !r || dc_receive_ref(r, ref, old, new_oid, &res, &d) < 0) {
		dc_diags_add(&d, "", 0, 0, DC_R_INTERNAL_ERROR, NULL, _("%s; docctl refuses what it cannot check (fail closed)"),
			     failure ? failure : dc_error_last());
		dc_buf_clear(&res.summary);
		dc_buf_puts(&res.summary, "fix the problem above (or ask the server's administrator to) and push again");
	}
	if (res.note.len)
		fprintf(stderr, _("docctl: %s: %s\n"), cli_esc(ref), cli_esc(res.note.ptr));
	dc_diags_sort(&d);
	cli_print_diags(stderr, &d, FORMAT_TEXT, 0);
	rc = cli_exit_code(&d, 0);
	if (rc)
		fprintf(stderr, _("docctl: %s refused: %s\n"), cli_esc(ref),
			cli_esc(res.summary.len ? res.summary.ptr : "fix the errors above and push again"));
	else if (pending && pending_add(pending, ref, old, new_oid, &res) < 0)
		dc_buf_clear(pending); /* post-receive judges the push again */
	dc_receive_result_dispose(&res);
	dc_diags_dispose(&d);
	return rc;
}

/* The hook's time limit (reference §6.8). The library stops at
 * DOCCTL_HOOK_DEADLINE and says why; should anything it cannot interrupt
 * run past it, this alarm refuses the push a few seconds later. */
static char deadline_msg[512];
static size_t deadline_len;

static void on_deadline(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, deadline_msg, deadline_len) < 0)
		_exit(EXIT_FATAL);
	_exit(EXIT_FATAL);
}

static void arm_deadline(void)
{
	const char *v = getenv("DOCCTL_HOOK_DEADLINE");
	char *end = NULL;
	double s = v && *v ? strtod(v, &end) : 0;
	int n;

	if (!v || !*v || !end || *end || !(s > 0) || s > 86400.0)
		s = 60;
	n = snprintf(deadline_msg, sizeof(deadline_msg),
		     "docctl: error: the hook reached its time limit of %g s (DOCCTL_HOOK_DEADLINE) before it could decide, so it refuses the push; split the push into smaller ones (fewer commits each), or ask the server's administrator to raise DOCCTL_HOOK_DEADLINE [internal.error]\n",
		     s);
	deadline_len = n > 0 && (size_t)n < sizeof(deadline_msg) ? (size_t)n : 0;
	signal(SIGALRM, on_deadline);
	alarm((unsigned)s + 3);
}

/* pre-receive and update: every ref is evaluated; any refusal refuses the
 * whole push (git's pre-receive semantics). */
static int receive_refs(ref_update *u, size_t n, const char *read_error, int keep)
{
	dc_buf pending = DC_BUF_INIT;
	dc_receive *r = NULL;
	dc_receive_opts o;
	char *failure = read_error ? strdup(read_error) : NULL;
	size_t i, refused = 0;
	int rc = EXIT_OK;

	arm_deadline();
	if (open_server(&r, &o) < 0) {
		/* why the repository cannot be read says more than a bad line */
		free(failure);
		failure = strdup(dc_error_last());
	}
	for (i = 0; r && !failure && i < n; i++)
		if (dc_receive_add_update(r, u[i].ref, &u[i].old, &u[i].new_oid) < 0)
			failure = strdup(dc_error_last());
	for (i = 0; i < n; i++) {
		int one = report_ref(r, u[i].ref, &u[i].old, &u[i].new_oid, failure, keep ? &pending : NULL);

		if (one) {
			refused++;
			rc = one > rc ? one : rc;
		}
	}
	if (!n && failure) {
		fprintf(stderr, _("docctl: error: %s; docctl refuses what it cannot check (fail closed) [internal.error]\n"),
			cli_esc(failure));
		rc = EXIT_FATAL;
	}
	if (refused && n > 1)
		fprintf(stderr, _("docctl: push refused: %zu of %zu refs failed the checks, so none is updated\n"), refused, n);
	if (keep && rc == EXIT_OK && r && n && pending.len)
		pending_write(&pending, dc_receive_may_tofu(r));
	dc_buf_dispose(&pending);
	free(failure);
	dc_receive_free(r);
	alarm(0);
	return rc;
}

static int pre_receive(void)
{
	ref_update *u = NULL;
	size_t n = 0;
	int rc, bad = read_updates(&u, &n) < 0;

	ref_update_oids(u, n);
	rc = receive_refs(u, n, bad ? dc_error_last() : NULL, 1);
	free_updates(u, n);
	return rc;
}

static int update_hook(const char *ref, const char *old, const char *new_hex)
{
	ref_update u;
	int rc;

	memset(&u, 0, sizeof(u));
	u.ref = (char *)ref;
	if (git_oid_fromstr(&u.old, old) < 0 || git_oid_fromstr(&u.new_oid, new_hex) < 0 ||
	    strlen(old) != GIT_OID_HEXSZ || strlen(new_hex) != GIT_OID_HEXSZ) {
		dc_error_set(_("cannot read the object names '%s' '%s' (docctl reads SHA-1 names only)"), old, new_hex);
		return receive_refs(&u, 1, dc_error_last(), 0);
	}
	rc = receive_refs(&u, 1, NULL, 0);
	return rc;
}

/* post-receive: the audit trail. It never blocks anything (the refs are
 * updated already): errors are printed and the hook exits 0. When
 * pre-receive kept a record for each update, it appends them without
 * starting libgit2. */
static int post_receive(void)
{
	ref_update *u = NULL;
	dc_receive *r = NULL;
	dc_receive_opts o;
	dc_buf path = DC_BUF_INIT;
	size_t i, n = 0;

	if (read_updates(&u, &n) < 0)
		fprintf(stderr, _("docctl: post-receive: %s\n"), cli_esc(dc_error_last()));
	dc_audit_path(&path, git_dir());
	if (n && pending_append(u, n, path.ptr) == 0) {
		dc_buf_dispose(&path);
		free_updates(u, n);
		return EXIT_OK;
	}
	ref_update_oids(u, n);
	if (open_server(&r, &o) < 0) {
		fprintf(stderr, _("docctl: post-receive: cannot record the audit trail: %s\n"), cli_esc(dc_error_last()));
		r = NULL;
	}
	for (i = 0; r && i < n; i++)
		if (dc_receive_add_update(r, u[i].ref, &u[i].old, &u[i].new_oid) < 0)
			fprintf(stderr, _("docctl: post-receive: %s\n"), cli_esc(dc_error_last()));
	for (i = 0; i < n; i++) {
		dc_receive_result res;

		dc_receive_result_init(&res);
		if (r && dc_receive_audit(r, u[i].ref, &u[i].old, &u[i].new_oid, &res) < 0) {
			fprintf(stderr, _("docctl: post-receive: %s: cannot tell what the push approved: %s\n"), cli_esc(u[i].ref),
				cli_esc(dc_error_last()));
			dc_receive_result_dispose(&res);
		}
		if (dc_audit_append(path.ptr, time(NULL), u[i].ref, &u[i].old, &u[i].new_oid, &res) < 0)
			fprintf(stderr, _("docctl: post-receive: %s: the audit trail misses this update: %s\n"), cli_esc(u[i].ref),
				cli_esc(dc_error_last()));
		dc_receive_result_dispose(&res);
	}
	/* trust on first use is recorded only now that the refs are updated
	 * (reference §6.1 item 2): a refused push leaves no trust behind */
	if (r) {
		dc_buf said = DC_BUF_INIT;

		if (dc_receive_record_trust(r, &said) < 0)
			fprintf(stderr, _("docctl: post-receive: cannot record where the trusted policy lives: %s; the next push "
					"is refused until the administrator sets it (docctl init --hooks --trusted-ref REF)\n"),
				dc_error_last());
		else if (said.len)
			fprintf(stderr, _("docctl: %s\n"), said.ptr);
		dc_buf_dispose(&said);
	}
	dc_buf_dispose(&path);
	dc_receive_free(r);
	free_updates(u, n);
	return EXIT_OK;
}

int cmd_hook(const cli_command *cmd, int argc, char **argv)
{
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, NULL, NULL, &first)) != CLI_RUN)
		return rc;
	argc -= first - 1;
	argv += first - 1;
	if (!strcmp(argv[1], "post-receive"))
		return post_receive();
	dc_libgit2_init();
	if (!strcmp(argv[1], "pre-commit"))
		return pre_commit();
	if (!strcmp(argv[1], "commit-msg")) {
		if (argc < 3)
			return cli_usage_error("hook", _("commit-msg needs the message file"));
		return commit_msg(argv[2]);
	}
	if (!strcmp(argv[1], "pre-receive"))
		return pre_receive();
	if (!strcmp(argv[1], "update")) {
		if (argc < 5)
			return cli_usage_error("hook", _("update needs REF OLD NEW"));
		return update_hook(argv[2], argv[3], argv[4]);
	}
	return cli_usage_error("hook", _("unknown hook '%s'"), cli_esc(argv[1]));
}
