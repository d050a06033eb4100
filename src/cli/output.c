/*
 * output.c - findings as text, JSON or SARIF 2.1.0 (reference §5.1), and the
 * exit code they make (reference §5.2).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "escape.h"
#include "json.h"

/* In cli_format's order: the names --format takes. */
static const char *const format_names[] = { "text", "json", "sarif", "md", "csv", "html" };

int cli_format_parse(cli_format *out, const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(format_names) / sizeof(*format_names); i++) {
		if (!strcmp(s, format_names[i])) {
			*out = (cli_format)i;
			return 0;
		}
	}
	return -1;
}

void cli_json_str(FILE *out, const char *s)
{
	dc_buf b = DC_BUF_INIT;

	if (dc_json_cstr(&b, s ? s : "") == 0)
		fwrite(b.ptr, 1, b.len, out);
	dc_buf_dispose(&b);
}

void cli_json_member(FILE *out, const char *key, const char *value)
{
	fprintf(out, ", \"%s\": ", key);
	cli_json_str(out, value);
}

/* A few buffers in turn, so one printf can show several escaped values. */
#define ESC_SLOTS 8

const char *cli_esc(const char *s)
{
	static dc_buf slots[ESC_SLOTS] = { DC_BUF_INIT, DC_BUF_INIT, DC_BUF_INIT, DC_BUF_INIT,
					   DC_BUF_INIT, DC_BUF_INIT, DC_BUF_INIT, DC_BUF_INIT };
	static unsigned next;
	dc_buf *b;

	if (!s)
		return NULL;
	b = &slots[next++ % ESC_SLOTS];
	dc_buf_clear(b);
	if (dc_term_escape(b, s, strlen(s), 0) < 0)
		return "?";
	return b->ptr;
}

static const char *severity(const dc_diag *g, int strict)
{
	return g->severity == DC_SEV_ERROR || strict ? "error" : "warning";
}

static void print_text(FILE *out, const dc_diags *d, int strict)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const dc_diag *g = &d->items[i];

		if (g->ref)
			fprintf(out, "%s: ", cli_esc(g->ref));
		if (g->file[0] && g->line)
			fprintf(out, "%s:%u:%u: ", cli_esc(g->file), g->line, g->col);
		else if (g->file[0])
			fprintf(out, "%s: ", cli_esc(g->file));
		fprintf(out, "%s: %s [%s]\n", severity(g, strict), cli_esc(g->message), g->rule->name);
	}
}

static void print_json(FILE *out, const dc_diags *d, int strict)
{
	size_t i;

	fputs("[", out);
	for (i = 0; i < d->n; i++) {
		const dc_diag *g = &d->items[i];

		fputs(i ? ",\n  {" : "\n  {", out);
		fputs("\"file\": ", out);
		cli_json_str(out, g->file);
		fprintf(out, ", \"line\": %u, \"column\": %u, \"severity\": \"%s\", \"rule\": ", g->line, g->col,
			severity(g, strict));
		cli_json_str(out, g->rule->name);
		cli_json_member(out, "message", g->message);
		if (g->id)
			cli_json_member(out, "id", g->id);
		if (g->ref)
			cli_json_member(out, "ref", g->ref);
		fputs("}", out);
	}
	fputs(d->n ? "\n]\n" : "]\n", out);
}

static void uri(FILE *out, const char *path)
{
	const unsigned char *p = (const unsigned char *)path;

	fputc('"', out);
	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	fputc('"', out);
}

static void print_sarif(FILE *out, const dc_diags *d, int strict)
{
	size_t i;

	fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
	      "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": {\n"
	      "      \"name\": \"docctl\",\n      \"version\": \"" DOCCTL_VERSION "\",\n"
	      "      \"informationUri\": \"https://example.com/docctl\",\n      \"rules\": [", out);
	for (i = 0; i < dc_rules_count; i++) {
		const dc_rule *r = &dc_rules[i];

		fprintf(out, "%s\n        {\"id\": ", i ? "," : "");
		cli_json_str(out, r->name);
		fputs(", \"shortDescription\": {\"text\": ", out);
		cli_json_str(out, r->summary);
		fprintf(out, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
			r->severity == DC_SEV_ERROR ? "error" : "warning");
	}
	fputs("\n      ]\n    }},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [", out);
	for (i = 0; i < d->n; i++) {
		const dc_diag *g = &d->items[i];

		fprintf(out, "%s\n      {\"ruleId\": ", i ? "," : "");
		cli_json_str(out, g->rule->name);
		fprintf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\", \"message\": {\"text\": ",
			(size_t)(g->rule - dc_rules), severity(g, strict));
		cli_json_str(out, g->message);
		fputs("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
		uri(out, g->file[0] ? g->file : DC_POLICY_FILE);
		fputs(", \"uriBaseId\": \"%SRCROOT%\"}", out);
		if (g->line)
			fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}", g->line, g->col ? g->col : 1);
		fputs("}}]", out);
		if (g->id) {
			fputs(", \"properties\": {\"documentId\": ", out);
			cli_json_str(out, g->id);
			fputs("}", out);
		}
		fputs("}", out);
	}
	fputs(d->n ? "\n    ]\n  }]\n}\n" : "]\n  }]\n}\n", out);
}

void cli_print_diags(FILE *out, const dc_diags *d, cli_format f, int strict)
{
	switch (f) {
	case FORMAT_TEXT: print_text(out, d, strict); break;
	case FORMAT_JSON: print_json(out, d, strict); break;
	case FORMAT_SARIF: print_sarif(out, d, strict); break;
	default: print_text(out, d, strict); break;
	}
}

int cli_exit_code(const dc_diags *d, int strict)
{
	if (dc_diags_fatal(d))
		return EXIT_FATAL;
	return dc_diags_errors(d, strict) ? EXIT_FINDINGS : EXIT_OK;
}

int cli_fail(const char *what)
{
	fprintf(stderr, _("docctl: %s: %s\n"), what, cli_esc(dc_error_last()));
	return EXIT_FATAL;
}

