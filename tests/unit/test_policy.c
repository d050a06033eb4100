/*
 * test_policy.c - docctl.yaml (policy.h, reference §3): the full example policy,
 * the defaults, the lookups, and every class of policy.invalid finding with
 * the line:col it points at.
 *
 * Policies are written as YAML and loaded with dc_yaml_load; the YAML tree's
 * arena is freed before the policy is used, so every test also checks that
 * the policy owns its strings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "policy.h"

static const char example[] =
	"docctl: 1                              # format version; anything else: error\n"
	"roots: [docs, records]\n"
	"protected: [refs/heads/main, \"refs/heads/release/*\"]   # glob on full ref names\n"
	"revision_scheme: letter-number         # integer (1,2,3) | letter (A..Z,AA..) | letter-number (A/0, A/1, B/0)\n"
	"schema: schema/document.schema.yaml    # default front-matter schema; a type may name its own\n"
	"signers: .docctl/allowed_signers\n"
	"approval:\n"
	"  identity: [signature]                # any of: signature, pusher\n"
	"  pusher_env: [GL_USER, GITEA_PUSHER_NAME, GL_USERNAME, REMOTE_USER]\n"
	"people:\n"
	"  li.wei:    {name: 李伟, email: li.wei@example.com,    roles: [author]}\n"
	"  zhang.min: {name: 张敏, email: zhang.min@example.com, roles: [qa-manager]}\n"
	"  wang.fang: {name: 王芳, email: wang.fang@example.com, roles: [general-manager, policy-admin]}\n"
	"policy_approvers: [policy-admin]       # roles that may approve changes to the policy itself\n"
	"language:\n"
	"  ambiguous: [\"适当\", \"尽量\", \"大概\", \"左右\", \"as appropriate\", \"if possible\", \"TBD\"]\n"
	"types:\n"
	"  manual:\n"
	"    id: \"SM-[0-9]{3}\"                  # PCRE2, anchored at both ends, UTF-8\n"
	"    schema: schema/document.schema.yaml\n"
	"    approvers: [general-manager]\n"
	"    review_every: P1Y                  # ISO 8601 duration: PnY, PnM, PnW, PnD\n"
	"    sections: [\"目的|Purpose\", \"适用范围|Scope\", \"术语|Terms\", \"服务方针|Policy\"]\n"
	"    max_words: 20000\n"
	"  procedure:\n"
	"    id: \"SP-[0-9]{3}\"\n"
	"    approvers: [qa-manager, general-manager]\n"
	"    review_every: P1Y\n"
	"    sections: [\"目的|Purpose\", \"适用范围|Scope\", \"职责|Responsibilities\", \"程序|流程|Procedure\", \"记录|Records\"]\n"
	"  work-instruction: {id: \"WI-[0-9]{3}\", approvers: [qa-manager], sections: [\"目的|Purpose\", \"步骤|Steps\"]}\n"
	"  form:     {id: \"FM-[0-9]{3}\", approvers: [qa-manager]}\n"
	"  record:   {id: \"RC-[0-9]{4}\", approvers: [qa-manager], retention: P3Y}\n"
	"  external: {id: \"EX-[0-9]{3}\", approvers: [qa-manager], body: optional}\n";

/* The smallest valid policy; tests append or prepend to it. */
#define MINIMAL_PEOPLE \
	"people:\n" \
	"  li.wei: {name: Li Wei, email: li.wei@example.com, roles: [qa-manager]}\n"
#define MINIMAL_TYPES \
	"types:\n" \
	"  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager]}\n"
#define MINIMAL "docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES

/* Loads `text` as docctl.yaml into the test's findings (fixture.h). */
static int load(dc_policy **out, const char *text)
{
	return fx_policy_load(out, text, &fx_diags);
}

static dc_policy *load_ok(const char *text)
{
	dc_policy *p;
	size_t i;
	int rc = load(&p, text);

	for (i = 0; i < fx_diags.n; i++)
		print_error("%u:%u: %s [%s]\n", fx_diags.items[i].line, fx_diags.items[i].col,
			    fx_diags.items[i].message, fx_diags.items[i].rule->name);
	assert_int_equal(rc, 0);
	assert_non_null(p);
	assert_int_equal(fx_diags.n, 0);
	return p;
}

