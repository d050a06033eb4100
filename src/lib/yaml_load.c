/*
 * yaml_load.c - YAML text to a dc_node tree through libyaml's event API,
 * enforcing reference §4.3 while it reads (see yaml_load.h).
 *
 * The loop reads one event at a time and keeps an explicit stack of open
 * collections (never deeper than max_depth, so nothing recurses); children
 * of open collections wait on one shared array and move into the arena when
 * their collection closes. Duplicate keys are found with one hash table for
 * the whole load. libyaml's marks count characters; they come in order, so
 * walking on from the previous one turns them into file byte offsets in
 * one pass over the text (a table of byte offsets at every 64th character,
 * made only if a mark goes back, serves the others). Lines and columns are
 * libyaml's own; dc_lines is made only for a reader error's byte offset.
 */
#include "yaml_load.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "error.h"
#include "i18n.h"
#include "ime.h"
#include "text.h"

#define CORE "tag:yaml.org,2002:"
#define STEP 64

typedef struct {
	dc_node *node;
	size_t first;   /* index in `pending` of its first child */
	size_t map_id;
} frame;

typedef struct {
	size_t map_id;
	dc_node *key;
} slot;

typedef struct {
	dc_arena *arena;
	const char *text;
	size_t len;
	const dc_yaml_where *where;
	dc_diags *diags;
	unsigned max_depth;
	int bom;

	dc_lines lines;
	int have_lines;
	size_t *steps;  /* steps[k]: byte offset of character STEP * k, or NULL */
	size_t nsteps;
	size_t memo_index, memo_byte; /* the last character index converted */

	frame *frames;
	size_t nframes, capframes;
	dc_node **pending;
	size_t npending, cappending;
	slot *slots;
	size_t nslots, used;
	size_t next_map_id;
	dc_node *root;
} loader;

/* ---- positions ---- */

static int index_init(loader *l)
{
	size_t i, chars = 0, k = 0;

	for (i = 0; i < l->len; i++)
		if (((unsigned char)l->text[i] & 0xC0) != 0x80)
			chars++;
	l->nsteps = chars / STEP + 1;
	l->steps = malloc(l->nsteps * sizeof(size_t));
	if (!l->steps)
		return dc_error_oom();
	chars = 0;
	for (i = 0; i < l->len; i++) {
		if (((unsigned char)l->text[i] & 0xC0) == 0x80)
			continue;
		if (chars % STEP == 0)
			l->steps[k++] = i;
		chars++;
	}
	while (k < l->nsteps)
		l->steps[k++] = l->len;
	return 0;
}

/* Byte offset in `text` of libyaml's character index. */
static size_t byte_of(loader *l, size_t index)
{
	size_t k, n, off;

	if (index >= l->memo_index) {
		/* on from the previous mark */
		n = index - l->memo_index;
		off = l->memo_byte;
	} else {
		if (!l->steps && index_init(l) < 0)
			return l->len; /* out of memory: a position is only a position */
		k = index / STEP;
		n = index % STEP;
		if (k >= l->nsteps)
			return l->len;
		off = l->steps[k];
	}
	l->memo_index = index;
	while (n > 0 && off < l->len) {
		off++;
		while (off < l->len && ((unsigned char)l->text[off] & 0xC0) == 0x80)
			off++;
		n--;
	}
	/* (an index past the end stays past it: count from here next time) */
	if (n)
		l->memo_index -= n;
	l->memo_byte = off;
	return off;
}

static dc_mark mark_at_byte(loader *l, size_t off)
{
	dc_mark m;

	if (!l->have_lines) {
		if (dc_lines_init(&l->lines, l->text, l->len) < 0)
			return (dc_mark){ l->where->line ? l->where->line : 1, 1, off + l->where->offset };
		l->have_lines = 1;
	}
	m = dc_lines_mark(&l->lines, off);

	if (l->bom && m.line == 1 && m.col > 1)
		m.col--;
	m.line += (l->where->line ? l->where->line : 1) - 1;
	m.offset = off + l->where->offset;
	return m;
}

