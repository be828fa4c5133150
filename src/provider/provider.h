/* SPDX-License-Identifier: MIT */
/*
 * provider: the SMS Provider semantics on top of the registry, the query
 * engine and the store: exec-query, get (with lazy properties), put
 * (create or modify, with qualifier enforcement and defaults), delete, and
 * the JSON form of instances used by the CLI and the HTTP layer.
 */
#ifndef SMSPROV_PROVIDER_H
#define SMSPROV_PROVIDER_H

#include <jansson.h>

#include "store/store.h"
#include "wql/plan.h"

typedef struct provider provider;

#define PROVIDER_DEFAULT_SITE "PS1"

/*
 * Opens (creating if needed) the database at `db` with the schema compiled
 * into the binary, applying its DDL.  Site code from $SMSPROV_SITE_CODE or
 * PROVIDER_DEFAULT_SITE; server name from the host name.
 */
int provider_open(provider **out, const char *db, smsprov_error *err);
void provider_close(provider *p);
const cim_schema *provider_schema(const provider *p);
store *provider_store(provider *p);
const char *provider_site_code(const provider *p);
const char *provider_server(const provider *p);
/* "root\\sms\\site_<code>" */
const char *provider_namespace(const provider *p);

/* Loads the schema compiled into the binary. */
int provider_load_schema(cim_schema **out, smsprov_error *err);

/* ---- queries --------------------------------------------------------------
 */

/*
 * Called once per result row.  `parts` has plan->nparts instances (a part
 * is NULL for the unmatched side of a LEFT JOIN); they and their memory are
 * borrowed for the call.  For COUNT queries parts is NULL and `count` holds
 * the result.  Non-zero stops the query and is returned.
 */
typedef int (*provider_row_fn)(const wql_plan *plan, cim_instance **parts,
                               int64_t count, void *payload);

/*
 * Runs a WQL query.  Lazy properties are never returned.  Errors are
 * positioned in `wql` (err->line/col filled in).
 */
int provider_query(provider *p, const char *wql, size_t len, provider_row_fn fn,
                   void *payload, smsprov_error *err);
/*
 * Runs a SELECT given as a syntax tree (the AdminService's OData queries
 * are translated to it); same rows and rules as provider_query.  Error
 * offsets are the node offsets of `sel`.
 */
int provider_query_select(provider *p, const wql_select *sel,
                          provider_row_fn fn, void *payload,
                          smsprov_error *err);
/* Compiles only: the plan of a query (memory from a), for its columns. */
int provider_plan(wql_plan **out, util_arena *a, provider *p, const char *wql,
                  size_t len, smsprov_error *err);
/* Compiles only and appends the plan (SQL and parameters) to out. */
int provider_explain(provider *p, const char *wql, size_t len, util_buf *out,
                     smsprov_error *err);

/* ---- instances ------------------------------------------------------------
 */

/*
 * Loads the instance named by an object path, lazy properties included.
 * A path may name a base class; its concrete subclasses are searched.
 */
int provider_get(cim_instance **out, provider *p, const char *path, size_t len,
                 smsprov_error *err);

/* Who is writing: clients may not set `read` properties or write to
 * classes qualified Read; the provider itself (imports, methods) may. */
typedef enum provider_actor {
    PROVIDER_CLIENT = 0,
    PROVIDER_INTERNAL = 1,
} provider_actor;

/*
 * Creates or modifies (the keys decide) an instance of `cls` from the JSON
 * object `props`, in one transaction.  On create, site-assigned keys and
 * defaults are filled in; on modify, the given properties replace the
 * stored ones.  Every qualifier is enforced; a rejected write changes
 * nothing and names the property.  *out (optional) receives the saved
 * instance; *created tells which happened.
 */
int provider_put_json(cim_instance **out, bool *created, provider *p,
                      const cim_class *cls, json_t *props, provider_actor actor,
                      smsprov_error *err);
/* Same with an instance already built (present properties are written). */
int provider_put(cim_instance **out, bool *created, provider *p,
                 const cim_instance *inst, provider_actor actor,
                 smsprov_error *err);
/* Deletes the instance named by an object path. */
int provider_delete(provider *p, const char *path, size_t len,
                    provider_actor actor, smsprov_error *err);

/* ---- callers and role-based access (rbac.c) ------------------------------ */

/*
 * Who is calling.  A provider handle serves one caller at a time (the HTTP
 * server keeps one handle per worker); with no caller set, the handle acts
 * as the local system with full rights (the CLI's default).
 */
typedef struct provider_caller provider_caller;

/* Permission bits of a role on a class (SMS_Role operations). */
enum provider_perm {
    PROVIDER_PERM_READ = 1 << 0,
    PROVIDER_PERM_MODIFY = 1 << 1,
    PROVIDER_PERM_DELETE = 1 << 2,
    PROVIDER_PERM_CREATE = 1 << 3,
    PROVIDER_PERM_EXECUTE = 1 << 4, /* methods */
};

