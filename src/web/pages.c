/*
 * pages.c - the pages of docctl-web (reference §12), chosen by the query's
 * `p` from a fixed set; anything else is 404.
 *
 * My reading list is read in this process (reading.c): the documents of
 * the trusted ref and the person's own confirmations file, nothing more.
 * The training matrix and the feedback lists are read in this process too,
 * from the library, with the rows of `docctl training` and `docctl
 * feedback list`; a document's text comes from docctl itself (`show`),
 * run as a child in the bare repository. Every cell is escaped here.
 * Every write (a confirmation, a training session, a
 * feedback item, a decision) is a commit built in the bare repository and
 * pushed into it (write.c), so the server's own hooks decide, exactly as
 * for a push: the pusher is the person REMOTE_USER names (the first
 * variable of the policy's approval.pusher_env, so the policy must accept
 * `pusher` in approval.identity for writes from the web), and a refusal
 * is shown in words.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "authoring.h"
#include "escape.h"
#include "feedback.h"
#include "i18n.h"
#include "web.h"

#define OUT_MAX (64 << 20)
#define TIMEOUT_MS 120000

/* --- running docctl --- */

static const char *docctl_bin(void)
{
	const char *d = getenv("DOCCTL");

	return d && *d ? d : DOCCTL_BIN_PATH;
}

/* Runs docctl with `args` (NULL-terminated) in `dir`: 0 with res filled
 * (res->code its exit status), -1 when it cannot be run. */
static int docctl(web_req *req, dc_child *res, const char *dir, const char *const *args)
{
	const char *argv[24];
	size_t n = 0;

	(void)req;
	argv[n++] = docctl_bin();
	while (*args && n < 23)
		argv[n++] = *args++;
	argv[n] = NULL;
	memset(res, 0, sizeof(*res));
	dc_buf_init(&res->out);
	dc_buf_init(&res->err);
	return dc_spawn(res, dir, argv, "/dev/null", OUT_MAX, TIMEOUT_MS);
}

/* --- page pieces --- */

static void put(web_req *req, const char *html)
{
	dc_buf_puts(&req->page, html);
}

static void h1(web_req *req, const char *title)
{
	req->title = title;
	put(req, "<h1>");
	web_text(req, title);
	put(req, "</h1>\n");
}

/* The navigation bar and who is signed in, at the top of every page. */
static void nav(web_req *req)
{
	static const char *const pages[] = { "home", "feedback", "mine", "open", "matrix", "session" };
	static const char *const labels[] = { N_("My reading list"), N_("Give feedback"), N_("My feedback"),
					      N_("Open feedback"), N_("Training matrix"), N_("Record a training session") };
	size_t i;

	put(req, "<nav>");
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		dc_buf_printf(&req->page, "<a href=\"?p=%s\">", pages[i]);
		web_text(req, _(labels[i]));
		put(req, "</a> ");
	}
	put(req, "</nav>\n<p><small>");
	web_text(req, req->me->name);
	put(req, " (");
	web_text(req, req->me->key);
	put(req, ")</small></p>\n");
}

static void form_open(web_req *req, const char *page)
{
	dc_buf_printf(&req->page, "<form method=\"post\" action=\"?p=%s\">"
				  "<input type=\"hidden\" name=\"token\" value=\"%s\">", page, req->token);
}

