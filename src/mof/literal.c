/* SPDX-License-Identifier: MIT */
/*
 * MOF values: literals of qualifier values and property defaults.  Reads a
 * scalar or a { } array at the current token, gives it its natural type,
 * and converts it to the declared type of a property, reporting a value
 * that does not fit at the value's own position.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mof/mof_int.h"

/* A scalar as written, with the token it came from (for messages). */
typedef struct lit {
    cim_value v;     /* natural type: SINT64/UINT64/REAL64/STRING/... */
    mof_token first; /* first token of the literal */
} lit;

/*
 * Reads one or more adjacent string literals ("a" "b" is "ab") and
 * decodes them into one arena string.  Decoding never lengthens a literal,
 * so the slice from the first quote to the last bounds the size.
 */
static int parse_string(mof_parser *p, cim_value *v)
{
    mof_token first = p->tok;
    int rc;
    do {
        rc = mof_next(p);
        if (rc < 0)
            return rc;
    } while (p->tok.kind == MOF_T_STRING);
    size_t end = (size_t)p->tok.off; /* start of the token after them */
    char *buf = util_arena_alloc(p->a, end - (size_t)first.off + 1);
    if (buf == NULL)
        return mof_nomem(p);
    mof_lexer lx;
    mof_token t;
    size_t n = 0;
    mof_lex_init(&lx, p->text, p->len);
    lx.pos = (size_t)first.off;
    while (lx.pos < end && mof_lex(&lx, &t, NULL) == 0 &&
           t.kind == MOF_T_STRING)
        n += mof_string_decode(p->text, &t, buf + n);
    buf[n] = '\0';
    *v = cim_value_str(CIM_STRING, buf);
    return 0;
}

/* Reads a hexadecimal magnitude (digits after 0x); false on overflow. */
static bool hex_value(const char *z, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char h = (unsigned char)z[i];
        unsigned d =
            h <= '9' ? (unsigned)(h - '0') : (unsigned)((h | 32) - 'a' + 10);
        if (v > (UINT64_MAX >> 4))
            return false;
        v = v * 16 + d;
    }
    *out = v;
    return true;
}

/*
 * An integer literal becomes SInt64, or UInt64 (bit pattern in v.i) when
 * it is above INT64_MAX.  Below INT64_MIN or above UINT64_MAX is an error.
 */
static int parse_int(mof_parser *p, const mof_token *t, cim_value *v)
{
    const char *z = p->text + t->off;
    size_t n = (size_t)t->len;
    bool neg = z[0] == '-';
    uint64_t mag = 0;
    if (z[0] == '-' || z[0] == '+') {
        z++;
        n--;
    }
    bool ok;
    if (n > 2 && z[0] == '0' && (z[1] | 32) == 'x')
        ok = hex_value(z + 2, n - 2, &mag);
    else
        ok = util_parse_u64(z, n, UINT64_MAX, &mag) == 0;
    if (!ok || (neg && mag > (uint64_t)INT64_MAX + 1))
        return mof_error(p, t->off, "integer '%.*s' is out of range", t->len,
                         p->text + t->off);
    if (neg)
        *v = cim_value_int(CIM_SINT64, mag == (uint64_t)INT64_MAX + 1
                                           ? INT64_MIN
                                           : -(int64_t)mag);
    else if (mag > (uint64_t)INT64_MAX)
        *v = cim_value_int(CIM_UINT64, (int64_t)mag);
    else
        *v = cim_value_int(CIM_SINT64, (int64_t)mag);
    return 0;
}

/* Reads one scalar literal at the current token, in its natural type. */
static int parse_scalar(mof_parser *p, lit *out)
{
    mof_token t = p->tok;
    int rc;
    out->first = t;
    switch (t.kind) {
    case MOF_T_STRING:
        return parse_string(p, &out->v);
    case MOF_T_CHAR: {
        char *s = util_arena_alloc(p->a, (size_t)t.len);
        if (s == NULL)
            return mof_nomem(p);
        s[mof_string_decode(p->text, &t, s)] = '\0';
        out->v = cim_value_str(CIM_CHAR16, s);
        return mof_next(p);
    }
    case MOF_T_INT:
        rc = parse_int(p, &t, &out->v);
        if (rc < 0)
            return rc;
        return mof_next(p);
    case MOF_T_REAL: {
        double d;
        if (util_parse_double(p->text + t.off, (size_t)t.len, &d) != 0)
            return mof_error(p, t.off, "number '%.*s' is out of range", t.len,
                             p->text + t.off);
        out->v = cim_value_real(CIM_REAL64, d);
        return mof_next(p);
    }
    case MOF_T_IDENT:
        switch (mof_keyword(p->text + t.off, (size_t)t.len)) {
        case MOF_KW_TRUE:
            out->v = cim_value_bool(true);
            return mof_next(p);
        case MOF_KW_FALSE:
            out->v = cim_value_bool(false);
            return mof_next(p);
        case MOF_KW_NULL:
            out->v = cim_value_null(CIM_NONE, false);
            return mof_next(p);
        default:
            break;
        }
        break;
    default:
        break;
    }
    return mof_expected(p, "a value");
}

