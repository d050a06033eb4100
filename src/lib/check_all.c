/*
 * check_all.c - checking every controlled file of a source, on all cores,
 * with the cache of earlier results (cache.h).
 *
 * The document phase is independent per file, so worker threads take files
 * from a shared counter, each with its own buffers, arena and findings; the
 * summaries land in a preallocated array in path order, so no sorting is
 * needed. A file whose cached record matches is not read at all. A file
 * that is read is checked into a scratch arena and turned into its cache
 * record at once; its summary is then decoded from that record, so the
 * summary and the record share their strings (one copy in memory, not
 * two). The repository phase then runs once over all summaries while
 * another thread rewrites the cache when anything was new.
 */
#include "array.h"
#include "check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "buf.h"
#include "cache.h"
#include "check_tree.h"
#include "error.h"
#include "i18n.h"
#include "parallel.h"

#define CHUNK 16
#define STORE (1u << 20)   /* records are kept in blocks of this size */

typedef struct {
	const dc_project *p;
	const dc_check_opts *o;
	const dc_entry **entries;  /* the controlled files, in path order */
	dc_docinfo *docs;          /* one summary per entry */
	size_t n;
	const dc_cache *cache;     /* NULL: no cache */
	const unsigned char **rec; /* per entry: its record, old or new, if any */
	size_t *len;               /* per entry: the record's length */
	atomic_size_t misses;
	atomic_size_t next;
	atomic_int failed;
	pthread_mutex_t lock;
	dc_error_saved error;      /* the first worker's error message */
} job;

typedef struct {
	job *j;
	unsigned index;
	dc_arena *keep;
	dc_diags diags;
	dc_arena tmp;              /* one document's summary, until it is a record */
	dc_buf scratch;            /* one record being made */
	unsigned char *store;      /* the block (in keep) new records go into */
	size_t used, cap;
} worker;

/* A copy of a new record that lives as long as the summaries. */
static const unsigned char *keep_record(worker *w, const unsigned char *rec, size_t len)
{
	unsigned char *at;

	if (w->cap - w->used < len) {
		size_t cap = len > STORE ? len : STORE;

		if (!(w->store = dc_arena_alloc(w->keep, cap)))
			return NULL;
		w->used = 0;
		w->cap = cap;
	}
	at = w->store + w->used;
	memcpy(at, rec, len);
	w->used += len;
	return at;
}

/* Checks a document that was read: with a cache, through its record. */
static int check_read(job *j, worker *w, size_t i, const dc_doc *doc, dc_diags *found)
{
	const dc_entry *e = j->entries[i];
	const unsigned char *rec;
	dc_docinfo info;
	size_t len;
	int rc;

	if (!j->cache || !dc_cache_wants(e))
		return dc_check_document(&j->docs[i], w->keep, j->p, doc, j->o, found);
	dc_arena_reset(&w->tmp);
	dc_buf_clear(&w->scratch);
	if (dc_check_document(&info, &w->tmp, j->p, doc, j->o, found) < 0 ||
	    (rc = dc_cache_encode(&w->scratch, e, &info, found)) < 0)
		return -1;
	if (rc == 0) {
		len = w->scratch.len - 4; /* after its length */
		if (!(rec = keep_record(w, (const unsigned char *)w->scratch.ptr + 4, len)))
			return -1;
		rc = dc_cache_decode_new(rec, len, &j->docs[i], w->keep);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			j->rec[i] = rec;
			j->len[i] = len;
			return 0;
		}
	}
	/* not cached after all: check it again, into the summaries */
	dc_diags_dispose(found);
	return dc_check_document(&j->docs[i], w->keep, j->p, doc, j->o, found);
}

