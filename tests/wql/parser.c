/* SPDX-License-Identifier: MIT */
/*
 * Tests for wql_parse and wql_dump beyond the data-driven cases: argument
 * checks, node positions, literal details, every limit (text, depth, lists,
 * FROM), long AND chains, and allocation-failure torture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wql/wql.h"

typedef struct fixture {
    util_arena *arena; /* per test */
    smsprov_error err; /* last error */
    wql_select *sel;   /* last result */
    util_buf big;      /* scratch for generated queries */
} fixture;

static int setup(void **state)
{
    static fixture f;
    smsprov_error init = SMSPROV_ERROR_INIT;
    memset(&f, 0, sizeof(f));
    f.arena = util_arena_new();
    f.err = init;
    util_buf_init(&f.big, 1 << 20);
    *state = &f;
    return f.arena == NULL;
}

static int teardown(void **state)
{
    fixture *f = *state;
    util_arena_free(f->arena);
    util_buf_free(&f->big);
    return 0;
}

/* Parses n bytes of text; returns the code. */
static int parse_n(fixture *f, const char *text, size_t n)
{
    smsprov_error init = SMSPROV_ERROR_INIT;
    f->err = init;
    f->sel = (wql_select *)1; /* must be reset by wql_parse */
    int rc = wql_parse(&f->sel, f->arena, text, n, &f->err);
    if (rc != 0) {
        assert_null(f->sel);
        assert_int_equal(f->err.code, rc);
    } else {
        assert_non_null(f->sel);
    }
    return rc;
}

static int parse(fixture *f, const char *text)
{
    return parse_n(f, text, strlen(text));
}

static void test_wql_parser__arguments(void **state)
{
    fixture *f = *state;
    wql_select *s = NULL;
    assert_int_equal(wql_parse(NULL, f->arena, "x", 1, &f->err),
                     SMSPROV_EINVALID_PARAMETER);
    util_error_clear(&f->err);
    assert_int_equal(wql_parse(&s, NULL, "x", 1, &f->err),
                     SMSPROV_EINVALID_PARAMETER);
    util_error_clear(&f->err);
    assert_int_equal(wql_parse(&s, f->arena, NULL, 3, &f->err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_null(s);
    assert_int_equal(parse_n(f, NULL, 0), SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg, "empty query");
    assert_int_equal(f->err.offset, 0);
    /* a NULL error object is allowed */
    assert_int_equal(wql_parse(&s, f->arena, "SELECT", 6, NULL),
                     SMSPROV_EINVALID_QUERY);
    assert_int_equal(wql_parse(&s, f->arena, "SELECT * FROM X", 15, NULL), 0);
    assert_non_null(s);
}

static void test_wql_parser__positions(void **state)
{
    fixture *f = *state;
    const char *q = "SELECT s.Name, COUNT(*) FROM SMS_R_System AS s, "
                    "Y WHERE s.Id = - 5 AND Name LIKE \"x\"";
    assert_int_equal(parse(f, q), 0);
    wql_select *s = f->sel;
    assert_int_equal(s->loc, 0);
    assert_int_equal(s->ncols, 2);
    wql_node *c = s->cols[0];
    assert_int_equal(c->kind, WQL_N_COLUMN);
    assert_int_equal(c->loc, 7);
    assert_int_equal(c->len, 6); /* "s.Name" */
    assert_string_equal(c->qual, "s");
    assert_string_equal(c->text, "Name");
    assert_int_equal(c->text_len, 4);
    c = s->cols[1];
    assert_int_equal(c->kind, WQL_N_FUNC);
    assert_int_equal(c->loc, 15);
    assert_int_equal(c->len, 5);
    assert_int_equal(c->nlist, 1);
    assert_int_equal(c->list[0]->kind, WQL_N_STAR);
    assert_int_equal(c->list[0]->loc, 21);
    assert_null(c->list[0]->qual);
    assert_int_equal(s->nfrom, 2);
    assert_string_equal(s->from[0].class_name, "SMS_R_System");
    assert_int_equal(s->from[0].loc, 29);
    assert_string_equal(s->from[0].alias, "s");
    assert_int_equal(s->from[0].alias_loc, 45);
    assert_int_equal(s->from[0].join, WQL_JOIN_NONE);
    assert_null(s->from[0].on);
    assert_string_equal(s->from[1].class_name, "Y");
    assert_null(s->from[1].alias);
    assert_int_equal(s->from[1].alias_loc, -1);
    assert_int_equal(s->from[1].join, WQL_JOIN_COMMA);
    wql_node *w = s->where;
    assert_int_equal(w->kind, WQL_N_AND);
    assert_int_equal(w->loc, 56); /* its first token, "s" of s.Id */
    wql_node *cmp = w->a;
    assert_int_equal(cmp->kind, WQL_N_CMP);
    assert_int_equal(cmp->op, WQL_EQ);
    assert_int_equal(cmp->loc, 56);
    assert_int_equal(cmp->a->len, 4);
    assert_int_equal(cmp->b->kind, WQL_N_INT);
    assert_int_equal(cmp->b->ival, -5);
    assert_int_equal(cmp->b->loc, 63);
    assert_int_equal(cmp->b->len, 3); /* "- 5" */
    assert_string_equal(cmp->b->text, "-5");
    wql_node *like = w->b;
    assert_int_equal(like->kind, WQL_N_LIKE);
    assert_false(like->negated);
    assert_int_equal(like->b->kind, WQL_N_STRING);
    assert_int_equal(like->b->quote, '"');
    assert_int_equal(like->b->loc, 81);
    assert_int_equal(like->b->len, 3);
    assert_null(w->bound);
    assert_null(s->order);
}

static void test_wql_parser__strings(void **state)
{
    fixture *f = *state;
    static const char q[] = "SELECT * FROM X WHERE a = 'x\0y''\\\\\\q'";
    assert_int_equal(parse_n(f, q, sizeof(q) - 1), 0);
    wql_node *v = f->sel->where->b;
    assert_int_equal(v->kind, WQL_N_STRING);
    assert_int_equal(v->quote, '\'');
    assert_int_equal(v->text_len, 7);
    assert_memory_equal(v->text, "x\0y'\\\\q", 8);
    assert_int_equal(parse(f, "SELECT * FROM X WHERE a = \"\" OR b = ''''"), 0);
    assert_int_equal(f->sel->where->a->b->text_len, 0);
    assert_string_equal(f->sel->where->b->b->text, "'");
}

static void test_wql_parser__count_distinct(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "SELECT COUNT(DISTINCT Name), GetDate() "
                              "FROM X"),
                     0);
    wql_node *c = f->sel->cols[0];
    assert_true(c->distinct);
    assert_int_equal(c->nlist, 1);
    assert_string_equal(c->text, "COUNT");
    assert_int_equal(f->sel->cols[1]->nlist, 0);
    assert_false(f->sel->cols[1]->distinct);
}

