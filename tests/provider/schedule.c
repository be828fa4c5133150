/* SPDX-License-Identifier: MIT */
/*
 * Schedule tokens (src/provider/schedule.c, schedule_methods.c): decoding
 * and re-encoding of documented real interval strings, random round trips,
 * every field's range error with its offset, next occurrences, the SMS_ST_*
 * objects against the MOF's Range qualifiers, and SMS_ScheduleMethods
 * through provider_invoke on a temporary database.
 *
 * The documented examples and the meaning their sources give them:
 *  - ConfigMgr SDK, SMS_ScheduleToken class page, Remarks (our copy:
 *    /work/shared/spec/reference/core/servers/configure/
 *    sms_scheduletoken-server-wmi-class.md; online
 *    https://learn.microsoft.com/mem/configmgr/develop/reference/core/
 *    servers/configure/sms_scheduletoken-server-wmi-class):
 *    791378800008000055147880001B200055177880001E2000 = NonRecurring
 *    2004-07-19 08:30, Weekly Day 3 from 2004-07-20 08:21, Weekly Day 6
 *    from 2004-07-23 08:21.
 *  - PSCCMClient ConvertFrom-CCMSchedule (Cody Mathis,
 *    https://github.com/CodyMathis123/PSCCMClient/blob/master/Public/
 *    ConvertFrom-CCMSchedule.ps1): 1033BC7B10100010 = RecurInterval
 *    DaySpan 2, HourDuration 2, MinuteDuration 59, start 2019-11-19 01:04.
 *  - "SCCM schedule token parser" (https://jcht.cz/clanky/o-it/
 *    49-sccm-schedule-token-parser): A9788980001B4000 = every 2 weeks on
 *    Tuesday from 2008-08-24 11:42; 0001200000100038 = every 7 days;
 *    7D98898000280400 = last day of every 1 month from 2008-08-24 12:31.
 *  - ufn_CM_GetNextMaintenanceWindow (Ioan Popovici, after Adam Weigert's
 *    TechNet wiki article 7870, https://github.com/MEM-Zone/SCCM-Zone):
 *    00011A8500080000 = once on 2012-01-01 00:00; 02811A8040100018 = every
 *    3 days from 2012-01-01 20:00; 02811A80401F6000 = every 3 weeks on
 *    Saturday; 02811A8040288800 = day 2 of every 2 months; 02811A80402FC400
 *    = day 31 of every month; 02811A8040280C00 = last day of every 3
 *    months; 00811A9E08221600 = third Monday of every month 04:00;
 *    02811A8040241000 = last Wednesday; 02811A8040241800 = fourth
 *    Wednesday; 02811A8040221000 = last Monday.
 *  - Maintenance windows in "SCCM - Parsing Collection Maintenance Windows
 *    from C-Sharp" (https://static.xtremeownage.com/blog/2022/
 *    parsing-sccm-collections/): 00629CC0101A2000, a weekly window (round
 *    trip only); 0001200000100008 is the every-1-day form of
 *    0001200000100038.
 *  - Convert-CMSchedule (https://learn.microsoft.com/powershell/module/
 *    configurationmanager/convert-cmschedule): the five-token example
 *    02C159C0381A2000...02C159C0381E2000 (decoded here: weekly Monday to
 *    Friday 22:00 for 7 hours from 2009-05-01).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "provider/schedule.h"

#define US_PER_MIN (60LL * 1000000LL)

static char db_path[64];
static provider *prov;

/* UTC us of a wall clock. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
    return (util_days_from_civil(y, (unsigned)mo, (unsigned)d) * 1440 + h * 60 +
            mi) *
           US_PER_MIN;
}

static void use_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static size_t parse_ok(provider_schedule *t, size_t max, const char *s)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    size_t n = 0;
    if (provider_schedule_parse(t, max, &n, s, strlen(s), &err) != 0)
        fail_msg("parse %s: %s (offset %d)", s, err.msg, err.offset);
    return n;
}

/* Formats n tokens and checks the text equals `want` (case-folded). */
static void format_eq(const provider_schedule *t, size_t n, const char *want)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_buf b = UTIL_BUF_INIT(1 << 16);
    if (provider_schedule_format(t, n, &b, &err) != 0)
        fail_msg("format: %s", err.msg);
    if (util_stricmp(util_buf_cstr(&b), want) != 0)
        fail_msg("format gave %s, want %s", util_buf_cstr(&b), want);
    util_buf_free(&b);
}

/* Parses s and checks the error code, offset and a message fragment. */
static void parse_err(const char *s, int code, int offset, const char *frag)
{
    provider_schedule t[8];
    smsprov_error err = SMSPROV_ERROR_INIT;
    size_t n = 99;
    int rc = provider_schedule_parse(t, 8, &n, s, strlen(s), &err);
    if (rc != code || err.offset != offset || strstr(err.msg, frag) == NULL)
        fail_msg("%s: rc %d offset %d msg '%s'; want %d at %d with '%s'", s, rc,
                 err.offset, err.msg, code, offset, frag);
    assert_int_equal(n, 0);
}

static void start_is(const provider_schedule *t, int y, int mo, int d, int h,
                     int mi)
{
    assert_int_equal(t->start_year, y);
    assert_int_equal(t->start_month, mo);
    assert_int_equal(t->start_day, d);
    assert_int_equal(t->start_hour, h);
    assert_int_equal(t->start_minute, mi);
    if (!t->is_gmt && getenv("TZ") && strcmp(getenv("TZ"), "UTC") == 0)
        assert_true(t->start_us == utc(y, mo, d, h, mi));
}

