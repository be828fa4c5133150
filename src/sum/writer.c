/* SPDX-License-Identifier: MIT */
/*
 * The database side of an import: turns merged update records into rows of
 * SMS_SoftwareUpdate (+ array side tables), SMS_CategoryInstance /
 * SMS_UpdateCategoryInstance, SMS_CIAllCategories, SMS_CIToContent,
 * SMS_CIContentFiles, SMS_EULAContent and SMS_CIRelation with prepared
 * statements in one transaction (the store layout of docs/storage.md),
 * keeps CI_IDs stable in sum_ci_map, and at the end recomputes
 * supersedence and expiry.  Rows are written directly rather than through
 * provider_put: the importer is the provider itself (PROVIDER_INTERNAL)
 * and per-row validation would dominate a 136,000-update import; the
 * values written are the ones the schema allows (tests check them back
 * through the provider).
 */
#include <string.h>

#include "sum/sum_int.h"
#include "sum/sum_map.h"
#include "sum/writer_int.h"

#define W_SIG_VERSION 3 /* bump when the row mapping changes */
#define W_ORPHAN_PARENT 0

/* ---- small helpers --------------------------------------------------------
 */

/* Appends s as a JSON string literal. */
void sum_json_str(util_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    util_buf_putc(b, '"');
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c;
         c++) {
        if (*c == '"' || *c == '\\') {
            util_buf_putc(b, '\\');
            util_buf_putc(b, (char)*c);
        } else if (*c < 0x20) {
            char e[7] = {'\\', 'u', '0', '0', hex[*c >> 4], hex[*c & 15], 0};
            util_buf_puts(b, e);
        } else {
            util_buf_putc(b, (char)*c);
        }
    }
    util_buf_putc(b, '"');
}

int bind_text_z(store_stmt *st, int i, const char *s)
{
    return s ? store_bind_text(st, i, s, strlen(s)) : store_bind_null(st, i);
}

/* Steps a write statement to completion and resets it. */
int w_run(store_stmt *st, smsprov_error *err)
{
    int rc = store_step(st, err);
    store_reset(st);
    return rc < 0 ? rc : 0;
}

static int prep(sum_writer *w, store_stmt **out, const char *sql,
                smsprov_error *err)
{
    return store_prepare(out, w->s, sql, err);
}

/* Runs one SQL statement with no parameters. */
static int exec(sum_writer *w, const char *sql, smsprov_error *err)
{
    return store_exec(w->s, sql, err);
}

/* Runs SQL returning one integer (0 when NULL or no row). */
static int query_i64(sum_writer *w, const char *sql, int64_t *out,
                     smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = prep(w, &st, sql, err);
    *out = 0;
    if (rc != 0)
        return rc;
    rc = store_step(st, err);
    if (rc == 1 && !store_column_is_null(st, 0))
        *out = store_column_int64(st, 0);
    store_stmt_free(st);
    return rc < 0 ? rc : 0;
}

/* ---- schema lookups --------------------------------------------------------
 */

static int need_class(sum_writer *w, const cim_class **out, const char *name,
                      smsprov_error *err)
{
    *out = cim_schema_class(w->schema, name, strlen(name));
    if (*out == NULL)
        return util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                              "the schema has no class %s", name);
    return 0;
}

/* INSERT INTO "<side table of cls.prop>" (oid, idx, v) VALUES (?,?,?). */
static int prep_side(sum_writer *w, w_side *sd, const cim_class *cls,
                     const char *prop, smsprov_error *err)
{
    const cim_property *p = cim_class_property(cls, prop, strlen(prop));
    util_buf b = UTIL_BUF_INIT(4096);
    int rc;
    if (p == NULL)
        return util_error_set(err, SMSPROV_EINVALID_PROPERTY, -1,
                              "%s has no property %s", cls->name, prop);
    util_buf_puts(&b, "INSERT INTO ");
    store_sql_array_table(&b, cls, p);
    util_buf_puts(&b, " (oid, idx, v) VALUES (?, ?, ?)");
    rc = prep(w, &sd->ins, util_buf_cstr(&b), err);
    util_buf_reset(&b);
    util_buf_puts(&b, "DELETE FROM ");
    store_sql_array_table(&b, cls, p);
    util_buf_puts(&b, " WHERE oid = ?");
    if (rc == 0)
        rc = prep(w, &sd->del, util_buf_cstr(&b), err);
    util_buf_free(&b);
    return rc;
}

