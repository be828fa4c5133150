/* SPDX-License-Identifier: MIT */
/*
 * store front end: picks the backend from the URI, forwards statements and
 * cursors through its vtable, and implements nested transactions on top of
 * the backend's single BEGIN/COMMIT/ROLLBACK.
 */
#include <string.h>

#include "store_int.h"

/* True when uri starts with prefix (ASCII case-insensitive). */
static bool has_prefix(const char *uri, const char *prefix)
{
    return util_strnicmp(uri, prefix, strlen(prefix)) == 0;
}

/*
 * Opens the database named by uri.  PostgreSQL URIs are recognised but not
 * supported yet; anything else is a SQLite file path.
 */
int store_open(store **out, const char *uri, smsprov_error *err)
{
    store *s = NULL;
    int rc = 0;
    *out = NULL;
    if (uri == NULL || uri[0] == '\0')
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "no database given");
    if (has_prefix(uri, "postgres://") || has_prefix(uri, "postgresql://"))
        return util_error_set(err, SMSPROV_ENOTSUPPORTED, -1,
                              "PostgreSQL databases are not supported by "
                              "this build yet; use a SQLite file path");
    s = util_calloc(1, sizeof(*s));
    if (s == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    s->be = &store_sqlite_backend;
    s->dialect = s->be->dialect;
    rc = s->be->open(&s->db, uri, err);
    if (rc != 0)
        goto out;
    *out = s;
    s = NULL;
out:
    util_free(s);
    return rc;
}

void store_close(store *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < STORE_GET_CACHE; i++)
        store_stmt_free(s->gets[i].st);
    s->be->close(s->db);
    util_free(s);
}

store_dialect store_get_dialect(const store *s)
{
    return s->dialect;
}

int store_exec(store *s, const char *sql, smsprov_error *err)
{
    return s->be->exec(s->db, sql, err);
}

/*
 * Opens a transaction level.  Only the outermost level starts a database
 * transaction (BEGIN IMMEDIATE, so writers queue on the lock up front
 * instead of failing at their first write).
 */
int store_begin(store *s, smsprov_error *err)
{
    if (s->tx_depth == 0) {
        int rc = s->be->exec(s->db, "BEGIN IMMEDIATE", err);
        if (rc != 0)
            return rc;
        s->tx_doomed = false;
    }
    s->tx_depth++;
    return 0;
}

/*
 * Closes a transaction level; the outermost one commits.  The level is
 * closed whatever the result, so callers never roll back after a failed
 * commit.  Once any level rolled back, every commit up to the outermost
 * fails with SMSPROV_EIO and the outermost one rolls back the writes done
 * since.  A failed COMMIT is rolled back too.
 */
int store_commit(store *s, smsprov_error *err)
{
    int rc = 0;
    if (UTIL_NEVER(s->tx_depth <= 0))
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "commit without a transaction");
    s->tx_depth--;
    if (s->tx_doomed) {
        if (s->tx_depth == 0) {
            s->be->exec(s->db, "ROLLBACK", NULL);
            s->tx_doomed = false;
        }
        return util_error_set(err, SMSPROV_EIO, -1,
                              "transaction was rolled back");
    }
    if (s->tx_depth > 0)
        return 0;
    rc = s->be->exec(s->db, "COMMIT", err);
    if (rc != 0)
        s->be->exec(s->db, "ROLLBACK", NULL);
    return rc;
}

/*
 * Closes a transaction level and rolls the whole transaction back.  When
 * outer levels remain, a new database transaction is opened at once and
 * marked doomed: writes the outer levels still make cannot autocommit and
 * are undone by their final commit, which reports the rollback.
 */
void store_rollback(store *s)
{
    if (s->tx_depth <= 0)
        return;
    s->tx_depth--;
    if (!s->tx_doomed || s->tx_depth == 0)
        s->be->exec(s->db, "ROLLBACK", NULL);
    if (s->tx_depth == 0) {
        s->tx_doomed = false;
        return;
    }
    if (!s->tx_doomed) {
        s->tx_doomed = true;
        s->be->exec(s->db, "BEGIN IMMEDIATE", NULL);
    }
}

int store_prepare(store_stmt **out, store *s, const char *sql,
                  smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = 0;
    *out = NULL;
    st = util_calloc(1, sizeof(*st));
    if (st == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    st->s = s;
    rc = s->be->prepare(&st->h, s->db, sql, err);
    if (rc != 0)
        goto out;
    *out = st;
    st = NULL;
out:
    util_free(st);
    return rc;
}

int store_bind_null(store_stmt *st, int i)
{
    return st->s->be->bind_null(st->h, i);
}

int store_bind_int64(store_stmt *st, int i, int64_t v)
{
    return st->s->be->bind_int64(st->h, i, v);
}

int store_bind_double(store_stmt *st, int i, double v)
{
    return st->s->be->bind_double(st->h, i, v);
}

int store_bind_text(store_stmt *st, int i, const char *z, size_t n)
{
    if (z == NULL)
        return st->s->be->bind_null(st->h, i);
    return st->s->be->bind_text(st->h, i, z, n);
}

int store_step(store_stmt *st, smsprov_error *err)
{
    return st->s->be->step(st->h, err);
}

int store_reset(store_stmt *st)
{
    return st->s->be->reset(st->h);
}

int store_column_count(store_stmt *st)
{
    return st->s->be->column_count(st->h);
}

bool store_column_is_null(store_stmt *st, int i)
{
    return st->s->be->column_is_null(st->h, i);
}

int64_t store_column_int64(store_stmt *st, int i)
{
    return st->s->be->column_int64(st->h, i);
}

double store_column_double(store_stmt *st, int i)
{
    return st->s->be->column_double(st->h, i);
}

const char *store_column_text(store_stmt *st, int i, size_t *len)
{
    return st->s->be->column_text(st->h, i, len);
}

void store_stmt_free(store_stmt *st)
{
    if (st == NULL)
        return;
    st->s->be->stmt_free(st->h);
    util_free(st);
}

int64_t store_last_rowid(store *s)
{
    return s->be->last_rowid(s->db);
}

int64_t store_changes(store *s)
{
    return s->be->changes(s->db);
}
