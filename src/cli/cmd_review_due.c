/*
 * cmd_review_due.c - `docctl review-due`: the approved documents of the
 * protected branch whose periodic review (reference §4.6) is overdue, or falls
 * due within --within of today, with the owner and the due date. Exit 1
 * when one is overdue, so a scheduled CI job fails and somebody looks.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "register.h"

typedef struct {
	const dc_register_row *row;
	dc_date due;
	long days;              /* due minus today: negative when overdue */
} due_item;

static int due_cmp(const void *pa, const void *pb)
{
	const due_item *a = pa, *b = pb;
	int c = dc_date_cmp(&a->due, &b->due);

	return c ? c : strcmp(a->row->doc->id, b->row->doc->id);
}

typedef struct {
	cli_read_args read;
	dc_duration within;
} due_args;

static int due_option(void *args, const cli_option *o, const char *value)
{
	due_args *a = args;

	if (!cli_opt_is(o, "within"))
		return cli_read_option(&a->read, o, value);
	if (dc_duration_parse(&a->within, value) < 0)
		return cli_usage_error("review-due", _("--within '%s' is not an ISO 8601 duration (P30D, P2W, P1M)"),
				       cli_esc(value));
	return 0;
}

/* The rows due by `horizon`, sorted by due date, in *out (caller frees): their number, or -1. */
static long collect_due(due_item **out, size_t *overdue, const dc_register *reg, const dc_date *today,
			const dc_date *horizon)
{
	size_t i, n = 0;

	*overdue = 0;
	if (!(*out = calloc(reg->n + 1, sizeof(**out))))
		return -1;
	for (i = 0; i < reg->n; i++) {
		due_item *it = &(*out)[n];

		if (!reg->rows[i].next_review[0] || dc_date_parse(&it->due, reg->rows[i].next_review) < 0 ||
		    dc_date_cmp(&it->due, horizon) > 0)
			continue;
		it->row = &reg->rows[i];
		it->days = dc_date_days(&it->due) - dc_date_days(today);
		*overdue += it->days < 0;
		n++;
	}
	qsort(*out, n, sizeof(**out), due_cmp);
	return (long)n;
}

static void print_json(const due_item *items, size_t n, const char *today, const char *horizon, const char *ref)
{
	size_t i;

	printf("{\"as_of\": \"%s\", \"within\": \"%s\", \"ref\": ", today, horizon);
	cli_json_str(stdout, ref);
	printf(", \"documents\": [");
	for (i = 0; i < n; i++) {
		const dc_register_row *r = items[i].row;
		const dc_docinfo *d = r->doc;

		printf("%s\n  {\"id\": ", i ? "," : "");
		cli_json_str(stdout, d->id);
		cli_json_member(stdout, "title", d->title);
		cli_json_member(stdout, "owner", d->owner);
		cli_json_member(stdout, "owner_name", r->owner_name);
		printf(", \"due\": \"%s\", \"days\": %ld, \"overdue\": %s, \"last\": ", r->next_review, items[i].days,
		       items[i].days < 0 ? "true" : "false");
		cli_json_str(stdout, d->reviewed_on && strcmp(d->reviewed_on, d->approved_on ? d->approved_on : "") > 0
					     ? d->reviewed_on : d->approved_on);
		printf("}");
	}
	printf("%s]}\n", n ? "\n" : "");
}

static void print_text(const due_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const dc_register_row *r = items[i].row;
		long d = items[i].days;

		printf("%-8s %s  ", cli_esc(r->doc->id), r->next_review);
		if (d < 0)
			printf(P_("overdue by %ld day", "overdue by %ld days", -d), -d);
		else if (d == 0)
			printf(_("due today"));
		else
			printf(P_("due in %ld day", "due in %ld days", d), d);
		printf(_("  owner %s (%s)  %s\n"), cli_esc(r->owner_name ? r->owner_name : "?"),
		       cli_esc(r->doc->owner ? r->doc->owner : "?"), cli_esc(r->doc->title ? r->doc->title : ""));
	}
}

int cmd_review_due(const cli_command *cmd, int argc, char **argv)
{
	due_args a = { { FORMAT_TEXT, NULL, NULL }, { 0, 0, 0, 0 } };
	dc_register_opts ro;
	dc_register reg;
	cli_branch b;
	dc_date today, horizon;
	due_item *items = NULL;
	size_t overdue = 0;
	long n;
	char today_s[11], horizon_s[11];
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, due_option, &a, &first)) != CLI_RUN)
		return rc;
	if ((rc = cli_branch_open_as_of(&b, "review-due", &a.read, &today, NULL)) != 0)
		return rc;
	horizon = dc_date_add(&today, &a.within);
	dc_date_format(&today, today_s);
	dc_date_format(&horizon, horizon_s);
	memset(&ro, 0, sizeof(ro));
	ro.today = today; /* no history needed: the review dates are the tip's */
	if (dc_register_build(&reg, b.project->policy, &b.set, &ro) < 0 ||
	    (n = collect_due(&items, &overdue, &reg, &today, &horizon)) < 0) {
		rc = cli_fail(_("cannot build the register"));
		goto cleanup;
	}
	if (a.read.format == FORMAT_JSON)
		print_json(items, (size_t)n, today_s, horizon_s, b.refname);
	else
		print_text(items, (size_t)n);
	if (a.read.format != FORMAT_JSON && !n)
		fprintf(stderr, _("docctl: review-due: no periodic review is due by %s\n"), horizon_s);
	else if (a.read.format != FORMAT_JSON)
		fprintf(stderr, _("docctl: review-due: %ld due by %s, %zu overdue; record a review with 'docctl review ID --sign'\n"),
			n, horizon_s, overdue);
	rc = overdue ? EXIT_FINDINGS : EXIT_OK;
cleanup:
	free(items);
	dc_register_dispose(&reg);
	cli_branch_close(&b);
	return rc;
}

const cli_option review_due_options[] = {
	CLI_OPT_AS_OF("review-due --as-of 2027-01-01"),
	{ "within", 0, "DURATION", NULL, N_("also the reviews due within DURATION of today (ISO 8601: P30D, P2W, P1M)"),
	  "review-due --within P30D", 0 },
	{ "format", 0, "FORMAT", "text|json", N_("text for people, or json"), "review-due --format json", 0 },
	CLI_OPT_REV("review-due --rev origin/main"),
	CLI_OPTIONS_END,
};
