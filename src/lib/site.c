/*
 * site.c - the static HTML site of a protected branch (see site.h).
 *
 * Each document's body is rendered by md4c-html with raw HTML disabled, so
 * every `<a href="` and `<img src="` in its output was written by md4c for a
 * Markdown link or image, with the destination URL-escaped; those
 * destinations are then resolved like `check` resolves links (reference §4.4)
 * and pointed at the published pages, or at copies of the linked files.
 *
 * Lookups by id and path go through hash maps, so the work per page does not
 * grow with the number of documents; each file is written with one write(),
 * and only the manifest is synced to disk (see put_file()).
 */
#include "site.h"
#include "training.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <md4c-html.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "check.h"
#include "document.h"
#include "error.h"
#include "escape.h"
#include "feedback.h"
#include "fields.h"
#include "i18n.h"
#include "labels.h"
#include "sha256.h"
#include "fm_edit.h"
#include "strlist.h"
#include "strmap.h"

#define MANIFEST ".docctl-site"
#define MANIFEST_HEAD "docctl publish: the files of this site, one a line\n"
#define ASSET_MAX ((size_t)64 * 1024 * 1024)
/* the required marks stay bilingual whatever the locale (reference §7.13) */
#define UNCONTROLLED "打印件为非受控文件 / uncontrolled when printed"
#define OBSOLETE_MARK "作废 / OBSOLETE"

static const char css[] =
	"/* docctl publish: the style of the published controlled documents */\n"
	":root { --ink: #1d2329; --muted: #5b6670; --line: #c9d1d8; --head: #eef2f5; --warn: #b3261e; }\n"
	"* { box-sizing: border-box; }\n"
	"body { margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 4rem; color: var(--ink);\n"
	"  font: 16px/1.65 \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\", sans-serif; }\n"
	"a { color: #0b57a4; }\n"
	"nav { font-size: .9rem; margin-bottom: 1rem; }\n"
	"h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }\n"
	"h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid var(--line); }\n"
	"h1 .en, h2 .en, th .en { font-weight: normal; color: var(--muted); }\n"
	"th .en { display: block; font-size: .75rem; }\n"
	"table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .92rem; }\n"
	"th, td { border: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }\n"
	"th { background: var(--head); }\n"
	"tbody tr:nth-child(even) td { background: #f8fafb; }\n"
	"code { font-family: \"Noto Sans Mono CJK SC\", monospace; font-size: .9em; }\n"
	"pre { background: #f4f6f8; padding: .75rem; overflow-x: auto; }\n"
	"blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }\n"
	".meta { color: var(--muted); font-size: .9rem; }\n"
	".doc-header table { font-size: .95rem; }\n"
	".doc-header th { width: 11rem; }\n"
	".doc-header th .en { display: inline; margin-left: .4em; font-size: .8rem; }\n"
	"td.nowrap { white-space: nowrap; }\n"
	"table.feedback td:nth-child(-n+4) { white-space: nowrap; }\n"
	"table.feedback td:last-child { white-space: pre-line; overflow-wrap: anywhere; }\n"
	"table.register { font-size: .88rem; }\n"
	".status-obsolete, .obsolete-banner { color: var(--warn); font-weight: bold; }\n"
	"td.status-obsolete { white-space: nowrap; }\n"
	".obsolete-banner { border: 3px solid var(--warn); padding: .5rem 1rem; font-size: 1.2rem; margin: 1rem 0; }\n"
	".notice { border: 1px solid #e0b252; background: #fff8e6; padding: .5rem 1rem; }\n"
	".sig-good { color: #1e7b34; }\n"
	".sig-bad { color: var(--warn); }\n"
	"a.unpublished { color: inherit; text-decoration: none; border-bottom: 1px dotted var(--muted); }\n"
	".doc-body { margin-top: 1.5rem; }\n"
	"/* Chinese documents are written a clause per line (4.1 ..., 4.2 ...): keep the lines */\n"
	".doc-body p, .doc-body li { white-space: pre-line; }\n"
	".watermark { display: none; }\n"
	"footer { margin-top: 3rem; padding-top: .5rem; border-top: 1px solid var(--line); font-size: .85rem; color: var(--muted); }\n"
	"footer .uncontrolled { font-weight: bold; color: var(--ink); }\n"
	"body.obsolete .watermark { display: block; position: fixed; top: 40%; left: 0; right: 0; text-align: center;\n"
	"  font-size: 5rem; font-weight: bold; color: rgba(179, 38, 30, .12); transform: rotate(-20deg); pointer-events: none; }\n"
	"@media print {\n"
	"  body { max-width: none; padding: 0 0 3rem; font-size: 11pt; }\n"
	"  nav { display: none; }\n"
	"  a { color: inherit; text-decoration: none; }\n"
	"  th { background: none; }\n"
	"  tbody tr:nth-child(even) td { background: none; }\n"
	"  footer { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; }\n"
	"  tr, img { page-break-inside: avoid; }\n"
	"}\n";

/* --- small writers --- */

static void esc(dc_buf *b, const char *s)
{
	dc_html_escape(b, s);
}

/* An href for a path: every byte but unreserved characters and '/' encoded. */
static void url(dc_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			dc_buf_putc(b, (char)*p);
		else
			dc_buf_printf(b, "%%%02X", *p);
	}
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "—";
}

/* A heading cell, by the column's machine key (labels.h). */
static void th(dc_buf *b, const char *key)
{
	dc_buf_puts(b, "<th>");
	esc(b, dc_column_label(key));
	dc_buf_puts(b, "</th>");
}

/* A message for people (translated) in HTML: its text escaped, its
 * conversions filled with HTML the caller made (esc_to). */
