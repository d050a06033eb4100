/*
 * precommit.c - the client hooks' decisions (see precommit.h).
 */
#include "precommit.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_tree.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "project.h"
#include "snapshot.h"
#include "staged.h"
#include "stale.h"
#include "source.h"
#include "transition.h"

/* signoff.same-person (reference §9.1): the committer checks a content
 * change they make. */
static int check_self_checker(const dc_change *c, const dc_person *me, dc_diags *diags)
{
	const dc_node *v = dc_node_get(c->new_doc.root, "checked_by");

	if (!v || v->kind != DC_NODE_STR || strcmp(v->text, me->key))
		return 0;
	return dc_diags_add(diags, c->new_doc.path, v->start.line, v->start.col, DC_R_SIGNOFF_SAME_PERSON, c->id,
			    _("%s changes the content of %s and names themself in checked_by; the author, the checker and the approver must be three people: ask another checker"),
			    me->key, c->id ? c->id : c->new_doc.path);
}

/* approval.self: the committer vouches for a content change they make. */
static int check_self(const dc_change *c, const dc_policy *pol, const char *email, dc_diags *diags)
{
	const dc_person *me = email ? dc_policy_person_by_email(pol, email) : NULL;
	const char *status;
	size_t i;

	if (!me || !c->has_new || !c->new_doc.root || !c->content_changed)
		return 0;
	status = dc_doc_str(&c->new_doc, "status");
	for (i = 0; i < dc_fields_count; i++) {
		const dc_node *v = dc_fields[i].kind == DC_FK_APPROVER ? dc_node_get(c->new_doc.root, dc_fields[i].name) : NULL;

		if (!v || v->kind != DC_NODE_STR || strcmp(v->text, me->key))
			continue;
		if (dc_fields[i].group == DC_FG_APPROVAL && (!status || dc_status_parse(status) != DC_STATUS_APPROVED))
			continue;
		if (dc_diags_add(diags, c->new_doc.path, v->start.line, v->start.col, DC_R_APPROVAL_SELF, c->id,
				 _("%s changes the content of %s and names themself in %s; four eyes: ask another approver to approve it"),
				 me->key, c->id ? c->id : c->new_doc.path, dc_fields[i].name) < 0)
			return -1;
	}
	return check_self_checker(c, me, diags);
}

/*
 * The checks of the staged state: with the snapshot of HEAD only the
 * changed documents, else every one. Returns 0, 1 when this needs the
 * whole index and `st` was opened the quick way, -1 on failure.
 */
static int check_staged(dc_staged *st, const dc_precommit_opts *o, dc_diags *diags)
{
	dc_docset set;
	dc_check_opts co;
	dc_transition_opts to;
	dc_snapshot *snap = NULL;
	dc_changes ch;
	dc_strlist keys;
	dc_strmap related;
	git_oid head;
	size_t i;
	int rc = 0, policy_changed = dc_staged_policy_changed(st);

	/* the shape of the tree under the roots (reference §6.1 item 3b): from
	 * what changed, or (1) the whole index when a .gitattributes changed */
	if (!st->whole)
		rc = dc_shape_check_changes(st->proj, st->files, st->nfiles, diags);
	else if (!st->delta.n && !policy_changed)
		rc = dc_shape_check_source(st->proj, NULL, diags);
	if (rc != 0)
		return rc;
	if (!st->delta.n && !policy_changed)
		return 0; /* nothing controlled changed */
	dc_docset_init(&set);
	dc_strlist_init(&keys);
	dc_strmap_init(&related);
	memset(&ch, 0, sizeof(ch));
	memset(&co, 0, sizeof(co));
	co.today = o->today;
	if (st->head && git_reference_name_to_id(&head, st->repo, "HEAD") == 0) {
		co.history_repo = st->repo;
		co.history_tip = &head;
		co.history_prefix = "";
	}
	if (!policy_changed &&
	    ((rc = dc_changes_init(&ch, &st->delta, &co)) < 0 ||
	     (st->head && (rc = dc_snapshot_for(&snap, &ch.paths, st->proj, st->head, "")) < 0)))
		goto cleanup;
	if (!snap && !st->whole) {
		rc = 1; /* every document, or no snapshot: the whole index */
		goto cleanup;
	}
	for (i = 0; !policy_changed && i < st->delta.n && rc == 0; i++)
		rc = dc_change_cited_keys(&st->delta.items[i], &keys);
	if (rc < 0)
		goto cleanup;
	if (snap) { /* the staged changes, on top of what HEAD holds */
		rc = dc_check_partial(st->proj, &co, snap, ch.paths.v, ch.paths.n, keys.v, keys.n, &set, diags);
	} else if (!keys.n) {
		co.skip_shape = 1;
		rc = dc_check_all(st->proj, &co, &set, diags);
	} else { /* and the documents citing what changed */
		co.skip_repository = 1;
		co.skip_shape = 1;
		if ((rc = dc_check_all(st->proj, &co, &set, diags)) == 0 &&
		    (rc = dc_docset_citing(&set, &co, keys.v, keys.n, &related)) == 0) {
			co.related = &related;
			rc = dc_check_repository(st->proj, &set, &co, diags);
		}
	}
	/* the whole index: its shape, whatever paths co.only names */
	if (rc == 0 && st->whole)
		rc = snap ? dc_shape_check_source(st->proj, NULL, diags) : dc_shape_check_listed(st->proj, NULL, diags);
	if (rc < 0)
		goto cleanup;
	to.policy = st->proj->policy;
	to.today = o->today;
	for (i = 0; i < st->delta.n && rc == 0; i++) {
		const dc_change *c = &st->delta.items[i];

		rc = dc_transition_check(c, &to, diags);
		if (rc == 0)
			rc = check_self(c, st->proj->policy, o->committer_email, diags);
		if (rc == 0 && c->has_old && c->has_new)
			rc = dc_stale_check(&c->old_doc, &c->new_doc, diags);
	}
cleanup:
	dc_docset_dispose(&set);
	dc_snapshot_free(snap);
	dc_changes_dispose(&ch);
	dc_strlist_dispose(&keys);
	dc_strmap_dispose(&related);
	return rc;
}

