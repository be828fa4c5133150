/* SPDX-License-Identifier: MIT */
/*
 * Callers and role-based access.  This first version knows one kind of
 * caller, the local system (full rights); administrative users, roles and
 * security scopes are added on top of the same entry points.
 */
#include <string.h>

#include "provider/provider_int.h"

struct provider_caller {
    char *user; /* logon name, owned */
};

int provider_caller_load(provider_caller **out, provider *p, const char *user,
                         smsprov_error *err)
{
    (void)p;
    *out = NULL;
    provider_caller *c = util_calloc(1, sizeof(*c));
    if (c == NULL || (c->user = util_strdup(user)) == NULL) {
        util_free(c);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    *out = c;
    return 0;
}

void provider_caller_free(provider_caller *c)
{
    if (c == NULL)
        return;
    util_free(c->user);
    util_free(c);
}

const char *provider_caller_name(const provider_caller *c)
{
    return c ? c->user : "SYSTEM";
}

void provider_set_caller(provider *p, const provider_caller *c)
{
    p->caller = c;
}

const provider_caller *provider_get_caller(const provider *p)
{
    return p->caller;
}

const char *provider_caller_user(const provider *p)
{
    return provider_caller_name(p->caller);
}

int prov_rbac_check(provider *p, const cim_class *cls, unsigned perm,
                    const char *method, smsprov_error *err)
{
    (void)p;
    (void)cls;
    (void)perm;
    (void)method;
    (void)err;
    return 0;
}
