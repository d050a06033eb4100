/*
 * check.c - the document and repository rules of reference §4 and §5.
 *
 * The document phase runs, in order: the schema, the fields (§4.1), the
 * body (§4.4: sections, links, size, language) and the periodic review
 * (§4.6). The repository phase, which then checks ids and references
 * across documents (§4.1, §4.7), is in check_repo.c.
 */
#include "check.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "attach.h"
#include "buf.h"
#include "error.h"
#include "escape.h"
#include "i18n.h"
#include "markdown.h"
#include "numbering.h"
#include "revision.h"
#include "signoff.h"
#include "text.h"

void dc_docset_init(dc_docset *set)
{
	memset(set, 0, sizeof(*set));
	dc_arena_init(&set->arena);
}

void dc_docset_dispose(dc_docset *set)
{
	size_t i;

	if (!set)
		return;
	dc_arena_dispose(&set->arena);
	dc_strmap_dispose(&set->by_path);
	dc_strmap_dispose(&set->hidden);
	for (i = 0; i < set->nblocks; i++)
		munmap(set->blocks[i].ptr, set->blocks[i].len);
	free(set->blocks);
	for (i = 0; i < set->nworkers; i++)
		dc_arena_dispose(&set->workers[i]);
	free(set->workers);
	free(set->docs);
	dc_docset_init(set);
}

static int info_cmp(const void *a, const void *b)
{
	return strcmp(((const dc_docinfo *)a)->path, ((const dc_docinfo *)b)->path);
}

int dc_docset_index(dc_docset *set)
{
	dc_strmap_dispose(&set->by_path);
	return dc_strmap_index(&set->by_path, set->docs, set->n, sizeof(*set->docs),
			       offsetof(dc_docinfo, path));
}

const dc_docinfo *dc_docset_by_path(const dc_docset *set, const char *path)
{
	dc_docinfo key;
	size_t i;

	if (!set->n)
		return NULL;
	if (set->by_path.n == set->n)
		return dc_strmap_get(&set->by_path, path, &i) ? &set->docs[i] : NULL;
	key.path = path;
	return bsearch(&key, set->docs, set->n, sizeof(dc_docinfo), info_cmp);
}

int dc_check_wanted(const dc_check_opts *o, const char *path)
{
	size_t i;

	if (!o->only)
		return 1;
	if (o->only_files)
		return dc_strmap_get(o->only_files, path, &i);
	for (i = 0; i < o->nonly; i++) {
		size_t n = strlen(o->only[i]);

		/* a named file, or any file in a named folder ("" is the root) */
		if (!strncmp(o->only[i], path, n) && (!path[n] || !n || path[n] == '/'))
			return 1;
	}
	return 0;
}

/* --- helpers over the front-matter --- */

typedef struct {
	const dc_project *p;
	const dc_policy *pol;
	const dc_doc *doc;
	const dc_type *type;
	const char *id;
	dc_diags *diags;     /* this document's findings */
	dc_docinfo *info;
	dc_arena *keep;
	const dc_check_opts *o;
	pcre2_match_data *md;  /* for the policy's patterns, made once per document */
} doc_ctx;

/* Match data for a pattern whose matches are only tested, not read. */
static pcre2_match_data *match_data(doc_ctx *c)
{
	if (!c->md && !(c->md = pcre2_match_data_create(1, NULL)))
		dc_error_oom();
	return c->md;
}

static const char *str_at(const doc_ctx *c, const char *field, dc_mark *mark)
{
	const dc_node *v = dc_node_get(c->doc->root, field);

	if (!v || v->kind != DC_NODE_STR)
		return NULL;
	if (mark)
		*mark = v->start;
	return v->text;
}

static const char *keep_str(doc_ctx *c, const char *s)
{
	return s ? dc_arena_strdup(c->keep, s) : NULL;
}

#define ADD(c, mark, rule, ...) \
	dc_diags_add((c)->diags, (c)->doc->path, (mark).line, (mark).col, rule, (c)->id, __VA_ARGS__)

static dc_diag *find_finding(const dc_diags *d, dc_rule_id rule, const char *message)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].rule == &dc_rules[rule] && !strcmp(d->items[i].message, message))
			return &d->items[i];
	return NULL;
}

