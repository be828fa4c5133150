/* SPDX-License-Identifier: MIT */
/*
 * query_bench: smsprov's query engine against hand-written SQL on the same
 * SQLite file.  For each query shape it times (i) provider_query with a row
 * callback that touches every returned value and (ii) the SQL a competent
 * engineer would write for the same result, prepared and stepped directly,
 * reading the same columns; each as the median of R runs of the whole
 * query (prepare included) after a warm-up.  Prints one line per shape,
 * "<shape> <smsprov_ms> <sql_ms> <ratio>", and "max_ratio <r>" last.
 * Both sides also sum what they read; a mismatch is reported and fails.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/demo_data.h"

#define BENCH_DEFAULT_REPS 7
#define BENCH_MAX_REPS 2001

/* One query shape: the WQL and the hand-written equivalent. */
typedef struct bench_shape {
    const char *name;  /* printed first on its line */
    const char *wql;   /* what an admin types */
    const char *sql;   /* what an engineer writes against the layout */
    const char *param; /* text bound to ?1 of sql, or NULL */
    bool checksum;     /* both sides must read identical values */
} bench_shape;

static const bench_shape shapes[] = {
    {"article_eq",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName FROM SMS_SoftwareUpdate "
     "WHERE ArticleID = '5034441'",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName FROM SMS_SoftwareUpdate "
     "WHERE ArticleID = ?1",
     "5034441", true},
    {"title_like",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName, DatePosted FROM "
     "SMS_SoftwareUpdate WHERE LocalizedDisplayName LIKE "
     "'%Cumulative%Windows 11%'",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName, DatePosted FROM "
     "SMS_SoftwareUpdate WHERE LocalizedDisplayName LIKE ?1",
     "%Cumulative%Windows 11%", true},
    {"join_relation_category",
     "SELECT u.CI_ID, u.ArticleID, u.LocalizedDisplayName, r.ToCIID FROM "
     "SMS_SoftwareUpdate AS u JOIN SMS_CIRelation AS r ON r.FromCIID = "
     "u.CI_ID JOIN SMS_CIAllCategories AS c ON c.CI_ID = u.CI_ID WHERE "
     "c.LocalizedCategoryInstanceName = 'Security Updates' AND "
     "r.RelationType = 6",
     "SELECT u.CI_ID, u.ArticleID, u.LocalizedDisplayName, r.ToCIID FROM "
     "SMS_SoftwareUpdate u JOIN SMS_CIRelation r ON r.FromCIID = u.CI_ID "
     "JOIN SMS_CIAllCategories c ON c.CI_ID = u.CI_ID WHERE "
     "c.LocalizedCategoryInstanceName = ?1 AND r.RelationType = 6",
     "Security Updates", true},
    {"count", "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsExpired = 0",
     "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsExpired = 0", NULL, true},
    {"order_by",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName, DatePosted, Severity "
     "FROM SMS_SoftwareUpdate WHERE Severity >= 8 ORDER BY DatePosted DESC",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName, DatePosted, Severity "
     "FROM SMS_SoftwareUpdate WHERE Severity >= 8 ORDER BY DatePosted DESC",
     NULL, true},
    {"array_any",
     "SELECT CI_ID, ArticleID, LocalizedDisplayName FROM SMS_SoftwareUpdate "
     "WHERE CategoryInstance_UniqueIDs = "
     "'UpdateClassification:0fa1201d-4330-4fa8-8ae9-b877473b6441'",
     "SELECT u.CI_ID, u.ArticleID, u.LocalizedDisplayName FROM "
     "SMS_SoftwareUpdate u JOIN \"SMS_SoftwareUpdate__CategoryInstance_"
     "UniqueIDs\" s ON s.oid = u.rowid WHERE s.v = ?1",
     "UpdateClassification:0fa1201d-4330-4fa8-8ae9-b877473b6441", true},
};

#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* What one run read. */
typedef struct bench_run {
    uint64_t rows; /* rows returned */
    uint64_t sum;  /* string lengths + integer values read */
} bench_run;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Reads a value the way a caller would: every byte of strings, ints. */
static uint64_t touch(const cim_value *v)
{
    uint64_t s = 0;
    if (v->is_null)
        return 0;
    if (v->is_array) {
        for (uint32_t i = 0; i < v->count; i++)
            s += touch(&v->v.items[i]);
        return s;
    }
    switch (v->type) {
    case CIM_STRING:
    case CIM_CHAR16:
    case CIM_REFERENCE:
        return strlen(v->v.s);
    case CIM_REAL32:
    case CIM_REAL64:
        return (uint64_t)v->v.r;
    case CIM_BOOLEAN:
        return v->v.b;
    case CIM_OBJECT:
        return 1;
    default:
        return (uint64_t)v->v.i;
    }
}

