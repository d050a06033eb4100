/*
 * test_node_codec.c - the parsed-YAML cache (node_codec.h, yaml_cache.h):
 * trees dc_yaml_load() builds, encoded and decoded, are equal to the
 * loader's in every field (kind, style, marks, text with its NULs, length,
 * value, children); every truncation and many single-byte changes of an
 * encoding are refused or decode to a sound tree; the files in a real git
 * directory are found by blob id only, refused when damaged, bounded in
 * number, and not written with DOCCTL_CACHE=0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "fixture.h"
#include "node_codec.h"
#include "yaml_cache.h"
#include "yaml_load.h"

#define DEPTH 64

static const char *const texts[] = {
	"",
	"# only a comment\n",
	"plain\n",
	("a: 1\nb: -2.5\nc: true\nd: false\ne: null\nf: ~\ng:\nh: 0x1F\ni: .inf\nj: -.INF\nk: .nan\n"
	 "l: 9223372036854775807\nm: 1e3\nn: yes\no: 2026-01-01\n"),
	"list:\n  - one\n  - 'two'\n  - \"three\"\n  - [4, 5.0, {six: 6}]\n  - {}\n  - []\n",
	"flow: {a: [1, 2, [3, [4]]], 'b': \"c\"}\n",
	"literal: |\n  line one\n  line two\n\nfolded: >-\n  folded\n  text\n\nkeep: |+\n  kept\n\n",
	"名称: 受控文件\n批准: [质量经理, 总经理]\n说明: \"中文 文本\"\n",
	"nul: \"a\\0b\\0\"\nesc: \"tab\\there \\u00e9 \\U0001F600\"\n",
	"!!str 12\n",
	"- !!int \"7\"\n- !!float 3\n- !!bool \"true\"\n- !!null \"\"\n- ! plain\n",
	"1: one\ntrue: two\nnull: three\n2.5: four\n",
	"\xEF\xBB\xBFkey: value with a BOM before\r\nnext: line\r\n",
};

static dc_node *parse(dc_arena *a, const char *text, size_t len)
{
	dc_yaml_where w = { "docctl.yaml", 1, 0, DEPTH };
	dc_diags d;
	dc_node *n = NULL;

	dc_diags_init(&d);
	assert_int_equal(dc_yaml_load(&n, a, text, len, &w, &d), 0);
	if (d.n)
		fail_msg("unexpected finding: %s", d.items[0].message);
	dc_diags_dispose(&d);
	assert_non_null(n);
	return n;
}

static void assert_mark_equal(const dc_mark *a, const dc_mark *b)
{
	assert_int_equal(a->line, b->line);
	assert_int_equal(a->col, b->col);
	assert_int_equal(a->offset, b->offset);
}

/* Equal in every field the loader sets. */
static void assert_tree_equal(const dc_node *a, const dc_node *b)
{
	size_t i;

	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->style, b->style);
	assert_mark_equal(&a->start, &b->start);
	assert_mark_equal(&a->end, &b->end);
	assert_int_equal(a->len, b->len);
	if (a->kind <= DC_NODE_STR) {
		assert_non_null(a->text);
		assert_non_null(b->text);
		assert_memory_equal(a->text, b->text, a->len);
		assert_int_equal(b->text[b->len], '\0');
	} else {
		assert_null(b->text);
	}
	switch (a->kind) {
	case DC_NODE_BOOL: assert_int_equal(a->u.b, b->u.b); break;
	case DC_NODE_INT: assert_true(a->u.i == b->u.i); break;
	case DC_NODE_FLOAT: assert_memory_equal(&a->u.f, &b->u.f, sizeof(double)); break;
	case DC_NODE_SEQ:
		assert_int_equal(a->u.seq.n, b->u.seq.n);
		for (i = 0; i < a->u.seq.n; i++)
			assert_tree_equal(a->u.seq.items[i], b->u.seq.items[i]);
		break;
	case DC_NODE_MAP:
		assert_int_equal(a->u.map.n, b->u.map.n);
		for (i = 0; i < a->u.map.n; i++) {
			assert_tree_equal(a->u.map.pairs[i].key, b->u.map.pairs[i].key);
			assert_tree_equal(a->u.map.pairs[i].value, b->u.map.pairs[i].value);
		}
		break;
	default: break;
	}
}