static void hidden(web_req *req, const char *name, const char *value)
{
	dc_buf_printf(&req->page, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	web_text(req, value);
	put(req, "\">");
}

/* `open`, the text escaped, `close`: a cell, a heading, a button. */
static void wrap(web_req *req, const char *open, const char *text, const char *close)
{
	put(req, open);
	web_text(req, text);
	put(req, close);
}

#define th(req, label) wrap(req, "<th>", label, "</th>")
#define td(req, text) wrap(req, "<td>", text, "</td>")
/* the submit button, which closes the form */
#define button(req, label) wrap(req, "<button type=\"submit\">", label, "</button></form>")

/* A table's first row: the headings, NULL-terminated. */
static void head_row(web_req *req, const char *const *labels)
{
	put(req, "<table><tr>");
	for (; *labels; labels++)
		th(req, *labels);
	put(req, "</tr>\n");
}

/* The language of docctl's messages shown on a page: the page's. */
static void child_lang(web_req *req)
{
	setenv("DOCCTL_LANG", req->zh ? "zh_CN.UTF-8" : "C", 1);
}

/* A document id as the policy's types name them (nothing else is passed on:
 * no path, no option, no markup). */
static int valid_id(web_req *req, const char *id)
{
	return id && *id && *id != '-' && strlen(id) <= 64 && strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == strlen(id) &&
	       !strstr(id, "..") && dc_policy_type_for_id(req->project->policy, id) != NULL;
}

/* --- the pages --- */

static const char *state_label(const char *state)
{
	if (!strcmp(state, "confirmed"))
		return _("confirmed");
	if (!strcmp(state, "overdue"))
		return _("overdue");
	return _("to be confirmed");
}

/* Where a document of the reading list is read: its published page when
 * the policy says where the site is (web.site), else its text here. */
static void doc_link(web_req *req, const char *site, const char *id)
{
	if (site && *site) {
		put(req, "<a href=\"");
		web_text(req, site);
		put(req, site[strlen(site) - 1] == '/' ? "" : "/");
		web_text(req, id);
		put(req, ".html\">");
	} else {
		put(req, "<a href=\"?p=doc&amp;id=");
		web_text(req, id);
		put(req, "\">");
	}
	web_text(req, id);
	put(req, "</a> ");
}

/* The reading list page of these items; `site` is web.site. */
static void home_page(web_req *req, const web_item *items, size_t n, long today, const char *site)
{
	size_t i, todo = 0;

	nav(req);
	h1(req, _("My reading list"));
	for (i = 0; i < n; i++)
		todo += items[i].day == DC_ACK_NONE;
	if (!todo)
		web_para(req, "ok", _("Nothing to read: you have confirmed every revision in force you must read."));
	else {
		const char *heads[] = { _("Document"), _("Revision"), _("Due"), _("State"), "", NULL };

		head_row(req, heads);
		for (i = 0; i < n; i++) {
			const web_item *it = &items[i];
			const char *st = today > dc_date_days(&it->due) ? "overdue" : "pending";
			char due[11];

			if (it->day != DC_ACK_NONE)
				continue;
			dc_date_format(&it->due, due);
			put(req, "<tr><td>");
			doc_link(req, site, it->id);
			web_text(req, it->title);
			put(req, "</td>");
			td(req, it->revision);
			td(req, due);
			dc_buf_printf(&req->page, "<td class=\"%s\">", st);
			web_text(req, state_label(st));
			put(req, "</td><td>");
			form_open(req, "ack");
			hidden(req, "id", it->id);
			hidden(req, "rev", it->revision);
			button(req, _("I have read and understood"));
			put(req, "</td></tr>\n");
		}
		put(req, "</table>\n");
	}
	if (todo < n) {
		wrap(req, "<h2>", _("Confirmed"), "</h2>\n<ul>");
		for (i = 0; i < n; i++) {
			char on[11];

			if (items[i].day == DC_ACK_NONE)
				continue;
			dc_train_day_format(items[i].day, on);
			wrap(req, "<li>", items[i].id, " ");
			wrap(req, "", items[i].confirmed, " — ");
			wrap(req, "", on, "</li>");
		}
		put(req, "</ul>\n");
	}
}

static void home(web_req *req)
{
	web_reading r;
	web_item *items = NULL;
	size_t i, n = 0;
	uint32_t me = (uint32_t)(req->me - req->project->policy->people);

	if (web_reading_open(req, &r, NULL) < 0 || !(items = calloc(r.t.ndocs + 1, sizeof(*items)))) {
		nav(req);
		h1(req, _("My reading list"));
		web_para(req, "err", _("docctl-web: cannot read the documents and confirmations of the repository"));
		web_reading_dispose(&r);
		return;
	}
	for (i = 0; i < r.t.ndocs; i++) {
		const dc_train_doc *d = &r.t.docs[i];
		size_t k = d->revision ? dc_train_doc_reader(d, me) : SIZE_MAX;

		if (k == SIZE_MAX)
			continue;
		items[n].id = d->id;
		items[n].title = d->title;
		items[n].revision = d->revision;
		items[n].due = d->due;
		items[n].day = d->cells[k].day;
		items[n++].confirmed = d->cells[k].revision;
	}
	home_page(req, items, n, dc_date_days(&r.today), req->project->policy->web_site);
	/* the next pages of this commit and day come from the cache */
	web_cache_write(req, &r);
	free(items);
	web_reading_dispose(&r);
}

/* Records confirmations of `id` for `who` (a training session when
 * `record` is set) through the server's hooks; 0 when they landed. */
static int record_acks(web_req *req, const char *id, const char *record, const dc_person **who, size_t nwho,
		       const char *done)
{
	const dc_policy *pol = req->project->policy;
	const dc_train_doc *d;
	web_reading r;
	web_ack a;
	size_t i;
	int rc = -1;

	if (web_reading_open(req, &r, id) < 0)
		web_para(req, "err", _("docctl-web: cannot read the documents and confirmations of the repository"));
	else if (!(d = dc_training_doc(&r.t, id)) || !d->revision)
		web_para(req, "err", _("Refused: nothing was recorded. There is no such document in force."));
	else if (record && !dc_register_find(&r.reg, record))
		web_para(req, "err", _("Refused: nothing was recorded. There is no such training record; file it first."));
	else {
		memset(&a, 0, sizeof(a));
		a.today = r.today;
		a.id = id;
		a.record = record;
		a.revision = d->revision;
		a.pending = d->pending;
		a.accepted = d->accepted;
		a.naccepted = d->naccepted;
		a.who = who;
		/* the readers only: nobody else has anything to confirm */
		for (i = 0; i < nwho; i++)
			if (dc_train_doc_reader(d, (uint32_t)(who[i] - pol->people)) != SIZE_MAX)
				who[a.nwho++] = who[i];
		if (!a.nwho)
			web_para(req, "err", _("Refused: nothing was recorded. Nobody named is a reader of this document."));
		else
			rc = web_side_write(req, pol->training.ref, web_ack_build, &a, done);
	}
	web_reading_dispose(&r);
	return rc;
}

typedef int (*ack_write_fn)(web_req *req, const char *id, void *arg);

/* The page of a confirmation of `id`, the write done by `write`. */
static void ack_page(web_req *req, const char *id, ack_write_fn write, void *arg)
{
	nav(req);
	h1(req, _("I have read and understood"));
	if (write(req, id, arg) != 0 && !req->status)
		req->status = 409;
	put(req, "<p><a href=\"?p=home\">");
	web_text(req, _("Back to my reading list"));
	put(req, "</a></p>\n");
}

static int ack_full(web_req *req, const char *id, void *arg)
{
	const dc_person *me = req->me;

	(void)arg;
	if (!valid_id(req, id)) {
		req->status = 400;
		web_para(req, "err", _("docctl-web: this is not a document id of the policy"));
		return -1;
	}
	return record_acks(req, id, NULL, &me, 1, _("Recorded: your confirmation is on the server."));
}

static void ack(web_req *req)
{
	ack_page(req, dc_form_get(&req->body, "id"), ack_full, NULL);
}

static void document(web_req *req)
{
	const char *id = dc_form_get(&req->query, "id");
	const char *args[] = { "show", id, NULL };
	dc_child c;

	nav(req);
	if (!valid_id(req, id)) {
		req->status = 404;
		web_para(req, "err", _("docctl-web: this is not a document id of the policy"));
		return;
	}
	h1(req, id);
	child_lang(req);
	if (docctl(req, &c, ".", args) < 0 || c.code != 0) {
		req->status = 404;
		web_para(req, "err", _("docctl-web: there is no such document in force"));
	} else {
		put(req, "<pre style=\"white-space:pre-wrap\">");
		web_text(req, c.out.ptr);
		put(req, "</pre>\n");
	}
	dc_child_dispose(&c);
}

static const char *const kinds[] = { "error", "improvement", "question", "complaint" };
static const char *const kind_labels[] = { N_("an error"), N_("an improvement"), N_("a question"), N_("a complaint") };

/* The title and the opening of a page's form (POST to ?p=`page`). */
static void form_page(web_req *req, const char *title, const char *page)
{
	nav(req);
	h1(req, title);
	form_open(req, page);
}

static void feedback_form(web_req *req)
{
	const char *id = dc_form_get(&req->query, "id");
	size_t i;

	form_page(req, _("Feedback on a document"), "feedback");
	/* the id from a published page's link (?p=feedback&id=SP-005) */
	wrap(req, "<p><label>", _("Document id"), "<br><input name=\"id\" required maxlength=\"64\" value=\"");
	wrap(req, "", valid_id(req, id) ? id : "", "\"></label></p>");
	wrap(req, "<p><label>", _("Kind"), "<br><select name=\"kind\">");
	for (i = 0; i < 4; i++) {
		dc_buf_printf(&req->page, "<option value=\"%s\">", kinds[i]);
		wrap(req, "", _(kind_labels[i]), "</option>");
	}
	put(req, "</select></label></p>");
	wrap(req, "<p><label>", _("What is wrong or missing"),
	     "<br><textarea name=\"text\" rows=\"6\" required maxlength=\"8000\"></textarea></label></p>");
	button(req, _("Send"));
}

/* The document `id` of the trusted ref as `check` reads it (into `set`), or NULL. */
static const dc_docinfo *find_doc(web_req *req, dc_docset *set, dc_date *today, const char *id)
{
	int dups;

	if (dc_today(today, NULL) < 0 || web_docs_open(req, set, today) < 0)
		return NULL;
	return dc_docset_by_id(set, id, &dups);
}

static void feedback_new(web_req *req)
{
	web_fb w;
	dc_docset set;
	const dc_docinfo *d;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.id = dc_form_get(&req->body, "id");
	w.kind = dc_form_get(&req->body, "kind");
	w.text = dc_form_get(&req->body, "text");
	nav(req);
	h1(req, _("Feedback on a document"));
	for (i = 0; w.kind && i < 4 && strcmp(w.kind, kinds[i]); i++)
		;
	if (!valid_id(req, w.id) || !w.kind || i == 4 || !w.text || !*w.text) {
		req->status = 400;
		web_para(req, "err", _("docctl-web: give a document id of the policy, a kind and the text"));
		return;
	}
	dc_docset_init(&set);
	if (!(d = find_doc(req, &set, &w.today, w.id))) {
		req->status = 409;
		web_para(req, "err", _("Refused: nothing was recorded. There is no such document in force."));
	} else {
		w.revision = d->revision ? d->revision : "";
		if (web_side_write(req, req->project->policy->feedback_ref, web_fb_build, &w,
				   _("Sent: your feedback is recorded; its owner decides.")) != 0)
			req->status = 409;
	}
	dc_docset_dispose(&set);
}

/* Owners and approvers decide (reference §11): the owner of `doc` in
 * `set`, or an approver of its type. */
static int may_decide(web_req *req, const dc_docset *set, const char *doc)
{
	const dc_type *t = dc_policy_type_for_id(req->project->policy, doc);
	int dups;
	const dc_docinfo *d = dc_docset_by_id(set, doc, &dups);
	const char *owner = d ? d->owner : NULL;

	return (owner && !strcmp(owner, req->me->key)) || (t && dc_policy_may_approve(req->project->policy, t, req->me->key));
}

/* The feedback pages' table (feedback_row's). */
typedef struct {
	web_req *req;
	const dc_docset *set;     /* open feedback: to know who decides */
	int mine;
	size_t shown;
} fb_table;

/* One item of the feedback ref (dc_feedback_each, in the order of their
 * ids): my items (mine), else the open ones, each decided by its owner or
 * an approver of its type (a form). */
static int feedback_row(void *arg, const dc_feedback *f)
{
	fb_table *t = arg;
	web_req *req = t->req;

	if (t->mine ? !f->from || strcmp(f->from, req->me->key) : f->status != DC_FB_OPEN)
		return 0;
	t->shown++;
	put(req, "<tr>");
	td(req, f->id);
	td(req, f->document);
	td(req, f->kind);
	td(req, f->from);
	td(req, f->status_name);
	put(req, "<td>");
	web_text(req, f->reason);
	if (!t->mine && f->document && may_decide(req, t->set, f->document)) {
		form_open(req, "decide");
		hidden(req, "fb", f->id);
		put(req, "<select name=\"decision\"><option value=\"accept\">");
		web_text(req, _("accept"));
		put(req, "</option><option value=\"reject\">");
		web_text(req, _("reject"));
		put(req, "</option><option value=\"defer\">");
		web_text(req, _("defer"));
		put(req, "</option></select> <input name=\"reason\" required maxlength=\"500\"> ");
		button(req, _("Decide"));
	}
	put(req, "</td></tr>\n");
	return 0;
}

/* My feedback (mine) or the open feedback, read in this process from the
 * feedback ref (reference §11), as `docctl feedback list [--open]` reads it. */
static void feedback_table(web_req *req, int mine)
{
	const char *heads[] = { _("Id"), _("Document"), _("Kind"), _("From"), _("Status"), _("Decision"), NULL };
	dc_docset set;
	dc_date today;
	fb_table t = { req, &set, mine, 0 };
	size_t at;

	nav(req);
	h1(req, mine ? _("My feedback") : _("Open feedback"));
	dc_docset_init(&set);
	if (!mine && (dc_today(&today, NULL) < 0 || web_docs_open(req, &set, &today) < 0)) {
		web_para(req, "err", _("docctl-web: cannot read the documents and confirmations of the repository"));
		dc_docset_dispose(&set);
		return;
	}
	at = req->page.len;
	head_row(req, heads);
	if (dc_feedback_each(req->repo, req->project->policy, NULL, feedback_row, &t) < 0) {
		/* no half table: what was written goes */
		dc_buf_truncate(&req->page, at);
		web_para(req, "err", _("docctl-web: cannot read the feedback items of the repository"));
	} else {
		put(req, "</table>\n");
		if (!t.shown)
			web_para(req, "ok", _("No feedback items."));
	}
	dc_docset_dispose(&set);
}

static void decide(web_req *req)
{
	static const char *const decisions[][2] = { { "accept", "accepted" }, { "reject", "rejected" }, { "defer", "deferred" } };
	const char *fb = dc_form_get(&req->body, "fb");
	const char *d = dc_form_get(&req->body, "decision");
	web_fb w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.item = fb;
	w.text = dc_form_get(&req->body, "reason");
	nav(req);
	h1(req, _("Decide feedback"));
	for (i = 0; d && i < 3 && strcmp(d, decisions[i][0]); i++)
		;
	if (!fb || strlen(fb) != 12 || strncmp(fb, "FB-", 3) || strspn(fb + 3, "0123456789-") != 9 || !d || i == 3 ||
	    !w.text || !*w.text) {
		req->status = 400;
		web_para(req, "err", _("docctl-web: give a feedback id, a decision and its reason"));
		return;
	}
	w.status = decisions[i][1];
	if (dc_today(&w.today, NULL) < 0 ||
	    web_side_write(req, req->project->policy->feedback_ref, web_fb_build, &w,
			   _("Decided: the decision is recorded.")) != 0)
		req->status = 409;
}

/* The training matrix (reference §10.2) read in this process, the rows of
 * `docctl training`: every reader of every document in force. */
static void matrix(web_req *req)
{
	const char *heads[] = { _("Person"), _("Document"), _("Revision"), _("State"), _("Confirmed"), _("Due"), NULL };
	const dc_person *people = req->project->policy->people;
	web_reading r;
	size_t i, k;

	nav(req);
	h1(req, _("Training matrix"));
	if (web_matrix_open(req, &r) < 0) {
		web_para(req, "err", _("docctl-web: cannot read the documents and confirmations of the repository"));
		web_reading_dispose(&r);
		return;
	}
	head_row(req, heads);
	for (i = 0; i < r.t.ndocs; i++) {
		const dc_train_doc *d = &r.t.docs[i];
		char due[11], on[11] = "";

		if (!d->revision)
			continue;
		dc_train_day_format(dc_date_days(&d->due), due);
		for (k = 0; k < d->npeople; k++) {
			long left;
			dc_train_state s = dc_train_state_of(d, k, dc_date_days(&r.today), &left);

			if (s == DC_TRAIN_CONFIRMED)
				dc_train_day_format(d->cells[k].day, on);
			put(req, "<tr>");
			td(req, people[d->people[k]].name);
			td(req, d->id);
			td(req, d->revision);
			put(req, s == DC_TRAIN_OVERDUE ? "<td class=\"overdue\">" : "<td class=\"state\">");
			web_text(req, state_label(dc_train_state_name(s)));
			put(req, "</td>");
			td(req, s == DC_TRAIN_CONFIRMED ? on : "");
			td(req, due);
			put(req, "</tr>\n");
		}
	}
	put(req, "</table>\n");
	web_reading_dispose(&r);
}

static void session_form(web_req *req)
{
	const dc_policy *pol = req->project->policy;
	size_t i;

	form_page(req, _("Record a training session"), "session");
	wrap(req, "<p><label>", _("Training record id"), "<br><input name=\"record\" required maxlength=\"64\"></label></p>");
	wrap(req, "<p><label>", _("Document id"), "<br><input name=\"id\" required maxlength=\"64\"></label></p>");
	wrap(req, "<fieldset><legend>", _("Attendees"), "</legend>");
	/* a box each while the form holds them all, else their ids typed */
	for (i = 0; pol->npeople <= DC_FORM_FIELDS - 4 && i < pol->npeople; i++) {
		dc_buf_printf(&req->page, "<label><input type=\"checkbox\" name=\"a%zu\" value=\"", i);
		wrap(req, "", pol->people[i].key, "\"> ");
		wrap(req, "", pol->people[i].name, "</label><br>");
	}
	if (pol->npeople > DC_FORM_FIELDS - 4)
		wrap(req, "<label>", _("The attendees' ids, separated by commas or spaces"),
		     "<br><textarea name=\"who\" rows=\"4\" required maxlength=\"8000\"></textarea></label>");
	put(req, "</fieldset>");
	button(req, _("Record"));
}

static void session(web_req *req)
{
	const dc_policy *pol = req->project->policy;
	const char *record = dc_form_get(&req->body, "record");
	const char *id = dc_form_get(&req->body, "id");
	const dc_person **who = calloc(pol->npeople + 1, sizeof(*who));
	size_t i, k, n = 0;
	int unknown = 0;

	nav(req);
	h1(req, _("Record a training session"));
	for (i = 0; who && i < req->body.n; i++) {
		const dc_form_field *f = &req->body.v[i];
		const char *v = f->value;

		if (f->name[0] != 'a' && strcmp(f->name, "who"))
			continue;
		/* a box's value, or the ids typed */
		while (*v) {
			size_t len = f->name[0] == 'a' ? strlen(v) : strcspn(v, ", \t\n");
			char key[128];
			const dc_person *p = NULL;

			if (len && len < sizeof(key)) {
				memcpy(key, v, len);
				key[len] = '\0';
				p = dc_policy_person(pol, key);
			}
			unknown |= len && !p;
			for (k = 0; p && k < n && who[k] != p; k++)
				;
			if (p && k == n)
				who[n++] = p;
			v += len;
			v += strspn(v, ", \t\n");
		}
	}
	if (unknown) {
		req->status = 400;
		web_para(req, "err", _("docctl-web: an attendee is not a person of the policy; name people by their id, such as li.wei"));
	} else if (!who) {
		req->status = 500;
		web_para(req, "err", _("docctl-web: out of memory"));
	} else if (!valid_id(req, id) || !valid_id(req, record) || !n) {
		req->status = 400;
		web_para(req, "err", _("docctl-web: give a training record id, a document id and the attendees"));
	} else if (record_acks(req, id, record, who, n, _("Recorded: the attendees' confirmations are on the server.")) != 0)
		req->status = 409;
	free(who);
}

static void mine_page(web_req *req)
{
	feedback_table(req, 1);
}

static void open_page(web_req *req)
{
	feedback_table(req, 0);
}

/* A confirmation from the cache's facts. */
static int ack_cached(web_req *req, const char *id, void *arg)
{
	web_ack *a = arg;
	const dc_person *who = req->me;

	(void)id;
	a->who = &who;
	a->nwho = 1;
	return web_side_write(req, req->ack_ref, web_ack_build, a, _("Recorded: your confirmation is on the server."));
}

int web_route_cached(web_req *req)
{
	const char *p = dc_form_get(&req->query, "p");
	web_cache v;
	web_ack a;
	int rc = 1;

	if (req->post ? !p || strcmp(p, "ack") : p && strcmp(p, "home"))
		return 1;
	if (web_cache_open(&v, req) != 0) {
		web_cache_close(&v);
		return 1;
	}
	req->me = &v.me;
	if (!req->post) {
		if (web_token(req->token, req->repo, v.me.key, (long)(time(NULL) / 86400)) == 0) {
			home_page(req, v.m.items, v.m.n, dc_date_days(&v.today), strcmp(v.h[5], "-") ? v.h[5] : NULL);
			rc = 0;
		}
	} else if (web_token_ok(req->repo, v.me.key, dc_form_get(&req->body, "token")) &&
		   web_cache_ack_facts(&v, dc_form_get(&req->body, "id"), &a) == 0) {
		req->ack_ref = v.h[3];
		req->pusher_var = v.h[4];
		ack_page(req, a.id, ack_cached, &a);
		rc = 0;
	}
	/* the page holds copies: the cache's bytes and its person can go */
	req->me = NULL;
	web_cache_close(&v);
	return rc;
}

/* The pages: GET (and HEAD) shows, POST writes. */
static const struct {
	int post;
	const char *p;
	void (*answer)(web_req *req);
} routes[] = {
	{ 0, "home", home }, { 0, "doc", document }, { 0, "feedback", feedback_form }, { 0, "mine", mine_page },
	{ 0, "open", open_page }, { 0, "matrix", matrix }, { 0, "session", session_form },
	{ 1, "ack", ack }, { 1, "feedback", feedback_new }, { 1, "decide", decide }, { 1, "session", session },
};

void web_route(web_req *req)
{
	const char *p = dc_form_get(&req->query, "p");
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (routes[i].post == req->post && !strcmp(routes[i].p, p ? p : "home")) {
			routes[i].answer(req);
			return;
		}
	web_fail(req, 404, _("docctl-web: there is no such page; start from the reading list"));
}
