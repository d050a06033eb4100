/*
 * stale.c - a copied-over approval, found by `check` and pre-commit (see
 * stale.h).
 */
#include "stale.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "child.h"
#include "delta.h"
#include "error.h"
#include "fields.h"
#include "i18n.h"
#include "strmap.h"
#include "tree_cursor.h"

static const char *const approval_fields[] = { "approved_by", "approved_on", "effective" };

int dc_stale_check(const dc_doc *before, const dc_doc *now, dc_diags *diags)
{
	const char *status, *id, *by;
	const dc_node *v, *rev;

	if (!before->root || !now->root)
		return 0;
	status = dc_doc_str(now, "status");
	v = dc_node_get(now->root, "approved_by");
	by = dc_doc_str(now, "approved_by");
	if (!status || dc_status_parse(status) != DC_STATUS_APPROVED || !v || v->kind == DC_NODE_NULL)
		return 0;
	if (dc_fields_differ(before, now, approval_fields, sizeof(approval_fields) / sizeof(approval_fields[0])) ||
	    dc_doc_same_content(before, now))
		return 0;
	id = dc_doc_str(now, "id");
	rev = dc_node_get(now->root, "revision");
	return dc_diags_add(diags, now->path, v->start.line, v->start.col, DC_R_APPROVAL_STALE, id,
			    _("%s%s%s changed but keeps the approval of the version before it (approved_by %s, approved_on %s); "
			    "an approver must approve this version (docctl approve %s), or set it back to draft "
			    "(status: draft, without approved_by, approved_on and effective)"),
			    id ? id : now->path, rev && rev->text ? " " : "", rev && rev->text ? rev->text : "",
			    by ? by : "?", dc_doc_str(now, "approved_on") ? dc_doc_str(now, "approved_on") : "-",
			    id ? id : "ID");
}

/* Parses `len` bytes as the document at `path` into `doc`. */
static int parse(dc_doc *doc, const char *path, const char *data, size_t len)
{
	dc_diags ignored;
	int rc;

	dc_diags_init(&ignored);
	rc = dc_doc_parse(doc, path, data, len, 0, &ignored);
	dc_diags_dispose(&ignored);
	return rc;
}

/* The blob entry at `full` in the cursor's tree, or NULL (borrowed: valid
 * until the next call); a folder that cannot be read has none. */
static const git_tree_entry *cursor_find(dc_tree_cursor *c, const char *full)
{
	const git_tree_entry *te;
	int rc = dc_tree_cursor_blob(c, full, &te);

	if (rc < 0)
		dc_error_clear();
	return rc == 1 ? te : NULL; /* none: new here (or renamed), no version before it at this path */
}

/* A document of `base` whose path is gone from the working tree. */
typedef struct {
	char *id, *path;
	git_oid blob;
} gone_doc;

/*
 * A check against `base`. For a working tree, what is known without reading
 * a document, worked out on another thread while the check runs: the index
 * (its blob ids and stat data, which tell a file unchanged as `git status`
 * does; a file written in the same second as the index is read anyway:
 * racy), and which index entries are not `base`'s blobs: the paths `git
 * diff-index --cached` lists (`changed`), or, when git cannot be run, the
 * entries compared with `base` one by one (`same`).
 */
struct dc_stale {
	const dc_project *p;
	git_tree *base;      /* borrowed: the main thread's */
	git_tree *now_tree;  /* borrowed: the tree checked, NULL for a working tree */
	char *prefix;
	char *gitdir;
	git_oid base_id;
	pthread_t thread;
	int started;
	char *workdir;
	const char **roots;  /* the policy's */
	size_t nroots;
	git_index *index;    /* the rest is the thread's result */
	int from_git;        /* `changed` holds git's answer, else `same` */
	dc_strmap changed;   /* repository paths of staged changes */
	char *listing;       /* what git printed (the keys of `changed`) */
	unsigned char *same; /* per index entry: base's blob */
	int64_t written;     /* the index file's mtime, seconds */
	int ok;
	gone_doc *gone;      /* documents of `base` that git says are gone from */
	size_t ngone, capgone; /* the working tree (renamed, perhaps), */
	dc_strmap gone_ids;  /* by id */
	int gone_ready;
};

/* Asks git which index entries under the roots differ from `base` (`git
 * diff-index --cached`: the index's cache of tree ids makes this cheap).
 * Returns 0, or -1 when git could not say. */
