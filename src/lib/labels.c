/*
 * labels.c - one table of the status names and approval meanings people
 * read (see labels.h); translated where they are used.
 */
#include "labels.h"

#include <string.h>

#include "i18n.h"

/* A machine word and the label people read for it (N_(): translated at use). */
typedef struct {
	const char *key;
	const char *label;
} label_row;

#define NROWS(t) (sizeof(t) / sizeof((t)[0]))

/* The translated label of `key` in rows[0..n), or key itself when it has none. */
static const char *label_of(const label_row *rows, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].key, key))
			return _(rows[i].label);
	return key;
}

static const label_row statuses[] = {
	/* TRANSLATORS: a document's status (reference §4), as people read it */
	{ "draft", N_("draft") },
	{ "in-review", N_("in review") },
	{ "approved", N_("approved") },
	{ "obsolete", N_("obsolete") },
	/* TRANSLATORS: the register's status of a revision approved but not yet effective */
	{ "pending", N_("pending") },
};

const char *dc_status_label(const char *status)
{
	return status ? label_of(statuses, NROWS(statuses), status) : NULL;
}

const char *dc_event_kind_label(dc_event_kind k)
{
	switch (k) {
	/* TRANSLATORS: what a signature did (21 CFR Part 11 §11.50), as in
	 * "revision A/1 approved"; "approved" is also the status */
	case DC_EVENT_APPROVED: return _("approved");
	case DC_EVENT_REVIEWED: return _("reviewed");
	case DC_EVENT_OBSOLETED: return _("obsoleted");
	/* TRANSLATORS: the check step 审核 before an approval (reference §9.1) */
	case DC_EVENT_CHECKED: return _("checked");
	}
	return "?";
}

/* The columns and header rows of the register, the published site and the
 * history table, by machine key (the CSV and JSON keys where there is one). */
static const label_row columns[] = {
	/* TRANSLATORS: column and row headings of the register (受控文件清单), the
	 * published pages and their revision history */
	{ "id", N_("ID") },
	{ "title", N_("Title") },
	/* TRANSLATORS: a document's type (procedure, form ...) */
	{ "type", N_("Type") },
	{ "revision", N_("Revision") },
	{ "status", N_("Status") },
	{ "owner", N_("Owner") },
	{ "checker", N_("Checked by") },
	{ "approver", N_("Approved by") },
	{ "effective", N_("Effective") },
	{ "next_review", N_("Next review") },
	{ "pending_revision", N_("Pending revision") },
	{ "pending_effective", N_("Pending effective") },
	{ "open_feedback", N_("Open feedback") },
	/* TRANSLATORS: a feedback item's kind (error, improvement ...), the day it was filed, its text */
	{ "kind", N_("Kind") },
	{ "filed_on", N_("Filed on") },
	{ "text", N_("Request") },
	{ "classification", N_("Classification") },
	{ "obsoleted_on", N_("Obsoleted on") },
	{ "superseded_by", N_("Superseded by") },
	/* TRANSLATORS: what a signature means: approved, reviewed, obsoleted */
	{ "meaning", N_("Meaning") },
	{ "signer", N_("Signed by") },
	{ "time", N_("Date and time") },
	{ "signature", N_("Signature") },
	/* TRANSLATORS: the description of a revision's change (变更说明) */
	{ "change", N_("Change") },
	/* TRANSLATORS: a git commit */
	{ "commit", N_("Commit") },
	{ "refs", N_("References") },
	/* TRANSLATORS: the issuer of an external document (a standard, a law) */
	{ "source", N_("Source") },
	/* TRANSLATORS: the rows of a document page that show who approved,
	 * reviewed or withdrew it, and when */
	/* TRANSLATORS: the three steps of a sign-off (reference §9.1): prepared
	 * (编制, the owner), checked (审核), approved (批准) */
	{ "prepared", N_("Prepared by") },
	{ "checked", N_("Checked") },
	{ "approved", N_("Approved") },
	{ "reviewed", N_("Reviewed") },
	{ "obsoleted", N_("Obsoleted") },
};

const char *dc_column_label(const char *key)
{
	return label_of(columns, NROWS(columns), key);
}
