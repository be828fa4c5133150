/* SPDX-License-Identifier: MIT */
/*
 * WQL parser, statement level: wql_parse (exactly one SELECT, optional ';'),
 * the SELECT clauses (select list, FROM with joins, WHERE, ORDER BY) and the
 * helpers shared with parse_expr.c.  Recursive descent over the lexer's
 * tokens; every node comes from the caller's arena; the first error wins.
 */
#include <stdio.h>
#include <string.h>

#include "wql/wql_int.h"

int wql_parser_advance(wql_parser *p)
{
    return wql_lex_next(&p->lx, &p->tok, p->err);
}

void wql_parser_describe(const wql_parser *p, const wql_token *t, char *buf,
                         size_t bufsz)
{
    enum { SHOW = 40 };
    if (t->kind == WQL_T_EOF || t->len <= 0) {
        snprintf(buf, bufsz, "end of query");
        return;
    }
    const char *z = p->lx.text + t->loc;
    size_t n = (size_t)t->len;
    bool cut = n > SHOW;
    if (cut) {
        n = SHOW - 3;
        while (n > 0 && ((unsigned char)z[n] & 0xC0) == 0x80)
            n--; /* do not split a UTF-8 sequence */
    }
    char tmp[SHOW + 1];
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)z[i];
        tmp[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    tmp[n] = '\0';
    snprintf(buf, bufsz, "'%s%s'", tmp, cut ? "..." : "");
}

int wql_parser_expected(wql_parser *p, const char *what)
{
    char found[64];
    wql_parser_describe(p, &p->tok, found, sizeof(found));
    return util_error_set(p->err, SMSPROV_EINVALID_QUERY, p->tok.loc,
                          "expected %s, found %s", what, found);
}

int wql_parser_nomem(wql_parser *p, int loc)
{
    return util_error_set(p->err, SMSPROV_ENOMEM, loc,
                          "out of memory while parsing the query");
}

int wql_parser_enter(wql_parser *p)
{
    p->depth++; /* even on failure, so that leave always balances */
    if (p->depth > WQL_MAX_DEPTH)
        return util_error_set(p->err, SMSPROV_ETOOBIG, p->tok.loc,
                              "the query is nested deeper than %d levels",
                              WQL_MAX_DEPTH);
    return 0;
}

void wql_parser_leave(wql_parser *p)
{
    if (UTIL_ALWAYS(p->depth > 0))
        p->depth--;
}

wql_node *wql_parser_node(wql_parser *p, wql_node_kind kind, const wql_token *t)
{
    wql_node *n = util_arena_alloc(p->arena, sizeof(*n));
    if (n == NULL) {
        wql_parser_nomem(p, t->loc);
        return NULL;
    }
    n->kind = kind;
    n->loc = t->loc;
    n->len = t->len;
    return n;
}

void *wql_parser_grow(wql_parser *p, void *arr, uint32_t n, uint32_t *cap,
                      size_t elsize, int loc)
{
    if (n < *cap)
        return arr;
    uint32_t ncap = *cap ? *cap * 2 : 4;
    void *na = util_arena_alloc(p->arena, (size_t)ncap * elsize);
    if (na == NULL) {
        wql_parser_nomem(p, loc);
        return NULL;
    }
    if (n > 0)
        memcpy(na, arr, (size_t)n * elsize);
    *cap = ncap;
    return na;
}

char *wql_parser_name(wql_parser *p, const wql_token *t)
{
    char *s = util_arena_strndup(p->arena, p->lx.text + t->loc, (size_t)t->len);
    if (s == NULL)
        wql_parser_nomem(p, t->loc);
    return s;
}

bool wql_parser_name_ok(const wql_token *t)
{
    if (t->kind != WQL_T_IDENT)
        return false;
    switch (t->kw) {
    case WQL_KW_NONE:
    case WQL_KW_ALL:
    case WQL_KW_ASC:
    case WQL_KW_DESC:
    case WQL_KW_FULL:
    case WQL_KW_OUTER:
    case WQL_KW_RIGHT:
        return true;
    default:
        return false;
    }
}

/* Parses the select list into s->cols (at least one item). */
static int parse_cols(wql_parser *p, wql_select *s)
{
    uint32_t cap = 0;
    for (;;) {
        if (s->ncols >= WQL_MAX_LIST)
            return util_error_set(p->err, SMSPROV_ETOOBIG, p->tok.loc,
                                  "more than %d items in the select list",
                                  WQL_MAX_LIST);
        wql_node *item = NULL;
        int rc = wql_parse_select_item(p, &item);
        if (rc != 0)
            return rc;
        wql_node **cols = wql_parser_grow(p, s->cols, s->ncols, &cap,
                                          sizeof(*cols), item->loc);
        if (cols == NULL)
            return SMSPROV_ENOMEM;
        s->cols = cols;
        s->cols[s->ncols++] = item;
        if (p->tok.kind != WQL_T_COMMA)
            return 0;
        rc = wql_parser_advance(p);
        if (rc != 0)
            return rc;
    }
}

