/*
 * check_tree.c - the shape of the tree under the roots: gitlinks, symbolic
 * links, names that collide on a case-insensitive or normalising file
 * system, and .gitattributes that transform files on checkout (see
 * check_tree.h, reference §6.1 item 3b).
 */
#include "check_tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <utf8proc.h>

#include "error.h"
#include "i18n.h"
#include "strlist.h"
#include "strmap.h"
#include "text.h"
#include "treediff.h"

#define MODE_LINK 0120000
#define MODE_GITLINK 0160000
#define MODE_TREE 0040000

static const char *const transforming[] = { "filter", "working-tree-encoding", "eol", "text", "ident", "export-subst" };
#define NTRANSFORMING (sizeof(transforming) / sizeof(transforming[0]))

int dc_shape_fold(dc_buf *out, const char *name, size_t len)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t n;

	dc_buf_clear(out);
	if (!len)
		return 0;
	for (n = 0; (size_t)n < len && !((unsigned char)name[n] & 0x80); n++)
		;
	if ((size_t)n == len) {
		/* ASCII, most names: its NFC is itself and its folding is tolower */
		if (dc_buf_grow(out, len) < 0)
			return -1;
		for (n = 0; (size_t)n < len; n++)
			out->ptr[n] = name[n] >= 'A' && name[n] <= 'Z' ? (char)(name[n] - 'A' + 'a') : name[n];
		out->ptr[len] = '\0';
		out->len = len;
		return 0;
	}
	n = utf8proc_map((const utf8proc_uint8_t *)name, (utf8proc_ssize_t)len, &mapped,
			 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0) {
		free(mapped);
		if (n == UTF8PROC_ERROR_NOMEM)
			return dc_error_oom();
		return dc_buf_put(out, name, len); /* not UTF-8: as it is */
	}
	n = dc_buf_put(out, mapped, (size_t)n);
	free(mapped);
	return (int)n;
}

/* --- what one evaluation shares --- */

/* What a .gitattributes may reach (reach_of()). */
typedef struct reach {
	int any;
	dc_buf suffixes;         /* NUL-separated */
} reach;


typedef struct {
	const dc_project *p;
	const dc_check_opts *o;    /* NULL: every finding is wanted */
	dc_diags *diags;
	dc_strmap reported;        /* "rule path": each finding once */
	dc_arena arena;
	dc_strmap attrs;           /* folder -> 1 when its .gitattributes may transform */
	int any_attrs;             /* some folder's .gitattributes may */
	reach *reaches;            /* what each such .gitattributes may reach */
	size_t nreaches, capreaches;
	dc_buf tmp, tmp2;
	git_repository *attr_repo; /* the .gitattributes met, as the index of */
	git_index *attr_index;     /* the repository opened again (attr_add()) */
	git_odb *attr_odb;         /* its objects: in memory */
	int attr_failed;
	dc_buf base[NTRANSFORMING]; /* what info/attributes alone gives (probe_attrs()) */
	int have_base;
	dc_strmap flagged_roots;   /* roots where attributes.transform was found */
} shape;

static void shape_init(shape *sh, const dc_project *p, const dc_check_opts *o, dc_diags *diags)
{
	/* the maps and the arena start zeroed: empty (strmap.h, arena.h) */
	*sh = (shape){ .p = p, .o = o, .diags = diags, .tmp = DC_BUF_INIT, .tmp2 = DC_BUF_INIT };
}

static void shape_dispose(shape *sh)
{
	size_t i;

	dc_strmap_dispose(&sh->reported);
	dc_strmap_dispose(&sh->attrs);
	dc_strmap_dispose(&sh->flagged_roots);
	dc_arena_dispose(&sh->arena);
	for (i = 0; i < NTRANSFORMING; i++)
		dc_buf_dispose(&sh->base[i]);
	dc_buf_dispose(&sh->tmp);
	dc_buf_dispose(&sh->tmp2);
	git_repository_free(sh->attr_repo);
	git_index_free(sh->attr_index);
	git_odb_free(sh->attr_odb);
	for (i = 0; i < sh->nreaches; i++)
		dc_buf_dispose(&sh->reaches[i].suffixes);
	free(sh->reaches);
}

/* Nonzero (once per rule and path) when a finding about `path` is to be
 * added. Returns -1 when memory runs out. */
static int first_time(shape *sh, dc_rule_id rule, const char *path)
{
	size_t at;
	char *key;

	if (sh->o && !dc_check_wanted(sh->o, path))
		return 0;
	dc_buf_clear(&sh->tmp2);
	if (dc_buf_printf(&sh->tmp2, "%s %s", dc_rules[rule].name, path) < 0)
		return -1;
	if (dc_strmap_get(&sh->reported, sh->tmp2.ptr, &at))
		return 0;
	if (!(key = dc_arena_strdup(&sh->arena, sh->tmp2.ptr)) || dc_strmap_put(&sh->reported, key, 1) < 0)
		return -1;
	return 1;
}

/* The root `path` lies under ("" included), or NULL. */
static const char *root_of(const dc_policy *pol, const char *path)
{
	size_t i;

	for (i = 0; i < pol->nroots; i++) {
		size_t rl = strlen(pol->roots[i]);

		if (!rl || (!strncmp(path, pol->roots[i], rl) && path[rl] == '/'))
			return pol->roots[i];
	}
	return NULL;
}

/* --- gitlinks and symbolic links --- */

static int gitlink_found(shape *sh, const char *path)
{
	int rc = first_time(sh, DC_R_FILE_SUBMODULE, path);

	if (rc <= 0)
		return rc;
	return dc_diags_add(sh->diags, path, 0, 0, DC_R_FILE_SUBMODULE, NULL,
			    _("%s is a submodule (a link to a commit of another repository), not a file or a folder; "
			    "only files and folders may stand under the roots: remove it with git rm --cached %s and add the files themselves"),
			    path, path);
}

static int symlink_found(shape *sh, const char *path)
{
	int rc;

	if (dc_policy_controls(sh->p->policy, path))
		return 0; /* the document rules report it (file.symlink) */
	if ((rc = first_time(sh, DC_R_FILE_SYMLINK, path)) <= 0)
		return rc;
	return dc_diags_add(sh->diags, path, 0, 0, DC_R_FILE_SYMLINK, NULL,
			    _("%s is a symbolic link; only files and folders may stand under the roots: "
			    "remove it with git rm --cached %s and put the file or folder itself there"),
			    path, path);
}

