/* SPDX-License-Identifier: MIT */
/*
 * WQL abstract syntax tree, as the parser builds it.  Every node carries
 * `loc`, the byte offset of its first token in the query text (-1 unknown);
 * errors in the binder and planner are reported against it.  All memory
 * comes from the query's arena.
 */
#ifndef SMSPROV_WQL_AST_H
#define SMSPROV_WQL_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

typedef enum wql_node_kind {
    WQL_N_INT,       /* integer literal: ival (text = digits as written) */
    WQL_N_REAL,      /* real literal: rval */
    WQL_N_STRING,    /* string literal: text (unescaped), quote = ' or " */
    WQL_N_BOOL,      /* TRUE / FALSE: ival 1/0 */
    WQL_N_NULL,      /* NULL */
    WQL_N_COLUMN,    /* [qual.]name; qual NULL when unqualified */
    WQL_N_STAR,      /* * or qual.* (select list and COUNT(*)) */
    WQL_N_NOT,       /* NOT a */
    WQL_N_NEG,       /* -a (unary minus on a non-literal) */
    WQL_N_AND,       /* a AND b */
    WQL_N_OR,        /* a OR b */
    WQL_N_CMP,       /* a op b, op is enum wql_cmp */
    WQL_N_LIKE,      /* a [NOT] LIKE b (negated) */
    WQL_N_IN_LIST,   /* a [NOT] IN (list...) */
    WQL_N_IN_SELECT, /* a [NOT] IN (sub) */
    WQL_N_IS_NULL,   /* a IS [NOT] NULL */
    WQL_N_FUNC,      /* name(list...): COUNT, UPPER, LOWER, SUBSTRING,
                        DATEPART, DATEDIFF, DATEADD, GETDATE; a date part
                        argument is a WQL_N_COLUMN with qual NULL */
} wql_node_kind;

typedef enum wql_cmp {
    WQL_EQ,
    WQL_NE, /* <> and != */
    WQL_LT,
    WQL_LE,
    WQL_GT,
    WQL_GE,
} wql_cmp;

struct wql_select;

typedef struct wql_node {
    wql_node_kind kind;       /* what this node is */
    int loc;                  /* byte offset in the query, -1 unknown */
    int len;                  /* bytes of source covered by the first token */
    int op;                   /* wql_cmp for WQL_N_CMP */
    bool negated;             /* NOT LIKE, NOT IN, IS NOT NULL */
    bool distinct;            /* WQL_N_FUNC: COUNT(DISTINCT x) */
    char quote;               /* WQL_N_STRING: the quote character used */
    const char *text;         /* identifier, function name or string */
    size_t text_len;          /* bytes in text (strings may hold NULs) */
    const char *qual;         /* WQL_N_COLUMN/STAR qualifier or NULL */
    int64_t ival;             /* WQL_N_INT, WQL_N_BOOL */
    double rval;              /* WQL_N_REAL */
    struct wql_node *a;       /* first operand */
    struct wql_node *b;       /* second operand */
    struct wql_node **list;   /* IN list items or function arguments */
    uint32_t nlist;           /* entries in list */
    struct wql_select *sub;   /* WQL_N_IN_SELECT subquery */
    void *bound;              /* binder annotation (binder-private) */
} wql_node;

typedef enum wql_join_kind {
    WQL_JOIN_NONE,  /* the first FROM item */
    WQL_JOIN_COMMA, /* FROM a, b: condition in WHERE */
    WQL_JOIN_INNER, /* JOIN / INNER JOIN ... ON */
    WQL_JOIN_LEFT,  /* LEFT [OUTER] JOIN ... ON */
} wql_join_kind;

typedef struct wql_from {
    const char *class_name; /* as written */
    const char *alias;      /* AS alias, or NULL */
    int loc;                /* offset of the class name */
    int alias_loc;          /* offset of the alias, -1 */
    wql_join_kind join;     /* how it joins the previous items */
    wql_node *on;           /* ON condition (INNER/LEFT) or NULL */
} wql_from;

typedef struct wql_order {
    wql_node *expr; /* usually a WQL_N_COLUMN */
    bool desc;      /* DESC given */
} wql_order;

typedef struct wql_select {
    int loc;            /* offset of SELECT */
    bool distinct;      /* SELECT DISTINCT */
    wql_node **cols;    /* select list: STAR, COLUMN, FUNC */
    uint32_t ncols;     /* entries in cols */
    wql_from *from;     /* FROM items in order */
    uint32_t nfrom;     /* entries in from */
    wql_node *where;    /* WHERE condition or NULL */
    wql_order *order;   /* ORDER BY items */
    uint32_t norder;    /* entries in order */
} wql_select;

#endif
