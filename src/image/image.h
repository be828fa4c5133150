/* SPDX-License-Identifier: MIT */
/*
 * Offline image servicing: WIM image packages, scans that say what every
 * index of an image has and needs (SMS_ImageUpdateStatus), servicing
 * schedules and their runs.  docs/image.md describes the behaviour.
 */
#ifndef SMSPROV_IMAGE_H
#define SMSPROV_IMAGE_H

#include "provider/provider.h"

/* Registers GetImageProperties, ReloadImageProperties and
 * RunOfflineServicingManager on p, and the check that
 * SMS_ImageServicingSchedule.Schedule is a schedule token string. */
int image_register_methods(provider *p, smsprov_error *err);

/* Writes the SMS_SupportedPlatformsOfflineServicing rows (idempotent). */
int image_seed_platforms(provider *p, smsprov_error *err);

/*
 * Registers the WIM at `path` as a new SMS_ImagePackage (name: `name`, or
 * the first index's name), ImageProperty read from the WIM.  *pkgid
 * receives the site-assigned PackageID (util_malloc'd).
 */
int image_package_add(provider *p, const char *path, const char *name,
                      char **pkgid, smsprov_error *err);

/* Re-reads the WIM of a package into ImageProperty (ReloadImageProperties).
 */
int image_package_reload(provider *p, const char *pkgid, smsprov_error *err);

/* The WIM's XML metadata as ConfigMgr's ImageProperty (util_malloc'd). */
int image_properties_xml(const char *path, char **xml, smsprov_error *err);

/* What a scan found, counted by UpdateStatus (0..5). */
typedef struct image_scan_stats {
    uint32_t indexes;
    uint32_t updates;
    uint32_t by_status[6];
} image_scan_stats;

/*
 * Scans every index of a package against every non-expired update of the
 * catalog and rewrites its SMS_ImageUpdateStatus rows (one transaction);
 * records the scan in SMS_ImageServicingScanRequest (Status 1, or 2 with
 * nothing else changed when the image cannot be read).
 */
int image_scan(provider *p, const char *pkgid, image_scan_stats *st,
               smsprov_error *err);

/* Progress of a run, for a terminal progress bar. */
typedef struct image_progress {
    const char *pkgid;
    const char *step; /* "verify", "stage", "write", "swap" */
    uint64_t done, total;
} image_progress;
typedef void (*image_progress_fn)(const image_progress *pr, void *payload);

typedef struct image_run_opts {
    const char *content_dir; /* content library; NULL: setting or default */
    image_progress_fn progress;
    void *payload;
} image_run_opts;

typedef struct image_run_stats {
    uint32_t images;
    uint32_t applied; /* update × index pairs staged */
    uint32_t failed;  /* update × index pairs that failed */
    uint32_t skipped; /* scheduled but not applicable */
    uint32_t busy;    /* images another run was servicing (skipped) */
    int32_t win32;    /* first failure's code, 0 when none */
    char why[SMSPROV_ERROR_MSG_MAX + 64]; /* and its message */
} image_run_stats;

/*
 * Runs servicing schedule `schedule_id` now on every image it names.
 * Returns 0 when the run happened (even if updates failed: the rows say
 * so, st->win32 too); an error only when it could not run at all.
 */
int image_run_schedule(provider *p, int32_t schedule_id,
                       const image_run_opts *o, image_run_stats *st,
                       smsprov_error *err);

/* Runs every schedule whose time has come (State 1 Scheduled, next
 * occurrence of Schedule <= now, or Action 1); *ran counts them. */
int image_run_due(provider *p, int64_t now_us, const image_run_opts *o,
                  uint32_t *ran, smsprov_error *err);

/*
 * Asks for every schedule that services package `pkgid` to run as soon as
 * possible (Action 1), as RunOfflineServicingManager does; wakes the
 * scheduler (image_set_wake).  *n counts the schedules.
 */
int image_request_run(provider *p, const char *pkgid, uint32_t *n,
                      smsprov_error *err);

/* The scheduler's wake-up (smsprov serve registers one; NULL: none). */
void image_set_wake(void (*wake)(void));

/* Runs every schedule that services package `pkgid` now. */
int image_run_package(provider *p, const char *pkgid, const image_run_opts *o,
                      image_run_stats *st, smsprov_error *err);

/*
 * Closes the progress rows of runs that were killed (Running, lock free)
 * as failed (ERROR_OPERATION_ABORTED) and rescans their images so status
 * rows match the WIMs on disk.  *recovered counts the images.
 */
int image_recover(provider *p, uint32_t *recovered, smsprov_error *err);

/* Setting (sum_settings) naming the content library directory. */
#define IMAGE_SET_CONTENT "image.content"
/* Setting: "1" downloads missing content from its SourceURL. */
#define IMAGE_SET_DOWNLOAD "image.download"

#endif
