/* SPDX-License-Identifier: MIT */
/*
 * Tests of mof_schema_finalize and mof_load_dir (src/mof/registry.c,
 * load.c): inheritance with overrides, keys, subclass lists, embedded
 * objects across files, errors at the reference's file:line:col, and a
 * torture run over parse + finalize.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "mof/mof.h"

static const char base_mof[] = "[Abstract]\n"
                               "class SMS_Base\n"
                               "{\n"
                               "    [key] string Zeta;\n"
                               "    uint32 Common = 1;\n"
                               "    [key] uint32 Alpha;\n"
                               "    sint32 Hello([in] string Who);\n"
                               "    sint32 Bye();\n"
                               "};\n";

static const char child_mof[] =
    "class SMS_Child : SMS_Base\n"
    "{\n"
    "    SMS_Part Parts[];\n"
    "    [not_null] uint32 Common = 2;\n"
    "    [key] string beta;\n"
    "    [static] sint32 Bye([out] uint32 Code);\n"
    "    sint32 Extra();\n"
    "};\n"
    "class SMS_Grand : SMS_Child { string Own; };\n"
    "class SMS_Other : SMS_Base { };\n"
    "[Embedded] class SMS_Part { string Text; SMS_Child ref Back; };\n";

/* Parses the given texts as files a.mof, b.mof, ... and finalizes. */
static int build(cim_schema **out, const char *const *texts, int n,
                 smsprov_error *err)
{
    int rc = mof_schema_new(out, err);
    for (int i = 0; i < n && rc == 0; i++) {
        char name[16];
        snprintf(name, sizeof(name), "%c.mof", 'a' + i);
        rc = mof_parse(*out, name, texts[i], strlen(texts[i]), err);
    }
    if (rc == 0)
        rc = mof_schema_finalize(*out, err);
    return rc;
}

static const cim_class *cls(const cim_schema *s, const char *name)
{
    const cim_class *c = cim_schema_class(s, name, strlen(name));
    if (c == NULL)
        fail_msg("no class %s", name);
    return c;
}

static void test_mof_registry__inheritance(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    /* the child file comes first: superclasses may be forward references */
    const char *const texts[] = {child_mof, base_mof};
    assert_int_equal(build(&s, texts, 2, &err), 0);
    const cim_class *base = cls(s, "sms_base");
    const cim_class *child = cls(s, "SMS_Child");
    assert_ptr_equal(child->parent, base);
    assert_null(base->parent);
    assert_int_equal(child->id, 0);
    assert_int_equal(base->id, 4);
    assert_string_equal(base->file, "b.mof");
    assert_true(cim_class_is_a(cls(s, "SMS_Grand"), base));
    /* inherited first, in the parent's order; override keeps its index */
    assert_int_equal(child->nprops, 5);
    static const char *const order[] = {"Zeta", "Common", "Alpha", "Parts",
                                        "beta"};
    for (uint32_t i = 0; i < 5; i++) {
        assert_string_equal(child->props[i].name, order[i]);
        assert_int_equal(child->props[i].index, i);
    }
    assert_ptr_equal(child->props[0].origin, base);
    assert_ptr_equal(child->props[1].origin, child);
    assert_int_equal(child->props[1].flags, CIM_P_NOT_NULL);
    assert_int_equal(child->props[1].def.v.i, 2);
    assert_int_equal(base->props[1].def.v.i, 1);
    assert_ptr_equal(base->props[1].origin, base);
    /* methods likewise */
    assert_int_equal(child->nmethods, 3);
    assert_string_equal(child->methods[0].name, "Hello");
    assert_ptr_equal(child->methods[0].origin, base);
    assert_string_equal(child->methods[1].name, "Bye");
    assert_ptr_equal(child->methods[1].origin, child);
    assert_true(child->methods[1].is_static);
    assert_int_equal(child->methods[1].nparams, 1);
    assert_int_equal(child->methods[1].params[0].flags, CIM_P_OUT);
    assert_string_equal(child->methods[2].name, "Extra");
    /* grandchild gets everything */
    const cim_class *grand = cls(s, "SMS_Grand");
    assert_int_equal(grand->nprops, 6);
    assert_int_equal(grand->nmethods, 3);
    assert_string_equal(grand->props[5].name, "Own");
    assert_int_equal(grand->props[5].index, 5);
    assert_ptr_equal(grand->props[1].origin, child);
    cim_schema_free(s);
}

