/* SPDX-License-Identifier: MIT */
/*
 * Query semantics end to end through the provider on a temporary SQLite
 * database: coercions, LIKE classes, date functions, arrays, base classes,
 * and errors with positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "provider/provider.h"

static char db_path[64];

static void put(provider *p, const char *cls, const char *json)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    assert_non_null(o);
    const cim_class *c = cim_schema_class(provider_schema(p), cls, strlen(cls));
    assert_non_null(c);
    int rc = provider_put_json(NULL, NULL, p, c, o, PROVIDER_INTERNAL, &err);
    if (rc != 0)
        fail_msg("put %s: %s", cls, err.msg);
    json_decref(o);
}

static int setup(void **state)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    snprintf(db_path, sizeof(db_path), "/tmp/smsprov-test-%d.db", getpid());
    unlink(db_path);
    if (provider_open(&p, db_path, &err) != 0) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    static const char *updates[] = {
        "{\"CI_ID\":16777217,\"ArticleID\":\"5034441\",\"CI_UniqueID\":\"u1\","
        "\"LocalizedDisplayName\":\"2024-01 Cumulative Update for Windows 11\","
        "\"DatePosted\":\"20240109000000.000000+000\",\"Severity\":10,"
        "\"CategoryInstance_UniqueIDs\":[\"Product:W11\","
        "\"UpdateClassification:"
        "SEC\"],\"IsExpired\":false,\"IsSuperseded\":false}",
        "{\"CI_ID\":16777218,\"ArticleID\":\"890830\",\"CI_UniqueID\":\"u2\","
        "\"LocalizedDisplayName\":\"Windows Malicious Software Removal Tool\","
        "\"DatePosted\":\"20240213100000.000000+000\",\"Severity\":0,"
        "\"CategoryInstance_UniqueIDs\":[\"Product:W10\"],\"IsExpired\":true,"
        "\"IsSuperseded\":false}",
        "{\"CI_ID\":16777219,\"ArticleID\":\"5031234\",\"CI_UniqueID\":\"u3\","
        "\"LocalizedDisplayName\":\".NET Framework 4.8 Security Update\","
        "\"DatePosted\":\"20231231235959.000000+000\",\"Severity\":8,"
        "\"CategoryInstance_UniqueIDs\":[],\"IsExpired\":false,"
        "\"IsSuperseded\":true}",
    };
    for (size_t i = 0; i < 3; i++) {
        /* fill the not_null properties every update needs */
        json_error_t je;
        json_t *o = json_loads(updates[i], 0, &je);
        json_t *base = json_pack(
            "{s:i,s:s,s:b,s:b,s:b,s:b,s:i,s:i,s:i,s:i,s:s}", "CIType_ID", 1,
            "ModelName", json_string_value(json_object_get(o, "CI_UniqueID")),
            "IsBundle", 0, "IsEnabled", 1, "IsHidden", 0, "IsUserDefined", 0,
            "ModelID", (int)i + 1, "PermittedUses", 0, "SDMPackageVersion", 1,
            "RevisionNumber", 1, "ApplicabilityCondition", "");
        json_object_update(base, o);
        char *s = json_dumps(base, 0);
        put(p, "SMS_SoftwareUpdate", s);
        free(s);
        json_decref(o);
        json_decref(base);
    }
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    provider_close(*state);
    unlink(db_path);
    char wal[80];
    snprintf(wal, sizeof(wal), "%s-wal", db_path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", db_path);
    unlink(wal);
    return 0;
}

typedef struct collect {
    char text[1024]; /* ArticleIDs (or counts) joined by ',' */
} collect;

static int on_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                  void *payload)
{
    collect *c = payload;
    size_t n = strlen(c->text);
    if (plan->is_count) {
        snprintf(c->text + n, sizeof(c->text) - n, "%s%lld", n ? "," : "",
                 (long long)count);
        return 0;
    }
    const cim_value *v = cim_instance_get_by_name(parts[0], "ArticleID");
    snprintf(c->text + n, sizeof(c->text) - n, "%s%s", n ? "," : "",
             v && !v->is_null ? v->v.s : "-");
    return 0;
}

static const char *run(provider *p, const char *wql, collect *c)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    c->text[0] = '\0';
    int rc = provider_query(p, wql, strlen(wql), on_row, c, &err);
    if (rc != 0)
        fail_msg("%s: %s", wql, err.msg);
    return c->text;
}

static void expect(provider *p, const char *wql, const char *want)
{
    collect c;
    assert_string_equal(run(p, wql, &c), want);
}

