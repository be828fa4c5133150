/* SPDX-License-Identifier: MIT */
/*
 * Date-times: DMTF parse/format, the literal forms WQL accepts (ISO and the
 * SQL Server styles of the date-and-time page), and civil-day arithmetic.
 * Internal form: int64 microseconds since 1970-01-01T00:00:00Z.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

#define US_PER_SEC 1000000LL
#define US_PER_DAY (86400LL * US_PER_SEC)

/* Howard Hinnant's days_from_civil: proleptic Gregorian, exact. */
int64_t util_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void util_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int days_in_month(int64_t y, unsigned m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* Reads exactly n digits at s; -1 if any is not a digit. */
static long digits(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int make_time(int64_t y, long mo, long d, long h, long mi, long s,
                     long us, long offset_min, int64_t *out)
{
    if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
        d > days_in_month(y, (unsigned)mo) || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || s < 0 || s > 59 || us < 0 || us > 999999)
        return SMSPROV_ETYPE_MISMATCH;
    int64_t days = util_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *out = days * US_PER_DAY + ((int64_t)h * 3600 + mi * 60 + s) * US_PER_SEC +
           us - (int64_t)offset_min * 60 * US_PER_SEC;
    return 0;
}

int util_dmtf_parse(const char *s, size_t len, int64_t *out)
{
    if (len != UTIL_DMTF_LEN || s[14] != '.' || (s[21] != '+' && s[21] != '-'))
        return SMSPROV_ETYPE_MISMATCH;
    long y = digits(s, 4), mo = digits(s + 4, 2), d = digits(s + 6, 2);
    long h = digits(s + 8, 2), mi = digits(s + 10, 2), sec = digits(s + 12, 2);
    long us = digits(s + 15, 6);
    long off = 0;
    if (memcmp(s + 22, "***", 3) != 0) {
        off = digits(s + 22, 3);
        if (off < 0 || off > 14 * 60)
            return SMSPROV_ETYPE_MISMATCH;
        if (s[21] == '-')
            off = -off;
    }
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || us < 0)
        return SMSPROV_ETYPE_MISMATCH;
    return make_time(y, mo, d, h, mi, sec, us, off, out);
}

/* Broken-down UTC time of a microsecond instant. */
typedef struct civil_time {
    int y;          /* year */
    unsigned mo, d; /* month 1-12, day 1-31 */
    int h, mi, s;   /* time of day */
    int us;         /* microseconds */
} civil_time;

static civil_time split_time(int64_t us)
{
    civil_time t;
    int64_t days = us / US_PER_DAY;
    int64_t rem = us % US_PER_DAY;
    int64_t y;
    if (rem < 0) {
        rem += US_PER_DAY;
        days--;
    }
    util_civil_from_days(days, &y, &t.mo, &t.d);
    int64_t secs = rem / US_PER_SEC;
    t.y = (int)y;
    t.h = (int)(secs / 3600);
    t.mi = (int)(secs / 60 % 60);
    t.s = (int)(secs % 60);
    t.us = (int)(rem % US_PER_SEC);
    return t;
}

void util_dmtf_format(int64_t us, char out[26])
{
    civil_time t = split_time(us);
    char tmp[96]; /* roomy: the compiler cannot see the fields' ranges */
    snprintf(tmp, sizeof(tmp), "%04d%02u%02u%02d%02d%02d.%06d+000", t.y, t.mo,
             t.d, t.h, t.mi, t.s, t.us);
    memcpy(out, tmp, 25);
    out[25] = '\0';
}

void util_iso8601_format(int64_t us, char out[40])
{
    civil_time t = split_time(us);
    char tmp[128];
    if (t.us)
        snprintf(tmp, sizeof(tmp), "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", t.y,
                 t.mo, t.d, t.h, t.mi, t.s, t.us);
    else
        snprintf(tmp, sizeof(tmp), "%04d-%02u-%02uT%02d:%02d:%02dZ", t.y, t.mo,
                 t.d, t.h, t.mi, t.s);
    snprintf(out, 40, "%.39s", tmp);
}

