/*
 * fuzz_rawdiff.c - fuzz target for the reader of git's raw diff output
 * (rawdiff.h): every record it hands over must have a path inside the
 * input, and a side for each of its flags; nothing may crash, leak or hang.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rawdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int header(const char *line, void *payload)
{
	(void)payload;
	return strlen(line) > 4096 ? 1 : 0;
}

static int record(const dc_filechange *f, void *payload)
{
	size_t *n = payload;

	if (!f->path || (!f->has_old && !f->has_new))
		abort();
	(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_arena arena = DC_ARENA_INIT;
	size_t n = 0;
	dc_rawdiff_cb cb = { header, record, &n };
	int rc = dc_rawdiff_parse((const char *)data, size, &arena, &cb);

	if (rc < 0 || rc > 2 || n > size)
		abort();
	dc_arena_dispose(&arena);
	return 0;
}
