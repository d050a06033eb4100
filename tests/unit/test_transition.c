/*
 * test_transition.c - how an approved document may change from one version
 * to the next (transition.h, reference §6.2 item 5): every transition that
 * is allowed and every one that is refused, with the rule and the place the
 * finding points at. Changes are built from two versions parsed from text,
 * classified the way delta.c does it, under a policy loaded from YAML.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "delta.h"
#include "fixture.h"
#include "transition.h"

#define POLICY(scheme)                                                                          \
	"docctl: 1\nroots: [docs, records]\nrevision_scheme: " scheme "\n"                       \
	"people:\n"                                                                              \
	"  quinn: {name: Quinn, email: quinn@example.com, roles: [qa-manager]}\n"                \
	"types:\n"                                                                               \
	"  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager]}\n"                          \
	"  record:    {id: \"RC-[0-9]{4}\", approvers: [qa-manager], retention: P3Y}\n"          \
	"  form:      {id: \"FM-[0-9]{3}\", approvers: [qa-manager]}\n"

#define SP "docs/SP-001-alpha.md"
#define RC "records/RC-0001-audit.md"

/* A procedure: its status, revision and body; approved by quinn. */
#define PROC(status, rev, body)                                                                 \
	"---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: " rev "\nstatus: " status "\n" \
	"approved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\n" body "\n"
#define APPROVED_A1 PROC("approved", "A/1", "The text.")
#define APPROVED_A1_EDITED PROC("approved", "A/1", "The text, edited.")
#define APPROVED_A2_EDITED PROC("approved", "A/2", "The text, edited.")
#define APPROVED_B0_EDITED PROC("approved", "B/0", "The text, edited.")
#define APPROVED_A0_EDITED PROC("approved", "A/0", "The text, edited.")
#define DRAFT_A1 PROC("draft", "A/1", "The text.")
#define DRAFT_A1_EDITED PROC("draft", "A/1", "The text, edited.")
#define OBSOLETE_A1                                                                             \
	"---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: obsolete\n"      \
	"approved_by: quinn\napproved_on: 2026-05-20\nobsoleted_by: quinn\nobsoleted_on: 2026-06-01\n" \
	"---\n# Alpha\n\nThe text.\n"
#define REVIEWED_A1                                                                             \
	"---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\n"      \
	"approved_by: quinn\napproved_on: 2026-05-20\nreviewed_by: quinn\nreviewed_on: 2026-06-01\n" \
	"---\n# Alpha\n\nThe text.\n"
#define RENUMBERED "---\nid: SP-002\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\n" \
	"approved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\nThe text.\n"

/* A record approved on `on`, with its own retention line `own` ("" for none). */
#define RECORD(on, own, body)                                                                   \
	"---\nid: RC-0001\ntitle: Audit\ntype: record\nrevision: A/0\nstatus: approved\n"        \
	"approved_by: quinn\napproved_on: " on "\n" own "---\n# Audit\n\n" body "\n"

/* One change, both versions parsed, and what it is checked against. */
typedef struct {
	dc_change c;
	dc_policy *policy;
	dc_transition_opts o;
	dc_diags d;
} fixture;

static const char *const approval_group[] = { "status", "approved_by", "approved_on", "effective" };
static const char *const review_group[] = { "reviewed_by", "reviewed_on" };
static const char *const retire_group[] = { "obsoleted_by", "obsoleted_on", "superseded_by" };
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The change from `old` at old_path to `new_` at new_path (NULL: none),
 * classified as delta.c classifies it; checked on 2026-12-07. */
static void change_at(fixture *f, const char *scheme_policy, const char *old_path, const char *old,
		      const char *new_path, const char *new_)
{
	dc_change *c = &f->c;

	memset(f, 0, sizeof(*f));
	dc_diags_init(&f->d);
	f->policy = fx_policy_ok(scheme_policy);
	f->o.policy = f->policy;
	assert_int_equal(dc_date_parse(&f->o.today, "2026-12-07"), 0);
	dc_doc_init(&c->old_doc);
	dc_doc_init(&c->new_doc);
	if ((c->has_old = old != NULL))
		fx_doc_parse(&c->old_doc, old_path, old);
	if ((c->has_new = new_ != NULL))
		fx_doc_parse(&c->new_doc, new_path, new_);
	c->old_oid = fx_oid(1);
	c->new_oid = fx_oid(old && new_ && !strcmp(old, new_) ? 1 : 2);
	c->id = c->has_new ? dc_doc_str(&c->new_doc, "id") : dc_doc_str(&c->old_doc, "id");
	if (old && new_) {
		c->kind = DC_CHANGE_MODIFIED;
		c->renamed = strcmp(old_path, new_path) != 0;
		c->content_changed = !dc_doc_same_content(&c->old_doc, &c->new_doc);
		c->approval_changed = dc_fields_differ(&c->old_doc, &c->new_doc, approval_group, COUNT(approval_group));
		c->review_changed = dc_fields_differ(&c->old_doc, &c->new_doc, review_group, COUNT(review_group));
		c->retire_changed = dc_fields_differ(&c->old_doc, &c->new_doc, retire_group, COUNT(retire_group));
	} else {
		c->kind = old ? DC_CHANGE_DELETED : DC_CHANGE_ADDED;
		c->content_changed = 1;
	}
}

