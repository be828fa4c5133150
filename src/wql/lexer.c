/* SPDX-License-Identifier: MIT */
/*
 * WQL lexer: splits the query text into tokens that are slices {kind, kw,
 * loc, len} of the text; nothing is copied (the parser unescapes strings).
 * Table-driven: a 256-entry character class table and a switch on the class.
 */
#include <string.h>

#include "wql/wql_int.h"

/* Character classes; 0 is "not valid outside a string literal". */
enum {
    XX = 0, /* bad character (also every byte >= 0x80) */
    SP,     /* blank: space, tab, newline, CR, FF, VT */
    AL,     /* identifier start: letter or underscore */
    DG,     /* decimal digit */
    QT,     /* string quote: ' or " */
    DT,     /* . */
    CM,     /* , */
    LP,     /* ( */
    RP,     /* ) */
    ST,     /* * */
    EQ,     /* = */
    LT,     /* < */
    GT,     /* > */
    BG,     /* ! (only in !=) */
    MI,     /* - */
    PL,     /* + */
    SC,     /* ; */
};

/*
 * A table rather than a chain of comparisons: one load classifies a byte.
 * Entries 128..255 are left zero (XX): identifiers are ASCII only.
 */
/* clang-format off */
static const unsigned char char_class[256] = {
    XX, XX, XX, XX, XX, XX, XX, XX, XX, SP, SP, SP, SP, SP, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    SP, BG, QT, XX, XX, XX, XX, QT, LP, RP, ST, PL, CM, MI, DT, XX,
    DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, XX, SC, LT, EQ, GT, XX,
    XX, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, XX, XX, XX, XX, AL,
    XX, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, XX, XX, XX, XX, XX,
};
/* clang-format on */

void wql_lex_init(wql_lexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
}

const char *wql_tok_name(wql_tok kind)
{
    switch (kind) {
    case WQL_T_EOF:
        return "end of query";
    case WQL_T_IDENT:
        return "identifier";
    case WQL_T_INT:
        return "integer";
    case WQL_T_REAL:
        return "number";
    case WQL_T_STRING:
        return "string";
    case WQL_T_COMMA:
        return "','";
    case WQL_T_DOT:
        return "'.'";
    case WQL_T_LPAREN:
        return "'('";
    case WQL_T_RPAREN:
        return "')'";
    case WQL_T_STAR:
        return "'*'";
    case WQL_T_EQ:
        return "'='";
    case WQL_T_NE:
        return "'<>'";
    case WQL_T_LT:
        return "'<'";
    case WQL_T_LE:
        return "'<='";
    case WQL_T_GT:
        return "'>'";
    case WQL_T_GE:
        return "'>='";
    case WQL_T_MINUS:
        return "'-'";
    case WQL_T_PLUS:
        return "'+'";
    case WQL_T_SEMI:
        return "';'";
    }
    return "token";
}

