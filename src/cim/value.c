/* SPDX-License-Identifier: MIT */
/*
 * CIM values: constructors, deep copy, comparison and plain-text rendering.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cim.h"

cim_value cim_value_null(cim_type t, bool is_array)
{
    cim_value v;
    memset(&v, 0, sizeof(v));
    v.type = t;
    v.is_array = is_array;
    v.is_null = 1;
    return v;
}

cim_value cim_value_int(cim_type t, int64_t i)
{
    cim_value v = cim_value_null(t, false);
    v.is_null = 0;
    v.v.i = i;
    return v;
}

cim_value cim_value_bool(bool b)
{
    cim_value v = cim_value_null(CIM_BOOLEAN, false);
    v.is_null = 0;
    v.v.b = b;
    return v;
}

cim_value cim_value_real(cim_type t, double r)
{
    cim_value v = cim_value_null(t, false);
    v.is_null = 0;
    v.v.r = r;
    return v;
}

cim_value cim_value_str(cim_type t, const char *s)
{
    cim_value v = cim_value_null(t, false);
    if (s != NULL) {
        v.is_null = 0;
        v.v.s = s;
    }
    return v;
}

cim_value cim_value_datetime(int64_t us)
{
    return cim_value_int(CIM_DATETIME, us);
}

static int copy_scalar(util_arena *a, cim_value *dst, const cim_value *src)
{
    *dst = *src;
    if (src->is_null)
        return 0;
    switch (src->type) {
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        dst->v.s = util_arena_strdup(a, src->v.s);
        return dst->v.s ? 0 : SMSPROV_ENOMEM;
    case CIM_OBJECT: {
        const cim_instance *so = src->v.obj;
        if (so == NULL)
            return 0;
        cim_instance *o = NULL;
        if (cim_instance_new(&o, so->cls, a, NULL) != 0)
            return SMSPROV_ENOMEM;
        for (uint32_t i = 0; i < so->cls->nprops; i++)
            if (so->present[i] && cim_instance_set(o, i, &so->values[i]) != 0)
                return SMSPROV_ENOMEM;
        dst->v.obj = o;
        return 0;
    }
    default:
        return 0;
    }
}

int cim_value_copy(util_arena *a, cim_value *dst, const cim_value *src)
{
    if (!src->is_array || src->is_null)
        return copy_scalar(a, dst, src);
    *dst = *src;
    dst->v.items = NULL;
    if (src->count == 0)
        return 0;
    cim_value *items = util_arena_alloc(a, sizeof(cim_value) * src->count);
    if (items == NULL)
        return SMSPROV_ENOMEM;
    for (uint32_t i = 0; i < src->count; i++)
        if (copy_scalar(a, &items[i], &src->v.items[i]) != 0)
            return SMSPROV_ENOMEM;
    dst->v.items = items;
    return 0;
}

int cim_value_compare(const cim_value *a, const cim_value *b)
{
    if (a->is_null || b->is_null)
        return (int)!a->is_null - (int)!b->is_null;
    switch (a->type) {
    case CIM_BOOLEAN:
        return (int)a->v.b - (int)b->v.b;
    case CIM_REAL32:
    case CIM_REAL64:
        return a->v.r < b->v.r ? -1 : a->v.r > b->v.r;
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        return util_stricmp(a->v.s, b->v.s);
    case CIM_UINT64:
        return (uint64_t)a->v.i < (uint64_t)b->v.i
                   ? -1
                   : (uint64_t)a->v.i > (uint64_t)b->v.i;
    case CIM_OBJECT:
        return 0;
    default:
        return a->v.i < b->v.i ? -1 : a->v.i > b->v.i;
    }
}

static int scalar_text(util_buf *out, const cim_value *v)
{
    char tmp[64];
    if (v->is_null)
        return 0;
    switch (v->type) {
    case CIM_BOOLEAN:
        return util_buf_puts(out, v->v.b ? "TRUE" : "FALSE");
    case CIM_UINT64:
        return util_buf_printf(out, "%llu", (unsigned long long)v->v.i);
    case CIM_REAL32:
    case CIM_REAL64:
        snprintf(tmp, sizeof(tmp), "%.17g", v->v.r);
        return util_buf_puts(out, tmp);
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        return util_buf_puts(out, v->v.s);
    case CIM_DATETIME: {
        char d[26];
        util_dmtf_format(v->v.i, d);
        return util_buf_puts(out, d);
    }
    case CIM_OBJECT:
        return util_buf_printf(out, "instance of %s",
                               v->v.obj ? v->v.obj->cls->name : "?");
    default:
        return util_buf_printf(out, "%lld", (long long)v->v.i);
    }
}

int cim_value_to_text(util_buf *out, const cim_value *v)
{
    if (!v->is_array || v->is_null)
        return scalar_text(out, v);
    util_buf_putc(out, '{');
    for (uint32_t i = 0; i < v->count; i++) {
        if (i)
            util_buf_putc(out, ',');
        scalar_text(out, &v->v.items[i]);
    }
    return util_buf_putc(out, '}');
}
