/* SPDX-License-Identifier: MIT */
/*
 * Private structures shared by the binder (binder.c), the planner
 * (planner.c) and the SQL helpers (sqlfn.c).
 */
#ifndef SMSPROV_WQL_PLAN_INT_H
#define SMSPROV_WQL_PLAN_INT_H

#include "wql/plan.h"

/* Date parts of DATEPART/DATEDIFF/DATEADD (SQL Server names). */
typedef enum wql_datepart {
    WQL_DP_NONE = 0,
    WQL_DP_YEAR,
    WQL_DP_QUARTER,
    WQL_DP_MONTH,
    WQL_DP_DAYOFYEAR,
    WQL_DP_DAY,
    WQL_DP_WEEK,
    WQL_DP_WEEKDAY,
    WQL_DP_HOUR,
    WQL_DP_MINUTE,
    WQL_DP_SECOND,
    WQL_DP_MS,
} wql_datepart;

/* Functions the binder knows. */
typedef enum wql_func {
    WQL_F_NONE = 0,
    WQL_F_COUNT,
    WQL_F_UPPER,
    WQL_F_LOWER,
    WQL_F_SUBSTRING,
    WQL_F_DATEPART,
    WQL_F_DATEDIFF,
    WQL_F_DATEADD,
    WQL_F_GETDATE,
} wql_func;

/* A FROM item after binding. */
typedef struct bind_from {
    const cim_class *cls;      /* class as named */
    const cim_class *emit_cls; /* concrete class being emitted (unions) */
    const char *alias;         /* user alias or NULL */
    char sql_alias[12];        /* "t3": unique in the whole statement */
    int loc;                   /* offset of the class name */
} bind_from;

typedef struct bind_scope {
    struct bind_scope *parent; /* enclosing SELECT (subqueries) or NULL */
    bind_from *from;           /* FROM items */
    uint32_t nfrom;            /* entries in from */
} bind_scope;

/* What the binder learnt about an expression node (node->bound). */
typedef struct bound {
    cim_type type;            /* value type; CIM_NONE for NULL */
    bool is_array;            /* an array property */
    bool is_literal;          /* a constant */
    const cim_property *prop; /* WQL_N_COLUMN: the property */
    bind_from *from;          /* WQL_N_COLUMN: its FROM item */
    cim_value lit;            /* constant, coerced to the compared type */
    wql_func func;            /* WQL_N_FUNC */
    wql_datepart part;        /* date part argument */
    bind_scope *scope;        /* WQL_N_IN_SELECT: the subquery's scope */
} bound;

/* Binder/planner context for one statement. */
typedef struct plan_ctx {
    util_arena *a;            /* all memory */
    const cim_schema *schema; /* registry */
    wql_dialect dialect;      /* SQL flavour */
    int64_t now_us;           /* GetDate() */
    bool uses_now;            /* GetDate() was written into the params */
    int depth;                /* current nesting */
    int next_alias;           /* next tN */
    util_buf sql;             /* statement being written */
    cim_value *params;        /* parameter values */
    uint32_t nparams;         /* used */
    uint32_t cparams;         /* allocated */
    smsprov_error *err;       /* first error */
    const wql_row_filter *rf; /* row filter or NULL */
} plan_ctx;

/* binder.c */
int wql_bind_select(plan_ctx *c, bind_scope **out, bind_scope *parent,
                    const wql_select *sel);
/* Concrete classes (with tables) of cls and its subclasses. */
int wql_concrete_classes(plan_ctx *c, const cim_class *cls,
                         const cim_class ***out, uint32_t *n);

/* planner.c */
int wql_emit_select(plan_ctx *c, bind_scope *scope, const wql_select *sel,
                    wql_plan *plan);

/* sqlfn.c */
int wql_param_push(plan_ctx *c, const cim_value *v);
int wql_emit_like_pattern(plan_ctx *c, const char *pat, size_t n, bool *glob);
int wql_emit_datefn(plan_ctx *c, wql_func f, wql_datepart part,
                    wql_node **args);
wql_datepart wql_datepart_lookup(const char *name, size_t n);
/* Appends the row-id column of a FROM item. */
int wql_emit_oid(plan_ctx *c, const bind_from *f);

/* planner.c: emits one expression. */
int wql_emit_expr(plan_ctx *c, wql_node *n);

#endif
