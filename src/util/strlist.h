/*
 * strlist.h - the one list of strings of docctl (paths, e-mail addresses,
 * prefixes): the strings are copies kept in the list's own arena, so the
 * list is freed in one call. A zeroed list ({ 0 }) is an empty list.
 */
#ifndef DC_STRLIST_H
#define DC_STRLIST_H

#include <stddef.h>

#include "arena.h"

typedef struct {
	const char **v;
	size_t n, cap;
	dc_arena arena;
} dc_strlist;

void dc_strlist_init(dc_strlist *l);
/* Frees the strings and the list; leaves it empty, ready for reuse. */
void dc_strlist_dispose(dc_strlist *l);
/* Appends a copy of s. Returns 0, or -1 (dc_error set). */
int dc_strlist_add(dc_strlist *l, const char *s);
/* Appends a copy of s unless the list holds it already. */
int dc_strlist_add_unique(dc_strlist *l, const char *s);
/* 1 when the list holds s, else 0. */
int dc_strlist_has(const dc_strlist *l, const char *s);
/* Sorts the list by strcmp(). */
void dc_strlist_sort(dc_strlist *l);

/* strcmp() for qsort() of an array of strings (char * or const char *). */
int dc_strp_cmp(const void *a, const void *b);

#endif
