/* SPDX-License-Identifier: MIT */
/*
 * Servicing package manifests (Windows\servicing\Packages\*.mum): one
 * streaming pass (libxml2 xmlTextReader, never a DOM) picks the package's
 * own <assemblyIdentity> and its <package> element, both direct children
 * of <assembly>; the identities nested deeper (parent, sub-packages) are
 * not the package's.  Also image_kb_find, which pulls a KB number out of
 * any string, and image_mum_read_dir, which reads the manifests
 * image_os_read extracted.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "image/image_int.h"
#include "sum/sum_xml.h"

#define MUM_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

/* ---- KB numbers ---------------------------------------------------------- */

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* "KB" + 6..8 digits, not glued to a word before it ("Package_for_KB..."
 * counts, "WKB123456" does not) nor followed by a ninth digit. */
bool image_kb_find(const char *s, char out[16])
{
    if (s == NULL)
        return false;
    for (size_t i = 0; s[i] != '\0'; i++) {
        if ((s[i] != 'K' && s[i] != 'k') ||
            (s[i + 1] != 'B' && s[i + 1] != 'b'))
            continue;
        if (i > 0 && is_alnum(s[i - 1]))
            continue;
        size_t n = 0;
        while (n < 9 && s[i + 2 + n] >= '0' && s[i + 2 + n] <= '9')
            n++;
        if (n < 6 || n > 8)
            continue;
        out[0] = 'K';
        out[1] = 'B';
        memcpy(out + 2, s + i + 2, n);
        out[2 + n] = '\0';
        return true;
    }
    return false;
}

/* ---- the manifest -------------------------------------------------------- */

/* A syntax error in manifest `name` at the reader's byte offset. */
static int mum_fail(smsprov_error *err, xmlTextReaderPtr r, size_t len,
                    const char *name, const char *what)
{
    long off = r ? xmlTextReaderByteConsumed(r) : 0;
    if (off < 0)
        off = 0;
    if ((size_t)off > len)
        off = (long)len;
    int rc = util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)off,
                            "%s: malformed manifest at offset %ld: %s", name,
                            off, what);
    image_error_file(err, name);
    return rc;
}

/* Copies at most IMAGE_TEXT_MAX bytes of s (cut on a UTF-8 character
 * boundary) into a; "" for NULL. */
static const char *dup_text(util_arena *a, const char *s)
{
    if (s == NULL)
        return "";
    return util_arena_strndup(a, s,
                              util_utf8_cut(s, strlen(s), IMAGE_TEXT_MAX));
}

/* Attribute `attr` of the current element into *out (arena); 0 or
 * SMSPROV_ENOMEM. */
static int get_attr(xmlTextReaderPtr r, util_arena *a, const char *attr,
                    const char **out)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)attr);
    *out = dup_text(a, (const char *)v);
    xmlFree(v);
    return *out ? 0 : SMSPROV_ENOMEM;
}

/* What the two interesting elements carry. */
typedef struct mum_fields {
    const char *name, *version, *arch, *language, *token; /* identity */
    const char *identifier, *release;                     /* package */
    bool have_ident, have_pkg;
} mum_fields;

static int read_identity(xmlTextReaderPtr r, util_arena *a, mum_fields *f)
{
    f->have_ident = true;
    if (get_attr(r, a, "name", &f->name) ||
        get_attr(r, a, "version", &f->version) ||
        get_attr(r, a, "processorArchitecture", &f->arch) ||
        get_attr(r, a, "language", &f->language) ||
        get_attr(r, a, "publicKeyToken", &f->token))
        return SMSPROV_ENOMEM;
    return 0;
}

static int read_package(xmlTextReaderPtr r, util_arena *a, mum_fields *f)
{
    f->have_pkg = true;
    if (get_attr(r, a, "identifier", &f->identifier) ||
        get_attr(r, a, "releaseType", &f->release))
        return SMSPROV_ENOMEM;
    return 0;
}

/* Reads the whole document (so that a truncated manifest is an error)
 * keeping the depth-1 identity and package. */
static int scan(xmlTextReaderPtr r, const sum_xml_errbox *box, util_arena *a,
                mum_fields *f, size_t len, const char *name, smsprov_error *err)
{
    for (;;) {
        int st = xmlTextReaderRead(r);
        if (st == 0)
            break;
        if (st < 0)
            return mum_fail(err, r, len, name,
                            box->set ? box->msg : "not well-formed");
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *ln = (const char *)xmlTextReaderConstLocalName(r);
        int depth = xmlTextReaderDepth(r);
        int rc = 0;
        if (ln == NULL)
            continue;
        if (depth == 0 && strcmp(ln, "assembly") != 0)
            return mum_fail(err, r, len, name,
                            "the root element is not <assembly>");
        if (depth == 1 && !f->have_ident && strcmp(ln, "assemblyIdentity") == 0)
            rc = read_identity(r, a, f);
        else if (depth == 1 && !f->have_pkg && strcmp(ln, "package") == 0)
            rc = read_package(r, a, f);
        if (rc != 0)
            return util_error_set(err, rc, -1, "out of memory");
    }
    if (box->set)
        return mum_fail(err, r, len, name, box->msg);
    if (!f->have_ident || f->name[0] == '\0')
        return mum_fail(err, NULL, len, name,
                        "no <assemblyIdentity name=...> under <assembly>");
    return 0;
}

