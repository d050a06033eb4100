/*
 * strmap.c - string-to-index map (see strmap.h).
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "text.h"

void dc_strmap_init(dc_strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void dc_strmap_dispose(dc_strmap *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->values);
	dc_strmap_init(m);
}

static size_t slot_of(const dc_strmap *m, const char *key)
{
	size_t h = (size_t)dc_hash64(DC_HASH_INIT, key, strlen(key)) & m->mask;

	while (m->keys[h] && strcmp(m->keys[h], key))
		h = (h + 1) & m->mask;
	return h;
}

int dc_strmap_reserve(dc_strmap *m, size_t n)
{
	dc_strmap grown;
	size_t slots = 16, i;

	while (slots < n * 2 + 2)
		slots *= 2;
	if (m->mask && slots <= m->mask + 1)
		return 0;
	dc_strmap_init(&grown);
	grown.keys = calloc(slots, sizeof(*grown.keys));
	grown.values = malloc(slots * sizeof(*grown.values));
	if (!grown.keys || !grown.values) {
		dc_strmap_dispose(&grown);
		return dc_error_set("out of memory");
	}
	grown.mask = slots - 1;
	for (i = 0; m->mask && i <= m->mask; i++)
		if (m->keys[i]) {
			size_t h = slot_of(&grown, m->keys[i]);

			grown.keys[h] = m->keys[i];
			grown.values[h] = m->values[i];
			grown.n++;
		}
	dc_strmap_dispose(m);
	*m = grown;
	return 0;
}

int dc_strmap_put(dc_strmap *m, const char *key, size_t value)
{
	size_t h;

	if ((!m->mask || (m->n + 1) * 2 > m->mask + 1) && dc_strmap_reserve(m, m->n + 1 > 8 ? (m->n + 1) * 2 : 8) < 0)
		return -1;
	h = slot_of(m, key);
	if (m->keys[h])
		return 0;
	m->keys[h] = key;
	m->values[h] = value;
	m->n++;
	return 0;
}

int dc_strmap_get(const dc_strmap *m, const char *key, size_t *out)
{
	size_t h;

	if (!m->mask)
		return 0;
	h = slot_of(m, key);
	if (!m->keys[h])
		return 0;
	*out = m->values[h];
	return 1;
}
