/* SPDX-License-Identifier: MIT */
/*
 * Catalog import against the real samples in shared/data/catalog (the
 * vuls wsusscn2 fixture cabinet and the wsus-rs update documents) and
 * generated catalogs: known updates, categories, supersedence chains,
 * content files with digests, incremental re-import, the expiry rule,
 * locales, and corrupt input leaving the database unchanged.
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

#include "provider/provider.h"
#include "sum/sum.h"
#include "util/util.h"

#ifndef SMSPROV_SHARED_DIR
#define SMSPROV_SHARED_DIR "../shared"
#endif
#define CATALOG SMSPROV_SHARED_DIR "/data/catalog"
#define VULS_CAB CATALOG "/vuls-data-update/wsusscn2-fixture.cab"
#define VULS_DIR CATALOG "/vuls-data-update/extracted"
#define WSUS_DOCS CATALOG "/wsus-rs/update-xml"

static char db_path[128];
static char scratch[128];

static provider *open_db(void)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (provider_open(&p, db_path, &err) != 0)
        fail_msg("open: %s", err.msg);
    return p;
}

static int setup(void **state)
{
    (void)state;
    snprintf(db_path, sizeof(db_path), "/tmp/smsprov-sum-%d.db", getpid());
    snprintf(scratch, sizeof(scratch), "/tmp/smsprov-sum-%d", getpid());
    unlink(db_path);
    mkdir(scratch, 0755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1024];
    (void)!snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s' '%s-wal' '%s-shm'",
                    scratch, db_path, db_path, db_path);
    if (system(cmd) != 0)
        return -1;
    return 0;
}

/* First column of the first row of sql as text (static buffer, "" none). */
static const char *sql1(provider *p, const char *sql)
{
    static char out[4096];
    smsprov_error err = SMSPROV_ERROR_INIT;
    store_stmt *st = NULL;
    out[0] = '\0';
    if (store_prepare(&st, provider_store(p), sql, &err) != 0)
        fail_msg("prepare %s: %s", sql, err.msg);
    if (store_step(st, &err) == 1 && !store_column_is_null(st, 0))
        snprintf(out, sizeof(out), "%s", store_column_text(st, 0, NULL));
    store_stmt_free(st);
    return out;
}

static long sqln(provider *p, const char *sql)
{
    const char *v = sql1(p, sql);
    int64_t n = 0;
    if (v[0] && util_parse_i64(v, strlen(v), INT64_MIN, INT64_MAX, &n) != 0)
        fail_msg("not a number: %s", v);
    return (long)n;
}

static void import_ok(provider *p, const char *path, const sum_options *o,
                      sum_stats *st)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (sum_import(p, path, o, st, &err) != 0)
        fail_msg("import %s: %s", path, err.msg);
}

#define UID_KB3019978 "0a51549b-4e86-4a26-97d4-9e3567f24ea1"
#define UID_KB4577066 "05a7711a-079e-4fbb-8d1a-9015c92a2ae0"
#define UID_KB2922229 "1c560bb8-276c-41ca-b597-35ae23bf424c"
#define UID_CATS "913aa7a4-75d8-4abc-9d66-8ddc163be471"

