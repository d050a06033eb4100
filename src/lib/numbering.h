/*
 * numbering.h - strips the leading numbering of a heading once (reference §3):
 * arabic numbers with dots ("1 ", "1.", "1.2 "), Chinese numerals with 、
 * ("一、"), parenthesised numbers full- or half-width ("（一）", "(1)"), and
 * 第…章 / 第…节 / 第…条, each with any spaces (ASCII or U+3000) after it.
 */
#ifndef DC_NUMBERING_H
#define DC_NUMBERING_H

#include <stddef.h>

/* The number of bytes of numbering (and following spaces) at the start of
 * `text`; 0 when there is none. */
size_t dc_numbering_len(const char *text, size_t len);

#endif
