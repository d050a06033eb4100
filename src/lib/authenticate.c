/*
 * authenticate.c - who vouches for a change on a protected ref, and how the
 * server knows it was them (SPEC §6.2 item 5, §6.3, §6.5).
 *
 * The person named in approved_by, reviewed_by or obsoleted_by must be a
 * person of the policy in force, hold an approver role of the document's
 * type there, not be the author of a commit new to the ref that changed the
 * document's content (four eyes; a merge changes it when its result differs
 * from every parent), and be authenticated: a new commit whose version of
 * the document has the content of NEW and names them carries their good SSH
 * signature, or they are the pusher the git server names. Author and
 * committer serve the four-eyes rule only, never authentication.
 *
 * To know each new commit's version of a document, the document is looked
 * up by the paths it has in OLD and NEW and matched by id; each blob is
 * parsed once.
 */
#include "receive_int.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define ADD(x, ...) dc_diags_add((x)->diags, __VA_ARGS__)

/* --- signatures, verified once per commit and email --- */

int rcv_verify(rcv_ref *x, const git_oid *commit, const char *email, dc_sig_result *out)
{
	rcv_sig *p;
	size_t i;

	for (i = 0; i < x->nsigs; i++)
		if (git_oid_equal(&x->sigs[i].commit, commit) && !strcmp(x->sigs[i].email, email)) {
			*out = x->sigs[i].result;
			return 0;
		}
	if (dc_sig_verify_commit(out, x->r->repo, commit, x->signers.ptr, x->signers.len, email, x->r->opts.now) < 0)
		return -1;
	if (!(p = realloc(x->sigs, (x->nsigs + 1) * sizeof(*p))))
		return dc_error_set("out of memory");
	x->sigs = p;
	p += x->nsigs;
	git_oid_cpy(&p->commit, commit);
	p->result = *out;
	if (!(p->email = strdup(email)))
		return dc_error_set("out of memory");
	x->nsigs++;
	return 0;
}

void rcv_sigs_dispose(rcv_ref *x)
{
	size_t i;

	for (i = 0; i < x->nsigs; i++)
		free(x->sigs[i].email);
	free(x->sigs);
	x->sigs = NULL;
	x->nsigs = 0;
}

/* --- a document through the new commits --- */

typedef struct {
	git_oid blob;
	dc_doc doc;
} parsed_blob;

typedef struct {
	const dc_doc *doc;  /* NULL: the commit has no version of the document */
	git_oid blob;
} version;

typedef struct {
	const git_oid *id;
	version v;
	int changed;              /* this commit changed the content */
	const dc_person *author;  /* the author, as a person of the policy in force */
} commit_view;

typedef struct {
	rcv_ref *x;
	const dc_change *c;
	const char *paths[2];
	size_t npaths;
	parsed_blob **blobs;
	size_t nblobs;
	commit_view *views;       /* one per new commit; NULL until needed */
} doc_history;

static void history_dispose(doc_history *h)
{
	size_t i;

	for (i = 0; i < h->nblobs; i++) {
		dc_arena_dispose(&h->blobs[i]->doc.arena);
		free(h->blobs[i]);
	}
	free(h->blobs);
	free(h->views);
}

static int parse_blob(doc_history *h, const git_oid *id, const char *path, git_filemode_t mode, const dc_doc **out)
{
	git_blob *blob = NULL;
	git_object_size_t size;
	parsed_blob *pb, **grown;
	dc_diags ignored;
	size_t i;
	int rc;

	for (i = 0; i < h->nblobs; i++)
		if (git_oid_equal(&h->blobs[i]->blob, id)) {
			*out = &h->blobs[i]->doc;
			return 0;
		}
	if (!(grown = realloc(h->blobs, (h->nblobs + 1) * sizeof(*grown))))
		return dc_error_set("out of memory");
	h->blobs = grown;
	if (!(pb = calloc(1, sizeof(*pb))))
		return dc_error_set("out of memory");
	git_oid_cpy(&pb->blob, id);
	dc_doc_init(&pb->doc);
	h->blobs[h->nblobs++] = pb;
	if (git_blob_lookup(&blob, h->x->r->repo, id) < 0)
		return dc_error_set_git("cannot read a version of a document");
	size = git_blob_rawsize(blob);
	dc_diags_init(&ignored);
	rc = dc_doc_parse(&pb->doc, path, git_blob_rawcontent(blob), size > DC_FILE_MAX ? DC_FILE_MAX + 1 : (size_t)size,
			  mode == GIT_FILEMODE_LINK, &ignored);
	dc_diags_dispose(&ignored);
	git_blob_free(blob);
	*out = &pb->doc;
	return rc;
}

