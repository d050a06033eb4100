/*
 * fileio.h - a whole file in, a whole file out (atomically).
 */
#ifndef DC_FILEIO_H
#define DC_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/*
 * Writes all `len` bytes of `data` to `fd` (retrying after a signal).
 * Returns 0, or -1 with dc_error set ("cannot write 'PATH': ...").
 */
int dc_fd_write_all(int fd, const char *path, const void *data, size_t len);

/*
 * Reads the whole file at `path` into `out` (replacing its content).
 * Returns 0, 1 when there is no such file, or -1 with dc_error set.
 */
int dc_file_read(dc_buf *out, const char *path);

/*
 * Writes `len` bytes of `data` to `path` atomically: a temporary file in the
 * same folder (mkstemp, `.NAME.XXXXXX`), write, fsync, the original's
 * permission bits when it exists (else 0644 & ~umask), rename over the
 * target, fsync the folder. A symbolic link at `path` is refused (a
 * controlled file is never one, reference §4.3). Returns 0, or -1 with dc_error
 * set and no temporary file left behind.
 */
int dc_file_write_atomic(const char *path, const char *data, size_t len);

/*
 * The same without any fsync, with `mode`: for files whose reader checks
 * them and copes with their loss (caches, the records one hook keeps for
 * the next), where a sync would cost more than the file saves. A file lost
 * or torn in a crash is one the reader throws away. Returns 0, or -1 with
 * dc_error set and no temporary file left behind.
 */
int dc_file_write_cache(const char *path, const char *data, size_t len, mode_t mode);

#endif