static void say(dc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(dc_buf *b, const char *fmt, ...)
{
	dc_buf f = DC_BUF_INIT;
	va_list ap;

	esc(&f, fmt);
	va_start(ap, fmt);
	if (f.ptr)
		dc_buf_vprintf(b, f.ptr, ap);
	va_end(ap);
	dc_buf_dispose(&f);
}

/* s escaped into t (cleared first), for say(). */
static const char *esc_to(dc_buf *t, const char *s)
{
	dc_buf_clear(t);
	esc(t, s);
	return t->ptr ? t->ptr : "";
}

/* --- what is published --- */

/* A list of strings without repeats. */
typedef struct {
	dc_strlist l;
	dc_strmap index;               /* string -> index in l */
} strset;

typedef struct {
	git_repository *repo;
	dc_source *src;
	const dc_policy *policy;
	const dc_register *reg;
	const dc_site_opts *o;
	const dc_register_row **pub;   /* published rows, register order */
	size_t npub;
	dc_strmap pub_by_id;           /* id -> index in pub (the first) */
	dc_strmap pub_by_path;         /* path -> index in pub */
	dc_strmap doc_paths;           /* the paths of every row of the register */
	strset secret;                 /* files linked by documents left out as confidential */
	strset assets;                 /* linked files to copy (site paths under files/) */
	strset asset_keys;             /* "PATH\nBLOBHEX" of each, same index */
	git_oid *asset_blobs;          /* the blob of each, read once when written */
	size_t asset_cap;
	git_tree *doc_tree;            /* the tree of the shown revision's approval, or NULL */
	size_t doc_file_links;         /* links to files followed in the current page */
	dc_site_stats *stats;
	strset written;                /* files written (site paths) */
	dc_buf made_dir;               /* the folder last made for a file */
	char commit_hex[GIT_OID_HEXSZ + 1];
} site;

static int row_published(const dc_register_row *r, const dc_site_opts *o)
{
	const char *id = r->doc->id;

	/* the id names the page: never a path */
	if (!id[0] || id[0] == '.' || strpbrk(id, "/\\") || !r->revision || !r->status)
		return 0;
	if (dc_status_parse(r->status) != DC_STATUS_APPROVED && dc_status_parse(r->status) != DC_STATUS_OBSOLETE)
		return 0;
	return !r->confidential || o->include_confidential;
}

static const dc_register_row *published_by_id(const site *s, const char *id)
{
	size_t i;

	return id && dc_strmap_get(&s->pub_by_id, id, &i) ? s->pub[i] : NULL;
}

static const dc_register_row *published_by_path(const site *s, const char *path)
{
	size_t i;

	return dc_strmap_get(&s->pub_by_path, path, &i) ? s->pub[i] : NULL;
}

static int is_document(const site *s, const char *path)
{
	size_t i;

	return dc_strmap_get(&s->doc_paths, path, &i) || dc_policy_controls(s->policy, path);
}

/* Indexes the published rows by id and path, and every row by path. */
static int index_rows(site *s)
{
	size_t i;

	if (dc_strmap_reserve(&s->pub_by_id, s->npub) < 0 || dc_strmap_reserve(&s->pub_by_path, s->npub) < 0 ||
	    dc_strmap_reserve(&s->doc_paths, s->reg->n) < 0)
		return -1;
	for (i = 0; i < s->npub; i++)
		if (dc_strmap_put(&s->pub_by_id, s->pub[i]->doc->id, i) < 0 ||
		    dc_strmap_put(&s->pub_by_path, s->pub[i]->doc->path, i) < 0)
			return -1;
	for (i = 0; i < s->reg->n; i++)
		if (dc_strmap_put(&s->doc_paths, s->reg->rows[i].doc->path, i) < 0)
			return -1;
	return 0;
}

static int strset_add(strset *set, const char *str)
{
	size_t i;

	if (dc_strmap_get(&set->index, str, &i))
		return 0;
	if (dc_strlist_add(&set->l, str) < 0)
		return -1;
	if (dc_strmap_put(&set->index, set->l.v[set->l.n - 1], set->l.n - 1) < 0) {
		set->l.n--;
		return -1;
	}
	return 0;
}

static void strset_dispose(strset *set)
{
	dc_strlist_dispose(&set->l);
	dc_strmap_dispose(&set->index);
	memset(set, 0, sizeof(*set));
}

static void doc_link(dc_buf *b, const site *s, const char *id)
{
	if (published_by_id(s, id)) {
		dc_buf_puts(b, "<a href=\"");
		url(b, id);
		dc_buf_puts(b, ".html\">");
		esc(b, id);
		dc_buf_puts(b, "</a>");
	} else {
		esc(b, id);
	}
}

/* --- the page frame --- */

/*
 * The Content-Security-Policy of every page: nothing runs, nothing is
 * fetched but the site's own images and style sheet (or the hash of the
 * inline style), no form posts, no <base>. A page that somehow carried
 * markup would still run no script.
 */
static void csp(dc_buf *b, const char *inline_css)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char h[33];
	dc_buf style = DC_BUF_INIT;
	size_t i;

	dc_buf_puts(b, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; style-src ");
	if (inline_css) {
		/* the hash of the <style> element's text, as page_head() writes it */
		dc_buf_putc(&style, '\n');
		dc_buf_puts(&style, inline_css);
		dc_sha256(h, style.ptr, style.len);
		h[32] = 0;
		dc_buf_puts(b, "'sha256-");
		for (i = 0; i < 33; i += 3) {
			unsigned v = (unsigned)h[i] << 16 | (unsigned)(i + 1 < 33 ? h[i + 1] : 0) << 8 | (i + 2 < 32 ? h[i + 2] : 0);

			dc_buf_putc(b, b64[v >> 18 & 63]);
			dc_buf_putc(b, b64[v >> 12 & 63]);
			dc_buf_putc(b, i + 1 < 32 ? b64[v >> 6 & 63] : '=');
			dc_buf_putc(b, i + 2 < 32 ? b64[v & 63] : '=');
		}
		dc_buf_putc(b, '\'');
		dc_buf_dispose(&style);
	} else {
		dc_buf_puts(b, "'self'");
	}
	dc_buf_puts(b, "; base-uri 'none'; form-action 'none'\">\n");
}

static void page_head(dc_buf *b, const char *title, const char *body_class, const char *inline_css)
{
	/* TRANSLATORS: the language of the published pages, as HTML names it
	 * (<html lang="zh-CN">) */
	dc_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", _("en"));
	csp(b, inline_css);
	dc_buf_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<meta name=\"generator\" content=\"docctl publish\">\n<title>");
	esc(b, title);
	dc_buf_puts(b, "</title>\n");
	if (inline_css) {
		dc_buf_puts(b, "<style>\n");
		dc_buf_puts(b, inline_css);
		dc_buf_puts(b, "</style>\n");
	} else {
		dc_buf_puts(b, "<link rel=\"stylesheet\" href=\"style.css\">\n");
	}
	dc_buf_printf(b, "</head>\n<body class=\"%s\">\n", body_class);
}

static void page_foot(dc_buf *b, const char *refname, const char *commit_hex, int obsolete)
{
	dc_buf_puts(b, "<footer>\n<p class=\"uncontrolled\">" UNCONTROLLED);
	if (obsolete)
		dc_buf_puts(b, " · <span class=\"status-obsolete\">" OBSOLETE_MARK "</span>");
	{
		dc_buf ref = DC_BUF_INIT, hex = DC_BUF_INIT;

		dc_buf_puts(&ref, "<code>");
		esc(&ref, refname);
		dc_buf_puts(&ref, "</code>");
		dc_buf_printf(&hex, "<code class=\"commit\">%s</code>", commit_hex);
		dc_buf_puts(b, "</p>\n<p>");
		/* TRANSLATORS: the footer of every published page: the branch and its commit */
		say(b, _("Published from %s, commit %s"), ref.ptr ? ref.ptr : "", hex.ptr ? hex.ptr : "");
		dc_buf_puts(b, "</p>\n</footer>\n");
		dc_buf_dispose(&ref);
		dc_buf_dispose(&hex);
	}
	if (obsolete)
		dc_buf_puts(b, "<div class=\"watermark\" aria-hidden=\"true\">" OBSOLETE_MARK "</div>\n");
	dc_buf_puts(b, "</body>\n</html>\n");
}

/* --- the register table --- */

static void status_cell(dc_buf *b, const dc_register_row *r)
{
	if (r->obsolete)
		dc_buf_puts(b, "<td class=\"status-obsolete nowrap\">" OBSOLETE_MARK "</td>");
	else {
		dc_buf_puts(b, r->status && dc_status_parse(r->status) == DC_STATUS_APPROVED ? "<td class=\"nowrap\">" : "<td>");
		esc(b, or_dash(dc_status_label(r->status)));
		dc_buf_puts(b, "</td>");
	}
}

