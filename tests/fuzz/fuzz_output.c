/*
 * fuzz_output.c - the output writers (escape.h, json.h) over arbitrary
 * bytes: the JSON string decodes back to the input (bytes that are not
 * UTF-8 as U+FFFD) and holds no raw control; terminal text holds no
 * control character or bidi override (line feeds only when asked); HTML
 * holds no markup character; a CSV cell is RFC 4180 and never starts a
 * formula; a Markdown cell holds no unescaped pipe, no tag and no line
 * break. Every output is valid UTF-8. It must never crash, hang or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "json.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void valid_utf8(const dc_buf *b)
{
	if (dc_utf8_invalid_at(b->ptr, b->len) != b->len)
		abort();
}

/* Each code point of `b` passes `ok` (with the byte after it). */
static void each_cp(const dc_buf *b, int (*ok)(unsigned cp, const char *next, const char *end))
{
	size_t i = 0, n;
	unsigned cp;

	while (i < b->len) {
		if (!(n = dc_utf8_next(b->ptr + i, b->len - i, &cp)) || !ok(cp, b->ptr + i + n, b->ptr + b->len))
			abort();
		i += n;
	}
}

static int term_ok(unsigned cp, const char *next, const char *end)
{
	(void)next, (void)end;
	return !dc_is_control(cp) && cp != '\n';
}

static int lines_ok(unsigned cp, const char *next, const char *end)
{
	if (cp == '\r')
		return next < end && *next == '\n';
	return !dc_is_control(cp);
}

static int html_ok(unsigned cp, const char *next, const char *end)
{
	(void)next, (void)end;
	return !strchr("<>\"'", (int)(cp < 0x80 ? cp : 'x')) && (!dc_is_control(cp) || cp == '\r' || cp == '\n');
}

static int md_ok(unsigned cp, const char *next, const char *end)
{
	(void)next, (void)end;
	return cp != '<' && cp != '>' && cp != '\n' && cp != '\r' && !dc_is_control(cp);
}

static unsigned hex4(const char *p)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v = v * 16 + (unsigned)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
	}
	return v;
}

static void put_cp(dc_buf *b, unsigned cp)
{
	char u[4];

	if (cp < 0x80) {
		dc_buf_putc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		dc_buf_put(b, u, 2);
		return;
	}
	u[0] = (char)(0xe0 | cp >> 12);
	u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
	u[2] = (char)(0x80 | (cp & 0x3f));
	dc_buf_put(b, u, 3);
}

static void check_json(const char *s, size_t len)
{
	dc_buf out = DC_BUF_INIT, back = DC_BUF_INIT, want = DC_BUF_INIT;
	size_t i, n;
	unsigned cp;

	if (dc_json_str(&out, s, len) < 0)
		abort();
	valid_utf8(&out);
	if (out.len < 2 || out.ptr[0] != '"' || out.ptr[out.len - 1] != '"')
		abort();
	for (i = 1; i + 1 < out.len; i++) {
		unsigned char c = (unsigned char)out.ptr[i];

		if (c < 0x20 || c == '"')
			abort();
		if (c != '\\') {
			dc_buf_putc(&back, (char)c);
			continue;
		}
		switch (out.ptr[++i]) {
		case '"': dc_buf_putc(&back, '"'); break;
		case '\\': dc_buf_putc(&back, '\\'); break;
		case 'n': dc_buf_putc(&back, '\n'); break;
		case 'r': dc_buf_putc(&back, '\r'); break;
		case 't': dc_buf_putc(&back, '\t'); break;
		case 'b': dc_buf_putc(&back, '\b'); break;
		case 'f': dc_buf_putc(&back, '\f'); break;
		case 'u':
			if (i + 5 >= out.len)
				abort();
			put_cp(&back, hex4(out.ptr + i + 1));
			i += 4;
			break;
		default: abort();
		}
	}
	for (i = 0; i < len; i += n ? n : 1) {
		n = dc_utf8_next(s + i, len - i, &cp);
		if (n)
			dc_buf_put(&want, s + i, n);
		else
			dc_buf_puts(&want, "\xEF\xBF\xBD");
	}
	if (back.len != want.len || memcmp(back.ptr, want.ptr, back.len))
		abort();
	dc_buf_dispose(&out);
	dc_buf_dispose(&back);
	dc_buf_dispose(&want);
}

static void check_csv(const char *s)
{
	dc_buf out = DC_BUF_INIT;
	const char *cell;
	size_t i;

	if (dc_csv_cell(&out, s) < 0)
		abort();
	valid_utf8(&out);
	cell = out.ptr;
	if (out.len && out.ptr[0] == '"') {
		if (out.len < 2 || out.ptr[out.len - 1] != '"')
			abort();
		for (i = 1; i + 1 < out.len; i++)
			if (out.ptr[i] == '"' && out.ptr[++i] != '"')
				abort(); /* a lone quote inside */
		cell++;
	} else if (strpbrk(out.ptr, ",\"\r\n")) {
		abort();
	}
	if (*cell && strchr("=+-@\t\r", *cell))
		abort();
	dc_buf_dispose(&out);
}

static void check_md(const char *s)
{
	dc_buf out = DC_BUF_INIT;
	size_t i, slashes = 0;

	if (dc_md_cell(&out, s) < 0)
		abort();
	valid_utf8(&out);
	each_cp(&out, md_ok);
	for (i = 0; i < out.len; i++) {
		if (out.ptr[i] == '|' && slashes % 2 == 0)
			abort(); /* a pipe that would end the cell */
		slashes = out.ptr[i] == '\\' ? slashes + 1 : 0;
	}
	if (slashes % 2)
		abort(); /* a trailing backslash would escape the cell's closing pipe */
	dc_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *z = malloc(size + 1);
	dc_buf out = DC_BUF_INIT;

	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0'; /* the C-string writers see up to the first NUL */

	check_json(s, size);
	if (dc_term_escape(&out, s, size, 0) < 0)
		abort();
	valid_utf8(&out);
	each_cp(&out, term_ok);
	dc_buf_clear(&out);
	if (dc_term_escape(&out, s, size, DC_ESC_LINES) < 0)
		abort();
	valid_utf8(&out);
	each_cp(&out, lines_ok);
	dc_buf_clear(&out);
	if (dc_html_escape(&out, z) < 0)
		abort();
	valid_utf8(&out);
	each_cp(&out, html_ok);
	check_csv(z);
	check_md(z);
	dc_buf_dispose(&out);
	free(z);
	return 0;
}
