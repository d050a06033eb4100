/*
 * markdown.c - collects what the checks need from a document's body in one
 * md4c pass (see markdown.h): level-2 headings, links and images, the word
 * count, and the hits of the ambiguous-terms pattern.
 *
 * md4c reports no positions, but the text pointers it hands to the callbacks
 * point into the body for ordinary text; a pointer inside the body gives a
 * byte offset, turned into line:col by counting on from the previous mark
 * while marks come in order, else by a dc_lines table (made then). The text
 * of each block (paragraph, heading, tight list item, table cell) is gathered
 * into a scratch buffer with a map back to body offsets, so words and terms
 * split by emphasis or entities are still seen whole. Code spans break that
 * text; code blocks, HTML blocks and inline HTML are not text.
 *
 * Given the literal terms the pattern was made of, a cheap scan finds where
 * one of them may start (their first characters compared as PCRE2 compares
 * them caselessly), and PCRE2 runs only from there: most blocks hold no
 * candidate at all, and scanning every position with the pattern costs more
 * than all the rest of a document's checks.
 */
#include "markdown.h"

#include <limits.h>
#include <md4c.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "escape.h"
#include "i18n.h"
#include "text.h"

/* A piece of block text: text positions from `tpos` on map to body offset
 * `boff` (+ the distance from tpos when `direct`). */
typedef struct {
	size_t tpos;
	size_t boff;
	int direct;
} seg;

typedef struct {
	int image;
	int have_text;           /* a text callback was seen inside */
	MD_TEXTTYPE first_type;  /* the first text callback's type */
	const char *first;       /* its text and size */
	size_t first_len;
	int have_pos;            /* first_pos holds a text position in the body */
	size_t first_pos;
	size_t enter_pos;        /* the cursor when the span began */
} link_frame;

#define SETS 32 /* sets of second bytes; more first bytes share the last */

/* Where a term may start: its first two bytes (see prefilter_init()). */
typedef struct {
	unsigned char first[256]; /* a byte some term's occurrence may start with:
	                             its set of second bytes (from 1), else 0 */
	unsigned char second[SETS + 1][256]; /* nonzero: a second byte; set 0 is empty */
	size_t nsets;
} prefilter;

typedef struct {
	dc_md_link link;
	const char *href;        /* md4c's pointer to the destination in the body */
	size_t index;            /* order of appearance */
	int dup;                 /* the same definition as an earlier link */
} link_item;

typedef struct {
	const char *body;
	size_t len;
	dc_lines lines;
	int have_lines;          /* `lines` is made (only when needed) */
	int oom;                 /* making it ran out of memory */
	unsigned first_line;
	size_t offset;
	dc_arena *arena;
	dc_mark memo;            /* the last mark made, within the body */
	size_t memo_next;        /* where the line after memo's starts */

	const pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	const char *const *lits;  /* the literal terms of `re`, or NULL: no prefilter */
	size_t nlits;
	prefilter *pre;

	int code_block;          /* inside MD_BLOCK_CODE */
	int html_block;          /* inside MD_BLOCK_HTML */
	int code_span;           /* depth of MD_SPAN_CODE */
	size_t cursor;           /* end of the last text seen in the body */
	int seen;                /* cursor holds a real position */

	int in_h2;
	size_t open_h2;          /* 1 + the index of the level-2 heading whose
	                            section is being read; 0: none */
	int section_text;        /* text seen in that section */
	size_t empty_floor;      /* line index after the last empty heading */
	dc_buf htext;
	int hmark_set;
	size_t hmark;

	link_frame *frames;
	size_t nframes, capframes;

	dc_buf tb;               /* the current block's text */
	seg *segs;
	size_t nsegs, capsegs;

	dc_md_heading *heads;
	size_t nheads, capheads;
	link_item *links;
	size_t nlinks, caplinks;
	dc_md_term *terms;
	size_t nterms, capterms;
	dc_md_control controls[DC_MD_CONTROLS_MAX];
	size_t ncontrols;
	size_t words;
	int failed;              /* a callback failed (dc_error is set) */
} scan;

static int in_body(const scan *s, const char *p)
{
	return p >= s->body && p < s->body + s->len;
}

/*
 * The file mark of body offset `off`. Marks mostly come in increasing order,
 * so the column is counted on from the previous mark when it is on the same
 * line: a body that is one long line stays linear.
 */
static int ensure_lines(scan *s)
{
	if (!s->have_lines) {
		if (dc_lines_init(&s->lines, s->body, s->len) < 0) {
			s->oom = 1;
			return -1;
		}
		s->have_lines = 1;
	}
	return 0;
}

