/* SPDX-License-Identifier: MIT */
/*
 * Cabinet files through libmspack's mscab decompressor, with our own
 * mspack_system: cabinets are read from disk (stdio), members are written
 * to a file or into a bounded memory buffer.  Errors name the cabinet, the
 * member and its offset.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <mspack.h>

#include "sum/sum_int.h"

#define CAB_MEM_NAME "\001memory" /* open() target meaning "the buffer" */

/* Our mspack_system: stdio files plus one memory sink. */
typedef struct cab_sys {
    struct mspack_system sys; /* first: libmspack passes this pointer */
    util_buf *sink;           /* target of CAB_MEM_NAME writes */
} cab_sys;

/* One open file: stdio or the memory sink. */
typedef struct cab_file {
    FILE *f;       /* NULL for the memory sink */
    util_buf *buf; /* memory sink */
} cab_file;

struct sum_cab {
    cab_sys sys;
    struct mscab_decompressor *d;
    struct mscabd_cabinet *cab;
    char path[1024];
};

static struct mspack_file *sys_open(struct mspack_system *self,
                                    const char *name, int mode)
{
    cab_sys *cs = (cab_sys *)self;
    cab_file *cf = util_calloc(1, sizeof(*cf));
    if (cf == NULL)
        return NULL;
    if (strcmp(name, CAB_MEM_NAME) == 0 && cs->sink != NULL) {
        cf->buf = cs->sink;
        return (struct mspack_file *)cf;
    }
    const char *m = mode == MSPACK_SYS_OPEN_READ     ? "rb"
                    : mode == MSPACK_SYS_OPEN_WRITE  ? "wb"
                    : mode == MSPACK_SYS_OPEN_UPDATE ? "r+b"
                                                     : "ab";
    cf->f = fopen(name, m);
    if (cf->f == NULL) {
        util_free(cf);
        return NULL;
    }
    return (struct mspack_file *)cf;
}

static void sys_close(struct mspack_file *file)
{
    cab_file *cf = (cab_file *)file;
    if (cf == NULL)
        return;
    if (cf->f)
        fclose(cf->f);
    util_free(cf);
}

static int sys_read(struct mspack_file *file, void *buf, int n)
{
    cab_file *cf = (cab_file *)file;
    if (cf->f == NULL || n < 0)
        return -1;
    size_t got = fread(buf, 1, (size_t)n, cf->f);
    return ferror(cf->f) ? -1 : (int)got;
}

static int sys_write(struct mspack_file *file, void *buf, int n)
{
    cab_file *cf = (cab_file *)file;
    if (n < 0)
        return -1;
    if (cf->buf)
        return util_buf_append(cf->buf, buf, (size_t)n) == 0 ? n : -1;
    return fwrite(buf, 1, (size_t)n, cf->f) == (size_t)n ? n : -1;
}

static int sys_seek(struct mspack_file *file, off_t off, int mode)
{
    cab_file *cf = (cab_file *)file;
    int whence = mode == MSPACK_SYS_SEEK_START ? SEEK_SET
                 : mode == MSPACK_SYS_SEEK_CUR ? SEEK_CUR
                                               : SEEK_END;
    if (cf->f == NULL)
        return -1;
    return fseeko(cf->f, off, whence) == 0 ? 0 : -1;
}

static off_t sys_tell(struct mspack_file *file)
{
    cab_file *cf = (cab_file *)file;
    if (cf->f == NULL)
        return cf->buf ? (off_t)cf->buf->len : -1;
    return ftello(cf->f);
}

static void sys_message(struct mspack_file *file, const char *fmt, ...)
{
    (void)file;
    (void)fmt; /* libmspack's warnings are not ours to print */
}

static void *sys_alloc(struct mspack_system *self, size_t n)
{
    (void)self;
    return util_malloc(n);
}

static void sys_free(void *p)
{
    util_free(p);
}

static void sys_copy(void *src, void *dst, size_t n)
{
    memmove(dst, src, n);
}

/* Text for a libmspack error code. */
static const char *cab_strerror(int e)
{
    switch (e) {
    case MSPACK_ERR_OPEN:
        return "cannot open";
    case MSPACK_ERR_READ:
        return "truncated or unreadable";
    case MSPACK_ERR_WRITE:
        return "write failed";
    case MSPACK_ERR_SEEK:
        return "seek failed (truncated?)";
    case MSPACK_ERR_NOMEMORY:
        return "out of memory";
    case MSPACK_ERR_SIGNATURE:
        return "not a cabinet (bad signature)";
    case MSPACK_ERR_DATAFORMAT:
        return "corrupt cabinet header";
    case MSPACK_ERR_CHECKSUM:
        return "checksum mismatch";
    case MSPACK_ERR_DECRUNCH:
        return "corrupt compressed data";
    default:
        return "cabinet error";
    }
}

bool sum_cab_sniff(const char *path)
{
    char sig[4] = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    size_t n = fread(sig, 1, 4, f);
    fclose(f);
    return n == 4 && memcmp(sig, "MSCF", 4) == 0;
}