static void test_sum_catalog__vuls_cab(void **state)
{
    (void)state;
    provider *p = open_db();
    sum_stats st;
    import_ok(p, VULS_CAB, NULL, &st);
    assert_int_equal(st.added, 4);
    assert_int_equal(st.relations, 2);
    /* known updates: titles (l/en), KB and bulletin (x/), severity */
    assert_string_equal(
        sql1(p, "SELECT LocalizedDisplayName FROM SMS_SoftwareUpdate WHERE "
                "CI_UniqueID = '" UID_KB3019978 "'"),
        "Security Update for Windows Server 2012 R2 (KB3019978)");
    assert_string_equal(
        sql1(p, "SELECT ArticleID || '|' || BulletinID || '|' || Severity || "
                "'|' || SeverityName || '|' || RevisionNumber || '|' || "
                "CIType_ID || '|' || IsBundle FROM SMS_SoftwareUpdate WHERE "
                "CI_UniqueID = '" UID_KB3019978 "'"),
        "654321|MS00-000|8|Important|201|8|1");
    assert_string_equal(
        sql1(p, "SELECT LocalizedInformativeURL FROM SMS_SoftwareUpdate "
                "WHERE CI_UniqueID = '" UID_KB4577066 "'"),
        "https://support.microsoft.com/help/4577066");
    /* no metadata: BulletinID defaults to None, ArticleID empty */
    assert_string_equal(
        sql1(p, "SELECT BulletinID || '|' || ArticleID || '|' || Severity "
                "FROM SMS_SoftwareUpdate WHERE CI_UniqueID = '" UID_CATS "'"),
        "None||0");
    /* supersedence chain KB3019978 <- KB4577066 <- KB2922229 (FromCIID is
     * the newer, superseding update) */
    assert_int_equal(
        sqln(p, "SELECT COUNT(*) FROM SMS_CIRelation r JOIN "
                "SMS_SoftwareUpdate a ON a.CI_ID = r.FromCIID JOIN "
                "SMS_SoftwareUpdate b ON b.CI_ID = r.ToCIID WHERE "
                "r.RelationType = 6 AND ((a.CI_UniqueID = '" UID_KB4577066
                "' AND b.CI_UniqueID = '" UID_KB3019978 "') OR "
                "(a.CI_UniqueID = '" UID_KB2922229
                "' AND b.CI_UniqueID = '" UID_KB4577066 "'))"),
        2);
    assert_string_equal(
        sql1(p, "SELECT group_concat(IsSuperseded, '') FROM (SELECT "
                "IsSuperseded FROM SMS_SoftwareUpdate WHERE CI_UniqueID IN "
                "('" UID_KB3019978 "','" UID_KB4577066 "','" UID_KB2922229
                "') ORDER BY CI_UniqueID)"),
        "110"); /* 05a7.., 0a51.., 1c56.. */
    /* categories of 913aa7a4: four, in ConfigMgr's unique id form */
    assert_int_equal(
        sqln(p, "SELECT COUNT(*) FROM SMS_CIAllCategories WHERE CI_UniqueID "
                "= '" UID_CATS "'"),
        4);
    assert_int_equal(
        sqln(p, "SELECT COUNT(*) FROM "
                "\"SMS_SoftwareUpdate__CategoryInstance_UniqueIDs\" s JOIN "
                "SMS_SoftwareUpdate u ON u.CI_ID = s.oid WHERE u.CI_UniqueID "
                "= '" UID_CATS "' AND s.v IN ("
                "'UpdateClassification:0fa1201d-4330-4fa8-8ae9-b877473b6441',"
                "'Product:12c24e87-bd40-451b-9477-2c2bf501e0d7',"
                "'ProductFamily:48ce8c86-6850-4f68-8e9d-7dc8535ced60',"
                "'Company:56309036-4c77-4dd9-951a-99ee9c246a94')"),
        4);
    assert_string_equal(sql1(p,
                             "SELECT LocalizedCategoryInstanceName || '|' || "
                             "CategoryTypeName FROM SMS_CategoryInstance WHERE "
                             "CategoryInstance_UniqueID = "
                             "'Company:56309036-4c77-4dd9-951a-99ee9c246a94'"),
                        "Microsoft|Company");
    assert_string_equal(
        sql1(p, "SELECT LocalizedCategoryInstanceName FROM "
                "SMS_CategoryInstance WHERE CategoryInstance_UniqueID = "
                "'UpdateClassification:0fa1201d-4330-4fa8-8ae9-b877473b6441'"),
        "Security Updates");
    /* the rows read back through the provider (lazy properties too) */
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_instance *inst = NULL;
    char path[128];
    snprintf(path, sizeof(path), "SMS_SoftwareUpdate.CI_ID=%s",
             sql1(p, "SELECT CI_ID FROM SMS_SoftwareUpdate WHERE CI_UniqueID "
                     "= '" UID_KB4577066 "'"));
    if (provider_get(&inst, p, path, strlen(path), &err) != 0)
        fail_msg("get: %s", err.msg);
    const cim_value *x = cim_instance_get_by_name(inst, "SDMPackageXML");
    assert_non_null(x);
    assert_non_null(strstr(x->v.s, "LogicalName=\"SUM_" UID_KB4577066 "\""));
    assert_non_null(strstr(x->v.s, "<SoftwareUpdateBundle"));
    const cim_value *li =
        cim_instance_get_by_name(inst, "LocalizedInformation");
    assert_non_null(li);
    assert_int_equal(li->count, 1);
    cim_instance_free(inst);
    provider_close(p);
}

