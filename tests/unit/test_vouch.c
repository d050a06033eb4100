/*
 * test_vouch.c - what one commit's signature can vouch for (vouch.h,
 * reference §6.3 (a) to (c)) and when an approval was carried over
 * (approval.stale, §6.2 item 5), on documents parsed from text: the
 * commit's version, its parents' and NEW's blob.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "document.h"
#include "fixture.h"
#include "vouch.h"

#define DRAFT_A1 "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: draft\n---\n# Alpha\n\nThe text.\n"
#define APPROVED_A1 "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\napproved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\nThe text.\n"
#define APPROVED_A1_LATER "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\napproved_by: quinn\napproved_on: 2026-05-28\n---\n# Alpha\n\nThe text.\n"
#define APPROVED_A1_EDITED "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\napproved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\nThe text, edited.\n"
#define APPROVED_A1_COMMENT "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\napproved_by: quinn\napproved_on: 2026-05-20\n# a comment nobody signed\n---\n# Alpha\n\nThe text.\n"
#define APPROVED_A0 "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/0\nstatus: approved\napproved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\nThe old text.\n"
#define OBSOLETE_A1 "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: obsolete\napproved_by: quinn\napproved_on: 2026-05-20\nobsoleted_by: gina\nobsoleted_on: 2026-06-01\n---\n# Alpha\n\nThe text.\n"
#define DRAFT_QUINN_A1 "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: draft\napproved_by: quinn\napproved_on: 2026-05-20\n---\n# Alpha\n\nThe text.\n"
#define REVIEWED_A1 "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\nstatus: approved\napproved_by: quinn\napproved_on: 2026-05-20\nreviewed_by: gina\nreviewed_on: 2026-05-30\n---\n# Alpha\n\nThe text.\n"

#define PATH "docs/procedures/SP-001-alpha.md"

static const dc_doc *parse(fx_docs *s, const char *text)
{
	return fx_docs_parse(s, PATH, text);
}

/* the approval in a commit of its own vouches */
static void approval_of_its_own_vouches(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	fx_docs_dispose(&s);
}

/* (a): a later commit changed NEW's bytes (approved_on moved) */
static void another_version_does_not_vouch(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = fx_oid(1), nb = fx_oid(2);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_NOT_NEW);
	fx_docs_dispose(&s);
}

/* (b): a commit that leaves the approval as its parent had it (it signed
 * something else) does not vouch for it: no ride-along */
static void untouched_approval_does_not_ride_along(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, APPROVED_A1) };
	git_oid b = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_UNTOUCHED);
	fx_docs_dispose(&s);
}

/* (c): changing the content, creating the document, or a root commit */
static void content_change_does_not_vouch(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, APPROVED_A0) };
	const dc_doc *none[1] = { NULL };
	git_oid b = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, none, 1, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, NULL, 0, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	fx_docs_dispose(&s);
}

/* a merge vouches only when its approval differs from every parent's */
static void merge_must_change_against_every_parent(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1);
	const dc_doc *p[2] = { parse(&s, DRAFT_A1), parse(&s, APPROVED_A1) };
	const dc_doc *q[2] = { parse(&s, DRAFT_A1), parse(&s, APPROVED_A1_LATER) };
	git_oid b = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 2, DC_VOUCH_APPROVAL), DC_VOUCH_UNTOUCHED);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, q, 2, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	fx_docs_dispose(&s);
}

/* each kind looks at its own group */
static void review_vouches_for_review_only(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, REVIEWED_A1), *p[1] = { parse(&s, APPROVED_A1) };
	git_oid b = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_REVIEW), DC_VOUCH_OK);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_UNTOUCHED);
	fx_docs_dispose(&s);
}

/* approval.stale: carried over, or changed by the commit */
static void approval_changed_or_carried(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *a0 = parse(&s, APPROVED_A0), *edited = parse(&s, APPROVED_A1_EDITED);
	const dc_doc *draft = parse(&s, DRAFT_A1), *later = parse(&s, APPROVED_A1_LATER);
	const dc_doc *p_a0[1] = { a0 }, *p_draft[1] = { draft }, *none[1] = { NULL };

	(void)state;
	/* a new revision typed over the old approval: the same fields */
	assert_true(dc_vouch_approval_equal(a0, edited));
	assert_false(dc_vouch_approval_changed(edited, p_a0, 1));
	/* revise (drops the approval), then approve: changed, even when
	 * the values come back the same (same day, same approver) */
	assert_true(dc_vouch_approval_changed(edited, p_draft, 1));
	assert_true(dc_vouch_approval_changed(later, p_a0, 1));
	assert_false(dc_vouch_approval_equal(a0, later));
	/* created, or a root commit: changed; no version: nothing changed */
	assert_true(dc_vouch_approval_changed(edited, none, 1));
	assert_true(dc_vouch_approval_changed(edited, NULL, 0));
	assert_false(dc_vouch_approval_changed(NULL, p_a0, 1));
	fx_docs_dispose(&s);
}

