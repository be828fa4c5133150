/* SPDX-License-Identifier: MIT */
/*
 * MOF parser, class members: properties `[q] type Name[n] = default;`,
 * references `Class ref Name;`, embedded objects `Class Name[];` and methods
 * `[q] type Name([q] type Param[], ...);`.  Class-typed members are noted
 * in mof_class.refs for mof_schema_finalize, which resolves them once every
 * file has been read.
 */
#include <stdio.h>
#include <string.h>

#include "mof/mof_int.h"

/* What comes before a member's '(' or '[' / '=' / ';'. */
typedef struct decl {
    mof_quals q;    /* qualifier list (maybe empty) */
    mof_token type; /* type name */
    int type_line;  /* its 1-based position */
    int type_col;
    bool is_ref;    /* `Type ref Name` */
    mof_token name; /* member name */
    int name_line;  /* its 1-based position */
    int name_col;
} decl;

/* The built-in type names, for the "unknown type" heuristic below. */
static const char *const type_names[] = {
    "boolean", "sint8",  "uint8",  "sint16", "uint16",
    "sint32",  "uint32", "sint64", "uint64", "real32",
    "real64",  "char16", "string", "object", "datetime",
};

/*
 * A type name that is not built in is taken as a class name (an embedded
 * object), checked by mof_schema_finalize.  Names that look like a
 * misspelt built-in type (uint33, Strng, int) are refused here instead, so
 * that the error says "unknown type" where the typo is.  Class names with
 * an underscore (SMS_X) are never taken for typos.
 */
static bool looks_like_type(const char *z, size_t n)
{
    static const char *const stems[] = {"sint", "uint", "int", "real", "char"};
    char buf[32];
    if (n >= sizeof(buf) || memchr(z, '_', n) != NULL)
        return false;
    for (size_t i = 0; i < sizeof(stems) / sizeof(stems[0]); i++) {
        size_t k = strlen(stems[i]);
        if (n < k || util_strnicmp(z, stems[i], k) != 0)
            continue;
        size_t j = k;
        while (j < n && z[j] >= '0' && z[j] <= '9')
            j++;
        if (j == n)
            return true;
    }
    memcpy(buf, z, n);
    buf[n] = '\0';
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
        if (util_edit_distance(buf, type_names[i], 2) <= 1)
            return true;
    return false;
}

/*
 * Reads `[quals] Type [ref] Name`, leaving the name as the current token.
 * Positions are taken here, in text order, so that mof_position only ever
 * walks forward.
 */
static int parse_decl(mof_parser *p, decl *d, const char *what)
{
    int rc = mof_quals_parse(p, &d->q);
    if (rc < 0)
        return rc;
    if (p->tok.kind != MOF_T_IDENT)
        return mof_expected(p, "a type");
    d->type = p->tok;
    mof_position(p, d->type.off, &d->type_line, &d->type_col);
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    d->is_ref = false;
    if (p->tok.kind == MOF_T_IDENT &&
        mof_keyword(p->text + p->tok.off, (size_t)p->tok.len) == MOF_KW_REF) {
        mof_lexer save = p->lx;
        mof_token peek;
        /* `Class ref Name` versus a member that is itself named "ref" */
        if (mof_lex(&save, &peek, NULL) == 0 && peek.kind == MOF_T_IDENT) {
            d->is_ref = true;
            rc = mof_next(p);
            if (rc < 0)
                return rc;
        }
    }
    if (p->tok.kind != MOF_T_IDENT)
        return mof_expected(p, what);
    d->name = p->tok;
    mof_position(p, d->name.off, &d->name_line, &d->name_col);
    return 0;
}

/*
 * Sets prop->type (and ref_class) from the declared type.  *class_typed
 * tells the caller to note a reference for finalize.
 */
static int resolve_type(mof_parser *p, const decl *d, cim_property *prop,
                        bool *class_typed)
{
    const char *z = p->text + d->type.off;
    size_t n = (size_t)d->type.len;
    cim_type t;
    *class_typed = false;
    if (cim_type_from_name(z, n, &t) == 0) {
        if (d->is_ref)
            return mof_error(p, d->type.off,
                             "'%.*s' is not a class; only a class can be "
                             "referenced",
                             (int)n, z);
        prop->type = t;
        return 0;
    }
    if (looks_like_type(z, n) || mof_keyword(z, n) != MOF_KW_NONE)
        return mof_error(p, d->type.off, "unknown type '%.*s'", (int)n, z);
    prop->type = d->is_ref ? CIM_REFERENCE : CIM_OBJECT;
    prop->ref_class = util_arena_strndup(p->a, z, n);
    if (prop->ref_class == NULL)
        return mof_nomem(p);
    *class_typed = true;
    return 0;
}

