/*
 * options.h - the table of a command: its options, operands, help and
 * examples, in one place. The same rows drive parsing (cli_parse), `docctl
 * CMD --help` and `docctl help CMD`, the usage line of a usage error, the
 * unknown-option message with its suggestion, and the shell completions
 * (`docctl __complete options CMD`). docs/development.md says how to add a
 * command or an option.
 */
#ifndef DC_CLI_OPTIONS_H
#define DC_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* cli_option.flags */
enum {
	CLI_REQUIRED = 1,         /* the command refuses to run without it */
	CLI_STORE_FLAG = 2,       /* CLI_FLAG below */
	CLI_STORE_STRING = 4,     /* CLI_STRING below */
};

/*
 * A row whose value goes straight into the command's args struct, as git's
 * OPT_BOOL and OPT_STRING do; the option callback is not called for it.
 * In the row's flags (with | CLI_REQUIRED where it is): CLI_FLAG(type,
 * field) sets the int field to 1, CLI_STRING(type, field) points the const
 * char * field at the value. The field's offset is kept in the flags' upper
 * bits; a field of another type does not compile.
 */
#define CLI_STORE_SHIFT 8
#define CLI_FLAG(type, field) \
	(CLI_STORE_FLAG | _Generic(((type *)0)->field, int: (int)offsetof(type, field) << CLI_STORE_SHIFT))
#define CLI_STRING(type, field) \
	(CLI_STORE_STRING | _Generic(((type *)0)->field, const char *: (int)offsetof(type, field) << CLI_STORE_SHIFT))

/* One option of a command. Text marked N_() is translated where printed. */
typedef struct {
	const char *name;         /* long name, without "--" */
	char letter;              /* short name, 0 for none */
	const char *arg;          /* the argument's name ("REV"), NULL for a flag */
	const char *choices;      /* the values it takes ("text|json"), NULL when free */
	const char *help;         /* N_(): what it does, one line */
	const char *example;      /* a command line using it, without "docctl " */
	int flags;
} cli_option;

/* The end of an option table. */
#define CLI_OPTIONS_END { NULL, 0, NULL, NULL, NULL, NULL, 0 }

typedef struct cli_command cli_command;

/* One command, a row of the table in commands.c. Adding one: its handler
 * and option table in a cmd_*.c, declared in commands.h, and its row;
 * adding an option: a row in its option table and a branch in its option
 * handler. */
struct cli_command {
	const char *name;
	int (*run)(const cli_command *cmd, int argc, char **argv);
	const char *operands;     /* the usage after the options: "ID", "[PATH...]" */
	int min_operands, max_operands; /* max -1: any number */
	const char *summary;      /* N_(): one line for `docctl --help` */
	const char *about;        /* N_(): what the command does, for CMD --help */
	const cli_option *options;
	const char *const *examples; /* NULL-terminated command lines, without "docctl " */
	int internal;             /* not listed by `docctl --help` */
};

/* The table of commands, ended by a row without a name: main.c hands
 * commands.c's over at start (so that options.c and the commands, which
 * look commands up, do not depend on the table that refers to them). */
void cli_commands_set(const cli_command *table);
const cli_command *cli_commands(void);
const cli_command *cli_command_find(const char *name);

/* Called by cli_parse for each option given that is not stored by its row
 * (CLI_FLAG, CLI_STRING), with its row and argument (NULL for a flag).
 * Returns 0, or an exit code that stops the command. */
typedef int (*cli_option_fn)(void *args, const cli_option *o, const char *value);

/* cli_parse's "go on": the command runs. */
#define CLI_RUN (-1)

/*
 * Parses argv (argv[0] is the command's name) against the command's table:
 * stores the value of a CLI_FLAG or CLI_STRING row in `args`, calls `set`
 * (NULL: none) for every other option, checks a value against the row's
 * choices, the required options and the number of operands. --help prints
 * the help.
 * Returns CLI_RUN with the index of the first operand in *first (GNU getopt
 * moves the operands to the end), else the exit code: 0 after --help, 2
 * after a usage error (said on stderr).
 */
int cli_parse(const cli_command *c, int argc, char **argv, cli_option_fn set, void *args, int *first);

/* Whether `o` is the option named `name`. */
int cli_opt_is(const cli_option *o, const char *name);

/* `docctl CMD --help` and `docctl help CMD`. */
void cli_command_help(FILE *out, const cli_command *c);

#endif
