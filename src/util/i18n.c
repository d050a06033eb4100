/*
 * i18n.c - where the catalogues are (i18n.h), for docctl and docctl-web.
 */
#include "i18n.h"

#include <stdlib.h>

void dc_i18n_bind(void)
{
#ifdef DC_ENABLE_NLS
	const char *dir = getenv("DOCCTL_LOCALEDIR");

	bindtextdomain(DC_TEXTDOMAIN, dir && *dir ? dir : DC_LOCALEDIR);
	bind_textdomain_codeset(DC_TEXTDOMAIN, "UTF-8");
#endif
}
