/* SPDX-License-Identifier: MIT */
/*
 * Route handlers: service documents, $metadata, collections with OData
 * query options, single instances (wrapped in value:[...]), create,
 * create-or-update, delete, instance and static methods, and the WQL
 * endpoint.  Each writes one http_response.
 */
#include <stdarg.h>
#include <string.h>

#include "http/http_int.h"
#include "provider/rbac.h"

void http_error(http_response *r, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char code[8];
    snprintf(code, sizeof(code), "%d", status);
    json_t *o =
        json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
    util_buf_reset(&r->body);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    util_buf_puts(&r->body, s ? s : "{\"error\":{}}");
    util_free(s);
    json_decref(o);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
}

void http_error_from(http_response *r, const smsprov_error *err,
                     const char *what)
{
    int code = err->code ? err->code : SMSPROV_EINTERNAL;
    int status = smsprov_code_http_status(code);
    http_error(r, status, "%s%s%s: %s", what ? what : "", what ? ": " : "",
               smsprov_code_wbem_name(code), err->msg);
}

/* https://host/AdminService/wmi/ */
static void base_url(util_buf *b, const http_request *req, bool v1)
{
    util_buf_printf(b, "%s://%s/AdminService/%s/", req->tls ? "https" : "http",
                    req->host, v1 ? "v1.0" : "wmi");
}

static void json_out(http_response *r, int status)
{
    r->status = status;
    r->ctype = "application/json; odata.metadata=minimal; charset=utf-8";
}

/* Appends the compact JSON of j (stolen) to b. */
static int dump_into(util_buf *b, json_t *j)
{
    if (j == NULL)
        return SMSPROV_ENOMEM;
    char *s =
        json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    json_decref(j);
    if (s == NULL)
        return SMSPROV_ENOMEM;
    int rc = util_buf_puts(b, s);
    util_free(s);
    return rc;
}

/* Cached service documents and CSDL, per schema (same for every handle). */
typedef struct doc_cache {
    char *service[2];
    char *metadata[2];
} doc_cache;

static _Thread_local doc_cache docs;

void http_handlers_thread_exit(void)
{
    http_entity_thread_exit();
    for (int i = 0; i < 2; i++) {
        util_free(docs.service[i]);
        util_free(docs.metadata[i]);
        docs.service[i] = docs.metadata[i] = NULL;
    }
}

static void handle_service(provider *p, const http_request *req,
                           http_response *res, bool v1)
{
    if (docs.service[v1] == NULL)
        docs.service[v1] = http_service_value(provider_schema(p), v1);
    if (docs.service[v1] == NULL) {
        http_error(res, 500, "out of memory");
        return;
    }
    util_buf_puts(&res->body, "{\"@odata.context\":\"");
    base_url(&res->body, req, v1);
    util_buf_puts(&res->body, "$metadata\",\"value\":");
    util_buf_puts(&res->body, docs.service[v1]);
    util_buf_putc(&res->body, '}');
    json_out(res, 200);
}

static void handle_metadata(provider *p, http_response *res, bool v1)
{
    if (docs.metadata[v1] == NULL)
        docs.metadata[v1] = http_metadata_csdl(provider_schema(p), v1);
    if (docs.metadata[v1] == NULL) {
        http_error(res, 500, "out of memory");
        return;
    }
    util_buf_puts(&res->body, docs.metadata[v1]);
    res->status = 200;
    res->ctype = "application/xml";
}

/* The class of a route, or a 404 answer. */
static const cim_class *route_class(provider *p, const http_route *rt,
                                    http_response *res)
{
    const cim_class *c =
        cim_schema_class(provider_schema(p), rt->cls, strlen(rt->cls));
    if (c == NULL || (c->flags & CIM_C_EMBEDDED))
        http_error(res, 404,
                   "No HTTP resource was found that matches the request URI: "
                   "unknown class '%s'",
                   rt->cls);
    return c && !(c->flags & CIM_C_EMBEDDED) ? c : NULL;
}

/* ---- collections -----------------------------------------------------------
 */