static void test_wql_parser__too_long(void **state)
{
    fixture *f = *state;
    util_buf_puts(&f->big, "SELECT * FROM X");
    while (f->big.len < WQL_MAX_TEXT)
        util_buf_putc(&f->big, ' ');
    assert_int_equal(parse_n(f, f->big.data, f->big.len), 0);
    util_buf_putc(&f->big, ' ');
    assert_int_equal(parse_n(f, f->big.data, f->big.len), SMSPROV_ETOOBIG);
    assert_int_equal(f->err.offset, 0);
}

/* Builds "SELECT * FROM X WHERE " + pre*n + mid + post*n into f->big. */
static void nest(fixture *f, const char *pre, int n, const char *mid,
                 const char *post)
{
    util_buf_reset(&f->big);
    util_buf_puts(&f->big, "SELECT * FROM X WHERE ");
    for (int i = 0; i < n; i++)
        util_buf_puts(&f->big, pre);
    util_buf_puts(&f->big, mid);
    for (int i = 0; i < n; i++)
        util_buf_puts(&f->big, post);
    assert_int_equal(f->big.failed, 0);
}

static void test_wql_parser__depth(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *pre, *mid, *post;
        int ok, bad;
    } shapes[] = {
        {"(", "a=1", ")", 60, 63},
        {"NOT ", "a=1", "", 60, 63},
        {"- ", "a", "", 60, 63},
        {"UPPER(", "a", ")", 60, 63},
        {"DATEADD(dd, 1, ", "a", ")", 60, 63},
        {"a IN (SELECT a FROM X WHERE ", "a=1", ")", 20, 40},
        {"a IN (", "1", ")", 60, 63},
        {"(", "a", ")", 60, 1000},
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        nest(f, shapes[i].pre, shapes[i].ok, shapes[i].mid, shapes[i].post);
        assert_int_equal(parse(f, f->big.data), 0);
        util_buf dump = UTIL_BUF_INIT(1 << 20);
        assert_int_equal(wql_dump(&dump, f->sel), 0);
        util_buf_free(&dump);
        nest(f, shapes[i].pre, shapes[i].bad, shapes[i].mid, shapes[i].post);
        assert_int_equal(parse(f, f->big.data), SMSPROV_ETOOBIG);
        assert_true(f->err.offset > 22);
        assert_true((size_t)f->err.offset < f->big.len);
    }
}

