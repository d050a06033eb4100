/*
 * source.c - the working tree, the index and commit trees behind one
 * interface (see source.h).
 */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "child.h"
#include "error.h"
#include "i18n.h"
#include "parallel.h"
#include "strmap.h"
#include "tree_cursor.h"

/* The paths of the index, as git lists them (see tracked_read()). */
typedef struct {
	unsigned char *data;    /* what git printed; NULL when not read this way */
	const char **paths;     /* every entry's path, in the index's order */
	unsigned char *stage0;  /* per entry: nonzero for stage 0 */
	unsigned char *gitlink; /* per entry: nonzero for a gitlink (mode 160000) */
	size_t n;
	int ok;                 /* this is the index */
} tracked_list;

struct dc_source {
	dc_source_kind kind;
	git_repository *repo;   /* borrowed */
	git_index *index;       /* borrowed (index) or owned (worktree lookups) */
	int own_index;
	git_tree *tree;         /* owned copy */
	char *root;             /* worktree: the project folder on disk */
	int rootfd;             /* worktree: that folder, open (-1 when not) */
	pthread_t loader;       /* worktree: reads the index while the scan runs */
	int loading;
	char *load_error;       /* what the loader's libgit2 call said */
	tracked_list tracked;   /* worktree: the index's paths, when git listed them */
	char *prefix;           /* "" or "sub/dir/" (with the slash) */
	dc_arena arena;         /* entry paths */
	dc_entry *entries;
	size_t n, cap;
	const dc_filechange *files; /* an overlay: these files differ from `tree` */
	size_t nfiles;
	int overlay;
	dc_strmap changed;          /* their paths (from the repository root) */
	const char **gitlinks;      /* the listing's gitlinks (submodules), by path */
	size_t ngitlinks, capgitlinks;
};

static int source_new(dc_source **out, dc_source_kind kind, git_repository *repo, const char *prefix)
{
	dc_source *s = calloc(1, sizeof(*s));
	size_t plen = prefix ? strlen(prefix) : 0;

	if (!s)
		return dc_error_oom();
	s->kind = kind;
	s->repo = repo;
	s->rootfd = -1;
	dc_arena_init(&s->arena);
	s->prefix = malloc(plen + 2);
	if (!s->prefix) {
		free(s);
		return dc_error_oom();
	}
	memcpy(s->prefix, prefix ? prefix : "", plen);
	while (plen && s->prefix[plen - 1] == '/')
		plen--;
	if (plen == 1 && s->prefix[0] == '.')
		plen = 0;
	if (plen)
		s->prefix[plen++] = '/';
	s->prefix[plen] = '\0';
	*out = s;
	return 0;
}