static int check_one(job *j, worker *w, size_t i, dc_doc *doc, dc_buf *data, dc_diags *found)
{
	const dc_entry *e = j->entries[i];
	dc_diags *to = dc_check_wanted(j->o, e->path) ? &w->diags : NULL;
	const unsigned char *rec;
	size_t len;
	int truncated = 0, rc;

	if ((rec = dc_cache_lookup(j->cache, e, &len))) {
		rc = dc_cache_decode(rec, len, &j->docs[i], w->keep, found);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			j->rec[i] = rec;
			j->len[i] = len;
			goto report;
		}
		dc_diags_dispose(found);
	}
	atomic_fetch_add(&j->misses, 1);
	if (!e->symlink && dc_source_read(j->p->src, e, DC_FILE_MAX + 1, data, &truncated) < 0)
		return -1;
	if (dc_doc_parse(doc, e->path, data->ptr, e->symlink ? 0 : data->len, e->symlink, found) < 0 ||
	    check_read(j, w, i, doc, found) < 0)
		return -1;
report:
	rc = to ? dc_diags_take(to, found) : 0;
	dc_diags_dispose(found);
	return rc;
}

static void *work(void *arg)
{
	worker *w = arg;
	job *j = w->j;
	dc_buf data = DC_BUF_INIT;
	dc_diags found;
	dc_doc doc;

	dc_doc_init(&doc);
	dc_diags_init(&found);
	while (!atomic_load(&j->failed)) {
		size_t start = atomic_fetch_add(&j->next, CHUNK), i;

		if (start >= j->n)
			break;
		for (i = start; i < start + CHUNK && i < j->n; i++) {
			if (check_one(j, w, i, &doc, &data, &found) == 0)
				continue;
			pthread_mutex_lock(&j->lock);
			if (!atomic_load(&j->failed))
				dc_error_capture(&j->error);
			atomic_store(&j->failed, 1);
			pthread_mutex_unlock(&j->lock);
			break;
		}
	}
	dc_arena_dispose(&doc.arena);
	dc_diags_dispose(&found);
	dc_buf_dispose(&data);
	return NULL;
}

/* Rewrites the cache with one record per document, old or new. */
static void *save_cache(void *arg)
{
	const job *j = arg;
	const unsigned char **recs = malloc((j->n ? j->n : 1) * sizeof(*recs));
	size_t *lens = malloc((j->n ? j->n : 1) * sizeof(*lens));
	size_t i, n = 0;

	if (recs && lens) {
		for (i = 0; i < j->n; i++) {
			if (!j->rec[i])
				continue;
			recs[n] = j->rec[i];
			lens[n++] = j->len[i];
		}
		dc_cache_save(j->cache, recs, lens, n); /* a cache that cannot be written is only slower */
	}
	free(recs);
	free(lens);
	return NULL;
}

/* The controlled files of the source's n entries, in path order, and a
 * record slot for each. Returns 0 or -1. */
static int list_controlled(job *j, const dc_project *p, size_t n)
{
	dc_source *src = p->src;
	size_t i;

	j->entries = malloc((n ? n : 1) * sizeof(*j->entries));
	j->rec = calloc(n ? n : 1, sizeof(*j->rec));
	j->len = calloc(n ? n : 1, sizeof(*j->len));
	if (!j->entries || !j->rec || !j->len)
		return dc_error_oom();
	for (i = 0; i < n; i++)
		if (dc_policy_controls(p->policy, dc_source_entry(src, i)->path))
			j->entries[j->n++] = dc_source_entry(src, i);
	return 0;
}

/* Room for `more` summaries after any the set already holds. */
static int reserve_summaries(dc_docset *set, size_t more)
{
	return DC_ARRAY_GROW(set->docs, set->cap, set->n + more + 1);
}

/* nw workers, each with its own findings and buffers, and an arena the set
 * keeps (the summaries point into it). Returns 0 or -1 (none made). */
static int workers_init(worker *ws, size_t nw, job *j, dc_docset *set)
{
	size_t i;

	if (DC_ARRAY_GROW(set->workers, set->workers_cap, set->nworkers + nw) < 0)
		return -1;
	for (i = 0; i < nw; i++) {
		memset(&ws[i], 0, sizeof(ws[i]));
		ws[i].j = j;
		ws[i].index = (unsigned)i;
		ws[i].keep = &set->workers[set->nworkers + i];
		dc_arena_init(ws[i].keep);
		dc_diags_init(&ws[i].diags);
		dc_arena_init(&ws[i].tmp);
		dc_buf_init(&ws[i].scratch);
	}
	set->nworkers += nw;
	return 0;
}

