/*
 * ack.c - the strict reader and the writer of confirmation lines (see
 * ack.h, reference §10.1).
 */
#include "ack.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "i18n.h"
#include "text.h"

static int fail(dc_ack_error *err, size_t col, const char *why)
{
	err->col = col;
	err->why = why;
	return 1;
}

/* One field: non-empty, valid UTF-8, no control character, no space at either end. */
static int field(const char *s, size_t len, size_t col, dc_ack_error *err)
{
	size_t i, bad;

	if (len == 0)
		return fail(err, col, N_("empty field"));
	if (s[0] == ' ')
		return fail(err, col, N_("space at the start of a field"));
	if (s[len - 1] == ' ')
		return fail(err, col + len - 1, N_("space at the end of a field"));
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			return fail(err, col + i, N_("carriage return (CR): lines end with LF only"));
		if (c < 0x20 || c == 0x7f)
			return fail(err, col + i, N_("control character in a field"));
	}
	if ((bad = dc_utf8_invalid_at(s, len)) != len)
		return fail(err, col + bad, N_("not valid UTF-8"));
	return 0;
}

int dc_ack_parse_line(dc_ack *out, const char *line, size_t len, dc_ack_error *err)
{
	dc_span f[DC_ACK_NFIELDS];
	size_t start = 0, i, k = 0;
	char date[11];
	dc_date d;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return fail(err, 1, N_("empty line"));
	if (len > DC_ACK_LINE_MAX)
		return fail(err, DC_ACK_LINE_MAX + 1, N_("line longer than 1024 bytes"));
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] != '\t')
			continue;
		if (k == DC_ACK_NFIELDS)
			return fail(err, start + 1, N_("more than six fields: person, id, revision, date, method, recorded_by"));
		if (field(line + start, i - start, start + 1, err))
			return 1;
		f[k].p = line + start;
		f[k].len = i - start;
		k++;
		start = i + 1;
	}
	if (k != DC_ACK_NFIELDS)
		return fail(err, len + 1, N_("fewer than six fields: person, id, revision, date, method, recorded_by"));
	out->person = f[0];
	out->id = f[1];
	out->revision = f[2];
	out->date = f[3];
	out->method = f[4];
	out->recorded_by = f[5];
	if (f[3].len != 10)
		return fail(err, (size_t)(f[3].p - line) + 1, N_("the date is not YYYY-MM-DD"));
	memcpy(date, f[3].p, 10);
	date[10] = '\0';
	if (dc_date_parse(&d, date) < 0)
		return fail(err, (size_t)(f[3].p - line) + 1, N_("the date is not YYYY-MM-DD"));
	if (dc_span_is(f[4], "read"))
		return 0;
	if (f[4].len > 9 && !memcmp(f[4].p, "training:", 9)) {
		out->record.p = f[4].p + 9;
		out->record.len = f[4].len - 9;
		if (out->record.p[0] == ' ')
			return fail(err, (size_t)(out->record.p - line) + 1, N_("space at the start of a field"));
		return 0;
	}
	return fail(err, (size_t)(f[4].p - line) + 1, N_("the method is neither read nor training:RECORD-ID"));
}

int dc_ack_each(const char *data, size_t len, int (*fn)(void *arg, const dc_ack *a, size_t line), void *arg,
		dc_ack_error *err)
{
	size_t at = 0, lineno = 0;
	dc_ack a;
	int rc;

	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) : len - at;

		lineno++;
		err->line = lineno;
		if (!nl)
			return fail(err, n + 1, N_("the last line does not end with LF"));
		if (dc_ack_parse_line(&a, data + at, n, err))
			return 1;
		if ((rc = fn(arg, &a, lineno)) != 0)
			return rc;
		at += n + 1;
	}
	return 0;
}

int dc_span_is(dc_span s, const char *str)
{
	return strlen(str) == s.len && !memcmp(s.p, str, s.len);
}

int dc_ack_format(dc_buf *out, const char *person, const char *id, const char *revision, const char *date,
		  const char *method, const char *recorded_by)
{
	return dc_buf_printf(out, "%s\t%s\t%s\t%s\t%s\t%s\n", person, id, revision, date, method, recorded_by);
}

char *dc_span_dup(dc_span s)
{
	char *p = malloc(s.len + 1);

	if (p) {
		memcpy(p, s.p, s.len);
		p[s.len] = '\0';
	}
	return p;
}
