/*
 * diag.c - the list of findings (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

void dc_diags_init(dc_diags *d)
{
	memset(d, 0, sizeof(*d));
}

static void diag_dispose(dc_diag *g)
{
	free(g->file);
	free(g->message);
	free(g->id);
	free(g->ref);
}

void dc_diags_dispose(dc_diags *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		diag_dispose(&d->items[i]);
	free(d->items);
	free(d->ref);
	dc_diags_init(d);
}

static int reserve(dc_diags *d, size_t extra)
{
	return DC_ARRAY_GROW(d->items, d->cap, d->n + extra);
}

int dc_diags_add(dc_diags *d, const char *file, unsigned line, unsigned col,
		 dc_rule_id rule, const char *id, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dc_diags_vadd(d, file, line, col, rule, id, fmt, ap);
	va_end(ap);
	return rc;
}

int dc_diags_vadd(dc_diags *d, const char *file, unsigned line, unsigned col, dc_rule_id rule, const char *id,
		  const char *fmt, va_list ap)
{
	const dc_rule *r = (unsigned)rule < dc_rules_count ? &dc_rules[rule] : NULL;
	dc_buf msg = DC_BUF_INIT;
	dc_diag *g;

	if (reserve(d, 1) < 0)
		return -1;
	if (!r) {
		r = &dc_rules[DC_R_INTERNAL_ERROR];
		dc_buf_printf(&msg, "unknown rule %d: ", (int)rule);
	}
	if (dc_buf_vprintf(&msg, fmt, ap) < 0) {
		dc_buf_dispose(&msg);
		return -1;
	}
	g = &d->items[d->n];
	memset(g, 0, sizeof(*g));
	g->file = strdup(file ? file : "");
	g->id = id ? strdup(id) : NULL;
	g->ref = d->ref ? strdup(d->ref) : NULL;
	g->message = dc_buf_detach(&msg);
	if (!g->file || !g->message || (id && !g->id) || (d->ref && !g->ref)) {
		diag_dispose(g);
		return dc_error_oom();
	}
	g->line = line;
	g->col = col;
	g->rule = r;
	g->severity = r->severity;
	d->n++;
	return 0;
}

int dc_diags_take(dc_diags *to, dc_diags *from)
{
	size_t i;

	if (!from->n)
		return 0;
	if (reserve(to, from->n) < 0)
		return -1;
	memcpy(to->items + to->n, from->items, from->n * sizeof(dc_diag));
	/* stamp the destination's ref on findings that have none */
	for (i = to->n; to->ref && i < to->n + from->n; i++)
		if (!to->items[i].ref && !(to->items[i].ref = strdup(to->ref)))
			return dc_error_oom();
	to->n += from->n;
	from->n = 0;
	return 0;
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp(const void *pa, const void *pb)
{
	const dc_diag *a = pa, *b = pb;
	int c;

	if ((c = strcmp0(a->ref, b->ref)))
		return c;
	if ((c = strcmp(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if ((c = strcmp(a->rule->name, b->rule->name)))
		return c;
	return strcmp(a->message, b->message);
}

void dc_diags_sort(dc_diags *d)
{
	size_t i, o;

	if (d->n < 2)
		return;
	qsort(d->items, d->n, sizeof(dc_diag), cmp);
	for (i = 1, o = 1; i < d->n; i++) {
		if (!cmp(&d->items[i], &d->items[o - 1])) {
			diag_dispose(&d->items[i]);
			continue;
		}
		d->items[o++] = d->items[i];
	}
	d->n = o;
}

size_t dc_diags_errors(const dc_diags *d, int strict)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (d->items[i].severity == DC_SEV_ERROR || strict)
			n++;
	return n;
}

size_t dc_diags_warnings(const dc_diags *d)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (d->items[i].severity == DC_SEV_WARNING)
			n++;
	return n;
}

int dc_diags_fatal(const dc_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].rule->fatal)
			return 1;
	return 0;
}

int dc_diags_has(const dc_diags *d, const char *rule)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (!strcmp(d->items[i].rule->name, rule))
			return 1;
	return 0;
}
