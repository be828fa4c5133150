/* SPDX-License-Identifier: MIT */
/*
 * Schema DDL: derives tables, array side tables and indexes from the class
 * registry and brings an existing database up to date (new classes get
 * tables, new properties get columns), all in one transaction.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define DDL_META_TABLE "smsprov_meta"

/* Runs the SQL accumulated in b, then empties b. */
static int run(store *s, util_buf *b, smsprov_error *err)
{
    if (b->failed)
        return util_error_set(err, b->failed, -1, "%s",
                              b->failed == SMSPROV_ETOOBIG
                                  ? "generated SQL is too long"
                                  : "out of memory");
    int rc = store_exec(s, util_buf_cstr(b), err);
    util_buf_reset(b);
    return rc;
}

/* Appends `"Name" TYPE` for a column of the main table. */
static void put_column(util_buf *b, const cim_class *cls, const cim_property *p)
{
    store_sql_ident(b, p->name);
    util_buf_putc(b, ' ');
    if (store_key_is_rowid(cls) && p->index == cls->keys[0])
        util_buf_puts(b, "INTEGER PRIMARY KEY");
    else
        util_buf_puts(b, store_sql_type(p, false));
}

/*
 * Marks in have[] the properties that already are columns of the class's
 * table; *exists tells whether the table is there at all.
 */
static int read_columns(bool *exists, bool *have, store *s,
                        const cim_class *cls, smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc =
        store_prepare(&st, s, "SELECT name FROM pragma_table_info(?)", err);
    *exists = false;
    if (rc != 0)
        return rc;
    rc = store_bind_text(st, 1, cls->name, strlen(cls->name));
    if (rc != 0) {
        util_error_set(err, rc, -1, "cannot bind a table name");
        goto out;
    }
    for (;;) {
        rc = store_step(st, err);
        if (rc != 1)
            break;
        size_t n = 0;
        const char *z = store_column_text(st, 0, &n);
        const cim_property *p = cim_class_property(cls, z, n);
        *exists = true;
        if (p != NULL)
            have[p->index] = true;
    }
out:
    store_stmt_free(st);
    return rc;
}

/* CREATE TABLE for a class that has none yet. */
static int create_table(store *s, util_buf *b, const cim_class *cls,
                        smsprov_error *err)
{
    util_buf_puts(b, "CREATE TABLE ");
    store_sql_table(b, cls);
    util_buf_puts(b, " (");
    if (!store_key_is_rowid(cls)) {
        /* an explicit alias keeps row ids stable across VACUUM, which the
         * side tables' oid columns rely on */
        store_sql_ident(b, STORE_OID_COLUMN);
        util_buf_puts(b, " INTEGER PRIMARY KEY");
    }
    for (uint32_t i = 0; i < cls->nprops; i++) {
        if (i > 0 || !store_key_is_rowid(cls))
            util_buf_puts(b, ", ");
        put_column(b, cls, &cls->props[i]);
    }
    util_buf_putc(b, ')');
    return run(s, b, err);
}

