/* SPDX-License-Identifier: MIT */
/*
 * store: persistence behind one small interface.  A backend (SQLite by
 * default, PostgreSQL later) implements the vtable in store_int.h; callers
 * see connections, prepared statements, transactions, the schema DDL derived
 * from the class registry, and instance CRUD.  Knows nothing of WQL or HTTP.
 *
 * Storage layout (shared with the WQL planner; see docs/storage.md):
 *  - one table per concrete class, named as the class; one column per
 *    (flattened) property, named as the property;
 *  - integers, booleans (0/1) and DateTime (UTC microseconds) are INTEGER,
 *    reals REAL, strings TEXT COLLATE NOCASE (WQL compares case-blind);
 *  - arrays and embedded objects are JSON text in their column, and every
 *    scalar array also has a side table "<Class>__<Prop>"(oid, idx, v) with
 *    an index on (v, oid), so "array = value" is an indexed lookup;
 *  - rows are addressed by the backend's row id (SQLite rowid), which is the
 *    key itself for classes with one integer key.
 */
#ifndef SMSPROV_STORE_H
#define SMSPROV_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "cim/cim.h"

typedef enum store_dialect {
    STORE_SQLITE = 0,
    STORE_POSTGRES = 1,
} store_dialect;

typedef struct store store;
typedef struct store_stmt store_stmt;

/*
 * Opens a database: a file path (SQLite, created if missing, WAL mode) or
 * later "postgres://...".  *out is NULL on failure.
 */
int store_open(store **out, const char *uri, smsprov_error *err);
void store_close(store *s);
store_dialect store_get_dialect(const store *s);

/* Runs SQL without results (DDL, pragmas). */
int store_exec(store *s, const char *sql, smsprov_error *err);
/* Transactions nest: only the outermost begin/commit touch the database;
 * a rollback at any depth rolls the whole transaction back. */
int store_begin(store *s, smsprov_error *err);
int store_commit(store *s, smsprov_error *err);
void store_rollback(store *s);

int store_prepare(store_stmt **out, store *s, const char *sql,
                  smsprov_error *err);
/* Parameters are 1-based. */
int store_bind_null(store_stmt *st, int i);
int store_bind_int64(store_stmt *st, int i, int64_t v);
int store_bind_double(store_stmt *st, int i, double v);
int store_bind_text(store_stmt *st, int i, const char *z, size_t n);
/* 1 = a row is ready, 0 = done, <0 = error. */
int store_step(store_stmt *st, smsprov_error *err);
int store_reset(store_stmt *st);
int store_column_count(store_stmt *st);
bool store_column_is_null(store_stmt *st, int i); /* 0-based */
int64_t store_column_int64(store_stmt *st, int i);
double store_column_double(store_stmt *st, int i);
/* Borrowed until the next step/reset; *len may be NULL. */
const char *store_column_text(store_stmt *st, int i, size_t *len);
void store_stmt_free(store_stmt *st);
int64_t store_last_rowid(store *s);
int64_t store_changes(store *s);

/* ---- layout helpers (also used by the planner) --------------------------- */

/* Appends the quoted table name of a class: "SMS_SoftwareUpdate". */
int store_sql_table(util_buf *out, const cim_class *cls);
/* Appends the quoted side-table name of a scalar array property. */
int store_sql_array_table(util_buf *out, const cim_class *cls,
                          const cim_property *p);
/* Appends a quoted identifier. */
int store_sql_ident(util_buf *out, const char *name);
/* True when the class's one integer key is the row id. */
bool store_key_is_rowid(const cim_class *cls);
/* Encodes a scalar value for binding (ints, bools, datetimes as int64;
 * strings as text). */
int store_bind_value(store_stmt *st, int i, const cim_value *v);

/* ---- schema --------------------------------------------------------------- */

/*
 * Creates the tables, side tables and indexes for every concrete class of
 * the schema that does not have them yet (idempotent), inside one
 * transaction.  Also creates the store's own meta tables.
 */
int store_schema_apply(store *s, const cim_schema *schema, smsprov_error *err);

/* ---- instances ------------------------------------------------------------ */

/*
 * Inserts a fully validated instance (keys present; the provider has
 * applied defaults and checks).  SMSPROV_EEXISTS when the keys exist.
 * Writes the side tables of its arrays too.  Not transactional by itself:
 * callers wrap it in store_begin/commit.
 */
int store_instance_insert(store *s, const cim_instance *inst,
                          smsprov_error *err);
/* Writes the present properties over the stored row with the same keys
 * (absent ones keep their value); SMSPROV_ENOTFOUND if none. */
int store_instance_update(store *s, const cim_instance *inst,
                          smsprov_error *err);
/* Deletes the row whose keys are set in `keys`; SMSPROV_ENOTFOUND if none. */
int store_instance_delete(store *s, const cim_instance *keys,
                          smsprov_error *err);
/*
 * Loads the row whose keys are set in `keys` into a new instance with all
 * properties present (lazy ones too when with_lazy).  SMSPROV_ENOTFOUND
 * when there is none.  *out is owned by the caller (own arena).
 */
int store_instance_get(cim_instance **out, store *s, const cim_instance *keys,
                       bool with_lazy, smsprov_error *err);
/*
 * Enumerates every row of a class (not its subclasses) without lazy
 * properties; calls fn for each instance (borrowed for the call).  fn
 * returning non-zero stops the walk and is returned.
 */
int store_instance_enum(store *s, const cim_class *cls,
                        int (*fn)(const cim_instance *inst, void *payload),
                        void *payload, smsprov_error *err);
/*
 * Decodes column `col` of the current row of `st` as property p of inst
 * (JSON arrays and embedded objects included).  Used by CRUD and by query
 * execution so both read rows the same way.
 */
int store_decode_column(cim_instance *inst, const cim_property *p,
                        store_stmt *st, int col, smsprov_error *err);
/* Largest integer stored in a key column (for site-assigned keys), 0 if
 * the table is empty. */
int store_max_key(int64_t *out, store *s, const cim_class *cls,
                  const cim_property *key, smsprov_error *err);

#endif
