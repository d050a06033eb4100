/*
 * fuzz_attributes.c - fuzz target for the sieve in front of git's attribute
 * lookup (dc_shape_attrs_may_reach, check_tree.h). The input is a path on
 * its first line and a .gitattributes after it; libgit2's own lookup over
 * that .gitattributes (at the top of a scratch repository, as the index)
 * is the oracle: whenever it gives the path filter, working-tree-encoding,
 * eol, text, ident or export-subst set or a value, the sieve must not have
 * said "cannot reach". Nothing may crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "check_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static git_repository *scratch;
static char scratch_dir[] = "/tmp/docctl-fuzz-attr.XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void scratch_remove(void)
{
	git_repository_free(scratch);
	nftw(scratch_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
}

/* A bare repository for the lookup's info/attributes and config, removed at exit. */
static git_repository *scratch_repo(void)
{
	if (scratch)
		return scratch;
	git_libgit2_init();
	if (!mkdtemp(scratch_dir) || git_repository_init(&scratch, scratch_dir, 1) < 0)
		abort();
	atexit(scratch_remove);
	return scratch;
}

/* libgit2's verdict: nonzero when some transforming attribute is set. */
static int git_says(const char *path, const char *text, size_t len)
{
	static const char *const names[] = { "filter", "working-tree-encoding", "eol", "text", "ident", "export-subst" };
	const char *values[6];
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	git_odb_backend *mem = NULL;
	git_index *index = NULL;
	git_index_entry e;
	git_attr_options ao;
	size_t i;
	int set = 0;

	if (git_repository_open_bare(&repo, git_repository_path(scratch_repo())) < 0 || git_odb_new(&odb) < 0 ||
	    git_mempack_new(&mem) < 0 || git_odb_add_backend(odb, mem, 1000) < 0 ||
	    git_repository_set_odb(repo, odb) < 0 || git_index_new(&index) < 0 ||
	    git_repository_set_index(repo, index) < 0)
		abort();
	memset(&e, 0, sizeof(e));
	e.path = ".gitattributes";
	e.mode = GIT_FILEMODE_BLOB;
	if (git_odb_write(&e.id, odb, text, len, GIT_OBJECT_BLOB) < 0 || git_index_add(index, &e) < 0)
		abort();
	memset(&ao, 0, sizeof(ao));
	ao.version = GIT_ATTR_OPTIONS_VERSION;
	ao.flags = GIT_ATTR_CHECK_INDEX_ONLY | GIT_ATTR_CHECK_NO_SYSTEM;
	if (git_attr_get_many_ext(values, repo, &ao, path, 6, (const char **)names) == 0)
		for (i = 0; i < 6; i++)
			if (git_attr_value(values[i]) == GIT_ATTR_VALUE_TRUE || git_attr_value(values[i]) == GIT_ATTR_VALUE_STRING)
				set = 1;
	git_index_free(index);
	git_odb_free(odb);
	git_repository_free(repo);
	return set;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size), *base;
	char *path;
	size_t plen;
	int sieve;

	if (!nl || size > 4096)
		return 0;
	plen = (size_t)(nl - (const char *)data);
	if (!plen || memchr(data, '\0', plen) || data[0] == '/' || data[plen - 1] == '/')
		return 0;
	if (!(path = malloc(plen + 1)))
		abort();
	memcpy(path, data, plen);
	path[plen] = '\0';
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	sieve = dc_shape_attrs_may_reach(nl + 1, size - plen - 1, base);
	if (sieve < 0 || (!sieve && git_says(path, nl + 1, size - plen - 1))) {
		fprintf(stderr, "the sieve missed '%s'\n", path);
		abort();
	}
	free(path);
	return 0;
}
