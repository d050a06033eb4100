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
#include "check.h"
#include "form.h"
#include "policy.h"
#include "project.h"
#include "register.h"
#include "training.h"

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
	const char *pusher_var;   /* approval.pusher_env's first variable (the hooks' pusher) */
	const char *ack_ref;      /* training.ref */
	int status;
	dc_buf page;              /* the HTML between <body> and </body> */
	const char *title;
} web_req;

/* Reads the CGI request from the environment and stdin. Returns 0, or an
 * HTTP status (400, 405, 411, 413, 415) with a page said in req->page. */
int web_read_request(web_req *req);

/* Picks the language from HTTP_ACCEPT_LANGUAGE and sets the locale. */
void web_locale(web_req *req);

/* Opens the bare repository (GIT_DIR, else the current folder) and its
 * trusted ref (req->commit, req->tree), once someone is signed in
 * (REMOTE_USER). Returns 0, or an HTTP status with its page. */
int web_open_repo(web_req *req);
/* Then the policy of the trusted ref, and finds the person REMOTE_USER
 * names. Returns 0, or an HTTP status with its page. */
int web_open(web_req *req);

/* The anti-CSRF token of `person` for day `day` (days since 1970) as 64 hex
 * digits, keyed with the secret kept in the repository's git dir
 * (docctl-web.secret, created 0600 on first use). 0, or -1. */
int web_token(char out[65], git_repository *repo, const char *person, long day);
/* Nonzero when `given` is this person's token of today or yesterday. */
int web_token_ok(git_repository *repo, const char *person, const char *given);

/* Escaped text into the page. */
void web_text(web_req *req, const char *s);
/* A paragraph of class `cls` ("ok", "err") holding `text`, escaped. */
void web_para(web_req *req, const char *cls, const char *text);
/* A message refused or said: sets the status and a page of one paragraph. */
int web_fail(web_req *req, int status, const char *message);

/* Writes the reply (status line, fixed headers, the page) to stdout. */
void web_send(web_req *req);

void web_dispose(web_req *req);

/* The pages (pages.c): answers the request once web_open succeeded. */
void web_route(web_req *req);

/* reading.c: the documents of the trusted ref, their readers and the
 * person's own confirmations (acks/<person>.txt only), in `t`'s cells of
 * that person. */
typedef struct {
	dc_date today;
	dc_docset set;
	dc_register reg;
	dc_training t;
	git_oid acks;
	int has_acks;
	dc_buf mine;              /* the person's file on the confirmations' ref */
} web_reading;

/* The documents of the trusted ref, as `check` reads them: 0, or -1. */
int web_docs_open(web_req *req, dc_docset *set, const dc_date *today);

/* One document of my reading list. */
typedef struct {
	const char *id, *title, *revision;
	dc_date due;
	int32_t day;              /* confirmed on (days since 1970), DC_ACK_NONE: not yet */
	const char *confirmed;    /* the revision confirmed */
} web_item;


/* With `only`, the training of that document alone (a write). 0, or -1
 * (dc_error set); dispose either way. */
int web_reading_open(web_req *req, web_reading *r, const char *only);
/* The whole training matrix of the trusted ref (reference §10.2): every
 * reader's cells, from every confirmation. 0, or -1; dispose either way. */
int web_matrix_open(web_req *req, web_reading *r);
void web_reading_dispose(web_reading *r);

/* write.c: the files a write sets and its commit message. */
typedef struct {
	dc_buf *path, *data;
	size_t n;
	dc_buf message;
} web_files;

void web_files_init(web_files *f);
void web_files_dispose(web_files *f);
int web_files_add(web_files *f, const char *path, const dc_buf *data);

/* Builds the files of a write on the ref's `tip` (NULL: no ref yet):
 * 0 with files to commit, 1 nothing to write (said on the page: done),
 * 2 refused (said on the page), -1 on failure (the caller says it). */
typedef int (*web_build_fn)(web_req *req, void *arg, const git_oid *tip, web_files *f);

/*
 * A write on `ref`: under the lock docctl-web.lock, builds the files
 * (build) on the ref's tip, commits them in the repository and pushes the
 * commit into the repository itself, so its pre-receive hook decides with
 * the person as the pusher; another round when the ref moved first. Says
 * `done`, or what refused it, on the page. 0 when it landed (or there was
 * nothing to write), -1 otherwise.
 */
int web_side_write(web_req *req, const char *ref, web_build_fn build, void *arg, const char *done);

/* A confirmation (reference §10) of document `id` for the people `who`
 * (its readers), `read`, or `training:<record>` when record is set: the
 * revision in force unless one of `accepted` is confirmed (those whose
 * confirmations carry over), and the `pending` one (or NULL). */
typedef struct {
	dc_date today;
	const char *id, *record, *revision, *pending;
	const char *const *accepted;
	size_t naccepted;
	const dc_person **who;
	size_t nwho;
} web_ack;

int web_ack_build(web_req *req, void *arg, const git_oid *tip, web_files *f);

/*
 * The reading lists of one trusted commit on one day, kept in the git
 * dir's docctl-web.reading (cache.c): who must read what, and the people's
 * names and emails, so that a page of my reading list needs neither the
 * policy nor the documents, only the cache and my acks file.
 * web_cache_write stores them after a full build (errors ignored: the
 * cache is only a shortcut).
 */
void web_cache_write(web_req *req, const web_reading *r);

typedef struct {
	web_item *items;
	char **accepted;          /* per item: "A/0,B/0" */
	size_t n;
} web_cache_mine;

/* The cache read for the person REMOTE_USER names (pointers into file). */
typedef struct {
	dc_buf file;
	char *h[7];               /* the header: magic, commit, day, ack ref, pusher variable, site */
	char **dlines;
	size_t nd;
	dc_person me;
	web_cache_mine m;         /* my documents, my confirmations in them */
	char **pending;           /* per item: the pending revision, or "-" */
	const char *acc[64];      /* web_cache_ack_facts' accepted revisions */
	dc_date today;
} web_cache;

/* 0 with the person's items and confirmations, 1 no cache for this commit,
 * day and person (the full path answers); close it either way. */
int web_cache_open(web_cache *v, web_req *req);
void web_cache_close(web_cache *v);
/* The facts of a confirmation of `id` (a->who left to the caller): 0, or 1
 * when `id` is not on the list or is confirmed (the full path says so). */
int web_cache_ack_facts(web_cache *v, const char *id, web_ack *a);

/* pages.c: answers GET ?p=home and POST ?p=ack from the cache when it can
 * (the token of a POST checked): 0 answered, 1 the full path must. */
int web_route_cached(web_req *req);


/* A feedback item (reference §11): a new one on document `id` at
 * `revision` of `kind` with `text` (item NULL); or the decision `status`
 * on `item` with its reason in `text`. */
typedef struct {
	dc_date today;
	const char *id, *revision, *kind, *text;
	const char *item, *status;
} web_fb;

int web_fb_build(web_req *req, void *arg, const git_oid *tip, web_files *f);

#endif
