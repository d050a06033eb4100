/*
 * receive_ack.c - the server's rules for the confirmations of reading
 * (reference §10.1), in the same hooks and through the same trusted policy
 * as the documents: the ref named by the trusted policy's training.ref
 * (refs/heads/docctl/acks by default) is judged here instead of as a
 * branch of documents.
 *
 * On that ref: never deleted nor rewound (ack.rewrite), one parent per
 * commit; each new commit, against its parent, only appends whole lines to
 * files acks/<person>.txt (ack.not-append); every added line parses
 * (ack.format, ack.h) and is vouched for by the commit's signature, or by
 * the pusher, of the person it names, or for a `training:` line of a
 * trainer naming a training record the protected branch holds
 * (ack.not-self); its revision is in force or pending on the protected
 * branch (ack.not-in-force), and its person one of the document's readers
 * (ack.not-reader). The protected branch is the trusted ref before the
 * push, never a pushed commit.
 *
 * Only the blobs a commit changed are read, and only the documents the
 * added lines name: the cost grows with the pushed lines, not with the
 * size of the confirmations ref. On a protected ref, a change under acks/
 * is refused (ack.misplaced): confirmations live only on their own ref.
 */
#include "receive_int.h"

#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "error.h"
#include "history.h"
#include "i18n.h"

#define ADD(x, file, line, col, rule, id, ...) dc_diags_add((x)->diags, file, line, col, rule, id, __VA_ARGS__)
#define SIGNERS_MAX ((size_t)1024 * 1024)
#define ACK_BLOB_MAX ((size_t)64 * 1024 * 1024)

/* One added line, copied out of its blob (the strings in ack_push.strings). */
typedef struct {
	size_t commit;            /* index in the walk */
	char *file;               /* "acks/li.wei.txt" */
	size_t line;              /* its line number in the new file */
	char *person, *id, *revision, *recorded_by, *record; /* record NULL for `read` */
	dc_date date;
} ack_line;

/* A document the lines name, as the protected branch holds it (the
 * strings in the ids' arena). */
typedef struct {
	char *path;
	const dc_type *type;
	char *revisions[2];       /* in force and/or pending; NULL when none */
	char **readers;           /* the document's own, else NULL (then its type's) */
	size_t nreaders;
	int own_readers;
} ack_doc;

typedef struct {
	rcv_side_push s;
	ack_line *lines;
	size_t nlines, cap;
	dc_arena strings;         /* the lines' */
} ack_push;

static void ack_push_dispose(ack_push *a)
{
	free(a->lines);
	dc_arena_dispose(&a->strings);
	rcv_side_push_dispose(&a->s);
}

/* --- the walk: only whole lines appended to acks/<person>.txt --- */

typedef struct {
	ack_push *a;
	size_t commit;
	const char *file;
	const char *person;
	size_t first_line;        /* line number of the first added line, less one */
	int bad;
} added_ctx;

static char *keep_span(ack_push *a, dc_span s)
{
	return dc_arena_strndup(&a->strings, s.p, s.len);
}

