/*
 * site.h - the published, read-only copy of a protected branch (reference §7
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
 *   files/PATH      files the documents link to (images, attachments): only
 *                   inert types (images, PDF, office files, text; never
 *                   HTML, SVG, XML or script), never a dot-file or anything
 *                   in a dot-folder, as the commit that approved the linking
 *                   revision holds them (not the branch tip), and none that
 *                   a document left out as confidential links to; each blob
 *                   is read once, and a page follows at most 1000 of them
 *   .docctl-site    the list of files written, so a later run into the same
 *                   folder removes the pages that are no longer published
 *
 * Links between documents are rewritten to their pages; a link to a document
 * that is not published (confidential, or only a pending revision) keeps its
 * text and loses its target. Obsolete documents say "作废 / OBSOLETE" on
 * their page, in its title, and on every printed sheet. Raw HTML in a
 * document is shown as text, never passed through. Every page's footer says
 * "打印件为非受控文件 / uncontrolled when printed" and names the commit. Links
 * with a scheme other than http, https and mailto are dropped, and every page
 * carries a Content-Security-Policy under which no script runs. The
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

/* Links to files a page follows; the rest lose their target (a warning). */
#define DC_SITE_FILE_LINKS_MAX 1000

typedef struct {
	const char *out_dir;
	int include_confidential;
	const char *refname;        /* shown in the footer */
	const char *prefix;         /* the project root in the repository ("" or NULL: its top) */
	const git_oid *commit;      /* shown in the footer */
	dc_date today;
	/* the training matrix (reference §10.2): training.html and "已确认 N/M"
	 * on each document's page; NULL: neither */
	const struct dc_training *training;
	/* the open feedback items (reference §11, feedback.h): listed on each
	 * document's page, counted in the register; NULL: none */
	const struct dc_fb_open *feedback;
} dc_site_opts;

typedef struct {
	size_t pages;               /* document pages written */
	size_t archived;            /* of which obsolete */
	size_t withheld;            /* documents left out (confidential, nothing in force) */
	size_t files;               /* linked files copied */
	size_t removed;             /* stale files of an earlier run removed */
	size_t links_capped;        /* links to files not followed: over the limit per document */
	const char *capped_id;      /* the first document with too many */
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
