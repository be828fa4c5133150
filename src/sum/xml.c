/* SPDX-License-Identifier: MIT */
/*
 * Streaming readers (libxml2 xmlTextReader, never a DOM) for update XML:
 * full <upd:Update> documents and the c/ x/ l/ fragments of wsusscn2, and
 * index.xml.  Namespaces are ignored: elements are matched by local name,
 * so the prefixed full form and the stripped fragments read the same.
 */
#include <string.h>

#include <libxml/xmlreader.h>

#include "sum/sum_int.h"
#include "sum/sum_xml.h"

#define XML_STACK_MAX 64 /* tracked element depth; deeper ones are ignored */
#define XML_WRAP_OPEN                                                          \
    "<f xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
#define XML_WRAP_CLOSE "</f>"
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

/* Elements the update reader reacts to. */
typedef enum xel {
    X_OTHER = 0,
    X_ROOT,
    X_IDENTITY,
    X_PROPERTIES,
    X_LOCALIZED,
    X_RELATIONSHIPS,
    X_SUPERSEDED,
    X_PREREQS,
    X_ATLEASTONE,
    X_ATLEASTONE_CAT,
    X_BUNDLED,
    X_FILES,
    X_FILE,
    X_RULES,
} xel;

/* libxml2's generic error channel (encoding errors bypass the readers'
 * handlers and would print to stderr): errors reach callers through
 * smsprov_error instead. */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void sum_xml_init(void)
{
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, silent);
}

/* Keeps the first error of a reader in its box (trailing blanks cut). */
static void on_error(void *arg, xmlErrorPtr e)
{
    sum_xml_errbox *b = arg;
    if (b->set || e == NULL || e->level < XML_ERR_ERROR)
        return;
    b->set = true;
    b->line = e->line;
    b->col = e->int2;
    snprintf(b->msg, sizeof(b->msg), "%s", e->message ? e->message : "error");
    size_t n = strlen(b->msg);
    while (n > 0 && (b->msg[n - 1] == '\n' || b->msg[n - 1] == ' '))
        b->msg[--n] = '\0';
}

xmlTextReaderPtr sum_xml_reader(const char *buf, size_t len,
                                const char *encoding, int options,
                                sum_xml_errbox *box)
{
    xmlTextReaderPtr r =
        xmlReaderForMemory(buf, (int)len, NULL, encoding, options);
    if (r != NULL)
        xmlTextReaderSetStructuredErrorHandler(r, on_error, box);
    return r;
}

/* Reports a parse failure with the file and the byte offset. */
static int xml_fail(smsprov_error *err, xmlTextReaderPtr r,
                    const sum_xml_errbox *b, const char *name, long skew)
{
    long off = r ? xmlTextReaderByteConsumed(r) - skew : -1;
    if (off < 0)
        off = 0;
    int rc = util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)off,
                            "%s: malformed XML at offset %ld%s%s", name, off,
                            b->set ? ": " : "", b->set ? b->msg : "");
    if (err)
        sum_strlcpy(err->file, sizeof(err->file), name);
    return rc;
}

/* A reader over buf whose errors are collected in box; NULL (err set)
 * when out of memory. */
static xmlTextReaderPtr open_reader(const char *buf, size_t len,
                                    sum_xml_errbox *box, smsprov_error *err)
{
    xmlTextReaderPtr r = sum_xml_reader(buf, len, NULL, XML_OPTIONS, box);
    if (r == NULL)
        util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return r;
}

/* Moves to the next element: 1 with *ln its local name, 0 at the end of
 * the document, <0 with err set (positioned in `name`). */
static int next_element(xmlTextReaderPtr r, const char **ln,
                        const sum_xml_errbox *box, const char *name,
                        smsprov_error *err)
{
    for (;;) {
        int st = xmlTextReaderRead(r);
        if (st == 0)
            return 0;
        if (st < 0)
            return xml_fail(err, r, box, name, 0);
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        *ln = (const char *)xmlTextReaderConstLocalName(r);
        if (*ln != NULL)
            return 1;
    }
}

