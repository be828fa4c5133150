/* SPDX-License-Identifier: MIT */
/*
 * The sample schema of the instance tests (every CIM type, arrays,
 * embedded objects with a subclass, string and composite keys), a fixture
 * with it applied, and a fully populated instance with its checker.
 */
#ifndef SMSPROV_TESTS_STORE_SAMPLE_H
#define SMSPROV_TESTS_STORE_SAMPLE_H

#include "store/store_test.h"

static const char *const sample_mof =
    "[abstract] class B { [key] uint32 CI_ID; };\n"
    "class Leaf { string Text; sint64 N; };\n"
    "class LeafX : Leaf { string Extra; };\n"
    "class Inner { string Label; datetime When; boolean On; uint32 Nums[];\n"
    "  string Names[]; Leaf Child; Leaf Kids[]; real64 R; };\n"
    "[Secured] class T : B {\n"
    "  [not_null] string Name = \"x\";\n"
    "  string Tags[];\n"
    "  datetime Posted;\n"
    "  boolean Flag;\n"
    "  sint64 Size;\n"
    "  [lazy] string Big;\n"
    "  Inner Objs[];\n"
    "  Inner One;\n"
    "  uint32 U32; uint64 U64; sint8 S8; uint8 U8; sint16 S16; uint16 U16;\n"
    "  sint32 S32; real32 R32; real64 R64; char16 Ch;\n"
    "  uint32 Counts[]; datetime Dates[]; boolean Bools[]; real64 Reals[];\n"
    "  sint64 Longs[];\n"
    "};\n"
    "class S1 { [key] string Name; string Val; };\n"
    "class C2 { [key] string Site; [key] uint32 Num; string Val; };\n";

#define POSTED_US INT64_C(1736929800123456) /* 2025-01-15 08:30:00.123456 */

/* Per-test state: a database with the schema applied. */
typedef struct fixture {
    char path[TEST_DB_PATH_MAX]; /* database file */
    store *s;                    /* open connection */
    cim_schema *schema;          /* the MOF above */
    const cim_class *t;          /* class T */
} fixture;

static inline int sample_setup(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    fixture *f = util_calloc(1, sizeof(*f));
    f->s = test_db_open(f->path);
    f->schema = test_schema(sample_mof);
    f->t = test_class(f->schema, "T");
    if (store_schema_apply(f->s, f->schema, &err) != 0)
        fail_msg("apply: %s", err.msg);
    *state = f;
    return 0;
}

static inline int sample_teardown(void **state)
{
    fixture *f = *state;
    store_close(f->s);
    cim_schema_free(f->schema);
    test_db_remove(f->path);
    util_free(f);
    return 0;
}

/* An array value over caller-owned items. */
static inline cim_value arr(cim_type t, cim_value *items, uint32_t n)
{
    cim_value v = cim_value_null(t, true);
    v.is_null = 0;
    v.count = n;
    v.v.items = items;
    return v;
}

/* An embedded-object value borrowing o. */
static inline cim_value obj(cim_instance *o)
{
    cim_value v = cim_value_null(CIM_OBJECT, false);
    v.is_null = 0;
    v.v.obj = o;
    return v;
}

static inline cim_instance *new_inst(const cim_class *c, util_arena *a)
{
    cim_instance *inst = NULL;
    assert_int_equal(cim_instance_new(&inst, c, a, NULL), 0);
    return inst;
}

/* T with only its key and name set. */
static inline cim_instance *small_t(fixture *f, int64_t id, const char *name)
{
    cim_instance *inst = new_inst(f->t, NULL);
    test_set(inst, "CI_ID", cim_value_int(CIM_UINT32, id));
    test_set(inst, "Name", cim_value_str(CIM_STRING, name));
    return inst;
}

