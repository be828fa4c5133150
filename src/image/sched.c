/* SPDX-License-Identifier: MIT */
/*
 * Servicing schedules: loading one, running it on every image it names
 * (run.c does one image), running the schedules of an image
 * (`smsprov image run --package`), RunOfflineServicingManager's request
 * (Action 1 and a wake-up of serve's scheduler), and the recovery of runs
 * that were killed.
 */
#include <stdio.h>
#include <string.h>

#include "image/image.h"
#include "image/image_pkg.h"
#include "image/image_row.h"
#include "image/image_run.h"
#include "image/image_swap.h"

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
    s->id = id;
    s->continue_on_error = cim_instance_int(inst, "ContinueOnError", 0) != 0;
    s->action = (int)cim_instance_int(inst, "Action", 0);
    /* a schedule written without a State (a script that sets only the
     * token) is scheduled; 0 None must be said to disable one */
    s->state = (int)cim_instance_int(inst, "State", IMAGE_STATE_SCHEDULED);
    s->last_run = cim_instance_int(inst, "LastRunDateTime", INT64_MIN);
    s->schedule = util_arena_strdup(a, cim_instance_str(inst, "Schedule", ""));
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
        rc = image_close_stale(p, a, pkgs[i], &closed, err);
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
