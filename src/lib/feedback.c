/*
 * feedback.c - the feedback item's form (reference §11): the front-matter
 * fields and their values, checked strictly after the project's YAML
 * loader has read them; and the policy's `feedback.ref`.
 */
#include "feedback.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "array.h"
#include "error.h"
#include "escape.h"
#include "i18n.h"
#include "revision.h"

const char *const dc_feedback_decision_fields[] = { "status", "decided_by", "decided_on", "reason", "resolved_in" };
const size_t dc_feedback_ndecision_fields = sizeof(dc_feedback_decision_fields) / sizeof(dc_feedback_decision_fields[0]);

static const char *const status_names[] = { "open", "accepted", "rejected", "deferred", "implemented" };
static const char *const kinds[] = { "error", "improvement", "question", "complaint", NULL };

/* The fields, in the order an item is written; `required` 1 always. */
static const struct {
	const char *name;
	int required;
} fields[] = {
	{ "id", 1 }, { "document", 1 }, { "revision", 1 }, { "kind", 1 }, { "from", 1 }, { "filed_on", 1 },
	{ "status", 1 }, { "decided_by", 0 }, { "decided_on", 0 }, { "reason", 0 }, { "resolved_in", 0 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

void dc_feedback_init(dc_feedback *f)
{
	memset(f, 0, sizeof(*f));
	dc_doc_init(&f->doc);
}

void dc_feedback_dispose(dc_feedback *f)
{
	if (f) {
		dc_arena_dispose(&f->doc.arena); /* dc_doc_dispose keeps the arena for the next parse */
		dc_feedback_init(f);
	}
}

int dc_feedback_id_parse(const char *id, int *year, int *number)
{
	int i;

	if (!id || strlen(id) != 12 || strncmp(id, "FB-", 3) || id[7] != '-')
		return -1;
	for (i = 3; i < 12; i++)
		if (i != 7 && !isdigit((unsigned char)id[i]))
			return -1;
	*year = atoi(id + 3);
	*number = atoi(id + 8);
	return *year >= 1000 && *number >= 1 ? 0 : -1;
}

int dc_feedback_path(dc_buf *out, int year, int number)
{
	return dc_buf_printf(out, "%s/FB-%04d-%04d.md", DC_FEEDBACK_DIR, year, number);
}

const char *dc_feedback_status_name(dc_fb_status s)
{
	return s < DC_FB_NSTATUS ? status_names[s] : "?";
}

int dc_feedback_status_parse(dc_fb_status *out, const char *s)
{
	int i;

	for (i = 0; s && i < DC_FB_NSTATUS; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (dc_fb_status)i;
			return 0;
		}
	return -1;
}

int dc_feedback_may_move(dc_fb_status from, dc_fb_status to)
{
	if (from == DC_FB_OPEN)
		return to == DC_FB_ACCEPTED || to == DC_FB_REJECTED || to == DC_FB_DEFERRED;
	return from == DC_FB_ACCEPTED && to == DC_FB_IMPLEMENTED;
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

int dc_feedback_names(const char *text, const char *id)
{
	size_t n = strlen(id);
	const char *p = text;

	while (p && (p = strstr(p, id))) {
		if ((p == text || !word_char(p[-1])) && !word_char(p[n]))
			return 1;
		p += n;
	}
	return 0;
}

int dc_feedback_trailer_names(const char *msg, const char *id)
{
	const char *line = msg;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len > 9 && !strncasecmp(line, "Resolves:", 9)) {
			char *copy = strndup(line + 9, len - 9);
			int hit = copy && dc_feedback_names(copy, id);

			free(copy);
			if (hit)
				return 1;
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

typedef struct {
	dc_feedback *f;
	const char *path;
	dc_diags *diags;
	int bad;
} checker;

static int bad_at(checker *c, const dc_mark *m, const char *fmt, const char *a, const char *b)
{
	c->bad = 1;
	return dc_diags_add(c->diags, c->path, m ? m->line : 0, m ? m->col : 0, DC_R_FEEDBACK_FORMAT, c->f->id, fmt, a, b);
}

/* A scalar field as text (a revision written 2 is the text "2"), or NULL
 * (a finding) when it is a list, a mapping or null. */
static int scalar(checker *c, const dc_node *root, const char *name, const char **out)
{
	const dc_pair *pr = dc_node_pair(root, name);

	*out = NULL;
	if (!pr)
		return 0;
	if (pr->value->kind == DC_NODE_SEQ || pr->value->kind == DC_NODE_MAP || pr->value->kind == DC_NODE_NULL ||
	    pr->value->kind == DC_NODE_BOOL || !pr->value->text || !pr->value->len || memchr(pr->value->text, '\n', pr->value->len))
		return bad_at(c, &pr->value->start, _("%s must be one line of text%s; write it as docctl feedback does"), name, "");
	*out = pr->value->text;
	return 0;
}

static int is_person_id(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return 0;
	return 1;
}

/* Every key a field of an item, every required one there; the values read. */
static int check_fields(checker *c, const dc_node *root)
{
	dc_feedback *f = c->f;
	size_t i;
	int k, known;

	for (i = 0; i < root->u.map.n; i++) {
		const dc_pair *pr = &root->u.map.pairs[i];

		for (known = 0, k = 0; k < (int)NFIELDS && !known; k++)
			known = !strcmp(pr->key->text, fields[k].name);
		if (!known && bad_at(c, &pr->key->start,
				     _("\"%s\" is not a field of a feedback item%s; the fields are id, document, revision, kind, from, filed_on, status, decided_by, decided_on, reason, resolved_in"),
				     pr->key->text, "") < 0)
			return -1;
	}
	for (k = 0; k < (int)NFIELDS; k++) {
		if (fields[k].required && !dc_node_pair(root, fields[k].name) &&
		    bad_at(c, &f->doc.open, _("the item has no %s%s; write it as docctl feedback new does"), fields[k].name, "") < 0)
			return -1;
	}
	if (scalar(c, root, "id", &f->id) < 0 || scalar(c, root, "document", &f->document) < 0 ||
	    scalar(c, root, "revision", &f->revision) < 0 || scalar(c, root, "kind", &f->kind) < 0 ||
	    scalar(c, root, "from", &f->from) < 0 || scalar(c, root, "filed_on", &f->filed_on) < 0 ||
	    scalar(c, root, "status", &f->status_name) < 0 || scalar(c, root, "decided_by", &f->decided_by) < 0 ||
	    scalar(c, root, "decided_on", &f->decided_on) < 0 || scalar(c, root, "reason", &f->reason) < 0 ||
	    scalar(c, root, "resolved_in", &f->resolved_in) < 0)
		return -1;
	return 0;
}

/* The id (its form and file name), the kind and who it is from. */
static int check_origin(checker *c, const dc_node *root)
{
	dc_feedback *f = c->f;
	const dc_node *n;
	int k;

	if (f->id) {
		dc_buf want = DC_BUF_INIT;
		int rc = 0;

		n = dc_node_get(root, "id");
		if (dc_feedback_id_parse(f->id, &f->year, &f->number) < 0)
			rc = bad_at(c, &n->start, _("id \"%s\" is not of the form FB-YYYY-NNNN%s, such as FB-2026-0042"), f->id, "");
		else if (dc_buf_printf(&want, "%s/%s.md", DC_FEEDBACK_DIR, f->id) < 0)
			rc = -1;
		else if (strcmp(want.ptr, c->path))
			rc = bad_at(c, &n->start, _("item %s must be the file %s"), f->id, want.ptr);
		dc_buf_dispose(&want);
		if (rc < 0)
			return -1;
	}
	if (f->kind) {
		for (k = 0; kinds[k] && strcmp(kinds[k], f->kind); k++)
			;
		if (!kinds[k] && bad_at(c, &dc_node_get(root, "kind")->start,
					_("kind \"%s\" is not one of error, improvement, question, complaint%s"), f->kind, "") < 0)
			return -1;
	}
	if (f->from) {
		n = dc_node_get(root, "from");
		if (!strncmp(f->from, "customer:", 9)) {
			const char *name = f->from + 9;

			while (*name == ' ')
				name++;
			if (!*name && bad_at(c, &n->start, _("from \"%s\" names no customer%s; write from: \"customer: 名称\""), f->from, "") < 0)
				return -1;
			f->customer = *name ? name : NULL;
		} else if (!is_person_id(f->from) &&
			   bad_at(c, &n->start, _("from \"%s\" is neither a person id nor \"customer: NAME\"%s"), f->from, "") < 0) {
			return -1;
		}
	}
	return 0;
}

/* The status, the dates and the decision, consistent with each other. */
static int check_decision(checker *c, const dc_node *root)
{
	dc_feedback *f = c->f;
	dc_date d;

	if (f->status_name && dc_feedback_status_parse(&f->status, f->status_name) < 0 &&
	    bad_at(c, &dc_node_get(root, "status")->start,
		   _("status \"%s\" is not one of open, accepted, rejected, deferred, implemented%s"), f->status_name, "") < 0)
		return -1;
	if (f->filed_on && dc_date_parse(&d, f->filed_on) < 0 &&
	    bad_at(c, &dc_node_get(root, "filed_on")->start, _("filed_on \"%s\" is not a date YYYY-MM-DD%s"), f->filed_on, "") < 0)
		return -1;
	if (f->filed_on && f->year && dc_date_parse(&d, f->filed_on) == 0 && d.y != f->year) {
		char year[8];

		snprintf(year, sizeof(year), "%d", d.y);
		if (bad_at(c, &dc_node_get(root, "id")->start, _("%s is numbered in another year than filed_on (%s); items are numbered per year"),
			   f->id, year) < 0)
			return -1;
	}
	if (f->decided_on && dc_date_parse(&d, f->decided_on) < 0 &&
	    bad_at(c, &dc_node_get(root, "decided_on")->start, _("decided_on \"%s\" is not a date YYYY-MM-DD%s"), f->decided_on, "") < 0)
		return -1;
	if (f->decided_by && !is_person_id(f->decided_by) &&
	    bad_at(c, &dc_node_get(root, "decided_by")->start, _("decided_by \"%s\" is not a person id%s"), f->decided_by, "") < 0)
		return -1;
	if (!f->status_name || dc_feedback_status_parse(&f->status, f->status_name) < 0)
		return 0;
	if (f->status == DC_FB_OPEN) {
		if ((f->decided_by || f->decided_on || f->reason) &&
		    bad_at(c, &dc_node_get(root, "status")->start,
			   _("an open item carries no decision%s; remove decided_by, decided_on and reason, or decide it: docctl feedback decide %s"),
			   "", f->id ? f->id : "FB-ID") < 0)
			return -1;
	} else if ((!f->decided_by || !f->decided_on || !f->reason) &&
		   bad_at(c, &dc_node_get(root, "status")->start,
			  _("a %s item carries decided_by, decided_on and reason%s; write the decision with docctl feedback decide"),
			  f->status_name, "") < 0) {
		return -1;
	}
	if ((f->status == DC_FB_IMPLEMENTED) != !!f->resolved_in &&
	    bad_at(c, &dc_node_get(root, "status")->start,
		   f->resolved_in ? _("resolved_in is written only when the item is implemented, not %s%s")
				  : _("an %s item names the revision that resolved it%s: add resolved_in"),
		   f->status_name, "") < 0)
		return -1;
	return 0;
}

static int check_values(checker *c, const dc_node *root)
{
	if (check_fields(c, root) < 0 || check_origin(c, root) < 0)
		return -1;
	return check_decision(c, root);
}

int dc_feedback_parse(dc_feedback *f, const char *path, const char *data, size_t len, dc_diags *diags)
{
	checker c;
	size_t before = diags->n, i;
	int blank = 1;

	dc_feedback_dispose(f);
	memset(&c, 0, sizeof(c));
	c.f = f;
	c.path = path;
	c.diags = diags;
	if (dc_doc_parse(&f->doc, path, data, len, 0, diags) < 0)
		return -1;
	if (!f->doc.root) {
		if (diags->n == before &&
		    dc_diags_add(diags, path, 1, 1, DC_R_FEEDBACK_FORMAT, NULL, _("the item has no front-matter mapping")) < 0)
			return -1;
		return 1;
	}
	if (f->doc.root->kind != DC_NODE_MAP)
		return bad_at(&c, &f->doc.open, _("the front-matter is not a mapping%s%s"), "", "") < 0 ? -1 : 1;
	if (check_values(&c, f->doc.root) < 0)
		return -1;
	for (i = 0; i < f->doc.body_len && blank; i++)
		blank = isspace((unsigned char)f->doc.body[i]);
	if (blank && bad_at(&c, &f->doc.open, _("the item has no text%s%s; write the request below the front-matter"), "", "") < 0)
		return -1;
	return c.bad || diags->n > before ? 1 : 0;
}

int dc_policy_feedback_load(dc_policy *p, const dc_node *root, dc_diags *diags)
{
	const dc_node *fb = dc_node_get(root, "feedback"), *ref;
	size_t i;

	p->feedback_ref = DC_FEEDBACK_REF;
	if (!fb)
		return 0;
	if (fb->kind != DC_NODE_MAP)
		return dc_diags_add(diags, p->file, fb->start.line, fb->start.col, DC_R_POLICY_INVALID, NULL,
				    _("feedback must be a mapping; write feedback: {ref: %s}"), DC_FEEDBACK_REF) < 0 ? -1 : 1;
	for (i = 0; i < fb->u.map.n; i++)
		if (strcmp(fb->u.map.pairs[i].key->text, "ref"))
			return dc_diags_add(diags, p->file, fb->u.map.pairs[i].key->start.line, fb->u.map.pairs[i].key->start.col,
					    DC_R_POLICY_INVALID, NULL, _("unknown key feedback.%s; feedback has only ref"),
					    fb->u.map.pairs[i].key->text) < 0 ? -1 : 1;
	if (!(ref = dc_node_get(fb, "ref")))
		return 0;
	if (ref->kind != DC_NODE_STR || strncmp(ref->text, "refs/heads/", 11) || strlen(ref->text) < 12 ||
	    strspn(ref->text, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-") != strlen(ref->text) ||
	    strstr(ref->text, "..") || strstr(ref->text, "//") || ref->text[strlen(ref->text) - 1] == '/')
		return dc_diags_add(diags, p->file, ref->start.line, ref->start.col, DC_R_POLICY_INVALID, NULL,
				    _("feedback.ref must be a branch that `protected` does not cover, such as %s"),
				    DC_FEEDBACK_REF) < 0 ? -1 : 1;
	p->feedback_ref = dc_arena_strdup(&p->arena, ref->text);
	return p->feedback_ref ? 0 : dc_error_oom();
}

int dc_feedback_resolving(const dc_event **out, const dc_history *h, git_repository *repo, dc_scheme scheme,
			  const char *id, const char *min)
{
	dc_revision want, got;
	size_t i;

	*out = NULL;
	if (min && dc_revision_parse_str(&want, scheme, min) < 0)
		return 0;
	for (i = 0; i < h->nevents && !*out; i++) { /* newest first */
		const dc_event *ev = &h->events[i];
		git_commit *c = NULL;
		int named;

		if (ev->kind != DC_EVENT_APPROVED || !ev->version->revision ||
		    (min && (dc_revision_parse_str(&got, scheme, ev->version->revision) < 0 || dc_revision_cmp(&got, &want) < 0)))
			continue;
		named = ev->version->change && dc_feedback_names(ev->version->change, id);
		if (!named) {
			if (git_commit_lookup(&c, repo, &ev->commit) < 0)
				return dc_error_set_git(_("cannot read an approving commit"));
			named = dc_feedback_trailer_names(git_commit_message(c), id);
			git_commit_free(c);
		}
		if (named)
			*out = ev;
	}
	return 0;
}

/* Adds the ids FB-YYYY-NNNN that `text` names (once each) to `out`; with
 * `trailers`, only those on "Resolves:" lines. */
static void ids_in(dc_buf *out, const char *text, int trailers)
{
	const char *p = text;
	int y, n;

	while (p && (p = strstr(p, "FB-"))) {
		char id[13];

		snprintf(id, sizeof(id), "%.12s", p);
		if (dc_feedback_id_parse(id, &y, &n) == 0 && (p == text || (p[-1] != '-' && !isalnum((unsigned char)p[-1]))) &&
		    (trailers ? dc_feedback_trailer_names(text, id) : dc_feedback_names(text, id)) &&
		    !(out->len && dc_feedback_names(out->ptr, id)))
			dc_buf_printf(out, "%s%s", out->len ? ", " : "", id);
		p += 3;
	}
}

size_t dc_feedback_resolved_ids(dc_buf *out, git_repository *repo, const char *change, const git_oid *commit)
{
	git_commit *c = NULL;
	size_t named;

	ids_in(out, change, 0);
	named = out->len;
	if (git_commit_lookup(&c, repo, commit) == 0)
		ids_in(out, git_commit_message(c), 1);
	git_commit_free(c);
	return named;
}

/* --- the open items, for the register and the site --- */

void dc_fb_open_init(dc_fb_open *o)
{
	memset(o, 0, sizeof(*o));
}

void dc_fb_open_dispose(dc_fb_open *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		dc_fb_open_item *it = &o->items[i];

		free(it->id), free(it->document), free(it->revision), free(it->kind), free(it->filed_on), free(it->text);
	}
	free(o->items);
	dc_fb_open_init(o);
}

/* The text of an item, surrounding blanks dropped, cut with "…" before
 * a character that would pass DC_FB_TEXT_MAX bytes or before a byte that
 * is not UTF-8. */
static char *item_text(const dc_doc *d)
{
	const char *s = d->body ? d->body : "";
	size_t len = d->body_len, cut = 0, n;
	unsigned cp;
	char *t;

	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (cut < len && (n = dc_utf8_next(s + cut, len - cut, &cp)) && cut + n <= DC_FB_TEXT_MAX)
		cut += n;
	if (!(t = malloc(cut + sizeof("…"))))
		return NULL;
	memcpy(t, s, cut);
	strcpy(t + cut, cut < len ? "…" : "");
	return t;
}

static int add_open(dc_fb_open *o, const dc_feedback *f)
{
	dc_fb_open_item *it;

	if (dc_array_grow(&o->items, &o->cap, o->n, sizeof(*o->items)) < 0)
		return -1;
	it = &o->items[o->n++];
	memset(it, 0, sizeof(*it));
	if (!(it->id = strdup(f->id)) || !(it->document = strdup(f->document)) || !(it->revision = strdup(f->revision)) ||
	    !(it->kind = strdup(f->kind)) || !(it->filed_on = strdup(f->filed_on)) || !(it->text = item_text(&f->doc)))
		return dc_error_oom();
	return 0;
}

/* One entry of feedback/: fn for the item when it parses. */
static int each_entry(git_repository *repo, const git_tree_entry *e, dc_feedback_fn fn, void *arg)
{
	dc_buf path = DC_BUF_INIT;
	git_blob *blob = NULL;
	dc_feedback f;
	dc_diags ignored;
	int rc;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) < 0)
		return dc_error_set_git(_("cannot read a feedback item"));
	dc_feedback_init(&f);
	dc_diags_init(&ignored);
	rc = dc_buf_printf(&path, "%s/%s", DC_FEEDBACK_DIR, git_tree_entry_name(e));
	if (rc == 0 && dc_feedback_parse(&f, path.ptr, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), &ignored) == 0)
		rc = fn(arg, &f);
	dc_feedback_dispose(&f);
	dc_diags_dispose(&ignored);
	dc_buf_dispose(&path);
	git_blob_free(blob);
	return rc < 0 ? -1 : 0;
}

int dc_feedback_each(git_repository *repo, const dc_policy *p, const char *remote, dc_feedback_fn fn, void *arg)
{
	dc_buf ref = DC_BUF_INIT;
	git_oid tip;
	git_commit *c = NULL;
	git_tree *t = NULL, *items = NULL;
	git_tree_entry *e = NULL;
	size_t i;
	int rc = 0;

	if (dc_buf_printf(&ref, "refs/remotes/%s/%s", remote ? remote : "origin", p->feedback_ref + strlen("refs/heads/")) < 0)
		return -1;
	if (git_reference_name_to_id(&tip, repo, ref.ptr) != 0 && git_reference_name_to_id(&tip, repo, p->feedback_ref) != 0)
		goto cleanup;
	if (git_commit_lookup(&c, repo, &tip) < 0 || git_commit_tree(&t, c) < 0) {
		rc = dc_error_set_git(_("cannot read the feedback ref"));
		goto cleanup;
	}
	if (git_tree_entry_bypath(&e, t, DC_FEEDBACK_DIR) != 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		goto cleanup;
	if (git_tree_lookup(&items, repo, git_tree_entry_id(e)) < 0)
		rc = dc_error_set_git(_("cannot read the feedback ref"));
	for (i = 0; rc == 0 && items && i < git_tree_entrycount(items); i++)
		rc = each_entry(repo, git_tree_entry_byindex(items, i), fn, arg);
cleanup:
	git_tree_free(items);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	dc_buf_dispose(&ref);
	return rc;
}

static int take_open(void *arg, const dc_feedback *f)
{
	return f->status == DC_FB_OPEN ? add_open(arg, f) : 0;
}

int dc_fb_open_load(dc_fb_open *o, git_repository *repo, const dc_policy *p)
{
	return dc_feedback_each(repo, p, NULL, take_open, o);
}

size_t dc_fb_open_count(const dc_fb_open *o, const char *id)
{
	size_t i, n = 0;

	for (i = 0; o && i < o->n; i++)
		n += !strcmp(o->items[i].document, id);
	return n;
}