/* ---- documented examples ------------------------------------------------ */

static void test_provider_schedule__sdk_example(void **state)
{
    provider_schedule t[4];
    const char *s = "791378800008000055147880001B200055177880001E2000";
    (void)state;
    assert_int_equal(parse_ok(t, 4, s), 3);
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_NONRECURRING);
    start_is(&t[0], 2004, 7, 19, 8, 30);
    assert_false(t[0].is_gmt);
    assert_int_equal(t[1].type, PROVIDER_SCHEDULE_WEEKLY);
    start_is(&t[1], 2004, 7, 20, 8, 21);
    assert_int_equal(t[1].day, 3);
    assert_int_equal(t[1].for_number_of_weeks, 1);
    assert_int_equal(t[2].type, PROVIDER_SCHEDULE_WEEKLY);
    start_is(&t[2], 2004, 7, 23, 8, 21);
    assert_int_equal(t[2].day, 6);
    for (int i = 0; i < 3; i++)
        assert_int_equal(
            t[i].day_duration + t[i].hour_duration + t[i].minute_duration, 0);
    format_eq(t, 3, s);
}

static void test_provider_schedule__community_examples(void **state)
{
    provider_schedule t[8];
    (void)state;

    assert_int_equal(parse_ok(t, 8, "1033BC7B10100010"), 1);
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_INTERVAL);
    start_is(&t[0], 2019, 11, 19, 1, 4);
    assert_int_equal(t[0].day_span, 2);
    assert_int_equal(t[0].hour_span, 0);
    assert_int_equal(t[0].minute_span, 0);
    assert_int_equal(t[0].hour_duration, 2);
    assert_int_equal(t[0].minute_duration, 59);
    assert_int_equal(t[0].day_duration, 0);
    format_eq(t, 1, "1033BC7B10100010");

    parse_ok(t, 8, "A9788980001B4000");
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_WEEKLY);
    start_is(&t[0], 2008, 8, 24, 11, 42);
    assert_int_equal(t[0].day, 3); /* Tuesday */
    assert_int_equal(t[0].for_number_of_weeks, 2);

    parse_ok(t, 8, "0001200000100038");
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_INTERVAL);
    start_is(&t[0], 1970, 2, 1, 0, 0); /* the MOF's default StartTime */
    assert_int_equal(t[0].day_span, 7);

    parse_ok(t, 8, "7D98898000280400");
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_MONTHLY_BY_DATE);
    start_is(&t[0], 2008, 8, 24, 12, 31);
    assert_int_equal(t[0].month_day, 0);
    assert_int_equal(t[0].for_number_of_months, 1);

    parse_ok(t, 8, "00011A8500080000");
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_NONRECURRING);
    start_is(&t[0], 2012, 1, 1, 0, 0);
    assert_int_equal(t[0].minute_duration, 5);

    parse_ok(t, 8, "02811A8040100018");
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_INTERVAL);
    start_is(&t[0], 2012, 1, 1, 20, 0);
    assert_int_equal(t[0].day_span, 3);
    assert_int_equal(t[0].hour_duration, 8);

    parse_ok(t, 8, "02811A80401F6000");
    assert_int_equal(t[0].day, 7); /* Saturday */
    assert_int_equal(t[0].for_number_of_weeks, 3);

    parse_ok(t, 8, "02811A8040288800");
    assert_int_equal(t[0].month_day, 2);
    assert_int_equal(t[0].for_number_of_months, 2);
    parse_ok(t, 8, "02811A80402FC400");
    assert_int_equal(t[0].month_day, 31);
    assert_int_equal(t[0].for_number_of_months, 1);
    parse_ok(t, 8, "02811A8040280C00");
    assert_int_equal(t[0].month_day, 0);
    assert_int_equal(t[0].for_number_of_months, 3);

    parse_ok(t, 8, "00811A9E08221600");
    assert_int_equal(t[0].type, PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY);
    start_is(&t[0], 2012, 1, 1, 4, 0);
    assert_int_equal(t[0].day, 2); /* Monday */
    assert_int_equal(t[0].week_order, 3);
    assert_int_equal(t[0].for_number_of_months, 1);
    assert_int_equal(t[0].hour_duration, 1);
    assert_int_equal(t[0].minute_duration, 30);
    parse_ok(t, 8, "02811A8040241000");
    assert_int_equal(t[0].day, 4); /* Wednesday */
    assert_int_equal(t[0].week_order, 0);
    parse_ok(t, 8, "02811A8040241800");
    assert_int_equal(t[0].week_order, 4);
    parse_ok(t, 8, "02811A8040221000");
    assert_int_equal(t[0].day, 2);
    assert_int_equal(t[0].week_order, 0);

    const char *mf = "02C159C0381A200002C159C0381B200002C159C0381C2000"
                     "02C159C0381D200002C159C0381E2000";
    assert_int_equal(parse_ok(t, 8, mf), 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(t[i].type, PROVIDER_SCHEDULE_WEEKLY);
        start_is(&t[i], 2009, 5, 1, 22, 0);
        assert_int_equal(t[i].day, 2 + i);
        assert_int_equal(t[i].hour_duration, 7);
    }
    format_eq(t, 5, mf);

    /* every example re-encodes byte-identically */
    static const char *const all[] = {
        "A9788980001B4000", "0001200000100038", "7D98898000280400",
        "00011A8500080000", "02811A8040100018", "02811A80401F6000",
        "02811A8040288800", "02811A80402FC400", "02811A8040280C00",
        "00811A9E08221600", "02811A8040241000", "02811A8040241800",
        "02811A8040221000", "0001200000100008", "00629CC0101A2000",
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        parse_ok(t, 8, all[i]);
        format_eq(t, 1, all[i]);
    }
    /* lower case is accepted; we write upper case */
    parse_ok(t, 8, "a9788980001b4000");
    format_eq(t, 1, "A9788980001B4000");
}

