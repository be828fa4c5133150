/* SPDX-License-Identifier: MIT */
/*
 * The one place that calls malloc and free.  util_alloc_fail_at lets torture
 * tests fail the N-th allocation (of the calling thread), so every error
 * path gets exercised.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Per thread, so that the HTTP server's workers neither race on nor
 * contend for them; the torture tests are single-threaded. */
static _Thread_local long alloc_count;   /* allocations since last reset */
static _Thread_local long alloc_fail_at; /* fail from this one on; 0 off */

long util_alloc_fail_at(long n)
{
    long made = alloc_count;
    alloc_count = 0;
    alloc_fail_at = n;
    return made;
}

static int should_fail(void)
{
    alloc_count++;
    return alloc_fail_at > 0 && alloc_count >= alloc_fail_at;
}

void *util_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *util_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *util_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void util_free(void *p)
{
    free(p);
}

char *util_strndup(const char *s, size_t n)
{
    char *d = util_malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *util_strdup(const char *s)
{
    return util_strndup(s, strlen(s));
}
