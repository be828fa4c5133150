/* SPDX-License-Identifier: MIT */
/*
 * Tests for the OData $filter/$select/$orderby translator: each form maps
 * to the WQL tree the parser would build for the equivalent WQL (compared
 * through wql_dump), error positions, limits, and planning against the
 * built-in schema (the one query engine).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/http_int.h"
#include "wql/wql.h"

static util_arena *arena;
static cim_schema *schema;
static smsprov_error err;

static int setup(void **state)
{
    smsprov_error e = SMSPROV_ERROR_INIT;
    (void)state;
    arena = util_arena_new();
    return arena == NULL || provider_load_schema(&schema, &e) != 0;
}

static int teardown(void **state)
{
    (void)state;
    util_arena_free(arena);
    cim_schema_free(schema);
    return 0;
}

/* Dump of the WHERE of `SELECT * FROM SMS_SoftwareUpdate WHERE <wql>`. */
static char *wql_where(const char *wql)
{
    util_buf q = UTIL_BUF_INIT(1 << 16), d = UTIL_BUF_INIT(1 << 16);
    wql_select *sel = NULL;
    smsprov_error e = SMSPROV_ERROR_INIT;
    util_buf_printf(&q, "SELECT * FROM SMS_SoftwareUpdate WHERE %s", wql);
    assert_int_equal(wql_parse(&sel, arena, util_buf_cstr(&q), q.len, &e), 0);
    sel->cols = NULL;
    sel->ncols = 0;
    wql_dump(&d, sel);
    char *s = util_arena_strdup(arena, util_buf_cstr(&d));
    util_buf_free(&q);
    util_buf_free(&d);
    return s;
}

/* Same dump for an OData $filter. */
static char *odata_where(const char *filter)
{
    util_buf d = UTIL_BUF_INIT(1 << 16);
    wql_select *sel = NULL;
    smsprov_error init = SMSPROV_ERROR_INIT;
    odata_options o;
    bool selected = false;
    memset(&o, 0, sizeof(o));
    o.filter = filter;
    err = init;
    int rc = odata_build_select(&sel, arena, "SMS_SoftwareUpdate", &o,
                                &selected, &err);
    if (rc != 0)
        return NULL;
    sel->cols = NULL;
    sel->ncols = 0;
    wql_dump(&d, sel);
    char *s = util_arena_strdup(arena, util_buf_cstr(&d));
    util_buf_free(&d);
    return s;
}

static void same(const char *filter, const char *wql)
{
    char *a = odata_where(filter);
    if (a == NULL)
        fail_msg("%s: %s", filter, err.msg);
    char *b = wql_where(wql);
    if (strcmp(a, b) != 0)
        fail_msg("%s\n odata: %s\n wql:   %s", filter, a, b);
}

static void test_http_odata__comparisons(void **state)
{
    (void)state;
    same("ArticleID eq '5034441'", "ArticleID = '5034441'");
    same("CI_ID ne 16777220", "CI_ID <> 16777220");
    same("CI_ID gt 1 and CI_ID ge 2 and CI_ID lt 3 and CI_ID le 4",
         "CI_ID > 1 AND CI_ID >= 2 AND CI_ID < 3 AND CI_ID <= 4");
    same("IsExpired eq false or (IsSuperseded eq true and not IsEnabled eq "
         "true)",
         "IsExpired = FALSE OR (IsSuperseded = TRUE AND NOT IsEnabled = TRUE)");
    same("ArticleID eq 'it''s'", "ArticleID = 'it''s'");
    same("ArticleID eq null", "ArticleID IS NULL");
    same("ArticleID ne null", "ArticleID IS NOT NULL");
    same("CI_ID in (1, 2,3)", "CI_ID IN (1, 2, 3)");
    same("tolower(ArticleID) eq 'x'", "LOWER(ArticleID) = 'x'");
}

static void test_http_odata__functions(void **state)
{
    (void)state;
    same("startswith(ArticleID,'50')", "ArticleID LIKE '50%'");
    same("startswith(ArticleID,'50') eq true", "ArticleID LIKE '50%'");
    same("startswith(ArticleID,'50') eq false", "ArticleID NOT LIKE '50%'");
    same("endswith(ArticleID,'41')", "ArticleID LIKE '%41'");
    same("contains(LocalizedDisplayName,'50%_x')",
         "LocalizedDisplayName LIKE '%50[%][_]x%'");
    same("not contains(ArticleID,'[')", "NOT ArticleID LIKE '%[[]%'");
}

static void test_http_odata__lambda(void **state)
{
    (void)state;
    same("CategoryInstance_UniqueIDs/any(c: c eq 'Product:1')",
         "CategoryInstance_UniqueIDs = 'Product:1'");
    same("CategoryInstance_UniqueIDs/all(c: c eq 'Product:1')",
         "NOT CategoryInstance_UniqueIDs <> 'Product:1'");
    same("CategoryInstance_UniqueIDs/any(c: c eq 'a' or c eq 'b')",
         "CategoryInstance_UniqueIDs = 'a' OR CategoryInstance_UniqueIDs = "
         "'b'");
}

