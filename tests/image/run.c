/* SPDX-License-Identifier: MIT */
/*
 * Offline servicing end to end through the C API (src/image), on a
 * temporary directory and database: a real two-index WIM built by
 * tests/helpers/winimage (index 1 Windows 11 23H2 22631.2861 amd64 with
 * KB5032190, index 2 Windows Server 2022 20348.2113 amd64 with KB5032198),
 * a small catalog with content in a content library, then package
 * registration, scans (every UpdateStatus 0..5 in the matrix), servicing
 * runs that stage updates, the failures a run records (missing content,
 * hash mismatch, read-only and corrupt WIMs, ContinueOnError), recovery of
 * a killed run and due schedules.  Every failure leaves the WIM's bytes as
 * they were.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
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
#include <wimlib.h>

#include "helpers/winimage.h"
#include "image/image.h"
#include "image/image_int.h"
#include "image/image_swap.h"
#include "provider/provider.h"
#include "provider/schedule.h"
#include "util/util.h"

#define HR_SOURCE_MISSING ((int32_t)0x800F081FU)
#define HR_HASH_MISMATCH ((int32_t)0x80091007U)

static char scratch[256]; /* private dir, also $TMPDIR */
static char master[300];  /* the WIM every test copies */
static int ntests;

static const char *const kbs_client[] = {"KB5032190", NULL};
static const char *const kbs_server[] = {"KB5032198", NULL};

static const winimage_index fixture[] = {
    {.name = "Windows 11 Enterprise",
     .edition = "Enterprise",
     .product_name = "Windows 11 Enterprise",
     .install_type = "Client",
     .display_version = "23H2",
     .major = 10,
     .build = 22631,
     .ubr = 2861,
     .arch = "amd64",
     .kbs = kbs_client},
    {.name = "Windows Server 2022 Datacenter",
     .edition = "ServerDatacenter",
     .product_name = "Windows Server 2022 Datacenter",
     .install_type = "Server",
     .display_version = "21H2",
     .major = 10,
     .build = 20348,
     .ubr = 2113,
     .arch = "amd64",
     .kbs = kbs_server},
};

/* ---- the catalog ----------------------------------------------------------
 */

enum { NO_FILE = 1, NO_CONTENT = 2 };

typedef struct upd_def {
    int ci;
    const char *article; /* ArticleID (number only) */
    const char *title;
    const char *cats[3]; /* LocalizedCategoryInstanceNames */
    bool offline;        /* IsOfflineServiceable */
    bool expired;
    int content; /* ContentID; 0 none */
    int flags;   /* NO_FILE: listed, not in the library */
    int want[2]; /* UpdateStatus in index 1 and 2 */
} upd_def;

#define W11 "Windows 11"
#define S21 "Microsoft Server operating system-21H2"

static const upd_def catalog[] = {
    {1001,
     "5032190",
     "2023-11 Cumulative Update for Windows 11 Version 23H2 for x64-based "
     "Systems (KB5032190)",
     {"Microsoft", W11, "Security Updates"},
     true,
     false,
     0,
     0,
     {2, 1}},
    {1002,
     "5033375",
     "2023-12 Cumulative Update for Windows 11 Version 23H2 for x64-based "
     "Systems (KB5033375)",
     {"Microsoft", W11, "Security Updates"},
     true,
     false,
     2002,
     0,
     {3, 1}},
    {1003,
     "5002500",
     "Security Update for Microsoft Office 2016 (KB5002500) 64-Bit Edition",
     {"Microsoft", "Office 2016", "Security Updates"},
     true,
     false,
     0,
     0,
     {1, 1}},
    {1004,
     "5000004",
     "An update without categories (KB5000004)",
     {NULL},
     true,
     false,
     0,
     0,
     {0, 0}},
    {1005,
     "890830",
     "Windows Malicious Software Removal Tool x64 - v5.119 (KB890830)",
     {W11, "Windows Server 2022", "Update Rollups"},
     false,
     false,
     0,
     0,
     {4, 4}},
    {1006,
     "5032198",
     "2023-11 Servicing Stack Update for Microsoft server operating system "
     "version 21H2 for x64-based Systems (KB5032198)",
     {S21, "Critical Updates"},
     false,
     false,
     0,
     0,
     {1, 5}},
    {1007,
     "5031455",
     "2023-10 Cumulative Update Preview for Windows 11 Version 23H2 for "
     "x64-based Systems (KB5031455)",
     {W11},
     true,
     false,
     0,
     0,
     {1, 1}}, /* superseded by 1001 */
    {1008,
     "5030219",
     "2023-09 Cumulative Update for Windows 11 for x64-based Systems "
     "(KB5030219)",
     {W11},
     true,
     true,
     0,
     0,
     {-1, -1}}, /* expired: no rows */
    {1009,
     "5033118",
     "2023-12 Cumulative Update for Microsoft server operating system "
     "version 21H2 for x64-based Systems (KB5033118)",
     {S21, "Security Updates"},
     true,
     false,
     2009,
     0,
     {1, 3}},
    {1010,
     "5033375",
     "2023-12 Cumulative Update for Windows 11 Version 23H2 for ARM64-based "
     "Systems (KB5033375)",
     {W11},
     true,
     false,
     0,
     0,
     {1, 1}},
    {1011,
     "5033920",
     "2023-12 Security Update for Windows 11 Version 23H2 for x64-based "
     "Systems (KB5033920)",
     {W11},
     true,
     false,
     2011,
     NO_FILE,
     {3, 1}},
    {1012,
     "5033372",
     "2023-12 Cumulative Update for Windows 11 Version 22H2 for x64-based "
     "Systems (KB5033372)",
     {W11},
     true,
     false,
     0,
     0,
     {1, 1}},
};
#define NCATALOG (sizeof(catalog) / sizeof(catalog[0]))
#define NLIVE (NCATALOG - 1) /* non-expired */

static const upd_def *def_of(int ci)
{
    for (size_t i = 0; i < NCATALOG; i++)
        if (catalog[i].ci == ci)
            return &catalog[i];
    fail_msg("no update %d", ci);
    return NULL;
}

/* ---- one test's world ---------------------------------------------------- */

typedef struct world {
    char dir[300];     /* everything of the test */
    char db[340];      /* its database */
    char wim[340];     /* the package's WIM */
    char content[340]; /* the content library */
    provider *p;
    char *pkgid;
    char *orig; /* the WIM's bytes as registered */
    size_t orig_len;
} world;

