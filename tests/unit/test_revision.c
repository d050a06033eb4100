/*
 * test_revision.c - the revision schemes (revision.h): what is valid,
 * the order, the first revision, bumping and formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "revision.h"

static dc_revision rev(dc_scheme s, const char *text)
{
	dc_revision r = { -1, -1, 0 };

	if (dc_revision_parse_str(&r, s, text) != 0)
		fail_msg("rejected valid revision \"%s\" in %s", text, dc_scheme_name(s));
	return r;
}

static void assert_invalid(dc_scheme s, const char *const *bad, size_t n)
{
	dc_revision r;
	size_t i;

	for (i = 0; i < n; i++) {
		if (dc_revision_parse_str(&r, s, bad[i]) != -1)
			fail_msg("accepted bad revision \"%s\" in %s", bad[i], dc_scheme_name(s));
	}
}

static void parses_scheme_names(void **state)
{
	dc_scheme s;

	(void)state;
	assert_int_equal(dc_scheme_parse(&s, "integer"), 0);
	assert_int_equal(s, DC_SCHEME_INTEGER);
	assert_int_equal(dc_scheme_parse(&s, "letter"), 0);
	assert_int_equal(s, DC_SCHEME_LETTER);
	assert_int_equal(dc_scheme_parse(&s, "letter-number"), 0);
	assert_int_equal(s, DC_SCHEME_LETTER_NUMBER);
	assert_int_equal(dc_scheme_parse(&s, "Letter"), -1);
	assert_int_equal(dc_scheme_parse(&s, "number"), -1);
	assert_int_equal(dc_scheme_parse(&s, NULL), -1);
	assert_string_equal(dc_scheme_name(DC_SCHEME_LETTER_NUMBER), "letter-number");
}

static void integer_scheme(void **state)
{
	static const char *const bad[] = { "0", "01", "-1", "+1", "1.0", "", " 1", "1 ", "A",
					   "99999999999999999999999" };
	dc_revision a, b;

	(void)state;
	a = rev(DC_SCHEME_INTEGER, "9");
	b = rev(DC_SCHEME_INTEGER, "10");
	assert_int_equal(a.major, 9);
	assert_int_equal(b.major, 10);
	assert_true(dc_revision_cmp(&a, &b) < 0);
	assert_true(dc_revision_cmp(&b, &a) > 0);
	assert_int_equal(dc_revision_cmp(&a, &a), 0);
	assert_invalid(DC_SCHEME_INTEGER, bad, sizeof(bad) / sizeof(bad[0]));
}

static void letter_scheme(void **state)
{
	static const char *const bad[] = { "a", "A0", "A/0", "", "1", "Ä", "A B", "AAAAAAAAAAAAAAAAAAAA" };
	dc_revision a, z, aa, ab, ba;

	(void)state;
	a = rev(DC_SCHEME_LETTER, "A");
	z = rev(DC_SCHEME_LETTER, "Z");
	aa = rev(DC_SCHEME_LETTER, "AA");
	ab = rev(DC_SCHEME_LETTER, "AB");
	ba = rev(DC_SCHEME_LETTER, "BA");
	assert_int_equal(a.major, 1);
	assert_int_equal(z.major, 26);
	assert_int_equal(aa.major, 27);
	assert_int_equal(ba.major, 53);
	assert_true(dc_revision_cmp(&a, &z) < 0);
	assert_true(dc_revision_cmp(&z, &aa) < 0);
	assert_true(dc_revision_cmp(&aa, &ab) < 0);
	assert_true(dc_revision_cmp(&ab, &ba) < 0);
	assert_invalid(DC_SCHEME_LETTER, bad, sizeof(bad) / sizeof(bad[0]));
}

static void letter_number_scheme(void **state)
{
	static const char *const bad[] = { "A", "A/", "/0", "A/01", "a/0", "A0", "A/-1", "A/0/1",
					   "A//0", "A/1.0", "", "1/0", "A/ 1" };
	dc_revision a0, a1, a9, a10, b0, z9, aa0;

	(void)state;
	a0 = rev(DC_SCHEME_LETTER_NUMBER, "A/0");
	a1 = rev(DC_SCHEME_LETTER_NUMBER, "A/1");
	a9 = rev(DC_SCHEME_LETTER_NUMBER, "A/9");
	a10 = rev(DC_SCHEME_LETTER_NUMBER, "A/10");
	b0 = rev(DC_SCHEME_LETTER_NUMBER, "B/0");
	z9 = rev(DC_SCHEME_LETTER_NUMBER, "Z/9");
	aa0 = rev(DC_SCHEME_LETTER_NUMBER, "AA/0");
	assert_int_equal(a1.major, 1);
	assert_int_equal(a1.minor, 1);
	assert_true(dc_revision_cmp(&a0, &a1) < 0);
	assert_true(dc_revision_cmp(&a9, &a10) < 0);
	assert_true(dc_revision_cmp(&a9, &b0) < 0);
	assert_true(dc_revision_cmp(&a10, &b0) < 0);
	assert_true(dc_revision_cmp(&z9, &aa0) < 0);
	assert_invalid(DC_SCHEME_LETTER_NUMBER, bad, sizeof(bad) / sizeof(bad[0]));
}

static void parses_nodes(void **state)
{
	dc_node n;
	dc_revision r;

	(void)state;
	memset(&n, 0, sizeof(n));
	n.kind = DC_NODE_INT;
	n.u.i = 3;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_INTEGER, &n), 0);
	assert_int_equal(r.major, 3);
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_LETTER, &n), -1);
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_LETTER_NUMBER, &n), -1);
	n.u.i = 0;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_INTEGER, &n), -1);
	n.u.i = -4;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_INTEGER, &n), -1);

	n.kind = DC_NODE_STR;
	n.text = "12";
	n.len = 2;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_INTEGER, &n), 0);
	assert_int_equal(r.major, 12);
	n.text = "B/3";
	n.len = 3;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_LETTER_NUMBER, &n), 0);
	assert_int_equal(r.major, 2);
	assert_int_equal(r.minor, 3);
	n.text = "A\0B";
	n.len = 3;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_LETTER, &n), -1);

	n.kind = DC_NODE_FLOAT;
	n.u.f = 1.0;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_INTEGER, &n), -1);
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_INTEGER, NULL), -1);
}

static void assert_next(dc_scheme s, const char *from, const char *want)
{
	dc_revision r = rev(s, from), n = dc_revision_next(s, &r);
	char out[32];

	dc_revision_format(s, &n, out, sizeof(out));
	assert_string_equal(out, want);
	assert_true(dc_revision_cmp(&r, &n) < 0);
}

static void bumps_and_formats(void **state)
{
	char out[32];
	dc_revision r;

	(void)state;
	assert_next(DC_SCHEME_INTEGER, "1", "2");
	assert_next(DC_SCHEME_INTEGER, "9", "10");
	assert_next(DC_SCHEME_LETTER, "A", "B");
	assert_next(DC_SCHEME_LETTER, "Z", "AA");
	assert_next(DC_SCHEME_LETTER, "AZ", "BA");
	assert_next(DC_SCHEME_LETTER, "ZZ", "AAA");
	assert_next(DC_SCHEME_LETTER_NUMBER, "A/0", "A/1");
	assert_next(DC_SCHEME_LETTER_NUMBER, "B/9", "B/10");

	r = rev(DC_SCHEME_LETTER_NUMBER, "AB/12");
	dc_revision_format(DC_SCHEME_LETTER_NUMBER, &r, out, sizeof(out));
	assert_string_equal(out, "AB/12");
	dc_revision_format(DC_SCHEME_LETTER_NUMBER, &r, out, 4);
	assert_string_equal(out, "AB/");
}

static void first_revisions(void **state)
{
	dc_revision r;

	(void)state;
	r = rev(DC_SCHEME_INTEGER, "1");
	assert_true(dc_revision_is_first(DC_SCHEME_INTEGER, &r));
	r = rev(DC_SCHEME_INTEGER, "2");
	assert_false(dc_revision_is_first(DC_SCHEME_INTEGER, &r));
	r = rev(DC_SCHEME_LETTER, "A");
	assert_true(dc_revision_is_first(DC_SCHEME_LETTER, &r));
	r = rev(DC_SCHEME_LETTER, "B");
	assert_false(dc_revision_is_first(DC_SCHEME_LETTER, &r));
	r = rev(DC_SCHEME_LETTER_NUMBER, "A/0");
	assert_true(dc_revision_is_first(DC_SCHEME_LETTER_NUMBER, &r));
	r = rev(DC_SCHEME_LETTER_NUMBER, "A/1");
	assert_false(dc_revision_is_first(DC_SCHEME_LETTER_NUMBER, &r));
	r = rev(DC_SCHEME_LETTER_NUMBER, "B/0");
	assert_false(dc_revision_is_first(DC_SCHEME_LETTER_NUMBER, &r));
}

/* reference §9.2: major.minor with an optional V, ordered by major then minor */
static void decimal_scheme(void **state)
{
	static const char *const bad[] = { "V0.1", "0.0", "V1", "1", "V1.", ".1", "V01.0", "V1.01", "v1.0", "V1.0.1",
					   "VV1.0", "V", "", "V 1.0", "A/0", "V-1.0", "V1.99999999999999999999" };
	dc_revision v10, b10, v11, v19, v110, v20, r;
	dc_scheme s;
	dc_node n;
	char out[32];

	(void)state;
	assert_int_equal(dc_scheme_parse(&s, "decimal"), 0);
	assert_int_equal(s, DC_SCHEME_DECIMAL);
	v10 = rev(DC_SCHEME_DECIMAL, "V1.0");
	b10 = rev(DC_SCHEME_DECIMAL, "1.0");
	v11 = rev(DC_SCHEME_DECIMAL, "V1.1");
	v19 = rev(DC_SCHEME_DECIMAL, "V1.9");
	v110 = rev(DC_SCHEME_DECIMAL, "1.10");
	v20 = rev(DC_SCHEME_DECIMAL, "V2.0");
	assert_int_equal(dc_revision_cmp(&v10, &b10), 0);
	assert_true(dc_revision_cmp(&v10, &v11) < 0);
	assert_true(dc_revision_cmp(&v19, &v110) < 0);
	assert_true(dc_revision_cmp(&v110, &v20) < 0);
	assert_true(dc_revision_is_first(DC_SCHEME_DECIMAL, &v10));
	assert_true(dc_revision_is_first(DC_SCHEME_DECIMAL, &b10));
	assert_false(dc_revision_is_first(DC_SCHEME_DECIMAL, &v11));
	assert_invalid(DC_SCHEME_DECIMAL, bad, sizeof(bad) / sizeof(bad[0]));
	assert_next(DC_SCHEME_DECIMAL, "V1.0", "V1.1");
	assert_next(DC_SCHEME_DECIMAL, "1.9", "1.10");
	r = dc_revision_next_major(DC_SCHEME_DECIMAL, &v11);
	dc_revision_format(DC_SCHEME_DECIMAL, &r, out, sizeof(out));
	assert_string_equal(out, "V2.0");
	r = dc_revision_first(DC_SCHEME_DECIMAL);
	dc_revision_format(DC_SCHEME_DECIMAL, &r, out, sizeof(out));
	assert_string_equal(out, "V1.0");
	/* `revision: 1.10` is a YAML float: read as written, not as 1.1 */
	memset(&n, 0, sizeof(n));
	n.kind = DC_NODE_FLOAT;
	n.u.f = 1.1;
	n.text = "1.10";
	n.len = 4;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_DECIMAL, &n), 0);
	assert_int_equal(r.major, 1);
	assert_int_equal(r.minor, 10);
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_LETTER_NUMBER, &n), -1);
	n.kind = DC_NODE_INT;
	n.u.i = 1;
	assert_int_equal(dc_revision_parse(&r, DC_SCHEME_DECIMAL, &n), -1);
}

