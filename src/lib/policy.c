/*
 * policy.c - docctl.yaml read from its parsed tree into a dc_policy (see
 * policy.h and reference §3).
 *
 * The loader walks the tree once, copying every string it keeps into the
 * policy's arena (the tree may be freed afterwards), and reports every
 * problem it finds as a policy.invalid finding at the offending key or value,
 * not only the first. Keys are processed in a fixed order (people before the
 * approver lists that name them) whatever order the file has them in. When
 * any finding was made the half-built policy is freed and none is returned.
 *
 * Patterns: type ids compile with PCRE2_ANCHORED | PCRE2_ENDANCHORED (not by
 * wrapping the text in ^(?:...)$, which a pattern like "a)|(b" would escape);
 * sections compile caseless and Unicode-aware; all of them are JIT-compiled
 * where PCRE2 can. The ambiguous terms become one caseless alternation,
 * longest term first, each escaped; an end of a term whose character is a
 * Latin letter or digit must be at a word boundary, where CJK characters
 * (word characters to PCRE2) count as a boundary for Latin terms: "TBD" is
 * found in "待定TBD" but not in "TBDX"; CJK terms match anywhere.
 */
#include "policy.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "error.h"
#include "feedback.h"
#include "i18n.h"
#include "text.h"

static const char *const top_keys[] = {
	"docctl", "roots", "protected", "revision_scheme", "schema", "signers", "approval",
	"people", "policy_approvers", "language", "types", "training", "feedback",
	"web", NULL
};
static const char *const type_keys[] = {
	"id", "schema", "approvers", "review_every", "sections", "max_words", "retention",
	"body", "folder", "title", "readers", "checkers", "max_file_size", NULL
};
static const char *const person_keys[] = { "name", "email", "roles", "departments", NULL };
static const char *const approval_keys[] = { "identity", "pusher_env", NULL };
static const char *const language_keys[] = { "ambiguous", NULL };
static const char *const web_keys[] = { "url", "site", NULL };
static const char *const default_pusher_env[] = {
	"GL_USER", "GITEA_PUSHER_NAME", "GL_USERNAME", "REMOTE_USER", NULL
};

#define ID_MATCH_LIMIT 1000000

typedef struct {
	dc_policy *p;
	dc_diags *diags;
	int bad;
} loader;

/* ---- messages ---------------------------------------------------------- */

/* A user's text fit for a one-line message: control characters escaped,
 * long text cut at a code point boundary. Lives in the policy's arena. */
static const char *show(loader *ld, const char *s, size_t len)
{
	dc_buf b = DC_BUF_INIT;
	size_t i = 0, shown = 0;
	char *out;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 1;

		if (shown >= 60) {
			dc_buf_puts(&b, "...");
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			dc_buf_printf(&b, "\\x%02x", c);
		} else if (c < 0x80) {
			dc_buf_putc(&b, (char)c);
		} else {
			while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
				n++;
			dc_buf_put(&b, s + i, n);
		}
		i += n;
		shown++;
	}
	out = dc_arena_strndup(&ld->p->arena, b.ptr, b.len);
	dc_buf_dispose(&b);
	return out ? out : "";
}

static const char *show_node(loader *ld, const dc_node *n)
{
	if (n->kind == DC_NODE_SEQ || n->kind == DC_NODE_MAP || !n->text)
		return "";
	return show(ld, n->text, n->len);
}

/* policy.invalid at `at` (policy_training.c has the one function for both loaders) */
#define invalid(ld, at, ...) dc_policy_invalid((ld)->p, (ld)->diags, &(ld)->bad, at, __VA_ARGS__)

static const char *kind_phrase(const dc_node *n)
{
	switch (n->kind) {
	case DC_NODE_NULL: return _("empty");
	case DC_NODE_BOOL: return _("a boolean");
	case DC_NODE_INT: return _("an integer");
	case DC_NODE_FLOAT: return _("a number");
	case DC_NODE_STR: return _("a string");
	case DC_NODE_SEQ: return _("a list");
	case DC_NODE_MAP: return _("a mapping");
	}
	return _("a value");
}

/* "`what` must be `expected`, not <kind>; `hint`" at the value. */
static int wrong_kind(loader *ld, const dc_node *v, const char *what, const char *expected,
		      const char *hint)
{
	return invalid(ld, &v->start, _("%s must be %s, not %s; %s"), what, expected, kind_phrase(v),
		       hint);
}

/* ---- small helpers ----------------------------------------------------- */

static int known(const char *const *keys, const dc_node *key)
{
	size_t i;

	for (i = 0; keys[i]; i++)
		if (strlen(keys[i]) == key->len && !memcmp(keys[i], key->text, key->len))
			return 1;
	return 0;
}

