/*
 * arena.c - the bump allocator (see arena.h).
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct dc_arena_block {
	dc_arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define BLOCK_SIZE (16 * 1024 - 64)

void dc_arena_init(dc_arena *a)
{
	a->head = NULL;
}

void dc_arena_dispose(dc_arena *a)
{
	dc_arena_block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

void dc_arena_reset(dc_arena *a)
{
	dc_arena_block *b;

	if (!a || !a->head)
		return;
	while ((b = a->head->next)) {
		a->head->next = b->next;
		free(b);
	}
	a->head->used = 0;
}

/* Uninitialised memory, or NULL. */
static void *alloc_raw(dc_arena *a, size_t size)
{
	dc_arena_block *b = a->head;
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (size > SIZE_MAX / 2) {
		dc_error_oom();
		return NULL;
	}
	if (!b || b->cap - b->used < need) {
		size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;

		b = malloc(sizeof(*b) + cap);
		if (!b) {
			dc_error_oom();
			return NULL;
		}
		b->used = 0;
		b->cap = cap;
		if (a->head && cap > BLOCK_SIZE) {
			/* keep the partly used block in front for small allocations */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	return p;
}

void *dc_arena_alloc(dc_arena *a, size_t size)
{
	void *p = alloc_raw(a, size);

	if (p)
		memset(p, 0, size);
	return p;
}

char *dc_arena_strndup(dc_arena *a, const char *s, size_t len)
{
	char *p = alloc_raw(a, len + 1);

	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *dc_arena_strdup(dc_arena *a, const char *s)
{
	return dc_arena_strndup(a, s, strlen(s));
}
