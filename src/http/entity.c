/* SPDX-License-Identifier: MIT */
/*
 * Instances as the AdminService writes them: @odata.etag (key values
 * joined by ';'), __LAZYPROPERTIES, __QUALIFIER_SECURITYVERBS, the class
 * properties sorted case-insensitively, the WMI system properties, and
 * embedded objects last.  Dates ISO-8601 'Z', UInt8[] base64.  JSON text
 * is written straight into the response buffer (no intermediate tree):
 * this is the hot path of every read.  The per-class layout (sorted
 * order, lazy list, derivation) is computed once per worker thread.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void http_json_string(util_buf *b, const char *s)
{
    static const char hexd[] = "0123456789abcdef";
    const char *run = s;
    util_buf_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        util_buf_append(b, run, (size_t)(s - run));
        run = s + 1;
        switch (c) {
        case '"':
            util_buf_puts(b, "\\\"");
            break;
        case '\\':
            util_buf_puts(b, "\\\\");
            break;
        case '\n':
            util_buf_puts(b, "\\n");
            break;
        case '\r':
            util_buf_puts(b, "\\r");
            break;
        case '\t':
            util_buf_puts(b, "\\t");
            break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15], 0};
            util_buf_puts(b, u);
        }
        }
    }
    if (run && s)
        util_buf_append(b, run, (size_t)(s - run));
    util_buf_putc(b, '"');
}

/* UInt8[] as an Edm.Binary base64 string. */
static void write_binary(util_buf *b, const cim_value *v)
{
    uint32_t n = v->count;
    util_buf_putc(b, '"');
    for (uint32_t i = 0; i < n; i += 3) {
        unsigned x = (unsigned)(v->v.items[i].v.i & 255) << 16;
        if (i + 1 < n)
            x |= (unsigned)(v->v.items[i + 1].v.i & 255) << 8;
        if (i + 2 < n)
            x |= (unsigned)(v->v.items[i + 2].v.i & 255);
        char q[4] = {b64[(x >> 18) & 63], b64[(x >> 12) & 63],
                     i + 1 < n ? b64[(x >> 6) & 63] : '=',
                     i + 2 < n ? b64[x & 63] : '='};
        util_buf_append(b, q, 4);
    }
    util_buf_putc(b, '"');
}

static void write_object(util_buf *b, const cim_instance *e);

static void write_scalar(util_buf *b, const cim_value *v)
{
    char d[40];
    if (v->is_null) {
        util_buf_puts(b, "null");
        return;
    }
    switch (v->type) {
    case CIM_BOOLEAN:
        util_buf_puts(b, v->v.b ? "true" : "false");
        break;
    case CIM_REAL32:
    case CIM_REAL64:
        if (isfinite(v->v.r))
            util_buf_printf(b, "%.17g", v->v.r);
        else
            util_buf_puts(b, "null");
        break;
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        http_json_string(b, v->v.s);
        break;
    case CIM_DATETIME:
        util_iso8601_format(v->v.i, d);
        http_json_string(b, d);
        break;
    case CIM_OBJECT:
        if (v->v.obj)
            write_object(b, v->v.obj);
        else
            util_buf_puts(b, "null");
        break;
    case CIM_UINT64:
        util_buf_printf(b, "%llu", (unsigned long long)v->v.i);
        break;
    default:
        util_buf_printf(b, "%lld", (long long)v->v.i);
    }
}

/* Writes one value (NULL -> null). */
static void write_value(util_buf *b, const cim_value *v,
                        const cim_property *prop)
{
    if (v == NULL || v->is_null) {
        util_buf_puts(b, "null");
        return;
    }
    if (!v->is_array) {
        write_scalar(b, v);
        return;
    }
    if (prop && prop->type == CIM_UINT8) {
        write_binary(b, v);
        return;
    }
    util_buf_putc(b, '[');
    for (uint32_t i = 0; i < v->count; i++) {
        if (i > 0)
            util_buf_putc(b, ',');
        write_scalar(b, &v->v.items[i]);
    }
    util_buf_putc(b, ']');
}