static void path_in(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("%s: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = util_malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void spill(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        fail_msg("%s: %s", path, strerror(errno));
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static bool exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* True when the file at path holds exactly len bytes of data. */
static bool file_is(const char *path, const char *data, size_t len)
{
    size_t n;
    char *buf = slurp(path, &n);
    bool same = n == len && memcmp(buf, data, len) == 0;
    util_free(buf);
    return same;
}

static void copy_file(const char *from, const char *to)
{
    size_t n;
    char *buf = slurp(from, &n);
    spill(to, buf, n);
    util_free(buf);
}

/* The WIM as registered, with no backup and no working copy beside it. */
static void assert_wim_untouched(const char *wim, const char *bytes, size_t len)
{
    char side[400];
    assert_true(file_is(wim, bytes, len));
    snprintf(side, sizeof(side), "%s.bak", wim);
    assert_false(exists(side));
    snprintf(side, sizeof(side), "%s.smsprov-new", wim);
    assert_false(exists(side));
}

/* Entries of the scratch directory ($TMPDIR) named smsprov-*: temporary
 * directories the reader or the stager left behind. */
static int temp_dirs_left(void)
{
    DIR *d = opendir(scratch);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, "smsprov-", 8) == 0;
    closedir(d);
    return n;
}

static void put(provider *p, const char *cls, json_t *o)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_non_null(o);
    const cim_class *c = cim_schema_class(provider_schema(p), cls, strlen(cls));
    assert_non_null(c);
    int rc = provider_put_json(NULL, NULL, p, c, o, PROVIDER_INTERNAL, &err);
    json_decref(o);
    if (rc != 0)
        fail_msg("put %s: %s", cls, err.msg);
}

static void sha1_hex(const char *data, size_t len, char out[41])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    assert_int_equal(EVP_Digest(data, len, md, &n, EVP_sha1(), NULL), 1);
    assert_int_equal(n, 20);
    for (unsigned i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The bytes of a content file (a stand-in for the .cab). */
static char *cab_bytes(const upd_def *u, size_t *len, char fill)
{
    size_t n = 3000 + (size_t)(u->ci % 7) * 100;
    char *b = util_malloc(n);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (char)(fill + (char)(i % 61));
    snprintf(b, 64, "MSCF cab for KB%s", u->article);
    *len = n;
    return b;
}

static void cab_name(const upd_def *u, char *out, size_t n)
{
    snprintf(out, n, "windows%s-kb%s-x64_0123456789abcdef.cab",
             u->want[1] == 3 ? "10.0" : "11.0", u->article);
}

/* Writes the content file of u into library dir (fill varies the bytes,
 * same size). */
static void write_cab(const char *dir, const upd_def *u, char fill,
                      size_t extra)
{
    char sub[400], path[600], name[128];
    size_t len;
    snprintf(sub, sizeof(sub), "%s/%d", dir, u->content);
    mkdir(dir, 0755);
    assert_true(mkdir(sub, 0755) == 0 || errno == EEXIST);
    cab_name(u, name, sizeof(name));
    snprintf(path, sizeof(path), "%s/%s", sub, name);
    char *b = cab_bytes(u, &len, fill);
    spill(path, b, len);
    if (extra > 0) {
        FILE *f = fopen(path, "ab");
        assert_non_null(f);
        for (size_t i = 0; i < extra; i++)
            fputc('x', f);
        fclose(f);
    }
    util_free(b);
}

static void write_catalog(world *w)
{
    for (size_t i = 0; i < NCATALOG; i++) {
        const upd_def *u = &catalog[i];
        char uid[64], model[96];
        snprintf(uid, sizeof(uid), "00000000-0000-0000-0000-%012d", u->ci);
        snprintf(model, sizeof(model), "Site_TEST/SUM_%s", uid);
        json_t *cats = json_array();
        for (int k = 0; k < 3 && u->cats[k] != NULL; k++)
            json_array_append_new(cats, json_string(u->cats[k]));
        json_t *o = json_pack(
            "{s:i,s:s,s:s,s:s,s:b,s:b,s:b,s:i,s:s,s:b,s:b,s:b,s:b,s:i,s:i,"
            "s:i,s:i,s:s}",
            "CI_ID", u->ci, "ArticleID", u->article, "CI_UniqueID", uid,
            "LocalizedDisplayName", u->title, "IsOfflineServiceable",
            u->offline, "IsExpired", u->expired, "IsSuperseded", u->ci == 1007,
            "CIType_ID", 1, "ModelName", model, "IsBundle", 0, "IsEnabled", 1,
            "IsHidden", 0, "IsUserDefined", 0, "ModelID", u->ci,
            "PermittedUses", 0, "SDMPackageVersion", 1, "RevisionNumber", 1,
            "ApplicabilityCondition", "");
        assert_non_null(o);
        json_object_set_new(o, "LocalizedCategoryInstanceNames", cats);
        put(w->p, "SMS_SoftwareUpdate", o);
        if (u->content == 0)
            continue;
        char cuid[64], name[128], sha1[41], hash[48];
        size_t len;
        snprintf(cuid, sizeof(cuid), "c0000000-0000-0000-0000-%012d",
                 u->content);
        put(w->p, "SMS_CIToContent",
            json_pack("{s:i,s:i,s:s,s:s,s:b,s:[s],s:s,s:i,s:i}", "CI_ID", u->ci,
                      "ContentID", u->content, "SDMMethodType", "Install",
                      "CI_UniqueID", uid, "ContentDownloaded", 1,
                      "ContentLocales", "Locale:0", "ContentUniqueID", cuid,
                      "ContentVersion", 0, "ObjectTypeID", 5));
        char *b = cab_bytes(u, &len, 'a');
        sha1_hex(b, len, sha1);
        util_free(b);
        snprintf(hash, sizeof(hash), "SHA1:%s", sha1);
        cab_name(u, name, sizeof(name));
        put(w->p, "SMS_CIContentFiles",
            json_pack("{s:i,s:s,s:s,s:I,s:s,s:s,s:b,s:i,s:s}", "ContentID",
                      u->content, "FileName", name, "FileHash", hash,
                      "FileSize", (json_int_t)len, "FileVersion", "",
                      "ImportPath", "", "IsSigned", 1, "ObjectTypeID", 5,
                      "SourceURL", ""));
        if (!(u->flags & NO_FILE))
            write_cab(w->content, u, 'a', 0);
    }
    /* 1001 supersedes 1007 */
    put(w->p, "SMS_CIRelation",
        json_pack("{s:i,s:i,s:i,s:b}", "FromCIID", 1001, "ToCIID", 1007,
                  "RelationType", 6, "IsBroken", 0));
}

static char *add_package(world *w, const char *wim)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    char *id = NULL;
    if (image_package_add(w->p, wim, NULL, &id, &err) != 0)
        fail_msg("image_package_add %s: %s", wim, err.msg);
    assert_non_null(id);
    return id;
}

