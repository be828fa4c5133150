/* SPDX-License-Identifier: MIT */
/*
 * SMS_SoftwareUpdate methods with behaviour: EULA acceptance and retrieval,
 * policy enforcement and catalog synchronization.  Each runs inside the
 * dispatcher's transaction and writes through the provider, so qualifier
 * rules and provider-maintained properties apply.
 */
#include <string.h>

#include "sum/sum.h"
#include "sum/sum_methods.h"

#define EULA_ACCEPTED 1 /* EULAAccepted per the class page: 0 Declined, */
#define EULA_DECLINED 0 /* 1 Accepted, 2 Undetermined (default) */

static const cim_value *param(const cim_instance *in, const char *name)
{
    return cim_instance_get_by_name(in, name);
}

/* Fails unless the update has a license (AcceptEULA, GetEULA). */
static int need_eula(const cim_instance *u, smsprov_error *err)
{
    const cim_value *v = cim_instance_get_by_name(u, "EULAExists");
    if (v == NULL || v->is_null || !v->v.b)
        return util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                              "update has no license terms (EULAExists is "
                              "false)");
    return 0;
}

/* Writes the named properties of `changes` onto the target update. */
static int update_target(provider *p, const cim_instance *target,
                         const char *const *names, const cim_value *values,
                         size_t n, smsprov_error *err)
{
    cim_instance *w = NULL;
    int rc = cim_instance_new(&w, target->cls, NULL, err);
    for (uint32_t k = 0; rc == 0 && k < target->cls->nkeys; k++) {
        uint32_t i = target->cls->keys[k];
        rc = cim_instance_set(w, i, &target->values[i])
                 ? util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory")
                 : 0;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const cim_property *pr =
            cim_class_property(target->cls, names[i], strlen(names[i]));
        rc =
            pr ? cim_instance_set(w, pr->index, &values[i])
               : util_error_set(err, SMSPROV_EINTERNAL, -1, "class %s lacks %s",
                                target->cls->name, names[i]);
    }
    if (rc == 0)
        rc = provider_put(NULL, NULL, p, w, PROVIDER_INTERNAL, err);
    cim_instance_free(w);
    return rc;
}

/* AcceptEULA([in] Boolean Accepted): records the decision, who, when. */
static int accept_eula(provider *p, provider_method_call *call,
                       smsprov_error *err)
{
    const cim_value *acc = param(call->in, "Accepted");
    int rc = need_eula(call->target, err);
    if (rc != 0)
        return rc;
    if (acc == NULL || acc->is_null)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter 'Accepted' is required");
    static const char *const names[] = {"EULAAccepted", "EULASignoffDate",
                                        "EULASignoffUser"};
    cim_value vals[3] = {
        cim_value_int(CIM_UINT32, acc->v.b ? EULA_ACCEPTED : EULA_DECLINED),
        cim_value_datetime(util_now_us()),
        cim_value_str(CIM_STRING, provider_caller_user(p)),
    };
    return update_target(p, call->target, names, vals, 3, err);
}

/* Picks the EULA entry for the caller's locale, falling back to en-US
 * (1033), then to the first entry. */
static const cim_instance *pick_eula(const cim_value *eulas, uint32_t lcid)
{
    const cim_instance *first = NULL, *english = NULL;
    for (uint32_t i = 0; eulas && !eulas->is_null && i < eulas->count; i++) {
        const cim_instance *e = eulas->v.items[i].v.obj;
        const cim_value *loc =
            e ? cim_instance_get_by_name(e, "LocaleID") : NULL;
        if (e == NULL)
            continue;
        if (first == NULL)
            first = e;
        if (loc && !loc->is_null && (uint32_t)loc->v.i == lcid)
            return e;
        if (loc && !loc->is_null && loc->v.i == 1033)
            english = e;
    }
    return english ? english : first;
}

typedef struct eula_text {
    provider *p; /* for get */
    char *text;  /* result, util_malloc'd */
    smsprov_error *err;
} eula_text;

