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
	free(m->slots);
	dc_strmap_init(m);
}

static unsigned long long hash_of(const char *key)
{
	return dc_hash64(DC_HASH_INIT, key, strlen(key));
}

static size_t slot_of(const dc_strmap *m, const char *key, unsigned long long hash)
{
	size_t h = (size_t)hash & m->mask;

	while (m->slots[h].key && (m->slots[h].hash != hash || strcmp(m->slots[h].key, key)))
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
	if (!(grown.slots = calloc(slots, sizeof(*grown.slots))))
		return dc_error_oom();
	grown.mask = slots - 1;
	for (i = 0; m->mask && i <= m->mask; i++)
		if (m->slots[i].key) {
			size_t h = slot_of(&grown, m->slots[i].key, m->slots[i].hash);

			grown.slots[h] = m->slots[i];
			grown.n++;
		}
	dc_strmap_dispose(m);
	*m = grown;
	return 0;
}

int dc_strmap_add(dc_strmap *m, const char *key, size_t value, size_t *had)
{
	unsigned long long hash;
	size_t h;

	if ((!m->mask || (m->n + 1) * 2 > m->mask + 1) && dc_strmap_reserve(m, m->n + 1 > 8 ? (m->n + 1) * 2 : 8) < 0)
		return -1;
	hash = hash_of(key);
	h = slot_of(m, key, hash);
	if (m->slots[h].key) {
		*had = m->slots[h].value;
		return 0;
	}
	m->slots[h].hash = hash;
	m->slots[h].key = key;
	m->slots[h].value = value;
	m->n++;
	return 1;
}

int dc_strmap_put(dc_strmap *m, const char *key, size_t value)
{
	size_t had;

	return dc_strmap_add(m, key, value, &had) < 0 ? -1 : 0;
}

int dc_strmap_get(const dc_strmap *m, const char *key, size_t *out)
{
	size_t h;

	if (!m->mask)
		return 0;
	h = slot_of(m, key, hash_of(key));
	if (!m->slots[h].key)
		return 0;
	*out = m->slots[h].value;
	return 1;
}

int dc_strmap_index(dc_strmap *m, const void *items, size_t n, size_t size, size_t key_at)
{
	const char *item = items;
	size_t i;

	if (dc_strmap_reserve(m, n) < 0)
		return -1;
	for (i = 0; i < n; i++, item += size) {
		const char *key;

		memcpy(&key, item + key_at, sizeof(key));
		if (dc_strmap_put(m, key, i) < 0)
			return -1;
	}
	return 0;
}
