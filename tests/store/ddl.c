/* SPDX-License-Identifier: MIT */
/*
 * Tests of store_schema_apply: tables, side tables and indexes per
 * concrete class, idempotence, schema evolution (new columns), the meta
 * table, and that a failed apply leaves nothing behind.
 */
#include "store/store_test.h"

static const char *const mof_v1 =
    "[abstract] class B { [key] uint32 CI_ID; };\n"
    "class Inner { string Label; uint32 Nums[]; };\n"
    "[Secured] class T : B {\n"
    "  [not_null] string Name = \"x\";\n"
    "  string Tags[];\n"
    "  datetime Posted;\n"
    "  boolean Flag;\n"
    "  sint64 Size;\n"
    "  real64 Ratio;\n"
    "  [lazy] string Big;\n"
    "  [unique] string Code;\n"
    "  Inner Objs[];\n"
    "  uint32 Counts[];\n"
    "};\n"
    "class C2 { [key] string Site; [key] uint32 Num; string Val; };\n";

/* v1 plus a scalar and an array property on T */
static const char *const mof_v2 =
    "[abstract] class B { [key] uint32 CI_ID; };\n"
    "class Inner { string Label; uint32 Nums[]; };\n"
    "[Secured] class T : B {\n"
    "  [not_null] string Name = \"x\";\n"
    "  string Tags[];\n"
    "  datetime Posted;\n"
    "  boolean Flag;\n"
    "  sint64 Size;\n"
    "  real64 Ratio;\n"
    "  [lazy] string Big;\n"
    "  [unique] string Code;\n"
    "  Inner Objs[];\n"
    "  uint32 Counts[];\n"
    "  string Added;\n"
    "  string AddedList[];\n"
    "};\n"
    "class C2 { [key] string Site; [key] uint32 Num; string Val; };\n";

/* Per-test state: a fresh database and the v1 schema. */
typedef struct fixture {
    char path[TEST_DB_PATH_MAX]; /* database file */
    store *s;                    /* open connection */
    cim_schema *schema;          /* mof_v1 */
} fixture;

static int setup(void **state)
{
    fixture *f = util_calloc(1, sizeof(*f));
    f->s = test_db_open(f->path);
    f->schema = test_schema(mof_v1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    cim_schema_free(f->schema);
    test_db_remove(f->path);
    util_free(f);
    return 0;
}

static void apply_ok(store *s, const cim_schema *schema)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (store_schema_apply(s, schema, &err) != 0)
        fail_msg("apply: %s (%s)", err.msg, err.object);
}

/* Number of sqlite_master entries of a type with exactly this name. */
static int64_t count_master(store *s, const char *type, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM sqlite_master WHERE type = '%s' AND "
             "name = '%s'",
             type, name);
    return test_db_int(s, sql);
}

/* The declared SQL of a table or index. */
static void master_sql(store *s, const char *name, char *out, size_t outsz)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT sql FROM sqlite_master WHERE name = '%s'", name);
    test_db_text(s, sql, out, outsz);
}

