/* SPDX-License-Identifier: MIT */
/*
 * The writer's state, shared by writer.c (statements, open, free),
 * rows.c (updates, categories, content) and finish.c (relations, flags).
 */
#ifndef SMSPROV_SUM_WRITER_INT_H
#define SMSPROV_SUM_WRITER_INT_H

#include "sum/sum_int.h"
#include "sum/sum_map.h"

#define W_SKIP_LOCALE 100    /* sum_writer_skip reason: wrong language */
#define W_NO_PARENT 0        /* ParentCategoryInstanceID when unknown */
#define W_ID_MAX 64          /* SizeLimit of ArticleID, BulletinID */
#define W_PROGRESS_EVERY 500 /* updates between progress reports */
/* SMS_CIRelation.RelationType values used (SUMMARY.md section 6) */
#define W_REL_BUNDLED 1
#define W_REL_REQUIRED 2
#define W_REL_SUPERSEDED 6

/* Parameter numbers of the SMS_SoftwareUpdate INSERT/UPDATE (writer.c). */
enum {
    U_UID = 1,
    U_APPL,
    U_ARTICLE,
    U_BULLETIN,
    U_CATS,
    U_CITYPE,
    U_REVISED,
    U_MODIFIED,
    U_MODIFIER,
    U_EULAEXISTS,
    U_EULAS,
    U_BUNDLE,
    U_CATNAMES,
    U_DESC,
    U_TITLE,
    U_URL,
    U_LOCALE,
    U_LOCINFO,
    U_MODEL,
    U_REVNUM,
    U_SDM,
    U_SEV,
    U_SEVNAME,
    U_SIZE,
    U_LOCALES,
    U_METAONLY,
    U_OFFLINE,
    U_NCOLS = U_OFFLINE
};
enum { U_X_CIID = U_NCOLS + 1, U_X_MODELID, U_X_CREATED, U_X_POSTED, U_X_SITE };

/* An update's entry of sum_ci_map (looked up per update: the map lives in
 * the database, not in memory). */
typedef struct w_ent {
    int64_t ci_id, content_id, revision, sig, last_import;
    bool in_db; /* has a row from an earlier import */
} w_ent;

/* A known category. */
typedef struct w_cat {
    const char *guid; /* arena, lowercase */
    const char *name; /* name in the first locale */
    int64_t id;       /* CategoryInstanceID */
    sum_cat_type type;
    bool written; /* upserted in this import */
} w_cat;

/* Insert/delete of one array side table. */
typedef struct w_side {
    store_stmt *ins, *del;
} w_side;

struct sum_writer {
    provider *p;
    store *s;
    const cim_schema *schema;
    sum_options o;
    util_arena *a;
    char site[8];
    char site_guid[SUM_GUID_LEN + 1];
    int64_t now, t0, serial;
    int expire_months;
    char locales[SUM_MAX_LOCALES][16];
    uint32_t lcids[SUM_MAX_LOCALES];
    int nlocales;
    int64_t sig;
    bool in_tx;
    /* updates */
    int64_t next_ci, next_content;
    /* categories and EULAs */
    sum_map cats; /* guid -> index into catv */
    w_cat *catv;
    size_t ncats, capcats;
    int64_t max_cat;
    sum_map eulas; /* EULAContentUniqueID -> id */
    int64_t max_eula;
    /* statements */
    store_stmt *ins_upd, *upd_upd;
    w_side side_cats, side_names, side_locales, side_scopes, side_content;
    store_stmt *ins_link, *del_links;
    store_stmt *ins_content, *del_content_side, *del_content;
    store_stmt *ins_file, *del_files, *ins_digest, *del_digest;
    store_stmt *put_map, *seen_map, *get_map;
    store_stmt *ins_pend, *ins_det; /* temp.sum_pend, temp.sum_det */
    store_stmt *put_cat, *put_ucat, *put_eula;
    /* scratch */
    util_buf b1, b2, b3, b4, b5;
    /* progress */
    const char *phase;
    uint64_t handled, total, bytes, bytes_total;
    sum_stats st;
};

w_cat *w_cat_add(sum_writer *w, const char *guid);
void sum_json_str(util_buf *b, const char *s);
/* Binds s, or NULL when s is NULL. */
int bind_text_z(store_stmt *st, int i, const char *s);
/* Steps a write statement to completion and resets it. */
int w_run(store_stmt *st, smsprov_error *err);
int w_side_write(w_side *sd, int64_t oid, const char *const *v, uint32_t n,
                 smsprov_error *err);
void json_strs(util_buf *b, const char *const *v, uint32_t n);
/* A GUID derived from the site code (ModelName's Site_<GUID>). */
void sum_site_guid(const char *site, char out[SUM_GUID_LEN + 1]);

#endif