/* Number of UTF-8 characters in s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/*
 * Converts a natural literal to type want.  Integers must fit the type's
 * range, DateTime takes a DMTF string, Char16 one character, Object only
 * NULL (handled by the caller).
 */
static int coerce(mof_parser *p, cim_type want, const lit *l, cim_value *out)
{
    const cim_value *v = &l->v;
    char text[64];
    mof_tok_text(p, &l->first, text, sizeof(text));
    if (cim_type_is_integer(want)) {
        int64_t lo, hi;
        cim_type_int_range(want, &lo, &hi);
        if (v->type != CIM_SINT64 && v->type != CIM_UINT64)
            goto mismatch;
        if (v->type == CIM_UINT64 || v->v.i < lo || v->v.i > hi)
            return mof_error(p, l->first.off, "value %s does not fit type %s",
                             text, cim_type_name(want));
        *out = cim_value_int(want, v->v.i);
        return 0;
    }
    switch (want) {
    case CIM_BOOLEAN:
        if (v->type != CIM_BOOLEAN)
            goto mismatch;
        *out = *v;
        return 0;
    case CIM_REAL32:
    case CIM_REAL64: {
        double d;
        if (v->type == CIM_REAL64)
            d = v->v.r;
        else if (v->type == CIM_SINT64)
            d = (double)v->v.i;
        else if (v->type == CIM_UINT64)
            d = (double)(uint64_t)v->v.i;
        else
            goto mismatch;
        if (want == CIM_REAL32 && fabs(d) > FLT_MAX)
            return mof_error(p, l->first.off, "value %s does not fit type %s",
                             text, cim_type_name(want));
        *out = cim_value_real(want, d);
        return 0;
    }
    case CIM_CHAR16:
        if ((v->type != CIM_CHAR16 && v->type != CIM_STRING) ||
            utf8_chars(v->v.s) != 1)
            goto mismatch;
        *out = cim_value_str(CIM_CHAR16, v->v.s);
        return 0;
    case CIM_STRING:
    case CIM_REFERENCE:
        if (v->type != CIM_STRING && v->type != CIM_CHAR16)
            goto mismatch;
        *out = cim_value_str(want, v->v.s);
        return 0;
    case CIM_DATETIME: {
        int64_t us;
        if (v->type != CIM_STRING)
            goto mismatch;
        if (util_dmtf_parse(v->v.s, strlen(v->v.s), &us) != 0)
            return mof_error(p, l->first.off,
                             "%s is not a DMTF date-time "
                             "(yyyymmddHHMMSS.mmmmmmsUUU)",
                             text);
        *out = cim_value_datetime(us);
        return 0;
    }
    case CIM_OBJECT:
        return mof_error(p, l->first.off,
                         "an embedded object can only default to NULL");
    default:
        break;
    }
mismatch:
    return mof_error(p, l->first.off, "expected a %s value, found %s",
                     cim_type_name(want), text);
}

/*
 * Gives a natural array one element type: all equal, or numbers mixed
 * (any real makes all Real64; SInt64 with UInt64 is UInt64 when none is
 * negative).  Anything else is an error at the first odd element.
 */
