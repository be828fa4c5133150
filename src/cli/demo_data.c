/* SPDX-License-Identifier: MIT */
/*
 * Demo data, planning stage: the category and update-kind tables, the plan
 * of every update (dates, KB numbers, severities, supersedence, bundles,
 * the update group) made in memory first, then the writers of
 * demo_update.c and demo_site.c in one transaction.  Deterministic: every
 * random choice comes from a splitmix64 stream seeded by demo_opts.seed
 * and no clock is read for the data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo_int.h"

/*
 * Categories.  Classification, company and the better-known product and
 * family GUIDs are the ones WSUS publishes; NULL ones are derived from the
 * name (stable across seeds).
 */
const demo_cat demo_cats[DEMO_NCATS] = {
    [CAT_MICROSOFT] = {0, "Microsoft Corporation", NULL,
                       "56309036-4c77-4dd9-951a-99ee9c246a94", -1},
    [FAM_WINDOWS] = {1, "Windows", NULL, "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d",
                     CAT_MICROSOFT},
    [FAM_OFFICE] = {1, "Office", NULL, "477b856e-65c4-4473-b621-a8b230bb70d9",
                    CAT_MICROSOFT},
    [FAM_SQL] = {1, "SQL Server", NULL, NULL, CAT_MICROSOFT},
    [FAM_DEVTOOLS] = {1, "Developer Tools, Runtimes, and Redistributables",
                      NULL, NULL, CAT_MICROSOFT},
    [FAM_EDGE] = {1, "Microsoft Edge", NULL, NULL, CAT_MICROSOFT},
    [PROD_WIN10] = {2, "Windows 10", NULL,
                    "a3c2375d-0c8a-42f9-bce0-28333e198407", FAM_WINDOWS},
    [PROD_WIN11] = {2, "Windows 11", NULL,
                    "72e7624a-5b00-45d2-b92f-e561c0a6a160", FAM_WINDOWS},
    [PROD_WS2016] = {2, "Windows Server 2016", NULL,
                     "569e8e8f-c6cd-42c8-92a3-efbb20a0f6f5", FAM_WINDOWS},
    [PROD_WS2019] = {2, "Windows Server 2019", NULL,
                     "f702a48c-919b-45d6-9aef-ca4248d50397", FAM_WINDOWS},
    [PROD_WS2022] = {2, "Windows Server 2022", NULL, NULL, FAM_WINDOWS},
    [PROD_DEFENDER] = {2, "Microsoft Defender Antivirus", NULL,
                       "8c3fcc84-7410-4a95-8b89-a166a0190486", FAM_WINDOWS},
    [PROD_M365] = {2, "Microsoft 365 Apps/Office 2019/Office LTSC", NULL,
                   "30eb551c-6288-4716-9a78-f300ec36d72b", FAM_OFFICE},
    [PROD_OFFICE2016] = {2, "Office 2016", NULL,
                         "25aed893-7c2d-4a31-ae22-28ff8ac150ed", FAM_OFFICE},
    [PROD_SQL2019] = {2, "Microsoft SQL Server 2019", NULL, NULL, FAM_SQL},
    [PROD_DOTNET] = {2, ".NET Framework", NULL, NULL, FAM_DEVTOOLS},
    [PROD_EDGE] = {2, "Microsoft Edge", NULL, NULL, FAM_EDGE},
    [CLS_CRITICAL] = {3, "Critical Updates", "Kritische Updates",
                      "e6cf1350-c01b-414d-a61f-263d14d133b4", -1},
    [CLS_DEFINITION] = {3, "Definition Updates", "Definitionsupdates",
                        "e0789628-ce08-4437-be74-2495b842f43b", -1},
    [CLS_DRIVERS] = {3, "Drivers", "Treiber",
                     "ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0", -1},
    [CLS_FEATUREPACKS] = {3, "Feature Packs", NULL,
                          "b54e7d24-7add-428f-8b75-90a396fa584f", -1},
    [CLS_SECURITY] = {3, "Security Updates", "Sicherheitsupdates",
                      "0fa1201d-4330-4fa8-8ae9-b877473b6441", -1},
    [CLS_SERVICEPACKS] = {3, "Service Packs", NULL,
                          "68c5b0a3-d1a6-4553-ae49-01d3a7827828", -1},
    [CLS_TOOLS] = {3, "Tools", NULL, "b4832bd8-e735-4761-8daf-37f882276dab",
                   -1},
    [CLS_ROLLUPS] = {3, "Update Rollups", "Updaterollups",
                     "28bc880e-0592-4cbf-8f95-c79b17911d5f", -1},
    [CLS_UPDATES] = {3, "Updates", NULL, "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83",
                     -1},
    [CLS_UPGRADES] = {3, "Upgrades", NULL,
                      "3689bdc8-b205-4af4-8d4a-a63924c5e9d5", -1},
};

