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
