/*
 * options.c - parsing a command line against the command's table
 * (options.h), and the help, usage and unknown-option messages made from
 * the same rows, so that what a command accepts and what it says it
 * accepts cannot drift apart.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

/* The rows of a table (help not counted). */
#define OPTIONS_MAX 48
#define HELP_KEY 'h'
#define LONG_KEY 256 /* getopt's value for row i is LONG_KEY + i */

static const cli_option help_row = { "help", 'h', NULL, NULL, N_("show this help: usage, options and examples"), NULL, 0 };

static size_t count_rows(const cli_command *c)
{
	size_t n = 0;

	while (c->options && c->options[n].name)
		n++;
	return n;
}

int cli_opt_is(const cli_option *o, const char *name)
{
	return !strcmp(o->name, name);
}

static const cli_command *const *command_list;

void cli_commands_set(const cli_command *const *list)
{
	command_list = list;
}

const cli_command *const *cli_commands(void)
{
	static const cli_command *const none[] = { NULL };

	return command_list ? command_list : none;
}

const cli_command *cli_command_find(const char *name)
{
	const cli_command *const *c;

	for (c = cli_commands(); *c; c++)
		if (!strcmp((*c)->name, name))
			return *c;
	return NULL;
}

/* "--format text|json", "--rev REV", "--strict" */
static void option_words(char *out, size_t size, const cli_option *o)
{
	const char *arg = o->choices ? o->choices : o->arg;

	snprintf(out, size, "--%s%s%s", o->name, arg ? " " : "", arg ? arg : "");
}

/* Appends `word` to a usage line being printed, wrapping at 78 columns. */
static void put_word(FILE *out, size_t *col, size_t indent, const char *word)
{
	size_t len = strlen(word);

	if (*col + 1 + len > 78 && *col > indent) {
		fprintf(out, "\n%*s", (int)indent, "");
		*col = indent;
	}
	fprintf(out, " %s", word);
	*col += 1 + len;
}

/* The usage line, "usage: docctl check [--strict] ... [PATH...]". */
static void cli_command_usage(FILE *out, const cli_command *c)
{
	const char *usage = _("usage:");
	char word[160];
	size_t col, indent, i;

	fprintf(out, "%s docctl %s", usage, c->name);
	col = indent = strlen(usage) + strlen(" docctl ") + strlen(c->name);
	for (i = 0; c->options && c->options[i].name; i++) {
		char w[150];

		option_words(w, sizeof(w), &c->options[i]);
		snprintf(word, sizeof(word), c->options[i].flags & CLI_REQUIRED ? "%s" : "[%s]", w);
		put_word(out, &col, indent, word);
	}
	if (c->operands && *c->operands)
		put_word(out, &col, indent, c->operands);
	fputc('\n', out);
}

static void option_help(FILE *out, const cli_option *o)
{
	char words[160], left[170];

	option_words(words, sizeof(words), o);
	if (o->letter)
		snprintf(left, sizeof(left), "-%c, %s", o->letter, words);
	else
		snprintf(left, sizeof(left), "    %s", words);
	if (strlen(left) <= 26)
		fprintf(out, "  %-26s %s\n", left, _(o->help));
	else
		fprintf(out, "  %s\n  %-26s %s\n", left, "", _(o->help));
}

void cli_command_help(FILE *out, const cli_command *c)
{
	size_t i;

	cli_command_usage(out, c);
	fprintf(out, "\n%s\n", _(c->summary));
	if (c->about)
		fprintf(out, "\n%s\n", _(c->about));
	fprintf(out, "\n%s\n", _("options:"));
	for (i = 0; c->options && c->options[i].name; i++)
		option_help(out, &c->options[i]);
	option_help(out, &help_row);
	fprintf(out, "\n%s\n", _("examples:"));
	for (i = 0; c->examples && c->examples[i]; i++)
		fprintf(out, "  docctl %s\n", c->examples[i]);
	for (i = 0; c->options && c->options[i].name; i++)
		if (c->options[i].example)
			fprintf(out, "  docctl %s\n", c->options[i].example);
}

/* Edit distance of two option names (short strings). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev[64], cur[64];

	if (la >= 64 || lb >= 64)
		return 64;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* The option closest to what was typed, when one is close enough. */
static const cli_option *closest(const cli_command *c, const char *typed)
{
	const cli_option *best = NULL;
	size_t d, best_d = (size_t)-1, i;

	for (i = 0; c->options && c->options[i].name; i++) {
		const char *n = c->options[i].name;

		d = distance(typed, n);
		if (!strncmp(n, typed, strlen(typed)) && *typed)
			d = d > 1 ? 1 : d; /* a prefix of it */
		if (d < best_d) {
			best_d = d;
			best = &c->options[i];
		}
	}
	return best && best_d <= 2 + strlen(typed) / 4 ? best : NULL;
}

