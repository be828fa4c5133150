/* SPDX-License-Identifier: MIT */
/*
 * The two views over SMS_ImageUpdateStatus, kept as rows so that WQL,
 * OData and joins see them like any class, rewritten in the transaction
 * that changes the status rows:
 *
 *   SMS_ImageUpdateStatusView  one row per package × index × update the
 *                              image has or needs (UpdateStatus 2, 3, 5)
 *                              or that failed, with the package's name and
 *                              description and the error code
 *   SMS_FailedImageUpdateView  one row per update that failed on at least
 *                              one image index: how many, and its title
 */
#include <string.h>

#include "image/image_pkg.h"

int image_exec(provider *p, const char *sql, const char *bind,
               smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = store_prepare(&st, provider_store(p), sql, err);
    if (rc == 0 && bind != NULL)
        store_bind_text(st, 1, bind, strlen(bind));
    if (rc == 0)
        rc = store_step(st, err);
    store_stmt_free(st);
    return rc < 0 ? rc : 0;
}

int image_views_refresh(provider *p, const char *pkgid, smsprov_error *err)
{
    int rc = image_exec(p,
                        "DELETE FROM \"SMS_ImageUpdateStatusView\" WHERE "
                        "ImagePackageID = ?",
                        pkgid, err);
    if (rc == 0)
        rc = image_exec(
            p,
            "INSERT INTO \"SMS_ImageUpdateStatusView\" (ErrorCode, "
            "ImageIndex, ImagePackageID, PackageDescription, "
            "PackageName, UpdateID) SELECT s.UpdateInstallationStatus, "
            "s.ImageIndex, s.ImagePackageID, p.Description, p.Name, "
            "s.UpdateID FROM \"SMS_ImageUpdateStatus\" s JOIN "
            "\"SMS_ImagePackage\" p ON p.PackageID = s.ImagePackageID "
            "WHERE s.ImagePackageID = ? AND (s.UpdateStatus IN (2, 3, 5) "
            "OR s.UpdateInstallationStatus <> 0)",
            pkgid, err);
    if (rc == 0)
        rc = image_exec(p, "DELETE FROM \"SMS_FailedImageUpdateView\"", NULL,
                        err);
    if (rc == 0)
        rc = image_exec(
            p,
            "INSERT INTO \"SMS_FailedImageUpdateView\" (FailedImageCount, "
            "Title, UpdateID) SELECT COUNT(*), MAX(UpdateTitle), UpdateID "
            "FROM \"SMS_ImageUpdateStatus\" WHERE "
            "UpdateInstallationStatus <> 0 GROUP BY UpdateID",
            NULL, err);
    return rc;
}
