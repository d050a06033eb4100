/*
 * commands.h - each command's handler and option table, defined in its
 * cmd_*.c (as git's builtin.h declares each cmd_*); commands.c puts them
 * in the one table of commands, which main.c hands to options.c.
 */
#ifndef DC_CLI_COMMANDS_H
#define DC_CLI_COMMANDS_H

#include "options.h"

/* The table, in the order of `docctl --help`, ended by a row without a name. */
extern const cli_command cli_command_table[];

int cmd_check(const cli_command *cmd, int argc, char **argv);
int cmd_init(const cli_command *cmd, int argc, char **argv);
int cmd_hook(const cli_command *cmd, int argc, char **argv);
int cmd_new(const cli_command *cmd, int argc, char **argv);
/* approve, obsolete, review and revise (cmd_edit.c), told apart by cmd->name */
int cmd_edit(const cli_command *cmd, int argc, char **argv);
int cmd_register(const cli_command *cmd, int argc, char **argv);
int cmd_history(const cli_command *cmd, int argc, char **argv);
int cmd_show(const cli_command *cmd, int argc, char **argv);
int cmd_review_due(const cli_command *cmd, int argc, char **argv);
int cmd_publish(const cli_command *cmd, int argc, char **argv);
/* release and training (reference §10): cmd_ack.c, cmd_training.c */
int cmd_ack(const cli_command *cmd, int argc, char **argv);
int cmd_training(const cli_command *cmd, int argc, char **argv);
/* `feedback new|decide|list` (cmd_feedback.c, reference §11) */
int cmd_feedback(const cli_command *cmd, int argc, char **argv);
int cmd_feedback_new(const cli_command *cmd, int argc, char **argv);
int cmd_feedback_decide(const cli_command *cmd, int argc, char **argv);
int cmd_feedback_list(const cli_command *cmd, int argc, char **argv);
int cmd_complete(const cli_command *cmd, int argc, char **argv);

extern const cli_option check_options[];
extern const cli_option init_options[];
extern const cli_option new_doc_options[];
extern const cli_option approve_options[];
extern const cli_option obsolete_options[];
extern const cli_option review_options[];
extern const cli_option revise_options[];
extern const cli_option register_options[];
extern const cli_option history_options[];
extern const cli_option show_options[];
extern const cli_option review_due_options[];
extern const cli_option publish_options[];
extern const cli_option ack_options[];
extern const cli_option training_options[];
extern const cli_option feedback_new_options[], feedback_decide_options[], feedback_list_options[];

#endif