/* ---- random round trips ------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint32_t pick(uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(next_rand() % (hi - lo + 1));
}

static void random_token(provider_schedule *t)
{
    static const unsigned dim[] = {31, 28, 31, 30, 31, 30,
                                   31, 31, 30, 31, 30, 31};
    memset(t, 0, sizeof(*t));
    t->type = (provider_schedule_type)pick(1, 5);
    t->is_gmt = pick(0, 1);
    t->start_year = pick(1970, 2033);
    t->start_month = pick(1, 12);
    t->start_day = pick(1, dim[t->start_month - 1]);
    t->start_hour = pick(0, 23);
    t->start_minute = pick(0, 59);
    t->day_duration = pick(0, 31);
    t->hour_duration = pick(0, 23);
    t->minute_duration = pick(0, 59);
    switch (t->type) {
    case PROVIDER_SCHEDULE_INTERVAL:
        t->day_span = pick(0, 31);
        t->hour_span = pick(0, 23);
        t->minute_span = pick(0, 59);
        break;
    case PROVIDER_SCHEDULE_WEEKLY:
        t->day = pick(1, 7);
        t->for_number_of_weeks = pick(1, 4);
        break;
    case PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY:
        t->day = pick(1, 7);
        t->week_order = pick(0, 4);
        t->for_number_of_months = pick(1, 12);
        break;
    case PROVIDER_SCHEDULE_MONTHLY_BY_DATE:
        t->month_day = pick(0, 31);
        t->for_number_of_months = pick(1, 12);
        break;
    default:
        break;
    }
}

static void test_provider_schedule__random_round_trips(void **state)
{
    provider_schedule in[8], out[8];
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)state;
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = pick(1, 8), got = 0;
        for (size_t i = 0; i < n; i++)
            random_token(&in[i]);
        util_buf b = UTIL_BUF_INIT(4096);
        assert_int_equal(provider_schedule_format(in, n, &b, &err), 0);
        assert_int_equal(b.len, n * 16);
        assert_int_equal(
            provider_schedule_parse(out, 8, &got, b.data, b.len, &err), 0);
        assert_int_equal(got, n);
        for (size_t i = 0; i < n; i++) {
            in[i].start_us = out[i].start_us; /* derived */
            assert_memory_equal(&in[i], &out[i], sizeof(in[i]));
        }
        format_eq(out, n, b.data);
        util_buf_free(&b);
    }
    /* random bits: whatever parses re-encodes to the same text */
    int ok = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char hex[17];
        uint64_t raw = next_rand();
        provider_schedule t;
        size_t got;
        smsprov_error e = SMSPROV_ERROR_INIT;
        snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)raw);
        if (provider_schedule_parse(&t, 1, &got, hex, 16, &e) == 0) {
            format_eq(&t, 1, hex);
            ok++;
        } else {
            assert_int_equal(e.code, SMSPROV_EINVALID_PARAMETER);
            assert_in_range(e.offset, 0, 15);
        }
    }
    assert_true(ok > 0);
}

/* ---- errors ------------------------------------------------------------- */

/* Hex of a valid token of each type with `bits` replaced at [shift, +w). */
static void with_field(char out[17], const char *base, unsigned shift,
                       unsigned width, uint64_t bits)
{
    uint64_t raw = 0;
    for (int i = 0; i < 16; i++)
        raw = raw << 4 | (uint64_t)util_hexval(base[i]);
    uint64_t mask = (((uint64_t)1 << width) - 1) << shift;
    raw = (raw & ~mask) | (bits << shift);
    snprintf(out, 17, "%016llX", (unsigned long long)raw);
}

