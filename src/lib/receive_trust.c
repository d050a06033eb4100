/*
 * receive_trust.c - where trust lives (reference §6.1 item 2, 3a): the
 * repository's config key docctl.trustedRef names the ref whose policy says
 * which refs are protected and governs a protected ref being created. A
 * branch pushed by anyone is never a source of trust; only the config,
 * which no push can change, is. Trust on first use only while no
 * docctl.trustedRef is set (or the ref it names does not exist yet) and the
 * repository holds no ref at all: then the pushed policy of the protected
 * ref the push creates governs the push, and post-receive records that ref
 * (dc_receive_record_trust).
 */
#include "i18n.h"
#include "receive_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#define TRUST_KEY "docctl.trustedRef"

/* --- the state of trust before the push --- */

static int read_config(char **out, git_repository *repo)
{
	git_config *cfg = NULL, *snap = NULL;
	const char *v = NULL;
	int rc = 0;

	*out = NULL;
	if (git_repository_config(&cfg, repo) < 0 || git_config_snapshot(&snap, cfg) < 0) {
		git_config_free(cfg);
		return dc_error_set_git(_("cannot read the repository's configuration"));
	}
	rc = git_config_get_string(&v, snap, TRUST_KEY);
	if (rc == 0 && *v && !(*out = strdup(v)))
		rc = dc_error_oom();
	else if (rc == GIT_ENOTFOUND)
		rc = 0;
	else if (rc < 0)
		rc = dc_error_set_git(_("cannot read docctl.trustedRef"));
	git_config_free(snap);
	git_config_free(cfg);
	return rc;
}

/* Nonzero when no ref (symbolic ones aside: they are names for others)
 * held a commit before the push. */
static int was_empty(dc_receive *r, int *empty)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid oid;
	int rc;

	*empty = 1;
	if (git_reference_iterator_new(&it, r->repo) < 0)
		return dc_error_set_git(_("cannot list the refs"));
	while ((rc = git_reference_next(&ref, it)) == 0) {
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT)
			rc = rcv_ref_before(r, git_reference_name(ref), &oid);
		git_reference_free(ref);
		if (rc != 0) {
			if (rc == 1)
				*empty = 0;
			break;
		}
	}
	git_reference_iterator_free(it);
	if (rc < 0 && rc != GIT_ITEROVER)
		return rc == -1 ? -1 : dc_error_set_git(_("cannot list the refs"));
	return 0;
}

static const char *new_value_of(const dc_receive *r, const char *ref, const git_oid **id)
{
	size_t i;

	for (i = 0; i < r->nupdates; i++)
		if (!strcmp(r->updates[i].ref, ref) && !git_oid_is_zero(&r->updates[i].new_oid)) {
			*id = &r->updates[i].new_oid;
			return r->updates[i].ref;
		}
	return NULL;
}

/* Loads the policy that ref `name` has after the push (its new value) into
 * p. Returns 1 when it loads and protects `name`, 0 when not, -1. */
static int pushed_policy(dc_receive *r, const char *name, rcv_policy *p)
{
	const git_oid *id = NULL;
	git_commit *c = NULL;
	git_object_t type;
	int rc;

	if (!new_value_of(r, name, &id))
		return 0;
	if ((rc = rcv_peel_commit(&c, r->repo, id, &type)) != 0)
		return rc < 0 ? -1 : 0;
	rcv_policy_dispose(p);
	rc = rcv_policy_load(p, r->repo, c);
	git_commit_free(c);
	if (rc < 0)
		return -1;
	return p->proj && dc_policy_protects(p->proj->policy, name);
}

/* Trust on first use: the protected ref the push creates whose pushed
 * policy governs it. The one docctl.trustedRef names, else HEAD's target,
 * else refs/heads/main, else the first pushed ref its own policy protects. */
