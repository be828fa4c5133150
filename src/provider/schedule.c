/* SPDX-License-Identifier: MIT */
/*
 * Schedule tokens: the codec of ConfigMgr interval strings (16 hex digits
 * = one 64-bit token), the next occurrence of a schedule, and conversion
 * to and from the SMS_ST_* embedded objects.  One table of fields drives
 * decoding, encoding, range checks and the object properties alike.  Bit
 * layout and sources: docs/schedule.md.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "provider/schedule.h"

#define US_PER_MIN (60LL * 1000000LL)
#define MIN_PER_DAY 1440
#define TYPE_SHIFT 19 /* recurrence type: bits 21-19 */
#define TYPE_MASK 7u
/* after_us accepted by provider_schedule_next: years 1..9999 */
#define NEXT_MIN_US (-62135596800LL * 1000000LL)
#define NEXT_MAX_US (253402300799LL * 1000000LL)
/* A backward clock change moves a wall clock back at most this far: the
 * local search starts this much before the wall clock of after_us. */
#define DST_SLACK_MIN 180
/* Candidates a local search may look at (1-minute intervals: 2 x slack). */
#define LOCAL_SCAN_MAX 1024
/* Months a RecurMonthlyByDate search may skip (day 29..31 rarely exists
 * in the months it picks: Feb 29 with N = 12 recurs every 4..8 years). */
#define MONTH_SCAN_MAX 120

/* Type masks of the field table. */
#define T_BIT(t) (1u << (t))
#define T_ALL                                                                  \
    (T_BIT(PROVIDER_SCHEDULE_NONRECURRING) |                                   \
     T_BIT(PROVIDER_SCHEDULE_INTERVAL) | T_BIT(PROVIDER_SCHEDULE_WEEKLY) |     \
     T_BIT(PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY) |                             \
     T_BIT(PROVIDER_SCHEDULE_MONTHLY_BY_DATE))

/* One bit field of the token and the property it carries. */
typedef struct sched_field {
    const char *name; /* named in messages */
    const char *prop; /* MOF property (NULL: a part of StartTime) */
    unsigned types;   /* T_BIT mask of the types that have it */
    unsigned shift;   /* lowest bit in the 64-bit token */
    unsigned width;   /* bits */
    uint32_t bias;    /* value = stored bits + bias */
    uint32_t min;     /* valid values (MOF Range or page text) */
    uint32_t max;
    size_t off; /* offsetof(provider_schedule, member) */
} sched_field;

#define OFF(m) offsetof(provider_schedule, m)
#define T_IV T_BIT(PROVIDER_SCHEDULE_INTERVAL)
#define T_WK T_BIT(PROVIDER_SCHEDULE_WEEKLY)
#define T_MW T_BIT(PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY)
#define T_MD T_BIT(PROVIDER_SCHEDULE_MONTHLY_BY_DATE)

/*
 * Highest bits first, so that checks report the leftmost bad digit.  The
 * common fields all lie above the type (bits 21-19); the type's own fields
 * below it, and its unused bits below those (bit 0 is IsGMT).
 */
