/* SPDX-License-Identifier: MIT */
/*
 * Import driver.  Recognises the input (wsusscn2.cab, its extracted
 * directory, a directory of <upd:Update> documents, or one such document),
 * then: pass one streams package.xml into records; pass two walks the
 * detail cabinets in RevisionId order (one in memory at a time, only the
 * c/ x/ and wanted l/<lang>/ members kept), merges each record with its
 * fragments and hands it to the writer.  Category records go first so
 * that updates see their names.  Everything happens in the writer's one
 * transaction; any error rolls it back.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sum/sum_int.h"
#include "sum/sum_xml.h"
#include "sum/sum_map.h"

#define CAT_PATH_MAX 4096
#define CAT_MAX_FILES_XML (1u << 22) /* update documents per directory */

/* Where the c/ x/ l/ fragments come from. */
typedef struct detail {
    bool is_cab;
    sum_cab *outer;         /* cab mode: wsusscn2.cab */
    const char *outer_name; /* for messages */
    char tmp[CAT_PATH_MAX]; /* cab mode: scratch directory */
    char dir[CAT_PATH_MAX]; /* dir mode: the extracted catalog */
    sum_cabref *refs;       /* detail cabinets by RANGESTART */
    uint32_t nrefs;
    int cur;        /* loaded group, -1 none */
    util_arena *fa; /* cab mode: member contents of `cur` */
    sum_map files;  /* "c/123" -> index into fdata */
    const char **fdata;
    size_t *flen;
    size_t nf, capf;
    const char *const *locales; /* options */
    int nlocales;
    util_buf rd;   /* dir mode read buffer */
    sum_writer *w; /* for the bytes-read count */
} detail;

/* Prefixes err's message with the outer file name when it names a
 * scratch path, so that users see "wsusscn2.cab: package2.cab: ...". */
static void rename_err(smsprov_error *err, const detail *d)
{
    if (err == NULL || !d->is_cab || d->tmp[0] == '\0')
        return;
    size_t n = strlen(d->tmp);
    char *at = strstr(err->msg, d->tmp);
    if (at == NULL)
        return;
    char msg[SMSPROV_ERROR_MSG_MAX];
    snprintf(msg, sizeof(msg), "%.*s%s: %s", (int)(at - err->msg), err->msg,
             d->outer_name, at + n + 1);
    sum_strlcpy(err->msg, sizeof(err->msg), msg);
    sum_strlcpy(err->file, sizeof(err->file), d->outer_name);
}

static int by_start(const void *x, const void *y)
{
    const sum_cabref *a = x, *b = y;
    return a->rangestart < b->rangestart ? -1 : a->rangestart > b->rangestart;
}

/* Group (index into refs) holding RevisionId rev, -1 when none. */
static int group_of(const detail *d, int64_t rev)
{
    int g = -1;
    for (uint32_t i = 0; i < d->nrefs; i++)
        if (d->refs[i].rangestart <= rev)
            g = (int)i;
    return g;
}

/* Is member name ("l/en/123") one pass two needs? */
static bool wanted(const detail *d, const char *name)
{
    if ((name[0] == 'c' || name[0] == 'x') && name[1] == '/')
        return true;
    if (name[0] != 'l' || name[1] != '/')
        return false;
    const char *lang = name + 2, *slash = strchr(lang, '/');
    if (slash == NULL || slash - lang >= 16)
        return false;
    char l[16];
    snprintf(l, sizeof(l), "%.*s", (int)(slash - lang), lang);
    if (d->nlocales == 0)
        return sum_lang_match(l, "en");
    for (int i = 0; i < d->nlocales; i++)
        if (sum_lang_match(l, d->locales[i]))
            return true;
    return false;
}

