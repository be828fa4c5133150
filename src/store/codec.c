/* SPDX-License-Identifier: MIT */
/*
 * Column codec: arrays and embedded objects travel as JSON text (jansson)
 * in their TEXT column, scalars as native column values.  Encoding and
 * decoding live together so that every reader sees what writers wrote.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "store_int.h"

#define CODEC_CLASS_KEY "__CLASS" /* JSON member naming an object's class */

/* Decoding context: one property's JSON text. */
typedef struct codec_ctx {
    util_arena *arena;  /* where decoded values go */
    const char *prop;   /* property being decoded, for messages */
    smsprov_error *err; /* the caller's error */
} codec_ctx;

/* Encoding context: the first failure is kept in rc and err. */
typedef struct encode_ctx {
    smsprov_error *err; /* the caller's error (may be NULL) */
    int rc;             /* first failure, 0 while all is well */
} encode_ctx;

/* Records a failure and returns NULL for the json_t result. */
static json_t *enc_fail(encode_ctx *c, int code, const char *msg)
{
    if (c->rc == 0)
        c->rc = code;
    util_error_set(c->err, code, -1, "%s", msg);
    return NULL;
}

static json_t *encode_value(encode_ctx *c, const cim_value *v, int depth);

/* Encodes an embedded instance as {"__CLASS": name, prop: value, ...}. */
static json_t *encode_object(encode_ctx *c, const cim_instance *o, int depth)
{
    if (depth > STORE_JSON_MAX_DEPTH)
        return enc_fail(c, SMSPROV_ETOOBIG, "embedded objects nest too deep");
    json_t *j = json_object();
    if (j == NULL ||
        json_object_set_new(j, CODEC_CLASS_KEY, json_string(o->cls->name)) != 0)
        goto oom;
    for (uint32_t i = 0; i < o->cls->nprops; i++) {
        if (!o->present[i])
            continue;
        json_t *jv = encode_value(c, &o->values[i], depth + 1);
        if (jv == NULL)
            goto fail;
        /* the _new setters release jv even when they fail */
        if (json_object_set_new(j, o->cls->props[i].name, jv) != 0)
            goto oom;
    }
    return j;
oom:
    enc_fail(c, SMSPROV_ENOMEM, "out of memory");
fail:
    json_decref(j);
    return NULL;
}

/* Encodes a string, telling invalid UTF-8 apart from out-of-memory. */
static json_t *encode_string(encode_ctx *c, const char *s)
{
    json_t *j = json_string(s);
    if (j != NULL)
        return j;
    j = json_string_nocheck(s);
    if (j == NULL)
        return enc_fail(c, SMSPROV_ENOMEM, "out of memory");
    json_decref(j);
    return enc_fail(c, SMSPROV_EINVALID_PARAMETER,
                    "a string is not valid UTF-8");
}

/* Encodes one scalar; records the failure and returns NULL when it cannot. */
static json_t *encode_scalar(encode_ctx *c, const cim_value *v, int depth)
{
    json_t *j = NULL;
    char dmtf[UTIL_DMTF_LEN + 1];
    if (v->is_null)
        return json_null(); /* a static singleton: cannot fail */
    switch (v->type) {
    case CIM_BOOLEAN:
        j = json_boolean(v->v.b);
        break;
    case CIM_REAL32:
    case CIM_REAL64:
        if (!isfinite(v->v.r))
            return enc_fail(c, SMSPROV_EOUT_OF_RANGE,
                            "a real that is not finite cannot be stored");
        j = json_real(v->v.r);
        break;
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        return encode_string(c, v->v.s ? v->v.s : "");
    case CIM_DATETIME:
        util_dmtf_format(v->v.i, dmtf);
        j = json_string(dmtf);
        break;
    case CIM_OBJECT:
        if (v->v.obj == NULL)
            return json_null();
        return encode_object(c, v->v.obj, depth);
    default:
        j = json_integer((json_int_t)v->v.i);
        break;
    }
    if (j == NULL)
        return enc_fail(c, SMSPROV_ENOMEM, "out of memory");
    return j;
}