static void test_sum_catalog__extracted_dir_same_as_cab(void **state)
{
    (void)state;
    provider *p = open_db();
    sum_stats st;
    import_ok(p, VULS_DIR, NULL, &st);
    assert_int_equal(st.added, 4);
    assert_string_equal(
        sql1(p, "SELECT LocalizedDisplayName FROM SMS_SoftwareUpdate WHERE "
                "CI_UniqueID = '" UID_KB2922229 "'"),
        "Security Update for Windows 8 for x64-based Systems (KB2922229)");
    provider_close(p);
}

static void test_sum_catalog__update_documents(void **state)
{
    (void)state;
    provider *p = open_db();
    sum_stats st;
    import_ok(p, WSUS_DOCS, NULL, &st);
    assert_int_equal(st.added, 1);
    assert_int_equal(st.categories, 2); /* OOBE ZDP + its parent Windows */
    assert_string_equal(
        sql1(p, "SELECT LocalizedDisplayName || '|' || Size || '|' || "
                "DatePosted FROM SMS_SoftwareUpdate WHERE CI_UniqueID = "
                "'ff36f0b5-dded-4780-8664-cd78af8b62c1'"),
        "AM Engine 1.1.26080.3 for Defender amd64fre Broad|6662560|"
        "1788337176080000");
    /* content file with SHA1 in FileHash and SHA256 kept alongside */
    assert_string_equal(
        sql1(p, "SELECT f.FileName || '|' || f.FileSize || '|' || f.FileHash "
                "FROM SMS_CIContentFiles f JOIN SMS_CIToContent c ON "
                "c.ContentID = f.ContentID JOIN SMS_SoftwareUpdate u ON "
                "u.CI_ID = c.CI_ID WHERE u.CI_UniqueID = "
                "'ff36f0b5-dded-4780-8664-cd78af8b62c1'"),
        "AM_Engine.exe|6662560|SHA1:bd789d42a2e027008ee3e7c4fbee6720dd6dc4c9");
    assert_string_equal(
        sql1(p, "SELECT sha256 FROM sum_content_digest WHERE file_name = "
                "'AM_Engine.exe'"),
        "157d1f273dfdd4105014a80a9c579eed27ade058a433a79bbda207929b9763e7");
    assert_string_equal(
        sql1(p, "SELECT ContentHash FROM SMS_CIToContent"),
        "SHA256:"
        "157d1f273dfdd4105014a80a9c579eed27ade058a433a79bbda207929b9763e7");
    /* the Category document became a Product with its parent family */
    assert_string_equal(
        sql1(p, "SELECT c.LocalizedCategoryInstanceName || '|' || "
                "p.CategoryInstance_UniqueID FROM SMS_CategoryInstance c "
                "JOIN SMS_CategoryInstance p ON p.CategoryInstanceID = "
                "c.ParentCategoryInstanceID WHERE c.CategoryInstance_UniqueID "
                "= 'Product:dd78b8a1-0b20-45c1-add6-4da72e9364cf'"),
        "OOBE ZDP|ProductFamily:6964aab4-c5b5-43bd-a17d-ffb4346a8e1d");
    provider_close(p);
}