/* Builds a query with n copies of item joined by sep inside pre..post. */
static void repeat(fixture *f, const char *pre, const char *item,
                   const char *sep, int n, const char *post)
{
    util_buf_reset(&f->big);
    util_buf_puts(&f->big, pre);
    for (int i = 0; i < n; i++) {
        if (i > 0)
            util_buf_puts(&f->big, sep);
        util_buf_puts(&f->big, item);
    }
    util_buf_puts(&f->big, post);
    assert_int_equal(f->big.failed, 0);
}

static void test_wql_parser__list_limits(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *pre, *item, *sep, *post;
    } lists[] = {
        {"SELECT * FROM X WHERE a IN (", "1", ",", ")"},
        {"SELECT ", "a", ",", " FROM X"},
        {"SELECT * FROM X ORDER BY ", "a", ",", ""},
        {"SELECT * FROM X WHERE f(", "1", ",", ")"},
    };
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        repeat(f, lists[i].pre, lists[i].item, lists[i].sep, WQL_MAX_LIST,
               lists[i].post);
        assert_int_equal(parse(f, f->big.data), 0);
        repeat(f, lists[i].pre, lists[i].item, lists[i].sep, WQL_MAX_LIST + 1,
               lists[i].post);
        assert_int_equal(parse(f, f->big.data), SMSPROV_ETOOBIG);
        /* reported at the first item over the limit */
        assert_int_equal(f->err.offset,
                         (int)strlen(lists[i].pre) + 2 * WQL_MAX_LIST);
    }
    assert_int_equal(parse(f, "SELECT * FROM A a JOIN B b ON a.x = b.x, C, "
                              "D LEFT JOIN E ON 1 = 1, F, G, H"),
                     0);
    assert_int_equal(f->sel->nfrom, WQL_MAX_FROM);
    assert_int_equal(parse(f, "SELECT * FROM A a JOIN B b ON a.x = b.x, C, "
                              "D LEFT JOIN E ON 1 = 1, F, G, H JOIN I ON 1"),
                     SMSPROV_ETOOBIG);
}

static void test_wql_parser__long_chains(void **state)
{
    fixture *f = *state;
    /* chains recurse neither in the parser nor in the dump */
    repeat(f, "SELECT * FROM X WHERE ", "a=1", " AND ", 7000, "");
    assert_true(f->big.len <= WQL_MAX_TEXT);
    assert_int_equal(parse(f, f->big.data), 0);
    int n = 1;
    const wql_node *w = f->sel->where;
    for (; w->kind == WQL_N_AND; w = w->b) {
        assert_int_equal(w->a->kind, WQL_N_CMP);
        n++;
    }
    assert_int_equal(n, 7000);
    util_buf dump = UTIL_BUF_INIT(1 << 20);
    assert_int_equal(wql_dump(&dump, f->sel), 0);
    assert_non_null(strstr(dump.data, "(where (and (= (col nil a) (int 1)) "
                                      "(= (col nil a) (int 1))"));
    util_buf_free(&dump);
    repeat(f, "SELECT * FROM X WHERE ", "a", " OR ", 10000, "");
    assert_int_equal(parse(f, f->big.data), 0);
}