/* ALTER TABLE ADD COLUMN for every property the table lacks. */
static int add_columns(store *s, util_buf *b, const cim_class *cls,
                       const bool *have, smsprov_error *err)
{
    for (uint32_t i = 0; i < cls->nprops; i++) {
        const cim_property *p = &cls->props[i];
        if (have[i])
            continue;
        util_buf_puts(b, "ALTER TABLE ");
        store_sql_table(b, cls);
        util_buf_puts(b, " ADD COLUMN ");
        store_sql_ident(b, p->name);
        util_buf_putc(b, ' ');
        util_buf_puts(b, store_sql_type(p, false));
        int rc = run(s, b, err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Appends a column reference for an index, with NOCASE for text. */
static void put_index_column(util_buf *b, const cim_property *p)
{
    store_sql_ident(b, p->name);
    if (strstr(store_sql_type(p, false), "NOCASE") != NULL)
        util_buf_puts(b, " COLLATE NOCASE");
}

/* CREATE INDEX IF NOT EXISTS on one column of the class's table. */
static int create_column_index(store *s, util_buf *b, const cim_class *cls,
                               const cim_property *p, smsprov_error *err)
{
    util_buf_puts(b, "CREATE INDEX IF NOT EXISTS ");
    store_sql_index_name(b, "ix", cls->name, p->name, NULL);
    util_buf_puts(b, " ON ");
    store_sql_table(b, cls);
    util_buf_putc(b, '(');
    put_index_column(b, p);
    util_buf_putc(b, ')');
    return run(s, b, err);
}

/*
 * Key and lookup indexes.  Classes whose key is not the row id get a
 * UNIQUE index over all keys, plus a plain index on each further key
 * column (the first is the unique index's prefix already).  [unique]
 * properties get a plain index: uniqueness is checked by the provider,
 * which can then report the property at fault.  So do properties with
 * WMI's [Indexed] qualifier: the ones scripts filter on (ArticleID, ...).
 */
static int create_indexes(store *s, util_buf *b, const cim_class *cls,
                          smsprov_error *err)
{
    int rc = 0;
    bool rowid = store_key_is_rowid(cls);
    if (!rowid && cls->nkeys > 0) {
        util_buf_puts(b, "CREATE UNIQUE INDEX IF NOT EXISTS ");
        store_sql_index_name(b, "pk", cls->name, NULL, NULL);
        util_buf_puts(b, " ON ");
        store_sql_table(b, cls);
        util_buf_putc(b, '(');
        for (uint32_t k = 0; k < cls->nkeys; k++) {
            if (k > 0)
                util_buf_puts(b, ", ");
            put_index_column(b, &cls->props[cls->keys[k]]);
        }
        util_buf_putc(b, ')');
        rc = run(s, b, err);
        for (uint32_t k = 1; rc == 0 && k < cls->nkeys; k++)
            rc = create_column_index(s, b, cls, &cls->props[cls->keys[k]], err);
    }
    for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++) {
        const cim_property *p = &cls->props[i];
        bool wanted = (p->flags & CIM_P_UNIQUE) ||
                      cim_property_qualifier(p, "Indexed") != NULL;
        if (wanted && !(p->flags & CIM_P_KEY) && !p->is_array &&
            p->type != CIM_OBJECT)
            rc = create_column_index(s, b, cls, p, err);
    }
    return rc;
}

/* The side table of a scalar array and its two indexes. */
static int create_side_table(store *s, util_buf *b, const cim_class *cls,
                             const cim_property *p, smsprov_error *err)
{
    util_buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    store_sql_array_table(b, cls, p);
    util_buf_printf(b, " (oid INTEGER NOT NULL, idx INTEGER NOT NULL, v %s);",
                    store_sql_type(p, true));
    util_buf_puts(b, "CREATE INDEX IF NOT EXISTS ");
    store_sql_index_name(b, "ix", cls->name, p->name, "v");
    util_buf_puts(b, " ON ");
    store_sql_array_table(b, cls, p);
    util_buf_puts(b, " (v, oid);");
    util_buf_puts(b, "CREATE INDEX IF NOT EXISTS ");
    store_sql_index_name(b, "ix", cls->name, p->name, "oid");
    util_buf_puts(b, " ON ");
    store_sql_array_table(b, cls, p);
    util_buf_puts(b, " (oid)");
    return run(s, b, err);
}

/* Brings the tables of one concrete class up to date. */
static int apply_class(store *s, util_buf *b, const cim_class *cls,
                       smsprov_error *err)
{
    bool exists = false;
    bool *have = util_calloc(cls->nprops ? cls->nprops : 1, sizeof(bool));
    int rc = 0;
    if (have == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    rc = read_columns(&exists, have, s, cls, err);
    if (rc == 0)
        rc = exists ? add_columns(s, b, cls, have, err)
                    : create_table(s, b, cls, err);
    if (rc == 0)
        rc = create_indexes(s, b, cls, err);
    for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++)
        if (store_prop_has_side_table(&cls->props[i]))
            rc = create_side_table(s, b, cls, &cls->props[i], err);
    util_free(have);
    if (rc != 0)
        util_error_object(err, cls->name);
    return rc;
}

/* FNV-1a over the stored shape (classes, columns, types) of the schema. */
static int schema_hash(uint32_t *out, const cim_schema *schema)
{
    util_buf d = UTIL_BUF_INIT(STORE_SQL_MAX);
    for (uint32_t c = 0; c < schema->nclasses; c++) {
        const cim_class *cls = schema->classes[c];
        if (!cim_class_is_concrete(cls))
            continue;
        util_buf_printf(&d, "%s(", cls->name);
        for (uint32_t i = 0; i < cls->nprops; i++)
            util_buf_printf(&d, "%s:%d%s,", cls->props[i].name,
                            (int)cls->props[i].type,
                            cls->props[i].is_array ? "[]" : "");
        util_buf_putc(&d, ')');
    }
    int rc = d.failed;
    *out = util_hash_ci(util_buf_cstr(&d), d.len);
    util_buf_free(&d);
    return rc;
}

/* Reads smsprov_meta.schema_version (0 when absent). */
static int read_version(int64_t *out, store *s, smsprov_error *err)
{
    store_stmt *st = NULL;
    *out = 0;
    int rc = store_prepare(&st, s,
                           "SELECT value FROM " DDL_META_TABLE
                           " WHERE key = 'schema_version'",
                           err);
    if (rc != 0)
        return rc;
    rc = store_step(st, err);
    if (rc == 1) {
        size_t n = 0;
        const char *z = store_column_text(st, 0, &n);
        rc = util_parse_i64(z, n, 0, INT64_MAX, out);
        if (rc != 0)
            rc = util_error_set(err, SMSPROV_EIO, -1,
                                "database has a bad schema_version '%s'", z);
    }
    store_stmt_free(st);
    return rc;
}

/* Stores one meta key/value pair. */
static int write_meta(store *s, const char *key, const char *value,
                      smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = store_prepare(&st, s,
                           "INSERT INTO " DDL_META_TABLE
                           " (key, value) VALUES (?, ?) ON CONFLICT (key) "
                           "DO UPDATE SET value = excluded.value",
                           err);
    if (rc != 0)
        return rc;
    rc = store_bind_text(st, 1, key, strlen(key));
    if (rc == 0)
        rc = store_bind_text(st, 2, value, strlen(value));
    if (rc == 0)
        rc = store_step(st, err);
    else
        rc = util_error_set(err, rc, -1, "cannot bind meta value");
    store_stmt_free(st);
    return rc;
}

/*
 * Creates or updates every concrete class's tables.  A database written by
 * a newer layout version is refused rather than half-understood.
 */
int store_schema_apply(store *s, const cim_schema *schema, smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    int64_t version = 0;
    uint32_t hash = 0;
    char text[32];
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = store_exec(s,
                    "CREATE TABLE IF NOT EXISTS " DDL_META_TABLE
                    " (key TEXT PRIMARY KEY, value TEXT)",
                    err);
    if (rc == 0)
        rc = read_version(&version, s, err);
    if (rc == 0 && version > STORE_LAYOUT_VERSION)
        rc = util_error_set(err, SMSPROV_ENOTSUPPORTED, -1,
                            "database layout version %lld is newer than "
                            "this smsprov's (%d)",
                            (long long)version, STORE_LAYOUT_VERSION);
    for (uint32_t c = 0; rc == 0 && c < schema->nclasses; c++)
        if (cim_class_is_concrete(schema->classes[c]))
            rc = apply_class(s, &b, schema->classes[c], err);
    if (rc == 0) {
        rc = schema_hash(&hash, schema);
        if (rc != 0)
            util_error_set(err, rc, -1, "out of memory");
    }
    if (rc == 0) {
        snprintf(text, sizeof(text), "%d", STORE_LAYOUT_VERSION);
        rc = write_meta(s, "schema_version", text, err);
    }
    if (rc == 0) {
        snprintf(text, sizeof(text), "%08x", (unsigned)hash);
        rc = write_meta(s, "class_hash", text, err);
    }
    util_buf_free(&b);
    if (rc != 0) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}
