/*
 * form.h - a strict reader of application/x-www-form-urlencoded text (a
 * CGI QUERY_STRING or a POST body; reference §12): name=value pairs joined
 * by '&', '+' for a space, %XX for a byte. What it keeps is safe to hold:
 *
 *   names   1..DC_FORM_NAME_MAX bytes of [A-Za-z0-9_.-], each at most once
 *   values  at most DC_FORM_VALUE_MAX bytes once decoded, valid UTF-8, no
 *           NUL and no control character but tab and line feed (a CR
 *           before a line feed, as browsers send a textarea's lines, is
 *           dropped; any other CR is refused)
 *   pairs   at most DC_FORM_FIELDS; an empty pair ("a=1&&b=2", a trailing
 *           '&') is skipped; a pair without '=' has an empty value
 *
 * Anything else refuses the whole text: a '%' not followed by two hex
 * digits, a byte outside the printable ASCII range in the raw text, an
 * invalid name, a bad value. Nothing is skipped silently, so what a page
 * acts on is exactly what was sent.
 */
#ifndef DC_FORM_H
#define DC_FORM_H

#include <stddef.h>

#define DC_FORM_FIELDS 32
#define DC_FORM_NAME_MAX 32
#define DC_FORM_VALUE_MAX 8192

typedef struct {
	char *name;
	char *value;  /* NUL-terminated, decoded */
	size_t len;   /* of value */
} dc_form_field;

typedef struct {
	dc_form_field v[DC_FORM_FIELDS];
	size_t n;
} dc_form;

void dc_form_init(dc_form *f);
void dc_form_dispose(dc_form *f);

/* Parses `len` bytes of `s` (not NUL-terminated) into f (which must be
 * empty). Returns 0; 1 when the text is refused, with *why a message for
 * people, N_() marked and untranslated; -1 when memory runs out. On 1 and
 * -1 f is left empty. */
int dc_form_parse(dc_form *f, const char *s, size_t len, const char **why);

/* The value of `name`, or NULL when the form does not have it. */
const char *dc_form_get(const dc_form *f, const char *name);

#endif
