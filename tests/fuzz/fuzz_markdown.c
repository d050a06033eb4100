/*
 * fuzz_markdown.c - scans arbitrary bytes as a document body, with a small
 * ambiguous-terms pattern, and checks that every mark it reports lies inside
 * the body. It must never crash, hang or leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "arena.h"
#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIRST_LINE 3
#define OFFSET 17

static void check_mark(dc_mark m, size_t size)
{
	if (m.line < FIRST_LINE || m.col < 1 || m.offset < OFFSET || m.offset > OFFSET + size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_arena arena = DC_ARENA_INIT;
	dc_md_facts f;
	pcre2_code *re;
	int err;
	PCRE2_SIZE at;
	size_t i;

	re = pcre2_compile((PCRE2_SPTR) "适当|尽量|\\bTBD\\b|as\\s+appropriate", PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &at, NULL);
	if (!re)
		abort();
	if (dc_markdown_scan(&f, &arena, (const char *)data, size, FIRST_LINE, OFFSET, re) == 0) {
		for (i = 0; i < f.nheadings; i++)
			check_mark(f.headings[i].mark, size);
		for (i = 0; i < f.nlinks; i++)
			check_mark(f.links[i].mark, size);
		for (i = 0; i < f.nterms; i++) {
			check_mark(f.terms[i].mark, size);
			if (!f.terms[i].term[0])
				abort();
		}
		/* a control character: where the body holds one */
		for (i = 0; i < f.ncontrols && i < DC_MD_CONTROLS_MAX; i++) {
			check_mark(f.controls[i].mark, size);
			if (f.controls[i].mark.offset >= OFFSET + size)
				abort();
		}
		check_mark(f.end, size);
		if (f.blank && (f.words || f.nheadings || f.nlinks))
			abort();
	}
	pcre2_code_free(re);
	dc_arena_dispose(&arena);
	return 0;
}
