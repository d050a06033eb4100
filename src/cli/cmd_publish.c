/*
 * cmd_publish.c - `docctl publish --out DIR`: the static HTML site of the
 * protected branch for the people who are not git users (see site.h).
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "register.h"
#include "training.h"
#include "site.h"

int cmd_publish(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "include-confidential", no_argument, NULL, 'c' },
		{ "rev", required_argument, NULL, 'r' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rev = NULL, *as_of = NULL, *out = NULL;
	dc_register_opts ro;
	dc_site_opts so;
	dc_site_stats st;
	dc_register reg;
	dc_training tr;
	cli_branch b;
	dc_date today;
	char hex[13];
	int c, rc, confidential = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'c': confidential = 1; break;
		case 'r': rev = optarg; break;
		case 'a': as_of = optarg; break;
		case 'h': return cli_help("publish");
		default: return cli_usage_error("publish", "bad option");
		}
	}
	if (!out || !*out)
		return cli_usage_error("publish", "say where the site goes: --out DIR");
	if (optind != argc)
		return cli_usage_error("publish", "unexpected argument '%s'", argv[optind]);
	if ((rc = cli_as_of("publish", &today, as_of)) != 0)
		return rc;
	if ((rc = cli_branch_open(&b, "publish", rev, &today, NULL)) != 0) {
		cli_branch_close(&b);
		return rc;
	}
	memset(&ro, 0, sizeof(ro));
	ro.repo = b.repo;
	ro.tip = &b.commit;
	ro.prefix = b.prefix;
	ro.today = today;
	ro.all_histories = 1;
	ro.verify = 1;
	memset(&so, 0, sizeof(so));
	so.out_dir = out;
	so.include_confidential = confidential;
	so.refname = b.refname;
	so.prefix = b.prefix;
	so.commit = &b.commit;
	so.today = today;
	dc_training_init(&tr);
	if (dc_register_build(&reg, b.project->policy, &b.set, &ro) < 0 ||
	    (b.project->policy->training.present && cli_training_load(&tr, &b, &reg) < 0)) {
		rc = cli_fail("cannot build the register");
	} else if ((so.training = b.project->policy->training.present ? &tr : NULL),
		   dc_site_publish(&st, b.repo, b.src, b.project->policy, &reg, &so) < 0) {
		rc = cli_fail("cannot publish");
	} else {
		git_oid_tostr(hex, sizeof(hex), &b.commit);
		fprintf(stderr, "docctl: published %zu document%s (%zu obsolete, in the archive) from %s @ %s into %s",
			st.pages, st.pages == 1 ? "" : "s", st.archived, cli_esc(b.refname), hex, cli_esc(out));
		if (st.withheld)
			fprintf(stderr, "; %zu left out (confidential, or not in force yet)", st.withheld);
		if (st.files)
			fprintf(stderr, "; %zu linked file%s copied", st.files, st.files == 1 ? "" : "s");
		if (st.removed)
			fprintf(stderr, "; %zu stale file%s removed", st.removed, st.removed == 1 ? "" : "s");
		fprintf(stderr, "\n");
		if (st.links_capped)
			fprintf(stderr, "docctl: publish: warning: %s has more than %d links to files; the %zu after them lost "
				"their target: split the document\n", cli_esc(st.capped_id), DC_SITE_FILE_LINKS_MAX,
				st.links_capped);
	}
	dc_training_dispose(&tr);
	dc_register_dispose(&reg);
	cli_branch_close(&b);
	return rc;
}
