/* SPDX-License-Identifier: MIT */
/*
 * smsprov demo: builds a demo database (a two-year software-update catalog
 * with a small site around it) for the README's first steps.  Refuses a
 * database that already holds instances unless --force, which deletes the
 * file first.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo_data.h"

#define DEMO_PATH_MAX 4096 /* database path plus "-wal" */

/* Classes listed in the summary, in this order (zero counts are left out). */
static const char *const summary[] = {
    "SMS_CategoryInstance",
    "SMS_UpdateCategoryInstance",
    "SMS_SoftwareUpdate",
    "SMS_CIAllCategories",
    "SMS_CIRelation",
    "SMS_CIToContent",
    "SMS_CIContentFiles",
    "SMS_EULAContent",
    "SMS_R_System",
    "SMS_Collection",
    "SMS_FullCollectionMembership",
    "SMS_UpdateComplianceStatus",
    "SMS_AuthorizationList",
    "SMS_SoftwareUpdatesPackage",
    "SMS_PackageToContent",
    "SMS_CIContentPackage",
    "SMS_UpdatesAssignment",
    "SMS_CIAssignmentToCI",
    "SMS_ImagePackage",
    "SMS_ImageUpdateStatus",
    "SMS_ProviderLocation",
};

static void print_help(FILE *f)
{
    fprintf(f,
            "usage: smsprov demo --db PATH [--updates N] [--seed S] "
            "[--force]\n"
            "                    [--no-devices] [--no-images] "
            "[--progress]\n\n"
            "Builds a demo database: update categories, N software updates\n"
            "posted over two years (cumulative, security, .NET, Defender,\n"
            "Office, Edge, SQL Server, drivers, ...) with supersedence,\n"
            "bundles, content files and EULAs; 20 devices with collections,\n"
            "compliance, an update group, a package and a deployment; two\n"
            "OS images with offline-servicing status. Everything is written\n"
            "through the provider (all qualifiers enforced) in one\n"
            "transaction. The same seed gives the same data.\n\n"
            "  --db PATH       database (also accepted before 'demo')\n"
            "  --updates N     number of updates, 1..%d (default %d)\n"
            "  --seed S        random seed, 0..2^64-1 (default %d)\n"
            "  --force         delete PATH first if it exists\n"
            "  --no-devices    catalog only: no devices, collections,\n"
            "                  compliance, group, package or deployment\n"
            "  --no-images     no image packages or image update status\n"
            "  --progress      report the phases on stderr\n\n"
            "CI_IDs start at %d; the first five updates are fixed:\n"
            "16777219 is KB5034441, 16777220 the 2024-01 Windows 11 23H2\n"
            "cumulative update (KB5034123).\n\n"
            "Exit status: 0 ok, 2 bad arguments or a database that is not\n"
            "empty, 1 internal error.\n",
            DEMO_MAX_UPDATES, DEMO_DEFAULT_UPDATES, DEMO_DEFAULT_SEED,
            DEMO_FIRST_CI_ID);
}

/* Parses an unsigned option value in [min, max]; prints the error. */
static int parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max,
                     uint64_t *out)
{
    if (util_parse_u64(s, strlen(s), max, out) != 0 || *out < min) {
        fprintf(stderr,
                "smsprov demo: %s needs a number from %llu to %llu, not "
                "'%s'\n",
                opt, (unsigned long long)min, (unsigned long long)max, s);
        return CLI_EINPUT;
    }
    return CLI_OK;
}

/* Deletes path if it is a regular file (a missing file is fine). */
static int remove_file(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISREG(sb.st_mode)) {
        errno = EISDIR;
        return -1;
    }
    return unlink(path);
}

/* Deletes the database and its WAL files (--force). */
static int remove_db(const char *db)
{
    static const char *const suffix[3] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char path[DEMO_PATH_MAX];
        int n = snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
        if (n < 0 || (size_t)n >= sizeof(path) || remove_file(path) != 0) {
            fprintf(stderr, "smsprov demo: cannot delete '%s': %s\n",
                    n >= 0 && (size_t)n < sizeof(path) ? path : db,
                    strerror(errno ? errno : ENAMETOOLONG));
            return CLI_EINPUT;
        }
    }
    return CLI_OK;
}

