/*
 * cmd_complete.c - `docctl __complete ids|types|people`: what the shell
 * completions (completions/) offer after a command, one word a line: the
 * ids of the documents of the working tree, the types and the person ids
 * of the policy. Internal and quiet: when there is no project, or its
 * policy is broken, it prints nothing and exits 1.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int print_ids(cli_project *p)
{
	dc_docset set;
	dc_diags diags;
	dc_check_opts o;
	const char *last = NULL;
	size_t i;
	int rc = EXIT_OK;

	dc_docset_init(&set);
	dc_diags_init(&diags);
	memset(&o, 0, sizeof(o));
	o.today = dc_date_today();
	if (dc_check_all(p->project, &o, &set, &diags) < 0) {
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
	dc_diags_dispose(&diags);
	dc_docset_dispose(&set);
	return rc;
}

int cmd_complete(int argc, char **argv)
{
	const dc_policy *pol;
	cli_project p;
	dc_diags diags;
	size_t i;
	int rc = EXIT_OK;

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
	} else {
		rc = EXIT_FATAL;
	}
	dc_diags_dispose(&diags);
	cli_project_close(&p);
	return rc;
}
