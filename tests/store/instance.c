/* SPDX-License-Identifier: MIT */
/*
 * Tests of instance CRUD: round trips of every type (arrays, embedded
 * objects, NULLs), key rules (duplicates, case-blind and composite keys),
 * side tables following writes, lazy properties, enumeration, and the
 * codec's handling of values JSON cannot carry or that are corrupt.
 */
#include <math.h>

#include "store/sample.h"

static void test_store_instance__roundtrip(void **state)
{
    fixture *f = *state;
    cim_instance *inst = full_t(f, 7);
    insert_ok(f->s, inst);
    cim_instance *keys = small_t(f, 7, "ignored");
    cim_instance *g = get_ok(f->s, keys, true);
    check_full(g);
    assert_string_equal(test_get(g, "Big")->v.s, "a lazy text");
    cim_instance_free(g);

    /* without with_lazy the lazy property is absent, the rest present */
    g = get_ok(f->s, keys, false);
    assert_null(cim_instance_get_by_name(g, "Big"));
    check_full(g);
    cim_instance_free(g);

    /* storage form: DateTime as integer microseconds, JSON arrays */
    assert_int_equal(count(f->s, "SELECT Posted = 1736929800123456 AND "
                                 "Flag = 1 AND typeof(Posted) = 'integer' "
                                 "FROM T"),
                     1);
    char json[256];
    test_db_text(f->s, "SELECT Dates FROM T", json, sizeof(json));
    assert_string_equal(json, "[\"20250115083000.123456+000\","
                              "\"19700101000000.000001+000\"]");
    test_db_text(f->s, "SELECT Tags FROM T", json, sizeof(json));
    assert_string_equal(json, "[\"alpha\",\"Beta\",null]");
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags WHERE oid = 7"
                                 " AND v = 'BETA' AND idx = 1"),
                     1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Dates WHERE v = "
                                 "1736929800123456"),
                     1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Longs"), 0);
    cim_instance_free(keys);
    cim_instance_free(inst);
}

/* Absent properties are stored as NULL and read back as present NULLs. */
static void test_store_instance__nulls(void **state)
{
    fixture *f = *state;
    cim_instance *inst = small_t(f, 1, "n");
    test_set(inst, "Tags", cim_value_null(CIM_STRING, true));
    test_set(inst, "One", cim_value_null(CIM_OBJECT, false));
    insert_ok(f->s, inst);
    cim_instance *g = get_ok(f->s, inst, true);
    for (uint32_t i = 0; i < f->t->nprops; i++) {
        const cim_value *v = cim_instance_get(g, i);
        assert_non_null(v);
        if (!(f->t->props[i].flags & CIM_P_KEY) &&
            strcmp(f->t->props[i].name, "Name") != 0)
            assert_true(v->is_null);
        assert_int_equal(v->is_array, f->t->props[i].is_array);
        assert_int_equal(v->type, f->t->props[i].type);
    }
    cim_instance_free(g);
    cim_instance_free(inst);
}