static void workers_dispose(worker *ws, size_t nw)
{
	size_t i;

	for (i = 0; i < nw; i++) {
		dc_diags_dispose(&ws[i].diags);
		dc_arena_dispose(&ws[i].tmp);
		dc_buf_dispose(&ws[i].scratch);
	}
}

/* Runs the workers (the calling thread is worker 0) and gathers their
 * findings. Returns 0, or -1 with the first worker's error. */
static int workers_run(worker *ws, size_t nw, job *j, dc_diags *diags)
{
	size_t i;
	int rc = 0;

	dc_parallel(work, ws, sizeof(*ws), nw);
	for (i = 0; i < nw; i++)
		if (rc == 0 && dc_diags_take(diags, &ws[i].diags) < 0)
			rc = -1;
	if (atomic_load(&j->failed))
		rc = dc_error_restore(&j->error);
	return rc;
}

/* The summaries decoded from the cache point into its data: the set keeps it. */
static int keep_cache_data(dc_docset *set, dc_cache *cache)
{
	if (DC_ARRAY_GROW(set->blocks, set->blocks_cap, set->nblocks + 1) < 0)
		return -1;
	set->nblocks += (size_t)dc_cache_take_data(cache, &set->blocks[set->nblocks]);
	return 0;
}

int dc_check_all(const dc_project *p, const dc_check_opts *o, dc_docset *set, dc_diags *diags)
{
	dc_source *src = p->src;
	dc_cache *cache = NULL;
	worker ws[DC_THREADS_MAX];
	pthread_t saver;
	job j;
	size_t n, nw = 0;
	int rc = 0, saving = 0;

	memset(&j, 0, sizeof(j));
	if ((rc = dc_source_scan(src, p->policy->roots, p->policy->nroots)) < 0)
		return rc;
	n = dc_source_count(src);
	if (dc_cache_open(&cache, src, p->fingerprint) < 0)
		return -1;
	/* the summaries, in path order, after any the set already holds */
	if ((rc = list_controlled(&j, p, n)) < 0 || (rc = reserve_summaries(set, j.n)) < 0)
		goto cleanup;
	/* (each worker fills in its summaries: no need to clear them here,
	 * where touching the fresh pages would cost one core their faults) */
	j.docs = set->docs + set->n;
	j.p = p;
	j.o = o;
	j.cache = cache;
	atomic_init(&j.next, 0);
	atomic_init(&j.misses, 0);
	atomic_init(&j.failed, 0);
	pthread_mutex_init(&j.lock, NULL);
	nw = dc_threads_for(j.n, 64);
	if ((rc = workers_init(ws, nw, &j, set)) < 0) {
		nw = 0;
		goto cleanup;
	}
	rc = workers_run(ws, nw, &j, diags);
	/* gitlinks, links, colliding names, .gitattributes (reference §6.1 item 3b) */
	if (rc == 0 && !o->skip_shape)
		rc = dc_shape_check_listed(p, o, diags);
	if (rc < 0)
		goto cleanup;
	set->n += j.n;
	if (cache && (rc = keep_cache_data(set, cache)) < 0)
		goto cleanup;
	/* the new cache is written while the repository rules run */
	if (cache && atomic_load(&j.misses)) {
		if (pthread_create(&saver, NULL, save_cache, &j) == 0)
			saving = 1;
		else
			save_cache(&j);
	}
	if ((rc = dc_docset_index(set)) == 0 && !o->skip_repository)
		rc = dc_check_repository(p, set, o, diags);
	/* attachments: listed files and the files no document claims (§9.3) */
	if (rc == 0 && !o->skip_repository)
		rc = dc_check_attachments(p, set, o, diags);
cleanup:
	if (saving)
		pthread_join(saver, NULL);
	workers_dispose(ws, nw);
	if (nw)
		pthread_mutex_destroy(&j.lock);
	dc_cache_free(cache);
	free(j.entries);
	free(j.rec);
	free(j.len);
	return rc;
}
