/*
 * pages.c - the pages of docctl-web (reference §12), chosen by the query's
 * `p`: a fixed set of names, anything else is 404.
 */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "i18n.h"
#include "web.h"

/* The navigation bar at the top of every page. */
static void nav(web_req *req)
{
	dc_buf_puts(&req->page, "<nav><a href=\"?p=home\">");
	web_text(req, _("My reading list"));
	dc_buf_puts(&req->page, "</a></nav>\n<p>");
	web_text(req, req->me->name);
	dc_buf_puts(&req->page, " (");
	web_text(req, req->me->key);
	dc_buf_puts(&req->page, ")</p>\n");
}

static void home(web_req *req)
{
	req->title = _("My reading list");
	nav(req);
	dc_buf_puts(&req->page, "<h1>");
	web_text(req, req->title);
	dc_buf_puts(&req->page, "</h1>\n");
}

void web_route(web_req *req)
{
	const char *p = dc_form_get(&req->query, "p");

	if (!req->post && (!p || !strcmp(p, "home")))
		home(req);
	else
		web_fail(req, 404, _("docctl-web: there is no such page; start from the reading list"));
}
