/* SPDX-License-Identifier: MIT */
/*
 * Storage layout rules shared by the DDL, instance CRUD and the WQL
 * planner: table, side-table and index names, column types, the row-id
 * key rule, and how one CIM value is bound as a statement parameter.
 */
#include <string.h>

#include "store_int.h"

/* Appends name with embedded double quotes doubled (no outer quotes). */
static int put_escaped(util_buf *out, const char *name)
{
    const char *q;
    while ((q = strchr(name, '"')) != NULL) {
        util_buf_append(out, name, (size_t)(q - name) + 1);
        util_buf_putc(out, '"');
        name = q + 1;
    }
    return util_buf_puts(out, name);
}

int store_sql_ident(util_buf *out, const char *name)
{
    util_buf_putc(out, '"');
    put_escaped(out, name);
    return util_buf_putc(out, '"');
}

int store_sql_table(util_buf *out, const cim_class *cls)
{
    return store_sql_ident(out, cls->name);
}

int store_sql_array_table(util_buf *out, const cim_class *cls,
                          const cim_property *p)
{
    util_buf_putc(out, '"');
    put_escaped(out, cls->name);
    util_buf_puts(out, "__");
    put_escaped(out, p->name);
    return util_buf_putc(out, '"');
}

int store_sql_index_name(util_buf *out, const char *kind, const char *table,
                         const char *col, const char *suffix)
{
    util_buf_putc(out, '"');
    util_buf_puts(out, kind);
    util_buf_putc(out, ':');
    put_escaped(out, table);
    if (col != NULL) {
        util_buf_putc(out, ':');
        put_escaped(out, col);
    }
    if (suffix != NULL) {
        util_buf_putc(out, ':');
        put_escaped(out, suffix);
    }
    return util_buf_putc(out, '"');
}

bool store_key_is_rowid(const cim_class *cls)
{
    if (cls->nkeys != 1)
        return false;
    const cim_property *k = &cls->props[cls->keys[0]];
    return !k->is_array && cim_type_is_integer(k->type);
}

int store_sql_rowid(util_buf *out, const cim_class *cls)
{
    if (store_key_is_rowid(cls))
        return store_sql_ident(out, cls->props[cls->keys[0]].name);
    return store_sql_ident(out, STORE_OID_COLUMN);
}

bool store_prop_has_side_table(const cim_property *p)
{
    return p->is_array && p->type != CIM_OBJECT;
}

const char *store_sql_type(const cim_property *p, bool element)
{
    if ((p->is_array && !element) || p->type == CIM_OBJECT)
        return "TEXT";
    switch (p->type) {
    case CIM_REAL32:
    case CIM_REAL64:
        return "REAL";
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        return "TEXT COLLATE NOCASE";
    default:
        return "INTEGER"; /* integers, booleans (0/1), DateTime (us) */
    }
}

/*
 * Binds v as parameter i.  Scalars go in natively (booleans 0/1, DateTime
 * microseconds); arrays and embedded objects as their JSON text, so the
 * value reads back through store_decode_column.
 */
int store_bind_value(store_stmt *st, int i, const cim_value *v)
{
    if (v->is_null)
        return store_bind_null(st, i);
    if (v->is_array || v->type == CIM_OBJECT) {
        char *json = NULL;
        int rc = store_json_encode(&json, v, NULL);
        if (rc == 0)
            rc = json ? store_bind_text(st, i, json, strlen(json))
                      : store_bind_null(st, i);
        util_free(json);
        return rc;
    }
    switch (v->type) {
    case CIM_BOOLEAN:
        return store_bind_int64(st, i, v->v.b ? 1 : 0);
    case CIM_REAL32:
    case CIM_REAL64:
        return store_bind_double(st, i, v->v.r);
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        if (v->v.s == NULL)
            return store_bind_null(st, i);
        return store_bind_text(st, i, v->v.s, strlen(v->v.s));
    default:
        return store_bind_int64(st, i, v->v.i);
    }
}
