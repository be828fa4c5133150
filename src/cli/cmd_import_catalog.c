/* SPDX-License-Identifier: MIT */
/*
 * smsprov import-catalog: imports a Microsoft Update catalog (wsusscn2.cab,
 * its extracted directory, or a directory of update XML documents) into
 * SMS_SoftwareUpdate and its neighbours (src/sum).  A progress bar on a
 * terminal, a summary at the end; all or nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sum/sum.h"

#define BAR_WIDTH 24

/* Progress bar state. */
typedef struct bar {
    int64_t t0; /* start, us */
    bool shown; /* something was drawn (clear it at the end) */
} bar;

static void fmt_bytes(char *out, size_t n, uint64_t b)
{
    if (b >= 1024ull * 1024 * 1024)
        snprintf(out, n, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    else
        snprintf(out, n, "%.1f MiB", b / (1024.0 * 1024));
}

/* Draws one line on stderr: phase, bar, rate, bytes, ETA. */
static void draw(const sum_progress *pr, void *payload)
{
    bar *b = payload;
    double secs = (util_now_us() - b->t0) / 1e6;
    double frac = 0;
    if (pr->total > 0 && pr->updates > 0)
        frac = (double)pr->updates / (double)pr->total;
    else if (pr->bytes_total > 0)
        frac = (double)pr->bytes / (double)pr->bytes_total;
    if (frac > 1 || (pr->phase && strcmp(pr->phase, "done") == 0))
        frac = 1;
    int fill = (int)(frac * BAR_WIDTH);
    char bars[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; i++)
        bars[i] = i < fill ? '=' : ' ';
    bars[BAR_WIDTH] = '\0';
    char bytes[32], eta[32] = "--:--";
    fmt_bytes(bytes, sizeof(bytes), pr->bytes);
    double rate = secs > 0 ? pr->updates / secs : 0;
    if (frac > 0.01 && frac < 1) {
        long left = (long)(secs / frac - secs);
        snprintf(eta, sizeof(eta), "%ld:%02ld", left / 60, left % 60);
    }
    fprintf(stderr, "\r%-20.20s [%s] %3d%% %llu upd %.0f upd/s %s ETA %s   ",
            pr->phase ? pr->phase : "", bars, (int)(frac * 100),
            (unsigned long long)pr->updates, rate, bytes, eta);
    fflush(stderr);
    b->shown = true;
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: smsprov --db PATH import-catalog FILE|DIR [--locale TAG]...\n"
        "         [--expire-superseded never|immediately|MONTHS] [--quiet]\n\n"
        "Imports a Microsoft Update catalog: wsusscn2.cab, its extracted\n"
        "directory (index.xml, package/package.xml, packageN/), or a\n"
        "directory of <upd:Update> documents, into SMS_SoftwareUpdate,\n"
        "SMS_CategoryInstance, SMS_CIAllCategories, SMS_CIRelation,\n"
        "SMS_CIToContent and SMS_CIContentFiles, in one transaction.\n"
        "Re-importing a newer catalog is incremental (CI_IDs are kept;\n"
        "missing updates expire; CustomSeverity, IsHidden and EULA\n"
        "acceptance survive).\n\n"
        "  --locale TAG     import this language (repeatable; default en);\n"
        "                   the first one fills the Localized* properties\n"
        "  --expire-superseded never|immediately|MONTHS\n"
        "                   expiry rule for superseded updates (stored;\n"
        "                   default 3 months)\n"
        "  --quiet          no summary\n");
}

/* Parses an --expire-superseded value into months (or NEVER). */
static int parse_expire(const char *v, int *months)
{
    int64_t m;
    if (util_stricmp(v, "never") == 0)
        *months = SUM_EXPIRE_NEVER;
    else if (util_stricmp(v, "immediately") == 0 || strcmp(v, "now") == 0)
        *months = 0;
    else if (util_parse_i64(v, strlen(v), 0, 1200, &m) == 0)
        *months = (int)m;
    else
        return -1;
    return 0;
}