static void change(fixture *f, const char *path, const char *old, const char *new_)
{
	change_at(f, POLICY("letter-number"), path, old, path, new_);
}

static void done(fixture *f)
{
	dc_diags_dispose(&f->d);
	fx_doc_dispose(&f->c.old_doc);
	fx_doc_dispose(&f->c.new_doc);
	dc_policy_free(f->policy);
}

/* Checks the change: no finding at all. */
static void allowed(fixture *f)
{
	assert_int_equal(dc_transition_check(&f->c, &f->o, &f->d), 0);
	if (f->d.n)
		fx_dump(&f->d);
	assert_int_equal(f->d.n, 0);
	done(f);
}

/* Checks the change: exactly one finding, with this rule, at this line
 * (0: not checked), its message containing `says`. */
static void refused(fixture *f, const char *rule, unsigned line, const char *says)
{
	const dc_diag *g;

	assert_int_equal(dc_transition_check(&f->c, &f->o, &f->d), 0);
	if (f->d.n != 1)
		fx_dump(&f->d);
	assert_int_equal(f->d.n, 1);
	g = &f->d.items[0];
	assert_string_equal(g->rule->name, rule);
	if (line)
		assert_int_equal(g->line, line);
	if (!strstr(g->message, says))
		fail_msg("\"%s\" does not say \"%s\"", g->message, says);
	done(f);
}

/* only approved and obsolete versions are under change control */
static void controlled_versions(void **state)
{
	static const struct {
		const char *text;
		int controlled;
	} cases[] = {
		{ APPROVED_A1, 1 },
		{ OBSOLETE_A1, 1 },
		{ DRAFT_A1, 0 },
		{ PROC("in-review", "A/1", "The text."), 0 },
		{ "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\n---\n# Alpha\n", 0 },
	};
	size_t i;
	fixture f;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		change(&f, SP, cases[i].text, DRAFT_A1_EDITED);
		assert_int_equal(dc_change_was_controlled(&f.c), cases[i].controlled);
		done(&f);
	}
	change(&f, SP, NULL, APPROVED_A1);
	assert_false(dc_change_was_controlled(&f.c));
	done(&f);
}

/* what was never controlled may change freely: created approved, a draft
 * edited without a new revision, a draft deleted */
static void uncontrolled_changes_pass(void **state)
{
	fixture f;

	(void)state;
	change(&f, SP, NULL, APPROVED_A1);
	allowed(&f);
	change(&f, SP, DRAFT_A1, DRAFT_A1_EDITED);
	allowed(&f);
	change(&f, SP, DRAFT_A1, APPROVED_A1_EDITED);
	allowed(&f);
	change(&f, SP, DRAFT_A1, NULL);
	allowed(&f);
}

/* a controlled document is withdrawn, never deleted */
static void deleting_a_controlled_document(void **state)
{
	fixture f;

	(void)state;
	change(&f, SP, APPROVED_A1, NULL);
	refused(&f, "doc.deleted", 0, "approved SP-001 was deleted");
	change(&f, SP, OBSOLETE_A1, NULL);
	refused(&f, "doc.deleted", 0, "obsolete SP-001 was deleted");
	change(&f, SP, APPROVED_A1, NULL);
	assert_int_equal(dc_transition_check(&f.c, &f.o, &f.d), 0);
	assert_int_equal(f.d.n, 1);
	assert_string_equal(f.d.items[0].file, SP);
	assert_non_null(strstr(f.d.items[0].message, "docctl obsolete SP-001"));
	done(&f);
}

/* a record may go once its retention has passed, counted from approved_on;
 * the day it passes counts as passed */
