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
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "authoring.h"
#include "cli.h"
#include "register.h"
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
	return rc < 0 ? cli_fail("cannot read the document") : EXIT_OK;
}

static int print_tip(cli_branch *b, const dc_docinfo *d)
{
	dc_buf data = DC_BUF_INIT;
	int rc = dc_source_read_path(b->src, d->path, DC_FILE_MAX, &data);

	if (rc == 0)
		put_text(&data);
	dc_buf_dispose(&data);
	return rc != 0 ? cli_fail("cannot read the document") : EXIT_OK;
}

static void say_obsolete(const dc_docinfo *d)
{
	fprintf(stderr, "docctl: show: %s is obsolete (作废 / OBSOLETE)%s%s%s%s; do not use it\n", cli_esc(d->id),
		d->obsoleted_on ? " since " : "", d->obsoleted_on ? cli_esc(d->obsoleted_on) : "",
		d->superseded_by.text ? ", superseded by " : "", d->superseded_by.text ? cli_esc(d->superseded_by.text) : "");
}

/* The three steps of reference §9.1, on stderr so the text stays the file. */
static void say_steps(const cli_branch *b, const dc_docinfo *d)
{
	const dc_policy *pol = b->project->policy;

	if (!d->checked_by)
		return;
	fprintf(stderr, "docctl: show: %s revision %s: 编制 %s", cli_esc(d->id), cli_esc(d->revision ? d->revision : "?"),
		cli_esc(d->owner ? dc_person_name(pol, d->owner) : "?"));
	fprintf(stderr, " · 审核 %s %s", cli_esc(dc_person_name(pol, d->checked_by)), cli_esc(d->checked_on ? d->checked_on : "?"));
	fprintf(stderr, " · 批准 %s %s\n", cli_esc(d->approved_by ? dc_person_name(pol, d->approved_by) : "-"),
		cli_esc(d->approved_on ? d->approved_on : "-"));
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
			fprintf(stderr, "docctl: show: %s revision %s is pending: it takes effect on %s\n", cli_esc(d->id),
				cli_esc(revision), cli_esc(d->effective));
		return print_tip(b, d);
	}
	dc_history_init(&h);
	if (dc_history_build(&h, b->repo, &b->commit, b->prefix, b->project->policy, d->id, d->path) < 0) {
		dc_history_dispose(&h);
		return cli_fail("cannot read the history");
	}
	if (revision) {
		if (!(e = dc_history_revision(&h, revision))) {
			fprintf(stderr, "docctl: show: %s has no approved revision \"%s\" on %s; see 'docctl history %s'\n",
				cli_esc(d->id), cli_esc(revision), cli_esc(b->refname), cli_esc(d->id));
			rc = EXIT_FINDINGS;
		} else {
			if (strcmp(revision, d->revision ? d->revision : ""))
				fprintf(stderr, "docctl: show: %s revision %s is not the current revision (%s); printed for reference\n",
					cli_esc(d->id), cli_esc(revision), cli_esc(d->revision ? d->revision : "?"));
			rc = print_version(b, e->version);
		}
	} else if (!(e = dc_history_in_force(&h, today))) {
		fprintf(stderr, "docctl: show: %s has no revision in force yet: revision %s takes effect on %s\n",
			cli_esc(d->id), cli_esc(d->revision ? d->revision : "?"), cli_esc(d->effective));
		rc = EXIT_FINDINGS;
	} else {
		fprintf(stderr, "docctl: show: %s revision %s is pending until %s; showing revision %s, in force\n",
			cli_esc(d->id), cli_esc(d->revision ? d->revision : "?"), cli_esc(d->effective),
			cli_esc(e->version->revision ? e->version->revision : "?"));
		rc = print_version(b, e->version);
	}
	dc_history_dispose(&h);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "revision", required_argument, NULL, 'R' },
		{ "rev", required_argument, NULL, 'r' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "raw", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rev = NULL, *as_of = NULL, *revision = NULL;
	const dc_docinfo *d;
	cli_branch b;
	dc_date today;
	int c, rc, dups;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'R': revision = optarg; break;
		case 'r': rev = optarg; break;
		case 'a': as_of = optarg; break;
		case 'w': raw_output = 1; break;
		case 'h': return cli_help("show");
		default: return cli_usage_error("show", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("show", "name one document id");
	if ((rc = cli_as_of("show", &today, as_of)) != 0)
		return rc;
	if ((rc = cli_branch_open(&b, "show", rev, &today, argv[optind])) != 0) {
		cli_branch_close(&b);
		return rc;
	}
	if (!(d = dc_docset_by_id(&b.set, argv[optind], &dups))) {
		fprintf(stderr, "docctl: show: no document has id \"%s\" on %s\n", cli_esc(argv[optind]), cli_esc(b.refname));
		rc = EXIT_FINDINGS;
	} else {
		rc = show(&b, d, revision, &today);
	}
	cli_branch_close(&b);
	return rc;
}
