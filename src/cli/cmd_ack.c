/*
 * cmd_ack.c - `docctl ack`: confirm having read the revisions in force
 * (reference §10, §10.2), or, for a trainer, record who attended a
 * training session.
 *
 * The confirmations' ref (training.ref) is fetched from the remote when
 * there is one, the new lines are appended to acks/<person>.txt (ack.h) in
 * a commit made by git (`git commit-tree`, signed with -S through git's own
 * signing set-up when --sign is given) on top of it, and with --push the
 * commit is pushed without force. When someone else pushed first, the
 * whole round (fetch, append, commit, push) runs again, up to 60 times with
 * a random pause, so many people confirming at the same moment all succeed.
 * Lines committed locally but not pushed yet are carried onto the fetched
 * ref. Whatever the server refuses (its hook) is said and not retried.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "cli.h"
#include "error.h"
#include "i18n.h"
#include "register.h"
#include "side_ref.h"
#include "training.h"

#define ATTEMPTS 60
#define NOTHING 4 /* round_once: nothing to confirm (1 is EXIT_FINDINGS: refused) */

typedef struct {
	cli_branch b;
	dc_register reg;
	dc_training t;
	const dc_person *me;
	const char *remote;       /* NULL: no remote, the local ref only */
	const char *dir;          /* where git runs */
	char today[11];
	const char *record;       /* --training */
	const dc_person **who;    /* the people confirming (me, or --for) */
	size_t nwho;
	const char **ids;
	size_t nids;
	int all, sign, push;
	int quiet;                /* a later round: what was said is not said again */
	char *tracking;           /* refs/remotes/<remote>/<ref without refs/heads/> */
} ack_ctx;

/* The confirmations' ref, for side_ref.c. */
static cli_side side_of(const ack_ctx *c)
{
	cli_side s = { c->dir, c->remote, c->b.project->policy->training.ref, c->tracking, c->sign };

	return s;
}

/* Fetches the ref into the tracking ref. 0 (also when the remote has none
 * yet), or an exit code said. */
static int fetch(ack_ctx *c)
{
	cli_side s = side_of(c);

	return cli_side_fetch(&s, _("docctl: ack: cannot fetch %s from %s: %s\n"));
}

/* A file of a commit's acks/ (empty when absent). */
static int read_file(git_repository *repo, const git_oid *commit, const char *person, dc_buf *out)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	dc_buf path = DC_BUF_INIT;
	int rc = 0;

	dc_buf_clear(out);
	if (!commit)
		return 0;
	dc_buf_printf(&path, "acks/%s.txt", person);
	if (git_commit_lookup(&c, repo, commit) < 0 || git_commit_tree(&tree, c) < 0) {
		rc = -1;
	} else if (git_tree_entry_bypath(&e, tree, path.ptr) == 0) {
		if (git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0)
			rc = -1;
		else
			rc = dc_buf_put(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	}
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	dc_buf_dispose(&path);
	return rc;
}

/* Whether `file` holds a line of `id` at `revision` (any revision of
 * `accepted` when revision is NULL). */
static int has_line(const dc_buf *file, const char *id, const char *revision, const char **accepted, size_t n)
{
	const char *p = file->ptr, *end = file->ptr + file->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		dc_ack a;
		dc_ack_error err;
		size_t k;

		if (dc_ack_parse_line(&a, p, len, &err) == 0 && dc_span_is(a.id, id)) {
			if (revision && dc_span_is(a.revision, revision))
				return 1;
			for (k = 0; !revision && k < n; k++)
				if (dc_span_is(a.revision, accepted[k]))
					return 1;
		}
		p += len + 1;
	}
	return 0;
}

/* The lines of `local` that `base` lacks (committed here, not pushed yet). */
static int carried(const dc_buf *local, const dc_buf *base, dc_buf *out)
{
	const char *p = local->ptr, *end = local->ptr + local->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		const char *q = base->ptr, *qe = base->ptr + base->len;
		int found = 0;

		while (q < qe && !found) {
			const char *qn = memchr(q, '\n', (size_t)(qe - q));
			size_t ql = qn ? (size_t)(qn - q) + 1 : (size_t)(qe - q);

			found = ql == len && !memcmp(p, q, len);
			q += ql;
		}
		if (!found && nl && dc_buf_put(out, p, len) < 0)
			return -1;
		p += len;
	}
	return 0;
}

/* The lines one person adds for the selected documents; *said counts what
 * was told (already confirmed, nothing to confirm). */
