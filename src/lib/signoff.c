/*
 * signoff.c - see signoff.h (reference §9.1).
 */
#include "signoff.h"

#include <string.h>

#include "buf.h"
#include "date.h"
#include "i18n.h"

#define ADD(at, rule, ...) dc_diags_add(diags, doc->path, (at).line, (at).col, rule, id, __VA_ARGS__)

static const char *str_at(const dc_doc *doc, const char *field, dc_mark *m)
{
	const dc_node *v = dc_node_get(doc->root, field);

	if (!v || v->kind != DC_NODE_STR)
		return NULL;
	*m = v->start;
	return v->text;
}

void dc_signoff_roles(dc_buf *out, const dc_type *t)
{
	size_t i;

	for (i = 0; t && i < t->ncheckers; i++)
		dc_buf_printf(out, "%s%s", i ? ", " : "", t->checkers[i]);
}

int dc_check_signoff(const dc_policy *p, const dc_type *t, const dc_doc *doc, const char *id, dc_diags *diags)
{
	dc_mark cm = doc->open, com = doc->open, am = doc->open, sm = doc->open;
	const char *by, *on, *appr, *aon, *status;
	dc_date dc, da;
	int rc = 0;

	if (!doc->root)
		return 0;
	by = str_at(doc, "checked_by", &cm);
	on = str_at(doc, "checked_on", &com);
	appr = str_at(doc, "approved_by", &am);
	aon = str_at(doc, "approved_on", &am);
	status = str_at(doc, "status", &sm);
	if (by && !dc_policy_person(p, by))
		return ADD(cm, DC_R_PERSON_UNKNOWN, _("checked_by \"%s\" is not a person in docctl.yaml; use a person id from its people list"), by);
	if (!t)
		return 0;
	if (by && !t->ncheckers)
		return ADD(cm, DC_R_APPROVAL_UNAUTHORIZED,
			   _("checked_by \"%s\": type %s has no check step (no checkers in docctl.yaml); remove checked_by and checked_on"),
			   by, t->name);
	if (!t->ncheckers)
		return 0;
	if (by && !dc_policy_may_check(p, t, by)) {
		dc_buf roles = DC_BUF_INIT;

		dc_signoff_roles(&roles, t);
		rc = ADD(cm, DC_R_APPROVAL_UNAUTHORIZED, _("checked_by \"%s\" holds no checker role of type %s; ask someone who holds %s"),
			 by, t->name, roles.ptr ? roles.ptr : "");
		dc_buf_dispose(&roles);
		if (rc < 0)
			return -1;
	}
	/* an obsolete document is final: it keeps the sign-off it had */
	if (status && !strcmp(status, "approved") && !by &&
	    ADD(sm, DC_R_SIGNOFF_MISSING,
		_("%s is approved without a check: type %s needs checked_by (审核) before approval; ask a checker to run: docctl approve %s --step checked --sign"),
		id ? id : doc->path, t->name, id ? id : "ID") < 0)
		return -1;
	if (by && !on && ADD(cm, DC_R_SIGNOFF_MISSING, _("checked_by without checked_on; run: docctl approve %s --step checked"),
			     id ? id : "ID") < 0)
		return -1;
	if (on && !by && ADD(com, DC_R_SIGNOFF_MISSING, _("checked_on without checked_by; run: docctl approve %s --step checked"),
			     id ? id : "ID") < 0)
		return -1;
	if (on && aon && !dc_date_parse(&dc, on) && !dc_date_parse(&da, aon) && dc_date_cmp(&dc, &da) > 0 &&
	    ADD(com, DC_R_SIGNOFF_ORDER, _("checked_on %s is after approved_on %s; the check comes before the approval: check again, then approve"),
		on, aon) < 0)
		return -1;
	if (by && appr && !strcmp(by, appr)) {
		str_at(doc, "approved_by", &am);
		if (ADD(am, DC_R_SIGNOFF_SAME_PERSON,
			_("\"%s\" both checked and approved %s; the author, the checker and the approver must be three people: ask another approver"),
			appr, id ? id : doc->path) < 0)
			return -1;
	}
	return 0;
}
