/*
 * receive_repo.c - the repository as a server hook sees it (see receive.h):
 * opened bare with the objects git keeps in quarantine, the refs as they
 * were before the push, annotated tags peeled, the policy a commit holds.
 * Where trust lives is receive_trust.c.
 */
#include "i18n.h"
#include "receive_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"

#define SYMREF_DEPTH 8

const char *rcv_env(const dc_receive *r, const char *name)
{
	const char *v = r->opts.getenv ? r->opts.getenv(name) : NULL;

	return v && *v ? v : NULL;
}

/* --- opening the repository with its quarantine --- */

/* extensions.objectformat from the repository's own config file. */
static int object_format(dc_buf *out, const char *git_dir)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	dc_buf path = DC_BUF_INIT;
	struct stat st;
	int rc = 0;

	dc_buf_printf(&path, "%s/config", git_dir);
	if (stat(path.ptr, &st) == 0 && git_config_open_ondisk(&cfg, path.ptr) == 0 &&
	    git_config_get_string_buf(&b, cfg, "extensions.objectformat") == 0)
		rc = dc_buf_puts(out, b.ptr);
	git_buf_dispose(&b);
	git_config_free(cfg);
	dc_buf_dispose(&path);
	return rc;
}

/* Adds an object directory, unless it is the repository's own. */
static int add_objects(git_repository *repo, git_odb *odb, const char *dir)
{
	dc_buf own = DC_BUF_INIT;
	char *a = NULL, *b = NULL;
	struct stat st;
	int rc = 0;

	if (!dir || !*dir || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	dc_buf_printf(&own, "%sobjects", git_repository_path(repo));
	a = realpath(dir, NULL);
	b = realpath(own.ptr, NULL);
	if (!a || !b || strcmp(a, b))
		if (git_odb_add_disk_alternate(odb, dir) < 0)
			rc = dc_error_set_git(_("cannot read the pushed objects"));
	free(a);
	free(b);
	dc_buf_dispose(&own);
	return rc;
}

/* The character a C escape letter stands for (\n, \t, ...); any other
 * character stands for itself. */
static char unescape_letter(char ch)
{
	static const char from[] = "ntrabfv", to[] = "\n\t\r\a\b\f\v";
	const char *at = ch ? strchr(from, ch) : NULL;

	return at ? to[at - from] : ch;
}

/* GIT_ALTERNATE_OBJECT_DIRECTORIES: entries separated by ':'; git writes an
 * entry that holds ':' or '"' C-quoted ("..." with backslash escapes). */
static int add_alternates(git_repository *repo, git_odb *odb, const char *list)
{
	dc_buf one = DC_BUF_INIT;
	const char *p = list;
	int rc = 0;

	while (p && *p && rc == 0) {
		dc_buf_clear(&one);
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				char ch = *p;

				if (ch == '\\' && p[1]) {
					ch = *++p;
					if (ch >= '0' && ch <= '7') {
						int v = 0, k;

						for (k = 0; k < 3 && *p >= '0' && *p <= '7'; k++, p++)
							v = v * 8 + (*p - '0');
						p--;
						ch = (char)v;
					} else {
						ch = unescape_letter(ch);
					}
				}
				dc_buf_putc(&one, ch);
			}
			while (*p && *p != ':')
				p++;
		} else {
			const char *end = strchr(p, ':');
			size_t n = end ? (size_t)(end - p) : strlen(p);

			dc_buf_put(&one, p, n);
			p += n;
		}
		if (*p == ':')
			p++;
		if (one.len)
			rc = add_objects(repo, odb, one.ptr);
	}
	dc_buf_dispose(&one);
	return rc;
}

