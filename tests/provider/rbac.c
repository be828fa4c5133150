/* SPDX-License-Identifier: MIT */
/*
 * Role-based access through the provider on a temporary database: built-in
 * roles and scopes, users and credentials (PBKDF2 passwords, tokens,
 * principals), permission checks on writes, scope filtering of Secured
 * classes on queries and gets, and the audit trail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "provider/provider_int.h"
#include "provider/rbac.h"

static char db_path[64];
static provider *prov;

static void put(const char *cls, const char *json)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    json_t *o = json_loads(json, 0, NULL);
    assert_non_null(o);
    const cim_class *c =
        cim_schema_class(provider_schema(prov), cls, strlen(cls));
    assert_non_null(c);
    if (provider_put_json(NULL, NULL, prov, c, o, PROVIDER_INTERNAL, &err))
        fail_msg("put %s: %s", cls, err.msg);
    json_decref(o);
}

static int setup(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/smsprov-rbac-%d.db", getpid());
    unlink(db_path);
    if (provider_open(&prov, db_path, &err) != 0 ||
        provider_rbac_init(prov, &err) != 0) {
        fprintf(stderr, "setup: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    char wal[80];
    (void)state;
    provider_close(prov);
    unlink(db_path);
    snprintf(wal, sizeof(wal), "%s-wal", db_path);
    unlink(wal);
    snprintf(wal, sizeof(wal), "%s-shm", db_path);
    unlink(wal);
    return 0;
}

static int count_row(const wql_plan *plan, cim_instance **parts, int64_t n,
                     void *arg)
{
    (void)parts;
    *(int64_t *)arg = plan->is_count ? n : *(int64_t *)arg + 1;
    return 0;
}

static int64_t count(const char *wql)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    int64_t n = 0;
    if (provider_query(prov, wql, strlen(wql), count_row, &n, &err) != 0)
        fail_msg("%s: %s", wql, err.msg);
    return n;
}

static void test_provider_rbac__builtins_and_users(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    json_t *list = NULL;
    char *user = NULL;
    (void)state;
    assert_int_equal(count("SELECT * FROM SMS_Role WHERE RoleID = "
                           "'SMS0001R' AND RoleName = 'Full Administrator'"),
                     1);
    assert_int_equal(count("SELECT * FROM SMS_SecuredCategory"), 2);
    assert_int_equal(provider_rbac_init(prov, &err), 0); /* idempotent */
    assert_int_equal(count("SELECT * FROM SMS_Role"), 2);
    const char *scopes[] = {"All"};
    assert_int_equal(provider_admin_add(prov, "alice", "Full Administrator",
                                        scopes, 1, "pw1", NULL, &err),
                     0);
    assert_int_equal(provider_admin_add(prov, "alice", "SMS0001R", scopes, 1,
                                        "pw2", "Alice@EXAMPLE.COM", &err),
                     0);
    assert_int_equal(count("SELECT * FROM SMS_Admin"), 1);
    assert_int_equal(provider_admin_list(&list, prov, &err), 0);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(list, 0), "Principal")),
                        "alice@example.com");
    json_decref(list);
    /* passwords: the latest one only */
    assert_int_equal(provider_auth_password(&user, prov, "ALICE", "pw1", &err),
                     SMSPROV_EACCESS);
    util_error_clear(&err);
    assert_int_equal(provider_auth_password(&user, prov, "alice", "pw2", &err),
                     0);
    assert_string_equal(user, "alice");
    util_free(user);
    assert_int_equal(
        provider_auth_principal(&user, prov, "alice@EXAMPLE.com", &err), 0);
    assert_string_equal(user, "alice");
    util_free(user);
    util_error_clear(&err);
    assert_int_equal(
        provider_auth_principal(&user, prov, "bob@EXAMPLE.COM", &err),
        SMSPROV_EACCESS);
    /* tokens */
    char *tok = NULL;
    util_error_clear(&err);
    assert_int_equal(provider_admin_token(&tok, prov, "alice", &err), 0);
    assert_int_equal(strlen(tok), 2 * RBAC_TOKEN_BYTES);
    assert_int_equal(provider_auth_token(&user, prov, tok, &err), 0);
    assert_string_equal(user, "alice");
    util_free(user);
    tok[0] = tok[0] == 'a' ? 'b' : 'a';
    assert_int_equal(provider_auth_token(&user, prov, tok, &err),
                     SMSPROV_EACCESS);
    util_free(tok);
    util_error_clear(&err);
    assert_int_equal(provider_admin_add(prov, "x", "No Such Role", NULL, 0,
                                        NULL, NULL, &err),
                     SMSPROV_ENOTFOUND);
    util_error_clear(&err);
    assert_int_equal(provider_admin_remove(prov, "nobody", &err),
                     SMSPROV_ENOTFOUND);
}

