/* SPDX-License-Identifier: MIT */
/* An SMS_ImagePackage as the servicing code needs it (package.c). */
#ifndef SMSPROV_IMAGE_PKG_H
#define SMSPROV_IMAGE_PKG_H

#include "provider/provider.h"

typedef struct image_pkg {
    const char *id;          /* PackageID */
    const char *path;        /* PkgSourcePath: the WIM file */
    const char *name;        /* Name */
    const char *description; /* Description */
    uint32_t source_version; /* SourceVersion */
} image_pkg;

/* Loads package `pkgid` (strings in a); SMSPROV_ENOTFOUND when there is
 * none. */
int image_package_load(image_pkg *out, util_arena *a, provider *p,
                       const char *pkgid, smsprov_error *err);
/* Rewrites the WIM-derived properties of a package after its WIM changed;
 * `serviced` also counts a new SourceVersion. */
int image_package_refresh(provider *p, const image_pkg *pkg, bool serviced,
                          smsprov_error *err);

/* Runs one SQL statement on the store with at most one text parameter
 * (bind, NULL for none): the bulk row maintenance of scans and views. */
int image_exec(provider *p, const char *sql, const char *bind,
               smsprov_error *err);

/* Rewrites the two views of a package's status rows (views.c) and the
 * failed-update view. */
int image_views_refresh(provider *p, const char *pkgid, smsprov_error *err);

/* Writes SMS_ImageServicingScanRequest for a package. */
int image_scan_record(provider *p, const char *pkgid, bool ok,
                      smsprov_error *err);

#endif
