/*
 * receive_feedback.c - the server's rules for feedback items (reference
 * §11), in the same hooks and through the same trusted policy as the
 * documents: the ref named by the trusted policy's feedback.ref
 * (refs/heads/docctl/feedback by default) is judged here instead of as a
 * branch of documents.
 *
 * On that ref: never deleted, rewound nor merged (feedback.rewrite); each
 * new commit, against its parent, only adds or changes files
 * feedback/FB-YYYY-NNNN.md that parse (feedback.format, feedback.h), and
 * deletes none (feedback.immutable). A new item is filed open, vouched for
 * by its `from` person, or by any person for a customer's item
 * (feedback.not-self); its id is the next free one of its year
 * (feedback.id), and its document is on the protected branch
 * (feedback.document). A changed item differs only in its decision fields
 * (feedback.immutable), moves along the arrows (feedback.transition), and
 * is decided by the person its decided_by names, who is the document's
 * owner or an approver of its type, vouched for by their signature or as
 * the pusher (feedback.unauthorized); `implemented` needs an approved
 * revision at least resolved_in on the protected branch whose change, or
 * approving commit's "Resolves:" trailer, names the item
 * (feedback.unresolved). The protected branch is the trusted ref before the
 * push, never a pushed commit.
 *
 * Only the blobs a commit changed are read, and the next free id is found
 * by looking up the one item before it: the cost grows with the pushed
 * items, not with the size of the feedback ref.
 */
#include "receive_int.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "feedback.h"
#include "history.h"
#include "i18n.h"

#define ADD(x, file, line, col, rule, id, ...) dc_diags_add((x)->diags, file, line, col, rule, id, __VA_ARGS__)
#define SIGNERS_MAX ((size_t)1024 * 1024)
#define ITEM_MAX ((size_t)1024 * 1024)

/* One item a pushed commit added or changed. */
typedef struct {
	size_t commit;            /* index in the walk */
	char *path;
	int is_new;
	dc_fb_status old_status;
	dc_feedback item;
} fb_change;

/* A document the items name, as the protected branch holds it (the
 * strings in the ids' arena). */
typedef struct {
	const char *id;           /* one of the ids */
	char *path, *owner;
	char *revision, *approved_on; /* as the protected branch holds it now */
	const dc_type *type;
} fb_doc;

typedef struct {
	rcv_side_push s;
	size_t cur;               /* the commit being judged */
	fb_change *items;
	size_t nitems, cap;
} fb_push;

static void fb_push_dispose(fb_push *a)
{
	size_t i;

	for (i = 0; i < a->nitems; i++) {
		free(a->items[i].path);
		dc_feedback_dispose(&a->items[i].item);
	}
	free(a->items);
	rcv_side_push_dispose(&a->s);
}

/* --- the walk: items added or changed, one commit at a time --- */

static int read_blob(git_blob **out, git_repository *repo, const git_oid *id)
{
	return rcv_side_blob(out, repo, id, ITEM_MAX, _("cannot read a feedback item"),
			     _("a feedback item is larger than 1 MiB"));
}

/* Nonzero when `path` is feedback/FB-YYYY-NNNN.md. */
static int item_path(const char *path)
{
	char id[13];
	int y, n;

	if (strncmp(path, DC_FEEDBACK_DIR "/", sizeof(DC_FEEDBACK_DIR)) || strlen(path) != sizeof(DC_FEEDBACK_DIR) + 15 ||
	    strcmp(path + strlen(path) - 3, ".md"))
		return 0;
	memcpy(id, path + sizeof(DC_FEEDBACK_DIR), 12);
	id[12] = '\0';
	return dc_feedback_id_parse(id, &y, &n) == 0;
}

