/*
 * main.c - docctl-web's entry point (reference §12): one CGI request, one
 * reply. The order is fixed: read the request (strictly), pick the
 * language, open the repository and find the person, check the anti-CSRF
 * token of a POST, then answer. Whatever fails says so in a page and a
 * status; nothing reaches a page unescaped or a header at all.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "libgit2_init.h"
#include "web.h"

int main(void)
{
	web_req req;
	int rc;

	memset(&req, 0, sizeof(req));
	dc_form_init(&req.query);
	dc_form_init(&req.body);
	dc_buf_init(&req.page);
	web_locale(&req);
	dc_libgit2_init();
	if ((rc = web_read_request(&req)) == 0 && (rc = web_open_repo(&req)) == 0 && web_route_cached(&req) != 0 &&
	    (rc = web_open(&req)) == 0) {
		if (req.post && !web_token_ok(req.repo, req.me->key, dc_form_get(&req.body, "token")))
			web_fail(&req, 403, _("docctl-web: this form is out of date or was not sent from this site "
					      "(its token does not match); open the page again and send it from there"));
		else
			web_route(&req);
	}
	web_send(&req);
	web_dispose(&req);
	dc_libgit2_shutdown();
	return 0;
}
