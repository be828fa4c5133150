/* SPDX-License-Identifier: MIT */
/*
 * WQL binder: resolves FROM classes, aliases and property names against the
 * class registry, infers expression types, coerces literals to the type
 * they are compared with (WMI's rules: '1'/TRUE for booleans, quoted
 * integers, date strings for DateTime) and refuses what the SMS Provider
 * refuses (system properties, COUNT with DISTINCT).
 */
#include <stdio.h>
#include <string.h>

#include "wql/plan_int.h"

static int fail(plan_ctx *c, int code, const wql_node *n, const char *fmt,
                const char *arg)
{
    return util_error_set(c->err, code, n ? n->loc : -1, fmt, arg);
}

static bound *bound_of(plan_ctx *c, wql_node *n)
{
    if (n->bound == NULL)
        n->bound = util_arena_alloc(c->a, sizeof(bound));
    return n->bound;
}

int wql_concrete_classes(plan_ctx *c, const cim_class *cls,
                         const cim_class ***out, uint32_t *n)
{
    /* Depth-first over the subclass tree; schemas are small. */
    const cim_class **stack =
        util_arena_alloc(c->a, sizeof(cim_class *) * (c->schema->nclasses + 1));
    const cim_class **res =
        util_arena_alloc(c->a, sizeof(cim_class *) * (c->schema->nclasses + 1));
    uint32_t sp = 0, nres = 0;
    if (stack == NULL || res == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    stack[sp++] = cls;
    while (sp > 0) {
        const cim_class *k = stack[--sp];
        if (cim_class_is_concrete(k))
            res[nres++] = k;
        for (uint32_t i = k->nchildren; i > 0; i--)
            if (sp < c->schema->nclasses)
                stack[sp++] = k->children[i - 1];
    }
    *out = res;
    *n = nres;
    return 0;
}

static bool is_system_property(const char *name)
{
    return name[0] == '_' && name[1] == '_';
}

/* Finds FROM item by alias or class name, searching outward. */
static bind_from *find_from(bind_scope *s, const char *qual)
{
    for (; s != NULL; s = s->parent)
        for (uint32_t i = 0; i < s->nfrom; i++) {
            bind_from *f = &s->from[i];
            if (f->alias && util_stricmp(f->alias, qual) == 0)
                return f;
        }
    return NULL;
}

static bind_from *find_from_class(bind_scope *s, const char *qual)
{
    for (; s != NULL; s = s->parent)
        for (uint32_t i = 0; i < s->nfrom; i++)
            if (util_stricmp(s->from[i].cls->name, qual) == 0)
                return &s->from[i];
    return NULL;
}

static int bind_column(plan_ctx *c, bind_scope *scope, wql_node *n)
{
    bound *b = bound_of(c, n);
    bind_from *f = NULL;
    const cim_property *p = NULL;
    if (b == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    if (is_system_property(n->text))
        return fail(c, SMSPROV_EINVALID_QUERY, n,
                    "system property '%s' cannot be used in a query", n->text);
    if (n->qual != NULL) {
        f = find_from(scope, n->qual);
        if (f == NULL)
            f = find_from_class(scope, n->qual);
        if (f == NULL)
            return fail(c, SMSPROV_EINVALID_QUERY, n,
                        "'%s' is not a class or alias of this query", n->qual);
        p = cim_class_property(f->cls, n->text, n->text_len);
    } else {
        /* Innermost scope first; ambiguous within one scope is an error. */
        for (bind_scope *s = scope; s != NULL && p == NULL; s = s->parent) {
            for (uint32_t i = 0; i < s->nfrom; i++) {
                const cim_property *q =
                    cim_class_property(s->from[i].cls, n->text, n->text_len);
                if (q == NULL)
                    continue;
                if (p != NULL)
                    return fail(c, SMSPROV_EINVALID_QUERY, n,
                                "property '%s' is ambiguous: qualify it with "
                                "a class or alias",
                                n->text);
                p = q;
                f = &s->from[i];
            }
        }
    }
    if (p == NULL) {
        util_error_object(c->err, n->text);
        if (f != NULL)
            return util_error_set(c->err, SMSPROV_EINVALID_PROPERTY, n->loc,
                                  "class '%s' has no property '%s'",
                                  f->cls->name, n->text);
        return util_error_set(c->err, SMSPROV_EINVALID_PROPERTY, n->loc,
                              "no class of this query has a property '%s'",
                              n->text);
    }
    b->prop = p;
    b->from = f;
    b->type = p->type;
    b->is_array = p->is_array;
    return 0;
}

static const struct {
    const char *name; /* as written, any case */
    wql_func f;       /* function id */
    int nargs;        /* -1: checked elsewhere */
} functions[] = {
    {"COUNT", WQL_F_COUNT, -1},      {"UPPER", WQL_F_UPPER, 1},
    {"LOWER", WQL_F_LOWER, 1},       {"SUBSTRING", WQL_F_SUBSTRING, 3},
    {"DATEPART", WQL_F_DATEPART, 2}, {"DATEDIFF", WQL_F_DATEDIFF, 3},
    {"DATEADD", WQL_F_DATEADD, 3},   {"GETDATE", WQL_F_GETDATE, 0},
};

static int bind_expr(plan_ctx *c, bind_scope *scope, wql_node *n);

/* Reads a literal node's own value (before coercion). */
static cim_value raw_literal(const wql_node *n)
{
    switch (n->kind) {
    case WQL_N_INT:
        return cim_value_int(CIM_SINT64, n->ival);
    case WQL_N_REAL:
        return cim_value_real(CIM_REAL64, n->rval);
    case WQL_N_BOOL:
        return cim_value_bool(n->ival != 0);
    case WQL_N_STRING:
        return cim_value_str(CIM_STRING, n->text);
    default:
        return cim_value_null(CIM_NONE, false);
    }
}

static int bind_func(plan_ctx *c, bind_scope *scope, wql_node *n)
{
    bound *b = bound_of(c, n);
    size_t i;
    for (i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
        if (util_streq_slice(functions[i].name, n->text, n->text_len))
            break;
    if (i == sizeof(functions) / sizeof(functions[0]))
        return fail(c, SMSPROV_EINVALID_QUERY, n, "unknown function '%s'",
                    n->text);
    b->func = functions[i].f;
    if (functions[i].nargs >= 0 && (int)n->nlist != functions[i].nargs)
        return fail(c, SMSPROV_EINVALID_QUERY, n,
                    "wrong number of arguments to %s", functions[i].name);
    if (b->func == WQL_F_COUNT)
        return fail(c, SMSPROV_EINVALID_QUERY, n,
                    "%s is only allowed in the select list", "COUNT");
    uint32_t first = 0;
    if (b->func == WQL_F_DATEPART || b->func == WQL_F_DATEDIFF ||
        b->func == WQL_F_DATEADD) {
        wql_node *pn = n->list[0];
        wql_datepart part = WQL_DP_NONE;
        if (pn->kind == WQL_N_COLUMN && pn->qual == NULL)
            part = wql_datepart_lookup(pn->text, pn->text_len);
        else if (pn->kind == WQL_N_STRING)
            part = wql_datepart_lookup(pn->text, pn->text_len);
        if (part == WQL_DP_NONE)
            return fail(c, SMSPROV_EINVALID_QUERY, pn,
                        "'%s' is not a date part (yy, mm, dd, hh, mi, ss, "
                        "ms, ...)",
                        pn->text ? pn->text : "?");
        b->part = part;
        first = 1;
    }
    for (uint32_t k = first; k < n->nlist; k++) {
        int rc = bind_expr(c, scope, n->list[k]);
        if (rc != 0)
            return rc;
    }
    switch (b->func) {
    case WQL_F_UPPER:
    case WQL_F_LOWER:
    case WQL_F_SUBSTRING:
        b->type = CIM_STRING;
        break;
    case WQL_F_DATEPART:
    case WQL_F_DATEDIFF:
        b->type = CIM_SINT64;
        break;
    default:
        b->type = CIM_DATETIME;
        break;
    }
    /* Date arguments given as strings are coerced like comparisons. */
    for (uint32_t k = first; k < n->nlist; k++) {
        wql_node *arg = n->list[k];
        bound *ab = arg->bound;
        bool want_date = (b->func == WQL_F_DATEPART && k == 1) ||
                         (b->func == WQL_F_DATEDIFF && k >= 1) ||
                         (b->func == WQL_F_DATEADD && k == 2);
        if (want_date && ab->is_literal && arg->kind == WQL_N_STRING) {
            int64_t us;
            if (util_datetime_parse(arg->text, arg->text_len, &us) != 0)
                return fail(c, SMSPROV_ETYPE_MISMATCH, arg,
                            "'%s' is not a date and time", arg->text);
            ab->lit = cim_value_datetime(us);
            ab->type = CIM_DATETIME;
        }
    }
    return 0;
}

static int bind_expr_one(plan_ctx *c, bind_scope *scope, wql_node *n);

/* AND/OR chains lean right and may be long: walk their spine in a loop so
 * that only real nesting counts against WQL_MAX_DEPTH. */
static int bind_expr(plan_ctx *c, bind_scope *scope, wql_node *n)
{
    while (n->kind == WQL_N_AND || n->kind == WQL_N_OR) {
        bound *b = bound_of(c, n);
        if (b == NULL)
            return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
        b->type = CIM_BOOLEAN;
        int rc = bind_expr(c, scope, n->a);
        if (rc != 0)
            return rc;
        n = n->b;
    }
    return bind_expr_one(c, scope, n);
}

static int bind_expr_one(plan_ctx *c, bind_scope *scope, wql_node *n)
{
    bound *b = bound_of(c, n);
    int rc = 0;
    if (b == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    if (++c->depth > WQL_MAX_DEPTH) {
        c->depth--;
        return util_error_set(c->err, SMSPROV_ETOOBIG, n->loc,
                              "expression nested deeper than %d",
                              WQL_MAX_DEPTH);
    }
    switch (n->kind) {
    case WQL_N_INT:
    case WQL_N_REAL:
    case WQL_N_BOOL:
    case WQL_N_STRING:
    case WQL_N_NULL:
        b->is_literal = true;
        b->lit = raw_literal(n);
        b->type = b->lit.type;
        break;
    case WQL_N_COLUMN:
        rc = bind_column(c, scope, n);
        break;
    case WQL_N_STAR:
        rc =
            fail(c, SMSPROV_EINVALID_QUERY, n, "'%s' is not allowed here", "*");
        break;
    case WQL_N_FUNC:
        rc = bind_func(c, scope, n);
        break;
    case WQL_N_IN_SELECT: {
        rc = bind_expr(c, scope, n->a);
        if (rc == 0)
            rc = wql_bind_select(c, &b->scope, scope, n->sub);
        if (rc == 0 && n->sub->ncols != 1)
            rc = fail(c, SMSPROV_EINVALID_QUERY, n,
                      "a subquery after IN must select exactly %s property",
                      "one");
        b->type = CIM_BOOLEAN;
        break;
    }
    default:
        if (n->a)
            rc = bind_expr(c, scope, n->a);
        if (rc == 0 && n->b)
            rc = bind_expr(c, scope, n->b);
        for (uint32_t i = 0; rc == 0 && i < n->nlist; i++)
            rc = bind_expr(c, scope, n->list[i]);
        b->type = CIM_BOOLEAN;
        break;
    }
    c->depth--;
    return rc;
}

/*
 * Coerces literal node `lit` to `type`, as WMI does: booleans from
 * 0/1/'0'/'1'/'true'/'false'/TRUE/FALSE, integers from numbers or quoted
 * numbers (range-checked), DateTime from DMTF or SQL Server date strings.
 */
static int coerce(plan_ctx *c, wql_node *lit, cim_type type)
{
    bound *b = lit->bound;
    const cim_value raw = raw_literal(lit);
    if (lit->kind == WQL_N_NULL || type == CIM_NONE)
        return 0;
    if (type == CIM_BOOLEAN) {
        if (lit->kind == WQL_N_BOOL ||
            (lit->kind == WQL_N_INT && (lit->ival == 0 || lit->ival == 1))) {
            b->lit = cim_value_bool(lit->ival != 0);
        } else if (lit->kind == WQL_N_STRING &&
                   (util_stricmp(lit->text, "true") == 0 ||
                    util_stricmp(lit->text, "1") == 0 ||
                    util_stricmp(lit->text, "false") == 0 ||
                    util_stricmp(lit->text, "0") == 0)) {
            b->lit = cim_value_bool(util_stricmp(lit->text, "true") == 0 ||
                                    strcmp(lit->text, "1") == 0);
        } else {
            goto mismatch;
        }
    } else if (cim_type_is_integer(type)) {
        int64_t v = 0, min, max;
        cim_type_int_range(type, &min, &max);
        if (lit->kind == WQL_N_INT) {
            v = lit->ival;
        } else if (lit->kind == WQL_N_BOOL) {
            v = lit->ival;
        } else if (lit->kind == WQL_N_STRING) {
            if (util_parse_i64(lit->text, lit->text_len, INT64_MIN, INT64_MAX,
                               &v) != 0)
                goto mismatch;
        } else if (lit->kind == WQL_N_REAL &&
                   raw.v.r == (double)(int64_t)raw.v.r) {
            v = (int64_t)raw.v.r;
        } else {
            goto mismatch;
        }
        if (v < min || v > max) {
            util_error_set(c->err, SMSPROV_ETYPE_MISMATCH, lit->loc,
                           "%lld does not fit %s", (long long)v,
                           cim_type_name(type));
            return SMSPROV_ETYPE_MISMATCH;
        }
        b->lit = cim_value_int(type, v);
    } else if (type == CIM_REAL32 || type == CIM_REAL64) {
        double r;
        if (lit->kind == WQL_N_INT)
            r = (double)lit->ival;
        else if (lit->kind == WQL_N_REAL)
            r = lit->rval;
        else if (lit->kind != WQL_N_STRING ||
                 util_parse_double(lit->text, lit->text_len, &r) != 0)
            goto mismatch;
        b->lit = cim_value_real(type, r);
    } else if (type == CIM_DATETIME) {
        int64_t us;
        if (lit->kind != WQL_N_STRING ||
            util_datetime_parse(lit->text, lit->text_len, &us) != 0)
            goto mismatch;
        b->lit = cim_value_datetime(us);
    } else if (type == CIM_STRING || type == CIM_CHAR16 ||
               type == CIM_REFERENCE) {
        if (lit->kind == WQL_N_STRING) {
            b->lit = raw;
        } else if (lit->kind == WQL_N_INT) {
            b->lit = cim_value_str(
                CIM_STRING,
                util_arena_printf(c->a, "%lld", (long long)lit->ival));
        } else {
            goto mismatch;
        }
    } else {
        goto mismatch;
    }
    b->type = type;
    return 0;
mismatch:
    if (lit->kind == WQL_N_STRING)
        util_error_set(c->err, SMSPROV_ETYPE_MISMATCH, lit->loc,
                       "literal '%s' does not fit type %s", lit->text,
                       cim_type_name(type));
    else if (lit->kind == WQL_N_REAL)
        util_error_set(c->err, SMSPROV_ETYPE_MISMATCH, lit->loc,
                       "literal %g does not fit type %s", lit->rval,
                       cim_type_name(type));
    else
        util_error_set(c->err, SMSPROV_ETYPE_MISMATCH, lit->loc,
                       "literal %lld does not fit type %s",
                       (long long)lit->ival, cim_type_name(type));
    return SMSPROV_ETYPE_MISMATCH;
}

/* Second pass: coerces literals next to typed expressions. */
static int coerce_walk(plan_ctx *c, wql_node *n)
{
    int rc = 0;
    while (n != NULL && (n->kind == WQL_N_AND || n->kind == WQL_N_OR)) {
        rc = coerce_walk(c, n->a);
        if (rc != 0)
            return rc;
        n = n->b;
    }
    if (n == NULL)
        return 0;
    switch (n->kind) {
    case WQL_N_CMP: {
        bound *ba = n->a->bound, *bb = n->b->bound;
        if (ba->is_literal && !bb->is_literal)
            rc = coerce(c, n->a, bb->type);
        else if (bb->is_literal && !ba->is_literal)
            rc = coerce(c, n->b, ba->type);
        break;
    }
    case WQL_N_IN_LIST: {
        bound *ba = n->a->bound;
        for (uint32_t i = 0; rc == 0 && i < n->nlist; i++)
            if (((bound *)n->list[i]->bound)->is_literal && !ba->is_literal)
                rc = coerce(c, n->list[i], ba->type);
        break;
    }
    case WQL_N_LIKE:
        if (!((bound *)n->b->bound)->is_literal || n->b->kind != WQL_N_STRING)
            rc = util_error_set(c->err, SMSPROV_EINVALID_QUERY, n->b->loc,
                                "LIKE needs a string pattern");
        break;
    default:
        break;
    }
    if (rc == 0 && n->kind != WQL_N_CMP && n->kind != WQL_N_IN_LIST) {
        rc = coerce_walk(c, n->a);
        if (rc == 0)
            rc = coerce_walk(c, n->b);
    } else if (rc == 0) {
        rc = coerce_walk(c, n->a);
    }
    for (uint32_t i = 0; rc == 0 && n->kind == WQL_N_FUNC && i < n->nlist; i++)
        rc = coerce_walk(c, n->list[i]);
    return rc;
}

static int bind_from_items(plan_ctx *c, bind_scope *s, const wql_select *sel)
{
    s->from = util_arena_alloc(c->a, sizeof(bind_from) * (sel->nfrom + 1));
    if (s->from == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; i < sel->nfrom; i++) {
        const wql_from *wf = &sel->from[i];
        const cim_class *cls =
            cim_schema_class(c->schema, wf->class_name, strlen(wf->class_name));
        if (cls == NULL) {
            const char *hint = cim_schema_nearest(c->schema, wf->class_name);
            util_error_object(c->err, wf->class_name);
            if (hint != NULL)
                return util_error_set(c->err, SMSPROV_EINVALID_CLASS, wf->loc,
                                      "unknown class '%s' (did you mean "
                                      "'%s'?)",
                                      wf->class_name, hint);
            return util_error_set(c->err, SMSPROV_EINVALID_CLASS, wf->loc,
                                  "unknown class '%s'", wf->class_name);
        }
        if (cls->flags & CIM_C_EMBEDDED)
            return util_error_set(c->err, SMSPROV_EINVALID_CLASS, wf->loc,
                                  "'%s' is an embedded class: it has no "
                                  "instances of its own",
                                  cls->name);
        for (uint32_t j = 0; j < i; j++) {
            const char *n1 = wf->alias ? wf->alias : cls->name;
            const char *n2 =
                s->from[j].alias ? s->from[j].alias : s->from[j].cls->name;
            if (util_stricmp(n1, n2) == 0)
                return util_error_set(c->err, SMSPROV_EINVALID_QUERY, wf->loc,
                                      "'%s' appears twice in FROM: give it "
                                      "an alias",
                                      n1);
        }
        bind_from *f = &s->from[s->nfrom++];
        f->cls = cls;
        f->emit_cls = cls;
        f->alias = wf->alias;
        f->loc = wf->loc;
        snprintf(f->sql_alias, sizeof(f->sql_alias), "t%d", c->next_alias++);
    }
    return 0;
}

int wql_bind_select(plan_ctx *c, bind_scope **out, bind_scope *parent,
                    const wql_select *sel)
{
    bind_scope *s = util_arena_alloc(c->a, sizeof(bind_scope));
    int rc;
    if (s == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    if (++c->depth > WQL_MAX_DEPTH)
        return util_error_set(c->err, SMSPROV_ETOOBIG, sel->loc,
                              "subqueries nested deeper than %d",
                              WQL_MAX_DEPTH);
    s->parent = parent;
    rc = bind_from_items(c, s, sel);
    /* ON conditions see the items joined so far (and all of them: WQL
     * scripts are not strict about order). */
    for (uint32_t i = 0; rc == 0 && i < sel->nfrom; i++)
        if (sel->from[i].on) {
            rc = bind_expr(c, s, sel->from[i].on);
            if (rc == 0)
                rc = coerce_walk(c, sel->from[i].on);
        }
    if (rc == 0 && sel->where) {
        rc = bind_expr(c, s, sel->where);
        if (rc == 0)
            rc = coerce_walk(c, sel->where);
    }
    for (uint32_t i = 0; rc == 0 && i < sel->norder; i++)
        rc = bind_expr(c, s, sel->order[i].expr);
    for (uint32_t i = 0; rc == 0 && i < sel->ncols; i++) {
        wql_node *col = sel->cols[i];
        if (col->kind == WQL_N_STAR) {
            if (col->qual && find_from(s, col->qual) == NULL &&
                find_from_class(s, col->qual) == NULL)
                rc = fail(c, SMSPROV_EINVALID_QUERY, col,
                          "'%s' is not a class or alias of this query",
                          col->qual);
            continue;
        }
        if (col->kind == WQL_N_FUNC &&
            util_streq_slice("COUNT", col->text, col->text_len)) {
            if (sel->distinct)
                rc = fail(c, SMSPROV_EINVALID_QUERY, col,
                          "%s cannot be combined with DISTINCT", "COUNT");
            else if (sel->ncols != 1)
                rc = fail(c, SMSPROV_EINVALID_QUERY, col,
                          "%s must be the only item of the select list",
                          "COUNT");
            else if (col->nlist != 1)
                rc = fail(c, SMSPROV_EINVALID_QUERY, col,
                          "%s takes one argument: * or a property", "COUNT");
            else if (col->list[0]->kind != WQL_N_STAR &&
                     col->list[0]->kind != WQL_N_COLUMN)
                rc = fail(c, SMSPROV_EINVALID_QUERY, col->list[0],
                          "%s takes * or a property", "COUNT");
            else if (col->list[0]->kind == WQL_N_COLUMN)
                rc = bind_expr(c, s, col->list[0]);
            if (rc == 0 && col->distinct)
                rc = fail(c, SMSPROV_EINVALID_QUERY, col,
                          "%s cannot be combined with DISTINCT", "COUNT");
            bound *b = bound_of(c, col);
            if (b)
                b->func = WQL_F_COUNT;
            continue;
        }
        if (col->kind != WQL_N_COLUMN)
            rc = fail(c, SMSPROV_EINVALID_QUERY, col,
                      "only properties, * and COUNT may be selected%s", "");
        else
            rc = bind_expr(c, s, col);
    }
    c->depth--;
    if (rc == 0)
        *out = s;
    return rc;
}
