/*
 * schema.c - compiles a YAML-written JSON Schema (SPEC §4.9) into a tree of
 * checks and validates front-matter against it (see schema.h).
 *
 * Compiling copies everything it needs into an arena owned by the compiled
 * schema (the parsed schema file may be freed afterwards), compiles every
 * pattern once with PCRE2, resolves `$ref`s and rejects reference cycles that
 * would loop without reading any part of the document. Validating walks the
 * compiled tree over a document's value tree: failing keywords append
 * findings; the alternatives of anyOf, oneOf, not and the `if` schema are
 * evaluated silently (only their verdict counts), except that a pattern
 * hitting its match limit is always reported as schema.invalid. A step budget
 * (each pattern matched once per value, however often the schema reaches it),
 * a depth cap and a cap on findings per document keep any schema (a fuzzer's
 * too) from running away.
 */
#include "schema.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "error.h"
#include "ime.h"
#include "text.h"

#define MATCH_LIMIT 100000
#define MATCH_DEPTH_LIMIT 10000
#define MATCH_HEAP_LIMIT 8192 /* KiB */
#define MAX_STEPS 1000000     /* schema evaluations per validated document */
#define MAX_EVAL_DEPTH 1000   /* nested schema evaluations */
#define MAX_COMPILE_DEPTH 256 /* nested schemas in a schema file */
#define MAX_SHOWN 80          /* code points of a value quoted in a message */
#define MAX_ENUM_SHOWN 30     /* enum values listed in a message */
#define PATTERN_STEPS 10      /* what one pattern match costs of MAX_STEPS */
#define MAX_FINDINGS 1000     /* per validated document; then it stops */

enum {
	T_NULL = 1 << 0,
	T_BOOL = 1 << 1,
	T_INT = 1 << 2,
	T_NUM = 1 << 3,
	T_STR = 1 << 4,
	T_ARR = 1 << 5,
	T_OBJ = 1 << 6
};

static const char *const type_names[] = {
	"null", "boolean", "integer", "number", "string", "array", "object"
};
#define NTYPES (sizeof(type_names) / sizeof(type_names[0]))

enum { ADDL_NONE, ADDL_FALSE, ADDL_TRUE, ADDL_SCHEMA };
enum { FMT_NONE, FMT_DATE, FMT_DURATION };
enum { WHITE, GRAY, BLACK };

typedef struct snode snode;

typedef struct {
	const char *name;
	size_t len;
	snode *schema;
} sprop;

typedef struct {
	const char *name;
	size_t len;
} sname;

typedef struct {
	snode **v;
	size_t n;
	dc_mark mark; /* the keyword's key in the schema file */
} slist;

struct snode {
	int boolean; /* -1: a mapping of keywords; 0: false; 1: true */
	dc_mark mark;
	unsigned types;
	unsigned char type_order[NTYPES]; /* as the schema lists them */
	size_t ntypes;
	sprop *props;
	size_t nprops;
	sprop *defs;
	size_t ndefs;
	sname *required;
	size_t nrequired;
	int addl;
	snode *addl_schema;
	dc_node **enums;
	size_t nenums;
	dc_node *konst;
	pcre2_code *re;
	const char *pattern;
	size_t pattern_len;
	dc_mark pattern_mark;
	int64_t min_len, max_len, min_items, max_items; /* -1: absent */
	dc_node *minimum, *maximum;
	snode *items;
	int unique;
	int format;
	slist all, any, one;
	snode *not_, *if_, *then_, *else_;
	dc_mark not_mark;
	const char *ref_name; /* the decoded NAME of "#/$defs/NAME" */
	size_t ref_len;
	const char *ref_text; /* the $ref as written */
	dc_mark ref_mark;
	snode *ref;
	int color;
	snode *next_all, *next_ref, *next_re;
};

struct dc_schema {
	dc_arena arena;
	const char *file;
	snode *root;
	snode *patterns; /* every snode holding a compiled pattern */
};

/* ---- messages ---------------------------------------------------------- */

/* Appends `s` with control characters, quotes and backslashes escaped,
 * cut after MAX_SHOWN code points. */
static int put_text(dc_buf *b, const char *s, size_t len, int quote)
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

static int put_scalar(dc_buf *b, const dc_node *n)
{
	if (n->text && n->len)
		return put_text(b, n->text, n->len, 0);
	switch (n->kind) {
	case DC_NODE_NULL: return dc_buf_puts(b, "null");
	case DC_NODE_BOOL: return dc_buf_puts(b, n->u.b ? "true" : "false");
	case DC_NODE_INT: return dc_buf_printf(b, "%" PRId64, n->u.i);
	case DC_NODE_FLOAT: return dc_buf_printf(b, "%g", n->u.f);
	default: return 0;
	}
}

/* A value as the subject of a message: "aproved", 3, true, (an array). */
static int put_value(dc_buf *b, const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_STR: return put_text(b, n->text, n->len, 1);
	case DC_NODE_SEQ: return dc_buf_puts(b, "(an array)");
	case DC_NODE_MAP: return dc_buf_puts(b, "(an object)");
	default: return put_scalar(b, n);
	}
}

/* A value in a list of allowed values: aproved, 3, true, [...]. */
static int put_plain(dc_buf *b, const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_STR: return n->len ? put_text(b, n->text, n->len, 0) : dc_buf_puts(b, "\"\"");
	case DC_NODE_SEQ: return dc_buf_puts(b, "[...]");
	case DC_NODE_MAP: return dc_buf_puts(b, "{...}");
	default: return put_scalar(b, n);
	}
}

static const char *with_article(const char *type)
{
	static const char *const a[] = {
		"null", "a boolean", "an integer", "a number", "a string", "an array", "an object"
	};
	size_t i;

	for (i = 0; i < NTYPES; i++)
		if (!strcmp(type, type_names[i]))
			return a[i];
	return type;
}

static const char *kind_article(dc_node_kind k)
{
	return with_article(dc_node_kind_name(k));
}

static int key_is(const dc_node *key, const char *name)
{
	size_t len = strlen(name);

	return key->len == len && !memcmp(key->text, name, len);
}

/* ---- compiling --------------------------------------------------------- */

typedef struct {
	dc_schema *s;
	dc_diags *diags;
	int invalid;
	snode *all;  /* every snode, for the cycle check */
	snode *refs; /* every snode with a $ref, to resolve */
} cctx;

