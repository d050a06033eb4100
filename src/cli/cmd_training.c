/*
 * cmd_training.c - `docctl training`: the training matrix (reference §10.2)
 * of the protected branch: every reader × every revision in force they must
 * read, confirmed (date, method), pending (days left) or overdue, as a
 * Markdown table, CSV (UTF-8 with a byte-order mark, CRLF, like register),
 * JSON or one HTML page. --overdue keeps the overdue rows and exits 1 when
 * there is one, for cron.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "escape.h"
#include "i18n.h"
#include "json.h"
#include "register.h"
#include "training.h"

typedef enum { TR_MD, TR_CSV, TR_JSON, TR_HTML } tr_format;

typedef struct {
	const dc_training *t;
	tr_format format;
	const char *person, *document;
	int overdue_only;
	long today;
	dc_buf line;              /* the row being written */
	dc_buf doc_head, doc_due; /* the current document's cells */
	char **parts;             /* each person's cells, made on first use */
	size_t *part_len;
	char **methods;           /* each method's cell(s), made on first use */
	char **bys;               /* each recorder's cell(s), made on first use */
	char *states[3];          /* the state cells, by dc_train_state */
	size_t rows, overdue;
	int first;
} matrix;

static void md_cell(dc_buf *b, const char *s)
{
	dc_buf_putc(b, ' ');
	dc_md_cell(b, s ? s : "");
	dc_buf_puts(b, " |");
}

static void csv_cell(dc_buf *b, const char *s, int last)
{
	dc_csv_cell(b, s ? s : "");
	dc_buf_puts(b, last ? "\r\n" : ",");
}

/* (no printf: a million rows) */
static void json_field(dc_buf *b, const char *key, const char *value, int first)
{
	dc_buf_puts(b, first ? "\"" : ", \"");
	dc_buf_puts(b, key);
	dc_buf_puts(b, "\": ");
	if (value && *value)
		dc_json_cstr(b, value);
	else
		dc_buf_puts(b, "null");
}

/* The cells of a person (id, name) as this format writes them, made once
 * per person and kept: a million rows repeat ten thousand people. */
static const char *person_part(matrix *m, uint32_t pi, size_t *len)
{
	const dc_person *who = &m->t->policy->people[pi];
	dc_buf b = DC_BUF_INIT;

	if (!m->parts[pi]) {
		switch (m->format) {
		case TR_MD:
			dc_buf_putc(&b, '|');
			md_cell(&b, who->key);
			md_cell(&b, who->name);
			break;
		case TR_CSV:
			csv_cell(&b, who->key, 0);
			csv_cell(&b, who->name, 0);
			break;
		case TR_JSON:
			dc_buf_puts(&b, "{");
			json_field(&b, "person", who->key, 1);
			json_field(&b, "name", who->name, 0);
			break;
		case TR_HTML:
			break;
		}
		m->part_len[pi] = b.len;
		m->parts[pi] = dc_buf_detach(&b);
		if (!m->parts[pi]) {
			*len = 0;
			return "";
		}
	}
	*len = m->part_len[pi];
	return m->parts[pi];
}

/* The cells of a document (id, title, revision) and its due date. */
static void doc_parts(matrix *m, const dc_train_doc *d)
{
	char due[11];

	dc_buf_clear(&m->doc_head);
	dc_buf_clear(&m->doc_due);
	dc_train_day_format(dc_date_days(&d->due), due);
	switch (m->format) {
	case TR_MD:
		md_cell(&m->doc_head, d->id);
		md_cell(&m->doc_head, d->title);
		md_cell(&m->doc_head, d->revision);
		md_cell(&m->doc_due, due);
		break;
	case TR_CSV:
		csv_cell(&m->doc_head, d->id, 0);
		csv_cell(&m->doc_head, d->title, 0);
		csv_cell(&m->doc_head, d->revision, 0);
		csv_cell(&m->doc_due, due, 0);
		break;
	case TR_JSON:
		json_field(&m->doc_head, "id", d->id, 0);
		json_field(&m->doc_head, "title", d->title, 0);
		json_field(&m->doc_head, "revision", d->revision, 0);
		json_field(&m->doc_due, "due", due, 0);
		break;
	case TR_HTML:
		break;
	}
}

