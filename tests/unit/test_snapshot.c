/*
 * test_snapshot.c - the snapshot of a tree's documents (snapshot.h): what
 * is saved is what is found again, by path, by id and by what cites it;
 * a rewrite keeps the documents it does not hide and their citations; a
 * snapshot of another fingerprint or project prefix, or a damaged file, is
 * not used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "snapshot.h"

#define FP 0x1234ULL

static char root[] = "/tmp/docctl-snapshot-XXXXXX";
static git_repository *repo;
static git_oid tree1, tree2;

static int setup(void **state)
{
	(void)state;
	if (fx_scratch_open(root, &repo) < 0)
		return -1;
	git_oid_fromstr(&tree1, "1111111111111111111111111111111111111111");
	git_oid_fromstr(&tree2, "2222222222222222222222222222222222222222");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return fx_scratch_close(repo, root);
}

/* A summary with a reference, a link and superseded_by as given. */
static void add(dc_docset *set, const char *path, const char *id, const char *status, const char *ref,
		const char *link, const char *superseded_by)
{
	dc_docinfo *d;

	set->docs = realloc(set->docs, (set->n + 1) * sizeof(*set->docs));
	assert_non_null(set->docs);
	d = &set->docs[set->n++];
	memset(d, 0, sizeof(*d));
	d->path = path;
	d->parsed = 1;
	d->id = id;
	d->status = status;
	d->superseded_by.text = superseded_by;
	if (ref) {
		d->refs = dc_arena_alloc(&set->arena, sizeof(*d->refs));
		d->refs[0].text = ref;
		d->nrefs = 1;
	}
	if (link) {
		d->links = dc_arena_alloc(&set->arena, sizeof(*d->links));
		memset(d->links, 0, sizeof(*d->links));
		d->links[0].target = link;
		d->links[0].dest = link;
		d->nlinks = 1;
	}
}

static void blob_ids(git_oid *blobs, size_t n, unsigned char seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(blobs[i].id, seed + (unsigned char)i, GIT_OID_RAWSZ);
	}
}

/* The paths of the documents that cite `target`, joined by ' '. */
static void citing(const dc_snapshot *s, const char *target, char *out, size_t len)
{
	size_t first, n = dc_snapshot_citing(s, target, &first), k;

	out[0] = '\0';
	for (k = first; k < first + n; k++) {
		dc_snapdoc d;

		dc_snapshot_doc(s, dc_snapshot_citing_at(s, k), &d);
		if (*out)
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, d.path, len - strlen(out) - 1);
	}
}

static dc_snapshot *save_first(void)
{
	dc_docset set;
	git_oid blobs[4];
	dc_snapshot *s = NULL;

	dc_docset_init(&set);
	add(&set, "docs/a/SP-001.md", "SP-001", "approved", "SP-002", "docs/a/SP-002.md", NULL);
	add(&set, "docs/a/SP-002.md", "SP-002", "obsolete", NULL, NULL, "SP-003");
	add(&set, "docs/a/SP-003.md", "SP-003", "approved", "SP-002", NULL, NULL);
	add(&set, "docs/a/copy.md", "SP-003", "draft", NULL, NULL, NULL);
	blob_ids(blobs, 4, 0x10);
	assert_int_equal(dc_snapshot_save(repo, FP, "", &tree1, NULL, NULL, &set, blobs), 0);
	dc_docset_dispose(&set);
	assert_int_equal(dc_snapshot_load(&s, repo, FP, ""), 0);
	assert_non_null(s);
	return s;
}

static void test_saved_is_found(void **state)
{
	dc_snapshot *s = save_first();
	dc_snapdoc d;
	size_t at, first;
	char buf[256];

	(void)state;
	assert_true(git_oid_equal(dc_snapshot_tree(s), &tree1));
	assert_int_equal(dc_snapshot_count(s), 4);
	assert_int_equal(dc_snapshot_find(s, "docs/a/SP-002.md", &at), 1);
	dc_snapshot_doc(s, at, &d);
	assert_string_equal(d.id, "SP-002");
	assert_string_equal(d.status, "obsolete");
	assert_string_equal(d.superseded_by, "SP-003");
	assert_int_equal(d.blob.id[0], 0x11);
	assert_int_equal(dc_snapshot_find(s, "docs/a/SP-009.md", &at), 0);
	/* two documents hold SP-003, in path order */
	assert_int_equal(dc_snapshot_with_id(s, "SP-003", &first), 2);
	dc_snapshot_doc(s, dc_snapshot_with_id_at(s, first), &d);
	assert_string_equal(d.path, "docs/a/SP-003.md");
	dc_snapshot_doc(s, dc_snapshot_with_id_at(s, first + 1), &d);
	assert_string_equal(d.path, "docs/a/copy.md");
	assert_int_equal(dc_snapshot_with_id(s, "SP-004", &first), 0);
	/* citations: references, links and superseded_by */
	citing(s, "SP-002", buf, sizeof(buf));
	assert_string_equal(buf, "docs/a/SP-001.md docs/a/SP-003.md");
	citing(s, "docs/a/SP-002.md", buf, sizeof(buf));
	assert_string_equal(buf, "docs/a/SP-001.md");
	citing(s, "SP-003", buf, sizeof(buf));
	assert_string_equal(buf, "docs/a/SP-002.md");
	citing(s, "SP-001", buf, sizeof(buf));
	assert_string_equal(buf, "");
	dc_snapshot_free(s);
}

