/* SPDX-License-Identifier: MIT */
/*
 * Meta-test of the error table (src/util/error.c): every SMSPROV_E* code
 * has its own WMI name, HRESULT, HTTP status and a doc line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "util/util.h"

#define LAST_CODE SMSPROV_EINVALID_OPERATION

static void test_util_error__table_complete(void **state)
{
    (void)state;
    for (int code = SMSPROV_EINTERNAL; code >= LAST_CODE; code--) {
        const char *name = smsprov_code_wbem_name(code);
        assert_true(strncmp(name, "WBEM_E_", 7) == 0);
        assert_true((smsprov_code_hresult(code) & 0xFFFF0000u) == 0x80040000u);
        int http = smsprov_code_http_status(code);
        assert_true(http >= 400 && http <= 599);
        assert_true(strlen(smsprov_code_doc(code)) > 5);
        /* only the generic failures share WBEM_E_FAILED */
        if (strcmp(name, "WBEM_E_FAILED") == 0)
            assert_true(code == SMSPROV_EINTERNAL || code == SMSPROV_EIO);
    }
    assert_string_equal(smsprov_code_wbem_name(SMSPROV_ENOTFOUND),
                        "WBEM_E_NOT_FOUND");
    assert_int_equal(smsprov_code_http_status(SMSPROV_ENOTFOUND), 404);
    assert_int_equal(smsprov_code_http_status(SMSPROV_EACCESS), 403);
    assert_int_equal(smsprov_code_hresult(SMSPROV_EINVALID_QUERY), 0x80041017u);
}

static void test_util_error__first_error_wins(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    (void)state;
    assert_int_equal(util_error_set(&err, SMSPROV_EEXISTS, 3, "a %d", 1),
                     SMSPROV_EEXISTS);
    util_error_object(&err, "CI_ID");
    util_error_set(&err, SMSPROV_EINTERNAL, 9, "b");
    util_error_object(&err, "Other");
    assert_int_equal(err.code, SMSPROV_EEXISTS);
    assert_string_equal(err.msg, "a 1");
    assert_string_equal(err.object, "CI_ID");
    util_error_clear(&err);
    assert_int_equal(err.code, 0);
    assert_int_equal(err.offset, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_error__table_complete),
        cmocka_unit_test(test_util_error__first_error_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
