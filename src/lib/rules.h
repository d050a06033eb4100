/*
 * rules.h - the table of rules: every finding docctl can report, by its
 * stable name (reference §5). Adding a rule is adding one row to rules.def,
 * which gives it a constant DC_R_... the compiler checks.
 */
#ifndef DC_RULES_H
#define DC_RULES_H

#include <stddef.h>

typedef enum {
	DC_SEV_WARNING = 1,
	DC_SEV_ERROR = 2
} dc_severity;

typedef struct {
	const char *name;     /* stable name, e.g. "schema.enum" */
	dc_severity severity; /* default severity */
	int fatal;            /* a broken policy, schema or tool: exit 2 */
	const char *summary;  /* one line for SARIF and `docctl rules` */
} dc_rule;

/* DC_R_SCHEMA_REQUIRED etc.: the index of the rule's row in dc_rules. */
typedef enum {
#define RULE(id, name, severity, fatal, summary) DC_R_##id,
#include "rules.def"
#undef RULE
	DC_R_COUNT_
} dc_rule_id;

extern const dc_rule dc_rules[];
/*
 * A hash of what the checks are: the rule table and DC_CHECKS_GENERATION
 * (rules.c), which is raised whenever a check's findings change without a
 * change to the table. Saved results (the cache, the snapshot) are keyed by
 * it, so a new docctl never serves findings of an older one.
 */
unsigned long long dc_rules_fingerprint(void);
extern const size_t dc_rules_count;

/* The row for `name`, or NULL when no rule has that name. */
const dc_rule *dc_rule_find(const char *name);
/* The constant of a row of dc_rules. */
dc_rule_id dc_rule_id_of(const dc_rule *r);

#endif
