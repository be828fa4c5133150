/* SPDX-License-Identifier: MIT */
/*
 * OData $filter grammar to the WQL syntax tree: comparisons, and or not,
 * parentheses, in, startswith/endswith/contains with or without `eq true`,
 * tolower/toupper, lambda any/all on arrays, so that OData runs through
 * the one query engine.
 */
#include <string.h>

#include "http/odata_int.h"

/* Escapes a literal for LIKE: % _ [ become [%] [_] [[]. */
static char *like_escape(oparser *p, const char *s, size_t n, bool lead,
                         bool trail, size_t *outn)
{
    char *v = util_arena_alloc(p->a, n * 3 + 3);
    size_t o = 0;
    if (v == NULL)
        return NULL;
    if (lead)
        v[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '[') {
            v[o++] = '[';
            v[o++] = s[i];
            v[o++] = ']';
        } else {
            v[o++] = s[i];
        }
    }
    if (trail)
        v[o++] = '%';
    v[o] = '\0';
    *outn = o;
    return v;
}

/* A member: Property, or the lambda variable. */
static int member(oparser *p, wql_node **out)
{
    size_t at = p->tpos, n = p->tlen;
    if (p->lvar && n == p->lvar_len && memcmp(p->s + at, p->lvar, n) == 0) {
        *out = p->lcol;
        return odata_next(p);
    }
    wql_node *c = odata_node(p, WQL_N_COLUMN, at);
    if (c == NULL)
        return SMSPROV_ENOMEM;
    c->text = util_arena_strndup(p->a, p->s + at, n);
    c->text_len = n;
    *out = c;
    return odata_next(p);
}

/* Negates a lambda body for all(): NOT (any element fails). */
static wql_node *negate(oparser *p, wql_node *b)
{
    wql_node *n = odata_node(p, WQL_N_NOT, (size_t)(b->loc < 0 ? 0 : b->loc));
    if (n)
        n->a = b;
    return n;
}

/* Inverts a comparison so that any(x: not B) can be pushed to the
 * array-element lookup: eq<->ne, lt<->ge, gt<->le; LIKE/IN toggled. */
static int invert(oparser *p, wql_node *b, wql_node **out)
{
    static const int inv[] = {WQL_NE, WQL_EQ, WQL_GE, WQL_GT, WQL_LE, WQL_LT};
    switch (b->kind) {
    case WQL_N_CMP:
        b->op = inv[b->op];
        *out = b;
        return 0;
    case WQL_N_LIKE:
    case WQL_N_IN_LIST:
        b->negated = !b->negated;
        *out = b;
        return 0;
    case WQL_N_AND:
    case WQL_N_OR: {
        int rc = invert(p, b->a, &b->a);
        if (rc == 0)
            rc = invert(p, b->b, &b->b);
        b->kind = b->kind == WQL_N_AND ? WQL_N_OR : WQL_N_AND;
        *out = b;
        return rc;
    }
    case WQL_N_NOT:
        *out = b->a;
        return 0;
    default:
        return odata_fail(p, (size_t)b->loc, "unsupported condition in all()",
                          NULL);
    }
}

/* Prop/any(x: cond) or Prop/all(x: cond) after the '/'. */
static int lambda(oparser *p, wql_node *col, wql_node **out)
{
    bool all = odata_tok_is(p, "all");
    size_t at = p->tpos;
    if (!all && !odata_tok_is(p, "any"))
        return odata_fail(p, p->tpos, "expected any or all after '/'", NULL);
    if (col->kind != WQL_N_COLUMN)
        return odata_fail(p, at, "any/all needs an array property", NULL);
    if (p->lvar)
        return odata_fail(p, at, "nested any/all is not supported", NULL);
    int rc = odata_next(p);
    if (rc == 0)
        rc = odata_expect(p, OT_LPAREN, "'('");
    if (rc != 0)
        return rc;
    if (p->tok != OT_IDENT)
        return odata_fail(p, p->tpos, "expected a lambda variable", NULL);
    p->lvar = p->s + p->tpos;
    p->lvar_len = p->tlen;
    p->lcol = col;
    wql_node *body = NULL;
    rc = odata_next(p);
    if (rc == 0)
        rc = odata_expect(p, OT_COLON, "':'");
    if (rc == 0)
        rc = odata_parse_or(p, &body);
    p->lvar = NULL;
    p->lcol = NULL;
    if (rc == 0)
        rc = odata_expect(p, OT_RPAREN, "')'");
    if (rc != 0)
        return rc;
    if (!all) {
        *out = body;
        return 0;
    }
    rc = invert(p, body, &body);
    if (rc == 0 && (*out = negate(p, body)) == NULL)
        rc = SMSPROV_ENOMEM;
    return rc;
}

