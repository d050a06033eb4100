/*
 * frontmatter.c - the byte-level checks of a controlled file and its split
 * into YAML front-matter and Markdown body (reference §4.3; see frontmatter.h).
 *
 * Only bytes are looked at here: the delimiter lines are found line by line,
 * the YAML between them is left to yaml_load.c. A byte-order mark is not a
 * column, so positions on line 1 after it start at column 1.
 */
#include "frontmatter.h"

#include <string.h>

#include "i18n.h"
#include "text.h"

/* The mark of byte `off` with a leading BOM not counted as a column. */
static dc_mark file_mark(const char *data, size_t len, size_t off, int bom)
{
	dc_mark m = dc_text_mark(data, len, off);

	if (bom && m.line == 1 && m.col > 1)
		m.col--;
	return m;
}

/*
 * Nonzero when the line at `p` (up to `end`) is `---` (or `...` when `dots`),
 * then spaces or tabs, then "\n", "\r\n" or the end of the data; *next is
 * the offset just after the line.
 */
static int delimiter(const char *data, size_t p, size_t end, int dots, size_t *next)
{
	size_t i;

	if (end - p < 3 || (memcmp(data + p, "---", 3) && (!dots || memcmp(data + p, "...", 3))))
		return 0;
	for (i = p + 3; i < end && (data[i] == ' ' || data[i] == '\t'); i++)
		;
	if (i == end) {
		*next = end;
		return 1;
	}
	if (data[i] == '\n') {
		*next = i + 1;
		return 1;
	}
	if (data[i] == '\r' && i + 1 < end && data[i + 1] == '\n') {
		*next = i + 2;
		return 1;
	}
	return 0;
}

static int stop(dc_diags *diags, const char *file, dc_mark m, dc_rule_id rule, const char *msg)
{
	return dc_diags_add(diags, file, m.line, m.col, rule, NULL, "%s", msg) < 0 ? -1 : 1;
}

int dc_frontmatter_split(dc_frontmatter *out, const char *file, const char *data, size_t len,
			 dc_diags *diags)
{
	const unsigned char *u = (const unsigned char *)data;
	const char *nul;
	dc_mark m = { 1, 1, 0 };
	size_t bad, p, next;
	unsigned line;
	int closed = 0;

	memset(out, 0, sizeof(*out));
	if (len > DC_FILE_MAX)
		return dc_diags_add(diags, file, 1, 1, DC_R_FILE_TOO_LARGE, NULL,
				    _("the file is %zu bytes, over the limit of 4 MiB; split it into "
				    "smaller documents"),
				    len) < 0
			       ? -1
			       : 1;
	out->bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
	nul = len ? memchr(data, '\0', len) : NULL;
	if (nul)
		return stop(diags, file, file_mark(data, len, (size_t)(nul - data), out->bom),
			    DC_R_FILE_BINARY,
			    _("the file contains a NUL byte; a controlled document must be a text "
			    "file (remove the byte or stop tracking the file as a document)"));
	bad = dc_utf8_invalid_at(data, len);
	if (bad < len) {
		dc_mark at = file_mark(data, len, bad, out->bom);

		return dc_diags_add(diags, file, at.line, at.col, DC_R_ENCODING_UTF8, NULL,
				    _("byte 0x%02X is not valid UTF-8; save the file as UTF-8"),
				    u[bad]) < 0
			       ? -1
			       : 1;
	}
	p = 0;
	if (out->bom) {
		if (dc_diags_add(diags, file, 1, 1, DC_R_ENCODING_BOM, NULL,
				 _("the file starts with a UTF-8 byte-order mark; save it as UTF-8 "
				 "without a BOM")) < 0)
			return -1;
		p = 3;
	}
	out->open_off = p;
	if (!delimiter(data, p, len, 0, &next))
		return stop(diags, file, m, DC_R_FRONTMATTER_MISSING,
			    _("the file must start with a line \"---\" that opens the YAML "
			    "front-matter"));
	out->yaml_off = next;
	out->yaml_line = 2;
	line = 2;
	for (p = next; p < len; line++) {
		const char *nl = memchr(data + p, '\n', len - p);
		size_t end = nl ? (size_t)(nl - data) + 1 : len;

		if (delimiter(data, p, end, 1, &next)) {
			out->yaml_len = p - out->yaml_off;
			out->body_off = next;
			out->body_line = line + 1;
			closed = 1;
			break;
		}
		p = end;
	}
	if (!closed)
		return stop(diags, file, m, DC_R_FRONTMATTER_UNTERMINATED,
			    _("the front-matter opened on line 1 is never closed; add a line \"---\" "
			    "after the YAML"));
	if (out->yaml_len > DC_FRONTMATTER_MAX)
		return dc_diags_add(diags, file, 1, 1, DC_R_FRONTMATTER_TOO_LARGE, NULL,
				    _("the front-matter is %zu bytes, over the limit of 64 KiB; move "
				    "long values into the body"),
				    out->yaml_len) < 0
			       ? -1
			       : 1;
	return 0;
}
