/*
 * array.h - the one growable array of docctl.
 *
 * A growable list is three fields, `T *items; size_t n, cap;`, and grows
 * with DC_ARRAY_GROW(items, cap, need) before element `need - 1` is written:
 *
 *	if (DC_ARRAY_GROW(l->items, l->cap, l->n + 1) < 0)
 *		return -1;
 *	l->items[l->n++] = x;
 *
 * Capacity doubles (16 at first), so appending n elements costs O(n).
 * Many small lists that die together (one per path, one per commit) grow
 * in their owner's arena instead, with dc_arena_grow(), and need no free.
 */
#ifndef DC_ARRAY_H
#define DC_ARRAY_H

#include <stddef.h>

#include "arena.h"

/* Makes room for element n of the array *pp (elements of `size` bytes,
 * *cap of them allocated), doubling it. Returns 0, or -1 (dc_error set)
 * with the array unchanged. */
int dc_array_grow(void *pp, size_t *cap, size_t n, size_t size);

/* The same in the arena `a`: a grown array is copied and the old one stays
 * in the arena until the arena dies (at most as much again as the array). */
int dc_arena_grow(dc_arena *a, void *pp, size_t *cap, size_t n, size_t size);

/* Room for `need` elements in `items` (a T * with its capacity `cap`);
 * `need` is evaluated twice, so pass no side effects. */
#define DC_ARRAY_GROW(items, cap, need) \
	((need) ? dc_array_grow(&(items), &(cap), (need) - 1, sizeof(*(items))) : 0)

#endif
