/* SPDX-License-Identifier: MIT */
/*
 * Reading a WIM through wimlib, read-only and never extracting an image
 * whole: the WIM's own XML metadata (index names, editions, versions;
 * image_wim_read), and the few files of one index that say which Windows
 * it holds and which packages are installed (image_os_read: the SOFTWARE
 * hive and the servicing manifests, extracted to a private temporary
 * directory that is removed again).  Also the wimlib → Win32 error map.
 * The XML document itself is parsed in wimxml.c.
 */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <wimlib.h>

#include "image/image_int.h"

/* ---- errors -------------------------------------------------------------- */

void image_error_file(smsprov_error *err, const char *file)
{
    if (err != NULL && err->file[0] == '\0' && file != NULL)
        snprintf(err->file, sizeof(err->file), "%s", file);
}

/* ---- Win32 codes --------------------------------------------------------- */

int32_t image_wim_win32_errno(int wimlib_err, int errnum)
{
    switch (wimlib_err) {
    case WIMLIB_ERR_SUCCESS:
        return IMAGE_WIN32_OK;
    case WIMLIB_ERR_OPEN:
    case WIMLIB_ERR_OPENDIR:
    case WIMLIB_ERR_STAT:
        if (errnum == ENOENT || errnum == ENOTDIR)
            return IMAGE_WIN32_FILE_NOT_FOUND;
        if (errnum == EACCES || errnum == EPERM)
            return IMAGE_WIN32_ACCESS_DENIED;
        return IMAGE_WIN32_FILE_CORRUPT;
    case WIMLIB_ERR_PATH_DOES_NOT_EXIST:
        return IMAGE_WIN32_FILE_NOT_FOUND;
    case WIMLIB_ERR_READ:
    case WIMLIB_ERR_UNEXPECTED_END_OF_FILE:
    case WIMLIB_ERR_NOT_A_WIM_FILE:
    case WIMLIB_ERR_INVALID_HEADER:
    case WIMLIB_ERR_UNKNOWN_VERSION:
    case WIMLIB_ERR_DECOMPRESSION:
    case WIMLIB_ERR_INTEGRITY:
    case WIMLIB_ERR_INVALID_INTEGRITY_TABLE:
    case WIMLIB_ERR_INVALID_LOOKUP_TABLE_ENTRY:
    case WIMLIB_ERR_INVALID_METADATA_RESOURCE:
    case WIMLIB_ERR_METADATA_NOT_FOUND:
    case WIMLIB_ERR_INVALID_RESOURCE_HASH:
    case WIMLIB_ERR_RESOURCE_NOT_FOUND:
    case WIMLIB_ERR_RESOURCE_ORDER:
    case WIMLIB_ERR_INVALID_CHUNK_SIZE:
    case WIMLIB_ERR_INVALID_COMPRESSION_TYPE:
    case WIMLIB_ERR_INVALID_PIPABLE_WIM:
    case WIMLIB_ERR_INVALID_PART_NUMBER:
    case WIMLIB_ERR_SPLIT_INVALID:
    case WIMLIB_ERR_WIM_IS_INCOMPLETE:
    case WIMLIB_ERR_IMAGE_COUNT:
    case WIMLIB_ERR_XML:
    case WIMLIB_ERR_INVALID_UTF16_STRING:
    case WIMLIB_ERR_INVALID_REPARSE_DATA:
        return IMAGE_WIN32_FILE_CORRUPT;
    case WIMLIB_ERR_WRITE:
    case WIMLIB_ERR_MKDIR:
    case WIMLIB_ERR_MKNOD:
    case WIMLIB_ERR_LINK:
    case WIMLIB_ERR_RENAME:
    case WIMLIB_ERR_SET_ATTRIBUTES:
    case WIMLIB_ERR_SET_REPARSE_DATA:
    case WIMLIB_ERR_SET_SECURITY:
    case WIMLIB_ERR_SET_SHORT_NAME:
    case WIMLIB_ERR_SET_TIMESTAMPS:
    case WIMLIB_ERR_SET_XATTR:
        if (errnum == ENOSPC || errnum == EDQUOT || errnum == EFBIG)
            return IMAGE_WIN32_DISK_FULL;
        if (errnum == EROFS)
            return IMAGE_WIN32_WRITE_PROTECT;
        return IMAGE_WIN32_ACCESS_DENIED;
    case WIMLIB_ERR_WIM_IS_READONLY:
        return IMAGE_WIN32_WRITE_PROTECT;
    case WIMLIB_ERR_INSUFFICIENT_PRIVILEGES:
    case WIMLIB_ERR_ALREADY_LOCKED:
    case WIMLIB_ERR_MOUNTED_IMAGE_IS_BUSY:
    case WIMLIB_ERR_NOT_PERMITTED_TO_UNMOUNT:
        return IMAGE_WIN32_ACCESS_DENIED;
    case WIMLIB_ERR_UNSUPPORTED:
    case WIMLIB_ERR_UNSUPPORTED_FILE:
    case WIMLIB_ERR_WIM_IS_ENCRYPTED:
    case WIMLIB_ERR_IS_SPLIT_WIM:
    case WIMLIB_ERR_NOT_PIPABLE:
    case WIMLIB_ERR_COMPACTION_NOT_POSSIBLE:
        return IMAGE_WIN32_NOT_SUPPORTED;
    case WIMLIB_ERR_ABORTED_BY_PROGRESS:
        return IMAGE_WIN32_OPERATION_ABORTED;
    default:
        return IMAGE_WIN32_INVALID_DATA;
    }
}

