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

int dc_html_escape(dc_buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, n;
	unsigned cp;
	int rc = 0;

	while (i < len && rc == 0) {
		n = dc_utf8_next(s + i, len - i, &cp);
		switch (n ? cp : 0xfffd) {
		case '&': rc = dc_buf_puts(b, "&amp;"); break;
		case '<': rc = dc_buf_puts(b, "&lt;"); break;
		case '>': rc = dc_buf_puts(b, "&gt;"); break;
		case '"': rc = dc_buf_puts(b, "&quot;"); break;
		case '\'': rc = dc_buf_puts(b, "&#39;"); break;
		default:
			if (!n || (dc_is_control(cp) && cp != '\r'))
				rc = dc_buf_puts(b, "\xEF\xBF\xBD");
			else
				rc = dc_buf_put(b, s + i, n);
		}
		i += n ? n : 1;
	}
	return rc;
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

/* Appends s with bytes that are not UTF-8 replaced by U+FFFD. */
static int put_utf8(dc_buf *b, const char *s, size_t len)
{
	size_t i = 0, n;
	unsigned cp;
	int rc = 0;

	while (i < len && rc == 0) {
		n = dc_utf8_next(s + i, len - i, &cp);
		rc = n ? dc_buf_put(b, s + i, n) : dc_buf_puts(b, "\xEF\xBF\xBD");
		i += n ? n : 1;
	}
	return rc;
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
		rc = put_utf8(&cell, s, strlen(s));
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

int dc_md_cell(dc_buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, n;
	unsigned cp;
	int rc = 0;

	while (i < len && rc == 0) {
		n = dc_utf8_next(s + i, len - i, &cp);
		if (n && (cp == '\n' || cp == '\r'))
			rc = dc_buf_putc(b, ' ');
		else if (!n || cp < 0x80 ? !n || dc_is_control(cp) : dc_is_control(cp))
			rc = n && cp >= 0x80 ? dc_buf_printf(b, "&lt;U+%04X&gt;", cp) : visible(b, s + i, n, cp);
		else if (cp == '<')
			rc = dc_buf_puts(b, "&lt;");
		else if (cp == '>')
			rc = dc_buf_puts(b, "&gt;");
		else if (cp == '&')
			rc = dc_buf_puts(b, "&amp;");
		else if (cp < 0x80 && strchr("\\|`*_[]~!#", (int)cp))
			rc = dc_buf_printf(b, "\\%c", (char)cp);
		else
			rc = dc_buf_put(b, s + i, n);
		i += n ? n : 1;
	}
	return rc;
}