/* An attribute as a borrowed-until-freed xmlChar string (may be NULL). */
static char *attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* Copies an attribute into the arena; *out stays as is when absent. */
static int attr_dup(xmlTextReaderPtr r, util_arena *a, const char *name,
                    const char **out)
{
    char *v = attr(r, name);
    if (v == NULL)
        return 0;
    size_t n = strlen(v);
    *out = util_arena_strndup(a, v, n < SUM_TEXT_MAX ? n : SUM_TEXT_MAX);
    xmlFree(v);
    return *out ? 0 : SMSPROV_ENOMEM;
}

/* The text content of the current element, arena-copied ("" if empty). */
static int text_dup(xmlTextReaderPtr r, util_arena *a, const char **out)
{
    char *v = (char *)xmlTextReaderReadString(r);
    size_t n = v ? strlen(v) : 0;
    *out =
        util_arena_strndup(a, v ? v : "", n < SUM_TEXT_MAX ? n : SUM_TEXT_MAX);
    xmlFree(v);
    return *out ? 0 : SMSPROV_ENOMEM;
}

/* Pushes a GUID attribute UpdateID onto v when it is a GUID. */
static int push_guid(xmlTextReaderPtr r, util_arena *a, sum_strv *v)
{
    char g[SUM_GUID_LEN + 1];
    char *s = attr(r, "UpdateID");
    int rc = 0;
    if (s != NULL && sum_guid_norm(s, strlen(s), g))
        rc = sum_strv_push(a, v, g, SUM_GUID_LEN);
    xmlFree(s);
    return rc;
}

/* A prerequisite: a well-known category GUID (an update classification
 * listed without IsCategory, as GetUpdateData blobs do) counts as a
 * category, anything else as a prerequisite update. */
static int push_prereq(xmlTextReaderPtr r, sum_update *u)
{
    char g[SUM_GUID_LEN + 1];
    char *s = attr(r, "UpdateID");
    int rc = 0;
    if (s != NULL && sum_guid_norm(s, strlen(s), g))
        rc = sum_strv_push(
            u->a, sum_cat_known(g, NULL) ? &u->cat_prereqs : &u->prereqs, g,
            SUM_GUID_LEN);
    xmlFree(s);
    return rc;
}

/* Properties / ExtendedProperties attributes. */
static int read_properties(xmlTextReaderPtr r, sum_update *u)
{
    char *t = attr(r, "UpdateType");
    if (t != NULL) {
        u->kind = strcmp(t, "Category") == 0    ? SUM_KIND_CATEGORY
                  : strcmp(t, "Detectoid") == 0 ? SUM_KIND_DETECTOID
                  : strcmp(t, "Driver") == 0    ? SUM_KIND_DRIVER
                                                : SUM_KIND_SOFTWARE;
        xmlFree(t);
    }
    char *ps = attr(r, "PublicationState");
    if (ps != NULL) {
        u->expired = strcmp(ps, "Expired") == 0;
        xmlFree(ps);
    }
    char *cd = attr(r, "CreationDate");
    if (cd != NULL) {
        int64_t us;
        if (sum_xsd_datetime(cd, &us))
            u->created = us;
        xmlFree(cd);
    }
    char *ms = attr(r, "MaxDownloadSize");
    if (ms != NULL) {
        int64_t v;
        if (util_parse_i64(ms, strlen(ms), 0, INT64_MAX, &v) == 0)
            u->max_size = v;
        xmlFree(ms);
    }
    int rc = attr_dup(r, u->a, "MsrcSeverity", &u->msrc);
    if (rc == 0)
        rc = attr_dup(r, u->a, "Handler", &u->handler);
    if (rc == 0)
        rc = attr_dup(r, u->a, "DefaultPropertiesLanguage", &u->default_lang);
    return rc;
}

/* A Files/File element (attributes; AdditionalDigest comes later). */
static int read_file(xmlTextReaderPtr r, sum_update *u)
{
    sum_file *f = sum_update_file(u);
    if (f == NULL)
        return SMSPROV_ENOMEM;
    int rc = attr_dup(r, u->a, "Digest", &f->sha1);
    if (rc == 0)
        rc = attr_dup(r, u->a, "FileName", &f->name);
    char *s = attr(r, "Size");
    if (s != NULL) {
        int64_t v;
        if (util_parse_i64(s, strlen(s), 0, INT64_MAX, &v) == 0)
            f->size = v;
        xmlFree(s);
    }
    char *m = attr(r, "Modified");
    if (m != NULL) {
        int64_t us;
        if (sum_xsd_datetime(m, &us))
            f->modified = us;
        xmlFree(m);
    }
    return rc;
}

