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
#include <string.h>
#include <unistd.h>

#include "authoring.h"
#include "cli.h"
#include "escape.h"
#include "history.h"

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
	if (!revision && !pending)
		return print_tip(b, d);
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

typedef struct {
	cli_read_args read;
	const char *revision;
} show_args;

static int show_option(void *args, const cli_option *o, const char *value)
{
	show_args *a = args;

	if (cli_opt_is(o, "revision"))
		a->revision = value;
	else if (cli_opt_is(o, "raw"))
		raw_output = 1;
	else
		return cli_read_option(&a->read, o, value);
	return 0;
}

static int run_show(const cli_command *cmd, int argc, char **argv)
{
	show_args a = { { FORMAT_TEXT, NULL, NULL }, NULL };
	const char *id;
	const dc_docinfo *d;
	cli_branch b;
	dc_date today;
	int rc, first, dups;

	if ((rc = cli_parse(cmd, argc, argv, show_option, &a, &first)) != CLI_RUN)
		return rc;
	id = argv[first];
	if ((rc = cli_branch_open_as_of(&b, "show", &a.read, &today, id)) != 0)
		return rc;
	if (!(d = dc_docset_by_id(&b.set, id, &dups))) {
		fprintf(stderr, _("docctl: show: no document has id \"%s\" on %s\n"), cli_esc(id), cli_esc(b.refname));
		rc = EXIT_FINDINGS;
	} else {
		rc = show(&b, d, a.revision, &today);
	}
	cli_branch_close(&b);
	return rc;
}

static const cli_option show_options[] = {
	{ "revision", 0, "R", NULL, N_("that revision, in force or not, instead of the one in force"),
	  "show SP-004 --revision B", 0 },
	CLI_OPT_REV("show SP-004 --rev origin/main"),
	CLI_OPT_AS_OF("show SP-004 --as-of 2027-01-01"),
	{ "raw", 0, NULL, NULL, N_("the bytes as stored, control characters not escaped for the terminal"),
	  "show SP-004 --raw > SP-004.md", 0 },
	CLI_OPTIONS_END,
};

static const char *const show_examples[] = { "show SP-004", NULL };

const cli_command cli_cmd_show = {
	"show", run_show, "ID", 1, 1, N_("the text of the effective revision"),
	N_("Prints the revision of a document in force today on the protected branch: an approved revision\n"
	   "that is still pending gives way to the one before it."),
	show_options, show_examples, 0,
};
