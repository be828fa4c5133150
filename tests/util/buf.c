/* SPDX-License-Identifier: MIT */
/*
 * Tests for bounded buffers, arenas, number parsing and fault injection
 * (src/util).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

static void test_util_buf__ceiling(void **state)
{
    util_buf b = UTIL_BUF_INIT(8);
    (void)state;
    assert_int_equal(util_buf_puts(&b, "1234567"), 0);
    assert_int_equal(util_buf_putc(&b, 'x'), SMSPROV_ETOOBIG);
    /* sticky: later appends fail too, contents stay */
    assert_int_equal(util_buf_puts(&b, ""), SMSPROV_ETOOBIG);
    assert_string_equal(util_buf_cstr(&b), "1234567");
    util_buf_free(&b);
}

static void test_util_buf__arena(void **state)
{
    util_arena *a = util_arena_new();
    (void)state;
    char *s = util_arena_printf(a, "%s-%d", "x", 42);
    assert_string_equal(s, "x-42");
    void *big = util_arena_alloc(a, 100000);
    assert_non_null(big);
    assert_true(((uintptr_t)big & 15) == 0);
    assert_true(util_arena_used(a) >= 100000);
    util_arena_reset(a);
    assert_int_equal(util_arena_used(a), 0);
    assert_non_null(util_arena_strdup(a, "again"));
    util_arena_free(a);
}

static void test_util_buf__numbers(void **state)
{
    int64_t v;
    uint64_t u;
    (void)state;
    assert_int_equal(util_parse_i64("-42", 3, INT64_MIN, INT64_MAX, &v), 0);
    assert_int_equal(v, -42);
    assert_int_equal(util_parse_i64("42x", 3, INT64_MIN, INT64_MAX, &v),
                     SMSPROV_ETYPE_MISMATCH);
    assert_int_equal(util_parse_i64("", 0, INT64_MIN, INT64_MAX, &v),
                     SMSPROV_ETYPE_MISMATCH);
    assert_int_equal(util_parse_i64("4294967296", 10, 0, 4294967295LL, &v),
                     SMSPROV_EOUT_OF_RANGE);
    assert_int_equal(
        util_parse_i64("-9223372036854775808", 20, INT64_MIN, INT64_MAX, &v),
        0);
    assert_int_equal(
        util_parse_i64("9223372036854775808", 19, INT64_MIN, INT64_MAX, &v),
        SMSPROV_EOUT_OF_RANGE);
    assert_int_equal(util_parse_u64("18446744073709551615", 20, UINT64_MAX, &u),
                     0);
    assert_int_equal(util_stricmp("SMS_R_SYSTEM", "sms_r_system"), 0);
    assert_int_equal(
        util_edit_distance("SMS_SoftwareUpdat", "SMS_SoftwareUpdate", 5), 1);
}

static void test_util_buf__fault_injection(void **state)
{
    (void)state;
    util_alloc_fail_at(1);
    assert_null(util_strdup("x"));
    util_alloc_fail_at(0);
    char *s = util_strdup("y");
    assert_non_null(s);
    util_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_buf__ceiling),
        cmocka_unit_test(test_util_buf__arena),
        cmocka_unit_test(test_util_buf__numbers),
        cmocka_unit_test(test_util_buf__fault_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
