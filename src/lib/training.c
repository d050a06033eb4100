/*
 * training.c - the training matrix (see training.h, reference §10): the
 * readers of each revision in force, and the confirmations read from the
 * confirmations' ref.
 */
#include "training.h"

#include <stdlib.h>
#include <string.h>

#include "ack.h"
#include "array.h"
#include "buf.h"
#include "document.h"
#include "error.h"
#include "escape.h"
#include "history.h"
#include "i18n.h"

void dc_training_init(dc_training *t)
{
	memset(t, 0, sizeof(*t)); /* the arena and the maps: empty (arena.h, strmap.h) */
}

void dc_training_dispose(dc_training *t)
{
	if (!t)
		return;
	free(t->docs);
	free(t->methods);
	dc_strmap_dispose(&t->by_id);
	dc_strmap_dispose(&t->by_person);
	dc_strmap_dispose(&t->method_index);
	dc_arena_dispose(&t->arena);
	memset(t, 0, sizeof(*t));
}

static int method_add(dc_training *t, const char *m, size_t len, uint32_t *out)
{
	char *key;
	size_t had;
	int rc;

	if (len < 64) {
		char tmp[64];

		memcpy(tmp, m, len);
		tmp[len] = '\0';
		if (dc_strmap_get(&t->method_index, tmp, &had)) {
			*out = (uint32_t)had;
			return 0;
		}
	}
	if (!(key = dc_arena_strndup(&t->arena, m, len)))
		return dc_error_oom();
	if (t->nmethods == t->capmethods) {
		size_t ncap = t->capmethods ? t->capmethods * 2 : 8;
		const char **p = realloc(t->methods, ncap * sizeof(*p));

		if (!p)
			return dc_error_oom();
		t->methods = p;
		t->capmethods = ncap;
	}
	if ((rc = dc_strmap_add(&t->method_index, key, t->nmethods, &had)) < 0)
		return dc_error_oom();
	if (rc == 0) {
		*out = (uint32_t)had;
		return 0;
	}
	t->methods[t->nmethods] = key;
	*out = (uint32_t)t->nmethods++;
	return 0;
}

/* --- one document: its version in force, its readers, what carries over --- */

typedef struct {
	const char *const *readers; /* as written (the type's, or copied from the document) */
	size_t n;
	int retraining_false;
} fm_facts;

/* Reads what the matrix needs of one version's front-matter. */
static int read_facts(dc_training *t, const char *path, const char *data, size_t len, fm_facts *out)
{
	dc_diags ignored;
	dc_doc doc;
	const dc_node *v;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	dc_diags_init(&ignored);
	dc_doc_init(&doc);
	if (dc_doc_parse(&doc, path, data, len, 0, &ignored) < 0) {
		rc = -1;
		goto cleanup;
	}
	if (!doc.root)
		goto cleanup;
	if ((v = dc_node_get(doc.root, "retraining")) && v->kind == DC_NODE_BOOL && !v->u.b)
		out->retraining_false = 1;
	if ((v = dc_node_get(doc.root, "readers")) && v->kind == DC_NODE_SEQ) {
		const char **r = dc_arena_alloc(&t->arena, (v->u.seq.n + 1) * sizeof(char *));
		size_t k;

		if (!r) {
			rc = dc_error_oom();
			goto cleanup;
		}
		for (k = 0; k < v->u.seq.n; k++) {
			const dc_node *e = v->u.seq.items[k];

			if (e->kind == DC_NODE_STR && e->text &&
			    !(r[out->n++] = dc_arena_strndup(&t->arena, e->text, e->len))) {
				rc = dc_error_oom();
				goto cleanup;
			}
		}
		out->readers = r;
	} else {
		out->readers = NULL;
		out->n = (size_t)-1; /* the type's */
	}
cleanup:
	dc_doc_dispose(&doc);
	dc_arena_dispose(&doc.arena); /* dc_doc_dispose keeps the arena for another parse */
	dc_diags_dispose(&ignored);
	return rc;
}