/* An embedded object: its OData type, __CLASS, then its properties. */
static void write_object(util_buf *b, const cim_instance *e)
{
    util_buf_printf(
        b, "{\"@odata.type\":\"#AdminService.%s\",\"__CLASS\":", e->cls->name);
    http_json_string(b, e->cls->name);
    for (uint32_t i = 0; i < e->cls->nprops; i++) {
        if (!e->present[i])
            continue;
        util_buf_putc(b, ',');
        http_json_string(b, e->cls->props[i].name);
        util_buf_putc(b, ':');
        write_value(b, &e->values[i], &e->cls->props[i]);
    }
    util_buf_putc(b, '}');
}

/* ---- per-class layout, cached per worker thread ---------------------------
 */

typedef struct class_info {
    const cim_class *cls; /* the class it was built for */
    uint32_t *order;      /* property indexes: primitives sorted, objects */
    uint32_t nprim;       /* primitives at the front of order */
    char *lazy;           /* "__LAZYPROPERTIES":[...] text */
    char *sys;            /* "__SUPERCLASS":...,"__DYNASTY":... text */
    char *sys2;           /* "__PROPERTY_COUNT":...,"__DERIVATION":[...] */
} class_info;

static _Thread_local class_info *infos;
static _Thread_local uint32_t ninfos;

void http_entity_thread_exit(void)
{
    for (uint32_t i = 0; i < ninfos; i++) {
        util_free(infos[i].order);
        util_free(infos[i].lazy);
        util_free(infos[i].sys);
        util_free(infos[i].sys2);
    }
    util_free(infos);
    infos = NULL;
    ninfos = 0;
}

static const cim_class *sort_cls;

static int cmp_idx(const void *a, const void *b)
{
    const char *na = sort_cls->props[*(const uint32_t *)a].name;
    const char *nb = sort_cls->props[*(const uint32_t *)b].name;
    int c = util_stricmp(na, nb);
    return c ? c : strcmp(na, nb);
}

/* Builds the layout of cls into ci; false when out of memory. */
static bool build_info(class_info *ci, const cim_class *cls)
{
    uint32_t n = cls->nprops, k = 0;
    uint32_t *all = util_malloc(sizeof(uint32_t) * (n + 1));
    util_buf lazy = UTIL_BUF_INIT(1 << 20), sys = UTIL_BUF_INIT(1 << 20);
    util_buf sys2 = UTIL_BUF_INIT(1 << 20);
    ci->order = util_malloc(sizeof(uint32_t) * (n + 1));
    if (all == NULL || ci->order == NULL) {
        util_free(all);
        util_free(ci->order);
        ci->order = NULL;
        return false;
    }
    sort_cls = cls;
    for (uint32_t i = 0; i < n; i++)
        if (cls->props[i].type != CIM_OBJECT)
            ci->order[k++] = i;
    ci->nprim = k;
    for (uint32_t i = 0; i < n; i++)
        if (cls->props[i].type == CIM_OBJECT)
            ci->order[k++] = i;
    qsort(ci->order, ci->nprim, sizeof(uint32_t), cmp_idx);
    qsort(ci->order + ci->nprim, n - ci->nprim, sizeof(uint32_t), cmp_idx);
    for (uint32_t i = 0; i < n; i++)
        all[i] = i;
    qsort(all, n, sizeof(uint32_t), cmp_idx);
    util_buf_puts(&lazy, "\"__LAZYPROPERTIES\":[\"__QUALIFIER_SECURITYVERBS\"");
    for (uint32_t i = 0; i < n; i++)
        if (cls->props[all[i]].flags & CIM_P_LAZY) {
            util_buf_putc(&lazy, ',');
            http_json_string(&lazy, cls->props[all[i]].name);
        }
    util_buf_putc(&lazy, ']');
    util_free(all);
    const cim_class *root = cls;
    for (const cim_class *b = cls->parent; b; b = b->parent)
        root = b;
    util_buf_puts(&sys, "\"__SUPERCLASS\":");
    if (cls->parent)
        http_json_string(&sys, cls->parent->name);
    else
        util_buf_puts(&sys, "null");
    util_buf_puts(&sys, ",\"__DYNASTY\":");
    http_json_string(&sys, root->name);
    util_buf_printf(&sys2, ",\"__PROPERTY_COUNT\":%u,\"__DERIVATION\":[",
                    cls->nprops);
    for (const cim_class *b = cls->parent; b; b = b->parent) {
        if (b != cls->parent)
            util_buf_putc(&sys2, ',');
        http_json_string(&sys2, b->name);
    }
    util_buf_putc(&sys2, ']');
    ci->cls = cls;
    ci->lazy = util_buf_detach(&lazy);
    ci->sys = util_buf_detach(&sys);
    ci->sys2 = util_buf_detach(&sys2);
    return ci->lazy && ci->sys && ci->sys2;
}

