/* SPDX-License-Identifier: MIT */
/*
 * SQLite backend of the store vtable: one connection per store, WAL
 * journal, a 5 s busy timeout, and SQLite result codes turned into
 * SMSPROV_E* codes with SQLite's own message kept in the error.
 */
#include <sqlite3.h>
#include <string.h>

#include "store_int.h"

#define SQLITE_BUSY_MS 5000 /* wait this long for a locked database */
#define SQLITE_SQL_QUOTE 80 /* bytes of SQL quoted in error messages */

/* Maps a (possibly extended) SQLite result code to an SMSPROV_E* code. */
static int map_code(int rc)
{
    switch (rc) {
    case SQLITE_NOMEM:
        return SMSPROV_ENOMEM;
    case SQLITE_TOOBIG:
        return SMSPROV_ETOOBIG;
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return SMSPROV_EEXISTS;
    case SQLITE_RANGE:
    case SQLITE_MISUSE:
        return SMSPROV_EINTERNAL;
    default:
        return SMSPROV_EIO;
    }
}

/*
 * Sets err from the connection's last error, quoting the start of the SQL
 * when given, and returns the mapped code.
 */
static int set_error(smsprov_error *err, sqlite3 *db, int rc, const char *what,
                     const char *sql)
{
    int code = map_code(rc);
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    if (sql == NULL)
        return util_error_set(err, code, -1, "sqlite: %s: %s", what, msg);
    size_t n = strlen(sql);
    return util_error_set(err, code, -1, "sqlite: %s: %s (in \"%.*s%s\")", what,
                          msg,
                          (int)(n > SQLITE_SQL_QUOTE ? SQLITE_SQL_QUOTE : n),
                          sql, n > SQLITE_SQL_QUOTE ? "..." : "");
}

/*
 * Opens (creating if missing) the database file and applies the connection
 * settings every smsprov connection uses.
 */
static int sq_open(void **db_out, const char *uri, smsprov_error *err)
{
    sqlite3 *db = NULL;
    int flags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(uri, &db, flags, NULL);
    *db_out = NULL;
    if (rc != SQLITE_OK) {
        if (db == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1,
                                  "sqlite: cannot open '%s': out of memory",
                                  uri);
        rc = util_error_set(err, map_code(sqlite3_extended_errcode(db)), -1,
                            "sqlite: cannot open '%s': %s", uri,
                            sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, SQLITE_BUSY_MS);
    static const char *const setup = "PRAGMA journal_mode=WAL;"
                                     "PRAGMA synchronous=NORMAL;"
                                     "PRAGMA foreign_keys=OFF;";
    char *msg = NULL;
    rc = sqlite3_exec(db, setup, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        rc = util_error_set(err, map_code(rc), -1,
                            "sqlite: cannot open '%s': %s", uri,
                            msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_close(db);
        return rc;
    }
    *db_out = db;
    return 0;
}

static void sq_close(void *db)
{
    sqlite3_close_v2(db);
}

/* Runs one or more statements, discarding rows. */
static int sq_exec(void *db, const char *sql, smsprov_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return 0;
    int code = map_code(sqlite3_extended_errcode(db));
    size_t n = strlen(sql);
    rc = util_error_set(err, code, -1, "sqlite: %s (in \"%.*s%s\")",
                        msg ? msg : sqlite3_errmsg(db),
                        (int)(n > SQLITE_SQL_QUOTE ? SQLITE_SQL_QUOTE : n), sql,
                        n > SQLITE_SQL_QUOTE ? "..." : "");
    sqlite3_free(msg);
    return rc;
}

/* Compiles the first statement of sql; empty SQL is an error. */
static int sq_prepare(void **h_out, void *db, const char *sql,
                      smsprov_error *err)
{
    sqlite3_stmt *h = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &h, NULL);
    *h_out = NULL;
    if (rc != SQLITE_OK)
        return set_error(err, db, sqlite3_extended_errcode(db), "prepare", sql);
    if (h == NULL)
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "sqlite: prepare: empty statement");
    *h_out = h;
    return 0;
}

static int sq_bind_null(void *h, int i)
{
    int rc = sqlite3_bind_null(h, i);
    return rc == SQLITE_OK ? 0 : map_code(rc);
}

static int sq_bind_int64(void *h, int i, int64_t v)
{
    int rc = sqlite3_bind_int64(h, i, v);
    return rc == SQLITE_OK ? 0 : map_code(rc);
}

static int sq_bind_double(void *h, int i, double v)
{
    int rc = sqlite3_bind_double(h, i, v);
    return rc == SQLITE_OK ? 0 : map_code(rc);
}

/* Binds a copy of z[0..n) (SQLite keeps its own copy). */
static int sq_bind_text(void *h, int i, const char *z, size_t n)
{
    int rc = sqlite3_bind_text64(h, i, z, n, SQLITE_TRANSIENT, SQLITE_UTF8);
    return rc == SQLITE_OK ? 0 : map_code(rc);
}

/*
 * Steps a statement.  On error the statement is reset so that it can be
 * run again, and a uniqueness violation becomes SMSPROV_EEXISTS.
 */
static int sq_step(void *h, smsprov_error *err)
{
    int rc = sqlite3_step(h);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite3 *db = sqlite3_db_handle(h);
    rc = set_error(err, db, sqlite3_extended_errcode(db), "step",
                   sqlite3_sql(h));
    sqlite3_reset(h);
    return rc;
}

/* Rewinds a statement; its bindings stay until rebound. */
static int sq_reset(void *h)
{
    sqlite3_reset(h);
    return 0;
}

static int sq_column_count(void *h)
{
    return sqlite3_column_count(h);
}

static bool sq_column_is_null(void *h, int i)
{
    return sqlite3_column_type(h, i) == SQLITE_NULL;
}

static int64_t sq_column_int64(void *h, int i)
{
    return sqlite3_column_int64(h, i);
}

static double sq_column_double(void *h, int i)
{
    return sqlite3_column_double(h, i);
}

/* Text of a column; "" for NULL (and on out-of-memory in SQLite). */
static const char *sq_column_text(void *h, int i, size_t *len)
{
    const char *z = (const char *)sqlite3_column_text(h, i);
    size_t n = z ? (size_t)sqlite3_column_bytes(h, i) : 0;
    if (len != NULL)
        *len = n;
    return z ? z : "";
}

static void sq_stmt_free(void *h)
{
    sqlite3_finalize(h);
}

static int64_t sq_last_rowid(void *db)
{
    return sqlite3_last_insert_rowid(db);
}

static int64_t sq_changes(void *db)
{
    return sqlite3_changes64(db);
}

const store_backend store_sqlite_backend = {
    .name = "sqlite",
    .dialect = STORE_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .bind_null = sq_bind_null,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .step = sq_step,
    .reset = sq_reset,
    .column_count = sq_column_count,
    .column_is_null = sq_column_is_null,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .stmt_free = sq_stmt_free,
    .last_rowid = sq_last_rowid,
    .changes = sq_changes,
};
