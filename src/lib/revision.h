/*
 * revision.h - the revision schemes of reference §3 and §9.2 and their order.
 *
 *   integer        1, 2, 3 ... (no leading zeros; a YAML integer or a string of digits)
 *   letter         A .. Z, AA, AB ... (bijective base 26: Z < AA)
 *   letter-number  a letter run, '/', a number: A/0 < A/1 < A/9 < B/0
 *   decimal        major.minor with an optional V: V1.0 < V1.1 < V2.0 (1.0 = V1.0)
 */
#ifndef DC_REVISION_H
#define DC_REVISION_H

#include <stddef.h>

#include "node.h"

typedef enum {
	DC_SCHEME_INTEGER,
	DC_SCHEME_LETTER,
	DC_SCHEME_LETTER_NUMBER,
	DC_SCHEME_DECIMAL
} dc_scheme;

typedef struct {
	long major; /* integer value, or the letter run as 1 = A, 26 = Z, 27 = AA */
	long minor; /* letter-number: the number; decimal: the minor; else 0 */
	int bare;   /* decimal written without its V ("1.0"): kept when bumped */
} dc_revision;

/* "integer", "letter", "letter-number", "decimal" to a scheme: 0, or -1 when unknown. */
int dc_scheme_parse(dc_scheme *out, const char *name);
const char *dc_scheme_name(dc_scheme s);
/* Parses a revision value (a string, an integer for the integer scheme, or
 * a plain YAML float such as 1.0 for the decimal scheme, read as written).
 * 0 on success, -1 when it is not valid in the scheme. */
int dc_revision_parse(dc_revision *out, dc_scheme s, const dc_node *value);
int dc_revision_parse_str(dc_revision *out, dc_scheme s, const char *text);
int dc_revision_cmp(const dc_revision *a, const dc_revision *b);
/* The scheme's lowest revision: 1, A, A/0, V1.0. */
dc_revision dc_revision_first(dc_scheme s);
int dc_revision_is_first(dc_scheme s, const dc_revision *r);
/* The next revision: 2, B, A/1, V1.1 (letter-number and decimal bump the
 * second number). */
dc_revision dc_revision_next(dc_scheme s, const dc_revision *r);
/* The next major revision: A/3 -> B/0, V1.1 -> V2.0; the schemes of one
 * number bump it as dc_revision_next does: C -> D, 3 -> 4. */
dc_revision dc_revision_next_major(dc_scheme s, const dc_revision *r);
/* Formats into out (at least 32 bytes). */
void dc_revision_format(dc_scheme s, const dc_revision *r, char *out, size_t size);

#endif
