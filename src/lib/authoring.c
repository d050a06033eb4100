/*
 * authoring.c - facts the editing commands need (see authoring.h).
 */
#include "authoring.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "oidmap.h"
#include "source.h"

#define HISTORY_LIMIT 20000

const dc_docinfo *dc_docset_by_id(const dc_docset *set, const char *id, int *dups)
{
	const dc_docinfo *found = NULL;
	size_t i;

	*dups = 0;
	for (i = 0; i < set->n; i++) {
		if (!set->docs[i].id || strcmp(set->docs[i].id, id))
			continue;
		if (found)
			*dups = 1;
		else
			found = &set->docs[i];
	}
	return found;
}

/*
 * The number at the end of an id pattern: "[0-9]{3}", "\d{2}", "[0-9]+" or
 * one digit, with an optional "$". Sets *stem_len to the length of what
 * comes before it (a leading "^" excluded, *stem_at says where the stem
 * starts) and *width to the digit count (1 for "+"). Returns 0, or -1 when
 * the pattern does not end in a run of digits.
 */
static int number_tail(const char *pattern, size_t *stem_at, size_t *stem_len, int *width)
{
	size_t n = strlen(pattern), start = pattern[0] == '^';
	const char *end;

	if (n > start && pattern[n - 1] == '$')
		n--;
	*width = 1;
	if (n > start && pattern[n - 1] == '+') {
		n--;
	} else if (n > start && pattern[n - 1] == '}') {
		size_t open = n - 1;
		long w;

		while (open > start && pattern[open] != '{')
			open--;
		w = strtol(pattern + open + 1, (char **)&end, 10);
		if (pattern[open] != '{' || end != pattern + n - 1 || w < 1 || w > 12)
			return -1;
		*width = (int)w;
		n = open;
	}
	if (n >= start + 5 && !strncmp(pattern + n - 5, "[0-9]", 5))
		n -= 5;
	else if (n >= start + 2 && !strncmp(pattern + n - 2, "\\d", 2))
		n -= 2;
	else
		return -1;
	*stem_at = start;
	*stem_len = n - start;
	return 0;
}

/* Whether the stem of a pattern is plain text (no regular expression). */
static int literal_stem(const char *stem, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)stem[i]) && stem[i] != '-' && stem[i] != '_' && stem[i] != '/')
			return 0;
	return 1;
}

/* The part of an id before its final run of digits ("WI-KF-" of "WI-KF-07"). */
static size_t id_stem(const char *id)
{
	size_t n = strlen(id);

	while (n > 0 && isdigit((unsigned char)id[n - 1]))
		n--;
	return n;
}

static int matches(const dc_type *t, const char *id)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int r;

	if (!md)
		return dc_error_oom();
	r = pcre2_match(t->id.re, (PCRE2_SPTR)id, strlen(id), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return r >= 0;
}

/*
 * The text before the number of the next id: `want` when given, else the
 * pattern's stem when it is plain text, else the one stem the type's ids in
 * `set` share. A pattern like "WI-[A-Z]{2}-[0-9]{2}" with ids of several
 * stems needs the choice said (--prefix).
 */
static int choose_stem(dc_buf *out, const dc_type *t, const dc_docset *set, const char *want, size_t stem_at,
		       size_t stem_len)
{
	dc_strlist stems = { 0 };
	dc_buf list = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	dc_buf_clear(out);
	if (want)
		return dc_buf_puts(out, want);
	if (literal_stem(t->id.pattern + stem_at, stem_len))
		return dc_buf_put(out, t->id.pattern + stem_at, stem_len);
	for (i = 0; i < set->n && rc == 0; i++) {
		const char *id = set->docs[i].id;

		if (id && set->docs[i].type && !strcmp(set->docs[i].type, t->name) && id_stem(id) < strlen(id)) {
			dc_buf_clear(&list);
			if ((rc = dc_buf_put(&list, id, id_stem(id))) == 0)
				rc = dc_strlist_add_unique(&stems, list.ptr);
		}
	}
	if (rc == 0 && stems.n == 1) {
		rc = dc_buf_puts(out, stems.v[0]);
	} else if (rc == 0) {
		dc_buf_clear(&list);
		for (i = 0; i < stems.n; i++)
			dc_buf_printf(&list, "%s--prefix %s", i ? ", " : "", stems.v[i]);
		rc = stems.n ? dc_error_set(_("ids of type %s start in several ways; say which with %s (or give the whole id with --id)"),
					    t->name, list.ptr)
			     : dc_error_set(_("type %s has no document yet and its ids (%s) do not say how they start; "
					    "say it with --prefix (for example the part before the number) or give the whole id with --id"),
					    t->name, t->id.pattern);
	}
	dc_strlist_dispose(&stems);
	dc_buf_dispose(&list);
	return rc;
}