/* --major: a second number resets; one-number schemes bump as revise does */
static void major_bumps(void **state)
{
	static const struct { dc_scheme s; const char *from, *want; } cases[] = {
		{ DC_SCHEME_LETTER_NUMBER, "A/1", "B/0" },
		{ DC_SCHEME_LETTER_NUMBER, "Z/3", "AA/0" },
		{ DC_SCHEME_DECIMAL, "V1.1", "V2.0" },
		{ DC_SCHEME_DECIMAL, "2.7", "3.0" },
		{ DC_SCHEME_INTEGER, "3", "4" },
		{ DC_SCHEME_LETTER, "C", "D" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dc_revision r = rev(cases[i].s, cases[i].from), n = dc_revision_next_major(cases[i].s, &r);
		char out[32];

		dc_revision_format(cases[i].s, &n, out, sizeof(out));
		assert_string_equal(out, cases[i].want);
		assert_true(dc_revision_cmp(&r, &n) < 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_scheme_names),
		cmocka_unit_test(integer_scheme),
		cmocka_unit_test(letter_scheme),
		cmocka_unit_test(letter_number_scheme),
		cmocka_unit_test(parses_nodes),
		cmocka_unit_test(bumps_and_formats),
		cmocka_unit_test(first_revisions),
		cmocka_unit_test(decimal_scheme),
		cmocka_unit_test(major_bumps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