/* Reports every key of `map` that is not in `keys`. */
static int unknown_keys(loader *ld, const dc_node *map, const char *const *keys, const char *where)
{
	size_t i, k;

	for (i = 0; i < map->u.map.n; i++) {
		const dc_node *key = map->u.map.pairs[i].key;
		dc_buf list = DC_BUF_INIT;
		const char *close = NULL;
		int rc;

		if (known(keys, key))
			continue;
		for (k = 0; keys[k]; k++) {
			dc_buf_printf(&list, "%s%s", k ? ", " : "", keys[k]);
			if (!close && key->len < 31 && !memchr(key->text, '\0', key->len) &&
			    dc_edit_distance(key->text, keys[k]) <= 2)
				close = keys[k];
		}
		if (close)
			rc = invalid(ld, &key->start, _("unknown key \"%s\" in %s; did you mean \"%s\"? known keys are %s"),
				     show_node(ld, key), where, close, list.ptr);
		else
			rc = invalid(ld, &key->start, _("unknown key \"%s\" in %s; known keys are %s"),
				     show_node(ld, key), where, list.ptr);
		dc_buf_dispose(&list);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static const char *afmt(loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *afmt(loader *ld, const char *fmt, ...)
{
	dc_buf b = DC_BUF_INIT;
	va_list ap;
	const char *out = NULL;
	int rc;

	va_start(ap, fmt);
	rc = dc_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc == 0)
		out = dc_arena_strndup(&ld->p->arena, b.ptr, b.len);
	dc_buf_dispose(&b);
	return out ? out : "?";
}

/* A non-empty string without NUL bytes copied into the arena; *out NULL
 * after a finding. */
static int get_string(loader *ld, const dc_node *v, const char *what, const char *hint,
		      const char **out)
{
	*out = NULL;
	if (v->kind != DC_NODE_STR)
		return wrong_kind(ld, v, what, _("a string"), hint);
	if (v->len == 0)
		return invalid(ld, &v->start, _("%s must not be empty; %s"), what, hint);
	if (memchr(v->text, '\0', v->len))
		return invalid(ld, &v->start, _("%s must not contain a NUL character; %s"), what, hint);
	*out = dc_arena_strndup(&ld->p->arena, v->text, v->len);
	return *out ? 0 : -1;
}

/* A mapping key used as a name (a person id, a type name): a string, or an
 * integer taken as written (employee numbers make fine person ids). */
static int get_key(loader *ld, const dc_node *k, const char *what, const char *hint,
		   const char **out)
{
	if (k->kind == DC_NODE_INT && k->text) {
		*out = dc_arena_strndup(&ld->p->arena, k->text, k->len);
		return *out ? 0 : -1;
	}
	return get_string(ld, k, what, hint, out);
}

/* A list of strings into an arena array. *ok is cleared after a finding. */
static int get_strings(loader *ld, const dc_node *v, const char *what, const char *hint,
		       const char ***out, size_t *n, int *ok)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (v->kind != DC_NODE_SEQ) {
		*ok = 0;
		return wrong_kind(ld, v, what, _("a list of strings"), hint);
	}
	*out = dc_arena_alloc(&ld->p->arena, (v->u.seq.n + 1) * sizeof(char *));
	if (!*out)
		return -1;
	for (i = 0; i < v->u.seq.n; i++) {
		const char *s;

		if (get_string(ld, v->u.seq.items[i], afmt(ld, _("each entry of %s"), what), hint, &s) < 0)
			return -1;
		if (s)
			(*out)[(*n)++] = s;
		else
			*ok = 0;
	}
	return 0;
}

static int get_duration(loader *ld, const dc_node *v, const char *what, int *has, dc_duration *out)
{
	const char *hint = _("write an ISO 8601 date duration such as P1Y, P6M, P1Y6M, P2W or P90D");
	const char *s;

	if (get_string(ld, v, what, hint, &s) < 0)
		return -1;
	if (!s)
		return 0;
	if (dc_duration_parse(out, s) < 0)
		return invalid(ld, &v->start, _("%s \"%s\" is not a duration; %s"), what, show_node(ld, v), hint);
	if (!out->years && !out->months && !out->weeks && !out->days)
		return invalid(ld, &v->start, _("%s \"%s\" is zero; %s"), what, show_node(ld, v), hint);
	*has = 1;
	return 0;
}

static int compile(loader *ld, const dc_node *v, const char *what, uint32_t options,
		   dc_pattern *out)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int err;

	out->re = pcre2_compile((PCRE2_SPTR)v->text, v->len, options, &err, &off, NULL);
	if (!out->re) {
		if (pcre2_get_error_message(err, msg, sizeof(msg)) < 0)
			strcpy((char *)msg, "unknown error");
		if (err == PCRE2_ERROR_NOMEMORY)
			return dc_error_set(_("out of memory compiling a pattern"));
		return invalid(ld, &v->start,
			       _("%s \"%s\" is not a valid PCRE2 pattern: %s at offset %zu; fix the pattern"),
			       what, show_node(ld, v), (const char *)msg, (size_t)off);
	}
	pcre2_jit_compile(out->re, PCRE2_JIT_COMPLETE);
	return 0;
}

static int holds_role(const dc_person *person, const char *role)
{
	size_t i;

	for (i = 0; i < person->nroles; i++)
		if (!strcmp(person->roles[i], role))
			return 1;
	return 0;
}

/* Every entry of an approver list names a person or a held role. */
static int check_approvers(loader *ld, const dc_node *list)
{
	size_t i, k;

	if (!list || list->kind != DC_NODE_SEQ)
		return 0;
	for (i = 0; i < list->u.seq.n; i++) {
		const dc_node *e = list->u.seq.items[i];
		int found = 0;

		if (e->kind != DC_NODE_STR || !e->len || memchr(e->text, '\0', e->len))
			continue; /* reported already */
		if (dc_policy_person(ld->p, e->text))
			continue;
		for (k = 0; k < ld->p->npeople && !found; k++)
			found = holds_role(&ld->p->people[k], e->text);
		if (!found && invalid(ld, &e->start,
				      _("approver \"%s\" is neither a person nor a role anyone holds; "
				      "name a person of people or give the role to someone"),
				      show_node(ld, e)) < 0)
			return -1;
	}
	return 0;
}

/* A folder relative to the repository root, without "./" in front or "/"
 * behind; "." becomes "". NULL only when memory runs out. */
static const char *normalise_path(loader *ld, const dc_node *v, const char *what, const char *s)
{
	const char *p = s;
	size_t len;

	if (s[0] == '/')
		return invalid(ld, &v->start, _("%s \"%s\" is an absolute path; write it relative to the repository root, such as docs"),
			       what, show_node(ld, v)) < 0 ? NULL : "";
	while (p[0] == '.' && p[1] == '/') {
		p += 2;
		while (*p == '/')
			p++;
	}
	len = strlen(p);
	while (len && p[len - 1] == '/')
		len--;
	if (len == 1 && p[0] == '.')
		len = 0;
	if (!strcmp(p, "..") || !strncmp(p, "../", 3) || strstr(p, "/../") ||
	    (len >= 3 && !strncmp(p + len - 3, "/..", 3)))
		return invalid(ld, &v->start, _("%s \"%s\" leaves the repository; name a folder inside it"),
			       what, show_node(ld, v)) < 0 ? NULL : "";
	return dc_arena_strndup(&ld->p->arena, p, len);
}

