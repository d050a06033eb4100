/*
 * document.h - one controlled file, split and parsed: the bytes, the
 * front-matter as a dc_node mapping, and the body.
 *
 * dc_doc_parse() runs the file-level checks (frontmatter.h) and the YAML
 * loader; what it cannot parse it reports and leaves `root` NULL. Everything
 * lives in the document's own arena.
 */
#ifndef DC_DOCUMENT_H
#define DC_DOCUMENT_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "fields.h"
#include "frontmatter.h"
#include "node.h"

#define DC_FRONTMATTER_DEPTH 16

typedef struct {
	dc_arena arena;
	const char *path;       /* relative to the project root */
	const char *data;       /* the file's bytes (a copy, NUL-terminated) */
	size_t len;
	dc_frontmatter fm;
	dc_mark open;           /* the opening `---`: where missing fields point */
	const dc_node *root;    /* the front-matter mapping, or NULL */
	const char *body;       /* the body (points into data) */
	size_t body_len;
} dc_doc;

void dc_doc_init(dc_doc *doc);
/* Frees all the document holds, its arena too (NULL-safe); the document is
 * then empty, ready for another dc_doc_parse(). */
void dc_doc_dispose(dc_doc *doc);

/*
 * Parses `data`. `symlink` and `truncated` say what the source knows about
 * the file (a symbolic link is reported and not parsed; a file truncated at
 * DC_FILE_MAX+1 bytes is too large). Returns 0 (findings appended; root is
 * NULL when the front-matter could not be parsed into a mapping), -1 on
 * failure.
 */
int dc_doc_parse(dc_doc *doc, const char *path, const char *data, size_t len,
		 int symlink, dc_diags *diags);

/* The string value of a field, or NULL. */
const char *dc_doc_str(const dc_doc *doc, const char *field);
/* The value of a field of kind `kind` as text, or NULL: a string, or for
 * DC_FK_REVISION also an integer as written. */
const char *dc_doc_field_str(const dc_doc *doc, const char *field, dc_field_kind kind);

/* Nonzero when `field` is in the approval, review or retirement group (§4.2). */
int dc_field_is_vouching(const char *field);

/* Nonzero when both have the same content (reference §4.2): the files are
 * byte-identical once the lines of the top-level approval, review,
 * retirement and check fields are removed (each key's line through its
 * value's last line, as dc_fm_field_lines() gives them); every other byte
 * counts (comments, a BOM, line endings, quoting, key order, tags, the
 * delimiter lines, the body). A file whose front-matter did not parse has
 * the same content only as an identical file. */
int dc_doc_same_content(const dc_doc *a, const dc_doc *b);

/* Nonzero when both files are byte-identical once the lines of the
 * top-level `fields` (n of them) are removed, as dc_doc_same_content()
 * removes the groups. Both must be parsed. */
int dc_doc_same_except(const dc_doc *a, const dc_doc *b, const char *const *fields, size_t n);

#endif
