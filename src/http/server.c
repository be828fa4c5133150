/* SPDX-License-Identifier: MIT */
/*
 * The server: libmicrohttpd with a thread pool, TLS (GnuTLS), one provider
 * handle per worker thread, bounded requests (headers, body, URI, idle
 * time), a per-client-IP limit of concurrent requests answered with 429,
 * authentication before dispatch, a JSON-lines access log, and graceful
 * shutdown on SIGTERM/SIGINT.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sqlite3.h>

#include "http/http_int.h"
#include "provider/rbac.h"

#define SRV_MAX_WORKERS 64  /* thread pool size limit */
#define SRV_IP_SLOTS 4096   /* clients tracked for the per-IP limit */
#define SRV_CALLER_CACHE 16 /* loaded callers kept per worker */
#define SRV_CALLER_TTL_US (5 * 1000000LL)
#define SRV_DRAIN_SECS 20 /* wait for in-flight requests on stop */
#define SRV_RETRY_AFTER 1 /* seconds, 429 answers */

/* Server-wide state (one server per process). */
typedef struct server {
    const http_config *cfg;             /* options */
    bool tls;                           /* serving HTTPS */
    bool negotiate;                     /* a keytab is configured */
    FILE *log;                          /* access log */
    pthread_mutex_t lock;               /* guards the fields below */
    provider *workers[SRV_MAX_WORKERS]; /* one handle per worker */
    unsigned nworkers;                  /* entries in workers */
    struct {
        char ip[INET6_ADDRSTRLEN]; /* client address */
        unsigned n;                /* requests in flight */
    } ips[SRV_IP_SLOTS];
    long inflight; /* requests in flight, all clients */
} server;

static server srv;

/* A cached caller of one worker. */
typedef struct caller_slot {
    char *user;              /* LogonName, owned */
    provider_caller *caller; /* loaded roles and scopes, owned */
    int64_t expires;         /* util_now_us() deadline */
} caller_slot;

static pthread_key_t worker_key; /* its destructor frees the caches */
static _Thread_local provider *worker_p;
static _Thread_local caller_slot callers[SRV_CALLER_CACHE];
static _Thread_local unsigned caller_next;

/* One request, from the URI callback to the completion callback. */
typedef struct req_ctx {
    util_arena *a;             /* request memory */
    char *uri;                 /* raw request target */
    char ip[INET6_ADDRSTRLEN]; /* client address */
    int64_t start;             /* util_now_us() */
    bool started;              /* first access call done */
    bool counted;              /* holds a per-IP slot */
    bool too_big;              /* body over the limit */
    util_buf body;             /* request body */
    int status;                /* answer status, for the log */
    size_t bytes;              /* answer bytes */
    char user[128];            /* authenticated user or "-" */
    char method[16];           /* request method */
} req_ctx;

/* ---- per-IP limit ----------------------------------------------------------
 */

static unsigned ip_slot(const char *ip)
{
    return util_hash_ci(ip, strlen(ip)) % SRV_IP_SLOTS;
}

/* Takes a slot for ip; false when the client is at its limit. */
static bool ip_acquire(const char *ip)
{
    bool ok = false;
    pthread_mutex_lock(&srv.lock);
    unsigned h = ip_slot(ip);
    for (unsigned k = 0; k < SRV_IP_SLOTS; k++) {
        unsigned i = (h + k) % SRV_IP_SLOTS;
        if (srv.ips[i].n == 0 || strcmp(srv.ips[i].ip, ip) == 0) {
            if (srv.ips[i].n == 0)
                snprintf(srv.ips[i].ip, sizeof(srv.ips[i].ip), "%s", ip);
            if (srv.ips[i].n < srv.cfg->per_ip) {
                srv.ips[i].n++;
                srv.inflight++;
                ok = true;
            }
            break;
        }
    }
    pthread_mutex_unlock(&srv.lock);
    return ok;
}

static void ip_release(const char *ip)
{
    pthread_mutex_lock(&srv.lock);
    unsigned h = ip_slot(ip);
    for (unsigned k = 0; k < SRV_IP_SLOTS; k++) {
        unsigned i = (h + k) % SRV_IP_SLOTS;
        if (srv.ips[i].n > 0 && strcmp(srv.ips[i].ip, ip) == 0) {
            srv.ips[i].n--;
            srv.inflight--;
            break;
        }
    }
    pthread_mutex_unlock(&srv.lock);
}