static int invalid(cctx *c, const dc_mark *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int invalid(cctx *c, const dc_mark *m, const char *fmt, ...)
{
	dc_buf msg = DC_BUF_INIT;
	va_list ap;
	int r;

	c->invalid = 1;
	va_start(ap, fmt);
	r = dc_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (r == 0)
		r = dc_diags_add(c->diags, c->s->file, m->line, m->col, "schema.invalid", NULL,
				 "%s", msg.ptr);
	dc_buf_dispose(&msg);
	return r;
}

/* The keyword's name for messages (escaped; keys may hold anything). */
static int invalid_kw(cctx *c, const dc_pair *p, const char *what)
{
	dc_buf k = DC_BUF_INIT;
	int r;

	if (put_text(&k, p->key->text, p->key->len, 0) < 0)
		return -1;
	r = invalid(c, &p->value->start, "\"%s\" must be %s, not %s", k.ptr, what,
		    kind_article(p->value->kind));
	dc_buf_dispose(&k);
	return r;
}

static int empty_list(cctx *c, const dc_pair *p, const char *what)
{
	dc_buf k = DC_BUF_INIT;
	int r;

	if (put_text(&k, p->key->text, p->key->len, 0) < 0)
		return -1;
	r = invalid(c, &p->value->start, "\"%s\" must not be empty; list the %s", k.ptr, what);
	dc_buf_dispose(&k);
	return r;
}

static dc_node *copy_node(dc_arena *a, const dc_node *n)
{
	dc_node *m = dc_arena_alloc(a, sizeof(*m));
	size_t i;

	if (!m)
		return NULL;
	*m = *n;
	if (n->text && !(m->text = dc_arena_strndup(a, n->text, n->len)))
		return NULL;
	if (n->kind == DC_NODE_SEQ) {
		m->u.seq.items = dc_arena_alloc(a, (n->u.seq.n ? n->u.seq.n : 1) * sizeof(dc_node *));
		if (!m->u.seq.items)
			return NULL;
		for (i = 0; i < n->u.seq.n; i++)
			if (!(m->u.seq.items[i] = copy_node(a, n->u.seq.items[i])))
				return NULL;
	} else if (n->kind == DC_NODE_MAP) {
		m->u.map.pairs = dc_arena_alloc(a, (n->u.map.n ? n->u.map.n : 1) * sizeof(dc_pair));
		if (!m->u.map.pairs)
			return NULL;
		for (i = 0; i < n->u.map.n; i++) {
			m->u.map.pairs[i].key = copy_node(a, n->u.map.pairs[i].key);
			m->u.map.pairs[i].value = copy_node(a, n->u.map.pairs[i].value);
			if (!m->u.map.pairs[i].key || !m->u.map.pairs[i].value)
				return NULL;
		}
	}
	return m;
}

static int is_integral(double f)
{
	return isfinite(f) && floor(f) == f;
}

/* A non-negative integer keyword value (minLength, maxItems...). */
static int count_value(cctx *c, const dc_pair *p, int64_t *out)
{
	const dc_node *v = p->value;
	dc_buf k = DC_BUF_INIT;
	int r;

	if (v->kind == DC_NODE_INT && v->u.i >= 0) {
		*out = v->u.i;
		return 0;
	}
	if (v->kind == DC_NODE_FLOAT && is_integral(v->u.f) && v->u.f >= 0 && v->u.f < 9.2e18) {
		*out = (int64_t)v->u.f;
		return 0;
	}
	if (put_text(&k, p->key->text, p->key->len, 0) < 0)
		return -1;
	if (v->kind == DC_NODE_INT || v->kind == DC_NODE_FLOAT) {
		dc_buf val = DC_BUF_INIT;

		r = put_scalar(&val, v);
		if (r == 0)
			r = invalid(c, &v->start, "\"%s\" must be a non-negative integer, not %s",
				    k.ptr, val.ptr);
		dc_buf_dispose(&val);
	} else {
		r = invalid(c, &v->start, "\"%s\" must be a non-negative integer, not %s", k.ptr,
			    kind_article(v->kind));
	}
	dc_buf_dispose(&k);
	return r;
}

static int compile_node(cctx *c, snode **out, const dc_node *n, unsigned depth);

static int compile_list(cctx *c, slist *l, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	l->mark = p->key->start;
	if (v->kind == DC_NODE_SEQ && v->u.seq.n == 0)
		return empty_list(c, p, "schemas");
	if (v->kind != DC_NODE_SEQ)
		return invalid_kw(c, p, "a non-empty list of schemas");
	l->v = dc_arena_alloc(&c->s->arena, v->u.seq.n * sizeof(snode *));
	if (!l->v)
		return -1;
	l->n = v->u.seq.n;
	for (i = 0; i < l->n; i++)
		if (compile_node(c, &l->v[i], v->u.seq.items[i], depth + 1) < 0)
			return -1;
	return 0;
}

static int compile_map(cctx *c, sprop **out, size_t *n, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	if (v->kind != DC_NODE_MAP)
		return invalid_kw(c, p, "a mapping of names to schemas");
	*out = dc_arena_alloc(&c->s->arena, (v->u.map.n ? v->u.map.n : 1) * sizeof(sprop));
	if (!*out)
		return -1;
	*n = v->u.map.n;
	for (i = 0; i < *n; i++) {
		const dc_pair *q = &v->u.map.pairs[i];
		sprop *sp = &(*out)[i];

		sp->name = dc_arena_strndup(&c->s->arena, q->key->text, q->key->len);
		if (!sp->name)
			return -1;
		sp->len = q->key->len;
		if (compile_node(c, &sp->schema, q->value, depth + 1) < 0)
			return -1;
	}
	return 0;
}

typedef int (*kw_fn)(cctx *c, snode *sn, const dc_pair *p, unsigned depth);

static int type_bit(const dc_node *v, unsigned *bit)
{
	size_t i;

	if (v->kind != DC_NODE_STR)
		return -1;
	for (i = 0; i < NTYPES; i++)
		if (key_is(v, type_names[i])) {
			*bit = 1u << i;
			return 0;
		}
	return -1;
}

static int bad_type_name(cctx *c, const dc_node *v)
{
	dc_buf b = DC_BUF_INIT;
	int r;

	if (v->kind == DC_NODE_STR)
		r = put_text(&b, v->text, v->len, 1);
	else
		r = put_value(&b, v);
	if (r == 0)
		r = invalid(c, &v->start, "type %s is not a JSON Schema type; use null, boolean, "
			    "integer, number, string, array or object", b.ptr);
	dc_buf_dispose(&b);
	return r;
}

static void add_type(snode *sn, unsigned bit)
{
	unsigned char i = 0;

	if (sn->types & bit)
		return;
	sn->types |= bit;
	while (!(bit & (1u << i)))
		i++;
	sn->type_order[sn->ntypes++] = i;
}

static int kw_type(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	unsigned bit;
	size_t i;

	(void)depth;
	if (v->kind == DC_NODE_SEQ) {
		if (v->u.seq.n == 0)
			return invalid(c, &v->start, "\"type\" must name at least one type");
		for (i = 0; i < v->u.seq.n; i++) {
			if (type_bit(v->u.seq.items[i], &bit) < 0) {
				if (bad_type_name(c, v->u.seq.items[i]) < 0)
					return -1;
				continue;
			}
			add_type(sn, bit);
		}
		return 0;
	}
	if (type_bit(v, &bit) < 0)
		return bad_type_name(c, v);
	add_type(sn, bit);
	return 0;
}

static int kw_properties(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_map(c, &sn->props, &sn->nprops, p, depth);
}

static int kw_defs(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_map(c, &sn->defs, &sn->ndefs, p, depth);
}

static int kw_required(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	(void)depth;
	if (v->kind != DC_NODE_SEQ)
		return invalid_kw(c, p, "a list of field names");
	sn->required = dc_arena_alloc(&c->s->arena, (v->u.seq.n ? v->u.seq.n : 1) * sizeof(sname));
	if (!sn->required)
		return -1;
	for (i = 0; i < v->u.seq.n; i++) {
		const dc_node *f = v->u.seq.items[i];

		if (f->kind != DC_NODE_STR) {
			if (invalid(c, &f->start, "\"required\" must list field names (strings), not %s",
				    kind_article(f->kind)) < 0)
				return -1;
			continue;
		}
		sn->required[sn->nrequired].name = dc_arena_strndup(&c->s->arena, f->text, f->len);
		if (!sn->required[sn->nrequired].name)
			return -1;
		sn->required[sn->nrequired++].len = f->len;
	}
	return 0;
}

static int kw_additional(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;

	if (v->kind == DC_NODE_BOOL) {
		sn->addl = v->u.b ? ADDL_TRUE : ADDL_FALSE;
		return 0;
	}
	if (v->kind != DC_NODE_MAP)
		return invalid_kw(c, p, "true, false or a schema");
	sn->addl = ADDL_SCHEMA;
	return compile_node(c, &sn->addl_schema, v, depth + 1);
}

static int kw_enum(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	(void)depth;
	if (v->kind == DC_NODE_SEQ && v->u.seq.n == 0)
		return empty_list(c, p, "allowed values");
	if (v->kind != DC_NODE_SEQ)
		return invalid_kw(c, p, "a non-empty list of values");
	sn->enums = dc_arena_alloc(&c->s->arena, v->u.seq.n * sizeof(dc_node *));
	if (!sn->enums)
		return -1;
	sn->nenums = v->u.seq.n;
	for (i = 0; i < sn->nenums; i++)
		if (!(sn->enums[i] = copy_node(&c->s->arena, v->u.seq.items[i])))
			return -1;
	return 0;
}

static int kw_const(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	sn->konst = copy_node(&c->s->arena, p->value);
	return sn->konst ? 0 : -1;
}

static int kw_pattern(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	PCRE2_SIZE off;
	int err;

	(void)depth;
	if (v->kind != DC_NODE_STR)
		return invalid_kw(c, p, "a regular expression (a string)");
	sn->pattern = dc_arena_strndup(&c->s->arena, v->text, v->len);
	if (!sn->pattern)
		return -1;
	sn->pattern_len = v->len;
	sn->pattern_mark = v->start;
	sn->re = pcre2_compile((PCRE2_SPTR)v->text, v->len,
			       PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C,
			       &err, &off, NULL);
	if (!sn->re) {
		PCRE2_UCHAR why[256];
		dc_buf pat = DC_BUF_INIT;
		int r;

		if (err == PCRE2_ERROR_HEAPLIMIT || err == PCRE2_ERROR_NOMEMORY)
			return dc_error_set("out of memory compiling a pattern");
		if (pcre2_get_error_message(err, why, sizeof(why)) < 0)
			strcpy((char *)why, "unknown error");
		r = put_text(&pat, v->text, v->len, 1);
		if (r == 0)
			r = invalid(c, &v->start, "pattern %s does not compile: %s (at offset %zu); "
				    "fix the regular expression (PCRE2 syntax)", pat.ptr, (char *)why,
				    (size_t)off);
		dc_buf_dispose(&pat);
		return r;
	}
	(void)pcre2_jit_compile(sn->re, PCRE2_JIT_COMPLETE);
	sn->next_re = c->s->patterns;
	c->s->patterns = sn;
	return 0;
}

static int kw_min_length(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	return count_value(c, p, &sn->min_len);
}

static int kw_max_length(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	return count_value(c, p, &sn->max_len);
}

static int kw_min_items(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	return count_value(c, p, &sn->min_items);
}

static int kw_max_items(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	return count_value(c, p, &sn->max_items);
}

static int number_value(cctx *c, const dc_pair *p, dc_node **out)
{
	const dc_node *v = p->value;

	if (v->kind == DC_NODE_INT || (v->kind == DC_NODE_FLOAT && !isnan(v->u.f))) {
		*out = copy_node(&c->s->arena, v);
		return *out ? 0 : -1;
	}
	return invalid_kw(c, p, "a number");
}

static int kw_minimum(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	return number_value(c, p, &sn->minimum);
}

static int kw_maximum(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	return number_value(c, p, &sn->maximum);
}

static int kw_items(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	if (p->value->kind == DC_NODE_SEQ)
		return invalid(c, &p->value->start, "\"items\" must be a single schema; a list of "
			       "schemas (tuple validation) is not supported");
	return compile_node(c, &sn->items, p->value, depth + 1);
}

static int kw_unique(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	if (p->value->kind != DC_NODE_BOOL)
		return invalid_kw(c, p, "true or false");
	sn->unique = p->value->u.b;
	return 0;
}

static int kw_format(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	dc_buf b = DC_BUF_INIT;
	int r;

	(void)depth;
	if (v->kind == DC_NODE_STR && key_is(v, "date")) {
		sn->format = FMT_DATE;
		return 0;
	}
	if (v->kind == DC_NODE_STR && key_is(v, "duration")) {
		sn->format = FMT_DURATION;
		return 0;
	}
	r = put_value(&b, v);
	if (r == 0)
		r = invalid(c, &v->start, "format %s is not supported; use date or duration "
			    "(or a pattern)", b.ptr);
	dc_buf_dispose(&b);
	return r;
}

static int kw_all(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_list(c, &sn->all, p, depth);
}

static int kw_any(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_list(c, &sn->any, p, depth);
}

static int kw_one(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_list(c, &sn->one, p, depth);
}

static int kw_not(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	sn->not_mark = p->key->start;
	return compile_node(c, &sn->not_, p->value, depth + 1);
}

static int kw_if(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_node(c, &sn->if_, p->value, depth + 1);
}

static int kw_then(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_node(c, &sn->then_, p->value, depth + 1);
}

static int kw_else(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_node(c, &sn->else_, p->value, depth + 1);
}

static int kw_ref(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	static const char prefix[] = "#/$defs/";
	const dc_node *v = p->value;
	size_t plen = sizeof(prefix) - 1, i, n = 0;
	dc_buf b = DC_BUF_INIT;
	char *name;
	int r;

	(void)depth;
	if (v->kind != DC_NODE_STR)
		return invalid_kw(c, p, "a string \"#/$defs/NAME\"");
	if (v->len <= plen || memcmp(v->text, prefix, plen) || memchr(v->text + plen, '/', v->len - plen))
		goto unsupported;
	name = dc_arena_alloc(&c->s->arena, v->len - plen + 1);
	if (!name)
		return -1;
	for (i = plen; i < v->len; i++) {
		if (v->text[i] == '~') {
			if (i + 1 < v->len && (v->text[i + 1] == '0' || v->text[i + 1] == '1')) {
				name[n++] = v->text[++i] == '0' ? '~' : '/';
				continue;
			}
			goto unsupported;
		}
		name[n++] = v->text[i];
	}
	sn->ref_name = name;
	sn->ref_len = n;
	sn->ref_mark = v->start;
	if (!(sn->ref_text = dc_arena_strndup(&c->s->arena, v->text, v->len)))
		return -1;
	sn->next_ref = c->refs;
	c->refs = sn;
	return 0;

unsupported:
	r = put_text(&b, v->text, v->len, 1);
	if (r == 0)
		r = invalid(c, &v->start, "$ref %s is not supported; refer to a definition of this "
			    "file as \"#/$defs/NAME\"", b.ptr);
	dc_buf_dispose(&b);
	return r;
}

static int kw_annotation(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)c;
	(void)sn;
	(void)p;
	(void)depth;
	return 0;
}