/* Asserts that loading `text` fails with a policy.invalid finding at
 * line:col whose message contains `what`. */
static void expect_invalid(const char *text, unsigned line, unsigned col, const char *what)
{
	dc_policy *p;
	size_t i;

	fx_diags.n ? dc_diags_dispose(&fx_diags) : (void)0;
	assert_int_equal(load(&p, text), 1);
	assert_null(p);
	assert_true(dc_diags_fatal(&fx_diags));
	for (i = 0; i < fx_diags.n; i++) {
		const dc_diag *g = &fx_diags.items[i];

		assert_string_equal(g->rule->name, "policy.invalid");
		assert_string_equal(g->file, "docctl.yaml");
		if (g->line == line && g->col == col && strstr(g->message, what))
			break;
	}
	if (i == fx_diags.n) {
		for (i = 0; i < fx_diags.n; i++)
			print_error("got %u:%u: %s\n", fx_diags.items[i].line, fx_diags.items[i].col,
				    fx_diags.items[i].message);
		fail_msg("no policy.invalid at %u:%u saying \"%s\"", line, col, what);
	}
	dc_diags_dispose(&fx_diags);
}

static int matches(const pcre2_code *re, const char *text)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);

	pcre2_match_data_free(md);
	return rc >= 0;
}

/* ---- the example policy ------------------------------------------------ */

static void example_policy_loads(void **state)
{
	dc_policy *p = load_ok(example);
	const dc_type *t;
	const dc_person *who;

	(void)state;
	assert_string_equal(p->file, "docctl.yaml");
	assert_int_equal(p->nroots, 2);
	assert_string_equal(p->roots[0], "docs");
	assert_string_equal(p->roots[1], "records");
	assert_int_equal(p->nprotected, 2);
	assert_string_equal(p->protected_refs[1], "refs/heads/release/*");
	assert_int_equal(p->scheme, DC_SCHEME_LETTER_NUMBER);
	assert_string_equal(p->schema, "schema/document.schema.yaml");
	assert_string_equal(p->signers, ".docctl/allowed_signers");
	assert_true(p->identity_signature);
	assert_false(p->identity_pusher);
	assert_int_equal(p->npusher_env, 4);
	assert_string_equal(p->pusher_env[1], "GITEA_PUSHER_NAME");

	assert_int_equal(p->npeople, 3);
	who = dc_policy_person(p, "wang.fang");
	assert_non_null(who);
	assert_string_equal(who->name, "王芳");
	assert_string_equal(who->email, "wang.fang@example.com");
	assert_int_equal(who->nroles, 2);
	assert_string_equal(who->roles[1], "policy-admin");
	assert_null(dc_policy_person(p, "nobody"));
	assert_int_equal(p->npolicy_approvers, 1);
	assert_string_equal(p->policy_approvers[0], "policy-admin");
	assert_int_equal(p->nambiguous, 7);
	assert_string_equal(p->ambiguous[0], "适当");
	assert_non_null(p->ambiguous_re);

	assert_int_equal(p->ntypes, 6);
	t = dc_policy_type(p, "manual");
	assert_non_null(t);
	assert_string_equal(t->id.pattern, "SM-[0-9]{3}");
	assert_string_equal(t->schema, "schema/document.schema.yaml");
	assert_int_equal(t->napprovers, 1);
	assert_true(t->has_review);
	assert_int_equal(t->review_every.years, 1);
	assert_int_equal(t->nsections, 4);
	assert_string_equal(t->sections[3].pattern, "服务方针|Policy");
	assert_int_equal(t->max_words, 20000);
	assert_int_equal(t->mark.line, 18);
	assert_int_equal(t->mark.col, 3);
	assert_false(t->body_optional);

	t = dc_policy_type(p, "procedure");
	assert_null(t->schema);
	assert_int_equal(t->nsections, 5);
	assert_int_equal(t->max_words, 0);
	assert_true(matches(t->sections[3].re, "3 流程"));
	assert_true(matches(t->sections[2].re, "roles and RESPONSIBILITIES"));
	assert_false(matches(t->sections[0].re, "Scope"));

	t = dc_policy_type(p, "work-instruction");
	assert_false(t->has_review);
	assert_int_equal(t->nsections, 2);
	assert_int_equal(dc_policy_type(p, "form")->nsections, 0);
	t = dc_policy_type(p, "record");
	assert_true(t->has_retention);
	assert_int_equal(t->retention.years, 3);
	assert_true(dc_policy_type(p, "external")->body_optional);
	assert_null(dc_policy_type(p, "memo"));
	dc_policy_free(p);
}

