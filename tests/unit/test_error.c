/*
 * test_error.c - the last-error helpers (error.h): out of memory, a prefix
 * on the last error (which may itself be an argument), and an error carried
 * from a worker thread to the thread that reports it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "error.h"

static void oom_sets_the_message(void **state)
{
	(void)state;
	dc_error_clear();
	assert_int_equal(dc_error_oom(), -1);
	assert_string_equal(dc_error_last(), "out of memory");
}

static void wrap_prefixes_the_last_error(void **state)
{
	(void)state;
	dc_error_set("No such file or directory");
	assert_int_equal(dc_error_wrap("cannot read '%s'", "docs/a.md"), -1);
	assert_string_equal(dc_error_last(), "cannot read 'docs/a.md': No such file or directory");
}

static void wrap_may_read_the_last_error(void **state)
{
	(void)state;
	/* the buffer it writes is one of its arguments: copied first */
	dc_error_set("boom");
	assert_int_equal(dc_error_wrap("%s (%s)", dc_error_last(), "again"), -1);
	assert_string_equal(dc_error_last(), "boom (again): boom");
}

static void wrap_keeps_a_long_message_terminated(void **state)
{
	char longer[3000];

	(void)state;
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	dc_error_set("%s", longer);
	dc_error_wrap("%s", longer);
	assert_true(strlen(dc_error_last()) < sizeof(longer));
	assert_int_equal(dc_error_last()[0], 'x');
}

typedef struct {
	dc_error_saved saved;
	int rc;
} job;

static void *worker(void *arg)
{
	job *j = arg;

	j->rc = dc_error_set("cannot read blob %s", "0123abcd");
	dc_error_capture(&j->saved);
	return NULL;
}

static void capture_carries_an_error_across_threads(void **state)
{
	pthread_t t;
	job j;

	(void)state;
	memset(&j, 0, sizeof(j));
	dc_error_set("the caller's own");
	assert_int_equal(pthread_create(&t, NULL, worker, &j), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	/* the last error is per thread: the worker's did not touch ours */
	assert_string_equal(dc_error_last(), "the caller's own");
	assert_int_equal(j.rc, -1);
	assert_int_equal(dc_error_restore(&j.saved), -1);
	assert_string_equal(dc_error_last(), "cannot read blob 0123abcd");
}

static void restoring_nothing_is_an_unknown_error(void **state)
{
	dc_error_saved none;

	(void)state;
	memset(&none, 0, sizeof(none));
	assert_int_equal(dc_error_restore(&none), -1);
	assert_string_equal(dc_error_last(), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(oom_sets_the_message),
		cmocka_unit_test(wrap_prefixes_the_last_error),
		cmocka_unit_test(wrap_may_read_the_last_error),
		cmocka_unit_test(wrap_keeps_a_long_message_terminated),
		cmocka_unit_test(capture_carries_an_error_across_threads),
		cmocka_unit_test(restoring_nothing_is_an_unknown_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
