/*
 * fuzz_snapshot.c - fuzz target for the reader of the saved snapshot
 * (snapshot.h, dc_snapshot_parse()). The input's first three bytes give
 * how many documents, ids and citation targets the file says it holds; the
 * rest is its body, put behind the header a sound file would have (counts
 * that add up, the checksum), so that the bounds checks are reached, not
 * just the checksum. Whatever it accepts is then looked up every way the
 * hooks do: each document by path, by id, and each citation target. Nothing
 * may crash or read outside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER 72   /* snapshot.c's layout */
#define DOC_SIZE 36
#define FP 0x5eedULL

static void look_up(const dc_snapshot *s)
{
	size_t i, n = dc_snapshot_count(s), first, k, m, at;

	for (i = 0; i < n; i++) {
		dc_snapdoc d;

		dc_snapshot_doc(s, i, &d);
		if (!d.path || (dc_snapshot_find(s, d.path, &at) && at >= n))
			abort();
		if (d.id) {
			m = dc_snapshot_with_id(s, d.id, &first);
			for (k = first; k < first + m; k++)
				if (dc_snapshot_with_id_at(s, k) >= n)
					abort();
		}
		m = dc_snapshot_citing(s, d.path, &first);
		for (k = first; k < first + m; k++)
			if (dc_snapshot_citing_at(s, k) >= n)
				abort();
		if (d.superseded_by)
			dc_snapshot_citing(s, d.superseded_by, &first);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t counts[4];
	uint64_t fp = FP, ph = dc_hash64(DC_HASH_INIT, "", 0), sum;
	size_t body, fixed;
	unsigned char *file;
	dc_snapshot *s = NULL;

	if (size < 3)
		return 0;
	body = size - 3;
	counts[0] = data[0];
	counts[1] = data[1] % (counts[0] + 1);
	counts[2] = data[2];
	fixed = (size_t)counts[0] * DOC_SIZE + (size_t)counts[1] * 4 + (size_t)counts[2] * 8;
	if (fixed > body)
		return 0;
	counts[3] = (uint32_t)(body - fixed);
	if (!(file = malloc(HEADER + body + 1)))
		return 0;
	memset(file, 0, HEADER);
	memcpy(file, "DOCCTLS\1", 8);
	memcpy(file + 8, &fp, 8);
	memcpy(file + 16, &ph, 8);
	memcpy(file + 48, counts, 16);
	memcpy(file + HEADER, data + 3, body);
	sum = dc_hash64(DC_HASH_INIT, file + HEADER, body);
	memcpy(file + 64, &sum, 8);
	if (dc_snapshot_parse(&s, file, HEADER + body, FP, "") < 0)
		abort();
	if (s) {
		if (dc_snapshot_count(s) != counts[0])
			abort();
		look_up(s);
		dc_snapshot_free(s);
	}
	/* another fingerprint or prefix: never accepted */
	if (dc_snapshot_parse(&s, file, HEADER + body, FP + 1, "") < 0 || s)
		abort();
	if (dc_snapshot_parse(&s, file, HEADER + body, FP, "sub") < 0 || s)
		abort();
	free(file);
	return 0;
}