static const sched_field fields[] = {
    {"StartTime minute", NULL, T_ALL, 58, 6, 0, 0, 59, OFF(start_minute)},
    {"StartTime hour", NULL, T_ALL, 53, 5, 0, 0, 23, OFF(start_hour)},
    {"StartTime day", NULL, T_ALL, 48, 5, 0, 1, 31, OFF(start_day)},
    {"StartTime month", NULL, T_ALL, 44, 4, 0, 1, 12, OFF(start_month)},
    {"StartTime year", NULL, T_ALL, 38, 6, PROVIDER_SCHEDULE_MIN_YEAR,
     PROVIDER_SCHEDULE_MIN_YEAR, PROVIDER_SCHEDULE_MAX_YEAR, OFF(start_year)},
    {"MinuteDuration", "MinuteDuration", T_ALL, 32, 6, 0, 0, 59,
     OFF(minute_duration)},
    {"HourDuration", "HourDuration", T_ALL, 27, 5, 0, 0, 23,
     OFF(hour_duration)},
    {"DayDuration", "DayDuration", T_ALL, 22, 5, 0, 0, 31, OFF(day_duration)},
    {"Day", "Day", T_WK | T_MW, 16, 3, 0, 1, 7, OFF(day)},
    {"MonthDay", "MonthDay", T_MD, 14, 5, 0, 0, 31, OFF(month_day)},
    {"MinuteSpan", "MinuteSpan", T_IV, 13, 6, 0, 0, 59, OFF(minute_span)},
    {"ForNumberOfWeeks", "ForNumberOfWeeks", T_WK, 13, 3, 0, 1, 4,
     OFF(for_number_of_weeks)},
    {"ForNumberOfMonths", "ForNumberOfMonths", T_MW, 12, 4, 0, 1, 12,
     OFF(for_number_of_months)},
    {"ForNumberOfMonths", "ForNumberOfMonths", T_MD, 10, 4, 0, 1, 12,
     OFF(for_number_of_months)},
    {"WeekOrder", "WeekOrder", T_MW, 9, 3, 0, 0, 4, OFF(week_order)},
    {"HourSpan", "HourSpan", T_IV, 8, 5, 0, 0, 23, OFF(hour_span)},
    {"DaySpan", "DaySpan", T_IV, 3, 5, 0, 0, 31, OFF(day_span)},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))
#define FIELD_START_DAY 2 /* index of "StartTime day" */

static const char *const class_names[] = {
    NULL,
    "SMS_ST_NonRecurring",
    "SMS_ST_RecurInterval",
    "SMS_ST_RecurWeekly",
    "SMS_ST_RecurMonthlyByWeekday",
    "SMS_ST_RecurMonthlyByDate",
};

static bool type_valid(unsigned type)
{
    return type >= PROVIDER_SCHEDULE_NONRECURRING &&
           type <= PROVIDER_SCHEDULE_MONTHLY_BY_DATE;
}

static uint32_t *field_ptr(provider_schedule *t, const sched_field *f)
{
    return (uint32_t *)(void *)((char *)t + f->off);
}

static uint32_t field_get(const provider_schedule *t, const sched_field *f)
{
    return *(const uint32_t *)(const void *)((const char *)t + f->off);
}

static bool has_field(unsigned type, const sched_field *f)
{
    return type_valid(type) && (f->types & T_BIT(type)) != 0;
}

/* ---- calendar helpers (wall clock in minutes since 1970) ---------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* 0 Sunday .. 6 Saturday of a day number (1970-01-01 was a Thursday). */
static unsigned weekday(int64_t days)
{
    return (unsigned)(((days + 4) % 7 + 7) % 7);
}

static int64_t start_wall(const provider_schedule *t)
{
    return util_days_from_civil(t->start_year, t->start_month, t->start_day) *
               MIN_PER_DAY +
           t->start_hour * 60 + t->start_minute;
}

/* UTC us of a local wall clock (TZ); DST gaps resolve as mktime does. */
static int local_to_utc(int64_t wall, int64_t *us)
{
    int64_t y;
    unsigned m, d;
    int64_t days = floor_div(wall, MIN_PER_DAY);
    int64_t mins = wall - days * MIN_PER_DAY;
    util_civil_from_days(days, &y, &m, &d);
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = (int)(y - 1900);
    tm.tm_mon = (int)m - 1;
    tm.tm_mday = (int)d;
    tm.tm_hour = (int)(mins / 60);
    tm.tm_min = (int)(mins % 60);
    tm.tm_isdst = -1;
    time_t tt = mktime(&tm);
    if (tt == (time_t)-1)
        return -1; /* whole minutes: -1 s is never a real answer */
    *us = (int64_t)tt * 1000000LL;
    return 0;
}

