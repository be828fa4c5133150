/* SPDX-License-Identifier: MIT */
/*
 * image_bench: the C half of bench/image-bench (bench/README.md).
 *
 *   image_bench scan DB WIM [REPS]
 *       registers WIM as an image package of DB and times image_scan
 *       against a baseline done by hand in the same run: the same files of
 *       every index extracted with wimlib (the SOFTWARE hive and the
 *       servicing manifests, as image_os_read does), the catalog's titles
 *       read with one SELECT, and the same number of status rows written
 *       with raw sqlite3 prepared INSERTs into a table of the same shape
 *       (columns and indexes of SMS_ImageUpdateStatus), one transaction.
 *       Prints both medians, their ratio and rows/s.
 *
 *   image_bench content DB CI_ID FILE...
 *       makes FILEs the content of update CI_ID: its SMS_CIContentFiles
 *       rows are replaced by one row per FILE with the real size and
 *       SHA-1 (FileHash "SHA1:<hex>"), written as the provider itself
 *       writes them (PROVIDER_INTERNAL).  The FILEs keep their content
 *       ID, so SMS_CIToContent is unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <libgen.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wimlib.h>

#include "image/image.h"
#include "provider/provider.h"
#include "util/util.h"

#define BENCH_TABLE "bench_ImageUpdateStatus"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), by_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- scan: the baseline ------------------------------------------------- */

typedef struct baseline {
    const char *db, *wim, *pkgid;
    sqlite3 *s;
    sqlite3_stmt *titles, *del, *ins;
    uint32_t nidx;
    uint64_t rows; /* written by the last run */
} baseline;

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* Replaces every SMS_ImageUpdateStatus in sql with BENCH_TABLE. */
static char *rename_table(const char *sql)
{
    static const char from[] = "SMS_ImageUpdateStatus";
    util_buf b = UTIL_BUF_INIT(1 << 20);
    const char *at;
    while ((at = strstr(sql, from)) != NULL) {
        util_buf_append(&b, sql, (size_t)(at - sql));
        util_buf_puts(&b, BENCH_TABLE);
        sql = at + sizeof(from) - 1;
    }
    util_buf_puts(&b, sql);
    char *out = b.failed ? NULL : strdup(util_buf_cstr(&b));
    util_buf_free(&b);
    return out;
}

/* Creates BENCH_TABLE with the columns and indexes of the provider's
 * SMS_ImageUpdateStatus table, in the same database file. */
static int baseline_open(baseline *b)
{
    sqlite3_stmt *st;
    if (sqlite3_open(b->db, &b->s) != SQLITE_OK)
        return -1;
    /* the provider's connection settings (src/store/sqlite.c) */
    sqlite3_exec(b->s,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                 "DROP TABLE IF EXISTS \"" BENCH_TABLE "\"",
                 NULL, NULL, NULL);
    sqlite3_prepare_v2(b->s,
                       "SELECT sql FROM sqlite_master WHERE tbl_name = "
                       "'SMS_ImageUpdateStatus' AND sql IS NOT NULL "
                       "ORDER BY type DESC",
                       -1, &st, NULL);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char *sql = rename_table((const char *)sqlite3_column_text(st, 0));
        if (sql == NULL || sqlite3_exec(b->s, sql, NULL, NULL, NULL) != 0) {
            fprintf(stderr, "baseline DDL: %s\n", sqlite3_errmsg(b->s));
            free(sql);
            sqlite3_finalize(st);
            return -1;
        }
        free(sql);
        n++;
    }
    sqlite3_finalize(st);
    if (n == 0) {
        fprintf(stderr, "no SMS_ImageUpdateStatus table in %s\n", b->db);
        return -1;
    }
    if (sqlite3_prepare_v2(b->s,
                           "SELECT CI_ID, LocalizedDisplayName FROM "
                           "\"SMS_SoftwareUpdate\" WHERE IsExpired = 0",
                           -1, &b->titles, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            b->s, "DELETE FROM \"" BENCH_TABLE "\" WHERE ImagePackageID = ?",
            -1, &b->del, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(
            b->s,
            "INSERT INTO \"" BENCH_TABLE
            "\" (AppliedDateTime, ImageIndex, ImagePackageID, UpdateID, "
            "UpdateInstallationStatus, UpdateStatus, UpdateTitle) VALUES "
            "(NULL, ?, ?, ?, 0, ?, ?)",
            -1, &b->ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(b->s));
        return -1;
    }
    return 0;
}

