/*
 * policy_training.c - the parts of docctl.yaml that say who must read what
 * (reference §10): `training` (due, trainers, ref), each person's
 * `departments` and each type's `readers`. Called by dc_policy_load() once
 * the people and types are loaded; every problem is a policy.invalid
 * finding at the policy's own line:col, like the rest of the policy.
 */
#include "policy.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "text.h"

static const char *const training_keys[] = { "due", "trainers", "ref", NULL };

typedef struct {
	dc_policy *p;
	dc_diags *diags;
	int bad;
} tloader;

int dc_policy_invalid(const dc_policy *p, dc_diags *diags, int *bad, const dc_mark *at, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dc_diags_vadd(diags, p->file, at->line, at->col, DC_R_POLICY_INVALID, NULL, fmt, ap);
	va_end(ap);
	*bad = 1;
	return rc;
}

#define invalid(ld, at, ...) dc_policy_invalid((ld)->p, (ld)->diags, &(ld)->bad, at, __VA_ARGS__)

/* The node's text, or "" (for messages: short keys and names only). */
static const char *text_of(const dc_node *n)
{
	return n->kind != DC_NODE_SEQ && n->kind != DC_NODE_MAP && n->text && !memchr(n->text, '\0', n->len) ? n->text
													  : "";
}

/* A list of non-empty strings into the arena; NULL *out after a finding. */
static int strings(tloader *ld, const dc_node *v, const char *what, const char *hint, const char ***out, size_t *n)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (v->kind != DC_NODE_SEQ)
		return invalid(ld, &v->start, _("%s must be a list of strings; %s"), what, hint);
	*out = dc_arena_alloc(&ld->p->arena, (v->u.seq.n + 1) * sizeof(char *));
	if (!*out)
		return dc_error_oom();
	for (i = 0; i < v->u.seq.n; i++) {
		const dc_node *e = v->u.seq.items[i];

		if (e->kind != DC_NODE_STR || !e->len || memchr(e->text, '\0', e->len)) {
			if (invalid(ld, &e->start, _("each entry of %s must be a non-empty string; %s"), what, hint) < 0)
				return -1;
			continue;
		}
		if (!((*out)[(*n)++] = dc_arena_strndup(&ld->p->arena, e->text, e->len)))
			return dc_error_oom();
	}
	return 0;
}

int dc_policy_plain_string(const dc_node *v)
{
	return v->kind == DC_NODE_STR && v->len && !memchr(v->text, '\0', v->len);
}

int dc_policy_plain_strings(const dc_node *v)
{
	size_t i;

	if (v->kind != DC_NODE_SEQ)
		return 0;
	for (i = 0; i < v->u.seq.n; i++)
		if (!dc_policy_plain_string(v->u.seq.items[i]))
			return 0;
	return 1;
}

int dc_policy_copy_strings(dc_policy *p, const dc_node *v, const char ***out, size_t *n)
{
	size_t i;

	*n = 0;
	if (!(*out = dc_arena_alloc(&p->arena, (v->u.seq.n + 1) * sizeof(char *))))
		return dc_error_oom();
	for (i = 0; i < v->u.seq.n; i++)
		if (!((*out)[(*n)++] = dc_arena_strndup(&p->arena, v->u.seq.items[i]->text, v->u.seq.items[i]->len)))
			return dc_error_oom();
	return 0;
}

/* dc_policy_person() and dc_policy_type() live here (policy.c calls this
 * file, never the other way round): the loaders of both files look people
 * and types up with them. */
const dc_person *dc_policy_person(const dc_policy *p, const char *key)
{
	size_t i;

	if (key && p->people_by_key.n)
		return dc_strmap_get(&p->people_by_key, key, &i) ? &p->people[i] : NULL;
	for (i = 0; key && i < p->npeople; i++)
		if (!strcmp(p->people[i].key, key))
			return &p->people[i];
	return NULL;
}