int dc_source_open_worktree(dc_source **out, git_repository *repo, const char *root)
{
	dc_source *s;
	const char *wd;
	char *real;
	int rc;

	real = realpath(root, NULL);
	if (!real)
		return dc_error_set(_("cannot open '%s': %s"), root, strerror(errno));
	if (repo && (wd = git_repository_workdir(repo)) != NULL) {
		size_t wl = strlen(wd);

		if (wl && wd[wl - 1] == '/')
			wl--;
		if (strncmp(real, wd, wl) || (real[wl] && real[wl] != '/')) {
			free(real);
			return dc_error_set(_("'%s' is not inside the repository's working tree"), root);
		}
		rc = source_new(&s, DC_SOURCE_WORKTREE, repo, real[wl] ? real + wl + 1 : "");
	} else {
		rc = source_new(&s, DC_SOURCE_WORKTREE, NULL, "");
	}
	if (rc < 0) {
		free(real);
		return rc;
	}
	s->root = real;
	/* the index is read when it is first needed: during a scan, by another
	 * thread while this one lists the folders */
	s->rootfd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->rootfd < 0) {
		rc = dc_error_set(_("cannot open '%s': %s"), root, strerror(errno));
		dc_source_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int tracked_read(dc_source *s);

/* libgit2's index (for lookups by dc_source_exists()). */
static void *load_git_index(void *arg)
{
	dc_source *s = arg;
	const git_error *e;

	if (git_repository_index(&s->index, s->repo) < 0) {
		s->index = NULL;
		e = git_error_last();
		s->load_error = strdup(e && e->message ? e->message : "unknown libgit2 error");
	}
	return NULL;
}

/* What a scan needs of the index: its paths, from git if it can, else
 * libgit2's index. */
static void *load_index(void *arg)
{
	dc_source *s = arg;

	if (tracked_read(s) == 0)
		return NULL;
	return load_git_index(s);
}

static void index_start(dc_source *s)
{
	if (!s->repo || s->index || s->tracked.ok || s->loading || s->load_error)
		return;
	if (pthread_create(&s->loader, NULL, load_index, s) == 0)
		s->loading = 1;
}

/* What the working tree's scan needs of the index, read now if not yet:
 * the paths from git (s->tracked) or libgit2's index. */
static int wt_index(dc_source *s)
{
	if (s->loading) {
		pthread_join(s->loader, NULL);
		s->loading = 0;
	} else if (!s->index && !s->tracked.ok && !s->load_error) {
		load_index(s);
	}
	if (!s->index && !s->tracked.ok)
		return dc_error_set(_("cannot read the index: %s"), s->load_error ? s->load_error : "out of memory");
	if (s->index)
		s->own_index = 1;
	return 0;
}

/* The first entry whose path is not below `path` (lower bound). */
static size_t tracked_find(const tracked_list *t, const char *path)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->paths[mid], path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* git_index_get_bypath(path, 0) != NULL, on either form of the index. */
static int index_has(dc_source *s, const char *path)
{
	size_t i;

	if (!s->tracked.ok)
		return git_index_get_bypath(s->index, path, 0) != NULL;
	for (i = tracked_find(&s->tracked, path); i < s->tracked.n && !strcmp(s->tracked.paths[i], path); i++)
		if (s->tracked.stage0[i])
			return 1;
	return 0;
}

/* git_index_find_prefix(prefix) == 0, on either form of the index. */
static int index_has_prefix(dc_source *s, const char *prefix)
{
	size_t i, pos;

	if (!s->tracked.ok)
		return git_index_find_prefix(&pos, s->index, prefix) == 0;
	i = tracked_find(&s->tracked, prefix);
	return i < s->tracked.n && !strncmp(s->tracked.paths[i], prefix, strlen(prefix));
}

int dc_source_open_index(dc_source **out, git_repository *repo, git_index *index, const char *prefix)
{
	int rc = source_new(out, DC_SOURCE_INDEX, repo, prefix);

	if (rc == 0)
		(*out)->index = index;
	return rc;
}

int dc_source_open_tree(dc_source **out, git_repository *repo, const git_tree *tree, const char *prefix)
{
	dc_source *s;

	if (source_new(&s, DC_SOURCE_TREE, repo, prefix) < 0)
		return -1;
	if (git_tree_dup(&s->tree, (git_tree *)tree) < 0) {
		dc_source_free(s);
		return dc_error_set_git(_("cannot copy tree"));
	}
	*out = s;
	return 0;
}

int dc_source_open_overlay(dc_source **out, git_repository *repo, const git_tree *tree, const char *prefix,
			   const dc_filechange *files, size_t nfiles)
{
	size_t i;

	if (dc_source_open_tree(out, repo, tree, prefix) < 0)
		return -1;
	(*out)->files = files;
	(*out)->nfiles = nfiles;
	(*out)->overlay = 1;
	if (dc_strmap_reserve(&(*out)->changed, nfiles) < 0)
		goto fail;
	for (i = 0; i < nfiles; i++)
		if (dc_strmap_put(&(*out)->changed, files[i].path, i) < 0)
			goto fail;
	return 0;
fail:
	dc_source_free(*out);
	*out = NULL;
	return -1;
}

/* In an overlay: the changed file at `full` (from the repository root),
 * or NULL when the tree's entry stands. */
static const dc_filechange *overlaid(const dc_source *s, const char *full)
{
	size_t at;

	return s->files && dc_strmap_get(&s->changed, full, &at) ? &s->files[at] : NULL;
}

/* In an overlay: nonzero when some added file lies under the folder
 * `dir` (with its trailing slash). */
static int overlaid_folder(const dc_source *s, const char *dir)
{
	size_t i, n = strlen(dir);

	for (i = 0; s->files && i < s->changed.n; i++)
		if (s->files[i].has_new && !strncmp(s->files[i].path, dir, n))
			return 1;
	return 0;
}

void dc_source_free(dc_source *s)
{
	if (!s)
		return;
	if (s->loading)
		pthread_join(s->loader, NULL);
	if (s->kind == DC_SOURCE_WORKTREE && s->index)
		s->own_index = 1;
	if (s->own_index)
		git_index_free(s->index);
	free(s->tracked.data);
	free(s->tracked.paths);
	free(s->tracked.stage0);
	free(s->tracked.gitlink);
	free(s->gitlinks);
	if (s->rootfd >= 0)
		close(s->rootfd);
	free(s->load_error);
	git_tree_free(s->tree);
	dc_strmap_dispose(&s->changed);
	dc_arena_dispose(&s->arena);
	free(s->entries);
	free(s->root);
	free(s->prefix);
	free(s);
}

dc_source_kind dc_source_kind_of(const dc_source *s)
{
	return s->kind;
}

git_repository *dc_source_repo(const dc_source *s)
{
	return s->repo;
}

static int add_entry(dc_source *s, const char *path, size_t len, int symlink, const git_oid *oid,
		     const struct stat *st)
{
	dc_entry *e;

	if (DC_ARRAY_GROW(s->entries, s->cap, s->n + 1) < 0)
		return -1;
	e = &s->entries[s->n];
	memset(e, 0, sizeof(*e));
	if (!(e->path = dc_arena_strndup(&s->arena, path, len)))
		return -1;
	e->symlink = symlink;
	if (oid) {
		e->has_oid = 1;
		git_oid_cpy(&e->oid, oid);
	}
	if (st) {
		e->has_stat = 1;
		e->size = (uint64_t)st->st_size;
		e->ino = (uint64_t)st->st_ino;
		e->mtime_s = (int64_t)st->st_mtim.tv_sec;
		e->mtime_ns = st->st_mtim.tv_nsec;
	}
	s->n++;
	return 0;
}

/* A gitlink (a submodule entry) of the listing, by its path. */
static int add_gitlink(dc_source *s, const char *path, size_t len)
{
	const char *p;

	if (dc_array_grow(&s->gitlinks, &s->capgitlinks, s->ngitlinks, sizeof(*s->gitlinks)) < 0 ||
	    !(p = dc_arena_strndup(&s->arena, path, len)))
		return -1;
	s->gitlinks[s->ngitlinks++] = p;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const dc_entry *)a)->path, ((const dc_entry *)b)->path);
}

/* Normalises a scan folder: "" for everything, else "dir/" */
static void dir_prefix(dc_buf *out, const char *dir)
{
	size_t len = strlen(dir);

	dc_buf_clear(out);
	while (len && dir[len - 1] == '/')
		len--;
	if (len == 1 && dir[0] == '.')
		len = 0;
	dc_buf_put(out, dir, len);
	if (len)
		dc_buf_putc(out, '/');
}

/* --- the index's paths, from git --- */

