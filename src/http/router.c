/* SPDX-License-Identifier: MIT */
/*
 * The router: a decoded request path becomes a route (service document,
 * $metadata, collection, instance by key in any of the forms scripts use,
 * instance or static method, the WQL endpoint).  Pure: no I/O, fuzzed.
 */
#include <string.h>

#include "http/http_int.h"

char *http_url_decode(util_arena *a, const char *s, size_t n, bool plus_space)
{
    char *out = util_arena_alloc(a, n + 1);
    size_t o = 0;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int h = i + 2 < n ? util_hexval(s[i + 1]) : -1;
            int l = i + 2 < n ? util_hexval(s[i + 2]) : -1;
            if (h < 0 || l < 0)
                return NULL;
            c = (char)(h * 16 + l);
            if (c == '\0')
                return NULL;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c == '\0') {
            return NULL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

/* Case-insensitive prefix match of a path segment. */
static bool seg_is(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && util_strnicmp(s, word, n) == 0;
}

static int bad_key(smsprov_error *err, const char *why)
{
    return util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                          "malformed key: %s", why);
}

/* Parses one key value at s (quoted '...' with '' escapes, or bare up to
 * ',' or the end).  *used receives the bytes consumed. */
static int key_value(http_route_key *k, util_arena *a, const char *s, size_t n,
                     size_t *used, smsprov_error *err)
{
    size_t i = 0;
    if (n > 0 && s[0] == '\'') {
        char *v = util_arena_alloc(a, n + 1);
        size_t o = 0;
        if (v == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        for (i = 1; i < n; i++) {
            if (s[i] == '\'') {
                if (i + 1 < n && s[i + 1] == '\'') {
                    v[o++] = '\'';
                    i++;
                    continue;
                }
                break;
            }
            v[o++] = s[i];
        }
        if (i >= n)
            return bad_key(err, "unterminated string");
        v[o] = '\0';
        k->text = v;
        k->quoted = true;
        *used = i + 1;
        return 0;
    }
    while (i < n && s[i] != ',')
        i++;
    size_t e = i;
    while (e > 0 && s[e - 1] == ' ')
        e--;
    if (e == 0)
        return bad_key(err, "empty value");
    k->text = util_arena_strndup(a, s, e);
    k->quoted = false;
    *used = i;
    return k->text ? 0
                   : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
}

/* Parses the inside of Class( ... ): one bare value or Name=value,... */
static int parse_keys(http_route *r, util_arena *a, const char *s, size_t n,
                      smsprov_error *err)
{
    size_t i = 0;
    while (i < n) {
        if (r->nkeys == HTTP_MAX_KEYS)
            return bad_key(err, "too many keys");
        http_route_key *k = &r->keys[r->nkeys];
        size_t j = i, used = 0;
        while (j < n && s[j] == ' ')
            j++;
        i = j;
        /* Name= ? */
        while (j < n && s[j] != '=' && s[j] != '\'' && s[j] != ',')
            j++;
        k->name = NULL;
        if (j < n && s[j] == '=') {
            size_t e = j;
            while (e > i && s[e - 1] == ' ')
                e--;
            if (e == i)
                return bad_key(err, "empty key name");
            k->name = util_arena_strndup(a, s + i, e - i);
            i = j + 1;
            while (i < n && s[i] == ' ')
                i++;
        }
        int rc = key_value(k, a, s + i, n - i, &used, err);
        if (rc != 0)
            return rc;
        r->nkeys++;
        i += used;
        while (i < n && s[i] == ' ')
            i++;
        if (i < n && s[i] != ',')
            return bad_key(err, "expected ',' or ')'");
        if (i < n)
            i++;
        if (i == n && s[n - 1] == ',')
            return bad_key(err, "empty value");
    }
    if (r->nkeys == 0)
        return bad_key(err, "no key value");
    if (r->nkeys > 1)
        for (uint32_t k = 0; k < r->nkeys; k++)
            if (r->keys[k].name == NULL)
                return bad_key(err, "composite keys must be named");
    return 0;
}

/* "AdminService.<Method>" segment -> method name. */
static const char *action_name(util_arena *a, const char *s, size_t n)
{
    static const char prefix[] = "AdminService.";
    size_t pl = sizeof(prefix) - 1;
    if (n <= pl || util_strnicmp(s, prefix, pl) != 0)
        return NULL;
    return util_arena_strndup(a, s + pl, n - pl);
}

static bool is_ident(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (c >= '0' && c <= '9' && i > 0)))
            return false;
    }
    return true;
}