int dc_receive_open(dc_receive **out, const char *git_dir, const dc_receive_opts *o)
{
	dc_receive *r;
	git_odb *odb = NULL;
	dc_buf fmt = DC_BUF_INIT;
	int rc = -1;

	*out = NULL;
	if (object_format(&fmt, git_dir) < 0)
		return -1;
	if (fmt.len && strcasecmp(fmt.ptr, "sha1")) {
		dc_error_set(_("the repository uses %s object names (extensions.objectformat=%s), which this docctl "
			     "(libgit2 %d.%d) cannot read; every push is refused: serve controlled documents from a SHA-1 repository"),
			     !strcasecmp(fmt.ptr, "sha256") ? "SHA-256" : fmt.ptr, fmt.ptr, LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR);
		dc_buf_dispose(&fmt);
		return -1;
	}
	dc_buf_dispose(&fmt);
	if (!(r = calloc(1, sizeof(*r))))
		return dc_error_oom();
	r->opts = *o;
	rcv_policy_init(&r->trust);
	dc_buf_init(&r->trust_why);
	rcv_deadline_start(r);
	if (git_repository_open_ext(&r->repo, git_dir, GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) < 0) {
		dc_error_set_git(_("cannot open the repository"));
		goto cleanup;
	}
	if (git_repository_odb(&odb, r->repo) < 0) {
		dc_error_set_git(_("cannot open the object database"));
		goto cleanup;
	}
	if (add_objects(r->repo, odb, rcv_env(r, "GIT_QUARANTINE_PATH")) < 0 ||
	    add_objects(r->repo, odb, rcv_env(r, "GIT_OBJECT_DIRECTORY")) < 0 ||
	    add_alternates(r->repo, odb, rcv_env(r, "GIT_ALTERNATE_OBJECT_DIRECTORIES")) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	git_odb_free(odb);
	if (rc < 0)
		dc_receive_free(r);
	else
		*out = r;
	return rc;
}

void rcv_policy_init(rcv_policy *p)
{
	memset(p, 0, sizeof(*p));
	dc_diags_init(&p->broken);
}

void rcv_policy_dispose(rcv_policy *p)
{
	dc_project_free(p->proj);
	dc_source_free(p->src);
	git_tree_free(p->tree);
	git_commit_free(p->commit);
	dc_diags_dispose(&p->broken);
	rcv_policy_init(p);
}

void dc_receive_free(dc_receive *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nupdates; i++)
		free(r->updates[i].ref);
	free(r->updates);
	free(r->claims);
	dc_strlist_dispose(&r->aliased);
	free(r->trusted_ref);
	free(r->trust_ref);
	free(r->tofu_ref);
	free(r->head_target);
	rcv_policy_dispose(&r->trust);
	dc_buf_dispose(&r->trust_why);
	git_repository_free(r->repo);
	dc_arena_dispose(&r->arena);
	free(r);
}

int dc_receive_add_update(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid)
{
	rcv_update *u;

	if (DC_ARRAY_GROW(r->updates, r->updates_cap, r->nupdates + 1) < 0)
		return -1;
	u = r->updates + r->nupdates;
	/* an alias moves its target: the target's value is what changes */
	if (rcv_resolve(&u->ref, r->repo, ref) < 0)
		return -1;
	git_oid_cpy(&u->old, old);
	git_oid_cpy(&u->new_oid, new_oid);
	r->nupdates++;
	return 0;
}

void dc_receive_result_init(dc_receive_result *res)
{
	*res = (dc_receive_result){ .note = DC_BUF_INIT, .summary = DC_BUF_INIT };
}

void dc_receive_result_dispose(dc_receive_result *res)
{
	if (!res)
		return;
	free(res->approvals);
	dc_arena_dispose(&res->arena);
	dc_buf_dispose(&res->note);
	dc_buf_dispose(&res->summary);
	dc_receive_result_init(res);
}

/* --- the repository before the push --- */

/* The value of `name` before the push: 1 with *out, 0 when it did not exist. */
int rcv_ref_before(dc_receive *r, const char *name, git_oid *out)
{
	size_t i;
	int rc;

	for (i = 0; i < r->nupdates; i++)
		if (!strcmp(r->updates[i].ref, name)) {
			if (git_oid_is_zero(&r->updates[i].old))
				return 0;
			git_oid_cpy(out, &r->updates[i].old);
			return 1;
		}
	rc = git_reference_name_to_id(out, r->repo, name);
	if (rc == 0)
		return 1;
	if (rc == GIT_ENOTFOUND)
		return 0;
	return dc_error_set_git(name);
}

const char *rcv_type_name(git_object_t t)
{
	switch (t) {
	case GIT_OBJECT_BLOB: return "blob";
	case GIT_OBJECT_TREE: return "tree";
	case GIT_OBJECT_TAG: return "tag";
	case GIT_OBJECT_COMMIT: return "commit";
	default: return "object";
	}
}

/* The commit `id` names, annotated tags peeled. Returns 0 with *out; 1 when
 * it is no commit (*type says what it is); -1 when an object is missing. */