static const struct {
	const char *name;
	kw_fn fn;
} keywords[] = {
	{ "type", kw_type },
	{ "properties", kw_properties },
	{ "required", kw_required },
	{ "additionalProperties", kw_additional },
	{ "enum", kw_enum },
	{ "const", kw_const },
	{ "pattern", kw_pattern },
	{ "minLength", kw_min_length },
	{ "maxLength", kw_max_length },
	{ "minimum", kw_minimum },
	{ "maximum", kw_maximum },
	{ "items", kw_items },
	{ "minItems", kw_min_items },
	{ "maxItems", kw_max_items },
	{ "uniqueItems", kw_unique },
	{ "format", kw_format },
	{ "allOf", kw_all },
	{ "anyOf", kw_any },
	{ "oneOf", kw_one },
	{ "not", kw_not },
	{ "if", kw_if },
	{ "then", kw_then },
	{ "else", kw_else },
	{ "$ref", kw_ref },
	{ "$defs", kw_defs },
	{ "$schema", kw_annotation },
	{ "$id", kw_annotation },
	{ "$comment", kw_annotation },
	{ "title", kw_annotation },
	{ "description", kw_annotation },
	{ "default", kw_annotation },
	{ "examples", kw_annotation },
};

static int compile_node(cctx *c, snode **out, const dc_node *n, unsigned depth)
{
	snode *sn = dc_arena_alloc(&c->s->arena, sizeof(*sn));
	size_t i, k;

	if (!sn)
		return -1;
	*out = sn;
	sn->mark = n->start;
	sn->min_len = sn->max_len = sn->min_items = sn->max_items = -1;
	sn->next_all = c->all;
	c->all = sn;
	if (n->kind == DC_NODE_BOOL) {
		sn->boolean = n->u.b;
		return 0;
	}
	sn->boolean = -1;
	if (n->kind != DC_NODE_MAP) {
		if (depth == 0 && n->kind == DC_NODE_NULL)
			return invalid(c, &n->start, "the schema is empty; write a mapping of "
				       "schema keywords (SPEC §4.9)");
		return invalid(c, &n->start, "a schema must be a mapping of keywords (or true or "
			       "false), not %s", kind_article(n->kind));
	}
	if (depth > MAX_COMPILE_DEPTH)
		return invalid(c, &n->start, "the schema nests deeper than %d levels; flatten it",
			       MAX_COMPILE_DEPTH);
	for (i = 0; i < n->u.map.n; i++) {
		const dc_pair *p = &n->u.map.pairs[i];

		for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
			if (key_is(p->key, keywords[k].name))
				break;
		if (k == sizeof(keywords) / sizeof(keywords[0])) {
			dc_buf b = DC_BUF_INIT;
			int r = put_text(&b, p->key->text, p->key->len, 1);

			if (r == 0)
				r = invalid(c, &p->key->start, "unknown schema keyword %s; see SPEC §4.9 "
					    "for the keywords docctl supports", b.ptr);
			dc_buf_dispose(&b);
			if (r < 0)
				return -1;
			continue;
		}
		if (keywords[k].fn(c, sn, p, depth) < 0)
			return -1;
	}
	return 0;
}

