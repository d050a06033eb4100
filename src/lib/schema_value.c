/*
 * schema_value.c - values in the schema code: how they are quoted in
 * messages, and how they compare (numbers by value, reference §4.9).
 */
#include "i18n.h"
#include "schema_int.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

const char *const sch_type_names[] = {
	"null", "boolean", "integer", "number", "string", "array", "object"
};

/* ---- messages ---------------------------------------------------------- */

/* Appends `s` with control characters, quotes and backslashes escaped,
 * cut after MAX_SHOWN code points. */
int sch_put_text(dc_buf *b, const char *s, size_t len, int quote)
{
	size_t i, cps = 0;

	if (quote && dc_buf_putc(b, '"') < 0)
		return -1;
	/* the common case, a short name or value with nothing to escape
	 * (field paths are built with it for every field of every document) */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || (quote && (c == '"' || c == '\\')) ||
		    ((c & 0xC0) != 0x80 && cps++ == MAX_SHOWN))
			break;
	}
	if (i == len) {
		if (dc_buf_put(b, s, len) < 0)
			return -1;
		return quote ? dc_buf_putc(b, '"') : 0;
	}
	cps = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int r;

		if ((c & 0xC0) != 0x80 && cps++ == MAX_SHOWN) {
			if (dc_buf_puts(b, "...") < 0)
				return -1;
			break;
		}
		if (c == '\n')
			r = dc_buf_puts(b, "\\n");
		else if (c == '\t')
			r = dc_buf_puts(b, "\\t");
		else if (c == '\r')
			r = dc_buf_puts(b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			r = dc_buf_printf(b, "\\x%02x", c);
		else if (quote && (c == '"' || c == '\\'))
			r = dc_buf_printf(b, "\\%c", c);
		else
			r = dc_buf_putc(b, (char)c);
		if (r < 0)
			return -1;
	}
	if (quote && dc_buf_putc(b, '"') < 0)
		return -1;
	return 0;
}

int sch_put_scalar(dc_buf *b, const dc_node *n)
{
	if (n->text && n->len)
		return sch_put_text(b, n->text, n->len, 0);
	switch (n->kind) {
	case DC_NODE_NULL: return dc_buf_puts(b, "null");
	case DC_NODE_BOOL: return dc_buf_puts(b, n->u.b ? "true" : "false");
	case DC_NODE_INT: return dc_buf_printf(b, "%" PRId64, n->u.i);
	case DC_NODE_FLOAT: return dc_buf_printf(b, "%g", n->u.f);
	default: return 0;
	}
}

/* A value as the subject of a message: "aproved", 3, true, (an array). */
int sch_put_value(dc_buf *b, const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_STR: return sch_put_text(b, n->text, n->len, 1);
	case DC_NODE_SEQ: return dc_buf_puts(b, "(an array)");
	case DC_NODE_MAP: return dc_buf_puts(b, "(an object)");
	default: return sch_put_scalar(b, n);
	}
}

/* A value in a list of allowed values: aproved, 3, true, [...]. */
int sch_put_plain(dc_buf *b, const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_STR: return n->len ? sch_put_text(b, n->text, n->len, 0) : dc_buf_puts(b, "\"\"");
	case DC_NODE_SEQ: return dc_buf_puts(b, "[...]");
	case DC_NODE_MAP: return dc_buf_puts(b, "{...}");
	default: return sch_put_scalar(b, n);
	}
}

const char *sch_with_article(const char *type)
{
	static const char *const a[] = {
		N_("null"), N_("a boolean"), N_("an integer"), N_("a number"), N_("a string"), N_("an array"), N_("an object")
	};
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (!strcmp(type, sch_type_names[i]))
			return _(a[i]);
	return type;
}

const char *sch_kind_article(dc_node_kind k)
{
	return sch_with_article(dc_node_kind_name(k));
}

int sch_key_is(const dc_node *key, const char *name)
{
	size_t len = strlen(name);

	return key->len == len && !memcmp(key->text, name, len);
}
int sch_is_integral(double f)
{
	return isfinite(f) && floor(f) == f;
}

int sch_num_cmp(const dc_node *a, const dc_node *b, int *unordered)
{
	double x, y;

	*unordered = 0;
	if (a->kind == DC_NODE_INT && b->kind == DC_NODE_INT)
		return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	if (a->kind == DC_NODE_INT && b->kind == DC_NODE_FLOAT && sch_is_integral(b->u.f) &&
	    b->u.f >= -9223372036854775808.0 && b->u.f < 9223372036854775808.0) {
		int64_t j = (int64_t)b->u.f; /* exact: no rounding of a to a double */

		return (a->u.i > j) - (a->u.i < j);
	}
	if (b->kind == DC_NODE_INT && a->kind == DC_NODE_FLOAT)
		return -sch_num_cmp(b, a, unordered);
	x = a->kind == DC_NODE_INT ? (double)a->u.i : a->u.f;
	y = b->kind == DC_NODE_INT ? (double)b->u.i : b->u.f;
	if (isnan(x) || isnan(y)) {
		*unordered = 1;
		return 0;
	}
	return (x > y) - (x < y);
}

static int is_number(const dc_node *n)
{
	return n->kind == DC_NODE_INT || n->kind == DC_NODE_FLOAT;
}

static int scalar_equal(const dc_node *a, const dc_node *b)
{
	int unordered;

	if (is_number(a) && is_number(b))
		return sch_num_cmp(a, b, &unordered) == 0 && !unordered;
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case DC_NODE_NULL: return 1;
	case DC_NODE_BOOL: return !a->u.b == !b->u.b;
	case DC_NODE_STR: return a->len == b->len && (!a->len || !memcmp(a->text, b->text, a->len));
	default: return 0;
	}
}

int sch_value_equal(const dc_node *a, const dc_node *b)
{
	return dc_node_equal_by(a, b, scalar_equal);
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t bytes_hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

uint64_t sch_value_hash(const dc_node *n)
{
	uint64_t h = 1469598103934665603ull + (uint64_t)n->kind, sum = 0;
	double f;
	size_t i;

	switch (n->kind) {
	case DC_NODE_NULL:
		return h;
	case DC_NODE_BOOL:
		return h * 31 + !!n->u.b;
	case DC_NODE_INT:
	case DC_NODE_FLOAT:
		/* one hash per mathematical value: an integral float in the int64
		 * range hashes as that integer, -0.0 as 0 */
		h = 1469598103934665603ull + (uint64_t)DC_NODE_INT;
		if (n->kind == DC_NODE_INT)
			return mix(h * 31 + (uint64_t)n->u.i);
		f = n->u.f;
		if (isnan(f))
			return h * 31 + 7;
		if (sch_is_integral(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0)
			return mix(h * 31 + (uint64_t)(int64_t)f);
		memcpy(&sum, &f, sizeof(sum));
		return mix(h * 37 + sum);
	case DC_NODE_STR:
		return bytes_hash(n->text, n->len) + h;
	case DC_NODE_SEQ:
		for (i = 0; i < n->u.seq.n; i++)
			h = mix(h + sch_value_hash(n->u.seq.items[i]));
		return h;
	case DC_NODE_MAP:
		for (i = 0; i < n->u.map.n; i++) {
			const dc_node *k = n->u.map.pairs[i].key;

			sum += mix(bytes_hash(k->text, k->len) * 31 +
				   sch_value_hash(n->u.map.pairs[i].value));
		}
		return mix(h + sum);
	}
	return h;
}