/* ---- workers ---------------------------------------------------------------
 */

/* Runs as a worker thread exits: frees its thread-local caches (the
 * provider handle itself is closed by http_serve). */
static void worker_exit(void *unused)
{
    (void)unused;
    for (unsigned i = 0; i < SRV_CALLER_CACHE; i++) {
        util_free(callers[i].user);
        provider_caller_free(callers[i].caller);
        callers[i].user = NULL;
        callers[i].caller = NULL;
    }
    http_auth_thread_exit();
    http_handlers_thread_exit();
    worker_p = NULL;
}

/* The provider handle of the calling worker thread (opened on first use). */
static provider *worker(smsprov_error *err)
{
    if (worker_p)
        return worker_p;
    provider *p = NULL;
    if (provider_open(&p, srv.cfg->db, err) != 0)
        return NULL;
    if (srv.cfg->on_open && srv.cfg->on_open(p, err) != 0) {
        provider_close(p);
        return NULL;
    }
    pthread_mutex_lock(&srv.lock);
    if (srv.nworkers < SRV_MAX_WORKERS)
        srv.workers[srv.nworkers++] = p;
    pthread_mutex_unlock(&srv.lock);
    worker_p = p;
    pthread_setspecific(worker_key, p);
    return p;
}

/* The loaded caller for user (cached a few seconds per worker). */
static const provider_caller *caller_for(provider *p, const char *user,
                                         smsprov_error *err)
{
    int64_t now = util_now_us();
    for (unsigned i = 0; i < SRV_CALLER_CACHE; i++)
        if (callers[i].user && callers[i].expires > now &&
            strcmp(callers[i].user, user) == 0)
            return callers[i].caller;
    provider_caller *c = NULL;
    provider_set_caller(p, NULL);
    if (provider_caller_load(&c, p, user, err) != 0)
        return NULL;
    caller_slot *s = &callers[caller_next++ % SRV_CALLER_CACHE];
    util_free(s->user);
    provider_caller_free(s->caller);
    s->user = util_strdup(user);
    s->caller = c;
    s->expires = now + SRV_CALLER_TTL_US;
    if (s->user == NULL) {
        provider_caller_free(c);
        s->caller = NULL;
        util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        return NULL;
    }
    return c;
}

/* ---- requests --------------------------------------------------------------
 */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    (void)cls;
    req_ctx *r = util_calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    r->a = util_arena_new();
    r->uri = util_strdup(uri);
    r->start = util_now_us();
    util_buf_init(&r->body, srv.cfg->max_body);
    snprintf(r->user, sizeof(r->user), "-");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->ip, sizeof(r->ip), "?");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
                      r->ip, sizeof(r->ip));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                      r->ip, sizeof(r->ip));
    }
    return r;
}

static void json_str(util_buf *b, const char *s)
{
    util_buf_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            util_buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            util_buf_printf(b, "\\u%04x", c);
        else
            util_buf_putc(b, (char)c);
    }
    util_buf_putc(b, '"');
}

/* One JSON line per request: time, client, user, method, route, status. */
static void access_log(const req_ctx *r)
{
    char t[40];
    util_buf b = UTIL_BUF_INIT(HTTP_MAX_URI * 2 + 1024);
    util_iso8601_format(util_now_us(), t);
    util_buf_printf(&b, "{\"time\":\"%s\",\"client\":", t);
    json_str(&b, r->ip);
    util_buf_puts(&b, ",\"user\":");
    json_str(&b, r->user);
    util_buf_puts(&b, ",\"method\":");
    json_str(&b, r->method);
    util_buf_puts(&b, ",\"uri\":");
    json_str(&b, r->uri);
    util_buf_printf(&b, ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f}\n",
                    r->status, r->bytes,
                    (double)(util_now_us() - r->start) / 1000.0);
    fputs(util_buf_cstr(&b), srv.log);
    fflush(srv.log);
    util_buf_free(&b);
}

static void on_done(void *cls, struct MHD_Connection *con, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    req_ctx *r = *con_cls;
    (void)cls;
    (void)con;
    if (r == NULL)
        return;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && r->status == 0)
        r->status = 499; /* client went away or timed out */
    if (r->started)
        access_log(r);
    if (r->counted)
        ip_release(r->ip);
    util_buf_free(&r->body);
    util_arena_free(r->a);
    util_free(r->uri);
    util_free(r);
    *con_cls = NULL;
}

