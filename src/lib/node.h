/*
 * node.h - a parsed YAML value with the place it came from.
 *
 * The YAML loader (yaml_load.h) turns front-matter, the policy and schemas
 * into this tree; everything after it (schemas, the policy, documents, the
 * editing commands) reads the tree and never the text. Scalars are typed by
 * the YAML 1.2 core schema: `true`/`false` are booleans, `null`/`~`/empty are
 * null, integers and floats as the core schema says, everything else
 * (including `yes`, `no` and dates) is a string.
 *
 * Nodes live in an arena (arena.h) and are never freed one by one.
 */
#ifndef DC_NODE_H
#define DC_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "mark.h"

typedef enum {
	DC_NODE_NULL,
	DC_NODE_BOOL,
	DC_NODE_INT,
	DC_NODE_FLOAT,
	DC_NODE_STR,
	DC_NODE_SEQ,
	DC_NODE_MAP
} dc_node_kind;

typedef enum {
	DC_STYLE_PLAIN,
	DC_STYLE_SINGLE,
	DC_STYLE_DOUBLE,
	DC_STYLE_LITERAL,
	DC_STYLE_FOLDED,
	DC_STYLE_FLOW,  /* a flow sequence or mapping: [a, b] or {a: b} */
	DC_STYLE_BLOCK  /* a block sequence or mapping */
} dc_node_style;

typedef struct dc_node dc_node;
typedef struct dc_pair dc_pair;

struct dc_node {
	dc_node_kind kind;
	dc_node_style style;
	dc_mark start;   /* first character of the node (the value, not the key) */
	dc_mark end;     /* just after the node's last character */
	const char *text; /* scalars: the value as written, after unquoting and
	                     folding (NUL-terminated, may hold NUL if len says so) */
	size_t len;       /* scalars: bytes in text */
	union {
		int b;                       /* DC_NODE_BOOL */
		int64_t i;                   /* DC_NODE_INT */
		double f;                    /* DC_NODE_FLOAT */
		struct { dc_node **items; size_t n; } seq;
		struct { dc_pair *pairs; size_t n; } map;
	} u;
};

/* A mapping entry. The key is a scalar node (its text is the key's name). */
struct dc_pair {
	dc_node *key;
	dc_node *value;
};

/* The value under `key` in a mapping, or NULL (also when map is not a map). */
const dc_node *dc_node_get(const dc_node *map, const char *key);
/* The mapping entry for `key`, or NULL. */
const dc_pair *dc_node_pair(const dc_node *map, const char *key);
/* The string value under `key`, or NULL when absent or not a string. */
const char *dc_node_get_str(const dc_node *map, const char *key);
/* Nonzero when both values are equal as parsed YAML values (kind and value,
 * recursively; mapping order does not matter; marks and styles ignored). */
int dc_node_equal(const dc_node *a, const dc_node *b);
/* Whether two scalars (or a scalar and anything) are equal, for dc_node_equal_by. */
typedef int (*dc_node_scalar_equal)(const dc_node *a, const dc_node *b);
/* Equality with the caller's rule for scalars: sequences item by item and
 * mappings key by key (any order) alike, every other pair of nodes (also
 * NULL ones and nodes of different kinds) decided by `scalar_equal`. */
int dc_node_equal_by(const dc_node *a, const dc_node *b, dc_node_scalar_equal scalar_equal);
/* The kind's name for messages: "null", "boolean", "integer", "number",
 * "string", "array", "object" (JSON Schema's words). */
const char *dc_node_kind_name(dc_node_kind kind);

#endif
