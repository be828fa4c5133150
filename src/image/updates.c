/* SPDX-License-Identifier: MIT */
/*
 * The catalog as a scan sees it: every non-expired update with the facts
 * applicability needs (KB, product names, architecture, CBS or not, who
 * supersedes it) and the supported platforms.  Read once per scan through
 * the query engine, kept sorted by CI_ID in one arena.
 */
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "image/image_int.h"
#include "provider/provider.h"

typedef struct loader {
    util_arena *a;
    image_catalog *c;
    size_t cap, plat_cap;
    int rc;
} loader;

static const char *dup_str(util_arena *a, const cim_value *v)
{
    if (v == NULL || v->is_null || v->v.s == NULL)
        return "";
    return util_arena_strdup(a, v->v.s);
}

static int on_update(const wql_plan *plan, cim_instance **parts, int64_t count,
                     void *payload)
{
    (void)plan, (void)count;
    loader *l = payload;
    const cim_instance *r = parts[0];
    image_update *all =
        util_arena_grow(l->a, l->c->u, l->c->n, &l->cap, sizeof(*all));
    if (all == NULL)
        return l->rc = SMSPROV_ENOMEM;
    l->c->u = all;
    image_update *u = &all[l->c->n];
    memset(u, 0, sizeof(*u));
    u->ci_id = (int32_t)cim_instance_int(r, "CI_ID", 0);
    u->title = util_arena_strdup(
        l->a, cim_instance_str(r, "LocalizedDisplayName", ""));
    if (u->title == NULL)
        return l->rc = SMSPROV_ENOMEM;
    const char *article = cim_instance_str(r, "ArticleID", "");
    if (article[0] != '\0') {
        /* ArticleID holds the number only ("5032190") */
        if (!image_kb_find(article, u->kb))
            snprintf(u->kb, sizeof(u->kb), "KB%.12s", article);
    } else if (!image_kb_find(u->title, u->kb)) {
        u->kb[0] = '\0';
    }
    const cim_value *v =
        cim_instance_get_by_name(r, "LocalizedCategoryInstanceNames");
    if (v != NULL && !v->is_null && v->is_array && v->count > 0) {
        u->cats = util_arena_alloc(l->a, v->count * sizeof(*u->cats));
        if (u->cats == NULL)
            return l->rc = SMSPROV_ENOMEM;
        for (uint32_t i = 0; i < v->count; i++)
            if ((u->cats[u->ncats++] = dup_str(l->a, &v->v.items[i])) == NULL)
                return l->rc = SMSPROV_ENOMEM;
    }
    u->offline = cim_instance_int(r, "IsOfflineServiceable", 0) != 0;
    u->expired = cim_instance_int(r, "IsExpired", 0) != 0;
    u->arch = image_arch_in_text(u->title);
    l->c->n++;
    return 0;
}

static int by_ci(const void *a, const void *b)
{
    const image_update *x = a, *y = b;
    return (x->ci_id > y->ci_id) - (x->ci_id < y->ci_id);
}

const image_update *image_catalog_find(const image_catalog *c, int32_t ci_id)
{
    image_update key = {.ci_id = ci_id};
    return c->n ? bsearch(&key, c->u, c->n, sizeof(*c->u), by_ci) : NULL;
}

/* Content file names tell the architecture of updates whose title does
 * not ("windows10.0-kb5005565-x64_...cab"). */
static int on_file(const wql_plan *plan, cim_instance **parts, int64_t count,
                   void *payload)
{
    (void)plan, (void)count;
    loader *l = payload;
    const cim_value *ci = cim_instance_get_by_name(parts[0], "CI_ID");
    const cim_value *fn = cim_instance_get_by_name(parts[1], "FileName");
    if (ci == NULL || ci->is_null || fn == NULL || fn->is_null)
        return 0;
    image_update *u =
        (image_update *)image_catalog_find(l->c, (int32_t)ci->v.i);
    if (u != NULL && u->arch == IMAGE_ARCH_UNKNOWN)
        u->arch = image_arch_in_text(fn->v.s);
    return 0;
}

