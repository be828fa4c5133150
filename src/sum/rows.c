/* SPDX-License-Identifier: MIT */
/*
 * Rows of one update revision or one category: SMS_SoftwareUpdate (new or
 * revised, user-set columns untouched), its array side tables, category
 * links, content and content files, EULAs, and the CI_ID map entry.
 * Relations are queued for finish.c, which resolves them once every
 * update of the import has its CI_ID.
 */
#include <string.h>

#include "sum/writer_int.h"

/* ---- maps ------------------------------------------------------------------
 */

w_cat *w_cat_add(sum_writer *w, const char *guid)
{
    if (w->ncats == w->capcats) {
        size_t nc = w->capcats ? w->capcats * 2 : 64;
        w_cat *ne = util_realloc(w->catv, nc * sizeof(*ne));
        if (ne == NULL)
            return NULL;
        w->catv = ne;
        w->capcats = nc;
    }
    char *k = util_arena_strdup(w->a, guid);
    if (k == NULL || sum_map_put(&w->cats, k, (int64_t)w->ncats) != 0)
        return NULL;
    w_cat *c = &w->catv[w->ncats++];
    memset(c, 0, sizeof(*c));
    c->guid = k;
    c->type = SUM_CAT_UNKNOWN;
    return c;
}

static w_cat *cat_find(sum_writer *w, const char *guid)
{
    int64_t i;
    return sum_map_get(&w->cats, guid, &i) ? &w->catv[i] : NULL;
}

void sum_site_guid(const char *site, char out[SUM_GUID_LEN + 1])
{
    uint64_t h1 = 14695981039346656037ULL, h2 = 1099511628211ULL * 7;
    for (const char *c = site; *c; c++) {
        h1 = (h1 ^ (unsigned char)*c) * 1099511628211ULL;
        h2 = (h2 ^ (unsigned char)*c) * 14029467366897019727ULL;
    }
    snprintf(out, SUM_GUID_LEN + 1, "%08x-%04x-%04x-%04x-%012llx",
             (unsigned)(h1 >> 32), (unsigned)(h1 >> 16) & 0xffff,
             (unsigned)h1 & 0xffff, (unsigned)(h2 >> 48),
             (unsigned long long)(h2 & 0xffffffffffffULL));
}

/* ---- locales ----------------------------------------------------------------
 */

/* Does catalog language `lang` ("en", "zh-cn") serve option `opt`? */
bool sum_lang_match(const char *lang, const char *opt)
{
    if (util_stricmp(lang, opt) == 0)
        return true;
    size_t n = strcspn(opt, "-_");
    return strlen(lang) == n && util_strnicmp(lang, opt, n) == 0 &&
           strcmp(lang, "zh") != 0 && strcmp(lang, "pt") != 0;
}

/* The text of u for option locale i, or NULL. */
static const sum_loc *loc_for(const sum_update *u, const char *opt)
{
    for (uint32_t i = 0; i < u->nlocs; i++)
        if (sum_lang_match(u->locs[i].lang, opt))
            return &u->locs[i];
    return NULL;
}

/* Text to show when no imported locale has any: the default language. */
static const sum_loc *loc_fallback(const sum_update *u)
{
    for (uint32_t i = 0; u->default_lang && i < u->nlocs; i++)
        if (util_stricmp(u->locs[i].lang, u->default_lang) == 0)
            return &u->locs[i];
    return u->nlocs ? &u->locs[0] : NULL;
}

/* True when a language-specific update has none of the imported locales. */
static bool wrong_language(const sum_writer *w, const sum_update *u)
{
    if (u->languages.n == 0)
        return false;
    for (uint32_t i = 0; i < u->languages.n; i++)
        for (int k = 0; k < w->nlocales; k++)
            if (sum_lang_match(u->languages.v[i], w->locales[k]))
                return false;
    return true;
}

/* ---- categories ------------------------------------------------------------
 */