static void encode(dc_buf *out, const dc_node *root)
{
	dc_buf_clear(out);
	assert_int_equal(dc_node_encode(out, root), 0);
}

/* Nesting: `depth` flow sequences around one scalar. */
static char *nested(unsigned depth)
{
	char *s = malloc(2 * depth + 2);
	unsigned i;

	assert_non_null(s);
	for (i = 0; i < depth; i++)
		s[i] = '[';
	s[depth] = 'x';
	for (i = 0; i < depth; i++)
		s[depth + 1 + i] = ']';
	s[2 * depth + 1] = '\0';
	return s;
}

static void test_round_trip(void **state)
{
	dc_arena a = DC_ARENA_INIT;
	dc_buf b = DC_BUF_INIT;
	dc_node *tree, *back;
	size_t i;
	char *deep = nested(DEPTH);

	(void)state;
	for (i = 0; i <= sizeof(texts) / sizeof(texts[0]); i++) {
		const char *t = i < sizeof(texts) / sizeof(texts[0]) ? texts[i] : deep;

		tree = parse(&a, t, strlen(t));
		encode(&b, tree);
		assert_int_equal(dc_node_decode(&back, &a, (const unsigned char *)b.ptr, b.len, DEPTH), 0);
		assert_non_null(back);
		assert_tree_equal(tree, back);
	}
	/* the embedded NUL is there */
	tree = parse(&a, texts[8], strlen(texts[8]));
	encode(&b, tree);
	assert_int_equal(dc_node_decode(&back, &a, (const unsigned char *)b.ptr, b.len, DEPTH), 0);
	assert_int_equal(back->u.map.pairs[0].value->len, 4);
	assert_memory_equal(back->u.map.pairs[0].value->text, "a\0b\0", 5);
	/* deeper than the reader allows: refused, as the loader would */
	tree = parse(&a, deep, strlen(deep));
	encode(&b, tree);
	assert_int_equal(dc_node_decode(&back, &a, (const unsigned char *)b.ptr, b.len, DEPTH - 1), 1);
	assert_null(back);
	free(deep);
	dc_buf_dispose(&b);
	dc_arena_dispose(&a);
}

/* Whatever the decoder accepts is a sound tree: walks it all. */
static size_t walk(const dc_node *n, unsigned depth)
{
	size_t i, count = 1;

	assert_true(depth <= DEPTH + 1);
	assert_true(n->kind <= DC_NODE_MAP && n->style <= DC_STYLE_BLOCK);
	if (n->kind <= DC_NODE_STR) {
		assert_int_equal(n->text[n->len], '\0');
		return 1;
	}
	if (n->kind == DC_NODE_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			count += walk(n->u.seq.items[i], depth + 1);
	else
		for (i = 0; i < n->u.map.n; i++) {
			assert_true(n->u.map.pairs[i].key->kind <= DC_NODE_STR);
			count += walk(n->u.map.pairs[i].key, depth + 1) + walk(n->u.map.pairs[i].value, depth + 1);
		}
	return count;
}

static void test_damaged(void **state)
{
	dc_arena a = DC_ARENA_INIT;
	dc_buf b = DC_BUF_INIT;
	dc_node *back;
	size_t i, len, refused = 0;
	unsigned char *copy;

	(void)state;
	encode(&b, parse(&a, texts[4], strlen(texts[4])));
	len = b.len;
	/* every truncation, and every byte appended */
	for (i = 0; i < len; i++) {
		assert_int_equal(dc_node_decode(&back, &a, (const unsigned char *)b.ptr, i, DEPTH), 1);
		assert_null(back);
	}
	assert_int_equal(dc_node_decode(&back, &a, NULL, 0, DEPTH), 1);
	copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, b.ptr, len);
	copy[len] = 0;
	assert_int_equal(dc_node_decode(&back, &a, copy, len + 1, DEPTH), 1);
	/* every byte changed three ways: refused, or a sound tree */
	for (i = 0; i < len; i++) {
		static const unsigned char flips[] = { 0x01, 0x80, 0xFF };
		size_t f;

		for (f = 0; f < sizeof(flips); f++) {
			memcpy(copy, b.ptr, len);
			copy[i] ^= flips[f];
			if (dc_node_decode(&back, &a, copy, len, DEPTH) == 1)
				refused++;
			else
				walk(back, 1);
		}
		dc_arena_reset(&a);
	}
	print_message("%zu of %zu changes refused\n", refused, 3 * len);
	assert_true(refused > len / 4); /* counts, kinds and lengths are checked */
	free(copy);
	dc_buf_dispose(&b);
	dc_arena_dispose(&a);
}

