/* SPDX-License-Identifier: MIT */
/*
 * The content of an update, found in the content library and verified
 * before anything touches an image.  The library is a directory laid out
 * as ConfigMgr deployment packages are: <dir>/<ContentID>/<FileName>, or
 * flat <dir>/<FileName>.  Every file listed in SMS_CIContentFiles for the
 * update must be there with the size and the SHA-1 (FileHash) and SHA-256
 * (catalog digest) the catalog gives.  Failures carry the code DISM would
 * report: CBS_E_SOURCE_MISSING for a missing file, CRYPT_E_HASH_VALUE for
 * a digest or size mismatch.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/image.h"
#include "image/image_content.h"
#include "image/image_int.h"
#include "image/image_run.h"
#include "sum/sum.h"

typedef struct file_row {
    int64_t content_id;
    const char *name;
    const char *hash; /* FileHash, "SHA1:<hex>" */
    const char *url;  /* SourceURL */
    int64_t size;
} file_row;

typedef struct collect {
    util_arena *a;
    file_row *v;
    size_t n, cap;
    bool nomem;
} collect;

static int on_file(const wql_plan *plan, cim_instance **parts, int64_t count,
                   void *payload)
{
    (void)plan, (void)count;
    collect *c = payload;
    const cim_instance *f = parts[1];
    file_row *v = util_arena_grow(c->a, c->v, c->n, &c->cap, sizeof(*v));
    if (v == NULL)
        return c->nomem = true, SMSPROV_ENOMEM;
    c->v = v;
    file_row *r = &c->v[c->n++];
    r->content_id = cim_instance_int(f, "ContentID", 0);
    r->name = util_arena_strdup(c->a, cim_instance_str(f, "FileName", ""));
    r->hash = util_arena_strdup(c->a, cim_instance_str(f, "FileHash", ""));
    r->size = cim_instance_int(f, "FileSize", -1);
    r->url = util_arena_strdup(c->a, cim_instance_str(f, "SourceURL", ""));
    if (r->name == NULL || r->hash == NULL || r->url == NULL)
        return c->nomem = true, SMSPROV_ENOMEM;
    return 0;
}

/* The SHA-1 and (when want256) SHA-256 of a file, in one pass, as
 * lowercase hex.  Only the digests the catalog lists are computed. */
static int digest_file(const char *path, bool want256, char sha1[41],
                       char sha256[65], int64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    enum { BUFSZ = 1 << 17 };
    EVP_MD_CTX *c1 = EVP_MD_CTX_new();
    EVP_MD_CTX *c2 = want256 ? EVP_MD_CTX_new() : NULL;
    unsigned char *buf = util_malloc(BUFSZ);
    int rc =
        buf && c1 && (c2 || !want256) &&
                EVP_DigestInit_ex(c1, EVP_sha1(), NULL) == 1 &&
                (!want256 || EVP_DigestInit_ex(c2, EVP_sha256(), NULL) == 1)
            ? 0
            : -1;
    ssize_t got;
    *size = 0;
    sha256[0] = '\0';
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    while (rc == 0 && (got = read(fd, buf, BUFSZ)) != 0) {
        if (got < 0) {
            if (errno == EINTR)
                continue;
            rc = -1;
            break;
        }
        *size += got;
        if (EVP_DigestUpdate(c1, buf, (size_t)got) != 1 ||
            (want256 && EVP_DigestUpdate(c2, buf, (size_t)got) != 1))
            rc = -1;
    }
    unsigned char md[32];
    unsigned n = 0;
    if (rc == 0 && EVP_DigestFinal_ex(c1, md, &n) == 1 && n == 20)
        for (unsigned i = 0; i < n; i++)
            snprintf(sha1 + 2 * i, 3, "%02x", md[i]);
    else
        rc = -1;
    if (rc == 0 && want256) {
        if (EVP_DigestFinal_ex(c2, md, &n) == 1 && n == 32)
            for (unsigned i = 0; i < n; i++)
                snprintf(sha256 + 2 * i, 3, "%02x", md[i]);
        else
            rc = -1;
    }
    EVP_MD_CTX_free(c1);
    EVP_MD_CTX_free(c2);
    util_free(buf);
    close(fd);
    return rc;
}

