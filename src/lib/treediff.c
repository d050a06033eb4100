/*
 * treediff.c - a tree diff over raw tree objects (see treediff.h), the way
 * git's tree-diff.c does it: both trees are walked together in git's entry
 * order, a run of identical entries is passed over with one memchr and one
 * memcmp per entry (no allocation, no path), a subtree with the same id on
 * both sides is never read, and only a differing entry gets its full path.
 *
 * A tree object is a sequence of "<octal mode> <name>\0<20-byte id>"
 * entries, sorted by name as if every folder's name ended in '/'.
 */
#include "treediff.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"

#define RAWSZ 20
#define DEPTH_MAX 2048
/* The big trees kept between diffs (small ones stay in libgit2's own cache). */
#define CACHE_SLOTS 16
#define CACHE_MIN 4096
#define CACHE_BYTES ((size_t)64 * 1024 * 1024)

typedef struct {
	git_oid id;
	git_odb_object *obj;   /* NULL: the slot is free */
	size_t size;
	unsigned long used;
} slot;

struct dc_treediff_session {
	git_odb *odb;
	slot cache[CACHE_SLOTS];
	size_t cached;         /* bytes */
	unsigned long clock;
	/* one run */
	dc_buf path;           /* the current folder, "" or ending in '/' */
	const char *const *specs;
	size_t *speclen;
	size_t nspecs;
	dc_treediff_cb cb;
	void *payload;
};

typedef struct {
	const unsigned char *start;
	const char *name;      /* NUL-terminated in the object */
	size_t len;            /* of the name */
	size_t size;           /* of the whole entry */
	uint32_t mode;
	const unsigned char *id;
} entry;

enum { MATCH_NONE, MATCH_ABOVE, MATCH_FULL };

static int is_tree(uint32_t mode)
{
	return (mode & 0170000) == 0040000;
}

/* The entry at `p`: 1, 0 at the end, -1 when malformed. */
static int parse(entry *e, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p, *nul;
	uint32_t mode = 0;

	if (p == end)
		return 0;
	while (q < end && *q >= '0' && *q <= '7' && q - p < 7)
		mode = mode * 8 + (uint32_t)(*q++ - '0');
	if (q == p || q == end || *q != ' ')
		return -1;
	q++;
	if (!(nul = memchr(q, 0, (size_t)(end - q))) || nul == q || (size_t)(end - nul) < 1 + RAWSZ)
		return -1;
	e->start = p;
	e->name = (const char *)q;
	e->len = (size_t)(nul - q);
	e->mode = mode;
	e->id = nul + 1;
	e->size = (size_t)(nul + 1 + RAWSZ - p);
	return 1;
}

/* git's base_name_compare: a folder's name compares as if it ended in '/'. */
static int compare(const entry *a, const entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int cmp = memcmp(a->name, b->name, n);
	unsigned char ca, cb;

	if (cmp)
		return cmp;
	ca = (unsigned char)a->name[n];
	cb = (unsigned char)b->name[n];
	if (!ca && is_tree(a->mode))
		ca = '/';
	if (!cb && is_tree(b->mode))
		cb = '/';
	return ca < cb ? -1 : ca > cb;
}

static void cache_drop(dc_treediff_session *td, slot *s)
{
	td->cached -= s->size;
	git_odb_object_free(s->obj);
	memset(s, 0, sizeof(*s));
}

static void cache_put(dc_treediff_session *td, const git_oid *id, git_odb_object *obj, size_t size)
{
	slot *victim;
	size_t i;

	if (size < CACHE_MIN || size > CACHE_BYTES / 4)
		return;
	for (;;) {
		victim = NULL;
		for (i = 0; i < CACHE_SLOTS; i++) {
			slot *s = &td->cache[i];

			if (!s->obj) {
				if (td->cached + size <= CACHE_BYTES)
					break;
				continue;
			}
			if (!victim || s->used < victim->used)
				victim = s;
		}
		if (i < CACHE_SLOTS)
			break;
		if (!victim)
			return;
		cache_drop(td, victim);
	}
	if (git_odb_object_dup(&td->cache[i].obj, obj) < 0) {
		td->cache[i].obj = NULL;
		return;
	}
	git_oid_cpy(&td->cache[i].id, id);
	td->cache[i].size = size;
	td->cache[i].used = ++td->clock;
	td->cached += size;
}