/* The cells of a state, the same on every row: made once. */
static void make_states(matrix *m)
{
	static const dc_train_state all[] = { DC_TRAIN_CONFIRMED, DC_TRAIN_PENDING, DC_TRAIN_OVERDUE };
	size_t i;

	for (i = 0; i < 3; i++) {
		dc_train_state s = all[i];
		dc_buf b = DC_BUF_INIT;

		if (m->format == TR_MD)
			md_cell(&b, s == DC_TRAIN_CONFIRMED ? _("confirmed") : s == DC_TRAIN_PENDING ? _("to confirm") : _("overdue"));
		else if (m->format == TR_CSV)
			dc_buf_printf(&b, "%s,", dc_train_state_name(s)); /* needs no quoting */
		else
			json_field(&b, "status", dc_train_state_name(s), 0);
		m->states[s] = dc_buf_detach(&b);
	}
}

/* The cells of a method (and, for JSON, the key before it): made once. */
static const char *method_part(matrix *m, uint32_t mi)
{
	dc_buf b = DC_BUF_INIT;

	if (!m->methods[mi]) {
		const char *method = m->t->methods[mi];

		if (m->format == TR_MD)
			md_cell(&b, method);
		else if (m->format == TR_CSV)
			csv_cell(&b, method, 0);
		else
			json_field(&b, "method", method, 0);
		m->methods[mi] = dc_buf_detach(&b);
	}
	return m->methods[mi] ? m->methods[mi] : "";
}

/* The cell of who recorded a confirmation (JSON and CSV), made once. */
static const char *by_part(matrix *m, uint32_t pi)
{
	const char *key = pi != UINT32_MAX ? m->t->policy->people[pi].key : NULL;
	dc_buf b = DC_BUF_INIT;

	if (pi == UINT32_MAX)
		return m->format == TR_JSON ? ", \"recorded_by\": null" : ",";
	if (!m->bys[pi]) {
		if (m->format == TR_JSON)
			json_field(&b, "recorded_by", key, 0);
		else
			csv_cell(&b, key, 0);
		m->bys[pi] = dc_buf_detach(&b);
	}
	return m->bys[pi] ? m->bys[pi] : "";
}

/* A day count without printf. */
static void put_long(dc_buf *b, long v)
{
	char s[24];
	size_t n = sizeof(s);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do
		s[--n] = (char)('0' + u % 10);
	while ((u /= 10));
	if (v < 0)
		s[--n] = '-';
	dc_buf_put(b, s + n, sizeof(s) - n);
}

/* The row's end: the due date, `between`, the days left when pending
 * (else `none`), then `end`. */
static void put_due(dc_buf *b, const matrix *m, dc_train_state s, long left, const char *between, const char *none,
		    const char *end)
{
	dc_buf_put(b, m->doc_due.ptr, m->doc_due.len);
	dc_buf_puts(b, between);
	if (s == DC_TRAIN_PENDING)
		put_long(b, left);
	else
		dc_buf_puts(b, none);
	dc_buf_puts(b, end);
}

static void row(matrix *m, const dc_train_doc *d, size_t k)
{
	const dc_ack_cell *c = &d->cells[k];
	char on[11] = "";
	const char *part, *state, *method = "";
	uint32_t by_i = UINT32_MAX;
	size_t plen;
	long left;
	dc_train_state s = dc_train_state_of(d, k, m->today, &left);
	dc_buf *b = &m->line;

	if (m->overdue_only && s != DC_TRAIN_OVERDUE)
		return;
	m->rows++;
	m->overdue += s == DC_TRAIN_OVERDUE;
	if (m->format == TR_HTML)
		return; /* counted only: the page is written whole */
	if (s == DC_TRAIN_CONFIRMED) {
		dc_train_day_format(c->day, on);
		method = method_part(m, c->method);
		by_i = c->by;
	}
	part = person_part(m, d->people[k], &plen);
	state = m->states[s] ? m->states[s] : "";
	dc_buf_clear(b);
	if (m->format == TR_JSON)
		dc_buf_puts(b, m->first ? "\n  " : ",\n  ");
	m->first = 0;
	dc_buf_put(b, part, plen);
	dc_buf_put(b, m->doc_head.ptr, m->doc_head.len);
	switch (m->format) {
	case TR_MD:
		dc_buf_puts(b, state);
		md_cell(b, on);
		dc_buf_puts(b, *method ? method : "  |");
		put_due(b, m, s, left, " ", "", " |\n");
		break;
	case TR_CSV:
		dc_buf_puts(b, state);
		dc_buf_puts(b, on);
		dc_buf_putc(b, ',');
		dc_buf_puts(b, *method ? method : ",");
		dc_buf_puts(b, by_part(m, by_i));
		put_due(b, m, s, left, "", "", "\r\n");
		break;
	case TR_JSON:
		dc_buf_puts(b, state);
		if (*on) { /* a date: nothing to escape */
			dc_buf_puts(b, ", \"confirmed_on\": \"");
			dc_buf_put(b, on, 10);
			dc_buf_putc(b, '"');
		} else {
			dc_buf_puts(b, ", \"confirmed_on\": null");
		}
		json_field(b, "confirmed_revision", c->revision, 0);
		dc_buf_puts(b, *method ? method : ", \"method\": null");
		dc_buf_puts(b, by_part(m, by_i));
		put_due(b, m, s, left, ", \"days_left\": ", "null", "}");
		break;
	case TR_HTML:
		break;
	}
	fwrite(b->ptr, 1, b->len, stdout);
}

