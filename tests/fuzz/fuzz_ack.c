/*
 * fuzz_ack.c - fuzz target for the confirmations parser (ack.h): any bytes
 * either parse into lines whose fields are non-empty, inside the input and
 * free of TAB and LF, or stop at one error with a line and column inside the
 * input; a parsed line formatted again parses to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	const char *base;
	size_t size;
} input;

static void inside(const input *in, dc_span s)
{
	if (!s.len || s.p < in->base || s.p + s.len > in->base + in->size || memchr(s.p, '\t', s.len) ||
	    memchr(s.p, '\n', s.len))
		abort();
}

static char *dup_span(dc_span s)
{
	char *p = malloc(s.len + 1);

	if (!p)
		abort();
	memcpy(p, s.p, s.len);
	p[s.len] = '\0';
	return p;
}

static int line(void *arg, const dc_ack *a, size_t lineno)
{
	const input *in = arg;
	const dc_span *f[] = { &a->person, &a->id, &a->revision, &a->date, &a->method, &a->recorded_by };
	char *s[6];
	dc_buf b = DC_BUF_INIT;
	dc_ack again;
	dc_ack_error err;
	size_t i;

	if (!lineno)
		abort();
	for (i = 0; i < 6; i++) {
		inside(in, *f[i]);
		s[i] = dup_span(*f[i]);
	}
	if (dc_ack_format(&b, s[0], s[1], s[2], s[3], s[4], s[5]) < 0 || !b.len ||
	    dc_ack_parse_line(&again, b.ptr, b.len - 1, &err) != 0 || again.id.len != a->id.len ||
	    memcmp(again.id.p, a->id.p, a->id.len) || again.record.len != a->record.len)
		abort();
	dc_buf_dispose(&b);
	for (i = 0; i < 6; i++)
		free(s[i]);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = { (const char *)data, size };
	dc_ack_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = dc_ack_each((const char *)data, size, line, &in, &err);
	if (rc == 1 && (!err.line || !err.col || !err.why || err.col > size + 1))
		abort();
	if (rc != 0 && rc != 1)
		abort();
	return 0;
}
