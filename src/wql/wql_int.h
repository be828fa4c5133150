/* SPDX-License-Identifier: MIT */
/*
 * Private to src/wql (and its tests): the lexer state, the keyword table and
 * the parser context shared by parser.c and parse_expr.c.  Not for use by
 * other layers; they call wql_parse and work on the AST.
 */
#ifndef SMSPROV_WQL_INT_H
#define SMSPROV_WQL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "wql/wql.h"

/* ---- keywords (keywords.c) ---------------------------------------------- */

typedef struct wql_keyword_entry {
    const char *name; /* upper case, as the table is sorted by it */
    wql_kw kw;        /* its id */
} wql_keyword_entry;

/* The sorted keyword table (for tests); *n receives its length. */
const wql_keyword_entry *wql_keyword_table(size_t *n);
/* Case-insensitive lookup of a slice; WQL_KW_NONE when not a keyword. */
wql_kw wql_keyword(const char *z, size_t n);
/* Upper-case spelling of a keyword ("" for WQL_KW_NONE or out of range). */
const char *wql_keyword_name(wql_kw kw);

/* ---- lexer (lexer.c) ---------------------------------------------------- */

typedef struct wql_lexer {
    const char *text; /* the query text (borrowed, need not end in NUL) */
    size_t len;       /* bytes in text */
    size_t pos;       /* next byte to look at */
} wql_lexer;

/* Starts lexing text[0..len); len must be <= WQL_MAX_TEXT (caller checks). */
void wql_lex_init(wql_lexer *lx, const char *text, size_t len);

/*
 * Reads the next token into *tok (a slice of the text: loc/len).  At the end
 * it returns WQL_T_EOF (repeatedly).  Returns 0, or SMSPROV_EINVALID_QUERY
 * for a bad character, an unterminated string (offset of its opening
 * quote) or a malformed number; then *tok is WQL_T_EOF at the error.
 */
int wql_lex_next(wql_lexer *lx, wql_token *tok, smsprov_error *err);

/* Short human name of a token kind ("identifier", "','", ...). */
const char *wql_tok_name(wql_tok kind);

/* ---- parser (parser.c, parse_expr.c) ------------------------------------ */

typedef struct wql_parser {
    wql_lexer lx;       /* token source */
    util_arena *arena;  /* owns every node (caller's arena) */
    smsprov_error *err; /* first error wins */
    wql_token tok;      /* current token (not yet consumed) */
    int depth;          /* current nesting, checked against WQL_MAX_DEPTH */
} wql_parser;

/* Moves to the next token; 0 or the lexer's error. */
int wql_parser_advance(wql_parser *p);
/* Sets a positioned "expected WHAT, found 'X'" error at the current token. */
int wql_parser_expected(wql_parser *p, const char *what);
/* Sets an out-of-memory error at loc and returns SMSPROV_ENOMEM. */
int wql_parser_nomem(wql_parser *p, int loc);
/*
 * Writes a printable quotation of the token (at most ~40 bytes, control
 * bytes shown as '?') or "end of query" into buf.
 */
void wql_parser_describe(const wql_parser *p, const wql_token *t, char *buf,
                         size_t bufsz);
/*
 * Enters one nesting level (ETOOBIG at the current token when too deep).
 * Every call, failed or not, is paired with one wql_parser_leave.
 */
int wql_parser_enter(wql_parser *p);
/* Leaves a level entered with wql_parser_enter. */
void wql_parser_leave(wql_parser *p);
/* A new zeroed node of kind at the token t (loc/len from t), or NULL. */
wql_node *wql_parser_node(wql_parser *p, wql_node_kind kind,
                          const wql_token *t);
/*
 * Makes room for one more element in a growing arena array arr (n used,
 * *cap slots of elsize bytes).  Returns the array to use from now on (arr
 * itself or a larger copy), or NULL with SMSPROV_ENOMEM set at loc.  The
 * caller checks its limit first.
 */
void *wql_parser_grow(wql_parser *p, void *arr, uint32_t n, uint32_t *cap,
                      size_t elsize, int loc);
/* Copies an identifier token into the arena (NULL and ENOMEM set). */
char *wql_parser_name(wql_parser *p, const wql_token *t);

/*
 * True when t may name a property, qualifier or alias: an identifier that is
 * not a keyword, or one of the few keywords that never start a clause
 * (ALL, ASC, DESC, FULL, OUTER, RIGHT), e.g. a property called "Desc".
 */
bool wql_parser_name_ok(const wql_token *t);

/* True when the current token is the keyword kw. */
static inline bool wql_parser_is(const wql_parser *p, wql_kw kw)
{
    return p->tok.kind == WQL_T_IDENT && p->tok.kw == kw;
}

/* Parses a full condition (OR level) into *out. */
int wql_parse_expr(wql_parser *p, wql_node **out);
/*
 * Parses one SELECT starting at the current SELECT token into *out (used for
 * the statement and for IN subqueries).
 */
int wql_parse_select(wql_parser *p, wql_select **out);
/*
 * Parses a select-list item: '*', [qual.]name, qual.* or name(args).
 */
int wql_parse_select_item(wql_parser *p, wql_node **out);

#endif