static dc_mark mark_at(scan *s, size_t off)
{
	dc_mark m;

	if (off > s->len)
		off = s->len;
	if (!s->have_lines && off >= s->memo.offset) {
		/* in order so far: count the lines from the previous mark */
		const char *p = s->body + s->memo.offset, *end = s->body + off, *nl, *start = NULL;

		m = s->memo;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			m.line++;
			p = start = nl + 1;
		}
		if (start)
			m.col = (unsigned)dc_utf8_count(start, (size_t)(end - start)) + 1;
		else
			m.col += (unsigned)dc_utf8_count(s->body + m.offset, off - m.offset);
		m.offset = off;
	} else if (ensure_lines(s) < 0) {
		m = s->memo; /* out of memory: a position is only a position */
	} else if (s->memo.line && off >= s->memo.offset && off < s->memo_next) {
		m = s->memo;
		m.col += (unsigned)dc_utf8_count(s->body + m.offset, off - m.offset);
		m.offset = off;
	} else {
		m = dc_lines_mark(&s->lines, off);
		s->memo_next = m.line < s->lines.n ? s->lines.starts[m.line] : SIZE_MAX;
	}
	s->memo = m;
	m.line += s->first_line - 1;
	m.offset += s->offset;
	return m;
}

/* ---- characters ---- */

static size_t utf8_put(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE },
	{ "trade", 0x2122 }, { "hellip", 0x2026 }, { "mdash", 0x2014 },
	{ "ndash", 0x2013 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "ldquo", 0x201C }, { "rdquo", 0x201D }, { "middot", 0xB7 },
	{ "times", 0xD7 }, { "divide", 0xF7 }, { "deg", 0xB0 },
	{ "plusmn", 0xB1 }, { "sect", 0xA7 }, { "para", 0xB6 },
	{ "laquo", 0xAB }, { "raquo", 0xBB }, { "bull", 0x2022 },
	{ "euro", 0x20AC }, { "yen", 0xA5 }, { "pound", 0xA3 }, { "cent", 0xA2 },
};

/* Decodes an entity as md4c reports it ("&amp;", "&#20013;", "&#x4E2D;")
 * into out (at least 4 bytes); 0 when it is a name not in the table. */
static size_t entity_decode(const char *e, size_t n, char *out)
{
	unsigned long cp = 0;
	size_t i;

	if (n < 3 || e[0] != '&' || e[n - 1] != ';')
		return 0;
	if (e[1] == '#') {
		int hex = n > 3 && (e[2] == 'x' || e[2] == 'X');

		for (i = hex ? 3 : 2; i < n - 1; i++) {
			unsigned char c = (unsigned char)e[i];
			int d = hex ? dc_hex_digit(c) : c >= '0' && c <= '9' ? c - '0' : -1;

			if (d < 0)
				return 0;
			cp = cp * (hex ? 16 : 10) + (unsigned)d;
			if (cp > 0x10FFFF)
				cp = 0x110000;
		}
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		return utf8_put(out, (unsigned)cp);
	}
	for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
		if (strlen(entities[i].name) == n - 2 && !memcmp(entities[i].name, e + 1, n - 2))
			return utf8_put(out, entities[i].cp);
	return 0;
}

/* A block of code points, first to last. */
typedef struct {
	unsigned first, last;
} cp_range;

#define NRANGES(t) (sizeof(t) / sizeof((t)[0]))

static int in_ranges(unsigned c, const cp_range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c >= r[i].first && c <= r[i].last)
			return 1;
	return 0;
}

/* Han, kana, Hangul: each one a word (their punctuation is not). */
static const cp_range cjk[] = {
	{ 0x4E00, 0x9FFF }, { 0x3400, 0x4DBF }, { 0x3041, 0x3096 }, { 0x309D, 0x309F },
	{ 0x30A1, 0x30FA }, { 0x30FC, 0x30FF }, { 0xAC00, 0xD7FF }, { 0x1100, 0x11FF },
	{ 0x3131, 0x318E }, { 0x31F0, 0x31FF }, { 0x3005, 0x3007 }, { 0x3021, 0x3029 },
	{ 0xA960, 0xA97F }, { 0xF900, 0xFAFF }, { 0xFF66, 0xFFDC }, { 0x1B000, 0x1B16F },
	{ 0x20000, 0x3134F },
};

static int is_cjk(unsigned c)
{
	return in_ranges(c, cjk, NRANGES(cjk));
}

/* Outside ASCII and Latin-1: space, punctuation and symbols, not words. */
static const cp_range not_word[] = {
	{ 0x2000, 0x2BFF }, { 0x2E00, 0x303F }, { 0x3200, 0x33FF }, { 0xD800, 0xF8FF },
	{ 0xFE00, 0xFE6F }, { 0xFEFF, 0xFEFF }, { 0xFF00, 0xFF0F }, { 0xFF1A, 0xFF20 },
	{ 0xFF3B, 0xFF40 }, { 0xFF5B, 0xFF65 }, { 0xFFF0, 0xFFFF }, { 0x1F000, 0x1FAFF },
	{ 0xE0000, 0xFFFFFFFF },
};

