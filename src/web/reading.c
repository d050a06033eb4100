/*
 * reading.c - one person's reading list read in the CGI process (web.h;
 * reference §10, §12): the documents of the trusted ref and their readers
 * (training.h), and that person's confirmations only: the one file
 * acks/<person>.txt of the confirmations' ref. What a page costs grows
 * with the documents and the person, never with the confirmations' ref.
 * The training matrix page reads the whole matrix (web_matrix_open).
 */
#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "check.h"
#include "error.h"
#include "side_write.h"
#include "web.h"

typedef struct {
	web_reading *r;
	uint32_t me;
} mine_ctx;

/* One line of my file: the first line of a document's accepted revision
 * counts (as training.c reads the whole ref). */
static int mine_line(void *arg, const dc_ack *a, size_t line)
{
	mine_ctx *m = arg;
	char id[DC_ACK_LINE_MAX], date[11];
	const dc_train_doc *cd;
	dc_train_doc *d;
	dc_date day;
	size_t k, at;

	(void)line;
	if (!dc_span_is(a->person, m->r->t.policy->people[m->me].key) || a->id.len >= sizeof(id) || a->date.len != 10)
		return 0;
	memcpy(id, a->id.p, a->id.len);
	id[a->id.len] = '\0';
	memcpy(date, a->date.p, 10);
	date[10] = '\0';
	if (!(cd = dc_training_doc(&m->r->t, id)) || (at = dc_train_doc_reader(cd, m->me)) == SIZE_MAX)
		return 0;
	d = (dc_train_doc *)cd;
	if (d->cells[at].day != DC_ACK_NONE || dc_date_parse(&day, date) < 0)
		return 0;
	for (k = 0; k < d->naccepted && !dc_span_is(a->revision, d->accepted[k]); k++)
		;
	if (k == d->naccepted)
		return 0;
	d->cells[at].day = (int32_t)dc_date_days(&day);
	d->cells[at].revision = d->accepted[k];
	d->nconfirmed++;
	return 0;
}

int web_docs_open(web_req *req, dc_docset *set, const dc_date *today)
{
	dc_check_opts o = { .today = *today };
	dc_diags diags;
	int rc;

	dc_diags_init(&diags);
	rc = dc_check_all(req->project, &o, set, &diags);
	dc_diags_dispose(&diags);
	return rc < 0 ? -1 : 0;
}

/* Today, the documents and the register of the trusted ref: 0, or -1. */
static int register_open(web_req *req, web_reading *r)
{
	dc_register_opts ro;

	*r = (web_reading){ .has_acks = 0 };
	dc_docset_init(&r->set);
	dc_register_init(&r->reg);
	dc_training_init(&r->t);
	dc_buf_init(&r->mine);
	if (dc_today(&r->today, NULL) < 0)
		return dc_error_set("DOCCTL_AS_OF is not a date");
	if (web_docs_open(req, &r->set, &r->today) < 0)
		return -1;
	memset(&ro, 0, sizeof(ro));
	ro.repo = req->repo;
	ro.tip = &req->commit;
	ro.prefix = "";
	ro.today = r->today;
	return dc_register_build(&r->reg, req->project->policy, &r->set, &ro) < 0 ? -1 : 0;
}

int web_matrix_open(web_req *req, web_reading *r)
{
	if (register_open(req, r) < 0)
		return -1;
	return dc_training_load(&r->t, req->project->policy, &r->reg, req->repo, &req->commit, "");
}

int web_reading_open(web_req *req, web_reading *r, const char *only)
{
	const dc_policy *pol = req->project->policy;
	dc_ack_error err;
	mine_ctx m = { r, (uint32_t)(req->me - pol->people) };
	int rc;

	if (register_open(req, r) < 0)
		return -1;
	{
		/* one document: the training of its row only (its readers, its
		 * revisions), not of every document */
		dc_register view = r->reg;
		const dc_register_row *row = only ? dc_register_find(&r->reg, only) : NULL;

		if (only) {
			view.rows = (dc_register_row *)row;
			view.n = row ? 1 : 0;
		}
		if (dc_training_build(&r->t, pol, &view, req->repo, &req->commit, "") < 0)
			return -1;
	}
	if ((r->has_acks = dc_training_ack_tip(&r->acks, req->repo, pol)) < 0)
		return -1;
	{
		dc_buf path = DC_BUF_INIT;

		rc = dc_buf_printf(&path, "acks/%s.txt", req->me->key) < 0
			     ? -1
			     : dc_side_read(&r->mine, req->repo, r->has_acks ? &r->acks : NULL, path.ptr);
		dc_buf_dispose(&path);
	}
	if (rc < 0)
		return -1;
	/* a broken line is the server's to refuse; the lines before it count */
	return dc_ack_each(r->mine.ptr, r->mine.len, mine_line, &m, &err) < 0 ? -1 : 0;
}

void web_reading_dispose(web_reading *r)
{
	dc_training_dispose(&r->t);
	dc_register_dispose(&r->reg);
	dc_docset_dispose(&r->set);
	dc_buf_dispose(&r->mine);
}
