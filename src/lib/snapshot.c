/*
 * snapshot.c - the controlled documents of one tree, in brief (see
 * snapshot.h).
 *
 * File layout (native byte order; it never leaves the machine):
 *   "DOCCTLS" version(u8) fingerprint(u64) prefix hash(u64) tree(20 bytes,
 *   4 zero) ndocs nids ntargets strbytes (u32 each) checksum(u64)
 *   docs:    ndocs x { path id status superseded_by (u32 string offsets,
 *            NONE when absent), blob (20 bytes) }, sorted by path
 *   by id:   nids x u32 document index, sorted by id, then path
 *   targets: ntargets x { string offset, document index }, sorted by string,
 *            then document
 *   strings: NUL-terminated
 * The checksum covers everything after the header; every offset and index
 * is bounds-checked when the file is loaded, so lookups need no checks.
 */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "error.h"
#include "fm_edit.h"
#include "i18n.h"
#include "text.h"

#define MAGIC "DOCCTLS"
#define VERSION 1
#define HEADER 72
#define DOC_SIZE 36
#define NONE UINT32_MAX
#define FILE_NAME "docctl-cache/snapshot"

typedef struct {
	uint32_t path, id, status, superseded_by;
	unsigned char blob[GIT_OID_RAWSZ];
} disk_doc;

typedef struct {
	uint32_t str, doc;
} disk_target;

struct dc_snapshot {
	unsigned char *data;
	size_t len;
	int mapped;             /* data is our mapping of the file */
	git_oid tree;
	uint32_t ndocs, nids, ntargets, strbytes;
	const unsigned char *docs;
	const uint32_t *byid;
	const disk_target *targets;
	const char *strings;
};

static unsigned long long prefix_hash(const char *prefix)
{
	return dc_hash64(DC_HASH_INIT, prefix, strlen(prefix));
}

static int file_path(dc_buf *out, git_repository *repo)
{
	return dc_buf_printf(out, "%s%s", git_repository_path(repo), FILE_NAME);
}

/* --- reading --- */

static void get_doc(const dc_snapshot *s, size_t i, disk_doc *d)
{
	memcpy(d, s->docs + i * DOC_SIZE, DOC_SIZE);
}

static const char *str_at(const dc_snapshot *s, uint32_t off)
{
	return off == NONE ? NULL : s->strings + off;
}

static int valid_str(const dc_snapshot *s, uint32_t off, int optional)
{
	return off < s->strbytes || (optional && off == NONE);
}

static uint32_t doc_field(const dc_snapshot *s, size_t i, size_t field)
{
	uint32_t off;

	memcpy(&off, s->docs + i * DOC_SIZE + field * 4, 4);
	return off;
}

/* Checks every offset and index, so that lookups need not. */
static int validate(const dc_snapshot *s)
{
	size_t i;

	if (!s->strbytes || s->strings[s->strbytes - 1] != '\0')
		return -1;
	for (i = 0; i < s->ndocs; i++) {
		disk_doc d;

		get_doc(s, i, &d);
		if (!valid_str(s, d.path, 0) || !valid_str(s, d.id, 1) || !valid_str(s, d.status, 1) ||
		    !valid_str(s, d.superseded_by, 1))
			return -1;
	}
	for (i = 0; i < s->nids; i++) {
		uint32_t k;

		memcpy(&k, &s->byid[i], 4);
		if (k >= s->ndocs || doc_field(s, k, 1) == NONE)
			return -1; /* the by-id index lists only documents with an id */
	}
	for (i = 0; i < s->ntargets; i++) {
		disk_target t;

		memcpy(&t, &s->targets[i], sizeof(t));
		if (t.str >= s->strbytes || t.doc >= s->ndocs)
			return -1;
	}
	return 0;
}

