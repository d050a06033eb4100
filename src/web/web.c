/*
 * web.c - the CGI core of docctl-web (web.h; reference §12): the request,
 * the person, the anti-CSRF token, the language, the reply.
 */
#include "web.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "escape.h"
#include "i18n.h"
#include "receive.h"

#define SECRET_FILE "docctl-web.secret"
#define SECRET_LEN 32

void web_text(web_req *req, const char *s)
{
	dc_html_escape(&req->page, s ? s : "");
}

void web_para(web_req *req, const char *cls, const char *text)
{
	dc_buf_printf(&req->page, "<p class=\"%s\">", cls);
	web_text(req, text);
	dc_buf_puts(&req->page, "</p>\n");
}

int web_fail(web_req *req, int status, const char *message)
{
	req->status = status;
	req->title = _("docctl: refused");
	dc_buf_clear(&req->page);
	web_para(req, "err", message);
	return status;
}

/* --- the request --- */

static int parse_length(const char *s, size_t *out)
{
	size_t n = 0;

	if (!s || !*s || strlen(s) > 9)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (size_t)(*s - '0');
	}
	*out = n;
	return 0;
}

static int form_from(web_req *req, dc_form *f, const char *s, size_t len)
{
	const char *why = NULL;
	int rc = dc_form_parse(f, s, len, &why);

	if (rc < 0)
		return web_fail(req, 500, _("docctl-web: out of memory"));
	if (rc > 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), _("docctl-web: the request is refused: %s"), _(why));
		return web_fail(req, 400, msg);
	}
	return 0;
}