static int lines_for(ack_ctx *c, const dc_person *p, const dc_buf *have, dc_buf *add, dc_buf *msg, int *bad)
{
	const dc_policy *pol = c->b.project->policy;
	size_t i, k, pi = (size_t)(p - pol->people);
	dc_buf method = DC_BUF_INIT;
	int any = 0;

	if (c->record)
		dc_buf_printf(&method, "training:%s", c->record);
	else
		dc_buf_puts(&method, "read");
	for (i = 0; i < c->t.ndocs; i++) {
		const dc_train_doc *d = &c->t.docs[i];
		const char *revs[2];
		int named = 0;

		for (k = 0; k < c->nids && !named; k++)
			named = !strcmp(c->ids[k], d->id);
		if (!named && !c->all)
			continue;
		if (dc_train_doc_reader(d, (uint32_t)pi) == SIZE_MAX) {
			if (named && !c->quiet) {
				fprintf(stderr, _("docctl: ack: %s is not a reader of %s; nothing to confirm\n"), cli_esc(p->key),
					cli_esc(d->id));
				*bad = 1;
			}
			continue;
		}
		revs[0] = d->revision && !has_line(have, d->id, NULL, d->accepted, d->naccepted) ? d->revision : NULL;
		revs[1] = d->pending && !has_line(have, d->id, d->pending, NULL, 0) ? d->pending : NULL;
		if (!revs[0] && !revs[1]) {
			if (named && !c->quiet)
				printf(_("%s: %s revision %s is confirmed already\n"), cli_esc(p->key), cli_esc(d->id),
				       cli_esc(d->pending ? d->pending : d->revision));
			continue;
		}
		for (k = 0; k < 2; k++) {
			if (!revs[k])
				continue;
			dc_ack_format(add, p->key, d->id, revs[k], c->today, method.ptr, c->me->key);
			dc_buf_printf(msg, "%s%s %s %s", any || msg->len ? ", " : "", p->key, d->id, revs[k]);
			any = 1;
		}
	}
	dc_buf_dispose(&method);
	return any;
}

static int write_blob_tree(ack_ctx *c, const git_oid *base, git_oid *tree_out, dc_buf *msg, int *bad,
			   const git_oid *local)
{
	git_repository *repo = c->b.repo;
	git_commit *bc = NULL;
	git_tree *btree = NULL, *backs = NULL;
	git_treebuilder *root = NULL, *acks = NULL;
	git_tree_entry *e = NULL;
	dc_buf have = DC_BUF_INIT, mine = DC_BUF_INIT, add = DC_BUF_INIT, path = DC_BUF_INIT;
	git_oid blob, acks_tree;
	size_t i;
	int rc = -1, any = 0;

	if (base && (git_commit_lookup(&bc, repo, base) < 0 || git_commit_tree(&btree, bc) < 0))
		goto git_fail;
	if (btree && git_tree_entry_bypath(&e, btree, "acks") == 0 && git_tree_lookup(&backs, repo, git_tree_entry_id(e)) < 0)
		goto git_fail;
	if (git_treebuilder_new(&root, repo, btree) < 0 || git_treebuilder_new(&acks, repo, backs) < 0)
		goto git_fail;
	for (i = 0; i < c->nwho; i++) {
		const dc_person *p = c->who[i];

		/* add: the whole new file: the fetched one, the lines committed
		 * here and not pushed yet, then this run's */
		dc_buf_clear(&add);
		if (read_file(repo, base, p->key, &have) < 0 || dc_buf_put(&add, have.ptr, have.len) < 0)
			goto git_fail;
		if (local && (!base || !git_oid_equal(local, base)) &&
		    (read_file(repo, local, p->key, &mine) < 0 || carried(&mine, &have, &add) < 0))
			goto git_fail;
		if (add.len > have.len)
			dc_buf_printf(msg, "%s(%s)", msg->len ? ", " : "", _("carried over"));
		{
			dc_buf so_far = DC_BUF_INIT;

			dc_buf_put(&so_far, add.ptr, add.len);
			lines_for(c, p, &so_far, &add, msg, bad);
			dc_buf_dispose(&so_far);
		}
		if (add.len == have.len)
			continue;
		any = 1;
		dc_buf_clear(&path);
		dc_buf_printf(&path, "%s.txt", p->key);
		if (git_blob_create_from_buffer(&blob, repo, add.ptr, add.len) < 0 ||
		    git_treebuilder_insert(NULL, acks, path.ptr, &blob, GIT_FILEMODE_BLOB) < 0)
			goto git_fail;
	}
	rc = any ? 1 : 0;
	if (!any)
		goto cleanup;
	if (git_treebuilder_write(&acks_tree, acks) < 0 ||
	    git_treebuilder_insert(NULL, root, "acks", &acks_tree, GIT_FILEMODE_TREE) < 0 ||
	    git_treebuilder_write(tree_out, root) < 0)
		goto git_fail;
	goto cleanup;
git_fail:
	rc = -1;
	dc_error_set_git(_("cannot write the confirmations"));
cleanup:
	git_treebuilder_free(root);
	git_treebuilder_free(acks);
	git_tree_entry_free(e);
	git_tree_free(backs);
	git_tree_free(btree);
	git_commit_free(bc);
	dc_buf_dispose(&have);
	dc_buf_dispose(&mine);
	dc_buf_dispose(&add);
	dc_buf_dispose(&path);
	return rc;
}

