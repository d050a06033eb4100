/*
 * buf.c - the growable byte buffer (see buf.h for its invariants).
 */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "i18n.h"

char dc_buf__empty[1];

void dc_buf_init(dc_buf *b)
{
	b->ptr = dc_buf__empty;
	b->len = 0;
	b->cap = 0;
}

void dc_buf_dispose(dc_buf *b)
{
	if (!b)
		return;
	if (b->cap)
		free(b->ptr);
	dc_buf_init(b);
}

void dc_buf_clear(dc_buf *b)
{
	dc_buf_truncate(b, 0);
}

void dc_buf_truncate(dc_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		if (b->cap)
			b->ptr[len] = '\0';
	}
}

int dc_buf_grow(dc_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return dc_error_oom();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = b->cap ? realloc(b->ptr, cap) : malloc(cap);
	if (!p)
		return dc_error_oom();
	if (!b->cap)
		p[0] = '\0';
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int dc_buf_put(dc_buf *b, const void *data, size_t len)
{
	if (dc_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int dc_buf_puts(dc_buf *b, const char *s)
{
	return dc_buf_put(b, s, strlen(s));
}

int dc_buf_putc(dc_buf *b, char c)
{
	return dc_buf_put(b, &c, 1);
}

int dc_buf_vprintf(dc_buf *b, const char *fmt, va_list ap)
{
	size_t room = b->cap > b->len ? b->cap - b->len : 0;
	va_list cp;
	int n;

	/* once into the room there is; again only when it did not fit */
	va_copy(cp, ap);
	n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		if (room)
			b->ptr[b->len] = '\0';
		return dc_error_set(_("bad format string"));
	}
	if ((size_t)n >= room) {
		if (room)
			b->ptr[b->len] = '\0';
		if (dc_buf_grow(b, (size_t)n) < 0)
			return -1;
		vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int dc_buf_put_uint(dc_buf *b, unsigned long long v)
{
	char digits[24], *p = digits + sizeof(digits);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return dc_buf_put(b, p, (size_t)(digits + sizeof(digits) - p));
}

int dc_buf_printf(dc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dc_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *dc_buf_detach(dc_buf *b)
{
	char *s = b->cap ? b->ptr : strdup("");
	dc_buf_init(b);
	return s;
}