/*
 * A field the rules need is missing: schema.required if the schema already
 * said so, else `rule`. With `why` (a field an approval needs) the finding
 * points at the status line that makes it needed and says what to run.
 */
static int require(doc_ctx *c, const char *field, dc_rule_id rule, const char *why)
{
	dc_buf msg = DC_BUF_INIT;
	dc_diag *g;
	dc_mark m = c->doc->open;
	char *longer;
	int rc = 0;

	if (dc_node_get(c->doc->root, field))
		return 0;
	if (why)
		str_at(c, "status", &m);
	dc_buf_printf(&msg, _("missing required field \"%s\""), field);
	if ((g = find_finding(c->diags, DC_R_SCHEMA_REQUIRED, msg.ptr))) {
		dc_buf more = DC_BUF_INIT;

		if (why && dc_buf_printf(&more, "%s; %s", msg.ptr, why) == 0 && (longer = dc_buf_detach(&more))) {
			free(g->message);
			g->message = longer;
			g->line = m.line;
			g->col = m.col;
		}
		dc_buf_dispose(&more);
	} else if (rule == DC_R_SCHEMA_REQUIRED) {
		rc = ADD(c, m, rule, "%s", msg.ptr);
	} else {
		rc = ADD(c, m, rule, _("%s; %s"), msg.ptr, why);
	}
	dc_buf_dispose(&msg);
	return rc;
}

/* --- the schema and the fields --- */

static int check_unknown_fields(doc_ctx *c, const dc_schema *schema)
{
	const dc_node *root = c->doc->root;
	size_t i;

	if (schema && dc_schema_root_extra(schema) != DC_SCHEMA_EXTRA_UNSPECIFIED)
		return 0;
	for (i = 0; i < root->u.map.n; i++) {
		const dc_node *key = root->u.map.pairs[i].key;
		int found = dc_field_find(key->text) != NULL; /* a field of reference §4.1 */

		if (found || (schema && dc_schema_root_declares(schema, key->text)))
			continue;
		if (ADD(c, key->start, DC_R_SCHEMA_ADDITIONAL_PROPERTIES,
			_("field \"%s\" is not allowed by the schema; remove it or declare it in %s"),
			key->text, dc_project_schema_path(c->p, c->type)) < 0)
			return -1;
	}
	return 0;
}

/*
 * What an id that does not fit its type most likely should be: the start of
 * the file name when that is an id of the type ("QP-02" of QP-02-文件.md),
 * else the type the id belongs to. Appends "; ..." advice to `out`.
 */
static int id_advice(doc_ctx *c, pcre2_match_data *md, const char *id, const char *base, dc_buf *out)
{
	const dc_type *other;
	size_t n;

	for (n = 1; base[n - 1]; n++) {
		if (base[n] != '-' && base[n] != '.' && base[n])
			continue;
		if (pcre2_match(c->type->id.re, (PCRE2_SPTR)base, n, 0, 0, md, NULL) >= 0)
			return dc_buf_printf(out, _("; the file name says %.*s: write id: %.*s"), (int)n, base, (int)n, base);
		if (!base[n])
			break;
	}
	if ((other = dc_policy_type_for_id(c->pol, id)) && other != c->type)
		return dc_buf_printf(out, "; \"%s\" is an id of type %s: is type right?", id, other->name);
	return 0;
}

