/*
 * sigcache.c - the signatures a push asks about, each verified once, all
 * at once on every core, under the hook's deadline (reference §6.3, §6.8).
 *
 * receive_auth.c first walks the push asking rcv_verify about every commit
 * and person it will need while x->collect is set: nothing is verified
 * then, the pairs are only noted. rcv_verify_pending reads their
 * signatures from the repository (libgit2 is read on this thread only) and
 * runs ssh-keygen for all of them from a few threads, each child process
 * with the time left before the deadline. The decisions that follow find
 * every answer in the cache. A push cannot hold the hook past
 * DOCCTL_HOOK_DEADLINE seconds (default 60): the verification stops there
 * and the push is refused with the reason.
 */
#include "receive_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "i18n.h"
#include "parallel.h"

static int add_entry(rcv_ref *x, const git_oid *commit, const char *email, char *key, rcv_sig **out)
{
	rcv_sig *p;

	if (dc_array_grow(&x->sigs, &x->capsigs, x->nsigs, sizeof(*x->sigs)) < 0) {
		free(key);
		return -1;
	}
	p = &x->sigs[x->nsigs];
	memset(p, 0, sizeof(*p));
	p->key = key;
	git_oid_cpy(&p->commit, commit);
	p->email = email;
	x->nsigs++;
	if (dc_strmap_put(&x->sig_index, p->key, x->nsigs - 1) < 0)
		return -1;
	*out = p;
	return 0;
}

int rcv_verify(rcv_ref *x, const git_oid *commit, const char *email, dc_sig_result *out)
{
	dc_buf key = DC_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], *k;
	long long left;
	rcv_sig *p;
	size_t at;

	memset(out, 0, sizeof(*out));
	out->status = DC_SIG_NONE;
	git_oid_tostr(hex, sizeof(hex), commit);
	if (dc_buf_printf(&key, "%s %s", hex, email) < 0)
		return -1;
	if (dc_strmap_get(&x->sig_index, key.ptr, &at)) {
		dc_buf_dispose(&key);
		p = &x->sigs[at];
		if (!p->pending) {
			*out = p->result;
			return 0;
		}
		if (x->collect)
			return 0;
		/* noted but not verified (cannot happen after rcv_verify_pending) */
	} else {
		if (!(k = dc_buf_detach(&key)))
			return dc_error_oom();
		if (add_entry(x, commit, email, k, &p) < 0)
			return -1;
		p->pending = 1;
		if (x->collect)
			return 0;
	}
	if ((left = rcv_deadline_left(x, N_("verifying signatures"))) < 0)
		return -1;
	{
		git_buf sig = GIT_BUF_INIT, payload = GIT_BUF_INIT;
		int rc = dc_sig_extract(x->r->repo, commit, &sig, &payload);

		memset(&p->result, 0, sizeof(p->result));
		p->result.status = DC_SIG_NONE;
		if (rc == 0)
			rc = dc_sig_verify_data(&p->result, sig.ptr, sig.size, payload.ptr, payload.size, x->signers.ptr,
						x->signers.len, email, x->r->opts.now, left > 10000 ? 10000 : (int)left, 0);
		git_buf_dispose(&sig);
		git_buf_dispose(&payload);
		if (rc < 0)
			return -1;
	}
	p->pending = 0;
	*out = p->result;
	return 0;
}

int rcv_signed_with_key_of(rcv_ref *x, const git_oid *commit, const char *email, int *out)
{
	git_buf sig = GIT_BUF_INIT, payload = GIT_BUF_INIT;
	int rc = dc_sig_extract(x->r->repo, commit, &sig, &payload);

	*out = rc == 0 && dc_sig_names_key_of(sig.ptr, sig.size, x->signers.ptr, x->signers.len, email);
	git_buf_dispose(&sig);
	git_buf_dispose(&payload);
	return rc < 0 ? -1 : 0;
}

/* --- verifying what was noted, on every core --- */

typedef struct {
	rcv_sig *s;
	git_buf sig, payload;
	int rc;
	dc_error_saved error;
} job;

typedef struct {
	rcv_ref *x;
	job *jobs;
	size_t n;
	size_t *next;     /* shared: the next job to take */
} worker;

static void *work(void *arg)
{
	worker *w = arg;
	rcv_ref *x = w->x;

	for (;;) {
		size_t i = __atomic_fetch_add(w->next, 1, __ATOMIC_RELAXED);
		job *j;
		long long left;

		if (i >= w->n)
			break;
		j = &w->jobs[i];
		left = rcv_deadline_left(x, N_("verifying signatures"));
		if (left < 0) {
			j->rc = -1;
		} else {
			j->rc = dc_sig_verify_data(&j->s->result, j->sig.ptr, j->sig.size, j->payload.ptr, j->payload.size,
						   x->signers.ptr, x->signers.len, j->s->email, x->r->opts.now,
						   left > 10000 ? 10000 : (int)left, 0);
		}
		if (j->rc < 0) {
			dc_error_capture(&j->error);
			if (left > 0 && x->r->deadline_ms && rcv_deadline_left(x, N_("verifying signatures")) < 0)
				dc_error_capture(&j->error);
		}
	}
	return NULL;
}

int rcv_verify_pending(rcv_ref *x)
{
	worker ws[DC_THREADS_MAX];
	job *jobs = NULL;
	size_t i, n = 0, total, next = 0, nthreads;
	int rc = 0;

	for (i = 0; i < x->nsigs; i++)
		if (x->sigs[i].pending)
			n++;
	if (!n)
		return 0;
	total = n;
	if (!(jobs = calloc(total, sizeof(*jobs))))
		return dc_error_oom();
	/* the signatures are read here, on this thread; most commits carry none */
	for (i = 0, n = 0; i < x->nsigs && rc == 0; i++) {
		rcv_sig *s = &x->sigs[i];
		job *j = &jobs[n];
		int r;

		if (!s->pending)
			continue;
		memset(&s->result, 0, sizeof(s->result));
		s->result.status = DC_SIG_NONE;
		r = dc_sig_extract(x->r->repo, &s->commit, &j->sig, &j->payload);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r > 0) {
			s->pending = 0;
			continue;
		}
		j->s = s;
		n++;
	}
	if (rc == 0 && n) {
		/* two per core: each waits for its ssh-keygen much of the time */
		nthreads = 2 * dc_threads_for(n, 1);
		if (nthreads > DC_THREADS_MAX)
			nthreads = DC_THREADS_MAX;
		if (nthreads > n)
			nthreads = n;
		for (i = 0; i < nthreads; i++) {
			ws[i].x = x;
			ws[i].jobs = jobs;
			ws[i].n = n;
			ws[i].next = &next;
		}
		dc_parallel(work, ws, sizeof(*ws), nthreads);
		for (i = 0; i < n && rc == 0; i++) {
			if (jobs[i].rc < 0)
				rc = dc_error_restore(&jobs[i].error);
			else
				jobs[i].s->pending = 0;
		}
	}
	for (i = 0; i < total; i++) {
		git_buf_dispose(&jobs[i].sig);
		git_buf_dispose(&jobs[i].payload);
	}
	free(jobs);
	return rc;
}

void rcv_sigs_dispose(rcv_ref *x)
{
	size_t i;

	for (i = 0; i < x->nsigs; i++)
		free(x->sigs[i].key);
	free(x->sigs);
	dc_strmap_dispose(&x->sig_index);
	x->sigs = NULL;
	x->nsigs = x->capsigs = 0;
}