/* Parses what follows /AdminService/wmi/ (no leading or trailing '/'). */
static int parse_wmi(http_route *r, util_arena *a, const char *s, size_t n,
                     smsprov_error *err)
{
    const char *slash = memchr(s, '/', n);
    size_t first = slash ? (size_t)(slash - s) : n;
    const char *rest = slash ? slash + 1 : NULL;
    size_t rn = slash ? n - first - 1 : 0;
    const char *paren = memchr(s, '(', first);
    if (n == 0) {
        r->kind = HTTP_R_SERVICE;
        return 0;
    }
    if (seg_is(s, first, "$metadata") && !slash) {
        r->kind = HTTP_R_METADATA;
        return 0;
    }
    if (seg_is(s, first, "$query") && !slash) {
        r->kind = HTTP_R_QUERY;
        return 0;
    }
    if (paren) {
        /* Class(keys)[/AdminService.Method] */
        size_t cn = (size_t)(paren - s);
        if (s[first - 1] != ')' || !is_ident(s, cn))
            return 0;
        r->cls = util_arena_strndup(a, s, cn);
        int rc = parse_keys(r, a, paren + 1, first - cn - 2, err);
        if (rc != 0)
            return rc;
        r->kind = HTTP_R_INSTANCE;
    } else {
        const char *dot = memchr(s, '.', first);
        size_t cn = dot ? (size_t)(dot - s) : first;
        if (!is_ident(s, cn))
            return 0;
        r->cls = util_arena_strndup(a, s, cn);
        if (dot) {
            if (slash || !is_ident(dot + 1, first - cn - 1))
                return 0;
            r->method = util_arena_strndup(a, dot + 1, first - cn - 1);
            r->kind = HTTP_R_STATIC_METHOD;
            return 0;
        }
        r->kind = HTTP_R_COLLECTION;
        if (!slash)
            return 0;
        const char *s2 = memchr(rest, '/', rn);
        size_t kn = s2 ? (size_t)(s2 - rest) : rn;
        if (seg_is(rest, kn, "$count") && !s2) {
            r->kind = HTTP_R_COUNT;
            return 0;
        }
        if (kn == 0) {
            r->kind = HTTP_R_NOT_FOUND;
            return 0;
        }
        /* Class/key: the raw segment is the key, quotes optional */
        r->keys[0].name = NULL;
        if (kn >= 2 && rest[0] == '\'' && rest[kn - 1] == '\'') {
            size_t used = 0;
            int rc = key_value(&r->keys[0], a, rest, kn, &used, err);
            if (rc != 0)
                return rc;
        } else {
            r->keys[0].text = util_arena_strndup(a, rest, kn);
            r->keys[0].quoted = false;
        }
        r->nkeys = 1;
        r->kind = HTTP_R_INSTANCE;
        if (!s2)
            return 0;
        rest = s2 + 1;
        rn = n - (size_t)(rest - s);
        slash = s2;
        first = (size_t)(s2 - s);
        goto method;
    }
    if (!slash)
        return 0;
method:
    if (memchr(rest, '/', rn) != NULL ||
        (r->method = action_name(a, rest, rn)) == NULL ||
        !is_ident(r->method, strlen(r->method))) {
        r->kind = HTTP_R_NOT_FOUND;
        r->method = NULL;
        return 0;
    }
    r->kind = HTTP_R_INSTANCE_METHOD;
    return 0;
}

int http_route_parse(http_route *out, util_arena *a, const char *path,
                     size_t len, smsprov_error *err)
{
    static const char *const roots[] = {"/AdminService/",
                                        "/AdminService_TokenAuth/"};
    memset(out, 0, sizeof(*out));
    out->kind = HTTP_R_NOT_FOUND;
    /* trailing slashes and blanks are ignored ("Class/?$filter=") */
    while (len > 0 && (path[len - 1] == '/' || path[len - 1] == ' '))
        len--;
    for (size_t k = 0; k < sizeof(roots) / sizeof(roots[0]); k++) {
        size_t rl = strlen(roots[k]);
        if (len + 1 < rl || util_strnicmp(path, roots[k], rl - 1) != 0)
            continue;
        const char *s = path + rl - 1;
        size_t n = len - (rl - 1);
        if (n == 0 || s[0] != '/')
            continue;
        s++;
        n--;
        const char *slash = memchr(s, '/', n);
        size_t first = slash ? (size_t)(slash - s) : n;
        const char *rest = slash ? slash + 1 : s + n;
        size_t rn = slash ? n - first - 1 : 0;
        if (seg_is(s, first, "wmi"))
            return parse_wmi(out, a, rest, rn, err);
        if (seg_is(s, first, "v1.0")) {
            out->v1 = true;
            if (rn == 0)
                out->kind = HTTP_R_SERVICE;
            else if (seg_is(rest, rn, "$metadata"))
                out->kind = HTTP_R_METADATA;
            return 0;
        }
        return 0;
    }
    return 0;
}