/* The next free id: the item before it is in `tree` (the commit's own). */
static int check_next(fb_push *a, git_tree *tree, const fb_change *ch)
{
	rcv_ref *x = a->s.x;
	const dc_feedback *f = &ch->item;
	dc_buf prev = DC_BUF_INIT;
	git_tree_entry *e = NULL;
	int rc = 0;

	if (f->number == 1)
		return 0;
	if (dc_feedback_path(&prev, f->year, f->number - 1) < 0)
		return -1;
	if (git_tree_entry_bypath(&e, tree, prev.ptr) != 0) {
		a->s.refused = 1;
		rc = ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_ID, f->id,
			 _("%s is not the next free id of %d: %s does not exist; fetch %s and file it again with docctl feedback new"),
			 f->id, f->year, prev.ptr + sizeof(DC_FEEDBACK_DIR), x->ref);
	}
	git_tree_entry_free(e);
	dc_buf_dispose(&prev);
	return rc < 0 ? -1 : 0;
}

static fb_change *new_change(fb_push *a)
{
	fb_change *c;

	if (dc_array_grow(&a->items, &a->cap, a->nitems, sizeof(*a->items)) < 0)
		return NULL;
	c = &a->items[a->nitems++];
	memset(c, 0, sizeof(*c));
	dc_feedback_init(&c->item);
	return c;
}

/* rcv_side_judge's callback: one file of pushed commit ci. */
static int judge_file(void *arg, size_t ci, git_tree *tree, const git_diff_delta *d)
{
	fb_push *a = arg;
	rcv_ref *x = a->s.x;
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
	git_blob *oldb = NULL, *newb = NULL;
	dc_feedback old;
	fb_change *ch;
	size_t before = x->diags->n;
	int rc = 0;

	dc_feedback_init(&old);
	if (d->status == GIT_DELTA_DELETED) {
		a->s.refused = 1;
		rc = ADD(x, path, 0, 0, DC_R_FEEDBACK_IMMUTABLE, NULL,
			 _("the push deletes %s; feedback items are never deleted: restore it (a rejected request stays, with its reason)"),
			 path);
		goto cleanup;
	}
	if (!item_path(path) || (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED) ||
	    d->new_file.mode != GIT_FILEMODE_BLOB ||
	    (d->status == GIT_DELTA_MODIFIED && d->old_file.mode != GIT_FILEMODE_BLOB)) {
		a->s.refused = 1;
		rc = ADD(x, path, 0, 0, DC_R_FEEDBACK_FORMAT, NULL,
			 _("the push adds or changes %s; %s holds only regular files feedback/FB-YYYY-NNNN.md, written by docctl feedback"),
			 path, x->ref);
		goto cleanup;
	}
	if (!(ch = new_change(a)) || !(ch->path = strdup(path))) {
		rc = dc_error_oom();
		goto cleanup;
	}
	ch->commit = ci;
	ch->is_new = d->status == GIT_DELTA_ADDED;
	if ((rc = read_blob(&newb, x->r->repo, &d->new_file.id)) < 0)
		goto cleanup;
	rc = dc_feedback_parse(&ch->item, path, git_blob_rawcontent(newb), (size_t)git_blob_rawsize(newb), x->diags);
	if (rc < 0)
		goto cleanup;
	if (rc == 1 || x->diags->n > before) {
		a->s.refused = 1;
		rc = 0;
		goto cleanup;
	}
	if (ch->is_new) {
		if (ch->item.status != DC_FB_OPEN) {
			a->s.refused = 1;
			rc = ADD(x, path, 1, 1, DC_R_FEEDBACK_TRANSITION, ch->item.id,
				 _("new item %s is %s; an item is filed open, and decided afterwards: docctl feedback decide %s"),
				 ch->item.id, ch->item.status_name, ch->item.id);
			goto cleanup;
		}
		rc = check_next(a, tree, ch);
		goto cleanup;
	}
	if ((rc = read_blob(&oldb, x->r->repo, &d->old_file.id)) < 0)
		goto cleanup;
	{
		dc_diags ignored;

		dc_diags_init(&ignored);
		rc = dc_feedback_parse(&old, path, git_blob_rawcontent(oldb), (size_t)git_blob_rawsize(oldb), &ignored);
		dc_diags_dispose(&ignored);
		if (rc < 0)
			goto cleanup;
	}
	if (rc == 1 || !dc_doc_same_except(&old.doc, &ch->item.doc, dc_feedback_decision_fields,
					   dc_feedback_ndecision_fields)) {
		a->s.refused = 1;
		rc = ADD(x, path, 1, 1, DC_R_FEEDBACK_IMMUTABLE, ch->item.id,
			 _("the push changes %s beyond its decision; once filed, only status, decided_by, decided_on, reason and resolved_in may change: file a new item instead"),
			 path);
		goto cleanup;
	}
	ch->old_status = old.status;
	if (!dc_feedback_may_move(old.status, ch->item.status)) {
		a->s.refused = 1;
		rc = ADD(x, path, 1, 1, DC_R_FEEDBACK_TRANSITION, ch->item.id,
			 _("%s moves from %s to %s; the arrows are open -> accepted, rejected or deferred, and accepted -> implemented"),
			 ch->item.id, old.status_name, ch->item.status_name);
	}
cleanup:
	dc_feedback_dispose(&old);
	git_blob_free(oldb);
	git_blob_free(newb);
	return rc < 0 ? -1 : 0;
}