/* One round: the base, the new commit, the local ref, the push. Returns 0
 * done, NOTHING to do, 3 someone pushed first (try again), or an exit code
 * (EXIT_FINDINGS: the server refused). */
static int round_once(ack_ctx *c, int *bad)
{
	git_repository *repo = c->b.repo;
	const char *ref = c->b.project->policy->training.ref;
	cli_side side = side_of(c);
	git_oid base, local, tree;
	int has_base = 0, has_local, rc;
	char ch[GIT_OID_HEXSZ + 1];
	dc_buf msg = DC_BUF_INIT, subject = DC_BUF_INIT, why = DC_BUF_INIT;

	if ((rc = fetch(c)) != 0)
		return rc;
	has_local = git_reference_name_to_id(&local, repo, ref) == 0;
	if (c->remote)
		has_base = git_reference_name_to_id(&base, repo, c->tracking) == 0;
	else if (has_local)
		git_oid_cpy(&base, &local), has_base = 1;
	rc = write_blob_tree(c, has_base ? &base : NULL, &tree, &msg, bad, has_local ? &local : NULL);
	if (rc < 0)
		return cli_fail(_("ack"));
	if (rc == 0) {
		dc_buf_dispose(&msg);
		return NOTHING;
	}
	dc_buf_printf(&subject, "%s: %s\n\n%s\n", c->record ? "Training" : "Confirm reading",
		      c->record ? c->record : c->me->key, msg.ptr);
	rc = cli_side_commit(&side, &tree, has_base ? &base : NULL, subject.ptr,
			     _("docctl: ack: git could not make the commit%s: %s\n"), _("docctl: ack: cannot update %s: %s\n"), ch);
	dc_buf_dispose(&subject);
	if (rc != 0) {
		dc_buf_dispose(&msg);
		return rc;
	}
	if (!c->push) {
		printf(_("confirmed on %s (not pushed; push with docctl ack --push): %s\n"), ref, cli_esc(msg.ptr));
		dc_buf_dispose(&msg);
		return 0;
	}
	rc = cli_side_push(&side, ch, &why);
	if (rc == 0) {
		printf(_("confirmed and pushed to %s: %s\n"), ref, cli_esc(msg.ptr));
	} else if (rc == 1) {
		fprintf(stderr, _("docctl: ack: the server refused the confirmations (it said why above); they stay committed on %s:\n%s"),
			ref, why.ptr ? why.ptr : "");
		rc = EXIT_FINDINGS;
	}
	dc_buf_dispose(&why);
	dc_buf_dispose(&msg);
	return rc;
}

static int split_people(ack_ctx *c, char *list)
{
	const dc_policy *pol = c->b.project->policy;
	char *save = NULL, *tok;

	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const dc_person *p = dc_policy_person(pol, tok);

		if (!p) {
			fprintf(stderr, _("docctl: ack: --for: \"%s\" is not a person of the policy; name people by their id, such as li.wei\n"),
				cli_esc(tok));
			return EXIT_FATAL;
		}
		c->who[c->nwho++] = p;
	}
	return c->nwho ? 0 : cli_usage_error("ack", "%s", _("--for names nobody"));
}

/* The remote's protected branch, fetched into its tracking ref, opened
 * instead of the local one (which may lag behind: the reader need not pull
 * first), so the revisions confirmed are those in force on the server.
 * 0 (also when there is no remote, or it has no such branch), or an exit
 * code said. */
