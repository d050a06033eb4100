/*
 * cmd_history.c - `docctl history ID`: the audit trail of one document on
 * the protected branch, newest first. Each entry is one approval, periodic
 * review or obsoletion with the signature's manifestation (21 CFR Part 11
 * §11.50): the signer's printed name, the date and time, the meaning, and
 * whether the commit's SSH signature verifies against the signers file of
 * that time. What the files say is escaped for the terminal (cli_esc), so a
 * title or a change note cannot draw another signer on the screen.
 */
#include <string.h>

#include "attach.h"
#include "authoring.h"
#include "cli.h"
#include "history.h"
#include "labels.h"
#include "register.h"

static const char *sig_text(const dc_event *e)
{
	if (!e->verified)
		return _("not checked");
	switch (e->sig) {
	case DC_SIG_GOOD: return _("verified");
	case DC_SIG_NONE: return _("not signed");
	case DC_SIG_UNKNOWN_KEY: return _("NOT verified: the key is not in the signers file");
	case DC_SIG_WRONG_PRINCIPAL: return _("NOT verified: signed by someone else's key");
	case DC_SIG_NOT_SSH: return _("NOT verified: not an SSH signature");
	case DC_SIG_BAD: return _("NOT verified: bad signature");
	}
	return "?";
}

/* ISO 8601 with the commit's offset: 2026-11-20T10:00:00+08:00 */
static void iso_time(char *out, size_t size, const dc_event *e)
{
	char t[40];

	dc_time_format(t, sizeof(t), e->time, e->offset);
	/* "YYYY-MM-DD HH:MM:SS +HHMM" */
	snprintf(out, size, "%.10sT%.8s%.3s:%.2s", t, t + 11, t + 20, t + 23);
}

/* The listed files (reference §9.3) at an approval: each with its blob,
 * and whether it changed since the approval before (older: NULL for none). */
typedef struct {
	const cli_branch *b;
	git_tree *now, *before;
} files_at;

static int file_at(const char *entry, const char *path, void *payload)
{
	files_at *f = payload;
	git_oid a, o;
	unsigned long long size, osize;
	char hex[GIT_OID_HEXSZ + 1];
	int ra = dc_file_blob(f->b->repo, f->now, f->b->prefix, path, &a, &size);
	int ro = f->before ? dc_file_blob(f->b->repo, f->before, f->b->prefix, path, &o, &osize) : 1;

	if (ra < 0 || ro < 0)
		return -1;
	if (ra) {
		printf(_("  file:      %s (not in this revision)\n"), cli_esc(entry));
		return 0;
	}
	git_oid_tostr(hex, sizeof(hex), &a);
	printf(_("  file:      %s %.12s, %llu bytes%s\n"), cli_esc(entry), hex, size,
	       !f->before ? "" : ro || !git_oid_equal(&a, &o) ? _(", changed") : _(", unchanged"));
	return 0;
}

static git_tree *tree_of(git_repository *repo, const git_oid *commit)
{
	git_commit *c = NULL;
	git_tree *t = NULL;

	if (git_commit_lookup(&c, repo, commit) == 0)
		git_commit_tree(&t, c);
	git_commit_free(c);
	return t;
}

static void print_files(const dc_history *h, size_t i, const dc_docinfo *d, const dc_policy *pol, const cli_branch *b)
{
	files_at f = { b, NULL, NULL };
	size_t k;

	if (!d->files || !(f.now = tree_of(b->repo, &h->events[i].commit)))
		return;
	for (k = i + 1; k < h->nevents && !f.before; k++)
		if (h->events[k].kind == DC_EVENT_APPROVED)
			f.before = tree_of(b->repo, &h->events[k].commit);
	dc_docinfo_files(d, pol, file_at, &f);
	git_tree_free(f.now);
	git_tree_free(f.before);
}

static void print_text(const dc_history *h, const dc_docinfo *d, const dc_policy *pol, const cli_branch *b,
		       const dc_date *today)
{
	size_t i;

	printf("%s %s — %s (", cli_esc(d->id), cli_esc(d->title ? d->title : ""), cli_esc(b->refname));
	printf(P_("%zu entry)\n", "%zu entries)\n", h->nevents), h->nevents);
	for (i = 0; i < h->nevents; i++) {
		const dc_event *e = &h->events[i];
		const dc_version *v = e->version;
		const char *eff = v->effective ? v->effective : v->approved_on;
		char when[40], hex[GIT_OID_HEXSZ + 1];

		dc_time_format(when, sizeof(when), e->time, e->offset);
		git_oid_tostr(hex, sizeof(hex), &e->commit);
		printf(_("\nrevision %s %s"), cli_esc(v->revision ? v->revision : "?"), dc_event_kind_label(e->kind));
		if (e->kind == DC_EVENT_APPROVED && eff)
			printf(_(", effective %s%s"), cli_esc(eff), dc_version_pending(v, today) ? _(" (pending)") : "");
		if (e->kind == DC_EVENT_OBSOLETED && v->superseded_by)
			printf(_(", superseded by %s"), cli_esc(v->superseded_by));
		printf(_("\n  signed:    %s (%s), %s, %s\n"),
		       cli_esc(dc_person_name(pol, e->signer) ? dc_person_name(pol, e->signer) : "?"),
		       e->signer ? cli_esc(e->signer) : _("nobody named"), when, dc_event_kind_label(e->kind));
		printf(_("  signature: %s\n"), sig_text(e));
		if (e->kind == DC_EVENT_APPROVED && v->checked_by) {
			/* the three steps of reference §9.1 */
			printf(_("  steps:     编制 %s"), cli_esc(dc_person_name(pol, v->owner) ? dc_person_name(pol, v->owner) : "?"));
			printf(_(" · 审核 %s %s"), cli_esc(dc_person_name(pol, v->checked_by)), cli_esc(v->checked_on ? v->checked_on : "?"));
			printf(_(" · 批准 %s %s\n"), cli_esc(dc_person_name(pol, v->approved_by) ? dc_person_name(pol, v->approved_by) : "?"),
			       cli_esc(v->approved_on ? v->approved_on : "?"));
		}
		if (e->kind == DC_EVENT_APPROVED)
			printf(_("  change:    %s\n"), v->change ? cli_esc(v->change) : _("(first revision)"));
		if (e->kind == DC_EVENT_APPROVED) {
			print_files(h, i, d, pol, b);
			cli_feedback_print_resolved(b->repo, v->change, &e->commit, 0);
		}
		printf(_("  commit:    %s\n"), hex);
	}
}

