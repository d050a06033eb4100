/* test_markdown.c - not written yet: fails until it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

static void not_written(void **state)
{
	(void)state;
	fail_msg("test_markdown is not written yet");
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(not_written) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
