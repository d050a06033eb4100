/*
 * check_all.c - checking every controlled file of a source, on all cores,
 * with the cache of earlier results (cache.h).
 *
 * The document phase is independent per file, so worker threads take files
 * from a shared counter, each with its own buffers, arena and findings; the
 * summaries land in a preallocated array in path order, so no sorting is
 * needed. A file whose cached record matches is not read at all. The
 * repository phase then runs once over all summaries, and the cache is
 * rewritten when anything was new.
 */
#include "check.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "error.h"

#define MAX_WORKERS 8
#define CHUNK 16

typedef struct {
	const dc_project *p;
	const dc_check_opts *o;
	const dc_entry **entries;  /* the controlled files, in path order */
	dc_docinfo *docs;          /* one summary per entry */
	size_t n;
	const dc_cache *cache;     /* NULL: no cache */
	const unsigned char **old; /* per entry: its record in the cache, if used */
	size_t *len;               /* per entry: the record's length */
	unsigned char *maker;      /* per entry: worker + 1 that made a new record */
	size_t *off;               /* per entry: where in that worker's records */
	atomic_size_t misses;
	atomic_size_t next;
	atomic_int failed;
	pthread_mutex_t lock;
	char error[1024];          /* the first worker's error message */
} job;

typedef struct {
	job *j;
	unsigned index;
	dc_arena *keep;
	dc_diags diags;
	dc_buf records;            /* new cache records made by this worker */
} worker;

static int check_one(job *j, worker *w, size_t i, dc_doc *doc, dc_buf *data, dc_diags *found)
{
	const dc_entry *e = j->entries[i];
	dc_diags *to = dc_check_wanted(j->o, e->path) ? &w->diags : NULL;
	const unsigned char *rec;
	size_t len, off;
	int truncated = 0, rc;

	if ((rec = dc_cache_lookup(j->cache, e, &len))) {
		rc = dc_cache_decode(rec, len, &j->docs[i], w->keep, found);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			j->old[i] = rec;
			j->len[i] = len;
			goto report;
		}
		dc_diags_dispose(found);
	}
	atomic_fetch_add(&j->misses, 1);
	if (!e->symlink && dc_source_read(j->p->src, e, DC_FILE_MAX + 1, data, &truncated) < 0)
		return -1;
	if (dc_doc_parse(doc, e->path, data->ptr, e->symlink ? 0 : data->len, e->symlink, found) < 0 ||
	    dc_check_document(&j->docs[i], w->keep, j->p, doc, j->o, found) < 0)
		return -1;
	if (j->cache) {
		off = w->records.len;
		rc = dc_cache_encode(&w->records, e, &j->docs[i], found);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			j->maker[i] = (unsigned char)(w->index + 1);
			j->off[i] = off + 4;
			j->len[i] = w->records.len - off - 4;
		}
	}
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
				snprintf(j->error, sizeof(j->error), "%s", dc_error_last());
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

static size_t worker_count(size_t files)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 0 ? (size_t)cpus : 1;
	const char *env = getenv("DOCCTL_THREADS");

	if (env && atoi(env) > 0)
		n = (size_t)atoi(env);
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	if (n > files / 64 + 1)
		n = files / 64 + 1;
	return n ? n : 1;
}

/* Rewrites the cache with one record per document, old or new. */
static void save_cache(const job *j, const worker *ws)
{
	const unsigned char **recs = malloc((j->n ? j->n : 1) * sizeof(*recs));
	size_t *lens = malloc((j->n ? j->n : 1) * sizeof(*lens));
	size_t i, n = 0;

	if (recs && lens) {
		for (i = 0; i < j->n; i++) {
			if (j->old[i])
				recs[n] = j->old[i];
			else if (j->maker[i])
				recs[n] = (const unsigned char *)ws[j->maker[i] - 1].records.ptr + j->off[i];
			else
				continue;
			lens[n++] = j->len[i];
		}
		dc_cache_save(j->cache, recs, lens, n); /* a cache that cannot be written is only slower */
	}
	free(recs);
	free(lens);
}

