/*
 * attach.c - see attach.h.
 */
#include "attach.h"

#include <string.h>

#include "buf.h"

int dc_files_join(const char **out, dc_arena *keep, const dc_doc *doc)
{
	const dc_node *v = doc->root ? dc_node_get(doc->root, "files") : NULL;
	dc_buf b = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!v || v->kind != DC_NODE_SEQ || !v->u.seq.n)
		return 0;
	for (i = 0; i < v->u.seq.n; i++) {
		const dc_node *e = v->u.seq.items[i];

		if (e->kind != DC_NODE_STR || !e->len || memchr(e->text, '\0', e->len) || memchr(e->text, '\n', e->len))
			continue; /* the schema or dc_check_files says why */
		if ((b.len && dc_buf_putc(&b, '\n') < 0) || dc_buf_put(&b, e->text, e->len) < 0)
			rc = -1;
	}
	if (rc == 0 && b.len && !(*out = dc_arena_strdup(keep, b.ptr)))
		rc = -1;
	dc_buf_dispose(&b);
	return rc;
}
