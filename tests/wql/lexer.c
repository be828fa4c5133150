/* SPDX-License-Identifier: MIT */
/*
 * Tests for src/wql/lexer.c: token kinds, keyword ids, slices (loc/len),
 * string and number scanning, and positioned lexical errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wql/wql_int.h"

#define MAXTOK 64

typedef struct lexed {
    wql_token t[MAXTOK]; /* tokens up to and including EOF */
    int n;               /* tokens read */
    int rc;              /* last return code */
    smsprov_error err;   /* error if rc != 0 */
} lexed;

/* Lexes all of s (or n bytes of it) into *out. */
static void lex_n(lexed *out, const char *s, size_t len)
{
    wql_lexer lx;
    smsprov_error init = SMSPROV_ERROR_INIT;
    memset(out, 0, sizeof(*out));
    out->err = init;
    wql_lex_init(&lx, s, len);
    while (out->n < MAXTOK) {
        wql_token *t = &out->t[out->n++];
        out->rc = wql_lex_next(&lx, t, &out->err);
        if (out->rc != 0 || t->kind == WQL_T_EOF)
            break;
    }
}

static void lex(lexed *out, const char *s)
{
    lex_n(out, s, strlen(s));
}

static void check_tok(const lexed *l, int i, wql_tok kind, int loc, int len)
{
    assert_true(i < l->n);
    assert_int_equal(l->t[i].kind, kind);
    assert_int_equal(l->t[i].loc, loc);
    assert_int_equal(l->t[i].len, len);
}

static void test_wql_lexer__select(void **state)
{
    (void)state;
    lexed l;
    lex(&l, "select Name,s.Id from SMS_R_System s where x<>1;");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.n, 15);
    check_tok(&l, 0, WQL_T_IDENT, 0, 6);
    assert_int_equal(l.t[0].kw, WQL_KW_SELECT);
    check_tok(&l, 1, WQL_T_IDENT, 7, 4);
    assert_int_equal(l.t[1].kw, WQL_KW_NONE);
    check_tok(&l, 2, WQL_T_COMMA, 11, 1);
    check_tok(&l, 3, WQL_T_IDENT, 12, 1);
    check_tok(&l, 4, WQL_T_DOT, 13, 1);
    check_tok(&l, 5, WQL_T_IDENT, 14, 2);
    check_tok(&l, 6, WQL_T_IDENT, 17, 4);
    assert_int_equal(l.t[6].kw, WQL_KW_FROM);
    check_tok(&l, 7, WQL_T_IDENT, 22, 12);
    check_tok(&l, 8, WQL_T_IDENT, 35, 1);
    check_tok(&l, 9, WQL_T_IDENT, 37, 5);
    assert_int_equal(l.t[9].kw, WQL_KW_WHERE);
    check_tok(&l, 10, WQL_T_IDENT, 43, 1);
    check_tok(&l, 11, WQL_T_NE, 44, 2);
    check_tok(&l, 12, WQL_T_INT, 46, 1);
    check_tok(&l, 13, WQL_T_SEMI, 47, 1);
    check_tok(&l, 14, WQL_T_EOF, 48, 0);
}

static void test_wql_lexer__operators(void **state)
{
    (void)state;
    lexed l;
    lex(&l, "= <> != < <= > >= - + * ( ) , . ;");
    static const wql_tok want[] = {
        WQL_T_EQ,    WQL_T_NE,   WQL_T_NE,     WQL_T_LT,
        WQL_T_LE,    WQL_T_GT,   WQL_T_GE,     WQL_T_MINUS,
        WQL_T_PLUS,  WQL_T_STAR, WQL_T_LPAREN, WQL_T_RPAREN,
        WQL_T_COMMA, WQL_T_DOT,  WQL_T_SEMI,   WQL_T_EOF,
    };
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.n, (int)(sizeof(want) / sizeof(want[0])));
    for (int i = 0; i < l.n; i++) {
        assert_int_equal(l.t[i].kind, want[i]);
        assert_string_not_equal(wql_tok_name(want[i]), "token");
    }
    lex(&l, "a<=b>=c<d>e=f<>g");
    assert_int_equal(l.rc, 0);
    assert_int_equal(l.n, 14);
    check_tok(&l, 1, WQL_T_LE, 1, 2);
    check_tok(&l, 3, WQL_T_GE, 4, 2);
    check_tok(&l, 11, WQL_T_NE, 13, 2);
}