static int read_tree(git_odb_object **out, dc_treediff_session *td, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		slot *s = &td->cache[i];

		if (s->obj && git_oid_equal(&s->id, id)) {
			s->used = ++td->clock;
			if (git_odb_object_dup(out, s->obj) < 0)
				return dc_error_set_git(_("cannot read a tree"));
			return 0;
		}
	}
	if (git_odb_read(out, td->odb, id) < 0)
		return dc_error_set_git(_("cannot read a tree"));
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		git_odb_object_free(*out);
		*out = NULL;
		git_oid_tostr(hex, sizeof(hex), id);
		return dc_error_set(_("object '%s' is not a tree"), hex);
	}
	cache_put(td, id, *out, git_odb_object_size(*out));
	return 0;
}

/* Whether `name` in the current folder is under a path (FULL), or a folder on
 * the way to one (ABOVE). A path written with a trailing '/' names a folder
 * only, as in libgit2. */
static int match(const dc_treediff_session *td, size_t dirlen, const char *name, size_t len, int tree)
{
	int best = MATCH_NONE;
	size_t i;

	for (i = 0; i < td->nspecs; i++) {
		const char *s = td->specs[i];
		size_t sl = td->speclen[i];

		if (sl < dirlen + len || memcmp(s, td->path.ptr, dirlen) || memcmp(s + dirlen, name, len))
			continue;
		if (sl == dirlen + len) {
			if (tree || !s[sl])
				return MATCH_FULL;
			continue;
		}
		if (s[dirlen + len] == '/')
			best = MATCH_ABOVE;
	}
	return best;
}

static int malformed(const dc_treediff_session *td, size_t dirlen)
{
	return dc_error_set(_("malformed tree object at '%.*s'"), (int)dirlen, td->path.ptr);
}

static int report(dc_treediff_session *td, size_t dirlen, int inside, const entry *a, const entry *b)
{
	const entry *e = a ? a : b;
	dc_treediff_side sa, sb;

	if (!inside && match(td, dirlen, e->name, e->len, 0) != MATCH_FULL)
		return 0;
	dc_buf_truncate(&td->path, dirlen);
	if (dc_buf_put(&td->path, e->name, e->len) < 0)
		return -1;
	if (a) {
		sa.mode = a->mode;
		git_oid_fromraw(&sa.id, a->id);
	}
	if (b) {
		sb.mode = b->mode;
		git_oid_fromraw(&sb.id, b->id);
	}
	return td->cb(td->path.ptr, a ? &sa : NULL, b ? &sb : NULL, td->payload);
}

static int walk(dc_treediff_session *td, const git_oid *a, const git_oid *b, size_t dirlen, int inside, unsigned depth);

static int descend(dc_treediff_session *td, size_t dirlen, int inside, unsigned depth, const entry *a, const entry *b)
{
	const entry *e = a ? a : b;
	git_oid ia, ib;
	int m = inside ? MATCH_FULL : match(td, dirlen, e->name, e->len, 1);

	if (m == MATCH_NONE)
		return 0;
	if (a)
		git_oid_fromraw(&ia, a->id);
	if (b)
		git_oid_fromraw(&ib, b->id);
	dc_buf_truncate(&td->path, dirlen);
	if (dc_buf_put(&td->path, e->name, e->len) < 0 || dc_buf_putc(&td->path, '/') < 0)
		return -1;
	return walk(td, a ? &ia : NULL, b ? &ib : NULL, dirlen + e->len + 1, m == MATCH_FULL, depth + 1);
}