/* Queues res (body handed over) with its headers. */
static enum MHD_Result send_response(struct MHD_Connection *con, req_ctx *r,
                                     http_response *res, const char *neg)
{
    size_t len = res->body.len;
    char *data = util_buf_detach(&res->body);
    struct MHD_Response *mr;
    if (data == NULL)
        mr = MHD_create_response_from_buffer(0, (void *)"",
                                             MHD_RESPMEM_PERSISTENT);
    else
        mr = MHD_create_response_from_buffer_with_free_callback(len, data,
                                                                util_free);
    if (mr == NULL) {
        util_free(data);
        return MHD_NO;
    }
    if (res->ctype)
        MHD_add_response_header(mr, "Content-Type", res->ctype);
    MHD_add_response_header(mr, "OData-Version", "4.0");
    for (int i = 0; i < 3; i++)
        if (res->www_auth[i][0])
            MHD_add_response_header(mr, "WWW-Authenticate", res->www_auth[i]);
    if (neg && neg[0]) {
        char h[8192];
        snprintf(h, sizeof(h), "Negotiate %s", neg);
        MHD_add_response_header(mr, "WWW-Authenticate", h);
    }
    if (res->retry_after > 0) {
        char s[16];
        snprintf(s, sizeof(s), "%d", res->retry_after);
        MHD_add_response_header(mr, "Retry-After", s);
    }
    r->status = res->status;
    r->bytes = len;
    enum MHD_Result ret = MHD_queue_response(con, (unsigned)res->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *con, req_ctx *r,
                                  int status, const char *msg)
{
    http_response res;
    memset(&res, 0, sizeof(res));
    util_buf_init(&res.body, 4096);
    http_error(&res, status, "%s", msg);
    if (status == 429)
        res.retry_after = SRV_RETRY_AFTER;
    enum MHD_Result ret = send_response(con, r, &res, NULL);
    util_buf_free(&res.body);
    return ret;
}

/* Parses the raw target into path and query options. */
static int parse_target(http_request *q, req_ctx *r)
{
    const char *qm = strchr(r->uri, '?');
    size_t pl = qm ? (size_t)(qm - r->uri) : strlen(r->uri);
    q->path = http_url_decode(r->a, r->uri, pl, false);
    if (q->path == NULL)
        return -1;
    const char *s = qm ? qm + 1 : NULL;
    q->raw_query = s ? s : "";
    while (s && *s) {
        const char *amp = strchr(s, '&');
        size_t n = amp ? (size_t)(amp - s) : strlen(s);
        const char *eq = memchr(s, '=', n);
        size_t kn = eq ? (size_t)(eq - s) : n;
        char *k = http_url_decode(r->a, s, kn, true);
        char *v = eq ? http_url_decode(r->a, eq + 1, n - kn - 1, true) : "";
        if (k == NULL || v == NULL)
            return -1;
        size_t e = strlen(k);
        while (e > 0 && k[e - 1] == ' ')
            k[--e] = '\0';
        while (*k == ' ')
            k++;
        static const struct {
            const char *name;
            size_t off;
        } opts[] = {
            {"$filter", offsetof(odata_options, filter)},
            {"$select", offsetof(odata_options, select)},
            {"$orderby", offsetof(odata_options, orderby)},
            {"$top", offsetof(odata_options, top)},
            {"$skip", offsetof(odata_options, skip)},
            {"$count", offsetof(odata_options, count)},
            {"$skiptoken", offsetof(odata_options, skiptoken)},
        };
        for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
            if (util_stricmp(k, opts[i].name) == 0)
                *(const char **)((char *)&q->opts + opts[i].off) = v;
        if (util_stricmp(k, "query") == 0)
            q->query_text = v;
        s = amp ? amp + 1 : NULL;
    }
    return 0;
}

/* A Host header safe to echo in URLs. */
static const char *safe_host(struct MHD_Connection *con)
{
    const char *h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Host");
    if (h == NULL || h[0] == '\0' || strlen(h) > 255)
        return "localhost";
    for (const char *s = h; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == ':' ||
              *s == '[' || *s == ']'))
            return "localhost";
    return h;
}

