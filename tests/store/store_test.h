/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the store tests: temporary database files under /tmp and
 * schemas built from small MOF texts.  Header-only so that it does not
 * become a test target of its own.
 */
#ifndef SMSPROV_TESTS_STORE_TEST_H
#define SMSPROV_TESTS_STORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mof/mof.h"
#include "store/store.h"

#define TEST_DB_PATH_MAX 64

/* Creates an empty file /tmp/smsprov_store_XXXXXX and returns its path. */
static inline void test_db_path(char path[TEST_DB_PATH_MAX])
{
    snprintf(path, TEST_DB_PATH_MAX, "/tmp/smsprov_store_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

/* Removes the database file and its WAL companions. */
static inline void test_db_remove(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[TEST_DB_PATH_MAX + 16];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
        unlink(name);
    }
}

/* Opens a new temporary database, failing the test on error. */
static inline store *test_db_open(char path[TEST_DB_PATH_MAX])
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    store *s = NULL;
    test_db_path(path);
    int rc = store_open(&s, path, &err);
    if (rc != 0)
        fail_msg("store_open: %s", err.msg);
    return s;
}

/* Runs one query returning one integer. */
static inline int64_t test_db_int(store *s, const char *sql)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = NULL;
    if (store_prepare(&st, s, sql, &err) != 0)
        fail_msg("prepare %s: %s", sql, err.msg);
    if (store_step(st, &err) != 1)
        fail_msg("no row from %s: %s", sql, err.msg);
    int64_t v = store_column_int64(st, 0);
    store_stmt_free(st);
    return v;
}

/* Runs one query returning one text (copied into out). */
static inline void test_db_text(store *s, const char *sql, char *out,
                                size_t outsz)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = NULL;
    if (store_prepare(&st, s, sql, &err) != 0)
        fail_msg("prepare %s: %s", sql, err.msg);
    if (store_step(st, &err) != 1)
        fail_msg("no row from %s: %s", sql, err.msg);
    snprintf(out, outsz, "%s", store_column_text(st, 0, NULL));
    store_stmt_free(st);
}

/* Builds a finalized schema from one MOF text, failing the test on error. */
static inline cim_schema *test_schema(const char *mof)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_schema *s = NULL;
    if (mof_schema_new(&s, &err) != 0 ||
        mof_parse(s, "test.mof", mof, strlen(mof), &err) != 0 ||
        mof_schema_finalize(s, &err) != 0)
        fail_msg("MOF: %d:%d: %s", err.line, err.col, err.msg);
    return s;
}

/* The class `name` of schema s (must exist). */
static inline const cim_class *test_class(const cim_schema *s, const char *name)
{
    const cim_class *c = cim_schema_class(s, name, strlen(name));
    if (c == NULL)
        fail_msg("no class %s", name);
    return c;
}

/* The property `name` of class c (must exist). */
static inline const cim_property *test_prop(const cim_class *c,
                                            const char *name)
{
    const cim_property *p = cim_class_property(c, name, strlen(name));
    if (p == NULL)
        fail_msg("no property %s.%s", c->name, name);
    return p;
}

/* Sets property `name` of inst to a copy of v. */
static inline void test_set(cim_instance *inst, const char *name, cim_value v)
{
    const cim_property *p = test_prop(inst->cls, name);
    assert_int_equal(cim_instance_set(inst, p->index, &v), 0);
}

/* The value of property `name` of inst (must be present). */
static inline const cim_value *test_get(const cim_instance *inst,
                                        const char *name)
{
    const cim_value *v = cim_instance_get_by_name(inst, name);
    if (v == NULL)
        fail_msg("property %s is absent", name);
    return v;
}

#endif
