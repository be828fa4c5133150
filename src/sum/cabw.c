/* SPDX-License-Identifier: MIT */
/*
 * Output side of the catalog generator: an uncompressed MS-CAB writer
 * (CFHEADER, one CFFOLDER, CFFILEs, CFDATA blocks of 32 KiB with no
 * checksum, as the MS-CAB specification allows) and the two layouts,
 * extracted directory or wsusscn2.cab with nested cabinets.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sum/sum_gen.h"
#include "sum/sum_int.h"

#define CAB_BLOCK 32768
#define CAB_HEADER 36
#define CAB_FOLDER 8
#define CAB_FILE 16
#define CAB_MAX_BLOCKS 65535
#define CAB_MAX_FILES 65535

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)((v >> 8) & 0xff);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)((v >> (8 * i)) & 0xff);
}

/* Sequential reader over the members' bytes. */
typedef struct feed {
    const cabw_member *m;
    size_t n, i;
    uint64_t off;
    FILE *f;
} feed;

static size_t feed_read(feed *fd, unsigned char *out, size_t want, int *bad)
{
    size_t got = 0;
    while (got < want && fd->i < fd->n) {
        const cabw_member *m = &fd->m[fd->i];
        size_t take = want - got;
        if (take > m->len - fd->off)
            take = (size_t)(m->len - fd->off);
        if (m->data) {
            memcpy(out + got, m->data + fd->off, take);
        } else {
            if (fd->f == NULL && (fd->f = fopen(m->path, "rb")) == NULL) {
                *bad = 1;
                return got;
            }
            if (fread(out + got, 1, take, fd->f) != take) {
                *bad = 1;
                return got;
            }
        }
        got += take;
        fd->off += take;
        if (fd->off == m->len) {
            if (fd->f)
                fclose(fd->f);
            fd->f = NULL;
            fd->i++;
            fd->off = 0;
        }
    }
    return got;
}

int sum_cabw_write(const char *path, const cabw_member *m, size_t n,
                   smsprov_error *err)
{
    uint64_t total = 0, names = 0;
    for (size_t i = 0; i < n; i++) {
        total += m[i].len;
        names += CAB_FILE + strlen(m[i].name) + 1;
    }
    uint64_t blocks = (total + CAB_BLOCK - 1) / CAB_BLOCK;
    uint64_t head = CAB_HEADER + CAB_FOLDER + names;
    uint64_t size = head + blocks * 8 + total;
    if (n > CAB_MAX_FILES || blocks > CAB_MAX_BLOCKS || size > UINT32_MAX)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "%s: too large for one cabinet", path);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", path,
                              strerror(errno));
    unsigned char h[CAB_HEADER + CAB_FOLDER] = {0};
    memcpy(h, "MSCF", 4);
    put32(h + 8, (uint32_t)size);
    put32(h + 16, CAB_HEADER + CAB_FOLDER); /* coffFiles */
    h[24] = 3;                              /* version 1.3 */
    h[25] = 1;
    put16(h + 26, 1);              /* cFolders */
    put16(h + 28, (unsigned)n);    /* cFiles */
    put32(h + 36, (uint32_t)head); /* CFFOLDER.coffCabStart */
    put16(h + 40, (unsigned)blocks);
    put16(h + 42, 0); /* no compression */
    fwrite(h, 1, sizeof(h), f);
    uint64_t off = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char fe[CAB_FILE] = {0};
        put32(fe, (uint32_t)m[i].len);
        put32(fe + 4, (uint32_t)off);
        put16(fe + 8, 0);       /* folder 0 */
        put16(fe + 10, 0x5c21); /* 2026-01-01 */
        put16(fe + 12, 0);
        put16(fe + 14, 0x20); /* archive */
        fwrite(fe, 1, sizeof(fe), f);
        fwrite(m[i].name, 1, strlen(m[i].name) + 1, f);
        off += m[i].len;
    }
    feed fd = {m, n, 0, 0, NULL};
    unsigned char blk[8 + CAB_BLOCK];
    int bad = 0;
    for (uint64_t b = 0; b < blocks && !bad; b++) {
        size_t got = feed_read(&fd, blk + 8, CAB_BLOCK, &bad);
        put32(blk, 0); /* no checksum */
        put16(blk + 4, (unsigned)got);
        put16(blk + 6, (unsigned)got);
        fwrite(blk, 1, 8 + got, f);
    }
    if (fd.f)
        fclose(fd.f);
    if (fclose(f) != 0 || bad)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: write failed", path);
    return 0;
}

