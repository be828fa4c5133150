/* SPDX-License-Identifier: MIT */
/*
 * Tests of the MOF parser (src/mof/parser.c, members.c, qualifiers.c,
 * literal.c): every kind of member, qualifier value shapes, defaults of
 * each type, errors at exact line:col, limits, and a torture run that fails
 * each allocation in turn.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof_int.h"

static const char sample[] =
    "#pragma namespace(\"\\\\\\\\.\\\\root\\\\sms\")\n"
    "#pragma classflags(forceupdate)\n"
    "#pragma autorecover\n"
    "// a class with every kind of member\n"
    "[Secured, Abstract(FALSE), Description(\"The \" \"class\"),\n"
    " Values{\"a\", \"b\"}, Num(-12), Hex(0x10), Pi(3.5), Nil(NULL),\n"
    " Flavored(\"x\") : ToSubclass Translatable, Mixed{1, 2.5}]\n"
    "class SMS_Thing : SMS_Base\n"
    "{\n"
    "    [key, read] uint32 ID;\n"
    "    [not_null, SizeLimit(\"1-64\")] String Name = \"n\\\"1\";\n"
    "    [lazy, large, unique, write, SizeLimit(\"32\")] string Notes;\n"
    "    [Range(\"0-31\"), deprecated{\"x\"}] uint8 Small = 7;\n"
    "    [max(15)] uint32 Ids[] = {1, 2, 3};\n"
    "    sint8 S8 = -128;\n"
    "    uint64 Big = 0x7FFFFFFFFFFFFFFF;\n"
    "    real32 R = 1;\n"
    "    real64 R64 = -2.5e3;\n"
    "    boolean Flag = TRUE;\n"
    "    char16 Letter = 'z';\n"
    "    datetime When = \"20250115083000.000000+000\";\n"
    "    datetime Local = \"20250115083000.000000+***\";\n"
    "    string Tags[4] = {\"a\", \"b\"};\n"
    "    string Nothing = NULL;\n"
    "    SMS_Part Parts[];\n"
    "    SMS_Part Single;\n"
    "    SMS_Other ref Link;\n"
    "    [EmbeddedInstance(\"SMS_Part\")] object Emb;\n"
    "    [EmbeddedInstance(\"SMS_Part\")] string EmbS[];\n"
    "    [EmbeddedObject] object Any;\n"
    "    uint32 ref;\n"
    "    [static, implemented] sint32 Run([in] uint32 Count,\n"
    "        [in, out] string Names[], [out] SMS_Part Result,\n"
    "        [in, optional] SMS_Other ref Target, boolean Plain,\n"
    "        [out, In(false)] uint32 OutOnly);\n"
    "    void Nop();\n"
    "};\n";

/* Parses text into a new schema; returns mof_parse's code. */
static int parse(cim_schema **out, const char *text, smsprov_error *err)
{
    int rc = mof_schema_new(out, err);
    if (rc < 0)
        return rc;
    return mof_parse(*out, "t.mof", text, strlen(text), err);
}

static const cim_property *prop(const cim_class *c, const char *name)
{
    for (uint32_t i = 0; i < c->nprops; i++)
        if (strcmp(c->props[i].name, name) == 0)
            return &c->props[i];
    fail_msg("no property %s", name);
    return NULL;
}

