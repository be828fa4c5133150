/* SPDX-License-Identifier: MIT */
/*
 * sum: the software-update catalog.  Imports the Microsoft Update offline
 * catalog (wsusscn2.cab, or its extracted directory) and directories of
 * per-revision update XML into SMS_SoftwareUpdate and its neighbours,
 * applies the supersedence and expiry rules, and synchronizes from a
 * configured source (local path or HTTP(S) URL).  docs/catalog.md.
 */
#ifndef SMSPROV_SUM_H
#define SMSPROV_SUM_H

#include <stdbool.h>
#include <stdint.h>

#include "provider/provider.h"

#define SUM_MAX_LOCALES 16
/* expire_months: superseded updates are never expired by the rule */
#define SUM_EXPIRE_NEVER (-1)
/* expire_months: use the stored setting (sum_setting_*) */
#define SUM_EXPIRE_STORED (-2)

/* Progress report: called every few hundred updates (and at the end). */
typedef struct sum_progress {
    uint64_t updates;     /* updates handled so far */
    uint64_t total;       /* updates in the catalog, 0 while unknown */
    uint64_t bytes;       /* input bytes consumed so far */
    uint64_t bytes_total; /* input size, 0 when unknown */
    const char *phase;    /* "reading", "updates", "relations", ... */
} sum_progress;
typedef void (*sum_progress_fn)(const sum_progress *pr, void *payload);

/* What an import does; zero-initialise and set what you need. */
typedef struct sum_options {
    /* locales to import ("en-US", "de", ...); the first one fills the
     * Localized* properties; none means "en" */
    const char *locales[SUM_MAX_LOCALES];
    int nlocales;
    /* SUM_EXPIRE_STORED (the stored setting), SUM_EXPIRE_NEVER, 0 =
     * expire superseded updates immediately, N = after N months */
    int expire_months;
    /* a partial import (update XML directory): updates absent from it are
     * not expired.  A wsusscn2 catalog is always complete. */
    bool partial;
    sum_progress_fn progress;
    void *payload;
} sum_options;

/* What an import did. */
typedef struct sum_stats {
    uint64_t added;          /* new updates */
    uint64_t revised;        /* known updates with a new revision */
    uint64_t unchanged;      /* known updates, same revision */
    uint64_t expired;        /* updates newly marked IsExpired */
    uint64_t superseded;     /* updates newly marked IsSuperseded */
    uint64_t categories;     /* category instances written */
    uint64_t relations;      /* SMS_CIRelation rows written */
    uint64_t files;          /* SMS_CIContentFiles rows written */
    uint64_t skipped;        /* sum of the reasons below */
    uint64_t skip_detectoid; /* detectoids are not software updates */
    uint64_t skip_locale;    /* language-specific, no imported locale */
    uint64_t skip_invalid;   /* no usable identity (bad GUID, ...) */
    uint64_t no_metadata;    /* imported without c/x/l fragments */
    uint64_t unresolved;     /* relation targets not in the database */
    uint64_t bytes;          /* input bytes read */
} sum_stats;

/*
 * Imports a catalog: a wsusscn2.cab file, an extracted wsusscn2 directory
 * (index.xml + package/package.xml + packageN/), or a directory of
 * <upd:Update> documents (one per revision).  The whole import is one
 * transaction: on any error nothing changes and err names the file and the
 * byte offset.  stats (optional) receives the counts.
 */
int sum_import(provider *p, const char *path, const sum_options *opts,
               sum_stats *stats, smsprov_error *err);

/* ---- settings (stored in the database, table sum_settings) ------------- */

/* SHA-1 and SHA-256 (lowercase hex, "" when the catalog gave none) of
 * one content file; SMSPROV_ENOTFOUND when the file is unknown. */
int sum_content_digest(provider *p, int64_t content_id, const char *file,
                       char sha1[41], char sha256[65], smsprov_error *err);

/* Reads a setting; *out is a util_malloc'd string or NULL when unset. */
int sum_setting_get(provider *p, const char *key, char **out,
                    smsprov_error *err);
/* Writes (value NULL deletes) a setting. */
int sum_setting_set(provider *p, const char *key, const char *value,
                    smsprov_error *err);

/* Setting keys. */
#define SUM_SET_SOURCE "sync.source"          /* path or http(s) URL */
#define SUM_SET_EXPIRE_MONTHS "expire.months" /* "never", "0", "3", ... */
#define SUM_SET_LOCALES "import.locales"      /* "en-US,de-DE" */
#define SUM_SET_CACHE "sync.cache"            /* download cache path */

/* ---- synchronization ------------------------------------------------------
 */

/* What a sync did (sum_sync). */
typedef struct sum_sync_result {
    bool fetched;        /* false: the source was unchanged (304/same) */
    bool resumed;        /* a partial download was continued (Range) */
    uint64_t downloaded; /* bytes transferred */
    sum_stats stats;     /* the import's counts (when one ran) */
} sum_sync_result;

/*
 * Synchronizes from the configured source (SUM_SET_SOURCE): downloads the
 * catalog when it changed (If-Modified-Since; a broken download resumes
 * with Range), imports it, and records the result in SMS_SUPSyncStatus
 * (LastSyncStateTime, LastSyncErrorCode, LastSuccessfulSyncTime,
 * SyncCatalogVersion).  full re-imports even an unchanged catalog.
 */
int sum_sync(provider *p, bool full, const sum_options *opts,
             sum_sync_result *res, smsprov_error *err);
/* sum_sync with the stored settings; for SMS_SoftwareUpdate.SyncNow. */
int sum_sync_now(provider *p, bool full, smsprov_error *err);

/* ---- helpers shared with tests and the bench ------------------------------
 */

/* LCID of a language tag ("en", "en-US", "zh-cn"); 0 when unknown. */
uint32_t sum_locale_lcid(const char *tag);
/* ConfigMgr's Severity for an MsrcSeverity name (Critical 10, Important 8,
 * Moderate 6, Low 2, anything else 0). */
uint32_t sum_severity(const char *msrc);

/*
 * Generator of synthetic catalogs in the extracted wsusscn2 layout
 * (index.xml, package/package.xml, packageN/{c,x,l/<lang>}/<RevisionId>),
 * or with cab set as DIR/wsusscn2.cab (nested cabinets, stored)
 * for tests and the bench: n updates with realistic relation and file
 * counts, deterministic from seed.  revision_bump > 0 raises the revision
 * of every update whose index is a multiple of it (re-import tests);
 * drop_every > 0 leaves out every drop_every-th update.
 */
typedef struct sum_gen_options {
    uint64_t n;
    uint64_t seed;
    uint32_t per_cab;       /* revisions per detail folder (default 2000) */
    uint32_t revision_bump; /* see above */
    uint32_t drop_every;    /* see above */
    bool german;            /* also write l/de fragments */
    bool cab;               /* write DIR/wsusscn2.cab instead of the tree */
} sum_gen_options;
int sum_gen_catalog(const char *dir, const sum_gen_options *o,
                    smsprov_error *err);

#endif
