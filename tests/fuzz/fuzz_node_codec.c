/*
 * fuzz_node_codec.c - fuzz target for the reader of the parsed-YAML cache
 * (node_codec.h, dc_node_decode()): any bytes either are refused or give a
 * sound tree (kinds and styles in range, mapping keys scalars, each text
 * NUL-terminated at its length, nesting within the limit) whose encoding is
 * the input byte for byte; the tree then goes through the policy loader as
 * a cached docctl.yaml would. Nothing may crash, leak or read outside the
 * input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "node_codec.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEPTH 64

static void check(const dc_node *n, unsigned depth)
{
	size_t i;

	if (n->kind > DC_NODE_MAP || n->style > DC_STYLE_BLOCK)
		abort();
	switch (n->kind) {
	case DC_NODE_SEQ:
	case DC_NODE_MAP:
		if (depth > DEPTH || n->text || n->style < DC_STYLE_FLOW)
			abort();
		if (n->kind == DC_NODE_SEQ)
			for (i = 0; i < n->u.seq.n; i++)
				check(n->u.seq.items[i], depth + 1);
		else
			for (i = 0; i < n->u.map.n; i++) {
				if (n->u.map.pairs[i].key->kind > DC_NODE_STR)
					abort();
				check(n->u.map.pairs[i].key, depth + 1);
				check(n->u.map.pairs[i].value, depth + 1);
			}
		break;
	default:
		if (!n->text || n->text[n->len] != '\0' || n->style > DC_STYLE_FOLDED)
			abort();
		if (n->kind == DC_NODE_BOOL && n->u.b != 0 && n->u.b != 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_arena arena = DC_ARENA_INIT;
	dc_buf again = DC_BUF_INIT;
	dc_node *root = NULL;
	dc_policy *p = NULL;
	dc_diags diags;
	int rc;

	rc = dc_node_decode(&root, &arena, data, size, DEPTH);
	if (rc < 0 || (rc == 0) != (root != NULL))
		abort();
	if (root) {
		check(root, 1);
		if (dc_node_encode(&again, root) != 0 || again.len != size || memcmp(again.ptr, data, size))
			abort();
		dc_diags_init(&diags);
		if (dc_policy_load(&p, root, "docctl.yaml", &diags) < 0)
			abort();
		dc_policy_free(p);
		dc_diags_dispose(&diags);
	}
	dc_buf_dispose(&again);
	dc_arena_dispose(&arena);
	return 0;
}
