/*
 * cmd_publish.c - `docctl publish --out DIR`: the static HTML site of the
 * protected branch for the people who are not git users (see site.h).
 */
#include <string.h>

#include "cli.h"
#include "feedback.h"
#include "register.h"
#include "training.h"
#include "site.h"

typedef struct {
	cli_read_args read;
	const char *out;
	int confidential;
} publish_args;

int cmd_publish(const cli_command *cmd, int argc, char **argv)
{
	publish_args a = { { FORMAT_TEXT, NULL, NULL }, NULL, 0 };
	dc_site_opts so;
	dc_site_stats st;
	dc_register reg;
	dc_training tr;
	dc_fb_open fb;
	cli_branch b;
	dc_date today;
	char hex[13];
	int rc, first;

	if ((rc = cli_parse(cmd, argc, argv, cli_read_option, &a, &first)) != CLI_RUN)
		return rc;
	if (!*a.out)
		return cli_usage_error("publish", _("say where the site goes: --out DIR"));
	if ((rc = cli_branch_open_as_of(&b, "publish", &a.read, &today, NULL)) != 0)
		return rc;
	so = (dc_site_opts){ .out_dir = a.out, .include_confidential = a.confidential, .refname = b.refname,
			     .prefix = b.prefix, .commit = &b.commit, .today = today, .feedback = &fb };
	dc_training_init(&tr);
	dc_fb_open_init(&fb);
	if (cli_branch_register(&reg, &b, &today, 1) < 0 ||
	    (b.project->policy->training.present && cli_training_load(&tr, &b, &reg) < 0)) {
		rc = cli_fail(_("cannot build the register"));
	} else if (dc_fb_open_load(&fb, b.repo, b.project->policy) < 0) {
		rc = cli_fail(_("cannot read the feedback ref"));
	} else if (dc_register_feedback(&reg, &fb), (so.training = b.project->policy->training.present ? &tr : NULL),
		   dc_site_publish(&st, b.repo, b.src, b.project->policy, &reg, &so) < 0) {
		rc = cli_fail(_("cannot publish"));
	} else {
		git_oid_tostr(hex, sizeof(hex), &b.commit);
		fprintf(stderr, P_("docctl: published %zu document", "docctl: published %zu documents", st.pages), st.pages);
		fprintf(stderr, _(" (%zu obsolete, in the archive) from %s @ %s into %s"), st.archived, cli_esc(b.refname), hex,
			cli_esc(a.out));
		if (st.withheld)
			fprintf(stderr, _("; %zu left out (confidential, or not in force yet)"), st.withheld);
		if (st.files)
			fprintf(stderr, P_("; %zu linked file copied", "; %zu linked files copied", st.files), st.files);
		if (st.removed)
			fprintf(stderr, P_("; %zu stale file removed", "; %zu stale files removed", st.removed), st.removed);
		fprintf(stderr, "\n");
		if (st.links_capped)
			fprintf(stderr, _("docctl: publish: warning: %s has more than %d links to files; the %zu after them lost "
				"their target: split the document\n"), cli_esc(st.capped_id), DC_SITE_FILE_LINKS_MAX,
				st.links_capped);
	}
	dc_training_dispose(&tr);
	dc_fb_open_dispose(&fb);
	dc_register_dispose(&reg);
	cli_branch_close(&b);
	return rc;
}

const cli_option publish_options[] = {
	{ "out", 0, "DIR", NULL, N_("the folder the site is written to (made when missing)"), "publish --out /srv/www/docs",
	  CLI_REQUIRED | CLI_STRING(publish_args, out) },
	{ "include-confidential", 0, NULL, NULL, N_("publish confidential documents too (an internal site only)"),
	  "publish --out site --include-confidential", CLI_FLAG(publish_args, confidential) },
	CLI_OPT_REV("publish --out site --rev v2026.1"),
	CLI_OPT_AS_OF("publish --out site --as-of 2027-01-01"),
	CLI_OPTIONS_END,
};
