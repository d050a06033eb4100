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
/* Records the translated "out of memory"; returns -1. */
int dc_error_oom(void);
/* Prefixes the last error with a formatted `prefix` and ": " (the last error
 * is copied first, so it may be passed to it); returns -1. */
int dc_error_wrap(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A last error carried across threads: a worker captures its own, the
 * caller restores it on its thread to report it. */
typedef struct {
	char msg[1024];
} dc_error_saved;

void dc_error_capture(dc_error_saved *saved);
/* Makes a captured error the last error of this thread; returns -1. */
int dc_error_restore(const dc_error_saved *saved);

#endif
