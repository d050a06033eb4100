/*
 * node_codec.h - a parsed YAML tree (node.h) as bytes and back, for the
 * cache of parsed YAML (yaml_cache.h).
 *
 * The encoding holds every field dc_yaml_load() sets: each node's kind,
 * style, start and end marks, a scalar's bytes (NUL included), length and
 * value, a collection's children, in preorder. The decoder reads untrusted
 * bytes: every length and count is checked against what is left, nesting is
 * limited as the loader limits it, and anything it would not have written
 * is refused.
 */
#ifndef DC_NODE_CODEC_H
#define DC_NODE_CODEC_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "node.h"

/* Appends the encoding of the tree `root` to `out`. Returns 0, 1 when the
 * tree cannot be encoded (a scalar without text), -1 when memory runs out. */
int dc_node_encode(dc_buf *out, const dc_node *root);

/*
 * Decodes `len` bytes that must be exactly one encoded tree, its nodes in
 * `arena`, no collection nested deeper than `max_depth` (the outermost
 * counts as 1, as in yaml_load.h). The scalars' texts point into `data`,
 * which must outlive the tree. Returns 0 with *out set; 1 with *out NULL
 * when the bytes are not such a tree; -1 when memory runs out.
 */
int dc_node_decode(dc_node **out, dc_arena *arena, const unsigned char *data, size_t len, unsigned max_depth);

#endif
