/* SPDX-License-Identifier: MIT */
/*
 * Class registry lookups: the name index over a cim_schema, member lookups
 * on a class, and "did you mean" hints.
 */
#include <string.h>

#include "cim.h"

int cim_schema_index(cim_schema *s, smsprov_error *err)
{
    uint32_t n = 16;
    while (n < s->nclasses * 2 + 1)
        n *= 2;
    uint32_t *slots = util_calloc(n, sizeof(uint32_t));
    if (slots == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; i < s->nclasses; i++) {
        const char *name = s->classes[i]->name;
        uint32_t h = util_hash_ci(name, strlen(name)) & (n - 1);
        while (slots[h] != 0)
            h = (h + 1) & (n - 1);
        slots[h] = i + 1;
    }
    util_free(s->slots);
    s->slots = slots;
    s->nslots = n;
    return 0;
}

const cim_class *cim_schema_class(const cim_schema *s, const char *name,
                                  size_t len)
{
    if (s->nslots == 0)
        return NULL;
    uint32_t h = util_hash_ci(name, len) & (s->nslots - 1);
    while (s->slots[h] != 0) {
        const cim_class *c = s->classes[s->slots[h] - 1];
        if (util_streq_slice(c->name, name, len))
            return c;
        h = (h + 1) & (s->nslots - 1);
    }
    return NULL;
}

const char *cim_schema_nearest(const cim_schema *s, const char *name)
{
    const char *best = NULL;
    int best_d = 6;
    for (uint32_t i = 0; i < s->nclasses; i++) {
        int d = util_edit_distance(name, s->classes[i]->name, best_d);
        if (d < best_d) {
            best_d = d;
            best = s->classes[i]->name;
        }
    }
    return best;
}

void cim_schema_free(cim_schema *s)
{
    if (s == NULL)
        return;
    util_free(s->slots);
    util_free(s->classes);
    util_arena_free(s->arena);
    util_free(s);
}

bool cim_class_is_concrete(const cim_class *c)
{
    return (c->flags & (CIM_C_ABSTRACT | CIM_C_EMBEDDED)) == 0;
}

bool cim_class_is_a(const cim_class *c, const cim_class *base)
{
    for (; c != NULL; c = c->parent)
        if (c == base)
            return true;
    return false;
}

const cim_property *cim_class_property(const cim_class *c, const char *name,
                                       size_t len)
{
    for (uint32_t i = 0; i < c->nprops; i++)
        if (util_streq_slice(c->props[i].name, name, len))
            return &c->props[i];
    return NULL;
}

const cim_method *cim_class_method(const cim_class *c, const char *name,
                                   size_t len)
{
    for (uint32_t i = 0; i < c->nmethods; i++)
        if (util_streq_slice(c->methods[i].name, name, len))
            return &c->methods[i];
    return NULL;
}

static const cim_qualifier *find_qual(const cim_qualifier *q, uint32_t n,
                                      const char *name)
{
    for (uint32_t i = 0; i < n; i++)
        if (util_stricmp(q[i].name, name) == 0)
            return &q[i];
    return NULL;
}

const cim_qualifier *cim_class_qualifier(const cim_class *c, const char *name)
{
    return find_qual(c->quals, c->nquals, name);
}

const cim_qualifier *cim_property_qualifier(const cim_property *p,
                                            const char *name)
{
    return find_qual(p->quals, p->nquals, name);
}
