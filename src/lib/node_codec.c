/*
 * node_codec.c - a parsed YAML tree as bytes and back (see node_codec.h).
 *
 * Layout (native byte order: the bytes never leave the machine), each node
 * in preorder:
 *   kind(u8) style(u8) start(line u32, col u32, offset u64) end(same)
 *   a scalar (null, bool, int, float, string): its value's 8 bytes as the
 *     loader left them, len(u64), then `len` bytes (no NUL added)
 *   a sequence: count(u64), then its items
 *   a mapping: count(u64) of pairs, then key and value of each in turn
 */
#include "node_codec.h"

#include <stdint.h>
#include <string.h>

#define MARK_SIZE 16
#define NODE_MIN (2 + 2 * MARK_SIZE + 8) /* the smallest node: an empty collection */

static int is_scalar(dc_node_kind k) { return k <= DC_NODE_STR; }

static int put_u64(dc_buf *b, uint64_t v) { return dc_buf_put(b, &v, 8); }

static int put_mark(dc_buf *b, const dc_mark *m)
{
	uint32_t lc[2] = { m->line, m->col };

	return dc_buf_put(b, lc, 8) < 0 || put_u64(b, (uint64_t)m->offset) < 0 ? -1 : 0;
}

int dc_node_encode(dc_buf *out, const dc_node *n)
{
	unsigned char ks[2] = { (unsigned char)n->kind, (unsigned char)n->style };
	size_t i;
	int rc;

	if (dc_buf_put(out, ks, 2) < 0 || put_mark(out, &n->start) < 0 || put_mark(out, &n->end) < 0)
		return -1;
	if (is_scalar(n->kind)) {
		if (!n->text)
			return 1;
		if (dc_buf_put(out, &n->u, 8) < 0 || put_u64(out, (uint64_t)n->len) < 0 ||
		    dc_buf_put(out, n->text, n->len) < 0)
			return -1;
		return 0;
	}
	if (n->kind == DC_NODE_SEQ) {
		if (put_u64(out, (uint64_t)n->u.seq.n) < 0)
			return -1;
		for (i = 0; i < n->u.seq.n; i++)
			if ((rc = dc_node_encode(out, n->u.seq.items[i])) != 0)
				return rc;
		return 0;
	}
	if (put_u64(out, (uint64_t)n->u.map.n) < 0)
		return -1;
	for (i = 0; i < n->u.map.n; i++) {
		if ((rc = dc_node_encode(out, n->u.map.pairs[i].key)) != 0 ||
		    (rc = dc_node_encode(out, n->u.map.pairs[i].value)) != 0)
			return rc;
	}
	return 0;
}

typedef struct {
	dc_arena *arena;
	const unsigned char *p, *end;
	unsigned max_depth;
} reader;

static int take(reader *r, void *dst, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return 1;
	memcpy(dst, r->p, n);
	r->p += n;
	return 0;
}

static int take_mark(reader *r, dc_mark *m)
{
	uint32_t lc[2];
	uint64_t off;

	if (take(r, lc, 8) || take(r, &off, 8) || off > SIZE_MAX)
		return 1;
	m->line = lc[0];
	m->col = lc[1];
	m->offset = (size_t)off;
	return 0;
}

static int take_node(reader *r, dc_node **out, unsigned depth);

static int take_scalar(reader *r, dc_node *n)
{
	uint64_t len;
	char *text;

	if (n->style > DC_STYLE_FOLDED || take(r, &n->u, 8) || take(r, &len, 8) ||
	    len > (uint64_t)(r->end - r->p))
		return 1;
	if (n->kind == DC_NODE_BOOL && n->u.b != 0 && n->u.b != 1)
		return 1;
	if (!(text = dc_arena_strndup(r->arena, (const char *)r->p, (size_t)len)))
		return -1;
	n->text = text;
	n->len = (size_t)len;
	r->p += len;
	return 0;
}

static int take_collection(reader *r, dc_node *n, unsigned depth)
{
	uint64_t count, nodes;
	size_t i, left;
	int rc;

	if ((n->style != DC_STYLE_FLOW && n->style != DC_STYLE_BLOCK) || depth + 1 > r->max_depth ||
	    take(r, &count, 8))
		return 1;
	/* every child takes at least NODE_MIN bytes: no count can ask for
	 * more memory than the input could fill */
	left = (size_t)(r->end - r->p) / NODE_MIN;
	nodes = n->kind == DC_NODE_MAP ? count * 2 : count;
	if (count > left || nodes > left)
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

/* `depth`: the collections around this node. */
static int take_node(reader *r, dc_node **out, unsigned depth)
{
	unsigned char ks[2];
	dc_node *n;

	if (take(r, ks, 2) || ks[0] > DC_NODE_MAP || ks[1] > DC_STYLE_BLOCK)
		return 1;
	if (!(n = dc_arena_alloc(r->arena, sizeof(*n))))
		return -1;
	n->kind = (dc_node_kind)ks[0];
	n->style = (dc_node_style)ks[1];
	if (take_mark(r, &n->start) || take_mark(r, &n->end))
		return 1;
	*out = n;
	return is_scalar(n->kind) ? take_scalar(r, n) : take_collection(r, n, depth);
}

int dc_node_decode(dc_node **out, dc_arena *arena, const unsigned char *data, size_t len, unsigned max_depth)
{
	reader r = { arena, data, data, max_depth };
	dc_node *root = NULL;
	int rc;

	*out = NULL;
	if (!data)
		return 1;
	r.end = data + len;
	rc = take_node(&r, &root, 0);
	if (rc == 0 && r.p != r.end)
		rc = 1;
	if (rc == 0)
		*out = root;
	return rc;
}