static void test_provider_schedule__field_errors(void **state)
{
#define nonrec "00011A8500080000"
#define interval "02811A8040100018"
#define weekly "02811A80401F6000"
#define bywd "00811A9E08221600"
#define bydate "02811A8040288800"
    static const struct {
        const char *base;
        unsigned shift, width;
        uint64_t bits;
        const char *frag;
    } cases[] = {
        {nonrec, 58, 6, 60, "StartTime minute 60 is out of range 0-59"},
        {nonrec, 58, 6, 63, "StartTime minute 63"},
        {nonrec, 53, 5, 24, "StartTime hour 24 is out of range 0-23"},
        {nonrec, 48, 5, 0, "StartTime day 0 is out of range 1-31"},
        {nonrec, 44, 4, 0, "StartTime month 0 is out of range 1-12"},
        {nonrec, 44, 4, 13, "StartTime month 13"},
        {nonrec, 32, 6, 60, "MinuteDuration 60 is out of range 0-59"},
        {nonrec, 27, 5, 24, "HourDuration 24 is out of range 0-23"},
        {nonrec, 19, 3, 0, "recurrence type 0 is not 1-5"},
        {nonrec, 19, 3, 6, "recurrence type 6"},
        {nonrec, 19, 3, 7, "recurrence type 7"},
        {nonrec, 18, 1, 1, "bit 18 is unused in SMS_ST_NonRecurring"},
        {nonrec, 1, 1, 1, "bit 1 is unused in SMS_ST_NonRecurring"},
        {interval, 13, 6, 60, "MinuteSpan 60 is out of range 0-59"},
        {interval, 8, 5, 24, "HourSpan 24 is out of range 0-23"},
        {interval, 1, 1, 1, "bit 1 is unused in SMS_ST_RecurInterval"},
        {weekly, 16, 3, 0, "Day 0 is out of range 1-7"},
        {weekly, 13, 3, 0, "ForNumberOfWeeks 0 is out of range 1-4"},
        {weekly, 13, 3, 5, "ForNumberOfWeeks 5"},
        {weekly, 12, 1, 1, "bit 12 is unused in SMS_ST_RecurWeekly"},
        {bywd, 16, 3, 0, "Day 0 is out of range 1-7"},
        {bywd, 12, 4, 0, "ForNumberOfMonths 0 is out of range 1-12"},
        {bywd, 12, 4, 13, "ForNumberOfMonths 13"},
        {bywd, 9, 3, 5, "WeekOrder 5 is out of range 0-4"},
        {bywd, 8, 1, 1, "bit 8 is unused in SMS_ST_RecurMonthlyByWeekday"},
        {bydate, 10, 4, 0, "ForNumberOfMonths 0 is out of range 1-12"},
        {bydate, 10, 4, 15, "ForNumberOfMonths 15"},
        {bydate, 9, 1, 1, "bit 9 is unused in SMS_ST_RecurMonthlyByDate"},
    };
#undef nonrec
#undef interval
#undef weekly
#undef bywd
#undef bydate
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char bad[17], text[64], frag[160];
        with_field(bad, cases[i].base, cases[i].shift, cases[i].width,
                   cases[i].bits);
        /* second token of the string: the offset counts the first */
        snprintf(text, sizeof(text), "%s%s", cases[i].base, bad);
        snprintf(frag, sizeof(frag), "token 2: %s", cases[i].frag);
        unsigned hibit = cases[i].shift + cases[i].width - 1;
        if (strstr(cases[i].frag, "recurrence type"))
            hibit = 21;
        parse_err(text, SMSPROV_EINVALID_PARAMETER,
                  16 + (int)((63 - hibit) / 4), frag);
    }
    /* a day its month lacks: reported at the day's digits */
    parse_err("001E2A8500080000", SMSPROV_EINVALID_PARAMETER, 2,
              "token 1: StartTime day 30 does not exist in 2012-02");
    parse_err("001D2AC500080000", SMSPROV_EINVALID_PARAMETER, 2, "2013-02");
    provider_schedule t;
    parse_ok(&t, 1, "001D2A8500080000"); /* 2012-02-29: a leap year */
    assert_int_equal(t.start_day, 29);
    assert_int_equal(t.start_month, 2);

    /* text errors */
    parse_err("", SMSPROV_EINVALID_PARAMETER, 0, "empty");
    parse_err("0001200000100038 ", SMSPROV_EINVALID_PARAMETER, 16,
              "byte 0x20 is not a hexadecimal digit");
    parse_err("00012000001G0038", SMSPROV_EINVALID_PARAMETER, 11,
              "token 1: 'G' is not a hexadecimal digit");
    parse_err("00012000001000380001", SMSPROV_EINVALID_PARAMETER, 16,
              "token 2 has 4 hex digits, not 16");
    parse_err("000120000010003", SMSPROV_EINVALID_PARAMETER, 0,
              "not a multiple of 16");
    char many[16 * 9 + 1] = "";
    for (int i = 0; i < 9; i++)
        memcpy(many + 16 * i, "0001200000100038", 17);
    parse_err(many, SMSPROV_ETOOBIG, 128, "more than 8 tokens");
}

