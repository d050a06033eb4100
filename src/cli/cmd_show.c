/*
 * cmd_show.c - `docctl show ID [--revision R]`: the file of the revision in
 * force on the protected branch, front-matter included, byte for byte. A
 * revision approved with an effective date still in the future is pending:
 * the previous approved one is served and stderr says so. With --revision,
 * the newest version of that revision in the branch's history.
 *
 * The bytes go out as they are to a pipe or a file, or with --raw; on a
 * terminal, control characters and bidi overrides are shown escaped
 * (escape.h), so a document cannot move the cursor, retitle the window or
 * write the clipboard of the person reading it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "authoring.h"
#include "cli.h"
#include "escape.h"
#include "history.h"
#include "register.h"

static int raw_output;

static void put_text(const dc_buf *data)
{
	dc_buf safe = DC_BUF_INIT;

	if (raw_output || !isatty(STDOUT_FILENO) || dc_term_escape(&safe, data->ptr, data->len, DC_ESC_LINES) < 0)
		fwrite(data->ptr, 1, data->len, stdout);
	else
		fwrite(safe.ptr, 1, safe.len, stdout);
	dc_buf_dispose(&safe);
}

static int print_version(cli_branch *b, const dc_version *v)
{
	dc_buf data = DC_BUF_INIT;
	int rc = dc_version_read(&data, b->repo, v);

	if (rc == 0)
		put_text(&data);
	dc_buf_dispose(&data);
	return rc < 0 ? cli_fail(_("cannot read the document")) : EXIT_OK;
}

static int print_tip(cli_branch *b, const dc_docinfo *d)
{
	dc_buf data = DC_BUF_INIT;
	int rc = dc_source_read_path(b->src, d->path, DC_FILE_MAX, &data);

	if (rc == 0)
		put_text(&data);
	dc_buf_dispose(&data);
	return rc != 0 ? cli_fail(_("cannot read the document")) : EXIT_OK;
}

static void say_obsolete(const dc_docinfo *d)
{
	fprintf(stderr, _("docctl: show: %s is obsolete (作废 / OBSOLETE)%s%s%s%s; do not use it\n"), cli_esc(d->id),
		d->obsoleted_on ? " since " : "", d->obsoleted_on ? cli_esc(d->obsoleted_on) : "",
		d->superseded_by.text ? ", superseded by " : "", d->superseded_by.text ? cli_esc(d->superseded_by.text) : "");
}

/* One step's manifestation (21 CFR Part 11 §11.50): the signer's printed
 * name, the date and time of its commit and whether its signature verifies;
 * the date the file says when the history has no such step. */
static void say_step(const dc_policy *pol, const dc_history *h, dc_event_kind kind, const dc_docinfo *d, const char *by,
		     const char *on)
{
	size_t i;

	for (i = 0; h && i < h->nevents; i++) {
		const dc_event *e = &h->events[i];
		char when[40];

		if (e->kind != kind || !e->version->revision || !d->revision || strcmp(e->version->revision, d->revision))
			continue;
		dc_time_format(when, sizeof(when), e->time, e->offset);
		fprintf(stderr, " %s %s", cli_esc(dc_person_name(pol, e->signer) ? dc_person_name(pol, e->signer) : "?"), when);
		fprintf(stderr, "%s", !e->verified ? "" : e->sig == DC_SIG_GOOD ? _(" (signature verified)") : _(" (NOT verified)"));
		return;
	}
	fprintf(stderr, " %s %s", cli_esc(by ? dc_person_name(pol, by) : "-"), cli_esc(on ? on : "-"));
}

