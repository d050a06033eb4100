/*
 * array.c - growing an array (see array.h).
 */
#include "array.h"

#include <stdint.h>
#include <stdlib.h>

#include "error.h"

int dc_array_grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void **p = pp;
	size_t ncap;
	void *np;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap : 16;
	while (ncap <= n) {
		if (ncap > SIZE_MAX / 2)
			return dc_error_oom();
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return dc_error_oom();
	np = realloc(*p, ncap * size);
	if (!np)
		return dc_error_oom();
	*p = np;
	*cap = ncap;
	return 0;
}