int dc_precommit_check(git_repository *repo, const dc_precommit_opts *o, dc_diags *diags)
{
	dc_staged st;
	dc_diags found;
	int whole, rc = 1;

	for (whole = 0; whole < 2 && rc == 1; whole++) {
		dc_diags_init(&found);
		rc = dc_staged_open(&st, repo, whole, &found);
		if (rc == 1) {
			rc = dc_diags_take(diags, &found); /* the policy is broken */
		} else if (rc == 0) {
			rc = check_staged(&st, o, &found);
			if (rc == 0)
				rc = dc_diags_take(diags, &found);
		}
		dc_diags_dispose(&found);
		dc_staged_close(&st);
	}
	return rc;
}

int dc_precommit_trailers(git_repository *repo, dc_buf *out)
{
	dc_staged st;
	dc_diags ignored;
	size_t i;
	int rc;

	dc_diags_init(&ignored);
	rc = dc_staged_open(&st, repo, 0, &ignored);
	if (rc != 0) {
		rc = rc < 0 ? -1 : 0; /* no usable policy: no trailers */
		goto cleanup;
	}
	for (i = 0; i < st.delta.n; i++) {
		const dc_change *c = &st.delta.items[i];
		const dc_doc *d = c->has_new ? &c->new_doc : &c->old_doc;
		const dc_node *rev = dc_node_get(d->root, "revision");
		const char *status = c->has_new ? dc_doc_str(d, "status") : "deleted";

		if (!c->id)
			continue;
		dc_buf_printf(out, "Document: %s %s %s\n", c->id, rev && rev->text ? rev->text : "-",
			      status ? status : "-");
	}
cleanup:
	dc_diags_dispose(&ignored);
	dc_staged_close(&st);
	return rc;
}

/* A trailer line: "Token: value" with a token of letters, digits and '-'. */
static int is_trailer(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && ((line[i] >= 'A' && line[i] <= 'Z') || (line[i] >= 'a' && line[i] <= 'z') ||
			   (line[i] >= '0' && line[i] <= '9') || line[i] == '-'))
		i++;
	return i > 0 && i + 1 < len && line[i] == ':' && line[i + 1] == ' ';
}

/* The length of "Token: subject " at the start of a trailer line (what the
 * trailer is about: "Document: SP-005 "), or 0 when there is no subject. */
static size_t trailer_key(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len), *sp;

	if (!colon || (size_t)(colon - line) + 2 >= len || colon[1] != ' ')
		return 0;
	sp = memchr(colon + 2, ' ', len - (size_t)(colon + 2 - line));
	return sp ? (size_t)(sp - line) + 1 : 0;
}

