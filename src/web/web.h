/*
 * web.h - docctl-web, the CGI front for people without git (reference
 * §12). The web server authenticates and sets REMOTE_USER; docctl-web runs
 * in the server's bare repository, maps that name to a person of the
 * trusted policy (docctl.trustedRef, reference §6.1 item 2) and refuses
 * anyone else. Every reply is built here: fixed headers (no byte of the
 * request ever reaches a header), a body of HTML in which everything that
 * came from the request or the repository is escaped.
 */
#ifndef DC_WEB_H
#define DC_WEB_H

#include <git2.h>

#include "buf.h"
#include "form.h"
#include "policy.h"
#include "project.h"

/* The largest POST body read (413 above it). */
#define WEB_BODY_MAX 65536

typedef struct {
	/* the request */
	int post;                 /* REQUEST_METHOD is POST (else GET or HEAD) */
	dc_form query, body;
	const char *remote_user;
	char script[256];         /* SCRIPT_NAME when it is a plain path, else "" */
	int zh;                   /* the page is in Chinese (Accept-Language) */
	/* the repository */
	git_repository *repo;
	char *trusted_ref;
	git_oid commit;
	git_tree *tree;
	dc_source *src;
	dc_project *project;
	const dc_person *me;
	char token[65];           /* the anti-CSRF token of this person today */
	/* the reply */
	int status;
	dc_buf page;              /* the HTML between <body> and </body> */
	const char *title;
} web_req;

/* Reads the CGI request from the environment and stdin. Returns 0, or an
 * HTTP status (400, 405, 411, 413, 415) with a page said in req->page. */
int web_read_request(web_req *req);

/* Picks the language from HTTP_ACCEPT_LANGUAGE and sets the locale. */
void web_locale(web_req *req);

/* Opens the bare repository (GIT_DIR, else the current folder), its
 * trusted ref and policy, and finds the person REMOTE_USER names.
 * Returns 0, or an HTTP status with its page. */
int web_open(web_req *req);

/* The anti-CSRF token of `person` for day `day` (days since 1970) as 64 hex
 * digits, keyed with the secret kept in the repository's git dir
 * (docctl-web.secret, created 0600 on first use). 0, or -1. */
int web_token(char out[65], git_repository *repo, const char *person, long day);
/* Nonzero when `given` is this person's token of today or yesterday. */
int web_token_ok(git_repository *repo, const char *person, const char *given);

/* Escaped text into the page. */
void web_text(web_req *req, const char *s);
/* A message refused or said: sets the status and a page of one paragraph. */
int web_fail(web_req *req, int status, const char *message);

/* Writes the reply (status line, fixed headers, the page) to stdout. */
void web_send(web_req *req);

void web_dispose(web_req *req);

/* The pages (pages.c): answers the request once web_open succeeded. */
void web_route(web_req *req);

#endif
