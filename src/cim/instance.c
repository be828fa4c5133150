/* SPDX-License-Identifier: MIT */
/*
 * CIM instances: a class plus one value slot per (flattened) property, with
 * a presence flag so that "not selected" differs from NULL.
 */
#include <string.h>

#include "cim.h"

int cim_instance_new(cim_instance **out, const cim_class *cls,
                     util_arena *arena, smsprov_error *err)
{
    util_arena *own = NULL;
    *out = NULL;
    if (arena == NULL) {
        own = util_arena_new();
        if (own == NULL)
            goto oom;
        arena = own;
    }
    cim_instance *inst = util_arena_alloc(arena, sizeof(*inst));
    if (inst == NULL)
        goto oom;
    inst->cls = cls;
    inst->arena = arena;
    inst->own_arena = own != NULL;
    if (cls->nprops > 0) {
        inst->values = util_arena_alloc(arena, sizeof(cim_value) * cls->nprops);
        inst->present = util_arena_alloc(arena, cls->nprops);
        if (inst->values == NULL || inst->present == NULL)
            goto oom;
        for (uint32_t i = 0; i < cls->nprops; i++)
            inst->values[i] =
                cim_value_null(cls->props[i].type, cls->props[i].is_array);
    }
    *out = inst;
    return 0;
oom:
    util_arena_free(own);
    return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
}

void cim_instance_free(cim_instance *inst)
{
    if (inst != NULL && inst->own_arena)
        util_arena_free(inst->arena);
}

int cim_instance_set(cim_instance *inst, uint32_t idx, const cim_value *v)
{
    if (UTIL_NEVER(idx >= inst->cls->nprops))
        return SMSPROV_EINTERNAL;
    int rc = cim_value_copy(inst->arena, &inst->values[idx], v);
    if (rc == 0)
        inst->present[idx] = 1;
    return rc;
}

const cim_value *cim_instance_get(const cim_instance *inst, uint32_t idx)
{
    if (idx >= inst->cls->nprops || !inst->present[idx])
        return NULL;
    return &inst->values[idx];
}

const cim_value *cim_instance_get_by_name(const cim_instance *inst,
                                          const char *name)
{
    const cim_property *p = cim_class_property(inst->cls, name, strlen(name));
    return p ? cim_instance_get(inst, p->index) : NULL;
}

int64_t cim_instance_int(const cim_instance *inst, const char *name,
                         int64_t dflt)
{
    const cim_value *v = cim_instance_get_by_name(inst, name);
    if (v == NULL || v->is_null || v->is_array)
        return dflt;
    return v->type == CIM_BOOLEAN ? (int64_t)v->v.b : v->v.i;
}

const char *cim_instance_str(const cim_instance *inst, const char *name,
                             const char *dflt)
{
    const cim_value *v = cim_instance_get_by_name(inst, name);
    if (v == NULL || v->is_null || v->is_array || v->v.s == NULL)
        return dflt;
    return v->v.s;
}

int cim_instance_clone(cim_instance **out, const cim_instance *src,
                       smsprov_error *err)
{
    cim_instance *inst = NULL;
    int rc = cim_instance_new(&inst, src->cls, NULL, err);
    if (rc != 0)
        return rc;
    for (uint32_t i = 0; i < src->cls->nprops; i++) {
        if (!src->present[i])
            continue;
        if (cim_instance_set(inst, i, &src->values[i]) != 0) {
            cim_instance_free(inst);
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        }
    }
    *out = inst;
    return 0;
}
