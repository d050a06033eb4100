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
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "error.h"
#include "strmap.h"

struct dc_source {
	dc_source_kind kind;
	git_repository *repo;   /* borrowed */
	git_index *index;       /* borrowed (index) or owned (worktree lookups) */
	int own_index;
	git_tree *tree;         /* owned copy */
	char *root;             /* worktree: the project folder on disk */
	char *prefix;           /* "" or "sub/dir/" (with the slash) */
	dc_arena arena;         /* entry paths */
	dc_entry *entries;
	size_t n, cap;
	const dc_filechange *files; /* an overlay: these files differ from `tree` */
	dc_strmap changed;          /* their paths (from the repository root) */
};

static int source_new(dc_source **out, dc_source_kind kind, git_repository *repo, const char *prefix)
{
	dc_source *s = calloc(1, sizeof(*s));
	size_t plen = prefix ? strlen(prefix) : 0;

	if (!s)
		return dc_error_set("out of memory");
	s->kind = kind;
	s->repo = repo;
	dc_arena_init(&s->arena);
	s->prefix = malloc(plen + 2);
	if (!s->prefix) {
		free(s);
		return dc_error_set("out of memory");
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
		return dc_error_set("cannot open '%s': %s", root, strerror(errno));
	if (repo && (wd = git_repository_workdir(repo)) != NULL) {
		size_t wl = strlen(wd);

		if (wl && wd[wl - 1] == '/')
			wl--;
		if (strncmp(real, wd, wl) || (real[wl] && real[wl] != '/')) {
			free(real);
			return dc_error_set("'%s' is not inside the repository's working tree", root);
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
	if (s->repo) {
		if (git_repository_index(&s->index, s->repo) < 0) {
			dc_source_free(s);
			return dc_error_set_git("cannot read the index");
		}
		s->own_index = 1;
	}
	*out = s;
	return 0;
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
		return dc_error_set_git("cannot copy tree");
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
	if (s->own_index)
		git_index_free(s->index);
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

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		dc_entry *p = realloc(s->entries, cap * sizeof(*p));

		if (!p)
			return dc_error_set("out of memory");
		s->entries = p;
		s->cap = cap;
	}
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

/* --- working tree --- */

static int wt_wanted(dc_source *s, dc_buf *full, const char *rel)
{
	int ignored = 0;
	size_t mark = full->len;

	if (!s->repo)
		return 1;
	dc_buf_puts(full, s->prefix);
	dc_buf_puts(full, rel);
	if (git_index_get_bypath(s->index, full->ptr + mark, 0)) {
		dc_buf_truncate(full, mark);
		return 1;
	}
	if (git_ignore_path_is_ignored(&ignored, s->repo, full->ptr + mark) < 0)
		ignored = 0;
	dc_buf_truncate(full, mark);
	return !ignored;
}

/* One name of a folder, with what lstat said. */
typedef struct {
	char *name;
	struct stat st;
	int dir;
} wt_item;

/* git's order: a folder sorts as its name followed by '/', so listing each
 * folder in this order yields every path in bytewise order. */
static int wt_item_cmp(const void *pa, const void *pb)
{
	const wt_item *a = pa, *b = pb;
	const unsigned char *x = (const unsigned char *)a->name, *y = (const unsigned char *)b->name;

	while (*x && *x == *y)
		x++, y++;
	return (int)(*x ? *x : a->dir ? '/' : 0) - (int)(*y ? *y : b->dir ? '/' : 0);
}

static int wt_walk(dc_source *s, dc_buf *rel, dc_buf *scratch, unsigned depth)
{
	dc_buf path = DC_BUF_INIT;
	wt_item *items = NULL;
	size_t n = 0, cap = 0, i, base = rel->len;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (depth > 64)
		return 0;
	dc_buf_printf(&path, "%s/%s", s->root, rel->ptr);
	d = opendir(path.ptr);
	dc_buf_dispose(&path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : dc_error_set("cannot read folder '%s': %s", rel->ptr, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		wt_item *it;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || !strcmp(de->d_name, ".git"))
			continue;
		if (n == cap) {
			wt_item *grown = realloc(items, (cap = cap ? cap * 2 : 64) * sizeof(*grown));

			if (!grown) {
				rc = dc_error_set("out of memory");
				break;
			}
			items = grown;
		}
		it = &items[n];
		/* relative to the open folder: no path walk from the root per file */
		if (fstatat(dirfd(d), de->d_name, &it->st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!(it->name = strdup(de->d_name))) {
			rc = dc_error_set("out of memory");
			break;
		}
		it->dir = S_ISDIR(it->st.st_mode);
		n++;
	}
	closedir(d);
	if (rc == 0 && n > 1)
		qsort(items, n, sizeof(*items), wt_item_cmp);
	for (i = 0; i < n && rc == 0; i++) {
		const wt_item *it = &items[i];

		dc_buf_truncate(rel, base);
		if (base)
			dc_buf_putc(rel, '/');
		dc_buf_puts(rel, it->name);
		if (it->dir)
			rc = wt_walk(s, rel, scratch, depth + 1);
		else if ((S_ISREG(it->st.st_mode) || S_ISLNK(it->st.st_mode)) && wt_wanted(s, scratch, rel->ptr))
			rc = add_entry(s, rel->ptr, rel->len, S_ISLNK(it->st.st_mode), NULL, &it->st);
	}
	for (i = 0; i < n; i++)
		free(items[i].name);
	free(items);
	dc_buf_truncate(rel, base);
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
		if (e->mode == GIT_FILEMODE_COMMIT)
			continue;
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

	if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT)
		return 0;
	dc_buf_puts(&p, c->base);
	dc_buf_puts(&p, root);
	dc_buf_puts(&p, git_tree_entry_name(e));
	c->rc = add_entry(c->s, p.ptr, p.len, mode == GIT_FILEMODE_LINK, git_tree_entry_id(e), NULL);
	dc_buf_dispose(&p);
	return c->rc < 0 ? -1 : 0;
}

static int tree_scan(dc_source *s, const char *dir)
{
	tree_walk_ctx c = { s, dir, 0 };
	git_tree_entry *te = NULL;
	git_tree *sub = NULL;
	dc_buf full = DC_BUF_INIT;
	int rc = 0;

	dc_buf_puts(&full, s->prefix);
	dc_buf_puts(&full, dir);
	if (full.len && full.ptr[full.len - 1] == '/')
		dc_buf_truncate(&full, full.len - 1);
	if (!full.len) {
		sub = s->tree;
	} else {
		rc = git_tree_entry_bypath(&te, s->tree, full.ptr);
		if (rc == GIT_ENOTFOUND) {
			rc = 0;
			goto cleanup;
		}
		if (rc < 0) {
			rc = dc_error_set_git("cannot read tree");
			goto cleanup;
		}
		if (git_tree_entry_type(te) != GIT_OBJECT_TREE)
			goto cleanup;
		if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) < 0) {
			rc = dc_error_set_git("cannot read tree");
			goto cleanup;
		}
	}
	if (git_tree_walk(sub, GIT_TREEWALK_PRE, tree_cb, &c) < 0)
		rc = c.rc < 0 ? c.rc : dc_error_set_git("cannot walk tree");
cleanup:
	if (sub != s->tree)
		git_tree_free(sub);
	git_tree_entry_free(te);
	dc_buf_dispose(&full);
	return rc;
}

int dc_source_scan(dc_source *s, const char **dirs, size_t ndirs)
{
	if (s->files)
		return dc_error_set("an overlay of a tree is looked up, not listed");
	dc_buf dir = DC_BUF_INIT, rel = DC_BUF_INIT, scratch = DC_BUF_INIT;
	size_t i, o;
	int rc = 0;

	s->n = 0;
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
	return 0;
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
			return dc_error_set("read failed: %s", strerror(errno));
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
		return dc_error_set_git("cannot read blob");
	size = git_blob_rawsize(blob);
	*truncated = size > max;
	rc = dc_buf_put(out, git_blob_rawcontent(blob), size > max ? max : (size_t)size);
	git_blob_free(blob);
	return rc;
}

static int wt_read(dc_source *s, const char *path, size_t max, dc_buf *out, int *truncated)
{
	dc_buf full = DC_BUF_INIT;
	int fd, rc;

	dc_buf_printf(&full, "%s/%s", s->root, path);
	fd = open(full.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	dc_buf_dispose(&full);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		return dc_error_set("cannot open '%s': %s", path, strerror(errno));
	}
	rc = read_fd(fd, max, out, truncated);
	close(fd);
	if (rc < 0)
		return dc_error_set("cannot read '%s': %s", path, dc_error_last());
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
		return dc_error_set("'%s' disappeared while it was read", e->path);
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
			*is_file = e->mode != GIT_FILEMODE_LINK;
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
				*is_file = f->new_mode != GIT_FILEMODE_LINK;
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
		return dc_error_set("'%s' is larger than %zu bytes", path, max);
	return rc;
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
		dc_buf_printf(&rel, "%s%s", s->prefix, path);
		if (!git_index_get_bypath(s->index, rel.ptr, 0)) {
			dc_buf_putc(&rel, '/');
			if (git_index_find_prefix(&pos, s->index, rel.ptr) != 0 &&
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
		return dc_error_set("a working tree is listed, not looked up");
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
			rc = dc_error_set_git("cannot read a file of the tree");
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