static const class_info *info_of(const cim_class *cls)
{
    if (cls->id < ninfos && infos[cls->id].cls == cls)
        return &infos[cls->id];
    if (cls->id >= ninfos) {
        uint32_t n = cls->id + 64;
        class_info *ni = util_realloc(infos, sizeof(class_info) * n);
        if (ni == NULL)
            return NULL;
        memset(ni + ninfos, 0, sizeof(class_info) * (n - ninfos));
        infos = ni;
        ninfos = n;
    }
    class_info *ci = &infos[cls->id];
    util_free(ci->order);
    util_free(ci->lazy);
    util_free(ci->sys);
    util_free(ci->sys2);
    memset(ci, 0, sizeof(*ci));
    if (!build_info(ci, cls)) {
        util_free(ci->order);
        util_free(ci->lazy);
        util_free(ci->sys);
        util_free(ci->sys2);
        memset(ci, 0, sizeof(*ci));
        return NULL;
    }
    return ci;
}

/* ---- entities -------------------------------------------------------------
 */

static void write_etag(util_buf *b, const cim_instance *inst)
{
    const cim_class *c = inst->cls;
    util_buf_puts(b, "\"@odata.etag\":\"");
    for (uint32_t k = 0; k < c->nkeys; k++) {
        const cim_value *v = cim_instance_get(inst, c->keys[k]);
        if (k > 0)
            util_buf_putc(b, ';');
        if (v == NULL || v->is_null)
            continue;
        if (v->type == CIM_STRING || v->type == CIM_CHAR16 ||
            v->type == CIM_REFERENCE) {
            /* the string's JSON escape without its quotes */
            size_t at = b->len;
            http_json_string(b, v->v.s);
            if (!b->failed) {
                memmove(b->data + at, b->data + at + 1, b->len - at - 2);
                b->len -= 2;
                b->data[b->len] = '\0';
            }
        } else if (v->type == CIM_DATETIME) {
            char d[40];
            util_iso8601_format(v->v.i, d);
            util_buf_puts(b, d);
        } else if (v->type == CIM_BOOLEAN) {
            util_buf_puts(b, v->v.b ? "true" : "false");
        } else {
            write_scalar(b, v);
        }
    }
    util_buf_putc(b, '"');
}

static void write_prop(util_buf *b, const cim_instance *inst,
                       const cim_property *pr, http_entity_mode mode)
{
    const cim_value *v = cim_instance_get(inst, pr->index);
    bool hidden = (pr->flags & CIM_P_LAZY) && mode == HTTP_ENTITY_ENUM;
    util_buf_putc(b, ',');
    http_json_string(b, pr->name);
    util_buf_putc(b, ':');
    if (hidden)
        util_buf_puts(b, "null");
    else if (v == NULL && pr->type == CIM_OBJECT && pr->is_array)
        util_buf_puts(b, "[]");
    else
        write_value(b, v, pr);
}

