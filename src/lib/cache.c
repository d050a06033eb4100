/*
 * cache.c - the on-disk cache of document results (see cache.h).
 *
 * File layout (native byte order; the cache never leaves the machine):
 *   "DOCCTLC" version(u8) fingerprint(u64) count(u64) checksum(u64)
 *   then `count` records: length(u32) and the record bytes.
 * A record: path, key, findings (file, line, col, rule, message, id), then the
 * summary fields in a fixed order. Strings are a u32 length (UINT32_MAX for
 * NULL), the bytes and a NUL, so a decoded summary points into the cache's
 * data instead of copying it (dc_cache_take_data()).
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fm_edit.h"
#include "text.h"

#define MAGIC "DOCCTLC"
#define VERSION 4
#define HEADER (8 + 8 + 8 + 8)
#define NONE UINT32_MAX

struct dc_cache {
	char *file;                 /* where it lives */
	unsigned long long fingerprint;
	unsigned char *data;        /* the file as read, or NULL */
	size_t len;
	size_t *slots;              /* open addressing: record offset + 1, 0 empty */
	size_t nslots;
};

/* --- writing a record --- */

static void put_u32(dc_buf *b, uint32_t v) { dc_buf_put(b, &v, 4); }
static void put_u8(dc_buf *b, unsigned v) { unsigned char c = (unsigned char)v; dc_buf_put(b, &c, 1); }

static void put_str(dc_buf *b, const char *s)
{
	if (!s) {
		put_u32(b, NONE);
		return;
	}
	put_u32(b, (uint32_t)strlen(s));
	dc_buf_put(b, s, strlen(s) + 1); /* with its NUL: read in place */
}

static void put_mark(dc_buf *b, const dc_mark *m)
{
	put_u32(b, m->line);
	put_u32(b, m->col);
}

/* The key of an entry: 'O' and the blob id, or 'S' and the lstat data. */
static int entry_key(const dc_entry *e, unsigned char key[33])
{
	memset(key, 0, 33);
	if (e->has_oid) {
		key[0] = 'O';
		memcpy(key + 1, e->oid.id, GIT_OID_RAWSZ);
		return 0;
	}
	if (e->has_stat) {
		key[0] = 'S';
		memcpy(key + 1, &e->size, 8);
		memcpy(key + 9, &e->ino, 8);
		memcpy(key + 17, &e->mtime_s, 8);
		memcpy(key + 25, &e->mtime_ns, sizeof(long) < 8 ? sizeof(long) : 8);
		return 0;
	}
	return -1;
}

#define INFO_STRINGS(X) X(id) X(type) X(status) X(title) X(owner) X(revision) X(classification) X(change) \
	X(approved_by) X(approved_on) X(effective) X(reviewed_by) X(reviewed_on) X(obsoleted_by) \
	X(obsoleted_on) X(retention) X(source) X(source_version)

int dc_cache_encode(dc_buf *out, const dc_entry *e, const dc_docinfo *in, const dc_diags *found)
{
	unsigned char key[33];
	size_t start = out->len, i;
	uint32_t len;

	if (entry_key(e, key) < 0)
		return 1;
	/* a file changed within the timestamp's resolution may change again
	 * without its lstat data changing ("racy git"): do not trust it */
	if (e->has_stat && e->mtime_s >= (int64_t)time(NULL) - 2)
		return 1;
	put_u32(out, 0); /* the length, filled in below */
	put_str(out, e->path);
	dc_buf_put(out, key, sizeof(key));
	put_u32(out, (uint32_t)found->n);
	for (i = 0; i < found->n; i++) {
		const dc_diag *g = &found->items[i];

		put_str(out, g->file);
		put_u32(out, g->line);
		put_u32(out, g->col);
		put_str(out, g->rule->name);
		put_str(out, g->message);
		put_str(out, g->id);
	}
	put_u8(out, (unsigned)in->parsed);
#define PUT(f) put_str(out, in->f);
	INFO_STRINGS(PUT)
#undef PUT
	put_mark(out, &in->id_mark);
	put_mark(out, &in->approved_on_mark);
	put_mark(out, &in->reviewed_on_mark);
	put_str(out, in->superseded_by.text);
	put_mark(out, &in->superseded_by.mark);
	put_u32(out, (uint32_t)in->nrefs);
	for (i = 0; i < in->nrefs; i++) {
		put_str(out, in->refs[i].text);
		put_mark(out, &in->refs[i].mark);
	}
	put_u32(out, (uint32_t)in->nlinks);
	for (i = 0; i < in->nlinks; i++) {
		put_str(out, in->links[i].target);
		put_str(out, in->links[i].dest);
		put_mark(out, &in->links[i].mark);
		put_u8(out, (unsigned)in->links[i].image);
	}
	if (dc_buf_grow(out, 0) < 0)
		return -1;
	len = (uint32_t)(out->len - start - 4);
	memcpy(out->ptr + start, &len, 4);
	return 0;
}

