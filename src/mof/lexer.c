/* SPDX-License-Identifier: MIT */
/*
 * MOF lexer: the first stage of mof_parse.  Splits the text into tokens that
 * are slices {kind, off, len}; comments and blanks are skipped and nothing
 * is copied.  Table-driven: a 256-entry character class table and a switch
 * on the class.  String and char literals are validated here so that
 * mof_string_decode cannot fail.
 */
#include <string.h>

#include "mof/mof_int.h"

/* Character classes; XX is "not valid outside a literal or comment". */
enum {
    XX = 0, /* bad byte (controls, and every byte >= 0x80) */
    SP,     /* blank: space, tab, newline, CR, FF, VT */
    AL,     /* identifier start: letter or underscore */
    DG,     /* decimal digit */
    DQ,     /* " */
    SQ,     /* ' */
    SL,     /* / (comments) */
    SG,     /* - or + (sign of a number) */
    DT,     /* . (real starting with a dot) */
    LB,     /* { */
    RB,     /* } */
    LP,     /* ( */
    RP,     /* ) */
    LK,     /* [ */
    RK,     /* ] */
    SC,     /* ; */
    CM,     /* , */
    CO,     /* : */
    EQ,     /* = */
    HS,     /* # */
};

/*
 * One load classifies a byte, where a chain of comparisons would branch
 * once per class.  Bytes >= 0x80 are XX: names are ASCII; UTF-8 is only
 * allowed inside literals and comments, which do not consult the table.
 */
/* clang-format off */
static const unsigned char char_class[256] = {
    XX, XX, XX, XX, XX, XX, XX, XX, XX, SP, SP, SP, SP, SP, XX, XX,
    XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
    SP, XX, DQ, HS, XX, XX, XX, SQ, LP, RP, XX, SG, CM, SG, DT, SL,
    DG, DG, DG, DG, DG, DG, DG, DG, DG, DG, CO, SC, XX, EQ, XX, XX,
    XX, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, LK, XX, RK, XX, AL,
    XX, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, LB, XX, RB, XX, XX,
};
/* clang-format on */

/* Must stay sorted by name (a test checks order and uniqueness). */
static const mof_keyword_entry keywords[] = {
    {"class", MOF_KW_CLASS},   {"false", MOF_KW_FALSE}, {"null", MOF_KW_NULL},
    {"pragma", MOF_KW_PRAGMA}, {"ref", MOF_KW_REF},     {"true", MOF_KW_TRUE},
    {"void", MOF_KW_VOID},
};

void mof_lex_init(mof_lexer *lx, const char *text, size_t len)
{
    lx->text = text;
    lx->len = len;
    lx->pos = 0;
}

const mof_keyword_entry *mof_keyword_table(size_t *n)
{
    *n = sizeof(keywords) / sizeof(keywords[0]);
    return keywords;
}