static int setup(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    world *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return -1;
    snprintf(w->dir, sizeof(w->dir), "%s/t%02d", scratch, ++ntests);
    if (mkdir(w->dir, 0700) != 0)
        return -1;
    path_in(w->db, sizeof(w->db), w->dir, "site.db");
    path_in(w->wim, sizeof(w->wim), w->dir, "install.wim");
    path_in(w->content, sizeof(w->content), w->dir, "content");
    if (provider_open(&w->p, w->db, &err) != 0) {
        fprintf(stderr, "open: %s\n", err.msg);
        return -1;
    }
    *state = w;
    write_catalog(w);
    copy_file(master, w->wim);
    w->pkgid = add_package(w, w->wim);
    w->orig = slurp(w->wim, &w->orig_len);
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    char cmd[700];
    if (w == NULL)
        return 0;
    provider_close(w->p);
    util_free(w->pkgid);
    util_free(w->orig);
    snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' && rm -rf '%s'", w->dir,
             w->dir);
    int rc = system(cmd);
    free(w);
    return rc == 0 ? 0 : -1;
}

static int group_setup(void **state)
{
    char err[512];
    (void)state;
    snprintf(scratch, sizeof(scratch), "/tmp/smsprov-imgrun-%d", (int)getpid());
    if (mkdir(scratch, 0700) != 0)
        return -1;
    setenv("TMPDIR", scratch, 1);
    path_in(master, sizeof(master), scratch, "master.wim");
    if (winimage_build(master, fixture, 2, err, sizeof(err)) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    char cmd[400];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- reading rows back --------------------------------------------------- */

typedef struct qres {
    const char *prop;
    int rows;
    bool is_null;
    int64_t i;
    char s[256];
} qres;

static int on_q(const wql_plan *plan, cim_instance **parts, int64_t count,
                void *payload)
{
    qres *r = payload;
    if (plan->is_count) {
        r->rows = 1;
        r->i = count;
        return 0;
    }
    if (r->rows++ > 0)
        return 0;
    const cim_value *v = cim_instance_get_by_name(parts[0], r->prop);
    r->is_null = v == NULL || v->is_null;
    if (r->is_null)
        return 0;
    if (v->type == CIM_STRING)
        snprintf(r->s, sizeof(r->s), "%s", v->v.s);
    else if (v->type == CIM_BOOLEAN)
        r->i = v->v.b;
    else
        r->i = v->v.i;
    return 0;
}

/* Property prop of the first row of a query (rows counts them; for
 * COUNT(*), i is the count). */
static qres q(provider *p, const char *prop, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static qres q(provider *p, const char *prop, const char *fmt, ...)
{
    char wql[1024];
    va_list ap;
    qres r;
    memset(&r, 0, sizeof(r));
    r.prop = prop;
    va_start(ap, fmt);
    vsnprintf(wql, sizeof(wql), fmt, ap);
    va_end(ap);
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (provider_query(p, wql, strlen(wql), on_q, &r, &err) != 0)
        fail_msg("%s: %s", wql, err.msg);
    return r;
}

static int64_t count(provider *p, const char *fmt, const char *pkgid)
{
    char wql[512];
    snprintf(wql, sizeof(wql), fmt, pkgid);
    return q(p, "", "%s", wql).i;
}

/* One property of the status row of (index, update). */
static qres status_prop(const world *w, const char *pkgid, int index, int ci,
                        const char *prop)
{
    qres r = q(w->p, prop,
               "SELECT * FROM SMS_ImageUpdateStatus WHERE ImagePackageID = "
               "'%s' AND ImageIndex = %d AND UpdateID = %d",
               pkgid, index, ci);
    if (r.rows != 1)
        fail_msg("%s index %d update %d: %d status rows", pkgid, index, ci,
                 r.rows);
    return r;
}

static int64_t status_of(const world *w, int index, int ci)
{
    return status_prop(w, w->pkgid, index, ci, "UpdateStatus").i;
}

static int64_t code_of(const world *w, int index, int ci)
{
    return status_prop(w, w->pkgid, index, ci, "UpdateInstallationStatus").i;
}

static qres progress(const world *w, const char *pkgid, int sched,
                     const char *prop)
{
    qres r = q(w->p, prop,
               "SELECT * FROM SMS_ImageServicingProgress WHERE "
               "ImagePackageID = '%s' AND ScheduleID = %d",
               pkgid, sched);
    assert_int_equal(r.rows, 1);
    return r;
}

static qres history(const world *w, const char *pkgid, int sched,
                    const char *prop)
{
    qres r = q(w->p, prop,
               "SELECT * FROM SMS_ImageUpdateHistory WHERE ImagePackageID = "
               "'%s' AND ScheduleID = %d",
               pkgid, sched);
    assert_int_equal(r.rows, 1);
    return r;
}

static qres schedule(const world *w, int sched, const char *prop)
{
    qres r = q(w->p, prop,
               "SELECT * FROM SMS_ImageServicingSchedule WHERE ScheduleID = "
               "%d",
               sched);
    assert_int_equal(r.rows, 1);
    return r;
}

/* A property of the package, lazy ones included. */
static void package_prop(const world *w, const char *pkgid, const char *prop,
                         qres *out)
{
    char path[128];
    cim_instance *inst = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    memset(out, 0, sizeof(*out));
    snprintf(path, sizeof(path), "SMS_ImagePackage.PackageID=\"%s\"", pkgid);
    if (provider_get(&inst, w->p, path, strlen(path), &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    const cim_value *v = cim_instance_get_by_name(inst, prop);
    out->rows = 1;
    out->is_null = v == NULL || v->is_null;
    if (!out->is_null && v->type == CIM_STRING)
        snprintf(out->s, sizeof(out->s), "%s", v->v.s);
    else if (!out->is_null)
        out->i = v->v.i;
    cim_instance_free(inst);
}

/* The whole ImageProperty (may exceed qres.s). */
static char *package_xml(const world *w, const char *pkgid)
{
    char path[128];
    cim_instance *inst = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    snprintf(path, sizeof(path), "SMS_ImagePackage.PackageID=\"%s\"", pkgid);
    if (provider_get(&inst, w->p, path, strlen(path), &err) != 0)
        fail_msg("%s: %s", path, err.msg);
    const cim_value *v = cim_instance_get_by_name(inst, "ImageProperty");
    assert_non_null(v);
    assert_false(v->is_null);
    char *xml = util_strdup(v->v.s);
    assert_non_null(xml);
    cim_instance_free(inst);
    return xml;
}

/* ---- schedules ----------------------------------------------------------- */

/* A schedule of pkgid with the n updates of upd. */
static void add_schedule(world *w, const char *pkgid, int id, bool cont,
                         int action, int state, const char *token,
                         const int *upd, int n)
{
    char name[32];
    snprintf(name, sizeof(name), "Schedule %d", id);
    json_t *o =
        json_pack("{s:i,s:s,s:b,s:i,s:i}", "ScheduleID", id, "Name", name,
                  "ContinueOnError", cont, "Action", action, "State", state);
    if (token != NULL)
        json_object_set_new(o, "Schedule", json_string(token));
    put(w->p, "SMS_ImageServicingSchedule", o);
    put(w->p, "SMS_ImageServicingScheduledImage",
        json_pack("{s:s,s:i}", "ImagePackageID", pkgid, "ScheduleID", id));
    for (int i = 0; i < n; i++)
        put(w->p, "SMS_ImageServicingScheduledUpdate",
            json_pack("{s:i,s:i}", "ScheduleID", id, "UpdateID", upd[i]));
}

typedef struct steps {
    int verify, stage, write, swap;
} steps;

static void on_progress(const image_progress *pr, void *payload)
{
    steps *s = payload;
    assert_non_null(pr->pkgid);
    assert_true(pr->done <= pr->total || pr->total == 0);
    if (strcmp(pr->step, "verify") == 0)
        s->verify++;
    else if (strcmp(pr->step, "stage") == 0)
        s->stage++;
    else if (strcmp(pr->step, "write") == 0)
        s->write++;
    else if (strcmp(pr->step, "swap") == 0)
        s->swap++;
    else
        fail_msg("unknown step %s", pr->step);
}

static void run(world *w, int sched, const char *content, image_run_stats *st,
                steps *s)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_run_opts o = {content, s ? on_progress : NULL, s};
    if (image_run_schedule(w->p, sched, &o, st, &err) != 0)
        fail_msg("image_run_schedule %d: %s", sched, err.msg);
}

static void scan(world *w, const char *pkgid, image_scan_stats *st)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (image_scan(w->p, pkgid, st, &err) != 0)
        fail_msg("image_scan %s: %s", pkgid, err.msg);
}

/* The run failed as a whole: progress and history Failed with code, the
 * schedule Failed. */
static void assert_run_failed(const world *w, const char *pkgid, int sched,
                              int32_t code, int failed_ci)
{
    assert_int_equal(progress(w, pkgid, sched, "Status").i, 3);
    assert_int_equal(progress(w, pkgid, sched, "Win32ErrorCode").i, code);
    assert_int_equal(progress(w, pkgid, sched, "FailedUpdateID").i, failed_ci);
    assert_int_equal(history(w, pkgid, sched, "Status").i, 3);
    assert_int_equal(history(w, pkgid, sched, "FailedUpdateID").i, failed_ci);
    assert_int_equal(schedule(w, sched, "State").i, 4);
    assert_false(schedule(w, sched, "LastRunDateTime").is_null);
    assert_int_equal(schedule(w, sched, "Action").i, 0);
}

/* ---- registration and scans ---------------------------------------------- */

static void test_image_run__package_add(void **state)
{
    world *w = *state;
    char real[PATH_MAX], cwd[PATH_MAX];
    qres r;
    assert_non_null(realpath(w->wim, real));
    package_prop(w, w->pkgid, "PkgSourcePath", &r);
    assert_string_equal(r.s, real);
    assert_int_equal(r.s[0], '/');
    package_prop(w, w->pkgid, "Name", &r);
    assert_string_equal(r.s, "Windows 11 Enterprise");
    package_prop(w, w->pkgid, "PackageType", &r);
    assert_int_equal(r.i, 257);
    package_prop(w, w->pkgid, "SourceVersion", &r);
    assert_int_equal(r.i, 1);
    package_prop(w, w->pkgid, "Version", &r);
    assert_int_equal(strncmp(r.s, "10.0.22631.", 11), 0);
    char *xml = package_xml(w, w->pkgid);
    assert_non_null(strstr(xml, "<IMAGE INDEX=\"1\""));
    assert_non_null(strstr(xml, "<IMAGE INDEX=\"2\""));
    assert_non_null(strstr(xml, "22631"));
    assert_non_null(strstr(xml, "20348"));
    util_free(xml);
    /* a relative path is stored absolute */
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(w->dir), 0);
    smsprov_error err = SMSPROV_ERROR_INIT;
    char *id = NULL;
    int rc = image_package_add(w->p, "install.wim", "Relative", &id, &err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    assert_string_not_equal(id, w->pkgid);
    package_prop(w, id, "PkgSourcePath", &r);
    assert_string_equal(r.s, real);
    package_prop(w, id, "Name", &r);
    assert_string_equal(r.s, "Relative");
    util_free(id);
    /* not a WIM: nothing is registered */
    char bad[400];
    path_in(bad, sizeof(bad), w->dir, "notes.wim");
    spill(bad, "not a wim\n", 10);
    id = NULL;
    assert_int_not_equal(image_package_add(w->p, bad, NULL, &id, &err), 0);
    assert_null(id);
    assert_int_equal(q(w->p, "", "SELECT COUNT(*) FROM SMS_ImagePackage").i, 2);
}

static void test_image_run__scan(void **state)
{
    world *w = *state;
    image_scan_stats st;
    uint32_t want[6] = {0};
    scan(w, w->pkgid, &st);
    assert_int_equal(st.indexes, 2);
    assert_int_equal(st.updates, NLIVE);
    assert_int_equal(count(w->p,
                           "SELECT COUNT(*) FROM SMS_ImageUpdateStatus WHERE "
                           "ImagePackageID = '%s'",
                           w->pkgid),
                     2 * NLIVE);
    for (size_t i = 0; i < NCATALOG; i++) {
        const upd_def *u = &catalog[i];
        for (int ix = 1; ix <= 2; ix++) {
            if (u->expired) {
                qres r = q(w->p, "UpdateStatus",
                           "SELECT * FROM SMS_ImageUpdateStatus WHERE "
                           "UpdateID = %d",
                           u->ci);
                assert_int_equal(r.rows, 0);
                continue;
            }
            int64_t got = status_of(w, ix, u->ci);
            if (got != u->want[ix - 1])
                fail_msg("index %d update %d (%s): UpdateStatus %lld, want %d",
                         ix, u->ci, u->title, (long long)got, u->want[ix - 1]);
            want[got]++;
            assert_int_equal(code_of(w, ix, u->ci), 0);
            assert_true(
                status_prop(w, w->pkgid, ix, u->ci, "AppliedDateTime").is_null);
            assert_string_equal(
                status_prop(w, w->pkgid, ix, u->ci, "UpdateTitle").s, u->title);
        }
    }
    for (int s = 0; s < 6; s++) {
        assert_true(want[s] > 0); /* every value in the matrix */
        assert_int_equal(st.by_status[s], want[s]);
    }
    /* the scan request, the platforms, the views */
    qres r = q(w->p, "Status",
               "SELECT * FROM SMS_ImageServicingScanRequest WHERE "
               "ImagePackageID = '%s'",
               w->pkgid);
    assert_int_equal(r.rows, 1);
    assert_int_equal(r.i, 1);
    r = q(w->p, "LastRunDateTime",
          "SELECT * FROM SMS_ImageServicingScanRequest WHERE "
          "ImagePackageID = '%s'",
          w->pkgid);
    assert_false(r.is_null);
    int64_t nplat =
        q(w->p, "",
          "SELECT COUNT(*) FROM SMS_SupportedPlatformsOfflineServicing")
            .i;
    assert_true(nplat >= 19);
    r = q(w->p, "Name",
          "SELECT * FROM SMS_SupportedPlatformsOfflineServicing WHERE "
          "OsVersionBuild = '10.0.20348' AND ProductType = 'ServerNT'");
    assert_int_equal(r.rows, 1);
    assert_int_equal(count(w->p,
                           "SELECT COUNT(*) FROM SMS_ImageUpdateStatusView "
                           "WHERE ImagePackageID = '%s'",
                           w->pkgid),
                     want[2] + want[3] + want[5]);
    /* a second scan rewrites the same rows; the seed is not repeated */
    scan(w, w->pkgid, &st);
    assert_int_equal(count(w->p,
                           "SELECT COUNT(*) FROM SMS_ImageUpdateStatus WHERE "
                           "ImagePackageID = '%s'",
                           w->pkgid),
                     2 * NLIVE);
    assert_int_equal(
        q(w->p, "",
          "SELECT COUNT(*) FROM SMS_SupportedPlatformsOfflineServicing")
            .i,
        nplat);
    /* an unknown package */
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(image_scan(w->p, "PS1FFFFF", NULL, &err),
                     SMSPROV_ENOTFOUND);
}

/* ---- a run that stages --------------------------------------------------- */

static void test_image_run__schedule_applies(void **state)
{
    world *w = *state;
    image_run_stats st;
    steps s = {0};
    qres r;
    static const int upd[] = {1002, 1003, 1009};
    add_schedule(w, w->pkgid, 1, false, 0, 1, NULL, upd, 3);
    int64_t before = util_now_us();
    run(w, 1, w->content, &st, &s);
    assert_int_equal(st.images, 1);
    assert_int_equal(st.applied, 2); /* 1002 on index 1, 1009 on index 2 */
    assert_int_equal(st.skipped, 1); /* Office */
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.win32, 0);
    assert_true(s.verify >= 3);
    assert_true(s.stage >= 1);
    assert_true(s.swap >= 1);
    /* the status rows */
    assert_int_equal(status_of(w, 1, 1002), 2);
    assert_int_equal(code_of(w, 1, 1002), 0);
    r = status_prop(w, w->pkgid, 1, 1002, "AppliedDateTime");
    assert_false(r.is_null);
    assert_true(r.i >= before - 1000000 && r.i <= util_now_us() + 1000000);
    int64_t applied = r.i;
    assert_int_equal(status_of(w, 2, 1009), 2);
    assert_false(status_prop(w, w->pkgid, 2, 1009, "AppliedDateTime").is_null);
    /* the rest as before; the ARM64 build of the same KB stays foreign */
    assert_int_equal(status_of(w, 1, 1010), 1);
    assert_int_equal(status_of(w, 1, 1011), 3);
    assert_int_equal(status_of(w, 2, 1006), 5);
    assert_true(status_prop(w, w->pkgid, 1, 1001, "AppliedDateTime").is_null);
    /* progress, history, schedule, package */
    assert_int_equal(progress(w, w->pkgid, 1, "Status").i, 2);
    assert_int_equal(progress(w, w->pkgid, 1, "Win32ErrorCode").i, 0);
    assert_int_equal(history(w, w->pkgid, 1, "Status").i, 2);
    assert_int_equal(schedule(w, 1, "State").i, 3);
    assert_false(schedule(w, 1, "LastRunDateTime").is_null);
    package_prop(w, w->pkgid, "SourceVersion", &r);
    assert_int_equal(r.i, 2);
    /* the WIM: backup of the original, staged KBs in the new XML */
    char bak[400], side[400];
    snprintf(bak, sizeof(bak), "%s.bak", w->wim);
    assert_true(file_is(bak, w->orig, w->orig_len));
    assert_false(file_is(w->wim, w->orig, w->orig_len));
    snprintf(side, sizeof(side), "%s.smsprov-new", w->wim);
    assert_false(exists(side));
    assert_int_equal(temp_dirs_left(), 0);
    util_arena *a = util_arena_new();
    image_wim wim;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(image_wim_read(&wim, a, w->wim, NULL, &err), 0);
    assert_int_equal(wim.count, 2);
    assert_string_equal(wim.idx[0].staged, "KB5033375");
    assert_string_equal(wim.idx[1].staged, "KB5033118");
    assert_non_null(strstr(wim.xml, "<STAGED>KB5033375</STAGED>"));
    image_os os;
    assert_int_equal(image_os_read(&os, a, w->wim, 1, NULL, &err), 0);
    assert_true(os.has_software_hive);
    assert_int_equal(os.build, 22631);
    util_arena_free(a);
    char *xml = package_xml(w, w->pkgid);
    assert_non_null(strstr(xml, "KB5033375"));
    util_free(xml);
    /* a rescan keeps the outcome */
    scan(w, w->pkgid, NULL);
    assert_int_equal(status_of(w, 1, 1002), 2);
    assert_int_equal(status_prop(w, w->pkgid, 1, 1002, "AppliedDateTime").i,
                     applied);
    /* running it again changes nothing: all installed or foreign */
    size_t len;
    char *now = slurp(w->wim, &len);
    run(w, 1, w->content, &st, NULL);
    assert_int_equal(st.applied, 0);
    assert_int_equal(st.skipped, 3);
    assert_int_equal(st.win32, 0);
    assert_true(file_is(w->wim, now, len));
    assert_true(file_is(bak, w->orig, w->orig_len));
    util_free(now);
    package_prop(w, w->pkgid, "SourceVersion", &r);
    assert_int_equal(r.i, 2);
    assert_int_equal(schedule(w, 1, "State").i, 3);
    assert_int_equal(status_of(w, 1, 1002), 2);
}

/* ---- failures ------------------------------------------------------------ */

static void test_image_run__missing_content(void **state)
{
    world *w = *state;
    image_run_stats st;
    char empty[400];
    static const int upd[] = {1002};
    path_in(empty, sizeof(empty), w->dir, "empty");
    assert_int_equal(mkdir(empty, 0755), 0);
    add_schedule(w, w->pkgid, 2, false, 0, 1, NULL, upd, 1);
    run(w, 2, empty, &st, NULL);
    assert_int_equal(st.applied, 0);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.win32, HR_SOURCE_MISSING);
    assert_non_null(strstr(st.why, w->pkgid));
    assert_int_equal(status_of(w, 1, 1002), 3);
    assert_int_equal(code_of(w, 1, 1002), HR_SOURCE_MISSING);
    assert_true(status_prop(w, w->pkgid, 1, 1002, "AppliedDateTime").is_null);
    assert_int_equal(code_of(w, 2, 1002), 0);
    assert_run_failed(w, w->pkgid, 2, HR_SOURCE_MISSING, 1002);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    /* the failed-update view counts it */
    qres r = q(w->p, "FailedImageCount",
               "SELECT * FROM SMS_FailedImageUpdateView WHERE UpdateID = 1002");
    assert_int_equal(r.rows, 1);
    assert_int_equal(r.i, 1);
    /* no content library at all is the same failure */
    run(w, 2, NULL, &st, NULL);
    assert_int_equal(st.win32, HR_SOURCE_MISSING);
    assert_int_equal(code_of(w, 1, 1002), HR_SOURCE_MISSING);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    /* nor does a rescan forget the failure */
    scan(w, w->pkgid, NULL);
    assert_int_equal(code_of(w, 1, 1002), HR_SOURCE_MISSING);
}

static void test_image_run__hash_mismatch(void **state)
{
    world *w = *state;
    image_run_stats st;
    char bad[400];
    static const int upd[] = {1002};
    /* same size, other bytes */
    path_in(bad, sizeof(bad), w->dir, "bad");
    write_cab(bad, def_of(1002), 'b', 0);
    add_schedule(w, w->pkgid, 3, false, 0, 1, NULL, upd, 1);
    run(w, 3, bad, &st, NULL);
    assert_int_equal(st.win32, HR_HASH_MISMATCH);
    assert_int_equal(status_of(w, 1, 1002), 3);
    assert_int_equal(code_of(w, 1, 1002), HR_HASH_MISMATCH);
    assert_run_failed(w, w->pkgid, 3, HR_HASH_MISMATCH, 1002);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    /* right bytes, one more at the end */
    char longer[400];
    path_in(longer, sizeof(longer), w->dir, "longer");
    write_cab(longer, def_of(1002), 'a', 1);
    run(w, 3, longer, &st, NULL);
    assert_int_equal(st.win32, HR_HASH_MISMATCH);
    assert_int_equal(code_of(w, 1, 1002), HR_HASH_MISMATCH);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
}

static void test_image_run__read_only_wim(void **state)
{
    world *w = *state;
    image_run_stats st;
    static const int upd[] = {1002};
    assert_int_equal(chmod(w->wim, 0444), 0);
    add_schedule(w, w->pkgid, 4, false, 0, 1, NULL, upd, 1);
    run(w, 4, w->content, &st, NULL);
    assert_int_equal(st.win32, IMAGE_WIN32_WRITE_PROTECT);
    assert_int_equal(st.applied, 0);
    assert_run_failed(w, w->pkgid, 4, IMAGE_WIN32_WRITE_PROTECT, 0);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    struct stat sb;
    assert_int_equal(stat(w->wim, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0444);
}

static void test_image_run__corrupt_wim(void **state)
{
    world *w = *state;
    image_run_stats st;
    char path[400];
    size_t len;
    static const int upd[] = {1002};
    /* a copy, registered while intact, then garbled between the header
     * and the blob table / XML (which stay readable) */
    path_in(path, sizeof(path), w->dir, "corrupt.wim");
    copy_file(master, path);
    char *id = add_package(w, path);
    char *buf = slurp(path, &len);
    uint64_t blobs = 0, xml = 0;
    for (int i = 7; i >= 0; i--) {
        blobs = blobs << 8 | (unsigned char)buf[0x38 + i];
        xml = xml << 8 | (unsigned char)buf[0x50 + i];
    }
    uint64_t end = blobs < xml ? blobs : xml;
    assert_true(end > 208 && end <= len);
    for (uint64_t i = 208; i < end; i++)
        buf[i] = (char)(i * 131);
    spill(path, buf, len);
    /* the scan fails and says so */
    image_scan_stats ss;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_not_equal(image_scan(w->p, id, &ss, &err), 0);
    qres r = q(w->p, "Status",
               "SELECT * FROM SMS_ImageServicingScanRequest WHERE "
               "ImagePackageID = '%s'",
               id);
    assert_int_equal(r.rows, 1);
    assert_int_equal(r.i, 2);
    assert_int_equal(count(w->p,
                           "SELECT COUNT(*) FROM SMS_ImageUpdateStatus WHERE "
                           "ImagePackageID = '%s'",
                           id),
                     0);
    /* a run fails with ERROR_FILE_CORRUPT and leaves the file alone */
    add_schedule(w, id, 5, false, 0, 1, NULL, upd, 1);
    run(w, 5, w->content, &st, NULL);
    assert_int_equal(st.win32, IMAGE_WIN32_FILE_CORRUPT);
    assert_run_failed(w, id, 5, IMAGE_WIN32_FILE_CORRUPT, 0);
    assert_wim_untouched(path, buf, len);
    util_free(buf);
    util_free(id);
    /* the intact package next to it is still fine */
    scan(w, w->pkgid, NULL);
    assert_int_equal(status_of(w, 1, 1002), 3);
}

static void test_image_run__continue_on_error(void **state)
{
    world *w = *state;
    image_run_stats st;
    static const int upd[] = {1002, 1011}; /* 1011's file is missing */
    add_schedule(w, w->pkgid, 6, true, 0, 1, NULL, upd, 2);
    run(w, 6, w->content, &st, NULL);
    assert_int_equal(st.applied, 1);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.win32, HR_SOURCE_MISSING);
    assert_int_equal(status_of(w, 1, 1002), 2);
    assert_int_equal(code_of(w, 1, 1002), 0);
    assert_false(status_prop(w, w->pkgid, 1, 1002, "AppliedDateTime").is_null);
    assert_int_equal(status_of(w, 1, 1011), 3);
    assert_int_equal(code_of(w, 1, 1011), HR_SOURCE_MISSING);
    assert_run_failed(w, w->pkgid, 6, HR_SOURCE_MISSING, 1011);
    /* the good one is in the image, the original kept */
    char bak[400];
    snprintf(bak, sizeof(bak), "%s.bak", w->wim);
    assert_true(file_is(bak, w->orig, w->orig_len));
    util_arena *a = util_arena_new();
    image_wim wim;
    smsprov_error err = SMSPROV_ERROR_INIT;
    assert_int_equal(image_wim_read(&wim, a, w->wim, NULL, &err), 0);
    assert_string_equal(wim.idx[0].staged, "KB5033375");
    assert_string_equal(wim.idx[1].staged, "");
    util_arena_free(a);
    qres r;
    package_prop(w, w->pkgid, "SourceVersion", &r);
    assert_int_equal(r.i, 2);
}

static void test_image_run__stop_on_error(void **state)
{
    world *w = *state;
    image_run_stats st;
    static const int upd[] = {1002, 1011};
    add_schedule(w, w->pkgid, 7, false, 0, 1, NULL, upd, 2);
    run(w, 7, w->content, &st, NULL);
    assert_int_equal(st.applied, 0);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.win32, HR_SOURCE_MISSING);
    assert_int_equal(status_of(w, 1, 1002), 3);
    assert_int_equal(code_of(w, 1, 1002), 0);
    assert_true(status_prop(w, w->pkgid, 1, 1002, "AppliedDateTime").is_null);
    assert_int_equal(status_of(w, 1, 1011), 3);
    assert_int_equal(code_of(w, 1, 1011), HR_SOURCE_MISSING);
    assert_run_failed(w, w->pkgid, 7, HR_SOURCE_MISSING, 1011);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    qres r;
    package_prop(w, w->pkgid, "SourceVersion", &r);
    assert_int_equal(r.i, 1);
}