/* Letters, digits and marks outside CJK: what is not space, punctuation or
 * a symbol. An approximation by blocks, good enough for a word count. */
static int is_wordchar(unsigned c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
	if (c < 0xC0)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if (c == 0xD7 || c == 0xF7)
		return 0;
	return !in_ranges(c, not_word, NRANGES(not_word));
}

static int candidate_at(const scan *s, const unsigned char *p, size_t i, size_t n);

/* Counts the words of a run of text; and, with a prefilter, finds the
 * first place a term may start (*cand, else n) in the same pass. */
static size_t count_words(const scan *s, const char *t, size_t n, size_t *cand)
{
	static const unsigned char none[256];
	const unsigned char *first = s->lits ? s->pre->first : none, *u = (const unsigned char *)t;
	const unsigned char *second = s->lits ? &s->pre->second[0][0] : none; /* [set][byte] */
	size_t i = 0, words = 0;
	int in_word = 0;

	*cand = n;
	while (i < n) {
		unsigned char b = u[i];
		unsigned cp;
		size_t k;

		/* without a branch until the first two bytes fit a term
		 * (t is NUL-terminated: t[n] can be read) */
		if (second[(size_t)first[b] << 8 | u[i + 1]] && candidate_at(s, u, i, n)) {
			*cand = i;
			first = none; /* one is enough: match_terms() goes on */
		}
		if (b < 0x80) {
			int w = (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');

			if (w && !in_word)
				words++;
			in_word = w;
			i++;
			continue;
		}
		if ((b & 0xF0) == 0xE0 && n - i >= 3) {
			/* the common case: BMP CJK, decoded inline */
			cp = ((b & 0x0Fu) << 12) | (((unsigned char)t[i + 1] & 0x3Fu) << 6) |
			     ((unsigned char)t[i + 2] & 0x3Fu);
			k = 3;
			if (cp >= 0x4E00 && cp <= 0x9FFF) {
				/* a Han character: a word of its own (is_cjk) */
				words++;
				in_word = 0;
				i += 3;
				continue;
			}
		} else {
			cp = dc_utf8_decode(t + i, n - i, &k);
		}
		i += k;
		if (is_cjk(cp)) {
			words++;
			in_word = 0;
		} else if (is_wordchar(cp)) {
			if (!in_word)
				words++;
			in_word = 1;
		} else {
			in_word = 0;
		}
	}
	return words;
}

/* ---- block text ---- */

static int tb_add(scan *s, const char *text, size_t n, size_t boff, int direct)
{
	if (!n)
		return 0;
	if (s->nsegs) {
		const seg *last = &s->segs[s->nsegs - 1];

		if (direct && last->direct && last->boff + (s->tb.len - last->tpos) == boff)
			return dc_buf_put(&s->tb, text, n);
	}
	if (dc_array_grow(&s->segs, &s->capsegs, s->nsegs, sizeof(seg)) < 0)
		return -1;
	s->segs[s->nsegs].tpos = s->tb.len;
	s->segs[s->nsegs].boff = boff;
	s->segs[s->nsegs].direct = direct;
	s->nsegs++;
	return dc_buf_put(&s->tb, text, n);
}

static size_t tb_offset(const scan *s, size_t tpos)
{
	size_t lo = 0, hi = s->nsegs;
	const seg *g;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (s->segs[mid].tpos <= tpos)
			lo = mid;
		else
			hi = mid;
	}
	g = &s->segs[lo];
	return g->direct ? g->boff + (tpos - g->tpos) : g->boff;
}

static int add_term(scan *s, size_t start, size_t end)
{
	dc_md_term *t;

	if (dc_array_grow(&s->terms, &s->capterms, s->nterms, sizeof(*t)) < 0)
		return -1;
	t = &s->terms[s->nterms];
	t->term = dc_arena_strndup(s->arena, s->tb.ptr + start, end - start);
	if (!t->term)
		return -1;
	t->mark = mark_at(s, tb_offset(s, start));
	s->nterms++;
	return 0;
}

/* ---- where a term may start ---- */

/* Characters that PCRE2 matches caselessly only to themselves, outside
 * ASCII: CJK ideographs, kana, Hangul, CJK and general punctuation,
 * fullwidth digits and punctuation. A term with any other non-ASCII
 * character gets no prefilter. */
