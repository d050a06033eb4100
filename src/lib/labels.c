/*
 * labels.c - one table of the status names and approval meanings people
 * read (see labels.h); translated where they are used.
 */
#include "labels.h"

#include <string.h>

#include "i18n.h"

static const struct {
	const char *value;
	const char *label;
} statuses[] = {
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
	size_t i;

	if (!status)
		return NULL;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(statuses[i].value, status))
			return _(statuses[i].label);
	return status;
}

const char *dc_event_kind_label(dc_event_kind k)
{
	switch (k) {
	/* TRANSLATORS: what a signature did (21 CFR Part 11 §11.50), as in
	 * "revision A/1 approved"; "approved" is also the status */
	case DC_EVENT_APPROVED: return _("approved");
	case DC_EVENT_REVIEWED: return _("reviewed");
	case DC_EVENT_OBSOLETED: return _("obsoleted");
	}
	return "?";
}
