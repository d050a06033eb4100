/*
 * check_tree.h - the shape of the tree under the roots (reference §6.1 item
 * 3b): a tree that holds only regular files and folders there, whose paths
 * stay apart on a case-insensitive or normalising file system, and whose
 * checkout gives the approved bytes.
 *
 *   file.submodule        a gitlink (submodule entry) under the roots
 *   file.symlink          a symbolic link under the roots, to a file or a
 *                         folder, of any name (a controlled *.md one is
 *                         reported by the document rules)
 *   path.collision        two names in one folder under the roots (or a
 *                         root's name and its neighbour's) that differ only
 *                         in letter case or Unicode normalisation
 *   attributes.transform  a .gitattributes that sets filter,
 *                         working-tree-encoding, eol, text, ident or
 *                         export-subst for a file under the roots
 *
 * "Sets" means what git's own attribute lookup (libgit2's, so macros such
 * as `binary` are expanded and later lines override earlier ones) gives for
 * the path: the attribute set (`text`) or given a value (`text=auto`,
 * `eol=lf`, `filter=lfs`). Unset (`-text`, and so `binary`) and unspecified
 * (`!text`, or not named) are harmless. What does not exist yet counts too
 * (reference §5): a .gitattributes inside a root is judged by its own
 * lines (each that sets one, directly or through a macro, is a finding at
 * its line and column), and one above the roots is asked about files that
 * may be added to each root (ROOT/x.md, ROOT/a/x.md), even an empty one.
 *
 * The same findings come from a whole tree (check, pre-commit's whole
 * index) and from what changed (pre-receive, pre-commit's quick way), so
 * that every place gives the same verdict for the same tree (reference
 * §6.9); the second costs what changed, not the size of the repository.
 */
#ifndef DC_CHECK_TREE_H
#define DC_CHECK_TREE_H

#include <git2.h>

#include "buf.h"
#include "check.h"
#include "diag.h"
#include "project.h"
#include "source.h"

/*
 * The key under which two names are one on a case-insensitive, normalising
 * file system: NFC, then Unicode case folding (utf8proc). A name that is not
 * valid UTF-8 is its own key. Replaces `out`'s content. Returns 0 or -1.
 */
int dc_shape_fold(dc_buf *out, const char *name, size_t len);

/*
 * The sieve in front of git's attribute lookup (for tests): nonzero when the
 * .gitattributes `text` may give a file named `base` (in its folder or
 * below) one of the transforming attributes; 0 when it certainly cannot;
 * -1 when memory runs out. It must never say 0 where git would say set.
 */
int dc_shape_attrs_may_reach(const char *text, size_t len, const char *base);

/*
 * The rules over the whole tree of p->src, whose roots were just listed by
 * dc_source_scan() (dc_check_all() calls this). Findings about paths that
 * `o` does not want are dropped. Returns 0 or -1.
 */
int dc_shape_check_listed(const dc_project *p, const dc_check_opts *o, dc_diags *diags);

/* The same after listing the roots of p->src itself (an index or a tree;
 * not an overlay). Returns 0 or -1. */
int dc_shape_check_source(const dc_project *p, const dc_check_opts *o, dc_diags *diags);

/*
 * The rules over what changed: `files` (paths from the repository root)
 * lead from a tree that passed to p->src (a commit's tree or an overlay).
 * Returns 0, 1 when a changed .gitattributes needs the whole tree and
 * p->src cannot be listed (an overlay: check the whole index instead), or
 * -1 on failure.
 */
int dc_shape_check_changes(const dc_project *p, const dc_filechange *files, size_t nfiles, dc_diags *diags);

/*
 * The same for a push: what differs between the trees `old_tree` (NULL:
 * none) and `new_tree`, the tree of p->src (a commit's tree). Returns 0 or
 * -1.
 */
int dc_shape_check_push(const dc_project *p, const git_oid *old_tree, const git_oid *new_tree, dc_diags *diags);

#endif
