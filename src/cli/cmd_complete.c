/*
 * cmd_complete.c - `docctl __complete WHAT`: what the shell completions
 * (completions/) offer, one a line. From the command tables (options.h):
 * `commands` (NAME<TAB>summary), `options CMD` (--NAME<TAB>ARG<TAB>help,
 * ARG the choices "a|b", the argument's name, or empty for a flag) and
 * `operands CMD` (its usage after the options). From the project: `ids`
 * (the documents of the working tree), `types` and `people` (the policy's),
 * `feedback` (the items of the feedback ref a decision can still move:
 * open or accepted).
 * Internal and quiet: when there is no project, or its policy is broken,
 * it prints nothing and exits 1.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "feedback.h"

static int print_ids(cli_project *p)
{
	dc_docset set;
	dc_date today;
	const char *last = NULL;
	size_t i;
	int rc = EXIT_OK;

	dc_docset_init(&set);
	if (dc_today(&today, NULL) < 0)
		today = dc_date_today();
	if (cli_project_read_docs(&set, p->project, &today) < 0) {
		rc = EXIT_FINDINGS;
		goto cleanup;
	}
	/* sorted by path, so an id held by two files comes once only when the
	 * two are neighbours; the shell drops the other duplicates */
	for (i = 0; i < set.n; i++) {
		const char *id = set.docs[i].id;

		if (!id || !*id || (last && !strcmp(last, id)))
			continue;
		printf("%s\n", id);
		last = id;
	}
cleanup:
	dc_docset_dispose(&set);
	return rc;
}

static int print_decidable(void *arg, const dc_feedback *f)
{
	(void)arg;
	if (f->status == DC_FB_OPEN || f->status == DC_FB_ACCEPTED)
		printf("%s\n", f->id);
	return 0;
}

/* The words of the command tables: 0, or 2 for an unknown request. */
static int print_table(const char *what, const char *name)
{
	const cli_command *c = name ? cli_command_find(name) : NULL;
	const cli_command *k;
	const cli_option *o;

	if (!strcmp(what, "commands")) {
		for (k = cli_commands(); k->name; k++)
			if (!k->internal)
				printf("%s\t%s\n", k->name, _(k->summary));
		return EXIT_OK;
	}
	if (!c)
		return EXIT_FATAL;
	if (!strcmp(what, "operands")) {
		printf("%s\n", c->operands);
		return EXIT_OK;
	}
	for (o = c->options; o && o->name; o++)
		printf("--%s\t%s\t%s\n", o->name, o->choices ? o->choices : o->arg ? o->arg : "", _(o->help));
	printf("--help\t\t%s\n", _("show this help: usage, options and examples"));
	return EXIT_OK;
}

int cmd_complete(const cli_command *cmd, int argc, char **argv)
{
	const dc_policy *pol;
	cli_project p;
	dc_diags diags;
	size_t i;
	int rc = EXIT_OK;

	(void)cmd;
	if (argc < 2 || argc > 3)
		return EXIT_FATAL;
	if (!strcmp(argv[1], "commands") || !strcmp(argv[1], "options") || !strcmp(argv[1], "operands"))
		return print_table(argv[1], argc == 3 ? argv[2] : NULL);
	if (argc != 2)
		return EXIT_FATAL;
	dc_diags_init(&diags);
	if (cli_project_open(&p, NULL, &diags) != 0) {
		dc_diags_dispose(&diags);
		cli_project_close(&p);
		return EXIT_FINDINGS;
	}
	pol = p.project->policy;
	if (!strcmp(argv[1], "ids")) {
		rc = print_ids(&p);
	} else if (!strcmp(argv[1], "types")) {
		for (i = 0; i < pol->ntypes; i++)
			printf("%s\n", pol->types[i].name);
	} else if (!strcmp(argv[1], "people")) {
		for (i = 0; i < pol->npeople; i++)
			printf("%s\n", pol->people[i].key);
	} else if (!strcmp(argv[1], "feedback")) {
		if (!p.repo || dc_feedback_each(p.repo, pol, NULL, print_decidable, NULL) < 0)
			rc = EXIT_FINDINGS;
	} else {
		rc = EXIT_FATAL;
	}
	dc_diags_dispose(&diags);
	cli_project_close(&p);
	return rc;
}
