/* SPDX-License-Identifier: MIT */
/*
 * End of an import: resolves the queued relations to CI_IDs and rewrites
 * the bundle (1), prerequisite (2) and supersedence (6) rows of every
 * update in the catalog, records when each update became superseded,
 * recomputes IsSuperseded / IsExpired / IsDeployable with the expiry rule,
 * stores the counters and commits.
 */
#include <string.h>

#include "sum/writer_int.h"

/* now minus `months` calendar months (day clamped to 28). */
static int64_t months_ago(int64_t now, int months)
{
    int64_t days = now / 86400000000LL;
    int64_t rest = now - days * 86400000000LL;
    int64_t y;
    unsigned m, d;
    util_civil_from_days(days, &y, &m, &d);
    int64_t total = y * 12 + (m - 1) - months;
    y = total / 12;
    m = (unsigned)(total % 12) + 1;
    if (d > 28)
        d = 28;
    return util_days_from_civil(y, m, d) * 86400000000LL + rest;
}

/* Runs one statement with up to three integer parameters; *changes gets
 * the number of rows it changed. */
static int exec3(sum_writer *w, const char *sql, int nargs, int64_t a,
                 int64_t b, int64_t c, int64_t *changes, smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = store_prepare(&st, w->s, sql, err);
    if (rc != 0)
        return rc;
    int64_t v[3] = {a, b, c};
    for (int i = 0; i < nargs; i++)
        store_bind_int64(st, i + 1, v[i]);
    rc = store_step(st, err);
    if (rc >= 0 && changes)
        *changes = store_changes(w->s);
    store_stmt_free(st);
    return rc < 0 ? rc : 0;
}

/*
 * Makes the Boolean `col` of SMS_SoftwareUpdate follow the `flag` column of
 * temp.sum_flags (and `inverse`, when given, its opposite: IsDeployable
 * against IsExpired).  Only rows that change are written; *turned_on counts
 * those set to true.
 */
static int apply_flag(sum_writer *w, const char *col, const char *inverse,
                      const char *flag, int64_t *turned_on, smsprov_error *err)
{
    char sql[512];
    int rc = 0;
    for (int on = 1; on >= 0 && rc == 0; on--) {
        char extra[64] = "";
        if (inverse != NULL)
            snprintf(extra, sizeof(extra), ", %s = %d", inverse, !on);
        snprintf(sql, sizeof(sql),
                 "UPDATE \"SMS_SoftwareUpdate\" SET %s = %d%s WHERE %s = %d "
                 "AND CI_ID IN (SELECT ci_id FROM temp.sum_flags WHERE %s%s)",
                 col, on, extra, col, !on, on ? "" : "NOT ", flag);
        rc = exec3(w, sql, 0, 0, 0, 0, on ? turned_on : NULL, err);
    }
    return rc;
}

/* Rewrites the relations of every update seen in this import. */
static int write_relations(sum_writer *w, smsprov_error *err)
{
    int rc = exec3(w,
                   "DELETE FROM \"SMS_CIRelation\" WHERE RelationType IN "
                   "(1, 2, 6) AND FromCIID IN (SELECT ci_id FROM sum_ci_map "
                   "WHERE last_import = ?)",
                   1, w->serial, 0, 0, NULL, err);
    int64_t n = 0;
    /* targets are updates that have a row (sum_ci_map holds exactly
     * those); a self-reference is dropped */
    if (rc == 0)
        rc = exec3(w,
                   "INSERT OR IGNORE INTO \"SMS_CIRelation\" (FromCIID, "
                   "ToCIID, IsBroken, IsVersionSpecific, Priority, "
                   "RelationType) SELECT p.from_ci, m.ci_id, 0, 0, 0, p.type "
                   "FROM temp.sum_pend p JOIN sum_ci_map m ON m.uid = "
                   "p.to_uid WHERE m.ci_id <> p.from_ci",
                   0, 0, 0, 0, &n, err);
    w->st.relations = (uint64_t)n;
    store_stmt *st = NULL;
    if (rc == 0)
        rc = store_prepare(&st, w->s,
                           "SELECT COUNT(*) FROM temp.sum_pend p WHERE NOT "
                           "EXISTS (SELECT 1 FROM sum_ci_map m WHERE m.uid = "
                           "p.to_uid) AND NOT EXISTS (SELECT 1 FROM "
                           "temp.sum_det d WHERE d.uid = p.to_uid)",
                           err);
    if (rc == 0 && store_step(st, err) == 1)
        w->st.unresolved = (uint64_t)store_column_int64(st, 0);
    store_stmt_free(st);
    return rc;
}