/* The three steps of reference §9.1, on stderr so the text stays the file. */
static void say_steps(const cli_branch *b, const dc_docinfo *d)
{
	const dc_policy *pol = b->project->policy;
	dc_history h;
	int ok;

	if (!d->checked_by)
		return;
	dc_history_init(&h);
	ok = dc_history_build(&h, b->repo, &b->commit, b->prefix, pol, d->id, d->path) == 0 &&
	     dc_history_verify(&h, b->repo, b->prefix, pol) == 0;
	fprintf(stderr, _("docctl: show: %s revision %s: 编制 %s"), cli_esc(d->id), cli_esc(d->revision ? d->revision : "?"),
		cli_esc(d->owner ? dc_person_name(pol, d->owner) : "?"));
	fprintf(stderr, _(" · 审核"));
	say_step(pol, ok ? &h : NULL, DC_EVENT_CHECKED, d, d->checked_by, d->checked_on);
	fprintf(stderr, _(" · 批准"));
	say_step(pol, ok ? &h : NULL, DC_EVENT_APPROVED, d, d->approved_by, d->approved_on);
	fprintf(stderr, "\n");
	dc_history_dispose(&h);
}

static int show(cli_branch *b, const dc_docinfo *d, const char *revision, const dc_date *today)
{
	dc_history h;
	dc_version tipv;
	const dc_event *e;
	int rc, pending;

	memset(&tipv, 0, sizeof(tipv));
	tipv.approved_on = d->approved_on;
	tipv.effective = d->effective;
	pending = d->status && !strcmp(d->status, "approved") && dc_version_pending(&tipv, today);
	if (d->status && !strcmp(d->status, "obsolete") && (!revision || (d->revision && !strcmp(revision, d->revision))))
		say_obsolete(d);
	if (!revision && !pending) {
		say_steps(b, d);
		return print_tip(b, d);
	}
	if (revision && d->revision && !strcmp(revision, d->revision)) {
		if (pending)
			fprintf(stderr, _("docctl: show: %s revision %s is pending: it takes effect on %s\n"), cli_esc(d->id),
				cli_esc(revision), cli_esc(d->effective));
		return print_tip(b, d);
	}
	dc_history_init(&h);
	if (dc_history_build(&h, b->repo, &b->commit, b->prefix, b->project->policy, d->id, d->path) < 0) {
		dc_history_dispose(&h);
		return cli_fail(_("cannot read the history"));
	}
	if (revision) {
		if (!(e = dc_history_revision(&h, revision))) {
			fprintf(stderr, _("docctl: show: %s has no approved revision \"%s\" on %s; see 'docctl history %s'\n"),
				cli_esc(d->id), cli_esc(revision), cli_esc(b->refname), cli_esc(d->id));
			rc = EXIT_FINDINGS;
		} else {
			if (strcmp(revision, d->revision ? d->revision : ""))
				fprintf(stderr, _("docctl: show: %s revision %s is not the current revision (%s); printed for reference\n"),
					cli_esc(d->id), cli_esc(revision), cli_esc(d->revision ? d->revision : "?"));
			rc = print_version(b, e->version);
		}
	} else if (!(e = dc_history_in_force(&h, today))) {
		fprintf(stderr, _("docctl: show: %s has no revision in force yet: revision %s takes effect on %s\n"),
			cli_esc(d->id), cli_esc(d->revision ? d->revision : "?"), cli_esc(d->effective));
		rc = EXIT_FINDINGS;
	} else {
		fprintf(stderr, _("docctl: show: %s revision %s is pending until %s; showing revision %s, in force\n"),
			cli_esc(d->id), cli_esc(d->revision ? d->revision : "?"), cli_esc(d->effective),
			cli_esc(e->version->revision ? e->version->revision : "?"));
		rc = print_version(b, e->version);
	}
	dc_history_dispose(&h);
	return rc;
}

/* `show ID --file NAME`: the bytes of a listed file (reference §9.3) of the
 * revision in force: the tip's, or the in-force approval's tree while the
 * tip is pending. */
typedef struct {
	const char *want;
	char *path;
} file_find;

static int file_match(const char *entry, const char *path, void *payload)
{
	file_find *f = payload;

	if (strcmp(entry, f->want) && strcmp(path, f->want))
		return 0;
	f->path = strdup(path);
	return 1;
}