static void register_table(dc_buf *b, const site *s, const dc_register_row *const *rows, size_t n, int archive)
{
	size_t i;
	int checks = 0, fb = 0;

	/* the check step (reference §9.1): a column when some row has one */
	for (i = 0; i < n && !checks; i++)
		checks = rows[i]->checker_name != NULL;
	/* open feedback (reference §11): a column when some row has some */
	for (i = 0; i < n && !fb && !archive; i++)
		fb = rows[i]->open_feedback > 0;
	dc_buf_printf(b, "<table class=\"register%s\">\n<thead><tr>", archive ? " archive" : "");
	th(b, "id");
	th(b, "title");
	th(b, "type");
	th(b, "revision");
	th(b, "status");
	th(b, "owner");
	if (checks)
		th(b, "checker");
	th(b, "approver");
	th(b, "effective");
	if (archive) {
		th(b, "obsoleted_on");
		th(b, "superseded_by");
	} else {
		th(b, "next_review");
		th(b, "pending_revision");
	}
	if (fb)
		th(b, "open_feedback");
	dc_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		const dc_register_row *r = rows[i];

		dc_buf_puts(b, "<tr><td class=\"nowrap\">");
		if (s)
			doc_link(b, s, r->doc->id);
		else
			esc(b, r->doc->id);
		dc_buf_puts(b, "</td><td>");
		esc(b, or_dash(r->doc->title));
		dc_buf_puts(b, "</td><td>");
		esc(b, or_dash(r->type && r->type->title ? r->type->title : r->doc->type));
		dc_buf_puts(b, "</td><td>");
		esc(b, or_dash(r->revision));
		dc_buf_puts(b, "</td>");
		status_cell(b, r);
		dc_buf_puts(b, "<td>");
		esc(b, or_dash(r->owner_name));
		dc_buf_puts(b, "</td><td>");
		if (checks) {
			esc(b, or_dash(r->checker_name));
			dc_buf_puts(b, "</td><td>");
		}
		esc(b, or_dash(r->approver_name));
		dc_buf_puts(b, "</td><td class=\"nowrap\">");
		esc(b, or_dash(r->effective));
		dc_buf_puts(b, "</td><td class=\"nowrap\">");
		if (archive) {
			esc(b, or_dash(r->doc->obsoleted_on));
			dc_buf_puts(b, "</td><td>");
			if (r->doc->superseded_by.text && s)
				doc_link(b, s, r->doc->superseded_by.text);
			else
				esc(b, or_dash(r->doc->superseded_by.text));
		} else {
			esc(b, or_dash(r->next_review));
			dc_buf_puts(b, "</td><td>");
			if (r->pending_revision) {
				dc_buf t1 = DC_BUF_INIT, t2 = DC_BUF_INIT;

				/* TRANSLATORS: a pending revision and the date it takes effect */
				say(b, _("%s, effective %s"), esc_to(&t1, r->pending_revision),
				    esc_to(&t2, or_dash(r->pending_effective)));
				dc_buf_dispose(&t1);
				dc_buf_dispose(&t2);
			} else {
				dc_buf_puts(b, "—");
			}
		}
		if (fb && r->open_feedback && s) {
			dc_buf_puts(b, "</td><td class=\"open-feedback\"><a href=\"");
			url(b, r->doc->id);
			dc_buf_printf(b, ".html#feedback\">%zu</a>", r->open_feedback);
		} else if (fb) {
			dc_buf_printf(b, "</td><td class=\"open-feedback\">%zu", r->open_feedback);
		}
		dc_buf_puts(b, "</td></tr>\n");
	}
	dc_buf_puts(b, "</tbody>\n</table>\n");
}

/* A register page up to its open meta paragraph: the head, the title. */
static void register_head(dc_buf *b, const char *page, const char *inline_css)
{
	page_head(b, _("Register of controlled documents"), page, inline_css);
	dc_buf_puts(b, "<h1>");
	esc(b, _("Register of controlled documents"));
	dc_buf_puts(b, "</h1>\n<p class=\"meta\">");
}

int dc_site_register_page(dc_buf *out, const dc_register *reg, const char *refname,
			  const git_oid *commit)
{
	const dc_register_row **rows;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	if (!(rows = calloc(reg->n ? reg->n : 1, sizeof(*rows))))
		return dc_error_oom();
	for (i = 0; i < reg->n; i++)
		rows[i] = &reg->rows[i];
	git_oid_tostr(hex, sizeof(hex), commit);
	dc_buf_clear(out);
	register_head(out, "register", css);
	{
		dc_buf ref = DC_BUF_INIT, code = DC_BUF_INIT;

		dc_buf_printf(&code, "<code>%s</code>", hex);
		/* TRANSLATORS: the branch, its commit and the count of the register */
		say(out, P_("%s @ %s · %zu document", "%s @ %s · %zu documents", reg->n), esc_to(&ref, refname),
		    code.ptr ? code.ptr : "", reg->n);
		dc_buf_dispose(&ref);
		dc_buf_dispose(&code);
	}
	dc_buf_puts(out, "</p>\n");
	register_table(out, NULL, rows, reg->n, 0);
	page_foot(out, refname, hex, 0);
	free(rows);
	return out->len ? 0 : dc_error_oom();
}

/* --- the document page --- */

static void signature(dc_buf *b, const dc_event *e)
{
	const char *cls = "sig-bad", *text;

	/* the words of `docctl history` (cmd_history.c) */
	if (!e->verified)
		text = _("not checked");
	else
		switch (e->sig) {
		case DC_SIG_GOOD: cls = "sig-good"; text = _("verified"); break;
		case DC_SIG_NONE: text = _("not signed"); break;
		case DC_SIG_UNKNOWN_KEY: text = _("NOT verified: the key is not in the signers file"); break;
		case DC_SIG_WRONG_PRINCIPAL: text = _("NOT verified: signed by someone else's key"); break;
		case DC_SIG_NOT_SSH: text = _("NOT verified: not an SSH signature"); break;
		default: text = _("NOT verified: bad signature"); break;
		}
	dc_buf_printf(b, "<span class=\"%s\">", cls);
	esc(b, text);
	dc_buf_puts(b, "</span>");
}

/* "张敏 (zhang.min) · 2026-03-01 10:00:00 +0800 · approved · verified" (已批准 · 已核验) */
static void manifestation(dc_buf *b, const dc_policy *policy, const dc_event *e)
{
	char when[40];

	dc_time_format(when, sizeof(when), e->time, e->offset);
	esc(b, or_dash(dc_person_name(policy, e->signer)));
	if (e->signer) {
		dc_buf_puts(b, " (");
		esc(b, e->signer);
		dc_buf_puts(b, ")");
	}
	dc_buf_printf(b, " · %s · ", when);
	esc(b, dc_event_kind_label(e->kind));
	dc_buf_puts(b, " · ");
	signature(b, e);
}

static const dc_event *event_for(const dc_history *h, const dc_version *shown, dc_event_kind kind)
{
	size_t i;

	if (!h)
		return NULL;
	if (kind == DC_EVENT_APPROVED)
		return dc_history_approval_of(h, shown);
	for (i = 0; i < h->nevents; i++) {
		const dc_version *v = h->events[i].version;

		if (h->events[i].kind != kind)
			continue;
		if (kind == DC_EVENT_REVIEWED && v->reviewed_on && shown->reviewed_on &&
		    !strcmp(v->reviewed_on, shown->reviewed_on))
			return &h->events[i];
		if (kind == DC_EVENT_OBSOLETED)
			return &h->events[i];
		if (kind == DC_EVENT_CHECKED && v->checked_on && shown->checked_on && !strcmp(v->checked_on, shown->checked_on) &&
		    v->revision && shown->revision && !strcmp(v->revision, shown->revision))
			return &h->events[i];
	}
	return NULL;
}