int web_read_request(web_req *req)
{
	const char *method = getenv("REQUEST_METHOD");
	const char *qs = getenv("QUERY_STRING");
	const char *script = getenv("SCRIPT_NAME");
	size_t i, n;
	int rc;

	req->remote_user = getenv("REMOTE_USER");
	if (script && strlen(script) < sizeof(req->script)) {
		for (i = 0; script[i]; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.-~", script[i]))
				break;
		if (!script[i])
			memcpy(req->script, script, i + 1);
	}
	if (qs && strlen(qs) > 4096)
		return web_fail(req, 414, _("docctl-web: the address is too long"));
	if (qs && (rc = form_from(req, &req->query, qs, strlen(qs))) != 0)
		return rc;
	if (!method || !strcmp(method, "GET") || !strcmp(method, "HEAD"))
		return 0;
	if (strcmp(method, "POST"))
		return web_fail(req, 405, _("docctl-web: only GET and POST are answered"));
	req->post = 1;
	{
		const char *type = getenv("CONTENT_TYPE");
		const char *ct = "application/x-www-form-urlencoded";
		char *data;
		size_t got = 0;

		if (!type || strncmp(type, ct, strlen(ct)) || (type[strlen(ct)] && type[strlen(ct)] != ';'))
			return web_fail(req, 415, _("docctl-web: a form must be sent as application/x-www-form-urlencoded"));
		if (parse_length(getenv("CONTENT_LENGTH"), &n) < 0)
			return web_fail(req, 411, _("docctl-web: the request does not say its length"));
		if (n > WEB_BODY_MAX)
			return web_fail(req, 413, _("docctl-web: the form is too large"));
		if (!(data = malloc(n + 1)))
			return web_fail(req, 500, _("docctl-web: out of memory"));
		while (got < n) {
			size_t r = fread(data + got, 1, n - got, stdin);

			if (r == 0)
				break;
			got += r;
		}
		if (got != n) {
			free(data);
			return web_fail(req, 400, _("docctl-web: the form ended before its length"));
		}
		rc = form_from(req, &req->body, data, n);
		free(data);
		return rc;
	}
}

/* --- the language --- */

/* The q of one Accept-Language entry (1000 for 1.0), -1 when malformed. */
static int quality(const char *p, size_t len)
{
	const char *q = NULL;
	size_t i;
	int v = 0, scale = 1000;

	for (i = 0; i + 1 < len; i++)
		if (p[i] == 'q' && p[i + 1] == '=')
			q = p + i + 2;
	if (!q)
		return 1000;
	if (*q == '1')
		return 1000;
	if (*q != '0')
		return -1;
	q++;
	if (q < p + len && *q == '.')
		for (q++; q < p + len && *q >= '0' && *q <= '9' && scale > 1; q++) {
			scale /= 10;
			v += (*q - '0') * scale;
		}
	return v;
}

void web_locale(web_req *req)
{
	const char *al = getenv("HTTP_ACCEPT_LANGUAGE");
	int best_zh = -1, best_en = -1;

	/* zh_CN first: Chinese unless the browser prefers English */
	if (al && strlen(al) < 1024) {
		const char *p = al;

		while (*p) {
			size_t len = strcspn(p, ",");
			size_t tag = strcspn(p, ";,");
			const char *t = p;
			int q;

			while (tag && (*t == ' ' || *t == '\t')) {
				t++;
				tag--;
			}
			q = quality(p, len);
			if (tag >= 2 && (t[0] == 'z' || t[0] == 'Z') && (t[1] == 'h' || t[1] == 'H') &&
			    (tag == 2 || t[2] == '-' || t[2] == '_') && q > best_zh)
				best_zh = q;
			else if (tag >= 2 && (t[0] == 'e' || t[0] == 'E') && (t[1] == 'n' || t[1] == 'N') &&
				 (tag == 2 || t[2] == '-' || t[2] == '_') && q > best_en)
				best_en = q;
			p += len;
			if (*p == ',')
				p++;
		}
	}
	req->zh = !(best_en > 0 && best_en > best_zh);
	if (!(req->zh && (setlocale(LC_ALL, "zh_CN.UTF-8") || setlocale(LC_ALL, "zh_CN.utf8")))) {
		req->zh = 0;
		if (!setlocale(LC_ALL, "C.UTF-8"))
			setlocale(LC_ALL, "C");
	}
	setlocale(LC_NUMERIC, "C");
	dc_i18n_bind();
}

/* --- the repository and the person --- */

int web_open_repo(web_req *req)
{
	const char *gitdir = getenv("GIT_DIR");
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	if (!req->remote_user || !*req->remote_user)
		return web_fail(req, 403, _("docctl-web: the web server did not say who you are (REMOTE_USER); "
					    "it must authenticate every request"));
	if (git_repository_open_bare(&req->repo, gitdir && *gitdir ? gitdir : ".") < 0)
		return web_fail(req, 500, _("docctl-web: the current folder is not the server's bare repository; "
					    "run docctl-web in it (cd into it in the CGI wrapper)"));
	if (dc_trust_configured(&req->trusted_ref, req->repo) < 0 || !req->trusted_ref)
		return web_fail(req, 500, _("docctl-web: docctl.trustedRef is not set in the repository; "
					    "set it with 'git config docctl.trustedRef refs/heads/main'"));
	if (git_revparse_single(&obj, req->repo, req->trusted_ref) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return web_fail(req, 500, _("docctl-web: the trusted ref (docctl.trustedRef) does not name a commit"));
	}
	req->commit = *git_object_id(peeled);
	rc = git_commit_tree(&req->tree, (git_commit *)peeled);
	git_object_free(peeled);
	git_object_free(obj);
	return rc < 0 ? web_fail(req, 500, _("docctl-web: cannot read the trusted ref")) : 0;
}

int web_open(web_req *req)
{
	dc_diags diags;
	int rc;

	if (dc_source_open_tree(&req->src, req->repo, req->tree, "") < 0)
		return web_fail(req, 500, _("docctl-web: cannot read the trusted ref"));
	dc_diags_init(&diags);
	rc = dc_project_open(&req->project, req->src, &diags);
	dc_diags_dispose(&diags);
	if (rc != 0)
		return web_fail(req, 500, _("docctl-web: the policy of the trusted ref is broken; fix it first"));
	req->pusher_var = req->project->policy->npusher_env ? req->project->policy->pusher_env[0] : NULL;
	req->ack_ref = req->project->policy->training.ref;
	req->me = dc_policy_person(req->project->policy, req->remote_user);
	if (!req->me)
		req->me = dc_policy_person_by_email(req->project->policy, req->remote_user);
	if (!req->me) {
		char msg[512];

		snprintf(msg, sizeof(msg),
			 _("docctl-web: you are signed in as someone who is not a person of the policy (people in "
			   "docctl.yaml, by id or email); ask the document controller to add you"));
		return web_fail(req, 403, msg);
	}
	if (web_token(req->token, req->repo, req->me->key, (long)(time(NULL) / 86400)) < 0)
		return web_fail(req, 500, _("docctl-web: cannot read or create the secret docctl-web.secret in the "
					    "repository's git folder"));
	return 0;
}

/* --- the anti-CSRF token --- */

static int read_secret(unsigned char key[SECRET_LEN], const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, key, SECRET_LEN);
	close(fd);
	return n == SECRET_LEN ? 0 : -1;
}

/* The secret: read, or made once (written to a private temporary file and
 * linked into place, so two first requests agree on one secret). */
