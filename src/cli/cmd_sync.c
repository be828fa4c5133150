/* SPDX-License-Identifier: MIT */
/*
 * smsprov sync: synchronizes the software-update catalog from the
 * configured source (a path or an HTTP(S) URL of wsusscn2.cab), the way
 * SMS_SoftwareUpdate.SyncNow does, and shows the last result.
 */
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sum/sum.h"

/* in cmd_import_catalog.c */
void cli_catalog_summary(FILE *f, const sum_stats *st);
int cli_catalog_options(int argc, char **argv, sum_options *o,
                        const char **path, bool *quiet, bool *store_expire,
                        bool *full, const char **source, bool *status);
int cli_catalog_store_expire(provider *p, int months, smsprov_error *err);

static void usage(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH sync [--source URL|PATH] [--full]\n"
            "         [--locale TAG]... [--expire-superseded never|immediately|"
            "MONTHS]\n"
            "         [--quiet] | sync --status\n\n"
            "Synchronizes the catalog from the configured source: a local\n"
            "wsusscn2.cab (or directory) or an http(s) URL.  A download is\n"
            "resumed when it broke, and skipped when the server says the\n"
            "catalog has not changed (If-Modified-Since); --full imports\n"
            "anyway.  --source, --locale and --expire-superseded are stored\n"
            "for later syncs (and SyncNow).  The result is recorded in\n"
            "SMS_SUPSyncStatus; --status prints it.\n");
}

/* Prints the SMS_SUPSyncStatus row(s) and the source. */
static int print_status(provider *p, smsprov_error *err)
{
    char *src = NULL;
    store_stmt *st = NULL;
    int rc = sum_setting_get(p, SUM_SET_SOURCE, &src, err);
    if (rc != 0)
        return rc;
    printf("source:               %s\n", src ? src : "(none)");
    util_free(src);
    rc = store_prepare(&st, provider_store(p),
                       "SELECT WSUSServerName, LastSyncStateTime, "
                       "LastSyncState, LastSyncErrorCode, "
                       "LastSuccessfulSyncTime, SyncCatalogVersion FROM "
                       "\"SMS_SUPSyncStatus\"",
                       err);
    if (rc != 0)
        return rc;
    int rows = 0;
    while (store_step(st, err) == 1) {
        char t1[40] = "never", t2[40] = "never";
        if (!store_column_is_null(st, 1))
            util_iso8601_format(store_column_int64(st, 1), t1);
        if (!store_column_is_null(st, 4))
            util_iso8601_format(store_column_int64(st, 4), t2);
        int64_t state = store_column_int64(st, 2);
        printf("server:               %s\n"
               "last sync:            %s (state %lld, %s, error 0x%08llx)\n"
               "last successful sync: %s\n"
               "catalog version:      %lld\n",
               store_column_text(st, 0, NULL), t1, (long long)state,
               state == 6702 ? "done" : "failed",
               (unsigned long long)store_column_int64(st, 3), t2,
               (long long)store_column_int64(st, 5));
        rows++;
    }
    store_stmt_free(st);
    if (rows == 0)
        printf("last sync:            never\n");
    return 0;
}

int cmd_sync(const cli_globals *g, int argc, char **argv)
{
    sum_options o;
    const char *path = NULL, *source = NULL;
    bool quiet = false, store_expire = false, full = false, status = false;
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            usage(stdout);
            return CLI_OK;
        }
    int rc = cli_catalog_options(argc, argv, &o, &path, &quiet, &store_expire,
                                 &full, &source, &status);
    if (rc != CLI_OK)
        return rc;
    if (path != NULL) {
        usage(stderr);
        return CLI_EINPUT;
    }
    rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    int code = 0;
    if (source)
        code = sum_setting_set(p, SUM_SET_SOURCE, source, &err);
    if (code == 0 && store_expire)
        code = cli_catalog_store_expire(p, o.expire_months, &err);
    if (code == 0 && o.nlocales > 0) {
        char list[SUM_MAX_LOCALES * 24] = "";
        size_t at = 0;
        for (int i = 0; i < o.nlocales && at < sizeof(list); i++)
            at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
                                   i ? "," : "", o.locales[i]);
        code = sum_setting_set(p, SUM_SET_LOCALES, list, &err);
    }
    if (code == 0 && status) {
        code = print_status(p, &err);
        provider_close(p);
        return code ? cli_report(&err, NULL, 0) : CLI_OK;
    }
    sum_sync_result res;
    int64_t t0 = util_now_us();
    if (code == 0)
        code = sum_sync(p, full, &o, &res, &err);
    provider_close(p);
    if (code != 0) {
        fprintf(stderr, "smsprov: sync failed (recorded in "
                        "SMS_SUPSyncStatus)\n");
        return cli_report(&err, NULL, 0);
    }
    if (!quiet) {
        if (!res.fetched && !full) {
            printf("catalog unchanged, nothing imported\n");
        } else {
            printf("synchronized in %.1f s (%llu bytes downloaded%s)\n",
                   (util_now_us() - t0) / 1e6,
                   (unsigned long long)res.downloaded,
                   res.resumed ? ", resumed" : "");
            cli_catalog_summary(stdout, &res.stats);
        }
    }
    return CLI_OK;
}