/*
 * Which listed files git tracks is all that a working tree's scan and
 * dc_source_exists() ask of the index, and libgit2 reading all of it
 * (allocating, hashing and sorting every entry: 0.1 s for 100,000 files)
 * costs more than the rest of a scan. git reads its own index several
 * times faster, so the paths and stages come from `git ls-files --stage
 * -z` ("MODE OID STAGE<TAB>PATH" NUL each, in the index's order). When git
 * cannot be run or says something unexpected, libgit2 reads the index, as
 * it always did.
 */
static int tracked_read(dc_source *s)
{
	static const char *const argv[] = { "git", "ls-files", "--stage", "-z", NULL };
	tracked_list *t = &s->tracked;
	const char *workdir = s->repo ? git_repository_workdir(s->repo) : NULL;
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };
	size_t count = 0, off, i;
	int rc = 1;

	memset(t, 0, sizeof(*t));
	if (!workdir || dc_spawn(&res, workdir, argv, "/dev/null", (size_t)1 << 30, 60000) < 0 || res.code != 0 ||
	    !res.out.len || res.out.ptr[res.out.len - 1] != '\0')
		goto done;
	for (off = 0; off < res.out.len; off++)
		count += res.out.ptr[off] == '\0';
	if (!(t->paths = malloc(count * sizeof(*t->paths))) || !(t->stage0 = malloc(count)) ||
	    !(t->gitlink = malloc(count)))
		goto done;
	for (i = 0, off = 0; i < count; i++) {
		char *rec = res.out.ptr + off, *tab = strchr(rec, '\t');
		size_t len = strlen(rec);

		/* "100644 <oid> 0\tpath": the stage is the digit before the tab */
		if (!tab || tab - rec < 3 || tab[-2] != ' ' || tab[-1] < '0' || tab[-1] > '3' || !tab[1])
			goto done;
		t->paths[i] = tab + 1;
		t->stage0[i] = tab[-1] == '0';
		t->gitlink[i] = !strncmp(rec, "160000 ", 7);
		if (i && strcmp(t->paths[i - 1], t->paths[i]) > 0)
			goto done; /* not in git's order: leave it to libgit2 */
		off += len + 1;
	}
	t->n = count;
	t->data = (unsigned char *)dc_buf_detach(&res.out);
	rc = 0;
done:
	dc_child_dispose(&res);
	if (rc == 0) {
		t->ok = 1;
	} else {
		free(t->paths);
		free(t->stage0);
		free(t->gitlink);
		memset(t, 0, sizeof(*t));
	}
	return rc;
}

/* --- working tree --- */

/*
 * A scan lists each folder with readdir() (whose d_type says what each name
 * is), in git's order, and only then lstat()s the files it found, on all
 * cores; the index, which says which files are tracked, is read by another
 * thread meanwhile. Tracked files are found by walking the index alongside
 * the sorted listing instead of one lookup per file.
 */

/* One name of a folder: a folder's name ends in '/' here, so that sorting
 * the names bytewise gives git's order (and listing each folder in that
 * order yields every path in bytewise order). */
typedef struct {
	uint64_t key;        /* the name's first 8 bytes, big-endian: most
	                        comparisons need nothing else */
	const char *name;
	size_t off, len;     /* where in the folder's names; len without the '/' */
	unsigned char kind;  /* 'd' folder, 'f' file, 'l' symbolic link */
} wt_item;

static int wt_item_cmp(const void *pa, const void *pb)
{
	const wt_item *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return strcmp(a->name, b->name);
}

static unsigned char kind_of_mode(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISREG(m) ? 'f' : S_ISLNK(m) ? 'l' : 0;
}

static int wt_walk(dc_source *s, dc_buf *rel, dc_buf *scratch, unsigned depth)
{
	wt_item *items = NULL;
	dc_buf names = DC_BUF_INIT;
	size_t n = 0, cap = 0, i, k, base = rel->len;
	DIR *d;
	struct dirent *de;
	int rc = 0, fd, nested = 0;

	if (depth > 64)
		return 0;
	if (depth == 0)
		index_start(s);
	fd = openat(s->rootfd, rel->len ? rel->ptr : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		rc = errno;
		if (fd >= 0)
			close(fd);
		return rc == ENOENT || rc == ENOTDIR ? 0 : dc_error_set(_("cannot read folder '%s': %s"), rel->len ? rel->ptr : ".", strerror(rc));
	}
	while ((de = readdir(d)) != NULL) {
		unsigned char kind;
		struct stat st;

		if (!strcmp(de->d_name, ".git") && rel->len)
			nested = 1;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
			continue;
		switch (de->d_type) {
		case DT_DIR: kind = 'd'; break;
		case DT_REG: kind = 'f'; break;
		case DT_LNK: kind = 'l'; break;
		case DT_UNKNOWN:
			/* relative to the open folder: no path walk from the root */
			kind = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? kind_of_mode(st.st_mode) : 0;
			break;
		default: kind = 0; break;
		}
		if (!kind)
			continue;
		if ((rc = dc_array_grow(&items, &cap, n, sizeof(*items))) < 0)
			break;
		items[n].off = names.len;
		items[n].len = strlen(de->d_name);
		items[n].kind = kind;
		/* all names in one buffer, a folder's with its '/', each with its NUL */
		if (dc_buf_put(&names, de->d_name, items[n].len) < 0 ||
		    (kind == 'd' && dc_buf_putc(&names, '/') < 0) || dc_buf_putc(&names, '\0') < 0) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0 && nested) {
		/* another repository inside this one: git would commit it as a
		 * gitlink (a submodule), not its files */
		int ignored = 0;

		dc_buf_clear(scratch);
		dc_buf_printf(scratch, "%s%s/", s->prefix, rel->ptr);
		if (!s->repo || git_ignore_path_is_ignored(&ignored, s->repo, scratch->ptr) < 0 || !ignored)
			rc = add_gitlink(s, rel->ptr, rel->len);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		const unsigned char *u = (const unsigned char *)names.ptr + items[i].off;

		items[i].name = names.ptr + items[i].off;
		for (items[i].key = 0, k = 0; k < 8; k++)
			items[i].key = items[i].key << 8 | (*u ? *u++ : 0);
	}
	if (rc == 0 && n > 1)
		qsort(items, n, sizeof(*items), wt_item_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		const wt_item *it = &items[i];

		dc_buf_truncate(rel, base);
		if (base)
			dc_buf_putc(rel, '/');
		dc_buf_put(rel, it->name, it->len);
		if (it->kind == 'd')
			rc = wt_walk(s, rel, scratch, depth + 1);
		else
			rc = add_entry(s, rel->ptr, rel->len, it->kind == 'l', NULL, NULL);
	}
	dc_buf_dispose(&names);
	free(items);
	dc_buf_truncate(rel, base);
	return rc;
}