/* The commit's version of the document: at one of its paths, with its id. */
static int version_in(doc_history *h, const git_oid *commit, version *out)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	size_t i;
	int rc = 0;

	out->doc = NULL;
	if (git_commit_lookup(&c, h->x->r->repo, commit) < 0 || git_commit_tree(&t, c) < 0) {
		rc = dc_error_set_git("cannot read a new commit");
		goto cleanup;
	}
	for (i = 0; i < h->npaths && !out->doc && rc == 0; i++) {
		git_tree_entry *e = NULL;
		const dc_doc *d = NULL;
		const char *id;

		rc = git_tree_entry_bypath(&e, t, h->paths[i]);
		if (rc == GIT_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc < 0) {
			rc = dc_error_set_git("cannot read a new commit's tree");
			break;
		}
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    (rc = parse_blob(h, git_tree_entry_id(e), h->paths[i], git_tree_entry_filemode(e), &d)) == 0) {
			id = d->root ? dc_doc_str(d, "id") : NULL;
			if (!id || !h->c->id || !strcmp(id, h->c->id)) {
				out->doc = d;
				git_oid_cpy(&out->blob, git_tree_entry_id(e));
			}
		}
		git_tree_entry_free(e);
	}
cleanup:
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* Nonzero when two versions differ in content (SPEC §4.2). */
static int differs(const version *a, const version *b)
{
	if (!a->doc || !b->doc)
		return a->doc != b->doc;
	if (git_oid_equal(&a->blob, &b->blob))
		return 0;
	if (!a->doc->root || !b->doc->root)
		return 1;
	return !dc_doc_same_content(a->doc, b->doc);
}

