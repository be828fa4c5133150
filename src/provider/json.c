/* SPDX-License-Identifier: MIT */
/*
 * The JSON form of CIM values and instances: booleans as JSON booleans,
 * integers as numbers, DateTime as DMTF strings in UTC (or ISO-8601 for
 * OData), arrays as arrays, embedded objects as objects.  Input accepts
 * what scripts send: numbers as strings for integer types, DMTF or ISO
 * date strings.
 */
#include <math.h>
#include <string.h>

#include "provider/provider_int.h"

static json_t *scalar_to_json(const cim_value *v, bool iso)
{
    char d[40];
    if (v->is_null)
        return json_null();
    switch (v->type) {
    case CIM_BOOLEAN:
        return json_boolean(v->v.b);
    case CIM_REAL32:
    case CIM_REAL64:
        return json_real(v->v.r);
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        return json_string(v->v.s);
    case CIM_DATETIME:
        if (iso)
            util_iso8601_format(v->v.i, d);
        else
            util_dmtf_format(v->v.i, d);
        return json_string(d);
    case CIM_OBJECT: {
        json_t *o = json_object();
        const cim_instance *e = v->v.obj;
        if (e == NULL)
            return json_null();
        json_object_set_new(o, "__CLASS", json_string(e->cls->name));
        for (uint32_t i = 0; i < e->cls->nprops; i++)
            if (e->present[i])
                json_object_set_new(o, e->cls->props[i].name,
                                    provider_value_to_json(&e->values[i], iso));
        return o;
    }
    default:
        return json_integer(v->v.i);
    }
}

json_t *provider_value_to_json(const cim_value *v, bool iso)
{
    if (!v->is_array || v->is_null)
        return scalar_to_json(v, iso);
    json_t *a = json_array();
    for (uint32_t i = 0; i < v->count; i++)
        json_array_append_new(a, scalar_to_json(&v->v.items[i], iso));
    return a;
}

json_t *provider_instance_to_json(provider *p, const cim_instance *inst,
                                  const provider_json_opts *opts)
{
    json_t *o = json_object();
    bool iso = opts && opts->iso_dates;
    for (uint32_t i = 0; i < inst->cls->nprops; i++)
        if (inst->present[i])
            json_object_set_new(o, inst->cls->props[i].name,
                                provider_value_to_json(&inst->values[i], iso));
    if (opts && opts->system_props) {
        bool keys = inst->cls->nkeys > 0;
        for (uint32_t k = 0; k < inst->cls->nkeys; k++)
            keys &= inst->present[inst->cls->keys[k]] != 0;
        json_object_set_new(o, "__CLASS", json_string(inst->cls->name));
        if (keys) {
            util_buf b = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
            cim_path_format_rel(&b, inst);
            json_object_set_new(o, "__RELPATH", json_string(util_buf_cstr(&b)));
            util_buf_reset(&b);
            cim_path_format_full(&b, p->server, p->ns, inst);
            json_object_set_new(o, "__PATH", json_string(util_buf_cstr(&b)));
            util_buf_free(&b);
        }
    }
    return o;
}

static int bad(smsprov_error *err, int code, const cim_property *prop,
               const char *why)
{
    util_error_object(err, prop->name);
    return util_error_set(err, code, -1, "property '%s' (%s%s): %s", prop->name,
                          cim_type_name(prop->type), prop->is_array ? "[]" : "",
                          why);
}

/* `base` itself or the subclass of it called `name`, else NULL. */
static const cim_class *descendant(const cim_class *base, const char *name)
{
    if (util_stricmp(base->name, name) == 0)
        return base;
    for (uint32_t i = 0; i < base->nchildren; i++) {
        const cim_class *c = descendant(base->children[i], name);
        if (c != NULL)
            return c;
    }
    return NULL;
}