/* --- names that collide --- */

typedef struct {
	const char *raw;     /* the name as written */
	const char *key;     /* its folded form */
	int kind;            /* as dc_source_names() says */
} name_item;

typedef struct {
	shape *sh;
	name_item *items;
	size_t n, cap;
} name_list;

static int name_add(const char *name, size_t len, int kind, void *payload)
{
	name_list *l = payload;
	shape *sh = l->sh;
	name_item *it;

	if (dc_array_grow(&l->items, &l->cap, l->n, sizeof(*l->items)) < 0)
		return -1;
	it = &l->items[l->n];
	it->kind = kind;
	if (!(it->raw = dc_arena_strndup(&sh->arena, name, len)) || dc_shape_fold(&sh->tmp, name, len) < 0 ||
	    !(it->key = dc_arena_strndup(&sh->arena, sh->tmp.ptr, sh->tmp.len)))
		return -1;
	l->n++;
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const name_item *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->raw, y->raw);
}

static int collision_found(shape *sh, const char *dir, const char *name, const char *other)
{
	dc_buf path = DC_BUF_INIT, with = DC_BUF_INIT;
	int rc;

	dc_buf_printf(&path, "%s%s%s", dir, *dir ? "/" : "", name);
	dc_buf_printf(&with, "%s%s%s", dir, *dir ? "/" : "", other);
	rc = first_time(sh, DC_R_PATH_COLLISION, path.ptr);
	if (rc > 0)
		rc = dc_diags_add(sh->diags, path.ptr, 0, 0, DC_R_PATH_COLLISION, NULL,
				  _("%s and %s differ only in letter case or Unicode normalisation: Windows and macOS see one "
				  "name, so a checkout there shows only one of them; rename one with git mv"),
				  path.ptr, with.ptr);
	dc_buf_dispose(&path);
	dc_buf_dispose(&with);
	return rc < 0 ? -1 : 0;
}

/*
 * The names of the folder `dir` that fold alike. With `only` (a root's
 * name in a folder above it), only collisions with that name count.
 */
static int collisions_in(shape *sh, const char *dir, name_list *l, const char *only)
{
	size_t start, end, j;

	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), item_cmp);
	for (start = 0; start < l->n; start = end) {
		for (end = start + 1; end < l->n && !strcmp(l->items[end].key, l->items[start].key); end++)
			;
		for (j = start; only && j < end && strcmp(l->items[j].raw, only); j++)
			;
		if (end - start < 2 || (only && j == end))
			continue;
		for (j = start + 1; j < end; j++) {
			const char *with = only ? only : l->items[start].raw;

			if (!strcmp(l->items[j].raw, l->items[j - 1].raw) || !strcmp(l->items[j].raw, l->items[start].raw))
				continue; /* the same name, listed twice */
			if (only && !strcmp(l->items[j].raw, only))
				continue;
			if (collision_found(sh, dir, l->items[j].raw, with) < 0)
				return -1;
		}
		if (only && strcmp(l->items[start].raw, only) && collision_found(sh, dir, l->items[start].raw, only) < 0)
			return -1;
	}
	return 0;
}

/* The collisions among the names the source holds in the folder `dir`.
 * With `only` (a root's name or a folder above one), that name must also
 * be a folder: a root that is a link or a gitlink is one. */
static int folder_collisions(shape *sh, const char *dir, const char *only)
{
	dc_buf path = DC_BUF_INIT;
	name_list l;
	size_t i;
	int rc;

	memset(&l, 0, sizeof(l));
	l.sh = sh;
	rc = dc_source_names(sh->p->src, dir, name_add, &l);
	for (i = 0; rc == 0 && only && i < l.n; i++) {
		if (strcmp(l.items[i].raw, only) || (l.items[i].kind != 'l' && l.items[i].kind != 'g'))
			continue;
		dc_buf_printf(&path, "%s%s%s", dir, *dir ? "/" : "", only);
		rc = l.items[i].kind == 'l' ? symlink_found(sh, path.ptr) : gitlink_found(sh, path.ptr);
		dc_buf_clear(&path);
	}
	if (rc == 0)
		rc = collisions_in(sh, dir, &l, only);
	free(l.items);
	dc_buf_dispose(&path);
	return rc < 0 ? -1 : 0;
}

/* A root's own name against its neighbours, in each folder above it
 * (`Docs/` beside `docs/`). */
static int root_collisions(shape *sh)
{
	const dc_policy *pol = sh->p->policy;
	dc_buf dir = DC_BUF_INIT, comp = DC_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < pol->nroots && rc == 0; i++) {
		const char *r = pol->roots[i], *slash;

		dc_buf_clear(&dir);
		while (*r && rc == 0) {
			slash = strchr(r, '/');
			dc_buf_clear(&comp);
			dc_buf_put(&comp, r, slash ? (size_t)(slash - r) : strlen(r));
			rc = folder_collisions(sh, dir.ptr, comp.ptr);
			if (dir.len)
				dc_buf_putc(&dir, '/');
			dc_buf_put(&dir, comp.ptr, comp.len);
			r = slash ? slash + 1 : r + strlen(r);
		}
	}
	dc_buf_dispose(&dir);
	dc_buf_dispose(&comp);
	return rc;
}

/* --- .gitattributes --- */

/*
 * git's attribute lookup is asked about the .gitattributes of the judged
 * state only: every one met is written (into memory) as the index of the
 * repository opened again, which keeps its own info/attributes and config
 * (core.attributesFile) as git would. Reading them from a commit, the real
 * index or the working tree instead costs a walk of the tree or a stat of
 * every folder per path (12 s and 45 s for 100,000 paths; this, 0.5 s).
 */
