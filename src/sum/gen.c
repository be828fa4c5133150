/* SPDX-License-Identifier: MIT */
/*
 * Synthetic wsusscn2 catalogs for tests and the bench: the same formats as
 * the real one (index.xml, package.xml, c/ x/ l/ fragments), written as an
 * extracted directory (dir mode) or as a real wsusscn2.cab with nested
 * cabinets (cab mode; members stored uncompressed, see cabw.c).  Shape per
 * 100 updates, roughly as in the 2026 catalog: 33 bundles with 1-2 leaf
 * children, 10 superseded, 2 detectoids, 1 with a EULA, about 80 payload
 * files, 2 prerequisites each.  Deterministic from the seed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sum/sum_gen.h"
#include "sum/sum_int.h"

#define GEN_PRODUCTS 40
#define GEN_FAMILIES 3
#define GEN_FIRST_REV 1000000
#define GEN_REV_STEP 3
#define GEN_COMPANY "56309036-4c77-4dd9-951a-99ee9c246a94"

static const char *const classes[] = {
    "0fa1201d-4330-4fa8-8ae9-b877473b6441", /* Security Updates */
    "e6cf1350-c01b-414d-a61f-263d14d133b4", /* Critical Updates */
    "cd5ffd1e-e932-4e3a-bf74-18bf0b1bbd83", /* Updates */
    "e0789628-ce08-4437-be74-2495b842f43b", /* Definition Updates */
    "28bc880e-0592-4cbf-8f95-c79b17911d5f", /* Update Rollups */
};
#define GEN_NCLASSES 5
static const char *const sev[] = {"Critical", "Important", "Moderate", "Low"};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Deterministic GUID of (kind, index). */
static void guid(char out[SUM_GUID_LEN + 1], uint64_t seed, int kind,
                 uint64_t i)
{
    uint64_t a = mix(seed * 31 + (uint64_t)kind * 1000003 + i);
    uint64_t b = mix(a ^ 0x9e3779b97f4a7c15ULL);
    snprintf(out, SUM_GUID_LEN + 1, "%08x-%04x-%04x-%04x-%012llx",
             (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
             (unsigned)a & 0xffff, (unsigned)(b >> 48),
             (unsigned long long)(b & 0xffffffffffffULL));
}

/* Base64 of n pseudo-random bytes. */
static void b64(char *out, uint64_t seed, size_t n)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char bytes[64];
    for (size_t i = 0; i < n; i++)
        bytes[i] = (unsigned char)(mix(seed + i) & 0xff);
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)bytes[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < n)
            v |= bytes[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
}

/* What the generator decides about update k. */
typedef struct gen_upd {
    char uid[SUM_GUID_LEN + 1];
    int64_t rev;
    uint32_t revnum;
    bool bundle, child, detectoid, eula;
    int product, cls, nfiles;
    int64_t bundled_by;    /* RevisionId or 0 */
    int64_t superseded_by; /* RevisionId or 0 */
} gen_upd;

/* Category records come first: company, families, products, classes. */
#define GEN_NCATS (1 + GEN_FAMILIES + GEN_PRODUCTS + GEN_NCLASSES)

static int64_t rev_of(uint64_t k)
{
    return GEN_FIRST_REV + (int64_t)(k + GEN_NCATS) * GEN_REV_STEP;
}

static bool dropped(const sum_gen_options *o, uint64_t k)
{
    return o->drop_every > 0 && k % o->drop_every == o->drop_every - 1;
}

static void plan(gen_upd *u, const sum_gen_options *o, uint64_t k)
{
    memset(u, 0, sizeof(*u));
    guid(u->uid, o->seed, 1, k);
    u->rev = rev_of(k);
    u->revnum = 200 + (o->revision_bump && k % o->revision_bump == 0 ? 1 : 0);
    if (o->revision_bump)
        u->rev += 1; /* a new revision has a new RevisionId */
    uint64_t h = mix(o->seed ^ (k * 7919));
    u->detectoid = k % 50 == 49;
    u->bundle = !u->detectoid && k % 3 == 0;
    u->child = !u->detectoid && !u->bundle && (k % 3 == 1 || k % 6 == 2);
    if (u->child) {
        uint64_t parent = k - (k % 3);
        u->bundled_by = rev_of(parent) + (o->revision_bump ? 1 : 0);
    }
    u->product = (int)(h % GEN_PRODUCTS);
    u->cls = (int)((h >> 8) % GEN_NCLASSES);
    u->eula = k % 100 == 7;
    u->nfiles = u->bundle || u->detectoid ? 0 : (h >> 16) % 10 == 0 ? 2 : 1;
    if (k % 10 == 3 && k + 9 < o->n && !dropped(o, k + 9))
        u->superseded_by = rev_of(k + 9) + (o->revision_bump ? 1 : 0);
}

