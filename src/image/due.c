/* SPDX-License-Identifier: MIT */
/*
 * Which servicing schedules are due.  A schedule runs when
 *   - Action is 1 (install immediately) — it is cleared by the run; or
 *   - State is Scheduled, Succeeded or Failed (0 None means disabled,
 *     2 Running is running) and the next occurrence of its Schedule token
 *     string after LastRunDateTime (or ever, before the first run) is not
 *     in the future.
 * Action 2 (cancel) sets State to None without running.
 * `smsprov serve` calls image_run_due on a timer; `smsprov image
 * run-schedule` calls it once.
 */
#include <stdio.h>
#include <string.h>

#include "image/image.h"
#include "image/image_run.h"
#include "provider/schedule.h"

#define MAX_TOKENS 16

/* When the schedule next runs after its last run; false when never. */
static bool next_run(const image_sched *s, int64_t *when)
{
    provider_schedule t[MAX_TOKENS];
    size_t n = 0;
    smsprov_error e = SMSPROV_ERROR_INIT;
    if (s->schedule[0] == '\0' ||
        provider_schedule_parse(t, MAX_TOKENS, &n, s->schedule,
                                strlen(s->schedule), &e) != 0)
        return false;
    int64_t after = s->last_run != INT64_MIN ? s->last_run : 0;
    return provider_schedule_next(t, n, after, when) == 0;
}

bool image_sched_due(const image_sched *s, int64_t now_us)
{
    if (s->action == IMAGE_ACTION_INSTALL_NOW)
        return s->state != IMAGE_STATE_RUNNING;
    if (s->action == IMAGE_ACTION_CANCEL || s->state == IMAGE_STATE_NONE ||
        s->state == IMAGE_STATE_RUNNING)
        return false;
    int64_t when;
    return next_run(s, &when) && when <= now_us;
}

int image_run_due(provider *p, int64_t now_us, const image_run_opts *o,
                  uint32_t *ran, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    int64_t *ids = NULL;
    uint32_t n = 0, recovered = 0;
    *ran = 0;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_recover(p, &recovered, err);
    if (rc == 0)
        rc = image_collect(p, a,
                           "SELECT ScheduleID FROM SMS_ImageServicingSchedule",
                           "ScheduleID", &ids, NULL, &n, err);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        image_sched s;
        rc = image_sched_load(&s, a, p, (int32_t)ids[i], err);
        if (rc != 0)
            break;
        if (s.action == IMAGE_ACTION_CANCEL && s.state != IMAGE_STATE_NONE) {
            rc = image_schedule_state(p, s.id, IMAGE_STATE_NONE, INT64_MIN,
                                      true, err);
            continue;
        }
        if (!image_sched_due(&s, now_us))
            continue;
        image_run_stats st;
        rc = image_run_schedule(p, s.id, o, &st, err);
        if (rc == 0 && st.images > 0)
            (*ran)++;
    }
    util_arena_free(a);
    return rc;
}
