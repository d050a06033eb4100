/*
 * ime.h - characters that a Chinese input method types where YAML wants
 * ASCII (全角冒号 "：" for ":", 全角逗号 "，" for ","), so that a finding can
 * name the character and say what to type instead. One table of them.
 */
#ifndef DC_IME_H
#define DC_IME_H

#include <stddef.h>

#include "buf.h"

typedef struct {
	const char *utf8;    /* the character as typed */
	const char *name_zh; /* 全角冒号 */
	const char *name_en; /* full-width colon */
	const char *instead; /* what YAML wants: ": " (a colon and a space) */
} dc_ime_char;

/*
 * The input-method character in text[0..len) that comes first in the
 * table's order (the likeliest cause of a YAML error first), with its byte
 * offset in *at; NULL when there is none. `syntax` also counts the tab,
 * which is only a mistake where YAML failed.
 */
const dc_ime_char *dc_ime_find(const char *text, size_t len, int syntax, size_t *at);

/* Appends `全角冒号 "：" (full-width colon): type ": " (a colon and a space) instead`. */
int dc_ime_describe(dc_buf *out, const dc_ime_char *c);

#endif
