/*
 * fuzz_frontmatter.c - fuzz target for the first steps of every controlled
 * file: the byte checks and split (frontmatter.h), then the YAML loader on
 * the front-matter, as the checker runs them. The parts must lie inside the
 * file and in order; nothing may crash, leak or hang. Then "the same
 * content" (document.h): a file has its own content, and removing an
 * approval field with the editing code keeps it, while removing a content
 * field changes it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "document.h"
#include "error.h"
#include "fm_edit.h"
#include "frontmatter.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Removes `field` from a copy of `doc` and compares the content; -1 when
 * the field is absent or the edit refuses the file. */
static int same_without(const dc_doc *doc, const char *field)
{
	dc_buf b = DC_BUF_INIT;
	dc_doc other;
	dc_diags ignored;
	int r = -1;

	if (!dc_node_get(doc->root, field))
		return -1;
	dc_diags_init(&ignored);
	dc_doc_init(&other);
	if (dc_buf_put(&b, doc->data, doc->len) == 0 && dc_fm_remove(&b, "fuzz.md", field) == 0 &&
	    dc_doc_parse(&other, "fuzz.md", b.ptr, b.len, 0, &ignored) == 0 && other.root)
		r = dc_doc_same_content(doc, &other);
	dc_error_clear();
	dc_arena_dispose(&other.arena);
	dc_diags_dispose(&ignored);
	dc_buf_dispose(&b);
	return r;
}

static void content_properties(const char *text, size_t size)
{
	dc_doc doc;
	dc_diags ignored;

	dc_diags_init(&ignored);
	dc_doc_init(&doc);
	if (dc_doc_parse(&doc, "fuzz.md", text, size, 0, &ignored) == 0 && doc.root) {
		if (!dc_doc_same_content(&doc, &doc) || same_without(&doc, "status") == 0 ||
		    same_without(&doc, "approved_by") == 0 || same_without(&doc, "superseded_by") == 0 ||
		    same_without(&doc, "title") == 1)
			abort();
	}
	dc_arena_dispose(&doc.arena);
	dc_diags_dispose(&ignored);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	dc_frontmatter fm;
	dc_diags diags;
	dc_arena arena = DC_ARENA_INIT;
	dc_node *n = NULL;
	int r;

	dc_diags_init(&diags);
	r = dc_frontmatter_split(&fm, "fuzz.md", text, size, &diags);
	if (r == 1 && diags.n == 0)
		abort();
	if (r == 0) {
		dc_yaml_where w = { "fuzz.md", fm.yaml_line, fm.yaml_off, 16 };

		if (fm.open_off > fm.yaml_off || fm.yaml_off + fm.yaml_len > fm.body_off ||
		    fm.body_off > size || fm.yaml_len > DC_FRONTMATTER_MAX ||
		    fm.yaml_line != 2 || fm.body_line < 3 || diags.n > 1)
			abort();
		if (dc_yaml_load(&n, &arena, text + fm.yaml_off, fm.yaml_len, &w, &diags) == 0 &&
		    n && (n->start.line < 2 || n->start.offset < fm.yaml_off ||
			  n->end.offset > fm.yaml_off + fm.yaml_len))
			abort();
	}
	dc_arena_dispose(&arena);
	dc_diags_dispose(&diags);
	content_properties(text, size);
	return 0;
}