/* ---- recovery and due schedules ------------------------------------------ */

static void test_image_run__recover(void **state)
{
    world *w = *state;
    uint32_t n = 99;
    smsprov_error err = SMSPROV_ERROR_INIT;
    static const int upd[] = {1002};
    /* a run killed midway: schedule Running, progress Running */
    add_schedule(w, w->pkgid, 8, false, 0, 2, NULL, upd, 1);
    put(w->p, "SMS_ImageServicingProgress",
        json_pack("{s:s,s:i,s:i,s:i,s:i,s:s}", "ImagePackageID", w->pkgid,
                  "ScheduleID", 8, "Status", 1, "Win32ErrorCode", 0,
                  "FailedUpdateID", 0, "RunDateTime",
                  "20240105120000.000000+000"));
    /* nothing to do while a live run holds the WIM's lock */
    image_lock lock = {-1};
    bool busy = false;
    int32_t code = 0;
    assert_int_equal(image_lock_take(&lock, w->wim, &busy, &code, &err), 0);
    assert_int_equal(image_recover(w->p, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(progress(w, w->pkgid, 8, "Status").i, 1);
    /* a second taker is told the WIM is busy */
    image_lock other = {-1};
    assert_int_not_equal(image_lock_take(&other, w->wim, &busy, &code, &err),
                         0);
    assert_true(busy);
    util_error_clear(&err);
    image_lock_release(&lock);
    /* the lock is free: the run is closed as aborted */
    assert_int_equal(image_recover(w->p, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(progress(w, w->pkgid, 8, "Status").i, 3);
    /* the dead run keeps its start time */
    assert_int_equal(progress(w, w->pkgid, 8, "RunDateTime").i,
                     history(w, w->pkgid, 8, "RunDateTime").i);
    assert_int_equal(progress(w, w->pkgid, 8, "Win32ErrorCode").i,
                     IMAGE_WIN32_OPERATION_ABORTED);
    assert_int_equal(history(w, w->pkgid, 8, "Status").i, 3);
    assert_int_equal(schedule(w, 8, "State").i, 4);
    /* and the status rows follow the WIM on disk */
    assert_int_equal(count(w->p,
                           "SELECT COUNT(*) FROM SMS_ImageUpdateStatus WHERE "
                           "ImagePackageID = '%s'",
                           w->pkgid),
                     2 * NLIVE);
    assert_int_equal(status_of(w, 1, 1002), 3);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    /* once is enough */
    assert_int_equal(image_recover(w->p, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(count(w->p,
                           "SELECT COUNT(*) FROM SMS_ImageUpdateHistory WHERE "
                           "ImagePackageID = '%s'",
                           w->pkgid),
                     1);
}

/* A NonRecurring token (UTC) at `us`. */
static char *token_at(int64_t us)
{
    provider_schedule t;
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_buf b = UTIL_BUF_INIT(256);
    memset(&t, 0, sizeof(t));
    t.type = PROVIDER_SCHEDULE_NONRECURRING;
    t.is_gmt = true;
    assert_int_equal(provider_schedule_set_start(&t, us, &err), 0);
    assert_int_equal(provider_schedule_format(&t, 1, &b, &err), 0);
    char *s = util_strdup(util_buf_cstr(&b));
    util_buf_free(&b);
    assert_non_null(s);
    return s;
}

static void test_image_run__due(void **state)
{
    world *w = *state;
    uint32_t ran = 99;
    smsprov_error err = SMSPROV_ERROR_INIT;
    static const int upd[] = {1002};
    const int64_t day = 86400LL * 1000000;
    int64_t now = util_now_us();
    char *future = token_at(now + day);
    char *past = token_at(now - day);
    add_schedule(w, w->pkgid, 21, false, 1, 0, NULL, upd, 1); /* now */
    add_schedule(w, w->pkgid, 22, false, 0, 1, future, upd, 1);
    add_schedule(w, w->pkgid, 23, false, 0, 1, past, upd, 1);
    add_schedule(w, w->pkgid, 24, false, 2, 1, past, upd, 1); /* cancel */
    add_schedule(w, w->pkgid, 25, false, 0, 0, past, upd, 1); /* disabled */
    image_run_opts o = {w->content, NULL, NULL};
    if (image_run_due(w->p, now, &o, &ran, &err) != 0)
        fail_msg("image_run_due: %s", err.msg);
    assert_int_equal(ran, 2);
    assert_int_equal(schedule(w, 21, "State").i, 3);
    assert_int_equal(schedule(w, 21, "Action").i, 0);
    assert_false(schedule(w, 21, "LastRunDateTime").is_null);
    assert_int_equal(schedule(w, 22, "State").i, 1);
    assert_true(schedule(w, 22, "LastRunDateTime").is_null);
    assert_int_equal(schedule(w, 23, "State").i, 3);
    assert_false(schedule(w, 23, "LastRunDateTime").is_null);
    assert_int_equal(schedule(w, 24, "State").i, 0);
    assert_true(schedule(w, 24, "LastRunDateTime").is_null);
    assert_int_equal(schedule(w, 25, "State").i, 0);
    assert_true(schedule(w, 25, "LastRunDateTime").is_null);
    assert_int_equal(progress(w, w->pkgid, 21, "Status").i, 2);
    assert_int_equal(progress(w, w->pkgid, 23, "Status").i, 2);
    assert_int_equal(status_of(w, 1, 1002), 2);
    /* nothing is due any more until the future token's time */
    assert_int_equal(image_run_due(w->p, now, &o, &ran, &err), 0);
    assert_int_equal(ran, 0);
    assert_int_equal(image_run_due(w->p, now + 2 * day, &o, &ran, &err), 0);
    assert_int_equal(ran, 1);
    assert_int_equal(schedule(w, 22, "State").i, 3);
    util_free(future);
    util_free(past);
}

/* A schedule whose image another run is servicing waits for it. */
static void test_image_run__busy(void **state)
{
    world *w = *state;
    uint32_t ran = 99;
    bool busy = false;
    int32_t code = 0;
    smsprov_error err = SMSPROV_ERROR_INIT;
    static const int upd[] = {1002};
    image_run_opts o = {w->content, NULL, NULL};
    add_schedule(w, w->pkgid, 31, false, 1, 1, NULL, upd, 1); /* now */
    image_lock lock = {-1};
    assert_int_equal(image_lock_take(&lock, w->wim, &busy, &code, &err), 0);
    if (image_run_due(w->p, util_now_us(), &o, &ran, &err) != 0)
        fail_msg("image_run_due: %s", err.msg);
    assert_int_equal(ran, 0);
    assert_int_equal(schedule(w, 31, "Action").i, 1);
    assert_int_equal(schedule(w, 31, "State").i, 1);
    assert_true(schedule(w, 31, "LastRunDateTime").is_null);
    assert_wim_untouched(w->wim, w->orig, w->orig_len);
    image_lock_release(&lock);
    if (image_run_due(w->p, util_now_us(), &o, &ran, &err) != 0)
        fail_msg("image_run_due: %s", err.msg);
    assert_int_equal(ran, 1);
    assert_int_equal(schedule(w, 31, "State").i, 3);
    assert_int_equal(status_of(w, 1, 1002), 2);
}

/* Reads one file of an index of a WIM (NULL when it is not there). */
static char *wim_file(const world *w, const char *wim, int index,
                      const char *in_image, const char *name)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    const char *want[1] = {in_image};
    WIMStruct *wt = NULL;
    path_in(dir, sizeof(dir), w->dir, "extract");
    mkdir(dir, 0700);
    assert_int_equal(wimlib_open_wim(wim, 0, &wt), 0);
    int rc = wimlib_extract_paths(
        wt, index, dir, want, 1,
        WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
            WIMLIB_EXTRACT_FLAG_NO_ACLS | WIMLIB_EXTRACT_FLAG_NO_ATTRIBUTES);
    wimlib_free(wt);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    size_t len = 0;
    char *data = rc == 0 ? slurp(path, &len) : NULL;
    unlink(path);
    rmdir(dir);
    return data;
}

/* An image's own SetupComplete.cmd is kept and calls the apply script
 * once, however many runs stage into the index. */
static void test_image_run__setup_complete_kept(void **state)
{
    world *w = *state;
    image_run_stats st;
    char src[PATH_MAX];
    static const char mine[] = "@echo off\r\nrem site customisation\r\n"
                               "reg add HKLM\\Software\\Contoso /f\r\n";
    path_in(src, sizeof(src), w->dir, "SetupComplete.cmd");
    spill(src, mine, sizeof(mine) - 1);
    WIMStruct *wt = NULL;
    struct wimlib_update_command cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.op = WIMLIB_UPDATE_OP_ADD;
    cmd.add.fs_source_path = src;
    cmd.add.wim_target_path = "\\Windows\\Setup\\Scripts\\SetupComplete.cmd";
    assert_int_equal(
        wimlib_open_wim(w->wim, WIMLIB_OPEN_FLAG_WRITE_ACCESS, &wt), 0);
    assert_int_equal(wimlib_update_image(wt, 1, &cmd, 1, 0), 0);
    assert_int_equal(wimlib_overwrite(wt, 0, 0), 0);
    wimlib_free(wt);
    static const int upd1[] = {1002}, upd2[] = {1011};
    add_schedule(w, w->pkgid, 41, false, 0, 1, NULL, upd1, 1);
    run(w, 41, w->content, &st, NULL);
    assert_int_equal(st.applied, 1);
    write_cab(w->content, def_of(1011), 'a', 0); /* its content arrives */
    add_schedule(w, w->pkgid, 42, false, 0, 1, NULL, upd2, 1);
    run(w, 42, w->content, &st, NULL);
    assert_int_equal(st.applied, 1);
    char *sc =
        wim_file(w, w->wim, 1, "\\Windows\\Setup\\Scripts\\SetupComplete.cmd",
                 "SetupComplete.cmd");
    assert_non_null(sc);
    assert_non_null(strstr(sc, "reg add HKLM\\Software\\Contoso"));
    const char *call = strstr(sc, "smsprov-apply.cmd");
    assert_non_null(call);
    assert_null(strstr(call + 1, "smsprov-apply.cmd")); /* once */
    util_free(sc);
    char *apply =
        wim_file(w, w->wim, 1, "\\Windows\\Setup\\Scripts\\smsprov-apply.cmd",
                 "smsprov-apply.cmd");
    assert_non_null(apply);
    assert_non_null(strstr(apply, "dism.exe /Online /Add-Package"));
    util_free(apply);
    /* both runs' packages are staged, in order */
    char *xml = package_xml(w, w->pkgid);
    assert_non_null(strstr(xml, "<STAGED>KB5033375,KB5033920</STAGED>"));
    util_free(xml);
    assert_int_equal(status_of(w, 1, 1002), 2);
    assert_int_equal(status_of(w, 1, 1011), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_image_run__setup_complete_kept,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_run__busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_run__package_add, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_run__schedule_applies, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__missing_content, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__hash_mismatch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__read_only_wim, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__corrupt_wim, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__continue_on_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_image_run__stop_on_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__recover, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_image_run__due, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
