/*
 * fuzz_frontmatter.c - fuzz target for the first steps of every controlled
 * file: the byte checks and split (frontmatter.h), then the YAML loader on
 * the front-matter, as the checker runs them. The parts must lie inside the
 * file and in order; nothing may crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "frontmatter.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	dc_frontmatter fm;
	dc_diags diags;
	dc_arena arena = DC_ARENA_INIT;
	dc_node *n = NULL;
	int r;

	dc_diags_init(&diags);
	r = dc_frontmatter_split(&fm, "fuzz.md", text, size, &diags);
	if (r == 1 && diags.n == 0)
		abort();
	if (r == 0) {
		dc_yaml_where w = { "fuzz.md", fm.yaml_line, fm.yaml_off, 16 };

		if (fm.open_off > fm.yaml_off || fm.yaml_off + fm.yaml_len > fm.body_off ||
		    fm.body_off > size || fm.yaml_len > DC_FRONTMATTER_MAX ||
		    fm.yaml_line != 2 || fm.body_line < 3 || diags.n > 1)
			abort();
		if (dc_yaml_load(&n, &arena, text + fm.yaml_off, fm.yaml_len, &w, &diags) == 0 &&
		    n && (n->start.line < 2 || n->start.offset < fm.yaml_off ||
			  n->end.offset > fm.yaml_off + fm.yaml_len))
			abort();
	}
	dc_arena_dispose(&arena);
	dc_diags_dispose(&diags);
	return 0;
}
