/* SPDX-License-Identifier: MIT */
/*
 * The merged update record and the small conversions every reader needs:
 * GUIDs, base64 digests, xsd:dateTime, category types and names, language
 * tags to LCIDs, MsrcSeverity to ConfigMgr's Severity.
 */
#include <string.h>

#include "sum/sum_int.h"

void sum_strlcpy(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (n == 0)
        return;
    if (l >= n)
        l = n - 1;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

void sum_update_init(sum_update *u, util_arena *a)
{
    memset(u, 0, sizeof(*u));
    u->a = a;
    u->cat_type = SUM_CAT_UNKNOWN;
    u->created = INT64_MIN;
    u->max_size = -1;
}

/* Grows an arena array of elements of size sz to hold one more. */
static void *grow(util_arena *a, void *items, uint32_t n, uint32_t *cap,
                  size_t sz)
{
    if (n < *cap)
        return items;
    uint32_t nc = *cap ? *cap * 2 : 4;
    void *ni = util_arena_alloc(a, (size_t)nc * sz);
    if (ni == NULL)
        return NULL;
    if (n)
        memcpy(ni, items, (size_t)n * sz);
    *cap = nc;
    return ni;
}

int sum_strv_push(util_arena *a, sum_strv *v, const char *s, size_t n)
{
    const char **nv = grow(a, (void *)v->v, v->n, &v->cap, sizeof(*v->v));
    char *c = util_arena_strndup(a, s, n);
    if (nv == NULL || c == NULL)
        return SMSPROV_ENOMEM;
    v->v = nv;
    v->v[v->n++] = c;
    return 0;
}

sum_loc *sum_update_loc(sum_update *u, const char *lang, size_t n)
{
    for (uint32_t i = 0; i < u->nlocs; i++)
        if (util_streq_slice(u->locs[i].lang, lang, n))
            return &u->locs[i];
    sum_loc *nl = grow(u->a, u->locs, u->nlocs, &u->caplocs, sizeof(*nl));
    char *l = util_arena_strndup(u->a, lang, n);
    if (nl == NULL || l == NULL)
        return NULL;
    u->locs = nl;
    sum_loc *r = &u->locs[u->nlocs++];
    memset(r, 0, sizeof(*r));
    for (char *c = l; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    r->lang = l;
    return r;
}

sum_file *sum_update_file(sum_update *u)
{
    sum_file *nf = grow(u->a, u->files, u->nfiles, &u->capfiles, sizeof(*nf));
    if (nf == NULL)
        return NULL;
    u->files = nf;
    sum_file *f = &u->files[u->nfiles++];
    memset(f, 0, sizeof(*f));
    f->size = -1;
    f->modified = INT64_MIN;
    return f;
}

int sum_update_cat(sum_update *u, sum_cat_type t, const char *guid, size_t n)
{
    char g[SUM_GUID_LEN + 1];
    if (!sum_guid_norm(guid, n, g))
        return 0; /* not a GUID: ignored */
    for (uint32_t i = 0; i < u->ncats; i++)
        if (strcmp(u->cats[i].guid, g) == 0)
            return 0;
    sum_catref *nc = grow(u->a, u->cats, u->ncats, &u->capcats, sizeof(*nc));
    char *c = util_arena_strdup(u->a, g);
    if (nc == NULL || c == NULL)
        return SMSPROV_ENOMEM;
    u->cats = nc;
    u->cats[u->ncats].type = t;
    u->cats[u->ncats].guid = c;
    u->ncats++;
    return 0;
}

bool sum_guid_norm(const char *s, size_t n, char out[SUM_GUID_LEN + 1])
{
    if (n == SUM_GUID_LEN + 2 && s[0] == '{' && s[n - 1] == '}') {
        s++;
        n -= 2;
    }
    if (n != SUM_GUID_LEN)
        return false;
    char tmp[SUM_GUID_LEN + 1]; /* out is untouched unless s is a GUID */
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : util_hexval(s[i]) < 0)
            return false;
        tmp[i] = (char)(s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 'a' : s[i]);
    }
    tmp[n] = '\0';
    memcpy(out, tmp, sizeof(tmp));
    return true;
}

static const char *const cat_names[SUM_NCAT_TYPES] = {
    "Company", "ProductFamily", "Product", "UpdateClassification"};

sum_cat_type sum_cat_type_parse(const char *s)
{
    for (int i = 0; i < SUM_NCAT_TYPES; i++)
        if (util_stricmp(s, cat_names[i]) == 0)
            return (sum_cat_type)i;
    return SUM_CAT_UNKNOWN;
}

const char *sum_cat_type_name(sum_cat_type t)
{
    return t >= 0 && t < SUM_NCAT_TYPES ? cat_names[t] : "Product";
}

/* Categories whose GUIDs are fixed across every Microsoft Update catalog
 * (public knowledge; used when the catalog carries no Category update). */