typedef struct coll_ctx {
    provider *p;       /* provider */
    util_buf *out;     /* response body */
    bool selected;     /* $select named columns */
    int64_t skip;      /* rows still to skip */
    int64_t top;       /* rows still to write (-1 = all) */
    int64_t page;      /* page size (-1 = none) */
    int64_t written;   /* rows written */
    int64_t total;     /* rows seen ($count) */
    bool count_all;    /* keep counting after top */
    bool more;         /* a row beyond the page exists */
    int64_t next_skip; /* $skiptoken of the next page */
} coll_ctx;

#define COLL_STOP 1

static int coll_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                    void *arg)
{
    coll_ctx *c = arg;
    (void)count;
    c->total++;
    if (c->skip > 0) {
        c->skip--;
        return 0;
    }
    if (c->top == 0 || (c->page >= 0 && c->written == c->page)) {
        if (c->page >= 0 && c->written == c->page && c->top != 0)
            c->more = true;
        return c->count_all ? 0 : COLL_STOP;
    }
    if (c->written > 0)
        util_buf_putc(c->out, ',');
    int rc = c->selected ? http_selected_write(c->out, plan, parts[0], 0)
                         : http_entity_write(c->out, c->p, parts[0],
                                             HTTP_ENTITY_ENUM, true);
    c->written++;
    if (c->top > 0)
        c->top--;
    return rc;
}

/* odata.maxpagesize=N from a Prefer header, -1 when absent. */
static int64_t prefer_page(const char *prefer)
{
    const char *k = prefer ? strstr(prefer, "odata.maxpagesize=") : NULL;
    int64_t v = -1;
    if (k == NULL)
        return -1;
    k += strlen("odata.maxpagesize=");
    size_t n = 0;
    while (k[n] >= '0' && k[n] <= '9' && n < 10)
        n++;
    if (util_parse_i64(k, n, 1, 1000000, &v) != 0)
        return -1;
    return v;
}

static bool is_true(const char *s)
{
    return s && util_strnicmp(s, "true", 4) == 0;
}

static void handle_collection(provider *p, const http_request *req,
                              const http_route *rt, http_response *res,
                              bool count_only)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    const cim_class *cls = route_class(p, rt, res);
    wql_select *sel = NULL;
    coll_ctx c;
    int64_t skip = 0, top = -1, token = 0;
    if (cls == NULL)
        return;
    memset(&c, 0, sizeof(c));
    if (odata_parse_count(req->opts.skip, 0, &skip) != 0 ||
        odata_parse_count(req->opts.top, -1, &top) != 0 ||
        odata_parse_count(req->opts.skiptoken, 0, &token) != 0) {
        http_error(res, 400,
                   "$top, $skip and $skiptoken take a "
                   "non-negative integer");
        return;
    }
    bool selected = false;
    int rc = odata_build_select(&sel, req->a, cls->name, &req->opts, &selected,
                                &err);
    c.p = p;
    c.out = &res->body;
    c.selected = selected;
    c.skip = skip + token;
    c.top = top;
    c.page = count_only ? -1 : prefer_page(req->prefer);
    c.count_all = count_only || is_true(req->opts.count);
    if (rc == 0 && count_only) {
        c.top = 0;
        rc = provider_query_select(p, sel, coll_row, &c, &err);
        if (rc == 0) {
            util_buf_printf(&res->body, "%lld", (long long)c.total);
            res->status = 200;
            res->ctype = "text/plain";
            return;
        }
    } else if (rc == 0) {
        util_buf_puts(&res->body, "{\"@odata.context\":\"");
        base_url(&res->body, req, false);
        util_buf_printf(&res->body, "$metadata#%s\",", cls->name);
        size_t count_at = res->body.len;
        util_buf_puts(&res->body, "\"value\":[");
        rc = provider_query_select(p, sel, coll_row, &c, &err);
        if (rc == COLL_STOP)
            rc = 0;
        if (rc == SMSPROV_ETOOBIG && err.code == 0)
            util_error_set(&err, rc, -1,
                           "the result is larger than %d bytes; narrow it "
                           "with $filter, $select or $top",
                           HTTP_MAX_RESULT);
        util_buf_putc(&res->body, ']');
        if (rc == 0 && c.more) {
            util_buf_puts(&res->body, ",\"@odata.nextLink\":\"");
            base_url(&res->body, req, false);
            util_buf_printf(&res->body, "%s?", cls->name);
            /* the same options, next page: JSON-escaped raw query */
            for (const char *q = req->raw_query ? req->raw_query : ""; *q;) {
                const char *amp = strchr(q, '&');
                size_t n = amp ? (size_t)(amp - q) : strlen(q);
                if (!(n >= 10 && util_strnicmp(q, "$skiptoken", 10) == 0)) {
                    for (size_t i = 0; i < n; i++) {
                        if (q[i] == '"' || q[i] == '\\')
                            util_buf_putc(&res->body, '\\');
                        if ((unsigned char)q[i] >= 0x20)
                            util_buf_putc(&res->body, q[i]);
                    }
                    util_buf_putc(&res->body, '&');
                }
                q = amp ? amp + 1 : q + n;
            }
            util_buf_printf(&res->body, "$skiptoken=%lld",
                            (long long)(token + c.written));
            util_buf_putc(&res->body, '"');
        }
        util_buf_putc(&res->body, '}');
        if (rc == 0 && is_true(req->opts.count)) {
            /* "@odata.count" goes before "value" */
            char num[48];
            int n = snprintf(num, sizeof(num), "\"@odata.count\":%lld,",
                             (long long)c.total);
            util_buf tmp = UTIL_BUF_INIT(HTTP_MAX_RESULT);
            util_buf_append(&tmp, res->body.data, count_at);
            util_buf_append(&tmp, num, (size_t)n);
            util_buf_append(&tmp, res->body.data + count_at,
                            res->body.len - count_at);
            util_buf_free(&res->body);
            res->body = tmp;
        }
        if (rc == 0 && !res->body.failed) {
            json_out(res, 200);
            return;
        }
    }
    if (err.code == SMSPROV_EINVALID_CLASS)
        err.code = SMSPROV_EINVALID_QUERY;
    util_buf_reset(&res->body);
    http_error_from(res, &err, NULL);
    if (res->status == 404)
        res->status = 400;
}