static int take_line(void *arg, const dc_ack *l, size_t line)
{
	added_ctx *c = arg;
	ack_push *a = c->a;
	ack_line *o;

	if (!dc_span_is(l->person, c->person)) {
		char *who = dc_span_dup(l->person);
		int rc;

		if (!who)
			return dc_error_oom();
		rc = ADD(a->s.x, c->file, (unsigned)(c->first_line + line), 1, DC_R_ACK_NOT_SELF, NULL,
			 _("the line names %s, but %s holds only %s's confirmations; confirm for yourself with docctl ack ID --sign"),
			 who, c->file, c->person);
		free(who);
		c->bad = 1;
		return rc < 0 ? -1 : 0;
	}
	if (DC_ARRAY_GROW(a->lines, a->cap, a->nlines + 1) < 0)
		return -1;
	o = &a->lines[a->nlines];
	memset(o, 0, sizeof(*o));
	o->commit = c->commit;
	o->line = c->first_line + line;
	{
		char day[11];

		memcpy(day, l->date.p, 10); /* parsed: YYYY-MM-DD */
		day[10] = '\0';
		dc_date_parse(&o->date, day);
	}
	if (!(o->file = dc_arena_strdup(&a->strings, c->file)) || !(o->person = keep_span(a, l->person)) ||
	    !(o->id = keep_span(a, l->id)) || !(o->revision = keep_span(a, l->revision)) ||
	    !(o->recorded_by = keep_span(a, l->recorded_by)) || (l->record.len && !(o->record = keep_span(a, l->record))))
		return -1;
	a->nlines++;
	return 0;
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* The person of a path acks/<person>.txt, or NULL (malloc'd). */
static char *person_of(const char *path)
{
	size_t len = strlen(path);

	if (strncmp(path, "acks/", 5) || len <= 9 || strcmp(path + len - 4, ".txt") || strchr(path + 5, '/'))
		return NULL;
	return strndup(path + 5, len - 9);
}

static int read_blob(git_blob **out, git_repository *repo, const git_oid *id)
{
	return rcv_side_blob(out, repo, id, ACK_BLOB_MAX, _("cannot read a confirmations file"),
			     _("a confirmations file is larger than 64 MiB"));
}

/* rcv_side_judge's callback: one file of pushed commit ci. */
static int judge_file(void *arg, size_t ci, git_tree *tree, const git_diff_delta *d)
{
	ack_push *a = arg;
	rcv_ref *x = a->s.x;
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
	git_blob *oldb = NULL, *newb = NULL;
	const char *od = "", *nd;
	size_t ol = 0, nl, i, line;
	char *person = person_of(path);
	added_ctx c;
	dc_ack_error err;
	int rc = 0;

	(void)tree; /* the blobs are read by id */
	if (!person || (d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_MODIFIED) ||
	    d->new_file.mode != GIT_FILEMODE_BLOB) {
		a->s.refused = 1;
		rc = ADD(x, path, 0, 0, DC_R_ACK_NOT_APPEND, NULL,
			 d->status == GIT_DELTA_DELETED
				 ? _("the push deletes %s; confirmations are never removed from %s")
			 : person ? _("the push makes %s something other than a regular file; %s holds only files acks/<person>.txt")
				  : _("the push adds or changes %s; %s holds only files acks/<person>.txt, one confirmation per line"),
			 path, x->ref);
		goto cleanup;
	}
	if (d->status == GIT_DELTA_MODIFIED) {
		if ((rc = read_blob(&oldb, x->r->repo, &d->old_file.id)) < 0)
			goto cleanup;
		od = git_blob_rawcontent(oldb);
		ol = (size_t)git_blob_rawsize(oldb);
	}
	if ((rc = read_blob(&newb, x->r->repo, &d->new_file.id)) < 0)
		goto cleanup;
	nd = git_blob_rawcontent(newb);
	nl = (size_t)git_blob_rawsize(newb);
	if (ol > nl || memcmp(od, nd, ol) || (ol && od[ol - 1] != '\n')) {
		for (i = 0, line = 1; i < ol && i < nl && od[i] == nd[i]; i++)
			line += od[i] == '\n';
		a->s.refused = 1;
		rc = ADD(x, path, (unsigned)line, 1, DC_R_ACK_NOT_APPEND, NULL,
			 _("the push changes or removes line %zu of %s; confirmations are only ever appended: restore the line and add a new one instead"),
			 line, path);
		goto cleanup;
	}
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.commit = ci;
	c.file = path;
	c.person = person;
	c.first_line = count_lines(od, ol);
	memset(&err, 0, sizeof(err));
	rc = dc_ack_each(nd + ol, nl - ol, take_line, &c, &err);
	if (rc == 1) {
		a->s.refused = 1;
		rc = ADD(x, path, (unsigned)(c.first_line + err.line), (unsigned)err.col, DC_R_ACK_FORMAT, NULL,
			 _("%s; a confirmation is one line of six TAB-separated fields: person, id, revision, date (YYYY-MM-DD), method (read or training:RECORD-ID), recorded_by; write it with docctl ack"),
			 _(err.why));
	}
	if (c.bad)
		a->s.refused = 1;
cleanup:
	git_blob_free(oldb);
	git_blob_free(newb);
	free(person);
	return rc < 0 ? -1 : 0;
}

/* --- the documents the lines name, on the protected branch --- */

/* rcv_side_docs' load: what the lines need of document `want`. 0, or -1. */
static int load_doc(void *arg, void *out, const char *want, const dc_doc *doc, const char *path)
{
	ack_push *a = arg;
	ack_doc *d = out;
	rcv_ref *x = a->s.x;
	dc_arena *keep = &a->s.ids.arena;
	const char *status, *revision, *eff;
	const dc_node *readers;
	int rc = 0;

	if (!(d->path = dc_arena_strdup(keep, path)))
		return -1;
	d->type = rcv_side_doc_type(a->s.pol, doc, want);
	if ((readers = dc_node_get(doc->root, "readers")) && readers->kind == DC_NODE_SEQ) {
		size_t r;

		d->own_readers = 1;
		if (!(d->readers = dc_arena_alloc(keep, (readers->u.seq.n + 1) * sizeof(char *))))
			return -1;
		for (r = 0; r < readers->u.seq.n; r++) {
			const dc_node *e = readers->u.seq.items[r];

			if (e->kind == DC_NODE_STR && e->text && !(d->readers[d->nreaders++] = dc_arena_strdup(keep, e->text)))
				return -1;
		}
	}
	status = dc_doc_str(doc, "status");
	revision = dc_doc_str(doc, "revision");
	if (!status || strcmp(status, "approved") || !revision)
		return 0; /* obsolete, or nothing in force */
	if (!(d->revisions[0] = dc_arena_strdup(keep, revision)))
		return -1;
	eff = dc_doc_str(doc, "effective");
	if (!eff)
		eff = dc_doc_str(doc, "approved_on");
	{
		dc_date e;

		if (eff && dc_date_parse(&e, eff) == 0 && dc_date_cmp(&e, &x->r->opts.today) > 0) {
			/* pending: the revision in force before it counts too */
			dc_history h;
			const dc_event *ev;

			dc_history_init(&h);
			if (dc_history_build(&h, x->r->repo, git_commit_id(x->r->trust.commit), "", a->s.pol, want, path) < 0) {
				rc = -1;
			} else {
				ev = dc_history_in_force(&h, &x->r->opts.today);
				if (ev && ev->version->revision && ev->version->status &&
				    !strcmp(ev->version->status, "approved") &&
				    !(d->revisions[1] = dc_arena_strdup(keep, ev->version->revision)))
					rc = -1;
			}
			dc_history_dispose(&h);
		}
	}
	return rc;
}

static int find_docs(ack_push *a)
{
	size_t i;

	if (rcv_side_docs_init(&a->s.ids, a->nlines * 2, sizeof(ack_doc), load_doc, a) < 0)
		return -1;
	for (i = 0; i < a->nlines; i++)
		if (rcv_side_docs_add(&a->s.ids, a->lines[i].id) < 0 || rcv_side_docs_add(&a->s.ids, a->lines[i].record) < 0)
			return -1;
	return rcv_side_find_docs(&a->s);
}

static const ack_doc *doc_named(const ack_push *a, const char *id)
{
	return rcv_side_docs_found(&a->s.ids, id);
}

/* --- who vouches --- */

/* Whether commit `ci` is vouched for by `who`: the pusher is who (when the
 * policy accepts the pusher), or its signature is who's. */
static int vouched(ack_push *a, size_t ci, const char *who, int *out)
{
	return rcv_side_vouched(&a->s, ci, dc_policy_person(a->s.pol, who), out);
}

/* The voucher a line needs: its person for `read`, its recorder for a
 * training line (when the recorder is a trainer). */
static const char *voucher(const ack_push *a, const ack_line *l)
{
	if (!l->record)
		return l->person;
	return dc_policy_is_trainer(a->s.pol, l->recorded_by) || !strcmp(l->recorded_by, l->person) ? l->recorded_by
													: NULL;
}

static int judge_line(ack_push *a, const ack_line *l)
{
	rcv_ref *x = a->s.x;
	const ack_doc *d = doc_named(a, l->id);
	const char *who = voucher(a, l);
	int ok;

	{
		/* a day of slack for the time zones between the reader and the server */
		static const dc_duration one_day = { 0, 0, 0, 1 };
		dc_date latest = dc_date_add(&x->r->opts.today, &one_day);

		if (dc_date_cmp(&l->date, &latest) > 0) {
			char day[11];

			dc_date_format(&l->date, day);
			return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_FORMAT, l->id,
				   _("the confirmation is dated %s, after today on the server; date it the day it was made (docctl ack does)"),
				   day);
		}
	}
	if (!l->record && strcmp(l->recorded_by, l->person))
		return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_SELF, l->id,
			   _("%s's confirmation of %s says it was recorded by %s; a confirmation by reading is recorded by the reader: docctl ack %s --sign"),
			   l->person, l->id, l->recorded_by, l->id);
	if (!who)
		return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_SELF, l->id,
			   _("%s records a training of %s on %s but holds no role of training.trainers; ask a trainer to record it: docctl ack --training RECORD-ID --for %s %s"),
			   l->recorded_by, l->person, l->id, l->person, l->id);
	if (l->record && !doc_named(a, l->record))
		return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_SELF, l->id,
			   _("training record %s is not on the protected branch; file the record first, then record its attendees"),
			   l->record);
	if (vouched(a, l->commit, who, &ok) < 0)
		return -1;
	if (!ok)
		return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_SELF, l->id,
			   _("%s's confirmation of %s revision %s is not vouched for by %s: the commit carries no valid signature of theirs%s; sign it: docctl ack %s --sign"),
			   l->person, l->id, l->revision, who,
			   a->s.pol->identity_pusher ? _(" and they are not the pusher") : "", l->id);
	if (!d || (!d->revisions[0] && !d->revisions[1]) ||
	    ((!d->revisions[0] || strcmp(d->revisions[0], l->revision)) &&
	     (!d->revisions[1] || strcmp(d->revisions[1], l->revision)))) {
		if (!d)
			return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_IN_FORCE, l->id,
				   _("%s is not a document of the protected branch; confirm only documents in force (docctl training --person %s)"),
				   l->id, l->person);
		return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_IN_FORCE, l->id,
			   _("%s revision %s is neither in force nor pending on the protected branch (%s%s%s); confirm the revision in force: docctl ack %s"),
			   l->id, l->revision, d->revisions[0] ? d->revisions[0] : _("nothing in force"),
			   d->revisions[1] ? ", " : "", d->revisions[1] ? d->revisions[1] : "", l->id);
	}
	{
		const char *const *readers = d->own_readers ? (const char *const *)d->readers
							    : d->type ? d->type->readers : NULL;
		size_t n = d->own_readers ? d->nreaders : d->type ? d->type->nreaders : 0;

		if (!dc_policy_is_reader(a->s.pol, l->person, readers, n))
			return ADD(x, l->file, (unsigned)l->line, 1, DC_R_ACK_NOT_READER, l->id,
				   _("%s is not a reader of %s (its readers: the document's readers, else its type's); only readers confirm it"),
				   l->person, l->id);
	}
	return 0;
}

