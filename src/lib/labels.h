/*
 * labels.h - the names people read for the values machines keep: a
 * document's status and what an approval means, in the language of the
 * locale (reference §7). JSON, CSV and the front-matter keep the values
 * themselves (approved, draft, ...).
 */
#ifndef DC_LABELS_H
#define DC_LABELS_H

#include "history.h"

/* "approved" -> "approved" (C locale) or "已批准" (zh_CN); a status that is
 * not in the table is returned as it is. NULL stays NULL. */
const char *dc_status_label(const char *status);
/* What a signature did: DC_EVENT_OBSOLETED -> "obsoleted" / "已作废", ...
 * (dc_event_kind_name is the machine's word, the same in every language). */
const char *dc_event_kind_label(dc_event_kind k);
/* The heading of a column or row people read, by its machine key:
 * "next_review" -> "Next review" / "下次评审"; an unknown key is returned as
 * it is. The CSV header and JSON keep the keys. */
const char *dc_column_label(const char *key);

#endif