/* --- the files, in a real git directory --- */

static char dir[] = "/tmp/test_node_codec.XXXXXX";
static git_repository *repo;

static int repo_setup(void **state)
{
	(void)state;
	return fx_scratch_open(dir, &repo);
}

static int repo_teardown(void **state)
{
	(void)state;
	return fx_scratch_close(repo, dir);
}

static void cache_file(char *out, size_t size, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	snprintf(out, size, "%sdocctl-cache/yaml/%s", git_repository_path(repo), hex);
}

static size_t files_in_cache(void)
{
	char path[512];
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	snprintf(path, sizeof(path), "%sdocctl-cache/yaml", git_repository_path(repo));
	if (!(d = opendir(path)))
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_files(void **state)
{
	dc_arena a = DC_ARENA_INIT;
	dc_buf data = DC_BUF_INIT;
	dc_node *tree, *back;
	git_oid id, other;
	char path[512], opath[512];
	size_t i;

	(void)state;
	tree = parse(&a, texts[7], strlen(texts[7]));
	assert_int_equal(git_odb_hash(&id, texts[7], strlen(texts[7]), GIT_OBJECT_BLOB), 0);
	assert_int_equal(git_odb_hash(&other, texts[3], strlen(texts[3]), GIT_OBJECT_BLOB), 0);
	cache_file(path, sizeof(path), &id);
	cache_file(opath, sizeof(opath), &other);

	/* nothing yet; then written, and read back equal */
	assert_int_equal(dc_yaml_cache_get(&back, &a, repo, &id, DEPTH), 0);
	assert_null(back);
	dc_yaml_cache_put(repo, &id, tree);
	assert_int_equal(dc_yaml_cache_get(&back, &a, repo, &id, DEPTH), 0);
	assert_non_null(back);
	assert_tree_equal(tree, back);

	/* under another blob's name: refused (the header names the blob) */
	assert_int_equal(dc_file_read(&data, path), 0);
	assert_int_equal(dc_file_write_atomic(opath, data.ptr, data.len), 0);
	assert_int_equal(dc_yaml_cache_get(&back, &a, repo, &other, DEPTH), 0);
	assert_null(back);
	/* every truncation, a byte flipped anywhere: refused */
	for (i = 0; i < data.len; i += 1 + data.len / 64) {
		assert_int_equal(dc_file_write_atomic(path, data.ptr, i), 0);
		assert_int_equal(dc_yaml_cache_get(&back, &a, repo, &id, DEPTH), 0);
		assert_null(back);
		data.ptr[i] ^= 0x20;
		assert_int_equal(dc_file_write_atomic(path, data.ptr, data.len), 0);
		assert_int_equal(dc_yaml_cache_get(&back, &a, repo, &id, DEPTH), 0);
		assert_null(back);
		data.ptr[i] ^= 0x20;
	}
	/* DOCCTL_CACHE=0: not read, not written */
	assert_int_equal(dc_file_write_atomic(path, data.ptr, data.len), 0);
	setenv("DOCCTL_CACHE", "0", 1);
	assert_int_equal(dc_yaml_cache_get(&back, &a, repo, &id, DEPTH), 0);
	assert_null(back);
	unlink(path);
	dc_yaml_cache_put(repo, &id, tree);
	assert_int_equal(access(path, F_OK), -1);
	unsetenv("DOCCTL_CACHE");

	/* bounded: never more than DC_YAML_CACHE_KEEP files */
	for (i = 0; i < DC_YAML_CACHE_KEEP + 8; i++) {
		char name[32];

		snprintf(name, sizeof(name), "blob %zu", i);
		assert_int_equal(git_odb_hash(&other, name, strlen(name), GIT_OBJECT_BLOB), 0);
		dc_yaml_cache_put(repo, &other, tree);
		assert_true(files_in_cache() <= DC_YAML_CACHE_KEEP);
	}
	assert_int_equal(files_in_cache(), DC_YAML_CACHE_KEEP);
	dc_buf_dispose(&data);
	dc_arena_dispose(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test_setup_teardown(test_files, repo_setup, repo_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