int rcv_peel_commit(git_commit **out, git_repository *repo, const git_oid *id, git_object_t *type)
{
	git_object *obj = NULL, *next = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	*out = NULL;
	git_oid_tostr(hex, sizeof(hex), id);
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0)
		return dc_error_set_git(hex);
	while (git_object_type(obj) == GIT_OBJECT_TAG) {
		if (git_tag_target(&next, (git_tag *)obj) < 0) {
			git_object_free(obj);
			return dc_error_set_git(_("cannot read the target of a tag"));
		}
		git_object_free(obj);
		obj = next;
	}
	*type = git_object_type(obj);
	if (*type != GIT_OBJECT_COMMIT) {
		git_object_free(obj);
		return 1;
	}
	*out = (git_commit *)obj;
	return 0;
}

/* Reads the policy of a commit. A broken policy leaves proj NULL with its
 * findings in p->broken; a missing one sets p->absent. */
int rcv_policy_load(rcv_policy *p, git_repository *repo, git_commit *c)
{
	git_tree_entry *e = NULL;
	int rc;

	if (git_commit_dup(&p->commit, c) < 0 || git_commit_tree(&p->tree, c) < 0)
		return dc_error_set_git(_("cannot read a commit's tree"));
	rc = git_tree_entry_bypath(&e, p->tree, DC_POLICY_FILE);
	if (rc == GIT_ENOTFOUND) {
		p->absent = 1;
		return 0;
	}
	if (rc < 0)
		return dc_error_set_git(_("cannot read docctl.yaml"));
	git_tree_entry_free(e);
	if (dc_source_open_tree(&p->src, repo, p->tree, "") < 0)
		return -1;
	return dc_project_open(&p->proj, p->src, &p->broken) < 0 ? -1 : 0;
}

/* --- symbolic refs --- */

int rcv_resolve(char **out, git_repository *repo, const char *name)
{
	char *cur = strdup(name);
	int depth;

	*out = NULL;
	if (!cur)
		return dc_error_oom();
	for (depth = 0; depth < SYMREF_DEPTH; depth++) {
		git_reference *ref = NULL;
		int rc = git_reference_lookup(&ref, repo, cur);
		char *next;

		if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
			break;
		if (rc < 0) {
			free(cur);
			return dc_error_set_git(name);
		}
		if (git_reference_type(ref) != GIT_REFERENCE_SYMBOLIC) {
			git_reference_free(ref);
			break;
		}
		next = strdup(git_reference_symbolic_target(ref));
		git_reference_free(ref);
		free(cur);
		if (!(cur = next))
			return dc_error_oom();
	}
	if (depth == SYMREF_DEPTH) {
		free(cur);
		return dc_error_set(_("%s is a chain of more than %d symbolic refs on the server"), name, SYMREF_DEPTH);
	}
	*out = cur;
	return 0;
}

/* --- the hook's deadline (reference §6.8) --- */

#define DEADLINE_DEFAULT_S 60.0

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void rcv_deadline_start(dc_receive *r)
{
	const char *v = rcv_env(r, "DOCCTL_HOOK_DEADLINE");
	char *end = NULL;
	double s = v && *v ? strtod(v, &end) : 0;

	if (!v || !*v || !end || *end || !(s > 0) || s > 86400.0)
		s = DEADLINE_DEFAULT_S;
	r->deadline_s = s;
	r->deadline_ms = now_ms() + (long long)(s * 1000.0);
}

static int deadline_error(const dc_receive *r, const char *ref, const char *doing)
{
	return dc_error_set(_("the hook reached its time limit of %g s (DOCCTL_HOOK_DEADLINE) while %s for %s, so it "
			    "cannot decide and refuses the push; split the push into smaller ones (fewer commits each), "
			    "or ask the server's administrator to raise DOCCTL_HOOK_DEADLINE"),
			    r->deadline_s, _(doing), ref);
}

long long rcv_deadline_left(const rcv_ref *x, const char *doing)
{
	long long left;

	/* post-receive writes the audit trail of refs already updated: it
	 * holds no gate, and a record of record is not given up on */
	if (!x->r->deadline_ms || x->audit)
		return 10000;
	left = x->r->deadline_ms - now_ms();
	if (left <= 0)
		return deadline_error(x->r, x->ref, doing);
	return left;
}
