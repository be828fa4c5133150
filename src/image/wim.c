/* SPDX-License-Identifier: MIT */
/*
 * Reading a WIM through wimlib, read-only and never extracting an image
 * whole: the WIM's own XML metadata (index names, editions, versions;
 * image_wim_read), and the few files of one index that say which Windows
 * it holds and which packages are installed (image_os_read: the SOFTWARE
 * hive and the servicing manifests, extracted to a private temporary
 * directory that is removed again).  Also the wimlib → Win32 error map.
 */
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>
#include <wimlib.h>

#include "image/image_int.h"
#include "sum/sum_xml.h"

#define WIM_XML_OPTIONS                                                        \
    (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

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

/* ---- the XML document ---------------------------------------------------- */

/* Elements of the WIM XML this reader keeps: containers, and leaves whose
 * text goes to a field of image_index (kind, offset). */
typedef enum wel {
    W_OTHER = 0, /* anything else, and whatever is below it */
    W_WIM,
    W_IMAGE,
    W_WINDOWS,
    W_VERSION,
    W_LANGUAGES,
    W_SMSPROV,
    W_LEAF,
} wel;

typedef enum wkind { K_NONE, K_STR, K_U32, K_U64, K_ARCH, K_LANG } wkind;

typedef struct wel_def {
    wel parent;
    const char *name;
    wel code;
    wkind kind;
    size_t off; /* offsetof(image_index, field) of a leaf */
} wel_def;

#define LEAF(parent, name, kind, field)                                        \
    {                                                                          \
        parent, name, W_LEAF, kind, offsetof(image_index, field)               \
    }

static const wel_def wels[] = {
    {W_WIM, "IMAGE", W_IMAGE, K_NONE, 0},
    {W_IMAGE, "WINDOWS", W_WINDOWS, K_NONE, 0},
    {W_IMAGE, "SMSPROV", W_SMSPROV, K_NONE, 0},
    {W_WINDOWS, "VERSION", W_VERSION, K_NONE, 0},
    {W_WINDOWS, "LANGUAGES", W_LANGUAGES, K_NONE, 0},
    LEAF(W_IMAGE, "NAME", K_STR, name),
    LEAF(W_IMAGE, "DESCRIPTION", K_STR, description),
    LEAF(W_IMAGE, "TOTALBYTES", K_U64, total_bytes),
    LEAF(W_IMAGE, "FILECOUNT", K_U64, file_count),
    LEAF(W_IMAGE, "DIRCOUNT", K_U64, dir_count),
    LEAF(W_WINDOWS, "EDITIONID", K_STR, edition),
    LEAF(W_WINDOWS, "PRODUCTNAME", K_STR, product_name),
    LEAF(W_WINDOWS, "INSTALLATIONTYPE", K_STR, install_type),
    LEAF(W_WINDOWS, "PRODUCTTYPE", K_STR, product_type),
    LEAF(W_WINDOWS, "ARCH", K_ARCH, arch),
    LEAF(W_VERSION, "MAJOR", K_U32, major),
    LEAF(W_VERSION, "MINOR", K_U32, minor),
    LEAF(W_VERSION, "BUILD", K_U32, build),
    LEAF(W_VERSION, "SPBUILD", K_U32, spbuild),
    LEAF(W_LANGUAGES, "LANGUAGE", K_LANG, languages),
    LEAF(W_LANGUAGES, "DEFAULT", K_STR, default_lang),
    LEAF(W_SMSPROV, "STAGED", K_STR, staged),
};

/* The definition of element `name` below a `parent`, NULL when ignored. */
static const wel_def *wel_of(wel parent, const char *name)
{
    if (parent == W_OTHER || parent == W_LEAF)
        return NULL;
    for (size_t i = 0; i < sizeof(wels) / sizeof(wels[0]); i++)
        if (wels[i].parent == parent && strcmp(wels[i].name, name) == 0)
            return &wels[i];
    return NULL;
}

/* Reader state: the element path and the images parsed so far. */
typedef struct wim_xml {
    xmlTextReaderPtr r;
    util_arena *a;
    wel stack[IMAGE_XML_DEPTH];
    image_index *imgs; /* in document order; .index may repeat */
    uint32_t n, cap;
    uint32_t max_index;
    sum_xml_errbox box; /* the reader's first error */
} wim_xml;

static int wx_fail(wim_xml *x, size_t len, smsprov_error *err, const char *what)
{
    long off = x->r ? xmlTextReaderByteConsumed(x->r) : 0;
    if (off < 0)
        off = 0;
    if ((size_t)off > len)
        off = (long)len;
    return util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)off,
                          "WIM XML: malformed at offset %ld: %s", off, what);
}