/*
 * Parses "Class [[AS] alias]" into f (join kind set by the caller).  An
 * alias without AS must not be a keyword, so that "FROM A LEFT JOIN B"
 * and "FROM A WHERE" read as intended.
 */
static int parse_class_ref(wql_parser *p, wql_from *f)
{
    if (p->tok.kind != WQL_T_IDENT || p->tok.kw != WQL_KW_NONE)
        return wql_parser_expected(p, "a class name");
    f->loc = p->tok.loc;
    f->alias_loc = -1;
    f->class_name = wql_parser_name(p, &p->tok);
    if (f->class_name == NULL)
        return SMSPROV_ENOMEM;
    int rc = wql_parser_advance(p);
    if (rc != 0)
        return rc;
    if (wql_parser_is(p, WQL_KW_AS)) {
        rc = wql_parser_advance(p);
        if (rc != 0)
            return rc;
        if (!wql_parser_name_ok(&p->tok))
            return wql_parser_expected(p, "an alias after AS");
    } else if (p->tok.kind != WQL_T_IDENT || p->tok.kw != WQL_KW_NONE) {
        return 0;
    }
    f->alias_loc = p->tok.loc;
    f->alias = wql_parser_name(p, &p->tok);
    if (f->alias == NULL)
        return SMSPROV_ENOMEM;
    return wql_parser_advance(p);
}

/*
 * Reads the join keywords at the current token, if any: ',' (comma join),
 * [INNER] JOIN, LEFT [OUTER] JOIN.  Sets *kind (WQL_JOIN_NONE when the
 * FROM clause ends here).  RIGHT and FULL joins are refused.
 */
static int parse_join_kind(wql_parser *p, wql_join_kind *kind)
{
    int rc = 0;
    *kind = WQL_JOIN_NONE;
    if (p->tok.kind == WQL_T_COMMA) {
        *kind = WQL_JOIN_COMMA;
        return wql_parser_advance(p);
    }
    if (p->tok.kind != WQL_T_IDENT)
        return 0;
    switch (p->tok.kw) {
    case WQL_KW_JOIN:
        *kind = WQL_JOIN_INNER;
        return wql_parser_advance(p);
    case WQL_KW_INNER:
        *kind = WQL_JOIN_INNER;
        break;
    case WQL_KW_LEFT:
        *kind = WQL_JOIN_LEFT;
        rc = wql_parser_advance(p);
        if (rc == 0 && !wql_parser_is(p, WQL_KW_OUTER))
            return wql_parser_is(p, WQL_KW_JOIN)
                       ? wql_parser_advance(p)
                       : wql_parser_expected(p, "JOIN or OUTER JOIN");
        break;
    case WQL_KW_RIGHT:
    case WQL_KW_FULL:
        return util_error_set(p->err, SMSPROV_EINVALID_QUERY, p->tok.loc,
                              "%s JOIN is not supported (use LEFT JOIN)",
                              wql_keyword_name(p->tok.kw));
    default:
        return 0;
    }
    /* INNER or LEFT OUTER: one more word, then JOIN */
    if (rc == 0)
        rc = wql_parser_advance(p);
    if (rc == 0 && !wql_parser_is(p, WQL_KW_JOIN))
        rc = wql_parser_expected(p, "JOIN");
    if (rc == 0)
        rc = wql_parser_advance(p);
    return rc;
}

/* Parses the FROM list (after FROM) into s->from. */
static int parse_from(wql_parser *p, wql_select *s)
{
    uint32_t cap = 0;
    wql_join_kind kind = WQL_JOIN_NONE;
    for (;;) {
        if (s->nfrom >= WQL_MAX_FROM)
            return util_error_set(p->err, SMSPROV_ETOOBIG, p->tok.loc,
                                  "more than %d classes in FROM", WQL_MAX_FROM);
        wql_from *from = wql_parser_grow(p, s->from, s->nfrom, &cap,
                                         sizeof(*from), p->tok.loc);
        if (from == NULL)
            return SMSPROV_ENOMEM;
        s->from = from;
        wql_from *f = &s->from[s->nfrom];
        f->join = kind;
        int rc = parse_class_ref(p, f);
        if (rc != 0)
            return rc;
        s->nfrom++;
        if (kind == WQL_JOIN_INNER || kind == WQL_JOIN_LEFT) {
            if (!wql_parser_is(p, WQL_KW_ON))
                return wql_parser_expected(p, "ON");
            rc = wql_parser_advance(p);
            if (rc == 0)
                rc = wql_parse_expr(p, &f->on);
            if (rc != 0)
                return rc;
        }
        rc = parse_join_kind(p, &kind);
        if (rc != 0 || kind == WQL_JOIN_NONE)
            return rc;
    }
}