/* ---- the sections of docctl.yaml --------------------------------------- */

static int load_version(loader *ld, const dc_node *root)
{
	const dc_pair *pair = dc_node_pair(root, "docctl");

	if (!pair)
		return invalid(ld, &root->start, _("missing required key \"docctl\" in docctl.yaml; add docctl: 1"));
	if (pair->value->kind != DC_NODE_INT)
		return wrong_kind(ld, pair->value, "docctl", _("the integer 1"), _("write docctl: 1"));
	if (pair->value->u.i != 1)
		return invalid(ld, &pair->value->start,
			       _("docctl format version %lld is not supported; this docctl reads version 1, write docctl: 1"),
			       (long long)pair->value->u.i);
	return 0;
}

static int load_roots(loader *ld, const dc_node *root)
{
	const char *hint = _("write roots: [docs, records]");
	const dc_pair *pair = dc_node_pair(root, "roots");
	dc_policy *p = ld->p;
	size_t i;
	int ok = 1;

	if (!pair)
		return invalid(ld, &root->start, _("missing required key \"roots\" in docctl.yaml; %s"), hint);
	if (get_strings(ld, pair->value, "roots", hint, &p->roots, &p->nroots, &ok) < 0)
		return -1;
	if (ok && p->nroots == 0)
		return invalid(ld, &pair->value->start, _("roots must name at least one folder; %s"), hint);
	for (i = 0; ok && i < p->nroots; i++) {
		p->roots[i] = normalise_path(ld, pair->value->u.seq.items[i], "root", p->roots[i]);
		if (!p->roots[i])
			return -1;
	}
	return 0;
}

static int load_protected(loader *ld, const dc_node *root)
{
	const char *hint = _("write protected: [refs/heads/main, \"refs/heads/release/*\"]");
	const dc_node *v = dc_node_get(root, "protected");
	dc_policy *p = ld->p;
	size_t i;
	int ok = 1;

	if (!v) {
		p->protected_refs = dc_arena_alloc(&p->arena, sizeof(char *));
		if (!p->protected_refs)
			return -1;
		p->protected_refs[0] = "refs/heads/main";
		p->nprotected = 1;
		return 0;
	}
	p->protected_mark = v->start;
	if (get_strings(ld, v, "protected", hint, &p->protected_refs, &p->nprotected, &ok) < 0)
		return -1;
	for (i = 0; ok && i < p->nprotected; i++) {
		if (strncmp(p->protected_refs[i], "refs/", 5) != 0 &&
		    invalid(ld, &v->u.seq.items[i]->start,
			    _("protected ref \"%s\" is not a full ref name; write it as refs/heads/%s"),
			    show_node(ld, v->u.seq.items[i]), show_node(ld, v->u.seq.items[i])) < 0)
			return -1;
	}
	return 0;
}

static int load_scalars(loader *ld, const dc_node *root)
{
	dc_policy *p = ld->p;
	const dc_node *v;
	const char *s;

	p->scheme = DC_SCHEME_INTEGER;
	if ((v = dc_node_get(root, "revision_scheme"))) {
		const char *hint = _("write integer, letter, letter-number or decimal");

		if (get_string(ld, v, "revision_scheme", hint, &s) < 0)
			return -1;
		if (s && dc_scheme_parse(&p->scheme, s) < 0 &&
		    invalid(ld, &v->start, _("revision_scheme \"%s\" is not a scheme; %s"), show_node(ld, v), hint) < 0)
			return -1;
	}
	if ((v = dc_node_get(root, "schema")) &&
	    get_string(ld, v, "schema", _("name a schema file such as schema/document.schema.yaml"), &p->schema) < 0)
		return -1;
	p->signers = ".docctl/allowed_signers";
	if ((v = dc_node_get(root, "signers"))) {
		if (get_string(ld, v, "signers", _("name git's allowed_signers file, such as .docctl/allowed_signers"), &s) < 0)
			return -1;
		if (s)
			p->signers = s;
	}
	return 0;
}

static int load_approval(loader *ld, const dc_node *root)
{
	dc_policy *p = ld->p;
	const dc_node *v = dc_node_get(root, "approval"), *identity, *env;
	size_t i;

	p->identity_signature = 1;
	p->npusher_env = sizeof(default_pusher_env) / sizeof(default_pusher_env[0]) - 1;
	p->pusher_env = dc_arena_alloc(&p->arena, (p->npusher_env + 1) * sizeof(char *));
	if (!p->pusher_env)
		return -1;
	for (i = 0; i < p->npusher_env; i++)
		p->pusher_env[i] = default_pusher_env[i];
	if (!v)
		return 0;
	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, "approval", _("a mapping"), _("write approval: {identity: [signature]}"));
	if (unknown_keys(ld, v, approval_keys, "approval") < 0)
		return -1;
	if ((identity = dc_node_get(v, "identity"))) {
		const char *hint = _("write identity: [signature], [pusher] or [signature, pusher]");
		const char **methods;
		size_t n;
		int ok = 1;

		if (get_strings(ld, identity, "approval.identity", hint, &methods, &n, &ok) < 0)
			return -1;
		if (ok) {
			p->identity_signature = 0;
			if (n == 0 && invalid(ld, &identity->start,
					      _("approval.identity must name at least one method; %s"), hint) < 0)
				return -1;
		}
		for (i = 0; ok && i < n; i++) {
			if (!strcmp(methods[i], "signature"))
				p->identity_signature = 1;
			else if (!strcmp(methods[i], "pusher"))
				p->identity_pusher = 1;
			else if (invalid(ld, &identity->u.seq.items[i]->start,
					 _("approval.identity \"%s\" is not a method; %s"),
					 show_node(ld, identity->u.seq.items[i]), hint) < 0)
				return -1;
		}
	}
	if ((env = dc_node_get(v, "pusher_env"))) {
		const char *hint = _("write pusher_env: [GL_USER, GITEA_PUSHER_NAME, GL_USERNAME, REMOTE_USER]");
		int ok = 1;

		if (get_strings(ld, env, "approval.pusher_env", hint, &p->pusher_env, &p->npusher_env, &ok) < 0)
			return -1;
		if (ok && p->npusher_env == 0 &&
		    invalid(ld, &env->start, _("approval.pusher_env must name at least one variable; %s"), hint) < 0)
			return -1;
	}
	return 0;
}

