/* SPDX-License-Identifier: MIT */
/*
 * The seam between servicing a WIM and the tool that changes it.
 *
 * run.c decides what to apply, verifies content, makes a private copy of
 * the WIM and, when the backend succeeds, swaps the copy in atomically
 * (swap.c).  A backend only changes the copy it is given.  The first
 * backend (stage_wimlib.c) stages CBS packages into the image with wimlib
 * for Windows to install on first boot; a DISM backend would send the
 * copy to a Windows worker that runs DISM /Add-Package on it and sends it
 * back (docs/image.md).
 */
#ifndef SMSPROV_IMAGE_BACKEND_H
#define SMSPROV_IMAGE_BACKEND_H

#include "image/image.h"

/* One update to apply to one index. */
typedef struct image_stage_item {
    int index;                /* 1-based image index */
    int32_t ci_id;            /* CI_ID */
    const char *kb;           /* "KB5032190" ("" when the update has none) */
    const char *const *paths; /* verified content files */
    const char *const *names; /* their file names */
    uint32_t nfiles;
} image_stage_item;

typedef struct image_backend {
    const char *name;
    /*
     * Applies items to the WIM at `work` (a private copy).  0 on success;
     * otherwise a negative SMSPROV_E* with err set and *win32 the code for
     * the status rows.  Must leave nothing but `work` changed.
     */
    int (*apply)(const char *work, const image_stage_item *items, uint32_t n,
                 const image_run_opts *o, const char *pkgid, int32_t *win32,
                 smsprov_error *err);
} image_backend;

/* wimlib: stage into \Windows\servicing\smsprov, install on first boot. */
extern const image_backend image_backend_wimlib_stage;

#endif
