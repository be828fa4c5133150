/* SPDX-License-Identifier: MIT */
/*
 * MOF registry: the stage after parsing.  mof_schema_finalize resolves
 * superclasses and class-typed members across all parsed files, rejects
 * inheritance cycles, flattens inherited properties and methods, computes
 * keys and subclass lists, and builds the name index.  Each step can be run
 * again, so classes parsed after a finalize are finalized by the next one.
 */
#include <stdio.h>
#include <string.h>

#include "mof/mof_int.h"

enum { WHITE = 0, GRAY = 1, BLACK = 2 }; /* mof_class.mark in cycle walk */

/* Every class in a schema was made by mof_parse (see mof_int.h). */
static mof_class *mof_of(const cim_schema *s, uint32_t i)
{
    return (mof_class *)s->classes[i];
}

/*
 * Sets a finalize error at a MOF position in class c, which is named as the
 * object at fault.  There is no text any more, so line and column are the
 * ones mof_parse recorded, and offset stays -1.
 */
static int fin_error(smsprov_error *err, int code, const cim_class *c, int line,
                     int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int fin_error(smsprov_error *err, int code, const cim_class *c, int line,
                     int col, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL || err->code != 0)
        return code;
    va_start(ap, fmt);
    util_error_setv(err, code, -1, fmt, ap);
    va_end(ap);
    snprintf(err->file, sizeof(err->file), "%s", c->file ? c->file : "");
    util_error_object(err, c->name);
    err->line = line;
    err->col = col;
    return code;
}

static int resolve_parents(cim_schema *s, smsprov_error *err)
{
    for (uint32_t i = 0; i < s->nclasses; i++) {
        mof_class *mc = mof_of(s, i);
        cim_class *c = &mc->c;
        if (c->parent_name == NULL || c->parent != NULL)
            continue;
        c->parent = cim_schema_class(s, c->parent_name, strlen(c->parent_name));
        if (c->parent == NULL) {
            return fin_error(err, SMSPROV_EINVALID_SYNTAX, c, mc->parent_line,
                             mc->parent_col,
                             "unknown superclass '%s' of class '%s'",
                             c->parent_name, c->name);
        }
    }
    return 0;
}

/*
 * Reports the cycle that the walk from class `from` ran into at `at`: the
 * error names the member declared first, at its superclass reference, and
 * spells the loop out ("A : B : A").
 */
static int cycle_error(cim_schema *s, mof_class *from, const cim_class *at,
                       smsprov_error *err)
{
    const cim_class *first = at;
    const cim_class *x = at;
    char chain[256];
    size_t n = 0;
    do {
        if (x->id < first->id)
            first = x;
        x = x->parent;
    } while (x != at);
    x = first;
    do {
        int w = snprintf(chain + n, sizeof(chain) - n, "%s : ", x->name);
        n = w < 0 || (size_t)w >= sizeof(chain) - n ? sizeof(chain) - 1
                                                    : n + (size_t)w;
        x = x->parent;
    } while (x != first);
    snprintf(chain + n, sizeof(chain) - n, "%s", first->name);
    /* leave no GRAY marks behind: the walk may be run again */
    for (cim_class *y = &from->c; y && ((mof_class *)y)->mark == GRAY;
         y = (cim_class *)y->parent)
        ((mof_class *)y)->mark = WHITE;
    mof_class *mf = mof_of(s, first->id);
    return fin_error(err, SMSPROV_EINVALID_SYNTAX, first, mf->parent_line,
                     mf->parent_col, "class '%s' inherits from itself (%s)",
                     first->name, chain);
}

/* Colours each superclass chain; a GRAY class met again closes a loop. */
static int check_cycles(cim_schema *s, smsprov_error *err)
{
    for (uint32_t i = 0; i < s->nclasses; i++) {
        mof_class *mc = mof_of(s, i);
        mof_class *x = mc;
        while (x != NULL && x->mark == WHITE) {
            x->mark = GRAY;
            x = (mof_class *)x->c.parent;
        }
        if (x != NULL && x->mark == GRAY)
            return cycle_error(s, mc, &x->c, err);
        for (x = mc; x != NULL && x->mark == GRAY; x = (mof_class *)x->c.parent)
            x->mark = BLACK;
    }
    return 0;
}

