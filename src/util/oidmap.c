/*
 * oidmap.c - object id -> index, linear probing, doubled at 70% load. The
 * first bytes of an object id are already uniformly spread: they are the
 * hash.
 */
#include "oidmap.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

static size_t oid_hash(const git_oid *k)
{
	size_t h;

	memcpy(&h, k->id, sizeof(h));
	return h;
}

int dc_oidmap_get(const dc_oidmap *m, const git_oid *k, size_t *val)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = oid_hash(k) & (m->cap - 1); m->s[i].used; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(&m->s[i].key, k)) {
			*val = m->s[i].val;
			return 1;
		}
	return 0;
}

int dc_oidmap_put(dc_oidmap *m, const git_oid *k, size_t val)
{
	size_t i;

	if ((m->n + 1) * 10 > m->cap * 7) {
		dc_oidmap bigger = { NULL, m->cap ? m->cap * 2 : 1024, 0 };

		if (!(bigger.s = calloc(bigger.cap, sizeof(dc_oidslot))))
			return dc_error_oom();
		for (i = 0; i < m->cap; i++)
			if (m->s[i].used)
				dc_oidmap_put(&bigger, &m->s[i].key, m->s[i].val);
		free(m->s);
		*m = bigger;
	}
	for (i = oid_hash(k) & (m->cap - 1); m->s[i].used; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(&m->s[i].key, k)) {
			m->s[i].val = val;
			return 0;
		}
	m->s[i].key = *k;
	m->s[i].val = val;
	m->s[i].used = 1;
	m->n++;
	return 0;
}

void dc_oidmap_dispose(dc_oidmap *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}