static int vouch_all(ack_push *a)
{
	size_t i;
	int ok, rc = 0;

	/* learn every signature needed, verify them on every core, then decide */
	a->s.x->collect = 1;
	for (i = 0; i < a->nlines && rc == 0; i++) {
		const char *who = voucher(a, &a->lines[i]);

		if (who)
			rc = vouched(a, a->lines[i].commit, who, &ok);
	}
	a->s.x->collect = 0;
	if (rc < 0 || rcv_verify_pending(a->s.x) < 0)
		return -1;
	for (i = 0; i < a->nlines; i++)
		if (judge_line(a, &a->lines[i]) < 0)
			return -1;
	return 0;
}

/* --- the entry points --- */

static int is_ack_ref(const dc_receive *r, const char *ref)
{
	const dc_policy *p = rcv_side_policy(r);

	return !strcmp(ref, p ? p->training.ref : "refs/heads/docctl/acks");
}

static const rcv_side_merge ack_merge = {
	DC_R_ACK_REWRITE,
	N_("commit %s on %s is a merge; confirmations are appended in a line of single commits: docctl ack fetches, appends and retries"),
};

int rcv_ack_ref(rcv_ref *x)
{
	dc_receive *r = x->r;
	ack_push a;
	git_object_t type;
	int rc;

	if (!is_ack_ref(r, x->ref))
		return 0;
	/* the audit trail (post-receive) records who pushed them too */
	if (rcv_side_policy(r) && rcv_pusher(x, rcv_side_policy(r)) < 0)
		return -1;
	if (x->audit)
		return 1;
	if (!rcv_side_policy(r)) {
		if (rcv_hint(x, "%s", _("push the protected branch with its policy first; confirmations are judged by it")) < 0)
			return -1;
		return ADD(x, "", 0, 0, DC_R_INTERNAL_ERROR, NULL,
			   _("%s holds confirmations of reading, judged by the trusted policy, and none is in force (fail closed)"),
			   x->ref) < 0 ? -1 : 1;
	}
	if (!x->has_new) {
		if (rcv_hint(x, "%s", _("confirmations are kept for good; the ref cannot be deleted")) < 0)
			return -1;
		return ADD(x, "", 0, 0, DC_R_ACK_REWRITE, NULL, _("%s holds confirmations of reading and cannot be deleted"),
			   x->ref) < 0 ? -1 : 1;
	}
	memset(&a, 0, sizeof(a));
	a.s.x = x;
	a.s.pol = rcv_side_policy(r);
	rc = rcv_side_begin(x, a.s.pol, SIGNERS_MAX, &type);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (rcv_hint(x, _("push a commit to %s"), x->ref) < 0)
			return -1;
		return ADD(x, "", 0, 0, DC_R_ACK_REWRITE, NULL, _("%s points at a %s, not a commit"), x->ref,
			   rcv_type_name(type)) < 0 ? -1 : 1;
	}
	if (rc == 2) {
		if (rcv_hint(x, _("fetch %s and add your confirmations on top of it (docctl ack does); never push it with --force"), x->ref) < 0)
			return -1;
		return ADD(x, "", 0, 0, DC_R_ACK_REWRITE, NULL,
			   _("%s does not descend from what %s held: confirmations are never rewound or rewritten"),
			   x->ref, x->ref) < 0 ? -1 : 1;
	}
	rc = rcv_side_judge(&a.s, _("cannot walk the confirmations"), &ack_merge, judge_file, &a);
	if (rc == 0 && !a.s.refused && a.nlines)
		rc = find_docs(&a);
	if (rc == 0 && !a.s.refused && a.nlines)
		rc = vouch_all(&a);
	if (rc == 0 && x->diags->n > x->first_diag)
		rc = rcv_hint(x, "%s", _("append only your own confirmations of revisions in force, signed: docctl ack ID --sign --push"));
	ack_push_dispose(&a);
	return rc < 0 ? -1 : 1;
}

int rcv_ack_misplaced(rcv_ref *x, git_tree *base)
{
	git_tree_entry *ne = NULL, *oe = NULL;
	int rc = 0;

	if (!x->new_tree || git_tree_entry_bypath(&ne, x->new_tree, "acks") != 0)
		return 0;
	if (base && git_tree_entry_bypath(&oe, base, "acks") == 0 && git_oid_equal(git_tree_entry_id(oe), git_tree_entry_id(ne)))
		goto cleanup;
	rc = rcv_hint(x, "%s", _("confirmations of reading go to their own ref: docctl ack ID --sign --push"));
	if (rc == 0)
		rc = ADD(x, "acks", 0, 0, DC_R_ACK_MISPLACED, NULL,
			 _("the push adds or changes acks/ on %s; confirmations of reading live only on their own ref (training.ref), where the server checks each line; remove acks/ from this branch"),
			 x->ref);
cleanup:
	git_tree_entry_free(ne);
	git_tree_entry_free(oe);
	return rc < 0 ? -1 : 0;
}
