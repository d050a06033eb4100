/*
 * touched.h - which controlled paths each commit changed relative to each
 * of its parents, with the blob on each side: the index the history walks
 * follow documents with, instead of reading, in every commit, the folder
 * trees that other documents change (a folder of 20,000 documents is a
 * 1.2 MB tree object, rebuilt from its delta chain at each read).
 *
 * A pair (commit, parent) is computed once by commitdiff.h (`git diff-tree
 * --stdin` for many pairs at once, else one raw tree diff each), limited to
 * the policy's roots, and kept in the git directory
 * (docctl-cache/touched), so that the next history reads it instead. The
 * file holds one record per pair, each with its own checksum: a record that
 * fails it, and every record after it, is ignored and computed again. The
 * file is valid for one project prefix and one list of roots; it is replaced
 * atomically, and DOCCTL_CACHE=0 neither reads nor writes it. Commits never
 * change, so a pair once computed is right for ever.
 */
#ifndef DC_TOUCHED_H
#define DC_TOUCHED_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "policy.h"

/* One path a commit changed relative to one parent, and the blob at that
 * path on each side (has_old/has_new 0: no file there, or not a blob). */
typedef struct {
	const char *path;
	git_oid old_id, new_id;  /* the parent's, the child's */
	unsigned char has_old, has_new;
} dc_touch;

/* The paths one commit changed relative to one parent, in git's order. */
typedef struct {
	git_oid child, parent;
	dc_touch *ents;
	size_t n, cap;
} dc_touch_pair;

typedef struct dc_touched dc_touched;

/*
 * Opens the index of `repo` for the project at `prefix` (its folder in the
 * repository, "" at the root) under the roots of `policy`: the pairs saved
 * earlier are loaded when caching is on. With `repo` NULL, an index that
 * only dc_touched_parse() fills. Returns 0, or -1 with dc_error set.
 */
int dc_touched_open(dc_touched **out, git_repository *repo, const char *prefix, const dc_policy *policy);

/* Adds the pairs of up to `count` records of a saved index (the bytes after
 * its header: per record a u32 length, a u64 checksum, the body), up to the
 * first that is short, malformed or fails its checksum, or that repeats a
 * pair. Returns how many pairs it added. (dc_touched_open() uses it; the
 * fuzz target too.) */
size_t dc_touched_parse(dc_touched *t, const void *records, size_t len, uint64_t count);

/* Nonzero when the index follows `path` (from the repository root): it is
 * at or under one of the roots. */
int dc_touched_covers(const dc_touched *t, const char *path);

/* The pair (child, its parent number k), computed when it is not known yet.
 * Returns 0 with *out set, or -1 with dc_error set. */
int dc_touched_get(dc_touched *t, const git_commit *child, unsigned k, const dc_touch_pair **out);

/* The pair (child, parent) when it is known, else NULL. */
const dc_touch_pair *dc_touched_find(const dc_touched *t, const git_oid *child, const git_oid *parent);

/* Computes the pairs (children[i], parents[i]) not known yet, listed
 * newest first (as a walk from a tip meets them): all at once by git when
 * there are more than DC_COMMITDIFF_GIT_PAIRS and it can serve, else one by
 * one (commitdiff.h). */
int dc_touched_need(dc_touched *t, const git_oid *children, const git_oid *parents, size_t n);

/* The same for every pair of the commits reachable from `tip`. */
int dc_touched_all(dc_touched *t, const git_oid *tip);

/* How many pairs dc_touched_get() computes one by one, after
 * dc_touched_follow(), before it computes all of the tip's at once. */
#define DC_TOUCHED_BULK 64

/* Says that the walks to come go down the history of `tip`: once they
 * need more than DC_TOUCHED_BULK pairs not known, dc_touched_get() calls
 * dc_touched_all() for `tip` (a first history, or many new commits). */
void dc_touched_follow(dc_touched *t, const git_oid *tip);

/* Saves the index when it learnt a pair since it was opened. A failure is
 * returned (-1, dc_error set) but harmless: the next walk computes again. */
int dc_touched_save(dc_touched *t);

void dc_touched_free(dc_touched *t);

#endif
