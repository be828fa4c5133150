/* SPDX-License-Identifier: MIT */
/*
 * Method dispatch: one table of method bodies, driven by the method
 * declarations in the MOF, serves the CLI and the AdminService.  [in]
 * parameters are checked against the declaration before a body runs, and
 * the call runs in one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "provider/provider_int.h"
#include "provider/rbac.h"

#define METHOD_MAX_IMPLS 256

/* A registered body and the parameter classes built for its signature. */
typedef struct prov_method_impl {
    const cim_class *cls;     /* declaring class (or the one registered) */
    const cim_method *method; /* declaration */
    provider_method_fn fn;    /* body */
    unsigned flags;           /* enum provider_method_flag */
    cim_class *in_cls;        /* __PARAMETERS class of the [in] params */
    cim_class *out_cls;       /* __PARAMETERS class of the [out] params */
} prov_method_impl;

/* A parameter class: the method's params with the given direction flag,
 * plus ReturnValue first for the [out] side. */
static cim_class *param_class(util_arena *a, const cim_method *m, uint32_t dir)
{
    cim_class *c = util_arena_alloc(a, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->name = "__PARAMETERS";
    c->flags = CIM_C_EMBEDDED;
    c->props = util_arena_alloc(a, sizeof(cim_property) * (m->nparams + 1));
    if (c->props == NULL)
        return NULL;
    if (dir == CIM_P_OUT) {
        cim_property *rv = &c->props[c->nprops];
        memset(rv, 0, sizeof(*rv));
        rv->name = "ReturnValue";
        rv->type = m->return_type;
        rv->flags = CIM_P_OUT;
        rv->size_min = rv->size_max = -1;
        rv->max_count = -1;
        rv->index = c->nprops++;
    }
    for (uint32_t i = 0; i < m->nparams; i++) {
        if (!(m->params[i].flags & dir))
            continue;
        c->props[c->nprops] = m->params[i];
        c->props[c->nprops].index = c->nprops;
        c->nprops++;
    }
    return c;
}

static util_arena *method_arena(provider *p)
{
    /* parameter classes live as long as the schema */
    return p->schema->arena;
}

int provider_method_register(provider *p, const char *cls, const char *method,
                             provider_method_fn fn, smsprov_error *err)
{
    return provider_method_register_ex(p, cls, method, fn, 0, err);
}

int provider_method_register_ex(provider *p, const char *cls,
                                const char *method, provider_method_fn fn,
                                unsigned flags, smsprov_error *err)
{
    const cim_class *c = cim_schema_class(p->schema, cls, strlen(cls));
    const cim_method *m =
        c ? cim_class_method(c, method, strlen(method)) : NULL;
    if (m == NULL)
        return util_error_set(err, SMSPROV_EINVALID_METHOD, -1,
                              "the schema declares no method %s.%s", cls,
                              method);
    if (p->methods == NULL) {
        p->methods = util_calloc(METHOD_MAX_IMPLS, sizeof(prov_method_impl));
        if (p->methods == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    if (p->nmethods == METHOD_MAX_IMPLS)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "more than %d method bodies", METHOD_MAX_IMPLS);
    prov_method_impl *impl = &p->methods[p->nmethods];
    impl->cls = c;
    impl->method = m;
    impl->fn = fn;
    impl->flags = flags;
    impl->in_cls = param_class(method_arena(p), m, CIM_P_IN);
    impl->out_cls = param_class(method_arena(p), m, CIM_P_OUT);
    if (impl->in_cls == NULL || impl->out_cls == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    p->nmethods++;
    return 0;
}

/* The body for `m` as seen from class `cls` (nearest registration up the
 * class chain). */
static prov_method_impl *find_impl(provider *p, const cim_class *cls,
                                   const char *method)
{
    for (const cim_class *c = cls; c != NULL; c = c->parent)
        for (uint32_t i = 0; i < p->nmethods; i++)
            if (p->methods[i].cls == c &&
                util_stricmp(p->methods[i].method->name, method) == 0)
                return &p->methods[i];
    return NULL;
}

static int param_error(smsprov_error *err, const char *name, const char *why)
{
    util_error_object(err, name);
    return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                          "parameter '%s': %s", name, why);
}

/* Builds the [in] parameter object from JSON, checking every parameter. */
static int read_params(cim_instance **out, const prov_method_impl *impl,
                       json_t *in, smsprov_error *err)
{
    const cim_class *pc = impl->in_cls;
    cim_instance *inst = NULL;
    const char *key;
    json_t *val;
    int rc = cim_instance_new(&inst, pc, NULL, err);
    if (rc != 0)
        return rc;
    if (in != NULL && !json_is_null(in) && !json_is_object(in))
        rc = util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                            "method parameters must be a JSON object");
    if (rc == 0 && json_is_object(in)) {
        json_object_foreach(in, key, val)
        {
            if (key[0] == '@')
                continue; /* OData annotations */
            const cim_property *pp = cim_class_property(pc, key, strlen(key));
            if (pp == NULL) {
                const cim_property *any =
                    cim_class_property(impl->out_cls, key, strlen(key));
                rc = param_error(err, key,
                                 any ? "is an [out] parameter"
                                     : "the method has no such parameter");
                break;
            }
            cim_value v;
            smsprov_error e = SMSPROV_ERROR_INIT;
            rc = provider_value_from_json(&v, inst->arena, pp, val, &e);
            if (rc == SMSPROV_ENOMEM) {
                rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
                break;
            }
            if (rc != 0) {
                rc = param_error(err, pp->name, e.msg);
                break;
            }
            rc = prov_set(inst, pp->index, &v, err);
            if (rc != 0)
                break;
        }
    }
    for (uint32_t i = 0; rc == 0 && i < pc->nprops; i++) {
        const cim_property *pp = &pc->props[i];
        if (!inst->present[i] && !(pp->flags & CIM_P_OPTIONAL))
            rc = param_error(err, pp->name, "is required");
    }
    if (rc != 0) {
        cim_instance_free(inst);
        return rc;
    }
    *out = inst;
    return 0;
}

static bool looks_like_path(const char *t, size_t n)
{
    return memchr(t, '.', n) != NULL || memchr(t, '=', n) != NULL;
}

int provider_invoke(json_t **out, provider *p, const char *target,
                    size_t target_len, const char *method, json_t *in,
                    smsprov_error *err)
{
    provider_method_call call;
    cim_instance *target_inst = NULL, *params = NULL, *result = NULL;
    int rc = 0;
    *out = NULL;
    memset(&call, 0, sizeof(call));
    if (looks_like_path(target, target_len)) {
        rc = provider_get(&target_inst, p, target, target_len, err);
        if (rc != 0)
            return rc;
        call.cls = target_inst->cls;
    } else {
        call.cls = cim_schema_class(p->schema, target, target_len);
        if (call.cls == NULL)
            return util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                                  "unknown class '%.*s'", (int)target_len,
                                  target);
    }
    call.method = cim_class_method(call.cls, method, strlen(method));
    if (call.method == NULL) {
        util_error_object(err, method);
        rc = util_error_set(err, SMSPROV_EINVALID_METHOD, -1,
                            "class '%s' has no method '%s'", call.cls->name,
                            method);
        goto out;
    }
    if (target_inst == NULL && !call.method->is_static) {
        rc = util_error_set(err, SMSPROV_EINVALID_METHOD, -1,
                            "%s.%s is an instance method: call it on an "
                            "object path",
                            call.cls->name, call.method->name);
        goto out;
    }
    /* rights first: a caller who may not run it learns nothing more */
    rc = prov_rbac_check(p, call.cls, PROVIDER_PERM_EXECUTE, call.method->name,
                         err);
    if (rc != 0)
        goto out;
    prov_method_impl *impl = find_impl(p, call.cls, call.method->name);
    if (impl == NULL) {
        rc = util_error_set(err, SMSPROV_ENOTSUPPORTED, -1,
                            "%s.%s is declared but not implemented",
                            call.cls->name, call.method->name);
        goto out;
    }
    rc = read_params(&params, impl, in, err);
    if (rc == 0)
        rc = cim_instance_new(&result, impl->out_cls, NULL, err);
    if (rc != 0)
        goto out;
    call.target = target_inst;
    call.in = params;
    call.out = result;
    if (impl->flags & PROVIDER_METHOD_OWN_TX) {
        rc = impl->fn(p, &call, err);
    } else {
        rc = store_begin(p->db, err);
        if (rc != 0)
            goto out;
        rc = impl->fn(p, &call, err);
        if (rc == 0)
            rc = store_commit(p->db, err);
        else
            store_rollback(p->db);
    }
    if (rc == 0) {
        cim_value zero = cim_value_int(impl->method->return_type, 0);
        if (!result->present[0])
            cim_instance_set(result, 0, &zero);
        provider_json_opts opts = {false, false};
        *out = provider_instance_to_json(p, result, &opts);
    }
out:
    /* every call that names a real method is audited with its outcome,
     * from the CLI and the AdminService alike */
    if (call.method != NULL) {
        char path[CIM_PATH_MAX + 1];
        snprintf(path, sizeof(path), "%.*s", (int)target_len, target);
        provider_audit(p, "Method", call.cls->name, path, call.method->name,
                       rc);
    }
    cim_instance_free(result);
    cim_instance_free(params);
    cim_instance_free(target_inst);
    return rc;
}

void prov_methods_free(provider *p)
{
    util_free(p->methods);
    p->methods = NULL;
    p->nmethods = 0;
}
