/* SPDX-License-Identifier: MIT */
/*
 * package.xml of wsusscn2 (OfflineSyncPackage), read in one streaming pass
 * into SQLite temporary tables, so that memory does not grow with the
 * catalog: temp.sum_pkg_rec (one row per <Update>: identity, categories,
 * prerequisites, payload digests, EULAs, languages, serialised as short
 * text lists), temp.sum_pkg_rel (BundledBy / SupersededBy, to be read
 * backwards: "which revisions does this bundle carry / supersede") and
 * temp.sum_pkg_loc (the FileLocations digest -> URL table).  In memory
 * stay only the sorted RevisionIds with two flags (16 bytes per update)
 * and the category GUIDs.  Pass two (catalog.c) asks for record i in
 * RevisionId order; sum_pkg_fill reads it back into an update record.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "sum/sum_int.h"
#include "sum/sum_map.h"

#define PKG_PROGRESS_EVERY 2000
#define PKG_LIST_MAX (1 << 20) /* one serialised list */
#define PKG_XML_OPTIONS                                                        \
    (XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_HUGE)
#define PKG_DUP 1u /* an older revision of an UpdateId listed twice */
#define PKG_CAT 2u /* the UpdateId is used as a category */
#define PKG_REL_SUPERSEDED_BY 6
#define PKG_REL_BUNDLED_BY 1

static const char pkg_ddl[] =
    "CREATE TEMP TABLE IF NOT EXISTS sum_pkg_rec (revid INTEGER PRIMARY "
    "KEY, uid TEXT NOT NULL, revnum INTEGER, bundle INTEGER, created "
    "INTEGER, lang TEXT, cats TEXT, prereqs TEXT, payload TEXT, eulas TEXT, "
    "langs TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS sum_pkg_rel (target INTEGER NOT NULL, "
    "source INTEGER NOT NULL, kind INTEGER NOT NULL);"
    "CREATE TEMP TABLE IF NOT EXISTS sum_pkg_loc (digest TEXT PRIMARY KEY, "
    "url TEXT) WITHOUT ROWID;"
    "DELETE FROM temp.sum_pkg_rec; DELETE FROM temp.sum_pkg_rel; "
    "DELETE FROM temp.sum_pkg_loc;";
static const char pkg_index[] =
    "CREATE INDEX IF NOT EXISTS temp.sum_pkg_rec_uid ON sum_pkg_rec (uid);"
    "CREATE INDEX IF NOT EXISTS temp.sum_pkg_rel_target ON sum_pkg_rel "
    "(target);";
static const char pkg_drop[] =
    "DROP TABLE IF EXISTS temp.sum_pkg_rec; DROP TABLE IF EXISTS "
    "temp.sum_pkg_rel; DROP TABLE IF EXISTS temp.sum_pkg_loc;";

/* What stays in memory per record. */
typedef struct pkg_idx {
    int64_t revid;
    uint32_t flags; /* PKG_DUP, PKG_CAT */
} pkg_idx;

/* The <Update> being read. */
typedef struct pkg_cur {
    char uid[SUM_GUID_LEN + 1];
    int64_t revid, revnum, created;
    bool bundle, have_created;
    char lang[16];
    util_buf cats, prereqs, payload, eulas, langs;
} pkg_cur;

struct sum_pkg {
    store *s;
    util_arena *a; /* category GUIDs */
    pkg_idx *idx;
    uint32_t n, cap;
    sum_map cats; /* category GUID -> type */
    store_stmt *ins_rec, *ins_rel, *ins_loc, *get_rec, *get_inv, *get_url;
    pkg_cur cur;
};

static void cur_init(pkg_cur *c)
{
    util_buf_init(&c->cats, PKG_LIST_MAX);
    util_buf_init(&c->prereqs, PKG_LIST_MAX);
    util_buf_init(&c->payload, PKG_LIST_MAX);
    util_buf_init(&c->eulas, PKG_LIST_MAX);
    util_buf_init(&c->langs, PKG_LIST_MAX);
}

