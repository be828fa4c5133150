/* SPDX-License-Identifier: MIT */
/*
 * Instance CRUD over the layout of layout.c: one row per instance in its
 * class's table plus one side-table row per element of each scalar array.
 * Rows are found by their keys, always as bound parameters; everything
 * else is addressed by row id.
 */
#include <string.h>

#include "store_int.h"

/* Prepares the SQL accumulated in b (reporting a failed buffer). */
static int prepare_buf(store_stmt **out, store *s, const util_buf *b,
                       smsprov_error *err)
{
    *out = NULL;
    if (b->failed)
        return util_error_set(err, b->failed, -1, "%s",
                              b->failed == SMSPROV_ETOOBIG
                                  ? "generated SQL is too long"
                                  : "out of memory");
    return store_prepare(out, s, util_buf_cstr(b), err);
}

/* Reports a failed bind (the backends give codes, not messages). */
static int bind_failed(smsprov_error *err, int rc, const cim_property *p)
{
    util_error_set(err, rc, -1, "cannot bind a value for %s",
                   p ? p->name : "a row id");
    if (p != NULL)
        util_error_object(err, p->name);
    return rc;
}

/* Binds a property value; arrays and objects as JSON text. */
static int bind_prop(store_stmt *st, int i, const cim_property *p,
                     const cim_value *v, smsprov_error *err)
{
    int rc = 0;
    if (v == NULL || v->is_null)
        rc = store_bind_null(st, i);
    else if (v->is_array || v->type == CIM_OBJECT) {
        char *json = NULL;
        rc = store_json_encode(&json, v, err);
        if (rc != 0) {
            util_error_object(err, p->name);
            return rc;
        }
        rc = store_bind_text(st, i, json, strlen(json));
        util_free(json);
    } else
        rc = store_bind_value(st, i, v);
    return rc == 0 ? 0 : bind_failed(err, rc, p);
}

/*
 * Checks that every key of inst is set: rows are found by their keys.  A
 * class without keys (a singleton) has one row, found with no condition.
 */
static int check_keys(const cim_instance *inst, smsprov_error *err)
{
    const cim_class *cls = inst->cls;
    for (uint32_t k = 0; k < cls->nkeys; k++) {
        const cim_value *v = cim_instance_get(inst, cls->keys[k]);
        if (v == NULL || v->is_null) {
            const char *name = cls->props[cls->keys[k]].name;
            util_error_set(err, SMSPROV_EILLEGAL_NULL, -1,
                           "key %s.%s has no value", cls->name, name);
            util_error_object(err, name);
            return SMSPROV_EILLEGAL_NULL;
        }
    }
    return 0;
}

/* Appends " WHERE "K1" = ? AND "K2" = ?" (keys in class order). */
static void put_key_where(util_buf *b, const cim_class *cls)
{
    for (uint32_t k = 0; k < cls->nkeys; k++) {
        util_buf_puts(b, k == 0 ? " WHERE " : " AND ");
        store_sql_ident(b, cls->props[cls->keys[k]].name);
        util_buf_puts(b, " = ?");
    }
}

