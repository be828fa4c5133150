/* SPDX-License-Identifier: MIT */
/*
 * Running a servicing schedule: for every image it names, apply every
 * scheduled update that a scan finds applicable to an index.
 *
 * Per image: take the WIM's lock, mark SMS_ImageServicingProgress Running
 * (committed, so readers see it), verify each update's content (hashes),
 * stage the verified ones into a private copy with the backend, swap the
 * copy in (swap.c), and end with one transaction that rescans the image
 * as it now is (status rows, views), refreshes the package and writes the
 * final progress and history rows.  Without ContinueOnError the first
 * failure stops the image before anything is staged; the WIM is unchanged.
 * A run killed midway leaves a Running progress row that the next run (or
 * image_recover) closes as failed with ERROR_OPERATION_ABORTED and a
 * rescan that makes the status rows match the WIM on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/image_backend.h"
#include "image/image_content.h"
#include "image/image_int.h"
#include "image/image_pkg.h"
#include "image/image_row.h"
#include "image/image_run.h"
#include "image/image_scan.h"
#include "image/image_swap.h"
#include "sum/sum.h"

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

static int progress_put(provider *p, const char *pkgid, int32_t sched,
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

static int history_put(provider *p, const char *pkgid, int32_t sched,
                       int status, int32_t failed, int64_t when,
                       smsprov_error *err)
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
    const cim_value *id = cim_instance_get_by_name(parts[0], "ScheduleID");
    const cim_value *at = cim_instance_get_by_name(parts[0], "RunDateTime");
    v[l->n++] = (stale_run){id && !id->is_null ? (int32_t)id->v.i : 0,
                            at && !at->is_null ? at->v.i : util_now_us()};
    l->v = v;
    return 0;
}

/* Closes the progress rows of runs that died (Status Running while nobody
 * holds the WIM's lock): Failed, ERROR_OPERATION_ABORTED, with a history
 * row under the dead run's start.  The caller rescans the package. */
static int close_stale(provider *p, util_arena *a, const char *pkgid,
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
        rc =
            progress_put(p, pkgid, l.v[i].sched, IMAGE_PROGRESS_FAILED,
                         IMAGE_WIN32_OPERATION_ABORTED, 0, l.v[i].started, err);
        if (rc == 0)
            rc = history_put(p, pkgid, l.v[i].sched, IMAGE_PROGRESS_FAILED, 0,
                             l.v[i].started, err);
        if (rc == 0)
            rc = image_schedule_state(p, l.v[i].sched, IMAGE_STATE_FAILED,
                                      util_now_us(), false, err);
    }
    if (closed != NULL)
        *closed += (uint32_t)l.n;
    return rc;
}

/* ---- one image ---------------------------------------------------------- */

typedef struct run_image {
    provider *p;
    util_arena *a;
    const image_sched *s;
    const image_run_opts *o;
    const char *content;
    bool download; /* fetch missing content (setting image.download) */
    image_pkg pkg;
    image_scan_ctx x; /* the image as read before staging */
    bool have_x;
    image_outcome *oc;
    size_t noc, oc_cap;
    image_stage_item *items;
    size_t nitems, items_cap;
    int32_t win32;  /* first failure */
    int32_t failed; /* its update, 0 for the image as a whole */
    bool fatal;     /* stop: nothing is staged */
    bool nomem;     /* an outcome could not be recorded */
    char why[SMSPROV_ERROR_MSG_MAX]; /* the first failure, in words */
} run_image;

static void fail(run_image *r, int32_t code, int32_t ci,
                 const smsprov_error *why)
{
    if (r->win32 == 0) {
        r->win32 = code;
        r->failed = ci;
        if (why != NULL)
            snprintf(r->why, sizeof(r->why), "%s", why->msg);
    }
}

static void report(const run_image *r, const char *step, uint64_t done,
                   uint64_t total)
{
    if (r->o && r->o->progress) {
        image_progress pr = {r->pkg.id, step, done, total};
        r->o->progress(&pr, r->o->payload);
    }
}

static int add_outcome(run_image *r, int index, int32_t ci, int32_t code,
                       int64_t when)
{
    image_outcome *v =
        util_arena_grow(r->a, r->oc, r->noc, &r->oc_cap, sizeof(*v));
    if (v == NULL)
        return SMSPROV_ENOMEM;
    v[r->noc++] = (image_outcome){index, ci, code, when};
    r->oc = v;
    return 0;
}