static int secret(unsigned char key[SECRET_LEN], git_repository *repo)
{
	dc_buf path, tmp;
	int rc = -1, fd;

	dc_buf_init(&path);
	dc_buf_init(&tmp);
	if (dc_buf_printf(&path, "%s%s", git_repository_path(repo), SECRET_FILE) < 0 ||
	    dc_buf_printf(&tmp, "%s.%ld", path.ptr, (long)getpid()) < 0)
		goto out;
	if (read_secret(key, path.ptr) == 0) {
		rc = 0;
		goto out;
	}
	if (sodium_init() < 0)
		goto out;
	randombytes_buf(key, SECRET_LEN);
	unlink(tmp.ptr);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	if (write(fd, key, SECRET_LEN) != SECRET_LEN) {
		close(fd);
		unlink(tmp.ptr);
		goto out;
	}
	close(fd);
	if (link(tmp.ptr, path.ptr) < 0 && errno != EEXIST) {
		unlink(tmp.ptr);
		goto out;
	}
	unlink(tmp.ptr);
	rc = read_secret(key, path.ptr);
out:
	dc_buf_dispose(&path);
	dc_buf_dispose(&tmp);
	return rc;
}

int web_token(char out[65], git_repository *repo, const char *person, long day)
{
	unsigned char key[SECRET_LEN], mac[crypto_auth_hmacsha256_BYTES];
	dc_buf msg;
	int rc = -1;

	dc_buf_init(&msg);
	if (secret(key, repo) == 0 && dc_buf_printf(&msg, "docctl-web csrf\n%s\n%ld", person, day) == 0) {
		crypto_auth_hmacsha256(mac, (const unsigned char *)msg.ptr, msg.len, key);
		sodium_bin2hex(out, 65, mac, sizeof(mac));
		rc = 0;
	}
	sodium_memzero(key, sizeof(key));
	dc_buf_dispose(&msg);
	return rc;
}

int web_token_ok(git_repository *repo, const char *person, const char *given)
{
	long today = (long)(time(NULL) / 86400), d;
	char want[65];

	if (!given || strlen(given) != 64)
		return 0;
	for (d = today; d >= today - 1; d--)
		if (web_token(want, repo, person, d) == 0 && sodium_memcmp(want, given, 64) == 0)
			return 1;
	return 0;
}

/* --- the reply --- */

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

static const char style[] =
	"body{font-family:sans-serif;max-width:48em;margin:0 auto;padding:0.5em 1em;line-height:1.5}"
	"nav a{margin-right:1em}table{border-collapse:collapse;width:100%}"
	"td,th{border-bottom:1px solid #ccc;padding:0.3em;text-align:left;vertical-align:top}"
	".err{color:#a00;font-weight:bold}.ok{color:#070;font-weight:bold}.overdue{color:#a00}"
	"button{font-size:1em;padding:0.4em 0.8em}textarea,input,select{font-size:1em;max-width:100%}"
	"textarea{width:100%}"
	/* a phone: each row a block, its cells one under the other */
	"@media (max-width:40em){tr:first-child{display:none}tr{display:block;border-bottom:1px solid #ccc;"
	"padding:0.4em 0}td{display:block;border:0;padding:0.1em 0}}";

void web_send(web_req *req)
{
	int status = req->status ? req->status : 200;

	printf("Status: %d %s\r\n", status, reason(status));
	printf("Content-Type: text/html; charset=utf-8\r\n");
	printf("Cache-Control: no-store\r\n");
	printf("X-Content-Type-Options: nosniff\r\n");
	printf("X-Frame-Options: DENY\r\n");
	printf("Referrer-Policy: same-origin\r\n");
	printf("Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
	       "frame-ancestors 'none'\r\n");
	printf("\r\n");
	if (getenv("REQUEST_METHOD") && !strcmp(getenv("REQUEST_METHOD"), "HEAD")) {
		fflush(stdout);
		return; /* the headers only */
	}
	printf("<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	       req->zh ? "zh-CN" : "en");
	{
		dc_buf t;

		dc_buf_init(&t);
		dc_html_escape(&t, req->title ? req->title : "docctl");
		fwrite(t.ptr, 1, t.len, stdout);
		dc_buf_dispose(&t);
	}
	printf("</title>\n<style>%s</style></head><body>\n", style);
	if (req->page.len)
		fwrite(req->page.ptr, 1, req->page.len, stdout);
	printf("</body></html>\n");
	fflush(stdout);
}

void web_dispose(web_req *req)
{
	dc_form_dispose(&req->query);
	dc_form_dispose(&req->body);
	dc_project_free(req->project);
	dc_source_free(req->src);
	git_tree_free(req->tree);
	if (req->repo)
		git_repository_free(req->repo);
	free(req->trusted_ref);
	dc_buf_dispose(&req->page);
}
