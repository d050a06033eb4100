/*
 * receive.c - the server's decision about each pushed ref (see receive.h):
 * the policy in force, whether the ref is protected, the commits new to it,
 * the documents that changed, the check of NEW and the transitions. The
 * repository and its quarantine are in receive_repo.c; the ref's evaluation,
 * its hints and the commits it brings in receive_ref.c; who vouches for a
 * change and how they are authenticated in receive_auth.c; one id, one
 * document in receive_ids.c; the audit trail in audit.c.
 */
#include "receive_int.h"

#include <stdlib.h>
#include <string.h>

#include "check_tree.h"
#include "attach.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "snapshot.h"
#include "stale.h"
#include "transition.h"

#define SIGNERS_MAX ((size_t)1024 * 1024)

static void short_id(char out[8], const git_oid *id)
{
	git_oid_tostr(out, 8, id);
}

/* --- findings and hints --- */

#define ADD(x, file, line, col, rule, id, ...) dc_diags_add((x)->diags, file, line, col, rule, id, __VA_ARGS__)

/* Copies findings into this ref's list (so they carry the ref). The
 * non-protected refs hold drafts: a successor named in superseded_by may
 * still be a draft there, so ref.not-approved is left out for them. */
static int take_findings(rcv_ref *x, const dc_diags *from, int drafts_allowed)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		const dc_diag *g = &from->items[i];

		if (drafts_allowed && g->rule == &dc_rules[DC_R_REF_NOT_APPROVED])
			continue;
		if (dc_diags_add(x->diags, g->file, g->line, g->col, dc_rule_id_of(g->rule), g->id, "%s", g->message) < 0)
			return -1;
	}
	return 0;
}

/* A summary for the findings that gave none: how to fix the first of them. */
static int derive_hint(rcv_ref *x)
{
	size_t i;

	for (i = x->first_diag; i < x->diags->n && !x->hints.len; i++) {
		const dc_diag *g = &x->diags->items[i];
		dc_rule_id rule = dc_rule_id_of(g->rule);
		const char *id = g->id ? g->id : g->file;

		if (g->severity != DC_SEV_ERROR)
			continue;
		if (rule == DC_R_REVISION_NOT_BUMPED || rule == DC_R_REVISION_REGRESSED)
			return rcv_hint(x, _("start a new revision of %s (docctl revise %s), get it approved and push again"), id, id);
		if (rule == DC_R_RECORD_IMMUTABLE || rule == DC_R_RECORD_RETENTION)
			return rcv_hint(x, _("restore record %s as it was filed"), id);
		if (rule == DC_R_DOC_DELETED)
			return rcv_hint(x, _("restore %s and withdraw it instead: docctl obsolete %s --sign"), id, id);
		if (rule == DC_R_STATUS_TRANSITION)
			return rcv_hint(x, _("restore %s as it was (obsolete is final) and write a new document instead"), id);
		if (rule == DC_R_ID_CHANGED)
			return rcv_hint(x, _("give %s its id back; a new id is a new document (docctl new)"), g->file);
		if (rule == DC_R_APPROVAL_STALE)
			return rcv_hint(x, _("start a new revision of %s without the old approval (docctl revise %s) and ask an approver to approve it: docctl approve %s --sign"),
					id, id, id);
		if (rule == DC_R_REF_OBSOLETE)
			return rcv_hint(x, _("make %s cite the document that replaces the withdrawn one (its superseded_by), in the same push"), id);
	}
	return 0;
}

static size_t errors_since(const rcv_ref *x)
{
	size_t i, n = 0;

	for (i = x->first_diag; i < x->diags->n; i++)
		if (x->diags->items[i].severity == DC_SEV_ERROR)
			n++;
	return n;
}

/* --- which refs are protected --- */

static const dc_policy *trusted_policy(const rcv_ref *x)
{
	return x->trusted && x->trusted->proj ? x->trusted->proj->policy : NULL;
}

/* A ref is protected when the policy at docctl.trustedRef says so (on
 * trust on first use, the pushed one: reference §6.1 item 2) of it or of a
 * symbolic ref that names it (reference §6.1 item 3a), or, for the
 * ref itself, when its OLD policy does (a branch that predates a change of
 * `protected` stays covered). A branch pushed by anyone is never asked. */