int32_t image_wim_win32(int wimlib_err)
{
    return image_wim_win32_errno(wimlib_err, 0);
}

/* ---- opening a WIM ------------------------------------------------------- */

static pthread_once_t wim_once = PTHREAD_ONCE_INIT;
static int wim_init_rc;

static void wim_init(void)
{
    wimlib_set_print_errors(false);
    /* paths inside a Windows image are case-insensitive, as on Windows
     * ("Windows\system32\config" in some images) */
    wim_init_rc = wimlib_global_init(WIMLIB_INIT_FLAG_DEFAULT_CASE_INSENSITIVE);
}

int image_wimlib_init(void)
{
    pthread_once(&wim_once, wim_init);
    return wim_init_rc;
}

/* Sets err (and *win32) for wimlib failure wrc while doing `what` on
 * path; errnum is the errno that came with it. */
static int wim_fail(int wrc, int errnum, const char *path, const char *what,
                    int32_t *win32, smsprov_error *err)
{
    if (wrc == WIMLIB_ERR_OPEN && errnum != 0) {
        /* the file itself: errno says more than "Failed to open a file" */
        int rc = util_error_set(err,
                                errnum == ENOENT || errnum == ENOTDIR
                                    ? SMSPROV_ENOTFOUND
                                    : SMSPROV_EIO,
                                -1, "%s: %s: %s", path, what, strerror(errnum));
        image_error_file(err, path);
        if (win32 != NULL)
            *win32 = image_wim_win32_errno(wrc, errnum);
        return rc;
    }
    int code = wrc == WIMLIB_ERR_NOMEM ? SMSPROV_ENOMEM : SMSPROV_EIO;
    int rc = util_error_set(err, code, -1, "%s: %s: %s", path, what,
                            wimlib_get_error_string(wrc));
    image_error_file(err, path);
    if (win32 != NULL)
        *win32 = image_wim_win32_errno(wrc, errnum);
    return rc;
}

/* Opens the WIM read-only; *info its header summary. */
static int wim_open(WIMStruct **wim, struct wimlib_wim_info *info,
                    struct stat *st, const char *path, int32_t *win32,
                    smsprov_error *err)
{
    /* stat first: errno tells a missing file from an unreadable one */
    if (stat(path, st) != 0)
        return wim_fail(WIMLIB_ERR_OPEN, errno, path, "cannot open", win32,
                        err);
    if (image_wimlib_init() != 0)
        return wim_fail(wim_init_rc, 0, path, "wimlib", win32, err);
    errno = 0;
    int wrc = wimlib_open_wim(path, 0, wim);
    if (wrc == 0)
        wrc = wimlib_get_wim_info(*wim, info);
    if (wrc != 0)
        return wim_fail(wrc, errno, path, "cannot open", win32, err);
    return 0;
}

/* Makes out->idx exactly `count` long (the header's image count wins over
 * a disagreeing XML document). */
