/* SPDX-License-Identifier: MIT */
/*
 * Arena allocator: memory for one query, request or instance, freed in one
 * call.  With SMSPROV_DEBUG_ARENA each allocation is its own malloc.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"

#define ARENA_PAGE 8192

typedef struct arena_page {
    struct arena_page *next; /* older page */
    size_t used;             /* bytes handed out from data */
    size_t size;             /* bytes in data */
    _Alignas(16) unsigned char data[];
} arena_page;

struct util_arena {
    arena_page *head; /* newest page, allocations come from here */
    size_t total;     /* bytes handed out */
};

util_arena *util_arena_new(void)
{
    return util_calloc(1, sizeof(util_arena));
}

void util_arena_free(util_arena *a)
{
    if (a == NULL)
        return;
    arena_page *p = a->head;
    while (p) {
        arena_page *next = p->next;
        util_free(p);
        p = next;
    }
    util_free(a);
}

void *util_arena_alloc(util_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
#ifdef SMSPROV_DEBUG_ARENA
    arena_page *p = util_malloc(sizeof(arena_page) + n);
    if (p == NULL)
        return NULL;
    p->next = a->head;
    p->used = n;
    p->size = n;
    a->head = p;
    a->total += n;
    memset(p->data, 0, n);
    return p->data;
#else
    arena_page *p = a->head;
    if (p == NULL || p->size - p->used < n) {
        size_t size = n > ARENA_PAGE / 2 ? n : ARENA_PAGE;
        arena_page *np = util_malloc(sizeof(arena_page) + size);
        if (np == NULL)
            return NULL;
        np->used = 0;
        np->size = size;
        if (size == n && p != NULL) {
            /* big block: keep the current page for small allocations */
            np->next = p->next;
            p->next = np;
        } else {
            np->next = p;
            a->head = np;
        }
        p = np;
    }
    void *r = p->data + p->used;
    p->used += n;
    a->total += n;
    memset(r, 0, n);
    return r;
#endif
}

void *util_arena_grow(util_arena *a, void *arr, size_t n, size_t *cap,
                      size_t elem)
{
    if (arr != NULL && n < *cap)
        return arr;
    size_t want = *cap ? *cap * 2 : 16;
    if (want < n + 1 || want > SIZE_MAX / elem)
        return NULL;
    void *v = util_arena_alloc(a, want * elem);
    if (v == NULL)
        return NULL;
    if (n > 0)
        memcpy(v, arr, n * elem);
    *cap = want;
    return v;
}

char *util_arena_strndup(util_arena *a, const char *s, size_t n)
{
    char *d = util_arena_alloc(a, n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *util_arena_strdup(util_arena *a, const char *s)
{
    return util_arena_strndup(a, s, strlen(s));
}

char *util_arena_printf(util_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = NULL;
    if (n >= 0)
        d = util_arena_alloc(a, (size_t)n + 1);
    if (d != NULL)
        vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

void util_arena_reset(util_arena *a)
{
    arena_page *keep = NULL;
    arena_page *p = a->head;
    while (p) {
        arena_page *next = p->next;
#ifndef SMSPROV_DEBUG_ARENA
        if (keep == NULL && p->size == ARENA_PAGE) {
            keep = p;
            p = next;
            continue;
        }
#endif
        util_free(p);
        p = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->total = 0;
}

size_t util_arena_used(const util_arena *a)
{
    return a->total;
}