/* First existing file among the library's two layouts, or NULL. */
static char *locate(util_arena *a, const char *dir, const file_row *f)
{
    struct stat sb;
    char *p = util_arena_printf(a, "%s/%lld/%s", dir, (long long)f->content_id,
                                f->name);
    if (p != NULL && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
        return p;
    p = util_arena_printf(a, "%s/%s", dir, f->name);
    if (p != NULL && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
        return p;
    return NULL;
}

/* A file name that stays inside the library (no separators, no ..). */
static bool safe_name(const char *n)
{
    return n[0] != '\0' && strchr(n, '/') == NULL && strchr(n, '\\') == NULL &&
           strcmp(n, ".") != 0 && strcmp(n, "..") != 0;
}

int image_content_dir(provider *p, const image_run_opts *o, util_arena *a,
                      const char **dir, smsprov_error *err)
{
    *dir = NULL;
    if (o != NULL && o->content_dir != NULL && o->content_dir[0] != '\0') {
        *dir = util_arena_strdup(a, o->content_dir);
        return *dir ? 0
                    : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    char *set = NULL;
    int rc = sum_setting_get(p, IMAGE_SET_CONTENT, &set, err);
    if (rc == 0 && set != NULL && set[0] != '\0' &&
        (*dir = util_arena_strdup(a, set)) == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    util_free(set);
    return rc;
}

bool image_content_download(provider *p)
{
    char *v = NULL;
    smsprov_error e = SMSPROV_ERROR_INIT;
    bool on = sum_setting_get(p, IMAGE_SET_DOWNLOAD, &v, &e) == 0 &&
              v != NULL && strcmp(v, "1") == 0;
    util_free(v);
    return on;
}

/* Downloads f into the library as <dir>/<ContentID>/<FileName>; its path,
 * or NULL with err set and *code for the rows. */
static char *download(util_arena *a, const char *dir, const file_row *f,
                      int32_t *code, smsprov_error *err)
{
    char *sub = util_arena_printf(a, "%s/%lld", dir, (long long)f->content_id);
    char *path = sub ? util_arena_printf(a, "%s/%s", sub, f->name) : NULL;
    if (path == NULL) {
        util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        return NULL;
    }
    if (mkdir(sub, 0755) != 0 && errno != EEXIST) {
        *code = IMAGE_WIN32_ACCESS_DENIED;
        util_error_set(err, SMSPROV_EIO, -1, "%s: %s", sub, strerror(errno));
        return NULL;
    }
    return image_fetch(f->url, path, code, err) == 0 ? path : NULL;
}

int image_content_resolve(image_content *out, util_arena *a, provider *p,
                          const char *dir, bool download_missing, int32_t ci_id,
                          smsprov_error *err)
{
    memset(out, 0, sizeof(*out));
    if (dir == NULL) {
        out->code = IMAGE_HR_SOURCE_MISSING;
        return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                              "no content library for update %d: give one "
                              "with 'smsprov image content DIR' or --content",
                              ci_id);
    }
    char wql[200];
    snprintf(wql, sizeof(wql),
             "SELECT c.CI_ID, f.ContentID, f.FileName, f.FileHash, f.FileSize, "
             "f.SourceURL FROM SMS_CIToContent c JOIN SMS_CIContentFiles f "
             "ON c.ContentID = f.ContentID WHERE c.CI_ID = %d",
             ci_id);
    collect c = {a, NULL, 0, 0, false};
    int rc = provider_query(p, wql, strlen(wql), on_file, &c, err);
    if (rc != 0)
        return c.nomem
                   ? util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory")
                   : rc;
    if (c.n == 0) {
        out->code = IMAGE_HR_SOURCE_MISSING;
        return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                              "update %d has no content files in the catalog",
                              ci_id);
    }
    out->paths = util_arena_alloc(a, c.n * sizeof(*out->paths));
    out->names = util_arena_alloc(a, c.n * sizeof(*out->names));
    if (out->paths == NULL || out->names == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; i < c.n; i++) {
        const file_row *f = &c.v[i];
        char *path = safe_name(f->name) ? locate(a, dir, f) : NULL;
        bool fetched = false;
        if (path == NULL && download_missing && safe_name(f->name) &&
            image_fetchable(f->url)) {
            int32_t code = IMAGE_HR_SOURCE_MISSING;
            path = download(a, dir, f, &code, err);
            if (path == NULL) {
                out->code = code;
                util_error_object(err, f->name);
                return err->code;
            }
            fetched = true;
        }
        if (path == NULL) {
            out->code = IMAGE_HR_SOURCE_MISSING;
            util_error_set(err, SMSPROV_ENOTFOUND, -1,
                           "content file %s of update %d is not in the "
                           "content library %s",
                           f->name, ci_id, dir);
            util_error_object(err, f->name);
            return err->code;
        }
        char want1[41], want256[65], got1[41], got256[65];
        int64_t size = 0;
        smsprov_error e2 = SMSPROV_ERROR_INIT;
        if (sum_content_digest(p, f->content_id, f->name, want1, want256,
                               &e2) != 0)
            want1[0] = want256[0] = '\0';
        if (want1[0] == '\0' && util_strnicmp(f->hash, "SHA1:", 5) == 0)
            snprintf(want1, sizeof(want1), "%s", f->hash + 5);
        if (digest_file(path, want256[0] != '\0', got1, got256, &size) != 0) {
            out->code = IMAGE_WIN32_ACCESS_DENIED;
            return util_error_set(err, SMSPROV_EIO, -1, "cannot read %s: %s",
                                  path, strerror(errno));
        }
        const char *bad = NULL;
        if (f->size > 0 && size != f->size)
            bad = "size";
        else if (want1[0] && util_stricmp(want1, got1) != 0)
            bad = "SHA-1";
        else if (want256[0] && util_stricmp(want256, got256) != 0)
            bad = "SHA-256";
        else if (!want1[0] && !want256[0])
            bad = "digest (the catalog lists none)";
        if (bad != NULL) {
            if (fetched)
                unlink(path); /* the next run downloads it again */
            out->code = IMAGE_HR_HASH_MISMATCH;
            util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                           "content file %s of update %d: %s does not match "
                           "the catalog",
                           path, ci_id, bad);
            util_error_object(err, f->name);
            return err->code;
        }
        out->paths[out->n] = path;
        out->names[out->n] = f->name;
        out->n++;
    }
    return 0;
}
