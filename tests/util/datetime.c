/* SPDX-License-Identifier: MIT */
/*
 * Tests for DMTF and WQL date-time literals (src/util/datetime.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

static int64_t parse(const char *s)
{
    int64_t us = 0;
    assert_int_equal(util_datetime_parse(s, strlen(s), &us), 0);
    return us;
}

/* 2025-01-15T08:30:00Z */
#define T0 1736929800000000LL

static void test_util_datetime__dmtf_round_trip(void **state)
{
    char out[26];
    (void)state;
    assert_int_equal(parse("20250115083000.000000+000"), T0);
    util_dmtf_format(T0 + 123456, out);
    assert_string_equal(out, "20250115083000.123456+000");
    /* offsets are minutes east of UTC */
    assert_int_equal(parse("20250115093000.000000+060"), T0);
    assert_int_equal(parse("20250115083000.000000+***"), T0);
}

static void test_util_datetime__sql_server_forms(void **state)
{
    (void)state;
    int64_t day = T0 - (8 * 3600 + 30 * 60) * 1000000LL;
    assert_int_equal(parse("01/15/2025"), day);
    assert_int_equal(parse("2025-01-15"), day);
    assert_int_equal(parse("2025.01.15"), day);
    assert_int_equal(parse("15.01.2025"), day);
    assert_int_equal(parse("20250115"), day);
    assert_int_equal(parse("Jan 15 2025"), day);
    assert_int_equal(parse("15 Jan 2025"), day);
    assert_int_equal(parse("2025-01-15 08:30:00"), T0);
    assert_int_equal(parse("2025-01-15T08:30:00Z"), T0);
    assert_int_equal(parse("2025-01-15T10:30:00+02:00"), T0);
    assert_int_equal(parse("Jan 15 2025 8:30AM"), T0);
    assert_int_equal(parse("01-15-25"), day);
}

static void test_util_datetime__rejects(void **state)
{
    int64_t us;
    const char *bad[] = {"",
                         "2025-13-01",
                         "2025-02-30",
                         "hello",
                         "2025/01",
                         "20250115083000",
                         "2025-01-15 25:00:00",
                         "1/1/1/1",
                         "20250115083000.000000+abc"};
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(util_datetime_parse(bad[i], strlen(bad[i]), &us),
                         SMSPROV_ETYPE_MISMATCH);
}

static void test_util_datetime__iso_format(void **state)
{
    char out[40];
    (void)state;
    util_iso8601_format(T0, out);
    assert_string_equal(out, "2025-01-15T08:30:00Z");
    util_iso8601_format(-1000000, out);
    assert_string_equal(out, "1969-12-31T23:59:59Z");
}

static void test_util_datetime__error_format(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    char line[256];
    const char *q = "SELECT x\nFROM y WHERE";
    (void)state;
    util_error_set(&err, SMSPROV_EINVALID_QUERY, 14, "bad %s", "thing");
    util_error_set(&err, SMSPROV_EINTERNAL, 0, "second error loses");
    util_error_locate(&err, q, strlen(q));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 6);
    util_error_format(&err, q, strlen(q), line, sizeof(line));
    assert_string_equal(line, "2:6: WBEM_E_INVALID_QUERY: bad thing\n"
                              "  FROM y WHERE\n       ^");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_datetime__dmtf_round_trip),
        cmocka_unit_test(test_util_datetime__sql_server_forms),
        cmocka_unit_test(test_util_datetime__rejects),
        cmocka_unit_test(test_util_datetime__iso_format),
        cmocka_unit_test(test_util_datetime__error_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