static int open_remote_protected(ack_ctx *c, const dc_date *today)
{
	const char *ref = c->b.refname, *dir;
	dc_buf tracking = DC_BUF_INIT;
	cli_side s;
	git_oid tip;
	int rc;

	if (!c->remote || !ref || strncmp(ref, "refs/heads/", 11) || !cli_side_has_remote(c->b.repo, c->remote))
		return 0;
	dir = git_repository_workdir(c->b.repo) ? git_repository_workdir(c->b.repo) : git_repository_path(c->b.repo);
	if (dc_buf_printf(&tracking, "refs/remotes/%s/%s", c->remote, ref + 11) < 0)
		return cli_fail(_("ack"));
	s.dir = dir;
	s.remote = c->remote;
	s.ref = ref;
	s.tracking = tracking.ptr;
	s.sign = 0;
	rc = cli_side_fetch(&s, _("docctl: ack: cannot fetch %s from %s: %s\n"));
	if (rc == 0 && git_reference_name_to_id(&tip, c->b.repo, tracking.ptr) == 0 && !git_oid_equal(&tip, &c->b.commit)) {
		cli_branch_close(&c->b);
		rc = cli_branch_open(&c->b, "ack", tracking.ptr, today, NULL);
	}
	dc_buf_dispose(&tracking);
	return rc;
}

static int run(ack_ctx *c, char *for_list, const char *rev, const dc_date *today)
{
	const dc_policy *pol;
	dc_register_opts ro;
	char *email;
	int rc, attempt, bad = 0;

	if ((rc = cli_branch_open(&c->b, "ack", rev, today, NULL)) != 0 ||
	    (!rev && (rc = open_remote_protected(c, today)) != 0))
		return rc;
	pol = c->b.project->policy;
	memset(&ro, 0, sizeof(ro));
	ro.repo = c->b.repo;
	ro.tip = &c->b.commit;
	ro.prefix = c->b.prefix;
	ro.today = *today;
	if (dc_register_build(&c->reg, pol, &c->b.set, &ro) < 0 ||
	    dc_training_build(&c->t, pol, &c->reg, c->b.repo, &c->b.commit, c->b.prefix) < 0)
		return cli_fail(_("ack"));
	email = cli_user_email(c->b.repo);
	c->me = dc_policy_person_by_email(pol, email);
	if (!c->me) {
		fprintf(stderr, _("docctl: ack: your git user.email (%s) is not the email of a person of docctl.yaml; set it: git config user.email li.wei@example.com\n"),
			email ? cli_esc(email) : _("unset"));
		free(email);
		return EXIT_FATAL;
	}
	free(email);
	if (!(c->who = calloc(pol->npeople + 1, sizeof(*c->who))))
		return cli_fail(_("ack"));
	if (c->record) {
		if (!dc_policy_is_trainer(pol, c->me->key)) {
			fprintf(stderr, _("docctl: ack: --training: %s holds no role of training.trainers; ask a trainer to record the session\n"),
				cli_esc(c->me->key));
			return EXIT_FINDINGS;
		}
		if (!dc_register_find(&c->reg, c->record)) {
			fprintf(stderr, _("docctl: ack: --training: there is no record %s on %s; file the training record first\n"),
				cli_esc(c->record), cli_esc(c->b.refname));
			return EXIT_FINDINGS;
		}
		if ((rc = split_people(c, for_list)) != 0)
			return rc;
	} else {
		c->who[c->nwho++] = c->me;
	}
	for (size_t i = 0; i < c->nids; i++) {
		if (!dc_register_find(&c->reg, c->ids[i])) {
			fprintf(stderr, _("docctl: ack: there is no document %s on %s\n"), cli_esc(c->ids[i]), cli_esc(c->b.refname));
			return EXIT_FINDINGS;
		}
	}
	c->dir = git_repository_workdir(c->b.repo) ? git_repository_workdir(c->b.repo) : git_repository_path(c->b.repo);
	{
		dc_buf tr = DC_BUF_INIT;

		if (!cli_side_has_remote(c->b.repo, c->remote)) {
			if (c->push) {
				fprintf(stderr, _("docctl: ack: --push: there is no remote %s\n"), cli_esc(c->remote));
				return EXIT_FATAL;
			}
			c->remote = NULL;
		}
		if (c->remote) {
			dc_buf_printf(&tr, "refs/remotes/%s/%s", c->remote,
				      !strncmp(pol->training.ref, "refs/heads/", 11) ? pol->training.ref + 11 : pol->training.ref + 5);
			c->tracking = dc_buf_detach(&tr);
		}
	}
	cli_side_seed();
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		rc = round_once(c, &bad);
		c->quiet = 1;
		if (rc != 3)
			break;
		cli_side_pause(attempt, 100000, 5);
	}
	if (rc == 3) {
		fprintf(stderr, _("docctl: ack: %s kept moving (%d attempts); run the same command again\n"),
			pol->training.ref, ATTEMPTS);
		return EXIT_FINDINGS;
	}
	if (rc == NOTHING) {
		if (!bad)
			printf(c->all ? _("nothing to confirm: %s has confirmed every revision in force they must read\n")
				      : _("nothing to confirm for %s\n"),
			       cli_esc(c->nwho == 1 ? c->who[0]->key : c->me->key));
		return bad ? EXIT_FINDINGS : EXIT_OK;
	}
	return rc == 0 && bad ? EXIT_FINDINGS : rc;
}