/*
 * Loads the administrative user `user` (SMS_Admin LogonName, or a Kerberos
 * principal mapped to one) with its roles and scopes.  SMSPROV_EACCESS when
 * it is not an administrative user.
 */
int provider_caller_load(provider_caller **out, provider *p, const char *user,
                         smsprov_error *err);
void provider_caller_free(provider_caller *c);
const char *provider_caller_name(const provider_caller *c);
/* Sets (borrowed, NULL = local system) the caller of later operations. */
void provider_set_caller(provider *p, const provider_caller *c);
const provider_caller *provider_get_caller(const provider *p);
/* The caller's name for audit and EULASignoffUser ("SYSTEM" when none). */
const char *provider_caller_user(const provider *p);

/* The caller's locale (LCID, default 1033 en-US) for localized results
 * such as GetEULA; set from the CLI's --locale or HTTP Accept-Language. */
void provider_set_locale(provider *p, uint32_t lcid);
uint32_t provider_locale(const provider *p);

/* ---- methods (method.c) ----------------------------------------------------
 */

/* One method call as the body of a method sees it. */
typedef struct provider_method_call {
    const cim_class *cls;     /* class the method is called on */
    const cim_method *method; /* its declaration in the MOF */
    cim_instance *target;     /* the instance, NULL for a static call */
    const cim_instance *in;   /* [in] parameters (a __PARAMETERS object) */
    cim_instance *out;        /* [out] parameters to fill in */
} provider_method_call;

/*
 * A method body.  Runs inside the call's transaction; returns 0 (the
 * dispatcher reports ReturnValue 0) or a negative SMSPROV_E* with err set
 * (nothing the call wrote is kept).
 */
typedef int (*provider_method_fn)(provider *p, provider_method_call *call,
                                  smsprov_error *err);

/* Registers the body of a method declared in the MOF (class and method
 * names as declared).  SMSPROV_EINVALID_METHOD when the MOF lacks it. */
int provider_method_register(provider *p, const char *cls, const char *method,
                             provider_method_fn fn, smsprov_error *err);

/* Flags of provider_method_register_ex. */
enum provider_method_flag {
    /* The body runs outside the call's transaction and manages its own
     * (long jobs such as SyncNow that must record failures durably). */
    PROVIDER_METHOD_OWN_TX = 1 << 0,
};
int provider_method_register_ex(provider *p, const char *cls,
                                const char *method, provider_method_fn fn,
                                unsigned flags, smsprov_error *err);

/*
 * Calls METHOD on `target`, an object path (instance methods) or a class
 * name (static methods), with the JSON object `in` of [in] parameters (MOF
 * names, any case; integers may be given as strings; null or {} for none).
 * Parameters are checked against the declaration: unknown, missing or
 * ill-typed ones are SMSPROV_EINVALID_PARAMETER naming the parameter.  On
 * success *out is {"ReturnValue": 0, <[out] parameters>} (new reference).
 */
int provider_invoke(json_t **out, provider *p, const char *target,
                    size_t target_len, const char *method, json_t *in,
                    smsprov_error *err);

/* ---- property checks (validate.c) ------------------------------------------
 */

/*
 * A check of one property's value beyond its qualifiers (e.g. a string that
 * must be a schedule token).  Returns 0, or a negative SMSPROV_E* with err
 * set; the write is then refused and nothing changes.
 */
typedef int (*provider_check_fn)(const cim_value *v, smsprov_error *err);

/* Registers a check of property `prop` of class `cls` (and its
 * subclasses), run on every write that gives the property a value. */
int provider_check_register(provider *p, const char *cls, const char *prop,
                            provider_check_fn fn, smsprov_error *err);

/* ---- JSON ------------------------------------------------------------------
 */

/* Options for the JSON form of an instance. */
typedef struct provider_json_opts {
    bool system_props; /* add __CLASS, __RELPATH, __PATH */
    bool iso_dates;    /* ISO-8601 'Z' dates (OData) instead of DMTF */
} provider_json_opts;

/* JSON of one value (NULL -> json null).  New reference. */
json_t *provider_value_to_json(const cim_value *v, bool iso_dates);
/* JSON object of the present properties of an instance.  New reference. */
json_t *provider_instance_to_json(provider *p, const cim_instance *inst,
                                  const provider_json_opts *opts);
/*
 * Converts JSON `j` to a value of property `prop` (type-checked, ranges
 * enforced; numbers given as strings accepted for integer types).  Memory
 * from `a`.  Errors name the property.
 */
int provider_value_from_json(cim_value *out, util_arena *a,
                             const cim_property *prop, json_t *j,
                             smsprov_error *err);
/* Builds an instance of cls from a JSON object (unknown properties and
 * "__" members other than __CLASS are errors). */
int provider_instance_from_json(cim_instance **out, const cim_class *cls,
                                json_t *obj, smsprov_error *err);

#endif