static int choose_tofu(dc_receive *r)
{
	const char *prefer[3];
	size_t n = 0, i;
	int rc;

	if (r->trusted_ref) {
		prefer[n++] = r->trusted_ref;
	} else {
		if (r->head_target)
			prefer[n++] = r->head_target;
		prefer[n++] = "refs/heads/main";
	}
	for (i = 0; i < n; i++) {
		if ((rc = pushed_policy(r, prefer[i], &r->trust)) < 0)
			return -1;
		if (rc == 1)
			return (r->tofu_ref = strdup(prefer[i])) ? 0 : dc_error_oom();
	}
	for (i = 0; !r->trusted_ref && i < r->nupdates; i++) {
		if ((rc = pushed_policy(r, r->updates[i].ref, &r->trust)) < 0)
			return -1;
		if (rc == 1)
			return (r->tofu_ref = strdup(r->updates[i].ref)) ? 0 : dc_error_oom();
	}
	rcv_policy_dispose(&r->trust);
	return 0;
}

static int say(dc_receive *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int say(dc_receive *r, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dc_buf_vprintf(&r->trust_why, fmt, ap);
	va_end(ap);
	r->trust_state = RCV_TRUST_NONE;
	return rc;
}

static int load_aliases(dc_receive *r);

int rcv_load_trust(dc_receive *r)
{
	git_reference *head = NULL;
	char *configured = NULL;
	git_oid oid;
	int rc;

	if (r->trust_state != RCV_TRUST_UNKNOWN)
		return 0;
	rcv_policy_init(&r->trust);
	if (git_reference_lookup(&head, r->repo, "HEAD") == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    !(r->head_target = strdup(git_reference_symbolic_target(head)))) {
		git_reference_free(head);
		return dc_error_oom();
	}
	git_reference_free(head);
	if (read_config(&configured, r->repo) < 0)
		return -1;
	if (configured) {
		rc = rcv_resolve(&r->trusted_ref, r->repo, configured);
		free(configured);
		if (rc < 0)
			return -1;
	}
	if (was_empty(r, &r->empty) < 0)
		return -1;

	if (r->trusted_ref && (rc = rcv_ref_before(r, r->trusted_ref, &oid)) != 0) {
		git_commit *c = NULL;
		git_object_t type;

		if (rc < 0 || (rc = rcv_peel_commit(&c, r->repo, &oid, &type)) < 0)
			return -1;
		if (rc == 1)
			return say(r, _("%s, which docctl.trustedRef names as the ref whose policy is in force, points at a %s, not a commit; every push is "
				   "refused until the server's administrator names a branch there"),
				   r->trusted_ref, rcv_type_name(type));
		rc = rcv_policy_load(&r->trust, r->repo, c);
		git_commit_free(c);
		if (rc < 0)
			return -1;
		if (r->trust.absent)
			return say(r, _("%s, which docctl.trustedRef names as the ref whose policy is in force, has no docctl.yaml; every push is refused until "
				   "it has one, or the server's administrator names the branch that does"),
				   r->trusted_ref);
		if (!(r->trust_ref = strdup(r->trusted_ref)))
			return dc_error_oom();
		r->trust_state = RCV_TRUST_REF;
		return load_aliases(r);
	}
	if (!r->empty) {
		if (r->trusted_ref)
			return say(r, _("docctl.trustedRef names %s, which does not exist, so docctl cannot tell which policy is in force; "
				   "every push is refused until the server's administrator sets it to the branch that holds the "
				   "approved policy: git --git-dir=%s config docctl.trustedRef refs/heads/BRANCH"),
				   r->trusted_ref, git_repository_path(r->repo));
		return say(r, _("this repository does not say where its trusted policy lives (docctl.trustedRef is not set), "
			   "so docctl cannot tell which policy is in force; every push is refused until the server's "
			   "administrator sets it once, in %s: docctl init --hooks --trusted-ref %s"),
			   git_repository_path(r->repo),
			   r->head_target && rcv_ref_before(r, r->head_target, &oid) == 1 ? r->head_target : "refs/heads/main");
	}
	if (choose_tofu(r) < 0)
		return -1;
	if (!r->tofu_ref) {
		if (r->trusted_ref)
			return say(r, _("the repository is empty and docctl.trustedRef names %s: push %s first, with its docctl.yaml "
				   "protecting it; its policy is trusted on first use"), r->trusted_ref, r->trusted_ref);
		return say(r, _("the first push to an empty repository must create its protected branch (one its own "
			   "docctl.yaml lists under `protected`, such as refs/heads/main); that policy is trusted on first "
			   "use and becomes the one in force; push that branch first"));
	}
	r->trust_state = RCV_TRUST_TOFU;
	return load_aliases(r);
}

const dc_policy *rcv_trust_policy(const dc_receive *r)
{
	if ((r->trust_state == RCV_TRUST_REF || r->trust_state == RCV_TRUST_TOFU) && r->trust.proj)
		return r->trust.proj->policy;
	return NULL;
}

/* The targets of the symbolic refs whose names the trusted policy protects:
 * a protected name that is an alias of another ref makes that ref
 * protected, or a push to the target would change what the name shows. */
static int load_aliases(dc_receive *r)
{
	const dc_policy *t = rcv_trust_policy(r);
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int rc;

	if (!t)
		return 0;
	if (git_reference_iterator_new(&it, r->repo) < 0)
		return dc_error_set_git(_("cannot list the refs"));
	while ((rc = git_reference_next(&ref, it)) == 0) {
		char *target = NULL;

		if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC && dc_policy_protects(t, git_reference_name(ref))) {
			if ((rc = rcv_resolve(&target, r->repo, git_reference_name(ref))) == 0)
				rc = dc_strlist_add(&r->aliased, target);
			free(target);
		}
		git_reference_free(ref);
		if (rc < 0)
			break;
	}
	git_reference_iterator_free(it);
	if (rc < 0 && rc != GIT_ITEROVER)
		return rc == -1 ? -1 : dc_error_set_git(_("cannot list the refs"));
	return 0;
}