/* Generates a catalog into scratch/name. */
static void gen(const char *name, uint64_t n, uint32_t bump, uint32_t drop,
                bool german, bool cab, char *out, size_t outsz)
{
    sum_gen_options o = {0};
    smsprov_error err = SMSPROV_ERROR_INIT;
    o.n = n;
    o.seed = 7;
    o.per_cab = 100;
    o.revision_bump = bump;
    o.drop_every = drop;
    o.german = german;
    o.cab = cab;
    snprintf(out, outsz, "%s/%s", scratch, name);
    if (sum_gen_catalog(out, &o, &err) != 0)
        fail_msg("gen: %s", err.msg);
    if (cab)
        strncat(out, "/wsusscn2.cab", outsz - strlen(out) - 1);
}

static void test_sum_catalog__incremental(void **state)
{
    (void)state;
    char a[256], b[256];
    gen("a", 300, 0, 0, false, true, a, sizeof(a));
    gen("b", 300, 5, 7, false, true, b, sizeof(b));
    provider *p = open_db();
    sum_stats st;
    import_ok(p, a, NULL, &st);
    long n0 = sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate");
    assert_true(n0 > 280);
    long max0 = sqln(p, "SELECT MAX(CI_ID) FROM SMS_SoftwareUpdate");
    /* user settings on update #10 (revised in b) and #6 (dropped in b) */
    char q[512];
    const char *u10 = sql1(p, "SELECT uid FROM sum_ci_map ORDER BY ci_id "
                              "LIMIT 1 OFFSET 10");
    char uid10[64];
    snprintf(uid10, sizeof(uid10), "%s", u10);
    long ci10 = sqln(p, "SELECT ci_id FROM sum_ci_map ORDER BY ci_id LIMIT 1 "
                        "OFFSET 10");
    smsprov_error err = SMSPROV_ERROR_INIT;
    snprintf(q, sizeof(q),
             "{\"CI_ID\":%ld,\"CustomSeverity\":5,\"IsHidden\":true}", ci10);
    json_t *j = json_loads(q, 0, NULL);
    const cim_class *cls =
        cim_schema_class(provider_schema(p), "SMS_SoftwareUpdate", 18);
    if (provider_put_json(NULL, NULL, p, cls, j, PROVIDER_CLIENT, &err) != 0)
        fail_msg("put: %s", err.msg);
    json_decref(j);
    snprintf(q, sizeof(q),
             "UPDATE SMS_SoftwareUpdate SET EULAAccepted = 1 WHERE CI_ID = "
             "%ld",
             ci10);
    assert_int_equal(store_exec(provider_store(p), q, &err), 0);
    /* re-import the same catalog: nothing changes */
    import_ok(p, a, NULL, &st);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.revised, 0);
    assert_int_equal(st.unchanged, (uint64_t)n0);
    /* a newer catalog: revisions, missing updates expire */
    import_ok(p, b, NULL, &st);
    assert_true(st.revised > 40);
    assert_true(st.expired >= 40);
    assert_int_equal(st.added, 0);
    snprintf(q, sizeof(q),
             "SELECT CI_ID || '|' || RevisionNumber || '|' || CustomSeverity "
             "|| '|' || IsHidden || '|' || EULAAccepted || '|' || CIVersion "
             "FROM SMS_SoftwareUpdate WHERE CI_UniqueID = '%s'",
             uid10);
    char want[128];
    snprintf(want, sizeof(want), "%ld|201|5|1|1|3", ci10);
    assert_string_equal(sql1(p, q), want);
    /* CI_IDs are stable and never reused */
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate"), n0);
    assert_int_equal(sqln(p, "SELECT MAX(CI_ID) FROM SMS_SoftwareUpdate"),
                     max0);
    assert_true(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                        "IsExpired = 1") >= 40);
    /* the dropped updates come back with a later catalog, same CI_ID */
    import_ok(p, a, NULL, &st);
    assert_true(st.revised > 40); /* back to revision 200 */
    assert_int_equal(sqln(p, "SELECT MAX(CI_ID) FROM SMS_SoftwareUpdate"),
                     max0);
    provider_close(p);
}