mof_kw mof_keyword(const char *z, size_t n)
{
    size_t lo = 0, hi = sizeof(keywords) / sizeof(keywords[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *k = keywords[mid].name;
        size_t klen = strlen(k);
        int d = util_strnicmp(k, z, n < klen ? n : klen);
        if (d == 0)
            d = (klen > n) - (klen < n);
        if (d == 0)
            return keywords[mid].kw;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return MOF_KW_NONE;
}

const char *mof_tok_name(mof_tok kind)
{
    static const char *const names[] = {
        "end of input", "name", "integer", "number", "string", "character",
        "'{'",          "'}'",  "'('",     "')'",    "'['",    "']'",
        "';'",          "','",  "':'",     "'='",    "'#'",
    };
    if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
        return "token";
    return names[kind];
}

static int lex_error(mof_lexer *lx, smsprov_error *err, size_t off,
                     const char *msg)
{
    (void)lx;
    return util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)off, "%s", msg);
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

/*
 * Skips blanks and comments.  Returns 0, or an error for a comment that
 * never ends (reported where it starts).
 */
static int skip_blanks(mof_lexer *lx, smsprov_error *err)
{
    const char *t = lx->text;
    while (lx->pos < lx->len) {
        unsigned char c = (unsigned char)t[lx->pos];
        if (char_class[c] == SP) {
            lx->pos++;
            continue;
        }
        if (c != '/' || lx->pos + 1 >= lx->len)
            return 0;
        if (t[lx->pos + 1] == '/') {
            while (lx->pos < lx->len && t[lx->pos] != '\n')
                lx->pos++;
        } else if (t[lx->pos + 1] == '*') {
            size_t start = lx->pos;
            lx->pos += 2;
            for (;;) {
                if (lx->pos + 1 >= lx->len) {
                    lx->pos = lx->len;
                    return lex_error(lx, err, start, "unterminated comment");
                }
                if (t[lx->pos] == '*' && t[lx->pos + 1] == '/')
                    break;
                lx->pos++;
            }
            lx->pos += 2;
        } else {
            return 0;
        }
    }
    return 0;
}

/*
 * Checks one escape sequence at lx->pos (just after the backslash) and
 * steps over it.  \x takes 1-4 hex digits naming a non-zero UCS-2 code
 * point that is not a surrogate.
 */
static int lex_escape(mof_lexer *lx, smsprov_error *err)
{
    size_t bs = lx->pos - 1;
    if (lx->pos >= lx->len)
        return lex_error(lx, err, bs, "unterminated escape sequence");
    char c = lx->text[lx->pos++];
    if (strchr("\"'\\nrtbf", c) != NULL && c != '\0')
        return 0;
    if (c != 'x' && c != 'X')
        return lex_error(lx, err, bs, "unknown escape sequence in string");
    unsigned v = 0;
    int digits = 0;
    while (digits < 4 && lx->pos < lx->len &&
           is_hex((unsigned char)lx->text[lx->pos])) {
        unsigned char h = (unsigned char)lx->text[lx->pos++];
        v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
        digits++;
    }
    if (digits == 0 || v == 0 || (v >= 0xD800 && v <= 0xDFFF))
        return lex_error(lx, err, bs, "bad \\x escape in string");
    return 0;
}

/* Reads a "..." or '...' literal; quote is the opening byte. */
static int lex_quoted(mof_lexer *lx, mof_token *tok, char quote,
                      smsprov_error *err)
{
    size_t start = lx->pos++;
    int chars = 0;
    for (;;) {
        if (lx->pos >= lx->len || lx->text[lx->pos] == '\n' ||
            lx->text[lx->pos] == '\r')
            return lex_error(lx, err, start,
                             quote == '"' ? "unterminated string"
                                          : "unterminated character literal");
        unsigned char c = (unsigned char)lx->text[lx->pos];
        if (c == (unsigned char)quote)
            break;
        if (c < 0x20 && c != '\t')
            return lex_error(lx, err, lx->pos, "control character in string");
        lx->pos++;
        if (c == '\\') {
            int rc = lex_escape(lx, err);
            if (rc < 0)
                return rc;
        }
        if ((c & 0xC0) != 0x80)
            chars++;
    }
    lx->pos++;
    if (quote == '\'' && chars != 1)
        return lex_error(lx, err, start,
                         "a character literal holds exactly one character");
    tok->kind = quote == '"' ? MOF_T_STRING : MOF_T_CHAR;
    tok->len = (int)(lx->pos - start);
    return 0;
}

/*
 * Reads a number: optional sign, then 0x hex, or decimal digits with an
 * optional fraction and exponent.  A number glued to a letter ("12ab") is
 * an error rather than two tokens.
 */
static int lex_number(mof_lexer *lx, mof_token *tok, smsprov_error *err)
{
    const char *t = lx->text;
    size_t start = lx->pos;
    bool real = false;
    if (t[lx->pos] == '-' || t[lx->pos] == '+')
        lx->pos++;
    if (lx->pos + 1 < lx->len && t[lx->pos] == '0' &&
        (t[lx->pos + 1] | 32) == 'x') {
        lx->pos += 2;
        size_t digits = lx->pos;
        while (lx->pos < lx->len && is_hex((unsigned char)t[lx->pos]))
            lx->pos++;
        if (lx->pos == digits)
            return lex_error(lx, err, start, "bad hexadecimal number");
    } else {
        size_t digits = 0;
        while (lx->pos < lx->len &&
               char_class[(unsigned char)t[lx->pos]] == DG) {
            lx->pos++;
            digits++;
        }
        if (lx->pos < lx->len && t[lx->pos] == '.') {
            real = true;
            lx->pos++;
            while (lx->pos < lx->len &&
                   char_class[(unsigned char)t[lx->pos]] == DG) {
                lx->pos++;
                digits++;
            }
        }
        if (digits == 0)
            return lex_error(lx, err, start, "bad number");
        if (lx->pos < lx->len && (t[lx->pos] | 32) == 'e') {
            real = true;
            lx->pos++;
            if (lx->pos < lx->len && (t[lx->pos] == '-' || t[lx->pos] == '+'))
                lx->pos++;
            size_t exp = lx->pos;
            while (lx->pos < lx->len &&
                   char_class[(unsigned char)t[lx->pos]] == DG)
                lx->pos++;
            if (lx->pos == exp)
                return lex_error(lx, err, start, "bad exponent in number");
        }
    }
    if (lx->pos < lx->len) {
        int cls = char_class[(unsigned char)t[lx->pos]];
        if (cls == AL || cls == DG || t[lx->pos] == '.')
            return lex_error(lx, err, start, "bad number");
    }
    tok->kind = real ? MOF_T_REAL : MOF_T_INT;
    tok->len = (int)(lx->pos - start);
    return 0;
}

int mof_lex(mof_lexer *lx, mof_token *tok, smsprov_error *err)
{
    static const mof_tok punct[] = {
        [LB] = MOF_T_LBRACE, [RB] = MOF_T_RBRACE,   [LP] = MOF_T_LPAREN,
        [RP] = MOF_T_RPAREN, [LK] = MOF_T_LBRACKET, [RK] = MOF_T_RBRACKET,
        [SC] = MOF_T_SEMI,   [CM] = MOF_T_COMMA,    [CO] = MOF_T_COLON,
        [EQ] = MOF_T_EQ,     [HS] = MOF_T_HASH,
    };
    int rc = skip_blanks(lx, err);
    tok->kind = MOF_T_EOF;
    tok->off = (int)lx->pos;
    tok->len = 0;
    if (rc < 0)
        return rc;
    if (lx->pos >= lx->len)
        return 0;
    const char *t = lx->text;
    unsigned char c = (unsigned char)t[lx->pos];
    switch (char_class[c]) {
    case AL:
        while (lx->pos < lx->len) {
            int cls = char_class[(unsigned char)t[lx->pos]];
            if (cls != AL && cls != DG)
                break;
            lx->pos++;
        }
        tok->kind = MOF_T_IDENT;
        tok->len = (int)(lx->pos - (size_t)tok->off);
        return 0;
    case DG:
    case SG:
    case DT:
        return lex_number(lx, tok, err);
    case DQ:
        return lex_quoted(lx, tok, '"', err);
    case SQ:
        return lex_quoted(lx, tok, '\'', err);
    case LB:
    case RB:
    case LP:
    case RP:
    case LK:
    case RK:
    case SC:
    case CM:
    case CO:
    case EQ:
    case HS:
        tok->kind = punct[char_class[c]];
        tok->len = 1;
        lx->pos++;
        return 0;
    case SL: /* a lone '/' (comments were skipped above) */
    default:
        if (c >= 0x80)
            return lex_error(lx, err, lx->pos,
                             "non-ASCII character outside a string");
        return util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)lx->pos,
                              c >= 0x20 && c < 0x7f
                                  ? "unexpected character '%c'"
                                  : "unexpected byte 0x%02x",
                              c);
    }
}