/* Writes the side rows of a string array. */
int w_side_write(w_side *sd, int64_t oid, const char *const *v, uint32_t n,
                 smsprov_error *err)
{
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        store_bind_int64(sd->ins, 1, oid);
        store_bind_int64(sd->ins, 2, i);
        bind_text_z(sd->ins, 3, v[i]);
        rc = w_run(sd->ins, err);
    }
    return rc;
}

/* JSON array of strings into b (reset first). */
void json_strs(util_buf *b, const char *const *v, uint32_t n)
{
    util_buf_reset(b);
    util_buf_putc(b, '[');
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            util_buf_putc(b, ',');
        sum_json_str(b, v[i]);
    }
    util_buf_putc(b, ']');
}

/* ---- statements ------------------------------------------------------------
 */

/* SMS_SoftwareUpdate columns written from the catalog on insert and on
 * revision (user-set properties are not in the list, so they survive). */
static const char *const upd_cols[U_NCOLS] = {
    "CI_UniqueID",
    "ApplicabilityCondition",
    "ArticleID",
    "BulletinID",
    "CategoryInstance_UniqueIDs",
    "CIType_ID",
    "DateRevised",
    "DateLastModified",
    "LastModifiedBy",
    "EULAExists",
    "LocalizedEulas",
    "IsBundle",
    "LocalizedCategoryInstanceNames",
    "LocalizedDescription",
    "LocalizedDisplayName",
    "LocalizedInformativeURL",
    "LocalizedPropertyLocaleID",
    "LocalizedInformation",
    "ModelName",
    "RevisionNumber",
    "SDMPackageXML",
    "Severity",
    "SeverityName",
    "Size",
    "UpdateLocales",
    "IsMetadataOnlyUpdate",
    "IsOfflineServiceable",
};

/* Insert-only columns: bound ones first, then constants. */
#define U_INSERT_EXTRA                                                         \
    ", CI_ID, ModelID, DateCreated, DatePosted, SourceSite, CIVersion, "       \
    "CreatedBy, CustomSeverity, EULAAccepted, IsEnabled, IsExpired, "          \
    "IsHidden, IsSuperseded, IsUserDefined, PermittedUses, "                   \
    "SDMPackageVersion, MaxExecutionTime, IsContentProvisioned, "              \
    "IsDeployable, IsDeployed, IsLatest, "                                     \
    "IsQuarantined, RequiresExclusiveHandling, ExecutionContext, IsDigest, "   \
    "SecuredScopeNames"
#define U_INSERT_VALUES                                                        \
    ", ?, ?, ?, ?, ?, 1, 'SYSTEM', 0, 2, 1, 0, 0, 0, 0, 0, 1, 30, 0, 1, 0, "   \
    "1, 0, 0, 0, 0, '[\"Default\"]'"
static int prep_update_stmts(sum_writer *w, smsprov_error *err)
{
    util_buf b = UTIL_BUF_INIT(8192);
    int rc;
    util_buf_puts(&b, "INSERT INTO \"SMS_SoftwareUpdate\" (");
    for (int i = 0; i < U_NCOLS; i++)
        util_buf_printf(&b, "%s\"%s\"", i ? ", " : "", upd_cols[i]);
    util_buf_puts(&b, U_INSERT_EXTRA ") VALUES (");
    for (int i = 0; i < U_NCOLS; i++)
        util_buf_puts(&b, i ? ", ?" : "?");
    util_buf_puts(&b, U_INSERT_VALUES ")");
    rc = prep(w, &w->ins_upd, util_buf_cstr(&b), err);
    util_buf_reset(&b);
    util_buf_puts(&b, "UPDATE \"SMS_SoftwareUpdate\" SET ");
    for (int i = 0; i < U_NCOLS; i++)
        util_buf_printf(&b, "%s\"%s\" = ?", i ? ", " : "", upd_cols[i]);
    util_buf_printf(&b, ", CIVersion = CIVersion + 1 WHERE CI_ID = ?%d",
                    U_X_CIID);
    if (rc == 0)
        rc = prep(w, &w->upd_upd, util_buf_cstr(&b), err);
    util_buf_free(&b);
    return rc;
}