static int resolve_refs(cctx *c)
{
	const snode *root = c->s->root;
	snode *sn;
	size_t i;

	for (sn = c->refs; sn; sn = sn->next_ref) {
		for (i = 0; root->boolean < 0 && i < root->ndefs; i++)
			if (root->defs[i].len == sn->ref_len &&
			    !memcmp(root->defs[i].name, sn->ref_name, sn->ref_len)) {
				sn->ref = root->defs[i].schema;
				break;
			}
		if (!sn->ref) {
			dc_buf b = DC_BUF_INIT;
			int r = put_text(&b, sn->ref_text, strlen(sn->ref_text), 1);

			if (r == 0)
				r = invalid(c, &sn->ref_mark, "$ref %s names no definition; add it "
					    "under $defs at the top of the schema", b.ptr);
			dc_buf_dispose(&b);
			if (r < 0)
				return -1;
		}
	}
	return 0;
}

/* The i-th schema evaluated against the same value as `n` (no part of the
 * document is consumed along these edges), or NULL after the last. */
static snode *same_value_child(const snode *n, size_t i)
{
	snode *single[4];
	size_t k, ns = 0;

	if (n->ref) {
		if (i == 0)
			return n->ref;
		i--;
	}
	if (i < n->all.n)
		return n->all.v[i];
	i -= n->all.n;
	if (i < n->any.n)
		return n->any.v[i];
	i -= n->any.n;
	if (i < n->one.n)
		return n->one.v[i];
	i -= n->one.n;
	single[0] = n->not_;
	single[1] = n->if_;
	single[2] = n->then_;
	single[3] = n->else_;
	for (k = 0; k < 4; k++)
		if (single[k] && ns++ == i)
			return single[k];
	return NULL;
}

/* Depth-first search (with an explicit stack: $ref chains may be long) for a
 * loop of same-value edges; such a loop always passes through a $ref. */
static int check_cycles(cctx *c)
{
	struct frame {
		snode *n;
		size_t next;
	} *stack = NULL, *grown;
	size_t top = 0, cap = 0;
	snode *start;
	int r = 0;

	for (start = c->all; start; start = start->next_all) {
		if (start->color != WHITE)
			continue;
		if (top == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(grown = realloc(stack, cap * sizeof(*stack)))) {
				r = dc_error_set("out of memory");
				goto cleanup;
			}
			stack = grown;
		}
		start->color = GRAY;
		stack[top].n = start;
		stack[top++].next = 0;
		while (top) {
			struct frame *f = &stack[top - 1];
			snode *child = same_value_child(f->n, f->next++);

			if (!child) {
				f->n->color = BLACK;
				top--;
				continue;
			}
			if (child->color == BLACK)
				continue;
			if (child->color == GRAY) {
				size_t k = top;
				dc_buf b = DC_BUF_INIT;

				/* the innermost frame that followed its $ref */
				while (k-- > 0)
					if (stack[k].n->ref && stack[k].next == 1)
						break;
				if (k == (size_t)-1)
					continue;
				r = put_text(&b, stack[k].n->ref_text, strlen(stack[k].n->ref_text), 1);
				if (r == 0)
					r = invalid(c, &stack[k].n->ref_mark, "$ref %s leads back to itself "
						    "without reading any field; break the cycle", b.ptr);
				dc_buf_dispose(&b);
				if (r < 0)
					goto cleanup;
				continue;
			}
			if (top == cap) {
				cap *= 2;
				if (!(grown = realloc(stack, cap * sizeof(*stack)))) {
					r = dc_error_set("out of memory");
					goto cleanup;
				}
				stack = grown;
			}
			child->color = GRAY;
			stack[top].n = child;
			stack[top++].next = 0;
		}
	}
cleanup:
	free(stack);
	return r;
}