/* A person written as it should be (known keys only; name and email
 * plain strings, the email with "@"; roles a list of plain strings) is
 * copied without the messages the careful path makes for a finding.
 * 1 when done, 0 when the careful path must run, -1. */
static int plain_person(loader *ld, const dc_node *v, dc_person *out)
{
	const dc_node *name, *email, *roles;
	size_t i;

	if (v->kind != DC_NODE_MAP)
		return 0;
	for (i = 0; i < v->u.map.n; i++)
		if (!known(person_keys, v->u.map.pairs[i].key))
			return 0;
	if (!(name = dc_node_get(v, "name")) || !(email = dc_node_get(v, "email")) || !(roles = dc_node_get(v, "roles")) ||
	    !dc_policy_plain_string(name) || !dc_policy_plain_string(email) || !memchr(email->text, '@', email->len) ||
	    !dc_policy_plain_strings(roles))
		return 0;
	if (!(out->name = dc_arena_strndup(&ld->p->arena, name->text, name->len)) ||
	    !(out->email = dc_arena_strndup(&ld->p->arena, email->text, email->len)))
		return -1;
	return dc_policy_copy_strings(ld->p, roles, &out->roles, &out->nroles) < 0 ? -1 : 1;
}

static int load_person(loader *ld, const dc_pair *pair, dc_person *out)
{
	const dc_node *v = pair->value, *e;
	const char *key;
	int ok = 1;

	if ((ok = plain_person(ld, v, out)) != 0)
		return ok < 0 ? -1 : 0;
	ok = 1;
	key = show(ld, out->key, strlen(out->key));
	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, afmt(ld, _("person \"%s\""), show_node(ld, pair->key)), _("a mapping"),
				  _("write {name: ..., email: ..., roles: [...]}"));
	if (unknown_keys(ld, v, person_keys, afmt(ld, _("person \"%s\""), show_node(ld, pair->key))) < 0)
		return -1;
	if (!(e = dc_node_get(v, "name"))) {
		if (invalid(ld, &pair->key->start, _("person \"%s\" has no name; add name: and the name printed for them"),
			    show_node(ld, pair->key)) < 0)
			return -1;
	} else if (get_string(ld, e, afmt(ld, "people.%s.name", key), _("write the name printed for the person"), &out->name) < 0) {
		return -1;
	}
	if (!(e = dc_node_get(v, "email"))) {
		if (invalid(ld, &pair->key->start, _("person \"%s\" has no email; add email: and their address"),
			    show_node(ld, pair->key)) < 0)
			return -1;
	} else {
		if (get_string(ld, e, afmt(ld, "people.%s.email", key), _("write an address such as li.wei@example.com"), &out->email) < 0)
			return -1;
		if (out->email && !strchr(out->email, '@')) {
			out->email = NULL;
			if (invalid(ld, &e->start, _("email \"%s\" of person \"%s\" is not an address; write one such as li.wei@example.com"),
				    show_node(ld, e), show_node(ld, pair->key)) < 0)
				return -1;
		}
	}
	if (!(e = dc_node_get(v, "roles"))) {
		if (invalid(ld, &pair->key->start, _("person \"%s\" has no roles; add roles: [] or the roles they hold"),
			    show_node(ld, pair->key)) < 0)
			return -1;
	} else if (get_strings(ld, e, afmt(ld, "people.%s.roles", key), _("write roles: [qa-manager] or roles: []"),
			       &out->roles, &out->nroles, &ok) < 0) {
		return -1;
	}
	return 0;
}

static int load_people(loader *ld, const dc_node *root)
{
	dc_policy *p = ld->p;
	const dc_pair *pair = dc_node_pair(root, "people");
	const dc_node *v;
	size_t i, k;

	if (!pair)
		return invalid(ld, &root->start,
			       _("missing required key \"people\" in docctl.yaml; add people: {li.wei: {name: ..., email: ..., roles: [...]}}"));
	v = pair->value;
	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, "people", _("a mapping of person ids"),
				  _("write people: {li.wei: {name: ..., email: ..., roles: [...]}}"));
	p->people = dc_arena_alloc(&p->arena, (v->u.map.n + 1) * sizeof(dc_person));
	if (!p->people || dc_strmap_reserve(&p->people_by_email, v->u.map.n) < 0)
		return -1;
	for (i = 0; i < v->u.map.n; i++) {
		const dc_pair *person = &v->u.map.pairs[i];
		dc_person *out = &p->people[p->npeople];
		const char *key;

		if (get_key(ld, person->key, "a person id", _("write an id such as li.wei"), &key) < 0)
			return -1;
		if (!key)
			continue;
		memset(out, 0, sizeof(*out));
		out->key = key;
		if (load_person(ld, person, out) < 0)
			return -1;
		p->npeople++;
		if (!out->email)
			continue;
		/* one lookup per person, not a comparison with every other one
		 * (10,000 people, reference §10.3) */
		{
			char *lower = dc_arena_strdup(&p->arena, out->email);
			size_t had;
			int rc;

			if (!lower)
				return -1;
			for (k = 0; lower[k]; k++)
				if (lower[k] >= 'A' && lower[k] <= 'Z')
					lower[k] = (char)(lower[k] - 'A' + 'a');
			if ((rc = dc_strmap_add(&p->people_by_email, lower, p->npeople - 1, &had)) < 0)
				return -1;
			k = had;
			if (rc == 0 &&
			    invalid(ld, &dc_node_get(person->value, "email")->start,
				    _("email \"%s\" of person \"%s\" is already the email of person \"%s\"; give each person their own"),
				    show(ld, out->email, strlen(out->email)), show(ld, key, strlen(key)),
				    show(ld, p->people[k].key, strlen(p->people[k].key))) < 0)
				return -1;
		}
	}
	return 0;
}