/* Wall clock (minutes) of a UTC instant in the local zone or in UTC. */
static int utc_to_wall(int64_t us, bool gmt, int64_t *wall)
{
    if (gmt) {
        *wall = floor_div(us, US_PER_MIN);
        return 0;
    }
    time_t tt = (time_t)floor_div(us, 1000000LL);
    struct tm tm;
    if (localtime_r(&tt, &tm) == NULL)
        return -1;
    *wall =
        util_days_from_civil((int64_t)tm.tm_year + 1900,
                             (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) *
            MIN_PER_DAY +
        tm.tm_hour * 60 + tm.tm_min;
    return 0;
}

static int64_t start_us_of(const provider_schedule *t)
{
    int64_t wall = start_wall(t), us;
    if (!t->is_gmt && local_to_utc(wall, &us) == 0)
        return us;
    return wall * US_PER_MIN;
}

/* ---- checks ------------------------------------------------------------- */

/* Offset of the first hex digit of a field, -1 without a text. */
static int digit_offset(int base, unsigned hibit)
{
    return base < 0 ? -1 : base + (int)((63 - hibit) / 4);
}

static int field_error(smsprov_error *err, const char *what, int base,
                       const sched_field *f, const char *why)
{
    util_error_object(err, f->prop ? f->prop : "StartTime");
    return util_error_set(err, SMSPROV_EINVALID_PARAMETER,
                          digit_offset(base, f->shift + f->width - 1), "%s: %s",
                          what, why);
}

/* Checks one field's range (and the start day against its month). */
static int check_field(const provider_schedule *t, const sched_field *f,
                       const char *what, int base, smsprov_error *err)
{
    char why[160];
    uint32_t v = field_get(t, f);
    if (v < f->min || v > f->max) {
        snprintf(why, sizeof(why), "%s %u is out of range %u-%u", f->name,
                 (unsigned)v, (unsigned)f->min, (unsigned)f->max);
        return field_error(err, what, base, f, why);
    }
    if (f->off == OFF(start_year) &&
        t->start_day > days_in_month(t->start_year, t->start_month)) {
        snprintf(why, sizeof(why), "StartTime day %u does not exist in %u-%02u",
                 (unsigned)t->start_day, (unsigned)t->start_year,
                 (unsigned)t->start_month);
        return field_error(err, what, base, &fields[FIELD_START_DAY], why);
    }
    return 0;
}

/*
 * Checks the fields of a token of type `type` in bit order, so that with a
 * text (base >= 0: the token's offset) the first error is the leftmost bad
 * digit: the common fields, the type, then the type's own fields.
 */
static int check_fields(const provider_schedule *t, unsigned type,
                        const char *what, int base, smsprov_error *err)
{
    for (size_t i = 0; i < NFIELDS; i++) {
        int rc = fields[i].types == T_ALL
                     ? check_field(t, &fields[i], what, base, err)
                     : 0;
        if (rc != 0)
            return rc;
    }
    if (!type_valid(type)) {
        util_error_object(err, "__CLASS");
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER,
                              digit_offset(base, TYPE_SHIFT + 2),
                              "%s: recurrence type %u is not 1-5 "
                              "(SMS_ST_NonRecurring .. "
                              "SMS_ST_RecurMonthlyByDate)",
                              what, type);
    }
    for (size_t i = 0; i < NFIELDS; i++) {
        int rc = fields[i].types != T_ALL && has_field(type, &fields[i])
                     ? check_field(t, &fields[i], what, base, err)
                     : 0;
        if (rc != 0)
            return rc;
    }
    return 0;
}

int provider_schedule_check(const provider_schedule *t, smsprov_error *err)
{
    return check_fields(t, (unsigned)t->type, "schedule token", -1, err);
}

/* ---- codec -------------------------------------------------------------- */

/* Bits no field of `type` uses (bit 0 is IsGMT, 21-19 the type). */
static uint64_t unused_bits(unsigned type)
{
    uint64_t used = 1u | ((uint64_t)TYPE_MASK << TYPE_SHIFT);
    for (size_t i = 0; i < NFIELDS; i++)
        if (has_field(type, &fields[i]))
            used |= (((uint64_t)1 << fields[i].width) - 1) << fields[i].shift;
    return ~used;
}