int dc_schema_compile(dc_schema **out, const dc_node *root, const char *file, dc_diags *diags)
{
	dc_schema *s;
	cctx c;

	*out = NULL;
	if (!root)
		return dc_error_set("no schema to compile");
	if (!(s = calloc(1, sizeof(*s))))
		return dc_error_set("out of memory");
	dc_arena_init(&s->arena);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.diags = diags;
	if (!(s->file = dc_arena_strdup(&s->arena, file ? file : "")))
		goto fail;
	if (compile_node(&c, &s->root, root, 0) < 0 || resolve_refs(&c) < 0)
		goto fail;
	if (!c.invalid && check_cycles(&c) < 0)
		goto fail;
	if (c.invalid) {
		dc_schema_free(s);
		return 1;
	}
	*out = s;
	return 0;
fail:
	dc_schema_free(s);
	return -1;
}

void dc_schema_free(dc_schema *s)
{
	snode *sn;

	if (!s)
		return;
	for (sn = s->patterns; sn; sn = sn->next_re)
		pcre2_code_free(sn->re);
	dc_arena_dispose(&s->arena);
	free(s);
}

dc_schema_extra dc_schema_root_extra(const dc_schema *s)
{
	if (!s || s->root->boolean >= 0)
		return DC_SCHEMA_EXTRA_UNSPECIFIED;
	switch (s->root->addl) {
	case ADDL_FALSE: return DC_SCHEMA_EXTRA_FORBIDDEN;
	case ADDL_TRUE:
	case ADDL_SCHEMA: return DC_SCHEMA_EXTRA_ALLOWED;
	default: return DC_SCHEMA_EXTRA_UNSPECIFIED;
	}
}

static const sprop *find_prop(const snode *sn, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sn->nprops; i++)
		if (sn->props[i].len == len && !memcmp(sn->props[i].name, name, len))
			return &sn->props[i];
	return NULL;
}

int dc_schema_root_declares(const dc_schema *s, const char *name)
{
	if (!s || !name || s->root->boolean >= 0)
		return 0;
	return find_prop(s->root, name, strlen(name)) != NULL;
}

/* ---- validating -------------------------------------------------------- */

typedef struct {
	const dc_schema *s;
	const char *file;
	const char *id;
	const dc_node *root;
	const dc_mark *open;
	dc_diags *diags;
	dc_buf path;
	int silent;   /* only the verdict counts (alternatives, `if`) */
	int aborted;  /* the step budget, depth cap or MAX_FINDINGS ran out */
	unsigned depth;
	size_t steps;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	struct memo {
		const snode *n;
		const dc_node *inst;
		int result;
	} *memo;      /* pattern results: a schema reached twice matches once */
	size_t memo_n, memo_cap;
	size_t findings;
} vctx;

static const char *subject(const vctx *v)
{
	return v->path.len ? v->path.ptr : "the front-matter";
}

static int report(vctx *v, const char *file, const dc_mark *m, const char *rule,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int report(vctx *v, const char *file, const dc_mark *m, const char *rule,
		  const char *fmt, ...)
{
	dc_buf msg = DC_BUF_INIT;
	va_list ap;
	int r;

	if (v->aborted)
		return 1; /* what follows a cut-off evaluation is noise */
	if (++v->findings >= MAX_FINDINGS)
		v->aborted = 1; /* enough said about one document */
	va_start(ap, fmt);
	r = dc_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (r == 0)
		r = dc_diags_add(v->diags, file, m->line, m->col, rule,
				 strcmp(rule, "schema.invalid") ? v->id : NULL, "%s", msg.ptr);
	dc_buf_dispose(&msg);
	return r < 0 ? -1 : 1;
}

/* A document finding with the value rendered after the subject:
 * `<path> <value><rest>`. Returns 1 (failed) or -1. */
static int report_value(vctx *v, const dc_node *inst, const char *rule, const char *rest)
{
	dc_buf val = DC_BUF_INIT;
	int r = put_value(&val, inst);

	if (r == 0)
		r = report(v, v->file, &inst->start, rule, "%s %s%s", subject(v), val.ptr, rest);
	dc_buf_dispose(&val);
	return r < 0 ? -1 : 1;
}

/* The path of a field of the current value: `approval.by`. */
static int field_path(const vctx *v, dc_buf *b, const char *name, size_t len)
{
	if (v->path.len && (dc_buf_put(b, v->path.ptr, v->path.len) < 0 || dc_buf_putc(b, '.') < 0))
		return -1;
	return put_text(b, name, len, 0);
}

static int eval(vctx *v, const snode *n, const dc_node *inst, const dc_node *key);

static unsigned type_bits(const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_NULL: return T_NULL;
	case DC_NODE_BOOL: return T_BOOL;
	case DC_NODE_INT: return T_INT | T_NUM;
	case DC_NODE_FLOAT: return T_NUM | (is_integral(n->u.f) ? T_INT : 0);
	case DC_NODE_STR: return T_STR;
	case DC_NODE_SEQ: return T_ARR;
	case DC_NODE_MAP: return T_OBJ;
	}
	return 0;
}

/* What to type instead, for a string that failed: the input-method
 * character in it ("：", "［", "“"), or, where a list is wanted, the list. */
static int advice(dc_buf *out, const dc_node *inst, int want_list)
{
	const dc_ime_char *c;
	size_t at;

	if (inst->kind != DC_NODE_STR)
		return 0;
	if ((c = dc_ime_find(inst->text, inst->len, 0, &at)))
		return dc_buf_puts(out, "; ") < 0 ? -1 : dc_ime_describe(out, c);
	if (want_list)
		return dc_buf_puts(out, "; write a list in brackets: [") < 0 || put_text(out, inst->text, inst->len, 0) < 0 ||
			       dc_buf_puts(out, "]") < 0
			       ? -1
			       : 0;
	return 0;
}

static int check_type(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf want = DC_BUF_INIT, hint = DC_BUF_INIT;
	size_t i;
	int r = 0;

	if (type_bits(inst) & n->types)
		return 0;
	if (v->silent)
		return 1;
	for (i = 0; i < n->ntypes && r == 0; i++) {
		if (i)
			r = dc_buf_puts(&want, i + 1 == n->ntypes ? " or " : ", ");
		if (r == 0)
			r = dc_buf_puts(&want, with_article(type_names[n->type_order[i]]));
	}
	if (r == 0)
		r = advice(&hint, inst, (n->types & T_ARR) != 0);
	if (r == 0)
		r = report(v, v->file, &inst->start, "schema.type", "%s must be %s, not %s%s",
			   subject(v), want.ptr, kind_article(inst->kind), hint.len ? hint.ptr : "");
	dc_buf_dispose(&hint);
	dc_buf_dispose(&want);
	return r;
}

static int check_enum(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf rest = DC_BUF_INIT;
	size_t i;
	int r;

	for (i = 0; i < n->nenums; i++)
		if (dc_node_equal(inst, n->enums[i]))
			return 0;
	if (v->silent)
		return 1;
	r = dc_buf_puts(&rest, " is not one of ");
	for (i = 0; i < n->nenums && i < MAX_ENUM_SHOWN && r == 0; i++) {
		if (i)
			r = dc_buf_puts(&rest, ", ");
		if (r == 0)
			r = put_plain(&rest, n->enums[i]);
	}
	if (r == 0 && n->nenums > MAX_ENUM_SHOWN)
		r = dc_buf_printf(&rest, ", ... (%zu values; see the schema)", n->nenums);
	if (r == 0)
		r = advice(&rest, inst, 0);
	if (r == 0)
		r = report_value(v, inst, "schema.enum", rest.ptr);
	dc_buf_dispose(&rest);
	return r;
}