static int protects(const rcv_ref *x, const char *name)
{
	if (rcv_trust_protects(x->r, name))
		return 1;
	return !strcmp(name, x->ref) && x->trusted == &x->old_pol && x->old_pol.proj &&
	       dc_policy_protects(x->old_pol.proj->policy, name);
}

/* Refuses the ref because no policy is in force (receive_trust.c says why). */
static int no_trust(rcv_ref *x)
{
	dc_receive *r = x->r;

	if (rcv_hint(x, "%s", r->trust_state == RCV_TRUST_NONE && !r->empty
			 ? _("ask the server's administrator to say where the trusted policy lives (docctl init --hooks --trusted-ref REF on the server)")
			 : _("push the protected branch with its policy first")) < 0)
		return -1;
	return ADD(x, "", 0, 0, DC_R_INTERNAL_ERROR, NULL, _("%s (fail closed)"), r->trust_why.ptr) < 0 ? -1 : 1;
}

/* The policy in force: OLD's, else the trusted ref's (reference §6.1
 * item 2); on trust on first use, none (x->tofu: the pushed one). Returns
 * 0, 1 when the ref was refused for want of one, -1. */
static int choose_trusted(rcv_ref *x)
{
	dc_receive *r = x->r;
	git_object_t type;
	int rc;

	if (r->trust_state == RCV_TRUST_NONE)
		return no_trust(x);
	if (r->trust_state == RCV_TRUST_REF && !r->trust.proj) {
		/* the policy that says what is protected does not load */
		x->trusted = &r->trust;
		return 0;
	}
	if (x->has_old) {
		rc = rcv_peel_commit(&x->old_commit, r->repo, &x->old, &type);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (rcv_policy_load(&x->old_pol, r->repo, x->old_commit) < 0)
				return -1;
			if (!x->old_pol.absent) {
				x->trusted = &x->old_pol;
				return 0;
			}
		}
	}
	if (r->trust_state == RCV_TRUST_REF) {
		x->trusted = &r->trust;
		return 0;
	}
	x->tofu = 1;
	return 0;
}

static int report_broken_trusted(rcv_ref *x)
{
	const rcv_policy *t = x->trusted;
	const char *where = t == &x->old_pol ? x->ref : x->r->trust_ref;
	dc_buf why = DC_BUF_INIT;
	char at[8];
	int rc;

	short_id(at, git_commit_id(t->commit));
	if (t->broken.n) {
		const dc_diag *g = &t->broken.items[0];

		dc_buf_printf(&why, ": %s", g->file);
		if (g->line)
			dc_buf_printf(&why, ":%u:%u", g->line, g->col);
		dc_buf_printf(&why, ": %s", g->message);
	}
	rc = rcv_hint(x, _("ask an administrator to repair docctl.yaml on %s"), where);
	if (rc == 0)
		rc = ADD(x, "", 0, 0, DC_R_INTERNAL_ERROR, NULL,
			 _("the policy in force (docctl.yaml of %s at %s) does not load%s; docctl refuses every push to this ref until it is repaired (fail closed)"),
			 where, at, why.ptr);
	dc_buf_dispose(&why);
	return rc;
}

static int pusher(rcv_ref *x)
{
	const dc_policy *p = trusted_policy(x);

	if (!p && x->new_pol.proj)
		p = x->new_pol.proj->policy;
	return rcv_pusher(x, p);
}

static int read_signers(rcv_ref *x)
{
	const dc_policy *p = trusted_policy(x);
	int rc;

	if (!p)
		return 0;
	rc = dc_source_read_path(x->trusted->src, p->signers, SIGNERS_MAX, &x->signers);
	if (rc == 1)
		dc_buf_clear(&x->signers); /* no signers file: no signature verifies */
	return rc < 0 ? -1 : 0;
}

/* What NEW is compared with: OLD, or for a created ref the point where it
 * leaves the trusted ref (NULL: nothing before). */