static int read_tip_version(dc_buf *out, git_repository *repo, const git_oid *tip, const char *prefix, const char *path)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	dc_buf full = DC_BUF_INIT;
	int rc = -1;

	if (dc_buf_printf(&full, "%s%s%s", prefix && *prefix ? prefix : "", prefix && *prefix ? "/" : "", path) < 0)
		goto cleanup;
	if (git_commit_lookup(&c, repo, tip) < 0 || git_commit_tree(&tree, c) < 0 ||
	    git_tree_entry_bypath(&e, tree, full.ptr) < 0 || git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0) {
		dc_error_set_git(_("cannot read a document of the branch"));
		goto cleanup;
	}
	dc_buf_clear(out);
	rc = dc_buf_put(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
cleanup:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	dc_buf_dispose(&full);
	return rc;
}

/* The revisions before `d->revision` whose confirmations carry over
 * (retraining: false on the way). */
static int carry_over(dc_training *t, dc_train_doc *d, git_repository *repo, const git_oid *tip, const char *prefix)
{
	dc_history own, *h = d->row->history;
	const char **acc;
	const char *last;
	dc_buf data = DC_BUF_INIT;
	size_t i, cap = 8;
	int rc = 0, seen = 0;

	if (!h) {
		dc_history_init(&own);
		h = &own;
		if (dc_history_build(h, repo, tip, prefix, t->policy, d->id, d->row->doc->path) < 0) {
			dc_history_dispose(&own);
			return -1;
		}
	}
	if (!(acc = dc_arena_alloc(&t->arena, cap * sizeof(char *))))
		rc = dc_error_oom();
	if (acc)
		acc[d->naccepted++] = d->revision;
	last = d->revision;
	for (i = 0; rc == 0 && i < h->nevents; i++) {
		const dc_event *e = &h->events[i];
		fm_facts f;

		if (e->kind != DC_EVENT_APPROVED || !e->version->revision)
			continue;
		if (!seen) {
			seen = !strcmp(e->version->revision, d->revision);
			continue;
		}
		if (!strcmp(e->version->revision, last))
			continue;
		if (d->naccepted == cap) {
			const char **n = dc_arena_alloc(&t->arena, cap * 2 * sizeof(char *));

			if (!n) {
				rc = dc_error_oom();
				break;
			}
			memcpy(n, acc, cap * sizeof(char *));
			acc = n;
			cap *= 2;
		}
		/* copied: the history may be this function's own, freed below */
		if (!(last = dc_arena_strdup(&t->arena, e->version->revision))) {
			rc = dc_error_oom();
			break;
		}
		acc[d->naccepted++] = last;
		if ((rc = dc_version_read(&data, repo, e->version)) < 0 ||
		    (rc = read_facts(t, e->version->path, data.ptr, data.len, &f)) < 0)
			break;
		if (!f.retraining_false)
			break;
	}
	d->accepted = acc;
	dc_buf_dispose(&data);
	if (h == &own)
		dc_history_dispose(&own);
	return rc;
}

/* The people a readers list names, ascending (*out malloc'd). */
static int resolve(const dc_policy *p, const char *const *readers, size_t n, uint32_t **out, size_t *nout)
{
	size_t i;

	*out = NULL;
	*nout = 0;
	if (!n)
		return 0;
	if (!(*out = malloc((p->npeople + 1) * sizeof(uint32_t))))
		return dc_error_oom();
	for (i = 0; i < p->npeople; i++)
		if (dc_policy_person_reads(&p->people[i], readers, n))
			(*out)[(*nout)++] = (uint32_t)i;
	return 0;
}

/* The documents' own readers lists resolved once per distinct list: a
 * thousand documents read by ten departments resolve ten lists, not a
 * thousand times ten thousand people. */
typedef struct {
	dc_strmap index;            /* the list joined by US -> index */
	uint32_t **people;
	size_t *n;
	size_t count, cap;
} list_cache;

