/*
 * snapshot.h - the controlled documents of one tree, in brief, kept in the
 * git directory so that a hook or a reading command needs neither list nor
 * read the whole tree (the performance issue).
 *
 * A snapshot holds, for every controlled file of one tree, its path, blob
 * id, id, status and superseded_by, with two indexes: by id, and by what
 * the documents cite (a reference or superseded_by names an id, a relative
 * link a path). That is all the repository rules (ids, references, links)
 * need of the documents that did not change. It is valid for one tree, one
 * project prefix and one policy/schema fingerprint; a hook whose base tree
 * differs from the snapshot's diffs the two trees and checks the
 * difference with the snapshot hiding those paths, and rewrites the
 * snapshot once the difference grows (dc_check_partial(), partial.c).
 *
 * The file (docctl-cache/snapshot) is mapped, checked with a checksum and
 * bounds-checked before use, and replaced atomically: a missing, stale or
 * corrupt snapshot is ignored, never trusted.
 */
#ifndef DC_SNAPSHOT_H
#define DC_SNAPSHOT_H

#include <git2.h>
#include <stddef.h>

#include "check.h"
#include "delta.h"
#include "strlist.h"
#include "strmap.h"

typedef struct dc_snapshot dc_snapshot;

/* One document of the snapshot (strings point into the mapped file). */
typedef struct {
	const char *path;
	const char *id, *status, *superseded_by;   /* NULL when absent */
	git_oid blob;
} dc_snapdoc;

/*
 * Loads the snapshot of `repo` (its git directory) when it is valid for
 * this fingerprint and project prefix, whatever tree it describes; *out is
 * NULL when there is none to use. Returns 0, or -1 when memory runs out.
 */
int dc_snapshot_load(dc_snapshot **out, git_repository *repo, unsigned long long fingerprint, const char *prefix);
void dc_snapshot_free(dc_snapshot *s);
/* The same from the bytes of a snapshot file (`data`, which must outlive
 * it): *out is NULL when they are not a sound snapshot for this fingerprint
 * and prefix. Returns 0, or -1 when memory runs out. (The fuzz target.) */
int dc_snapshot_parse(dc_snapshot **out, const void *data, size_t len, unsigned long long fingerprint,
		      const char *prefix);

/* The tree it describes. */
const git_oid *dc_snapshot_tree(const dc_snapshot *s);
size_t dc_snapshot_count(const dc_snapshot *s);
/* The i-th document in path order. */
void dc_snapshot_doc(const dc_snapshot *s, size_t i, dc_snapdoc *out);
/* The index of the document at `path`: 1 when there is one, else 0. */
int dc_snapshot_find(const dc_snapshot *s, const char *path, size_t *at);
/* The documents with this id: the index of the first in the by-id order
 * and how many (dc_snapshot_with_id_at() gives each). */
size_t dc_snapshot_with_id(const dc_snapshot *s, const char *id, size_t *first);
size_t dc_snapshot_with_id_at(const dc_snapshot *s, size_t k);
/* The documents that cite `target` (an id or a path), the same way. */
size_t dc_snapshot_citing(const dc_snapshot *s, const char *target, size_t *first);
size_t dc_snapshot_citing_at(const dc_snapshot *s, size_t k);

/*
 * Writes the snapshot of `tree`: the documents of `old` (may be NULL)
 * except those at the paths in `hidden` (may be NULL), and the summaries
 * of `set` (sorted by path, none of them at a path `old` still shows),
 * with `blobs` the blob id of each of set's documents. Replaces the file
 * atomically. Returns 0 or -1; callers may ignore a failure (a snapshot
 * that cannot be written is only slower).
 */
int dc_snapshot_save(git_repository *repo, unsigned long long fingerprint, const char *prefix,
		     const git_oid *tree, const dc_snapshot *old, const dc_strmap *hidden,
		     const dc_docset *set, const git_oid *blobs);

/*
 * What a check of the changes of a delta wants: findings about the changed
 * documents only (o->only and o->only_files name their new paths), and
 * `paths`, every path they had or have, for dc_check_partial() (which
 * dc_snapshot_for() adds the snapshot's own lag to). Returns 0 or -1;
 * dispose it in any case, after the check.
 */
typedef struct {
	const char **only;
	dc_strmap files;
	dc_strlist paths;
} dc_changes;

int dc_changes_init(dc_changes *w, const dc_delta *d, dc_check_opts *o);

/*
 * What a change alters that other documents may cite (reference §6.2 item
 * 4, §6.9): when its id, path or status changes (a deletion, a rename,
 * obsoleting it, withdrawing its approval, a new document), the ids and
 * paths it had and has go into `keys`; nothing for an edit that keeps them,
 * however large. The documents citing them are checked again, by the
 * server and by pre-commit alike. Returns 0 or -1.
 */
int dc_change_cited_keys(const dc_change *c, dc_strlist *keys);
void dc_changes_dispose(dc_changes *w);

/* How many paths a snapshot may lag behind the tree it serves before it is
 * rewritten for that tree. */
#define DC_SNAPSHOT_DRIFT 32

/*
 * The snapshot for checking a state whose base is the tree `base` (HEAD's,
 * or OLD's) with the project `p` (its policy and fingerprint; its source
 * is the state checked). Loads the saved snapshot; builds one from the
 * whole of `base` when there is none (the first time only: it is saved);
 * rewrites it for `base` when its tree is more than DC_SNAPSHOT_DRIFT
 * controlled paths away. Adds to `changed` the controlled paths that still
 * differ between the snapshot's tree and `base`. *out is NULL when no
 * snapshot can be had (caching off, or it cannot be saved): then check
 * the whole tree. Returns 0 or -1. (partial.c)
 */
int dc_snapshot_for(dc_snapshot **out, dc_strlist *changed, const dc_project *p, git_tree *base,
		    const char *prefix);

#endif
