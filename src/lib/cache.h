/*
 * cache.h - the results of the document phase kept between runs, so a
 * document is never parsed twice (the performance issue).
 *
 * A record holds everything dc_check_document() produced for one file: its
 * findings and its summary. It is keyed by the file's path and either its
 * blob id (index and commit trees) or its lstat data (the working tree, as
 * git's index does), and the whole cache is valid only for one policy and
 * schema fingerprint and one format version. What depends on the rest of
 * the tree or on the date (link targets, review dates) is never cached: it
 * is recomputed from the summary every run (dc_check_repository()).
 *
 * The cache lives in the git directory (docctl-cache/worktree and
 * docctl-cache/objects), is replaced atomically, and is checked with
 * checksums (its header and table when opened, each record when it is
 * used): a missing, stale, truncated or corrupt cache or record is ignored,
 * never trusted. DOCCTL_CACHE=0 turns it off.
 */
#ifndef DC_CACHE_H
#define DC_CACHE_H

#include <stddef.h>

#include "buf.h"
#include "check.h"
#include "source.h"

typedef struct dc_cache dc_cache;

/* Zero when DOCCTL_CACHE=0: then nothing in docctl-cache/ (this cache,
 * the snapshot, the touched index) is read or written. */
int dc_cache_enabled(void);

/* Opens the cache of a source. *out is NULL when there is none to use (no
 * git directory, or turned off). Returns 0, or -1 when memory runs out. */
int dc_cache_open(dc_cache **out, const dc_source *src, unsigned long long fingerprint);
void dc_cache_free(dc_cache *c);
/* Hands over the cache's mapped data (dc_mapping_dispose() it) to whoever
 * keeps decoded summaries; the cache answers no lookups after this.
 * Returns 1 when there was data, else 0. */
int dc_cache_take_data(dc_cache *c, dc_mapping *out);

/* The record for `e` when one with the same key is cached and its
 * checksum holds, else NULL. Safe to call from several threads. */
const unsigned char *dc_cache_lookup(const dc_cache *c, const dc_entry *e, size_t *len);

/* Fills `info` from a record and appends its findings to `diags`. The
 * summary's strings point into the record (arrays, and copies of the
 * strings the repository rules look up, go into `keep`), so the cache's
 * data must outlive it: see dc_cache_take_data(). With `diags` NULL the
 * findings are skipped. Returns 0, 1 when the record does not decode (use
 * it as a miss), -1 on failure. */
int dc_cache_decode(const unsigned char *rec, size_t len, dc_docinfo *info, dc_arena *keep, dc_diags *diags);

/* The same for a record just made by dc_cache_encode() (kept as long as
 * the summary): its findings are skipped, and fewer strings are copied
 * (those the repository rules look up the most are copied next to each
 * other either way). */
int dc_cache_decode_new(const unsigned char *rec, size_t len, dc_docinfo *info, dc_arena *keep);

/* Nonzero when a record of `e` would be cached (dc_cache_encode() makes
 * one): it has a key and was not modified too recently. */
int dc_cache_wants(const dc_entry *e);

/* Appends the record of `e` to `out`: its findings `found` and `info`.
 * Returns 0, 1 when the entry should not be cached (modified too recently
 * to trust its timestamp, or no key), -1 on failure. */
int dc_cache_encode(dc_buf *out, const dc_entry *e, const dc_docinfo *info, const dc_diags *found);

/* Replaces the cache file with these records (each as dc_cache_encode made
 * it). Returns 0 or -1; callers may ignore a failure. */
int dc_cache_save(const dc_cache *c, const unsigned char *const *recs, const size_t *lens, size_t n);

#endif
