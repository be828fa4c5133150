/* SPDX-License-Identifier: MIT */
/*
 * Role-based administration data: the built-in roles and scopes,
 * administrative users and their credentials (salted PBKDF2 passwords,
 * bearer tokens, Kerberos principals), and the SMSPROV_AuditRecord trail.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "provider/rbac.h"
#include "provider/rbac_int.h"

/* ---- built-ins, users, credentials ----------------------------------------
 */

/* Writes an instance of class `cls` from JSON as the provider itself
 * (create tells whether it is new: then CreatedDate is set). */
static int put_internal(cim_instance **out, provider *p, const char *cls,
                        json_t *props, bool create, smsprov_error *err)
{
    const cim_class *c = cim_schema_class(p->schema, cls, strlen(cls));
    const provider_caller *saved = p->caller;
    if (c == NULL) {
        json_decref(props);
        return util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                              "class %s missing from the schema", cls);
    }
    /* the RBAC classes' managed dates (not_null, read) */
    char now[40];
    util_iso8601_format(util_now_us(), now);
    if (cim_class_property(c, "LastModifiedDate", 16))
        json_object_set_new(props, "LastModifiedDate", json_string(now));
    if (cim_class_property(c, "CreatedDate", 11) &&
        json_object_get(props, "CreatedDate") == NULL && create)
        json_object_set_new(props, "CreatedDate", json_string(now));
    p->caller = NULL;
    int rc = provider_put_json(out, NULL, p, c, props, PROVIDER_INTERNAL, err);
    p->caller = saved;
    json_decref(props);
    return rc;
}

static bool exists(provider *p, const char *path)
{
    cim_instance *i = NULL;
    smsprov_error e = SMSPROV_ERROR_INIT;
    int rc = rbac_get_internal(&i, p, path, &e);
    cim_instance_free(i);
    return rc == 0;
}

static int builtin_role(provider *p, const char *id, const char *name,
                        const char *desc, unsigned ops, smsprov_error *err)
{
    char path[64];
    snprintf(path, sizeof(path), "SMS_Role.RoleID=\"%s\"", id);
    if (exists(p, path))
        return 0;
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:b,s:[{s:i,s:i}]}", "RoleID", id, "RoleName",
                  name, "RoleDescription", desc, "IsBuiltIn", 1, "Operations",
                  "ObjectTypeID", 0, "GrantedOperations", (int)ops);
    return o ? put_internal(NULL, p, "SMS_Role", o, true, err)
             : rbac_nomem(err);
}

static int builtin_scope(provider *p, const char *id, const char *name,
                         const char *desc, smsprov_error *err)
{
    char path[80];
    snprintf(path, sizeof(path), "SMS_SecuredCategory.CategoryID=\"%s\"", id);
    if (exists(p, path))
        return 0;
    json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "CategoryID", id, "CategoryName",
                          name, "CategoryDescription", desc, "IsBuiltIn", 1);
    return o ? put_internal(NULL, p, "SMS_SecuredCategory", o, true, err)
             : rbac_nomem(err);
}

int provider_rbac_init(provider *p, smsprov_error *err)
{
    unsigned all = PROVIDER_PERM_READ | PROVIDER_PERM_MODIFY |
                   PROVIDER_PERM_DELETE | PROVIDER_PERM_CREATE |
                   PROVIDER_PERM_EXECUTE;
    int rc = store_exec(p->db,
                        "CREATE TABLE IF NOT EXISTS " RBAC_CRED_TABLE
                        " (admin_id INTEGER NOT NULL, kind TEXT NOT NULL, "
                        "value TEXT NOT NULL, PRIMARY KEY (kind, value))",
                        err);
    if (rc == 0)
        rc = builtin_role(p, RBAC_ROLE_FULL_ADMIN, "Full Administrator",
                          "Grants all permissions.", all, err);
    if (rc == 0)
        rc = builtin_role(p, RBAC_ROLE_READ_ONLY, "Read-only Analyst",
                          "Grants permissions to view all objects.",
                          PROVIDER_PERM_READ, err);
    if (rc == 0)
        rc = builtin_scope(p, RBAC_SCOPE_ALL, "All",
                           "Every object, present and future.", err);
    if (rc == 0)
        rc = builtin_scope(p, RBAC_SCOPE_DEFAULT, "Default",
                           "Objects with no other scope.", err);
    return rc;
}