static void test_provider_schedule__format_errors(void **state)
{
    provider_schedule t[2];
    util_buf b = UTIL_BUF_INIT(4096);
    (void)state;
    parse_ok(t, 2, "02811A80401F600002811A8040288800");
    t[1].for_number_of_months = 13;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(provider_schedule_format(t, 2, &b, &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_non_null(strstr(err.msg, "token 2: ForNumberOfMonths 13"));
    assert_string_equal(err.object, "ForNumberOfMonths");
    assert_int_equal(err.offset, -1);

    util_error_clear(&err);
    parse_ok(t, 2, "02811A80401F6000");
    t[0].type = (provider_schedule_type)0;
    assert_int_equal(provider_schedule_format(t, 1, &b, &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_non_null(strstr(err.msg, "recurrence type 0"));

    util_error_clear(&err);
    parse_ok(t, 2, "02811A80401F6000");
    t[0].start_month = 4;
    t[0].start_day = 31;
    assert_int_equal(provider_schedule_check(&t[0], &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_string_equal(err.object, "StartTime");

    util_error_clear(&err);
    parse_ok(t, 2, "02811A80401F6000");
    assert_int_equal(
        provider_schedule_set_start(&t[0], utc(2034, 1, 1, 0, 0), &err),
        SMSPROV_EINVALID_PARAMETER);
    assert_non_null(strstr(err.msg, "2034"));
    util_buf_free(&b);
}

/* ---- next occurrence ---------------------------------------------------- */

static provider_schedule tok(provider_schedule_type type, int y, int mo, int d,
                             int h, int mi)
{
    provider_schedule t;
    memset(&t, 0, sizeof(t));
    t.type = type;
    t.is_gmt = true;
    assert_int_equal(
        provider_schedule_set_start(&t, utc(y, mo, d, h, mi), NULL), 0);
    t.day = 1;
    t.for_number_of_weeks = 1;
    t.for_number_of_months = 1;
    return t;
}

static void next_is(const provider_schedule *t, size_t n, int64_t after,
                    int64_t want)
{
    int64_t got = 0;
    int rc = provider_schedule_next(t, n, after, &got);
    if (rc != 0 || got != want) {
        char a[26], g[26], w[26];
        util_dmtf_format(after, a);
        util_dmtf_format(got, g);
        util_dmtf_format(want, w);
        fail_msg("after %s: rc %d, got %s, want %s", a, rc, g, w);
    }
}

static void next_none(const provider_schedule *t, size_t n, int64_t after)
{
    int64_t got = 0;
    assert_int_equal(provider_schedule_next(t, n, after, &got),
                     PROVIDER_SCHEDULE_NONE);
}

static void test_provider_schedule__next_interval(void **state)
{
    (void)state;
    /* every 30 hours from 2024-01-01 20:00: crosses days */
    provider_schedule t = tok(PROVIDER_SCHEDULE_INTERVAL, 2024, 1, 1, 20, 0);
    t.day_span = 1;
    t.hour_span = 6;
    next_is(&t, 1, utc(2023, 6, 1, 0, 0), utc(2024, 1, 1, 20, 0));
    next_is(&t, 1, utc(2024, 1, 1, 19, 59), utc(2024, 1, 1, 20, 0));
    next_is(&t, 1, utc(2024, 1, 1, 20, 0), utc(2024, 1, 3, 2, 0));
    next_is(&t, 1, utc(2024, 1, 3, 2, 0) - 1, utc(2024, 1, 3, 2, 0));
    next_is(&t, 1, utc(2024, 1, 3, 2, 0), utc(2024, 1, 4, 8, 0));
    /* every 7 days, the common "simple" schedule: from Sunday 1970-02-01,
     * so on Sundays at midnight */
    provider_schedule s[1];
    parse_ok(s, 1, "0001200000100038");
    s[0].is_gmt = true;
    next_is(s, 1, utc(2024, 5, 1, 12, 0), utc(2024, 5, 5, 0, 0));
    /* no span at all: the start only */
    t.day_span = t.hour_span = 0;
    next_is(&t, 1, utc(2024, 1, 1, 0, 0), utc(2024, 1, 1, 20, 0));
    next_none(&t, 1, utc(2024, 1, 1, 20, 0));
}

static void test_provider_schedule__next_nonrecurring(void **state)
{
    (void)state;
    provider_schedule t = tok(PROVIDER_SCHEDULE_NONRECURRING, 2012, 1, 1, 0, 0);
    next_is(&t, 1, utc(2011, 12, 31, 23, 59), utc(2012, 1, 1, 0, 0));
    next_none(&t, 1, utc(2012, 1, 1, 0, 0));
    next_none(&t, 1, utc(2026, 1, 1, 0, 0));
    /* an invalid token or time is an error, not "none" */
    t.start_month = 13;
    int64_t got;
    assert_int_equal(provider_schedule_next(&t, 1, 0, &got),
                     SMSPROV_EINVALID_PARAMETER);
}

static void test_provider_schedule__next_weekly(void **state)
{
    (void)state;
    /* every 2 weeks on Monday, effective Wednesday 2024-01-03 10:00: the
     * Monday of the start week is before the start, so weeks 2, 4, ... */
    provider_schedule t = tok(PROVIDER_SCHEDULE_WEEKLY, 2024, 1, 3, 10, 0);
    t.day = 2;
    t.for_number_of_weeks = 2;
    next_is(&t, 1, utc(2024, 1, 1, 0, 0), utc(2024, 1, 15, 10, 0));
    next_is(&t, 1, utc(2024, 1, 15, 10, 0), utc(2024, 1, 29, 10, 0));
    next_is(&t, 1, utc(2024, 2, 1, 0, 0), utc(2024, 2, 12, 10, 0));
    /* on Friday of the start week itself */
    t.day = 6;
    next_is(&t, 1, utc(2024, 1, 1, 0, 0), utc(2024, 1, 5, 10, 0));
    next_is(&t, 1, utc(2024, 1, 5, 10, 0), utc(2024, 1, 19, 10, 0));
    /* the SDK example: Tuesdays and Fridays 08:21 from July 2004 */
    provider_schedule s[3];
    parse_ok(s, 3, "791378800008000055147880001B200055177880001E2000");
    for (int i = 0; i < 3; i++)
        s[i].is_gmt = true;
    next_is(s, 3, utc(2004, 7, 1, 0, 0), utc(2004, 7, 19, 8, 30));
    next_is(s, 3, utc(2004, 7, 19, 8, 30), utc(2004, 7, 20, 8, 21));
    next_is(s, 3, utc(2004, 7, 20, 8, 21), utc(2004, 7, 23, 8, 21));
    next_is(s, 3, utc(2024, 6, 1, 0, 0), utc(2024, 6, 4, 8, 21));
}

static void test_provider_schedule__next_monthly(void **state)
{
    (void)state;
    /* last Friday of every month at 23:00 */
    provider_schedule t =
        tok(PROVIDER_SCHEDULE_MONTHLY_BY_WEEKDAY, 2024, 1, 1, 23, 0);
    t.day = 6;
    t.week_order = 0;
    next_is(&t, 1, utc(2024, 1, 1, 0, 0), utc(2024, 1, 26, 23, 0));
    next_is(&t, 1, utc(2024, 1, 27, 0, 0), utc(2024, 2, 23, 23, 0));
    next_is(&t, 1, utc(2024, 3, 1, 0, 0), utc(2024, 3, 29, 23, 0));
    /* third Monday every 2 months: Jan, Mar, May ... */
    t.day = 2;
    t.week_order = 3;
    t.for_number_of_months = 2;
    next_is(&t, 1, utc(2024, 1, 1, 0, 0), utc(2024, 1, 15, 23, 0));
    next_is(&t, 1, utc(2024, 1, 16, 0, 0), utc(2024, 3, 18, 23, 0));
    /* the 4th Sunday of a month that starts on Sunday */
    t.day = 1;
    t.week_order = 4;
    t.for_number_of_months = 1;
    next_is(&t, 1, utc(2024, 9, 1, 0, 0), utc(2024, 9, 22, 23, 0));

    /* day 31 of every month: a 30-day month is skipped */
    provider_schedule d =
        tok(PROVIDER_SCHEDULE_MONTHLY_BY_DATE, 2024, 3, 1, 2, 0);
    d.month_day = 31;
    next_is(&d, 1, utc(2024, 3, 1, 0, 0), utc(2024, 3, 31, 2, 0));
    next_is(&d, 1, utc(2024, 4, 1, 0, 0), utc(2024, 5, 31, 2, 0));
    next_is(&d, 1, utc(2024, 7, 31, 2, 0), utc(2024, 8, 31, 2, 0));
    /* MonthDay 0: the last day, Feb 29 in a leap year */
    d.month_day = 0;
    next_is(&d, 1, utc(2024, 4, 1, 0, 0), utc(2024, 4, 30, 2, 0));
    next_is(&d, 1, utc(2025, 2, 1, 0, 0), utc(2025, 2, 28, 2, 0));
    d = tok(PROVIDER_SCHEDULE_MONTHLY_BY_DATE, 2024, 1, 15, 2, 0);
    d.month_day = 0;
    next_is(&d, 1, utc(2024, 2, 1, 0, 0), utc(2024, 2, 29, 2, 0));
    /* day 15 every 3 months, before the start: the start month */
    d.month_day = 15;
    d.for_number_of_months = 3;
    next_is(&d, 1, utc(2020, 1, 1, 0, 0), utc(2024, 1, 15, 2, 0));
    next_is(&d, 1, utc(2024, 1, 15, 2, 0), utc(2024, 4, 15, 2, 0));
    /* day 30 every 12 months from February: never */
    d = tok(PROVIDER_SCHEDULE_MONTHLY_BY_DATE, 2024, 2, 1, 0, 0);
    d.month_day = 30;
    d.for_number_of_months = 12;
    next_none(&d, 1, utc(2024, 1, 1, 0, 0));
    /* several tokens: the earliest wins */
    provider_schedule two[2] = {
        d, tok(PROVIDER_SCHEDULE_NONRECURRING, 2030, 1, 1, 0, 0)};
    next_is(two, 2, utc(2024, 1, 1, 0, 0), utc(2030, 1, 1, 0, 0));
}

static void test_provider_schedule__local_time(void **state)
{
    (void)state;
    use_tz("America/New_York");
    provider_schedule t[1];
    /* the SDK token is local time: 08:30 EDT is 12:30 UTC */
    parse_ok(t, 1, "7913788000080000");
    assert_true(t[0].start_us == utc(2004, 7, 19, 12, 30));
    format_eq(t, 1, "7913788000080000");
    /* daily at 08:00 local across the spring change */
    parse_ok(t, 1, "01011D8000100008"); /* 2024-01-01 08:00 every day */
    assert_int_equal(t[0].start_hour, 8);
    assert_false(t[0].is_gmt);
    next_is(t, 1, utc(2024, 3, 9, 12, 0), utc(2024, 3, 9, 13, 0));
    next_is(t, 1, utc(2024, 3, 9, 13, 0), utc(2024, 3, 10, 12, 0));
    next_is(t, 1, utc(2024, 11, 2, 12, 0), utc(2024, 11, 3, 13, 0));
    /* set_start reads the local wall clock */
    assert_int_equal(
        provider_schedule_set_start(&t[0], utc(2024, 7, 1, 4, 0), NULL), 0);
    assert_int_equal(t[0].start_day, 1);
    assert_int_equal(t[0].start_hour, 0);
    t[0].is_gmt = true;
    assert_int_equal(
        provider_schedule_set_start(&t[0], utc(2024, 7, 1, 4, 0), NULL), 0);
    assert_int_equal(t[0].start_hour, 4);
    use_tz("UTC");
}

/* ---- SMS_ST_* objects --------------------------------------------------- */

/* Every Range qualifier of the SMS_ST_* classes is what the codec checks:
 * max is accepted, max + 1 and min - 1 are rejected naming the property. */
static void test_provider_schedule__mof_ranges(void **state)
{
    static const char *const classes[] = {
        "SMS_ST_NonRecurring", "SMS_ST_RecurInterval", "SMS_ST_RecurWeekly",
        "SMS_ST_RecurMonthlyByWeekday", "SMS_ST_RecurMonthlyByDate"};
    const cim_schema *s = provider_schema(prov);
    int checked = 0;
    (void)state;
    for (size_t c = 0; c < 5; c++) {
        const cim_class *cls =
            cim_schema_class(s, classes[c], strlen(classes[c]));
        assert_non_null(cls);
        for (uint32_t i = 0; i < cls->nprops; i++) {
            const cim_property *p = &cls->props[i];
            int64_t probes[3] = {p->range_max, p->range_max + 1,
                                 p->range_min - 1};
            if (!p->has_range)
                continue;
            for (int k = 0; k < 3; k++) {
                if (k == 2 && p->range_min == 0)
                    continue;
                cim_instance *inst = NULL;
                provider_schedule t;
                smsprov_error err = SMSPROV_ERROR_INIT;
                assert_int_equal(cim_instance_new(&inst, cls, NULL, &err), 0);
                cim_value v = cim_value_int(CIM_UINT32, probes[k]);
                assert_int_equal(cim_instance_set(inst, i, &v), 0);
                int rc = provider_schedule_from_instance(&t, inst, &err);
                if (k == 0) {
                    if (rc != 0)
                        fail_msg("%s.%s=%lld: %s", cls->name, p->name,
                                 (long long)probes[k], err.msg);
                } else {
                    assert_int_equal(rc, SMSPROV_EINVALID_PARAMETER);
                    assert_string_equal(err.object, p->name);
                }
                cim_instance_free(inst);
                checked++;
            }
        }
    }
    assert_true(checked >= 30);
    /* the defaults of every class make a valid token, and the round trip
     * through an object keeps every field */
    for (size_t c = 0; c < 5; c++) {
        const cim_class *cls =
            cim_schema_class(s, classes[c], strlen(classes[c]));
        cim_instance *inst = NULL, *back = NULL;
        provider_schedule t, u;
        smsprov_error err = SMSPROV_ERROR_INIT;
        assert_int_equal(cim_instance_new(&inst, cls, NULL, &err), 0);
        assert_int_equal(provider_schedule_from_instance(&t, inst, &err), 0);
        assert_int_equal(t.type, (int)c + 1);
        start_is(&t, 1970, 2, 1, 0, 0);
        assert_int_equal(
            provider_schedule_to_instance(&back, s, &t, NULL, &err), 0);
        assert_int_equal(provider_schedule_from_instance(&u, back, &err), 0);
        assert_memory_equal(&t, &u, sizeof(t));
        cim_instance_free(back);
        cim_instance_free(inst);
    }
    /* the abstract base is refused */
    const cim_class *base = cim_schema_class(s, "SMS_ScheduleToken", 17);
    cim_instance *inst = NULL;
    provider_schedule t;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(cim_instance_new(&inst, base, NULL, &err), 0);
    assert_int_equal(provider_schedule_from_instance(&t, inst, &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_non_null(strstr(err.msg, "__CLASS"));
    cim_instance_free(inst);
}

/* ---- methods ------------------------------------------------------------ */

static int invoke(json_t **out, const char *method, const char *json,
                  smsprov_error *err)
{
    json_t *in = json_loads(json, 0, NULL);
    assert_non_null(in);
    int rc =
        provider_invoke(out, prov, "SMS_ScheduleMethods", 19, method, in, err);
    json_decref(in);
    return rc;
}

static void test_provider_schedule__methods(void **state)
{
    json_t *out = NULL, *out2 = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *s = "791378800008000055147880001B200055177880001E2000";
    char in[512];
    (void)state;
    snprintf(in, sizeof(in), "{\"StringData\": \"%s\"}", s);
    if (invoke(&out, "ReadFromString", in, &err) != 0)
        fail_msg("ReadFromString: %s", err.msg);
    assert_int_equal(json_integer_value(json_object_get(out, "ReturnValue")),
                     0);
    json_t *td = json_object_get(out, "TokenData");
    assert_int_equal(json_array_size(td), 3);
    json_t *t0 = json_array_get(td, 0), *t1 = json_array_get(td, 1);
    assert_string_equal(json_string_value(json_object_get(t0, "__CLASS")),
                        "SMS_ST_NonRecurring");
    assert_string_equal(json_string_value(json_object_get(t0, "StartTime")),
                        "20040719083000.000000+000");
    assert_true(json_is_false(json_object_get(t0, "IsGMT")));
    assert_string_equal(json_string_value(json_object_get(t1, "__CLASS")),
                        "SMS_ST_RecurWeekly");
    assert_int_equal(json_integer_value(json_object_get(t1, "Day")), 3);
    assert_int_equal(
        json_integer_value(json_object_get(t1, "ForNumberOfWeeks")), 1);
    assert_null(json_object_get(t0, "Day"));

    /* the objects written back give the same string */
    json_t *w = json_pack("{s:O}", "TokenData", td);
    char *wtext = json_dumps(w, 0);
    if (invoke(&out2, "WriteToString", wtext, &err) != 0)
        fail_msg("WriteToString: %s", err.msg);
    assert_string_equal(json_string_value(json_object_get(out2, "StringData")),
                        s);
    free(wtext);
    json_decref(w);
    json_decref(out2);
    json_decref(out);

    /* hand-written objects, defaults for what is left out */
    out = NULL;
    if (invoke(&out, "WriteToString",
               "{\"TokenData\": [{\"__CLASS\": \"SMS_ST_RecurInterval\", "
               "\"DaySpan\": 7}, {\"__CLASS\": "
               "\"SMS_ST_RecurMonthlyByWeekday\", \"Day\": 2, \"WeekOrder\": "
               "3, \"HourDuration\": 1, \"MinuteDuration\": 30, \"IsGMT\": "
               "true, \"StartTime\": \"20120101040000.000000+000\"}]}",
               &err) != 0)
        fail_msg("WriteToString: %s", err.msg);
    assert_string_equal(json_string_value(json_object_get(out, "StringData")),
                        "000120000010003800811A9E08221601");
    json_decref(out);

    /* the example of docs/schedule.md */
    out = NULL;
    if (invoke(&out, "WriteToString",
               "{\"TokenData\": [{\"__CLASS\": \"SMS_ST_RecurWeekly\", "
               "\"Day\": 2, \"ForNumberOfWeeks\": 1, \"StartTime\": "
               "\"20240101220000.000000+000\"}]}",
               &err) != 0)
        fail_msg("WriteToString: %s", err.msg);
    assert_string_equal(json_string_value(json_object_get(out, "StringData")),
                        "02C11D80001A2000");
    json_decref(out);

    /* a bad string names StringData and keeps the offset */
    out = NULL;
    assert_int_equal(invoke(&out, "ReadFromString",
                            "{\"StringData\": \"0001200000100038"
                            "FC011A8500080000\"}",
                            &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_null(out);
    assert_string_equal(err.object, "StringData");
    assert_int_equal(err.offset, 16);
    assert_non_null(strstr(err.msg, "parameter 'StringData': token 2: "
                                    "StartTime minute 63"));
    util_error_clear(&err);
    assert_int_equal(
        invoke(&out, "ReadFromString", "{\"StringData\": \"\"}", &err),
        SMSPROV_EINVALID_PARAMETER);
    assert_string_equal(err.object, "StringData");

    /* bad objects name TokenData and the element */
    util_error_clear(&err);
    assert_int_equal(invoke(&out, "WriteToString",
                            "{\"TokenData\": [{\"__CLASS\": "
                            "\"SMS_ST_NonRecurring\"}, {\"__CLASS\": "
                            "\"SMS_ST_RecurWeekly\", \"Day\": 8}]}",
                            &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_string_equal(err.object, "TokenData");
    assert_non_null(strstr(err.msg, "element 2: SMS_ST_RecurWeekly.Day 8"));
    util_error_clear(&err);
    assert_int_equal(invoke(&out, "WriteToString",
                            "{\"TokenData\": [{\"DaySpan\": 1}]}", &err),
                     SMSPROV_EINVALID_PARAMETER);
    util_error_clear(&err);
    assert_int_equal(invoke(&out, "WriteToString", "{\"TokenData\": []}", &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_string_equal(err.object, "TokenData");
    util_error_clear(&err);
    assert_int_equal(invoke(&out, "WriteToString",
                            "{\"TokenData\": [{\"__CLASS\": "
                            "\"SMS_ST_NonRecurring\", \"StartTime\": "
                            "\"20400101000000.000000+000\"}]}",
                            &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_non_null(strstr(err.msg, "2040"));
}

/* Both methods with the N-th allocation failing, for every N until they
 * succeed: each failure is a clean out-of-memory error and leaks nothing. */
static void test_provider_schedule__methods_torture(void **state)
{
    static const char *const calls[][2] = {
        {"ReadFromString",
         "{\"StringData\": \"791378800008000055147880001B2000\"}"},
        {"WriteToString",
         "{\"TokenData\": [{\"__CLASS\": \"SMS_ST_RecurWeekly\", "
         "\"Day\": 2}, {\"__CLASS\": \"SMS_ST_RecurInterval\", "
         "\"DaySpan\": 7}]}"},
    };
    (void)state;
    for (int c = 0; c < 2; c++) {
        int done = 0;
        for (long n = 1; n < 100000 && !done; n++) {
            json_t *out = NULL;
            smsprov_error e = SMSPROV_ERROR_INIT;
            json_t *in = json_loads(calls[c][1], 0, NULL);
            util_alloc_fail_at(n);
            int rc = provider_invoke(&out, prov, "SMS_ScheduleMethods", 19,
                                     calls[c][0], in, &e);
            util_alloc_fail_at(0);
            json_decref(in);
            if (rc == 0) {
                assert_non_null(out);
                json_decref(out);
                done = 1;
                break;
            }
            /* method.c's read_params reports an out-of-memory while
             * reading a parameter as WBEM_E_INVALID_PARAMETER "no memory"
             * (reported to its owner); accept that form too */
            if (rc != SMSPROV_ENOMEM && !(rc == SMSPROV_EINVALID_PARAMETER &&
                                          strstr(e.msg, "memory") != NULL))
                fail_msg("%s, allocation %ld failing: %s (%d)", calls[c][0], n,
                         e.msg, rc);
            assert_null(out);
        }
        assert_true(done);
    }
}

static int setup(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/smsprov-schedule-%d.db", getpid());
    unlink(db_path);
    if (provider_open(&prov, db_path, &err) != 0 ||
        provider_schedule_register_methods(prov, &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    char side[96];
    (void)state;
    provider_close(prov);
    unlink(db_path);
    snprintf(side, sizeof(side), "%s-wal", db_path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", db_path);
    unlink(side);
    return 0;
}

int main(void)
{
    use_tz("UTC");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider_schedule__sdk_example),
        cmocka_unit_test(test_provider_schedule__community_examples),
        cmocka_unit_test(test_provider_schedule__random_round_trips),
        cmocka_unit_test(test_provider_schedule__field_errors),
        cmocka_unit_test(test_provider_schedule__format_errors),
        cmocka_unit_test(test_provider_schedule__next_interval),
        cmocka_unit_test(test_provider_schedule__next_nonrecurring),
        cmocka_unit_test(test_provider_schedule__next_weekly),
        cmocka_unit_test(test_provider_schedule__next_monthly),
        cmocka_unit_test(test_provider_schedule__local_time),
        cmocka_unit_test(test_provider_schedule__mof_ranges),
        cmocka_unit_test(test_provider_schedule__methods),
        cmocka_unit_test(test_provider_schedule__methods_torture),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