#define MB (1024LL * 1024)

/*
 * Update kinds.  Weights give the monthly mix: definition updates are the
 * most frequent, feature updates the rarest; sizes are typical download
 * sizes.
 */
const demo_kind demo_kinds[DEMO_NKINDS] = {
    /* product, classification, weight, variants, msrc, bundle, patch
       Tuesday, offline servicing, EULA, size range */
    [K_WS2016_CU] = {PROD_WS2016, CLS_SECURITY, 0, 1, true, true, true, true,
                     -1, 900 * MB, 1200 * MB},
    [K_W10_1607_CU] = {PROD_WIN10, CLS_SECURITY, 0, 1, true, true, true, true,
                       -1, 900 * MB, 1200 * MB},
    [K_W11_CU] = {PROD_WIN11, CLS_SECURITY, 6, 4, true, true, true, true, -1,
                  300 * MB, 700 * MB},
    [K_W10_CU] = {PROD_WIN10, CLS_SECURITY, 6, 4, true, true, true, true, -1,
                  400 * MB, 800 * MB},
    [K_WS2022_CU] = {PROD_WS2022, CLS_SECURITY, 3, 1, true, true, true, true,
                     -1, 250 * MB, 500 * MB},
    [K_WS2019_CU] = {PROD_WS2019, CLS_SECURITY, 3, 1, true, true, true, true,
                     -1, 350 * MB, 650 * MB},
    [K_W10_SEC] = {PROD_WIN10, CLS_SECURITY, 1, 2, true, false, true, true, -1,
                   50 * MB, 250 * MB},
    [K_W10_SSU] = {PROD_WIN10, CLS_SECURITY, 2, 2, false, false, true, true, -1,
                   10 * MB, 25 * MB},
    [K_W10_UPD] = {PROD_WIN10, CLS_CRITICAL, 1, 2, false, false, false, true,
                   -1, 1 * MB, 40 * MB},
    [K_W11_UPD] = {PROD_WIN11, CLS_UPDATES, 1, 2, false, false, false, true, -1,
                   1 * MB, 40 * MB},
    [K_DOTNET] = {PROD_DOTNET, CLS_SECURITY, 5, 4, true, false, true, true, -1,
                  60 * MB, 90 * MB},
    [K_DOTNET_FP] = {PROD_DOTNET, CLS_FEATUREPACKS, 1, 2, false, false, false,
                     true, -1, 70 * MB, 80 * MB},
    [K_MSRT] = {PROD_WIN10, CLS_ROLLUPS, 2, 2, false, false, true, false, -1,
                40 * MB, 80 * MB},
    [K_DEFENDER] = {PROD_DEFENDER, CLS_DEFINITION, 28, 1, false, false, false,
                    false, -1, 1 * MB, 12 * MB},
    [K_M365] = {PROD_M365, CLS_UPDATES, 6, 6, false, false, false, false, -1,
                100 * MB, 400 * MB},
    [K_OFFICE] = {PROD_OFFICE2016, CLS_SECURITY, 8, 10, true, false, true,
                  false, -1, 2 * MB, 90 * MB},
    [K_SQL_CU] = {PROD_SQL2019, CLS_UPDATES, 1, 1, false, false, false, false,
                  1, 500 * MB, 900 * MB},
    [K_SQL_SEC] = {PROD_SQL2019, CLS_SECURITY, 1, 2, true, false, true, false,
                   1, 20 * MB, 600 * MB},
    [K_EDGE] = {PROD_EDGE, CLS_UPDATES, 8, 6, false, false, false, false, -1,
                120 * MB, 180 * MB},
    [K_W11_FEATURE] = {PROD_WIN11, CLS_UPGRADES, 1, 2, false, false, false,
                       false, 0, 3500 * MB, 4600 * MB},
    [K_DRIVER] = {PROD_WIN11, CLS_DRIVERS, 6, 6, false, false, false, false, -1,
                  1 * MB, 60 * MB},
};

