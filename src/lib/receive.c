/*
 * receive.c - the server's decision about each pushed ref (see receive.h):
 * the repository and its quarantine, the ref's state before the push, the
 * policy in force, the commits new to the ref, the check of NEW, the
 * transitions of changed documents, and one id, one document (§6.6).
 * Who vouches for a change and how they are authenticated is in
 * authenticate.c; the audit trail in audit.c.
 */
#include "receive_int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"
#include "transition.h"

#define SIGNERS_MAX ((size_t)1024 * 1024)

static const char *const default_pusher_env[] = { "GL_USER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER" };

static const char *env(const dc_receive *r, const char *name)
{
	const char *v = r->opts.getenv ? r->opts.getenv(name) : NULL;

	return v && *v ? v : NULL;
}

static void short_id(char out[8], const git_oid *id)
{
	git_oid_tostr(out, 8, id);
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
			rc = dc_error_set_git("cannot read the pushed objects");
	free(a);
	free(b);
	dc_buf_dispose(&own);
	return rc;
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
					} else if (ch == 'n') {
						ch = '\n';
					} else if (ch == 't') {
						ch = '\t';
					} else if (ch == 'r') {
						ch = '\r';
					} else if (ch == 'a') {
						ch = '\a';
					} else if (ch == 'b') {
						ch = '\b';
					} else if (ch == 'f') {
						ch = '\f';
					} else if (ch == 'v') {
						ch = '\v';
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
		dc_error_set("the repository uses %s object names (extensions.objectformat=%s), which this docctl "
			     "(libgit2 %d.%d) cannot read; every push is refused: serve controlled documents from a SHA-1 repository",
			     !strcasecmp(fmt.ptr, "sha256") ? "SHA-256" : fmt.ptr, fmt.ptr, LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR);
		dc_buf_dispose(&fmt);
		return -1;
	}
	dc_buf_dispose(&fmt);
	if (!(r = calloc(1, sizeof(*r))))
		return dc_error_set("out of memory");
	r->opts = *o;
	dc_diags_init(&r->deflt.broken);
	if (git_repository_open_ext(&r->repo, git_dir, GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) < 0) {
		dc_error_set_git("cannot open the repository");
		goto cleanup;
	}
	if (git_repository_odb(&odb, r->repo) < 0) {
		dc_error_set_git("cannot open the object database");
		goto cleanup;
	}
	if (add_objects(r->repo, odb, env(r, "GIT_QUARANTINE_PATH")) < 0 ||
	    add_objects(r->repo, odb, env(r, "GIT_OBJECT_DIRECTORY")) < 0 ||
	    add_alternates(r->repo, odb, env(r, "GIT_ALTERNATE_OBJECT_DIRECTORIES")) < 0)
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

static void policy_init(rcv_policy *p)
{
	memset(p, 0, sizeof(*p));
	dc_diags_init(&p->broken);
}

static void policy_dispose(rcv_policy *p)
{
	dc_project_free(p->proj);
	dc_source_free(p->src);
	git_tree_free(p->tree);
	git_commit_free(p->commit);
	dc_diags_dispose(&p->broken);
	policy_init(p);
}

void dc_receive_free(dc_receive *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nupdates; i++)
		free(r->updates[i].ref);
	for (i = 0; i < r->nclaims; i++) {
		free(r->claims[i].id);
		free(r->claims[i].path);
		free(r->claims[i].ref);
	}
	free(r->updates);
	free(r->claims);
	free(r->default_ref);
	free(r->head_target);
	policy_dispose(&r->deflt);
	git_repository_free(r->repo);
	free(r);
}

int dc_receive_add_update(dc_receive *r, const char *ref, const git_oid *old)
{
	rcv_update *u = realloc(r->updates, (r->nupdates + 1) * sizeof(*u));

	if (!u)
		return dc_error_set("out of memory");
	r->updates = u;
	u += r->nupdates;
	if (!(u->ref = strdup(ref)))
		return dc_error_set("out of memory");
	git_oid_cpy(&u->old, old);
	r->nupdates++;
	return 0;
}

void dc_receive_result_init(dc_receive_result *res)
{
	memset(res, 0, sizeof(*res));
	dc_buf_init(&res->note);
	dc_buf_init(&res->summary);
}

void dc_receive_result_dispose(dc_receive_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->napprovals; i++) {
		free(res->approvals[i].id);
		free(res->approvals[i].revision);
		free(res->approvals[i].person);
		free(res->approvals[i].name);
	}
	free(res->approvals);
	free(res->pusher);
	dc_buf_dispose(&res->note);
	dc_buf_dispose(&res->summary);
	dc_receive_result_init(res);
}

/* --- the repository before the push --- */

/* The value of `name` before the push: 1 with *out, 0 when it did not exist. */
static int ref_before(dc_receive *r, const char *name, git_oid *out)
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

