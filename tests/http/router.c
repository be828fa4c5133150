/* SPDX-License-Identifier: MIT */
/*
 * Tests for the AdminService router: every route kind, every key syntax
 * scripts use, case-insensitive names, trailing slashes, malformed keys,
 * and URL decoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/http_int.h"

static http_route rt;
static util_arena *arena;
static smsprov_error err;

static int setup(void **state)
{
    (void)state;
    arena = util_arena_new();
    return arena == NULL;
}

static int teardown(void **state)
{
    (void)state;
    util_arena_free(arena);
    return 0;
}

static int route(const char *path)
{
    smsprov_error init = SMSPROV_ERROR_INIT;
    err = init;
    return http_route_parse(&rt, arena, path, strlen(path), &err);
}

static void test_http_router__service(void **state)
{
    (void)state;
    assert_int_equal(route("/AdminService/wmi/"), 0);
    assert_int_equal(rt.kind, HTTP_R_SERVICE);
    assert_false(rt.v1);
    assert_int_equal(route("/adminservice/WMI"), 0);
    assert_int_equal(rt.kind, HTTP_R_SERVICE);
    assert_int_equal(route("/AdminService/v1.0/"), 0);
    assert_int_equal(rt.kind, HTTP_R_SERVICE);
    assert_true(rt.v1);
    assert_int_equal(route("/AdminService/v1.0/$metadata"), 0);
    assert_int_equal(rt.kind, HTTP_R_METADATA);
    assert_int_equal(route("/AdminService/wmi/$metadata"), 0);
    assert_int_equal(rt.kind, HTTP_R_METADATA);
    assert_int_equal(route("/AdminService_TokenAuth/wmi/"), 0);
    assert_int_equal(rt.kind, HTTP_R_SERVICE);
    assert_int_equal(route("/AdminService/wmi/$query"), 0);
    assert_int_equal(rt.kind, HTTP_R_QUERY);
}

static void test_http_router__not_found(void **state)
{
    (void)state;
    const char *paths[] = {"/",
                           "/AdminService",
                           "/AdminServiceX/wmi/",
                           "/AdminService/v2/SMS_Site",
                           "/AdminService/v1.0/Device",
                           "/AdminService/wmi/SMS_Site/1/2/3",
                           "/AdminService/wmi/SMS Site",
                           "/AdminService/wmi/SMS_Site(1)/Foo",
                           "/AdminService/wmi/SMS_Site(1)x",
                           "/other"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        assert_int_equal(route(paths[i]), 0);
        assert_int_equal(rt.kind, HTTP_R_NOT_FOUND);
    }
}

static void test_http_router__collection(void **state)
{
    (void)state;
    assert_int_equal(route("/AdminService/wmi/SMS_SoftwareUpdate"), 0);
    assert_int_equal(rt.kind, HTTP_R_COLLECTION);
    assert_string_equal(rt.cls, "SMS_SoftwareUpdate");
    assert_int_equal(route("/AdminService/wmi/sms_softwareupdate/"), 0);
    assert_int_equal(rt.kind, HTTP_R_COLLECTION);
    assert_int_equal(route("/AdminService/wmi/SMS_Site/$count"), 0);
    assert_int_equal(rt.kind, HTTP_R_COUNT);
}

static void test_http_router__keys(void **state)
{
    (void)state;
    assert_int_equal(route("/AdminService/wmi/SMS_SoftwareUpdate(16777220)"),
                     0);
    assert_int_equal(rt.kind, HTTP_R_INSTANCE);
    assert_int_equal(rt.nkeys, 1);
    assert_null(rt.keys[0].name);
    assert_string_equal(rt.keys[0].text, "16777220");
    assert_false(rt.keys[0].quoted);

    assert_int_equal(route("/AdminService/wmi/SMS_Collection('SMS''01')"), 0);
    assert_string_equal(rt.keys[0].text, "SMS'01");
    assert_true(rt.keys[0].quoted);

    assert_int_equal(route("/AdminService/wmi/SMS_Collection/SMS00001"), 0);
    assert_int_equal(rt.kind, HTTP_R_INSTANCE);
    assert_string_equal(rt.cls, "SMS_Collection");
    assert_string_equal(rt.keys[0].text, "SMS00001");

    assert_int_equal(route("/AdminService/wmi/SMS_PackageStatus(PackageID="
                           "'X',Personality=0, SiteCode = 'ABC')"),
                     0);
    assert_int_equal(rt.nkeys, 3);
    assert_string_equal(rt.keys[0].name, "PackageID");
    assert_string_equal(rt.keys[0].text, "X");
    assert_string_equal(rt.keys[1].name, "Personality");
    assert_string_equal(rt.keys[1].text, "0");
    assert_string_equal(rt.keys[2].name, "SiteCode");
    assert_string_equal(rt.keys[2].text, "ABC");
}

static void test_http_router__bad_keys(void **state)
{
    (void)state;
    const char *bad[] = {"/AdminService/wmi/SMS_Site('abc)",
                         "/AdminService/wmi/SMS_Site()",
                         "/AdminService/wmi/SMS_Site(1,2)",
                         "/AdminService/wmi/SMS_Site(A=1,)",
                         "/AdminService/wmi/SMS_Site(='x')",
                         "/AdminService/wmi/SMS_Site('a' 'b')"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(route(bad[i]), SMSPROV_EINVALID_OBJECT_PATH);
        assert_int_equal(err.code, SMSPROV_EINVALID_OBJECT_PATH);
    }
}

static void test_http_router__methods(void **state)
{
    (void)state;
    assert_int_equal(route("/AdminService/wmi/SMS_SoftwareUpdate(16777220)/"
                           "AdminService.AcceptEULA"),
                     0);
    assert_int_equal(rt.kind, HTTP_R_INSTANCE_METHOD);
    assert_string_equal(rt.method, "AcceptEULA");
    assert_string_equal(rt.keys[0].text, "16777220");
    assert_int_equal(route("/AdminService/wmi/SMS_Collection/ABC00001/"
                           "adminservice.AddMembershipRule"),
                     0);
    assert_int_equal(rt.kind, HTTP_R_INSTANCE_METHOD);
    assert_string_equal(rt.method, "AddMembershipRule");
    assert_string_equal(rt.keys[0].text, "ABC00001");
    assert_int_equal(route("/AdminService/wmi/SMS_SoftwareUpdate.SyncNow"), 0);
    assert_int_equal(rt.kind, HTTP_R_STATIC_METHOD);
    assert_string_equal(rt.cls, "SMS_SoftwareUpdate");
    assert_string_equal(rt.method, "SyncNow");
}

static void test_http_router__decode(void **state)
{
    (void)state;
    char *s = http_url_decode(arena, "a%20b+c%27", 10, true);
    assert_string_equal(s, "a b c'");
    s = http_url_decode(arena, "a+b", 3, false);
    assert_string_equal(s, "a+b");
    assert_null(http_url_decode(arena, "%2", 2, true));
    assert_null(http_url_decode(arena, "%zz", 3, true));
    assert_null(http_url_decode(arena, "a%00", 4, true));
    s = http_url_decode(arena, "%41", 3, true);
    assert_string_equal(s, "A");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_router__service),
        cmocka_unit_test(test_http_router__not_found),
        cmocka_unit_test(test_http_router__collection),
        cmocka_unit_test(test_http_router__keys),
        cmocka_unit_test(test_http_router__bad_keys),
        cmocka_unit_test(test_http_router__methods),
        cmocka_unit_test(test_http_router__decode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
