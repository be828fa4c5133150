/* SPDX-License-Identifier: MIT */
/*
 * Instance operations: get by object path (with lazy properties), put
 * (create or modify, the keys decide) and delete, each in one transaction
 * and validated against the class qualifiers first.
 */
#include <string.h>

#include "provider/provider_int.h"
#include "provider/rbac.h"

int prov_set(cim_instance *inst, uint32_t idx, const cim_value *v,
             smsprov_error *err)
{
    if (cim_instance_set(inst, idx, v) != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return 0;
}

int prov_value_from_text(cim_value *out, util_arena *a,
                         const cim_property *prop, const char *text,
                         smsprov_error *err)
{
    size_t n = strlen(text);
    cim_type t = prop->type;
    *out = cim_value_null(t, false);
    out->is_null = 0;
    if (cim_type_is_integer(t)) {
        int64_t lo, hi;
        cim_type_int_range(t, &lo, &hi);
        int rc = util_parse_i64(text, n, lo, hi, &out->v.i);
        if (rc != 0) {
            util_error_object(err, prop->name);
            return util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                                  "key '%s': '%s' is not a valid %s",
                                  prop->name, text, cim_type_name(t));
        }
        return 0;
    }
    if (t == CIM_BOOLEAN) {
        out->v.b = util_stricmp(text, "true") == 0 || strcmp(text, "1") == 0;
        if (!out->v.b && util_stricmp(text, "false") != 0 &&
            strcmp(text, "0") != 0)
            return util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                                  "key '%s': '%s' is not a boolean", prop->name,
                                  text);
        return 0;
    }
    if (t == CIM_DATETIME) {
        if (util_datetime_parse(text, n, &out->v.i) != 0)
            return util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                                  "key '%s': '%s' is not a date", prop->name,
                                  text);
        return 0;
    }
    out->v.s = util_arena_strdup(a, text);
    return out->v.s ? 0 : util_error_set(err, SMSPROV_ENOMEM, -1, "no memory");
}

int prov_keys_from_path(cim_instance **out, provider *p, const cim_path *path,
                        smsprov_error *err)
{
    const cim_class *cls =
        cim_schema_class(p->schema, path->class_name, strlen(path->class_name));
    cim_instance *keys = NULL;
    int rc;
    *out = NULL;
    if (cls == NULL) {
        const char *hint = cim_schema_nearest(p->schema, path->class_name);
        util_error_object(err, path->class_name);
        return util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                              "unknown class '%s'%s%s%s", path->class_name,
                              hint ? " (did you mean '" : "", hint ? hint : "",
                              hint ? "'?)" : "");
    }
    if (path->singleton || path->nkeys != cls->nkeys)
        return util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                              "class '%s' has %u key%s; the path gives %u",
                              cls->name, cls->nkeys, cls->nkeys == 1 ? "" : "s",
                              path->nkeys);
    rc = cim_instance_new(&keys, cls, NULL, err);
    for (uint32_t i = 0; rc == 0 && i < path->nkeys; i++) {
        const char *name = path->keys[i].name;
        const cim_property *kp = cim_class_property(cls, name, strlen(name));
        cim_value v;
        if (kp == NULL || !(kp->flags & CIM_P_KEY)) {
            util_error_object(err, name);
            rc = util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                                "'%s' is not a key of class '%s'", name,
                                cls->name);
            break;
        }
        if (keys->present[kp->index]) {
            rc = util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                                "key '%s' given twice", name);
            break;
        }
        rc = prov_value_from_text(&v, keys->arena, kp, path->keys[i].text, err);
        if (rc == 0)
            rc = prov_set(keys, kp->index, &v, err);
    }
    if (rc != 0) {
        cim_instance_free(keys);
        return rc;
    }
    *out = keys;
    return 0;
}

/* Re-homes key values onto concrete class `cls` (base-class paths). */
static int keys_as(cim_instance **out, const cim_instance *keys,
                   const cim_class *cls, smsprov_error *err)
{
    int rc = cim_instance_new(out, cls, NULL, err);
    for (uint32_t i = 0; rc == 0 && i < keys->cls->nprops; i++)
        if (keys->present[i])
            rc = prov_set(*out, i, &keys->values[i], err);
    return rc;
}

/* Runs fn on the key instance for each concrete class the path may name
 * until one does not answer ENOTFOUND. */