/* ---- directory layout ------------------------------------------------------
 */

typedef struct dir_sink {
    gen_sink base;
    char root[4096]; /* .../packageN */
} dir_sink;

static int dir_put(gen_sink *s, const char *name, const char *data, size_t len,
                   smsprov_error *err)
{
    dir_sink *d = (dir_sink *)s;
    char path[4300];
    (void)!snprintf(path, sizeof(path), "%s/%s", d->root, name);
    /* make the parent folders (c, x, l, l/en) */
    for (char *sl = strchr(path + strlen(d->root) + 1, '/'); sl;
         sl = strchr(sl + 1, '/')) {
        *sl = '\0';
        sum_gen_mkdir(path);
        *sl = '/';
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len) {
        if (f)
            fclose(f);
        return util_error_set(err, SMSPROV_EIO, -1, "%s: write failed", path);
    }
    fclose(f);
    return 0;
}

/* ---- cabinet layout
 * ---------------------------------------------------------- */

typedef struct mem_sink {
    gen_sink base;
    util_buf data;  /* contents back to back */
    util_buf names; /* NUL-separated names */
    size_t *lens;
    size_t n, cap;
} mem_sink;

static int mem_put(gen_sink *s, const char *name, const char *data, size_t len,
                   smsprov_error *err)
{
    mem_sink *m = (mem_sink *)s;
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        size_t *nl = util_realloc(m->lens, nc * sizeof(*nl));
        if (nl == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        m->lens = nl;
        m->cap = nc;
    }
    util_buf_append(&m->data, data, len);
    util_buf_append(&m->names, name, strlen(name) + 1);
    m->lens[m->n++] = len;
    if (m->data.failed || m->names.failed)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return 0;
}

