/*
 * precommit.c - the client hooks' decisions (see precommit.h).
 */
#include "precommit.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "error.h"
#include "project.h"
#include "source.h"
#include "transition.h"

static int head_tree(git_tree **out, git_repository *repo)
{
	git_object *obj = NULL;
	int rc;

	*out = NULL;
	rc = git_revparse_single(&obj, repo, "HEAD^{tree}");
	if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		return 0; /* the first commit */
	if (rc < 0)
		return dc_error_set_git("cannot read HEAD");
	*out = (git_tree *)obj;
	return 0;
}

/* approval.self: the committer vouches for a content change they make. */
static int check_self(const dc_change *c, const dc_policy *pol, const char *email, dc_diags *diags)
{
	static const char *const fields[] = { "approved_by", "reviewed_by", "obsoleted_by" };
	const dc_person *me = email ? dc_policy_person_by_email(pol, email) : NULL;
	const char *status;
	size_t i;

	if (!me || !c->has_new || !c->new_doc.root || !c->content_changed)
		return 0;
	status = dc_doc_str(&c->new_doc, "status");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const dc_node *v = dc_node_get(c->new_doc.root, fields[i]);

		if (!v || v->kind != DC_NODE_STR || strcmp(v->text, me->key))
			continue;
		if (i == 0 && (!status || strcmp(status, "approved")))
			continue;
		if (dc_diags_add(diags, c->new_doc.path, v->start.line, v->start.col, "approval.self", c->id,
				 "%s changes the content of %s and names themself in %s; four eyes: ask another approver to approve it",
				 me->key, c->id ? c->id : c->new_doc.path, fields[i]) < 0)
			return -1;
	}
	return 0;
}

int dc_precommit_check(git_repository *repo, git_index *index, const dc_precommit_opts *o, dc_diags *diags)
{
	dc_source *src = NULL;
	dc_project *proj = NULL;
	git_tree *head = NULL;
	dc_delta delta;
	dc_docset set;
	dc_check_opts co;
	dc_transition_opts to;
	const char **only = NULL;
	size_t i, nonly = 0;
	int rc, policy_changed = 0;

	dc_delta_init(&delta);
	dc_docset_init(&set);
	if ((rc = dc_source_open_index(&src, repo, index, "")) < 0)
		goto cleanup;
	rc = dc_project_open(&proj, src, diags);
	if (rc != 0) {
		rc = rc < 0 ? -1 : 0;
		goto cleanup;
	}
	if ((rc = head_tree(&head, repo)) < 0 ||
	    (rc = dc_delta_compute(&delta, repo, proj->policy, "", head, index, NULL)) < 0)
		goto cleanup;
	for (i = 0; i < delta.nother; i++)
		if (!strcmp(delta.other_paths[i], DC_POLICY_FILE) || !strncmp(delta.other_paths[i], "schema/", 7))
			policy_changed = 1;
	if (!delta.n && !policy_changed)
		goto cleanup; /* nothing controlled changed */
	memset(&co, 0, sizeof(co));
	co.today = o->today;
	if (!policy_changed) {
		if (!(only = calloc(delta.n, sizeof(*only)))) {
			rc = dc_error_set("out of memory");
			goto cleanup;
		}
		for (i = 0; i < delta.n; i++)
			if (delta.items[i].has_new)
				only[nonly++] = delta.items[i].new_doc.path;
		co.only = only; /* deletions only: no per-document findings */
		co.nonly = nonly;
	}
	if ((rc = dc_check_all(proj, &co, &set, diags)) < 0)
		goto cleanup;
	to.policy = proj->policy;
	to.today = o->today;
	for (i = 0; i < delta.n && rc == 0; i++) {
		rc = dc_transition_check(&delta.items[i], &to, diags);
		if (rc == 0)
			rc = check_self(&delta.items[i], proj->policy, o->committer_email, diags);
	}
cleanup:
	free(only);
	dc_docset_dispose(&set);
	dc_delta_dispose(&delta);
	git_tree_free(head);
	dc_project_free(proj);
	dc_source_free(src);
	return rc;
}

int dc_precommit_trailers(git_repository *repo, git_index *index, dc_buf *out)
{
	dc_source *src = NULL;
	dc_project *proj = NULL;
	git_tree *head = NULL;
	dc_delta delta;
	dc_diags ignored;
	size_t i;
	int rc;

	dc_delta_init(&delta);
	dc_diags_init(&ignored);
	if ((rc = dc_source_open_index(&src, repo, index, "")) < 0)
		goto cleanup;
	rc = dc_project_open(&proj, src, &ignored);
	if (rc != 0) {
		rc = rc < 0 ? -1 : 0; /* no usable policy: no trailers */
		goto cleanup;
	}
	if ((rc = head_tree(&head, repo)) < 0 ||
	    (rc = dc_delta_compute(&delta, repo, proj->policy, "", head, index, NULL)) < 0)
		goto cleanup;
	for (i = 0; i < delta.n; i++) {
		const dc_change *c = &delta.items[i];
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
	dc_delta_dispose(&delta);
	git_tree_free(head);
	dc_project_free(proj);
	dc_source_free(src);
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
