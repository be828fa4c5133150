/* SPDX-License-Identifier: MIT */
/*
 * WQL planner: writes the SQL for a bound SELECT, with `?` placeholders
 * whose values are collected in order.  Array "any element" comparisons
 * become indexed side-table lookups; a query on a base class becomes a
 * UNION ALL over its concrete subclasses; lazy properties are never read.
 */
#include <string.h>

#include "wql/plan_int.h"

static int emit_table(plan_ctx *c, const cim_class *cls)
{
    return util_buf_printf(&c->sql, "\"%s\"", cls->name);
}

static int emit_column(plan_ctx *c, const bind_from *f, const cim_property *p)
{
    return util_buf_printf(&c->sql, "%s.\"%s\"", f->sql_alias, p->name);
}

static const char *cmp_sql(int op)
{
    static const char *const ops[] = {"=", "<>", "<", "<=", ">", ">="};
    return ops[op];
}

static int mirror(int op)
{
    switch (op) {
    case WQL_LT:
        return WQL_GT;
    case WQL_LE:
        return WQL_GE;
    case WQL_GT:
        return WQL_LT;
    case WQL_GE:
        return WQL_LE;
    default:
        return op;
    }
}

static bool is_text(cim_type t)
{
    return t == CIM_STRING || t == CIM_CHAR16 || t == CIM_REFERENCE;
}

/* rowid IN (SELECT oid FROM "Cls__Prop" WHERE v ...: caller closes. */
static int open_any_element(plan_ctx *c, const bound *col)
{
    wql_emit_oid(c, col->from);
    return util_buf_printf(&c->sql, " IN (SELECT oid FROM \"%s__%s\" WHERE v ",
                           col->from->emit_cls->name, col->prop->name);
}

static int emit_cmp(plan_ctx *c, wql_node *n)
{
    wql_node *a = n->a, *b = n->b;
    int op = n->op;
    bound *ba = a->bound, *bb = b->bound;
    if (bb->is_array && !ba->is_array) { /* 'x' = Arr: put the array left */
        wql_node *t = a;
        a = b;
        b = t;
        ba = a->bound;
        bb = b->bound;
        op = mirror(op);
    }
    if (b->kind == WQL_N_NULL || a->kind == WQL_N_NULL) {
        /* WMI accepts "= NULL" / "<> NULL" as IS [NOT] NULL */
        wql_node *x = b->kind == WQL_N_NULL ? a : b;
        util_buf_putc(&c->sql, '(');
        wql_emit_expr(c, x);
        return util_buf_puts(&c->sql,
                             op == WQL_NE ? " IS NOT NULL)" : " IS NULL)");
    }
    if (ba->is_array && ba->prop) {
        open_any_element(c, ba);
        util_buf_printf(&c->sql, "%s ", cmp_sql(op));
        wql_emit_expr(c, b);
        return util_buf_putc(&c->sql, ')');
    }
    util_buf_putc(&c->sql, '(');
    wql_emit_expr(c, a);
    util_buf_printf(&c->sql, " %s ", cmp_sql(op));
    wql_emit_expr(c, b);
    if (is_text(ba->type) || is_text(bb->type))
        util_buf_puts(&c->sql, " COLLATE NOCASE");
    return util_buf_putc(&c->sql, ')');
}

static int emit_like(plan_ctx *c, wql_node *n)
{
    bound *ba = n->a->bound;
    bool glob = false;
    int rc;
    if (n->negated)
        util_buf_puts(&c->sql, "(NOT ");
    if (ba->is_array && ba->prop) {
        open_any_element(c, ba);
        size_t at = c->sql.len;
        util_buf_puts(&c->sql, "LIKE ");
        rc = wql_emit_like_pattern(c, n->b->text, n->b->text_len, &glob);
        if (glob && c->sql.len > at) /* same width: LIKE -> GLOB */
            memcpy(c->sql.data + at, "GLOB", 4);
        util_buf_putc(&c->sql, ')');
    } else {
        util_buf_putc(&c->sql, '(');
        wql_emit_expr(c, n->a);
        size_t at = c->sql.len;
        util_buf_puts(&c->sql, " LIKE ");
        rc = wql_emit_like_pattern(c, n->b->text, n->b->text_len, &glob);
        if (glob && c->sql.len > at)
            memcpy(c->sql.data + at + 1, "GLOB", 4);
        util_buf_putc(&c->sql, ')');
    }
    if (n->negated)
        util_buf_putc(&c->sql, ')');
    return rc;
}