/* Parses the ORDER BY list (after ORDER BY) into s->order. */
static int parse_order(wql_parser *p, wql_select *s)
{
    uint32_t cap = 0;
    for (;;) {
        if (s->norder >= WQL_MAX_LIST)
            return util_error_set(p->err, SMSPROV_ETOOBIG, p->tok.loc,
                                  "more than %d ORDER BY items", WQL_MAX_LIST);
        wql_order *order = wql_parser_grow(p, s->order, s->norder, &cap,
                                           sizeof(*order), p->tok.loc);
        if (order == NULL)
            return SMSPROV_ENOMEM;
        s->order = order;
        wql_order *o = &s->order[s->norder];
        int rc = wql_parse_expr(p, &o->expr);
        if (rc != 0)
            return rc;
        s->norder++;
        if (wql_parser_is(p, WQL_KW_ASC) || wql_parser_is(p, WQL_KW_DESC)) {
            o->desc = p->tok.kw == WQL_KW_DESC;
            rc = wql_parser_advance(p);
            if (rc != 0)
                return rc;
        }
        if (p->tok.kind != WQL_T_COMMA)
            return 0;
        rc = wql_parser_advance(p);
        if (rc != 0)
            return rc;
    }
}

/* Consumes the keyword kw or fails with "expected WHAT". */
static int expect_kw(wql_parser *p, wql_kw kw, const char *what)
{
    if (!wql_parser_is(p, kw))
        return wql_parser_expected(p, what);
    return wql_parser_advance(p);
}

int wql_parse_select(wql_parser *p, wql_select **out)
{
    *out = NULL;
    wql_select *s = NULL;
    int rc = wql_parser_enter(p);
    if (rc != 0)
        goto out;
    s = util_arena_alloc(p->arena, sizeof(*s));
    if (s == NULL) {
        rc = wql_parser_nomem(p, p->tok.loc);
        goto out;
    }
    s->loc = p->tok.loc;
    rc = expect_kw(p, WQL_KW_SELECT, "SELECT");
    if (rc == 0 && wql_parser_is(p, WQL_KW_DISTINCT)) {
        s->distinct = true;
        rc = wql_parser_advance(p);
    } else if (rc == 0 && wql_parser_is(p, WQL_KW_ALL)) {
        rc = wql_parser_advance(p);
    }
    if (rc == 0)
        rc = parse_cols(p, s);
    if (rc == 0)
        rc = expect_kw(p, WQL_KW_FROM, "',' or FROM");
    if (rc == 0)
        rc = parse_from(p, s);
    if (rc == 0 && wql_parser_is(p, WQL_KW_WHERE)) {
        rc = wql_parser_advance(p);
        if (rc == 0)
            rc = wql_parse_expr(p, &s->where);
    }
    if (rc == 0 && wql_parser_is(p, WQL_KW_ORDER)) {
        rc = wql_parser_advance(p);
        if (rc == 0)
            rc = expect_kw(p, WQL_KW_BY, "BY after ORDER");
        if (rc == 0)
            rc = parse_order(p, s);
    }
    if (rc == 0)
        *out = s;
out:
    wql_parser_leave(p);
    return rc;
}

/* Reports the first token of a statement that is not SELECT. */
static int not_select(wql_parser *p)
{
    if (p->tok.kind == WQL_T_EOF)
        return util_error_set(p->err, SMSPROV_EINVALID_QUERY, 0, "empty query");
    if (p->tok.kind != WQL_T_IDENT)
        return wql_parser_expected(p, "SELECT");
    char found[64];
    wql_parser_describe(p, &p->tok, found, sizeof(found));
    return util_error_set(p->err, SMSPROV_EINVALID_QUERY, p->tok.loc,
                          "only SELECT queries are supported, found %s", found);
}

int wql_parse(wql_select **out, util_arena *a, const char *text, size_t len,
              smsprov_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || a == NULL || (text == NULL && len > 0))
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "wql_parse: missing argument");
    if (len > WQL_MAX_TEXT)
        return util_error_set(err, SMSPROV_ETOOBIG, 0,
                              "the query is longer than %d bytes",
                              WQL_MAX_TEXT);
    wql_parser p;
    memset(&p, 0, sizeof(p));
    wql_lex_init(&p.lx, text != NULL ? text : "", len);
    p.arena = a;
    p.err = err;
    wql_select *s = NULL;
    int rc = wql_parser_advance(&p);
    if (rc == 0 && !wql_parser_is(&p, WQL_KW_SELECT))
        rc = not_select(&p);
    if (rc == 0)
        rc = wql_parse_select(&p, &s);
    if (rc == 0 && p.tok.kind == WQL_T_SEMI)
        rc = wql_parser_advance(&p);
    if (rc == 0 && p.tok.kind != WQL_T_EOF) {
        char found[64];
        wql_parser_describe(&p, &p.tok, found, sizeof(found));
        rc = util_error_set(err, SMSPROV_EINVALID_QUERY, p.tok.loc,
                            "unexpected %s after the end of the query", found);
    }
    if (rc == 0)
        *out = s;
    return rc;
}