/* people_by_key, for dc_policy_person() (the first of a duplicated id wins,
 * as the linear search did). */
static int index_people(dc_policy *p)
{
	return dc_strmap_index(&p->people_by_key, p->people, p->npeople, sizeof(*p->people),
			       offsetof(dc_person, key));
}

static int load_policy_approvers(loader *ld, const dc_node *root)
{
	const dc_node *v = dc_node_get(root, "policy_approvers");
	int ok = 1;

	if (!v)
		return 0;
	if (get_strings(ld, v, "policy_approvers", _("write policy_approvers: [policy-admin]"),
			&ld->p->policy_approvers, &ld->p->npolicy_approvers, &ok) < 0)
		return -1;
	return check_approvers(ld, v);
}

static int is_latin_word_char(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= 0xC0 && c < 0x250 && c != 0xD7 && c != 0xF7);
}

/* A Latin term's edge: no word character beside it, except that CJK text
 * (word characters to PCRE2) is a boundary, so "待定TBD" finds "TBD". */
#define CJK "\\p{Han}\\p{Hiragana}\\p{Katakana}\\p{Hangul}"
#define WORD_START "(?:(?<!\\w)|(?<=[" CJK "]))"
#define WORD_END "(?:(?!\\w)|(?=[" CJK "]))"

static int cmp_len_desc(const void *a, const void *b)
{
	size_t la = strlen(*(const char *const *)a), lb = strlen(*(const char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

static int build_ambiguous(loader *ld, const dc_node *list)
{
	dc_policy *p = ld->p;
	const char **sorted;
	dc_buf re = DC_BUF_INIT;
	size_t i, j, n;
	int rc = -1;

	sorted = malloc(p->nambiguous * sizeof(*sorted));
	if (!sorted)
		return dc_error_oom();
	memcpy(sorted, p->ambiguous, p->nambiguous * sizeof(*sorted));
	qsort(sorted, p->nambiguous, sizeof(*sorted), cmp_len_desc);
	for (i = 0; i < p->nambiguous; i++) {
		const char *t = sorted[i];
		size_t len = strlen(t), last = 0;

		if (i && dc_buf_putc(&re, '|') < 0)
			goto cleanup;
		for (j = 0; j < len; j += n)
			last = j, dc_utf8_decode(t + j, len - j, &n);
		if (is_latin_word_char(dc_utf8_decode(t, len, &n)) && dc_buf_puts(&re, WORD_START) < 0)
			goto cleanup;
		for (j = 0; j < len; j++) {
			unsigned char c = (unsigned char)t[j];

			if (c < 0x80 && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
					  (c >= 'a' && c <= 'z') || c == ' ' || c < 0x20) &&
			    dc_buf_putc(&re, '\\') < 0)
				goto cleanup;
			if (dc_buf_putc(&re, (char)c) < 0)
				goto cleanup;
		}
		if (is_latin_word_char(dc_utf8_decode(t + last, len - last, &n)) && dc_buf_puts(&re, WORD_END) < 0)
			goto cleanup;
	}
	{
		PCRE2_UCHAR msg[256];
		PCRE2_SIZE off;
		int err;

		p->ambiguous_re = pcre2_compile((PCRE2_SPTR)re.ptr, re.len,
						PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
		if (!p->ambiguous_re) {
			pcre2_get_error_message(err, msg, sizeof(msg));
			rc = invalid(ld, &list->start, _("language.ambiguous cannot be searched for: %s; check the terms"),
				     (const char *)msg);
			goto cleanup;
		}
		pcre2_jit_compile(p->ambiguous_re, PCRE2_JIT_COMPLETE);
	}
	rc = 0;
cleanup:
	free(sorted);
	dc_buf_dispose(&re);
	return rc;
}

static int load_language(loader *ld, const dc_node *root)
{
	const dc_node *v = dc_node_get(root, "language"), *terms;
	dc_policy *p = ld->p;
	size_t i;
	int ok = 1;

	if (!v)
		return 0;
	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, "language", _("a mapping"), _("write language: {ambiguous: [...]}"));
	if (unknown_keys(ld, v, language_keys, "language") < 0)
		return -1;
	if (!(terms = dc_node_get(v, "ambiguous")))
		return 0;
	if (get_strings(ld, terms, "language.ambiguous", _("write ambiguous: [\"as appropriate\", \"适当\"]"),
			&p->ambiguous, &p->nambiguous, &ok) < 0)
		return -1;
	for (i = 0; ok && i < p->nambiguous; i++) {
		if (dc_utf8_invalid_at(p->ambiguous[i], strlen(p->ambiguous[i])) != strlen(p->ambiguous[i])) {
			ok = 0;
			if (invalid(ld, &terms->u.seq.items[i]->start, _("term of language.ambiguous is not valid UTF-8; retype it")) < 0)
				return -1;
		}
	}
	if (!ok || !p->nambiguous)
		return 0;
	return build_ambiguous(ld, terms);
}

/* web.url or web.site: an absolute http(s) address of printable ASCII
 * without spaces, quotes or angle brackets, or absent. */
static int web_address(loader *ld, const dc_node *v, const char *key, const char *name, const char **out)
{
	const dc_node *u = dc_node_get(v, key);
	const char *url = NULL, *c;

	if (!u)
		return 0;
	if (get_string(ld, u, name, _("write url: https://qms.example.com/qms"), &url) < 0)
		return -1;
	if (!url)
		return 0;
	for (c = url; *c > 0x20 && *c < 0x7f && !strchr("\"'<>`\\", *c); c++)
		;
	if (*c || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)))
		return invalid(ld, &u->start, "%s", !strcmp(key, "url")
			? _("web.url is not an http or https address; write one such as https://qms.example.com/qms")
			: _("web.site is not an http or https address; write one such as https://qms.example.com/docs/"));
	*out = url;
	return 0;
}

