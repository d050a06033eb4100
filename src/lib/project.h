/*
 * project.h - a controlled repository as one source holds it: the policy
 * (docctl.yaml) and the schemas it names, loaded and compiled once.
 */
#ifndef DC_PROJECT_H
#define DC_PROJECT_H

#include "diag.h"
#include "policy.h"
#include "schema.h"
#include "source.h"

#define DC_POLICY_FILE "docctl.yaml"
#define DC_DEFAULT_SCHEMA "schema/document.schema.yaml"

typedef struct {
	const char *path;
	dc_schema *schema;
} dc_project_schema;

typedef struct {
	dc_source *src;            /* borrowed */
	dc_policy *policy;
	dc_project_schema *schemas;
	size_t nschemas, schemas_cap;
	unsigned long long fingerprint; /* of the policy and schema bytes: a
	                                   cache of results is valid only for it */
} dc_project;

/*
 * Reads docctl.yaml and every schema it names from `src`. Returns 0 with
 * *out set; 1 when the policy or a schema is broken (policy.invalid /
 * schema.invalid findings appended, *out NULL); -1 on failure.
 */
int dc_project_open(dc_project **out, dc_source *src, dc_diags *diags);
void dc_project_free(dc_project *p);

/* The compiled schema for documents of type `t` (NULL: the default). */
const dc_schema *dc_project_schema_for(const dc_project *p, const dc_type *t);
/* The schema path for type `t` as the policy names it. */
const char *dc_project_schema_path(const dc_project *p, const dc_type *t);

#endif