static int for_concrete(provider *p, const cim_instance *keys,
                        int (*fn)(provider *, cim_instance *, void *),
                        void *arg, smsprov_error *err)
{
    const cim_class *stack[64];
    int sp = 0, rc = SMSPROV_ENOTFOUND;
    stack[sp++] = keys->cls;
    while (sp > 0 && rc == SMSPROV_ENOTFOUND) {
        const cim_class *c = stack[--sp];
        for (uint32_t i = 0; i < c->nchildren && sp < 64; i++)
            stack[sp++] = c->children[i];
        if (!cim_class_is_concrete(c))
            continue;
        cim_instance *k = NULL;
        rc = keys_as(&k, keys, c, err);
        if (rc == 0)
            rc = fn(p, k, arg);
        cim_instance_free(k);
    }
    return rc;
}

typedef struct get_ctx {
    cim_instance *found; /* result */
    smsprov_error *err;  /* where real errors go */
} get_ctx;

static int get_one(provider *p, cim_instance *k, void *arg)
{
    get_ctx *g = arg;
    smsprov_error e = SMSPROV_ERROR_INIT;
    int rc = store_instance_get(&g->found, p->db, k, true, &e);
    if (rc != 0 && rc != SMSPROV_ENOTFOUND)
        *g->err = e;
    return rc;
}

/* Parses an object path straight into a key instance of its class. */
static int keys_from_text(cim_instance **out, provider *p, const char *path,
                          size_t len, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    cim_path *cp = NULL;
    int rc;
    *out = NULL;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    rc = cim_path_parse(&cp, a, path, len, err);
    if (rc == 0)
        rc = prov_keys_from_path(out, p, cp, err);
    util_arena_free(a);
    return rc;
}

int provider_get(cim_instance **out, provider *p, const char *path, size_t len,
                 smsprov_error *err)
{
    cim_instance *keys = NULL;
    get_ctx g = {NULL, err};
    int rc = keys_from_text(&keys, p, path, len, err);
    *out = NULL;
    if (rc == 0) {
        rc = for_concrete(p, keys, get_one, &g, err);
        if (rc == SMSPROV_ENOTFOUND)
            util_error_set(err, rc, -1, "no instance %.*s", (int)len, path);
    }
    cim_instance_free(keys);
    /* role and security scopes: what the caller may not see is absent */
    if (rc == 0 && p->caller && (rc = prov_rbac_visible(p, g.found, err))) {
        cim_instance_free(g.found);
        g.found = NULL;
    }
    if (rc == 0)
        *out = g.found;
    return rc;
}

/* Copies the present properties of src over dst. */
static int overlay(cim_instance *dst, const cim_instance *src,
                   smsprov_error *err)
{
    for (uint32_t i = 0; i < src->cls->nprops; i++)
        if (src->present[i]) {
            int rc = prov_set(dst, i, &src->values[i], err);
            if (rc != 0)
                return rc;
        }
    return 0;
}

static bool keys_given(const cim_instance *inst)
{
    for (uint32_t k = 0; k < inst->cls->nkeys; k++) {
        uint32_t i = inst->cls->keys[k];
        if (!inst->present[i] || inst->values[i].is_null)
            return false;
    }
    return inst->cls->nkeys > 0;
}