static void test_http_odata__errors(void **state)
{
    (void)state;
    assert_null(odata_where("ArticleID eq"));
    assert_int_equal(err.code, SMSPROV_EINVALID_QUERY);
    assert_int_equal(err.offset, 12);
    assert_non_null(strstr(err.msg, "position 13"));
    assert_null(odata_where("ArticleID eq 'x"));
    assert_int_equal(err.offset, 13);
    assert_null(odata_where("ArticleID eq 'x' garbage"));
    assert_int_equal(err.offset, 17);
    assert_null(odata_where("ArticleID # 1"));
    assert_null(odata_where("frob(ArticleID)"));
    assert_null(odata_where(""));
    assert_null(odata_where("startswith(ArticleID,'a') eq 1"));
    assert_null(odata_where("A/any(x: x/any(y: y eq 1))"));
    /* depth and length limits */
    util_buf b = UTIL_BUF_INIT(1 << 20);
    for (int i = 0; i < HTTP_MAX_FILTER_DEPTH + 2; i++)
        util_buf_putc(&b, '(');
    util_buf_puts(&b, "CI_ID eq 1");
    for (int i = 0; i < HTTP_MAX_FILTER_DEPTH + 2; i++)
        util_buf_putc(&b, ')');
    assert_null(odata_where(util_buf_cstr(&b)));
    assert_int_equal(err.code, SMSPROV_ETOOBIG);
    util_buf_reset(&b);
    for (int i = 0; i < HTTP_MAX_FILTER; i++)
        util_buf_putc(&b, ' ');
    util_buf_puts(&b, "CI_ID eq 1 ");
    assert_null(odata_where(util_buf_cstr(&b)));
    assert_int_equal(err.code, SMSPROV_ETOOBIG);
    util_buf_free(&b);
    /* trailing blanks are fine */
    assert_non_null(odata_where("CI_ID eq 1   "));
}

static void test_http_odata__select_order_plan(void **state)
{
    (void)state;
    odata_options o;
    wql_select *sel = NULL;
    wql_plan *plan = NULL;
    bool selected = false;
    smsprov_error e = SMSPROV_ERROR_INIT;
    memset(&o, 0, sizeof(o));
    o.select = "ArticleID, CI_ID ";
    o.orderby = "DatePosted desc, ArticleID";
    o.filter = "IsExpired eq false and startswith(ArticleID,'50')";
    assert_int_equal(odata_build_select(&sel, arena, "sms_softwareupdate", &o,
                                        &selected, &e),
                     0);
    assert_true(selected);
    assert_int_equal(sel->ncols, 2);
    assert_int_equal(sel->norder, 2);
    assert_true(sel->order[0].desc);
    assert_false(sel->order[1].desc);
    assert_int_equal(
        wql_plan_build(&plan, arena, schema, sel, WQL_DIALECT_SQLITE, 0, &e),
        0);
    assert_non_null(strstr(plan->sql, "ORDER BY"));
    assert_int_equal(plan->nparams, 2);
    /* unknown property: a positioned binder error */
    o.filter = "Nope eq 1";
    o.select = NULL;
    o.orderby = NULL;
    assert_int_equal(odata_build_select(&sel, arena, "SMS_SoftwareUpdate", &o,
                                        &selected, &e),
                     0);
    assert_int_not_equal(
        wql_plan_build(&plan, arena, schema, sel, WQL_DIALECT_SQLITE, 0, &e),
        0);
    assert_int_equal(e.code, SMSPROV_EINVALID_PROPERTY);
    assert_int_equal(e.offset, 0);
    /* bad $select / $orderby */
    smsprov_error e2 = SMSPROV_ERROR_INIT;
    o.filter = NULL;
    o.select = "a,,b";
    assert_int_not_equal(
        odata_build_select(&sel, arena, "X", &o, &selected, &e2), 0);
    smsprov_error e3 = SMSPROV_ERROR_INIT;
    o.select = NULL;
    o.orderby = "a sideways";
    assert_int_not_equal(
        odata_build_select(&sel, arena, "X", &o, &selected, &e3), 0);
    int64_t n = 0;
    assert_int_equal(odata_parse_count(" 5 ", 0, &n), 0);
    assert_int_equal(n, 5);
    assert_int_not_equal(odata_parse_count("-1", 0, &n), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_odata__comparisons),
        cmocka_unit_test(test_http_odata__functions),
        cmocka_unit_test(test_http_odata__lambda),
        cmocka_unit_test(test_http_odata__errors),
        cmocka_unit_test(test_http_odata__select_order_plan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