static void test_mof_parser__class_header(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(parse(&s, sample, &err), 0);
    assert_int_equal(s->nclasses, 1);
    const cim_class *c = s->classes[0];
    assert_string_equal(c->name, "SMS_Thing");
    assert_string_equal(c->parent_name, "SMS_Base");
    assert_null(c->parent);
    assert_string_equal(c->file, "t.mof");
    assert_int_equal(c->line, 8);
    assert_int_equal(c->flags, CIM_C_SECURED);
    assert_int_equal(c->nquals, 10);
    const cim_qualifier *q = cim_class_qualifier(c, "description");
    assert_non_null(q);
    assert_int_equal(q->value.type, CIM_STRING);
    assert_string_equal(q->value.v.s, "The class");
    assert_int_equal(q->line, 5);
    q = cim_class_qualifier(c, "Secured");
    assert_int_equal(q->value.type, CIM_BOOLEAN);
    assert_true(q->value.v.b);
    q = cim_class_qualifier(c, "Values");
    assert_true(q->value.is_array);
    assert_int_equal(q->value.count, 2);
    assert_int_equal(q->value.type, CIM_STRING);
    assert_string_equal(q->value.v.items[1].v.s, "b");
    q = cim_class_qualifier(c, "Num");
    assert_int_equal(q->value.type, CIM_SINT64);
    assert_int_equal(q->value.v.i, -12);
    assert_int_equal(cim_class_qualifier(c, "Hex")->value.v.i, 16);
    q = cim_class_qualifier(c, "Pi");
    assert_int_equal(q->value.type, CIM_REAL64);
    assert_true(q->value.v.r == 3.5);
    assert_true(cim_class_qualifier(c, "Nil")->value.is_null);
    assert_string_equal(cim_class_qualifier(c, "Flavored")->value.v.s, "x");
    q = cim_class_qualifier(c, "Mixed");
    assert_int_equal(q->value.type, CIM_REAL64);
    assert_true(q->value.v.items[0].v.r == 1.0);
    cim_schema_free(s);
}

static void test_mof_parser__properties(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(parse(&s, sample, &err), 0);
    const cim_class *c = s->classes[0];
    assert_int_equal(c->nprops, 22);
    const cim_property *p = prop(c, "ID");
    assert_int_equal(p->type, CIM_UINT32);
    assert_int_equal(p->flags, CIM_P_KEY | CIM_P_READ);
    assert_int_equal(p->line, 10);
    assert_int_equal(p->size_min, -1);
    assert_int_equal(p->max_count, -1);
    p = prop(c, "Name");
    assert_int_equal(p->type, CIM_STRING);
    assert_int_equal(p->flags, CIM_P_NOT_NULL);
    assert_int_equal(p->size_min, 1);
    assert_int_equal(p->size_max, 64);
    assert_true(p->has_default);
    assert_string_equal(p->def.v.s, "n\"1");
    p = prop(c, "Notes");
    assert_int_equal(p->flags,
                     CIM_P_LAZY | CIM_P_LARGE | CIM_P_UNIQUE | CIM_P_WRITE);
    assert_int_equal(p->size_min, -1);
    assert_int_equal(p->size_max, 32);
    assert_false(p->has_default);
    p = prop(c, "Small");
    assert_true(p->has_range);
    assert_int_equal(p->range_min, 0);
    assert_int_equal(p->range_max, 31);
    assert_int_equal(p->flags, CIM_P_DEPRECATED);
    assert_int_equal(p->def.type, CIM_UINT8);
    assert_int_equal(p->def.v.i, 7);
    p = prop(c, "Ids");
    assert_true(p->is_array);
    assert_int_equal(p->max_count, 15);
    assert_true(p->def.is_array);
    assert_int_equal(p->def.count, 3);
    assert_int_equal(p->def.type, CIM_UINT32);
    assert_int_equal(p->def.v.items[2].v.i, 3);
    assert_int_equal(prop(c, "S8")->def.v.i, -128);
    assert_int_equal(prop(c, "Big")->def.v.i, INT64_MAX);
    assert_int_equal(prop(c, "R")->def.type, CIM_REAL32);
    assert_true(prop(c, "R")->def.v.r == 1.0);
    assert_true(prop(c, "R64")->def.v.r == -2500.0);
    assert_true(prop(c, "Flag")->def.v.b);
    assert_string_equal(prop(c, "Letter")->def.v.s, "z");
    p = prop(c, "When");
    assert_int_equal(p->def.type, CIM_DATETIME);
    assert_int_equal(p->def.v.i, 1736929800LL * 1000000);
    assert_int_equal(prop(c, "Local")->def.v.i, 1736929800LL * 1000000);
    p = prop(c, "Tags");
    assert_int_equal(p->max_count, 4);
    assert_int_equal(p->def.count, 2);
    p = prop(c, "Nothing");
    assert_true(p->has_default);
    assert_true(p->def.is_null);
    p = prop(c, "Parts");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_true(p->is_array);
    assert_string_equal(p->ref_class, "SMS_Part");
    assert_int_equal(prop(c, "Single")->type, CIM_OBJECT);
    p = prop(c, "Link");
    assert_int_equal(p->type, CIM_REFERENCE);
    assert_string_equal(p->ref_class, "SMS_Other");
    p = prop(c, "Emb");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_string_equal(p->ref_class, "SMS_Part");
    p = prop(c, "EmbS");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_true(p->is_array);
    p = prop(c, "Any");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_null(p->ref_class);
    assert_int_equal(prop(c, "ref")->type, CIM_UINT32);
    cim_schema_free(s);
}

