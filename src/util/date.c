/*
 * date.c - ISO 8601 calendar dates and date durations (see date.h).
 *
 * Dates are parsed strictly (exactly YYYY-MM-DD, a real day of the Gregorian
 * calendar, years 1000-9999). Durations are P[nY][nM][nW][nD]: at least one
 * part, each a run of at most 6 digits, no sign, no fraction, no time part.
 * Arithmetic goes through day numbers (days since 1970-01-01, the proleptic
 * Gregorian calendar of Howard Hinnant's civil algorithms), so adding any
 * duration is exact; months and years are added first, clamping the day to
 * the end of the month, then weeks and days.
 */
#include "date.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PART_DIGITS 6

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int dc_date_parse(dc_date *out, const char *s)
{
	dc_date d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	if (digits(s, 4, &d.y) < 0 || digits(s + 5, 2, &d.m) < 0 || digits(s + 8, 2, &d.d) < 0)
		return -1;
	if (d.y < 1000 || d.m < 1 || d.m > 12 || d.d < 1 || d.d > month_days(d.y, d.m))
		return -1;
	*out = d;
	return 0;
}

int dc_duration_parse(dc_duration *out, const char *s)
{
	static const char units[] = "YMWD";
	dc_duration dur = { 0, 0, 0, 0 };
	int *parts[4];
	size_t next = 0; /* index in units of the first unit still allowed */
	int any = 0;

	parts[0] = &dur.years;
	parts[1] = &dur.months;
	parts[2] = &dur.weeks;
	parts[3] = &dur.days;
	if (!s || *s++ != 'P')
		return -1;
	while (*s) {
		const char *unit;
		size_t n = 0, u;
		int v;

		while (s[n] >= '0' && s[n] <= '9')
			n++;
		if (n == 0 || n > MAX_PART_DIGITS || !s[n])
			return -1;
		unit = strchr(units, s[n]);
		if (!unit)
			return -1;
		u = (size_t)(unit - units);
		if (u < next)
			return -1;
		if (digits(s, n, &v) < 0)
			return -1;
		*parts[u] = v;
		next = u + 1;
		any = 1;
		s += n + 1;
	}
	if (!any)
		return -1;
	*out = dur;
	return 0;
}

int dc_date_cmp(const dc_date *a, const dc_date *b)
{
	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return 0;
}

static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static dc_date civil_from_days(long z)
{
	long era, doe, yoe, y, doy, mp;
	dc_date out;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	out.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	out.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	out.y = (int)(y + (out.m <= 2));
	return out;
}

dc_date dc_date_add(const dc_date *d, const dc_duration *dur)
{
	long months = (long)d->y * 12 + (d->m - 1) + (long)dur->years * 12 + dur->months;
	long y = months / 12;
	int m = (int)(months % 12) + 1;
	int day = d->d;

	if (day > month_days(y, m))
		day = month_days(y, m);
	return civil_from_days(days_from_civil(y, m, day) + (long)dur->weeks * 7 + dur->days);
}

long dc_date_days(const dc_date *d)
{
	return days_from_civil(d->y, d->m, d->d);
}

dc_date dc_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	dc_date d = { 1970, 1, 1 };

	/* the local date: an approval made at 07:00 in Beijing is dated that day */
	if (localtime_r(&now, &tm)) {
		d.y = tm.tm_year + 1900;
		d.m = tm.tm_mon + 1;
		d.d = tm.tm_mday;
	}
	return d;
}

int dc_today(dc_date *out, const char *as_of)
{
	if (!as_of)
		as_of = getenv("DOCCTL_AS_OF");
	if (as_of && *as_of)
		return dc_date_parse(out, as_of);
	*out = dc_date_today();
	return 0;
}

void dc_date_format(const dc_date *d, char out[11])
{
	int y = d->y, m = d->m, day = d->d;

	/* keep the output 10 characters whatever the value */
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	if (m < 1 || m > 12)
		m = 1;
	if (day < 1 || day > 31)
		day = 1;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + day / 10);
	out[9] = (char)('0' + day % 10);
	out[10] = '\0';
}
