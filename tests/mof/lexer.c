/* SPDX-License-Identifier: MIT */
/*
 * Tests of the MOF lexer (src/mof/lexer.c): token kinds and slices,
 * comments, literals and their decoding, the keyword table, and lexical
 * errors at exact offsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof_int.h"

/* Lexes text to the end (or the first error); returns the kinds. */
static int lex_all(const char *text, mof_token *toks, int max,
                   smsprov_error *err)
{
    mof_lexer lx;
    mof_lex_init(&lx, text, strlen(text));
    for (int n = 0; n < max; n++) {
        int rc = mof_lex(&lx, &toks[n], err);
        if (rc < 0)
            return rc;
        if (toks[n].kind == MOF_T_EOF)
            return n;
    }
    return max;
}

static void test_mof_lexer__punctuation_and_names(void **state)
{
    (void)state;
    mof_token t[32];
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *src = "[key] class A_1 : B { uint32 x[]; }; # ( ) , =";
    int n = lex_all(src, t, 32, &err);
    static const mof_tok want[] = {
        MOF_T_LBRACKET, MOF_T_IDENT,  MOF_T_RBRACKET, MOF_T_IDENT,
        MOF_T_IDENT,    MOF_T_COLON,  MOF_T_IDENT,    MOF_T_LBRACE,
        MOF_T_IDENT,    MOF_T_IDENT,  MOF_T_LBRACKET, MOF_T_RBRACKET,
        MOF_T_SEMI,     MOF_T_RBRACE, MOF_T_SEMI,     MOF_T_HASH,
        MOF_T_LPAREN,   MOF_T_RPAREN, MOF_T_COMMA,    MOF_T_EQ,
    };
    assert_int_equal(n, (int)(sizeof(want) / sizeof(want[0])));
    for (int i = 0; i < n; i++)
        assert_int_equal(t[i].kind, want[i]);
    /* slices point into the text */
    assert_int_equal(t[4].off, 12);
    assert_int_equal(t[4].len, 3);
    assert_memory_equal(src + t[4].off, "A_1", 3);
}

static void test_mof_lexer__comments_skipped(void **state)
{
    (void)state;
    mof_token t[8];
    smsprov_error err = SMSPROV_ERROR_INIT;
    int n =
        lex_all("// line\n/* block\n * more */ a /**/ b // end", t, 8, &err);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].kind, MOF_T_IDENT);
    assert_int_equal(t[0].off, 28);
    assert_int_equal(t[1].off, 35);
}

static void test_mof_lexer__numbers(void **state)
{
    (void)state;
    mof_token t[16];
    smsprov_error err = SMSPROV_ERROR_INIT;
    int n = lex_all("12 -7 +3 0x1F -0xff 1.5 -2.5e3 .5 1e9", t, 16, &err);
    static const mof_tok want[] = {MOF_T_INT,  MOF_T_INT,  MOF_T_INT,
                                   MOF_T_INT,  MOF_T_INT,  MOF_T_REAL,
                                   MOF_T_REAL, MOF_T_REAL, MOF_T_REAL};
    assert_int_equal(n, 9);
    for (int i = 0; i < n; i++)
        assert_int_equal(t[i].kind, want[i]);
    assert_int_equal(t[4].len, 5);
}

static void test_mof_lexer__strings_decode(void **state)
{
    (void)state;
    mof_token t[4];
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *src = "\"a\\\"b\\\\c\\n\\x41\\x00e9\" 'x' '\\''";
    char out[64];
    int n = lex_all(src, t, 4, &err);
    assert_int_equal(n, 3);
    assert_int_equal(t[0].kind, MOF_T_STRING);
    size_t len = mof_string_decode(src, &t[0], out);
    out[len] = '\0';
    assert_string_equal(out, "a\"b\\c\nA\xc3\xa9");
    assert_int_equal(t[1].kind, MOF_T_CHAR);
    len = mof_string_decode(src, &t[1], out);
    assert_int_equal(len, 1);
    assert_int_equal(out[0], 'x');
    len = mof_string_decode(src, &t[2], out);
    assert_int_equal(len, 1);
    assert_int_equal(out[0], '\'');
}