static int unify(mof_parser *p, cim_value *items, const mof_token *toks,
                 uint32_t n, cim_type *out)
{
    cim_type t = n ? items[0].type : CIM_STRING;
    bool numeric = true, real = false, big = false;
    uint32_t odd = n;
    for (uint32_t i = 0; i < n; i++) {
        cim_type e = items[i].type;
        bool num = e == CIM_SINT64 || e == CIM_UINT64 || e == CIM_REAL64;
        if (e != t && odd == n)
            odd = i;
        numeric = numeric && num;
        real = real || e == CIM_REAL64;
        big = big || e == CIM_UINT64;
    }
    if (odd == n) {
        *out = t;
        return 0;
    }
    if (!numeric)
        return mof_error(p, toks[odd].off,
                         "array elements must all have the same type");
    for (uint32_t i = 0; i < n; i++) {
        if (real && items[i].type == CIM_SINT64)
            items[i] = cim_value_real(CIM_REAL64, (double)items[i].v.i);
        else if (real && items[i].type == CIM_UINT64)
            items[i] =
                cim_value_real(CIM_REAL64, (double)(uint64_t)items[i].v.i);
        else if (!real && big && items[i].type == CIM_SINT64 &&
                 items[i].v.i < 0)
            return mof_error(p, toks[i].off,
                             "array mixes negative and unsigned 64-bit "
                             "integers");
        else if (!real && big)
            items[i].type = CIM_UINT64;
    }
    *out = real ? CIM_REAL64 : CIM_UINT64;
    return 0;
}

/*
 * Reads { v, v, ... } at the current token.  A nested array is parsed
 * (so that MOF_MAX_DEPTH applies to it) and then refused.
 */
static int parse_array(mof_parser *p, cim_type want, cim_value *out)
{
    cim_value *items = NULL;
    mof_token *toks = NULL;
    uint32_t n = 0, cap = 0, tcap = 0;
    int rc = mof_open(p);
    if (rc < 0)
        return rc;
    while (p->tok.kind != MOF_T_RBRACE) {
        mof_token at = p->tok;
        lit l;
        if (n >= MOF_MAX_ARRAY)
            return mof_error_code(p, SMSPROV_ETOOBIG, at.off,
                                  "more than %d array elements", MOF_MAX_ARRAY);
        if (at.kind == MOF_T_LBRACE) {
            cim_value inner;
            rc = parse_array(p, want, &inner);
            if (rc < 0)
                return rc;
            return mof_error(p, at.off, "nested arrays are not allowed");
        }
        rc = parse_scalar(p, &l);
        if (rc < 0)
            return rc;
        if (l.v.is_null)
            return mof_error(p, at.off, "NULL is not allowed in an array");
        items = mof_grow(p->a, items, n, &cap, sizeof(*items));
        toks = mof_grow(p->a, toks, n, &tcap, sizeof(*toks));
        if (items == NULL || toks == NULL)
            return mof_nomem(p);
        toks[n] = at;
        if (want != CIM_NONE)
            rc = coerce(p, want, &l, &items[n]);
        else
            items[n] = l.v;
        if (rc < 0)
            return rc;
        n++;
        if (p->tok.kind != MOF_T_COMMA)
            break;
        rc = mof_next(p);
        if (rc < 0)
            return rc;
    }
    rc = mof_expect(p, MOF_T_RBRACE, "',' or '}' in the array");
    if (rc < 0)
        return rc;
    p->depth--;
    cim_type t = want;
    if (want == CIM_NONE) {
        rc = unify(p, items, toks, n, &t);
        if (rc < 0)
            return rc;
    }
    *out = cim_value_null(t, true);
    out->is_null = 0;
    out->count = n;
    out->v.items = items;
    return 0;
}

int mof_literal_parse(mof_parser *p, cim_type want, bool want_array,
                      cim_value *out)
{
    lit l;
    int rc;
    if (p->tok.kind == MOF_T_LBRACE) {
        if (want != CIM_NONE && !want_array)
            return mof_error(p, p->tok.off,
                             "an array value for a property that is not "
                             "an array");
        if (want == CIM_OBJECT)
            return mof_error(p, p->tok.off,
                             "an embedded object can only default to NULL");
        return parse_array(p, want, out);
    }
    rc = parse_scalar(p, &l);
    if (rc < 0)
        return rc;
    if (l.v.is_null) {
        *out = cim_value_null(want, want_array);
        return 0;
    }
    if (want == CIM_NONE) {
        *out = l.v;
        return 0;
    }
    if (want_array) {
        char text[64];
        mof_tok_text(p, &l.first, text, sizeof(text));
        return mof_error(p, l.first.off,
                         "expected '{' for an array value, found %s", text);
    }
    return coerce(p, want, &l, out);
}
