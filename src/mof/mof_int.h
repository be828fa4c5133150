/* SPDX-License-Identifier: MIT */
/*
 * mof private header: tokens, the lexer, the parser context and the per-class
 * bookkeeping shared by lexer.c, literal.c, qualifiers.c, parser.c and
 * registry.c.  Nothing here is visible outside src/mof.
 */
#ifndef SMSPROV_MOF_INT_H
#define SMSPROV_MOF_INT_H

#include "mof/mof.h"

/* Private limits (the public ones are in mof.h). */
#define MOF_MAX_ARRAY 65536 /* elements of one array literal */
#define MOF_MAX_QUALS 256   /* qualifiers in one [ ] list */
#define MOF_MAX_FILES 4096  /* *.mof files mof_load_dir reads */
/* Members of all classes after flattening (inherited ones count in every
 * subclass); ~140 bytes each. */
#define MOF_MAX_SCHEMA_MEMBERS (256 * 1024)

/* ---- tokens and lexer (lexer.c) ----------------------------------------- */

typedef enum mof_tok {
    MOF_T_EOF = 0,  /* end of text */
    MOF_T_IDENT,    /* name or keyword (the parser asks mof_keyword) */
    MOF_T_INT,      /* [-+]decimal or [-+]0x hex */
    MOF_T_REAL,     /* [-+]digits.digits[e[-+]digits] */
    MOF_T_STRING,   /* "..." with escapes, quotes included in the slice */
    MOF_T_CHAR,     /* '.' char16 literal, quotes included */
    MOF_T_LBRACE,   /* { */
    MOF_T_RBRACE,   /* } */
    MOF_T_LPAREN,   /* ( */
    MOF_T_RPAREN,   /* ) */
    MOF_T_LBRACKET, /* [ */
    MOF_T_RBRACKET, /* ] */
    MOF_T_SEMI,     /* ; */
    MOF_T_COMMA,    /* , */
    MOF_T_COLON,    /* : */
    MOF_T_EQ,       /* = */
    MOF_T_HASH,     /* # (only in #pragma) */
} mof_tok;

/* A token is a slice of the text; nothing is copied. */
typedef struct mof_token {
    mof_tok kind; /* what it is */
    int off;      /* byte offset of its first byte */
    int len;      /* bytes in the slice */
} mof_token;

/* Lexer state: a cursor over the text; copy it to look ahead. */
typedef struct mof_lexer {
    const char *text; /* borrowed, not NUL-terminated */
    size_t len;       /* bytes in text (<= MOF_MAX_TEXT) */
    size_t pos;       /* next byte to read */
} mof_lexer;

/* Keywords, recognised by the parser where they are expected. */
typedef enum mof_kw {
    MOF_KW_NONE = 0,
    MOF_KW_CLASS,
    MOF_KW_FALSE,
    MOF_KW_NULL,
    MOF_KW_PRAGMA,
    MOF_KW_REF,
    MOF_KW_TRUE,
    MOF_KW_VOID,
} mof_kw;

typedef struct mof_keyword_entry {
    const char *name; /* lower-case spelling */
    mof_kw kw;        /* its code */
} mof_keyword_entry;

void mof_lex_init(mof_lexer *lx, const char *text, size_t len);
/*
 * Reads the next token into tok.  Returns 0, or SMSPROV_EINVALID_SYNTAX
 * (unterminated comment/string, bad escape, bad number, stray byte) set on
 * err at the offending offset.
 */
int mof_lex(mof_lexer *lx, mof_token *tok, smsprov_error *err);
/* The keyword a slice spells (any case), or MOF_KW_NONE. */
mof_kw mof_keyword(const char *z, size_t n);
/* The sorted keyword table, for the test that checks its order. */
const mof_keyword_entry *mof_keyword_table(size_t *n);
/* "end of input", "'}'", ... for messages about an expected token kind. */
const char *mof_tok_name(mof_tok kind);
/*
 * Appends the decoded body of a STRING or CHAR token (escapes resolved,
 * quotes dropped) at dst, which must have room for tok->len bytes; returns
 * the number of bytes written.  The lexer has validated the token.
 */
size_t mof_string_decode(const char *text, const mof_token *tok, char *dst);

/* ---- parser context (parser.c) ------------------------------------------ */

/* A class-typed member whose class is looked up by mof_schema_finalize. */
typedef struct mof_ref {
    struct mof_ref *next; /* next reference of the same class */
    int32_t method;       /* index in own methods, -1 for a property */
    uint32_t index;       /* own property index or parameter index */
    int line;             /* 1-based position of the class name */
    int col;
    bool is_type; /* written as the member's type ("unknown type") */
} mof_ref;

/*
 * How mof_parse allocates a class.  cim_class comes first so that the
 * cim_class pointers in cim_schema.classes can be turned back into this:
 * mof_parse is the only way classes enter a schema, so every class that
 * mof_schema_finalize sees was made here.
 */