/* Supersedence: SMS_CIRelation type 6, FromCIID supersedes ToCIID. */
static int on_relation(const wql_plan *plan, cim_instance **parts,
                       int64_t count, void *payload)
{
    (void)plan, (void)count;
    loader *l = payload;
    const cim_value *from = cim_instance_get_by_name(parts[0], "FromCIID");
    const cim_value *to = cim_instance_get_by_name(parts[0], "ToCIID");
    if (from == NULL || to == NULL || from->is_null || to->is_null)
        return 0;
    image_update *u =
        (image_update *)image_catalog_find(l->c, (int32_t)to->v.i);
    if (u == NULL)
        return 0;
    int32_t *s = util_arena_grow(l->a, u->superseded_by, u->nsup, &u->sup_cap,
                                 sizeof(*s));
    if (s == NULL)
        return l->rc = SMSPROV_ENOMEM;
    u->superseded_by = s;
    u->superseded_by[u->nsup++] = (int32_t)from->v.i;
    return 0;
}

static int on_platform(const wql_plan *plan, cim_instance **parts,
                       int64_t count, void *payload)
{
    (void)plan, (void)count;
    loader *l = payload;
    image_catalog *c = l->c;
    image_platform *np =
        util_arena_grow(l->a, c->plat, c->nplat, &l->plat_cap, sizeof(*np));
    if (np == NULL)
        return l->rc = SMSPROV_ENOMEM;
    c->plat = np;
    np[c->nplat].build = util_arena_strdup(
        l->a, cim_instance_str(parts[0], "OsVersionBuild", ""));
    if (np[c->nplat].build == NULL)
        return l->rc = SMSPROV_ENOMEM;
    np[c->nplat].server =
        util_stricmp(cim_instance_str(parts[0], "ProductType", ""),
                     "ServerNT") == 0;
    c->nplat++;
    return 0;
}

static int run(provider *p, const char *wql, provider_row_fn fn, loader *l,
               smsprov_error *err)
{
    int rc = provider_query(p, wql, strlen(wql), fn, l, err);
    if (rc != 0 && l->rc != 0)
        return util_error_set(err, l->rc, -1, "out of memory");
    return rc;
}

int image_catalog_load(image_catalog *c, util_arena *a, provider *p,
                       smsprov_error *err)
{
    memset(c, 0, sizeof(*c));
    loader l = {a, c, 0, 0, 0};
    int rc = run(p,
                 "SELECT CI_ID, ArticleID, LocalizedDisplayName, "
                 "LocalizedCategoryInstanceNames, IsOfflineServiceable, "
                 "IsExpired FROM SMS_SoftwareUpdate",
                 on_update, &l, err);
    if (rc == 0 && c->n > 1)
        qsort(c->u, c->n, sizeof(*c->u), by_ci);
    if (rc == 0)
        rc = run(p,
                 "SELECT c.CI_ID, f.FileName FROM SMS_CIToContent c JOIN "
                 "SMS_CIContentFiles f ON c.ContentID = f.ContentID",
                 on_file, &l, err);
    if (rc == 0)
        rc = run(p,
                 "SELECT FromCIID, ToCIID FROM SMS_CIRelation WHERE "
                 "RelationType = 6",
                 on_relation, &l, err);
    static const char plat_wql[] =
        "SELECT Name, OsVersionBuild, ProductType "
        "FROM SMS_SupportedPlatformsOfflineServicing";
    if (rc == 0)
        rc = run(p, plat_wql, on_platform, &l, err);
    if (rc == 0 && c->nplat == 0) {
        /* a database that never serviced an image: the site's list */
        rc = image_seed_platforms(p, err);
        if (rc == 0)
            rc = run(p, plat_wql, on_platform, &l, err);
    }
    return rc;
}