/* --- reading a record --- */

typedef struct {
	const unsigned char *p, *end;
	int bad;
} reader;

static uint32_t get_u32(reader *r)
{
	uint32_t v = 0;

	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	memcpy(&v, r->p, 4);
	r->p += 4;
	return v;
}

static unsigned get_u8(reader *r)
{
	if (r->p >= r->end) {
		r->bad = 1;
		return 0;
	}
	return *r->p++;
}

/* A string in place in the record (stored with its NUL), or NULL; `raw`
 * gives its bytes and length. The record must outlive the string. */
static const char *get_str(reader *r, const unsigned char **raw, uint32_t *rawlen)
{
	uint32_t n = get_u32(r);
	const char *s;

	if (r->bad || n == NONE)
		return NULL;
	if ((size_t)(r->end - r->p) <= n || r->p[n] != '\0') {
		r->bad = 1;
		return NULL;
	}
	if (raw) {
		*raw = r->p;
		*rawlen = n;
	}
	s = (const char *)r->p;
	r->p += n + 1;
	return s;
}

static void get_mark(reader *r, dc_mark *m)
{
	m->line = get_u32(r);
	m->col = get_u32(r);
	m->offset = 0;
}

int dc_cache_decode(const unsigned char *rec, size_t len, dc_docinfo *in, dc_arena *keep, dc_diags *diags)
{
	reader r = { rec, rec + len, 0 };
	uint32_t n, i;
	const char *path;
	dc_diags found;

	dc_diags_init(&found);
	memset(in, 0, sizeof(*in));
	path = get_str(&r, NULL, NULL);
	if (!path || (size_t)(r.end - r.p) < 33)
		return 1;
	r.p += 33;
	n = get_u32(&r);
	for (i = 0; i < n && !r.bad; i++) {
		const char *file = get_str(&r, NULL, NULL);
		unsigned line = get_u32(&r), col = get_u32(&r);
		const char *rule = get_str(&r, NULL, NULL);
		const char *msg = get_str(&r, NULL, NULL);
		const char *id = get_str(&r, NULL, NULL);

		if (r.bad || !file || !rule || !msg || !dc_rule_find(rule)) {
			r.bad = r.bad ? r.bad : 1;
			break;
		}
		if (dc_diags_add(&found, file, line, col, rule, id, "%s", msg) < 0)
			r.bad = 2;
	}
	in->path = path;
	in->parsed = (int)get_u8(&r);
#define GET(f) in->f = get_str(&r, NULL, NULL);
	INFO_STRINGS(GET)
#undef GET
	get_mark(&r, &in->id_mark);
	get_mark(&r, &in->approved_on_mark);
	get_mark(&r, &in->reviewed_on_mark);
	in->superseded_by.text = get_str(&r, NULL, NULL);
	get_mark(&r, &in->superseded_by.mark);
	n = get_u32(&r);
	if (!r.bad && n > len)
		r.bad = 1;
	if (!r.bad && n && !(in->refs = dc_arena_alloc(keep, n * sizeof(dc_sref))))
		r.bad = 2;
	for (i = 0; i < n && !r.bad; i++) {
		in->refs[i].text = get_str(&r, NULL, NULL);
		get_mark(&r, &in->refs[i].mark);
		in->nrefs++;
	}
	n = get_u32(&r);
	if (!r.bad && n > len)
		r.bad = 1;
	if (!r.bad && n && !(in->links = dc_arena_alloc(keep, n * sizeof(dc_linkref))))
		r.bad = 2;
	for (i = 0; i < n && !r.bad; i++) {
		dc_linkref *l = &in->links[i];

		l->target = get_str(&r, NULL, NULL);
		l->dest = get_str(&r, NULL, NULL);
		get_mark(&r, &l->mark);
		l->image = (int)get_u8(&r);
		if (!l->target || !l->dest)
			r.bad = r.bad ? r.bad : 1;
		in->nlinks++;
	}
	if (!r.bad && r.p != r.end)
		r.bad = 1;
	if (!r.bad && dc_diags_take(diags, &found) < 0)
		r.bad = 2;
	dc_diags_dispose(&found);
	if (r.bad == 2)
		return -1;
	if (r.bad) {
		memset(in, 0, sizeof(*in));
		return 1;
	}
	return 0;
}