int http_entity_write(util_buf *b, provider *p, const cim_instance *inst,
                      http_entity_mode mode, bool open)
{
    const cim_class *c = inst->cls;
    const class_info *ci = info_of(c);
    if (ci == NULL)
        return SMSPROV_ENOMEM;
    if (open)
        util_buf_putc(b, '{');
    write_etag(b, inst);
    util_buf_putc(b, ',');
    util_buf_puts(b, ci->lazy);
    util_buf_puts(b, mode == HTTP_ENTITY_CREATED
                         ? ",\"__QUALIFIER_SECURITYVERBS\":-1"
                         : ",\"__QUALIFIER_SECURITYVERBS\":null");
    for (uint32_t i = 0; i < ci->nprim; i++)
        write_prop(b, inst, &c->props[ci->order[i]], mode);
    bool keys = c->nkeys > 0;
    for (uint32_t k = 0; k < c->nkeys; k++)
        keys = keys && cim_instance_get(inst, c->keys[k]) != NULL;
    util_buf_puts(b, ",\"__GENUS\":2,\"__CLASS\":");
    http_json_string(b, c->name);
    util_buf_putc(b, ',');
    util_buf_puts(b, ci->sys);
    util_buf_puts(b, ",\"__RELPATH\":");
    if (keys) {
        util_buf rel = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
        cim_path_format_rel(&rel, inst);
        http_json_string(b, util_buf_cstr(&rel));
        util_buf_free(&rel);
    } else {
        util_buf_puts(b, "null");
    }
    util_buf_puts(b, ci->sys2);
    util_buf_puts(b, ",\"__SERVER\":");
    http_json_string(b, provider_server(p));
    util_buf_puts(b, ",\"__NAMESPACE\":");
    http_json_string(b, provider_namespace(p));
    util_buf_puts(b, ",\"__PATH\":");
    if (keys) {
        util_buf full = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
        cim_path_format_full(&full, provider_server(p), provider_namespace(p),
                             inst);
        http_json_string(b, util_buf_cstr(&full));
        util_buf_free(&full);
    } else {
        util_buf_puts(b, "null");
    }
    for (uint32_t i = ci->nprim; i < c->nprops; i++)
        write_prop(b, inst, &c->props[ci->order[i]], mode);
    util_buf_putc(b, '}');
    return b->failed ? SMSPROV_ETOOBIG : 0;
}

static int cmp_cols(const void *a, const void *b)
{
    const wql_outcol *ca = *(const wql_outcol *const *)a;
    const wql_outcol *cb = *(const wql_outcol *const *)b;
    int c = util_stricmp(ca->prop->name, cb->prop->name);
    return c ? c : strcmp(ca->prop->name, cb->prop->name);
}

int http_selected_write(util_buf *b, const wql_plan *plan,
                        const cim_instance *inst, uint32_t part)
{
    const wql_outcol *cols[256];
    size_t n = 0;
    for (uint32_t i = 0; i < plan->ncols && n < 256; i++) {
        const wql_outcol *oc = &plan->cols[i];
        if (oc->part != part || oc->implicit)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup = dup || cols[k]->prop == oc->prop;
        if (!dup)
            cols[n++] = oc;
    }
    qsort(cols, n, sizeof(cols[0]), cmp_cols);
    util_buf_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        const cim_property *pr = cols[i]->prop;
        const cim_value *v =
            cols[i]->lazy_null ? NULL : cim_instance_get(inst, pr->index);
        if (i > 0)
            util_buf_putc(b, ',');
        http_json_string(b, pr->name);
        util_buf_putc(b, ':');
        write_value(b, v, pr);
    }
    util_buf_putc(b, '}');
    return b->failed ? SMSPROV_ETOOBIG : 0;
}
