/*
 * child.c - running a helper program (ssh-keygen, git) without a shell:
 * posix_spawnp, stdin from a file, stdout and stderr captured through pipes
 * with a bounded read, killed at a deadline. See child.h.
 *
 * Every child runs with replace objects and grafts turned off (reference
 * §6.1 item 3a): `git diff-tree` and `git rev-list` would otherwise read the
 * object a replace ref names or an `info/grafts` entry in place of the commit,
 * tree or blob that was pushed, while libgit2 (which honours neither) reads
 * the real one, and the two halves of the hook would judge different
 * histories.
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"

extern char **environ;

/* What every child gets on top of the environment (replacing any value the
 * environment has): replace refs off, and a graft file that cannot exist
 * (a path under /dev/null fails with ENOTDIR, which git ignores silently;
 * /dev/null itself would be read, and git warns that grafts are deprecated). */
static const char *const forced_env[] = {
	"GIT_NO_REPLACE_OBJECTS=1",
	"GIT_GRAFT_FILE=/dev/null/docctl-no-grafts",
};
/* Variables dropped from the inherited environment. */
static const char *const dropped_env[] = { "GIT_NO_REPLACE_OBJECTS=", "GIT_GRAFT_FILE=", "GIT_REPLACE_REF_BASE=" };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The environment for a child: environ without dropped_env, plus
 * forced_env. The strings are borrowed; free only the array. */
static char **child_env(void)
{
	size_t n = 0, k = 0, i, j;
	char **env;

	while (environ && environ[n])
		n++;
	if (!(env = calloc(n + NELEM(forced_env) + 1, sizeof(*env))))
		return NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; j < NELEM(dropped_env); j++)
			if (!strncmp(environ[i], dropped_env[j], strlen(dropped_env[j])))
				break;
		if (j == NELEM(dropped_env))
			env[k++] = environ[i];
	}
	for (j = 0; j < NELEM(forced_env); j++)
		env[k++] = (char *)forced_env[j];
	env[k] = NULL;
	return env;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends what `fd` has to `b`, keeping at most `max` bytes; 1 at EOF. */
static int drain(int fd, dc_buf *b, size_t max)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (n == 0)
		return 1;
	if (b->len < max) {
		size_t keep = (size_t)n;

		if (keep > max - b->len)
			keep = max - b->len;
		if (dc_buf_put(b, chunk, keep) < 0)
			return -1;
	}
	return 0;
}

static void kill_and_reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Starts argv in dir with input as stdin and the write ends of out_pipe and
 * err_pipe as stdout and stderr; closes those write ends. */
static int start_child(pid_t *pid, const char *dir, const char *const argv[], const char *input, char **env,
		       int out_pipe[2], int err_pipe[2])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&dfl);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	posix_spawn_file_actions_addopen(&fa, 0, input, O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	rc = posix_spawnp(pid, argv[0], &fa, &attr, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	if (rc != 0) {
		dc_error_set(_("cannot run '%s': %s"), argv[0], strerror(rc));
		return -1;
	}
	return 0;
}

/* Reads the child's stdout and stderr into res (max bytes each) until both
 * are closed: 0, 1 when the deadline passed first, -1 on an error. */
static int read_output(dc_child *res, const char *name, int out_fd, int err_fd, size_t max, long long deadline)
{
	int open_out = 1, open_err = 1;

	while (open_out || open_err) {
		struct pollfd pfd[2];
		nfds_t n = 0;
		long long left = deadline - now_ms();
		int r;

		if (left <= 0)
			return 1;
		if (open_out)
			pfd[n++] = (struct pollfd){ .fd = out_fd, .events = POLLIN };
		if (open_err)
			pfd[n++] = (struct pollfd){ .fd = err_fd, .events = POLLIN };
		r = poll(pfd, n, (int)left);
		if (r < 0 && errno != EINTR) {
			dc_error_set(_("cannot read from '%s': %s"), name, strerror(errno));
			return -1;
		}
		for (nfds_t i = 0; r > 0 && i < n; i++) {
			int is_out = pfd[i].fd == out_fd;
			int d;

			if (!pfd[i].revents)
				continue;
			d = drain(pfd[i].fd, is_out ? &res->out : &res->err, max);
			if (d < 0)
				return -1;
			if (d > 0) {
				if (is_out)
					open_out = 0;
				else
					open_err = 0;
			}
		}
	}
	return 0;
}

/* Waits for the child to exit: 0 with its status, 1 when the deadline
 * passed first, -1 on an error. */
static int wait_exit(pid_t pid, int *status, const char *name, long long deadline)
{
	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR) {
			dc_error_set(_("cannot wait for '%s': %s"), name, strerror(errno));
			return -1;
		}
		if (now_ms() >= deadline)
			return 1;
		poll(NULL, 0, 10);
	}
}

int dc_spawn(dc_child *res, const char *dir, const char *const argv[], const char *input, size_t max,
	     int timeout_ms)
{
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	int status = 0, rc, error = -1;
	long long deadline;
	pid_t pid = -1;
	char **env = child_env();

	res->code = -1;
	if (!env) {
		dc_error_oom();
		return -1;
	}
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		dc_error_set(_("cannot create a pipe: %s"), strerror(errno));
		goto cleanup_pipes;
	}
	if (start_child(&pid, dir, argv, input, env, out_pipe, err_pipe) < 0)
		goto cleanup_pipes;
	deadline = now_ms() + timeout_ms;
	rc = read_output(res, argv[0], out_pipe[0], err_pipe[0], max, deadline);
	if (rc < 0) {
		kill_and_reap(pid);
		goto cleanup_pipes;
	}
	if (rc == 0 && (rc = wait_exit(pid, &status, argv[0], deadline)) < 0)
		goto cleanup_pipes;
	if (rc > 0) {
		kill_and_reap(pid);
		dc_error_set(_("'%s %s' did not finish within %d s and was killed"),
			argv[0], argv[1] ? argv[1] : "", timeout_ms / 1000);
		goto cleanup_pipes;
	}
	res->code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	error = 0;
cleanup_pipes:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	free(env);
	return error;
}

void dc_child_dispose(dc_child *res)
{
	dc_buf_dispose(&res->out);
	dc_buf_dispose(&res->err);
	res->code = -1;
}
