/* SPDX-License-Identifier: MIT */
/*
 * WQL parser, expression level: OR < AND < NOT < predicates (comparison,
 * [NOT] LIKE, [NOT] IN (list | subquery), IS [NOT] NULL) < unary minus <
 * primaries (literals, [qual.]name, name(args), parentheses), plus the
 * select-list items.  AND/OR chains are built right-leaning in a loop; only
 * nested conditions, NOT and unary minus recurse, bounded by WQL_MAX_DEPTH.
 */
#include <string.h>

#include "wql/wql_int.h"

static int parse_unary(wql_parser *p, wql_node **out);

/* Token text as a slice of the query. */
static const char *tok_text(const wql_parser *p, const wql_token *t)
{
    return p->lx.text + t->loc;
}

/*
 * Builds an integer or real literal from the number token num; sign is the
 * '-' or '+' token before it or NULL.  Integers must fit int64 (after the
 * sign); hex (0x..) is read as an unsigned magnitude.
 */
static int make_number(wql_parser *p, const wql_token *num,
                       const wql_token *sign, wql_node **out)
{
    const wql_token *first = sign != NULL ? sign : num;
    bool neg = sign != NULL && sign->kind == WQL_T_MINUS;
    const char *z = tok_text(p, num);
    size_t n = (size_t)num->len;
    wql_node *node = wql_parser_node(
        p, num->kind == WQL_T_INT ? WQL_N_INT : WQL_N_REAL, first);
    if (node == NULL)
        return SMSPROV_ENOMEM;
    node->len = num->loc + num->len - first->loc;
    node->text =
        util_arena_printf(p->arena, "%s%.*s", neg ? "-" : "", (int)n, z);
    if (node->text == NULL)
        return wql_parser_nomem(p, first->loc);
    node->text_len = strlen(node->text);
    if (num->kind == WQL_T_REAL) {
        int rc = util_parse_double(z, n, &node->rval);
        if (rc != 0)
            return util_error_set(
                p->err, SMSPROV_EINVALID_QUERY, first->loc, "number %s",
                rc == SMSPROV_EOUT_OF_RANGE ? "out of range" : "is not valid");
        if (neg)
            node->rval = -node->rval;
        *out = node;
        return 0;
    }
    uint64_t mag = 0;
    bool over = false;
    if (n > 2 && z[0] == '0' && (z[1] == 'x' || z[1] == 'X')) {
        for (size_t i = 2; i < n && !over; i++) {
            char c = z[i];
            unsigned d = c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' ? (unsigned)(c - 'a' + 10)
                                    : (unsigned)(c - 'A' + 10);
            over = mag > (UINT64_MAX >> 4);
            mag = (mag << 4) | d;
        }
    } else {
        over = util_parse_u64(z, n, UINT64_MAX, &mag) != 0;
    }
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (over || mag > limit)
        return util_error_set(p->err, SMSPROV_EINVALID_QUERY, first->loc,
                              "integer %s is out of range", node->text);
    if (!neg)
        node->ival = (int64_t)mag;
    else if (mag == (uint64_t)INT64_MAX + 1)
        node->ival = INT64_MIN;
    else
        node->ival = -(int64_t)mag;
    *out = node;
    return 0;
}

/*
 * Builds a string literal node: the text between the quotes with '' (or
 * "" in a double-quoted string) read as one quote and the backslash escapes
 * \\ \' \" read as the escaped character; any other backslash stays.
 */
static int make_string(wql_parser *p, const wql_token *t, wql_node **out)
{
    const char *raw = tok_text(p, t) + 1;
    size_t rawlen = (size_t)t->len - 2;
    char q = raw[-1];
    wql_node *node = wql_parser_node(p, WQL_N_STRING, t);
    char *s = util_arena_alloc(p->arena, rawlen + 1);
    if (node == NULL || s == NULL)
        return wql_parser_nomem(p, t->loc);
    size_t n = 0;
    for (size_t i = 0; i < rawlen; i++) {
        char c = raw[i];
        if (c == '\\' && i + 1 < rawlen &&
            (raw[i + 1] == '\\' || raw[i + 1] == '\'' || raw[i + 1] == '"'))
            c = raw[++i];
        else if (c == q && i + 1 < rawlen && raw[i + 1] == q)
            i++;
        s[n++] = c;
    }
    s[n] = '\0';
    node->quote = q;
    node->text = s;
    node->text_len = n;
    *out = node;
    return 0;
}

