/* SPDX-License-Identifier: MIT */
/*
 * The binder and planner: a parsed WQL SELECT, resolved against the class
 * registry, becomes one SQL statement with bound parameters plus a
 * description of how to turn its rows back into CIM instances.
 */
#ifndef SMSPROV_WQL_PLAN_H
#define SMSPROV_WQL_PLAN_H

#include "wql/wql.h"

typedef enum wql_dialect {
    WQL_DIALECT_SQLITE = 0,
    WQL_DIALECT_POSTGRES = 1,
} wql_dialect;

/* One output column: property `prop` of result part `part`. */
typedef struct wql_outcol {
    uint32_t part;            /* index into plan->parts */
    const cim_property *prop; /* property decoded from the column */
    int sql_col;              /* 0-based column in the SQL result */
    bool lazy_null;           /* a lazy property named in the query: it is
                                 returned as NULL, as the SMS Provider does */
    bool implicit;            /* a key added so __PATH works; not selected */
} wql_outcol;

/* One class in the result: flat for single-class queries, nested (keyed by
 * `name`) for joins. */
typedef struct wql_part {
    const cim_class *cls; /* class as named in FROM */
    const char *name;     /* alias if given, else the class name */
} wql_part;

typedef struct wql_plan {
    const char *sql;        /* statement text, `?` placeholders */
    cim_value *params;      /* parameter values, in placeholder order */
    uint32_t nparams;       /* entries in params */
    wql_part *parts;        /* result parts */
    uint32_t nparts;        /* entries in parts */
    wql_outcol *cols;       /* output columns */
    uint32_t ncols;         /* entries in cols */
    bool nested;            /* more than one FROM class: nest by part name */
    bool is_count;          /* COUNT query: one row, one integer column */
    const char *count_name; /* property name of the COUNT result */
    int class_col;          /* column holding the concrete class name
                               (base-class queries), -1 when none */
    const cim_class *from;  /* first FROM class (for base-class queries) */
    bool uses_now;          /* a parameter holds GetDate(): not reusable */
} wql_plan;

/*
 * Binds `sel` against `schema` and plans it for `dialect`.  `now_us` is the
 * value of GetDate().  All memory comes from `a`.  Errors carry the offset
 * of the offending node: SMSPROV_EINVALID_CLASS (with a nearest-name hint),
 * SMSPROV_EINVALID_PROPERTY, SMSPROV_ETYPE_MISMATCH, SMSPROV_EINVALID_QUERY.
 */
int wql_plan_build(wql_plan **out, util_arena *a, const cim_schema *schema,
                   const wql_select *sel, wql_dialect dialect, int64_t now_us,
                   smsprov_error *err);

/*
 * Row-level filter (security scopes): called for every table a statement
 * reads (each FROM item, each concrete class of a base-class query, each
 * subquery).  It may append an SQL condition on the row of `cls`, known as
 * `alias`, to `sql`, with `?` placeholders (no other '?' in the text)
 * whose values it appends to *params (memory from `a`), in order;
 * appending nothing leaves the table unfiltered.
 */
typedef struct wql_row_filter {
    int (*fn)(void *ctx, const cim_class *cls, const char *alias,
              util_buf *sql, util_arena *a, cim_value **params,
              uint32_t *nparams, smsprov_error *err);
    void *ctx; /* passed to fn */
} wql_row_filter;

/* wql_plan_build with an optional row filter (NULL = none). */
int wql_plan_build_ex(wql_plan **out, util_arena *a, const cim_schema *schema,
                      const wql_select *sel, wql_dialect dialect,
                      int64_t now_us, const wql_row_filter *rf,
                      smsprov_error *err);

/* Parses and plans in one call; err->offset refers to `text`. */
int wql_compile(wql_plan **out, util_arena *a, const cim_schema *schema,
                const char *text, size_t len, wql_dialect dialect,
                int64_t now_us, smsprov_error *err);
/* wql_compile with an optional row filter. */
int wql_compile_ex(wql_plan **out, util_arena *a, const cim_schema *schema,
                   const char *text, size_t len, wql_dialect dialect,
                   int64_t now_us, const wql_row_filter *rf,
                   smsprov_error *err);

/* WQL LIKE matching ([abc], [^a], [a-f], %, _), case-insensitive ASCII.
 * Used where a pattern is matched outside SQL (OData, tests). */
bool wql_like_match(const char *pat, size_t plen, const char *s, size_t slen);

#endif
