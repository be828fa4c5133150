/* SPDX-License-Identifier: MIT */
/*
 * OData query options to the WQL syntax tree: $filter (comparisons, and or
 * not, parentheses, in, startswith/endswith/contains with or without
 * `eq true`, tolower/toupper, lambda any/all on arrays), $select and
 * $orderby, so that OData runs through the one query engine.
 */
#include <string.h>

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

static int fail(oparser *p, size_t at, const char *fmt, const char *what)
{
    return util_error_set(p->err, SMSPROV_EINVALID_QUERY, (int)at,
                          "$filter position %zu: %s%s", at + 1, fmt,
                          what ? what : "");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ident_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && is_digit(c));
}

/* Reads the next token. */
static int next(oparser *p)
{
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t'))
        p->pos++;
    p->tpos = p->pos;
    if (p->pos >= p->n) {
        p->tok = OT_EOF;
        p->tlen = 0;
        return 0;
    }
    char c = p->s[p->pos];
    const char *s = p->s;
    size_t i = p->pos;
    switch (c) {
    case '(':
        p->tok = OT_LPAREN;
        p->pos++;
        break;
    case ')':
        p->tok = OT_RPAREN;
        p->pos++;
        break;
    case ',':
        p->tok = OT_COMMA;
        p->pos++;
        break;
    case ':':
        p->tok = OT_COLON;
        p->pos++;
        break;
    case '/':
        p->tok = OT_SLASH;
        p->pos++;
        break;
    case '\'': {
        char *v = util_arena_alloc(p->a, p->n - i + 1);
        size_t o = 0;
        if (v == NULL)
            return util_error_set(p->err, SMSPROV_ENOMEM, -1, "no memory");
        for (i++;; i++) {
            if (i >= p->n)
                return fail(p, p->tpos, "unterminated string", NULL);
            if (s[i] == '\'') {
                if (i + 1 < p->n && s[i + 1] == '\'') {
                    v[o++] = '\'';
                    i++;
                    continue;
                }
                break;
            }
            v[o++] = s[i];
        }
        v[o] = '\0';
        p->str = v;
        p->str_len = o;
        p->tok = OT_STRING;
        p->pos = i + 1;
        break;
    }
    default:
        if (is_digit(c) || c == '-') {
            size_t j = i + (c == '-');
            bool real = false, date = false;
            while (j < p->n && (is_digit(s[j]) || s[j] == '.' || s[j] == '-' ||
                                s[j] == ':' || s[j] == 'T' || s[j] == 'Z' ||
                                s[j] == '+' || s[j] == 'e' || s[j] == 'E')) {
                if (s[j] == '.' || s[j] == 'e' || s[j] == 'E')
                    real = true;
                if ((s[j] == '-' && j > i) || s[j] == 'T' || s[j] == ':')
                    date = true;
                j++;
            }
            if (j == i + (c == '-'))
                return fail(p, i, "unexpected character '-'", NULL);
            p->tok = date ? OT_DATE : real ? OT_REAL : OT_INT;
            p->pos = j;
        } else if (is_ident_char(c, true) || c == '$') {
            size_t j = i + 1;
            while (j < p->n && is_ident_char(s[j], false))
                j++;
            p->tok = OT_IDENT;
            p->pos = j;
        } else {
            char what[8];
            snprintf(what, sizeof(what), "%c'", c);
            return fail(p, i, "unexpected character '", what);
        }
    }
    p->tlen = p->pos - p->tpos;
    return 0;
}

static bool tok_is(const oparser *p, const char *word)
{
    return p->tok == OT_IDENT && strlen(word) == p->tlen &&
           util_strnicmp(p->s + p->tpos, word, p->tlen) == 0;
}

static wql_node *node(oparser *p, wql_node_kind k, size_t loc)
{
    wql_node *n = util_arena_alloc(p->a, sizeof(wql_node));
    if (n == NULL) {
        util_error_set(p->err, SMSPROV_ENOMEM, -1, "out of memory");
        return NULL;
    }
    n->kind = k;
    n->loc = (int)loc;
    n->len = (int)p->tlen;
    return n;
}

