/* SPDX-License-Identifier: MIT */
/*
 * MOF qualifiers: reads [Name, Name(value), Name{a, b} : Flavor, ...] lists
 * and interprets the ones smsprov acts on (key, read, lazy, SizeLimit,
 * Range, max, EmbeddedInstance, Abstract, Secured, ...) as flags and limits
 * on the class, property, method or parameter.  Every qualifier is also kept
 * verbatim in the quals array of its target.
 */
#include <string.h>

#include "mof/mof_int.h"

/* Flavors are accepted and dropped: inheritance rules are fixed here. */
static const char *const flavors[] = {
    "DisableOverride", "EnableOverride", "Restricted",
    "ToInstance",      "ToSubclass",     "Translatable",
};

typedef enum qual_kind {
    QK_FLAG,      /* boolean: sets or clears `flag` */
    QK_FLAG_ANY,  /* like QK_FLAG, but any non-boolean value means TRUE */
    QK_SIZELIMIT, /* "max" or "min-max" */
    QK_RANGE,     /* "lo-hi" */
    QK_MAX,       /* element count of an array */
    QK_EMB_INST,  /* EmbeddedInstance("Class") */
    QK_EMB_OBJ,   /* EmbeddedObject */
    QK_STATIC,    /* static method */
} qual_kind;

/* What a qualifier means where it stands; the same name may have a row
 * per scope (Read). */
typedef struct qual_rule {
    const char *name; /* spelling, compared case-insensitively */
    unsigned scopes;  /* mof_scope bits where the rule applies */
    qual_kind kind;   /* how the value is read */
    uint32_t flag;    /* cim_class_flag or cim_prop_flag for QK_FLAG* */
} qual_rule;

#define SC_MEMBER (MOF_SCOPE_PROPERTY | MOF_SCOPE_PARAMETER)

static const qual_rule rules[] = {
    {"Abstract", MOF_SCOPE_CLASS, QK_FLAG, CIM_C_ABSTRACT},
    {"Association", MOF_SCOPE_CLASS, QK_FLAG, CIM_C_ASSOCIATION},
    {"Deprecated", SC_MEMBER, QK_FLAG_ANY, CIM_P_DEPRECATED},
    {"Dynamic", MOF_SCOPE_CLASS, QK_FLAG, CIM_C_DYNAMIC},
    {"Embedded", MOF_SCOPE_CLASS, QK_FLAG, CIM_C_EMBEDDED},
    {"EmbeddedInstance", SC_MEMBER, QK_EMB_INST, 0},
    {"EmbeddedObject", SC_MEMBER, QK_EMB_OBJ, 0},
    {"In", MOF_SCOPE_PARAMETER, QK_FLAG, CIM_P_IN},
    {"Key", MOF_SCOPE_PROPERTY, QK_FLAG, CIM_P_KEY},
    {"Large", SC_MEMBER, QK_FLAG, CIM_P_LARGE},
    {"Lazy", MOF_SCOPE_PROPERTY, QK_FLAG, CIM_P_LAZY},
    {"Max", SC_MEMBER, QK_MAX, 0},
    {"Not_Null", SC_MEMBER, QK_FLAG, CIM_P_NOT_NULL},
    {"Optional", SC_MEMBER, QK_FLAG, CIM_P_OPTIONAL},
    {"Out", MOF_SCOPE_PARAMETER, QK_FLAG, CIM_P_OUT},
    {"Range", SC_MEMBER, QK_RANGE, 0},
    {"Read", MOF_SCOPE_CLASS, QK_FLAG, CIM_C_READ},
    {"Read", SC_MEMBER, QK_FLAG, CIM_P_READ},
    {"Secured", MOF_SCOPE_CLASS, QK_FLAG, CIM_C_SECURED},
    {"SizeLimit", SC_MEMBER, QK_SIZELIMIT, 0},
    {"Static", MOF_SCOPE_METHOD, QK_STATIC, 0},
    {"Unique", MOF_SCOPE_PROPERTY, QK_FLAG, CIM_P_UNIQUE},
    {"Write", SC_MEMBER, QK_FLAG, CIM_P_WRITE},
};

static const qual_rule *find_rule(const char *name, mof_scope scope)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if ((rules[i].scopes & scope) && util_stricmp(rules[i].name, name) == 0)
            return &rules[i];
    return NULL;
}

const mof_qpos *mof_quals_find(const mof_quals *q, const char *name)
{
    for (uint32_t i = 0; i < q->n; i++)
        if (util_stricmp(q->q[i].name, name) == 0)
            return &q->pos[i];
    return NULL;
}