static int attr_add(shape *sh, const char *dir, const char *text, size_t len)
{
	git_repository *repo = dc_source_repo(sh->p->src);
	git_odb_backend *mem = NULL;
	git_index_entry e;
	dc_buf path = DC_BUF_INIT;
	int rc = 0;

	if (!repo)
		return 0;
	if (!sh->attr_repo) {
		if (git_repository_open_bare(&sh->attr_repo, git_repository_path(repo)) < 0 ||
		    git_odb_new(&sh->attr_odb) < 0 || git_mempack_new(&mem) < 0 ||
		    git_odb_add_backend(sh->attr_odb, mem, 1000) < 0 || (mem = NULL, 0) ||
		    git_repository_set_odb(sh->attr_repo, sh->attr_odb) < 0 || git_index_new(&sh->attr_index) < 0 ||
		    git_repository_set_index(sh->attr_repo, sh->attr_index) < 0) {
			if (mem)
				mem->free(mem);
			rc = dc_error_set_git(_("cannot read the .gitattributes"));
			git_repository_free(sh->attr_repo);
			sh->attr_repo = NULL;
			return rc;
		}
	}
	memset(&e, 0, sizeof(e));
	dc_buf_printf(&path, "%s%s%s.gitattributes", dc_source_prefix(sh->p->src), dir, *dir ? "/" : "");
	e.path = path.ptr;
	e.mode = GIT_FILEMODE_BLOB;
	if (git_odb_write(&e.id, sh->attr_odb, text, len, GIT_OBJECT_BLOB) < 0 || git_index_add(sh->attr_index, &e) < 0)
		rc = dc_error_set_git(_("cannot read the .gitattributes"));
	dc_buf_dispose(&path);
	return rc;
}

/*
 * Which files a .gitattributes text may give a transforming attribute, so
 * that git's lookup is asked only about those: none; those whose name ends
 * in one of `suffixes` ("*.sh text eol=lf" reaches only ".sh" files); or any.
 * A line counts when it names one of the attributes (or any word that
 * contains one) or defines a macro; its pattern narrows it only when it is a
 * plain "*.ext". A conservative sieve: libgit2 decides.
 */
static int reach_of(reach *r, const char *text, size_t len)
{
	static const char *const words[] = { "filter", "encoding", "eol", "text", "ident", "export-subst" };
	const char *line = text, *end = text + len, *eol, *p, *q;
	size_t i;
	int named;

	memset(r, 0, sizeof(*r));
	dc_buf_init(&r->suffixes);
	for (; line < end && !r->any; line = eol + 1) {
		if (!(eol = memchr(line, '\n', (size_t)(end - line))))
			eol = end;
		for (p = line; p < eol && (*p == ' ' || *p == '\t' || *p == '\r'); p++)
			;
		if (p == eol || *p == '#')
			continue;
		if ((size_t)(eol - p) >= 6 && !memcmp(p, "[attr]", 6)) {
			r->any = 1; /* a macro: whatever it sets */
			break;
		}
		for (i = 0, named = 0; i < sizeof(words) / sizeof(words[0]) && !named; i++)
			named = memmem(p, (size_t)(eol - p), words[i], strlen(words[i])) != NULL;
		if (!named)
			continue;
		for (q = p; q < eol && *q != ' ' && *q != '\t' && *q != '\r'; q++)
			;
		if (q - p < 3 || p[0] != '*' || p[1] != '.' || memchr(p + 1, '*', (size_t)(q - p - 1)) ||
		    memchr(p, '?', (size_t)(q - p)) || memchr(p, '[', (size_t)(q - p)) || memchr(p, '\\', (size_t)(q - p)) ||
		    memchr(p, '/', (size_t)(q - p)) || memchr(p, '"', (size_t)(q - p))) {
			r->any = 1;
			break;
		}
		if (dc_buf_put(&r->suffixes, p + 1, (size_t)(q - p - 1)) < 0 || dc_buf_putc(&r->suffixes, '\0') < 0)
			return -1;
	}
	return 0;
}

/* Nonzero when the file name `base` is within the reach. */
static int reaches(const reach *r, const char *base)
{
	size_t bl = strlen(base), off, sl;

	if (r->any)
		return 1;
	for (off = 0; off < r->suffixes.len; off += sl + 1) {
		sl = strlen(r->suffixes.ptr + off);
		if (bl >= sl && !strncasecmp(base + bl - sl, r->suffixes.ptr + off, sl))
			return 1;
	}
	return 0;
}

int dc_shape_attrs_may_reach(const char *text, size_t len, const char *base)
{
	reach r;
	int rc = reach_of(&r, text, len);

	if (rc == 0)
		rc = reaches(&r, base);
	dc_buf_dispose(&r.suffixes);
	return rc;
}

/* Records what the .gitattributes of the folder `dir` (text given, or
 * read from the source when `text` is NULL) may reach. */
static int note_attrs(shape *sh, const char *dir, const char *text, size_t len)
{
	dc_buf data = DC_BUF_INIT, path = DC_BUF_INIT;
	size_t at;
	int rc = 0;
	char *key;
	reach r;

	memset(&r, 0, sizeof(r));
	if (dc_strmap_get(&sh->attrs, dir, &at))
		return 0;
	if (!text) {
		dc_buf_printf(&path, "%s%s.gitattributes", dir, *dir ? "/" : "");
		rc = dc_source_read_path(sh->p->src, path.ptr, (size_t)64 << 20, &data);
		if (rc < 0 && dc_source_kind_of(sh->p->src) == DC_SOURCE_WORKTREE)
			rc = 1; /* a symbolic link: git does not follow it either */
		if (rc < 0)
			goto cleanup;
		if (rc == 0) {
			text = data.ptr;
			len = data.len;
		}
	}
	if (text && ((rc = attr_add(sh, dir, text, len)) < 0 || (rc = reach_of(&r, text, len)) < 0))
		goto cleanup;
	at = 0;
	if (r.any || r.suffixes.len) {
		/* kept by index, from 1 (0: reaches nothing) */
		if (dc_array_grow(&sh->reaches, &sh->capreaches, sh->nreaches, sizeof(*sh->reaches)) < 0) {
			rc = -1;
			goto cleanup;
		}
		sh->reaches[sh->nreaches++] = r;
		memset(&r, 0, sizeof(r));
		at = sh->nreaches;
		sh->any_attrs = 1;
	}
	rc = 0;
	if (!(key = dc_arena_strdup(&sh->arena, dir)) || dc_strmap_put(&sh->attrs, key, at) < 0)
		rc = -1;
cleanup:
	dc_buf_dispose(&r.suffixes);
	dc_buf_dispose(&data);
	dc_buf_dispose(&path);
	return rc;
}