static const cp_range caseless_invariant_cps[] = {
	{ 0x2000, 0x206F }, { 0x3000, 0x30FF }, { 0x3130, 0x318F }, { 0x31F0, 0x31FF },
	{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
	{ 0xFE30, 0xFE4F }, { 0xFF01, 0xFF20 }, { 0xFF3B, 0xFF40 }, { 0xFF5B, 0xFF9F },
	{ 0x20000, 0x3134F },
};

static int caseless_invariant(unsigned c)
{
	return in_ranges(c, caseless_invariant_cps, NRANGES(caseless_invariant_cps));
}

/* The bytes an ASCII character of a term may appear as in a caseless
 * match: itself, its other case, and for k and s the non-ASCII characters
 * PCRE2 folds with them (U+212A KELVIN SIGN, U+017F LATIN SMALL LETTER
 * LONG S). Returns how many bytes of `p` (`n` left) match `c`, or 0. */
static size_t ascii_match(unsigned char c, const unsigned char *p, size_t n)
{
	unsigned char lc = (unsigned char)(c | 0x20);
	int letter = lc >= 'a' && lc <= 'z';

	if (!n)
		return 0;
	if (p[0] == c || (letter && (p[0] | 0x20) == lc))
		return 1;
	if (letter && lc == 'k' && n >= 3 && p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xAA)
		return 3;
	if (letter && lc == 's' && n >= 2 && p[0] == 0xC5 && p[1] == 0xBF)
		return 2;
	return 0;
}

/* Nonzero when a caseless occurrence of term `t` may start at `p`: its
 * first characters (up to 8) match. */
static int may_start(const unsigned char *p, size_t n, const char *term)
{
	const unsigned char *t = (const unsigned char *)term;
	size_t k, chars;

	for (chars = 0; *t && chars < 8; chars++) {
		if (*t < 0x80) {
			if (!(k = ascii_match(*t, p, n)))
				return 0;
			p += k;
			n -= k;
			t++;
			continue;
		}
		k = *t >= 0xF0 ? 4 : *t >= 0xE0 ? 3 : 2;
		if (n < k)
			return 0;
		for (; k; k--, n--)
			if (*p++ != *t++)
				return 0;
	}
	return 1;
}

/* Notes that an occurrence may start with bytes `b0` `b1` (b1 -1: any). */
static void note_start(prefilter *s, unsigned char b0, int b1)
{
	unsigned char *set;

	if (!s->first[b0]) {
		if (s->nsets < SETS)
			memset(s->second[++s->nsets], 0, 256);
		s->first[b0] = (unsigned char)s->nsets;
	}
	set = s->second[s->first[b0]];
	if (b1 < 0 || s->first[b0] == SETS)
		memset(set, 1, 256); /* the shared last set takes anything */
	else
		set[b1] = 1;
}

/* The bytes a caseless occurrence of ASCII `c` may start with. */
static size_t ascii_firsts(unsigned char c, unsigned char out[4])
{
	unsigned char lc = (unsigned char)(c | 0x20);
	size_t n = 0;

	out[n++] = c;
	if (lc >= 'a' && lc <= 'z') {
		out[n++] = c == lc ? (unsigned char)(lc - 0x20) : lc;
		if (lc == 'k')
			out[n++] = 0xE2;
		if (lc == 's')
			out[n++] = 0xC5;
	}
	return n;
}

/* Sets up the prefilter when every term is made of characters it knows. */
static void prefilter_init(scan *sc, prefilter *s, const char *const *lits, size_t nlits)
{
	size_t i, j, k, a, b, na, nb;
	unsigned char fa[4], fb[4];

	for (i = 0; i < nlits; i++) {
		const char *t = lits[i];
		size_t len = strlen(t);

		if (!len || dc_utf8_invalid_at(t, len) != len)
			return;
		for (j = 0; j < len; j += k) {
			unsigned cp = dc_utf8_decode(t + j, len - j, &k);

			if (cp >= 0x80 && !caseless_invariant(cp))
				return;
		}
	}
	memset(s->first, 0, sizeof(s->first));
	memset(s->second[0], 0, 256);
	s->nsets = 0;
	for (i = 0; i < nlits; i++) {
		const unsigned char *t = (const unsigned char *)lits[i];

		if (t[0] >= 0x80) {
			note_start(s, t[0], t[1]); /* a character of two or more bytes */
			continue;
		}
		na = ascii_firsts(t[0], fa);
		for (a = 0; a < na; a++) {
			if (fa[a] == 0xE2) {
				note_start(s, 0xE2, 0x84); /* KELVIN SIGN */
				continue;
			}
			if (fa[a] == 0xC5) {
				note_start(s, 0xC5, 0xBF); /* LONG S */
				continue;
			}
			if (!t[1]) {
				note_start(s, fa[a], -1);
				continue;
			}
			nb = t[1] < 0x80 ? ascii_firsts(t[1], fb) : (fb[0] = t[1], 1);
			for (b = 0; b < nb; b++)
				note_start(s, fa[a], fb[b]);
		}
	}
	sc->pre = s;
	sc->lits = lits;
	sc->nlits = nlits;
}

/* Nonzero when some term may start at p[i]. The text is NUL-terminated
 * (p[n] is 0, which no term's second byte is). */
static int candidate_at(const scan *s, const unsigned char *p, size_t i, size_t n)
{
	size_t k;

	if (!s->pre->second[s->pre->first[p[i]]][p[i + 1]])
		return 0;
	for (k = 0; k < s->nlits; k++)
		if (may_start(p + i, n - i, s->lits[k]))
			return 1;
	return 0;
}

/* The first position from `i` where some term may start, or `n`. It
 * steps a character at a time, as valid UTF-8 is (text that is not is
 * never searched: match_terms()). */
static size_t next_candidate(const scan *s, const unsigned char *p, size_t i, size_t n)
{
	for (; i < n; i += p[i] < 0xC0 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4)
		if (candidate_at(s, p, i, n))
			return i;
	return n;
}

/* Finds the terms in the current run of text; `cand` is where the first
 * may start (with a prefilter). */
static int match_terms(scan *s, size_t cand)
{
	const char *subj = s->tb.ptr;
	size_t n = s->tb.len, start = 0;
	uint32_t opts;

	if (s->lits) {
		/* no candidate, no match; else the match PCRE2 finds from the
		 * first candidate is the one it would find from the start */
		start = cand;
		if (start >= n)
			return 0;
	}
	opts = dc_utf8_invalid_at(subj, n) == n ? PCRE2_NO_UTF_CHECK : 0;
	if (!opts)
		return 0; /* PCRE2 would refuse the text */
	if (!s->md) {
		s->md = pcre2_match_data_create_from_pattern(s->re, NULL);
		s->mctx = pcre2_match_context_create(NULL);
		if (!s->md || !s->mctx)
			return dc_error_oom();
		pcre2_set_match_limit(s->mctx, 1000000);
		pcre2_set_depth_limit(s->mctx, 10000);
	}

	while (start <= n) {
		PCRE2_SIZE *ov;
		size_t a, b;
		int rc = pcre2_match(s->re, (PCRE2_SPTR)subj, n, start, opts, s->md, s->mctx);

		if (rc < 0)
			break; /* no match, a limit hit, or text the pattern cannot take */
		ov = pcre2_get_ovector_pointer(s->md);
		a = ov[0];
		b = ov[1] > ov[0] ? ov[1] : ov[0];
		if (b > a) {
			if (add_term(s, a, b) < 0)
				return -1;
			start = b;
		} else {
			if (a >= n)
				break;
			start = a + 1;
			while (start < n && ((unsigned char)subj[start] & 0xC0) == 0x80)
				start++;
		}
		if (s->lits && (start = next_candidate(s, (const unsigned char *)subj, start, n)) >= n)
			break;
	}
	return 0;
}

/* Ends the current run of text: counts its words and finds its terms. */
static int flush(scan *s)
{
	int error = 0;

	if (s->tb.len) {
		size_t cand;

		s->words += count_words(s, s->tb.ptr, s->tb.len, &cand);
		if (s->re)
			error = match_terms(s, cand);
	}
	dc_buf_clear(&s->tb);
	s->nsegs = 0;
	return error;
}

/* ---- md4c callbacks ---- */

/* The level-2 section being read ends: was there text in it? */
static void close_section(scan *s)
{
	if (s->open_h2)
		s->heads[s->open_h2 - 1].empty = !s->section_text;
	s->open_h2 = 0;
}

static int enter_block_(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	scan *s = userdata;

	if (flush(s) < 0)
		return -1;
	if (type == MD_BLOCK_CODE)
		s->code_block++;
	else if (type == MD_BLOCK_HTML)
		s->html_block++;
	else if (type == MD_BLOCK_H && ((MD_BLOCK_H_DETAIL *)detail)->level <= 2)
		close_section(s);
	if (type == MD_BLOCK_H && ((MD_BLOCK_H_DETAIL *)detail)->level == 2) {
		s->in_h2 = 1;
		s->hmark_set = 0;
		dc_buf_clear(&s->htext);
	}
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int line_is_blank(const scan *s, size_t line)
{
	size_t i, end = line + 1 < s->lines.n ? s->lines.starts[line + 1] : s->len;

	for (i = s->lines.starts[line]; i < end; i++)
		if (!is_space(s->body[i]))
			return 0;
	return 1;
}

/* Where a heading without text is (md4c gives no position for it): the
 * first line that is not blank after the last text or empty heading seen. */
static size_t empty_heading_pos(scan *s)
{
	size_t line = 0;

	if (ensure_lines(s) < 0)
		return s->len;
	if (s->seen)
		line = dc_lines_mark(&s->lines, s->cursor).line; /* the next line's index */
	if (line < s->empty_floor)
		line = s->empty_floor;
	if (line >= s->lines.n)
		return s->len;
	while (line + 1 < s->lines.n && line_is_blank(s, line))
		line++;
	s->empty_floor = line + 1;
	return s->lines.starts[line];
}

static int leave_heading(scan *s)
{
	const char *t = s->htext.ptr;
	size_t n = s->htext.len;
	dc_md_heading *h;

	s->in_h2 = 0;
	while (n && is_space(*t))
		t++, n--;
	while (n && is_space(t[n - 1]))
		n--;
	if (dc_array_grow(&s->heads, &s->capheads, s->nheads, sizeof(*h)) < 0)
		return -1;
	h = &s->heads[s->nheads];
	h->text = dc_arena_strndup(s->arena, t, n);
	if (!h->text)
		return -1;
	h->mark = mark_at(s, s->hmark_set ? s->hmark : empty_heading_pos(s));
	h->empty = 0;
	s->nheads++;
	s->open_h2 = s->nheads;
	s->section_text = 0;
	return 0;
}

static int leave_block_(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	scan *s = userdata;

	if (flush(s) < 0)
		return -1;
	if (type == MD_BLOCK_CODE)
		s->code_block--;
	else if (type == MD_BLOCK_HTML)
		s->html_block--;
	else if (type == MD_BLOCK_H && ((MD_BLOCK_H_DETAIL *)detail)->level == 2 && s->in_h2)
		return leave_heading(s);
	return 0;
}

static int enter_span_(MD_SPANTYPE type, void *detail, void *userdata)
{
	scan *s = userdata;
	link_frame *f;

	(void)detail;
	if (type == MD_SPAN_CODE) {
		s->code_span++;
		return flush(s);
	}
	if (type != MD_SPAN_A && type != MD_SPAN_IMG)
		return 0;
	if (dc_array_grow(&s->frames, &s->capframes, s->nframes, sizeof(*f)) < 0)
		return -1;
	f = &s->frames[s->nframes++];
	memset(f, 0, sizeof(*f));
	f->image = type == MD_SPAN_IMG;
	f->enter_pos = s->seen ? s->cursor : 0;
	return 0;
}

/* An autolink (<https://x>, <a@b.c>): its only text is the destination
 * itself (without "mailto:"), written between '<' and '>'. */
static int is_autolink(const scan *s, const link_frame *f, const MD_ATTRIBUTE *href)
{
	const char *t = f->first;
	size_t n = f->first_len;

	if (f->image || !f->have_text || f->first_type != MD_TEXT_NORMAL || !in_body(s, t))
		return 0;
	if (t == s->body || t[-1] != '<' || (size_t)(t - s->body) + n >= s->len || t[n] != '>')
		return 0;
	if (href->size == n && !memcmp(href->text, t, n))
		return 1;
	return href->size == n + 7 && !memcmp(href->text, "mailto:", 7) &&
	       !memcmp(href->text + 7, t, n);
}

/* The destination with its entities decoded (md4c already dropped escapes). */
static char *dest_string(scan *s, const MD_ATTRIBUTE *a)
{
	char *out, *p;
	unsigned i;

	p = out = dc_arena_alloc(s->arena, (size_t)a->size + 1);
	if (!out)
		return NULL;
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *t = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i], k = 0;

		if (a->substr_types[i] == MD_TEXT_ENTITY)
			k = entity_decode(t, n, p);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR && n >= 3)
			k = utf8_put(p, 0xFFFD);
		if (!k) {
			memcpy(p, t, n);
			k = n;
		}
		p += k;
	}
	*p = '\0';
	return out;
}