/* Binds the key values of inst from parameter `first` on. */
static int bind_keys(store_stmt *st, int first, const cim_instance *inst,
                     smsprov_error *err)
{
    const cim_class *cls = inst->cls;
    for (uint32_t k = 0; k < cls->nkeys; k++) {
        uint32_t i = cls->keys[k];
        int rc = bind_prop(st, first + (int)k, &cls->props[i],
                           cim_instance_get(inst, i), err);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Runs a statement that returns no rows. */
static int run_stmt(store_stmt *st, smsprov_error *err)
{
    int rc = store_step(st, err);
    if (rc == 1)
        rc = 0; /* a row from a write statement: nothing to read */
    return rc;
}

/* The row id of the row with the keys of `keys`; SMSPROV_ENOTFOUND. */
static int find_oid(int64_t *out, store *s, const cim_instance *keys,
                    smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    store_stmt *st = NULL;
    util_buf_puts(&b, "SELECT ");
    store_sql_rowid(&b, keys->cls);
    util_buf_puts(&b, " FROM ");
    store_sql_table(&b, keys->cls);
    put_key_where(&b, keys->cls);
    int rc = prepare_buf(&st, s, &b, err);
    if (rc == 0)
        rc = bind_keys(st, 1, keys, err);
    if (rc == 0)
        rc = store_step(st, err);
    if (rc == 1) {
        *out = store_column_int64(st, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                            "no %s instance with these keys", keys->cls->name);
        util_error_object(err, keys->cls->name);
    }
    store_stmt_free(st);
    util_buf_free(&b);
    return rc;
}

/* Deletes the side-table rows of one array property of row oid. */
static int delete_side(store *s, util_buf *b, const cim_class *cls,
                       const cim_property *p, int64_t oid, smsprov_error *err)
{
    store_stmt *st = NULL;
    util_buf_reset(b);
    util_buf_puts(b, "DELETE FROM ");
    store_sql_array_table(b, cls, p);
    util_buf_puts(b, " WHERE oid = ?");
    int rc = prepare_buf(&st, s, b, err);
    if (rc == 0) {
        rc = store_bind_int64(st, 1, oid);
        rc = rc ? bind_failed(err, rc, NULL) : run_stmt(st, err);
    }
    store_stmt_free(st);
    return rc;
}

/*
 * Inserts one side-table row per non-NULL element of array v (NULL
 * elements cannot match "array = value" and are left out; idx keeps the
 * element's position).  One statement serves all elements.
 */
static int insert_side(store *s, util_buf *b, const cim_class *cls,
                       const cim_property *p, const cim_value *v, int64_t oid,
                       smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = 0;
    if (v == NULL || v->is_null || v->count == 0)
        return 0;
    util_buf_reset(b);
    util_buf_puts(b, "INSERT INTO ");
    store_sql_array_table(b, cls, p);
    util_buf_puts(b, " (oid, idx, v) VALUES (?, ?, ?)");
    rc = prepare_buf(&st, s, b, err);
    for (uint32_t i = 0; rc == 0 && i < v->count; i++) {
        if (v->v.items[i].is_null)
            continue;
        store_reset(st);
        rc = store_bind_int64(st, 1, oid);
        if (rc == 0)
            rc = store_bind_int64(st, 2, (int64_t)i);
        if (rc == 0)
            rc = store_bind_value(st, 3, &v->v.items[i]);
        rc = rc ? bind_failed(err, rc, p) : run_stmt(st, err);
    }
    store_stmt_free(st);
    return rc;
}

/*
 * Writes the side tables of row oid from inst.  With replace, the old rows
 * of each present array go first; absent arrays are left alone.
 */
static int write_sides(store *s, const cim_instance *inst, int64_t oid,
                       bool replace, smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    const cim_class *cls = inst->cls;
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++) {
        const cim_property *p = &cls->props[i];
        if (!store_prop_has_side_table(p) || !inst->present[i])
            continue;
        if (replace)
            rc = delete_side(s, &b, cls, p, oid, err);
        if (rc == 0)
            rc = insert_side(s, &b, cls, p, &inst->values[i], oid, err);
    }
    util_buf_free(&b);
    return rc;
}

static int cached_stmt(store_stmt **st, int *slot, store *s,
                       const cim_class *cls, store_cached_kind kind,
                       smsprov_error *err);
static void put_back(store *s, int slot, store_stmt *st, const cim_class *cls,
                     store_cached_kind kind);

/*
 * INSERT of every column (absent properties are NULL).  With a row-id key
 * the key value becomes the row id; otherwise SQLite assigns one.
 */
int store_instance_insert(store *s, const cim_instance *inst,
                          smsprov_error *err)
{
    const cim_class *cls = inst->cls;
    store_stmt *st = NULL;
    int slot = -1;
    int rc = check_keys(inst, err);
    if (rc != 0)
        return rc;
    rc = cached_stmt(&st, &slot, s, cls, STORE_CACHED_INSERT, err);
    for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++)
        rc = bind_prop(st, (int)i + 1, &cls->props[i],
                       cim_instance_get(inst, i), err);
    if (rc == 0)
        rc = run_stmt(st, err);
    if (rc == SMSPROV_EEXISTS) {
        util_error_clear(err);
        util_error_set(err, SMSPROV_EEXISTS, -1,
                       "an instance of %s with these keys already exists",
                       cls->name);
        util_error_object(err, cls->name);
    }
    int64_t oid = rc == 0 ? store_last_rowid(s) : 0;
    if (st != NULL)
        put_back(s, slot, st, cls, STORE_CACHED_INSERT);
    if (rc == 0)
        rc = write_sides(s, inst, oid, false, err);
    return rc;
}

/*
 * UPDATE of the present non-key properties of the row with inst's keys
 * (absent properties keep their stored value, so a caller that did not
 * load lazy properties cannot wipe them); present arrays get new side rows.
 */