static void header_row(dc_buf *b, const char *key)
{
	dc_buf_puts(b, "<tr>");
	th(b, key);
	dc_buf_puts(b, "<td>");
}

/* A vouching row: the manifestation from history, else what the file says. */
static void vouch_row(dc_buf *b, const site *s, const dc_history *h, const dc_version *shown, dc_event_kind kind,
		      const char *key, const char *by, const char *on)
{
	const dc_event *e = event_for(h, shown, kind);

	if (!e && !by)
		return;
	header_row(b, key);
	if (e) {
		manifestation(b, s->policy, e);
	} else {
		esc(b, or_dash(dc_person_name(s->policy, by)));
		dc_buf_puts(b, " · ");
		esc(b, or_dash(on));
		dc_buf_puts(b, " · ");
		esc(b, _("no signature on record"));
	}
	dc_buf_puts(b, "</td></tr>\n");
}

/* How many readers confirmed the revision in force (reference §10.2). */
static void training_row(dc_buf *b, const site *s, const char *id)
{
	const dc_train_doc *t = dc_training_doc(s->o->training, id);

	if (!t || !t->revision || !t->npeople)
		return;
	dc_buf_puts(b, "<tr><th>培训 Read</th><td>");
	dc_buf_printf(b, "<a href=\"training.html\">已确认 %zu/%zu</a></td></tr>\n", t->nconfirmed, t->npeople);
}

static void doc_header(dc_buf *b, const site *s, const dc_register_row *r, const dc_version *shown)
{
	const dc_docinfo *d = r->doc;
	size_t i;

	dc_buf_puts(b, "<header class=\"doc-header\">\n<table>\n");
	header_row(b, "id");
	esc(b, d->id);
	dc_buf_puts(b, "</td></tr>\n");
	header_row(b, "title");
	esc(b, or_dash(shown->title));
	dc_buf_puts(b, "</td></tr>\n");
	header_row(b, "revision");
	esc(b, or_dash(shown->revision));
	dc_buf_puts(b, "</td></tr>\n<tr>");
	th(b, "status");
	if (r->obsolete) {
		dc_buf_puts(b, "<td class=\"status-obsolete\">" OBSOLETE_MARK "</td></tr>\n");
	} else {
		dc_buf_puts(b, "<td>");
		/* TRANSLATORS: the status of a published document in force */
		esc(b, _("approved, in force"));
		dc_buf_puts(b, "</td></tr>\n");
	}
	training_row(b, s, d->id);
	header_row(b, "effective");
	esc(b, or_dash(shown->effective ? shown->effective : shown->approved_on));
	dc_buf_puts(b, "</td></tr>\n");
	header_row(b, "type");
	esc(b, or_dash(dc_type_label(s->policy, d->type)));
	if (d->classification) {
		dc_buf_puts(b, " · ");
		esc(b, dc_column_label("classification"));
		dc_buf_puts(b, " ");
		esc(b, d->classification);
	}
	dc_buf_puts(b, "</td></tr>\n");
	/* the three steps of reference §9.1: 编制 (the owner), 审核, 批准 */
	header_row(b, shown->checked_by ? "prepared" : "owner");
	esc(b, or_dash(dc_person_name(s->policy, shown->owner)));
	dc_buf_puts(b, "</td></tr>\n");
	if (shown->checked_by)
		vouch_row(b, s, r->history, shown, DC_EVENT_CHECKED, "checked", shown->checked_by, shown->checked_on);
	vouch_row(b, s, r->history, shown, DC_EVENT_APPROVED, "approved", shown->approved_by, shown->approved_on);
	if (shown->reviewed_on)
		vouch_row(b, s, r->history, shown, DC_EVENT_REVIEWED, "reviewed", shown->reviewed_by,
			  shown->reviewed_on);
	if (r->obsolete)
		vouch_row(b, s, r->history, shown, DC_EVENT_OBSOLETED, "obsoleted", shown->obsoleted_by,
			  shown->obsoleted_on);
	if (shown->change) {
		header_row(b, "change");
		esc(b, shown->change);
		dc_buf_puts(b, "</td></tr>\n");
	}
	if (d->nrefs) {
		header_row(b, "refs");
		for (i = 0; i < d->nrefs; i++) {
			if (i)
				dc_buf_puts(b, ", ");
			doc_link(b, s, d->refs[i].text);
		}
		dc_buf_puts(b, "</td></tr>\n");
	}
	if (d->source) {
		header_row(b, "source");
		esc(b, d->source);
		if (d->source_version) {
			dc_buf_puts(b, " · ");
			esc(b, d->source_version);
		}
		dc_buf_puts(b, "</td></tr>\n");
	}
	dc_buf_puts(b, "</table>\n</header>\n");
}

/* The feedback items (reference §11) an approval resolves that its change
 * does not name already: those of its commit's "Resolves:" trailers. */
static void resolves(dc_buf *b, const site *s, const dc_version *v, const dc_event *e)
{
	dc_buf ids = DC_BUF_INIT, t = DC_BUF_INIT;
	size_t named = dc_feedback_resolved_ids(&ids, s->repo, v->change, &e->commit);

	if (ids.len > named) {
		dc_buf_puts(b, "<br>");
		/* TRANSLATORS: the feedback items an approved revision resolves, FB-2026-0001, ... */
		say(b, _("Resolves %s"), esc_to(&t, ids.ptr + named + (named ? 2 : 0)));
	}
	dc_buf_dispose(&ids);
	dc_buf_dispose(&t);
}

static void history_table(dc_buf *b, const site *s, const dc_register_row *r)
{
	const dc_history *h = r->history;
	size_t i;

	dc_buf_puts(b, "<section class=\"history\">\n<h2>");
	esc(b, _("Revision history"));
	dc_buf_puts(b, "</h2>\n");
	if (!h || !h->nevents) {
		dc_buf_puts(b, "<p>");
		esc(b, _("No approvals on record."));
		dc_buf_puts(b, "</p>\n</section>\n");
		return;
	}
	dc_buf_puts(b, "<table>\n<thead><tr>");
	th(b, "revision");
	th(b, "meaning");
	th(b, "signer");
	th(b, "time");
	th(b, "signature");
	th(b, "effective");
	th(b, "change");
	th(b, "commit");
	dc_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < h->nevents; i++) {
		const dc_event *e = &h->events[i];
		const dc_version *v = e->version;
		char when[40], hex[GIT_OID_HEXSZ + 1];

		dc_time_format(when, sizeof(when), e->time, e->offset);
		git_oid_tostr(hex, sizeof(hex), &e->commit);
		dc_buf_puts(b, "<tr><td>");
		esc(b, or_dash(v->revision));
		dc_buf_puts(b, "</td><td>");
		esc(b, dc_event_kind_label(e->kind));
		dc_buf_puts(b, "</td><td>");
		esc(b, or_dash(dc_person_name(s->policy, e->signer)));
		dc_buf_printf(b, "</td><td>%s</td><td>", when);
		signature(b, e);
		dc_buf_puts(b, "</td><td>");
		esc(b, or_dash(v->effective ? v->effective : v->approved_on));
		if (e->kind == DC_EVENT_APPROVED && dc_version_pending(v, &s->o->today))
			esc(b, _(" (pending)"));
		dc_buf_puts(b, "</td><td>");
		esc(b, e->kind == DC_EVENT_APPROVED ? or_dash(v->change) : "");
		if (e->kind == DC_EVENT_APPROVED)
			resolves(b, s, v, e);
		dc_buf_printf(b, "</td><td><code title=\"%s\">%.12s</code></td></tr>\n", hex, hex);
	}
	dc_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

