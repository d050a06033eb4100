/*
 * array.c - growing an array (see array.h).
 */
#include "array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* The capacity that holds element n: cap doubled (16 at first), or 0 when
 * that many elements of `size` bytes do not fit in memory. */
static size_t grown(size_t cap, size_t n, size_t size)
{
	size_t ncap = cap ? cap : 16;

	while (ncap <= n) {
		if (ncap > SIZE_MAX / 2)
			return 0;
		ncap *= 2;
	}
	return ncap > SIZE_MAX / size ? 0 : ncap;
}

int dc_array_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void **p = pp;
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	if (!(ncap = grown(*cap, n, size)) || !(np = realloc(*p, ncap * size)))
		return dc_error_oom();
	*p = np;
	*cap = ncap;
	return 0;
}

int dc_arena_grow(dc_arena *a, void *pp, size_t *cap, size_t n, size_t size)
{
	void **p = pp;
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	if (!(ncap = grown(*cap, n, size)))
		return dc_error_oom();
	if (!(np = dc_arena_alloc(a, ncap * size)))
		return -1;
	if (*cap)
		memcpy(np, *p, *cap * size);
	*p = np;
	*cap = ncap;
	return 0;
}
