/* SPDX-License-Identifier: MIT */
/*
 * package.xml of wsusscn2 (OfflineSyncPackage), read in one streaming pass
 * into compact per-revision records: identity, categories, prerequisites,
 * BundledBy / SupersededBy (turned around into "bundles" and "supersedes"
 * once every record is known), payload digests, EULAs, languages, and the
 * FileLocations digest -> URL table.  The records are what pass two (the
 * c/ x/ l/ fragments) completes; see catalog.c.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "sum/sum_int.h"
#include "sum/sum_map.h"

#define PKG_PROGRESS_EVERY 2000
#define PKG_XML_OPTIONS                                                        \
    (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_HUGE)

/* A list of 64-bit ids or string pointers in the arena. */
typedef struct idv {
    int64_t *v;
    uint32_t n, cap;
} idv;

typedef struct pkg_rec {
    char uid[SUM_GUID_LEN + 1];
    int64_t revid;
    uint32_t revnum;
    bool is_bundle;
    bool dup; /* an older revision of an UpdateId listed twice */
    int64_t created;
    const char *default_lang;
    sum_catref *cats;
    uint32_t ncats, capcats;
    sum_strv prereqs;  /* every Prerequisites UpdateId (interned) */
    idv superseded_by; /* RevisionIds */
    idv bundled_by;    /* RevisionIds */
    sum_strv payload;  /* digests */
    sum_strv eulas, eula_langs;
    sum_strv langs;
    idv supersedes; /* record indexes (inverse of superseded_by) */
    idv bundles;    /* record indexes (inverse of bundled_by) */
} pkg_rec;

struct sum_pkg {
    util_arena *a;
    pkg_rec *recs;
    uint32_t n, cap;
    sum_map by_uid;   /* uid -> record index */
    sum_map cats;     /* category GUID -> type */
    sum_map urls;     /* digest -> index into url */
    const char **url; /* FileLocation URLs */
    uint32_t nurl, capurl;
    sum_map intern;    /* GUIDs and language tags, stored once */
    const char **istr; /* interned strings by index */
    uint32_t nistr, capistr;
};