static int base_tree(rcv_ref *x, git_tree **out)
{
	git_commit *c = NULL;
	git_oid mb;
	int rc;

	*out = NULL;
	if (x->old_commit)
		return git_commit_tree(out, x->old_commit) < 0 ? dc_error_set_git(_("cannot read OLD")) : 0;
	if (x->has_old || !x->r->trust_ref)
		return 0;
	rc = git_merge_base(&mb, x->r->repo, git_commit_id(x->new_commit), git_commit_id(x->r->trust.commit));
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || git_commit_lookup(&c, x->r->repo, &mb) < 0)
		return dc_error_set_git(_("cannot find where the ref leaves the trusted ref"));
	rc = git_commit_tree(out, c) < 0 ? dc_error_set_git(_("cannot read a tree")) : 0;
	git_commit_free(c);
	return rc;
}

static int same_roots(const dc_policy *a, const dc_policy *b)
{
	size_t i;

	if (a->nroots != b->nroots)
		return 0;
	for (i = 0; i < a->nroots; i++)
		if (strcmp(a->roots[i], b->roots[i]))
			return 0;
	return 1;
}

/* The changed documents, by the roots of the policy in force; when the push
 * changes the roots, the documents under the new roots count too. */
static int compute_delta(rcv_ref *x, const dc_policy *pol)
{
	const dc_policy *np = x->new_pol.proj ? x->new_pol.proj->policy : NULL;
	git_tree *base = NULL;
	dc_delta more;
	size_t i, j;
	int rc;

	dc_delta_init(&more);
	if ((rc = base_tree(x, &base)) < 0)
		return -1;
	rc = dc_delta_compute(&x->delta, x->r->repo, pol, "", base, NULL, x->new_tree);
	if (rc == 0 && np && np != pol && !same_roots(np, pol)) {
		rc = dc_delta_compute(&more, x->r->repo, np, "", base, NULL, x->new_tree);
		for (i = 0, j = 0; rc == 0 && i < more.n; i++) {
			dc_change *c = &more.items[i];
			const char *path = c->has_new ? c->new_doc.path : c->old_doc.path;

			if (dc_policy_controls(pol, path) ||
			    (c->has_old && c->has_new && dc_policy_controls(pol, c->old_doc.path))) {
				more.items[j++] = *c;
				continue;
			}
			if (DC_ARRAY_GROW(x->delta.items, x->delta.cap, x->delta.n + 1) < 0) {
				rc = -1;
				break;
			}
			x->delta.items[x->delta.n++] = *c;
		}
		if (rc == 0)
			more.n = j;
	}
	dc_delta_dispose(&more);
	/* attachments (reference §9.3): a changed listed file is a change of
	 * its document's content; a file no document lists is refused */
	if (rc == 0 && x->new_tree) {
		dc_source *ns = NULL;

		rc = dc_source_open_tree(&ns, x->r->repo, x->new_tree, "");
		if (rc == 0)
			rc = dc_attach_delta(&x->delta, x->r->repo, np ? np : pol, np && np != pol && !same_roots(np, pol) ? pol : NULL,
					     base, ns, np && (np == pol || same_roots(np, pol)) ? x->new_pol.proj : NULL,
					     x->res->protected_ref, x->diags);
		dc_source_free(ns);
	}
	git_tree_free(base);
	return rc;
}

/* Nonzero when the push changes the policy or a schema (the check of every
 * document is then due again). */
static int policy_files_changed(const dc_delta *d)
{
	size_t i;

	for (i = 0; i < d->other.n; i++)
		if (!strcmp(d->other.v[i], DC_POLICY_FILE) || !strncmp(d->other.v[i], "schema/", 7))
			return 1;
	return 0;
}

/* --- the documents of NEW (reference §6.2 item 4, §6.4) --- */

static const dc_change *change_at(const rcv_ref *x, const char *path)
{
	size_t i;

	for (i = 0; i < x->delta.n; i++)
		if (x->delta.items[i].has_new && !strcmp(x->delta.items[i].new_doc.path, path))
			return &x->delta.items[i];
	return NULL;
}

