/* SPDX-License-Identifier: MIT */
/*
 * Applicability of an update to one image index, the UpdateStatus of
 * SMS_ImageUpdateStatus:
 *
 *   0 Unknown       the index's OS could not be read, or the update names
 *                   no product at all
 *   1 Not Required  another product, architecture or version; or an
 *                   update that supersedes it is installed
 *   2 Installed     its KB is installed (servicing package) or staged
 *   3 Applicable    CBS update for this OS, not installed, build
 *                   supported for offline servicing
 *   4 Applicability check not supported            not CBS, or build
 *   5 Installed applicability check not supported  not supported
 *
 * Windows decides applicability by evaluating each update's rules against
 * a running system; offline, ConfigMgr (and smsprov) decide from the
 * product, architecture, version and the installed packages.  docs/image.md
 * lists the rules.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image_int.h"

/* Product names (catalog Product categories) of each Windows release. */
typedef struct family_row {
    uint32_t major, minor, build_lo, build_hi;
    bool server;
    const char *names[2];
} family_row;

static const family_row families[] = {
    {6, 1, 7600, 7601, false, {"Windows 7", NULL}},
    {6, 1, 7600, 7601, true, {"Windows Server 2008 R2", NULL}},
    {6, 2, 9200, 9200, false, {"Windows 8", NULL}},
    {6, 2, 9200, 9200, true, {"Windows Server 2012", NULL}},
    {6, 3, 9600, 9600, false, {"Windows 8.1", NULL}},
    {6, 3, 9600, 9600, true, {"Windows Server 2012 R2", NULL}},
    {10, 0, 10240, 19999, false, {"Windows 10", NULL}},
    {10, 0, 22000, 29999, false, {"Windows 11", NULL}},
    {10, 0, 14393, 14393, true, {"Windows Server 2016", NULL}},
    {10, 0, 17763, 17763, true, {"Windows Server 2019", NULL}},
    {10,
     0,
     20348,
     20348,
     true,
     {"Windows Server 2022", "Microsoft Server operating system-21H2"}},
    {10,
     0,
     26100,
     26100,
     true,
     {"Windows Server 2025", "Microsoft Server operating system-24H2"}},
};
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* Does catalog product name `cat` name release `family`?  Equal, or the
 * family followed by ", version ..." ("Windows 10, version 1903 and
 * later"). */
static bool names_family(const char *cat, const char *family)
{
    size_t n = strlen(family);
    return util_strnicmp(cat, family, n) == 0 &&
           (cat[n] == '\0' || cat[n] == ',');
}

int image_arch_in_text(const char *s)
{
    if (s == NULL)
        return IMAGE_ARCH_UNKNOWN;
    if (strcasestr(s, "arm64") != NULL)
        return IMAGE_ARCH_ARM64;
    if (strcasestr(s, "x64") != NULL || strcasestr(s, "amd64") != NULL)
        return IMAGE_ARCH_AMD64;
    if (strcasestr(s, "x86") != NULL || strcasestr(s, "32-bit") != NULL)
        return IMAGE_ARCH_X86;
    return IMAGE_ARCH_UNKNOWN;
}

static int arch_of_name(const char *s)
{
    if (s == NULL)
        return IMAGE_ARCH_UNKNOWN;
    if (util_stricmp(s, "amd64") == 0)
        return IMAGE_ARCH_AMD64;
    if (util_stricmp(s, "x86") == 0)
        return IMAGE_ARCH_X86;
    if (util_stricmp(s, "arm64") == 0)
        return IMAGE_ARCH_ARM64;
    return IMAGE_ARCH_UNKNOWN;
}

/* "Version 23H2" / "version 1809" in a title: the release it is for. */
static bool title_version(const char *title, char out[8])
{
    for (const char *s = title; s && (s = strcasestr(s, "version ")) != NULL;
         s++) {
        const char *v = s + 8;
        size_t n = 0;
        while (n < 6 && isalnum((unsigned char)v[n]))
            n++;
        bool yyhn = n == 4 && isdigit((unsigned char)v[0]) &&
                    isdigit((unsigned char)v[1]) &&
                    (v[2] == 'H' || v[2] == 'h') &&
                    isdigit((unsigned char)v[3]);
        bool yymm = n == 4 && isdigit((unsigned char)v[0]) &&
                    isdigit((unsigned char)v[1]) &&
                    isdigit((unsigned char)v[2]) &&
                    isdigit((unsigned char)v[3]);
        if (yyhn || yymm) {
            memcpy(out, v, 4);
            out[4] = '\0';
            return true;
        }
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return util_stricmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_server(const image_index *ix, const image_os *os)
{
    const char *t = os->install_type ? os->install_type : ix->install_type;
    if (t != NULL && t[0] != '\0')
        return strcasestr(t, "server") != NULL;
    if (ix->product_type != NULL && ix->product_type[0] != '\0')
        return util_stricmp(ix->product_type, "ServerNT") == 0;
    const char *pn = os->product_name ? os->product_name : ix->product_name;
    return pn != NULL && strcasestr(pn, "server") != NULL;
}

/* Appends the KBs of a comma-separated list (SMSPROV/STAGED). */
static int add_staged(util_arena *a, const char **kbs, uint32_t *n,
                      uint32_t cap, const char *list)
{
    while (list != NULL && *list && *n < cap) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        char kb[16];
        char *piece = util_arena_strndup(a, list, len);
        if (piece == NULL)
            return SMSPROV_ENOMEM;
        if (image_kb_find(piece, kb) &&
            (kbs[*n] = util_arena_strdup(a, kb)) != NULL)
            (*n)++;
        list = end ? end + 1 : NULL;
    }
    return 0;
}

int image_target_init(image_target *t, util_arena *a, const image_index *ix,
                      const image_os *os, const image_catalog *c,
                      smsprov_error *err)
{
    memset(t, 0, sizeof(*t));
    t->major = os->has_software_hive && os->major ? os->major : ix->major;
    t->minor = os->has_software_hive && os->major ? os->minor : ix->minor;
    t->build = os->has_software_hive && os->build ? os->build : ix->build;
    t->server = is_server(ix, os);
    t->arch = ix->arch;
    for (uint32_t i = 0; t->arch == IMAGE_ARCH_UNKNOWN && i < os->npkgs; i++)
        t->arch = arch_of_name(os->pkgs[i].arch);
    t->version = os->display_version && os->display_version[0]
                     ? os->display_version
                     : NULL;
    for (size_t i = 0; i < NFAMILIES; i++) {
        const family_row *f = &families[i];
        if (f->server != t->server || f->major != t->major ||
            f->minor != t->minor || t->build < f->build_lo ||
            t->build > f->build_hi)
            continue;
        for (int k = 0; k < 2 && f->names[k] && t->nfamily < IMAGE_MAX_FAMILIES;
             k++)
            t->family[t->nfamily++] = f->names[k];
    }
    t->known = t->build != 0 && t->nfamily > 0;
    char want[48];
    snprintf(want, sizeof(want), "%u.%u.%u", t->major, t->minor, t->build);
    for (uint32_t i = 0; i < c->nplat; i++)
        if (c->plat[i].server == t->server &&
            util_stricmp(c->plat[i].build, want) == 0)
            t->supported = true;

    uint32_t cap =
        os->npkgs + 1 + (ix->staged ? (uint32_t)strlen(ix->staged) / 2 : 0);
    t->kbs = util_arena_alloc(a, cap * sizeof(*t->kbs));
    if (t->kbs == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (uint32_t i = 0; i < os->npkgs; i++)
        if (os->pkgs[i].installed && os->pkgs[i].kb && os->pkgs[i].kb[0])
            t->kbs[t->nkbs++] = os->pkgs[i].kb;
    if (add_staged(a, t->kbs, &t->nkbs, cap, ix->staged) != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    qsort(t->kbs, t->nkbs, sizeof(*t->kbs), cmp_str);
    return 0;
}

bool image_target_has_kb(const image_target *t, const char *kb)
{
    if (kb == NULL || kb[0] == '\0' || t->nkbs == 0)
        return false;
    return bsearch(&kb, t->kbs, t->nkbs, sizeof(*t->kbs), cmp_str) != NULL;
}

/* Is an update that supersedes u, directly or down a chain (A supersedes
 * B supersedes u; expired links count), installed in t? */
static bool superseded_here(const image_target *t, const image_catalog *c,
                            const image_update *u, int depth)
{
    if (depth >= IMAGE_SUPERSEDE_DEPTH)
        return false; /* a cycle in the catalog, or an absurd chain */
    for (uint32_t i = 0; i < u->nsup; i++) {
        const image_update *s = image_catalog_find(c, u->superseded_by[i]);
        if (s != NULL && (image_target_has_kb(t, s->kb) ||
                          superseded_here(t, c, s, depth + 1)))
            return true;
    }
    return false;
}

int image_match(const image_target *t, const image_catalog *c,
                const image_update *u)
{
    if (!t->known)
        return IMAGE_ST_UNKNOWN;
    if (u->ncats == 0)
        return IMAGE_ST_UNKNOWN; /* no product to judge by */
    bool ours = false;
    for (uint32_t i = 0; i < u->ncats && !ours; i++)
        for (uint32_t k = 0; k < t->nfamily; k++)
            ours |= names_family(u->cats[i], t->family[k]);
    if (!ours)
        return IMAGE_ST_NOT_REQUIRED;
    if (u->arch != IMAGE_ARCH_UNKNOWN && t->arch != IMAGE_ARCH_UNKNOWN &&
        u->arch != t->arch)
        return IMAGE_ST_NOT_REQUIRED;
    char v[8];
    if (t->version != NULL && title_version(u->title, v) &&
        util_stricmp(v, t->version) != 0)
        return IMAGE_ST_NOT_REQUIRED;
    bool checkable = u->offline && t->supported;
    if (image_target_has_kb(t, u->kb))
        return checkable ? IMAGE_ST_INSTALLED
                         : IMAGE_ST_INSTALLED_CHECK_NOT_SUPPORTED;
    if (superseded_here(t, c, u, 0))
        return IMAGE_ST_NOT_REQUIRED;
    return checkable ? IMAGE_ST_APPLICABLE : IMAGE_ST_CHECK_NOT_SUPPORTED;
}