/* ---- instances -------------------------------------------------------------
 */

/* Appends a WMI key value: strings quoted and escaped, others bare. */
static void key_text(util_buf *b, const cim_property *kp,
                     const http_route_key *k)
{
    if (kp->type == CIM_STRING || kp->type == CIM_CHAR16 ||
        kp->type == CIM_REFERENCE || kp->type == CIM_DATETIME) {
        util_buf_putc(b, '"');
        for (const char *s = k->text; *s; s++) {
            if (*s == '"' || *s == '\\')
                util_buf_putc(b, '\\');
            util_buf_putc(b, *s);
        }
        util_buf_putc(b, '"');
    } else {
        util_buf_puts(b, k->text);
    }
}

/* The WMI object path of a route's instance, or an error answer. */
static int route_path(util_buf *b, const cim_class *cls, const http_route *rt,
                      http_response *res)
{
    if (rt->nkeys == 1 && rt->keys[0].name == NULL) {
        if (cls->nkeys != 1) {
            http_error(res, 400,
                       "WBEM_E_INVALID_OBJECT_PATH: class '%s' has %u keys; "
                       "name them: %s(Key1=...,Key2=...)",
                       cls->name, cls->nkeys, cls->name);
            return -1;
        }
        const cim_property *kp = &cls->props[cls->keys[0]];
        util_buf_printf(b, "%s.%s=", cls->name, kp->name);
        key_text(b, kp, &rt->keys[0]);
        return 0;
    }
    util_buf_printf(b, "%s.", cls->name);
    for (uint32_t i = 0; i < rt->nkeys; i++) {
        const cim_property *kp =
            cim_class_property(cls, rt->keys[i].name, strlen(rt->keys[i].name));
        if (kp == NULL || !(kp->flags & CIM_P_KEY)) {
            http_error(res, 400,
                       "WBEM_E_INVALID_OBJECT_PATH: '%s' is not a key of "
                       "class '%s'",
                       rt->keys[i].name, cls->name);
            return -1;
        }
        util_buf_printf(b, "%s%s=", i ? "," : "", kp->name);
        key_text(b, kp, &rt->keys[i]);
    }
    return 0;
}