static int resolve_cached(dc_training *t, list_cache *c, const char *const *readers, size_t n,
			  const uint32_t **out, size_t *nout)
{
	dc_buf key = DC_BUF_INIT;
	size_t i, at;
	char *k;

	for (i = 0; i < n; i++)
		if ((i && dc_buf_putc(&key, '\x1f') < 0) || dc_buf_puts(&key, readers[i]) < 0)
			return -1;
	if (!dc_strmap_get(&c->index, key.ptr, &at)) {
		if (c->count == c->cap) {
			size_t ncap = c->cap ? c->cap * 2 : 8;
			uint32_t **p = realloc(c->people, ncap * sizeof(*p));
			size_t *q;

			if (p)
				c->people = p;
			q = p ? realloc(c->n, ncap * sizeof(*q)) : NULL;
			if (!q) {
				dc_buf_dispose(&key);
				return dc_error_oom();
			}
			c->n = q;
			c->cap = ncap;
		}
		at = c->count;
		if (!(k = dc_arena_strndup(&t->arena, key.ptr, key.len)) ||
		    resolve(t->policy, readers, n, &c->people[at], &c->n[at]) < 0) {
			dc_buf_dispose(&key);
			return -1;
		}
		c->count++;
		if (dc_strmap_put(&c->index, k, at) < 0) {
			dc_buf_dispose(&key);
			return dc_error_oom();
		}
	}
	dc_buf_dispose(&key);
	*out = c->people[at];
	*nout = c->n[at];
	return 0;
}

/* The readers of document `d` (its own, else its type's, resolved once
 * per type into type_people/type_n) and its empty cells. 0, or -1. */
static int doc_readers(dc_training *t, dc_train_doc *d, const fm_facts *f, list_cache *lists, uint32_t **type_people,
		       size_t *type_n)
{
	const dc_register_row *row = d->row;
	const uint32_t *people = NULL;
	size_t k;

	if (f->n != (size_t)-1) {
		d->own_readers = 1;
		if (resolve_cached(t, lists, f->readers, f->n, &people, &d->npeople) < 0)
			return -1;
	} else if (row->type && row->type->nreaders) {
		size_t ti = (size_t)(row->type - t->policy->types);

		if (!type_people[ti] &&
		    resolve(t->policy, row->type->readers, row->type->nreaders, &type_people[ti], &type_n[ti]) < 0)
			return -1;
		people = type_people[ti];
		d->npeople = type_n[ti];
	}
	/* a copy in the matrix's arena: the resolved lists die with the build */
	if (d->npeople && (!(d->people = dc_arena_alloc(&t->arena, d->npeople * sizeof(*d->people))) ||
			   !(d->cells = dc_arena_alloc(&t->arena, d->npeople * sizeof(*d->cells)))))
		return -1;
	if (d->npeople)
		memcpy(d->people, people, d->npeople * sizeof(*d->people));
	for (k = 0; k < d->npeople; k++) {
		d->cells[k].day = DC_ACK_NONE;
		d->cells[k].method = 0;
		d->cells[k].by = UINT32_MAX;
		d->cells[k].revision = NULL;
	}
	return 0;
}