/* Nonzero when a .gitattributes at `path`'s folder or above may transform
 * it (the folders are looked up and remembered as needed); -1 on failure. */
static int under_attrs(shape *sh, const char *path)
{
	dc_buf dir = DC_BUF_INIT;
	const char *slash, *base = strrchr(path, '/');
	size_t at;
	int rc = 0;

	if (*dc_source_prefix(sh->p->src))
		return 1; /* a project in a sub-folder: the repository's own files count too */
	base = base ? base + 1 : path;
	for (slash = path; rc == 0; slash = strchr(slash, '/') + 1) {
		dc_buf_clear(&dir);
		dc_buf_put(&dir, path, slash == path ? 0 : (size_t)(slash - path - 1));
		if (!dc_strmap_get(&sh->attrs, dir.ptr, &at)) {
			if (note_attrs(sh, dir.ptr, NULL, 0) < 0) {
				rc = -1;
				break;
			}
			dc_strmap_get(&sh->attrs, dir.ptr, &at);
		}
		if (at && reaches(&sh->reaches[at - 1], base))
			rc = 1;
		if (!strchr(slash, '/'))
			break;
	}
	dc_buf_dispose(&dir);
	return rc;
}

/* Notes that attributes.transform was found under the root of `path`. */
static int root_flagged(shape *sh, const char *path)
{
	const char *root = root_of(sh->p->policy, path);
	char *key;
	size_t at;

	if (!root || dc_strmap_get(&sh->flagged_roots, root, &at))
		return 0;
	if (!(key = dc_arena_strdup(&sh->arena, root)) || dc_strmap_put(&sh->flagged_roots, key, 1) < 0)
		return -1;
	return 0;
}

/* What git's attribute machinery (libgit2's) gives `full` (a path from the
 * top of the repository) for each transforming attribute: desc[i] is
 * "text" or "eol=crlf" when set or given a value, "" when unset or
 * unspecified. The .gitattributes are those attr_add() met. */
static int attr_lookup(shape *sh, const char *full, dc_buf *desc)
{
	git_attr_options ao;
	const char *values[NTRANSFORMING];
	size_t i;

	memset(&ao, 0, sizeof(ao));
	ao.version = GIT_ATTR_OPTIONS_VERSION;
	ao.flags = GIT_ATTR_CHECK_INDEX_ONLY | GIT_ATTR_CHECK_NO_SYSTEM;
	if (git_attr_get_many_ext(values, sh->attr_repo, &ao, full, NTRANSFORMING, (const char **)transforming) < 0)
		return dc_error_set_git(_("cannot read the attributes of a file under the roots"));
	for (i = 0; i < NTRANSFORMING; i++) {
		git_attr_value_t t = git_attr_value(values[i]);

		dc_buf_clear(&desc[i]);
		if (t == GIT_ATTR_VALUE_TRUE && dc_buf_puts(&desc[i], transforming[i]) < 0)
			return -1;
		if (t == GIT_ATTR_VALUE_STRING && dc_buf_printf(&desc[i], "%s=%s", transforming[i], values[i]) < 0)
			return -1;
	}
	return 0;
}

/* "text, eol=crlf": the transforming ones of desc (those that differ from
 * `base` when given). */
static int attr_list(dc_buf *out, const dc_buf *desc, const dc_buf *base)
{
	size_t i;

	dc_buf_clear(out);
	for (i = 0; i < NTRANSFORMING; i++) {
		if (!desc[i].len || (base && base[i].len == desc[i].len && !memcmp(base[i].ptr, desc[i].ptr, desc[i].len)))
			continue;
		if (dc_buf_printf(out, "%s%s", out->len ? ", " : "", desc[i].ptr) < 0)
			return -1;
	}
	return 0;
}

static void descs_dispose(dc_buf *desc)
{
	size_t i;

	for (i = 0; i < NTRANSFORMING; i++)
		dc_buf_dispose(&desc[i]);
}

/* Asks git's attribute machinery (libgit2's) what applies to `path`; with
 * `root`, `path` is a name made up under that root (a file that may be
 * added there), and a finding is reported at the root. */
static int attrs_of_as(shape *sh, const char *path, const char *root)
{
	dc_source *src = sh->p->src;
	dc_buf desc[NTRANSFORMING], full = DC_BUF_INIT, set = DC_BUF_INIT;
	int rc = 0;

	memset(desc, 0, sizeof(desc));
	if (!dc_source_repo(src))
		return 0; /* a folder outside git: nothing is checked out */
	if (!sh->attr_repo && attr_add(sh, "", "", 0) < 0)
		return -1; /* (a project in a sub-folder may have none of its own) */
	if (dc_buf_printf(&full, "%s%s", dc_source_prefix(src), path) < 0 || attr_lookup(sh, full.ptr, desc) < 0 ||
	    attr_list(&set, desc, NULL) < 0) {
		rc = -1;
		goto cleanup;
	}
	if (!set.len)
		goto cleanup;
	if (root) {
		size_t at;

		if (dc_strmap_get(&sh->flagged_roots, root, &at))
			goto cleanup; /* said already, at a file or a line */
		if ((rc = first_time(sh, DC_R_ATTRIBUTES_TRANSFORM, root)) > 0)
			rc = dc_diags_add(sh->diags, root, 0, 0, DC_R_ATTRIBUTES_TRANSFORM, NULL,
					  _("a .gitattributes above %s gives files that may be added there (such as %s) the attributes %s, "
					  "so a checkout of them would not be the approved bytes: remove those attributes for files "
					  "under the roots (git check-attr -a %s shows them), or unset them (-text)"),
					  root, path, set.ptr, path);
		goto cleanup;
	}
	if ((rc = root_flagged(sh, path)) < 0)
		goto cleanup;
	if ((rc = first_time(sh, DC_R_ATTRIBUTES_TRANSFORM, path)) > 0)
		rc = dc_diags_add(sh->diags, path, 0, 0, DC_R_ATTRIBUTES_TRANSFORM, NULL,
				  _("a .gitattributes gives %s the attributes %s, so a checkout of it would not be the approved bytes: "
				  "remove those attributes for files under the roots (git check-attr -a %s shows them), "
				  "or unset them (-text)"),
				  path, set.ptr, path);
cleanup:
	descs_dispose(desc);
	dc_buf_dispose(&full);
	dc_buf_dispose(&set);
	return rc < 0 ? -1 : 0;
}