/* 404 for paths that do not resolve, as the real service answers. */
static void instance_error(http_response *res, const smsprov_error *err)
{
    http_error_from(res, err, NULL);
    if (err->code == SMSPROV_EINVALID_OBJECT_PATH ||
        err->code == SMSPROV_ETYPE_MISMATCH)
        res->status = 404;
}

static void handle_get(provider *p, const http_request *req,
                       const http_route *rt, http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_buf path = UTIL_BUF_INIT(CIM_PATH_MAX);
    cim_instance *inst = NULL;
    const cim_class *cls = route_class(p, rt, res);
    if (cls == NULL || route_path(&path, cls, rt, res) != 0) {
        util_buf_free(&path);
        return;
    }
    if (provider_get(&inst, p, util_buf_cstr(&path), path.len, &err) != 0) {
        instance_error(res, &err);
        util_buf_free(&path);
        return;
    }
    util_buf_puts(&res->body, "{\"@odata.context\":\"");
    base_url(&res->body, req, false);
    util_buf_printf(&res->body, "$metadata#%s\",\"value\":[", cls->name);
    http_entity_write(&res->body, p, inst, HTTP_ENTITY_GET, true);
    util_buf_puts(&res->body, "]}");
    json_out(res, 200);
    cim_instance_free(inst);
    util_buf_free(&path);
}

/* Parses a JSON object body; {} for an empty body.  NULL + error answer
 * when it is not an object. */