static dc_mark mark_of(loader *l, yaml_mark_t ym)
{
	dc_mark m;

	/* libyaml's own line and code-point column (O(1), where counting from
	 * the start of the line would make a long flow line quadratic); it
	 * skips a leading BOM without counting it */
	m.line = (unsigned)ym.line + (l->where->line ? l->where->line : 1);
	m.col = (unsigned)ym.column + 1;
	m.offset = byte_of(l, ym.index + (l->bom ? 1 : 0)) + l->where->offset;
	return m;
}

/* ---- findings ---- */

/* A short, printable copy of a value for messages. */
static const char *snippet(char *buf, size_t cap, const char *s, size_t len)
{
	size_t i, n = 0, max = cap - 4;

	for (i = 0; i < len && n < max; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[n++] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
	}
	if (i < len) {
		while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0xC0)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* The tag as a reader wrote it: !!str for the core tags. */
static const char *tag_name(char *buf, size_t cap, const char *tag)
{
	if (!strncmp(tag, CORE, strlen(CORE))) {
		char rest[64];

		snprintf(buf, cap, "!!%s", snippet(rest, sizeof(rest), tag + strlen(CORE),
						   strlen(tag + strlen(CORE))));
		return buf;
	}
	return snippet(buf, cap, tag, strlen(tag));
}

/* Appends one finding; evaluates to 1, or -1 when memory runs out. */
#define FINDING(l, m, rule, ...)                                                      \
	(dc_diags_add((l)->diags, (l)->where->file, (m).line, (m).col, rule, NULL,    \
		      __VA_ARGS__) < 0                                                 \
		 ? -1                                                                  \
		 : 1)

/*
 * A syntax error caused by a character of a Chinese input method: searched
 * from the start of what libyaml was reading (the context, else the line of
 * the problem) to the end of the problem's line, and reported at the
 * character itself. 1 after the finding, 0 when there is no such character.
 */
static int ime_finding(loader *l, yaml_parser_t *p)
{
	dc_buf msg = DC_BUF_INIT;
	const dc_ime_char *c;
	size_t from, to, at;
	dc_mark m;
	int r;

	to = byte_of(l, p->problem_mark.index + (l->bom ? 1 : 0));
	from = p->context ? byte_of(l, p->context_mark.index + (l->bom ? 1 : 0)) : to;
	if (from > to)
		from = to;
	while (from > 0 && l->text[from - 1] != '\n')
		from--;
	while (to < l->len && l->text[to] != '\n')
		to++;
	if (!(c = dc_ime_find(l->text + from, to - from, 1, &at)))
		return 0;
	m = mark_at_byte(l, from + at);
	if (dc_ime_describe(&msg, c) < 0)
		return -1;
	r = dc_diags_add(l->diags, l->where->file, m.line, m.col, DC_R_YAML_SYNTAX, NULL, "%s", msg.ptr);
	dc_buf_dispose(&msg);
	return r < 0 ? -1 : 1;
}

/* A plain key, or a plain item of a flow sequence ("[QM-01，EX-001]"), that
 * holds an input-method character: YAML read it, but not as meant. */
static int ime_in_scalar(loader *l, const dc_node *n)
{
	const frame *f = l->nframes ? &l->frames[l->nframes - 1] : NULL;
	dc_buf msg = DC_BUF_INIT;
	const dc_ime_char *c;
	dc_mark m = n->start;
	size_t at;
	int key, r;

	if (!f || n->style != DC_STYLE_PLAIN)
		return 0;
	key = f->node->kind == DC_NODE_MAP && (l->npending - f->first) % 2 == 0;
	if (!key && !(f->node->kind == DC_NODE_SEQ && f->node->style == DC_STYLE_FLOW))
		return 0;
	if (!(c = dc_ime_find(n->text, n->len, 0, &at)))
		return 0;
	/* a one-line plain scalar is its source: point at the character */
	if (n->start.line == n->end.line && n->start.offset >= l->where->offset)
		m = mark_at_byte(l, n->start.offset - l->where->offset + at);
	if (dc_ime_describe(&msg, c) < 0)
		return -1;
	r = dc_diags_add(l->diags, l->where->file, m.line, m.col, DC_R_YAML_SYNTAX, NULL, "%s%s", msg.ptr,
			 key ? "" : _(" (list items are separated by half-width commas)"));
	dc_buf_dispose(&msg);
	return r < 0 ? -1 : 1;
}

static int syntax_finding(loader *l, yaml_parser_t *p)
{
	dc_mark m;
	char problem[256];
	const char *what = p->problem ? p->problem : "invalid YAML";
	int r;

	if (p->error == YAML_MEMORY_ERROR)
		return dc_error_oom();
	if (p->error != YAML_READER_ERROR && (r = ime_finding(l, p)) != 0)
		return r;
	if (p->error == YAML_READER_ERROR)
		m = mark_at_byte(l, p->problem_offset < l->len ? p->problem_offset : l->len);
	else if (p->problem)
		m = mark_of(l, p->problem_mark);
	else
		m = mark_of(l, p->context_mark);
	snprintf(problem, sizeof(problem), "%s", what);
	if (problem[0] >= 'A' && problem[0] <= 'Z')
		problem[0] = (char)(problem[0] - 'A' + 'a');
	if (p->context && p->error != YAML_READER_ERROR) {
		dc_mark c = mark_of(l, p->context_mark);

		r = dc_diags_add(l->diags, l->where->file, m.line, m.col, DC_R_YAML_SYNTAX, NULL,
				 _("%s (%s on line %u); fix the YAML syntax, e.g. quote a value "
				 "that contains \": \" or starts with a special character"),
				 problem, p->context, c.line);
	} else if (p->error == YAML_READER_ERROR) {
		r = dc_diags_add(l->diags, l->where->file, m.line, m.col, DC_R_YAML_SYNTAX, NULL,
				 _("%s; remove the character or save the text as UTF-8"), problem);
	} else {
		r = dc_diags_add(l->diags, l->where->file, m.line, m.col, DC_R_YAML_SYNTAX, NULL,
				 _("%s; fix the YAML syntax, e.g. quote a value that contains "
				 "\": \" or starts with a special character"),
				 problem);
	}
	return r < 0 ? -1 : 1;
}

/* ---- core schema ---- */

static int all_digits(const char *s, size_t n, int (*ok)(int))
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!ok((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_dec(int c)
{
	return c >= '0' && c <= '9';
}

static int is_oct(int c)
{
	return c >= '0' && c <= '7';
}

static int is_hex(int c)
{
	return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int one_of(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && !memcmp(s, *words, n))
			return 1;
	return 0;
}

static int is_null(const char *s, size_t n)
{
	static const char *const w[] = { "null", "Null", "NULL", "~", NULL };

	return n == 0 || one_of(s, n, w);
}

static int is_bool(const char *s, size_t n, int *v)
{
	static const char *const t[] = { "true", "True", "TRUE", NULL };
	static const char *const f[] = { "false", "False", "FALSE", NULL };

	if (one_of(s, n, t))
		return *v = 1, 1;
	if (one_of(s, n, f))
		return *v = 0, 1;
	return 0;
}

/* 1: an int that fits, 2: an int that overflows (value in *f), 0: not an int */
static int is_int(const char *s, size_t n, int64_t *v, double *f)
{
	uint64_t acc = 0, lim;
	unsigned base = 10;
	size_t i = 0;
	int neg = 0, over = 0;
	double d = 0; /* the value when it overflows (octal) */

	if (n > 2 && s[0] == '0' && s[1] == 'o' && all_digits(s + 2, n - 2, is_oct))
		base = 8, i = 2;
	else if (n > 2 && s[0] == '0' && s[1] == 'x' && all_digits(s + 2, n - 2, is_hex))
		base = 16, i = 2;
	else {
		if (n > 0 && (s[0] == '-' || s[0] == '+'))
			neg = s[0] == '-', i = 1;
		if (!all_digits(s + i, n - i, is_dec))
			return 0;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		unsigned dig = is_dec((int)c) ? c - '0' : (c | 0x20) - 'a' + 10;

		d = d * base + dig;
		if (!over && (acc > (lim - dig) / base))
			over = 1;
		else if (!over)
			acc = acc * base + dig;
	}
	if (over) {
		/* strtod rounds decimal and hexadecimal digits exactly */
		*f = base == 8 ? d : strtod(s, NULL);
		return 2;
	}
	*v = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 1;
}

static int is_float(const char *s, size_t n, double *v)
{
	static const char *const inf[] = { ".inf", ".Inf", ".INF", NULL };
	static const char *const nan[] = { ".nan", ".NaN", ".NAN", NULL };
	size_t i = 0, d1 = 0, d2 = 0;
	int sign = 0;

	if (one_of(s, n, nan))
		return *v = NAN, 1;
	if (n > 0 && (s[0] == '-' || s[0] == '+'))
		sign = s[0] == '-' ? -1 : 1, i = 1;
	if (one_of(s + i, n - i, inf))
		return *v = sign < 0 ? -INFINITY : INFINITY, 1;
	while (i < n && is_dec((unsigned char)s[i]))
		i++, d1++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_dec((unsigned char)s[i]))
			i++, d2++;
		if (!d1 && !d2)
			return 0;
	} else if (!d1)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= n || !is_dec((unsigned char)s[i]))
			return 0;
		while (i < n && is_dec((unsigned char)s[i]))
			i++;
	}
	if (i != n)
		return 0;
	*v = strtod(s, NULL); /* s is NUL-terminated right after n bytes */
	return 1;
}

