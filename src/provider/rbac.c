/* SPDX-License-Identifier: MIT */
/*
 * Callers and role-based access checks: SMS_Admin users whose Permissions
 * pair an SMS_Role with an SMS_SecuredCategory (security scope), role
 * operations checked on every write, read and method call, and scope
 * filtering of Secured classes (a row filter for the query engine, a check
 * for get).  Users, credentials and audit live in rbac_admin.c.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "provider/provider_int.h"
#include "provider/rbac.h"
#include "provider/rbac_int.h"

/*
 * ObjectTypeIDs smsprov knows for role operations beyond 0 (every class).
 * The SDK publishes no table; these follow the ConfigMgr console's ids.
 */
static const struct {
    const char *cls;
    uint32_t type;
} type_ids[] = {
    {"SMS_Collection", 1},
    {"SMS_Package", 2},
    {"SMS_Site", 6},
    {"SMS_SoftwareUpdate", 25},
    {"SMS_AuthorizationList", 25},
    {"SMS_SoftwareUpdatesPackage", 23},
    {"SMS_UpdatesAssignment", 25},
    {"SMS_UpdateGroupAssignment", 25},
    {"SMS_Admin", 28},
    {"SMS_Role", 28},
    {"SMS_SecuredCategory", 29},
    {"SMS_SecuredCategoryMembership", 29},
};

/* ObjectTypeID of a class or one of its bases, 0 when unknown. */
static uint32_t class_type_id(const cim_class *cls)
{
    for (const cim_class *c = cls; c; c = c->parent)
        for (size_t i = 0; i < sizeof(type_ids) / sizeof(type_ids[0]); i++)
            if (util_stricmp(type_ids[i].cls, c->name) == 0)
                return type_ids[i].type;
    return 0;
}

/* Permission bits the caller holds on cls. */
static unsigned caller_ops(const provider_caller *c, const cim_class *cls)
{
    uint32_t t = class_type_id(cls);
    unsigned ops = 0;
    for (uint32_t i = 0; i < c->nops; i++)
        if (c->ops[i].type == 0 || (t != 0 && c->ops[i].type == t))
            ops |= c->ops[i].ops;
    return ops;
}

int rbac_nomem(smsprov_error *err)
{
    return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
}

/* ---- small SQL helpers ---------------------------------------------------
 */

/* Runs sql with text parameters (NULL = SQL NULL); calls row(st, arg) for
 * each row when given.  Returns 0 or a negative code. */
int rbac_sql_run(provider *p, const char *sql, const char *const *args,
                 int nargs, int (*row)(store_stmt *, void *), void *arg,
                 smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = store_prepare(&st, p->db, sql, err);
    for (int i = 0; rc == 0 && i < nargs; i++)
        rc = args[i] ? store_bind_text(st, i + 1, args[i], strlen(args[i]))
                     : store_bind_null(st, i + 1);
    while (rc == 0 && (rc = store_step(st, err)) == 1)
        rc = row ? row(st, arg) : 0;
    store_stmt_free(st);
    return rc < 0 ? rc : 0;
}

/* Row callback: first column as int64 into *(int64_t *)arg. */
int rbac_row_int(store_stmt *st, void *arg)
{
    *(int64_t *)arg = store_column_int64(st, 0);
    return 0;
}

/* Row callback: first column as a text copy into *(char **)arg. */
int rbac_row_text(store_stmt *st, void *arg)
{
    char **out = arg;
    size_t n = 0;
    const char *s = store_column_text(st, 0, &n);
    if (*out == NULL && s)
        *out = util_strndup(s, n);
    return 0;
}

void rbac_hex(char *out, const unsigned char *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* SHA-256 of s as 64 hex digits. */
int rbac_sha256_hex(char out[65], const char *s)
{
    unsigned char md[32];
    unsigned int n = 0;
    if (EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL) != 1 || n != 32)
        return SMSPROV_EINTERNAL;
    rbac_hex(out, md, 32);
    return 0;
}

/* ---- callers ---------------------------------------------------------------
 */

/* AdminID of the user with this LogonName (case-insensitive), or -1. */
int rbac_admin_id_of(int64_t *id, provider *p, const char *user,
                     smsprov_error *err)
{
    const char *args[1] = {user};
    *id = -1;
    return rbac_sql_run(p,
                        "SELECT \"AdminID\" FROM \"SMS_Admin\" WHERE "
                        "lower(\"LogonName\") = lower(?)",
                        args, 1, rbac_row_int, id, err);
}

/* Loads SMS_<cls>.<key>="<val>" with the caller cleared (lazy included). */
int rbac_get_internal(cim_instance **out, provider *p, const char *path,
                      smsprov_error *err)
{
    const provider_caller *saved = p->caller;
    p->caller = NULL;
    int rc = provider_get(out, p, path, strlen(path), err);
    p->caller = saved;
    return rc;
}