static int walk(dc_treediff_session *td, const git_oid *a, const git_oid *b, size_t dirlen, int inside, unsigned depth)
{
	git_odb_object *oa = NULL, *ob = NULL;
	const unsigned char *pa = NULL, *ea = NULL, *pb = NULL, *eb = NULL;
	entry xa, xb;
	int rc = 0;

	if (depth > DEPTH_MAX)
		return dc_error_set(_("trees nested deeper than %d folders at '%.*s'"), DEPTH_MAX, (int)dirlen,
				    td->path.ptr);
	if (a) {
		if ((rc = read_tree(&oa, td, a)) < 0)
			goto cleanup;
		pa = git_odb_object_data(oa);
		ea = pa + git_odb_object_size(oa);
	}
	if (b) {
		if ((rc = read_tree(&ob, td, b)) < 0)
			goto cleanup;
		pb = git_odb_object_data(ob);
		eb = pb + git_odb_object_size(ob);
	}
	while (rc == 0 && (pa != ea || pb != eb)) {
		int ha = 0, hb = 0, cmp;

		if (pa != ea && (ha = parse(&xa, pa, ea)) < 0) {
			rc = malformed(td, dirlen);
			break;
		}
		/* the same bytes: the same mode, name and id */
		if (ha && (size_t)(eb - pb) >= xa.size && !memcmp(pa, pb, xa.size)) {
			pa += xa.size;
			pb += xa.size;
			continue;
		}
		if (pb != eb && (hb = parse(&xb, pb, eb)) < 0) {
			rc = malformed(td, dirlen);
			break;
		}
		cmp = ha && hb ? compare(&xa, &xb) : ha ? -1 : 1;
		if (cmp == 0) {
			/* the same name and both folders or both not */
			if (is_tree(xa.mode)) {
				if (memcmp(xa.id, xb.id, RAWSZ))
					rc = descend(td, dirlen, inside, depth, &xa, &xb);
			} else if (xa.mode != xb.mode || memcmp(xa.id, xb.id, RAWSZ)) {
				rc = report(td, dirlen, inside, &xa, &xb);
			}
			pa += xa.size;
			pb += xb.size;
		} else if (cmp < 0) {
			rc = is_tree(xa.mode) ? descend(td, dirlen, inside, depth, &xa, NULL)
					      : report(td, dirlen, inside, &xa, NULL);
			pa += xa.size;
		} else {
			rc = is_tree(xb.mode) ? descend(td, dirlen, inside, depth, NULL, &xb)
					      : report(td, dirlen, inside, NULL, &xb);
			pb += xb.size;
		}
	}
cleanup:
	git_odb_object_free(oa);
	git_odb_object_free(ob);
	return rc;
}

static int check_sha1(git_repository *repo)
{
	git_config *cfg = NULL;
	const char *fmt = NULL;
	int rc = 0;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return dc_error_set_git(_("cannot read the repository's configuration"));
	if (git_config_get_string(&fmt, cfg, "extensions.objectformat") == 0 && strcasecmp(fmt, "sha1"))
		rc = dc_error_set(_("cannot compare trees: the repository's objects use \"%s\"; only sha1 is supported"),
				  fmt);
	git_error_clear();
	git_config_free(cfg);
	return rc;
}

int dc_treediff_session_new(dc_treediff_session **out, git_repository *repo)
{
	dc_treediff_session *td;

	*out = NULL;
	if (check_sha1(repo) < 0)
		return -1;
	if (!(td = calloc(1, sizeof(*td))))
		return dc_error_oom();
	dc_buf_init(&td->path);
	if (git_repository_odb(&td->odb, repo) < 0) {
		free(td);
		return dc_error_set_git(_("cannot open the object database"));
	}
	*out = td;
	return 0;
}

