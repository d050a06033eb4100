/*
 * schema.h - JSON Schema (the draft 2020-12 keywords of reference §4.9) over
 * dc_node trees: front-matter schemas are written in YAML.
 *
 * Compiling checks the schema itself: any keyword outside reference §4.9, a
 * `format` other than date/duration, a `$ref` that does not start with "#"
 * (remote, relative or by $id) or names no schema of the file,
 * `$dynamicRef`/`$dynamicAnchor`/`$vocabulary`, a pattern that PCRE2 cannot
 * compile, a keyword value of the wrong kind: each is a `schema.invalid`
 * finding at the schema file's line:col, and the schema is unusable (the CLI
 * exits 2). The code: schema.c compiles, schema_validate.c validates,
 * schema_value.c quotes and compares values (numbers by value).
 *
 * Validating appends one finding per failing keyword, named after the keyword
 * as JSON Schema spells it ("schema.enum", "schema.additionalProperties");
 * inside if/then/else, allOf, $ref, dependentSchemas, properties,
 * patternProperties, prefixItems and items the inner keyword's name; anyOf,
 * oneOf, not, propertyNames and contains report themselves; a field or item
 * refused by a `false` schema is named after the keyword that applied it
 * (additionalProperties, patternProperties, unevaluated*). A finding points
 * at the offending value, at the key of a field that is not allowed, and at
 * the mapping's opening mark (the `---` line for the top level) for a missing
 * required field or too few or too many fields. Messages name
 * the field path (`status`, `references[1]`, `approval.by`) and say how to
 * fix it, for example
 *   status "aproved" is not one of draft, in-review, approved, obsolete
 *   missing required field "title"
 *   field "colour" is not allowed by the schema; remove it or declare it in schema/document.schema.yaml
 *
 * `pattern` uses PCRE2 with UTF-8, unanchored, `$` matching only at the very
 * end (PCRE2_DOLLAR_ENDONLY), JIT where available, and a match limit. A match
 * that hits the limit is a `schema.invalid` finding at the pattern in the
 * schema (never a pass). A compiled schema is read-only: several threads may
 * validate with it at once.
 */
#ifndef DC_SCHEMA_H
#define DC_SCHEMA_H

#include "diag.h"
#include "node.h"

typedef struct dc_schema dc_schema;

typedef enum {
	DC_SCHEMA_EXTRA_UNSPECIFIED, /* the root says nothing about additionalProperties */
	DC_SCHEMA_EXTRA_FORBIDDEN,   /* additionalProperties: false at the root */
	DC_SCHEMA_EXTRA_ALLOWED      /* additionalProperties: true or a schema */
} dc_schema_extra;

/* Compiles `root` (the parsed schema file `file`). Returns 0 with *out set,
 * 1 after appending schema.invalid findings (*out NULL), -1 on failure. */
int dc_schema_compile(dc_schema **out, const dc_node *root, const char *file, dc_diags *diags);

/* Validates `instance` (a document's front-matter) from the document `file`;
 * `open` is the mark of the opening `---` line. Returns 0 (findings
 * appended), or -1 on failure. */
int dc_schema_validate(const dc_schema *s, const dc_node *instance, const char *file,
		       const dc_mark *open, dc_diags *diags);

/* What the root schema says about fields it does not declare. */
dc_schema_extra dc_schema_root_extra(const dc_schema *s);
/* Nonzero when the root schema's `properties` declares `name`. */
int dc_schema_root_declares(const dc_schema *s, const char *name);

void dc_schema_free(dc_schema *s);

#endif