int sum_pkg_new(sum_pkg **out, smsprov_error *err)
{
    sum_pkg *pk = util_calloc(1, sizeof(*pk));
    if (pk == NULL || (pk->a = util_arena_new()) == NULL) {
        util_free(pk);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    sum_map_init(&pk->by_uid);
    sum_map_init(&pk->cats);
    sum_map_init(&pk->urls);
    sum_map_init(&pk->intern);
    *out = pk;
    return 0;
}

void sum_pkg_free(sum_pkg *pk)
{
    if (pk == NULL)
        return;
    sum_map_free(&pk->by_uid);
    sum_map_free(&pk->cats);
    sum_map_free(&pk->urls);
    sum_map_free(&pk->intern);
    util_free(pk->istr);
    util_free(pk->recs);
    util_free(pk->url);
    util_arena_free(pk->a);
    util_free(pk);
}

static int idv_push(util_arena *a, idv *v, int64_t x)
{
    if (v->n == v->cap) {
        uint32_t nc = v->cap ? v->cap * 2 : 4;
        int64_t *nv = util_arena_alloc(a, nc * sizeof(*nv));
        if (nv == NULL)
            return SMSPROV_ENOMEM;
        if (v->n)
            memcpy(nv, v->v, v->n * sizeof(*nv));
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = x;
    return 0;
}

/* One shared copy of s (GUIDs repeat across records: categories,
 * detectoid prerequisites, languages).  NULL on out of memory. */
static const char *intern(sum_pkg *pk, const char *s)
{
    int64_t i;
    if (sum_map_get(&pk->intern, s, &i))
        return pk->istr[i];
    if (pk->nistr == pk->capistr) {
        uint32_t nc = pk->capistr ? pk->capistr * 2 : 256;
        const char **ns = util_realloc(pk->istr, nc * sizeof(*ns));
        if (ns == NULL)
            return NULL;
        pk->istr = ns;
        pk->capistr = nc;
    }
    char *c = util_arena_strdup(pk->a, s);
    if (c == NULL || sum_map_put(&pk->intern, c, pk->nistr) != 0)
        return NULL;
    pk->istr[pk->nistr++] = c;
    return c;
}

/* Appends a borrowed (interned) pointer to v. */
static int push_ptr(util_arena *a, sum_strv *v, const char *s)
{
    if (s == NULL)
        return SMSPROV_ENOMEM;
    if (v->n == v->cap) {
        uint32_t nc = v->cap ? v->cap * 2 : 4;
        const char **nv = util_arena_alloc(a, nc * sizeof(*nv));
        if (nv == NULL)
            return SMSPROV_ENOMEM;
        if (v->n)
            memcpy(nv, v->v, v->n * sizeof(*nv));
        v->v = nv;
        v->cap = nc;
    }
    v->v[v->n++] = s;
    return 0;
}

/* Reads attribute `name` into the arena (NULL when absent). */
static const char *adup(xmlTextReaderPtr r, util_arena *a, const char *name)
{
    char *v = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (v == NULL)
        return NULL;
    const char *c = util_arena_strdup(a, v);
    xmlFree(v);
    return c;
}

/* Integer attribute; false when absent or not a number. */
static bool aint(xmlTextReaderPtr r, const char *name, int64_t *out)
{
    char *v = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    bool ok = v && util_parse_i64(v, strlen(v), 0, INT64_MAX, out) == 0;
    xmlFree(v);
    return ok;
}

/* Starts a record for an <Update> element. */
static int begin_update(sum_pkg *pk, xmlTextReaderPtr r, pkg_rec **cur)
{
    if (pk->n == pk->cap) {
        uint32_t nc = pk->cap ? pk->cap * 2 : 1024;
        pkg_rec *nr = util_realloc(pk->recs, nc * sizeof(*nr));
        if (nr == NULL)
            return SMSPROV_ENOMEM;
        pk->recs = nr;
        pk->cap = nc;
    }
    pkg_rec *rec = &pk->recs[pk->n];
    memset(rec, 0, sizeof(*rec));
    rec->created = INT64_MIN;
    char *id =
        (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"UpdateId");
    bool ok = id && sum_guid_norm(id, strlen(id), rec->uid);
    xmlFree(id);
    int64_t v;
    if (!ok || !aint(r, "RevisionId", &rec->revid)) {
        *cur = NULL; /* unusable: counted by the caller as invalid */
        return 1;
    }
    if (aint(r, "RevisionNumber", &v) && v <= UINT32_MAX)
        rec->revnum = (uint32_t)v;
    char *b = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"IsBundle");
    rec->is_bundle = b && strcmp(b, "true") == 0;
    xmlFree(b);
    char *cd =
        (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"CreationDate");
    if (cd != NULL && !sum_xsd_datetime(cd, &rec->created))
        rec->created = INT64_MIN;
    xmlFree(cd);
    char *dl = (char *)xmlTextReaderGetAttribute(
        r, (const xmlChar *)"DefaultLanguage");
    rec->default_lang = dl ? intern(pk, dl) : NULL;
    xmlFree(dl);
    pk->n++;
    *cur = rec;
    return 0;
}

/* One element inside <Update>; parent is the name of its parent. */
static int update_child(sum_pkg *pk, pkg_rec *rec, xmlTextReaderPtr r,
                        const char *n, const char *parent, const char *grand)
{
    util_arena *a = pk->a;
    int64_t id;
    if (strcmp(n, "Category") == 0) {
        char *t = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"Type");
        char *g = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"Id");
        char guid[SUM_GUID_LEN + 1];
        int rc = 0;
        if (t && g && sum_guid_norm(g, strlen(g), guid)) {
            sum_cat_type ty = sum_cat_type_parse(t);
            const char *gc = intern(pk, guid);
            if (gc != NULL && rec->ncats == rec->capcats) {
                uint32_t ncap = rec->capcats ? rec->capcats * 2 : 4;
                sum_catref *nc = util_arena_alloc(a, ncap * sizeof(*nc));
                if (nc != NULL && rec->ncats)
                    memcpy(nc, rec->cats, rec->ncats * sizeof(*nc));
                rec->cats = nc;
                rec->capcats = nc ? ncap : 0;
            }
            if (gc == NULL || rec->cats == NULL) {
                rc = SMSPROV_ENOMEM;
            } else {
                rec->cats[rec->ncats].type = ty;
                rec->cats[rec->ncats].guid = gc;
                rec->ncats++;
                if (!sum_map_get(&pk->cats, gc, NULL))
                    rc = sum_map_put(&pk->cats, gc, ty);
            }
        }
        xmlFree(t);
        xmlFree(g);
        return rc;
    }
    if (strcmp(n, "UpdateId") == 0) {
        char *g = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)"Id");
        char guid[SUM_GUID_LEN + 1];
        int rc = 0;
        if (g && sum_guid_norm(g, strlen(g), guid))
            rc = push_ptr(a, &rec->prereqs, intern(pk, guid));
        xmlFree(g);
        return rc;
    }
    if (strcmp(n, "Revision") == 0 && aint(r, "Id", &id)) {
        if (strcmp(parent, "SupersededBy") == 0)
            return idv_push(a, &rec->superseded_by, id);
        if (strcmp(parent, "BundledBy") == 0)
            return idv_push(a, &rec->bundled_by, id);
        return 0;
    }
    if (strcmp(n, "File") == 0) {
        const char *d = adup(r, a, "Id");
        if (d == NULL)
            return 0;
        if (strcmp(parent, "PayloadFiles") == 0)
            return sum_strv_push(a, &rec->payload, d, strlen(d));
        if (strcmp(parent, "EulaFiles") == 0) {
            int rc = sum_strv_push(a, &rec->eulas, d, strlen(d));
            if (rc == 0)
                rc = sum_strv_push(a, &rec->eula_langs, "", 0);
            return rc;
        }
        return 0;
    }
    if (strcmp(n, "Language") == 0) {
        const char *l = adup(r, a, "Name");
        if (l == NULL)
            return 0;
        if (strcmp(parent, "Languages") == 0)
            return push_ptr(a, &rec->langs, intern(pk, l));
        if (strcmp(parent, "File") == 0 && grand &&
            strcmp(grand, "EulaFiles") == 0 && rec->eula_langs.n > 0)
            rec->eula_langs.v[rec->eula_langs.n - 1] = l;
    }
    return 0;
}

