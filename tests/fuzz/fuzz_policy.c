/*
 * fuzz_policy.c - fuzz target for the policy loader (policy.h): any bytes,
 * read as docctl.yaml, either give a policy and no finding, or no policy and
 * only policy.invalid findings; never a crash, leak or hang. A loaded policy
 * is then used (lookups, every compiled pattern run over the input) with the
 * YAML tree already freed, so strings it failed to copy show up under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const pcre2_code *re, const uint8_t *data, size_t size, pcre2_match_data *md,
		pcre2_match_context *mc)
{
	if (re)
		pcre2_match(re, data, size, 0, 0, md, mc);
}

static void use(const dc_policy *p, const uint8_t *data, size_t size)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	char text[64];
	size_t i, k, n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;

	if (!md || !mc)
		abort();
	pcre2_set_match_limit(mc, 100000);
	memcpy(text, data, n);
	text[n] = '\0';
	dc_policy_type_for_id(p, text);
	dc_policy_controls(p, text);
	dc_policy_protects(p, text);
	dc_policy_person_by_email(p, text);
	run(p->ambiguous_re, data, size, md, mc);
	if (p->nroots == 0 || p->ntypes == 0 || !p->signers)
		abort();
	for (i = 0; i < p->ntypes; i++) {
		const dc_type *t = &p->types[i];

		if (!t->id.re || !t->id.pattern || t->napprovers == 0)
			abort();
		if (dc_policy_type(p, t->name) == NULL)
			abort();
		run(t->id.re, data, size, md, mc);
		for (k = 0; k < t->nsections; k++)
			run(t->sections[k].re, data, size, md, mc);
		for (k = 0; k < p->npeople; k++)
			dc_policy_may_approve(p, t, p->people[k].key);
	}
	for (i = 0; i < p->npeople; i++) {
		if (!p->people[i].name || !p->people[i].email || !strchr(p->people[i].email, '@'))
			abort();
		if (dc_policy_person(p, p->people[i].key) == NULL)
			abort();
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_yaml_where w = { "docctl.yaml", 1, 0, 32 };
	dc_arena arena = DC_ARENA_INIT;
	dc_policy *p = NULL;
	dc_diags diags;
	dc_node *root = NULL;
	size_t i;
	int r;

	dc_diags_init(&diags);
	if (dc_yaml_load(&root, &arena, (const char *)data, size, &w, &diags) < 0)
		abort();
	if (root) {
		r = dc_policy_load(&p, root, "docctl.yaml", &diags);
		dc_arena_dispose(&arena);
		if (r < 0 || (r == 0 && (!p || diags.n)) || (r == 1 && (p || !diags.n)))
			abort();
		for (i = 0; i < diags.n; i++)
			if (strcmp(diags.items[i].rule->name, "policy.invalid") || !diags.items[i].line)
				abort();
		if (p)
			use(p, data, size);
		dc_policy_free(p);
	}
	dc_diags_dispose(&diags);
	dc_arena_dispose(&arena);
	return 0;
}
