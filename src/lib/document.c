/*
 * document.c - reading one controlled file into a dc_doc.
 */
#include "document.h"

#include <string.h>

#include "fm_edit.h"
#include "i18n.h"
#include "text.h"
#include "yaml_load.h"

void dc_doc_init(dc_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	dc_arena_init(&doc->arena);
}

/* Empties the document for the next parse, keeping one block of its arena. */
static void doc_reset(dc_doc *doc)
{
	dc_arena arena = doc->arena;

	dc_arena_reset(&arena);
	memset(doc, 0, sizeof(*doc));
	doc->arena = arena;
}

void dc_doc_dispose(dc_doc *doc)
{
	if (!doc)
		return;
	dc_arena_dispose(&doc->arena);
	memset(doc, 0, sizeof(*doc));
}

int dc_doc_parse(dc_doc *doc, const char *path, const char *data, size_t len,
		 int symlink, dc_diags *diags)
{
	dc_yaml_where where;
	dc_node *root = NULL;
	int rc;

	doc_reset(doc);
	if (!(doc->path = dc_arena_strdup(&doc->arena, path)))
		return -1;
	if (symlink)
		return dc_diags_add(diags, path, 1, 1, DC_R_FILE_SYMLINK, NULL,
				    _("controlled file is a symbolic link; replace it with the file itself"));
	if (len > DC_FILE_MAX)
		return dc_diags_add(diags, path, 1, 1, DC_R_FILE_TOO_LARGE, NULL,
				    _("file is larger than 4 MiB; split it or move attachments out of the controlled folders"));
	if (!(doc->data = dc_arena_strndup(&doc->arena, data, len)))
		return -1;
	doc->len = len;
	rc = dc_frontmatter_split(&doc->fm, path, doc->data, len, diags);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	doc->open = dc_text_mark(doc->data, len, doc->fm.open_off);
	doc->open.col = 1;
	doc->body = doc->data + doc->fm.body_off;
	doc->body_len = len - doc->fm.body_off;
	where.file = path;
	where.line = doc->fm.yaml_line;
	where.offset = doc->fm.yaml_off;
	where.max_depth = DC_FRONTMATTER_DEPTH;
	if (dc_yaml_load(&root, &doc->arena, doc->data + doc->fm.yaml_off, doc->fm.yaml_len, &where, diags) < 0)
		return -1;
	if (!root)
		return 0;
	if (root->kind == DC_NODE_NULL) {
		/* an empty front-matter is an empty mapping */
		root->kind = DC_NODE_MAP;
		root->style = DC_STYLE_BLOCK;
		root->u.map.pairs = NULL;
		root->u.map.n = 0;
	}
	if (root->kind != DC_NODE_MAP)
		return dc_diags_add(diags, path, root->start.line, root->start.col, DC_R_SCHEMA_TYPE, NULL,
				    _("the front-matter must be a mapping of fields (key: value), not %s %s"),
				    root->kind == DC_NODE_SEQ ? "an" : "a", dc_node_kind_name(root->kind));
	doc->root = root;
	return 0;
}

const char *dc_doc_str(const dc_doc *doc, const char *field)
{
	return dc_node_get_str(doc->root, field);
}

const char *dc_doc_field_str(const dc_doc *doc, const char *field, dc_field_kind kind)
{
	const dc_node *v = dc_node_get(doc->root, field);

	if (kind == DC_FK_REVISION)
		return v && (v->kind == DC_NODE_STR || v->kind == DC_NODE_INT || v->kind == DC_NODE_FLOAT) ? v->text : NULL;
	return dc_doc_str(doc, field);
}

int dc_field_is_vouching(const char *f)
{
	const dc_field *row = dc_field_find(f);

	return row && row->group != DC_FG_CONTENT;
}

/* Nonzero when the lines of top-level `key` are not content (reference §4.2):
 * the approval, review and retirement groups and the check fields of §9.1. */
static int not_content(const char *key)
{
	return dc_field_is_vouching(key) || !strcmp(key, "checked_by") || !strcmp(key, "checked_on");
}

/* The bytes of a file that are not content: the lines of each such field,
 * in file order. A flow mapping `{...}` shares its lines between fields, so
 * all of it is content. Returns the number of spans, or SKIP_NONE when they
 * do not come in order (then compare every byte). */
#define SPANS_MAX 16
#define SKIP_NONE ((size_t)-1)

/* Which top-level keys' lines a comparison leaves out: `fields` (n of
 * them), or, with fields NULL, every field that is not content. */
typedef struct {
	const char *const *fields;
	size_t n;
} skip_set;

static int skips(const skip_set *s, const char *key)
{
	size_t i;

	if (!s->fields)
		return not_content(key);
	for (i = 0; i < s->n; i++)
		if (!strcmp(key, s->fields[i]))
			return 1;
	return 0;
}

static size_t skipped(const dc_doc *d, const skip_set *set, size_t spans[SPANS_MAX][2])
{
	const dc_node *root = d->root;
	size_t i, n = 0;

	if (root->style != DC_STYLE_BLOCK)
		return 0;
	for (i = 0; i < root->u.map.n; i++) {
		const dc_pair *pr = &root->u.map.pairs[i];

		if (!skips(set, pr->key->text))
			continue;
		if (n == SPANS_MAX)
			return SKIP_NONE;
		dc_fm_field_lines(d->data, &d->fm, pr, &spans[n][0], &spans[n][1]);
		if (spans[n][1] <= spans[n][0] || spans[n][1] > d->len || (n && spans[n][0] < spans[n - 1][1]))
			return SKIP_NONE;
		n++;
	}
	return n;
}

/* A reader of the content bytes of one file, run by run. */
typedef struct {
	const char *data;
	size_t len, pos, k, n;
	size_t (*spans)[2];
} content_reader;

/* The next run of content bytes (its start in *at), 0 at the end. */
static size_t next_run(content_reader *r, const char **at)
{
	size_t end;

	while (r->k < r->n && r->pos >= r->spans[r->k][0]) {
		if (r->pos < r->spans[r->k][1])
			r->pos = r->spans[r->k][1];
		r->k++;
	}
	end = r->k < r->n ? r->spans[r->k][0] : r->len;
	*at = r->data + r->pos;
	return end - r->pos;
}

static int same_except(const dc_doc *a, const dc_doc *b, const skip_set *set)
{
	size_t sa[SPANS_MAX][2], sb[SPANS_MAX][2];
	content_reader ra = { a->data, a->len, 0, 0, 0, sa }, rb = { b->data, b->len, 0, 0, 0, sb };
	const char *pa, *pb;
	size_t la, lb, take;

	if (!a->root || !b->root)
		return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
	ra.n = skipped(a, set, sa);
	rb.n = skipped(b, set, sb);
	if (ra.n == SKIP_NONE)
		ra.n = 0;
	if (rb.n == SKIP_NONE)
		rb.n = 0;
	la = next_run(&ra, &pa);
	lb = next_run(&rb, &pb);
	while (la && lb) {
		take = la < lb ? la : lb;
		if (memcmp(pa, pb, take))
			return 0;
		ra.pos += take;
		rb.pos += take;
		la = next_run(&ra, &pa);
		lb = next_run(&rb, &pb);
	}
	return !la && !lb;
}

int dc_doc_same_content(const dc_doc *a, const dc_doc *b)
{
	const skip_set all = { NULL, 0 };

	return same_except(a, b, &all);
}

int dc_doc_same_except(const dc_doc *a, const dc_doc *b, const char *const *fields, size_t n)
{
	const skip_set some = { fields, n };

	return same_except(a, b, &some);
}
