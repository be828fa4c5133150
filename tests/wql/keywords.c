/* SPDX-License-Identifier: MIT */
/*
 * Tests for src/wql/keywords.c: the keyword table is sorted and unique,
 * covers every wql_kw, and lookup is case-insensitive on slices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wql/wql_int.h"

static void test_wql_keywords__sorted_and_unique(void **state)
{
    (void)state;
    size_t n = 0;
    const wql_keyword_entry *t = wql_keyword_table(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        for (const char *c = t[i].name; *c; c++)
            assert_true((*c >= 'A' && *c <= 'Z') || *c == '_');
        assert_true(strlen(t[i].name) <= 8); /* KEYWORD_MAX */
        if (i > 0)
            assert_true(strcmp(t[i - 1].name, t[i].name) < 0);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(t[i].kw, t[j].kw);
    }
}

static void test_wql_keywords__every_kw_in_table(void **state)
{
    (void)state;
    size_t n = 0;
    const wql_keyword_entry *t = wql_keyword_table(&n);
    for (int kw = WQL_KW_ALL; kw <= WQL_KW_WHERE; kw++) {
        int found = 0;
        for (size_t i = 0; i < n; i++)
            found += t[i].kw == (wql_kw)kw;
        assert_int_equal(found, 1);
    }
    assert_int_equal(n, WQL_KW_WHERE);
}

/* Lower-cases s into buf. */
static void lower(char *buf, const char *s)
{
    for (; *s; s++)
        *buf++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
    *buf = '\0';
}

static void test_wql_keywords__lookup_any_case(void **state)
{
    (void)state;
    size_t n = 0;
    const wql_keyword_entry *t = wql_keyword_table(&n);
    for (size_t i = 0; i < n; i++) {
        char buf[16];
        size_t len = strlen(t[i].name);
        assert_int_equal(wql_keyword(t[i].name, len), t[i].kw);
        lower(buf, t[i].name);
        assert_int_equal(wql_keyword(buf, len), t[i].kw);
        buf[0] = t[i].name[0]; /* Mixed case */
        assert_int_equal(wql_keyword(buf, len), t[i].kw);
        assert_string_equal(wql_keyword_name(t[i].kw), t[i].name);
    }
    assert_int_equal(wql_keyword("SeLeCt", 6), WQL_KW_SELECT);
    assert_int_equal(wql_keyword("Order", 5), WQL_KW_ORDER);
}

static void test_wql_keywords__non_keywords(void **state)
{
    (void)state;
    static const char *const words[] = {
        "DELETE",  "SELEC",     "SELECTS", "A",      "_",   "ASSOCIATORS",
        "BETWEEN", "COUNT",     "GETDATE", "ORDERS", "IS_", "NULLS",
        "Z",       "ZZZZZZZZZ", "AAA",     "ORX",    "INN",
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        assert_int_equal(wql_keyword(words[i], strlen(words[i])), WQL_KW_NONE);
    assert_int_equal(wql_keyword("", 0), WQL_KW_NONE);
    assert_int_equal(wql_keyword(NULL, 0), WQL_KW_NONE);
    assert_string_equal(wql_keyword_name(WQL_KW_NONE), "");
}

static void test_wql_keywords__slices(void **state)
{
    (void)state;
    /* the slice length decides, not a NUL terminator */
    assert_int_equal(wql_keyword("SELECTED", 6), WQL_KW_SELECT);
    assert_int_equal(wql_keyword("INNER", 2), WQL_KW_IN);
    assert_int_equal(wql_keyword("ORDER", 2), WQL_KW_OR);
    assert_int_equal(wql_keyword("ASC", 2), WQL_KW_AS);
    assert_int_equal(wql_keyword("IS\0X", 4), WQL_KW_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wql_keywords__sorted_and_unique),
        cmocka_unit_test(test_wql_keywords__every_kw_in_table),
        cmocka_unit_test(test_wql_keywords__lookup_any_case),
        cmocka_unit_test(test_wql_keywords__non_keywords),
        cmocka_unit_test(test_wql_keywords__slices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