static int attrs_of(shape *sh, const char *path)
{
	return attrs_of_as(sh, path, NULL);
}

/* --- a .gitattributes inside a root: its own lines --- */

/* A folder no tree names (a made-up one, kept in memory only). */
#define PROBE_DIR ".docctl-attribute-probe"

/*
 * What the attributes `attrs` (the part of a .gitattributes line after its
 * pattern) give a file, as libgit2 expands them: a probe .gitattributes
 * that first makes the six unspecified (so the .gitattributes above and
 * core.attributesFile do not count) and then gives them to one file. The
 * repository's macros (the top .gitattributes, info/attributes) apply as
 * git applies them. `out` gets the list of those set or given a value, but
 * not what info/attributes alone gives every file (reported at the files).
 */
static int probe_attrs(shape *sh, const char *attrs, size_t len, dc_buf *out)
{
	dc_buf desc[NTRANSFORMING], text = DC_BUF_INIT, full = DC_BUF_INIT;
	int rc;

	memset(desc, 0, sizeof(desc));
	dc_buf_clear(out);
	if (!sh->have_base) {
		sh->have_base = 1;
		if ((rc = probe_attrs(sh, "", 0, out)) < 0)
			return rc;
	}
	rc = dc_buf_printf(&text, "* !filter !working-tree-encoding !eol !text !ident !export-subst\nx %.*s\n", (int)len,
			   attrs);
	if (rc == 0)
		rc = dc_buf_printf(&full, "%s%s/x", dc_source_prefix(sh->p->src), PROBE_DIR);
	if (rc == 0)
		rc = attr_add(sh, PROBE_DIR, text.ptr, text.len);
	if (rc == 0 && sh->attr_repo) {
		rc = attr_lookup(sh, full.ptr, len ? desc : sh->base);
		if (rc == 0 && len)
			rc = attr_list(out, desc, sh->base);
	}
	descs_dispose(desc);
	dc_buf_dispose(&text);
	dc_buf_dispose(&full);
	return rc < 0 ? -1 : 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Columns in code points (a byte that does not continue a UTF-8 sequence
 * starts one). */
static unsigned column_of(const char *line, const char *at)
{
	unsigned col = 1;

	for (; line < at; line++)
		col += ((unsigned char)*line & 0xC0) != 0x80;
	return col;
}

/*
 * The lines of the .gitattributes `path` (inside a root) that set or give
 * a value to a transforming attribute, directly or through a macro: each
 * is attributes.transform at its line and column, whatever files exist
 * (reference §5). git's line format: a pattern (possibly "quoted"), then
 * attributes separated by white space; `[attr]` lines define macros,
 * which git reads only at the top of the repository.
 */
static int judge_attrs_file(shape *sh, const char *path, const char *text, size_t len)
{
	const char *line = text, *end = text + len, *eol, *p, *a, *tok, *t;
	dc_buf set = DC_BUF_INIT, one = DC_BUF_INIT;
	unsigned lineno = 0, col;
	int rc = 0, any;

	if (!dc_source_repo(sh->p->src) || (sh->o && !dc_check_wanted(sh->o, path)))
		return 0;
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		line += 3;
	for (; line < end && rc == 0; line = eol + 1) {
		lineno++;
		if (!(eol = memchr(line, '\n', (size_t)(end - line))))
			eol = end;
		for (p = line; p < eol && is_space(*p); p++)
			;
		if (p == eol || *p == '#' || ((size_t)(eol - p) >= 6 && !memcmp(p, "[attr]", 6)))
			continue;
		if (*p == '"') {
			for (a = p + 1; a < eol && *a != '"'; a++)
				if (*a == '\\' && a + 1 < eol)
					a++;
			a = a < eol ? a + 1 : eol;
		} else {
			for (a = p; a < eol && !is_space(*a); a++)
				;
		}
		for (; a < eol && is_space(*a); a++)
			;
		/* only a word that is not -unset or !unspecified may set one */
		for (any = 0, tok = a; tok < eol && !any; tok = t) {
			for (t = tok; t < eol && !is_space(*t); t++)
				;
			any = *tok != '-' && *tok != '!';
			for (; t < eol && is_space(*t); t++)
				;
		}
		if (!any)
			continue;
		for (t = eol; t > a && is_space(t[-1]); t--)
			;
		if ((rc = probe_attrs(sh, a, (size_t)(t - a), &set)) < 0 || !set.len)
			continue;
		/* the column: the first word that sets one on its own */
		col = 0;
		for (tok = a; tok < eol && !col && rc == 0; tok = t) {
			for (t = tok; t < eol && !is_space(*t); t++)
				;
			if (*tok != '-' && *tok != '!' && (rc = probe_attrs(sh, tok, (size_t)(t - tok), &one)) == 0 && one.len)
				col = column_of(line, tok);
			for (; t < eol && is_space(*t); t++)
				;
		}
		if (rc < 0)
			break;
		if (!col)
			col = column_of(line, a);
		if ((rc = root_flagged(sh, path)) == 0)
			rc = dc_diags_add(sh->diags, path, lineno, col, DC_R_ATTRIBUTES_TRANSFORM, NULL,
					  _("this line gives the files it names under the roots the attributes %s, so a checkout of "
					  "them would not be the approved bytes, whether or not such a file exists yet: remove those "
					  "attributes from the line, or unset them (-text)"),
					  set.ptr);
	}
	dc_buf_dispose(&set);
	dc_buf_dispose(&one);
	return rc < 0 ? -1 : 0;
}

/* A .gitattributes, in any letter case: on a case-insensitive file system
 * git reads .GitAttributes as one, so it is judged as one everywhere. */
static int is_gitattributes(const char *path)
{
	const char *base = strrchr(path, '/');

	return !strcasecmp(base ? base + 1 : path, ".gitattributes");
}

/* The name of the .gitattributes of `dir` in any letter case (the exact one
 * first), or none; `out` gets its path. */
typedef struct {
	char exact, other[16];
} attr_names;

static int attr_name_cb(const char *name, size_t len, int kind, void *payload)
{
	attr_names *a = payload;

	if (kind != 'f' || len != 14 || strncasecmp(name, ".gitattributes", 14))
		return 0;
	if (!memcmp(name, ".gitattributes", 14))
		a->exact = 1;
	else
		memcpy(a->other, name, 14);
	return 0;
}

/* Notes the .gitattributes of the folder `dir` (above the roots), in any
 * letter case. */
static int note_folder_attrs(shape *sh, const char *dir)
{
	attr_names a;
	dc_buf path = DC_BUF_INIT, data = DC_BUF_INIT;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = dc_source_names(sh->p->src, dir, attr_name_cb, &a)) < 0)
		return -1;
	if (a.exact || !a.other[0])
		return note_attrs(sh, dir, NULL, 0);
	dc_buf_printf(&path, "%s%s%s", dir, *dir ? "/" : "", a.other);
	rc = dc_source_read_path(sh->p->src, path.ptr, (size_t)64 << 20, &data);
	if (rc == 0)
		rc = note_attrs(sh, dir, data.ptr, data.len);
	else if (rc > 0 || dc_source_kind_of(sh->p->src) == DC_SOURCE_WORKTREE)
		rc = note_attrs(sh, dir, NULL, 0);
	dc_buf_dispose(&path);
	dc_buf_dispose(&data);
	return rc;
}

