/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure torture of offline servicing: a scan and a servicing
 * run are repeated with the n-th allocation of smsprov failing, for every
 * n until they succeed.  Each failure must be an error (never a crash or a
 * leak), a failed scan must leave no status rows, and after a failed run
 * (and recovery, as the next run does) the status rows must describe the
 * WIM on disk: staged in the image exactly when its row says Installed.
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
#include <openssl/evp.h>

#include "helpers/winimage.h"
#include "image/image.h"
#include "image/image_int.h"
#include "provider/provider.h"
#include "util/util.h"

#define CONTENT_ID 7001
#define CI_APPLICABLE 5001
#define KB_APPLICABLE "5033375"
#define CAB "windows11.0-kb5033375-x64.cab"

typedef struct world {
    char dir[256], db[320], wim[320], orig[320], content[320];
    provider *p;
    char *pkgid;
} world;

static void put(provider *p, const char *cls, json_t *o)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    const cim_class *c = cim_schema_class(provider_schema(p), cls, strlen(cls));
    assert_non_null(c);
    assert_non_null(o);
    if (provider_put_json(NULL, NULL, p, c, o, PROVIDER_INTERNAL, &err) != 0)
        fail_msg("put %s: %s", cls, err.msg);
    json_decref(o);
}

static void update(provider *p, int ci, const char *kb, const char *title,
                   const char *cat)
{
    char uid[64], model[96];
    snprintf(uid, sizeof(uid), "00000000-0000-0000-0000-%012d", ci);
    snprintf(model, sizeof(model), "Site_T/SUM_%s", uid);
    put(p, "SMS_SoftwareUpdate",
        json_pack("{s:i,s:s,s:s,s:s,s:b,s:b,s:b,s:i,s:s,s:b,s:b,s:b,s:b,s:i,"
                  "s:i,s:i,s:i,s:s,s:[s]}",
                  "CI_ID", ci, "ArticleID", kb, "CI_UniqueID", uid,
                  "LocalizedDisplayName", title, "IsOfflineServiceable", 1,
                  "IsExpired", 0, "IsSuperseded", 0, "CIType_ID", 1,
                  "ModelName", model, "IsBundle", 0, "IsEnabled", 1, "IsHidden",
                  0, "IsUserDefined", 0, "ModelID", ci, "PermittedUses", 0,
                  "SDMPackageVersion", 1, "RevisionNumber", 1,
                  "ApplicabilityCondition", "",
                  "LocalizedCategoryInstanceNames", cat));
}

