/*
 * node_codec.c - a parsed YAML tree as bytes and back (see node_codec.h).
 *
 * Layout: the number of nodes, then each node in preorder. Numbers are
 * LEB128 varints, the shortest form only (signed ones zigzag-coded);
 * positions are differences, so a node of a policy takes a few bytes:
 *   kind | style << 3 (one byte)
 *   start: line and byte offset as differences from the previous node's
 *     start (the first node's from 0), column
 *   end: line and byte offset as differences from the node's start, column
 *   a scalar (null, bool, int, float, string): its value (a bool one byte,
 *     0 or 1; an int zigzag-coded; a float its 8 bytes, native order),
 *     the text's length, its bytes and a NUL (the text is read in place)
 *   a sequence: the number of items, then the items
 *   a mapping: the number of pairs, then key and value of each in turn
 * The reader refuses what the writer would not write: a longer varint, a
 * kind or style out of range, a mapping key that is not a scalar, a text
 * without its NUL, a line or column over 32 bits, more or fewer nodes than
 * counted, bytes left over.
 */
#include "node_codec.h"

#include <stdint.h>
#include <string.h>

#define NODE_MIN 8 /* the bytes of the smallest node: kind, 6 marks, a count */

static int is_scalar(dc_node_kind k) { return k <= DC_NODE_STR; }

static uint64_t zigzag(uint64_t d) { return (d << 1) ^ (uint64_t)((int64_t)d >> 63); }
static uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }

static int put_var(dc_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return dc_buf_put(b, tmp, n);
}

static size_t count_nodes(const dc_node *n)
{
	size_t i, c = 1;

	if (n->kind == DC_NODE_SEQ)
		for (i = 0; i < n->u.seq.n; i++)
			c += count_nodes(n->u.seq.items[i]);
	else if (n->kind == DC_NODE_MAP)
		for (i = 0; i < n->u.map.n; i++)
			c += count_nodes(n->u.map.pairs[i].key) + count_nodes(n->u.map.pairs[i].value);
	return c;
}

static int put_marks(dc_buf *b, const dc_node *n, dc_mark *prev)
{
	if (put_var(b, zigzag((uint64_t)n->start.line - prev->line)) < 0 ||
	    put_var(b, zigzag((uint64_t)n->start.offset - prev->offset)) < 0 || put_var(b, n->start.col) < 0 ||
	    put_var(b, zigzag((uint64_t)n->end.line - n->start.line)) < 0 ||
	    put_var(b, zigzag((uint64_t)n->end.offset - n->start.offset)) < 0 || put_var(b, n->end.col) < 0)
		return -1;
	*prev = n->start;
	return 0;
}

static int put_scalar(dc_buf *b, const dc_node *n)
{
	unsigned char bv = n->u.b ? 1 : 0;
	int rc = 0;

	if (!n->text)
		return 1;
	if (n->kind == DC_NODE_BOOL)
		rc = dc_buf_put(b, &bv, 1);
	else if (n->kind == DC_NODE_INT)
		rc = put_var(b, zigzag((uint64_t)n->u.i));
	else if (n->kind == DC_NODE_FLOAT)
		rc = dc_buf_put(b, &n->u.f, 8);
	if (rc < 0 || put_var(b, n->len) < 0 || dc_buf_put(b, n->text, n->len) < 0 || dc_buf_put(b, "", 1) < 0)
		return -1;
	return 0;
}

static int put_node(dc_buf *b, const dc_node *n, dc_mark *prev)
{
	size_t i;
	int rc;

	if (dc_buf_putc(b, (char)(n->kind | n->style << 3)) < 0 || put_marks(b, n, prev) < 0)
		return -1;
	if (is_scalar(n->kind))
		return put_scalar(b, n);
	if (n->kind == DC_NODE_SEQ) {
		if (put_var(b, n->u.seq.n) < 0)
			return -1;
		for (i = 0; i < n->u.seq.n; i++)
			if ((rc = put_node(b, n->u.seq.items[i], prev)) != 0)
				return rc;
		return 0;
	}
	if (put_var(b, n->u.map.n) < 0)
		return -1;
	for (i = 0; i < n->u.map.n; i++)
		if ((rc = put_node(b, n->u.map.pairs[i].key, prev)) != 0 ||
		    (rc = put_node(b, n->u.map.pairs[i].value, prev)) != 0)
			return rc;
	return 0;
}

int dc_node_encode(dc_buf *out, const dc_node *root)
{
	dc_mark prev = { 0, 0, 0 };
	size_t start = out->len;
	int rc;

	if (put_var(out, count_nodes(root)) < 0)
		return -1;
	if ((rc = put_node(out, root, &prev)) != 0)
		dc_buf_truncate(out, start);
	return rc;
}

typedef struct {
	dc_arena *arena;
	const unsigned char *p, *end;
	dc_node *nodes;       /* all of them, allocated at once */
	size_t used, count;
	unsigned max_depth;
	dc_mark prev;
} reader;

/* A varint in its shortest form; 1 when there is none. */
static int take_var(reader *r, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;
	unsigned char c;

	if (r->p != r->end && *r->p < 0x80) { /* most are one byte */
		*out = *r->p++;
		return 0;
	}
	do {
		if (r->p == r->end || shift > 63)
			return 1;
		c = *r->p++;
		if (shift == 63 && c > 1)
			return 1;
		v |= (uint64_t)(c & 0x7F) << shift;
		shift += 7;
	} while (c & 0x80);
	if (c == 0 && shift > 7) /* a longer form than the shortest */
		return 1;
	*out = v;
	return 0;
}

