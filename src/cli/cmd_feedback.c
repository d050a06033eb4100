/*
 * cmd_feedback.c - `docctl feedback new|decide|list` (reference §11):
 * file a change request against a document, decide it as the document's
 * owner or an approver of its type, list the items.
 *
 * Items live on the feedback ref (feedback.ref). new and decide fetch it
 * from the remote when there is one, write the item (feedback.h) in a
 * commit made by git (`git commit-tree`, signed with -S when --sign is
 * given) on top of it, and with --push push it without force. When someone
 * pushed first (a concurrent update), the whole round (fetch, write,
 * commit, push) runs again: a new item then takes the next free id. What
 * the server's hook refuses is said and not retried.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authoring.h"
#include "cli.h"
#include "error.h"
#include "escape.h"
#include "feedback.h"
#include "fm_edit.h"
#include "history.h"
#include "i18n.h"
#include "json.h"
#include "side_ref.h"

#define ATTEMPTS 30
#define TEXT_MAX ((size_t)256 * 1024)

enum { OP_NEW, OP_DECIDE };

typedef struct {
	cli_branch b;
	const dc_policy *pol;
	const dc_person *me;
	const char *remote;       /* NULL: no remote, the local ref only */
	const char *dir;          /* where git runs */
	char *tracking;           /* refs/remotes/<remote>/<ref without refs/heads/> */
	char today[11];
	int year;
	int op, sign, push;
	/* new */
	const dc_docinfo *doc;
	const char *kind, *from, *customer;
	dc_buf text;
	/* decide */
	const char *item_id;
	dc_fb_status to;
	const char *reason;
	char *resolved_in;
	char made[32];            /* the id written */
} fb_ctx;

/* The feedback ref, for side_ref.c. */
static cli_side side_of(const fb_ctx *c)
{
	cli_side s = { c->dir, c->remote, c->pol->feedback_ref, c->tracking, c->sign };

	return s;
}

/* Fetches the ref into the tracking ref. 0 (also when the remote has none
 * yet), or an exit code said. */
static int fetch(fb_ctx *c)
{
	cli_side s = side_of(c);

	return cli_side_fetch(&s, _("docctl: feedback: cannot fetch %s from %s: %s\n"));
}

/* The commit the next item goes on: the fetched ref when there is a
 * remote, else the local one. Without --push, the local ref when it is
 * ahead of the fetched one (items committed here, to be pushed with git);
 * with --push never, so a commit the server refused is left behind.
 * 1 with *out, 0 when there is none. */
static int base_of(fb_ctx *c, git_oid *out)
{
	git_oid local;
	int has_local = !c->push && git_reference_name_to_id(&local, c->b.repo, c->pol->feedback_ref) == 0;

	if (c->remote && git_reference_name_to_id(out, c->b.repo, c->tracking) == 0) {
		/* without --push, items committed here and not pushed yet stay
		 * underneath when the local ref is ahead of the fetched one */
		if (has_local && !git_oid_equal(&local, out) && git_graph_descendant_of(c->b.repo, &local, out) == 1)
			git_oid_cpy(out, &local);
		return 1;
	}
	if (has_local)
		git_oid_cpy(out, &local);
	return has_local;
}

