/*
 * check.h - the rules of reference §4 and §5 over the documents of one source.
 *
 * Checking runs in two phases. The document phase looks at one file at a
 * time (bytes, front-matter, schema, fields, body, links) and keeps a small
 * summary of it (dc_docinfo). The repository phase looks at the summaries
 * together (id uniqueness, references, obsolete targets). Both append
 * findings and return 0; only operational failures return -1.
 */
#ifndef DC_CHECK_H
#define DC_CHECK_H

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "diag.h"
#include "document.h"
#include "fields.h"
#include "project.h"
#include "strmap.h"

/* A string value with the place it came from. */
typedef struct {
	const char *text;
	dc_mark mark;
} dc_sref;

/* A relative link, resolved to a path in the tree (which may not exist). */
typedef struct {
	const char *target;      /* the path it points at */
	const char *dest;        /* the destination as written */
	dc_mark mark;
	int image;
} dc_linkref;

/* What the repository phase, the register and the hooks need of a document. */
typedef struct {
	const char *path;
	int parsed;              /* the front-matter was a mapping */
	/* id, type, status, title, ...: a string for each row of fields.def with info 1 */
#define FIELD(m, name, group, kind, req, info, version) DC_FIELD_IF_##info(const char *m;)
#include "fields.def"
#undef FIELD
	dc_mark id_mark;
	dc_sref superseded_by;   /* text NULL when absent */
	dc_sref *refs;           /* `references` */
	size_t nrefs;
	dc_linkref *links;       /* relative links inside the repository */
	size_t nlinks;
	dc_mark approved_on_mark, reviewed_on_mark;
} dc_docinfo;

/* A file mapped into memory (munmap'ed by dc_docset_dispose()). */
typedef struct {
	void *ptr;
	size_t len;
} dc_mapping;

typedef struct {
	dc_arena arena;          /* owns the summaries' strings */
	dc_arena *workers;       /* the same, one per worker thread */
	size_t nworkers, workers_cap;
	dc_docinfo *docs;        /* sorted by path */
	size_t n, cap;
	dc_strmap by_path;       /* path -> index, once dc_docset_index() ran */
	dc_mapping *blocks;      /* memory the summaries point into (cache data) */
	size_t nblocks, blocks_cap;
	/* When the set holds only some documents of a tree (dc_check_partial()):
	 * the others, as a snapshot of the base tree whose entries at the
	 * `hidden` paths do not count (the set has their new versions). */
	const struct dc_snapshot *rest;
	dc_strmap hidden;
} dc_docset;

typedef struct {
	dc_date today;           /* "today" for review.overdue (reference §4.1) */
	const char **only;       /* report only findings about these paths; NULL: all */
	size_t nonly;
	const dc_strmap *only_files; /* the same, when `only` names files only: faster */
	const dc_strmap *related;    /* besides: documents whose id and reference
	                                rules run again (they involve `only`'s) */
	int skip_repository;         /* dc_check_all(): the document phase only */
	/* superseded_by names a document that has been approved (reference
	 * §4.1): one that is not approved or obsolete in the tree still counts
	 * when an earlier version of it was approved in the history of
	 * `history_tip` (the commit of the tree, or HEAD for the working tree
	 * and the index), in `history_repo` with the project at
	 * `history_prefix`. NULL: only the tree counts. */
	git_repository *history_repo;
	const git_oid *history_tip;
	const char *history_prefix;
	int skip_shape;              /* dc_check_all(): not the shape of the tree
	                                (check_tree.h), which the caller judges */
	int protected_ref;           /* the tree is a protected ref's: file.unclaimed
	                                is an error, not a warning (reference §9.3) */
} dc_check_opts;

void dc_docset_init(dc_docset *set);
/* Nonzero when findings about `path` are wanted (o->only). */
int dc_check_wanted(const dc_check_opts *o, const char *path);
void dc_docset_dispose(dc_docset *set);
/* Indexes the summaries by path for dc_docset_by_path(); call again after
 * adding documents. Returns 0 or -1. */