typedef struct {
	dc_source *s;
	unsigned char *gone;   /* per entry: nonzero when it is no file to list */
	atomic_size_t next;
} stat_job;

#define STAT_CHUNK 256

static void *stat_work(void *arg)
{
	stat_job *j = arg;
	dc_source *s = j->s;
	char dir[4096];
	size_t start, i, dirlen;
	int dfd;

	while ((start = atomic_fetch_add(&j->next, STAT_CHUNK)) < s->n) {
		dfd = s->rootfd;
		dirlen = 0;
		for (i = start; i < start + STAT_CHUNK && i < s->n; i++) {
			dc_entry *e = &s->entries[i];
			const char *slash = strrchr(e->path, '/'), *name = e->path;
			size_t len = slash ? (size_t)(slash - e->path) : 0;
			struct stat st;
			unsigned char kind;

			/* relative to the file's folder, opened once for the files
			 * of a chunk that share it: a path walk of one name */
			if (len && len < sizeof(dir) && (len != dirlen || memcmp(dir, e->path, len))) {
				if (dfd != s->rootfd)
					close(dfd);
				memcpy(dir, e->path, len);
				dir[len] = '\0';
				dirlen = len;
				dfd = openat(s->rootfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (dfd < 0) {
					dfd = s->rootfd;
					dirlen = 0;
				}
			}
			if (len && len == dirlen)
				name = slash + 1;
			/* what lstat says now; a file that went away is not listed */
			if (fstatat(name == e->path ? s->rootfd : dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
			    ((kind = kind_of_mode(st.st_mode)) != 'f' && kind != 'l')) {
				j->gone[i] = 1;
				continue;
			}
			e->symlink = kind == 'l';
			e->has_stat = 1;
			e->size = (uint64_t)st.st_size;
			e->ino = (uint64_t)st.st_ino;
			e->mtime_s = (int64_t)st.st_mtim.tv_sec;
			e->mtime_ns = st.st_mtim.tv_nsec;
		}
		if (dfd != s->rootfd)
			close(dfd);
	}
	return NULL;
}

/* Fills in the lstat data of every listed file, on all cores. */
static int wt_stat(dc_source *s, unsigned char *gone)
{
	stat_job j;

	j.s = s;
	j.gone = gone;
	atomic_init(&j.next, 0);
	dc_parallel(stat_work, &j, 0, dc_threads_for(s->n, 1024));
	return 0;
}

/* What git would commit: tracked files, and untracked ones not ignored.
 * `pos` walks the index alongside the sorted entries; a file it does not
 * meet there is looked up (an index sorted another way only costs time). */
static int wt_wanted(dc_source *s, dc_buf *full, const char *rel, size_t *pos)
{
	const tracked_list *t = &s->tracked;
	size_t count = t->ok ? t->n : git_index_entrycount(s->index);
	const git_index_entry *ie;
	int ignored = 0, c = 1;

	dc_buf_clear(full);
	dc_buf_puts(full, s->prefix);
	dc_buf_puts(full, rel);
	if (t->ok) {
		while (*pos < count && ((c = strcmp(t->paths[*pos], full->ptr)) < 0 || (c == 0 && !t->stage0[*pos])))
			(*pos)++;
	} else {
		while (*pos < count && (ie = git_index_get_byindex(s->index, *pos)) != NULL &&
		       ((c = strcmp(ie->path, full->ptr)) < 0 || (c == 0 && GIT_INDEX_ENTRY_STAGE(ie) != 0)))
			(*pos)++;
	}
	if (c == 0 || index_has(s, full->ptr))
		return 1;
	if (git_ignore_path_is_ignored(&ignored, s->repo, full->ptr) < 0)
		ignored = 0;
	return !ignored;
}

/* Drops what is not to be listed: files gone, ignored or not git's. */
static int wt_filter(dc_source *s, unsigned char *gone)
{
	dc_buf full = DC_BUF_INIT;
	size_t i, o = 0, pos = 0;

	if (s->repo && wt_index(s) < 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		if (gone[i] || (s->repo && !wt_wanted(s, &full, s->entries[i].path, &pos)))
			continue;
		s->entries[o++] = s->entries[i];
	}
	s->n = o;
	dc_buf_dispose(&full);
	return 0;
}

/* After listing: the lstat data, and only what is to be listed. */
static int wt_finish(dc_source *s)
{
	unsigned char *gone = calloc(s->n ? s->n : 1, 1);
	int rc;

	if (!gone)
		return dc_error_oom();
	if ((rc = wt_stat(s, gone)) == 0)
		rc = wt_filter(s, gone);
	free(gone);
	return rc;
}

/* --- index --- */

static int index_scan(dc_source *s, const char *dir)
{
	dc_buf pre = DC_BUF_INIT;
	size_t i, count = git_index_entrycount(s->index), plen;
	int rc = 0;

	dc_buf_puts(&pre, s->prefix);
	dc_buf_puts(&pre, dir);
	plen = pre.len;
	for (i = 0; i < count && rc == 0; i++) {
		const git_index_entry *e = git_index_get_byindex(s->index, i);

		if (!e || GIT_INDEX_ENTRY_STAGE(e) != 0 || strncmp(e->path, pre.ptr, plen))
			continue;
		if (e->mode == GIT_FILEMODE_COMMIT) {
			rc = add_gitlink(s, e->path + strlen(s->prefix), strlen(e->path) - strlen(s->prefix));
			continue;
		}
		rc = add_entry(s, e->path + strlen(s->prefix), strlen(e->path) - strlen(s->prefix),
			       e->mode == GIT_FILEMODE_LINK, &e->id, NULL);
	}
	dc_buf_dispose(&pre);
	return rc;
}

/* --- tree --- */

typedef struct {
	dc_source *s;
	const char *base; /* path of the walked tree relative to the project root */
	int rc;
} tree_walk_ctx;

static int tree_cb(const char *root, const git_tree_entry *e, void *payload)
{
	tree_walk_ctx *c = payload;
	git_filemode_t mode = git_tree_entry_filemode(e);
	dc_buf p = DC_BUF_INIT;

	if (mode == GIT_FILEMODE_TREE)
		return 0;
	dc_buf_puts(&p, c->base);
	dc_buf_puts(&p, root);
	dc_buf_puts(&p, git_tree_entry_name(e));
	if (mode == GIT_FILEMODE_COMMIT)
		c->rc = add_gitlink(c->s, p.ptr, p.len);
	else
		c->rc = add_entry(c->s, p.ptr, p.len, mode == GIT_FILEMODE_LINK, git_tree_entry_id(e), NULL);
	dc_buf_dispose(&p);
	return c->rc < 0 ? -1 : 0;
}

static int tree_scan(dc_source *s, const char *dir)
{
	tree_walk_ctx c = { s, dir, 0 };
	git_tree *sub = NULL;
	dc_buf full = DC_BUF_INIT;
	int rc;

	dc_buf_puts(&full, s->prefix);
	dc_buf_puts(&full, dir);
	if (full.len && full.ptr[full.len - 1] == '/')
		dc_buf_truncate(&full, full.len - 1);
	rc = dc_tree_folder(&sub, s->tree, full.len ? full.ptr : "");
	if (rc < 0)
		rc = dc_error_set_git(_("cannot read tree"));
	else if (rc == 1 && git_tree_walk(sub, GIT_TREEWALK_PRE, tree_cb, &c) < 0)
		rc = c.rc < 0 ? c.rc : dc_error_set_git(_("cannot walk tree"));
	else
		rc = 0;
	git_tree_free(sub);
	dc_buf_dispose(&full);
	return rc;
}

/* The index's gitlinks under `dir`: what git would commit as submodules. */
static int wt_index_gitlinks(dc_source *s, const char *dir)
{
	const tracked_list *t = &s->tracked;
	size_t i, count = t->ok ? t->n : git_index_entrycount(s->index), plen;
	dc_buf pre = DC_BUF_INIT, rel = DC_BUF_INIT;
	int rc = 0;

	dc_buf_puts(&pre, s->prefix);
	dir_prefix(&rel, dir);
	dc_buf_put(&pre, rel.ptr, rel.len);
	dc_buf_dispose(&rel);
	plen = pre.len;
	for (i = 0; i < count && rc == 0; i++) {
		const char *path;

		if (t->ok) {
			if (!t->gitlink[i] || !t->stage0[i])
				continue;
			path = t->paths[i];
		} else {
			const git_index_entry *e = git_index_get_byindex(s->index, i);

			if (!e || e->mode != GIT_FILEMODE_COMMIT || GIT_INDEX_ENTRY_STAGE(e) != 0)
				continue;
			path = e->path;
		}
		if (strncmp(path, pre.ptr, plen))
			continue;
		rc = add_gitlink(s, path + strlen(s->prefix), strlen(path) - strlen(s->prefix));
	}
	dc_buf_dispose(&pre);
	return rc;
}

int dc_source_scan(dc_source *s, const char **dirs, size_t ndirs)
{
	if (s->files)
		return dc_error_set(_("an overlay of a tree is looked up, not listed"));
	dc_buf dir = DC_BUF_INIT, rel = DC_BUF_INIT, scratch = DC_BUF_INIT;
	size_t i, o;
	int rc = 0;

	s->n = 0;
	s->ngitlinks = 0;
	dc_arena_dispose(&s->arena);
	for (i = 0; i < ndirs && rc == 0; i++) {
		dir_prefix(&dir, dirs[i]);
		switch (s->kind) {
		case DC_SOURCE_WORKTREE:
			dc_buf_clear(&rel);
			dc_buf_put(&rel, dir.ptr, dir.len ? dir.len - 1 : 0);
			rc = wt_walk(s, &rel, &scratch, 0);
			break;
		case DC_SOURCE_INDEX:
			rc = index_scan(s, dir.ptr);
			break;
		case DC_SOURCE_TREE:
			rc = tree_scan(s, dir.ptr);
			break;
		}
	}
	dc_buf_dispose(&dir);
	dc_buf_dispose(&rel);
	dc_buf_dispose(&scratch);
	if (rc < 0)
		return rc;
	/* every kind of source lists in git's order; several roots may not be */
	for (i = 1; i < s->n; i++)
		if (strcmp(s->entries[i - 1].path, s->entries[i].path) > 0)
			break;
	if (i < s->n)
		qsort(s->entries, s->n, sizeof(dc_entry), entry_cmp);
	for (i = 1, o = s->n ? 1 : 0; i < s->n; i++)
		if (strcmp(s->entries[i].path, s->entries[o - 1].path))
			s->entries[o++] = s->entries[i];
	s->n = o;
	if (s->kind != DC_SOURCE_WORKTREE)
		return 0;
	if ((rc = wt_finish(s)) == 0 && s->repo)
		for (i = 0; i < ndirs && rc == 0; i++)
			rc = wt_index_gitlinks(s, dirs[i]);
	return rc;
}

size_t dc_source_count(const dc_source *s)
{
	return s->n;
}

const dc_entry *dc_source_entry(const dc_source *s, size_t i)
{
	return i < s->n ? &s->entries[i] : NULL;
}

const dc_entry *dc_source_find(const dc_source *s, const char *path)
{
	dc_entry key;

	if (!s->n)
		return NULL;
	key.path = path;
	return bsearch(&key, s->entries, s->n, sizeof(dc_entry), entry_cmp);
}

static int read_fd(int fd, size_t max, dc_buf *out, int *truncated)
{
	char chunk[65536];
	ssize_t n;

	*truncated = 0;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return dc_error_set(_("read failed: %s"), strerror(errno));
		}
		if (out->len + (size_t)n > max) {
			*truncated = 1;
			return dc_buf_put(out, chunk, max - out->len);
		}
		if (dc_buf_put(out, chunk, (size_t)n) < 0)
			return -1;
	}
	return 0;
}