static const char *type_name(git_object_t t)
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
static int peel_commit(git_commit **out, git_repository *repo, const git_oid *id, git_object_t *type)
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
			return dc_error_set_git("cannot read the target of a tag");
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
static int policy_load(rcv_policy *p, git_repository *repo, git_commit *c)
{
	git_tree_entry *e = NULL;
	int rc;

	if (git_commit_dup(&p->commit, c) < 0 || git_commit_tree(&p->tree, c) < 0)
		return dc_error_set_git("cannot read a commit's tree");
	rc = git_tree_entry_bypath(&e, p->tree, DC_POLICY_FILE);
	if (rc == GIT_ENOTFOUND) {
		p->absent = 1;
		return 0;
	}
	if (rc < 0)
		return dc_error_set_git("cannot read docctl.yaml");
	git_tree_entry_free(e);
	if (dc_source_open_tree(&p->src, repo, p->tree, "") < 0)
		return -1;
	return dc_project_open(&p->proj, p->src, &p->broken) < 0 ? -1 : 0;
}

/* The default branch before the push: HEAD's target, else main, else
 * master, the first that held a commit; and its policy. */
static int load_default(dc_receive *r)
{
	const char *cands[3];
	git_reference *head = NULL;
	char *target = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (r->default_known)
		return 0;
	if (git_reference_lookup(&head, r->repo, "HEAD") == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    !(target = strdup(git_reference_symbolic_target(head)))) {
		git_reference_free(head);
		return dc_error_set("out of memory");
	}
	git_reference_free(head);
	if (target)
		cands[n++] = target;
	cands[n++] = "refs/heads/main";
	cands[n++] = "refs/heads/master";
	for (i = 0; i < n && rc == 0 && !r->default_ref; i++) {
		git_commit *c = NULL;
		git_object_t type;
		git_oid oid;

		rc = ref_before(r, cands[i], &oid);
		if (rc == 1)
			rc = peel_commit(&c, r->repo, &oid, &type);
		if (rc == 0 && c) {
			policy_init(&r->deflt);
			if (!(r->default_ref = strdup(cands[i])))
				rc = dc_error_set("out of memory");
			else
				rc = policy_load(&r->deflt, r->repo, c);
		} else if (rc == 1) {
			rc = 0; /* not a commit: not a default branch */
		}
		git_commit_free(c);
	}
	r->head_target = target;
	if (rc < 0)
		return -1;
	/* empty: no ref at all before the push */
	{
		git_reference_iterator *it = NULL;
		const char *name;
		git_oid oid;

		r->empty = 1;
		if (git_reference_iterator_new(&it, r->repo) < 0)
			return dc_error_set_git("cannot list the refs");
		while ((rc = git_reference_next_name(&name, it)) == 0) {
			rc = ref_before(r, name, &oid);
			if (rc != 0) {
				r->empty = rc == 1 ? 0 : r->empty;
				break;
			}
		}
		git_reference_iterator_free(it);
		if (rc < 0 && rc != GIT_ITEROVER)
			return dc_error_set_git("cannot list the refs");
	}
	r->default_known = 1;
	return 0;
}

/* --- findings and hints --- */

#define ADD(x, file, line, col, rule, id, ...) dc_diags_add((x)->diags, file, line, col, rule, id, __VA_ARGS__)

int rcv_hint(rcv_ref *x, const char *fmt, ...)
{
	dc_buf one = DC_BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dc_buf_vprintf(&one, fmt, ap);
	va_end(ap);
	if (rc == 0 && !strstr(x->hints.ptr, one.ptr))
		rc = dc_buf_printf(&x->hints, "%s%s", x->hints.len ? "; " : "", one.ptr);
	dc_buf_dispose(&one);
	return rc;
}

/* Copies findings into this ref's list (so they carry the ref). The
 * non-protected refs hold drafts: a successor named in superseded_by may
 * still be a draft there, so ref.not-approved is left out for them. */
static int take_findings(rcv_ref *x, const dc_diags *from, int drafts_allowed)
{
	size_t i;

	for (i = 0; i < from->n; i++) {
		const dc_diag *g = &from->items[i];

		if (drafts_allowed && !strcmp(g->rule->name, "ref.not-approved"))
			continue;
		if (dc_diags_add(x->diags, g->file, g->line, g->col, g->rule->name, g->id, "%s", g->message) < 0)
			return -1;
	}
	return 0;
}

/* A summary for the findings that gave none: how to fix the first of them. */
static int derive_hint(rcv_ref *x)
{
	size_t i;

	for (i = x->first_diag; i < x->diags->n && !x->hints.len; i++) {
		const dc_diag *g = &x->diags->items[i];
		const char *rule = g->rule->name, *id = g->id ? g->id : g->file;

		if (g->severity != DC_SEV_ERROR)
			continue;
		if (!strcmp(rule, "revision.not-bumped") || !strcmp(rule, "revision.regressed"))
			return rcv_hint(x, "start a new revision of %s (docctl revise %s), get it approved and push again", id, id);
		if (!strcmp(rule, "record.immutable") || !strcmp(rule, "record.retention"))
			return rcv_hint(x, "restore record %s as it was filed", id);
		if (!strcmp(rule, "doc.deleted"))
			return rcv_hint(x, "restore %s and withdraw it instead: docctl obsolete %s --sign", id, id);
		if (!strcmp(rule, "status.transition"))
			return rcv_hint(x, "restore %s as it was (obsolete is final) and write a new document instead", id);
		if (!strcmp(rule, "id.changed"))
			return rcv_hint(x, "give %s its id back; a new id is a new document (docctl new)", g->file);
	}
	return 0;
}

