/*
 * cache.c - the reading lists of one trusted commit on one day (web.h;
 * reference §12), kept in the git dir as docctl-web.reading so that a
 * page of my reading list reads neither the policy (10,000 people are a
 * megabyte of YAML) nor the documents, only this file and the person's
 * own file of the confirmations' ref. Lines, fields separated by TAB:
 *
 *   docctl-web reading 1  COMMIT  TODAY  ACK-REF  PUSHER-VAR  SITE-or--
 *   D  ID  TITLE  REVISION  DUE  ACCEPTED,REVISIONS  PENDING-or--  (a document in force)
 *   P  KEY  EMAIL-or--  NAME  D-INDEXES,...              (a person)
 *
 * It is written whole to a private temporary file and renamed into place,
 * and used only when its commit and day are the request's: a new commit on
 * the trusted ref or a new day makes the next page build it again. Anything
 * that does not parse is no cache (the full path answers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ack.h"
#include "error.h"
#include "fileio.h"
#include "i18n.h"
#include "side_write.h"
#include "web.h"

#define CACHE_FILE "docctl-web.reading"
#define CACHE_MAGIC "docctl-web reading 1"
#define CACHE_MAX (256 << 20)

/* A field: its bytes with TAB, CR and LF made spaces (titles are text). */
static void field(dc_buf *b, const char *s)
{
	for (s = s ? s : "-"; *s; s++)
		dc_buf_putc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* Fields joined by TABs, NULL-terminated, and a TAB after the last. */
static void fields(dc_buf *b, const char *const *v)
{
	for (; *v; v++) {
		field(b, *v);
		dc_buf_putc(b, '\t');
	}
}

static int cache_path(dc_buf *out, git_repository *repo, const char *suffix)
{
	return dc_buf_printf(out, "%s%s%s", git_repository_path(repo), CACHE_FILE, suffix);
}

void web_cache_write(web_req *req, const web_reading *r)
{
	const dc_policy *pol = req->project->policy;
	dc_buf b = DC_BUF_INIT, path = DC_BUF_INIT;
	size_t *count = calloc(pol->npeople + 1, sizeof(size_t)), *start = NULL, *fill = NULL;
	uint32_t *docs = NULL;
	char hex[GIT_OID_HEXSZ + 1], today[11], due[11];
	size_t i, k, nd = 0, total = 0;

	if (!count)
		goto out;
	git_oid_tostr(hex, sizeof(hex), &req->commit);
	dc_date_format(&r->today, today);
	{
		const char *v[] = { CACHE_MAGIC, hex, today, pol->training.ref,
				    pol->npusher_env ? pol->pusher_env[0] : "GL_USER", NULL };

		fields(&b, v);
		field(&b, pol->web_site);
		dc_buf_putc(&b, '\n');
	}
	/* the documents in force, numbered in order; who reads each, inverted */
	for (i = 0; i < r->t.ndocs; i++) {
		const dc_train_doc *d = &r->t.docs[i];

		if (!d->revision)
			continue;
		dc_date_format(&d->due, due);
		{
			const char *v[] = { "D", d->id, d->title ? d->title : "", d->revision, due, NULL };

			fields(&b, v);
		}
		for (k = 0; k < d->naccepted; k++) {
			if (strchr(d->accepted[k], ','))
				goto out; /* no cache rather than a wrong one */
			dc_buf_puts(&b, k ? "," : "");
			field(&b, d->accepted[k]);
		}
		dc_buf_putc(&b, '\t');
		field(&b, d->pending);
		dc_buf_putc(&b, '\n');
		for (k = 0; k < d->npeople; k++)
			count[d->people[k]]++;
		total += d->npeople;
		nd++;
	}
	if (!(start = calloc(pol->npeople + 1, sizeof(size_t))) || !(fill = calloc(pol->npeople + 1, sizeof(size_t))) ||
	    !(docs = calloc(total + 1, sizeof(uint32_t))))
		goto out;
	for (i = 0; i < pol->npeople; i++)
		start[i + 1] = start[i] + count[i];
	for (i = 0, nd = 0; i < r->t.ndocs; i++) {
		const dc_train_doc *d = &r->t.docs[i];

		if (!d->revision)
			continue;
		for (k = 0; k < d->npeople; k++)
			docs[start[d->people[k]] + fill[d->people[k]]++] = (uint32_t)nd;
		nd++;
	}
	for (i = 0; i < pol->npeople; i++) {
		const char *v[] = { "P", pol->people[i].key, pol->people[i].email ? pol->people[i].email : "-",
				    pol->people[i].name ? pol->people[i].name : pol->people[i].key, NULL };

		fields(&b, v);
		for (k = start[i]; k < start[i + 1]; k++) {
			if (k > start[i])
				dc_buf_putc(&b, ',');
			dc_buf_put_uint(&b, docs[k]);
		}
		dc_buf_putc(&b, '\n');
	}
	if (b.ptr && b.len <= CACHE_MAX && cache_path(&path, req->repo, "") == 0)
		dc_file_write_cache(path.ptr, b.ptr, b.len, 0600);
out:
	dc_error_clear(); /* no cache is only slower */
	free(count);
	free(start);
	free(fill);
	free(docs);
	dc_buf_dispose(&b);
	dc_buf_dispose(&path);
}

/* Splits `line` at TABs into at most `max` NUL-terminated fields: how many. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	for (; *line && n < max; line++)
		if (*line == '\t') {
			*line = '\0';
			f[n++] = line + 1;
		}
	return n;
}

/* A line of my file: the first line of an item at an accepted revision counts. */
static int mine_line(void *arg, const dc_ack *a, size_t line)
{
	web_cache_mine *m = arg;
	char date[11];
	dc_date day;
	size_t i;

	(void)line;
	if (a->date.len != 10)
		return 0;
	memcpy(date, a->date.p, 10);
	date[10] = '\0';
	for (i = 0; i < m->n; i++) {
		char *acc = m->accepted[i];

		if (m->items[i].day != DC_ACK_NONE || !dc_span_is(a->id, m->items[i].id))
			continue;
		while (*acc) {
			size_t len = strcspn(acc, ",");

			if (len == a->revision.len && !memcmp(acc, a->revision.p, len) && dc_date_parse(&day, date) == 0) {
				m->items[i].day = (int32_t)dc_date_days(&day);
				/* the in-force one, or the one before it that carries over */
				m->items[i].confirmed = acc;
				acc[len] = '\0';
				return 0;
			}
			acc += len + (acc[len] == ',');
		}
	}
	return 0;
}

void web_cache_close(web_cache *v)
{
	free(v->m.items);
	free(v->m.accepted);
	free(v->pending);
	free(v->dlines);
	dc_buf_dispose(&v->file);
}

int web_cache_open(web_cache *v, web_req *req)
{
	dc_buf path = DC_BUF_INIT, mine = DC_BUF_INIT;
	char *line, *next, hex[GIT_OID_HEXSZ + 1], today_s[11];
	size_t cap = 0;
	git_oid acks;
	dc_person *me = &v->me;
	int rc = 1;
	FILE *fp;

	memset(v, 0, sizeof(*v));
	dc_buf_init(&v->file);
	if (dc_today(&v->today, NULL) < 0 || cache_path(&path, req->repo, "") < 0 || !(fp = fopen(path.ptr, "rb")))
		goto out;
	{
		char chunk[65536];
		size_t got;

		while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0 && v->file.len < CACHE_MAX)
			dc_buf_put(&v->file, chunk, got);
		fclose(fp);
	}
	if (!v->file.ptr || !v->file.len || v->file.ptr[v->file.len - 1] != '\n')
		goto out;
	git_oid_tostr(hex, sizeof(hex), &req->commit);
	dc_date_format(&v->today, today_s);
	line = v->file.ptr;
	next = strchr(line, '\n');
	*next++ = '\0';
	if (split(line, v->h, 7) != 6 || strcmp(v->h[0], CACHE_MAGIC) || strcmp(v->h[1], hex) || strcmp(v->h[2], today_s))
		goto out;
	for (line = next; *line; line = next) {
		char *f[5];

		next = strchr(line, '\n');
		*next++ = '\0';
		if (line[0] == 'D' && line[1] == '\t') {
			if (v->nd == cap) {
				char **d = realloc(v->dlines, (cap = cap ? 2 * cap : 256) * sizeof(char *));

				if (!d)
					goto out;
				v->dlines = d;
			}
			v->dlines[v->nd++] = line + 2;
			continue;
		}
		/* by id, or by email when the person has one ("-": none) */
		if (line[0] != 'P' || line[1] != '\t' || split(line + 2, f, 4) != 4 ||
		    (strcmp(f[0], req->remote_user) && (!strcmp(f[1], "-") || strcmp(f[1], req->remote_user))))
			continue;
		/* the person: their documents */
		me->key = f[0];
		me->email = strcmp(f[1], "-") ? f[1] : NULL;
		me->name = f[2];
		if (!(v->m.items = calloc(v->nd + 1, sizeof(*v->m.items))) ||
		    !(v->m.accepted = calloc(v->nd + 1, sizeof(char *))) || !(v->pending = calloc(v->nd + 1, sizeof(char *))))
			goto out;
		for (char *s = f[3]; *s;) {
			char *end, *d[6];
			unsigned long at = strtoul(s, &end, 10);
			web_item *it = &v->m.items[v->m.n];

			if (end == s || at >= v->nd || split(v->dlines[at], d, 6) != 6 || dc_date_parse(&it->due, d[3]) < 0)
				goto out;
			it->id = d[0];
			it->title = d[1];
			it->revision = d[2];
			it->day = DC_ACK_NONE;
			v->pending[v->m.n] = d[5];
			v->m.accepted[v->m.n++] = d[4];
			s = *end == ',' ? end + 1 : end;
		}
		break;
	}
	if (!me->key || !v->m.items)
		goto out;
	/* my confirmations: my file of the confirmations' ref, nothing else */
	{
		dc_buf ap = DC_BUF_INIT;
		dc_ack_error err;
		int has = git_reference_name_to_id(&acks, req->repo, v->h[3]) == 0;

		if (dc_buf_printf(&ap, "acks/%s.txt", me->key) < 0 || dc_side_read(&mine, req->repo, has ? &acks : NULL, ap.ptr) < 0) {
			dc_buf_dispose(&ap);
			goto out;
		}
		dc_buf_dispose(&ap);
		dc_ack_each(mine.ptr ? mine.ptr : "", mine.len, mine_line, &v->m, &err);
	}
	rc = 0;
out:
	dc_buf_dispose(&path);
	dc_buf_dispose(&mine);
	return rc;
}

int web_cache_ack_facts(web_cache *v, const char *id, web_ack *a)
{
	size_t at;
	char *acc;

	for (at = 0; id && at < v->m.n && strcmp(v->m.items[at].id, id); at++)
		;
	if (!id || at == v->m.n || v->m.items[at].day != DC_ACK_NONE)
		return 1;
	memset(a, 0, sizeof(*a));
	a->today = v->today;
	a->id = v->m.items[at].id;
	a->revision = v->m.items[at].revision;
	a->pending = strcmp(v->pending[at], "-") ? v->pending[at] : NULL;
	for (acc = v->m.accepted[at]; *acc && a->naccepted < sizeof(v->acc) / sizeof(v->acc[0]);) {
		v->acc[a->naccepted++] = acc;
		acc += strcspn(acc, ",");
		if (*acc)
			*acc++ = '\0';
	}
	a->accepted = v->acc;
	return 0;
}
