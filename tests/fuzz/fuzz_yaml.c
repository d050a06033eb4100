/*
 * fuzz_yaml.c - fuzz target for the YAML loader (yaml_load.h): any bytes
 * must load or stop with exactly one finding, never crash, leak or hang, and
 * every mark of the tree must lie inside the text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_mark(dc_mark m, size_t base, size_t size, unsigned first_line)
{
	if (m.line < first_line || m.col < 1 || m.offset < base || m.offset > base + size)
		abort();
}

static void check(const dc_node *n, size_t base, size_t size, unsigned first_line, unsigned depth)
{
	size_t i;

	if (depth > 16)
		abort();
	check_mark(n->start, base, size, first_line);
	check_mark(n->end, base, size, first_line);
	if (n->start.offset > n->end.offset)
		abort();
	switch (n->kind) {
	case DC_NODE_SEQ:
		for (i = 0; i < n->u.seq.n; i++)
			check(n->u.seq.items[i], base, size, first_line, depth + 1);
		break;
	case DC_NODE_MAP:
		for (i = 0; i < n->u.map.n; i++) {
			const dc_node *k = n->u.map.pairs[i].key;

			if (k->kind == DC_NODE_SEQ || k->kind == DC_NODE_MAP || !k->text)
				abort();
			/* each key once */
			if (dc_node_pair(n, k->text) != &n->u.map.pairs[i] && strlen(k->text) == k->len)
				abort();
			check(k, base, size, first_line, depth + 1);
			check(n->u.map.pairs[i].value, base, size, first_line, depth + 1);
		}
		break;
	default:
		if (!n->text || n->text[n->len] != '\0')
			abort();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_yaml_where w = { "fuzz.yaml", 3, 100, 16 };
	dc_arena arena = DC_ARENA_INIT;
	dc_diags diags;
	dc_node *n = NULL;
	int r;

	dc_diags_init(&diags);
	r = dc_yaml_load(&n, &arena, (const char *)data, size, &w, &diags);
	if (r == 0 && n) {
		if (diags.n != 0)
			abort();
		check(n, w.offset, size, w.line, 0);
	} else if (r == 0 && diags.n != 1) {
		abort();
	}
	dc_diags_dispose(&diags);
	dc_arena_dispose(&arena);
	return 0;
}