static int on_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                  void *payload)
{
    bench_run *r = payload;
    r->rows++;
    if (parts == NULL) {
        r->sum += (uint64_t)count;
        return 0;
    }
    for (uint32_t i = 0; i < plan->ncols; i++) {
        const wql_outcol *oc = &plan->cols[i];
        const cim_instance *inst = parts[oc->part];
        if (inst != NULL && !oc->implicit)
            r->sum += touch(&inst->values[oc->prop->index]);
    }
    return 0;
}

static int run_smsprov(provider *p, const bench_shape *s, bench_run *r)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    memset(r, 0, sizeof(*r));
    if (provider_query(p, s->wql, strlen(s->wql), on_row, r, &err) != 0) {
        fprintf(stderr, "query_bench: %s: %s\n", s->name, err.msg);
        return -1;
    }
    return 0;
}

static int run_sql(sqlite3 *db, const bench_shape *s, bench_run *r)
{
    sqlite3_stmt *st = NULL;
    int rc;
    memset(r, 0, sizeof(*r));
    if (sqlite3_prepare_v2(db, s->sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "query_bench: %s: %s\n", s->name, sqlite3_errmsg(db));
        return -1;
    }
    if (s->param)
        sqlite3_bind_text(st, 1, s->param, -1, SQLITE_STATIC);
    int ncol = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        r->rows++;
        for (int i = 0; i < ncol; i++)
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER:
                r->sum += (uint64_t)sqlite3_column_int64(st, i);
                break;
            case SQLITE_FLOAT:
                r->sum += (uint64_t)sqlite3_column_double(st, i);
                break;
            case SQLITE_TEXT:
                r->sum += strlen((const char *)sqlite3_column_text(st, i));
                break;
            default:
                break;
            }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "query_bench: %s: %s\n", s->name, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/*
 * --split: the planner's own SQL run by hand (prepare, bind, step, read),
 * to tell the SQL shape from the engine's row handling; *compile_ms is
 * the time of wql_compile alone.
 */
static int run_planner_sql(provider *p, sqlite3 *db, const bench_shape *s,
                           bench_run *r, double *compile_ms)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    util_arena *a = util_arena_new();
    wql_plan *plan = NULL;
    sqlite3_stmt *st = NULL;
    int rc = -1;
    memset(r, 0, sizeof(*r));
    double t0 = now_ms();
    if (a == NULL ||
        wql_compile(&plan, a, provider_schema(p), s->wql, strlen(s->wql),
                    WQL_DIALECT_SQLITE, util_now_us(), &err) != 0)
        goto out;
    *compile_ms = now_ms() - t0;
    if (sqlite3_prepare_v2(db, plan->sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    for (uint32_t i = 0; i < plan->nparams; i++) {
        const cim_value *v = &plan->params[i];
        if (v->type == CIM_STRING || v->type == CIM_CHAR16)
            sqlite3_bind_text(st, (int)i + 1, v->v.s, -1, SQLITE_STATIC);
        else if (v->type == CIM_BOOLEAN)
            sqlite3_bind_int64(st, (int)i + 1, v->v.b);
        else if (v->type == CIM_REAL32 || v->type == CIM_REAL64)
            sqlite3_bind_double(st, (int)i + 1, v->v.r);
        else
            sqlite3_bind_int64(st, (int)i + 1, v->v.i);
    }
    int ncol = sqlite3_column_count(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        r->rows++;
        for (int i = 0; i < ncol; i++)
            if (sqlite3_column_type(st, i) == SQLITE_TEXT)
                r->sum += strlen((const char *)sqlite3_column_text(st, i));
            else
                r->sum += (uint64_t)sqlite3_column_int64(st, i);
    }
    rc = 0;
out:
    sqlite3_finalize(st);
    util_arena_free(a);
    return rc;
}

/* Count of updates in the database (0 for a new file). */
static int64_t count_updates(provider *p)
{
    int64_t n = -1;
    smsprov_error err = SMSPROV_ERROR_INIT;
    static const char wql[] = "SELECT COUNT(*) FROM SMS_SoftwareUpdate";
    bench_run r = {0, 0};
    if (provider_query(p, wql, sizeof(wql) - 1, on_row, &r, &err) == 0)
        n = (int64_t)r.sum;
    return n;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: query_bench --db PATH [--updates N] [--reps R] "
            "[--shape NAME] [--split]\n"
            "Generates PATH with N demo updates (default %d) when it is "
            "new,\nthen times each query shape (R runs, default %d).\n",
            DEMO_DEFAULT_UPDATES, BENCH_DEFAULT_REPS);
}

