/* SPDX-License-Identifier: MIT */
/*
 * One image of a servicing run: apply every scheduled update that a scan
 * finds applicable to an index.
 *
 * Take the WIM's lock, mark SMS_ImageServicingProgress Running (committed,
 * so readers see it), verify each update's content (hashes) while a
 * private copy of the WIM is made, stage the verified updates into the
 * copy with the backend, swap the copy in (swap.c), and end with one
 * transaction that rescans the image as it now is (status rows, views),
 * refreshes the package and writes the final progress and history rows
 * (records.c).  Without ContinueOnError the first failure stops the image
 * before anything is staged; the WIM is unchanged.  A run killed midway
 * leaves a Running progress row that the next run (or image_recover)
 * closes as failed with ERROR_OPERATION_ABORTED and a rescan that makes
 * the status rows match the WIM on disk.
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

/* The indexes (1-based, into idx when not NULL) update u is applicable
 * to; how many. */
static uint32_t applicable_in(const run_image *r, const image_update *u,
                              int *idx)
{
    uint32_t n = 0;
    for (uint32_t i = 0; u != NULL && !u->expired && i < r->x.wim.count; i++)
        if (image_match(&r->x.t[i], &r->x.cat, u) == IMAGE_ST_APPLICABLE) {
            if (idx != NULL)
                idx[n] = (int)i + 1;
            n++;
        }
    return n;
}

/* Is any scheduled update applicable to an index (worth a copy)? */
static bool any_applicable(const run_image *r, const int32_t *upd,
                           uint32_t nupd)
{
    for (uint32_t k = 0; k < nupd; k++)
        if (applicable_in(r, image_catalog_find(&r->x.cat, upd[k]), NULL) > 0)
            return true;
    return false;
}

/* Verifies one update's content and queues it for each index it is
 * applicable to. */
static int plan_update(run_image *r, int32_t ci, image_run_stats *st,
                       smsprov_error *err)
{
    const image_update *u = image_catalog_find(&r->x.cat, ci);
    int *idx = util_arena_alloc(r->a, (r->x.wim.count + 1) * sizeof(*idx));
    if (idx == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    uint32_t nidx = applicable_in(r, u, idx);
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
        image_progress_put(r->p, r->pkg.id, r->s->id, IMAGE_PROGRESS_RUNNING,
                           c.code, ci, util_now_us(), &perr);
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
        rc = image_progress_put(r->p, r->pkg.id, r->s->id, status, r->win32,
                                r->failed, started, err);
    if (rc == 0)
        rc = image_history_put(r->p, r->pkg.id, r->s->id, status, r->failed,
                               started, err);
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
    int rc = image_progress_put(p, pkgid, sched, IMAGE_PROGRESS_FAILED, code, 0,
                                started, err);
    return rc ? rc
              : image_history_put(p, pkgid, sched, IMAGE_PROGRESS_FAILED, 0,
                                  started, err);
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
        rc = image_close_stale(p, r.a, pkgid, NULL, err);
    if (rc == 0)
        rc = image_progress_put(p, pkgid, s->id, IMAGE_PROGRESS_RUNNING, 0, 0,
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
