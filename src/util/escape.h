/*
 * escape.h - writing text for the people who read it (reference §7, "Output
 * safety"): one function per output surface, so that what a document or a
 * file name holds can never act on its reader.
 *
 *   terminal  C0 and C1 controls, DEL, bidi overrides and isolates, and bytes
 *             that are not UTF-8 are shown visibly ("\x1b", "<U+202E>"),
 *             never sent raw: no ESC/OSC/CSI sequence, no CR or backspace
 *             overwriting a line, no reordered text reaches a terminal
 *   HTML      & < > " ' as entities; controls and invalid bytes as U+FFFD
 *   CSV       RFC 4180 quoting; a cell starting with = + - @ tab or CR gets a
 *             leading ' (OWASP, against formula injection)
 *   Markdown  a table cell: Markdown punctuation backslash-escaped, | and \
 *             included, < > & as entities, line breaks as spaces, controls
 *             shown as for the terminal ("<U+202E>" written "&lt;U+202E&gt;")
 *
 * JSON strings have their own writer (json.h), which shares the decoder.
 * Every writer appends to a dc_buf and returns 0, or -1 when memory runs out.
 */
#ifndef DC_ESCAPE_H
#define DC_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* Decodes one UTF-8 sequence at s (len > 0): its length, with the code
 * point in *cp; 0 when the bytes there are not valid UTF-8 (overlong,
 * surrogate, above U+10FFFF, truncated). */
size_t dc_utf8_next(const char *s, size_t len, unsigned *cp);

/* Nonzero for a code point a reader must not receive raw: C0 controls but
 * tab and line feed, DEL, C1 controls, U+202A..U+202E, U+2066..U+2069. */
int dc_is_control(unsigned cp);

/* Terminal text. With DC_ESC_LINES, line feeds (and a CR before one) stay,
 * for text of many lines; without, they are shown as "\x0a". Tab stays. */
#define DC_ESC_LINES 1
int dc_term_escape(dc_buf *b, const char *s, size_t len, int flags);
int dc_html_escape(dc_buf *b, const char *s);
/* An HTML table row: "<tr>", each of the n cells escaped in <td>...</td>
 * (NULL as empty), "</tr>" and a line feed. */
int dc_html_row(dc_buf *b, const char *const *cells, size_t n);
int dc_csv_cell(dc_buf *b, const char *s);
int dc_md_cell(dc_buf *b, const char *s);

#endif