/* Reads an optional `[]` or `[n]` after a member name. */
static int parse_array_suffix(mof_parser *p, cim_property *prop)
{
    int64_t n;
    int rc;
    if (p->tok.kind != MOF_T_LBRACKET)
        return 0;
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    prop->is_array = true;
    if (p->tok.kind == MOF_T_INT) {
        if (util_parse_i64(p->text + p->tok.off, (size_t)p->tok.len, 1,
                           INT32_MAX, &n) != 0)
            return mof_error(p, p->tok.off, "array size must be from 1 to %d",
                             INT32_MAX);
        prop->max_count = (int32_t)n;
        rc = mof_next(p);
        if (rc < 0)
            return rc;
    }
    return mof_expect(p, MOF_T_RBRACKET, "']'");
}

/* Notes a class name that finalize must look up. */
static int add_ref(mof_parser *p, mof_class *mc, int32_t method, uint32_t index,
                   int line, int col, bool is_type)
{
    mof_ref *r = util_arena_alloc(p->a, sizeof(*r));
    if (r == NULL)
        return mof_nomem(p);
    r->method = method;
    r->index = index;
    r->is_type = is_type;
    r->line = line;
    r->col = col;
    r->next = mc->refs;
    mc->refs = r;
    return 0;
}

/*
 * The common tail of properties and parameters: type, array suffix,
 * qualifiers, default.  method is -1 for a property.
 */
static int parse_typed(mof_parser *p, mof_class *mc, const decl *d,
                       cim_property *prop, int32_t method, uint32_t index)
{
    bool class_typed;
    int rc;
    prop->size_min = -1;
    prop->size_max = -1;
    prop->max_count = -1;
    prop->name =
        util_arena_strndup(p->a, p->text + d->name.off, (size_t)d->name.len);
    if (prop->name == NULL)
        return mof_nomem(p);
    prop->line = d->name_line;
    rc = resolve_type(p, d, prop, &class_typed);
    if (rc < 0)
        return rc;
    rc = mof_next(p);
    if (rc == 0)
        rc = parse_array_suffix(p, prop);
    if (rc < 0)
        return rc;
    mof_scope scope = method < 0 ? MOF_SCOPE_PROPERTY : MOF_SCOPE_PARAMETER;
    rc = mof_quals_apply_property(p, &d->q, prop, scope);
    if (rc < 0)
        return rc;
    const mof_qpos *qp = mof_quals_find(&d->q, "EmbeddedInstance");
    if (class_typed)
        rc = add_ref(p, mc, method, index, d->type_line, d->type_col, true);
    else if (prop->ref_class != NULL && qp != NULL)
        rc = add_ref(p, mc, method, index, qp->line, qp->col, false);
    if (rc < 0 || p->tok.kind != MOF_T_EQ)
        return rc;
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    prop->has_default = true;
    return mof_literal_parse(p, prop->type, prop->is_array, &prop->def);
}

/* Checks the member limit and duplicate names before a new member. */
static int check_new_member(mof_parser *p, mof_class *mc, const decl *d,
                            bool method)
{
    const char *z = p->text + d->name.off;
    size_t n = (size_t)d->name.len;
    if (mc->own_props + mc->own_methods >= MOF_MAX_MEMBERS)
        return mof_error_code(p, SMSPROV_ETOOBIG, d->name.off,
                              "more than %d members in class '%s'",
                              MOF_MAX_MEMBERS, mc->c.name);
    if (method) {
        for (uint32_t i = 0; i < mc->own_methods; i++)
            if (util_streq_slice(mc->c.methods[i].name, z, n))
                return mof_error(p, d->name.off,
                                 "duplicate method '%.*s' in class '%s'",
                                 (int)n, z, mc->c.name);
        return 0;
    }
    for (uint32_t i = 0; i < mc->own_props; i++)
        if (util_streq_slice(mc->c.props[i].name, z, n))
            return mof_error(p, d->name.off,
                             "duplicate property '%.*s' in class '%s'", (int)n,
                             z, mc->c.name);
    return 0;
}

static int parse_property(mof_parser *p, mof_class *mc, const decl *d)
{
    cim_property prop;
    char what[200];
    int rc;
    memset(&prop, 0, sizeof(prop));
    rc = check_new_member(p, mc, d, false);
    if (rc < 0)
        return rc;
    rc = parse_typed(p, mc, d, &prop, -1, mc->own_props);
    if (rc < 0)
        return rc;
    snprintf(what, sizeof(what), "';' after property '%s'", prop.name);
    rc = mof_expect(p, MOF_T_SEMI, what);
    if (rc < 0)
        return rc;
    uint32_t cap = mc->cap_props;
    mc->c.props =
        mof_grow(p->a, mc->c.props, mc->own_props, &cap, sizeof(cim_property));
    mc->prop_cols = mof_grow(p->a, mc->prop_cols, mc->own_props, &mc->cap_props,
                             sizeof(int));
    if (mc->c.props == NULL || mc->prop_cols == NULL)
        return mof_nomem(p);
    mc->prop_cols[mc->own_props] = d->name_col;
    mc->c.props[mc->own_props++] = prop;
    return 0;
}

