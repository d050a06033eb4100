/*
 * cmd_new.c - `docctl new TYPE --title T`: the next free id of the type (or
 * --id), a file ID-slug.md in the type's folder with the front-matter filled
 * in and the type's sections as headings, status draft, the scheme's first
 * revision. The file it would write is checked first: when the type needs
 * more (an external document's source, a field the schema requires), new
 * writes nothing and names the option that gives it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "attach.h"
#include "authoring.h"
#include "buf.h"
#include "check.h"
#include "cli.h"
#include "error.h"
#include "fm_edit.h"
#include "json.h"
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
		return cli_usage_error("new", _("too many fields"));
	a->fields[a->nfields++] = (new_field){ field, value };
	return 0;
}

static int new_option(void *args, const cli_option *o, const char *value)
{
	new_args *a = args;
	const char *eq;

	if (cli_opt_is(o, "source"))
		return add_field(a, "source", value);
	else if (cli_opt_is(o, "source-version"))
		return add_field(a, "source_version", value);
	else if (cli_opt_is(o, "set")) {
		if (!(eq = strchr(value, '=')) || eq == value)
			return cli_usage_error("new", _("--set takes FIELD=VALUE, for example --set department=客服部"));
		*(char *)eq = '\0'; /* argv is ours to cut */
		return add_field(a, value, eq + 1);
	} else if (cli_opt_is(o, "file")) {
		if (a->nfiles == NEW_FIELDS_MAX)
			return cli_usage_error("new", _("too many files"));
		a->files[a->nfiles++] = value;
	}
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
		rc = cli_fail(_("new failed"));
	} else if (dc_diags_errors(&diags, 0)) {
		dc_diags_sort(&diags);
		fprintf(stderr, _("docctl: new: the new %s would not pass check, so nothing was written:\n"), cli_esc(a->type));
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
			fprintf(stderr, _("hint: give what is missing: docctl new %s --title \"%s\"%s\n"), cli_esc(a->type), cli_esc(a->title), more.ptr);
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
			fprintf(stderr, _("docctl: new: your user.email is not a person of docctl.yaml; say who owns it with --owner\n"));
			return EXIT_FATAL;
		}
		*owner = me->key;
	} else if (!dc_policy_person(p, *owner)) {
		fprintf(stderr, _("docctl: new: owner \"%s\" is not a person of docctl.yaml\n"), *owner);
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
		fprintf(stderr, _("docctl: new: id \"%s\" does not match the ids of type %s (%s)%s%s\n"), cli_esc(id), t->name, t->id.pattern,
			of ? "; it is an id of type " : "", of ? of->name : "");
		return EXIT_FATAL;
	}
	if (dc_docset_by_id(set, id, &dups)) {
		fprintf(stderr, _("docctl: new: id \"%s\" is taken already; leave --id out and docctl takes the next free one\n"), cli_esc(id));
		return EXIT_FINDINGS;
	}
	return 0;
}

/* What `new` works with. */
typedef struct {
	cli_project proj;
	dc_docset set;
	dc_check_opts o;
	const dc_type *type;
	char *id;
	dc_buf rel, full, text;
} new_ctx;

/* Opens the project, finds the type and reads the documents: 0 or an exit code. */
static int new_open(new_ctx *c, const new_args *a)
{
	dc_diags diags;
	int rc;

	dc_diags_init(&diags);
	rc = cli_project_open(&c->proj, NULL, &diags);
	if (rc != 0) {
		rc = rc < 0 ? cli_fail(_("cannot open the project")) : EXIT_FATAL;
		if (rc == EXIT_FATAL && diags.n) {
			dc_diags_sort(&diags);
			cli_print_diags(stderr, &diags, FORMAT_TEXT, 0);
		}
	} else if (!(c->type = dc_policy_type(c->proj.project->policy, a->type))) {
		fprintf(stderr, _("docctl: new: \"%s\" is not a type of docctl.yaml\n"), cli_esc(a->type));
		rc = EXIT_FATAL;
	} else if ((rc = cli_as_of("new", &c->o.today, NULL)) == 0 &&
		   dc_check_all(c->proj.project, &c->o, &c->set, &diags) < 0) {
		rc = cli_fail(_("new failed"));
	}
	dc_diags_dispose(&diags);
	return rc;
}

