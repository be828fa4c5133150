/* SPDX-License-Identifier: MIT */
/*
 * Scanning an image package: read every index's OS (SOFTWARE hive and
 * servicing packages, never the whole image), match every non-expired
 * update (match.c) and rewrite the package's SMS_ImageUpdateStatus rows in
 * one transaction, with the views and the scan request.  A servicing run
 * ends with the same scan, given the outcome of each update it tried, so
 * status rows always describe the WIM as it is on disk.
 */
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/image_int.h"
#include "image/image_pkg.h"
#include "image/image_row.h"
#include "image/image_scan.h"

/* A previous row's outcome, carried over when the scan does not
 * change it (AppliedDateTime, UpdateInstallationStatus). */
typedef struct old_row {
    uint64_t key; /* index << 32 | CI_ID */
    int64_t applied;
    int32_t code;
} old_row;

typedef struct old_rows {
    util_arena *a;
    old_row *v;
    size_t n, cap;
    bool nomem;
} old_rows;

static uint64_t row_key(int index, int32_t ci)
{
    return (uint64_t)(uint32_t)index << 32 | (uint32_t)ci;
}

static int on_old(const wql_plan *plan, cim_instance **parts, int64_t count,
                  void *payload)
{
    (void)plan, (void)count;
    old_rows *o = payload;
    old_row *v = util_arena_grow(o->a, o->v, o->n, &o->cap, sizeof(*v));
    if (v == NULL)
        return o->nomem = true, SMSPROV_ENOMEM;
    o->v = v;
    const cim_instance *row = parts[0];
    old_row *r = &o->v[o->n++];
    r->key = row_key((int)cim_instance_int(row, "ImageIndex", 0),
                     (int32_t)cim_instance_int(row, "UpdateID", 0));
    r->applied = cim_instance_int(row, "AppliedDateTime", INT64_MIN);
    r->code = (int32_t)cim_instance_int(row, "UpdateInstallationStatus", 0);
    return 0;
}