static void test_store_ddl__tables(void **state)
{
    fixture *f = *state;
    char sql[1024];
    apply_ok(f->s, f->schema);
    assert_int_equal(count_master(f->s, "table", "T"), 1);
    assert_int_equal(count_master(f->s, "table", "C2"), 1);
    assert_int_equal(count_master(f->s, "table", "B"), 0); /* abstract */
    assert_int_equal(count_master(f->s, "table", "smsprov_meta"), 1);

    /* the one integer key is the row id; strings are NOCASE */
    master_sql(f->s, "T", sql, sizeof(sql));
    assert_non_null(strstr(sql, "\"CI_ID\" INTEGER PRIMARY KEY"));
    assert_non_null(strstr(sql, "\"Name\" TEXT COLLATE NOCASE"));
    assert_non_null(strstr(sql, "\"Tags\" TEXT,"));
    assert_non_null(strstr(sql, "\"Posted\" INTEGER"));
    assert_non_null(strstr(sql, "\"Flag\" INTEGER"));
    assert_non_null(strstr(sql, "\"Ratio\" REAL"));
    assert_non_null(strstr(sql, "\"Objs\" TEXT,"));
    assert_null(strstr(sql, "__oid"));
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM "
                                       "pragma_table_info('T')"),
                     test_class(f->schema, "T")->nprops);

    /* composite keys: row-id alias, unique index, index on the 2nd key */
    master_sql(f->s, "C2", sql, sizeof(sql));
    assert_non_null(strstr(sql, "\"__oid\" INTEGER PRIMARY KEY"));
    assert_int_equal(count_master(f->s, "index", "pk:C2"), 1);
    master_sql(f->s, "pk:C2", sql, sizeof(sql));
    assert_non_null(strstr(sql, "UNIQUE"));
    assert_non_null(strstr(sql, "(\"Num\", \"Site\" COLLATE NOCASE)"));
    assert_int_equal(count_master(f->s, "index", "ix:C2:Site"), 1);
    assert_int_equal(count_master(f->s, "index", "pk:T"), 0);

    /* [unique] gets a plain index */
    assert_int_equal(count_master(f->s, "index", "ix:T:Code"), 1);
    master_sql(f->s, "ix:T:Code", sql, sizeof(sql));
    assert_null(strstr(sql, "UNIQUE"));

    /* side tables for scalar arrays only */
    assert_int_equal(count_master(f->s, "table", "T__Tags"), 1);
    assert_int_equal(count_master(f->s, "table", "T__Counts"), 1);
    assert_int_equal(count_master(f->s, "table", "T__Objs"), 0);
    master_sql(f->s, "T__Tags", sql, sizeof(sql));
    assert_non_null(strstr(sql, "v TEXT COLLATE NOCASE"));
    master_sql(f->s, "T__Counts", sql, sizeof(sql));
    assert_non_null(strstr(sql, "v INTEGER"));
    assert_int_equal(count_master(f->s, "index", "ix:T:Tags:v"), 1);
    assert_int_equal(count_master(f->s, "index", "ix:T:Tags:oid"), 1);
    master_sql(f->s, "ix:T:Tags:v", sql, sizeof(sql));
    assert_non_null(strstr(sql, "(v, oid)"));

    /* Inner is a class of its own here (not [embedded]): it has a table */
    assert_int_equal(count_master(f->s, "table", "Inner__Nums"), 1);

    test_db_text(f->s,
                 "SELECT value FROM smsprov_meta WHERE key = "
                 "'schema_version'",
                 sql, sizeof(sql));
    assert_string_equal(sql, "1");
    test_db_text(f->s,
                 "SELECT value FROM smsprov_meta WHERE key = 'class_hash'", sql,
                 sizeof(sql));
    assert_int_equal(strlen(sql), 8);
}

static void test_store_ddl__idempotent(void **state)
{
    fixture *f = *state;
    char h1[32], h2[32];
    apply_ok(f->s, f->schema);
    int64_t n = test_db_int(f->s, "SELECT count(*) FROM sqlite_master");
    test_db_text(f->s,
                 "SELECT value FROM smsprov_meta WHERE key = 'class_hash'", h1,
                 sizeof(h1));
    apply_ok(f->s, f->schema);
    apply_ok(f->s, f->schema);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM sqlite_master"),
                     n);
    test_db_text(f->s,
                 "SELECT value FROM smsprov_meta WHERE key = 'class_hash'", h2,
                 sizeof(h2));
    assert_string_equal(h1, h2);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM smsprov_meta"), 2);
}