/* Parses a function's arguments after its '(' into f (up to ')'). */
static int parse_args(wql_parser *p, wql_node *f)
{
    uint32_t cap = 0;
    int rc = wql_parser_advance(p);
    if (rc != 0 || p->tok.kind == WQL_T_RPAREN)
        return rc != 0 ? rc : wql_parser_advance(p);
    if (wql_parser_is(p, WQL_KW_DISTINCT)) {
        f->distinct = true;
        rc = wql_parser_advance(p);
        if (rc != 0)
            return rc;
    }
    for (;;) {
        if (f->nlist >= WQL_MAX_LIST)
            return util_error_set(p->err, SMSPROV_ETOOBIG, p->tok.loc,
                                  "more than %d function arguments",
                                  WQL_MAX_LIST);
        wql_node *arg = NULL;
        if (p->tok.kind == WQL_T_STAR) {
            arg = wql_parser_node(p, WQL_N_STAR, &p->tok);
            rc = arg == NULL ? SMSPROV_ENOMEM : wql_parser_advance(p);
        } else {
            rc = wql_parse_expr(p, &arg);
        }
        if (rc != 0)
            return rc;
        wql_node **list = wql_parser_grow(p, f->list, f->nlist, &cap,
                                          sizeof(*list), arg->loc);
        if (list == NULL)
            return SMSPROV_ENOMEM;
        f->list = list;
        f->list[f->nlist++] = arg;
        if (p->tok.kind != WQL_T_COMMA)
            break;
        rc = wql_parser_advance(p);
        if (rc != 0)
            return rc;
    }
    if (p->tok.kind != WQL_T_RPAREN)
        return wql_parser_expected(p, "',' or ')'");
    return wql_parser_advance(p);
}

/*
 * Parses a name at the current token: name, qual.name, qual.* (only when
 * allow_star) or name(args).  A qualified name's len spans "qual.name".
 */
static int parse_name(wql_parser *p, bool allow_star, wql_node **out)
{
    wql_token first = p->tok;
    char *name = wql_parser_name(p, &first);
    if (name == NULL)
        return SMSPROV_ENOMEM;
    int rc = wql_parser_advance(p);
    if (rc != 0)
        return rc;
    if (p->tok.kind == WQL_T_LPAREN) {
        wql_node *f = wql_parser_node(p, WQL_N_FUNC, &first);
        if (f == NULL)
            return SMSPROV_ENOMEM;
        f->text = name;
        f->text_len = (size_t)first.len;
        *out = f;
        return parse_args(p, f); /* each argument is one nesting level */
    }
    if (p->tok.kind != WQL_T_DOT) {
        wql_node *c = wql_parser_node(p, WQL_N_COLUMN, &first);
        if (c == NULL)
            return SMSPROV_ENOMEM;
        c->text = name;
        c->text_len = (size_t)first.len;
        *out = c;
        return 0;
    }
    rc = wql_parser_advance(p);
    if (rc != 0)
        return rc;
    wql_node *c = NULL;
    if (p->tok.kind == WQL_T_STAR && allow_star) {
        c = wql_parser_node(p, WQL_N_STAR, &first);
    } else if (p->tok.kind == WQL_T_STAR) {
        return util_error_set(p->err, SMSPROV_EINVALID_QUERY, p->tok.loc,
                              "'%s.*' is only allowed in the select list",
                              name);
    } else if (wql_parser_name_ok(&p->tok)) {
        c = wql_parser_node(p, WQL_N_COLUMN, &first);
        if (c != NULL) {
            c->text = wql_parser_name(p, &p->tok);
            c->text_len = (size_t)p->tok.len;
        }
    } else {
        return wql_parser_expected(p, "a property name after '.'");
    }
    if (c == NULL || (c->kind == WQL_N_COLUMN && c->text == NULL))
        return SMSPROV_ENOMEM;
    c->qual = name;
    c->len = p->tok.loc + p->tok.len - first.loc;
    *out = c;
    rc = wql_parser_advance(p);
    if (rc == 0 && p->tok.kind == WQL_T_DOT)
        rc = util_error_set(p->err, SMSPROV_EINVALID_QUERY, p->tok.loc,
                            "nested property names (a.b.c) are not "
                            "supported");
    return rc;
}

int wql_parse_select_item(wql_parser *p, wql_node **out)
{
    if (p->tok.kind == WQL_T_STAR) {
        *out = wql_parser_node(p, WQL_N_STAR, &p->tok);
        return *out == NULL ? SMSPROV_ENOMEM : wql_parser_advance(p);
    }
    if (!wql_parser_name_ok(&p->tok))
        return wql_parser_expected(p, "a property name, '*' or a function");
    return parse_name(p, true, out);
}