/* Types a plain scalar by the core schema. */
static void type_plain(dc_node *n)
{
	int b;
	double f;

	/* most values are words: a null, a boolean or a number starts
	 * with one of these */
	if (n->len && !strchr("~nNtTfF0123456789+-.", n->text[0])) {
		n->kind = DC_NODE_STR;
		return;
	}
	if (is_null(n->text, n->len))
		n->kind = DC_NODE_NULL;
	else if (is_bool(n->text, n->len, &b))
		n->kind = DC_NODE_BOOL, n->u.b = b;
	else if ((b = is_int(n->text, n->len, &n->u.i, &f)) == 1)
		n->kind = DC_NODE_INT;
	else if (b == 2)
		n->kind = DC_NODE_FLOAT, n->u.f = f;
	else if (is_float(n->text, n->len, &f))
		n->kind = DC_NODE_FLOAT, n->u.f = f;
	else
		n->kind = DC_NODE_STR;
}

/* Applies an explicit tag to a scalar; 0, or 1 after a finding. */
static int type_tagged(loader *l, dc_node *n, const char *tag)
{
	const char *t = tag + strlen(CORE);
	char vb[64], tb[96];
	int b = 0;
	double f;

	if (!strcmp(tag, "!") || !strcmp(tag, CORE "str")) {
		n->kind = DC_NODE_STR;
		return 0;
	}
	if (strncmp(tag, CORE, strlen(CORE)))
		goto not_core;
	if (!strcmp(t, "null") && is_null(n->text, n->len)) {
		n->kind = DC_NODE_NULL;
		return 0;
	}
	if (!strcmp(t, "bool") && is_bool(n->text, n->len, &b)) {
		n->kind = DC_NODE_BOOL, n->u.b = b;
		return 0;
	}
	if (!strcmp(t, "int") && is_int(n->text, n->len, &n->u.i, &f) == 1) {
		n->kind = DC_NODE_INT;
		return 0;
	}
	if (!strcmp(t, "float")) {
		if ((b = is_int(n->text, n->len, &n->u.i, &f)) != 0) {
			n->kind = DC_NODE_FLOAT;
			n->u.f = b == 1 ? (double)n->u.i : f;
			return 0;
		}
		if (is_float(n->text, n->len, &f)) {
			n->kind = DC_NODE_FLOAT, n->u.f = f;
			return 0;
		}
	}
	if (!strcmp(t, "null") || !strcmp(t, "bool") || !strcmp(t, "int") || !strcmp(t, "float")) {
		const char *w = !strcmp(t, "null")   ? "null"
				: !strcmp(t, "bool") ? _("a boolean")
				: !strcmp(t, "int")  ? _("an integer that fits in 64 bits")
						     : _("a number");

		return FINDING(l, n->start, DC_R_YAML_TAG,
			       _("value \"%s\" is tagged !!%s but is not %s; remove the tag or fix the value"),
			       snippet(vb, sizeof(vb), n->text, n->len), t, w);
	}
not_core:
	return FINDING(l, n->start, DC_R_YAML_TAG,
		       _("tag \"%s\" is not a YAML core tag; remove it (only !!str, !!int, "
		       "!!float, !!bool, !!null and \"!\" may be written on a value)"),
		       tag_name(tb, sizeof(tb), tag));
}

