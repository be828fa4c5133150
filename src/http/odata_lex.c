/* SPDX-License-Identifier: MIT */
/*
 * OData $filter lexer: splits the option's text into tokens (names,
 * strings with '' escapes, numbers, unquoted ISO dates, punctuation) and
 * builds positioned WQL nodes for the parser.
 */
#include <string.h>

#include "http/odata_int.h"

int odata_fail(oparser *p, size_t at, const char *fmt, const char *what)
{
    return util_error_set(p->err, SMSPROV_EINVALID_QUERY, (int)at,
                          "$filter position %zu: %s%s", at + 1, fmt,
                          what ? what : "");
}

bool odata_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool odata_is_ident_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && odata_is_digit(c));
}

/* Reads the next token. */
int odata_next(oparser *p)
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
                return odata_fail(p, p->tpos, "unterminated string", NULL);
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
        if (odata_is_digit(c) || c == '-') {
            size_t j = i + (c == '-');
            bool real = false, date = false;
            while (j < p->n &&
                   (odata_is_digit(s[j]) || s[j] == '.' || s[j] == '-' ||
                    s[j] == ':' || s[j] == 'T' || s[j] == 'Z' || s[j] == '+' ||
                    s[j] == 'e' || s[j] == 'E')) {
                if (s[j] == '.' || s[j] == 'e' || s[j] == 'E')
                    real = true;
                if ((s[j] == '-' && j > i) || s[j] == 'T' || s[j] == ':')
                    date = true;
                j++;
            }
            if (j == i + (c == '-'))
                return odata_fail(p, i, "unexpected character '-'", NULL);
            p->tok = date ? OT_DATE : real ? OT_REAL : OT_INT;
            p->pos = j;
        } else if (odata_is_ident_char(c, true) || c == '$') {
            size_t j = i + 1;
            while (j < p->n && odata_is_ident_char(s[j], false))
                j++;
            p->tok = OT_IDENT;
            p->pos = j;
        } else {
            char what[8];
            snprintf(what, sizeof(what), "%c'", c);
            return odata_fail(p, i, "unexpected character '", what);
        }
    }
    p->tlen = p->pos - p->tpos;
    return 0;
}

bool odata_tok_is(const oparser *p, const char *word)
{
    return p->tok == OT_IDENT && strlen(word) == p->tlen &&
           util_strnicmp(p->s + p->tpos, word, p->tlen) == 0;
}

wql_node *odata_node(oparser *p, wql_node_kind k, size_t loc)
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

int odata_expect(oparser *p, otok t, const char *what)
{
    if (p->tok != t)
        return odata_fail(p, p->tpos, "expected ", what);
    return odata_next(p);
}