/* ---- writers --------------------------------------------------------------
 */

static void pkg_category(util_buf *b, const char *type, const char *id)
{
    util_buf_printf(b, "<Category Type=\"%s\" Id=\"%s\"/>", type, id);
}

static void prod_guid(char g[SUM_GUID_LEN + 1], const sum_gen_options *o, int p)
{
    guid(g, o->seed, 2, (uint64_t)p);
}

static void fam_guid(char g[SUM_GUID_LEN + 1], const sum_gen_options *o, int f)
{
    if (f == 0)
        snprintf(g, SUM_GUID_LEN + 1, "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d");
    else
        guid(g, o->seed, 3, (uint64_t)f);
}

static void det_guid(char g[SUM_GUID_LEN + 1], const sum_gen_options *o,
                     uint64_t k)
{
    /* detectoid prerequisites point at the detectoid updates of the
     * catalog (every 50th update) */
    uint64_t d = (k / 50) * 50 + 49;
    if (d >= o->n)
        d = 49 < o->n ? 49 : 0;
    guid(g, o->seed, 1, d);
}

/* The <Update> element of package.xml for update k. */
static void pkg_update(util_buf *b, const sum_gen_options *o, const gen_upd *u,
                       uint64_t k)
{
    char pg[SUM_GUID_LEN + 1], fg[SUM_GUID_LEN + 1], dg[SUM_GUID_LEN + 1];
    prod_guid(pg, o, u->product);
    fam_guid(fg, o, u->product % GEN_FAMILIES);
    det_guid(dg, o, k);
    util_buf_printf(
        b,
        "<Update CreationDate=\"2025-%02d-%02dT10:00:00Z\" "
        "DefaultLanguage=\"en\" UpdateId=\"%s\" "
        "RevisionNumber=\"%u\" RevisionId=\"%lld\" IsLeaf=\"true\"%s%s>",
        (int)(k % 12) + 1, (int)(k % 28) + 1, u->uid, u->revnum,
        (long long)u->rev, u->bundle ? " IsBundle=\"true\"" : "",
        u->child ? " DeploymentAction=\"Bundle\"" : "");
    if (!u->detectoid) {
        util_buf_puts(b, "<Categories>");
        pkg_category(b, "Company", GEN_COMPANY);
        pkg_category(b, "ProductFamily", fg);
        pkg_category(b, "Product", pg);
        pkg_category(b, "UpdateClassification", classes[u->cls]);
        util_buf_puts(b, "</Categories><Prerequisites>");
        util_buf_printf(b,
                        "<UpdateId Id=\"%s\"/><Or><UpdateId Id=\"%s\"/>"
                        "<UpdateId Id=\"%s\"/></Or>",
                        dg, pg, classes[u->cls]);
        util_buf_puts(b, "</Prerequisites>");
    }
    if (u->bundled_by)
        util_buf_printf(b, "<BundledBy><Revision Id=\"%lld\"/></BundledBy>",
                        (long long)u->bundled_by);
    if (u->superseded_by)
        util_buf_printf(b,
                        "<SupersededBy><Revision Id=\"%lld\"/>"
                        "</SupersededBy>",
                        (long long)u->superseded_by);
    if (u->nfiles) {
        util_buf_puts(b, "<PayloadFiles>");
        for (int f = 0; f < u->nfiles; f++) {
            char d[64];
            b64(d, o->seed * 77 + k * 4 + (uint64_t)f, 20);
            util_buf_printf(b, "<File Id=\"%s\"/>", d);
        }
        util_buf_puts(b, "</PayloadFiles>");
    }
    if (u->eula) {
        char d[64];
        b64(d, o->seed * 91 + k, 20);
        util_buf_printf(b,
                        "<EulaFiles><File Id=\"%s\"><Language Name=\"en\"/>"
                        "</File></EulaFiles>",
                        d);
    }
    util_buf_puts(b, "</Update>");
}

