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

int dc_file_write_atomic(const char *path, const char *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	char *dir = NULL, *tmp = NULL;
	struct stat st;
	mode_t mode, mask;
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
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			dc_error_set(_("cannot write '%s': it is a symbolic link"), path);
			goto cleanup;
		}
		mode = st.st_mode & 07777;
	} else if (errno == ENOENT) {
		mask = umask(0);
		umask(mask);
		mode = 0644 & ~mask;
	} else {
		dc_error_set(_("cannot write '%s': %s"), path, strerror(errno));
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
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
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
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || fsync(dfd) < 0) {
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
