/* SPDX-License-Identifier: MIT */
/*
 * MOF parser, top level: the parser context helpers (tokens, positions,
 * errors, depth), #pragma lines and class declarations.  Members are read
 * by members.c, qualifier lists by qualifiers.c and values by literal.c.
 * Recursive descent over the token stream from lexer.c; the first error
 * stops the parse.
 */
#include <stdio.h>
#include <string.h>

#include "mof/mof_int.h"

int mof_next(mof_parser *p)
{
    return mof_lex(&p->lx, &p->tok, p->err);
}

/*
 * Turns a byte offset into a 1-based line and column.  The position of the
 * last call is cached, so that walking forward through the text (the usual
 * case) costs O(text) in total even for one very long line.
 */
void mof_position(mof_parser *p, int off, int *line, int *col)
{
    size_t target = off < 0 ? 0 : (size_t)off;
    if (target > p->len)
        target = p->len;
    if (target < p->line_off) {
        p->line_off = 0;
        p->line_no = 1;
        p->col_no = 1;
    }
    size_t i = p->line_off;
    int ln = p->line_no;
    int cl = p->col_no;
    for (; i < target; i++) {
        unsigned char c = (unsigned char)p->text[i];
        if (c == '\n') {
            ln++;
            cl = 1;
        } else if ((c & 0xC0) != 0x80) {
            cl++;
        }
    }
    p->line_off = target;
    p->line_no = ln;
    p->col_no = cl;
    *line = ln;
    *col = cl;
}

int mof_error_code(mof_parser *p, int code, int off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_error_setv(p->err, code, off, fmt, ap);
    va_end(ap);
    return code;
}

int mof_error(mof_parser *p, int off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_error_setv(p->err, SMSPROV_EINVALID_SYNTAX, off, fmt, ap);
    va_end(ap);
    return SMSPROV_EINVALID_SYNTAX;
}

int mof_nomem(mof_parser *p)
{
    return util_error_set(p->err, SMSPROV_ENOMEM, -1, "out of memory");
}

void mof_tok_text(const mof_parser *p, const mof_token *t, char *out,
                  size_t outsz)
{
    if (t->kind == MOF_T_EOF) {
        snprintf(out, outsz, "end of input");
        return;
    }
    int n = t->len > 40 ? 40 : t->len;
    snprintf(out, outsz, "'%.*s%s'", n, p->text + t->off,
             t->len > 40 ? "..." : "");
}

int mof_expected(mof_parser *p, const char *what)
{
    char found[64];
    mof_tok_text(p, &p->tok, found, sizeof(found));
    return mof_error(p, p->tok.off, "expected %s, found %s", what, found);
}

int mof_expect(mof_parser *p, mof_tok kind, const char *what)
{
    if (p->tok.kind != kind)
        return mof_expected(p, what ? what : mof_tok_name(kind));
    return mof_next(p);
}

int mof_open(mof_parser *p)
{
    if (p->depth >= MOF_MAX_DEPTH)
        return mof_error_code(p, SMSPROV_ETOOBIG, p->tok.off,
                              "nesting deeper than %d levels", MOF_MAX_DEPTH);
    p->depth++;
    return mof_next(p);
}

void *mof_grow(util_arena *a, void *arr, uint32_t n, uint32_t *cap, size_t elem)
{
    if (arr != NULL && n < *cap)
        return arr;
    uint32_t ncap = *cap ? *cap * 2 : 4;
    void *na = util_arena_alloc(a, (size_t)ncap * elem);
    if (na == NULL)
        return NULL;
    if (n > 0)
        memcpy(na, arr, (size_t)n * elem);
    *cap = ncap;
    return na;
}

static bool tok_is_kw(const mof_parser *p, mof_kw kw)
{
    return p->tok.kind == MOF_T_IDENT &&
           mof_keyword(p->text + p->tok.off, (size_t)p->tok.len) == kw;
}

/*
 * #pragma name("value"), #pragma name(value) or a bare #pragma name.  The
 * value is checked for shape and then dropped: pragmas steer the Windows
 * MOF compiler (namespace, class flags) and mean nothing here.
 */
static int parse_pragma(mof_parser *p)
{
    int rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (!tok_is_kw(p, MOF_KW_PRAGMA))
        return mof_expected(p, "'pragma' after '#'");
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind != MOF_T_IDENT)
        return mof_expected(p, "a pragma name");
    rc = mof_next(p);
    if (rc < 0 || p->tok.kind != MOF_T_LPAREN)
        return rc;
    rc = mof_open(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind == MOF_T_IDENT &&
        mof_keyword(p->text + p->tok.off, (size_t)p->tok.len) == MOF_KW_NONE) {
        rc = mof_next(p);
    } else {
        cim_value ignored;
        rc = mof_literal_parse(p, CIM_NONE, false, &ignored);
    }
    if (rc < 0)
        return rc;
    rc = mof_expect(p, MOF_T_RPAREN, "')' after the pragma value");
    p->depth--;
    return rc;
}

/* Finds a class of this text or an earlier one by name (any case). */
static const mof_class *find_class(const cim_schema *s, uint32_t hash,
                                   const char *name)
{
    for (uint32_t i = 0; i < s->nclasses; i++) {
        const mof_class *o = (const mof_class *)s->classes[i];
        if (o->hash == hash && util_stricmp(o->c.name, name) == 0)
            return o;
    }
    return NULL;
}

/*
 * Appends a finished class to s->classes, which grows by doubling with
 * util_realloc (cim_schema_free releases it with util_free).  The capacity
 * is not stored: it is the smallest power of two >= max(8, nclasses).
 */
