/*
 * cmd_edit.c - the editing commands: new, approve, obsolete, review and
 * revise (reference §7). Each finds the document, decides whether the current
 * user may do this, changes only the front-matter lines it must (fm_edit.h)
 * and replaces the file atomically; --sign then makes the signed commit of
 * that one file. What each changes is the library's (recipes.h).
 */
#include <ctype.h>
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
#include "recipes.h"
#include "revision.h"
#include "signoff.h"

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
			fprintf(stderr, _("docctl: %s: the policy or a schema is broken; fix it first\n"), cmd);
		} else {
			cli_fail(_("cannot open the project"));
		}
		dc_diags_dispose(&diags);
		return EXIT_FATAL;
	}
	dc_diags_dispose(&diags);
	if (cli_project_read_docs(&c->set, c->proj.project, &c->today) < 0)
		return cli_fail(_("cannot read the documents"));
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
		fprintf(stderr, _("docctl: %s: git's user.email is not set; set it to your address in docctl.yaml's people\n"), cmd);
	else
		fprintf(stderr, _("docctl: %s: your user.email \"%s\" belongs to no person in docctl.yaml; ask the policy admin to add you\n"),
			cmd, cli_esc(c->email));
	return -1;
}

static const dc_docinfo *find(edit_ctx *c, const char *cmd, const char *id)
{
	int dups;
	const dc_docinfo *d = dc_docset_by_id(&c->set, id, &dups);

	if (!d)
		fprintf(stderr, _("docctl: %s: no document has id \"%s\"\n"), cmd, cli_esc(id));
	else if (dups)
		fprintf(stderr, _("docctl: %s: more than one document has id \"%s\"; run 'docctl check' and fix that first\n"), cmd, cli_esc(id));
	return dups ? NULL : d;
}

/* Applies the recipe to the document's file, replaced atomically: 0 or -1. */
static int apply(edit_ctx *c, const dc_docinfo *d, const dc_recipe *r)
{
	dc_buf path = DC_BUF_INIT, data = DC_BUF_INIT;
	int rc;

	dc_buf_printf(&path, "%s/%s", c->proj.root, d->path);
	rc = dc_file_read(&data, path.ptr);
	if (rc > 0)
		rc = dc_error_set(_("'%s' disappeared"), d->path);
	if (rc == 0)
		rc = dc_recipe_apply(&data, d->path, r);
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
	fprintf(stderr, _("docctl: %s: git has no signing key, so nothing was committed (the file is changed).\n"
			"Set up signing once:\n"
			"  git config gpg.format ssh\n"
			"  git config user.signingkey ~/.ssh/id_ed25519.pub\n"
			"and run again: docctl %s %s --sign\n"), cmd, cmd, cli_esc(d->id));
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
		return no_signing(verb[0] == 'A' || verb[0] == 'C' ? "approve" : verb[0] == 'R' ? "review" : "obsolete", d);
	dc_buf_printf(&msg, "%s %s revision %s\n\nSigner: %s <%s>\nSigned-off-as: %s\n", verb, d->id,
		      d->revision ? d->revision : "?", c->me->name, c->me->email, meaning);
	resolves_trailers(&msg, d->change);
	commit[5] = msg.ptr;
	rc = run_git(c, add);
	if (rc == 0)
		rc = run_git(c, commit);
	dc_buf_dispose(&msg);
	if (rc != 0) {
		fprintf(stderr, _("docctl: git could not make the signed commit (git said why above; exit %d).\n"
				"The file is changed but not committed; once that is fixed, run the same command again.\n"), rc);
		return EXIT_FINDINGS;
	}
	printf(_("committed and signed: %s %s revision %s\n"), verb, cli_esc(d->id), d->revision ? cli_esc(d->revision) : "?");
	return EXIT_OK;
}

/*
 * `approve --sign` on a document the user already approved without --sign:
 * commit it signed when it is not committed yet; sign the user's own
 * approval commit when it is HEAD and not shared; else say what to do.
 */