static int decode(provider_schedule *t, uint64_t raw, size_t index, int base,
                  smsprov_error *err)
{
    char what[32];
    unsigned type = (unsigned)(raw >> TYPE_SHIFT) & TYPE_MASK;
    snprintf(what, sizeof(what), "token %zu", index);
    memset(t, 0, sizeof(*t));
    t->is_gmt = (raw & 1) != 0;
    for (size_t i = 0; i < NFIELDS; i++) {
        const sched_field *f = &fields[i];
        if (f->types == T_ALL || has_field(type, f))
            *field_ptr(t, f) =
                (uint32_t)((raw >> f->shift) & ((1u << f->width) - 1)) +
                f->bias;
    }
    int rc = check_fields(t, type, what, base, err);
    if (rc != 0)
        return rc;
    uint64_t extra = raw & unused_bits(type);
    if (extra != 0) {
        unsigned hi = 63;
        while (!(extra & ((uint64_t)1 << hi)))
            hi--;
        util_error_object(err, class_names[type]);
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER,
                              digit_offset(base, hi),
                              "%s: bit %u is unused in %s tokens and must be "
                              "0",
                              what, hi, class_names[type]);
    }
    t->type = (provider_schedule_type)type;
    t->start_us = start_us_of(t);
    return 0;
}

static uint64_t encode(const provider_schedule *t)
{
    unsigned type = (unsigned)t->type;
    uint64_t raw = (t->is_gmt ? 1u : 0u) | ((uint64_t)type << TYPE_SHIFT);
    for (size_t i = 0; i < NFIELDS; i++) {
        const sched_field *f = &fields[i];
        if (has_field(type, f))
            raw |= (uint64_t)(field_get(t, f) - f->bias) << f->shift;
    }
    return raw;
}

int provider_schedule_parse(provider_schedule *out, size_t max, size_t *n,
                            const char *s, size_t len, smsprov_error *err)
{
    *n = 0;
    if (len == 0)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, 0,
                              "the schedule string is empty (it holds 16 "
                              "hex digits per token)");
    if (len > (size_t)INT_MAX)
        return util_error_set(err, SMSPROV_ETOOBIG, 0,
                              "the schedule string is too long");
    if (len / PROVIDER_SCHEDULE_TOKEN_LEN > max)
        return util_error_set(
            err, SMSPROV_ETOOBIG, (int)(max * PROVIDER_SCHEDULE_TOKEN_LEN),
            "the schedule string holds more than %zu tokens", max);
    for (size_t pos = 0; pos < len; pos += PROVIDER_SCHEDULE_TOKEN_LEN) {
        size_t k = pos / PROVIDER_SCHEDULE_TOKEN_LEN;
        size_t m = len - pos < PROVIDER_SCHEDULE_TOKEN_LEN
                       ? len - pos
                       : PROVIDER_SCHEDULE_TOKEN_LEN;
        uint64_t raw = 0;
        for (size_t i = 0; i < m; i++) {
            unsigned char c = (unsigned char)s[pos + i];
            int h = util_hexval((char)c);
            if (h < 0)
                return util_error_set(
                    err, SMSPROV_EINVALID_PARAMETER, (int)(pos + i),
                    c > 0x20 && c < 0x7f
                        ? "token %zu: '%c' is not a hexadecimal digit"
                        : "token %zu: byte 0x%02x is not a hexadecimal digit",
                    k + 1, c);
            raw = raw << 4 | (uint64_t)h;
        }
        if (m < PROVIDER_SCHEDULE_TOKEN_LEN)
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, (int)pos,
                                  "token %zu has %zu hex digits, not 16 (the "
                                  "length %zu is not a multiple of 16)",
                                  k + 1, m, len);
        int rc = decode(&out[k], raw, k + 1, (int)pos, err);
        if (rc != 0) {
            *n = 0;
            return rc;
        }
    }
    *n = len / PROVIDER_SCHEDULE_TOKEN_LEN;
    return 0;
}