/* <FileLocation Id Url>. */
static int file_location(sum_pkg *pk, xmlTextReaderPtr r)
{
    const char *id = adup(r, pk->a, "Id");
    const char *url = adup(r, pk->a, "Url");
    if (id == NULL || url == NULL)
        return 0;
    if (pk->nurl == pk->capurl) {
        uint32_t nc = pk->capurl ? pk->capurl * 2 : 1024;
        const char **nu = util_realloc(pk->url, nc * sizeof(*nu));
        if (nu == NULL)
            return SMSPROV_ENOMEM;
        pk->url = nu;
        pk->capurl = nc;
    }
    pk->url[pk->nurl] = url;
    return sum_map_put(&pk->urls, id, pk->nurl++);
}

static int by_revid(const void *x, const void *y)
{
    const pkg_rec *a = x, *b = y;
    return a->revid < b->revid ? -1 : a->revid > b->revid;
}

/* Index of the record with RevisionId id, or -1. */
static int64_t find_rev(const sum_pkg *pk, int64_t id)
{
    uint32_t lo = 0, hi = pk->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pk->recs[mid].revid < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pk->n && pk->recs[lo].revid == id ? (int64_t)lo : -1;
}

/* Sorts, indexes by UpdateId, turns BundledBy/SupersededBy around. */
static int finish(sum_pkg *pk)
{
    int rc = 0;
    qsort(pk->recs, pk->n, sizeof(*pk->recs), by_revid);
    for (uint32_t i = 0; rc == 0 && i < pk->n; i++) {
        pkg_rec *rec = &pk->recs[i];
        int64_t j;
        if (sum_map_get(&pk->by_uid, rec->uid, &j)) {
            /* the same update twice: keep the higher revision */
            pkg_rec *old = &pk->recs[j];
            if (old->revnum >= rec->revnum) {
                rec->dup = true;
                continue;
            }
            old->dup = true;
        }
        rc = sum_map_put(&pk->by_uid, rec->uid, i);
    }
    for (uint32_t i = 0; rc == 0 && i < pk->n; i++) {
        pkg_rec *rec = &pk->recs[i];
        for (uint32_t k = 0; rc == 0 && k < rec->superseded_by.n; k++) {
            int64_t j = find_rev(pk, rec->superseded_by.v[k]);
            if (j >= 0)
                rc = idv_push(pk->a, &pk->recs[j].supersedes, i);
        }
        for (uint32_t k = 0; rc == 0 && k < rec->bundled_by.n; k++) {
            int64_t j = find_rev(pk, rec->bundled_by.v[k]);
            if (j >= 0)
                rc = idv_push(pk->a, &pk->recs[j].bundles, i);
        }
    }
    return rc;
}

