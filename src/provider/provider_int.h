/* SPDX-License-Identifier: MIT */
/*
 * Private state of the provider layer.
 */
#ifndef SMSPROV_PROVIDER_INT_H
#define SMSPROV_PROVIDER_INT_H

#include "provider/provider.h"

struct provider {
    cim_schema *schema;               /* owned: the class registry */
    store *db;                        /* owned: the connection */
    char site[8];                     /* site code, e.g. "PS1" */
    char server[256];                 /* host name for __PATH / __SERVER */
    char ns[64];                      /* root\sms\site_<site> */
    const provider_caller *caller;    /* borrowed; NULL = local system */
    struct prov_method_impl *methods; /* registered method bodies */
    uint32_t nmethods;                /* entries in methods */
    uint32_t locale;                  /* caller's LCID, 1033 default */
    struct prov_qcache *qcache;       /* reusable plans/statements */
    struct prov_check *checks;        /* registered property checks */
    uint32_t nchecks;                 /* entries in checks */
};

/* validate.c: one registered property check. */
typedef struct prov_check {
    const cim_class *cls;
    const char *prop; /* the schema's spelling (lives with the schema) */
    provider_check_fn fn;
} prov_check;

#define PROV_MAX_CHECKS 32

/* rbac.c: SMSPROV_EACCESS (nothing done) when the current caller's roles do
 * not grant `perm` on `cls` (method names the method for EXECUTE). */
int prov_rbac_check(provider *p, const cim_class *cls, unsigned perm,
                    const char *method, smsprov_error *err);
/* rbac.c: the query engine's row filter for the current caller (READ
 * permission, security scopes of Secured classes); false when unfiltered. */
bool prov_rbac_row_filter(provider *p, wql_row_filter *out);
/* rbac.c: 0 when the caller may see inst, else SMSPROV_ENOTFOUND. */
int prov_rbac_visible(provider *p, const cim_instance *inst,
                      smsprov_error *err);

/* qcache.c: a hit hands out the cached plan and statement (busy until
 * released); put hands ownership of a, plan and st to the cache (true) and
 * marks them busy. */
int prov_qcache_take(provider *p, const char *text, size_t len, wql_plan **plan,
                     store_stmt **st);
bool prov_qcache_put(provider *p, const char *text, size_t len, util_arena *a,
                     wql_plan *plan, store_stmt *st);
void prov_qcache_release(provider *p, store_stmt *st);
void prov_qcache_free(provider *p);

/* method.c */
void prov_methods_free(provider *p);
/* validate.c */
void prov_checks_free(provider *p);

/* validate.c */
int prov_validate_write(provider *p, cim_instance *inst,
                        const cim_instance *old, const cim_instance *given,
                        provider_actor actor, smsprov_error *err);
int prov_fill_managed(provider *p, cim_instance *inst,
                      const cim_instance *given, bool create,
                      provider_actor actor, smsprov_error *err);
int prov_apply_defaults(cim_instance *inst, smsprov_error *err);
int prov_assign_keys(provider *p, cim_instance *inst, smsprov_error *err);
int prov_check_unique(provider *p, const cim_instance *inst,
                      smsprov_error *err);

/* instance.c */
/* cim_instance_set that reports out-of-memory in err. */
int prov_set(cim_instance *inst, uint32_t idx, const cim_value *v,
             smsprov_error *err);
/* Builds a key-only instance of cls (or a subclass) from a parsed path. */
int prov_keys_from_path(cim_instance **out, provider *p, const cim_path *path,
                        smsprov_error *err);
/* Parses text into a value of a key property's type. */
int prov_value_from_text(cim_value *out, util_arena *a,
                         const cim_property *prop, const char *text,
                         smsprov_error *err);

#endif