static void test_store_instance__duplicate(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *a = full_t(f, 7);
    insert_ok(f->s, a);
    cim_instance *b = small_t(f, 7, "other");
    cim_value tags[] = {cim_value_str(CIM_STRING, "x")};
    test_set(b, "Tags", arr(CIM_STRING, tags, 1));
    assert_int_equal(store_instance_insert(f->s, b, &err), SMSPROV_EEXISTS);
    assert_non_null(strstr(err.msg, "T"));
    assert_string_equal(err.object, "T");
    assert_int_equal(count(f->s, "SELECT count(*) FROM T"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags"), 2);
    cim_instance *g = get_ok(f->s, b, true);
    check_full(g);
    cim_instance_free(g);
    cim_instance_free(a);
    cim_instance_free(b);
}

static void test_store_instance__not_found(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *k = small_t(f, 99, "n");
    cim_instance *g = (cim_instance *)k;
    assert_int_equal(store_instance_get(&g, f->s, k, false, &err),
                     SMSPROV_ENOTFOUND);
    assert_null(g);
    util_error_clear(&err);
    assert_int_equal(store_instance_update(f->s, k, &err), SMSPROV_ENOTFOUND);
    util_error_clear(&err);
    assert_int_equal(store_instance_delete(f->s, k, &err), SMSPROV_ENOTFOUND);
    cim_instance_free(k);

    /* a missing key is an error of its own */
    k = new_inst(f->t, NULL);
    util_error_clear(&err);
    assert_int_equal(store_instance_get(&g, f->s, k, false, &err),
                     SMSPROV_EILLEGAL_NULL);
    assert_string_equal(err.object, "CI_ID");
    util_error_clear(&err);
    assert_int_equal(store_instance_insert(f->s, k, &err),
                     SMSPROV_EILLEGAL_NULL);
    cim_instance_free(k);
}

/* Updates write present properties only; side rows follow. */
static void test_store_instance__update(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *a = full_t(f, 7);
    cim_instance *b = full_t(f, 8);
    insert_ok(f->s, a);
    insert_ok(f->s, b);
    cim_instance *u = small_t(f, 7, "Renamed");
    cim_value tags[] = {cim_value_str(CIM_STRING, "gamma")};
    test_set(u, "Tags", arr(CIM_STRING, tags, 1));
    test_set(u, "Size", cim_value_null(CIM_SINT64, false));
    test_set(u, "Counts", cim_value_null(CIM_UINT32, true));
    assert_int_equal(store_instance_update(f->s, u, &err), 0);

    cim_instance *g = get_ok(f->s, u, true);
    assert_string_equal(test_get(g, "Name")->v.s, "Renamed");
    assert_true(test_get(g, "Size")->is_null);
    assert_int_equal(test_get(g, "Tags")->count, 1);
    assert_true(test_get(g, "Counts")->is_null);
    assert_string_equal(test_get(g, "Big")->v.s, "a lazy text"); /* kept */
    assert_true(test_get(g, "Flag")->v.b);                       /* kept */
    cim_instance_free(g);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags WHERE oid=7"),
                     1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags WHERE "
                                 "oid = 7 AND v = 'GAMMA' AND idx = 0"),
                     1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Counts WHERE "
                                 "oid = 7"),
                     0);
    /* the other row's side rows are untouched */
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags WHERE oid=8"),
                     2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Counts WHERE "
                                 "oid = 8"),
                     2);

    /* keys only: nothing to set, still found */
    cim_instance *k = small_t(f, 8, "x");
    k->present[test_prop(f->t, "Name")->index] = 0;
    assert_int_equal(store_instance_update(f->s, k, &err), 0);
    cim_instance_free(k);
    cim_instance_free(u);
    cim_instance_free(b);
    cim_instance_free(a);
}

static void test_store_instance__delete(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *a = full_t(f, 7);
    cim_instance *b = full_t(f, 8);
    insert_ok(f->s, a);
    insert_ok(f->s, b);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags"), 4);
    assert_int_equal(store_instance_delete(f->s, a, &err), 0);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T"), 1);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags"), 2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Tags WHERE oid=8"),
                     2);
    assert_int_equal(count(f->s, "SELECT count(*) FROM T__Dates WHERE "
                                 "oid = 7"),
                     0);
    assert_int_equal(store_instance_delete(f->s, a, &err), SMSPROV_ENOTFOUND);
    /* the key can be used again */
    insert_ok(f->s, a);
    cim_instance_free(a);
    cim_instance_free(b);
}

/* String keys match case-blind and cannot differ only by case. */
static void test_store_instance__string_key(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const cim_class *s1 = test_class(f->schema, "S1");
    cim_instance *a = new_inst(s1, NULL);
    test_set(a, "Name", cim_value_str(CIM_STRING, "Alpha"));
    test_set(a, "Val", cim_value_str(CIM_STRING, "v"));
    insert_ok(f->s, a);
    cim_instance *k = new_inst(s1, NULL);
    test_set(k, "Name", cim_value_str(CIM_STRING, "ALPHA"));
    cim_instance *g = get_ok(f->s, k, false);
    assert_string_equal(test_get(g, "Name")->v.s, "Alpha");
    assert_string_equal(test_get(g, "Val")->v.s, "v");
    cim_instance_free(g);
    assert_int_equal(store_instance_insert(f->s, k, &err), SMSPROV_EEXISTS);
    util_error_clear(&err);
    /* quotes in a key are data, not SQL */
    cim_instance *q = new_inst(s1, NULL);
    test_set(q, "Name", cim_value_str(CIM_STRING, "x' OR '1'='1"));
    assert_int_equal(store_instance_get(&g, f->s, q, false, &err),
                     SMSPROV_ENOTFOUND);
    insert_ok(f->s, q);
    g = get_ok(f->s, q, false);
    assert_string_equal(test_get(g, "Name")->v.s, "x' OR '1'='1");
    cim_instance_free(g);
    cim_instance_free(q);
    cim_instance_free(k);
    cim_instance_free(a);
}