static void test_mof_lexer__keywords_sorted_unique(void **state)
{
    (void)state;
    size_t n;
    const mof_keyword_entry *k = mof_keyword_table(&n);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(k[i - 1].name, k[i].name) < 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(mof_keyword(k[i].name, strlen(k[i].name)), k[i].kw);
    assert_int_equal(mof_keyword("CLASS", 5), MOF_KW_CLASS);
    assert_int_equal(mof_keyword("True", 4), MOF_KW_TRUE);
    assert_int_equal(mof_keyword("classes", 7), MOF_KW_NONE);
    assert_int_equal(mof_keyword("cla", 3), MOF_KW_NONE);
    assert_int_equal(mof_keyword("", 0), MOF_KW_NONE);
}

/* Lexes text and expects an error at offset off with msg in it. */
static void expect_error(const char *text, int off, const char *msg)
{
    mof_token t[64];
    smsprov_error err = SMSPROV_ERROR_INIT;
    int rc = lex_all(text, t, 64, &err);
    assert_int_equal(rc, SMSPROV_EINVALID_SYNTAX);
    assert_int_equal(err.code, SMSPROV_EINVALID_SYNTAX);
    assert_int_equal(err.offset, off);
    if (strstr(err.msg, msg) == NULL)
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
}

static void test_mof_lexer__errors(void **state)
{
    (void)state;
    expect_error("a /* never closed", 2, "unterminated comment");
    expect_error("a \"abc\ndef\"", 2, "unterminated string");
    expect_error("\"abc", 0, "unterminated string");
    expect_error("x \"a\\qb\"", 4, "unknown escape");
    expect_error("\"\\x\"", 1, "bad \\x escape");
    expect_error("\"\\x0\"", 1, "bad \\x escape");
    expect_error("\"\\xD800\"", 1, "bad \\x escape");
    expect_error("a 12ab", 2, "bad number");
    expect_error("0x", 0, "bad hexadecimal");
    expect_error("- 1", 0, "bad number");
    expect_error("1e", 0, "bad exponent");
    expect_error("a @ b", 2, "unexpected character '@'");
    expect_error("a / b", 2, "unexpected character '/'");
    expect_error("caf\xc3\xa9", 3, "non-ASCII");
    expect_error("\"a\x01\"", 2, "control character");
    expect_error("'ab'", 0, "exactly one character");
    expect_error("''", 0, "exactly one character");
}

static void test_mof_lexer__nul_byte(void **state)
{
    (void)state;
    /* strlen-free: a NUL inside the text is a stray byte */
    const char text[] = {'a', ' ', '\0', 'b'};
    mof_lexer lx;
    mof_token t;
    smsprov_error err = SMSPROV_ERROR_INIT;
    mof_lex_init(&lx, text, sizeof(text));
    assert_int_equal(mof_lex(&lx, &t, &err), 0);
    assert_int_equal(mof_lex(&lx, &t, &err), SMSPROV_EINVALID_SYNTAX);
    assert_int_equal(err.offset, 2);
}

static void test_mof_lexer__tok_names(void **state)
{
    (void)state;
    assert_string_equal(mof_tok_name(MOF_T_EOF), "end of input");
    assert_string_equal(mof_tok_name(MOF_T_SEMI), "';'");
    assert_string_equal(mof_tok_name(MOF_T_HASH), "'#'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mof_lexer__punctuation_and_names),
        cmocka_unit_test(test_mof_lexer__comments_skipped),
        cmocka_unit_test(test_mof_lexer__numbers),
        cmocka_unit_test(test_mof_lexer__strings_decode),
        cmocka_unit_test(test_mof_lexer__keywords_sorted_unique),
        cmocka_unit_test(test_mof_lexer__errors),
        cmocka_unit_test(test_mof_lexer__nul_byte),
        cmocka_unit_test(test_mof_lexer__tok_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