static int read_blob(dc_source *s, const git_oid *oid, size_t max, dc_buf *out, int *truncated)
{
	git_blob *blob;
	git_object_size_t size;
	int rc;

	if (git_blob_lookup(&blob, s->repo, oid) < 0)
		return dc_error_set_git(_("cannot read blob"));
	size = git_blob_rawsize(blob);
	*truncated = size > max;
	rc = dc_buf_put(out, git_blob_rawcontent(blob), size > max ? max : (size_t)size);
	git_blob_free(blob);
	return rc;
}

static int wt_read(dc_source *s, const char *path, size_t max, dc_buf *out, int *truncated)
{
	int fd, rc;

	/* relative to the open project folder (a shorter path walk), which
	 * is where a path starting with '/' starts too */
	while (*path == '/')
		path++;
	fd = openat(s->rootfd, *path ? path : ".", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		return dc_error_set(_("cannot open '%s': %s"), path, strerror(errno));
	}
	rc = read_fd(fd, max, out, truncated);
	close(fd);
	if (rc < 0)
		return dc_error_wrap(_("cannot read '%s'"), path);
	return 0;
}

int dc_source_read(dc_source *s, const dc_entry *e, size_t max, dc_buf *out, int *truncated)
{
	int rc;

	dc_buf_clear(out);
	if (e->has_oid && s->kind != DC_SOURCE_WORKTREE)
		return read_blob(s, &e->oid, max, out, truncated);
	rc = wt_read(s, e->path, max, out, truncated);
	if (rc == 1)
		return dc_error_set(_("'%s' disappeared while it was read"), e->path);
	return rc;
}