static int build_views(doc_history *h)
{
	rcv_ref *x = h->x;
	size_t i;

	if (h->views || !x->ncommits)
		return 0;
	if (!(h->views = calloc(x->ncommits, sizeof(*h->views))))
		return dc_error_set("out of memory");
	for (i = 0; i < x->ncommits; i++) {
		commit_view *cv = &h->views[i];
		git_commit *c = NULL;
		unsigned k, np;
		int rc = 0;

		cv->id = &x->commits[i];
		if (version_in(h, cv->id, &cv->v) < 0)
			return -1;
		if (git_commit_lookup(&c, x->r->repo, cv->id) < 0)
			return dc_error_set_git("cannot read a new commit");
		np = git_commit_parentcount(c);
		cv->changed = np ? 1 : cv->v.doc != NULL;
		for (k = 0; k < np && cv->changed && rc == 0; k++) {
			version pv;

			rc = version_in(h, git_commit_parent_id(c, k), &pv);
			if (rc == 0 && !differs(&cv->v, &pv))
				cv->changed = 0; /* a merge changes it only when it differs from every parent */
		}
		cv->author = git_commit_author(c) ? dc_policy_person_by_email(x->trusted->proj->policy, git_commit_author(c)->email)
						  : NULL;
		git_commit_free(c);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* --- one person vouching --- */

typedef struct {
	const char *field, *meaning, *verb;
} vouch_kind;

static const vouch_kind kinds[] = {
	{ "approved_by", "approved", "approve" },
	{ "reviewed_by", "reviewed", "review" },
	{ "obsoleted_by", "obsoleted", "obsolete" },
};

static const char *revision_of(const dc_doc *d)
{
	const dc_node *v = dc_node_get(d->root, "revision");

	return v && v->text ? v->text : "-";
}

static int hint_for(rcv_ref *x, const dc_change *c, const vouch_kind *k, const char *type, int another)
{
	const dc_policy *p = x->trusted->proj->policy;

	if (p->identity_signature)
		return rcv_hint(x, "ask %s approver of type %s to %s %s revision %s and sign the commit: docctl %s %s --sign",
				another ? "another" : "an", type, k->verb, c->id, revision_of(&c->new_doc), k->verb, c->id);
	return rcv_hint(x, "ask %s approver of type %s to %s %s revision %s and push it themself: docctl %s %s",
			another ? "another" : "an", type, k->verb, c->id, revision_of(&c->new_doc), k->verb, c->id);
}

static int has_finding_at(const rcv_ref *x, const char *rule, const char *file, unsigned line)
{
	size_t i;

	for (i = x->first_diag; i < x->diags->n; i++) {
		const dc_diag *g = &x->diags->items[i];

		if (g->line == line && !strcmp(g->rule->name, rule) && !strcmp(g->file, file))
			return 1;
	}
	return 0;
}

static int record_approval(rcv_ref *x, const dc_change *c, const vouch_kind *k, const dc_person *p,
			   const git_oid *commit, const char *method)
{
	dc_receive_result *res = x->res;
	dc_approval *a = realloc(res->approvals, (res->napprovals + 1) * sizeof(*a));

	if (!a)
		return dc_error_set("out of memory");
	res->approvals = a;
	a += res->napprovals++;
	memset(a, 0, sizeof(*a));
	a->id = strdup(c->id);
	a->revision = strdup(revision_of(&c->new_doc));
	a->person = strdup(p->key);
	a->name = strdup(p->name ? p->name : p->key);
	a->meaning = k->meaning;
	a->method = method;
	if (commit) {
		a->has_commit = 1;
		git_oid_cpy(&a->commit, commit);
	}
	if (!a->id || !a->revision || !a->person || !a->name)
		return dc_error_set("out of memory");
	return 0;
}

static void roles_of(dc_buf *out, const dc_type *t)
{
	size_t i;

	for (i = 0; i < t->napprovers; i++)
		dc_buf_printf(out, "%s%s", i ? ", " : "", t->approvers[i]);
}

static int vouch_one(rcv_ref *x, doc_history *h, const vouch_kind *k)
{
	const dc_change *c = h->c;
	const dc_policy *pol = x->trusted->proj->policy;
	const dc_node *v = dc_node_get(c->new_doc.root, k->field);
	const char *path = c->new_doc.path, *key, *tname = dc_doc_str(&c->new_doc, "type");
	const dc_person *p;
	const dc_type *t;
	dc_sig_result sig, worst;
	const git_oid *worst_commit = NULL, *good = NULL;
	dc_buf why = DC_BUF_INIT;
	char hex[8];
	size_t i, ncand = 0;
	int bad = 0, pass, rc;
	dc_mark m;

	if (!v || v->kind != DC_NODE_STR)
		return 0; /* a missing field: check reports approval.missing */
	key = v->text;
	m = v->start;
	p = dc_policy_person(pol, key);
	t = tname ? dc_policy_type(pol, tname) : NULL;
	if (!p || !t || !dc_policy_may_approve(pol, t, key)) {
		dc_buf roles = DC_BUF_INIT;

		if (has_finding_at(x, "approval.unauthorized", path, m.line)) /* check said it already */
			return hint_for(x, c, k, tname ? tname : "?", 0);
		if (t)
			roles_of(&roles, t);
		if (!p)
			rc = ADD(x, path, m.line, m.col, "approval.unauthorized", c->id,
				 "%s \"%s\" is not a person of the policy in force; only people already in docctl.yaml on %s may vouch: ask one who holds an approver role of type %s",
				 k->field, key, x->ref, tname ? tname : "?");
		else if (!t)
			rc = ADD(x, path, m.line, m.col, "approval.unauthorized", c->id,
				 "type \"%s\" of %s is not in the policy in force, so nobody may %s it yet; get the policy change onto %s first",
				 tname ? tname : "", c->id, k->verb, x->ref);
		else
			rc = ADD(x, path, m.line, m.col, "approval.unauthorized", c->id,
				 "%s \"%s\" holds no approver role of type %s in the policy in force; ask someone who holds %s",
				 k->field, key, t->name, roles.ptr);
		dc_buf_dispose(&roles);
		if (rc == 0)
			rc = hint_for(x, c, k, tname ? tname : "?", 0);
		return rc;
	}
	if (build_views(h) < 0)
		return -1;
	for (i = 0; i < x->ncommits; i++) {
		const commit_view *cv = &h->views[i];

		if (!cv->changed || cv->author != p)
			continue;
		git_oid_tostr(hex, sizeof(hex), cv->id);
		if (ADD(x, path, m.line, m.col, "approval.self", c->id,
			"%s \"%s\" changed the content of %s in commit %s and cannot also vouch for it (four eyes); ask another approver of type %s to %s it",
			k->field, key, c->id, hex, t->name, k->verb) < 0)
			return -1;
		return hint_for(x, c, k, t->name, 1);
	}

	/* authentication (SPEC §6.3): the new commits first, then those that
	 * came through another protected ref */
	memset(&worst, 0, sizeof(worst));
	for (pass = 0; pol->identity_signature && pass < 2 && !good; pass++) {
		size_t n;

		if (pass == 1 && rcv_range_extra(x) < 0)
			return -1;
		n = pass ? x->nextra : x->ncommits;
		for (i = 0; i < n && !good; i++) {
			const git_oid *id = pass ? &x->extra[i] : &x->commits[i];
			version cv, nv;
			const char *named;

			if (pass == 0)
				cv = h->views[i].v;
			else if (version_in(h, id, &cv) < 0)
				return -1;
			if (!cv.doc || !cv.doc->root)
				continue;
			nv.doc = &c->new_doc;
			git_oid_cpy(&nv.blob, &c->new_oid);
			named = dc_doc_str(cv.doc, k->field);
			if (!named || strcmp(named, key) || differs(&cv, &nv))
				continue;
			ncand++;
			if (rcv_verify(x, id, p->email, &sig) < 0)
				return -1;
			if (sig.status == DC_SIG_GOOD) {
				good = id;
			} else if (sig.status == DC_SIG_BAD || sig.status == DC_SIG_WRONG_PRINCIPAL) {
				if (!bad) {
					worst = sig;
					worst_commit = id;
				}
				bad = 1;
			} else if (!worst_commit) {
				worst = sig;
				worst_commit = id;
			}
		}
	}
	if (good)
		return record_approval(x, c, k, p, good, "signature");
	if (pol->identity_pusher && x->pusher && !strcmp(x->pusher, key))
		return record_approval(x, c, k, p, NULL, "pusher");

	if (worst_commit)
		git_oid_tostr(hex, sizeof(hex), worst_commit);
	if (!pol->identity_signature)
		dc_buf_puts(&why, "approvals are authenticated by the pusher only");
	else if (!ncand)
		dc_buf_printf(&why, "no commit new to %s has this version of %s with %s \"%s\"", x->ref, c->id, k->field, key);
	else if (worst.status == DC_SIG_WRONG_PRINCIPAL)
		dc_buf_printf(&why, "commit %s is signed with the key of %s, not of %s <%s>", hex,
			      worst.principals[0] ? worst.principals : "someone else", key, p->email);
	else if (worst.status == DC_SIG_BAD)
		dc_buf_printf(&why, "the signature of commit %s does not verify (%s)", hex, worst.detail);
	else if (worst.status == DC_SIG_UNKNOWN_KEY)
		dc_buf_printf(&why, "commit %s is signed with a key %s does not list for %s", hex, pol->signers, p->email);
	else if (worst.status == DC_SIG_NOT_SSH)
		dc_buf_printf(&why, "commit %s carries a signature that is not an SSH signature", hex);
	else
		dc_buf_printf(&why, "commit %s is not signed", hex);
	if (pol->identity_pusher)
		dc_buf_printf(&why, x->pusher ? ", and the pusher is %s" : ", and the push names no pusher%s",
			      x->pusher ? x->pusher : "");
	rc = ADD(x, path, m.line, m.col, bad ? "approval.bad-signature" : "approval.unsigned", c->id,
		 "%s \"%s\" is not authenticated: %s; ask %s to %s %s with a commit signed by their own key: docctl %s %s --sign%s",
		 k->field, key, why.ptr, key, k->verb, c->id, k->verb, c->id,
		 pol->identity_pusher ? " (or to push it themself)" : "");
	dc_buf_dispose(&why);
	return rc < 0 ? -1 : hint_for(x, c, k, t->name, 0);
}

static const char *const approval_fields[] = { "approved_by", "approved_on", "effective" };

int rcv_vouch(rcv_ref *x, const dc_change *c)
{
	const char *ns, *os = NULL, *t;
	doc_history h;
	int need[3], rc = 0;
	size_t i;

	if (!x->trusted || !x->trusted->proj || !c->has_new || !c->new_doc.root || !c->id)
		return 0;
	ns = dc_doc_str(&c->new_doc, "status");
	if (c->has_old && c->old_doc.root)
		os = dc_doc_str(&c->old_doc, "status");
	if (!ns || (strcmp(ns, "approved") && strcmp(ns, "obsolete")))
		return 0; /* status.not-approved */
	if (os && !strcmp(os, "obsolete"))
		return 0; /* obsolete is final: status.transition */
	if (os && !strcmp(os, "approved") && (t = dc_doc_str(&c->old_doc, "type")) && !strcmp(t, "record"))
		return 0; /* a filed record never changes: record.immutable */
	need[0] = c->content_changed || !c->has_old || !c->old_doc.root ||
		  dc_fields_differ(&c->old_doc, &c->new_doc, approval_fields, 3) ||
		  (!strcmp(ns, "approved") && (!os || strcmp(os, "approved")));
	need[1] = c->review_changed;
	need[2] = !strcmp(ns, "obsolete");
	if (!need[0] && !need[1] && !need[2])
		return 0;
	memset(&h, 0, sizeof(h));
	h.x = x;
	h.c = c;
	h.paths[h.npaths++] = c->new_doc.path;
	if (c->has_old && strcmp(c->old_doc.path, c->new_doc.path))
		h.paths[h.npaths++] = c->old_doc.path;
	for (i = 0; i < 3 && rc == 0; i++)
		if (need[i])
			rc = vouch_one(x, &h, &kinds[i]);
	history_dispose(&h);
	return rc;
}

/* --- the policy controls itself (SPEC §6.5) --- */

typedef struct {
	const char **paths;      /* borrowed from the policies */
	size_t n;
	int oom;
} policy_files;

static void add_file(policy_files *f, const char *path)
{
	const char **p;
	size_t i;

	if (!path)
		return;
	for (i = 0; i < f->n; i++)
		if (!strcmp(f->paths[i], path))
			return;
	if (!(p = realloc(f->paths, (f->n + 1) * sizeof(*p)))) {
		f->oom = 1;
		return;
	}
	f->paths = p;
	f->paths[f->n++] = path;
}

static void add_policy_files(policy_files *f, const dc_policy *p)
{
	size_t i;

	if (!p)
		return;
	add_file(f, p->signers);
	add_file(f, p->schema);
	for (i = 0; i < p->ntypes; i++)
		add_file(f, p->types[i].schema);
}

/* The first of the files whose entry differs between two trees (NULL: none
 * differs); -1 on failure. */
static int files_differ(const policy_files *f, git_tree *a, git_tree *b, const char **which)
{
	size_t i;

	*which = NULL;
	for (i = 0; i < f->n; i++) {
		git_tree_entry *ea = NULL, *eb = NULL;
		int ra = a ? git_tree_entry_bypath(&ea, a, f->paths[i]) : GIT_ENOTFOUND;
		int rb = b ? git_tree_entry_bypath(&eb, b, f->paths[i]) : GIT_ENOTFOUND;
		int same;

		if ((ra < 0 && ra != GIT_ENOTFOUND) || (rb < 0 && rb != GIT_ENOTFOUND)) {
			git_tree_entry_free(ea);
			git_tree_entry_free(eb);
			return dc_error_set_git("cannot read the policy files");
		}
		same = (!ea && !eb) || (ea && eb && git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
					git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb));
		git_tree_entry_free(ea);
		git_tree_entry_free(eb);
		if (!same) {
			*which = f->paths[i];
			return 0;
		}
	}
	return 0;
}

static int commit_tree(git_repository *repo, const git_oid *id, git_commit **c, git_tree **t)
{
	if (git_commit_lookup(c, repo, id) < 0 || git_commit_tree(t, *c) < 0)
		return dc_error_set_git("cannot read a new commit");
	return 0;
}

/* A new commit that makes NEW's policy files (they differ from every parent)
 * and is signed by a policy approver of the policy in force. */
static int signed_policy_commit(rcv_ref *x, const policy_files *f, int *ok, dc_buf *why)
{
	const dc_policy *pol = x->trusted->proj->policy;
	size_t i, k;
	int rc = 0;

	*ok = 0;
	for (i = 0; !*ok && rc == 0; i++) {
		git_commit *c = NULL;
		git_tree *t = NULL;
		const git_oid *id;
		const char *which;
		unsigned np, j;
		int changed;
		char hex[8];

		if (i == x->ncommits && (rc = rcv_range_extra(x)) < 0)
			break;
		if (i >= x->ncommits + x->nextra)
			break;
		id = i < x->ncommits ? &x->commits[i] : &x->extra[i - x->ncommits];
		if ((rc = commit_tree(x->r->repo, id, &c, &t)) < 0 ||
		    (rc = files_differ(f, t, x->new_tree, &which)) < 0 || which)
			goto next;
		np = git_commit_parentcount(c);
		changed = 1;
		if (!np && (rc = files_differ(f, t, NULL, &which)) == 0)
			changed = which != NULL;
		for (j = 0; j < np && changed && rc == 0; j++) {
			git_commit *pc = NULL;
			git_tree *pt = NULL;

			if ((rc = commit_tree(x->r->repo, git_commit_parent_id(c, j), &pc, &pt)) == 0 &&
			    (rc = files_differ(f, t, pt, &which)) == 0 && !which)
				changed = 0;
			git_tree_free(pt);
			git_commit_free(pc);
		}
		if (rc < 0 || !changed)
			goto next;
		git_oid_tostr(hex, sizeof(hex), id);
		for (k = 0; k < pol->npeople && !*ok && rc == 0; k++) {
			const dc_person *p = &pol->people[k];
			dc_sig_result sig;

			if (!p->email || !dc_policy_person_in(pol, p->key, pol->policy_approvers, pol->npolicy_approvers))
				continue;
			if ((rc = rcv_verify(x, id, p->email, &sig)) < 0)
				break;
			if (sig.status == DC_SIG_GOOD) {
				*ok = 1;
				break;
			}
			dc_buf_clear(why);
			if (sig.status == DC_SIG_WRONG_PRINCIPAL)
				dc_buf_printf(why, "commit %s is signed by %s, who holds no policy_approvers role", hex,
					      sig.principals[0] ? sig.principals : "someone else");
			else
				dc_buf_printf(why, "commit %s: signature %s", hex, dc_sig_status_name(sig.status));
			if (sig.status != DC_SIG_WRONG_PRINCIPAL)
				break; /* the same for every approver */
		}
next:
		git_tree_free(t);
		git_commit_free(c);
	}
	return rc;
}

int rcv_policy_change(rcv_ref *x)
{
	const dc_policy *pol;
	policy_files f;
	dc_buf who = DC_BUF_INIT, why = DC_BUF_INIT;
	const char *which;
	size_t k;
	int ok, rc = -1;

	if (x->tofu || !x->trusted || !x->trusted->proj)
		return 0;
	pol = x->trusted->proj->policy;
	memset(&f, 0, sizeof(f));
	add_file(&f, DC_POLICY_FILE);
	add_file(&f, "schema");
	add_policy_files(&f, pol);
	if (x->new_pol.proj)
		add_policy_files(&f, x->new_pol.proj->policy);
	if (f.oom) {
		dc_error_set("out of memory");
		goto cleanup;
	}
	if (files_differ(&f, x->trusted->tree, x->new_tree, &which) < 0)
		goto cleanup;
	if (!which) {
		rc = 0;
		goto cleanup;
	}
	if (signed_policy_commit(x, &f, &ok, &why) < 0)
		goto cleanup;
	if (ok) {
		rc = 0;
		goto cleanup;
	}
	for (k = 0; k < pol->npeople; k++)
		if (dc_policy_person_in(pol, pol->people[k].key, pol->policy_approvers, pol->npolicy_approvers))
			dc_buf_printf(&who, "%s%s", who.len ? ", " : "", pol->people[k].key);
	rc = ADD(x, which, 0, 0, "policy.unapproved-change", NULL,
		 "the push changes %s on %s, but no commit new to it that makes this change is signed by a policy approver of the policy in force (%s)%s%s; ask one of them to make and sign that commit (git commit -S with gpg.format=ssh)",
		 which, x->ref, who.len ? who.ptr : "nobody holds a policy_approvers role", why.len ? ": " : "", why.ptr);
	if (rc == 0)
		rc = rcv_hint(x, "ask a policy approver (%s) to make and sign the commit that changes the policy", who.len ? who.ptr : "none");
cleanup:
	free(f.paths);
	dc_buf_dispose(&who);
	dc_buf_dispose(&why);
	return rc;
}