static int leave_span_(MD_SPANTYPE type, void *detail, void *userdata)
{
	scan *s = userdata;
	const MD_SPAN_A_DETAIL *a = detail; /* MD_SPAN_IMG_DETAIL has the same layout */
	link_frame f;
	link_item *it;
	size_t pos;

	if (type == MD_SPAN_CODE) {
		s->code_span--;
		return 0;
	}
	if ((type != MD_SPAN_A && type != MD_SPAN_IMG) || !s->nframes)
		return 0;
	f = s->frames[--s->nframes];
	if (in_body(s, a->href.text)) {
		pos = (size_t)(a->href.text - s->body);
	} else {
		pos = f.have_pos ? f.first_pos : f.enter_pos;
	}
	if (dc_array_grow(&s->links, &s->caplinks, s->nlinks, sizeof(*it)) < 0)
		return -1;
	it = &s->links[s->nlinks];
	it->href = in_body(s, a->href.text) ? a->href.text : NULL;
	it->index = s->nlinks;
	it->dup = 0;
	it->link.image = f.image;
	it->link.autolink = is_autolink(s, &f, &a->href);
	it->link.mark = mark_at(s, pos);
	it->link.dest = dest_string(s, &a->href);
	if (!it->link.dest)
		return -1;
	s->nlinks++;
	return 0;
}