/* Pending LocalizedProperties children, committed at its end tag. */
typedef struct loc_acc {
    const char *lang, *title, *desc, *url;
} loc_acc;

static int commit_loc(sum_update *u, loc_acc *acc)
{
    const char *lang = acc->lang ? acc->lang : "en";
    sum_loc *l = sum_update_loc(u, lang, strlen(lang));
    if (l == NULL)
        return SMSPROV_ENOMEM;
    if (acc->title)
        l->title = acc->title;
    if (acc->desc)
        l->desc = acc->desc;
    if (acc->url)
        l->url = acc->url;
    memset(acc, 0, sizeof(*acc));
    return 0;
}

/* Classifies a start element given its parent. */
static xel classify(const char *n, xel parent, xmlTextReaderPtr r)
{
    if (strcmp(n, "UpdateIdentity") == 0)
        return X_IDENTITY;
    if (strcmp(n, "Properties") == 0 || strcmp(n, "ExtendedProperties") == 0)
        return X_PROPERTIES;
    if (strcmp(n, "LocalizedProperties") == 0)
        return X_LOCALIZED;
    if (strcmp(n, "Relationships") == 0)
        return X_RELATIONSHIPS;
    if (strcmp(n, "SupersededUpdates") == 0)
        return X_SUPERSEDED;
    if (strcmp(n, "Prerequisites") == 0)
        return X_PREREQS;
    if (strcmp(n, "BundledUpdates") == 0)
        return X_BUNDLED;
    if (strcmp(n, "AtLeastOne") == 0) {
        if (parent == X_BUNDLED)
            return X_BUNDLED;
        char *c = attr(r, "IsCategory");
        bool cat = c && strcmp(c, "true") == 0;
        xmlFree(c);
        return cat ? X_ATLEASTONE_CAT : X_ATLEASTONE;
    }
    if (strcmp(n, "Files") == 0)
        return X_FILES;
    if (strcmp(n, "File") == 0 && parent == X_FILES)
        return X_FILE;
    if (strcmp(n, "ApplicabilityRules") == 0)
        return X_RULES;
    return X_OTHER;
}

/* Handles one start element; stack[depth-1] is its parent. */
static int on_start(xmlTextReaderPtr r, sum_update *u, xel *stack, int depth,
                    loc_acc *acc, xel *self)
{
    const char *n = (const char *)xmlTextReaderConstLocalName(r);
    xel parent = depth > 0 ? stack[depth - 1] : X_ROOT;
    xel e = classify(n ? n : "", parent, r);
    int rc = 0;
    *self = e;
    switch (e) {
    case X_IDENTITY:
        if (parent == X_SUPERSEDED)
            rc = push_guid(r, u->a, &u->supersedes);
        else if (parent == X_PREREQS || parent == X_ATLEASTONE)
            rc = push_prereq(r, u);
        else if (parent == X_ATLEASTONE_CAT)
            rc = push_guid(r, u->a, &u->cat_prereqs);
        else if (parent == X_BUNDLED) {
            rc = push_guid(r, u->a, &u->bundles);
            u->is_bundle = true;
        } else if (parent == X_ROOT) {
            char *id = attr(r, "UpdateID");
            char *rv = attr(r, "RevisionNumber");
            if (id != NULL)
                sum_guid_norm(id, strlen(id), u->uid);
            int64_t v;
            if (rv != NULL &&
                util_parse_i64(rv, strlen(rv), 0, UINT32_MAX, &v) == 0)
                u->revnum = (uint32_t)v;
            xmlFree(id);
            xmlFree(rv);
            u->has_metadata = true;
        }
        break;
    case X_PROPERTIES:
        u->has_metadata = true;
        rc = read_properties(r, u);
        break;
    case X_FILE:
        rc = read_file(r, u);
        break;
    case X_OTHER:
        if (parent == X_PROPERTIES) {
            if (strcmp(n, "KBArticleID") == 0)
                rc = text_dup(r, u->a, &u->kb);
            else if (strcmp(n, "SecurityBulletinID") == 0)
                rc = text_dup(r, u->a, &u->bulletin);
            else if (strcmp(n, "SupportUrl") == 0)
                rc = text_dup(r, u->a, &u->support_url);
            else if (strcmp(n, "CveID") == 0 || strcmp(n, "Language") == 0) {
                const char *t = NULL;
                rc = text_dup(r, u->a, &t);
                if (rc == 0 && t[0])
                    rc = sum_strv_push(u->a,
                                       n[0] == 'C' ? &u->cves : &u->languages,
                                       t, strlen(t));
            }
        } else if (parent == X_LOCALIZED) {
            if (strcmp(n, "Language") == 0)
                rc = text_dup(r, u->a, &acc->lang);
            else if (strcmp(n, "Title") == 0)
                rc = text_dup(r, u->a, &acc->title);
            else if (strcmp(n, "Description") == 0)
                rc = text_dup(r, u->a, &acc->desc);
            else if (strcmp(n, "MoreInfoUrl") == 0)
                rc = text_dup(r, u->a, &acc->url);
        } else if (parent == X_FILE && strcmp(n, "AdditionalDigest") == 0) {
            char *alg = attr(r, "Algorithm");
            if (alg && strcmp(alg, "SHA256") == 0 && u->nfiles > 0)
                rc = text_dup(r, u->a, &u->files[u->nfiles - 1].sha256);
            xmlFree(alg);
        } else if (strcmp(n, "CategoryInformation") == 0) {
            char *t = attr(r, "CategoryType");
            if (t != NULL)
                u->cat_type = sum_cat_type_parse(t);
            xmlFree(t);
        }
        break;
    default:
        break;
    }
    return rc;
}