static void test_mof_parser__methods(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(parse(&s, sample, &err), 0);
    const cim_class *c = s->classes[0];
    assert_int_equal(c->nmethods, 2);
    const cim_method *m = &c->methods[0];
    assert_string_equal(m->name, "Run");
    assert_int_equal(m->return_type, CIM_SINT32);
    assert_true(m->is_static);
    assert_int_equal(m->nquals, 2);
    assert_int_equal(m->line, 32);
    assert_int_equal(m->nparams, 6);
    assert_string_equal(m->params[0].name, "Count");
    assert_int_equal(m->params[0].flags, CIM_P_IN);
    assert_int_equal(m->params[1].flags, CIM_P_IN | CIM_P_OUT);
    assert_true(m->params[1].is_array);
    assert_int_equal(m->params[2].flags, CIM_P_OUT);
    assert_int_equal(m->params[2].type, CIM_OBJECT);
    assert_string_equal(m->params[2].ref_class, "SMS_Part");
    assert_int_equal(m->params[3].flags, CIM_P_IN | CIM_P_OPTIONAL);
    assert_int_equal(m->params[3].type, CIM_REFERENCE);
    /* no direction written: [in] as in DMTF CIM */
    assert_int_equal(m->params[4].flags, CIM_P_IN);
    assert_int_equal(m->params[5].flags, CIM_P_OUT);
    m = &c->methods[1];
    assert_string_equal(m->name, "Nop");
    assert_int_equal(m->return_type, CIM_NONE);
    assert_int_equal(m->nparams, 0);
    assert_false(m->is_static);
    cim_schema_free(s);
}

static void test_mof_parser__case_insensitive_keywords(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *text = "CLASS A { UINT32 X = 1; BOOLEAN B = true; "
                       "DateTime D = null; Object O = NULL; };\n"
                       "Class B : A { };";
    assert_int_equal(parse(&s, text, &err), 0);
    assert_int_equal(s->nclasses, 2);
    assert_int_equal(s->classes[0]->props[0].type, CIM_UINT32);
    assert_int_equal(s->classes[0]->props[2].type, CIM_DATETIME);
    assert_true(s->classes[0]->props[2].def.is_null);
    cim_schema_free(s);
}

/*
 * Parses text and checks the error code, line, column and that the
 * message holds msg.
 */
static void expect_error(const char *text, int code, int line, int col,
                         const char *msg)
{
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    int rc = parse(&s, text, &err);
    cim_schema_free(s);
    if (rc != code || err.line != line || err.col != col ||
        strstr(err.msg, msg) == NULL || strcmp(err.file, "t.mof") != 0)
        fail_msg("%s\n got %d %s:%d:%d '%s'\n want %d %d:%d '%s'", text, rc,
                 err.file, err.line, err.col, err.msg, code, line, col, msg);
    assert_int_equal(err.code, code);
}