static int check_identity(doc_ctx *c)
{
	dc_mark m;
	const char *id = str_at(c, "id", &m), *base, *type;
	dc_mark tm;
	size_t n;
	int pattern_ok = 1;

	type = str_at(c, "type", &tm);
	if (type && !c->type) {
		dc_buf names = DC_BUF_INIT;
		size_t i;
		int rc;

		for (i = 0; i < c->pol->ntypes; i++)
			dc_buf_printf(&names, "%s%s", i ? ", " : "", c->pol->types[i].name);
		rc = ADD(c, tm, DC_R_TYPE_UNKNOWN, _("type \"%s\" is not defined in docctl.yaml; use one of %s"),
			 type, names.ptr);
		dc_buf_dispose(&names);
		if (rc < 0)
			return -1;
	}
	if (!id)
		return 0;
	if (c->type) {
		pcre2_match_data *md = match_data(c);
		int r;

		if (!md)
			return -1;
		base = strrchr(c->doc->path, '/');
		base = base ? base + 1 : c->doc->path;
		r = pcre2_match(c->type->id.re, (PCRE2_SPTR)id, strlen(id), 0, 0, md, NULL);
		if (r < 0) {
			dc_buf advice = DC_BUF_INIT;
			int rc = id_advice(c, md, id, base, &advice);

			pattern_ok = 0;
			if (rc == 0)
				rc = ADD(c, m, DC_R_ID_PATTERN, _("id \"%s\" does not match the id pattern of type %s (%s)%s"), id,
					 c->type->name, c->type->id.pattern, advice.len ? advice.ptr : "");
			dc_buf_dispose(&advice);
			if (rc < 0)
				return -1;
		}
	}
	base = strrchr(c->doc->path, '/');
	base = base ? base + 1 : c->doc->path;
	n = strlen(id);
	if (strncmp(base, id, n) || (strcmp(base + n, ".md") && base[n] != '-')) {
		if (!pattern_ok) {
			if (ADD(c, m, DC_R_ID_FILENAME, _("file name \"%s\" does not match id \"%s\"; correct the id first (id.pattern), "
				"then the file is named ID.md or ID-<title>.md"), base, id) < 0)
				return -1;
		} else if (ADD(c, m, DC_R_ID_FILENAME, _("file name \"%s\" does not match id \"%s\"; rename the file to %s.md or %s-<title>.md"),
			base, id, id, id) < 0)
			return -1;
	}
	return 0;
}

static int check_revision(doc_ctx *c)
{
	const dc_node *v = dc_node_get(c->doc->root, "revision");
	const dc_node *change = dc_node_get(c->doc->root, "change");
	dc_scheme s = c->pol->scheme;
	dc_revision r;

	if (!v)
		return 0;
	if (dc_revision_parse(&r, s, v) < 0) {
		static const char *const examples[] = { "1, 2, 3", "A, B, C", "A/0, A/1, B/0", "V1.0, V1.1, V2.0" };

		return ADD(c, v->start, DC_R_REVISION_INVALID,
			   _("revision \"%s\" is not valid in the %s scheme; write it like %s"),
			   v->text ? v->text : "", dc_scheme_name(s), examples[s]);
	}
	if (!dc_revision_is_first(s, &r) &&
	    (!change || change->kind == DC_NODE_NULL || (change->kind == DC_NODE_STR && !change->len))) {
		char first[32];
		dc_revision f = dc_revision_first(s);

		dc_revision_format(s, &f, first, sizeof(first));
		return ADD(c, v->start, DC_R_CHANGE_MISSING,
			   _("revision %s is later than %s but no \"change\" says what changed; add change: <what this revision changed>"),
			   v->text, first);
	}
	return 0;
}

