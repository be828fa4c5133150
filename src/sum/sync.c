/* SPDX-License-Identifier: MIT */
/*
 * Synchronization from the configured source (sum_settings "sync.source"):
 * a local path, or an HTTP(S) URL of a wsusscn2.cab fetched with libcurl
 * into a cache file.  A broken download leaves "<cache>.part" and the next
 * sync resumes it with Range; a complete cache is revalidated with
 * If-Modified-Since so an unchanged catalog is not fetched (or imported)
 * twice.  Every sync, good or bad, is recorded in SMS_SUPSyncStatus.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sum/sum_curl.h"
#include "sum/sum_int.h"

#define SYNC_STATE_DONE 6702   /* WSyncMgr "sync done" state message */
#define SYNC_STATE_FAILED 6703 /* WSyncMgr "sync failed" */
#define SET_LAST_MODIFIED "sync.last_modified" /* Last-Modified, epoch s */
#define SET_LOCAL_STAMP "sync.local_stamp"     /* mtime:size of a path */
#define SET_VERSION "sync.catalog_version"

static bool is_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

/* The cache file of a URL source: the stored setting or a default. */
static int cache_path(provider *p, char *out, size_t n, smsprov_error *err)
{
    char *v = NULL;
    int rc = sum_setting_get(p, SUM_SET_CACHE, &v, err);
    if (rc != 0)
        return rc;
    if (v != NULL && v[0] != '\0') {
        sum_strlcpy(out, n, v);
    } else {
        const char *t = getenv("TMPDIR");
        (void)!snprintf(out, n, "%s/smsprov-%s-wsusscn2.cab",
                        t && t[0] ? t : "/tmp", provider_site_code(p));
    }
    util_free(v);
    return 0;
}

static int64_t setting_i64(provider *p, const char *key, smsprov_error *err)
{
    char *v = NULL;
    int64_t x = 0;
    if (sum_setting_get(p, key, &v, err) == 0 && v != NULL &&
        util_parse_i64(v, strlen(v), INT64_MIN, INT64_MAX, &x) != 0)
        x = 0;
    util_free(v);
    return x;
}

static int setting_put_i64(provider *p, const char *key, int64_t x,
                           smsprov_error *err)
{
    char v[32];
    snprintf(v, sizeof(v), "%lld", (long long)x);
    return sum_setting_set(p, key, v, err);
}

/* Downloads url into cache (resuming cache.part).  *fetched is false when
 * the server said 304 Not Modified. */
static int download(provider *p, const char *url, const char *cache, bool full,
                    sum_sync_result *res, smsprov_error *err)
{
    char part[4200];
    struct stat sb;
    int rc = 0;
    (void)!snprintf(part, sizeof(part), "%s.part", cache);
    int64_t resume = stat(part, &sb) == 0 ? (int64_t)sb.st_size : 0;
    int64_t lastmod = setting_i64(p, SET_LAST_MODIFIED, err);
    bool have_cache = stat(cache, &sb) == 0;
    FILE *f = fopen(part, resume > 0 ? "ab" : "wb");
    if (f == NULL)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", part,
                              strerror(errno));
    char ebuf[CURL_ERROR_SIZE];
    CURL *c = sum_curl_get(url, f, ebuf, "smsprov-sync/0.1");
    if (c == NULL) {
        fclose(f);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "curl: out of memory");
    }
    curl_easy_setopt(c, CURLOPT_FILETIME, 1L);
    if (resume > 0) {
        curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)resume);
        res->resumed = true;
    } else if (have_cache && lastmod > 0 && !full) {
        curl_easy_setopt(c, CURLOPT_TIMECONDITION,
                         (long)CURL_TIMECOND_IFMODSINCE);
        curl_easy_setopt(c, CURLOPT_TIMEVALUE_LARGE, (curl_off_t)lastmod);
    }
    CURLcode cc = curl_easy_perform(c);
    long code = 0, unmet = 0;
    curl_off_t got = 0, filetime = -1;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_getinfo(c, CURLINFO_CONDITION_UNMET, &unmet);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &got);
    curl_easy_getinfo(c, CURLINFO_FILETIME_T, &filetime);
    curl_easy_cleanup(c);
    bool bad = fclose(f) != 0;
    res->downloaded = (uint64_t)got;
    if (cc != CURLE_OK) {
        if (cc == CURLE_RANGE_ERROR || code == 416)
            unlink(part); /* the server cannot resume: start over next time */
        return util_error_set(err, SMSPROV_EIO, -1,
                              "%s: download failed (%s%s%s); %s", url,
                              curl_easy_strerror(cc), ebuf[0] ? ": " : "", ebuf,
                              resume > 0 || got > 0 ? "the next sync resumes it"
                                                    : "nothing was stored");
    }
    if (unmet || code == 304) {
        unlink(part);
        res->fetched = false;
        return 0;
    }
    if (bad)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: write failed", part);
    if (resume > 0 && code == 200) {
        /* the server ignored Range and sent everything: curl appended it
         * after the old bytes, so the file is wrong; start over */
        unlink(part);
        return util_error_set(err, SMSPROV_EIO, -1,
                              "%s: the server does not support resuming; "
                              "retry the sync",
                              url);
    }
    if (rename(part, cache) != 0)
        return util_error_set(err, SMSPROV_EIO, -1, "%s: %s", cache,
                              strerror(errno));
    res->fetched = true;
    if (filetime > 0)
        rc = setting_put_i64(p, SET_LAST_MODIFIED, (int64_t)filetime, err);
    return rc;
}

