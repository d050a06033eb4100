/*
 * strmap.h - a map from strings to indexes, for lookups among 100,000
 * documents by path or by id without comparing long common prefixes again
 * and again. Open addressing; keys are borrowed (they must outlive the map);
 * nothing is ever removed; the first value put for a key is kept.
 */
#ifndef DC_STRMAP_H
#define DC_STRMAP_H

#include <stddef.h>

/* One slot: the key's hash is kept beside it, so a probe that meets
 * another key does not read that key, and a lookup touches one cache line
 * of the table instead of two. */
typedef struct {
	unsigned long long hash;
	const char *key;  /* NULL: empty */
	size_t value;
} dc_strmap_slot;

/* A zeroed map is empty, as dc_strmap_init() leaves it. */
typedef struct {
	dc_strmap_slot *slots;
	size_t mask;      /* slots - 1 (a power of two), 0 when empty */
	size_t n;
} dc_strmap;

void dc_strmap_init(dc_strmap *m);
void dc_strmap_dispose(dc_strmap *m);
/* Makes room for `n` keys. Returns 0 or -1. */
int dc_strmap_reserve(dc_strmap *m, size_t n);
/* Adds key -> value unless the key is there. Returns 0 or -1. */
int dc_strmap_put(dc_strmap *m, const char *key, size_t value);
/* The same in one lookup, saying what happened: 1 when it added the key,
 * 0 when the key was there (its value in *had), -1 on failure. */
int dc_strmap_add(dc_strmap *m, const char *key, size_t value, size_t *had);
/* Adds each of the n items of `size` bytes at `items` under its key, the
 * string at byte `key_at` of the item (offsetof), with the item's index as
 * the value (the first of a repeated key wins). Returns 0 or -1. */
int dc_strmap_index(dc_strmap *m, const void *items, size_t n, size_t size, size_t key_at);
/* The value of `key` in *out: 1 when found, 0 when not. */
int dc_strmap_get(const dc_strmap *m, const char *key, size_t *out);

#endif