static void test_mof_registry__keys_children_embedded(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *const texts[] = {base_mof, child_mof};
    assert_int_equal(build(&s, texts, 2, &err), 0);
    const cim_class *base = cls(s, "SMS_Base");
    const cim_class *child = cls(s, "SMS_Child");
    /* keys sorted by name, case-insensitively: Alpha, beta, Zeta */
    assert_int_equal(base->nkeys, 2);
    assert_string_equal(base->props[base->keys[0]].name, "Alpha");
    assert_string_equal(base->props[base->keys[1]].name, "Zeta");
    assert_int_equal(child->nkeys, 3);
    assert_string_equal(child->props[child->keys[0]].name, "Alpha");
    assert_string_equal(child->props[child->keys[1]].name, "beta");
    assert_string_equal(child->props[child->keys[2]].name, "Zeta");
    /* subclasses in declaration order */
    assert_int_equal(base->nchildren, 2);
    assert_ptr_equal(base->children[0], child);
    assert_ptr_equal(base->children[1], cls(s, "SMS_Other"));
    assert_int_equal(child->nchildren, 1);
    assert_int_equal(cls(s, "SMS_Grand")->nchildren, 0);
    /* embedded objects point at their class; references are checked */
    const cim_property *p = cim_class_property(child, "parts", 5);
    assert_int_equal(p->type, CIM_OBJECT);
    assert_ptr_equal(p->embedded, cls(s, "SMS_Part"));
    assert_true(cls(s, "SMS_Part")->flags & CIM_C_EMBEDDED);
    p = cim_class_property(cls(s, "SMS_Part"), "Back", 4);
    assert_int_equal(p->type, CIM_REFERENCE);
    assert_null(p->embedded);
    assert_false(cim_class_is_concrete(base));
    assert_true(cim_class_is_concrete(child));
    for (uint32_t i = 0; i < s->nclasses; i++)
        assert_int_equal(s->classes[i]->id, i);
    cim_schema_free(s);
}

static void test_mof_registry__embedded_in_params(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *const texts[] = {"class A { sint32 F([out] B Res[], [in, "
                                 "EmbeddedInstance(\"b\")] object Arg); };\n",
                                 "class B { };"};
    assert_int_equal(build(&s, texts, 2, &err), 0);
    const cim_method *m = &cls(s, "A")->methods[0];
    assert_ptr_equal(m->params[0].embedded, cls(s, "B"));
    assert_ptr_equal(m->params[1].embedded, cls(s, "B"));
    /* the class's own spelling replaces the one written */
    assert_string_equal(m->params[1].ref_class, "B");
    assert_int_equal(m->params[1].index, 1);
    assert_ptr_equal(m->params[1].origin, cls(s, "A"));
    cim_schema_free(s);
}

/* Builds the texts and checks the finalize/parse error position. */
static void expect_error(const char *const *texts, int n, int code,
                         const char *file, int line, int col, const char *msg)
{
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    int rc = build(&s, texts, n, &err);
    cim_schema_free(s);
    if (rc != code || err.code != code || err.line != line || err.col != col ||
        strcmp(err.file, file) != 0 || strstr(err.msg, msg) == NULL)
        fail_msg("got %d %s:%d:%d '%s'\nwant %d %s:%d:%d '%s'", rc, err.file,
                 err.line, err.col, err.msg, code, file, line, col, msg);
}

