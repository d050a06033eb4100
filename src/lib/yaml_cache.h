/*
 * yaml_cache.h - parsed YAML trees kept between runs, keyed by blob id, so
 * a hook that loads the same policy or schema again skips libyaml.
 *
 * Only the parse is cached: the tree dc_yaml_load() built from a blob
 * (a file of a commit, the index or the working tree, by the id git gives
 * its bytes) without a finding (node_codec.h). Whoever reads the tree (the policy, the
 * schemas) still checks it every time. The key is the blob id, the hash of
 * the very bytes that would be parsed; a file whose id, length, checksum or
 * content is wrong in any way is a miss, and the caller parses the text.
 *
 * The files live in the git directory, docctl-cache/yaml/<blob id>, each
 * replaced atomically; writing one removes the oldest beyond
 * DC_YAML_CACHE_KEEP. DOCCTL_CACHE=0 turns it off (cache.h). Nothing here
 * ever fails the caller: a read-only git directory or a full disk means no
 * cache.
 */
#ifndef DC_YAML_CACHE_H
#define DC_YAML_CACHE_H

#include <git2.h>

#include "arena.h"
#include "node.h"

/* At most this many trees are kept. */
#define DC_YAML_CACHE_KEEP 32

/* The tree cached for blob `id` of `repo`, its nodes in `arena`, no
 * collection nested deeper than `max_depth`; *out is NULL when there is
 * none to use. Returns 0, or -1 when memory runs out. */
int dc_yaml_cache_get(dc_node **out, dc_arena *arena, git_repository *repo, const git_oid *id, unsigned max_depth);

/* Keeps `root`, the tree of blob `id` parsed without a finding. Failures
 * are ignored. */
void dc_yaml_cache_put(git_repository *repo, const git_oid *id, const dc_node *root);

#endif
