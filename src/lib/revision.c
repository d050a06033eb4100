/*
 * revision.c - parsing, ordering and bumping revisions in the three schemes
 * of reference §3 (see revision.h).
 *
 * A letter run is a number in bijective base 26 (A = 1, Z = 26, AA = 27), so
 * ordering every scheme is ordering (major, minor) pairs. Numbers are plain
 * decimal without leading zeros ("0" itself is fine where zero is allowed);
 * values that would not fit in a long are invalid rather than wrapped.
 */
#include "revision.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *const scheme_names[] = { "integer", "letter", "letter-number", "decimal" };

int dc_scheme_parse(dc_scheme *out, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(scheme_names) / sizeof(scheme_names[0]); i++) {
		if (name && !strcmp(name, scheme_names[i])) {
			*out = (dc_scheme)i;
			return 0;
		}
	}
	return -1;
}

const char *dc_scheme_name(dc_scheme s)
{
	return (unsigned)s < sizeof(scheme_names) / sizeof(scheme_names[0]) ? scheme_names[s] : "unknown";
}

/* A decimal number without leading zeros at s[0..n). */
static int number(long *out, const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (LONG_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* A run of upper-case letters at s[0..n), as bijective base 26. */
static int letters(long *out, const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < 'A' || s[i] > 'Z')
			return -1;
		if (v > (LONG_MAX - 26) / 26)
			return -1;
		v = v * 26 + (s[i] - 'A' + 1);
	}
	*out = v;
	return 0;
}

static int parse_n(dc_revision *out, dc_scheme s, const char *text, size_t len)
{
	dc_revision r = { 0, 0, 0 };
	const char *slash, *dot;

	if (memchr(text, '\0', len))
		return -1;
	switch (s) {
	case DC_SCHEME_INTEGER:
		if (number(&r.major, text, len) < 0 || r.major < 1)
			return -1;
		break;
	case DC_SCHEME_LETTER:
		if (letters(&r.major, text, len) < 0)
			return -1;
		break;
	case DC_SCHEME_LETTER_NUMBER:
		slash = memchr(text, '/', len);
		if (!slash || letters(&r.major, text, (size_t)(slash - text)) < 0 ||
		    number(&r.minor, slash + 1, len - (size_t)(slash - text) - 1) < 0)
			return -1;
		break;
	case DC_SCHEME_DECIMAL:
		/* reference §9.2: an optional V, major (1 or more), '.', minor */
		r.bare = !(len && text[0] == 'V');
		if (!r.bare) {
			text++;
			len--;
		}
		dot = memchr(text, '.', len);
		if (!dot || number(&r.major, text, (size_t)(dot - text)) < 0 || r.major < 1 ||
		    number(&r.minor, dot + 1, len - (size_t)(dot - text) - 1) < 0)
			return -1;
		break;
	default:
		return -1;
	}
	*out = r;
	return 0;
}

int dc_revision_parse_str(dc_revision *out, dc_scheme s, const char *text)
{
	if (!text)
		return -1;
	return parse_n(out, s, text, strlen(text));
}

int dc_revision_parse(dc_revision *out, dc_scheme s, const dc_node *value)
{
	if (!value)
		return -1;
	if (value->kind == DC_NODE_INT) {
		if (s != DC_SCHEME_INTEGER || value->u.i < 1 || value->u.i > LONG_MAX)
			return -1;
		out->major = (long)value->u.i;
		out->minor = 0;
		out->bare = 0;
		return 0;
	}
	/* `revision: 1.10` is a YAML float; its text as written is the revision */
	if (value->kind == DC_NODE_FLOAT && s == DC_SCHEME_DECIMAL && value->style == DC_STYLE_PLAIN && value->text)
		return parse_n(out, s, value->text, value->len);
	if (value->kind != DC_NODE_STR)
		return -1;
	return parse_n(out, s, value->text, value->len);
}

int dc_revision_cmp(const dc_revision *a, const dc_revision *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	return 0;
}

dc_revision dc_revision_first(dc_scheme s)
{
	dc_revision r = { 1, 0, 0 };

	(void)s;
	return r;
}

int dc_revision_is_first(dc_scheme s, const dc_revision *r)
{
	dc_revision first = dc_revision_first(s);

	return dc_revision_cmp(r, &first) == 0;
}

dc_revision dc_revision_next(dc_scheme s, const dc_revision *r)
{
	dc_revision n = *r;

	/* at the very top of a long there is no next one: stay put */
	if (s == DC_SCHEME_LETTER_NUMBER || s == DC_SCHEME_DECIMAL) {
		if (n.minor < LONG_MAX)
			n.minor++;
	} else if (n.major < LONG_MAX) {
		n.major++;
	}
	return n;
}

dc_revision dc_revision_next_major(dc_scheme s, const dc_revision *r)
{
	dc_revision n = *r;

	if (n.major < LONG_MAX)
		n.major++;
	if (s == DC_SCHEME_LETTER_NUMBER || s == DC_SCHEME_DECIMAL)
		n.minor = 0;
	return n;
}

void dc_revision_format(dc_scheme s, const dc_revision *r, char *out, size_t size)
{
	char run[32];
	size_t n = sizeof(run) - 1;
	long v = r->major;

	if (!size)
		return;
	if (s == DC_SCHEME_INTEGER) {
		snprintf(out, size, "%ld", r->major);
		return;
	}
	if (s == DC_SCHEME_DECIMAL) {
		snprintf(out, size, "%s%ld.%ld", r->bare ? "" : "V", r->major, r->minor);
		return;
	}
	run[n] = '\0';
	if (v < 1) {
		run[--n] = '?';
	}
	while (v > 0 && n > 0) {
		v--;
		run[--n] = (char)('A' + v % 26);
		v /= 26;
	}
	if (s == DC_SCHEME_LETTER)
		snprintf(out, size, "%s", run + n);
	else
		snprintf(out, size, "%s/%ld", run + n, r->minor);
}
