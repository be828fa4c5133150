/* SPDX-License-Identifier: MIT */
/*
 * Private to the RBAC files: the caller structure, limits and the SQL and
 * hashing helpers shared by rbac.c (checks, scopes) and rbac_admin.c
 * (built-ins, users, credentials, audit).
 */
#ifndef SMSPROV_RBAC_INT_H
#define SMSPROV_RBAC_INT_H

#include "provider/provider_int.h"
#include "store/store.h"

#define RBAC_MAX_PERMS 64  /* role/scope pairs of one user */
#define RBAC_MAX_OPS 256   /* role operations of one user */
#define RBAC_SALT_BYTES 16 /* password salt */
#define RBAC_HASH_BYTES 32 /* PBKDF2 output, SHA-256 */
#define RBAC_CRED_TABLE "smsprov_credential"

/* One role operation: GrantedOperations (enum provider_perm) on an
 * ObjectTypeID (0 = every class). */
typedef struct rbac_op {
    uint32_t type; /* ObjectTypeID */
    unsigned ops;  /* granted bits */
} rbac_op;

struct provider_caller {
    char *user;                   /* logon name, owned */
    int64_t admin_id;             /* SMS_Admin.AdminID, -1 none */
    bool all_scopes;              /* has SMS00ALL */
    char *scopes[RBAC_MAX_PERMS]; /* CategoryIDs, owned */
    uint32_t nscopes;             /* entries in scopes */
    rbac_op ops[RBAC_MAX_OPS];    /* from the roles */
    uint32_t nops;                /* entries in ops */
};

int rbac_nomem(smsprov_error *err);
int rbac_sql_run(provider *p, const char *sql, const char *const *args,
                 int nargs, int (*row)(store_stmt *, void *), void *arg,
                 smsprov_error *err);
void rbac_hex(char *out, const unsigned char *in, size_t n);
int rbac_sha256_hex(char out[65], const char *s);
int rbac_admin_id_of(int64_t *id, provider *p, const char *user,
                     smsprov_error *err);
int rbac_get_internal(cim_instance **out, provider *p, const char *path,
                      smsprov_error *err);
/* Row callbacks for rbac_sql_run: the first column as int64 / as a
 * util_strdup'd string into *arg. */
int rbac_row_int(store_stmt *st, void *arg);
int rbac_row_text(store_stmt *st, void *arg);

#endif
