/*
 * form.c - the strict form reader (form.h).
 */
#include "form.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "text.h"

void dc_form_init(dc_form *f)
{
	f->n = 0;
}

void dc_form_dispose(dc_form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	f->n = 0;
}

/* Decodes s[0..len) into a new string: 0, 1 (refused, *why), -1. */
static int decode(char **out, size_t *outlen, const char *s, size_t len, size_t max, const char **why)
{
	char *d;
	size_t i, n = 0, k;

	*out = NULL;
	if (!(d = malloc(len + 1)))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '+')
			c = ' ';
		else if (c == '%') {
			int hi, lo;

			if (len - i < 3 || (hi = dc_hex_digit(s[i + 1])) < 0 || (lo = dc_hex_digit(s[i + 2])) < 0) {
				free(d);
				/* xgettext:no-c-format */
				*why = N_("a '%' is not followed by two hexadecimal digits");
				return 1;
			}
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (c < 0x21 || c > 0x7e) {
			free(d);
			*why = N_("the request holds a raw space, control or non-ASCII byte; it must be percent-encoded");
			return 1;
		}
		if (n >= max) {
			free(d);
			*why = N_("a value is too long");
			return 1;
		}
		d[n++] = (char)c;
	}
	d[n] = '\0';
	/* UTF-8, no NUL, no control but tab and LF; CR only before LF (dropped) */
	for (i = 0, k = 0; i < n;) {
		unsigned cp;
		size_t l = dc_utf8_next(d + i, n - i, &cp);

		if (!l) {
			free(d);
			*why = N_("a value is not valid UTF-8");
			return 1;
		}
		if (cp == 0) {
			free(d);
			*why = N_("a value holds a NUL byte");
			return 1;
		}
		if (cp == '\r') {
			if (i + 1 < n && d[i + 1] == '\n') {
				i++;
				continue;
			}
			free(d);
			*why = N_("a value holds a carriage return that does not end a line");
			return 1;
		}
		if (dc_is_control(cp)) {
			free(d);
			*why = N_("a value holds a control character");
			return 1;
		}
		memmove(d + k, d + i, l);
		k += l;
		i += l;
	}
	d[k] = '\0';
	*out = d;
	*outlen = k;
	return 0;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > DC_FORM_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '.' || *s == '-'))
			return 0;
	return 1;
}

int dc_form_parse(dc_form *f, const char *s, size_t len, const char **why)
{
	size_t i = 0;
	int rc = 0;

	while (i < len && rc == 0) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *eq = memchr(s + i, '=', end - i);
		size_t nend = eq ? (size_t)(eq - s) : end;
		char *name = NULL, *value = NULL;
		size_t nl, vl = 0, k;

		if (end == i) {
			i = end + 1;
			continue;
		}
		if (f->n == DC_FORM_FIELDS) {
			*why = N_("the request has too many fields");
			rc = 1;
			break;
		}
		if ((rc = decode(&name, &nl, s + i, nend - i, DC_FORM_NAME_MAX, why)) != 0)
			break;
		if (!valid_name(name)) {
			free(name);
			*why = N_("a field name is not one of letters, digits, '_', '.' and '-'");
			rc = 1;
			break;
		}
		for (k = 0; k < f->n; k++)
			if (!strcmp(f->v[k].name, name))
				break;
		if (k < f->n) {
			free(name);
			*why = N_("a field is given twice");
			rc = 1;
			break;
		}
		if (eq)
			rc = decode(&value, &vl, eq + 1, end - nend - 1, DC_FORM_VALUE_MAX, why);
		else if (!(value = strdup("")))
			rc = -1;
		if (rc != 0) {
			free(name);
			break;
		}
		f->v[f->n].name = name;
		f->v[f->n].value = value;
		f->v[f->n].len = vl;
		f->n++;
		i = end + 1;
	}
	if (rc != 0)
		dc_form_dispose(f);
	return rc;
}

const char *dc_form_get(const dc_form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].name, name))
			return f->v[i].value;
	return NULL;
}
