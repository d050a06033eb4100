/*
 * write.c - the writes of docctl-web (web.h; reference §12) without a
 * clone and without running docctl: the new commit is built in the bare
 * repository's own object database (side_write.h) on the ref's tip, then
 * pushed from the repository into itself (`git push --porcelain GITDIR
 * OID:REF`), so receive-pack runs the server's pre-receive hook with the
 * pusher docctl-web names and the hooks alone decide, exactly as for a
 * push from a clone. Under the lock docctl-web.lock in the git dir; when
 * someone else moved the ref first (a push from a clone), the round runs
 * again on the new tip.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "ack.h"
#include "child.h"
#include "error.h"
#include "feedback.h"
#include "fm_edit.h"
#include "i18n.h"
#include "side_write.h"
#include "web.h"

#define ATTEMPTS 20
#define TIMEOUT_MS 120000

void web_files_init(web_files *f)
{
	memset(f, 0, sizeof(*f));
	dc_buf_init(&f->message);
}

void web_files_dispose(web_files *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		dc_buf_dispose(&f->path[i]);
		dc_buf_dispose(&f->data[i]);
	}
	free(f->path);
	free(f->data);
	dc_buf_dispose(&f->message);
	memset(f, 0, sizeof(*f));
}

int web_files_add(web_files *f, const char *path, const dc_buf *data)
{
	dc_buf *p = realloc(f->path, (f->n + 1) * sizeof(*p)), *d;

	if (!p)
		return -1;
	f->path = p;
	if (!(d = realloc(f->data, (f->n + 1) * sizeof(*d))))
		return -1;
	f->data = d;
	dc_buf_init(&f->path[f->n]);
	dc_buf_init(&f->data[f->n]);
	f->n++;
	if (dc_buf_puts(&f->path[f->n - 1], path) < 0 || dc_buf_put(&f->data[f->n - 1], data->ptr, data->len) < 0)
		return -1;
	return 0;
}

static int lock_repo(web_req *req)
{
	dc_buf path = DC_BUF_INIT;
	int fd = -1;

	if (dc_buf_printf(&path, "%sdocctl-web.lock", git_repository_path(req->repo)) == 0)
		fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	dc_buf_dispose(&path);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The pusher (reference §6.3) the hooks see: who the web server
 * authenticated, in the first variable of approval.pusher_env. */
static void pusher_env(web_req *req)
{
	setenv(req->pusher_var ? req->pusher_var : "GL_USER", req->me->key, 1);
	setenv("DOCCTL_WEB_USER", req->remote_user, 1);
	setenv("DOCCTL_LANG", req->zh ? "zh_CN.UTF-8" : "C", 1);
}

/* Pushes commit `oid` to `ref` of the repository itself: 0 landed, 3 the
 * ref moved first (try again), 1 refused (git's and the hook's words in
 * `why`), -1 git could not be run. */
static int push_self(web_req *req, const git_oid *oid, const char *ref, dc_buf *why)
{
	char hex[GIT_OID_HEXSZ + 1];
	dc_buf spec = DC_BUF_INIT;
	const char *dir = git_repository_path(req->repo);
	dc_child c;
	int rc;

	git_oid_tostr(hex, sizeof(hex), oid);
	memset(&c, 0, sizeof(c));
	dc_buf_init(&c.out);
	dc_buf_init(&c.err);
	if (dc_buf_printf(&spec, "%s:%s", hex, ref) < 0)
		return -1;
	{
		const char *argv[] = { "git", "push", "--porcelain", "--no-verify", dir, spec.ptr, NULL };

		rc = dc_spawn(&c, dir, argv, "/dev/null", 1 << 20, TIMEOUT_MS);
	}
	dc_buf_dispose(&spec);
	if (rc < 0) {
		dc_child_dispose(&c);
		return -1;
	}
	if (c.code == 0)
		rc = 0;
	else if ((c.out.ptr && strstr(c.out.ptr, "[rejected]")) ||
		 (c.err.ptr && !strstr(c.err.ptr, "hook declined") &&
		  (strstr(c.err.ptr, "cannot lock ref") || strstr(c.err.ptr, "incorrect old value"))))
		rc = 3;
	else {
		rc = 1;
		dc_buf_puts(why, c.err.ptr ? c.err.ptr : "");
	}
	dc_child_dispose(&c);
	return rc;
}

/* The committer says how the commit was made: "web <REMOTE_USER>" (safe
 * characters only), with the person's email. */
