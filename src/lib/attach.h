/*
 * attach.h - attachments under approval (reference §9.3): the files a
 * document lists in `files`, relative to its folder. Their bytes are part
 * of the document's content; they are compared by git blob id and never
 * read or parsed.
 */
#ifndef DC_ATTACH_H
#define DC_ATTACH_H

#include <git2.h>

#include "arena.h"
#include "buf.h"
#include "check.h"
#include "delta.h"
#include "diag.h"
#include "document.h"
#include "policy.h"
#include "project.h"
#include "source.h"

/* The string entries of `files` joined by '\n' into *out (allocated in
 * `keep`), or NULL when the document lists none. Returns 0 or -1. */
int dc_files_join(const char **out, dc_arena *keep, const dc_doc *doc);

/*
 * The path of one entry of `files` of the document at `doc_path` (both
 * relative to the project root) into out: the entry is relative to the
 * document's folder, has no "." or ".." component, is not absolute, stays
 * under one of the roots and is not a controlled .md file. Returns 0, 1
 * with a reason for people in *why (a static string) when the entry is
 * not such a path, -1 when memory runs out.
 */
int dc_file_path(dc_buf *out, const dc_policy *p, const char *doc_path, const char *entry, const char **why);

/*
 * The rules of reference §9.3 over a whole tree whose files under the roots
 * p->src has just listed, with `set` the documents' summaries:
 *   files.invalid   an entry of files that is not a path under the roots
 *                   (absolute, "..", a controlled .md), or listed twice
 *   link.broken     a listed file that is not in the tree
 *   file.too-large  a listed file over its type's max_file_size
 *   file.unclaimed  a file under the roots that no document lists, or that
 *                   more than one lists (a warning; an error when
 *                   o->protected_ref)
 * Files are not read: the sizes come from the listing or the object
 * database. Returns 0, or -1 on failure.
 */
int dc_check_attachments(const dc_project *p, const dc_docset *set, const dc_check_opts *o, dc_diags *diags);

/*
 * Attachments in a change (reference §9.3): for each file of d->other_paths
 * (changed, not controlled) under the roots, the documents that list it in
 * OLD (`old_tree`, NULL: none) and in NEW (`new_src`) are looked for in its
 * folder and the folders above it. Each such document becomes a change
 * whose content changed (files_changed, added to `d` when its .md did not
 * change); a file NEW still lists but deleted is doc.deleted, and a file
 * that NEW holds but is not claimed (dc_attach_claim(): the links are those
 * of NEW's documents) is file.unclaimed (an error when `protected_ref`).
 * Only the folders of the changed files are read; a file no document lists
 * is looked for in the links of the change's documents, then of the others
 * through the snapshot of `old_tree` (snapshot.h) when `proj` (the project
 * of `pol`, whose delta `d` is) is given and one can be had, else of every
 * document of NEW. `old_pol`:
 * the policy in force when the change moves the roots (its files already
 * under the new roots are judged too), else NULL. Returns 0, or -1.
 */
int dc_attach_delta(dc_delta *d, git_repository *repo, const dc_policy *pol, const dc_policy *old_pol,
		    git_tree *old_tree, dc_source *new_src, const dc_project *proj, int protected_ref, dc_diags *diags);

/*
 * Claimed (reference §9.3), the one verdict of check, pre-commit and the
 * server: a file under the roots is claimed when exactly one document lists
 * it in files, or none does and a controlled document of the same tree
 * links to it (`linked`). Otherwise a file.unclaimed finding of severity
 * `sev` (`by`: the first of the `nlisted` listers). Returns 0 or -1.
 */
int dc_attach_claim(dc_diags *diags, dc_severity sev, const char *path, size_t nlisted, const char *by, int linked);

/* Calls cb with each file inside the repository that the text of `doc`
 * links to (images included), resolved as `check` resolves them
 * (dc_link_resolve); a non-zero return stops and is returned (-1 on
 * failure). */
typedef int (*dc_link_cb)(const char *target, void *payload);
int dc_attach_links(dc_doc *doc, dc_link_cb cb, void *payload);

/* Nonzero when the listed files of `doc` have the same blobs in the trees
 * `a` and `b` (commits' trees, project at `prefix`); -1 on failure. */
int dc_files_same_in(git_repository *repo, const dc_doc *doc, const git_tree *a, const git_tree *b, const char *prefix);

/* A finding of `rule` with severity `sev` (file.unclaimed is an error or
 * a warning by where it is found): 0 or -1. */
int dc_attach_diag(dc_diags *diags, dc_severity sev, const char *file, dc_rule_id rule, const char *id, const char *fmt,
		   const char *a, const char *b, const char *c);
/* Nonzero for git's own files (.gitattributes, .gitignore, .gitkeep):
 * never attachments. */
int dc_attach_git_file(const char *path);

/* Calls cb for each valid entry of d->files (as written) with its path
 * relative to the project root; a non-zero return stops and is returned. */
typedef int (*dc_file_cb)(const char *entry, const char *path, void *payload);
int dc_docinfo_files(const dc_docinfo *d, const dc_policy *p, dc_file_cb cb, void *payload);

/* The blob id and size of the file at `path` (relative to the project root
 * `prefix`) in `tree`: 0, 1 when there is none, -1 on failure. */
int dc_file_blob(git_repository *repo, const git_tree *tree, const char *prefix, const char *path, git_oid *oid,
		 unsigned long long *size);

#endif
