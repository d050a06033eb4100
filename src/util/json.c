/*
 * json.c - JSON string literals (see json.h).
 */
#include "json.h"

#include <string.h>

#include "escape.h"

int dc_json_str(dc_buf *b, const char *s, size_t len)
{
	size_t i = 0, n, run = 0;
	unsigned cp;
	int rc = dc_buf_putc(b, '"');

	while (i < len && rc == 0) {
		const char *short_esc = NULL;

		n = dc_utf8_next(s + i, len - i, &cp);
		if (n && cp >= 0x20 && cp != '"' && cp != '\\' && !dc_is_control(cp) && cp != 0x2028 && cp != 0x2029) {
			i += n;
			run += n;
			continue;
		}
		rc = dc_buf_put(b, s + i - run, run);
		run = 0;
		if (!n)
			cp = 0xfffd;
		switch (cp) {
		case '"': short_esc = "\\\""; break;
		case '\\': short_esc = "\\\\"; break;
		case '\n': short_esc = "\\n"; break;
		case '\r': short_esc = "\\r"; break;
		case '\t': short_esc = "\\t"; break;
		case '\b': short_esc = "\\b"; break;
		case '\f': short_esc = "\\f"; break;
		}
		if (rc == 0)
			rc = short_esc ? dc_buf_puts(b, short_esc) : dc_buf_printf(b, "\\u%04x", cp);
		i += n ? n : 1;
	}
	if (rc == 0)
		rc = dc_buf_put(b, s + i - run, run);
	return rc ? rc : dc_buf_putc(b, '"');
}

int dc_json_cstr(dc_buf *b, const char *s)
{
	return s ? dc_json_str(b, s, strlen(s)) : dc_buf_puts(b, "null");
}