/* --- the documents the items name, on the protected branch --- */

/* rcv_side_docs' load: what the items need of document `id`. 0, or -1. */
static int load_doc(void *arg, void *out, const char *id, const dc_doc *doc, const char *path)
{
	fb_push *a = arg;
	fb_doc *d = out;
	dc_arena *keep = &a->s.ids.arena;
	const char *owner = dc_doc_str(doc, "owner"), *rev = dc_doc_str(doc, "revision"),
		   *on = dc_doc_str(doc, "approved_on");

	d->id = id;
	d->type = rcv_side_doc_type(a->s.pol, doc, d->id);
	if (!(d->path = dc_arena_strdup(keep, path)) || (owner && !(d->owner = dc_arena_strdup(keep, owner))) ||
	    (rev && !(d->revision = dc_arena_strdup(keep, rev))) || (on && !(d->approved_on = dc_arena_strdup(keep, on))))
		return -1;
	return 0;
}

static int find_docs(fb_push *a)
{
	size_t i;

	if (rcv_side_docs_init(&a->s.ids, a->nitems, sizeof(fb_doc), load_doc, a) < 0)
		return -1;
	for (i = 0; i < a->nitems; i++)
		if (rcv_side_docs_add(&a->s.ids, a->items[i].item.document) < 0)
			return -1;
	return rcv_side_find_docs(&a->s);
}

static const fb_doc *doc_named(const fb_push *a, const char *id)
{
	return rcv_side_docs_found(&a->s.ids, id);
}

/* The person a customer's item may be vouched for by: the pusher, else
 * the person whose key (per the trusted signers file) signed the commit;
 * NULL when neither is a person of the policy. */
static const dc_person *any_person(fb_push *a, size_t ci)
{
	const dc_person *p;
	size_t i;
	int hit = 0;

	if (a->s.pol->identity_pusher && a->s.x->pusher && (p = dc_policy_person(a->s.pol, a->s.x->pusher)))
		return p;
	for (i = 0; i < a->s.pol->npeople; i++) {
		p = &a->s.pol->people[i];
		if (p->email && rcv_signed_with_key_of(a->s.x, &a->s.commits[ci], p->email, &hit) == 0 && hit)
			return p;
	}
	return NULL;
}

/* The person who must vouch for a change: `from` for a new item (NULL: a
 * customer's), decided_by for a decision. */
static const dc_person *voucher(fb_push *a, const fb_change *ch)
{
	if (ch->is_new)
		return ch->item.customer ? any_person(a, ch->commit) : dc_policy_person(a->s.pol, ch->item.from);
	return dc_policy_person(a->s.pol, ch->item.decided_by);
}