/* web: {url: https://..., site: https://...}: where docctl-web is served
 * (reference §12), to which the published pages link, and where the
 * published site is, to which docctl-web's reading list links. */
static int load_web(loader *ld, const dc_node *root)
{
	const dc_node *v = dc_node_get(root, "web");

	if (!v)
		return 0;
	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, "web", _("a mapping"), _("write web: {url: https://qms.example.com/qms}"));
	if (unknown_keys(ld, v, web_keys, "web") < 0 || web_address(ld, v, "url", "web.url", &ld->p->web_url) < 0)
		return -1;
	return web_address(ld, v, "site", "web.site", &ld->p->web_site);
}

/* types.NAME.id: required, a PCRE2 pattern anchored at both ends. */
static int type_id(loader *ld, const dc_pair *pair, const char *tname, dc_type *t)
{
	const dc_node *e = dc_node_get(pair->value, "id");
	const char *what;

	if (!e)
		return invalid(ld, &pair->key->start, _("type \"%s\" has no id; add id: and a pattern such as \"SP-[0-9]{3}\""),
			       tname);
	what = afmt(ld, "types.%s.id", tname);
	if (get_string(ld, e, what, _("write a PCRE2 pattern such as \"SP-[0-9]{3}\""), &t->id.pattern) < 0)
		return -1;
	if (t->id.pattern && compile(ld, e, what, PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_UTF, &t->id) < 0)
		return -1;
	return 0;
}

/* types.NAME.approvers: required, at least one role or person. */
static int type_approvers(loader *ld, const dc_pair *pair, const char *tname, dc_type *t)
{
	const dc_node *e = dc_node_get(pair->value, "approvers");
	int ok = 1;

	if (!e)
		return invalid(ld, &pair->key->start,
			       _("type \"%s\" has no approvers; add approvers: and the roles or people who approve it"),
			       tname);
	if (get_strings(ld, e, afmt(ld, "types.%s.approvers", tname), _("write approvers: [qa-manager]"),
			&t->approvers, &t->napprovers, &ok) < 0)
		return -1;
	if (ok && t->napprovers == 0 &&
	    invalid(ld, &e->start, _("types.%s.approvers must name at least one role or person; write approvers: [qa-manager]"),
		    tname) < 0)
		return -1;
	return check_approvers(ld, e);
}

/* types.NAME.sections: patterns, caseless; the ones that compile are kept. */
static int type_sections(loader *ld, const dc_node *e, const char *tname, dc_type *t)
{
	const char *what = afmt(ld, "types.%s.sections", tname);
	const char **pats;
	size_t n, i;
	int ok = 1;

	if (get_strings(ld, e, what, _("write sections: [\"目的|Purpose\", \"适用范围|Scope\"]"), &pats, &n, &ok) < 0)
		return -1;
	if (!ok)
		return 0;
	t->sections = dc_arena_alloc(&ld->p->arena, (n + 1) * sizeof(dc_pattern));
	if (!t->sections)
		return -1;
	for (i = 0; i < n; i++) {
		dc_pattern *sp = &t->sections[t->nsections];

		sp->pattern = pats[i];
		if (compile(ld, e->u.seq.items[i], afmt(ld, _("section of type \"%s\""), tname),
			    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, sp) < 0)
			return -1;
		if (sp->re)
			t->nsections++;
	}
	return 0;
}

/* types.NAME.max_words: a positive integer. */
static int type_max_words(loader *ld, const dc_node *e, const char *tname, dc_type *t)
{
	if (e->kind != DC_NODE_INT)
		return wrong_kind(ld, e, afmt(ld, "types.%s.max_words", tname), _("a positive integer"),
				  _("write max_words: 20000"));
	if (e->u.i < 1 || e->u.i > 2000000000)
		return invalid(ld, &e->start, _("types.%s.max_words %lld is out of range; write a positive number of words such as 20000"),
			       tname, (long long)e->u.i);
	t->max_words = (long)e->u.i;
	return 0;
}

/* types.NAME.body: optional or required. */
static int type_body(loader *ld, const dc_node *e, const char *tname, dc_type *t)
{
	const char *hint = _("write body: optional or body: required");
	const char *s;

	if (get_string(ld, e, afmt(ld, "types.%s.body", tname), hint, &s) < 0)
		return -1;
	if (s && !strcmp(s, "optional"))
		t->body_optional = 1;
	else if (s && strcmp(s, "required") &&
		 invalid(ld, &e->start, _("types.%s.body \"%s\" is neither optional nor required; %s"),
			 tname, show_node(ld, e), hint) < 0)
		return -1;
	return 0;
}

/* types.NAME.folder: a folder under one of the roots. */
static int type_folder(loader *ld, const dc_node *e, const char *tname, dc_type *t)
{
	const char *s, *probe;

	if (get_string(ld, e, afmt(ld, "types.%s.folder", tname), _("name a folder under the roots, such as docs/procedures"),
		       &s) < 0)
		return -1;
	if (!s)
		return 0;
	t->folder = normalise_path(ld, e, afmt(ld, "types.%s.folder", tname), s);
	if (!t->folder)
		return -1;
	probe = afmt(ld, "%s/x.md", t->folder);
	if (ld->p->nroots && !dc_policy_controls(ld->p, probe) &&
	    invalid(ld, &e->start, _("types.%s.folder \"%s\" is not under any of the roots; name a folder under one of them"),
		    tname, show_node(ld, e)) < 0)
		return -1;
	return 0;
}