static int sign_existing(edit_ctx *c, const dc_docinfo *d, const char *verb, const char *meaning)
{
	const char *amend[] = { "git", "commit", "-q", "--amend", "-S", "--no-edit", NULL };
	dc_approval_state st;
	int rc;

	if (dc_approval_state_of(c->proj.repo, c->proj.prefix, d->path, c->me->email, &st) < 0)
		return cli_fail(_("approve failed"));
	if (st == DC_APPROVAL_UNCOMMITTED)
		return sign_commit(c, d, verb, meaning);
	if (st == DC_APPROVAL_COMMITTED) {
		fprintf(stderr, _("docctl: approve: your approval of %s is committed already without a signature, and shared or\n"
				"followed by other commits, so it cannot be signed now. The server counts a signature only on\n"
				"the commit that sets the approval: ask the author to start the revision again, or undo your\n"
				"approval commit (git revert) and run: docctl approve %s --sign\n"), cli_esc(d->id), cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (!signing_set_up(c))
		return no_signing("approve", d);
	if ((rc = run_git(c, amend)) != 0) {
		fprintf(stderr, _("docctl: git could not sign your approval commit (git said why above; exit %d)\n"), rc);
		return EXIT_FINDINGS;
	}
	printf(_("signed: your approval commit of %s revision %s now carries your signature\n"), cli_esc(d->id),
	       d->revision ? cli_esc(d->revision) : "?");
	return EXIT_OK;
}

static int may_vouch(edit_ctx *c, const char *cmd, const dc_docinfo *d, const dc_type **t)
{
	const dc_policy *p = c->proj.project->policy;

	*t = d->type ? dc_policy_type(p, d->type) : NULL;
	if (!*t) {
		fprintf(stderr, _("docctl: %s: %s has no valid type; run 'docctl check'\n"), cmd, cli_esc(d->id));
		return -1;
	}
	if (!dc_policy_may_approve(p, *t, c->me->key)) {
		fprintf(stderr, _("docctl: %s: %s (%s) holds no approver role of type %s; ask someone who does\n"), cmd,
			c->me->key, cli_esc(c->me->name), (*t)->name);
		return -1;
	}
	return 0;
}

/* The four-eyes rule: the user changed the content since the last approval. */
static int authored(edit_ctx *c, const char *cmd, const dc_docinfo *d)
{
	int mine = 0;

	if (c->proj.repo &&
	    dc_recipe_authored(&mine, c->proj.repo, c->proj.prefix, d->path, c->proj.project->policy, c->me) < 0)
		return cli_fail(_("cannot read the document's history")), -1;
	if (mine)
		fprintf(stderr, _("docctl: %s: %s changed the content of %s since its last approval; four eyes: another approver must do this\n"),
			cmd, c->me->key, cli_esc(d->id));
	return mine ? -1 : 0;
}

/* After `obsolete`: the approved documents that still cite the withdrawn
 * one, which will fail ref.obsolete until they are revised. */
static void list_citing(edit_ctx *c, const dc_docinfo *d)
{
	const dc_docinfo **by = NULL;
	size_t i, n = 0;

	if (dc_recipe_citing(&by, &n, &c->set, d) < 0) {
		cli_fail(_("cannot list the documents that cite it"));
		return;
	}
	if (n)
		fprintf(stderr, _("note: these approved documents still cite %s and will fail check (ref.obsolete) "
				  "until each is revised to cite its successor:\n"), cli_esc(d->id));
	for (i = 0; i < n; i++)
		fprintf(stderr, _("  %s  %s  (docctl revise %s)\n"), by[i]->id ? cli_esc(by[i]->id) : "?", cli_esc(by[i]->path),
			cli_esc(by[i]->id ? by[i]->id : by[i]->path));
	free(by);
}

typedef struct {
	int sign;
	const char *superseded_by;
	const char *change;
	int major;
	const char *step;    /* approve --step checked: the check step (reference §9.1) */
	const char *resolves;  /* revise --resolves FB-ID (reference §11) */
} edit_args;

/* approve --step; the other options are stored by their rows */
static int step_option(void *args, const cli_option *o, const char *value)
{
	edit_args *a = args;

	(void)o;
	if (strcmp(value, "checked") && strcmp(value, "approved"))
		return cli_usage_error("approve", _("--step takes checked (审核) or approved (批准)"));
	a->step = strcmp(value, "checked") ? NULL : value;
	return 0;
}

/* Why a recipe refuses, for the user: EXIT_FINDINGS. */
static int refused(const char *cmd, const dc_docinfo *d, const dc_recipe *r)
{
	const char *id = cli_esc(d->id), *status = d->status ? cli_esc(d->status) : _("without a status");

	switch (r->verdict) {
	case DC_RECIPE_IS_OBSOLETE:
		if (!strcmp(cmd, "revise"))
			fprintf(stderr, _("docctl: revise: %s is obsolete and obsolete is final; write a new document with 'docctl new'\n"), id);
		else
			fprintf(stderr, _("docctl: %s: %s is obsolete and obsolete is final\n"), cmd, id);
		break;
	case DC_RECIPE_NOT_APPROVED:
		if (!strcmp(cmd, "review"))
			fprintf(stderr, _("docctl: review: %s is %s; only an approved document gets a periodic review\n"), id, status);
		else
			fprintf(stderr, _("docctl: %s: %s is %s; only an approved document can be made obsolete\n"), cmd, id, status);
		break;
	case DC_RECIPE_BAD_REVISION:
		fprintf(stderr, _("docctl: revise: %s has no valid revision; fix it first\n"), id);
		break;
	case DC_RECIPE_NOT_YET_APPROVED:
		fprintf(stderr,
			_("docctl: revise: %s is already revision %s, %s and not approved yet: edit it and get it approved\n"
			  "  (docctl approve %s --sign, by an approver). To change what this revision says it changed:\n"
			  "  docctl revise %s --change \"...\"\n"),
			id, cli_esc(d->revision), status, id, id);
		break;
	case DC_RECIPE_OK:
		break;
	}
	return EXIT_FINDINGS;
}

static int do_revise(edit_ctx *c, const dc_docinfo *d, edit_args *a)
{
	char change[1024];
	dc_recipe r;
	int y, n;

	if (a->resolves) {
		/* the item goes into the change, which the signed approval's
		 * trailer then names (sign_commit; reference §11) */
		if (dc_feedback_id_parse(a->resolves, &y, &n) < 0)
			return cli_usage_error("revise", _("--resolves \"%s\" is not a feedback id such as FB-2026-0042"),
					       a->resolves);
		snprintf(change, sizeof(change), a->change ? "%s (Resolves %s)" : "%sResolves %s", a->change ? a->change : "",
			 a->resolves);
		a->change = change;
	}
	dc_recipe_revise(&r, d, c->proj.project->policy->scheme, a->change, a->major);
	if (r.verdict != DC_RECIPE_OK)
		return refused("revise", d, &r);
	if (apply(c, d, &r) < 0)
		return cli_fail(_("revise failed"));
	if (r.change_only)
		printf(_("%s: revision %s is already a new revision (%s); its change now says: %s\n"), cli_esc(d->path),
		       cli_esc(d->revision), d->status ? cli_esc(d->status) : "draft", cli_esc(a->change));
	else if (a->change)
		printf(_("%s: revision %s, draft\n"), cli_esc(d->path), r.revision);
	else
		printf(_("%s: revision %s, draft (say what changed: change: ...)\n"), cli_esc(d->path), r.revision);
	return EXIT_OK;
}

/* `approve ID --step checked`: the check step 审核 (reference §9.1). */
static int check_step(edit_ctx *c, const edit_args *a, const dc_docinfo *d)
{
	const dc_policy *p = c->proj.project->policy;
	const dc_type *t;
	char today[11];
	dc_buf roles = DC_BUF_INIT;

	if (need_me(c, "approve") < 0)
		return EXIT_FINDINGS;
	t = d->type ? dc_policy_type(p, d->type) : NULL;
	if (!t) {
		fprintf(stderr, _("docctl: approve: %s has no valid type; run 'docctl check'\n"), cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (!t->ncheckers) {
		fprintf(stderr, _("docctl: approve: type %s has no check step (no checkers in docctl.yaml); approve it: docctl approve %s\n"),
			t->name, cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (!dc_policy_may_check(p, t, c->me->key)) {
		dc_signoff_roles(&roles, t);
		fprintf(stderr, _("docctl: approve: %s (%s) holds no checker role of type %s; ask someone who holds %s\n"), c->me->key,
			cli_esc(c->me->name), t->name, roles.ptr ? roles.ptr : "");
		dc_buf_dispose(&roles);
		return EXIT_FINDINGS;
	}
	if (d->status && (!strcmp(d->status, "approved") || !strcmp(d->status, "obsolete"))) {
		if (a->sign && !strcmp(d->status, "approved") && d->checked_by && !strcmp(d->checked_by, c->me->key))
			return sign_existing(c, d, "Check", "check");
		fprintf(stderr, _("docctl: approve: %s is %s already; the check comes before the approval: start a new revision with docctl revise %s\n"),
			cli_esc(d->id), d->status, cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (a->sign && d->checked_by && !strcmp(d->checked_by, c->me->key) && d->checked_on)
		return sign_existing(c, d, "Check", "check");
	if (authored(c, "approve", d) < 0)
		return EXIT_FINDINGS;
	dc_date_format(&c->today, today);
	{
		dc_recipe r;

		memset(&r, 0, sizeof(r));
		r.edits[0] = (dc_field_edit){ "status", "in-review" };
		r.edits[1] = (dc_field_edit){ "checked_by", c->me->key };
		r.edits[2] = (dc_field_edit){ "checked_on", today };
		r.nedits = 3;
		if (apply(c, d, &r) < 0)
			return cli_fail(_("approve failed"));
	}
	printf(_("%s: checked (审核) by %s (%s) on %s\n"), cli_esc(d->path), c->me->key, cli_esc(c->me->name), today);
	if (a->sign)
		return sign_commit(c, d, "Check", "check");
	if (!p->identity_pusher)
		printf(_("note: the server counts only signed checks: commit this one with your signature:\n"
			 "  docctl approve %s --step checked --sign\n"), cli_esc(d->id));
	return EXIT_OK;
}

static int do_approve(edit_ctx *c, const dc_docinfo *d, const dc_type *t, const edit_args *a, const char *today)
{
	dc_recipe r;
	int rc;

	dc_recipe_approve(&r, d, c->me->key, today);
	if (r.verdict != DC_RECIPE_OK)
		return refused("approve", d, &r);
	if (t->ncheckers && !d->checked_by) {
		fprintf(stderr, _("docctl: approve: %s needs its check (审核) first: type %s has checkers; ask one of them to run:\n"
				  "  docctl approve %s --step checked --sign\n"), cli_esc(d->id), t->name, cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (d->checked_by && !strcmp(d->checked_by, c->me->key)) {
		fprintf(stderr, _("docctl: approve: you checked %s; the checker and the approver must be two people: ask another approver\n"),
			cli_esc(d->id));
		return EXIT_FINDINGS;
	}
	if (authored(c, "approve", d) < 0)
		return EXIT_FINDINGS;
	if (a->sign && d->status && !strcmp(d->status, "approved") && d->approved_by && !strcmp(d->approved_by, c->me->key))
		return sign_existing(c, d, "Approve", "approval");
	if (apply(c, d, &r) < 0)
		return cli_fail(_("approve failed"));
	printf(_("%s: approved by %s (%s) on %s, effective %s\n"), cli_esc(d->path), c->me->key, cli_esc(c->me->name), today,
	       r.effective);
	rc = a->sign ? sign_commit(c, d, "Approve", "approval") : EXIT_OK;
	if (!a->sign && !c->proj.project->policy->identity_pusher)
		printf(_("note: the server counts only signed approvals: commit this one with your signature:\n"
			 "  docctl approve %s --sign\n"), cli_esc(d->id));
	return rc;
}

static int do_review(edit_ctx *c, const dc_docinfo *d, const edit_args *a, const char *today)
{
	dc_recipe r;

	dc_recipe_review(&r, d, c->me->key, today);
	if (r.verdict != DC_RECIPE_OK)
		return refused("review", d, &r);
	if (apply(c, d, &r) < 0)
		return cli_fail(_("review failed"));
	printf(_("%s: reviewed by %s (%s) on %s\n"), cli_esc(d->path), c->me->key, cli_esc(c->me->name), today);
	return a->sign ? sign_commit(c, d, "Review", "review") : EXIT_OK;
}

static int do_obsolete(edit_ctx *c, const dc_docinfo *d, const edit_args *a, const char *today)
{
	dc_recipe r;
	int dups;

	dc_recipe_obsolete(&r, d, c->me->key, today, a->superseded_by);
	if (r.verdict != DC_RECIPE_OK)
		return refused("obsolete", d, &r);
	if (a->superseded_by && !dc_docset_by_id(&c->set, a->superseded_by, &dups)) {
		fprintf(stderr, _("docctl: obsolete: no document has id \"%s\"\n"), cli_esc(a->superseded_by));
		return EXIT_FINDINGS;
	}
	if (apply(c, d, &r) < 0)
		return cli_fail(_("obsolete failed"));
	printf(_("%s: obsolete as of %s, by %s (%s)\n"), cli_esc(d->path), today, c->me->key, cli_esc(c->me->name));
	list_citing(c, d);
	return a->sign ? sign_commit(c, d, "Obsolete", "obsoletion") : EXIT_OK;
}

int cmd_edit(const cli_command *cmd, int argc, char **argv)
{
	edit_args a = { 0, NULL, NULL, 0, NULL, NULL };
	edit_ctx c;
	const dc_docinfo *d;
	const dc_type *t;
	char today[11];
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, step_option, &a, &first)) != CLI_RUN)
		return rc;
	if ((rc = ctx_open(&c, cmd->name)) != 0)
		return rc;
	rc = EXIT_FINDINGS;
	dc_date_format(&c.today, today);
	if (!(d = find(&c, cmd->name, argv[first])))
		goto cleanup;
	if (!strcmp(cmd->name, "revise")) {
		rc = do_revise(&c, d, &a);
		goto cleanup;
	}
	if (a.step) {
		rc = check_step(&c, &a, d);
		goto cleanup;
	}
	if (need_me(&c, cmd->name) < 0 || may_vouch(&c, cmd->name, d, &t) < 0)
		goto cleanup;
	if (!strcmp(cmd->name, "approve"))
		rc = do_approve(&c, d, t, &a, today);
	else if (!strcmp(cmd->name, "review"))
		rc = do_review(&c, d, &a, today);
	else
		rc = do_obsolete(&c, d, &a, today);
cleanup:
	ctx_close(&c);
	return rc;
}

#define SIGN_ROW(cmd)                                                                                              \
	{ "sign", 0, NULL, NULL, N_("commit the file, signed (git commit -S): the server counts only signed ones"),   \
	  cmd " SP-004 --sign", CLI_FLAG(edit_args, sign) }

const cli_option approve_options[] = {
	{ "step", 0, "STEP", NULL, N_("checked: record the check step 审核 (checked_by, checked_on) instead of the approval"),
	  "approve SP-004 --step checked --sign", 0 },
	SIGN_ROW("approve"),
	CLI_OPTIONS_END,
};
const cli_option review_options[] = { SIGN_ROW("review"), CLI_OPTIONS_END };
const cli_option obsolete_options[] = {
	{ "superseded-by", 0, "ID", NULL, N_("the document that replaces it"), "obsolete WI-003 --superseded-by WI-007",
	  CLI_STRING(edit_args, superseded_by) },
	SIGN_ROW("obsolete"),
	CLI_OPTIONS_END,
};
const cli_option revise_options[] = {
	{ "change", 0, "TEXT", NULL, N_("what the new revision changes (the field change)"),
	  "revise SP-004 --change \"clause 4.2: two approvers\"", CLI_STRING(edit_args, change) },
	{ "major", 0, NULL, NULL, N_("the next major revision (A/3 to B/0, V1.1 to V2.0; 3 to 4 where there is one part)"),
	  "revise SP-004 --major", CLI_FLAG(edit_args, major) },
	{ "resolves", 0, "FB-ID", NULL, N_("name the feedback item this revision resolves in its change (reference §11)"),
	  "revise SP-004 --resolves FB-2026-0042", CLI_STRING(edit_args, resolves) },
	CLI_OPTIONS_END,
};