/* The history of document `d` on the protected branch, into `h`
 * (initialised here; the caller disposes it). 0, or -1. */
static int doc_history(fb_push *a, const fb_doc *d, dc_history *h)
{
	dc_history_init(h);
	return dc_history_build(h, a->s.x->r->repo, git_commit_id(a->s.x->r->trust.commit), "", a->s.pol, d->id, d->path);
}

/* Whether the protected branch holds an approved revision at least
 * resolved_in of the item's document that names the item. */
static int resolved(fb_push *a, const fb_change *ch, const fb_doc *d, int *out)
{
	dc_history h;
	const dc_event *ev = NULL;
	int rc = doc_history(a, d, &h);

	if (rc == 0)
		rc = dc_feedback_resolving(&ev, &h, a->s.x->r->repo, a->s.pol->scheme, ch->item.id, ch->item.resolved_in);
	*out = ev != NULL;
	dc_history_dispose(&h);
	return rc < 0 ? -1 : 0;
}

/* The approved_on of the revision `rev` of document `d` as the protected
 * branch holds (or held) it: *found 0 when the branch never held that
 * revision; *on NULL when it holds it unapproved (a draft). */
static int revision_held(fb_push *a, const fb_doc *d, const char *rev, int *found, char **on)
{
	dc_history h;
	const dc_event *ev;
	size_t i;

	*found = 0;
	*on = NULL;
	if (d->revision && !strcmp(d->revision, rev)) {
		*found = 1;
		return d->approved_on && !(*on = strdup(d->approved_on)) ? dc_error_oom() : 0;
	}
	if (doc_history(a, d, &h) < 0) {
		dc_history_dispose(&h);
		return -1;
	}
	for (i = 0, ev = NULL; i < h.nevents && !ev; i++)
		if (h.events[i].kind == DC_EVENT_APPROVED && h.events[i].version->revision &&
		    !strcmp(h.events[i].version->revision, rev))
			ev = &h.events[i];
	if (ev) {
		*found = 1;
		if (ev->version->approved_on && !(*on = strdup(ev->version->approved_on))) {
			dc_history_dispose(&h);
			return dc_error_oom();
		}
	}
	dc_history_dispose(&h);
	return 0;
}

/* A new item's revision is one the protected branch holds or held (an
 * approved one), and its filed_on lies between that revision's approval
 * and the server's today (with a day of slack for the time zones). */
static int judge_filed(fb_push *a, const fb_change *ch, const fb_doc *d)
{
	static const dc_duration one_day = { 0, 0, 0, 1 };
	rcv_ref *x = a->s.x;
	const dc_feedback *f = &ch->item;
	dc_date filed, latest = dc_date_add(&x->r->opts.today, &one_day), approved;
	char *on = NULL;
	int found, rc = 0;

	if (dc_date_parse(&filed, f->filed_on) < 0)
		return 0; /* dc_feedback_parse has refused it */
	if (dc_date_cmp(&filed, &latest) > 0)
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_FORMAT, f->id,
			   _("%s is filed on %s, after today on the server; date it the day it is filed (docctl feedback new does)"),
			   f->id, f->filed_on);
	if (revision_held(a, d, f->revision, &found, &on) < 0)
		return -1;
	if (!found)
		rc = ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_DOCUMENT, f->id,
			 _("%s is about revision %s of %s, which the protected branch never held (it holds %s); file it against the revision in force: docctl feedback new %s"),
			 f->id, f->revision, d->id, d->revision ? d->revision : "-", d->id);
	else if (on && dc_date_parse(&approved, on) == 0 && dc_date_cmp(&filed, &approved) < 0)
		rc = ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_FORMAT, f->id,
			 _("%s is filed on %s, before revision %s of %s was approved (%s); date it the day it is filed (docctl feedback new does)"),
			 f->id, f->filed_on, f->revision, d->id, on);
	free(on);
	return rc;
}