int64_t util_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * US_PER_SEC + ts.tv_nsec / 1000;
}

static const char *const month_names[] = {"jan", "feb", "mar", "apr",
                                          "may", "jun", "jul", "aug",
                                          "sep", "oct", "nov", "dec"};

/* A small cursor over the literal. */
typedef struct dt_scan {
    const char *s; /* text */
    size_t len;    /* its length */
    size_t i;      /* position */
} dt_scan;

static long scan_num(dt_scan *c, size_t minw, size_t maxw)
{
    size_t start = c->i;
    long v = 0;
    while (c->i < c->len && c->i - start < maxw && c->s[c->i] >= '0' &&
           c->s[c->i] <= '9')
        v = v * 10 + (c->s[c->i++] - '0');
    if (c->i - start < minw)
        return -1;
    return v;
}

static bool scan_ch(dt_scan *c, char ch)
{
    if (c->i < c->len && c->s[c->i] == ch) {
        c->i++;
        return true;
    }
    return false;
}

static void scan_blanks(dt_scan *c)
{
    while (c->i < c->len && c->s[c->i] == ' ')
        c->i++;
}

static long scan_month_name(dt_scan *c)
{
    if (c->len - c->i < 3)
        return -1;
    for (int m = 0; m < 12; m++)
        if (util_strnicmp(c->s + c->i, month_names[m], 3) == 0) {
            c->i += 3;
            while (c->i < c->len && ((c->s[c->i] | 32) >= 'a') &&
                   ((c->s[c->i] | 32) <= 'z'))
                c->i++; /* "January" */
            return m + 1;
        }
    return -1;
}

/*
 * Optional time part: hh:mm[:ss[(.|:)fff]][ ][AM|PM], then an optional zone
 * (Z, +hh:mm, +hhmm).  Fills h/mi/s/us/off.
 */
static int scan_time(dt_scan *c, long *h, long *mi, long *s, long *us,
                     long *off)
{
    *h = *mi = *s = *us = *off = 0;
    if (c->i < c->len && (c->s[c->i] == 'T' || c->s[c->i] == 't'))
        c->i++;
    else
        scan_blanks(c);
    if (c->i == c->len)
        return 0;
    *h = scan_num(c, 1, 2);
    if (*h < 0 || !scan_ch(c, ':'))
        return -1;
    *mi = scan_num(c, 2, 2);
    if (*mi < 0)
        return -1;
    if (scan_ch(c, ':')) {
        *s = scan_num(c, 2, 2);
        if (*s < 0)
            return -1;
        if (scan_ch(c, '.') || scan_ch(c, ':')) {
            size_t start = c->i;
            long f = scan_num(c, 1, 6);
            if (f < 0)
                return -1;
            for (size_t w = c->i - start; w < 6; w++)
                f *= 10;
            *us = f;
            while (c->i < c->len && c->s[c->i] >= '0' && c->s[c->i] <= '9')
                c->i++; /* 7th digit and beyond: ignored */
        }
    }
    scan_blanks(c);
    if (c->len - c->i >= 2 && ((c->s[c->i + 1] | 32) == 'm') &&
        ((c->s[c->i] | 32) == 'a' || (c->s[c->i] | 32) == 'p')) {
        bool pm = (c->s[c->i] | 32) == 'p';
        if (*h < 1 || *h > 12)
            return -1;
        *h = (*h % 12) + (pm ? 12 : 0);
        c->i += 2;
    }
    if (scan_ch(c, 'Z') || scan_ch(c, 'z'))
        return 0;
    if (c->i < c->len && (c->s[c->i] == '+' || c->s[c->i] == '-')) {
        int sign = c->s[c->i++] == '-' ? -1 : 1;
        long oh = scan_num(c, 2, 2);
        scan_ch(c, ':');
        long om = scan_num(c, 2, 2);
        if (oh < 0 || om < 0 || oh > 14 || om > 59)
            return -1;
        *off = sign * (oh * 60 + om);
    }
    return 0;
}