/* Supersedence dates, then the IsSuperseded / IsExpired flags. */
static int write_flags(sum_writer *w, smsprov_error *err)
{
    int64_t n = 0;
    int full = !w->o.partial;
    /* updates absent from a complete catalog are expired there */
    int rc = exec3(w,
                   "UPDATE sum_ci_map SET catalog_expired = 1 WHERE ?1 AND "
                   "(last_import IS NULL OR last_import <> ?2)",
                   2, full, w->serial, 0, NULL, err);
    if (rc == 0)
        rc = exec3(w,
                   "UPDATE sum_ci_map SET superseded_since = ? WHERE "
                   "superseded_since IS NULL AND ci_id IN (SELECT ToCIID "
                   "FROM \"SMS_CIRelation\" WHERE RelationType = 6)",
                   1, w->now, 0, 0, NULL, err);
    if (rc == 0)
        rc = exec3(w,
                   "UPDATE sum_ci_map SET superseded_since = NULL WHERE "
                   "superseded_since IS NOT NULL AND ci_id NOT IN (SELECT "
                   "ToCIID FROM \"SMS_CIRelation\" WHERE RelationType = 6)",
                   0, 0, 0, 0, NULL, err);
    if (rc == 0)
        rc = exec3(w,
                   "CREATE TEMP TABLE IF NOT EXISTS sum_flags (ci_id INTEGER "
                   "PRIMARY KEY, sup INTEGER, exp INTEGER)",
                   0, 0, 0, 0, NULL, err);
    if (rc == 0)
        rc = exec3(w, "DELETE FROM temp.sum_flags", 0, 0, 0, 0, NULL, err);
    /* expiry rule: superseded for `months` (never when < 0) */
    int64_t cutoff =
        w->expire_months < 0 ? INT64_MIN : months_ago(w->now, w->expire_months);
    if (rc == 0)
        rc = exec3(w,
                   "INSERT INTO temp.sum_flags SELECT ci_id, "
                   "superseded_since IS NOT NULL, catalog_expired OR "
                   "(?1 AND superseded_since IS NOT NULL AND "
                   "superseded_since <= ?2) FROM sum_ci_map",
                   2, w->expire_months >= 0, cutoff, 0, NULL, err);
    if (rc == 0)
        rc = apply_flag(w, "IsSuperseded", NULL, "sup", &n, err);
    w->st.superseded = (uint64_t)n;
    n = 0;
    if (rc == 0)
        rc = apply_flag(w, "IsExpired", "IsDeployable", "exp", &n, err);
    w->st.expired = (uint64_t)n;
    if (rc == 0)
        rc = exec3(w, "DROP TABLE temp.sum_flags", 0, 0, 0, 0, NULL, err);
    return rc;
}

/* Stores the counters (next CI_ID, import serial). */
static int save_counters(sum_writer *w, smsprov_error *err)
{
    char v[32];
    snprintf(v, sizeof(v), "%lld", (long long)w->next_ci);
    int rc = sum_setting_set(w->p, "sum.next_ci_id", v, err);
    snprintf(v, sizeof(v), "%lld", (long long)w->serial);
    if (rc == 0)
        rc = sum_setting_set(w->p, "sum.import_serial", v, err);
    return rc;
}

int sum_writer_finish(sum_writer *w, sum_stats *st, smsprov_error *err)
{
    sum_writer_progress(w, "relations", w->total, w->bytes, w->bytes_total);
    int rc = write_relations(w, err);
    if (rc == 0)
        rc = write_flags(w, err);
    if (rc == 0)
        rc = save_counters(w, err);
    if (rc == 0)
        rc = store_commit(w->s, err);
    if (rc == 0) {
        w->in_tx = false;
        sum_writer_progress(w, "done", w->total, w->bytes, w->bytes_total);
        if (st)
            *st = w->st;
    }
    return rc;
}
