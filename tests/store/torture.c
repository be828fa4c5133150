/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure torture of the instance path: insert+get of a fully
 * populated instance with the N-th allocation failing, for every N, must
 * give an error, leak nothing, and leave no row after the rollback.
 */
#include <jansson.h>

#include "store/sample.h"

static bool json_alloc_failed; /* jansson was refused memory */

/* jansson's allocator in the torture test: util_malloc, noting refusals. */
static void *json_alloc(size_t n)
{
    void *p = util_malloc(n);
    if (p == NULL)
        json_alloc_failed = true;
    return p;
}

/*
 * Every allocation failure in insert+get (jansson's included) gives
 * SMSPROV_ENOMEM, no leak, and after the rollback no row.  jansson reports
 * some allocation failures of its parser as syntax errors, which the codec
 * can only pass on as SMSPROV_EIO.
 */
static void test_store_torture__insert_get(void **state)
{
    fixture *f = *state;
    bool done = false;
    json_set_alloc_funcs(json_alloc, util_free);
    for (long n = 1; !done && n < 100000; n++) {
        smsprov_error err = SMSPROV_ERROR_INIT;
        cim_instance *inst = full_t(f, 7);
        cim_instance *got = NULL;
        assert_int_equal(store_begin(f->s, &err), 0);
        json_alloc_failed = false;
        util_alloc_fail_at(n);
        int rc = store_instance_insert(f->s, inst, &err);
        if (rc == 0)
            rc = store_instance_get(&got, f->s, inst, true, &err);
        long made = util_alloc_fail_at(0);
        if (rc == 0) {
            assert_true(made < n);
            assert_int_equal(store_commit(f->s, &err), 0);
            check_full(got);
            done = true;
            print_message("torture: %ld allocations\n", made);
        } else {
            if (rc != SMSPROV_ENOMEM &&
                !(rc == SMSPROV_EIO && json_alloc_failed))
                fail_msg("n=%ld: %s", n, err.msg);
            assert_null(got);
            store_rollback(f->s);
            assert_int_equal(count(f->s, "SELECT count(*) FROM T"), 0);
            assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags"), 0);
        }
        cim_instance_free(got);
        cim_instance_free(inst);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(done);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_torture__insert_get,
                                        sample_setup, sample_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
