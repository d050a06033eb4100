/*
 * document.c - reading one controlled file into a dc_doc.
 */
#include "document.h"

#include <string.h>

#include "text.h"
#include "yaml_load.h"

void dc_doc_init(dc_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	dc_arena_init(&doc->arena);
}

void dc_doc_dispose(dc_doc *doc)
{
	dc_arena arena;

	if (!doc)
		return;
	arena = doc->arena;
	dc_arena_reset(&arena);
	memset(doc, 0, sizeof(*doc));
	doc->arena = arena;
}

int dc_doc_parse(dc_doc *doc, const char *path, const char *data, size_t len,
		 int symlink, dc_diags *diags)
{
	dc_yaml_where where;
	dc_node *root = NULL;
	int rc;

	dc_doc_dispose(doc);
	if (!(doc->path = dc_arena_strdup(&doc->arena, path)))
		return -1;
	if (symlink)
		return dc_diags_add(diags, path, 1, 1, "file.symlink", NULL,
				    "controlled file is a symbolic link; replace it with the file itself");
	if (len > DC_FILE_MAX)
		return dc_diags_add(diags, path, 1, 1, "file.too-large", NULL,
				    "file is larger than 4 MiB; split it or move attachments out of the controlled folders");
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
		return dc_diags_add(diags, path, root->start.line, root->start.col, "schema.type", NULL,
				    "the front-matter must be a mapping of fields (key: value), not %s %s",
				    root->kind == DC_NODE_SEQ ? "an" : "a", dc_node_kind_name(root->kind));
	doc->root = root;
	return 0;
}

const char *dc_doc_str(const dc_doc *doc, const char *field)
{
	return dc_node_get_str(doc->root, field);
}

int dc_field_is_vouching(const char *f)
{
	static const char *const groups[] = {
		"status", "approved_by", "approved_on", "effective",
		"reviewed_by", "reviewed_on",
		"obsoleted_by", "obsoleted_on", "superseded_by",
	};
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strcmp(f, groups[i]))
			return 1;
	return 0;
}

/* Every content field of `a` is in `b` with an equal value. */
static int content_subset(const dc_node *a, const dc_node *b)
{
	size_t i;

	for (i = 0; i < a->u.map.n; i++) {
		const dc_pair *p = &a->u.map.pairs[i];
		const dc_node *other;

		if (dc_field_is_vouching(p->key->text))
			continue;
		other = dc_node_get(b, p->key->text);
		if (!other || !dc_node_equal(p->value, other))
			return 0;
	}
	return 1;
}

int dc_doc_same_content(const dc_doc *a, const dc_doc *b)
{
	if (!a->root || !b->root)
		return 0;
	if (a->body_len != b->body_len || memcmp(a->body, b->body, a->body_len))
		return 0;
	return content_subset(a->root, b->root) && content_subset(b->root, a->root);
}