/* startswith/endswith/contains(member, 'text') -> LIKE. */
static int like_func(oparser *p, int kind, size_t at, wql_node **out)
{
    wql_node *col = NULL, *lit = NULL;
    int rc = odata_expect(p, OT_LPAREN, "'('");
    if (rc == 0 && p->tok != OT_IDENT)
        return odata_fail(p, p->tpos, "expected a property name", NULL);
    if (rc == 0)
        rc = member(p, &col);
    if (rc == 0)
        rc = odata_expect(p, OT_COMMA, "','");
    if (rc != 0)
        return rc;
    if (p->tok != OT_STRING)
        return odata_fail(p, p->tpos, "expected a quoted string", NULL);
    lit = odata_node(p, WQL_N_STRING, p->tpos);
    if (lit == NULL)
        return SMSPROV_ENOMEM;
    lit->quote = '\'';
    lit->text = like_escape(p, p->str, p->str_len, kind != 0, kind != 1,
                            &lit->text_len);
    if (lit->text == NULL)
        return SMSPROV_ENOMEM;
    rc = odata_next(p);
    if (rc == 0)
        rc = odata_expect(p, OT_RPAREN, "')'");
    if (rc != 0)
        return rc;
    wql_node *l = odata_node(p, WQL_N_LIKE, at);
    if (l == NULL)
        return SMSPROV_ENOMEM;
    l->a = col;
    l->b = lit;
    *out = l;
    return 0;
}

/* A literal at the current token. */
static int literal(oparser *p, wql_node **out)
{
    wql_node *n = NULL;
    size_t at = p->tpos;
    switch (p->tok) {
    case OT_STRING:
        n = odata_node(p, WQL_N_STRING, at);
        if (n) {
            n->quote = '\'';
            n->text = p->str;
            n->text_len = p->str_len;
        }
        break;
    case OT_INT: {
        int64_t v = 0;
        if (util_parse_i64(p->s + at, p->tlen, INT64_MIN, INT64_MAX, &v) != 0)
            return odata_fail(p, at, "integer out of range", NULL);
        n = odata_node(p, WQL_N_INT, at);
        if (n) {
            n->ival = v;
            n->text = util_arena_strndup(p->a, p->s + at, p->tlen);
            n->text_len = p->tlen;
        }
        break;
    }
    case OT_REAL: {
        double d = 0;
        if (util_parse_double(p->s + at, p->tlen, &d) != 0)
            return odata_fail(p, at, "bad number", NULL);
        n = odata_node(p, WQL_N_REAL, at);
        if (n)
            n->rval = d;
        break;
    }
    case OT_DATE:
        /* an unquoted ISO date-time is compared as a date string */
        n = odata_node(p, WQL_N_STRING, at);
        if (n) {
            n->quote = '\'';
            n->text = util_arena_strndup(p->a, p->s + at, p->tlen);
            n->text_len = p->tlen;
        }
        break;
    default:
        if (odata_tok_is(p, "true") || odata_tok_is(p, "false")) {
            n = odata_node(p, WQL_N_BOOL, at);
            if (n)
                n->ival = odata_tok_is(p, "true");
        } else if (odata_tok_is(p, "null")) {
            n = odata_node(p, WQL_N_NULL, at);
        } else {
            return odata_fail(p, at, "expected a value", NULL);
        }
    }
    if (n == NULL)
        return SMSPROV_ENOMEM;
    *out = n;
    return odata_next(p);
}