static int staged_from_git(dc_stale *s)
{
	const char **argv = calloc(s->nroots + 10, sizeof(*argv));
	dc_child res = { -1, DC_BUF_INIT, DC_BUF_INIT };
	dc_buf paths = DC_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t n = 0, i, off, *at = NULL;
	int rc = -1;

	if (!argv || !(at = calloc(s->nroots + 1, sizeof(*at))))
		goto done;
	git_oid_tostr(hex, sizeof(hex), &s->base_id);
	argv[n++] = "git";
	argv[n++] = "--literal-pathspecs";
	argv[n++] = "diff-index";
	argv[n++] = "--cached";
	argv[n++] = "--name-only";
	argv[n++] = "--no-renames";
	argv[n++] = "-z";
	argv[n++] = hex;
	argv[n++] = "--";
	for (i = 0; i < s->nroots; i++) {
		const char *root = strcmp(s->roots[i], ".") ? s->roots[i] : "";

		at[i] = paths.len;
		dc_buf_printf(&paths, "%s%s%s", s->prefix, *s->prefix && *root ? "/" : "", root);
		if (!paths.ptr[at[i]])
			dc_buf_puts(&paths, ".");
		dc_buf_putc(&paths, '\0');
	}
	if (dc_buf_grow(&paths, 0) < 0)
		goto done;
	for (i = 0; i < s->nroots; i++)
		argv[n++] = paths.ptr + at[i];
	if (dc_spawn(&res, s->workdir, argv, "/dev/null", (size_t)1 << 30, 60000) < 0 || res.code != 0 ||
	    (res.out.len && res.out.ptr[res.out.len - 1] != '\0'))
		goto done;
	s->listing = dc_buf_detach(&res.out);
	for (off = 0, i = 0; s->listing && s->listing[off]; off += strlen(s->listing + off) + 1)
		if (dc_strmap_put(&s->changed, s->listing + off, i++) < 0)
			goto done;
	rc = 0;
done:
	dc_child_dispose(&res);
	dc_buf_dispose(&paths);
	free(argv);
	free(at);
	return rc;
}

static void *known_work(void *arg)
{
	dc_stale *s = arg;
	git_repository *r = NULL;
	dc_tree_cursor cur;
	dc_buf path = DC_BUF_INIT, under = DC_BUF_INIT;
	struct stat st;
	size_t i, n;

	dc_tree_cursor_init(&cur, NULL);
	dc_buf_printf(&path, "%sindex", s->gitdir);
	if (*s->prefix)
		dc_buf_printf(&under, "%s/", s->prefix);
	if (git_index_open(&s->index, path.ptr) < 0 || stat(path.ptr, &st) < 0)
		goto done;
	s->written = (int64_t)st.st_mtime;
	if (staged_from_git(s) == 0) {
		s->from_git = s->ok = 1;
		goto done;
	}
	dc_error_clear();
	if (git_repository_open(&r, s->gitdir) < 0 || git_tree_lookup(&cur.base, r, &s->base_id) < 0)
		goto done;
	n = git_index_entrycount(s->index);
	if (!(s->same = calloc(n ? n : 1, 1)))
		goto done;
	for (i = 0; i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(s->index, i);
		const git_tree_entry *te;
		size_t len = strlen(e->path);

		if (GIT_INDEX_ENTRY_STAGE(e) || len < 3 || memcmp(e->path + len - 3, ".md", 3) ||
		    strncmp(e->path, under.ptr, under.len))
			continue;
		te = cursor_find(&cur, e->path);
		s->same[i] = te && git_oid_equal(git_tree_entry_id(te), &e->id);
	}
	s->ok = 1;
done:
	git_tree_free(cur.base);
	dc_tree_cursor_dispose(&cur);
	git_repository_free(r);
	dc_buf_dispose(&path);
	dc_buf_dispose(&under);
	dc_error_clear();
	return NULL;
}

/* Nonzero when the working tree file `e` (at `full` in the repository) is
 * HEAD's blob by what the thread found. */
static int known_same(const dc_stale *s, const dc_entry *e, const char *full)
{
	const git_index_entry *ie;
	size_t pos, ignored;

	if (!s->ok || !e->has_stat || git_index_find(&pos, s->index, full) < 0 ||
	    !(ie = git_index_get_byindex(s->index, pos)) || GIT_INDEX_ENTRY_STAGE(ie))
		return 0;
	if (s->from_git ? dc_strmap_get(&s->changed, full, &ignored) : !s->same[pos])
		return 0; /* staged: the index is not base's blob */
	return ie && e->size == ie->file_size && e->mtime_s == ie->mtime.seconds &&
	       e->mtime_ns == (long)ie->mtime.nanoseconds && (int64_t)ie->mtime.seconds < s->written;
}

/* One candidate for collect_gone(): the document of `base` at `full`,
 * when its file is gone from the working tree. */