static void deleting_a_record(void **state)
{
	fixture f;

	(void)state;
	change(&f, RC, RECORD("2023-12-07", "", "Findings."), NULL);
	allowed(&f); /* P3Y from the type: until 2026-12-07, today */
	change(&f, RC, RECORD("2023-12-08", "", "Findings."), NULL);
	refused(&f, "record.retention", 0, "kept until 2026-12-08, counted from approved_on 2023-12-08");
	change(&f, RC, RECORD("2020-01-01", "", "Findings."), NULL);
	allowed(&f);
	/* its own retention wins over its type's, either way */
	change(&f, RC, RECORD("2025-12-01", "retention: P1Y\n", "Findings."), NULL);
	allowed(&f);
	change(&f, RC, RECORD("2020-01-01", "retention: P10Y\n", "Findings."), NULL);
	refused(&f, "record.retention", 0, "kept until 2030-01-01");
	/* an own retention that does not parse: the type's */
	change(&f, RC, RECORD("2020-01-01", "retention: forever\n", "Findings."), NULL);
	allowed(&f);
	/* no approved_on: it cannot be computed, so it is kept */
	change(&f, RC,
	       "---\nid: RC-0001\ntitle: Audit\ntype: record\nrevision: A/0\nstatus: approved\napproved_by: quinn\n"
	       "---\n# Audit\n\nFindings.\n",
	       NULL);
	refused(&f, "record.retention", 0, "retention cannot be computed");
	change(&f, RC, RECORD("2020-13-45", "", "Findings."), NULL);
	refused(&f, "record.retention", 0, "retention cannot be computed");
}

/* the retention of a record version: its own, else its type's, else none */
static void record_retention(void **state)
{
	fixture f;
	dc_duration d;
	dc_date from, until;
	char s[11];

	(void)state;
	assert_int_equal(dc_date_parse(&from, "2026-01-31"), 0);
	change(&f, RC, RECORD("2026-01-31", "retention: P2M\n", "Findings."), NULL);
	assert_int_equal(dc_record_retention(&f.c.old_doc, f.policy, &d), 0);
	until = dc_date_add(&from, &d);
	dc_date_format(&until, s);
	assert_string_equal(s, "2026-03-31");
	done(&f);
	change(&f, RC, RECORD("2026-01-31", "", "Findings."), NULL);
	assert_int_equal(dc_record_retention(&f.c.old_doc, f.policy, &d), 0);
	until = dc_date_add(&from, &d);
	dc_date_format(&until, s);
	assert_string_equal(s, "2029-01-31");
	done(&f);
	/* a type without a retention, and a type the policy does not know */
	change(&f, SP, APPROVED_A1, NULL);
	assert_int_equal(dc_record_retention(&f.c.old_doc, f.policy, &d), -1);
	done(&f);
	change(&f, SP, "---\nid: SP-001\ntype: memo\nstatus: approved\n---\n# A\n", NULL);
	assert_int_equal(dc_record_retention(&f.c.old_doc, f.policy, &d), -1);
	done(&f);
}

/* an approved document keeps its id; the finding points at the new id */
static void the_id_never_changes(void **state)
{
	fixture f;

	(void)state;
	change(&f, SP, APPROVED_A1, RENUMBERED);
	refused(&f, "id.changed", 2, "id changed from SP-001 to SP-002");
	change(&f, SP, OBSOLETE_A1, RENUMBERED);
	refused(&f, "id.changed", 2, "id changed from SP-001 to SP-002");
	/* a draft may be renumbered */
	change(&f, SP, DRAFT_A1, RENUMBERED);
	allowed(&f);
}

/* obsolete is final: only a pure rename passes */
static void obsolete_is_final(void **state)
{
	fixture f;

	(void)state;
	change_at(&f, POLICY("letter-number"), SP, OBSOLETE_A1, "docs/old/SP-001-alpha.md", OBSOLETE_A1);
	allowed(&f);
	change(&f, SP, OBSOLETE_A1, OBSOLETE_A1);
	allowed(&f);
	change(&f, SP, OBSOLETE_A1, APPROVED_A1);
	refused(&f, "status.transition", 6, "SP-001 is obsolete and obsolete is final");
	change(&f, SP, OBSOLETE_A1, APPROVED_B0_EDITED);
	refused(&f, "status.transition", 6, "obsolete is final");
	change(&f, SP, OBSOLETE_A1,
	       "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: obsolete\n"
	       "approved_by: quinn\napproved_on: 2026-05-20\nobsoleted_by: quinn\nobsoleted_on: 2026-06-02\n"
	       "---\n# Alpha\n\nThe text.\n");
	refused(&f, "status.transition", 6, "obsolete is final");
	change(&f, SP, OBSOLETE_A1,
	       "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: obsolete\n"
	       "approved_by: quinn\napproved_on: 2026-05-20\nobsoleted_by: quinn\nobsoleted_on: 2026-06-01\n"
	       "reviewed_by: quinn\nreviewed_on: 2026-07-01\n---\n# Alpha\n\nThe text.\n");
	refused(&f, "status.transition", 6, "obsolete is final");
}

