/*
 * fuzz_touched.c - fuzz target for the reader of the saved touched index
 * (touched.h, dc_touched_parse()). An input whose first byte is odd is
 * given as it is; otherwise the rest is cut at each "\n--\n" into record
 * bodies, each framed with its length and the checksum a sound file would
 * have, so that the body parser is reached, not just the checksum. Nothing
 * may crash, leak or hang, and every pair it keeps took at least the
 * smallest record's bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"
#include "touched.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the framing of one record: u32 length, u64 checksum (touched.c) */
static void frame(dc_buf *out, const uint8_t *body, size_t len)
{
	uint32_t n = (uint32_t)len;
	uint64_t sum = dc_hash64(DC_HASH_INIT ^ n, body, len);

	dc_buf_put(out, &n, 4);
	dc_buf_put(out, &sum, 8);
	dc_buf_put(out, body, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *roots[] = { "docs", "records" };
	dc_policy pol;
	dc_touched *t = NULL;
	dc_buf recs = DC_BUF_INIT;
	size_t n, records = 0;

	if (!size)
		return 0;
	memset(&pol, 0, sizeof(pol));
	pol.roots = roots;
	pol.nroots = 2;
	if (dc_touched_open(&t, NULL, "", &pol) < 0 || !t)
		abort();
	if (data[0] & 1) {
		dc_buf_put(&recs, data + 1, size - 1);
	} else {
		const uint8_t *p = data + 1, *end = data + size;

		while (p <= end) {
			const uint8_t *cut = p;

			while (cut + 4 <= end && memcmp(cut, "\n--\n", 4))
				cut++;
			if (cut + 4 > end)
				cut = end;
			frame(&recs, p, (size_t)(cut - p));
			records++;
			p = cut + 4;
		}
	}
	n = dc_touched_parse(t, recs.ptr, recs.len, UINT64_MAX);
	/* a record is at least 12 bytes of framing and 44 of body */
	if (n * 56 > recs.len || (records && n > records))
		abort();
	/* what it kept is saved nowhere (no repository) */
	if (dc_touched_save(t) != 0)
		abort();
	dc_touched_free(t);
	dc_buf_dispose(&recs);
	return 0;
}
