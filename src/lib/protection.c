/*
 * protection.c - is the branch the repository is on under control (see
 * protection.h)?
 */
#include "array.h"
#include "protection.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "i18n.h"

int dc_head_branch(git_repository *repo, char **out)
{
	git_reference *head = NULL;
	const char *target;
	int rc = 1;

	*out = NULL;
	if (git_reference_lookup(&head, repo, "HEAD") < 0)
		return 1;
	target = git_reference_symbolic_target(head);
	if (target && !strncmp(target, "refs/heads/", 11)) {
		rc = (*out = strdup(target)) ? 0 : dc_error_oom();
	}
	git_reference_free(head);
	return rc;
}

/* 1 when some ref of the repository matches `protected`, 0 when none, -1. */
static int any_protected_ref(git_repository *repo, const dc_policy *p)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int rc, found = 0;

	if (git_reference_iterator_new(&it, repo) < 0)
		return dc_error_set_git(_("cannot list the refs"));
	while (!found && (rc = git_reference_next_name(&name, it)) == 0)
		found = dc_policy_protects(p, name);
	git_reference_iterator_free(it);
	return found;
}

int dc_check_protection(git_repository *repo, const dc_policy *p, const char *policy_file, dc_diags *diags)
{
	char *branch = NULL;
	int rc;

	if (!repo || git_repository_is_bare(repo))
		return 0;
	if ((rc = dc_head_branch(repo, &branch)) != 0)
		return rc < 0 ? -1 : 0;
	if (!dc_policy_protects(p, branch) && (rc = any_protected_ref(repo, p)) == 0)
		rc = dc_diags_add(diags, policy_file, p->protected_mark.line ? p->protected_mark.line : 1,
				  p->protected_mark.line ? p->protected_mark.col : 1, DC_R_POLICY_UNPROTECTED_BRANCH, NULL,
				  _("this repository is on %s, which `protected` does not cover, and no branch it covers exists: "
				  "documents committed here are not controlled; add %s to protected in %s, "
				  "or rename the branch: git branch -m %s main"),
				  branch, branch, policy_file, branch + 11);
	free(branch);
	return rc < 0 ? -1 : 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first local ref matching the protected pattern (a glob), or NULL. */
static char *first_match(git_repository *repo, const char *pattern)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	char **names = NULL, *best = NULL;
	size_t n = 0, cap = 0, i;

	if (!strpbrk(pattern, "*?[")) {
		git_object *obj = NULL;

		if (git_revparse_single(&obj, repo, pattern) == 0 && git_object_type(obj) != GIT_OBJECT_BLOB)
			best = strdup(pattern);
		git_object_free(obj);
		return best;
	}
	if (git_reference_iterator_new(&it, repo) < 0)
		return NULL;
	while (git_reference_next(&ref, it) == 0) {
		const char *name = git_reference_name(ref);

		if (!fnmatch(pattern, name, 0)) {
			if (DC_ARRAY_GROW(names, cap, n + 1) < 0) {
				git_reference_free(ref);
				break;
			}
			names[n++] = strdup(name);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (n) {
		qsort(names, n, sizeof(char *), str_cmp);
		best = names[0];
		for (i = 1; i < n; i++)
			free(names[i]);
	}
	free(names);
	return best;
}

int dc_protected_branch(char **out, git_repository *repo, const dc_policy *p)
{
	size_t i;

	*out = NULL;
	for (i = 0; i < p->nprotected && !*out; i++)
		*out = first_match(repo, p->protected_refs[i]);
	return 0;
}