static void example_policy_lookups(void **state)
{
	dc_policy *p = load_ok(example);
	const dc_type *proc = dc_policy_type(p, "procedure");

	(void)state;
	assert_ptr_equal(dc_policy_type_for_id(p, "SP-004"), proc);
	assert_ptr_equal(dc_policy_type_for_id(p, "RC-0001"), dc_policy_type(p, "record"));
	assert_null(dc_policy_type_for_id(p, "SP-0041"));
	assert_null(dc_policy_type_for_id(p, "xSP-004"));
	assert_null(dc_policy_type_for_id(p, "SP-004\n"));
	assert_null(dc_policy_type_for_id(p, "RC-001"));
	assert_null(dc_policy_type_for_id(p, ""));

	assert_true(dc_policy_may_approve(p, proc, "zhang.min"));
	assert_true(dc_policy_may_approve(p, proc, "wang.fang"));
	assert_false(dc_policy_may_approve(p, proc, "li.wei"));
	assert_false(dc_policy_may_approve(p, dc_policy_type(p, "form"), "wang.fang"));
	assert_false(dc_policy_may_approve(p, proc, "qa-manager"));
	assert_false(dc_policy_may_approve(p, proc, "nobody"));
	assert_true(dc_policy_person_in(p, "wang.fang", p->policy_approvers, p->npolicy_approvers));
	assert_false(dc_policy_person_in(p, "zhang.min", p->policy_approvers, p->npolicy_approvers));

	assert_string_equal(dc_policy_person_by_email(p, "Zhang.Min@Example.com")->key, "zhang.min");
	assert_null(dc_policy_person_by_email(p, "zhang@example.com"));

	assert_true(dc_policy_controls(p, "docs/SP-004.md"));
	assert_true(dc_policy_controls(p, "docs/procedures/SP-004-control.md"));
	assert_true(dc_policy_controls(p, "records/2026/RC-0001.md"));
	assert_false(dc_policy_controls(p, "docs/SP-004.txt"));
	assert_false(dc_policy_controls(p, "docs/notes.MD"));
	assert_false(dc_policy_controls(p, "docs.md"));
	assert_false(dc_policy_controls(p, "docsx/SP-004.md"));
	assert_false(dc_policy_controls(p, "README.md"));
	assert_false(dc_policy_controls(p, "docs/.md"));
	assert_false(dc_policy_controls(p, "schema/document.schema.yaml"));

	assert_true(dc_policy_protects(p, "refs/heads/main"));
	assert_true(dc_policy_protects(p, "refs/heads/release/1.0"));
	assert_false(dc_policy_protects(p, "refs/heads/main2"));
	assert_false(dc_policy_protects(p, "refs/heads/feature/x"));
	assert_false(dc_policy_protects(p, "main"));
	dc_policy_free(p);
}