const dc_type *dc_policy_type(const dc_policy *p, const char *name)
{
	size_t i;

	for (i = 0; name && i < p->ntypes; i++)
		if (!strcmp(p->types[i].name, name))
			return &p->types[i];
	return NULL;
}

static int has(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

static int names_someone(const dc_policy *p, const char *s, int departments)
{
	size_t i;

	return dc_policy_person(p, s) || dc_strmap_get(&p->role_names, s, &i) ||
	       (departments && dc_strmap_get(&p->department_names, s, &i));
}

/* role_names and department_names, once the departments are loaded. */
static int index_names(dc_policy *p)
{
	size_t i, k;

	for (i = 0; i < p->npeople; i++) {
		const dc_person *who = &p->people[i];

		for (k = 0; k < who->nroles; k++)
			if (dc_strmap_put(&p->role_names, who->roles[k], 0) < 0)
				return dc_error_oom();
		for (k = 0; k < who->ndepartments; k++)
			if (dc_strmap_put(&p->department_names, who->departments[k], 0) < 0)
				return dc_error_oom();
	}
	return 0;
}

int dc_policy_reader_known(const dc_policy *p, const char *name)
{
	return !strcmp(name, "all") || names_someone(p, name, 1);
}

/* Adds `cand` to the near names when close to `name` and not there yet.
 * Returns 0, or -1. */
static int near_one(dc_buf *out, size_t *n, const char *name, const char *cand)
{
	size_t d, len = dc_utf8_count(name, strlen(name)), limit = len <= 2 ? 1 : len > 12 ? 3 : 2;
	dc_buf quoted = DC_BUF_INIT;
	int rc = 0;

	if (*n >= 5 || (d = dc_edit_distance(name, cand)) > limit || d == 0)
		return 0;
	if (dc_buf_printf(&quoted, "\"%s\"", cand) < 0)
		rc = -1;
	else if (!out->ptr || !strstr(out->ptr, quoted.ptr)) {
		rc = dc_buf_printf(out, "%s%s", *n ? ", " : "", quoted.ptr);
		(*n)++;
	}
	dc_buf_dispose(&quoted);
	return rc;
}

int dc_policy_near_names(const dc_policy *p, const char *name, int departments, dc_buf *out)
{
	size_t i, k, n = 0;
	int rc = 0;

	for (i = 0; rc == 0 && i < p->npeople && n < 5; i++) {
		const dc_person *who = &p->people[i];

		rc = near_one(out, &n, name, who->key);
		for (k = 0; rc == 0 && k < who->nroles; k++)
			rc = near_one(out, &n, name, who->roles[k]);
		for (k = 0; rc == 0 && departments && k < who->ndepartments; k++)
			rc = near_one(out, &n, name, who->departments[k]);
	}
	return rc < 0 ? dc_error_oom() : 0;
}

/* A name of a readers or trainers list that names nobody: a finding at
 * `at` whose hint lists the near names when there are some. */
static int unknown_name(tloader *ld, const dc_mark *at, const char *name, int departments, const char *what,
			const char *hint)
{
	dc_buf near = DC_BUF_INIT;
	int rc;

	if (dc_policy_near_names(ld->p, name, departments, &near) < 0)
		return -1;
	if (near.len)
		rc = invalid(ld, at, _("%s \"%s\" names nobody of the policy; did you mean %s? %s"), what, name, near.ptr, hint);
	else
		rc = invalid(ld, at, _("%s \"%s\" names nobody of the policy; %s"), what, name, hint);
	dc_buf_dispose(&near);
	return rc;
}

static int load_departments(tloader *ld, const dc_node *root)
{
	const dc_node *people = dc_node_get(root, "people");
	size_t i, next = 0;

	if (!people || people->kind != DC_NODE_MAP)
		return 0;
	for (i = 0; i < people->u.map.n; i++) {
		const dc_pair *pair = &people->u.map.pairs[i];
		const dc_node *v;
		dc_person *who;
		dc_buf what = DC_BUF_INIT;
		int rc;

		if (pair->value->kind != DC_NODE_MAP || !(v = dc_node_get(pair->value, "departments")))
			continue;
		/* the people loader kept the valid keys in file order */
		while (next < ld->p->npeople && strcmp(ld->p->people[next].key, text_of(pair->key)))
			next++;
		if (next == ld->p->npeople) {
			next = 0;
			continue; /* reported by the people loader */
		}
		who = &ld->p->people[next++];
		if (dc_policy_plain_strings(v)) {
			if (dc_policy_copy_strings(ld->p, v, &who->departments, &who->ndepartments) < 0)
				return -1;
			continue;
		}
		if (dc_buf_printf(&what, "people.%s.departments", who->key) < 0)
			return -1;
		rc = strings(ld, v, what.ptr, _("write departments: [客服部] or departments: []"), &who->departments,
			     &who->ndepartments);
		dc_buf_dispose(&what);
		if (rc < 0)
			return -1;
		if (!who->departments)
			who->ndepartments = 0;
	}
	return 0;
}

static int load_readers(tloader *ld, const dc_node *root)
{
	static const char *const hint = N_("write readers: [all], or roles, people and departments such as readers: [客服部, qa-manager]");
	const dc_node *types = dc_node_get(root, "types");
	size_t i, k;

	if (!types || types->kind != DC_NODE_MAP)
		return 0;
	for (i = 0; i < types->u.map.n; i++) {
		const dc_pair *pair = &types->u.map.pairs[i];
		const dc_node *v;
		const dc_type *known;
		dc_type *t;
		dc_buf what = DC_BUF_INIT;
		int rc;

		if (pair->value->kind != DC_NODE_MAP || !(v = dc_node_get(pair->value, "readers")) ||
		    !(known = dc_policy_type(ld->p, text_of(pair->key))))
			continue;
		t = &ld->p->types[known - ld->p->types];
		if (dc_buf_printf(&what, "types.%s.readers", t->name) < 0)
			return -1;
		rc = strings(ld, v, what.ptr, _(hint), &t->readers, &t->nreaders);
		if (!t->readers)
			t->nreaders = 0;
		for (k = 0; rc == 0 && k < t->nreaders; k++)
			if (!dc_policy_reader_known(ld->p, t->readers[k]))
				rc = unknown_name(ld, &v->u.seq.items[k]->start, t->readers[k], 1, what.ptr,
						  _("name all, a person, a role anyone holds or a department anyone belongs to"));
		dc_buf_dispose(&what);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int protected_ref(const dc_policy *p, const char *ref)
{
	size_t i;

	for (i = 0; i < p->nprotected; i++)
		if (fnmatch(p->protected_refs[i], ref, 0) == 0)
			return 1;
	return 0;
}

static int load_training(tloader *ld, const dc_node *root)
{
	dc_training_policy *tr = &ld->p->training;
	const dc_node *v = dc_node_get(root, "training"), *e;
	size_t i, k;

	tr->due.days = 14;
	tr->ref = "refs/heads/docctl/acks";
	if (!v)
		return 0;
	tr->present = 1;
	if (v->kind != DC_NODE_MAP)
		return invalid(ld, &v->start, _("training must be a mapping; write training: {due: P14D, trainers: [qa-manager]}"));
	for (i = 0; i < v->u.map.n; i++) {
		const dc_node *key = v->u.map.pairs[i].key;
		int ok = 0;

		for (k = 0; training_keys[k]; k++)
			if (key->kind == DC_NODE_STR && strlen(training_keys[k]) == key->len &&
			    !memcmp(training_keys[k], key->text, key->len))
				ok = 1;
		if (!ok && invalid(ld, &key->start, _("unknown key \"%s\" in training; known keys are due, trainers, ref"),
				   text_of(key)) < 0)
			return -1;
	}
	if ((e = dc_node_get(v, "due"))) {
		static const char *const hint = N_("write an ISO 8601 date duration such as P14D, P2W or P1M");
		dc_duration d;

		memset(&d, 0, sizeof(d));
		if (e->kind != DC_NODE_STR || dc_duration_parse(&d, text_of(e)) < 0) {
			if (invalid(ld, &e->start, _("training.due \"%s\" is not a duration; %s"), text_of(e), _(hint)) < 0)
				return -1;
		} else if (!d.years && !d.months && !d.weeks && !d.days) {
			if (invalid(ld, &e->start, _("training.due \"%s\" is zero; %s"), text_of(e), _(hint)) < 0)
				return -1;
		} else {
			tr->due = d;
		}
	}
	if ((e = dc_node_get(v, "trainers"))) {
		static const char *const hint = N_("write trainers: [qa-manager]");

		if (strings(ld, e, "training.trainers", _(hint), &tr->trainers, &tr->ntrainers) < 0)
			return -1;
		if (!tr->trainers)
			tr->ntrainers = 0;
		for (k = 0; k < tr->ntrainers; k++) {
			if (names_someone(ld->p, tr->trainers[k], 0))
				continue;
			if (unknown_name(ld, &e->u.seq.items[k]->start, tr->trainers[k], 0, "training.trainers",
					 _("name a person of people or a role someone holds")) < 0)
				return -1;
		}
	}
	if ((e = dc_node_get(v, "ref"))) {
		const char *s = text_of(e);

		if (e->kind != DC_NODE_STR || strncmp(s, "refs/", 5) || strlen(s) != e->len || strchr(s, '*') ||
		    strchr(s, ' ') || strstr(s, "..")) {
			if (invalid(ld, &e->start, _("training.ref \"%s\" is not a full ref name; write ref: refs/heads/docctl/acks"),
				    s) < 0)
				return -1;
		} else if (protected_ref(ld->p, s)) {
			if (invalid(ld, &e->start,
				    _("training.ref \"%s\" is a protected ref; confirmations live on a ref of their own, such as refs/heads/docctl/acks"),
				    s) < 0)
				return -1;
		} else if (!(tr->ref = dc_arena_strdup(&ld->p->arena, s))) {
			return dc_error_oom();
		}
	}
	return 0;
}

int dc_policy_training_load(dc_policy *p, const dc_node *root, dc_diags *diags)
{
	tloader ld;

	ld.p = p;
	ld.diags = diags;
	ld.bad = 0;
	if (load_departments(&ld, root) < 0 || index_names(p) < 0 || load_readers(&ld, root) < 0 ||
	    load_training(&ld, root) < 0)
		return -1;
	return ld.bad ? 1 : 0;
}

/* Nonzero when the readers list names this person. */
static int person_reads(const dc_person *who, const char *const *readers, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *r = readers[i];

		if (!strcmp(r, "all") || !strcmp(r, who->key) || has(who->roles, who->nroles, r) ||
		    has(who->departments, who->ndepartments, r))
			return 1;
	}
	return 0;
}

int dc_policy_is_reader(const dc_policy *p, const char *person, const char *const *readers, size_t n)
{
	const dc_person *who = person ? dc_policy_person(p, person) : NULL;

	return who && person_reads(who, readers, n);
}

int dc_policy_person_reads(const dc_person *who, const char *const *readers, size_t n)
{
	return person_reads(who, readers, n);
}

int dc_policy_is_trainer(const dc_policy *p, const char *person)
{
	const dc_person *who = person ? dc_policy_person(p, person) : NULL;
	size_t i;

	for (i = 0; who && i < p->training.ntrainers; i++)
		if (!strcmp(p->training.trainers[i], who->key) || has(who->roles, who->nroles, p->training.trainers[i]))
			return 1;
	return 0;
}
