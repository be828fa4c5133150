/* SPDX-License-Identifier: MIT */
/*
 * Administrative users, their credentials and the audit trail (rbac.c):
 * what `smsprov admin` and the AdminService's authentication call.  Roles
 * and scopes are the SMS_Role / SMS_SecuredCategory instances; a user is
 * an SMS_Admin whose Permissions pair a RoleID with a CategoryID.
 */
#ifndef SMSPROV_PROVIDER_RBAC_H
#define SMSPROV_PROVIDER_RBAC_H

#include "provider/provider.h"

/* Built-in role and scope identifiers (as in ConfigMgr). */
#define RBAC_ROLE_FULL_ADMIN "SMS0001R"
#define RBAC_ROLE_READ_ONLY "SMS0002R"
#define RBAC_SCOPE_ALL "SMS00ALL"
#define RBAC_SCOPE_DEFAULT "SMS00UNA"

/* PBKDF2-HMAC-SHA256 iterations for new password hashes. */
#define RBAC_PBKDF2_ITER 100000
/* Bytes of randomness in a bearer token. */
#define RBAC_TOKEN_BYTES 32
/* Longest user name, principal, password or token accepted. */
#define RBAC_MAX_NAME 512

/* Creates the built-in roles and scopes and the credential table when
 * missing (idempotent). */
int provider_rbac_init(provider *p, smsprov_error *err);

/*
 * Adds (or updates) the administrative user `user` with role `role` (a
 * RoleName or RoleID) over the given scopes (CategoryName or CategoryID;
 * none = the Default scope, "All" = every scope).  `password` (may be NULL)
 * is stored as a salted PBKDF2 hash; `principal` (may be NULL) maps a
 * Kerberos principal such as alice@EXAMPLE.COM to the user.
 */
int provider_admin_add(provider *p, const char *user, const char *role,
                       const char *const *scopes, size_t nscopes,
                       const char *password, const char *principal,
                       smsprov_error *err);
/* Creates a security scope (SMS_SecuredCategory) named `name`; *id
 * (util_free) receives its CategoryID. */
int provider_scope_add(char **id, provider *p, const char *name,
                       const char *desc, smsprov_error *err);
/* Removes the user and its credentials.  SMSPROV_ENOTFOUND if absent. */
int provider_admin_remove(provider *p, const char *user, smsprov_error *err);
/* JSON array of {LogonName, AdminID, Roles, Scopes, Principal, Password,
 * Tokens} (new reference). */
int provider_admin_list(json_t **out, provider *p, smsprov_error *err);
/* Issues a new bearer token for the user; *token (util_free) is shown
 * once, only its SHA-256 is stored. */
int provider_admin_token(char **token, provider *p, const char *user,
                         smsprov_error *err);

/*
 * Authentication: each sets *user (util_free) to the SMS_Admin LogonName
 * on success and answers SMSPROV_EACCESS otherwise (no detail leaks).
 */
int provider_auth_password(char **user, provider *p, const char *name,
                           const char *password, smsprov_error *err);
int provider_auth_token(char **user, provider *p, const char *token,
                        smsprov_error *err);
int provider_auth_principal(char **user, provider *p, const char *principal,
                            smsprov_error *err);

/*
 * Records one write or method call in SMSPROV_AuditRecord: operation
 * ("Create", "Modify", "Delete", "Method"), class, object path or class,
 * method (NULL for writes), result code (0 or SMSPROV_E*), with the
 * current caller and the time.  Never fails the operation it records.
 */
void provider_audit(provider *p, const char *op, const char *cls,
                    const char *target, const char *method, int result);

#endif
