/*
 * cmd_register.c - `docctl register`: the master list of controlled
 * documents (受控文件清单) of the protected branch, as a Markdown table, CSV
 * for spreadsheets (UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting,
 * formulas neutralised), JSON, or one HTML page; every cell escaped for its
 * reader (escape.h, json.h).
 */
#include <string.h>

#include "attach.h"
#include "cli.h"
#include "escape.h"
#include "feedback.h"
#include "labels.h"
#include "register.h"
#include "site.h"


/* The columns, in order, by machine key: the CSV header and the JSON keys;
 * people read them through dc_column_label (labels.h, reference §7.15). */
static const char *const columns[] = {
	"id", "title", "type", "revision", "status", "owner", "approver", "effective", "next_review",
	"pending_revision", "pending_effective", "classification",
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* The check step (reference §9.1): a column before the approver's when a
 * document has a check; a register without one prints as before. */
static int reg_checks;
static const dc_policy *reg_policy;
static const char checker_column[] = "checker"; /* its machine key (labels.c) */

static const char *checker_cell(const dc_register_row *r)
{
	(void)reg_policy;
	return r->checker_name;
}

static void cells(const dc_register_row *r, const char *out[NCOLUMNS])
{
	out[0] = r->doc->id;
	out[1] = r->doc->title;
	out[2] = r->doc->type;
	out[3] = r->revision;
	out[4] = r->status;
	out[5] = r->owner_name;
	out[6] = r->approver_name;
	out[7] = r->effective;
	out[8] = r->next_review;
	out[9] = r->pending_revision;
	out[10] = r->pending_effective;
	out[11] = r->doc->classification ? r->doc->classification : "internal";
}

/* One cell of the Markdown table: escaped for the table, for Markdown and
 * HTML, and for the terminal it may be printed on (escape.h). */
static void md_cell(const char *s)
{
	dc_buf b = DC_BUF_INIT;

	dc_buf_putc(&b, ' ');
	dc_md_cell(&b, s);
	dc_buf_puts(&b, " |");
	fwrite(b.ptr, 1, b.len, stdout);
	dc_buf_dispose(&b);
}

/* The attachments of one document (reference §9.3). */
typedef struct {
	const cli_branch *b;
	const dc_register_row *r;
	int json, n;
} files_out;

static int file_line(const char *entry, const char *path, void *payload)
{
	files_out *f = payload;
	unsigned long long size = 0;
	char hex[GIT_OID_HEXSZ + 1] = "";
	git_oid oid;
	int rc = dc_file_blob(f->b->repo, f->b->tree, f->b->prefix, path, &oid, &size);

	(void)entry;
	if (rc < 0)
		return -1;
	if (rc == 0)
		git_oid_tostr(hex, sizeof(hex), &oid);
	if (f->json) {
		printf("%s{\"path\": ", f->n++ ? ", " : "");
		cli_json_str(stdout, path);
		if (rc == 0)
			printf(", \"size\": %llu, \"blob\": \"%s\"}", size, hex);
		else
			printf(", \"size\": null, \"blob\": null}");
		return 0;
	}
	if (!f->n++)
		printf("\n- %s:", cli_esc(f->r->doc->id));
	if (rc == 0)
		printf(_(" %s (%llu bytes, %.12s)"), cli_esc(path), size, hex);
	else
		printf(_(" %s (missing)"), cli_esc(path));
	return 0;
}

/* The open feedback items per document (reference §11), a section after
 * the table when there are some. */
static void print_feedback_md(const dc_register *reg)
{
	size_t i;
	int any = 0;

	for (i = 0; i < reg->n; i++) {
		if (!reg->rows[i].open_feedback)
			continue;
		if (!any)
			printf("\n## %s\n\n| %s | %s |\n|---|---|\n", _("Open feedback"), _("Document"), _("Open items"));
		any = 1;
		printf("| %s | %zu |\n", cli_esc(reg->rows[i].doc->id), reg->rows[i].open_feedback);
	}
}

static void print_files_md(const dc_register *reg, const cli_branch *b)
{
	size_t i;
	int any = 0;

	for (i = 0; i < reg->n; i++) {
		files_out f = { b, &reg->rows[i], 0, 0 };

		if (!reg->rows[i].doc->files)
			continue;
		if (!any++)
			printf(_("\n## 附件 Attachments\n"));
		dc_docinfo_files(reg->rows[i].doc, b->project->policy, file_line, &f);
	}
	if (any)
		printf("\n");
}

static void print_md(const dc_register *reg, const cli_branch *b, const char *today)
{
	dc_buf ref = DC_BUF_INIT;
	char hex[13];
	size_t i, j;

	git_oid_tostr(hex, sizeof(hex), &b->commit);
	dc_md_cell(&ref, b->refname);
	printf("# %s\n\n", _("Register of controlled documents"));
	/* TRANSLATORS: the line under the register's heading: the branch, its
	 * commit, the date and the count */
	printf(P_("%s @ %s · %s · %zu document\n", "%s @ %s · %s · %zu documents\n", reg->n), ref.ptr, hex, today, reg->n);
	printf("\n|");
	dc_buf_dispose(&ref);
	for (j = 0; j < NCOLUMNS - 1; j++) {
		if (j == 6 && reg_checks)
			md_cell(dc_column_label(checker_column));
		md_cell(dc_column_label(columns[j]));
	}
	printf("\n|");
	for (j = 0; j < NCOLUMNS - 1 + (reg_checks != 0); j++)
		printf("---|");
	printf("\n");
	for (i = 0; i < reg->n; i++) {
		const char *c[NCOLUMNS];

		cells(&reg->rows[i], c);
		printf("|");
		for (j = 0; j < NCOLUMNS - 1; j++) {
			if (j == 6 && reg_checks)
				md_cell(checker_cell(&reg->rows[i]));
			if (j == 1 && reg->rows[i].confidential) {
				char title[1024];

				/* TRANSLATORS: a confidential document's title in the register */
				snprintf(title, sizeof(title), _("%s (confidential)"),
					 reg->rows[i].doc->title ? reg->rows[i].doc->title : "");
				md_cell(title);
			} else if (j == 2 && reg->rows[i].type && reg->rows[i].type->title) {
				md_cell(reg->rows[i].type->title);
			} else if (j == 4) {
				md_cell(dc_status_label(c[j]));
			} else {
				md_cell(c[j]);
			}
		}
		printf("\n");
	}
}

/* One cell of the CSV: RFC 4180, and OWASP's leading ' for a cell that a
 * spreadsheet would take for a formula (escape.h). */
static void csv_cell(const char *s, int last)
{
	dc_buf b = DC_BUF_INIT;

	dc_csv_cell(&b, s);
	dc_buf_puts(&b, last ? "\r\n" : ",");
	fwrite(b.ptr, 1, b.len, stdout);
	dc_buf_dispose(&b);
}

static void print_csv(const dc_register *reg)
{
	size_t i, j;
	int fb = 0; /* open feedback (reference §11): a last column when some row has some */

	for (i = 0; i < reg->n && !fb; i++)
		fb = reg->rows[i].open_feedback > 0;
	fputs("\xEF\xBB\xBF", stdout); /* so spreadsheet programs read UTF-8 */
	for (j = 0; j < NCOLUMNS; j++) {
		if (j == 6 && reg_checks)
			csv_cell(checker_column, 0);
		csv_cell(columns[j], j == NCOLUMNS - 1 && !fb);
	}
	if (fb)
		csv_cell("open_feedback", 1);
	for (i = 0; i < reg->n; i++) {
		const char *c[NCOLUMNS];
		char count[24];

		cells(&reg->rows[i], c);
		for (j = 0; j < NCOLUMNS; j++) {
			if (j == 6 && reg_checks)
				csv_cell(checker_cell(&reg->rows[i]), 0);
			csv_cell(c[j], j == NCOLUMNS - 1 && !fb);
		}
		snprintf(count, sizeof(count), "%zu", reg->rows[i].open_feedback);
		if (fb)
			csv_cell(count, 1);
	}
}

static void json_field(const char *key, const char *value, int first)
{
	printf("%s\"%s\": ", first ? "" : ", ", key);
	if (value && *value)
		cli_json_str(stdout, value);
	else
		fputs("null", stdout);
}

/* The open feedback items of a document (reference §11), when it has some. */
static void json_feedback(const dc_fb_open *fb, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < fb->n; i++) {
		const dc_fb_open_item *it = &fb->items[i];

		if (strcmp(it->document, id))
			continue;
		printf("%s{", n++ ? ", " : ", \"open_feedback\": [");
		json_field("id", it->id, 1);
		json_field("revision", it->revision, 0);
		json_field("kind", it->kind, 0);
		json_field("filed_on", it->filed_on, 0);
		printf("}");
	}
	if (n)
		printf("]");
}

