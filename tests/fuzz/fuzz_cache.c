/*
 * fuzz_cache.c - fuzz target for the decoder of a cached document result
 * (cache.h, dc_cache_decode()): a record's bytes, as the cache holds them
 * once its checksum holds. It decodes into a summary and findings, or says
 * the record does not decode (a miss); the summary's strings lie inside the
 * record or the arena. Nothing may crash, leak or read outside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *rec = malloc(size + 1);
	dc_docinfo info;
	dc_arena keep;
	dc_diags diags;
	size_t i;
	int rc;

	if (!rec)
		return 0;
	memcpy(rec, data, size);
	rec[size] = 'X'; /* not a NUL: a string not ended inside the record runs into ASan */
	dc_arena_init(&keep);
	dc_diags_init(&diags);
	rc = dc_cache_decode(rec, size, &info, &keep, &diags);
	if (rc < 0 || rc > 1)
		abort();
	if (rc == 0) {
		/* every string of the summary can be read to its end */
		if (!info.path || strlen(info.path) > size)
			abort();
		for (i = 0; i < info.nrefs; i++)
			if (info.refs[i].text && strlen(info.refs[i].text) > size)
				abort();
		for (i = 0; i < info.nlinks; i++)
			if (!info.links[i].target || strlen(info.links[i].target) > size)
				abort();
		for (i = 0; i < diags.n; i++)
			if (!diags.items[i].rule || !diags.items[i].message)
				abort();
	}
	dc_diags_dispose(&diags);
	dc_arena_dispose(&keep);
	free(rec);
	return 0;
}
