/*
 * test_strlist.c - the one list of strings (strlist.h): copies in its own
 * arena, appending keeps order and duplicates, add_unique keeps one of
 * each, and a disposed list is empty and reusable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strlist.h"

static void appends_copies_in_order(void **state)
{
	dc_strlist l = { 0 };
	char s[16] = "docs/a.md";

	(void)state;
	assert_int_equal(dc_strlist_add(&l, s), 0);
	strcpy(s, "changed");
	assert_int_equal(dc_strlist_add(&l, "docs/b.md"), 0);
	assert_int_equal(dc_strlist_add(&l, "docs/a.md"), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "docs/a.md");
	assert_string_equal(l.v[1], "docs/b.md");
	assert_string_equal(l.v[2], "docs/a.md");
	dc_strlist_dispose(&l);
}

static void add_unique_keeps_one_of_each(void **state)
{
	dc_strlist l;

	(void)state;
	dc_strlist_init(&l);
	assert_int_equal(dc_strlist_add_unique(&l, "ann@example.com"), 0);
	assert_int_equal(dc_strlist_add_unique(&l, "bob@example.com"), 0);
	assert_int_equal(dc_strlist_add_unique(&l, "ann@example.com"), 0);
	assert_int_equal(l.n, 2);
	assert_true(dc_strlist_has(&l, "bob@example.com"));
	assert_false(dc_strlist_has(&l, "carol@example.com"));
	assert_false(dc_strlist_has(&l, "ann@example"));
	dc_strlist_dispose(&l);
}

static void disposed_is_empty_and_reusable(void **state)
{
	dc_strlist l = { 0 };
	char s[32];
	int i;

	(void)state;
	dc_strlist_dispose(&l);
	for (i = 0; i < 5000; i++) {
		snprintf(s, sizeof(s), "p/%d.md", i);
		assert_int_equal(dc_strlist_add(&l, s), 0);
	}
	assert_int_equal(l.n, 5000);
	assert_string_equal(l.v[4321], "p/4321.md");
	dc_strlist_dispose(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	assert_false(dc_strlist_has(&l, "p/1.md"));
	assert_int_equal(dc_strlist_add(&l, "again"), 0);
	assert_string_equal(l.v[0], "again");
	dc_strlist_dispose(&l);
	dc_strlist_dispose(NULL);
}

static void sorts_by_strcmp(void **state)
{
	dc_strlist l = { 0 };
	const char *plain[] = { "b", "a", "B" };

	(void)state;
	dc_strlist_sort(&l);
	assert_int_equal(dc_strlist_add(&l, "docs/b.md"), 0);
	assert_int_equal(dc_strlist_add(&l, "docs/a.md"), 0);
	assert_int_equal(dc_strlist_add(&l, "docs/A.md"), 0);
	dc_strlist_sort(&l);
	assert_string_equal(l.v[0], "docs/A.md");
	assert_string_equal(l.v[1], "docs/a.md");
	assert_string_equal(l.v[2], "docs/b.md");
	dc_strlist_dispose(&l);
	qsort(plain, 3, sizeof(*plain), dc_strp_cmp);
	assert_string_equal(plain[0], "B");
	assert_string_equal(plain[2], "b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(appends_copies_in_order),
		cmocka_unit_test(add_unique_keeps_one_of_each),
		cmocka_unit_test(disposed_is_empty_and_reusable),
		cmocka_unit_test(sorts_by_strcmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
