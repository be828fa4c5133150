/* SPDX-License-Identifier: MIT */
/*
 * Private state of the demo generator (demo_data.c plans the catalog,
 * demo_update.c writes updates and their content, demo_site.c writes the
 * fleet, the deployment and the images).
 */
#ifndef SMSPROV_CLI_DEMO_INT_H
#define SMSPROV_CLI_DEMO_INT_H

#include <jansson.h>

#include "cli/demo_data.h"

#define DEMO_MONTHS 24         /* catalog spans 2023-01 .. 2024-12 */
#define DEMO_FIRST_YEAR 2023   /* first month of the catalog */
#define DEMO_PINNED 5          /* fixed updates at the first CI_IDs */
#define DEMO_GROUP_MAX 20      /* updates in the demo update group */
#define DEMO_COMPLIANCE_MAX 40 /* updates with per-device compliance rows */
#define DEMO_BUNDLE_MEMBERS 2  /* leaf updates per bundle, at most */
#define DEMO_FIRST_CONTENT_ID 16800001 /* ContentIDs (SInt32) */
#define DEMO_FIRST_MODEL_ID 16900001   /* ModelIDs of the updates */
#define DEMO_SUPERSEDED_PCT 20         /* share of updates superseded */
#define DEMO_EXPIRED_PCT 5  /* share expired (taken among superseded) */
#define DEMO_LOCALE_EN 1033 /* en-US */
#define DEMO_LOCALE_DE 1031 /* de-DE */
#define DEMO_GUID_LEN 37    /* 36 characters + NUL */
#define DEMO_TEXT_MAX 512   /* titles, descriptions, file names */
#define DEMO_XML_MAX 65536  /* SDMPackageXML and ImageProperty */
#define DEMO_NEVULAS 2      /* SMS_EULAContent rows */
#define DEMO_UID_MAX 96     /* "UpdateClassification:<guid>" */

#define DEMO_US_PER_HOUR 3600000000LL
#define DEMO_US_PER_DAY (24 * DEMO_US_PER_HOUR)
/* "Now" of the demo site: the Monday after the last patch Tuesday. */
#define DEMO_NOW_Y 2024
#define DEMO_NOW_M 12
#define DEMO_NOW_D 16

/* Categories (SMS_CategoryInstance rows), in CategoryInstanceID order. */
enum demo_cat_id {
    CAT_MICROSOFT,
    FAM_WINDOWS,
    FAM_OFFICE,
    FAM_SQL,
    FAM_DEVTOOLS,
    FAM_EDGE,
    PROD_WIN10,
    PROD_WIN11,
    PROD_WS2016,
    PROD_WS2019,
    PROD_WS2022,
    PROD_DEFENDER,
    PROD_M365,
    PROD_OFFICE2016,
    PROD_SQL2019,
    PROD_DOTNET,
    PROD_EDGE,
    CLS_CRITICAL,
    CLS_DEFINITION,
    CLS_DRIVERS,
    CLS_FEATUREPACKS,
    CLS_SECURITY,
    CLS_SERVICEPACKS,
    CLS_TOOLS,
    CLS_ROLLUPS,
    CLS_UPDATES,
    CLS_UPGRADES,
    DEMO_NCATS
};

/* Update kinds: one title pattern, product and classification each; the
 * updates of one kind and variant form one supersedence series. */
enum demo_kind_id {
    K_WS2016_CU,   /* pinned only: MS17-010 era */
    K_W10_1607_CU, /* pinned only: MS17-010 era */
    K_W11_CU,
    K_W10_CU,
    K_WS2022_CU,
    K_WS2019_CU,
    K_W10_SEC,
    K_W10_SSU,
    K_W10_UPD,
    K_W11_UPD,
    K_DOTNET,
    K_DOTNET_FP,
    K_MSRT,
    K_DEFENDER,
    K_M365,
    K_OFFICE,
    K_SQL_CU,
    K_SQL_SEC,
    K_EDGE,
    K_W11_FEATURE,
    K_DRIVER,
    DEMO_NKINDS
};

typedef struct demo_cat {
    int type;            /* 0 Company, 1 ProductFamily, 2 Product,
                            3 UpdateClassification */
    const char *name;    /* en-US name */
    const char *name_de; /* de-DE name, NULL when the same */
    const char *guid;    /* WSUS GUID, or NULL: derived from the name */
    int parent;          /* parent category or -1 */
} demo_cat;

typedef struct demo_kind {
    int product;        /* enum demo_cat_id */
    int classification; /* enum demo_cat_id */
    uint8_t weight;     /* share of the monthly volume (0: pinned only) */
    uint8_t nvariants;  /* editions / architectures of the series */
    bool msrc;          /* carries an MSRC severity */
    bool bundle;        /* published as a bundle (CIType_ID 8) */
    bool patch_tuesday; /* released on the second Tuesday */
    bool offline;       /* IsOfflineServiceable */
    int eula;           /* index of its EULA or -1 */
    int64_t size_min;   /* bytes */
    int64_t size_max;   /* bytes */
} demo_kind;

