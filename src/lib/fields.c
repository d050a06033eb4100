/*
 * fields.c - the table of front-matter fields (rows in fields.def) and the
 * document status (see fields.h).
 */
#include "fields.h"

#include <string.h>

#define FIELD(m, name, group, kind, req, info, version) { name, DC_FG_##group, DC_FK_##kind, DC_FR_##req },
const dc_field dc_fields[] = {
#include "fields.def"
};
#undef FIELD

const size_t dc_fields_count = sizeof(dc_fields) / sizeof(dc_fields[0]);

const dc_field *dc_field_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < dc_fields_count; i++)
		if (!strcmp(dc_fields[i].name, name))
			return &dc_fields[i];
	return NULL;
}

int dc_field_in_group(const char *name, dc_field_group group)
{
	const dc_field *f = dc_field_find(name);

	return f && f->group == group;
}

static const char *const status_names[] = {
	[DC_STATUS_DRAFT] = "draft",
	[DC_STATUS_IN_REVIEW] = "in-review",
	[DC_STATUS_APPROVED] = "approved",
	[DC_STATUS_OBSOLETE] = "obsolete",
};

dc_status dc_status_parse(const char *s)
{
	size_t i;

	if (!s)
		return DC_STATUS_NONE;
	for (i = DC_STATUS_DRAFT; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (!strcmp(s, status_names[i]))
			return (dc_status)i;
	return DC_STATUS_OTHER;
}

const char *dc_status_name(dc_status s)
{
	return s >= DC_STATUS_DRAFT && s <= DC_STATUS_OBSOLETE ? status_names[s] : NULL;
}