/* A C2 instance with keys (site, num) and value val. */
static cim_instance *c2(fixture *f, const char *site, int64_t num,
                        const char *val)
{
    cim_instance *inst = new_inst(test_class(f->schema, "C2"), NULL);
    test_set(inst, "Site", cim_value_str(CIM_STRING, site));
    test_set(inst, "Num", cim_value_int(CIM_UINT32, num));
    if (val != NULL)
        test_set(inst, "Val", cim_value_str(CIM_STRING, val));
    return inst;
}

static void test_store_instance__composite_key(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *rows[] = {c2(f, "A", 1, "a1"), c2(f, "A", 2, "a2"),
                            c2(f, "B", 1, "b1")};
    for (size_t i = 0; i < 3; i++)
        insert_ok(f->s, rows[i]);
    cim_instance *dup = c2(f, "a", 2, "dup");
    assert_int_equal(store_instance_insert(f->s, dup, &err), SMSPROV_EEXISTS);
    cim_instance *k = c2(f, "b", 1, NULL);
    cim_instance *g = get_ok(f->s, k, false);
    assert_string_equal(test_get(g, "Val")->v.s, "b1");
    cim_instance_free(g);
    util_error_clear(&err);
    assert_int_equal(store_instance_delete(f->s, dup, &err), 0);
    g = get_ok(f->s, rows[0], false);
    assert_string_equal(test_get(g, "Val")->v.s, "a1");
    cim_instance_free(g);
    assert_int_equal(count(f->s, "SELECT count(*) FROM C2"), 2);
    cim_instance_free(k);
    cim_instance_free(dup);
    for (size_t i = 0; i < 3; i++)
        cim_instance_free(rows[i]);
}

/* Enumeration callback: counts rows, stops at the second when asked. */
static int enum_cb(const cim_instance *inst, void *payload)
{
    int *n = payload;
    assert_null(cim_instance_get_by_name(inst, "Big"));
    assert_non_null(cim_instance_get_by_name(inst, "Name"));
    (*n)++;
    return *n == 2 && n[1] ? 42 : 0;
}

static void test_store_instance__enum_and_max_key(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    int64_t max = -1;
    const cim_property *key = test_prop(f->t, "CI_ID");
    assert_int_equal(store_max_key(&max, f->s, f->t, key, &err), 0);
    assert_int_equal(max, 0);
    int64_t ids[] = {5, 4294967295LL, 9};
    for (size_t i = 0; i < 3; i++) {
        cim_instance *inst = full_t(f, ids[i]);
        insert_ok(f->s, inst);
        cim_instance_free(inst);
    }
    assert_int_equal(store_max_key(&max, f->s, f->t, key, &err), 0);
    assert_true(max == 4294967295LL);
    assert_int_equal(
        store_max_key(&max, f->s, f->t, test_prop(f->t, "Name"), &err),
        SMSPROV_ETYPE_MISMATCH);
    util_error_clear(&err);

    int n[2] = {0, 0};
    assert_int_equal(store_instance_enum(f->s, f->t, enum_cb, n, &err), 0);
    assert_int_equal(n[0], 3);
    n[0] = 0;
    n[1] = 1;
    assert_int_equal(store_instance_enum(f->s, f->t, enum_cb, n, &err), 42);
    assert_int_equal(n[0], 2);
}

/* The planner's path: bind with store_bind_value, read with
 * store_decode_column. */
