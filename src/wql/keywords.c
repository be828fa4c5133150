/* SPDX-License-Identifier: MIT */
/*
 * WQL keywords: one table sorted by name (a test checks the order and that
 * every name is unique) and a case-insensitive binary search over it.  The
 * lexer returns keywords as identifiers; the parser asks wql_keyword.
 */
#include <string.h>

#include "wql/wql_int.h"

/* Must stay sorted by name (byte order of the upper-case spelling). */
static const wql_keyword_entry keywords[] = {
    {"ALL", WQL_KW_ALL},
    {"AND", WQL_KW_AND},
    {"AS", WQL_KW_AS},
    {"ASC", WQL_KW_ASC},
    {"BY", WQL_KW_BY},
    {"DESC", WQL_KW_DESC},
    {"DISTINCT", WQL_KW_DISTINCT},
    {"FALSE", WQL_KW_FALSE},
    {"FROM", WQL_KW_FROM},
    {"FULL", WQL_KW_FULL},
    {"IN", WQL_KW_IN},
    {"INNER", WQL_KW_INNER},
    {"IS", WQL_KW_IS},
    {"JOIN", WQL_KW_JOIN},
    {"LEFT", WQL_KW_LEFT},
    {"LIKE", WQL_KW_LIKE},
    {"NOT", WQL_KW_NOT},
    {"NULL", WQL_KW_NULL},
    {"ON", WQL_KW_ON},
    {"OR", WQL_KW_OR},
    {"ORDER", WQL_KW_ORDER},
    {"OUTER", WQL_KW_OUTER},
    {"RIGHT", WQL_KW_RIGHT},
    {"SELECT", WQL_KW_SELECT},
    {"TRUE", WQL_KW_TRUE},
    {"WHERE", WQL_KW_WHERE},
};

#define NKEYWORDS (sizeof(keywords) / sizeof(keywords[0]))

/* Longest keyword; longer identifiers are never keywords. */
#define KEYWORD_MAX 8

const wql_keyword_entry *wql_keyword_table(size_t *n)
{
    *n = NKEYWORDS;
    return keywords;
}

/*
 * Compares an upper-case NUL-terminated keyword with a slice of any case,
 * like strcmp: <0, 0, >0.
 */
static int keyword_cmp(const char *kw, const char *z, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)z[i];
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 32);
        unsigned char k = (unsigned char)kw[i];
        if (k == '\0')
            return -1; /* kw is a proper prefix of the slice */
        if (k != c)
            return (int)k - (int)c;
    }
    return kw[n] == '\0' ? 0 : 1;
}

wql_kw wql_keyword(const char *z, size_t n)
{
    if (n == 0 || n > KEYWORD_MAX)
        return WQL_KW_NONE;
    size_t lo = 0, hi = NKEYWORDS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = keyword_cmp(keywords[mid].name, z, n);
        if (d == 0)
            return keywords[mid].kw;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return WQL_KW_NONE;
}

const char *wql_keyword_name(wql_kw kw)
{
    for (size_t i = 0; i < NKEYWORDS; i++)
        if (keywords[i].kw == kw)
            return keywords[i].name;
    return "";
}