/* An operand: ( expr ), function call, literal or member[/any(...)]. */
static int primary(oparser *p, wql_node **out)
{
    size_t at = p->tpos;
    int rc;
    if (p->tok == OT_LPAREN) {
        if (++p->depth > HTTP_MAX_FILTER_DEPTH)
            return util_error_set(p->err, SMSPROV_ETOOBIG, (int)at,
                                  "$filter position %zu: nested too deeply",
                                  at + 1);
        rc = odata_next(p);
        if (rc == 0)
            rc = odata_parse_or(p, out);
        if (rc == 0)
            rc = odata_expect(p, OT_RPAREN, "')'");
        p->depth--;
        return rc;
    }
    if (p->tok == OT_IDENT) {
        int like = odata_tok_is(p, "startswith") ? 0
                   : odata_tok_is(p, "endswith") ? 1
                   : odata_tok_is(p, "contains") ? 2
                                                 : -1;
        bool lower = odata_tok_is(p, "tolower"),
             upper = odata_tok_is(p, "toupper");
        bool isword = odata_tok_is(p, "true") || odata_tok_is(p, "false") ||
                      odata_tok_is(p, "null");
        if (like >= 0 || lower || upper) {
            rc = odata_next(p);
            if (rc != 0)
                return rc;
            if (p->tok != OT_LPAREN)
                return odata_fail(p, p->tpos, "expected '('", NULL);
            if (like >= 0)
                return like_func(p, like, at, out);
            wql_node *f = odata_node(p, WQL_N_FUNC, at), *arg = NULL;
            if (f == NULL)
                return SMSPROV_ENOMEM;
            f->text = lower ? "LOWER" : "UPPER";
            f->text_len = 5;
            rc = odata_next(p);
            if (rc == 0)
                rc = primary(p, &arg);
            if (rc == 0)
                rc = odata_expect(p, OT_RPAREN, "')'");
            if (rc != 0)
                return rc;
            f->list = util_arena_alloc(p->a, sizeof(wql_node *));
            if (f->list == NULL)
                return SMSPROV_ENOMEM;
            f->list[0] = arg;
            f->nlist = 1;
            *out = f;
            return 0;
        }
        if (!isword) {
            wql_node *col = NULL;
            rc = member(p, &col);
            if (rc == 0 && p->tok == OT_SLASH) {
                rc = odata_next(p);
                if (rc == 0)
                    rc = lambda(p, col, out);
                return rc;
            }
            if (rc == 0 && p->tok == OT_LPAREN)
                return odata_fail(
                    p, at, "unknown function ",
                    util_arena_strndup(p->a, p->s + at, (size_t)col->len));
            *out = col;
            return rc;
        }
    }
    return literal(p, out);
}

static int cmp_op(const oparser *p)
{
    static const char *const ops[] = {"eq", "ne", "lt", "le", "gt", "ge"};
    static const int codes[] = {WQL_EQ, WQL_NE, WQL_LT, WQL_LE, WQL_GT, WQL_GE};
    for (int i = 0; i < 6; i++)
        if (odata_tok_is(p, ops[i]))
            return codes[i];
    return -1;
}