/* T with every property set to something interesting. */
static inline cim_instance *full_t(fixture *f, int64_t id)
{
    cim_instance *inst = small_t(f, id, "Fancy \"name\" ü");
    util_arena *a = inst->arena;
    const cim_class *inner = test_class(f->schema, "Inner");
    const cim_class *leaf = test_class(f->schema, "Leaf");
    const cim_class *leafx = test_class(f->schema, "LeafX");

    cim_value tags[] = {cim_value_str(CIM_STRING, "alpha"),
                        cim_value_str(CIM_STRING, "Beta"),
                        cim_value_null(CIM_STRING, false)};
    test_set(inst, "Tags", arr(CIM_STRING, tags, 3));
    test_set(inst, "Posted", cim_value_datetime(POSTED_US));
    test_set(inst, "Flag", cim_value_bool(true));
    test_set(inst, "Size", cim_value_int(CIM_SINT64, -1234567890123LL));
    test_set(inst, "Big", cim_value_str(CIM_STRING, "a lazy text"));
    test_set(inst, "U32", cim_value_int(CIM_UINT32, 4294967295LL));
    test_set(inst, "U64", cim_value_int(CIM_UINT64, INT64_MAX));
    test_set(inst, "S8", cim_value_int(CIM_SINT8, -128));
    test_set(inst, "U8", cim_value_int(CIM_UINT8, 255));
    test_set(inst, "S16", cim_value_int(CIM_SINT16, -32768));
    test_set(inst, "U16", cim_value_int(CIM_UINT16, 65535));
    test_set(inst, "S32", cim_value_int(CIM_SINT32, INT32_MIN));
    test_set(inst, "R32", cim_value_real(CIM_REAL32, 1.5));
    test_set(inst, "R64", cim_value_real(CIM_REAL64, -0.1));
    test_set(inst, "Ch", cim_value_str(CIM_CHAR16, "Z"));
    cim_value counts[] = {cim_value_int(CIM_UINT32, 4294967295LL),
                          cim_value_int(CIM_UINT32, 0)};
    test_set(inst, "Counts", arr(CIM_UINT32, counts, 2));
    cim_value dates[] = {cim_value_datetime(POSTED_US), cim_value_datetime(1)};
    test_set(inst, "Dates", arr(CIM_DATETIME, dates, 2));
    cim_value bools[] = {cim_value_bool(false), cim_value_bool(true)};
    test_set(inst, "Bools", arr(CIM_BOOLEAN, bools, 2));
    cim_value reals[] = {cim_value_real(CIM_REAL64, 3.25)};
    test_set(inst, "Reals", arr(CIM_REAL64, reals, 1));
    test_set(inst, "Longs", arr(CIM_SINT64, NULL, 0));

    /* Objs[0]: nested values, a subclass child, an array of leaves */
    cim_instance *o1 = new_inst(inner, a);
    test_set(o1, "Label", cim_value_str(CIM_STRING, "first"));
    test_set(o1, "When", cim_value_datetime(POSTED_US + 1));
    test_set(o1, "On", cim_value_bool(false));
    cim_value nums[] = {cim_value_int(CIM_UINT32, 1),
                        cim_value_int(CIM_UINT32, 2)};
    test_set(o1, "Nums", arr(CIM_UINT32, nums, 2));
    test_set(o1, "R", cim_value_real(CIM_REAL64, 0.5));
    cim_instance *lx = new_inst(leafx, a);
    test_set(lx, "Text", cim_value_str(CIM_STRING, "child"));
    test_set(lx, "Extra", cim_value_str(CIM_STRING, "more"));
    test_set(o1, "Child", obj(lx));
    cim_instance *k1 = new_inst(leaf, a);
    test_set(k1, "N", cim_value_int(CIM_SINT64, -5));
    cim_value kids[] = {obj(k1), cim_value_null(CIM_OBJECT, false)};
    test_set(o1, "Kids", arr(CIM_OBJECT, kids, 2));
    test_set(o1, "Names", cim_value_null(CIM_STRING, true));
    /* Objs[1]: an empty object */
    cim_instance *o2 = new_inst(inner, a);
    cim_value objs[] = {obj(o1), obj(o2)};
    test_set(inst, "Objs", arr(CIM_OBJECT, objs, 2));
    test_set(inst, "One", obj(o2));
    return inst;
}

static inline void insert_ok(store *s, const cim_instance *inst)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (store_instance_insert(s, inst, &err) != 0)
        fail_msg("insert: %s", err.msg);
}