int sum_pkg_read(sum_pkg *pk, const char *path, sum_progress_fn fn,
                 void *payload, smsprov_error *err)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, PKG_XML_OPTIONS);
    const char *names[8] = {0}; /* element names by depth (up to 8) */
    char namebuf[8][32];
    pkg_rec *cur = NULL;
    int update_depth = -1;
    int rc = 0;
    uint64_t seen = 0;
    if (r == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: cannot open", path);
    for (;;) {
        int st = xmlTextReaderRead(r);
        if (st == 0)
            break;
        if (st < 0) {
            long off = xmlTextReaderByteConsumed(r);
            const xmlError *e = xmlGetLastError();
            rc = util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)off,
                                "package.xml: malformed XML at offset %ld "
                                "(line %d): %s",
                                off, e ? e->line : 0,
                                e && e->message ? e->message : "error");
            size_t n = strlen(err ? err->msg : "");
            while (err && n > 0 && err->msg[n - 1] == '\n')
                err->msg[--n] = '\0';
            goto out;
        }
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == update_depth) {
                cur = NULL;
                update_depth = -1;
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = (const char *)xmlTextReaderConstLocalName(r);
        if (n == NULL)
            continue;
        if (depth < 8) {
            snprintf(namebuf[depth], sizeof(namebuf[depth]), "%s", n);
            names[depth] = namebuf[depth];
        }
        if (strcmp(n, "Update") == 0 && depth == 2) {
            rc = begin_update(pk, r, &cur);
            if (rc < 0)
                goto nomem;
            rc = 0;
            if (cur != NULL && !xmlTextReaderIsEmptyElement(r))
                update_depth = depth;
            else
                cur = NULL;
            if (++seen % PKG_PROGRESS_EVERY == 0 && fn) {
                sum_progress pr = {seen, 0,
                                   (uint64_t)xmlTextReaderByteConsumed(r), 0,
                                   "reading package.xml"};
                fn(&pr, payload);
            }
        } else if (cur != NULL && depth > update_depth) {
            const char *parent =
                depth >= 1 && depth - 1 < 8 ? names[depth - 1] : "";
            const char *grand =
                depth >= 2 && depth - 2 < 8 ? names[depth - 2] : NULL;
            rc = update_child(pk, cur, r, n, parent ? parent : "", grand);
            if (rc != 0)
                goto nomem;
        } else if (strcmp(n, "FileLocation") == 0) {
            rc = file_location(pk, r);
            if (rc != 0)
                goto nomem;
        }
    }
    rc = finish(pk);
    if (rc != 0)
        goto nomem;
    goto out;
nomem:
    rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
out:
    xmlFreeTextReader(r);
    return rc;
}

uint32_t sum_pkg_count(const sum_pkg *pk)
{
    return pk->n;
}

int64_t sum_pkg_revid(const sum_pkg *pk, uint32_t i)
{
    return pk->recs[i].revid;
}

bool sum_pkg_is_category(const sum_pkg *pk, uint32_t i)
{
    return sum_map_get(&pk->cats, pk->recs[i].uid, NULL);
}