static int gone_one(dc_stale *s, dc_doc *tmp, const char *full, size_t plen)
{
	size_t len = strlen(full);
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	const char *id;
	gone_doc *g;
	int rc = 0;

	if (len < plen + 3 || memcmp(full + len - 3, ".md", 3) ||
	    (plen && (strncmp(full, s->prefix, plen - 1) || full[plen - 1] != '/')) ||
	    dc_source_find(s->p->src, full + plen) || git_tree_entry_bypath(&te, s->base, full) < 0 ||
	    git_tree_entry_type(te) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, git_tree_owner(s->base), git_tree_entry_id(te)) < 0 ||
	    git_blob_rawsize(blob) > DC_FILE_MAX)
		goto done;
	rc = parse(tmp, full + plen, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	id = rc == 0 && tmp->root ? dc_doc_str(tmp, "id") : NULL;
	if (id && (rc = dc_array_grow(&s->gone, &s->capgone, s->ngone, sizeof(*s->gone))) == 0) {
		g = &s->gone[s->ngone++];
		memset(g, 0, sizeof(*g));
		git_oid_cpy(&g->blob, git_blob_id(blob));
		if (!(g->id = strdup(id)) || !(g->path = strdup(full + plen)))
			rc = dc_error_oom();
	}
done:
	git_blob_free(blob);
	git_tree_entry_free(te);
	if (rc == 0)
		dc_error_clear();
	return rc;
}

/* The documents of `base` whose files are gone from the working tree (a
 * deletion git has staged, or an index entry with no file), by id; once,
 * when a document at a new path needs them (their blobs are read). */
static int collect_gone(dc_stale *s, dc_doc *tmp)
{
	size_t off, plen = *s->prefix ? strlen(s->prefix) + 1 : 0, i, n = git_index_entrycount(s->index);
	int rc = 0;

	s->gone_ready = 1;
	for (off = 0; rc == 0 && s->listing && s->listing[off]; off += strlen(s->listing + off) + 1)
		rc = gone_one(s, tmp, s->listing + off, plen);
	for (i = 0; rc == 0 && i < n; i++) {
		const git_index_entry *e = git_index_get_byindex(s->index, i);

		if (!GIT_INDEX_ENTRY_STAGE(e))
			rc = gone_one(s, tmp, e->path, plen);
	}
	for (i = 0; rc == 0 && i < s->ngone; i++)
		rc = dc_strmap_put(&s->gone_ids, s->gone[i].id, i) < 0 ? -1 : 0;
	return rc;
}

/* Compares the document at `path` with id `id` (its summary says it is
 * approved) with its version in `base`: at the same path, or, when git
 * says the file of that id in `base` is gone, that one (a rename). */
static int one(dc_stale *s, const char *path, const char *id, dc_tree_cursor *cur, dc_buf *full,
	       dc_buf *now_bytes, dc_doc *before, dc_doc *now, dc_diags *diags)
{
	const git_tree_entry *te;
	git_blob *blob = NULL;
	const dc_entry *e;
	dc_entry looked;
	git_oid old, now_oid;
	size_t k;
	int truncated = 0, rc = 0;

	dc_buf_clear(full);
	dc_buf_printf(full, "%s%s%s", s->prefix, *s->prefix ? "/" : "", path);
	if (!(e = dc_source_find(s->p->src, path))) {
		if (dc_source_lookup(s->p->src, path, &looked) != 0)
			return 0;
		e = &looked;
	}
	if (!e->has_oid && known_same(s, e, full->ptr))
		return 0; /* HEAD's blob */
	if ((te = cursor_find(cur, full->ptr))) {
		git_oid_cpy(&old, git_tree_entry_id(te));
	} else { /* new at this path: renamed from a file that is gone? */
		if (!id || !s->ok || (!s->gone_ready && (rc = collect_gone(s, before)) < 0))
			return rc;
		if (!dc_strmap_get(&s->gone_ids, id, &k))
			return 0;
		git_oid_cpy(&old, &s->gone[k].blob);
	}
	if (e->has_oid && git_oid_equal(&e->oid, &old))
		return 0; /* the same blob */
	if ((rc = dc_source_read(s->p->src, e, DC_FILE_MAX + 1, now_bytes, &truncated)) < 0)
		goto cleanup;
	if (truncated)
		goto cleanup;
	if (!e->has_oid) {
		if (git_odb_hash(&now_oid, now_bytes->ptr, now_bytes->len, GIT_OBJECT_BLOB) < 0) {
			rc = dc_error_set_git(_("cannot hash a document"));
			goto cleanup;
		}
		if (git_oid_equal(&now_oid, &old))
			goto cleanup;
	}
	if (git_blob_lookup(&blob, git_tree_owner(cur->base), &old) < 0) {
		rc = dc_error_set_git(_("cannot read the previous version of a document"));
		goto cleanup;
	}
	if (git_blob_rawsize(blob) > DC_FILE_MAX)
		goto cleanup;
	if ((rc = parse(before, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob))) < 0 ||
	    (rc = parse(now, path, now_bytes->ptr, now_bytes->len)) < 0)
		goto cleanup;
	rc = dc_stale_check(before, now, diags);