static int not_approved(rcv_ref *x, const dc_docset *set)
{
	size_t i, n = 0;

	for (i = 0; i < set->n; i++) {
		const dc_docinfo *d = &set->docs[i];
		const dc_change *c;
		const dc_node *v;
		dc_mark m = d->id_mark;
		const char *id = d->id ? d->id : d->path;

		if (!d->parsed || (d->status && (dc_status_parse(d->status) == DC_STATUS_APPROVED || dc_status_parse(d->status) == DC_STATUS_OBSOLETE)))
			continue;
		if ((c = change_at(x, d->path)) && c->new_doc.root) {
			v = dc_node_get(c->new_doc.root, "status");
			m = v ? v->start : c->new_doc.open;
		}
		if (ADD(x, d->path, m.line, m.col, DC_R_STATUS_NOT_APPROVED, d->id,
			_("%s is %s%s; %s holds only approved or obsolete documents: approve it (docctl approve %s --sign) or push it to another branch"),
			id, d->status ? "" : _("without a status"), d->status ? d->status : "", x->ref, id) < 0)
			return -1;
		n++;
	}
	if (n && rcv_hint(x, _("only approved documents go to %s: get the draft%s approved (docctl approve ID --sign) or push %s to another branch"),
			  x->ref, n > 1 ? "s" : "", n > 1 ? _("them") : _("it")) < 0)
		return -1;
	return 0;
}

/* Gitlinks, symbolic links, colliding names and .gitattributes under the
 * roots (reference §6.1 item 3b), from what differs between OLD and NEW. */
static int check_shape(rcv_ref *x, int protected_ref)
{
	git_tree *base = NULL;
	dc_diags found;
	int rc;

	dc_diags_init(&found);
	rc = base_tree(x, &base);
	if (rc == 0)
		rc = dc_shape_check_push(x->new_pol.proj, base ? git_tree_id(base) : NULL, git_tree_id(x->new_tree), &found);
	if (rc == 0)
		rc = take_findings(x, &found, !protected_ref);
	dc_diags_dispose(&found);
	git_tree_free(base);
	return rc;
}

/* The check of NEW: every document rule on the changed documents (all of
 * them when the policy or a schema changed), and the id, reference and
 * link rules again on every document that cites what a change altered
 * (reference §6.2 item 4), on every ref: a push accepted leaves `check
 * --rev REF` clean (reference §6.9). OLD's other documents come
 * from the snapshot (snapshot.h), so the cost grows with the change;
 * without one (trust on first use, a changed policy, caching off) the
 * whole of NEW is read, with the same findings. */
