/*
 * fuzz_feedback.c - fuzz target for the feedback item's parser (reference
 * §11, feedback.h): any bytes as feedback/FB-2026-0001.md. Nothing may
 * crash, leak or hang; a valid item's id, status and fields hold what the
 * form says, it has the same content as itself beyond its decision, and an
 * open item decided as `docctl feedback decide` does is still valid and
 * differs from the original only in its decision.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "feedback.h"
#include "fm_edit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PATH "feedback/FB-2026-0001.md"

static void decided(const dc_feedback *f)
{
	dc_buf b = DC_BUF_INIT;
	dc_feedback g;
	dc_diags d;

	dc_feedback_init(&g);
	dc_diags_init(&d);
	if (dc_buf_put(&b, f->doc.data, f->doc.len) == 0 && dc_fm_set(&b, PATH, "status", "accepted") == 0 &&
	    dc_fm_set(&b, PATH, "decided_by", "quinn") == 0 && dc_fm_set(&b, PATH, "decided_on", "2026-06-01") == 0 &&
	    dc_fm_set(&b, PATH, "reason", "fine") == 0) {
		if (dc_feedback_parse(&g, PATH, b.ptr, b.len, &d) == 0) {
			if (g.status != DC_FB_ACCEPTED || !g.decided_by || strcmp(g.decided_by, "quinn"))
				abort();
			if (!dc_doc_same_except(&f->doc, &g.doc, dc_feedback_decision_fields, dc_feedback_ndecision_fields))
				abort();
		}
	}
	dc_error_clear();
	dc_feedback_dispose(&g);
	dc_diags_dispose(&d);
	dc_buf_dispose(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_feedback f;
	dc_diags d;
	int rc, y, n;

	dc_feedback_init(&f);
	dc_diags_init(&d);
	rc = dc_feedback_parse(&f, PATH, (const char *)data, size, &d);
	if (rc == 0) {
		if (d.n || !f.id || strcmp(f.id, "FB-2026-0001") || dc_feedback_id_parse(f.id, &y, &n) < 0 ||
		    !f.document || !f.from || !f.filed_on || f.status >= DC_FB_NSTATUS ||
		    strcmp(dc_feedback_status_name(f.status), f.status_name) ||
		    (f.status == DC_FB_OPEN) != !f.decided_by || (f.status == DC_FB_IMPLEMENTED) != !!f.resolved_in)
			abort();
		if (!dc_doc_same_except(&f.doc, &f.doc, dc_feedback_decision_fields, dc_feedback_ndecision_fields))
			abort();
		if (f.status == DC_FB_OPEN)
			decided(&f);
	} else if (rc == 1 && !d.n) {
		abort(); /* refused without saying why */
	}
	dc_error_clear();
	dc_feedback_dispose(&f);
	dc_diags_dispose(&d);
	return 0;
}