sum_cat_type sum_pkg_cat_type(const sum_pkg *pk, uint32_t i)
{
    int64_t t;
    return sum_map_get(&pk->cats, pk->recs[i].uid, &t) ? (sum_cat_type)t
                                                       : SUM_CAT_UNKNOWN;
}

bool sum_pkg_is_dup(const sum_pkg *pk, uint32_t i)
{
    return pk->recs[i].dup;
}

const char *sum_pkg_url(const sum_pkg *pk, const char *digest)
{
    int64_t j;
    return digest && sum_map_get(&pk->urls, digest, &j) ? pk->url[j] : NULL;
}

/* The last path segment of a URL (file name of a payload). */
static const char *url_name(const char *url)
{
    const char *s = strrchr(url, '/');
    return s ? s + 1 : url;
}

int sum_pkg_fill(const sum_pkg *pk, uint32_t i, sum_update *u,
                 smsprov_error *err)
{
    const pkg_rec *rec = &pk->recs[i];
    util_arena *a = u->a;
    int rc = 0;
    memcpy(u->uid, rec->uid, sizeof(u->uid));
    u->revid = rec->revid;
    if (u->revnum == 0)
        u->revnum = rec->revnum;
    u->is_bundle = u->is_bundle || rec->is_bundle;
    if (rec->created != INT64_MIN)
        u->created = rec->created;
    if (u->default_lang == NULL)
        u->default_lang = rec->default_lang;
    for (uint32_t k = 0; rc == 0 && k < rec->ncats; k++)
        rc = sum_update_cat(u, rec->cats[k].type, rec->cats[k].guid,
                            SUM_GUID_LEN);
    for (uint32_t k = 0; rc == 0 && k < rec->prereqs.n; k++) {
        const char *g = rec->prereqs.v[k];
        rc = sum_strv_push(
            a, sum_map_get(&pk->cats, g, NULL) ? &u->cat_prereqs : &u->prereqs,
            g, SUM_GUID_LEN);
    }
    for (uint32_t k = 0; rc == 0 && k < rec->supersedes.n; k++)
        rc = sum_strv_push(a, &u->supersedes,
                           pk->recs[rec->supersedes.v[k]].uid, SUM_GUID_LEN);
    for (uint32_t k = 0; rc == 0 && k < rec->bundles.n; k++) {
        rc = sum_strv_push(a, &u->bundles, pk->recs[rec->bundles.v[k]].uid,
                           SUM_GUID_LEN);
        u->is_bundle = true;
    }
    for (uint32_t k = 0; rc == 0 && k < rec->langs.n; k++)
        rc = sum_strv_push(a, &u->languages, rec->langs.v[k],
                           strlen(rec->langs.v[k]));
    for (uint32_t k = 0; rc == 0 && k < rec->eulas.n; k++) {
        rc = sum_strv_push(a, &u->eulas, rec->eulas.v[k],
                           strlen(rec->eulas.v[k]));
        if (rc == 0)
            rc = sum_strv_push(a, &u->eula_langs, rec->eula_langs.v[k],
                               strlen(rec->eula_langs.v[k]));
    }
    /* files: URLs for the x/ files, and payload-only files by URL name */
    for (uint32_t k = 0; k < u->nfiles; k++)
        if (u->files[k].url == NULL)
            u->files[k].url = sum_pkg_url(pk, u->files[k].sha1);
    for (uint32_t k = 0; rc == 0 && k < rec->payload.n; k++) {
        const char *d = rec->payload.v[k];
        bool have = false;
        for (uint32_t f = 0; f < u->nfiles && !have; f++)
            have = u->files[f].sha1 && strcmp(u->files[f].sha1, d) == 0;
        if (have)
            continue;
        sum_file *f = sum_update_file(u);
        if (f == NULL) {
            rc = SMSPROV_ENOMEM;
            break;
        }
        f->sha1 = d;
        f->url = sum_pkg_url(pk, d);
        f->name = f->url ? url_name(f->url) : d;
    }
    if (rc != 0)
        return util_error_set(err, rc, -1, "out of memory");
    return 0;
}
