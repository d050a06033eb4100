/*
 * cli.h - what the commands share: the table of commands, opening the
 * project the user stands in, and printing findings.
 */
#ifndef DC_CLI_H
#define DC_CLI_H

#include <git2.h>
#include <stdio.h>

#include "check.h"
#include "date.h"
#include "diag.h"
#include "i18n.h"
#include "options.h"
#include "project.h"
#include "register.h"
#include "snapshot.h"
#include "source.h"

#define DOCCTL_VERSION "0.1.0"

/* Exit codes (reference §5.2). */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_FATAL = 2 };


/* The project a command works on. */
typedef struct {
	git_repository *repo;     /* NULL outside git */
	char *root;               /* the project folder (holds docctl.yaml) */
	char *prefix;             /* root relative to the repository's work tree */
	dc_source *src;
	dc_project *project;
} cli_project;

/*
 * Finds the project from the current folder (the nearest folder up to the
 * repository's top that holds docctl.yaml, else the top) and opens the
 * working tree, or the tree of `rev` when given. Returns 0; 1 when the
 * policy or a schema is broken (findings in diags); -1 on failure.
 */
int cli_project_open(cli_project *p, const char *rev, dc_diags *diags);
void cli_project_close(cli_project *p);
/* git's user.email for `repo` (caller frees), or NULL when unset. */
char *cli_user_email(git_repository *repo);
/* Reads every document of `project` as on `today` into `set` (their
 * findings left out): 0, or -1 with dc_error set. */
int cli_project_read_docs(dc_docset *set, const dc_project *project, const dc_date *today);
/* Finds the project folder only (for init). */
int cli_project_locate(cli_project *p);

/* The output formats of --format, one enum for every command (each
 * command's option row says which it takes). */
typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_MD, FORMAT_CSV, FORMAT_HTML } cli_format;
/* The format named `s` in *out: 0, or -1 when it names none. */
int cli_format_parse(cli_format *out, const char *s);
/* Prints the findings in a format; text goes to `out`. */
void cli_print_diags(FILE *out, const dc_diags *d, cli_format f, int strict);
/* The exit code for a list of findings (reference §5.2). */
int cli_exit_code(const dc_diags *d, int strict);
/* Reports an operational failure: "docctl: <what>: <last error>", returns 2. */
int cli_fail(const char *what);
/* "docctl CMD: <message>" and the command's usage line on stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes a JSON string literal (json.h's writer; NULL as ""). */
void cli_json_str(FILE *out, const char *s);
/* Writes `, "key": ` and `value` as cli_json_str does: a member of an
 * object after its first. */
void cli_json_member(FILE *out, const char *key, const char *value);
/* `s` made safe for a terminal (escape.h), in one of a few buffers used in
 * turn: valid until eight more calls. NULL stays NULL. */
const char *cli_esc(const char *s);

/* The commands (cmd_*.c): their handlers and option tables. */
#include "commands.h"

/* cmd_feedback.c: the open feedback items per document, a section after
 * the register (md), when the feedback ref is here. */
void cli_feedback_register_section(FILE *out, git_repository *repo, const dc_policy *pol);
/* cmd_feedback.c: for `history`, the feedback items an approved revision's
 * change or approving commit's Resolves: trailers name: a line
 * "  resolves:  FB-..." (none when it names none), or with `json` the key
 * `, "resolves": [...]`. */
void cli_feedback_print_resolved(git_repository *repo, const char *change, const git_oid *commit, int json);
/* init --hooks: installs the shims; returns an exit code. */
int cli_install_hooks(int force, const char *trusted_ref);

/* The branch a reading command works on (register, history, show,
 * review-due, publish): the first protected branch that exists locally
 * (else HEAD), or the commit `rev` names; bare repositories too. */
typedef struct {
	git_repository *repo;
	char *prefix;             /* the project root in the repository */
	char *refname;            /* "refs/heads/main", "HEAD", or the rev as given */
	git_oid commit;
	git_tree *tree;
	dc_source *src;
	dc_project *project;
	dc_docset set;            /* the documents at that commit */
	dc_snapshot *snap;        /* what `set` stands on when it holds only some */
	dc_strlist changed;      /* the paths it hides */
} cli_branch;

/* Opens it and reads its documents (with `id`, only those with that id:
 * the snapshot of the branch finds them without reading the others); says
 * on stderr what went wrong and returns an exit code, or 0. */
int cli_branch_open(cli_branch *b, const char *cmd, const char *rev, const dc_date *today, const char *id);
void cli_branch_close(cli_branch *b);
/* The rows every reading command shares (options.h). */
#define CLI_OPT_REV(example)                                                                                        \
	{ "rev", 0, "REV", NULL, N_("read the commit REV names instead of the protected branch"), example, 0 }
#define CLI_OPT_AS_OF(example)                                                                                      \
	{ "as-of", 0, "DATE", NULL, N_("take DATE (YYYY-MM-DD) as today, as DOCCTL_AS_OF does"), example, 0 }

/* "Today" (dc_today: --as-of, else $DOCCTL_AS_OF, else the local date):
 * 0, or a usage error (exit code) said. */
int cli_as_of(const char *cmd, dc_date *out, const char *as_of);

struct dc_training;
/* The training matrix of an opened branch and its register, with the
 * confirmations of training.ref (cmd_training.c). 0, or -1. */
int cli_training_load(struct dc_training *t, cli_branch *b, const dc_register *reg);
/* history --acks: prints the confirmations of document `id` per revision
 * (cmd_training.c): text, CSV (the whole output), or JSON (the keys
 * "acks_ref" and "acks" to end history's object with). Returns an exit code. */
int cli_history_acks(cli_branch *b, const char *id, cli_format format);
/* What the options every reading command shares say: --format, --rev and
 * --as-of (a command without --format just leaves `format` alone). */
typedef struct {
	cli_format format;
	const char *rev, *as_of;
} cli_read_args;
/* The option callback (options.h) for them: `args` points to a
 * cli_read_args, or to a command's struct that starts with one. */
int cli_read_option(void *args, const cli_option *o, const char *value);
/* "Today" from a->as_of (cli_as_of), then the branch a->rev names opened
 * (cli_branch_open, closed again when that fails): 0, or the exit code said. */
int cli_branch_open_as_of(cli_branch *b, const char *cmd, const cli_read_args *a, dc_date *today, const char *id);
/* The same for the document `id` of that branch, in *out: 0, or the exit
 * code said (EXIT_FINDINGS when no document has that id). */
int cli_branch_open_doc(cli_branch *b, const dc_docinfo **out, const char *cmd, const cli_read_args *a, dc_date *today,
			const char *id);
/* The register of the branch's documents on `today` (register.h), the
 * pending rows' histories read from its repository; with `every_history`,
 * every row's, signatures verified. 0, or -1 (*reg to dispose either way). */
int cli_branch_register(dc_register *reg, const cli_branch *b, const dc_date *today, int every_history);

#endif