/* Adds the operations of role `role_id` to the caller. */
static int load_role(provider_caller *c, provider *p, const char *role_id,
                     smsprov_error *err)
{
    char path[160];
    cim_instance *role = NULL;
    smsprov_error e = SMSPROV_ERROR_INIT;
    snprintf(path, sizeof(path), "SMS_Role.RoleID=\"%s\"", role_id);
    int rc = rbac_get_internal(&role, p, path, &e);
    if (rc == SMSPROV_ENOTFOUND)
        return 0; /* a dangling role grants nothing */
    if (rc != 0) {
        *err = e;
        return rc;
    }
    const cim_value *ops = cim_instance_get_by_name(role, "Operations");
    for (uint32_t i = 0; ops && ops->is_array && !ops->is_null &&
                         i < ops->count && c->nops < RBAC_MAX_OPS;
         i++) {
        const cim_instance *o = ops->v.items[i].v.obj;
        if (ops->v.items[i].is_null || o == NULL)
            continue;
        c->ops[c->nops].type = (uint32_t)cim_instance_int(o, "ObjectTypeID", 0);
        c->ops[c->nops].ops =
            (unsigned)cim_instance_int(o, "GrantedOperations", 0);
        c->nops++;
    }
    cim_instance_free(role);
    return 0;
}

static int add_scope(provider_caller *c, const char *id)
{
    if (id == NULL)
        return 0;
    if (util_stricmp(id, RBAC_SCOPE_ALL) == 0)
        c->all_scopes = true;
    for (uint32_t i = 0; i < c->nscopes; i++)
        if (util_stricmp(c->scopes[i], id) == 0)
            return 0;
    if (c->nscopes == RBAC_MAX_PERMS)
        return 0;
    c->scopes[c->nscopes] = util_strdup(id);
    return c->scopes[c->nscopes++] ? 0 : SMSPROV_ENOMEM;
}