/* --- the file --- */

static size_t path_hash(const unsigned char *p, size_t n)
{
	return (size_t)dc_hash64(DC_HASH_INIT, p, n);
}

/* The path bytes of the record at `off` (after its length). */
static int record_path(const dc_cache *c, size_t off, const unsigned char **p, uint32_t *n)
{
	reader r = { c->data + off + 4, c->data + c->len, 0 };
	uint32_t len;

	*p = NULL;
	*n = 0;
	memcpy(&len, c->data + off, 4);
	r.end = c->data + off + 4 + len;
	get_str(&r, p, n);
	return r.bad || !*p ? -1 : 0;
}

static int index_records(dc_cache *c, size_t count)
{
	size_t off = HEADER, i;

	c->nslots = 16;
	while (c->nslots < count * 2)
		c->nslots *= 2;
	if (!(c->slots = calloc(c->nslots, sizeof(size_t))))
		return dc_error_set("out of memory");
	for (i = 0; i < count; i++) {
		const unsigned char *p;
		uint32_t len, n;
		size_t h;

		if (c->len - off < 4)
			return 1;
		memcpy(&len, c->data + off, 4);
		if (c->len - off - 4 < len || record_path(c, off, &p, &n) < 0)
			return 1;
		for (h = path_hash(p, n) & (c->nslots - 1); c->slots[h]; h = (h + 1) & (c->nslots - 1))
			;
		c->slots[h] = off + 1;
		off += 4 + len;
	}
	return off == c->len ? 0 : 1;
}

static void unmap(dc_cache *c)
{
	if (c->data)
		munmap(c->data, c->len);
	free(c->slots);
	c->data = NULL;
	c->slots = NULL;
	c->len = c->nslots = 0;
}

/* Maps the cache file (never written through: a new cache is a new file
 * renamed over this one) and checks it before trusting any of it. */
static void load(dc_cache *c)
{
	struct stat st;
	unsigned long long fp, sum;
	uint64_t count;
	void *map;
	int fd = open(c->file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size < HEADER ||
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return;
	}
	close(fd);
	c->data = map;
	c->len = (size_t)st.st_size;
	if (memcmp(c->data, MAGIC, 7) || c->data[7] != VERSION)
		goto ignore;
	memcpy(&fp, c->data + 8, 8);
	memcpy(&count, c->data + 16, 8);
	memcpy(&sum, c->data + 24, 8);
	if (fp != c->fingerprint || sum != dc_hash64(DC_HASH_INIT, c->data + HEADER, c->len - HEADER) ||
	    count > c->len || index_records(c, (size_t)count) != 0)
		goto ignore;
	return;
ignore:
	unmap(c);
}