static void test_rewrite_keeps_the_rest(void **state)
{
	dc_snapshot *s = save_first(), *t = NULL;
	dc_docset set;
	dc_strmap hidden;
	git_oid blobs[1];
	dc_snapdoc d;
	size_t at, first;
	char buf[256];

	(void)state;
	/* SP-001 changes (now citing SP-003), copy.md is deleted */
	dc_docset_init(&set);
	dc_strmap_init(&hidden);
	add(&set, "docs/a/SP-001.md", "SP-001", "approved", "SP-003", NULL, NULL);
	blob_ids(blobs, 1, 0x40);
	assert_int_equal(dc_strmap_put(&hidden, "docs/a/SP-001.md", 0), 0);
	assert_int_equal(dc_strmap_put(&hidden, "docs/a/copy.md", 0), 0);
	assert_int_equal(dc_snapshot_save(repo, FP, "", &tree2, s, &hidden, &set, blobs), 0);
	dc_docset_dispose(&set);
	dc_strmap_dispose(&hidden);
	dc_snapshot_free(s);
	assert_int_equal(dc_snapshot_load(&t, repo, FP, ""), 0);
	assert_non_null(t);
	assert_true(git_oid_equal(dc_snapshot_tree(t), &tree2));
	assert_int_equal(dc_snapshot_count(t), 3);
	assert_int_equal(dc_snapshot_find(t, "docs/a/copy.md", &at), 0);
	assert_int_equal(dc_snapshot_find(t, "docs/a/SP-001.md", &at), 1);
	dc_snapshot_doc(t, at, &d);
	assert_int_equal(d.blob.id[0], 0x40);
	assert_int_equal(dc_snapshot_with_id(t, "SP-003", &first), 1);
	citing(t, "SP-002", buf, sizeof(buf));
	assert_string_equal(buf, "docs/a/SP-003.md");
	citing(t, "SP-003", buf, sizeof(buf));
	assert_string_equal(buf, "docs/a/SP-001.md docs/a/SP-002.md");
	citing(t, "docs/a/SP-002.md", buf, sizeof(buf));
	assert_string_equal(buf, "");
	dc_snapshot_free(t);
}

static void test_not_used_when_stale_or_damaged(void **state)
{
	dc_snapshot *s = save_first(), *t = (dc_snapshot *)1;
	char file[256];
	struct stat st;
	FILE *f;
	long i;

	(void)state;
	dc_snapshot_free(s);
	assert_int_equal(dc_snapshot_load(&t, repo, FP + 1, ""), 0);
	assert_null(t);
	t = (dc_snapshot *)1;
	assert_int_equal(dc_snapshot_load(&t, repo, FP, "sub/"), 0);
	assert_null(t);
	snprintf(file, sizeof(file), "%sdocctl-cache/snapshot", git_repository_path(repo));
	assert_int_equal(stat(file, &st), 0);
	/* one byte flipped anywhere after the header: never trusted */
	for (i = 72; i < st.st_size; i += 37) {
		int c;

		assert_non_null(f = fopen(file, "r+b"));
		fseek(f, i, SEEK_SET);
		c = fgetc(f);
		fseek(f, i, SEEK_SET);
		fputc(c ^ 0x40, f);
		fclose(f);
		t = (dc_snapshot *)1;
		assert_int_equal(dc_snapshot_load(&t, repo, FP, ""), 0);
		assert_null(t);
		assert_non_null(f = fopen(file, "r+b"));
		fseek(f, i, SEEK_SET);
		fputc(c, f);
		fclose(f);
	}
	/* cut short */
	assert_int_equal(truncate(file, st.st_size - 1), 0);
	t = (dc_snapshot *)1;
	assert_int_equal(dc_snapshot_load(&t, repo, FP, ""), 0);
	assert_null(t);
	/* turned off */
	s = save_first();
	dc_snapshot_free(s);
	setenv("DOCCTL_CACHE", "0", 1);
	t = (dc_snapshot *)1;
	assert_int_equal(dc_snapshot_load(&t, repo, FP, ""), 0);
	assert_null(t);
	unsetenv("DOCCTL_CACHE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_saved_is_found),
		cmocka_unit_test(test_rewrite_keeps_the_rest),
		cmocka_unit_test(test_not_used_when_stale_or_damaged),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