int provider_caller_load(provider_caller **out, provider *p, const char *user,
                         smsprov_error *err)
{
    provider_caller *c = NULL;
    cim_instance *adm = NULL;
    int64_t id = -1;
    char path[64];
    int rc;
    *out = NULL;
    rc = rbac_admin_id_of(&id, p, user, err);
    if (rc != 0)
        return rc;
    if (id < 0)
        return util_error_set(err, SMSPROV_EACCESS, -1,
                              "'%s' is not an administrative user", user);
    c = util_calloc(1, sizeof(*c));
    if (c == NULL || (c->user = util_strdup(user)) == NULL) {
        util_free(c);
        return rbac_nomem(err);
    }
    c->admin_id = id;
    snprintf(path, sizeof(path), "SMS_Admin.AdminID=%lld", (long long)id);
    rc = rbac_get_internal(&adm, p, path, err);
    const cim_value *perms =
        rc == 0 ? cim_instance_get_by_name(adm, "Permissions") : NULL;
    for (uint32_t i = 0; rc == 0 && perms && perms->is_array &&
                         !perms->is_null && i < perms->count;
         i++) {
        const cim_instance *pm = perms->v.items[i].v.obj;
        if (perms->v.items[i].is_null || pm == NULL)
            continue;
        const cim_value *role = cim_instance_get_by_name(pm, "RoleID");
        const cim_value *cat = cim_instance_get_by_name(pm, "CategoryID");
        if (role && !role->is_null)
            rc = load_role(c, p, role->v.s, err);
        if (rc == 0 && cat && !cat->is_null)
            rc = add_scope(c, cat->v.s) ? rbac_nomem(err) : 0;
    }
    cim_instance_free(adm);
    if (rc != 0) {
        provider_caller_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void provider_caller_free(provider_caller *c)
{
    if (c == NULL)
        return;
    for (uint32_t i = 0; i < c->nscopes; i++)
        util_free(c->scopes[i]);
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

static const char *perm_name(unsigned perm)
{
    switch (perm) {
    case PROVIDER_PERM_READ:
        return "Read";
    case PROVIDER_PERM_MODIFY:
        return "Modify";
    case PROVIDER_PERM_DELETE:
        return "Delete";
    case PROVIDER_PERM_CREATE:
        return "Create";
    default:
        return "Execute";
    }
}

int prov_rbac_check(provider *p, const cim_class *cls, unsigned perm,
                    const char *method, smsprov_error *err)
{
    const provider_caller *c = p->caller;
    if (c == NULL || cls == NULL)
        return 0;
    if ((caller_ops(c, cls) & perm) == perm)
        return 0;
    util_error_object(err, cls->name);
    return util_error_set(err, SMSPROV_EACCESS, -1,
                          "access denied: the roles of '%s' do not grant %s "
                          "on %s%s%s",
                          c->user, perm_name(perm), cls->name,
                          method ? "." : "", method ? method : "");
}

/* ---- security scopes -------------------------------------------------------
 */

/* Appends the SQL text of the object key of a row of cls at alias. */
static void key_expr(util_buf *sql, const cim_class *cls, const char *alias)
{
    for (uint32_t k = 0; k < cls->nkeys; k++) {
        if (k > 0)
            util_buf_puts(sql, " || ';' || ");
        util_buf_printf(sql, "CAST(%s.\"%s\" AS TEXT)", alias,
                        cls->props[cls->keys[k]].name);
    }
}

static bool caller_has_scope(const provider_caller *c, const char *id)
{
    for (uint32_t i = 0; i < c->nscopes; i++)
        if (util_stricmp(c->scopes[i], id) == 0)
            return true;
    return false;
}

/* The wql_row_filter body: READ permission and security scopes. */
static int row_filter(void *ctx, const cim_class *cls, const char *alias,
                      util_buf *sql, util_arena *a, cim_value **params,
                      uint32_t *nparams, smsprov_error *err)
{
    provider *p = ctx;
    const provider_caller *c = p->caller;
    (void)err;
    *nparams = 0;
    if (c == NULL)
        return 0;
    if (!(caller_ops(c, cls) & PROVIDER_PERM_READ))
        return util_buf_puts(sql, "1 = 0") ? SMSPROV_ENOMEM : 0;
    if (!(cls->flags & CIM_C_SECURED) || c->all_scopes || cls->nkeys == 0)
        return 0;
    if (c->nscopes == 0)
        return util_buf_puts(sql, "1 = 0") ? SMSPROV_ENOMEM : 0;
    *params = util_arena_alloc(a, sizeof(cim_value) * c->nscopes);
    if (*params == NULL)
        return rbac_nomem(err);
    key_expr(sql, cls, alias);
    util_buf_puts(sql, " IN (SELECT \"ObjectKey\" FROM "
                       "\"SMS_SecuredCategoryMembership\" WHERE "
                       "\"CategoryID\" IN (");
    for (uint32_t i = 0; i < c->nscopes; i++) {
        util_buf_puts(sql, i ? ", ?" : "?");
        (*params)[i] = cim_value_str(CIM_STRING, c->scopes[i]);
    }
    *nparams = c->nscopes;
    util_buf_puts(sql, "))");
    if (caller_has_scope(c, RBAC_SCOPE_DEFAULT)) {
        /* objects with no scope are in the Default scope */
        util_buf_puts(sql, " OR NOT EXISTS (SELECT 1 FROM "
                           "\"SMS_SecuredCategoryMembership\" AS sm WHERE "
                           "sm.\"ObjectKey\" = ");
        key_expr(sql, cls, alias);
        util_buf_putc(sql, ')');
    }
    return 0;
}

bool prov_rbac_row_filter(provider *p, wql_row_filter *out)
{
    if (p->caller == NULL)
        return false;
    out->fn = row_filter;
    out->ctx = p;
    return true;
}

/* Row callback: is the CategoryID in the caller's scopes? */
typedef struct vis_ctx {
    const provider_caller *c; /* caller */
    bool any;                 /* the object has a scope */
    bool match;               /* one of them is the caller's */
} vis_ctx;

static int row_scope(store_stmt *st, void *arg)
{
    vis_ctx *v = arg;
    size_t n = 0;
    const char *s = store_column_text(st, 0, &n);
    v->any = true;
    if (s && !v->match) {
        char id[64];
        snprintf(id, sizeof(id), "%.*s", (int)(n < 63 ? n : 63), s);
        v->match = caller_has_scope(v->c, id);
    }
    return 0;
}

int prov_rbac_visible(provider *p, const cim_instance *inst, smsprov_error *err)
{
    const provider_caller *c = p->caller;
    const cim_class *cls = inst->cls;
    util_buf key = UTIL_BUF_INIT(CIM_PATH_MAX);
    vis_ctx v = {c, false, false};
    int rc = 0;
    if (c == NULL)
        return 0;
    if (!(caller_ops(c, cls) & PROVIDER_PERM_READ))
        return util_error_set(err, SMSPROV_ENOTFOUND, -1, "no instance");
    if (!(cls->flags & CIM_C_SECURED) || c->all_scopes || cls->nkeys == 0)
        return 0;
    for (uint32_t k = 0; k < cls->nkeys; k++) {
        const cim_value *kv = cim_instance_get(inst, cls->keys[k]);
        if (k > 0)
            util_buf_putc(&key, ';');
        if (kv)
            cim_value_to_text(&key, kv);
    }
    const char *args[1] = {util_buf_cstr(&key)};
    rc = rbac_sql_run(
        p,
        "SELECT \"CategoryID\" FROM \"SMS_SecuredCategoryMembership\" "
        "WHERE \"ObjectKey\" = ?",
        args, 1, row_scope, &v, err);
    util_buf_free(&key);
    if (rc != 0)
        return rc;
    if (v.match || (!v.any && caller_has_scope(c, RBAC_SCOPE_DEFAULT)))
        return 0;
    return util_error_set(err, SMSPROV_ENOTFOUND, -1, "no instance");
}
