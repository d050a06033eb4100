/*
 * error.c - the thread-local last-error message.
 */
#include "error.h"
#include "i18n.h"

#include <git2.h>
#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last[1024];

int dc_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last, sizeof(last), fmt, ap);
	va_end(ap);
	return -1;
}

int dc_error_set_git(const char *what)
{
	const git_error *e = git_error_last();

	return dc_error_set(_("%s: %s"), what, e && e->message ? e->message : _("unknown libgit2 error"));
}

const char *dc_error_last(void)
{
	return last[0] ? last : "unknown error";
}

void dc_error_clear(void)
{
	last[0] = '\0';
}