/* Looks up the class names of embedded objects and references. */
static int resolve_refs(cim_schema *s, mof_class *mc, smsprov_error *err)
{
    cim_class *c = &mc->c;
    for (const mof_ref *r = mc->refs; r != NULL; r = r->next) {
        cim_property *prop = r->method < 0
                                 ? &mc->own_p[r->index]
                                 : &mc->own_m[r->method].params[r->index];
        const cim_class *t =
            cim_schema_class(s, prop->ref_class, strlen(prop->ref_class));
        if (t == NULL) {
            return fin_error(err, SMSPROV_EINVALID_SYNTAX, c, r->line, r->col,
                             "unknown %s '%s'", r->is_type ? "type" : "class",
                             prop->ref_class);
        }
        prop->ref_class = t->name; /* the class's own spelling */
        if (prop->type == CIM_OBJECT)
            prop->embedded = t;
    }
    return 0;
}

/* Sorts key indexes by property name, case-insensitively (few keys). */
static void sort_keys(const cim_property *props, uint32_t *keys, uint32_t n)
{
    for (uint32_t i = 1; i < n; i++) {
        uint32_t k = keys[i], j = i;
        while (j > 0 &&
               util_stricmp(props[keys[j - 1]].name, props[k].name) > 0) {
            keys[j] = keys[j - 1];
            j--;
        }
        keys[j] = k;
    }
}

