/*
 * mark.h - a position in a source file, for findings and parsed values.
 */
#ifndef DC_MARK_H
#define DC_MARK_H

#include <stddef.h>

/* A position in the source file: 1-based line, 1-based column in code points,
 * and the 0-based byte offset in the whole file. */
typedef struct {
	unsigned line, col;
	size_t offset;
} dc_mark;

#endif