/* Upserts the SMS_CategoryInstance and SMS_UpdateCategoryInstance rows. */
static int write_cat(sum_writer *w, w_cat *c, const util_buf *info,
                     uint32_t lcid, int64_t parent, smsprov_error *err)
{
    char uq[64];
    snprintf(uq, sizeof(uq), "%s:%s", sum_cat_type_name(c->type), c->guid);
    store_stmt *sts[2] = {w->put_cat, w->put_ucat};
    int rc = 0;
    for (int k = 0; rc == 0 && k < 2; k++) {
        store_stmt *st = sts[k];
        store_bind_int64(st, 1, c->id);
        bind_text_z(st, 2, uq);
        bind_text_z(st, 3, sum_cat_type_name(c->type));
        bind_text_z(st, 4, c->name);
        store_bind_text(st, 5, util_buf_cstr(info), info->len);
        store_bind_int64(st, 6, lcid);
        store_bind_int64(st, 7, parent);
        bind_text_z(st, 8, w->site);
        if (k == 1)
            store_bind_int64(st, 9,
                             c->type == SUM_CAT_PRODUCT ||
                                 c->type == SUM_CAT_CLASSIFICATION);
        rc = w_run(st, err);
    }
    if (rc == 0 && !c->written) {
        c->written = true;
        w->st.categories++;
    }
    return rc;
}

/* SMS_Category_LocalizedProperties[] JSON with one name. */
static void cat_info_one(util_buf *b, const char *name, uint32_t lcid)
{
    util_buf_reset(b);
    util_buf_puts(b, "[{\"__CLASS\":\"SMS_Category_LocalizedProperties\","
                     "\"CategoryInstanceName\":");
    sum_json_str(b, name);
    util_buf_printf(b, ",\"LocaleID\":%u}]", lcid);
}