int sum_xml_update(sum_update *u, const char *buf, size_t len, bool frag,
                   const char *name, smsprov_error *err)
{
    sum_xml_errbox box = {0};
    util_buf wrapped = UTIL_BUF_INIT(SUM_FRAGMENT_MAX + 256);
    const char *doc = buf;
    size_t dlen = len;
    long skew = 0;
    int rc = 0;
    if (len > SUM_FRAGMENT_MAX)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "%s: %zu bytes is more than an update document "
                              "may have",
                              name, len);
    if (frag) {
        util_buf_puts(&wrapped, XML_WRAP_OPEN);
        util_buf_append(&wrapped, buf, len);
        util_buf_puts(&wrapped, XML_WRAP_CLOSE);
        if (wrapped.failed) {
            util_buf_free(&wrapped);
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        }
        doc = wrapped.data;
        dlen = wrapped.len;
        skew = (long)strlen(XML_WRAP_OPEN);
    }
    xmlTextReaderPtr r = open_reader(doc, dlen, &box, err);
    if (r == NULL) {
        util_buf_free(&wrapped);
        return SMSPROV_ENOMEM;
    }
    xel stack[XML_STACK_MAX];
    int depth = 0, extra = 0; /* extra: levels deeper than the stack */
    loc_acc acc = {0};
    bool in_frag_root = frag;
    bool pending = false; /* positioned on an unread node by Next() */
    for (;;) {
        int st = pending ? 1 : xmlTextReaderRead(r);
        pending = false;
        if (st == 0)
            break;
        if (st < 0) {
            rc = xml_fail(err, r, &box, name, skew);
            goto out;
        }
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (in_frag_root) { /* the wrapper itself */
                in_frag_root = false;
                continue;
            }
            bool empty = xmlTextReaderIsEmptyElement(r);
            xel self = X_OTHER;
            if (extra == 0 && depth < XML_STACK_MAX) {
                /* a full document's root is the <Update> element */
                if (!frag && depth == 0 && xmlTextReaderDepth(r) == 0) {
                    self = X_ROOT;
                } else {
                    xel *st_at = stack;
                    int d = depth;
                    /* children of the document root see X_ROOT as parent */
                    if (!frag && d > 0 && stack[0] == X_ROOT) {
                        st_at = stack + 1;
                        d--;
                    }
                    rc = on_start(r, u, st_at, d, &acc, &self);
                    if (rc != 0)
                        goto nomem;
                }
                if (self == X_RULES) { /* applicability rules: skip whole */
                    int nx = xmlTextReaderNext(r);
                    if (nx < 0) {
                        rc = xml_fail(err, r, &box, name, skew);
                        goto out;
                    }
                    if (nx == 0)
                        break;
                    pending = true; /* Next() landed on the following node */
                    continue;
                }
                if (!empty)
                    stack[depth++] = self;
            } else if (!empty) {
                extra++;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (extra > 0) {
                extra--;
            } else if (depth > 0) {
                xel e = stack[--depth];
                if (e == X_LOCALIZED) {
                    rc = commit_loc(u, &acc);
                    if (rc != 0)
                        goto nomem;
                }
            }
        }
    }
    if (box.set) {
        rc = xml_fail(err, r, &box, name, skew);
        goto out;
    }
    goto out;