static void test_wql_lexer__numbers(void **state)
{
    (void)state;
    lexed l;
    lex(&l, "0 42 3.14 .5 1e3 2E-2 0x1F 0XaB 7.");
    assert_int_equal(l.rc, 0);
    check_tok(&l, 0, WQL_T_INT, 0, 1);
    check_tok(&l, 1, WQL_T_INT, 2, 2);
    check_tok(&l, 2, WQL_T_REAL, 5, 4);
    check_tok(&l, 3, WQL_T_REAL, 10, 2);
    check_tok(&l, 4, WQL_T_REAL, 13, 3);
    check_tok(&l, 5, WQL_T_REAL, 17, 4);
    check_tok(&l, 6, WQL_T_INT, 22, 4);
    check_tok(&l, 7, WQL_T_INT, 27, 4);
    check_tok(&l, 8, WQL_T_INT, 32, 1); /* "7." is 7 then '.' */
    check_tok(&l, 9, WQL_T_DOT, 33, 1);
    /* a minus is its own token: the parser folds it into the literal */
    lex(&l, "-1");
    check_tok(&l, 0, WQL_T_MINUS, 0, 1);
    check_tok(&l, 1, WQL_T_INT, 1, 1);
}

static void test_wql_lexer__bad_numbers(void **state)
{
    (void)state;
    static const char *const bad[] = {"123abc", "0x",   "0xZ",
                                      "1.5e3q", "0x1G", "9_"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        lexed l;
        lex(&l, bad[i]);
        assert_int_equal(l.rc, SMSPROV_EINVALID_QUERY);
        assert_int_equal(l.err.offset, 0);
        assert_int_equal(l.t[l.n - 1].kind, WQL_T_EOF);
    }
}

static void test_wql_lexer__strings(void **state)
{
    (void)state;
    lexed l;
    lex(&l, "'abc' \"x\" 'it''s' 'a\\'b' \"q\"\"q\" 'C:\\\\' ''");
    assert_int_equal(l.rc, 0);
    check_tok(&l, 0, WQL_T_STRING, 0, 5);
    check_tok(&l, 1, WQL_T_STRING, 6, 3);
    check_tok(&l, 2, WQL_T_STRING, 10, 7);
    check_tok(&l, 3, WQL_T_STRING, 18, 6);
    check_tok(&l, 4, WQL_T_STRING, 25, 6);
    check_tok(&l, 5, WQL_T_STRING, 32, 6);
    check_tok(&l, 6, WQL_T_STRING, 39, 2);
    check_tok(&l, 7, WQL_T_EOF, 41, 0);
    /* the other quote, newlines and high bytes are plain content */
    lex(&l, "'say \"hi\"\n\xC3\xA9'");
    assert_int_equal(l.rc, 0);
    check_tok(&l, 0, WQL_T_STRING, 0, 13);
    /* NUL bytes inside a string */
    lex_n(&l, "'a\0b'", 5);
    assert_int_equal(l.rc, 0);
    check_tok(&l, 0, WQL_T_STRING, 0, 5);
}

static void test_wql_lexer__unterminated(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int offset;
    } cases[] = {
        {"x = 'abc", 4}, {"x = \"abc'", 4}, {"'it''", 0},    {"'a\\'", 0},
        {"  \"", 2},     {"'\\", 0},        {"a 'b' 'c", 6},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lexed l;
        lex(&l, cases[i].text);
        assert_int_equal(l.rc, SMSPROV_EINVALID_QUERY);
        assert_int_equal(l.err.offset, cases[i].offset);
        assert_string_equal(l.err.msg, "unterminated string");
    }
}