int provider_scope_add(char **id, provider *p, const char *name,
                       const char *desc, smsprov_error *err)
{
    cim_instance *saved = NULL;
    *id = NULL;
    int rc = provider_rbac_init(p, err);
    if (rc != 0)
        return rc;
    json_t *o =
        json_pack("{s:s,s:s,s:b}", "CategoryName", name, "CategoryDescription",
                  desc ? desc : "", "IsBuiltIn", 0);
    rc = o ? put_internal(&saved, p, "SMS_SecuredCategory", o, true, err)
           : rbac_nomem(err);
    if (rc == 0) {
        const cim_value *v = cim_instance_get_by_name(saved, "CategoryID");
        *id = v && !v->is_null ? util_strdup(v->v.s) : NULL;
        if (*id == NULL)
            rc = rbac_nomem(err);
    }
    cim_instance_free(saved);
    return rc;
}

/* Finds an id by id or name (case-insensitive) in table cls. */
static int lookup_id(char **id, char **name, provider *p, const char *cls,
                     const char *idcol, const char *namecol, const char *what,
                     smsprov_error *err)
{
    char sql[256];
    const char *args[2] = {what, what};
    *id = NULL;
    snprintf(sql, sizeof(sql),
             "SELECT \"%s\" FROM \"%s\" WHERE lower(\"%s\") = lower(?) OR "
             "lower(\"%s\") = lower(?)",
             idcol, cls, idcol, namecol);
    int rc = rbac_sql_run(p, sql, args, 2, rbac_row_text, id, err);
    if (rc == 0 && *id == NULL)
        return util_error_set(
            err, SMSPROV_ENOTFOUND, -1, "no %s named '%s'",
            strcmp(cls, "SMS_Role") ? "security scope" : "role", what);
    if (rc == 0) {
        const char *a1[1] = {*id};
        snprintf(sql, sizeof(sql), "SELECT \"%s\" FROM \"%s\" WHERE \"%s\" = ?",
                 namecol, cls, idcol);
        *name = NULL;
        rc = rbac_sql_run(p, sql, a1, 1, rbac_row_text, name, err);
    }
    return rc;
}

/* Salted PBKDF2-HMAC-SHA256: "pbkdf2-sha256$iter$salt$hash" (hex). */
static int hash_password(char *out, size_t outsz, const char *pw,
                         const unsigned char *salt, int iter)
{
    unsigned char dk[RBAC_HASH_BYTES];
    char s[2 * RBAC_SALT_BYTES + 1], h[2 * RBAC_HASH_BYTES + 1];
    if (PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, RBAC_SALT_BYTES, iter,
                          EVP_sha256(), RBAC_HASH_BYTES, dk) != 1)
        return SMSPROV_EINTERNAL;
    rbac_hex(s, salt, RBAC_SALT_BYTES);
    rbac_hex(h, dk, RBAC_HASH_BYTES);
    snprintf(out, outsz, "pbkdf2-sha256$%d$%s$%s", iter, s, h);
    return 0;
}

static int cred_set(provider *p, int64_t id, const char *kind,
                    const char *value, bool replace, smsprov_error *err)
{
    char ids[24];
    snprintf(ids, sizeof(ids), "%lld", (long long)id);
    const char *del[2] = {ids, kind};
    const char *ins[3] = {ids, kind, value};
    int rc = 0;
    if (replace)
        rc = rbac_sql_run(p,
                          "DELETE FROM " RBAC_CRED_TABLE
                          " WHERE admin_id = CAST(? AS INTEGER) AND kind = ?",
                          del, 2, NULL, NULL, err);
    if (rc == 0)
        rc = rbac_sql_run(
            p,
            "INSERT INTO " RBAC_CRED_TABLE
            " (admin_id, kind, value) VALUES (CAST(? AS INTEGER), ?, "
            "?)",
            ins, 3, NULL, NULL, err);
    return rc;
}