static void rows(matrix *m)
{
	const dc_training *t = m->t;
	size_t i, k, pi = SIZE_MAX;

	if (m->person) {
		const dc_person *p = dc_policy_person(t->policy, m->person);

		pi = (size_t)(p - t->policy->people);
	}
	m->parts = calloc(t->policy->npeople + 1, sizeof(*m->parts));
	m->part_len = calloc(t->policy->npeople + 1, sizeof(*m->part_len));
	m->methods = calloc(t->nmethods + 1, sizeof(*m->methods));
	m->bys = calloc(t->policy->npeople + 1, sizeof(*m->bys));
	if (!m->parts || !m->part_len || !m->methods || !m->bys)
		return;
	make_states(m);
	for (i = 0; i < t->ndocs; i++) {
		const dc_train_doc *d = &t->docs[i];

		if (!d->revision || (m->document && strcmp(m->document, d->id)))
			continue;
		doc_parts(m, d);
		if (pi != SIZE_MAX) {
			if ((k = dc_train_doc_reader(d, (uint32_t)pi)) != SIZE_MAX)
				row(m, d, k);
			continue;
		}
		for (k = 0; k < d->npeople; k++)
			row(m, d, k);
	}
	for (i = 0; i < t->policy->npeople; i++) {
		free(m->parts[i]);
		free(m->bys[i]);
	}
	free(m->bys);
	free(m->parts);
	free(m->part_len);
	for (i = 0; i < t->nmethods; i++)
		free(m->methods[i]);
	free(m->methods);
	for (i = 0; i < 3; i++)
		free(m->states[i]);
	dc_buf_dispose(&m->doc_head);
	dc_buf_dispose(&m->doc_due);
	dc_buf_dispose(&m->line);
}

int cli_training_load(dc_training *t, cli_branch *b, const dc_register *reg)
{
	return dc_training_load(t, b->project->policy, reg, b->repo, &b->commit, b->prefix);
}

/* history --acks as CSV: the confirmations, one row each (machine keys). */
static void acks_csv(const dc_policy *pol, const char *id, const dc_ack_rows *r)
{
	static const char *const head[] = { "id", "revision", "person", "name", "date", "method", "recorded_by", NULL };
	dc_buf b = DC_BUF_INIT;
	size_t i, j;

	dc_buf_puts(&b, "\xEF\xBB\xBF"); /* so spreadsheet programs read UTF-8, as register */
	for (j = 0; head[j]; j++)
		csv_cell(&b, head[j], !head[j + 1]);
	for (i = 0; i < r->n; i++) {
		const dc_ack_row *a = &r->v[i];

		csv_cell(&b, id, 0);
		csv_cell(&b, a->revision, 0);
		csv_cell(&b, a->person, 0);
		csv_cell(&b, dc_person_name(pol, a->person), 0);
		csv_cell(&b, a->date, 0);
		csv_cell(&b, a->method, 0);
		csv_cell(&b, a->recorded_by, 1);
	}
	fwrite(b.ptr, 1, b.len, stdout);
	dc_buf_dispose(&b);
}

/* history --acks in JSON: the keys "acks_ref" and "acks" of history's object. */
static void acks_json(const dc_policy *pol, const dc_ack_rows *r)
{
	dc_buf b = DC_BUF_INIT;
	size_t i;

	dc_buf_puts(&b, ", \"acks_ref\": ");
	dc_json_cstr(&b, pol->training.ref);
	dc_buf_puts(&b, ", \"acks\": [");
	for (i = 0; i < r->n; i++) {
		const dc_ack_row *a = &r->v[i];

		dc_buf_puts(&b, i ? ",\n  {" : "\n  {");
		json_field(&b, "revision", a->revision, 1);
		json_field(&b, "person", a->person, 0);
		json_field(&b, "name", dc_person_name(pol, a->person), 0);
		json_field(&b, "date", a->date, 0);
		json_field(&b, "method", a->method, 0);
		json_field(&b, "recorded_by", a->recorded_by, 0);
		dc_buf_putc(&b, '}');
	}
	dc_buf_puts(&b, r->n ? "\n]" : "]");
	fwrite(b.ptr, 1, b.len, stdout);
	dc_buf_dispose(&b);
}