static int check_const(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf want = DC_BUF_INIT, got = DC_BUF_INIT;
	int r;

	if (dc_node_equal(inst, n->konst))
		return 0;
	if (v->silent)
		return 1;
	r = put_value(&want, n->konst);
	if (r == 0)
		r = put_value(&got, inst);
	if (r == 0)
		r = report(v, v->file, &inst->start, "schema.const", "%s must be %s, not %s",
			   subject(v), want.ptr, got.ptr);
	dc_buf_dispose(&want);
	dc_buf_dispose(&got);
	return r;
}

enum { MATCHED, NO_MATCH, MATCH_LIMIT_HIT, MATCH_ERROR };

static size_t memo_slot(const vctx *v, const snode *n, const dc_node *inst)
{
	uint64_t h = ((uint64_t)(uintptr_t)n * 31 + (uint64_t)(uintptr_t)inst) * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h >> 20) & (v->memo_cap - 1);

	while (v->memo[i].n && (v->memo[i].n != n || v->memo[i].inst != inst))
		i = (i + 1) & (v->memo_cap - 1);
	return i;
}

static int memo_put(vctx *v, const snode *n, const dc_node *inst, int result)
{
	size_t i;

	if (2 * (v->memo_n + 1) > v->memo_cap) {
		struct memo *old = v->memo;
		size_t old_cap = v->memo_cap;

		v->memo_cap = old_cap ? old_cap * 2 : 64;
		if (!(v->memo = calloc(v->memo_cap, sizeof(*v->memo)))) {
			v->memo = old;
			v->memo_cap = old_cap;
			return dc_error_set("out of memory");
		}
		for (i = 0; i < old_cap; i++)
			if (old[i].n)
				v->memo[memo_slot(v, old[i].n, old[i].inst)] = old[i];
		free(old);
	}
	i = memo_slot(v, n, inst);
	v->memo[i].n = n;
	v->memo[i].inst = inst;
	v->memo[i].result = result;
	v->memo_n++;
	return 0;
}

