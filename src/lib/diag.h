/*
 * diag.h - findings as data.
 *
 * A check never prints and never decides an exit code: it appends a
 * diagnostic (where, which rule, what is wrong and how to fix it) to a list
 * and goes on. Only the CLI turns the list into output and an exit code.
 * Lines and columns are 1-based; columns count Unicode code points (reference §5.1).
 * A diagnostic with line 0 concerns the whole file (or the repository, when
 * file is empty).
 */
#ifndef DC_DIAG_H
#define DC_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "rules.h"

typedef struct {
	char *file;            /* relative to the project root; "" for none */
	unsigned line, col;
	dc_severity severity;
	const dc_rule *rule;
	char *message;
	char *id;              /* the document's id where known, else NULL */
	char *ref;             /* the pushed ref a hook found it on, else NULL */
} dc_diag;

typedef struct {
	dc_diag *items;
	size_t n, cap;
	char *ref;             /* stamped on every diagnostic added (hooks) */
} dc_diags;

void dc_diags_init(dc_diags *d);
void dc_diags_dispose(dc_diags *d);

/*
 * Appends a finding of the rule `rule` (a constant DC_R_... from rules.def;
 * a value outside the table is a programming error, reported as
 * internal.error). `fmt` is a message for people: mark it _().
 * Returns 0, or -1 when memory runs out.
 */
int dc_diags_add(dc_diags *d, const char *file, unsigned line, unsigned col,
		 dc_rule_id rule, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* The same with a va_list. */
int dc_diags_vadd(dc_diags *d, const char *file, unsigned line, unsigned col, dc_rule_id rule, const char *id,
		  const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));

/* Moves every diagnostic of `from` to the end of `to` (stamping to->ref). */
int dc_diags_take(dc_diags *to, dc_diags *from);

/* Sorts by file (bytewise), line, column, rule and drops exact repeats. */
void dc_diags_sort(dc_diags *d);

/* Counts by severity; `strict` counts warnings as errors. */
size_t dc_diags_errors(const dc_diags *d, int strict);
size_t dc_diags_warnings(const dc_diags *d);
/* Nonzero when some finding is fatal (policy.invalid, schema.invalid, internal.error). */
int dc_diags_fatal(const dc_diags *d);
/* Nonzero when some finding has this rule name. */
int dc_diags_has(const dc_diags *d, const char *rule);

#endif