int dc_training_build(dc_training *t, const dc_policy *policy, const dc_register *reg, git_repository *repo,
		      const git_oid *tip, const char *prefix)
{
	list_cache lists;
	/* the readers of a type are resolved once, for all its documents */
	uint32_t **type_people = NULL;
	size_t *type_n = NULL, i;
	dc_buf data = DC_BUF_INIT;
	int rc = -1;

	memset(&lists, 0, sizeof(lists));
	t->policy = policy;
	if (method_add(t, "read", 4, &(uint32_t){ 0 }) < 0)
		return -1;
	for (i = 0; i < policy->npeople; i++)
		if (dc_strmap_put(&t->by_person, policy->people[i].key, i) < 0)
			return dc_error_oom();
	if (!(t->docs = calloc(reg->n + 1, sizeof(*t->docs))) ||
	    !(type_people = calloc(policy->ntypes + 1, sizeof(*type_people))) ||
	    !(type_n = calloc(policy->ntypes + 1, sizeof(*type_n)))) {
		dc_error_oom();
		goto cleanup;
	}
	for (i = 0; i < reg->n; i++) {
		const dc_register_row *row = &reg->rows[i];
		dc_train_doc *d = &t->docs[t->ndocs++];
		fm_facts f;
		dc_date eff;

		d->row = row;
		d->id = row->doc->id;
		d->title = row->doc->title;
		d->pending = row->pending_revision;
		if (dc_strmap_put(&t->by_id, d->id, t->ndocs - 1) < 0) {
			dc_error_oom();
			goto cleanup;
		}
		if (!row->revision || !row->status || strcmp(row->status, "approved") || !row->effective ||
		    dc_date_parse(&eff, row->effective) < 0)
			continue; /* nothing in force: nobody is asked to read it */
		d->revision = row->revision;
		d->effective = eff;
		d->due = dc_date_add(&eff, &policy->training.due);
		if (row->in_force ? dc_version_read(&data, repo, row->in_force)
				  : read_tip_version(&data, repo, tip, prefix, row->doc->path))
			goto cleanup;
		if (read_facts(t, row->doc->path, data.ptr, data.len, &f) < 0)
			goto cleanup;
		if (f.retraining_false) {
			if (carry_over(t, d, repo, tip, prefix) < 0)
				goto cleanup;
		} else {
			if (!(d->accepted = dc_arena_alloc(&t->arena, sizeof(char *)))) {
				dc_error_oom();
				goto cleanup;
			}
			d->accepted[0] = d->revision;
			d->naccepted = 1;
		}
		if (doc_readers(t, d, &f, &lists, type_people, type_n) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	for (i = 0; type_people && i < policy->ntypes; i++)
		free(type_people[i]);
	free(type_people);
	free(type_n);
	for (i = 0; i < lists.count; i++)
		free(lists.people[i]);
	free(lists.people);
	free(lists.n);
	dc_strmap_dispose(&lists.index);
	dc_buf_dispose(&data);
	return rc;
}

const dc_train_doc *dc_training_doc(const dc_training *t, const char *id)
{
	size_t at;

	return t && id && dc_strmap_get(&t->by_id, id, &at) ? &t->docs[at] : NULL;
}

size_t dc_train_doc_reader(const dc_train_doc *d, uint32_t person)
{
	size_t lo = 0, hi = d->npeople;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->people[mid] == person)
			return mid;
		if (d->people[mid] < person)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* --- the confirmations --- */

typedef struct {
	dc_training *t;
	uint32_t person;
} file_ctx;

/* The span as a C string in `buf` (size `size`); NULL when too long. */
static const char *cstr(char *buf, size_t size, dc_span s)
{
	if (s.len >= size)
		return NULL;
	memcpy(buf, s.p, s.len);
	buf[s.len] = '\0';
	return buf;
}

static int take(void *arg, const dc_ack *a, size_t line)
{
	file_ctx *c = arg;
	dc_training *t = c->t;
	char id[256], by[256], date[11];
	size_t di, k, at, pi;
	dc_train_doc *d;
	dc_date day;

	(void)line;
	t->nlines++;
	if (!cstr(id, sizeof(id), a->id) || !dc_strmap_get(&t->by_id, id, &di) ||
	    !dc_span_is(a->person, t->policy->people[c->person].key)) {
		t->nignored++;
		return 0;
	}
	d = &t->docs[di];
	/* the files come in the order of their names, mostly the people's
	 * order: look on from the last reader found before searching */
	at = SIZE_MAX;
	if (d->cursor < d->npeople && d->people[d->cursor] <= c->person) {
		for (k = d->cursor; k < d->npeople && k < d->cursor + 64 && d->people[k] < c->person; k++)
			;
		if (k < d->npeople && d->people[k] == c->person)
			at = k;
		else if (k == d->cursor + 64)
			at = dc_train_doc_reader(d, c->person);
	} else {
		at = dc_train_doc_reader(d, c->person);
	}
	if (at != SIZE_MAX)
		d->cursor = at;
	if (at == SIZE_MAX || d->cells[at].day != DC_ACK_NONE) {
		t->nignored += at == SIZE_MAX;
		return 0;
	}
	for (k = 0; k < d->naccepted && !dc_span_is(a->revision, d->accepted[k]); k++)
		;
	if (k == d->naccepted || !cstr(date, sizeof(date), a->date) || dc_date_parse(&day, date) < 0) {
		t->nignored++;
		return 0;
	}
	d->cells[at].day = (int32_t)dc_date_days(&day);
	d->cells[at].revision = d->accepted[k];
	if (method_add(t, a->method.p, a->method.len, &d->cells[at].method) < 0)
		return -1;
	d->cells[at].by = cstr(by, sizeof(by), a->recorded_by) && dc_strmap_get(&t->by_person, by, &pi) ? (uint32_t)pi
													     : UINT32_MAX;
	d->nconfirmed++;
	return 0;
}

int dc_training_read_acks(dc_training *t, git_repository *repo, const git_oid *acks)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *dir = NULL;
	git_tree_entry *e = NULL;
	size_t i, n;
	int rc = -1;

	if (!acks)
		return 0;
	if (git_commit_lookup(&c, repo, acks) < 0 || git_commit_tree(&tree, c) < 0) {
		dc_error_set_git(_("cannot read the confirmations"));
		goto cleanup;
	}
	if (git_tree_entry_bypath(&e, tree, "acks") < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		rc = 0; /* no confirmation yet */
		goto cleanup;
	}
	if (git_tree_lookup(&dir, repo, git_tree_entry_id(e)) < 0) {
		dc_error_set_git(_("cannot read the confirmations"));
		goto cleanup;
	}
	n = git_tree_entrycount(dir);
	for (i = 0; i < n; i++) {
		const git_tree_entry *f = git_tree_entry_byindex(dir, i);
		const char *name = git_tree_entry_name(f);
		size_t len = strlen(name), pi;
		char person[256];
		git_blob *b = NULL;
		file_ctx fc;
		dc_ack_error err;

		if (git_tree_entry_type(f) != GIT_OBJECT_BLOB || len <= 4 || len - 4 >= sizeof(person) ||
		    strcmp(name + len - 4, ".txt"))
			continue;
		memcpy(person, name, len - 4);
		person[len - 4] = '\0';
		if (!dc_strmap_get(&t->by_person, person, &pi))
			continue; /* no longer a person of the policy */
		if (git_blob_lookup(&b, repo, git_tree_entry_id(f)) < 0) {
			dc_error_set_git(_("cannot read a confirmations file"));
			goto cleanup;
		}
		fc.t = t;
		fc.person = (uint32_t)pi;
		rc = dc_ack_each(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), take, &fc, &err);
		git_blob_free(b);
		if (rc < 0)
			goto cleanup;
		if (rc == 1)
			t->nbroken++; /* the lines before it counted */
	}
	rc = 0;
cleanup:
	git_tree_entry_free(e);
	git_tree_free(dir);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int dc_training_ack_tip(git_oid *out, git_repository *repo, const dc_policy *policy)
{
	const char *ref = policy->training.ref;
	dc_buf remote = DC_BUF_INIT;
	git_oid theirs;
	int mine, has_theirs = 0;

	mine = git_reference_name_to_id(out, repo, ref) == 0;
	if (!strncmp(ref, "refs/heads/", 11)) {
		if (dc_buf_printf(&remote, "refs/remotes/origin/%s", ref + 11) < 0)
			return -1;
		has_theirs = git_reference_name_to_id(&theirs, repo, remote.ptr) == 0;
		dc_buf_dispose(&remote);
	}
	/* the newer of the local ref and the fetched one: the local one only
	 * when it holds everything fetched (confirmations not pushed yet) */
	if (has_theirs && (!mine || (!git_oid_equal(out, &theirs) && git_graph_descendant_of(repo, out, &theirs) != 1)))
		git_oid_cpy(out, &theirs);
	return mine || has_theirs;
}

int dc_training_load(dc_training *t, const dc_policy *policy, const dc_register *reg, git_repository *repo,
		     const git_oid *tip, const char *prefix)
{
	git_oid acks;
	int has;

	if (dc_training_build(t, policy, reg, repo, tip, prefix) < 0 || (has = dc_training_ack_tip(&acks, repo, policy)) < 0)
		return -1;
	return dc_training_read_acks(t, repo, has ? &acks : NULL);
}

/* --- states, dates and the HTML page --- */

dc_train_state dc_train_state_of(const dc_train_doc *d, size_t k, long today, long *days_left)
{
	long due = dc_date_days(&d->due);

	*days_left = 0;
	if (d->cells[k].day != DC_ACK_NONE)
		return DC_TRAIN_CONFIRMED;
	if (today > due)
		return DC_TRAIN_OVERDUE;
	*days_left = due - today;
	return DC_TRAIN_PENDING;
}

const char *dc_train_state_name(dc_train_state s)
{
	return s == DC_TRAIN_CONFIRMED ? "confirmed" : s == DC_TRAIN_PENDING ? "pending" : "overdue";
}

void dc_train_day_format(long day, char out[11])
{
	/* days since 1970-01-01 to the civil date (proleptic Gregorian) */
	long z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	dc_date d;

	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	dc_date_format(&d, out);
}

static void esc(dc_buf *b, const char *s)
{
	dc_html_escape(b, s ? s : "");
}

/* The end of a table cell and the next one's escaped text. */
static void next_cell(dc_buf *out, const char *s)
{
	dc_buf_puts(out, "</td><td>");
	esc(out, s);
}

int dc_training_html_body(dc_buf *out, const dc_training *t, const dc_date *today, int only_overdue)
{
	const dc_policy *p = t->policy;
	char due[11];
	long now = dc_date_days(today);
	size_t i, k;

	dc_buf_puts(out, "<h2>已确认 <span class=\"en\">Confirmed</span></h2>\n<table class=\"summary\">\n"
			 "<tr><th>编号 ID</th><th>名称 Title</th><th>版本 Revision</th><th>已确认 Confirmed</th></tr>\n");
	for (i = 0; i < t->ndocs; i++) {
		const dc_train_doc *d = &t->docs[i];

		if (!d->revision || !d->npeople)
			continue;
		dc_buf_puts(out, "<tr><td>");
		esc(out, d->id);
		next_cell(out, d->title);
		next_cell(out, d->revision);
		dc_buf_printf(out, "</td><td>已确认 %zu/%zu</td></tr>\n", d->nconfirmed, d->npeople);
	}
	dc_buf_puts(out, "</table>\n<h2>明细 <span class=\"en\">Details</span></h2>\n<table class=\"matrix\">\n"
			 "<tr><th>人员 Person</th><th>编号 ID</th><th>版本 Revision</th><th>状态 Status</th>"
			 "<th>确认日期 Confirmed</th><th>方式 Method</th><th>期限 Due</th></tr>\n");
	for (i = 0; i < t->ndocs; i++) {
		const dc_train_doc *d = &t->docs[i];

		if (!d->revision)
			continue;
		dc_train_day_format(dc_date_days(&d->due), due);
		for (k = 0; k < d->npeople; k++) {
			long left;
			dc_train_state s = dc_train_state_of(d, k, now, &left);
			const dc_person *who = &p->people[d->people[k]];

			if (only_overdue && s != DC_TRAIN_OVERDUE)
				continue;
			dc_buf_printf(out, "<tr class=\"%s\"><td>", dc_train_state_name(s));
			esc(out, who->name);
			dc_buf_puts(out, " (");
			esc(out, who->key);
			dc_buf_puts(out, ")</td><td>");
			esc(out, d->id);
			next_cell(out, d->revision);
			dc_buf_printf(out, "</td><td>%s</td><td>",
				      s == DC_TRAIN_CONFIRMED ? "已确认 confirmed" : s == DC_TRAIN_PENDING ? "待确认 pending" : "逾期 overdue");
			if (s == DC_TRAIN_CONFIRMED) {
				char on[11];

				dc_train_day_format(d->cells[k].day, on);
				dc_buf_puts(out, on);
				next_cell(out, t->methods[d->cells[k].method]);
			} else {
				dc_buf_puts(out, "</td><td>");
			}
			dc_buf_printf(out, "</td><td>%s</td></tr>\n", due);
		}
	}
	dc_buf_puts(out, "</table>\n");
	return out->len ? 0 : dc_error_oom();
}

int dc_training_html(dc_buf *out, const dc_training *t, const dc_date *today, const char *refname,
		     const git_oid *commit, int only_overdue)
{
	char hex[GIT_OID_HEXSZ + 1], day[11];

	git_oid_tostr(hex, sizeof(hex), commit);
	dc_date_format(today, day);
	dc_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
			 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
			 "<title>培训矩阵 Training matrix</title>\n<style>body{font-family:sans-serif;margin:2em}"
			 "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}"
			 ".overdue{background:#fdd}.pending{background:#ffd}.confirmed{background:#dfd}</style>\n</head>\n<body>\n"
			 "<h1>培训矩阵 <span class=\"en\">Training matrix</span></h1>\n<p class=\"meta\">");
	esc(out, refname);
	dc_buf_printf(out, " @ <code>%s</code> · %s</p>\n", hex, day);
	if (dc_training_html_body(out, t, today, only_overdue) < 0)
		return -1;
	dc_buf_puts(out, "</body>\n</html>\n");
	return out->len ? 0 : dc_error_oom();
}

