/* SPDX-License-Identifier: MIT */
/*
 * Growable byte buffer with a ceiling: appends past `max` fail, and a failed
 * append is sticky so that long chains of appends need one check at the end.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"

void util_buf_init(util_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = 0;
}

void util_buf_free(util_buf *b)
{
    util_free(b->data);
    util_buf_init(b, b->max);
}

void util_buf_reset(util_buf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

int util_buf_append(util_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return b->failed;
    if (b->len + n + 1 > b->max) {
        b->failed = SMSPROV_ETOOBIG;
        return b->failed;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > b->max)
            cap = b->max;
        char *d = util_realloc(b->data, cap);
        if (d == NULL) {
            b->failed = SMSPROV_ENOMEM;
            return b->failed;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int util_buf_puts(util_buf *b, const char *s)
{
    return util_buf_append(b, s, strlen(s));
}

int util_buf_putc(util_buf *b, char c)
{
    return util_buf_append(b, &c, 1);
}

int util_buf_printf(util_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return util_buf_append(b, "", 0);
    if ((size_t)n < sizeof(small))
        return util_buf_append(b, small, (size_t)n);
    char *big = util_malloc((size_t)n + 1);
    if (big == NULL) {
        b->failed = SMSPROV_ENOMEM;
        return b->failed;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = util_buf_append(b, big, (size_t)n);
    util_free(big);
    return rc;
}

const char *util_buf_cstr(const util_buf *b)
{
    return b->data ? b->data : "";
}

char *util_buf_detach(util_buf *b)
{
    char *d = b->data;
    if (d == NULL)
        d = util_strdup("");
    util_buf_init(b, b->max);
    return d;
}

int util_buf_xml_escape(util_buf *b, const char *s)
{
    for (const char *c = s ? s : ""; *c; c++) {
        switch (*c) {
        case '&':
            util_buf_puts(b, "&amp;");
            break;
        case '<':
            util_buf_puts(b, "&lt;");
            break;
        case '>':
            util_buf_puts(b, "&gt;");
            break;
        case '"':
            util_buf_puts(b, "&quot;");
            break;
        case '\'':
            util_buf_puts(b, "&apos;");
            break;
        default:
            util_buf_putc(b, *c);
        }
    }
    return b->failed;
}