typedef struct {
	dc_buf *out;
	int failed;
} md_sink;

static void md_out(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	md_sink *k = userdata;

	if (dc_buf_put(k->out, text, size) < 0)
		k->failed = 1;
}

/* Decodes the "&amp;" md4c writes in URLs. */
static void unescape_url(dc_buf *out, const char *s, size_t n)
{
	size_t i;

	dc_buf_clear(out);
	for (i = 0; i < n; i++) {
		if (!strncmp(s + i, "&amp;", 5) && i + 5 <= n) {
			dc_buf_putc(out, '&');
			i += 4;
		} else {
			dc_buf_putc(out, s[i]);
		}
	}
}

/* --- linked files --- */

/* Types a browser shows or downloads but never runs: no HTML, SVG, XML or
 * script (reference §7 publish, "Output safety"). */
static int inert_type(const char *path)
{
	static const char *const ok[] = {
		"png", "jpg", "jpeg", "gif", "webp", "bmp", "pdf", "txt", "csv",
		"doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "zip",
	};
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t i;

	if (!dot || (slash && dot < slash))
		return 0;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcasecmp(dot + 1, ok[i]))
			return 1;
	return 0;
}

/* No dot-file and nothing under a dot-folder (.htaccess, .docctl/, .git*). */
static int hidden_path(const char *path)
{
	const char *p = path;

	for (; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		if (*p == '.')
			return 1;
	return 0;
}

/*
 * The linked file `target` (a project path) as the approval of the page
 * being written saw it: its blob in that commit's tree, when it is an
 * inert file that may be published. Returns 1 with the site path (under
 * files/) in `out`, 0 when it is not published, -1 on failure. Only the
 * tree entry and the object's header are read here; the blob itself is
 * read once, when it is written.
 */
static int add_asset(dc_buf *out, site *s, const char *target)
{
	dc_buf full = DC_BUF_INIT, key = DC_BUF_INIT;
	git_tree_entry *e = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	git_filemode_t mode;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, size;
	int rc = 0;

	if (!s->doc_tree || !*target || hidden_path(target) || !inert_type(target) ||
	    dc_strmap_get(&s->secret.index, target, &i))
		return 0;
	if (++s->doc_file_links > DC_SITE_FILE_LINKS_MAX) {
		s->stats->links_capped++;
		return 0;
	}
	if (s->o->prefix && *s->o->prefix)
		dc_buf_printf(&full, "%s/%s", s->o->prefix, target);
	else
		dc_buf_puts(&full, target);
	if (git_tree_entry_bypath(&e, s->doc_tree, full.ptr) < 0)
		goto done; /* not in the approved revision */
	mode = git_tree_entry_filemode(e);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE))
		goto done; /* a folder, a symbolic link, a submodule */
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
	dc_buf_printf(&key, "%s\n%s", target, hex);
	if (!dc_strmap_get(&s->asset_keys.index, key.ptr, &i)) {
		if (git_repository_odb(&odb, s->repo) < 0 ||
		    git_odb_read_header(&size, &type, odb, git_tree_entry_id(e)) < 0) {
			rc = dc_error_set_git(_("cannot read a linked file"));
			goto done;
		}
		if (size > ASSET_MAX)
			goto done;
		i = s->assets.l.n;
		dc_buf_clear(out);
		/* the same path at another approval with other bytes: a folder of its own */
		if (dc_strmap_get(&s->assets.index, target, &size))
			dc_buf_printf(out, "v-%.12s/", hex);
		dc_buf_puts(out, target);
		if (dc_array_grow(&s->asset_blobs, &s->asset_cap, i, sizeof(git_oid)) < 0 ||
		    strset_add(&s->assets, out->ptr) < 0 || strset_add(&s->asset_keys, key.ptr) < 0) {
			rc = -1;
			goto done;
		}
		git_oid_cpy(&s->asset_blobs[i], git_tree_entry_id(e));
	}
	dc_buf_clear(out);
	dc_buf_puts(out, s->assets.l.v[i]);
	rc = 1;
done:
	git_odb_free(odb);
	git_tree_entry_free(e);
	dc_buf_dispose(&full);
	dc_buf_dispose(&key);
	return rc;
}

/*
 * Rewrites one destination. Returns 1 with the new URL in `out`, 0 to keep
 * it, -2 to drop it (not published, broken, a scheme that is not http,
 * https or mailto), -1 on failure.
 */
static int rewrite_dest(dc_buf *out, site *s, const char *doc_path, const char *dest)
{
	dc_buf target = DC_BUF_INIT, file = DC_BUF_INIT;
	const dc_register_row *r;
	const char *frag = strchr(dest, '#');
	int rc;

	if (!dc_link_scheme_safe(dest))
		return -2; /* javascript:, data:, vbscript:, file:, ... (link.scheme) */
	rc = dc_link_resolve(&target, doc_path, dest);
	if (rc == 0)
		goto done; /* http(s), mailto, or a fragment of this page */
	if (rc == 2) {
		rc = -2;
		goto done;
	}
	dc_buf_clear(out);
	if ((r = published_by_path(s, target.ptr))) {
		url(out, r->doc->id);
		dc_buf_puts(out, ".html");
		if (frag)
			dc_buf_puts(out, frag);
		rc = 1;
	} else if (is_document(s, target.ptr)) {
		rc = -2;
	} else if ((rc = add_asset(&file, s, target.ptr)) == 1) {
		dc_buf_puts(out, "files/");
		url(out, file.ptr);
		if (frag)
			dc_buf_puts(out, frag);
	} else if (rc == 0) {
		rc = -2; /* a folder, nothing, or a file the approval does not cover */
	}
done:
	dc_buf_dispose(&target);
	dc_buf_dispose(&file);
	return rc;
}

/* Rewrites the href of every <a> and the src of every <img> md4c wrote. */
static int rewrite_links(dc_buf *out, site *s, const char *doc_path, const char *html, size_t len)
{
	static const char *const attrs[] = { "<a href=\"", "<img src=\"" };
	dc_buf dest = DC_BUF_INIT, repl = DC_BUF_INIT;
	const char *p = html, *end = html + len, *next[2] = { NULL, NULL };
	int rc = 0, searched[2] = { 0, 0 };

	while (p < end) {
		const char *hit = NULL, *q;
		size_t k, which = 0;

		/* the next hit of each attribute, searched again once passed */
		for (k = 0; k < 2; k++) {
			if (!searched[k] || (next[k] && next[k] < p)) {
				next[k] = strstr(p, attrs[k]);
				searched[k] = 1;
			}
			if (next[k] && (!hit || next[k] < hit)) {
				hit = next[k];
				which = k;
			}
		}
		if (!hit || !(q = strchr(hit + strlen(attrs[which]), '"'))) {
			dc_buf_put(out, p, (size_t)(end - p));
			break;
		}
		dc_buf_put(out, p, (size_t)(hit - p));
		unescape_url(&dest, hit + strlen(attrs[which]), (size_t)(q - hit - strlen(attrs[which])));
		rc = rewrite_dest(&repl, s, doc_path, dest.ptr);
		if (rc < 0 && rc != -2)
			break;
		if (rc == 0) {
			dc_buf_put(out, hit, (size_t)(q - hit));
		} else if (rc == 1) {
			dc_buf_puts(out, which ? "<img src=\"" : "<a href=\"");
			esc(out, repl.ptr);
		} else if (which == 0) {
			dc_buf_puts(out, "<a class=\"unpublished\" title=\"");
			/* TRANSLATORS: the tooltip of a link to a file or page that is not published */
			esc(out, _("not published"));
		} else {
			dc_buf_puts(out, "<img class=\"unpublished\" title=\"");
			esc(out, _("not published"));
		}
		rc = 0;
		p = q;
	}
	dc_buf_dispose(&dest);
	dc_buf_dispose(&repl);
	return rc;
}

