/*
 * schema.c - compiles a YAML-written JSON Schema (reference §4.9) into a tree
 * of checks (see schema.h; schema_validate.c validates with it).
 *
 * Compiling copies everything it needs into an arena owned by the compiled
 * schema (the parsed schema file may be freed afterwards), compiles every
 * pattern once with PCRE2, resolves `$ref`s and rejects reference cycles that
 * would loop without reading any part of the document. A `$ref` is resolved
 * against the source tree of its schema resource (the file, or the nearest
 * enclosing schema with an $id): a JSON pointer, percent-decoded, or an
 * $anchor.
 */
#include "i18n.h"
#include "schema_int.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "text.h"

/* ---- compiling --------------------------------------------------------- */

typedef struct {
	dc_schema *s;
	dc_diags *diags;
	int invalid;
	snode *all;  /* every snode, for the cycle check */
	snode *refs; /* every snode with a $ref, to resolve */
	const dc_node *resource; /* the schema resource being compiled */
} cctx;

static int invalid(cctx *c, const dc_mark *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int invalid(cctx *c, const dc_mark *m, const char *fmt, ...)
{
	va_list ap;
	int r;

	c->invalid = 1;
	va_start(ap, fmt);
	r = dc_diags_vadd(c->diags, c->s->file, m->line, m->col, DC_R_SCHEMA_INVALID, NULL, fmt, ap);
	va_end(ap);
	return r;
}

/* The keyword's name for messages (escaped; keys may hold anything). */
static int invalid_kw(cctx *c, const dc_pair *p, const char *what)
{
	dc_buf k = DC_BUF_INIT;
	int r;

	if (sch_put_text(&k, p->key->text, p->key->len, 0) < 0)
		return -1;
	r = invalid(c, &p->value->start, _("\"%s\" must be %s, not %s"), k.ptr, what,
		    sch_kind_article(p->value->kind));
	dc_buf_dispose(&k);
	return r;
}

static int empty_list(cctx *c, const dc_pair *p, const char *what)
{
	dc_buf k = DC_BUF_INIT;
	int r;

	if (sch_put_text(&k, p->key->text, p->key->len, 0) < 0)
		return -1;
	r = invalid(c, &p->value->start, _("\"%s\" must not be empty; list the %s"), k.ptr, what);
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
	if (v->kind == DC_NODE_FLOAT && sch_is_integral(v->u.f) && v->u.f >= 0 && v->u.f < 9.2e18) {
		*out = (int64_t)v->u.f;
		return 0;
	}
	if (sch_put_text(&k, p->key->text, p->key->len, 0) < 0)
		return -1;
	if (v->kind == DC_NODE_INT || v->kind == DC_NODE_FLOAT) {
		dc_buf val = DC_BUF_INIT;

		r = sch_put_scalar(&val, v);
		if (r == 0)
			r = invalid(c, &v->start, _("\"%s\" must be a non-negative integer, not %s"),
				    k.ptr, val.ptr);
		dc_buf_dispose(&val);
	} else {
		r = invalid(c, &v->start, _("\"%s\" must be a non-negative integer, not %s"), k.ptr,
			    sch_kind_article(v->kind));
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
		return invalid_kw(c, p, _("a non-empty list of schemas"));
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
		return invalid_kw(c, p, _("a mapping of names to schemas"));
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

/* What a keyword's value is, for the keywords that only store it in a
 * field of the snode (the table `stored` says which field). */
typedef enum {
	KW_COUNT,          /* a count (int64_t, -1 when absent): minLength, ... */
	KW_NUMBER,         /* a number (dc_node *): minimum, ... */
	KW_SCHEMA,         /* a schema (snode *): if, then, else */
	KW_MARKED_SCHEMA,  /* a schema whose keyword's place findings cite: not, ... */
	KW_LIST            /* a list of schemas (slist): allOf, ... */
} kw_store;

static int type_bit(const dc_node *v, unsigned *bit)
{
	size_t i;

	if (v->kind != DC_NODE_STR)
		return -1;
	for (i = 0; i < NTYPES; i++)
		if (sch_key_is(v, sch_type_names[i])) {
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
		r = sch_put_text(&b, v->text, v->len, 1);
	else
		r = sch_put_value(&b, v);
	if (r == 0)
		r = invalid(c, &v->start, _("type %s is not a JSON Schema type; use null, boolean, "
			    "integer, number, string, array or object"), b.ptr);
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
			return invalid(c, &v->start, _("\"type\" must name at least one type"));
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
		return invalid_kw(c, p, _("a list of field names"));
	sn->required = dc_arena_alloc(&c->s->arena, (v->u.seq.n ? v->u.seq.n : 1) * sizeof(sname));
	if (!sn->required)
		return -1;
	for (i = 0; i < v->u.seq.n; i++) {
		const dc_node *f = v->u.seq.items[i];

		if (f->kind != DC_NODE_STR) {
			if (invalid(c, &f->start, _("\"required\" must list field names (strings), not %s"),
				    sch_kind_article(f->kind)) < 0)
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
		return invalid_kw(c, p, _("true, false or a schema"));
	sn->addl = ADDL_SCHEMA;
	return compile_node(c, &sn->addl_schema, v, depth + 1);
}

static int kw_enum(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	(void)depth;
	if (v->kind != DC_NODE_SEQ)
		return invalid_kw(c, p, _("a list of values"));
	/* an empty list is allowed, as in draft 2020-12: nothing matches it
	 * (reference §4.9) */
	sn->has_enum = 1;
	sn->enums = dc_arena_alloc(&c->s->arena, (v->u.seq.n ? v->u.seq.n : 1) * sizeof(dc_node *));
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

/* The hint for a pattern that does not compile because it is written for
 * ECMA-262 (JavaScript): the PCRE2 spelling (reference §4.9). */
static const char *pattern_hint(const dc_node *v)
{
	static const struct {
		const char *ecma, *hint;
	} hints[] = {
		{ "\\p{Letter}", "; write \\p{L} for \\p{Letter} (PCRE2 knows the short Unicode property names)" },
		{ "\\p{Lowercase_Letter}", "; write \\p{Ll} for \\p{Lowercase_Letter}" },
		{ "\\p{Uppercase_Letter}", "; write \\p{Lu} for \\p{Uppercase_Letter}" },
		{ "\\p{Number}", "; write \\p{N} for \\p{Number}" },
		{ "\\p{Decimal_Number}", "; write \\p{Nd} for \\p{Decimal_Number}" },
		{ "\\p{Punctuation}", "; write \\p{P} for \\p{Punctuation}" },
		{ "\\p{Script=", "; write \\p{Han} for \\p{Script=Han}" },
		{ "\\p{sc=", "; write \\p{Han} for \\p{sc=Han}" },
		{ "\\u{", "; write \\x{1F600} for \\u{1F600}" },
		{ "\\u", "; write \\x{00e9} for \\u00e9" },
		{ "(?<", "; a named group is written (?<name>...) in PCRE2 too: check the name" },
	};
	size_t i, k, n;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		n = strlen(hints[i].ecma);
		for (k = 0; k + n <= v->len; k++)
			if (!memcmp(v->text + k, hints[i].ecma, n))
				return hints[i].hint;
	}
	return "";
}

/* Compiles the regular expression `v` (reference §4.9: PCRE2 with UTF-8,
 * `$` only at the very end). Returns 0 with *out set (NULL after a finding),
 * or -1. */
static int compile_pattern(cctx *c, spat **out, const dc_node *v)
{
	spat *sp;
	PCRE2_SIZE off;
	int err;

	*out = NULL;
	if (!(sp = dc_arena_alloc(&c->s->arena, sizeof(*sp))))
		return -1;
	if (!(sp->text = dc_arena_strndup(&c->s->arena, v->text, v->len)))
		return -1;
	sp->len = v->len;
	sp->mark = v->start;
	sp->re = pcre2_compile((PCRE2_SPTR)v->text, v->len,
			       PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C,
			       &err, &off, NULL);
	if (!sp->re) {
		PCRE2_UCHAR why[256];
		dc_buf pat = DC_BUF_INIT;
		int r;

		if (err == PCRE2_ERROR_HEAPLIMIT || err == PCRE2_ERROR_NOMEMORY)
			return dc_error_set(_("out of memory compiling a pattern"));
		if (pcre2_get_error_message(err, why, sizeof(why)) < 0)
			strcpy((char *)why, "unknown error");
		r = sch_put_text(&pat, v->text, v->len, 1);
		if (r == 0)
			r = invalid(c, &v->start, _("pattern %s does not compile: %s (at offset %zu); "
				    "fix the regular expression (PCRE2 syntax)%s"),
				    pat.ptr, (char *)why, (size_t)off, pattern_hint(v));
		dc_buf_dispose(&pat);
		return r;
	}
	(void)pcre2_jit_compile(sp->re, PCRE2_JIT_COMPLETE);
	sp->next = c->s->patterns;
	c->s->patterns = sp;
	*out = sp;
	return 0;
}

static int kw_pattern(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	if (p->value->kind != DC_NODE_STR)
		return invalid_kw(c, p, _("a regular expression (a string)"));
	return compile_pattern(c, &sn->pat, p->value);
}

static int kw_pattern_properties(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	if (v->kind != DC_NODE_MAP)
		return invalid_kw(c, p, _("a mapping of regular expressions to schemas"));
	sn->pprops = dc_arena_alloc(&c->s->arena, (v->u.map.n ? v->u.map.n : 1) * sizeof(spprop));
	if (!sn->pprops)
		return -1;
	for (i = 0; i < v->u.map.n; i++) {
		const dc_pair *q = &v->u.map.pairs[i];
		spprop *pp = &sn->pprops[sn->npprops];

		if (q->key->kind != DC_NODE_STR) {
			if (invalid(c, &q->key->start, _("\"patternProperties\" must map regular "
				    "expressions (strings) to schemas, not %s"),
				    sch_kind_article(q->key->kind)) < 0)
				return -1;
			continue;
		}
		if (compile_pattern(c, &pp->pat, q->key) < 0 ||
		    compile_node(c, &pp->schema, q->value, depth + 1) < 0)
			return -1;
		if (pp->pat)
			sn->npprops++;
	}
	return 0;
}

static int kw_dependent_required(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i, k;

	(void)depth;
	if (v->kind != DC_NODE_MAP)
		return invalid_kw(c, p, _("a mapping of field names to lists of field names"));
	sn->dreq = dc_arena_alloc(&c->s->arena, (v->u.map.n ? v->u.map.n : 1) * sizeof(sdepreq));
	if (!sn->dreq)
		return -1;
	for (i = 0; i < v->u.map.n; i++) {
		const dc_pair *q = &v->u.map.pairs[i];
		sdepreq *d = &sn->dreq[sn->ndreq++];

		d->len = q->key->len;
		if (!(d->name = dc_arena_strndup(&c->s->arena, q->key->text, q->key->len)))
			return -1;
		if (q->value->kind != DC_NODE_SEQ) {
			if (invalid(c, &q->value->start, _("\"dependentRequired\" must map each field "
				    "name to a list of field names, not %s"),
				    sch_kind_article(q->value->kind)) < 0)
				return -1;
			continue;
		}
		d->needs = dc_arena_alloc(&c->s->arena, (q->value->u.seq.n ? q->value->u.seq.n : 1) *
					  sizeof(sname));
		if (!d->needs)
			return -1;
		for (k = 0; k < q->value->u.seq.n; k++) {
			const dc_node *f = q->value->u.seq.items[k];

			if (f->kind != DC_NODE_STR) {
				if (invalid(c, &f->start, _("\"dependentRequired\" must list field names "
					    "(strings), not %s"), sch_kind_article(f->kind)) < 0)
					return -1;
				continue;
			}
			if (!(d->needs[d->nneeds].name = dc_arena_strndup(&c->s->arena, f->text, f->len)))
				return -1;
			d->needs[d->nneeds++].len = f->len;
		}
	}
	return 0;
}

static int kw_dependent_schemas(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	return compile_map(c, &sn->dschemas, &sn->ndschemas, p, depth);
}

static int number_value(cctx *c, const dc_pair *p, dc_node **out)
{
	const dc_node *v = p->value;

	if (v->kind == DC_NODE_INT || (v->kind == DC_NODE_FLOAT && !isnan(v->u.f))) {
		*out = copy_node(&c->s->arena, v);
		return *out ? 0 : -1;
	}
	return invalid_kw(c, p, _("a number"));
}

static int kw_multiple_of(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;

	(void)depth;
	if ((v->kind == DC_NODE_INT && v->u.i > 0) ||
	    (v->kind == DC_NODE_FLOAT && isfinite(v->u.f) && v->u.f > 0)) {
		sn->multiple = copy_node(&c->s->arena, v);
		return sn->multiple ? 0 : -1;
	}
	return invalid_kw(c, p, _("a number greater than 0"));
}

static int kw_items(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	if (p->value->kind == DC_NODE_SEQ)
		return invalid(c, &p->value->start, _("\"items\" must be a single schema; a list of "
			       "schemas (tuple validation) is not supported"));
	return compile_node(c, &sn->items, p->value, depth + 1);
}

static int kw_unique(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	(void)depth;
	if (p->value->kind != DC_NODE_BOOL)
		return invalid_kw(c, p, _("true or false"));
	sn->unique = p->value->u.b;
	return 0;
}

static int kw_format(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	dc_buf b = DC_BUF_INIT;
	int r;

	(void)depth;
	if (v->kind == DC_NODE_STR && sch_key_is(v, "date")) {
		sn->format = FMT_DATE;
		return 0;
	}
	if (v->kind == DC_NODE_STR && sch_key_is(v, "duration")) {
		sn->format = FMT_DURATION;
		return 0;
	}
	r = sch_put_value(&b, v);
	if (r == 0)
		r = invalid(c, &v->start, _("format %s is not supported; use date or duration "
			    "(or a pattern)"), b.ptr);
	dc_buf_dispose(&b);
	return r;
}

static int kw_ref(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	dc_buf b = DC_BUF_INIT;
	int r;

	(void)depth;
	if (v->kind != DC_NODE_STR)
		return invalid_kw(c, p, _("a string such as \"#/$defs/NAME\""));
	if (v->len && v->text[0] == '#') {
		sn->ref_mark = v->start;
		sn->ref_len = v->len;
		if (!(sn->ref_text = dc_arena_strndup(&c->s->arena, v->text, v->len)))
			return -1;
		sn->next_ref = c->refs;
		c->refs = sn;
		return 0;
	}
	r = sch_put_text(&b, v->text, v->len, 1);
	if (r == 0)
		r = invalid(c, &v->start, _("$ref %s is not supported: docctl reads no other schema "
			    "(remote or relative references are refused); refer to a part of this "
			    "file, such as \"#/$defs/NAME\", \"#/properties/NAME\" or an $anchor "
			    "written \"#NAME\""), b.ptr);
	dc_buf_dispose(&b);
	return r;
}

static int anchor_char(char ch, int first)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '_' ||
	       (!first && ((ch >= '0' && ch <= '9') || ch == '-' || ch == '.'));
}

static int kw_anchor(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	const dc_node *v = p->value;
	size_t i;

	(void)depth;
	if (v->kind != DC_NODE_STR)
		return invalid_kw(c, p, _("a name (a string)"));
	for (i = 0; i < v->len; i++)
		if (!anchor_char(v->text[i], i == 0))
			break;
	if (!v->len || i < v->len) {
		dc_buf b = DC_BUF_INIT;
		int r = sch_put_text(&b, v->text, v->len, 1);

		if (r == 0)
			r = invalid(c, &v->start, _("$anchor %s is not a valid name; start with a letter "
				    "or _ and use only letters, digits, -, _ and ."), b.ptr);
		dc_buf_dispose(&b);
		return r;
	}
	sn->anchor_len = v->len;
	sn->anchor = dc_arena_strndup(&c->s->arena, v->text, v->len);
	return sn->anchor ? 0 : -1;
}

static int kw_refused(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	dc_buf b = DC_BUF_INIT;
	int r;

	(void)sn;
	(void)depth;
	if ((r = sch_put_text(&b, p->key->text, p->key->len, 1)) == 0)
		r = invalid(c, &p->key->start, _("%s is not supported: docctl reads no other schema "
			    "and no vocabulary (dynamic references and $vocabulary are refused, "
			    "reference §4.9); use $ref to a part of this file"), b.ptr);
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
	{ "items", kw_items },
	{ "uniqueItems", kw_unique },
	{ "format", kw_format },
	{ "$ref", kw_ref },
	{ "$defs", kw_defs },
	{ "$anchor", kw_anchor },
	{ "multipleOf", kw_multiple_of },
	{ "patternProperties", kw_pattern_properties },
	{ "dependentRequired", kw_dependent_required },
	{ "dependentSchemas", kw_dependent_schemas },
	{ "$dynamicRef", kw_refused },
	{ "$dynamicAnchor", kw_refused },
	{ "$vocabulary", kw_refused },
	{ "$schema", kw_annotation },
	{ "$id", kw_annotation },
	{ "$comment", kw_annotation },
	{ "title", kw_annotation },
	{ "description", kw_annotation },
	{ "default", kw_annotation },
	{ "examples", kw_annotation },
};

/* The keywords that only store their value in a field of the snode. */
static const struct {
	const char *name;
	kw_store store;
	size_t at;       /* the field that takes the value */
	size_t mark_at;  /* KW_MARKED_SCHEMA: the field that takes the keyword's place */
} stored[] = {
	{ "minLength", KW_COUNT, offsetof(snode, min_len), 0 },
	{ "maxLength", KW_COUNT, offsetof(snode, max_len), 0 },
	{ "minimum", KW_NUMBER, offsetof(snode, minimum), 0 },
	{ "maximum", KW_NUMBER, offsetof(snode, maximum), 0 },
	{ "minItems", KW_COUNT, offsetof(snode, min_items), 0 },
	{ "maxItems", KW_COUNT, offsetof(snode, max_items), 0 },
	{ "allOf", KW_LIST, offsetof(snode, all), 0 },
	{ "anyOf", KW_LIST, offsetof(snode, any), 0 },
	{ "oneOf", KW_LIST, offsetof(snode, one), 0 },
	{ "not", KW_MARKED_SCHEMA, offsetof(snode, not_), offsetof(snode, not_mark) },
	{ "if", KW_SCHEMA, offsetof(snode, if_), 0 },
	{ "then", KW_SCHEMA, offsetof(snode, then_), 0 },
	{ "else", KW_SCHEMA, offsetof(snode, else_), 0 },
	{ "exclusiveMinimum", KW_NUMBER, offsetof(snode, xminimum), 0 },
	{ "exclusiveMaximum", KW_NUMBER, offsetof(snode, xmaximum), 0 },
	{ "minProperties", KW_COUNT, offsetof(snode, min_props), 0 },
	{ "maxProperties", KW_COUNT, offsetof(snode, max_props), 0 },
	{ "propertyNames", KW_MARKED_SCHEMA, offsetof(snode, prop_names), offsetof(snode, prop_names_mark) },
	{ "prefixItems", KW_LIST, offsetof(snode, prefix), 0 },
	{ "contains", KW_MARKED_SCHEMA, offsetof(snode, contains), offsetof(snode, contains_mark) },
	{ "minContains", KW_COUNT, offsetof(snode, min_contains), 0 },
	{ "maxContains", KW_COUNT, offsetof(snode, max_contains), 0 },
	{ "unevaluatedProperties", KW_MARKED_SCHEMA, offsetof(snode, uneval_props), offsetof(snode, uneval_props_mark) },
	{ "unevaluatedItems", KW_MARKED_SCHEMA, offsetof(snode, uneval_items), offsetof(snode, uneval_items_mark) },
};

static int compile_keywords(cctx *c, snode *sn, const dc_node *n, unsigned depth);

static int compile_node(cctx *c, snode **out, const dc_node *n, unsigned depth)
{
	snode *sn = dc_arena_alloc(&c->s->arena, sizeof(*sn));
	const dc_node *saved;
	size_t i;
	int r;

	if (!sn)
		return -1;
	*out = sn;
	sn->mark = n->start;
	sn->min_len = sn->max_len = sn->min_items = sn->max_items = -1;
	sn->min_props = sn->max_props = sn->min_contains = sn->max_contains = -1;
	sn->src = n;
	sn->resource = c->resource;
	sn->next_all = c->all;
	c->all = sn;
	if (n->kind == DC_NODE_BOOL) {
		sn->boolean = n->u.b;
		return 0;
	}
	sn->boolean = -1;
	if (n->kind != DC_NODE_MAP) {
		if (depth == 0 && n->kind == DC_NODE_NULL)
			return invalid(c, &n->start, _("the schema is empty; write a mapping of "
				       "schema keywords (reference §4.9)"));
		return invalid(c, &n->start, _("a schema must be a mapping of keywords (or true or "
			       "false), not %s"), sch_kind_article(n->kind));
	}
	if (depth > MAX_COMPILE_DEPTH)
		return invalid(c, &n->start, _("the schema nests deeper than %d levels; flatten it"),
			       MAX_COMPILE_DEPTH);
	/* a schema with an $id starts a resource of its own: "#..." inside it
	 * refers to it (reference §4.9) */
	for (i = 0; depth > 0 && i < n->u.map.n; i++)
		if (sch_key_is(n->u.map.pairs[i].key, "$id"))
			sn->resource = n;
	saved = c->resource;
	c->resource = sn->resource;
	r = compile_keywords(c, sn, n, depth);
	c->resource = saved;
	return r;
}

/* Reads the value of keyword k of the table `stored` into its field of sn. */
static int store_keyword(cctx *c, snode *sn, size_t k, const dc_pair *p, unsigned depth)
{
	char *field = (char *)sn + stored[k].at;

	switch (stored[k].store) {
	case KW_COUNT:
		return count_value(c, p, (int64_t *)(void *)field);
	case KW_NUMBER:
		return number_value(c, p, (dc_node **)(void *)field);
	case KW_MARKED_SCHEMA:
		*(dc_mark *)(void *)((char *)sn + stored[k].mark_at) = p->key->start;
		/* fall through */
	case KW_SCHEMA:
		return compile_node(c, (snode **)(void *)field, p->value, depth + 1);
	case KW_LIST:
		return compile_list(c, (slist *)(void *)field, p, depth);
	}
	return 0;
}

/* Reads the keyword `p`: 0, 1 (not a keyword), or -1. */
static int compile_keyword(cctx *c, snode *sn, const dc_pair *p, unsigned depth)
{
	size_t k;

	for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
		if (sch_key_is(p->key, keywords[k].name))
			return keywords[k].fn(c, sn, p, depth) < 0 ? -1 : 0;
	for (k = 0; k < sizeof(stored) / sizeof(stored[0]); k++)
		if (sch_key_is(p->key, stored[k].name))
			return store_keyword(c, sn, k, p, depth) < 0 ? -1 : 0;
	return 1;
}

static int compile_keywords(cctx *c, snode *sn, const dc_node *n, unsigned depth)
{
	size_t i;

	for (i = 0; i < n->u.map.n; i++) {
		const dc_pair *p = &n->u.map.pairs[i];
		int r = compile_keyword(c, sn, p, depth);

		if (r == 1) {
			dc_buf b = DC_BUF_INIT;

			r = sch_put_text(&b, p->key->text, p->key->len, 1);
			if (r == 0)
				r = invalid(c, &p->key->start, _("unknown schema keyword %s; see reference §4.9 "
					    "for the keywords docctl supports"), b.ptr);
			dc_buf_dispose(&b);
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Decodes the fragment of a $ref (after the "#"): %XX escapes. Returns
 * the length, or -1 for a bad escape. */
static long percent_decode(char *out, const char *in, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '%') {
			int hi, lo;

			if (i + 2 >= len || (hi = dc_hex_digit(in[i + 1])) < 0 ||
			    (lo = dc_hex_digit(in[i + 2])) < 0)
				return -1;
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
			continue;
		}
		out[n++] = in[i];
	}
	return (long)n;
}

/* Follows the JSON pointer `ptr` (decoded, starting with "/") from `n`:
 * "~1" is "/", "~0" is "~". NULL when it leads nowhere. */
static const dc_node *follow_pointer(const dc_node *n, const char *ptr, size_t len)
{
	size_t i = 0;
	char *tok = malloc(len + 1);

	if (!tok)
		return NULL;
	while (n && i < len) {
		size_t t = 0, k;

		i++; /* the "/" */
		for (; i < len && ptr[i] != '/'; i++) {
			if (ptr[i] == '~' && i + 1 < len && (ptr[i + 1] == '0' || ptr[i + 1] == '1')) {
				tok[t++] = ptr[++i] == '0' ? '~' : '/';
				continue;
			}
			if (ptr[i] == '~') {
				n = NULL;
				break;
			}
			tok[t++] = ptr[i];
		}
		if (!n)
			break;
		if (n->kind == DC_NODE_MAP) {
			const dc_node *next = NULL;

			for (k = 0; k < n->u.map.n; k++)
				if (n->u.map.pairs[k].key->len == t &&
				    !memcmp(n->u.map.pairs[k].key->text, tok, t))
					next = n->u.map.pairs[k].value;
			n = next;
		} else if (n->kind == DC_NODE_SEQ) {
			size_t idx = 0;

			if (!t || t > 9 || (t > 1 && tok[0] == '0'))
				n = NULL;
			for (k = 0; n && k < t; k++) {
				if (tok[k] < '0' || tok[k] > '9') {
					n = NULL;
					break;
				}
				idx = idx * 10 + (size_t)(tok[k] - '0');
			}
			if (n)
				n = idx < n->u.seq.n ? n->u.seq.items[idx] : NULL;
		} else {
			n = NULL;
		}
	}
	free(tok);
	return n;
}

static snode *resolve_ref(cctx *c, const snode *sn, const char **why)
{
	const dc_node *target = NULL;
	char *frag = malloc(sn->ref_len + 1);
	long n;
	snode *t;

	*why = "names no part of this schema file; write \"#/$defs/NAME\" for a definition "
	       "under $defs, a JSON pointer such as \"#/properties/NAME\", or \"#NAME\" for "
	       "an $anchor";
	if (!frag)
		return NULL;
	n = percent_decode(frag, sn->ref_text + 1, sn->ref_len - 1);
	if (n < 0) {
		*why = "has a bad %-escape; write %25 for %";
	} else if (n == 0) {
		target = sn->resource;
	} else if (frag[0] == '/') {
		target = follow_pointer(sn->resource, frag, (size_t)n);
		if (!target && n > 7 && !memcmp(frag, "/$defs/", 7))
			*why = "names no definition; add it under $defs at the top of the schema";
	} else {
		for (t = c->all; t; t = t->next_all)
			if (t->anchor && t->anchor_len == (size_t)n && t->resource == sn->resource &&
			    !memcmp(t->anchor, frag, (size_t)n)) {
				free(frag);
				return t;
			}
	}
	free(frag);
	if (!target)
		return NULL;
	for (t = c->all; t; t = t->next_all)
		if (t->src == target)
			return t;
	*why = "points at a part of the schema file that is not a schema";
	return NULL;
}

static int resolve_refs(cctx *c)
{
	snode *sn;

	for (sn = c->refs; sn; sn = sn->next_ref) {
		const char *why;

		if (!(sn->ref = resolve_ref(c, sn, &why))) {
			dc_buf b = DC_BUF_INIT;
			int r = sch_put_text(&b, sn->ref_text, sn->ref_len, 1);

			if (r == 0)
				r = invalid(c, &sn->ref_mark, _("$ref %s %s"), b.ptr, why);
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
	if (i < n->ndschemas)
		return n->dschemas[i].schema;
	i -= n->ndschemas;
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
	} *stack = NULL;
	size_t top = 0, cap = 0;
	snode *start;
	int r = 0;

	for (start = c->all; start; start = start->next_all) {
		if (start->color != WHITE)
			continue;
		if (DC_ARRAY_GROW(stack, cap, top + 1) < 0) {
			r = -1;
			goto cleanup;
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
				r = sch_put_text(&b, stack[k].n->ref_text, strlen(stack[k].n->ref_text), 1);
				if (r == 0)
					r = invalid(c, &stack[k].n->ref_mark, _("$ref %s leads back to itself "
						    "without reading any field; break the cycle"), b.ptr);
				dc_buf_dispose(&b);
				if (r < 0)
					goto cleanup;
				continue;
			}
			if (DC_ARRAY_GROW(stack, cap, top + 1) < 0) {
				r = -1;
				goto cleanup;
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
		return dc_error_set(_("no schema to compile"));
	if (!(s = calloc(1, sizeof(*s))))
		return dc_error_oom();
	dc_arena_init(&s->arena);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.diags = diags;
	if (!(s->file = dc_arena_strdup(&s->arena, file ? file : "")))
		goto fail;
	c.resource = root;
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
	spat *sp;

	if (!s)
		return;
	for (sp = s->patterns; sp; sp = sp->next)
		pcre2_code_free(sp->re);
	dc_arena_dispose(&s->arena);
	free(s);
}

dc_schema_extra dc_schema_root_extra(const dc_schema *s)
{
	if (!s || s->root->boolean >= 0)
		return DC_SCHEMA_EXTRA_UNSPECIFIED;
	/* unevaluatedProperties decides about every field the rest does not
	 * declare (reference §4.9) */
	if (s->root->uneval_props)
		return s->root->uneval_props->boolean == 0 ? DC_SCHEMA_EXTRA_FORBIDDEN :
		       DC_SCHEMA_EXTRA_ALLOWED;
	switch (s->root->addl) {
	case ADDL_FALSE: return DC_SCHEMA_EXTRA_FORBIDDEN;
	case ADDL_TRUE:
	case ADDL_SCHEMA: return DC_SCHEMA_EXTRA_ALLOWED;
	default: return DC_SCHEMA_EXTRA_UNSPECIFIED;
	}
}

int dc_schema_root_declares(const dc_schema *s, const char *name)
{
	pcre2_match_context *mc;
	pcre2_match_data *md;
	size_t i;
	int rc = -1;

	if (!s || !name || s->root->boolean >= 0)
		return 0;
	if (sch_find_prop(s->root, name, strlen(name)))
		return 1;
	/* a name that a patternProperties pattern of the root matches */
	if (!s->root->npprops || !(mc = pcre2_match_context_create(NULL)))
		return 0;
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_depth_limit(mc, MATCH_DEPTH_LIMIT);
	pcre2_set_heap_limit(mc, MATCH_HEAP_LIMIT);
	for (i = 0; i < s->root->npprops && rc < 0; i++) {
		if (!(md = pcre2_match_data_create(1, NULL)))
			break;
		rc = pcre2_match(s->root->pprops[i].pat->re, (PCRE2_SPTR)name, strlen(name), 0, 0,
				 md, mc);
		pcre2_match_data_free(md);
	}
	pcre2_match_context_free(mc);
	return rc >= 0;
}
