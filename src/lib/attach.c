/*
 * attach.c - see attach.h.
 */
#include "attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "markdown.h"
#include "snapshot.h"
#include "source.h"
#include "strmap.h"

int dc_files_join(const char **out, dc_arena *keep, const dc_doc *doc)
{
	const dc_node *v = doc->root ? dc_node_get(doc->root, "files") : NULL;
	dc_buf b = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!v || v->kind != DC_NODE_SEQ || !v->u.seq.n)
		return 0;
	for (i = 0; i < v->u.seq.n; i++) {
		const dc_node *e = v->u.seq.items[i];

		if (e->kind != DC_NODE_STR || !e->len || memchr(e->text, '\0', e->len) || memchr(e->text, '\n', e->len))
			continue; /* the schema or dc_check_files says why */
		if ((b.len && dc_buf_putc(&b, '\n') < 0) || dc_buf_put(&b, e->text, e->len) < 0)
			rc = -1;
	}
	if (rc == 0 && b.len && !(*out = dc_arena_strdup(keep, b.ptr)))
		rc = -1;
	dc_buf_dispose(&b);
	return rc;
}

int dc_file_path(dc_buf *out, const dc_policy *p, const char *doc_path, const char *entry, const char **why)
{
	const char *slash = strrchr(doc_path, '/'), *s;
	size_t dirlen = slash ? (size_t)(slash - doc_path) : 0;

	dc_buf_clear(out);
	*why = NULL;
	if (!*entry || entry[0] == '/' || strchr(entry, '\\') || strchr(entry, '\n')) {
		*why = N_("is not a path relative to the document's folder");
		return 1;
	}
	for (s = entry; *s;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) {
			*why = N_("has an empty, \".\" or \"..\" part; name a file in the document's folder or below it");
			return 1;
		}
		s += n + (e ? 1 : 0);
		if (e && !*s) {
			*why = N_("names a folder, not a file");
			return 1;
		}
	}
	if ((dirlen && (dc_buf_put(out, doc_path, dirlen) < 0 || dc_buf_putc(out, '/') < 0)) || dc_buf_puts(out, entry) < 0)
		return -1;
	if (p && dc_policy_controls(p, out->ptr)) {
		*why = N_("is a controlled document (.md), not an attachment");
		return 1;
	}
	return 0;
}

/* --- helpers --- */

int dc_attach_diag(dc_diags *diags, dc_severity sev, const char *file, dc_rule_id rule, const char *id,
		    const char *fmt, const char *a, const char *b, const char *c)
{
	if (dc_diags_add(diags, file, 0, 0, rule, id, fmt, a, b, c) < 0)
		return -1;
	diags->items[diags->n - 1].severity = sev;
	return 0;
}

/* git's own files (.gitattributes, .gitignore, .gitkeep): not attachments */
int dc_attach_git_file(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strcmp(base, ".gitattributes") || !strcmp(base, ".gitignore") || !strcmp(base, ".gitkeep");
}

/* --- claimed: listed in files, or linked from a document's text --- */

int dc_attach_claim(dc_diags *diags, dc_severity sev, const char *path, size_t nlisted, const char *by, int linked)
{
	int rc;

	if (nlisted == 1 || (nlisted == 0 && linked))
		return 0;
	if (nlisted)
		rc = dc_diags_add(diags, path, 0, 0, DC_R_FILE_UNCLAIMED, NULL,
				  _("%s is listed in files by %s and by another document; an attachment belongs to exactly one document%s"),
				  path, by ? by : "?", "");
	else
		rc = dc_diags_add(diags, path, 0, 0, DC_R_FILE_UNCLAIMED, NULL,
				  _("%s is under the roots, but no document lists it in files or links to it; list it in its document's files, or move it out of the roots"),
				  path);
	if (rc < 0)
		return -1;
	diags->items[diags->n - 1].severity = sev;
	return 0;
}

