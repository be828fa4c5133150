/* SPDX-License-Identifier: MIT */
/*
 * The catalog layer's own tables: sum_settings (key/value: sync source,
 * expiry rule, counters, the last download's Last-Modified), sum_ci_map
 * (UpdateID -> CI_ID and ContentID, never reused; revision; when it became
 * superseded; whether the catalog expired it) and sum_content_digest (the
 * SHA1 and SHA256 of every content file; SMS_CIContentFiles has one hash
 * column only).
 */
#include <stdio.h>
#include <string.h>

#include "sum/sum_int.h"

static const char meta_sql[] =
    "CREATE TABLE IF NOT EXISTS sum_settings (key TEXT PRIMARY KEY, "
    "value TEXT);"
    "CREATE TABLE IF NOT EXISTS sum_ci_map (uid TEXT PRIMARY KEY, "
    "ci_id INTEGER NOT NULL UNIQUE, content_id INTEGER, revision INTEGER, "
    "sig INTEGER, catalog_expired INTEGER NOT NULL DEFAULT 0, "
    "superseded_since INTEGER, last_import INTEGER);"
    "CREATE INDEX IF NOT EXISTS sum_ci_map_import ON sum_ci_map "
    "(last_import);"
    "CREATE TABLE IF NOT EXISTS sum_content_digest (content_id INTEGER NOT "
    "NULL, file_name TEXT NOT NULL, sha1 TEXT, sha256 TEXT, "
    "PRIMARY KEY (content_id, file_name));";

int sum_meta_ensure(store *s, smsprov_error *err)
{
    return store_exec(s, meta_sql, err);
}

int sum_setting_get(provider *p, const char *key, char **out,
                    smsprov_error *err)
{
    store *s = provider_store(p);
    store_stmt *st = NULL;
    *out = NULL;
    int rc = sum_meta_ensure(s, err);
    if (rc == 0)
        rc = store_prepare(&st, s,
                           "SELECT value FROM sum_settings WHERE key = ?", err);
    if (rc != 0)
        return rc;
    store_bind_text(st, 1, key, strlen(key));
    rc = store_step(st, err);
    if (rc == 1 && !store_column_is_null(st, 0)) {
        size_t n = 0;
        const char *v = store_column_text(st, 0, &n);
        *out = util_strndup(v, n);
        rc =
            *out ? 0 : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    store_stmt_free(st);
    return rc < 0 ? rc : 0;
}

int sum_setting_set(provider *p, const char *key, const char *value,
                    smsprov_error *err)
{
    store *s = provider_store(p);
    store_stmt *st = NULL;
    int rc = sum_meta_ensure(s, err);
    if (rc == 0)
        rc = store_prepare(&st, s,
                           value ? "INSERT OR REPLACE INTO sum_settings (key, "
                                   "value) VALUES (?, ?)"
                                 : "DELETE FROM sum_settings WHERE key = ?",
                           err);
    if (rc != 0)
        return rc;
    store_bind_text(st, 1, key, strlen(key));
    if (value)
        store_bind_text(st, 2, value, strlen(value));
    rc = store_step(st, err);
    store_stmt_free(st);
    return rc < 0 ? rc : 0;
}

int sum_content_digest(provider *p, int64_t content_id, const char *file,
                       char sha1[41], char sha256[65], smsprov_error *err)
{
    store *s = provider_store(p);
    store_stmt *st = NULL;
    sha1[0] = sha256[0] = '\0';
    int rc = sum_meta_ensure(s, err);
    if (rc == 0)
        rc = store_prepare(&st, s,
                           "SELECT sha1, sha256 FROM sum_content_digest "
                           "WHERE content_id = ? AND file_name = ?",
                           err);
    if (rc == 0) {
        store_bind_int64(st, 1, content_id);
        store_bind_text(st, 2, file, strlen(file));
        rc = store_step(st, err);
    }
    if (rc == 1) {
        const char *h1 = store_column_text(st, 0, NULL);
        const char *h2 = store_column_text(st, 1, NULL);
        snprintf(sha1, 41, "%s", h1 ? h1 : "");
        snprintf(sha256, 65, "%s", h2 ? h2 : "");
        rc = 0;
    } else if (rc == 0) {
        rc = SMSPROV_ENOTFOUND;
    }
    store_stmt_free(st);
    return rc;
}
