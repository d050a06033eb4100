/*
 * buf.h - a growable byte buffer, in the spirit of git's strbuf.
 *
 * Invariants: after dc_buf_init() `ptr` always points at a NUL-terminated
 * string of `len` bytes (a shared empty string while `cap` is 0), so a buffer
 * can be handed to any C string function at any time. The buffer may hold NUL
 * bytes; `len` is authoritative. Every function that grows the buffer returns
 * 0 on success and -1 (with dc_error set) when memory runs out, leaving the
 * contents unchanged.
 */
#ifndef DC_BUF_H
#define DC_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "array.h" /* dc_array_grow, once declared here */

typedef struct {
	char *ptr;
	size_t len;
	size_t cap;
} dc_buf;

#define DC_BUF_INIT { dc_buf__empty, 0, 0 }
extern char dc_buf__empty[1];

void dc_buf_init(dc_buf *b);
void dc_buf_dispose(dc_buf *b);
void dc_buf_clear(dc_buf *b);
int dc_buf_grow(dc_buf *b, size_t extra);
int dc_buf_put(dc_buf *b, const void *data, size_t len);
int dc_buf_puts(dc_buf *b, const char *s);
int dc_buf_putc(dc_buf *b, char c);
int dc_buf_printf(dc_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int dc_buf_vprintf(dc_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends `v` in decimal (no printf: for the long lists of numbers). */
int dc_buf_put_uint(dc_buf *b, unsigned long long v);
/* Takes the string out of the buffer (caller frees), leaving it empty. */
char *dc_buf_detach(dc_buf *b);
void dc_buf_truncate(dc_buf *b, size_t len);

#endif