/* A size: a number of bytes, or a number and a unit (KiB MiB GiB, KB MB GB). */
static int parse_size(const char *s, size_t n, unsigned long long *out)
{
	static const struct { const char *unit; unsigned long long mul; } units[] = {
		{ "", 1 }, { "B", 1 }, { "KiB", 1ULL << 10 }, { "MiB", 1ULL << 20 }, { "GiB", 1ULL << 30 },
		{ "KB", 1000 }, { "MB", 1000000 }, { "GB", 1000000000 },
	};
	unsigned long long v = 0;
	size_t i = 0, k;

	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (v > 1ULL << 40)
			return -1;
		v = v * 10 + (unsigned)(s[i++] - '0');
	}
	if (!i)
		return -1;
	while (i < n && s[i] == ' ')
		i++;
	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
		if (strlen(units[k].unit) == n - i && !memcmp(units[k].unit, s + i, n - i)) {
			*out = v * units[k].mul;
			return 0;
		}
	}
	return -1;
}

/* A type's check step and attachment limit (reference §9.1, §9.3). */
static int load_signoff(loader *ld, const dc_node *v, dc_type *t, const char *tname)
{
	const dc_node *e;
	int ok = 1;

	t->max_file_size = 50ULL << 20;
	if ((e = dc_node_get(v, "checkers"))) {
		if (get_strings(ld, e, afmt(ld, "types.%s.checkers", tname), _("write checkers: [qa-manager]"),
				&t->checkers, &t->ncheckers, &ok) < 0)
			return -1;
		if (ok && t->ncheckers == 0 &&
		    invalid(ld, &e->start, _("types.%s.checkers must name at least one role or person; write checkers: [qa-manager], or remove it"),
			    tname) < 0)
			return -1;
		if (check_approvers(ld, e) < 0)
			return -1;
	}
	if ((e = dc_node_get(v, "max_file_size"))) {
		unsigned long long size = 0;
		int bad = 1;

		if (e->kind == DC_NODE_INT && e->u.i > 0) {
			size = (unsigned long long)e->u.i;
			bad = 0;
		} else if (e->kind == DC_NODE_STR && !memchr(e->text, '\0', e->len)) {
			bad = parse_size(e->text, e->len, &size) < 0 || !size;
		}
		if (bad && invalid(ld, &e->start, _("types.%s.max_file_size \"%s\" is not a size; write max_file_size: 20MiB (or a number of bytes)"),
				   tname, show_node(ld, e)) < 0)
			return -1;
		if (!bad)
			t->max_file_size = size;
	}
	return 0;
}

/* One type of `types:`, each key by its own function. */
static int load_type(loader *ld, const dc_pair *pair, dc_type *t)
{
	const dc_node *v = pair->value, *e;
	const char *tname = show(ld, t->name, strlen(t->name));

	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, afmt(ld, _("type \"%s\""), tname), _("a mapping"),
				  _("write {id: \"SP-[0-9]{3}\", approvers: [qa-manager]}"));
	if (unknown_keys(ld, v, type_keys, afmt(ld, _("type \"%s\""), tname)) < 0)
		return -1;
	if (type_id(ld, pair, tname, t) < 0)
		return -1;
	if ((e = dc_node_get(v, "schema")) &&
	    get_string(ld, e, afmt(ld, "types.%s.schema", tname), _("name a schema file such as schema/document.schema.yaml"),
		       &t->schema) < 0)
		return -1;
	if (type_approvers(ld, pair, tname, t) < 0)
		return -1;
	if ((e = dc_node_get(v, "review_every")) &&
	    get_duration(ld, e, afmt(ld, "types.%s.review_every", tname), &t->has_review, &t->review_every) < 0)
		return -1;
	if ((e = dc_node_get(v, "retention")) &&
	    get_duration(ld, e, afmt(ld, "types.%s.retention", tname), &t->has_retention, &t->retention) < 0)
		return -1;
	if ((e = dc_node_get(v, "sections")) && type_sections(ld, e, tname, t) < 0)
		return -1;
	if ((e = dc_node_get(v, "max_words")) && type_max_words(ld, e, tname, t) < 0)
		return -1;
	if ((e = dc_node_get(v, "body")) && type_body(ld, e, tname, t) < 0)
		return -1;
	if ((e = dc_node_get(v, "folder")) && type_folder(ld, e, tname, t) < 0)
		return -1;
	if ((e = dc_node_get(v, "title")) &&
	    get_string(ld, e, afmt(ld, "types.%s.title", tname), _("write the name people read, such as title: 程序文件"),
		       &t->title) < 0)
		return -1;
	if (load_signoff(ld, v, t, tname) < 0)
		return -1;
	return 0;
}

static int load_types(loader *ld, const dc_node *root)
{
	const char *hint = _("write types: {procedure: {id: \"SP-[0-9]{3}\", approvers: [qa-manager]}}");
	dc_policy *p = ld->p;
	const dc_pair *pair = dc_node_pair(root, "types");
	const dc_node *v;
	size_t i;

	if (!pair)
		return invalid(ld, &root->start, _("missing required key \"types\" in docctl.yaml; %s"), hint);
	v = pair->value;
	if (v->kind != DC_NODE_MAP)
		return wrong_kind(ld, v, "types", _("a mapping of type names"), hint);
	if (v->u.map.n == 0)
		return invalid(ld, &v->start, _("types must define at least one type; %s"), hint);
	p->types = dc_arena_alloc(&p->arena, (v->u.map.n + 1) * sizeof(dc_type));
	if (!p->types)
		return -1;
	for (i = 0; i < v->u.map.n; i++) {
		const dc_pair *tp = &v->u.map.pairs[i];
		dc_type *t = &p->types[p->ntypes];
		const char *name;

		if (get_key(ld, tp->key, "a type name", _("write a name such as procedure"), &name) < 0)
			return -1;
		if (!name)
			continue;
		memset(t, 0, sizeof(*t));
		t->name = name;
		t->mark = tp->key->start;
		p->ntypes++; /* counted before loading so dc_policy_free sees its patterns */
		if (load_type(ld, tp, t) < 0)
			return -1;
	}
	return 0;
}

/* ---- the public interface ---------------------------------------------- */