/* The fixed first updates: the README and the tests rely on them. */
typedef struct demo_pin {
    uint8_t kind;         /* enum demo_kind_id */
    uint8_t variant;      /* of the kind */
    int16_t y, m, d;      /* DatePosted (at 18:00 UTC) */
    uint32_t kb;          /* ArticleID */
    uint8_t severity;     /* MSRC severity */
    const char *bulletin; /* BulletinID or NULL */
    uint32_t v1, v2;      /* versions (Defender: 1.v1.v2.0) */
} demo_pin;

static const demo_pin pins[DEMO_PINNED] = {
    {K_WS2016_CU, 0, 2017, 3, 14, 4013429, 10, "MS17-010", 0, 0},
    {K_W10_1607_CU, 0, 2017, 3, 14, 4013429, 10, "MS17-010", 0, 0},
    {K_W10_SEC, 0, 2024, 1, 9, 5034441, 8, NULL, 0, 0},
    {K_W11_CU, 0, 2024, 1, 9, 5034123, 10, NULL, 0, 0},
    {K_DEFENDER, 0, 2024, 1, 10, 2267602, 0, NULL, 403, 1234},
};

/* ---- randomness -----------------------------------------------------------
 */

static uint64_t splitmix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t demo_rand(demo_ctx *c)
{
    c->rng += 0x9E3779B97F4A7C15ULL;
    return splitmix(c->rng);
}

/* Uniform in [0, n) by multiply-shift (n > 0). */
uint32_t demo_below(demo_ctx *c, uint32_t n)
{
    return (uint32_t)(((demo_rand(c) >> 32) * (uint64_t)n) >> 32);
}

uint64_t demo_hash(uint64_t seed, uint64_t a, uint64_t b)
{
    return splitmix(splitmix(seed ^ 0x5DEECE66DULL) ^ splitmix(a) ^
                    splitmix(b + 0x9E3779B97F4A7C15ULL));
}

void demo_guid_from(uint64_t hi, uint64_t lo, char out[DEMO_GUID_LEN])
{
    hi = (hi & ~0xF000ULL) | 0x4000ULL;
    lo = (lo & ~(3ULL << 62)) | (2ULL << 62);
    snprintf(out, DEMO_GUID_LEN, "%08x-%04x-%04x-%04x-%012llx",
             (unsigned)(hi >> 32), (unsigned)((hi >> 16) & 0xFFFF),
             (unsigned)(hi & 0xFFFF), (unsigned)(lo >> 48),
             (unsigned long long)(lo & 0xFFFFFFFFFFFFULL));
}

void demo_guid(demo_ctx *c, char out[DEMO_GUID_LEN])
{
    uint64_t hi = demo_rand(c);
    demo_guid_from(hi, demo_rand(c), out);
}