int provider_admin_add(provider *p, const char *user, const char *role,
                       const char *const *scopes, size_t nscopes,
                       const char *password, const char *principal,
                       smsprov_error *err)
{
    char *role_id = NULL, *role_name = NULL;
    json_t *perms = json_array(), *catn = json_array(), *cats = json_array();
    cim_instance *saved = NULL;
    int64_t id = -1;
    int rc = provider_rbac_init(p, err);
    if (rc == 0 &&
        (user == NULL || user[0] == '\0' || strlen(user) > RBAC_MAX_NAME))
        rc = util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                            "a user name of 1 to %d bytes is needed",
                            RBAC_MAX_NAME);
    if (rc == 0)
        rc = lookup_id(&role_id, &role_name, p, "SMS_Role", "RoleID",
                       "RoleName", role, err);
    static const char *const def_scope[1] = {RBAC_SCOPE_DEFAULT};
    if (nscopes == 0) {
        scopes = def_scope;
        nscopes = 1;
    }
    for (size_t i = 0; rc == 0 && i < nscopes; i++) {
        char *cid = NULL, *cname = NULL;
        rc = lookup_id(&cid, &cname, p, "SMS_SecuredCategory", "CategoryID",
                       "CategoryName", scopes[i], err);
        if (rc == 0) {
            json_array_append_new(
                perms, json_pack("{s:s,s:s,s:i,s:s,s:s}", "CategoryID", cid,
                                 "CategoryName", cname ? cname : "",
                                 "CategoryTypeID", 29, "RoleID", role_id,
                                 "RoleName", role_name ? role_name : ""));
            json_array_append_new(cats, json_string(cid));
            json_array_append_new(catn, json_string(cname ? cname : ""));
        }
        util_free(cid);
        util_free(cname);
    }
    if (rc == 0)
        rc = rbac_admin_id_of(&id, p, user, err);
    if (rc == 0) {
        char sid[RBAC_MAX_NAME + 16];
        snprintf(sid, sizeof(sid), "SMSPROV-%s", user);
        json_t *o = json_pack(
            "{s:s,s:s,s:s,s:i,s:b,s:b,s:O,s:O,s:O,s:[s],s:[s],s:s}",
            "LogonName", user, "DisplayName", user, "AdminSid", sid,
            "AccountType", 0, "IsGroup", 0, "IsDeleted", 0, "Permissions",
            perms, "Categories", cats, "CategoryNames", catn, "Roles", role_id,
            "RoleNames", role_name ? role_name : "", "SourceSite", p->site);
        if (o && id >= 0)
            json_object_set_new(o, "AdminID", json_integer(id));
        rc = o ? put_internal(&saved, p, "SMS_Admin", o, id < 0, err)
               : rbac_nomem(err);
    }
    if (rc == 0) {
        const cim_value *v = cim_instance_get_by_name(saved, "AdminID");
        id = v ? v->v.i : -1;
    }
    if (rc == 0 && password) {
        unsigned char salt[RBAC_SALT_BYTES];
        char h[256];
        if (RAND_bytes(salt, sizeof(salt)) != 1 ||
            hash_password(h, sizeof(h), password, salt, RBAC_PBKDF2_ITER))
            rc = util_error_set(err, SMSPROV_EINTERNAL, -1, "cannot hash");
        else
            rc = cred_set(p, id, "password", h, true, err);
    }
    if (rc == 0 && principal) {
        char low[RBAC_MAX_NAME + 1];
        size_t n = strlen(principal);
        if (n > RBAC_MAX_NAME)
            n = RBAC_MAX_NAME;
        for (size_t i = 0; i < n; i++)
            low[i] = (char)(principal[i] >= 'A' && principal[i] <= 'Z'
                                ? principal[i] + 32
                                : principal[i]);
        low[n] = '\0';
        rc = cred_set(p, id, "principal", low, true, err);
    }
    cim_instance_free(saved);
    json_decref(perms);
    json_decref(cats);
    json_decref(catn);
    util_free(role_id);
    util_free(role_name);
    return rc;
}

/* The AdminID of an existing administrative user; SMSPROV_ENOTFOUND when
 * there is none (the built-ins are created first). */
static int existing_admin(int64_t *id, provider *p, const char *user,
                          smsprov_error *err)
{
    int rc = provider_rbac_init(p, err);
    if (rc == 0)
        rc = rbac_admin_id_of(id, p, user, err);
    if (rc == 0 && *id < 0)
        rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                            "no administrative user '%s'", user);
    return rc;
}

int provider_admin_remove(provider *p, const char *user, smsprov_error *err)
{
    int64_t id = -1;
    char path[64], ids[24];
    int rc = existing_admin(&id, p, user, err);
    if (rc != 0)
        return rc;
    snprintf(path, sizeof(path), "SMS_Admin.AdminID=%lld", (long long)id);
    snprintf(ids, sizeof(ids), "%lld", (long long)id);
    const provider_caller *saved = p->caller;
    p->caller = NULL;
    rc = provider_delete(p, path, strlen(path), PROVIDER_INTERNAL, err);
    p->caller = saved;
    const char *args[1] = {ids};
    if (rc == 0)
        rc = rbac_sql_run(p,
                          "DELETE FROM " RBAC_CRED_TABLE
                          " WHERE admin_id = CAST(? AS INTEGER)",
                          args, 1, NULL, NULL, err);
    return rc;
}