static int emit_list(plan_ctx *c, wql_node *n)
{
    bool first = true;
    util_buf_putc(&c->sql, '(');
    for (uint32_t i = 0; i < n->nlist; i++) {
        if (n->list[i]->kind == WQL_N_NULL)
            continue; /* x IN (NULL) never matches */
        if (!first)
            util_buf_puts(&c->sql, ", ");
        first = false;
        wql_emit_expr(c, n->list[i]);
    }
    if (first)
        util_buf_puts(&c->sql, "NULL");
    return util_buf_putc(&c->sql, ')');
}

static int emit_subquery(plan_ctx *c, wql_node *n);
static int emit_chain(plan_ctx *c, wql_node *n);

static int emit_in(plan_ctx *c, wql_node *n)
{
    bound *ba = n->a->bound;
    int rc;
    if (n->negated)
        util_buf_puts(&c->sql, "(NOT ");
    if (ba->is_array && ba->prop) {
        open_any_element(c, ba);
        util_buf_puts(&c->sql, "IN ");
    } else {
        util_buf_putc(&c->sql, '(');
        wql_emit_expr(c, n->a);
        util_buf_puts(&c->sql, " IN ");
    }
    if (n->kind == WQL_N_IN_LIST)
        rc = emit_list(c, n);
    else
        rc = emit_subquery(c, n);
    util_buf_putc(&c->sql, ')');
    if (n->negated)
        util_buf_putc(&c->sql, ')');
    return rc;
}

static int emit_literal(plan_ctx *c, wql_node *n)
{
    bound *b = n->bound;
    if (n->kind == WQL_N_NULL)
        return util_buf_puts(&c->sql, "NULL");
    return wql_param_push(c, &b->lit);
}

static int emit_func(plan_ctx *c, wql_node *n)
{
    bound *b = n->bound;
    cim_value now;
    switch (b->func) {
    case WQL_F_UPPER:
    case WQL_F_LOWER:
        util_buf_puts(&c->sql, b->func == WQL_F_UPPER ? "upper(" : "lower(");
        wql_emit_expr(c, n->list[0]);
        return util_buf_putc(&c->sql, ')');
    case WQL_F_SUBSTRING:
        util_buf_puts(&c->sql, "substr(");
        for (uint32_t i = 0; i < 3; i++) {
            if (i)
                util_buf_puts(&c->sql, ", ");
            wql_emit_expr(c, n->list[i]);
        }
        return util_buf_putc(&c->sql, ')');
    case WQL_F_GETDATE:
        c->uses_now = true;
        now = cim_value_datetime(c->now_us);
        return wql_param_push(c, &now);
    case WQL_F_DATEPART:
    case WQL_F_DATEDIFF:
    case WQL_F_DATEADD:
        return wql_emit_datefn(c, b->func, b->part, n->list);
    default:
        return util_error_set(c->err, SMSPROV_EINVALID_QUERY, n->loc,
                              "function not allowed here");
    }
}

/* Writes terms[0..n) joined by op as a balanced tree: SQLite limits
 * expression depth to 1000, and long OR lists are common in scripts. */
static int emit_balanced(plan_ctx *c, wql_node **terms, size_t n,
                         const char *op)
{
    if (n == 1)
        return wql_emit_expr(c, terms[0]);
    size_t half = n / 2;
    util_buf_putc(&c->sql, '(');
    int rc = emit_balanced(c, terms, half, op);
    util_buf_puts(&c->sql, op);
    if (rc == 0)
        rc = emit_balanced(c, terms + half, n - half, op);
    util_buf_putc(&c->sql, ')');
    return rc;
}