typedef struct {
	ack_ctx *c;
	char *for_list;
	const char *rev, *as_of;
} ack_args;

static int ack_option(void *args, const cli_option *o, const char *value)
{
	ack_args *a = args;

	if (cli_opt_is(o, "all"))
		a->c->all = 1;
	else if (cli_opt_is(o, "sign"))
		a->c->sign = 1;
	else if (cli_opt_is(o, "push"))
		a->c->push = 1;
	else if (cli_opt_is(o, "training"))
		a->c->record = value;
	else if (cli_opt_is(o, "for"))
		a->for_list = (char *)value;
	else if (cli_opt_is(o, "remote"))
		a->c->remote = value;
	else if (cli_opt_is(o, "rev"))
		a->rev = value;
	else if (cli_opt_is(o, "as-of"))
		a->as_of = value;
	return 0;
}

int cmd_ack(const cli_command *cmd, int argc, char **argv)
{
	ack_ctx c;
	ack_args a;
	dc_date today;
	int rc, first;

	memset(&c, 0, sizeof(c));
	c.remote = "origin";
	memset(&a, 0, sizeof(a));
	a.c = &c;
	if ((rc = cli_parse(cmd, argc, argv, ack_option, &a, &first)) != CLI_RUN)
		return rc;
	if (!c.record != !a.for_list)
		return cli_usage_error("ack", "%s", _("--training RC-ID and --for P1,P2 go together"));
	c.ids = (const char **)argv + first;
	c.nids = (size_t)(argc - first);
	if (!c.nids && !c.all)
		return cli_usage_error("ack", "%s", _("name the documents to confirm, or --all"));
	if ((rc = cli_as_of("ack", &today, a.as_of)) != 0)
		return rc;
	dc_date_format(&today, c.today);
	dc_register_init(&c.reg);
	dc_training_init(&c.t);
	rc = run(&c, a.for_list, a.rev, &today);
	dc_training_dispose(&c.t);
	dc_register_dispose(&c.reg);
	cli_branch_close(&c.b);
	free(c.who);
	free(c.tracking);
	return rc;
}

const cli_option ack_options[] = {
	{ "all", 0, NULL, NULL, N_("every revision in force that I must read and have not confirmed"), "ack --all --sign --push", 0 },
	{ "sign", 0, NULL, NULL, N_("sign the commit with git's signing set-up (gpg.format=ssh, user.signingkey)"),
	  "ack SP-004 --sign", 0 },
	{ "push", 0, NULL, NULL, N_("push the confirmations, fetching and appending again when someone pushed first"),
	  "ack SP-004 --sign --push", 0 },
	{ "training", 0, "RC-ID", NULL, N_("a trainer records the attendees of the session filed as record RC-ID"),
	  "ack --training RC-0012 --for li.wei,zhou.hui SP-004 --sign --push", 0 },
	{ "for", 0, "P1,P2", NULL, N_("the people who attended the session (with --training)"),
	  "ack --training RC-0012 --for li.wei SP-004", 0 },
	{ "remote", 0, "R", NULL, N_("the remote to fetch from and push to (default origin)"), "ack SP-004 --push --remote qms", 0 },
	CLI_OPT_REV("ack SP-004 --rev origin/main"),
	CLI_OPT_AS_OF("ack SP-004 --as-of 2026-12-01"),
	CLI_OPTIONS_END,
};