static const struct {
    const char *guid;
    sum_cat_type type;
    const char *name;
} known_cats[] = {
    {"56309036-4c77-4dd9-951a-99ee9c246a94", SUM_CAT_COMPANY, "Microsoft"},
    {"6964aab4-c5b5-43bd-a17d-ffb4346a8e1d", SUM_CAT_PRODUCT_FAMILY, "Windows"},
    {"0fa1201d-4330-4fa8-8ae9-b877473b6441", SUM_CAT_CLASSIFICATION,
     "Security Updates"},
    {"e6cf1350-c01b-414d-a61f-263d14d133b4", SUM_CAT_CLASSIFICATION,
     "Critical Updates"},
    {"e0789628-ce08-4437-be74-2495b842f43b", SUM_CAT_CLASSIFICATION,
     "Definition Updates"},
    {"cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83", SUM_CAT_CLASSIFICATION, "Updates"},
    {"28bc880e-0592-4cbf-8f95-c79b17911d5f", SUM_CAT_CLASSIFICATION,
     "Update Rollups"},
    {"68c5b0a3-d1a6-4553-ae49-01d3a7827828", SUM_CAT_CLASSIFICATION,
     "Service Packs"},
    {"b54e7d24-7add-428f-8b75-90a396fa584f", SUM_CAT_CLASSIFICATION,
     "Feature Packs"},
    {"b4832bd8-e735-4761-8daf-37f882276dab", SUM_CAT_CLASSIFICATION, "Tools"},
    {"ebfc1fc5-71a4-4f7b-9aca-3b9a503104a0", SUM_CAT_CLASSIFICATION, "Drivers"},
    {"3689bdc8-b205-4af4-8d4a-a63924c5e9d5", SUM_CAT_CLASSIFICATION,
     "Upgrades"},
};

const char *sum_cat_known(const char *guid, sum_cat_type *type)
{
    for (size_t i = 0; i < sizeof(known_cats) / sizeof(known_cats[0]); i++)
        if (strcmp(known_cats[i].guid, guid) == 0) {
            if (type)
                *type = known_cats[i].type;
            return known_cats[i].name;
        }
    return NULL;
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

bool sum_b64_hex(const char *b64, char *out, size_t outsz)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (const char *c = b64; *c && *c != '='; c++) {
        int v = b64val(*c);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned byte = (acc >> bits) & 0xff;
            if (o + 3 > outsz)
                return false;
            out[o++] = hex[byte >> 4];
            out[o++] = hex[byte & 15];
        }
    }
    if (o == 0 || o >= outsz)
        return false;
    out[o] = '\0';
    return true;
}

/* Parses n digits at s into *v. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

bool sum_xsd_datetime(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    size_t n = strlen(s);
    if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 ||
        d > 31)
        return false;
    const char *t = s + 10;
    if (*t == 'T' || *t == ' ') {
        if (strlen(t) < 9 || !digits(t + 1, 2, &h) || t[3] != ':' ||
            !digits(t + 4, 2, &mi) || t[6] != ':' || !digits(t + 7, 2, &se) ||
            h > 23 || mi > 59 || se > 60)
            return false;
        t += 9;
    }
    int64_t us = 0;
    if (*t == '.') {
        int64_t scale = 100000;
        for (t++; *t >= '0' && *t <= '9'; t++) {
            us += (*t - '0') * scale;
            scale /= 10;
        }
    }
    int64_t off = 0;
    if (*t == '+' || *t == '-') {
        int oh, om;
        if (strlen(t) < 6 || !digits(t + 1, 2, &oh) || t[3] != ':' ||
            !digits(t + 4, 2, &om))
            return false;
        off = (oh * 60 + om) * (*t == '-' ? -1 : 1);
        t += 6;
    } else if (*t == 'Z') {
        t++;
    }
    if (*t != '\0')
        return false;
    int64_t days = util_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - off * 60;
    *out = secs * 1000000 + us;
    return true;
}

/* Windows LCIDs of the languages the catalog uses (l/<lang>). */
static const struct {
    const char *tag;
    uint32_t lcid;
} lcids[] = {
    {"en", 1033},    {"en-us", 1033}, {"en-gb", 2057}, {"de", 1031},
    {"de-de", 1031}, {"fr", 1036},    {"fr-fr", 1036}, {"es", 3082},
    {"es-es", 3082}, {"it", 1040},    {"it-it", 1040}, {"ja", 1041},
    {"ja-jp", 1041}, {"ko", 1042},    {"ko-kr", 1042}, {"nl", 1043},
    {"nl-nl", 1043}, {"pl", 1045},    {"pl-pl", 1045}, {"pt-br", 1046},
    {"pt", 2070},    {"pt-pt", 2070}, {"ru", 1049},    {"ru-ru", 1049},
    {"sv", 1053},    {"sv-se", 1053}, {"tr", 1055},    {"tr-tr", 1055},
    {"zh-cn", 2052}, {"zh-tw", 1028}, {"zh-hk", 3076}, {"cs", 1029},
    {"cs-cz", 1029}, {"da", 1030},    {"da-dk", 1030}, {"fi", 1035},
    {"fi-fi", 1035}, {"el", 1032},    {"el-gr", 1032}, {"hu", 1038},
    {"hu-hu", 1038}, {"nb", 1044},    {"no", 1044},    {"nb-no", 1044},
    {"ar", 1025},    {"ar-sa", 1025}, {"he", 1037},    {"he-il", 1037},
    {"uk", 1058},    {"uk-ua", 1058}, {"th", 1054},    {"th-th", 1054},
};

uint32_t sum_locale_lcid(const char *tag)
{
    if (tag == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(lcids) / sizeof(lcids[0]); i++)
        if (util_stricmp(lcids[i].tag, tag) == 0)
            return lcids[i].lcid;
    return 0;
}

uint32_t sum_severity(const char *msrc)
{
    static const struct {
        const char *name;
        uint32_t sev;
    } sev[] = {{"Critical", 10}, {"Important", 8}, {"Moderate", 6}, {"Low", 2}};
    if (msrc == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(sev) / sizeof(sev[0]); i++)
        if (util_stricmp(sev[i].name, msrc) == 0)
            return sev[i].sev;
    return 0;
}

const char *sum_handler_name(const char *uri)
{
    if (uri == NULL || uri[0] == '\0')
        return NULL;
    const char *slash = strrchr(uri, '/');
    return slash != NULL && slash[1] != '\0' ? slash + 1 : uri;
}
