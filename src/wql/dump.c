/* SPDX-License-Identifier: MIT */
/*
 * wql_dump: writes a parsed SELECT as an S-expression (format documented in
 * src/wql/README.md).  Used by the data-driven parser tests and --explain.
 * Chains of AND/OR are printed flat with a loop, so recursion follows only
 * the nesting the parser bounds with WQL_MAX_DEPTH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wql/wql_int.h"

/* Deeper trees than the parser can build are refused, not recursed into. */
#define DUMP_MAX_DEPTH (8 * WQL_MAX_DEPTH)

static int dump_select(util_buf *b, const wql_select *s, int depth);

static const char *cmp_name(int op)
{
    static const char *const names[] = {"=", "<>", "<", "<=", ">", ">="};
    if (op < 0 || op >= (int)(sizeof(names) / sizeof(names[0])))
        return "?";
    return names[op];
}

/* Writes s or "nil" when it is NULL. */
static void put_name(util_buf *b, const char *s)
{
    util_buf_puts(b, s != NULL ? s : "nil");
}

/* Writes a string in double quotes with \" \\ and \xHH escapes. */
static void put_string(util_buf *b, const char *s, size_t n)
{
    util_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            util_buf_putc(b, '\\');
            util_buf_putc(b, (char)c);
        } else if (c < 0x20 || c == 0x7f) {
            util_buf_printf(b, "\\x%02X", c);
        } else {
            util_buf_putc(b, (char)c);
        }
    }
    util_buf_putc(b, '"');
}

/* Writes the shortest %g form of v that reads back as the same double. */
static void put_real(util_buf *b, double v)
{
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    util_buf_puts(b, tmp);
}

/* Writes one expression node; depth guards against foreign deep trees. */
static int dump_node(util_buf *b, const wql_node *n, int depth)
{
    int rc = 0;
    if (depth > DUMP_MAX_DEPTH)
        return SMSPROV_ETOOBIG;
    if (n == NULL) {
        util_buf_puts(b, "nil");
        return 0;
    }
    switch (n->kind) {
    case WQL_N_INT:
        util_buf_printf(b, "(int %lld)", (long long)n->ival);
        return 0;
    case WQL_N_REAL:
        util_buf_puts(b, "(real ");
        put_real(b, n->rval);
        util_buf_putc(b, ')');
        return 0;
    case WQL_N_STRING:
        util_buf_puts(b, "(str ");
        put_string(b, n->text, n->text_len);
        util_buf_putc(b, ')');
        return 0;
    case WQL_N_BOOL:
        util_buf_puts(b, n->ival ? "(bool true)" : "(bool false)");
        return 0;
    case WQL_N_NULL:
        util_buf_puts(b, "(null)");
        return 0;
    case WQL_N_COLUMN:
        util_buf_puts(b, "(col ");
        put_name(b, n->qual);
        util_buf_putc(b, ' ');
        put_name(b, n->text);
        util_buf_putc(b, ')');
        return 0;
    case WQL_N_STAR:
        util_buf_puts(b, "(star ");
        put_name(b, n->qual);
        util_buf_putc(b, ')');
        return 0;
    case WQL_N_NOT:
    case WQL_N_NEG:
        util_buf_puts(b, n->kind == WQL_N_NOT ? "(not " : "(neg ");
        rc = dump_node(b, n->a, depth + 1);
        util_buf_putc(b, ')');
        return rc;
    case WQL_N_AND:
    case WQL_N_OR: {
        /* (and a (and b c)) prints as (and a b c) */
        wql_node_kind kind = n->kind;
        util_buf_puts(b, kind == WQL_N_AND ? "(and" : "(or");
        const wql_node *cur = n;
        while (rc == 0 && cur != NULL && cur->kind == kind) {
            util_buf_putc(b, ' ');
            rc = dump_node(b, cur->a, depth + 1);
            cur = cur->b;
        }
        util_buf_putc(b, ' ');
        if (rc == 0)
            rc = dump_node(b, cur, depth + 1);
        util_buf_putc(b, ')');
        return rc;
    }
    case WQL_N_CMP:
    case WQL_N_LIKE:
        if (n->kind == WQL_N_CMP)
            util_buf_printf(b, "(%s ", cmp_name(n->op));
        else
            util_buf_puts(b, n->negated ? "(not-like " : "(like ");
        rc = dump_node(b, n->a, depth + 1);
        util_buf_putc(b, ' ');
        if (rc == 0)
            rc = dump_node(b, n->b, depth + 1);
        util_buf_putc(b, ')');
        return rc;
    case WQL_N_IN_LIST:
    case WQL_N_IN_SELECT:
        util_buf_puts(b, n->negated ? "(not-in " : "(in ");
        rc = dump_node(b, n->a, depth + 1);
        util_buf_putc(b, ' ');
        if (rc == 0 && n->kind == WQL_N_IN_SELECT) {
            rc = n->sub != NULL ? dump_select(b, n->sub, depth + 1) : 0;
        } else if (rc == 0) {
            util_buf_puts(b, "(list");
            for (uint32_t i = 0; rc == 0 && i < n->nlist; i++) {
                util_buf_putc(b, ' ');
                rc = dump_node(b, n->list[i], depth + 1);
            }
            util_buf_putc(b, ')');
        }
        util_buf_putc(b, ')');
        return rc;
    case WQL_N_IS_NULL:
        util_buf_puts(b, n->negated ? "(is-not-null " : "(is-null ");
        rc = dump_node(b, n->a, depth + 1);
        util_buf_putc(b, ')');
        return rc;
    case WQL_N_FUNC:
        util_buf_puts(b, "(func ");
        put_name(b, n->text);
        if (n->distinct)
            util_buf_puts(b, " distinct");
        for (uint32_t i = 0; rc == 0 && i < n->nlist; i++) {
            util_buf_putc(b, ' ');
            rc = dump_node(b, n->list[i], depth + 1);
        }
        util_buf_putc(b, ')');
        return rc;
    }
    util_buf_printf(b, "(unknown-node %d)", (int)n->kind);
    return 0;
}