static void test_mof_registry__errors(void **state)
{
    (void)state;
    const int E = SMSPROV_EINVALID_SYNTAX;
    const char *const unknown_parent[] = {"class A { };",
                                          "\n\nclass B :\n   Nope { };"};
    expect_error(unknown_parent, 2, E, "b.mof", 4, 4,
                 "unknown superclass 'Nope' of class 'B'");
    const char *const cycle[] = {"class A : C { };\nclass B : A { };",
                                 "class C : B { };"};
    expect_error(cycle, 2, E, "a.mof", 1, 11,
                 "class 'A' inherits from itself (A : C : B : A)");
    const char *const self[] = {"class Z { };\nclass A : A { };"};
    expect_error(self, 1, E, "a.mof", 2, 11,
                 "class 'A' inherits from itself (A : A)");
    const char *const bad_type[] = {"class A {\n  uint32 x;\n  Ghost g[];\n};"};
    expect_error(bad_type, 1, E, "a.mof", 3, 3, "unknown type 'Ghost'");
    const char *const bad_emb[] = {
        "class A {\n [EmbeddedInstance(\"Ghost\")] object g;\n};"};
    expect_error(bad_emb, 1, E, "a.mof", 2, 20, "unknown class 'Ghost'");
    const char *const bad_ref[] = {"class A { void f(Ghost ref r); };"};
    expect_error(bad_ref, 1, E, "a.mof", 1, 18, "unknown type 'Ghost'");
    const char *const retype[] = {"class A { uint32 x; };",
                                  "class B : A {\n  string X;\n};"};
    expect_error(retype, 2, E, "b.mof", 2, 10,
                 "property 'X' of class 'B' changes the type it inherits "
                 "from class 'A'");
    const char *const dup[] = {"class A { };", "\nclass A { };"};
    expect_error(dup, 2, E, "b.mof", 2, 7,
                 "duplicate class 'A' (first declared at a.mof:1)");
}

static void test_mof_registry__error_names_class(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *const texts[] = {"class A { };\nclass B : Nope { };"};
    assert_int_equal(build(&s, texts, 1, &err), SMSPROV_EINVALID_SYNTAX);
    assert_string_equal(err.object, "B");
    assert_int_equal(err.offset, -1);
    cim_schema_free(s);
    /* an error set earlier is kept whole */
    util_error_clear(&err);
    util_error_set(&err, SMSPROV_EIO, -1, "earlier");
    assert_int_equal(mof_schema_new(&s, &err), 0);
    assert_int_equal(mof_parse(s, "x.mof", texts[0], strlen(texts[0]), &err),
                     0);
    assert_int_equal(mof_schema_finalize(s, &err), SMSPROV_EINVALID_SYNTAX);
    assert_string_equal(err.msg, "earlier");
    assert_string_equal(err.object, "");
    assert_string_equal(err.file, "");
    cim_schema_free(s);
}

static void test_mof_registry__member_limit_with_inherited(void **state)
{
    (void)state;
    util_buf b = UTIL_BUF_INIT(1 << 20);
    util_buf_puts(&b, "class A {\n");
    for (int i = 0; i < 600; i++)
        util_buf_printf(&b, "uint32 a%d;\n", i);
    util_buf_puts(&b, "};\nclass B : A {\n");
    for (int i = 0; i < 600; i++)
        util_buf_printf(&b, "uint32 b%d;\n", i);
    util_buf_puts(&b, "};\n");
    const char *const texts[] = {util_buf_cstr(&b)};
    expect_error(texts, 1, SMSPROV_ETOOBIG, "a.mof", 603, 7,
                 "class 'B' has more than 1024 members");
    util_buf_free(&b);
}

static void test_mof_registry__schema_member_limit(void **state)
{
    (void)state;
    util_buf b = UTIL_BUF_INIT(1 << 20);
    /* a 20 KB text whose flattening would copy 300 x 1000 properties */
    util_buf_puts(&b, "class Big {\n");
    for (int i = 0; i < 1000; i++)
        util_buf_printf(&b, "uint32 p%d;\n", i);
    util_buf_puts(&b, "};\nclass C1 : Big { };\n");
    for (int i = 2; i <= 300; i++)
        util_buf_printf(&b, "class C%d : C%d { };\n", i, i - 1);
    const char *const texts[] = {util_buf_cstr(&b)};
    expect_error(texts, 1, SMSPROV_ETOOBIG, "a.mof", 1264, 7,
                 "the schema has more than 262144 members");
    util_buf_free(&b);
}

static void test_mof_registry__finalize_again(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *const texts[] = {base_mof};
    assert_int_equal(build(&s, texts, 1, &err), 0);
    /* finalizing twice changes nothing */
    assert_int_equal(mof_schema_finalize(s, &err), 0);
    assert_int_equal(cls(s, "SMS_Base")->nprops, 3);
    /* classes parsed later join at the next finalize */
    assert_int_equal(mof_parse(s, "c.mof", child_mof, strlen(child_mof), &err),
                     0);
    assert_int_equal(mof_schema_finalize(s, &err), 0);
    assert_int_equal(cls(s, "SMS_Base")->nprops, 3);
    assert_int_equal(cls(s, "SMS_Base")->nchildren, 2);
    assert_int_equal(cls(s, "SMS_Grand")->nprops, 6);
    cim_schema_free(s);
}

