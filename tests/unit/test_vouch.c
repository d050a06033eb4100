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

#include "arena.h"
#include "diag.h"
#include "document.h"
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

typedef struct {
	dc_doc d[8];
	size_t n;
} docs;

static const dc_doc *parse(docs *s, const char *text)
{
	dc_doc *d = &s->d[s->n++];
	dc_diags diags;

	dc_doc_init(d);
	dc_diags_init(&diags);
	assert_int_equal(dc_doc_parse(d, "docs/procedures/SP-001-alpha.md", text, strlen(text), 0, &diags), 0);
	dc_diags_dispose(&diags);
	assert_non_null(d->root);
	return d;
}

static void dispose(docs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		dc_doc_dispose(&s->d[i]);
		dc_arena_dispose(&s->d[i].arena);
	}
}

static git_oid oid(int n)
{
	git_oid o;
	char hex[41];

	snprintf(hex, sizeof(hex), "%040d", n);
	git_oid_fromstr(&o, hex);
	return o;
}

/* the approval in a commit of its own vouches */
static void approval_of_its_own_vouches(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	dispose(&s);
}

/* (a): a later commit changed NEW's bytes (approved_on moved) */
static void another_version_does_not_vouch(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = oid(1), nb = oid(2);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_NOT_NEW);
	dispose(&s);
}

/* (b): a commit that leaves the approval as its parent had it (it signed
 * something else) does not vouch for it: no ride-along */
static void untouched_approval_does_not_ride_along(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, APPROVED_A1) };
	git_oid b = oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_UNTOUCHED);
	dispose(&s);
}

/* (c): changing the content, creating the document, or a root commit */
static void content_change_does_not_vouch(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *p[1] = { parse(&s, APPROVED_A0) };
	const dc_doc *none[1] = { NULL };
	git_oid b = oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, none, 1, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, NULL, 0, DC_VOUCH_APPROVAL), DC_VOUCH_CONTENT);
	dispose(&s);
}

/* a merge vouches only when its approval differs from every parent's */
static void merge_must_change_against_every_parent(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1);
	const dc_doc *p[2] = { parse(&s, DRAFT_A1), parse(&s, APPROVED_A1) };
	const dc_doc *q[2] = { parse(&s, DRAFT_A1), parse(&s, APPROVED_A1_LATER) };
	git_oid b = oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 2, DC_VOUCH_APPROVAL), DC_VOUCH_UNTOUCHED);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, q, 2, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	dispose(&s);
}

/* each kind looks at its own group */
static void review_vouches_for_review_only(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, REVIEWED_A1), *p[1] = { parse(&s, APPROVED_A1) };
	git_oid b = oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_REVIEW), DC_VOUCH_OK);
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &b, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_UNTOUCHED);
	dispose(&s);
}

/* approval.stale: carried over, or changed by the commit */
static void approval_changed_or_carried(void **state)
{
	docs s = { .n = 0 };
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
	dispose(&s);
}

/* the same approval with an unsigned comment is another version (§6.3 (a)) */
static void unsigned_bytes_are_another_version(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1_COMMENT), *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = oid(3), nb = oid(1);

	(void)state;
	assert_int_equal(dc_vouch_scope_of(v, &b, NULL, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_NOT_NEW);
	dispose(&s);
}

/* a periodic review after the approval does not undo the approval's
 * signature (the review is vouched for by its own person); any other
 * byte, or a moved approval, still does */
static void later_review_keeps_the_approval(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *reviewed = parse(&s, REVIEWED_A1),
		     *moved = parse(&s, APPROVED_A1_LATER), *comment = parse(&s, APPROVED_A1_COMMENT),
		     *p[1] = { parse(&s, DRAFT_A1) };
	git_oid b = oid(1), nb = oid(2);

	(void)state;
	assert_true(dc_vouch_holds(v, &b, reviewed, &nb, DC_VOUCH_APPROVAL));
	assert_int_equal(dc_vouch_scope_of(v, &b, reviewed, &nb, p, 1, DC_VOUCH_APPROVAL), DC_VOUCH_OK);
	assert_false(dc_vouch_holds(v, &b, reviewed, &nb, DC_VOUCH_REVIEW));
	assert_false(dc_vouch_holds(v, &b, reviewed, &nb, DC_VOUCH_RETIREMENT));
	assert_false(dc_vouch_holds(v, &b, moved, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_holds(v, &b, comment, &nb, DC_VOUCH_APPROVAL));
	assert_true(dc_vouch_holds(v, &b, NULL, &b, DC_VOUCH_RETIREMENT));
	dispose(&s);
}

/* a withdrawal after the approval keeps it too, but only of a version that
 * was approved */
static void later_withdrawal_keeps_the_approval(void **state)
{
	docs s = { .n = 0 };
	const dc_doc *v = parse(&s, APPROVED_A1), *gone = parse(&s, OBSOLETE_A1), *draft = parse(&s, DRAFT_QUINN_A1),
		     *reviewed = parse(&s, REVIEWED_A1);
	git_oid b = oid(1), nb = oid(2);

	(void)state;
	assert_true(dc_vouch_holds(v, &b, gone, &nb, DC_VOUCH_APPROVAL));
	assert_false(dc_vouch_holds(draft, &b, gone, &nb, DC_VOUCH_APPROVAL));
	assert_true(dc_vouch_holds(v, &b, gone, &nb, DC_VOUCH_REVIEW));
	assert_false(dc_vouch_holds(v, &b, gone, &nb, DC_VOUCH_RETIREMENT));
	/* status is only left out when NEW is obsolete */
	assert_false(dc_vouch_holds(draft, &b, reviewed, &nb, DC_VOUCH_APPROVAL));
	dispose(&s);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