static void print_json(const dc_register *reg, const cli_branch *b, const char *today, const dc_fb_open *fb)
{
	const dc_policy *pol = b->project->policy;

	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	git_oid_tostr(hex, sizeof(hex), &b->commit);
	printf("{\"ref\": ");
	cli_json_str(stdout, b->refname);
	printf(", \"commit\": \"%s\", \"as_of\": \"%s\", \"documents\": [", hex, today);
	for (i = 0; i < reg->n; i++) {
		const dc_register_row *r = &reg->rows[i];

		printf("%s\n  {", i ? "," : "");
		json_field("id", r->doc->id, 1);
		json_field("title", r->doc->title, 0);
		json_field("type", r->doc->type, 0);
		json_field("revision", r->revision, 0);
		json_field("status", r->status, 0);
		json_field("owner", r->doc->owner, 0);
		json_field("owner_name", r->owner_name, 0);
		json_field("approved_by", r->approved_by, 0);
		json_field("approver_name", r->approver_name, 0);
		json_field("approved_on", r->approved_on, 0);
		if (r->doc->checked_by) { /* the check step (reference §9.1) */
			json_field("checked_by", r->doc->checked_by, 0);
			json_field("checker_name", dc_person_name(pol, r->doc->checked_by), 0);
			json_field("checked_on", r->doc->checked_on, 0);
		}
		json_field("effective", r->effective, 0);
		json_field("next_review", r->next_review, 0);
		printf(", \"review_overdue\": %s", r->review_overdue ? "true" : "false");
		json_field("pending_revision", r->pending_revision, 0);
		json_field("pending_effective", r->pending_effective, 0);
		json_field("classification", r->doc->classification ? r->doc->classification : "internal", 0);
		json_field("superseded_by", r->doc->superseded_by.text, 0);
		json_field("path", r->doc->path, 0);
		if (r->doc->files) {
			files_out f = { b, r, 1, 0 };

			printf(", \"files\": [");
			dc_docinfo_files(r->doc, b->project->policy, file_line, &f);
			printf("]");
		}
		json_feedback(fb, r->doc->id);
		printf("}");
	}
	printf("%s]}\n", reg->n ? "\n" : "");
}