cleanup:
	git_blob_free(blob);
	return rc;
}

/* approval.stale for every document that changed in `d` (matched by id:
 * delta.h) and that `o` wants (NULL: every one). Returns 0, or -1. */
static int dc_stale_delta(const dc_delta *d, const dc_check_opts *o, dc_diags *diags)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < d->n; i++) {
		const dc_change *c = &d->items[i];

		if (c->has_old && c->has_new && (!o || dc_check_wanted(o, c->new_doc.path)))
			rc = dc_stale_check(&c->old_doc, &c->new_doc, diags);
	}
	return rc;
}

int dc_stale_trees(const dc_policy *pol, const char *prefix, git_tree *before, git_tree *now,
		   const dc_check_opts *o, dc_diags *diags)
{
	dc_delta d;
	int rc;

	if (!before || !now)
		return 0;
	rc = dc_delta_compute(&d, git_tree_owner(now), pol, prefix, before, NULL, now);
	if (rc == 0)
		rc = dc_stale_delta(&d, o, diags);
	dc_delta_dispose(&d);
	return rc;
}

void dc_stale_free(dc_stale *s)
{
	size_t i;

	if (!s)
		return;
	if (s->started)
		pthread_join(s->thread, NULL);
	git_index_free(s->index);
	free(s->same);
	dc_strmap_dispose(&s->changed);
	free(s->listing);
	for (i = 0; i < s->ngone; i++) {
		free(s->gone[i].id);
		free(s->gone[i].path);
	}
	free(s->gone);
	dc_strmap_dispose(&s->gone_ids);
	free(s->workdir);
	free(s->prefix);
	free(s->gitdir);
	free(s);
}

int dc_stale_begin(dc_stale **out, const dc_project *p, git_tree *base, git_tree *now_tree, const char *prefix)
{
	git_repository *repo = dc_source_repo(p->src);
	dc_stale *s;

	*out = NULL;
	if (!base)
		return 0;
	if (!(s = calloc(1, sizeof(*s))) || !(s->prefix = strdup(prefix ? prefix : "")) ||
	    !(s->gitdir = strdup(git_repository_path(git_tree_owner(base))))) {
		dc_stale_free(s);
		return dc_error_oom();
	}
	s->p = p;
	s->base = base;
	s->now_tree = now_tree;
	s->roots = p->policy->roots;
	s->nroots = p->policy->nroots;
	dc_strmap_init(&s->changed);
	dc_strmap_init(&s->gone_ids);
	git_oid_cpy(&s->base_id, git_tree_id(base));
	if (!now_tree && dc_source_kind_of(p->src) == DC_SOURCE_WORKTREE && repo && git_repository_workdir(repo) &&
	    (s->workdir = strdup(git_repository_workdir(repo))) && pthread_create(&s->thread, NULL, known_work, s) == 0)
		s->started = 1;
	*out = s;
	return 0;
}

int dc_stale_end(dc_stale *s, const dc_docset *set, const dc_check_opts *o, dc_diags *diags)
{
	dc_buf full = DC_BUF_INIT, bytes = DC_BUF_INIT;
	dc_doc before, now;
	dc_tree_cursor cur;
	size_t i;
	int rc = 0;

	if (!s)
		return 0;
	if (s->started)
		pthread_join(s->thread, NULL);
	s->started = 0;
	if (s->now_tree)
		return dc_stale_trees(s->p->policy, s->prefix, s->base, s->now_tree, o, diags);
	dc_tree_cursor_init(&cur, s->base);
	dc_doc_init(&before);
	dc_doc_init(&now);
	for (i = 0; i < set->n && rc == 0; i++) {
		const dc_docinfo *d = &set->docs[i];

		if (!d->parsed || !d->status || dc_status_parse(d->status) != DC_STATUS_APPROVED || !d->approved_by ||
		    !dc_check_wanted(o, d->path))
			continue;
		rc = one(s, d->path, d->id, &cur, &full, &bytes, &before, &now, diags);
	}
	dc_arena_dispose(&before.arena);
	dc_arena_dispose(&now.arena);
	dc_buf_dispose(&full);
	dc_buf_dispose(&bytes);
	dc_tree_cursor_dispose(&cur);
	return rc;
}
