/*
 * schema_validate.c - validates front-matter against a compiled schema
 * (schema.h, reference §4.9).
 *
 * Validating walks the compiled tree over a document's value tree: failing
 * keywords append findings; the alternatives of anyOf, oneOf, not, the `if`
 * schema, contains and propertyNames are evaluated silently (only their
 * verdict counts), except that a pattern hitting its match limit is always
 * reported as schema.invalid. Where a schema has unevaluatedProperties or
 * unevaluatedItems, the fields or items that its keywords and its in-place
 * subschemas evaluated are collected as a bit set (annotations of subschemas
 * that failed are dropped). A step budget (each pattern matched once per
 * value, however often the schema reaches it), a depth cap and a cap on
 * findings per document keep any schema (a fuzzer's too) from running away.
 */
#include "i18n.h"
#include "schema_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "error.h"
#include "i18n.h"
#include "ime.h"
#include "text.h"

/* ---- validating -------------------------------------------------------- */

/* No keyword: a `false` schema reached directly (check_false). */
#define NO_RULE DC_R_COUNT_

typedef struct {
	const dc_schema *s;
	const char *file;
	const char *id;
	const dc_node *root;
	const dc_mark *open;
	dc_diags *diags;
	dc_buf path;
	int silent;   /* only the verdict counts (alternatives, `if`) */
	dc_rule_id false_rule;  /* who reached a `false` schema (check_false), or NO_RULE */
	const dc_node *nomemo;  /* a field name copied as a string: its address is not its own */
	const dc_mark *false_at;
	int aborted;  /* the step budget, depth cap or MAX_FINDINGS ran out */
	unsigned depth;
	size_t steps;
	pcre2_match_context *mctx;
	pcre2_match_data *md;
	struct memo {
		const void *n;
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

static int report(vctx *v, const char *file, const dc_mark *m, dc_rule_id rule,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int report(vctx *v, const char *file, const dc_mark *m, dc_rule_id rule,
		  const char *fmt, ...)
{
	va_list ap;
	int r;

	if (v->aborted)
		return 1; /* what follows a cut-off evaluation is noise */
	if (++v->findings >= MAX_FINDINGS)
		v->aborted = 1; /* enough said about one document */
	va_start(ap, fmt);
	r = dc_diags_vadd(v->diags, file, m->line, m->col, rule,
			  rule != DC_R_SCHEMA_INVALID ? v->id : NULL, fmt, ap);
	va_end(ap);
	return r < 0 ? -1 : 1;
}

/* A document finding with the value rendered after the subject:
 * `<path> <value><rest>`, rest formatted from fmt. Returns 1 (failed) or -1. */
static int report_value(vctx *v, const dc_node *inst, dc_rule_id rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int report_value(vctx *v, const dc_node *inst, dc_rule_id rule, const char *fmt, ...)
{
	dc_buf val = DC_BUF_INIT, rest = DC_BUF_INIT;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = dc_buf_vprintf(&rest, fmt, ap);
	va_end(ap);
	if (r == 0)
		r = sch_put_value(&val, inst);
	if (r == 0)
		r = report(v, v->file, &inst->start, rule, _("%s %s%s"), subject(v), val.ptr, rest.ptr);
	dc_buf_dispose(&val);
	dc_buf_dispose(&rest);
	return r < 0 ? -1 : 1;
}

/* The path of a field of the current value: `approval.by`. */
static int field_path(const vctx *v, dc_buf *b, const char *name, size_t len)
{
	if (v->path.len && (dc_buf_put(b, v->path.ptr, v->path.len) < 0 || dc_buf_putc(b, '.') < 0))
		return -1;
	return sch_put_text(b, name, len, 0);
}

/* The fields of an object (by pair index) or the items of an array that
 * some keyword evaluated: the annotations unevaluatedProperties and
 * unevaluatedItems read (reference §4.9). */
typedef struct {
	size_t n;
	uint64_t *w;
	uint64_t one; /* the bits of up to 64 fields or items */
} ann;

static int ann_init(ann *a, size_t n)
{
	a->n = n;
	a->one = 0;
	if (n <= 64) {
		a->w = &a->one;
		return 0;
	}
	if (!(a->w = calloc((n + 63) / 64, sizeof(uint64_t))))
		return dc_error_oom();
	return 0;
}

static void ann_dispose(ann *a)
{
	if (a->w != &a->one)
		free(a->w);
}

static void ann_set(ann *a, size_t i)
{
	if (a)
		a->w[i / 64] |= 1ull << (i % 64);
}

static int ann_has(const ann *a, size_t i)
{
	return (a->w[i / 64] >> (i % 64)) & 1;
}

static void ann_merge(ann *to, const ann *from)
{
	size_t i;

	if (to)
		for (i = 0; i < (from->n + 63) / 64; i++)
			to->w[i] |= from->w[i];
}

static size_t children(const dc_node *inst)
{
	return inst->kind == DC_NODE_MAP ? inst->u.map.n : inst->kind == DC_NODE_SEQ ?
	       inst->u.seq.n : 0;
}

static int eval(vctx *v, const snode *n, const dc_node *inst, const dc_node *key, ann *a);

/* Evaluates `n` on a field or item: `rule` names the keyword that applies
 * it should `n` be `false`. */
static int eval_child(vctx *v, const snode *n, const dc_node *inst, const dc_node *key,
		      dc_rule_id rule, const dc_mark *at)
{
	dc_rule_id saved = v->false_rule;
	const dc_mark *saved_at = v->false_at;
	int r;

	v->false_rule = rule;
	v->false_at = at;
	r = eval(v, n, inst, key, NULL);
	v->false_rule = saved;
	v->false_at = saved_at;
	return r;
}

static unsigned type_bits(const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_NULL: return T_NULL;
	case DC_NODE_BOOL: return T_BOOL;
	case DC_NODE_INT: return T_INT | T_NUM;
	case DC_NODE_FLOAT: return T_NUM | (sch_is_integral(n->u.f) ? T_INT : 0);
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
		return dc_buf_puts(out, _("; write a list in brackets: [")) < 0 || sch_put_text(out, inst->text, inst->len, 0) < 0 ||
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
			r = dc_buf_puts(&want, i + 1 == n->ntypes ? _(" or ") : ", ");
		if (r == 0)
			r = dc_buf_puts(&want, sch_with_article(sch_type_names[n->type_order[i]]));
	}
	if (r == 0)
		r = advice(&hint, inst, (n->types & T_ARR) != 0);
	if (r == 0)
		r = report(v, v->file, &inst->start, DC_R_SCHEMA_TYPE, _("%s must be %s, not %s%s"),
			   subject(v), want.ptr, sch_kind_article(inst->kind), hint.len ? hint.ptr : "");
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
		if (sch_value_equal(inst, n->enums[i]))
			return 0;
	if (v->silent)
		return 1;
	if (!n->nenums)
		return report_value(v, inst, DC_R_SCHEMA_ENUM, _(" is not allowed: the schema's enum "
				    "lists no values, so nothing matches it"));
	r = dc_buf_puts(&rest, _(" is not one of "));
	for (i = 0; i < n->nenums && i < MAX_ENUM_SHOWN && r == 0; i++) {
		if (i)
			r = dc_buf_puts(&rest, ", ");
		if (r == 0)
			r = sch_put_plain(&rest, n->enums[i]);
	}
	if (r == 0 && n->nenums > MAX_ENUM_SHOWN)
		r = dc_buf_printf(&rest, _(", ... (%zu values; see the schema)"), n->nenums);
	if (r == 0)
		r = advice(&rest, inst, 0);
	if (r == 0)
		r = report_value(v, inst, DC_R_SCHEMA_ENUM, "%s", rest.ptr);
	dc_buf_dispose(&rest);
	return r;
}

static int check_const(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf want = DC_BUF_INIT, got = DC_BUF_INIT;
	int r;

	if (sch_value_equal(inst, n->konst))
		return 0;
	if (v->silent)
		return 1;
	r = sch_put_value(&want, n->konst);
	if (r == 0)
		r = sch_put_value(&got, inst);
	if (r == 0)
		r = report(v, v->file, &inst->start, DC_R_SCHEMA_CONST, _("%s must be %s, not %s"),
			   subject(v), want.ptr, got.ptr);
	dc_buf_dispose(&want);
	dc_buf_dispose(&got);
	return r;
}

enum { MATCHED = 1, NO_MATCH, MATCH_LIMIT_HIT, MATCH_ERROR };

static size_t memo_slot(const vctx *v, const void *n, const dc_node *inst)
{
	uint64_t h = ((uint64_t)(uintptr_t)n * 31 + (uint64_t)(uintptr_t)inst) * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h >> 20) & (v->memo_cap - 1);

	while (v->memo[i].n && (v->memo[i].n != n || v->memo[i].inst != inst))
		i = (i + 1) & (v->memo_cap - 1);
	return i;
}

static int memo_put(vctx *v, const void *n, const dc_node *inst, int result)
{
	size_t i;

	if (2 * (v->memo_n + 1) > v->memo_cap) {
		struct memo *old = v->memo;
		size_t old_cap = v->memo_cap;

		v->memo_cap = old_cap ? old_cap * 2 : 64;
		if (!(v->memo = calloc(v->memo_cap, sizeof(*v->memo)))) {
			v->memo = old;
			v->memo_cap = old_cap;
			return dc_error_oom();
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

/* Matches the pattern `sp` against the string `subj`: a value, once per pair
 * however often the schema reaches it, or (`name`) a field name for
 * patternProperties, each time (cheaper than remembering it). Returns 0
 * (matches), 1 (does not), 2 (a limit or an error, reported once: never a
 * pass) or -1. */
static int match(vctx *v, const spat *sp, const dc_node *subj, int name)
{
	dc_buf pat = DC_BUF_INIT;
	int rc = 0, result, r;
	size_t slot;

	if (subj != v->nomemo && v->memo_cap && v->memo[slot = memo_slot(v, sp, subj)].n) {
		result = v->memo[slot].result;
		return result == MATCHED ? 0 : result == NO_MATCH ? 1 : 2;
	}
	if (!v->mctx) {
		if (!(v->mctx = pcre2_match_context_create(NULL)))
			return dc_error_oom();
		pcre2_set_match_limit(v->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(v->mctx, MATCH_DEPTH_LIMIT);
		pcre2_set_heap_limit(v->mctx, MATCH_HEAP_LIMIT);
	}
	if (!v->md && !(v->md = pcre2_match_data_create(1, NULL)))
		return dc_error_oom();
	v->steps += PATTERN_STEPS;
	rc = pcre2_match(sp->re, (PCRE2_SPTR)subj->text, subj->len, 0, 0, v->md, v->mctx);
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT) /* the interpreter has larger limits */
		rc = pcre2_match(sp->re, (PCRE2_SPTR)subj->text, subj->len, 0, PCRE2_NO_JIT, v->md,
				 v->mctx);
	if (rc == PCRE2_ERROR_NOMEMORY)
		return dc_error_set(_("out of memory matching a pattern"));
	result = rc >= 0 ? MATCHED : rc == PCRE2_ERROR_NOMATCH ? NO_MATCH :
		 rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
		 rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ?
		 MATCH_LIMIT_HIT : MATCH_ERROR;
	/* a field name is matched once per schema that reaches it anyway: only
	 * a limit is remembered, to be reported once */
	if (subj != v->nomemo && (!name || result >= MATCH_LIMIT_HIT) &&
	    memo_put(v, sp, subj, result) < 0)
		return -1;
	if (result == MATCHED || result == NO_MATCH)
		return result == MATCHED ? 0 : 1;
	/* reported even when silent: the verdict is unknown, never a pass */
	r = sch_put_text(&pat, sp->text, sp->len, 1);
	if (r == 0 && result == MATCH_LIMIT_HIT) {
		r = report(v, v->s->file, &sp->mark, DC_R_SCHEMA_INVALID,
			   _("pattern %s hit the match limit on %s%s; simplify the pattern"),
			   pat.ptr, v->path.len ? "field " : "", subject(v));
	} else if (r == 0) {
		PCRE2_UCHAR why[256];

		if (pcre2_get_error_message(rc, why, sizeof(why)) < 0)
			strcpy((char *)why, "unknown error");
		r = report(v, v->file, &subj->start, DC_R_INTERNAL_ERROR,
			   _("cannot match %s against the pattern %s: %s"), subject(v), pat.ptr,
			   (char *)why);
	}
	dc_buf_dispose(&pat);
	return r < 0 ? -1 : 2;
}

static int check_pattern(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf pat = DC_BUF_INIT;
	int r = match(v, n->pat, inst, 0);

	if (r != 1)
		return r == 2 ? 1 : r;
	if (v->silent)
		return 1;
	r = sch_put_text(&pat, n->pat->text, n->pat->len, 1);
	if (r == 0)
		r = report_value(v, inst, DC_R_SCHEMA_PATTERN, _(" does not match the pattern %s"), pat.ptr);
	dc_buf_dispose(&pat);
	return r;
}

/* Whether count misses the bounds min and max (-1: none): 0 when it is
 * within them, else 1 with the bound it misses in *bound and *is_min. */
static int out_of_bounds(uint64_t count, int64_t min, int64_t max, int *is_min, int64_t *bound)
{
	if (min >= 0 && count < (uint64_t)min)
		*is_min = 1;
	else if (max >= 0 && count > (uint64_t)max)
		*is_min = 0;
	else
		return 0;
	*bound = *is_min ? min : max;
	return 1;
}

static int check_length(vctx *v, const snode *n, const dc_node *inst)
{
	size_t cps = dc_utf8_count(inst->text, inst->len);
	int is_min;
	int64_t bound;

	if (!out_of_bounds(cps, n->min_len, n->max_len, &is_min, &bound))
		return 0;
	if (v->silent)
		return 1;
	return report_value(v, inst, is_min ? DC_R_SCHEMA_MIN_LENGTH : DC_R_SCHEMA_MAX_LENGTH,
			    _(" has %zu character%s; it must have at %s %" PRId64),
			    cps, cps == 1 ? "" : "s", is_min ? _("least") : _("most"), bound);
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
	return report_value(v, inst, DC_R_SCHEMA_FORMAT, n->format == FMT_DATE ?
			    _(" is not a valid date (YYYY-MM-DD)") :
			    _(" is not a valid duration (ISO 8601 like P1Y, P6M, P2W or P90D)"));
}

static int check_bound(vctx *v, const dc_node *bound, const dc_node *inst, int is_min)
{
	dc_buf lim = DC_BUF_INIT;
	int unordered, c = sch_num_cmp(inst, bound, &unordered), r;

	if (!unordered && (is_min ? c >= 0 : c <= 0))
		return 0;
	if (v->silent)
		return 1;
	r = sch_put_scalar(&lim, bound);
	if (r == 0)
		r = report_value(v, inst, is_min ? DC_R_SCHEMA_MINIMUM : DC_R_SCHEMA_MAXIMUM,
				  unordered ? _(" is not a number that can be compared with the %s %s") :
				  _(" is %s than the %s %s"),
				  unordered ? (is_min ? "minimum" : "maximum") : (is_min ? _("less") : _("greater")),
				  unordered ? lim.ptr : (is_min ? "minimum" : "maximum"),
				  unordered ? "" : lim.ptr);
	dc_buf_dispose(&lim);
	return r;
}

static int check_exclusive(vctx *v, const dc_node *bound, const dc_node *inst, int is_min)
{
	dc_buf lim = DC_BUF_INIT;
	int unordered, c = sch_num_cmp(inst, bound, &unordered), r;

	if (!unordered && (is_min ? c > 0 : c < 0))
		return 0;
	if (v->silent)
		return 1;
	r = sch_put_scalar(&lim, bound);
	if (r == 0)
		r = report_value(v, inst, is_min ? DC_R_SCHEMA_EXCLUSIVE_MINIMUM : DC_R_SCHEMA_EXCLUSIVE_MAXIMUM,
				  _(" must be %s than %s (exclusive%s)"), is_min ? _("greater") : _("less"),
				  lim.ptr, is_min ? "Minimum" : "Maximum");
	dc_buf_dispose(&lim);
	return r;
}

static int is_multiple(const dc_node *inst, const dc_node *m)
{
	double x, y, q;

	if (inst->kind == DC_NODE_INT && m->kind == DC_NODE_INT)
		return inst->u.i % m->u.i == 0;
	x = inst->kind == DC_NODE_INT ? (double)inst->u.i : inst->u.f;
	y = m->kind == DC_NODE_INT ? (double)m->u.i : m->u.f;
	if (!isfinite(x))
		return 0;
	q = x / y;
	if (!isfinite(q))
		return 0;
	/* 0.0075 / 0.0001 is 74.99999999999999 in binary floating point */
	return fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
}

static int check_multiple(vctx *v, const snode *n, const dc_node *inst)
{
	dc_buf m = DC_BUF_INIT;
	int r;

	if (is_multiple(inst, n->multiple))
		return 0;
	if (v->silent)
		return 1;
	r = sch_put_scalar(&m, n->multiple);
	if (r == 0)
		r = report_value(v, inst, DC_R_SCHEMA_MULTIPLE_OF, _(" is not a multiple of %s"), m.ptr);
	dc_buf_dispose(&m);
	return r;
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
	hashed *hs;

	if (n < 2)
		return 0;
	if (!(hs = malloc(n * sizeof(*hs))))
		return dc_error_oom();
	for (i = 0; i < n; i++) {
		hs[i].h = sch_value_hash(inst->u.seq.items[i]);
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
				if (sch_value_equal(inst->u.seq.items[hs[q].i], inst->u.seq.items[hs[k].i])) {
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
	return report_value(v, inst->u.seq.items[dup], DC_R_SCHEMA_UNIQUE_ITEMS,
			    _(" at %s[%zu] repeats %s[%zu]; remove the duplicate"), subject(v), dup, subject(v), first);
}

static int check_contains(vctx *v, const snode *n, const dc_node *inst, ann *a)
{
	size_t count = inst->u.seq.n, i, found = 0, len = v->path.len;
	int64_t min = n->min_contains >= 0 ? n->min_contains : 1;
	dc_rule_id rule;
	int r;

	for (i = 0; i < count && !v->aborted; i++) {
		int saved = v->silent;

		if (dc_buf_printf(&v->path, "[%zu]", i) < 0)
			return -1;
		v->silent = 1;
		r = eval_child(v, n->contains, inst->u.seq.items[i], NULL, NO_RULE, NULL);
		v->silent = saved;
		dc_buf_truncate(&v->path, len);
		if (r < 0)
			return -1;
		if (!r) {
			found++;
			ann_set(a, i);
		}
	}
	if ((uint64_t)min <= found && (n->max_contains < 0 || found <= (uint64_t)n->max_contains))
		return 0;
	if (v->silent)
		return 1;
	if (found < (uint64_t)min) {
		rule = n->min_contains >= 0 ? DC_R_SCHEMA_MIN_CONTAINS : DC_R_SCHEMA_CONTAINS;
		if (!found)
			return report(v, v->file, &inst->start, rule, _("%s has no item that matches the "
				      "schema's contains (at %s:%u); add one"), subject(v), v->s->file,
				      n->contains_mark.line);
		return report(v, v->file, &inst->start, rule, _("%s has %zu item%s that match%s the "
			      "schema's contains (at %s:%u); it must have at least %" PRId64),
			      subject(v), found, found == 1 ? "" : "s", found == 1 ? "es" : "",
			      v->s->file, n->contains_mark.line, min);
	}
	return report(v, v->file, &inst->start, DC_R_SCHEMA_MAX_CONTAINS, _("%s has %zu items that "
		      "match the schema's contains (at %s:%u); it must have at most %" PRId64),
		      subject(v), found, v->s->file, n->contains_mark.line, n->max_contains);
}

static int check_array(vctx *v, const snode *n, const dc_node *inst, ann *a)
{
	size_t count = inst->u.seq.n, i, len = v->path.len;
	int failed = 0, r;

	if (n->min_items >= 0 && count < (uint64_t)n->min_items) {
		if (v->silent)
			return 1;
		if (report(v, v->file, &inst->start, DC_R_SCHEMA_MIN_ITEMS, _("%s has %zu item%s; it "
			   "must have at least %" PRId64), subject(v), count, count == 1 ? "" : "s",
			   n->min_items) < 0)
			return -1;
		failed = 1;
	}
	if (n->max_items >= 0 && count > (uint64_t)n->max_items) {
		if (v->silent)
			return 1;
		if (report(v, v->file, &inst->start, DC_R_SCHEMA_MAX_ITEMS, _("%s has %zu items; it "
			   "must have at most %" PRId64), subject(v), count, n->max_items) < 0)
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
	for (i = 0; i < count && !v->aborted; i++) {
		const snode *sub = i < n->prefix.n ? n->prefix.v[i] : n->items;

		if (!sub)
			continue;
		ann_set(a, i);
		if (dc_buf_printf(&v->path, "[%zu]", i) < 0)
			return -1;
		r = eval_child(v, sub, inst->u.seq.items[i], NULL, NO_RULE, NULL);
		dc_buf_truncate(&v->path, len);
		if (r < 0)
			return -1;
		if (r && v->silent)
			return 1;
		failed |= r;
	}
	if (n->contains) {
		if ((r = check_contains(v, n, inst, a)) < 0)
			return -1;
		failed |= r;
	}
	return failed;
}

static int has_field(const dc_node *inst, const char *name, size_t len)
{
	size_t k;

	for (k = 0; k < inst->u.map.n; k++)
		if (inst->u.map.pairs[k].key->len == len &&
		    !memcmp(inst->u.map.pairs[k].key->text, name, len))
			return 1;
	return 0;
}

static int check_counts(vctx *v, const snode *n, const dc_node *inst)
{
	size_t count = inst->u.map.n;
	const dc_mark *m = inst == v->root && v->open ? v->open : &inst->start;
	int is_min;
	int64_t bound;

	if (!out_of_bounds(count, n->min_props, n->max_props, &is_min, &bound))
		return 0;
	if (v->silent)
		return 1;
	return report(v, v->file, m, is_min ? DC_R_SCHEMA_MIN_PROPERTIES : DC_R_SCHEMA_MAX_PROPERTIES,
		      _("%s has %zu field%s; it must have at %s %" PRId64), subject(v), count,
		      count == 1 ? "" : "s", is_min ? _("least") : _("most"), bound);
}

static int check_dependent_required(vctx *v, const snode *n, const dc_node *inst)
{
	size_t i, k, q;
	int failed = 0, r;

	for (i = 0; i < n->ndreq; i++) {
		const sdepreq *d = &n->dreq[i];

		for (q = 0; q < inst->u.map.n; q++)
			if (inst->u.map.pairs[q].key->len == d->len &&
			    !memcmp(inst->u.map.pairs[q].key->text, d->name, d->len))
				break;
		if (q == inst->u.map.n)
			continue;
		for (k = 0; k < d->nneeds; k++) {
			dc_buf p = DC_BUF_INIT, t = DC_BUF_INIT;

			if (has_field(inst, d->needs[k].name, d->needs[k].len))
				continue;
			if (v->silent)
				return 1;
			r = field_path(v, &p, d->needs[k].name, d->needs[k].len);
			if (r == 0)
				r = field_path(v, &t, d->name, d->len);
			if (r == 0)
				r = report(v, v->file, &inst->u.map.pairs[q].key->start,
					   DC_R_SCHEMA_DEPENDENT_REQUIRED, _("missing field \"%s\", which the "
					   "schema requires when \"%s\" is present; add it or remove "
					   "\"%s\""), p.ptr, t.ptr, t.ptr);
			dc_buf_dispose(&p);
			dc_buf_dispose(&t);
			if (r < 0)
				return -1;
			failed = 1;
		}
	}
	return failed;
}

/* A field's name as a string node: a name is a string, whatever YAML made
 * of it (a number, a boolean, null); `tmp` holds the copy when it is not. */
static const dc_node *name_as_string(const dc_node *key, dc_node *tmp)
{
	if (key->kind == DC_NODE_STR && key->text)
		return key;
	*tmp = *key;
	tmp->kind = DC_NODE_STR;
	if (!tmp->text) {
		tmp->text = "";
		tmp->len = 0;
	}
	return tmp;
}

static int check_property_names(vctx *v, const snode *n, const dc_node *inst)
{
	size_t i;
	int failed = 0, r;

	for (i = 0; i < inst->u.map.n && !v->aborted; i++) {
		const dc_node *key = inst->u.map.pairs[i].key, *subj;
		dc_node name;
		dc_buf p = DC_BUF_INIT;
		int saved = v->silent;

		subj = name_as_string(key, &name);
		v->silent = 1;
		v->nomemo = subj == key ? NULL : subj;
		r = eval_child(v, n->prop_names, subj, NULL, NO_RULE, NULL);
		v->nomemo = NULL;
		v->silent = saved;
		if (r <= 0) {
			if (r < 0)
				return -1;
			continue;
		}
		if (v->silent)
			return 1;
		r = field_path(v, &p, key->text, key->len);
		if (r == 0)
			r = report(v, v->file, &key->start, DC_R_SCHEMA_PROPERTY_NAMES, _("field name \"%s\" "
				   "is not allowed by the schema's propertyNames (at %s:%u); rename "
				   "the field"), p.ptr, v->s->file, n->prop_names_mark.line);
		dc_buf_dispose(&p);
		if (r < 0)
			return -1;
		failed = 1;
	}
	return failed;
}

static int report_not_allowed(vctx *v, const dc_pair *pair)
{
	dc_buf p = DC_BUF_INIT;
	int r;

	r = field_path(v, &p, pair->key->text, pair->key->len);
	if (r == 0)
		r = report(v, v->file, &pair->key->start, DC_R_SCHEMA_ADDITIONAL_PROPERTIES,
			   _("field \"%s\" is not allowed by the schema; remove it or "
			   "declare it in %s"), p.ptr, v->s->file);
	dc_buf_dispose(&p);
	return r;
}

/* Evaluates `sub` on the field `pair` (the path extended by its name). */
static int eval_field(vctx *v, const snode *sub, const dc_pair *pair, dc_rule_id rule,
		      const dc_mark *at)
{
	size_t len = v->path.len;
	int r;

	if ((len && dc_buf_putc(&v->path, '.') < 0) ||
	    sch_put_text(&v->path, pair->key->text, pair->key->len, 0) < 0)
		return -1;
	r = eval_child(v, sub, pair->value, pair->key, rule, at);
	dc_buf_truncate(&v->path, len);
	return r;
}

/* One check in a function that keeps `int failed, r`: an error returns -1;
 * a failure returns 1 at once when silent (the caller only asks whether it
 * passes), else it is remembered in `failed` and the next check runs. */
#define CHECK(call) do { \
		if ((r = (call)) < 0) \
			return -1; \
		if (r && v->silent) \
			return 1; \
		failed |= r; \
	} while (0)

static int check_object(vctx *v, const snode *n, const dc_node *inst, ann *a)
{
	size_t i, k;
	int failed = 0, r;

	for (i = 0; i < n->nrequired; i++) {
		const sname *f = &n->required[i];
		const dc_mark *m = inst == v->root && v->open ? v->open : &inst->start;
		dc_buf p = DC_BUF_INIT;

		if (has_field(inst, f->name, f->len))
			continue;
		if (v->silent)
			return 1;
		r = field_path(v, &p, f->name, f->len);
		if (r == 0)
			r = report(v, v->file, m, DC_R_SCHEMA_REQUIRED, _("missing required field \"%s\""),
				   p.ptr);
		dc_buf_dispose(&p);
		if (r < 0)
			return -1;
		failed = 1;
	}
	if (n->min_props >= 0 || n->max_props >= 0)
		CHECK(check_counts(v, n, inst));
	if (n->ndreq)
		CHECK(check_dependent_required(v, n, inst));
	if (n->prop_names)
		CHECK(check_property_names(v, n, inst));
	for (i = 0; i < inst->u.map.n && !v->aborted; i++) {
		const dc_pair *pair = &inst->u.map.pairs[i];
		const sprop *sp = n->nprops ? sch_find_prop(n, pair->key->text, pair->key->len) : NULL;
		int declared = sp != NULL;

		if (sp)
			CHECK(eval_field(v, sp->schema, pair, NO_RULE, NULL));
		for (k = 0; k < n->npprops && !v->aborted; k++) {
			dc_node str;
			const dc_node *name = name_as_string(pair->key, &str);

			v->nomemo = name == pair->key ? NULL : name;
			r = match(v, n->pprops[k].pat, name, 1);
			v->nomemo = NULL;
			if (r < 0)
				return -1;
			if (r == 2) {
				CHECK(1);
				continue;
			}
			if (r == 1)
				continue;
			declared = 1;
			CHECK(eval_field(v, n->pprops[k].schema, pair, DC_R_SCHEMA_PATTERN_PROPERTIES,
					 &n->pprops[k].pat->mark));
		}
		if (!declared && n->addl == ADDL_FALSE) {
			if (v->silent)
				return 1;
			if (report_not_allowed(v, pair) < 0)
				return -1;
			failed = 1;
			continue;
		}
		if (!declared && n->addl == ADDL_SCHEMA)
			CHECK(eval_field(v, n->addl_schema, pair, NO_RULE, NULL));
		if (declared || n->addl != ADDL_NONE)
			ann_set(a, i);
	}
	return failed;
}

/* unevaluatedProperties and unevaluatedItems: the fields or items no other
 * keyword of this schema (and of the subschemas applied in place that
 * passed) evaluated. */
static int check_unevaluated(vctx *v, const snode *n, const dc_node *inst, ann *a)
{
	size_t i, len = v->path.len;
	int failed = 0, r;

	for (i = 0; i < a->n && !v->aborted; i++) {
		if (ann_has(a, i))
			continue;
		if (inst->kind == DC_NODE_MAP) {
			r = eval_field(v, n->uneval_props, &inst->u.map.pairs[i],
				       DC_R_SCHEMA_UNEVALUATED_PROPERTIES, &n->uneval_props_mark);
		} else {
			if (dc_buf_printf(&v->path, "[%zu]", i) < 0)
				return -1;
			r = eval_child(v, n->uneval_items, inst->u.seq.items[i], NULL,
				       DC_R_SCHEMA_UNEVALUATED_ITEMS, &n->uneval_items_mark);
			dc_buf_truncate(&v->path, len);
		}
		if (r < 0)
			return -1;
		if (r && v->silent)
			return 1;
		failed |= r;
		ann_set(a, i);
	}
	return failed;
}

/* Evaluates `n` silently; returns 0 (passes), 1 (fails) or -1. */
static int quietly(vctx *v, const snode *n, const dc_node *inst, const dc_node *key, ann *a)
{
	int saved = v->silent, r;

	v->silent = 1;
	r = eval(v, n, inst, key, a);
	v->silent = saved;
	return r;
}

/* The same, collecting annotations into `into` (when it is not NULL) only
 * when `n` passes. */
static int quietly_ann(vctx *v, const snode *n, const dc_node *inst, const dc_node *key,
		       ann *into)
{
	ann t;
	int r;

	if (!into)
		return quietly(v, n, inst, key, NULL);
	if (ann_init(&t, into->n) < 0)
		return -1;
	r = quietly(v, n, inst, key, &t);
	if (r == 0)
		ann_merge(into, &t);
	ann_dispose(&t);
	return r;
}

static int report_alternatives(vctx *v, const dc_node *inst, dc_rule_id rule,
			       const char *what, const dc_mark *at)
{
	return report(v, v->file, &inst->start, rule, _("%s %s (%s at %s:%u); change the value "
		      "to fit one of the schema's alternatives"), subject(v), what,
		      dc_rules[rule].name + strlen("schema."), v->s->file, at->line);
}

static int check_combinators(vctx *v, const snode *n, const dc_node *inst, const dc_node *key,
			     ann *a)
{
	size_t i, passed;
	int failed = 0, r;

	for (i = 0; i < n->all.n; i++) {
		if ((r = eval(v, n->all.v[i], inst, key, a)) < 0)
			return -1;
		if (r && v->silent)
			return 1;
		failed |= r;
	}
	if (n->any.n) {
		/* with annotations to collect, every alternative counts */
		for (i = 0, passed = 0; i < n->any.n && (!passed || a); i++) {
			if ((r = quietly_ann(v, n->any.v[i], inst, key, a)) < 0)
				return -1;
			passed += !r;
		}
		if (!passed) {
			if (v->silent)
				return 1;
			if (report_alternatives(v, inst, DC_R_SCHEMA_ANY_OF, _("matches none of the "
						"alternatives"), &n->any.mark) < 0)
				return -1;
			failed = 1;
		}
	}
	if (n->one.n) {
		for (i = 0, passed = 0; i < n->one.n && passed < 2; i++) {
			if ((r = quietly_ann(v, n->one.v[i], inst, key, a)) < 0)
				return -1;
			passed += !r;
		}
		if (passed != 1) {
			if (v->silent)
				return 1;
			if (report_alternatives(v, inst, DC_R_SCHEMA_ONE_OF, passed ? _("matches more "
						"than one of the alternatives, but must match exactly one") :
						_("matches none of the alternatives"), &n->one.mark) < 0)
				return -1;
			failed = 1;
		}
	}
	if (n->not_) {
		if ((r = quietly(v, n->not_, inst, key, NULL)) < 0)
			return -1;
		if (!r) {
			if (v->silent)
				return 1;
			if (report(v, v->file, &inst->start, DC_R_SCHEMA_NOT, _("%s matches a schema it "
				   "must not match (not at %s:%u); change the value"), subject(v),
				   v->s->file, n->not_mark.line) < 0)
				return -1;
			failed = 1;
		}
	}
	if (n->if_ && (n->then_ || n->else_ || a)) {
		const snode *branch;

		/* `if` alone changes no verdict, but its annotations count */
		if ((r = quietly_ann(v, n->if_, inst, key, a)) < 0)
			return -1;
		branch = r ? n->else_ : n->then_;
		if (branch) {
			if ((r = eval(v, branch, inst, key, a)) < 0)
				return -1;
			if (r && v->silent)
				return 1;
			failed |= r;
		}
	}
	if (inst->kind == DC_NODE_MAP) {
		for (i = 0; i < n->ndschemas && !v->aborted; i++) {
			if (!has_field(inst, n->dschemas[i].name, n->dschemas[i].len))
				continue;
			if ((r = eval(v, n->dschemas[i].schema, inst, key, a)) < 0)
				return -1;
			if (r && v->silent)
				return 1;
			failed |= r;
		}
	}
	return failed;
}

/* The `false` schema: nothing is allowed. */
static int check_false(vctx *v, const snode *n, const dc_node *inst, const dc_node *key)
{
	dc_rule_id rule = v->false_rule;

	if (v->silent)
		return 1;
	if (rule == DC_R_SCHEMA_PATTERN_PROPERTIES && key)
		return report(v, v->file, &key->start, rule, _("field \"%s\" is not allowed by the "
			      "schema (its name matches the patternProperties at %s:%u, whose "
			      "schema is false); remove or rename it"), subject(v), v->s->file,
			      v->false_at->line);
	if (rule == DC_R_SCHEMA_UNEVALUATED_PROPERTIES && key)
		return report(v, v->file, &key->start, rule, _("field \"%s\" is not allowed by the "
			      "schema: nothing in it declares the field (unevaluatedProperties at "
			      "%s:%u); remove it or declare it in %s"), subject(v), v->s->file,
			      v->false_at->line, v->s->file);
	if (rule == DC_R_SCHEMA_UNEVALUATED_ITEMS)
		return report(v, v->file, &inst->start, rule, _("%s is not allowed by the schema: "
			      "nothing in it covers this item (unevaluatedItems at %s:%u); remove "
			      "it"), subject(v), v->s->file, v->false_at->line);
	if (key)
		return report(v, v->file, &key->start, DC_R_SCHEMA_ADDITIONAL_PROPERTIES,
			      _("field \"%s\" is not allowed by the schema; remove it"), subject(v));
	return report(v, v->file, &inst->start, DC_R_SCHEMA_NOT, _("%s is not allowed here (the "
		      "schema at %s:%u is false); remove it"), subject(v), v->s->file, n->mark.line);
}

static int eval_keywords(vctx *v, const snode *n, const dc_node *inst, const dc_node *key,
			 ann *a)
{
	int failed = 0, r;

	if (n->boolean == 1)
		return 0;
	if (n->boolean == 0)
		return check_false(v, n, inst, key);
	if (n->ref)
		CHECK(eval(v, n->ref, inst, key, a));
	if (n->types)
		CHECK(check_type(v, n, inst));
	if (n->has_enum)
		CHECK(check_enum(v, n, inst));
	if (n->konst)
		CHECK(check_const(v, n, inst));
	if (inst->kind == DC_NODE_STR) {
		if (n->pat)
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
		if (n->xminimum)
			CHECK(check_exclusive(v, n->xminimum, inst, 1));
		if (n->xmaximum)
			CHECK(check_exclusive(v, n->xmaximum, inst, 0));
		if (n->multiple)
			CHECK(check_multiple(v, n, inst));
	}
	if (inst->kind == DC_NODE_SEQ)
		CHECK(check_array(v, n, inst, a));
	if (inst->kind == DC_NODE_MAP)
		CHECK(check_object(v, n, inst, a));
	CHECK(check_combinators(v, n, inst, key, a));
	if ((inst->kind == DC_NODE_MAP && n->uneval_props) ||
	    (inst->kind == DC_NODE_SEQ && n->uneval_items))
		CHECK(check_unevaluated(v, n, inst, a));
	return failed;
}

/* Evaluates `n` on `inst`; `a` (or NULL) collects the fields or items that
 * were evaluated. A schema with unevaluated* collects its own (its parent's
 * siblings do not count), and passes them on when it is done. */
static int eval(vctx *v, const snode *n, const dc_node *inst, const dc_node *key, ann *a)
{
	ann own;
	int r;

	if (v->aborted)
		return 1;
	if (++v->steps > MAX_STEPS || v->depth >= MAX_EVAL_DEPTH) {
		r = report(v, v->s->file, &n->mark, DC_R_SCHEMA_INVALID, v->depth >= MAX_EVAL_DEPTH ?
			   _("the schema nests more than %d evaluations deep to check %s; simplify it") :
			   _("the schema needs more than %d steps to check %s; simplify it"),
			   v->depth >= MAX_EVAL_DEPTH ? MAX_EVAL_DEPTH : MAX_STEPS, subject(v));
		v->aborted = 1;
		return r < 0 ? -1 : 1;
	}
	v->depth++;
	if ((inst->kind == DC_NODE_MAP && n->uneval_props) ||
	    (inst->kind == DC_NODE_SEQ && n->uneval_items)) {
		r = ann_init(&own, children(inst));
		if (r == 0)
			r = eval_keywords(v, n, inst, key, &own);
		if (r == 0)
			ann_merge(a, &own);
		ann_dispose(&own);
	} else {
		r = eval_keywords(v, n, inst, key, a);
	}
	v->depth--;
	return r;
}

int dc_schema_validate(const dc_schema *s, const dc_node *instance, const char *file,
		       const dc_mark *open, dc_diags *diags)
{
	vctx v;
	int r;

	if (!s || !instance)
		return dc_error_set(_("no schema or no document to validate"));
	memset(&v, 0, sizeof(v));
	v.s = s;
	v.file = file ? file : "";
	v.id = dc_node_get_str(instance, "id");
	v.root = instance;
	v.open = open;
	v.diags = diags;
	v.false_rule = NO_RULE;
	dc_buf_init(&v.path);
	r = eval(&v, s->root, instance, NULL, NULL);
	dc_buf_dispose(&v.path);
	pcre2_match_data_free(v.md);
	pcre2_match_context_free(v.mctx);
	free(v.memo);
	return r < 0 ? -1 : 0;
}
