/*
 * schema_int.h - what the schema compiler (schema.c) and validator
 * (schema_validate.c) share: the compiled tree and the value helpers of
 * schema_value.c. Internal to src/lib.
 */
#ifndef DC_SCHEMA_INT_H
#define DC_SCHEMA_INT_H

#include <stdint.h>
#include <string.h>

#include <pcre2.h>

#include "arena.h"
#include "buf.h"
#include "schema.h"

#define MATCH_LIMIT 100000
#define MATCH_DEPTH_LIMIT 10000
#define MATCH_HEAP_LIMIT 8192 /* KiB */
#define MAX_STEPS 1000000     /* schema evaluations per validated document */
#define MAX_EVAL_DEPTH 1000   /* nested schema evaluations */
#define MAX_COMPILE_DEPTH 256 /* nested schemas in a schema file */
#define MAX_SHOWN 80          /* code points of a value quoted in a message */
#define MAX_ENUM_SHOWN 30     /* enum values listed in a message */
#define PATTERN_STEPS 10      /* what one pattern match costs of MAX_STEPS */
#define MAX_FINDINGS 1000     /* per validated document; then it stops */

enum {
	T_NULL = 1 << 0,
	T_BOOL = 1 << 1,
	T_INT = 1 << 2,
	T_NUM = 1 << 3,
	T_STR = 1 << 4,
	T_ARR = 1 << 5,
	T_OBJ = 1 << 6
};

extern const char *const sch_type_names[7];
#define NTYPES (sizeof(sch_type_names) / sizeof(sch_type_names[0]))

enum { ADDL_NONE, ADDL_FALSE, ADDL_TRUE, ADDL_SCHEMA };
enum { FMT_NONE, FMT_DATE, FMT_DURATION };
enum { WHITE, GRAY, BLACK };

typedef struct snode snode;

/* A compiled pattern (`pattern`, or a key of `patternProperties`). */
typedef struct spat {
	pcre2_code *re;
	const char *text;
	size_t len;
	dc_mark mark;
	struct spat *next; /* every pattern of the schema, to free */
} spat;

typedef struct {
	const char *name;
	size_t len;
	snode *schema;
} sprop;

typedef struct {
	spat *pat;
	snode *schema;
} spprop;

typedef struct {
	const char *name;
	size_t len;
} sname;

typedef struct {
	const char *name; /* when this field is present ... */
	size_t len;
	sname *needs;     /* ... these must be too */
	size_t nneeds;
} sdepreq;

typedef struct {
	snode **v;
	size_t n;
	dc_mark mark; /* the keyword's key in the schema file */
} slist;

struct snode {
	int boolean; /* -1: a mapping of keywords; 0: false; 1: true */
	dc_mark mark;
	unsigned types;
	unsigned char type_order[NTYPES]; /* as the schema lists them */
	size_t ntypes;
	sprop *props;
	size_t nprops;
	spprop *pprops;
	size_t npprops;
	sprop *defs;
	size_t ndefs;
	sname *required;
	size_t nrequired;
	sdepreq *dreq;
	size_t ndreq;
	sprop *dschemas;
	size_t ndschemas;
	int addl;
	snode *addl_schema;
	snode *prop_names;
	dc_mark prop_names_mark;
	snode *uneval_props, *uneval_items;
	dc_mark uneval_props_mark, uneval_items_mark;
	int has_enum;
	dc_node **enums;
	size_t nenums;
	dc_node *konst;
	spat *pat;
	int64_t min_len, max_len, min_items, max_items; /* -1: absent */
	int64_t min_props, max_props, min_contains, max_contains;
	dc_node *minimum, *maximum, *xminimum, *xmaximum, *multiple;
	slist prefix;
	snode *items;
	snode *contains;
	dc_mark contains_mark;
	int unique;
	int format;
	slist all, any, one;
	snode *not_, *if_, *then_, *else_;
	dc_mark not_mark;
	const char *anchor; /* $anchor */
	size_t anchor_len;
	const char *ref_text; /* the $ref as written */
	size_t ref_len;
	dc_mark ref_mark;
	snode *ref;
	/* while compiling only: the schema's node in the schema file, and the
	 * root of the schema resource it belongs to (the file, or the nearest
	 * enclosing schema with an $id) */
	const dc_node *src, *resource;
	int color;
	snode *next_all, *next_ref;
};

struct dc_schema {
	dc_arena arena;
	const char *file;
	snode *root;
	spat *patterns; /* every compiled pattern */
};

/* ---- schema_value.c ---- */
int sch_put_text(dc_buf *b, const char *s, size_t len, int quote);
int sch_put_scalar(dc_buf *b, const dc_node *n);
int sch_put_value(dc_buf *b, const dc_node *n);
int sch_put_plain(dc_buf *b, const dc_node *n);
const char *sch_with_article(const char *type);
const char *sch_kind_article(dc_node_kind k);
int sch_key_is(const dc_node *key, const char *name);
int sch_is_integral(double f);
/* JSON Schema equality: numbers by value (1.0 equals 1), strings by bytes,
 * arrays item by item, objects by their set of fields (reference §4.9). */
int sch_value_equal(const dc_node *a, const dc_node *b);
/* A hash that agrees with sch_value_equal (equal values hash alike). */
uint64_t sch_value_hash(const dc_node *n);
/* <0, 0, >0 comparing two numbers; *unordered when either is NaN. */
int sch_num_cmp(const dc_node *a, const dc_node *b, int *unordered);

/* The `properties` entry of `name` (inline: every field of every document
 * looks itself up). */
static inline const sprop *sch_find_prop(const snode *sn, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sn->nprops; i++)
		if (sn->props[i].len == len && !memcmp(sn->props[i].name, name, len))
			return &sn->props[i];
	return NULL;
}

#endif
