/* SPDX-License-Identifier: MIT */
/*
 * Private interfaces of the http layer: the router (URL -> route), the
 * OData query-option translator ($filter etc. -> WQL syntax tree), entity
 * rendering, requests and responses as the handlers see them.
 */
#ifndef SMSPROV_HTTP_INT_H
#define SMSPROV_HTTP_INT_H

#include <jansson.h>

#include "http/http.h"
#include "provider/provider.h"

/* ---- router ----------------------------------------------------------------
 */

typedef enum http_route_kind {
    HTTP_R_NOT_FOUND = 0,
    HTTP_R_SERVICE,         /* /AdminService/wmi/ or /v1.0/ */
    HTTP_R_METADATA,        /* .../$metadata */
    HTTP_R_COLLECTION,      /* wmi/<Class> */
    HTTP_R_COUNT,           /* wmi/<Class>/$count */
    HTTP_R_INSTANCE,        /* wmi/<Class>(key) or wmi/<Class>/key */
    HTTP_R_INSTANCE_METHOD, /* ...(key)/AdminService.<Method> */
    HTTP_R_STATIC_METHOD,   /* wmi/<Class>.<Method> */
    HTTP_R_QUERY,           /* wmi/$query */
} http_route_kind;

#define HTTP_MAX_KEYS 16

typedef struct http_route_key {
    const char *name; /* key name, NULL for the one unnamed key */
    const char *text; /* value text (unquoted, unescaped) */
    bool quoted;      /* the value was a quoted string */
} http_route_key;

typedef struct http_route {
    http_route_kind kind; /* what was asked */
    bool v1;              /* /AdminService/v1.0/ rather than wmi/ */
    const char *cls;      /* class name as written */
    const char *method;   /* method name */
    http_route_key keys[HTTP_MAX_KEYS]; /* instance keys */
    uint32_t nkeys;                     /* entries in keys */
} http_route;

/*
 * Parses a decoded request path (no query string) into a route.  Class
 * and route names are matched case-insensitively; a trailing '/' is
 * ignored.  Returns 0 (kind HTTP_R_NOT_FOUND for paths outside the
 * service) or SMSPROV_EINVALID_OBJECT_PATH for a malformed key.  Strings
 * come from `a`.
 */
int http_route_parse(http_route *out, util_arena *a, const char *path,
                     size_t len, smsprov_error *err);

/* Percent-decodes [s, s+n) into arena memory; '+' becomes a space when
 * plus_space.  NULL on a bad escape or NUL byte. */
char *http_url_decode(util_arena *a, const char *s, size_t n, bool plus_space);

/* ---- OData query options ---------------------------------------------------
 */

typedef struct odata_options {
    const char *filter;    /* $filter or NULL */
    const char *select;    /* $select or NULL */
    const char *orderby;   /* $orderby or NULL */
    const char *top;       /* $top or NULL */
    const char *skip;      /* $skip or NULL */
    const char *count;     /* $count or NULL */
    const char *skiptoken; /* $skiptoken (our paging) or NULL */
} odata_options;

/*
 * Translates an OData $filter into a WQL expression tree (arena memory).
 * Node offsets are byte offsets in `text`; errors are
 * SMSPROV_EINVALID_QUERY with err->offset set.
 */
int odata_filter_parse(wql_node **out, util_arena *a, const char *text,
                       size_t len, smsprov_error *err);

/*
 * Builds the SELECT for a collection request on class `cls`: $filter,
 * $select and $orderby (top/skip/count are applied by the caller).
 * *selected tells whether $select named columns.
 */
int odata_build_select(wql_select **out, util_arena *a, const char *cls,
                       const odata_options *o, bool *selected,
                       smsprov_error *err);

/* Parses a non-negative integer option (NULL -> def). */
int odata_parse_count(const char *s, int64_t def, int64_t *out);

/* ---- entities ---------------------------------------------------------------
 */

/* How an instance is written. */
typedef enum http_entity_mode {
    HTTP_ENTITY_ENUM,    /* in a collection: lazy properties null */
    HTTP_ENTITY_GET,     /* single GET: lazy properties filled */
    HTTP_ENTITY_CREATED, /* POST/PUT answer: SECURITYVERBS -1 */
} http_entity_mode;

/*
 * Appends the AdminService JSON of an instance (etag, lazy list, sorted
 * properties, system properties, embedded objects last); with open false
 * the leading '{' is left out (the caller wrote its own first members).
 */
int http_entity_write(util_buf *b, provider *p, const cim_instance *inst,
                      http_entity_mode mode, bool open);
/* Appends only the columns of the plan that were selected (sorted). */
int http_selected_write(util_buf *b, const wql_plan *plan,
                        const cim_instance *inst, uint32_t part);
/* Appends s as a JSON string. */
void http_json_string(util_buf *b, const char *s);
/* Frees the calling thread's class layouts (worker exit). */
void http_entity_thread_exit(void);

/* The service document's `value` array text, the $metadata CSDL. */
char *http_service_value(const cim_schema *s, bool v1);
char *http_metadata_csdl(const cim_schema *s, bool v1);

/* ---- requests ---------------------------------------------------------------
 */

typedef struct http_request {
    const char *method;     /* GET, POST, ... */
    const char *path;       /* decoded path */
    const char *host;       /* Host header or "localhost" */
    const char *prefer;     /* Prefer header or NULL */
    odata_options opts;     /* query options */
    const char *query_text; /* ?query= for $query GET */
    const char *raw_query;  /* query string as sent, or "" */
    const char *body;       /* request body (NUL-terminated) */
    size_t body_len;        /* bytes in body */
    bool tls;               /* request came over TLS */
    util_arena *a;          /* request memory */
} http_request;

typedef struct http_response {
    int status;             /* HTTP status */
    const char *ctype;      /* content type */
    util_buf body;          /* body */
    char www_auth[3][2048]; /* WWW-Authenticate values, "" unused */
    int retry_after;        /* seconds, 0 none */
} http_response;

/* Writes {"error":{"code":"<status>","message":"..."}}. */
void http_error(http_response *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same from a provider error (status from the code). */
void http_error_from(http_response *r, const smsprov_error *err,
                     const char *what);

/* tls.c: PEM certificate and key from the given files, or the
 * self-signed pair stored next to the database (generated when absent). */
int http_tls_load(char **cert, char **key, const char *cert_path,
                  const char *key_path, const char *db, smsprov_error *err);

/* ---- authentication (auth.c) ----------------------------------------------
 */

#define HTTP_AUTH_CACHE 64 /* remembered credentials per worker */
#define HTTP_AUTH_TTL_US (60 * 1000000LL) /* how long they are trusted */

/* Negotiate: registers the keytab for the acceptor (process-wide). */
int http_auth_init(const char *keytab, smsprov_error *err);

/*
 * Authenticates an Authorization header value: Negotiate (Kerberos),
 * Basic (TLS only) or Bearer.  On success *user is the SMS_Admin LogonName
 * (util_free) and neg_out may hold a Negotiate reply token.  Returns
 * SMSPROV_EACCESS when the client must be challenged.
 */
int http_auth_check(char **user, provider *p, const char *authz, bool tls,
                    bool negotiate, char *neg_out, size_t neg_cap,
                    smsprov_error *err);

/* Frees the calling thread's credential cache (worker exit). */
void http_auth_thread_exit(void);
/* Frees the calling thread's cached documents (worker exit). */
void http_handlers_thread_exit(void);

/* Dispatches one authenticated request. */
void http_handle(provider *p, const http_request *req, http_response *res);

#endif
