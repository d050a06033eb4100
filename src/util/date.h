/*
 * date.h - ISO 8601 calendar dates and date durations (reference §4.1).
 *
 * Dates are exactly YYYY-MM-DD (a real calendar day, years 1000-9999).
 * Durations are P followed by any of nY nM nW nD in that order, at least one,
 * no time part (P1Y, P6M, P1Y6M, P2W, P90D). Adding months clamps to the
 * month's last day (2026-01-31 + P1M = 2026-02-28).
 */
#ifndef DC_DATE_H
#define DC_DATE_H

#include <stddef.h>

typedef struct {
	int y, m, d;
} dc_date;

typedef struct {
	int years, months, weeks, days;
} dc_duration;

/* 0 on success, -1 when `s` is not a valid date/duration (no error set). */
int dc_date_parse(dc_date *out, const char *s);
int dc_duration_parse(dc_duration *out, const char *s);
/* <0, 0, >0 like strcmp. */
int dc_date_cmp(const dc_date *a, const dc_date *b);
dc_date dc_date_add(const dc_date *d, const dc_duration *dur);
/* Days since 1970-01-01 (may be negative). */
long dc_date_days(const dc_date *d);
/* Today's local date (TZ), whatever DOCCTL_AS_OF says: use dc_today. */
dc_date dc_date_today(void);
/*
 * "Today" for every command and hook, the one source of it: `as_of` when
 * given, else $DOCCTL_AS_OF when set and not empty (tests, audits), else
 * the local date (TZ). 0, or -1 when the date given is not YYYY-MM-DD.
 */
int dc_today(dc_date *out, const char *as_of);
/* Writes YYYY-MM-DD and a NUL (11 bytes). */
void dc_date_format(const dc_date *d, char out[11]);

#endif