/* c/<rev>. */
static void frag_core(util_buf *b, const sum_gen_options *o, const gen_upd *u,
                      uint64_t k)
{
    char pg[SUM_GUID_LEN + 1], dg[SUM_GUID_LEN + 1];
    prod_guid(pg, o, u->product);
    det_guid(dg, o, k);
    util_buf_reset(b);
    util_buf_printf(
        b,
        "<UpdateIdentity UpdateID=\"%s\" RevisionNumber=\"%u\" />"
        "<Properties UpdateType=\"%s\" ExplicitlyDeployable=\"true\" "
        "AutoSelectOnWebSites=\"true\" /><Relationships>",
        u->uid, u->revnum, u->detectoid ? "Detectoid" : "Software");
    if (!u->detectoid) {
        if (k % 10 == 2 && k >= 9) { /* forward supersedence too */
            char sg[SUM_GUID_LEN + 1];
            guid(sg, o->seed, 1, k - 9);
            util_buf_printf(b,
                            "<SupersededUpdates><UpdateIdentity "
                            "UpdateID=\"%s\" /></SupersededUpdates>",
                            sg);
        }
        util_buf_printf(b,
                        "<Prerequisites><UpdateIdentity UpdateID=\"%s\" />"
                        "<AtLeastOne IsCategory=\"true\"><UpdateIdentity "
                        "UpdateID=\"%s\" /></AtLeastOne><AtLeastOne "
                        "IsCategory=\"true\"><UpdateIdentity UpdateID=\"%s\" />"
                        "</AtLeastOne></Prerequisites>",
                        dg, classes[u->cls], pg);
        if (u->bundle) {
            util_buf_puts(b, "<BundledUpdates>");
            for (uint64_t c = k + 1; c <= k + 2 && c < o->n; c++) {
                if ((c % 3 == 1 || c % 6 == 2) && c % 50 != 49 &&
                    !dropped(o, c)) {
                    char cg[SUM_GUID_LEN + 1];
                    guid(cg, o->seed, 1, c);
                    util_buf_printf(b,
                                    "<UpdateIdentity UpdateID=\"%s\" "
                                    "RevisionNumber=\"200\" />",
                                    cg);
                }
            }
            util_buf_puts(b, "</BundledUpdates>");
        }
    }
    util_buf_printf(b,
                    "</Relationships><ApplicabilityRules><IsInstalled>"
                    "<b.WindowsVersion Comparison=\"GreaterThanOrEqualTo\" "
                    "MajorVersion=\"10\" MinorVersion=\"0\" BuildNumber=\"%u\" "
                    "/></IsInstalled></ApplicabilityRules>",
                    (unsigned)(19041 + k % 4000));
}

/* x/<rev>. */
static void frag_ext(util_buf *b, const sum_gen_options *o, const gen_upd *u,
                     uint64_t k)
{
    util_buf_reset(b);
    int64_t size = 1000000 + (int64_t)(mix(k) % 400000000);
    util_buf_printf(b,
                    "<ExtendedProperties DefaultPropertiesLanguage=\"en\" "
                    "Handler=\"http://schemas.microsoft.com/msus/2002/12/"
                    "UpdateHandlers/Cbs\" MaxDownloadSize=\"%lld\" "
                    "MinDownloadSize=\"0\"",
                    (long long)(u->nfiles ? size : 0));
    if (u->cls == 0)
        util_buf_printf(b, " MsrcSeverity=\"%s\"", sev[k % 4]);
    util_buf_printf(
        b,
        "><InstallationBehavior RebootBehavior=\"CanRequestReboot\" />"
        "<SupportUrl>https://support.microsoft.com/help/%llu"
        "</SupportUrl>",
        (unsigned long long)(5000000 + k));
    if (u->cls == 0 && k % 7 == 0)
        util_buf_printf(b,
                        "<SecurityBulletinID>MS%02u-%03u</SecurityBulletinID>",
                        (unsigned)(k % 17) + 10, (unsigned)(k % 999) + 1);
    util_buf_printf(b, "<KBArticleID>%llu</KBArticleID></ExtendedProperties>",
                    (unsigned long long)(5000000 + k));
    if (u->nfiles) {
        util_buf_puts(b, "<Files>");
        for (int f = 0; f < u->nfiles; f++) {
            char d1[64], d2[64];
            b64(d1, o->seed * 77 + k * 4 + (uint64_t)f, 20);
            b64(d2, o->seed * 79 + k * 4 + (uint64_t)f, 32);
            util_buf_printf(b,
                            "<File Digest=\"%s\" DigestAlgorithm=\"SHA1\" "
                            "FileName=\"windows10.0-kb%llu-x64%s.cab\" "
                            "Size=\"%lld\" Modified=\"2025-01-01T00:00:00Z\" "
                            "PatchingType=\"SelfContained\"><AdditionalDigest "
                            "Algorithm=\"SHA256\">%s</AdditionalDigest></File>",
                            d1, (unsigned long long)(5000000 + k),
                            f ? "-express" : "", (long long)(size / (f + 1)),
                            d2);
        }
        util_buf_puts(b,
                      "</Files><HandlerSpecificData type=\"cbs:Cbs\">"
                      "<CbsData PackageIdentity=\"\" /></HandlerSpecificData>");
    }
}