static size_t errors_since(const rcv_ref *x)
{
	size_t i, n = 0;

	for (i = x->first_diag; i < x->diags->n; i++)
		if (x->diags->items[i].severity == DC_SEV_ERROR)
			n++;
	return n;
}

/* --- which refs are protected --- */

static const dc_policy *trusted_policy(const rcv_ref *x)
{
	return x->trusted && x->trusted->proj ? x->trusted->proj->policy : NULL;
}

/* A ref is protected when the policy in force says so, or the default
 * branch's policy does (so a branch that predates a `protected` pattern is
 * still covered), or, trusting on first use, the pushed policy does. */
static int protects(const rcv_ref *x, const char *name)
{
	const dc_policy *t = trusted_policy(x);

	if (t && dc_policy_protects(t, name))
		return 1;
	if (x->r->deflt.proj && dc_policy_protects(x->r->deflt.proj->policy, name))
		return 1;
	return x->tofu && x->new_pol.proj && dc_policy_protects(x->new_pol.proj->policy, name);
}

/* The policy in force: OLD's, else the default branch's; none: trust on first use. */
static int choose_trusted(rcv_ref *x)
{
	dc_receive *r = x->r;
	git_object_t type;
	int rc;

	if (x->has_old) {
		rc = peel_commit(&x->old_commit, r->repo, &x->old, &type);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (policy_load(&x->old_pol, r->repo, x->old_commit) < 0)
				return -1;
			if (!x->old_pol.absent) {
				x->trusted = &x->old_pol;
				return 0;
			}
		}
	}
	if (r->default_ref && !r->deflt.absent) {
		x->trusted = &r->deflt;
		return 0;
	}
	if (!r->empty && !r->default_ref && !(r->head_target && !strcmp(r->head_target, x->ref))) {
		/* refs exist, but no default branch says which policy is in force */
		rc = ADD(x, "", 0, 0, "internal.error", NULL,
			 "the repository has refs but its default branch (HEAD -> %s) has no commit, so docctl cannot tell which policy is in force for %s; push the default branch first, or point HEAD at the branch that holds the policy: git symbolic-ref HEAD refs/heads/BRANCH",
			 r->head_target ? r->head_target : "?", x->ref);
		if (rc == 0)
			rc = rcv_hint(x, "push %s first", r->head_target ? r->head_target : "the default branch");
		return rc < 0 ? -1 : 1;
	}
	x->tofu = 1;
	return 0;
}

static int report_broken_trusted(rcv_ref *x)
{
	const rcv_policy *t = x->trusted;
	const char *where = t == &x->old_pol ? x->ref : x->r->default_ref;
	dc_buf why = DC_BUF_INIT;
	char at[8];
	int rc;

	short_id(at, git_commit_id(t->commit));
	if (t->broken.n) {
		const dc_diag *g = &t->broken.items[0];

		dc_buf_printf(&why, ": %s", g->file);
		if (g->line)
			dc_buf_printf(&why, ":%u:%u", g->line, g->col);
		dc_buf_printf(&why, ": %s", g->message);
	}
	rc = rcv_hint(x, "ask an administrator to repair docctl.yaml on %s", where);
	if (rc == 0)
		rc = ADD(x, "", 0, 0, "internal.error", NULL,
			 "the policy in force (docctl.yaml of %s at %s) does not load%s; docctl refuses every push to this ref until it is repaired (fail closed)",
			 where, at, why.ptr);
	dc_buf_dispose(&why);
	return rc;
}

static int pusher(rcv_ref *x)
{
	const dc_policy *p = trusted_policy(x);
	size_t i;

	if (!p && x->new_pol.proj)
		p = x->new_pol.proj->policy;
	if (p) {
		for (i = 0; i < p->npusher_env && !x->pusher; i++)
			x->pusher = env(x->r, p->pusher_env[i]);
	} else {
		for (i = 0; i < sizeof(default_pusher_env) / sizeof(*default_pusher_env) && !x->pusher; i++)
			x->pusher = env(x->r, default_pusher_env[i]);
	}
	if (x->pusher && !(x->res->pusher = strdup(x->pusher)))
		return dc_error_set("out of memory");
	return 0;
}

static int read_signers(rcv_ref *x)
{
	const dc_policy *p = trusted_policy(x);
	int rc;

	if (!p)
		return 0;
	rc = dc_source_read_path(x->trusted->src, p->signers, SIGNERS_MAX, &x->signers);
	if (rc == 1)
		dc_buf_clear(&x->signers); /* no signers file: no signature verifies */
	return rc < 0 ? -1 : 0;
}

/* --- commits new to the ref (SPEC §6.1 item 3) --- */