/* the same approval with an unsigned comment is another version (§6.3 (a)) */
static void unsigned_bytes_are_another_version(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1_COMMENT), *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = fx_oid(3), nb = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_NOT_NEW);
	fx_docs_dispose(&s);
}

/* a periodic review after the approval does not undo the approval's
 * signature (the review is vouched for by its own person); any other
 * byte, or a moved approval, still does */
static void later_review_keeps_the_approval(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *reviewed = parse(&s, REVIEWED_A1),
		     *moved = parse(&s, APPROVED_A1_LATER), *comment = parse(&s, APPROVED_A1_COMMENT),
		     *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = fx_oid(1), nb = fx_oid(2);

	(void)state;
	assert_true(dc_vouch_holds(v, &b, reviewed, &nb, DC_VOUCH_APPROVAL));
	assert_int_equal(dc_vouch_scope_of(v, &b, reviewed, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	assert_false(dc_vouch_holds(v, &b, reviewed, &nb, DC_VOUCH_REVIEW));
	assert_false(dc_vouch_holds(v, &b, reviewed, &nb, DC_VOUCH_RETIREMENT));
	assert_false(dc_vouch_holds(v, &b, moved, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_holds(v, &b, comment, &nb, DC_VOUCH_APPROVAL));
	assert_true(dc_vouch_holds(v, &b, NULL, &b, DC_VOUCH_RETIREMENT));
	fx_docs_dispose(&s);
}

/* a withdrawal after the approval keeps it too, but only of a version that
 * was approved */
static void later_withdrawal_keeps_the_approval(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *gone = parse(&s, OBSOLETE_A1), *draft = parse(&s, DRAFT_QUINN_A1),
		     *reviewed = parse(&s, REVIEWED_A1);
	git_oid b = fx_oid(1), nb = fx_oid(2);

	(void)state;
	assert_true(dc_vouch_holds(v, &b, gone, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_holds(draft, &b, gone, &nb, DC_VOUCH_APPROVAL));
	assert_true(dc_vouch_holds(v, &b, gone, &nb, DC_VOUCH_REVIEW));
	assert_false(dc_vouch_holds(v, &b, gone, &nb, DC_VOUCH_RETIREMENT));
	/* status is only left out when NEW is obsolete */
	assert_false(dc_vouch_holds(draft, &b, reviewed, &nb, DC_VOUCH_APPROVAL));
	fx_docs_dispose(&s);
}

/* the fields each kind vouches for (reference §4.2 groups) */
static void fields_of_each_kind(void **state)
{
	const char *const *f;
	size_t n;

	(void)state;
	f = dc_vouch_fields(DC_VOUCH_APPROVAL, &n);
	assert_int_equal(n, 6);
	assert_string_equal(f[1], "approved_by");
	assert_string_equal(f[4], "checked_by");
	f = dc_vouch_fields(DC_VOUCH_REVIEW, &n);
	assert_int_equal(n, 2);
	assert_string_equal(f[0], "reviewed_by");
	f = dc_vouch_fields(DC_VOUCH_RETIREMENT, &n);
	assert_int_equal(n, 4);
	assert_string_equal(f[0], "status");
	assert_string_equal(f[3], "superseded_by");
}

/* a withdrawal in a commit of its own vouches for the retirement only; the
 * check step belongs to the approval group */
static void retirement_and_check_have_their_own_scope(void **state)
{
	fx_docs s = { .n = 0 };
	const dc_doc *gone = parse(&s, OBSOLETE_A1), *p[1] = { parse(&s, APPROVED_A1) };
	const dc_doc *checked = parse(&s, "---\nid: SP-001\ntitle: Alpha\ntype: procedure\nrevision: A/1\n"
					  "status: approved\napproved_by: quinn\napproved_on: 2026-05-20\n"
					  "checked_by: gina\nchecked_on: 2026-05-19\n---\n# Alpha\n\nThe text.\n");
	git_oid b = fx_oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(gone, &b, NULL, &b, p, 1, DC_VOUCH_RETIREMENT), DC_VOUCH_OK);
	assert_int_equal(dc_vouch_scope_of(gone, &b, NULL, &b, p, 1, DC_VOUCH_REVIEW), DC_VOUCH_UNTOUCHED);
	assert_int_equal(dc_vouch_scope_of(checked, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	assert_int_equal(dc_vouch_scope_of(checked, &b, NULL, &b, p, 1, DC_VOUCH_REVIEW), DC_VOUCH_UNTOUCHED);
	/* the check fields are approval fields: a changed check is no carried-over approval */
	assert_false(dc_vouch_approval_equal(checked, p[0]));
	fx_docs_dispose(&s);
}

/* a version that is missing or did not parse vouches for nothing, and a
 * parent without one makes the commit a content change */
static void missing_versions(void **state)
{
	fx_docs s = { .n = 0 };
	dc_doc broken;
	dc_diags ignored;
	const dc_doc *v = parse(&s, APPROVED_A1), *draft = parse(&s, DRAFT_A1);
	const dc_doc *p[2] = { draft, NULL }, *q[1];
	git_oid b = fx_oid(1), nb = fx_oid(2);

	(void)state;
	dc_diags_init(&ignored);
	fx_doc_parse_any(&broken, PATH, "---\nid: [SP-001\n---\n", &ignored);
	assert_null(broken.root);
	q[0] = &broken;
	assert_int_equal(dc_vouch_scope_of(NULL, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_NOT_NEW);
	assert_int_equal(dc_vouch_scope_of(&broken, &b, NULL, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_NOT_NEW);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 2, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, q, 1, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	assert_false(dc_vouch_holds(NULL, &b, v, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_holds(v, &b, NULL, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_holds(v, &b, &broken, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_approval_equal(v, &broken));
	assert_false(dc_vouch_approval_equal(NULL, v));
	assert_false(dc_vouch_approval_changed(&broken, p, 1));
	assert_true(dc_vouch_approval_changed(v, q, 1));
	fx_doc_dispose(&broken);
	dc_diags_dispose(&ignored);
	fx_docs_dispose(&s);
}

#define POLICY(identity)                                                                         \
	"docctl: 1\nroots: [docs]\napproval: {identity: [" identity "]}\n"                       \
	"people:\n"                                                                               \
	"  quinn: {name: Quinn, email: Quinn@Example.com, roles: [qa-manager]}\n"                 \
	"  gina:  {name: Gina, email: gina@example.com, roles: [general-manager, author]}\n"      \
	"  li:    {name: Li, email: li@example.com, roles: [author]}\n"                           \
	"  \"1042\": {name: Numbered, email: n1042@example.com, roles: []}\n"                     \
	"types:\n"                                                                                \
	"  procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager, general-manager]}\n"          \
	"  form:      {id: \"FM-[0-9]{3}\", approvers: [qa-manager, li]}\n"                      \
	"  external:  {id: \"EX-[0-9]{3}\", approvers: [\"1042\"]}\n"

/* who may vouch: a person of the policy holding an approver role of the
 * type, or named among its approvers (reference §6.2 item 5) */
static void who_may_vouch(void **state)
{
	dc_policy *pol = fx_policy_ok(POLICY("signature"));
	const dc_person *p;
	const dc_type *t;

	(void)state;
	assert_int_equal(dc_vouch_who(pol, "quinn", "procedure", &p, &t), DC_VOUCHER_OK);
	assert_string_equal(p->key, "quinn");
	assert_string_equal(t->name, "procedure");
	assert_int_equal(dc_vouch_who(pol, "gina", "procedure", &p, &t), DC_VOUCHER_OK);
	/* an author may not approve a procedure, but li is named for forms */
	assert_int_equal(dc_vouch_who(pol, "li", "procedure", &p, &t), DC_VOUCHER_NO_ROLE);
	assert_non_null(p);
	assert_non_null(t);
	assert_int_equal(dc_vouch_who(pol, "li", "form", &p, &t), DC_VOUCHER_OK);
	assert_int_equal(dc_vouch_who(pol, "gina", "form", &p, &t), DC_VOUCHER_NO_ROLE);
	/* a person id that is a number, named among the approvers */
	assert_int_equal(dc_vouch_who(pol, "1042", "external", &p, &t), DC_VOUCHER_OK);
	assert_int_equal(dc_vouch_who(pol, "1042", "procedure", &p, &t), DC_VOUCHER_NO_ROLE);
	/* a role is not a person, nor is an email or a name */
	assert_int_equal(dc_vouch_who(pol, "qa-manager", "procedure", &p, &t), DC_VOUCHER_NOT_PERSON);
	assert_null(p);
	assert_int_equal(dc_vouch_who(pol, "quinn@example.com", "procedure", &p, &t), DC_VOUCHER_NOT_PERSON);
	assert_int_equal(dc_vouch_who(pol, "Quinn", "procedure", &p, &t), DC_VOUCHER_NOT_PERSON);
	assert_int_equal(dc_vouch_who(pol, NULL, "procedure", &p, &t), DC_VOUCHER_NOT_PERSON);
	/* not a person comes first, then the type */
	assert_int_equal(dc_vouch_who(pol, "mallory", "memo", &p, &t), DC_VOUCHER_NOT_PERSON);
	assert_null(t);
	assert_int_equal(dc_vouch_who(pol, "quinn", "memo", &p, &t), DC_VOUCHER_NO_TYPE);
	assert_non_null(p);
	assert_null(t);
	assert_int_equal(dc_vouch_who(pol, "quinn", NULL, &p, &t), DC_VOUCHER_NO_TYPE);
	assert_int_equal(dc_vouch_who(pol, "quinn", "Procedure", &p, &t), DC_VOUCHER_NO_TYPE);
	dc_policy_free(pol);
}

/* four eyes: the author or the committer is the person (emails compared
 * without regard to case), or the signature may be theirs */
static void four_eyes(void **state)
{
	dc_policy *pol = fx_policy_ok(POLICY("signature"));
	const dc_person *quinn = dc_policy_person(pol, "quinn");
	const dc_person stranger = { "x", "X", NULL, NULL, 0, NULL, 0 };

	(void)state;
	assert_int_equal(dc_vouch_self(pol, quinn, "quinn@example.com", "li@example.com", 0), DC_SELF_YES);
	assert_int_equal(dc_vouch_self(pol, quinn, "li@example.com", "QUINN@example.COM", 0), DC_SELF_YES);
	assert_int_equal(dc_vouch_self(pol, quinn, "quinn@example.com", NULL, 1), DC_SELF_YES);
	/* someone else wrote and committed it: only a signature can make it theirs */
	assert_int_equal(dc_vouch_self(pol, quinn, "li@example.com", "gina@example.com", 0), DC_SELF_NO);
	assert_int_equal(dc_vouch_self(pol, quinn, "li@example.com", "gina@example.com", 1), DC_SELF_IF_SIGNER);
	assert_int_equal(dc_vouch_self(pol, quinn, NULL, NULL, 1), DC_SELF_IF_SIGNER);
	assert_int_equal(dc_vouch_self(pol, quinn, NULL, NULL, 0), DC_SELF_NO);
	/* an email nobody in the policy has, or a near miss, is nobody */
	assert_int_equal(dc_vouch_self(pol, quinn, "quinn@example.org", "quinn", 0), DC_SELF_NO);
	assert_int_equal(dc_vouch_self(pol, quinn, "", "", 0), DC_SELF_NO);
	/* no email: no key of theirs to look for */
	assert_int_equal(dc_vouch_self(pol, &stranger, "li@example.com", NULL, 1), DC_SELF_NO);
	dc_policy_free(pol);
}

/* the pusher method: only when the policy lists it, and only the person */
static void pusher_method(void **state)
{
	dc_policy *sig = fx_policy_ok(POLICY("signature"));
	dc_policy *both = fx_policy_ok(POLICY("signature, pusher"));
	dc_policy *push = fx_policy_ok(POLICY("pusher"));

	(void)state;
	assert_false(dc_vouch_by_pusher(sig, "quinn", "quinn"));
	assert_true(dc_vouch_by_pusher(both, "quinn", "quinn"));
	assert_true(dc_vouch_by_pusher(push, "quinn", "quinn"));
	assert_false(dc_vouch_by_pusher(push, "gina", "quinn"));
	assert_false(dc_vouch_by_pusher(push, "Quinn", "quinn"));
	assert_false(dc_vouch_by_pusher(push, "quinn ", "quinn"));
	assert_false(dc_vouch_by_pusher(push, NULL, "quinn"));
	assert_false(dc_vouch_by_pusher(push, "", "quinn"));
	dc_policy_free(sig);
	dc_policy_free(both);
	dc_policy_free(push);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(approval_of_its_own_vouches),
		cmocka_unit_test(another_version_does_not_vouch),
		cmocka_unit_test(untouched_approval_does_not_ride_along),
		cmocka_unit_test(content_change_does_not_vouch),
		cmocka_unit_test(merge_must_change_against_every_parent),
		cmocka_unit_test(review_vouches_for_review_only),
		cmocka_unit_test(approval_changed_or_carried),
		cmocka_unit_test(unsigned_bytes_are_another_version),
		cmocka_unit_test(later_review_keeps_the_approval),
		cmocka_unit_test(later_withdrawal_keeps_the_approval),
		cmocka_unit_test(fields_of_each_kind),
		cmocka_unit_test(retirement_and_check_have_their_own_scope),
		cmocka_unit_test(missing_versions),
		cmocka_unit_test(who_may_vouch),
		cmocka_unit_test(four_eyes),
		cmocka_unit_test(pusher_method),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
