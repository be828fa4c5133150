/* SPDX-License-Identifier: MIT */
/*
 * Tests for object paths (src/cim/path.c) and values (src/cim/value.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cim/cim.h"

static cim_path *parse_ok(util_arena *a, const char *text)
{
    cim_path *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (cim_path_parse(&p, a, text, strlen(text), &err) != 0)
        fail_msg("%s: %s", text, err.msg);
    return p;
}

static void test_cim_path__forms(void **state)
{
    util_arena *a = util_arena_new();
    (void)state;
    cim_path *p = parse_ok(a, "SMS_SoftwareUpdate.CI_ID=16777220");
    assert_string_equal(p->class_name, "SMS_SoftwareUpdate");
    assert_int_equal(p->nkeys, 1);
    assert_string_equal(p->keys[0].name, "CI_ID");
    assert_string_equal(p->keys[0].text, "16777220");
    assert_false(p->keys[0].quoted);

    p = parse_ok(a, "SMS_ImageUpdateStatus.ImageIndex=1,ImagePackageID="
                    "\"ABC00012\",UpdateID=42");
    assert_int_equal(p->nkeys, 3);
    assert_string_equal(p->keys[1].text, "ABC00012");
    assert_true(p->keys[1].quoted);

    p = parse_ok(a, "\\\\SERVER\\root\\sms\\site_PS1:SMS_Collection."
                    "CollectionID='SMS00001'");
    assert_string_equal(p->server, "SERVER");
    assert_string_equal(p->ns, "root\\sms\\site_PS1");
    assert_string_equal(p->keys[0].text, "SMS00001");

    p = parse_ok(a, "X.Name=\"a \\\"quoted\\\" \\\\ value,with=comma\"");
    assert_string_equal(p->keys[0].text, "a \"quoted\" \\ value,with=comma");

    p = parse_ok(a, "SMS_Identification=@");
    assert_true(p->singleton);
    util_arena_free(a);
}

static void test_cim_path__errors(void **state)
{
    const char *bad[] = {
        "",         ".X=1",        "Class",      "Class.",    "Class.K",
        "Class.K=", "Class.K=\"x", "Class.K=1,", "Class K=1", "Class.K=1;L=2"};
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        util_arena *a = util_arena_new();
        cim_path *p = NULL;
        smsprov_error err = SMSPROV_ERROR_INIT;
        int rc = cim_path_parse(&p, a, bad[i], strlen(bad[i]), &err);
        if (rc != SMSPROV_EINVALID_OBJECT_PATH)
            fail_msg("'%s' gave %d", bad[i], rc);
        assert_null(p);
        assert_true(err.offset >= 0);
        util_arena_free(a);
    }
}

static void test_cim_path__values(void **state)
{
    util_arena *a = util_arena_new();
    util_buf b = UTIL_BUF_INIT(1024);
    cim_value items[2] = {cim_value_str(CIM_STRING, "a"),
                          cim_value_str(CIM_STRING, "b")};
    cim_value arr = cim_value_null(CIM_STRING, true), copy;
    (void)state;
    arr.is_null = 0;
    arr.count = 2;
    arr.v.items = items;
    assert_int_equal(cim_value_copy(a, &copy, &arr), 0);
    assert_ptr_not_equal(copy.v.items, items);
    cim_value_to_text(&b, &copy);
    assert_string_equal(util_buf_cstr(&b), "{a,b}");
    util_buf_reset(&b);
    cim_value dt = cim_value_datetime(0);
    cim_value_to_text(&b, &dt);
    assert_string_equal(util_buf_cstr(&b), "19700101000000.000000+000");
    cim_value x = cim_value_str(CIM_STRING, "ABC"),
              y = cim_value_str(CIM_STRING, "abc");
    assert_int_equal(cim_value_compare(&x, &y), 0);
    cim_value big = cim_value_int(CIM_UINT64, -1),
              one = cim_value_int(CIM_UINT64, 1);
    assert_true(cim_value_compare(&big, &one) > 0);
    int64_t lo, hi;
    cim_type_int_range(CIM_UINT32, &lo, &hi);
    assert_int_equal(hi, 4294967295LL);
    cim_type t;
    assert_int_equal(cim_type_from_name("uint32", 6, &t), 0);
    assert_int_equal(t, CIM_UINT32);
    assert_string_equal(cim_type_name(CIM_DATETIME), "DateTime");
    util_buf_free(&b);
    util_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cim_path__forms),
        cmocka_unit_test(test_cim_path__errors),
        cmocka_unit_test(test_cim_path__values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
