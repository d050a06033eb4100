/*
 * test_child.c - a helper program run by dc_spawn (child.h): what it
 * prints is captured with its exit status, and its environment is the
 * inherited one with replace objects and grafts turned off (reference
 * §6.1 item 3a), whatever the caller's environment says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "child.h"

static int has_line(const dc_buf *b, const char *line)
{
	size_t n = strlen(line);
	const char *p = b->ptr;

	while (p && (p = strstr(p, line))) {
		if ((p == b->ptr || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static void test_environment(void **state)
{
	const char *const argv[] = { "env", NULL };
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };

	(void)state;
	setenv("GIT_NO_REPLACE_OBJECTS", "0", 1);
	setenv("GIT_GRAFT_FILE", "/tmp/grafts", 1);
	setenv("GIT_REPLACE_REF_BASE", "refs/elsewhere/", 1);
	setenv("DOCCTL_TEST_KEPT", "yes", 1);
	assert_int_equal(dc_spawn(&res, ".", argv, "/dev/null", 1 << 20, 10000), 0);
	assert_int_equal(res.code, 0);
	assert_true(has_line(&res.out, "GIT_NO_REPLACE_OBJECTS=1"));
	assert_false(has_line(&res.out, "GIT_NO_REPLACE_OBJECTS=0"));
	assert_true(has_line(&res.out, "GIT_GRAFT_FILE=/dev/null/docctl-no-grafts"));
	assert_false(has_line(&res.out, "GIT_GRAFT_FILE=/tmp/grafts"));
	assert_null(strstr(res.out.ptr, "GIT_REPLACE_REF_BASE="));
	assert_true(has_line(&res.out, "DOCCTL_TEST_KEPT=yes"));
	dc_child_dispose(&res);
}

static void test_exit_status(void **state)
{
	const char *const argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };

	(void)state;
	assert_int_equal(dc_spawn(&res, ".", argv, "/dev/null", 1 << 20, 10000), 0);
	assert_int_equal(res.code, 3);
	assert_string_equal(res.out.ptr, "out\n");
	assert_string_equal(res.err.ptr, "err\n");
	dc_child_dispose(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_exit_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
