/* SPDX-License-Identifier: MIT */
/*
 * The rows that record servicing: SMS_ImageServicingProgress (one per
 * image and schedule, rewritten as a run advances), SMS_ImageUpdateHistory
 * (one per run), the schedule's State / LastRunDateTime / Action, the
 * closing of runs that died (Running while nobody holds the WIM's lock),
 * and a small collector of one property over a WQL query.
 */
#include <stdio.h>
#include <string.h>

#include "image/image_int.h"
#include "image/image_row.h"
#include "image/image_run.h"

/* ---- small query helpers ------------------------------------------------ */

typedef struct collect {
    util_arena *a;
    const char *prop;
    int64_t *ints;
    const char **strs;
    size_t n, icap, scap;
    bool nomem;
} collect;

static int on_collect(const wql_plan *plan, cim_instance **parts, int64_t count,
                      void *payload)
{
    (void)plan, (void)count;
    collect *c = payload;
    const cim_value *v = cim_instance_get_by_name(parts[0], c->prop);
    if (v == NULL || v->is_null)
        return 0;
    int64_t *ni = util_arena_grow(c->a, c->ints, c->n, &c->icap, sizeof(*ni));
    const char **ns =
        ni ? util_arena_grow(c->a, c->strs, c->n, &c->scap, sizeof(*ns)) : NULL;
    if (ns == NULL)
        return c->nomem = true, SMSPROV_ENOMEM;
    c->ints = ni;
    c->strs = ns;
    bool str = v->type == CIM_STRING;
    c->ints[c->n] = str ? 0 : v->v.i;
    c->strs[c->n] = str ? util_arena_strdup(c->a, v->v.s) : NULL;
    if (str && c->strs[c->n] == NULL)
        return c->nomem = true, SMSPROV_ENOMEM;
    c->n++;
    return 0;
}

int image_collect(provider *p, util_arena *a, const char *wql, const char *prop,
                  int64_t **ints, const char ***strs, uint32_t *n,
                  smsprov_error *err)
{
    collect c = {a, prop, NULL, NULL, 0, 0, 0, false};
    int rc = provider_query(p, wql, strlen(wql), on_collect, &c, err);
    if (rc != 0 && c.nomem)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (ints != NULL)
        *ints = c.ints;
    if (strs != NULL)
        *strs = c.strs;
    *n = (uint32_t)c.n;
    return rc;
}

/* ---- progress, history, schedule rows ----------------------------------- */

int image_progress_put(provider *p, const char *pkgid, int32_t sched,
                       int status, int32_t win32, int32_t failed, int64_t when,
                       smsprov_error *err)
{
    image_row r;
    int rc = image_row_new(&r, p, "SMS_ImageServicingProgress", err);
    if (rc != 0)
        return rc;
    image_row_str(&r, "ImagePackageID", pkgid);
    image_row_int(&r, "ScheduleID", sched);
    image_row_int(&r, "Status", status);
    image_row_int(&r, "Win32ErrorCode", win32);
    image_row_int(&r, "FailedUpdateID", failed);
    image_row_time(&r, "RunDateTime", when);
    return image_row_put(&r, p);
}

int image_history_put(provider *p, const char *pkgid, int32_t sched, int status,
                      int32_t failed, int64_t when, smsprov_error *err)
{
    image_row r;
    int rc = image_row_new(&r, p, "SMS_ImageUpdateHistory", err);
    if (rc != 0)
        return rc;
    image_row_str(&r, "ImagePackageID", pkgid);
    image_row_int(&r, "ScheduleID", sched);
    image_row_time(&r, "RunDateTime", when);
    image_row_int(&r, "Status", status);
    image_row_int(&r, "FailedUpdateID", failed);
    return image_row_put(&r, p);
}

int image_schedule_state(provider *p, int32_t sched, int state, int64_t last,
                         bool clear_action, smsprov_error *err)
{
    image_row r;
    int rc = image_row_new(&r, p, "SMS_ImageServicingSchedule", err);
    if (rc != 0)
        return rc;
    image_row_int(&r, "ScheduleID", sched);
    image_row_int(&r, "State", state);
    if (last != INT64_MIN)
        image_row_time(&r, "LastRunDateTime", last);
    if (clear_action)
        image_row_int(&r, "Action", IMAGE_ACTION_NONE);
    return image_row_put(&r, p);
}

/* One Running progress row: its schedule and when the run started. */
typedef struct stale_run {
    int32_t sched;
    int64_t started;
} stale_run;

typedef struct stale_list {
    util_arena *a;
    stale_run *v;
    size_t n, cap;
    bool nomem;
} stale_list;

static int on_stale(const wql_plan *plan, cim_instance **parts, int64_t count,
                    void *payload)
{
    (void)plan, (void)count;
    stale_list *l = payload;
    stale_run *v = util_arena_grow(l->a, l->v, l->n, &l->cap, sizeof(*v));
    if (v == NULL)
        return l->nomem = true, SMSPROV_ENOMEM;
    v[l->n++] =
        (stale_run){(int32_t)cim_instance_int(parts[0], "ScheduleID", 0),
                    cim_instance_int(parts[0], "RunDateTime", util_now_us())};
    l->v = v;
    return 0;
}

/* Closes the progress rows of runs that died (Status Running while nobody
 * holds the WIM's lock): Failed, ERROR_OPERATION_ABORTED, with a history
 * row under the dead run's start.  The caller rescans the package. */
int image_close_stale(provider *p, util_arena *a, const char *pkgid,
                      uint32_t *closed, smsprov_error *err)
{
    char wql[256];
    stale_list l = {a, NULL, 0, 0, false};
    snprintf(wql, sizeof(wql),
             "SELECT ScheduleID, RunDateTime FROM SMS_ImageServicingProgress "
             "WHERE ImagePackageID = '%s' AND Status = 1",
             pkgid);
    int rc = provider_query(p, wql, strlen(wql), on_stale, &l, err);
    if (rc != 0 && l.nomem)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        rc = image_progress_put(p, pkgid, l.v[i].sched, IMAGE_PROGRESS_FAILED,
                                IMAGE_WIN32_OPERATION_ABORTED, 0,
                                l.v[i].started, err);
        if (rc == 0)
            rc =
                image_history_put(p, pkgid, l.v[i].sched, IMAGE_PROGRESS_FAILED,
                                  0, l.v[i].started, err);
        if (rc == 0)
            rc = image_schedule_state(p, l.v[i].sched, IMAGE_STATE_FAILED,
                                      util_now_us(), false, err);
    }
    if (closed != NULL)
        *closed += (uint32_t)l.n;
    return rc;
}