static void index_defaults(image_index *ix, int index)
{
    memset(ix, 0, sizeof(*ix));
    ix->index = index;
    ix->name = ix->description = ix->edition = ix->product_name = "";
    ix->install_type = ix->product_type = ix->languages = "";
    ix->default_lang = ix->staged = "";
    ix->arch = IMAGE_ARCH_UNKNOWN;
}

/* A new <IMAGE>: index from its INDEX attribute, else its position. */
static int wx_image(wim_xml *x, size_t len, smsprov_error *err)
{
    if (x->n == IMAGE_MAX_INDEXES)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "WIM XML: more than %d images",
                              IMAGE_MAX_INDEXES);
    if (x->n == x->cap) {
        uint32_t cap = x->cap ? 2 * x->cap : 8;
        image_index *v = util_arena_alloc(x->a, cap * sizeof(*v));
        if (v == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        if (x->n > 0)
            memcpy(v, x->imgs, x->n * sizeof(*v));
        x->imgs = v;
        x->cap = cap;
    }
    uint64_t index = x->n + 1;
    xmlChar *at = xmlTextReaderGetAttribute(x->r, (const xmlChar *)"INDEX");
    if (at != NULL) {
        uint64_t v;
        if (util_parse_u64((const char *)at, strlen((const char *)at),
                           UINT32_MAX, &v) == 0 &&
            v > 0)
            index = v;
        xmlFree(at);
    }
    if (index > IMAGE_MAX_INDEXES) {
        char what[64];
        snprintf(what, sizeof(what), "image INDEX %llu out of range",
                 (unsigned long long)index);
        return wx_fail(x, len, err, what);
    }
    index_defaults(&x->imgs[x->n++], (int)index);
    if (index > x->max_index)
        x->max_index = (uint32_t)index;
    return 0;
}

/* Text of the current element, trimmed and bounded, in the arena. */
static const char *wx_text(wim_xml *x, size_t max)
{
    xmlChar *v = xmlTextReaderReadString(x->r);
    const char *s = v ? (const char *)v : "";
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                     s[n - 1] == '\n'))
        n--;
    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        n--;
    }
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    const char *out = util_arena_strndup(x->a, s, n);
    xmlFree(v);
    return out;
}

static uint64_t num(const char *s, uint64_t max)
{
    uint64_t v = 0;
    if (util_parse_u64(s, strlen(s), max, &v) != 0)
        return 0;
    return v;
}