/* A property added to the MOF becomes a column (and side table). */
static void test_store_ddl__new_property(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    char h1[32], h2[32];
    apply_ok(f->s, f->schema);
    test_db_text(f->s,
                 "SELECT value FROM smsprov_meta WHERE key = 'class_hash'", h1,
                 sizeof(h1));
    assert_int_equal(
        store_exec(f->s, "INSERT INTO T (CI_ID, Name) VALUES (7, 'old')", &err),
        0);
    cim_schema *v2 = test_schema(mof_v2);
    apply_ok(f->s, v2);
    assert_int_equal(test_db_int(f->s, "SELECT count(*) FROM "
                                       "pragma_table_info('T') WHERE name "
                                       "IN ('Added', 'AddedList')"),
                     2);
    assert_int_equal(count_master(f->s, "table", "T__AddedList"), 1);
    assert_int_equal(count_master(f->s, "index", "ix:T:AddedList:v"), 1);
    assert_int_equal(test_db_int(f->s,
                                 "SELECT count(*) FROM T WHERE CI_ID = 7 AND "
                                 "Added IS NULL AND Name = 'OLD'"),
                     1);
    test_db_text(f->s,
                 "SELECT value FROM smsprov_meta WHERE key = 'class_hash'", h2,
                 sizeof(h2));
    assert_string_not_equal(h1, h2);
    /* the added string column is NOCASE too */
    assert_int_equal(
        store_exec(f->s, "UPDATE T SET Added = 'abc' WHERE CI_ID = 7", &err),
        0);
    assert_int_equal(
        test_db_int(f->s, "SELECT count(*) FROM T WHERE Added = 'ABC'"), 1);
    apply_ok(f->s, v2);
    cim_schema_free(v2);
}

/* A database from a newer layout is refused and left untouched. */
static void test_store_ddl__newer_layout(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(
        store_exec(f->s,
                   "CREATE TABLE smsprov_meta (key TEXT PRIMARY KEY, value "
                   "TEXT); INSERT INTO smsprov_meta VALUES "
                   "('schema_version', '99')",
                   &err),
        0);
    assert_int_equal(store_schema_apply(f->s, f->schema, &err),
                     SMSPROV_ENOTSUPPORTED);
    assert_non_null(strstr(err.msg, "99"));
    assert_int_equal(count_master(f->s, "table", "T"), 0);
}

/* Quoting of identifiers and the names the planner builds on. */
static void test_store_ddl__names(void **state)
{
    fixture *f = *state;
    util_buf b = UTIL_BUF_INIT(1024);
    const cim_class *t = test_class(f->schema, "T");
    assert_int_equal(store_sql_ident(&b, "a\"b\"\""), 0);
    assert_string_equal(util_buf_cstr(&b), "\"a\"\"b\"\"\"\"\"");
    util_buf_reset(&b);
    store_sql_table(&b, t);
    util_buf_putc(&b, ' ');
    store_sql_array_table(&b, t, test_prop(t, "Tags"));
    assert_string_equal(util_buf_cstr(&b), "\"T\" \"T__Tags\"");
    assert_true(store_key_is_rowid(t));
    assert_false(store_key_is_rowid(test_class(f->schema, "C2")));
    assert_false(store_key_is_rowid(test_class(f->schema, "Inner")));
    util_buf_free(&b);
}

/* Every allocation failure aborts the apply without leaving a table. */
static void test_store_ddl__torture(void **state)
{
    fixture *f = *state;
    bool done = false;
    for (long n = 1; !done && n < 100000; n++) {
        smsprov_error err = SMSPROV_ERROR_INIT;
        util_alloc_fail_at(n);
        int rc = store_schema_apply(f->s, f->schema, &err);
        long made = util_alloc_fail_at(0);
        if (rc == 0) {
            assert_true(made < n);
            done = true;
            print_message("torture: %ld allocations\n", made);
            break;
        }
        assert_int_equal(rc, SMSPROV_ENOMEM);
        assert_int_equal(
            test_db_int(f->s, "SELECT count(*) FROM sqlite_master"), 0);
    }
    assert_true(done);
    assert_int_equal(count_master(f->s, "table", "T__Tags"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_ddl__tables, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_ddl__idempotent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_ddl__new_property, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_ddl__newer_layout, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_ddl__names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_ddl__torture, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