int sum_cab_open(sum_cab **out, const char *path, smsprov_error *err)
{
    sum_cab *c = util_calloc(1, sizeof(*c));
    *out = NULL;
    if (c == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    c->sys.sys.open = sys_open;
    c->sys.sys.close = sys_close;
    c->sys.sys.read = sys_read;
    c->sys.sys.write = sys_write;
    c->sys.sys.seek = sys_seek;
    c->sys.sys.tell = sys_tell;
    c->sys.sys.message = sys_message;
    c->sys.sys.alloc = sys_alloc;
    c->sys.sys.free = sys_free;
    c->sys.sys.copy = sys_copy;
    snprintf(c->path, sizeof(c->path), "%s", path);
    c->d = mspack_create_cab_decompressor(&c->sys.sys);
    if (c->d == NULL) {
        util_free(c);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    c->cab = c->d->open(c->d, c->path);
    if (c->cab == NULL) {
        int e = c->d->last_error(c->d);
        sum_cab_close(c);
        int rc = util_error_set(err, SMSPROV_EINVALID_SYNTAX, 0,
                                "%s: %s (at offset 0)", path, cab_strerror(e));
        if (err)
            sum_strlcpy(err->file, sizeof(err->file), path);
        return rc;
    }
    *out = c;
    return 0;
}

void sum_cab_close(sum_cab *c)
{
    if (c == NULL)
        return;
    if (c->cab)
        c->d->close(c->d, c->cab);
    if (c->d)
        mspack_destroy_cab_decompressor(c->d);
    util_free(c);
}

/* Case-blind compare of member names treating '\' and '/' alike. */
static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a == '\\' ? '/' : *a, y = *b == '\\' ? '/' : *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

static struct mscabd_file *find(sum_cab *c, const char *member)
{
    for (struct mscabd_file *f = c->cab->files; f; f = f->next)
        if (f->filename && same_name(f->filename, member))
            return f;
    return NULL;
}

bool sum_cab_has(sum_cab *c, const char *member)
{
    return find(c, member) != NULL;
}

/* Error for a member that failed to extract. */
static int member_fail(sum_cab *c, struct mscabd_file *f, int e,
                       smsprov_error *err)
{
    int rc = util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)f->offset,
                            "%s: member %s (offset %u in its folder): %s",
                            c->path, f->filename, f->offset, cab_strerror(e));
    if (err)
        sum_strlcpy(err->file, sizeof(err->file), c->path);
    return rc;
}

/* Extracts f into b (reset first). */
static int extract_mem(sum_cab *c, struct mscabd_file *f, util_buf *b,
                       smsprov_error *err)
{
    util_buf_reset(b);
    if (f->length > b->max)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "%s: member %s is too large (%u bytes)", c->path,
                              f->filename, f->length);
    c->sys.sink = b;
    int e = c->d->extract(c->d, f, CAB_MEM_NAME);
    c->sys.sink = NULL;
    if (e == MSPACK_ERR_WRITE && b->failed)
        return util_error_set(
            err, b->failed, -1, "%s: member %s: %s", c->path, f->filename,
            b->failed == SMSPROV_ETOOBIG ? "too large" : "out of memory");
    if (e != MSPACK_ERR_OK)
        return member_fail(c, f, e, err);
    if (b->len != f->length)
        return member_fail(c, f, MSPACK_ERR_READ, err);
    return 0;
}

int sum_cab_read(sum_cab *c, const char *member, char **out, size_t *len,
                 size_t max, smsprov_error *err)
{
    struct mscabd_file *f = find(c, member);
    util_buf b = UTIL_BUF_INIT(max);
    *out = NULL;
    *len = 0;
    if (f == NULL)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1, "%s: no member %s",
                              c->path, member);
    int rc = extract_mem(c, f, &b, err);
    if (rc != 0) {
        util_buf_free(&b);
        return rc;
    }
    if (b.data == NULL && util_buf_putc(&b, '\0') == 0)
        b.len = 0; /* an empty member still yields a string */
    *len = b.len;
    *out = util_buf_detach(&b);
    return *out ? 0 : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
}

int sum_cab_extract(sum_cab *c, const char *member, const char *dest,
                    smsprov_error *err)
{
    struct mscabd_file *f = find(c, member);
    if (f == NULL)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1, "%s: no member %s",
                              c->path, member);
    int e = c->d->extract(c->d, f, dest);
    if (e != MSPACK_ERR_OK)
        return member_fail(c, f, e, err);
    return 0;
}

int sum_cab_each(sum_cab *c, sum_cab_fn fn, void *payload, smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(SUM_FRAGMENT_MAX);
    int rc = 0;
    for (struct mscabd_file *f = c->cab->files; rc == 0 && f; f = f->next) {
        rc = extract_mem(c, f, &b, err);
        if (rc == 0)
            rc = fn(f->filename, b.data ? b.data : "", b.len, payload, err);
    }
    util_buf_free(&b);
    return rc;
}
