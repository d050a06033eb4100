/*
 * test_rawdiff.c - git's raw diff output read as file changes (rawdiff.h):
 * modified, added, deleted and type-changed files with their modes and
 * ids, diff-tree headers in order, what the parser does not take (an
 * unmerged entry) and what it does not understand (a cut record); and the
 * real thing: `git diff-index` and `git diff-tree --stdin` run on a
 * throwaway repository.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rawdiff.h"

#define A40 "1111111111111111111111111111111111111111"
#define B40 "2222222222222222222222222222222222222222"
#define Z40 "0000000000000000000000000000000000000000"

typedef struct {
	char log[1024];
	dc_filechange files[8];
	size_t n;
} seen;

static int on_header(const char *line, void *payload)
{
	seen *s = payload;

	strncat(s->log, "H:", sizeof(s->log) - strlen(s->log) - 1);
	strncat(s->log, line, sizeof(s->log) - strlen(s->log) - 1);
	strncat(s->log, " ", sizeof(s->log) - strlen(s->log) - 1);
	return 0;
}

static int on_record(const dc_filechange *f, void *payload)
{
	seen *s = payload;
	char line[256];

	snprintf(line, sizeof(line), "%s%s%s:%o>%o ", f->has_old ? "-" : "", f->has_new ? "+" : "", f->path,
		 (unsigned)f->old_mode, (unsigned)f->new_mode);
	strncat(s->log, line, sizeof(s->log) - strlen(s->log) - 1);
	if (s->n < 8)
		s->files[s->n++] = *f;
	return 0;
}

static int parse(seen *s, const char *buf, size_t len)
{
	dc_arena arena = DC_ARENA_INIT;
	dc_rawdiff_cb cb = { on_header, on_record, s };
	int rc;

	memset(s, 0, sizeof(*s));
	rc = dc_rawdiff_parse(buf, len, &arena, &cb);
	dc_arena_dispose(&arena);
	return rc;
}

static void test_records(void **state)
{
	static const char out[] = ":100644 100644 " A40 " " B40 " M\0docs/a.md\0"
				  ":000000 100644 " Z40 " " B40 " A\0docs/b b.md\0"
				  ":100644 000000 " A40 " " Z40 " D\0docs/c.md\0"
				  ":120000 100644 " A40 " " B40 " T\0docs/d.md\0";
	seen s;
	git_oid a;

	(void)state;
	assert_int_equal(parse(&s, out, sizeof(out) - 1), 0);
	assert_string_equal(s.log, "-+docs/a.md:100644>100644 +docs/b b.md:0>100644 -docs/c.md:100644>0 "
				   "-+docs/d.md:120000>100644 ");
	git_oid_fromstr(&a, A40);
	assert_true(git_oid_equal(&s.files[0].old_oid, &a));
	assert_false(git_oid_equal(&s.files[0].new_oid, &a));
}

static void test_headers(void **state)
{
	static const char out[] = "cccccccccccccccccccccccccccccccccccccccc\0"
				  ":100644 100644 " A40 " " B40 " M\0records/r.md\0"
				  "dddddddddddddddddddddddddddddddddddddddd\0";
	seen s;

	(void)state;
	assert_int_equal(parse(&s, out, sizeof(out) - 1), 0);
	assert_string_equal(s.log, "H:cccccccccccccccccccccccccccccccccccccccc -+records/r.md:100644>100644 "
				   "H:dddddddddddddddddddddddddddddddddddddddd ");
}

static void test_not_taken_or_not_understood(void **state)
{
	static const char unmerged[] = ":100644 100644 " A40 " " Z40 " U\0docs/a.md\0";
	static const char cut[] = ":100644 100644 " A40 " " B40 " M\0docs/a.md";
	static const char short_id[] = ":100644 100644 1111 2222 M\0docs/a.md\0";
	static const char no_nul[] = "cccc";
	seen s;

	(void)state;
	assert_int_equal(parse(&s, unmerged, sizeof(unmerged) - 1), 1);
	assert_int_equal(parse(&s, cut, sizeof(cut) - 1), 2);
	assert_int_equal(parse(&s, short_id, sizeof(short_id) - 1), 2);
	assert_int_equal(parse(&s, no_nul, sizeof(no_nul) - 1), 2);
	assert_int_equal(parse(&s, "", 0), 0);
}

static int sh(const char *dir, const char *cmd)
{
	char line[2048];

	snprintf(line, sizeof(line), "cd '%s' && (%s) >/dev/null 2>&1", dir, cmd);
	return system(line);
}

static void test_real_git(void **state)
{
	char dir[] = "/tmp/docctl-rawdiff-XXXXXX", input[512], head[64], parent[64];
	static const char *const index_argv[] = { "git", "diff-index", "--cached", "--raw", "-z", "--no-renames", "HEAD", NULL };
	static const char *const tree_argv[] = { "git", "diff-tree", "--stdin", "-r", "-z", "--raw", "--no-renames", "--always", NULL };
	dc_arena arena = DC_ARENA_INIT;
	seen s;
	dc_rawdiff_cb cb = { on_header, on_record, &s };
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(sh(dir, "git init -q . && mkdir docs && echo one >docs/a.md && echo two >docs/b.md && "
				 "git add . && git -c user.name=T -c user.email=t@example.com commit -q -m one && "
				 "echo changed >docs/a.md && git rm -q docs/b.md && echo three >docs/c.md && git add ."), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(dc_rawdiff_run(dir, index_argv, "/dev/null", &arena, &cb), 0);
	assert_string_equal(s.log, "-+docs/a.md:100644>100644 -docs/b.md:100644>0 +docs/c.md:0>100644 ");
	assert_int_equal(sh(dir, "git -c user.name=T -c user.email=t@example.com commit -q -m two && "
				 "git rev-parse HEAD >head && git rev-parse HEAD~1 >>head"), 0);
	snprintf(input, sizeof(input), "%s/head", dir);
	assert_non_null(f = fopen(input, "r"));
	assert_non_null(fgets(head, sizeof(head), f));
	assert_non_null(fgets(parent, sizeof(parent), f));
	fclose(f);
	head[40] = parent[40] = '\0';
	/* "COMMIT PARENT": the diff from the parent to the commit */
	snprintf(input, sizeof(input), "%s/pair", dir);
	assert_non_null(f = fopen(input, "w"));
	fprintf(f, "%s %s\n", head, parent);
	fclose(f);
	memset(&s, 0, sizeof(s));
	assert_int_equal(dc_rawdiff_run(dir, tree_argv, input, &arena, &cb), 0);
	assert_non_null(strstr(s.log, head));
	assert_non_null(strstr(s.log, "+docs/c.md:0>100644"));
	assert_non_null(strstr(s.log, "-docs/b.md:100644>0"));
	/* git failing is told apart */
	memset(&s, 0, sizeof(s));
	assert_int_equal(dc_rawdiff_run("/", index_argv, "/dev/null", &arena, &cb), 3);
	dc_arena_dispose(&arena);
	snprintf(input, sizeof(input), "rm -rf '%s'", dir);
	assert_int_equal(system(input), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_not_taken_or_not_understood),
		cmocka_unit_test(test_real_git),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