/* The category of GUID g, created with a fallback name when unknown. */
static int ensure_cat(sum_writer *w, sum_cat_type type, const char *g,
                      w_cat **out, smsprov_error *err)
{
    w_cat *c = cat_find(w, g);
    *out = c;
    if (c != NULL) {
        if (c->type == SUM_CAT_UNKNOWN && type != SUM_CAT_UNKNOWN)
            c->type = type;
        return 0;
    }
    sum_cat_type kt = SUM_CAT_UNKNOWN;
    const char *name = sum_cat_known(g, &kt);
    c = w_cat_add(w, g);
    if (c == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    c->type = type != SUM_CAT_UNKNOWN ? type
              : kt != SUM_CAT_UNKNOWN ? kt
                                      : SUM_CAT_PRODUCT;
    c->name = name ? name : c->guid;
    c->id = ++w->max_cat;
    *out = c;
    cat_info_one(&w->b1, c->name, w->lcids[0]);
    return write_cat(w, c, &w->b1, w->lcids[0], 0, err);
}

int sum_writer_category(sum_writer *w, sum_cat_type t, const char *guid,
                        const sum_update *u, smsprov_error *err)
{
    char g[SUM_GUID_LEN + 1];
    if (!sum_guid_norm(guid, strlen(guid), g)) {
        sum_writer_skip(w, 0);
        return 0;
    }
    if (t == SUM_CAT_UNKNOWN && u)
        t = u->cat_type;
    w_cat *c = cat_find(w, g);
    if (c == NULL) {
        c = w_cat_add(w, g);
        if (c == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        c->id = ++w->max_cat;
    }
    sum_cat_type kt = SUM_CAT_UNKNOWN;
    const char *known = sum_cat_known(g, &kt);
    if (t != SUM_CAT_UNKNOWN)
        c->type = t;
    else if (c->type == SUM_CAT_UNKNOWN)
        c->type = kt != SUM_CAT_UNKNOWN ? kt : SUM_CAT_PRODUCT;
    /* names for every imported locale */
    util_buf *b = &w->b1;
    util_buf_reset(b);
    util_buf_putc(b, '[');
    const char *first = NULL;
    uint32_t first_lcid = w->lcids[0];
    int nout = 0;
    for (int k = 0; u && k < w->nlocales; k++) {
        const sum_loc *l = loc_for(u, w->locales[k]);
        if (l == NULL || l->title == NULL)
            continue;
        if (first == NULL) {
            first = l->title;
            first_lcid = w->lcids[k];
        }
        util_buf_puts(b, nout++ ? "," : "");
        util_buf_puts(b, "{\"__CLASS\":\"SMS_Category_LocalizedProperties\","
                         "\"CategoryInstanceName\":");
        sum_json_str(b, l->title);
        util_buf_printf(b, ",\"LocaleID\":%u}", w->lcids[k]);
    }
    if (first == NULL) {
        const sum_loc *l = u ? loc_fallback(u) : NULL;
        first = l && l->title ? l->title : known ? known : c->guid;
        first_lcid = l ? sum_locale_lcid(l->lang) : w->lcids[0];
        cat_info_one(b, first, first_lcid);
    } else {
        util_buf_putc(b, ']');
    }
    c->name = util_arena_strdup(w->a, first);
    if (c->name == NULL || b->failed)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    int64_t parent = W_NO_PARENT;
    for (uint32_t i = 0; u && i < u->cat_prereqs.n && parent == 0; i++) {
        w_cat *pc = cat_find(w, u->cat_prereqs.v[i]);
        if (pc == NULL && sum_cat_known(u->cat_prereqs.v[i], NULL)) {
            /* a well-known parent (Windows, Microsoft) the catalog lacks */
            util_buf saved = w->b1;
            util_buf_init(&w->b1, SUM_FRAGMENT_MAX);
            int rc =
                ensure_cat(w, SUM_CAT_UNKNOWN, u->cat_prereqs.v[i], &pc, err);
            util_buf_free(&w->b1);
            w->b1 = saved;
            if (rc != 0)
                return rc;
        }
        if (pc != NULL && pc != c)
            parent = pc->id;
    }
    return write_cat(w, c, b, first_lcid, parent, err);
}

/* ---- EULAs ------------------------------------------------------------------
 */

/* SMS_EULAContent rows and the LocalizedEulas JSON of u. */
static int eulas(sum_writer *w, const sum_update *u, util_buf *out,
                 smsprov_error *err)
{
    int rc = 0;
    util_buf_reset(out);
    util_buf_putc(out, '[');
    for (uint32_t i = 0; rc == 0 && i < u->eulas.n; i++) {
        char hex[80];
        if (!sum_b64_hex(u->eulas.v[i], hex, sizeof(hex)))
            snprintf(hex, sizeof(hex), "%.60s", u->eulas.v[i]);
        int64_t id;
        if (!sum_map_get(&w->eulas, hex, &id)) {
            id = ++w->max_eula;
            char *k = util_arena_strdup(w->a, hex);
            if (k == NULL || sum_map_put(&w->eulas, k, id) != 0)
                return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            store_bind_int64(w->put_eula, 1, id);
            bind_text_z(w->put_eula, 2, hex);
            store_bind_null(w->put_eula, 3);
            bind_text_z(w->put_eula, 4, w->site);
            rc = w_run(w->put_eula, err);
        }
        const char *lang = i < u->eula_langs.n ? u->eula_langs.v[i] : "";
        uint32_t lcid = lang[0] ? sum_locale_lcid(lang) : w->lcids[0];
        util_buf_puts(out, i ? "," : "");
        util_buf_puts(out, "{\"__CLASS\":\"SMS_CI_LocalizedEulas\","
                           "\"EULAContentUniqueID\":");
        sum_json_str(out, hex);
        util_buf_printf(out, ",\"LocaleID\":%u}", lcid);
    }
    util_buf_putc(out, ']');
    return rc;
}

/* ---- the update row --------------------------------------------------------
 */

/* Categories of u in write order: explicit ones, then IsCategory prereqs. */
static int update_cats(sum_writer *w, const sum_update *u, w_cat **cv,
                       uint32_t *n, uint32_t max, smsprov_error *err)
{
    int rc = 0;
    *n = 0;
    for (uint32_t i = 0; rc == 0 && i < u->ncats && *n < max; i++) {
        w_cat *c;
        rc = ensure_cat(w, u->cats[i].type, u->cats[i].guid, &c, err);
        if (rc == 0)
            cv[(*n)++] = c;
    }
    for (uint32_t i = 0; rc == 0 && i < u->cat_prereqs.n && *n < max; i++) {
        bool dup = false;
        for (uint32_t k = 0; k < *n && !dup; k++)
            dup = strcmp(cv[k]->guid, u->cat_prereqs.v[i]) == 0;
        if (dup)
            continue;
        w_cat *c;
        rc = ensure_cat(w, SUM_CAT_UNKNOWN, u->cat_prereqs.v[i], &c, err);
        if (rc == 0)
            cv[(*n)++] = c;
    }
    return rc;
}

/* Queues one relation in temp.sum_pend (resolved in finish.c). */
static int queue_rel(sum_writer *w, int64_t from, int type, const char *to,
                     smsprov_error *err)
{
    store_bind_int64(w->ins_pend, 1, from);
    bind_text_z(w->ins_pend, 2, to);
    store_bind_int64(w->ins_pend, 3, type);
    return w_run(w->ins_pend, err);
}

/* Queues supersedence (6), bundle (1) and prerequisite (2) relations. */
static int queue_rels(sum_writer *w, const sum_update *u, int64_t ci,
                      smsprov_error *err)
{
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < u->supersedes.n; i++)
        rc = queue_rel(w, ci, W_REL_SUPERSEDED, u->supersedes.v[i], err);
    for (uint32_t i = 0; rc == 0 && i < u->bundles.n; i++)
        rc = queue_rel(w, ci, W_REL_BUNDLED, u->bundles.v[i], err);
    for (uint32_t i = 0; rc == 0 && i < u->prereqs.n; i++)
        rc = queue_rel(w, ci, W_REL_REQUIRED, u->prereqs.v[i], err);
    return rc;
}

/* LocalizedInformation JSON; *chosen gets the first locale's text. */
static void loc_info(sum_writer *w, const sum_update *u, util_buf *b,
                     const sum_loc **chosen, uint32_t *lcid)
{
    int nout = 0;
    *chosen = NULL;
    *lcid = w->lcids[0];
    util_buf_reset(b);
    util_buf_putc(b, '[');
    for (int k = 0; k < w->nlocales; k++) {
        const sum_loc *l = loc_for(u, w->locales[k]);
        uint32_t id = w->lcids[k];
        if (l == NULL && k == 0 && u->nlocs > 0) {
            l = loc_fallback(u); /* show something rather than nothing */
            id = sum_locale_lcid(l->lang);
        }
        if (l == NULL)
            continue;
        if (*chosen == NULL) {
            *chosen = l;
            *lcid = id;
        }
        util_buf_puts(b, nout++ ? "," : "");
        util_buf_puts(b, "{\"__CLASS\":\"SMS_CI_LocalizedProperties\","
                         "\"Description\":");
        sum_json_str(b, l->desc ? l->desc : "");
        util_buf_puts(b, ",\"DisplayName\":");
        sum_json_str(b, l->title ? l->title : "");
        util_buf_puts(b, ",\"InformativeURL\":");
        sum_json_str(b, l->url ? l->url : "");
        util_buf_printf(b, ",\"LocaleID\":%u}", id);
    }
    util_buf_putc(b, ']');
}

/* Removes the dependent rows of a revised update. */
static int clear_children(sum_writer *w, const w_ent *e, smsprov_error *err)
{
    w_side *sides[3] = {&w->side_cats, &w->side_names, &w->side_locales};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 3; i++) {
        store_bind_int64(sides[i]->del, 1, e->ci_id);
        rc = w_run(sides[i]->del, err);
    }
    if (rc == 0) {
        store_bind_int64(w->del_links, 1, e->ci_id);
        rc = w_run(w->del_links, err);
    }
    /* content locale side rows, then the content and its files */
    store_bind_int64(w->del_content_side, 1, e->ci_id);
    while (rc == 0) {
        int s = store_step(w->del_content_side, err);
        if (s <= 0) {
            rc = s;
            break;
        }
        int64_t oid = store_column_int64(w->del_content_side, 0);
        store_bind_int64(w->side_content.del, 1, oid);
        rc = w_run(w->side_content.del, err);
    }
    store_reset(w->del_content_side);
    if (rc == 0) {
        store_bind_int64(w->del_content, 1, e->ci_id);
        rc = w_run(w->del_content, err);
    }
    if (rc == 0 && e->content_id) {
        store_bind_int64(w->del_files, 1, e->content_id);
        rc = w_run(w->del_files, err);
        store_bind_int64(w->del_digest, 1, e->content_id);
        if (rc == 0)
            rc = w_run(w->del_digest, err);
    }
    return rc;
}