int dc_attach_links(dc_doc *doc, dc_link_cb cb, void *payload)
{
	dc_arena arena;
	dc_md_facts f;
	dc_buf target = DC_BUF_INIT;
	size_t i;
	int rc;

	if (!doc->body)
		return 0;
	dc_arena_init(&arena);
	memset(&f, 0, sizeof(f));
	rc = dc_markdown_scan(&f, &arena, doc->body, doc->body_len, doc->fm.body_line, doc->fm.body_off, NULL);
	for (i = 0; rc == 0 && i < f.nlinks; i++) {
		int r;

		if (f.links[i].autolink)
			continue;
		r = dc_link_resolve(&target, doc->path, f.links[i].dest);
		if (r < 0)
			rc = -1;
		else if (r == 1 && target.len)
			rc = cb(target.ptr, payload);
	}
	dc_buf_dispose(&target);
	dc_arena_dispose(&arena);
	return rc;
}

int dc_files_same_in(git_repository *repo, const dc_doc *doc, const git_tree *a, const git_tree *b, const char *prefix)
{
	const dc_node *v = doc->root ? dc_node_get(doc->root, "files") : NULL;
	dc_buf rel = DC_BUF_INIT, full = DC_BUF_INIT;
	size_t i;
	int same = 1;

	(void)repo;
	for (i = 0; v && v->kind == DC_NODE_SEQ && i < v->u.seq.n && same == 1; i++) {
		const dc_node *e = v->u.seq.items[i];
		git_tree_entry *ea = NULL, *eb = NULL;
		const char *why;
		int ra, rb;

		if (e->kind != DC_NODE_STR || memchr(e->text, '\0', e->len) ||
		    dc_file_path(&rel, NULL, doc->path, e->text, &why) != 0)
			continue;
		dc_buf_clear(&full);
		dc_buf_printf(&full, "%s%s%s", prefix, *prefix ? "/" : "", rel.ptr);
		ra = git_tree_entry_bypath(&ea, a, full.ptr);
		rb = git_tree_entry_bypath(&eb, b, full.ptr);
		if ((ra < 0 && ra != GIT_ENOTFOUND) || (rb < 0 && rb != GIT_ENOTFOUND))
			same = -1;
		else if ((ra == 0) != (rb == 0) || (ra == 0 && !git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb))))
			same = 0;
		git_tree_entry_free(ea);
		git_tree_entry_free(eb);
	}
	dc_buf_dispose(&rel);
	dc_buf_dispose(&full);
	return same;
}

int dc_docinfo_files(const dc_docinfo *d, const dc_policy *p, dc_file_cb cb, void *payload)
{
	dc_buf path = DC_BUF_INIT;
	const char *s = d->files;
	int rc = 0;

	while (s && *s && rc == 0) {
		const char *nl = strchr(s, '\n'), *why;
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char *entry = strndup(s, n);

		s += n + (nl ? 1 : 0);
		if (!entry)
			return dc_error_oom();
		rc = dc_file_path(&path, p, d->path, entry, &why);
		rc = rc == 0 ? cb(entry, path.ptr, payload) : rc > 0 ? 0 : -1;
		free(entry);
	}
	dc_buf_dispose(&path);
	return rc;
}

int dc_file_blob(git_repository *repo, const git_tree *tree, const char *prefix, const char *path, git_oid *oid,
		 unsigned long long *size)
{
	dc_buf full = DC_BUF_INIT;
	git_tree_entry *e = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	size_t len;
	int rc;

	dc_buf_printf(&full, "%s%s%s", prefix ? prefix : "", prefix && *prefix ? "/" : "", path);
	rc = git_tree_entry_bypath(&e, tree, full.ptr);
	dc_buf_dispose(&full);
	if (rc == GIT_ENOTFOUND)
		return 1;
	if (rc < 0)
		return dc_error_set_git(_("cannot read a tree"));
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return 1;
	}
	git_oid_cpy(oid, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if (git_repository_odb(&odb, repo) < 0 || git_odb_read_header(&len, &type, odb, oid) < 0) {
		git_odb_free(odb);
		return dc_error_set_git(_("cannot read an attachment's size"));
	}
	git_odb_free(odb);
	*size = len;
	return 0;
}