int dc_cache_open(dc_cache **out, const dc_source *src, unsigned long long fingerprint)
{
	git_repository *repo = dc_source_repo(src);
	const char *env = getenv("DOCCTL_CACHE");
	dc_cache *c;
	dc_buf file = DC_BUF_INIT;

	*out = NULL;
	if (!repo || (env && !strcmp(env, "0")))
		return 0;
	if (dc_buf_printf(&file, "%sdocctl-cache/%s", git_repository_path(repo),
			  dc_source_kind_of(src) == DC_SOURCE_WORKTREE ? "worktree" : "objects") < 0)
		return -1;
	if (!(c = calloc(1, sizeof(*c)))) {
		dc_buf_dispose(&file);
		return dc_error_set("out of memory");
	}
	c->file = dc_buf_detach(&file);
	c->fingerprint = fingerprint;
	load(c);
	*out = c;
	return 0;
}

int dc_cache_take_data(dc_cache *c, dc_mapping *out)
{
	out->ptr = c ? c->data : NULL;
	out->len = c ? c->len : 0;
	if (!out->ptr)
		return 0;
	c->data = NULL;
	unmap(c);
	return 1;
}

void dc_cache_free(dc_cache *c)
{
	if (!c)
		return;
	free(c->file);
	unmap(c);
	free(c);
}

const unsigned char *dc_cache_lookup(const dc_cache *c, const dc_entry *e, size_t *len)
{
	unsigned char key[33];
	size_t plen, h;

	if (!c || !c->slots || entry_key(e, key) < 0)
		return NULL;
	plen = strlen(e->path);
	for (h = path_hash((const unsigned char *)e->path, plen) & (c->nslots - 1); c->slots[h];
	     h = (h + 1) & (c->nslots - 1)) {
		size_t off = c->slots[h] - 1;
		const unsigned char *p;
		uint32_t n, rlen;

		if (record_path(c, off, &p, &n) < 0 || n != plen || memcmp(p, e->path, n))
			continue;
		memcpy(&rlen, c->data + off, 4);
		if (rlen < 4 + n + 1 + 33 || memcmp(p + n + 1, key, 33))
			return NULL;
		*len = rlen;
		return c->data + off + 4;
	}
	return NULL;
}

int dc_cache_save(const dc_cache *c, const unsigned char *const *recs, const size_t *lens, size_t n)
{
	dc_buf out = DC_BUF_INIT, dir = DC_BUF_INIT;
	unsigned long long sum;
	uint64_t count = n;
	size_t i;
	char *slash;
	int rc;

	dc_buf_put(&out, MAGIC, 7);
	put_u8(&out, VERSION);
	dc_buf_put(&out, &c->fingerprint, 8);
	dc_buf_put(&out, &count, 8);
	dc_buf_put(&out, "\0\0\0\0\0\0\0\0", 8);
	for (i = 0; i < n; i++) {
		uint32_t len = (uint32_t)lens[i];

		dc_buf_put(&out, &len, 4);
		dc_buf_put(&out, recs[i], lens[i]);
	}
	if (dc_buf_grow(&out, 0) < 0) {
		dc_buf_dispose(&out);
		return -1;
	}
	sum = dc_hash64(DC_HASH_INIT, out.ptr + HEADER, out.len - HEADER);
	memcpy(out.ptr + 24, &sum, 8);
	dc_buf_puts(&dir, c->file);
	if ((slash = strrchr(dir.ptr, '/')))
		*slash = '\0';
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST)
		rc = dc_error_set("cannot create '%s': %s", dir.ptr, strerror(errno));
	else
		rc = dc_file_write_atomic(c->file, out.ptr, out.len);
	dc_buf_dispose(&out);
	dc_buf_dispose(&dir);
	return rc;
}
