/* SPDX-License-Identifier: MIT */
/*
 * import_bench CATALOG WORKDIR: imports CATALOG (a wsusscn2.cab from
 * gen_catalog) into a fresh database in a child process, measuring wall
 * time and the child's peak RSS; then bulk-inserts the very same rows of
 * every SMS_* table (read back from that database and held in memory) into
 * a second fresh database with raw sqlite3 prepared INSERTs in one
 * transaction, and prints both and their ratio.  Run by bench/import-bench.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "provider/provider.h"
#include "sum/sum.h"
#include "util/util.h"

static double now_s(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

/* Child: the import itself; exit status 0 on success. */
static int do_import(const char *catalog, const char *db)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    sum_stats st;
    sum_options o = {0};
    o.expire_months = SUM_EXPIRE_STORED;
    if (provider_open(&p, db, &err) != 0) {
        fprintf(stderr, "open: %s\n", err.msg);
        return 1;
    }
    double t0 = now_s();
    if (sum_import(p, catalog, &o, &st, &err) != 0) {
        fprintf(stderr, "import: %s\n", err.msg);
        return 1;
    }
    double t1 = now_s();
    provider_close(p);
    printf("import: %llu added, %llu relations, %llu files, %llu categories, "
           "%llu skipped in %.2f s (%.0f updates/s)\n",
           (unsigned long long)st.added, (unsigned long long)st.relations,
           (unsigned long long)st.files, (unsigned long long)st.categories,
           (unsigned long long)st.skipped, t1 - t0, st.added / (t1 - t0));
    fflush(stdout);
    return 0;
}

/* Creates an empty database with the schema (what the import starts from). */
static int fresh_db(const char *db)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (provider_open(&p, db, &err) != 0) {
        fprintf(stderr, "open %s: %s\n", db, err.msg);
        return 1;
    }
    provider_close(p);
    return 0;
}

/* Rows of one table held in memory. */
typedef struct table {
    char name[256];
    int ncols;
    size_t nrows;
    sqlite3_value **vals; /* nrows * ncols */
    char *insert;         /* INSERT INTO "name" VALUES (?, ...) */
} table;

static int load_tables(const char *db, table **out, size_t *nout, size_t *total)
{
    sqlite3 *s;
    sqlite3_stmt *lst, *st;
    table *tv = NULL;
    size_t n = 0;
    *total = 0;
    if (sqlite3_open(db, &s) != SQLITE_OK)
        return 1;
    sqlite3_prepare_v2(s,
                       "SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name LIKE 'SMS\\_%' ESCAPE '\\' ORDER BY name",
                       -1, &lst, NULL);
    while (sqlite3_step(lst) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(lst, 0);
        char sql[600];
        snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", name);
        if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
            continue;
        table t;
        memset(&t, 0, sizeof(t));
        snprintf(t.name, sizeof(t.name), "%s", name);
        t.ncols = sqlite3_column_count(st);
        size_t cap = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (t.nrows == cap) {
                cap = cap ? cap * 2 : 1024;
                t.vals = util_realloc(t.vals, cap * t.ncols * sizeof(*t.vals));
            }
            for (int c = 0; c < t.ncols; c++)
                t.vals[t.nrows * t.ncols + c] =
                    sqlite3_value_dup(sqlite3_column_value(st, c));
            t.nrows++;
        }
        sqlite3_finalize(st);
        if (t.nrows == 0) {
            util_free(t.vals);
            continue;
        }
        size_t len = 64 + strlen(name) + 3 * (size_t)t.ncols;
        t.insert = util_malloc(len);
        int at = snprintf(t.insert, len, "INSERT INTO \"%s\" VALUES (", name);
        for (int c = 0; c < t.ncols; c++)
            at += snprintf(t.insert + at, len - at, c ? ",?" : "?");
        snprintf(t.insert + at, len - at, ")");
        tv = util_realloc(tv, (n + 1) * sizeof(*tv));
        tv[n++] = t;
        *total += t.nrows;
    }
    sqlite3_finalize(lst);
    sqlite3_close(s);
    *out = tv;
    *nout = n;
    return 0;
}

/* The baseline: the same rows, prepared INSERTs, one transaction. */
static double bulk_insert(const char *db, table *tv, size_t n)
{
    sqlite3 *s;
    if (sqlite3_open(db, &s) != SQLITE_OK)
        return -1;
    sqlite3_exec(s,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                 "PRAGMA cache_size=-32768",
                 NULL, NULL, NULL);
    double t0 = now_s();
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s, tv[i].insert, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "%s: %s\n", tv[i].name, sqlite3_errmsg(s));
            return -1;
        }
        for (size_t r = 0; r < tv[i].nrows; r++) {
            for (int c = 0; c < tv[i].ncols; c++)
                sqlite3_bind_value(st, c + 1, tv[i].vals[r * tv[i].ncols + c]);
            if (sqlite3_step(st) != SQLITE_DONE) {
                fprintf(stderr, "%s: %s\n", tv[i].name, sqlite3_errmsg(s));
                return -1;
            }
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
    double t1 = now_s();
    sqlite3_close(s);
    return t1 - t0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: import_bench CATALOG WORKDIR\n");
        return 2;
    }
    char db1[4096], db2[4096];
    snprintf(db1, sizeof(db1), "%s/import.db", argv[2]);
    snprintf(db2, sizeof(db2), "%s/baseline.db", argv[2]);
    unlink(db1);
    unlink(db2);
    if (fresh_db(db1) != 0 || fresh_db(db2) != 0)
        return 1;
    fflush(stdout);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0)
        _exit(do_import(argv[1], db1));
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "import failed\n");
        return 1;
    }
    double imp = now_s() - t0;
    double rss = ru.ru_maxrss / 1024.0;
    table *tv = NULL;
    size_t n = 0, rows = 0;
    load_tables(db1, &tv, &n, &rows);
    double base = bulk_insert(db2, tv, n);
    if (base <= 0)
        return 1;
    printf("rows:     %zu in %zu SMS_* tables (and side tables)\n", rows, n);
    printf("import:   %.2f s wall (process), peak RSS %.1f MiB\n", imp, rss);
    printf("baseline: %.2f s raw sqlite3 bulk insert of the same rows\n", base);
    printf("ratio:    %.2fx (target <= 3x); RSS target < 512 MiB: %s\n",
           imp / base, rss < 512 ? "met" : "MISSED");
    return 0;
}