/* Merges inherited (already flattened) and own properties of one class. */
static int flatten_props(cim_schema *s, mof_class *mc, smsprov_error *err)
{
    cim_class *c = &mc->c;
    const cim_class *par = c->parent;
    uint32_t np = par ? par->nprops : 0, n = np;
    cim_property *props =
        util_arena_alloc(s->arena, sizeof(cim_property) * (np + mc->own_props));
    if (props == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (np > 0)
        memcpy(props, par->props, sizeof(cim_property) * np);
    for (uint32_t i = 0; i < mc->own_props; i++) {
        cim_property *own = &mc->own_p[i];
        uint32_t j = 0;
        while (j < np && util_stricmp(props[j].name, own->name) != 0)
            j++;
        if (j < np && (props[j].type != own->type ||
                       props[j].is_array != own->is_array)) {
            return fin_error(err, SMSPROV_EINVALID_SYNTAX, c, own->line,
                             mc->prop_cols[i],
                             "property '%s' of class '%s' changes the type "
                             "it inherits from class '%s'",
                             own->name, c->name, props[j].origin->name);
        }
        own->origin = c;
        props[j < np ? j : n++] = *own;
    }
    uint32_t nkeys = 0;
    for (uint32_t k = 0; k < n; k++) {
        props[k].index = k;
        nkeys += (props[k].flags & CIM_P_KEY) != 0;
    }
    uint32_t *keys = util_arena_alloc(s->arena, sizeof(uint32_t) * nkeys);
    if (keys == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    nkeys = 0;
    for (uint32_t k = 0; k < n; k++)
        if (props[k].flags & CIM_P_KEY)
            keys[nkeys++] = k;
    sort_keys(props, keys, nkeys);
    c->props = props;
    c->nprops = n;
    c->keys = keys;
    c->nkeys = nkeys;
    return 0;
}

/* Same for methods: a redeclared method replaces the inherited one. */
static int flatten_methods(cim_schema *s, mof_class *mc, smsprov_error *err)
{
    cim_class *c = &mc->c;
    const cim_class *par = c->parent;
    uint32_t np = par ? par->nmethods : 0, n = np;
    cim_method *ms =
        util_arena_alloc(s->arena, sizeof(cim_method) * (np + mc->own_methods));
    if (ms == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (np > 0)
        memcpy(ms, par->methods, sizeof(cim_method) * np);
    for (uint32_t i = 0; i < mc->own_methods; i++) {
        cim_method *own = &mc->own_m[i];
        uint32_t j = 0;
        while (j < np && util_stricmp(ms[j].name, own->name) != 0)
            j++;
        own->origin = c;
        for (uint32_t k = 0; k < own->nparams; k++) {
            own->params[k].origin = c;
            own->params[k].index = k;
        }
        ms[j < np ? j : n++] = *own;
    }
    c->methods = ms;
    c->nmethods = n;
    return 0;
}

/*
 * Flattens a class after its unflattened ancestors, top down.  stack has
 * room for every class (a chain is at most that long once acyclic).
 * *members counts the flattened members of the whole schema: inherited
 * members are copied into every subclass, so a long chain below a big
 * class would otherwise turn a small text into a huge schema.
 */
static int flatten(cim_schema *s, mof_class *mc, mof_class **stack,
                   uint64_t *members, smsprov_error *err)
{
    uint32_t depth = 0;
    for (mof_class *x = mc; x != NULL && !x->flat; x = (mof_class *)x->c.parent)
        stack[depth++] = x;
    while (depth > 0) {
        mof_class *x = stack[--depth];
        const cim_class *par = x->c.parent;
        uint32_t total = x->own_props + x->own_methods;
        if (par != NULL)
            total += par->nprops + par->nmethods;
        if (total > MOF_MAX_MEMBERS) {
            return fin_error(err, SMSPROV_ETOOBIG, &x->c, x->c.line,
                             x->name_col,
                             "class '%s' has more than %d members with the "
                             "inherited ones",
                             x->c.name, MOF_MAX_MEMBERS);
        }
        *members += total;
        if (*members > MOF_MAX_SCHEMA_MEMBERS)
            return fin_error(err, SMSPROV_ETOOBIG, &x->c, x->c.line,
                             x->name_col,
                             "the schema has more than %d members with the "
                             "inherited ones",
                             MOF_MAX_SCHEMA_MEMBERS);
        int rc = flatten_props(s, x, err);
        if (rc == 0)
            rc = flatten_methods(s, x, err);
        if (rc < 0)
            return rc;
        x->flat = true;
    }
    return 0;
}

/* Rebuilds every class's list of direct subclasses, in schema order. */
static int link_children(cim_schema *s, smsprov_error *err)
{
    for (uint32_t i = 0; i < s->nclasses; i++)
        s->classes[i]->nchildren = 0;
    for (uint32_t i = 0; i < s->nclasses; i++)
        if (s->classes[i]->parent != NULL)
            s->classes[s->classes[i]->parent->id]->nchildren++;
    for (uint32_t i = 0; i < s->nclasses; i++) {
        cim_class *c = s->classes[i];
        c->children = NULL;
        if (c->nchildren == 0)
            continue;
        c->children =
            util_arena_alloc(s->arena, sizeof(*c->children) * c->nchildren);
        if (c->children == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        c->nchildren = 0;
    }
    for (uint32_t i = 0; i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        if (c->parent != NULL) {
            cim_class *pc = s->classes[c->parent->id];
            pc->children[pc->nchildren++] = c;
        }
    }
    return 0;
}

int mof_schema_finalize(cim_schema *s, smsprov_error *err)
{
    mof_class **stack = NULL;
    uint64_t members = 0;
    int rc;
    for (uint32_t i = 0; i < s->nclasses; i++)
        s->classes[i]->id = i;
    /* the index serves the lookups below and is the result as well */
    rc = cim_schema_index(s, err);
    if (rc < 0)
        goto out;
    rc = resolve_parents(s, err);
    if (rc == 0)
        rc = check_cycles(s, err);
    for (uint32_t i = 0; i < s->nclasses && rc == 0; i++)
        if (!mof_of(s, i)->flat)
            rc = resolve_refs(s, mof_of(s, i), err);
    if (rc < 0)
        goto out;
    stack = util_malloc(sizeof(*stack) * (s->nclasses ? s->nclasses : 1));
    if (stack == NULL) {
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < s->nclasses; i++)
        if (mof_of(s, i)->flat)
            members += s->classes[i]->nprops + s->classes[i]->nmethods;
    for (uint32_t i = 0; i < s->nclasses; i++) {
        rc = flatten(s, mof_of(s, i), stack, &members, err);
        if (rc < 0)
            goto out;
    }
    rc = link_children(s, err);
out:
    util_free(stack);
    return rc;
}