int rcv_trust_protects(const dc_receive *r, const char *name)
{
	const dc_policy *t = rcv_trust_policy(r);

	if (!t)
		return 0;
	if (dc_policy_protects(t, name))
		return 1;
	return dc_strlist_has(&r->aliased, name);
}

/* --- recording it --- */

/* Points a HEAD that names a missing branch (git init --bare leaves
 * master) at `ref`, so clones and the reading commands see it. */
static int point_head(git_repository *repo, const char *ref, dc_buf *said)
{
	git_reference *head = NULL, *moved = NULL;
	git_oid oid;
	int rc = 0;

	if (git_reference_lookup(&head, repo, "HEAD") == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    strcmp(git_reference_symbolic_target(head), ref) &&
	    git_reference_name_to_id(&oid, repo, git_reference_symbolic_target(head)) == GIT_ENOTFOUND) {
		if (git_reference_symbolic_create(&moved, repo, "HEAD", ref, 1, "docctl: HEAD names the trusted ref") < 0)
			rc = dc_error_set_git(_("cannot point HEAD at the trusted ref"));
		else
			dc_buf_printf(said, "%sHEAD now names %s (it named %s, which does not exist)", said->len ? "; " : "",
				      ref, git_reference_symbolic_target(head));
	}
	git_reference_free(moved);
	git_reference_free(head);
	return rc;
}

int dc_trust_set(git_repository *repo, const char *ref, dc_buf *said)
{
	git_config *cfg = NULL;
	int valid = 0;

	if (strncmp(ref, "refs/", 5) || git_reference_name_is_valid(&valid, ref) < 0 || !valid)
		return dc_error_set(_("'%s' is not a full ref name (refs/heads/main, for example)"), ref);
	if (git_repository_config(&cfg, repo) < 0 || git_config_set_string(cfg, TRUST_KEY, ref) < 0) {
		git_config_free(cfg);
		return dc_error_set_git(_("cannot set docctl.trustedRef"));
	}
	git_config_free(cfg);
	dc_buf_printf(said, "%sset %s=%s", said->len ? "; " : "", TRUST_KEY, ref);
	return point_head(repo, ref, said);
}

