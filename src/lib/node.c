/*
 * node.c - lookups and equality on parsed YAML values.
 */
#include "node.h"

#include <string.h>

const dc_pair *dc_node_pair(const dc_node *map, const char *key)
{
	size_t i, klen;

	if (!map || map->kind != DC_NODE_MAP)
		return NULL;
	klen = strlen(key);
	for (i = 0; i < map->u.map.n; i++) {
		const dc_node *k = map->u.map.pairs[i].key;

		if (k->len == klen && !memcmp(k->text, key, klen))
			return &map->u.map.pairs[i];
	}
	return NULL;
}

const dc_node *dc_node_get(const dc_node *map, const char *key)
{
	const dc_pair *p = dc_node_pair(map, key);

	return p ? p->value : NULL;
}

const char *dc_node_get_str(const dc_node *map, const char *key)
{
	const dc_node *v = dc_node_get(map, key);

	return v && v->kind == DC_NODE_STR ? v->text : NULL;
}

/* A mapping's entry whose key has the same bytes as `key` (keys may hold NULs). */
static const dc_pair *pair_with_key(const dc_node *map, const dc_node *key)
{
	size_t i;

	for (i = 0; i < map->u.map.n; i++) {
		const dc_node *k = map->u.map.pairs[i].key;

		if (k->len == key->len && (!k->len || !memcmp(k->text, key->text, k->len)))
			return &map->u.map.pairs[i];
	}
	return NULL;
}

int dc_node_equal_by(const dc_node *a, const dc_node *b, dc_node_scalar_equal scalar_equal)
{
	size_t i;

	if (!a || !b || a->kind != b->kind || (a->kind != DC_NODE_SEQ && a->kind != DC_NODE_MAP))
		return scalar_equal(a, b);
	if (a->kind == DC_NODE_SEQ) {
		if (a->u.seq.n != b->u.seq.n)
			return 0;
		for (i = 0; i < a->u.seq.n; i++)
			if (!dc_node_equal_by(a->u.seq.items[i], b->u.seq.items[i], scalar_equal))
				return 0;
		return 1;
	}
	if (a->u.map.n != b->u.map.n)
		return 0;
	for (i = 0; i < a->u.map.n; i++) {
		const dc_pair *pb = pair_with_key(b, a->u.map.pairs[i].key);

		if (!pb || !dc_node_equal_by(a->u.map.pairs[i].value, pb->value, scalar_equal))
			return 0;
	}
	return 1;
}

static int scalar_equal(const dc_node *a, const dc_node *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case DC_NODE_NULL:
		return 1;
	case DC_NODE_BOOL:
		return !a->u.b == !b->u.b;
	case DC_NODE_INT:
		return a->u.i == b->u.i;
	case DC_NODE_FLOAT:
		return a->u.f == b->u.f || (a->u.f != a->u.f && b->u.f != b->u.f);
	case DC_NODE_STR:
		return a->len == b->len && !memcmp(a->text, b->text, a->len);
	default:
		return 0;
	}
}

int dc_node_equal(const dc_node *a, const dc_node *b)
{
	return dc_node_equal_by(a, b, scalar_equal);
}

const char *dc_node_kind_name(dc_node_kind kind)
{
	switch (kind) {
	case DC_NODE_NULL: return "null";
	case DC_NODE_BOOL: return "boolean";
	case DC_NODE_INT: return "integer";
	case DC_NODE_FLOAT: return "number";
	case DC_NODE_STR: return "string";
	case DC_NODE_SEQ: return "array";
	case DC_NODE_MAP: return "object";
	}
	return "value";
}