/* SMS_CIToContent + SMS_CIContentFiles (+ sum_content_digest). */
static int write_content(sum_writer *w, const sum_update *u, w_ent *e,
                         const char *model, smsprov_error *err)
{
    if (u->nfiles == 0)
        return 0;
    if (e->content_id == 0)
        e->content_id = w->next_content++;
    uint32_t lcid =
        u->languages.n == 1 ? sum_locale_lcid(u->languages.v[0]) : 0;
    char loc[32], sha1[80], sha256[80], hash[96];
    const char *locs[1] = {loc};
    snprintf(loc, sizeof(loc), "Locale:%u", lcid);
    json_strs(&w->b2, locs, 1);
    store_stmt *st = w->ins_content;
    store_bind_int64(st, 1, e->ci_id);
    store_bind_int64(st, 2, e->content_id);
    bind_text_z(st, 3, u->uid);
    store_bind_text(st, 4, util_buf_cstr(&w->b2), w->b2.len);
    bind_text_z(st, 5, u->uid);
    store_bind_int64(st, 6, u->revnum);
    if (u->nfiles == 1 && u->files[0].sha256 &&
        sum_b64_hex(u->files[0].sha256, sha256, sizeof(sha256))) {
        snprintf(hash, sizeof(hash), "SHA256:%s", sha256);
        bind_text_z(st, 7, hash);
        store_bind_int64(st, 8, 2);
    } else {
        store_bind_null(st, 7);
        store_bind_null(st, 8);
    }
    bind_text_z(st, 9, model);
    int rc = w_run(st, err);
    if (rc == 0) {
        int64_t oid = store_last_rowid(w->s);
        rc = w_side_write(&w->side_content, oid, locs, 1, err);
    }
    for (uint32_t i = 0; rc == 0 && i < u->nfiles; i++) {
        const sum_file *f = &u->files[i];
        const char *name = f->name ? f->name : f->sha1 ? f->sha1 : "file";
        bool h1 = f->sha1 && sum_b64_hex(f->sha1, sha1, sizeof(sha1));
        bool h2 = f->sha256 && sum_b64_hex(f->sha256, sha256, sizeof(sha256));
        snprintf(hash, sizeof(hash), "SHA1:%s", h1 ? sha1 : "");
        st = w->ins_file;
        store_bind_int64(st, 1, e->content_id);
        bind_text_z(st, 2, name);
        bind_text_z(st, 3, h1 ? hash : "");
        store_bind_int64(st, 4, f->size >= 0 ? f->size : 0);
        store_bind_int64(st, 5, lcid);
        bind_text_z(st, 6, u->uid);
        bind_text_z(st, 7, model);
        bind_text_z(st, 8, f->url ? f->url : "");
        rc = w_run(st, err);
        if (rc == 0 && store_changes(w->s) > 0)
            w->st.files++;
        if (rc == 0 && (h1 || h2)) {
            st = w->ins_digest;
            store_bind_int64(st, 1, e->content_id);
            bind_text_z(st, 2, name);
            if (h1)
                bind_text_z(st, 3, sha1);
            else
                store_bind_null(st, 3);
            if (h2)
                bind_text_z(st, 4, sha256);
            else
                store_bind_null(st, 4);
            rc = w_run(st, err);
        }
    }
    return rc;
}