void dc_treediff_session_free(dc_treediff_session *td)
{
	size_t i;

	if (!td)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		if (td->cache[i].obj)
			cache_drop(td, &td->cache[i]);
	dc_buf_dispose(&td->path);
	git_odb_free(td->odb);
	free(td);
}

int dc_treediff_run(dc_treediff_session *td, const git_oid *old_tree, const git_oid *new_tree,
		    const char *const *paths, size_t npaths, dc_treediff_cb cb, void *payload)
{
	size_t i;
	int inside = npaths == 0, rc;

	if ((!old_tree && !new_tree) || (old_tree && new_tree && git_oid_equal(old_tree, new_tree)))
		return 0;
	td->speclen = NULL;
	if (npaths && !(td->speclen = calloc(npaths, sizeof(*td->speclen))))
		return dc_error_oom();
	for (i = 0; i < npaths; i++) {
		size_t n = strlen(paths[i]);

		while (n && paths[i][n - 1] == '/')
			n--;
		td->speclen[i] = n;
		if (!n)
			inside = 1;
	}
	td->specs = paths;
	td->nspecs = npaths;
	td->cb = cb;
	td->payload = payload;
	dc_buf_clear(&td->path);
	rc = walk(td, old_tree, new_tree, 0, inside, 0);
	free(td->speclen);
	td->speclen = NULL;
	td->specs = NULL;
	td->nspecs = 0;
	return rc;
}

typedef struct {
	git_diff_file_cb cb;
	void *payload;
	uint32_t flags;
} foreach_ctx;

static void file_side(git_diff_file *f, const dc_treediff_side *s)
{
	if (!s)
		return;
	git_oid_cpy(&f->id, &s->id);
	f->mode = (uint16_t)s->mode;
	f->flags = GIT_DIFF_FLAG_EXISTS | GIT_DIFF_FLAG_VALID_ID;
	f->id_abbrev = GIT_OID_HEXSZ;
}

static int emit(foreach_ctx *x, git_delta_t status, const char *path, const dc_treediff_side *o,
		const dc_treediff_side *n)
{
	git_diff_delta d;

	memset(&d, 0, sizeof(d));
	d.status = status;
	d.nfiles = o && n ? 2 : 1;
	d.old_file.path = d.new_file.path = path;
	file_side(&d.old_file, o);
	file_side(&d.new_file, n);
	return x->cb(&d, 0, x->payload);
}

static int as_deltas(const char *path, const dc_treediff_side *o, const dc_treediff_side *n, void *payload)
{
	foreach_ctx *x = payload;
	int rc;

	if (!o || !n)
		return emit(x, o ? GIT_DELTA_DELETED : GIT_DELTA_ADDED, path, o, n);
	if ((o->mode & 0170000) != (n->mode & 0170000))
		return (rc = emit(x, GIT_DELTA_DELETED, path, o, NULL)) ? rc : emit(x, GIT_DELTA_ADDED, path, NULL, n);
	if (o->mode == GIT_FILEMODE_COMMIT && (x->flags & GIT_DIFF_IGNORE_SUBMODULES))
		return 0;
	return emit(x, GIT_DELTA_MODIFIED, path, o, n);
}

int dc_treediff_foreach(dc_treediff_session *s, const git_oid *old_tree, const git_oid *new_tree,
			const char *const *paths, size_t npaths, uint32_t flags, git_diff_file_cb cb,
			void *payload)
{
	foreach_ctx x = { cb, payload, flags };

	return dc_treediff_run(s, old_tree, new_tree, paths, npaths, as_deltas, &x);
}

int dc_treediff(git_repository *repo, const git_oid *old_tree, const git_oid *new_tree,
		const char *const *paths, size_t npaths, dc_treediff_cb cb, void *payload)
{
	dc_treediff_session *td;
	int rc;

	if (dc_treediff_session_new(&td, repo) < 0)
		return -1;
	rc = dc_treediff_run(td, old_tree, new_tree, paths, npaths, cb, payload);
	dc_treediff_session_free(td);
	return rc;
}
