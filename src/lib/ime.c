/*
 * ime.c - the characters of Chinese input methods that break YAML (see
 * ime.h).
 */
#include "ime.h"

#include <string.h>

#include "i18n.h"

/* In the order a search prefers them: what breaks a key first. */
static const dc_ime_char ime_chars[] = {
	{ "\xEF\xBC\x9A", "全角冒号", N_("full-width colon"), N_("\": \" (a half-width colon and a space)") },
	{ "\xE3\x80\x80", "全角空格", N_("full-width space"), N_("\" \" (a half-width space)") },
	{ "\t", "制表符", N_("tab"), N_("spaces") },
	{ "\xEF\xBC\xBB", "全角方括号", N_("full-width bracket"), "\"[\"" },
	{ "\xEF\xBC\xBD", "全角方括号", N_("full-width bracket"), "\"]\"" },
	{ "\xE3\x80\x90", "中文方括号", N_("Chinese bracket"), "\"[\"" },
	{ "\xE3\x80\x91", "中文方括号", N_("Chinese bracket"), "\"]\"" },
	{ "\xEF\xBC\x8D", "全角减号", N_("full-width hyphen"), N_("\"- \" (a half-width hyphen and a space)") },
	{ "\xEF\xBC\x83", "全角井号", N_("full-width number sign"), "\"#\"" },
	{ "\xEF\xBC\x8C", "全角逗号", N_("full-width comma"), N_("\", \" (a half-width comma and a space)") },
	{ "\xE3\x80\x81", "顿号", N_("ideographic comma"), N_("\", \" (a half-width comma and a space)") },
	{ "\xE2\x80\x9C", "中文引号", N_("curly quote"), N_("a straight quote \" (or none)") },
	{ "\xE2\x80\x9D", "中文引号", N_("curly quote"), N_("a straight quote \" (or none)") },
	{ "\xE2\x80\x98", "中文单引号", N_("curly single quote"), N_("a straight quote ' (or none)") },
	{ "\xE2\x80\x99", "中文单引号", N_("curly single quote"), N_("a straight quote ' (or none)") },
};

static const char *find_in(const char *text, size_t len, const char *what)
{
	size_t n = strlen(what);

	return n <= len ? memmem(text, len, what, n) : NULL;
}

const dc_ime_char *dc_ime_find(const char *text, size_t len, int syntax, size_t *at)
{
	size_t i;

	/* the common case, a scalar without any: every character above starts
	 * with one of these bytes (a policy of 10,000 people has 100,000) */
	for (i = 0; i < len; i++) {
		unsigned char b = (unsigned char)text[i];

		if (b == 0xE2 || b == 0xE3 || b == 0xEF || (syntax && b == '\t'))
			break;
	}
	if (i == len)
		return NULL;

	for (i = 0; i < sizeof(ime_chars) / sizeof(*ime_chars); i++) {
		const char *p;

		if (!syntax && ime_chars[i].utf8[0] == '\t')
			continue;
		if ((p = find_in(text, len, ime_chars[i].utf8))) {
			*at = (size_t)(p - text);
			return &ime_chars[i];
		}
	}
	return NULL;
}

int dc_ime_describe(dc_buf *out, const dc_ime_char *c)
{
	if (c->utf8[0] == '\t')
		return dc_buf_printf(out, _("%s (a %s): YAML indents with spaces only; type spaces instead"), c->name_zh,
				     _(c->name_en));
	return dc_buf_printf(out, _("%s \"%s\" (a %s, typed by the input method): type %s instead"), c->name_zh, c->utf8,
			     _(c->name_en), _(c->instead));
}
