/*
 * sha256.h - SHA-256 (FIPS 180-4) of a buffer in memory: the hash of the
 * inline style a published page names in its Content-Security-Policy.
 */
#ifndef DC_SHA256_H
#define DC_SHA256_H

#include <stddef.h>

void dc_sha256(unsigned char out[32], const void *data, size_t len);

#endif
