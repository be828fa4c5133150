/* SPDX-License-Identifier: MIT */
/*
 * Authentication of AdminService requests: HTTP Negotiate with Kerberos
 * (GSSAPI acceptor on a keytab; the client principal maps to an
 * administrative user), Basic over TLS (PBKDF2-checked, remembered for a
 * minute per worker so that scripts do not pay the hash per request) and
 * Bearer tokens.  NTLM is refused, as the real service does since 2509.
 */
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <openssl/evp.h>

#include "http/http_int.h"
#include "provider/rbac.h"

#define AUTH_MAX_HEADER 16384 /* Authorization header bytes */

/* A remembered credential: SHA-256 of the header -> user. */
typedef struct auth_entry {
    unsigned char digest[32]; /* of the Authorization value */
    char *user;               /* LogonName, owned */
    int64_t expires;          /* util_now_us() deadline */
} auth_entry;

static _Thread_local auth_entry cache[HTTP_AUTH_CACHE];
static _Thread_local unsigned cache_next;

void http_auth_thread_exit(void)
{
    for (unsigned i = 0; i < HTTP_AUTH_CACHE; i++) {
        util_free(cache[i].user);
        cache[i].user = NULL;
    }
}

int http_auth_init(const char *keytab, smsprov_error *err)
{
    if (keytab == NULL)
        return 0;
    if (krb5_gss_register_acceptor_identity(keytab) != GSS_S_COMPLETE)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "cannot use keytab %s", keytab);
    setenv("KRB5_KTNAME", keytab, 1);
    return 0;
}

static int denied(smsprov_error *err, const char *why)
{
    return util_error_set(err, SMSPROV_EACCESS, -1, "%s", why);
}

/* Base64 decode; returns bytes or -1. */
static int b64_decode(unsigned char *out, size_t cap, const char *in)
{
    size_t n = strlen(in);
    while (n > 0 && in[n - 1] == ' ')
        n--;
    if (n == 0 || n % 4 != 0 || n / 4 * 3 > cap)
        return -1;
    int len = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n);
    if (len < 0)
        return -1;
    if (in[n - 1] == '=')
        len--;
    if (in[n - 2] == '=')
        len--;
    return len;
}

static bool cache_find(char **user, const unsigned char d[32])
{
    int64_t now = util_now_us();
    for (unsigned i = 0; i < HTTP_AUTH_CACHE; i++)
        if (cache[i].user && cache[i].expires > now &&
            memcmp(cache[i].digest, d, 32) == 0) {
            *user = util_strdup(cache[i].user);
            return *user != NULL;
        }
    return false;
}

static void cache_put(const unsigned char d[32], const char *user)
{
    auth_entry *e = &cache[cache_next++ % HTTP_AUTH_CACHE];
    util_free(e->user);
    e->user = util_strdup(user);
    memcpy(e->digest, d, 32);
    e->expires = util_now_us() + HTTP_AUTH_TTL_US;
}

/* Kerberos through SPNEGO or raw krb5 tokens. */
static int negotiate(char **user, provider *p, const char *b64, char *neg_out,
                     size_t neg_cap, smsprov_error *err)
{
    unsigned char *tok = util_malloc(AUTH_MAX_HEADER);
    OM_uint32 maj, min = 0;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_name_t src = GSS_C_NO_NAME;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER, name = GSS_C_EMPTY_BUFFER;
    int rc;
    if (tok == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int n = b64_decode(tok, AUTH_MAX_HEADER, b64);
    if (n < 0) {
        util_free(tok);
        return denied(err, "malformed Negotiate token");
    }
    if (n >= 7 && memcmp(tok, "NTLMSSP", 7) == 0) {
        util_free(tok);
        return denied(err, "NTLM is not accepted; use Kerberos");
    }
    in.length = (size_t)n;
    in.value = tok;
    maj = gss_accept_sec_context(&min, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                 GSS_C_NO_CHANNEL_BINDINGS, &src, NULL, &out,
                                 NULL, NULL, NULL);
    util_free(tok);
    if (maj != GSS_S_COMPLETE) {
        rc = denied(err, "Kerberos authentication failed");
        goto out;
    }
    if (out.length > 0 && neg_cap > 0) {
        size_t need = (out.length + 2) / 3 * 4 + 1;
        if (need <= neg_cap)
            EVP_EncodeBlock((unsigned char *)neg_out, out.value,
                            (int)out.length);
        else
            neg_out[0] = '\0';
    }
    maj = gss_display_name(&min, src, &name, NULL);
    if (maj != GSS_S_COMPLETE || name.length == 0 || name.length > 512) {
        rc = denied(err, "no client principal");
        goto out;
    }
    char principal[520];
    snprintf(principal, sizeof(principal), "%.*s", (int)name.length,
             (const char *)name.value);
    rc = provider_auth_principal(user, p, principal, err);
out:
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &name);
    if (src != GSS_C_NO_NAME)
        gss_release_name(&min, &src);
    if (ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&min, &ctx, GSS_C_NO_BUFFER);
    return rc;
}

int http_auth_check(char **user, provider *p, const char *authz, bool tls,
                    bool negotiate_on, char *neg_out, size_t neg_cap,
                    smsprov_error *err)
{
    unsigned char d[32];
    unsigned int dn = 0;
    size_t len = authz ? strlen(authz) : 0;
    *user = NULL;
    if (neg_cap > 0)
        neg_out[0] = '\0';
    if (authz == NULL || len == 0)
        return denied(err, "authentication required");
    if (len > AUTH_MAX_HEADER)
        return denied(err, "Authorization header too long");
    const char *sp = strchr(authz, ' ');
    if (sp == NULL)
        return denied(err, "malformed Authorization header");
    size_t sl = (size_t)(sp - authz);
    const char *cred = sp + 1;
    while (*cred == ' ')
        cred++;
    if (sl == 9 && util_strnicmp(authz, "Negotiate", 9) == 0) {
        if (!negotiate_on)
            return denied(err, "Negotiate is not configured (no keytab)");
        return negotiate(user, p, cred, neg_out, neg_cap, err);
    }
    if (sl == 4 && util_strnicmp(authz, "NTLM", 4) == 0)
        return denied(err, "NTLM is not accepted; use Kerberos");
    if (EVP_Digest(authz, len, d, &dn, EVP_sha256(), NULL) != 1)
        return denied(err, "cannot hash");
    if (cache_find(user, d))
        return 0;
    int rc;
    if (sl == 6 && util_strnicmp(authz, "Bearer", 6) == 0) {
        rc = provider_auth_token(user, p, cred, err);
    } else if (sl == 5 && util_strnicmp(authz, "Basic", 5) == 0) {
        unsigned char raw[1024];
        if (!tls)
            return denied(err, "Basic authentication needs TLS");
        int n = b64_decode(raw, sizeof(raw) - 1, cred);
        if (n < 0)
            return denied(err, "malformed Basic credentials");
        raw[n] = '\0';
        char *colon = memchr(raw, ':', (size_t)n);
        if (colon == NULL || memchr(raw, '\0', (size_t)n) != NULL)
            return denied(err, "malformed Basic credentials");
        *colon = '\0';
        rc = provider_auth_password(user, p, (const char *)raw, colon + 1, err);
        memset(raw, 0, sizeof(raw));
    } else {
        return denied(err, "unsupported authentication scheme");
    }
    if (rc == 0)
        cache_put(d, *user);
    return rc;
}
