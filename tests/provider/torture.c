/* SPDX-License-Identifier: MIT */
/*
 * Torture: a put (create), a query and a get with the N-th allocation
 * failing, for every N until they succeed.  Each failure must be a clean
 * error, leak nothing (ASan) and leave no partial write behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "provider/provider.h"

static int count_rows(const wql_plan *plan, cim_instance **parts, int64_t count,
                      void *payload)
{
    (void)plan;
    (void)parts;
    *(int64_t *)payload = count;
    return 0;
}

static int64_t collections(provider *p)
{
    int64_t n = -1;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *q = "SELECT COUNT(*) FROM SMS_Collection";
    assert_int_equal(provider_query(p, q, strlen(q), count_rows, &n, &err), 0);
    return n;
}

static int noop(const wql_plan *plan, cim_instance **parts, int64_t count,
                void *payload)
{
    (void)plan;
    (void)parts;
    (void)count;
    (void)payload;
    return 0;
}

static void test_provider_torture__put_query_get(void **state)
{
    char path[64];
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)state;
    snprintf(path, sizeof(path), "/tmp/smsprov-torture-%d.db", getpid());
    unlink(path);
    assert_int_equal(provider_open(&p, path, &err), 0);
    const cim_class *cls =
        cim_schema_class(provider_schema(p), "SMS_Collection", 14);
    json_t *obj = json_pack("{s:s,s:s,s:s}", "CollectionID", "PS100042", "Name",
                            "Torture", "Comment", "x");
    const char *q = "SELECT CollectionID, Name FROM SMS_Collection WHERE "
                    "Name LIKE 'T[aeiou]r%' AND CollectionID IN "
                    "('PS100042', 'x') ORDER BY Name";
    int done = 0;
    for (long n = 1; n < 100000 && !done; n++) {
        smsprov_error e = SMSPROV_ERROR_INIT;
        util_alloc_fail_at(n);
        int rc =
            provider_put_json(NULL, NULL, p, cls, obj, PROVIDER_CLIENT, &e);
        util_alloc_fail_at(0);
        if (rc == 0) {
            done = 1;
            break;
        }
        assert_int_equal(rc, SMSPROV_ENOMEM);
        assert_int_equal(collections(p), 0); /* nothing half-written */
    }
    assert_true(done);
    assert_int_equal(collections(p), 1);
    for (long n = 1;; n++) {
        smsprov_error e = SMSPROV_ERROR_INIT;
        util_alloc_fail_at(n);
        int rc = provider_query(p, q, strlen(q), noop, NULL, &e);
        util_alloc_fail_at(0);
        if (rc == 0)
            break;
        if (e.code == 0)
            fail_msg("query failing at allocation %ld: rc %d, no error", n, rc);
    }
    for (long n = 1;; n++) {
        smsprov_error e = SMSPROV_ERROR_INIT;
        cim_instance *inst = NULL;
        const char *gp = "SMS_Collection.CollectionID=\"PS100042\"";
        util_alloc_fail_at(n);
        int rc = provider_get(&inst, p, gp, strlen(gp), &e);
        util_alloc_fail_at(0);
        if (rc == 0) {
            cim_instance_free(inst);
            break;
        }
        assert_null(inst);
        assert_int_not_equal(e.code, 0);
    }
    json_decref(obj);
    provider_close(p);
    unlink(path);
    char aux[80];
    snprintf(aux, sizeof(aux), "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof(aux), "%s-shm", path);
    unlink(aux);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_provider_torture__put_query_get),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