static int prep_all(sum_writer *w, smsprov_error *err)
{
    const cim_class *su, *ct;
    int rc = need_class(w, &su, "SMS_SoftwareUpdate", err);
    if (rc == 0)
        rc = need_class(w, &ct, "SMS_CIToContent", err);
    if (rc == 0)
        rc = prep_update_stmts(w, err);
    if (rc == 0)
        rc = prep_side(w, &w->side_cats, su, "CategoryInstance_UniqueIDs", err);
    if (rc == 0)
        rc = prep_side(w, &w->side_names, su, "LocalizedCategoryInstanceNames",
                       err);
    if (rc == 0)
        rc = prep_side(w, &w->side_locales, su, "UpdateLocales", err);
    if (rc == 0)
        rc = prep_side(w, &w->side_scopes, su, "SecuredScopeNames", err);
    if (rc == 0)
        rc = prep_side(w, &w->side_content, ct, "ContentLocales", err);
    if (rc == 0)
        rc = prep(w, &w->ins_link,
                  "INSERT OR IGNORE INTO \"SMS_CIAllCategories\" "
                  "(CategoryInstanceID, CI_ID, CategoryTypeName, CI_UniqueID, "
                  "LocalizedCategoryInstanceName, LocalizedPropertyLocaleID, "
                  "ModelName, CategoryInstance_UniqueID) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  err);
    if (rc == 0)
        rc = prep(w, &w->del_links,
                  "DELETE FROM \"SMS_CIAllCategories\" WHERE CI_ID = ?", err);
    if (rc == 0)
        rc = prep(w, &w->ins_content,
                  "INSERT OR REPLACE INTO \"SMS_CIToContent\" (CI_ID, "
                  "ContentID, SDMMethodType, CI_UniqueID, ContentDownloaded, "
                  "ContentLocales, ContentUniqueID, ContentVersion, "
                  "ContentHash, ContentHashVersion, ModelName, ObjectTypeID) "
                  "VALUES (?, ?, 'Install', ?, 0, ?, ?, ?, ?, ?, ?, 5)",
                  err);
    if (rc == 0)
        rc = prep(w, &w->del_content_side,
                  "SELECT __oid FROM \"SMS_CIToContent\" WHERE CI_ID = ?", err);
    if (rc == 0)
        rc = prep(w, &w->del_content,
                  "DELETE FROM \"SMS_CIToContent\" WHERE CI_ID = ?", err);
    if (rc == 0)
        rc = prep(w, &w->ins_file,
                  "INSERT OR IGNORE INTO \"SMS_CIContentFiles\" (ContentID, "
                  "FileName, FileHash, FileSize, FileVersion, ImportPath, "
                  "IsSigned, LanguageID, CI_UniqueID, ModelName, "
                  "ObjectTypeID, SourceURL) "
                  "VALUES (?, ?, ?, ?, '', '', 1, ?, ?, ?, 5, ?)",
                  err);
    if (rc == 0)
        rc =
            prep(w, &w->del_files,
                 "DELETE FROM \"SMS_CIContentFiles\" WHERE ContentID = ?", err);
    if (rc == 0)
        rc = prep(w, &w->ins_digest,
                  "INSERT OR REPLACE INTO sum_content_digest (content_id, "
                  "file_name, sha1, sha256) VALUES (?, ?, ?, ?)",
                  err);
    if (rc == 0)
        rc = prep(w, &w->del_digest,
                  "DELETE FROM sum_content_digest WHERE content_id = ?", err);
    if (rc == 0)
        rc = prep(w, &w->put_map,
                  "INSERT OR REPLACE INTO sum_ci_map (uid, ci_id, content_id, "
                  "revision, sig, catalog_expired, superseded_since, "
                  "last_import) VALUES (?, ?, ?, ?, ?, ?, "
                  "(SELECT superseded_since FROM sum_ci_map WHERE uid = ?1), "
                  "?)",
                  err);
    if (rc == 0)
        rc = prep(w, &w->seen_map,
                  "UPDATE sum_ci_map SET last_import = ?, catalog_expired = ? "
                  "WHERE uid = ?",
                  err);
    if (rc == 0)
        rc = prep(w, &w->get_map,
                  "SELECT ci_id, content_id, revision, sig, last_import FROM "
                  "sum_ci_map WHERE uid = ?",
                  err);
    if (rc == 0)
        rc = prep(w, &w->ins_pend,
                  "INSERT INTO temp.sum_pend (from_ci, to_uid, type) VALUES "
                  "(?, ?, ?)",
                  err);
    if (rc == 0)
        rc = prep(w, &w->ins_det,
                  "INSERT OR IGNORE INTO temp.sum_det (uid) VALUES (?)", err);
    if (rc == 0)
        rc = prep(w, &w->put_cat,
                  "INSERT INTO \"SMS_CategoryInstance\" (CategoryInstanceID, "
                  "CategoryInstance_UniqueID, CategoryTypeName, "
                  "LocalizedCategoryInstanceName, LocalizedInformation, "
                  "LocalizedPropertyLocaleID, ParentCategoryInstanceID, "
                  "SourceSite) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT(CategoryInstanceID) DO UPDATE SET "
                  "CategoryTypeName = excluded.CategoryTypeName, "
                  "LocalizedCategoryInstanceName = "
                  "excluded.LocalizedCategoryInstanceName, "
                  "LocalizedInformation = excluded.LocalizedInformation, "
                  "LocalizedPropertyLocaleID = "
                  "excluded.LocalizedPropertyLocaleID, "
                  "ParentCategoryInstanceID = "
                  "excluded.ParentCategoryInstanceID",
                  err);
    if (rc == 0)
        rc = prep(w, &w->put_ucat,
                  "INSERT INTO \"SMS_UpdateCategoryInstance\" "
                  "(CategoryInstanceID, CategoryInstance_UniqueID, "
                  "CategoryTypeName, LocalizedCategoryInstanceName, "
                  "LocalizedInformation, LocalizedPropertyLocaleID, "
                  "ParentCategoryInstanceID, SourceSite, AllowSubscription, "
                  "IsSubscribed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) "
                  "ON CONFLICT(CategoryInstanceID) DO UPDATE SET "
                  "LocalizedCategoryInstanceName = "
                  "excluded.LocalizedCategoryInstanceName, "
                  "LocalizedInformation = excluded.LocalizedInformation, "
                  "ParentCategoryInstanceID = "
                  "excluded.ParentCategoryInstanceID",
                  err);
    if (rc == 0)
        rc = prep(w, &w->put_eula,
                  "INSERT OR IGNORE INTO \"SMS_EULAContent\" (EULAContentID, "
                  "EULAContentUniqueID, EULAText, SourceSite) "
                  "VALUES (?, ?, ?, ?)",
                  err);
    return rc;
}

/* ---- open: maps and counters -------------------------------------------- */

/* Loads the existing categories (SMS_CategoryInstance). */
static int load_cats(sum_writer *w, smsprov_error *err)
{
    store_stmt *st = NULL;
    int rc = prep(w, &st,
                  "SELECT CategoryInstanceID, CategoryInstance_UniqueID, "
                  "LocalizedCategoryInstanceName FROM \"SMS_CategoryInstance\"",
                  err);
    while (rc == 0) {
        int s = store_step(st, err);
        if (s <= 0) {
            rc = s;
            break;
        }
        int64_t id = store_column_int64(st, 0);
        if (id > w->max_cat)
            w->max_cat = id;
        const char *uq = store_column_text(st, 1, NULL);
        const char *colon = uq ? strchr(uq, ':') : NULL;
        char g[SUM_GUID_LEN + 1];
        if (colon == NULL || !sum_guid_norm(colon + 1, strlen(colon + 1), g))
            continue;
        char type[32];
        snprintf(type, sizeof(type), "%.*s", (int)(colon - uq), uq);
        w_cat *c = w_cat_add(w, g);
        if (c == NULL) {
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
            break;
        }
        c->id = id;
        c->type = sum_cat_type_parse(type);
        const char *nm = store_column_text(st, 2, NULL);
        c->name = util_arena_strdup(w->a, nm ? nm : g);
    }
    store_stmt_free(st);
    return rc;
}

static int counters(sum_writer *w, smsprov_error *err)
{
    int64_t a = 0, b = 0, c = 0, d = 0;
    int rc = query_i64(w, "SELECT MAX(ci_id) FROM sum_ci_map", &a, err);
    if (rc == 0)
        rc = query_i64(w, "SELECT MAX(CI_ID) FROM \"SMS_SoftwareUpdate\"", &b,
                       err);
    if (rc == 0)
        rc = query_i64(w,
                       "SELECT CAST(value AS INTEGER) FROM sum_settings "
                       "WHERE key = 'sum.next_ci_id'",
                       &c, err);
    w->next_ci = SUM_FIRST_CI_ID;
    if (a + 1 > w->next_ci)
        w->next_ci = a + 1;
    if (b + 1 > w->next_ci)
        w->next_ci = b + 1;
    if (c > w->next_ci)
        w->next_ci = c;
    if (rc == 0)
        rc = query_i64(w, "SELECT MAX(content_id) FROM sum_ci_map", &a, err);
    if (rc == 0)
        rc = query_i64(w, "SELECT MAX(ContentID) FROM \"SMS_CIToContent\"", &d,
                       err);
    w->next_content = SUM_FIRST_CONTENT_ID;
    if (a + 1 > w->next_content)
        w->next_content = a + 1;
    if (d + 1 > w->next_content)
        w->next_content = d + 1;
    if (rc == 0)
        rc = query_i64(w, "SELECT MAX(EULAContentID) FROM \"SMS_EULAContent\"",
                       &w->max_eula, err);
    if (rc == 0)
        rc = query_i64(w,
                       "SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) + 1 "
                       "FROM sum_settings WHERE key = 'sum.import_serial'",
                       &w->serial, err);
    return rc;
}

/* Resolves the expiry rule and the locales from options and settings. */
static int resolve_options(sum_writer *w, const sum_options *o,
                           smsprov_error *err)
{
    w->expire_months = o ? o->expire_months : SUM_EXPIRE_STORED;
    if (w->expire_months == SUM_EXPIRE_STORED) {
        char *v = NULL;
        int rc = sum_setting_get(w->p, SUM_SET_EXPIRE_MONTHS, &v, err);
        if (rc != 0)
            return rc;
        int64_t m = 3; /* ConfigMgr's default: 3 months */
        if (v && util_stricmp(v, "never") == 0)
            m = SUM_EXPIRE_NEVER;
        else if (v && util_parse_i64(v, strlen(v), 0, 1200, &m) != 0)
            m = 3;
        util_free(v);
        w->expire_months = (int)m;
    }
    w->nlocales = 0;
    for (int i = 0; o && i < o->nlocales && i < SUM_MAX_LOCALES; i++) {
        const char *l = o->locales[i];
        if (l == NULL || l[0] == '\0')
            continue;
        snprintf(w->locales[w->nlocales], sizeof(w->locales[0]), "%s", l);
        for (char *c = w->locales[w->nlocales]; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        w->lcids[w->nlocales] = sum_locale_lcid(l);
        w->nlocales++;
    }
    if (w->nlocales == 0) {
        snprintf(w->locales[0], sizeof(w->locales[0]), "en");
        w->lcids[0] = 1033;
        w->nlocales = 1;
    }
    uint64_t h = W_SIG_VERSION;
    for (int i = 0; i < w->nlocales; i++)
        for (const char *c = w->locales[i]; *c; c++)
            h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    w->sig = (int64_t)(h & 0x7fffffffffffffffULL);
    return 0;
}

int sum_writer_open(sum_writer **out, provider *p, const sum_options *o,
                    smsprov_error *err)
{
    sum_writer *w = util_calloc(1, sizeof(*w));
    int rc;
    *out = NULL;
    if (w == NULL || (w->a = util_arena_new()) == NULL) {
        util_free(w);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    w->p = p;
    w->s = provider_store(p);
    w->schema = provider_schema(p);
    w->now = util_now_us();
    w->t0 = w->now;
    if (o)
        w->o = *o;
    sum_map_init(&w->cats);
    sum_map_init(&w->eulas);
    util_buf_init(&w->b1, SUM_FRAGMENT_MAX);
    util_buf_init(&w->b2, SUM_FRAGMENT_MAX);
    util_buf_init(&w->b3, SUM_FRAGMENT_MAX);
    util_buf_init(&w->b4, SUM_FRAGMENT_MAX);
    util_buf_init(&w->b5, SUM_FRAGMENT_MAX);
    snprintf(w->site, sizeof(w->site), "%s", provider_site_code(p));
    sum_site_guid(w->site, w->site_guid);
    rc = resolve_options(w, o, err);
    if (rc == 0)
        rc = store_begin(w->s, err);
    if (rc != 0) {
        sum_writer_free(w);
        return rc;
    }
    w->in_tx = true;
    rc = sum_meta_ensure(w->s, err);
    if (rc == 0)
        rc = exec(w, "PRAGMA cache_size = -32768", err);
    if (rc == 0)
        rc = exec(w,
                  "CREATE TEMP TABLE IF NOT EXISTS sum_pend (from_ci INTEGER, "
                  "to_uid TEXT, type INTEGER);"
                  "CREATE TEMP TABLE IF NOT EXISTS sum_det (uid TEXT PRIMARY "
                  "KEY) WITHOUT ROWID;"
                  "DELETE FROM temp.sum_pend; DELETE FROM temp.sum_det;",
                  err);
    if (rc == 0)
        rc = prep_all(w, err);
    if (rc == 0)
        rc = load_cats(w, err);
    if (rc == 0)
        rc = counters(w, err);
    if (rc != 0) {
        sum_writer_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

sum_stats *sum_writer_stats(sum_writer *w)
{
    return &w->st;
}

store *sum_writer_store(sum_writer *w)
{
    return w->s;
}

void sum_writer_skip(sum_writer *w, int reason)
{
    w->st.skipped++;
    if (reason == SUM_KIND_DETECTOID)
        w->st.skip_detectoid++;
    else if (reason == W_SKIP_LOCALE)
        w->st.skip_locale++;
    else
        w->st.skip_invalid++;
}

void sum_writer_progress(sum_writer *w, const char *phase, uint64_t total,
                         uint64_t bytes, uint64_t bytes_total)
{
    w->phase = phase;
    w->total = total;
    if (bytes != SUM_KEEP)
        w->bytes = bytes;
    if (bytes_total != SUM_KEEP)
        w->bytes_total = bytes_total;
    w->st.bytes = w->bytes;
    if (w->o.progress) {
        sum_progress pr = {w->handled, total, w->bytes, w->bytes_total, phase};
        w->o.progress(&pr, w->o.payload);
    }
}

void sum_writer_progress_read(sum_writer *w, uint64_t records, uint64_t bytes,
                              uint64_t bytes_total)
{
    w->bytes = bytes;
    w->st.bytes = bytes;
    if (w->o.progress) {
        sum_progress pr = {records, 0, bytes, bytes_total,
                           "reading package.xml"};
        w->o.progress(&pr, w->o.payload);
    }
}

void sum_writer_add_bytes(sum_writer *w, uint64_t n)
{
    w->bytes += n;
    w->st.bytes = w->bytes;
}

/* ---- free ------------------------------------------------------------------
 */

static void side_free(w_side *sd)
{
    store_stmt_free(sd->ins);
    store_stmt_free(sd->del);
}

void sum_writer_free(sum_writer *w)
{
    if (w == NULL)
        return;
    store_stmt *all[] = {
        w->ins_upd,     w->upd_upd,          w->ins_link,    w->del_links,
        w->ins_content, w->del_content_side, w->del_content, w->ins_file,
        w->del_files,   w->ins_digest,       w->del_digest,  w->put_map,
        w->seen_map,    w->get_map,          w->ins_pend,    w->ins_det,
        w->put_cat,     w->put_ucat,         w->put_eula};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        store_stmt_free(all[i]);
    side_free(&w->side_cats);
    side_free(&w->side_names);
    side_free(&w->side_locales);
    side_free(&w->side_scopes);
    side_free(&w->side_content);
    if (w->in_tx)
        store_rollback(w->s);
    sum_map_free(&w->cats);
    sum_map_free(&w->eulas);
    util_free(w->catv);
    util_buf_free(&w->b1);
    util_buf_free(&w->b2);
    util_buf_free(&w->b3);
    util_buf_free(&w->b4);
    util_buf_free(&w->b5);
    util_arena_free(w->a);
    util_free(w);
}
