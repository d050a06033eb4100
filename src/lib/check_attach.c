/*
 * check_attach.c - the attachment rules of reference §9.3 over a whole tree
 * (dc_check_attachments, attach.h): each document's files entries, and the
 * files under the roots that no document, or more than one, lists.
 */
#include "attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "source.h"
#include "strmap.h"

typedef struct {
	char *path;             /* the map's key */
	const dc_docinfo *by;   /* the first document that lists it */
	unsigned n;             /* how many list it */
} claim;

static int wanted(const dc_check_opts *o, const char *path)
{
	return !o || dc_check_wanted(o, path);
}

static int file_size(const dc_project *p, const dc_entry *e, unsigned long long *size)
{
	git_odb *odb = NULL;
	size_t len;
	git_object_t type;
	int rc;

	if (e->has_stat) {
		*size = e->size;
		return 0;
	}
	if (!e->has_oid || !dc_source_repo(p->src))
		return 1;
	if (git_repository_odb(&odb, dc_source_repo(p->src)) < 0)
		return dc_error_set(_("cannot open the object database: %s"), git_error_last() ? git_error_last()->message : "?");
	rc = git_odb_read_header(&len, &type, odb, &e->oid);
	git_odb_free(odb);
	if (rc < 0)
		return dc_error_set(_("cannot read object %s"), git_oid_tostr_s(&e->oid));
	*size = len;
	return 0;
}


/* The files documents link to (an image in the text), into `linked`. */
static int collect_links(const dc_docset *set, dc_strmap *linked)
{
	size_t i, k;

	for (i = 0; i < set->n; i++)
		for (k = 0; k < set->docs[i].nlinks; k++)
			if (set->docs[i].links[k].target && dc_strmap_put(linked, set->docs[i].links[k].target, 0) < 0)
				return -1;
	return 0;
}

/* Every other file under the roots is claimed (dc_attach_claim()). */
static int check_unclaimed(const dc_project *p, const dc_check_opts *o, const dc_strmap *claims, const dc_strmap *linked,
			   const claim *cl, dc_diags *diags)
{
	const dc_policy *pol = p->policy;
	dc_severity sev = o && o->protected_ref ? DC_SEV_ERROR : DC_SEV_WARNING;
	size_t i;
	int rc = 0;

	for (i = 0; i < dc_source_count(p->src) && rc == 0; i++) {
		const dc_entry *e = dc_source_entry(p->src, i);
		size_t at;
		int listed;

		if (e->symlink || dc_policy_controls(pol, e->path) || !wanted(o, e->path) || dc_attach_git_file(e->path))
			continue;
		listed = dc_strmap_get(claims, e->path, &at);
		rc = dc_attach_claim(diags, sev, e->path, listed ? cl[at].n : 0,
				     listed ? (cl[at].by->id ? cl[at].by->id : cl[at].by->path) : NULL,
				     dc_strmap_get(linked, e->path, &at));
	}
	return rc;
}

int dc_check_attachments(const dc_project *p, const dc_docset *set, const dc_check_opts *o, dc_diags *diags)
{
	const dc_policy *pol = p->policy;
	dc_strmap claims, linked;
	claim *cl = NULL;
	size_t ncl = 0, cap = 0, i;
	dc_buf path = DC_BUF_INIT;
	int rc = 0;

	dc_strmap_init(&claims);
	dc_strmap_init(&linked);
	for (i = 0; i < set->n && rc == 0; i++) {
		const dc_docinfo *d = &set->docs[i];
		const dc_type *t = d->type ? dc_policy_type(pol, d->type) : NULL;
		const char *s = d->files;

		while (s && *s && rc == 0) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) : strlen(s), at;
			char *entry = strndup(s, n);
			const char *why;
			const dc_entry *e;
			unsigned long long size = 0;
			int r;

			s += n + (nl ? 1 : 0);
			if (!entry) {
				rc = dc_error_oom();
				break;
			}
			r = dc_file_path(&path, pol, d->path, entry, &why);
			if (r < 0) {
				rc = -1;
			} else if (r > 0) {
				if (wanted(o, d->path))
					rc = dc_attach_diag(diags, DC_SEV_ERROR, d->path, DC_R_FILES_INVALID, d->id,
						      _("files entry \"%s\" %s%s"), entry, _(why), "");
			} else if (dc_strmap_get(&claims, path.ptr, &at)) {
				if (cl[at].by == d) {
					if (wanted(o, d->path))
						rc = dc_attach_diag(diags, DC_SEV_ERROR, d->path, DC_R_FILES_INVALID, d->id,
							      _("files lists \"%s\" twice%s%s; list each file once"), entry, "", "");
				} else {
					cl[at].n++;
				}
			} else {
				if (ncl == cap) {
					claim *g = realloc(cl, (cap = cap ? cap * 2 : 64) * sizeof(*cl));

					if (!g) {
						rc = dc_error_oom();
						free(entry);
						break;
					}
					cl = g;
				}
				cl[ncl].by = d;
				cl[ncl].n = 1;
				if (!(cl[ncl].path = strdup(path.ptr)) || dc_strmap_put(&claims, cl[ncl].path, ncl) < 0) {
					free(cl[ncl].path);
					rc = dc_error_oom();
					free(entry);
					break;
				}
				if (!(e = dc_source_find(p->src, path.ptr))) {
					if (wanted(o, d->path))
						rc = dc_attach_diag(diags, DC_SEV_ERROR, d->path, DC_R_LINK_BROKEN, d->id,
							      _("files lists \"%s\", but %s is not in the tree; add the file or remove it from files%s"),
							      entry, path.ptr, "");
				} else if (t && wanted(o, d->path) && (r = file_size(p, e, &size)) < 0) {
					rc = -1;
				} else if (t && wanted(o, d->path) && r == 0 && size > t->max_file_size) {
					char sz[64];

					snprintf(sz, sizeof(sz), "%llu > %llu", size, t->max_file_size);
					rc = dc_attach_diag(diags, DC_SEV_ERROR, path.ptr, DC_R_FILE_TOO_LARGE, d->id,
						      _("attachment of %s is larger than its type's max_file_size (%s bytes)%s"), d->id ? d->id : d->path,
						      sz, "");
				}
				ncl++;
			}
			free(entry);
		}
	}
	/* what documents link to (an image in the text) is theirs as well */
	if (rc == 0)
		rc = collect_links(set, &linked);
	if (rc == 0)
		rc = check_unclaimed(p, o, &claims, &linked, cl, diags);
	dc_buf_dispose(&path);
	dc_strmap_dispose(&claims);
	dc_strmap_dispose(&linked);
	for (i = 0; i < ncl; i++)
		free(cl[i].path);
	free(cl);
	return rc;
}

