/*
 * libgit2_init.c - libgit2 started once, with docctl's settings
 * (libgit2_init.h).
 */
#include <git2.h>

#include "libgit2_init.h"

static int started;

void dc_libgit2_init(void)
{
	if (started)
		return;
	started = 1;
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)8 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)96 << 20);
}

void dc_libgit2_shutdown(void)
{
	if (started)
		git_libgit2_shutdown();
	started = 0;
}