static void test_wql_parser__messages(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f, "SELECT * FROM X WHERE a = 1 'aaaaaaaaaaaaaaaa"
                              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"),
                     SMSPROV_EINVALID_QUERY);
    /* quoted token cut at 37 bytes: its own quote and 36 a's */
    assert_string_equal(f->err.msg, "unexpected ''aaaaaaaaaaaaaaaaaaaaaaaaa"
                                    "aaaaaaaaaaa...' after the end of the "
                                    "query");
    assert_int_equal(parse(f, "SELECT * FROM X WHERE a = 1\n; DELETE FROM X"),
                     SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg,
                        "unexpected 'DELETE' after the end of the query");
    assert_int_equal(f->err.offset, 30);
    assert_int_equal(parse(f, "delete from X"), SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg,
                        "only SELECT queries are supported, found 'delete'");
    assert_int_equal(parse(f, "SELECT * FROM X WHERE a = 'x\ny"),
                     SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg, "unterminated string");
    assert_int_equal(f->err.offset, 26);
    assert_int_equal(parse(f, "SELECT * FROM X WHERE a = 'x\ny' b"),
                     SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg,
                        "unexpected 'b' after the end of the query");
    assert_int_equal(parse(f, "SELECT * FROM X WHERE a = 'x\ty' 'x\ty'"),
                     SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg,
                        "unexpected ''x?y'' after the end of the query");
    /* a cut never splits a UTF-8 sequence: 36 bytes, then "..." */
    assert_int_equal(parse(f,
                           "SELECT * FROM X WHERE a = 1 'x\xC3\xA9\xC3\xA9"
                           "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                           "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                           "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9'"),
                     SMSPROV_EINVALID_QUERY);
    assert_string_equal(f->err.msg,
                        "unexpected ''x\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                        "\xC3\xA9...' after the end of the query");
    /* util_error_format gives line:col and a caret */
    assert_int_equal(parse(f, "SELECT *\nFROM X\nWHERE a = = 1"),
                     SMSPROV_EINVALID_QUERY);
    util_error_locate(&f->err, "SELECT *\nFROM X\nWHERE a = = 1", 29);
    assert_int_equal(f->err.line, 3);
    assert_int_equal(f->err.col, 11);
    assert_string_equal(f->err.msg, "expected an expression, found '='");
}

static void test_wql_parser__dump_limits(void **state)
{
    fixture *f = *state;
    util_buf small = UTIL_BUF_INIT(16);
    assert_int_equal(parse(f, "SELECT Name FROM SMS_R_System"), 0);
    assert_int_equal(wql_dump(&small, f->sel), SMSPROV_ETOOBIG);
    util_buf_free(&small);
    util_buf out = UTIL_BUF_INIT(64);
    assert_int_equal(wql_dump(&out, NULL), 0);
    assert_string_equal(util_buf_cstr(&out), "nil");
    util_buf_free(&out);
}

/*
 * Fails each allocation in turn while parsing and dumping a query that
 * uses every construct; each failure must be a clean SMSPROV_ENOMEM.
 */
static void test_wql_parser__torture(void **state)
{
    (void)state;
    static const char q[] =
        "SELECT DISTINCT s.Name, s.*, COUNT(*), UPPER(os.Caption) "
        "FROM SMS_R_System AS s INNER JOIN SMS_G_System_OPERATING_SYSTEM os "
        "ON os.ResourceID = s.ResourceID LEFT OUTER JOIN C c ON c.a = s.a, "
        "D d WHERE s.Name NOT LIKE 'LAB%' AND (s.Client = 1 OR s.Obsolete "
        "IS NOT NULL) AND s.ResourceID NOT IN (SELECT ResourceID FROM E "
        "WHERE x IN (1, -2, 3.5, 'a''b', TRUE, NULL)) AND DATEDIFF(dd, "
        "s.LastLogonTimestamp, GetDate()) > 30 AND NOT -s.x = 0x10 "
        "ORDER BY s.Name DESC, os.Caption;";
    int done = 0;
    long n = 1;
    for (; n < 100000 && !done; n++) {
        util_arena *a = util_arena_new();
        assert_non_null(a);
        smsprov_error err = SMSPROV_ERROR_INIT;
        wql_select *s = NULL;
        util_buf out = UTIL_BUF_INIT(1 << 16);
        util_alloc_fail_at(n);
        int rc = wql_parse(&s, a, q, sizeof(q) - 1, &err);
        if (rc == 0)
            rc = wql_dump(&out, s);
        util_alloc_fail_at(0);
        if (rc == 0) {
            done = 1;
            assert_non_null(strstr(util_buf_cstr(&out), "(select distinct"));
        } else {
            assert_int_equal(rc, SMSPROV_ENOMEM);
            if (err.code != 0)
                assert_int_equal(err.code, SMSPROV_ENOMEM);
        }
        util_buf_free(&out);
        util_arena_free(a);
    }
    assert_true(done);
    fprintf(stderr, "torture: succeeded at allocation %ld\n", n - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wql_parser__arguments, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__positions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__strings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__count_distinct, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__too_long, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__depth, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__list_limits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__long_chains, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__messages, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_wql_parser__dump_limits, setup,
                                        teardown),
        cmocka_unit_test(test_wql_parser__torture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