int cmd_register(const cli_command *cmd, int argc, char **argv)
{
	cli_read_args a = { FORMAT_MD, NULL, NULL };
	dc_register reg;
	dc_fb_open fb;
	cli_branch b;
	dc_date today;
	char today_s[11];
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, cli_read_option, &a, &first)) != CLI_RUN)
		return rc;
	if ((rc = cli_branch_open_as_of(&b, "register", &a, &today, NULL)) != 0)
		return rc;
	dc_date_format(&today, today_s);
	reg_policy = b.project->policy;
	for (size_t k = 0; k < b.set.n; k++)
		if (b.set.docs[k].checked_by)
			reg_checks = 1;
	dc_fb_open_init(&fb);
	if (cli_branch_register(&reg, &b, &today, 0) < 0) {
		rc = cli_fail(_("cannot build the register"));
	} else if (dc_fb_open_load(&fb, b.repo, b.project->policy) < 0) {
		rc = cli_fail(_("cannot read the feedback ref"));
	} else {
		dc_register_feedback(&reg, &fb);
		switch (a.format) {
		case FORMAT_MD:
			print_md(&reg, &b, today_s);
			print_files_md(&reg, &b);
			print_feedback_md(&reg);
			break;
		case FORMAT_CSV: print_csv(&reg); break;
		case FORMAT_JSON: print_json(&reg, &b, today_s, &fb); break;
		default: {
			dc_buf page = DC_BUF_INIT;

			if (dc_site_register_page(&page, &reg, b.refname, &b.commit) < 0)
				rc = cli_fail(_("cannot render the register"));
			else
				fwrite(page.ptr, 1, page.len, stdout);
			dc_buf_dispose(&page);
			break;
		}
		}
	}
	dc_fb_open_dispose(&fb);
	dc_register_dispose(&reg);
	cli_branch_close(&b);
	return rc;
}

const cli_option register_options[] = {
	{ "format", 0, "FORMAT", "md|csv|json|html",
	  N_("md (a Markdown table, the default), csv for spreadsheets, json, or one html page"),
	  "register --format csv > register.csv", 0 },
	CLI_OPT_REV("register --rev v2026.1"),
	CLI_OPT_AS_OF("register --as-of 2026-12-31"),
	CLI_OPTIONS_END,
};