static int scalar_from_json(cim_value *out, util_arena *a,
                            const cim_property *prop, json_t *j,
                            smsprov_error *err)
{
    cim_type t = prop->type;
    *out = cim_value_null(t, false);
    if (json_is_null(j))
        return 0;
    out->is_null = 0;
    if (t == CIM_BOOLEAN) {
        if (json_is_boolean(j))
            out->v.b = json_is_true(j);
        else if (json_is_integer(j) &&
                 (json_integer_value(j) == 0 || json_integer_value(j) == 1))
            out->v.b = json_integer_value(j) == 1;
        else if (json_is_string(j) &&
                 (util_stricmp(json_string_value(j), "true") == 0 ||
                  util_stricmp(json_string_value(j), "false") == 0))
            out->v.b = util_stricmp(json_string_value(j), "true") == 0;
        else
            return bad(err, SMSPROV_ETYPE_MISMATCH, prop,
                       "expected true or false");
        return 0;
    }
    if (cim_type_is_integer(t)) {
        int64_t v, min, max;
        cim_type_int_range(t, &min, &max);
        if (json_is_integer(j)) {
            v = json_integer_value(j);
        } else if (json_is_string(j)) {
            const char *s = json_string_value(j);
            int rc = util_parse_i64(s, strlen(s), INT64_MIN, INT64_MAX, &v);
            if (rc == SMSPROV_EOUT_OF_RANGE)
                return bad(err, SMSPROV_EOUT_OF_RANGE, prop,
                           "value out of range");
            if (rc != 0)
                return bad(err, SMSPROV_ETYPE_MISMATCH, prop,
                           "expected an integer");
        } else if (json_is_boolean(j)) {
            v = json_is_true(j);
        } else {
            return bad(err, SMSPROV_ETYPE_MISMATCH, prop,
                       "expected an integer");
        }
        if (v < min || v > max) {
            util_error_object(err, prop->name);
            return util_error_set(err, SMSPROV_EOUT_OF_RANGE, -1,
                                  "property '%s': %lld is outside the range "
                                  "of %s (%lld..%lld)",
                                  prop->name, (long long)v, cim_type_name(t),
                                  (long long)min, (long long)max);
        }
        out->v.i = v;
        return 0;
    }
    if (t == CIM_REAL32 || t == CIM_REAL64) {
        if (!json_is_number(j))
            return bad(err, SMSPROV_ETYPE_MISMATCH, prop, "expected a number");
        out->v.r = json_number_value(j);
        return 0;
    }
    if (t == CIM_DATETIME) {
        const char *s = json_string_value(j);
        if (s == NULL || util_datetime_parse(s, strlen(s), &out->v.i) != 0)
            return bad(err, SMSPROV_ETYPE_MISMATCH, prop,
                       "expected a DMTF or ISO-8601 date and time");
        return 0;
    }
    if (t == CIM_OBJECT) {
        if (!json_is_object(j) || prop->embedded == NULL)
            return bad(err, SMSPROV_ETYPE_MISMATCH, prop,
                       "expected an embedded object");
        const cim_class *ec = prop->embedded;
        json_t *cn = json_object_get(j, "__CLASS");
        if (json_is_string(cn)) {
            /* a subclass of the declared class may be embedded, e.g. an
             * SMS_CollectionRuleQuery in SMS_Collection.CollectionRules */
            ec = descendant(prop->embedded, json_string_value(cn));
            if (ec == NULL)
                return bad(err, SMSPROV_ETYPE_MISMATCH, prop,
                           "__CLASS names no subclass of the embedded type");
        }
        cim_instance *e = NULL;
        int rc = cim_instance_new(&e, ec, a, err);
        const char *key;
        json_t *val;
        json_object_foreach(j, key, val)
        {
            if (rc != 0)
                break;
            if (key[0] == '_' && key[1] == '_')
                continue;
            if (key[0] == '@')
                continue; /* OData annotations such as @odata.type */
            const cim_property *ep = cim_class_property(ec, key, strlen(key));
            if (ep == NULL) {
                util_error_object(err, key);
                rc = util_error_set(err, SMSPROV_EINVALID_PROPERTY, -1,
                                    "embedded class '%s' has no property "
                                    "'%s'",
                                    ec->name, key);
                break;
            }
            cim_value ev;
            rc = provider_value_from_json(&ev, a, ep, val, err);
            if (rc == 0)
                rc = prov_set(e, ep->index, &ev, err);
        }
        out->v.obj = e;
        return rc;
    }
    /* strings */
    if (json_is_string(j)) {
        out->v.s =
            util_arena_strndup(a, json_string_value(j), json_string_length(j));
    } else if (json_is_integer(j)) {
        out->v.s =
            util_arena_printf(a, "%lld", (long long)json_integer_value(j));
    } else {
        return bad(err, SMSPROV_ETYPE_MISMATCH, prop, "expected a string");
    }
    return out->v.s ? 0 : util_error_set(err, SMSPROV_ENOMEM, -1, "no memory");
}

int provider_value_from_json(cim_value *out, util_arena *a,
                             const cim_property *prop, json_t *j,
                             smsprov_error *err)
{
    if (!prop->is_array)
        return scalar_from_json(out, a, prop, j, err);
    *out = cim_value_null(prop->type, true);
    if (json_is_null(j))
        return 0;
    if (!json_is_array(j))
        return bad(err, SMSPROV_ETYPE_MISMATCH, prop, "expected an array");
    size_t n = json_array_size(j);
    out->is_null = 0;
    out->count = (uint32_t)n;
    if (n == 0)
        return 0;
    out->v.items = util_arena_alloc(a, sizeof(cim_value) * n);
    if (out->v.items == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int rc = scalar_from_json(&out->v.items[i], a, prop,
                                  json_array_get(j, i), err);
        if (rc != 0)
            return rc;
        if (out->v.items[i].is_null)
            return bad(err, SMSPROV_EILLEGAL_NULL, prop,
                       "arrays cannot hold null elements");
    }
    return 0;
}

int provider_instance_from_json(cim_instance **out, const cim_class *cls,
                                json_t *obj, smsprov_error *err)
{
    cim_instance *inst = NULL;
    const char *key;
    json_t *val;
    int rc;
    *out = NULL;
    if (!json_is_object(obj))
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "expected a JSON object of properties");
    rc = cim_instance_new(&inst, cls, NULL, err);
    json_object_foreach(obj, key, val)
    {
        if (rc != 0)
            break;
        if (key[0] == '@')
            continue; /* OData annotations */
        if (key[0] == '_' && key[1] == '_') {
            if (util_stricmp(key, "__CLASS") == 0 && json_is_string(val) &&
                util_stricmp(json_string_value(val), cls->name) != 0) {
                rc = util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                                    "__CLASS '%s' does not match class '%s'",
                                    json_string_value(val), cls->name);
            }
            continue; /* system properties are computed, never stored */
        }
        const cim_property *p = cim_class_property(cls, key, strlen(key));
        if (p == NULL) {
            util_error_object(err, key);
            rc = util_error_set(err, SMSPROV_EINVALID_PROPERTY, -1,
                                "class '%s' has no property '%s'", cls->name,
                                key);
            break;
        }
        cim_value v;
        rc = provider_value_from_json(&v, inst->arena, p, val, err);
        if (rc == 0)
            rc = prov_set(inst, p->index, &v, err);
    }
    if (rc != 0) {
        cim_instance_free(inst);
        return rc;
    }
    *out = inst;
    return 0;
}