static void acks_text(const dc_policy *pol, const dc_ack_rows *r)
{
	size_t i, j;

	printf(_("\nconfirmations of reading (%s):\n"), cli_esc(pol->training.ref));
	if (!r->n)
		printf(_("  none\n"));
	for (i = 0; i < r->n; i = j) {
		for (j = i; j < r->n && !strcmp(r->v[j].revision, r->v[i].revision); j++)
			;
		printf(P_("  revision %s: %zu confirmation\n", "  revision %s: %zu confirmations\n", j - i),
		       cli_esc(r->v[i].revision), j - i);
		for (size_t k = i; k < j; k++) {
			const dc_ack_row *a = &r->v[k];

			printf("    %s  %s (%s)  %s", cli_esc(a->date), cli_esc(a->person),
			       cli_esc(dc_person_name(pol, a->person)), cli_esc(a->method));
			if (strcmp(a->recorded_by, a->person))
				printf(_(", recorded by %s"), cli_esc(a->recorded_by));
			printf("\n");
		}
	}
}

int cli_history_acks(cli_branch *b, const char *id, cli_format format)
{
	const dc_policy *pol = b->project->policy;
	dc_ack_rows r;
	git_oid acks;
	int has;

	if ((has = dc_training_ack_tip(&acks, b->repo, pol)) < 0 ||
	    dc_acks_of_document(&r, b->repo, has ? &acks : NULL, id) < 0)
		return cli_fail(_("cannot read the confirmations"));
	if (format == FORMAT_CSV)
		acks_csv(pol, id, &r);
	else if (format == FORMAT_JSON)
		acks_json(pol, &r);
	else
		acks_text(pol, &r);
	dc_ack_rows_dispose(&r);
	return EXIT_OK;
}

static const char *const columns[] = {
	N_("Person"), N_("Name"), N_("ID"), N_("Title"), N_("Revision"), N_("Status"), N_("Confirmed"),
	N_("Method"), N_("Recorded by"), N_("Due"), N_("Days left"), NULL
};

/* The CSV header: machine keys, the same in every locale (reference §7). */
static const char *const keys[] = {
	"person", "name", "id", "title", "revision", "status", "confirmed", "method", "recorded_by", "due",
	"days_left", NULL
};

/* What comes before the rows: a title and the column headers (Markdown),
 * the byte-order mark and the headers (CSV), the object's opening (JSON). */
static void print_head(const matrix *m, const char *refname, const char *hex, const char *today_s)
{
	size_t j;

	switch (m->format) {
	case TR_MD: {
		dc_buf ref = DC_BUF_INIT;

		dc_md_cell(&ref, refname);
		printf(_("# Training matrix\n\n%s @ %.12s · %s\n\n|"), ref.ptr, hex, today_s);
		dc_buf_dispose(&ref);
		for (j = 0; columns[j]; j++)
			if (j != 8)
				printf(" %s |", _(columns[j]));
		printf("\n|");
		for (j = 0; columns[j]; j++)
			if (j != 8)
				printf("---|");
		printf("\n");
		break;
	}
	case TR_CSV: {
		dc_buf h = DC_BUF_INIT;

		fputs("\xEF\xBB\xBF", stdout); /* so spreadsheet programs read UTF-8 */
		for (j = 0; keys[j]; j++)
			csv_cell(&h, keys[j], !keys[j + 1]);
		fwrite(h.ptr, 1, h.len, stdout);
		dc_buf_dispose(&h);
		break;
	}
	case TR_JSON:
		printf("{\"ref\": ");
		cli_json_str(stdout, refname);
		printf(", \"commit\": \"%s\", \"as_of\": \"%s\", \"rows\": [", hex, today_s);
		break;
	case TR_HTML:
		break;
	}
}

typedef struct {
	matrix *m;
	const char *rev, *as_of;
} training_args;

static int training_option(void *args, const cli_option *o, const char *value)
{
	training_args *a = args;
	cli_format f;

	if (cli_opt_is(o, "person")) {
		a->m->person = value;
	} else if (cli_opt_is(o, "document")) {
		a->m->document = value;
	} else if (cli_opt_is(o, "overdue")) {
		a->m->overdue_only = 1;
	} else if (cli_opt_is(o, "format") && cli_format_parse(&f, value) == 0) {
		a->m->format = f == FORMAT_CSV ? TR_CSV : f == FORMAT_JSON ? TR_JSON : f == FORMAT_HTML ? TR_HTML : TR_MD;
	} else if (cli_opt_is(o, "rev")) {
		a->rev = value;
	} else if (cli_opt_is(o, "as-of")) {
		a->as_of = value;
	}
	return 0;
}