static int git_lookup(dc_source *s, const char *path, git_oid *oid, int *is_file)
{
	dc_buf full = DC_BUF_INIT;
	int rc = 1;

	dc_buf_puts(&full, s->prefix);
	dc_buf_puts(&full, path);
	*is_file = 0;
	if (s->kind == DC_SOURCE_INDEX) {
		const git_index_entry *e = git_index_get_bypath(s->index, full.ptr, 0);

		if (e) {
			git_oid_cpy(oid, &e->id);
			*is_file = e->mode == GIT_FILEMODE_BLOB || e->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
			rc = 0;
		} else {
			size_t pos;

			dc_buf_putc(&full, '/');
			if (git_index_find_prefix(&pos, s->index, full.ptr) == 0)
				rc = 0;
		}
	} else {
		git_tree_entry *te;
		const dc_filechange *f = overlaid(s, full.ptr);

		if (f) {
			if (f->has_new) {
				git_oid_cpy(oid, &f->new_oid);
				*is_file = f->new_mode == GIT_FILEMODE_BLOB || f->new_mode == GIT_FILEMODE_BLOB_EXECUTABLE;
				rc = 0;
			}
		} else if (!full.len) {
			rc = 0;
		} else if (git_tree_entry_bypath(&te, s->tree, full.ptr) == 0) {
			git_oid_cpy(oid, git_tree_entry_id(te));
			*is_file = git_tree_entry_type(te) == GIT_OBJECT_BLOB &&
				   git_tree_entry_filemode(te) != GIT_FILEMODE_LINK;
			git_tree_entry_free(te);
			rc = 0;
		} else if (s->files) {
			dc_buf_putc(&full, '/');
			rc = overlaid_folder(s, full.ptr) ? 0 : 1;
		}
	}
	dc_buf_dispose(&full);
	return rc;
}

int dc_source_read_path(dc_source *s, const char *path, size_t max, dc_buf *out)
{
	int truncated, is_file;
	git_oid oid;
	int rc;

	dc_buf_clear(out);
	if (s->kind == DC_SOURCE_WORKTREE) {
		rc = wt_read(s, path, max, out, &truncated);
	} else {
		rc = git_lookup(s, path, &oid, &is_file);
		if (rc == 0 && !is_file)
			rc = 1;
		if (rc == 0)
			rc = read_blob(s, &oid, max, out, &truncated);
	}
	if (rc == 0 && truncated)
		return dc_error_set(_("'%s' is larger than %zu bytes"), path, max);
	return rc;
}