static void test_provider_query__filters(void **state)
{
    provider *p = *state;
    const char *base = "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE ";
    char q[512];
#define Q(where) (snprintf(q, sizeof(q), "%s%s ORDER BY CI_ID", base, where), q)
    expect(p, Q("IsExpired = 0"), "5034441,5031234");
    expect(p, Q("IsExpired = TRUE"), "890830");
    expect(p, Q("IsSuperseded = 'true'"), "5031234");
    expect(p, Q("CI_ID = '16777218'"), "890830");
    expect(p, Q("Severity >= 8 AND NOT IsSuperseded = 1"), "5034441");
    expect(p, Q("Severity = 0 OR Severity = 10 AND IsExpired = 1"), "890830");
    expect(p, Q("(Severity = 0 OR Severity = 10) AND IsExpired = 0"),
           "5034441");
    expect(p, Q("LocalizedDisplayName LIKE '%windows%'"), "5034441,890830");
    expect(p, Q("LocalizedDisplayName LIKE '[.]NET%'"), "5031234");
    expect(p, Q("ArticleID LIKE '50[0-3]%'"), "5034441,5031234");
    expect(p, Q("ArticleID LIKE '[^5]%'"), "890830");
    expect(p, Q("ArticleID NOT LIKE '5%'"), "890830");
    expect(p, Q("CI_ID LIKE '%19'"), "5031234");
    expect(p, Q("ArticleID IN ('890830', '5031234')"), "890830,5031234");
    expect(p, Q("ArticleID NOT IN ('890830')"), "5034441,5031234");
    expect(p, Q("CategoryInstance_UniqueIDs = 'product:w10'"), "890830");
    expect(p, Q("CategoryInstance_UniqueIDs IN ('Product:W11','x')"),
           "5034441");
    expect(p, Q("CategoryInstance_UniqueIDs LIKE 'Update%'"), "5034441");
    expect(p, Q("BulletinID = 'None' AND LocalizedDescription IS NULL"),
           "5034441,890830,5031234");
    expect(p, Q("DatePosted > '2024-01-01'"), "5034441,890830");
    expect(p, Q("DatePosted < '20240101000000.000000+000'"), "5031234");
    expect(p, Q("DatePosted = '2024-02-13T11:00:00+01:00'"), "890830");
    expect(p, Q("DATEPART(yy, DatePosted) = 2023"), "5031234");
    expect(p,
           Q("DATEPART(mm, DatePosted) = 2 AND DATEPART(dd, DatePosted) = "
             "13 AND DATEPART(hh, DatePosted) = 10"),
           "890830");
    expect(p, Q("DATEDIFF(dd, DatePosted, '2024-01-10') = 1"), "5034441");
    expect(p, Q("DATEDIFF(yy, DatePosted, '2024-01-01') = 1"), "5031234");
    expect(p, Q("DATEDIFF(mm, DatePosted, '2024-03-01') = 1"), "890830");
    expect(p, Q("DATEADD(dd, 1, DatePosted) = '2024-01-10'"), "5034441");
    expect(p, Q("DATEADD(mm, 1, DatePosted) > '2024-03-01'"), "890830");
    expect(p,
           Q("DatePosted < DATEADD(yy, -1, GetDate()) AND ArticleID = "
             "'5031234' OR DATEDIFF(dd, DatePosted, GetDate()) < 0"),
           "5031234");
    expect(p,
           Q("UPPER(ArticleID) = '890830' AND SUBSTRING(LocalizedDisplayName"
             ", 1, 7) = 'windows'"),
           "890830");
#undef Q
}

static void test_provider_query__shapes(void **state)
{
    provider *p = *state;
    expect(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsExpired = 0",
           "2");
    expect(p, "SELECT COUNT(LocalizedDescription) FROM SMS_SoftwareUpdate",
           "0");
    expect(p, "SELECT COUNT(*) FROM SMS_ConfigurationItemBaseClass", "3");
    expect(p,
           "select articleid from SMS_SOFTWAREUPDATE order by DatePosted "
           "desc",
           "890830,5034441,5031234");
    expect(p,
           "SELECT ArticleID FROM SMS_SoftwareUpdate ORDER BY IsExpired, "
           "Severity DESC",
           "5034441,5031234,890830");
    expect(p, "SELECT * FROM SMS_SoftwareUpdate WHERE ArticleID = \"890830\"",
           "890830");
    expect(p, "SELECT DISTINCT IsExpired FROM SMS_SoftwareUpdate", "-,-");
}

static void test_provider_query__long_or_chain(void **state)
{
    provider *p = *state;
    util_buf q = UTIL_BUF_INIT(1 << 20);
    util_buf_puts(&q, "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE ");
    for (int i = 0; i < 3000; i++)
        util_buf_printf(&q, "%sArticleID = '%d'", i ? " OR " : "",
                        i == 2500 ? 890830 : i);
    expect(p, util_buf_cstr(&q), "890830");
    util_buf_free(&q);
}

typedef struct nested {
    provider *p;   /* handle */
    const char *q; /* the query being run */
    int depth;     /* recursion so far */
    collect inner; /* what the nested run saw */
} nested;

static int on_nested(const wql_plan *plan, cim_instance **parts, int64_t count,
                     void *payload)
{
    nested *n = payload;
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)plan;
    (void)parts;
    (void)count;
    if (n->depth++ > 0)
        return 0;
    n->inner.text[0] = '\0';
    /* the same text while its cached statement is stepping */
    return provider_query(n->p, n->q, strlen(n->q), on_row, &n->inner, &err);
}