nomem:
    rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
out:
    xmlFreeTextReader(r);
    util_buf_free(&wrapped);
    return rc;
}

int sum_xml_index(sum_cabref **out, uint32_t *n, const char *buf, size_t len,
                  const char *name, smsprov_error *err)
{
    sum_xml_errbox box = {0};
    sum_cabref *v = NULL;
    uint32_t cnt = 0, cap = 0;
    int rc = 0;
    *out = NULL;
    *n = 0;
    xmlTextReaderPtr r = open_reader(buf, len, &box, err);
    if (r == NULL)
        return SMSPROV_ENOMEM;
    const char *ln = NULL;
    while ((rc = next_element(r, &ln, &box, name, err)) == 1) {
        if (strcmp(ln, "CAB") != 0)
            continue;
        char *nm = attr(r, "NAME");
        char *rs = attr(r, "RANGESTART");
        if (nm != NULL && cnt < 4096) {
            if (cnt == cap) {
                cap = cap ? cap * 2 : 16;
                sum_cabref *nv = util_realloc(v, cap * sizeof(*v));
                if (nv == NULL) {
                    xmlFree(nm);
                    xmlFree(rs);
                    rc = util_error_set(err, SMSPROV_ENOMEM, -1,
                                        "out of memory");
                    goto out;
                }
                v = nv;
            }
            snprintf(v[cnt].name, sizeof(v[cnt].name), "%s", nm);
            int64_t start = -1;
            if (rs != NULL &&
                util_parse_i64(rs, strlen(rs), 0, INT64_MAX, &start) != 0)
                start = -1;
            v[cnt].rangestart = start;
            cnt++;
        }
        xmlFree(nm);
        xmlFree(rs);
    }
    if (box.set)
        rc = xml_fail(err, r, &box, name, 0);
out:
    xmlFreeTextReader(r);
    if (rc != 0) {
        util_free(v);
        return rc;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int sum_xml_soap(const char *buf, size_t len, const char *name, sum_soap_fn fn,
                 void *payload, smsprov_error *err)
{
    sum_xml_errbox box = {0};
    int rc = 0;
    xmlTextReaderPtr r = open_reader(buf, len, &box, err);
    if (r == NULL)
        return SMSPROV_ENOMEM;
    char *digest = NULL; /* FileDigest waiting for its MUUrl */
    const char *ln = NULL;
    while ((rc = next_element(r, &ln, &box, name, err)) == 1) {
        rc = 0; /* 1 only meant "an element": not a result */
        bool blob = strcmp(ln, "XmlUpdateBlob") == 0;
        bool dig = strcmp(ln, "FileDigest") == 0;
        bool url = strcmp(ln, "MUUrl") == 0;
        bool zblob = strcmp(ln, "XmlUpdateBlobCompressed") == 0;
        if (!blob && !dig && !url && !zblob)
            continue;
        char *t = (char *)xmlTextReaderReadString(r);
        if (t == NULL)
            continue;
        if (blob || zblob) {
            rc = fn(zblob ? NULL : t, zblob ? 0 : strlen(t), NULL, NULL,
                    payload, err);
        } else if (dig) {
            xmlFree(digest);
            digest = t;
            t = NULL;
        } else if (digest != NULL) {
            rc = fn(NULL, 0, digest, t, payload, err);
        }
        xmlFree(t);
        if (rc != 0)
            goto out;
    }
    if (box.set)
        rc = xml_fail(err, r, &box, name, 0);
out:
    xmlFree(digest);
    xmlFreeTextReader(r);
    return rc;
}