static int render_body(dc_buf *out, site *s, const char *doc_path, const char *data, size_t len)
{
	dc_buf html = DC_BUF_INIT;
	md_sink sink = { &html, 0 };
	dc_diags ignored;
	dc_doc doc;
	const char *body = data;
	size_t body_len = len;
	int rc;

	dc_doc_init(&doc);
	dc_diags_init(&ignored);
	if ((rc = dc_doc_parse(&doc, doc_path, data, len, 0, &ignored)) == 0 && doc.body) {
		body = doc.body;
		body_len = doc.body_len;
	}
	if (rc == 0 && (md_html(body, (MD_SIZE)body_len, md_out, &sink,
				MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML, 0) != 0 ||
			sink.failed))
		rc = dc_error_set(_("cannot render %s as HTML"), doc_path);
	if (rc == 0)
		rc = rewrite_links(out, s, doc_path, html.ptr, html.len);
	dc_buf_dispose(&html);
	dc_diags_dispose(&ignored);
	dc_doc_dispose(&doc);
	return rc;
}

/* The version shown: the one in force, read from history while the tip's
 * revision is pending, else the tip's file (the tip's fields). */
static int shown_version(dc_version *v, dc_buf *data, site *s, const dc_register_row *r)
{
	const dc_docinfo *d = r->doc;
	int rc;

	if (r->in_force) {
		*v = *r->in_force;
		return dc_version_read(data, s->repo, r->in_force);
	}
	memset(v, 0, sizeof(*v));
	v->path = d->path;
	v->id = d->id;
	v->title = d->title;
	v->type = d->type;
	v->revision = d->revision;
	v->status = d->status;
	v->change = d->change;
	v->owner = d->owner;
	v->classification = d->classification;
	v->approved_by = d->approved_by;
	v->approved_on = d->approved_on;
	v->effective = d->effective;
	v->reviewed_by = d->reviewed_by;
	v->reviewed_on = d->reviewed_on;
	v->obsoleted_by = d->obsoleted_by;
	v->obsoleted_on = d->obsoleted_on;
	v->superseded_by = d->superseded_by.text;
	v->checked_by = d->checked_by;
	v->checked_on = d->checked_on;
	rc = dc_source_read_path(s->src, d->path, DC_FILE_MAX, data);
	return rc == 1 ? dc_error_set(_("'%s' is missing from the tree"), d->path) : rc;
}

/* The tree of the commit that approved the version shown: the linked files
 * a page may publish are those of that tree, not the branch tip's (an
 * unsigned push may have changed them since). None without an approval. */
static int approval_tree(site *s, const dc_register_row *r, const dc_version *shown)
{
	const dc_event *e = r->history ? dc_history_approval_of(r->history, shown) : NULL;
	git_commit *c = NULL;
	int rc = 0;

	git_tree_free(s->doc_tree);
	s->doc_tree = NULL;
	s->doc_file_links = 0;
	if (!e)
		return 0;
	if (git_commit_lookup(&c, s->repo, &e->commit) < 0 || git_commit_tree(&s->doc_tree, c) < 0)
		rc = dc_error_set_git(_("cannot read the approved revision of a document"));
	git_commit_free(c);
	return rc;
}

/* The files a document lists (reference §9.3), copied beside the pages as
 * the approval's tree holds them and linked, each with its size. */
typedef struct {
	dc_buf *b;
	site *s;
} attach_ctx;

static int attachment_item(const char *entry, const char *path, void *payload)
{
	attach_ctx *a = payload;
	dc_buf file = DC_BUF_INIT;
	int rc = add_asset(&file, a->s, path);

	dc_buf_puts(a->b, "<li>");
	if (rc == 1) {
		dc_buf_puts(a->b, "<a href=\"files/");
		url(a->b, file.ptr);
		dc_buf_puts(a->b, "\">");
		esc(a->b, entry);
		dc_buf_puts(a->b, "</a>");
	} else {
		esc(a->b, entry);
		esc(a->b, _(" (not published)"));
	}
	dc_buf_puts(a->b, "</li>\n");
	dc_buf_dispose(&file);
	return rc < 0 ? -1 : 0;
}

static int attachments(dc_buf *b, site *s, const dc_docinfo *d)
{
	attach_ctx a = { b, s };
	int rc;

	dc_buf_puts(b, "<section class=\"attachments\">\n<h2>");
	/* TRANSLATORS: the files approved with a document (附件), reference §9.3 */
	esc(b, _("Attachments"));
	dc_buf_puts(b, "</h2>\n<ul>\n");
	rc = dc_docinfo_files(d, s->policy, attachment_item, &a);
	dc_buf_puts(b, "</ul>\n</section>\n");
	return rc;
}

/* The open feedback items on the document (reference §11): their text is
 * the submitter's, escaped (and cut, feedback.h). */