/* One planned update. */
typedef struct demo_update {
    uint32_t ci_id;           /* CI_ID */
    uint8_t kind;             /* enum demo_kind_id */
    uint8_t variant;          /* < kinds[kind].nvariants */
    uint8_t severity;         /* 0, 2, 6, 8 or 10 */
    uint8_t nfiles;           /* content files, 1..3 */
    int16_t month;            /* months since 2023-01 (negative: older) */
    bool pinned;              /* one of the fixed first updates */
    bool superseded;          /* IsSuperseded */
    bool expired;             /* IsExpired */
    bool deployed;            /* in the update group (and the deployment) */
    bool compliance;          /* gets SMS_UpdateComplianceStatus rows */
    uint32_t kb;              /* ArticleID number, 0: no article ("") */
    uint32_t v1, v2, v3;      /* kind-specific version numbers */
    int32_t successor;        /* index of the superseding update or -1 */
    int64_t posted;           /* DatePosted, UTC us */
    int64_t revised;          /* DateRevised, UTC us */
    int64_t size;             /* bytes */
    const char *bulletin;     /* BulletinID or NULL (default "None") */
    char guid[DEMO_GUID_LEN]; /* CI_UniqueID */
    char content_guid[DEMO_GUID_LEN]; /* ContentUniqueID */
} demo_update;

/* A device of the demo fleet. */
typedef struct demo_device {
    const char *name; /* NetBIOS name */
    uint32_t os;      /* one DEMO_OS_* bit */
    const char *dept; /* OU below Workstations/Servers */
    const char *user; /* last logon user */
    bool sql;         /* runs SQL Server */
    bool vm;          /* virtual machine */
} demo_device;

#define DEMO_OS_W11_23H2 0x01u
#define DEMO_OS_W11_22H2 0x02u
#define DEMO_OS_W10_22H2 0x04u
#define DEMO_OS_WS2019 0x08u
#define DEMO_OS_WS2022 0x10u
#define DEMO_OS_SQL 0x20u /* pseudo-bit: applies where SQL Server runs */
#define DEMO_OS_CLIENTS (DEMO_OS_W11_23H2 | DEMO_OS_W11_22H2 | DEMO_OS_W10_22H2)
#define DEMO_OS_SERVERS (DEMO_OS_WS2019 | DEMO_OS_WS2022)

extern const demo_cat demo_cats[DEMO_NCATS];
extern const demo_kind demo_kinds[DEMO_NKINDS];
extern const demo_device demo_fleet[];
extern const uint32_t demo_nfleet;

/* JSON object under construction; a failed member makes the put fail. */
typedef struct demo_json {
    json_t *o;   /* the object (owned until put) */
    bool failed; /* a member could not be added (out of memory) */
} demo_json;

typedef struct demo_ctx {
    provider *p;        /* where everything goes */
    const demo_opts *o; /* what to generate */
    smsprov_error *err; /* first failure */
    uint64_t rng;       /* splitmix64 state */
    demo_update *u;     /* planned updates, o->updates entries */
    uint32_t n;         /* entries in u */
    uint32_t month_start[DEMO_MONTHS + 1]; /* first generated update of
                                               each month (index into u) */
    uint32_t group[DEMO_GROUP_MAX];        /* indexes of the grouped updates */
    uint32_t ngroup;                       /* entries in group */
    const char *site;                      /* site code */
    char site_guid[DEMO_GUID_LEN];         /* AuthoringScopeId of the site */
    char eula_guid[DEMO_NEVULAS][DEMO_GUID_LEN]; /* EULAContentUniqueIDs */
    char cat_uid[DEMO_NCATS][DEMO_UID_MAX]; /* CategoryInstance_UniqueIDs */
    uint64_t writes;                        /* instances written so far */
    int64_t started;                        /* for progress lines, UTC us */
} demo_ctx;

/* demo_data.c: randomness, JSON building, writing, progress */
uint64_t demo_rand(demo_ctx *c);
uint32_t demo_below(demo_ctx *c, uint32_t n);
/* Stateless hash of (seed, a, b) for choices that must not depend on
 * the order of generation. */
uint64_t demo_hash(uint64_t seed, uint64_t a, uint64_t b);
void demo_guid(demo_ctx *c, char out[DEMO_GUID_LEN]);
/* Formats 128 bits as a lowercase version-4 GUID. */
void demo_guid_from(uint64_t hi, uint64_t lo, char out[DEMO_GUID_LEN]);
void demo_hex(demo_ctx *c, char *out, size_t nhex);
demo_json demo_obj(void);
void demo_set(demo_json *j, const char *key, json_t *v);
void demo_str(demo_json *j, const char *key, const char *s);
void demo_int(demo_json *j, const char *key, int64_t v);
void demo_bool(demo_json *j, const char *key, bool v);
void demo_date(demo_json *j, const char *key, int64_t us);
/* JSON array of n strings (NULL on out of memory). */
json_t *demo_strs(const char *const *s, size_t n);
/* Writes the object as an instance of cls_name and frees it. */
int demo_put(demo_ctx *c, const char *cls_name, demo_json *j);
/* Same with an instance already built (freed here). */
int demo_put_inst(demo_ctx *c, cim_instance *inst);
void demo_progress(demo_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* UTC us of y-m-d h:00. */
int64_t demo_time(int64_t y, unsigned m, unsigned d, unsigned h);
/* Year and month of a catalog month index. */
void demo_month(int month, int *y, unsigned *m);
/* Classes the update CI applies to (DEMO_OS_* bits). */
uint32_t demo_os_mask(const demo_update *u);
/* 0 unknown, 1 not required, 2 required, 3 installed. */
int demo_status(const demo_ctx *c, const demo_update *u, uint32_t device);

/* demo_update.c */
/* English (or German) display name of an update into out. */
void demo_title(const demo_update *u, bool german, char *out, size_t n);
int demo_write_categories(demo_ctx *c);
int demo_write_eulas(demo_ctx *c);
int demo_write_updates(demo_ctx *c);
int demo_write_relations(demo_ctx *c);

/* demo_site.c */
int demo_write_site(demo_ctx *c);
int demo_write_images(demo_ctx *c);
int demo_write_provider_location(demo_ctx *c);

#endif
