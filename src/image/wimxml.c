/* SPDX-License-Identifier: MIT */
/*
 * The XML metadata document of a WIM (what wimlib_get_xml_data returns,
 * UTF-16LE with a BOM): every <IMAGE INDEX="n"> with its name, edition,
 * product, architecture, version, languages and sizes, and the KBs smsprov
 * staged (SMSPROV/STAGED), read with libxml2's streaming reader into
 * image_index records.  Kept apart from wim.c because it parses bytes from
 * the file (fuzz target image_wimxml).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "image/image_int.h"
#include "sum/sum_xml.h"

#define WIM_XML_OPTIONS                                                        \
    (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

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

void image_index_defaults(image_index *ix, int index)
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
    image_index_defaults(&x->imgs[x->n++], (int)index);
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
    const char *out = util_arena_strndup(x->a, s, util_utf8_cut(s, n, max));
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
            image_index_defaults(&out->idx[i], (int)i + 1);
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