static int parse(dc_snapshot *s, unsigned long long fingerprint, const char *prefix)
{
	unsigned long long fp, ph, sum;
	uint32_t counts[4];
	uint64_t need;

	if (s->len < HEADER || memcmp(s->data, MAGIC, 7) || s->data[7] != VERSION)
		return -1;
	memcpy(&fp, s->data + 8, 8);
	memcpy(&ph, s->data + 16, 8);
	if (fp != fingerprint || ph != prefix_hash(prefix))
		return -1;
	git_oid_fromraw(&s->tree, s->data + 24);
	memcpy(counts, s->data + 48, 16);
	memcpy(&sum, s->data + 64, 8);
	s->ndocs = counts[0];
	s->nids = counts[1];
	s->ntargets = counts[2];
	s->strbytes = counts[3];
	need = (uint64_t)HEADER + (uint64_t)s->ndocs * DOC_SIZE + (uint64_t)s->nids * 4 +
	       (uint64_t)s->ntargets * sizeof(disk_target) + s->strbytes;
	if (need != s->len || s->nids > s->ndocs ||
	    sum != dc_hash64(DC_HASH_INIT, s->data + HEADER, s->len - HEADER))
		return -1;
	s->docs = s->data + HEADER;
	s->byid = (const uint32_t *)(s->docs + (size_t)s->ndocs * DOC_SIZE);
	s->targets = (const disk_target *)(s->byid + s->nids);
	s->strings = (const char *)(s->targets + s->ntargets);
	return validate(s);
}

int dc_snapshot_load(dc_snapshot **out, git_repository *repo, unsigned long long fingerprint, const char *prefix)
{
	dc_buf file = DC_BUF_INIT;
	dc_snapshot *s;
	struct stat st;
	void *map;
	int fd;

	*out = NULL;
	if (!repo || !dc_cache_enabled())
		return 0;
	if (file_path(&file, repo) < 0)
		return -1;
	fd = open(file.ptr, O_RDONLY | O_CLOEXEC);
	dc_buf_dispose(&file);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_size < HEADER ||
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return 0;
	}
	close(fd);
	if (!(s = calloc(1, sizeof(*s)))) {
		munmap(map, (size_t)st.st_size);
		return dc_error_oom();
	}
	s->data = map;
	s->len = (size_t)st.st_size;
	s->mapped = 1;
	if (parse(s, fingerprint, prefix) < 0) {
		dc_snapshot_free(s); /* stale or corrupt: ignored */
		return 0;
	}
	*out = s;
	return 0;
}

void dc_snapshot_free(dc_snapshot *s)
{
	if (!s)
		return;
	if (s->mapped)
		munmap(s->data, s->len);
	free(s);
}

int dc_snapshot_parse(dc_snapshot **out, const void *data, size_t len, unsigned long long fingerprint,
		      const char *prefix)
{
	dc_snapshot *s;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return dc_error_oom();
	s->data = (unsigned char *)data;
	s->len = len;
	if (parse(s, fingerprint, prefix) < 0) {
		free(s);
		return 0;
	}
	*out = s;
	return 0;
}

const git_oid *dc_snapshot_tree(const dc_snapshot *s)
{
	return &s->tree;
}

size_t dc_snapshot_count(const dc_snapshot *s)
{
	return s ? s->ndocs : 0;
}

void dc_snapshot_doc(const dc_snapshot *s, size_t i, dc_snapdoc *out)
{
	disk_doc d;

	get_doc(s, i, &d);
	out->path = str_at(s, d.path);
	out->id = str_at(s, d.id);
	out->status = str_at(s, d.status);
	out->superseded_by = str_at(s, d.superseded_by);
	git_oid_fromraw(&out->blob, d.blob);
}

static const char *doc_str(const dc_snapshot *s, size_t i, size_t field)
{
	return str_at(s, doc_field(s, i, field));
}

