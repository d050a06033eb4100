/*
 * cmd_edit.c - the editing commands: new, approve, obsolete, review and
 * revise (reference §7). Each finds the document, decides whether the current
 * user may do this, changes only the front-matter lines it must (fm_edit.h)
 * and replaces the file atomically; --sign then makes the signed commit of
 * that one file.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "authoring.h"
#include "buf.h"
#include "check.h"
#include "cli.h"
#include "error.h"
#include "feedback.h"
#include "fm_edit.h"
#include "revision.h"

/* What every editing command works with. */
typedef struct {
	cli_project proj;
	dc_docset set;
	const dc_person *me;
	char *email;
	dc_date today;
} edit_ctx;

static int ctx_open(edit_ctx *c, const char *cmd)
{
	dc_diags diags;
	dc_check_opts o;
	int rc;

	memset(c, 0, sizeof(*c));
	dc_docset_init(&c->set);
	dc_diags_init(&diags);
	if (cli_as_of(cmd, &c->today, NULL) != 0)
		return EXIT_FATAL;
	rc = cli_project_open(&c->proj, NULL, &diags);
	if (rc != 0) {
		if (rc > 0) {
			dc_diags_sort(&diags);
			cli_print_diags(stderr, &diags, FORMAT_TEXT, 0);
			fprintf(stderr, "docctl: %s: the policy or a schema is broken; fix it first\n", cmd);
		} else {
			cli_fail("cannot open the project");
		}
		dc_diags_dispose(&diags);
		return EXIT_FATAL;
	}
	memset(&o, 0, sizeof(o));
	o.today = c->today;
	rc = dc_check_all(c->proj.project, &o, &c->set, &diags);
	dc_diags_dispose(&diags);
	if (rc < 0)
		return cli_fail("cannot read the documents");
	c->email = cli_user_email(c->proj.repo);
	if (c->email)
		c->me = dc_policy_person_by_email(c->proj.project->policy, c->email);
	return 0;
}

static void ctx_close(edit_ctx *c)
{
	dc_docset_dispose(&c->set);
	cli_project_close(&c->proj);
	free(c->email);
}

static int need_me(edit_ctx *c, const char *cmd)
{
	if (c->me)
		return 0;
	if (!c->email)
		fprintf(stderr, "docctl: %s: git's user.email is not set; set it to your address in docctl.yaml's people\n", cmd);
	else
		fprintf(stderr, "docctl: %s: your user.email \"%s\" belongs to no person in docctl.yaml; ask the policy admin to add you\n",
			cmd, cli_esc(c->email));
	return -1;
}

static const dc_docinfo *find(edit_ctx *c, const char *cmd, const char *id)
{
	int dups;
	const dc_docinfo *d = dc_docset_by_id(&c->set, id, &dups);

	if (!d)
		fprintf(stderr, "docctl: %s: no document has id \"%s\"\n", cmd, cli_esc(id));
	else if (dups)
		fprintf(stderr, "docctl: %s: more than one document has id \"%s\"; run 'docctl check' and fix that first\n", cmd, cli_esc(id));
	return dups ? NULL : d;
}

/* Applies field edits to the document's file: sets[i] = value (NULL removes). */
typedef struct {
	const char *field;
	const char *value;
} field_edit;

static int apply(edit_ctx *c, const dc_docinfo *d, const field_edit *edits, size_t n)
{
	dc_buf path = DC_BUF_INIT, data = DC_BUF_INIT;
	size_t i;
	int rc;

	dc_buf_printf(&path, "%s/%s", c->proj.root, d->path);
	rc = dc_file_read(&data, path.ptr);
	if (rc > 0)
		rc = dc_error_set("'%s' disappeared", d->path);
	for (i = 0; rc == 0 && i < n; i++)
		rc = edits[i].value ? dc_fm_set(&data, d->path, edits[i].field, edits[i].value)
				    : dc_fm_remove(&data, d->path, edits[i].field);
	if (rc == 0)
		rc = dc_file_write_atomic(path.ptr, data.ptr, data.len);
	dc_buf_dispose(&path);
	dc_buf_dispose(&data);
	return rc;
}

/* Runs git with `argv` in the project folder; returns its exit status.
 * Replace objects and grafts are off, as for every git docctl runs
 * (child.c, reference §6.1 item 3a). */