/* Gives the open links their first text. A frame that has it was opened
 * before any frame above it lacking it, so only the top of the stack needs
 * a look. */
static void note_link_text(scan *s, MD_TEXTTYPE type, const char *text, size_t n)
{
	size_t i = s->nframes;
	int here = in_body(s, text);

	while (i--) {
		link_frame *f = &s->frames[i];

		if (f->have_text && (f->have_pos || !here))
			break;
		if (!f->have_text) {
			f->have_text = 1;
			f->first_type = type;
			f->first = text;
			f->first_len = n;
		}
		if (!f->have_pos && here) {
			f->have_pos = 1;
			f->first_pos = (size_t)(text - s->body);
		}
	}
}

static void add_control(scan *s, unsigned cp, size_t off)
{
	if (s->ncontrols < DC_MD_CONTROLS_MAX) {
		s->controls[s->ncontrols].cp = cp;
		s->controls[s->ncontrols].mark = mark_at(s, off);
	}
	s->ncontrols++;
}

/* Control characters in text outside code (md4c passes no CR: lone ones
 * are found after the parse). */
static void note_controls(scan *s, const char *t, size_t n)
{
	size_t i = 0, k;
	unsigned cp;

	while (i < n) {
		unsigned char c = (unsigned char)t[i];

		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		if (!(k = dc_utf8_next(t + i, n - i, &cp))) {
			i++; /* not UTF-8: encoding.utf8 says so */
			continue;
		}
		if (dc_is_control(cp) && cp != '\r')
			add_control(s, cp, (size_t)(t + i - s->body));
		i += k;
	}
}

