/*
 * cache.c - the on-disk cache of document results (see cache.h).
 *
 * File layout (native byte order; the cache never leaves the machine):
 *   header: "DOCCTLC" version(u8) fingerprint(u64) count(u64) nslots(u64)
 *           checksum(u64) of the header's other bytes and the table
 *   table:  `nslots` (a power of two) slots of hash(u64) and offset(u64):
 *           open addressing by the hash of the record's path, offset 0 empty
 *   then `count` records, each length(u32), checksum(u64) and the bytes.
 * Opening checks only the header and the table; a record's own checksum is
 * checked when a lookup finds it, so opening costs nothing per record and
 * the records are verified by the worker threads that use them. A corrupt
 * record is a miss; a corrupt header or table, the whole cache.
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
#include "fields.h"
#include "fm_edit.h"
#include "i18n.h"
#include "text.h"

#define MAGIC "DOCCTLC"
#define VERSION 6
#define HEADER (8 + 8 + 8 + 8 + 8)
#define SLOT 16
#define RECHEAD (4 + 8)
#define NONE UINT32_MAX

struct dc_cache {
	char *file;                 /* where it lives */
	unsigned long long fingerprint;
	unsigned char *data;        /* the file as mapped, or NULL */
	size_t len;
	size_t nslots;              /* of the table at data + HEADER */
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

int dc_cache_wants(const dc_entry *e)
{
	unsigned char key[33];

	if (entry_key(e, key) < 0)
		return 0;
	/* a file changed within the timestamp's resolution may change again
	 * without its lstat data changing ("racy git"): do not trust it */
	return !(e->has_stat && e->mtime_s >= (int64_t)time(NULL) - 2);
}