int store_instance_update(store *s, const cim_instance *inst,
                          smsprov_error *err)
{
    const cim_class *cls = inst->cls;
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    store_stmt *st = NULL;
    int64_t oid = 0;
    int n = 0;
    int rc = check_keys(inst, err);
    if (rc == 0)
        rc = find_oid(&oid, s, inst, err);
    if (rc != 0)
        return rc;
    util_buf_puts(&b, "UPDATE ");
    store_sql_table(&b, cls);
    for (uint32_t i = 0; i < cls->nprops; i++) {
        if (!inst->present[i] || (cls->props[i].flags & CIM_P_KEY))
            continue;
        util_buf_puts(&b, n++ == 0 ? " SET " : ", ");
        store_sql_ident(&b, cls->props[i].name);
        util_buf_puts(&b, " = ?");
    }
    if (n > 0) {
        util_buf_puts(&b, " WHERE ");
        store_sql_rowid(&b, cls);
        util_buf_puts(&b, " = ?");
        rc = prepare_buf(&st, s, &b, err);
        n = 0;
        for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++) {
            if (!inst->present[i] || (cls->props[i].flags & CIM_P_KEY))
                continue;
            rc = bind_prop(st, ++n, &cls->props[i], &inst->values[i], err);
        }
        if (rc == 0) {
            rc = store_bind_int64(st, n + 1, oid);
            rc = rc ? bind_failed(err, rc, NULL) : run_stmt(st, err);
        }
    }
    if (rc == 0)
        rc = write_sides(s, inst, oid, true, err);
    store_stmt_free(st);
    util_buf_free(&b);
    return rc;
}

/* Deletes the row with the keys of `keys` and its side-table rows. */
int store_instance_delete(store *s, const cim_instance *keys,
                          smsprov_error *err)
{
    const cim_class *cls = keys->cls;
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    store_stmt *st = NULL;
    int64_t oid = 0;
    int rc = check_keys(keys, err);
    if (rc == 0)
        rc = find_oid(&oid, s, keys, err);
    if (rc != 0)
        return rc;
    util_buf_puts(&b, "DELETE FROM ");
    store_sql_table(&b, cls);
    util_buf_puts(&b, " WHERE ");
    store_sql_rowid(&b, cls);
    util_buf_puts(&b, " = ?");
    rc = prepare_buf(&st, s, &b, err);
    if (rc == 0) {
        rc = store_bind_int64(st, 1, oid);
        rc = rc ? bind_failed(err, rc, NULL) : run_stmt(st, err);
    }
    for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++)
        if (store_prop_has_side_table(&cls->props[i]))
            rc = delete_side(s, &b, cls, &cls->props[i], oid, err);
    store_stmt_free(st);
    util_buf_free(&b);
    return rc;
}

/* True when property i is read by a load (lazy ones only on request). */
static bool is_loaded(const cim_class *cls, uint32_t i, bool with_lazy)
{
    return with_lazy || !(cls->props[i].flags & CIM_P_LAZY);
}

/* Appends "SELECT "P1", "P2", ... FROM "Class"". */
static void put_select(util_buf *b, const cim_class *cls, bool with_lazy)
{
    int n = 0;
    util_buf_puts(b, "SELECT ");
    for (uint32_t i = 0; i < cls->nprops; i++) {
        if (!is_loaded(cls, i, with_lazy))
            continue;
        if (n++ > 0)
            util_buf_puts(b, ", ");
        store_sql_ident(b, cls->props[i].name);
    }
    if (n == 0)
        util_buf_puts(b, "NULL"); /* a class of lazy properties only */
    util_buf_puts(b, " FROM ");
    store_sql_table(b, cls);
}

/* INSERT of every column (absent properties bind NULL). */
static void put_insert(util_buf *b, const cim_class *cls)
{
    util_buf_puts(b, "INSERT INTO ");
    store_sql_table(b, cls);
    util_buf_puts(b, " (");
    for (uint32_t i = 0; i < cls->nprops; i++) {
        if (i > 0)
            util_buf_puts(b, ", ");
        store_sql_ident(b, cls->props[i].name);
    }
    util_buf_puts(b, ") VALUES (");
    for (uint32_t i = 0; i < cls->nprops; i++)
        util_buf_puts(b, i > 0 ? ", ?" : "?");
    util_buf_putc(b, ')');
}

/* Reads the current row of a put_select statement into a new instance. */
static int decode_row(cim_instance **out, store_stmt *st, const cim_class *cls,
                      bool with_lazy, smsprov_error *err)
{
    cim_instance *inst = NULL;
    int col = 0;
    *out = NULL;
    int rc = cim_instance_new(&inst, cls, NULL, err);
    for (uint32_t i = 0; rc == 0 && i < cls->nprops; i++) {
        if (is_loaded(cls, i, with_lazy))
            rc = store_decode_column(inst, &cls->props[i], st, col++, err);
    }
    if (rc != 0) {
        cim_instance_free(inst);
        return rc;
    }
    *out = inst;
    return 0;
}

