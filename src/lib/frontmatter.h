/*
 * frontmatter.h - the first step for every controlled file: the byte-level
 * checks of reference §4.3 and the split into YAML front-matter and Markdown body.
 *
 * In order: a file over 4 MiB (file.too-large), a NUL byte (file.binary) or
 * invalid UTF-8 (encoding.utf8, at the first bad byte) stop here. A UTF-8
 * byte-order mark is a warning (encoding.bom) and is skipped. The file must
 * start with a line `---` (frontmatter.missing), then the YAML, then a line
 * `---` or `...` (frontmatter.unterminated); either line may end in CRLF or
 * trailing spaces/tabs. YAML over 64 KiB is frontmatter.too-large.
 */
#ifndef DC_FRONTMATTER_H
#define DC_FRONTMATTER_H

#include <stddef.h>

#include "diag.h"

#define DC_FILE_MAX ((size_t)4 * 1024 * 1024)
#define DC_FRONTMATTER_MAX ((size_t)64 * 1024)

typedef struct {
	int bom;           /* the file starts with EF BB BF */
	size_t open_off;   /* byte offset of the opening `---` (0, or 3 after a BOM) */
	size_t yaml_off;   /* byte offset of the first YAML byte */
	size_t yaml_len;   /* bytes of YAML (up to the closing line) */
	unsigned yaml_line;/* file line of the first YAML line (normally 2) */
	size_t body_off;   /* byte offset of the first body byte */
	unsigned body_line;/* file line of the first body line */
} dc_frontmatter;

/*
 * Splits `data`. Returns 0 with *out filled when the YAML can be parsed,
 * 1 after appending the finding that stops the file (the BOM warning alone
 * never stops it), -1 when memory runs out.
 */
int dc_frontmatter_split(dc_frontmatter *out, const char *file,
			 const char *data, size_t len, dc_diags *diags);

#endif
