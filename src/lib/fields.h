/*
 * fields.h - the front-matter fields docctl knows (reference §4.1), their
 * groups (reference §4.2), and the document status. The rows are in
 * fields.def; everything that names all fields, or a group of them,
 * iterates the table instead.
 */
#ifndef DC_FIELDS_H
#define DC_FIELDS_H

#include <stddef.h>

typedef enum {
	DC_FG_CONTENT,
	DC_FG_APPROVAL,
	DC_FG_REVIEW,
	DC_FG_RETIREMENT
} dc_field_group;

typedef enum {
	DC_FK_STRING,
	DC_FK_REVISION, /* a string or an integer */
	DC_FK_PERSON,   /* a person id of the policy */
	DC_FK_APPROVER, /* a person id who vouches: holds an approver role of the type */
	DC_FK_DATE,
	DC_FK_DURATION,
	DC_FK_ID,
	DC_FK_IDS,
	DC_FK_PATHS
} dc_field_kind;

typedef enum {
	DC_FR_NO,
	DC_FR_ALWAYS,   /* by the default schema */
	DC_FR_CHANGED,  /* unless the revision is the scheme's lowest */
	DC_FR_APPROVED, /* when status is approved or obsolete */
	DC_FR_OBSOLETE, /* when status is obsolete */
	DC_FR_EXTERNAL  /* for type external only */
} dc_field_required;

typedef struct {
	const char *name;
	dc_field_group group;
	dc_field_kind kind;
	dc_field_required required;
} dc_field;

extern const dc_field dc_fields[];
extern const size_t dc_fields_count;

/* The row of the field `name`, or NULL when docctl does not know it. */
const dc_field *dc_field_find(const char *name);
/* Nonzero when `name` is a known field of `group`. */
int dc_field_in_group(const char *name, dc_field_group group);

/* Helpers for the X-macros over fields.def: keep a row's code or not. */
#define DC_FIELD_IF_1(...) __VA_ARGS__
#define DC_FIELD_IF_0(...)

/* The status of a document (reference §4.1 `status`). */
typedef enum {
	DC_STATUS_NONE,      /* no status (or not a string) */
	DC_STATUS_OTHER,     /* a value that is not one of the four */
	DC_STATUS_DRAFT,
	DC_STATUS_IN_REVIEW,
	DC_STATUS_APPROVED,
	DC_STATUS_OBSOLETE
} dc_status;

/* The status a front-matter value names: NONE for NULL, OTHER when unknown. */
dc_status dc_status_parse(const char *s);
/* The front-matter spelling of `s` ("approved"), or NULL for NONE and OTHER. */
const char *dc_status_name(dc_status s);

#endif
