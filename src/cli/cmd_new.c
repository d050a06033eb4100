/*
 * cmd_new.c - `docctl new TYPE --title T`: the next free id of the type (or
 * --id), a file ID-slug.md in the type's folder with the front-matter filled
 * in and the type's sections as headings, status draft, the scheme's first
 * revision. The file it would write is checked first: when the type needs
 * more (an external document's source, a field the schema requires), new
 * writes nothing and names the option that gives it.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "authoring.h"
#include "buf.h"
#include "check.h"
#include "attach.h"
#include "cli.h"
#include "i18n.h"
#include "json.h"
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

/* Extra fields given on the command line, in the order given. */
typedef struct {
	const char *field, *value;
} new_field;

#define NEW_FIELDS_MAX 32

typedef struct {
	const char *type, *title, *owner, *id, *prefix;
	new_field fields[NEW_FIELDS_MAX];
	size_t nfields;
	const char *files[NEW_FIELDS_MAX]; /* --file: attachments (reference §9.3) */
	size_t nfiles;
} new_args;

static int add_field(new_args *a, const char *field, const char *value)
{
	if (a->nfields == NEW_FIELDS_MAX)
		return cli_usage_error("new", "too many fields");
	a->fields[a->nfields++] = (new_field){ field, value };
	return 0;
}

static int parse_args(new_args *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "owner", required_argument, NULL, 'o' },
		{ "id", required_argument, NULL, 'i' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "source", required_argument, NULL, 's' },
		{ "source-version", required_argument, NULL, 'v' },
		{ "set", required_argument, NULL, 'S' },
		{ "file", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	char *eq;
	int ch, rc = 0;

	memset(a, 0, sizeof(*a));
	while (rc == 0 && (ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't': a->title = optarg; break;
		case 'o': a->owner = optarg; break;
		case 'i': a->id = optarg; break;
		case 'p': a->prefix = optarg; break;
		case 's': rc = add_field(a, "source", optarg); break;
		case 'v': rc = add_field(a, "source_version", optarg); break;
		case 'S':
			if (!(eq = strchr(optarg, '=')) || eq == optarg)
				return cli_usage_error("new", "--set takes FIELD=VALUE, for example --set department=客服部");
			*eq = '\0';
			rc = add_field(a, optarg, eq + 1);
			break;
		case 'F':
			if (a->nfiles == NEW_FIELDS_MAX)
				return cli_usage_error("new", "too many files");
			a->files[a->nfiles++] = optarg;
			break;
		default: return cli_usage_error("new", "unknown option");
		}
	}
	if (rc)
		return rc;
	if (optind != argc - 1 || !a->title || !*a->title)
		return cli_usage_error("new", "name a type and give a --title");
	if (a->id && a->prefix)
		return cli_usage_error("new", "give --id or --prefix, not both");
	a->type = argv[optind];
	return 0;
}

/* The option of `new` that gives a field, for the advice. */
static const char *option_for(const char *field)
{
	if (!strcmp(field, "source"))
		return "--source";
	if (!strcmp(field, "source_version"))
		return "--source-version";
	return NULL;
}

/* The first "quoted" word of a message (schema.required names the field so). */
static int quoted(const char *msg, char *out, size_t size)
{
	const char *a = strchr(msg, '"'), *b = a ? strchr(a + 1, '"') : NULL;

	if (!b || (size_t)(b - a - 1) >= size || b == a + 1)
		return -1;
	memcpy(out, a + 1, (size_t)(b - a - 1));
	out[b - a - 1] = '\0';
	return 0;
}

/*
 * Checks the file `new` would write as `check` checks one document; on an
 * error prints the findings and what to give, and returns EXIT_FINDINGS.
 */