static void ambiguous_terms(void **state)
{
	dc_policy *p = load_ok(example);
	const pcre2_code *re = p->ambiguous_re;

	(void)state;
	assert_true(matches(re, "应适当处理"));
	assert_true(matches(re, "大概三天左右"));
	assert_true(matches(re, "Fix it as appropriate."));
	assert_true(matches(re, "AS APPROPRIATE"));
	assert_true(matches(re, "owner: tbd"));
	assert_true(matches(re, "(TBD)"));
	assert_true(matches(re, "待定TBD"));
	assert_false(matches(re, "TBDX"));
	assert_false(matches(re, "if possibles"));
	assert_false(matches(re, "has appropriate"));
	assert_false(matches(re, "nothing vague here"));
	dc_policy_free(p);

	/* punctuation in a term is literal; an edge that is punctuation gets no \b */
	p = load_ok(MINIMAL "language: {ambiguous: [\"e.g.\", \"(etc)\", \"a+b\", \"\\\\E\"]}\n");
	re = p->ambiguous_re;
	assert_true(matches(re, "for e.g. this"));
	assert_false(matches(re, "for eXgX this"));
	assert_true(matches(re, "x(etc)y"));
	assert_true(matches(re, "a+b"));
	assert_false(matches(re, "aab"));
	assert_true(matches(re, "\\E"));
	dc_policy_free(p);
}

static void defaults(void **state)
{
	dc_policy *p = load_ok(MINIMAL);
	const dc_type *t = dc_policy_type(p, "procedure");

	(void)state;
	assert_int_equal(p->nprotected, 1);
	assert_string_equal(p->protected_refs[0], "refs/heads/main");
	assert_int_equal(p->scheme, DC_SCHEME_INTEGER);
	assert_null(p->schema);
	assert_string_equal(p->signers, ".docctl/allowed_signers");
	assert_true(p->identity_signature);
	assert_false(p->identity_pusher);
	assert_int_equal(p->npusher_env, 4);
	assert_string_equal(p->pusher_env[0], "GL_USER");
	assert_string_equal(p->pusher_env[3], "REMOTE_USER");
	assert_int_equal(p->npolicy_approvers, 0);
	assert_int_equal(p->nambiguous, 0);
	assert_null(p->ambiguous_re);
	assert_false(t->has_review);
	assert_false(t->has_retention);
	assert_false(t->body_optional);
	assert_null(t->folder);
	assert_int_equal(t->max_words, 0);
	dc_policy_free(p);
}

static void options_as_given(void **state)
{
	dc_policy *p = load_ok("docctl: 1\n"
			       "roots: [./docs/, \"records/\"]\n"
			       "revision_scheme: letter\n"
			       "signers: keys/signers\n"
			       "approval: {identity: [pusher, signature], pusher_env: [MY_USER]}\n"
			       "people:\n"
			       "  1001: {name: Zhou, email: zhou@example.com, roles: []}\n"
			       "  li.wei: {name: Li Wei, email: li.wei@example.com, roles: [qa-manager]}\n"
			       "types:\n"
			       "  procedure: {id: \"SP-1|WI-2\", approvers: [qa-manager, \"1001\"], body: required,\n"
			       "              folder: docs/procedures/, review_every: P1Y6M2W3D}\n");
	const dc_type *t = dc_policy_type(p, "procedure");

	(void)state;
	assert_string_equal(p->roots[0], "docs");
	assert_string_equal(p->roots[1], "records");
	assert_int_equal(p->scheme, DC_SCHEME_LETTER);
	assert_string_equal(p->signers, "keys/signers");
	assert_true(p->identity_signature);
	assert_true(p->identity_pusher);
	assert_int_equal(p->npusher_env, 1);
	assert_string_equal(p->pusher_env[0], "MY_USER");
	assert_non_null(dc_policy_person(p, "1001"));
	assert_true(dc_policy_may_approve(p, t, "1001"));
	assert_false(t->body_optional);
	assert_string_equal(t->folder, "docs/procedures");
	assert_int_equal(t->review_every.months, 6);
	assert_int_equal(t->review_every.days, 3);
	/* the id pattern is anchored around the whole alternation */
	assert_ptr_equal(dc_policy_type_for_id(p, "SP-1"), t);
	assert_ptr_equal(dc_policy_type_for_id(p, "WI-2"), t);
	assert_null(dc_policy_type_for_id(p, "SP-12"));
	assert_null(dc_policy_type_for_id(p, "xWI-2"));
	dc_policy_free(p);

	p = load_ok("docctl: 1\nroots: [.]\n" MINIMAL_PEOPLE MINIMAL_TYPES);
	assert_true(dc_policy_controls(p, "README.md"));
	assert_true(dc_policy_controls(p, "a/b/c.md"));
	assert_false(dc_policy_controls(p, "a/b/c.txt"));
	dc_policy_free(p);
}

