/*
 * attach.h - attachments under approval (reference §9.3): the files a
 * document lists in `files`, relative to its folder. Their bytes are part
 * of the document's content; they are compared by git blob id and never
 * read or parsed.
 */
#ifndef DC_ATTACH_H
#define DC_ATTACH_H

#include "arena.h"
#include "document.h"

/* The string entries of `files` joined by '\n' into *out (allocated in
 * `keep`), or NULL when the document lists none. Returns 0 or -1. */
int dc_files_join(const char **out, dc_arena *keep, const dc_doc *doc);

#endif
