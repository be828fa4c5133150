/* SPDX-License-Identifier: MIT */
/* Servicing runs (run.c) and schedules (due.c): shared pieces. */
#ifndef SMSPROV_IMAGE_RUN_H
#define SMSPROV_IMAGE_RUN_H

#include "image/image.h"

/* SMS_ImageServicingSchedule.State */
enum {
    IMAGE_STATE_NONE = 0,
    IMAGE_STATE_SCHEDULED = 1,
    IMAGE_STATE_RUNNING = 2,
    IMAGE_STATE_SUCCEEDED = 3,
    IMAGE_STATE_FAILED = 4,
};
/* SMS_ImageServicingSchedule.Action */
enum {
    IMAGE_ACTION_NONE = 0,
    IMAGE_ACTION_INSTALL_NOW = 1,
    IMAGE_ACTION_CANCEL = 2,
};
/* SMS_ImageServicingProgress.Status (History uses 2 and 3) */
enum {
    IMAGE_PROGRESS_RUNNING = 1,
    IMAGE_PROGRESS_SUCCESS = 2,
    IMAGE_PROGRESS_FAILED = 3,
};

/* A schedule row as a run needs it. */
typedef struct image_sched {
    int32_t id;
    bool continue_on_error;
    int action;
    int state;
    int64_t last_run;     /* INT64_MIN never */
    const char *schedule; /* token string, "" none */
} image_sched;

int image_sched_load(image_sched *s, util_arena *a, provider *p, int32_t id,
                     smsprov_error *err);
/* True when schedule s should run at now_us (due.c). */
bool image_sched_due(const image_sched *s, int64_t now_us);
/* Sets State (and LastRunDateTime unless INT64_MIN; Action 0 when asked). */
int image_schedule_state(provider *p, int32_t sched, int state, int64_t last,
                         bool clear_action, smsprov_error *err);
/* Runs one image of a schedule (updates `upd`). */
int image_run_image(provider *p, const image_sched *s, const char *pkgid,
                    const int32_t *upd, uint32_t nupd, const image_run_opts *o,
                    image_run_stats *st, smsprov_error *err);
/* records.c: the progress row of an image and schedule (Status 1
 * Running, 2 Success, 3 Failed) and a history row of one run. */
int image_progress_put(provider *p, const char *pkgid, int32_t sched,
                       int status, int32_t win32, int32_t failed, int64_t when,
                       smsprov_error *err);
int image_history_put(provider *p, const char *pkgid, int32_t sched, int status,
                      int32_t failed, int64_t when, smsprov_error *err);
/* records.c: closes the progress rows of runs of pkgid that died (Failed,
 * ERROR_OPERATION_ABORTED, a history row under the run's start); the
 * caller holds the WIM's lock and rescans.  *closed (optional) counts. */
int image_close_stale(provider *p, util_arena *a, const char *pkgid,
                      uint32_t *closed, smsprov_error *err);
/* Runs a WQL query and collects property `prop` of every row (integers in
 * *ints, strings in *strs; memory from a). */
int image_collect(provider *p, util_arena *a, const char *wql, const char *prop,
                  int64_t **ints, const char ***strs, uint32_t *n,
                  smsprov_error *err);
/* The content library: the option, else the image.content setting; NULL
 * when neither is set (content then counts as missing). */
int image_content_dir(provider *p, const image_run_opts *o, util_arena *a,
                      const char **dir, smsprov_error *err);

#endif
