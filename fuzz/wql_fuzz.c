/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target for the WQL parser: parses arbitrary bytes with a fresh
 * arena, checks the error contract or the tree's invariants (every loc/len
 * inside the text), dumps successful parses, and frees everything.
 */
#include <stdint.h>
#include <stdlib.h>

#include "wql/wql.h"

/* Aborts unless [loc, loc+len) lies inside a text of n bytes. */
static void check_span(int loc, int len, size_t n)
{
    if (loc < 0 || len < 0 || (size_t)loc + (size_t)len > n)
        abort();
}

static void check_select(const wql_select *s, size_t n, int depth);

/* Checks a node and its children; AND/OR chains are walked in a loop. */
static void check_node(const wql_node *e, size_t n, int depth)
{
    if (depth > 1000)
        abort(); /* deeper than the parser's nesting limit allows */
    while (e != NULL) {
        check_span(e->loc, e->len, n);
        if (e->list == NULL && e->nlist != 0)
            abort();
        for (uint32_t i = 0; i < e->nlist; i++)
            check_node(e->list[i], n, depth + 1);
        if (e->sub != NULL)
            check_select(e->sub, n, depth + 1);
        check_node(e->a, n, depth + 1);
        e = e->b;
    }
}

static void check_select(const wql_select *s, size_t n, int depth)
{
    check_span(s->loc, 6, n);
    if (s->ncols == 0 || s->nfrom == 0 || s->nfrom > WQL_MAX_FROM)
        abort();
    for (uint32_t i = 0; i < s->ncols; i++)
        check_node(s->cols[i], n, depth + 1);
    for (uint32_t i = 0; i < s->nfrom; i++) {
        check_span(s->from[i].loc, 1, n);
        if ((s->from[i].alias == NULL) != (s->from[i].alias_loc < 0))
            abort();
        check_node(s->from[i].on, n, depth + 1);
    }
    check_node(s->where, n, depth + 1);
    for (uint32_t i = 0; i < s->norder; i++)
        check_node(s->order[i].expr, n, depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    util_arena *a = util_arena_new();
    if (a == NULL)
        return 0;
    smsprov_error err = SMSPROV_ERROR_INIT;
    wql_select *s = NULL;
    const char *text = (const char *)data;
    int rc = wql_parse(&s, a, text, size, &err);
    if (rc == 0) {
        if (s == NULL)
            abort();
        check_select(s, size, 0);
        util_buf out = UTIL_BUF_INIT(1 << 22);
        rc = wql_dump(&out, s);
        if (rc != 0 && rc != SMSPROV_ETOOBIG)
            abort();
        util_buf_free(&out);
    } else {
        if (s != NULL || err.code != rc)
            abort();
        if (rc != SMSPROV_EINVALID_QUERY && rc != SMSPROV_ETOOBIG)
            abort();
        if (err.offset < 0 || (size_t)err.offset > size || err.msg[0] == 0)
            abort();
        util_error_locate(&err, text, size);
    }
    util_arena_free(a);
    return 0;
}