static int check_people(doc_ctx *c)
{
	size_t i;

	for (i = 0; i < dc_fields_count; i++) {
		const char *field = dc_fields[i].name;
		dc_mark m;
		int person = dc_fields[i].kind == DC_FK_PERSON || dc_fields[i].kind == DC_FK_APPROVER;
		const char *who = person ? str_at(c, field, &m) : NULL;

		if (who && !dc_policy_person(c->pol, who) &&
		    ADD(c, m, DC_R_PERSON_UNKNOWN, _("%s \"%s\" is not a person in docctl.yaml; use a person id from its people list"),
			field, who) < 0)
			return -1;
	}
	if (!c->type)
		return 0;
	for (i = 0; i < dc_fields_count; i++) {
		const char *field = dc_fields[i].name;
		dc_mark m;
		const char *who = dc_fields[i].kind == DC_FK_APPROVER ? str_at(c, field, &m) : NULL;

		if (who && dc_policy_person(c->pol, who) && !dc_policy_may_approve(c->pol, c->type, who)) {
			dc_buf roles = DC_BUF_INIT;
			size_t k;
			int rc;

			for (k = 0; k < c->type->napprovers; k++)
				dc_buf_printf(&roles, "%s%s", k ? ", " : "", c->type->approvers[k]);
			rc = ADD(c, m, DC_R_APPROVAL_UNAUTHORIZED,
				 _("%s \"%s\" holds no approver role of type %s; ask someone who holds %s"),
				 field, who, c->type->name, roles.ptr);
			dc_buf_dispose(&roles);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

/* Each name of the document's readers (reference §10) names someone of the
 * policy; the schema checks the list's shape. */
static int check_readers(doc_ctx *c)
{
	const dc_node *v = dc_node_get(c->doc->root, "readers");
	size_t i;

	for (i = 0; v && v->kind == DC_NODE_SEQ && i < v->u.seq.n; i++) {
		const dc_node *e = v->u.seq.items[i];
		dc_buf near = DC_BUF_INIT;
		int rc;

		if (e->kind != DC_NODE_STR || !e->len || memchr(e->text, '\0', e->len) ||
		    dc_policy_reader_known(c->pol, e->text))
			continue;
		if (dc_policy_near_names(c->pol, e->text, 1, &near) < 0)
			return -1;
		if (near.len)
			rc = ADD(c, e->start, DC_R_READERS_UNKNOWN,
				 _("reader \"%s\" is no person, role or department of docctl.yaml; did you mean %s? "
				   "name all, a person id, a role or a department of the policy"), e->text, near.ptr);
		else
			rc = ADD(c, e->start, DC_R_READERS_UNKNOWN,
				 _("reader \"%s\" is no person, role or department of docctl.yaml; "
				   "name all, a person id, a role or a department of the policy"), e->text);
		dc_buf_dispose(&near);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int check_dates(doc_ctx *c)
{
	dc_date approved, effective, d;
	dc_mark am, em, m;
	const char *a, *e;
	size_t i;

	for (i = 0; i < dc_fields_count; i++) {
		const char *s = dc_fields[i].kind == DC_FK_DATE ? str_at(c, dc_fields[i].name, &m) : NULL;

		if (s && dc_date_parse(&d, s) < 0 &&
		    ADD(c, m, DC_R_SCHEMA_FORMAT, _("%s \"%s\" is not a valid date (YYYY-MM-DD)"), dc_fields[i].name, s) < 0)
			return -1;
	}
	a = str_at(c, "approved_on", &am);
	e = str_at(c, "effective", &em);
	if (a && e && !dc_date_parse(&approved, a) && !dc_date_parse(&effective, e) &&
	    dc_date_cmp(&effective, &approved) < 0)
		return ADD(c, em, DC_R_DATE_ORDER, _("effective %s is before approved_on %s; a document cannot take effect before it is approved"),
			   e, a);
	return 0;
}

static int check_status(doc_ctx *c)
{
	const char *status = dc_doc_str(c->doc, "status");
	dc_status st = dc_status_parse(status);
	char approve_hint[160], obsolete_hint[160];
	size_t i;

	if (!status)
		return 0;
	snprintf(approve_hint, sizeof(approve_hint), _("an %s document names who approved it and when: run 'docctl approve %s'"),
		 status, c->id ? c->id : "ID");
	snprintf(obsolete_hint, sizeof(obsolete_hint), _("an obsolete document names who withdrew it and when: run 'docctl obsolete %s'"),
		 c->id ? c->id : "ID");
	/* the fields reference §4.1 requires by status or type, in table order */
	for (i = 0; i < dc_fields_count; i++) {
		const dc_field *f = &dc_fields[i];
		int rc = 0;

		if (f->required == DC_FR_APPROVED && (st == DC_STATUS_APPROVED || st == DC_STATUS_OBSOLETE))
			rc = require(c, f->name, DC_R_APPROVAL_MISSING, approve_hint);
		else if (f->required == DC_FR_OBSOLETE && st == DC_STATUS_OBSOLETE)
			rc = require(c, f->name, DC_R_APPROVAL_MISSING, obsolete_hint);
		else if (f->required == DC_FR_EXTERNAL && c->type && !strcmp(c->type->name, "external"))
			rc = require(c, f->name, DC_R_SCHEMA_REQUIRED, NULL);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* --- the body --- */

static int heading_matches(doc_ctx *c, const dc_pattern *pat, const char *text)
{
	size_t skip = dc_numbering_len(text, strlen(text));
	pcre2_match_data *md = match_data(c);
	int r;

	if (!md)
		return -1;
	/* a match whose groups do not fit the match data still returns 0 */
	r = pcre2_match(pat->re, (PCRE2_SPTR)(text + skip), strlen(text + skip), 0, 0, md, NULL);
	return r >= 0;
}

static int check_sections(doc_ctx *c, const dc_md_facts *f)
{
	const dc_type *t = c->type;
	long last = -1;
	size_t k;
	long h;

	for (k = 0; k < t->nsections; k++) {
		long found = -1, anywhere = -1;

		for (h = last + 1; h < (long)f->nheadings && found < 0; h++) {
			int r = heading_matches(c, &t->sections[k], f->headings[h].text);

			if (r < 0)
				return dc_error_oom();
			if (r)
				found = h;
		}
		if (found >= 0) {
			last = found;
			if (f->headings[found].empty &&
			    ADD(c, f->headings[found].mark, DC_R_SECTION_EMPTY,
				_("section \"%s\" has no text; write what it requires, or \"无\" / \"None\" where nothing applies"),
				f->headings[found].text) < 0)
				return -1;
			continue;
		}
		for (h = 0; h <= last && h < (long)f->nheadings && anywhere < 0; h++)
			if (heading_matches(c, &t->sections[k], f->headings[h].text) > 0)
				anywhere = h;
		if (anywhere >= 0) {
			if (ADD(c, f->headings[anywhere].mark, DC_R_SECTION_ORDER,
				_("section \"%s\" is out of order; type %s wants its sections in the order of docctl.yaml (this one after \"%s\")"),
				f->headings[anywhere].text, t->name,
				k ? t->sections[k - 1].pattern : "the start") < 0)
				return -1;
			continue;
		}
		{
			dc_mark at = last + 1 < (long)f->nheadings ? f->headings[last + 1].mark : f->end;
			dc_buf title = DC_BUF_INIT;
			int rc;

			dc_section_title(&title, t->sections[k].pattern);
			rc = ADD(c, at, DC_R_SECTION_MISSING,
				 _("missing section \"%s\" required for type %s; add a level-2 heading \"## %s\" %s"),
				 t->sections[k].pattern, t->name, title.ptr,
				 last + 1 < (long)f->nheadings ? _("before this one") : _("at the end"));
			dc_buf_dispose(&title);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

void dc_section_title(dc_buf *out, const char *pattern)
{
	const char *p = pattern;

	dc_buf_clear(out);
	if (*p == '^')
		p++;
	for (; *p && *p != '|' && *p != '$' && *p != '(' && *p != ')'; p++) {
		if (*p == '\\' && p[1])
			p++;
		dc_buf_putc(out, *p);
	}
}

static size_t dc_link_scheme(const char *dest)
{
	const char *p;

	if (!isalpha((unsigned char)dest[0]))
		return 0;
	for (p = dest; isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'; p++)
		;
	return *p == ':' ? (size_t)(p - dest) : 0;
}

int dc_link_scheme_safe(const char *dest)
{
	static const char *const safe[] = { "http", "https", "mailto" };
	size_t n = dc_link_scheme(dest), i;

	if (!n)
		return 1;
	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (strlen(safe[i]) == n && !strncasecmp(dest, safe[i], n))
			return 1;
	return 0;
}

/* Resolves the relative links; whether they point at something is a
 * question about the tree, asked in the repository phase (check_links()). */
static int collect_links(doc_ctx *c, const dc_md_facts *f)
{
	dc_buf target = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	c->info->links = dc_arena_alloc(c->keep, (f->nlinks ? f->nlinks : 1) * sizeof(dc_linkref));
	if (!c->info->links)
		return -1;
	for (i = 0; i < f->nlinks && rc == 0; i++) {
		const dc_md_link *l = &f->links[i];
		dc_linkref *lr;
		int r;

		if (!dc_link_scheme_safe(l->dest) &&
		    (rc = ADD(c, l->mark, DC_R_LINK_SCHEME,
			      _("%s with the scheme \"%.*s:\", which can run script or hide content in a reader's browser; "
			      "publish drops it: link with https:, http: or mailto:, or to a file in the repository"),
			      l->image ? _("an image") : _("a link"), (int)dc_link_scheme(l->dest), l->dest)) < 0)
			break;
		if (l->autolink)
			continue;
		r = dc_link_resolve(&target, c->doc->path, l->dest);

		if (r == 0 || (r == 1 && !target.len))
			continue; /* not checked, or the repository root itself */
		if (r == 2) {
			rc = ADD(c, l->mark, DC_R_LINK_BROKEN, _("link \"%s\" leaves the repository; link only to files in it"), l->dest);
			continue;
		}
		lr = &c->info->links[c->info->nlinks++];
		lr->target = dc_arena_strdup(c->keep, target.ptr);
		lr->dest = dc_arena_strdup(c->keep, l->dest);
		lr->mark = l->mark;
		lr->image = l->image;
		if (!lr->target || !lr->dest)
			rc = -1;
	}
	dc_buf_dispose(&target);
	return rc;
}

#define CONTROL_ADVICE N_("control characters and bidi overrides make text look different on screen from what it says")

static void control_name(char out[16], unsigned cp)
{
	snprintf(out, 16, "U+%04X", cp);
}

/* text.control in the front-matter: each scalar (key or value) that holds a
 * control character, YAML escapes ("\e", "\u202E") included. A line feed
 * (block scalars) and a tab are text. */
static int check_fm_controls(doc_ctx *c, const dc_node *n, const char *key)
{
	size_t i, k;
	unsigned cp;
	char name[16];

	if (!n)
		return 0;
	if (n->kind == DC_NODE_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (check_fm_controls(c, n->u.seq.items[i], key) < 0)
				return -1;
		return 0;
	}
	if (n->kind == DC_NODE_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			const dc_pair *pr = &n->u.map.pairs[i];

			if (check_fm_controls(c, pr->key, NULL) < 0 || check_fm_controls(c, pr->value, pr->key->text) < 0)
				return -1;
		}
		return 0;
	}
	if (!n->text)
		return 0;
	for (i = 0; i < n->len; i += k ? k : 1) {
		if (!(k = dc_utf8_next(n->text + i, n->len - i, &cp)) || !dc_is_control(cp))
			continue;
		control_name(name, cp);
		if (key)
			return ADD(c, n->start, DC_R_TEXT_CONTROL, _("the value of \"%s\" holds the control character %s; remove it: %s"),
				   key, name, _(CONTROL_ADVICE));
		return ADD(c, n->start, DC_R_TEXT_CONTROL, _("the key \"%s\" holds the control character %s; remove it: %s"),
			   n->text, name, _(CONTROL_ADVICE));
	}
	return 0;
}

static int check_body_controls(doc_ctx *c, const dc_md_facts *f)
{
	size_t i;
	char name[16];

	for (i = 0; i < f->ncontrols && i < DC_MD_CONTROLS_MAX; i++) {
		control_name(name, f->controls[i].cp);
		if (ADD(c, f->controls[i].mark, DC_R_TEXT_CONTROL, _("the text holds the control character %s%s; remove it: %s"),
			name, f->controls[i].cp == '\r' ? _(" (a CR without a line feed; CRLF line ends are fine)") : "", _(CONTROL_ADVICE)) < 0)
			return -1;
	}
	if (f->ncontrols > DC_MD_CONTROLS_MAX) {
		dc_mark at = f->controls[DC_MD_CONTROLS_MAX - 1].mark;

		if (ADD(c, at, DC_R_TEXT_CONTROL, _("and %zu more control characters after this one; remove them: %s"),
			f->ncontrols - DC_MD_CONTROLS_MAX, _(CONTROL_ADVICE)) < 0)
			return -1;
	}
	return 0;
}

static int check_body(doc_ctx *c)
{
	dc_arena scratch = DC_ARENA_INIT;
	dc_md_facts f;
	size_t i;
	int rc;

	rc = dc_markdown_scan_terms(&f, &scratch, c->doc->body, c->doc->body_len, c->doc->fm.body_line,
				    c->doc->fm.body_off, c->pol->ambiguous_re,
				    (const char *const *)c->pol->ambiguous, c->pol->nambiguous);
	if (rc < 0)
		goto cleanup;
	if (f.blank && !(c->type && c->type->body_optional)) {
		dc_mark at = { c->doc->fm.body_line, 1, c->doc->fm.body_off };

		if ((rc = ADD(c, at, DC_R_BODY_MISSING, _("the document has no body; write its text below the front-matter%s"),
			      c->type ? "" : " (or use a type with body: optional)")) < 0)
			goto cleanup;
	}
	if (c->type && !f.blank && (rc = check_sections(c, &f)) < 0)
		goto cleanup;
	if ((rc = collect_links(c, &f)) < 0 || (rc = check_body_controls(c, &f)) < 0)
		goto cleanup;
	if (c->type && c->type->max_words && f.words > (size_t)c->type->max_words) {
		dc_mark at = { c->doc->fm.body_line, 1, c->doc->fm.body_off };

		if ((rc = ADD(c, at, DC_R_SIZE_TOO_LONG, _("the document has %zu words, more than the %ld type %s allows; keep documents few but essential (少而精): split it or cut it"),
			      f.words, c->type->max_words, c->type->name)) < 0)
			goto cleanup;
	}
	for (i = 0; i < f.nterms; i++)
		if ((rc = ADD(c, f.terms[i].mark, DC_R_LANGUAGE_AMBIGUOUS,
			      _("ambiguous term \"%s\"; say exactly what is meant (who, how much, by when)"), f.terms[i].term)) < 0)
			goto cleanup;
cleanup:
	dc_arena_dispose(&scratch);
	return rc;
}

/* --- the summary --- */

static int fill_info(doc_ctx *c)
{
	dc_docinfo *in = c->info;
	const dc_node *refs;
	dc_mark m;
	size_t i;

	in->parsed = 1;
#define FIELD(m, name, group, kind, req, info, version) \
	DC_FIELD_IF_##info(in->m = keep_str(c, dc_doc_field_str(c->doc, name, DC_FK_##kind));)
#include "fields.def"
#undef FIELD
	str_at(c, "id", &in->id_mark);
	str_at(c, "approved_on", &in->approved_on_mark);
	str_at(c, "reviewed_on", &in->reviewed_on_mark);
	/* attachments (reference §9.3): the entries joined by '\n' */
	if (dc_files_join(&in->files, c->keep, c->doc) < 0)
		return -1;
	if ((in->superseded_by.text = keep_str(c, str_at(c, "superseded_by", &m))))
		in->superseded_by.mark = m;
	refs = dc_node_get(c->doc->root, "references");
	if (refs && refs->kind == DC_NODE_SEQ && refs->u.seq.n) {
		if (!(in->refs = dc_arena_alloc(c->keep, refs->u.seq.n * sizeof(dc_sref))))
			return -1;
		for (i = 0; i < refs->u.seq.n; i++) {
			const dc_node *r = refs->u.seq.items[i];

			if (r->kind != DC_NODE_STR)
				continue;
			in->refs[in->nrefs].text = keep_str(c, r->text);
			in->refs[in->nrefs].mark = r->start;
			in->nrefs++;
		}
	}
	return 0;
}

int dc_check_document(dc_docinfo *info, dc_arena *keep, const dc_project *p,
		      const dc_doc *doc, const dc_check_opts *o, dc_diags *diags)
{
	doc_ctx c;
	dc_diags local;
	const dc_schema *schema;
	int rc;

	memset(info, 0, sizeof(*info));
	if (!(info->path = dc_arena_strdup(keep, doc->path)))
		return -1;
	if (!doc->root)
		return 0;
	dc_diags_init(&local);
	local.ref = NULL;
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.pol = p->policy;
	c.doc = doc;
	c.diags = &local;
	c.info = info;
	c.keep = keep;
	c.o = o;
	c.id = dc_doc_str(doc, "id");
	if (dc_doc_str(doc, "type"))
		c.type = dc_policy_type(c.pol, dc_doc_str(doc, "type"));
	schema = dc_project_schema_for(p, c.type);
	if ((rc = fill_info(&c)) < 0)
		goto cleanup;
	if (schema && (rc = dc_schema_validate(schema, doc->root, doc->path, &doc->open, &local)) < 0)
		goto cleanup;
	if ((rc = check_unknown_fields(&c, schema)) < 0 || (rc = check_identity(&c)) < 0 ||
	    (rc = check_revision(&c)) < 0 || (rc = check_people(&c)) < 0 || (rc = check_readers(&c)) < 0 ||
	    (rc = check_dates(&c)) < 0 || (rc = check_status(&c)) < 0 ||
	    (rc = check_fm_controls(&c, doc->root, NULL)) < 0 || (rc = check_body(&c)) < 0 ||
	    (rc = dc_check_signoff(c.pol, c.type, doc, c.id, &local)) < 0)
		goto cleanup;
	rc = dc_diags_take(diags, &local);
cleanup:
	pcre2_match_data_free(c.md);
	dc_diags_dispose(&local);
	return rc;
}