int dc_cache_encode(dc_buf *out, const dc_entry *e, const dc_docinfo *in, const dc_diags *found)
{
	unsigned char key[33];
	size_t start = out->len, i;
	uint32_t len;

	if (!dc_cache_wants(e) || entry_key(e, key) < 0)
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
	/* the string fields: the rows of fields.def with info 1, in order */
#define FIELD(m, name, group, kind, req, info, version) DC_FIELD_IF_##info(put_str(out, in->m);)
#include "fields.def"
#undef FIELD
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

/* Reads the count of a list in a record of len bytes into *n and returns
 * room for that many items of `size` bytes (NULL for none; *n is 0 when
 * the record is bad). */
static void *get_list(reader *r, size_t len, dc_arena *keep, size_t size, uint32_t *n)
{
	void *items = NULL;

	*n = get_u32(r);
	if (!r->bad && *n > len)
		r->bad = 1;
	if (!r->bad && *n && !(items = dc_arena_alloc(keep, *n * size)))
		r->bad = 2;
	if (r->bad)
		*n = 0;
	return items;
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

/*
 * The repository rules look documents up at random by path and by id and
 * read their status: those strings are copied next to each other (the
 * records they come from lie 600 bytes apart, 66 MB for 100,000 documents,
 * so nearly every lookup would miss the caches), and a status is one of a
 * few words.
 */
static int compact(dc_docinfo *in, dc_arena *keep, int all)
{
	const char *known = dc_status_name(dc_status_parse(in->status));
	size_t i, need = strlen(in->path) + 1 + (in->id ? strlen(in->id) + 1 : 0);
	char *p;

	if (known)
		in->status = known; /* the table's copy: no room needed */
	for (i = 0; all && i < in->nrefs; i++)
		need += in->refs[i].text ? strlen(in->refs[i].text) + 1 : 0;
	for (i = 0; all && i < in->nlinks; i++)
		need += strlen(in->links[i].target) + 1;
	if (!(p = dc_arena_alloc(keep, need)))
		return -1;
#define MOVE(s) do { size_t n_ = strlen(s) + 1; memcpy(p, (s), n_); (s) = p; p += n_; } while (0)
	MOVE(in->path);
	if (in->id)
		MOVE(in->id);
	for (i = 0; all && i < in->nrefs; i++)
		if (in->refs[i].text)
			MOVE(in->refs[i].text);
	for (i = 0; all && i < in->nlinks; i++)
		MOVE(in->links[i].target);
#undef MOVE
	return 0;
}

static int decode(const unsigned char *rec, size_t len, dc_docinfo *in, dc_arena *keep, dc_diags *diags, int fresh)
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
		const dc_rule *known = rule ? dc_rule_find(rule) : NULL;

		if (r.bad || !file || !msg || !known) {
			r.bad = r.bad ? r.bad : 1;
			break;
		}
		if (diags && dc_diags_add(&found, file, line, col, dc_rule_id_of(known), id, "%s", msg) < 0)
			r.bad = 2;
	}
	in->path = path;
	in->parsed = (int)get_u8(&r);
#define FIELD(m, name, group, kind, req, info, version) DC_FIELD_IF_##info(in->m = get_str(&r, NULL, NULL);)
#include "fields.def"
#undef FIELD
	get_mark(&r, &in->id_mark);
	get_mark(&r, &in->approved_on_mark);
	get_mark(&r, &in->reviewed_on_mark);
	in->superseded_by.text = get_str(&r, NULL, NULL);
	get_mark(&r, &in->superseded_by.mark);
	in->refs = get_list(&r, len, keep, sizeof(dc_sref), &n);
	for (i = 0; i < n && !r.bad; i++) {
		in->refs[i].text = get_str(&r, NULL, NULL);
		get_mark(&r, &in->refs[i].mark);
		in->nrefs++;
	}
	in->links = get_list(&r, len, keep, sizeof(dc_linkref), &n);
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
	if (!r.bad && compact(in, keep, !fresh) < 0)
		r.bad = 2;
	if (!r.bad && diags && dc_diags_take(diags, &found) < 0)
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

int dc_cache_decode(const unsigned char *rec, size_t len, dc_docinfo *in, dc_arena *keep, dc_diags *diags)
{
	return decode(rec, len, in, keep, diags, 0);
}

int dc_cache_decode_new(const unsigned char *rec, size_t len, dc_docinfo *in, dc_arena *keep)
{
	return decode(rec, len, in, keep, NULL, 1);
}

/* --- the file --- */

static uint64_t path_hash(const unsigned char *p, size_t n)
{
	return dc_hash64(DC_HASH_INIT, p, n);
}

static uint64_t record_sum(const unsigned char *rec, size_t len)
{
	return dc_hash64(DC_HASH_INIT ^ (uint64_t)len, rec, len);
}

/* The path bytes at the start of a record of `len` bytes. */
static int record_path(const unsigned char *rec, size_t len, const unsigned char **p, uint32_t *n)
{
	reader r = { rec, rec + len, 0 };

	*p = NULL;
	*n = 0;
	get_str(&r, p, n);
	return r.bad || !*p ? -1 : 0;
}

static void unmap(dc_cache *c)
{
	if (c->data)
		munmap(c->data, c->len);
	c->data = NULL;
	c->len = c->nslots = 0;
}

static uint64_t header_sum(const unsigned char *data, size_t nslots)
{
	uint64_t h = dc_hash64(DC_HASH_INIT, data, HEADER - 8);

	return dc_hash64(h, data + HEADER, nslots * SLOT);
}

/* Maps the cache file (never written through: a new cache is a new file
 * renamed over this one) and checks its header and table before trusting
 * them; each record is checked when it is used (dc_cache_lookup()). */
static void load(dc_cache *c)
{
	struct stat st;
	unsigned long long fp;
	uint64_t count, nslots, sum;
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
	memcpy(&nslots, c->data + 24, 8);
	memcpy(&sum, c->data + 32, 8);
	if (fp != c->fingerprint || nslots < 2 || (nslots & (nslots - 1)) || nslots > (c->len - HEADER) / SLOT ||
	    count >= nslots || sum != header_sum(c->data, (size_t)nslots))
		goto ignore;
	c->nslots = (size_t)nslots;
	return;
ignore:
	unmap(c);
}

int dc_cache_enabled(void)
{
	const char *env = getenv("DOCCTL_CACHE");

	return !(env && !strcmp(env, "0"));
}

/* The record holds the rows of fields.def with info 1: another row makes the
 * caches written before unusable by itself. */
static unsigned long long record_fingerprint(unsigned long long fp)
{
#define FIELD(m, name, group, kind, req, info, version) DC_FIELD_IF_##info(fp = dc_hash64(fp, name, sizeof(name));)
#include "fields.def"
#undef FIELD
	return fp;
}

int dc_cache_open(dc_cache **out, const dc_source *src, unsigned long long fingerprint)
{
	git_repository *repo = dc_source_repo(src);
	dc_cache *c;
	dc_buf file = DC_BUF_INIT;

	*out = NULL;
	if (!repo || !dc_cache_enabled())
		return 0;
	if (dc_buf_printf(&file, "%sdocctl-cache/%s", git_repository_path(repo),
			  dc_source_kind_of(src) == DC_SOURCE_WORKTREE ? "worktree" : "objects") < 0)
		return -1;
	if (!(c = calloc(1, sizeof(*c)))) {
		dc_buf_dispose(&file);
		return dc_error_oom();
	}
	c->file = dc_buf_detach(&file);
	c->fingerprint = record_fingerprint(fingerprint);
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
	size_t plen, h, probes;
	uint64_t want;

	if (!c || !c->data || !c->nslots || entry_key(e, key) < 0)
		return NULL;
	plen = strlen(e->path);
	want = path_hash((const unsigned char *)e->path, plen);
	for (h = (size_t)want & (c->nslots - 1), probes = 0; probes < c->nslots; h = (h + 1) & (c->nslots - 1), probes++) {
		const unsigned char *slot = c->data + HEADER + h * SLOT, *rec, *p;
		uint64_t hash, off, sum;
		uint32_t n, rlen;

		memcpy(&off, slot + 8, 8);
		if (!off)
			return NULL;
		memcpy(&hash, slot, 8);
		if (hash != want)
			continue;
		/* a record out of bounds or with another path is not this one */
		if (off < HEADER || off > c->len || c->len - off < RECHEAD)
			continue;
		memcpy(&rlen, c->data + off, 4);
		if (rlen > c->len - off - RECHEAD)
			continue;
		rec = c->data + off + RECHEAD;
		if (record_path(rec, rlen, &p, &n) < 0 || n != plen || memcmp(p, e->path, n))
			continue;
		memcpy(&sum, c->data + off + 4, 8);
		if (rlen < 4 + n + 1 + 33 || memcmp(p + n + 1, key, 33) || sum != record_sum(rec, rlen))
			return NULL;
		*len = rlen;
		return rec;
	}
	return NULL;
}

static int slot_used(const unsigned char *table, size_t h)
{
	uint64_t off;

	memcpy(&off, table + h * SLOT + 8, 8);
	return off != 0;
}

/* Writes all of `data`; 0 or -1. */
static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Appends to a staging buffer that goes to `fd` whenever it fills. */
static int stage(int fd, dc_buf *b, const void *data, size_t len)
{
	if (b->len + len > (1u << 20)) {
		if (write_all(fd, b->ptr, b->len) < 0)
			return -1;
		dc_buf_clear(b);
		if (len > (1u << 20))
			return write_all(fd, data, len);
	}
	return dc_buf_put(b, data, len);
}

int dc_cache_save(const dc_cache *c, const unsigned char *const *recs, const size_t *lens, size_t n)
{
	dc_buf dir = DC_BUF_INIT, tmp = DC_BUF_INIT, b = DC_BUF_INIT;
	unsigned char header[HEADER], *table = NULL;
	uint64_t count = n, nslots = 16, off, sum;
	size_t i;
	char *slash;
	mode_t mask;
	int fd = -1, rc = -1;

	while (nslots < 2 * (uint64_t)n + 2)
		nslots *= 2;
	if (!(table = calloc((size_t)nslots, SLOT))) {
		dc_error_oom();
		goto cleanup;
	}
	/* the table: each record's offset by the hash of its path */
	off = HEADER + nslots * SLOT;
	for (i = 0; i < n; i++) {
		const unsigned char *p;
		uint32_t plen;
		uint64_t hash, at = off;
		size_t h;

		if (lens[i] > UINT32_MAX - RECHEAD || record_path(recs[i], lens[i], &p, &plen) < 0) {
			dc_error_set(_("bad cache record"));
			goto cleanup;
		}
		hash = path_hash(p, plen);
		for (h = (size_t)hash & (size_t)(nslots - 1); slot_used(table, h); h = (h + 1) & (size_t)(nslots - 1))
			;
		memcpy(table + h * SLOT, &hash, 8);
		memcpy(table + h * SLOT + 8, &at, 8);
		off += RECHEAD + lens[i];
	}
	memset(header, 0, sizeof(header));
	memcpy(header, MAGIC, 7);
	header[7] = VERSION;
	memcpy(header + 8, &c->fingerprint, 8);
	memcpy(header + 16, &count, 8);
	memcpy(header + 24, &nslots, 8);
	sum = dc_hash64(dc_hash64(DC_HASH_INIT, header, HEADER - 8), table, (size_t)nslots * SLOT);
	memcpy(header + 32, &sum, 8);

	dc_buf_puts(&dir, c->file);
	if ((slash = strrchr(dir.ptr, '/')))
		*slash = '\0';
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		dc_error_set(_("cannot create '%s': %s"), dir.ptr, strerror(errno));
		goto cleanup;
	}
	if (dc_buf_printf(&tmp, "%s.XXXXXX", c->file) < 0)
		goto cleanup;
	/* no fsync: a cache lost or torn in a crash fails its checksums and
	 * is ignored, never trusted */
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		dc_error_set(_("cannot create '%s': %s"), tmp.ptr, strerror(errno));
		goto cleanup;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, header, HEADER) < 0 ||
	    write_all(fd, table, (size_t)nslots * SLOT) < 0)
		goto failed;
	for (i = 0; i < n; i++) {
		uint32_t len = (uint32_t)lens[i];

		sum = record_sum(recs[i], lens[i]);
		if (stage(fd, &b, &len, 4) < 0 || stage(fd, &b, &sum, 8) < 0 || stage(fd, &b, recs[i], lens[i]) < 0)
			goto failed;
	}
	if (b.len && write_all(fd, b.ptr, b.len) < 0)
		goto failed;
	if (close(fd) < 0) {
		fd = -1;
		goto failed;
	}
	fd = -1;
	if (rename(tmp.ptr, c->file) < 0)
		goto failed;
	dc_buf_clear(&tmp);
	rc = 0;
	goto cleanup;
failed:
	dc_error_set(_("cannot write '%s': %s"), c->file, strerror(errno));
cleanup:
	if (fd >= 0)
		close(fd);
	if (tmp.len)
		unlink(tmp.ptr);
	free(table);
	dc_buf_dispose(&b);
	dc_buf_dispose(&dir);
	dc_buf_dispose(&tmp);
	return rc;
}