int util_datetime_parse(const char *s, size_t len, int64_t *out)
{
    if (util_dmtf_parse(s, len, out) == 0)
        return 0;
    dt_scan c = {s, len, 0};
    long y = -1, mo = -1, d = -1, h, mi, sec, us, off;
    scan_blanks(&c);
    if (c.i < c.len && ((c.s[c.i] | 32) >= 'a' && (c.s[c.i] | 32) <= 'z')) {
        /* mon dd yyyy [time]  or  mon.dd.yyyy */
        mo = scan_month_name(&c);
        if (!scan_ch(&c, '.'))
            scan_blanks(&c);
        d = scan_num(&c, 1, 2);
        if (!scan_ch(&c, '.') && !scan_ch(&c, ','))
            scan_blanks(&c);
        scan_blanks(&c);
        y = scan_num(&c, 4, 4);
    } else {
        size_t start = c.i;
        long a = scan_num(&c, 1, 8);
        size_t w = c.i - start;
        if (a < 0)
            return SMSPROV_ETYPE_MISMATCH;
        if (w == 8 && c.i == c.len) { /* yyyymmdd (ISO style 112) */
            y = a / 10000;
            mo = a / 100 % 100;
            d = a % 100;
        } else if (w == 4) { /* yyyy-mm-dd, yyyy/mm/dd, yyyy.mm.dd */
            char sep = c.i < c.len ? c.s[c.i] : 0;
            if (sep != '-' && sep != '/' && sep != '.')
                return SMSPROV_ETYPE_MISMATCH;
            c.i++;
            y = a;
            mo = scan_num(&c, 1, 2);
            if (!scan_ch(&c, sep))
                return SMSPROV_ETYPE_MISMATCH;
            d = scan_num(&c, 1, 2);
        } else if (w <= 2) {
            char sep = c.i < c.len ? c.s[c.i] : 0;
            if (sep == ' ') { /* dd mon yyyy */
                scan_blanks(&c);
                d = a;
                mo = scan_month_name(&c);
                scan_blanks(&c);
                y = scan_num(&c, 4, 4);
            } else if (sep == '/' || sep == '-' || sep == '.') {
                c.i++;
                long b;
                if (c.i < c.len && ((c.s[c.i] | 32) >= 'a') &&
                    ((c.s[c.i] | 32) <= 'z')) {
                    b = scan_month_name(&c); /* dd-mon-yyyy */
                    d = a;
                    mo = b;
                } else {
                    b = scan_num(&c, 1, 2);
                    /* '/' and '-': US month first; '.': German day first */
                    if (sep == '.') {
                        d = a;
                        mo = b;
                    } else {
                        mo = a;
                        d = b;
                    }
                }
                if (!scan_ch(&c, sep))
                    return SMSPROV_ETYPE_MISMATCH;
                size_t ys = c.i;
                y = scan_num(&c, 2, 4);
                if (c.i - ys == 2)
                    y += y < 50 ? 2000 : 1900; /* SQL Server's cutoff */
                else if (c.i - ys != 4)
                    return SMSPROV_ETYPE_MISMATCH;
            } else {
                return SMSPROV_ETYPE_MISMATCH;
            }
        } else {
            return SMSPROV_ETYPE_MISMATCH;
        }
    }
    if (y < 0 || mo < 0 || d < 0)
        return SMSPROV_ETYPE_MISMATCH;
    if (scan_time(&c, &h, &mi, &sec, &us, &off) != 0)
        return SMSPROV_ETYPE_MISMATCH;
    scan_blanks(&c);
    if (c.i != c.len)
        return SMSPROV_ETYPE_MISMATCH;
    return make_time(y, mo, d, h, mi, sec, us, off, out);
}
