/*
 * json.h - the one JSON writer of docctl (check --format json and sarif,
 * register, history, review-due, the audit trail; reference §7, "Output
 * safety"). Strings come out as strict JSON whatever bytes go in: quotes,
 * backslashes and control characters escaped, C1 controls, bidi overrides
 * and U+2028/U+2029 as \u escapes (so the text is also safe on a
 * terminal), and every byte that is not UTF-8 replaced by U+FFFD (written
 * "\ufffd"), so a strict reader (Python's json, jq) parses every line.
 */
#ifndef DC_JSON_H
#define DC_JSON_H

#include <stddef.h>

#include "buf.h"

/* Appends `len` bytes of `s` as a JSON string literal. */
int dc_json_str(dc_buf *b, const char *s, size_t len);
/* The same for a C string; NULL is written as null. */
int dc_json_cstr(dc_buf *b, const char *s);

#endif