int image_mum_parse(image_package *out, util_arena *a, const char *xml,
                    size_t len, const char *name, smsprov_error *err)
{
    mum_fields f = {0};
    sum_xml_errbox box = {0};
    xmlTextReaderPtr r = NULL;
    int rc;

    memset(out, 0, sizeof(*out));
    if (name == NULL)
        name = "manifest";
    if (len > IMAGE_MUM_MAX) {
        rc = util_error_set(err, SMSPROV_ETOOBIG, -1,
                            "%s: manifest larger than %u bytes", name,
                            IMAGE_MUM_MAX);
        image_error_file(err, name);
        return rc;
    }
    if (len == 0)
        return mum_fail(err, NULL, len, name, "empty file");
    sum_xml_init();
    r = sum_xml_reader(xml, len, NULL, MUM_OPTIONS, &box);
    if (r == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    rc = scan(r, &box, a, &f, len, name, err);
    if (rc != 0)
        goto out;

    char kb[16] = "";
    if (!image_kb_find(f.identifier, kb))
        image_kb_find(f.name, kb);
    /* CBS writes language "neutral" as an empty field */
    const char *lang = strcmp(f.language, "neutral") == 0 ? "" : f.language;
    out->identity = f.name;
    out->full_name = util_arena_printf(a, "%s~%s~%s~%s~%s", f.name, f.token,
                                       f.arch, lang, f.version);
    out->kb = util_arena_strdup(a, kb);
    out->version = f.version;
    out->arch = f.arch;
    out->release = f.release ? f.release : "";
    out->state = -1;
    out->installed = true;
    if (out->full_name == NULL || out->kb == NULL)
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
out:
    xmlFreeTextReader(r);
    if (rc != 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

/* ---- a directory of manifests ------------------------------------------- */

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Names of the *.mum files in dir, sorted, in a. */
static int list_mums(char ***names_out, uint32_t *n_out, util_arena *a,
                     const char *dir, smsprov_error *err)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    uint32_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    if (d == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", dir,
                              strerror(errno));
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || util_stricmp(e->d_name + len - 4, ".mum") != 0)
            continue;
        if (n == IMAGE_MAX_PACKAGES) {
            rc = util_error_set(err, SMSPROV_ETOOBIG, -1,
                                "more than %d servicing packages",
                                IMAGE_MAX_PACKAGES);
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **v = util_arena_alloc(a, cap * sizeof(*v));
            if (v == NULL) {
                rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
                break;
            }
            if (n > 0)
                memcpy(v, names, n * sizeof(*v));
            names = v;
        }
        names[n] = util_arena_strdup(a, e->d_name);
        if (names[n++] == NULL) {
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            break;
        }
    }
    closedir(d);
    if (rc == 0 && n > 1)
        qsort(names, n, sizeof(*names), by_name);
    *names_out = names;
    *n_out = rc == 0 ? n : 0;
    return rc;
}

/* Reads the regular file dir/name (not following a link: the image
 * decides what the extracted files are) into b; 1 when it is not a
 * regular file, -1 when it cannot be read (b->failed: too large). */
static int read_small(util_buf *b, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    int rc = 0;
    util_buf_reset(b);
    if (fd < 0)
        return errno == ELOOP ? 1 : -1;
    if (fstat(fd, &st) != 0) {
        rc = -1;
    } else if (!S_ISREG(st.st_mode)) {
        rc = 1;
    } else if (st.st_size > IMAGE_MUM_MAX) {
        b->failed = SMSPROV_ETOOBIG; /* not worth reading */
        rc = -1;
    } else {
        char chunk[65536];
        ssize_t got;
        while ((got = read(fd, chunk, sizeof(chunk))) > 0)
            if (util_buf_append(b, chunk, (size_t)got) != 0)
                break;
        if (got < 0 || b->failed)
            rc = -1;
    }
    close(fd);
    return rc;
}

int image_mum_read_dir(image_os *out, util_arena *a, const char *dir,
                       const char *where, smsprov_error *err)
{
    char **names = NULL;
    uint32_t n = 0;
    util_buf b = UTIL_BUF_INIT(IMAGE_MUM_MAX);
    int rc = list_mums(&names, &n, a, dir, err);
    if (rc != 0 || n == 0)
        goto out;
    out->pkgs = util_arena_alloc(a, n * sizeof(*out->pkgs));
    if (out->pkgs == NULL) {
        rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < n; i++) {
        char file[300];
        smsprov_error perr = SMSPROV_ERROR_INIT;
        image_package *p = &out->pkgs[out->npkgs];
        snprintf(file, sizeof(file), IMAGE_MUM_DIR "\\%s", names[i]);
        int r = read_small(&b, dir, names[i]);
        if (r == 1)
            continue; /* a directory or link named *.mum */
        if (r != 0) {
            rc = util_error_set(err, SMSPROV_EIO, -1, "%s: %s: cannot read%s",
                                where, file, b.failed ? " (too large)" : "");
            image_error_file(err, file);
            goto out;
        }
        rc = image_mum_parse(p, a, b.data ? b.data : "", b.len, file, &perr);
        if (rc != 0) {
            int code = rc == SMSPROV_ENOMEM ? rc : SMSPROV_EIO;
            rc = util_error_set(err, code, perr.offset, "%s: %s", where,
                                perr.msg);
            image_error_file(err, file);
            goto out;
        }
        size_t len = strlen(names[i]) - 4; /* without ".mum" */
        p->full_name = util_arena_strndup(a, names[i], len);
        if (p->full_name == NULL) {
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            goto out;
        }
        out->npkgs++;
    }
out:
    util_buf_free(&b);
    return rc;
}
