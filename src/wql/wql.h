/* SPDX-License-Identifier: MIT */
/*
 * wql: Extended WQL, the one query engine.  lexer -> parser (AST) ->
 * binder (against the class registry) -> planner (SQL with bound
 * parameters for the store's dialect).
 */
#ifndef SMSPROV_WQL_H
#define SMSPROV_WQL_H

#include "cim/cim.h"
#include "wql/ast.h"

/* Limits (rule 11): over them is a positioned SMSPROV_ETOOBIG error. */
#define WQL_MAX_TEXT (64 * 1024)   /* bytes of query text */
#define WQL_MAX_DEPTH 64           /* expression/subquery nesting */
#define WQL_MAX_LIST 4096          /* IN list items, select columns */
#define WQL_MAX_FROM 8             /* classes in one SELECT */

/* ---- lexer -------------------------------------------------------------- */

typedef enum wql_tok {
    WQL_T_EOF,
    WQL_T_IDENT,   /* name (keywords are IDENTs; see wql_keyword) */
    WQL_T_INT,     /* 123 */
    WQL_T_REAL,    /* 1.5, 1e3 */
    WQL_T_STRING,  /* 'x' or "x" */
    WQL_T_COMMA,
    WQL_T_DOT,
    WQL_T_LPAREN,
    WQL_T_RPAREN,
    WQL_T_STAR,
    WQL_T_EQ,
    WQL_T_NE,      /* <> or != */
    WQL_T_LT,
    WQL_T_LE,
    WQL_T_GT,
    WQL_T_GE,
    WQL_T_MINUS,
    WQL_T_PLUS,
    WQL_T_SEMI,
} wql_tok;

typedef enum wql_kw {
    WQL_KW_NONE = 0,
    WQL_KW_ALL, WQL_KW_AND, WQL_KW_AS, WQL_KW_ASC, WQL_KW_BY,
    WQL_KW_DESC, WQL_KW_DISTINCT, WQL_KW_FALSE, WQL_KW_FROM, WQL_KW_FULL,
    WQL_KW_IN, WQL_KW_INNER, WQL_KW_IS, WQL_KW_JOIN, WQL_KW_LEFT,
    WQL_KW_LIKE, WQL_KW_NOT, WQL_KW_NULL, WQL_KW_ON, WQL_KW_OR,
    WQL_KW_ORDER, WQL_KW_OUTER, WQL_KW_RIGHT, WQL_KW_SELECT, WQL_KW_TRUE,
    WQL_KW_WHERE,
} wql_kw;

typedef struct wql_token {
    wql_tok kind; /* token class */
    wql_kw kw;    /* keyword id when kind == WQL_T_IDENT, else NONE */
    int loc;      /* byte offset */
    int len;      /* bytes in the source */
} wql_token;

/* ---- parser ------------------------------------------------------------- */

/*
 * Parses exactly one SELECT statement (an optional trailing ';' is allowed,
 * nothing after it).  On error returns SMSPROV_EINVALID_QUERY (or ETOOBIG)
 * with err->offset at the offending token and *out == NULL.
 */
int wql_parse(wql_select **out, util_arena *a, const char *text, size_t len,
              smsprov_error *err);

/* Appends an S-expression dump of the tree (tests and --explain). */
int wql_dump(util_buf *out, const wql_select *s);

#endif