static json_t *body_object(const http_request *req, http_response *res,
                           bool allow_string)
{
    json_error_t je;
    size_t n = req->body_len;
    while (n > 0 && (req->body[n - 1] == ' ' || req->body[n - 1] == '\n' ||
                     req->body[n - 1] == '\r' || req->body[n - 1] == '\t'))
        n--;
    if (n == 0)
        return json_object();
    json_t *j =
        json_loadb(req->body, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    if (j && allow_string && json_is_string(j)) {
        /* "{}" sent as a JSON string (Microsoft's own sample) */
        const char *s = json_string_value(j);
        json_t *inner = json_loads(s, 0, &je);
        json_decref(j);
        j = inner;
    }
    if (j == NULL) {
        http_error(res, 400, "malformed JSON body at position %d: %s",
                   je.position, je.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_error(res, 400, "the body must be a JSON object");
        return NULL;
    }
    /* OData annotations are not properties */
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(j, tmp, k, v)
    {
        if (k[0] == '@' || strncmp(k, "odata.", 6) == 0)
            json_object_del(j, k);
    }
    return j;
}

/* Writes the answer of a create or update: the bare entity. */
static void entity_answer(provider *p, const http_request *req,
                          http_response *res, const cim_instance *inst,
                          int status)
{
    util_buf_puts(&res->body, "{\"@odata.context\":\"");
    base_url(&res->body, req, false);
    util_buf_printf(&res->body, "$metadata#%s/$entity\",", inst->cls->name);
    http_entity_write(&res->body, p, inst, HTTP_ENTITY_CREATED, false);
    json_out(res, status);
}

static void write_error(http_response *res, const smsprov_error *err)
{
    http_error_from(res, err, NULL);
    if (err->code == SMSPROV_EINVALID_CLASS)
        res->status = 404;
}

static void handle_create(provider *p, const http_request *req,
                          const http_route *rt, http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    const cim_class *cls = route_class(p, rt, res);
    cim_instance *inst = NULL;
    bool created = false;
    if (cls == NULL)
        return;
    json_t *body = body_object(req, res, false);
    if (body == NULL)
        return;
    if (provider_put_json(&inst, &created, p, cls, body, PROVIDER_CLIENT,
                          &err) != 0)
        write_error(res, &err);
    else
        entity_answer(p, req, res, inst, 201);
    cim_instance_free(inst);
    json_decref(body);
}

/* Sets the route's key values into the body (they name the instance). */
static int keys_into(json_t *body, const cim_class *cls, const http_route *rt,
                     http_response *res)
{
    for (uint32_t i = 0; i < rt->nkeys; i++) {
        const cim_property *kp =
            rt->keys[i].name
                ? cim_class_property(cls, rt->keys[i].name,
                                     strlen(rt->keys[i].name))
                : (cls->nkeys == 1 ? &cls->props[cls->keys[0]] : NULL);
        if (kp == NULL || !(kp->flags & CIM_P_KEY)) {
            http_error(res, 400, "WBEM_E_INVALID_OBJECT_PATH: bad key");
            return -1;
        }
        json_object_set_new(body, kp->name, json_string(rt->keys[i].text));
    }
    return 0;
}

static void handle_update(provider *p, const http_request *req,
                          const http_route *rt, http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    const cim_class *cls = route_class(p, rt, res);
    cim_instance *inst = NULL;
    bool created = false;
    if (cls == NULL)
        return;
    json_t *body = body_object(req, res, false);
    if (body == NULL)
        return;
    if (keys_into(body, cls, rt, res) == 0) {
        if (provider_put_json(&inst, &created, p, cls, body, PROVIDER_CLIENT,
                              &err) != 0)
            write_error(res, &err);
        else
            entity_answer(p, req, res, inst, created ? 201 : 200);
    }
    cim_instance_free(inst);
    json_decref(body);
}

static void handle_delete(provider *p, const http_route *rt, http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_buf path = UTIL_BUF_INIT(CIM_PATH_MAX);
    const cim_class *cls = route_class(p, rt, res);
    if (cls != NULL && route_path(&path, cls, rt, res) == 0) {
        if (provider_delete(p, util_buf_cstr(&path), path.len, PROVIDER_CLIENT,
                            &err) != 0) {
            instance_error(res, &err);
        } else {
            res->status = 204;
            res->ctype = NULL;
        }
    }
    util_buf_free(&path);
}

/* ---- methods ---------------------------------------------------------------
 */

static void handle_method(provider *p, const http_request *req,
                          const http_route *rt, http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_buf target = UTIL_BUF_INIT(CIM_PATH_MAX);
    const cim_class *cls = route_class(p, rt, res);
    json_t *in = NULL, *out = NULL;
    if (cls == NULL)
        goto done;
    if (rt->kind == HTTP_R_INSTANCE_METHOD) {
        if (route_path(&target, cls, rt, res) != 0)
            goto done;
    } else {
        util_buf_puts(&target, cls->name);
    }
    in = body_object(req, res, true);
    if (in == NULL)
        goto done;
    int rc = provider_invoke(&out, p, util_buf_cstr(&target), target.len,
                             rt->method, in, &err);
    if (rc != 0) {
        http_error_from(res, &err, NULL);
        if (err.code == SMSPROV_EINVALID_METHOD ||
            err.code == SMSPROV_EINVALID_OBJECT_PATH)
            res->status = err.code == SMSPROV_EINVALID_METHOD ? 400 : 404;
        goto done;
    }
    json_t *o = json_object();
    util_buf ctx = UTIL_BUF_INIT(1024);
    base_url(&ctx, req, false);
    util_buf_puts(&ctx, "$metadata#__PARAMETERS");
    json_object_set_new(o, "@odata.context", json_string(util_buf_cstr(&ctx)));
    util_buf_free(&ctx);
    if (json_is_object(out))
        json_object_update(o, out);
    dump_into(&res->body, o);
    json_out(res, 201);
done:
    json_decref(in);
    json_decref(out);
    util_buf_free(&target);
}

/* ---- WQL endpoint ----------------------------------------------------------
 */

typedef struct wql_ctx {
    provider *p;   /* provider */
    util_buf *out; /* body */
    int64_t n;     /* rows written */
} wql_ctx;

static int wql_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                   void *arg)
{
    wql_ctx *c = arg;
    util_buf *b = c->out;
    if (c->n++ > 0)
        util_buf_putc(b, ',');
    if (plan->is_count) {
        util_buf_putc(b, '{');
        http_json_string(b, plan->count_name ? plan->count_name : "Count");
        util_buf_printf(b, ":%lld}", (long long)count);
    } else if (!plan->nested) {
        http_selected_write(b, plan, parts[0], 0);
    } else {
        util_buf_putc(b, '{');
        for (uint32_t i = 0; i < plan->nparts; i++) {
            if (i > 0)
                util_buf_putc(b, ',');
            http_json_string(b, plan->parts[i].name);
            util_buf_putc(b, ':');
            if (parts[i])
                http_selected_write(b, plan, parts[i], i);
            else
                util_buf_puts(b, "null");
        }
        util_buf_putc(b, '}');
    }
    return b->failed ? SMSPROV_ETOOBIG : 0;
}

static void handle_query(provider *p, const http_request *req,
                         http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *text = req->query_text;
    size_t len = text ? strlen(text) : 0;
    json_t *j = NULL;
    if (text == NULL && req->body_len > 0) {
        j = json_loadb(req->body, req->body_len, 0, NULL);
        if (j && json_is_string(json_object_get(j, "query"))) {
            text = json_string_value(json_object_get(j, "query"));
            len = strlen(text);
        } else if (j == NULL) {
            text = req->body;
            len = req->body_len;
        }
    }
    if (text == NULL || len == 0) {
        http_error(res, 400,
                   "give the WQL text as the body, as {\"query\": \"...\"} or "
                   "as ?query=");
        json_decref(j);
        return;
    }
    wql_ctx c = {p, &res->body, 0};
    util_buf_puts(&res->body, "{\"@odata.context\":\"");
    base_url(&res->body, req, false);
    util_buf_puts(&res->body, "$metadata#__WQL\",\"value\":[");
    int rc = provider_query(p, text, len, wql_row, &c, &err);
    if (rc == 0) {
        util_buf_puts(&res->body, "]}");
        json_out(res, 200);
    } else {
        util_buf_reset(&res->body);
        if (err.line > 0)
            http_error(res,
                       smsprov_code_http_status(err.code) == 404
                           ? 400
                           : smsprov_code_http_status(err.code),
                       "%s: position %d: %s", smsprov_code_wbem_name(err.code),
                       err.offset + 1, err.msg);
        else
            http_error_from(res, &err, NULL);
    }
    json_decref(j);
}

/* ---- dispatch --------------------------------------------------------------
 */

static bool method_is(const http_request *req, const char *m)
{
    return strcmp(req->method, m) == 0;
}

void http_handle(provider *p, const http_request *req, http_response *res)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    http_route rt;
    bool get = method_is(req, "GET") || method_is(req, "HEAD");
    if (http_route_parse(&rt, req->a, req->path, strlen(req->path), &err) !=
        0) {
        http_error(res, 404, "%s: %s", smsprov_code_wbem_name(err.code),
                   err.msg);
        return;
    }
    switch (rt.kind) {
    case HTTP_R_SERVICE:
        if (get)
            return handle_service(p, req, res, rt.v1);
        break;
    case HTTP_R_METADATA:
        if (get)
            return handle_metadata(p, res, rt.v1);
        break;
    case HTTP_R_COLLECTION:
        if (get)
            return handle_collection(p, req, &rt, res, false);
        if (method_is(req, "POST"))
            return handle_create(p, req, &rt, res);
        break;
    case HTTP_R_COUNT:
        if (get)
            return handle_collection(p, req, &rt, res, true);
        break;
    case HTTP_R_INSTANCE:
        if (get)
            return handle_get(p, req, &rt, res);
        if (method_is(req, "PUT") || method_is(req, "PATCH") ||
            method_is(req, "POST"))
            return handle_update(p, req, &rt, res);
        if (method_is(req, "DELETE"))
            return handle_delete(p, &rt, res);
        break;
    case HTTP_R_INSTANCE_METHOD:
        if (method_is(req, "POST"))
            return handle_method(p, req, &rt, res);
        break;
    case HTTP_R_STATIC_METHOD:
        if (method_is(req, "POST") || get)
            return handle_method(p, req, &rt, res);
        break;
    case HTTP_R_QUERY:
        if (method_is(req, "POST") || get)
            return handle_query(p, req, res);
        break;
    default:
        http_error(res, 404,
                   "No HTTP resource was found that matches the request URI "
                   "'%s'",
                   req->path);
        return;
    }
    http_error(res, 405, "method %s is not allowed on '%s'", req->method,
               req->path);
}