/* Reads ": Flavor Flavor ..." after a qualifier (the ':' is current). */
static int parse_flavors(mof_parser *p)
{
    int rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind != MOF_T_IDENT)
        return mof_expected(p, "a qualifier flavor after ':'");
    while (p->tok.kind == MOF_T_IDENT) {
        bool known = false;
        for (size_t i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++)
            known = known || util_streq_slice(flavors[i], p->text + p->tok.off,
                                              (size_t)p->tok.len);
        if (!known)
            return mof_error(p, p->tok.off, "unknown qualifier flavor '%.*s'",
                             p->tok.len, p->text + p->tok.off);
        rc = mof_next(p);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Reads one qualifier (name, optional value, optional flavors) into q. */
static int parse_one(mof_parser *p, mof_quals *q, uint32_t *cap)
{
    int rc;
    mof_token name = p->tok;
    cim_qualifier qual;
    mof_qpos pos;
    int col;
    memset(&qual, 0, sizeof(qual));
    if (name.kind != MOF_T_IDENT)
        return mof_expected(p, "a qualifier name");
    if (q->n >= MOF_MAX_QUALS)
        return mof_error_code(p, SMSPROV_ETOOBIG, name.off,
                              "more than %d qualifiers in one list",
                              MOF_MAX_QUALS);
    for (uint32_t i = 0; i < q->n; i++)
        if (util_streq_slice(q->q[i].name, p->text + name.off,
                             (size_t)name.len))
            return mof_error(p, name.off, "duplicate qualifier '%.*s'",
                             name.len, p->text + name.off);
    qual.name = util_arena_strndup(p->a, p->text + name.off, (size_t)name.len);
    if (qual.name == NULL)
        return mof_nomem(p);
    mof_position(p, name.off, &qual.line, &col);
    pos.off = name.off;
    pos.line = qual.line;
    pos.col = col;
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    if (p->tok.kind == MOF_T_LPAREN) {
        rc = mof_open(p);
        if (rc < 0)
            return rc;
        pos.off = p->tok.off;
        mof_position(p, pos.off, &pos.line, &pos.col);
        rc = mof_literal_parse(p, CIM_NONE, false, &qual.value);
        if (rc < 0)
            return rc;
        rc = mof_expect(p, MOF_T_RPAREN, "')' after the qualifier value");
        if (rc < 0)
            return rc;
        p->depth--;
    } else if (p->tok.kind == MOF_T_LBRACE) {
        pos.off = p->tok.off;
        mof_position(p, pos.off, &pos.line, &pos.col);
        rc = mof_literal_parse(p, CIM_NONE, false, &qual.value);
        if (rc < 0)
            return rc;
    } else {
        qual.value = cim_value_bool(true);
    }
    if (p->tok.kind == MOF_T_COLON) {
        rc = parse_flavors(p);
        if (rc < 0)
            return rc;
    }
    uint32_t c1 = *cap;
    q->q = mof_grow(p->a, q->q, q->n, cap, sizeof(*q->q));
    q->pos = mof_grow(p->a, q->pos, q->n, &c1, sizeof(*q->pos));
    if (q->q == NULL || q->pos == NULL)
        return mof_nomem(p);
    q->q[q->n] = qual;
    q->pos[q->n] = pos;
    q->n++;
    return 0;
}

int mof_quals_parse(mof_parser *p, mof_quals *q)
{
    uint32_t cap = 0;
    int rc;
    memset(q, 0, sizeof(*q));
    if (p->tok.kind != MOF_T_LBRACKET)
        return 0;
    rc = mof_next(p);
    if (rc < 0)
        return rc;
    for (;;) {
        rc = parse_one(p, q, &cap);
        if (rc < 0)
            return rc;
        if (p->tok.kind == MOF_T_RBRACKET)
            return mof_next(p);
        if (p->tok.kind != MOF_T_COMMA)
            return mof_expected(p, "',' or ']' in the qualifier list");
        rc = mof_next(p);
        if (rc < 0)
            return rc;
    }
}

/* Reads the boolean meaning of a flag qualifier. */
static int flag_value(mof_parser *p, const qual_rule *r, const cim_qualifier *q,
                      int off, bool *on)
{
    const cim_value *v = &q->value;
    if (v->is_null) {
        *on = false;
        return 0;
    }
    if (!v->is_array && v->type == CIM_BOOLEAN) {
        *on = v->v.b;
        return 0;
    }
    if (r->kind == QK_FLAG_ANY) {
        *on = true;
        return 0;
    }
    return mof_error(p, off, "qualifier '%s' takes TRUE or FALSE", q->name);
}

/*
 * Reads a non-negative count from an integer or a string of digits
 * ("64"); false when the value has another shape.
 */
static bool count_value(const cim_value *v, int64_t max, int64_t *out)
{
    if (v->is_array || v->is_null)
        return false;
    if (v->type == CIM_SINT64)
        *out = v->v.i;
    else if (v->type != CIM_STRING ||
             util_parse_i64(v->v.s, strlen(v->v.s), 0, max, out) != 0)
        return false;
    return *out >= 0 && *out <= max;
}

/*
 * Splits "lo-hi" into two integers (either may be negative: "-5--1"),
 * or reads "hi" alone when lo_opt.  Returns false on any other shape.
 */
static bool range_value(const cim_value *v, bool lo_opt, int64_t *lo,
                        int64_t *hi, bool *has_lo)
{
    if (v->is_array || v->is_null)
        return false;
    if (v->type == CIM_SINT64 && lo_opt) {
        *has_lo = false;
        *hi = v->v.i;
        return *hi >= 0;
    }
    if (v->type != CIM_STRING)
        return false;
    const char *s = v->v.s;
    size_t n = strlen(s), dash = 0;
    for (size_t i = 1; i < n && dash == 0; i++)
        if (s[i] == '-' && s[i - 1] >= '0' && s[i - 1] <= '9')
            dash = i;
    if (dash == 0) {
        *has_lo = false;
        return lo_opt && util_parse_i64(s, n, 0, INT64_MAX, hi) == 0;
    }
    *has_lo = true;
    if (util_parse_i64(s, dash, INT64_MIN, INT64_MAX, lo) != 0 ||
        util_parse_i64(s + dash + 1, n - dash - 1, INT64_MIN, INT64_MAX, hi) !=
            0)
        return false;
    return *lo <= *hi;
}

int mof_quals_apply_class(mof_parser *p, const mof_quals *q, cim_class *c)
{
    c->quals = q->q;
    c->nquals = q->n;
    for (uint32_t i = 0; i < q->n; i++) {
        const qual_rule *r = find_rule(q->q[i].name, MOF_SCOPE_CLASS);
        bool on = false;
        if (r == NULL)
            continue;
        int rc = flag_value(p, r, &q->q[i], q->pos[i].off, &on);
        if (rc < 0)
            return rc;
        c->flags = on ? c->flags | r->flag : c->flags & ~r->flag;
    }
    return 0;
}

int mof_quals_apply_method(mof_parser *p, const mof_quals *q, cim_method *m)
{
    m->quals = q->q;
    m->nquals = q->n;
    for (uint32_t i = 0; i < q->n; i++) {
        const qual_rule *r = find_rule(q->q[i].name, MOF_SCOPE_METHOD);
        bool on = false;
        if (r == NULL)
            continue;
        int rc = flag_value(p, r, &q->q[i], q->pos[i].off, &on);
        if (rc < 0)
            return rc;
        m->is_static = on;
    }
    return 0;
}

/* EmbeddedInstance("Class") / EmbeddedObject on an object or string. */
static int apply_embedded(mof_parser *p, const qual_rule *r,
                          const cim_qualifier *q, int off, cim_property *prop)
{
    const cim_value *v = &q->value;
    const char *cls = NULL;
    if (r->kind == QK_EMB_INST) {
        if (v->is_array || v->is_null || v->type != CIM_STRING ||
            v->v.s[0] == '\0')
            return mof_error(p, off, "qualifier '%s' takes a class name",
                             q->name);
        cls = v->v.s;
    } else {
        bool on = false;
        int rc = flag_value(p, r, q, off, &on);
        if (rc < 0 || !on)
            return rc;
    }
    if ((prop->type != CIM_OBJECT && prop->type != CIM_STRING) ||
        prop->ref_class != NULL)
        return mof_error(p, off,
                         "qualifier '%s' needs a property of type object "
                         "or string",
                         q->name);
    prop->type = CIM_OBJECT;
    prop->ref_class = cls;
    return 0;
}

int mof_quals_apply_property(mof_parser *p, const mof_quals *q,
                             cim_property *prop, mof_scope scope)
{
    prop->quals = q->q;
    prop->nquals = q->n;
    for (uint32_t i = 0; i < q->n; i++) {
        const cim_qualifier *qual = &q->q[i];
        const qual_rule *r = find_rule(qual->name, scope);
        int off = q->pos[i].off;
        int64_t lo = 0, hi = 0;
        bool on = false, has_lo;
        int rc = 0;
        if (r == NULL)
            continue;
        switch (r->kind) {
        case QK_FLAG:
        case QK_FLAG_ANY:
        case QK_STATIC:
            rc = flag_value(p, r, qual, off, &on);
            if (rc < 0)
                return rc;
            prop->flags = on ? prop->flags | r->flag : prop->flags & ~r->flag;
            break;
        case QK_SIZELIMIT:
            if (!range_value(&qual->value, true, &lo, &hi, &has_lo) || lo < 0)
                return mof_error(p, off,
                                 "SizeLimit takes \"max\" or \"min-max\"");
            prop->size_min = has_lo ? lo : -1;
            prop->size_max = hi;
            break;
        case QK_RANGE:
            if (!range_value(&qual->value, false, &lo, &hi, &has_lo))
                return mof_error(p, off, "Range takes \"lo-hi\"");
            prop->has_range = true;
            prop->range_min = lo;
            prop->range_max = hi;
            break;
        case QK_MAX:
            if (!count_value(&qual->value, INT32_MAX, &hi))
                return mof_error(p, off, "max takes a count");
            prop->max_count = (int32_t)hi;
            break;
        case QK_EMB_INST:
        case QK_EMB_OBJ:
            rc = apply_embedded(p, r, qual, off, prop);
            break;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}