int dc_check_all(const dc_project *p, const dc_check_opts *o, dc_docset *set, dc_diags *diags)
{
	dc_source *src = p->src;
	dc_cache *cache = NULL;
	worker ws[MAX_WORKERS];
	pthread_t tids[MAX_WORKERS];
	job j;
	size_t i, n, nw = 0, started = 0;
	int rc = 0;

	memset(&j, 0, sizeof(j));
	if ((rc = dc_source_scan(src, p->policy->roots, p->policy->nroots)) < 0)
		return rc;
	n = dc_source_count(src);
	if (dc_cache_open(&cache, src, p->fingerprint) < 0)
		return -1;
	j.entries = malloc((n ? n : 1) * sizeof(*j.entries));
	j.old = calloc(n ? n : 1, sizeof(*j.old));
	j.len = calloc(n ? n : 1, sizeof(*j.len));
	j.maker = calloc(n ? n : 1, sizeof(*j.maker));
	j.off = calloc(n ? n : 1, sizeof(*j.off));
	if (!j.entries || !j.old || !j.len || !j.maker || !j.off) {
		rc = dc_error_set("out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++)
		if (dc_policy_controls(p->policy, dc_source_entry(src, i)->path))
			j.entries[j.n++] = dc_source_entry(src, i);
	/* the summaries, in path order, after any the set already holds */
	if (set->n + j.n + 1 > set->cap) {
		dc_docinfo *grown = realloc(set->docs, (set->n + j.n + 1) * sizeof(*grown));

		if (!grown) {
			rc = dc_error_set("out of memory");
			goto cleanup;
		}
		set->docs = grown;
		set->cap = set->n + j.n + 1;
	}
	j.docs = set->docs + set->n;
	memset(j.docs, 0, j.n * sizeof(*j.docs));
	j.p = p;
	j.o = o;
	j.cache = cache;
	atomic_init(&j.next, 0);
	atomic_init(&j.misses, 0);
	atomic_init(&j.failed, 0);
	pthread_mutex_init(&j.lock, NULL);
	nw = worker_count(j.n);
	{
		dc_arena *grown = realloc(set->workers, (set->nworkers + nw) * sizeof(*grown));

		if (!grown) {
			rc = dc_error_set("out of memory");
			nw = 0;
			goto cleanup;
		}
		set->workers = grown;
	}
	for (i = 0; i < nw; i++) {
		memset(&ws[i], 0, sizeof(ws[i]));
		ws[i].j = &j;
		ws[i].index = (unsigned)i;
		ws[i].keep = &set->workers[set->nworkers + i];
		dc_arena_init(ws[i].keep);
		dc_diags_init(&ws[i].diags);
		dc_buf_init(&ws[i].records);
	}
	set->nworkers += nw;
	/* the calling thread is worker 0 */
	for (i = 1; i < nw; i++) {
		if (pthread_create(&tids[i], NULL, work, &ws[i]) != 0)
			break;
		started = i;
	}
	work(&ws[0]);
	for (i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	for (i = 0; i < nw; i++)
		if (rc == 0 && dc_diags_take(diags, &ws[i].diags) < 0)
			rc = -1;
	if (atomic_load(&j.failed))
		rc = dc_error_set("%s", j.error);
	if (rc < 0)
		goto cleanup;
	set->n += j.n;
	if (cache && atomic_load(&j.misses))
		save_cache(&j, ws);
	if (cache) {
		/* the summaries decoded from the cache point into its data */
		dc_mapping *grown = realloc(set->blocks, (set->nblocks + 1) * sizeof(*grown));

		if (!grown) {
			rc = dc_error_set("out of memory");
			goto cleanup;
		}
		set->blocks = grown;
		set->nblocks += (size_t)dc_cache_take_data(cache, &set->blocks[set->nblocks]);
	}
	if ((rc = dc_docset_index(set)) == 0 && !o->skip_repository)
		rc = dc_check_repository(p, set, o, diags);
cleanup:
	for (i = 0; i < nw; i++) {
		dc_diags_dispose(&ws[i].diags);
		dc_buf_dispose(&ws[i].records);
	}
	if (nw)
		pthread_mutex_destroy(&j.lock);
	dc_cache_free(cache);
	free(j.entries);
	free(j.old);
	free(j.len);
	free(j.maker);
	free(j.off);
	return rc;
}
