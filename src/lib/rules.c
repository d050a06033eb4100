/*
 * rules.c - the rule table (reference §5), its rows from rules.def; `fatal`
 * rules make a command exit 2.
 */
#include "rules.h"

#include <string.h>

#include "i18n.h"
#include "text.h"

#define E DC_SEV_ERROR
#define W DC_SEV_WARNING

const dc_rule dc_rules[] = {
#define RULE(id, name, severity, fatal, summary) { name, severity, fatal, summary },
#include "rules.def"
#undef RULE
};

const size_t dc_rules_count = sizeof(dc_rules) / sizeof(dc_rules[0]);
_Static_assert(sizeof(dc_rules) / sizeof(dc_rules[0]) == DC_R_COUNT_, "rules.def feeds both the enum and the table");

const dc_rule *dc_rule_find(const char *name)
{
	size_t i;

	for (i = 0; i < dc_rules_count; i++)
		if (!strcmp(dc_rules[i].name, name))
			return &dc_rules[i];
	return NULL;
}

/* Raise when a check's findings or messages change without a change to the
 * table above: saved results of the older checks are then not used. */
#define DC_CHECKS_GENERATION 2

unsigned long long dc_rules_fingerprint(void)
{
	unsigned long long h = DC_HASH_INIT;
	unsigned gen = DC_CHECKS_GENERATION;
	size_t i;

	h = dc_hash64(h, &gen, sizeof(gen));
	for (i = 0; i < dc_rules_count; i++) {
		h = dc_hash64(h, dc_rules[i].name, strlen(dc_rules[i].name) + 1);
		h = dc_hash64(h, &dc_rules[i].severity, sizeof(dc_rules[i].severity));
	}
	return h;
}

dc_rule_id dc_rule_id_of(const dc_rule *r)
{
	return (dc_rule_id)(r - dc_rules);
}
