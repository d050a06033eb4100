/*
 * branch_open.c - the branch the reading commands (register, history, show,
 * review-due, publish) work on: what the protected branch holds, not what
 * the working tree holds. The first ref of the policy's `protected` list
 * that exists locally (a glob takes its first match by name), else HEAD; or
 * the commit --rev names. Works in a bare repository too, so a server's
 * post-receive hook can publish.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authoring.h"
#include "cli.h"
#include "error.h"
#include "protection.h"
#include "receive.h"
#include "snapshot.h"

int cli_as_of(const char *cmd, dc_date *out, const char *as_of)
{
	if (dc_today(out, as_of) < 0)
		return cli_usage_error(cmd, _("--as-of or DOCCTL_AS_OF is not a date (YYYY-MM-DD)"));
	return 0;
}

int cli_read_option(void *args, const cli_option *o, const char *value)
{
	cli_read_args *a = args;

	if (cli_opt_is(o, "format"))
		cli_format_parse(&a->format, value); /* the row's choices checked it */
	else if (cli_opt_is(o, "rev"))
		a->rev = value;
	else if (cli_opt_is(o, "as-of"))
		a->as_of = value;
	return 0;
}

int cli_branch_open_as_of(cli_branch *b, const char *cmd, const cli_read_args *a, dc_date *today, const char *id)
{
	int rc;

	if ((rc = cli_as_of(cmd, today, a->as_of)) != 0)
		return rc;
	if ((rc = cli_branch_open(b, cmd, a->rev, today, id)) != 0)
		cli_branch_close(b);
	return rc;
}

int cli_branch_open_doc(cli_branch *b, const dc_docinfo **out, const char *cmd, const cli_read_args *a, dc_date *today,
			const char *id)
{
	int rc, dups;

	if ((rc = cli_branch_open_as_of(b, cmd, a, today, id)) != 0)
		return rc;
	if (!(*out = dc_docset_by_id(&b->set, id, &dups))) {
		fprintf(stderr, _("docctl: %s: no document has id \"%s\" on %s\n"), cmd, cli_esc(id), cli_esc(b->refname));
		cli_branch_close(b);
		return EXIT_FINDINGS;
	}
	return 0;
}

int cli_branch_register(dc_register *reg, const cli_branch *b, const dc_date *today, int every_history)
{
	dc_register_opts ro;

	memset(&ro, 0, sizeof(ro));
	ro.repo = b->repo;
	ro.tip = &b->commit;
	ro.prefix = b->prefix;
	ro.today = *today;
	ro.all_histories = every_history;
	ro.verify = every_history;
	return dc_register_build(reg, b->project->policy, &b->set, &ro);
}

/* Frees what was read of a commit: its project, source and tree. */
static void close_commit(cli_branch *b)
{
	dc_project_free(b->project);
	dc_source_free(b->src);
	git_tree_free(b->tree);
	b->project = NULL;
	b->src = NULL;
	b->tree = NULL;
}

/* Opens the source and project at commit `id`; 0, 1 (broken policy), -1. */
static int open_at(cli_branch *b, const git_oid *id, dc_diags *diags)
{
	git_commit *c = NULL;

	close_commit(b);
	b->commit = *id;
	if (git_commit_lookup(&c, b->repo, id) < 0 || git_commit_tree(&b->tree, c) < 0) {
		git_commit_free(c);
		return dc_error_set_git(_("cannot read the commit"));
	}
	git_commit_free(c);
	if (dc_source_open_tree(&b->src, b->repo, b->tree, b->prefix) < 0)
		return -1;
	return dc_project_open(&b->project, b->src, diags);
}

