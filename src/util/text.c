/*
 * text.c - UTF-8 validation and offset-to-line/column conversion.
 */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

unsigned dc_utf8_decode(const char *s, size_t len, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];

	if (c < 0x80 || len < 2) {
		*n = 1;
		return c;
	}
	if ((c & 0xE0) == 0xC0) {
		*n = 2;
		return ((c & 0x1F) << 6) | (p[1] & 0x3F);
	}
	if ((c & 0xF0) == 0xE0 && len >= 3) {
		*n = 3;
		return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	}
	if ((c & 0xF8) == 0xF0 && len >= 4) {
		*n = 4;
		return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	}
	*n = 1;
	return c;
}

/* The well-formed sequences are those of the Unicode standard's table 3-7:
 * the lead byte fixes the length and the range of the second byte. The
 * common cases come first: ASCII runs, eight bytes at a time, and runs of
 * three-byte characters (CJK text). */
size_t dc_utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i], lo = 0x80, hi = 0xBF;
		size_t n;

		if (c < 0x80) {
			uint64_t w;

			for (i++; len - i >= 8; i += 8) {
				memcpy(&w, p + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
			}
			continue;
		}
		if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
			/* E1-EC, EE-EF: two continuation bytes */
			do {
				if (len - i < 3 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80)
					return i;
				i += 3;
			} while (i < len && p[i] >= 0xE1 && p[i] <= 0xEF && p[i] != 0xED);
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 2;
		else if (c == 0xE0)
			n = 3, lo = 0xA0;
		else if (c == 0xED)
			n = 3, hi = 0x9F; /* not the surrogates */
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		else
			return i;
		if (len - i < n || p[i + 1] < lo || p[i + 1] > hi ||
		    (n > 2 && (p[i + 2] & 0xC0) != 0x80) || (n > 3 && (p[i + 3] & 0xC0) != 0x80))
			return i;
		i += n;
	}
	return len;
}

size_t dc_utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

dc_mark dc_text_mark(const char *data, size_t len, size_t off)
{
	dc_mark m = { 1, 1, off };
	size_t i, start = 0;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++)
		if (data[i] == '\n') {
			m.line++;
			start = i + 1;
		}
	m.col = (unsigned)dc_utf8_count(data + start, off - start) + 1;
	return m;
}

int dc_lines_init(dc_lines *l, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *nl;
	size_t n = 1, k = 0;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p = nl + 1;
	}
	l->data = data;
	l->len = len;
	l->n = n;
	l->starts = malloc(n * sizeof(size_t));
	if (!l->starts)
		return dc_error_oom();
	l->starts[k++] = 0;
	for (p = data; (nl = memchr(p, '\n', (size_t)(end - p))); p = nl + 1)
		l->starts[k++] = (size_t)(nl + 1 - data);
	return 0;
}

void dc_lines_dispose(dc_lines *l)
{
	if (!l)
		return;
	free(l->starts);
	l->starts = NULL;
	l->n = 0;
}

dc_mark dc_lines_mark(const dc_lines *l, size_t off)
{
	size_t lo = 0, hi = l->n;
	dc_mark m;

	if (off > l->len)
		off = l->len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (l->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	m.line = (unsigned)lo + 1;
	m.col = (unsigned)dc_utf8_count(l->data + l->starts[lo], off - l->starts[lo]) + 1;
	m.offset = off;
	return m;
}

static unsigned long long mix(unsigned long long h, unsigned long long w)
{
	h ^= w;
	h *= 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

unsigned long long dc_hash64(unsigned long long h, const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long long w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, p, len);
	return mix(h, w ^ ((unsigned long long)len << 56));
}

int dc_hex_digit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int dc_hex_string(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (dc_hex_digit((unsigned char)s[i]) < 0)
			return 0;
	return s[n] == '\0';
}

int dc_path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* Up to 63 code points of `s` into `out`; SIZE_MAX when longer. */
static size_t code_points(const char *s, unsigned out[64])
{
	size_t len = strlen(s), i = 0, n = 0, step;

	while (i < len) {
		if (n == 63)
			return SIZE_MAX;
		out[n++] = dc_utf8_decode(s + i, len - i, &step);
		i += step ? step : 1;
	}
	return n;
}

size_t dc_edit_distance(const char *a, const char *b)
{
	unsigned ca[64], cb[64];
	size_t la = code_points(a, ca), lb = code_points(b, cb), i, j, row[64];

	if (la == SIZE_MAX || lb == SIZE_MAX)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (ca[i - 1] != cb[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}