static void note_number(const char *id, const dc_buf *prefix, int width, long *max)
{
	const char *digits;
	char *end;
	long n;

	if (strncmp(id, prefix->ptr, prefix->len))
		return;
	digits = id + prefix->len;
	if (!isdigit((unsigned char)*digits))
		return;
	n = strtol(digits, &end, 10);
	if (*end == '\0' && (int)(end - digits) >= width && n > *max)
		*max = n;
}

/* Scans the controlled documents of one branch for ids of the type. */
static int branch_ids(git_repository *repo, const char *prefix, const dc_policy *p, git_reference *ref,
		      const dc_buf *idprefix, int width, long *max)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	dc_source *src = NULL;
	dc_buf data = DC_BUF_INIT;
	dc_doc doc;
	dc_diags ignored;
	size_t i;
	int rc = 0;

	dc_doc_init(&doc);
	dc_diags_init(&ignored);
	if (git_reference_peel((git_object **)&commit, ref, GIT_OBJECT_COMMIT) < 0 ||
	    git_commit_tree(&tree, commit) < 0)
		goto cleanup; /* not a branch of commits: nothing to learn */
	if ((rc = dc_source_open_tree(&src, repo, tree, prefix)) < 0 ||
	    (rc = dc_source_scan(src, p->roots, p->nroots)) < 0)
		goto cleanup;
	for (i = 0; i < dc_source_count(src); i++) {
		const dc_entry *e = dc_source_entry(src, i);
		int truncated;
		const char *id;

		if (!dc_policy_controls(p, e->path) || e->symlink)
			continue;
		if ((rc = dc_source_read(src, e, DC_FILE_MAX + 1, &data, &truncated)) < 0 ||
		    (rc = dc_doc_parse(&doc, e->path, data.ptr, data.len, 0, &ignored)) < 0)
			goto cleanup;
		if (doc.root && (id = dc_doc_str(&doc, "id")))
			note_number(id, idprefix, width, max);
		dc_diags_dispose(&ignored);
	}
cleanup:
	dc_arena_dispose(&doc.arena);
	dc_diags_dispose(&ignored);
	dc_buf_dispose(&data);
	dc_source_free(src);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int dc_next_id(char **out, git_repository *repo, const char *prefix, const dc_policy *p,
	       const dc_type *t, const dc_docset *set, const char *want_prefix)
{
	dc_buf idprefix = DC_BUF_INIT, id = DC_BUF_INIT;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	size_t stem_at, stem_len;
	long max = 0;
	int width, rc = 0;
	size_t i;

	*out = NULL;
	if (number_tail(t->id.pattern, &stem_at, &stem_len, &width) < 0) {
		rc = dc_error_set(_("the ids of type %s (%s) do not end in a number, so docctl cannot count on; give the id with --id"),
				  t->name, t->id.pattern);
		goto cleanup;
	}
	if ((rc = choose_stem(&idprefix, t, set, want_prefix, stem_at, stem_len)) < 0)
		goto cleanup;
	for (i = 0; i < set->n; i++)
		if (set->docs[i].id)
			note_number(set->docs[i].id, &idprefix, width, &max);
	if (repo && git_reference_iterator_glob_new(&it, repo, "refs/heads/*") == 0) {
		while (rc == 0 && git_reference_next(&ref, it) == 0) {
			rc = branch_ids(repo, prefix, p, ref, &idprefix, width, &max);
			git_reference_free(ref);
		}
	}
	if (rc == 0) {
		dc_buf_printf(&id, "%s%0*ld", idprefix.ptr, width, max + 1);
		if ((rc = matches(t, id.ptr)) == 0)
			rc = dc_error_set(_("the next id would be %s, which does not match the ids of type %s (%s); "
					  "give another --prefix, or the whole id with --id"), id.ptr, t->name, t->id.pattern);
		if (rc > 0) {
			rc = 0;
			*out = dc_buf_detach(&id);
		}
	}
cleanup:
	git_reference_iterator_free(it);
	dc_buf_dispose(&idprefix);
	dc_buf_dispose(&id);
	return rc;
}

