/* SPDX-License-Identifier: MIT */
/*
 * Changing a WIM safely.  A run never writes to the WIM in place:
 *
 *   1. lock    <wim>.smsprov-lock, an flock the kernel drops if the run
 *              dies (kill -9 included), so a stale lock cannot block;
 *   2. copy    <wim> -> <wim>.smsprov-new (copy_file_range: a reflink on
 *              file systems that share extents, an in-kernel copy on the
 *              others), which the backend changes and fsyncs;
 *   3. backup  hard link <wim> -> <wim>.bak (via a temporary name and
 *              rename, so an older backup is replaced atomically): the
 *              previous image stays, as ConfigMgr keeps it, at no copy cost;
 *   4. swap    rename(<wim>.smsprov-new, <wim>) and fsync the directory.
 *
 * At every instant <wim> is either the whole original or the whole new
 * image.  A leftover .smsprov-new from a killed run is removed by the next
 * run that takes the lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image_int.h"
#include "image/image_swap.h"

static int32_t win32_of_errno(int e)
{
    switch (e) {
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
        return IMAGE_WIN32_DISK_FULL;
    case EROFS:
        return IMAGE_WIN32_WRITE_PROTECT;
    case EACCES:
    case EPERM:
        return IMAGE_WIN32_ACCESS_DENIED;
    case ENOENT:
        return IMAGE_WIN32_FILE_NOT_FOUND;
    default:
        return IMAGE_WIN32_INVALID_DATA;
    }
}

static int sys_error(smsprov_error *err, int32_t *win32, const char *what,
                     const char *path)
{
    int e = errno;
    *win32 = win32_of_errno(e);
    util_error_set(err, SMSPROV_EIO, -1, "%s %s: %s", what, path, strerror(e));
    util_error_object(err, path);
    return err->code;
}

static void side_path(char *out, size_t n, const char *wim, const char *suffix)
{
    snprintf(out, n, "%s%s", wim, suffix);
}

int image_lock_take(image_lock *l, const char *wim, bool *busy, int32_t *win32,
                    smsprov_error *err)
{
    char path[PATH_MAX];
    *busy = false;
    side_path(path, sizeof(path), wim, ".smsprov-lock");
    l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (l->fd < 0)
        return sys_error(err, win32, "cannot create the lock file", path);
    if (flock(l->fd, LOCK_EX | LOCK_NB) != 0) {
        close(l->fd);
        l->fd = -1;
        *busy = true;
        return util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                              "%s is being serviced by another run", wim);
    }
    /* a killed run's working copy */
    side_path(path, sizeof(path), wim, ".smsprov-new");
    unlink(path);
    return 0;
}

void image_lock_release(image_lock *l)
{
    if (l->fd >= 0)
        close(l->fd); /* drops the flock; the file stays (harmless) */
    l->fd = -1;
}

bool image_lock_busy(const char *wim)
{
    char path[PATH_MAX];
    side_path(path, sizeof(path), wim, ".smsprov-lock");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool busy = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    close(fd);
    return busy;
}

int image_check_writable(const char *wim, int32_t *win32, smsprov_error *err)
{
    struct stat sb;
    char dir[PATH_MAX];
    if (stat(wim, &sb) != 0)
        return sys_error(err, win32, "cannot open", wim);
    /* The read-only attribute a Windows admin sets: no write bit at all.
     * Checked explicitly because root may write such a file anyway. */
    if ((sb.st_mode & 0222) == 0) {
        *win32 = IMAGE_WIN32_WRITE_PROTECT;
        util_error_set(err, SMSPROV_EACCESS, -1, "%s is read-only", wim);
        util_error_object(err, wim);
        return err->code;
    }
    snprintf(dir, sizeof(dir), "%s", wim);
    if (access(wim, W_OK) != 0 || access(dirname(dir), W_OK) != 0)
        return sys_error(err, win32, "cannot write", wim);
    return 0;
}

int image_copy_work(const char *wim, char *work, size_t n, int32_t *win32,
                    smsprov_error *err)
{
    struct stat sb;
    side_path(work, n, wim, ".smsprov-new");
    int in = open(wim, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return sys_error(err, win32, "cannot open", wim);
    if (fstat(in, &sb) != 0) {
        close(in);
        return sys_error(err, win32, "cannot stat", wim);
    }
    int out =
        open(work, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, sb.st_mode & 0777);
    if (out < 0) {
        close(in);
        return sys_error(err, win32, "cannot create", work);
    }
    int rc = 0;
    off_t left = sb.st_size;
    bool plain = false;
    static const size_t chunk = 1 << 20;
    char *buf = NULL;
    while (left > 0 && rc == 0) {
        ssize_t got;
        if (!plain) {
            got = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
            if (got < 0 && (errno == EXDEV || errno == ENOSYS ||
                            errno == EOPNOTSUPP || errno == EINVAL)) {
                plain = true; /* fall back to read/write */
                continue;
            }
        } else {
            if (buf == NULL && (buf = util_malloc(chunk)) == NULL) {
                rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
                break;
            }
            got = read(in, buf, chunk);
            if (got > 0 && write(out, buf, (size_t)got) != got)
                got = -1;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = EIO; /* the file shrank under us */
            rc = sys_error(err, win32, "cannot copy to", work);
            break;
        }
        left -= got;
    }
    util_free(buf);
    close(in);
    /* start writing the copy back now, while the backend works on it: the
     * fsync at the end of the run then has little left to do */
    if (rc == 0)
        sync_file_range(out, 0, 0, SYNC_FILE_RANGE_WRITE);
    if (close(out) != 0 && rc == 0)
        rc = sys_error(err, win32, "cannot write", work);
    if (rc != 0)
        unlink(work);
    return rc;
}

void image_discard_work(const char *work)
{
    unlink(work);
}

static void *copy_thread(void *arg)
{
    image_copy_job *j = arg;
    j->rc =
        image_copy_work(j->wim, j->work, sizeof(j->work), &j->win32, &j->err);
    return NULL;
}

bool image_copy_start(image_copy_job *j, const char *wim)
{
    memset(j, 0, sizeof(*j));
    j->err = (smsprov_error)SMSPROV_ERROR_INIT;
    if (snprintf(j->wim, sizeof(j->wim), "%s", wim) >= (int)sizeof(j->wim))
        return false;
    j->started = pthread_create(&j->thread, NULL, copy_thread, j) == 0;
    return j->started;
}

int image_copy_wait(image_copy_job *j, char *work, size_t n, int32_t *win32,
                    smsprov_error *err)
{
    if (!j->started)
        return image_copy_work(j->wim, work, n, win32, err);
    pthread_join(j->thread, NULL);
    j->started = false;
    snprintf(work, n, "%s", j->work);
    *win32 = j->win32;
    if (j->rc != 0)
        *err = j->err;
    return j->rc;
}

int image_swap(const char *wim, const char *work, int32_t *win32,
               smsprov_error *err)
{
    char bak[PATH_MAX], tmp[PATH_MAX], dir[PATH_MAX];
    side_path(bak, sizeof(bak), wim, ".bak");
    side_path(tmp, sizeof(tmp), wim, ".bak.smsprov-tmp");
    unlink(tmp);
    if (link(wim, tmp) != 0)
        return sys_error(err, win32, "cannot keep a backup of", wim);
    if (rename(tmp, bak) != 0) {
        unlink(tmp);
        return sys_error(err, win32, "cannot keep a backup of", wim);
    }
    if (rename(work, wim) != 0)
        return sys_error(err, win32, "cannot replace", wim);
    snprintf(dir, sizeof(dir), "%s", wim);
    int fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}
