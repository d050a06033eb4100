/*
 * rawdiff.c - git's raw diff output, read (see rawdiff.h).
 *
 * With -z, a record is ":OLDMODE NEWMODE OLDID NEWID STATUS" NUL PATH NUL
 * and a diff-tree header is the object id NUL.
 */
#include "rawdiff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "error.h"
#include "i18n.h"

#define OUTPUT_MAX ((size_t)512 * 1024 * 1024)
#define TIMEOUT_MS 120000

/* One record's fields. Returns 0, 1 for a status not taken, 2 if malformed. */
static int parse_record(dc_filechange *f, const char *meta, const char *path, dc_arena *arena)
{
	unsigned long om, nm;
	char ohex[GIT_OID_HEXSZ + 1], nhex[GIT_OID_HEXSZ + 1], status;

	if (sscanf(meta, ":%lo %lo %40s %40s %c", &om, &nm, ohex, nhex, &status) != 5 ||
	    strlen(ohex) != GIT_OID_HEXSZ || strlen(nhex) != GIT_OID_HEXSZ)
		return 2;
	if (status != 'A' && status != 'D' && status != 'M' && status != 'T')
		return 1;
	memset(f, 0, sizeof(*f));
	if (!(f->path = dc_arena_strdup(arena, path)))
		return -1;
	f->has_old = status != 'A';
	f->has_new = status != 'D';
	f->old_mode = (git_filemode_t)om;
	f->new_mode = (git_filemode_t)nm;
	if (git_oid_fromstr(&f->old_oid, ohex) < 0 || git_oid_fromstr(&f->new_oid, nhex) < 0)
		return 2;
	return 0;
}

int dc_rawdiff_parse(const char *buf, size_t len, dc_arena *arena, const dc_rawdiff_cb *cb)
{
	size_t pos = 0;

	while (pos < len) {
		const char *line = buf + pos;
		const char *nul = memchr(line, '\0', len - pos);
		int rc;

		if (!nul)
			return 2;
		if (*line != ':') {
			rc = cb->header ? cb->header(line, cb->payload) : 0;
			pos = (size_t)(nul + 1 - buf);
		} else {
			const char *path = nul + 1;
			const char *end = path < buf + len ? memchr(path, '\0', len - (size_t)(path - buf)) : NULL;
			dc_filechange f;

			if (!end)
				return 2;
			if ((rc = parse_record(&f, line, path, arena)) == 0)
				rc = cb->record ? cb->record(&f, cb->payload) : 0;
			pos = (size_t)(end + 1 - buf);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int dc_rawdiff_run(const char *dir, const char *const argv[], const char *input, dc_arena *arena,
		   const dc_rawdiff_cb *cb)
{
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };
	int rc;

	if (dc_spawn(&res, dir, argv, input, OUTPUT_MAX, TIMEOUT_MS) < 0) {
		rc = 3;
	} else if (res.code != 0 || res.out.len >= OUTPUT_MAX) {
		dc_error_set(_("'git %s' failed: %.200s"), argv[1], res.err.len ? res.err.ptr : "no output");
		rc = 3;
	} else {
		rc = dc_rawdiff_parse(res.out.ptr, res.out.len, arena, cb);
	}
	dc_child_dispose(&res);
	return rc;
}

/* The pair whose diff git is printing, checked against each header. */
typedef struct {
	const git_oid *children;
	size_t n, at;          /* at: the pair being read, + 1 */
	dc_rawdiff_pair_cb cb;
	void *payload;
} pairs_ctx;

static int pair_header(const char *line, void *payload)
{
	pairs_ctx *x = payload;
	char want[GIT_OID_HEXSZ + 1];

	if (x->at >= x->n)
		return 2;
	/* the header is the commit of the input line: check the pairing */
	git_oid_tostr(want, sizeof(want), &x->children[x->at++]);
	return strcmp(line, want) ? 2 : 0;
}

static int pair_record(const dc_filechange *f, void *payload)
{
	pairs_ctx *x = payload;

	if (!x->at)
		return 2;
	return x->cb(x->at - 1, f, x->payload);
}

int dc_rawdiff_pairs(git_repository *repo, const git_oid *children, const git_oid *parents, size_t n,
		     dc_arena *arena, dc_rawdiff_pair_cb cb, void *payload)
{
	const char *argv[] = { "git", NULL, "diff-tree", "--stdin", "-r", "-z", "--raw", "--no-renames", "--always",
			       "--ignore-submodules=all", NULL };
	dc_buf input = DC_BUF_INIT, gitdir = DC_BUF_INIT;
	pairs_ctx x = { children, n, 0, cb, payload };
	char tmp[] = "/tmp/docctl-pairs-XXXXXX";
	size_t i;
	int fd = -1, rc = -1;

	for (i = 0; i < n; i++) {
		char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

		git_oid_tostr(a, sizeof(a), &children[i]);
		git_oid_tostr(b, sizeof(b), &parents[i]);
		dc_buf_printf(&input, "%s %s\n", a, b); /* the commit, then the parent to compare with */
	}
	if (dc_buf_grow(&input, 0) < 0 || dc_buf_printf(&gitdir, "--git-dir=%s", git_repository_path(repo)) < 0)
		goto cleanup;
	if ((fd = mkstemp(tmp)) < 0 || write(fd, input.ptr, input.len) != (ssize_t)input.len) {
		rc = 1; /* no room for the list: the caller goes without git */
		dc_error_set(_("cannot write the list of commits for git: %s"), strerror(errno));
		goto cleanup;
	}
	argv[1] = gitdir.ptr;
	rc = dc_rawdiff_run(".", argv, tmp, arena, &(dc_rawdiff_cb){ pair_header, pair_record, &x });
	if (rc == 0 && x.at != n)
		rc = 2; /* a diff missing */
	if (rc > 0) {
		if (rc != 3)
			dc_error_set(_("'git diff-tree --stdin' said something unexpected"));
		rc = 1;
	}
cleanup:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	dc_buf_dispose(&input);
	dc_buf_dispose(&gitdir);
	return rc;
}