static int hide_protected(rcv_ref *x, git_revwalk *walk)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int rc;

	if (git_reference_iterator_new(&it, x->r->repo) < 0)
		return dc_error_set_git("cannot list the refs");
	while ((rc = git_reference_next_name(&name, it)) == 0) {
		git_commit *c = NULL;
		git_object_t type;
		git_oid oid;

		if (!strcmp(name, x->ref) || !protects(x, name))
			continue;
		if ((rc = ref_before(x->r, name, &oid)) < 0)
			break;
		if (rc == 0)
			continue;
		if ((rc = peel_commit(&c, x->r->repo, &oid, &type)) < 0)
			break;
		if (c && git_revwalk_hide(walk, git_commit_id(c)) < 0)
			rc = dc_error_set_git("cannot walk the history");
		git_commit_free(c);
		if (rc < 0)
			break;
	}
	git_reference_iterator_free(it);
	if (rc == GIT_ITEROVER)
		return 0;
	return rc < 0 ? (rc == -1 ? -1 : dc_error_set_git("cannot list the refs")) : 0;
}

static int new_commits(rcv_ref *x)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t cap = 0;
	int rc = -1;

	if (git_revwalk_new(&walk, x->r->repo) < 0 || git_revwalk_push(walk, git_commit_id(x->new_commit)) < 0 ||
	    (x->old_commit && git_revwalk_hide(walk, git_commit_id(x->old_commit)) < 0)) {
		dc_error_set_git("cannot walk the history");
		goto cleanup;
	}
	if (hide_protected(x, walk) < 0)
		goto cleanup;
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		if (x->ncommits == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			git_oid *p = realloc(x->commits, ncap * sizeof(*p));

			if (!p) {
				rc = dc_error_set("out of memory");
				goto cleanup;
			}
			x->commits = p;
			cap = ncap;
		}
		git_oid_cpy(&x->commits[x->ncommits++], &oid);
	}
	if (rc != GIT_ITEROVER) {
		dc_error_set_git("cannot walk the history");
		rc = -1;
		goto cleanup;
	}
	rc = 0;
cleanup:
	git_revwalk_free(walk);
	return rc;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

int rcv_range_extra(rcv_ref *x)
{
	git_revwalk *walk = NULL;
	git_oid *known = NULL, oid;
	size_t cap = 0;
	int rc = -1;

	if (x->extra_done)
		return 0;
	x->extra_done = 1;
	if (!x->old_commit && !x->r->default_ref)
		return 0;
	if (x->ncommits && !(known = malloc(x->ncommits * sizeof(*known))))
		return dc_error_set("out of memory");
	if (known) {
		memcpy(known, x->commits, x->ncommits * sizeof(*known));
		qsort(known, x->ncommits, sizeof(*known), oid_cmp);
	}
	if (git_revwalk_new(&walk, x->r->repo) < 0 || git_revwalk_push(walk, git_commit_id(x->new_commit)) < 0 ||
	    git_revwalk_hide(walk, git_commit_id(x->old_commit ? x->old_commit : x->r->deflt.commit)) < 0) {
		dc_error_set_git("cannot walk the history");
		goto cleanup;
	}
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		if (known && bsearch(&oid, known, x->ncommits, sizeof(*known), oid_cmp))
			continue;
		if (x->nextra == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			git_oid *p = realloc(x->extra, ncap * sizeof(*p));

			if (!p) {
				rc = dc_error_set("out of memory");
				goto cleanup;
			}
			x->extra = p;
			cap = ncap;
		}
		git_oid_cpy(&x->extra[x->nextra++], &oid);
	}
	if (rc != GIT_ITEROVER) {
		dc_error_set_git("cannot walk the history");
		rc = -1;
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(known);
	git_revwalk_free(walk);
	return rc;
}

/* What NEW is compared with: OLD, or for a created ref the point where it
 * leaves the default branch (NULL: nothing before). */
static int base_tree(rcv_ref *x, git_tree **out)
{
	git_commit *c = NULL;
	git_oid mb;
	int rc;

	*out = NULL;
	if (x->old_commit)
		return git_commit_tree(out, x->old_commit) < 0 ? dc_error_set_git("cannot read OLD") : 0;
	if (x->has_old || !x->r->default_ref)
		return 0;
	rc = git_merge_base(&mb, x->r->repo, git_commit_id(x->new_commit), git_commit_id(x->r->deflt.commit));
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || git_commit_lookup(&c, x->r->repo, &mb) < 0)
		return dc_error_set_git("cannot find where the ref leaves the default branch");
	rc = git_commit_tree(out, c) < 0 ? dc_error_set_git("cannot read a tree") : 0;
	git_commit_free(c);
	return rc;
}

static int same_roots(const dc_policy *a, const dc_policy *b)
{
	size_t i;

	if (a->nroots != b->nroots)
		return 0;
	for (i = 0; i < a->nroots; i++)
		if (strcmp(a->roots[i], b->roots[i]))
			return 0;
	return 1;
}

/* The changed documents, by the roots of the policy in force; when the push
 * changes the roots, the documents under the new roots count too. */