int main(int argc, char **argv)
{
    const char *path = NULL, *only = NULL;
    demo_opts o = DEMO_OPTS_INIT;
    int reps = BENCH_DEFAULT_REPS;
    bool split = false;
    provider *p = NULL;
    sqlite3 *db = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    double max_ratio = 0;
    int rc = 1;
    for (int i = 1; i < argc; i++) {
        uint64_t v = 0;
        bool more = i + 1 < argc;
        if (strcmp(argv[i], "--db") == 0 && more)
            path = argv[++i];
        else if (strcmp(argv[i], "--shape") == 0 && more)
            only = argv[++i];
        else if (strcmp(argv[i], "--split") == 0)
            split = true;
        else if (strcmp(argv[i], "--updates") == 0 && more &&
                 util_parse_u64(argv[i + 1], strlen(argv[i + 1]),
                                DEMO_MAX_UPDATES, &v) == 0 &&
                 v > 0) {
            o.updates = (uint32_t)v;
            i++;
        } else if (strcmp(argv[i], "--reps") == 0 && more &&
                   util_parse_u64(argv[i + 1], strlen(argv[i + 1]),
                                  BENCH_MAX_REPS, &v) == 0 &&
                   v > 0) {
            reps = (int)v;
            i++;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    if (provider_open(&p, path, &err) != 0) {
        fprintf(stderr, "query_bench: %s\n", err.msg);
        return 1;
    }
    int64_t have = count_updates(p);
    if (have == 0) {
        double t0 = now_ms();
        o.progress = true;
        fprintf(stderr, "query_bench: generating %u updates into %s\n",
                o.updates, path);
        if (demo_generate(p, &o, &err) != 0) {
            fprintf(stderr, "query_bench: %s\n", err.msg);
            goto out;
        }
        fprintf(stderr, "query_bench: generated in %.1f s\n",
                (now_ms() - t0) / 1e3);
    } else if (have != (int64_t)o.updates) {
        fprintf(stderr, "query_bench: %s holds %lld updates, not %u\n", path,
                (long long)have, o.updates);
        goto out;
    }
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "query_bench: cannot open %s\n", path);
        goto out;
    }
    rc = 0;
    for (size_t k = 0; k < NSHAPES; k++) {
        const bench_shape *s = &shapes[k];
        double ta[BENCH_MAX_REPS], tb[BENCH_MAX_REPS];
        bench_run a, b;
        if (only && strcmp(only, s->name) != 0)
            continue;
        if (run_smsprov(p, s, &a) != 0 || run_sql(db, s, &b) != 0) {
            rc = 1;
            continue;
        }
        if (s->checksum && (a.rows != b.rows || a.sum != b.sum)) {
            fprintf(stderr,
                    "query_bench: %s: results differ: smsprov %llu rows "
                    "(sum %llu), SQL %llu rows (sum %llu)\n",
                    s->name, (unsigned long long)a.rows,
                    (unsigned long long)a.sum, (unsigned long long)b.rows,
                    (unsigned long long)b.sum);
            rc = 1;
        }
        /* alternate the two, and which goes first, so that drift and
         * cache warmth hit both alike */
        for (int r = 0; r < reps; r++) {
            for (int side = 0; side < 2; side++) {
                bool engine = (side == 0) == (r % 2 == 0);
                double t = now_ms();
                if (engine)
                    run_smsprov(p, s, &a);
                else
                    run_sql(db, s, &b);
                (engine ? ta : tb)[r] = now_ms() - t;
            }
        }
        if (split) {
            double tc[BENCH_MAX_REPS], tr[BENCH_MAX_REPS];
            bench_run c;
            for (int r = 0; r < reps; r++) {
                double t = now_ms();
                run_planner_sql(p, db, s, &c, &tc[r]);
                tr[r] = now_ms() - t - tc[r];
            }
            fprintf(stderr,
                    "# %s: compile %.4f ms, planner SQL by hand "
                    "%.4f ms\n",
                    s->name, median(tc, reps), median(tr, reps));
        }
        double ma = median(ta, reps), mb = median(tb, reps);
        double ratio = mb > 0 ? ma / mb : 0;
        if (ratio > max_ratio)
            max_ratio = ratio;
        fprintf(stderr, "# %s: %llu rows\n", s->name,
                (unsigned long long)b.rows);
        printf("%s %.4f %.4f %.2f\n", s->name, ma, mb, ratio);
        fflush(stdout);
    }
    printf("max_ratio %.2f\n", max_ratio);
out:
    sqlite3_close(db);
    provider_close(p);
    return rc;
}
