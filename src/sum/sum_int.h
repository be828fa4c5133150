/* SPDX-License-Identifier: MIT */
/*
 * sum internals: the merged update record every reader fills in, the CAB
 * and XML readers, and the database writer that turns records into rows.
 */
#ifndef SMSPROV_SUM_INT_H
#define SMSPROV_SUM_INT_H

#include <stdio.h>

#include "sum/sum.h"
#include "util/util.h"

#define SUM_GUID_LEN 36             /* 8-4-4-4-12 */
#define SUM_FRAGMENT_MAX (64 << 20) /* largest c/x/l fragment or XML doc */
#define SUM_NESTED_MAX (4ULL << 30) /* largest nested CAB / package.xml */
#define SUM_TEXT_MAX (1 << 20)      /* one title, description, ... */
#define SUM_FIRST_CI_ID 16777217    /* the provider's first site CI_ID */
#define SUM_FIRST_CONTENT_ID 16777217
#define SUM_OBJECT_TYPE_SWUPDATES 5 /* PKG_TYPE_SWUPDATES */

/* Category types, in CategoryInstance_UniqueID spelling. */
typedef enum sum_cat_type {
    SUM_CAT_UNKNOWN = -1,
    SUM_CAT_COMPANY = 0,
    SUM_CAT_PRODUCT_FAMILY = 1,
    SUM_CAT_PRODUCT = 2,
    SUM_CAT_CLASSIFICATION = 3,
} sum_cat_type;
#define SUM_NCAT_TYPES 4

/* What an <Update> is (Properties/@UpdateType). */
typedef enum sum_kind {
    SUM_KIND_UNKNOWN = 0, /* no core metadata seen */
    SUM_KIND_SOFTWARE,
    SUM_KIND_DRIVER,
    SUM_KIND_CATEGORY,
    SUM_KIND_DETECTOID,
} sum_kind;

/* A growable array of strings in an arena. */
typedef struct sum_strv {
    const char **v;
    uint32_t n, cap;
} sum_strv;

/* One language's text. */
typedef struct sum_loc {
    const char *lang;  /* as the catalog writes it: "en", "zh-cn" */
    const char *title; /* Title */
    const char *desc;  /* Description */
    const char *url;   /* MoreInfoUrl */
} sum_loc;

/* One payload file. */
typedef struct sum_file {
    const char *name;   /* FileName (or the URL's last segment) */
    const char *sha1;   /* base64 Digest (SHA1), the FileLocation key */
    const char *sha256; /* base64 AdditionalDigest SHA256 or NULL */
    const char *url;    /* FileLocation/@Url or NULL */
    int64_t size;       /* bytes, -1 unknown */
    int64_t modified;   /* us since 1970, INT64_MIN unknown */
} sum_file;

/* A category reference: type + GUID. */
typedef struct sum_catref {
    sum_cat_type type;
    const char *guid; /* lowercase */
} sum_catref;

/* One update revision, merged from every source that describes it. */
typedef struct sum_update {
    util_arena *a;              /* owns every string below */
    char uid[SUM_GUID_LEN + 1]; /* UpdateID, lowercase */
    uint32_t revnum;            /* RevisionNumber */
    int64_t revid;              /* RevisionId (wsusscn2), 0 when unknown */
    sum_kind kind;              /* UpdateType */
    sum_cat_type cat_type;      /* CategoryInformation/@CategoryType */
    bool is_bundle;             /* IsBundle or BundledUpdates present */
    bool expired;               /* PublicationState="Expired" */
    bool has_metadata;          /* core/extended/localized seen */
    int64_t created;            /* CreationDate, INT64_MIN unknown */
    int64_t max_size;           /* MaxDownloadSize, -1 unknown */
    const char *msrc;           /* MsrcSeverity */
    const char *kb;             /* KBArticleID */
    const char *bulletin;       /* SecurityBulletinID */
    const char *support_url;    /* SupportUrl */
    const char *handler;        /* Handler URI */
    const char *default_lang; /* DefaultPropertiesLanguage / DefaultLanguage */
    sum_strv languages;       /* update-specific languages (empty: all) */
    sum_strv cves;            /* CveID */
    sum_loc *locs;
    uint32_t nlocs, caplocs;
    sum_file *files;
    uint32_t nfiles, capfiles;
    sum_catref *cats; /* explicit <Categories> */
    uint32_t ncats, capcats;
    sum_strv cat_prereqs; /* AtLeastOne IsCategory GUIDs */
    sum_strv prereqs;     /* other prerequisite GUIDs */
    sum_strv supersedes;  /* GUIDs this update supersedes */
    sum_strv bundles;     /* GUIDs this bundle carries */
    sum_strv eulas;       /* EULA file digests */
    sum_strv eula_langs;  /* parallel to eulas */
} sum_update;