/* Parses a literal, name, call or parenthesized condition. */
static int parse_primary(wql_parser *p, wql_node **out)
{
    wql_token t = p->tok;
    int rc = 0;
    switch (t.kind) {
    case WQL_T_INT:
    case WQL_T_REAL:
        rc = make_number(p, &t, NULL, out);
        break;
    case WQL_T_STRING:
        rc = make_string(p, &t, out);
        break;
    case WQL_T_LPAREN:
        rc = wql_parser_advance(p);
        if (rc == 0 && wql_parser_is(p, WQL_KW_SELECT))
            return util_error_set(p->err, SMSPROV_EINVALID_QUERY, p->tok.loc,
                                  "a subquery is only allowed after IN");
        if (rc == 0)
            rc = wql_parse_expr(p, out);
        if (rc == 0 && p->tok.kind != WQL_T_RPAREN)
            rc = wql_parser_expected(p, "')'");
        break;
    case WQL_T_STAR:
        return util_error_set(p->err, SMSPROV_EINVALID_QUERY, t.loc,
                              "'*' is only allowed in the select list "
                              "and in COUNT(*)");
    case WQL_T_IDENT:
        if (t.kw == WQL_KW_TRUE || t.kw == WQL_KW_FALSE) {
            *out = wql_parser_node(p, WQL_N_BOOL, &t);
            if (*out != NULL)
                (*out)->ival = t.kw == WQL_KW_TRUE;
        } else if (t.kw == WQL_KW_NULL) {
            *out = wql_parser_node(p, WQL_N_NULL, &t);
        } else if (wql_parser_name_ok(&t)) {
            return parse_name(p, false, out);
        } else {
            return wql_parser_expected(p, "an expression");
        }
        if (*out == NULL)
            return SMSPROV_ENOMEM;
        break;
    default:
        return wql_parser_expected(p, "an expression");
    }
    if (rc == 0)
        rc = wql_parser_advance(p);
    return rc;
}

/* Parses [-|+] primary; a sign before a number literal folds into it. */
static int parse_unary(wql_parser *p, wql_node **out)
{
    if (p->tok.kind != WQL_T_MINUS && p->tok.kind != WQL_T_PLUS)
        return parse_primary(p, out);
    wql_token sign = p->tok;
    int rc = wql_parser_advance(p);
    if (rc != 0)
        return rc;
    if (p->tok.kind == WQL_T_INT || p->tok.kind == WQL_T_REAL) {
        wql_token num = p->tok;
        rc = make_number(p, &num, &sign, out);
        return rc != 0 ? rc : wql_parser_advance(p);
    }
    if (sign.kind == WQL_T_PLUS)
        return wql_parser_expected(p, "a number after '+'");
    wql_node *n = wql_parser_node(p, WQL_N_NEG, &sign);
    if (n == NULL)
        return SMSPROV_ENOMEM;
    *out = n;
    rc = wql_parser_enter(p);
    if (rc == 0)
        rc = parse_unary(p, &n->a);
    wql_parser_leave(p);
    return rc;
}

/* Parses the "( SELECT ... )" or "( v, ... )" after IN into n. */
static int parse_in(wql_parser *p, wql_node *n)
{
    if (p->tok.kind != WQL_T_LPAREN)
        return wql_parser_expected(p, "'(' after IN");
    int rc = wql_parser_advance(p);
    if (rc != 0)
        return rc;
    if (wql_parser_is(p, WQL_KW_SELECT)) {
        n->kind = WQL_N_IN_SELECT;
        rc = wql_parse_select(p, &n->sub);
    } else {
        uint32_t cap = 0;
        for (;;) {
            if (n->nlist >= WQL_MAX_LIST)
                return util_error_set(p->err, SMSPROV_ETOOBIG, p->tok.loc,
                                      "more than %d values in an IN list",
                                      WQL_MAX_LIST);
            wql_node *v = NULL;
            rc = wql_parse_expr(p, &v);
            if (rc != 0)
                return rc;
            wql_node **list = wql_parser_grow(p, n->list, n->nlist, &cap,
                                              sizeof(*list), v->loc);
            if (list == NULL)
                return SMSPROV_ENOMEM;
            n->list = list;
            n->list[n->nlist++] = v;
            if (p->tok.kind != WQL_T_COMMA)
                break;
            rc = wql_parser_advance(p);
            if (rc != 0)
                return rc;
        }
    }
    if (rc == 0 && p->tok.kind != WQL_T_RPAREN)
        rc = wql_parser_expected(p, n->kind == WQL_N_IN_LIST ? "',' or ')'"
                                                             : "')'");
    if (rc == 0)
        rc = wql_parser_advance(p);
    return rc;
}

/* Maps a comparison token to its operator; -1 when it is not one. */
static int cmp_op(wql_tok kind)
{
    switch (kind) {
    case WQL_T_EQ:
        return WQL_EQ;
    case WQL_T_NE:
        return WQL_NE;
    case WQL_T_LT:
        return WQL_LT;
    case WQL_T_LE:
        return WQL_LE;
    case WQL_T_GT:
        return WQL_GT;
    case WQL_T_GE:
        return WQL_GE;
    default:
        return -1;
    }
}

