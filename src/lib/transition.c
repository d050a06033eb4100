/*
 * transition.c - how an approved document may change (see transition.h).
 */
#include "transition.h"

#include <string.h>

#include "fields.h"
#include "i18n.h"
#include "revision.h"

static const char *status_of(const dc_doc *d)
{
	const char *s = d->root ? dc_doc_str(d, "status") : NULL;

	return s ? s : "";
}

int dc_change_was_controlled(const dc_change *c)
{
	const char *s;

	if (!c->has_old)
		return 0;
	s = status_of(&c->old_doc);
	return dc_status_parse(s) == DC_STATUS_APPROVED || dc_status_parse(s) == DC_STATUS_OBSOLETE;
}

static const dc_type *type_of(const dc_doc *d, const dc_policy *p)
{
	const char *t = d->root ? dc_doc_str(d, "type") : NULL;

	return t ? dc_policy_type(p, t) : NULL;
}

int dc_record_retention(const dc_doc *doc, const dc_policy *p, dc_duration *out)
{
	const char *own = dc_doc_str(doc, "retention");
	const dc_type *t = type_of(doc, p);

	if (own && dc_duration_parse(out, own) == 0)
		return 0;
	if (t && t->has_retention) {
		*out = t->retention;
		return 0;
	}
	return -1;
}

static dc_mark field_mark(const dc_doc *d, const char *field)
{
	const dc_node *v = dc_node_get(d->root, field);

	return v ? v->start : d->open;
}

static int deleted(const dc_change *c, const dc_transition_opts *o, dc_diags *diags)
{
	const dc_doc *d = &c->old_doc;
	const dc_type *t = type_of(d, o->policy);
	const char *id = c->id ? c->id : d->path;
	const char *approved_on = dc_doc_str(d, "approved_on");
	dc_duration keep;
	dc_date on, until;
	char until_s[11];

	if (t && !strcmp(t->name, "record")) {
		if (dc_record_retention(d, o->policy, &keep) < 0 || !approved_on || dc_date_parse(&on, approved_on) < 0)
			return dc_diags_add(diags, d->path, 0, 0, DC_R_RECORD_RETENTION, c->id,
					    _("record %s was deleted but its retention cannot be computed (no retention or approved_on); keep the record"),
					    id);
		until = dc_date_add(&on, &keep);
		if (dc_date_cmp(&o->today, &until) >= 0)
			return 0;
		dc_date_format(&until, until_s);
		return dc_diags_add(diags, d->path, 0, 0, DC_R_RECORD_RETENTION, c->id,
				    _("record %s was deleted before its retention passed (kept until %s, counted from approved_on %s); restore it"),
				    id, until_s, approved_on);
	}
	return dc_diags_add(diags, d->path, 0, 0, DC_R_DOC_DELETED, c->id,
			    _("%s %s was deleted; a controlled document is withdrawn, not deleted: restore it and run 'docctl obsolete %s'"),
			    status_of(d), id, id);
}

static int revision_order(const dc_change *c, const dc_transition_opts *o, dc_diags *diags)
{
	const dc_node *ov = dc_node_get(c->old_doc.root, "revision");
	const dc_node *nv = dc_node_get(c->new_doc.root, "revision");
	dc_revision a, b;
	dc_mark m = field_mark(&c->new_doc, "revision");
	int cmp;

	if (!ov || !nv || dc_revision_parse(&a, o->policy->scheme, ov) < 0 ||
	    dc_revision_parse(&b, o->policy->scheme, nv) < 0)
		return 0; /* revision.invalid is reported by check */
	cmp = dc_revision_cmp(&b, &a);
	if (cmp == 0 && c->files_changed && dc_doc_same_content(&c->old_doc, &c->new_doc))
		return dc_diags_add(diags, c->new_doc.path, m.line, m.col, DC_R_FILE_CHANGED, c->id,
				    _("a file that %s %s lists in files changed, but its revision stays %s; a listed file is part of the approved content: start a new revision with 'docctl revise %s' and get it approved"),
				    status_of(&c->old_doc), c->id, nv->text, c->id);
	if (cmp == 0)
		return dc_diags_add(diags, c->new_doc.path, m.line, m.col, DC_R_REVISION_NOT_BUMPED, c->id,
				    _("the content of %s %s changed but its revision stays %s; start a new revision with 'docctl revise %s'"),
				    status_of(&c->old_doc), c->id, nv->text, c->id);
	if (cmp < 0)
		return dc_diags_add(diags, c->new_doc.path, m.line, m.col, DC_R_REVISION_REGRESSED, c->id,
				    _("revision of %s went down from %s to %s; revisions only go up: use 'docctl revise %s'"),
				    c->id, ov->text, nv->text, c->id);
	return 0;
}

int dc_transition_check(const dc_change *c, const dc_transition_opts *o, dc_diags *diags)
{
	const dc_doc *nd = &c->new_doc;
	const dc_type *t;
	const char *oid, *nid;

	if (!dc_change_was_controlled(c) || !c->old_doc.root)
		return 0;
	if (c->kind == DC_CHANGE_DELETED)
		return deleted(c, o, diags);
	if (!nd->root)
		return 0; /* unparseable: check reports it */
	oid = dc_doc_str(&c->old_doc, "id");
	nid = dc_doc_str(nd, "id");
	if (oid && nid && strcmp(oid, nid)) {
		dc_mark m = field_mark(nd, "id");

		return dc_diags_add(diags, nd->path, m.line, m.col, DC_R_ID_CHANGED, nid,
				    _("id changed from %s to %s; an approved document keeps its id: restore it, or create a new document with 'docctl new'"),
				    oid, nid);
	}
	if (!strcmp(status_of(&c->old_doc), "obsolete")) {
		dc_mark m;

		if (!c->content_changed && !c->approval_changed && !c->review_changed && !c->retire_changed)
			return 0; /* a pure rename */
		m = field_mark(nd, "status");
		return dc_diags_add(diags, nd->path, m.line, m.col, DC_R_STATUS_TRANSITION, c->id,
				    _("%s is obsolete and obsolete is final; restore it as it was and write a new document instead"),
				    c->id);
	}
	t = type_of(&c->old_doc, o->policy);
	if (t && !strcmp(t->name, "record") && git_oid_cmp(&c->old_oid, &c->new_oid)) {
		return dc_diags_add(diags, nd->path, nd->open.line, nd->open.col, DC_R_RECORD_IMMUTABLE, c->id,
				    _("approved record %s changed; a filed record is never edited: restore it and file a new record that corrects it"),
				    c->id);
	}
	if (c->content_changed)
		return revision_order(c, o, diags);
	return 0;
}
