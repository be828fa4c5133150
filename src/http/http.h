/* SPDX-License-Identifier: MIT */
/*
 * http: the AdminService-compatible REST/OData server (`smsprov serve`).
 * Routes under /AdminService/wmi/ and /AdminService/v1.0/ answer the JSON
 * of the real ConfigMgr AdminService on top of the provider layer.
 */
#ifndef SMSPROV_HTTP_H
#define SMSPROV_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "provider/provider.h"
#include "util/util.h"

/* Defaults and limits (rule 11). */
#define HTTP_DEFAULT_LISTEN "127.0.0.1:8443"
#define HTTP_DEFAULT_THREADS 4
#define HTTP_DEFAULT_PER_IP 200             /* concurrent requests per IP */
#define HTTP_MAX_BODY (4 * 1024 * 1024)     /* request body bytes */
#define HTTP_MAX_HEADERS (32 * 1024)        /* request line + headers */
#define HTTP_MAX_URI 8192                   /* request target bytes */
#define HTTP_MAX_FILTER 4096                /* $filter bytes */
#define HTTP_MAX_FILTER_DEPTH 32            /* $filter nesting */
#define HTTP_MAX_RESULT (256 * 1024 * 1024) /* response body bytes */
#define HTTP_CONN_TIMEOUT 10                /* idle/partial request seconds */
#define HTTP_MAX_CONNECTIONS 1024           /* open connections */

typedef struct http_config {
    const char *db;         /* database path */
    const char *listen;     /* host:port */
    const char *cert;       /* PEM certificate or NULL (self-signed) */
    const char *key;        /* PEM private key or NULL */
    const char *keytab;     /* Kerberos keytab or NULL ($KRB5_KTNAME) */
    const char *access_log; /* file, or NULL for stderr */
    bool insecure_http;     /* plain HTTP (loopback only) */
    unsigned threads;       /* worker threads */
    unsigned per_ip;        /* concurrent requests per client IP */
    size_t max_body;        /* request body limit */
    /* called on each worker's provider handle after it opens (method
     * registration); NULL = none */
    int (*on_open)(provider *p, smsprov_error *err);
} http_config;

/*
 * Serves until SIGTERM or SIGINT, then stops accepting, lets in-flight
 * requests finish and returns 0.  Errors (bad address, certificate) are
 * returned before serving starts.
 */
int http_serve(const http_config *cfg, smsprov_error *err);

#endif
