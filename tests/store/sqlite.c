/* SPDX-License-Identifier: MIT */
/*
 * Tests of the store front end over the SQLite backend: opening (WAL and
 * the other pragmas), statements and binding, error reporting, and nested
 * transactions with their rollback rules.
 */
#include "store/store_test.h"

/* Per-test state: a fresh temporary database. */
typedef struct fixture {
    char path[TEST_DB_PATH_MAX]; /* database file */
    store *s;                    /* open connection */
} fixture;

static int setup(void **state)
{
    fixture *f = util_calloc(1, sizeof(*f));
    f->s = test_db_open(f->path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    test_db_remove(f->path);
    util_free(f);
    return 0;
}

static void exec_ok(store *s, const char *sql)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (store_exec(s, sql, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
}

static void test_store_sqlite__open_pragmas(void **state)
{
    fixture *f = *state;
    char mode[16];
    test_db_text(f->s, "PRAGMA journal_mode", mode, sizeof(mode));
    assert_string_equal(mode, "wal");
    assert_int_equal(test_db_int(f->s, "PRAGMA synchronous"), 1);
    assert_int_equal(test_db_int(f->s, "PRAGMA foreign_keys"), 0);
    assert_int_equal(test_db_int(f->s, "PRAGMA busy_timeout"), 5000);
    assert_int_equal(store_get_dialect(f->s), STORE_SQLITE);
}

static void test_store_sqlite__open_creates_file(void **state)
{
    (void)state;
    char path[TEST_DB_PATH_MAX];
    smsprov_error err = SMSPROV_ERROR_INIT;
    store *s = NULL;
    test_db_path(path);
    unlink(path);
    assert_int_equal(store_open(&s, path, &err), 0);
    exec_ok(s, "CREATE TABLE t (a)");
    store_close(s);
    assert_int_equal(access(path, F_OK), 0);
    test_db_remove(path);
}

static void test_store_sqlite__open_errors(void **state)
{
    (void)state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    store *s = (store *)&err;
    assert_int_equal(store_open(&s, "postgres://db/sms", &err),
                     SMSPROV_ENOTSUPPORTED);
    assert_null(s);
    assert_non_null(strstr(err.msg, "PostgreSQL"));

    smsprov_error err2 = SMSPROV_ERROR_INIT;
    assert_int_equal(store_open(&s, "/nonexistent-dir/x/y.db", &err2),
                     SMSPROV_EIO);
    assert_null(s);
    assert_non_null(strstr(err2.msg, "/nonexistent-dir/x/y.db"));

    smsprov_error err3 = SMSPROV_ERROR_INIT;
    assert_int_equal(store_open(&s, "", &err3), SMSPROV_EINVALID_PARAMETER);
}

static void test_store_sqlite__bind_step(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = NULL;
    exec_ok(f->s, "CREATE TABLE t (i INTEGER, r REAL, s TEXT, n)");
    assert_int_equal(
        store_prepare(&st, f->s, "INSERT INTO t VALUES (?, ?, ?, ?)", &err), 0);
    assert_int_equal(store_bind_int64(st, 1, INT64_MIN), 0);
    assert_int_equal(store_bind_double(st, 2, 2.5), 0);
    assert_int_equal(store_bind_text(st, 3, "hello world", 5), 0);
    assert_int_equal(store_bind_null(st, 4), 0);
    assert_int_equal(store_bind_int64(st, 5, 1), SMSPROV_EINTERNAL);
    assert_int_equal(store_step(st, &err), 0);
    assert_int_equal(store_changes(f->s), 1);
    assert_int_equal(store_last_rowid(f->s), 1);
    /* reset keeps the bindings; rebinding one is enough */
    assert_int_equal(store_reset(st), 0);
    assert_int_equal(store_bind_int64(st, 1, 42), 0);
    assert_int_equal(store_step(st, &err), 0);
    assert_int_equal(store_last_rowid(f->s), 2);
    store_stmt_free(st);

    assert_int_equal(store_prepare(&st, f->s,
                                   "SELECT i, r, s, n FROM t ORDER BY rowid",
                                   &err),
                     0);
    assert_int_equal(store_column_count(st), 4);
    assert_int_equal(store_step(st, &err), 1);
    assert_true(store_column_int64(st, 0) == INT64_MIN);
    assert_true(store_column_double(st, 1) == 2.5);
    size_t len = 0;
    assert_string_equal(store_column_text(st, 2, &len), "hello");
    assert_int_equal(len, 5);
    assert_true(store_column_is_null(st, 3));
    assert_false(store_column_is_null(st, 0));
    assert_int_equal(store_step(st, &err), 1);
    assert_int_equal(store_column_int64(st, 0), 42);
    assert_string_equal(store_column_text(st, 2, NULL), "hello");
    assert_int_equal(store_step(st, &err), 0);
    store_stmt_free(st);
    assert_int_equal(err.code, 0);
    store_stmt_free(NULL);
}

static void test_store_sqlite__errors(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = (store_stmt *)&err;
    assert_int_equal(store_exec(f->s, "SELEC 1", &err), SMSPROV_EIO);
    assert_non_null(strstr(err.msg, "syntax error"));
    assert_non_null(strstr(err.msg, "SELEC 1"));

    smsprov_error err2 = SMSPROV_ERROR_INIT;
    assert_int_equal(store_prepare(&st, f->s, "SELECT * FROM nosuch", &err2),
                     SMSPROV_EIO);
    assert_null(st);
    assert_non_null(strstr(err2.msg, "no such table: nosuch"));

    smsprov_error err3 = SMSPROV_ERROR_INIT;
    assert_int_equal(store_prepare(&st, f->s, "  ", &err3), SMSPROV_EINTERNAL);
}

/* A unique violation is EEXISTS, and the statement can run again. */
static void test_store_sqlite__unique_is_eexists(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = NULL;
    exec_ok(f->s, "CREATE TABLE u (k TEXT COLLATE NOCASE UNIQUE)");
    assert_int_equal(store_prepare(&st, f->s, "INSERT INTO u VALUES (?)", &err),
                     0);
    assert_int_equal(store_bind_text(st, 1, "abc", 3), 0);
    assert_int_equal(store_step(st, &err), 0);
    store_reset(st);
    assert_int_equal(store_bind_text(st, 1, "ABC", 3), 0);
    assert_int_equal(store_step(st, &err), SMSPROV_EEXISTS);
    assert_non_null(strstr(err.msg, "UNIQUE"));
    util_error_clear(&err);
    assert_int_equal(store_bind_text(st, 1, "def", 3), 0);
    assert_int_equal(store_step(st, &err), 0);
    store_stmt_free(st);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM u"), 2);
}

/* Rows visible to a second connection (committed data only). */
static int64_t other_count(const char *path)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    store *o = NULL;
    assert_int_equal(store_open(&o, path, &err), 0);
    int64_t n = test_db_int(o, "SELECT count(*) FROM t");
    store_close(o);
    return n;
}

static void test_store_sqlite__tx_nesting(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    exec_ok(f->s, "CREATE TABLE t (a)");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (1)");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (2)");
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(other_count(f->path), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(other_count(f->path), 2);
    /* back in autocommit: a new transaction can start */
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(err.code, 0);
}

static void test_store_sqlite__tx_rollback_outer(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    exec_ok(f->s, "CREATE TABLE t (a)");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (1)");
    store_rollback(f->s);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM t"), 0);
    store_rollback(f->s); /* no transaction: harmless */
    exec_ok(f->s, "INSERT INTO t VALUES (1)");
    assert_int_equal(other_count(f->path), 1);
}

/*
 * An inner rollback undoes everything, later writes at the outer level are
 * undone too, and the outer commit reports the rollback.
 */
static void test_store_sqlite__tx_rollback_inner(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    exec_ok(f->s, "CREATE TABLE t (a)");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (1)");
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (2)");
    store_rollback(f->s);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM t"), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (3)");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_commit(f->s, &err), SMSPROV_EIO);
    util_error_clear(&err);
    assert_int_equal(store_commit(f->s, &err), SMSPROV_EIO);
    assert_string_equal(err.msg, "transaction was rolled back");
    assert_int_equal(other_count(f->path), 0);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM t"), 0);

    /* the connection is usable again */
    util_error_clear(&err);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (4)");
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(other_count(f->path), 1);
}