static void baseline_close(baseline *b)
{
    sqlite3_finalize(b->titles);
    sqlite3_finalize(b->del);
    sqlite3_finalize(b->ins);
    if (b->s != NULL)
        sqlite3_exec(b->s, "DROP TABLE IF EXISTS \"" BENCH_TABLE "\"", NULL,
                     NULL, NULL);
    sqlite3_close(b->s);
}

/* One baseline run; its wall time in seconds, or -1. */
static double baseline_run(baseline *b)
{
    /* exactly the files and flags of image_os_read (src/image/wim.c) */
    static const char *const paths[] = {
        "\\Windows\\System32\\config\\SOFTWARE",
        "\\Windows\\servicing\\Packages\\*.mum",
    };
    const int flags = WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                      WIMLIB_EXTRACT_FLAG_GLOB_PATHS |
                      WIMLIB_EXTRACT_FLAG_NO_ACLS |
                      WIMLIB_EXTRACT_FLAG_REPLACE_INVALID_FILENAMES;
    const char *tmp = getenv("TMPDIR");
    double t0 = now_s();

    /* the catalog: what every row needs (id, title) */
    typedef struct upd {
        int64_t ci;
        char *title;
        int n;
    } upd;
    upd *u = NULL;
    size_t nu = 0, cap = 0;
    while (sqlite3_step(b->titles) == SQLITE_ROW) {
        if (nu == cap) {
            cap = cap ? 2 * cap : 1024;
            u = realloc(u, cap * sizeof(*u));
        }
        u[nu].ci = sqlite3_column_int64(b->titles, 0);
        u[nu].n = sqlite3_column_bytes(b->titles, 1);
        u[nu].title = malloc((size_t)u[nu].n + 1);
        memcpy(u[nu].title, sqlite3_column_text(b->titles, 1),
               (size_t)u[nu].n + 1);
        nu++;
    }
    sqlite3_reset(b->titles);

    /* the image: one open, the servicing files of every index */
    WIMStruct *wim = NULL;
    int wrc = wimlib_open_wim(b->wim, 0, &wim);
    struct wimlib_wim_info info;
    if (wrc == 0)
        wrc = wimlib_get_wim_info(wim, &info);
    for (uint32_t i = 1; wrc == 0 && i <= info.image_count; i++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s/smsprov-bench-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (mkdtemp(dir) == NULL) {
            wrc = WIMLIB_ERR_MKDIR;
            break;
        }
        wrc = wimlib_extract_paths(wim, (int)i, dir, paths, 2, flags);
        nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    }
    if (wrc != 0) {
        fprintf(stderr, "baseline: %s: %s\n", b->wim,
                wimlib_get_error_string(wrc));
        wimlib_free(wim);
        return -1;
    }
    b->nidx = info.image_count;
    wimlib_free(wim);

    /* the rows: rewrite the package's rows in one transaction */
    int rc = sqlite3_exec(b->s, "BEGIN", NULL, NULL, NULL);
    sqlite3_bind_text(b->del, 1, b->pkgid, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && sqlite3_step(b->del) != SQLITE_DONE)
        rc = SQLITE_ERROR;
    sqlite3_reset(b->del);
    b->rows = 0;
    for (uint32_t i = 1; rc == SQLITE_OK && i <= b->nidx; i++) {
        for (size_t k = 0; rc == SQLITE_OK && k < nu; k++) {
            sqlite3_bind_int(b->ins, 1, (int)i);
            sqlite3_bind_text(b->ins, 2, b->pkgid, -1, SQLITE_STATIC);
            sqlite3_bind_int64(b->ins, 3, u[k].ci);
            sqlite3_bind_int(b->ins, 4, (int)(u[k].ci % 4)); /* any status */
            sqlite3_bind_text(b->ins, 5, u[k].title, u[k].n, SQLITE_STATIC);
            if (sqlite3_step(b->ins) != SQLITE_DONE)
                rc = SQLITE_ERROR;
            sqlite3_reset(b->ins);
            b->rows++;
        }
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(b->s, "COMMIT", NULL, NULL, NULL);
    else
        fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(b->s));
    double t1 = now_s();
    for (size_t k = 0; k < nu; k++)
        free(u[k].title);
    free(u);
    return rc == SQLITE_OK ? t1 - t0 : -1;
}