int dc_docset_index(dc_docset *set);
/* The summary of the document at `path`, or NULL. */
const dc_docinfo *dc_docset_by_path(const dc_docset *set, const char *path);

/*
 * Runs the document rules that depend only on the file, its path and the
 * policy, and fills `info` (strings in `keep`): the part a cache may keep.
 * Returns 0, or -1 on failure.
 */
int dc_check_document(dc_docinfo *info, dc_arena *keep, const dc_project *p,
		      const dc_doc *doc, const dc_check_opts *o, dc_diags *diags);

/*
 * Runs the repository rules over summaries sorted by path: on the wanted
 * documents all of them (ids, references, links that point at nothing or at
 * an obsolete document, and the rules of the date: review.overdue), on the
 * `related` ones those about ids, references and links. With set->rest, the documents of the snapshot (except the
 * hidden paths) count as part of the tree.
 */
int dc_check_repository(const dc_project *p, const dc_docset *set,
			const dc_check_opts *o, dc_diags *diags);

/*
 * Checks every controlled file of the project's source: scans the roots,
 * reads, parses and checks each file (on all cores), then the repository
 * rules. The summaries are left in `set`, sorted by path. (check_all.c)
 */
int dc_check_all(const dc_project *p, const dc_check_opts *o, dc_docset *set, dc_diags *diags);

/*
 * Checks a tree (the project's source: the index or a commit) of which a
 * snapshot describes a base: only the documents at the paths that differ
 * (`changed`: added, modified or deleted since the snapshot's tree), with
 * the repository rules looking up every other document in the snapshot.
 * The documents of the snapshot that cite one of `keys` (an id or a path:
 * what changed in a way that may change their findings, see
 * dc_docset_citing()) are read too and their id, reference and link rules
 * run again (a protected ref, reference §6.2 item 4). `o->only` must name the
 * changed files whose findings are wanted. The summaries are left in
 * `set`, and the snapshot must outlive it. (partial.c)
 */
int dc_check_partial(const dc_project *p, const dc_check_opts *o, const struct dc_snapshot *snap,
		     const char *const *changed, size_t nchanged, const char *const *keys, size_t nkeys,
		     dc_docset *set, dc_diags *diags);

/*
 * Puts into `out` the paths of the documents of `set` that cite one of
 * `keys` (by reference or superseded_by for an id, by a link for a path),
 * other than those `o` wants: the related documents of a whole-tree check,
 * as dc_check_partial() finds them in a snapshot. Returns 0 or -1.
 */
int dc_docset_citing(const dc_docset *set, const dc_check_opts *o, const char *const *keys, size_t nkeys,
		     dc_strmap *out);

/* A heading text for a section pattern: its first alternative without
 * anchors or escapes ("^目的|Purpose" gives "目的"). */
void dc_section_title(dc_buf *out, const char *pattern);

/*
 * `path` relative to the folder `dir` ("" for the root; an absolute `path`
 * starts at the root), with "." and ".." resolved lexically, into `out`.
 * Returns 0, or -1 when it leaves the root.
 */
int dc_path_normalize(dc_buf *out, const char *dir, const char *path);

/*
 * Resolves a link destination found in the document at `doc_path` (reference §4.4).
 * Returns 0 when the link is not checked (it has a scheme, or is only a
 * fragment), 1 with the tree path in `out`, 2 when it leaves the repository.
 */
int dc_link_resolve(dc_buf *out, const char *doc_path, const char *dest);

/*
 * The scheme of a link destination ("javascript" of "javascript:x"): its
 * length, 0 when the destination has none. dc_link_scheme_safe() is nonzero
 * for a destination publish may keep as it is: no scheme, or http, https or
 * mailto (reference §4.4, link.scheme).
 */
int dc_link_scheme_safe(const char *dest);

#endif