/* The id (--id, else the next free one) and the file's path: 0 or an exit code. */
static int new_place(new_ctx *c, const new_args *a)
{
	const dc_policy *p = c->proj.project->policy;
	dc_buf folder = DC_BUF_INIT, slug = DC_BUF_INIT;
	struct stat st;
	int rc;

	if (a->id) {
		if ((rc = check_given_id(&c->set, p, c->type, a->id)) != 0)
			return rc;
		if (!(c->id = strdup(a->id)))
			return cli_fail(_("new failed"));
	} else if (dc_next_id(&c->id, c->proj.repo, c->proj.prefix, p, c->type, &c->set, a->prefix) < 0) {
		fprintf(stderr, _("docctl: new: %s\n"), cli_esc(dc_error_last()));
		return EXIT_FATAL;
	}
	dc_type_folder(&folder, p, c->type, &c->set);
	dc_slug(&slug, a->title);
	dc_buf_printf(&c->rel, "%s/%s%s%s.md", folder.ptr, c->id, slug.len ? "-" : "", slug.ptr);
	dc_buf_printf(&c->full, "%s/%s", c->proj.root, c->rel.ptr);
	dc_buf_dispose(&folder);
	dc_buf_dispose(&slug);
	if (lstat(c->full.ptr, &st) == 0) {
		fprintf(stderr, _("docctl: new: '%s' exists already\n"), cli_esc(c->rel.ptr));
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

/* The file's text: front-matter and the type's sections as headings. 0 or -1. */
static int new_text(new_ctx *c, const new_args *a, int *exit_code)
{
	const dc_policy *p = c->proj.project->policy;
	dc_buf heading = DC_BUF_INIT;
	char first[32];
	dc_revision r = dc_revision_first(p->scheme);
	size_t i;
	int rc;

	dc_revision_format(p->scheme, &r, first, sizeof(first));
	dc_buf_printf(&c->text, "---\nid: %s\ntitle: x\ntype: %s\nrevision: %s\nstatus: draft\nowner: %s\n", c->id,
		      c->type->name, first, a->owner);
	if (a->nfiles) {
		dc_buf folder = DC_BUF_INIT;
		const char *slash = strrchr(c->rel.ptr, '/');

		dc_buf_put(&folder, c->rel.ptr, slash ? (size_t)(slash - c->rel.ptr) : 0);
		*exit_code = files_line(&c->text, &c->proj, p, folder.ptr ? folder.ptr : "", a);
		dc_buf_dispose(&folder);
		if (*exit_code)
			return 0;
	}
	dc_buf_printf(&c->text, "---\n# %s\n", a->title);
	for (i = 0; i < c->type->nsections; i++) {
		dc_section_title(&heading, c->type->sections[i].pattern);
		dc_buf_printf(&c->text, "\n## %zu %s\n", i + 1, heading.ptr);
	}
	dc_buf_dispose(&heading);
	/* values go through the editor so they are quoted where YAML needs it */
	rc = dc_fm_set(&c->text, c->rel.ptr, "title", a->title);
	if (rc == 0 && p->scheme == DC_SCHEME_INTEGER)
		rc = dc_fm_set_int(&c->text, c->rel.ptr, "revision", r.major);
	for (i = 0; rc == 0 && i < a->nfields; i++)
		rc = dc_fm_set(&c->text, c->rel.ptr, a->fields[i].field, a->fields[i].value);
	return rc;
}

int cmd_new(const cli_command *cmd, int argc, char **argv)
{
	new_args a;
	new_ctx c;
	int rc, first;

	memset(&a, 0, sizeof(a));
	if ((rc = cli_parse(cmd, argc, argv, new_option, &a, &first)) != CLI_RUN)
		return rc;
	if (!*a.title)
		return cli_usage_error("new", _("give a --title that says what the document is"));
	if (a.id && a.prefix)
		return cli_usage_error("new", _("give --id or --prefix, not both"));
	a.type = argv[first];
	memset(&c, 0, sizeof(c));
	dc_docset_init(&c.set);
	dc_buf_init(&c.rel);
	dc_buf_init(&c.full);
	dc_buf_init(&c.text);
	if ((rc = new_open(&c, &a)) == 0 && (rc = new_place(&c, &a)) == 0 && (rc = pick_owner(&c.proj, &a.owner)) == 0) {
		if (new_text(&c, &a, &rc) < 0)
			rc = cli_fail(_("new failed"));
		else if (rc == 0 && (rc = check_before_writing(&c.proj, &c.o, c.rel.ptr, &c.text, &a)) == 0) {
			if (mkdirs(c.full.ptr) < 0 || dc_file_write_atomic(c.full.ptr, c.text.ptr, c.text.len) < 0)
				rc = cli_fail(_("new failed"));
			else
				printf("%s\n", cli_esc(c.rel.ptr));
		}
	}
	free(c.id);
	dc_buf_dispose(&c.rel);
	dc_buf_dispose(&c.full);
	dc_buf_dispose(&c.text);
	dc_docset_dispose(&c.set);
	cli_project_close(&c.proj);
	return rc;
}

const cli_option new_doc_options[] = {
	{ "title", 0, "TITLE", NULL, N_("the title of the document"), "new procedure --title \"Document control\"",
	  CLI_REQUIRED | CLI_STRING(new_args, title) },
	{ "owner", 0, "PERSON", NULL, N_("who owns it, a person of docctl.yaml (default: you, by git's user.email)"),
	  "new form --title \"Leave request\" --owner zhang.min", CLI_STRING(new_args, owner) },
	{ "id", 0, "ID", NULL, N_("this id instead of the next free one"), "new procedure --title \"Audits\" --id SP-020",
	  CLI_STRING(new_args, id) },
	{ "prefix", 0, "PREFIX", NULL, N_("the next free id with this prefix, for a type with several"),
	  "new work-instruction --title \"Packing\" --prefix WI-WX-", CLI_STRING(new_args, prefix) },
	{ "source", 0, "TEXT", NULL, N_("who issues an external document"),
	  "new external --title \"GB/T 19001\" --source SAC --source-version 2016", 0 },
	{ "source-version", 0, "TEXT", NULL, N_("the edition of an external document at its source"), NULL, 0 },
	{ "set", 0, "FIELD=VALUE", NULL, N_("another front-matter field the schema asks for (may be given again)"),
	  "new record --title \"Audit 2026\" --set department=质量部", 0 },
	{ "file", 0, "PATH", NULL, N_("an attachment to list in files, in the new document's folder (may be given again)"),
	  "new form --title \"Service record\" --file docs/forms/FM-006.xlsx", 0 },
	CLI_OPTIONS_END,
};
