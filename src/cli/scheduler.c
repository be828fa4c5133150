/* SPDX-License-Identifier: MIT */
/*
 * The background scheduler of `smsprov serve`: every interval it runs the
 * offline-servicing schedules that are due (image_run_due), on a provider
 * handle of its own, so servicing runs at its time while the AdminService
 * keeps answering.  Progress rows are committed as a run advances, so
 * clients watch them over HTTP.  RunOfflineServicingManager wakes it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "image/image.h"

typedef struct scheduler {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    bool kick; /* RunOfflineServicingManager: run the due ones now */
    bool started;
    const char *db;
    unsigned interval_s;
} scheduler;

static scheduler sched = {.mu = PTHREAD_MUTEX_INITIALIZER,
                          .cv = PTHREAD_COND_INITIALIZER};

static void tick(provider *p)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    uint32_t ran = 0;
    if (image_run_due(p, util_now_us(), NULL, &ran, &err) != 0)
        cli_report(&err, NULL, 0);
}

static void *loop(void *arg)
{
    (void)arg;
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (provider_open(&p, sched.db, &err) != 0 ||
        cli_register_methods(p, &err) != 0) {
        cli_report(&err, NULL, 0);
        provider_close(p);
        return NULL;
    }
    pthread_mutex_lock(&sched.mu);
    while (!sched.stop) {
        pthread_mutex_unlock(&sched.mu);
        tick(p);
        pthread_mutex_lock(&sched.mu);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += sched.interval_s;
        while (!sched.stop && !sched.kick &&
               pthread_cond_timedwait(&sched.cv, &sched.mu, &until) !=
                   ETIMEDOUT)
            ;
        sched.kick = false;
    }
    pthread_mutex_unlock(&sched.mu);
    provider_close(p);
    return NULL;
}

/* Called by RunOfflineServicingManager (any worker thread). */
static void wake(void)
{
    pthread_mutex_lock(&sched.mu);
    sched.kick = true;
    pthread_cond_signal(&sched.cv);
    pthread_mutex_unlock(&sched.mu);
}

int cli_scheduler_start(const char *db, unsigned interval_s)
{
    sigset_t all, old;
    if (interval_s == 0)
        return 0;
    sched.db = db;
    sched.interval_s = interval_s;
    sched.stop = false;
    /* signals (SIGTERM) stay with the server's thread */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&sched.thread, NULL, loop, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sched.started = rc == 0;
    if (sched.started)
        image_set_wake(wake);
    return rc == 0 ? 0 : -1;
}

void cli_scheduler_stop(void)
{
    if (!sched.started)
        return;
    image_set_wake(NULL);
    pthread_mutex_lock(&sched.mu);
    sched.stop = true;
    pthread_cond_signal(&sched.cv);
    pthread_mutex_unlock(&sched.mu);
    pthread_join(sched.thread, NULL);
    sched.started = false;
}