/*
 * Parses one predicate: operand [op operand | [NOT] LIKE operand |
 * [NOT] IN (...) | IS [NOT] NULL].  The node's loc is its left operand's.
 */
static int parse_pred(wql_parser *p, wql_node **out)
{
    wql_node *left = NULL;
    int rc = parse_unary(p, &left);
    if (rc != 0)
        return rc;
    *out = left;
    wql_token left_tok = {WQL_T_IDENT, WQL_KW_NONE, left->loc, left->len};
    int op = cmp_op(p->tok.kind);
    wql_node_kind kind;
    if (op >= 0)
        kind = WQL_N_CMP;
    else if (wql_parser_is(p, WQL_KW_NOT) || wql_parser_is(p, WQL_KW_LIKE))
        kind = WQL_N_LIKE; /* or IN, decided after NOT */
    else if (wql_parser_is(p, WQL_KW_IN))
        kind = WQL_N_IN_LIST;
    else if (wql_parser_is(p, WQL_KW_IS))
        kind = WQL_N_IS_NULL;
    else
        return 0;
    wql_node *n = wql_parser_node(p, kind, &left_tok);
    if (n == NULL)
        return SMSPROV_ENOMEM;
    n->a = left;
    n->op = op < 0 ? 0 : op;
    *out = n;
    if (wql_parser_is(p, WQL_KW_NOT)) {
        n->negated = true;
        rc = wql_parser_advance(p);
        if (rc != 0)
            return rc;
        if (wql_parser_is(p, WQL_KW_IN))
            n->kind = WQL_N_IN_LIST;
        else if (!wql_parser_is(p, WQL_KW_LIKE))
            return wql_parser_expected(p, "LIKE or IN after NOT");
    }
    rc = wql_parser_advance(p); /* the operator, LIKE, IN or IS */
    if (rc != 0)
        return rc;
    switch (n->kind) {
    case WQL_N_IN_LIST:
        rc = parse_in(p, n);
        break;
    case WQL_N_IS_NULL:
        if (wql_parser_is(p, WQL_KW_NOT)) {
            n->negated = true;
            rc = wql_parser_advance(p);
        }
        if (rc == 0 && !wql_parser_is(p, WQL_KW_NULL))
            return wql_parser_expected(p, n->negated ? "NULL" : "[NOT] NULL");
        if (rc == 0)
            rc = wql_parser_advance(p);
        break;
    default:
        rc = parse_unary(p, &n->b);
        break;
    }
    if (rc == 0 && cmp_op(p->tok.kind) >= 0)
        rc = wql_parser_expected(p, "AND, OR or the end of the condition");
    return rc;
}

/* Parses NOT* predicate; each NOT is one nesting level. */
static int parse_not(wql_parser *p, wql_node **out)
{
    if (!wql_parser_is(p, WQL_KW_NOT))
        return parse_pred(p, out);
    wql_node *n = wql_parser_node(p, WQL_N_NOT, &p->tok);
    if (n == NULL)
        return SMSPROV_ENOMEM;
    *out = n;
    int rc = wql_parser_enter(p);
    if (rc == 0)
        rc = wql_parser_advance(p);
    if (rc == 0)
        rc = parse_not(p, &n->a);
    wql_parser_leave(p);
    return rc;
}

/*
 * Parses operand {KW operand} for KW = AND (operands via parse_not) or OR
 * (operands via AND chains), building a right-leaning chain with a loop:
 * a AND b AND c is (AND a (AND b c)).
 */
static int parse_chain(wql_parser *p, wql_kw kw, wql_node **out)
{
    wql_node **slot = out;
    int rc =
        kw == WQL_KW_AND ? parse_not(p, out) : parse_chain(p, WQL_KW_AND, out);
    while (rc == 0 && wql_parser_is(p, kw)) {
        rc = wql_parser_advance(p);
        wql_node *rhs = NULL;
        if (rc == 0)
            rc = kw == WQL_KW_AND ? parse_not(p, &rhs)
                                  : parse_chain(p, WQL_KW_AND, &rhs);
        if (rc != 0)
            return rc;
        wql_token first = {WQL_T_IDENT, kw, (*slot)->loc, (*slot)->len};
        wql_node *n =
            wql_parser_node(p, kw == WQL_KW_AND ? WQL_N_AND : WQL_N_OR, &first);
        if (n == NULL)
            return SMSPROV_ENOMEM;
        n->a = *slot;
        n->b = rhs;
        *slot = n;
        slot = &n->b;
    }
    return rc;
}

int wql_parse_expr(wql_parser *p, wql_node **out)
{
    *out = NULL;
    int rc = wql_parser_enter(p);
    if (rc == 0)
        rc = parse_chain(p, WQL_KW_OR, out);
    wql_parser_leave(p);
    return rc;
}