int dc_type_folder(dc_buf *out, const dc_policy *p, const dc_type *t, const dc_docset *set)
{
	size_t i, j, best = 0, best_n = 0;

	dc_buf_clear(out);
	if (t->folder)
		return dc_buf_puts(out, t->folder);
	for (i = 0; i < set->n; i++) {
		const char *slash_i, *slash_j;
		size_t n = 0, len;

		if (!set->docs[i].type || strcmp(set->docs[i].type, t->name) || !(slash_i = strrchr(set->docs[i].path, '/')))
			continue;
		len = (size_t)(slash_i - set->docs[i].path);
		for (j = 0; j < set->n; j++) {
			if (!set->docs[j].type || strcmp(set->docs[j].type, t->name) ||
			    !(slash_j = strrchr(set->docs[j].path, '/')))
				continue;
			if ((size_t)(slash_j - set->docs[j].path) == len && !strncmp(set->docs[j].path, set->docs[i].path, len))
				n++;
		}
		if (n > best_n) {
			best_n = n;
			best = i;
		}
	}
	if (best_n)
		return dc_buf_put(out, set->docs[best].path, (size_t)(strrchr(set->docs[best].path, '/') - set->docs[best].path));
	return dc_buf_printf(out, "%s/%s", p->nroots ? p->roots[0] : "docs", t->name);
}

void dc_slug(dc_buf *out, const char *title)
{
	const unsigned char *p = (const unsigned char *)title;
	int dash = 0;

	dc_buf_clear(out);
	for (; *p; p++) {
		if (isalnum(*p)) {
			if (dash && out->len)
				dc_buf_putc(out, '-');
			dash = 0;
			dc_buf_putc(out, (char)tolower(*p));
		} else {
			dash = 1;
		}
		if (out->len >= 60)
			break;
	}
}

/* The document at `path` in a commit, parsed; 1 when absent. */
static int version_at(dc_doc *doc, git_repository *repo, git_commit *c, const char *full)
{
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	dc_diags ignored;
	int rc = 1;

	dc_diags_init(&ignored);
	if (git_commit_tree(&tree, c) < 0)
		return dc_error_set_git(_("cannot read a commit's tree"));
	if (git_tree_entry_bypath(&te, tree, full) == 0 && git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
		if (git_blob_lookup(&blob, repo, git_tree_entry_id(te)) < 0)
			rc = dc_error_set_git(_("cannot read a document version"));
		else
			rc = dc_doc_parse(doc, full, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), 0, &ignored);
	}
	dc_diags_dispose(&ignored);
	git_blob_free(blob);
	git_tree_entry_free(te);
	git_tree_free(tree);
	return rc;
}

/* A commit id queue for the history walk, with the set of the ids already
 * queued. */
typedef struct {
	git_oid *ids;
	size_t n, cap, head;
	dc_oidmap seen;
} oid_queue;

static int queue_push(oid_queue *q, const git_oid *id)
{
	size_t ignored;

	if (dc_oidmap_get(&q->seen, id, &ignored))
		return 0;
	if (dc_array_grow(&q->ids, &q->cap, q->n, sizeof(*q->ids)) < 0 || dc_oidmap_put(&q->seen, id, q->n) < 0)
		return -1;
	q->ids[q->n++] = *id;
	return 0;
}

int dc_content_authors(dc_strlist *out, git_repository *repo, const char *prefix, const char *path)
{
	oid_queue q;
	dc_buf full = DC_BUF_INIT;
	dc_doc cur, par;
	git_oid head;
	int rc = 0;

	memset(&q, 0, sizeof(q));
	dc_doc_init(&cur);
	dc_doc_init(&par);
	dc_buf_printf(&full, "%s%s%s", prefix, *prefix ? "/" : "", path);
	if (git_reference_name_to_id(&head, repo, "HEAD") < 0)
		goto cleanup; /* no commits yet: nobody */
	rc = queue_push(&q, &head);
	/* breadth first from HEAD; the walk stops at the last approved version
	 * of the document (and where the document did not exist) */
	while (rc == 0 && q.head < q.n && q.head < HISTORY_LIMIT) {
		git_commit *c = NULL;
		unsigned i, np;
		int r, changed = 1, stop;
		const char *status;

		if (git_commit_lookup(&c, repo, &q.ids[q.head++]) < 0) {
			rc = dc_error_set_git(_("cannot read a commit"));
			break;
		}
		r = version_at(&cur, repo, c, full.ptr);
		if (r < 0) {
			rc = r;
			git_commit_free(c);
			break;
		}
		np = git_commit_parentcount(c);
		status = r == 0 && cur.root ? dc_doc_str(&cur, "status") : NULL;
		stop = r != 0 || (status && dc_status_parse(status) == DC_STATUS_APPROVED);
		for (i = 0; r == 0 && !stop && i < np && changed; i++) {
			git_commit *pc = NULL;
			int pr;

			if (git_commit_parent(&pc, c, i) < 0) {
				rc = dc_error_set_git(_("cannot read a parent commit"));
				break;
			}
			pr = version_at(&par, repo, pc, full.ptr);
			if (pr < 0)
				rc = pr;
			else if (pr == 0 && dc_doc_same_content(&cur, &par))
				changed = 0;
			git_commit_free(pc);
		}
		if (rc == 0 && !stop && changed && cur.root)
			rc = dc_strlist_add_unique(out, git_commit_author(c)->email);
		for (i = 0; rc == 0 && !stop && i < np; i++)
			rc = queue_push(&q, git_commit_parent_id(c, i));
		git_commit_free(c);
	}
cleanup:
	free(q.ids);
	dc_oidmap_dispose(&q.seen);
	dc_arena_dispose(&cur.arena);
	dc_arena_dispose(&par.arena);
	dc_buf_dispose(&full);
	return rc;
}