static int show_file(cli_branch *b, const dc_docinfo *d, const char *name, const dc_date *today)
{
	file_find f = { name, NULL };
	git_commit *cm = NULL;
	git_tree *tree = NULL;
	git_blob *blob = NULL;
	dc_version tipv;
	dc_history h;
	git_oid oid;
	unsigned long long size;
	int rc = EXIT_FINDINGS;

	if (dc_docinfo_files(d, b->project->policy, file_match, &f) < 0)
		return cli_fail(_("cannot read the document's files"));
	if (!f.path) {
		fprintf(stderr, _("docctl: show: %s lists no file \"%s\" in files; see 'docctl register'\n"), cli_esc(d->id), cli_esc(name));
		return EXIT_FINDINGS;
	}
	memset(&tipv, 0, sizeof(tipv));
	tipv.approved_on = d->approved_on;
	tipv.effective = d->effective;
	dc_history_init(&h);
	if (d->status && !strcmp(d->status, "approved") && dc_version_pending(&tipv, today)) {
		const dc_event *e;

		if (dc_history_build(&h, b->repo, &b->commit, b->prefix, b->project->policy, d->id, d->path) < 0) {
			rc = cli_fail(_("cannot read the history"));
			goto cleanup;
		}
		if (!(e = dc_history_in_force(&h, today))) {
			fprintf(stderr, _("docctl: show: %s has no revision in force yet\n"), cli_esc(d->id));
			goto cleanup;
		}
		if (git_commit_lookup(&cm, b->repo, &e->commit) < 0 || git_commit_tree(&tree, cm) < 0) {
			rc = cli_fail(_("cannot read the revision in force"));
			goto cleanup;
		}
	}
	rc = dc_file_blob(b->repo, tree ? tree : b->tree, b->prefix, f.path, &oid, &size);
	if (rc != 0) {
		if (rc > 0)
			fprintf(stderr, _("docctl: show: %s is not in the tree\n"), cli_esc(f.path));
		rc = rc > 0 ? EXIT_FINDINGS : cli_fail(_("cannot read the file"));
		goto cleanup;
	}
	if (git_blob_lookup(&blob, b->repo, &oid) < 0) {
		rc = cli_fail(_("cannot read the file"));
		goto cleanup;
	}
	fwrite(git_blob_rawcontent(blob), 1, (size_t)git_blob_rawsize(blob), stdout);
	rc = EXIT_OK;
cleanup:
	git_blob_free(blob);
	git_tree_free(tree);
	git_commit_free(cm);
	dc_history_dispose(&h);
	free(f.path);
	return rc;
}

typedef struct {
	cli_read_args read;
	const char *revision;
	const char *file;   /* --file: a listed file (reference §9.3) */
} show_args;

static int show_option(void *args, const cli_option *o, const char *value)
{
	show_args *a = args;

	if (!cli_opt_is(o, "raw"))
		return cli_read_option(&a->read, o, value);
	raw_output = 1;
	return 0;
}

int cmd_show(const cli_command *cmd, int argc, char **argv)
{
	show_args a = { { FORMAT_TEXT, NULL, NULL }, NULL, NULL };
	const dc_docinfo *d;
	cli_branch b;
	dc_date today;
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, show_option, &a, &first)) != CLI_RUN)
		return rc;
	if ((rc = cli_branch_open_doc(&b, &d, "show", &a.read, &today, argv[first])) != 0)
		return rc;
	if (a.file)
		rc = show_file(&b, d, a.file, &today);
	else
		rc = show(&b, d, a.revision, &today);
	cli_branch_close(&b);
	return rc;
}

const cli_option show_options[] = {
	{ "revision", 0, "R", NULL, N_("that revision, in force or not, instead of the one in force"),
	  "show SP-004 --revision B", CLI_STRING(show_args, revision) },
	CLI_OPT_REV("show SP-004 --rev origin/main"),
	CLI_OPT_AS_OF("show SP-004 --as-of 2027-01-01"),
	{ "raw", 0, NULL, NULL, N_("the bytes as stored, control characters not escaped for the terminal"),
	  "show SP-004 --raw > SP-004.md", 0 },
	{ "file", 0, "NAME", NULL, N_("the bytes of a file the document lists in files (an attachment, reference §9.3)"),
	  "show FM-005 --file FM-005-service-record.xlsx > template.xlsx", CLI_STRING(show_args, file) },
	CLI_OPTIONS_END,
};