/* Shared by import-catalog and sync: prints the counts of an import. */
void cli_catalog_summary(FILE *f, const sum_stats *st)
{
    fprintf(
        f,
        "  added       %llu\n  revised     %llu\n  unchanged   %llu\n"
        "  expired     %llu\n  superseded  %llu\n  categories  %llu\n"
        "  relations   %llu\n  files       %llu\n"
        "  skipped     %llu (detectoids %llu, other languages %llu, "
        "invalid or duplicate %llu)\n",
        (unsigned long long)st->added, (unsigned long long)st->revised,
        (unsigned long long)st->unchanged, (unsigned long long)st->expired,
        (unsigned long long)st->superseded, (unsigned long long)st->categories,
        (unsigned long long)st->relations, (unsigned long long)st->files,
        (unsigned long long)st->skipped, (unsigned long long)st->skip_detectoid,
        (unsigned long long)st->skip_locale,
        (unsigned long long)st->skip_invalid);
    if (st->no_metadata || st->unresolved)
        fprintf(f,
                "  notes       %llu without c/x/l metadata, %llu relation "
                "targets not in the database\n",
                (unsigned long long)st->no_metadata,
                (unsigned long long)st->unresolved);
}

/* Parses the options shared with sync into o; returns the index of the
 * first non-option argument count via *path (NULL when none). */
int cli_catalog_options(int argc, char **argv, sum_options *o,
                        const char **path, bool *quiet, bool *store_expire,
                        bool *full, const char **source, bool *status)
{
    memset(o, 0, sizeof(*o));
    o->expire_months = SUM_EXPIRE_STORED;
    *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--locale") == 0 && i + 1 < argc) {
            if (o->nlocales >= SUM_MAX_LOCALES) {
                fprintf(stderr, "smsprov: at most %d locales\n",
                        SUM_MAX_LOCALES);
                return CLI_EINPUT;
            }
            o->locales[o->nlocales++] = argv[++i];
        } else if (strcmp(a, "--expire-superseded") == 0 && i + 1 < argc) {
            if (parse_expire(argv[++i], &o->expire_months) != 0) {
                fprintf(stderr, "smsprov: --expire-superseded takes never, "
                                "immediately or a number of months\n");
                return CLI_EINPUT;
            }
            *store_expire = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            *quiet = true;
        } else if (full && strcmp(a, "--full") == 0) {
            *full = true;
        } else if (status && strcmp(a, "--status") == 0) {
            *status = true;
        } else if (source && strcmp(a, "--source") == 0 && i + 1 < argc) {
            *source = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "smsprov: unknown option '%s'\n", a);
            return CLI_EINPUT;
        } else if (*path == NULL) {
            *path = a;
        } else {
            fprintf(stderr, "smsprov: unexpected argument '%s'\n", a);
            return CLI_EINPUT;
        }
    }
    return CLI_OK;
}

/* Stores the expiry rule given on the command line. */
int cli_catalog_store_expire(provider *p, int months, smsprov_error *err)
{
    char v[16];
    if (months == SUM_EXPIRE_NEVER)
        snprintf(v, sizeof(v), "never");
    else
        snprintf(v, sizeof(v), "%d", months);
    return sum_setting_set(p, SUM_SET_EXPIRE_MONTHS, v, err);
}

int cmd_import_catalog(const cli_globals *g, int argc, char **argv)
{
    sum_options o;
    const char *path = NULL;
    bool quiet = false, store_expire = false;
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    sum_stats st;
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i])) {
            usage(stdout);
            return CLI_OK;
        }
    int rc = cli_catalog_options(argc, argv, &o, &path, &quiet, &store_expire,
                                 NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (path == NULL) {
        usage(stderr);
        return CLI_EINPUT;
    }
    rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    bar b = {util_now_us(), false};
    if (isatty(STDERR_FILENO) && !quiet) {
        o.progress = draw;
        o.payload = &b;
    }
    int code = 0;
    if (store_expire)
        code = cli_catalog_store_expire(p, o.expire_months, &err);
    if (code == 0)
        code = sum_import(p, path, &o, &st, &err);
    if (b.shown)
        fprintf(stderr, "\r%*s\r", 110, "");
    provider_close(p);
    if (code != 0) {
        fprintf(stderr, "smsprov: nothing imported\n");
        return cli_report(&err, NULL, 0);
    }
    if (!quiet) {
        printf("imported %s in %.1f s\n", path, (util_now_us() - b.t0) / 1e6);
        cli_catalog_summary(stdout, &st);
    }
    return CLI_OK;
}