static inline cim_instance *get_ok(store *s, const cim_instance *keys,
                                   bool lazy)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *got = NULL;
    if (store_instance_get(&got, s, keys, lazy, &err) != 0)
        fail_msg("get: %s", err.msg);
    return got;
}

static inline int64_t count(store *s, const char *sql)
{
    return test_db_int(s, sql);
}

/* Checks every value full_t set, as read back. */
static inline void check_full(const cim_instance *g)
{
    assert_string_equal(test_get(g, "Name")->v.s, "Fancy \"name\" ü");
    assert_int_equal(test_get(g, "CI_ID")->v.i, 7);
    const cim_value *tags = test_get(g, "Tags");
    assert_true(tags->is_array && !tags->is_null);
    assert_int_equal(tags->count, 3);
    assert_string_equal(tags->v.items[0].v.s, "alpha");
    assert_string_equal(tags->v.items[1].v.s, "Beta");
    assert_true(tags->v.items[2].is_null);
    assert_true(test_get(g, "Posted")->v.i == POSTED_US);
    assert_true(test_get(g, "Flag")->v.b);
    assert_true(test_get(g, "Size")->v.i == -1234567890123LL);
    assert_true(test_get(g, "U32")->v.i == 4294967295LL);
    assert_true(test_get(g, "U64")->v.i == INT64_MAX);
    assert_int_equal(test_get(g, "S8")->v.i, -128);
    assert_int_equal(test_get(g, "U8")->v.i, 255);
    assert_int_equal(test_get(g, "S16")->v.i, -32768);
    assert_int_equal(test_get(g, "U16")->v.i, 65535);
    assert_true(test_get(g, "S32")->v.i == INT32_MIN);
    assert_true(test_get(g, "R32")->v.r == 1.5);
    assert_true(test_get(g, "R64")->v.r == -0.1);
    assert_string_equal(test_get(g, "Ch")->v.s, "Z");
    const cim_value *c = test_get(g, "Counts");
    assert_int_equal(c->count, 2);
    assert_true(c->v.items[0].v.i == 4294967295LL);
    const cim_value *d = test_get(g, "Dates");
    assert_true(d->v.items[0].v.i == POSTED_US && d->v.items[1].v.i == 1);
    const cim_value *b = test_get(g, "Bools");
    assert_true(!b->v.items[0].v.b && b->v.items[1].v.b);
    assert_true(test_get(g, "Reals")->v.items[0].v.r == 3.25);
    const cim_value *l = test_get(g, "Longs");
    assert_true(l->is_array && !l->is_null && l->count == 0);

    const cim_value *objs = test_get(g, "Objs");
    assert_int_equal(objs->count, 2);
    const cim_instance *o1 = objs->v.items[0].v.obj;
    assert_string_equal(o1->cls->name, "Inner");
    assert_string_equal(test_get(o1, "Label")->v.s, "first");
    assert_true(test_get(o1, "When")->v.i == POSTED_US + 1);
    assert_false(test_get(o1, "On")->v.b);
    assert_int_equal(test_get(o1, "Nums")->count, 2);
    assert_int_equal(test_get(o1, "Nums")->v.items[1].v.i, 2);
    assert_true(test_get(o1, "R")->v.r == 0.5);
    assert_true(test_get(o1, "Names")->is_null);
    const cim_instance *lx = test_get(o1, "Child")->v.obj;
    assert_string_equal(lx->cls->name, "LeafX");
    assert_string_equal(test_get(lx, "Extra")->v.s, "more");
    assert_null(cim_instance_get_by_name(lx, "N"));
    const cim_value *kids = test_get(o1, "Kids");
    assert_int_equal(kids->count, 2);
    assert_int_equal(test_get(kids->v.items[0].v.obj, "N")->v.i, -5);
    assert_true(kids->v.items[1].is_null);
    const cim_instance *o2 = objs->v.items[1].v.obj;
    assert_null(cim_instance_get_by_name(o2, "Label"));
    assert_string_equal(test_get(g, "One")->v.obj->cls->name, "Inner");
}

#endif