/* The feedback/ tree of a commit, or NULL. */
static git_tree *items_tree(git_repository *repo, const git_oid *commit)
{
	git_commit *cm = NULL;
	git_tree *t = NULL, *sub = NULL;
	git_tree_entry *e = NULL;

	if (commit && git_commit_lookup(&cm, repo, commit) == 0 && git_commit_tree(&t, cm) == 0 &&
	    git_tree_entry_bypath(&e, t, DC_FEEDBACK_DIR) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&sub, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(cm);
	return sub;
}

static int read_entry(git_repository *repo, const git_tree_entry *e, dc_buf *out)
{
	git_blob *b = NULL;
	int rc;

	dc_buf_clear(out);
	if (git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0)
		return dc_error_set_git(_("cannot read a feedback item"));
	rc = dc_buf_put(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return rc;
}

/* A YAML double-quoted scalar. */
static void quoted(dc_buf *b, const char *s)
{
	dc_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			dc_buf_putc(b, '\\');
		dc_buf_putc(b, *s);
	}
	dc_buf_putc(b, '"');
}

/* The new item's file, numbered after the last of this year in `items`. */
static int write_new(fb_ctx *c, git_tree *items, dc_buf *file, dc_buf *name)
{
	size_t i, n = items ? git_tree_entrycount(items) : 0;
	int max = 0, y, num;

	for (i = 0; i < n; i++) {
		const char *en = git_tree_entry_name(git_tree_entry_byindex(items, i));
		char id[13];

		if (strlen(en) != 15 || strcmp(en + 12, ".md"))
			continue;
		memcpy(id, en, 12);
		id[12] = '\0';
		if (dc_feedback_id_parse(id, &y, &num) == 0 && y == c->year && num > max)
			max = num;
	}
	if (max >= 9999)
		return dc_error_set(_("feedback of %d has reached FB-%d-9999"), c->year, c->year);
	snprintf(c->made, sizeof(c->made), "FB-%04d-%04d", c->year, max + 1);
	dc_buf_clear(file);
	dc_buf_printf(file, "---\nid: %s\ndocument: %s\nrevision: ", c->made, c->doc->id);
	quoted(file, c->doc->revision ? c->doc->revision : "");
	dc_buf_printf(file, "\nkind: %s\nfrom: ", c->kind);
	if (c->customer) {
		dc_buf tmp = DC_BUF_INIT;

		dc_buf_printf(&tmp, "customer: %s", c->customer);
		quoted(file, tmp.ptr);
		dc_buf_dispose(&tmp);
	} else {
		dc_buf_puts(file, c->from);
	}
	dc_buf_printf(file, "\nfiled_on: %s\nstatus: open\n---\n\n", c->today);
	dc_buf_put(file, c->text.ptr, c->text.len);
	if (!c->text.len || c->text.ptr[c->text.len - 1] != '\n')
		dc_buf_putc(file, '\n');
	dc_buf_clear(name);
	return dc_buf_printf(name, "%s.md", c->made);
}

/* The decided item's file. 0, or an exit code said. */
static int write_decision(fb_ctx *c, git_tree *items, dc_buf *file, dc_buf *name)
{
	const git_tree_entry *e;
	dc_buf path = DC_BUF_INIT;
	dc_feedback f;
	dc_diags ignored;
	int rc = EXIT_FINDINGS;

	dc_buf_clear(name);
	dc_buf_printf(name, "%s.md", c->item_id);
	dc_buf_printf(&path, "%s/%s", DC_FEEDBACK_DIR, name->ptr);
	dc_feedback_init(&f);
	dc_diags_init(&ignored);
	if (!items || !(e = git_tree_entry_byname(items, name->ptr))) {
		fprintf(stderr, _("docctl: feedback: there is no item %s on %s; list them with docctl feedback list\n"),
			cli_esc(c->item_id), c->pol->feedback_ref);
		goto cleanup;
	}
	if (read_entry(c->b.repo, e, file) < 0) {
		rc = cli_fail(_("feedback decide"));
		goto cleanup;
	}
	if (dc_feedback_parse(&f, path.ptr, file->ptr, file->len, &ignored) != 0) {
		fprintf(stderr, _("docctl: feedback: %s does not parse; it cannot be decided\n"), path.ptr);
		goto cleanup;
	}
	if (!dc_feedback_may_move(f.status, c->to)) {
		fprintf(stderr, _("docctl: feedback: %s is %s; it cannot become %s (open -> accepted, rejected or deferred; accepted -> implemented)\n"),
			cli_esc(c->item_id), f.status_name, dc_feedback_status_name(c->to));
		goto cleanup;
	}
	{
		int dups;
		const dc_docinfo *d = dc_docset_by_id(&c->b.set, f.document, &dups);

		if (!d || ((!d->owner || strcmp(d->owner, c->me->key)) &&
			   !dc_policy_may_approve(c->pol, dc_policy_type(c->pol, d->type) ? dc_policy_type(c->pol, d->type)
											 : dc_policy_type_for_id(c->pol, f.document),
						  c->me->key))) {
			fprintf(stderr, _("docctl: feedback: %s is about %s; only its owner (%s) or an approver of its type decides it\n"),
				cli_esc(c->item_id), cli_esc(f.document), d && d->owner ? cli_esc(d->owner) : "-");
			goto cleanup;
		}
		if (c->to == DC_FB_IMPLEMENTED && !c->resolved_in) {
			dc_history h;
			const dc_event *ev = NULL;

			dc_history_init(&h);
			if (dc_history_build(&h, c->b.repo, &c->b.commit, c->b.prefix, c->pol, d->id, d->path) < 0 ||
			    dc_feedback_resolving(&ev, &h, c->b.repo, c->pol->scheme, c->item_id, NULL) < 0 ||
			    (ev && !(c->resolved_in = strdup(ev->version->revision))))
				rc = cli_fail(_("feedback decide"));
			dc_history_dispose(&h);
			if (rc == EXIT_FATAL)
				goto cleanup;
			if (!c->resolved_in) {
				fprintf(stderr, _("docctl: feedback: no approved revision of %s on %s names %s yet; start one with docctl revise %s --resolves %s, get it approved, then mark the item implemented\n"),
					cli_esc(d->id), cli_esc(c->b.refname), cli_esc(c->item_id), cli_esc(d->id), cli_esc(c->item_id));
				goto cleanup;
			}
		}
	}
	if (dc_fm_set(file, path.ptr, "status", dc_feedback_status_name(c->to)) < 0 ||
	    dc_fm_set(file, path.ptr, "decided_by", c->me->key) < 0 ||
	    dc_fm_set(file, path.ptr, "decided_on", c->today) < 0 ||
	    dc_fm_set(file, path.ptr, "reason", c->reason) < 0 ||
	    (c->resolved_in && dc_fm_set(file, path.ptr, "resolved_in", c->resolved_in) < 0)) {
		rc = cli_fail(_("feedback decide"));
		goto cleanup;
	}
	snprintf(c->made, sizeof(c->made), "%s", c->item_id);
	rc = 0;
cleanup:
	dc_feedback_dispose(&f);
	dc_diags_dispose(&ignored);
	dc_buf_dispose(&path);
	return rc;
}

/* The tree of `base` with feedback/<name> set to `file`. */
static int write_tree(fb_ctx *c, const git_oid *base, const dc_buf *file, const char *name, git_oid *out)
{
	git_repository *repo = c->b.repo;
	git_commit *bc = NULL;
	git_tree *bt = NULL, *items = NULL;
	git_treebuilder *root = NULL, *tb = NULL;
	git_oid blob, sub;
	int rc = -1;

	if (base && (git_commit_lookup(&bc, repo, base) < 0 || git_commit_tree(&bt, bc) < 0))
		goto cleanup;
	items = items_tree(repo, base);
	if (git_treebuilder_new(&root, repo, bt) < 0 || git_treebuilder_new(&tb, repo, items) < 0 ||
	    git_blob_create_from_buffer(&blob, repo, file->ptr, file->len) < 0 ||
	    git_treebuilder_insert(NULL, tb, name, &blob, GIT_FILEMODE_BLOB) < 0 || git_treebuilder_write(&sub, tb) < 0 ||
	    git_treebuilder_insert(NULL, root, DC_FEEDBACK_DIR, &sub, GIT_FILEMODE_TREE) < 0 ||
	    git_treebuilder_write(out, root) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	if (rc < 0)
		dc_error_set_git(_("cannot write the feedback item"));
	git_treebuilder_free(root);
	git_treebuilder_free(tb);
	git_tree_free(items);
	git_tree_free(bt);
	git_commit_free(bc);
	return rc;
}

/* One round. Returns 0 done, 3 someone pushed first (try again), or an exit code. */
static int round_once(fb_ctx *c)
{
	const char *ref = c->pol->feedback_ref;
	cli_side side;
	git_oid base, tree;
	git_tree *items;
	int has_base, rc;
	char ch[GIT_OID_HEXSZ + 1];
	dc_buf file = DC_BUF_INIT, name = DC_BUF_INIT, msg = DC_BUF_INIT, why = DC_BUF_INIT, path = DC_BUF_INIT;

	if ((rc = fetch(c)) != 0)
		return rc;
	side = side_of(c);
	has_base = base_of(c, &base);
	items = items_tree(c->b.repo, has_base ? &base : NULL);
	if (c->op == OP_NEW)
		rc = write_new(c, items, &file, &name) < 0 ? cli_fail(_("feedback new")) : 0;
	else
		rc = write_decision(c, items, &file, &name);
	git_tree_free(items);
	if (rc != 0)
		goto cleanup;
	{
		dc_feedback f;
		dc_diags d;

		dc_feedback_init(&f);
		dc_diags_init(&d);
		dc_buf_printf(&path, "%s/%s", DC_FEEDBACK_DIR, name.ptr);
		rc = dc_feedback_parse(&f, path.ptr, file.ptr, file.len, &d);
		if (rc != 0) {
			cli_print_diags(stderr, &d, FORMAT_TEXT, 0);
			rc = rc < 0 ? cli_fail(_("feedback")) : EXIT_FINDINGS;
		}
		dc_feedback_dispose(&f);
		dc_diags_dispose(&d);
		if (rc != 0)
			goto cleanup;
	}
	if (write_tree(c, has_base ? &base : NULL, &file, name.ptr, &tree) < 0) {
		rc = cli_fail(_("feedback"));
		goto cleanup;
	}
	if (c->op == OP_NEW)
		dc_buf_printf(&msg, "Feedback %s on %s (%s)\n", c->made, c->doc->id, c->kind);
	else
		dc_buf_printf(&msg, "Feedback %s %s\n\n%s\n", c->made, dc_feedback_status_name(c->to), c->reason);
	rc = cli_side_commit(&side, &tree, has_base ? &base : NULL, msg.ptr,
			     _("docctl: feedback: git could not make the commit%s: %s\n"),
			     _("docctl: feedback: cannot update %s: %s\n"), ch);
	if (rc != 0)
		goto cleanup;
	if (!c->push) {
		printf(_("%s %s on %s (not pushed; push with --push or git push %s %s)\n"), c->made,
		       c->op == OP_NEW ? _("filed") : dc_feedback_status_name(c->to), ref, c->remote ? c->remote : "origin", ref);
		rc = 0;
		goto cleanup;
	}
	rc = cli_side_push(&side, ch, &why);
	if (rc == 0) {
		printf(_("%s %s and pushed to %s\n"), c->made, c->op == OP_NEW ? _("filed") : dc_feedback_status_name(c->to),
		       ref);
	} else if (rc == 1) {
		fprintf(stderr, _("docctl: feedback: the server refused %s; it stays committed on %s:\n%s"), c->made, ref,
			why.ptr ? why.ptr : "");
		rc = EXIT_FINDINGS;
	}
cleanup:
	dc_buf_dispose(&file);
	dc_buf_dispose(&name);
	dc_buf_dispose(&msg);
	dc_buf_dispose(&why);
	dc_buf_dispose(&path);
	return rc;
}

/* Opens the protected branch, knows the user and the remote. 0, or an exit code. */
static int setup(fb_ctx *c, const char *cmd, const dc_date *today, const char *id)
{
	char *email;

	if (cli_branch_open(&c->b, cmd, NULL, today, id) != 0)
		return EXIT_FATAL;
	c->pol = c->b.project->policy;
	email = cli_user_email(c->b.repo);
	c->me = dc_policy_person_by_email(c->pol, email);
	if (!c->me && c->op >= 0) {
		fprintf(stderr, _("docctl: feedback: your git user.email (%s) is not the email of a person of docctl.yaml; set it: git config user.email li.wei@example.com\n"),
			email ? cli_esc(email) : _("unset"));
		free(email);
		return EXIT_FATAL;
	}
	free(email);
	c->dir = git_repository_workdir(c->b.repo) ? git_repository_workdir(c->b.repo) : git_repository_path(c->b.repo);
	return cli_side_remote(c->b.repo, &c->remote, c->push, c->pol->feedback_ref,
			       _("docctl: feedback: --push: there is no remote %s\n"), &c->tracking);
}

static int run_rounds(fb_ctx *c)
{
	int attempt, rc = 3;

	cli_side_seed();
	for (attempt = 0; attempt < ATTEMPTS && rc == 3; attempt++) {
		if (attempt)
			cli_side_pause(attempt, 50000, 4);
		rc = round_once(c);
	}
	if (rc == 3) {
		fprintf(stderr, _("docctl: feedback: %s kept moving (%d attempts); run the same command again\n"),
			c->pol->feedback_ref, ATTEMPTS);
		return EXIT_FINDINGS;
	}
	return rc;
}

static void ctx_dispose(fb_ctx *c)
{
	cli_branch_close(&c->b);
	dc_buf_dispose(&c->text);
	free(c->tracking);
	free(c->resolved_in);
}

static int start(fb_ctx *c, const char *as_of, const char *cmd)
{
	dc_date today;
	int rc;

	if ((rc = cli_as_of(cmd, &today, as_of)) != 0)
		return rc;
	dc_date_format(&today, c->today);
	c->year = today.y;
	return 0;
}

/* What the options of new, decide and list set. */
typedef struct {
	fb_ctx *c;
	const char *text, *file, *as_of, *revision, *doc;
	int open_only;
	cli_format format;
} fb_args;

static int fb_option(void *args, const cli_option *o, const char *value)
{
	static const char *const names[] = { "kind", "from", "customer", "text", "file", "reason",
					     "revision", "remote", "as-of", "document" };
	fb_args *a = args;
	fb_ctx *c = a->c;
	const char **to[] = { &c->kind, &c->from, &c->customer, &a->text, &a->file, &c->reason,
			      &a->revision, &c->remote, &a->as_of, &a->doc };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (cli_opt_is(o, names[i]))
			*to[i] = value;
	c->sign |= cli_opt_is(o, "sign");
	c->push |= cli_opt_is(o, "push");
	a->open_only |= cli_opt_is(o, "open");
	if (cli_opt_is(o, "format"))
		cli_format_parse(&a->format, value);
	return 0;
}

/* The start of new and decide: the context and the options parsed
 * (cli_parse's return). */
static int begin(fb_ctx *c, fb_args *a, int op, const cli_command *cmd, int argc, char **argv, int *first)
{
	memset(c, 0, sizeof(*c));
	memset(a, 0, sizeof(*a));
	a->c = c;
	c->op = op;
	c->remote = "origin";
	return cli_parse(cmd, argc, argv, fb_option, a, first);
}

/* Today, the branch and the remote of new and decide (`id`: the document
 * to find, or NULL). 0, or an exit code. */
static int open_branch(fb_ctx *c, const fb_args *a, const char *cmd, const char *id)
{
	dc_date today;
	int rc;

	if ((rc = start(c, a->as_of, cmd)) != 0 || (rc = cli_as_of(cmd, &today, a->as_of)) != 0)
		return rc;
	return setup(c, "feedback", &today, id);
}

int cmd_feedback_new(const cli_command *cmd, int argc, char **argv)
{
	fb_ctx c;
	fb_args a;
	int rc, first, dups;

	if ((rc = begin(&c, &a, OP_NEW, cmd, argc, argv, &first)) != CLI_RUN)
		return rc;
	if (c.from && c.customer)
		return cli_usage_error(cmd->name, _("--from and --customer exclude each other"));
	if (!a.text == !a.file)
		return cli_usage_error(cmd->name, _("give the request's text: --text T or -F FILE"));
	if (a.text)
		dc_buf_puts(&c.text, a.text);
	else if ((rc = dc_file_read(&c.text, a.file)) != 0) {
		fprintf(stderr, _("docctl: feedback: cannot read %s%s\n"), cli_esc(a.file), rc < 0 ? "" : _(": no such file"));
		dc_buf_dispose(&c.text);
		return EXIT_FATAL;
	}
	if ((rc = open_branch(&c, &a, cmd->name, argv[first])) != 0)
		goto done;
	if (!(c.doc = dc_docset_by_id(&c.b.set, argv[first], &dups))) {
		fprintf(stderr, _("docctl: feedback: there is no document %s on %s; name a document of the register\n"),
			cli_esc(argv[first]), cli_esc(c.b.refname));
		rc = EXIT_FINDINGS;
		goto done;
	}
	if (c.from && !dc_policy_person(c.pol, c.from)) {
		fprintf(stderr, _("docctl: feedback: --from \"%s\" is not a person of the policy; for a customer, write --customer NAME\n"),
			cli_esc(c.from));
		rc = EXIT_FATAL;
		goto done;
	}
	if (!c.from && !c.customer)
		c.from = c.me->key;
	rc = run_rounds(&c);
done:
	ctx_dispose(&c);
	return rc;
}

int cmd_feedback_decide(const cli_command *cmd, int argc, char **argv)
{
	static const struct {
		const char *word;
		dc_fb_status to;
	} words[] = { { "accept", DC_FB_ACCEPTED }, { "reject", DC_FB_REJECTED }, { "defer", DC_FB_DEFERRED },
		      { "implemented", DC_FB_IMPLEMENTED } };
	fb_ctx c;
	fb_args a;
	int rc, y, n, first;
	size_t k;

	if ((rc = begin(&c, &a, OP_DECIDE, cmd, argc, argv, &first)) != CLI_RUN)
		return rc;
	c.item_id = argv[first];
	if (dc_feedback_id_parse(c.item_id, &y, &n) < 0)
		return cli_usage_error(cmd->name, _("\"%s\" is not a feedback id such as FB-2026-0042"), cli_esc(c.item_id));
	for (k = 0; k < sizeof(words) / sizeof(words[0]) && strcmp(words[k].word, argv[first + 1]); k++)
		;
	if (k == sizeof(words) / sizeof(words[0]))
		return cli_usage_error(cmd->name, _("\"%s\" is not accept, reject, defer or implemented"), cli_esc(argv[first + 1]));
	c.to = words[k].to;
	if (!*c.reason)
		return cli_usage_error(cmd->name, _("a decision says why: --reason R"));
	if (a.revision && !(c.resolved_in = strdup(a.revision)))
		return cli_fail(_("feedback decide"));
	if ((rc = open_branch(&c, &a, cmd->name, NULL)) != 0)
		goto done;
	rc = run_rounds(&c);
done:
	ctx_dispose(&c);
	return rc;
}

/* --- list --- */

typedef struct {
	char *id, *document, *revision, *kind, *from, *filed_on, *status, *decided_by, *decided_on, *reason, *resolved_in;
} fb_row;

static char *dup0(const char *s)
{
	return strdup(s ? s : "");
}

static void row_free(fb_row *r)
{
	free(r->id), free(r->document), free(r->revision), free(r->kind), free(r->from), free(r->filed_on);
	free(r->status), free(r->decided_by), free(r->decided_on), free(r->reason), free(r->resolved_in);
}

static const char *const list_keys[] = { "id", "document", "revision", "kind", "from", "filed_on", "status",
					 "decided_by", "decided_on", "reason", "resolved_in" };

static const char *cell(const fb_row *r, size_t k)
{
	const char *v[] = { r->id, r->document, r->revision, r->kind, r->from, r->filed_on, r->status,
			    r->decided_by, r->decided_on, r->reason, r->resolved_in };
	return v[k];
}

/* The rows being read (cli_feedback_rows). */
typedef struct {
	fb_row *rows;
	size_t n, cap;
} fb_rows;

static int take_row(void *arg, const dc_feedback *f)
{
	fb_rows *t = arg;
	fb_row *r;

	if (dc_array_grow(&t->rows, &t->cap, t->n, sizeof(*t->rows)) < 0)
		return -1;
	r = &t->rows[t->n++];
	r->id = dup0(f->id), r->document = dup0(f->document), r->revision = dup0(f->revision);
	r->kind = dup0(f->kind), r->from = dup0(f->from), r->filed_on = dup0(f->filed_on);
	r->status = dup0(f->status_name), r->decided_by = dup0(f->decided_by), r->decided_on = dup0(f->decided_on);
	r->reason = dup0(f->reason), r->resolved_in = dup0(f->resolved_in);
	return 0;
}

/* Reads the items of the feedback ref (the fetched one when a remote has
 * it, else the local one). *out malloc'd. 0, or -1. */
static int cli_feedback_rows(git_repository *repo, const dc_policy *pol, const char *remote, fb_row **out, size_t *n)
{
	fb_rows t = { NULL, 0, 0 };
	int rc = dc_feedback_each(repo, pol, remote, take_row, &t);

	*out = t.rows;
	*n = t.n;
	return rc;
}

void cli_feedback_print_resolved(git_repository *repo, const char *change, const git_oid *commit, int json)
{
	dc_buf ids = DC_BUF_INIT;
	const char *p, *comma;

	dc_feedback_resolved_ids(&ids, repo, change, commit);
	if (json) {
		printf(", \"resolves\": [");
		for (p = ids.len ? ids.ptr : NULL; p; p = comma ? comma + 2 : NULL) {
			comma = strstr(p, ", ");
			printf("%s\"%.*s\"", p == ids.ptr ? "" : ", ", comma ? (int)(comma - p) : (int)strlen(p), p);
		}
		printf("]");
	} else if (ids.len) {
		printf("  %s %s\n", _("resolves:  "), cli_esc(ids.ptr));
	}
	dc_buf_dispose(&ids);
}

/* Markup and CSV keys: machine text, never translated. */
static void machine(const char *s)
{
	fwrite(s, 1, strlen(s), stdout);
}

static void html_head(void)
{
	static const char *const heads[] = { N_("Id"), N_("Document"), N_("Revision"), N_("Kind"), N_("From"),
					     N_("Status"), N_("Decision") };
	dc_buf b = DC_BUF_INIT;
	size_t i;

	dc_buf_puts(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
	dc_html_escape(&b, _("Feedback"));
	dc_buf_puts(&b, "</title></head><body>\n<table>\n<tr>");
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		dc_buf_puts(&b, "<th>");
		dc_html_escape(&b, _(heads[i]));
		dc_buf_puts(&b, "</th>");
	}
	dc_buf_puts(&b, "</tr>\n");
	fwrite(b.ptr, 1, b.len, stdout);
	dc_buf_dispose(&b);
}

/* One row of feedback list: 0 Markdown, 1 CSV, 2 JSON (after `shown`
 * rows), 3 HTML. `b` is scratch. */
static void print_row(dc_buf *b, const fb_row *r, int fmt, size_t shown)
{
	size_t k;

	dc_buf_clear(b);
	if (fmt == 0) {
		for (k = 0; k < 7; k++) {
			dc_buf_puts(b, "| ");
			dc_md_cell(b, cell(r, k));
			dc_buf_putc(b, ' ');
		}
		dc_buf_puts(b, "| ");
		if (*r->decided_by) {
			dc_buf_printf(b, "%s %s: ", r->decided_by, r->decided_on);
			dc_md_cell(b, r->reason);
			if (*r->resolved_in)
				dc_buf_printf(b, " (%s)", r->resolved_in);
		}
		dc_buf_puts(b, " |");
		printf("%s\n", cli_esc(b->ptr));
	} else if (fmt == 1) {
		for (k = 0; k < sizeof(list_keys) / sizeof(list_keys[0]); k++) {
			if (k)
				dc_buf_putc(b, ',');
			dc_csv_cell(b, cell(r, k));
		}
		dc_buf_putc(b, '\n');
		fwrite(b->ptr, 1, b->len, stdout);
	} else if (fmt == 2) {
		dc_buf_puts(b, shown ? ",\n {" : "\n {");
		for (k = 0; k < sizeof(list_keys) / sizeof(list_keys[0]); k++) {
			dc_buf_printf(b, "%s\"%s\": ", k ? ", " : "", list_keys[k]);
			if (*cell(r, k))
				dc_json_cstr(b, cell(r, k));
			else
				dc_buf_puts(b, "null");
		}
		dc_buf_putc(b, '}');
		fwrite(b->ptr, 1, b->len, stdout);
	} else {
		dc_buf decision = DC_BUF_INIT;
		const char *c[7];

		for (k = 0; k < 5; k++)
			c[k] = cell(r, k);
		if (*r->decided_by)
			dc_buf_printf(&decision, "%s %s: %s", r->decided_by, r->decided_on, r->reason);
		c[5] = r->status;
		c[6] = decision.ptr;
		dc_html_row(b, c, 7);
		fwrite(b->ptr, 1, b->len, stdout);
		dc_buf_dispose(&decision);
	}
}

int cmd_feedback_list(const cli_command *cmd, int argc, char **argv)
{
	fb_ctx c;
	fb_args a;
	fb_row *rows = NULL;
	size_t n = 0, i, shown = 0;
	dc_date today;
	dc_buf b = DC_BUF_INIT;
	int rc, fmt, first;

	memset(&c, 0, sizeof(c));
	memset(&a, 0, sizeof(a));
	a.c = &c;
	a.format = FORMAT_MD;
	c.op = -1;
	c.remote = "origin";
	if ((rc = cli_parse(cmd, argc, argv, fb_option, &a, &first)) != CLI_RUN)
		return rc;
	fmt = a.format == FORMAT_CSV ? 1 : a.format == FORMAT_JSON ? 2 : a.format == FORMAT_HTML ? 3 : 0;
	if ((rc = cli_as_of(cmd->name, &today, NULL)) != 0 || (rc = setup(&c, "feedback", &today, NULL)) != 0)
		goto done;
	if ((rc = fetch(&c)) != 0)
		goto done;
	if (cli_feedback_rows(c.b.repo, c.pol, c.remote, &rows, &n) < 0) {
		rc = cli_fail(_("feedback list"));
		goto done;
	}
	if (fmt == 0)
		printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|---|---|\n", _("Id"), _("Document"),
		       _("Revision"), _("Kind"), _("From"), _("Filed"), _("Status"), _("Decision"));
	else if (fmt == 1)
		machine("id,document,revision,kind,from,filed_on,status,decided_by,decided_on,reason,resolved_in\n");
	else if (fmt == 2)
		printf("[");
	else
		html_head();
	for (i = 0; i < n; i++) {
		const fb_row *r = &rows[i];

		if ((a.open_only && strcmp(r->status, "open")) || (a.doc && strcmp(r->document, a.doc)))
			continue;
		print_row(&b, r, fmt, shown);
		shown++;
	}
	if (fmt == 2)
		printf(shown ? "\n]\n" : "]\n");
	else if (fmt == 3)
		machine("</table>\n</body></html>\n");
	rc = EXIT_OK;
done:
	for (i = 0; i < n; i++)
		row_free(&rows[i]);
	free(rows);
	dc_buf_dispose(&b);
	ctx_dispose(&c);
	return rc;
}

/* --- the tables --- */

#define SIGN_PUSH_ROWS(cmd)                                                                                           \
	{ "sign", 0, NULL, NULL, N_("sign the commit (git commit -S with your ssh key), as the server requires"),      \
	  cmd " --sign", 0 },                                                                                         \
	{ "push", 0, NULL, NULL, N_("push it to the remote, trying again when someone else pushed first"),             \
	  cmd " --sign --push", 0 },                                                                                  \
	{ "remote", 0, "NAME", NULL, N_("the remote to fetch from and push to (default origin)"),                     \
	  cmd " --remote upstream", 0 },                                                                              \
	CLI_OPT_AS_OF(cmd " --as-of 2026-12-08")

const cli_option feedback_new_options[] = {
	{ "kind", 0, "KIND", "error|improvement|question|complaint", N_("what the request is"),
	  "feedback new SP-005 --kind improvement --text \"...\"", CLI_REQUIRED },
	{ "from", 0, "PERSON", NULL, N_("the person who files it (default: you, by your git user.email)"),
	  "feedback new SP-005 --kind error --from li.wei --text \"...\"", 0 },
	{ "customer", 0, "NAME", NULL, N_("file it for a customer (from: \"customer: NAME\")"),
	  "feedback new SP-005 --kind complaint --customer 某某公司 -F complaint.txt", 0 },
	{ "text", 0, "TEXT", NULL, N_("the text of the request"), "feedback new SP-005 --kind question --text \"...\"", 0 },
	{ "file", 'F', "FILE", NULL, N_("read the text of the request from FILE"),
	  "feedback new SP-005 --kind error -F request.md", 0 },
	SIGN_PUSH_ROWS("feedback new SP-005 --kind error --text \"...\""),
	CLI_OPTIONS_END,
};

const cli_option feedback_decide_options[] = {
	{ "reason", 0, "TEXT", NULL, N_("why (the field reason)"),
	  "feedback decide FB-2026-0042 accept --reason \"同意，下次修订时增加\"", CLI_REQUIRED },
	{ "revision", 0, "REV", NULL, N_("with implemented: the revision that resolved it (default: the newest that names it)"),
	  "feedback decide FB-2026-0042 implemented --reason done --revision A/2", 0 },
	SIGN_PUSH_ROWS("feedback decide FB-2026-0042 accept --reason \"...\""),
	CLI_OPTIONS_END,
};

const cli_option feedback_list_options[] = {
	{ "open", 0, NULL, NULL, N_("only the open items"), "feedback list --open", 0 },
	{ "document", 0, "ID", NULL, N_("only the items of one document"), "feedback list --document SP-005", 0 },
	{ "format", 0, "FORMAT", "md|csv|json|html", N_("md (the default), csv, json or html"),
	  "feedback list --format csv > feedback.csv", 0 },
	{ "remote", 0, "NAME", NULL, N_("the remote to fetch from (default origin)"), "feedback list --remote upstream", 0 },
	CLI_OPTIONS_END,
};

static int noop_option(void *args, const cli_option *o, const char *value)
{
	(void)args, (void)o, (void)value;
	return 0;
}

/* `feedback SUB ...`: the table's row "feedback SUB" runs it. */
int cmd_feedback(const cli_command *cmd, int argc, char **argv)
{
	char name[32];
	const cli_command *sub;
	int first, rc;

	if (argc >= 2 && strlen(argv[1]) < 16) {
		snprintf(name, sizeof(name), "feedback %s", argv[1]);
		if ((sub = cli_command_find(name)) && sub->run != cmd_feedback)
			return sub->run(sub, argc - 1, argv + 1);
	}
	if (argc >= 2 && argv[1][0] != '-')
		return cli_usage_error(cmd->name, _("\"%s\" is not new, decide or list"), cli_esc(argv[1]));
	rc = cli_parse(cmd, argc, argv, noop_option, NULL, &first);
	return rc == CLI_RUN ? cli_usage_error(cmd->name, _("name a subcommand: new, decide or list")) : rc;
}
