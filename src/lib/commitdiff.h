/*
 * commitdiff.h - which paths a commit changed relative to one of its
 * parents: the one engine that the server's commit graph (receive_graph.c)
 * and the history's index of touched paths (touched.c) ask.
 *
 * Given pairs (child, parent), it reports for each pair every path whose
 * entry differs, with both sides (mode and id as written in the trees).
 * Few pairs are diffed one by one by treediff.h (a raw tree diff, folders
 * that did not change are not read); more than DC_COMMITDIFF_GIT_PAIRS go to
 * one `git diff-tree --stdin` (rawdiff.h), which rebuilds big folder trees
 * from their delta chains much faster than libgit2 1.5 but costs a process
 * to start. When git cannot serve (not installed, it fails, or says
 * something rawdiff.c does not take), the same pairs are diffed one by one:
 * the caller never sees a partial answer from git.
 */
#ifndef DC_COMMITDIFF_H
#define DC_COMMITDIFF_H

#include <stddef.h>

#include <git2.h>

#include "rawdiff.h"
#include "source.h"
#include "treediff.h"

/*
 * More pairs than this and git is asked for all of them at once. Starting
 * git costs more than it saves for a few pairs: a push of one commit at
 * 100,000 documents takes 90 ms with git, 35 ms without.
 */
#define DC_COMMITDIFF_GIT_PAIRS 16

/*
 * Calls `cb` for each path that pair i (children[i], parents[i]) changed:
 * pair after pair in the order given, within a pair in strcmp order of the
 * paths, each path once (a change of type, such as a file that became a
 * symbolic link, is one record with both sides). The path is valid during
 * the call only. A submodule that moved (a commit entry on both sides) is
 * no change. With `npaths`, only paths at or under one of `paths` (literal,
 * from the repository root, as treediff.h takes them). `*td` is the tree
 * diff session, made on first use (the caller frees it). The callback
 * returns 0, or a negative value that stops the diff and is returned.
 * Returns 0, or -1 with dc_error set.
 */
int dc_commitdiff_pairs(git_repository *repo, dc_treediff_session **td, const git_oid *children,
			const git_oid *parents, size_t n, const char *const *paths, size_t npaths,
			dc_rawdiff_pair_cb cb, void *payload);

#endif