static int check_before_writing(const cli_project *proj, const dc_check_opts *o, const char *rel, const dc_buf *text,
				const new_args *a)
{
	dc_buf more = DC_BUF_INIT;
	dc_docinfo info;
	dc_arena keep;
	dc_diags diags;
	dc_doc doc;
	size_t i;
	int rc;

	dc_doc_init(&doc);
	dc_diags_init(&diags);
	dc_arena_init(&keep);
	memset(&info, 0, sizeof(info));
	rc = dc_doc_parse(&doc, rel, text->ptr, text->len, 0, &diags);
	if (rc == 0 && doc.root)
		rc = dc_check_document(&info, &keep, proj->project, &doc, o, &diags);
	if (rc < 0) {
		rc = cli_fail("new failed");
	} else if (dc_diags_errors(&diags, 0)) {
		dc_diags_sort(&diags);
		fprintf(stderr, "docctl: new: the new %s would not pass check, so nothing was written:\n", cli_esc(a->type));
		cli_print_diags(stderr, &diags, FORMAT_TEXT, 0);
		for (i = 0; i < diags.n; i++) {
			const dc_diag *g = &diags.items[i];
			char field[64];
			const char *opt;

			if (strcmp(g->rule->name, "schema.required") || quoted(g->message, field, sizeof(field)) < 0)
				continue;
			if ((opt = option_for(field)))
				dc_buf_printf(&more, " %s \"...\"", opt);
			else
				dc_buf_printf(&more, " --set %s=...", field);
		}
		if (more.len)
			fprintf(stderr, "hint: give what is missing: docctl new %s --title \"%s\"%s\n", cli_esc(a->type), cli_esc(a->title), more.ptr);
		rc = EXIT_FINDINGS;
	}
	dc_buf_dispose(&more);
	dc_diags_dispose(&diags);
	dc_arena_dispose(&keep);
	dc_doc_dispose(&doc);
	dc_arena_dispose(&doc.arena);
	return rc;
}

static int pick_owner(const cli_project *proj, const char **owner)
{
	const dc_policy *p = proj->project->policy;

	if (!*owner) {
		char *email = cli_user_email(proj->repo);
		const dc_person *me = email ? dc_policy_person_by_email(p, email) : NULL;

		free(email);
		if (!me) {
			fprintf(stderr, "docctl: new: your user.email is not a person of docctl.yaml; say who owns it with --owner\n");
			return EXIT_FATAL;
		}
		*owner = me->key;
	} else if (!dc_policy_person(p, *owner)) {
		fprintf(stderr, "docctl: new: owner \"%s\" is not a person of docctl.yaml\n", *owner);
		return EXIT_FATAL;
	}
	return 0;
}

/* --id ID: it must be of the type and free. */
static int check_given_id(const dc_docset *set, const dc_policy *p, const dc_type *t, const char *id)
{
	const dc_type *of = dc_policy_type_for_id(p, id);
	int dups;

	if (of != t) {
		fprintf(stderr, "docctl: new: id \"%s\" does not match the ids of type %s (%s)%s%s\n", cli_esc(id), t->name, t->id.pattern,
			of ? "; it is an id of type " : "", of ? of->name : "");
		return EXIT_FATAL;
	}
	if (dc_docset_by_id(set, id, &dups)) {
		fprintf(stderr, "docctl: new: id \"%s\" is taken already; leave --id out and docctl takes the next free one\n", cli_esc(id));
		return EXIT_FINDINGS;
	}
	return 0;
}

/* `--file PATH`: each attachment (reference §9.3), a path relative to the
 * project root in the new document's folder or below it, or relative to
 * that folder; it must exist. Appends `files: [...]` to the front-matter. */
static int files_line(dc_buf *text, const cli_project *proj, const dc_policy *p, const char *folder, const new_args *a)
{
	dc_buf entry = DC_BUF_INIT, path = DC_BUF_INIT, full = DC_BUF_INIT, probe = DC_BUF_INIT;
	size_t i, n = strlen(folder);
	struct stat st;
	const char *why;
	int rc = 0;

	dc_buf_puts(text, "files: [");
	dc_buf_printf(&probe, "%s/x.md", folder);
	for (i = 0; i < a->nfiles && rc == 0; i++) {
		const char *f = a->files[i];

		dc_buf_clear(&entry);
		dc_buf_puts(&entry, !strncmp(f, folder, n) && f[n] == '/' ? f + n + 1 : f);
		if (dc_file_path(&path, p, probe.ptr, entry.ptr, &why) != 0) {
			fprintf(stderr, _("docctl: new: --file %s %s; name a file in %s or below it\n"), cli_esc(f), _(why), folder);
			rc = EXIT_FATAL;
			break;
		}
		dc_buf_clear(&full);
		dc_buf_printf(&full, "%s/%s", proj->root, path.ptr);
		if (stat(full.ptr, &st) < 0 || !S_ISREG(st.st_mode)) {
			fprintf(stderr, _("docctl: new: --file %s: there is no file %s; put the file there first\n"), cli_esc(f),
				cli_esc(path.ptr));
			rc = EXIT_FATAL;
			break;
		}
		if (i)
			dc_buf_puts(text, ", ");
		dc_json_cstr(text, entry.ptr);
	}
	dc_buf_puts(text, "]\n");
	dc_buf_dispose(&entry);
	dc_buf_dispose(&path);
	dc_buf_dispose(&full);
	dc_buf_dispose(&probe);
	return rc;
}

