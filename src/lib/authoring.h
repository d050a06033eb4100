/*
 * authoring.h - what the editing commands (new, approve, obsolete, review,
 * revise) need to know before they change a file: where a document is, the
 * next free id of a type, who the current user is, and who changed a
 * document's content since it was last approved (the four-eyes rule).
 */
#ifndef DC_AUTHORING_H
#define DC_AUTHORING_H

#include <git2.h>

#include "buf.h"
#include "check.h"
#include "policy.h"
#include "strlist.h"

/* The summary of the document with `id` in `set`, or NULL. When several
 * files hold the id, the first is returned and *dups is set. */
const dc_docinfo *dc_docset_by_id(const dc_docset *set, const char *id, int *dups);

/*
 * The next free id of type `t`, whose pattern must end in a run of digits
 * ("SP-[0-9]{3}", "WI-[A-Z]{2}-[0-9]{2}"): the text before the number is
 * `want_prefix` when given, else the pattern's own when it is plain text,
 * else the one that the type's ids in `set` share; the number is the lowest
 * above every id with that text in `set` and in the trees of every local
 * branch (refs/heads/...) of `repo` (may be NULL), as wide as the pattern
 * says. Returns 0 with *out (caller frees), or -1 with dc_error saying what
 * to give instead (--prefix, --id).
 */
int dc_next_id(char **out, git_repository *repo, const char *prefix, const dc_policy *p,
	       const dc_type *t, const dc_docset *set, const char *want_prefix);

/* The folder where `docctl new` puts documents of type `t`: its `folder`,
 * else the folder most documents of the type are in, else ROOT/TYPE. */
int dc_type_folder(dc_buf *out, const dc_policy *p, const dc_type *t, const dc_docset *set);

/* An ASCII file-name slug of a title ("" when it has no ASCII letters). */
void dc_slug(dc_buf *out, const char *title);

/*
 * The emails of the authors of every commit in HEAD's history that changed
 * the content (reference §4.2) of the document at `path` (relative to the
 * project root `prefix`) since its last approved version; commits before an
 * approved version are not looked at. Returns 0 or -1.
 */
int dc_content_authors(dc_strlist *out, git_repository *repo, const char *prefix, const char *path);

/* Where the user's approval of a document stands against HEAD. */
typedef enum {
	DC_APPROVAL_UNCOMMITTED, /* the working tree's file differs from HEAD's */
	DC_APPROVAL_AMENDABLE,   /* HEAD is the user's unsigned commit that set it,
	                            on no remote-tracking branch yet */
	DC_APPROVAL_COMMITTED    /* committed earlier, or already shared */
} dc_approval_state;

/*
 * For `approve --sign` after a plain `approve`: whether the file at `path`
 * (relative to the project root, `prefix` in the repository) can still be
 * committed, or HEAD amended, with a signature by the user `email`.
 * Returns 0 with *out, or -1 with dc_error set.
 */
int dc_approval_state_of(git_repository *repo, const char *prefix, const char *path, const char *email,
			 dc_approval_state *out);

#endif
