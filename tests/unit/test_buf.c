/*
 * test_buf.c - the growable string (buf.h): printf into the room there is
 * and, when it does not fit, again after growing (the text is the same
 * whatever the room); decimal numbers without printf; always
 * NUL-terminated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

static void printf_fits_or_grows(void **state)
{
	dc_buf b = DC_BUF_INIT;
	char want[4096];
	size_t i, n = 0;

	(void)state;
	/* every length around the buffer's capacities (64, 128, ...) */
	for (i = 0; i < 300; i++) {
		assert_int_equal(dc_buf_printf(&b, "%zu:%.*s;", i, (int)(i % 17), "abcdefghijklmnopq"), 0);
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%zu:%.*s;", i, (int)(i % 17), "abcdefghijklmnopq");
		if (n > 3000)
			break;
		assert_int_equal(b.len, n);
		assert_int_equal(strlen(b.ptr), n);
		assert_memory_equal(b.ptr, want, n);
	}
	dc_buf_dispose(&b);
}

static void printf_exactly_the_room(void **state)
{
	dc_buf b = DC_BUF_INIT;
	char text[64];
	size_t room;

	(void)state;
	assert_int_equal(dc_buf_puts(&b, "x"), 0);
	room = b.cap - b.len; /* the bytes left, NUL included */
	memset(text, 'y', sizeof(text));
	text[room - 1] = '\0'; /* fits with its NUL */
	assert_int_equal(dc_buf_printf(&b, "%s", text), 0);
	assert_int_equal(b.len, room);
	text[room - 1] = 'y';
	text[room] = '\0'; /* one more: grows */
	assert_int_equal(dc_buf_printf(&b, "%s", text), 0);
	assert_int_equal(b.len, 2 * room);
	assert_int_equal(strlen(b.ptr), b.len);
	dc_buf_dispose(&b);
}

static void put_uint_writes_decimal(void **state)
{
	dc_buf b = DC_BUF_INIT;

	(void)state;
	assert_int_equal(dc_buf_put_uint(&b, 0), 0);
	assert_int_equal(dc_buf_putc(&b, ','), 0);
	assert_int_equal(dc_buf_put_uint(&b, 7), 0);
	assert_int_equal(dc_buf_putc(&b, ','), 0);
	assert_int_equal(dc_buf_put_uint(&b, 4294967296ULL), 0);
	assert_int_equal(dc_buf_putc(&b, ','), 0);
	assert_int_equal(dc_buf_put_uint(&b, ULLONG_MAX), 0);
	assert_string_equal(b.ptr, "0,7,4294967296,18446744073709551615");
	dc_buf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(printf_fits_or_grows),
		cmocka_unit_test(printf_exactly_the_room),
		cmocka_unit_test(put_uint_writes_decimal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