static void test_provider_rbac__scopes_and_denials(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    provider_caller *bob = NULL, *sys = NULL;
    cim_instance *inst = NULL;
    char *scope = NULL;
    (void)state;
    put("SMS_Collection", "{\"CollectionID\":\"ABC00001\",\"Name\":\"a\","
                          "\"LimitToCollectionID\":\"SMS00001\"}");
    put("SMS_Collection", "{\"CollectionID\":\"ABC00002\",\"Name\":\"b\","
                          "\"LimitToCollectionID\":\"SMS00001\"}");
    assert_int_equal(provider_scope_add(&scope, prov, "Lab", "lab", &err), 0);
    char m[256];
    snprintf(m, sizeof(m),
             "{\"CategoryID\":\"%s\",\"ObjectKey\":\"ABC00001\","
             "\"ObjectTypeID\":1}",
             scope);
    put("SMS_SecuredCategoryMembership", m);
    const char *scopes[] = {"Lab"};
    assert_int_equal(provider_admin_add(prov, "bob", "Read-only Analyst",
                                        scopes, 1, NULL, NULL, &err),
                     0);
    assert_int_equal(provider_caller_load(&bob, prov, "bob", &err), 0);
    assert_string_equal(provider_caller_name(bob), "bob");
    assert_int_equal(provider_caller_load(&sys, prov, "nobody", &err),
                     SMSPROV_EACCESS);
    util_error_clear(&err);
    assert_int_equal(count("SELECT * FROM SMS_Collection"), 2);
    provider_set_caller(prov, bob);
    assert_string_equal(provider_caller_user(prov), "bob");
    assert_int_equal(count("SELECT * FROM SMS_Collection"), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM SMS_Collection"), 1);
    const char *p1 = "SMS_Collection.CollectionID=\"ABC00001\"";
    const char *p2 = "SMS_Collection.CollectionID=\"ABC00002\"";
    assert_int_equal(provider_get(&inst, prov, p1, strlen(p1), &err), 0);
    cim_instance_free(inst);
    assert_int_equal(provider_get(&inst, prov, p2, strlen(p2), &err),
                     SMSPROV_ENOTFOUND);
    util_error_clear(&err);
    /* writes and deletes are denied, nothing changes */
    const cim_class *c =
        cim_schema_class(provider_schema(prov), "SMS_Collection", 14);
    json_t *o =
        json_pack("{s:s,s:s}", "CollectionID", "ABC00001", "Name", "changed");
    assert_int_equal(
        provider_put_json(NULL, NULL, prov, c, o, PROVIDER_CLIENT, &err),
        SMSPROV_EACCESS);
    json_decref(o);
    util_error_clear(&err);
    assert_int_equal(
        provider_delete(prov, p1, strlen(p1), PROVIDER_CLIENT, &err),
        SMSPROV_EACCESS);
    util_error_clear(&err);
    assert_int_equal(
        provider_delete(prov, p2, strlen(p2), PROVIDER_CLIENT, &err),
        SMSPROV_ENOTFOUND);
    util_error_clear(&err);
    assert_int_equal(prov_rbac_check(prov, c, PROVIDER_PERM_EXECUTE, "X", &err),
                     SMSPROV_EACCESS);
    assert_non_null(strstr(err.msg, "SMS_Collection.X"));
    util_error_clear(&err);
    provider_set_caller(prov, NULL);
    assert_int_equal(count("SELECT * FROM SMS_Collection WHERE Name = 'a'"), 1);
    /* audit: the denied modify and delete, by bob */
    assert_int_equal(count("SELECT * FROM SMSPROV_AuditRecord WHERE UserName "
                           "= 'bob' AND ResultName = 'WBEM_E_ACCESS_DENIED'"),
                     2);
    provider_caller_free(bob);
    util_free(scope);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider_rbac__builtins_and_users),
        cmocka_unit_test(test_provider_rbac__scopes_and_denials),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
