/*
 * yaml_load.h - YAML text to a dc_node tree, through libyaml's event API.
 *
 * The loader enforces reference §4.3 while it reads, so hostile input costs
 * nothing: the first anchor or alias stops it (yaml.alias), as does a tag
 * that is not a YAML core tag (yaml.tag), a duplicate key (yaml.duplicate-key),
 * nesting deeper than `max_depth` (yaml.too-deep; the top collection counts as
 * 1) and any syntax error (yaml.syntax, at libyaml's problem mark). Only the
 * first finding is reported; the tree is then not built.
 *
 * Scalars are typed by the YAML 1.2 core schema (node.h). A core tag on a
 * scalar (!!str, !!int, !!float, !!bool, !!null) forces that type; a value
 * that cannot have it is yaml.tag. A mapping key must be a scalar.
 */
#ifndef DC_YAML_LOAD_H
#define DC_YAML_LOAD_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "node.h"

typedef struct {
	const char *file;   /* path reported in findings */
	unsigned line;      /* file line of the first line of `text` (1-based) */
	size_t offset;      /* file byte offset of the first byte of `text` */
	unsigned max_depth; /* 16 for front-matter (reference §4.3) */
} dc_yaml_where;

/*
 * Parses `text` (`len` bytes, one YAML document; an empty stream or a
 * comment-only one yields a DC_NODE_NULL node). Marks are file positions
 * (line and offset shifted by `where`).
 *
 * Returns 0 with *out set on success; 0 with *out NULL after appending one
 * finding to `diags`; -1 on an operational failure (out of memory).
 */
int dc_yaml_load(dc_node **out, dc_arena *arena, const char *text, size_t len,
		 const dc_yaml_where *where, dc_diags *diags);

#endif