int dc_receive_record_trust(dc_receive *r, dc_buf *said)
{
	git_oid now;
	const git_oid *pushed = NULL;

	if (rcv_load_trust(r) < 0)
		return -1;
	if (r->trust_state != RCV_TRUST_TOFU)
		return 0;
	/* only what the push did create: post-receive lists the refs updated */
	if (!new_value_of(r, r->tofu_ref, &pushed) || git_reference_name_to_id(&now, r->repo, r->tofu_ref) < 0 ||
	    !git_oid_equal(&now, pushed))
		return 0;
	if (r->trusted_ref) /* named by the administrator before the first push */
		return point_head(r->repo, r->tofu_ref, said);
	return dc_trust_set(r->repo, r->tofu_ref, said);
}

int dc_receive_may_tofu(const dc_receive *r)
{
	return r->trust_state != RCV_TRUST_REF && r->trust_state != RCV_TRUST_NONE;
}

int dc_trust_configured(char **out, git_repository *repo)
{
	return read_config(out, repo);
}

int dc_trust_protects(git_repository *repo, const char *trusted, const char *ref)
{
	rcv_policy p;
	git_commit *c = NULL;
	git_object_t type;
	git_oid oid;
	int rc;

	rc = git_reference_name_to_id(&oid, repo, trusted);
	if (rc == GIT_ENOTFOUND)
		return 2;
	if (rc < 0)
		return dc_error_set_git(trusted);
	if ((rc = rcv_peel_commit(&c, repo, &oid, &type)) != 0)
		return rc < 0 ? -1 : 2;
	rcv_policy_init(&p);
	rc = rcv_policy_load(&p, repo, c);
	if (rc == 0)
		rc = !p.proj ? 3 : dc_policy_protects(p.proj->policy, ref) != 0;
	rcv_policy_dispose(&p);
	git_commit_free(c);
	return rc;
}

/* The id of the entry at `path` in a commit's tree, zero when absent. */
static void entry_id(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;

	memset(out, 0, sizeof(*out));
	if (git_tree_entry_bypath(&e, tree, path) == 0)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
}

int dc_trust_divergent(dc_strlist *out, git_repository *repo, const char *trusted)
{
	const char *paths[3] = { DC_POLICY_FILE, NULL, "schema" };
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_commit *c = NULL;
	git_object_t type;
	rcv_policy p;
	git_oid oid, want[3];
	size_t k;
	int rc;

	rcv_policy_init(&p);
	if (git_reference_name_to_id(&oid, repo, trusted) < 0 || rcv_peel_commit(&c, repo, &oid, &type) != 0 ||
	    rcv_policy_load(&p, repo, c) < 0 || !p.proj) {
		git_commit_free(c);
		rcv_policy_dispose(&p);
		return 0; /* no trusted policy: dc_trust_protects says so */
	}
	git_commit_free(c);
	paths[1] = p.proj->policy->signers;
	for (k = 0; k < 3; k++)
		entry_id(&want[k], p.tree, paths[k]);
	if (git_reference_iterator_new(&it, repo) < 0) {
		rcv_policy_dispose(&p);
		return dc_error_set_git(_("cannot list the refs"));
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);
		git_tree *tree = NULL;

		c = NULL;
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT && strcmp(name, trusted) &&
		    dc_policy_protects(p.proj->policy, name) &&
		    rcv_peel_commit(&c, repo, git_reference_target(ref), &type) == 0 && git_commit_tree(&tree, c) == 0) {
			for (k = 0; k < 3; k++) {
				git_oid have;

				entry_id(&have, tree, paths[k]);
				if (!git_oid_equal(&have, &want[k]))
					break;
			}
			if (k < 3 && dc_strlist_add(out, name) < 0)
				rc = -1;
		}
		git_tree_free(tree);
		git_commit_free(c);
		git_reference_free(ref);
		if (rc < 0)
			break;
	}
	git_reference_iterator_free(it);
	rcv_policy_dispose(&p);
	if (rc < 0 && rc != GIT_ITEROVER)
		return rc == -1 ? -1 : dc_error_set_git(_("cannot list the refs"));
	return 0;
}
