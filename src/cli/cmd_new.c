/*
 * cmd_new.c - `docctl new TYPE --title T [--owner P]`: the next free id of
 * the type, a file ID-slug.md in the type's folder with the front-matter
 * filled in and the type's sections as headings, status draft, the scheme's
 * first revision.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "authoring.h"
#include "buf.h"
#include "check.h"
#include "cli.h"
#include "error.h"
#include "fm_edit.h"
#include "revision.h"

static int mkdirs(const char *path)
{
	dc_buf p = DC_BUF_INIT;
	char *s;
	int rc = 0;

	dc_buf_puts(&p, path);
	for (s = strchr(p.ptr + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p.ptr, 0777);
		*s = '/';
	}
	dc_buf_dispose(&p);
	return rc;
}

int cmd_new(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "owner", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *owner = NULL;
	cli_project proj;
	dc_diags diags;
	dc_docset set;
	dc_check_opts o;
	dc_buf folder = DC_BUF_INIT, slug = DC_BUF_INIT, rel = DC_BUF_INIT, full = DC_BUF_INIT, text = DC_BUF_INIT,
	       heading = DC_BUF_INIT;
	const dc_type *t;
	const dc_policy *p;
	char *id = NULL, first[32];
	dc_revision r;
	struct stat st;
	size_t i;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': title = optarg; break;
		case 'o': owner = optarg; break;
		default: return cli_usage_error("new", "bad option");
		}
	}
	if (optind != argc - 1 || !title || !*title)
		return cli_usage_error("new", "name a type and give a --title");
	dc_diags_init(&diags);
	dc_docset_init(&set);
	rc = cli_project_open(&proj, NULL, &diags);
	if (rc != 0) {
		rc = rc < 0 ? cli_fail("cannot open the project") : EXIT_FATAL;
		if (rc == EXIT_FATAL && diags.n) {
			dc_diags_sort(&diags);
			cli_print_diags(stderr, &diags, FORMAT_TEXT, 0);
		}
		goto cleanup;
	}
	p = proj.project->policy;
	if (!(t = dc_policy_type(p, argv[optind]))) {
		fprintf(stderr, "docctl: new: \"%s\" is not a type of docctl.yaml\n", argv[optind]);
		rc = EXIT_FATAL;
		goto cleanup;
	}
	memset(&o, 0, sizeof(o));
	o.today = dc_date_today();
	if (dc_check_all(proj.project, &o, &set, &diags) < 0 ||
	    dc_next_id(&id, proj.repo, proj.prefix, p, t, &set) < 0) {
		rc = cli_fail("new failed");
		goto cleanup;
	}
	if (!owner) {
		char *email = cli_user_email(proj.repo);
		const dc_person *me = email ? dc_policy_person_by_email(p, email) : NULL;

		free(email);
		if (!me) {
			fprintf(stderr, "docctl: new: your user.email is not a person of docctl.yaml; say who owns it with --owner\n");
			rc = EXIT_FATAL;
			goto cleanup;
		}
		owner = me->key;
	} else if (!dc_policy_person(p, owner)) {
		fprintf(stderr, "docctl: new: owner \"%s\" is not a person of docctl.yaml\n", owner);
		rc = EXIT_FATAL;
		goto cleanup;
	}
	dc_type_folder(&folder, p, t, &set);
	dc_slug(&slug, title);
	dc_buf_printf(&rel, "%s/%s%s%s.md", folder.ptr, id, slug.len ? "-" : "", slug.ptr);
	dc_buf_printf(&full, "%s/%s", proj.root, rel.ptr);
	if (lstat(full.ptr, &st) == 0) {
		fprintf(stderr, "docctl: new: '%s' exists already\n", rel.ptr);
		rc = EXIT_FINDINGS;
		goto cleanup;
	}
	r = dc_revision_first(p->scheme);
	dc_revision_format(p->scheme, &r, first, sizeof(first));
	dc_buf_printf(&text, "---\nid: %s\ntitle: x\ntype: %s\nrevision: %s\nstatus: draft\nowner: %s\n---\n# %s\n",
		      id, t->name, first, owner, title);
	for (i = 0; i < t->nsections; i++) {
		dc_section_title(&heading, t->sections[i].pattern);
		dc_buf_printf(&text, "\n## %zu %s\n", i + 1, heading.ptr);
	}
	/* the title goes through the editor so it is quoted where YAML needs it */
	if (dc_fm_set(&text, rel.ptr, "title", title) < 0 ||
	    (p->scheme == DC_SCHEME_INTEGER && dc_fm_set_int(&text, rel.ptr, "revision", r.major) < 0) ||
	    mkdirs(full.ptr) < 0 || dc_file_write_atomic(full.ptr, text.ptr, text.len) < 0) {
		rc = cli_fail("new failed");
		goto cleanup;
	}
	printf("%s\n", rel.ptr);
	rc = EXIT_OK;
cleanup:
	free(id);
	dc_buf_dispose(&folder);
	dc_buf_dispose(&slug);
	dc_buf_dispose(&rel);
	dc_buf_dispose(&full);
	dc_buf_dispose(&text);
	dc_buf_dispose(&heading);
	dc_docset_dispose(&set);
	dc_diags_dispose(&diags);
	cli_project_close(&proj);
	return rc;
}
