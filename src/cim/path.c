/* SPDX-License-Identifier: MIT */
/*
 * WMI object paths: parsing `[\\server\ns:]Class.K=v,K2="s"` and writing
 * __RELPATH / __PATH with keys in alphabetical order as WMI does.
 */
#include <string.h>

#include "cim.h"

typedef struct path_parser {
    const char *s;      /* text */
    size_t len;         /* its length */
    size_t i;           /* cursor */
    util_arena *a;      /* destination */
    smsprov_error *err; /* where errors go */
} path_parser;

static int fail(path_parser *p, const char *what)
{
    return util_error_set(p->err, SMSPROV_EINVALID_OBJECT_PATH, (int)p->i,
                          "invalid object path: %s", what);
}

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

static const char *read_ident(path_parser *p)
{
    size_t start = p->i;
    while (p->i < p->len && is_ident(p->s[p->i]))
        p->i++;
    if (p->i == start)
        return NULL;
    return util_arena_strndup(p->a, p->s + start, p->i - start);
}

/* Reads a quoted string with backslash escapes into arena memory. */
static const char *read_quoted(path_parser *p)
{
    char q = p->s[p->i++];
    char *out = util_arena_alloc(p->a, p->len - p->i + 1);
    size_t n = 0;
    if (out == NULL)
        return NULL;
    while (p->i < p->len && p->s[p->i] != q) {
        if (p->s[p->i] == '\\' && p->i + 1 < p->len)
            p->i++;
        out[n++] = p->s[p->i++];
    }
    if (p->i >= p->len)
        return NULL;
    p->i++;
    out[n] = '\0';
    return out;
}

int cim_path_parse(cim_path **out, util_arena *a, const char *text, size_t len,
                   smsprov_error *err)
{
    path_parser p = {text, len, 0, a, err};
    *out = NULL;
    if (len > CIM_PATH_MAX)
        return util_error_set(err, SMSPROV_ETOOBIG, 0,
                              "object path longer than %d bytes", CIM_PATH_MAX);
    cim_path *path = util_arena_alloc(a, sizeof(*path));
    cim_path_key *keys =
        util_arena_alloc(a, sizeof(cim_path_key) * CIM_PATH_MAX_KEYS);
    if (path == NULL || keys == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    path->keys = keys;
    /* Optional \\server\namespace: prefix. */
    const char *colon = memchr(text, ':', len);
    if (len >= 2 && (text[0] == '\\' || text[0] == '/') && colon != NULL) {
        size_t i = 2;
        while (i < len && text[i] != '\\' && text[i] != '/')
            i++;
        path->server = util_arena_strndup(a, text + 2, i > 2 ? i - 2 : 0);
        size_t ns = i < len ? i + 1 : i;
        path->ns =
            util_arena_strndup(a, text + ns, (size_t)(colon - text) - ns);
        p.i = (size_t)(colon - text) + 1;
    } else if (colon != NULL && memchr(text, '.', len) != NULL &&
               colon < (const char *)memchr(text, '.', len)) {
        path->ns = util_arena_strndup(a, text, (size_t)(colon - text));
        p.i = (size_t)(colon - text) + 1;
    }
    path->class_name = read_ident(&p);
    if (path->class_name == NULL)
        return fail(&p, "expected a class name");
    if (p.i == len)
        return fail(&p, "expected '.' and key values after the class name");
    if (p.s[p.i] == '=' && p.i + 1 < len && p.s[p.i + 1] == '@' &&
        p.i + 2 == len) {
        path->singleton = true;
        *out = path;
        return 0;
    }
    if (p.s[p.i] != '.')
        return fail(&p, "expected '.' after the class name");
    p.i++;
    for (;;) {
        if (path->nkeys == CIM_PATH_MAX_KEYS)
            return util_error_set(err, SMSPROV_ETOOBIG, (int)p.i,
                                  "more than %d keys", CIM_PATH_MAX_KEYS);
        cim_path_key *k = &keys[path->nkeys];
        k->name = read_ident(&p);
        if (k->name == NULL)
            return fail(&p, "expected a key property name");
        if (p.i >= len || p.s[p.i] != '=')
            return fail(&p, "expected '=' after the key name");
        p.i++;
        if (p.i < len && (p.s[p.i] == '"' || p.s[p.i] == '\'')) {
            size_t at = p.i;
            k->quoted = true;
            k->text = read_quoted(&p);
            if (k->text == NULL) {
                p.i = at;
                return fail(&p, "unterminated string");
            }
        } else {
            /* unquoted: a number or TRUE/FALSE */
            size_t start = p.i;
            while (p.i < len && (is_ident(p.s[p.i]) || p.s[p.i] == '-' ||
                                 p.s[p.i] == '+' || p.s[p.i] == '.'))
                p.i++;
            if (p.i == start)
                return fail(&p, "expected a key value");
            if (p.i < len && p.s[p.i] != ',')
                return fail(&p, "unexpected character in a key value: "
                                "quote string values");
            k->text = util_arena_strndup(a, text + start, p.i - start);
        }
        path->nkeys++;
        if (p.i == len)
            break;
        if (p.s[p.i] != ',')
            return fail(&p, "expected ',' between keys");
        p.i++;
    }
    *out = path;
    return 0;
}

static bool needs_quotes(cim_type t)
{
    return t == CIM_STRING || t == CIM_CHAR16 || t == CIM_REFERENCE ||
           t == CIM_DATETIME;
}

int cim_path_format_rel(util_buf *out, const cim_instance *inst)
{
    const cim_class *c = inst->cls;
    util_buf_puts(out, c->name);
    for (uint32_t k = 0; k < c->nkeys; k++) {
        const cim_property *p = &c->props[c->keys[k]];
        const cim_value *v = cim_instance_get(inst, p->index);
        util_buf_putc(out, k == 0 ? '.' : ',');
        util_buf_puts(out, p->name);
        util_buf_putc(out, '=');
        if (v == NULL || v->is_null) {
            util_buf_puts(out, "NULL");
            continue;
        }
        if (!needs_quotes(p->type)) {
            cim_value_to_text(out, v);
            continue;
        }
        util_buf_putc(out, '"');
        util_buf tmp = UTIL_BUF_INIT(CIM_PATH_MAX);
        cim_value_to_text(&tmp, v);
        for (size_t i = 0; i < tmp.len; i++) {
            if (tmp.data[i] == '"' || tmp.data[i] == '\\')
                util_buf_putc(out, '\\');
            util_buf_putc(out, tmp.data[i]);
        }
        util_buf_free(&tmp);
        util_buf_putc(out, '"');
    }
    return out->failed;
}

int cim_path_format_full(util_buf *out, const char *server, const char *ns,
                         const cim_instance *inst)
{
    util_buf_printf(out, "\\\\%s\\%s:", server, ns);
    return cim_path_format_rel(out, inst);
}