/* The blob id of `full` in a commit's tree; 1 when absent. */
static int blob_at(git_commit *c, const char *full, git_oid *out)
{
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	int rc = 1;

	if (git_commit_tree(&tree, c) < 0)
		return dc_error_set_git(_("cannot read a commit's tree"));
	if (git_tree_entry_bypath(&te, tree, full) == 0) {
		git_oid_cpy(out, git_tree_entry_id(te));
		rc = 0;
	}
	git_tree_entry_free(te);
	git_tree_free(tree);
	return rc;
}

/* Whether commit `id` is on a remote-tracking branch: 1, 0, or -1. */
static int on_remote(git_repository *repo, const git_oid *id)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc = 0;

	if (git_reference_iterator_glob_new(&it, repo, "refs/remotes/*") < 0)
		return dc_error_set_git(_("cannot list the remote-tracking branches"));
	while (rc == 0 && git_reference_next(&ref, it) == 0) {
		const git_oid *tip = git_reference_target(ref);

		if (tip && (git_oid_equal(tip, id) || git_graph_descendant_of(repo, tip, id) == 1))
			rc = 1;
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	return rc;
}

int dc_approval_state_of(git_repository *repo, const char *prefix, const char *path, const char *email,
			 dc_approval_state *out)
{
	dc_buf full = DC_BUF_INIT;
	git_commit *head = NULL, *parent = NULL;
	git_buf sig = { 0 }, signed_data = { 0 };
	git_oid now, before;
	unsigned flags = 0;
	int rc, r;

	*out = DC_APPROVAL_COMMITTED;
	if ((rc = dc_buf_printf(&full, "%s%s%s", prefix, *prefix ? "/" : "", path)) < 0)
		return -1;
	if (git_status_file(&flags, repo, full.ptr) < 0) {
		rc = dc_error_set_git(_("cannot tell whether the document is committed"));
		goto cleanup;
	}
	if (flags & (GIT_STATUS_WT_NEW | GIT_STATUS_WT_MODIFIED | GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED)) {
		*out = DC_APPROVAL_UNCOMMITTED;
		goto cleanup;
	}
	if (git_revparse_single((git_object **)&head, repo, "HEAD^{commit}") < 0)
		goto cleanup; /* nothing committed: nothing to amend */
	/* HEAD must be the user's own unsigned commit that changed the file */
	if (strcmp(git_commit_author(head)->email, email) || git_commit_parentcount(head) != 1 ||
	    git_commit_extract_signature(&sig, &signed_data, repo, (git_oid *)git_commit_id(head), NULL) == 0)
		goto cleanup;
	if (git_commit_parent(&parent, head, 0) < 0) {
		rc = dc_error_set_git(_("cannot read HEAD's parent"));
		goto cleanup;
	}
	if ((r = blob_at(head, full.ptr, &now)) != 0 || ((r = blob_at(parent, full.ptr, &before)) == 0 &&
							  git_oid_equal(&now, &before))) {
		rc = r < 0 ? -1 : 0;
		goto cleanup;
	}
	if ((r = on_remote(repo, git_commit_id(head))) < 0)
		rc = -1;
	else if (r == 0)
		*out = DC_APPROVAL_AMENDABLE;
cleanup:
	git_buf_dispose(&sig);
	git_buf_dispose(&signed_data);
	git_commit_free(parent);
	git_commit_free(head);
	dc_buf_dispose(&full);
	return rc;
}