/* operand [op operand | in (list)] */
static int comparison(oparser *p, wql_node **out)
{
    wql_node *a = NULL;
    int rc = primary(p, &a);
    if (rc != 0)
        return rc;
    int op = cmp_op(p);
    size_t at = p->tpos;
    if (op >= 0) {
        wql_node *b = NULL;
        rc = odata_next(p);
        if (rc == 0)
            rc = primary(p, &b);
        if (rc != 0)
            return rc;
        /* startswith(...) eq true / eq false */
        if (a->kind == WQL_N_LIKE && b->kind == WQL_N_BOOL &&
            (op == WQL_EQ || op == WQL_NE)) {
            a->negated = (b->ival == 0) != (op == WQL_NE);
            *out = a;
            return 0;
        }
        if (a->kind == WQL_N_LIKE || b->kind == WQL_N_LIKE)
            return odata_fail(
                p, at, "compare a string function with true or false", NULL);
        wql_node *c = odata_node(p, WQL_N_CMP, at);
        if (c == NULL)
            return SMSPROV_ENOMEM;
        if (b->kind == WQL_N_NULL && (op == WQL_EQ || op == WQL_NE)) {
            c->kind = WQL_N_IS_NULL;
            c->negated = op == WQL_NE;
            c->a = a;
        } else {
            c->op = op;
            c->a = a;
            c->b = b;
        }
        *out = c;
        return 0;
    }
    if (odata_tok_is(p, "in")) {
        wql_node *in = odata_node(p, WQL_N_IN_LIST, at);
        wql_node *items[WQL_MAX_LIST];
        uint32_t n = 0;
        if (in == NULL)
            return SMSPROV_ENOMEM;
        rc = odata_next(p);
        if (rc == 0)
            rc = odata_expect(p, OT_LPAREN, "'('");
        while (rc == 0) {
            if (n == WQL_MAX_LIST)
                return odata_fail(p, p->tpos, "too many values in 'in'", NULL);
            rc = literal(p, &items[n++]);
            if (rc == 0 && p->tok == OT_COMMA)
                rc = odata_next(p);
            else
                break;
        }
        if (rc == 0)
            rc = odata_expect(p, OT_RPAREN, "')'");
        if (rc != 0)
            return rc;
        in->a = a;
        in->list = util_arena_alloc(p->a, sizeof(wql_node *) * n);
        if (in->list == NULL)
            return SMSPROV_ENOMEM;
        memcpy(in->list, items, sizeof(wql_node *) * n);
        in->nlist = n;
        *out = in;
        return 0;
    }
    *out = a;
    return 0;
}

static int parse_not(oparser *p, wql_node **out)
{
    if (odata_tok_is(p, "not")) {
        size_t at = p->tpos;
        wql_node *n = odata_node(p, WQL_N_NOT, at);
        if (n == NULL)
            return SMSPROV_ENOMEM;
        if (++p->depth > HTTP_MAX_FILTER_DEPTH)
            return util_error_set(p->err, SMSPROV_ETOOBIG, (int)at,
                                  "$filter position %zu: nested too deeply",
                                  at + 1);
        int rc = odata_next(p);
        if (rc == 0)
            rc = parse_not(p, &n->a);
        p->depth--;
        *out = n;
        return rc;
    }
    return comparison(p, out);
}

/* A chain of `word`-joined terms, right-leaning like the WQL parser's
 * (a and b and c is (and a (and b c))) so the planner walks it flat. */
static int chain(oparser *p, wql_node **out, const char *word,
                 wql_node_kind kind, int (*sub)(oparser *, wql_node **))
{
    wql_node **slot = out;
    int rc = sub(p, out);
    while (rc == 0 && odata_tok_is(p, word)) {
        wql_node *n = odata_node(p, kind, (size_t)((*slot)->loc));
        if (n == NULL)
            return SMSPROV_ENOMEM;
        n->a = *slot;
        rc = odata_next(p);
        if (rc == 0)
            rc = sub(p, &n->b);
        *slot = n;
        slot = &n->b;
    }
    return rc;
}

static int parse_and(oparser *p, wql_node **out)
{
    return chain(p, out, "and", WQL_N_AND, parse_not);
}

int odata_parse_or(oparser *p, wql_node **out)
{
    return chain(p, out, "or", WQL_N_OR, parse_and);
}

int odata_filter_parse(wql_node **out, util_arena *a, const char *text,
                       size_t len, smsprov_error *err)
{
    oparser p;
    memset(&p, 0, sizeof(p));
    p.s = text;
    p.n = len;
    p.a = a;
    p.err = err;
    *out = NULL;
    if (len > HTTP_MAX_FILTER)
        return util_error_set(err, SMSPROV_ETOOBIG, 0,
                              "$filter is longer than %d bytes",
                              HTTP_MAX_FILTER);
    int rc = odata_next(&p);
    if (rc == 0 && p.tok == OT_EOF)
        return odata_fail(&p, 0, "empty $filter", NULL);
    if (rc == 0)
        rc = odata_parse_or(&p, out);
    if (rc == 0 && p.tok != OT_EOF)
        rc =
            odata_fail(&p, p.tpos, "unexpected text after the condition", NULL);
    if (rc != 0)
        *out = NULL;
    return rc;
}