/* --- the confirmations of one document (history --acks) --- */

typedef struct {
	dc_ack_rows *out;
	const char *id;
} of_doc;

static int take_of_doc(void *arg, const dc_ack *a, size_t line)
{
	of_doc *c = arg;
	dc_ack_rows *r = c->out;
	dc_ack_row *o;

	(void)line;
	if (!dc_span_is(a->id, c->id))
		return 0;
	if (DC_ARRAY_GROW(r->v, r->cap, r->n + 1) < 0)
		return dc_error_oom();
	o = &r->v[r->n++];
	o->person = dc_span_dup(a->person);
	o->revision = dc_span_dup(a->revision);
	o->date = dc_span_dup(a->date);
	o->method = dc_span_dup(a->method);
	o->recorded_by = dc_span_dup(a->recorded_by);
	if (!o->person || !o->revision || !o->date || !o->method || !o->recorded_by)
		return dc_error_oom();
	return 0;
}

static int row_cmp(const void *a, const void *b)
{
	const dc_ack_row *x = a, *y = b;
	int c = strcmp(x->revision, y->revision);

	if (!c)
		c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->person, y->person);
}

int dc_acks_of_document(dc_ack_rows *out, git_repository *repo, const git_oid *acks, const char *id)
{
	git_commit *c = NULL;
	git_tree *dir = NULL, *tree = NULL;
	git_tree_entry *e = NULL;
	of_doc ctx = { out, id };
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!acks)
		return 0;
	if (git_commit_lookup(&c, repo, acks) < 0 || git_commit_tree(&tree, c) < 0) {
		rc = dc_error_set_git(_("cannot read the confirmations"));
		goto cleanup;
	}
	if (git_tree_entry_bypath(&e, tree, "acks") < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		goto cleanup;
	if (git_tree_lookup(&dir, repo, git_tree_entry_id(e)) < 0) {
		rc = dc_error_set_git(_("cannot read the confirmations"));
		goto cleanup;
	}
	for (i = 0; i < git_tree_entrycount(dir) && rc >= 0; i++) {
		const git_tree_entry *f = git_tree_entry_byindex(dir, i);
		git_blob *b = NULL;
		dc_ack_error err;

		if (git_tree_entry_type(f) != GIT_OBJECT_BLOB)
			continue;
		if (git_blob_lookup(&b, repo, git_tree_entry_id(f)) < 0) {
			rc = dc_error_set_git(_("cannot read a confirmations file"));
			break;
		}
		rc = dc_ack_each(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), take_of_doc, &ctx, &err);
		git_blob_free(b);
		if (rc == 1)
			rc = 0; /* the lines before it counted; the server refuses such files */
	}
	if (rc >= 0 && out->n)
		qsort(out->v, out->n, sizeof(*out->v), row_cmp);
cleanup:
	git_tree_entry_free(e);
	git_tree_free(dir);
	git_tree_free(tree);
	git_commit_free(c);
	return rc < 0 ? -1 : 0;
}

void dc_ack_rows_dispose(dc_ack_rows *r)
{
	size_t i;

	for (i = 0; r && i < r->n; i++) {
		free(r->v[i].person);
		free(r->v[i].revision);
		free(r->v[i].date);
		free(r->v[i].method);
		free(r->v[i].recorded_by);
	}
	if (r) {
		free(r->v);
		memset(r, 0, sizeof(*r));
	}
}