static void test_sum_catalog__expiry_rule(void **state)
{
    (void)state;
    char a[256];
    gen("e", 200, 0, 0, false, false, a, sizeof(a));
    provider *p = open_db();
    sum_options o = {0};
    sum_stats st;
    o.expire_months = SUM_EXPIRE_NEVER;
    import_ok(p, a, &o, &st);
    long sup = sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                       "IsSuperseded = 1");
    assert_true(sup >= 15);
    assert_int_equal(st.superseded, (uint64_t)sup);
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                             "IsExpired = 1"),
                     0);
    /* the stored default (3 months) keeps freshly superseded ones */
    import_ok(p, a, NULL, &st);
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                             "IsExpired = 1"),
                     0);
    o.expire_months = 0; /* immediately */
    import_ok(p, a, &o, &st);
    assert_int_equal(st.expired, (uint64_t)sup);
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                             "IsExpired = 1 AND IsSuperseded = 1 AND "
                             "IsDeployable = 0"),
                     sup);
    /* superseded for more than N months: age the dates by hand */
    store_exec(provider_store(p),
               "UPDATE sum_ci_map SET superseded_since = superseded_since - "
               "100 * 86400000000",
               NULL);
    o.expire_months = 6;
    import_ok(p, a, &o, &st);
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                             "IsExpired = 1"),
                     0);
    o.expire_months = 3;
    import_ok(p, a, &o, &st);
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                             "IsExpired = 1"),
                     sup);
    provider_close(p);
}

static void test_sum_catalog__locales(void **state)
{
    (void)state;
    char a[256];
    gen("l", 30, 0, 0, true, false, a, sizeof(a));
    provider *p = open_db();
    sum_options o = {0};
    sum_stats st;
    o.locales[0] = "de-DE";
    o.locales[1] = "en-US";
    o.nlocales = 2;
    o.expire_months = SUM_EXPIRE_STORED;
    import_ok(p, a, &o, &st);
    assert_string_equal(sql1(p, "SELECT LocalizedPropertyLocaleID || '|' || "
                                "substr(LocalizedDisplayName, 1, 5) || '|' || "
                                "json_array_length(LocalizedInformation) FROM "
                                "SMS_SoftwareUpdate ORDER BY CI_ID LIMIT 1"),
                        "1031|(DE) |2");
    /* update #7 carries a EULA: SMS_EULAContent + LocalizedEulas */
    assert_int_equal(sqln(p, "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE "
                             "EULAExists = 1 AND EULAAccepted = 2 AND "
                             "json_extract(LocalizedEulas, "
                             "'$[0].EULAContentUniqueID') = (SELECT "
                             "EULAContentUniqueID FROM SMS_EULAContent)"),
                     1);
    provider_close(p);
}

/* A fingerprint of what an import writes. */
static const char *fingerprint(provider *p)
{
    return sql1(p, "SELECT (SELECT COUNT(*) FROM SMS_SoftwareUpdate) || '/' "
                   "|| (SELECT COUNT(*) FROM SMS_CIRelation) || '/' || "
                   "(SELECT COUNT(*) FROM SMS_CategoryInstance) || '/' || "
                   "(SELECT COUNT(*) FROM SMS_CIContentFiles) || '/' || "
                   "(SELECT COUNT(*) FROM sum_ci_map) || '/' || (SELECT "
                   "group_concat(RevisionNumber || IsExpired) FROM "
                   "SMS_SoftwareUpdate)");
}

