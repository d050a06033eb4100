/*
 * test_fileio.c - whole files in and out (fileio.h): dc_fd_write_all
 * writes everything or says why not; a file written atomically reads back
 * the same (the edit cases are in test_fm_edit.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "fileio.h"

static void writes_everything(void **state)
{
	char dir[] = "/tmp/dc-fileio-XXXXXX", path[64];
	static char big[1 << 20];
	dc_buf back = DC_BUF_INIT;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = 'z';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(dc_fd_write_all(fd, path, big, sizeof(big)), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(dc_file_read(&back, path), 0);
	assert_int_equal(back.len, sizeof(big));
	assert_int_equal(back.ptr[sizeof(big) - 1], 'z');
	/* replaced atomically, then read back */
	assert_int_equal(dc_file_write_atomic(path, "short\n", 6), 0);
	assert_int_equal(dc_file_read(&back, path), 0);
	assert_string_equal(back.ptr, "short\n");
	dc_buf_dispose(&back);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(dc_file_read(&back, path), 1);
	assert_int_equal(rmdir(dir), 0);
}

static void says_why_it_cannot_write(void **state)
{
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(close(fds[1]), 0);
	/* a descriptor open only for reading */
	assert_int_equal(dc_fd_write_all(fds[0], "the pipe", "x", 1), -1);
	assert_non_null(strstr(dc_error_last(), "cannot write 'the pipe': "));
	assert_int_equal(close(fds[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(writes_everything),
		cmocka_unit_test(says_why_it_cannot_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