static int add_class(mof_parser *p, mof_class *mc)
{
    cim_schema *s = p->s;
    uint32_t n = s->nclasses;
    if (s->classes == NULL || (n >= 8 && (n & (n - 1)) == 0)) {
        uint32_t ncap = n < 8 ? 8 : n * 2;
        cim_class **nc = util_realloc(s->classes, ncap * sizeof(*nc));
        if (nc == NULL)
            return mof_nomem(p);
        s->classes = nc;
    }
    s->classes[n] = &mc->c;
    s->nclasses = n + 1;
    return 0;
}

/* Reads `class Name [: Parent]` after the qualifier list. */
static int parse_class_head(mof_parser *p, mof_class *mc)
{
    int rc;
    if (!tok_is_kw(p, MOF_KW_CLASS))
        return mof_expected(p, "'class'");
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind != MOF_T_IDENT)
        return mof_expected(p, "a class name");
    const char *z = p->text + p->tok.off;
    size_t n = (size_t)p->tok.len;
    mc->c.name = util_arena_strndup(p->a, z, n);
    if (mc->c.name == NULL)
        return mof_nomem(p);
    mc->hash = util_hash_ci(z, n);
    mc->c.file = p->file;
    mof_position(p, p->tok.off, &mc->c.line, &mc->name_col);
    const mof_class *dup = find_class(p->s, mc->hash, mc->c.name);
    if (dup != NULL)
        return mof_error(p, p->tok.off,
                         "duplicate class '%s' (first declared at %s:%d)",
                         mc->c.name, dup->c.file, dup->c.line);
    if (p->s->nclasses >= MOF_MAX_CLASSES)
        return mof_error_code(p, SMSPROV_ETOOBIG, p->tok.off,
                              "more than %d classes", MOF_MAX_CLASSES);
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind != MOF_T_COLON)
        return 0;
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind != MOF_T_IDENT)
        return mof_expected(p, "a superclass name after ':'");
    mc->c.parent_name =
        util_arena_strndup(p->a, p->text + p->tok.off, (size_t)p->tok.len);
    if (mc->c.parent_name == NULL)
        return mof_nomem(p);
    mof_position(p, p->tok.off, &mc->parent_line, &mc->parent_col);
    return mof_next(p);
}

/*
 * [qualifiers] class Name [: Parent] { members } ;
 * The class joins the schema only once its closing ';' has been read.
 */
static int parse_class(mof_parser *p)
{
    mof_quals q = {0};
    mof_class *mc = NULL;
    char what[200];
    int rc = mof_quals_parse(p, &q);
    if (rc < 0)
        goto out;
    mc = util_arena_alloc(p->a, sizeof(*mc));
    if (mc == NULL) {
        rc = mof_nomem(p);
        goto out;
    }
    rc = parse_class_head(p, mc);
    if (rc < 0)
        goto out;
    rc = mof_quals_apply_class(p, &q, &mc->c);
    if (rc < 0)
        goto out;
    if (p->tok.kind != MOF_T_LBRACE) {
        rc = mof_expected(p, mc->c.parent_name
                                 ? "'{' to open the class body"
                                 : "':' or '{' after the class name");
        goto out;
    }
    rc = mof_open(p);
    if (rc < 0)
        goto out;
    while (p->tok.kind != MOF_T_RBRACE && p->tok.kind != MOF_T_EOF) {
        rc = mof_member_parse(p, mc);
        if (rc < 0)
            goto out;
    }
    snprintf(what, sizeof(what), "'}' to close class '%s'", mc->c.name);
    rc = mof_expect(p, MOF_T_RBRACE, what);
    if (rc < 0)
        goto out;
    p->depth--;
    rc = mof_expect(p, MOF_T_SEMI, "';' after class declaration");
    if (rc < 0)
        goto out;
    mc->c.nprops = mc->own_props;
    mc->c.nmethods = mc->own_methods;
    mc->own_p = mc->c.props;
    mc->own_m = mc->c.methods;
    rc = add_class(p, mc);
out:
    if (rc < 0 && p->fresh && mc != NULL && mc->c.name != NULL)
        util_error_object(p->err, mc->c.name);
    return rc;
}

int mof_parse(cim_schema *s, const char *file, const char *text, size_t len,
              smsprov_error *err)
{
    mof_parser p;
    int rc = 0;
    memset(&p, 0, sizeof(p));
    p.fresh = err == NULL || err->code == 0;
    p.s = s;
    p.a = s->arena;
    p.text = text != NULL ? text : "";
    p.len = text != NULL ? len : 0;
    p.err = err;
    p.line_no = 1;
    p.col_no = 1;
    if (file == NULL)
        file = "";
    if (p.len > MOF_MAX_TEXT) {
        rc = util_error_set(err, SMSPROV_ETOOBIG, -1,
                            "MOF text of %zu bytes is over the limit of %d",
                            p.len, MOF_MAX_TEXT);
        goto out;
    }
    p.file = util_arena_strdup(p.a, file);
    if (p.file == NULL) {
        rc = mof_nomem(&p);
        goto out;
    }
    mof_lex_init(&p.lx, p.text, p.len);
    rc = mof_next(&p);
    if (rc < 0)
        goto out;
    while (p.tok.kind != MOF_T_EOF) {
        if (p.tok.kind == MOF_T_HASH)
            rc = parse_pragma(&p);
        else if (p.tok.kind == MOF_T_LBRACKET || tok_is_kw(&p, MOF_KW_CLASS))
            rc = parse_class(&p);
        else
            rc = mof_expected(&p, "'class', '[' or '#pragma'");
        if (rc < 0)
            goto out;
    }
out:
    if (rc < 0 && p.fresh && err != NULL) {
        snprintf(err->file, sizeof(err->file), "%s", file);
        util_error_locate(err, p.text, p.len);
    }
    return rc;
}