/* Records the outcome in SMS_SUPSyncStatus (one row per site/server). */
static int record_status(provider *p, const char *source, int code,
                         bool imported, smsprov_error *err)
{
    store *s = provider_store(p);
    store_stmt *st = NULL;
    int64_t now = util_now_us();
    int64_t last_ok = 0, version = 0;
    const char *server = provider_server(p);
    const char *site = provider_site_code(p);
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = store_prepare(&st, s,
                       "SELECT LastSuccessfulSyncTime, SyncCatalogVersion "
                       "FROM \"SMS_SUPSyncStatus\" WHERE SiteCode = ? AND "
                       "WSUSServerName = ?",
                       err);
    if (rc == 0) {
        store_bind_text(st, 1, site, strlen(site));
        store_bind_text(st, 2, server, strlen(server));
        if (store_step(st, err) == 1) {
            last_ok = store_column_int64(st, 0);
            version = store_column_int64(st, 1);
        }
        store_stmt_free(st);
        st = NULL;
    }
    if (code == 0) {
        last_ok = now;
        if (imported)
            version++;
    }
    if (rc == 0)
        rc = store_prepare(&st, s,
                           "DELETE FROM \"SMS_SUPSyncStatus\" WHERE SiteCode "
                           "= ? AND WSUSServerName = ?",
                           err);
    if (rc == 0) {
        store_bind_text(st, 1, site, strlen(site));
        store_bind_text(st, 2, server, strlen(server));
        rc = store_step(st, err) < 0 ? SMSPROV_EIO : 0;
        store_stmt_free(st);
        st = NULL;
    }
    if (rc == 0)
        rc = store_prepare(&st, s,
                           "INSERT INTO \"SMS_SUPSyncStatus\" (SiteCode, "
                           "WSUSServerName, WSUSSourceServer, "
                           "LastSuccessfulSyncTime, LastSyncErrorCode, "
                           "LastSyncState, LastSyncStateTime, "
                           "SyncCatalogVersion, ReplicationLinkStatus) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           err);
    if (rc == 0) {
        store_bind_text(st, 1, site, strlen(site));
        store_bind_text(st, 2, server, strlen(server));
        store_bind_text(st, 3, source, strlen(source));
        if (last_ok)
            store_bind_int64(st, 4, last_ok);
        else
            store_bind_null(st, 4);
        store_bind_int64(st, 5, code ? smsprov_code_hresult(code) : 0);
        store_bind_int64(st, 6, code ? SYNC_STATE_FAILED : SYNC_STATE_DONE);
        store_bind_int64(st, 7, now);
        store_bind_int64(st, 8, version);
        store_bind_int64(st, 9, code ? 2 : 0);
        rc = store_step(st, err) < 0 ? SMSPROV_EIO : 0;
        store_stmt_free(st);
    }
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    return rc;
}

/* A local path: unchanged when its mtime and size are those of the last
 * successful sync. */
static bool local_unchanged(provider *p, const char *path, int64_t *stamp,
                            smsprov_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return false;
    *stamp = (int64_t)sb.st_mtime * 1000003 + (int64_t)sb.st_size;
    return setting_i64(p, SET_LOCAL_STAMP, err) == *stamp;
}

int sum_sync(provider *p, bool full, const sum_options *opts,
             sum_sync_result *res, smsprov_error *err)
{
    sum_sync_result local;
    char *source = NULL;
    char cache[4096];
    int64_t stamp = 0;
    if (res == NULL)
        res = &local;
    memset(res, 0, sizeof(*res));
    int rc = sum_setting_get(p, SUM_SET_SOURCE, &source, err);
    if (rc != 0)
        return rc;
    if (source == NULL || source[0] == '\0') {
        util_free(source);
        return util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                              "no synchronization source is configured "
                              "(smsprov sync --source URL|PATH)");
    }
    const char *from = source;
    if (is_url(source)) {
        rc = cache_path(p, cache, sizeof(cache), err);
        if (rc == 0)
            rc = download(p, source, cache, full, res, err);
        from = cache;
    } else {
        res->fetched = full || !local_unchanged(p, source, &stamp, err);
    }
    bool imported = false;
    char *stored = NULL; /* SUM_SET_LOCALES, split in place */
    if (rc == 0 && (res->fetched || full)) {
        sum_options o;
        if (opts)
            o = *opts;
        else
            memset(&o, 0, sizeof(o));
        if (opts == NULL)
            o.expire_months = SUM_EXPIRE_STORED;
        if (o.nlocales == 0 &&
            sum_setting_get(p, SUM_SET_LOCALES, &stored, err) == 0 && stored)
            for (char *t = stored; *t && o.nlocales < SUM_MAX_LOCALES;) {
                char *comma = strchr(t, ',');
                if (comma)
                    *comma = '\0';
                if (*t)
                    o.locales[o.nlocales++] = t;
                if (comma == NULL)
                    break;
                t = comma + 1;
            }
        rc = sum_import(p, from, &o, &res->stats, err);
        imported = rc == 0;
        if (rc == 0 && !is_url(source) && stamp == 0)
            local_unchanged(p, source, &stamp, err);
        if (rc == 0 && !is_url(source))
            rc = setting_put_i64(p, SET_LOCAL_STAMP, stamp, err);
    }
    util_free(stored);
    smsprov_error serr = SMSPROV_ERROR_INIT;
    int src = record_status(p, source, rc, imported, &serr);
    util_free(source);
    if (rc == 0 && src != 0) {
        if (err)
            *err = serr;
        return src;
    }
    return rc;
}

int sum_sync_now(provider *p, bool full, smsprov_error *err)
{
    return sum_sync(p, full, NULL, NULL, err);
}
