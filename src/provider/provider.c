/* SPDX-License-Identifier: MIT */
/*
 * Opening a provider: the built-in schema, the store with the schema's DDL
 * applied, and the site identity used in __PATH and __NAMESPACE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mof/mof.h"
#include "provider/provider_int.h"

struct mof_builtin_file {
    const char *name;
    const char *text;
    unsigned long len;
};
extern const struct mof_builtin_file mof_builtin_files[];

int provider_load_schema(cim_schema **out, smsprov_error *err)
{
    cim_schema *s = NULL;
    int rc = mof_schema_new(&s, err);
    for (int i = 0; rc == 0 && mof_builtin_files[i].name; i++)
        rc = mof_parse(s, mof_builtin_files[i].name, mof_builtin_files[i].text,
                       mof_builtin_files[i].len, err);
    if (rc == 0)
        rc = mof_schema_finalize(s, err);
    if (rc != 0) {
        cim_schema_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

static void set_site(provider *p)
{
    const char *site = getenv("SMSPROV_SITE_CODE");
    size_t n = site ? strlen(site) : 0;
    if (n != 3)
        site = PROVIDER_DEFAULT_SITE;
    snprintf(p->site, sizeof(p->site), "%s", site);
    if (gethostname(p->server, sizeof(p->server)) != 0 || !p->server[0])
        snprintf(p->server, sizeof(p->server), "localhost");
    p->server[sizeof(p->server) - 1] = '\0';
    snprintf(p->ns, sizeof(p->ns), "root\\sms\\site_%s", p->site);
}

int provider_open(provider **out, const char *db, smsprov_error *err)
{
    provider *p = util_calloc(1, sizeof(*p));
    int rc = 0;
    *out = NULL;
    if (p == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    set_site(p);
    p->locale = 1033;
    rc = provider_load_schema(&p->schema, err);
    if (rc == 0)
        rc = store_open(&p->db, db, err);
    if (rc == 0)
        rc = store_schema_apply(p->db, p->schema, err);
    if (rc != 0) {
        provider_close(p);
        return rc;
    }
    *out = p;
    return 0;
}

void provider_close(provider *p)
{
    if (p == NULL)
        return;
    prov_methods_free(p);
    prov_checks_free(p);
    prov_qcache_free(p);
    store_close(p->db);
    cim_schema_free(p->schema);
    util_free(p);
}

const cim_schema *provider_schema(const provider *p)
{
    return p->schema;
}

store *provider_store(provider *p)
{
    return p->db;
}

const char *provider_site_code(const provider *p)
{
    return p->site;
}

const char *provider_server(const provider *p)
{
    return p->server;
}

const char *provider_namespace(const provider *p)
{
    return p->ns;
}

void provider_set_locale(provider *p, uint32_t lcid)
{
    p->locale = lcid ? lcid : 1033;
}

uint32_t provider_locale(const provider *p)
{
    return p->locale;
}
