/*
 * error.h - the library's last-error message, as libgit2 does it.
 *
 * Operational failures (I/O, out of memory, a libgit2 error) travel as a
 * negative return code; the function that fails first records a message with
 * dc_error_set(), which returns -1 so a caller can write
 * `return dc_error_set("cannot read '%s'", path);`. Findings about the user's
 * files are never errors: they are diagnostics (diag.h).
 */
#ifndef DC_ERROR_H
#define DC_ERROR_H

int dc_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Records libgit2's last error, prefixed by `what`; returns -1. */
int dc_error_set_git(const char *what);
const char *dc_error_last(void);
void dc_error_clear(void);

#endif
