/*
 * fm_edit.c - set or remove one top-level front-matter field, changing only
 * the bytes of that field, and write files atomically (see fm_edit.h).
 *
 * The field is found in the tree dc_yaml_load() builds; the edit is one
 * splice of the file at the byte offsets of the key and value marks. libyaml
 * ends a block collection at the next token (past blank and comment lines)
 * and a block scalar after its trailing line breaks, so the end of such a
 * value is taken from its last leaf instead. The only text looked at outside
 * the marks is the gap between a key and its value on the key's line (the
 * `:` and a trailing comment). Whether a value may be written plain is
 * decided by the parser itself: `x: VALUE` must load back as that plain text
 * with the wanted type.
 */
#include "fm_edit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "error.h"
#include "frontmatter.h"
#include "i18n.h"
#include "text.h"
#include "yaml_load.h"

/* A parsed controlled file whose front-matter is a block mapping or empty. */
typedef struct {
	dc_arena arena;
	dc_diags diags;
	dc_frontmatter fm;
	const dc_node *root; /* DC_NODE_MAP, or DC_NODE_NULL when empty */
	const char *data;
	size_t len;
} parsed;

static void parsed_dispose(parsed *p)
{
	dc_arena_dispose(&p->arena);
	dc_diags_dispose(&p->diags);
}

static int parse(parsed *p, const char *path, const char *data, size_t len)
{
	dc_yaml_where where;
	dc_node *root = NULL;
	const dc_diag *d;
	int r;

	dc_arena_init(&p->arena);
	dc_diags_init(&p->diags);
	p->data = data;
	p->len = len;
	p->root = NULL;
	r = dc_frontmatter_split(&p->fm, path, data, len, &p->diags);
	if (r < 0)
		return -1;
	if (r == 0) {
		where.file = path;
		where.line = p->fm.yaml_line;
		where.offset = p->fm.yaml_off;
		where.max_depth = 16;
		if (dc_yaml_load(&root, &p->arena, data + p->fm.yaml_off, p->fm.yaml_len, &where,
				 &p->diags) < 0)
			return -1;
	}
	if (!root) {
		d = p->diags.n ? &p->diags.items[p->diags.n - 1] : NULL;
		return dc_error_set(_("cannot edit '%s': line %u: %s"), path, d ? d->line : 0,
				    d ? d->message : "the front-matter does not parse");
	}
	if (root->kind == DC_NODE_MAP && root->style == DC_STYLE_FLOW)
		return dc_error_set(_("cannot edit '%s': the front-matter is a flow mapping "
				    "\"{...}\"; write one \"key: value\" per line"),
				    path);
	if (root->kind != DC_NODE_MAP && !(root->kind == DC_NODE_NULL && root->len == 0))
		return dc_error_set(_("cannot edit '%s': the front-matter is not a mapping"), path);
	p->root = root;
	return 0;
}

/* ---- writing scalars ---- */

static int needs_escape(unsigned cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
	       cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static int has_escapes(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (needs_escape(dc_utf8_decode(s + i, n - i, &k)))
			return 1;
		i += k;
	}
	return 0;
}

static int put_double(dc_buf *b, const char *s, size_t n)
{
	size_t i = 0, k;
	unsigned cp;
	int r = dc_buf_putc(b, '"');

	while (r == 0 && i < n) {
		cp = dc_utf8_decode(s + i, n - i, &k);
		if (cp == '"' || cp == '\\')
			r = dc_buf_printf(b, "\\%c", (char)cp);
		else if (cp == '\t')
			r = dc_buf_puts(b, "\\t");
		else if (cp == '\n')
			r = dc_buf_puts(b, "\\n");
		else if (cp == '\r')
			r = dc_buf_puts(b, "\\r");
		else if (cp == 0x85)
			r = dc_buf_puts(b, "\\N");
		else if (cp == 0x2028)
			r = dc_buf_puts(b, "\\L");
		else if (cp == 0x2029)
			r = dc_buf_puts(b, "\\P");
		else if (needs_escape(cp))
			r = dc_buf_printf(b, cp < 0x100 ? "\\x%02X" : "\\u%04X", cp);
		else
			r = dc_buf_put(b, s + i, k);
		i += k;
	}
	return r < 0 ? -1 : dc_buf_putc(b, '"');
}

