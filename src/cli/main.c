/*
 * main.c - docctl's entry point: the table of commands and dispatch.
 */
#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
	{ "check", cmd_check, "check [--format text|json|sarif] [--strict] [--rev REV] [--as-of DATE] [PATH...]",
	  "validate the documents of the working tree (or of REV)" },
	{ "init", cmd_init, "init [--hooks [--trusted-ref REF]]", "scaffold docctl.yaml, schema/ and .docctl/ where missing" },
	{ "hook", cmd_hook, "hook pre-commit|commit-msg FILE|pre-receive|update REF OLD NEW|post-receive", "run a git hook" },
	{ "new", cmd_new, "new TYPE --title T [--id ID | --prefix P] [--owner P] [--source S --source-version V]",
	  "create the next document of a type" },
	{ "approve", cmd_edit, "approve ID [--sign]", "approve a document as the current user" },
	{ "obsolete", cmd_edit, "obsolete ID [--superseded-by ID2] [--sign]", "withdraw a document" },
	{ "review", cmd_edit, "review ID [--sign]", "record a periodic review that changed nothing" },
	{ "revise", cmd_edit, "revise ID [--change T] [--major] [--resolves FB-ID]", "start the next revision of a document" },
	{ "register", cmd_register, "register [--format md|csv|json|html] [--rev REV] [--as-of DATE]",
	  "the master list of controlled documents" },
	{ "history", cmd_history, "history ID [--format text|json] [--rev REV]", "every approved revision of a document" },
	{ "show", cmd_show, "show ID [--revision R] [--rev REV] [--as-of DATE] [--raw]", "the text of the effective revision" },
	{ "review-due", cmd_review_due, "review-due [--as-of DATE] [--within DURATION] [--format text|json] [--rev REV]",
	  "documents due for periodic review" },
	{ "publish", cmd_publish, "publish --out DIR [--include-confidential] [--rev REV] [--as-of DATE]",
	  "a static HTML site of the protected branch" },
	{ "feedback", cmd_feedback,
	  "feedback new ID --kind K [--from P | --customer NAME] [--text T | -F FILE] [--sign] [--push]\n"
	  "       docctl feedback decide FB-ID accept|reject|defer|implemented --reason R [--sign] [--push]\n"
	  "       docctl feedback list [--open] [--document ID] [--format md|csv|json|html]",
	  "file, decide and list feedback on documents (change requests)" },
	{ "__complete", cmd_complete, "__complete ids|types|people", "words for the shell completions (internal)" },
	{ NULL, NULL, NULL, NULL },
};

/* `docctl help CMD` and `docctl CMD --help`: what the command does and its usage. */
static int command_help(const cli_command *c)
{
	printf("usage: docctl %s\n\n%s\n", c->usage, c->summary);
	return EXIT_OK;
}

static const cli_command *find_command(const char *name)
{
	const cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void usage(FILE *out)
{
	const cli_command *c;

	fprintf(out, "usage: docctl <command> [<args>]\n\n");
	for (c = cli_commands; c->name; c++)
		if (c->name[0] != '_') /* internal commands are not listed */
			fprintf(out, "   %-11s %s\n", c->name, c->summary);
	fprintf(out, "\nexit codes: 0 no errors, 1 errors found or a hook refuses, 2 usage, policy or schema error\n");
}

int main(int argc, char **argv)
{
	const cli_command *c;
	int rc;

	if (argc < 2) {
		usage(stderr);
		return EXIT_FATAL;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		if (!(c = find_command(argv[2]))) {
			fprintf(stderr, "docctl: '%s' is not a docctl command; see 'docctl --help'\n", argv[2]);
			return EXIT_FATAL;
		}
		return command_help(c);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("docctl %s\n", DOCCTL_VERSION);
		return EXIT_OK;
	}
	if (!(c = find_command(argv[1]))) {
		fprintf(stderr, "docctl: '%s' is not a docctl command; see 'docctl --help'\n", argv[1]);
		return EXIT_FATAL;
	}
	if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")))
		return command_help(c);
	git_libgit2_init();
	/* As git does, trust the object store rather than re-hash every object
	 * read (git verifies objects as they arrive, and in fsck); and keep
	 * trees of a few MB in the object cache: a folder of 50,000 documents
	 * is one such tree, which a hook would otherwise read and inflate
	 * again for every lookup in it. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)8 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)96 << 20);
	rc = c->run(argc - 1, argv + 1);
	git_libgit2_shutdown();
	return rc;
}