/* The folders above the roots ("" and, for a root a/b, "a") whose
 * .gitattributes apply under them. */
static int note_root_attrs(shape *sh)
{
	const dc_policy *pol = sh->p->policy;
	dc_buf dir = DC_BUF_INIT;
	size_t i, k;
	int rc = note_folder_attrs(sh, "");

	for (i = 0; i < pol->nroots && rc == 0; i++)
		for (k = 0; pol->roots[i][k] && rc == 0; k++)
			if (pol->roots[i][k] == '/') {
				dc_buf_clear(&dir);
				dc_buf_put(&dir, pol->roots[i], k);
				rc = note_folder_attrs(sh, dir.ptr);
			}
	dc_buf_dispose(&dir);
	return rc;
}

/* Every listed file under the roots that a .gitattributes may transform is
 * asked about (the listing of sh->p->src, or `src` when given). */
static int listed_attrs(shape *sh, dc_source *src)
{
	size_t i, n = dc_source_count(src);
	dc_buf data = DC_BUF_INIT, dir = DC_BUF_INIT;
	int rc = note_root_attrs(sh);

	/* the .gitattributes under the roots */
	for (i = 0; i < n && rc == 0; i++) {
		const dc_entry *e = dc_source_entry(src, i);
		const char *slash;
		int truncated;

		if (e->symlink || !is_gitattributes(e->path))
			continue;
		if ((rc = dc_source_read(src, e, (size_t)64 << 20, &data, &truncated)) < 0)
			break;
		slash = strrchr(e->path, '/');
		dc_buf_clear(&dir);
		dc_buf_put(&dir, e->path, slash ? (size_t)(slash - e->path) : 0);
		rc = note_attrs(sh, dir.ptr, data.ptr, data.len);
		if (rc == 0 && root_of(sh->p->policy, e->path))
			rc = judge_attrs_file(sh, e->path, data.ptr, data.len);
	}
	dc_buf_dispose(&data);
	dc_buf_dispose(&dir);
	if (rc < 0 || (!sh->any_attrs && !*dc_source_prefix(sh->p->src)))
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		const dc_entry *e = dc_source_entry(src, i);

		if (e->symlink || !root_of(sh->p->policy, e->path))
			continue;
		if ((rc = under_attrs(sh, e->path)) > 0)
			rc = attrs_of(sh, e->path);
	}
	/* files that may be added to each root, even an empty one */
	for (i = 0; i < sh->p->policy->nroots && rc == 0; i++) {
		static const char *const probes[] = { "x.md", "a/x.md" };
		const char *root = sh->p->policy->roots[i];
		size_t k;

		for (k = 0; k < sizeof(probes) / sizeof(probes[0]) && rc == 0; k++) {
			dc_buf_clear(&dir);
			if (dc_buf_printf(&dir, "%s%s%s", root, *root ? "/" : "", probes[k]) < 0)
				rc = -1;
			else if ((rc = under_attrs(sh, dir.ptr)) > 0)
				rc = attrs_of_as(sh, dir.ptr, root);
		}
	}
	dc_buf_dispose(&dir);
	return rc < 0 ? -1 : 0;
}

/* --- the whole tree --- */

/* The folder part of `path` ("" for none) has the same bytes in both. */
static int same_folder(const char *a, const char *b)
{
	const char *sa = strrchr(a, '/'), *sb = strrchr(b, '/');
	size_t la = sa ? (size_t)(sa - a) : 0, lb = sb ? (size_t)(sb - b) : 0;

	return la == lb && !memcmp(a, b, la);
}

/* The folded paths met so far, in a compact open-addressing table (one
 * map of 100,000 paths is looked up once per path: the cache misses of a
 * general map were most of the cost). */
typedef struct {
	uint32_t tag;            /* the key's hash, high bits; 0: empty */
	uint32_t item;
} fold_slot;

typedef struct {
	shape *sh;
	fold_slot *slots;
	size_t mask;
	const char **raws;       /* per item: the path */
	size_t *keys;            /* per item: its folded form's offset in `text` */
	size_t n, cap, capkeys;
	dc_buf text;
	dc_strmap folders;       /* the folders met so far */
} fold_index;

static int fold_index_init(fold_index *x, shape *sh, size_t n)
{
	size_t slots = 64;

	memset(x, 0, sizeof(*x));
	x->sh = sh;
	dc_strmap_init(&x->folders);
	dc_buf_init(&x->text);
	while (slots < n * 2 + 2)
		slots *= 2;
	if (!(x->slots = calloc(slots, sizeof(*x->slots))))
		return dc_error_oom();
	x->mask = slots - 1;
	return 0;
}

static void fold_index_dispose(fold_index *x)
{
	free(x->slots);
	free(x->raws);
	free(x->keys);
	dc_buf_dispose(&x->text);
	dc_strmap_dispose(&x->folders);
}