/* Encodes a UCS-2 code point as UTF-8; returns the bytes written. */
static size_t put_utf8(char *dst, unsigned v)
{
    if (v < 0x80) {
        dst[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        dst[0] = (char)(0xC0 | (v >> 6));
        dst[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    dst[0] = (char)(0xE0 | (v >> 12));
    dst[1] = (char)(0x80 | ((v >> 6) & 0x3F));
    dst[2] = (char)(0x80 | (v & 0x3F));
    return 3;
}

size_t mof_string_decode(const char *text, const mof_token *tok, char *dst)
{
    const char *s = text + tok->off + 1;
    const char *end = text + tok->off + tok->len - 1;
    size_t n = 0;
    while (s < end) {
        if (*s != '\\') {
            dst[n++] = *s++;
            continue;
        }
        s++;
        char c = *s++;
        switch (c) {
        case 'n':
            dst[n++] = '\n';
            break;
        case 'r':
            dst[n++] = '\r';
            break;
        case 't':
            dst[n++] = '\t';
            break;
        case 'b':
            dst[n++] = '\b';
            break;
        case 'f':
            dst[n++] = '\f';
            break;
        case 'x':
        case 'X': {
            unsigned v = 0;
            int digits = 0;
            while (digits < 4 && s < end && is_hex((unsigned char)*s)) {
                unsigned char h = (unsigned char)*s++;
                v = v * 16 +
                    (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
                digits++;
            }
            /* "\x41" is 4 bytes of text and at most 3 of UTF-8 */
            n += put_utf8(dst + n, v);
            break;
        }
        default: /* \" \' \\ */
            dst[n++] = c;
            break;
        }
    }
    return n;
}