int cmd_training(const cli_command *cmd, int argc, char **argv)
{
	matrix m;
	training_args a;
	const char *rev, *as_of;
	dc_register_opts ro;
	dc_register reg;
	dc_training t;
	cli_branch b;
	dc_date today;
	char today_s[11], hex[GIT_OID_HEXSZ + 1];
	int rc, first;

	memset(&m, 0, sizeof(m));
	m.format = TR_MD;
	memset(&a, 0, sizeof(a));
	a.m = &m;
	if ((rc = cli_parse(cmd, argc, argv, training_option, &a, &first)) != CLI_RUN)
		return rc;
	rev = a.rev;
	as_of = a.as_of;
	if ((rc = cli_as_of("training", &today, as_of)) != 0)
		return rc;
	dc_date_format(&today, today_s);
	dc_register_init(&reg);
	dc_training_init(&t);
	if ((rc = cli_branch_open(&b, "training", rev, &today, NULL)) != 0)
		goto cleanup;
	if (m.person && !dc_policy_person(b.project->policy, m.person)) {
		fprintf(stderr, _("docctl: training: --person: \"%s\" is not a person of the policy\n"), cli_esc(m.person));
		rc = EXIT_FATAL;
		goto cleanup;
	}
	memset(&ro, 0, sizeof(ro));
	ro.repo = b.repo;
	ro.tip = &b.commit;
	ro.prefix = b.prefix;
	ro.today = today;
	if (dc_register_build(&reg, b.project->policy, &b.set, &ro) < 0 || cli_training_load(&t, &b, &reg) < 0) {
		rc = cli_fail(_("cannot build the training matrix"));
		goto cleanup;
	}
	if (m.document && !dc_register_find(&reg, m.document)) {
		fprintf(stderr, _("docctl: training: --document: there is no document %s on %s\n"), cli_esc(m.document),
			cli_esc(b.refname));
		rc = EXIT_FATAL;
		goto cleanup;
	}
	m.t = &t;
	m.today = dc_date_days(&today);
	m.first = 1;
	git_oid_tostr(hex, sizeof(hex), &b.commit);
	if (m.format == TR_HTML) {
		dc_buf page = DC_BUF_INIT;

		if (dc_training_html(&page, &t, &today, b.refname, &b.commit, m.overdue_only) < 0) {
			rc = cli_fail(_("cannot render the training matrix"));
		} else {
			fwrite(page.ptr, 1, page.len, stdout);
			rows(&m); /* counts the overdue rows for the exit code */
		}
		dc_buf_dispose(&page);
	} else {
		static char big[1 << 16];

		setvbuf(stdout, big, _IOFBF, sizeof(big));
		print_head(&m, b.refname, hex, today_s);
		rows(&m);
		if (m.format == TR_JSON)
			printf("%s]}\n", m.rows ? "\n" : "");
		if (m.format == TR_MD && m.overdue_only && !m.rows)
			printf(_("\nnobody is overdue\n"));
		fflush(stdout);
	}
	if (rc == 0 && m.overdue_only && m.overdue) {
		fprintf(stderr, P_("docctl: training: %zu confirmation is overdue\n",
				   "docctl: training: %zu confirmations are overdue\n", m.overdue),
			m.overdue);
		rc = EXIT_FINDINGS;
	}
cleanup:
	dc_training_dispose(&t);
	dc_register_dispose(&reg);
	cli_branch_close(&b);
	return rc;
}

const cli_option training_options[] = {
	{ "person", 0, "P", NULL, N_("only the rows of this person"), "training --person li.wei", 0 },
	{ "document", 0, "ID", NULL, N_("only the rows of this document"), "training --document SP-004", 0 },
	{ "overdue", 0, NULL, NULL, N_("only the overdue rows; exit 1 when there is one (for cron)"), "training --overdue", 0 },
	{ "format", 0, "FORMAT", "md|csv|json|html",
	  N_("md (a Markdown table, the default), csv for spreadsheets, json, or one html page"),
	  "training --format csv > training.csv", 0 },
	CLI_OPT_REV("training --rev origin/main"),
	CLI_OPT_AS_OF("training --as-of 2026-12-31"),
	CLI_OPTIONS_END,
};