/* Binds s cut to max bytes at a UTF-8 character boundary (the SizeLimit
 * of ArticleID and BulletinID). */
static int bind_limited(store_stmt *st, int i, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    return store_bind_text(st, i, s, n);
}

/* Binds the catalog-derived columns shared by INSERT and UPDATE. */
static int bind_update(sum_writer *w, store_stmt *st, const sum_update *u,
                       w_cat **cv, uint32_t ncv, const char *model,
                       smsprov_error *err)
{
    const sum_loc *l;
    uint32_t lcid;
    const char *uids[64], *names[64];
    char uqs[64][64];
    util_buf *b = &w->b1;
    int rc;
    for (uint32_t i = 0; i < ncv; i++) {
        snprintf(uqs[i], sizeof(uqs[i]), "%s:%s",
                 sum_cat_type_name(cv[i]->type), cv[i]->guid);
        uids[i] = uqs[i];
        names[i] = cv[i]->name;
    }
    bind_text_z(st, U_UID, u->uid);
    rc = sum_applicability(b, u);
    if (rc != 0)
        return util_error_set(err, rc, -1, "out of memory");
    store_bind_text(st, U_APPL, util_buf_cstr(b), b->len);
    bind_limited(st, U_ARTICLE, u->kb ? u->kb : "", W_ID_MAX);
    bind_limited(st, U_BULLETIN,
                 u->bulletin && u->bulletin[0] ? u->bulletin : "None",
                 W_ID_MAX);
    json_strs(b, uids, ncv);
    store_bind_text(st, U_CATS, util_buf_cstr(b), b->len);
    store_bind_int64(st, U_CITYPE, u->is_bundle ? 8 : 1);
    if (u->created != INT64_MIN)
        store_bind_int64(st, U_REVISED, u->created);
    else
        store_bind_null(st, U_REVISED);
    store_bind_int64(st, U_MODIFIED, w->now);
    bind_text_z(st, U_MODIFIER, "SYSTEM");
    store_bind_int64(st, U_EULAEXISTS, u->eulas.n > 0);
    rc = eulas(w, u, &w->b3, err);
    if (rc != 0)
        return rc;
    store_bind_text(st, U_EULAS, util_buf_cstr(&w->b3), w->b3.len);
    store_bind_int64(st, U_BUNDLE, u->is_bundle);
    json_strs(&w->b2, names, ncv);
    store_bind_text(st, U_CATNAMES, util_buf_cstr(&w->b2), w->b2.len);
    loc_info(w, u, &w->b4, &l, &lcid);
    bind_text_z(st, U_DESC, l && l->desc ? l->desc : NULL);
    bind_text_z(st, U_TITLE, l && l->title ? l->title : NULL);
    bind_text_z(st, U_URL, l && l->url ? l->url : NULL);
    store_bind_int64(st, U_LOCALE, lcid);
    store_bind_text(st, U_LOCINFO, util_buf_cstr(&w->b4), w->b4.len);
    bind_text_z(st, U_MODEL, model);
    store_bind_int64(st, U_REVNUM, u->revnum);
    rc = sum_sdm_xml(&w->b5, w->site_guid, u, l ? l->title : NULL,
                     l ? l->desc : NULL);
    if (rc != 0)
        return util_error_set(err, rc, -1, "SDMPackageXML: out of memory");
    store_bind_text(st, U_SDM, util_buf_cstr(&w->b5), w->b5.len);
    uint32_t sev = sum_severity(u->msrc);
    store_bind_int64(st, U_SEV, sev);
    bind_text_z(st, U_SEVNAME, sev ? u->msrc : NULL);
    int64_t size = 0;
    for (uint32_t i = 0; i < u->nfiles; i++)
        size += u->files[i].size > 0 ? u->files[i].size : 0;
    if (size == 0 && u->max_size > 0)
        size = u->max_size;
    store_bind_int64(st, U_SIZE, size);
    static const char *const neutral[1] = {""};
    if (u->languages.n > 0)
        json_strs(b, u->languages.v, u->languages.n);
    else
        json_strs(b, neutral, 1);
    store_bind_text(st, U_LOCALES, util_buf_cstr(b), b->len);
    store_bind_int64(st, U_METAONLY, u->nfiles == 0 && !u->is_bundle);
    /* Offline image servicing applies only what CBS installs; a bundle
     * without a handler of its own carries CBS leaves (cumulative
     * updates). */
    const char *h = sum_handler_name(u->handler);
    store_bind_int64(st, U_OFFLINE,
                     h != NULL ? util_stricmp(h, "Cbs") == 0 : u->is_bundle);
    return b->failed || w->b2.failed || w->b3.failed || w->b4.failed ||
                   w->b5.failed
               ? util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory")
               : 0;
}