int dc_snapshot_find(const dc_snapshot *s, const char *path, size_t *at)
{
	size_t lo = 0, hi = s ? s->ndocs : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(doc_str(s, mid, 0), path);

		if (c == 0) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

size_t dc_snapshot_with_id_at(const dc_snapshot *s, size_t k)
{
	uint32_t i;

	memcpy(&i, &s->byid[k], 4);
	return i;
}

size_t dc_snapshot_with_id(const dc_snapshot *s, const char *id, size_t *first)
{
	size_t lo = 0, hi = s ? s->nids : 0, end;

	while (lo < hi) { /* the first whose id is not below `id` */
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(doc_str(s, dc_snapshot_with_id_at(s, mid), 1), id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (end = lo; s && end < s->nids && !strcmp(doc_str(s, dc_snapshot_with_id_at(s, end), 1), id); end++)
		;
	return end - lo;
}

size_t dc_snapshot_citing_at(const dc_snapshot *s, size_t k)
{
	disk_target t;

	memcpy(&t, &s->targets[k], sizeof(t));
	return t.doc;
}

static const char *target_str(const dc_snapshot *s, size_t k)
{
	disk_target t;

	memcpy(&t, &s->targets[k], sizeof(t));
	return s->strings + t.str;
}

size_t dc_snapshot_citing(const dc_snapshot *s, const char *target, size_t *first)
{
	size_t lo = 0, hi = s ? s->ntargets : 0, end;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(target_str(s, mid), target) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (end = lo; s && end < s->ntargets && !strcmp(target_str(s, end), target); end++)
		;
	return end - lo;
}

/* --- writing --- */

typedef struct {
	const char *path, *id, *status, *superseded_by;
	const unsigned char *blob;
	size_t old;                 /* index in the old snapshot, or SIZE_MAX */
	const dc_docinfo *info;     /* a summary of set, or NULL */
} item;

typedef struct {
	const char *str;
	uint32_t doc;
} target;

static int item_cmp(const void *a, const void *b)
{
	return strcmp(((const item *)a)->path, ((const item *)b)->path);
}

static int byid_cmp(const void *a, const void *b, void *arg)
{
	const item *items = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(items[x].id, items[y].id);

	return c ? c : (x > y) - (x < y);
}

static int target_cmp(const void *a, const void *b)
{
	const target *x = a, *y = b;
	int c = strcmp(x->str, y->str);

	return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

/* The string table, each string once (paths come back as link targets,
 * ids as references). */
typedef struct {
	dc_buf buf;
	dc_strmap seen;   /* string -> offset */
	int failed;
} strtab;

/* The offset of a string in the table (added if new), or NONE. */
static uint32_t put_str(strtab *t, const char *s)
{
	size_t off;

	if (!s)
		return NONE;
	if (dc_strmap_get(&t->seen, s, &off))
		return (uint32_t)off;
	off = t->buf.len;
	dc_buf_put(&t->buf, s, strlen(s) + 1);
	if (dc_strmap_put(&t->seen, s, off) < 0)
		t->failed = 1;
	return (uint32_t)off;
}

static int add_target(target **ts, size_t *n, size_t *cap, const char *str, size_t doc)
{
	if (dc_array_grow(ts, cap, *n, sizeof(**ts)) < 0)
		return -1;
	(*ts)[*n].str = str;
	(*ts)[(*n)++].doc = (uint32_t)doc;
	return 0;
}

static int write_file(git_repository *repo, const dc_buf *out)
{
	dc_buf file = DC_BUF_INIT, dir = DC_BUF_INIT;
	int rc;

	file_path(&file, repo);
	dc_buf_printf(&dir, "%sdocctl-cache", git_repository_path(repo));
	if (dc_buf_grow(&file, 0) < 0 || dc_buf_grow(&dir, 0) < 0)
		rc = -1;
	else if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST)
		rc = dc_error_set(_("cannot create '%s': %s"), dir.ptr, strerror(errno));
	else
		rc = dc_file_write_atomic(file.ptr, out->ptr, out->len);
	dc_buf_dispose(&file);
	dc_buf_dispose(&dir);
	return rc;
}

/* What is written: every document by path, the ones with an id in id
 * order, and every string a document cites (references, link targets,
 * superseded_by), each with the document that cites it. */
typedef struct {
	item *items;
	size_t n;
	size_t *newof;    /* index in the old snapshot -> in items, or SIZE_MAX */
	uint32_t *byid;
	size_t nids;
	target *ts;
	size_t nt, tcap;
} plan;

/* The old snapshot's documents that stay (not hidden: they changed) and
 * the set's, by path. */
static void gather_items(plan *pl, const dc_snapshot *old, size_t nold, const dc_strmap *hidden,
			 const dc_docset *set, const git_oid *blobs)
{
	item *items = pl->items;
	size_t i, n = 0;

	for (i = 0; i < nold; i++) {
		dc_snapdoc d;
		size_t ignored;

		dc_snapshot_doc(old, i, &d);
		pl->newof[i] = SIZE_MAX;
		if (hidden && dc_strmap_get(hidden, d.path, &ignored))
			continue;
		items[n].path = d.path;
		items[n].id = d.id;
		items[n].status = d.status;
		items[n].superseded_by = d.superseded_by;
		items[n].blob = old->docs + i * DOC_SIZE + 16;
		items[n].old = i;
		items[n++].info = NULL;
	}
	for (i = 0; i < set->n; i++) {
		const dc_docinfo *d = &set->docs[i];

		items[n].path = d->path;
		items[n].id = d->id;
		items[n].status = d->status;
		items[n].superseded_by = d->superseded_by.text;
		items[n].blob = blobs[i].id;
		items[n].old = SIZE_MAX;
		items[n++].info = d;
	}
	qsort(items, n, sizeof(*items), item_cmp);
	pl->n = n;
}

/* The id order and the targets: the new documents' own, and the old
 * snapshot's of the documents that stay. Returns 0 or -1. */
static int gather_targets(plan *pl, const dc_snapshot *old)
{
	size_t i, j;

	if (!(pl->byid = malloc((pl->n + 1) * sizeof(*pl->byid))))
		return dc_error_oom();
	for (i = 0; i < pl->n; i++) {
		const dc_docinfo *d = pl->items[i].info;

		if (pl->items[i].old != SIZE_MAX)
			pl->newof[pl->items[i].old] = i;
		if (pl->items[i].id)
			pl->byid[pl->nids++] = (uint32_t)i;
		if (!d)
			continue;
		for (j = 0; j < d->nrefs; j++)
			if (d->refs[j].text && add_target(&pl->ts, &pl->nt, &pl->tcap, d->refs[j].text, i) < 0)
				return -1;
		for (j = 0; j < d->nlinks; j++)
			if (add_target(&pl->ts, &pl->nt, &pl->tcap, d->links[j].target, i) < 0)
				return -1;
		if (d->superseded_by.text && add_target(&pl->ts, &pl->nt, &pl->tcap, d->superseded_by.text, i) < 0)
			return -1;
	}
	for (i = 0; old && i < old->ntargets; i++) {
		size_t doc = dc_snapshot_citing_at(old, i);

		if (pl->newof[doc] != SIZE_MAX &&
		    add_target(&pl->ts, &pl->nt, &pl->tcap, target_str(old, i), pl->newof[doc]) < 0)
			return -1;
	}
	qsort_r(pl->byid, pl->nids, sizeof(*pl->byid), byid_cmp, pl->items);
	if (pl->nt)
		qsort(pl->ts, pl->nt, sizeof(*pl->ts), target_cmp);
	return 0;
}

/* The sections after the header: documents, id order, targets, strings;
 * the strings go to their own table. Returns 0 or -1. */
static int encode_sections(dc_buf *out, const plan *pl, strtab *strs)
{
	size_t i;

	if (dc_strmap_reserve(&strs->seen, pl->n * 2 + 64) < 0)
		return -1;
	for (i = 0; i < pl->n; i++) {
		uint32_t offs[4];

		offs[0] = put_str(strs, pl->items[i].path);
		offs[1] = put_str(strs, pl->items[i].id);
		offs[2] = put_str(strs, pl->items[i].status);
		offs[3] = put_str(strs, pl->items[i].superseded_by);
		dc_buf_put(out, offs, 16);
		dc_buf_put(out, pl->items[i].blob, GIT_OID_RAWSZ);
	}
	if (pl->nids)
		dc_buf_put(out, pl->byid, pl->nids * sizeof(*pl->byid));
	for (i = 0; i < pl->nt; i++) {
		disk_target t;

		t.str = put_str(strs, pl->ts[i].str);
		t.doc = pl->ts[i].doc;
		dc_buf_put(out, &t, sizeof(t));
	}
	if (!strs->buf.len)
		dc_buf_putc(&strs->buf, '\0');
	dc_buf_put(out, strs->buf.ptr, strs->buf.len);
	if (dc_buf_grow(out, 0) < 0 || dc_buf_grow(&strs->buf, 0) < 0 || strs->failed || strs->buf.len >= NONE)
		return dc_error_oom();
	return 0;
}

/* The whole file: the header (its counts and checksum filled in last),
 * then the sections. Returns 0 or -1. */
static int encode(dc_buf *out, const plan *pl, unsigned long long fingerprint, const char *prefix,
		  const git_oid *tree)
{
	unsigned long long ph = prefix_hash(prefix), sum;
	uint32_t counts[4];
	strtab strs;
	int rc;

	memset(&strs, 0, sizeof(strs));
	dc_buf_init(&strs.buf);
	dc_strmap_init(&strs.seen);
	dc_buf_put(out, MAGIC, 7);
	dc_buf_putc(out, VERSION);
	dc_buf_put(out, &fingerprint, 8);
	dc_buf_put(out, &ph, 8);
	dc_buf_put(out, tree->id, GIT_OID_RAWSZ);
	dc_buf_put(out, "\0\0\0\0", 4);
	dc_buf_put(out, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16); /* counts, below */
	dc_buf_put(out, "\0\0\0\0\0\0\0\0", 8);                  /* checksum, below */
	rc = encode_sections(out, pl, &strs);
	if (rc == 0) {
		counts[0] = (uint32_t)pl->n;
		counts[1] = (uint32_t)pl->nids;
		counts[2] = (uint32_t)pl->nt;
		counts[3] = (uint32_t)strs.buf.len;
		memcpy(out->ptr + 48, counts, 16);
		sum = dc_hash64(DC_HASH_INIT, out->ptr + HEADER, out->len - HEADER);
		memcpy(out->ptr + 64, &sum, 8);
	}
	dc_buf_dispose(&strs.buf);
	dc_strmap_dispose(&strs.seen);
	return rc;
}

int dc_snapshot_save(git_repository *repo, unsigned long long fingerprint, const char *prefix,
		     const git_oid *tree, const dc_snapshot *old, const dc_strmap *hidden,
		     const dc_docset *set, const git_oid *blobs)
{
	size_t nold = dc_snapshot_count(old);
	dc_buf out = DC_BUF_INIT;
	plan pl;
	int rc = -1;

	memset(&pl, 0, sizeof(pl));
	pl.items = malloc((nold + set->n + 1) * sizeof(*pl.items));
	pl.newof = malloc((nold + 1) * sizeof(*pl.newof));
	if (!pl.items || !pl.newof) {
		dc_error_oom();
		goto cleanup;
	}
	gather_items(&pl, old, nold, hidden, set, blobs);
	if (gather_targets(&pl, old) < 0 || encode(&out, &pl, fingerprint, prefix, tree) < 0)
		goto cleanup;
	rc = write_file(repo, &out);
cleanup:
	free(pl.items);
	free(pl.newof);
	free(pl.byid);
	free(pl.ts);
	dc_buf_dispose(&out);
	return rc;
}