static void test_store_instance__bind_and_decode(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = NULL;
    cim_instance *inst = full_t(f, 7);
    insert_ok(f->s, inst);
    assert_int_equal(store_prepare(&st, f->s,
                                   "SELECT Tags, Posted, One, ? FROM T "
                                   "WHERE CI_ID = ? AND Flag = ?",
                                   &err),
                     0);
    assert_int_equal(store_bind_value(st, 1, test_get(inst, "Objs")), 0);
    assert_int_equal(store_bind_value(st, 2, test_get(inst, "U32")), 0);
    assert_int_equal(store_bind_value(st, 2, test_get(inst, "CI_ID")), 0);
    assert_int_equal(store_bind_value(st, 3, test_get(inst, "Flag")), 0);
    assert_int_equal(store_step(st, &err), 1);
    cim_instance *out = new_inst(f->t, NULL);
    const char *cols[] = {"Tags", "Posted", "One", "Objs"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(
            store_decode_column(out, test_prop(f->t, cols[i]), st, i, &err), 0);
    assert_int_equal(test_get(out, "Tags")->count, 3);
    assert_true(test_get(out, "Posted")->v.i == POSTED_US);
    assert_string_equal(test_get(out, "One")->v.obj->cls->name, "Inner");
    const cim_value *objs = test_get(out, "Objs");
    assert_string_equal(test_get(objs->v.items[0].v.obj, "Label")->v.s,
                        "first");
    assert_null(cim_instance_get_by_name(out, "Name"));
    store_stmt_free(st);
    cim_instance_free(out);
    cim_instance_free(inst);
}

/* Values JSON cannot carry are refused; corrupt stored JSON is EIO. */
static void test_store_instance__bad_values(void **state)
{
    fixture *f = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *inst = small_t(f, 3, "bad");
    cim_value tags[] = {cim_value_str(CIM_STRING, "ok\xff\xfe")};
    test_set(inst, "Tags", arr(CIM_STRING, tags, 1));
    assert_int_equal(store_instance_insert(f->s, inst, &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_string_equal(err.object, "Tags");
    assert_int_equal(count(f->s, "SELECT count(*) FROM T"), 0);
    util_error_clear(&err);
    cim_value reals[] = {cim_value_real(CIM_REAL64, INFINITY)};
    test_set(inst, "Tags", cim_value_null(CIM_STRING, true));
    test_set(inst, "Reals", arr(CIM_REAL64, reals, 1));
    assert_int_equal(store_instance_insert(f->s, inst, &err),
                     SMSPROV_EOUT_OF_RANGE);
    util_error_clear(&err);
    test_set(inst, "Reals", cim_value_null(CIM_REAL64, true));
    insert_ok(f->s, inst);

    const char *bad[] = {"UPDATE T SET Tags = 'not json'",
                         "UPDATE T SET Tags = '[1]'",
                         "UPDATE T SET Tags = '{}'",
                         "UPDATE T SET Tags = NULL, Dates = '[\"x\"]'",
                         "UPDATE T SET Dates = NULL, One = '[]'"};
    const char *prop[] = {"Tags", "Tags", "Tags", "Dates", "One"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cim_instance *g = NULL;
        assert_int_equal(store_exec(f->s, bad[i], &err), 0);
        assert_int_equal(store_instance_get(&g, f->s, inst, false, &err),
                         SMSPROV_EIO);
        assert_null(g);
        assert_string_equal(err.object, prop[i]);
        assert_non_null(strstr(err.msg, "corrupt"));
        util_error_clear(&err);
    }
    /* members that are not properties are skipped */
    assert_int_equal(
        store_exec(f->s,
                   "UPDATE T SET One = '{\"__CLASS\":\"Gone\",\"Label\":"
                   "\"l\",\"Removed\":1}'",
                   &err),
        0);
    cim_instance *g = get_ok(f->s, inst, false);
    const cim_instance *one = test_get(g, "One")->v.obj;
    assert_string_equal(one->cls->name, "Inner");
    assert_string_equal(test_get(one, "Label")->v.s, "l");
    cim_instance_free(g);
    cim_instance_free(inst);
}

int main(void)
{
#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(test_store_instance__##name, sample_setup, \
                                    sample_teardown)
    const struct CMUnitTest tests[] = {
        T(roundtrip),       T(nulls),         T(duplicate),
        T(not_found),       T(update),        T(delete),
        T(string_key),      T(composite_key), T(enum_and_max_key),
        T(bind_and_decode), T(bad_values),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