static int run_git(edit_ctx *c, const char *const argv[])
{
	pid_t pid;
	int status;

	unsetenv("GIT_REPLACE_REF_BASE");
	if (setenv("GIT_NO_REPLACE_OBJECTS", "1", 1) < 0 || setenv("GIT_GRAFT_FILE", "/dev/null/docctl-no-grafts", 1) < 0)
		return -1;
	pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(c->proj.root) < 0)
			_exit(127);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Whether git has a signing key (user.signingkey) to sign with. */
static int signing_set_up(edit_ctx *c)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	int ok = c->proj.repo && git_repository_config_snapshot(&cfg, c->proj.repo) == 0 &&
		 git_config_get_string_buf(&b, cfg, "user.signingkey") == 0 && b.size;

	git_buf_dispose(&b);
	git_config_free(cfg);
	return ok;
}

static int no_signing(const char *cmd, const dc_docinfo *d)
{
	fprintf(stderr, "docctl: %s: git has no signing key, so nothing was committed (the file is changed).\n"
			"Set up signing once:\n"
			"  git config gpg.format ssh\n"
			"  git config user.signingkey ~/.ssh/id_ed25519.pub\n"
			"and run again: docctl %s %s --sign\n", cmd, cmd, cli_esc(d->id));
	return EXIT_FINDINGS;
}

/* A trailer "Resolves: FB-YYYY-NNNN" for each feedback item `change`
 * names (revise --resolves; reference §11). */
static void resolves_trailers(dc_buf *msg, const char *change)
{
	const char *p = change;
	int y, n;

	while (p && (p = strstr(p, "FB-"))) {
		char id[13];

		snprintf(id, sizeof(id), "%.12s", p);
		if ((p == change || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[strlen(id)]) &&
		    dc_feedback_id_parse(id, &y, &n) == 0)
			dc_buf_printf(msg, "Resolves: %s\n", id);
		p += 3;
	}
}

/* Commits the one file, signed (git commit -S), with the manifestation of
 * the signature in trailers. */
static int sign_commit(edit_ctx *c, const dc_docinfo *d, const char *verb, const char *meaning)
{
	dc_buf msg = DC_BUF_INIT;
	const char *add[] = { "git", "add", "--", d->path, NULL };
	const char *commit[] = { "git", "commit", "-q", "-S", "-m", NULL, "--", d->path, NULL };
	int rc;

	if (!signing_set_up(c))
		return no_signing(verb[0] == 'A' ? "approve" : verb[0] == 'R' ? "review" : "obsolete", d);
	dc_buf_printf(&msg, "%s %s revision %s\n\nSigner: %s <%s>\nSigned-off-as: %s\n", verb, d->id,
		      d->revision ? d->revision : "?", c->me->name, c->me->email, meaning);
	resolves_trailers(&msg, d->change);
	commit[5] = msg.ptr;
	rc = run_git(c, add);
	if (rc == 0)
		rc = run_git(c, commit);
	dc_buf_dispose(&msg);
	if (rc != 0) {
		fprintf(stderr, "docctl: git could not make the signed commit (git said why above; exit %d).\n"
				"The file is changed but not committed; once that is fixed, run the same command again.\n", rc);
		return EXIT_FINDINGS;
	}
	printf("committed and signed: %s %s revision %s\n", verb, cli_esc(d->id), d->revision ? cli_esc(d->revision) : "?");
	return EXIT_OK;
}

/*
 * `approve --sign` on a document the user already approved without --sign:
 * commit it signed when it is not committed yet; sign the user's own
 * approval commit when it is HEAD and not shared; else say what to do.
 */