static int check_new(rcv_ref *x, int protected_ref)
{
	dc_check_opts co;
	dc_docset set;
	dc_diags found;
	dc_snapshot *snap = NULL;
	dc_changes ch;
	dc_strlist keys;
	dc_strmap related;
	git_tree *base = NULL;
	size_t i;
	int rc = -1, everything = policy_files_changed(&x->delta);

	/* the shape of the tree under the roots, from what changed (the
	 * whole-tree checks below judge it themselves) */
	if (!everything && !x->tofu && check_shape(x, protected_ref) < 0)
		return -1;
	if (!x->delta.n && !everything && !x->tofu)
		return 0; /* nothing controlled changed: OLD passed */
	dc_docset_init(&set);
	dc_diags_init(&found);
	memset(&ch, 0, sizeof(ch));
	dc_strlist_init(&keys);
	dc_strmap_init(&related);
	memset(&co, 0, sizeof(co));
	co.today = x->r->opts.today;
	co.history_repo = x->r->repo;
	co.history_tip = x->new_commit ? git_commit_id(x->new_commit) : NULL;
	co.history_prefix = "";
	co.skip_shape = !everything && !x->tofu;
	if (!everything && !x->tofu) {
		if (dc_changes_init(&ch, &x->delta, &co) < 0)
			goto cleanup;
		for (i = 0; i < x->delta.n; i++)
			if (dc_change_cited_keys(&x->delta.items[i], &keys) < 0)
				goto cleanup;
		if (base_tree(x, &base) < 0 ||
		    (base && dc_snapshot_for(&snap, &ch.paths, x->new_pol.proj, base, "") < 0))
			goto cleanup;
	}
	if (snap) {
		if (dc_check_partial(x->new_pol.proj, &co, snap, ch.paths.v, ch.paths.n, keys.v, keys.n, &set, &found) < 0)
			goto cleanup;
	} else {
		co.skip_repository = 1;
		if (dc_check_all(x->new_pol.proj, &co, &set, &found) < 0 ||
		    (keys.n && dc_docset_citing(&set, &co, keys.v, keys.n, &related) < 0))
			goto cleanup;
		co.related = &related;
		if (dc_check_repository(x->new_pol.proj, &set, &co, &found) < 0)
			goto cleanup;
	}
	/* ref.not-approved on every ref: a successor counts once it was
	 * approved in NEW's history (reference §4.1), as check and pre-commit
	 * say (reference §6.9) */
	if (take_findings(x, &found, 0) < 0)
		goto cleanup;
	if (protected_ref && not_approved(x, &set) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	dc_diags_dispose(&found);
	dc_docset_dispose(&set);
	dc_snapshot_free(snap);
	dc_changes_dispose(&ch);
	dc_strlist_dispose(&keys);
	dc_strmap_dispose(&related);
	git_tree_free(base);
	return rc;
}

/* Appends to `to` the findings of `from` about a file `to` has no
 * finding of the same rule for. */
static int take_new(dc_diags *to, const dc_diags *from)
{
	size_t i, j, n = to->n;

	for (i = 0; i < from->n; i++) {
		const dc_diag *g = &from->items[i];

		for (j = 0; j < n && (strcmp(to->items[j].file, g->file) || to->items[j].rule != g->rule); j++)
			;
		if (j == n && dc_diags_add(to, g->file, g->line, g->col, dc_rule_id_of(g->rule), g->id, "%s", g->message) < 0)
			return -1;
	}
	return 0;
}

/* approval.stale on a ref that is not protected (reference §6.4, §6.9):
 * each changed document against its version in the base (OLD, or where a
 * created ref leaves the trusted ref) when no commit of the push changed
 * its approval fields (reference §6.2 item 5: an approval cleared and given
 * again in two commits is no copy), and, when NEW's first parent holds
 * another tree (several commits, a forced push), against that parent's,
 * which is what `check --rev NEW` compares with. A document is reported
 * once. The cost grows with the change and the new commits. */
static int stale_other(rcv_ref *x)
{
	git_commit *parent = NULL;
	git_tree *base = NULL, *ptree = NULL;
	dc_diags found, more;
	size_t i;
	int rc = 0, carried, walked = 0;

	dc_diags_init(&found);
	dc_diags_init(&more);
	for (i = 0; rc == 0 && i < x->delta.n; i++) {
		const dc_change *c = &x->delta.items[i];
		size_t before = more.n;

		if (!c->has_old || !c->has_new || (rc = dc_stale_check(&c->old_doc, &c->new_doc, &more)) < 0 ||
		    more.n == before)
			continue;
		if (!walked && (rc = rcv_new_commits(x)) < 0)
			break;
		walked = 1;
		if ((rc = rcv_approval_carried(x, c, &carried)) == 0 && carried)
			rc = take_new(&found, &more);
		dc_diags_dispose(&more);
		dc_diags_init(&more);
	}
	if (rc == 0 && git_commit_parentcount(x->new_commit) > 0) {
		if (git_commit_parent(&parent, x->new_commit, 0) < 0 || git_commit_tree(&ptree, parent) < 0)
			rc = dc_error_set_git(_("cannot read the first parent of NEW"));
		else if ((rc = base_tree(x, &base)) == 0 && !(base && git_oid_equal(git_tree_id(base), git_tree_id(ptree))))
			rc = dc_stale_trees(x->new_pol.proj->policy, "", ptree, x->new_tree, NULL, &more);
	}
	if (rc == 0)
		rc = take_new(&found, &more);
	if (rc == 0)
		rc = take_findings(x, &found, 0);
	dc_diags_dispose(&found);
	dc_diags_dispose(&more);
	git_tree_free(base);
	git_tree_free(ptree);
	git_commit_free(parent);
	return rc;
}

/* --- one ref --- */

static int evaluate_deletion(rcv_ref *x)
{
	int rc;

	if (!x->has_old)
		return 0;
	if ((rc = choose_trusted(x)) != 0)
		return rc < 0 ? -1 : 0;
	if (x->trusted && !x->trusted->proj)
		return report_broken_trusted(x);
	if (pusher(x) < 0)
		return -1;
	if (!protects(x, x->ref))
		return 0;
	x->res->protected_ref = 1;
	if (rcv_hint(x, _("a protected ref is never deleted; to retire it, first remove it from `protected` in docctl.yaml (a signed policy change)")) < 0)
		return -1;
	return ADD(x, "", 0, 0, DC_R_REF_DELETE, NULL,
		   _("%s is protected and cannot be deleted; it holds the approved documents of record"), x->ref);
}

static int evaluate_protected(rcv_ref *x)
{
	const dc_policy *pol = trusted_policy(x);
	size_t i;
	int rc;

	if (x->old_commit && !git_oid_equal(git_commit_id(x->old_commit), git_commit_id(x->new_commit))) {
		rc = git_graph_descendant_of(x->r->repo, git_commit_id(x->new_commit), git_commit_id(x->old_commit));
		if (rc < 0)
			return dc_error_set_git(_("cannot compare OLD and NEW"));
		if (rc == 0) {
			char o[8], n[8];

			short_id(o, git_commit_id(x->old_commit));
			short_id(n, git_commit_id(x->new_commit));
			if (rcv_hint(x, _("fetch %s, rebase or merge your commits onto it, and push again without --force"), x->ref) < 0)
				return -1;
			return ADD(x, "", 0, 0, DC_R_REF_NON_FAST_FORWARD, NULL,
				   _("%s %s does not descend from %s: a protected ref is never rewound or rewritten"), x->ref, n, o);
		}
	}
	if (!pol)
		pol = rcv_trust_policy(x->r); /* trust on first use: the pushed policy */
	if (!pol)
		return 0;
	if (rcv_new_commits(x) < 0 || compute_delta(x, pol) < 0)
		return -1;
	if (x->audit) {
		if (x->tofu)
			return 0;
		if (rcv_authenticate_prepare(x) < 0)
			return -1;
		for (i = 0; i < x->delta.n; i++)
			if (rcv_vouch(x, &x->delta.items[i]) < 0)
				return -1;
		return 0;
	}
	{
		git_tree *base = NULL;

		rc = base_tree(x, &base) < 0 || rcv_ack_misplaced(x, base) < 0 || rcv_feedback_misplaced(x, base) < 0 ? -1 : 0;
		git_tree_free(base);
		if (rc < 0)
			return -1;
	}
	if (x->new_pol.proj) {
		if (check_new(x, 1) < 0)
			return -1;
	} else if (take_findings(x, &x->new_pol.broken, 0) < 0 ||
		   (x->new_pol.absent && ADD(x, DC_POLICY_FILE, 0, 0, DC_R_POLICY_INVALID, NULL,
					     _("%s has no docctl.yaml; a protected ref always carries its policy: restore it"), x->ref) < 0)) {
		return -1;
	}
	if (!x->tofu) {
		dc_transition_opts to;

		to.policy = trusted_policy(x);
		to.today = x->r->opts.today;
		if (rcv_authenticate_prepare(x) < 0)
			return -1;
		for (i = 0; i < x->delta.n; i++)
			if (dc_transition_check(&x->delta.items[i], &to, x->diags) < 0 || rcv_vouch(x, &x->delta.items[i]) < 0)
				return -1;
		if (rcv_policy_change(x) < 0)
			return -1;
	}
	return rcv_claim_ids(x, pol);
}

static int evaluate_other(rcv_ref *x)
{
	if (x->audit)
		return 0;
	if (!x->new_pol.proj) {
		/* no policy on this branch: nothing is controlled here */
		return x->new_pol.absent ? 0 : take_findings(x, &x->new_pol.broken, 0);
	}
	/* the checks of `check --rev NEW` (reference §6.4, §6.9), drafts
	 * allowed: what only protected refs get (status.not-approved, the
	 * transitions, who vouches and how they are known, the policy's
	 * signatures) is left out */
	if (compute_delta(x, x->new_pol.proj->policy) < 0 || check_new(x, 0) < 0 || stale_other(x) < 0)
		return -1;
	return rcv_claim_ids(x, x->new_pol.proj->policy);
}

static int evaluate(rcv_ref *x)
{
	git_object_t type;
	int rc;

	if (!strncmp(x->ref, "refs/replace/", 13) || !strncmp(x->pushed, "refs/replace/", 13)) {
		if (!x->has_new)
			return 0; /* removing a replacement only restores the objects as pushed */
		if (rcv_hint(x, _("replace refs are not accepted on this server; push the commits themselves")) < 0)
			return -1;
		return ADD(x, "", 0, 0, DC_R_REF_REPLACE, NULL,
			   _("%s is a replace ref: it would make git show other objects in place of the ones approved; refs/replace/ is refused on this server"),
			   x->pushed);
	}
	if (rcv_load_trust(x->r) < 0)
		return -1;
	if ((rc = rcv_ack_ref(x)) != 0) /* the confirmations' ref (receive_ack.c) */
		return rc < 0 ? -1 : 0;
	if ((rc = rcv_feedback_ref(x)) != 0) /* the feedback ref (receive_feedback.c) */
		return rc < 0 ? -1 : 0;
	if (strcmp(x->ref, x->pushed) &&
	    dc_buf_printf(&x->res->note, _("%s is a symbolic ref on the server for %s; it is judged as %s"), x->pushed,
			  x->ref, x->ref) < 0)
		return -1;
	if (!x->has_new)
		return evaluate_deletion(x);
	rc = rcv_peel_commit(&x->new_commit, x->r->repo, &x->new_oid, &type);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (rcv_hint(x, _("push a commit (or a tag of a commit) to %s"), x->ref) < 0)
			return -1;
		return ADD(x, "", 0, 0, DC_R_INTERNAL_ERROR, NULL,
			   _("%s points at a %s, not a commit; docctl accepts only commits on the refs it checks"), x->ref,
			   rcv_type_name(type));
	}
	if (git_commit_tree(&x->new_tree, x->new_commit) < 0)
		return dc_error_set_git(_("cannot read NEW"));
	if (rcv_policy_load(&x->new_pol, x->r->repo, x->new_commit) < 0 || (rc = choose_trusted(x)) < 0)
		return -1;
	if (rc == 1)
		return 0; /* reported */
	if (x->trusted && !x->trusted->proj)
		return x->audit ? 0 : report_broken_trusted(x);
	x->res->protected_ref = protects(x, x->ref);
	if (pusher(x) < 0 || read_signers(x) < 0)
		return -1;
	if (x->tofu && x->res->protected_ref)
		dc_buf_printf(&x->res->note, _("%strusting the pushed policy (first push to an empty repository): the policy of %s%s is trusted on first use%s"),
			      x->res->note.len ? "; " : "", x->r->tofu_ref,
			      x->r->trusted_ref ? _(", which docctl.trustedRef names,") : "",
			      x->r->trusted_ref ? "" : _(", and docctl's post-receive records it as docctl.trustedRef once the push is accepted"));
	return x->res->protected_ref ? evaluate_protected(x) : evaluate_other(x);
}

static int run(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid, int audit,
	       dc_receive_result *res, dc_diags *diags)
{
	rcv_ref x;
	char *resolved = NULL;
	int rc;

	/* an alias is judged as the ref it moves (reference §6.1 item 3a) */
	if (rcv_resolve(&resolved, r->repo, ref) < 0)
		return -1;
	rcv_ref_init(&x, r, ref, resolved, old, new_oid, audit, res, diags);

	rc = evaluate(&x);
	if (rc == 0 && !audit && errors_since(&x) && (rc = derive_hint(&x)) == 0)
		rc = dc_buf_puts(&res->summary, x.hints.len ? x.hints.ptr : _("fix the errors above in a new commit and push again"));

	rcv_ref_dispose(&x);
	free(resolved);
	return rc;
}

int dc_receive_ref(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid,
		   dc_receive_result *res, dc_diags *diags)
{
	return run(r, ref, old, new_oid, 0, res, diags);
}

int dc_receive_audit(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid,
		     dc_receive_result *res)
{
	dc_diags ignored;
	int rc;

	dc_diags_init(&ignored);
	rc = run(r, ref, old, new_oid, 1, res, &ignored);
	dc_diags_dispose(&ignored);
	return rc;
}