static void test_mof_parser__syntax_errors(void **state)
{
    (void)state;
    const int E = SMSPROV_EINVALID_SYNTAX;
    expect_error("class A { uint32 x; }\nclass B { };", E, 2, 1,
                 "expected ';' after class declaration, found 'class'");
    expect_error("class A { uint32 x; } }", E, 1, 23,
                 "expected ';' after class declaration, found '}'");
    expect_error("class A {\n  uint32 x\n};", E, 3, 1,
                 "expected ';' after property 'x', found '}'");
    expect_error("class A {\n  uint33 x;\n};", E, 2, 3,
                 "unknown type 'uint33'");
    expect_error("class A { Strng x; };", E, 1, 11, "unknown type 'Strng'");
    expect_error("class A { void x; };", E, 1, 11, "unknown type 'void'");
    expect_error("class A { SMS_X x(); };", E, 1, 11, "unknown type 'SMS_X'");
    expect_error("class A { uint32 ref x; };", E, 1, 11,
                 "only a class can be referenced");
    expect_error("class A {\n uint32 x;\n string X;\n};", E, 3, 9,
                 "duplicate property 'X' in class 'A'");
    expect_error("class A { void f(); void F(); };", E, 1, 26,
                 "duplicate method 'F'");
    expect_error("class A { void f(uint32 a, uint32 A); };", E, 1, 35,
                 "duplicate parameter 'A'");
    expect_error("class A { };\nclass a { };", E, 2, 7,
                 "duplicate class 'a' (first declared at t.mof:1)");
    expect_error("class A { uint32 x;", E, 1, 20,
                 "expected '}' to close class 'A', found end of input");
    expect_error("class A { /* open", E, 1, 11, "unterminated comment");
    expect_error("class A {\n  string s = \"abc\n};", E, 2, 14,
                 "unterminated string");
    expect_error("instance of A { };", E, 1, 1,
                 "expected 'class', '[' or '#pragma', found 'instance'");
    expect_error("[key class A { };", E, 1, 6,
                 "expected ',' or ']' in the qualifier list");
    expect_error("[] class A { };", E, 1, 2, "expected a qualifier name");
    expect_error("[a, A] class A { };", E, 1, 5, "duplicate qualifier 'A'");
    expect_error("[a : Bogus] class A { };", E, 1, 6,
                 "unknown qualifier flavor 'Bogus'");
    expect_error("class A : { };", E, 1, 11, "expected a superclass name");
    expect_error("class A B { };", E, 1, 9, "expected ':' or '{'");
    expect_error("#include(\"x\")", E, 1, 2, "expected 'pragma' after '#'");
    expect_error("#pragma namespace(\"x\"", E, 1, 22,
                 "expected ')' after the pragma value");
    expect_error("class A { void f(uint32 a uint32 b); };", E, 1, 27,
                 "expected ',' or ')' in the parameters");
    expect_error("class A { uint32 x[0]; };", E, 1, 20, "array size");
}

static void test_mof_parser__bad_defaults(void **state)
{
    (void)state;
    const int E = SMSPROV_EINVALID_SYNTAX;
    expect_error("class A {\n  uint32 x = \"x\";\n};", E, 2, 14,
                 "expected a UInt32 value, found '\"x\"'");
    expect_error("class A { uint8 x = 300; };", E, 1, 21,
                 "value '300' does not fit type UInt8");
    expect_error("class A { uint32 x = -1; };", E, 1, 22,
                 "value '-1' does not fit type UInt32");
    expect_error("class A { sint8 x = -129; };", E, 1, 21, "does not fit");
    expect_error("class A { uint64 x = 0xFFFFFFFFFFFFFFFF; };", E, 1, 22,
                 "does not fit type UInt64");
    expect_error("class A { sint64 x = 99999999999999999999; };", E, 1, 22,
                 "out of range");
    expect_error("class A { real32 x = 1e39; };", E, 1, 22, "does not fit");
    expect_error("class A { boolean x = 1; };", E, 1, 23,
                 "expected a Boolean value");
    expect_error("class A { datetime x = \"2025-01-15\"; };", E, 1, 24,
                 "is not a DMTF date-time");
    expect_error("class A { datetime x = 5; };", E, 1, 24,
                 "expected a DateTime value");
    expect_error("class A { char16 x = \"ab\"; };", E, 1, 22,
                 "expected a Char16 value");
    expect_error("class A { uint32 x[] = 5; };", E, 1, 24,
                 "expected '{' for an array value");
    expect_error("class A { uint32 x = {5}; };", E, 1, 22, "not an array");
    expect_error("class A { uint32 x[] = {1, \"2\"}; };", E, 1, 28,
                 "expected a UInt32 value");
    expect_error("class A { uint32 x[] = {1, NULL}; };", E, 1, 28,
                 "NULL is not allowed");
    expect_error("class A { uint32 x[] = {1 2}; };", E, 1, 27,
                 "expected ',' or '}' in the array");
    expect_error("class A { SMS_B x = \"a\"; };", E, 1, 21,
                 "can only default to NULL");
    expect_error("class A { string x = ; };", E, 1, 22,
                 "expected a value, found ';'");
}