static int sign_existing(edit_ctx *c, const dc_docinfo *d)
{
	const char *amend[] = { "git", "commit", "-q", "--amend", "-S", "--no-edit", NULL };
	dc_approval_state st;
	int rc;

	if (dc_approval_state_of(c->proj.repo, c->proj.prefix, d->path, c->me->email, &st) < 0)
		return cli_fail("approve failed");
	if (st == DC_APPROVAL_UNCOMMITTED)
		return sign_commit(c, d, "Approve", "approval");
	if (st == DC_APPROVAL_COMMITTED) {
		fprintf(stderr, "docctl: approve: your approval of %s is committed already without a signature, and shared or\n"
				"followed by other commits, so it cannot be signed now. The server counts a signature only on\n"
				"the commit that sets the approval: ask the author to start the revision again, or undo your\n"
				"approval commit (git revert) and run: docctl approve %s --sign\n", cli_esc(d->id), cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (!signing_set_up(c))
		return no_signing("approve", d);
	if ((rc = run_git(c, amend)) != 0) {
		fprintf(stderr, "docctl: git could not sign your approval commit (git said why above; exit %d)\n", rc);
		return EXIT_FINDINGS;
	}
	printf("signed: your approval commit of %s revision %s now carries your signature\n", cli_esc(d->id),
	       d->revision ? cli_esc(d->revision) : "?");
	return EXIT_OK;
}

static int may_vouch(edit_ctx *c, const char *cmd, const dc_docinfo *d, const dc_type **t)
{
	const dc_policy *p = c->proj.project->policy;

	*t = d->type ? dc_policy_type(p, d->type) : NULL;
	if (!*t) {
		fprintf(stderr, "docctl: %s: %s has no valid type; run 'docctl check'\n", cmd, cli_esc(d->id));
		return -1;
	}
	if (!dc_policy_may_approve(p, *t, c->me->key)) {
		fprintf(stderr, "docctl: %s: %s (%s) holds no approver role of type %s; ask someone who does\n", cmd,
			c->me->key, cli_esc(c->me->name), (*t)->name);
		return -1;
	}
	return 0;
}

/* The four-eyes rule: the user changed the content since the last approval. */
static int authored(edit_ctx *c, const char *cmd, const dc_docinfo *d)
{
	dc_strlist authors = { 0 };
	size_t i;
	int mine = 0;

	if (c->proj.repo && dc_content_authors(&authors, c->proj.repo, c->proj.prefix, d->path) < 0) {
		dc_strlist_dispose(&authors);
		return cli_fail("cannot read the document's history"), -1;
	}
	for (i = 0; i < authors.n; i++) {
		const dc_person *p = dc_policy_person_by_email(c->proj.project->policy, authors.items[i]);

		if (p == c->me || !strcmp(authors.items[i], c->me->email))
			mine = 1;
	}
	dc_strlist_dispose(&authors);
	if (mine)
		fprintf(stderr, "docctl: %s: %s changed the content of %s since its last approval; four eyes: another approver must do this\n",
			cmd, c->me->key, cli_esc(d->id));
	return mine ? -1 : 0;
}

/* The fields a new revision drops: the approval, check and review groups. */
static const char *const revise_drops[] = {
	"approved_by", "approved_on", "effective", "checked_by", "checked_on", "reviewed_by", "reviewed_on",
};

/* Whether approved document `by` cites `d` (references or a link). */
static int cites(const dc_docinfo *by, const dc_docinfo *d)
{
	size_t i;

	for (i = 0; i < by->nrefs; i++)
		if (by->refs[i].text && !strcmp(by->refs[i].text, d->id))
			return 1;
	for (i = 0; i < by->nlinks; i++)
		if (by->links[i].target && !strcmp(by->links[i].target, d->path))
			return 1;
	return 0;
}

/* After `obsolete`: the approved documents that still cite the withdrawn
 * one, which will fail ref.obsolete until they are revised (records keep
 * citing what was in force when they were filed). */
static void list_citing(edit_ctx *c, const dc_docinfo *d)
{
	size_t i, n = 0;

	for (i = 0; i < c->set.n; i++) {
		const dc_docinfo *by = &c->set.docs[i];

		if (by == d || !by->status || strcmp(by->status, "approved") || (by->type && !strcmp(by->type, "record")) ||
		    !cites(by, d))
			continue;
		if (n++ == 0)
			fprintf(stderr, "note: these approved documents still cite %s and will fail check (ref.obsolete) "
					"until each is revised to cite its successor:\n", cli_esc(d->id));
		fprintf(stderr, "  %s  %s  (docctl revise %s)\n", by->id ? cli_esc(by->id) : "?", cli_esc(by->path),
			cli_esc(by->id ? by->id : by->path));
	}
}

typedef struct {
	const char *name;
	int sign;
	const char *superseded_by;
	const char *change;
	int has_change;
	int major;
	const char *resolves;  /* revise --resolves FB-ID (reference §11) */
	char change_buf[1024];
} edit_args;

static int parse_args(edit_args *a, int argc, char **argv, const char **id)
{
	static const struct option opts[] = {
		{ "sign", no_argument, NULL, 's' },
		{ "superseded-by", required_argument, NULL, 'S' },
		{ "change", required_argument, NULL, 'c' },
		{ "major", no_argument, NULL, 'M' },
		{ "resolves", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	a->name = argv[0];
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's': a->sign = 1; break;
		case 'S': a->superseded_by = optarg; break;
		case 'c': a->change = optarg; a->has_change = 1; break;
		case 'M': a->major = 1; break;
		case 'r': a->resolves = optarg; break;
		default: return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	*id = argv[optind];
	if ((a->superseded_by && strcmp(a->name, "obsolete")) ||
	    ((a->has_change || a->major || a->resolves) && strcmp(a->name, "revise")) ||
	    (a->sign && !strcmp(a->name, "revise")))
		return -1;
	if (a->resolves) {
		/* the item goes into the change, which the approving commit's
		 * trailer then names (sign_commit) */
		int y, n;

		if (dc_feedback_id_parse(a->resolves, &y, &n) < 0)
			return -1;
		snprintf(a->change_buf, sizeof(a->change_buf), a->has_change ? "%s (Resolves %s)" : "%sResolves %s",
			 a->has_change ? a->change : "", a->resolves);
		a->change = a->change_buf;
		a->has_change = 1;
	}
	return 0;
}

int cmd_edit(int argc, char **argv)
{
	edit_args a = { 0 };
	edit_ctx c;
	const dc_docinfo *d;
	const dc_type *t;
	const char *id;
	char today[11];
	int rc;

	if (parse_args(&a, argc, argv, &id) < 0)
		return cli_usage_error(argv[0], "bad arguments");
	if ((rc = ctx_open(&c, a.name)) != 0)
		return rc;
	rc = EXIT_FINDINGS;
	dc_date_format(&c.today, today);
	if (!(d = find(&c, a.name, id)))
		goto cleanup;
	if (!strcmp(a.name, "revise")) {
		const dc_policy *p = c.proj.project->policy;
		dc_revision r;
		char next[32];
		field_edit e[3 + sizeof(revise_drops) / sizeof(*revise_drops)];
		size_t n = 0;

		if (!d->revision || dc_revision_parse_str(&r, p->scheme, d->revision) < 0) {
			fprintf(stderr, "docctl: revise: %s has no valid revision; fix it first\n", cli_esc(id));
			goto cleanup;
		}
		if (d->status && !strcmp(d->status, "obsolete")) {
			fprintf(stderr, "docctl: revise: %s is obsolete and obsolete is final; write a new document with 'docctl new'\n", cli_esc(id));
			goto cleanup;
		}
		if (!d->status || strcmp(d->status, "approved")) {
			/* a draft is already the next revision: revising it again
			 * would skip one; only its summary may be said again */
			if (a.has_change && !a.major) {
				e[n++] = (field_edit){ "change", a.change };
				if (apply(&c, d, e, n) < 0) {
					rc = cli_fail("revise failed");
					goto cleanup;
				}
				printf("%s: revision %s is already a new revision (%s); its change now says: %s\n", cli_esc(d->path),
				       cli_esc(d->revision), d->status ? cli_esc(d->status) : "draft", cli_esc(a.change));
				rc = EXIT_OK;
				goto cleanup;
			}
			fprintf(stderr,
				"docctl: revise: %s is already revision %s, %s and not approved yet: edit it and get it approved\n"
				"  (docctl approve %s --sign, by an approver). To change what this revision says it changed:\n"
				"  docctl revise %s --change \"...\"\n",
				cli_esc(id), cli_esc(d->revision), d->status ? cli_esc(d->status) : "without a status", cli_esc(id),
				cli_esc(id));
			goto cleanup;
		}
		r = a.major ? dc_revision_next_major(p->scheme, &r) : dc_revision_next(p->scheme, &r);
		dc_revision_format(p->scheme, &r, next, sizeof(next));
		e[n++] = (field_edit){ "revision", next };
		e[n++] = (field_edit){ "status", "draft" };
		e[n++] = (field_edit){ "change", a.has_change ? a.change : NULL };
		/* the new revision is approved afresh: no approval, check or
		 * periodic review of the previous one carries over */
		for (size_t k = 0; k < sizeof(revise_drops) / sizeof(*revise_drops); k++)
			e[n++] = (field_edit){ revise_drops[k], NULL };
		if (apply(&c, d, e, n) < 0) {
			rc = cli_fail("revise failed");
			goto cleanup;
		}
		printf("%s: revision %s, draft%s\n", cli_esc(d->path), next, a.has_change ? "" : " (say what changed: change: ...)");
		rc = EXIT_OK;
		goto cleanup;
	}
	if (need_me(&c, a.name) < 0 || may_vouch(&c, a.name, d, &t) < 0)
		goto cleanup;
	if (!strcmp(a.name, "approve")) {
		const char *eff = d->effective && strcmp(d->effective, today) > 0 ? d->effective : today;
		field_edit e[] = { { "status", "approved" }, { "approved_by", c.me->key },
				   { "approved_on", today }, { "effective", eff } };

		if (d->status && !strcmp(d->status, "obsolete")) {
			fprintf(stderr, "docctl: approve: %s is obsolete and obsolete is final\n", cli_esc(id));
			goto cleanup;
		}
		if (authored(&c, a.name, d) < 0)
			goto cleanup;
		if (a.sign && d->status && !strcmp(d->status, "approved") && d->approved_by &&
		    !strcmp(d->approved_by, c.me->key)) {
			rc = sign_existing(&c, d);
			goto cleanup;
		}
		if (apply(&c, d, e, 4) < 0) {
			rc = cli_fail("approve failed");
			goto cleanup;
		}
		printf("%s: approved by %s (%s) on %s, effective %s\n", cli_esc(d->path), c.me->key, cli_esc(c.me->name), today, eff);
		rc = a.sign ? sign_commit(&c, d, "Approve", "approval") : EXIT_OK;
		if (!a.sign && !c.proj.project->policy->identity_pusher)
			printf("note: the server counts only signed approvals: commit this one with your signature:\n"
			       "  docctl approve %s --sign\n", cli_esc(id));
	} else if (!strcmp(a.name, "review")) {
		field_edit e[] = { { "reviewed_by", c.me->key }, { "reviewed_on", today } };

		if (!d->status || strcmp(d->status, "approved")) {
			fprintf(stderr, "docctl: review: %s is %s; only an approved document gets a periodic review\n", cli_esc(id),
				d->status ? cli_esc(d->status) : "without a status");
			goto cleanup;
		}
		if (apply(&c, d, e, 2) < 0) {
			rc = cli_fail("review failed");
			goto cleanup;
		}
		printf("%s: reviewed by %s (%s) on %s\n", cli_esc(d->path), c.me->key, cli_esc(c.me->name), today);
		rc = a.sign ? sign_commit(&c, d, "Review", "review") : EXIT_OK;
	} else {
		field_edit e[] = { { "status", "obsolete" }, { "obsoleted_by", c.me->key },
				   { "obsoleted_on", today }, { "superseded_by", a.superseded_by } };
		int dups;

		if (!d->status || strcmp(d->status, "approved")) {
			fprintf(stderr, "docctl: obsolete: %s is %s; only an approved document can be made obsolete\n", cli_esc(id),
				d->status ? cli_esc(d->status) : "without a status");
			goto cleanup;
		}
		if (a.superseded_by && !dc_docset_by_id(&c.set, a.superseded_by, &dups)) {
			fprintf(stderr, "docctl: obsolete: no document has id \"%s\"\n", cli_esc(a.superseded_by));
			goto cleanup;
		}
		if (apply(&c, d, e, a.superseded_by ? 4 : 3) < 0) {
			rc = cli_fail("obsolete failed");
			goto cleanup;
		}
		printf("%s: obsolete as of %s, by %s (%s)\n", cli_esc(d->path), today, c.me->key, c.me->name);
		list_citing(&c, d);
		rc = a.sign ? sign_commit(&c, d, "Obsolete", "obsoletion") : EXIT_OK;
	}
cleanup:
	ctx_close(&c);
	return rc;
}