int provider_put(cim_instance **out, bool *created, provider *p,
                 const cim_instance *given, provider_actor actor,
                 smsprov_error *err)
{
    cim_instance *old = NULL, *merged = NULL;
    bool create = true;
    int rc;
    if (out)
        *out = NULL;
    rc = store_begin(p->db, err);
    if (rc != 0)
        return rc;
    if (keys_given(given)) {
        smsprov_error e = SMSPROV_ERROR_INIT;
        rc = store_instance_get(&old, p->db, given, true, &e);
        if (rc == 0)
            create = false;
        else if (rc != SMSPROV_ENOTFOUND) {
            *err = e;
            goto out;
        }
    }
    if (actor == PROVIDER_CLIENT && p->caller) {
        rc = prov_rbac_check(
            p, given->cls, create ? PROVIDER_PERM_CREATE : PROVIDER_PERM_MODIFY,
            NULL, err);
        if (rc == 0 && !create && prov_rbac_visible(p, old, NULL) != 0)
            rc = util_error_set(err, SMSPROV_EACCESS, -1,
                                "access denied: the object is outside the "
                                "security scopes of '%s'",
                                provider_caller_user(p));
        if (rc != 0)
            goto out;
    }
    rc = cim_instance_clone(&merged, create ? given : old, err);
    if (rc == 0 && !create)
        rc = overlay(merged, given, err);
    if (rc == 0 && create)
        rc = prov_assign_keys(p, merged, err);
    if (rc == 0 && create)
        rc = prov_apply_defaults(merged, err);
    if (rc == 0)
        rc = prov_fill_managed(p, merged, given, create, actor, err);
    if (rc == 0)
        rc = prov_validate_write(p, merged, old, given, actor, err);
    if (rc == 0)
        rc = prov_check_unique(p, merged, err);
    if (rc == 0)
        rc = create ? store_instance_insert(p->db, merged, err)
                    : store_instance_update(p->db, merged, err);
    if (rc == 0)
        rc = store_commit(p->db, err);
out:
    if (rc != 0) {
        store_rollback(p->db);
        cim_instance_free(merged);
        merged = NULL;
    }
    cim_instance_free(old);
    if (actor == PROVIDER_CLIENT) {
        util_buf path = UTIL_BUF_INIT(CIM_PATH_MAX);
        if (rc != 0 || cim_path_format_rel(&path, merged) != 0) {
            util_buf_reset(&path);
            if (!keys_given(given) || cim_path_format_rel(&path, given) != 0) {
                util_buf_reset(&path);
                util_buf_puts(&path, given->cls->name);
            }
        }
        provider_audit(p, create ? "Create" : "Modify", given->cls->name,
                       util_buf_cstr(&path), NULL, rc);
        util_buf_free(&path);
    }
    if (created)
        *created = create;
    if (out)
        *out = merged;
    else
        cim_instance_free(merged);
    return rc;
}

int provider_put_json(cim_instance **out, bool *created, provider *p,
                      const cim_class *cls, json_t *props, provider_actor actor,
                      smsprov_error *err)
{
    cim_instance *given = NULL;
    int rc = provider_instance_from_json(&given, cls, props, err);
    if (rc == 0)
        rc = provider_put(out, created, p, given, actor, err);
    cim_instance_free(given);
    return rc;
}

typedef struct del_ctx {
    provider_actor actor; /* who deletes */
    smsprov_error *err;   /* where real errors go */
} del_ctx;

static int delete_one(provider *p, cim_instance *k, void *arg)
{
    del_ctx *d = arg;
    smsprov_error e = SMSPROV_ERROR_INIT;
    if (d->actor == PROVIDER_CLIENT && (k->cls->flags & CIM_C_READ))
        return util_error_set(d->err, SMSPROV_EINVALID_OPERATION, -1,
                              "class '%s' is read-only", k->cls->name);
    if (d->actor == PROVIDER_CLIENT && p->caller) {
        cim_instance *old = NULL;
        int rc = store_instance_get(&old, p->db, k, false, &e);
        if (rc != 0) {
            if (rc != SMSPROV_ENOTFOUND)
                *d->err = e;
            return rc;
        }
        rc = prov_rbac_visible(p, old, NULL);
        cim_instance_free(old);
        if (rc != 0)
            return SMSPROV_ENOTFOUND; /* out of scope: as if absent */
        rc = prov_rbac_check(p, k->cls, PROVIDER_PERM_DELETE, NULL, d->err);
        if (rc != 0)
            return rc;
    }
    int rc = store_instance_delete(p->db, k, &e);
    if (rc != 0 && rc != SMSPROV_ENOTFOUND)
        *d->err = e;
    return rc;
}

int provider_delete(provider *p, const char *path, size_t len,
                    provider_actor actor, smsprov_error *err)
{
    cim_instance *keys = NULL;
    del_ctx d = {actor, err};
    int rc = keys_from_text(&keys, p, path, len, err);
    if (rc == 0)
        rc = store_begin(p->db, err);
    if (rc == 0) {
        rc = for_concrete(p, keys, delete_one, &d, err);
        if (rc == SMSPROV_ENOTFOUND)
            util_error_set(err, rc, -1, "no instance %.*s", (int)len, path);
        if (rc == 0)
            rc = store_commit(p->db, err);
        else
            store_rollback(p->db);
    }
    if (actor == PROVIDER_CLIENT) {
        char *t = util_strndup(path, len < CIM_PATH_MAX ? len : CIM_PATH_MAX);
        provider_audit(p, "Delete", keys ? keys->cls->name : NULL, t, NULL, rc);
        util_free(t);
    }
    cim_instance_free(keys);
    return rc;
}