static int text_(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	scan *s = userdata;
	int here = in_body(s, text);
	size_t off = here ? (size_t)(text - s->body) : s->cursor;
	char dec[8];
	const char *t = text;
	size_t n = size;

	if (here) {
		s->cursor = off + size;
		s->seen = 1;
		if (!s->code_block && !s->code_span && type != MD_TEXT_CODE)
			note_controls(s, text, size);
	}
	if (!s->in_h2 && !s->section_text && type != MD_TEXT_HTML) {
		size_t i;

		for (i = 0; i < size && !s->section_text; i++)
			s->section_text = !is_space(text[i]);
	}
	if (s->code_block || s->html_block || type == MD_TEXT_HTML || type == MD_TEXT_LATEXMATH)
		return 0;
	note_link_text(s, type, text, size);
	if (s->in_h2 && !s->hmark_set && here) {
		s->hmark_set = 1;
		s->hmark = off;
	}

	switch (type) {
	case MD_TEXT_ENTITY:
		n = entity_decode(text, size, dec);
		if (n)
			t = dec;
		else
			n = size;
		break;
	case MD_TEXT_NULLCHAR:
		n = utf8_put(dec, 0xFFFD);
		t = dec;
		break;
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR:
		t = " ";
		n = 1;
		break;
	default:
		break;
	}
	if (s->in_h2 && dc_buf_put(&s->htext, t, n) < 0)
		return -1;
	if (type == MD_TEXT_CODE || s->code_span)
		return 0;
	return tb_add(s, t, n, off, here && t == text);
}

/* md4c stops at a callback's nonzero return; remember that it was ours */
#define CALLBACK(name, T) \
	static int name(T type, void *detail, void *userdata) \
	{ \
		int rc = name##_(type, detail, userdata); \
		if (rc) \
			((scan *)userdata)->failed = 1; \
		return rc; \
	}
CALLBACK(enter_block, MD_BLOCKTYPE)
CALLBACK(leave_block, MD_BLOCKTYPE)
CALLBACK(enter_span, MD_SPANTYPE)
CALLBACK(leave_span, MD_SPANTYPE)

static int text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *userdata)
{
	int rc = text_(type, text, size, userdata);

	if (rc)
		((scan *)userdata)->failed = 1;
	return rc;
}

/* ---- the scan ---- */

static int by_href(const void *pa, const void *pb)
{
	const link_item *a = pa, *b = pb;

	if (a->href != b->href)
		return (uintptr_t)a->href < (uintptr_t)b->href ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int by_index(const void *pa, const void *pb)
{
	const link_item *a = pa, *b = pb;

	return a->index < b->index ? -1 : a->index > b->index;
}

/* Reference links that use one definition share its destination and its
 * mark: they are one link. */
static void drop_shared_definitions(scan *s)
{
	size_t i;

	if (!s->nlinks)
		return;
	qsort(s->links, s->nlinks, sizeof(link_item), by_href);
	for (i = 1; i < s->nlinks; i++)
		if (s->links[i].href && s->links[i].href == s->links[i - 1].href)
			s->links[i].dup = 1;
	qsort(s->links, s->nlinks, sizeof(link_item), by_index);
}

static int copy_out(dc_md_facts *out, scan *s)
{
	size_t i;

	if (s->nheads) {
		out->headings = dc_arena_alloc(s->arena, s->nheads * sizeof(dc_md_heading));
		if (!out->headings)
			return -1;
		memcpy(out->headings, s->heads, s->nheads * sizeof(dc_md_heading));
		out->nheadings = s->nheads;
	}
	if (s->nlinks) {
		drop_shared_definitions(s);
		out->links = dc_arena_alloc(s->arena, s->nlinks * sizeof(dc_md_link));
		if (!out->links)
			return -1;
		for (i = 0; i < s->nlinks; i++)
			if (!s->links[i].dup)
				out->links[out->nlinks++] = s->links[i].link;
	}
	if (s->nterms) {
		out->terms = dc_arena_alloc(s->arena, s->nterms * sizeof(dc_md_term));
		if (!out->terms)
			return -1;
		memcpy(out->terms, s->terms, s->nterms * sizeof(dc_md_term));
		out->nterms = s->nterms;
	}
	return 0;
}

static int is_blank(const char *body, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_space(body[i]))
			return 0;
	return 1;
}

