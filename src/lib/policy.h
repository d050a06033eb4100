/*
 * policy.h - docctl.yaml, the policy (reference §3), loaded and validated.
 *
 * dc_policy_load() reads the parsed tree and checks everything reference §3 says:
 * `docctl: 1`, the known keys only (top level and per type), required keys
 * (`docctl`, `roots`, `people`, `types`; per type `id`, `approvers`), PCRE2
 * patterns that compile (ids: anchored at both ends, UTF-8; sections:
 * case-insensitive, UTF-8, unanchored), durations, the revision scheme, the
 * `approval.identity` methods, people (each with name, email, roles), and
 * that every approver entry names a person or a role some person holds.
 * Every problem is a `policy.invalid` finding at the policy's own line:col;
 * a policy with any such finding is not returned (the CLI exits 2).
 *
 * Schemas are not read here: the policy names them by path and the caller
 * (project.h) loads them from the same tree.
 */
#ifndef DC_POLICY_H
#define DC_POLICY_H

#include <pcre2.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "diag.h"
#include "node.h"
#include "revision.h"
#include "strmap.h"

typedef struct {
	const char *key;    /* the person id, e.g. "li.wei" */
	const char *name;   /* printed name, e.g. "李伟" */
	const char *email;
	const char **roles;
	size_t nroles;
	const char **departments; /* for `readers` (reference §10); policy_training.c */
	size_t ndepartments;
} dc_person;

typedef struct {
	const char *pattern;    /* as written */
	pcre2_code *re;
} dc_pattern;

typedef struct dc_schema dc_schema;

typedef struct {
	const char *name;        /* "procedure" */
	dc_pattern id;           /* anchored at both ends */
	const char *schema;      /* schema path, or NULL for the policy's default */
	const char **approvers;  /* roles or person ids */
	size_t napprovers;
	int has_review;
	dc_duration review_every;
	dc_pattern *sections;    /* case-insensitive, unanchored */
	size_t nsections;
	long max_words;          /* 0: no limit */
	int has_retention;
	dc_duration retention;
	int body_optional;
	const char *folder;      /* NULL unless given */
	const char *title;       /* the name people read (程序文件); NULL unless given */
	const char **checkers;   /* the check step 审核 (reference §9.1): roles or person ids; none: no check step */
	size_t ncheckers;
	unsigned long long max_file_size; /* attachments (§9.3); default 50 MiB */
	dc_mark mark;            /* where the type is defined */
	const char **readers;    /* who must read each revision (reference §10): roles,
	                            people, departments or "all"; none when nreaders 0 */
	size_t nreaders;
} dc_type;

/* The `training` section (reference §10); policy_training.c. */
typedef struct {
	int present;             /* the policy has a training section */
	dc_duration due;         /* each reader confirms within this (default P14D) */
	const char **trainers;   /* roles or people who record training sessions */
	size_t ntrainers;
	const char *ref;         /* the confirmations' ref (default refs/heads/docctl/acks) */
} dc_training_policy;

typedef struct {
	dc_arena arena;          /* owns everything below */
	const char *file;        /* "docctl.yaml" */
	const char **roots;
	size_t nroots;
	const char **protected_refs; /* globs on full ref names */
	size_t nprotected;
	dc_mark protected_mark;  /* where `protected` is written (line 0: not) */
	dc_scheme scheme;
	const char *schema;      /* default schema path, or NULL */
	const char *signers;     /* default ".docctl/allowed_signers" */
	int identity_signature;  /* approval.identity has "signature" (default) */
	int identity_pusher;     /* approval.identity has "pusher" */
	const char **pusher_env;
	size_t npusher_env;
	dc_person *people;
	size_t npeople;
	const char **policy_approvers;
	size_t npolicy_approvers;
	const char **ambiguous;  /* language.ambiguous terms as written */
	size_t nambiguous;
	pcre2_code *ambiguous_re;/* one alternation of all terms, caseless, UTF-8,
	                            Latin terms at word boundaries; NULL when none */
	dc_type *types;
	size_t ntypes;
	dc_training_policy training;
	dc_strmap people_by_key;  /* person id -> index in people, once all are loaded */
	dc_strmap people_by_email;/* lowercased email -> index in people */
	const char *feedback_ref;/* feedback.ref (reference §11) */
	const char *web_url;     /* web.url: where docctl-web is served (reference §12), or NULL */
	const char *web_site;    /* web.site: where the published site is served (reference §12), or NULL */
	dc_strmap role_names;    /* every role someone holds (policy_training.c) */
	dc_strmap department_names; /* every department someone belongs to */
} dc_policy;

