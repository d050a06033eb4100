/*
 * receive_ref.c - the evaluation of one pushed ref (rcv_ref, receive_int.h):
 * made and disposed of, its summary hints, and the commits it brings: those
 * new to the ref (reference §6.1 item 3) and the range walk of those another
 * protected ref held first (rcv_range_extra). receive.c decides, receive_ids.c
 * and receive_auth.c judge parts of the ref; all of them use this file, and
 * it uses none of them.
 */
#include "array.h"
#include "i18n.h"
#include "receive_int.h"
#include "revwalk.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* --- the ref's evaluation --- */

static const char *const default_pusher_env[] = { "GL_USER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER" };

int rcv_pusher(rcv_ref *x, const dc_policy *p)
{
	const char *const *names = p ? (const char *const *)p->pusher_env : default_pusher_env;
	size_t n = p ? p->npusher_env : sizeof(default_pusher_env) / sizeof(*default_pusher_env), i;

	for (i = 0; i < n && !x->pusher; i++)
		x->pusher = rcv_env(x->r, names[i]);
	if (x->pusher && !x->res->pusher && !(x->res->pusher = dc_arena_strdup(&x->res->arena, x->pusher)))
		return dc_error_oom();
	return 0;
}

void rcv_ref_init(rcv_ref *x, dc_receive *r, const char *pushed, const char *ref, const git_oid *old,
		  const git_oid *new_oid, int audit, dc_receive_result *res, dc_diags *diags)
{
	memset(x, 0, sizeof(*x));
	x->r = r;
	x->pushed = pushed;
	x->ref = ref;
	x->audit = audit;
	x->has_old = old && !git_oid_is_zero(old);
	x->has_new = new_oid && !git_oid_is_zero(new_oid);
	if (x->has_old)
		git_oid_cpy(&x->old, old);
	if (x->has_new)
		git_oid_cpy(&x->new_oid, new_oid);
	rcv_policy_init(&x->old_pol);
	rcv_policy_init(&x->new_pol);
	dc_buf_init(&x->signers);
	dc_buf_init(&x->hints);
	dc_delta_init(&x->delta);
	x->diags = diags;
	x->res = res;
	x->first_diag = diags->n;
}

static void graphs_dispose(rcv_ref *x)
{
	rcv_graph_free(x->graph);
	rcv_graph_free(x->graph_extra);
	x->graph = x->graph_extra = NULL;
}

void rcv_ref_dispose(rcv_ref *x)
{
	git_commit_free(x->old_commit);
	git_commit_free(x->new_commit);
	git_tree_free(x->new_tree);
	rcv_policy_dispose(&x->old_pol);
	rcv_policy_dispose(&x->new_pol);
	dc_buf_dispose(&x->signers);
	dc_buf_dispose(&x->hints);
	dc_delta_dispose(&x->delta);
	free(x->commits);
	free(x->extra);
	rcv_sigs_dispose(x);
	graphs_dispose(x);
}

/* --- hints for the summary line --- */

int rcv_hint(rcv_ref *x, const char *fmt, ...)
{
	dc_buf one = DC_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dc_buf_vprintf(&one, fmt, ap);
	va_end(ap);
	if (rc == 0 && !strstr(x->hints.ptr, one.ptr))
		rc = dc_buf_printf(&x->hints, "%s%s", x->hints.len ? "; " : "", one.ptr);
	dc_buf_dispose(&one);
	return rc;
}

/* --- commits new to the ref (reference §6.1 item 3) --- */

static int hide_protected(rcv_ref *x, git_revwalk *walk)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int rc;

	if (git_reference_iterator_new(&it, x->r->repo) < 0)
		return dc_error_set_git(_("cannot list the refs"));
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);
		git_commit *c = NULL;
		git_object_t type;
		git_oid oid;

		/* the refs the trusted policy protects, the same for every ref of
		 * the push; a symbolic ref is a name for one of them */
		if (git_reference_type(ref) != GIT_REFERENCE_DIRECT || !strcmp(name, x->ref) ||
		    !rcv_trust_protects(x->r, name)) {
			git_reference_free(ref);
			continue;
		}
		rc = rcv_ref_before(x->r, name, &oid);
		git_reference_free(ref);
		if (rc < 0)
			break;
		if (rc == 0)
			continue;
		if ((rc = rcv_peel_commit(&c, x->r->repo, &oid, &type)) < 0)
			break;
		if (c && git_revwalk_hide(walk, git_commit_id(c)) < 0)
			rc = dc_error_set_git(_("cannot walk the history"));
		git_commit_free(c);
		if (rc < 0)
			break;
	}
	git_reference_iterator_free(it);
	if (rc == GIT_ITEROVER)
		return 0;
	return rc < 0 ? (rc == -1 ? -1 : dc_error_set_git(_("cannot list the refs"))) : 0;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* Appends every commit the walk yields to *ids (growing it), except those
 * in `skip` (sorted, `nskip` ids). Returns 0, or -1 with dc_error set. */
static int walk_collect(git_revwalk *walk, git_oid **ids, size_t *n, const git_oid *skip, size_t nskip)
{
	size_t cap = *n;
	git_oid oid;
	int rc;

	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		if (nskip && bsearch(&oid, skip, nskip, sizeof(*skip), oid_cmp))
			continue;
		if (DC_ARRAY_GROW(*ids, cap, *n + 1) < 0)
			return -1;
		git_oid_cpy(&(*ids)[(*n)++], &oid);
	}
	return rc == GIT_ITEROVER ? 0 : dc_error_set_git(_("cannot walk the history"));
}

int rcv_new_commits(rcv_ref *x)
{
	git_revwalk *walk = NULL;
	int rc = -1;

	if (dc_revwalk_from(&walk, x->r->repo, git_commit_id(x->new_commit),
			    x->old_commit ? git_commit_id(x->old_commit) : NULL) < 0) {
		dc_error_set_git(_("cannot walk the history"));
		goto cleanup;
	}
	if (hide_protected(x, walk) < 0)
		goto cleanup;
	rc = walk_collect(walk, &x->commits, &x->ncommits, NULL, 0);
cleanup:
	git_revwalk_free(walk);
	return rc;
}

int rcv_range_extra(rcv_ref *x)
{
	git_revwalk *walk = NULL;
	git_oid *known = NULL;
	int rc = -1;

	if (x->extra_done)
		return 0;
	x->extra_done = 1;
	if (!x->old_commit && !x->r->trust_ref)
		return 0;
	if (x->ncommits && !(known = malloc(x->ncommits * sizeof(*known))))
		return dc_error_oom();
	if (known) {
		memcpy(known, x->commits, x->ncommits * sizeof(*known));
		qsort(known, x->ncommits, sizeof(*known), oid_cmp);
	}
	if (dc_revwalk_from(&walk, x->r->repo, git_commit_id(x->new_commit),
			    git_commit_id(x->old_commit ? x->old_commit : x->r->trust.commit)) < 0) {
		dc_error_set_git(_("cannot walk the history"));
		goto cleanup;
	}
	rc = walk_collect(walk, &x->extra, &x->nextra, known, known ? x->ncommits : 0);
cleanup:
	free(known);
	git_revwalk_free(walk);
	return rc;
}