int dc_source_blob_id(dc_source *s, const char *path, git_oid *out)
{
	int rc, is_file;

	if (s->kind == DC_SOURCE_WORKTREE)
		return 1;
	rc = git_lookup(s, path, out, &is_file);
	return rc == 0 && !is_file ? 1 : rc;
}

int dc_source_exists(dc_source *s, const char *path)
{
	int is_file;
	git_oid oid;

	if (s->kind == DC_SOURCE_WORKTREE) {
		dc_buf full = DC_BUF_INIT, rel = DC_BUF_INIT;
		struct stat st;
		size_t pos;
		int rc, ignored = 0;

		/* what git would commit: never .git, never an ignored file */
		if (!strcmp(path, ".git") || !strncmp(path, ".git/", 5) || strstr(path, "/.git/") ||
		    (strlen(path) >= 5 && !strcmp(path + strlen(path) - 5, "/.git")))
			return 0;
		dc_buf_printf(&full, "%s/%s", s->root, path);
		rc = lstat(full.ptr, &st) == 0;
		dc_buf_dispose(&full);
		if (!rc || !s->repo)
			return rc;
		if (wt_index(s) < 0)
			return rc;
		dc_buf_printf(&rel, "%s%s", s->prefix, path);
		(void)pos;
		if (!index_has(s, rel.ptr)) {
			dc_buf_putc(&rel, '/');
			if (!index_has_prefix(s, rel.ptr) &&
			    git_ignore_path_is_ignored(&ignored, s->repo, rel.ptr) == 0 && ignored)
				rc = 0;
		}
		dc_buf_dispose(&rel);
		return rc;
	}
	return git_lookup(s, path, &oid, &is_file) == 0;
}

int dc_source_lookup(dc_source *s, const char *path, dc_entry *out)
{
	dc_buf full = DC_BUF_INIT;
	int rc = 1;

	memset(out, 0, sizeof(*out));
	if (s->kind == DC_SOURCE_WORKTREE)
		return dc_error_set(_("a working tree is listed, not looked up"));
	if (dc_buf_printf(&full, "%s%s", s->prefix, path) < 0)
		return -1;
	out->path = path;
	out->has_oid = 1;
	if (s->kind == DC_SOURCE_INDEX) {
		const git_index_entry *e = git_index_get_bypath(s->index, full.ptr, 0);

		if (e && (e->mode == GIT_FILEMODE_BLOB || e->mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
			  e->mode == GIT_FILEMODE_LINK)) {
			git_oid_cpy(&out->oid, &e->id);
			out->symlink = e->mode == GIT_FILEMODE_LINK;
			rc = 0;
		}
	} else if (overlaid(s, full.ptr)) {
		const dc_filechange *f = overlaid(s, full.ptr);

		if (f->has_new && f->new_mode != GIT_FILEMODE_COMMIT && f->new_mode != GIT_FILEMODE_TREE) {
			git_oid_cpy(&out->oid, &f->new_oid);
			out->symlink = f->new_mode == GIT_FILEMODE_LINK;
			rc = 0;
		}
	} else {
		git_tree_entry *te = NULL;
		int r = git_tree_entry_bypath(&te, s->tree, full.ptr);

		if (r < 0 && r != GIT_ENOTFOUND)
			rc = dc_error_set_git(_("cannot read a file of the tree"));
		else if (r == 0 && git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
			git_oid_cpy(&out->oid, git_tree_entry_id(te));
			out->symlink = git_tree_entry_filemode(te) == GIT_FILEMODE_LINK;
			rc = 0;
		}
		git_tree_entry_free(te);
	}
	dc_buf_dispose(&full);
	return rc;
}

/* --- what the shape of the tree needs (check_tree.c) --- */

const char *dc_source_prefix(const dc_source *s)
{
	return s->prefix;
}

int dc_source_is_overlay(const dc_source *s)
{
	return s->overlay;
}

size_t dc_source_gitlinks(const dc_source *s, const char *const **out)
{
	*out = (const char *const *)s->gitlinks;
	return s->ngitlinks;
}

/* An overlay: nonzero when the tree's folder `dir` (full path with its
 * slash) keeps some file once the changed files are applied. */
typedef struct {
	const dc_source *s;
	const char *dir;
	size_t kept;
} keep_walk;

static int keep_cb(const char *root, const git_tree_entry *e, void *payload)
{
	keep_walk *k = payload;
	dc_buf p = DC_BUF_INIT;
	const dc_filechange *f;

	if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
		return 0;
	dc_buf_printf(&p, "%s%s%s", k->dir, root, git_tree_entry_name(e));
	f = overlaid(k->s, p.ptr);
	dc_buf_dispose(&p);
	if (!f || f->has_new) {
		k->kept++;
		return 1; /* one is enough */
	}
	return 0;
}

static int overlay_keeps(const dc_source *s, const git_tree_entry *te, const char *dir)
{
	keep_walk k = { s, dir, 0 };
	git_tree *sub = NULL;
	size_t i, n = strlen(dir);
	int deleted = 0;

	for (i = 0; i < s->nfiles; i++) {
		if (strncmp(s->files[i].path, dir, n))
			continue;
		if (s->files[i].has_new)
			return 1;
		deleted = 1;
	}
	if (!deleted)
		return 1;
	if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) < 0)
		return -1;
	git_tree_walk(sub, GIT_TREEWALK_PRE, keep_cb, &k);
	git_tree_free(sub);
	return k.kept > 0;
}

static int kind_of_filemode(unsigned mode)
{
	return mode == GIT_FILEMODE_TREE ? 'd' : mode == GIT_FILEMODE_LINK ? 'l' : mode == GIT_FILEMODE_COMMIT ? 'g' : 'f';
}