static void print_json(const dc_history *h, const dc_docinfo *d, const dc_policy *pol, const cli_branch *b,
		       const dc_date *today)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	git_oid_tostr(hex, sizeof(hex), &b->commit);
	printf("{\"id\": ");
	cli_json_str(stdout, d->id);
	cli_json_member(stdout, "title", d->title);
	cli_json_member(stdout, "ref", b->refname);
	printf(", \"commit\": \"%s\", \"entries\": [", hex);
	for (i = 0; i < h->nevents; i++) {
		const dc_event *e = &h->events[i];
		const dc_version *v = e->version;
		char when[40];

		git_oid_tostr(hex, sizeof(hex), &e->commit);
		iso_time(when, sizeof(when), e);
		printf("%s\n  {\"revision\": ", i ? "," : "");
		cli_json_str(stdout, v->revision);
		printf(", \"meaning\": \"%s\", \"signer\": ", dc_event_kind_name(e->kind));
		if (e->signer)
			cli_json_str(stdout, e->signer);
		else
			fputs("null", stdout);
		cli_json_member(stdout, "signer_name", dc_person_name(pol, e->signer));
		printf(", \"time\": \"%s\", \"approved_on\": ", when);
		cli_json_str(stdout, v->approved_on);
		cli_json_member(stdout, "effective", v->effective ? v->effective : v->approved_on);
		printf(", \"pending\": %s, \"change\": ", dc_version_pending(v, today) ? "true" : "false");
		if (v->change)
			cli_json_str(stdout, v->change);
		else
			fputs("null", stdout);
		if (e->kind == DC_EVENT_APPROVED)
			cli_feedback_print_resolved(b->repo, v->change, &e->commit, 1);
		cli_json_member(stdout, "status", v->status);
		printf(", \"signature\": {\"status\": \"%s\", \"verified\": %s, \"detail\": ",
		       e->verified ? dc_sig_status_name(e->sig) : "unchecked", e->verified && e->sig == DC_SIG_GOOD ? "true" : "false");
		cli_json_str(stdout, e->sig_detail);
		printf("}, \"commit\": \"%s\", \"path\": ", hex);
		cli_json_str(stdout, v->path);
		printf("}");
	}
	printf("%s]", h->nevents ? "\n" : ""); /* the caller closes the object */
}

/* The reading options, and --acks (reference §10.2). */
typedef struct {
	cli_read_args read;       /* first: cli_read_option fills it */
	int acks;
} history_args;

static int history_option(void *args, const cli_option *o, const char *value)
{
	if (cli_opt_is(o, "acks")) {
		((history_args *)args)->acks = 1;
		return 0;
	}
	return cli_read_option(args, o, value);
}

int cmd_history(const cli_command *cmd, int argc, char **argv)
{
	history_args a = { { FORMAT_TEXT, NULL, NULL }, 0 };
	const dc_docinfo *d;
	dc_history h;
	cli_branch b;
	dc_date today;
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, history_option, &a, &first)) != CLI_RUN)
		return rc;
	if (!a.acks && a.read.format == FORMAT_CSV)
		return cli_usage_error("history", "%s", _("--format csv lists the confirmations of reading: add --acks"));
	if ((rc = cli_branch_open_doc(&b, &d, "history", &a.read, &today, argv[first])) != 0)
		return rc;
	dc_history_init(&h);
	if (dc_history_build(&h, b.repo, &b.commit, b.prefix, b.project->policy, d->id, d->path) < 0 ||
	    dc_history_verify(&h, b.repo, b.prefix, b.project->policy) < 0) {
		rc = cli_fail(_("cannot read the history"));
	} else if (a.read.format == FORMAT_CSV) {
		rc = cli_history_acks(&b, d->id, FORMAT_CSV); /* reference §10.2 */
	} else if (a.read.format == FORMAT_JSON) {
		print_json(&h, d, b.project->policy, &b, &today);
		if (a.acks)
			rc = cli_history_acks(&b, d->id, FORMAT_JSON);
		printf("}\n");
	} else {
		print_text(&h, d, b.project->policy, &b, &today);
		if (a.acks)
			rc = cli_history_acks(&b, d->id, FORMAT_TEXT);
	}
	dc_history_dispose(&h);
	cli_branch_close(&b);
	return rc;
}

const cli_option history_options[] = {
	{ "format", 0, "FORMAT", "text|json|csv", N_("text for people, json, or csv (with --acks: the confirmations only)"),
	  "history SP-004 --format json", 0 },
	CLI_OPT_REV("history SP-004 --rev origin/main"),
	CLI_OPT_AS_OF("history SP-004 --as-of 2026-12-31"),
	{ "acks", 0, NULL, NULL, N_("also the confirmations of reading of each revision (reference §10)"), "history SP-004 --acks",
	  0 },
	CLI_OPTIONS_END,
};
