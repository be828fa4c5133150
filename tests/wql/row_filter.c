/* SPDX-License-Identifier: MIT */
/*
 * Tests for the planner's row-filter hook (wql_plan_build_ex): the filter
 * is asked for every table read (FROM items, base-class unions, LEFT JOIN
 * sides, subqueries), its condition and parameters land in the right
 * place, and without a filter the SQL is unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof.h"
#include "wql/plan.h"

static cim_schema *schema;
static util_arena *arena;
static int calls;

static const char *const mof =
    "class Base { [key] uint32 Id; string Name; };\n"
    "[Secured] class A : Base { uint32 Size; string Tags[]; };\n"
    "class B : Base { uint32 AId; };\n";

static int setup(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)state;
    arena = util_arena_new();
    return arena == NULL || mof_schema_new(&schema, &err) != 0 ||
           mof_parse(schema, "t.mof", mof, strlen(mof), &err) != 0 ||
           mof_schema_finalize(schema, &err) != 0;
}

static int teardown(void **state)
{
    (void)state;
    cim_schema_free(schema);
    util_arena_free(arena);
    return 0;
}

/* Filters secured classes on Name = ? with the class name as value. */
static int filter(void *ctx, const cim_class *cls, const char *alias,
                  util_buf *sql, util_arena *a, cim_value **params, uint32_t *n,
                  smsprov_error *err)
{
    (void)ctx;
    (void)err;
    calls++;
    if (!(cls->flags & CIM_C_SECURED))
        return 0;
    util_buf_printf(sql, "%s.\"Name\" = ?", alias);
    *params = util_arena_alloc(a, sizeof(cim_value));
    (*params)[0] = cim_value_str(CIM_STRING, "scoped");
    *n = 1;
    return 0;
}

static const wql_plan *plan(const char *q, bool with)
{
    wql_plan *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    wql_row_filter rf = {filter, NULL};
    calls = 0;
    int rc = wql_compile_ex(&p, arena, schema, q, strlen(q), WQL_DIALECT_SQLITE,
                            0, with ? &rf : NULL, &err);
    if (rc != 0)
        fail_msg("%s: %s", q, err.msg);
    if (getenv("ROW_FILTER_DEBUG"))
        fprintf(stderr, "%s\n", p->sql);
    return p;
}

static void test_wql_row_filter__where(void **state)
{
    (void)state;
    const wql_plan *p =
        plan("SELECT Id FROM A WHERE Size = 1 OR Size = 2", true);
    assert_non_null(strstr(p->sql, "WHERE (((t0.\"Size\" = ?) OR "
                                   "(t0.\"Size\" = ?))) AND (t0.\"Name\" = "
                                   "?)"));
    assert_int_equal(p->nparams, 3);
    assert_string_equal(p->params[2].v.s, "scoped");
    p = plan("SELECT Id FROM A", true);
    assert_non_null(strstr(p->sql, " WHERE (t0.\"Name\" = ?)"));
    p = plan("SELECT Id FROM B", true);
    assert_null(strstr(p->sql, "WHERE"));
    assert_int_equal(calls, 1);
}

static void test_wql_row_filter__unchanged_without(void **state)
{
    (void)state;
    const wql_plan *p = plan("SELECT Id FROM A WHERE Size = 1", false);
    assert_non_null(strstr(p->sql, "WHERE (t0.\"Size\" = ?)"));
    assert_null(strstr(p->sql, "AND"));
    assert_int_equal(p->nparams, 1);
}

static void test_wql_row_filter__every_table(void **state)
{
    (void)state;
    /* base class: one call per concrete class */
    const wql_plan *p = plan("SELECT Id FROM Base", true);
    assert_true(calls >= 2);
    assert_non_null(strstr(p->sql, "\"Name\" = ?"));
    /* join and subquery */
    p = plan("SELECT A.Id FROM A JOIN B ON B.AId = A.Id WHERE A.Id IN "
             "(SELECT AId FROM B)",
             true);
    assert_int_equal(calls, 3);
    /* left join: the outer side is filtered in its ON */
    p = plan("SELECT B.Id FROM B LEFT JOIN A ON A.Id = B.AId", true);
    assert_non_null(strstr(p->sql, "ON ((t1.\"Id\" = t0.\"AId\")) AND "
                                   "(t1.\"Name\" = ?)"));
    assert_null(strstr(p->sql, "WHERE"));
    /* count */
    p = plan("SELECT COUNT(*) FROM A WHERE Size > 3", true);
    assert_non_null(strstr(p->sql, "AND (t0.\"Name\" = ?)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wql_row_filter__where),
        cmocka_unit_test(test_wql_row_filter__unchanged_without),
        cmocka_unit_test(test_wql_row_filter__every_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