/* Row callback for admin list: one user. */
static int row_admin(store_stmt *st, void *arg)
{
    json_t *arr = arg;
    size_t n = 0;
    const char *name = store_column_text(st, 1, &n);
    json_t *o = json_object();
    json_object_set_new(o, "AdminID", json_integer(store_column_int64(st, 0)));
    json_object_set_new(o, "LogonName", json_stringn(name ? name : "", n));
    json_array_append_new(arr, o);
    return 0;
}

/* Row callback: count and collect credential kinds. */
static int row_cred(store_stmt *st, void *arg)
{
    json_t *o = arg;
    size_t n = 0, m = 0;
    const char *kind = store_column_text(st, 0, &n);
    const char *val = store_column_text(st, 1, &m);
    if (kind && n == 9 && memcmp(kind, "principal", 9) == 0)
        json_object_set_new(o, "Principal", json_stringn(val ? val : "", m));
    else if (kind && n == 8 && memcmp(kind, "password", 8) == 0)
        json_object_set_new(o, "Password", json_true());
    else if (kind && n == 5 && memcmp(kind, "token", 5) == 0)
        json_object_set_new(
            o, "Tokens",
            json_integer(json_integer_value(json_object_get(o, "Tokens")) + 1));
    return 0;
}

int provider_admin_list(json_t **out, provider *p, smsprov_error *err)
{
    json_t *arr = json_array();
    int rc = provider_rbac_init(p, err);
    *out = NULL;
    if (rc == 0)
        rc =
            rbac_sql_run(p,
                         "SELECT \"AdminID\", \"LogonName\" FROM \"SMS_Admin\" "
                         "ORDER BY \"AdminID\"",
                         NULL, 0, row_admin, arr, err);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        char path[64], ids[24];
        cim_instance *adm = NULL;
        json_int_t id = json_integer_value(json_object_get(o, "AdminID"));
        if (rc != 0)
            break;
        snprintf(path, sizeof(path), "SMS_Admin.AdminID=%lld", (long long)id);
        snprintf(ids, sizeof(ids), "%lld", (long long)id);
        rc = rbac_get_internal(&adm, p, path, err);
        if (rc != 0)
            break;
        const cim_value *rn = cim_instance_get_by_name(adm, "RoleNames");
        const cim_value *cn = cim_instance_get_by_name(adm, "CategoryNames");
        json_object_set_new(
            o, "Roles", rn ? provider_value_to_json(rn, true) : json_null());
        json_object_set_new(
            o, "Scopes", cn ? provider_value_to_json(cn, true) : json_null());
        json_object_set_new(o, "Password", json_false());
        json_object_set_new(o, "Tokens", json_integer(0));
        cim_instance_free(adm);
        const char *args[1] = {ids};
        rc = rbac_sql_run(p,
                          "SELECT kind, value FROM " RBAC_CRED_TABLE
                          " WHERE admin_id = CAST(? AS INTEGER) ORDER BY kind",
                          args, 1, row_cred, o, err);
    }
    if (rc != 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

int provider_admin_token(char **token, provider *p, const char *user,
                         smsprov_error *err)
{
    unsigned char raw[RBAC_TOKEN_BYTES];
    char t[2 * RBAC_TOKEN_BYTES + 1], h[65];
    int64_t id = -1;
    *token = NULL;
    int rc = existing_admin(&id, p, user, err);
    if (rc != 0)
        return rc;
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return util_error_set(err, SMSPROV_EINTERNAL, -1, "no randomness");
    rbac_hex(t, raw, sizeof(raw));
    if (rbac_sha256_hex(h, t) != 0)
        return util_error_set(err, SMSPROV_EINTERNAL, -1, "cannot hash");
    rc = cred_set(p, id, "token", h, false, err);
    if (rc == 0 && (*token = util_strdup(t)) == NULL)
        rc = rbac_nomem(err);
    return rc;
}

static int denied(smsprov_error *err)
{
    return util_error_set(err, SMSPROV_EACCESS, -1, "authentication failed");
}

/* LogonName of the admin with credential (kind, value), or EACCESS. */
static int user_of_cred(char **user, provider *p, const char *kind,
                        const char *value, smsprov_error *err)
{
    const char *args[2] = {kind, value};
    int64_t id = -1;
    char ids[24];
    int rc = rbac_sql_run(p,
                          "SELECT admin_id FROM " RBAC_CRED_TABLE
                          " WHERE kind = ? AND value = ?",
                          args, 2, rbac_row_int, &id, err);
    if (rc != 0)
        return rc;
    if (id < 0)
        return denied(err);
    snprintf(ids, sizeof(ids), "%lld", (long long)id);
    const char *a1[1] = {ids};
    rc = rbac_sql_run(
        p,
        "SELECT \"LogonName\" FROM \"SMS_Admin\" WHERE \"AdminID\" = "
        "CAST(? AS INTEGER)",
        a1, 1, rbac_row_text, user, err);
    if (rc == 0 && *user == NULL)
        return denied(err);
    return rc;
}

int provider_auth_password(char **user, provider *p, const char *name,
                           const char *password, smsprov_error *err)
{
    int64_t id = -1;
    char ids[24], *stored = NULL;
    *user = NULL;
    int rc = rbac_admin_id_of(&id, p, name, err);
    if (rc != 0)
        return rc;
    if (id < 0)
        return denied(err);
    snprintf(ids, sizeof(ids), "%lld", (long long)id);
    const char *args[1] = {ids};
    rc = rbac_sql_run(
        p,
        "SELECT value FROM " RBAC_CRED_TABLE
        " WHERE admin_id = CAST(? AS INTEGER) AND kind = 'password'",
        args, 1, rbac_row_text, &stored, err);
    if (rc != 0 || stored == NULL) {
        util_free(stored);
        return rc ? rc : denied(err);
    }
    /* pbkdf2-sha256$iter$salt$hash */
    unsigned char salt[RBAC_SALT_BYTES];
    char *d1 = strchr(stored, '$');
    char *d2 = d1 ? strchr(d1 + 1, '$') : NULL;
    char *d3 = d2 ? strchr(d2 + 1, '$') : NULL;
    int64_t iter = 0;
    bool ok =
        d3 && d3 - d2 - 1 == 2 * RBAC_SALT_BYTES &&
        util_parse_i64(d1 + 1, (size_t)(d2 - d1 - 1), 1, 10000000, &iter) == 0;
    for (int i = 0; ok && i < RBAC_SALT_BYTES; i++) {
        int64_t b = 0;
        char two[3] = {d2[1 + 2 * i], d2[2 + 2 * i], 0};
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char ch = two[k];
            v = v * 16 + (unsigned)(ch >= 'a' ? ch - 'a' + 10 : ch - '0');
        }
        b = v;
        salt[i] = (unsigned char)b;
    }
    char h[256];
    if (ok)
        ok = hash_password(h, sizeof(h), password, salt, (int)iter) == 0 &&
             strlen(h) == strlen(stored) &&
             CRYPTO_memcmp(h, stored, strlen(h)) == 0;
    util_free(stored);
    if (!ok)
        return denied(err);
    *user = util_strdup(name);
    return *user ? 0 : rbac_nomem(err);
}

