/*
 * markdown.h - what the checks need from a document's body, found by md4c,
 * a CommonMark parser (reference §4.4). Nothing here scans for '#' by hand.
 *
 * Collected in one pass: level-2 headings (their plain text), links and
 * images (inline and reference-style that are used; autolinks are left out,
 * links with a scheme are kept for the caller to skip; unused reference
 * definitions are not links),
 * the word count for max_words (a CJK character is a word, so is a run of
 * other letters/digits), and hits of the policy's ambiguous terms. Code blocks
 * and code spans hold no headings, links, words or terms. HTML blocks are not
 * text.
 *
 * Marks are file positions: `first_line` and `offset` say where the body
 * starts in the file; lines and code-point columns are computed from the
 * position md4c's text pointers have in the body.
 */
#ifndef DC_MARKDOWN_H
#define DC_MARKDOWN_H

#include <pcre2.h>
#include <stddef.h>

#include "arena.h"
#include "node.h"

typedef struct {
	const char *text; /* the heading's plain text, inline markup removed */
	dc_mark mark;     /* where the heading's text starts */
	int empty;        /* no text follows before the next heading of level
	                     1 or 2, or the end (subheadings are text) */
} dc_md_heading;

typedef struct {
	const char *dest; /* destination, escapes and entities decoded (no
	                     percent-decoding) */
	dc_mark mark;     /* where the destination starts (for a reference link
	                     its definition, reported once however often used),
	                     else where the link text starts */
	int image;
	int autolink;     /* <scheme:...> or <a@b.c>: only its scheme matters */
} dc_md_link;

/* A control character in the text (escape.h's dc_is_control): outside code
 * blocks and spans, or a CR that ends no CRLF anywhere in the body. */
typedef struct {
	unsigned cp;
	dc_mark mark;
} dc_md_control;
#define DC_MD_CONTROLS_MAX 16

typedef struct {
	const char *term; /* the text that matched */
	dc_mark mark;
} dc_md_term;

typedef struct {
	dc_md_heading *headings; /* level 2 only, in order */
	size_t nheadings;
	dc_md_link *links;
	size_t nlinks;
	dc_md_term *terms;
	size_t nterms;
	dc_md_control controls[DC_MD_CONTROLS_MAX]; /* the first ones, in order */
	size_t ncontrols;        /* how many in all (more than are kept) */
	size_t words;
	int blank;               /* only whitespace (or nothing) in the body */
	dc_mark end;             /* the end of the body (of its last line when
	                            the body ends in a line break) */
} dc_md_facts;

/*
 * Scans `body` (`len` bytes; the body of a file whose first body line is
 * `first_line` and first body byte is `offset`). `terms` may be NULL.
 * Returns 0, or -1 on failure (out of memory, md4c error).
 */
int dc_markdown_scan(dc_md_facts *out, dc_arena *arena, const char *body, size_t len,
		     unsigned first_line, size_t offset, const pcre2_code *terms);
/*
 * The same, knowing the literal terms `terms` was compiled from (as the
 * policy's ambiguous_re: one caseless alternation of them, each maybe
 * between word-boundary assertions), so the pattern need only run where one
 * of them may start. The findings are those of dc_markdown_scan().
 */
int dc_markdown_scan_terms(dc_md_facts *out, dc_arena *arena, const char *body, size_t len,
			   unsigned first_line, size_t offset, const pcre2_code *terms,
			   const char *const *literals, size_t nliterals);

#endif
