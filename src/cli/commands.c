/*
 * commands.c - the one table of docctl's commands, as git.c's commands[]:
 * a row each (name, handler, operands and their number, summary, about,
 * options, examples, internal) in the order `docctl --help` lists them.
 * The handlers and the option tables are in the cmd_*.c (commands.h);
 * options.c parses, prints the help and completes from the rows. Adding a
 * command: its cmd_NAME.c, its two lines in commands.h and its row here.
 */
#include <stddef.h>

#include "commands.h"
#include "i18n.h"

/* A row's examples: command lines without "docctl ". */
#define EXAMPLES(...) ((const char *const[]){ __VA_ARGS__, NULL })

const cli_command cli_command_table[] = {
	{ "check", cmd_check, "[PATH...]", 0, -1, N_("validate the documents of the working tree (or of REV)"),
	  N_("Checks every controlled document (or those under each PATH) against the policy, the schemas and the\n"
	     "repository-wide rules, and prints the findings with file:line:col and the rule's name.\n"
	     "Exit 0 without errors, 1 with errors, 2 when the policy or a schema is broken."),
	  check_options, EXAMPLES("check", "check docs/procedures/SP-004-document-control.md"), 0 },
	{ "init", cmd_init, "", 0, 0, N_("scaffold docctl.yaml, schema/ and .docctl/ where missing"),
	  N_("Writes the policy (protecting the branch the repository is on), the default schema and the signers\n"
	     "file where they are missing; never overwrites. With --hooks, installs the hooks instead."),
	  init_options, EXAMPLES("init"), 0 },
	{ "hook", cmd_hook, "pre-commit|commit-msg|pre-receive|update|post-receive [ARG...]", 1, 4,
	  N_("run a git hook"),
	  N_("What the shims that docctl init --hooks installs run: pre-commit and commit-msg FILE on a client,\n"
	     "pre-receive, update REF OLD NEW and post-receive on the server. DOCCTL_AS_OF=YYYY-MM-DD sets today."),
	  NULL,
	  EXAMPLES("hook pre-commit", "hook commit-msg .git/COMMIT_EDITMSG", "hook update refs/heads/main OLD NEW"), 0 },
	/* each option row of new has an example */
	{ "new", cmd_new, "TYPE", 1, 1, N_("create the next document of a type"),
	  N_("Writes the next free id of the type (or --id) as ID-slug.md in the type's folder: the front-matter\n"
	     "filled in, the type's sections as headings, status draft, the scheme's first revision. The file is\n"
	     "checked first: when the type needs more, nothing is written and the message names the option."),
	  new_doc_options, NULL, 0 },
	{ "approve", cmd_edit, "ID", 1, 1, N_("approve a document as the current user"),
	  N_("Sets status approved, approved_by (you, found by git's user.email), approved_on and effective (today,\n"
	     "or the later date the author set). You must hold an approver role of the document's type and must not\n"
	     "have changed its content since its last approval (four eyes). A type with checkers is approved only\n"
	     "after its check (--step checked), by someone other than the checker (reference §9.1)."),
	  approve_options, EXAMPLES("approve SP-004"), 0 },
	{ "obsolete", cmd_edit, "ID", 1, 1, N_("withdraw a document"),
	  N_("Sets status obsolete, obsoleted_by and obsoleted_on of an approved document, and names the approved\n"
	     "documents that still cite it. Obsolete is final."),
	  obsolete_options, EXAMPLES("obsolete WI-003"), 0 },
	{ "review", cmd_edit, "ID", 1, 1, N_("record a periodic review that changed nothing"),
	  N_("Sets reviewed_by and reviewed_on of an approved document: the periodic review (reference §4.6) found\n"
	     "nothing to change. A review that changes something is a revision: docctl revise."),
	  review_options, EXAMPLES("review SP-004"), 0 },
	{ "revise", cmd_edit, "ID", 1, 1, N_("start the next revision of a document"),
	  N_("Makes an approved document the draft of its next revision: the revision goes up, the approval, check\n"
	     "and review of the previous one are removed. On a draft, --change only says again what it changes."),
	  revise_options, EXAMPLES("revise SP-004"), 0 },
	{ "register", cmd_register, "", 0, 0, N_("the master list of controlled documents"),
	  N_("The master list (受控文件清单) of the protected branch: id, title, type, revision, status, owner,\n"
	     "approver, effective date, next review and a pending revision, one row a document."),
	  register_options, EXAMPLES("register"), 0 },
	{ "history", cmd_history, "ID", 1, 1, N_("every approved revision of a document"),
	  N_("The audit trail of one document on the protected branch, newest first: each approval, periodic\n"
	     "review and obsoletion with the signer's name, the time, the meaning and whether the commit's SSH\n"
	     "signature verifies against the signers file of that time."),
	  history_options, EXAMPLES("history SP-004"), 0 },
	{ "show", cmd_show, "ID", 1, 1, N_("the text of the effective revision"),
	  N_("Prints the revision of a document in force today on the protected branch: an approved revision\n"
	     "that is still pending gives way to the one before it."),
	  show_options, EXAMPLES("show SP-004"), 0 },
	{ "review-due", cmd_review_due, "", 0, 0, N_("documents due for periodic review"),
	  N_("The approved documents of the protected branch whose periodic review (reference §4.6) is overdue, or\n"
	     "due within --within, with the owner and the due date. Exit 1 when one is overdue, so that a\n"
	     "scheduled CI job fails and somebody looks."),
	  review_due_options, EXAMPLES("review-due"), 0 },
	{ "publish", cmd_publish, "", 0, 0, N_("a static HTML site of the protected branch"),
	  N_("Writes one page a document in force, the register and an archive of obsolete documents, for the\n"
	     "people who do not use git. Confidential documents and pending revisions are left out."),
	  publish_options, EXAMPLES("publish --out site"), 0 },
	{ "ack", cmd_ack, "[ID...]", 0, -1, N_("confirm having read the revisions in force"),
	  N_("Confirms that you (git's user.email) have read the revisions in force of the documents named, one\n"
	     "line each in acks/<person>.txt on the confirmations' ref (training.ref), committed on top of what the\n"
	     "remote holds; with --training, a trainer records who attended a training session (reference §10)."),
	  ack_options, EXAMPLES("ack SP-004 SP-005 --sign --push"), 0 },
	{ "training", cmd_training, "", 0, 0, N_("the training matrix: who confirmed, who is overdue"),
	  N_("Every reader of every revision in force on the protected branch: confirmed (date, method), pending\n"
	     "(days left until the due date) or overdue, read from the confirmations' ref (reference §10)."),
	  training_options, EXAMPLES("training", "training --overdue --format csv"), 0 },
	{ "feedback", cmd_feedback, "new|decide|list ...", 1, -1, N_("file, decide and list feedback on documents"),
	  N_("Feedback and change requests (reference §11), kept on their own ref (feedback.ref):\n"
	     "  docctl feedback new ID --kind K [--from P | --customer NAME] [--text T | -F FILE] [--sign] [--push]\n"
	     "  docctl feedback decide FB-ID accept|reject|defer|implemented --reason R [--sign] [--push]\n"
	     "  docctl feedback list [--open] [--document ID] [--format md|csv|json|html]\n"
	     "'docctl feedback new --help' (decide, list) shows each one's options."),
	  NULL,
	  EXAMPLES("feedback new SP-005 --kind error --text \"第3步缺少检验记录。\" --sign --push",
		   "feedback decide FB-2026-0042 accept --reason \"同意，下次修订时增加\" --sign --push",
		   "feedback list --open --document SP-005"),
	  0 },
	/* feedback's sub-commands: internal rows, found by their names for their
	 * help and their completion (docctl __complete options "feedback new") */
	{ "feedback new", cmd_feedback_new, "ID", 1, 1, N_("file a feedback item about a document"),
	  N_("Files a change request about document ID of the protected branch on the feedback ref (reference §11),\n"
	     "numbered FB-YYYY-NNNN, the next free one of the year."),
	  feedback_new_options, EXAMPLES("feedback new SP-005 --kind error --text \"第3步缺少检验记录。\" --sign --push"), 1 },
	{ "feedback decide", cmd_feedback_decide, "FB-ID accept|reject|defer|implemented", 2, 2, N_("decide a feedback item"),
	  N_("As the document's owner or an approver of its type: accept, reject or defer an open item, or mark\n"
	     "an accepted one implemented once an approved revision names it (docctl revise ID --resolves FB-ID)."),
	  feedback_decide_options, EXAMPLES("feedback decide FB-2026-0042 reject --reason \"不适用\" --sign --push"), 1 },
	{ "feedback list", cmd_feedback_list, "", 0, 0, N_("list the feedback items"),
	  N_("The items of the feedback ref, fetched from the remote when there is one."),
	  feedback_list_options, EXAMPLES("feedback list --open"), 1 },
	/* Not parsed with cli_parse: "options --rev" is a question, not an option. */
	{ "__complete", cmd_complete, "commands|options CMD|operands CMD|ids|types|people", 1, 2,
	  N_("words for the shell completions (internal)"), NULL, NULL, EXAMPLES("__complete options check"), 1 },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, 0 },
};
