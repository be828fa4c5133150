/* SPDX-License-Identifier: MIT */
/*
 * Downloading an update's content file into the content library when it is
 * not there yet and downloads are on (`smsprov image content DIR
 * --download`), from the SourceURL the catalog gives, as a ConfigMgr site
 * downloads update content into a deployment package.  The file lands
 * under a temporary name and is renamed when complete; content.c then
 * verifies it like any other (a mismatch removes it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image/image_content.h"
#include "image/image_int.h"
#include "sum/sum_curl.h"

bool image_fetchable(const char *url)
{
    return url != NULL && (strncmp(url, "http://", 7) == 0 ||
                           strncmp(url, "https://", 8) == 0);
}

int image_fetch(const char *url, const char *path, int32_t *code,
                smsprov_error *err)
{
    char part[4200];
    if (snprintf(part, sizeof(part), "%s.part", path) >= (int)sizeof(part))
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "content path too long: %s", path);
    FILE *f = fopen(part, "wb");
    if (f == NULL) {
        *code = IMAGE_WIN32_ACCESS_DENIED;
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", part,
                              strerror(errno));
    }
    char ebuf[CURL_ERROR_SIZE];
    CURL *c = sum_curl_get(url, f, ebuf, "smsprov-content/0.1");
    if (c == NULL) {
        fclose(f);
        unlink(part);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "curl: out of memory");
    }
    CURLcode cc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    bool bad_write = fclose(f) != 0;
    if (cc != CURLE_OK || bad_write) {
        unlink(part);
        /* the source could not give the file: as missing content */
        *code = cc == CURLE_WRITE_ERROR || bad_write ? IMAGE_WIN32_DISK_FULL
                                                     : IMAGE_HR_SOURCE_MISSING;
        return util_error_set(
            err, SMSPROV_EIO, -1, "%s: download failed (%s%s%s)", url,
            bad_write ? "write error" : curl_easy_strerror(cc),
            ebuf[0] ? ": " : "", ebuf);
    }
    if (rename(part, path) != 0) {
        unlink(part);
        *code = IMAGE_WIN32_ACCESS_DENIED;
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", path,
                              strerror(errno));
    }
    return 0;
}
