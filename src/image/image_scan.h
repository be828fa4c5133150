/* SPDX-License-Identifier: MIT */
/* A scan split in its two halves (scan.c), so a servicing run can read the
 * image once, stage, and end with the same row writer. */
#ifndef SMSPROV_IMAGE_SCAN_H
#define SMSPROV_IMAGE_SCAN_H

#include "image/image.h"
#include "image/image_int.h"
#include "image/image_pkg.h"

/* What a scan read: the WIM, the catalog and one target per index. */
typedef struct image_scan_ctx {
    image_wim wim;
    image_catalog cat;
    image_target *t; /* wim.count entries */
} image_scan_ctx;

/* The outcome of one update a run tried on one index. */
typedef struct image_outcome {
    int index;
    int32_t ci_id;
    int32_t code;    /* 0 staged, else the Win32/HRESULT failure */
    int64_t applied; /* when it was staged */
} image_outcome;

/* Reads the WIM, the catalog and every index's OS (memory from a). */
int image_scan_targets(image_scan_ctx *x, util_arena *a, provider *p,
                       const image_pkg *pkg, int32_t *win32,
                       smsprov_error *err);
/* Rewrites the package's status rows, views and scan request in one
 * transaction; `oc` (optional) overrides the outcome of tried updates. */
int image_scan_write(provider *p, const image_pkg *pkg, const image_scan_ctx *x,
                     const image_outcome *oc, uint32_t noc,
                     image_scan_stats *st, smsprov_error *err);

#endif