/* Class of the byte at i, or XX past the end. */
static int class_at(const wql_lexer *lx, size_t i)
{
    return i < lx->len ? char_class[(unsigned char)lx->text[i]] : XX;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/*
 * Finds the end of a string literal that opens at start.  A doubled quote
 * and a backslash followed by any byte stay inside the literal (the parser
 * decides what they mean).  Returns the offset just past the closing quote,
 * or 0 when the literal is not terminated.
 */
static size_t scan_string(const wql_lexer *lx, size_t start)
{
    char q = lx->text[start];
    size_t i = start + 1;
    while (i < lx->len) {
        char c = lx->text[i];
        if (c == '\\' && i + 1 < lx->len) {
            i += 2;
        } else if (c == q) {
            if (i + 1 < lx->len && lx->text[i + 1] == q)
                i += 2;
            else
                return i + 1;
        } else {
            i++;
        }
    }
    return 0;
}

/*
 * Scans a number at start: decimal digits with an optional fraction and
 * exponent, a leading-dot fraction (.5), or 0x hex digits.  Sets *kind and
 * returns its end; returns 0 when it runs into letters (123abc, 0x).
 */
static size_t scan_number(const wql_lexer *lx, size_t start, wql_tok *kind)
{
    const char *t = lx->text;
    size_t i = start;
    *kind = WQL_T_INT;
    if (t[i] == '0' && i + 1 < lx->len &&
        (t[i + 1] == 'x' || t[i + 1] == 'X')) {
        i += 2;
        size_t digits = i;
        while (i < lx->len && is_hex(t[i]))
            i++;
        if (i == digits)
            return 0;
    } else {
        while (class_at(lx, i) == DG)
            i++;
        if (i < lx->len && t[i] == '.' && class_at(lx, i + 1) == DG) {
            *kind = WQL_T_REAL;
            i++;
            while (class_at(lx, i) == DG)
                i++;
        }
        if (i < lx->len && (t[i] == 'e' || t[i] == 'E')) {
            size_t j = i + 1;
            if (j < lx->len && (t[j] == '+' || t[j] == '-'))
                j++;
            if (class_at(lx, j) == DG) {
                *kind = WQL_T_REAL;
                i = j;
                while (class_at(lx, i) == DG)
                    i++;
            }
        }
    }
    int next = class_at(lx, i);
    if (next == AL || next == DG)
        return 0;
    return i;
}

/* Sets the bad-character error for the byte at i. */
static int bad_char(wql_lexer *lx, size_t i, smsprov_error *err)
{
    unsigned char c = (unsigned char)lx->text[i];
    if (c >= 0x21 && c < 0x7f)
        return util_error_set(err, SMSPROV_EINVALID_QUERY, (int)i,
                              "unexpected character '%c'", c);
    return util_error_set(err, SMSPROV_EINVALID_QUERY, (int)i,
                          "unexpected byte 0x%02X", c);
}

int wql_lex_next(wql_lexer *lx, wql_token *tok, smsprov_error *err)
{
    size_t i = lx->pos;
    while (class_at(lx, i) == SP)
        i++;
    tok->kw = WQL_KW_NONE;
    tok->loc = (int)i;
    tok->len = 0;
    tok->kind = WQL_T_EOF;
    if (i >= lx->len) {
        lx->pos = lx->len;
        return 0;
    }
    size_t end = i + 1;
    int rc = 0;
    switch (char_class[(unsigned char)lx->text[i]]) {
    case AL:
        while (class_at(lx, end) == AL || class_at(lx, end) == DG)
            end++;
        tok->kind = WQL_T_IDENT;
        tok->kw = wql_keyword(lx->text + i, end - i);
        break;
    case DG:
        end = scan_number(lx, i, &tok->kind);
        if (end == 0)
            rc = util_error_set(err, SMSPROV_EINVALID_QUERY, (int)i,
                                "invalid number");
        break;
    case DT:
        if (class_at(lx, i + 1) == DG) {
            end = scan_number(lx, i, &tok->kind);
            tok->kind = WQL_T_REAL;
            if (end == 0)
                rc = util_error_set(err, SMSPROV_EINVALID_QUERY, (int)i,
                                    "invalid number");
        } else {
            tok->kind = WQL_T_DOT;
        }
        break;
    case QT:
        end = scan_string(lx, i);
        tok->kind = WQL_T_STRING;
        if (end == 0)
            rc = util_error_set(err, SMSPROV_EINVALID_QUERY, (int)i,
                                "unterminated string");
        break;
    case CM:
        tok->kind = WQL_T_COMMA;
        break;
    case LP:
        tok->kind = WQL_T_LPAREN;
        break;
    case RP:
        tok->kind = WQL_T_RPAREN;
        break;
    case ST:
        tok->kind = WQL_T_STAR;
        break;
    case EQ:
        tok->kind = WQL_T_EQ;
        break;
    case LT:
        tok->kind = WQL_T_LT;
        if (end < lx->len && lx->text[end] == '=') {
            tok->kind = WQL_T_LE;
            end++;
        } else if (end < lx->len && lx->text[end] == '>') {
            tok->kind = WQL_T_NE;
            end++;
        }
        break;
    case GT:
        tok->kind = WQL_T_GT;
        if (end < lx->len && lx->text[end] == '=') {
            tok->kind = WQL_T_GE;
            end++;
        }
        break;
    case BG:
        if (end < lx->len && lx->text[end] == '=') {
            tok->kind = WQL_T_NE;
            end++;
        } else {
            rc = bad_char(lx, i, err);
        }
        break;
    case MI:
        tok->kind = WQL_T_MINUS;
        break;
    case PL:
        tok->kind = WQL_T_PLUS;
        break;
    case SC:
        tok->kind = WQL_T_SEMI;
        break;
    default:
        rc = bad_char(lx, i, err);
        break;
    }
    if (rc != 0) {
        tok->kind = WQL_T_EOF;
        tok->kw = WQL_KW_NONE;
        lx->pos = lx->len; /* later calls keep returning EOF */
        return rc;
    }
    tok->len = (int)(end - i);
    lx->pos = end;
    return 0;
}