/* l/<lang>/<rev>. */
static void frag_loc(util_buf *b, const gen_upd *u, uint64_t k, bool de)
{
    static const char *const kinds[] = {"Security Update", "Critical Update",
                                        "Update", "Definition Update",
                                        "Update Rollup"};
    util_buf_reset(b);
    util_buf_printf(b,
                    "<LocalizedProperties><Language>%s</Language><Title>%s%s "
                    "for Windows 10 Version 22H2 for x64-based Systems "
                    "(KB%llu)</Title><Description>%s. Install this update to "
                    "resolve issues in Windows. For a complete listing of "
                    "the issues that are included in this update, see the "
                    "associated Microsoft Knowledge Base article."
                    "</Description><UninstallNotes>This software update can "
                    "be removed.</UninstallNotes><MoreInfoUrl>"
                    "https://support.microsoft.com/help/%llu</MoreInfoUrl>"
                    "<SupportUrl>https://support.microsoft.com</SupportUrl>"
                    "</LocalizedProperties>",
                    de ? "de" : "en", de ? "(DE) " : "",
                    u->detectoid ? "Detectoid" : kinds[u->cls],
                    (unsigned long long)(5000000 + k),
                    u->bundle ? "Cumulative update" : "Security fix",
                    (unsigned long long)(5000000 + k));
}

/* Category record c (0 company, families, products, classes). */
static void cat_record(const sum_gen_options *o, int c, char g[37],
                       const char **type, char *name, size_t nn,
                       char parent[37])
{
    parent[0] = '\0';
    if (c == 0) {
        snprintf(g, 37, "%s", GEN_COMPANY);
        *type = "Company";
        snprintf(name, nn, "Microsoft");
    } else if (c <= GEN_FAMILIES) {
        fam_guid(g, o, c - 1);
        *type = "ProductFamily";
        snprintf(name, nn, c == 1 ? "Windows" : "Family %d", c - 1);
        snprintf(parent, 37, "%s", GEN_COMPANY);
    } else if (c <= GEN_FAMILIES + GEN_PRODUCTS) {
        int p = c - 1 - GEN_FAMILIES;
        prod_guid(g, o, p);
        *type = "Product";
        snprintf(name, nn, "Product %d", p);
        fam_guid(parent, o, p % GEN_FAMILIES);
    } else {
        int k = c - 1 - GEN_FAMILIES - GEN_PRODUCTS;
        snprintf(g, 37, "%s", classes[k]);
        *type = "UpdateClassification";
        const char *cn = sum_cat_known(classes[k], NULL);
        snprintf(name, nn, "%s", cn ? cn : "Class");
    }
}

