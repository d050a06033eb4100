/*
 * i18n.h - marking messages for people for translation (gettext, text
 * domain "docctl"; reference §7: messages follow the locale, machine
 * formats never do).
 *
 *   _("text")                 a message, translated where it is used
 *   N_("text")                marked only (a table row); translate with _() at use
 *   P_("1 file", "%zu files", n)  a message with plural forms
 *
 * Built without NLS (meson -Dnls=false) every macro is the text itself.
 */
#ifndef DC_I18N_H
#define DC_I18N_H

#define DC_TEXTDOMAIN "docctl"

#ifdef DC_ENABLE_NLS
#include <libintl.h>
#define _(s) dgettext(DC_TEXTDOMAIN, s)
#define P_(s, p, n) dngettext(DC_TEXTDOMAIN, s, p, (unsigned long)(n))
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* Binds the text domain to DOCCTL_LOCALEDIR when set, else to the
 * installed catalogues, in UTF-8 (i18n.c). */
void dc_i18n_bind(void);

#endif