static int compute_delta(rcv_ref *x, const dc_policy *pol)
{
	const dc_policy *np = x->new_pol.proj ? x->new_pol.proj->policy : NULL;
	git_tree *base = NULL;
	dc_delta more;
	size_t i, j;
	int rc;

	dc_delta_init(&more);
	if ((rc = base_tree(x, &base)) < 0)
		return -1;
	rc = dc_delta_compute(&x->delta, x->r->repo, pol, "", base, NULL, x->new_tree);
	if (rc == 0 && np && np != pol && !same_roots(np, pol)) {
		rc = dc_delta_compute(&more, x->r->repo, np, "", base, NULL, x->new_tree);
		for (i = 0, j = 0; rc == 0 && i < more.n; i++) {
			dc_change *c = &more.items[i];
			const char *path = c->has_new ? c->new_doc.path : c->old_doc.path;
			dc_change *p;

			if (dc_policy_controls(pol, path) ||
			    (c->has_old && c->has_new && dc_policy_controls(pol, c->old_doc.path))) {
				more.items[j++] = *c;
				continue;
			}
			if (!(p = realloc(x->delta.items, (x->delta.n + 1) * sizeof(*p)))) {
				rc = dc_error_set("out of memory");
				break;
			}
			x->delta.items = p;
			x->delta.items[x->delta.n++] = *c;
		}
		if (rc == 0)
			more.n = j;
	}
	dc_delta_dispose(&more);
	git_tree_free(base);
	return rc;
}

/* Nonzero when the push changes the policy or a schema (the check of every
 * document is then due again). */
static int policy_files_changed(const dc_delta *d)
{
	size_t i;

	for (i = 0; i < d->nother; i++)
		if (!strcmp(d->other_paths[i], DC_POLICY_FILE) || !strncmp(d->other_paths[i], "schema/", 7))
			return 1;
	return 0;
}

/* --- the documents of NEW (SPEC §6.2 item 4, §6.4) --- */

static const dc_change *change_at(const rcv_ref *x, const char *path)
{
	size_t i;

	for (i = 0; i < x->delta.n; i++)
		if (x->delta.items[i].has_new && !strcmp(x->delta.items[i].new_doc.path, path))
			return &x->delta.items[i];
	return NULL;
}

static int not_approved(rcv_ref *x, const dc_docset *set)
{
	size_t i, n = 0;

	for (i = 0; i < set->n; i++) {
		const dc_docinfo *d = &set->docs[i];
		const dc_change *c;
		const dc_node *v;
		dc_mark m = d->id_mark;
		const char *id = d->id ? d->id : d->path;

		if (!d->parsed || (d->status && (!strcmp(d->status, "approved") || !strcmp(d->status, "obsolete"))))
			continue;
		if ((c = change_at(x, d->path)) && c->new_doc.root) {
			v = dc_node_get(c->new_doc.root, "status");
			m = v ? v->start : c->new_doc.open;
		}
		if (ADD(x, d->path, m.line, m.col, "status.not-approved", d->id,
			"%s is %s%s; %s holds only approved or obsolete documents: approve it (docctl approve %s --sign) or push it to another branch",
			id, d->status ? "" : "without a status", d->status ? d->status : "", x->ref, id) < 0)
			return -1;
		n++;
	}
	if (n && rcv_hint(x, "only approved documents go to %s: get the draft%s approved (docctl approve ID --sign) or push %s to another branch",
			  x->ref, n > 1 ? "s" : "", n > 1 ? "them" : "it") < 0)
		return -1;
	return 0;
}

/* The check of NEW: every document rule on the changed documents (all of
 * them when the policy or a schema changed), and on a protected ref the
 * repository rules over every document.
 * TODO(cache): dc_check_all still reads and parses every document of NEW for
 * the repository rules; a cache of summaries by blob id goes here. */