/*
 * The prepared per-class statements, kept per connection: gets are the
 * hottest path (every AdminService single-instance GET) and inserts the
 * bulk of scans and imports, and SQLite's prepare costs more than the
 * lookup or the insert.  The slot is taken from the cache while in use
 * and handed back reset, so a nested use prepares anew.
 */
static int cached_stmt(store_stmt **st, int *slot, store *s,
                       const cim_class *cls, store_cached_kind kind,
                       smsprov_error *err)
{
    size_t h = (((uintptr_t)cls >> 4) * 3 + kind) % STORE_GET_CACHE;
    store_get_entry *e = &s->gets[h];
    *slot = -1;
    if (e->cls == cls && e->kind == kind && e->st != NULL) {
        *st = e->st;
        e->st = NULL;
        *slot = (int)h;
        return 0;
    }
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    if (kind == STORE_CACHED_INSERT) {
        put_insert(&b, cls);
    } else {
        put_select(&b, cls, kind == STORE_CACHED_GET_LAZY);
        put_key_where(&b, cls);
    }
    int rc = prepare_buf(st, s, &b, err);
    util_buf_free(&b);
    if (rc == 0) {
        store_stmt_free(e->st);
        e->cls = cls;
        e->kind = kind;
        e->st = NULL;
        *slot = (int)h;
    }
    return rc;
}

/* Hands a cached statement back to its slot (reset) or frees it. */
static void put_back(store *s, int slot, store_stmt *st, const cim_class *cls,
                     store_cached_kind kind)
{
    store_get_entry *e = slot >= 0 ? &s->gets[slot] : NULL; /* its slot */
    if (e == NULL || e->st != NULL || e->cls != cls || e->kind != kind) {
        store_stmt_free(st);
        return;
    }
    store_reset(st);
    e->st = st;
}

/* Loads the row with the keys of `keys`; SMSPROV_ENOTFOUND when none. */
int store_instance_get(cim_instance **out, store *s, const cim_instance *keys,
                       bool with_lazy, smsprov_error *err)
{
    const cim_class *cls = keys->cls;
    store_stmt *st = NULL;
    int slot = -1;
    *out = NULL;
    int rc = check_keys(keys, err);
    if (rc != 0)
        return rc;
    store_cached_kind kind =
        with_lazy ? STORE_CACHED_GET_LAZY : STORE_CACHED_GET;
    rc = cached_stmt(&st, &slot, s, cls, kind, err);
    if (rc == 0)
        rc = bind_keys(st, 1, keys, err);
    if (rc == 0)
        rc = store_step(st, err);
    if (rc == 1) {
        rc = decode_row(out, st, cls, with_lazy, err);
    } else if (rc == 0) {
        rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                            "no %s instance with these keys", cls->name);
        util_error_object(err, cls->name);
    }
    if (st != NULL)
        put_back(s, slot, st, cls, kind);
    return rc;
}

/* Walks the rows of one class's table in row-id order. */
int store_instance_enum(store *s, const cim_class *cls,
                        int (*fn)(const cim_instance *inst, void *payload),
                        void *payload, smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    store_stmt *st = NULL;
    put_select(&b, cls, false);
    util_buf_puts(&b, " ORDER BY ");
    store_sql_rowid(&b, cls);
    int rc = prepare_buf(&st, s, &b, err);
    while (rc == 0) {
        cim_instance *inst = NULL;
        rc = store_step(st, err);
        if (rc != 1)
            break;
        rc = decode_row(&inst, st, cls, false, err);
        if (rc == 0)
            rc = fn(inst, payload);
        cim_instance_free(inst);
    }
    store_stmt_free(st);
    util_buf_free(&b);
    return rc;
}

/* SELECT MAX(key); 0 for an empty table. */
int store_max_key(int64_t *out, store *s, const cim_class *cls,
                  const cim_property *key, smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(STORE_SQL_MAX);
    store_stmt *st = NULL;
    *out = 0;
    if (!cim_type_is_integer(key->type) || key->is_array) {
        util_error_set(err, SMSPROV_ETYPE_MISMATCH, -1,
                       "%s.%s is not an integer", cls->name, key->name);
        util_error_object(err, key->name);
        return SMSPROV_ETYPE_MISMATCH;
    }
    util_buf_puts(&b, "SELECT MAX(");
    store_sql_ident(&b, key->name);
    util_buf_puts(&b, ") FROM ");
    store_sql_table(&b, cls);
    int rc = prepare_buf(&st, s, &b, err);
    if (rc == 0)
        rc = store_step(st, err);
    if (rc == 1) {
        if (!store_column_is_null(st, 0))
            *out = store_column_int64(st, 0);
        rc = 0;
    }
    store_stmt_free(st);
    util_buf_free(&b);
    return rc;
}