/* Stores the text of leaf `d` in the current image. */
static int wx_leaf(wim_xml *x, const wel_def *d, smsprov_error *err)
{
    image_index *ix = &x->imgs[x->n - 1];
    char *field = (char *)ix + d->off;
    /* the staged-KB list grows with every servicing run; a cut list
     * would make the stager stage the cut KBs again */
    const char *t =
        wx_text(x, d->off == offsetof(image_index, staged) ? IMAGE_XML_MAX
                                                           : IMAGE_TEXT_MAX);
    int64_t v;
    if (t == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    switch (d->kind) {
    case K_STR:
        *(const char **)field = t;
        break;
    case K_U32:
        *(uint32_t *)field = (uint32_t)num(t, UINT32_MAX);
        break;
    case K_U64:
        *(uint64_t *)field = num(t, UINT64_MAX);
        break;
    case K_ARCH:
        ix->arch = util_parse_i64(t, strlen(t), 0, 0xFFFF, &v) == 0
                       ? (int)v
                       : IMAGE_ARCH_UNKNOWN;
        break;
    case K_LANG: /* one element per language: join them */
        if (t[0] == '\0' ||
            strlen(ix->languages) + strlen(t) + 1 > IMAGE_TEXT_MAX)
            break;
        ix->languages = ix->languages[0]
                            ? util_arena_printf(x->a, "%s,%s", ix->languages, t)
                            : t;
        if (ix->languages == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        break;
    case K_NONE:
        break;
    }
    return 0;
}

static int wx_element(wim_xml *x, size_t len, smsprov_error *err)
{
    const char *ln = (const char *)xmlTextReaderConstLocalName(x->r);
    int depth = xmlTextReaderDepth(x->r);
    const wel_def *d = NULL;
    if (ln == NULL || depth < 0 || depth >= IMAGE_XML_DEPTH)
        return 0; /* deeper than anything we read */
    if (depth == 0) {
        if (strcmp(ln, "WIM") != 0)
            return wx_fail(x, len, err, "the root element is not <WIM>");
        x->stack[0] = W_WIM;
        return 0;
    }
    d = wel_of(x->stack[depth - 1], ln);
    x->stack[depth] = d ? d->code : W_OTHER;
    if (d != NULL && d->code == W_IMAGE)
        return wx_image(x, len, err);
    if (d != NULL && d->code == W_LEAF)
        return wx_leaf(x, d, err);
    return 0;
}

/*
 * The document as UTF-8 text without BOM or XML declaration (which may
 * name UTF-16 and would then contradict the converted text), in a.
 */
static const char *xml_utf8(util_arena *a, const char *xml, size_t len,
                            size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)xml;
    const char *s;
    size_t n;
    if (len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] != 0 && u[1] == 0))) {
        size_t skip = (u[0] == 0xFF && u[1] == 0xFE) ? 2 : 0;
        s = image_utf16le_to_utf8(a, xml + skip, len - skip, &n);
    } else {
        size_t skip =
            (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? 3 : 0;
        s = util_arena_strndup(a, xml + skip, len - skip);
        n = s ? strlen(s) : 0;
    }
    if (s == NULL)
        return NULL;
    const char *p = s;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (strncmp(p, "<?xml", 5) == 0) {
        const char *end = strstr(p, "?>");
        if (end != NULL) {
            p = end + 2;
            while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
                p++;
            n -= (size_t)(p - s);
            s = p;
        }
    }
    *out_len = n;
    return s;
}

int image_wim_xml_parse(image_wim *out, util_arena *a, const char *xml,
                        size_t len, smsprov_error *err)
{
    wim_xml x = {0};
    size_t n = 0;
    int rc = 0;

    out->count = 0;
    out->idx = NULL;
    out->xml = NULL;
    if (len > IMAGE_XML_MAX)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "WIM XML: larger than %u bytes", IMAGE_XML_MAX);
    const char *text = xml_utf8(a, xml, len, &n);
    if (text == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    sum_xml_init();
    x.a = a;
    x.r = sum_xml_reader(text, n, "UTF-8", WIM_XML_OPTIONS, &x.box);
    if (x.r == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (;;) {
        int st = xmlTextReaderRead(x.r);
        if (st == 0)
            break;
        if (st < 0) {
            rc = wx_fail(&x, n, err, x.box.set ? x.box.msg : "not well-formed");
            goto out;
        }
        if (xmlTextReaderNodeType(x.r) == XML_READER_TYPE_ELEMENT) {
            rc = wx_element(&x, n, err);
            if (rc != 0)
                goto out;
        }
    }
    if (x.box.set || n == 0) {
        rc = wx_fail(&x, n, err, x.box.set ? x.box.msg : "empty document");
        goto out;
    }
    /* place the images by index; later duplicates win */
    if (x.max_index > 0) {
        out->idx = util_arena_alloc(a, x.max_index * sizeof(*out->idx));
        if (out->idx == NULL) {
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            goto out;
        }
        for (uint32_t i = 0; i < x.max_index; i++)
            index_defaults(&out->idx[i], (int)i + 1);
        for (uint32_t i = 0; i < x.n; i++)
            out->idx[x.imgs[i].index - 1] = x.imgs[i];
    }
    out->count = x.max_index;
    out->xml = text;
out:
    xmlFreeTextReader(x.r);
    if (rc != 0) {
        out->count = 0;
        out->idx = NULL;
    }
    return rc;
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
                    const char *path, int32_t *win32, smsprov_error *err)
{
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
        index_defaults(&v[i], (int)i + 1);
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
    if (stat(path, &st) != 0)
        return wim_fail(WIMLIB_ERR_OPEN, errno, path, "cannot open", win32,
                        err);
    rc = wim_open(&wim, &info, path, win32, err);
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
    if (stat(path, &st) != 0)
        return wim_fail(WIMLIB_ERR_OPEN, errno, path, "cannot open", win32,
                        err);
    rc = wim_open(&wim, &info, path, win32, err);
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