static const char *join_name(wql_join_kind j)
{
    switch (j) {
    case WQL_JOIN_NONE:
        return "none";
    case WQL_JOIN_COMMA:
        return "comma";
    case WQL_JOIN_INNER:
        return "inner";
    case WQL_JOIN_LEFT:
        return "left";
    }
    return "?";
}

/* Writes one SELECT (statement or subquery). */
static int dump_select(util_buf *b, const wql_select *s, int depth)
{
    int rc = 0;
    if (depth > DUMP_MAX_DEPTH)
        return SMSPROV_ETOOBIG;
    util_buf_puts(b, s->distinct ? "(select distinct (cols" : "(select (cols");
    for (uint32_t i = 0; rc == 0 && i < s->ncols; i++) {
        util_buf_putc(b, ' ');
        rc = dump_node(b, s->cols[i], depth + 1);
    }
    util_buf_puts(b, ") (from");
    for (uint32_t i = 0; rc == 0 && i < s->nfrom; i++) {
        const wql_from *f = &s->from[i];
        util_buf_puts(b, " (");
        put_name(b, f->class_name);
        util_buf_putc(b, ' ');
        put_name(b, f->alias);
        util_buf_printf(b, " %s", join_name(f->join));
        if (f->on != NULL) {
            util_buf_putc(b, ' ');
            rc = dump_node(b, f->on, depth + 1);
        }
        util_buf_putc(b, ')');
    }
    util_buf_putc(b, ')');
    if (rc == 0 && s->where != NULL) {
        util_buf_puts(b, " (where ");
        rc = dump_node(b, s->where, depth + 1);
        util_buf_putc(b, ')');
    }
    if (rc == 0 && s->norder > 0) {
        util_buf_puts(b, " (order");
        for (uint32_t i = 0; rc == 0 && i < s->norder; i++) {
            util_buf_puts(b, s->order[i].desc ? " (desc " : " (asc ");
            rc = dump_node(b, s->order[i].expr, depth + 1);
            util_buf_putc(b, ')');
        }
        util_buf_putc(b, ')');
    }
    util_buf_putc(b, ')');
    return rc;
}

int wql_dump(util_buf *out, const wql_select *s)
{
    if (s == NULL)
        return util_buf_puts(out, "nil");
    int rc = dump_select(out, s, 0);
    if (rc == 0)
        rc = out->failed;
    return rc;
}