/* sum_cab_each callback: keeps the wanted members of a detail cab. */
static int keep_member(const char *member, const char *data, size_t len,
                       void *payload, smsprov_error *err)
{
    detail *d = payload;
    char name[256];
    sum_writer_add_bytes(d->w, len);
    size_t i = 0;
    for (; member[i] && i + 1 < sizeof(name); i++)
        name[i] = member[i] == '\\' ? '/' : member[i];
    name[i] = '\0';
    if (!wanted(d, name))
        return 0;
    if (d->nf == d->capf) {
        size_t nc = d->capf ? d->capf * 2 : 1024;
        const char **nd = util_realloc(d->fdata, nc * sizeof(*nd));
        if (nd == NULL)
            goto nomem;
        d->fdata = nd;
        size_t *nl = util_realloc(d->flen, nc * sizeof(*nl));
        if (nl == NULL)
            goto nomem;
        d->flen = nl;
        d->capf = nc;
    }
    char *k = util_arena_strdup(d->fa, name);
    char *v = util_arena_strndup(d->fa, data, len);
    if (k == NULL || v == NULL || sum_map_put(&d->files, k, (int64_t)d->nf))
        goto nomem;
    d->fdata[d->nf] = v;
    d->flen[d->nf] = len;
    d->nf++;
    return 0;
nomem:
    return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
}