static int resolve(git_oid *out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = -1;

	if (git_revparse_single(&obj, repo, rev) == 0 && git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		*out = *git_object_id(peeled);
		rc = 0;
	}
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

/* A bare server's trusted ref (docctl.trustedRef, reference §6.1 item 2),
 * for when HEAD names a missing branch. 0 with *out, -1 when none. */
static int trusted_ref(git_oid *out, git_repository *repo)
{
	char *ref = NULL;
	int rc = -1;

	if (git_repository_is_bare(repo) && dc_trust_configured(&ref, repo) == 0 && ref)
		rc = resolve(out, repo, ref);
	free(ref);
	return rc;
}

static int broken_policy(const char *cmd, dc_diags *diags)
{
	dc_diags_sort(diags);
	cli_print_diags(stderr, diags, FORMAT_TEXT, 0);
	fprintf(stderr, _("docctl: %s: the policy or a schema of the branch is broken; fix it first\n"), cmd);
	return EXIT_FATAL;
}

/*
 * The documents with this id only, found through the snapshot of the
 * branch's tree (the documents it lags behind by are read too). Returns 0,
 * 1 when there is no snapshot (read everything), -1 on failure.
 */
static int read_id(cli_branch *b, const dc_date *today, const char *id, dc_diags *diags)
{
	dc_check_opts o;
	dc_strmap none;
	const char *nothing = NULL;
	size_t i, first, n;

	dc_strmap_init(&none);
	if (dc_snapshot_for(&b->snap, &b->changed, b->project, b->tree, b->prefix) < 0)
		return -1;
	if (!b->snap)
		return 1;
	n = dc_snapshot_with_id(b->snap, id, &first);
	for (i = first; i < first + n; i++) {
		dc_snapdoc d;

		dc_snapshot_doc(b->snap, dc_snapshot_with_id_at(b->snap, i), &d);
		if (dc_strlist_add(&b->changed, d.path) < 0)
			return -1;
	}
	memset(&o, 0, sizeof(o));
	o.today = *today;
	o.only = &nothing; /* no findings: only the summaries */
	o.only_files = &none;
	return dc_check_partial(b->project, &o, b->snap, b->changed.v, b->changed.n, NULL, 0, &b->set, diags);
}

/* Moves from HEAD to the protected branch the policy of HEAD names (when
 * one exists): 0, or an exit code said. */
static int open_protected(cli_branch *b, const char *cmd, dc_diags *diags)
{
	char *ref = NULL;
	git_oid head;
	int rc;

	if (dc_protected_branch(&ref, b->repo, b->project->policy) < 0)
		return cli_fail(_("cannot read the protected branch"));
	if (ref && resolve(&head, b->repo, ref) == 0 && !git_oid_equal(&head, &b->commit) &&
	    (rc = open_at(b, &head, diags)) != 0) {
		free(ref);
		return rc > 0 ? broken_policy(cmd, diags) : cli_fail(_("cannot read the protected branch"));
	}
	b->refname = ref ? ref : strdup("HEAD");
	return 0;
}

int cli_branch_open(cli_branch *b, const char *cmd, const char *rev, const dc_date *today, const char *id)
{
	dc_diags diags;
	git_oid head;
	int rc;

	memset(b, 0, sizeof(*b));
	dc_docset_init(&b->set);
	dc_diags_init(&diags);
	if (git_repository_open_ext(&b->repo, ".", 0, NULL) < 0) {
		fprintf(stderr, _("docctl: %s: not in a git repository; %s reads the protected branch of one\n"), cmd, cmd);
		return EXIT_FATAL;
	}
	if (git_repository_is_bare(b->repo)) {
		b->prefix = strdup("");
	} else {
		cli_project p;

		if (cli_project_locate(&p) < 0) {
			cli_project_close(&p);
			return cli_fail(_("cannot find the project"));
		}
		b->prefix = p.prefix;
		p.prefix = NULL;
		cli_project_close(&p);
	}
	if (rev) {
		if (resolve(&head, b->repo, rev) < 0) {
			fprintf(stderr, _("docctl: %s: '%s' names no commit\n"), cmd, rev);
			return EXIT_FATAL;
		}
		b->refname = strdup(rev);
	} else if (resolve(&head, b->repo, "HEAD") < 0 && trusted_ref(&head, b->repo) < 0) {
		fprintf(stderr, _("docctl: %s: the repository has no commits yet; commit the documents first\n"), cmd);
		return EXIT_FATAL;
	}
	if ((rc = open_at(b, &head, &diags)) != 0) {
		rc = rc > 0 ? broken_policy(cmd, &diags) : cli_fail(_("cannot read the branch"));
		goto done;
	}
	if (!rev && (rc = open_protected(b, cmd, &diags)) != 0)
		goto done;
	dc_diags_dispose(&diags);
	if (id && (rc = read_id(b, today, id, &diags)) <= 0) {
		rc = rc < 0 ? cli_fail(_("cannot read the documents")) : 0;
		goto done;
	}
	rc = cli_project_read_docs(&b->set, b->project, today) < 0 ? cli_fail(_("cannot read the documents")) : 0;
done:
	dc_diags_dispose(&diags);
	return rc;
}

void cli_branch_close(cli_branch *b)
{
	dc_docset_dispose(&b->set);
	dc_snapshot_free(b->snap);
	dc_strlist_dispose(&b->changed);
	close_commit(b);
	git_repository_free(b->repo);
	free(b->prefix);
	free(b->refname);
	memset(b, 0, sizeof(*b));
}