/* *out = true when some class table of the database has a row. */
static int db_has_instances(provider *p, bool *out, smsprov_error *err)
{
    const cim_schema *s = provider_schema(p);
    int rc = 0;
    *out = false;
    for (uint32_t i = 0; rc == 0 && !*out && i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        util_buf sql = UTIL_BUF_INIT(1024);
        store_stmt *st = NULL;
        if (!cim_class_is_concrete(c))
            continue;
        util_buf_puts(&sql, "SELECT 1 FROM ");
        store_sql_table(&sql, c);
        util_buf_puts(&sql, " LIMIT 1");
        rc = sql.failed
                 ? util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory")
                 : store_prepare(&st, provider_store(p), util_buf_cstr(&sql),
                                 err);
        if (rc == 0)
            rc = store_step(st, err);
        if (rc == 1) {
            *out = true;
            rc = 0;
        }
        store_stmt_free(st);
        util_buf_free(&sql);
    }
    return rc;
}

static int count_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                     void *payload)
{
    (void)plan;
    (void)parts;
    *(int64_t *)payload = count;
    return 0;
}

/* Prints the per-class counts through the query engine itself. */
static int print_summary(provider *p, smsprov_error *err)
{
    for (size_t i = 0; i < sizeof(summary) / sizeof(summary[0]); i++) {
        char wql[128];
        int64_t n = 0;
        int len =
            snprintf(wql, sizeof(wql), "SELECT COUNT(*) FROM %s", summary[i]);
        int rc = provider_query(p, wql, (size_t)len, count_row, &n, err);
        if (rc != 0)
            return rc;
        if (n > 0)
            printf("  %-30s %8lld\n", summary[i], (long long)n);
    }
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_demo(const cli_globals *g, int argc, char **argv)
{
    demo_opts o = DEMO_OPTS_INIT;
    cli_globals mine = *g;
    smsprov_error err = SMSPROV_ERROR_INIT;
    provider *p = NULL;
    bool force = false, busy = false;
    struct timespec t0;
    uint64_t v;
    int rc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (cli_is_help(a)) {
            print_help(stdout);
            return CLI_OK;
        } else if (strcmp(a, "--db") == 0 && has_value) {
            mine.db = argv[++i];
        } else if (strcmp(a, "--updates") == 0 && has_value) {
            if (parse_u64(a, argv[++i], 1, DEMO_MAX_UPDATES, &v) != CLI_OK)
                return CLI_EINPUT;
            o.updates = (uint32_t)v;
        } else if (strcmp(a, "--seed") == 0 && has_value) {
            if (parse_u64(a, argv[++i], 0, UINT64_MAX, &v) != CLI_OK)
                return CLI_EINPUT;
            o.seed = v;
        } else if (strcmp(a, "--force") == 0) {
            force = true;
        } else if (strcmp(a, "--no-devices") == 0) {
            o.devices = false;
        } else if (strcmp(a, "--no-images") == 0) {
            o.images = false;
        } else if (strcmp(a, "--progress") == 0) {
            o.progress = true;
        } else {
            fprintf(stderr, "smsprov demo: unexpected argument '%s'\n", a);
            print_help(stderr);
            return CLI_EINPUT;
        }
    }
    if (mine.db == NULL || mine.db[0] == '\0') {
        fprintf(stderr, "smsprov demo: no database: give --db PATH or set "
                        "SMSPROV_DB\n");
        return CLI_EINPUT;
    }
    if (force && remove_db(mine.db) != CLI_OK)
        return CLI_EINPUT;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = cli_open(&p, &mine);
    if (rc != CLI_OK)
        return rc;
    rc = db_has_instances(p, &busy, &err);
    if (rc == 0 && busy) {
        provider_close(p);
        fprintf(stderr,
                "smsprov demo: '%s' already holds instances; use another "
                "path or --force to delete it first\n",
                mine.db);
        return CLI_EINPUT;
    }
    if (rc == 0) {
        rc = demo_generate(p, &o, &err);
        if (rc != 0)
            fprintf(stderr, "smsprov demo: nothing written\n");
    }
    if (rc == 0) {
        printf("demo database %s: %u updates (seed %llu) in %.2f s\n", mine.db,
               o.updates, (unsigned long long)o.seed, seconds_since(&t0));
        rc = print_summary(p, &err);
    }
    provider_close(p);
    if (rc != 0)
        return cli_report(&err, NULL, 0);
    printf("\ntry:\n"
           "  smsprov --db %s query \"SELECT ArticleID, LocalizedDisplayName "
           "FROM SMS_SoftwareUpdate WHERE IsExpired = 0 AND IsSuperseded = 0 "
           "ORDER BY DatePosted DESC\"\n"
           "  smsprov --db %s get \"SMS_SoftwareUpdate.CI_ID=%d\"\n",
           mine.db, mine.db, DEMO_FIRST_CI_ID + 3);
    return CLI_OK;
}