/* ---- scan: the measurement ---------------------------------------------- */

static int cmd_scan(const char *db, const char *wim, int reps)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    char *pkgid = NULL;
    image_scan_stats st;
    if (provider_open(&p, db, &err) != 0 ||
        image_package_add(p, wim, NULL, &pkgid, &err) != 0) {
        fprintf(stderr, "image_bench: %s\n", err.msg);
        return 1;
    }
    baseline b = {.db = db, .wim = wim, .pkgid = pkgid};
    if (baseline_open(&b) != 0)
        return 1;
    double *ts = calloc((size_t)reps, sizeof(double));
    double *tb = calloc((size_t)reps, sizeof(double));
    /* one warm-up of each, then alternate which goes first */
    for (int r = -1; r < reps; r++) {
        for (int side = 0; side < 2; side++) {
            bool scan = (side == 0) == (r % 2 == 0);
            double t;
            if (scan) {
                double t0 = now_s();
                if (image_scan(p, pkgid, &st, &err) != 0) {
                    fprintf(stderr, "image_scan: %s\n", err.msg);
                    return 1;
                }
                t = now_s() - t0;
            } else if ((t = baseline_run(&b)) < 0) {
                return 1;
            }
            if (r >= 0)
                (scan ? ts : tb)[r] = t;
        }
    }
    uint64_t rows = (uint64_t)st.indexes * st.updates;
    if (rows != b.rows) {
        fprintf(stderr,
                "image_bench: the scan wrote %llu rows, the baseline %llu\n",
                (unsigned long long)rows, (unsigned long long)b.rows);
        return 1;
    }
    double ms = median(ts, reps), mb = median(tb, reps);
    printf("scan:     %u indexes x %u updates = %llu rows; status: "
           "%u not required, %u installed, %u applicable, %u check not "
           "supported, %u unknown\n",
           st.indexes, st.updates, (unsigned long long)rows, st.by_status[1],
           st.by_status[2] + st.by_status[5], st.by_status[3], st.by_status[4],
           st.by_status[0]);
    printf("scan:     smsprov %.1f ms, baseline %.1f ms (median of %d), "
           "ratio %.2fx; %.0f rows/s (baseline %.0f rows/s)\n",
           ms * 1e3, mb * 1e3, reps, ms / mb, rows / ms, rows / mb);
    baseline_close(&b);
    util_free(pkgid);
    free(ts);
    free(tb);
    provider_close(p);
    return 0;
}

/* ---- content ------------------------------------------------------------ */

typedef struct old_files {
    int64_t content_id;
    char uid[128], model[256];
    char *names[64];
    int n;
} old_files;

static int on_old_file(const wql_plan *plan, cim_instance **parts,
                       int64_t count, void *payload)
{
    (void)plan, (void)count;
    old_files *o = payload;
    const cim_value *id = cim_instance_get_by_name(parts[1], "ContentID");
    const cim_value *nm = cim_instance_get_by_name(parts[1], "FileName");
    const cim_value *uid = cim_instance_get_by_name(parts[1], "CI_UniqueID");
    const cim_value *md = cim_instance_get_by_name(parts[1], "ModelName");
    if (id == NULL || id->is_null || nm == NULL || nm->is_null || o->n == 64)
        return 0;
    if (o->n == 0) {
        o->content_id = id->v.i;
        snprintf(o->uid, sizeof(o->uid), "%s",
                 uid && !uid->is_null ? uid->v.s : "");
        snprintf(o->model, sizeof(o->model), "%s",
                 md && !md->is_null ? md->v.s : "");
    }
    if (id->v.i == o->content_id)
        o->names[o->n++] = strdup(nm->v.s);
    return 0;
}