static int judge_new(fb_push *a, const fb_change *ch, const fb_doc *d)
{
	rcv_ref *x = a->s.x;
	const dc_feedback *f = &ch->item;
	const dc_person *p = voucher(a, ch);
	int ok;

	if (!f->customer && !p)
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_NOT_SELF, f->id,
			   _("%s is from \"%s\", who is not a person of the policy; name yourself (--from) or the customer (--customer NAME)"),
			   f->id, f->from);
	if (rcv_side_vouched(&a->s, ch->commit, p, &ok) < 0)
		return -1;
	if (!ok)
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_NOT_SELF, f->id,
			   f->customer ? _("%s is filed for customer %s but the commit carries no valid signature of a person of the policy%s; sign it: docctl feedback new %s --customer NAME --sign")
				       : _("%s is from %s, but the commit carries no valid signature of theirs%s; each person files their own feedback, signed: docctl feedback new %s --sign"),
			   f->id, f->customer ? f->customer : f->from,
			   a->s.pol->identity_pusher ? _(" and they are not the pusher") : "", f->document);
	if (!d)
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_DOCUMENT, f->id,
			   _("%s is about %s, which is not a document of the protected branch; name a document in force (docctl register)"),
			   f->id, f->document);
	return judge_filed(a, ch, d);
}

static int judge_decision(fb_push *a, const fb_change *ch, const fb_doc *d)
{
	rcv_ref *x = a->s.x;
	const dc_feedback *f = &ch->item;
	const dc_person *p = voucher(a, ch);
	int ok;

	if (!d)
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_UNAUTHORIZED, f->id,
			   _("%s is about %s, which the protected branch no longer holds; nobody can decide it"), f->id,
			   f->document);
	if (!p || ((!d->owner || strcmp(d->owner, p->key)) && !(d->type && dc_policy_may_approve(a->s.pol, d->type, p->key))))
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_UNAUTHORIZED, f->id,
			   _("%s is decided by %s, who is neither the owner of %s (%s) nor an approver of its type; ask them to decide it: docctl feedback decide %s"),
			   f->id, f->decided_by, f->document, d->owner ? d->owner : "-", f->id);
	if (rcv_side_vouched(&a->s, ch->commit, p, &ok) < 0)
		return -1;
	if (!ok)
		return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_UNAUTHORIZED, f->id,
			   _("%s says it was decided by %s, but the commit carries no valid signature of theirs%s; they decide it, signed: docctl feedback decide %s ... --sign"),
			   f->id, f->decided_by, a->s.pol->identity_pusher ? _(" and they are not the pusher") : "", f->id);
	if (f->status == DC_FB_IMPLEMENTED) {
		if (resolved(a, ch, d, &ok) < 0)
			return -1;
		if (!ok)
			return ADD(x, ch->path, 1, 1, DC_R_FEEDBACK_UNRESOLVED, f->id,
				   _("%s is marked implemented in %s, but the protected branch holds no approved revision of %s at least %s whose change or approving commit names %s; start one with docctl revise %s --resolves %s and get it approved first"),
				   f->id, f->resolved_in, f->document, f->resolved_in, f->id, f->document, f->id);
	}
	return 0;
}

static int vouch_all(fb_push *a)
{
	size_t i;
	int ok, rc = 0;

	/* learn every signature needed, verify them on every core, then decide */
	a->s.x->collect = 1;
	for (i = 0; i < a->nitems && rc == 0; i++)
		rc = rcv_side_vouched(&a->s, a->items[i].commit, voucher(a, &a->items[i]), &ok);
	a->s.x->collect = 0;
	if (rc < 0 || rcv_verify_pending(a->s.x) < 0)
		return -1;
	for (i = 0; i < a->nitems; i++) {
		const fb_change *ch = &a->items[i];
		const fb_doc *d = doc_named(a, ch->item.document);

		if ((ch->is_new ? judge_new(a, ch, d) : judge_decision(a, ch, d)) < 0)
			return -1;
	}
	return 0;
}

