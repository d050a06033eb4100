/*
 * test_recipes.c - what approve, obsolete, review and revise change
 * (recipes.h): the verdict from the document's state, and the edits
 * applied to a real front-matter by the byte-preserving editor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "recipes.h"

static dc_docinfo doc(const char *status, const char *revision)
{
	dc_docinfo d;

	memset(&d, 0, sizeof(d));
	d.path = "docs/SP-004.md";
	d.id = "SP-004";
	d.type = "procedure";
	d.status = status;
	d.revision = revision;
	return d;
}

static const char *edit_of(const dc_recipe *r, const char *field, int *found)
{
	size_t i;

	*found = 0;
	for (i = 0; i < r->nedits; i++) {
		if (!strcmp(r->edits[i].field, field)) {
			*found = 1;
			return r->edits[i].value;
		}
	}
	return NULL;
}

static void approve_sets_the_approval(void **state)
{
	dc_docinfo d = doc("in-review", "B");
	dc_recipe r;
	int found;

	(void)state;
	dc_recipe_approve(&r, &d, "li.hua", "2026-12-01");
	assert_int_equal(r.verdict, DC_RECIPE_OK);
	assert_string_equal(edit_of(&r, "status", &found), "approved");
	assert_string_equal(edit_of(&r, "approved_by", &found), "li.hua");
	assert_string_equal(edit_of(&r, "effective", &found), "2026-12-01");
	d.effective = "2027-01-01"; /* a later date the author set stays */
	dc_recipe_approve(&r, &d, "li.hua", "2026-12-01");
	assert_string_equal(r.effective, "2027-01-01");
	d.effective = "2026-01-01";
	dc_recipe_approve(&r, &d, "li.hua", "2026-12-01");
	assert_string_equal(r.effective, "2026-12-01");
	d = doc("obsolete", "B");
	dc_recipe_approve(&r, &d, "li.hua", "2026-12-01");
	assert_int_equal(r.verdict, DC_RECIPE_IS_OBSOLETE);
	assert_int_equal(r.nedits, 0);
}

static void review_and_obsolete_need_an_approved_document(void **state)
{
	dc_docinfo d = doc("draft", "A");
	dc_recipe r;
	int found;

	(void)state;
	dc_recipe_review(&r, &d, "li.hua", "2026-12-01");
	assert_int_equal(r.verdict, DC_RECIPE_NOT_APPROVED);
	dc_recipe_obsolete(&r, &d, "li.hua", "2026-12-01", NULL);
	assert_int_equal(r.verdict, DC_RECIPE_NOT_APPROVED);
	d.status = "approved";
	dc_recipe_review(&r, &d, "li.hua", "2026-12-01");
	assert_int_equal(r.verdict, DC_RECIPE_OK);
	assert_string_equal(edit_of(&r, "reviewed_on", &found), "2026-12-01");
	dc_recipe_obsolete(&r, &d, "li.hua", "2026-12-01", NULL);
	edit_of(&r, "superseded_by", &found);
	assert_int_equal(found, 0);
	dc_recipe_obsolete(&r, &d, "li.hua", "2026-12-01", "SP-009");
	assert_string_equal(edit_of(&r, "superseded_by", &found), "SP-009");
	assert_string_equal(edit_of(&r, "status", &found), "obsolete");
}

static void revise_starts_the_next_revision(void **state)
{
	dc_docinfo d = doc("approved", "A/3");
	dc_recipe r;
	int found;

	(void)state;
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER_NUMBER, "clause 4", 0);
	assert_int_equal(r.verdict, DC_RECIPE_OK);
	assert_string_equal(r.revision, "A/4");
	assert_string_equal(edit_of(&r, "status", &found), "draft");
	assert_null(edit_of(&r, "approved_by", &found));
	assert_int_equal(found, 1); /* removed */
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER_NUMBER, NULL, 1);
	assert_string_equal(r.revision, "B/0");
	d = doc("draft", "B/0"); /* already the next revision */
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER_NUMBER, NULL, 0);
	assert_int_equal(r.verdict, DC_RECIPE_NOT_YET_APPROVED);
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER_NUMBER, "say it again", 0);
	assert_int_equal(r.verdict, DC_RECIPE_OK);
	assert_int_equal(r.change_only, 1);
	assert_int_equal(r.nedits, 1);
	d = doc("approved", "7");
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER, NULL, 0);
	assert_int_equal(r.verdict, DC_RECIPE_BAD_REVISION);
	d = doc("obsolete", "C");
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER, NULL, 0);
	assert_int_equal(r.verdict, DC_RECIPE_IS_OBSOLETE);
}

static void apply_edits_the_front_matter(void **state)
{
	static const char text[] = "---\nid: SP-004\nrevision: A\nstatus: approved\napproved_by: li.hua\n"
				   "approved_on: 2026-01-05\n---\n# Body\n";
	dc_docinfo d = doc("approved", "A");
	dc_buf b = DC_BUF_INIT;
	dc_recipe r;

	(void)state;
	dc_buf_puts(&b, text);
	dc_recipe_revise(&r, &d, DC_SCHEME_LETTER, "new table", 0);
	assert_int_equal(dc_recipe_apply(&b, d.path, &r), 0);
	assert_non_null(strstr(b.ptr, "revision: B\n"));
	assert_non_null(strstr(b.ptr, "status: draft\n"));
	assert_non_null(strstr(b.ptr, "change: new table\n"));
	assert_null(strstr(b.ptr, "approved_by"));
	assert_non_null(strstr(b.ptr, "---\n# Body\n"));
	dc_buf_dispose(&b);
}

static void citing_lists_approved_documents_that_cite_it(void **state)
{
	dc_docinfo docs[3];
	dc_sref ref = { "SP-004", { 0 } };
	dc_docset set;
	const dc_docinfo **by = NULL;
	size_t n;

	(void)state;
	docs[0] = doc("approved", "A");
	docs[1] = doc("approved", "A");
	docs[1].id = "WI-001";
	docs[1].path = "docs/WI-001.md";
	docs[1].refs = &ref;
	docs[1].nrefs = 1;
	docs[2] = docs[1];
	docs[2].id = "QR-001";
	docs[2].type = "record"; /* records keep citing */
	memset(&set, 0, sizeof(set));
	set.docs = docs;
	set.n = 3;
	assert_int_equal(dc_recipe_citing(&by, &n, &set, &docs[0]), 0);
	assert_int_equal(n, 1);
	assert_string_equal(by[0]->id, "WI-001");
	free(by);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(approve_sets_the_approval),
		cmocka_unit_test(review_and_obsolete_need_an_approved_document),
		cmocka_unit_test(revise_starts_the_next_revision),
		cmocka_unit_test(apply_edits_the_front_matter),
		cmocka_unit_test(citing_lists_approved_documents_that_cite_it),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
