/*
 * cmd_review_due.c - `docctl review-due`: the approved documents of the
 * protected branch whose periodic review (reference §4.6) is overdue, or falls
 * due within --within of today, with the owner and the due date. Exit 1
 * when one is overdue, so a scheduled CI job fails and somebody looks.
 */
#include <getopt.h>
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

int cmd_review_due(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "within", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ "rev", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rev = NULL, *as_of = NULL;
	dc_duration within = { 0, 0, 0, 0 };
	dc_register_opts ro;
	dc_register reg;
	cli_branch b;
	dc_date today, horizon;
	due_item *items = NULL;
	size_t i, n = 0, overdue = 0;
	char today_s[11], horizon_s[11];
	int c, rc, json = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': as_of = optarg; break;
		case 'w':
			if (dc_duration_parse(&within, optarg) < 0)
				return cli_usage_error("review-due", "--within '%s' is not an ISO 8601 duration (P30D, P2W, P1M)",
						       optarg);
			break;
		case 'f':
			if ((rc = cli_pick_format("review-due", optarg, cli_text_json, &json)) != 0)
				return rc;
			break;
		case 'r': rev = optarg; break;
		case 'h': return cli_help("review-due");
		default: return cli_usage_error("review-due", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage_error("review-due", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_as_of("review-due", &today, as_of)) != 0)
		return rc;
	horizon = dc_date_add(&today, &within);
	dc_date_format(&today, today_s);
	dc_date_format(&horizon, horizon_s);
	if ((rc = cli_branch_open(&b, "review-due", rev, &today, NULL)) != 0) {
		cli_branch_close(&b);
		return rc;
	}
	memset(&ro, 0, sizeof(ro));
	ro.today = today; /* no history needed: the review dates are the tip's */
	if (dc_register_build(&reg, b.project->policy, &b.set, &ro) < 0 ||
	    !(items = calloc(reg.n + 1, sizeof(*items)))) {
		rc = cli_fail("cannot build the register");
		goto cleanup;
	}
	for (i = 0; i < reg.n; i++) {
		due_item *it = &items[n];

		if (!reg.rows[i].next_review[0] || dc_date_parse(&it->due, reg.rows[i].next_review) < 0 ||
		    dc_date_cmp(&it->due, &horizon) > 0)
			continue;
		it->row = &reg.rows[i];
		it->days = dc_date_days(&it->due) - dc_date_days(&today);
		overdue += it->days < 0;
		n++;
	}
	qsort(items, n, sizeof(*items), due_cmp);
	if (json)
		printf("{\"as_of\": \"%s\", \"within\": \"%s\", \"ref\": ", today_s, horizon_s);
	if (json) {
		cli_json_str(stdout, b.refname);
		printf(", \"documents\": [");
	}
	for (i = 0; i < n; i++) {
		const dc_register_row *r = items[i].row;
		long d = items[i].days;

		if (json) {
			printf("%s\n  {\"id\": ", i ? "," : "");
			cli_json_str(stdout, r->doc->id);
			printf(", \"title\": ");
			cli_json_str(stdout, r->doc->title);
			printf(", \"owner\": ");
			cli_json_str(stdout, r->doc->owner);
			printf(", \"owner_name\": ");
			cli_json_str(stdout, r->owner_name);
			printf(", \"due\": \"%s\", \"days\": %ld, \"overdue\": %s, \"last\": ", r->next_review, d,
			       d < 0 ? "true" : "false");
			cli_json_str(stdout, r->doc->reviewed_on && strcmp(r->doc->reviewed_on, r->doc->approved_on ? r->doc->approved_on : "") > 0
						     ? r->doc->reviewed_on : r->doc->approved_on);
			printf("}");
			continue;
		}
		printf("%-8s %s  ", cli_esc(r->doc->id), r->next_review);
		if (d < 0)
			printf("overdue by %ld day%s", -d, d == -1 ? "" : "s");
		else if (d == 0)
			printf("due today");
		else
			printf("due in %ld day%s", d, d == 1 ? "" : "s");
		printf("  owner %s (%s)  %s\n", cli_esc(r->owner_name ? r->owner_name : "?"),
		       cli_esc(r->doc->owner ? r->doc->owner : "?"), cli_esc(r->doc->title ? r->doc->title : ""));
	}
	if (json)
		printf("%s]}\n", n ? "\n" : "");
	else if (!n)
		fprintf(stderr, "docctl: review-due: no periodic review is due by %s\n", horizon_s);
	else
		fprintf(stderr, "docctl: review-due: %zu due by %s, %zu overdue; record a review with 'docctl review ID --sign'\n",
			n, horizon_s, overdue);
	rc = overdue ? EXIT_FINDINGS : EXIT_OK;
cleanup:
	free(items);
	dc_register_dispose(&reg);
	cli_branch_close(&b);
	return rc;
}
