/* SPDX-License-Identifier: MIT */
/*
 * Case-insensitive string helpers (WMI names and WQL are case-insensitive)
 * and checked number parsing that replaces atoi/strtol/sscanf.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int util_stricmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int d = lower((unsigned char)*a) - lower((unsigned char)*b);
        if (d != 0 || *a == '\0')
            return d;
    }
}

int util_strnicmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int d = lower((unsigned char)a[i]) - lower((unsigned char)b[i]);
        if (d != 0 || a[i] == '\0')
            return d;
    }
    return 0;
}

bool util_streq_slice(const char *s, const char *z, size_t n)
{
    return strlen(s) == n && util_strnicmp(s, z, n) == 0;
}

int util_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

uint32_t util_hash_ci(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint32_t)lower((unsigned char)s[i]);
        h *= 16777619u;
    }
    return h;
}

int util_edit_distance(const char *a, const char *b, int cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 128 || lb > 128)
        return cap;
    int row[129];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        int best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = lower((unsigned char)a[i - 1]) !=
                       lower((unsigned char)b[j - 1]);
            int v = prev + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            prev = cur;
            if (v < best)
                best = v;
        }
        if (best >= cap)
            return cap;
    }
    return row[lb] < cap ? row[lb] : cap;
}

int util_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    size_t i = 0;
    uint64_t v = 0;
    if (len > 0 && s[0] == '+')
        i++;
    if (i == len)
        return SMSPROV_ETYPE_MISMATCH;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return SMSPROV_ETYPE_MISMATCH;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return SMSPROV_EOUT_OF_RANGE;
        v = v * 10 + d;
    }
    if (v > max)
        return SMSPROV_EOUT_OF_RANGE;
    *out = v;
    return 0;
}

int util_parse_i64(const char *s, size_t len, int64_t min, int64_t max,
                   int64_t *out)
{
    bool neg = len > 0 && s[0] == '-';
    uint64_t mag;
    size_t skip = neg ? 1 : 0;
    if (neg && len > 1 && s[1] == '+')
        return SMSPROV_ETYPE_MISMATCH;
    int rc = util_parse_u64(s + skip, len - skip, UINT64_MAX, &mag);
    if (rc == SMSPROV_EOUT_OF_RANGE) {
        /* still make sure the rest is digits: it is a number, too big */
        return rc;
    }
    if (rc != 0)
        return rc;
    int64_t v;
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1)
            return SMSPROV_EOUT_OF_RANGE;
        v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX)
            return SMSPROV_EOUT_OF_RANGE;
        v = (int64_t)mag;
    }
    if (v < min || v > max)
        return SMSPROV_EOUT_OF_RANGE;
    *out = v;
    return 0;
}

int util_parse_double(const char *s, size_t len, double *out)
{
    char tmp[64];
    if (len == 0 || len >= sizeof(tmp))
        return SMSPROV_ETYPE_MISMATCH;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = tmp[i];
        if (!(isdigit((unsigned char)c) || c == '.' || c == '-' || c == '+' ||
              c == 'e' || c == 'E'))
            return SMSPROV_ETYPE_MISMATCH;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + len)
        return SMSPROV_ETYPE_MISMATCH;
    if (errno == ERANGE || !isfinite(v))
        return SMSPROV_EOUT_OF_RANGE;
    *out = v;
    return 0;
}

size_t util_utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* s[n] continues a character: cut before it */
    return n;
}
