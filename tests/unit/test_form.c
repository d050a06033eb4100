/*
 * test_form.c - the strict form reader of docctl-web (form.h, reference
 * §12): percent-decoding, '+', empty pairs, and everything it refuses
 * (bad escapes, raw bytes, invalid UTF-8, NUL, controls, a lone CR, bad or
 * repeated names, too many fields, too long values).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"

static int parse(dc_form *f, const char *s)
{
	const char *why = NULL;
	int rc;

	dc_form_init(f);
	rc = dc_form_parse(f, s, strlen(s), &why);
	if (rc == 1)
		assert_non_null(why);
	if (rc != 0)
		assert_int_equal(f->n, 0);
	return rc;
}

static void test_decodes(void **state)
{
	dc_form f;

	(void)state;
	assert_int_equal(parse(&f, "p=ack&id=SP-005&text=a+b%20c%E6%9D%8E&&empty=&bare&"), 0);
	assert_int_equal(f.n, 5);
	assert_string_equal(dc_form_get(&f, "p"), "ack");
	assert_string_equal(dc_form_get(&f, "id"), "SP-005");
	assert_string_equal(dc_form_get(&f, "text"), "a b c\xe6\x9d\x8e");
	assert_string_equal(dc_form_get(&f, "empty"), "");
	assert_string_equal(dc_form_get(&f, "bare"), "");
	assert_null(dc_form_get(&f, "missing"));
	dc_form_dispose(&f);

	/* a textarea's CRLF lines become LF; tab stays; '=' in a value stays */
	assert_int_equal(parse(&f, "t=a%0D%0Ab%09c%3D=d"), 0);
	assert_string_equal(dc_form_get(&f, "t"), "a\nb\tc==d");
	assert_int_equal(f.v[0].len, 8);
	dc_form_dispose(&f);

	/* markup is kept as text: escaping is the page's job */
	assert_int_equal(parse(&f, "t=%3Cscript%3Ealert(1)%3C/script%3E"), 0);
	assert_string_equal(dc_form_get(&f, "t"), "<script>alert(1)</script>");
	dc_form_dispose(&f);
	assert_int_equal(parse(&f, ""), 0);
	assert_int_equal(f.n, 0);
}

static void test_refuses(void **state)
{
	static const char *const bad[] = {
		"a=%",           "a=%4",          "a=%zz",       "a=%4G",         "a=b c",
		"a=\x01",        "a=\xe6\x9d\x8e", "a=%00",       "a=x%00y",       "a=%C0%AF",
		"a=%ED%A0%80",   "a=%FF",         "a=%E6%9D",    "a=%0D",         "a=%0Dx",
		"a=%1B[31m",     "a=%7F",         "a=%C2%85",    "a=%E2%80%AE",   "a%3Cb=1",
		"=1",            "a.b/c=1",       "a=1&a=2",     "%61=1&a=2",     "\xff=1",
	};
	dc_form f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		if (parse(&f, bad[i]) != 1)
			fail_msg("accepted: %s", bad[i]);
	}
}

static void test_limits(void **state)
{
	static char s[DC_FORM_VALUE_MAX * 3 + 64];
	dc_form f;
	size_t i, n;

	(void)state;
	/* exactly the longest value, then one byte more */
	n = (size_t)sprintf(s, "v=");
	memset(s + n, 'x', DC_FORM_VALUE_MAX);
	s[n + DC_FORM_VALUE_MAX] = '\0';
	assert_int_equal(parse(&f, s), 0);
	assert_int_equal(f.v[0].len, DC_FORM_VALUE_MAX);
	dc_form_dispose(&f);
	strcat(s, "x");
	assert_int_equal(parse(&f, s), 1);
	/* percent-encoded bytes count once decoded */
	n = (size_t)sprintf(s, "v=");
	for (i = 0; i < DC_FORM_VALUE_MAX / 3; i++)
		n += (size_t)sprintf(s + n, "%%E6%%9D%%8E");
	assert_int_equal(parse(&f, s), 0);
	dc_form_dispose(&f);
	/* the longest name, then one longer */
	memset(s, 'n', DC_FORM_NAME_MAX);
	strcpy(s + DC_FORM_NAME_MAX, "=1");
	assert_int_equal(parse(&f, s), 0);
	dc_form_dispose(&f);
	memset(s, 'n', DC_FORM_NAME_MAX + 1);
	strcpy(s + DC_FORM_NAME_MAX + 1, "=1");
	assert_int_equal(parse(&f, s), 1);
	/* as many fields as allowed, then one more */
	for (i = 0, n = 0; i < DC_FORM_FIELDS; i++)
		n += (size_t)sprintf(s + n, "f%zu=%zu&", i, i);
	assert_int_equal(parse(&f, s), 0);
	assert_int_equal(f.n, DC_FORM_FIELDS);
	dc_form_dispose(&f);
	sprintf(s + n, "one=more");
	assert_int_equal(parse(&f, s), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decodes),
		cmocka_unit_test(test_refuses),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