int cmd_new(int argc, char **argv)
{
	new_args a;
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
	int rc;

	if ((rc = parse_args(&a, argc, argv)) != 0)
		return rc;
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
	if (!(t = dc_policy_type(p, a.type))) {
		fprintf(stderr, "docctl: new: \"%s\" is not a type of docctl.yaml\n", a.type);
		rc = EXIT_FATAL;
		goto cleanup;
	}
	memset(&o, 0, sizeof(o));
	if ((rc = cli_as_of("new", &o.today, NULL)) != 0)
		goto cleanup;
	if (dc_check_all(proj.project, &o, &set, &diags) < 0) {
		rc = cli_fail("new failed");
		goto cleanup;
	}
	if (a.id) {
		if ((rc = check_given_id(&set, p, t, a.id)) != 0 || !(id = strdup(a.id)))
			goto cleanup;
	} else if (dc_next_id(&id, proj.repo, proj.prefix, p, t, &set, a.prefix) < 0) {
		fprintf(stderr, "docctl: new: %s\n", dc_error_last());
		rc = EXIT_FATAL;
		goto cleanup;
	}
	if ((rc = pick_owner(&proj, &a.owner)) != 0)
		goto cleanup;
	dc_type_folder(&folder, p, t, &set);
	dc_slug(&slug, a.title);
	dc_buf_printf(&rel, "%s/%s%s%s.md", folder.ptr, id, slug.len ? "-" : "", slug.ptr);
	dc_buf_printf(&full, "%s/%s", proj.root, rel.ptr);
	if (lstat(full.ptr, &st) == 0) {
		fprintf(stderr, "docctl: new: '%s' exists already\n", cli_esc(rel.ptr));
		rc = EXIT_FINDINGS;
		goto cleanup;
	}
	r = dc_revision_first(p->scheme);
	dc_revision_format(p->scheme, &r, first, sizeof(first));
	dc_buf_printf(&text, "---\nid: %s\ntitle: x\ntype: %s\nrevision: %s\nstatus: draft\nowner: %s\n", id, t->name, first,
		      a.owner);
	if (a.nfiles && (rc = files_line(&text, &proj, p, folder.ptr, &a)) != 0)
		goto cleanup;
	dc_buf_printf(&text, "---\n# %s\n", a.title);
	for (i = 0; i < t->nsections; i++) {
		dc_section_title(&heading, t->sections[i].pattern);
		dc_buf_printf(&text, "\n## %zu %s\n", i + 1, heading.ptr);
	}
	/* values go through the editor so they are quoted where YAML needs it */
	rc = dc_fm_set(&text, rel.ptr, "title", a.title);
	if (rc == 0 && p->scheme == DC_SCHEME_INTEGER)
		rc = dc_fm_set_int(&text, rel.ptr, "revision", r.major);
	for (i = 0; rc == 0 && i < a.nfields; i++)
		rc = dc_fm_set(&text, rel.ptr, a.fields[i].field, a.fields[i].value);
	if (rc < 0) {
		rc = cli_fail("new failed");
		goto cleanup;
	}
	if ((rc = check_before_writing(&proj, &o, rel.ptr, &text, &a)) != 0)
		goto cleanup;
	if (mkdirs(full.ptr) < 0 || dc_file_write_atomic(full.ptr, text.ptr, text.len) < 0) {
		rc = cli_fail("new failed");
		goto cleanup;
	}
	printf("%s\n", cli_esc(rel.ptr));
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
