/*
 * error_wrap.c - helpers on the last error (see error.h): out of memory,
 * a prefix on the last error, and an error carried across threads.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

#include "i18n.h"

int dc_error_oom(void)
{
	return dc_error_set("%s", _("out of memory"));
}

int dc_error_wrap(const char *fmt, ...)
{
	char cause[1024], prefix[1024];
	va_list ap;

	snprintf(cause, sizeof(cause), "%s", dc_error_last());
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	return dc_error_set(_("%s: %s"), prefix, cause);
}

void dc_error_capture(dc_error_saved *saved)
{
	snprintf(saved->msg, sizeof(saved->msg), "%s", dc_error_last());
}

int dc_error_restore(const dc_error_saved *saved)
{
	return dc_error_set("%s", saved->msg[0] ? saved->msg : _("unknown error"));
}
