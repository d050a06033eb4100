/*
 * delta.h - what changed in the controlled documents between an old tree
 * and a new state (the index for pre-commit, a tree for pre-receive).
 *
 * Only the paths git reports as different are read, so the cost grows with
 * the change, not with the repository. Documents are matched by id, not by
 * path (reference §6.2 item 6): a file deleted at one path and added at another
 * with the same id is one change (a rename); git's rename detection is not
 * used.
 */
#ifndef DC_DELTA_H
#define DC_DELTA_H

#include <git2.h>

#include "document.h"
#include "policy.h"
#include "source.h"
#include "strlist.h"

typedef enum {
	DC_CHANGE_ADDED,
	DC_CHANGE_DELETED,
	DC_CHANGE_MODIFIED
} dc_change_kind;

typedef struct {
	dc_change_kind kind;
	const char *id;           /* the new id, else the old one; NULL if neither parses */
	int has_old, has_new;
	dc_doc old_doc, new_doc;  /* parsed versions (root NULL when unparseable) */
	git_oid old_oid, new_oid; /* blob ids */
	int renamed;              /* paths differ */
	int content_changed;      /* reference §4.2 */
	int approval_changed;     /* status, approved_by, approved_on, effective */
	int review_changed;       /* reviewed_by, reviewed_on */
	int retire_changed;       /* obsoleted_by, obsoleted_on, superseded_by */
	int files_changed;        /* a listed file's bytes changed (reference §9.3, attach.h) */
} dc_change;

typedef struct {
	dc_change *items;
	size_t n, cap;
	dc_strlist other;         /* changed files outside the roots (policy, schemas...) */
} dc_delta;

void dc_delta_init(dc_delta *d);
void dc_delta_dispose(dc_delta *d);

/*
 * Computes the changes from `old_tree` (NULL: nothing before) to `new_index`
 * or `new_tree` (exactly one is non-NULL). `prefix` is the project root in
 * the repository ("" normally). Returns 0, or -1 on failure.
 */
int dc_delta_compute(dc_delta *out, git_repository *repo, const dc_policy *policy, const char *prefix,
		     git_tree *old_tree, git_index *new_index, git_tree *new_tree);

/* The same as dc_delta_compute(), from the files that differ (each path
 * once), however they were found. Returns 0 or -1. */
int dc_delta_from_files(dc_delta *out, git_repository *repo, const dc_policy *policy, const char *prefix,
			const dc_filechange *files, size_t nfiles);

/* Nonzero when a field of the group differs (group: the field names). */
int dc_fields_differ(const dc_doc *a, const dc_doc *b, const char *const *fields, size_t n);

#endif
