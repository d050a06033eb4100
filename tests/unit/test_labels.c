/*
 * test_labels.c - the names people read for statuses and signature meanings
 * (labels.h): the value itself in the C locale, the catalogue's word under
 * zh_CN.UTF-8 (the build tree's build/po, found next to this test), and a
 * value outside the table passed through.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "labels.h"

static void c_locale_keeps_the_words(void **state)
{
	(void)state;
	assert_non_null(setlocale(LC_ALL, "C"));
	assert_string_equal(dc_status_label("approved"), "approved");
	assert_string_equal(dc_status_label("in-review"), "in review");
	assert_string_equal(dc_status_label("pending"), "pending");
	assert_string_equal(dc_event_kind_label(DC_EVENT_OBSOLETED), "obsoleted");
}

static void unknown_status_passes_through(void **state)
{
	(void)state;
	assert_string_equal(dc_status_label("archived"), "archived");
	assert_null(dc_status_label(NULL));
}

static void zh_cn_uses_the_catalogue(void **state)
{
#ifdef DC_ENABLE_NLS
	char exe[PATH_MAX], po[PATH_MAX + 16], mo[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	(void)state;
	if (n <= 0)
		skip();
	exe[n] = '\0';
	/* build/tests/unit/test_labels -> build/po */
	if (!(slash = strrchr(exe, '/')))
		skip();
	*slash = '\0';
	snprintf(po, sizeof(po), "%s/../../po", exe);
	snprintf(mo, sizeof(mo), "%s/zh_CN/LC_MESSAGES/docctl.mo", po);
	if (access(mo, R_OK) != 0 || !setlocale(LC_ALL, "zh_CN.UTF-8"))
		skip();
	bindtextdomain(DC_TEXTDOMAIN, po);
	bind_textdomain_codeset(DC_TEXTDOMAIN, "UTF-8");
	assert_string_equal(dc_status_label("approved"), "已批准");
	assert_string_equal(dc_status_label("draft"), "草稿");
	assert_string_equal(dc_status_label("obsolete"), "作废");
	assert_string_equal(dc_event_kind_label(DC_EVENT_APPROVED), "已批准");
	assert_string_equal(dc_event_kind_label(DC_EVENT_OBSOLETED), "已作废");
	assert_string_equal(dc_status_label("archived"), "archived");
	setlocale(LC_ALL, "C");
#else
	(void)state;
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(c_locale_keeps_the_words),
		cmocka_unit_test(unknown_status_passes_through),
		cmocka_unit_test(zh_cn_uses_the_catalogue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
