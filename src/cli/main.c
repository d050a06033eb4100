/*
 * main.c - docctl's entry point: the list of commands and dispatch. Each
 * command's table (name, operands, options, help, examples) is in its
 * cmd_*.c; options.c parses and prints help from it.
 */
#include <git2.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* In the order of `docctl --help`. */
static const cli_command *const commands[] = {
	&cli_cmd_check,
	&cli_cmd_init,
	&cli_cmd_hook,
	&cli_cmd_new,
	&cli_cmd_approve,
	&cli_cmd_obsolete,
	&cli_cmd_review,
	&cli_cmd_revise,
	&cli_cmd_register,
	&cli_cmd_history,
	&cli_cmd_show,
	&cli_cmd_review_due,
	&cli_cmd_publish,
	&cli_cmd_feedback,
	&cli_cmd_complete,
	NULL,
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "%s docctl <command> [<args>]\n\n", _("usage:"));
	for (i = 0; commands[i]; i++)
		if (!commands[i]->internal)
			fprintf(out, "   %-11s %s\n", commands[i]->name, _(commands[i]->summary));
	fprintf(out, "\n%s\n%s\n", _("'docctl help COMMAND' or 'docctl COMMAND --help' shows a command's options and examples"),
		_("exit codes: 0 no errors, 1 errors found or a hook refuses, 2 usage, policy or schema error"));
}

static int not_a_command(const char *name)
{
	fprintf(stderr, _("docctl: '%s' is not a docctl command; see 'docctl --help'\n"), cli_esc(name));
	return EXIT_FATAL;
}

int main(int argc, char **argv)
{
	const cli_command *c;
	int rc;

	cli_commands_set(commands);
	if (argc < 2) {
		usage(stderr);
		return EXIT_FATAL;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		if (!(c = cli_command_find(argv[2])))
			return not_a_command(argv[2]);
		cli_command_help(stdout, c);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("docctl %s\n", DOCCTL_VERSION);
		return EXIT_OK;
	}
	if (!(c = cli_command_find(argv[1])))
		return not_a_command(argv[1]);
	git_libgit2_init();
	/* As git does, trust the object store rather than re-hash every object
	 * read (git verifies objects as they arrive, and in fsck); and keep
	 * trees of a few MB in the object cache: a folder of 50,000 documents
	 * is one such tree, which a hook would otherwise read and inflate
	 * again for every lookup in it. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)8 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)96 << 20);
	rc = c->run(c, argc - 1, argv + 1);
	git_libgit2_shutdown();
	return rc;
}