/* A right-leaning AND or OR chain, flattened without recursion. */
static int emit_chain(plan_ctx *c, wql_node *n)
{
    wql_node_kind k = n->kind;
    size_t count = 1;
    for (wql_node *t = n; t->kind == k; t = t->b)
        count++;
    wql_node **terms = util_arena_alloc(c->a, sizeof(wql_node *) * count);
    if (terms == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    size_t i = 0;
    for (; n->kind == k; n = n->b)
        terms[i++] = n->a;
    terms[i++] = n;
    return emit_balanced(c, terms, i, k == WQL_N_AND ? " AND " : " OR ");
}

int wql_emit_expr(plan_ctx *c, wql_node *n)
{
    bound *b = n->bound;
    switch (n->kind) {
    case WQL_N_INT:
    case WQL_N_REAL:
    case WQL_N_BOOL:
    case WQL_N_STRING:
    case WQL_N_NULL:
        return emit_literal(c, n);
    case WQL_N_COLUMN:
        /* an array outside a comparison is its JSON text column */
        return emit_column(c, b->from, b->prop);
    case WQL_N_NOT:
        util_buf_puts(&c->sql, "(NOT ");
        wql_emit_expr(c, n->a);
        return util_buf_putc(&c->sql, ')');
    case WQL_N_NEG:
        util_buf_puts(&c->sql, "(-");
        wql_emit_expr(c, n->a);
        return util_buf_putc(&c->sql, ')');
    case WQL_N_AND:
    case WQL_N_OR:
        return emit_chain(c, n);
    case WQL_N_CMP:
        return emit_cmp(c, n);
    case WQL_N_LIKE:
        return emit_like(c, n);
    case WQL_N_IN_LIST:
    case WQL_N_IN_SELECT:
        return emit_in(c, n);
    case WQL_N_IS_NULL:
        util_buf_putc(&c->sql, '(');
        wql_emit_expr(c, n->a);
        return util_buf_puts(&c->sql,
                             n->negated ? " IS NOT NULL)" : " IS NULL)");
    case WQL_N_FUNC:
        return emit_func(c, n);
    default:
        return util_error_set(c->err, SMSPROV_EINVALID_QUERY, n->loc,
                              "expression not allowed here");
    }
}

/* Picks the one table a FROM item reads in a join. */
static int join_table(plan_ctx *c, bind_from *f)
{
    const cim_class **cls = NULL;
    uint32_t n = 0;
    int rc = wql_concrete_classes(c, f->cls, &cls, &n);
    if (rc != 0)
        return rc;
    if (n != 1)
        return util_error_set(c->err, SMSPROV_ENOTSUPPORTED, f->loc,
                              "'%s' has %u classes with instances: query "
                              "it alone, not in a join",
                              f->cls->name, n);
    f->emit_cls = cls[0];
    return 0;
}

/*
 * Asks the row filter for a condition on FROM item f; appends
 * " <glue> (cond)" when there is one (*added tells).
 */
static int emit_row_filter(plan_ctx *c, const bind_from *f, const char *glue,
                           bool *added)
{
    util_buf cond = UTIL_BUF_INIT(WQL_MAX_TEXT);
    cim_value *params = NULL;
    uint32_t n = 0;
    int rc = 0;
    if (added)
        *added = false;
    if (c->rf == NULL || c->rf->fn == NULL)
        return 0;
    rc = c->rf->fn(c->rf->ctx, f->emit_cls, f->sql_alias, &cond, c->a, &params,
                   &n, c->err);
    if (rc == 0 && cond.failed)
        rc = util_error_set(c->err, SMSPROV_ETOOBIG, -1, "row filter too big");
    if (rc == 0 && cond.len > 0) {
        /* each '?' of the condition takes the next value, in order */
        uint32_t used = 0;
        util_buf_printf(&c->sql, " %s (", glue);
        for (size_t i = 0; i < cond.len && rc == 0; i++) {
            if (cond.data[i] != '?')
                util_buf_putc(&c->sql, cond.data[i]);
            else if (used < n)
                rc = wql_param_push(c, &params[used++]);
            else
                rc = util_error_set(c->err, SMSPROV_EINTERNAL, -1,
                                    "row filter: too few values");
        }
        util_buf_putc(&c->sql, ')');
        if (added)
            *added = true;
    }
    util_buf_free(&cond);
    return rc;
}

static int emit_from_where(plan_ctx *c, bind_scope *s, const wql_select *sel)
{
    int rc = 0;
    bool any = false;
    util_buf_puts(&c->sql, " FROM ");
    for (uint32_t i = 0; i < s->nfrom && rc == 0; i++) {
        bind_from *f = &s->from[i];
        const wql_from *wf = &sel->from[i];
        if (i > 0) {
            if (wf->join == WQL_JOIN_LEFT)
                util_buf_puts(&c->sql, " LEFT JOIN ");
            else if (wf->join == WQL_JOIN_INNER)
                util_buf_puts(&c->sql, " JOIN ");
            else
                util_buf_puts(&c->sql, " CROSS JOIN ");
        }
        emit_table(c, f->emit_cls);
        util_buf_printf(&c->sql, " AS %s", f->sql_alias);
        if (wf->on) {
            /* parentheses only when a filter may be appended */
            util_buf_puts(&c->sql, c->rf ? " ON (" : " ON ");
            rc = wql_emit_expr(c, wf->on);
            if (c->rf)
                util_buf_putc(&c->sql, ')');
            /* the outer side of a LEFT JOIN is filtered where it joins */
            if (rc == 0 && wf->join == WQL_JOIN_LEFT)
                rc = emit_row_filter(c, f, "AND", NULL);
        }
    }
    if (rc == 0 && sel->where) {
        util_buf_puts(&c->sql, c->rf ? " WHERE (" : " WHERE ");
        rc = wql_emit_expr(c, sel->where);
        if (c->rf)
            util_buf_putc(&c->sql, ')');
        any = true;
    }
    for (uint32_t i = 0; i < s->nfrom && rc == 0; i++) {
        bool added = false;
        if (i > 0 && sel->from[i].join == WQL_JOIN_LEFT)
            continue;
        rc = emit_row_filter(c, &s->from[i], any ? "AND" : "WHERE", &added);
        any = any || added;
    }
    return rc;
}

/* IN (SELECT x FROM ...): one column; an array column yields elements. */
static int emit_subquery(plan_ctx *c, wql_node *n)
{
    bound *b = n->bound;
    bind_scope *s = b->scope;
    const wql_select *sel = n->sub;
    wql_node *col = sel->cols[0];
    bound *cb = col->bound;
    int rc = 0;
    if (col->kind != WQL_N_COLUMN)
        return util_error_set(c->err, SMSPROV_EINVALID_QUERY, col->loc,
                              "a subquery after IN must select a property");
    for (uint32_t i = 0; i < s->nfrom && rc == 0; i++)
        rc = join_table(c, &s->from[i]);
    if (rc != 0)
        return rc;
    util_buf_putc(&c->sql, '(');
    if (cb->prop->is_array) {
        util_buf_printf(&c->sql,
                        "SELECT v FROM \"%s__%s\" WHERE oid IN (SELECT ",
                        cb->from->emit_cls->name, cb->prop->name);
        wql_emit_oid(c, cb->from);
    } else {
        util_buf_puts(&c->sql, sel->distinct ? "SELECT DISTINCT " : "SELECT ");
        emit_column(c, cb->from, cb->prop);
    }
    rc = emit_from_where(c, s, sel);
    if (cb->prop->is_array)
        util_buf_putc(&c->sql, ')');
    return util_buf_putc(&c->sql, ')') | rc;
}

/* ---- the top-level SELECT ------------------------------------------------ */

static bool star_covers(const wql_node *star, const bind_from *f)
{
    return star->qual == NULL ||
           (f->alias && util_stricmp(star->qual, f->alias) == 0) ||
           util_stricmp(star->qual, f->cls->name) == 0;
}

static int add_col(plan_ctx *c, wql_plan *plan, uint32_t part,
                   const cim_property *p, bool named, bool implicit)
{
    for (uint32_t i = 0; i < plan->ncols; i++)
        if (plan->cols[i].part == part && plan->cols[i].prop == p)
            return 0;
    if (p->flags & CIM_P_LAZY) {
        if (!named)
            return 0; /* SELECT * never returns lazy properties */
    }
    wql_outcol *oc = &plan->cols[plan->ncols++];
    oc->part = part;
    oc->prop = p;
    oc->lazy_null = (p->flags & CIM_P_LAZY) != 0;
    oc->sql_col = -1;
    oc->implicit = implicit;
    (void)c;
    return 0;
}

static int build_outputs(plan_ctx *c, bind_scope *s, const wql_select *sel,
                         wql_plan *plan)
{
    uint32_t max = 0;
    for (uint32_t i = 0; i < s->nfrom; i++)
        max += s->from[i].cls->nprops;
    plan->cols = util_arena_alloc(c->a, sizeof(wql_outcol) * (max + 1));
    plan->parts = util_arena_alloc(c->a, sizeof(wql_part) * s->nfrom);
    if (plan->cols == NULL || plan->parts == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    plan->nparts = s->nfrom;
    for (uint32_t i = 0; i < s->nfrom; i++) {
        plan->parts[i].cls = s->from[i].cls;
        plan->parts[i].name =
            s->from[i].alias ? s->from[i].alias : s->from[i].cls->name;
    }
    for (uint32_t k = 0; k < sel->ncols; k++) {
        wql_node *col = sel->cols[k];
        if (col->kind == WQL_N_STAR) {
            for (uint32_t i = 0; i < s->nfrom; i++) {
                if (!star_covers(col, &s->from[i]))
                    continue;
                const cim_class *cls = s->from[i].cls;
                for (uint32_t p = 0; p < cls->nprops; p++)
                    add_col(c, plan, i, &cls->props[p], false, false);
            }
        } else {
            bound *b = col->bound;
            add_col(c, plan, (uint32_t)(b->from - s->from), b->prop, true,
                    false);
        }
    }
    /* WMI hands back the keys with a partial instance, so __PATH works;
     * in joins they also tell a LEFT JOIN's missing side (all NULL). */
    for (uint32_t i = 0; !sel->distinct && i < s->nfrom; i++) {
        const cim_class *cls = s->from[i].cls;
        for (uint32_t k = 0; k < cls->nkeys; k++)
            add_col(c, plan, i, &cls->props[cls->keys[k]], true, true);
    }
    return 0;
}

/* Writes the select list; returns next SQL column index. */
static int emit_select_list(plan_ctx *c, bind_scope *s, wql_plan *plan,
                            int first_col)
{
    int col = first_col;
    bool any = first_col > 0; /* a leading __class column was written */
    for (uint32_t i = 0; i < plan->ncols; i++) {
        wql_outcol *oc = &plan->cols[i];
        if (oc->lazy_null)
            continue;
        util_buf_puts(&c->sql, any ? ", " : "");
        any = true;
        emit_column(c, &s->from[oc->part], oc->prop);
        oc->sql_col = col++;
    }
    if (!any)
        util_buf_puts(&c->sql, "NULL");
    return col;
}

static int emit_order_by(plan_ctx *c, const wql_select *sel)
{
    for (uint32_t i = 0; i < sel->norder; i++) {
        util_buf_puts(&c->sql, i == 0 ? " ORDER BY " : ", ");
        int rc = wql_emit_expr(c, sel->order[i].expr);
        if (rc != 0)
            return rc;
        if (sel->order[i].desc)
            util_buf_puts(&c->sql, " DESC");
    }
    return 0;
}

static int emit_count(plan_ctx *c, bind_scope *s, const wql_select *sel,
                      wql_plan *plan)
{
    wql_node *arg = sel->cols[0]->list[0];
    plan->is_count = true;
    plan->count_name = "Count";
    util_buf_puts(&c->sql, "SELECT COUNT(");
    if (arg->kind == WQL_N_STAR) {
        util_buf_putc(&c->sql, '*');
    } else {
        bound *b = arg->bound;
        emit_column(c, b->from, b->prop);
    }
    util_buf_putc(&c->sql, ')');
    return emit_from_where(c, s, sel);
}

/* SELECT over a base class: one branch per concrete class. */
static int emit_union(plan_ctx *c, bind_scope *s, const wql_select *sel,
                      wql_plan *plan, const cim_class **cls, uint32_t n)
{
    int rc = 0;
    plan->class_col = 0;
    /* ORDER BY in a compound SELECT names result columns by position. */
    uint32_t *order_pos =
        util_arena_alloc(c->a, sizeof(uint32_t) * (sel->norder + 1));
    for (uint32_t i = 0; i < sel->norder && rc == 0; i++) {
        wql_node *e = sel->order[i].expr;
        bound *b = e->bound;
        if (e->kind != WQL_N_COLUMN || (b->prop->flags & CIM_P_LAZY))
            return util_error_set(c->err, SMSPROV_ENOTSUPPORTED, e->loc,
                                  "ORDER BY on a base class query takes "
                                  "properties that are not lazy");
        uint32_t k;
        for (k = 0; k < plan->ncols; k++)
            if (plan->cols[k].prop == b->prop && !plan->cols[k].lazy_null)
                break;
        if (k == plan->ncols)
            add_col(c, plan, 0, b->prop, true, true);
        order_pos[i] = k;
    }
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (i > 0)
            util_buf_puts(&c->sql, " UNION ALL ");
        s->from[0].emit_cls = cls[i];
        util_buf_printf(&c->sql, "SELECT '%s' AS __class", cls[i]->name);
        emit_select_list(c, s, plan, 1);
        rc = emit_from_where(c, s, sel);
    }
    for (uint32_t i = 0; i < sel->norder && rc == 0; i++)
        util_buf_printf(&c->sql, "%s%d%s", i == 0 ? " ORDER BY " : ", ",
                        plan->cols[order_pos[i]].sql_col + 1,
                        sel->order[i].desc ? " DESC" : "");
    return rc;
}

int wql_emit_select(plan_ctx *c, bind_scope *s, const wql_select *sel,
                    wql_plan *plan)
{
    const cim_class **cls = NULL;
    uint32_t n = 0;
    int rc;
    plan->class_col = -1;
    plan->from = s->from[0].cls;
    plan->nested = s->nfrom > 1;
    if (sel->ncols == 1 && sel->cols[0]->kind == WQL_N_FUNC) {
        for (uint32_t i = 0; i < s->nfrom; i++) {
            rc = join_table(c, &s->from[i]);
            if (rc != 0 && s->nfrom == 1) { /* COUNT over a base class */
                util_error_clear(c->err);
                break;
            }
            if (rc != 0)
                return rc;
        }
        if (s->nfrom == 1 && s->from[0].emit_cls == s->from[0].cls &&
            !cim_class_is_concrete(s->from[0].cls)) {
            rc = wql_concrete_classes(c, s->from[0].cls, &cls, &n);
            if (rc != 0)
                return rc;
            plan->is_count = true;
            plan->count_name = "Count";
            util_buf_puts(&c->sql, "SELECT 0");
            for (uint32_t i = 0; i < n && rc == 0; i++) {
                s->from[0].emit_cls = cls[i];
                util_buf_puts(&c->sql, " + (");
                wql_plan tmp;
                memset(&tmp, 0, sizeof(tmp));
                rc = emit_count(c, s, sel, &tmp);
                util_buf_putc(&c->sql, ')');
            }
            return rc;
        }
        return emit_count(c, s, sel, plan);
    }
    rc = build_outputs(c, s, sel, plan);
    if (rc != 0)
        return rc;
    if (s->nfrom == 1) {
        rc = wql_concrete_classes(c, s->from[0].cls, &cls, &n);
        if (rc != 0)
            return rc;
        if (n != 1 || cls[0] != s->from[0].cls) {
            if (n == 0) { /* no class with instances: empty result */
                util_buf_puts(&c->sql, "SELECT NULL WHERE 0");
                for (uint32_t i = 0; i < plan->ncols; i++)
                    plan->cols[i].lazy_null = true;
                return 0;
            }
            if (sel->distinct)
                return util_error_set(c->err, SMSPROV_ENOTSUPPORTED, sel->loc,
                                      "DISTINCT on a base class query is "
                                      "not supported");
            return emit_union(c, s, sel, plan, cls, n);
        }
    }
    for (uint32_t i = 0; i < s->nfrom; i++) {
        rc = join_table(c, &s->from[i]);
        if (rc != 0)
            return rc;
    }
    util_buf_puts(&c->sql, sel->distinct ? "SELECT DISTINCT " : "SELECT ");
    emit_select_list(c, s, plan, 0);
    rc = emit_from_where(c, s, sel);
    if (rc == 0)
        rc = emit_order_by(c, sel);
    return rc;
}

int wql_plan_build(wql_plan **out, util_arena *a, const cim_schema *schema,
                   const wql_select *sel, wql_dialect dialect, int64_t now_us,
                   smsprov_error *err)
{
    return wql_plan_build_ex(out, a, schema, sel, dialect, now_us, NULL, err);
}

int wql_plan_build_ex(wql_plan **out, util_arena *a, const cim_schema *schema,
                      const wql_select *sel, wql_dialect dialect,
                      int64_t now_us, const wql_row_filter *rf,
                      smsprov_error *err)
{
    plan_ctx c;
    bind_scope *scope = NULL;
    memset(&c, 0, sizeof(c));
    c.a = a;
    c.schema = schema;
    c.dialect = dialect;
    c.now_us = now_us;
    c.err = err;
    c.rf = rf;
    util_buf_init(&c.sql, WQL_MAX_TEXT * 16);
    *out = NULL;
    wql_plan *plan = util_arena_alloc(a, sizeof(wql_plan));
    int rc = plan ? 0 : util_error_set(err, SMSPROV_ENOMEM, -1, "no memory");
    if (rc == 0)
        rc = wql_bind_select(&c, &scope, NULL, sel);
    if (rc == 0)
        rc = wql_emit_select(&c, scope, sel, plan);
    if (rc != 0 && err->code == 0) /* an emitter passed a buffer failure up */
        util_error_set(err, rc, -1,
                       rc == SMSPROV_ENOMEM ? "out of memory"
                                            : "the query is too large to plan");
    if (rc == 0 && c.sql.failed)
        rc = util_error_set(err, c.sql.failed, -1,
                            "the query is too large to plan");
    if (rc == 0) {
        plan->sql = util_arena_strdup(a, util_buf_cstr(&c.sql));
        plan->params = c.params;
        plan->nparams = c.nparams;
        plan->uses_now = c.uses_now;
        if (plan->sql == NULL)
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    util_buf_free(&c.sql);
    if (rc == 0)
        *out = plan;
    return rc;
}

int wql_compile(wql_plan **out, util_arena *a, const cim_schema *schema,
                const char *text, size_t len, wql_dialect dialect,
                int64_t now_us, smsprov_error *err)
{
    return wql_compile_ex(out, a, schema, text, len, dialect, now_us, NULL,
                          err);
}

int wql_compile_ex(wql_plan **out, util_arena *a, const cim_schema *schema,
                   const char *text, size_t len, wql_dialect dialect,
                   int64_t now_us, const wql_row_filter *rf, smsprov_error *err)
{
    wql_select *sel = NULL;
    int rc = wql_parse(&sel, a, text, len, err);
    if (rc == 0)
        rc = wql_plan_build_ex(out, a, schema, sel, dialect, now_us, rf, err);
    if (rc != 0)
        util_error_locate(err, text, len);
    return rc;
}