int provider_auth_token(char **user, provider *p, const char *token,
                        smsprov_error *err)
{
    char h[65];
    *user = NULL;
    if (strlen(token) > RBAC_MAX_NAME || rbac_sha256_hex(h, token) != 0)
        return denied(err);
    return user_of_cred(user, p, "token", h, err);
}

int provider_auth_principal(char **user, provider *p, const char *principal,
                            smsprov_error *err)
{
    char low[RBAC_MAX_NAME + 1];
    size_t n = strlen(principal);
    int64_t id = -1;
    *user = NULL;
    if (n > RBAC_MAX_NAME)
        return denied(err);
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(principal[i] >= 'A' && principal[i] <= 'Z'
                            ? principal[i] + 32
                            : principal[i]);
    int rc = user_of_cred(user, p, "principal", low, err);
    if (rc != SMSPROV_EACCESS)
        return rc;
    /* a LogonName spelled as the principal itself */
    util_error_clear(err);
    rc = rbac_admin_id_of(&id, p, principal, err);
    if (rc != 0)
        return rc;
    if (id < 0)
        return denied(err);
    *user = util_strdup(principal);
    return *user ? 0 : rbac_nomem(err);
}

/* ---- audit -------------------------------------------------------------- */

void provider_audit(provider *p, const char *op, const char *cls,
                    const char *target, const char *method, int result)
{
    smsprov_error e = SMSPROV_ERROR_INIT;
    const char *user = provider_caller_user(p);
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s?,s:i,s:s,s:s}", "Operation", op, "ClassName",
        cls ? cls : "", "ObjectPath", target ? target : "", "MethodName",
        method, "ResultCode", result, "ResultName",
        result ? smsprov_code_wbem_name(result) : "WBEM_S_NO_ERROR", "UserName",
        user);
    if (o == NULL)
        return;
    json_object_set_new(o, "Time", json_integer(0));
    char d[40];
    util_iso8601_format(util_now_us(), d);
    json_object_set_new(o, "Time", json_string(d));
    (void)put_internal(NULL, p, "SMSPROV_AuditRecord", o, true, &e);
}