/* Encodes a scalar or an array of scalars. */
static json_t *encode_value(encode_ctx *c, const cim_value *v, int depth)
{
    if (!v->is_array || v->is_null)
        return encode_scalar(c, v, depth);
    json_t *a = json_array();
    if (a == NULL)
        return enc_fail(c, SMSPROV_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < v->count; i++) {
        json_t *e = encode_scalar(c, &v->v.items[i], depth);
        if (e == NULL || json_array_append_new(a, e) != 0) {
            enc_fail(c, SMSPROV_ENOMEM, "out of memory");
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* json_dump_callback sink appending to a util_buf. */
static int dump_to_buf(const char *z, size_t n, void *payload)
{
    return util_buf_append(payload, z, n) == 0 ? 0 : -1;
}

int store_json_encode(char **out, const cim_value *v, smsprov_error *err)
{
    encode_ctx c = {err, 0};
    util_buf b = UTIL_BUF_INIT(STORE_JSON_MAX);
    json_t *j = NULL;
    int rc = 0;
    *out = NULL;
    if (v->is_null)
        return 0;
    j = encode_value(&c, v, 0);
    if (j == NULL) {
        rc = c.rc ? c.rc : SMSPROV_ENOMEM;
        goto out;
    }
    if (json_dump_callback(j, dump_to_buf, &b, JSON_COMPACT) != 0) {
        if (b.failed == SMSPROV_ETOOBIG)
            rc = util_error_set(err, SMSPROV_ETOOBIG, -1,
                                "a value is too big to store");
        else
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        goto out;
    }
    *out = util_buf_detach(&b);
    if (*out == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
out:
    json_decref(j);
    util_buf_free(&b);
    return rc;
}

/* ---- decoding ------------------------------------------------------------ */

static int corrupt(codec_ctx *c, const char *what)
{
    util_error_set(c->err, SMSPROV_EIO, -1, "stored value of %s is corrupt: %s",
                   c->prop, what);
    util_error_object(c->err, c->prop);
    return SMSPROV_EIO;
}

static int decode_value(codec_ctx *c, cim_value *out, cim_type t, bool is_array,
                        const cim_class *emb, json_t *j, int depth);

/* The class named `name` among `c` and its subclasses, or NULL. */
static const cim_class *find_subclass(const cim_class *c, const char *name,
                                      int depth)
{
    if (util_stricmp(c->name, name) == 0)
        return c;
    if (depth > STORE_JSON_MAX_DEPTH)
        return NULL;
    for (uint32_t i = 0; i < c->nchildren; i++) {
        const cim_class *f = find_subclass(c->children[i], name, depth + 1);
        if (f != NULL)
            return f;
    }
    return NULL;
}

/*
 * Decodes an embedded object of class emb (or the subclass its __CLASS
 * names).  Members that are not properties of the class are ignored, so
 * rows written before a property was dropped still read.
 */
static int decode_object(codec_ctx *c, cim_value *out, const cim_class *emb,
                         json_t *j, int depth)
{
    cim_instance *o = NULL;
    const char *key;
    json_t *jv;
    if (depth > STORE_JSON_MAX_DEPTH)
        return corrupt(c, "objects nest too deep");
    if (!json_is_object(j))
        return corrupt(c, "expected an object");
    if (emb == NULL)
        return corrupt(c, "the embedded class is unknown");
    json_t *jc = json_object_get(j, CODEC_CLASS_KEY);
    if (json_is_string(jc)) {
        const cim_class *sub = find_subclass(emb, json_string_value(jc), 0);
        if (sub != NULL)
            emb = sub;
    }
    int rc = cim_instance_new(&o, emb, c->arena, c->err);
    if (rc != 0)
        return rc;
    json_object_foreach(j, key, jv)
    {
        const cim_property *p = cim_class_property(emb, key, strlen(key));
        if (p == NULL)
            continue;
        rc = decode_value(c, &o->values[p->index], p->type, p->is_array,
                          p->embedded, jv, depth + 1);
        if (rc != 0)
            return rc;
        o->present[p->index] = 1;
    }
    out->v.obj = o;
    out->is_null = 0;
    return 0;
}

/* Decodes one scalar of type t into out (already typed and NULL). */
static int decode_scalar(codec_ctx *c, cim_value *out, cim_type t,
                         const cim_class *emb, json_t *j, int depth)
{
    if (json_is_null(j))
        return 0;
    switch (t) {
    case CIM_BOOLEAN:
        if (json_is_boolean(j))
            out->v.b = json_is_true(j);
        else if (json_is_integer(j))
            out->v.b = json_integer_value(j) != 0;
        else
            return corrupt(c, "expected a boolean");
        break;
    case CIM_REAL32:
    case CIM_REAL64:
        if (!json_is_number(j))
            return corrupt(c, "expected a number");
        out->v.r = json_number_value(j);
        break;
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        if (!json_is_string(j))
            return corrupt(c, "expected a string");
        out->v.s = util_arena_strndup(c->arena, json_string_value(j),
                                      json_string_length(j));
        if (out->v.s == NULL)
            return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
        break;
    case CIM_DATETIME:
        if (json_is_integer(j)) {
            out->v.i = json_integer_value(j);
        } else if (!json_is_string(j) ||
                   util_dmtf_parse(json_string_value(j), json_string_length(j),
                                   &out->v.i) != 0) {
            return corrupt(c, "expected a DMTF date-time");
        }
        break;
    case CIM_OBJECT:
        return decode_object(c, out, emb, j, depth);
    default:
        if (!json_is_integer(j))
            return corrupt(c, "expected an integer");
        out->v.i = (int64_t)json_integer_value(j);
        break;
    }
    out->is_null = 0;
    return 0;
}

/* Decodes a scalar or a JSON array of scalars into out. */
static int decode_value(codec_ctx *c, cim_value *out, cim_type t, bool is_array,
                        const cim_class *emb, json_t *j, int depth)
{
    *out = cim_value_null(t, is_array);
    if (!is_array || json_is_null(j))
        return decode_scalar(c, out, t, emb, j, depth);
    if (!json_is_array(j))
        return corrupt(c, "expected an array");
    size_t n = json_array_size(j);
    if (n > UINT32_MAX / sizeof(cim_value))
        return corrupt(c, "array too long");
    if (n > 0) {
        out->v.items = util_arena_alloc(c->arena, n * sizeof(cim_value));
        if (out->v.items == NULL)
            return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        out->v.items[i] = cim_value_null(t, false);
        int rc = decode_scalar(c, &out->v.items[i], t, emb,
                               json_array_get(j, i), depth);
        if (rc != 0)
            return rc;
    }
    out->count = (uint32_t)n;
    out->is_null = 0;
    return 0;
}

int store_json_decode(cim_value *out, util_arena *a, const cim_property *p,
                      const char *text, size_t len, smsprov_error *err)
{
    codec_ctx c = {a, p->name, err};
    json_error_t jerr;
    *out = cim_value_null(p->type, p->is_array);
    json_t *j = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    /* jansson leaves the message empty when its lexer cannot allocate */
    if (j == NULL && (json_error_code(&jerr) == json_error_out_of_memory ||
                      jerr.text[0] == '\0'))
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (j == NULL)
        return corrupt(&c, jerr.text);
    int rc = decode_value(&c, out, p->type, p->is_array, p->embedded, j, 0);
    json_decref(j);
    return rc;
}

/*
 * Decodes column col of the current row as property p of inst and marks it
 * present.  NULL columns give a NULL value.
 */
int store_decode_column(cim_instance *inst, const cim_property *p,
                        store_stmt *st, int col, smsprov_error *err)
{
    if (UTIL_NEVER(p->index >= inst->cls->nprops))
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "property %s is not in class %s", p->name,
                              inst->cls->name);
    cim_value *v = &inst->values[p->index];
    *v = cim_value_null(p->type, p->is_array);
    if (!store_column_is_null(st, col)) {
        size_t n = 0;
        const char *z;
        if (p->is_array || p->type == CIM_OBJECT) {
            z = store_column_text(st, col, &n);
            int rc = store_json_decode(v, inst->arena, p, z, n, err);
            if (rc != 0)
                return rc;
            inst->present[p->index] = 1;
            return 0;
        }
        switch (p->type) {
        case CIM_BOOLEAN:
            v->v.b = store_column_int64(st, col) != 0;
            break;
        case CIM_REAL32:
        case CIM_REAL64:
            v->v.r = store_column_double(st, col);
            break;
        case CIM_STRING:
        case CIM_CHAR16:
        case CIM_REFERENCE:
            z = store_column_text(st, col, &n);
            v->v.s = util_arena_strndup(inst->arena, z, n);
            if (v->v.s == NULL)
                return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            break;
        default:
            v->v.i = store_column_int64(st, col);
            break;
        }
        v->is_null = 0;
    }
    inst->present[p->index] = 1;
    return 0;
}