static int fit_count(image_wim *out, WIMStruct *wim, uint32_t count,
                     smsprov_error *err)
{
    if (out->count == count)
        return 0;
    image_index *v = util_arena_alloc(out->a, (count ? count : 1) * sizeof(*v));
    if (v == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; i < count; i++) {
        if (i < out->count) {
            v[i] = out->idx[i];
            continue;
        }
        image_index_defaults(&v[i], (int)i + 1);
        const char *name = wimlib_get_image_name(wim, (int)i + 1);
        v[i].name = util_arena_strdup(out->a, name ? name : "");
        if (v[i].name == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    out->idx = v;
    out->count = count;
    return 0;
}

int image_wim_read(image_wim *out, util_arena *a, const char *path,
                   int32_t *win32, smsprov_error *err)
{
    WIMStruct *wim = NULL;
    struct wimlib_wim_info info;
    void *xml = NULL;
    size_t xml_len = 0;
    struct stat st;
    int rc;

    memset(out, 0, sizeof(*out));
    out->a = a;
    if (win32 != NULL)
        *win32 = IMAGE_WIN32_OK;
    rc = wim_open(&wim, &info, &st, path, win32, err);
    if (rc != 0)
        goto out;
    errno = 0;
    int wrc = wimlib_get_xml_data(wim, &xml, &xml_len);
    if (wrc != 0) {
        rc = wim_fail(wrc, errno, path, "reading the XML data", win32, err);
        goto out;
    }
    smsprov_error xerr = SMSPROV_ERROR_INIT;
    rc = image_wim_xml_parse(out, a, xml, xml_len, &xerr);
    if (rc != 0) {
        int code = rc == SMSPROV_ENOMEM ? rc : SMSPROV_EIO;
        rc = util_error_set(err, code, xerr.offset, "%s: %s", path, xerr.msg);
        image_error_file(err, path);
        if (win32 != NULL)
            *win32 = IMAGE_WIN32_FILE_CORRUPT;
        goto out;
    }
    rc = fit_count(out, wim, info.image_count, err);
    if (rc != 0)
        goto out;
    out->file_size = (uint64_t)st.st_size;
    out->compression = info.compression_type;
out:
    free(xml); /* wimlib's buffer, from malloc */
    wimlib_free(wim);
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        out->a = a;
    }
    return rc;
}

/* ---- the Windows inside one index ---------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* A file of the index that cannot be read: the image is corrupt. */
static int corrupt(int rc, int32_t *win32)
{
    if (win32 != NULL)
        *win32 = rc == SMSPROV_ENOMEM ? IMAGE_WIN32_INVALID_DATA
                                      : IMAGE_WIN32_FILE_CORRUPT;
    return rc;
}

static void os_defaults(image_os *out)
{
    memset(out, 0, sizeof(*out));
    out->product_name = out->edition = out->install_type = "";
    out->display_version = "";
}

int image_os_read(image_os *out, util_arena *a, const char *path, int index,
                  int32_t *win32, smsprov_error *err)
{
    static const char *const paths[] = {
        "\\" IMAGE_HIVE_PATH,
        "\\" IMAGE_MUM_DIR "\\*.mum",
    };
    /* no STRICT_GLOB: an index without a hive or without packages is
     * fine; no UNIX_DATA: nothing here may need root */
    const int flags = WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                      WIMLIB_EXTRACT_FLAG_GLOB_PATHS |
                      WIMLIB_EXTRACT_FLAG_NO_ACLS |
                      WIMLIB_EXTRACT_FLAG_REPLACE_INVALID_FILENAMES;
    WIMStruct *wim = NULL;
    struct wimlib_wim_info info;
    char dir[4096] = "", hive[4200], where[4200];
    struct stat st;
    int rc;

    os_defaults(out);
    if (win32 != NULL)
        *win32 = IMAGE_WIN32_OK;
    snprintf(where, sizeof(where), "%s: index %d", path, index);
    rc = wim_open(&wim, &info, &st, path, win32, err);
    if (rc != 0)
        goto out;
    if (index < 1 || (uint32_t)index > info.image_count) {
        rc = util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                            "%s: no index %d (the WIM has %u)", path, index,
                            info.image_count);
        image_error_file(err, path);
        if (win32 != NULL)
            *win32 = IMAGE_WIN32_INVALID_DATA;
        goto out;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/smsprov-image-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        rc = wim_fail(WIMLIB_ERR_MKDIR, errno, dir, "temporary directory",
                      win32, err);
        dir[0] = '\0';
        goto out;
    }
    errno = 0;
    int wrc = wimlib_extract_paths(wim, index, dir, paths, 2, flags);
    if (wrc != 0) {
        rc = wim_fail(wrc, errno, where, "extracting the servicing files",
                      win32, err);
        goto out;
    }
    rc = image_mum_read_dir(out, a, dir, where, err);
    if (rc != 0) {
        rc = corrupt(rc, win32);
        goto out;
    }
    snprintf(hive, sizeof(hive), "%s/SOFTWARE", dir);
    if (lstat(hive, &st) == 0 && S_ISREG(st.st_mode)) {
        smsprov_error herr = SMSPROV_ERROR_INIT;
        rc = image_hive_read(out, a, hive, &herr);
        if (rc != 0) {
            int code = rc == SMSPROV_ENOMEM ? rc : SMSPROV_EIO;
            /* herr starts with the temporary copy's path: name the file
             * in the image instead */
            const char *why = herr.msg;
            size_t hl = strlen(hive);
            if (strncmp(why, hive, hl) == 0 && strncmp(why + hl, ": ", 2) == 0)
                why += hl + 2;
            rc = util_error_set(err, code, -1, "%s: %s: %s", where,
                                IMAGE_HIVE_PATH, why);
            image_error_file(err, IMAGE_HIVE_PATH);
            rc = corrupt(rc, win32);
        }
    }
out:
    if (dir[0] != '\0')
        nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    wimlib_free(wim);
    if (rc != 0)
        os_defaults(out);
    return rc;
}