static void feedback_section(dc_buf *b, const site *s, const char *id)
{
	static const char *const keys[] = { "id", "revision", "kind", "filed_on", "text" };
	const dc_fb_open *o = s->o->feedback;
	size_t i, n = dc_fb_open_count(o, id);

	if (!n)
		return;
	dc_buf_puts(b, "<section id=\"feedback\">\n<h2>");
	esc(b, _("Open feedback"));
	dc_buf_puts(b, "</h2>\n<table class=\"feedback\">\n<thead><tr>");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		th(b, keys[i]);
	dc_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (i = 0; i < o->n; i++) {
		const dc_fb_open_item *it = &o->items[i];
		const char *cells[] = { it->id, it->revision, it->kind, it->filed_on, it->text };

		if (!strcmp(it->document, id))
			dc_html_row(b, cells, 5);
	}
	dc_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

static int document_page(dc_buf *b, site *s, const dc_register_row *r)
{
	const dc_docinfo *d = r->doc;
	dc_buf data = DC_BUF_INIT, title = DC_BUF_INIT;
	dc_version shown;
	int rc;

	if ((rc = shown_version(&shown, &data, s, r)) < 0)
		goto cleanup;
	dc_buf_printf(&title, "%s%s %s %s", r->obsolete ? "【" OBSOLETE_MARK "】" : "", d->id, or_dash(shown.title),
		      or_dash(shown.revision));
	dc_buf_clear(b);
	page_head(b, title.ptr, r->obsolete ? "doc obsolete" : "doc", NULL);
	dc_buf_puts(b, "<nav><a href=\"index.html\">");
	esc(b, _("Register of controlled documents"));
	dc_buf_puts(b, "</a>");
	if (s->policy->web_url) {
		/* the web front (reference §12): confirm reading, give feedback */
		dc_buf_puts(b, " · <a href=\"");
		esc(b, s->policy->web_url);
		dc_buf_puts(b, "?p=home\">");
		esc(b, _("I have read and understood"));
		dc_buf_puts(b, "</a> · <a href=\"");
		esc(b, s->policy->web_url);
		dc_buf_puts(b, "?p=feedback&amp;id=");
		esc(b, d->id);
		dc_buf_puts(b, "\">");
		esc(b, _("Feedback"));
		dc_buf_puts(b, "</a>");
	}
	dc_buf_puts(b, "</nav>\n");
	if (r->obsolete) {
		dc_buf_puts(b, "<div class=\"obsolete-banner\">" OBSOLETE_MARK " — ");
		esc(b, _("this document is withdrawn, kept for reference only"));
		if (d->obsoleted_on) {
			dc_buf_puts(b, " (");
			esc(b, d->obsoleted_on);
			dc_buf_puts(b, ")");
		}
		if (d->superseded_by.text) {
			dc_buf link = DC_BUF_INIT;

			doc_link(&link, s, d->superseded_by.text);
			say(b, _("; superseded by %s"), link.ptr ? link.ptr : "");
			dc_buf_dispose(&link);
		}
		dc_buf_puts(b, "</div>\n");
	}
	doc_header(b, s, r, &shown);
	if (r->pending_revision) {
		dc_buf t1 = DC_BUF_INIT, t2 = DC_BUF_INIT, t3 = DC_BUF_INIT;

		dc_buf_puts(b, "<p class=\"notice\">");
		say(b, _("Pending: revision %s is approved and takes effect on %s; until then this page shows revision %s, in force."),
		    esc_to(&t1, r->pending_revision), esc_to(&t2, or_dash(r->pending_effective)),
		    esc_to(&t3, or_dash(shown.revision)));
		dc_buf_puts(b, "</p>\n");
		dc_buf_dispose(&t1);
		dc_buf_dispose(&t2);
		dc_buf_dispose(&t3);
	}
	dc_buf_puts(b, "<main class=\"doc-body\">\n");
	if ((rc = approval_tree(s, r, &shown)) < 0 || (rc = render_body(b, s, d->path, data.ptr, data.len)) < 0)
		goto cleanup;
	if (s->doc_file_links > DC_SITE_FILE_LINKS_MAX && !s->stats->capped_id)
		s->stats->capped_id = d->id;
	dc_buf_puts(b, "</main>\n");
	if (d->files && (rc = attachments(b, s, d)) < 0)
		goto cleanup;
	feedback_section(b, s, d->id);
	history_table(b, s, r);
	page_foot(b, s->o->refname, s->commit_hex, r->obsolete);
cleanup:
	dc_buf_dispose(&data);
	dc_buf_dispose(&title);
	return rc;
}

static int index_page(dc_buf *b, site *s)
{
	const dc_register_row **cur, **old;
	size_t i, ncur = 0, nold = 0;

	cur = calloc(s->npub + 1, sizeof(*cur));
	old = calloc(s->npub + 1, sizeof(*old));
	if (!cur || !old) {
		free(cur);
		free(old);
		return dc_error_oom();
	}
	for (i = 0; i < s->npub; i++) {
		if (s->pub[i]->obsolete)
			old[nold++] = s->pub[i];
		else
			cur[ncur++] = s->pub[i];
	}
	dc_buf_clear(b);
	register_head(b, "index", NULL);
	{
		dc_buf ref = DC_BUF_INIT, code = DC_BUF_INIT;

		dc_buf_printf(&code, "<code>%.12s</code>", s->commit_hex);
		/* TRANSLATORS: the count of the published register, the branch and its commit */
		say(b, P_("%zu document in force · %s @ %s", "%zu documents in force · %s @ %s", ncur), ncur,
		    esc_to(&ref, s->o->refname), code.ptr ? code.ptr : "");
		dc_buf_dispose(&ref);
		dc_buf_dispose(&code);
	}
	dc_buf_puts(b, "</p>\n");
	register_table(b, s, cur, ncur, 0);
	dc_buf_puts(b, "<h2>");
	esc(b, _("Archive: obsolete documents"));
	dc_buf_puts(b, "</h2>\n<p class=\"meta\">");
	/* TRANSLATORS: %s is the bilingual mark 作废 / OBSOLETE */
	say(b, _("These documents are withdrawn (%s), kept for reference only; do not use them."), OBSOLETE_MARK);
	dc_buf_puts(b, "</p>\n");
	if (nold) {
		register_table(b, s, old, nold, 1);
	} else {
		dc_buf_puts(b, "<p>");
		esc(b, _("None."));
		dc_buf_puts(b, "</p>\n");
	}
	page_foot(b, s->o->refname, s->commit_hex, 0);
	free(cur);
	free(old);
	return 0;
}

/* --- files --- */

static int mkdirs(const char *path)
{
	dc_buf p = DC_BUF_INIT;
	char *slash;
	int rc = 0;

	dc_buf_puts(&p, path);
	for (slash = strchr(p.ptr + 1, '/'); rc == 0; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(p.ptr, 0755) < 0 && errno != EEXIST)
			rc = dc_error_set(_("cannot create folder '%s': %s"), p.ptr, strerror(errno));
		if (!slash)
			break;
		*slash = '/';
	}
	dc_buf_dispose(&p);
	return rc;
}

/*
 * Writes one file of the site in one write: a new file in place, an
 * existing one (an earlier run's) through a temporary file renamed over it,
 * so that a reader of the old site never sees half a page and a symbolic
 * link there is replaced, not followed. No fsync: the site is a copy that
 * the next run rewrites whole, and only its manifest is written durably.
 */
static int put_file(const char *path, const char *data, size_t len)
{
	dc_buf tmp = DC_BUF_INIT;
	const char *target = path;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		const char *slash = strrchr(path, '/');

		dc_buf_printf(&tmp, "%.*s.%s.%ld.tmp", (int)(slash ? slash + 1 - path : 0), path,
			      slash ? slash + 1 : path, (long)getpid());
		unlink(tmp.ptr);
		target = tmp.ptr;
		fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		rc = dc_error_set(_("cannot write '%s': %s"), target, strerror(errno));
		goto cleanup;
	}
	rc = dc_fd_write_all(fd, target, data, len);
	if (close(fd) < 0 && rc == 0)
		rc = dc_error_set(_("cannot write '%s': %s"), target, strerror(errno));
	if (rc == 0 && target != path && rename(target, path) < 0)
		rc = dc_error_set(_("cannot rename '%s' to '%s': %s"), target, path, strerror(errno));
	if (rc < 0 && target != path)
		unlink(target);
cleanup:
	dc_buf_dispose(&tmp);
	return rc;
}

static int write_file(site *s, const char *rel, const char *data, size_t len)
{
	dc_buf full = DC_BUF_INIT;
	char *slash;
	int rc = 0;

	dc_buf_printf(&full, "%s/%s", s->o->out_dir, rel);
	slash = strrchr(full.ptr, '/');
	*slash = '\0';
	/* the out folder exists; pages go there, linked files into a few more */
	if (strcmp(full.ptr, s->o->out_dir) && strcmp(full.ptr, s->made_dir.ptr)) {
		if ((rc = mkdirs(full.ptr)) == 0) {
			dc_buf_clear(&s->made_dir);
			dc_buf_puts(&s->made_dir, full.ptr);
		}
	}
	*slash = '/';
	if (rc == 0)
		rc = put_file(full.ptr, data, len);
	if (rc == 0)
		rc = strset_add(&s->written, rel);
	dc_buf_dispose(&full);
	return rc;
}

/* The files an earlier publish wrote (from its manifest); 1 when the folder
 * is missing or empty, 0 when it has a manifest, -1 when it is some other
 * folder. */
