/* SPDX-License-Identifier: MIT */
/*
 * OData query options other than $filter's grammar: $count/$top/$skip
 * numbers, $select and $orderby lists, and the wql_select they build
 * together with $filter (odata_filter.c).
 */
#include <string.h>

#include "http/odata_int.h"

int odata_parse_count(const char *s, int64_t def, int64_t *out)
{
    if (s == NULL) {
        *out = def;
        return 0;
    }
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    while (n > 0 && *s == ' ') {
        s++;
        n--;
    }
    return util_parse_i64(s, n, 0, INT64_MAX, out);
}

/* Splits a comma list into trimmed items; calls fn on each. */
static int split_list(const char *s, util_arena *a,
                      int (*fn)(const char *, size_t, size_t, void *),
                      void *arg)
{
    size_t i = 0, n = strlen(s);
    while (i <= n) {
        size_t j = i;
        while (j < n && s[j] != ',')
            j++;
        size_t b = i, e = j;
        while (b < e && s[b] == ' ')
            b++;
        while (e > b && s[e - 1] == ' ')
            e--;
        int rc = fn(s + b, e - b, b, arg);
        if (rc != 0)
            return rc;
        i = j + 1;
    }
    (void)a;
    return 0;
}

typedef struct list_ctx {
    util_arena *a;      /* memory */
    wql_node **cols;    /* select items */
    wql_order *order;   /* order items */
    uint32_t n;         /* used */
    uint32_t cap;       /* allocated */
    smsprov_error *err; /* first error */
    const char *what;   /* option name */
} list_ctx;

static bool ident_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!odata_is_ident_char(s[i], i == 0))
            return false;
    return true;
}

static int select_item(const char *s, size_t n, size_t at, void *arg)
{
    list_ctx *c = arg;
    if (c->n == c->cap)
        return util_error_set(c->err, SMSPROV_ETOOBIG, (int)at,
                              "$select lists too many properties");
    wql_node *col = util_arena_alloc(c->a, sizeof(wql_node));
    if (col == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "no memory");
    col->loc = (int)at;
    col->len = (int)n;
    if (n == 1 && s[0] == '*') {
        col->kind = WQL_N_STAR;
    } else if (ident_ok(s, n)) {
        col->kind = WQL_N_COLUMN;
        col->text = util_arena_strndup(c->a, s, n);
        col->text_len = n;
    } else {
        return util_error_set(c->err, SMSPROV_EINVALID_QUERY, (int)at,
                              "$select position %zu: expected a property "
                              "name",
                              at + 1);
    }
    c->cols[c->n++] = col;
    return 0;
}

static int order_item(const char *s, size_t n, size_t at, void *arg)
{
    list_ctx *c = arg;
    size_t w = 0;
    while (w < n && s[w] != ' ')
        w++;
    const char *dir = s + w;
    size_t dn = n - w;
    while (dn > 0 && *dir == ' ') {
        dir++;
        dn--;
    }
    bool desc = false;
    if (dn == 4 && util_strnicmp(dir, "desc", 4) == 0)
        desc = true;
    else if (!(dn == 0 || (dn == 3 && util_strnicmp(dir, "asc", 3) == 0)))
        return util_error_set(c->err, SMSPROV_EINVALID_QUERY, (int)at,
                              "$orderby position %zu: expected asc or desc",
                              at + 1);
    if (!ident_ok(s, w))
        return util_error_set(c->err, SMSPROV_EINVALID_QUERY, (int)at,
                              "$orderby position %zu: expected a property "
                              "name",
                              at + 1);
    if (c->n == c->cap)
        return util_error_set(c->err, SMSPROV_ETOOBIG, (int)at,
                              "$orderby lists too many properties");
    wql_node *col = util_arena_alloc(c->a, sizeof(wql_node));
    if (col == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "no memory");
    col->kind = WQL_N_COLUMN;
    col->loc = (int)at;
    col->len = (int)w;
    col->text = util_arena_strndup(c->a, s, w);
    col->text_len = w;
    c->order[c->n].expr = col;
    c->order[c->n++].desc = desc;
    return 0;
}

int odata_build_select(wql_select **out, util_arena *a, const char *cls,
                       const odata_options *o, bool *selected,
                       smsprov_error *err)
{
    wql_select *sel = util_arena_alloc(a, sizeof(wql_select));
    wql_node *star = util_arena_alloc(a, sizeof(wql_node));
    *out = NULL;
    *selected = false;
    if (sel == NULL || star == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    sel->loc = -1;
    sel->from = util_arena_alloc(a, sizeof(wql_from));
    if (sel->from == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    sel->from[0].class_name = cls;
    sel->from[0].loc = -1;
    sel->from[0].alias_loc = -1;
    sel->nfrom = 1;
    star->kind = WQL_N_STAR;
    star->loc = -1;
    sel->cols = util_arena_alloc(a, sizeof(wql_node *));
    if (sel->cols == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    sel->cols[0] = star;
    sel->ncols = 1;
    if (o->select && o->select[0] != '\0') {
        list_ctx c = {a, NULL, NULL, 0, 256, err, "$select"};
        c.cols = util_arena_alloc(a, sizeof(wql_node *) * c.cap);
        if (c.cols == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        int rc = split_list(o->select, a, select_item, &c);
        if (rc != 0)
            return rc;
        bool any_star = false;
        for (uint32_t i = 0; i < c.n; i++)
            any_star = any_star || c.cols[i]->kind == WQL_N_STAR;
        if (!any_star) {
            sel->cols = c.cols;
            sel->ncols = c.n;
            *selected = true;
        }
    }
    if (o->filter) {
        size_t n = strlen(o->filter);
        while (n > 0 && o->filter[n - 1] == ' ')
            n--; /* trailing blanks real scripts send */
        int rc = odata_filter_parse(&sel->where, a, o->filter, n, err);
        if (rc != 0)
            return rc;
    }
    if (o->orderby && o->orderby[0] != '\0') {
        list_ctx c = {a, NULL, NULL, 0, 64, err, "$orderby"};
        c.order = util_arena_alloc(a, sizeof(wql_order) * c.cap);
        if (c.order == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        int rc = split_list(o->orderby, a, order_item, &c);
        if (rc != 0)
            return rc;
        sel->order = c.order;
        sel->norder = c.n;
    }
    *out = sel;
    return 0;
}
