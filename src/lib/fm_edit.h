/*
 * fm_edit.h - the editing commands' one way to change a controlled file:
 * set or remove a top-level front-matter field while every other byte stays
 * as it was (comments, key order, blank lines, quoting of untouched values,
 * CRLF line endings, a BOM, the body), and write the result atomically
 * (reference §7, editing commands).
 *
 * The file is parsed with dc_frontmatter_split() and dc_yaml_load(); the
 * field and its value are found in the parsed tree and edited through their
 * byte offsets, never by searching the text for the key. After an edit the
 * new bytes are parsed again and compared with the old tree (the edited field
 * has the new value, every other field is equal); a mismatch is an error and
 * leaves `file` unchanged, so an edit never produces a file that reads
 * differently from what was asked.
 */
#ifndef DC_FM_EDIT_H
#define DC_FM_EDIT_H

#include <stddef.h>

#include "buf.h"
#include "fileio.h" /* dc_file_read, dc_file_write_atomic */
#include "frontmatter.h"
#include "node.h"

/*
 * Sets top-level field `field` to the string `value` in the file held in
 * `file` (a dc_buf with the whole file; replaced with the edited bytes on
 * success, untouched on failure). `path` names the file in error messages.
 *
 * An existing scalar value is replaced in place, keeping its quoting style:
 * - plain stays plain when the new value is safe as a plain scalar AND the
 *   YAML 1.2 core schema still types it as a string, or as the same kind as
 *   the old plain value (a boolean, integer or number); `2026-11-27`, `A/1`
 *   and CJK text stay plain, while `yes`/`no`/`on`/`off` (booleans to YAML
 *   1.1 readers), `true`, `1.0`, `null`, `: x`, `#x`, `a: b` or leading or
 *   trailing blanks take double quotes;
 * - single-quoted stays single-quoted (' written as '');
 * - double-quoted stays double-quoted (" and \ escaped).
 * A value holding a control character, a tab or a Unicode line separator is
 * always written double-quoted with escapes. An empty value (`field:`)
 * becomes `field: value`; a block scalar (| or >) or a block or flow
 * collection is replaced by the scalar (a comment on the key's line stays).
 *
 * A missing field is added as a new line `field: value` just before the
 * closing `---` (after the last field), indented like the other top-level
 * keys, ending in CRLF when the opening `---` line ends in CRLF, else LF.
 *
 * Returns 0, or -1 with dc_error set: the file does not parse (the first
 * finding is in the message), the front-matter is a flow mapping `{...}` or
 * not a mapping, `value` is not valid UTF-8, out of memory.
 */
int dc_fm_set(dc_buf *file, const char *path, const char *field, const char *value);

/* Same, writing the integer `value` as a plain scalar (whatever the old style). */
int dc_fm_set_int(dc_buf *file, const char *path, const char *field, long value);

/*
 * Removes a top-level field: its whole line(s), from the start of the key's
 * line through the end of the value's last line (including the line break),
 * keeping every other line. A comment line directly above it stays, as do
 * blank and comment lines after the value's last line. An absent field is no
 * change and returns 0. Errors as for dc_fm_set().
 */
int dc_fm_remove(dc_buf *file, const char *path, const char *field);

/*
 * The lines of a top-level field (`pair` of the mapping parsed from `data`,
 * split as `fm` says): [*from, *to) runs from the start of the key's line
 * through the line break ending the value's last line, as dc_fm_remove()
 * removes them (reference §4.2 counts the same lines).
 */
void dc_fm_field_lines(const char *data, const dc_frontmatter *fm, const dc_pair *pair, size_t *from,
		       size_t *to);

#endif
