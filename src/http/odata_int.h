/* SPDX-License-Identifier: MIT */
/*
 * Private to the OData files: the $filter token stream and parser state
 * shared by the lexer (odata_lex.c), the $filter grammar (odata_filter.c)
 * and the other query options (odata.c).
 */
#ifndef SMSPROV_ODATA_INT_H
#define SMSPROV_ODATA_INT_H

#include "http/http_int.h"

typedef enum otok {
    OT_EOF,
    OT_IDENT,  /* name, keyword or member */
    OT_STRING, /* 'text' */
    OT_INT,
    OT_REAL,
    OT_DATE, /* unquoted ISO date-time */
    OT_LPAREN,
    OT_RPAREN,
    OT_COMMA,
    OT_COLON,
    OT_SLASH,
} otok;

typedef struct oparser {
    const char *s;      /* $filter text */
    size_t n;           /* its length */
    size_t pos;         /* next byte */
    otok tok;           /* current token */
    size_t tpos;        /* its offset */
    size_t tlen;        /* its length */
    char *str;          /* OT_STRING: unescaped value */
    size_t str_len;     /* its length */
    int depth;          /* nesting */
    util_arena *a;      /* memory */
    smsprov_error *err; /* first error */
    const char *lvar;   /* lambda variable in scope, or NULL */
    size_t lvar_len;    /* its length */
    wql_node *lcol;     /* the array column it stands for */
} oparser;

int odata_fail(oparser *p, size_t at, const char *fmt, const char *what);
bool odata_is_digit(char c);
bool odata_is_ident_char(char c, bool first);
int odata_next(oparser *p);
bool odata_tok_is(const oparser *p, const char *word);
wql_node *odata_node(oparser *p, wql_node_kind k, size_t loc);
int odata_expect(oparser *p, otok t, const char *what);
int odata_parse_or(oparser *p, wql_node **out);

#endif