static void sha1_hex(const char *data, size_t len, char out[41])
{
    unsigned char md[20];
    unsigned n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha1(), NULL);
    for (unsigned i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void catalog(world *w)
{
    update(w->p, CI_APPLICABLE, KB_APPLICABLE,
           "2023-12 Cumulative Update for Windows 11 Version 23H2 for "
           "x64-based Systems (KB5033375)",
           "Windows 11");
    update(w->p, 5002, "5002301",
           "Security Update for Microsoft Office 2016 (KB5002301)",
           "Office 2016");
    char sub[400], path[512], sha1[41], hash[48];
    static const char bytes[] = "MSCF a stand-in for a CBS package";
    snprintf(sub, sizeof(sub), "%s/%d", w->content, CONTENT_ID);
    assert_int_equal(mkdir(w->content, 0755), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    snprintf(path, sizeof(path), "%s/%s", sub, CAB);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(bytes, 1, sizeof(bytes) - 1, f);
    fclose(f);
    sha1_hex(bytes, sizeof(bytes) - 1, sha1);
    snprintf(hash, sizeof(hash), "SHA1:%s", sha1);
    put(w->p, "SMS_CIToContent",
        json_pack("{s:i,s:i,s:s,s:s,s:b,s:[s],s:s,s:i,s:i}", "CI_ID",
                  CI_APPLICABLE, "ContentID", CONTENT_ID, "SDMMethodType",
                  "Install", "CI_UniqueID", "x", "ContentDownloaded", 1,
                  "ContentLocales", "Locale:0", "ContentUniqueID", "c",
                  "ContentVersion", 0, "ObjectTypeID", 5));
    put(w->p, "SMS_CIContentFiles",
        json_pack("{s:i,s:s,s:s,s:I,s:s,s:s,s:b,s:i,s:s}", "ContentID",
                  CONTENT_ID, "FileName", CAB, "FileHash", hash, "FileSize",
                  (json_int_t)(sizeof(bytes) - 1), "FileVersion", "",
                  "ImportPath", "", "IsSigned", 1, "ObjectTypeID", 5,
                  "SourceURL", ""));
}

static int setup(void **state)
{
    static const char *const kbs[] = {"KB5032190", NULL};
    winimage_index ix[2] = {
        {.name = "Windows 11 Enterprise",
         .edition = "Enterprise",
         .product_name = "Windows 11 Enterprise",
         .install_type = "Client",
         .display_version = "23H2",
         .major = 10,
         .build = 22631,
         .ubr = 2861,
         .arch = "amd64",
         .kbs = kbs},
        {.name = "Windows 11 Pro",
         .edition = "Professional",
         .product_name = "Windows 11 Pro",
         .install_type = "Client",
         .display_version = "23H2",
         .major = 10,
         .build = 22631,
         .ubr = 2861,
         .arch = "amd64",
         .kbs = kbs},
    };
    char errbuf[256];
    smsprov_error err = SMSPROV_ERROR_INIT;
    world *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return -1;
    snprintf(w->dir, sizeof(w->dir), "/tmp/smsprov-image-torture-%d", getpid());
    if (mkdir(w->dir, 0700) != 0)
        return -1;
    snprintf(w->db, sizeof(w->db), "%s/site.db", w->dir);
    snprintf(w->wim, sizeof(w->wim), "%s/install.wim", w->dir);
    snprintf(w->orig, sizeof(w->orig), "%s/orig.wim", w->dir);
    snprintf(w->content, sizeof(w->content), "%s/content", w->dir);
    if (winimage_build(w->orig, ix, 2, errbuf, sizeof(errbuf)) != 0) {
        fprintf(stderr, "winimage_build: %s\n", errbuf);
        return -1;
    }
    if (link(w->orig, w->wim) != 0 || provider_open(&w->p, w->db, &err) != 0)
        return -1;
    catalog(w);
    if (image_package_add(w->p, w->wim, NULL, &w->pkgid, &err) != 0) {
        fprintf(stderr, "image_package_add: %s\n", err.msg);
        return -1;
    }
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[600];
    provider_close(w->p);
    util_free(w->pkgid);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
    if (system(cmd) != 0)
        return -1;
    free(w);
    return 0;
}

static int on_count(const wql_plan *plan, cim_instance **parts, int64_t count,
                    void *payload)
{
    (void)plan, (void)parts;
    *(int64_t *)payload = count;
    return 0;
}

static int64_t count(const world *w, const char *fmt)
{
    char q[256];
    int64_t n = -1;
    smsprov_error err = SMSPROV_ERROR_INIT;
    snprintf(q, sizeof(q), fmt, w->pkgid);
    if (provider_query(w->p, q, strlen(q), on_count, &n, &err) != 0)
        fail_msg("%s: %s", q, err.msg);
    return n;
}

/* Is the update staged in index 1 of the WIM on disk? */
static bool staged_in_wim(const world *w)
{
    util_arena *a = util_arena_new();
    image_wim wim;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_non_null(a);
    if (image_wim_read(&wim, a, w->wim, NULL, &err) != 0)
        fail_msg("the WIM is unreadable after a failed run: %s", err.msg);
    bool yes = wim.count > 0 && wim.idx[0].staged != NULL &&
               strstr(wim.idx[0].staged, "KB" KB_APPLICABLE) != NULL;
    util_arena_free(a);
    return yes;
}

static void test_image_torture__scan(void **state)
{
    world *w = *state;
    long n;
    for (n = 1; n < 1000000; n++) {
        smsprov_error err = SMSPROV_ERROR_INIT;
        image_scan_stats st;
        util_alloc_fail_at(n);
        int rc = image_scan(w->p, w->pkgid, &st, &err);
        util_alloc_fail_at(0);
        if (rc == 0)
            break;
        if (err.code == 0)
            fail_msg("scan failing at allocation %ld: rc %d, no error", n, rc);
        assert_int_equal(count(w, "SELECT COUNT(*) FROM SMS_ImageUpdateStatus "
                                  "WHERE ImagePackageID = '%s'"),
                         0);
    }
    assert_true(n > 1);
    assert_int_equal(count(w, "SELECT COUNT(*) FROM SMS_ImageUpdateStatus "
                              "WHERE ImagePackageID = '%s'"),
                     4);
}

static void test_image_torture__run(void **state)
{
    world *w = *state;
    smsprov_error err = SMSPROV_ERROR_INIT;
    put(w->p, "SMS_ImageServicingSchedule",
        json_pack("{s:i,s:s,s:i,s:i,s:b}", "ScheduleID", 1, "Name", "T",
                  "Action", 1, "State", 1, "ContinueOnError", 0));
    put(w->p, "SMS_ImageServicingScheduledImage",
        json_pack("{s:i,s:s}", "ScheduleID", 1, "ImagePackageID", w->pkgid));
    put(w->p, "SMS_ImageServicingScheduledUpdate",
        json_pack("{s:i,s:i}", "ScheduleID", 1, "UpdateID", CI_APPLICABLE));
    image_run_opts o = {w->content, NULL, NULL};
    long n;
    for (n = 1; n < 1000000; n++) {
        image_run_stats st;
        /* every attempt starts from the original image and a fresh scan */
        unlink(w->wim);
        assert_int_equal(link(w->orig, w->wim), 0);
        assert_int_equal(image_scan(w->p, w->pkgid, NULL, &err), 0);
        util_alloc_fail_at(n);
        int rc = image_run_schedule(w->p, 1, &o, &st, &err);
        util_alloc_fail_at(0);
        if (rc == 0 && st.win32 == 0)
            break;
        if (rc != 0 && err.code == 0)
            fail_msg("run failing at allocation %ld: rc %d, no error", n, rc);
        util_error_clear(&err);
        /* what the next run does first: close a dead run, rescan */
        uint32_t recovered = 0;
        assert_int_equal(image_recover(w->p, &recovered, &err), 0);
        char q[256];
        snprintf(q, sizeof(q),
                 "SELECT COUNT(*) FROM SMS_ImageUpdateStatus WHERE "
                 "ImagePackageID = '%%s' AND ImageIndex = 1 AND UpdateID = "
                 "%d AND UpdateStatus = 2",
                 CI_APPLICABLE);
        int64_t installed = count(w, q);
        if (staged_in_wim(w) != (installed == 1))
            fail_msg("failing at allocation %ld: the WIM %s the update, its "
                     "row says %s",
                     n, staged_in_wim(w) ? "has" : "lacks",
                     installed ? "Installed" : "not installed");
        assert_int_equal(count(w, "SELECT COUNT(*) FROM "
                                  "SMS_ImageServicingProgress WHERE "
                                  "ImagePackageID = '%s' AND Status = 1"),
                         0);
        /* run it again next time */
        put(w->p, "SMS_ImageServicingSchedule",
            json_pack("{s:i,s:i,s:i}", "ScheduleID", 1, "Action", 1, "State",
                      1));
    }
    assert_true(n > 1);
    assert_true(staged_in_wim(w));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_image_torture__scan, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_torture__run, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