int provider_schedule_format(const provider_schedule *t, size_t n,
                             util_buf *out, smsprov_error *err)
{
    char what[32];
    for (size_t i = 0; i < n; i++) {
        snprintf(what, sizeof(what), "token %zu", i + 1);
        int rc = check_fields(&t[i], (unsigned)t[i].type, what, -1, err);
        if (rc != 0)
            return rc;
        rc = util_buf_printf(out, "%016llX", (unsigned long long)encode(&t[i]));
        if (rc != 0)
            return util_error_set(err, rc, -1,
                                  "the schedule string does not fit (%zu "
                                  "tokens)",
                                  n);
    }
    return 0;
}

int provider_schedule_set_start(provider_schedule *t, int64_t us,
                                smsprov_error *err)
{
    int64_t wall, y;
    unsigned m, d;
    if (us < NEXT_MIN_US || us > NEXT_MAX_US ||
        utc_to_wall(us, t->is_gmt, &wall)) {
        util_error_object(err, "StartTime");
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "StartTime is outside the years %d-%d a "
                              "schedule token holds",
                              PROVIDER_SCHEDULE_MIN_YEAR,
                              PROVIDER_SCHEDULE_MAX_YEAR);
    }
    int64_t days = floor_div(wall, MIN_PER_DAY);
    int64_t mins = wall - days * MIN_PER_DAY;
    util_civil_from_days(days, &y, &m, &d);
    if (y < PROVIDER_SCHEDULE_MIN_YEAR || y > PROVIDER_SCHEDULE_MAX_YEAR) {
        util_error_object(err, "StartTime");
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "StartTime year %lld is outside the years "
                              "%d-%d a schedule token holds",
                              (long long)y, PROVIDER_SCHEDULE_MIN_YEAR,
                              PROVIDER_SCHEDULE_MAX_YEAR);
    }
    t->start_year = (uint32_t)y;
    t->start_month = m;
    t->start_day = d;
    t->start_hour = (uint32_t)(mins / 60);
    t->start_minute = (uint32_t)(mins % 60);
    t->start_us = start_us_of(t);
    return 0;
}

/* ---- next occurrence ---------------------------------------------------- */

/* Day of month of the `order`-th (0 = last) weekday `wd` (0 Sunday). */
static unsigned nth_weekday(int64_t y, unsigned m, unsigned wd, unsigned order)
{
    unsigned dim = days_in_month(y, m);
    if (order == 0) {
        unsigned last = weekday(util_days_from_civil(y, m, dim));
        return dim - (last + 7 - wd) % 7;
    }
    unsigned first = weekday(util_days_from_civil(y, m, 1));
    return 1 + (wd + 7 - first) % 7 + 7 * (order - 1);
}

/* First occurrence of a monthly token at or after wall clock `lower`. */
static bool next_monthly(const provider_schedule *t, int64_t lower,
                         int64_t *out)
{
    int64_t tod = t->start_hour * 60 + t->start_minute;
    int64_t m0 = (int64_t)t->start_year * 12 + (t->start_month - 1);
    int64_t ly;
    unsigned lm, ld;
    util_civil_from_days(floor_div(lower, MIN_PER_DAY), &ly, &lm, &ld);
    int64_t step = t->for_number_of_months;
    int64_t k = floor_div(ly * 12 + (lm - 1) - m0, step);
    if (k < 0)
        k = 0;
    for (int i = 0; i < MONTH_SCAN_MAX; i++, k++) {
        int64_t mi = m0 + k * step;
        int64_t y = floor_div(mi, 12);
        unsigned m = (unsigned)(mi - y * 12) + 1, d;
        if (t->type == PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY) {
            d = nth_weekday(y, m, t->day - 1, t->week_order);
        } else {
            d = t->month_day == 0 ? days_in_month(y, m) : t->month_day;
            if (d > days_in_month(y, m))
                continue; /* no 31st in a 30-day month: skipped */
        }
        int64_t c = util_days_from_civil(y, m, d) * MIN_PER_DAY + tod;
        if (c >= lower) {
            *out = c;
            return true;
        }
    }
    return false;
}

