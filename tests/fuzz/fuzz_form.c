/*
 * fuzz_form.c - fuzz target for docctl-web's form reader (form.h,
 * dc_form_parse(), reference §12). Nothing may crash, leak or hang, and
 * every value it keeps is what the reader promises: valid UTF-8 without
 * NUL or control characters but tab and LF, within the length limit, its
 * name of the allowed bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	dc_form f;
	size_t i, k;

	dc_form_init(&f);
	if (dc_form_parse(&f, (const char *)data, size, &why) != 0) {
		if (f.n)
			abort();
		return 0;
	}
	for (i = 0; i < f.n; i++) {
		const char *v = f.v[i].value;
		size_t len = f.v[i].len;

		if (strlen(v) != len || len > DC_FORM_VALUE_MAX || !*f.v[i].name ||
		    strspn(f.v[i].name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
			    strlen(f.v[i].name))
			abort();
		for (k = 0; k < len;) {
			unsigned cp;
			size_t l = dc_utf8_next(v + k, len - k, &cp);

			if (!l || cp == '\r' || dc_is_control(cp))
				abort();
			k += l;
		}
		if (dc_form_get(&f, f.v[i].name) != v)
			abort();
	}
	dc_form_dispose(&f);
	return 0;
}