/* ---- policy.invalid, class by class ------------------------------------ */

static void not_a_mapping(void **state)
{
	(void)state;
	expect_invalid("- docctl\n", 1, 1, "must be a mapping");
	expect_invalid("just text\n", 1, 1, "must be a mapping");
	expect_invalid("# nothing\n", 1, 1, "must be a mapping");
}

static void unknown_keys(void **state)
{
	(void)state;
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE "typs: {}\n", 5, 1,
		       "unknown key \"typs\" in docctl.yaml; did you mean \"types\"? known keys are docctl, roots, protected,");
	expect_invalid(MINIMAL "colour: blue\n", 7, 1,
		       "unknown key \"colour\" in docctl.yaml; known keys are docctl, roots, protected, revision_scheme, "
		       "schema, signers, approval, people, policy_approvers, language, types");
	expect_invalid(MINIMAL "  form: {id: \"FM-[0-9]{3}\", aprovers: [qa-manager], approvers: [qa-manager]}\n",
		       7, 29, "unknown key \"aprovers\" in type \"form\"; did you mean \"approvers\"?");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n"
		       "  li.wei: {name: Li Wei, mail: li.wei@example.com, email: l@example.com, roles: [qa-manager]}\n"
		       MINIMAL_TYPES, 4, 26, "unknown key \"mail\" in person \"li.wei\"");
	expect_invalid(MINIMAL "approval: {identity: [signature], pusher: [GL_USER]}\n", 7, 35,
		       "unknown key \"pusher\" in approval");
	expect_invalid(MINIMAL "language:\n  ambigous: [TBD]\n", 8, 3,
		       "unknown key \"ambigous\" in language; did you mean \"ambiguous\"?");
}

static void missing_required_keys(void **state)
{
	(void)state;
	expect_invalid("roots: [docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 1, 1,
		       "missing required key \"docctl\" in docctl.yaml; add docctl: 1");
	expect_invalid("docctl: 1\n" MINIMAL_PEOPLE MINIMAL_TYPES, 1, 1, "missing required key \"roots\"");
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_TYPES, 1, 1, "missing required key \"people\"");
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE, 1, 1, "missing required key \"types\"");
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE "types:\n  form: {approvers: [qa-manager]}\n",
		       6, 3, "type \"form\" has no id");
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE "types:\n  form: {id: FM-1}\n",
		       6, 3, "type \"form\" has no approvers");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n  li.wei: {email: l@example.com, roles: []}\n" MINIMAL_TYPES,
		       4, 3, "person \"li.wei\" has no name");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n  li.wei: {name: Li, roles: []}\n" MINIMAL_TYPES,
		       4, 3, "person \"li.wei\" has no email");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n  li.wei: {name: Li, email: l@example.com}\n" MINIMAL_TYPES,
		       4, 3, "person \"li.wei\" has no roles");
}

static void format_version(void **state)
{
	(void)state;
	expect_invalid("docctl: 2\nroots: [docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 1, 9,
		       "docctl format version 2 is not supported");
	expect_invalid("docctl: \"1\"\nroots: [docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 1, 9,
		       "docctl must be the integer 1, not a string");
	expect_invalid("docctl: 1.0\nroots: [docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 1, 9,
		       "docctl must be the integer 1, not a number");
}

