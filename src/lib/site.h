/*
 * site.h - the published, read-only copy of a protected branch (SPEC §7
 * `publish`): static HTML pages rendered from the Markdown by md4c-html, one
 * CSS file, no JavaScript, readable when printed.
 *
 *   index.html      the register of the published documents, and a separate
 *                   archive list of the obsolete ones
 *   ID.html         one page per document: a header block (id, title,
 *                   revision, status, effective date, the approver with the
 *                   signature's manifestation), the text of the revision in
 *                   force, and the revision history at the bottom
 *   style.css
 *   files/PATH      files the documents link to (images, attachments)
 *   .docctl-site    the list of files written, so a later run into the same
 *                   folder removes the pages that are no longer published
 *
 * Links between documents are rewritten to their pages; a link to a document
 * that is not published (confidential, or only a pending revision) keeps its
 * text and loses its target. Obsolete documents say "作废 / OBSOLETE" on
 * their page, in its title, and on every printed sheet. Raw HTML in a
 * document is shown as text, never passed through. Every page's footer says
 * "打印件为非受控文件 / uncontrolled when printed" and names the commit. The
 * output depends only on the commit and "today" (which revisions are in
 * force): no build time is written, so the same input gives the same bytes.
 */
#ifndef DC_SITE_H
#define DC_SITE_H

#include <git2.h>

#include "buf.h"
#include "policy.h"
#include "register.h"
#include "source.h"

typedef struct {
	const char *out_dir;
	int include_confidential;
	const char *refname;        /* shown in the footer */
	const git_oid *commit;      /* shown in the footer */
	dc_date today;
} dc_site_opts;

typedef struct {
	size_t pages;               /* document pages written */
	size_t archived;            /* of which obsolete */
	size_t withheld;            /* documents left out (confidential, nothing in force) */
	size_t files;               /* linked files copied */
	size_t removed;             /* stale files of an earlier run removed */
} dc_site_stats;

/*
 * Writes the site of the documents in `reg` (built with every history and
 * verified signatures) into o->out_dir, reading files from `src` (the
 * branch's tree). The folder must be empty, missing, or made by an earlier
 * publish. Returns 0, or -1 with dc_error set.
 */
int dc_site_publish(dc_site_stats *stats, git_repository *repo, dc_source *src, const dc_policy *policy,
		    const dc_register *reg, const dc_site_opts *o);

/* The register as one standalone HTML page (no links, the CSS inline). */
int dc_site_register_page(dc_buf *out, const dc_register *reg, const char *refname,
			  const git_oid *commit);

#endif
