/* SPDX-License-Identifier: MIT */
/*
 * Qualifier enforcement on writes: defaults, site-assigned keys, key and
 * not_null presence, SizeLimit, Range, max(n), integer type ranges, `read`
 * properties (clients may not change them) and `unique` properties.
 */
#include <stdio.h>
#include <string.h>

#include "provider/provider_int.h"

int prov_apply_defaults(cim_instance *inst, smsprov_error *err)
{
    const cim_class *c = inst->cls;
    for (uint32_t i = 0; i < c->nprops; i++) {
        const cim_property *p = &c->props[i];
        if (inst->present[i] || !p->has_default)
            continue;
        if (cim_instance_set(inst, i, &p->def) != 0)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    return 0;
}

/* Sets property `name` of inst when the class has it, unless `keep`
 * (the writer supplied a value and may set it) holds. */
static int set_managed(cim_instance *inst, const cim_instance *given,
                       const char *name, const cim_value *v, bool keep_given,
                       bool only_absent)
{
    const cim_property *pr = cim_class_property(inst->cls, name, strlen(name));
    if (pr == NULL || pr->type != v->type || pr->is_array)
        return 0;
    if (keep_given && given && given->present[pr->index])
        return 0;
    if (only_absent && inst->present[pr->index] &&
        !inst->values[pr->index].is_null)
        return 0;
    return cim_instance_set(inst, pr->index, v) ? SMSPROV_ENOMEM : 0;
}

/*
 * Properties the SMS Provider maintains itself on every write of a
 * configuration item or package: creation and modification stamps, the
 * writer's name, CIVersion and the source site.  Internal writers (imports,
 * the demo) may supply them, so an export imports back unchanged.
 */
int prov_fill_managed(provider *p, cim_instance *inst,
                      const cim_instance *given, bool create,
                      provider_actor actor, smsprov_error *err)
{
    cim_value now = cim_value_datetime(util_now_us());
    cim_value who = cim_value_str(CIM_STRING, provider_caller_user(p));
    cim_value site = cim_value_str(CIM_STRING, p->site);
    bool keep = actor == PROVIDER_INTERNAL;
    int rc = 0;
    rc |= set_managed(inst, given, "DateLastModified", &now, keep, false);
    rc |= set_managed(inst, given, "LastModifiedBy", &who, keep, false);
    rc |= set_managed(inst, given, "LastModificationTime", &now, keep, false);
    rc |= set_managed(inst, given, "LastModifiedDate", &now, keep, false);
    if (create) {
        rc |= set_managed(inst, given, "DateCreated", &now, keep, true);
        rc |= set_managed(inst, given, "CreationTime", &now, keep, true);
        rc |= set_managed(inst, given, "CreatedDate", &now, keep, true);
        rc |= set_managed(inst, given, "CreatedBy", &who, keep, true);
        rc |= set_managed(inst, given, "SourceSite", &site, keep, true);
    }
    const cim_property *ver = cim_class_property(inst->cls, "CIVersion", 9);
    if (ver && cim_type_is_integer(ver->type) &&
        !(keep && given->present[ver->index])) {
        const cim_value *old = cim_instance_get(inst, ver->index);
        int64_t n = (old && !old->is_null) ? old->v.i + !create : 1;
        cim_value v = cim_value_int(ver->type, n);
        rc |= cim_instance_set(inst, ver->index, &v);
    }
    if (rc != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return 0;
}

/* First site-assigned value of an integer key (ConfigMgr CI_IDs start at
 * 16777217; other ids at 1). */
static int64_t key_floor(const cim_property *k)
{
    if (util_stricmp(k->name, "CI_ID") == 0)
        return 16777216;
    return 0;
}

static bool key_missing(const cim_instance *inst, uint32_t idx)
{
    return !inst->present[idx] || inst->values[idx].is_null;
}

int prov_assign_keys(provider *p, cim_instance *inst, smsprov_error *err)
{
    const cim_class *c = inst->cls;
    if (c->nkeys != 1 || !key_missing(inst, c->keys[0]))
        return 0;
    const cim_property *k = &c->props[c->keys[0]];
    if (cim_type_is_integer(k->type)) {
        int64_t max = 0, lo, hi;
        int rc = store_max_key(&max, p->db, c, k, err);
        if (rc != 0)
            return rc;
        if (max < key_floor(k))
            max = key_floor(k);
        cim_type_int_range(k->type, &lo, &hi);
        if (max >= hi)
            return util_error_set(err, SMSPROV_EOUT_OF_RANGE, -1,
                                  "no free value left for key '%s'", k->name);
        cim_value v = cim_value_int(k->type, max + 1);
        return cim_instance_set(inst, k->index, &v);
    }
    if (k->type == CIM_STRING && k->size_max != -1 && k->size_max < 8)
        return 0; /* short codes are never invented */
    if (k->type != CIM_STRING)
        return 0;
    /* Package-style ids: site code + 5 hex digits, first free one. */
    for (int64_t n = 1; n <= 0xFFFFF; n++) {
        char id[16];
        snprintf(id, sizeof(id), "%s%05llX", p->site, (long long)n);
        cim_value v = cim_value_str(CIM_STRING, id);
        cim_instance *found = NULL;
        if (cim_instance_set(inst, k->index, &v) != 0)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        int rc = store_instance_get(&found, p->db, inst, false, &e2);
        cim_instance_free(found);
        if (rc == SMSPROV_ENOTFOUND)
            return 0;
        if (rc != 0)
            return util_error_set(err, rc, -1, "%s", e2.msg);
    }
    return util_error_set(err, SMSPROV_EOUT_OF_RANGE, -1,
                          "no free value left for key '%s'", k->name);
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int prop_error(smsprov_error *err, int code, const cim_property *p,
                      const char *fmt, long long a, long long b)
{
    char why[200];
    snprintf(why, sizeof(why), fmt, a, b);
    util_error_object(err, p->name);
    return util_error_set(err, code, -1, "property '%s': %s", p->name, why);
}

static int check_element(const cim_property *p, const cim_value *v,
                         smsprov_error *err)
{
    if (v->is_null)
        return 0;
    if ((v->type == CIM_STRING || v->type == CIM_CHAR16) &&
        (p->size_max >= 0 || p->size_min >= 0)) {
        long long n = (long long)utf8_chars(v->v.s);
        if (p->size_max >= 0 && n > p->size_max)
            return prop_error(err, SMSPROV_EOUT_OF_RANGE, p,
                              "%lld characters exceed SizeLimit %lld", n,
                              p->size_max);
        if (p->size_min >= 0 && n < p->size_min)
            return prop_error(err, SMSPROV_EOUT_OF_RANGE, p,
                              "%lld characters are below SizeLimit %lld", n,
                              p->size_min);
    }
    if (cim_type_is_integer(v->type)) {
        int64_t lo, hi;
        cim_type_int_range(v->type, &lo, &hi);
        if (v->v.i < lo || v->v.i > hi)
            return prop_error(err, SMSPROV_EOUT_OF_RANGE, p,
                              "%lld is outside the type's range (max %lld)",
                              (long long)v->v.i, (long long)hi);
        if (p->has_range && (v->v.i < p->range_min || v->v.i > p->range_max))
            return prop_error(err, SMSPROV_EOUT_OF_RANGE, p,
                              "%lld is outside Range (max %lld)",
                              (long long)v->v.i, (long long)p->range_max);
    }
    return 0;
}

static bool same_value(const cim_value *a, const cim_value *b)
{
    if (a->is_null != b->is_null)
        return false;
    if (a->is_null)
        return true;
    if (!a->is_array)
        return a->type == CIM_OBJECT || cim_value_compare(a, b) == 0;
    if (a->count != b->count)
        return false;
    for (uint32_t i = 0; i < a->count; i++)
        if (!same_value(&a->v.items[i], &b->v.items[i]))
            return false;
    return true;
}

int provider_check_register(provider *p, const char *cls, const char *prop,
                            provider_check_fn fn, smsprov_error *err)
{
    const cim_class *c = cim_schema_class(p->schema, cls, strlen(cls));
    const cim_property *pr =
        c ? cim_class_property(c, prop, strlen(prop)) : NULL;
    if (pr == NULL)
        return util_error_set(err, SMSPROV_EINVALID_PROPERTY, -1,
                              "the schema has no property %s.%s", cls, prop);
    if (p->checks == NULL &&
        (p->checks = util_calloc(PROV_MAX_CHECKS, sizeof(prov_check))) == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (p->nchecks == PROV_MAX_CHECKS)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "more than %d property checks", PROV_MAX_CHECKS);
    p->checks[p->nchecks++] = (prov_check){c, pr->name, fn};
    return 0;
}

void prov_checks_free(provider *p)
{
    util_free(p->checks);
    p->checks = NULL;
    p->nchecks = 0;
}

/* Runs the registered checks of property pr of class c on v. */
static int run_checks(const provider *p, const cim_class *c,
                      const cim_property *pr, const cim_value *v,
                      smsprov_error *err)
{
    for (uint32_t i = 0; i < p->nchecks; i++) {
        const prov_check *k = &p->checks[i];
        if (!cim_class_is_a(c, k->cls) || util_stricmp(k->prop, pr->name) != 0)
            continue;
        int rc = k->fn(v, err);
        if (rc != 0) {
            util_error_object(err, pr->name);
            return rc;
        }
    }
    return 0;
}

int prov_validate_write(provider *p, cim_instance *inst,
                        const cim_instance *old, const cim_instance *given,
                        provider_actor actor, smsprov_error *err)
{
    const cim_class *c = inst->cls;
    if (!cim_class_is_concrete(c))
        return util_error_set(
            err, SMSPROV_EINVALID_CLASS, -1,
            "class '%s' is %s: it cannot have instances", c->name,
            (c->flags & CIM_C_EMBEDDED) ? "embedded" : "abstract");
    if (actor == PROVIDER_CLIENT && (c->flags & CIM_C_READ))
        return util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                              "class '%s' is read-only", c->name);
    for (uint32_t i = 0; i < c->nprops; i++) {
        const cim_property *pr = &c->props[i];
        const cim_value *v = cim_instance_get(inst, i);
        if (actor == PROVIDER_CLIENT && (pr->flags & CIM_P_READ) &&
            !(pr->flags & CIM_P_KEY) && given && given->present[i]) {
            const cim_value *before = old ? cim_instance_get(old, i) : NULL;
            cim_value none = cim_value_null(pr->type, pr->is_array);
            if (before == NULL)
                before = pr->has_default ? &pr->def : &none;
            if (!same_value(&given->values[i], before)) {
                util_error_object(err, pr->name);
                return util_error_set(err, SMSPROV_EREAD_ONLY, -1,
                                      "property '%s' is read-only", pr->name);
            }
        }
        if ((pr->flags & (CIM_P_KEY | CIM_P_NOT_NULL)) &&
            (v == NULL || v->is_null)) {
            util_error_object(err, pr->name);
            return util_error_set(
                err, SMSPROV_EILLEGAL_NULL, -1,
                "property '%s' is %s and has no value", pr->name,
                (pr->flags & CIM_P_KEY) ? "a key" : "not_null");
        }
        if (v == NULL || v->is_null)
            continue;
        if (p->nchecks > 0 && given && given->present[i]) {
            int rc = run_checks(p, c, pr, v, err);
            if (rc != 0)
                return rc;
        }
        if (!v->is_array) {
            int rc = check_element(pr, v, err);
            if (rc != 0)
                return rc;
            continue;
        }
        if (pr->max_count >= 0 && v->count > (uint32_t)pr->max_count)
            return prop_error(err, SMSPROV_EOUT_OF_RANGE, pr,
                              "%lld elements exceed max(%lld)",
                              (long long)v->count, pr->max_count);
        for (uint32_t k = 0; k < v->count; k++) {
            int rc = check_element(pr, &v->v.items[k], err);
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

int prov_check_unique(provider *p, const cim_instance *inst, smsprov_error *err)
{
    const cim_class *c = inst->cls;
    for (uint32_t i = 0; i < c->nprops; i++) {
        const cim_property *pr = &c->props[i];
        const cim_value *v = cim_instance_get(inst, i);
        if (!(pr->flags & CIM_P_UNIQUE) || (pr->flags & CIM_P_KEY) ||
            pr->is_array || v == NULL || v->is_null)
            continue;
        util_buf sql = UTIL_BUF_INIT(8192);
        store_stmt *st = NULL;
        util_buf_puts(&sql, "SELECT 1 FROM ");
        store_sql_table(&sql, c);
        util_buf_puts(&sql, " WHERE ");
        store_sql_ident(&sql, pr->name);
        util_buf_puts(&sql, " = ?");
        for (uint32_t k = 0; k < c->nkeys; k++) {
            util_buf_puts(&sql, k == 0 ? " AND NOT (" : " AND ");
            store_sql_ident(&sql, c->props[c->keys[k]].name);
            util_buf_puts(&sql, " = ?");
        }
        util_buf_puts(&sql, c->nkeys ? ") LIMIT 1" : " LIMIT 1");
        int rc = store_prepare(&st, p->db, util_buf_cstr(&sql), err);
        util_buf_free(&sql);
        if (rc == 0)
            rc = store_bind_value(st, 1, v);
        for (uint32_t k = 0; rc == 0 && k < c->nkeys; k++) {
            const cim_value *kv = cim_instance_get(inst, c->keys[k]);
            rc = kv ? store_bind_value(st, (int)k + 2, kv) : 0;
        }
        if (rc == 0)
            rc = store_step(st, err);
        store_stmt_free(st);
        if (rc == 1) {
            util_error_object(err, pr->name);
            return util_error_set(err, SMSPROV_EEXISTS, -1,
                                  "property '%s' is unique and another "
                                  "instance already has this value",
                                  pr->name);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}