/* a filed record is never edited, whatever changed, even its revision */
static void records_are_immutable(void **state)
{
	fixture f;

	(void)state;
	change(&f, RC, RECORD("2026-01-01", "", "Findings."), RECORD("2026-01-01", "", "Findings, corrected."));
	refused(&f, "record.immutable", 1, "approved record RC-0001 changed");
	change(&f, RC, RECORD("2026-01-01", "", "Findings."), RECORD("2026-02-01", "", "Findings."));
	refused(&f, "record.immutable", 1, "file a new record that corrects it");
	/* the same bytes (a rename): nothing changed */
	change_at(&f, POLICY("letter-number"), RC, RECORD("2026-01-01", "", "Findings."), "records/2026/RC-0001-audit.md",
		  RECORD("2026-01-01", "", "Findings."));
	allowed(&f);
}

/* a content change needs a higher revision (reference §3 schemes) */
static void revisions_go_up(void **state)
{
	fixture f;

	(void)state;
	change(&f, SP, APPROVED_A1, APPROVED_A2_EDITED);
	allowed(&f);
	change(&f, SP, APPROVED_A1, APPROVED_B0_EDITED);
	allowed(&f);
	change(&f, SP, APPROVED_A1, DRAFT_A1_EDITED);
	refused(&f, "revision.not-bumped", 5, "its revision stays A/1; start a new revision with 'docctl revise SP-001'");
	change(&f, SP, APPROVED_A1, APPROVED_A1_EDITED);
	refused(&f, "revision.not-bumped", 5, "the content of approved SP-001 changed");
	change(&f, SP, APPROVED_A1, APPROVED_A0_EDITED);
	refused(&f, "revision.regressed", 5, "went down from A/1 to A/0");
}

/* the approval, review and retirement lines are not content: no new
 * revision for them (who vouches is decided elsewhere) */
static void vouching_lines_need_no_revision(void **state)
{
	fixture f;

	(void)state;
	change(&f, SP, APPROVED_A1, REVIEWED_A1);
	allowed(&f);
	change(&f, SP, APPROVED_A1, OBSOLETE_A1);
	allowed(&f);
	change(&f, SP, APPROVED_A1,
	       "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\n"
	       "approved_by: quinn\napproved_on: 2026-05-21\n---\n# Alpha\n\nThe text.\n");
	allowed(&f);
}

/* a revision that does not parse, or is missing, is check's to report */
static void bad_revisions_are_left_to_check(void **state)
{
	fixture f;

	(void)state;
	change(&f, SP, APPROVED_A1, PROC("approved", "banana", "The text, edited."));
	allowed(&f);
	change(&f, SP, PROC("approved", "7", "The text."), APPROVED_A1_EDITED);
	allowed(&f);
	change(&f, SP, APPROVED_A1,
	       "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nstatus: approved\n"
	       "approved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\nThe text, edited.\n");
	allowed(&f);
}

/* the other schemes order their revisions as well */
static void other_schemes(void **state)
{
	fixture f;

	(void)state;
	change_at(&f, POLICY("integer"), SP, PROC("approved", "2", "The text."), SP, PROC("approved", "10", "Edited."));
	allowed(&f);
	change_at(&f, POLICY("integer"), SP, PROC("approved", "10", "The text."), SP, PROC("approved", "9", "Edited."));
	refused(&f, "revision.regressed", 5, "went down from 10 to 9");
	change_at(&f, POLICY("letter"), SP, PROC("approved", "Z", "The text."), SP, PROC("approved", "AA", "Edited."));
	allowed(&f);
	change_at(&f, POLICY("letter"), SP, PROC("approved", "B", "The text."), SP, PROC("approved", "B", "Edited."));
	refused(&f, "revision.not-bumped", 5, "stays B");
}

/* a new version whose front-matter does not parse is check's to report */
static void unparseable_new_version_is_left_to_check(void **state)
{
	fixture f;
	dc_diags ignored;

	(void)state;
	change(&f, SP, APPROVED_A1, APPROVED_A1);
	fx_doc_dispose(&f.c.new_doc);
	dc_diags_init(&ignored);
	fx_doc_parse_any(&f.c.new_doc, SP, "---\nid: [SP-001\n---\n# Alpha\n", &ignored);
	dc_diags_dispose(&ignored);
	assert_null(f.c.new_doc.root);
	f.c.new_oid = fx_oid(3);
	f.c.content_changed = 1;
	allowed(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controlled_versions),
		cmocka_unit_test(uncontrolled_changes_pass),
		cmocka_unit_test(deleting_a_controlled_document),
		cmocka_unit_test(deleting_a_record),
		cmocka_unit_test(record_retention),
		cmocka_unit_test(the_id_never_changes),
		cmocka_unit_test(obsolete_is_final),
		cmocka_unit_test(records_are_immutable),
		cmocka_unit_test(revisions_go_up),
		cmocka_unit_test(vouching_lines_need_no_revision),
		cmocka_unit_test(bad_revisions_are_left_to_check),
		cmocka_unit_test(other_schemes),
		cmocka_unit_test(unparseable_new_version_is_left_to_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