static int signatures(web_req *req, git_signature **author, git_signature **committer)
{
	char who[128];
	size_t i;

	snprintf(who, sizeof(who), "web %s", req->remote_user);
	for (i = 4; who[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._-", who[i]))
			who[i] = '_';
	*author = *committer = NULL;
	if (git_signature_now(author, req->me->name, req->me->email) < 0 ||
	    git_signature_now(committer, who, req->me->email) < 0) {
		git_signature_free(*author);
		*author = NULL;
		return -1;
	}
	return 0;
}

static void said(web_req *req, const char *text)
{
	if (!text || !*text)
		return;
	dc_buf_puts(&req->page, "<pre>");
	web_text(req, text);
	dc_buf_puts(&req->page, "</pre>\n");
}

int web_side_write(web_req *req, const char *ref, web_build_fn build, void *arg, const char *done)
{
	git_signature *author = NULL, *committer = NULL;
	dc_buf why = DC_BUF_INIT;
	int lock, attempt, rc = -1;

	if (!req->me->email || !req->me->name) {
		web_para(req, "err", _("docctl-web: you have no email or name in the policy; ask the document controller to add them"));
		return -1;
	}
	if ((lock = lock_repo(req)) < 0) {
		web_para(req, "err", _("docctl-web: cannot take the lock docctl-web.lock in the repository"));
		return -1;
	}
	if (signatures(req, &author, &committer) < 0) {
		web_para(req, "err", _("docctl-web: cannot write the commit in the repository"));
		goto out;
	}
	pusher_env(req);
	srand((unsigned)(time(NULL) ^ getpid()));
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		web_files f;
		dc_side_file *sf = NULL;
		git_oid tip, commit;
		int has_tip = git_reference_name_to_id(&tip, req->repo, ref) == 0;
		size_t i;

		web_files_init(&f);
		rc = build(req, arg, has_tip ? &tip : NULL, &f);
		if (rc == 0 && !(sf = calloc(f.n ? f.n : 1, sizeof(*sf))))
			rc = -1;
		for (i = 0; rc == 0 && i < f.n; i++) {
			sf[i].path = f.path[i].ptr;
			sf[i].data = f.data[i].ptr ? f.data[i].ptr : "";
			sf[i].len = f.data[i].len;
		}
		if (rc == 0 && dc_side_commit(&commit, req->repo, has_tip ? &tip : NULL, sf, f.n, author, committer,
					      f.message.ptr) < 0)
			rc = -1;
		free(sf);
		web_files_dispose(&f);
		if (rc < 0)
			web_para(req, "err", _("docctl-web: cannot write the commit in the repository"));
		if (rc != 0) {
			/* said by build, or above; nothing to write is done */
			rc = rc == 1 ? 0 : -1;
			goto out;
		}
		rc = push_self(req, &commit, ref, &why);
		if (rc != 3)
			break;
		usleep((useconds_t)(10000 + (unsigned)rand() % (20000u << (attempt < 4 ? attempt : 4))));
	}
	if (rc == 0)
		web_para(req, "ok", done);
	else if (rc == 1) {
		web_para(req, "err", _("Refused: nothing was recorded. What the server said:"));
		said(req, why.ptr);
	} else if (rc == 3)
		web_para(req, "err", _("docctl-web: the server's ref kept moving; send the form again"));
	else
		web_para(req, "err", _("docctl-web: cannot run git to push into the repository"));
	rc = rc == 0 ? 0 : -1;
out:
	git_signature_free(author);
	git_signature_free(committer);
	dc_buf_dispose(&why);
	close(lock);
	return rc;
}

/* --- confirmations (reference §10): one person's new lines --- */

typedef struct {
	const char *id, *revision;
	int found;
} has_ctx;

static int has_fn(void *arg, const dc_ack *a, size_t line)
{
	has_ctx *h = arg;

	(void)line;
	if (dc_span_is(a->id, h->id) && dc_span_is(a->revision, h->revision)) {
		h->found = 1;
		return 2; /* stop */
	}
	return 0;
}

/* Whether `file` holds a line of document `id` at `revision`. */
static int has_line(const dc_buf *file, const char *id, const char *revision)
{
	has_ctx h = { id, revision, 0 };
	dc_ack_error err;

	dc_ack_each(file->ptr ? file->ptr : "", file->len, has_fn, &h, &err);
	return h.found;
}

int web_ack_build(web_req *req, void *arg, const git_oid *tip, web_files *f)
{
	web_ack *a = arg;
	char today[11];
	dc_buf file = DC_BUF_INIT, path = DC_BUF_INIT, method = DC_BUF_INIT;
	size_t i, k;
	int rc = -1;

	dc_date_format(&a->today, today);
	if (a->record)
		dc_buf_printf(&method, "training:%s", a->record);
	else
		dc_buf_puts(&method, "read");
	dc_buf_printf(&f->message, "%s: %s\n\n", a->record ? "Training" : "Confirm reading",
		      a->record ? a->record : req->me->key);
	for (i = 0; i < a->nwho; i++) {
		const dc_person *p = a->who[i];
		size_t before;
		const char *revs[2];

		dc_buf_clear(&path);
		if (dc_buf_printf(&path, "acks/%s.txt", p->key) < 0 || dc_side_read(&file, req->repo, tip, path.ptr) < 0)
			goto out;
		before = file.len;
		revs[0] = a->revision;
		for (k = 0; revs[0] && k < a->naccepted; k++)
			if (has_line(&file, a->id, a->accepted[k]))
				revs[0] = NULL;
		revs[1] = a->pending && !has_line(&file, a->id, a->pending) ? a->pending : NULL;
		for (k = 0; k < 2; k++) {
			if (!revs[k])
				continue;
			if (dc_ack_format(&file, p->key, a->id, revs[k], today, method.ptr, req->me->key) < 0 ||
			    dc_buf_printf(&f->message, "%s %s %s\n", p->key, a->id, revs[k]) < 0)
				goto out;
		}
		if (file.len > before && web_files_add(f, path.ptr, &file) < 0)
			goto out;
	}
	rc = f->n ? 0 : 1;
	if (rc)
		web_para(req, "ok", _("Nothing to record: it is confirmed already."));
out:
	dc_buf_dispose(&file);
	dc_buf_dispose(&path);
	dc_buf_dispose(&method);
	return rc;
}

/* --- feedback (reference §11): a new item, a decision --- */

/* The next free FB-YEAR-NNNN on the feedback ref's tip: 0, or -1 said. */
static int next_item(web_req *req, const git_oid *tip, int year, char id[24])
{
	git_commit *c = NULL;
	git_object *dir = NULL;
	size_t i, n;
	int max = 0, y, num;

	if (tip && git_commit_lookup(&c, req->repo, tip) == 0)
		git_object_lookup_bypath(&dir, (git_object *)c, "feedback", GIT_OBJECT_TREE);
	n = dir ? git_tree_entrycount((git_tree *)dir) : 0;
	for (i = 0; i < n; i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex((git_tree *)dir, i));
		char item[13];

		if (strlen(name) != 15 || strcmp(name + 12, ".md"))
			continue;
		snprintf(item, sizeof(item), "%.12s", name);
		if (dc_feedback_id_parse(item, &y, &num) == 0 && y == year && num > max)
			max = num;
	}
	git_object_free(dir);
	git_commit_free(c);
	if (max >= 9999) {
		web_para(req, "err", _("docctl-web: this year's feedback numbers are used up (FB-YYYY-9999)"));
		return -1;
	}
	snprintf(id, 24, "FB-%04d-%04d", year % 10000, max + 1);
	return 0;
}