static int previous(dc_buf *manifest, const char *dir)
{
	dc_buf path = DC_BUF_INIT;
	DIR *d;
	struct dirent *e;
	int empty = 1, rc;

	if (!(d = opendir(dir)))
		return errno == ENOENT ? 1 : dc_error_set(_("cannot open folder '%s': %s"), dir, strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	if (empty)
		return 1;
	dc_buf_printf(&path, "%s/" MANIFEST, dir);
	rc = dc_file_read(manifest, path.ptr);
	dc_buf_dispose(&path);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return dc_error_set(_("'%s' is not empty and was not made by docctl publish; publish into an empty or new folder"),
				    dir);
	if (strncmp(manifest->ptr, MANIFEST_HEAD, strlen(MANIFEST_HEAD)))
		return dc_error_set(_("'%s' has a foreign %s file; publish into an empty or new folder"), dir, MANIFEST);
	return 0;
}

/* Removes the files of the earlier run that this run did not write. */
static int remove_stale(site *s, dc_buf *manifest, size_t *removed)
{
	char *line = manifest->ptr + strlen(MANIFEST_HEAD), *nl;
	dc_buf full = DC_BUF_INIT;

	for (; *line; line = nl + 1) {
		size_t i;
		int keep_it = 0;

		if (!(nl = strchr(line, '\n')))
			break;
		*nl = '\0';
		keep_it = dc_strmap_get(&s->written.index, line, &i);
		if (!keep_it && *line && !strstr(line, "..") && line[0] != '/') {
			dc_buf_clear(&full);
			dc_buf_printf(&full, "%s/%s", s->o->out_dir, line);
			if (unlink(full.ptr) == 0)
				(*removed)++;
		}
	}
	dc_buf_dispose(&full);
	return 0;
}

/* The rows that are published; a withheld confidential document's linked
 * files are kept out with it. Returns 0 or -1. */
static int select_rows(site *s)
{
	const dc_register *reg = s->reg;
	size_t i, k;

	if (!(s->pub = calloc(reg->n + 1, sizeof(*s->pub))))
		return dc_error_oom();
	for (i = 0; i < reg->n; i++) {
		const dc_register_row *r = &reg->rows[i];

		if (row_published(r, s->o)) {
			s->pub[s->npub++] = r;
			continue;
		}
		s->stats->withheld++;
		for (k = 0; r->confidential && k < r->doc->nlinks; k++)
			if (strset_add(&s->secret, r->doc->links[k].target) < 0)
				return -1;
	}
	return 0;
}

/* One page per published document, then the index. Returns 0 or -1. */
static int write_pages(site *s, dc_buf *page)
{
	size_t i;
	int rc;

	for (i = 0; i < s->npub; i++) {
		dc_buf name = DC_BUF_INIT;

		if ((rc = document_page(page, s, s->pub[i])) == 0) {
			dc_buf_printf(&name, "%s.html", s->pub[i]->doc->id);
			rc = write_file(s, name.ptr, page->ptr, page->len);
		}
		dc_buf_dispose(&name);
		if (rc < 0)
			return rc;
		s->stats->pages++;
		if (s->pub[i]->obsolete)
			s->stats->archived++;
	}
	if ((rc = index_page(page, s)) < 0)
		return rc;
	if ((rc = write_file(s, "index.html", page->ptr, page->len)) < 0 || !s->o->training)
		return rc;
	/* the training matrix (reference §10.2), a page of the site like the others */
	dc_buf_clear(page);
	page_head(page, _("Training matrix"), "training", NULL);
	dc_buf_puts(page, "<nav><a href=\"index.html\">");
	esc(page, _("Register of controlled documents"));
	dc_buf_puts(page, "</a></nav>\n<h1>");
	esc(page, _("Training matrix"));
	dc_buf_puts(page, "</h1>\n<p class=\"meta\">");
	esc(page, s->o->refname);
	dc_buf_printf(page, " @ <code>%.12s</code></p>\n", s->commit_hex);
	if (dc_training_html_body(page, s->o->training, &s->o->today, 0) < 0)
		return -1;
	page_foot(page, s->o->refname, s->commit_hex, 0);
	return write_file(s, "training.html", page->ptr, page->len);
}

/* Each linked file, its blob read once by its id. Returns 0 or -1. */
static int write_assets(site *s)
{
	size_t i;
	int rc;

	for (i = 0; i < s->assets.l.n; i++) {
		dc_buf name = DC_BUF_INIT;
		git_blob *blob = NULL;

		if (git_blob_lookup(&blob, s->repo, &s->asset_blobs[i]) < 0) {
			rc = dc_error_set_git(_("cannot read a linked file"));
		} else {
			dc_buf_printf(&name, "files/%s", s->assets.l.v[i]);
			rc = write_file(s, name.ptr, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		}
		git_blob_free(blob);
		dc_buf_dispose(&name);
		if (rc < 0)
			return rc;
		s->stats->files++;
	}
	return 0;
}

/* The manifest of the files written, sorted (the index of written is not
 * used any more). Returns 0 or -1. */
static int write_manifest(site *s)
{
	dc_buf manifest = DC_BUF_INIT, path = DC_BUF_INIT;
	size_t i;
	int rc;

	if (s->written.l.n)
		dc_strlist_sort(&s->written.l);
	dc_buf_puts(&manifest, MANIFEST_HEAD);
	for (i = 0; i < s->written.l.n; i++)
		dc_buf_printf(&manifest, "%s\n", s->written.l.v[i]);
	dc_buf_printf(&path, "%s/" MANIFEST, s->o->out_dir);
	rc = dc_file_write_atomic(path.ptr, manifest.ptr, manifest.len);
	dc_buf_dispose(&manifest);
	dc_buf_dispose(&path);
	return rc;
}

static void site_dispose(site *s)
{
	free(s->pub);
	dc_strmap_dispose(&s->pub_by_id);
	dc_strmap_dispose(&s->pub_by_path);
	dc_strmap_dispose(&s->doc_paths);
	strset_dispose(&s->secret);
	strset_dispose(&s->assets);
	strset_dispose(&s->asset_keys);
	free(s->asset_blobs);
	git_tree_free(s->doc_tree);
	strset_dispose(&s->written);
	dc_buf_dispose(&s->made_dir);
}

int dc_site_publish(dc_site_stats *stats, git_repository *repo, dc_source *src, const dc_policy *policy,
		    const dc_register *reg, const dc_site_opts *o)
{
	site s;
	dc_buf page = DC_BUF_INIT, old = DC_BUF_INIT;
	int rc, had;

	memset(stats, 0, sizeof(*stats));
	s = (site){ .repo = repo, .src = src, .policy = policy, .reg = reg, .o = o, .made_dir = DC_BUF_INIT };
	git_oid_tostr(s.commit_hex, sizeof(s.commit_hex), o->commit);
	if ((had = previous(&old, o->out_dir)) < 0) {
		rc = -1;
		goto cleanup;
	}
	if ((rc = mkdirs(o->out_dir)) < 0)
		goto cleanup;
	s.stats = stats;
	if ((rc = select_rows(&s)) < 0 || (rc = index_rows(&s)) < 0 ||
	    (rc = write_file(&s, "style.css", css, sizeof(css) - 1)) < 0 || (rc = write_pages(&s, &page)) < 0 ||
	    (rc = write_assets(&s)) < 0)
		goto cleanup;
	if (had == 0)
		remove_stale(&s, &old, &stats->removed);
	rc = write_manifest(&s);
cleanup:
	site_dispose(&s);
	dc_buf_dispose(&page);
	dc_buf_dispose(&old);
	return rc;
}