#define PAD 16

int dc_markdown_scan(dc_md_facts *out, dc_arena *arena, const char *body, size_t len,
		     unsigned first_line, size_t offset, const pcre2_code *terms)
{
	return dc_markdown_scan_terms(out, arena, body, len, first_line, offset, terms, NULL, 0);
}

/*
 * md4c 0.4.8 reads a byte past the end of a document that does not end in
 * a newline (md_is_inline_link_spec): a copy of the body that does, with
 * zeros after it, *parse_len its length to parse. Offsets into the copy
 * are offsets into the body. NULL when out of memory.
 */
static char *padded_copy(const char *body, size_t len, size_t *parse_len)
{
	char *copy = malloc(len + PAD);

	if (!copy)
		return NULL;
	memcpy(copy, body, len);
	memset(copy + len, 0, PAD);
	*parse_len = len;
	if (!len || body[len - 1] != '\n')
		copy[(*parse_len)++] = '\n';
	return copy;
}

/* Runs md4c over the body with the callbacks that fill in `s`. */
static int parse(scan *s, const char *body, size_t parse_len)
{
	MD_PARSER parser;

	memset(&parser, 0, sizeof(parser));
	parser.flags = MD_DIALECT_COMMONMARK | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;
	parser.enter_block = enter_block;
	parser.leave_block = leave_block;
	parser.enter_span = enter_span;
	parser.leave_span = leave_span;
	parser.text = text_cb;
	if (md_parse(body, (MD_SIZE)parse_len, &parser, s) == 0)
		return 0;
	if (!s->failed)
		dc_error_set(_("the markdown parser failed"));
	return -1;
}

/* The facts md4c does not report: a CR that ends no CRLF (a line break to
 * md4c, an overwrite to a terminal), the words, whether the body is blank,
 * and where it ends. */
static void finish_facts(dc_md_facts *out, scan *s, const char *body, size_t len)
{
	const char *cr;
	size_t end;

	for (end = 0; end < len && (cr = memchr(body + end, '\r', len - end)); end = (size_t)(cr - body) + 1)
		if ((size_t)(cr - body) + 1 >= len || cr[1] != '\n')
			add_control(s, '\r', (size_t)(cr - body));
	memcpy(out->controls, s->controls, sizeof(s->controls));
	out->ncontrols = s->ncontrols;

	out->words = s->words;
	out->blank = is_blank(body, len);
	end = len;
	if (end && body[end - 1] == '\n') {
		end--;
		if (end && body[end - 1] == '\r')
			end--;
	}
	out->end = mark_at(s, end);
}

static void scan_dispose(scan *s)
{
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	if (s->have_lines)
		dc_lines_dispose(&s->lines);
	dc_buf_dispose(&s->htext);
	dc_buf_dispose(&s->tb);
	free(s->frames);
	free(s->segs);
	free(s->heads);
	free(s->links);
	free(s->terms);
}

int dc_markdown_scan_terms(dc_md_facts *out, dc_arena *arena, const char *body, size_t len,
			   unsigned first_line, size_t offset, const pcre2_code *terms,
			   const char *const *literals, size_t nliterals)
{
	prefilter pre; /* set up only with literals */
	scan s;
	char *copy = NULL;
	size_t parse_len;
	int error = -1;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	dc_buf_init(&s.htext);
	dc_buf_init(&s.tb);
	if (!body)
		body = "";
	if (len > UINT_MAX - PAD)
		return dc_error_set(_("body too large for the markdown parser"));
	if (!(copy = padded_copy(body, len, &parse_len)))
		return dc_error_oom();
	body = copy;
	s.body = body;
	s.len = len;
	s.first_line = first_line ? first_line : 1;
	s.offset = offset;
	s.arena = arena;
	s.memo.line = 1; /* marks count on from the start of the body */
	s.memo.col = 1;
	if (terms) {
		s.re = terms;
		/* the match data and limits are made when first needed */
		if (literals && nliterals)
			prefilter_init(&s, &pre, literals, nliterals);
	}
	if (parse(&s, body, parse_len) < 0)
		goto cleanup;
	close_section(&s);
	if (flush(&s) < 0 || copy_out(out, &s) < 0)
		goto cleanup;
	finish_facts(out, &s, body, len);
	if (s.oom) {
		dc_error_oom();
		goto cleanup;
	}
	error = 0;

cleanup:
	if (error < 0)
		memset(out, 0, sizeof(*out));
	scan_dispose(&s);
	free(copy);
	return error;
}
