/* SPDX-License-Identifier: MIT */
/*
 * SMS_ImagePackage rows for WIM files: registering one (image add), its
 * ImageProperty (the WIM's own XML metadata, as ConfigMgr stores it) and
 * ReloadImageProperties.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image/image.h"
#include "image/image_int.h"
#include "image/image_pkg.h"
#include "image/image_row.h"

int image_package_load(image_pkg *out, util_arena *a, provider *p,
                       const char *pkgid, smsprov_error *err)
{
    memset(out, 0, sizeof(*out));
    /* PackageIDs are site code + hex digits; anything else is refused
     * before it reaches a path or a query */
    bool ok = pkgid != NULL && pkgid[0] != '\0' && strlen(pkgid) <= 32;
    for (const char *c = pkgid; ok && *c; c++)
        ok = isalnum((unsigned char)*c);
    if (!ok)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "'%s' is not a PackageID", pkgid ? pkgid : "");
    char *path =
        util_arena_printf(a, "SMS_ImagePackage.PackageID=\"%s\"", pkgid);
    if (path == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    cim_instance *inst = NULL;
    int rc = provider_get(&inst, p, path, strlen(path), err);
    if (rc == SMSPROV_ENOTFOUND)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                              "no image package '%s' (SMS_ImagePackage)",
                              pkgid);
    if (rc != 0)
        return rc;
    out->id = util_arena_strdup(a, pkgid);
    out->path =
        util_arena_strdup(a, cim_instance_str(inst, "PkgSourcePath", ""));
    out->name = util_arena_strdup(a, cim_instance_str(inst, "Name", ""));
    out->description =
        util_arena_strdup(a, cim_instance_str(inst, "Description", ""));
    out->source_version = (uint32_t)cim_instance_int(inst, "SourceVersion", 0);
    cim_instance_free(inst);
    if (out->id == NULL || out->path == NULL || out->name == NULL ||
        out->description == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (out->path[0] == '\0')
        return util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                              "image package %s has no PkgSourcePath", pkgid);
    return 0;
}

int image_properties_xml(const char *path, char **xml, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    image_wim w;
    *xml = NULL;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_wim_read(&w, a, path, NULL, err);
    if (rc == 0 && (*xml = util_strdup(w.xml)) == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    util_arena_free(a);
    return rc;
}

/* Sets the properties a WIM decides: ImageProperty, Version, Language,
 * PackageSize (KiB), SourceDate, LastRefreshTime. */
static void wim_props(image_row *r, const image_wim *w, const char *path)
{
    struct stat sb;
    const image_index *first = w->count ? &w->idx[0] : NULL;
    image_row_str(r, "ImageProperty", w->xml);
    if (first != NULL) {
        char ver[64];
        snprintf(ver, sizeof(ver), "%u.%u.%u.%u", first->major, first->minor,
                 first->build, first->spbuild);
        image_row_str(r, "Version", ver);
        if (first->default_lang && first->default_lang[0])
            image_row_str(r, "Language", first->default_lang);
    }
    image_row_int(r, "PackageSize", (int64_t)(w->file_size / 1024));
    if (stat(path, &sb) == 0)
        image_row_time(r, "SourceDate",
                       (int64_t)sb.st_mtim.tv_sec * 1000000 +
                           sb.st_mtim.tv_nsec / 1000);
    image_row_time(r, "LastRefreshTime", util_now_us());
}

int image_package_add(provider *p, const char *path, const char *name,
                      char **pkgid, smsprov_error *err)
{
    char abs[PATH_MAX];
    util_arena *a = util_arena_new();
    image_wim w;
    image_row r = {0};
    *pkgid = NULL;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_wim_read(&w, a, path, NULL, err);
    if (rc != 0)
        goto cleanup;
    if (realpath(path, abs) == NULL)
        snprintf(abs, sizeof(abs), "%s", path);
    rc = image_row_new(&r, p, "SMS_ImagePackage", err);
    if (rc != 0)
        goto cleanup;
    image_row_str(&r, "Name",
                  name ? name : (w.count ? w.idx[0].name : "Image"));
    image_row_str(&r, "Description",
                  w.count && w.idx[0].description ? w.idx[0].description : "");
    image_row_str(&r, "PkgSourcePath", abs);
    image_row_int(&r, "PkgSourceFlag", 2); /* STORAGE_DIRECT */
    image_row_str(&r, "SourceSite", provider_site_code(p));
    image_row_int(&r, "SourceVersion", 1);
    image_row_str(&r, "Manufacturer", "Microsoft");
    wim_props(&r, &w, abs);
    if (r.rc != 0) {
        rc = r.rc;
        goto cleanup;
    }
    cim_instance *saved = NULL;
    rc = provider_put(&saved, NULL, p, r.inst, PROVIDER_INTERNAL, err);
    if (rc == 0) {
        *pkgid = util_strdup(cim_instance_str(saved, "PackageID", ""));
        if (*pkgid == NULL)
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    cim_instance_free(saved);
cleanup:
    image_row_free(&r);
    util_arena_free(a);
    return rc;
}

int image_package_refresh(provider *p, const image_pkg *pkg, bool serviced,
                          smsprov_error *err)
{
    util_arena *a = util_arena_new();
    image_wim w;
    image_row r = {0};
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_wim_read(&w, a, pkg->path, NULL, err);
    if (rc == 0)
        rc = image_row_new(&r, p, "SMS_ImagePackage", err);
    if (rc == 0) {
        image_row_str(&r, "PackageID", pkg->id);
        wim_props(&r, &w, pkg->path);
        if (serviced)
            image_row_int(&r, "SourceVersion", pkg->source_version + 1);
        rc = image_row_put(&r, p);
    }
    image_row_free(&r);
    util_arena_free(a);
    return rc;
}

int image_package_reload(provider *p, const char *pkgid, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    image_pkg pkg;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int rc = image_package_load(&pkg, a, p, pkgid, err);
    if (rc == 0)
        rc = image_package_refresh(p, &pkg, false, err);
    util_arena_free(a);
    return rc;
}