typedef struct mof_class {
    cim_class c;     /* the public part; must stay first */
    uint32_t hash;   /* util_hash_ci of the name (duplicate check) */
    int name_col;    /* 1-based column of the class name */
    int parent_line; /* position of the superclass name, 0 if none */
    int parent_col;
    cim_property *own_p;  /* own properties as declared (c.props is
                             replaced by the flattened array) */
    cim_method *own_m;    /* own methods as declared */
    int *prop_cols;       /* name column of each own property */
    int *method_cols;     /* name column of each own method */
    uint32_t own_props;   /* own properties before flattening */
    uint32_t own_methods; /* own methods before flattening */
    uint32_t cap_props;   /* allocated entries of props/prop_cols */
    uint32_t cap_methods; /* allocated entries of methods/method_cols */
    mof_ref *refs;        /* class-typed members to resolve */
    uint8_t mark;         /* cycle walk colour (registry.c) */
    bool flat;            /* inherited members merged in already */
} mof_class;

/* Where a qualifier's value starts (its name when it has none). */
typedef struct mof_qpos {
    int off;  /* byte offset */
    int line; /* 1-based line */
    int col;  /* 1-based column */
} mof_qpos;

/* Every qualifier of one [ ] list, with positions for later errors. */
typedef struct mof_quals {
    cim_qualifier *q; /* arena array */
    mof_qpos *pos;    /* position of each value, same length */
    uint32_t n;       /* entries */
} mof_quals;

typedef struct mof_parser {
    cim_schema *s;      /* schema being filled */
    util_arena *a;      /* == s->arena */
    const char *file;   /* arena copy of the file name */
    const char *text;   /* borrowed */
    size_t len;         /* bytes in text */
    mof_lexer lx;       /* cursor after tok */
    mof_token tok;      /* current token */
    int depth;          /* open { and ( */
    size_t line_off;    /* cache for mof_position: an offset ... */
    int line_no;        /* ... its 1-based line ... */
    int col_no;         /* ... and its 1-based column */
    smsprov_error *err; /* where the first error goes */
    bool fresh;         /* err was clear on entry: the error is ours */
} mof_parser;

/* Moves to the next token; error code on a lexical error. */
int mof_next(mof_parser *p);
/* Line and column (1-based, UTF-8 aware) of a byte offset. */
void mof_position(mof_parser *p, int off, int *line, int *col);
/* Sets a syntax error at off; returns SMSPROV_EINVALID_SYNTAX. */
int mof_error(mof_parser *p, int off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same with an explicit code (SMSPROV_ETOOBIG, ...). */
int mof_error_code(mof_parser *p, int code, int off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Out of memory; returns SMSPROV_ENOMEM. */
int mof_nomem(mof_parser *p);
/* "expected X, found 'tok'" at the current token. */
int mof_expected(mof_parser *p, const char *what);
/* Consumes a token of the given kind or fails with "expected ... ". */
int mof_expect(mof_parser *p, mof_tok kind, const char *what);
/* Consumes an opening { or ( and enforces MOF_MAX_DEPTH. */
int mof_open(mof_parser *p);
/* Writes the current token as quoted text for messages ("'}'"). */
void mof_tok_text(const mof_parser *p, const mof_token *t, char *out,
                  size_t outsz);
/*
 * Grows an arena array of elem-sized items holding n so that one more fits;
 * *cap is updated.  Returns the (possibly moved) array or NULL on ENOMEM.
 */
void *mof_grow(util_arena *a, void *arr, uint32_t n, uint32_t *cap,
               size_t elem);

/* ---- literals (literal.c) ----------------------------------------------- */

/*
 * Parses a value at the current token.  With want == CIM_NONE the value keeps
 * its natural type (qualifier values: strings, SInt64/UInt64 integers,
 * Real64, Boolean, Char16, NULL, arrays of one type).  Otherwise it is
 * converted to want (an array iff want_array) and a value that does not fit
 * is an error at its position.  Memory comes from p->a.
 */
int mof_literal_parse(mof_parser *p, cim_type want, bool want_array,
                      cim_value *out);

/* ---- qualifiers (qualifiers.c) ------------------------------------------ */

/* Where a qualifier list stands; decides which flags it maps to. */
typedef enum mof_scope {
    MOF_SCOPE_CLASS = 1,
    MOF_SCOPE_PROPERTY = 2,
    MOF_SCOPE_METHOD = 4,
    MOF_SCOPE_PARAMETER = 8,
} mof_scope;

/* Parses an optional [ ... ] list at the current token into q. */
int mof_quals_parse(mof_parser *p, mof_quals *q);
int mof_quals_apply_class(mof_parser *p, const mof_quals *q, cim_class *c);
/*
 * Applies property or parameter qualifiers: flags, SizeLimit, Range, max,
 * EmbeddedInstance/EmbeddedObject (which turn object and string into
 * CIM_OBJECT).  prop->type must be set already.
 */
int mof_quals_apply_property(mof_parser *p, const mof_quals *q,
                             cim_property *prop, mof_scope scope);
int mof_quals_apply_method(mof_parser *p, const mof_quals *q, cim_method *m);
/* Position of the value of the qualifier named name in q, or NULL. */
const mof_qpos *mof_quals_find(const mof_quals *q, const char *name);

/* ---- members (members.c) ------------------------------------------------ */

/* Parses one property or method declaration into the class being read. */
int mof_member_parse(mof_parser *p, mof_class *mc);

#endif
