/*
 * ack.h - the confirmations of reading (reference §10.1): one line per
 * confirmation in acks/<person>.txt on the confirmations' ref.
 *
 * A line is six fields separated by one TAB, in this order, ended by LF:
 *
 *   person  id  revision  date  method  recorded_by
 *
 * date is YYYY-MM-DD; method is `read` or `training:<record id>`. Every
 * field is non-empty UTF-8 without control characters and without a space
 * at either end; no CR, no empty line, no comment. The parser is strict:
 * anything else is an error at its line and column, never skipped, so the
 * server (receive_ack.c) and the readers (training.c) see the same lines.
 */
#ifndef DC_ACK_H
#define DC_ACK_H

#include <stddef.h>

#include "buf.h"

#define DC_ACK_NFIELDS 6
#define DC_ACK_LINE_MAX 1024

typedef struct {
	const char *p;     /* into the parsed bytes, not NUL-terminated */
	size_t len;
} dc_span;

typedef struct {
	dc_span person, id, revision, date, method, recorded_by;
	dc_span record;    /* the record id of a `training:` method; len 0 for `read` */
} dc_ack;

/* Where and why a line does not parse. */
typedef struct {
	size_t line;       /* 1-based */
	size_t col;        /* 1-based, in bytes of the line */
	const char *why;   /* a message for people, untranslated (N_ marked) */
} dc_ack_error;

/* Parses one line, `len` bytes without its LF. Returns 0, or 1 with *err set
 * (err->line left as it was). */
int dc_ack_parse_line(dc_ack *out, const char *line, size_t len, dc_ack_error *err);

/*
 * Calls fn for each line of a confirmations file, in order. The bytes must
 * be whole lines (the last one ends with LF; an empty file has none).
 * Returns 0; 1 at the first bad line with *err set; or what fn returned
 * when that is not 0 (fn stops the walk).
 */
int dc_ack_each(const char *data, size_t len, int (*fn)(void *arg, const dc_ack *a, size_t line), void *arg,
		dc_ack_error *err);

/* Nonzero when the span equals the NUL-terminated `s`. */
int dc_span_is(dc_span s, const char *str);
/* A malloc'd C string of the span; NULL when memory runs out. */
char *dc_span_dup(dc_span s);

/* Appends one line (with its LF). The fields must be valid (the caller
 * checks them with dc_ack_parse_line when they come from people). */
int dc_ack_format(dc_buf *out, const char *person, const char *id, const char *revision, const char *date,
		  const char *method, const char *recorded_by);

#endif
