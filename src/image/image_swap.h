/* SPDX-License-Identifier: MIT */
/* Changing a WIM safely: lock, private copy, backup, atomic swap (swap.c).
 */
#ifndef SMSPROV_IMAGE_SWAP_H
#define SMSPROV_IMAGE_SWAP_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smsprov/error.h"

typedef struct image_lock {
    int fd;
} image_lock;

/* Takes the servicing lock of a WIM and removes a killed run's working
 * copy.  SMSPROV_EINVALID_OPERATION with *busy when another run holds it;
 * SMSPROV_EIO with *win32 when the lock file cannot be created. */
int image_lock_take(image_lock *l, const char *wim, bool *busy, int32_t *win32,
                    smsprov_error *err);
void image_lock_release(image_lock *l);
/* True while some run holds the lock of this WIM. */
bool image_lock_busy(const char *wim);

/* Fails (WRITE_PROTECT / ACCESS_DENIED in *win32) unless the WIM and its
 * directory may be written. */
int image_check_writable(const char *wim, int32_t *win32, smsprov_error *err);
/* Copies the WIM to its working name (written to work). */
int image_copy_work(const char *wim, char *work, size_t n, int32_t *win32,
                    smsprov_error *err);
void image_discard_work(const char *work);

/* image_copy_work on a thread of its own, so the copy overlaps the
 * verification of update content (both take seconds on large images). */
typedef struct image_copy_job {
    pthread_t thread;
    bool started;
    char wim[4096];
    char work[4096];
    int rc;
    int32_t win32;
    smsprov_error err;
} image_copy_job;

/* Starts copying (false when no thread could start: copy synchronously
 * then). */
bool image_copy_start(image_copy_job *j, const char *wim);
/* Waits for the copy; its result as image_copy_work gives it. */
int image_copy_wait(image_copy_job *j, char *work, size_t n, int32_t *win32,
                    smsprov_error *err);
/* Keeps <wim>.bak and renames the working copy over the WIM. */
int image_swap(const char *wim, const char *work, int32_t *win32,
               smsprov_error *err);

#endif