static int on_eula_row(const wql_plan *plan, cim_instance **parts,
                       int64_t count, void *payload)
{
    eula_text *t = payload;
    cim_instance *full = NULL;
    util_buf path = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
    (void)plan;
    (void)count;
    cim_path_format_rel(&path, parts[0]);
    int rc = provider_get(&full, t->p, path.data, path.len, t->err);
    util_buf_free(&path);
    if (rc != 0)
        return rc;
    const cim_value *v = cim_instance_get_by_name(full, "EULAText");
    if (v && !v->is_null && t->text == NULL)
        t->text = util_strdup(v->v.s);
    cim_instance_free(full);
    return 0;
}

/* GetEULA([out] String EULA): the license text for the caller's locale. */
static int get_eula(provider *p, provider_method_call *call, smsprov_error *err)
{
    int rc = need_eula(call->target, err);
    if (rc != 0)
        return rc;
    const cim_instance *e =
        pick_eula(cim_instance_get_by_name(call->target, "LocalizedEulas"),
                  provider_locale(p));
    const cim_value *id =
        e ? cim_instance_get_by_name(e, "EULAContentUniqueID") : NULL;
    if (id == NULL || id->is_null)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                              "the update lists no license content");
    /* the identifier is bound as a parameter by the engine: quote it as a
     * WQL string literal */
    util_buf q = UTIL_BUF_INIT(8192);
    util_buf_puts(&q, "SELECT EULAContentID FROM SMS_EULAContent WHERE "
                      "EULAContentUniqueID = '");
    for (const char *s = id->v.s; *s; s++) {
        if (*s == '\'' || *s == '\\')
            util_buf_putc(&q, '\\');
        util_buf_putc(&q, *s);
    }
    util_buf_putc(&q, '\'');
    eula_text t = {p, NULL, err};
    rc = q.failed ? q.failed
                  : provider_query(p, q.data, q.len, on_eula_row, &t, err);
    util_buf_free(&q);
    if (rc == 0 && t.text == NULL)
        rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                            "license content '%s' is not in SMS_EULAContent",
                            id->v.s);
    if (rc == 0) {
        cim_value v = cim_value_str(CIM_STRING, t.text);
        const cim_property *out = cim_class_property(call->out->cls, "EULA", 4);
        rc = out ? cim_instance_set(call->out, out->index, &v)
                 : SMSPROV_EINTERNAL;
    }
    util_free(t.text);
    return rc;
}

/*
 * SetEnforcement([in] Boolean Enforced, [in] DateTime EffectiveDate): the
 * update's EffectiveDate is the UTC instant enforcement starts; disabling
 * enforcement clears it.  The call itself is recorded by the audit log.
 */
static int set_enforcement(provider *p, provider_method_call *call,
                           smsprov_error *err)
{
    const cim_value *on = param(call->in, "Enforced");
    const cim_value *when = param(call->in, "EffectiveDate");
    if (on == NULL || on->is_null)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter 'Enforced' is required");
    if (on->v.b && (when == NULL || when->is_null))
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter 'EffectiveDate' is required when "
                              "Enforced is true");
    static const char *const names[] = {"EffectiveDate"};
    cim_value v = on->v.b ? *when : cim_value_null(CIM_DATETIME, false);
    return update_target(p, call->target, names, &v, 1, err);
}

/*
 * SyncNow([in] Boolean fullSync), static: synchronizes the catalog from the
 * configured source now (docs/catalog.md).  It runs outside the call's
 * transaction: the import is its own transaction and the result is
 * recorded in SMS_SUPSyncStatus even when it fails.
 */
static int sync_now(provider *p, provider_method_call *call, smsprov_error *err)
{
    const cim_value *full = param(call->in, "fullSync");
    return sum_sync_now(p, full && !full->is_null && full->v.b, err);
}

int sum_register_methods(provider *p, smsprov_error *err)
{
    static const struct {
        const char *method;
        provider_method_fn fn;
    } table[] = {
        {"AcceptEULA", accept_eula},
        {"GetEULA", get_eula},
        {"SetEnforcement", set_enforcement},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        int rc = provider_method_register(p, "SMS_SoftwareUpdate",
                                          table[i].method, table[i].fn, err);
        if (rc != 0)
            return rc;
    }
    return provider_method_register_ex(p, "SMS_SoftwareUpdate", "SyncNow",
                                       sync_now, PROVIDER_METHOD_OWN_TX, err);
}