/* A working tree: nonzero when the index holds a gitlink at `rel`. */
static int index_gitlink(dc_source *s, const char *rel)
{
	dc_buf full = DC_BUF_INIT;
	size_t i;
	int found = 0;

	if (!s->repo || wt_index(s) < 0)
		return 0;
	dc_buf_printf(&full, "%s%s", s->prefix, rel);
	if (!s->tracked.ok) {
		const git_index_entry *e = git_index_get_bypath(s->index, full.ptr, 0);

		found = e && e->mode == GIT_FILEMODE_COMMIT;
	} else {
		for (i = tracked_find(&s->tracked, full.ptr); i < s->tracked.n && !strcmp(s->tracked.paths[i], full.ptr); i++)
			found |= s->tracked.stage0[i] && s->tracked.gitlink[i];
	}
	dc_buf_dispose(&full);
	return found;
}

static int names_of_tree(dc_source *s, const char *full, dc_name_cb cb, void *payload)
{
	git_tree *t = NULL;
	dc_buf path = DC_BUF_INIT;
	size_t i, n;
	int rc = dc_tree_folder(&t, s->tree, full);

	if (rc <= 0)
		return rc < 0 ? dc_error_set_git(_("cannot read a folder of the tree")) : 0;
	rc = 0;
	n = git_tree_entrycount(t);
	for (i = 0; i < n && rc == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		const dc_filechange *f = NULL;
		git_filemode_t mode = git_tree_entry_filemode(e);

		if (s->files) {
			dc_buf_clear(&path);
			dc_buf_printf(&path, "%s%s%s", full, *full ? "/" : "", name);
			if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
				dc_buf_putc(&path, '/');
				if ((rc = overlay_keeps(s, e, path.ptr)) < 0) {
					rc = dc_error_set_git(_("cannot read a folder of the tree"));
					break;
				}
				if (!rc)
					continue;
			} else if ((f = overlaid(s, path.ptr)) != NULL) {
				if (!f->has_new)
					continue;
				mode = f->new_mode;
			}
		}
		rc = cb(name, strlen(name), kind_of_filemode(mode), payload);
	}
	/* an overlay: names the changed files add */
	for (i = 0; s->files && rc == 0 && i < s->nfiles; i++) {
		const dc_filechange *f = &s->files[i];
		size_t fl = strlen(full);
		const char *rest, *slash;

		if (!f->has_new || f->has_old || (fl && (strncmp(f->path, full, fl) || f->path[fl] != '/')))
			continue;
		rest = f->path + fl + (fl ? 1 : 0);
		slash = strchr(rest, '/');
		rc = cb(rest, slash ? (size_t)(slash - rest) : strlen(rest), slash ? 'd' : kind_of_filemode(f->new_mode),
			payload);
	}
	git_tree_free(t);
	dc_buf_dispose(&path);
	return rc;
}

static int names_of_index(dc_source *s, const char *full, dc_name_cb cb, void *payload)
{
	dc_buf pre = DC_BUF_INIT;
	size_t i, pos = 0, count = git_index_entrycount(s->index), lastlen = 0;
	const char *last = NULL;
	int rc = 0;

	if (*full)
		dc_buf_printf(&pre, "%s/", full);
	if (pre.len && git_index_find_prefix(&pos, s->index, pre.ptr) != 0)
		pos = count;
	for (i = pos; i < count && rc == 0; i++) {
		const git_index_entry *e = git_index_get_byindex(s->index, i);
		const char *rest, *slash;
		size_t len;

		if (!e || strncmp(e->path, pre.ptr, pre.len))
			break;
		if (GIT_INDEX_ENTRY_STAGE(e) != 0)
			continue;
		rest = e->path + pre.len;
		slash = strchr(rest, '/');
		len = slash ? (size_t)(slash - rest) : strlen(rest);
		if (last && len == lastlen && !memcmp(last, rest, len))
			continue;
		last = rest;
		lastlen = len;
		rc = cb(rest, len, slash ? 'd' : kind_of_filemode(e->mode), payload);
	}
	dc_buf_dispose(&pre);
	return rc;
}

static int names_of_worktree(dc_source *s, const char *dir, dc_name_cb cb, void *payload)
{
	dc_buf path = DC_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	fd = openat(s->rootfd, *dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
			continue;
		struct stat st;
		int kind;

		dc_buf_clear(&path);
		dc_buf_printf(&path, "%s%s%s", dir, *dir ? "/" : "", de->d_name);
		if (!dc_source_exists(s, path.ptr)) /* what git would commit */
			continue;
		kind = fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ? 'f' : kind_of_mode(st.st_mode);
		if (kind == 'd') {
			/* another repository, or a gitlink in the index */
			dc_buf_puts(&path, "/.git");
			if (faccessat(s->rootfd, path.ptr, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
				kind = 'g';
			dc_buf_truncate(&path, path.len - 5);
		}
		if (index_gitlink(s, path.ptr))
			kind = 'g';
		rc = cb(de->d_name, strlen(de->d_name), kind ? kind : 'f', payload);
	}
	closedir(d);
	dc_buf_dispose(&path);
	return rc;
}

int dc_source_names(dc_source *s, const char *dir, dc_name_cb cb, void *payload)
{
	dc_buf full = DC_BUF_INIT;
	int rc;

	if (s->kind == DC_SOURCE_WORKTREE)
		return names_of_worktree(s, dir, cb, payload);
	dc_buf_printf(&full, "%s%s", s->prefix, dir);
	while (full.len && full.ptr[full.len - 1] == '/')
		dc_buf_truncate(&full, full.len - 1);
	rc = s->kind == DC_SOURCE_INDEX ? names_of_index(s, full.ptr, cb, payload) : names_of_tree(s, full.ptr, cb, payload);
	dc_buf_dispose(&full);
	return rc;
}