/* Emits every member of the detail folder/cab for group [from, to). */
static int write_group(gen_sink *s, const sum_gen_options *o, uint64_t from,
                       uint64_t to, bool with_cats, util_buf *b,
                       smsprov_error *err)
{
    int rc = 0;
    char name[64];
    if (with_cats) {
        for (int c = 0; rc == 0 && c < GEN_NCATS; c++) {
            char g[37], parent[37], nm[64];
            const char *type;
            cat_record(o, c, g, &type, nm, sizeof(nm), parent);
            int64_t rev = GEN_FIRST_REV + c * GEN_REV_STEP;
            util_buf_reset(b);
            util_buf_printf(b,
                            "<UpdateIdentity UpdateID=\"%s\" "
                            "RevisionNumber=\"200\" /><Properties "
                            "UpdateType=\"Category\" />",
                            g);
            if (parent[0])
                util_buf_printf(b,
                                "<Relationships><Prerequisites><AtLeastOne "
                                "IsCategory=\"true\"><UpdateIdentity "
                                "UpdateID=\"%s\" /></AtLeastOne>"
                                "</Prerequisites></Relationships>",
                                parent);
            snprintf(name, sizeof(name), "c/%lld", (long long)rev);
            rc = s->put(s, name, b->data, b->len, err);
            util_buf_reset(b);
            util_buf_printf(b,
                            "<ExtendedProperties "
                            "DefaultPropertiesLanguage=\"en\" />"
                            "<HandlerSpecificData type=\"cat:Category\">"
                            "<CategoryInformation CategoryType=\"%s\" />"
                            "</HandlerSpecificData>",
                            type);
            snprintf(name, sizeof(name), "x/%lld", (long long)rev);
            if (rc == 0)
                rc = s->put(s, name, b->data, b->len, err);
            util_buf_reset(b);
            util_buf_printf(b,
                            "<LocalizedProperties><Language>en</Language>"
                            "<Title>%s</Title></LocalizedProperties>",
                            nm);
            snprintf(name, sizeof(name), "l/en/%lld", (long long)rev);
            if (rc == 0)
                rc = s->put(s, name, b->data, b->len, err);
        }
    }
    for (uint64_t k = from; rc == 0 && k < to; k++) {
        gen_upd u;
        if (dropped(o, k))
            continue;
        plan(&u, o, k);
        frag_core(b, o, &u, k);
        snprintf(name, sizeof(name), "c/%lld", (long long)u.rev);
        rc = s->put(s, name, b->data, b->len, err);
        frag_ext(b, o, &u, k);
        snprintf(name, sizeof(name), "x/%lld", (long long)u.rev);
        if (rc == 0)
            rc = s->put(s, name, b->data, b->len, err);
        frag_loc(b, &u, k, false);
        snprintf(name, sizeof(name), "l/en/%lld", (long long)u.rev);
        if (rc == 0)
            rc = s->put(s, name, b->data, b->len, err);
        if (rc == 0 && o->german) {
            frag_loc(b, &u, k, true);
            snprintf(name, sizeof(name), "l/de/%lld", (long long)u.rev);
            rc = s->put(s, name, b->data, b->len, err);
        }
        if (b->failed)
            rc = util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    return rc;
}

/* package.xml, streamed to f. */
static int write_package(FILE *f, const sum_gen_options *o, util_buf *b,
                         smsprov_error *err)
{
    fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<OfflineSyncPackage "
          "xmlns=\"http://schemas.microsoft.com/msus/2004/02/OfflineSync\" "
          "MinimumClientVersion=\"5.8.0.2678\" ProtocolVersion=\"1.0\" "
          "PackageId=\"00000000-0000-0000-0000-000000000001\" "
          "CreationDate=\"2026-01-01T00:00:00Z\" PackageVersion=\"1.1\">"
          "<Updates>\n",
          f);
    for (int c = 0; c < GEN_NCATS; c++) {
        char g[37], parent[37], nm[64];
        const char *type;
        cat_record(o, c, g, &type, nm, sizeof(nm), parent);
        fprintf(f,
                "<Update CreationDate=\"2015-01-01T00:00:00Z\" "
                "DefaultLanguage=\"en\" UpdateId=\"%s\" RevisionNumber=\"200\" "
                "RevisionId=\"%lld\" IsLeaf=\"true\" />\n",
                g, (long long)(GEN_FIRST_REV + c * GEN_REV_STEP));
    }
    for (uint64_t k = 0; k < o->n; k++) {
        gen_upd u;
        if (dropped(o, k))
            continue;
        plan(&u, o, k);
        util_buf_reset(b);
        pkg_update(b, o, &u, k);
        util_buf_putc(b, '\n');
        fwrite(b->data, 1, b->len, f);
    }
    fputs("</Updates><FileLocations>\n", f);
    for (uint64_t k = 0; k < o->n; k++) {
        gen_upd u;
        if (dropped(o, k))
            continue;
        plan(&u, o, k);
        for (int fi = 0; fi < u.nfiles; fi++) {
            char d[64];
            b64(d, o->seed * 77 + k * 4 + (uint64_t)fi, 20);
            char hex[64];
            sum_b64_hex(d, hex, sizeof(hex));
            fprintf(f,
                    "<FileLocation Id=\"%s\" Url=\"http://download."
                    "windowsupdate.com/c/msdownload/update/software/secu/"
                    "2025/01/windows10.0-kb%llu-x64%s_%s.cab\" />\n",
                    d, (unsigned long long)(5000000 + k), fi ? "-express" : "",
                    hex);
        }
    }
    fputs("</FileLocations></OfflineSyncPackage>\n", f);
    if (ferror(f))
        return util_error_set(err, SMSPROV_EIO, -1,
                              "package.xml: write failed");
    return 0;
}

int sum_gen_catalog(const char *dir, const sum_gen_options *opt,
                    smsprov_error *err)
{
    sum_gen_options o = *opt;
    if (o.per_cab == 0)
        o.per_cab = 2000;
    return sum_gen_write(dir, &o, write_package, write_group, err);
}

/* Group helpers used by the writer backends (cabw.c). */
uint64_t sum_gen_ngroups(const sum_gen_options *o)
{
    return o->n / o->per_cab + 1;
}

int64_t sum_gen_group_start(const sum_gen_options *o, uint64_t g)
{
    return g == 0 ? 0 : rev_of(g * o->per_cab);
}

void sum_gen_mkdir(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return;
}