/* nhex lowercase hex digits plus NUL into out. */
void demo_hex(demo_ctx *c, char *out, size_t nhex)
{
    static const char digits[] = "0123456789abcdef";
    uint64_t bits = 0;
    for (size_t i = 0; i < nhex; i++) {
        if (i % 16 == 0)
            bits = demo_rand(c);
        out[i] = digits[bits & 0xF];
        bits >>= 4;
    }
    out[nhex] = '\0';
}

/* ---- JSON and writes ------------------------------------------------------
 */

demo_json demo_obj(void)
{
    demo_json j = {json_object(), false};
    j.failed = j.o == NULL;
    return j;
}

/* Adds key: v (stolen); a NULL v (failed allocation) marks the object. */
void demo_set(demo_json *j, const char *key, json_t *v)
{
    if (v == NULL || j->o == NULL || json_object_set_new(j->o, key, v) != 0)
        j->failed = true;
}

/* A NULL string leaves the property out (stored as NULL). */
void demo_str(demo_json *j, const char *key, const char *s)
{
    if (s != NULL)
        demo_set(j, key, json_string(s));
}

void demo_int(demo_json *j, const char *key, int64_t v)
{
    demo_set(j, key, json_integer((json_int_t)v));
}

void demo_bool(demo_json *j, const char *key, bool v)
{
    demo_set(j, key, json_boolean(v));
}

void demo_date(demo_json *j, const char *key, int64_t us)
{
    char d[UTIL_DMTF_LEN + 1];
    util_dmtf_format(us, d);
    demo_set(j, key, json_string(d));
}

json_t *demo_strs(const char *const *s, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < n; i++)
        if (json_array_append_new(a, json_string(s[i])) != 0) {
            json_decref(a);
            a = NULL;
        }
    return a;
}

int demo_put(demo_ctx *c, const char *cls_name, demo_json *j)
{
    const cim_class *cls =
        cim_schema_class(provider_schema(c->p), cls_name, strlen(cls_name));
    int rc;
    if (j->failed)
        rc = util_error_set(c->err, SMSPROV_ENOMEM, -1,
                            "out of memory building a %s", cls_name);
    else if (cls == NULL)
        rc = util_error_set(c->err, SMSPROV_EINVALID_CLASS, -1,
                            "the schema has no class '%s'", cls_name);
    else
        rc = provider_put_json(NULL, NULL, c->p, cls, j->o, PROVIDER_INTERNAL,
                               c->err);
    json_decref(j->o);
    j->o = NULL;
    if (rc == 0)
        c->writes++;
    return rc;
}

int demo_put_inst(demo_ctx *c, cim_instance *inst)
{
    int rc = provider_put(NULL, NULL, c->p, inst, PROVIDER_INTERNAL, c->err);
    cim_instance_free(inst);
    if (rc == 0)
        c->writes++;
    return rc;
}