static void wrong_kinds(void **state)
{
	(void)state;
	expect_invalid("docctl: 1\nroots: docs\n" MINIMAL_PEOPLE MINIMAL_TYPES, 2, 8,
		       "roots must be a list of strings, not a string; write roots: [docs, records]");
	expect_invalid("docctl: 1\nroots: [docs, [x]]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 2, 15,
		       "each entry of roots must be a string, not a list");
	expect_invalid("docctl: 1\nroots: []\n" MINIMAL_PEOPLE MINIMAL_TYPES, 2, 8, "roots must name at least one folder");
	expect_invalid("docctl: 1\nroots: [docs]\npeople: [li.wei]\n" MINIMAL_TYPES, 3, 9,
		       "people must be a mapping of person ids, not a list");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n  li.wei: Li Wei\n" MINIMAL_TYPES, 4, 11,
		       "person \"li.wei\" must be a mapping, not a string");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n  li.wei: {name: Li, email: l@example.com, roles: qa}\n"
		       MINIMAL_TYPES, 4, 51, "people.li.wei.roles must be a list of strings, not a string");
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE "types: [procedure]\n", 5, 8,
		       "types must be a mapping of type names, not a list");
	expect_invalid("docctl: 1\nroots: [docs]\n" MINIMAL_PEOPLE "types: {}\n", 5, 8,
		       "types must define at least one type");
	expect_invalid(MINIMAL "  form: FM\n", 7, 9, "type \"form\" must be a mapping, not a string");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: qa-manager}\n", 7, 31,
		       "types.form.approvers must be a list of strings, not a string");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: []}\n", 7, 31,
		       "types.form.approvers must name at least one role or person");
	expect_invalid(MINIMAL "  form: {id: 12, approvers: [qa-manager]}\n", 7, 14,
		       "types.form.id must be a string, not an integer");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], max_words: many}\n", 7, 56,
		       "types.form.max_words must be a positive integer, not a string");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], max_words: 0}\n", 7, 56,
		       "types.form.max_words 0 is out of range");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], sections: Purpose}\n", 7, 55,
		       "types.form.sections must be a list of strings, not a string");
	expect_invalid(MINIMAL "  form: {id: \"\", approvers: [qa-manager]}\n", 7, 14,
		       "types.form.id must not be empty");
	expect_invalid(MINIMAL "approval: [signature]\n", 7, 11, "approval must be a mapping, not a list");
	expect_invalid(MINIMAL "language: [TBD]\n", 7, 11, "language must be a mapping, not a list");
	expect_invalid(MINIMAL "language: {ambiguous: [\"\"]}\n", 7, 24, "each entry of language.ambiguous must not be empty");
	expect_invalid(MINIMAL "schema: [a, b]\n", 7, 9, "schema must be a string, not a list");
	expect_invalid(MINIMAL "signers: ~\n", 7, 10, "signers must be a string, not empty");
	expect_invalid(MINIMAL "protected: refs/heads/main\n", 7, 12, "protected must be a list of strings");
	expect_invalid(MINIMAL "policy_approvers: policy-admin\n", 7, 19, "policy_approvers must be a list of strings");
}

static void bad_values(void **state)
{
	(void)state;
	expect_invalid(MINIMAL "revision_scheme: roman\n", 7, 18,
		       "revision_scheme \"roman\" is not a scheme; write integer, letter, letter-number or decimal");
	expect_invalid(MINIMAL "approval: {identity: [password]}\n", 7, 23,
		       "approval.identity \"password\" is not a method");
	expect_invalid(MINIMAL "approval: {identity: []}\n", 7, 22, "approval.identity must name at least one method");
	expect_invalid(MINIMAL "approval: {pusher_env: []}\n", 7, 24, "approval.pusher_env must name at least one variable");
	expect_invalid(MINIMAL "protected: [main]\n", 7, 13,
		       "protected ref \"main\" is not a full ref name; write it as refs/heads/main");
	expect_invalid("docctl: 1\nroots: [/docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 2, 9, "root \"/docs\" is an absolute path");
	expect_invalid("docctl: 1\nroots: [../docs]\n" MINIMAL_PEOPLE MINIMAL_TYPES, 2, 9,
		       "root \"../docs\" leaves the repository");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], review_every: 1Y}\n", 7, 59,
		       "types.form.review_every \"1Y\" is not a duration; write an ISO 8601 date duration such as P1Y");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], retention: P0D}\n", 7, 56,
		       "types.form.retention \"P0D\" is zero");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], retention: 3}\n", 7, 56,
		       "types.form.retention must be a string, not an integer");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], body: maybe}\n", 7, 51,
		       "types.form.body \"maybe\" is neither optional nor required; write body: optional or body: required");
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager], folder: forms}\n", 7, 53,
		       "types.form.folder \"forms\" is not under any of the roots");
}

