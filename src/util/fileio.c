/*
 * fileio.c - reading a whole file and replacing one atomically (see
 * fileio.h).
 */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"

int dc_fd_write_all(int fd, const char *path, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return dc_error_set(_("cannot write '%s': %s"), path,
					    n < 0 ? strerror(errno) : _("nothing was written"));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int dc_file_read(dc_buf *out, const char *path)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	dc_buf_clear(out);
	if (fd < 0)
		return errno == ENOENT ? 1 : dc_error_set(_("cannot read '%s': %s"), path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || dc_buf_put(out, chunk, (size_t)n) < 0) {
			if (n < 0)
				dc_error_set(_("cannot read '%s': %s"), path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* The mode a replaced file keeps: its own, else 0644 less the umask. -1
 * (dc_error set) when `path` is a symbolic link or cannot be looked at. */
static int kept_mode(const char *path, mode_t *mode)
{
	struct stat st;
	mode_t mask;

	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return dc_error_set(_("cannot write '%s': it is a symbolic link"), path);
		*mode = st.st_mode & 07777;
	} else if (errno == ENOENT) {
		mask = umask(0);
		umask(mask);
		*mode = 0644 & ~mask;
	} else {
		return dc_error_set(_("cannot write '%s': %s"), path, strerror(errno));
	}
	return 0;
}

/* Writes `data` to a temporary file beside `path` (mkstemp, `.NAME.XXXXXX`)
 * with `mode` and renames it over `path`; `durable`: the file, then its
 * folder, synced. 0, or -1 with dc_error set and no temporary file left. */
static int replace(const char *path, const char *data, size_t len, mode_t mode, int durable)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL, *tmp = NULL;
	int fd = -1, dfd = -1, r = -1;

	if (slash)
		dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
	else
		dir = strdup(".");
	if (!dir || asprintf(&tmp, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path) < 0) {
		tmp = NULL;
		dc_error_oom();
		goto cleanup;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		dc_error_set(_("cannot write '%s': cannot create a temporary file in '%s': %s"), path, dir,
			     strerror(errno));
		free(tmp);
		tmp = NULL;
		goto cleanup;
	}
	if (dc_fd_write_all(fd, tmp, data, len) < 0)
		goto cleanup;
	if (fchmod(fd, mode) < 0 || (durable && fsync(fd) < 0)) {
		dc_error_set(_("cannot write '%s': %s"), tmp, strerror(errno));
		goto cleanup;
	}
	if (close(fd) < 0) {
		fd = -1;
		dc_error_set(_("cannot write '%s': %s"), tmp, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		dc_error_set(_("cannot rename '%s' to '%s': %s"), tmp, path, strerror(errno));
		goto cleanup;
	}
	free(tmp);
	tmp = NULL;
	if (durable && ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) < 0 || fsync(dfd) < 0)) {
		dc_error_set(_("cannot sync folder '%s': %s"), dir, strerror(errno));
		goto cleanup;
	}
	r = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dir);
	return r;
}

int dc_file_write_atomic(const char *path, const char *data, size_t len)
{
	mode_t mode = 0;

	return kept_mode(path, &mode) < 0 ? -1 : replace(path, data, len, mode, 1);
}

int dc_file_write_cache(const char *path, const char *data, size_t len, mode_t mode)
{
	return replace(path, data, len, mode, 0);
}