static int check_pattern(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf pat = DC_BUF_INIT, rest = DC_BUF_INIT;
	int rc = 0, result, r;
	size_t slot;

	if (v->memo_cap && v->memo[slot = memo_slot(v, n, inst)].n) {
		result = v->memo[slot].result;
		if (result == MATCHED)
			return 0;
		if (result != NO_MATCH || v->silent)
			return 1; /* a limit or error was reported the first time */
		goto report;
	}
	if (!v->mctx) {
		if (!(v->mctx = pcre2_match_context_create(NULL)))
			return dc_error_set("out of memory");
		pcre2_set_match_limit(v->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(v->mctx, MATCH_DEPTH_LIMIT);
		pcre2_set_heap_limit(v->mctx, MATCH_HEAP_LIMIT);
	}
	if (!v->md && !(v->md = pcre2_match_data_create(1, NULL)))
		return dc_error_set("out of memory");
	v->steps += PATTERN_STEPS;
	rc = pcre2_match(n->re, (PCRE2_SPTR)inst->text, inst->len, 0, 0, v->md, v->mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT) /* the interpreter has larger limits */
		rc = pcre2_match(n->re, (PCRE2_SPTR)inst->text, inst->len, 0, PCRE2_NO_JIT, v->md,
				 v->mctx);
	if (rc == PCRE2_ERROR_NOMEMORY)
		return dc_error_set("out of memory matching a pattern");
	result = rc >= 0 ? MATCHED : rc == PCRE2_ERROR_NOMATCH ? NO_MATCH :
		 rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		 rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ?
		 MATCH_LIMIT_HIT : MATCH_ERROR;
	if (memo_put(v, n, inst, result) < 0)
		return -1;
	if (result == MATCHED)
		return 0;
	if (result == NO_MATCH && v->silent)
		return 1;
report:
	r = put_text(&pat, n->pattern, n->pattern_len, 1);
	if (r < 0)
		goto cleanup;
	if (result == NO_MATCH) {
		r = dc_buf_printf(&rest, " does not match the pattern %s", pat.ptr);
		if (r == 0)
			r = report_value(v, inst, "schema.pattern", rest.ptr);
	} else if (result == MATCH_LIMIT_HIT) {
		/* reported even when silent: the verdict is unknown, never a pass */
		r = report(v, v->s->file, &n->pattern_mark, "schema.invalid",
			   "pattern %s hit the match limit on %s%s; simplify the pattern",
			   pat.ptr, v->path.len ? "field " : "", subject(v));
	} else {
		PCRE2_UCHAR why[256];

		if (pcre2_get_error_message(rc, why, sizeof(why)) < 0)
			strcpy((char *)why, "unknown error");
		r = report(v, v->file, &inst->start, "internal.error",
			   "cannot match %s against the pattern %s: %s", subject(v), pat.ptr,
			   (char *)why);
	}
cleanup:
	dc_buf_dispose(&pat);
	dc_buf_dispose(&rest);
	return r;
}

static int check_length(vctx *v, const snode *n, const dc_node *inst)
{
	size_t cps = dc_utf8_count(inst->text, inst->len);
	int is_min;
	dc_buf rest = DC_BUF_INIT;
	int r;

	if (n->min_len >= 0 && cps < (uint64_t)n->min_len)
		is_min = 1;
	else if (n->max_len >= 0 && cps > (uint64_t)n->max_len)
		is_min = 0;
	else
		return 0;
	if (v->silent)
		return 1;
	r = dc_buf_printf(&rest, " has %zu character%s; it must have at %s %" PRId64,
			  cps, cps == 1 ? "" : "s", is_min ? "least" : "most",
			  is_min ? n->min_len : n->max_len);
	if (r == 0)
		r = report_value(v, inst, is_min ? "schema.minLength" : "schema.maxLength", rest.ptr);
	dc_buf_dispose(&rest);
	return r;
}

static int check_format(vctx *v, const snode *n, const dc_node *inst)
{
	int ok = strlen(inst->text) == inst->len;

	if (ok && n->format == FMT_DATE) {
		dc_date d;

		ok = dc_date_parse(&d, inst->text) == 0;
	} else if (ok) {
		dc_duration d;

		ok = dc_duration_parse(&d, inst->text) == 0;
	}
	if (ok)
		return 0;
	if (v->silent)
		return 1;
	return report_value(v, inst, "schema.format", n->format == FMT_DATE ?
			    " is not a valid date (YYYY-MM-DD)" :
			    " is not a valid duration (ISO 8601 like P1Y, P6M, P2W or P90D)");
}

/* <0, 0, >0; *unordered when either is NaN. */
static int num_cmp(const dc_node *a, const dc_node *b, int *unordered)
{
	double x, y;

	*unordered = 0;
	if (a->kind == DC_NODE_INT && b->kind == DC_NODE_INT)
		return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	x = a->kind == DC_NODE_INT ? (double)a->u.i : a->u.f;
	y = b->kind == DC_NODE_INT ? (double)b->u.i : b->u.f;
	if (isnan(x) || isnan(y)) {
		*unordered = 1;
		return 0;
	}
	return (x > y) - (x < y);
}

static int check_bound(vctx *v, const dc_node *bound, const dc_node *inst, int is_min)
{
	dc_buf lim = DC_BUF_INIT, rest = DC_BUF_INIT;
	int unordered, c = num_cmp(inst, bound, &unordered), r;

	if (!unordered && (is_min ? c >= 0 : c <= 0))
		return 0;
	if (v->silent)
		return 1;
	r = put_scalar(&lim, bound);
	if (r == 0)
		r = dc_buf_printf(&rest, unordered ? " is not a number that can be compared with "
				  "the %s %s" : " is %s than the %s %s",
				  unordered ? (is_min ? "minimum" : "maximum") : (is_min ? "less" : "greater"),
				  unordered ? lim.ptr : (is_min ? "minimum" : "maximum"),
				  unordered ? "" : lim.ptr);
	if (r == 0)
		r = report_value(v, inst, is_min ? "schema.minimum" : "schema.maximum", rest.ptr);
	dc_buf_dispose(&lim);
	dc_buf_dispose(&rest);
	return r;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A hash consistent with dc_node_equal (equal values hash alike). */
static uint64_t node_hash(const dc_node *n)
{
	uint64_t h = 1469598103934665603ull + (uint64_t)n->kind, sum = 0;
	size_t i, len;

	switch (n->kind) {
	case DC_NODE_NULL:
		return h;
	case DC_NODE_BOOL:
		return h * 31 + !!n->u.b;
	case DC_NODE_INT:
		return mix(h * 31 + (uint64_t)n->u.i);
	case DC_NODE_FLOAT:
		if (isnan(n->u.f) || n->u.f == 0)
			return h * 31 + (isnan(n->u.f) ? 7 : 0);
		memcpy(&sum, &n->u.f, sizeof(sum));
		return mix(h * 31 + sum);
	case DC_NODE_STR:
		for (i = 0; i < n->len; i++)
			h = (h ^ (unsigned char)n->text[i]) * 1099511628211ull;
		return h;
	case DC_NODE_SEQ:
		for (i = 0; i < n->u.seq.n; i++)
			h = mix(h + node_hash(n->u.seq.items[i]));
		return h;
	case DC_NODE_MAP:
		for (i = 0; i < n->u.map.n; i++) {
			const dc_node *k = n->u.map.pairs[i].key;
			uint64_t kh = 1469598103934665603ull;
			size_t j;

			len = strlen(k->text); /* dc_node_equal looks keys up by C string */
			for (j = 0; j < len; j++)
				kh = (kh ^ (unsigned char)k->text[j]) * 1099511628211ull;
			sum += mix(kh * 31 + node_hash(n->u.map.pairs[i].value));
		}
		return mix(h + sum);
	}
	return h;
}

typedef struct {
	uint64_t h;
	size_t i;
} hashed;

static int hashed_cmp(const void *a, const void *b)
{
	const hashed *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static int check_unique(vctx *v, const dc_node *inst)
{
	size_t n = inst->u.seq.n, i, j, k, first = 0, dup = (size_t)-1;
	dc_buf rest = DC_BUF_INIT;
	hashed *hs;
	int r;

	if (n < 2)
		return 0;
	if (!(hs = malloc(n * sizeof(*hs))))
		return dc_error_set("out of memory");
	for (i = 0; i < n; i++) {
		hs[i].h = node_hash(inst->u.seq.items[i]);
		hs[i].i = i;
	}
	qsort(hs, n, sizeof(*hs), hashed_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && hs[j].h == hs[i].h; j++)
			;
		for (k = i + 1; k < j && hs[k].i < dup; k++) {
			size_t q;

			for (q = i; q < k; q++) {
				v->steps++;
				if (dc_node_equal(inst->u.seq.items[hs[q].i], inst->u.seq.items[hs[k].i])) {
					dup = hs[k].i;
					first = hs[q].i;
					break;
				}
			}
			if (dup == hs[k].i)
				break;
		}
	}
	free(hs);
	if (dup == (size_t)-1)
		return 0;
	if (v->silent)
		return 1;
	r = dc_buf_printf(&rest, " at %s[%zu] repeats %s[%zu]; remove the duplicate",
			  subject(v), dup, subject(v), first);
	if (r == 0)
		r = report_value(v, inst->u.seq.items[dup], "schema.uniqueItems", rest.ptr);
	dc_buf_dispose(&rest);
	return r;
}

static int check_array(vctx *v, const snode *n, const dc_node *inst)
{
	size_t count = inst->u.seq.n, i, len = v->path.len;
	int failed = 0, r;

	if (n->min_items >= 0 && count < (uint64_t)n->min_items) {
		if (v->silent)
			return 1;
		if (report(v, v->file, &inst->start, "schema.minItems", "%s has %zu item%s; it "
			   "must have at least %" PRId64, subject(v), count, count == 1 ? "" : "s",
			   n->min_items) < 0)
			return -1;
		failed = 1;
	}
	if (n->max_items >= 0 && count > (uint64_t)n->max_items) {
		if (v->silent)
			return 1;
		if (report(v, v->file, &inst->start, "schema.maxItems", "%s has %zu items; it "
			   "must have at most %" PRId64, subject(v), count, n->max_items) < 0)
			return -1;
		failed = 1;
	}
	if (n->unique) {
		if ((r = check_unique(v, inst)) < 0)
			return -1;
		if (r && v->silent)
			return 1;
		failed |= r;
	}
	if (n->items) {
		for (i = 0; i < count && !v->aborted; i++) {
			if (dc_buf_printf(&v->path, "[%zu]", i) < 0)
				return -1;
			r = eval(v, n->items, inst->u.seq.items[i], NULL);
			dc_buf_truncate(&v->path, len);
			if (r < 0)
				return -1;
			if (r && v->silent)
				return 1;
			failed |= r;
		}
	}
	return failed;
}

static int check_object(vctx *v, const snode *n, const dc_node *inst)
{
	size_t i, len = v->path.len;
	int failed = 0, r;

	for (i = 0; i < n->nrequired; i++) {
		const sname *f = &n->required[i];
		const dc_mark *m = inst == v->root && v->open ? v->open : &inst->start;
		dc_buf p = DC_BUF_INIT;
		size_t k;

		for (k = 0; k < inst->u.map.n; k++)
			if (inst->u.map.pairs[k].key->len == f->len &&
			    !memcmp(inst->u.map.pairs[k].key->text, f->name, f->len))
				break;
		if (k < inst->u.map.n)
			continue;
		if (v->silent)
			return 1;
		r = field_path(v, &p, f->name, f->len);
		if (r == 0)
			r = report(v, v->file, m, "schema.required", "missing required field \"%s\"",
				   p.ptr);
		dc_buf_dispose(&p);
		if (r < 0)
			return -1;
		failed = 1;
	}
	for (i = 0; i < inst->u.map.n && !v->aborted; i++) {
		const dc_pair *pair = &inst->u.map.pairs[i];
		const sprop *sp = find_prop(n, pair->key->text, pair->key->len);
		const snode *sub = sp ? sp->schema : n->addl == ADDL_SCHEMA ? n->addl_schema : NULL;

		if (!sp && n->addl == ADDL_FALSE) {
			dc_buf p = DC_BUF_INIT;

			if (v->silent)
				return 1;
			r = field_path(v, &p, pair->key->text, pair->key->len);
			if (r == 0)
				r = report(v, v->file, &pair->key->start, "schema.additionalProperties",
					   "field \"%s\" is not allowed by the schema; remove it or "
					   "declare it in %s", p.ptr, v->s->file);
			dc_buf_dispose(&p);
			if (r < 0)
				return -1;
			failed = 1;
			continue;
		}
		if (!sub)
			continue;
		if ((len && dc_buf_putc(&v->path, '.') < 0) ||
		    put_text(&v->path, pair->key->text, pair->key->len, 0) < 0)
			return -1;
		r = eval(v, sub, pair->value, pair->key);
		dc_buf_truncate(&v->path, len);
		if (r < 0)
			return -1;
		if (r && v->silent)
			return 1;
		failed |= r;
	}
	return failed;
}

/* Evaluates `n` silently; returns 0 (passes), 1 (fails) or -1. */
static int quietly(vctx *v, const snode *n, const dc_node *inst, const dc_node *key)
{
	int saved = v->silent, r;

	v->silent = 1;
	r = eval(v, n, inst, key);
	v->silent = saved;
	return r;
}

static int report_alternatives(vctx *v, const dc_node *inst, const char *rule,
			       const char *what, const dc_mark *at)
{
	return report(v, v->file, &inst->start, rule, "%s %s (%s at %s:%u); change the value "
		      "to fit one of the schema's alternatives", subject(v), what,
		      rule + strlen("schema."), v->s->file, at->line);
}

static int check_combinators(vctx *v, const snode *n, const dc_node *inst, const dc_node *key)
{
	size_t i, passed;
	int failed = 0, r;

	for (i = 0; i < n->all.n; i++) {
		if ((r = eval(v, n->all.v[i], inst, key)) < 0)
			return -1;
		if (r && v->silent)
			return 1;
		failed |= r;
	}
	if (n->any.n) {
		for (i = 0, passed = 0; i < n->any.n && !passed; i++) {
			if ((r = quietly(v, n->any.v[i], inst, key)) < 0)
				return -1;
			passed += !r;
		}
		if (!passed) {
			if (v->silent)
				return 1;
			if (report_alternatives(v, inst, "schema.anyOf", "matches none of the "
						"alternatives", &n->any.mark) < 0)
				return -1;
			failed = 1;
		}
	}
	if (n->one.n) {
		for (i = 0, passed = 0; i < n->one.n && passed < 2; i++) {
			if ((r = quietly(v, n->one.v[i], inst, key)) < 0)
				return -1;
			passed += !r;
		}
		if (passed != 1) {
			if (v->silent)
				return 1;
			if (report_alternatives(v, inst, "schema.oneOf", passed ? "matches more "
						"than one of the alternatives, but must match exactly one" :
						"matches none of the alternatives", &n->one.mark) < 0)
				return -1;
			failed = 1;
		}
	}
	if (n->not_) {
		if ((r = quietly(v, n->not_, inst, key)) < 0)
			return -1;
		if (!r) {
			if (v->silent)
				return 1;
			if (report(v, v->file, &inst->start, "schema.not", "%s matches a schema it "
				   "must not match (not at %s:%u); change the value", subject(v),
				   v->s->file, n->not_mark.line) < 0)
				return -1;
			failed = 1;
		}
	}
	if (n->if_ && (n->then_ || n->else_)) {
		const snode *branch;

		if ((r = quietly(v, n->if_, inst, key)) < 0)
			return -1;
		branch = r ? n->else_ : n->then_;
		if (branch) {
			if ((r = eval(v, branch, inst, key)) < 0)
				return -1;
			failed |= r;
		}
	}
	return failed;
}

/* The `false` schema: nothing is allowed. */
static int check_false(vctx *v, const snode *n, const dc_node *inst, const dc_node *key)
{
	if (v->silent)
		return 1;
	if (key)
		return report(v, v->file, &key->start, "schema.additionalProperties",
			      "field \"%s\" is not allowed by the schema; remove it", subject(v));
	return report(v, v->file, &inst->start, "schema.not", "%s is not allowed here (the "
		      "schema at %s:%u is false); remove it", subject(v), v->s->file, n->mark.line);
}

static int eval_keywords(vctx *v, const snode *n, const dc_node *inst, const dc_node *key)
{
	int failed = 0, r;

#define CHECK(call) do { \
		if ((r = (call)) < 0) \
			return -1; \
		if (r && v->silent) \
			return 1; \
		failed |= r; \
	} while (0)

	if (n->boolean == 1)
		return 0;
	if (n->boolean == 0)
		return check_false(v, n, inst, key);
	if (n->ref)
		CHECK(eval(v, n->ref, inst, key));
	if (n->types)
		CHECK(check_type(v, n, inst));
	if (n->nenums)
		CHECK(check_enum(v, n, inst));
	if (n->konst)
		CHECK(check_const(v, n, inst));
	if (inst->kind == DC_NODE_STR) {
		if (n->re)
			CHECK(check_pattern(v, n, inst));
		if (n->min_len >= 0 || n->max_len >= 0)
			CHECK(check_length(v, n, inst));
		if (n->format)
			CHECK(check_format(v, n, inst));
	}
	if (inst->kind == DC_NODE_INT || inst->kind == DC_NODE_FLOAT) {
		if (n->minimum)
			CHECK(check_bound(v, n->minimum, inst, 1));
		if (n->maximum)
			CHECK(check_bound(v, n->maximum, inst, 0));
	}
	if (inst->kind == DC_NODE_SEQ)
		CHECK(check_array(v, n, inst));
	if (inst->kind == DC_NODE_MAP)
		CHECK(check_object(v, n, inst));
	CHECK(check_combinators(v, n, inst, key));
#undef CHECK
	return failed;
}

static int eval(vctx *v, const snode *n, const dc_node *inst, const dc_node *key)
{
	int r;

	if (v->aborted)
		return 1;
	if (++v->steps > MAX_STEPS || v->depth >= MAX_EVAL_DEPTH) {
		r = report(v, v->s->file, &n->mark, "schema.invalid", v->depth >= MAX_EVAL_DEPTH ?
			   "the schema nests more than %d evaluations deep to check %s; simplify it" :
			   "the schema needs more than %d steps to check %s; simplify it",
			   v->depth >= MAX_EVAL_DEPTH ? MAX_EVAL_DEPTH : MAX_STEPS, subject(v));
		v->aborted = 1;
		return r < 0 ? -1 : 1;
	}
	v->depth++;
	r = eval_keywords(v, n, inst, key);
	v->depth--;
	return r;
}

int dc_schema_validate(const dc_schema *s, const dc_node *instance, const char *file,
		       const dc_mark *open, dc_diags *diags)
{
	vctx v;
	int r;

	if (!s || !instance)
		return dc_error_set("no schema or no document to validate");
	memset(&v, 0, sizeof(v));
	v.s = s;
	v.file = file ? file : "";
	v.id = dc_node_get_str(instance, "id");
	v.root = instance;
	v.open = open;
	v.diags = diags;
	dc_buf_init(&v.path);
	r = eval(&v, s->root, instance, NULL);
	dc_buf_dispose(&v.path);
	pcre2_match_data_free(v.md);
	pcre2_match_context_free(v.mctx);
	free(v.memo);
	return r < 0 ? -1 : 0;
}
