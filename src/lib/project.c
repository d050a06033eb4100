/*
 * project.c - loading the policy and its schemas from a source.
 */
#include "project.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "rules.h"
#include "text.h"
#include "yaml_cache.h"
#include "yaml_load.h"

#define POLICY_MAX ((size_t)1024 * 1024)
#define SCHEMA_MAX ((size_t)1024 * 1024)
#define CONFIG_DEPTH 64

static const char implicit_default[] = DC_DEFAULT_SCHEMA;

/* dc_yaml_load() of the file at where->file, or the tree kept for its blob
 * id by an earlier parse without a finding (yaml_cache.h). The id is the
 * tree's or the index's, else (a working tree) the bytes' own as git would
 * hash them. */
static int parse_cached(dc_node **out, dc_arena *arena, dc_source *src, const dc_buf *data,
			const dc_yaml_where *where, dc_diags *found)
{
	git_repository *repo = dc_source_repo(src);
	git_oid id;
	int rc;

	if (!repo || (dc_source_blob_id(src, where->file, &id) != 0 &&
		      git_odb_hash(&id, data->ptr, data->len, GIT_OBJECT_BLOB) < 0))
		return dc_yaml_load(out, arena, data->ptr, data->len, where, found);
	if ((rc = dc_yaml_cache_get(out, arena, repo, &id, where->max_depth)) < 0 || *out)
		return rc;
	rc = dc_yaml_load(out, arena, data->ptr, data->len, where, found);
	if (rc == 0 && *out && !found->n)
		dc_yaml_cache_put(repo, &id, *out);
	return rc;
}

/* Reads and parses a YAML file of the project. Returns 0 with *out, 1 after
 * a finding of `rule`, -1 on failure. */
static int load_yaml(dc_node **out, dc_arena *arena, dc_source *src, const char *path,
		     size_t max, dc_rule_id rule, const char *missing_hint, dc_diags *diags,
		     unsigned long long *fingerprint)
{
	dc_buf data = DC_BUF_INIT;
	dc_diags found;
	dc_yaml_where where = { path, 1, 0, CONFIG_DEPTH };
	size_t i;
	int rc;

	*out = NULL;
	rc = dc_source_read_path(src, path, max, &data);
	if (rc == 1) {
		rc = dc_diags_add(diags, path, 0, 0, rule, NULL, _("'%s' does not exist; %s"), path, missing_hint);
		dc_buf_dispose(&data);
		return rc < 0 ? -1 : 1;
	}
	if (rc < 0) {
		rc = dc_diags_add(diags, path, 0, 0, rule, NULL, _("cannot read '%s': %s"), path, dc_error_last());
		dc_buf_dispose(&data);
		return rc < 0 ? -1 : 1;
	}
	*fingerprint = dc_hash64(*fingerprint, path, strlen(path) + 1);
	*fingerprint = dc_hash64(*fingerprint, data.ptr, data.len);
	dc_diags_init(&found);
	rc = parse_cached(out, arena, src, &data, &where, &found);
	/* a YAML problem in the policy or a schema makes it unusable: report it
	 * under the rule of the broken file, keeping the loader's message */
	for (i = 0; rc == 0 && i < found.n; i++)
		rc = dc_diags_add(diags, path, found.items[i].line, found.items[i].col, rule, NULL, _("not valid YAML: %s"),
				  found.items[i].message);
	if (rc == 0 && found.n)
		rc = 1;
	if (rc == 0 && *out == NULL)
		rc = 1;
	dc_diags_dispose(&found);
	dc_buf_dispose(&data);
	return rc;
}

/* Loads and compiles one schema once. The implicit default schema (the
 * policy names none) may be absent: documents are then checked without one. */
static int add_schema(dc_project *p, const char *path, dc_diags *diags)
{
	dc_arena arena = DC_ARENA_INIT;
	dc_node *root;
	dc_schema *schema = NULL;
	size_t i;
	int rc;

	for (i = 0; i < p->nschemas; i++)
		if (!strcmp(p->schemas[i].path, path))
			return 0;
	if (path == implicit_default && !dc_source_exists(p->src, path))
		return 0;
	rc = load_yaml(&root, &arena, p->src, path, SCHEMA_MAX, DC_R_SCHEMA_INVALID,
		       _("write it, or remove the reference to it from docctl.yaml"), diags, &p->fingerprint);
	if (rc == 0)
		rc = dc_schema_compile(&schema, root, path, diags);
	dc_arena_dispose(&arena);
	if (rc != 0)
		return rc;
	if (DC_ARRAY_GROW(p->schemas, p->schemas_cap, p->nschemas + 1) < 0) {
		dc_schema_free(schema);
		return -1;
	}
	p->schemas[p->nschemas].path = path;
	p->schemas[p->nschemas].schema = schema;
	p->nschemas++;
	return 0;
}

int dc_project_open(dc_project **out, dc_source *src, dc_diags *diags)
{
	dc_arena arena = DC_ARENA_INIT;
	dc_project *p;
	dc_node *root;
	size_t i;
	int rc, bad = 0;

	*out = NULL;
	if (!(p = calloc(1, sizeof(*p))))
		return dc_error_oom();
	p->src = src;
	p->fingerprint = dc_rules_fingerprint();
	rc = load_yaml(&root, &arena, src, DC_POLICY_FILE, POLICY_MAX, DC_R_POLICY_INVALID,
		       _("run 'docctl init' to create a policy"), diags, &p->fingerprint);
	if (rc == 0)
		rc = dc_policy_load(&p->policy, root, DC_POLICY_FILE, diags);
	dc_arena_dispose(&arena);
	if (rc != 0)
		goto fail;
	rc = add_schema(p, dc_project_schema_path(p, NULL), diags);
	if (rc < 0)
		goto fail;
	bad |= rc;
	for (i = 0; i < p->policy->ntypes; i++) {
		rc = add_schema(p, dc_project_schema_path(p, &p->policy->types[i]), diags);
		if (rc < 0)
			goto fail;
		bad |= rc;
	}
	if (bad) {
		rc = 1;
		goto fail;
	}
	*out = p;
	return 0;
fail:
	dc_project_free(p);
	return rc;
}

void dc_project_free(dc_project *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nschemas; i++)
		dc_schema_free(p->schemas[i].schema);
	free(p->schemas);
	dc_policy_free(p->policy);
	free(p);
}

const char *dc_project_schema_path(const dc_project *p, const dc_type *t)
{
	if (t && t->schema)
		return t->schema;
	if (p->policy && p->policy->schema)
		return p->policy->schema;
	return implicit_default;
}

const dc_schema *dc_project_schema_for(const dc_project *p, const dc_type *t)
{
	const char *path = dc_project_schema_path(p, t);
	size_t i;

	for (i = 0; i < p->nschemas; i++)
		if (!strcmp(p->schemas[i].path, path))
			return p->schemas[i].schema;
	return NULL;
}