static int fold_grow(fold_index *x)
{
	fold_slot *old = x->slots;
	size_t oldmask = x->mask, i, h;

	if (!(x->slots = calloc((oldmask + 1) * 2, sizeof(*x->slots)))) {
		x->slots = old;
		return dc_error_oom();
	}
	x->mask = oldmask * 2 + 1;
	for (i = 0; i <= oldmask; i++) {
		if (!old[i].tag)
			continue;
		/* the tag keeps the hash's high bits; re-hash from the key */
		{
			const char *k = x->text.ptr + x->keys[old[i].item];
			unsigned long long hv = dc_hash64(DC_HASH_INIT, k, strlen(k));

			for (h = (size_t)hv & x->mask; x->slots[h].tag; h = (h + 1) & x->mask)
				;
			x->slots[h] = old[i];
		}
	}
	free(old);
	return 0;
}

/* Adds one path (a file, link, gitlink or folder, met once) under a root: a
 * path whose fold is already taken by another in the same folder collides
 * with it. The full path is folded at once (folding never joins across a
 * '/'), so one map serves every folder. */
static int fold_add(fold_index *x, const char *path)
{
	shape *sh = x->sh;
	unsigned long long hv;
	size_t len = strlen(path), h, off;
	uint32_t tag;

	if (dc_shape_fold(&sh->tmp, path, len) < 0)
		return -1;
	hv = dc_hash64(DC_HASH_INIT, sh->tmp.ptr, sh->tmp.len);
	tag = (uint32_t)(hv >> 32) | 1u;
	for (h = (size_t)hv & x->mask; x->slots[h].tag; h = (h + 1) & x->mask) {
		const char *other;
		const char *slash;

		if (x->slots[h].tag != tag || strcmp(x->text.ptr + x->keys[x->slots[h].item], sh->tmp.ptr))
			continue;
		other = x->raws[x->slots[h].item];
		slash = strrchr(path, '/');
		if (!strcmp(other, path) || !same_folder(other, path))
			return 0; /* the same path twice; or their folders collide, which is reported */
		dc_buf_clear(&sh->tmp);
		dc_buf_put(&sh->tmp, path, slash ? (size_t)(slash - path) : 0);
		return collision_found(sh, sh->tmp.ptr, slash ? slash + 1 : path,
				       strrchr(other, '/') ? strrchr(other, '/') + 1 : other);
	}
	off = x->text.len;
	if (dc_array_grow(&x->raws, &x->cap, x->n, sizeof(*x->raws)) < 0 ||
	    dc_array_grow(&x->keys, &x->capkeys, x->n, sizeof(*x->keys)) < 0 ||
	    dc_buf_put(&x->text, sh->tmp.ptr, sh->tmp.len + 1) < 0)
		return -1;
	x->raws[x->n] = path;
	x->keys[x->n] = off;
	x->slots[h].tag = tag;
	x->slots[h].item = (uint32_t)x->n;
	x->n++;
	return (x->n + 1) * 2 > x->mask + 1 ? fold_grow(x) : 0;
}

/* The folders of `path` below its root, from the lowest up to the first
 * one already met. */
static int fold_folders(fold_index *x, const char *path, size_t rootlen)
{
	shape *sh = x->sh;
	size_t end, at;
	const char *slash;
	char *dir;

	for (slash = strrchr(path, '/'); slash && (end = (size_t)(slash - path)) > rootlen;
	     slash = memrchr(path, '/', end)) {
		if (!(dir = dc_arena_strndup(&sh->arena, path, end)))
			return -1;
		if (dc_strmap_get(&x->folders, dir, &at))
			return 0;
		if (dc_strmap_put(&x->folders, dir, 1) < 0 || fold_add(x, dir) < 0)
			return -1;
	}
	return 0;
}

/* Every path under the roots and every folder on the way: the names of a
 * folder that fold alike. The listing and the gitlinks are walked together
 * in path order, so that the first of a colliding group is the bytewise
 * smallest, as in collisions_in(). */
static int listed_collisions(shape *sh)
{
	dc_source *src = sh->p->src;
	const char *const *links;
	size_t nlinks = dc_source_gitlinks(src, &links), n = dc_source_count(src), i = 0, k = 0;
	const char **sorted = NULL;
	const char *prev = "";
	fold_index x;
	int rc = 0;

	if (fold_index_init(&x, sh, n + nlinks) < 0)
		return -1;
	if (nlinks && !(sorted = malloc(nlinks * sizeof(*sorted)))) {
		fold_index_dispose(&x);
		return dc_error_oom();
	}
	if (nlinks) {
		memcpy(sorted, links, nlinks * sizeof(*sorted));
		qsort(sorted, nlinks, sizeof(*sorted), dc_strp_cmp);
	}
	while (rc == 0 && (i < n || k < nlinks)) {
		const char *path;
		const char *root;

		if (k == nlinks || (i < n && strcmp(dc_source_entry(src, i)->path, sorted[k]) <= 0))
			path = dc_source_entry(src, i++)->path;
		else
			path = sorted[k++];
		if (!(root = root_of(sh->p->policy, path)))
			continue;
		if (!same_folder(prev, path) || !*prev)
			rc = fold_folders(&x, path, strlen(root));
		if (rc == 0)
			rc = fold_add(&x, path);
		prev = path;
	}
	free(sorted);
	fold_index_dispose(&x);
	return rc < 0 ? -1 : 0;
}

int dc_shape_check_listed(const dc_project *p, const dc_check_opts *o, dc_diags *diags)
{
	dc_source *src = p->src;
	const char *const *links;
	size_t nlinks = dc_source_gitlinks(src, &links), n = dc_source_count(src), i;
	shape sh;
	int rc = 0;

	shape_init(&sh, p, o, diags);
	for (i = 0; i < nlinks && rc == 0; i++)
		if (root_of(p->policy, links[i]))
			rc = gitlink_found(&sh, links[i]);
	for (i = 0; i < n && rc == 0; i++) {
		const dc_entry *e = dc_source_entry(src, i);

		if (e->symlink && root_of(p->policy, e->path))
			rc = symlink_found(&sh, e->path);
	}
	if (rc == 0)
		rc = listed_collisions(&sh);
	if (rc == 0)
		rc = root_collisions(&sh);
	if (rc == 0)
		rc = listed_attrs(&sh, src);
	shape_dispose(&sh);
	return rc < 0 ? -1 : 0;
}

