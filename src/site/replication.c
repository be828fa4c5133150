/* SPDX-License-Identifier: MIT */
/*
 * ResendObjectToAllSites: one durable SMSPROV_ReplicationJob per child
 * site, visible to WQL, written in the method call's transaction.
 */
#include <string.h>

#include "site/site.h"

typedef struct child_sites {
    char codes[64][4]; /* child site codes */
    uint32_t n;        /* entries used */
} child_sites;

static int on_site(const wql_plan *plan, cim_instance **parts, int64_t count,
                   void *payload)
{
    child_sites *c = payload;
    const cim_value *v = cim_instance_get_by_name(parts[0], "SiteCode");
    (void)plan;
    (void)count;
    if (v && !v->is_null && c->n < 64) {
        snprintf(c->codes[c->n], sizeof(c->codes[0]), "%s", v->v.s);
        c->n++;
    }
    return 0;
}

int site_queue_resend(provider *p, const cim_instance *obj, uint32_t *queued,
                      smsprov_error *err)
{
    const cim_schema *s = provider_schema(p);
    const cim_class *job = cim_schema_class(s, "SMSPROV_ReplicationJob", 22);
    child_sites kids;
    char q[256];
    util_buf path = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
    int rc;
    *queued = 0;
    kids.n = 0;
    if (job == NULL)
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "schema lacks SMSPROV_ReplicationJob");
    /* the site code is three letters or digits: safe in the literal */
    snprintf(q, sizeof(q),
             "SELECT SiteCode FROM SMS_Site WHERE ReportingSiteCode = '%s' "
             "AND SiteCode <> '%s' ORDER BY SiteCode",
             provider_site_code(p), provider_site_code(p));
    rc = provider_query(p, q, strlen(q), on_site, &kids, err);
    if (rc == 0)
        rc = cim_path_format_rel(&path, obj);
    for (uint32_t i = 0; rc == 0 && i < kids.n; i++) {
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:s,s:s}", "ObjectPath", util_buf_cstr(&path),
            "ObjectClass", obj->cls->name, "SourceSite", provider_site_code(p),
            "TargetSite", kids.codes[i], "QueuedBy", provider_caller_user(p));
        char now[26];
        util_dmtf_format(util_now_us(), now);
        json_object_set_new(o, "QueuedTime", json_string(now));
        rc = provider_put_json(NULL, NULL, p, job, o, PROVIDER_INTERNAL, err);
        json_decref(o);
        if (rc == 0)
            (*queued)++;
    }
    util_buf_free(&path);
    return rc;
}

static int resend(provider *p, provider_method_call *call, smsprov_error *err)
{
    uint32_t n = 0;
    return site_queue_resend(p, call->target, &n, err);
}

int site_register_methods(provider *p, smsprov_error *err)
{
    const cim_schema *s = provider_schema(p);
    for (uint32_t i = 0; i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        const cim_method *m = cim_class_method(c, "ResendObjectToAllSites", 22);
        if (m == NULL || m->origin != c)
            continue; /* register where declared; subclasses inherit */
        int rc = provider_method_register(p, c->name, m->name, resend, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}