static int expect(oparser *p, otok t, const char *what)
{
    if (p->tok != t)
        return fail(p, p->tpos, "expected ", what);
    return next(p);
}

static int parse_or(oparser *p, wql_node **out);

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
        return next(p);
    }
    wql_node *c = node(p, WQL_N_COLUMN, at);
    if (c == NULL)
        return SMSPROV_ENOMEM;
    c->text = util_arena_strndup(p->a, p->s + at, n);
    c->text_len = n;
    *out = c;
    return next(p);
}

/* Negates a lambda body for all(): NOT (any element fails). */
static wql_node *negate(oparser *p, wql_node *b)
{
    wql_node *n = node(p, WQL_N_NOT, (size_t)(b->loc < 0 ? 0 : b->loc));
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
        return fail(p, (size_t)b->loc, "unsupported condition in all()", NULL);
    }
}

/* Prop/any(x: cond) or Prop/all(x: cond) after the '/'. */
static int lambda(oparser *p, wql_node *col, wql_node **out)
{
    bool all = tok_is(p, "all");
    size_t at = p->tpos;
    if (!all && !tok_is(p, "any"))
        return fail(p, p->tpos, "expected any or all after '/'", NULL);
    if (col->kind != WQL_N_COLUMN)
        return fail(p, at, "any/all needs an array property", NULL);
    if (p->lvar)
        return fail(p, at, "nested any/all is not supported", NULL);
    int rc = next(p);
    if (rc == 0)
        rc = expect(p, OT_LPAREN, "'('");
    if (rc != 0)
        return rc;
    if (p->tok != OT_IDENT)
        return fail(p, p->tpos, "expected a lambda variable", NULL);
    p->lvar = p->s + p->tpos;
    p->lvar_len = p->tlen;
    p->lcol = col;
    wql_node *body = NULL;
    rc = next(p);
    if (rc == 0)
        rc = expect(p, OT_COLON, "':'");
    if (rc == 0)
        rc = parse_or(p, &body);
    p->lvar = NULL;
    p->lcol = NULL;
    if (rc == 0)
        rc = expect(p, OT_RPAREN, "')'");
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
    int rc = expect(p, OT_LPAREN, "'('");
    if (rc == 0 && p->tok != OT_IDENT)
        return fail(p, p->tpos, "expected a property name", NULL);
    if (rc == 0)
        rc = member(p, &col);
    if (rc == 0)
        rc = expect(p, OT_COMMA, "','");
    if (rc != 0)
        return rc;
    if (p->tok != OT_STRING)
        return fail(p, p->tpos, "expected a quoted string", NULL);
    lit = node(p, WQL_N_STRING, p->tpos);
    if (lit == NULL)
        return SMSPROV_ENOMEM;
    lit->quote = '\'';
    lit->text = like_escape(p, p->str, p->str_len, kind != 0, kind != 1,
                            &lit->text_len);
    if (lit->text == NULL)
        return SMSPROV_ENOMEM;
    rc = next(p);
    if (rc == 0)
        rc = expect(p, OT_RPAREN, "')'");
    if (rc != 0)
        return rc;
    wql_node *l = node(p, WQL_N_LIKE, at);
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
        n = node(p, WQL_N_STRING, at);
        if (n) {
            n->quote = '\'';
            n->text = p->str;
            n->text_len = p->str_len;
        }
        break;
    case OT_INT: {
        int64_t v = 0;
        if (util_parse_i64(p->s + at, p->tlen, INT64_MIN, INT64_MAX, &v) != 0)
            return fail(p, at, "integer out of range", NULL);
        n = node(p, WQL_N_INT, at);
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
            return fail(p, at, "bad number", NULL);
        n = node(p, WQL_N_REAL, at);
        if (n)
            n->rval = d;
        break;
    }
    case OT_DATE:
        /* an unquoted ISO date-time is compared as a date string */
        n = node(p, WQL_N_STRING, at);
        if (n) {
            n->quote = '\'';
            n->text = util_arena_strndup(p->a, p->s + at, p->tlen);
            n->text_len = p->tlen;
        }
        break;
    default:
        if (tok_is(p, "true") || tok_is(p, "false")) {
            n = node(p, WQL_N_BOOL, at);
            if (n)
                n->ival = tok_is(p, "true");
        } else if (tok_is(p, "null")) {
            n = node(p, WQL_N_NULL, at);
        } else {
            return fail(p, at, "expected a value", NULL);
        }
    }
    if (n == NULL)
        return SMSPROV_ENOMEM;
    *out = n;
    return next(p);
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
        rc = next(p);
        if (rc == 0)
            rc = parse_or(p, out);
        if (rc == 0)
            rc = expect(p, OT_RPAREN, "')'");
        p->depth--;
        return rc;
    }
    if (p->tok == OT_IDENT) {
        int like = tok_is(p, "startswith") ? 0
                   : tok_is(p, "endswith") ? 1
                   : tok_is(p, "contains") ? 2
                                           : -1;
        bool lower = tok_is(p, "tolower"), upper = tok_is(p, "toupper");
        bool isword =
            tok_is(p, "true") || tok_is(p, "false") || tok_is(p, "null");
        if (like >= 0 || lower || upper) {
            rc = next(p);
            if (rc != 0)
                return rc;
            if (p->tok != OT_LPAREN)
                return fail(p, p->tpos, "expected '('", NULL);
            if (like >= 0)
                return like_func(p, like, at, out);
            wql_node *f = node(p, WQL_N_FUNC, at), *arg = NULL;
            if (f == NULL)
                return SMSPROV_ENOMEM;
            f->text = lower ? "LOWER" : "UPPER";
            f->text_len = 5;
            rc = next(p);
            if (rc == 0)
                rc = primary(p, &arg);
            if (rc == 0)
                rc = expect(p, OT_RPAREN, "')'");
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
                rc = next(p);
                if (rc == 0)
                    rc = lambda(p, col, out);
                return rc;
            }
            if (rc == 0 && p->tok == OT_LPAREN)
                return fail(
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
        if (tok_is(p, ops[i]))
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
        rc = next(p);
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
            return fail(p, at, "compare a string function with true or false",
                        NULL);
        wql_node *c = node(p, WQL_N_CMP, at);
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
    if (tok_is(p, "in")) {
        wql_node *in = node(p, WQL_N_IN_LIST, at);
        wql_node *items[WQL_MAX_LIST];
        uint32_t n = 0;
        if (in == NULL)
            return SMSPROV_ENOMEM;
        rc = next(p);
        if (rc == 0)
            rc = expect(p, OT_LPAREN, "'('");
        while (rc == 0) {
            if (n == WQL_MAX_LIST)
                return fail(p, p->tpos, "too many values in 'in'", NULL);
            rc = literal(p, &items[n++]);
            if (rc == 0 && p->tok == OT_COMMA)
                rc = next(p);
            else
                break;
        }
        if (rc == 0)
            rc = expect(p, OT_RPAREN, "')'");
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
    if (tok_is(p, "not")) {
        size_t at = p->tpos;
        wql_node *n = node(p, WQL_N_NOT, at);
        if (n == NULL)
            return SMSPROV_ENOMEM;
        if (++p->depth > HTTP_MAX_FILTER_DEPTH)
            return util_error_set(p->err, SMSPROV_ETOOBIG, (int)at,
                                  "$filter position %zu: nested too deeply",
                                  at + 1);
        int rc = next(p);
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
    while (rc == 0 && tok_is(p, word)) {
        wql_node *n = node(p, kind, (size_t)((*slot)->loc));
        if (n == NULL)
            return SMSPROV_ENOMEM;
        n->a = *slot;
        rc = next(p);
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

static int parse_or(oparser *p, wql_node **out)
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
    int rc = next(&p);
    if (rc == 0 && p.tok == OT_EOF)
        return fail(&p, 0, "empty $filter", NULL);
    if (rc == 0)
        rc = parse_or(&p, out);
    if (rc == 0 && p.tok != OT_EOF)
        rc = fail(&p, p.tpos, "unexpected text after the condition", NULL);
    if (rc != 0)
        *out = NULL;
    return rc;
}

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
        if (!is_ident_char(s[i], i == 0))
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
