/*
 * yaml_cache.c - parsed YAML trees kept between runs (see yaml_cache.h).
 *
 * A file, docctl-cache/yaml/<blob id in hex> (native byte order):
 *   "DOCCTLY" version(u8) blob id(20 bytes, 4 zero) payload length(u64)
 *   checksum(u64, dc_hash64 of the payload), then the payload: the tree as
 *   node_codec.c encodes it. The file is read into the caller's arena: the
 *   tree's texts point into it.
 * VERSION changes with the layout and with anything that makes
 * dc_yaml_load() build another tree from the same text.
 */
#include "yaml_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "buf.h"
#include "cache.h"
#include "error.h"
#include "fileio.h"
#include "node_codec.h"
#include "text.h"

#define MAGIC "DOCCTLY"
#define VERSION 1
#define HEADER 48
#define DIR_NAME "docctl-cache/yaml"
#define FILE_MAX ((off_t)16 * 1024 * 1024) /* a 1 MB policy encodes in under 8 MB */

static int file_path(dc_buf *out, git_repository *repo, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	return dc_buf_printf(out, "%s" DIR_NAME "/%s", git_repository_path(repo), hex);
}

static void header_of(unsigned char h[HEADER], const git_oid *id, uint64_t len, uint64_t sum)
{
	memset(h, 0, HEADER);
	memcpy(h, MAGIC, 7);
	h[7] = VERSION;
	memcpy(h + 8, id->id, GIT_OID_RAWSZ);
	memcpy(h + 32, &len, 8);
	memcpy(h + 40, &sum, 8);
}

/* The whole file in `arena` (the tree's texts point into it); NULL when it
 * cannot be read or is too short or too long to be one. */
static unsigned char *read_file(dc_arena *arena, const char *path, size_t *len)
{
	struct stat st;
	unsigned char *data = NULL;
	size_t got = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < HEADER || st.st_size > FILE_MAX ||
	    !(data = dc_arena_alloc(arena, (size_t)st.st_size)))
		goto fail;
	while (got < (size_t)st.st_size) {
		n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return data;
fail:
	close(fd);
	return NULL;
}

int dc_yaml_cache_get(dc_node **out, dc_arena *arena, git_repository *repo, const git_oid *id, unsigned max_depth)
{
	dc_buf file = DC_BUF_INIT;
	unsigned char want[HEADER];
	unsigned char *data = NULL;
	size_t len = 0;
	int rc = 0;

	*out = NULL;
	if (!repo || !dc_cache_enabled())
		return 0;
	if (file_path(&file, repo, id) < 0)
		return -1;
	if ((data = read_file(arena, file.ptr, &len))) {
		header_of(want, id, len - HEADER, dc_hash64(DC_HASH_INIT, data + HEADER, len - HEADER));
		if (!memcmp(data, want, HEADER) && dc_node_decode(out, arena, data + HEADER, len - HEADER, max_depth) < 0)
			rc = -1;
	}
	dc_buf_dispose(&file);
	return rc;
}

typedef struct {
	char name[GIT_OID_HEXSZ + 1];
	int64_t mtime_s;
	long mtime_ns;
} kept;

static int kept_cmp(const void *pa, const void *pb)
{
	const kept *a = pa, *b = pb;

	if (a->mtime_s != b->mtime_s)
		return a->mtime_s < b->mtime_s ? 1 : -1;
	if (a->mtime_ns != b->mtime_ns)
		return a->mtime_ns < b->mtime_ns ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* Removes the oldest files of `dir` beyond DC_YAML_CACHE_KEEP. */
static void prune(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	kept *k = NULL;
	size_t n = 0, cap = 0, i;
	struct stat st;
	dc_buf path = DC_BUF_INIT;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!dc_hex_string(de->d_name, GIT_OID_HEXSZ) || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (DC_ARRAY_GROW(k, cap, n + 1) < 0)
			goto cleanup;
		memcpy(k[n].name, de->d_name, GIT_OID_HEXSZ + 1);
		k[n].mtime_s = st.st_mtim.tv_sec;
		k[n++].mtime_ns = st.st_mtim.tv_nsec;
	}
	if (n <= DC_YAML_CACHE_KEEP)
		goto cleanup;
	qsort(k, n, sizeof(*k), kept_cmp); /* newest first */
	for (i = DC_YAML_CACHE_KEEP; i < n; i++) {
		dc_buf_clear(&path);
		if (dc_buf_printf(&path, "%s/%s", dir, k[i].name) == 0)
			unlink(path.ptr);
	}
cleanup:
	dc_buf_dispose(&path);
	free(k);
	closedir(d);
}

void dc_yaml_cache_put(git_repository *repo, const git_oid *id, const dc_node *root)
{
	dc_buf out = DC_BUF_INIT, file = DC_BUF_INIT, dir = DC_BUF_INIT;
	unsigned char h[HEADER] = { 0 };

	if (!repo || !dc_cache_enabled())
		return;
	if (dc_buf_put(&out, h, HEADER) < 0 || dc_node_encode(&out, root) != 0 || out.len > (size_t)FILE_MAX)
		goto cleanup;
	header_of(h, id, out.len - HEADER, dc_hash64(DC_HASH_INIT, out.ptr + HEADER, out.len - HEADER));
	memcpy(out.ptr, h, HEADER);
	if (dc_buf_printf(&dir, "%sdocctl-cache", git_repository_path(repo)) < 0 ||
	    (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) || dc_buf_puts(&dir, "/yaml") < 0 ||
	    (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) || file_path(&file, repo, id) < 0)
		goto cleanup;
	/* not synced: a file lost or torn in a crash fails its checksum */
	if (dc_file_write_cache(file.ptr, out.ptr, out.len, 0644) == 0)
		prune(dir.ptr);
cleanup:
	dc_error_clear(); /* failures only mean no cache */
	dc_buf_dispose(&out);
	dc_buf_dispose(&file);
	dc_buf_dispose(&dir);
}
