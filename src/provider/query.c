/* SPDX-License-Identifier: MIT */
/*
 * Exec-query: compiles WQL with the one query engine, runs the SQL on the
 * store and turns each row back into CIM instances (one per FROM class for
 * joins), leaving lazy properties out as the SMS Provider does.
 */
#include <string.h>

#include "provider/provider_int.h"

static wql_dialect dialect_of(provider *p)
{
    return store_get_dialect(p->db) == STORE_POSTGRES ? WQL_DIALECT_POSTGRES
                                                      : WQL_DIALECT_SQLITE;
}

static int bind_params(store_stmt *st, const wql_plan *plan)
{
    for (uint32_t i = 0; i < plan->nparams; i++) {
        int rc = store_bind_value(st, (int)i + 1, &plan->params[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Concrete class of a base-class row, from the __class column. */
static const cim_class *row_class(provider *p, const wql_plan *plan,
                                  store_stmt *st, uint32_t part)
{
    if (plan->class_col < 0 || part != 0)
        return plan->parts[part].cls;
    size_t n = 0;
    const char *name = store_column_text(st, plan->class_col, &n);
    const cim_class *c = name ? cim_schema_class(p->schema, name, n) : NULL;
    return c ? c : plan->parts[part].cls;
}

/*
 * Result instances are built once per query, not once per row: a row only
 * rewrites its output columns, so its cost follows the columns selected
 * rather than the properties of the class (SMS_SoftwareUpdate has 69).
 * The instance structs live in the query arena; their `arena` points at
 * the row arena, so decoded strings and arrays are freed by its per-row
 * reset.  Base-class queries meet several concrete classes: each part
 * keeps up to QUERY_CLASS_CACHE of them and builds the rest per row.
 */
#define QUERY_CLASS_CACHE 16

typedef struct part_cache {
    const cim_class *cls[QUERY_CLASS_CACHE]; /* classes seen so far */
    cim_instance *inst[QUERY_CLASS_CACHE];   /* their reusable instance */
    uint32_t n;                              /* entries used */
} part_cache;

/* The instance of class cls for the current row (see above). */
static int part_instance(cim_instance **out, part_cache *pc,
                         const cim_class *cls, util_arena *a, util_arena *row,
                         smsprov_error *err)
{
    for (uint32_t i = 0; i < pc->n; i++)
        if (pc->cls[i] == cls) {
            *out = pc->inst[i];
            return 0;
        }
    if (pc->n == QUERY_CLASS_CACHE)
        return cim_instance_new(out, cls, row, err);
    int rc = cim_instance_new(out, cls, a, err);
    if (rc != 0)
        return rc;
    (*out)->arena = row;
    pc->cls[pc->n] = cls;
    pc->inst[pc->n++] = *out;
    return 0;
}

static int build_row(provider *p, const wql_plan *plan, store_stmt *st,
                     util_arena *a, util_arena *row, part_cache *cache,
                     cim_instance **parts, smsprov_error *err)
{
    for (uint32_t i = 0; i < plan->nparts; i++) {
        int rc = part_instance(&parts[i], &cache[i], row_class(p, plan, st, i),
                               a, row, err);
        if (rc != 0)
            return rc;
    }
    for (uint32_t i = 0; i < plan->ncols; i++) {
        const wql_outcol *oc = &plan->cols[i];
        cim_instance *inst = parts[oc->part];
        if (oc->lazy_null) {
            inst->present[oc->prop->index] = 1; /* present, NULL */
            continue;
        }
        int rc = store_decode_column(inst, oc->prop, st, oc->sql_col, err);
        if (rc != 0)
            return rc;
    }
    /* The unmatched side of a LEFT JOIN comes back with NULL keys. */
    for (uint32_t i = 0; plan->nested && i < plan->nparts; i++) {
        const cim_class *c = parts[i]->cls;
        bool keys_read = c->nkeys > 0, any_key = false;
        for (uint32_t k = 0; k < c->nkeys; k++) {
            uint32_t idx = c->keys[k];
            keys_read &= parts[i]->present[idx] != 0;
            any_key |= !parts[i]->values[idx].is_null;
        }
        if (keys_read && !any_key)
            parts[i] = NULL;
    }
    return 0;
}

static int run_plan(provider *p, util_arena *a, wql_plan *plan, store_stmt *st,
                    provider_row_fn fn, void *payload, smsprov_error *err);

/* Prepares the plan's statement and binds its parameters. */
static int prepare_plan(store_stmt **st, provider *p, const wql_plan *plan,
                        smsprov_error *err)
{
    int rc = store_prepare(st, p->db, plan->sql, err);
    if (rc == 0)
        rc = bind_params(*st, plan);
    return rc;
}

/* Runs a cached plan and statement with a fresh arena for the run's own
 * state, then hands the statement back to the cache. */
static int run_cached(provider *p, wql_plan *plan, store_stmt *st,
                      provider_row_fn fn, void *payload, smsprov_error *err)
{
    util_arena *run = util_arena_new();
    int rc = run ? run_plan(p, run, plan, st, fn, payload, err)
                 : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    prov_qcache_release(p, st);
    util_arena_free(run);
    return rc;
}

int provider_query(provider *p, const char *wql, size_t len, provider_row_fn fn,
                   void *payload, smsprov_error *err)
{
    wql_plan *plan = NULL;
    store_stmt *st = NULL;
    wql_row_filter rf;
    if (prov_qcache_take(p, wql, len, &plan, &st))
        return run_cached(p, plan, st, fn, payload, err);
    bool filtered = prov_rbac_row_filter(p, &rf);
    util_arena *a = util_arena_new();
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = wql_compile_ex(&plan, a, p->schema, wql, len, dialect_of(p),
                            util_now_us(), filtered ? &rf : NULL, err);
    if (rc == 0)
        rc = prepare_plan(&st, p, plan, err);
    /* the cache takes the arena, plan and statement when it keeps them */
    if (rc == 0 && !filtered && prov_qcache_put(p, wql, len, a, plan, st))
        return run_cached(p, plan, st, fn, payload, err);
    if (rc == 0)
        rc = run_plan(p, a, plan, st, fn, payload, err);
    store_stmt_free(st);
    util_arena_free(a);
    return rc;
}

int provider_query_select(provider *p, const wql_select *sel,
                          provider_row_fn fn, void *payload, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    wql_plan *plan = NULL;
    store_stmt *st = NULL;
    wql_row_filter rf;
    bool filtered = prov_rbac_row_filter(p, &rf);
    int rc;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    rc = wql_plan_build_ex(&plan, a, p->schema, sel, dialect_of(p),
                           util_now_us(), filtered ? &rf : NULL, err);
    if (rc == 0)
        rc = prepare_plan(&st, p, plan, err);
    if (rc == 0)
        rc = run_plan(p, a, plan, st, fn, payload, err);
    store_stmt_free(st);
    util_arena_free(a);
    return rc;
}

/* Runs a compiled plan on its prepared statement (borrowed, parameters
 * bound); a is the arena for this run's per-query state. */
static int run_plan(provider *p, util_arena *a, wql_plan *plan, store_stmt *st,
                    provider_row_fn fn, void *payload, smsprov_error *err)
{
    util_arena *row = util_arena_new();
    cim_instance **parts = NULL;
    part_cache *cache = NULL;
    int rc = 0;
    if (row == NULL) {
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        goto out;
    }
    if (plan->nparts > 0) {
        parts = util_arena_alloc(a, sizeof(cim_instance *) * plan->nparts);
        cache = util_arena_alloc(a, sizeof(part_cache) * plan->nparts);
        if (parts == NULL || cache == NULL) {
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            goto out;
        }
    }
    while ((rc = store_step(st, err)) == 1) {
        if (plan->is_count) {
            rc = fn(plan, NULL, store_column_int64(st, 0), payload);
        } else {
            util_arena_reset(row);
            rc = build_row(p, plan, st, a, row, cache, parts, err);
            if (rc == 0)
                rc = fn(plan, parts, 0, payload);
        }
        if (rc != 0)
            goto out;
    }
out:
    util_arena_free(row);
    return rc;
}

int provider_plan(wql_plan **out, util_arena *a, provider *p, const char *wql,
                  size_t len, smsprov_error *err)
{
    return wql_compile(out, a, p->schema, wql, len, dialect_of(p),
                       util_now_us(), err);
}

int provider_explain(provider *p, const char *wql, size_t len, util_buf *out,
                     smsprov_error *err)
{
    util_arena *a = util_arena_new();
    wql_plan *plan = NULL;
    int rc;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    rc = provider_plan(&plan, a, p, wql, len, err);
    if (rc == 0) {
        util_buf_printf(out, "sql: %s\n", plan->sql);
        for (uint32_t i = 0; i < plan->nparams; i++) {
            util_buf_printf(out, "param %u: %s ", i + 1,
                            cim_type_name(plan->params[i].type));
            cim_value_to_text(out, &plan->params[i]);
            util_buf_putc(out, '\n');
        }
        util_buf_printf(out, "result: %s%s\n",
                        plan->is_count ? "count" : "instances",
                        plan->nested ? " (nested by class/alias)" : "");
        for (uint32_t i = 0; i < plan->ncols; i++)
            util_buf_printf(out, "column: %s.%s%s\n",
                            plan->parts[plan->cols[i].part].name,
                            plan->cols[i].prop->name,
                            plan->cols[i].lazy_null ? " (lazy: NULL)" : "");
    }
    util_arena_free(a);
    return rc;
}
