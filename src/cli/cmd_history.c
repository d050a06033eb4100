/*
 * cmd_history.c - `docctl history ID`: the audit trail of one document on
 * the protected branch, newest first. Each entry is one approval, periodic
 * review or obsoletion with the signature's manifestation (21 CFR Part 11
 * §11.50): the signer's printed name, the date and time, the meaning, and
 * whether the commit's SSH signature verifies against the signers file of
 * that time. What the files say is escaped for the terminal (cli_esc), so a
 * title or a change note cannot draw another signer on the screen.
 */
#include <getopt.h>
#include <string.h>

#include "authoring.h"
#include "cli.h"
#include "history.h"
#include "register.h"

static const char *sig_text(const dc_event *e)
{
	if (!e->verified)
		return "not checked";
	switch (e->sig) {
	case DC_SIG_GOOD: return "verified";
	case DC_SIG_NONE: return "not signed";
	case DC_SIG_UNKNOWN_KEY: return "NOT verified: the key is not in the signers file";
	case DC_SIG_WRONG_PRINCIPAL: return "NOT verified: signed by someone else's key";
	case DC_SIG_NOT_SSH: return "NOT verified: not an SSH signature";
	case DC_SIG_BAD: return "NOT verified: bad signature";
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

static void print_text(const dc_history *h, const dc_docinfo *d, const dc_policy *pol, const cli_branch *b,
		       const dc_date *today)
{
	size_t i;

	printf("%s %s — %s (%zu %s)\n", cli_esc(d->id), cli_esc(d->title ? d->title : ""), cli_esc(b->refname), h->nevents,
	       h->nevents == 1 ? "entry" : "entries");
	for (i = 0; i < h->nevents; i++) {
		const dc_event *e = &h->events[i];
		const dc_version *v = e->version;
		const char *eff = v->effective ? v->effective : v->approved_on;
		char when[40], hex[GIT_OID_HEXSZ + 1];

		dc_time_format(when, sizeof(when), e->time, e->offset);
		git_oid_tostr(hex, sizeof(hex), &e->commit);
		printf("\nrevision %s %s", cli_esc(v->revision ? v->revision : "?"), dc_event_kind_name(e->kind));
		if (e->kind == DC_EVENT_APPROVED && eff)
			printf(", effective %s%s", cli_esc(eff), dc_version_pending(v, today) ? " (pending)" : "");
		if (e->kind == DC_EVENT_OBSOLETED && v->superseded_by)
			printf(", superseded by %s", cli_esc(v->superseded_by));
		printf("\n  signed:    %s (%s), %s, %s\n",
		       cli_esc(dc_person_name(pol, e->signer) ? dc_person_name(pol, e->signer) : "?"),
		       cli_esc(e->signer ? e->signer : "nobody named"), when, dc_event_kind_name(e->kind));
		printf("  signature: %s\n", sig_text(e));
		if (e->kind == DC_EVENT_APPROVED)
			printf("  change:    %s\n", cli_esc(v->change ? v->change : "(first revision)"));
		if (e->kind == DC_EVENT_APPROVED)
			cli_feedback_print_resolved(b->repo, v->change, &e->commit);
		printf("  commit:    %s\n", hex);
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
	printf(", \"title\": ");
	cli_json_str(stdout, d->title);
	printf(", \"ref\": ");
	cli_json_str(stdout, b->refname);
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
		printf(", \"signer_name\": ");
		cli_json_str(stdout, dc_person_name(pol, e->signer));
		printf(", \"time\": \"%s\", \"approved_on\": ", when);
		cli_json_str(stdout, v->approved_on);
		printf(", \"effective\": ");
		cli_json_str(stdout, v->effective ? v->effective : v->approved_on);
		printf(", \"pending\": %s, \"change\": ", dc_version_pending(v, today) ? "true" : "false");
		if (v->change)
			cli_json_str(stdout, v->change);
		else
			fputs("null", stdout);
		printf(", \"status\": ");
		cli_json_str(stdout, v->status);
		printf(", \"signature\": {\"status\": \"%s\", \"verified\": %s, \"detail\": ",
		       e->verified ? dc_sig_status_name(e->sig) : "unchecked", e->verified && e->sig == DC_SIG_GOOD ? "true" : "false");
		cli_json_str(stdout, e->sig_detail);
		printf("}, \"commit\": \"%s\", \"path\": ", hex);
		cli_json_str(stdout, v->path);
		printf("}");
	}
	printf("%s]}\n", h->nevents ? "\n" : "");
}

int cmd_history(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rev", required_argument, NULL, 'r' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rev = NULL, *as_of = NULL;
	const dc_docinfo *d;
	dc_history h;
	cli_branch b;
	dc_date today;
	int c, rc, json = 0, dups;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if ((rc = cli_pick_format("history", optarg, cli_text_json, &json)) != 0)
				return rc;
			break;
		case 'r': rev = optarg; break;
		case 'a': as_of = optarg; break;
		case 'h': return cli_help("history");
		default: return cli_usage_error("history", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("history", "name one document id");
	if ((rc = cli_as_of("history", &today, as_of)) != 0)
		return rc;
	if ((rc = cli_branch_open(&b, "history", rev, &today, argv[optind])) != 0) {
		cli_branch_close(&b);
		return rc;
	}
	dc_history_init(&h);
	if (!(d = dc_docset_by_id(&b.set, argv[optind], &dups))) {
		fprintf(stderr, "docctl: history: no document has id \"%s\" on %s\n", cli_esc(argv[optind]),
			cli_esc(b.refname));
		rc = EXIT_FINDINGS;
	} else if (dc_history_build(&h, b.repo, &b.commit, b.prefix, b.project->policy, d->id, d->path) < 0 ||
		   dc_history_verify(&h, b.repo, b.prefix, b.project->policy) < 0) {
		rc = cli_fail("cannot read the history");
	} else if (json) {
		print_json(&h, d, b.project->policy, &b, &today);
	} else {
		print_text(&h, d, b.project->policy, &b, &today);
	}
	dc_history_dispose(&h);
	cli_branch_close(&b);
	return rc;
}
