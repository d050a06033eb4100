/*
 * source.h - where documents are read from, behind one interface.
 *
 * Three kinds of source hold the same thing, a tree of files:
 *   - the working tree: what git would commit (tracked files and untracked
 *     ones that are not ignored), read from disk without following symbolic
 *     links; a folder outside any git repository is read as it is;
 *   - the git index (the staging area, as named by GIT_INDEX_FILE);
 *   - the tree of a commit.
 * Paths are relative to the project root (the folder holding docctl.yaml),
 * which may be a sub-folder of the repository (`prefix`).
 *
 * dc_source_scan() lists the files under some folders (the policy's roots);
 * reads and existence tests work for any path.
 */
#ifndef DC_SOURCE_H
#define DC_SOURCE_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum {
	DC_SOURCE_WORKTREE,
	DC_SOURCE_INDEX,
	DC_SOURCE_TREE
} dc_source_kind;

typedef struct {
	const char *path;  /* relative to the project root, '/'-separated */
	int symlink;       /* a symbolic link: reported, never followed */
	int has_oid;       /* index and tree entries: the blob id is known */
	git_oid oid;
	int has_stat;      /* working tree entries: what lstat() said */
	uint64_t size, ino;
	int64_t mtime_s;
	long mtime_ns;
} dc_entry;

typedef struct dc_source dc_source;

/* One file that differs between two states, as git reports it. */
typedef struct {
	const char *path;         /* relative to the repository root */
	int has_old, has_new;     /* not added, not deleted */
	git_oid old_oid, new_oid;
	git_filemode_t old_mode, new_mode;
} dc_filechange;

/* `root` is the project folder on disk; `repo` the repository holding it, or
 * NULL for a folder outside git. */
int dc_source_open_worktree(dc_source **out, git_repository *repo, const char *root);
/* `prefix` is the project root inside the repository ("" or "sub/dir"). */
int dc_source_open_index(dc_source **out, git_repository *repo, git_index *index, const char *prefix);
int dc_source_open_tree(dc_source **out, git_repository *repo, const git_tree *tree, const char *prefix);
/*
 * A tree with some files changed, added or deleted (`files`, which must
 * outlive the source): the staged state as HEAD's tree and git's list of
 * what the index changes. It is looked up and read like a tree, but cannot
 * be listed (dc_source_scan() fails).
 */
int dc_source_open_overlay(dc_source **out, git_repository *repo, const git_tree *tree, const char *prefix,
			   const dc_filechange *files, size_t nfiles);
void dc_source_free(dc_source *s);

dc_source_kind dc_source_kind_of(const dc_source *s);
git_repository *dc_source_repo(const dc_source *s);

/* Lists the files under each of `dirs` ("" or "." for all), sorted by path.
 * Replaces any earlier listing. */
int dc_source_scan(dc_source *s, const char **dirs, size_t ndirs);
size_t dc_source_count(const dc_source *s);
const dc_entry *dc_source_entry(const dc_source *s, size_t i);
/* The listed entry for `path`, or NULL. */
const dc_entry *dc_source_find(const dc_source *s, const char *path);

/*
 * Reads at most `max` bytes of an entry into `out` (replacing its content);
 * *truncated says whether the file is longer. Returns 0, or -1 with dc_error.
 */
int dc_source_read(dc_source *s, const dc_entry *e, size_t max, dc_buf *out, int *truncated);
/* Reads a whole file by path. Returns 0, 1 when there is no such file, -1 on failure. */
int dc_source_read_path(dc_source *s, const char *path, size_t max, dc_buf *out);
/*
 * The entry for one file of an index or tree source, without listing the
 * rest (`path` is borrowed: it must outlive the entry). Returns 0, 1 when
 * there is no file there, -1 on failure (a working tree source: use
 * dc_source_scan()).
 */
int dc_source_lookup(dc_source *s, const char *path, dc_entry *out);
/* The blob id of the file dc_source_read_path() would read at `path`, for
 * an index or tree source. Returns 0, 1 when there is none (a working
 * tree, no such file), -1 on failure. */
int dc_source_blob_id(dc_source *s, const char *path, git_oid *out);
/* Nonzero when `path` names a file or a folder in the source. */
int dc_source_exists(dc_source *s, const char *path);

/* --- for the shape of the tree under the roots (check_tree.h) --- */

/* "" or "sub/dir/": the project root in the repository. */
const char *dc_source_prefix(const dc_source *s);
/* Nonzero for an overlay (dc_source_open_overlay()). */
int dc_source_is_overlay(const dc_source *s);
/* The gitlinks (submodule entries) the last dc_source_scan() met, which
 * the listing leaves out: in a working tree, the index's and every folder
 * that holds another repository. */
size_t dc_source_gitlinks(const dc_source *s, const char *const **out);

/* Called for each name in a folder (`name` is not NUL-terminated) with what
 * it is: 'f' a file, 'd' a folder, 'l' a symbolic link, 'g' a gitlink (in a
 * working tree also a folder holding another repository); a non-zero
 * return stops the listing and is returned. */
typedef int (*dc_name_cb)(const char *name, size_t len, int kind, void *payload);
/* The names (files, folders, links, gitlinks) in the folder `dir` ("" for
 * the project root) as the source holds them; a working tree gives what
 * git would commit. A folder that does not exist has no names. Returns 0,
 * -1 on failure, or the callback's value. An index may name a folder more
 * than once (not next to each other). */
int dc_source_names(dc_source *s, const char *dir, dc_name_cb cb, void *payload);

#endif