/* The first occurrence of t at or after wall clock w (minutes); false
 * when there is none. */
static bool next_wall(const provider_schedule *t, int64_t w, int64_t *out)
{
    int64_t s = start_wall(t);
    int64_t lower = w > s ? w : s;
    switch (t->type) {
    case PROVIDER_SCHEDULE_INTERVAL: {
        int64_t span = (int64_t)t->day_span * MIN_PER_DAY + t->hour_span * 60 +
                       t->minute_span;
        if (span == 0)
            break; /* no interval: the start only */
        *out = s + (lower - s + span - 1) / span * span;
        return true;
    }
    case PROVIDER_SCHEDULE_WEEKLY: {
        int64_t sd = floor_div(s, MIN_PER_DAY);
        int64_t period = 7LL * t->for_number_of_weeks * MIN_PER_DAY;
        /* Day of the week holding the start, at the start's time of day */
        int64_t first = (sd - weekday(sd) + (t->day - 1)) * MIN_PER_DAY +
                        (s - sd * MIN_PER_DAY);
        int64_t k = lower > first ? (lower - first + period - 1) / period : 0;
        *out = first + k * period;
        return true;
    }
    case PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY:
    case PROVIDER_SCHEDULE_MONTHLY_BY_DATE:
        return next_monthly(t, lower, out);
    default:
        break;
    }
    if (s < w)
        return false;
    *out = s;
    return true;
}

/* The first occurrence of one token strictly after after_us (UTC us). */
static int next_one(const provider_schedule *t, int64_t after_us, int64_t *out)
{
    int64_t o, w;
    if (t->is_gmt) {
        if (!next_wall(t, floor_div(after_us, US_PER_MIN) + 1, &o))
            return PROVIDER_SCHEDULE_NONE;
        *out = o * US_PER_MIN;
        return 0;
    }
    /*
     * Local time: walk the wall-clock occurrences from a little before the
     * wall clock of after_us (a clock set back repeats up to
     * DST_SLACK_MIN), and keep the earliest instant after after_us among
     * those up to DST_SLACK_MIN past the first that qualifies.
     */
    if (utc_to_wall(after_us, false, &w) != 0)
        return SMSPROV_EINVALID_PARAMETER;
    w -= DST_SLACK_MIN;
    bool found = false;
    int64_t best = 0, first = 0;
    for (int i = 0; i < LOCAL_SCAN_MAX && next_wall(t, w, &o); i++) {
        int64_t us;
        if (found && o > first + DST_SLACK_MIN)
            break;
        if (local_to_utc(o, &us) == 0 && us > after_us &&
            (!found || us < best)) {
            if (!found)
                first = o;
            found = true;
            best = us;
        }
        w = o + 1;
    }
    if (!found)
        return PROVIDER_SCHEDULE_NONE;
    *out = best;
    return 0;
}

int provider_schedule_next(const provider_schedule *t, size_t n,
                           int64_t after_us, int64_t *next_us)
{
    bool found = false;
    int64_t best = 0;
    if (after_us < NEXT_MIN_US || after_us > NEXT_MAX_US)
        return SMSPROV_EINVALID_PARAMETER;
    for (size_t i = 0; i < n; i++) {
        int64_t o;
        if (provider_schedule_check(&t[i], NULL) != 0)
            return SMSPROV_EINVALID_PARAMETER;
        int rc = next_one(&t[i], after_us, &o);
        if (rc < 0)
            return rc;
        if (rc == 0 && (!found || o < best)) {
            best = o;
            found = true;
        }
    }
    if (!found)
        return PROVIDER_SCHEDULE_NONE;
    *next_us = best;
    return 0;
}

/* ---- SMS_ST_* objects --------------------------------------------------- */

static int set_prop(cim_instance *inst, const char *name, const cim_value *v,
                    smsprov_error *err)
{
    const cim_property *p = cim_class_property(inst->cls, name, strlen(name));
    if (p == NULL)
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "class %s lacks property %s", inst->cls->name,
                              name);
    if (cim_instance_set(inst, p->index, v) != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return 0;
}