/* ---- the tree ---- */

static int push_pending(loader *l, dc_node *n)
{
	if (DC_ARRAY_GROW(l->pending, l->cappending, l->npending + 1) < 0)
		return -1;
	l->pending[l->npending++] = n;
	return 0;
}

static uint64_t key_hash(size_t map_id, const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)map_id * 0x9E3779B97F4A7C15ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	/* a full mix (MurmurHash3's fmix64): the table takes the low bits, which
	 * FNV alone leaves clustered for the same key in many mappings */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static int keys_grow(loader *l)
{
	size_t cap = l->nslots ? l->nslots * 2 : 64, i;
	slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return dc_error_oom();
	for (i = 0; i < l->nslots; i++) {
		slot *o = &l->slots[i];
		size_t j;

		if (!o->key)
			continue;
		j = key_hash(o->map_id, o->key->text, o->key->len) & (cap - 1);
		while (s[j].key)
			j = (j + 1) & (cap - 1);
		s[j] = *o;
	}
	free(l->slots);
	l->slots = s;
	l->nslots = cap;
	return 0;
}

/* Records `key` in mapping `map_id`; *first is the earlier key of that name. */
static int keys_add(loader *l, size_t map_id, dc_node *key, dc_node **first)
{
	size_t j;

	*first = NULL;
	if (2 * (l->used + 1) > l->nslots && keys_grow(l) < 0)
		return -1;
	j = key_hash(map_id, key->text, key->len) & (l->nslots - 1);
	while (l->slots[j].key) {
		slot *s = &l->slots[j];

		if (s->map_id == map_id && s->key->len == key->len &&
		    !memcmp(s->key->text, key->text, key->len)) {
			*first = s->key;
			return 0;
		}
		j = (j + 1) & (l->nslots - 1);
	}
	l->slots[j].map_id = map_id;
	l->slots[j].key = key;
	l->used++;
	return 0;
}

