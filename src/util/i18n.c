/*
 * i18n.c - where the messages' catalogues are: the text domain "docctl"
 * bound to $DOCCTL_LOCALEDIR when set, else to the folder it was installed
 * in, and read as UTF-8. Both front ends (docctl, docctl-web) call it once
 * their locale is set.
 */
#include <stdlib.h>

#include "i18n.h"

void dc_i18n_bind(void)
{
#ifdef DC_ENABLE_NLS
	const char *dir = getenv("DOCCTL_LOCALEDIR");

	bindtextdomain(DC_TEXTDOMAIN, dir && *dir ? dir : DC_LOCALEDIR);
	bind_textdomain_codeset(DC_TEXTDOMAIN, "UTF-8");
#endif
}
