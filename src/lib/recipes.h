/*
 * recipes.h - what approve, obsolete, review and revise do to a document
 * (reference §7), as data: whether the document's state allows it, and the
 * front-matter fields to set or remove; and the four-eyes rule of approve.
 * The CLI finds the document, checks who the user is, applies the edits
 * (dc_recipe_apply) and prints.
 */
#ifndef DC_RECIPES_H
#define DC_RECIPES_H

#include <stddef.h>

#include <git2.h>

#include "buf.h"
#include "check.h"
#include "policy.h"
#include "revision.h"

/* Whether the recipe may be applied, and if not, why. */
typedef enum {
	DC_RECIPE_OK = 0,
	DC_RECIPE_IS_OBSOLETE,     /* obsolete is final */
	DC_RECIPE_NOT_APPROVED,    /* review and obsolete need an approved document */
	DC_RECIPE_BAD_REVISION,    /* revise: the revision is missing or not of the scheme */
	DC_RECIPE_NOT_YET_APPROVED /* revise: already the next revision, not approved yet */
} dc_recipe_verdict;

/* One front-matter edit: set `field` to `value`, or remove it (value NULL). */
typedef struct {
	const char *field;
	const char *value;
} dc_field_edit;

#define DC_RECIPE_EDITS_MAX 16

/* A recipe's outcome. `edits` may point into the struct: do not copy it. */
typedef struct {
	dc_recipe_verdict verdict;
	dc_field_edit edits[DC_RECIPE_EDITS_MAX];
	size_t nedits;
	int change_only;       /* revise --change of a draft: only `change` is said again */
	char revision[32];     /* revise: the new revision */
	char effective[11];    /* approve: the date it takes effect */
} dc_recipe;

/* approve by person `who` on `today` (YYYY-MM-DD): status approved, the
 * approval, and effective (a later effective date the author set stays). */
void dc_recipe_approve(dc_recipe *out, const dc_docinfo *d, const char *who, const char *today);
/* A periodic review that changed nothing: reviewed_by, reviewed_on. */
void dc_recipe_review(dc_recipe *out, const dc_docinfo *d, const char *who, const char *today);
/* Withdraws it: status obsolete, who and when, and superseded_by when given. */
void dc_recipe_obsolete(dc_recipe *out, const dc_docinfo *d, const char *who, const char *today,
			const char *superseded_by);
/* The next revision (major: the next major one) as a draft, with `change`
 * (NULL: none yet); no approval, check or review of the previous one
 * carries over. A draft given a change only says it again (change_only). */
void dc_recipe_revise(dc_recipe *out, const dc_docinfo *d, dc_scheme scheme, const char *change, int major);

/* The four-eyes rule of approve: *out 1 when person `me` changed the
 * content of the document at `path` (under the project root `prefix`) since
 * its last approval, by commit author or email. Returns 0 or -1. */
int dc_recipe_authored(int *out, git_repository *repo, const char *prefix, const char *path, const dc_policy *p,
		       const dc_person *me);

/* Applies the edits to a document's text (`path` for the errors): 0 or -1. */
int dc_recipe_apply(dc_buf *text, const char *path, const dc_recipe *r);

/* The approved documents other than records that cite `d` (by reference or
 * link): they fail ref.obsolete once it is withdrawn. *out holds *n
 * pointers into `set` (caller frees). Returns 0 or -1. */
int dc_recipe_citing(const dc_docinfo ***out, size_t *n, const dc_docset *set, const dc_docinfo *d);

#endif
