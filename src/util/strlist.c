/*
 * strlist.c - a list of strings in an arena (see strlist.h).
 */
#include "strlist.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "error.h"

void dc_strlist_init(dc_strlist *l)
{
	memset(l, 0, sizeof(*l));
	dc_arena_init(&l->arena);
}

void dc_strlist_dispose(dc_strlist *l)
{
	if (!l)
		return;
	free(l->v);
	dc_arena_dispose(&l->arena);
	dc_strlist_init(l);
}

int dc_strlist_add(dc_strlist *l, const char *s)
{
	const char *copy;

	if (DC_ARRAY_GROW(l->v, l->cap, l->n + 1) < 0)
		return -1;
	if (!(copy = dc_arena_strdup(&l->arena, s)))
		return -1;
	l->v[l->n++] = copy;
	return 0;
}

int dc_strlist_add_unique(dc_strlist *l, const char *s)
{
	return dc_strlist_has(l, s) ? 0 : dc_strlist_add(l, s);
}

int dc_strp_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void dc_strlist_sort(dc_strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), dc_strp_cmp);
}

int dc_strlist_has(const dc_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}