/* Writes a file below dir. */
static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_dir(const char *dir, const char *const *names, int n)
{
    char path[512];
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void test_mof_registry__load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/mof_load_XXXXXX";
    static const char *const names[] = {"20_child.mof", "10_base.MOF",
                                        "notes.txt", "30_bad.mof"};
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    char want[600];
    assert_non_null(mkdtemp(dir));
    write_file(dir, names[0], child_mof);
    write_file(dir, names[1], base_mof);
    write_file(dir, names[2], "not a mof file {");
    assert_int_equal(mof_load_dir(&s, dir, &err), 0);
    assert_int_equal(s->nclasses, 5);
    assert_string_equal(s->classes[0]->name, "SMS_Base");
    snprintf(want, sizeof(want), "%s/10_base.MOF", dir);
    assert_string_equal(s->classes[0]->file, want);
    cim_schema_free(s);
    /* an error names the file; *out stays NULL */
    write_file(dir, names[3], "class Broken {\n  uint32 x\n};\n");
    assert_int_equal(mof_load_dir(&s, dir, &err), SMSPROV_EINVALID_SYNTAX);
    assert_null(s);
    snprintf(want, sizeof(want), "%s/30_bad.mof", dir);
    assert_string_equal(err.file, want);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 1);
    remove_dir(dir, names, 4);
    util_error_clear(&err);
    assert_int_equal(mof_load_dir(&s, dir, &err), SMSPROV_EIO);
    assert_null(s);
    assert_string_equal(err.file, dir);
}

/*
 * Fails the n-th allocation for n = 1, 2, ... until parse + finalize
 * succeed; every failure is SMSPROV_ENOMEM and leaks nothing.
 */
static void test_mof_registry__torture(void **state)
{
    (void)state;
    const char *const texts[] = {child_mof, base_mof};
    int ok = 0;
    long n;
    for (n = 1; n < 100000 && !ok; n++) {
        cim_schema *s = NULL;
        smsprov_error err = SMSPROV_ERROR_INIT;
        util_alloc_fail_at(n);
        int rc = build(&s, texts, 2, &err);
        util_alloc_fail_at(0);
        if (rc == 0)
            ok = 1;
        else
            assert_int_equal(err.code, SMSPROV_ENOMEM);
        cim_schema_free(s);
    }
    assert_true(ok);
    assert_true(n > 3); /* schema, arena, pages, class array, index */
}

static void test_mof_registry__torture_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/mof_tort_XXXXXX";
    static const char *const names[] = {"a.mof", "b.mof"};
    int ok = 0;
    assert_non_null(mkdtemp(dir));
    write_file(dir, names[0], base_mof);
    write_file(dir, names[1], child_mof);
    for (long n = 1; n < 100000 && !ok; n++) {
        cim_schema *s = NULL;
        smsprov_error err = SMSPROV_ERROR_INIT;
        util_alloc_fail_at(n);
        int rc = mof_load_dir(&s, dir, &err);
        util_alloc_fail_at(0);
        if (rc == 0) {
            ok = 1;
            assert_non_null(s);
        } else {
            assert_int_equal(rc, SMSPROV_ENOMEM);
            assert_null(s);
        }
        cim_schema_free(s);
    }
    remove_dir(dir, names, 2);
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mof_registry__inheritance),
        cmocka_unit_test(test_mof_registry__keys_children_embedded),
        cmocka_unit_test(test_mof_registry__embedded_in_params),
        cmocka_unit_test(test_mof_registry__errors),
        cmocka_unit_test(test_mof_registry__error_names_class),
        cmocka_unit_test(test_mof_registry__member_limit_with_inherited),
        cmocka_unit_test(test_mof_registry__schema_member_limit),
        cmocka_unit_test(test_mof_registry__finalize_again),
        cmocka_unit_test(test_mof_registry__load_dir),
        cmocka_unit_test(test_mof_registry__torture),
        cmocka_unit_test(test_mof_registry__torture_load_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