int sum_writer_update(sum_writer *w, const sum_update *u, smsprov_error *err)
{
    w_cat *cv[64];
    uint32_t ncv = 0;
    char model[128];
    int rc;
    w->handled++;
    if (w->o.progress && w->handled % W_PROGRESS_EVERY == 0)
        sum_writer_progress(w, w->phase ? w->phase : "updates", w->total,
                            w->bytes, w->bytes_total);
    if (u->uid[0] == '\0') {
        sum_writer_skip(w, 0);
        return 0;
    }
    if (u->kind == SUM_KIND_DETECTOID) {
        sum_writer_skip(w, SUM_KIND_DETECTOID);
        bind_text_z(w->ins_det, 1, u->uid);
        return w_run(w->ins_det, err);
    }
    if (u->kind == SUM_KIND_CATEGORY)
        return sum_writer_category(w, u->cat_type, u->uid, u, err);
    if (wrong_language(w, u)) {
        sum_writer_skip(w, W_SKIP_LOCALE);
        return 0;
    }
    if (!u->has_metadata)
        w->st.no_metadata++;
    w_ent ent, *e = &ent;
    memset(e, 0, sizeof(*e));
    bind_text_z(w->get_map, 1, u->uid);
    rc = store_step(w->get_map, err);
    if (rc == 1) {
        e->ci_id = store_column_int64(w->get_map, 0);
        e->content_id = store_column_int64(w->get_map, 1);
        e->revision = store_column_int64(w->get_map, 2);
        e->sig = store_column_int64(w->get_map, 3);
        e->last_import = store_column_int64(w->get_map, 4);
        e->in_db = true;
    }
    store_reset(w->get_map);
    if (rc < 0)
        return rc;
    if (e->in_db && e->last_import == w->serial) {
        /* listed twice in one import: the first one wins */
        sum_writer_skip(w, 0);
        return 0;
    }
    if (!e->in_db)
        e->ci_id = w->next_ci++;
    rc = queue_rels(w, u, e->ci_id, err);
    if (rc != 0)
        return rc;
    if (e->in_db && e->revision == u->revnum && e->sig == w->sig) {
        w->st.unchanged++;
        store_bind_int64(w->seen_map, 1, w->serial);
        store_bind_int64(w->seen_map, 2, u->expired);
        bind_text_z(w->seen_map, 3, u->uid);
        return w_run(w->seen_map, err);
    }
    snprintf(model, sizeof(model), "Site_%s/SUM_%s", w->site_guid, u->uid);
    rc = update_cats(w, u, cv, &ncv, 64, err);
    if (rc != 0)
        return rc;
    bool revise = e->in_db;
    store_stmt *st = revise ? w->upd_upd : w->ins_upd;
    rc = bind_update(w, st, u, cv, ncv, model, err);
    if (rc != 0)
        return rc;
    store_bind_int64(st, U_X_CIID, e->ci_id);
    if (!revise) {
        store_bind_int64(st, U_X_MODELID, e->ci_id);
        store_bind_int64(st, U_X_CREATED, w->now);
        if (u->created != INT64_MIN)
            store_bind_int64(st, U_X_POSTED, u->created);
        else
            store_bind_null(st, U_X_POSTED);
        bind_text_z(st, U_X_SITE, w->site);
    }
    rc = w_run(st, err);
    if (rc == 0 && revise && store_changes(w->s) == 0) {
        /* the row was deleted by hand: write it again */
        revise = false;
        e->in_db = false;
        st = w->ins_upd;
        rc = bind_update(w, st, u, cv, ncv, model, err);
        store_bind_int64(st, U_X_CIID, e->ci_id);
        store_bind_int64(st, U_X_MODELID, e->ci_id);
        store_bind_int64(st, U_X_CREATED, w->now);
        if (u->created != INT64_MIN)
            store_bind_int64(st, U_X_POSTED, u->created);
        else
            store_bind_null(st, U_X_POSTED);
        bind_text_z(st, U_X_SITE, w->site);
        if (rc == 0)
            rc = w_run(st, err);
    }
    if (rc != 0)
        return rc;
    if (revise) {
        w->st.revised++;
        rc = clear_children(w, e, err);
    } else {
        w->st.added++;
        static const char *const scopes[1] = {"Default"};
        rc = w_side_write(&w->side_scopes, e->ci_id, scopes, 1, err);
    }
    /* array side tables */
    const char *uids[64], *names[64];
    char uqs[64][64];
    for (uint32_t i = 0; i < ncv; i++) {
        snprintf(uqs[i], sizeof(uqs[i]), "%s:%s",
                 sum_cat_type_name(cv[i]->type), cv[i]->guid);
        uids[i] = uqs[i];
        names[i] = cv[i]->name;
    }
    if (rc == 0)
        rc = w_side_write(&w->side_cats, e->ci_id, uids, ncv, err);
    if (rc == 0)
        rc = w_side_write(&w->side_names, e->ci_id, names, ncv, err);
    static const char *const neutral[1] = {""};
    if (rc == 0)
        rc = u->languages.n
                 ? w_side_write(&w->side_locales, e->ci_id, u->languages.v,
                                u->languages.n, err)
                 : w_side_write(&w->side_locales, e->ci_id, neutral, 1, err);
    /* category links */
    for (uint32_t i = 0; rc == 0 && i < ncv; i++) {
        st = w->ins_link;
        store_bind_int64(st, 1, cv[i]->id);
        store_bind_int64(st, 2, e->ci_id);
        bind_text_z(st, 3, sum_cat_type_name(cv[i]->type));
        bind_text_z(st, 4, u->uid);
        bind_text_z(st, 5, cv[i]->name);
        store_bind_int64(st, 6, w->lcids[0]);
        bind_text_z(st, 7, model);
        bind_text_z(st, 8, uids[i]);
        rc = w_run(st, err);
    }
    if (rc == 0)
        rc = write_content(w, u, e, model, err);
    if (rc == 0) {
        st = w->put_map;
        bind_text_z(st, 1, u->uid);
        store_bind_int64(st, 2, e->ci_id);
        store_bind_int64(st, 3, e->content_id);
        store_bind_int64(st, 4, u->revnum);
        store_bind_int64(st, 5, w->sig);
        store_bind_int64(st, 6, u->expired);
        store_bind_int64(st, 7, w->serial);
        rc = w_run(st, err);
    }
    e->in_db = true;
    e->revision = u->revnum;
    e->sig = w->sig;
    return rc;
}