static int take_u32(reader *r, unsigned *out, uint64_t base, int diff)
{
	uint64_t v;

	if (take_var(r, &v))
		return 1;
	v = diff ? base + unzigzag(v) : v;
	if (v > UINT32_MAX)
		return 1;
	*out = (unsigned)v;
	return 0;
}

static int take_offset(reader *r, size_t *out, uint64_t base)
{
	uint64_t v;

	if (take_var(r, &v))
		return 1;
	v = base + unzigzag(v);
	if (v > SIZE_MAX)
		return 1;
	*out = (size_t)v;
	return 0;
}

static int take_marks(reader *r, dc_node *n)
{
	if (take_u32(r, &n->start.line, r->prev.line, 1) || take_offset(r, &n->start.offset, r->prev.offset) ||
	    take_u32(r, &n->start.col, 0, 0) || take_u32(r, &n->end.line, n->start.line, 1) ||
	    take_offset(r, &n->end.offset, n->start.offset) || take_u32(r, &n->end.col, 0, 0))
		return 1;
	r->prev = n->start;
	return 0;
}

static int take_scalar(reader *r, dc_node *n)
{
	uint64_t v, len;

	if (n->style > DC_STYLE_FOLDED)
		return 1;
	if (n->kind == DC_NODE_BOOL) {
		if (r->p == r->end || *r->p > 1)
			return 1;
		n->u.b = *r->p++;
	} else if (n->kind == DC_NODE_INT) {
		if (take_var(r, &v))
			return 1;
		n->u.i = (int64_t)unzigzag(v);
	} else if (n->kind == DC_NODE_FLOAT) {
		if (r->end - r->p < 8)
			return 1;
		memcpy(&n->u.f, r->p, 8);
		r->p += 8;
	}
	if (take_var(r, &len) || len >= (uint64_t)(r->end - r->p) || r->p[len] != '\0')
		return 1;
	n->text = (const char *)r->p;
	n->len = (size_t)len;
	r->p += len + 1;
	return 0;
}

static int take_node(reader *r, dc_node **out, unsigned depth);

static int take_children(reader *r, dc_node *n, unsigned depth)
{
	uint64_t count;
	size_t i, left = r->count - r->used;
	int rc;

	if ((n->style != DC_STYLE_FLOW && n->style != DC_STYLE_BLOCK) || depth + 1 > r->max_depth ||
	    take_var(r, &count) || count > left || (n->kind == DC_NODE_MAP && count > left / 2))
		return 1;
	if (!count)
		return 0;
	if (n->kind == DC_NODE_SEQ) {
		n->u.seq.n = (size_t)count;
		if (!(n->u.seq.items = dc_arena_alloc(r->arena, (size_t)count * sizeof(dc_node *))))
			return -1;
		for (i = 0; i < count; i++)
			if ((rc = take_node(r, &n->u.seq.items[i], depth + 1)) != 0)
				return rc;
		return 0;
	}
	n->u.map.n = (size_t)count;
	if (!(n->u.map.pairs = dc_arena_alloc(r->arena, (size_t)count * sizeof(dc_pair))))
		return -1;
	for (i = 0; i < count; i++) {
		if ((rc = take_node(r, &n->u.map.pairs[i].key, depth + 1)) != 0)
			return rc;
		if (!is_scalar(n->u.map.pairs[i].key->kind)) /* as the loader requires */
			return 1;
		if ((rc = take_node(r, &n->u.map.pairs[i].value, depth + 1)) != 0)
			return rc;
	}
	return 0;
}

/* `depth`: the collections around this node. 0, 1 when refused, -1. */
static int take_node(reader *r, dc_node **out, unsigned depth)
{
	dc_node *n;
	unsigned kind, style;

	if (r->p == r->end || r->used == r->count)
		return 1;
	kind = *r->p & 7;
	style = *r->p++ >> 3;
	if (kind > DC_NODE_MAP || style > DC_STYLE_BLOCK)
		return 1;
	n = &r->nodes[r->used++];
	n->kind = (dc_node_kind)kind;
	n->style = (dc_node_style)style;
	*out = n;
	if (take_marks(r, n))
		return 1;
	return is_scalar(n->kind) ? take_scalar(r, n) : take_children(r, n, depth);
}

int dc_node_decode(dc_node **out, dc_arena *arena, const unsigned char *data, size_t len, unsigned max_depth)
{
	reader r;
	dc_node *root = NULL;
	uint64_t count;
	int rc;

	*out = NULL;
	if (!data)
		return 1;
	memset(&r, 0, sizeof(r));
	r.arena = arena;
	r.p = data;
	r.end = data + len;
	r.max_depth = max_depth;
	/* every node takes NODE_MIN bytes or more: the count asks for no more
	 * memory than the input could describe */
	if (take_var(&r, &count) || count == 0 || count > len / NODE_MIN)
		return 1;
	r.count = (size_t)count;
	if (!(r.nodes = dc_arena_alloc(arena, r.count * sizeof(dc_node))))
		return -1;
	rc = take_node(&r, &root, 0);
	if (rc == 0 && (r.p != r.end || r.used != r.count))
		rc = 1;
	if (rc == 0)
		*out = root;
	return rc;
}