/* The trailer of `trailers` (one a line) with the same key as the message
 * line, or NULL; its length in *tlen. */
static const char *same_key(const char *trailers, const char *line, size_t len, size_t *tlen)
{
	size_t k = is_trailer(line, len) ? trailer_key(line, len) : 0;
	const char *t;

	for (t = trailers; k && *t;) {
		const char *nl = strchr(t, '\n');

		*tlen = nl ? (size_t)(nl - t) : strlen(t);
		if (*tlen >= k && trailer_key(t, *tlen) == k && !memcmp(t, line, k))
			return t;
		t = nl ? nl + 1 : t + *tlen;
	}
	return NULL;
}

/*
 * Besides what precommit.h says: a line of the message with the same token
 * and subject as a new trailer ("Document: SP-005 A/1 draft" when the new
 * one is "Document: SP-005 A/1 in-review": an amend that changed the
 * revision or status) is replaced by it, so each document keeps one trailer.
 */
int dc_message_add_trailers(dc_buf *msg, const char *trailers, char comment_char)
{
	dc_buf out = DC_BUF_INIT, line = DC_BUF_INIT, seen = DC_BUF_INIT;
	const char *p = msg->ptr, *end = msg->ptr + msg->len, *t;
	size_t content_end = 0;      /* just after the last line of text */
	int first_para = 1;          /* the last paragraph is the subject */
	int para_trailers = 0;       /* the last paragraph is all trailers */
	int in_para = 0;
	int rc = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t k;
		int blank = 1;

		for (k = 0; k < len; k++)
			if (p[k] != ' ' && p[k] != '\t' && p[k] != '\r')
				blank = 0;
		if (!blank && p[0] != comment_char) {
			if (!in_para) {
				if (content_end)
					first_para = 0;
				in_para = 1;
				para_trailers = 1;
			}
			para_trailers &= is_trailer(p, len);
			content_end = (size_t)(p - msg->ptr) + len;
		} else if (blank) {
			in_para = 0;
		}
		p = nl ? nl + 1 : end;
	}
	if (!content_end)
		return 0; /* an empty message stays empty: git aborts the commit */
	/* the text, each line with a new trailer's key replaced by it (once) */
	for (p = msg->ptr; p < msg->ptr + content_end;) {
		const char *nl = memchr(p, '\n', content_end - (size_t)(p - msg->ptr));
		size_t len = nl ? (size_t)(nl - p) : content_end - (size_t)(p - msg->ptr), tlen = 0;
		const char *repl = p[0] != comment_char ? same_key(trailers, p, len, &tlen) : NULL;

		if (!repl) {
			dc_buf_put(&out, p, len);
		} else if (!memmem(seen.ptr, seen.len, repl, tlen)) {
			dc_buf_put(&out, repl, tlen);
			dc_buf_put(&seen, repl, tlen);
			dc_buf_putc(&seen, '\n');
		} else {
			p = nl ? nl + 1 : p + len; /* a second line for the same subject */
			continue;
		}
		if (nl)
			dc_buf_putc(&out, '\n');
		p = nl ? nl + 1 : p + len;
	}
	while (out.len && out.ptr[out.len - 1] == '\n')
		dc_buf_truncate(&out, out.len - 1); /* a dropped last line leaves its newline */
	for (t = trailers; *t;) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);

		if (len && !memmem(out.ptr, out.len, t, len)) {
			dc_buf_put(&line, t, len);
			dc_buf_putc(&line, '\n');
		}
		t = nl ? nl + 1 : t + len;
	}
	if (!line.len && out.len == content_end && !memcmp(out.ptr, msg->ptr, content_end))
		goto done; /* every trailer is there already (an amend) */
	if (line.len) {
		dc_buf_puts(&out, para_trailers && !first_para ? "\n" : "\n\n");
		dc_buf_put(&out, line.ptr, line.len);
		if (content_end < msg->len && msg->ptr[content_end] == '\n')
			content_end++;
	}
	/* the rest (git's comments), as it was */
	dc_buf_put(&out, msg->ptr + content_end, msg->len - content_end);
	if (dc_buf_grow(&out, 0) < 0) {
		rc = -1;
	} else {
		dc_buf_dispose(msg);
		*msg = out;
		dc_buf_init(&out);
	}
done:
	dc_buf_dispose(&out);
	dc_buf_dispose(&line);
	dc_buf_dispose(&seen);
	return rc;
}