static int unknown_option(const cli_command *c, const char *arg)
{
	char typed[64];
	const cli_option *near;
	size_t i;

	snprintf(typed, sizeof(typed), "%s", arg);
	typed[strcspn(typed, "=")] = '\0';
	fprintf(stderr, _("docctl %s: unknown option '%s'\n"), c->name, cli_esc(typed));
	near = closest(c, typed + strspn(typed, "-"));
	if (near)
		fprintf(stderr, _("did you mean --%s?\n"), near->name);
	fprintf(stderr, _("the options of %s:"), c->name);
	for (i = 0; c->options && c->options[i].name; i++)
		fprintf(stderr, " --%s", c->options[i].name);
	fprintf(stderr, _(" --help\n"));
	cli_command_usage(stderr, c);
	return EXIT_FATAL;
}

/* Whether `value` is one of `choices` ("a|b|c"). */
static int is_choice(const char *choices, const char *value)
{
	size_t len = strlen(value);
	const char *p = choices;

	while (p) {
		if (!strncmp(p, value, len) && (p[len] == '|' || !p[len]))
			return 1;
		p = strchr(p, '|');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* getopt_long's tables for a command's rows; 0, or -1 when too many. */
static int getopt_tables(const cli_command *c, struct option *lo, char *so, size_t n)
{
	size_t i, k = 0;

	if (n >= OPTIONS_MAX)
		return -1;
	so[k++] = ':'; /* a missing argument returns ':' */
	for (i = 0; i < n; i++) {
		const cli_option *o = &c->options[i];

		lo[i] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, LONG_KEY + (int)i };
		if (o->letter) {
			so[k++] = o->letter;
			if (o->arg)
				so[k++] = ':';
		}
	}
	lo[n] = (struct option){ "help", no_argument, NULL, HELP_KEY };
	lo[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	so[k++] = HELP_KEY;
	so[k] = '\0';
	return 0;
}

/* The row of getopt's value `key`, NULL for help or none. */
static const cli_option *row_of(const cli_command *c, size_t n, int key)
{
	size_t i;

	if (key >= LONG_KEY && (size_t)(key - LONG_KEY) < n)
		return &c->options[key - LONG_KEY];
	for (i = 0; i < n; i++)
		if (c->options[i].letter && c->options[i].letter == key)
			return &c->options[i];
	return NULL;
}

static int missing_value(const cli_command *c, const cli_option *o)
{
	if (!o)
		return cli_usage_error(c->name, _("an option needs a value"));
	if (o->choices)
		return cli_usage_error(c->name, _("--%s needs a value: %s"), o->name, o->choices);
	return cli_usage_error(c->name, _("--%s needs a value (%s); for example: docctl %s"), o->name, o->arg,
			       o->example ? o->example : c->name);
}

/* One option as getopt returned it: CLI_RUN, or an exit code. */
static int take(const cli_command *c, size_t n, int key, char **argv, cli_option_fn set, void *args, unsigned char *given)
{
	const cli_option *o;
	int rc;

	if (key == HELP_KEY) {
		cli_command_help(stdout, c);
		return EXIT_OK;
	}
	if (key == '?' && optopt >= LONG_KEY && (o = row_of(c, n, optopt)))
		return cli_usage_error(c->name, _("--%s takes no value"), o->name);
	if (key == '?')
		return unknown_option(c, optopt && optopt < LONG_KEY ? (char[]){ '-', (char)optopt, 0 } : argv[optind - 1]);
	if (key == ':')
		return missing_value(c, row_of(c, n, optopt));
	if (!(o = row_of(c, n, key)))
		return unknown_option(c, argv[optind - 1]);
	if (o->choices && !is_choice(o->choices, optarg))
		return cli_usage_error(c->name, _("--%s takes %s, not '%s'"), o->name, o->choices, cli_esc(optarg));
	given[o - c->options] = 1;
	if (!set || (rc = set(args, o, o->arg ? optarg : NULL)) == 0)
		return CLI_RUN;
	return rc;
}

int cli_parse(const cli_command *c, int argc, char **argv, cli_option_fn set, void *args, int *first)
{
	struct option lo[OPTIONS_MAX + 2];
	char so[3 * OPTIONS_MAX + 4];
	unsigned char given[OPTIONS_MAX] = { 0 };
	size_t n = count_rows(c), i;
	int key, rc, nops;

	if (getopt_tables(c, lo, so, n) < 0)
		return cli_usage_error(c->name, _("too many options in the table")); /* a programming error */
	optind = 0; /* GNU: start afresh */
	opterr = 0;
	while ((key = getopt_long(argc, argv, so, lo, NULL)) != -1)
		if ((rc = take(c, n, key, argv, set, args, given)) != CLI_RUN)
			return rc;
	for (i = 0; i < n; i++)
		if ((c->options[i].flags & CLI_REQUIRED) && !given[i])
			return cli_usage_error(c->name, _("give --%s %s"), c->options[i].name,
					       c->options[i].choices ? c->options[i].choices : c->options[i].arg);
	nops = argc - optind;
	if (nops < c->min_operands)
		return cli_usage_error(c->name, _("missing %s"), c->operands);
	if (c->max_operands >= 0 && nops > c->max_operands)
		return cli_usage_error(c->name, _("unexpected argument '%s'"), cli_esc(argv[optind + c->max_operands]));
	*first = optind;
	return CLI_RUN;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	const cli_command *c = cli_command_find(cmd);
	va_list ap;

	fprintf(stderr, _("docctl %s: "), cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c)
		cli_command_usage(stderr, c);
	return EXIT_FATAL;
}