/* Below this many keys a mapping's earlier keys are compared one by one
 * (most mappings are a few fields: a person, a type); from it on they are
 * in the hash table. */
#define KEYS_SCANNED 16

/* The earlier key of `key`'s name in the mapping of frame `f`, into *first
 * (NULL when none). 0, or -1. */
static int key_seen(loader *l, const frame *f, dc_node *key, dc_node **first)
{
	size_t nkeys = (l->npending - f->first) / 2, k;

	*first = NULL;
	if (nkeys < KEYS_SCANNED) {
		for (k = 0; k < nkeys && !*first; k++) {
			dc_node *o = l->pending[f->first + 2 * k];

			if (o->len == key->len && !memcmp(o->text, key->text, key->len))
				*first = o;
		}
		return 0;
	}
	for (k = 0; nkeys == KEYS_SCANNED && k < nkeys; k++) {
		dc_node *earlier;

		if (keys_add(l, f->map_id, l->pending[f->first + 2 * k], &earlier) < 0)
			return -1;
	}
	return keys_add(l, f->map_id, key, first);
}

/* Hands a finished node to its parent; 0, 1 after a finding, -1. */
static int add_child(loader *l, dc_node *n)
{
	frame *f;
	dc_node *first;

	if (!l->nframes) {
		l->root = n;
		return 0;
	}
	f = &l->frames[l->nframes - 1];
	if (f->node->kind == DC_NODE_MAP && (l->npending - f->first) % 2 == 0) {
		char kb[64];

		if (key_seen(l, f, n, &first) < 0)
			return -1;
		if (first)
			return FINDING(l, n->start, DC_R_YAML_DUPLICATE_KEY,
				       _("duplicate key \"%s\" (first on line %u); remove one of them"),
				       snippet(kb, sizeof(kb), n->text, n->len), first->start.line);
	}
	return push_pending(l, n);
}