static void challenge(http_response *res)
{
    int i = 0;
    if (srv.negotiate)
        snprintf(res->www_auth[i++], sizeof(res->www_auth[0]), "Negotiate");
    if (srv.tls)
        snprintf(res->www_auth[i++], sizeof(res->www_auth[0]),
                 "Basic realm=\"AdminService\", charset=\"UTF-8\"");
    snprintf(res->www_auth[i], sizeof(res->www_auth[0]),
             "Bearer realm=\"AdminService\"");
}

/* Authenticates and runs one complete request. */
static enum MHD_Result process(struct MHD_Connection *con, req_ctx *r,
                               const char *method)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    http_request q;
    http_response res;
    char neg[4096] = "";
    char *user = NULL;
    enum MHD_Result ret;
    memset(&q, 0, sizeof(q));
    memset(&res, 0, sizeof(res));
    util_buf_init(&res.body, HTTP_MAX_RESULT);
    provider *p = worker(&err);
    if (p == NULL) {
        util_buf_free(&res.body);
        return send_error(con, r, 503, err.msg);
    }
    const char *authz =
        MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Authorization");
    if (http_auth_check(&user, p, authz, srv.tls, srv.negotiate, neg,
                        sizeof(neg), &err) != 0) {
        int st = err.code == SMSPROV_EACCESS ? 401 : 500;
        http_error(&res, st, "%s", st == 401 ? "Unauthorized" : err.msg);
        if (st == 401)
            challenge(&res);
        ret = send_response(con, r, &res, NULL);
        util_buf_free(&res.body);
        return ret;
    }
    snprintf(r->user, sizeof(r->user), "%s", user);
    const provider_caller *c = caller_for(p, user, &err);
    util_free(user);
    if (c == NULL) {
        http_error(&res, err.code == SMSPROV_EACCESS ? 401 : 500, "%s",
                   err.code == SMSPROV_EACCESS ? "Unauthorized" : err.msg);
        if (res.status == 401)
            challenge(&res);
        ret = send_response(con, r, &res, NULL);
        util_buf_free(&res.body);
        return ret;
    }
    q.method = method;
    q.host = safe_host(con);
    q.prefer = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Prefer");
    q.body = util_buf_cstr(&r->body);
    q.body_len = r->body.len;
    q.tls = srv.tls;
    q.a = r->a;
    if (parse_target(&q, r) != 0) {
        http_error(&res, 400, "malformed percent-encoding in the URL");
    } else {
        provider_set_caller(p, c);
        http_handle(p, &q, &res);
        provider_set_caller(p, NULL);
    }
    if (strcmp(method, "HEAD") == 0)
        util_buf_reset(&res.body);
    ret = send_response(con, r, &res, neg);
    util_buf_free(&res.body);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con,
                                  const char *url, const char *method,
                                  const char *version, const char *data,
                                  size_t *data_size, void **con_cls)
{
    req_ctx *r = *con_cls;
    (void)cls;
    (void)url;
    (void)version;
    if (r == NULL || r->a == NULL || r->uri == NULL)
        return MHD_NO;
    if (!r->started) {
        r->started = true;
        snprintf(r->method, sizeof(r->method), "%s", method);
        if (strlen(r->uri) > HTTP_MAX_URI)
            return send_error(con, r, 414, "URI too long");
        if (!ip_acquire(r->ip))
            return send_error(con, r, 429,
                              "too many concurrent requests from this client");
        r->counted = true;
        const char *cl =
            MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Length");
        int64_t n = 0;
        if (cl && (util_parse_i64(cl, strlen(cl), 0, INT64_MAX, &n) != 0 ||
                   (uint64_t)n > srv.cfg->max_body))
            return send_error(con, r, 413, "request body too large");
        return MHD_YES;
    }
    if (*data_size > 0) {
        if (!r->too_big && util_buf_append(&r->body, data, *data_size) != 0)
            r->too_big = true;
        *data_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return send_error(con, r, 413, "request body too large");
    return process(con, r, method);
}

/* ---- start and stop --------------------------------------------------------
 */

static bool is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *s = (const struct sockaddr_in *)ss;
        return (ntohl(s->sin_addr.s_addr) >> 24) == 127;
    }
    const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
    return IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
}