static void test_mof_parser__bad_qualifiers(void **state)
{
    (void)state;
    const int E = SMSPROV_EINVALID_SYNTAX;
    expect_error("class A { [SizeLimit(\"abc\")] string x; };", E, 1, 22,
                 "SizeLimit takes");
    expect_error("class A { [SizeLimit(\"9-2\")] string x; };", E, 1, 22,
                 "SizeLimit takes");
    expect_error("class A { [Range(\"5\")] uint32 x; };", E, 1, 18,
                 "Range takes");
    expect_error("class A { [max(-1)] uint32 x[]; };", E, 1, 16,
                 "max takes a count");
    expect_error("class A {\n [key(\"yes\")] uint32 x; };", E, 2, 7,
                 "qualifier 'key' takes TRUE or FALSE");
    expect_error("[Abstract(1)] class A { };", E, 1, 11,
                 "qualifier 'Abstract' takes TRUE or FALSE");
    expect_error("class A { [EmbeddedInstance(1)] object x; };", E, 1, 29,
                 "takes a class name");
    expect_error("class A { [EmbeddedInstance(\"B\")] uint32 x; };", E, 1, 29,
                 "needs a property of type object or string");
    expect_error("[V{1, \"a\"}] class A { };", E, 1, 7,
                 "array elements must all have the same type");
    expect_error("[V{{1}}] class A { };", E, 1, 4, "nested arrays");
    expect_error("[V{1, -2, 0xFFFFFFFFFFFFFFFF}] class A { };", E, 1, 7,
                 "mixes negative");
}

static void test_mof_parser__qualifier_values(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *text =
        "[Read, Dynamic, Embedded, Association, Abstract(TRUE), "
        "Big(0xFFFFFFFFFFFFFFFF), Ch('c'), Empty{}, E2({\"a\"}), "
        "Ints{1, 0xFFFFFFFFFFFFFFFF}, F(false)]\n"
        "class A { [SizeLimit(10), max(\"3\"), Range(\"-5--1\"), "
        "Read(FALSE), Optional] sint32 x[]; };";
    assert_int_equal(parse(&s, text, &err), 0);
    const cim_class *c = s->classes[0];
    assert_int_equal(c->flags, CIM_C_READ | CIM_C_DYNAMIC | CIM_C_EMBEDDED |
                                   CIM_C_ASSOCIATION | CIM_C_ABSTRACT);
    const cim_qualifier *q = cim_class_qualifier(c, "Big");
    assert_int_equal(q->value.type, CIM_UINT64);
    assert_int_equal((uint64_t)q->value.v.i, UINT64_MAX);
    assert_int_equal(cim_class_qualifier(c, "Ch")->value.type, CIM_CHAR16);
    q = cim_class_qualifier(c, "Empty");
    assert_true(q->value.is_array);
    assert_int_equal(q->value.count, 0);
    assert_int_equal(cim_class_qualifier(c, "E2")->value.count, 1);
    q = cim_class_qualifier(c, "Ints");
    assert_int_equal(q->value.type, CIM_UINT64);
    assert_int_equal(q->value.v.items[0].type, CIM_UINT64);
    assert_false(cim_class_qualifier(c, "F")->value.v.b);
    const cim_property *p = &c->props[0];
    assert_int_equal(p->size_min, -1);
    assert_int_equal(p->size_max, 10);
    assert_int_equal(p->max_count, 3);
    assert_int_equal(p->range_min, -5);
    assert_int_equal(p->range_max, -1);
    assert_int_equal(p->flags, CIM_P_OPTIONAL);
    cim_schema_free(s);
}