/* Makes group g current (cab mode: decompresses it into memory). */
static int load_group(detail *d, int g, smsprov_error *err)
{
    if (g == d->cur)
        return 0;
    d->cur = g;
    if (!d->is_cab || g < 0)
        return 0;
    sum_map_free(&d->files);
    sum_map_init(&d->files);
    util_arena_free(d->fa);
    d->fa = util_arena_new();
    d->nf = 0;
    if (d->fa == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    const char *name = d->refs[g].name;
    if (!sum_cab_has(d->outer, name))
        return 0; /* index lists a cabinet the catalog lacks: no fragments */
    char path[CAT_PATH_MAX + 80];
    snprintf(path, sizeof(path), "%s/%s", d->tmp, name);
    sum_cab *c = NULL;
    int rc = sum_cab_extract(d->outer, name, path, err);
    if (rc == 0)
        rc = sum_cab_open(&c, path, err);
    if (rc == 0)
        rc = sum_cab_each(c, keep_member, d, err);
    sum_cab_close(c);
    unlink(path);
    if (rc != 0)
        rename_err(err, d);
    return rc;
}

/* A fragment of RevisionId rev: kind "c", "x" or "l/<lang>". */
static int get_fragment(detail *d, const char *kind, int64_t rev,
                        const char **data, size_t *len, smsprov_error *err)
{
    char name[128];
    *data = NULL;
    *len = 0;
    if (d->cur < 0)
        return 0;
    snprintf(name, sizeof(name), "%s/%lld", kind, (long long)rev);
    if (d->is_cab) {
        int64_t i;
        if (sum_map_get(&d->files, name, &i)) {
            *data = d->fdata[i];
            *len = d->flen[i];
        }
        return 0;
    }
    char path[CAT_PATH_MAX * 2];
    char grp[64];
    snprintf(grp, sizeof(grp), "%s", d->refs[d->cur].name);
    char *dot = strrchr(grp, '.');
    if (dot && util_stricmp(dot, ".cab") == 0)
        *dot = '\0';
    snprintf(path, sizeof(path), "%s/%s/%s", d->dir, grp, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    util_buf_reset(&d->rd);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (util_buf_append(&d->rd, chunk, n) != 0)
            break;
    bool bad = ferror(f) != 0;
    fclose(f);
    if (d->rd.failed || bad)
        return util_error_set(err, d->rd.failed ? d->rd.failed : SMSPROV_EIO,
                              -1, "%s: cannot read", path);
    *data = util_buf_cstr(&d->rd);
    *len = d->rd.len;
    sum_writer_add_bytes(d->w, *len);
    return 0;
}

/* Parses one fragment kind of rev into u. */
static int fragment(detail *d, sum_update *u, const char *kind, int64_t rev,
                    smsprov_error *err)
{
    const char *data;
    size_t len;
    int rc = get_fragment(d, kind, rev, &data, &len, err);
    if (rc != 0 || data == NULL)
        return rc;
    /* the fragment's name in errors, e.g. "wsusscn2.cab: package2.cab/c/42" */
    util_buf name = UTIL_BUF_INIT(CAT_PATH_MAX);
    util_buf_printf(&name, "%s%s%s/%s/%lld", d->is_cab ? d->outer_name : d->dir,
                    d->is_cab ? ": " : "/",
                    d->cur >= 0 ? d->refs[d->cur].name : "", kind,
                    (long long)rev);
    rc = sum_xml_update(u, data, len, true, util_buf_cstr(&name), err);
    util_buf_free(&name);
    return rc;
}

/* Builds the merged record i and writes it. */
static int one_record(detail *d, sum_pkg *pk, uint32_t i, sum_writer *w,
                      util_arena *a, bool as_category, smsprov_error *err)
{
    sum_update u;
    util_arena_reset(a);
    sum_update_init(&u, a);
    int64_t rev = sum_pkg_revid(pk, i);
    int rc = load_group(d, group_of(d, rev), err);
    if (rc == 0)
        rc = fragment(d, &u, "c", rev, err);
    if (rc == 0)
        rc = fragment(d, &u, "x", rev, err);
    /* l/<lang> for every imported locale (and its primary tag) */
    int nl = d->nlocales ? d->nlocales : 1;
    for (int k = 0; rc == 0 && k < nl; k++) {
        const char *opt = d->nlocales ? d->locales[k] : "en";
        char tag[24], kind[32];
        snprintf(tag, sizeof(tag), "%s", opt);
        for (char *c = tag; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        snprintf(kind, sizeof(kind), "l/%s", tag);
        rc = fragment(d, &u, kind, rev, err);
        size_t cut = strcspn(tag, "-_");
        if (rc == 0 && tag[cut] != '\0') {
            tag[cut] = '\0';
            snprintf(kind, sizeof(kind), "l/%s", tag);
            rc = fragment(d, &u, kind, rev, err);
        }
    }
    if (rc == 0)
        rc = sum_pkg_fill(pk, i, &u, err);
    if (rc != 0)
        return rc;
    if (as_category || u.kind == SUM_KIND_CATEGORY)
        return sum_writer_category(w, sum_pkg_guid_cat_type(pk, u.uid), u.uid,
                                   &u, err);
    return sum_writer_update(w, &u, err);
}

/* Pass two over every record (categories first). */
static int pass_two(detail *d, sum_pkg *pk, sum_writer *w, smsprov_error *err)
{
    util_arena *a = util_arena_new();
    uint32_t n = sum_pkg_count(pk);
    int rc = 0;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    sum_writer_progress(w, "categories", n, SUM_KEEP, SUM_KEEP);
    for (uint32_t i = 0; rc == 0 && i < n; i++)
        if (!sum_pkg_is_dup(pk, i) && sum_pkg_is_category(pk, i))
            rc = one_record(d, pk, i, w, a, true, err);
    sum_writer_progress(w, "updates", n, SUM_KEEP, SUM_KEEP);
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        if (sum_pkg_is_dup(pk, i)) {
            sum_writer_skip(w, 0);
            continue;
        }
        if (!sum_pkg_is_category(pk, i))
            rc = one_record(d, pk, i, w, a, false, err);
    }
    util_arena_free(a);
    return rc;
}

/* Removes the scratch directory and what is left in it. */
static void rm_tmp(const char *dir)
{
    DIR *dd = opendir(dir);
    if (dd == NULL)
        return;
    struct dirent *de;
    while ((de = readdir(dd)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char p[CAT_PATH_MAX + 300];
        snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(dd);
    rmdir(dir);
}

/* Reads index.xml (cab or dir) into d->refs, sorted by RANGESTART. */
static int read_index(detail *d, const char *text, size_t len, const char *name,
                      smsprov_error *err)
{
    sum_cabref *all = NULL;
    uint32_t n = 0;
    int rc = sum_xml_index(&all, &n, text, len, name, err);
    if (rc != 0)
        return rc;
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (all[i].rangestart >= 0)
            all[k++] = all[i];
    qsort(all, k, sizeof(*all), by_start);
    d->refs = all;
    d->nrefs = k;
    return 0;
}

/* Reads a whole (small) file; *out util_malloc'd and NUL-terminated. */
static int slurp(const char *path, char **out, size_t *len, size_t max,
                 smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(max);
    FILE *f = fopen(path, "rb");
    *out = NULL;
    *len = 0;
    if (f == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", path,
                              strerror(errno));
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (util_buf_append(&b, chunk, n) != 0)
            break;
    bool bad = ferror(f) != 0;
    fclose(f);
    if (b.failed || bad) {
        util_buf_free(&b);
        return util_error_set(err, bad ? SMSPROV_EIO : b.failed, -1,
                              "%s: cannot read (or too large)", path);
    }
    util_buf_putc(&b, '\0');
    *len = b.len ? b.len - 1 : 0;
    *out = util_buf_detach(&b);
    return 0;
}

static uint64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

/* Progress of pass one, forwarded to the writer's reporter. */
typedef struct p1 {
    sum_writer *w;
    uint64_t size;
} p1;

static void pass_one_progress(const sum_progress *pr, void *payload)
{
    p1 *x = payload;
    sum_writer_progress_read(x->w, pr->updates, pr->bytes, x->size);
}

/* wsusscn2 (cab or extracted directory). */
static int import_wsusscn2(sum_writer *w, const char *path, bool is_cab,
                           const sum_options *o, smsprov_error *err)
{
    detail d;
    sum_pkg *pk = NULL;
    char *index = NULL;
    size_t ilen = 0;
    char pkgxml[CAT_PATH_MAX + 64];
    int rc = 0;
    memset(&d, 0, sizeof(d));
    d.cur = -1;
    d.is_cab = is_cab;
    d.outer_name = path;
    d.w = w;
    d.locales = o ? o->locales : NULL;
    d.nlocales = o ? o->nlocales : 0;
    util_buf_init(&d.rd, SUM_FRAGMENT_MAX);
    sum_map_init(&d.files);
    if (is_cab) {
        const char *t = getenv("TMPDIR");
        snprintf(d.tmp, sizeof(d.tmp), "%s/smsprov-catalog-XXXXXX",
                 t && t[0] ? t : "/tmp");
        if (mkdtemp(d.tmp) == NULL) {
            d.tmp[0] = '\0';
            rc = util_error_set(err, SMSPROV_EIO, -1,
                                "cannot create a scratch directory: %s",
                                strerror(errno));
            goto out;
        }
        rc = sum_cab_open(&d.outer, path, err);
        if (rc == 0)
            rc =
                sum_cab_read(d.outer, "index.xml", &index, &ilen, 1 << 20, err);
        if (rc == 0)
            rc = read_index(&d, index, ilen, "index.xml", err);
        char pcab[CAT_PATH_MAX + 64];
        snprintf(pcab, sizeof(pcab), "%s/package.cab", d.tmp);
        snprintf(pkgxml, sizeof(pkgxml), "%s/package.xml", d.tmp);
        sum_cab *pc = NULL;
        if (rc == 0)
            rc = sum_cab_extract(d.outer, "package.cab", pcab, err);
        if (rc == 0)
            rc = sum_cab_open(&pc, pcab, err);
        if (rc == 0)
            rc = sum_cab_extract(pc, "package.xml", pkgxml, err);
        sum_cab_close(pc);
        unlink(pcab);
        if (rc != 0) {
            rename_err(err, &d);
            goto out;
        }
    } else {
        snprintf(d.dir, sizeof(d.dir), "%s", path);
        char ip[CAT_PATH_MAX + 64];
        snprintf(ip, sizeof(ip), "%s/index.xml", path);
        if (access(ip, R_OK) == 0) {
            rc = slurp(ip, &index, &ilen, 1 << 20, err);
            if (rc == 0)
                rc = read_index(&d, index, ilen, ip, err);
        }
        snprintf(pkgxml, sizeof(pkgxml), "%s/package/package.xml", path);
        if (rc == 0 && access(pkgxml, R_OK) != 0)
            snprintf(pkgxml, sizeof(pkgxml), "%s/package.xml", path);
        if (rc != 0)
            goto out;
    }
    rc = sum_pkg_new(&pk, sum_writer_store(w), err);
    p1 pp = {w, file_size(pkgxml)};
    if (rc == 0)
        rc = sum_pkg_read(pk, pkgxml, pass_one_progress, &pp, err);
    if (rc != 0) {
        if (err && err->file[0] == '\0')
            sum_strlcpy(err->file, sizeof(err->file), pkgxml);
        if (is_cab && err) {
            char msg[SMSPROV_ERROR_MSG_MAX];
            /* precisions keep the parts within msg (the compiler checks) */
            (void)!snprintf(msg, sizeof(msg), "%.160s: package.cab: %.320s",
                            path, err->msg);
            sum_strlcpy(err->msg, sizeof(err->msg), msg);
            sum_strlcpy(err->file, sizeof(err->file), path);
        }
        goto out;
    }
    if (is_cab)
        unlink(pkgxml);
    sum_writer_stats(w)->bytes = pp.size;
    sum_writer_progress(w, "updates", sum_pkg_count(pk), pp.size,
                        is_cab ? file_size(path) : pp.size);
    rc = pass_two(&d, pk, w, err);
out:
    sum_pkg_free(pk);
    util_free(index);
    util_free(d.refs);
    util_free(d.fdata);
    util_free(d.flen);
    sum_map_free(&d.files);
    util_arena_free(d.fa);
    util_buf_free(&d.rd);
    sum_cab_close(d.outer);
    if (d.tmp[0])
        rm_tmp(d.tmp);
    return rc;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* State of an update-document import. */
typedef struct docs {
    sum_writer *w;
    int pass;         /* 0 categories, 1 everything else */
    util_arena *a;    /* per document */
    util_arena *keep; /* whole import: SOAP fileUrls */
    sum_map urls;     /* base64 SHA1 digest -> URL (into keep) */
    const char *path; /* for messages */
} docs;

/* Parses one <upd:Update> text and writes it in its pass. */
static int write_doc(docs *c, const char *text, size_t len, smsprov_error *err)
{
    sum_update u;
    util_arena_reset(c->a);
    sum_update_init(&u, c->a);
    int rc = sum_xml_update(&u, text, len, false, c->path, err);
    if (rc != 0 || (u.kind == SUM_KIND_CATEGORY) != (c->pass == 0))
        return rc;
    for (uint32_t i = 0; i < u.nfiles; i++) {
        int64_t k;
        if (u.files[i].sha1 && sum_map_get(&c->urls, u.files[i].sha1, &k))
            u.files[i].url = (const char *)(intptr_t)k;
    }
    if (u.kind == SUM_KIND_CATEGORY)
        return sum_writer_category(c->w, u.cat_type, u.uid, &u, err);
    return sum_writer_update(c->w, &u, err);
}

/* sum_xml_soap callback: update blobs and file URLs. */
static int soap_item(const char *blob, size_t len, const char *digest,
                     const char *url, void *payload, smsprov_error *err)
{
    docs *c = payload;
    if (blob != NULL)
        return write_doc(c, blob, len, err);
    if (digest == NULL) { /* XmlUpdateBlobCompressed: not read */
        if (c->pass == 1)
            sum_writer_skip(c->w, 0);
        return 0;
    }
    if (c->pass != 0)
        return 0;
    char *k = util_arena_strdup(c->keep, digest);
    char *v = util_arena_strdup(c->keep, url);
    if (k == NULL || v == NULL ||
        sum_map_put(&c->urls, k, (int64_t)(intptr_t)v) != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return 0;
}

/* One file: an <upd:Update> document or a GetUpdateData SOAP response. */
static int import_doc(docs *c, const char *path, smsprov_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = slurp(path, &text, &len, SUM_FRAGMENT_MAX, err);
    if (rc != 0)
        return rc;
    c->path = path;
    char head[1024];
    sum_strlcpy(head, sizeof(head), text);
    if (strstr(head, "Envelope") != NULL)
        rc = sum_xml_soap(text, len, path, soap_item, c, err);
    else
        rc = write_doc(c, text, len, err);
    util_free(text);
    return rc;
}

/* A directory of update documents (*.xml), or one document. */
static int import_docs(sum_writer *w, const char *path, bool one,
                       smsprov_error *err)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    util_arena *a = util_arena_new();
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (!one) {
        DIR *dd = opendir(path);
        if (dd == NULL) {
            util_arena_free(a);
            return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", path,
                                  strerror(errno));
        }
        struct dirent *de;
        while (rc == 0 && (de = readdir(dd)) != NULL) {
            size_t l = strlen(de->d_name);
            if (l < 5 || util_stricmp(de->d_name + l - 4, ".xml") != 0)
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                char **nn = cap <= CAT_MAX_FILES_XML
                                ? util_realloc(names, cap * sizeof(*nn))
                                : NULL;
                if (nn == NULL) {
                    rc = util_error_set(err, SMSPROV_ENOMEM, -1,
                                        "too many update documents");
                    break;
                }
                names = nn;
            }
            names[n] = util_arena_printf(a, "%s/%s", path, de->d_name);
            if (names[n] == NULL)
                rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            n++;
        }
        closedir(dd);
        if (rc == 0)
            qsort(names, n, sizeof(*names), by_name);
    }
    docs c = {w, 0, util_arena_new(), util_arena_new(), {0}, path};
    sum_map_init(&c.urls);
    if (c.a == NULL || c.keep == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    size_t total = one ? 1 : n;
    sum_writer_progress(w, "updates", total, SUM_KEEP, SUM_KEEP);
    for (c.pass = 0; rc == 0 && c.pass < 2; c.pass++)
        for (size_t i = 0; rc == 0 && i < total; i++)
            rc = import_doc(&c, one ? path : names[i], err);
    sum_map_free(&c.urls);
    util_arena_free(c.a);
    util_arena_free(c.keep);
    util_free(names);
    util_arena_free(a);
    return rc;
}

/* sum_cab_each callback: one member of an archive of update documents. */
static int cab_doc(const char *member, const char *data, size_t len,
                   void *payload, smsprov_error *err)
{
    docs *c = payload;
    size_t n = strlen(member);
    if (n < 5 || util_stricmp(member + n - 4, ".xml") != 0)
        return 0; /* not an update document */
    if (len > SUM_FRAGMENT_MAX)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "%s: %s is larger than %d bytes", c->path, member,
                              SUM_FRAGMENT_MAX);
    char head[1024];
    size_t h = len < sizeof(head) - 1 ? len : sizeof(head) - 1;
    memcpy(head, data, h);
    head[h] = '\0';
    if (strstr(head, "Envelope") != NULL)
        return sum_xml_soap(data, len, c->path, soap_item, c, err);
    return write_doc(c, data, len, err);
}

/* A cabinet of update documents (*.xml members), read twice like a
 * directory: categories first, then everything else. */
static int import_doc_cab(sum_writer *w, const char *path, smsprov_error *err)
{
    sum_cab *cab = NULL;
    docs c = {w, 0, util_arena_new(), util_arena_new(), {0}, path};
    int rc = sum_cab_open(&cab, path, err);
    sum_map_init(&c.urls);
    if (rc == 0 && (c.a == NULL || c.keep == NULL))
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (c.pass = 0; rc == 0 && c.pass < 2; c.pass++)
        rc = sum_cab_each(cab, cab_doc, &c, err);
    sum_cab_close(cab);
    sum_map_free(&c.urls);
    util_arena_free(c.a);
    util_arena_free(c.keep);
    return rc;
}

/* Is a cabinet the offline scan catalog (it carries package.cab)? */
static bool is_wsusscn2(const char *path)
{
    sum_cab *cab = NULL;
    smsprov_error e = SMSPROV_ERROR_INIT;
    if (sum_cab_open(&cab, path, &e) != 0)
        return true; /* let the catalog reader report the damage */
    bool yes = sum_cab_has(cab, "package.cab") || sum_cab_has(cab, "index.xml");
    sum_cab_close(cab);
    return yes;
}

/* Does the file start like an OfflineSyncPackage? */
static bool looks_like_package(const char *path)
{
    char head[512] = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    size_t n = fread(head, 1, sizeof(head) - 1, f);
    fclose(f);
    head[n] = '\0';
    return strstr(head, "OfflineSyncPackage") != NULL;
}

int sum_import(provider *p, const char *path, const sum_options *opts,
               sum_stats *stats, smsprov_error *err)
{
    struct stat sb;
    sum_writer *w = NULL;
    sum_options o;
    int rc;
    if (opts)
        o = *opts;
    else
        memset(&o, 0, sizeof(o));
    if (opts == NULL)
        o.expire_months = SUM_EXPIRE_STORED;
    if (stats)
        memset(stats, 0, sizeof(*stats));
    if (stat(path, &sb) != 0)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1, "%s: %s", path,
                              strerror(errno));
    sum_xml_init();
    enum { K_CAB, K_DIR, K_DOCS, K_DOC, K_PKG, K_DOC_CAB } kind;
    char probe[CAT_PATH_MAX + 64];
    if (S_ISDIR(sb.st_mode)) {
        snprintf(probe, sizeof(probe), "%s/package/package.xml", path);
        bool pkg = access(probe, R_OK) == 0;
        snprintf(probe, sizeof(probe), "%s/package.xml", path);
        pkg = pkg || access(probe, R_OK) == 0;
        kind = pkg ? K_DIR : K_DOCS;
    } else if (sum_cab_sniff(path)) {
        kind = is_wsusscn2(path) ? K_CAB : K_DOC_CAB;
    } else {
        kind = looks_like_package(path) ? K_PKG : K_DOC;
    }
    if (kind == K_DOCS || kind == K_DOC || kind == K_DOC_CAB)
        o.partial = true; /* update documents never list every update */
    rc = sum_writer_open(&w, p, &o, err);
    if (rc != 0)
        return rc;
    switch (kind) {
    case K_CAB:
        rc = import_wsusscn2(w, path, true, &o, err);
        break;
    case K_DIR:
        rc = import_wsusscn2(w, path, false, &o, err);
        break;
    case K_PKG: {
        /* a bare package.xml: its directory has no fragments */
        char dir[CAT_PATH_MAX];
        snprintf(dir, sizeof(dir), "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else
            snprintf(dir, sizeof(dir), ".");
        rc = import_wsusscn2(w, dir, false, &o, err);
        break;
    }
    case K_DOCS:
        rc = import_docs(w, path, false, err);
        break;
    case K_DOC:
        rc = import_docs(w, path, true, err);
        break;
    case K_DOC_CAB:
        rc = import_doc_cab(w, path, err);
        break;
    }
    if (rc == 0)
        rc = sum_writer_finish(w, stats, err);
    sum_writer_free(w);
    if (rc != 0 && err && err->file[0] == '\0')
        sum_strlcpy(err->file, sizeof(err->file), path);
    return rc;
}
