/*
 * arena.h - a bump allocator for everything parsed from one file.
 *
 * A parsed document (its YAML tree, its strings, its body facts) lives in one
 * arena and dies with it, so parsing 100,000 documents costs a few large
 * allocations each instead of thousands of small ones. Allocations are
 * 16-byte aligned and never freed one by one. dc_arena_dispose() is NULL-safe
 * and leaves the arena ready for reuse.
 */
#ifndef DC_ARENA_H
#define DC_ARENA_H

#include <stddef.h>

typedef struct dc_arena_block dc_arena_block;

/* A zeroed arena is empty, as dc_arena_init() leaves it. */
typedef struct {
	dc_arena_block *head;
} dc_arena;

#define DC_ARENA_INIT { NULL }

void dc_arena_init(dc_arena *a);
void dc_arena_dispose(dc_arena *a);
/* Frees all but one block and empties it, for reuse in a loop. */
void dc_arena_reset(dc_arena *a);
/* Zeroed memory, or NULL (with dc_error set) when memory runs out. */
void *dc_arena_alloc(dc_arena *a, size_t size);
/* A NUL-terminated copy of `len` bytes. */
char *dc_arena_strndup(dc_arena *a, const char *s, size_t len);
char *dc_arena_strdup(dc_arena *a, const char *s);

#endif