static void test_provider_query__cached_statements(void **state)
{
    provider *p = *state;
    const char *q = "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE "
                    "IsExpired = 0 ORDER BY CI_ID";
    /* repeated runs reuse the statement and see later writes */
    expect(p, q, "5034441,5031234");
    expect(p, q, "5034441,5031234");
    smsprov_error err = SMSPROV_ERROR_INIT;
    json_t *o = json_pack("{s:i,s:b}", "CI_ID", 16777218, "IsExpired", 0);
    const cim_class *c =
        cim_schema_class(provider_schema(p), "SMS_SoftwareUpdate", 18);
    assert_int_equal(
        provider_put_json(NULL, NULL, p, c, o, PROVIDER_INTERNAL, &err), 0);
    expect(p, q, "5034441,890830,5031234");
    json_object_set_new(o, "IsExpired", json_true());
    assert_int_equal(
        provider_put_json(NULL, NULL, p, c, o, PROVIDER_INTERNAL, &err), 0);
    json_decref(o);
    expect(p, q, "5034441,5031234");
    /* re-entrant use of the same text from a row callback */
    nested n = {p, q, 0, {""}};
    assert_int_equal(provider_query(p, q, strlen(q), on_nested, &n, &err), 0);
    assert_string_equal(n.inner.text, "5034441,5031234");
    /* GetDate() queries are never reused with a stale clock */
    expect(p,
           "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE DatePosted < "
           "GetDate() AND CI_ID = 16777217",
           "5034441");
}

static void expect_error(provider *p, const char *wql, int code, int col)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    collect c = {""};
    int rc = provider_query(p, wql, strlen(wql), on_row, &c, &err);
    if (rc != code)
        fail_msg("%s: got %d (%s), wanted %d", wql, rc, err.msg, code);
    assert_int_equal(err.col, col);
    assert_string_equal(c.text, "");
}

static void test_provider_query__errors(void **state)
{
    provider *p = *state;
    expect_error(p, "SELECT * FROM SMS_Nope", SMSPROV_EINVALID_CLASS, 15);
    expect_error(p, "SELECT Nope FROM SMS_SoftwareUpdate",
                 SMSPROV_EINVALID_PROPERTY, 8);
    expect_error(p, "SELECT * FROM SMS_SoftwareUpdate WHERE CI_ID = -1",
                 SMSPROV_ETYPE_MISMATCH, 48);
    expect_error(p, "SELECT * FROM SMS_SoftwareUpdate WHERE CI_ID = 4294967296",
                 SMSPROV_ETYPE_MISMATCH, 48);
    expect_error(p, "SELECT * FROM SMS_SoftwareUpdate WHERE IsExpired = 'yes'",
                 SMSPROV_ETYPE_MISMATCH, 52);
    expect_error(p, "SELECT * FROM SMS_SoftwareUpdate WHERE DatePosted > 'x'",
                 SMSPROV_ETYPE_MISMATCH, 53);
    expect_error(p, "SELECT * FROM SMS_SoftwareUpdate WHERE __CLASS = 'x'",
                 SMSPROV_EINVALID_QUERY, 40);
    expect_error(p, "SELECT COUNT(*), ArticleID FROM SMS_SoftwareUpdate",
                 SMSPROV_EINVALID_QUERY, 8);
    expect_error(p, "SELECT CI_ID FROM SMS_ConfigurationItemBaseClass ORDER BY "
                    "SDMPackageXML",
                 SMSPROV_ENOTSUPPORTED, 59);
    expect_error(p, "SELECT COUNT(1) FROM SMS_SoftwareUpdate",
                 SMSPROV_EINVALID_QUERY, 14);
    expect_error(p, "SELECT COUNT(UPPER(ArticleID)) FROM SMS_SoftwareUpdate",
                 SMSPROV_EINVALID_QUERY, 14);
    expect_error(p, "SELECT * FROM SMS_SoftwareUpdate WHERE NOSUCH(1) = 1",
                 SMSPROV_EINVALID_QUERY, 40);
    expect_error(p,
                 "SELECT * FROM SMS_SoftwareUpdate WHERE "
                 "DATEDIFF(fortnight, DatePosted, GetDate()) > 1",
                 SMSPROV_EINVALID_QUERY, 49);
    expect_error(p, "SELECT * FROM SMS_CI_LocalizedProperties",
                 SMSPROV_EINVALID_CLASS, 15);
    /* CI_ID is in both classes: ambiguous unless qualified */
    expect_error(p,
                 "SELECT a.CI_ID FROM SMS_SoftwareUpdate a JOIN "
                 "SMS_CIAllCategories b ON a.CI_ID = b.CI_ID WHERE CI_ID = 1",
                 SMSPROV_EINVALID_QUERY, 96);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider_query__filters),
        cmocka_unit_test(test_provider_query__shapes),
        cmocka_unit_test(test_provider_query__errors),
        cmocka_unit_test(test_provider_query__long_or_chain),
        cmocka_unit_test(test_provider_query__cached_statements),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
