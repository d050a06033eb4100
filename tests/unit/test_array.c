/*
 * test_array.c - the one growable array (array.h): growth keeps the
 * contents, a jump past twice the capacity still makes room, and a size
 * that cannot be allocated fails with "out of memory" and leaves the array
 * as it was; an array grown in an arena (dc_arena_grow) keeps its contents
 * too and is freed with the arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "error.h"

static void grows_and_keeps_contents(void **state)
{
	int *v = NULL;
	size_t n = 0, cap = 0, i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(DC_ARRAY_GROW(v, cap, n + 1), 0);
		assert_true(cap > n);
		v[n++] = (int)i * 3;
	}
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], (int)i * 3);
	/* doubling: far fewer capacities than elements */
	assert_true(cap >= 1000 && cap < 4000);
	free(v);
}

static void room_for_a_large_jump(void **state)
{
	long *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(DC_ARRAY_GROW(v, cap, 1), 0);
	assert_true(cap >= 1);
	/* more than twice the capacity at once (a batch of summaries) */
	assert_int_equal(DC_ARRAY_GROW(v, cap, 5000), 0);
	assert_true(cap >= 5000);
	v[4999] = 7;
	assert_int_equal(v[4999], 7);
	free(v);
}

static void nothing_needed_is_a_no_op(void **state)
{
	char *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(DC_ARRAY_GROW(v, cap, 0), 0);
	assert_null(v);
	assert_int_equal(cap, 0);
}

static void too_large_fails_cleanly(void **state)
{
	struct big {
		char b[4096];
	} *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(DC_ARRAY_GROW(v, cap, 2), 0);
	strcpy(v[1].b, "kept");
	dc_error_clear();
	assert_int_equal(dc_array_grow(&v, &cap, SIZE_MAX / 2, sizeof(*v)), -1);
	assert_string_equal(dc_error_last(), "out of memory");
	assert_non_null(v);
	assert_string_equal(v[1].b, "kept");
	free(v);
}

static void grows_in_an_arena(void **state)
{
	dc_arena a = DC_ARENA_INIT;
	int *v = NULL, *first;
	size_t n = 0, cap = 0, i;

	(void)state;
	assert_int_equal(dc_arena_grow(&a, &v, &cap, n, sizeof(*v)), 0);
	first = v;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(dc_arena_grow(&a, &v, &cap, n, sizeof(*v)), 0);
		assert_true(cap > n);
		v[n++] = (int)i * 5;
	}
	assert_ptr_not_equal(v, first); /* copied when it grew */
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], (int)i * 5);
	assert_true(cap >= 1000 && cap < 4000);
	dc_error_clear();
	assert_int_equal(dc_arena_grow(&a, &v, &cap, SIZE_MAX / 2, sizeof(*v)), -1);
	assert_string_equal(dc_error_last(), "out of memory");
	assert_int_equal(v[999], 999 * 5);
	dc_arena_dispose(&a); /* frees every copy: no free(v) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_keeps_contents),
		cmocka_unit_test(room_for_a_large_jump),
		cmocka_unit_test(nothing_needed_is_a_no_op),
		cmocka_unit_test(too_large_fails_cleanly),
		cmocka_unit_test(grows_in_an_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