/* host:port or [v6]:port into a socket address. */
static int parse_listen(struct sockaddr_storage *ss, const char *listen,
                        smsprov_error *err)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    int64_t port = 0;
    memset(ss, 0, sizeof(*ss));
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host) ||
        util_parse_i64(colon + 1, strlen(colon + 1), 1, 65535, &port) != 0)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "--listen wants HOST:PORT, not '%s'", listen);
    snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
    char *h = host;
    if (h[0] == '[' && h[strlen(h) - 1] == ']') {
        h[strlen(h) - 1] = '\0';
        h++;
    }
    if (strcmp(h, "localhost") == 0)
        h = "127.0.0.1";
    struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, h, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
    } else if (inet_pton(AF_INET6, h, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
    } else {
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "--listen: '%s' is not an IP address", h);
    }
    return 0;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    fprintf(stderr, "smsprov serve: %s", line);
}

int http_serve(const http_config *cfg, smsprov_error *err)
{
    struct sockaddr_storage ss;
    char *cert = NULL, *key = NULL;
    struct MHD_Daemon *d = NULL;
    sigset_t set;
    int sig = 0, rc;
    memset(&srv, 0, sizeof(srv));
    srv.cfg = cfg;
    /* Each worker owns its connection: SQLite's own locking and its global
     * allocation statistics (one mutex per malloc) only cost throughput.
     * Both must be set before SQLite initializes; ignored if it has. */
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    srv.tls = !cfg->insecure_http;
    pthread_mutex_init(&srv.lock, NULL);
    pthread_key_create(&worker_key, worker_exit);
    rc = parse_listen(&ss, cfg->listen, err);
    if (rc != 0)
        return rc;
    if (cfg->insecure_http && !is_loopback(&ss))
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "--insecure-http is only allowed on a loopback "
                              "address");
    if (cfg->threads == 0 || cfg->threads > SRV_MAX_WORKERS)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "--threads must be 1 to %d", SRV_MAX_WORKERS);
    srv.log = stderr;
    if (cfg->access_log && (srv.log = fopen(cfg->access_log, "a")) == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "cannot open %s: %s",
                              cfg->access_log, strerror(errno));
    const char *kt = cfg->keytab ? cfg->keytab : getenv("KRB5_KTNAME");
    srv.negotiate = kt != NULL && kt[0] != '\0';
    rc = http_auth_init(cfg->keytab, err);
    /* built-in roles and scopes exist before the first request */
    if (rc == 0) {
        provider *p = NULL;
        rc = provider_open(&p, cfg->db, err);
        if (rc == 0)
            rc = provider_rbac_init(p, err);
        provider_close(p);
    }
    if (rc == 0 && srv.tls)
        rc = http_tls_load(&cert, &key, cfg->cert, cfg->key, cfg->db, err);
    if (rc != 0)
        goto out;
    /* the workers inherit a mask without the stop signals */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (srv.tls)
        flags |= MHD_USE_TLS;
    d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER,
        mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->per_ip * 2 + 8),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONN_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_HEADERS * 2,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED,
        on_done, NULL, srv.tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, key,
        MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_END);
    if (d == NULL) {
        rc = util_error_set(err, SMSPROV_EIO, -1,
                            "cannot listen on %s (in use, or bad TLS "
                            "material)",
                            cfg->listen);
        goto out;
    }
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    fprintf(
        stderr, "smsprov serve: listening on %s://%s (port %u, %u threads)%s\n",
        srv.tls ? "https" : "http", cfg->listen, di ? (unsigned)di->port : 0u,
        cfg->threads, srv.negotiate ? ", Kerberos enabled" : "");
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "smsprov serve: signal %d, finishing requests\n", sig);
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    for (int i = 0; i < SRV_DRAIN_SECS * 20; i++) {
        pthread_mutex_lock(&srv.lock);
        long n = srv.inflight;
        pthread_mutex_unlock(&srv.lock);
        if (n <= 0)
            break;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(d);
    fprintf(stderr, "smsprov serve: stopped\n");
out:
    for (unsigned i = 0; i < srv.nworkers; i++)
        provider_close(srv.workers[i]);
    srv.nworkers = 0;
    if (key)
        memset(key, 0, strlen(key));
    util_free(key);
    util_free(cert);
    if (srv.log && srv.log != stderr)
        fclose(srv.log);
    pthread_mutex_destroy(&srv.lock);
    pthread_key_delete(worker_key);
    return rc;
}