/* Resets u to an empty record using arena a (reset by the caller). */
void sum_update_init(sum_update *u, util_arena *a);
int sum_strv_push(util_arena *a, sum_strv *v, const char *s, size_t n);
/* Appends an empty element and returns it (NULL on out of memory). */
sum_loc *sum_update_loc(sum_update *u, const char *lang, size_t n);
sum_file *sum_update_file(sum_update *u);
int sum_update_cat(sum_update *u, sum_cat_type t, const char *guid, size_t n);

/* Bounded copy that always NUL-terminates (truncates). */
void sum_strlcpy(char *dst, size_t n, const char *src);
/* Lowercases a GUID into out (37 bytes); false when it is not one. */
bool sum_guid_norm(const char *s, size_t n, char out[SUM_GUID_LEN + 1]);
sum_cat_type sum_cat_type_parse(const char *s);
const char *sum_cat_type_name(sum_cat_type t);
/* Does catalog language lang ("en", "zh-cn") serve option opt ("en-US")? */
bool sum_lang_match(const char *lang, const char *opt);
/* Well-known category name (Microsoft, Windows, Security Updates...). */
const char *sum_cat_known(const char *guid, sum_cat_type *type);
/* Base64 -> lowercase hex (out holds 2*decoded+1); false when invalid. */
bool sum_b64_hex(const char *b64, char *out, size_t outsz);
/* Short name of a handler URI ("Cbs", "WindowsInstaller"), NULL for
 * none. */
const char *sum_handler_name(const char *uri);
/* xsd:dateTime -> us; false when invalid. */
bool sum_xsd_datetime(const char *s, int64_t *out);

/* ---- XML ------------------------------------------------------------------
 */


/*
 * Parses update XML into u: a full <upd:Update> document (frag false) or
 * a c/, x/ or l/ fragment of wsusscn2 (frag true; fragments have several
 * top-level elements, so they are wrapped).  name is used in errors,
 * with the byte offset of the failure.
 */
int sum_xml_update(sum_update *u, const char *buf, size_t len, bool frag,
                   const char *name, smsprov_error *err);

/*
 * A SOAP response of MS-WSUSSS GetUpdateData (or a file of such
 * responses): fn gets each XmlUpdateBlob (blob, len; NULL for an
 * XmlUpdateBlobCompressed, which is not read) and each fileUrls entry
 * (digest, url).
 */
typedef int (*sum_soap_fn)(const char *blob, size_t len, const char *digest,
                           const char *url, void *payload, smsprov_error *err);
int sum_xml_soap(const char *buf, size_t len, const char *name, sum_soap_fn fn,
                 void *payload, smsprov_error *err);

/* index.xml: the detail CABs and the first RevisionId each holds. */
typedef struct sum_cabref {
    char name[64];      /* "package2.cab" */
    int64_t rangestart; /* first RevisionId, -1 for package.cab */
} sum_cabref;
int sum_xml_index(sum_cabref **out, uint32_t *n, const char *buf, size_t len,
                  const char *name, smsprov_error *err);

/* package.xml, read in one streaming pass into temporary tables of the
 * store s (see package.c); memory is 16 bytes per update. */
typedef struct sum_pkg sum_pkg;
int sum_pkg_new(sum_pkg **out, store *s, smsprov_error *err);
void sum_pkg_free(sum_pkg *pk);
int sum_pkg_read(sum_pkg *pk, const char *path, sum_progress_fn fn,
                 void *payload, smsprov_error *err);