static int by_key(const void *a, const void *b)
{
    const old_row *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static const old_row *old_find(const old_rows *o, int index, int32_t ci)
{
    old_row k = {.key = row_key(index, ci)};
    return o->n ? bsearch(&k, o->v, o->n, sizeof(*o->v), by_key) : NULL;
}

static const image_outcome *outcome_find(const image_outcome *v, uint32_t n,
                                         int index, int32_t ci)
{
    for (uint32_t i = 0; i < n; i++)
        if (v[i].index == index && v[i].ci_id == ci)
            return &v[i];
    return NULL;
}

static int load_old(old_rows *o, provider *p, const char *pkgid,
                    smsprov_error *err)
{
    char wql[256];
    snprintf(wql, sizeof(wql),
             "SELECT ImageIndex, UpdateID, AppliedDateTime, "
             "UpdateInstallationStatus FROM SMS_ImageUpdateStatus WHERE "
             "ImagePackageID = '%s'",
             pkgid);
    int rc = provider_query(p, wql, strlen(wql), on_old, o, err);
    if (rc != 0 && o->nomem)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (rc == 0 && o->n > 1)
        qsort(o->v, o->n, sizeof(*o->v), by_key);
    return rc;
}

int image_scan_record(provider *p, const char *pkgid, bool ok,
                      smsprov_error *err)
{
    image_row r;
    int rc = image_row_new(&r, p, "SMS_ImageServicingScanRequest", err);
    if (rc != 0)
        return rc;
    image_row_str(&r, "ImagePackageID", pkgid);
    image_row_time(&r, "LastRunDateTime", util_now_us());
    image_row_int(&r, "Status", ok ? 1 : 2); /* 1 Success, 2 Failed */
    return image_row_put(&r, p);
}

/* One status row. */
static int write_row(provider *p, const image_pkg *pkg, int index,
                     const image_update *u, int status, const old_row *old,
                     const image_outcome *oc, smsprov_error *err)
{
    image_row r;
    int rc = image_row_new(&r, p, "SMS_ImageUpdateStatus", err);
    if (rc != 0)
        return rc;
    bool installed = status == IMAGE_ST_INSTALLED ||
                     status == IMAGE_ST_INSTALLED_CHECK_NOT_SUPPORTED;
    int64_t applied = INT64_MIN;
    int32_t code = 0;
    if (oc != NULL) {
        applied = oc->code == 0 ? oc->applied : INT64_MIN;
        code = oc->code;
    } else if (old != NULL) {
        applied = old->applied;
        code = installed ? 0 : old->code; /* a failure stays until fixed */
    }
    image_row_str(&r, "ImagePackageID", pkg->id);
    image_row_int(&r, "ImageIndex", index);
    image_row_int(&r, "UpdateID", u->ci_id);
    image_row_str(&r, "UpdateTitle", u->title);
    image_row_int(&r, "UpdateStatus", status);
    image_row_int(&r, "UpdateInstallationStatus", code);
    if (installed && applied != INT64_MIN)
        image_row_time(&r, "AppliedDateTime", applied);
    return image_row_put(&r, p);
}

int image_scan_targets(image_scan_ctx *x, util_arena *a, provider *p,
                       const image_pkg *pkg, int32_t *win32, smsprov_error *err)
{
    memset(x, 0, sizeof(*x));
    int rc = image_wim_read(&x->wim, a, pkg->path, win32, err);
    if (rc == 0)
        rc = image_catalog_load(&x->cat, a, p, err);
    if (rc != 0)
        return rc;
    x->t = util_arena_alloc(a, (x->wim.count + 1) * sizeof(*x->t));
    if (x->t == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; rc == 0 && i < x->wim.count; i++) {
        image_os os;
        rc = image_os_read(&os, a, pkg->path, (int)i + 1, win32, err);
        if (rc == 0)
            rc = image_target_init(&x->t[i], a, &x->wim.idx[i], &os, &x->cat,
                                   err);
    }
    return rc;
}

int image_scan_write(provider *p, const image_pkg *pkg, const image_scan_ctx *x,
                     const image_outcome *oc, uint32_t noc,
                     image_scan_stats *st, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    old_rows old = {a, NULL, 0, 0, false};
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (st != NULL)
        memset(st, 0, sizeof(*st));
    store *s = provider_store(p);
    int rc = load_old(&old, p, pkg->id, err);
    if (rc == 0)
        rc = store_begin(s, err);
    if (rc != 0)
        goto cleanup;
    rc = image_exec(p,
                    "DELETE FROM \"SMS_ImageUpdateStatus\" WHERE "
                    "ImagePackageID = ?",
                    pkg->id, err);
    for (uint32_t i = 0; rc == 0 && i < x->wim.count; i++) {
        int index = (int)i + 1;
        for (uint32_t k = 0; rc == 0 && k < x->cat.n; k++) {
            const image_update *u = &x->cat.u[k];
            if (u->expired)
                continue; /* only links of supersedence chains */
            int status = image_match(&x->t[i], &x->cat, u);
            rc = write_row(p, pkg, index, u, status,
                           old_find(&old, index, u->ci_id),
                           outcome_find(oc, noc, index, u->ci_id), err);
            if (st != NULL)
                st->by_status[status]++;
        }
    }
    if (rc == 0)
        rc = image_views_refresh(p, pkg->id, err);
    if (rc == 0)
        rc = image_scan_record(p, pkg->id, true, err);
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc == 0 && st != NULL) {
        st->indexes = x->wim.count;
        for (uint32_t k = 0; k < x->cat.n; k++)
            st->updates += !x->cat.u[k].expired;
    }
cleanup:
    util_arena_free(a);
    return rc;
}

int image_scan(provider *p, const char *pkgid, image_scan_stats *st,
               smsprov_error *err)
{
    util_arena *a = util_arena_new();
    image_pkg pkg;
    image_scan_ctx x;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_package_load(&pkg, a, p, pkgid, err);
    if (rc == 0) {
        rc = image_scan_targets(&x, a, p, &pkg, NULL, err);
        if (rc != 0) {
            /* the failure is recorded; nothing else changes */
            smsprov_error e2 = SMSPROV_ERROR_INIT;
            image_scan_record(p, pkgid, false, &e2);
        }
    }
    if (rc == 0)
        rc = image_scan_write(p, &pkg, &x, NULL, 0, st, err);
    util_arena_free(a);
    return rc;
}