static int check_new(rcv_ref *x, int protected_ref)
{
	dc_check_opts co, all;
	dc_docset set;
	dc_diags found;
	const char **only = NULL;
	size_t i, nonly = 0;
	int rc = -1, everything = policy_files_changed(&x->delta);

	if (!x->delta.n && !everything && !x->tofu)
		return 0; /* nothing controlled changed: OLD passed */
	dc_docset_init(&set);
	dc_diags_init(&found);
	memset(&co, 0, sizeof(co));
	co.today = x->r->opts.today;
	all = co;
	if (!everything && !x->tofu) {
		if (!(only = calloc(x->delta.n + 1, sizeof(*only)))) {
			dc_error_set("out of memory");
			goto cleanup;
		}
		for (i = 0; i < x->delta.n; i++)
			if (x->delta.items[i].has_new)
				only[nonly++] = x->delta.items[i].new_doc.path;
		co.only = only;
		co.nonly = nonly;
	}
	if (dc_check_all(x->new_pol.proj, &co, &set, &found) < 0)
		goto cleanup;
	if (protected_ref && co.only && dc_check_repository(x->new_pol.proj, &set, &all, &found) < 0)
		goto cleanup;
	if (take_findings(x, &found, !protected_ref) < 0)
		goto cleanup;
	if (protected_ref && not_approved(x, &set) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(only);
	dc_diags_dispose(&found);
	dc_docset_dispose(&set);
	return rc;
}

/* --- one id, one document (SPEC §6.6) --- */

typedef struct {
	rcv_ref *x;
	const char **ids;      /* the ids the push introduces */
	const char **paths;    /* where NEW has them */
	const dc_change **changes;
	size_t n;
	const char *branch;
	const char *root;      /* the root folder being walked */
	int *found;            /* per id: already reported */
	int rc;
} id_scan;

/* Nonzero when a file name is ID.md or ID-anything.md. */
static int named_for(const char *name, const char *id)
{
	size_t n = strlen(id), len = strlen(name);

	return !strncmp(name, id, n) && len >= n + 3 && !strcmp(name + len - 3, ".md") &&
	       (name[n] == '.' || name[n] == '-');
}

static int scan_entry(const char *dir, const git_tree_entry *e, void *payload)
{
	id_scan *s = payload;
	const char *name = git_tree_entry_name(e);
	size_t k;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	for (k = 0; k < s->n; k++) {
		dc_buf path = DC_BUF_INIT;
		git_blob *blob = NULL;
		dc_diags ignored;
		dc_doc doc;
		const char *id;

		if (s->found[k] || !named_for(name, s->ids[k]))
			continue;
		dc_buf_printf(&path, "%s%s%s%s", s->root, *s->root ? "/" : "", dir, name);
		if (!strcmp(path.ptr, s->paths[k])) {
			dc_buf_dispose(&path);
			continue; /* the same document */
		}
		if (git_blob_lookup(&blob, s->x->r->repo, git_tree_entry_id(e)) < 0) {
			dc_buf_dispose(&path);
			s->rc = dc_error_set_git("cannot read a document of another branch");
			return -1;
		}
		dc_diags_init(&ignored);
		dc_doc_init(&doc);
		if (git_blob_rawsize(blob) <= DC_FILE_MAX &&
		    dc_doc_parse(&doc, path.ptr, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), 0, &ignored) == 0 &&
		    (id = dc_doc_str(&doc, "id")) && !strcmp(id, s->ids[k])) {
			const dc_change *c = s->changes[k];
			const dc_node *v = dc_node_get(c->new_doc.root, "id");
			dc_mark m = v ? v->start : c->new_doc.open;

			s->found[k] = 1;
			if (ADD(s->x, s->paths[k], m.line, m.col, "id.duplicate", s->ids[k],
				"id \"%s\" is already taken on %s by %s; two documents cannot share a number: take the next free id (docctl new assigns one) and rename the file",
				s->ids[k], s->branch, path.ptr) < 0 ||
			    rcv_hint(s->x, "give %s a number no other branch uses", s->paths[k]) < 0)
				s->rc = -1;
		}
		dc_arena_dispose(&doc.arena);
		dc_diags_dispose(&ignored);
		git_blob_free(blob);
		dc_buf_dispose(&path);
		if (s->rc < 0)
			return -1;
	}
	return 0;
}

/* Looks for the ids in the controlled files of one branch's tree.
 * TODO(perf): walks the names of every file under the roots of each other
 * branch; an index of ids by branch would make this cost the new ids only. */
static int scan_branch(id_scan *s, const dc_policy *pol, git_tree *tree)
{
	size_t i;

	for (i = 0; i < pol->nroots; i++) {
		git_tree_entry *e = NULL;
		git_tree *sub = NULL;
		int rc;

		s->root = pol->roots[i];
		if (!*s->root) {
			rc = git_tree_walk(tree, GIT_TREEWALK_PRE, scan_entry, s);
		} else {
			rc = git_tree_entry_bypath(&e, tree, s->root);
			if (rc == GIT_ENOTFOUND)
				continue;
			if (rc == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			    (rc = git_tree_lookup(&sub, s->x->r->repo, git_tree_entry_id(e))) == 0)
				rc = git_tree_walk(sub, GIT_TREEWALK_PRE, scan_entry, s);
			git_tree_free(sub);
			git_tree_entry_free(e);
		}
		if (s->rc < 0)
			return -1;
		if (rc < 0)
			return dc_error_set_git("cannot read another branch");
	}
	return 0;
}