int provider_schedule_to_instance(cim_instance **out, const cim_schema *schema,
                                  const provider_schedule *t, util_arena *a,
                                  smsprov_error *err)
{
    unsigned type = (unsigned)t->type;
    *out = NULL;
    int rc = provider_schedule_check(t, err);
    if (rc != 0)
        return rc;
    const char *cn = class_names[type];
    const cim_class *c = cim_schema_class(schema, cn, strlen(cn));
    if (c == NULL)
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "the schema lacks class %s", cn);
    cim_instance *inst = NULL;
    rc = cim_instance_new(&inst, c, a, err);
    cim_value v = cim_value_bool(t->is_gmt);
    if (rc == 0)
        rc = set_prop(inst, "IsGMT", &v, err);
    v = cim_value_datetime(t->start_us);
    if (rc == 0)
        rc = set_prop(inst, "StartTime", &v, err);
    for (size_t i = 0; rc == 0 && i < NFIELDS; i++) {
        const sched_field *f = &fields[i];
        if (f->prop == NULL || !has_field(type, f))
            continue;
        v = cim_value_int(CIM_UINT32, field_get(t, f));
        rc = set_prop(inst, f->prop, &v, err);
    }
    if (rc != 0) {
        cim_instance_free(inst);
        return rc;
    }
    *out = inst;
    return 0;
}

/* Property `name` of inst, or its MOF default when absent or NULL. */
static const cim_value *prop_or_default(const cim_instance *inst,
                                        const char *name)
{
    const cim_property *p = cim_class_property(inst->cls, name, strlen(name));
    if (p == NULL)
        return NULL;
    const cim_value *v = cim_instance_get(inst, p->index);
    if (v != NULL && !v->is_null)
        return v;
    return p->has_default && !p->def.is_null ? &p->def : NULL;
}

/* The type of an SMS_ST_* class or of a subclass of one; 0 when none. */
static unsigned type_of_class(const cim_class *c)
{
    for (; c != NULL; c = c->parent)
        for (unsigned t = PROVIDER_SCHEDULE_NONRECURRING;
             t <= PROVIDER_SCHEDULE_MONTHLY_BY_DATE; t++)
            if (util_stricmp(c->name, class_names[t]) == 0)
                return t;
    return 0;
}

int provider_schedule_from_instance(provider_schedule *out,
                                    const cim_instance *inst,
                                    smsprov_error *err)
{
    unsigned type = type_of_class(inst->cls);
    memset(out, 0, sizeof(*out));
    if (type == 0) {
        util_error_object(err, inst->cls->name);
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "%s is not a schedule token class (give "
                              "__CLASS: SMS_ST_NonRecurring, "
                              "SMS_ST_RecurInterval, SMS_ST_RecurWeekly, "
                              "SMS_ST_RecurMonthlyByWeekday or "
                              "SMS_ST_RecurMonthlyByDate)",
                              inst->cls->name);
    }
    out->type = (provider_schedule_type)type;
    const cim_value *v = prop_or_default(inst, "IsGMT");
    out->is_gmt = v != NULL && v->v.b;
    for (size_t i = 0; i < NFIELDS; i++) {
        const sched_field *f = &fields[i];
        if (f->prop == NULL || !has_field(type, f))
            continue;
        v = prop_or_default(inst, f->prop);
        int64_t x = v ? v->v.i : 0;
        if (x < f->min || x > f->max) {
            util_error_object(err, f->prop);
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "%s.%s %lld is out of range %u-%u",
                                  class_names[type], f->prop, (long long)x,
                                  (unsigned)f->min, (unsigned)f->max);
        }
        *field_ptr(out, f) = (uint32_t)x;
    }
    v = prop_or_default(inst, "StartTime");
    int rc = provider_schedule_set_start(out, v ? v->v.i : 0, err);
    if (rc == 0)
        rc = provider_schedule_check(out, err);
    return rc;
}
