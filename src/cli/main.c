/*
 * main.c - docctl's entry point: dispatch over the table of commands
 * (commands.c: name, operands, options, help, examples of each), which it
 * hands to options.c, which parses and prints help from it.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "i18n.h"
#include "libgit2_init.h"

static void usage(FILE *out)
{
	const cli_command *c;

	fprintf(out, "%s docctl <command> [<args>]\n\n", _("usage:"));
	for (c = cli_command_table; c->name; c++)
		if (!c->internal)
			fprintf(out, "   %-11s %s\n", c->name, _(c->summary));
	fprintf(out, "\n%s\n%s\n", _("'docctl help COMMAND' or 'docctl COMMAND --help' shows a command's options and examples"),
		_("exit codes: 0 no errors, 1 errors found or a hook refuses, 2 usage, policy or schema error"));
}

static int not_a_command(const char *name)
{
	fprintf(stderr, _("docctl: '%s' is not a docctl command; see 'docctl --help'\n"), cli_esc(name));
	return EXIT_FATAL;
}

/* The value of --format (-f, --format=F, an abbreviation such as --form F)
 * among a command's arguments, or NULL. */
static const char *format_arg(int argc, char **argv)
{
	int i;
	size_t n;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], "-f", 2) && argv[i][2])
			return argv[i] + 2;
		if (!strcmp(argv[i], "-f"))
			return i + 1 < argc ? argv[i + 1] : NULL;
		n = strcspn(argv[i], "=");
		if (n >= 4 && !strncmp(argv[i], "--format", n) && n <= 8)
			return argv[i][n] ? argv[i] + n + 1 : i + 1 < argc ? argv[i + 1] : NULL;
	}
	return NULL;
}

/*
 * Messages for people follow the locale (reference §7): LC_ALL, LC_MESSAGES,
 * LANG, or DOCCTL_LANG, which wins over them (a server hook's language, set
 * in the environment of the git daemon or by the hook shim from the
 * repository's docctl.lang). DOCCTL_LOCALEDIR replaces the installed
 * catalogues (the build tree's build/po). Numbers are always read and
 * written the C way, and a machine format (json, sarif, csv) is written in
 * the C locale: its messages never change with the language.
 */
static void locale_init(int argc, char **argv)
{
	const char *lang = getenv("DOCCTL_LANG");
	const char *f;

	if (!(lang && *lang && setlocale(LC_ALL, lang)))
		setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	f = argc > 1 ? format_arg(argc - 1, argv + 1) : NULL;
	if (f && (!strcmp(f, "json") || !strcmp(f, "sarif") || !strcmp(f, "csv")))
		setlocale(LC_MESSAGES, "C");
	dc_i18n_bind();
}

int main(int argc, char **argv)
{
	const cli_command *c;
	int rc;

	locale_init(argc, argv);
	cli_commands_set(cli_command_table);
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
	/* the hooks start libgit2 themselves: post-receive's usual path needs
	 * none, and starting it costs a few milliseconds (libgit2 reads the
	 * system's TLS certificates) that every web confirmation would pay */
	if (c->run != cmd_hook)
		dc_libgit2_init();
	rc = c->run(c, argc - 1, argv + 1);
	dc_libgit2_shutdown();
	return rc;
}