/* Writes the collected members as one cabinet. */
static int mem_flush(mem_sink *m, const char *path, smsprov_error *err)
{
    cabw_member *v = util_calloc(m->n ? m->n : 1, sizeof(*v));
    if (v == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    const char *nm = m->names.data, *dt = m->data.data;
    for (size_t i = 0; i < m->n; i++) {
        v[i].name = nm;
        v[i].data = dt;
        v[i].len = m->lens[i];
        nm += strlen(nm) + 1;
        dt += m->lens[i];
    }
    int rc = sum_cabw_write(path, v, m->n, err);
    util_free(v);
    util_buf_reset(&m->data);
    util_buf_reset(&m->names);
    m->n = 0;
    return rc;
}

int sum_gen_write(const char *dir, const sum_gen_options *o,
                  gen_package_fn package, gen_group_fn group,
                  smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(SUM_FRAGMENT_MAX);
    util_buf index = UTIL_BUF_INIT(1 << 20);
    char path[4300], tmp[4200];
    uint64_t ng = sum_gen_ngroups(o);
    int rc = 0;
    sum_gen_mkdir(dir);
    util_buf_puts(&index, "<INDEX VERSION=\"1\"><CABLIST XOR=\"0\">"
                          "<CAB NAME=\"package.cab\" />");
    for (uint64_t g = 0; g < ng; g++)
        util_buf_printf(&index,
                        "<CAB NAME=\"package%llu.cab\" "
                        "RANGESTART=\"%lld\"%s />",
                        (unsigned long long)(g + 2),
                        (long long)sum_gen_group_start(o, g),
                        g == 0 ? " FILESDIR=\"1\"" : "");
    util_buf_puts(&index, "</CABLIST></INDEX>\n");
    (void)!snprintf(tmp, sizeof(tmp), "%s/%s", dir,
                    o->cab ? ".gen" : "package");
    sum_gen_mkdir(tmp);
    (void)!snprintf(path, sizeof(path), "%s/package.xml", tmp);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        rc = util_error_set(err, SMSPROV_EIO, -1, "%s: %s", path,
                            strerror(errno));
        goto out;
    }
    rc = package(f, o, &b, err);
    if (fclose(f) != 0 && rc == 0)
        rc = util_error_set(err, SMSPROV_EIO, -1, "%s: write failed", path);
    if (rc != 0)
        goto out;
    if (!o->cab) {
        (void)!snprintf(path, sizeof(path), "%s/index.xml", dir);
        f = fopen(path, "wb");
        if (f == NULL || fwrite(index.data, 1, index.len, f) != index.len)
            rc = util_error_set(err, SMSPROV_EIO, -1, "%s: write failed", path);
        if (f)
            fclose(f);
        for (uint64_t g = 0; rc == 0 && g < ng; g++) {
            dir_sink ds = {{dir_put}, ""};
            (void)!snprintf(ds.root, sizeof(ds.root), "%s/package%llu", dir,
                            (unsigned long long)(g + 2));
            sum_gen_mkdir(ds.root);
            uint64_t from = g * o->per_cab, to = from + o->per_cab;
            rc = group(&ds.base, o, from, to < o->n ? to : o->n, g == 0, &b,
                       err);
        }
        goto out;
    }
    /* cabinets: package.cab, packageN.cab, then the outer one */
    {
        struct stat_member {
            char name[32];
            char path[4300];
        };
        size_t nm = (size_t)ng + 2;
        cabw_member *outer = util_calloc(nm, sizeof(*outer));
        struct stat_member *sm = util_calloc(nm, sizeof(*sm));
        if (outer == NULL || sm == NULL) {
            util_free(outer);
            util_free(sm);
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            goto out;
        }
        cabw_member pm = {"package.xml", NULL, path, 0};
        FILE *pf = fopen(path, "rb");
        if (pf) {
            fseeko(pf, 0, SEEK_END);
            pm.len = (uint64_t)ftello(pf);
            fclose(pf);
        }
        (void)!snprintf(sm[1].path, sizeof(sm[1].path), "%s/package.cab", tmp);
        rc = sum_cabw_write(sm[1].path, &pm, 1, err);
        unlink(path);
        outer[0] = (cabw_member){"index.xml", index.data, NULL, index.len};
        snprintf(sm[1].name, sizeof(sm[1].name), "package.cab");
        mem_sink ms;
        memset(&ms, 0, sizeof(ms));
        ms.base.put = mem_put;
        util_buf_init(&ms.data, (size_t)1 << 31);
        util_buf_init(&ms.names, (size_t)1 << 28);
        for (uint64_t g = 0; rc == 0 && g < ng; g++) {
            struct stat_member *s = &sm[g + 2];
            snprintf(s->name, sizeof(s->name), "package%llu.cab",
                     (unsigned long long)(g + 2));
            (void)!snprintf(s->path, sizeof(s->path), "%s/%s", tmp, s->name);
            uint64_t from = g * o->per_cab, to = from + o->per_cab;
            rc = group(&ms.base, o, from, to < o->n ? to : o->n, g == 0, &b,
                       err);
            if (rc == 0)
                rc = mem_flush(&ms, s->path, err);
        }
        util_buf_free(&ms.data);
        util_buf_free(&ms.names);
        util_free(ms.lens);
        for (size_t i = 1; rc == 0 && i < nm; i++) {
            FILE *cf = fopen(sm[i].path, "rb");
            outer[i].name = sm[i].name;
            outer[i].path = sm[i].path;
            if (cf) {
                fseeko(cf, 0, SEEK_END);
                outer[i].len = (uint64_t)ftello(cf);
                fclose(cf);
            }
        }
        (void)!snprintf(path, sizeof(path), "%s/wsusscn2.cab", dir);
        if (rc == 0)
            rc = sum_cabw_write(path, outer, nm, err);
        for (size_t i = 1; i < nm; i++)
            unlink(sm[i].path);
        rmdir(tmp);
        util_free(outer);
        util_free(sm);
    }
out:
    util_buf_free(&b);
    util_buf_free(&index);
    return rc;
}
