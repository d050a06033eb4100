/*
 * escape.c - the text writers of escape.h: terminal, HTML, CSV and
 * Markdown cells, and the UTF-8 decoder they (and json.c) share.
 */
#include "escape.h"

#include <string.h>

size_t dc_utf8_next(const char *str, size_t len, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int dc_is_control(unsigned cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The visible form of a control (or of an invalid byte when n is 0). */
static int visible(dc_buf *b, const char *s, size_t n, unsigned cp)
{
	if (!n || cp < 0x80)
		return dc_buf_printf(b, "\\x%02x", (unsigned char)s[0]);
	return dc_buf_printf(b, "<U+%04X>", cp);
}

int dc_term_escape(dc_buf *b, const char *s, size_t len, int flags)
{
	size_t i = 0, n, run = 0;
	unsigned cp;
	int rc = 0;

	while (i < len && rc == 0) {
		n = dc_utf8_next(s + i, len - i, &cp);
		if (n && !dc_is_control(cp) && (cp != '\n' || flags & DC_ESC_LINES)) {
			i += n;
			run += n;
			continue;
		}
		if (n && cp == '\r' && flags & DC_ESC_LINES && i + 1 < len && s[i + 1] == '\n') {
			i++;
			run++;
			continue;
		}
		rc = dc_buf_put(b, s + i - run, run);
		run = 0;
		if (rc == 0)
			rc = visible(b, s + i, n, cp);
		i += n ? n : 1;
	}
	return rc ? rc : dc_buf_put(b, s + i - run, run);
}

/* What an escaper appends for one code point cp of n bytes at `at` (n == 0:
 * the byte at `at` is not UTF-8). Returns 0 or -1. */
typedef int (*cp_escape)(dc_buf *b, const char *at, size_t n, unsigned cp);

/* Appends s escaped one code point at a time by `one`. */
static int escape_each(dc_buf *b, const char *s, size_t len, cp_escape one)
{
	size_t i = 0, n;
	unsigned cp;
	int rc = 0;

	while (i < len && rc == 0) {
		n = dc_utf8_next(s + i, len - i, &cp);
		rc = one(b, s + i, n, cp);
		i += n ? n : 1;
	}
	return rc;
}

static int html_one(dc_buf *b, const char *at, size_t n, unsigned cp)
{
	switch (n ? cp : 0xfffd) {
	case '&': return dc_buf_puts(b, "&amp;");
	case '<': return dc_buf_puts(b, "&lt;");
	case '>': return dc_buf_puts(b, "&gt;");
	case '"': return dc_buf_puts(b, "&quot;");
	case '\'': return dc_buf_puts(b, "&#39;");
	default:
		if (!n || (dc_is_control(cp) && cp != '\r'))
			return dc_buf_puts(b, "\xEF\xBF\xBD");
		return dc_buf_put(b, at, n);
	}
}

int dc_html_escape(dc_buf *b, const char *s)
{
	return escape_each(b, s, s ? strlen(s) : 0, html_one);
}

int dc_html_row(dc_buf *b, const char *const *cells, size_t n)
{
	size_t i;
	int rc = dc_buf_puts(b, "<tr>");

	for (i = 0; i < n && rc == 0; i++)
		if ((rc = dc_buf_puts(b, "<td>")) == 0 && (rc = dc_html_escape(b, cells[i])) == 0)
			rc = dc_buf_puts(b, "</td>");
	return rc ? rc : dc_buf_puts(b, "</tr>\n");
}

/* A code point as it is, a byte that is not UTF-8 as U+FFFD. */
static int utf8_one(dc_buf *b, const char *at, size_t n, unsigned cp)
{
	(void)cp;
	return n ? dc_buf_put(b, at, n) : dc_buf_puts(b, "\xEF\xBF\xBD");
}

int dc_csv_cell(dc_buf *b, const char *s)
{
	dc_buf cell = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	if (!s)
		return 0;
	/* OWASP: a cell a spreadsheet would read as a formula starts with ' */
	if (*s && strchr("=+-@\t\r", *s))
		rc = dc_buf_putc(&cell, '\'');
	if (rc == 0)
		rc = escape_each(&cell, s, strlen(s), utf8_one);
	if (rc == 0 && strpbrk(cell.ptr, ",\"\r\n")) {
		rc = dc_buf_putc(b, '"');
		for (i = 0; i < cell.len && rc == 0; i++)
			rc = cell.ptr[i] == '"' ? dc_buf_puts(b, "\"\"") : dc_buf_putc(b, cell.ptr[i]);
		if (rc == 0)
			rc = dc_buf_putc(b, '"');
	} else if (rc == 0) {
		rc = dc_buf_put(b, cell.ptr, cell.len);
	}
	dc_buf_dispose(&cell);
	return rc;
}

static int md_one(dc_buf *b, const char *at, size_t n, unsigned cp)
{
	if (n && (cp == '\n' || cp == '\r'))
		return dc_buf_putc(b, ' ');
	if (!n || cp < 0x80 ? !n || dc_is_control(cp) : dc_is_control(cp))
		return n && cp >= 0x80 ? dc_buf_printf(b, "&lt;U+%04X&gt;", cp) : visible(b, at, n, cp);
	if (cp == '<')
		return dc_buf_puts(b, "&lt;");
	if (cp == '>')
		return dc_buf_puts(b, "&gt;");
	if (cp == '&')
		return dc_buf_puts(b, "&amp;");
	if (cp < 0x80 && strchr("\\|`*_[]~!#", (int)cp))
		return dc_buf_printf(b, "\\%c", (char)cp);
	return dc_buf_put(b, at, n);
}

int dc_md_cell(dc_buf *b, const char *s)
{
	return escape_each(b, s, s ? strlen(s) : 0, md_one);
}