static int put_single(dc_buf *b, const char *s, size_t n)
{
	size_t i;

	if (dc_buf_putc(b, '\'') < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((s[i] == '\'' && dc_buf_putc(b, '\'') < 0) || dc_buf_putc(b, s[i]) < 0)
			return -1;
	return dc_buf_putc(b, '\'');
}

/* Booleans to YAML 1.1 readers, strings to the core schema: quoted anyway. */
static int yaml11_bool(const char *s, size_t n)
{
	static const char *const w[] = { "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
					 "NO", "on", "On", "ON", "off", "Off", "OFF", NULL };
	const char *const *p;

	for (p = w; *p; p++)
		if (strlen(*p) == n && !memcmp(*p, s, n))
			return 1;
	return 0;
}

/*
 * 1 when `s` can be written plain as a mapping value and reads back as the
 * same text typed as a string (or as `same`, a boolean, integer or number
 * kind), 0 when it needs quotes, -1 when memory runs out.
 */
static int plain_ok(const char *s, size_t n, dc_node_kind same)
{
	dc_buf line = DC_BUF_INIT;
	dc_arena arena = DC_ARENA_INIT;
	dc_diags diags;
	dc_yaml_where where = { "", 1, 0, 16 };
	dc_node *root = NULL;
	const dc_node *v;
	int r = -1;

	if (n == 0 || has_escapes(s, n) || s[0] == ' ' || s[n - 1] == ' ' || yaml11_bool(s, n) ||
	    strchr("[]{},#&*!|>'\"%@`", s[0]))
		return 0;
	dc_diags_init(&diags);
	if (dc_buf_puts(&line, "x: ") < 0 || dc_buf_put(&line, s, n) < 0 ||
	    dc_buf_putc(&line, '\n') < 0)
		goto cleanup;
	if (dc_yaml_load(&root, &arena, line.ptr, line.len, &where, &diags) < 0)
		goto cleanup;
	r = 0;
	if (!root || root->kind != DC_NODE_MAP || root->u.map.n != 1)
		goto cleanup;
	v = root->u.map.pairs[0].value;
	if (v->style == DC_STYLE_PLAIN && v->len == n && !memcmp(v->text, s, n) &&
	    (v->kind == DC_NODE_STR ||
	     (v->kind == same &&
	      (same == DC_NODE_BOOL || same == DC_NODE_INT || same == DC_NODE_FLOAT))))
		r = 1;
cleanup:
	dc_buf_dispose(&line);
	dc_arena_dispose(&arena);
	dc_diags_dispose(&diags);
	return r;
}

/* Appends `s` as a scalar, in `style` when it can keep it (fm_edit.h). */
static int put_scalar(dc_buf *b, const char *s, dc_node_style style, dc_node_kind same)
{
	size_t n = strlen(s);
	int r;

	if (style == DC_STYLE_SINGLE && !has_escapes(s, n))
		return put_single(b, s, n);
	if (style == DC_STYLE_DOUBLE || has_escapes(s, n))
		return put_double(b, s, n);
	if ((r = plain_ok(s, n, same)) < 0)
		return -1;
	return r ? dc_buf_put(b, s, n) : put_double(b, s, n);
}

/* ---- places in the text ---- */

/*
 * Line breaks as YAML reads them in these files: "\r\n", "\n" or a lone
 * "\r". The offset of the break ending the line that holds `off`, or `limit`.
 */
static size_t line_break_at(const char *data, size_t off, size_t limit)
{
	while (off < limit && data[off] != '\n' && data[off] != '\r')
		off++;
	return off;
}

/* Offset just after the line break ending the line that holds `off`. */
static size_t line_after(const char *data, size_t off, size_t limit)
{
	off = line_break_at(data, off, limit);
	if (off < limit && data[off] == '\r' && off + 1 < limit && data[off + 1] == '\n')
		return off + 2;
	return off < limit ? off + 1 : limit;
}

static size_t line_start(const char *data, size_t off, size_t floor)
{
	while (off > floor && data[off - 1] != '\n' && data[off - 1] != '\r')
		off--;
	return off;
}

/* An empty value (`key:`, or `? key` without one): libyaml marks it at the
 * next token after an explicit key, which may be lines further on. */
static int empty(const dc_node *v)
{
	return v->kind == DC_NODE_NULL && !v->len && v->start.offset == v->end.offset;
}

/*
 * Offset just after the last character of a value. libyaml ends a block
 * collection at the next token and a block scalar after its trailing breaks,
 * so those come from the last leaf and the last non-blank byte.
 */
static size_t content_end(const char *data, const dc_node *v)
{
	size_t e;

	for (;;) {
		if (v->kind == DC_NODE_SEQ && v->style == DC_STYLE_BLOCK && v->u.seq.n)
			v = v->u.seq.items[v->u.seq.n - 1];
		else if (v->kind == DC_NODE_MAP && v->style == DC_STYLE_BLOCK && v->u.map.n)
			v = empty(v->u.map.pairs[v->u.map.n - 1].value) ? v->u.map.pairs[v->u.map.n - 1].key
									: v->u.map.pairs[v->u.map.n - 1].value;
		else
			break;
	}
	if (v->style != DC_STYLE_LITERAL && v->style != DC_STYLE_FOLDED)
		return v->end.offset;
	e = v->end.offset;
	while (e > v->start.offset + 1 && strchr(" \t\r\n", data[e - 1]))
		e--;
	return e;
}

void dc_fm_field_lines(const char *data, const dc_frontmatter *fm, const dc_pair *pair, size_t *from,
		       size_t *to)
{
	*from = line_start(data, pair->key->start.offset, fm->yaml_off);
	*to = line_after(data, content_end(data, empty(pair->value) ? pair->key : pair->value),
			 fm->yaml_off + fm->yaml_len);
}

/* The `:` after a key (only blanks between them): not an explicit `? key`. */
static int find_colon(size_t *out, const parsed *p, const char *path, const dc_pair *pair)
{
	size_t i;

	for (i = pair->key->end.offset; i < pair->value->start.offset; i++) {
		if (p->data[i] == ':') {
			*out = i;
			return 0;
		}
		if (p->data[i] != ' ' && p->data[i] != '\t')
			break;
	}
	return dc_error_set(_("cannot edit '%s': field \"%s\" is not written as \"key: value\""), path,
			    pair->key->text);
}

/* ---- the edit ---- */

typedef struct {
	size_t from, to;     /* bytes of the file replaced */
	dc_buf text;         /* by these */
} edit_span;

typedef struct {
	const char *str;     /* the new string, or NULL for an integer */
	long num;
	dc_node_kind same;   /* the old plain value's kind, kept when possible */
} wanted;

static int put_value(dc_buf *b, const wanted *w, dc_node_style style)
{
	if (!w->str)
		return dc_buf_printf(b, "%ld", w->num);
	return put_scalar(b, w->str, style, w->same);
}

/* The span that sets an existing field. */
static int set_existing(edit_span *s, const parsed *p, const char *path, const dc_pair *pair,
			wanted *w)
{
	const dc_node *v = pair->value;
	size_t yaml_end = p->fm.yaml_off + p->fm.yaml_len, colon = 0, eol, i, comment;

	if (find_colon(&colon, p, path, pair) < 0)
		return -1;
	if (v->kind != DC_NODE_SEQ && v->kind != DC_NODE_MAP && v->style == DC_STYLE_PLAIN &&
	    v->start.offset == v->end.offset) {
		/* `field:` with nothing after the colon */
		s->from = s->to = colon + 1;
		return dc_buf_putc(&s->text, ' ') < 0 || put_value(&s->text, w, DC_STYLE_PLAIN) < 0
			       ? -1
			       : 0;
	}
	if (v->style == DC_STYLE_PLAIN || v->style == DC_STYLE_SINGLE ||
	    v->style == DC_STYLE_DOUBLE || v->style == DC_STYLE_FLOW) {
		s->from = v->start.offset;
		s->to = v->end.offset;
		if (v->style == DC_STYLE_PLAIN)
			w->same = v->kind;
		if (put_value(&s->text, w, v->style == DC_STYLE_FLOW ? DC_STYLE_PLAIN : v->style) < 0)
			return -1;
		/* libyaml lets a comment touch a quoted or flow value (`'x'#c`), a plain
		 * one would take it in */
		return s->to < p->len && p->data[s->to] == '#' && s->text.ptr[0] != '"' &&
			       s->text.ptr[0] != '\''
			       ? dc_buf_putc(&s->text, ' ')
			       : 0;
	}
	/* a block collection or block scalar: from the colon to its last line */
	eol = line_break_at(p->data, colon, yaml_end);
	comment = eol;
	for (i = colon + 1; i < eol; i++)
		if (p->data[i] == '#' && (p->data[i - 1] == ' ' || p->data[i - 1] == '\t')) {
			comment = i;
			while (comment > colon + 1 &&
			       (p->data[comment - 1] == ' ' || p->data[comment - 1] == '\t'))
				comment--;
			break;
		}
	s->from = colon + 1;
	s->to = line_break_at(p->data, content_end(p->data, v), yaml_end);
	if (s->to < eol)
		s->to = eol;
	if (dc_buf_putc(&s->text, ' ') < 0 || put_value(&s->text, w, DC_STYLE_PLAIN) < 0)
		return -1;
	return comment < eol ? dc_buf_put(&s->text, p->data + comment, eol - comment) : 0;
}

/* The span that adds a missing field before the closing line. */
static int add_missing(edit_span *s, const parsed *p, const char *field, const wanted *w)
{
	size_t ls = 0, indent = 0, i;
	const char *eol = p->fm.yaml_off >= 2 && p->data[p->fm.yaml_off - 2] == '\r' ? "\r\n" : "\n";

	if (p->root->kind == DC_NODE_MAP && p->root->u.map.n) {
		size_t k = p->root->u.map.pairs[0].key->start.offset;

		ls = line_start(p->data, k, p->fm.yaml_off);
		indent = k - ls;
		for (i = ls; i < k; i++)
			if (p->data[i] != ' ')
				indent = 0;
	}
	s->from = s->to = p->fm.yaml_off + p->fm.yaml_len;
	if (dc_buf_put(&s->text, p->data + ls, indent) < 0 ||
	    put_scalar(&s->text, field, DC_STYLE_PLAIN, DC_NODE_STR) < 0 ||
	    dc_buf_puts(&s->text, ": ") < 0 || put_value(&s->text, w, DC_STYLE_PLAIN) < 0)
		return -1;
	return dc_buf_puts(&s->text, eol);
}

/*
 * Checks that `out` reads as `old` with `field` changed as asked (w, or
 * removed when w is NULL); 0 or -1 with dc_error set.
 */
static int verify(const parsed *old, const char *path, const char *field, const wanted *w,
		  const dc_buf *out)
{
	parsed now;
	const dc_node *v;
	size_t i, want_n = 0;
	int ok = 0;

	if (parse(&now, path, out->ptr, out->len) < 0) {
		parsed_dispose(&now);
		return dc_error_set(_("cannot edit '%s': changing field \"%s\" would break the "
				    "front-matter (unusual YAML around it); edit the file by hand"),
				    path, field);
	}
	v = dc_node_get(now.root, field);
	if (!w)
		ok = !v;
	else if (v && !w->str)
		ok = v->kind == DC_NODE_INT && v->u.i == w->num;
	else if (v)
		ok = (v->kind == DC_NODE_STR || v->kind == w->same) && v->len == strlen(w->str) &&
		     !memcmp(v->text, w->str, v->len);
	if (old->root->kind == DC_NODE_MAP) {
		for (i = 0; i < old->root->u.map.n; i++) {
			const dc_pair *pr = &old->root->u.map.pairs[i];

			if (!strcmp(pr->key->text, field))
				continue;
			want_n++;
			if (!dc_node_equal(pr->value, dc_node_get(now.root, pr->key->text)))
				ok = 0;
		}
	}
	if (w)
		want_n++;
	if (want_n != (now.root->kind == DC_NODE_MAP ? now.root->u.map.n : 0))
		ok = 0;
	parsed_dispose(&now);
	return ok ? 0
		  : dc_error_set(_("cannot edit '%s': field \"%s\" would not read back as "
				 "written (unusual YAML around it); edit the file by hand"),
				 path, field);
}

/* Sets (w) or removes (w NULL) `field`. */
static int edit(dc_buf *file, const char *path, const char *field, wanted *w)
{
	parsed p;
	edit_span s = { 0, 0, DC_BUF_INIT };
	dc_buf out = DC_BUF_INIT;
	const dc_pair *pair;
	int r = -1;

	if (dc_utf8_invalid_at(field, strlen(field)) < strlen(field) ||
	    (w && w->str && dc_utf8_invalid_at(w->str, strlen(w->str)) < strlen(w->str)))
		return dc_error_set(_("cannot edit '%s': the new text of field \"%s\" is not valid "
				    "UTF-8"),
				    path, field);
	if (parse(&p, path, file->ptr, file->len) < 0)
		goto cleanup;
	pair = dc_node_pair(p.root, field);
	if (!w && !pair) {
		r = 0;
		goto cleanup;
	}
	if (!w) {
		size_t colon;

		if (find_colon(&colon, &p, path, pair) < 0)
			goto cleanup;
		dc_fm_field_lines(p.data, &p.fm, pair, &s.from, &s.to);
		if (s.from && p.data[s.from - 1] == '\r' && s.to < p.len && p.data[s.to] == '\n') {
			/* a lone CR before and a LF after would become one CRLF break:
			 * a line of the file would go with the field */
			dc_error_set(_("cannot edit '%s': removing field \"%s\" would join two lines "
				     "(a lone carriage return ends the line before it); edit the file by hand"),
				     path, field);
			goto cleanup;
		}
	} else if (pair ? set_existing(&s, &p, path, pair, w) < 0
			: add_missing(&s, &p, field, w) < 0) {
		goto cleanup;
	}
	if (dc_buf_grow(&out, file->len - (s.to - s.from) + s.text.len) < 0 ||
	    dc_buf_put(&out, file->ptr, s.from) < 0 || dc_buf_put(&out, s.text.ptr, s.text.len) < 0 ||
	    dc_buf_put(&out, file->ptr + s.to, file->len - s.to) < 0)
		goto cleanup;
	if (verify(&p, path, field, w, &out) < 0)
		goto cleanup;
	dc_buf_dispose(file);
	*file = out;
	dc_buf_init(&out);
	r = 0;
cleanup:
	parsed_dispose(&p);
	dc_buf_dispose(&s.text);
	dc_buf_dispose(&out);
	return r;
}

int dc_fm_set(dc_buf *file, const char *path, const char *field, const char *value)
{
	wanted w = { value, 0, DC_NODE_STR };

	return edit(file, path, field, &w);
}

int dc_fm_set_int(dc_buf *file, const char *path, const char *field, long value)
{
	wanted w = { NULL, value, DC_NODE_INT };

	return edit(file, path, field, &w);
}

int dc_fm_remove(dc_buf *file, const char *path, const char *field)
{
	return edit(file, path, field, NULL);
}