int dc_policy_load(dc_policy **out, const dc_node *root, const char *file, dc_diags *diags)
{
	dc_policy *p;
	loader ld;
	int rc = -1;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return dc_error_oom();
	dc_arena_init(&p->arena);
	ld.p = p;
	ld.diags = diags;
	ld.bad = 0;
	p->file = dc_arena_strdup(&p->arena, file ? file : "docctl.yaml");
	if (!p->file)
		goto cleanup;
	if (!root || root->kind != DC_NODE_MAP) {
		static const dc_mark top = { 1, 1, 0 };

		if (invalid(&ld, root ? &root->start : &top,
			    _("docctl.yaml must be a mapping with at least docctl, roots, people and types; "
			    "see the example policy in the documentation")) < 0)
			goto cleanup;
		rc = 1;
		goto cleanup;
	}
	if (unknown_keys(&ld, root, top_keys, "docctl.yaml") < 0 ||
	    load_version(&ld, root) < 0 ||
	    load_roots(&ld, root) < 0 ||
	    load_protected(&ld, root) < 0 ||
	    load_scalars(&ld, root) < 0 ||
	    load_approval(&ld, root) < 0 ||
	    load_people(&ld, root) < 0 || index_people(p) < 0 ||
	    load_policy_approvers(&ld, root) < 0 ||
	    load_language(&ld, root) < 0 ||
	    load_web(&ld, root) < 0 ||
	    load_types(&ld, root) < 0)
		goto cleanup;
	if ((rc = dc_policy_training_load(p, root, diags)) < 0)
		goto cleanup;
	if (rc == 1)
		ld.bad = 1;
	if ((rc = dc_policy_feedback_load(p, root, diags)) != 0) { /* feedback.c */
		if (rc < 0)
			goto cleanup;
		ld.bad = 1;
	} else if (dc_node_get(root, "feedback") && dc_policy_protects(p, p->feedback_ref)) {
		const dc_node *fb = dc_node_get(root, "feedback");

		if (dc_diags_add(diags, p->file, fb->start.line, fb->start.col, DC_R_POLICY_INVALID, NULL,
				 _("feedback.ref %s is protected; the feedback ref is a branch that `protected` does not cover, such as %s"),
				 p->feedback_ref, DC_FEEDBACK_REF) < 0)
			goto cleanup;
		ld.bad = 1;
	}
	rc = -1;
	if (ld.bad) {
		rc = 1;
		goto cleanup;
	}
	*out = p;
	return 0;
cleanup:
	dc_policy_free(p);
	return rc;
}

void dc_policy_free(dc_policy *p)
{
	size_t i, k;

	if (!p)
		return;
	for (i = 0; i < p->ntypes; i++) {
		pcre2_code_free(p->types[i].id.re);
		for (k = 0; k < p->types[i].nsections; k++)
			pcre2_code_free(p->types[i].sections[k].re);
	}
	pcre2_code_free(p->ambiguous_re);
	dc_strmap_dispose(&p->people_by_key);
	dc_strmap_dispose(&p->people_by_email);
	dc_strmap_dispose(&p->role_names);
	dc_strmap_dispose(&p->department_names);
	dc_arena_dispose(&p->arena);
	free(p);
}

const char *dc_type_label(const dc_policy *p, const char *name)
{
	const dc_type *t = p && name ? dc_policy_type(p, name) : NULL;

	return t && t->title ? t->title : name;
}

const dc_person *dc_policy_person_by_email(const dc_policy *p, const char *email)
{
	size_t i;

	for (i = 0; email && i < p->npeople; i++)
		if (p->people[i].email && !strcasecmp(p->people[i].email, email))
			return &p->people[i];
	return NULL;
}

int dc_policy_person_in(const dc_policy *p, const char *person, const char **list, size_t n)
{
	const dc_person *who = dc_policy_person(p, person);
	size_t i;

	if (!who)
		return 0;
	for (i = 0; i < n; i++)
		if (!strcmp(list[i], who->key) || holds_role(who, list[i]))
			return 1;
	return 0;
}

int dc_policy_may_approve(const dc_policy *p, const dc_type *t, const char *person)
{
	return t && dc_policy_person_in(p, person, t->approvers, t->napprovers);
}

int dc_policy_may_check(const dc_policy *p, const dc_type *t, const char *person)
{
	return t && t->ncheckers && dc_policy_person_in(p, person, t->checkers, t->ncheckers);
}

int dc_policy_controls(const dc_policy *p, const char *path)
{
	size_t len, i;
	const char *base;

	if (!path)
		return 0;
	len = strlen(path);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (len < 3 || strcmp(path + len - 3, ".md") != 0 || strlen(base) <= 3)
		return 0;
	for (i = 0; i < p->nroots; i++) {
		size_t rl = strlen(p->roots[i]);

		if (rl == 0)
			return 1;
		if (!strncmp(path, p->roots[i], rl) && path[rl] == '/')
			return 1;
	}
	return 0;
}

int dc_policy_protects(const dc_policy *p, const char *refname)
{
	size_t i;

	for (i = 0; refname && i < p->nprotected; i++)
		if (fnmatch(p->protected_refs[i], refname, 0) == 0)
			return 1;
	return 0;
}

const dc_type *dc_policy_type_for_id(const dc_policy *p, const char *id)
{
	pcre2_match_context *mc;
	pcre2_match_data *md;
	const dc_type *found = NULL;
	size_t i;

	if (!id)
		return NULL;
	mc = pcre2_match_context_create(NULL);
	md = pcre2_match_data_create(1, NULL);
	if (mc && md) {
		pcre2_set_match_limit(mc, ID_MATCH_LIMIT);
		for (i = 0; i < p->ntypes && !found; i++) {
			if (p->types[i].id.re &&
			    pcre2_match(p->types[i].id.re, (PCRE2_SPTR)id, strlen(id), 0, 0, md, mc) >= 0)
				found = &p->types[i];
		}
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return found;
}