void demo_progress(demo_ctx *c, const char *fmt, ...)
{
    va_list ap;
    if (!c->o->progress)
        return;
    fprintf(stderr, "demo: %6.2f s  ",
            (double)(util_now_us() - c->started) / 1e6);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ---- calendar -------------------------------------------------------------
 */

int64_t demo_time(int64_t y, unsigned m, unsigned d, unsigned h)
{
    return util_days_from_civil(y, m, d) * DEMO_US_PER_DAY +
           (int64_t)h * DEMO_US_PER_HOUR;
}

void demo_month(int month, int *y, unsigned *m)
{
    int total = DEMO_FIRST_YEAR * 12 + month;
    *y = total / 12;
    *m = (unsigned)(total % 12) + 1;
}

static unsigned days_in_month(int y, unsigned m)
{
    int64_t a = util_days_from_civil(y, m, 1);
    int64_t b = m == 12 ? util_days_from_civil(y + 1, 1, 1)
                        : util_days_from_civil(y, m + 1, 1);
    return (unsigned)(b - a);
}

/* Day of the month of the second Tuesday (1970-01-01 was a Thursday). */
static unsigned patch_tuesday(int y, unsigned m)
{
    int64_t days = util_days_from_civil(y, m, 1);
    unsigned wd = (unsigned)(((days % 7) + 7 + 4) % 7); /* 0 = Sunday */
    return 1 + (2 + 7 - wd) % 7 + 7;
}

/* ---- applicability ---------------------------------------------------------
 */

uint32_t demo_os_mask(const demo_update *u)
{
    static const uint32_t dotnet[4] = {DEMO_OS_W11_23H2 | DEMO_OS_W11_22H2,
                                       DEMO_OS_W10_22H2, DEMO_OS_WS2022,
                                       DEMO_OS_WS2019};
    switch (u->kind) {
    case K_W11_CU:
        return u->variant == 0   ? DEMO_OS_W11_23H2
               : u->variant == 1 ? DEMO_OS_W11_22H2
                                 : 0;
    case K_W11_UPD:
        return u->variant == 0 ? DEMO_OS_W11_23H2 : DEMO_OS_W11_22H2;
    case K_W10_CU:
    case K_W10_SEC:
    case K_W10_SSU:
    case K_W10_UPD:
        return u->variant == 0 ? DEMO_OS_W10_22H2 : 0;
    case K_WS2022_CU:
        return DEMO_OS_WS2022;
    case K_WS2019_CU:
        return DEMO_OS_WS2019;
    case K_DOTNET:
        return dotnet[u->variant % 4];
    case K_DOTNET_FP:
        return u->variant == 0 ? DEMO_OS_W10_22H2 : DEMO_OS_WS2022;
    case K_MSRT:
        return u->variant == 0 ? DEMO_OS_CLIENTS | DEMO_OS_SERVERS : 0;
    case K_DEFENDER:
        return DEMO_OS_CLIENTS | DEMO_OS_SERVERS;
    case K_M365:
    case K_OFFICE:
        return u->variant == 0 ? DEMO_OS_CLIENTS : 0;
    case K_SQL_CU:
    case K_SQL_SEC:
        return DEMO_OS_SQL;
    case K_EDGE:
        return u->variant == 0 ? DEMO_OS_CLIENTS | DEMO_OS_SERVERS : 0;
    case K_W11_FEATURE:
        return u->variant == 0 ? DEMO_OS_W11_22H2 | DEMO_OS_W10_22H2
                               : DEMO_OS_W10_22H2;
    case K_DRIVER:
        return DEMO_OS_W11_23H2 | DEMO_OS_W11_22H2;
    default:
        return 0; /* the 2017 updates apply to nothing in the fleet */
    }
}

/*
 * Status of an update on a device, from a hash of (seed, CI_ID, device) so
 * that compliance rows and the update's Num* counters agree whatever order
 * they are written in.  Older updates are mostly installed.
 */
int demo_status(const demo_ctx *c, const demo_update *u, uint32_t device)
{
    const demo_device *d = &demo_fleet[device];
    uint32_t mask = demo_os_mask(u);
    bool applies = (mask & d->os) != 0 || ((mask & DEMO_OS_SQL) && d->sql);
    if (!applies)
        return 1;
    uint64_t h = demo_hash(c->o->seed, u->ci_id, device) % 100;
    if (u->kind == K_DRIVER && h >= 50)
        return 1; /* other hardware */
    if (h < 3)
        return 0;
    int installed = u->month >= DEMO_MONTHS - 1   ? 35
                    : u->month >= DEMO_MONTHS - 3 ? 70
                                                  : 93;
    return (int)h < 3 + installed ? 3 : 2;
}

/* ---- planning --------------------------------------------------------------
 */

/* Next KB number of a month: Windows-wide numbers grow ~1100 a month;
 * Office ones live in the 5002xxx range. */
static uint32_t next_kb(demo_ctx *c, uint32_t *counter)
{
    *counter += 1 + demo_below(c, 6);
    return *counter;
}

/* Version numbers that grow with the date inside a series. */
static void plan_versions(demo_ctx *c, demo_update *u, unsigned day,
                          unsigned hour)
{
    int y;
    unsigned m;
    demo_month(u->month, &y, &m);
    switch (u->kind) {
    case K_DEFENDER:
        u->v1 = 381 + 2 * (uint32_t)u->month;
        u->v2 = 100 + day * 48 + hour * 2;
        break;
    case K_MSRT:
        u->v1 = 109 + (uint32_t)u->month;
        break;
    case K_M365:
        u->v1 = (uint32_t)(y % 100) * 100 + m;
        u->v2 = 15928 + 100 * (uint32_t)u->month + u->variant;
        u->v3 = 20000 + day * 8 + hour / 3;
        break;
    case K_SQL_CU:
    case K_SQL_SEC:
        u->v1 = 19 + (uint32_t)u->month / 2;
        break;
    case K_EDGE:
        u->v1 = 109 + (uint32_t)u->month;
        u->v2 = 1518 + 60 * (uint32_t)u->month + day;
        u->v3 = hour * 3 + u->variant;
        break;
    case K_W11_FEATURE:
        u->v1 = 2861 + 60 * (uint32_t)u->month;
        break;
    case K_DRIVER:
        u->v1 = 10 + demo_below(c, 20);
        u->v2 = demo_below(c, 100);
        u->v3 = demo_below(c, 10000);
        break;
    default:
        break;
    }
}

/* Everything of one update that does not depend on the others. */
static void plan_one(demo_ctx *c, demo_update *u, uint32_t win_kb[],
                     uint32_t office_kb[], unsigned day, unsigned hour)
{
    const demo_kind *k = &demo_kinds[u->kind];
    int y;
    unsigned m;
    demo_month(u->month, &y, &m);
    u->posted = demo_time(y, m, day, hour);
    u->revised = u->posted;
    if (demo_below(c, 100) < 25)
        u->revised += (int64_t)(1 + demo_below(c, 30)) * DEMO_US_PER_DAY;
    if (!u->pinned) {
        switch (u->kind) {
        case K_DEFENDER:
            u->kb = 2267602;
            break;
        case K_MSRT:
            u->kb = 890830;
            break;
        case K_M365:
        case K_EDGE:
        case K_DRIVER:
            u->kb = 0;
            break;
        case K_OFFICE:
            u->kb = next_kb(c, &office_kb[u->month]);
            break;
        default:
            u->kb = next_kb(c, &win_kb[u->month]);
            break;
        }
        plan_versions(c, u, day, hour);
        if (k->msrc) {
            uint32_t r = demo_below(c, 100);
            u->severity = r < 30 ? 10 : r < 85 ? 8 : r < 95 ? 6 : 2;
        }
    }
    u->size = k->size_min +
              (int64_t)(demo_rand(c) % (uint64_t)(k->size_max - k->size_min));
    u->nfiles = (uint8_t)(1 + demo_below(c, 3));
    u->successor = -1;
    demo_guid(c, u->guid);
    demo_guid(c, u->content_guid);
}

/*
 * Plans every update: the pinned ones first, then month by month the
 * generated ones, each month's volume split across the kinds by weight
 * with cumulative rounding so that the total is exactly o->updates.
 */
static void plan_updates(demo_ctx *c)
{
    uint32_t win_kb[DEMO_MONTHS], office_kb[DEMO_MONTHS];
    uint64_t wsum = 0, before = 0;
    uint32_t npin = c->n < DEMO_PINNED ? c->n : DEMO_PINNED;
    uint32_t gen = c->n - npin, at = 0;
    for (int k = 0; k < DEMO_NKINDS; k++)
        wsum += demo_kinds[k].weight;
    for (int m = 0; m < DEMO_MONTHS; m++) {
        win_kb[m] = 5022000 + 1100 * (uint32_t)m;
        office_kb[m] = 5002300 + 60 * (uint32_t)m;
    }
    for (; at < npin; at++) {
        demo_update *u = &c->u[at];
        const demo_pin *p = &pins[at];
        u->ci_id = DEMO_FIRST_CI_ID + at;
        u->kind = p->kind;
        u->variant = p->variant;
        u->pinned = true;
        u->month = (int16_t)((p->y - DEMO_FIRST_YEAR) * 12 + (p->m - 1));
        u->kb = p->kb;
        u->severity = p->severity;
        u->bulletin = p->bulletin;
        u->v1 = p->v1;
        u->v2 = p->v2;
        plan_one(c, u, win_kb, office_kb, (unsigned)p->d, 18);
    }
    for (int m = 0; m < DEMO_MONTHS; m++) {
        int y;
        unsigned mo;
        demo_month(m, &y, &mo);
        unsigned pt = patch_tuesday(y, mo), ndays = days_in_month(y, mo);
        c->month_start[m] = at;
        for (int k = 0; k < DEMO_NKINDS; k++) {
            const demo_kind *kd = &demo_kinds[k];
            uint64_t lo = (uint64_t)gen * before / (wsum * DEMO_MONTHS);
            before += kd->weight;
            uint64_t hi = (uint64_t)gen * before / (wsum * DEMO_MONTHS);
            uint32_t first = demo_below(c, kd->nvariants);
            for (uint64_t j = 0; j < hi - lo; j++, at++) {
                demo_update *u = &c->u[at];
                bool on_pt = kd->patch_tuesday && j < kd->nvariants;
                u->ci_id = DEMO_FIRST_CI_ID + at;
                u->kind = (uint8_t)k;
                u->variant = (uint8_t)((first + j) % kd->nvariants);
                u->month = (int16_t)m;
                plan_one(c, u, win_kb, office_kb,
                         on_pt ? pt : 1 + demo_below(c, ndays),
                         on_pt ? 18 : demo_below(c, 24));
            }
        }
    }
    c->month_start[DEMO_MONTHS] = at;
}

/* Series order: kind, variant, DatePosted, CI_ID. */
typedef struct series_key {
    uint32_t kind_variant; /* kind << 8 | variant */
    int64_t posted;        /* DatePosted */
    uint32_t idx;          /* index into the plan (CI_ID order) */
} series_key;

static int series_cmp(const void *a, const void *b)
{
    const series_key *x = a, *y = b;
    if (x->kind_variant != y->kind_variant)
        return x->kind_variant < y->kind_variant ? -1 : 1;
    if (x->posted != y->posted)
        return x->posted < y->posted ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Fisher-Yates over idx[0..n). */
static void shuffle(demo_ctx *c, uint32_t *idx, uint32_t n)
{
    for (uint32_t i = n; i > 1; i--) {
        uint32_t j = demo_below(c, i);
        uint32_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

/*
 * Supersedence: an update can be superseded only by the next one of its
 * series; DEMO_SUPERSEDED_PCT of all updates are, chosen at random among
 * those that have a successor, so chains form where neighbours are both
 * chosen.  DEMO_EXPIRED_PCT are expired, chosen among the superseded.
 */
static int plan_supersedence(demo_ctx *c)
{
    series_key *keys = util_calloc(c->n ? c->n : 1, sizeof(*keys));
    uint32_t *cand = util_calloc(c->n ? c->n : 1, sizeof(*cand));
    uint32_t ncand = 0, nsup = 0;
    int rc = 0;
    if (keys == NULL || cand == NULL) {
        rc = util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < c->n; i++)
        keys[i] = (series_key){(uint32_t)c->u[i].kind << 8 | c->u[i].variant,
                               c->u[i].posted, i};
    qsort(keys, c->n, sizeof(*keys), series_cmp);
    for (uint32_t i = 0; i + 1 < c->n; i++)
        if (keys[i].kind_variant == keys[i + 1].kind_variant) {
            c->u[keys[i].idx].successor = (int32_t)keys[i + 1].idx;
            cand[ncand++] = keys[i].idx;
        }
    shuffle(c, cand, ncand);
    uint32_t want = (uint32_t)((uint64_t)c->n * DEMO_SUPERSEDED_PCT / 100);
    for (; nsup < ncand && nsup < want; nsup++)
        c->u[cand[nsup]].superseded = true;
    uint32_t expired = (uint32_t)((uint64_t)c->n * DEMO_EXPIRED_PCT / 100);
    for (uint32_t i = 0; i < nsup && i < expired; i++)
        c->u[cand[i]].expired = true;
out:
    util_free(keys);
    util_free(cand);
    return rc;
}

/*
 * The update group (and so the deployment, the package and IsDeployed /
 * IsContentProvisioned): the newest current security and critical updates.
 * Compliance rows go to the group, the pinned current updates and further
 * recent Windows updates up to DEMO_COMPLIANCE_MAX.
 */
static void plan_site(demo_ctx *c)
{
    uint32_t ncomp = 0;
    for (uint32_t i = c->n; i > 0 && c->ngroup < DEMO_GROUP_MAX; i--) {
        demo_update *u = &c->u[i - 1];
        int cls = demo_kinds[u->kind].classification;
        if (u->superseded || u->expired || u->pinned || demo_os_mask(u) == 0 ||
            (cls != CLS_SECURITY && cls != CLS_CRITICAL))
            continue;
        u->deployed = true;
        u->compliance = true;
        c->group[c->ngroup++] = i - 1;
        ncomp++;
    }
    for (uint32_t i = 0; i < c->n && i < DEMO_PINNED; i++)
        if (demo_os_mask(&c->u[i]) != 0 && !c->u[i].compliance) {
            c->u[i].compliance = true;
            ncomp++;
        }
    for (uint32_t i = c->n; i > 0 && ncomp < DEMO_COMPLIANCE_MAX; i--) {
        demo_update *u = &c->u[i - 1];
        if (u->compliance || demo_os_mask(u) == 0 ||
            demo_cats[demo_kinds[u->kind].product].parent != FAM_WINDOWS)
            continue;
        u->compliance = true;
        ncomp++;
    }
}

/* Plans in memory, then writes in one transaction (see demo_data.h). */
int demo_generate(provider *p, const demo_opts *o, smsprov_error *err)
{
    demo_ctx c;
    store *db = provider_store(p);
    int rc;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.o = o;
    c.err = err;
    c.rng = o->seed;
    c.n = o->updates;
    c.site = provider_site_code(p);
    c.started = util_now_us();
    if (o->updates == 0 || o->updates > DEMO_MAX_UPDATES)
        return util_error_set(err, SMSPROV_EOUT_OF_RANGE, -1,
                              "the number of updates must be 1..%d",
                              DEMO_MAX_UPDATES);
    c.u = util_calloc(c.n, sizeof(*c.u));
    if (c.u == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    demo_guid(&c, c.site_guid);
    for (int i = 0; i < DEMO_NEVULAS; i++)
        demo_guid(&c, c.eula_guid[i]);
    plan_updates(&c);
    rc = plan_supersedence(&c);
    if (rc != 0)
        goto out;
    if (o->devices)
        plan_site(&c);
    demo_progress(&c, "planned %u updates", c.n);
    rc = store_begin(db, err);
    if (rc != 0)
        goto out;
    rc = demo_write_categories(&c);
    if (rc == 0)
        rc = demo_write_eulas(&c);
    if (rc == 0)
        rc = demo_write_updates(&c);
    if (rc == 0)
        rc = demo_write_relations(&c);
    if (rc == 0 && o->devices)
        rc = demo_write_site(&c);
    if (rc == 0 && o->images)
        rc = demo_write_images(&c);
    if (rc == 0)
        rc = demo_write_provider_location(&c);
    if (rc == 0)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    if (rc == 0)
        demo_progress(&c, "committed %llu instances",
                      (unsigned long long)c.writes);
out:
    util_free(c.u);
    return rc;
}