/* Rolling back every level after an inner rollback ends cleanly. */
static void test_store_sqlite__tx_rollback_all_levels(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    exec_ok(f->s, "CREATE TABLE t (a)");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_begin(f->s, &err), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (1)");
    store_rollback(f->s);
    exec_ok(f->s, "INSERT INTO t VALUES (2)");
    store_rollback(f->s);
    store_rollback(f->s);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM t"), 0);
    exec_ok(f->s, "INSERT INTO t VALUES (3)");
    assert_int_equal(other_count(f->path), 1);
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_commit(f->s, &err), 0);
}

/* A second writer waits for the lock, then fails with the SQLite reason. */
static void test_store_sqlite__begin_busy(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    store *o = NULL;
    exec_ok(f->s, "CREATE TABLE t (a)");
    assert_int_equal(store_open(&o, f->path, &err), 0);
    exec_ok(o, "PRAGMA busy_timeout = 10");
    assert_int_equal(store_begin(f->s, &err), 0);
    assert_int_equal(store_begin(o, &err), SMSPROV_EIO);
    assert_non_null(strstr(err.msg, "locked"));
    util_error_clear(&err);
    assert_int_equal(store_commit(f->s, &err), 0);
    assert_int_equal(store_begin(o, &err), 0);
    assert_int_equal(store_commit(o, &err), 0);
    store_close(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_sqlite__open_pragmas, setup,
                                        teardown),
        cmocka_unit_test(test_store_sqlite__open_creates_file),
        cmocka_unit_test(test_store_sqlite__open_errors),
        cmocka_unit_test_setup_teardown(test_store_sqlite__bind_step, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_sqlite__errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_sqlite__unique_is_eexists,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_sqlite__tx_nesting, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_sqlite__tx_rollback_outer,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_sqlite__tx_rollback_inner,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_sqlite__tx_rollback_all_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_sqlite__begin_busy, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