static void copy_prefix(const char *from, const char *to, long keep)
{
    FILE *f = fopen(from, "rb"), *g = fopen(to, "wb");
    assert_non_null(f);
    assert_non_null(g);
    char buf[4096];
    size_t n;
    long done = 0;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && done < keep) {
        if ((long)n > keep - done)
            n = (size_t)(keep - done);
        fwrite(buf, 1, n, g);
        done += (long)n;
    }
    fclose(f);
    fclose(g);
}

static void test_sum_catalog__corrupt_input_changes_nothing(void **state)
{
    (void)state;
    char a[256], bad[512], cmd[1024];
    gen("c", 300, 0, 0, false, false, a, sizeof(a));
    provider *p = open_db();
    sum_stats st;
    import_ok(p, VULS_CAB, NULL, &st);
    char before[4096];
    snprintf(before, sizeof(before), "%s", fingerprint(p));
    smsprov_error err = SMSPROV_ERROR_INIT;
    /* truncated cabinet */
    snprintf(bad, sizeof(bad), "%s/truncated.cab", scratch);
    copy_prefix(VULS_CAB, bad, 15000);
    assert_int_not_equal(sum_import(p, bad, NULL, &st, &err), 0);
    assert_non_null(strstr(err.msg, "truncated.cab"));
    assert_non_null(strstr(err.msg, "offset"));
    assert_string_equal(fingerprint(p), before);
    /* a cabinet cut inside its header */
    util_error_clear(&err);
    copy_prefix(VULS_CAB, bad, 30);
    assert_int_not_equal(sum_import(p, bad, NULL, &st, &err), 0);
    assert_string_equal(fingerprint(p), before);
    /* malformed package.xml (cut in the middle) in a generated catalog */
    util_error_clear(&err);
    snprintf(cmd, sizeof(cmd), "%s/package/package.xml", a);
    snprintf(bad, sizeof(bad), "%s/package/package.xml.orig", a);
    assert_int_equal(rename(cmd, bad), 0);
    copy_prefix(bad, cmd, 20000);
    assert_int_not_equal(sum_import(p, a, NULL, &st, &err), 0);
    assert_non_null(strstr(err.msg, "package.xml"));
    assert_non_null(strstr(err.msg, "offset"));
    assert_string_equal(fingerprint(p), before);
    assert_int_equal(rename(bad, cmd), 0);
    /* a malformed fragment deep into pass two */
    util_error_clear(&err);
    snprintf(cmd, sizeof(cmd), "%s/package3", a);
    snprintf(bad, sizeof(bad), "%s/package3/c/%d", a, 1000000 + (49 + 150) * 3);
    FILE *f = fopen(bad, "wb");
    assert_non_null(f);
    fputs("<UpdateIdentity UpdateID=\"x\" /><Properties <<", f);
    fclose(f);
    assert_int_not_equal(sum_import(p, a, NULL, &st, &err), 0);
    assert_non_null(strstr(err.msg, "c/1000597"));
    assert_non_null(strstr(err.msg, "offset"));
    assert_string_equal(fingerprint(p), before);
    provider_close(p);
}

static void test_sum_catalog__helpers(void **state)
{
    (void)state;
    assert_int_equal(sum_severity("Critical"), 10);
    assert_int_equal(sum_severity("Important"), 8);
    assert_int_equal(sum_severity("Moderate"), 6);
    assert_int_equal(sum_severity("Low"), 2);
    assert_int_equal(sum_severity(NULL), 0);
    assert_int_equal(sum_severity("Unspecified"), 0);
    assert_int_equal(sum_locale_lcid("en-US"), 1033);
    assert_int_equal(sum_locale_lcid("zh-cn"), 2052);
    assert_int_equal(sum_locale_lcid("xx"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sum_catalog__vuls_cab, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_sum_catalog__extracted_dir_same_as_cab, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sum_catalog__update_documents,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sum_catalog__incremental, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sum_catalog__expiry_rule, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sum_catalog__locales, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_sum_catalog__corrupt_input_changes_nothing, setup, teardown),
        cmocka_unit_test(test_sum_catalog__helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