int dc_shape_check_source(const dc_project *p, const dc_check_opts *o, dc_diags *diags)
{
	if (dc_source_scan(p->src, p->policy->roots, p->policy->nroots) < 0)
		return -1;
	return dc_shape_check_listed(p, o, diags);
}

/* --- what changed --- */

/* Nonzero when a .gitattributes in the folder of `rel` applies under a
 * root: in a root, below one, or in a folder above one. */
static int attrs_apply(const dc_policy *pol, const char *rel)
{
	size_t i, dl;
	const char *slash = strrchr(rel, '/');

	if (root_of(pol, rel))
		return 1;
	dl = slash ? (size_t)(slash - rel) : 0;
	for (i = 0; i < pol->nroots; i++)
		if (!dl || (!strncmp(pol->roots[i], rel, dl) && (pol->roots[i][dl] == '/' || !pol->roots[i][dl])))
			return 1;
	return 0;
}

/* The attributes of every file under the roots of the commit's tree. */
static int whole_attrs(shape *sh, const git_oid *tree_id)
{
	dc_source *src = sh->p->src, *all = NULL;
	git_tree *tree = NULL;
	int rc;

	if (dc_source_is_overlay(src) || !tree_id)
		return 1;
	if (git_tree_lookup(&tree, dc_source_repo(src), tree_id) < 0)
		return dc_error_set_git(_("cannot read the pushed tree"));
	rc = dc_source_open_tree(&all, dc_source_repo(src), tree, dc_source_prefix(src));
	git_tree_free(tree);
	if (rc < 0)
		return -1;
	rc = dc_source_scan(all, sh->p->policy->roots, sh->p->policy->nroots);
	if (rc == 0)
		rc = listed_attrs(sh, all);
	dc_source_free(all);
	return rc;
}

static int changes(const dc_project *p, const git_oid *new_tree, const dc_filechange *files, size_t nfiles,
		   dc_diags *diags)
{
	const char *prefix = dc_source_prefix(p->src);
	size_t plen = strlen(prefix), i;
	dc_strmap folders;
	dc_buf dir = DC_BUF_INIT;
	shape sh;
	int rc = 0, attrs_changed = 0;

	shape_init(&sh, p, NULL, diags);
	dc_strmap_init(&folders);
	rc = note_root_attrs(&sh);
	for (i = 0; i < nfiles && rc == 0; i++) {
		const dc_filechange *f = &files[i];
		const char *rel, *root, *slash;
		size_t at;

		if (plen && strncmp(f->path, prefix, plen)) {
			attrs_changed |= is_gitattributes(f->path); /* above the project */
			continue;
		}
		rel = f->path + plen;
		if (is_gitattributes(rel) && attrs_apply(p->policy, rel))
			attrs_changed = 1;
		if (!(root = root_of(p->policy, rel)) || !f->has_new)
			continue;
		if (f->new_mode == MODE_GITLINK)
			rc = gitlink_found(&sh, rel);
		else if (f->new_mode == MODE_LINK)
			rc = symlink_found(&sh, rel);
		if (rc < 0 || (f->has_old && (f->old_mode & 0170000) == (f->new_mode & 0170000)))
			continue;
		/* a new name: the folders from its own up to the root */
		for (slash = strrchr(rel, '/'); rc == 0;) {
			char *key;

			dc_buf_clear(&dir);
			dc_buf_put(&dir, rel, slash ? (size_t)(slash - rel) : 0);
			if (dc_strmap_get(&folders, dir.ptr, &at))
				break;
			if (!(key = dc_arena_strdup(&sh.arena, dir.ptr)) || dc_strmap_put(&folders, key, 1) < 0) {
				rc = -1;
				break;
			}
			if ((rc = folder_collisions(&sh, dir.ptr, NULL)) < 0 || dir.len <= strlen(root))
				break;
			slash = memrchr(rel, '/', dir.len);
		}
		if (rc == 0 && f->new_mode != MODE_GITLINK && f->new_mode != MODE_LINK && !attrs_changed &&
		    (rc = under_attrs(&sh, rel)) > 0)
			rc = attrs_of(&sh, rel);
	}
	if (rc >= 0)
		rc = root_collisions(&sh);
	if (rc >= 0 && attrs_changed)
		rc = whole_attrs(&sh, new_tree);
	dc_buf_dispose(&dir);
	dc_strmap_dispose(&folders);
	shape_dispose(&sh);
	return rc < 0 ? -1 : rc;
}

int dc_shape_check_changes(const dc_project *p, const dc_filechange *files, size_t nfiles, dc_diags *diags)
{
	return changes(p, NULL, files, nfiles, diags);
}

typedef struct {
	dc_filechange *files;
	size_t n, cap;
	dc_arena paths;
} change_list;

static int collect(const char *path, const dc_treediff_side *o, const dc_treediff_side *n, void *payload)
{
	change_list *l = payload;
	dc_filechange *f;

	if (dc_array_grow(&l->files, &l->cap, l->n, sizeof(*l->files)) < 0)
		return -1;
	f = &l->files[l->n];
	memset(f, 0, sizeof(*f));
	if (!(f->path = dc_arena_strdup(&l->paths, path)))
		return -1;
	if ((f->has_old = o != NULL)) {
		f->old_mode = (git_filemode_t)o->mode;
		git_oid_cpy(&f->old_oid, &o->id);
	}
	if ((f->has_new = n != NULL)) {
		f->new_mode = (git_filemode_t)n->mode;
		git_oid_cpy(&f->new_oid, &n->id);
	}
	l->n++;
	return 0;
}

int dc_shape_check_push(const dc_project *p, const git_oid *old_tree, const git_oid *new_tree, dc_diags *diags)
{
	change_list l;
	int rc;

	memset(&l, 0, sizeof(l));
	dc_arena_init(&l.paths);
	rc = dc_treediff(dc_source_repo(p->src), old_tree, new_tree, NULL, 0, collect, &l) != 0 ? -1 : 0;
	if (rc == 0)
		rc = changes(p, new_tree, l.files, l.n, diags);
	free(l.files);
	dc_arena_dispose(&l.paths);
	return rc < 0 ? -1 : 0;
}
