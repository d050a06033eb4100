/*
 * fuzz_schema.c - fuzz target for schema compiling and validation
 * (schema.h). The input is a YAML schema, a line "===", and a front-matter
 * instance (without the line, the instance is empty). Whatever the bytes,
 * compiling either succeeds without findings or fails with schema.invalid
 * findings only, validating never crashes, leaks or hangs, and every finding
 * carries a known rule and a place.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the schema part: up to the first line that is exactly "===". */
static size_t split(const char *text, size_t size, size_t *rest)
{
	size_t i = 0;

	while (i < size) {
		const char *nl = memchr(text + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - text) : size;

		if (end - i == 3 && !memcmp(text + i, "===", 3)) {
			*rest = nl ? end + 1 : size;
			return i;
		}
		i = end + 1;
	}
	*rest = size;
	return size;
}

static void check_diags(const dc_diags *d, int only_invalid)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (!d->items[i].rule || !d->items[i].message)
			abort();
		if (!strcmp(d->items[i].rule->name, "internal.error"))
			abort();
		if (only_invalid && strcmp(d->items[i].rule->name, "schema.invalid"))
			abort();
		if (d->items[i].line == 0 || d->items[i].col == 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t rest, slen = split(text, size, &rest);
	dc_yaml_where sw = { "schema.yaml", 1, 0, 64 };
	dc_yaml_where dw = { "doc.md", 2, 0, 16 };
	dc_mark open = { 1, 1, 0 };
	dc_arena arena = DC_ARENA_INIT;
	dc_node *schema_root = NULL, *doc = NULL;
	dc_schema *s = NULL;
	dc_diags diags;
	int r;

	dc_diags_init(&diags);
	if (dc_yaml_load(&schema_root, &arena, text, slen, &sw, &diags) < 0 || !schema_root)
		goto cleanup;
	r = dc_schema_compile(&s, schema_root, "schema.yaml", &diags);
	if (r < 0)
		goto cleanup;
	check_diags(&diags, 1);
	if ((r == 0) != (s != NULL) || (r == 0 && diags.n) || (r == 1 && !diags.n))
		abort();
	if (!s)
		goto cleanup;
	(void)dc_schema_root_extra(s);
	(void)dc_schema_root_declares(s, "id");
	/* the compiled schema must not depend on the parsed schema file */
	dc_arena_dispose(&arena);
	if (dc_yaml_load(&doc, &arena, text + rest, size - rest, &dw, &diags) < 0 || !doc)
		goto cleanup;
	if (dc_schema_validate(s, doc, "doc.md", &open, &diags) < 0)
		goto cleanup;
	check_diags(&diags, 0);
cleanup:
	dc_schema_free(s);
	dc_diags_dispose(&diags);
	dc_arena_dispose(&arena);
	return 0;
}