/* Reads one parameter and appends it to m->params. */
static int parse_param(mof_parser *p, mof_class *mc, cim_method *m,
                       uint32_t *cap)
{
    decl d;
    cim_property prm;
    int rc;
    memset(&prm, 0, sizeof(prm));
    rc = parse_decl(p, &d, "a parameter name");
    if (rc < 0)
        return rc;
    const char *z = p->text + d.name.off;
    size_t n = (size_t)d.name.len;
    if (m->nparams >= MOF_MAX_MEMBERS)
        return mof_error_code(p, SMSPROV_ETOOBIG, d.name.off,
                              "more than %d parameters", MOF_MAX_MEMBERS);
    for (uint32_t i = 0; i < m->nparams; i++)
        if (util_streq_slice(m->params[i].name, z, n))
            return mof_error(p, d.name.off,
                             "duplicate parameter '%.*s' in method '%s'",
                             (int)n, z, m->name);
    rc = parse_typed(p, mc, &d, &prm, (int32_t)mc->own_methods, m->nparams);
    if (rc < 0)
        return rc;
    /* as in DMTF CIM, a parameter is [in] unless it says otherwise */
    if ((prm.flags & (CIM_P_IN | CIM_P_OUT)) == 0 &&
        mof_quals_find(&d.q, "In") == NULL)
        prm.flags |= CIM_P_IN;
    m->params = mof_grow(p->a, m->params, m->nparams, cap, sizeof(prm));
    if (m->params == NULL)
        return mof_nomem(p);
    m->params[m->nparams++] = prm;
    return 0;
}

static int parse_method(mof_parser *p, mof_class *mc, const decl *d)
{
    const char *tz = p->text + d->type.off;
    size_t tn = (size_t)d->type.len;
    cim_method m;
    uint32_t cap = 0;
    char what[200];
    int rc;
    memset(&m, 0, sizeof(m));
    rc = check_new_member(p, mc, d, true);
    if (rc < 0)
        return rc;
    if (d->is_ref)
        return mof_error(p, d->type.off, "a method cannot return a reference");
    if (mof_keyword(tz, tn) == MOF_KW_VOID)
        m.return_type = CIM_NONE;
    else if (cim_type_from_name(tz, tn, &m.return_type) != 0)
        return mof_error(p, d->type.off, "unknown type '%.*s'", (int)tn, tz);
    m.name =
        util_arena_strndup(p->a, p->text + d->name.off, (size_t)d->name.len);
    if (m.name == NULL)
        return mof_nomem(p);
    m.line = d->name_line;
    rc = mof_next(p);
    if (rc == 0)
        rc = mof_open(p);
    if (rc < 0)
        return rc;
    while (p->tok.kind != MOF_T_RPAREN) {
        rc = parse_param(p, mc, &m, &cap);
        if (rc < 0)
            return rc;
        if (p->tok.kind != MOF_T_COMMA)
            break;
        rc = mof_next(p);
        if (rc < 0)
            return rc;
    }
    rc = mof_expect(p, MOF_T_RPAREN, "',' or ')' in the parameters");
    if (rc < 0)
        return rc;
    p->depth--;
    rc = mof_quals_apply_method(p, &d->q, &m);
    if (rc < 0)
        return rc;
    snprintf(what, sizeof(what), "';' after method '%s'", m.name);
    rc = mof_expect(p, MOF_T_SEMI, what);
    if (rc < 0)
        return rc;
    uint32_t mcap = mc->cap_methods;
    mc->c.methods = mof_grow(p->a, mc->c.methods, mc->own_methods, &mcap,
                             sizeof(cim_method));
    mc->method_cols = mof_grow(p->a, mc->method_cols, mc->own_methods,
                               &mc->cap_methods, sizeof(int));
    if (mc->c.methods == NULL || mc->method_cols == NULL)
        return mof_nomem(p);
    mc->method_cols[mc->own_methods] = d->name_col;
    mc->c.methods[mc->own_methods++] = m;
    return 0;
}

int mof_member_parse(mof_parser *p, mof_class *mc)
{
    decl d;
    int rc = parse_decl(p, &d, "a property or method name");
    if (rc < 0)
        return rc;
    mof_lexer save = p->lx;
    mof_token peek;
    if (mof_lex(&save, &peek, NULL) == 0 && peek.kind == MOF_T_LPAREN)
        return parse_method(p, mc, &d);
    return parse_property(p, mc, &d);
}