uint32_t sum_pkg_count(const sum_pkg *pk);
/* Revision id of record i (records are sorted by revision id). */
int64_t sum_pkg_revid(const sum_pkg *pk, uint32_t i);
/* True when record i's UpdateId is used as a category somewhere. */
bool sum_pkg_is_category(const sum_pkg *pk, uint32_t i);
/* True for the older copy of an UpdateId listed twice. */
bool sum_pkg_is_dup(const sum_pkg *pk, uint32_t i);
/* Category type under which a GUID is referenced (UNKNOWN if never). */
sum_cat_type sum_pkg_guid_cat_type(const sum_pkg *pk, const char *guid);
/* Fills u (already init'ed, fragments parsed) with what package.xml says
 * about record i: identity, categories, prerequisites, the bundles and
 * supersedence read backwards, payload files with their URLs, EULAs. */
int sum_pkg_fill(sum_pkg *pk, uint32_t i, sum_update *u, smsprov_error *err);

/* ---- CAB ------------------------------------------------------------------
 */

typedef struct sum_cab sum_cab;
/* Opens a cabinet file; errors name path and the offset. */
int sum_cab_open(sum_cab **out, const char *path, smsprov_error *err);
void sum_cab_close(sum_cab *c);
/* True when the cabinet has a member of that name (case-blind, / or \). */
bool sum_cab_has(sum_cab *c, const char *member);
/* Extracts one member into a util_malloc'd buffer (NUL-terminated). */
int sum_cab_read(sum_cab *c, const char *member, char **out, size_t *len,
                 size_t max, smsprov_error *err);
/* Extracts one member to a file. */
int sum_cab_extract(sum_cab *c, const char *member, const char *dest,
                    smsprov_error *err);
/* Calls fn for every member in cabinet order with its contents. */
typedef int (*sum_cab_fn)(const char *member, const char *data, size_t len,
                          void *payload, smsprov_error *err);
int sum_cab_each(sum_cab *c, sum_cab_fn fn, void *payload, smsprov_error *err);
/* True when the file starts with the MSCF signature. */
bool sum_cab_sniff(const char *path);

/* ---- writer ---------------------------------------------------------------
 */

typedef struct sum_writer sum_writer;
/* Begins the import transaction and loads the CI_ID map. */
int sum_writer_open(sum_writer **out, provider *p, const sum_options *o,
                    smsprov_error *err);
/* A category (a Category update, or a reference with a known name). */
int sum_writer_category(sum_writer *w, sum_cat_type t, const char *guid,
                        const sum_update *u, smsprov_error *err);
/* One update revision (skips detectoids and wrong-language updates). */
int sum_writer_update(sum_writer *w, const sum_update *u, smsprov_error *err);
/* Counts a skipped update. */
void sum_writer_skip(sum_writer *w, int reason);
/* Relations, supersedence, expiry; commits. */
int sum_writer_finish(sum_writer *w, sum_stats *st, smsprov_error *err);
/* Rolls back and frees (also after a failed finish). */
void sum_writer_free(sum_writer *w);
/* Progress hook for the readers. */
#define SUM_KEEP UINT64_MAX /* sum_writer_progress: leave bytes as they are */
void sum_writer_progress(sum_writer *w, const char *phase, uint64_t total,
                         uint64_t bytes, uint64_t bytes_total);
/* Pass one: records and bytes of package.xml read so far. */
void sum_writer_progress_read(sum_writer *w, uint64_t records, uint64_t bytes,
                              uint64_t bytes_total);
/* Counts input bytes read in pass two (decompressed members). */
void sum_writer_add_bytes(sum_writer *w, uint64_t n);
sum_stats *sum_writer_stats(sum_writer *w);
store *sum_writer_store(sum_writer *w);

/* SDMPackageXML and ApplicabilityCondition (sdm.c). */
int sum_sdm_xml(util_buf *out, const char *site_guid, const sum_update *u,
                const char *title, const char *desc);
int sum_applicability(util_buf *out, const sum_update *u);

/* ---- stored settings and meta tables (settings.c) ------------------------ */

int sum_meta_ensure(store *s, smsprov_error *err);

#endif
