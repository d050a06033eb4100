/*
 * link_path.c - where a relative link of a document points (check.h):
 * paths made canonical ("a/../b" is "b"), percent-escapes decoded. Used by
 * check, the hooks' attachment rules and publish alike.
 */
#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "text.h"

/* dc_path_normalize() with `dir` and `path` given by their lengths. */
static int normalize(dc_buf *out, const char *dir, size_t dirlen, const char *path, size_t plen)
{
	const char *seg, *slash, *end = path + plen;

	dc_buf_clear(out);
	/* start from `dir`, or the root for "/..." */
	if (!plen || path[0] != '/')
		dc_buf_put(out, dir, dirlen);
	for (seg = path; seg < end; seg = slash + 1) {
		size_t n;

		slash = memchr(seg, '/', (size_t)(end - seg));
		if (!slash)
			slash = end;
		n = (size_t)(slash - seg);
		if (n == 0 || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			const char *up;

			if (!out->len)
				return -1;
			up = memrchr(out->ptr, '/', out->len);
			dc_buf_truncate(out, up ? (size_t)(up - out->ptr) : 0);
			continue;
		}
		if (out->len)
			dc_buf_putc(out, '/');
		dc_buf_put(out, seg, n);
	}
	return 0;
}

int dc_path_normalize(dc_buf *out, const char *dir, const char *path)
{
	return normalize(out, dir, strlen(dir), path, strlen(path));
}

int dc_link_resolve(dc_buf *out, const char *doc_path, const char *dest)
{
	char small[256], *raw = small;
	const char *p, *slash;
	size_t len, i, n = 0;
	int rc;

	dc_buf_clear(out);
	for (p = dest; isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'; p++)
		;
	if (p != dest && *p == ':' && isalpha((unsigned char)dest[0]))
		return 0; /* a scheme: https:, mailto: */
	if (dest[0] == '/' && dest[1] == '/')
		return 0; /* a network path */
	len = strcspn(dest, "?#");
	if (len == 0)
		return 0; /* a fragment of this document */
	if (len >= sizeof(small) && !(raw = malloc(len + 1)))
		return dc_error_oom();
	for (i = 0; i < len; i++) {
		int hi, lo;

		if (dest[i] == '%' && i + 2 < len + 1 && (hi = dc_hex_digit(dest[i + 1])) >= 0 &&
		    (lo = dc_hex_digit(dest[i + 2])) >= 0) {
			raw[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			raw[n++] = dest[i];
		}
	}
	raw[n] = '\0';
	slash = strrchr(doc_path, '/');
	/* (a "%00" ends the path, as it ends a C string) */
	rc = normalize(out, doc_path, slash ? (size_t)(slash - doc_path) : 0, raw, strlen(raw)) < 0 ? 2 : 1;
	if (raw != small)
		free(raw);
	return rc;
}