static void cur_free(pkg_cur *c)
{
    util_buf_free(&c->cats);
    util_buf_free(&c->prereqs);
    util_buf_free(&c->payload);
    util_buf_free(&c->eulas);
    util_buf_free(&c->langs);
}

int sum_pkg_new(sum_pkg **out, store *s, smsprov_error *err)
{
    sum_pkg *pk = util_calloc(1, sizeof(*pk));
    int rc;
    *out = NULL;
    if (pk == NULL || (pk->a = util_arena_new()) == NULL) {
        util_free(pk);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    pk->s = s;
    sum_map_init(&pk->cats);
    cur_init(&pk->cur);
    rc = store_exec(s, pkg_ddl, err);
    if (rc == 0)
        rc = store_prepare(&pk->ins_rec, s,
                           "INSERT OR REPLACE INTO temp.sum_pkg_rec VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           err);
    if (rc == 0)
        rc =
            store_prepare(&pk->ins_rel, s,
                          "INSERT INTO temp.sum_pkg_rel VALUES (?, ?, ?)", err);
    if (rc == 0)
        rc = store_prepare(&pk->ins_loc, s,
                           "INSERT OR REPLACE INTO temp.sum_pkg_loc VALUES "
                           "(?, ?)",
                           err);
    if (rc == 0)
        rc = store_prepare(&pk->get_rec, s,
                           "SELECT uid, revnum, bundle, created, lang, cats, "
                           "prereqs, payload, eulas, langs FROM "
                           "temp.sum_pkg_rec WHERE revid = ?",
                           err);
    if (rc == 0)
        rc = store_prepare(&pk->get_inv, s,
                           "SELECT r.kind, s.uid FROM temp.sum_pkg_rel r "
                           "JOIN temp.sum_pkg_rec s ON s.revid = r.source "
                           "WHERE r.target = ?",
                           err);
    if (rc == 0)
        rc = store_prepare(&pk->get_url, s,
                           "SELECT url FROM temp.sum_pkg_loc WHERE digest = ?",
                           err);
    if (rc != 0) {
        sum_pkg_free(pk);
        return rc;
    }
    *out = pk;
    return 0;
}

void sum_pkg_free(sum_pkg *pk)
{
    if (pk == NULL)
        return;
    store_stmt *all[] = {pk->ins_rec, pk->ins_rel, pk->ins_loc,
                         pk->get_rec, pk->get_inv, pk->get_url};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        store_stmt_free(all[i]);
    store_exec(pk->s, pkg_drop, NULL);
    sum_map_free(&pk->cats);
    cur_free(&pk->cur);
    util_free(pk->idx);
    util_arena_free(pk->a);
    util_free(pk);
}

/* Integer attribute; false when absent or not a number. */
static bool aint(xmlTextReaderPtr r, const char *name, int64_t *out)
{
    char *v = (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    bool ok = v && util_parse_i64(v, strlen(v), 0, INT64_MAX, out) == 0;
    xmlFree(v);
    return ok;
}

static char *astr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* Appends one item to a space-separated list (items have no spaces). */
static void list_add(util_buf *b, const char *item)
{
    if (b->len)
        util_buf_putc(b, ' ');
    util_buf_puts(b, item);
}

/* Starts the record of an <Update>; 1 when it is unusable. */
static int begin_update(sum_pkg *pk, xmlTextReaderPtr r)
{
    pkg_cur *c = &pk->cur;
    util_buf_reset(&c->cats);
    util_buf_reset(&c->prereqs);
    util_buf_reset(&c->payload);
    util_buf_reset(&c->eulas);
    util_buf_reset(&c->langs);
    c->bundle = false;
    c->have_created = false;
    c->revnum = 0;
    c->lang[0] = '\0';
    char *id = astr(r, "UpdateId");
    bool ok = id && sum_guid_norm(id, strlen(id), c->uid);
    xmlFree(id);
    if (!ok || !aint(r, "RevisionId", &c->revid))
        return 1;
    if (!aint(r, "RevisionNumber", &c->revnum) || c->revnum > UINT32_MAX)
        c->revnum = 0;
    char *b = astr(r, "IsBundle");
    c->bundle = b && strcmp(b, "true") == 0;
    xmlFree(b);
    char *cd = astr(r, "CreationDate");
    c->have_created = cd != NULL && sum_xsd_datetime(cd, &c->created);
    xmlFree(cd);
    char *dl = astr(r, "DefaultLanguage");
    if (dl != NULL && strlen(dl) < sizeof(c->lang) && !strchr(dl, ' '))
        sum_strlcpy(c->lang, sizeof(c->lang), dl);
    xmlFree(dl);
    return 0;
}

static int bind_list(store_stmt *st, int i, const util_buf *b)
{
    return b->len ? store_bind_text(st, i, b->data, b->len)
                  : store_bind_null(st, i);
}

/* Writes the finished <Update> and its in-memory index entry. */
static int end_update(sum_pkg *pk, smsprov_error *err)
{
    pkg_cur *c = &pk->cur;
    if (c->cats.failed || c->prereqs.failed || c->payload.failed ||
        c->eulas.failed || c->langs.failed)
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "package.xml: an <Update> is too large");
    if (pk->n == pk->cap) {
        uint32_t nc = pk->cap ? pk->cap * 2 : 4096;
        pkg_idx *ni = util_realloc(pk->idx, nc * sizeof(*ni));
        if (ni == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        pk->idx = ni;
        pk->cap = nc;
    }
    store_stmt *st = pk->ins_rec;
    store_bind_int64(st, 1, c->revid);
    store_bind_text(st, 2, c->uid, SUM_GUID_LEN);
    store_bind_int64(st, 3, c->revnum);
    store_bind_int64(st, 4, c->bundle);
    if (c->have_created)
        store_bind_int64(st, 5, c->created);
    else
        store_bind_null(st, 5);
    if (c->lang[0])
        store_bind_text(st, 6, c->lang, strlen(c->lang));
    else
        store_bind_null(st, 6);
    bind_list(st, 7, &c->cats);
    bind_list(st, 8, &c->prereqs);
    bind_list(st, 9, &c->payload);
    bind_list(st, 10, &c->eulas);
    bind_list(st, 11, &c->langs);
    int rc = store_step(st, err);
    store_reset(st);
    if (rc < 0)
        return rc;
    pk->idx[pk->n].revid = c->revid;
    pk->idx[pk->n].flags = 0;
    pk->n++;
    return 0;
}

static int add_rel(sum_pkg *pk, int64_t target, int kind, smsprov_error *err)
{
    store_bind_int64(pk->ins_rel, 1, target);
    store_bind_int64(pk->ins_rel, 2, pk->cur.revid);
    store_bind_int64(pk->ins_rel, 3, kind);
    int rc = store_step(pk->ins_rel, err);
    store_reset(pk->ins_rel);
    return rc < 0 ? rc : 0;
}

/* Records a category GUID (the set stays in memory: it is small). */
static int note_cat(sum_pkg *pk, const char *guid, sum_cat_type t)
{
    if (sum_map_get(&pk->cats, guid, NULL))
        return 0;
    char *k = util_arena_strdup(pk->a, guid);
    if (k == NULL)
        return SMSPROV_ENOMEM;
    return sum_map_put(&pk->cats, k, t);
}

/* One element inside <Update>; parent/grand are its ancestors' names. */
static int update_child(sum_pkg *pk, xmlTextReaderPtr r, const char *n,
                        const char *parent, const char *grand,
                        smsprov_error *err)
{
    pkg_cur *c = &pk->cur;
    char guid[SUM_GUID_LEN + 1];
    int64_t id;
    int rc = 0;
    if (strcmp(n, "Category") == 0) {
        char *t = astr(r, "Type");
        char *g = astr(r, "Id");
        if (t && g && sum_guid_norm(g, strlen(g), guid)) {
            sum_cat_type ty = sum_cat_type_parse(t);
            util_buf_printf(&c->cats, "%s%d:%s", c->cats.len ? " " : "",
                            (int)ty, guid);
            rc = note_cat(pk, guid, ty);
        }
        xmlFree(t);
        xmlFree(g);
    } else if (strcmp(n, "UpdateId") == 0) {
        char *g = astr(r, "Id");
        if (g && sum_guid_norm(g, strlen(g), guid))
            list_add(&c->prereqs, guid);
        xmlFree(g);
    } else if (strcmp(n, "Revision") == 0 && aint(r, "Id", &id)) {
        if (strcmp(parent, "SupersededBy") == 0)
            return add_rel(pk, id, PKG_REL_SUPERSEDED_BY, err);
        if (strcmp(parent, "BundledBy") == 0)
            return add_rel(pk, id, PKG_REL_BUNDLED_BY, err);
    } else if (strcmp(n, "File") == 0) {
        char *d = astr(r, "Id");
        if (d && d[0] && !strchr(d, ' ')) {
            if (strcmp(parent, "PayloadFiles") == 0)
                list_add(&c->payload, d);
            else if (strcmp(parent, "EulaFiles") == 0)
                list_add(&c->eulas, d);
        }
        xmlFree(d);
    } else if (strcmp(n, "Language") == 0) {
        char *l = astr(r, "Name");
        if (l && l[0] && !strchr(l, ' ') && !strchr(l, '|')) {
            if (strcmp(parent, "Languages") == 0)
                list_add(&c->langs, l);
            else if (strcmp(parent, "File") == 0 && grand &&
                     strcmp(grand, "EulaFiles") == 0 && c->eulas.len) {
                util_buf_putc(&c->eulas, '|');
                util_buf_puts(&c->eulas, l);
            }
        }
        xmlFree(l);
    }
    if (rc != 0)
        return util_error_set(err, rc, -1, "out of memory");
    return 0;
}

/* <FileLocation Id Url>. */
static int file_location(sum_pkg *pk, xmlTextReaderPtr r, smsprov_error *err)
{
    char *id = astr(r, "Id");
    char *url = astr(r, "Url");
    int rc = 0;
    if (id != NULL && url != NULL) {
        store_bind_text(pk->ins_loc, 1, id, strlen(id));
        store_bind_text(pk->ins_loc, 2, url, strlen(url));
        rc = store_step(pk->ins_loc, err);
        store_reset(pk->ins_loc);
    }
    xmlFree(id);
    xmlFree(url);
    return rc < 0 ? rc : 0;
}

static int by_revid(const void *x, const void *y)
{
    const pkg_idx *a = x, *b = y;
    return a->revid < b->revid ? -1 : a->revid > b->revid;
}

/* Index of RevisionId id, or -1. */
static int64_t find_rev(const sum_pkg *pk, int64_t id)
{
    uint32_t lo = 0, hi = pk->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pk->idx[mid].revid < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pk->n && pk->idx[lo].revid == id ? (int64_t)lo : -1;
}

/* Sorts the index, builds the lookup indexes, marks categories and the
 * older copies of UpdateIds listed twice. */
static int finish(sum_pkg *pk, smsprov_error *err)
{
    store_stmt *st = NULL;
    qsort(pk->idx, pk->n, sizeof(*pk->idx), by_revid);
    /* a RevisionId listed twice was replaced (INSERT OR REPLACE) */
    uint32_t k = 0;
    for (uint32_t i = 0; i < pk->n; i++)
        if (k == 0 || pk->idx[k - 1].revid != pk->idx[i].revid)
            pk->idx[k++] = pk->idx[i];
    pk->n = k;
    int rc = store_exec(pk->s, pkg_index, err);
    if (rc == 0)
        rc = store_prepare(&st, pk->s,
                           "SELECT revid FROM temp.sum_pkg_rec WHERE uid IN "
                           "(SELECT uid FROM temp.sum_pkg_rec GROUP BY uid "
                           "HAVING COUNT(*) > 1) AND revid NOT IN (SELECT "
                           "(SELECT b.revid FROM temp.sum_pkg_rec b WHERE "
                           "b.uid = a.uid ORDER BY b.revnum DESC, b.revid "
                           "DESC LIMIT 1) FROM temp.sum_pkg_rec a GROUP BY "
                           "a.uid HAVING COUNT(*) > 1)",
                           err);
    while (rc == 0) {
        int s = store_step(st, err);
        if (s <= 0) {
            rc = s;
            break;
        }
        int64_t i = find_rev(pk, store_column_int64(st, 0));
        if (i >= 0)
            pk->idx[i].flags |= PKG_DUP;
    }
    store_stmt_free(st);
    st = NULL;
    if (rc == 0)
        rc = store_prepare(&st, pk->s,
                           "SELECT revid FROM temp.sum_pkg_rec WHERE uid = ?",
                           err);
    for (size_t slot = 0; rc == 0 && slot < pk->cats.cap; slot++) {
        const char *g = pk->cats.keys[slot];
        if (g == NULL)
            continue;
        store_bind_text(st, 1, g, strlen(g));
        int s;
        while ((s = store_step(st, err)) == 1) {
            int64_t i = find_rev(pk, store_column_int64(st, 0));
            if (i >= 0)
                pk->idx[i].flags |= PKG_CAT;
        }
        store_reset(st);
        if (s < 0)
            rc = s;
    }
    store_stmt_free(st);
    return rc;
}

int sum_pkg_read(sum_pkg *pk, const char *path, sum_progress_fn fn,
                 void *payload, smsprov_error *err)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, PKG_XML_OPTIONS);
    char names[8][32]; /* element names by depth (up to 8) */
    int update_depth = -1;
    int rc = 0;
    uint64_t seen = 0;
    if (r == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: cannot open", path);
    memset(names, 0, sizeof(names));
    for (;;) {
        int st = xmlTextReaderRead(r);
        if (st == 0)
            break;
        if (st < 0) {
            long off = xmlTextReaderByteConsumed(r);
            const xmlError *e = xmlGetLastError();
            char msg[200];
            sum_strlcpy(msg, sizeof(msg),
                        e && e->message ? e->message : "error");
            size_t n = strlen(msg);
            while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
                msg[--n] = '\0';
            rc = util_error_set(err, SMSPROV_EINVALID_SYNTAX, (int)off,
                                "package.xml: malformed XML at offset %ld "
                                "(line %d): %s",
                                off, e ? e->line : 0, msg);
            goto out;
        }
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (depth == update_depth) {
                update_depth = -1;
                rc = end_update(pk, err);
                if (rc != 0)
                    goto out;
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = (const char *)xmlTextReaderConstLocalName(r);
        if (n == NULL)
            continue;
        if (depth >= 0 && depth < 8)
            sum_strlcpy(names[depth], sizeof(names[depth]), n);
        if (strcmp(n, "Update") == 0 && depth == 2) {
            if (begin_update(pk, r) != 0)
                continue; /* no usable identity: not imported */
            if (xmlTextReaderIsEmptyElement(r)) {
                rc = end_update(pk, err);
                if (rc != 0)
                    goto out;
            } else {
                update_depth = depth;
            }
            if (++seen % PKG_PROGRESS_EVERY == 0 && fn) {
                sum_progress pr = {seen, 0,
                                   (uint64_t)xmlTextReaderByteConsumed(r), 0,
                                   "reading package.xml"};
                fn(&pr, payload);
            }
        } else if (update_depth >= 0 && depth > update_depth) {
            const char *parent =
                depth >= 1 && depth - 1 < 8 ? names[depth - 1] : "";
            const char *grand =
                depth >= 2 && depth - 2 < 8 ? names[depth - 2] : NULL;
            rc = update_child(pk, r, n, parent, grand, err);
            if (rc != 0)
                goto out;
        } else if (strcmp(n, "FileLocation") == 0) {
            rc = file_location(pk, r, err);
            if (rc != 0)
                goto out;
        }
    }
    rc = finish(pk, err);
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
    return pk->idx[i].revid;
}

bool sum_pkg_is_category(const sum_pkg *pk, uint32_t i)
{
    return (pk->idx[i].flags & PKG_CAT) != 0;
}

bool sum_pkg_is_dup(const sum_pkg *pk, uint32_t i)
{
    return (pk->idx[i].flags & PKG_DUP) != 0;
}

/* The FileLocation URL of a digest, copied into a, or NULL. */
static const char *url_of(sum_pkg *pk, const char *digest, util_arena *a)
{
    const char *out = NULL;
    if (digest == NULL)
        return NULL;
    store_bind_text(pk->get_url, 1, digest, strlen(digest));
    if (store_step(pk->get_url, NULL) == 1) {
        size_t n = 0;
        const char *u = store_column_text(pk->get_url, 0, &n);
        out = u ? util_arena_strndup(a, u, n) : NULL;
    }
    store_reset(pk->get_url);
    return out;
}

/* The last path segment of a URL (file name of a payload). */
static const char *url_name(const char *url)
{
    const char *s = strrchr(url, '/');
    return s ? s + 1 : url;
}

/* Calls fn for every space-separated item of text. */
static int each_item(const char *text,
                     int (*fn)(const char *item, size_t n, void *payload),
                     void *payload)
{
    int rc = 0;
    for (const char *p = text; rc == 0 && p && *p;) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        if (n > 0)
            rc = fn(p, n, payload);
        p = sp ? sp + 1 : NULL;
    }
    return rc;
}

/* Context of sum_pkg_fill's item callbacks. */
typedef struct fill_ctx {
    sum_pkg *pk;
    sum_update *u;
} fill_ctx;

static int fill_cat(const char *item, size_t n, void *payload)
{
    fill_ctx *f = payload;
    const char *colon = memchr(item, ':', n);
    int64_t t;
    if (colon == NULL ||
        util_parse_i64(item, (size_t)(colon - item), -1, 3, &t) != 0)
        return 0;
    return sum_update_cat(f->u, (sum_cat_type)t, colon + 1,
                          n - (size_t)(colon - item) - 1);
}

static int fill_prereq(const char *item, size_t n, void *payload)
{
    fill_ctx *f = payload;
    char g[SUM_GUID_LEN + 1];
    if (!sum_guid_norm(item, n, g))
        return 0;
    return sum_strv_push(f->u->a,
                         sum_map_get(&f->pk->cats, g, NULL) ? &f->u->cat_prereqs
                                                            : &f->u->prereqs,
                         g, SUM_GUID_LEN);
}

static int fill_lang(const char *item, size_t n, void *payload)
{
    fill_ctx *f = payload;
    return sum_strv_push(f->u->a, &f->u->languages, item, n);
}

static int fill_eula(const char *item, size_t n, void *payload)
{
    fill_ctx *f = payload;
    const char *bar = memchr(item, '|', n);
    size_t dn = bar ? (size_t)(bar - item) : n;
    int rc = sum_strv_push(f->u->a, &f->u->eulas, item, dn);
    if (rc == 0)
        rc = sum_strv_push(f->u->a, &f->u->eula_langs, bar ? bar + 1 : "",
                           bar ? n - dn - 1 : 0);
    return rc;
}

static int fill_payload(const char *item, size_t n, void *payload)
{
    fill_ctx *f = payload;
    sum_update *u = f->u;
    for (uint32_t i = 0; i < u->nfiles; i++)
        if (u->files[i].sha1 && strlen(u->files[i].sha1) == n &&
            memcmp(u->files[i].sha1, item, n) == 0)
            return 0;
    sum_file *file = sum_update_file(u);
    char *d = util_arena_strndup(u->a, item, n);
    if (file == NULL || d == NULL)
        return SMSPROV_ENOMEM;
    file->sha1 = d;
    file->url = url_of(f->pk, d, u->a);
    file->name = file->url ? url_name(file->url) : d;
    return 0;
}

int sum_pkg_fill(sum_pkg *pk, uint32_t i, sum_update *u, smsprov_error *err)
{
    store_stmt *st = pk->get_rec;
    fill_ctx f = {pk, u};
    int rc = 0;
    store_bind_int64(st, 1, pk->idx[i].revid);
    int s = store_step(st, err);
    if (s != 1) {
        store_reset(st);
        return s < 0 ? s
                     : util_error_set(err, SMSPROV_EINTERNAL, -1,
                                      "package record %lld vanished",
                                      (long long)pk->idx[i].revid);
    }
    const char *uid = store_column_text(st, 0, NULL);
    if (uid == NULL || !sum_guid_norm(uid, strlen(uid), u->uid))
        rc = SMSPROV_EINTERNAL;
    u->revid = pk->idx[i].revid;
    if (u->revnum == 0)
        u->revnum = (uint32_t)store_column_int64(st, 1);
    u->is_bundle = u->is_bundle || store_column_int64(st, 2) != 0;
    if (!store_column_is_null(st, 3))
        u->created = store_column_int64(st, 3);
    if (u->default_lang == NULL && !store_column_is_null(st, 4))
        u->default_lang =
            util_arena_strdup(u->a, store_column_text(st, 4, NULL));
    if (rc == 0)
        rc = each_item(store_column_text(st, 5, NULL), fill_cat, &f);
    if (rc == 0)
        rc = each_item(store_column_text(st, 6, NULL), fill_prereq, &f);
    /* keep the payload and EULA lists: the URL lookups reuse statements */
    char *payload_list = NULL, *eula_list = NULL;
    if (rc == 0 && !store_column_is_null(st, 7))
        payload_list = util_arena_strdup(u->a, store_column_text(st, 7, NULL));
    if (rc == 0 && !store_column_is_null(st, 8))
        eula_list = util_arena_strdup(u->a, store_column_text(st, 8, NULL));
    if (rc == 0)
        rc = each_item(store_column_text(st, 9, NULL), fill_lang, &f);
    store_reset(st);
    if (rc == 0)
        rc = each_item(eula_list, fill_eula, &f);
    /* files of x/ get their URL; payload-only files are added by URL */
    for (uint32_t k = 0; rc == 0 && k < u->nfiles; k++)
        if (u->files[k].url == NULL)
            u->files[k].url = url_of(pk, u->files[k].sha1, u->a);
    if (rc == 0)
        rc = each_item(payload_list, fill_payload, &f);
    /* the other direction of BundledBy / SupersededBy */
    st = pk->get_inv;
    store_bind_int64(st, 1, pk->idx[i].revid);
    while (rc == 0 && (s = store_step(st, err)) == 1) {
        size_t n = 0;
        const char *g = store_column_text(st, 1, &n);
        int64_t kind = store_column_int64(st, 0);
        if (g == NULL || n != SUM_GUID_LEN)
            continue;
        if (kind == PKG_REL_BUNDLED_BY) {
            u->is_bundle = true;
            rc = sum_strv_push(u->a, &u->bundles, g, n);
        } else {
            rc = sum_strv_push(u->a, &u->supersedes, g, n);
        }
    }
    store_reset(st);
    if (rc == 0 && s < 0)
        rc = s;
    if (rc == SMSPROV_ENOMEM)
        return util_error_set(err, rc, -1, "out of memory");
    if (rc != 0)
        return util_error_set(err, rc, -1, "package record %lld is damaged",
                              (long long)pk->idx[i].revid);
    return 0;
}

sum_cat_type sum_pkg_guid_cat_type(const sum_pkg *pk, const char *guid)
{
    int64_t t;
    return sum_map_get(&pk->cats, guid, &t) ? (sum_cat_type)t : SUM_CAT_UNKNOWN;
}
