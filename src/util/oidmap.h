/*
 * oidmap.h - a small open-addressing table from git object ids to indices,
 * for the walks over commits and blobs (history, the touched index).
 */
#ifndef DC_OIDMAP_H
#define DC_OIDMAP_H

#include <stddef.h>

#include <git2.h>

typedef struct {
	git_oid key;
	size_t val;
	int used;
} dc_oidslot;

/* Zero-initialise it ({0}); dc_oidmap_dispose() frees it. */
typedef struct {
	dc_oidslot *s;
	size_t cap, n;
} dc_oidmap;

/* 1 and *val when `k` is in the table, else 0. */
int dc_oidmap_get(const dc_oidmap *m, const git_oid *k, size_t *val);
/* Sets k -> val (replacing). Returns 0, or -1 when memory runs out. */
int dc_oidmap_put(dc_oidmap *m, const git_oid *k, size_t val);
void dc_oidmap_dispose(dc_oidmap *m);

#endif