/* SHA-1 (lowercase hex) and size of a file. */
static int sha1_file(const char *path, char hex[41], int64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    static unsigned char buf[1 << 20];
    int rc = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 ? 0 : -1;
    ssize_t got;
    *size = 0;
    while (rc == 0 && (got = read(fd, buf, sizeof(buf))) > 0) {
        *size += got;
        rc = EVP_DigestUpdate(c, buf, (size_t)got) == 1 ? 0 : -1;
    }
    unsigned char md[20];
    unsigned n = 0;
    if (rc == 0 && EVP_DigestFinal_ex(c, md, &n) == 1 && n == 20)
        for (unsigned i = 0; i < n; i++)
            snprintf(hex + 2 * i, 3, "%02x", md[i]);
    else
        rc = -1;
    EVP_MD_CTX_free(c);
    close(fd);
    return rc;
}

static int cmd_content(const char *db, int32_t ci, char **files, int nfiles)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    old_files o = {0};
    char wql[300], path[1024];
    if (provider_open(&p, db, &err) != 0)
        goto fail;
    snprintf(wql, sizeof(wql),
             "SELECT c.CI_ID, f.ContentID, f.FileName, f.CI_UniqueID, "
             "f.ModelName FROM SMS_CIToContent c JOIN SMS_CIContentFiles f ON "
             "c.ContentID = f.ContentID WHERE c.CI_ID = %d",
             ci);
    if (provider_query(p, wql, strlen(wql), on_old_file, &o, &err) != 0)
        goto fail;
    if (o.n == 0) {
        fprintf(stderr, "image_bench: update %d has no content files\n", ci);
        return 1;
    }
    for (int i = 0; i < o.n; i++) {
        snprintf(path, sizeof(path),
                 "SMS_CIContentFiles.ContentID=%lld,FileName=\"%s\"",
                 (long long)o.content_id, o.names[i]);
        if (provider_delete(p, path, strlen(path), PROVIDER_INTERNAL, &err))
            goto fail;
        free(o.names[i]);
    }
    const cim_class *cls =
        cim_schema_class(provider_schema(p), "SMS_CIContentFiles", 18);
    for (int i = 0; i < nfiles; i++) {
        char hex[41], hash[48], url[1024];
        int64_t size;
        if (sha1_file(files[i], hex, &size) != 0) {
            fprintf(stderr, "image_bench: %s: %s\n", files[i], strerror(errno));
            return 1;
        }
        const char *name = strrchr(files[i], '/');
        name = name ? name + 1 : files[i];
        snprintf(hash, sizeof(hash), "SHA1:%s", hex);
        snprintf(url, sizeof(url),
                 "http://download.windowsupdate.com/c/msdownload/update/"
                 "software/secu/2024/12/%s",
                 name);
        json_t *j = json_pack(
            "{s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:b, s:i, s:s, s:i, s:s}",
            "CI_UniqueID", o.uid, "ContentID", (json_int_t)o.content_id,
            "FileHash", hash, "FileName", name, "FileSize", (json_int_t)size,
            "FileVersion", "", "ImportPath", "", "IsSigned", 1, "LanguageID", 0,
            "ModelName", o.model, "ObjectTypeID", 5, "SourceURL", url);
        bool created;
        int rc = j ? provider_put_json(NULL, &created, p, cls, j,
                                       PROVIDER_INTERNAL, &err)
                   : -1;
        json_decref(j);
        if (rc != 0)
            goto fail;
        printf("content:  %s %lld bytes SHA1:%s (ContentID %lld)\n", name,
               (long long)size, hex, (long long)o.content_id);
    }
    provider_close(p);
    return 0;
fail:
    fprintf(stderr, "image_bench: %s\n", err.msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "scan") == 0) {
        int reps = argc > 4 ? atoi(argv[4]) : 11;
        return cmd_scan(argv[2], argv[3], reps > 0 ? reps : 11);
    }
    if (argc >= 5 && strcmp(argv[1], "content") == 0)
        return cmd_content(argv[2], (int32_t)atol(argv[3]), argv + 4, argc - 4);
    fprintf(stderr, "usage: image_bench scan DB WIM [REPS]\n"
                    "       image_bench content DB CI_ID FILE...\n");
    return 2;
}
