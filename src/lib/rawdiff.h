/*
 * rawdiff.h - what git's plumbing says differs: the output of `git
 * diff-index --raw -z` and `git diff-tree --stdin --raw -z`, as
 * dc_filechange records (source.h). git reads its own index and packs far
 * faster than libgit2 1.5 (it keeps delta bases of any size), so the hooks
 * ask it where that decides the time.
 */
#ifndef DC_RAWDIFF_H
#define DC_RAWDIFF_H

#include <stddef.h>

#include <git2.h>

#include "arena.h"
#include "source.h"

/* Called for each header (diff-tree: the first object id of an input line)
 * and each record; a nonzero return stops the parse and is returned. */
typedef struct {
	int (*header)(const char *line, void *payload);
	int (*record)(const dc_filechange *f, void *payload);
	void *payload;
} dc_rawdiff_cb;

/*
 * Parses `len` bytes of `git ... --raw -z` output; record paths are kept
 * in `arena`. Returns 0, 1 for a record this parser does not take (an
 * unmerged entry, a rename or copy), 2 when the output is not understood,
 * or the callback's nonzero value.
 */
int dc_rawdiff_parse(const char *buf, size_t len, dc_arena *arena, const dc_rawdiff_cb *cb);

/*
 * Runs git (`argv`, argv[0] "git") in `dir` with stdin from the file
 * `input` and parses what it prints. Returns as dc_rawdiff_parse(), or 3
 * when git cannot be run or fails (its message in dc_error), -1 on a
 * failure of ours.
 */
int dc_rawdiff_run(const char *dir, const char *const argv[], const char *input, dc_arena *arena,
		   const dc_rawdiff_cb *cb);

/* Called for each file that pair number `pair` changed. */
typedef int (*dc_rawdiff_pair_cb)(size_t pair, const dc_filechange *f, void *payload);

/*
 * What each pair (children[i], parents[i]) of commits changed, from one
 * `git diff-tree --stdin -r --raw -z --no-renames --ignore-submodules=all`
 * over the repository `repo`. Each diff's
 * header is checked against its pair, so a file is never credited to the
 * wrong commit. Returns 0; 1 when git cannot serve (not installed, it
 * failed, or said something this parser does not take: dc_error says
 * why, and the callback may have been called for some pairs: the caller
 * starts again without git); -1 on a failure of ours; or the callback's
 * negative value.
 */
int dc_rawdiff_pairs(git_repository *repo, const git_oid *children, const git_oid *parents, size_t n,
		     dc_arena *arena, dc_rawdiff_pair_cb cb, void *payload);

#endif