static void test_wql_lexer__bad_chars(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int offset;
        const char *msg;
    } cases[] = {
        {"a # b", 2, "unexpected character '#'"},
        {"a!b", 1, "unexpected character '!'"},
        {"[Name]", 0, "unexpected character '['"},
        {"x = @y", 4, "unexpected character '@'"},
        {"x\x01", 1, "unexpected byte 0x01"},
        {"caf\xC3\xA9", 3, "unexpected byte 0xC3"},
        {"a $", 2, "unexpected character '$'"},
        {"a/b", 1, "unexpected character '/'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lexed l;
        lex(&l, cases[i].text);
        assert_int_equal(l.rc, SMSPROV_EINVALID_QUERY);
        assert_int_equal(l.err.offset, cases[i].offset);
        assert_string_equal(l.err.msg, cases[i].msg);
    }
    lexed l;
    lex_n(&l, "a\0", 2);
    assert_int_equal(l.rc, SMSPROV_EINVALID_QUERY);
    assert_int_equal(l.err.offset, 1);
}

static void test_wql_lexer__eof_repeats(void **state)
{
    (void)state;
    wql_lexer lx;
    wql_token t;
    smsprov_error err = SMSPROV_ERROR_INIT;
    wql_lex_init(&lx, "  x  ", 5);
    assert_int_equal(wql_lex_next(&lx, &t, &err), 0);
    assert_int_equal(t.kind, WQL_T_IDENT);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(wql_lex_next(&lx, &t, &err), 0);
        assert_int_equal(t.kind, WQL_T_EOF);
        assert_int_equal(t.loc, 5);
    }
    /* after an error the lexer stays at EOF; a NULL err is allowed */
    wql_lex_init(&lx, "# x", 3);
    assert_int_equal(wql_lex_next(&lx, &t, NULL), SMSPROV_EINVALID_QUERY);
    assert_int_equal(t.kind, WQL_T_EOF);
    assert_int_equal(wql_lex_next(&lx, &t, NULL), 0);
    assert_int_equal(t.kind, WQL_T_EOF);
    /* empty and blank input */
    wql_lex_init(&lx, "", 0);
    assert_int_equal(wql_lex_next(&lx, &t, &err), 0);
    assert_int_equal(t.kind, WQL_T_EOF);
    assert_int_equal(t.loc, 0);
    wql_lex_init(&lx, " \t\r\n\f\v", 6);
    assert_int_equal(wql_lex_next(&lx, &t, &err), 0);
    assert_int_equal(t.kind, WQL_T_EOF);
    assert_int_equal(t.loc, 6);
}

static void test_wql_lexer__identifiers(void **state)
{
    (void)state;
    lexed l;
    lex(&l, "_a1 SMS_G_System_OPERATING_SYSTEM Select NOTx nOt x9_ ");
    assert_int_equal(l.rc, 0);
    check_tok(&l, 0, WQL_T_IDENT, 0, 3);
    check_tok(&l, 1, WQL_T_IDENT, 4, 29);
    assert_int_equal(l.t[2].kw, WQL_KW_SELECT);
    assert_int_equal(l.t[3].kw, WQL_KW_NONE);
    assert_int_equal(l.t[4].kw, WQL_KW_NOT);
    check_tok(&l, 5, WQL_T_IDENT, 50, 3);
    check_tok(&l, 6, WQL_T_EOF, 54, 0);
    /* only the given bytes are read */
    lex_n(&l, "abcdef", 3);
    check_tok(&l, 0, WQL_T_IDENT, 0, 3);
    check_tok(&l, 1, WQL_T_EOF, 3, 0);
    lex_n(&l, "'abc'", 3);
    assert_int_equal(l.rc, SMSPROV_EINVALID_QUERY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wql_lexer__select),
        cmocka_unit_test(test_wql_lexer__operators),
        cmocka_unit_test(test_wql_lexer__numbers),
        cmocka_unit_test(test_wql_lexer__bad_numbers),
        cmocka_unit_test(test_wql_lexer__strings),
        cmocka_unit_test(test_wql_lexer__unterminated),
        cmocka_unit_test(test_wql_lexer__bad_chars),
        cmocka_unit_test(test_wql_lexer__eof_repeats),
        cmocka_unit_test(test_wql_lexer__identifiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
