/*
 * child.h - running a helper program (ssh-keygen, git) and capturing what
 * it prints, without a shell and with a deadline.
 */
#ifndef DC_CHILD_H
#define DC_CHILD_H

#include <stddef.h>

#include "buf.h"

typedef struct {
	int code;       /* exit status; -1 when killed by a signal */
	dc_buf out;     /* stdout, at most the `max` asked for */
	dc_buf err;     /* stderr, the same */
} dc_child;

/*
 * Runs argv (argv[0] looked up in PATH, the environment inherited, with
 * GIT_NO_REPLACE_OBJECTS=1 and grafts off: reference §6.1 item 3a) in
 * `dir` with stdin from the file `input` (relative to `dir`), keeping at
 * most `max` bytes of each of stdout and stderr. Returns 0 with the exit
 * status in res->code, or -1 if it cannot be run or runs past
 * `timeout_ms` (then it is killed).
 */
int dc_spawn(dc_child *res, const char *dir, const char *const argv[], const char *input, size_t max,
	     int timeout_ms);
void dc_child_dispose(dc_child *res);

#endif