int web_fb_build(web_req *req, void *arg, const git_oid *tip, web_files *f)
{
	web_fb *w = arg;
	dc_buf file = DC_BUF_INIT, path = DC_BUF_INIT;
	char id[24], today[11];
	int rc = -1;

	dc_date_format(&w->today, today);
	if (!w->item && next_item(req, tip, w->today.y, id) < 0)
		return 2;
	if (dc_buf_printf(&path, "%s/%s.md", DC_FEEDBACK_DIR, w->item ? w->item : id) < 0)
		goto out;
	if (w->item) {
		/* a decision: the item as it is, its decision fields set */
		int absent = dc_side_read(&file, req->repo, tip, path.ptr);

		if (absent > 0) {
			web_para(req, "err", _("Refused: nothing was recorded. There is no such feedback item."));
			rc = 2;
		}
		if (absent != 0 || dc_fm_set(&file, path.ptr, "status", w->status) < 0 ||
		    dc_fm_set(&file, path.ptr, "decided_by", req->me->key) < 0 ||
		    dc_fm_set(&file, path.ptr, "decided_on", today) < 0 || dc_fm_set(&file, path.ptr, "reason", w->text) < 0 ||
		    dc_buf_printf(&f->message, "Feedback %s %s\n\n%s\n", w->item, w->status, w->text) < 0)
			goto out;
	} else {
		/* a new item: its fields set one by one in the item's order
		 * (fm_edit.h quotes what needs it), then the text */
		if (dc_buf_printf(&file, "---\nid: %s\n---\n\n%s%s", id, w->text,
				  w->text[strlen(w->text) - 1] == '\n' ? "" : "\n") < 0 ||
		    dc_fm_set(&file, path.ptr, "document", w->id) < 0 || dc_fm_set(&file, path.ptr, "revision", w->revision) < 0 ||
		    dc_fm_set(&file, path.ptr, "kind", w->kind) < 0 || dc_fm_set(&file, path.ptr, "from", req->me->key) < 0 ||
		    dc_fm_set(&file, path.ptr, "filed_on", today) < 0 || dc_fm_set(&file, path.ptr, "status", "open") < 0 ||
		    dc_buf_printf(&f->message, "Feedback %s on %s (%s)\n", id, w->id, w->kind) < 0)
			goto out;
	}
	rc = web_files_add(f, path.ptr, &file) < 0 ? -1 : 0;
out:
	dc_buf_dispose(&file);
	dc_buf_dispose(&path);
	return rc;
}
