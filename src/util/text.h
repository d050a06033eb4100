/*
 * text.h - UTF-8 and line/column arithmetic on file contents.
 */
#ifndef DC_TEXT_H
#define DC_TEXT_H

#include <stddef.h>

#include "mark.h"

/* Offset of the first byte that is not valid UTF-8 (overlongs, surrogates
 * and values above U+10FFFF are invalid), or `len` when all of it is valid. */
size_t dc_utf8_invalid_at(const char *s, size_t len);
/* Number of code points in a valid UTF-8 string. */
size_t dc_utf8_count(const char *s, size_t len);
/* Decodes one code point at s (len > 0); stores its length in *n. */
unsigned dc_utf8_decode(const char *s, size_t len, size_t *n);

/*
 * The mark (1-based line and code-point column) of byte `off` in `data`.
 * Lines end at "\n" ("\r\n" counts as one break). O(off); use dc_lines for
 * many lookups in the same text.
 */
dc_mark dc_text_mark(const char *data, size_t len, size_t off);

/* A table of line starts for repeated lookups in one text. */
typedef struct {
	const char *data;
	size_t len;
	size_t *starts; /* starts[i] = byte offset of line i+1 */
	size_t n;
} dc_lines;

int dc_lines_init(dc_lines *l, const char *data, size_t len);
void dc_lines_dispose(dc_lines *l);
dc_mark dc_lines_mark(const dc_lines *l, size_t off);

/* 1 when `path` is `dir` or lies below it ("a/b" is below "a", "ab" is
 * not), else 0. Both are relative paths with '/' separators. */
int dc_path_within(const char *path, const char *dir);

/* The value of a hexadecimal digit (0-9, a-f, A-F), or -1 for any other character. */
int dc_hex_digit(int ch);
/* Nonzero when `s` is exactly `n` hexadecimal digits (an object name). */
int dc_hex_string(const char *s, size_t n);

/* A 64-bit hash that continues `h` (start with DC_HASH_INIT) over `len`
 * bytes, eight at a time: for fingerprints, checksums and hash tables, not
 * for security. */
#define DC_HASH_INIT 0xcbf29ce484222325ULL
unsigned long long dc_hash64(unsigned long long h, const void *data, size_t len);

/* The edit distance (Levenshtein, in code points) of two short strings, for
 * "did you mean": 99 when either is 63 code points or longer. */
size_t dc_edit_distance(const char *a, const char *b);

#endif
