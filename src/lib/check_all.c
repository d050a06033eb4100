/*
 * check_all.c - checking every controlled file of a source, on all cores.
 *
 * The document phase is independent per file, so worker threads take files
 * from a shared counter, each with its own buffers, arena and findings; the
 * summaries land in a preallocated array in path order, so no sorting is
 * needed. The repository phase then runs once over all summaries.
 */
#include "check.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"

#define MAX_WORKERS 8
#define CHUNK 16

typedef struct {
	const dc_project *p;
	const dc_check_opts *o;
	const dc_entry **entries;  /* the controlled files, in path order */
	dc_docinfo *docs;          /* one summary per entry */
	size_t n;
	atomic_size_t next;
	atomic_int failed;
	pthread_mutex_t lock;
	char error[1024];          /* the first worker's error message */
} job;

typedef struct {
	job *j;
	dc_arena *keep;
	dc_diags diags;
	int rc;
} worker;

static int check_one(job *j, worker *w, const dc_entry *e, dc_docinfo *info, dc_doc *doc, dc_buf *data,
		     dc_diags *scratch)
{
	dc_diags *to = dc_check_wanted(j->o, e->path) ? &w->diags : scratch;
	int truncated = 0;

	if (!e->symlink && dc_source_read(j->p->src, e, DC_FILE_MAX + 1, data, &truncated) < 0)
		return -1;
	if (dc_doc_parse(doc, e->path, data->ptr, e->symlink ? 0 : data->len, e->symlink, to) < 0)
		return -1;
	if (dc_check_document(info, w->keep, j->p, doc, j->o, to) < 0)
		return -1;
	dc_diags_dispose(scratch);
	return 0;
}

static void *work(void *arg)
{
	worker *w = arg;
	job *j = w->j;
	dc_buf data = DC_BUF_INIT;
	dc_diags scratch;
	dc_doc doc;

	dc_doc_init(&doc);
	dc_diags_init(&scratch);
	while (!atomic_load(&j->failed)) {
		size_t start = atomic_fetch_add(&j->next, CHUNK), i;

		if (start >= j->n)
			break;
		for (i = start; i < start + CHUNK && i < j->n; i++) {
			if (check_one(j, w, j->entries[i], &j->docs[i], &doc, &data, &scratch) == 0)
				continue;
			w->rc = -1;
			pthread_mutex_lock(&j->lock);
			if (!atomic_load(&j->failed))
				snprintf(j->error, sizeof(j->error), "%s", dc_error_last());
			atomic_store(&j->failed, 1);
			pthread_mutex_unlock(&j->lock);
			break;
		}
	}
	dc_arena_dispose(&doc.arena);
	dc_diags_dispose(&scratch);
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

int dc_check_all(const dc_project *p, const dc_check_opts *o, dc_docset *set, dc_diags *diags)
{
	dc_source *src = p->src;
	worker ws[MAX_WORKERS];
	pthread_t tids[MAX_WORKERS];
	job j;
	size_t i, n, nw, started = 0;
	int rc = 0;

	memset(&j, 0, sizeof(j));
	if ((rc = dc_source_scan(src, p->policy->roots, p->policy->nroots)) < 0)
		return rc;
	n = dc_source_count(src);
	j.entries = malloc((n ? n : 1) * sizeof(*j.entries));
	if (!j.entries)
		return dc_error_set("out of memory");
	for (i = 0; i < n; i++)
		if (dc_policy_controls(p->policy, dc_source_entry(src, i)->path))
			j.entries[j.n++] = dc_source_entry(src, i);
	/* the summaries, in path order, after any the set already holds */
	if (set->n + j.n > set->cap) {
		dc_docinfo *grown = realloc(set->docs, (set->n + j.n + 1) * sizeof(*grown));

		if (!grown) {
			free(j.entries);
			return dc_error_set("out of memory");
		}
		set->docs = grown;
		set->cap = set->n + j.n + 1;
	}
	j.docs = set->docs + set->n;
	memset(j.docs, 0, j.n * sizeof(*j.docs));
	j.p = p;
	j.o = o;
	atomic_init(&j.next, 0);
	atomic_init(&j.failed, 0);
	pthread_mutex_init(&j.lock, NULL);
	nw = worker_count(j.n);
	{
		dc_arena *grown = realloc(set->workers, (set->nworkers + nw) * sizeof(*grown));

		if (!grown) {
			rc = dc_error_set("out of memory");
			goto cleanup;
		}
		set->workers = grown;
	}
	for (i = 0; i < nw; i++) {
		memset(&ws[i], 0, sizeof(ws[i]));
		ws[i].j = &j;
		ws[i].keep = &set->workers[set->nworkers + i];
		dc_arena_init(ws[i].keep);
		dc_diags_init(&ws[i].diags);
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
	for (i = 0; i < nw; i++) {
		if (rc == 0 && dc_diags_take(diags, &ws[i].diags) < 0)
			rc = -1;
		dc_diags_dispose(&ws[i].diags);
	}
	if (atomic_load(&j.failed)) {
		rc = dc_error_set("%s", j.error);
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	set->n += j.n;
	rc = dc_check_repository(p, set, o, diags);
cleanup:
	pthread_mutex_destroy(&j.lock);
	free(j.entries);
	return rc;
}