/* Loads the policy from the parsed tree of `file`. Returns 0 with *out set,
 * 1 after appending policy.invalid findings (*out NULL), -1 on failure. */
int dc_policy_load(dc_policy **out, const dc_node *root, const char *file, dc_diags *diags);
void dc_policy_free(dc_policy *p);

const dc_type *dc_policy_type(const dc_policy *p, const char *name);
/* The name people read for a type: its `title` (reference §3), else its id;
 * NULL stays NULL. */
const char *dc_type_label(const dc_policy *p, const char *name);
const dc_person *dc_policy_person(const dc_policy *p, const char *key);
const dc_person *dc_policy_person_by_email(const dc_policy *p, const char *email);
/* Nonzero when `person` holds a role, or is named, in `list`. */
int dc_policy_person_in(const dc_policy *p, const char *person, const char **list, size_t n);
/* Nonzero when `person` may approve documents of type `t`. */
int dc_policy_may_approve(const dc_policy *p, const dc_type *t, const char *person);
/* Nonzero when `person` may check documents of type `t` (it has checkers). */
int dc_policy_may_check(const dc_policy *p, const dc_type *t, const char *person);
/* Nonzero when `path` (relative to the project root) is a controlled file:
 * a *.md file under one of the roots. */
int dc_policy_controls(const dc_policy *p, const char *path);
/* Nonzero when the full ref name matches one of `protected` (fnmatch glob). */
int dc_policy_protects(const dc_policy *p, const char *refname);
/* The type whose id pattern matches `id`, or NULL. */
const dc_type *dc_policy_type_for_id(const dc_policy *p, const char *id);

/* policy_training.c: reads `training`, each person's `departments` and each
 * type's `readers` (reference §10) into `p`, after the rest of the policy.
 * Returns 0, 1 after appending policy.invalid findings, -1 on failure. */
int dc_policy_training_load(dc_policy *p, const dc_node *root, dc_diags *diags);
/* A policy.invalid finding at `at` in the policy's file; sets *bad. The
 * loaders of policy.c and policy_training.c report through it. 0, or -1. */
int dc_policy_invalid(const dc_policy *p, dc_diags *diags, int *bad, const dc_mark *at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Nonzero when `v` is a string that is not empty and holds no NUL byte. */
int dc_policy_plain_string(const dc_node *v);
/* Nonzero when `v` is a list of such strings: the loaders copy those
 * without making the messages a problem would need (a policy of 10,000
 * people is loaded at every push). */
int dc_policy_plain_strings(const dc_node *v);
/* Copies such a list into the arena: 0, or -1. */
int dc_policy_copy_strings(dc_policy *p, const dc_node *v, const char ***out, size_t *n);
/* Nonzero when `name` may stand in a readers list: "all", a person id, a
 * role someone holds or a department someone belongs to (reference §10). */
int dc_policy_reader_known(const dc_policy *p, const char *name);
/* The names of the policy close to `name` (people, roles and, with
 * `departments`, departments), quoted and comma-separated into `out`
 * (at most five; empty when none). Returns 0, or -1. */
int dc_policy_near_names(const dc_policy *p, const char *name, int departments, dc_buf *out);
/* Nonzero when `person` is named by a readers list: "all", their id, a role
 * they hold or a department they belong to. */
int dc_policy_is_reader(const dc_policy *p, const char *person, const char *const *readers, size_t n);
/* The same for a person of the policy (no lookup by id). */
int dc_policy_person_reads(const dc_person *who, const char *const *readers, size_t n);
/* Nonzero when `person` may record training sessions (training.trainers). */
int dc_policy_is_trainer(const dc_policy *p, const char *person);

#endif