static int claim_ids(rcv_ref *x, const dc_policy *pol)
{
	git_reference_iterator *it = NULL;
	id_scan s;
	const char *name;
	size_t i, k;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	s.x = x;
	s.ids = calloc(x->delta.n + 1, sizeof(*s.ids));
	s.paths = calloc(x->delta.n + 1, sizeof(*s.paths));
	s.changes = calloc(x->delta.n + 1, sizeof(*s.changes));
	s.found = calloc(x->delta.n + 1, sizeof(*s.found));
	if (!s.ids || !s.paths || !s.changes || !s.found) {
		dc_error_set("out of memory");
		goto cleanup;
	}
	for (i = 0; i < x->delta.n; i++) {
		const dc_change *c = &x->delta.items[i];
		const char *nid = c->has_new && c->new_doc.root ? dc_doc_str(&c->new_doc, "id") : NULL;
		const char *oid = c->has_old && c->old_doc.root ? dc_doc_str(&c->old_doc, "id") : NULL;

		if (!nid || (oid && !strcmp(oid, nid)))
			continue;
		s.ids[s.n] = nid;
		s.paths[s.n] = c->new_doc.path;
		s.changes[s.n++] = c;
	}
	if (!s.n) {
		rc = 0;
		goto cleanup;
	}
	/* refs evaluated earlier in this push */
	for (k = 0; k < s.n; k++)
		for (i = 0; i < x->r->nclaims && !s.found[k]; i++) {
			const rcv_claim *cl = &x->r->claims[i];
			const dc_node *v = dc_node_get(s.changes[k]->new_doc.root, "id");

			if (strcmp(cl->id, s.ids[k]) || !strcmp(cl->path, s.paths[k]) || !strcmp(cl->ref, x->ref))
				continue;
			s.found[k] = 1;
			if (ADD(x, s.paths[k], v->start.line, v->start.col, "id.duplicate", s.ids[k],
				"id \"%s\" is also taken by %s on %s in the same push; two documents cannot share a number: take the next free id (docctl new assigns one) and rename the file",
				s.ids[k], cl->path, cl->ref) < 0 ||
			    rcv_hint(x, "give %s a number no other branch uses", s.paths[k]) < 0)
				goto cleanup;
		}
	if (git_reference_iterator_glob_new(&it, x->r->repo, "refs/heads/*") < 0) {
		dc_error_set_git("cannot list the branches");
		goto cleanup;
	}
	while ((rc = git_reference_next_name(&name, it)) == 0) {
		git_commit *c = NULL;
		git_tree *tree = NULL;
		git_object_t type;
		git_oid oid;

		if (!strcmp(name, x->ref))
			continue;
		if ((rc = ref_before(x->r, name, &oid)) < 0)
			goto cleanup;
		if (rc == 0 || (rc = peel_commit(&c, x->r->repo, &oid, &type)) != 0) {
			if (rc < 0)
				goto cleanup;
			continue;
		}
		s.branch = name;
		if (git_commit_tree(&tree, c) < 0)
			rc = dc_error_set_git("cannot read another branch");
		else
			rc = scan_branch(&s, pol, tree);
		git_tree_free(tree);
		git_commit_free(c);
		if (rc < 0)
			goto cleanup;
	}
	if (rc != GIT_ITEROVER) {
		dc_error_set_git("cannot list the branches");
		rc = -1;
		goto cleanup;
	}
	/* remember what this ref introduces for the refs after it */
	for (k = 0; k < s.n; k++) {
		rcv_claim *p = realloc(x->r->claims, (x->r->nclaims + 1) * sizeof(*p));

		if (!p) {
			rc = dc_error_set("out of memory");
			goto cleanup;
		}
		x->r->claims = p;
		p += x->r->nclaims;
		p->id = strdup(s.ids[k]);
		p->path = strdup(s.paths[k]);
		p->ref = strdup(x->ref);
		x->r->nclaims++;
		if (!p->id || !p->path || !p->ref) {
			rc = dc_error_set("out of memory");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	git_reference_iterator_free(it);
	free(s.ids);
	free(s.paths);
	free(s.changes);
	free(s.found);
	return rc;
}

/* --- one ref --- */

static int evaluate_deletion(rcv_ref *x)
{
	int rc;

	if (!x->has_old)
		return 0;
	if ((rc = choose_trusted(x)) != 0)
		return rc < 0 ? -1 : 0;
	if (x->trusted && !x->trusted->proj)
		return report_broken_trusted(x);
	if (pusher(x) < 0)
		return -1;
	if (!protects(x, x->ref))
		return 0;
	x->res->protected_ref = 1;
	if (rcv_hint(x, "a protected ref is never deleted; to retire it, first remove it from `protected` in docctl.yaml (a signed policy change)") < 0)
		return -1;
	return ADD(x, "", 0, 0, "ref.delete", NULL,
		   "%s is protected and cannot be deleted; it holds the approved documents of record", x->ref);
}

static int evaluate_protected(rcv_ref *x)
{
	const dc_policy *pol = trusted_policy(x);
	size_t i;
	int rc;

	if (x->old_commit && !git_oid_equal(git_commit_id(x->old_commit), git_commit_id(x->new_commit))) {
		rc = git_graph_descendant_of(x->r->repo, git_commit_id(x->new_commit), git_commit_id(x->old_commit));
		if (rc < 0)
			return dc_error_set_git("cannot compare OLD and NEW");
		if (rc == 0) {
			char o[8], n[8];

			short_id(o, git_commit_id(x->old_commit));
			short_id(n, git_commit_id(x->new_commit));
			if (rcv_hint(x, "fetch %s, rebase or merge your commits onto it, and push again without --force", x->ref) < 0)
				return -1;
			return ADD(x, "", 0, 0, "ref.non-fast-forward", NULL,
				   "%s %s does not descend from %s: a protected ref is never rewound or rewritten", x->ref, n, o);
		}
	}
	if (!pol)
		pol = x->new_pol.proj ? x->new_pol.proj->policy : NULL;
	if (!pol)
		return 0;
	if (new_commits(x) < 0 || compute_delta(x, pol) < 0)
		return -1;
	if (x->audit) {
		if (x->tofu)
			return 0;
		for (i = 0; i < x->delta.n; i++)
			if (rcv_vouch(x, &x->delta.items[i]) < 0)
				return -1;
		return 0;
	}
	if (x->new_pol.proj) {
		if (check_new(x, 1) < 0)
			return -1;
	} else if (take_findings(x, &x->new_pol.broken, 0) < 0 ||
		   (x->new_pol.absent && ADD(x, DC_POLICY_FILE, 0, 0, "policy.invalid", NULL,
					     "%s has no docctl.yaml; a protected ref always carries its policy: restore it", x->ref) < 0)) {
		return -1;
	}
	if (!x->tofu) {
		dc_transition_opts to;

		to.policy = trusted_policy(x);
		to.today = x->r->opts.today;
		for (i = 0; i < x->delta.n; i++)
			if (dc_transition_check(&x->delta.items[i], &to, x->diags) < 0 || rcv_vouch(x, &x->delta.items[i]) < 0)
				return -1;
		if (rcv_policy_change(x) < 0)
			return -1;
	}
	return claim_ids(x, pol);
}

static int evaluate_other(rcv_ref *x)
{
	if (x->audit)
		return 0;
	if (!x->new_pol.proj) {
		/* no policy on this branch: nothing is controlled here */
		return x->new_pol.absent ? 0 : take_findings(x, &x->new_pol.broken, 0);
	}
	if (compute_delta(x, x->new_pol.proj->policy) < 0 || check_new(x, 0) < 0)
		return -1;
	return claim_ids(x, x->new_pol.proj->policy);
}

static int evaluate(rcv_ref *x)
{
	git_object_t type;
	int rc;

	if (load_default(x->r) < 0)
		return -1;
	if (!x->has_new)
		return evaluate_deletion(x);
	rc = peel_commit(&x->new_commit, x->r->repo, &x->new_oid, &type);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (rcv_hint(x, "push a commit (or a tag of a commit) to %s", x->ref) < 0)
			return -1;
		return ADD(x, "", 0, 0, "internal.error", NULL,
			   "%s points at a %s, not a commit; docctl accepts only commits on the refs it checks", x->ref,
			   type_name(type));
	}
	if (git_commit_tree(&x->new_tree, x->new_commit) < 0)
		return dc_error_set_git("cannot read NEW");
	if (policy_load(&x->new_pol, x->r->repo, x->new_commit) < 0 || (rc = choose_trusted(x)) < 0)
		return -1;
	if (rc == 1)
		return 0; /* reported */
	if (x->trusted && !x->trusted->proj)
		return x->audit ? 0 : report_broken_trusted(x);
	x->res->protected_ref = protects(x, x->ref);
	if (pusher(x) < 0 || read_signers(x) < 0)
		return -1;
	if (x->tofu && x->res->protected_ref)
		dc_buf_printf(&x->res->note, "trusting the pushed policy (%s)",
			      x->r->empty ? "first push to an empty repository"
			      : !x->r->default_ref ? "first push of the default branch"
						   : "no policy is in force yet: neither the ref nor the default branch has docctl.yaml");
	return x->res->protected_ref ? evaluate_protected(x) : evaluate_other(x);
}

static int run(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid, int audit,
	       dc_receive_result *res, dc_diags *diags)
{
	rcv_ref x;
	int rc;

	memset(&x, 0, sizeof(x));
	x.r = r;
	x.ref = ref;
	x.audit = audit;
	x.has_old = old && !git_oid_is_zero(old);
	x.has_new = new_oid && !git_oid_is_zero(new_oid);
	if (x.has_old)
		git_oid_cpy(&x.old, old);
	if (x.has_new)
		git_oid_cpy(&x.new_oid, new_oid);
	policy_init(&x.old_pol);
	policy_init(&x.new_pol);
	dc_buf_init(&x.signers);
	dc_buf_init(&x.hints);
	dc_delta_init(&x.delta);
	x.diags = diags;
	x.res = res;
	x.first_diag = diags->n;

	rc = evaluate(&x);
	if (rc == 0 && !audit && errors_since(&x) && (rc = derive_hint(&x)) == 0)
		rc = dc_buf_puts(&res->summary, x.hints.len ? x.hints.ptr : "fix the errors above in a new commit and push again");

	git_commit_free(x.old_commit);
	git_commit_free(x.new_commit);
	git_tree_free(x.new_tree);
	policy_dispose(&x.old_pol);
	policy_dispose(&x.new_pol);
	dc_buf_dispose(&x.signers);
	dc_buf_dispose(&x.hints);
	dc_delta_dispose(&x.delta);
	free(x.commits);
	free(x.extra);
	rcv_sigs_dispose(&x);
	return rc;
}

int dc_receive_ref(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid,
		   dc_receive_result *res, dc_diags *diags)
{
	return run(r, ref, old, new_oid, 0, res, diags);
}

int dc_receive_audit(dc_receive *r, const char *ref, const git_oid *old, const git_oid *new_oid,
		     dc_receive_result *res)
{
	dc_diags ignored;
	int rc;

	dc_diags_init(&ignored);
	rc = run(r, ref, old, new_oid, 1, res, &ignored);
	dc_diags_dispose(&ignored);
	return rc;
}