/* Is any scheduled update applicable to an index (worth a copy)? */
static bool any_applicable(const run_image *r, const int32_t *upd,
                           uint32_t nupd)
{
    for (uint32_t k = 0; k < nupd; k++) {
        const image_update *u = image_catalog_find(&r->x.cat, upd[k]);
        for (uint32_t i = 0; u != NULL && !u->expired && i < r->x.wim.count;
             i++)
            if (image_match(&r->x.t[i], &r->x.cat, u) == IMAGE_ST_APPLICABLE)
                return true;
    }
    return false;
}

/* Verifies one update's content and queues it for each index it is
 * applicable to. */
static int plan_update(run_image *r, int32_t ci, image_run_stats *st,
                       smsprov_error *err)
{
    const image_update *u = image_catalog_find(&r->x.cat, ci);
    int *idx = util_arena_alloc(r->a, (r->x.wim.count + 1) * sizeof(*idx));
    uint32_t nidx = 0;
    if (idx == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; u != NULL && !u->expired && i < r->x.wim.count; i++)
        if (image_match(&r->x.t[i], &r->x.cat, u) == IMAGE_ST_APPLICABLE)
            idx[nidx++] = (int)i + 1;
    if (nidx == 0) {
        st->skipped++;
        return 0;
    }
    image_content c;
    smsprov_error cerr = SMSPROV_ERROR_INIT;
    if (image_content_resolve(&c, r->a, r->p, r->content, r->download, ci,
                              &cerr) != 0) {
        if (cerr.code == SMSPROV_ENOMEM)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        if (c.code == 0) /* the lookup itself failed (database) */
            c.code = IMAGE_WIN32_INVALID_DATA;
        fail(r, c.code, ci, &cerr);
        for (uint32_t k = 0; k < nidx; k++)
            if (add_outcome(r, idx[k], ci, c.code, 0) != 0)
                return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        st->failed += nidx;
        if (!r->s->continue_on_error)
            r->fatal = true;
        smsprov_error perr = SMSPROV_ERROR_INIT;
        /* the progress row shows the failure while the run goes on */
        progress_put(r->p, r->pkg.id, r->s->id, IMAGE_PROGRESS_RUNNING, c.code,
                     ci, util_now_us(), &perr);
        return 0;
    }
    for (uint32_t k = 0; k < nidx; k++) {
        image_stage_item *v = util_arena_grow(r->a, r->items, r->nitems,
                                              &r->items_cap, sizeof(*v));
        if (v == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        v[r->nitems++] =
            (image_stage_item){idx[k], ci, u->kb, c.paths, c.names, c.n};
        r->items = v;
    }
    return 0;
}

/* Stages the queued items into the copy (made by `copy`) and swaps it in.
 * true when the WIM changed. */
static bool stage(run_image *r, image_copy_job *copy, image_run_stats *st)
{
    char work[4096];
    int32_t code = 0;
    smsprov_error e = SMSPROV_ERROR_INIT;
    report(r, "stage", 0, r->nitems);
    int rc = image_copy_wait(copy, work, sizeof(work), &code, &e);
    if (rc == 0) {
        rc = image_backend_wimlib_stage.apply(work, r->items, r->nitems, r->o,
                                              r->pkg.id, &code, &e);
        if (rc == 0) {
            report(r, "swap", r->nitems, r->nitems);
            rc = image_swap(r->pkg.path, work, &code, &e);
        }
        if (rc != 0)
            image_discard_work(work);
    }
    if (rc != 0 && code == 0)
        code = IMAGE_WIN32_INVALID_DATA; /* no system error behind it */
    int64_t now = util_now_us();
    for (uint32_t i = 0; i < r->nitems; i++)
        if (add_outcome(r, r->items[i].index, r->items[i].ci_id, rc ? code : 0,
                        now) != 0)
            r->nomem = true;
    if (rc != 0) {
        fail(r, code, 0, &e);
        st->failed += r->nitems;
        return false;
    }
    st->applied += r->nitems;
    return true;
}

/* The closing transaction: rescan, package, progress, history. */
static int finish(run_image *r, bool changed, int64_t started,
                  smsprov_error *err)
{
    store *s = provider_store(r->p);
    image_scan_ctx after;
    const image_scan_ctx *x = r->have_x ? &r->x : NULL;
    int rc = 0;
    if (changed) {
        int32_t code = 0;
        rc = image_scan_targets(&after, r->a, r->p, &r->pkg, &code, err);
        if (rc != 0)
            return rc;
        x = &after;
    }
    bool ok = r->win32 == 0;
    int status = ok ? IMAGE_PROGRESS_SUCCESS : IMAGE_PROGRESS_FAILED;
    rc = store_begin(s, err);
    if (rc == 0 && x != NULL)
        rc = image_scan_write(r->p, &r->pkg, x, r->oc, r->noc, NULL, err);
    if (rc == 0 && changed)
        rc = image_package_refresh(r->p, &r->pkg, true, err);
    if (rc == 0)
        rc = progress_put(r->p, r->pkg.id, r->s->id, status, r->win32,
                          r->failed, started, err);
    if (rc == 0)
        rc = history_put(r->p, r->pkg.id, r->s->id, status, r->failed, started,
                         err);
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

/* Records a failure that stopped an image before any scan. */
static int record_failure(provider *p, const char *pkgid, int32_t sched,
                          int32_t code, int64_t started, smsprov_error *err)
{
    int rc = progress_put(p, pkgid, sched, IMAGE_PROGRESS_FAILED, code, 0,
                          started, err);
    return rc ? rc
              : history_put(p, pkgid, sched, IMAGE_PROGRESS_FAILED, 0, started,
                            err);
}

int image_run_image(provider *p, const image_sched *s, const char *pkgid,
                    const int32_t *upd, uint32_t nupd, const image_run_opts *o,
                    image_run_stats *st, smsprov_error *err)
{
    run_image r = {.p = p, .s = s, .o = o};
    image_lock lock = {-1};
    int64_t started = util_now_us();
    int rc;
    if ((r.a = util_arena_new()) == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    rc = image_package_load(&r.pkg, r.a, p, pkgid, err);
    if (rc == SMSPROV_ENOTFOUND) {
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        record_failure(p, pkgid, s->id, IMAGE_WIN32_FILE_NOT_FOUND, started,
                       &e2);
        st->failed++;
        if (st->win32 == 0) {
            st->win32 = IMAGE_WIN32_FILE_NOT_FOUND;
            snprintf(st->why, sizeof(st->why), "%s", err->msg);
        }
        rc = 0; /* recorded: the schedule goes on with its other images */
        goto cleanup;
    }
    if (rc == 0) {
        bool busy = false;
        int32_t code = 0;
        rc = image_lock_take(&lock, r.pkg.path, &busy, &code, err);
        if (rc != 0 && busy) {
            st->busy++; /* another run has it: the schedule tries later */
            rc = 0;
            goto cleanup;
        }
        if (rc != 0) {
            /* e.g. the WIM's folder is gone: recorded, the schedule goes
             * on with its other images */
            smsprov_error e2 = SMSPROV_ERROR_INIT;
            record_failure(p, pkgid, s->id, code, started, &e2);
            st->failed++;
            if (st->win32 == 0) {
                st->win32 = code;
                snprintf(st->why, sizeof(st->why), "%s: %s", pkgid, err->msg);
            }
            util_error_clear(err);
            rc = 0;
            goto cleanup;
        }
    }
    if (rc == 0)
        rc = close_stale(p, r.a, pkgid, NULL, err);
    if (rc == 0)
        rc = progress_put(p, pkgid, s->id, IMAGE_PROGRESS_RUNNING, 0, 0,
                          started, err);
    if (rc != 0)
        goto cleanup;
    st->images++;
    rc = image_content_dir(p, o, r.a, &r.content, err);
    r.download = image_content_download(p);
    int32_t code = 0;
    smsprov_error e = SMSPROV_ERROR_INIT;
    if (rc == 0 && image_check_writable(r.pkg.path, &code, &e) != 0)
        fail(&r, code, 0, &e), r.fatal = true;
    if (rc == 0 && !r.fatal) {
        if (image_scan_targets(&r.x, r.a, p, &r.pkg, &code, &e) == 0)
            r.have_x = true;
        else
            fail(&r, code ? code : IMAGE_WIN32_FILE_CORRUPT, 0, &e),
                r.fatal = true;
    }
    /* the copy of the WIM is made while the content is verified */
    image_copy_job copy = {0};
    copy.started = false;
    snprintf(copy.wim, sizeof(copy.wim), "%s", r.pkg.path);
    if (rc == 0 && !r.fatal && any_applicable(&r, upd, nupd))
        image_copy_start(&copy, r.pkg.path);
    for (uint32_t i = 0; rc == 0 && !r.fatal && i < nupd; i++) {
        report(&r, "verify", i, nupd);
        rc = plan_update(&r, upd[i], st, err);
    }
    bool changed = false;
    if (rc == 0 && !r.fatal && r.nitems > 0) {
        changed = stage(&r, &copy, st);
    } else if (copy.started) {
        char work[4096];
        int32_t c2;
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        if (image_copy_wait(&copy, work, sizeof(work), &c2, &e2) == 0)
            image_discard_work(work);
    }
    if (rc == 0 && r.nomem)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (rc == 0)
        rc = finish(&r, changed, started, err);
    if (rc != 0 && !changed) {
        /* could not even record the outcome: say so in the progress row */
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        record_failure(p, pkgid, s->id,
                       r.win32 ? r.win32 : IMAGE_WIN32_INVALID_DATA, started,
                       &e2);
    }
    /* The WIM changed but its rows could not be written: the progress row
     * stays Running, so recovery (the next run, run-schedule, serve)
     * closes it and rescans the image, as after a kill. */
    if (st->win32 == 0 && r.win32 != 0) {
        st->win32 = r.win32;
        snprintf(st->why, sizeof(st->why), "%s: %s", pkgid, r.why);
    }
cleanup:
    image_lock_release(&lock);
    util_arena_free(r.a);
    return rc;
}

/* ---- a schedule --------------------------------------------------------- */

int image_sched_load(image_sched *s, util_arena *a, provider *p, int32_t id,
                     smsprov_error *err)
{
    char path[96];
    cim_instance *inst = NULL;
    memset(s, 0, sizeof(*s));
    snprintf(path, sizeof(path), "SMS_ImageServicingSchedule.ScheduleID=%d",
             id);
    int rc = provider_get(&inst, p, path, strlen(path), err);
    if (rc == SMSPROV_ENOTFOUND)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                              "no servicing schedule %d "
                              "(SMS_ImageServicingSchedule)",
                              id);
    if (rc != 0)
        return rc;
    const cim_value *v;
    s->id = id;
    v = cim_instance_get_by_name(inst, "ContinueOnError");
    s->continue_on_error = v && !v->is_null && v->v.b;
    v = cim_instance_get_by_name(inst, "Action");
    s->action = v && !v->is_null ? (int)v->v.i : 0;
    v = cim_instance_get_by_name(inst, "State");
    /* a schedule written without a State (a script that sets only the
     * token) is scheduled; 0 None must be said to disable one */
    s->state = v && !v->is_null ? (int)v->v.i : IMAGE_STATE_SCHEDULED;
    v = cim_instance_get_by_name(inst, "LastRunDateTime");
    s->last_run = v && !v->is_null ? v->v.i : INT64_MIN;
    v = cim_instance_get_by_name(inst, "Schedule");
    s->schedule = util_arena_strdup(a, v && !v->is_null ? v->v.s : "");
    cim_instance_free(inst);
    return s->schedule
               ? 0
               : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
}

int image_run_schedule(provider *p, int32_t schedule_id,
                       const image_run_opts *o, image_run_stats *st,
                       smsprov_error *err)
{
    util_arena *a = util_arena_new();
    image_sched s;
    image_run_stats local;
    const char **pkgs = NULL;
    int64_t *ids = NULL;
    uint32_t npkgs = 0, nids = 0;
    char wql[160];
    if (st == NULL)
        st = &local;
    memset(st, 0, sizeof(*st));
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_sched_load(&s, a, p, schedule_id, err);
    snprintf(wql, sizeof(wql),
             "SELECT ImagePackageID FROM SMS_ImageServicingScheduledImage "
             "WHERE ScheduleID = %d",
             schedule_id);
    if (rc == 0)
        rc = image_collect(p, a, wql, "ImagePackageID", NULL, &pkgs, &npkgs,
                           err);
    snprintf(wql, sizeof(wql),
             "SELECT UpdateID FROM SMS_ImageServicingScheduledUpdate WHERE "
             "ScheduleID = %d ORDER BY UpdateID",
             schedule_id);
    if (rc == 0)
        rc = image_collect(p, a, wql, "UpdateID", &ids, NULL, &nids, err);
    int32_t *upd =
        rc == 0 ? util_arena_alloc(a, (nids + 1) * sizeof(*upd)) : NULL;
    if (rc == 0 && upd == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; rc == 0 && i < nids; i++)
        upd[i] = (int32_t)ids[i];
    if (rc == 0)
        rc = image_schedule_state(p, schedule_id, IMAGE_STATE_RUNNING,
                                  INT64_MIN, false, err);
    int64_t started = util_now_us();
    for (uint32_t i = 0; rc == 0 && i < npkgs; i++)
        rc = image_run_image(p, &s, pkgs[i], upd, nids, o, st, err);
    if (rc == 0 && st->busy > 0 && st->images == 0 && st->failed == 0) {
        /* every image was busy with another run: nothing happened, the
         * schedule stays due (Action kept, no LastRunDateTime) */
        rc = image_schedule_state(
            p, schedule_id,
            s.state == IMAGE_STATE_RUNNING ? IMAGE_STATE_SCHEDULED : s.state,
            INT64_MIN, false, err);
    } else if (rc == 0 || s.id != 0) {
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        int state = rc == 0 && st->win32 == 0 ? IMAGE_STATE_SUCCEEDED
                                              : IMAGE_STATE_FAILED;
        int rc2 = image_schedule_state(p, schedule_id, state, started, true,
                                       rc ? &e2 : err);
        if (rc == 0)
            rc = rc2;
    }
    util_arena_free(a);
    return rc;
}

static void (*volatile wake_fn)(void);

void image_set_wake(void (*wake)(void))
{
    wake_fn = wake;
}

/* The ScheduleIDs of the schedules that name package pkgid. */
static int schedules_of(provider *p, util_arena *a, const char *pkgid,
                        int64_t **ids, uint32_t *n, smsprov_error *err)
{
    image_pkg pkg;
    int rc = image_package_load(&pkg, a, p, pkgid, err);
    char *wql =
        rc == 0 ? util_arena_printf(a,
                                    "SELECT ScheduleID FROM "
                                    "SMS_ImageServicingScheduledImage WHERE "
                                    "ImagePackageID = '%s'",
                                    pkgid)
                : NULL;
    if (rc == 0 && wql == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (rc == 0)
        rc = image_collect(p, a, wql, "ScheduleID", ids, NULL, n, err);
    if (rc == 0 && *n == 0)
        rc = util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                            "no servicing schedule names image %s", pkgid);
    return rc;
}

int image_request_run(provider *p, const char *pkgid, uint32_t *n,
                      smsprov_error *err)
{
    util_arena *a = util_arena_new();
    int64_t *ids = NULL;
    *n = 0;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = schedules_of(p, a, pkgid, &ids, n, err);
    for (uint32_t i = 0; rc == 0 && i < *n; i++) {
        image_row r;
        rc = image_row_new(&r, p, "SMS_ImageServicingSchedule", err);
        if (rc == 0) {
            image_row_int(&r, "ScheduleID", ids[i]);
            image_row_int(&r, "Action", IMAGE_ACTION_INSTALL_NOW);
            rc = image_row_put(&r, p);
        }
    }
    util_arena_free(a);
    void (*wake)(void) = wake_fn;
    if (rc == 0 && wake != NULL)
        wake();
    return rc;
}

int image_run_package(provider *p, const char *pkgid, const image_run_opts *o,
                      image_run_stats *st, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    int64_t *ids = NULL;
    uint32_t n = 0;
    image_run_stats one, local;
    if (st == NULL)
        st = &local;
    memset(st, 0, sizeof(*st));
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = schedules_of(p, a, pkgid, &ids, &n, err);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        rc = image_run_schedule(p, (int32_t)ids[i], o, &one, err);
        st->images += one.images;
        st->applied += one.applied;
        st->failed += one.failed;
        st->skipped += one.skipped;
        st->busy += one.busy;
        if (st->win32 == 0 && one.win32 != 0) {
            st->win32 = one.win32;
            memcpy(st->why, one.why, sizeof(st->why));
        }
    }
    util_arena_free(a);
    return rc;
}

int image_recover(provider *p, uint32_t *recovered, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    const char **pkgs = NULL;
    uint32_t n = 0;
    *recovered = 0;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_collect(p, a,
                           "SELECT ImagePackageID FROM "
                           "SMS_ImageServicingProgress WHERE Status = 1",
                           "ImagePackageID", NULL, &pkgs, &n, err);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        image_pkg pkg;
        image_lock lock = {-1};
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        bool busy;
        int32_t code;
        if (image_package_load(&pkg, a, p, pkgs[i], &e2) != 0 ||
            image_lock_take(&lock, pkg.path, &busy, &code, &e2) != 0)
            continue; /* gone, or a live run holds it */
        uint32_t closed = 0;
        rc = close_stale(p, a, pkgs[i], &closed, err);
        if (rc == 0 && closed > 0) {
            /* the status rows follow the WIM as it is on disk */
            if (image_scan(p, pkgs[i], NULL, &e2) == 0)
                (*recovered)++;
        }
        image_lock_release(&lock);
    }
    util_arena_free(a);
    return rc;
}
