/*
 * test_date.c - dates and durations (date.h): strict parsing, calendar
 * validation, month-end clamping, day numbers and formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "date.h"

static dc_date date(const char *s)
{
	dc_date d = { 0, 0, 0 };

	assert_int_equal(dc_date_parse(&d, s), 0);
	return d;
}

static void parses_valid_dates(void **state)
{
	dc_date d;

	(void)state;
	d = date("2026-11-20");
	assert_int_equal(d.y, 2026);
	assert_int_equal(d.m, 11);
	assert_int_equal(d.d, 20);
	date("2024-02-29");
	date("2000-02-29");
	date("1000-01-01");
	date("9999-12-31");
}

static void rejects_invalid_dates(void **state)
{
	static const char *const bad[] = {
		"", "2026-1-20", "2026-11-2", "26-11-20", "2026/11/20", "2026-11-20 ",
		" 2026-11-20", "2026-11-20T00:00", "2026-13-01", "2026-00-10", "2026-11-00",
		"2026-11-31", "2023-02-29", "1900-02-29", "2100-02-29", "0999-12-31",
		"+2026-11-20", "2026-1a-01", "20261120", "2026-W01-1",
	};
	dc_date d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dc_date_parse(&d, bad[i]) != -1)
			fail_msg("accepted bad date \"%s\"", bad[i]);
	}
	assert_int_equal(dc_date_parse(&d, NULL), -1);
}

static void parses_durations(void **state)
{
	dc_duration u;

	(void)state;
	assert_int_equal(dc_duration_parse(&u, "P1Y"), 0);
	assert_int_equal(u.years, 1);
	assert_int_equal(u.months + u.weeks + u.days, 0);
	assert_int_equal(dc_duration_parse(&u, "P1Y6M"), 0);
	assert_int_equal(u.years, 1);
	assert_int_equal(u.months, 6);
	assert_int_equal(dc_duration_parse(&u, "P2W"), 0);
	assert_int_equal(u.weeks, 2);
	assert_int_equal(dc_duration_parse(&u, "P90D"), 0);
	assert_int_equal(u.days, 90);
	assert_int_equal(dc_duration_parse(&u, "P1Y2M3W4D"), 0);
	assert_int_equal(u.years, 1);
	assert_int_equal(u.months, 2);
	assert_int_equal(u.weeks, 3);
	assert_int_equal(u.days, 4);
	assert_int_equal(dc_duration_parse(&u, "P0D"), 0);
	assert_int_equal(u.days, 0);
}

static void rejects_invalid_durations(void **state)
{
	static const char *const bad[] = {
		"", "P", "1Y", "p1y", "P1y", "PT1H", "P1DT1H", "P1.5Y", "P1,5Y", "P-1Y",
		"P+1Y", "PY", "P1M1Y", "P1D1W", "P1Y1Y", "P1", "P1Y ", " P1Y", "P1X",
		"P9999999D",
	};
	dc_duration u;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (dc_duration_parse(&u, bad[i]) != -1)
			fail_msg("accepted bad duration \"%s\"", bad[i]);
	}
	assert_int_equal(dc_duration_parse(&u, NULL), -1);
}

static void assert_added(const char *from, const char *dur, const char *want)
{
	dc_date d = date(from), r;
	dc_duration u;
	char out[11];

	assert_int_equal(dc_duration_parse(&u, dur), 0);
	r = dc_date_add(&d, &u);
	dc_date_format(&r, out);
	assert_string_equal(out, want);
}

static void adds_with_month_end_clamping(void **state)
{
	(void)state;
	assert_added("2024-01-31", "P1M", "2024-02-29");
	assert_added("2026-01-31", "P1M", "2026-02-28");
	assert_added("2024-02-29", "P1Y", "2025-02-28");
	assert_added("2024-02-29", "P4Y", "2028-02-29");
	assert_added("2026-03-31", "P1M", "2026-04-30");
	assert_added("2026-11-20", "P1Y", "2027-11-20");
	assert_added("2026-11-20", "P6M", "2027-05-20");
	assert_added("2026-08-31", "P1Y6M", "2028-02-29");
	assert_added("2026-12-25", "P2W", "2027-01-08");
	assert_added("2026-01-01", "P90D", "2026-04-01");
	assert_added("2024-01-01", "P366D", "2025-01-01");
	assert_added("2026-01-31", "P1M1D", "2026-03-01");
	assert_added("2026-11-20", "P0D", "2026-11-20");
}

static void compares_and_counts_days(void **state)
{
	dc_date a = date("2026-11-20"), b = date("2026-12-01"), c = date("2027-01-01");
	dc_date epoch = date("1970-01-01"), before = date("1969-12-31");

	(void)state;
	assert_true(dc_date_cmp(&a, &b) < 0);
	assert_true(dc_date_cmp(&c, &b) > 0);
	assert_int_equal(dc_date_cmp(&a, &a), 0);
	assert_int_equal(dc_date_days(&epoch), 0);
	assert_int_equal(dc_date_days(&before), -1);
	assert_int_equal(dc_date_days(&b) - dc_date_days(&a), 11);
	assert_int_equal(dc_date_days(&c) - dc_date_days(&b), 31);
	a = date("2000-03-01");
	assert_int_equal(dc_date_days(&a), 11017);
}

static void today_is_a_valid_date(void **state)
{
	dc_date t = dc_date_today(), back;
	char s[11];

	(void)state;
	dc_date_format(&t, s);
	assert_int_equal(strlen(s), 10);
	assert_int_equal(dc_date_parse(&back, s), 0);
	assert_int_equal(dc_date_cmp(&t, &back), 0);
	assert_true(t.y >= 2024);
}

static void formats_with_leading_zeros(void **state)
{
	dc_date d = { 2026, 1, 5 };
	char s[11];

	(void)state;
	dc_date_format(&d, s);
	assert_string_equal(s, "2026-01-05");
}

/* dc_today: --as-of wins, then DOCCTL_AS_OF, then the clock; a bad date is -1. */
static void today_honours_as_of_and_the_environment(void **state)
{
	dc_date d;
	char s[11];

	(void)state;
	setenv("DOCCTL_AS_OF", "2027-03-04", 1);
	assert_int_equal(dc_today(&d, NULL), 0);
	dc_date_format(&d, s);
	assert_string_equal(s, "2027-03-04");
	assert_int_equal(dc_today(&d, "2026-12-31"), 0);
	dc_date_format(&d, s);
	assert_string_equal(s, "2026-12-31");
	setenv("DOCCTL_AS_OF", "2027-02-30", 1);
	assert_int_equal(dc_today(&d, NULL), -1);
	assert_int_equal(dc_today(&d, "tomorrow"), -1);
	setenv("DOCCTL_AS_OF", "", 1);
	assert_int_equal(dc_today(&d, NULL), 0);
	assert_int_equal(dc_date_cmp(&d, &(dc_date){ 2026, 1, 1 }) > 0, 1);
	unsetenv("DOCCTL_AS_OF");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_valid_dates),
		cmocka_unit_test(rejects_invalid_dates),
		cmocka_unit_test(parses_durations),
		cmocka_unit_test(rejects_invalid_durations),
		cmocka_unit_test(adds_with_month_end_clamping),
		cmocka_unit_test(compares_and_counts_days),
		cmocka_unit_test(today_is_a_valid_date),
		cmocka_unit_test(formats_with_leading_zeros),
		cmocka_unit_test(today_honours_as_of_and_the_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