static void test_mof_parser__limits(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_buf b = UTIL_BUF_INIT(1 << 20);
    /* nesting: qualifier arrays nested past MOF_MAX_DEPTH */
    util_buf_puts(&b, "[Q");
    for (int i = 0; i < MOF_MAX_DEPTH + 5; i++)
        util_buf_puts(&b, "{");
    expect_error(util_buf_cstr(&b), SMSPROV_ETOOBIG, 1, 3 + MOF_MAX_DEPTH,
                 "nesting deeper than");
    /* members */
    util_buf_reset(&b);
    util_buf_puts(&b, "class A {\n");
    for (int i = 0; i <= MOF_MAX_MEMBERS; i++)
        util_buf_printf(&b, "uint32 p%d;\n", i);
    util_buf_puts(&b, "};");
    expect_error(util_buf_cstr(&b), SMSPROV_ETOOBIG, MOF_MAX_MEMBERS + 2, 8,
                 "more than 1024 members");
    /* classes */
    util_buf_reset(&b);
    for (int i = 0; i <= MOF_MAX_CLASSES; i++)
        util_buf_printf(&b, "class C%d { };\n", i);
    expect_error(util_buf_cstr(&b), SMSPROV_ETOOBIG, MOF_MAX_CLASSES + 1, 7,
                 "more than 4096 classes");
    util_buf_free(&b);
    /* text size: checked before the text is read */
    assert_int_equal(mof_schema_new(&s, &err), 0);
    assert_int_equal(
        mof_parse(s, "big.mof", "", (size_t)MOF_MAX_TEXT + 1, &err),
        SMSPROV_ETOOBIG);
    assert_string_equal(err.file, "big.mof");
    cim_schema_free(s);
}

static void test_mof_parser__first_error_wins(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(mof_schema_new(&s, &err), 0);
    util_error_set(&err, SMSPROV_EIO, 5, "earlier");
    assert_int_equal(mof_parse(s, "x.mof", "class", 5, &err),
                     SMSPROV_EINVALID_SYNTAX);
    assert_int_equal(err.code, SMSPROV_EIO);
    assert_string_equal(err.msg, "earlier");
    assert_string_equal(err.file, "");
    assert_string_equal(err.object, "");
    cim_schema_free(s);
    /* a fresh error names the class being read */
    util_error_clear(&err);
    assert_int_equal(parse(&s, "class Z { uint32 x; uint32 X; };", &err),
                     SMSPROV_EINVALID_SYNTAX);
    assert_string_equal(err.object, "Z");
    cim_schema_free(s);
}

static void test_mof_parser__empty_and_comments_only(void **state)
{
    (void)state;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(parse(&s, "", &err), 0);
    assert_int_equal(mof_parse(s, "c.mof", "// x\n/* y */", 12, &err), 0);
    assert_int_equal(mof_parse(s, "n.mof", NULL, 0, &err), 0);
    assert_int_equal(s->nclasses, 0);
    cim_schema_free(s);
}

/*
 * Fails the n-th allocation for n = 1, 2, ... until the parse succeeds:
 * each failure must be SMSPROV_ENOMEM and leak nothing (ASan checks).
 */
static void test_mof_parser__torture(void **state)
{
    (void)state;
    int ok = 0;
    long n;
    for (n = 1; n < 100000 && !ok; n++) {
        cim_schema *s = NULL;
        smsprov_error err = SMSPROV_ERROR_INIT;
        util_alloc_fail_at(n);
        int rc = mof_schema_new(&s, &err);
        if (rc == 0)
            rc = mof_parse(s, "t.mof", sample, strlen(sample), &err);
        util_alloc_fail_at(0);
        if (rc == 0) {
            ok = 1;
        } else {
            assert_int_equal(rc, SMSPROV_ENOMEM);
            assert_int_equal(err.code, SMSPROV_ENOMEM);
        }
        if (s == NULL)
            assert_int_not_equal(rc, 0);
        cim_schema_free(s);
    }
    assert_true(ok);
    assert_true(n > 3); /* schema, arena, arena pages, class array */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mof_parser__class_header),
        cmocka_unit_test(test_mof_parser__properties),
        cmocka_unit_test(test_mof_parser__methods),
        cmocka_unit_test(test_mof_parser__case_insensitive_keywords),
        cmocka_unit_test(test_mof_parser__syntax_errors),
        cmocka_unit_test(test_mof_parser__bad_defaults),
        cmocka_unit_test(test_mof_parser__bad_qualifiers),
        cmocka_unit_test(test_mof_parser__qualifier_values),
        cmocka_unit_test(test_mof_parser__limits),
        cmocka_unit_test(test_mof_parser__first_error_wins),
        cmocka_unit_test(test_mof_parser__empty_and_comments_only),
        cmocka_unit_test(test_mof_parser__torture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