static int open_collection(loader *l, yaml_event_t *ev)
{
	int map = ev->type == YAML_MAPPING_START_EVENT;
	const char *tag = map ? (const char *)ev->data.mapping_start.tag
			      : (const char *)ev->data.sequence_start.tag;
	int flow = map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
		       : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	dc_mark start = mark_of(l, ev->start_mark);
	dc_node *n;
	frame *f;
	char tb[96];

	if (l->nframes) {
		f = &l->frames[l->nframes - 1];
		if (f->node->kind == DC_NODE_MAP && (l->npending - f->first) % 2 == 0)
			return FINDING(l, start, DC_R_YAML_SYNTAX,
				       _("a mapping key must be a scalar, not %s; write the key as a string"),
				       map ? _("a mapping") : _("a sequence"));
	}
	if (l->nframes + 1 > l->max_depth)
		return FINDING(l, start, DC_R_YAML_TOO_DEEP,
			       _("the value nests deeper than %u levels; flatten the structure"),
			       l->max_depth);
	if (tag && strcmp(tag, "!") && strcmp(tag, map ? CORE "map" : CORE "seq"))
		return FINDING(l, start, DC_R_YAML_TAG,
			       _("tag \"%s\" is not allowed on a %s; remove it"),
			       tag_name(tb, sizeof(tb), tag), map ? _("mapping") : _("sequence"));
	n = dc_arena_alloc(l->arena, sizeof(*n));
	if (!n)
		return -1;
	n->kind = map ? DC_NODE_MAP : DC_NODE_SEQ;
	n->style = flow ? DC_STYLE_FLOW : DC_STYLE_BLOCK;
	n->start = start;
	if (DC_ARRAY_GROW(l->frames, l->capframes, l->nframes + 1) < 0)
		return -1;
	f = &l->frames[l->nframes++];
	f->node = n;
	f->first = l->npending;
	f->map_id = l->next_map_id++;
	return 0;
}

static int close_collection(loader *l, yaml_event_t *ev)
{
	frame *f = &l->frames[--l->nframes];
	dc_node *n = f->node;
	size_t count = l->npending - f->first, i;

	n->end = mark_of(l, ev->end_mark);
	if (n->kind == DC_NODE_MAP) {
		n->u.map.n = count / 2;
		if (count) {
			n->u.map.pairs = dc_arena_alloc(l->arena, n->u.map.n * sizeof(dc_pair));
			if (!n->u.map.pairs)
				return -1;
			for (i = 0; i < n->u.map.n; i++) {
				n->u.map.pairs[i].key = l->pending[f->first + 2 * i];
				n->u.map.pairs[i].value = l->pending[f->first + 2 * i + 1];
			}
		}
	} else {
		n->u.seq.n = count;
		if (count) {
			n->u.seq.items = dc_arena_alloc(l->arena, count * sizeof(dc_node *));
			if (!n->u.seq.items)
				return -1;
			memcpy(n->u.seq.items, l->pending + f->first, count * sizeof(dc_node *));
		}
	}
	l->npending = f->first;
	return add_child(l, n);
}

/* How a scalar was written, in the node's terms. */
static dc_node_style style_of(yaml_scalar_style_t style)
{
	switch (style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: return DC_STYLE_SINGLE;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return DC_STYLE_DOUBLE;
	case YAML_LITERAL_SCALAR_STYLE: return DC_STYLE_LITERAL;
	case YAML_FOLDED_SCALAR_STYLE: return DC_STYLE_FOLDED;
	default: return DC_STYLE_PLAIN;
	}
}