/* --- the entry point --- */

int rcv_feedback_misplaced(rcv_ref *x, git_tree *base)
{
	git_tree_entry *now = NULL, *was = NULL;
	int same, rc = 0;

	if (!x->new_tree || git_tree_entry_bypath(&now, x->new_tree, DC_FEEDBACK_DIR) != 0)
		return 0;
	same = base && git_tree_entry_bypath(&was, base, DC_FEEDBACK_DIR) == 0 &&
	       git_oid_equal(git_tree_entry_id(was), git_tree_entry_id(now));
	git_tree_entry_free(was);
	git_tree_entry_free(now);
	if (same)
		return 0;
	if (rcv_hint(x, "%s", _("feedback goes to its own ref: docctl feedback new ID --sign --push")) < 0)
		rc = -1;
	else
		rc = ADD(x, DC_FEEDBACK_DIR, 0, 0, DC_R_FEEDBACK_MISPLACED, NULL,
			 _("the push adds or changes feedback/ on %s; feedback items live only on their own ref (feedback.ref), where the server checks each one; remove feedback/ from this branch"),
			 x->ref);
	return rc < 0 ? -1 : 0;
}

static int refuse(rcv_ref *x, dc_rule_id rule, const char *hint, const char *fmt, const char *arg)
{
	if (rcv_hint(x, "%s", hint) < 0)
		return -1;
	return ADD(x, "", 0, 0, rule, NULL, fmt, x->ref, arg) < 0 ? -1 : 1;
}

static const rcv_side_merge fb_merge = {
	DC_R_FEEDBACK_REWRITE,
	N_("commit %s on %s is a merge; feedback is added in a line of single commits: docctl feedback fetches, commits on top and retries"),
};

int rcv_feedback_ref(rcv_ref *x)
{
	dc_receive *r = x->r;
	const dc_policy *pol = rcv_side_policy(r);
	fb_push a;
	git_object_t type;
	int rc;

	if (strcmp(x->ref, pol ? pol->feedback_ref : DC_FEEDBACK_REF))
		return 0;
	/* the audit trail (post-receive) records who pushed them too */
	if (pol && rcv_pusher(x, pol) < 0)
		return -1;
	if (x->audit)
		return 1;
	if (!pol)
		return refuse(x, DC_R_INTERNAL_ERROR, _("push the protected branch with its policy first; feedback is judged by it"),
			      _("%s holds feedback items, judged by the trusted policy, and none is in force (fail closed)%s"), "");
	if (!x->has_new)
		return refuse(x, DC_R_FEEDBACK_REWRITE, _("feedback is kept for good; the ref cannot be deleted"),
			      _("%s holds feedback items and cannot be deleted%s"), "");
	memset(&a, 0, sizeof(a));
	a.s.x = x;
	a.s.pol = pol;
	rc = rcv_side_begin(x, pol, SIGNERS_MAX, &type);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return refuse(x, DC_R_FEEDBACK_REWRITE, _("push a commit to the feedback ref"), _("%s must point at a commit, not a %s"),
			      rcv_type_name(type));
	if (rc == 2)
		return refuse(x, DC_R_FEEDBACK_REWRITE,
			      _("fetch the feedback ref and commit on top of it (docctl feedback does); never push it with --force"),
			      _("%s does not descend from what it held%s: feedback is never rewound or rewritten"), "");
	rc = rcv_side_judge(&a.s, _("cannot walk the feedback"), &fb_merge, judge_file, &a);
	if (rc == 0 && !a.s.refused && a.nitems)
		rc = find_docs(&a);
	if (rc == 0 && !a.s.refused && a.nitems)
		rc = vouch_all(&a);
	if (rc == 0 && x->diags->n > x->first_diag)
		rc = rcv_hint(x, "%s", _("file and decide feedback with docctl feedback new|decide --sign --push"));
	fb_push_dispose(&a);
	return rc < 0 ? -1 : 1;
}
