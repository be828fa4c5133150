/* SPDX-License-Identifier: MIT */
/*
 * Schedule tokens: the 16-hex-digit interval strings of ConfigMgr (one
 * SMS_ST_* token per 16 digits), their codec, the next occurrence of a
 * schedule, the SMS_ST_* embedded objects, and the SMS_ScheduleMethods
 * bodies (ReadFromString, WriteToString).  Bit layout: docs/schedule.md.
 *
 * Time zones: a token with IsGMT holds a UTC wall clock; any other token
 * holds a wall clock in the server's local time zone (TZ).  All recurrence
 * arithmetic runs on that wall clock; results are UTC microseconds.
 */
#ifndef SMSPROV_PROVIDER_SCHEDULE_H
#define SMSPROV_PROVIDER_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "provider/provider.h"

/* Hex digits per token. */
#define PROVIDER_SCHEDULE_TOKEN_LEN 16
/* Tokens one interval string may hold in the methods (a named limit). */
#define PROVIDER_SCHEDULE_MAX_TOKENS 64
/* Years a token can hold: 6 bits above 1970. */
#define PROVIDER_SCHEDULE_MIN_YEAR 1970
#define PROVIDER_SCHEDULE_MAX_YEAR 2033
/* provider_schedule_next: no occurrence after the given time. */
#define PROVIDER_SCHEDULE_NONE 1

/* The recurrence type, as stored in bits 21-19 of the token. */
typedef enum provider_schedule_type {
    PROVIDER_SCHEDULE_NONRECURRING = 1,       /* SMS_ST_NonRecurring */
    PROVIDER_SCHEDULE_INTERVAL = 2,           /* SMS_ST_RecurInterval */
    PROVIDER_SCHEDULE_WEEKLY = 3,             /* SMS_ST_RecurWeekly */
    PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY = 4, /* ..RecurMonthlyByWeekday */
    PROVIDER_SCHEDULE_MONTHLY_BY_DATE = 5,    /* ..RecurMonthlyByDate */
} provider_schedule_type;

/*
 * One token.  The start components are the truth (the codec reads and
 * writes them, so a round trip is exact); start_us is derived from them.
 * Fields that do not belong to `type` are 0.
 */
typedef struct provider_schedule {
    provider_schedule_type type;   /* which SMS_ST_* class */
    bool is_gmt;                   /* IsGMT: start is UTC, else local (TZ) */
    int64_t start_us;              /* StartTime, UTC us since 1970 (derived) */
    uint32_t start_year;           /* wall clock: 1970..2033 */
    uint32_t start_month;          /* 1..12 */
    uint32_t start_day;            /* 1..days in that month */
    uint32_t start_hour;           /* 0..23 */
    uint32_t start_minute;         /* 0..59 (tokens hold no seconds) */
    uint32_t day_duration;         /* DayDuration 0..31 */
    uint32_t hour_duration;        /* HourDuration 0..23 */
    uint32_t minute_duration;      /* MinuteDuration 0..59 */
    uint32_t day_span;             /* RecurInterval DaySpan 0..31 */
    uint32_t hour_span;            /* RecurInterval HourSpan 0..23 */
    uint32_t minute_span;          /* RecurInterval MinuteSpan 0..59 */
    uint32_t day;                  /* Weekly, ByWeekday: 1 Sunday..7 Saturday */
    uint32_t for_number_of_weeks;  /* Weekly ForNumberOfWeeks 1..4 */
    uint32_t week_order;           /* ByWeekday: 0 last, 1..4 first..fourth */
    uint32_t for_number_of_months; /* ByWeekday, ByDate: 1..12 */
    uint32_t month_day;            /* ByDate MonthDay: 0 last day, 1..31 */
} provider_schedule;

/**
 * Parses an interval string of `len` bytes: hexadecimal digits in any case,
 * no blanks, a non-zero multiple of 16, every field within its range.
 *
 * @param[out] out  receives the tokens (at most `max`)
 * @param[out] n    number of tokens
 * @return 0; SMSPROV_EINVALID_PARAMETER with err->offset at the offending
 *         character (the first digit of a bad field) and a message naming
 *         the token and the field; SMSPROV_ETOOBIG past `max` tokens.
 */
int provider_schedule_parse(provider_schedule *out, size_t max, size_t *n,
                            const char *s, size_t len, smsprov_error *err);

/**
 * Appends the interval string of n tokens (upper-case hex, the exact
 * inverse of provider_schedule_parse) to out.
 *
 * @return 0; SMSPROV_EINVALID_PARAMETER naming the token and the field
 *         (err->object the property) when one is out of range; the
 *         buffer's error when it cannot grow.
 */
int provider_schedule_format(const provider_schedule *t, size_t n,
                             util_buf *out, smsprov_error *err);

/**
 * Checks one token as provider_schedule_format does.
 * @return 0 or SMSPROV_EINVALID_PARAMETER naming the field.
 */
int provider_schedule_check(const provider_schedule *t, smsprov_error *err);

/**
 * Sets the start of t from a UTC instant, as the wall clock of t's time
 * zone (t->is_gmt must be set first); seconds are dropped, as tokens
 * hold minutes.  Fills the components and start_us.
 *
 * @return 0 or SMSPROV_EINVALID_PARAMETER when the year is outside
 *         1970..2033 (or the instant outside what the C library converts).
 */
int provider_schedule_set_start(provider_schedule *t, int64_t us,
                                smsprov_error *err);

/**
 * The earliest occurrence strictly after `after_us` (UTC us) among the n
 * tokens.  Rules (wall clock of each token's zone, time of day of its
 * start; occurrences before the start never count):
 *  - NonRecurring: the start.
 *  - RecurInterval: start + k * span (span 0: the start only).
 *  - RecurWeekly: weekday Day of weeks 0, N, 2N... counted from the
 *    Sunday-to-Saturday week holding the start.
 *  - RecurMonthlyByWeekday: the WeekOrder-th (0 = last) Day of months 0,
 *    N, 2N... counted from the start's month.
 *  - RecurMonthlyByDate: day MonthDay (0 = last day) of months 0, N, 2N...;
 *    a month without that day is skipped (no run on the 30th for day 31).
 * Durations do not move occurrences.
 *
 * @param[out] next_us  the occurrence (UTC us) when 0 is returned
 * @return 0; PROVIDER_SCHEDULE_NONE when no token occurs after after_us;
 *         SMSPROV_EINVALID_PARAMETER for an invalid token or an after_us
 *         outside years 1..9999.
 */
int provider_schedule_next(const provider_schedule *t, size_t n,
                           int64_t after_us, int64_t *next_us);

/**
 * Builds the SMS_ST_* instance of a token (every property set) from the
 * classes of `schema`, allocating from `a` (NULL: its own arena; free with
 * cim_instance_free).
 */
int provider_schedule_to_instance(cim_instance **out, const cim_schema *schema,
                                  const provider_schedule *t, util_arena *a,
                                  smsprov_error *err);

/**
 * Reads a token from an SMS_ST_* instance (or one of a subclass).  Absent
 * or NULL properties take their MOF defaults; StartTime is converted with
 * provider_schedule_set_start.
 *
 * @return 0; SMSPROV_EINVALID_PARAMETER naming the property (err->object)
 *         when it is out of range or the class is not a concrete SMS_ST_*.
 */
int provider_schedule_from_instance(provider_schedule *out,
                                    const cim_instance *inst,
                                    smsprov_error *err);

/**
 * Registers SMS_ScheduleMethods.ReadFromString and WriteToString
 * (schedule_methods.c).
 */
int provider_schedule_register_methods(provider *p, smsprov_error *err);

#endif