static void bad_patterns(void **state)
{
	(void)state;
	expect_invalid(MINIMAL "  form:\n    id: \"FM-[0-9\"\n    approvers: [qa-manager]\n", 8, 9,
		       "types.form.id \"FM-[0-9\" is not a valid PCRE2 pattern: missing terminating ] for character class at offset 7");
	expect_invalid(MINIMAL "  form:\n    id: \"a)|(b\"\n    approvers: [qa-manager]\n", 8, 9,
		       "is not a valid PCRE2 pattern: unmatched closing parenthesis at offset 1");
	expect_invalid(MINIMAL "  form:\n    id: FM-1\n    approvers: [qa-manager]\n    sections: [\"目的\", \"(?<\"]\n",
		       10, 22, "section of type \"form\" \"(?<\" is not a valid PCRE2 pattern");
}

static void unknown_approvers(void **state)
{
	(void)state;
	expect_invalid(MINIMAL "  form: {id: FM-1, approvers: [qa-manager, qa-mgr]}\n", 7, 44,
		       "approver \"qa-mgr\" is neither a person nor a role anyone holds; "
		       "name a person of people or give the role to someone");
	expect_invalid(MINIMAL "policy_approvers: [policy-admin]\n", 7, 20,
		       "approver \"policy-admin\" is neither a person nor a role anyone holds");
	/* a person id and a held role are both fine, wherever they are defined */
	dc_policy_free(load_ok("policy_approvers: [li.wei, qa-manager]\n" MINIMAL));
}

static void people_problems(void **state)
{
	(void)state;
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n"
		       "  li.wei: {name: Li Wei, email: li.wei@example.com, roles: [qa-manager]}\n"
		       "  wei.li: {name: Wei Li, email: Li.Wei@example.com, roles: []}\n" MINIMAL_TYPES,
		       5, 33, "email \"Li.Wei@example.com\" of person \"wei.li\" is already the email of person \"li.wei\"");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n"
		       "  li.wei: {name: Li Wei, email: li.wei.example.com, roles: [qa-manager]}\n" MINIMAL_TYPES,
		       4, 33, "email \"li.wei.example.com\" of person \"li.wei\" is not an address");
	expect_invalid("docctl: 1\nroots: [docs]\npeople:\n"
		       "  li.wei: {name: \"\", email: li.wei@example.com, roles: [qa-manager]}\n" MINIMAL_TYPES,
		       4, 18, "people.li.wei.name must not be empty");
}

static void reports_every_problem(void **state)
{
	dc_policy *p;

	(void)state;
	assert_int_equal(load(&p, "docctl: 3\nroots: [docs]\nextra: 1\n" MINIMAL_PEOPLE
			      "types:\n  form: {id: \"[\", approvers: [nobody], body: maybe}\n"), 1);
	assert_null(p);
	assert_int_equal(fx_diags.n, 5);
	assert_true(dc_diags_has(&fx_diags, "policy.invalid"));
}

static void keeps_odd_text_printable(void **state)
{
	dc_policy *p;

	(void)state;
	assert_int_equal(load(&p, MINIMAL "\"a\\tb\\u0001\": 1\n"), 1);
	assert_int_equal(fx_diags.n, 1);
	assert_non_null(strstr(fx_diags.items[0].message, "unknown key \"a\\x09b\\x01\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(example_policy_loads, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(example_policy_lookups, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(ambiguous_terms, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(defaults, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(options_as_given, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(not_a_mapping, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(unknown_keys, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(missing_required_keys, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(format_version, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(wrong_kinds, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(bad_values, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(bad_patterns, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(unknown_approvers, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(people_problems, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(reports_every_problem, fx_diags_setup, fx_diags_teardown),
		cmocka_unit_test_setup_teardown(keeps_odd_text_printable, fx_diags_setup, fx_diags_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