static int scalar(loader *l, yaml_event_t *ev)
{
	dc_node *n = dc_arena_alloc(l->arena, sizeof(*n));
	const char *tag = (const char *)ev->data.scalar.tag;
	int r;

	if (!n)
		return -1;
	n->start = mark_of(l, ev->start_mark);
	n->end = mark_of(l, ev->end_mark);
	n->len = ev->data.scalar.length;
	n->text = dc_arena_strndup(l->arena, (const char *)ev->data.scalar.value, n->len);
	if (!n->text)
		return -1;
	n->style = style_of(ev->data.scalar.style);
	if (tag) {
		if ((r = type_tagged(l, n, tag)) != 0)
			return r;
	} else if (n->style == DC_STYLE_PLAIN)
		type_plain(n);
	else
		n->kind = DC_NODE_STR;
	if ((r = ime_in_scalar(l, n)) != 0)
		return r;
	return add_child(l, n);
}

static const char *anchor_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	case YAML_ALIAS_EVENT:
		return (const char *)ev->data.alias.anchor;
	default:
		return NULL;
	}
}

/* One event; 0 to go on, 1 after a finding, 2 at the end, -1 on failure. */
static int step(loader *l, yaml_event_t *ev, unsigned *docs)
{
	if (anchor_of(ev))
		return FINDING(l, mark_of(l, ev->start_mark), DC_R_YAML_ALIAS,
			       _("anchors and aliases are not allowed in front-matter; write the value "
			       "out in full"));
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if ((*docs)++)
			return FINDING(l, mark_of(l, ev->start_mark), DC_R_YAML_SYNTAX,
				       _("a second YAML document starts here; keep a single document"));
		return 0;
	case YAML_SCALAR_EVENT:
		return scalar(l, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return open_collection(l, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return close_collection(l, ev);
	case YAML_STREAM_END_EVENT:
		return 2;
	default:
		return 0;
	}
}

static int run(loader *l)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned docs = 0;
	int r;
	const unsigned char *u = (const unsigned char *)l->text;

	if (!yaml_parser_initialize(&parser))
		return dc_error_oom();
	/* never let a UTF-16 byte-order mark switch libyaml to UTF-16 */
	if (l->len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
		yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, u, l->len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			r = syntax_finding(l, &parser);
			break;
		}
		r = step(l, &ev, &docs);
		yaml_event_delete(&ev);
		if (r != 0)
			break;
	}
	yaml_parser_delete(&parser);
	return r == 2 ? 0 : r;
}

int dc_yaml_load(dc_node **out, dc_arena *arena, const char *text, size_t len,
		 const dc_yaml_where *where, dc_diags *diags)
{
	loader l;
	int r = -1;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	l.arena = arena;
	l.text = text ? text : "";
	l.len = text ? len : 0;
	l.where = where;
	l.diags = diags;
	l.max_depth = where->max_depth ? where->max_depth : 16;
	l.bom = l.len >= 3 && !memcmp(l.text, "\xEF\xBB\xBF", 3);
	r = run(&l);
	if (r != 0)
		goto cleanup;
	if (!l.root) {
		l.root = dc_arena_alloc(arena, sizeof(*l.root));
		if (!l.root) {
			r = -1;
			goto cleanup;
		}
		l.root->kind = DC_NODE_NULL;
		l.root->style = DC_STYLE_PLAIN;
		l.root->text = "";
		l.root->start.line = where->line ? where->line : 1;
		l.root->start.col = 1;
		l.root->start.offset = where->offset;
		l.root->end = l.root->start;
	}
	*out = l.root;
cleanup:
	if (l.have_lines)
		dc_lines_dispose(&l.lines);
	free(l.steps);
	free(l.frames);
	free(l.pending);
	free(l.slots);
	return r < 0 ? -1 : 0;
}
