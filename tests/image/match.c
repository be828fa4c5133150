/* SPDX-License-Identifier: MIT */
/*
 * Applicability (src/image/match.c) without a database: image_target_init
 * and image_match on hand-built index, OS and catalog structs, one case per
 * UpdateStatus rule (0 Unknown .. 5 Installed, check not supported), the
 * product-name matching of the release families, image_arch_in_text and
 * image_target_has_kb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "image/image_int.h"
#include "util/util.h"

/* The supported platforms the catalog would load (a subset of
 * SMS_SupportedPlatformsOfflineServicing). */
static image_platform plats[] = {
    {"6.2.9200", true},    {"6.3.9600", true},   {"10.0.14393", true},
    {"10.0.19045", false}, {"10.0.20348", true}, {"10.0.22631", false},
};

/* ---- fixtures ------------------------------------------------------------ */

/* One index and the OS read from it; pkgs hold the servicing packages. */
typedef struct fixture {
    image_index ix;
    image_os os;
    image_package pkgs[4];
} fixture;

static void add_pkg(fixture *f, const char *kb, const char *arch,
                    bool installed)
{
    image_package *p = &f->pkgs[f->os.npkgs++];
    memset(p, 0, sizeof(*p));
    p->identity = kb[0] ? "Package_for_KB" : "Microsoft-Windows-Foundation";
    p->full_name = p->identity;
    p->kb = kb;
    p->version = "10.0.22631.2861";
    p->arch = arch;
    p->release = kb[0] ? "Security Update" : "Foundation";
    p->state = installed ? 0x70 : 0x20;
    p->installed = installed;
    f->os.pkgs = f->pkgs;
}

/* A Windows release as the WIM XML and its SOFTWARE hive describe it. */
static void os_make(fixture *f, const char *product, bool server,
                    const char *display, uint32_t major, uint32_t minor,
                    uint32_t build, int arch)
{
    memset(f, 0, sizeof(*f));
    f->ix.index = 1;
    f->ix.name = product;
    f->ix.description = "";
    f->ix.edition = server ? "ServerDatacenter" : "Enterprise";
    f->ix.product_name = product;
    f->ix.install_type = server ? "Server" : "Client";
    f->ix.product_type = server ? "ServerNT" : "WinNT";
    f->ix.arch = arch;
    f->ix.major = major;
    f->ix.minor = minor;
    f->ix.build = build;
    f->ix.languages = "en-US";
    f->ix.default_lang = "en-US";
    f->ix.staged = "";
    f->os.has_software_hive = true;
    f->os.product_name = product;
    f->os.edition = f->ix.edition;
    f->os.install_type = f->ix.install_type;
    f->os.display_version = display;
    f->os.major = major;
    f->os.minor = minor;
    f->os.build = build;
    f->os.ubr = 1;
    f->os.pkgs = f->pkgs;
    add_pkg(f, "", arch == IMAGE_ARCH_X86 ? "x86" : "amd64", true);
}

/* Windows 11 23H2 22631 amd64 with KB5032190 installed. */
static void w11(fixture *f)
{
    os_make(f, "Windows 11 Enterprise", false, "23H2", 10, 0, 22631,
            IMAGE_ARCH_AMD64);
    add_pkg(f, "KB5032190", "amd64", true);
}

/* Windows Server 2022 20348 amd64 with KB5032198 installed. */
static void srv2022(fixture *f)
{
    os_make(f, "Windows Server 2022 Datacenter", true, "21H2", 10, 0, 20348,
            IMAGE_ARCH_AMD64);
    add_pkg(f, "KB5032198", "amd64", true);
}

/* One update; cats is NULL-terminated (NULL: no categories).  arch comes
 * from the title, as the catalog loader does it. */
static image_update upd(int32_t ci, const char *kb, const char *title,
                        const char **cats, bool offline)
{
    image_update u;
    memset(&u, 0, sizeof(u));
    u.ci_id = ci;
    u.title = title;
    snprintf(u.kb, sizeof(u.kb), "%s", kb);
    u.cats = cats;
    while (cats != NULL && cats[u.ncats] != NULL)
        u.ncats++;
    u.arch = image_arch_in_text(title);
    u.offline = offline;
    return u;
}

static const char *cats_w11[] = {"Microsoft", "Windows", "Windows 11",
                                 "Security Updates", NULL};
static const char *cats_w10[] = {"Windows 10, version 1903 and later", NULL};
static const char *cats_srv22[] = {"Windows Server 2022", NULL};
static const char *cats_office[] = {"Microsoft", "Office", "Office 2016",
                                    "Security Updates", NULL};

#define CU_W11 "2023-12 Cumulative Update for Windows 11 Version 23H2 for "

/* The UpdateStatus of u in the index of f, with catalog c (plats when
 * c is NULL). */
static int status_in(const fixture *f, const image_catalog *c,
                     const image_update *u)
{
    image_catalog local = {(image_update *)u, 1, plats,
                           sizeof(plats) / sizeof(plats[0])};
    if (c == NULL)
        c = &local;
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_target t;
    assert_non_null(a);
    assert_int_equal(image_target_init(&t, a, &f->ix, &f->os, c, &err), 0);
    int st = image_match(&t, c, u);
    util_arena_free(a);
    return st;
}

static int status_of(const fixture *f, const image_update *u)
{
    return status_in(f, NULL, u);
}

/* ---- 0 Unknown ----------------------------------------------------------- */

static void test_image_match__unknown_os(void **state)
{
    fixture f;
    (void)state;
    image_update u =
        upd(1, "KB5033375", CU_W11 "x64-based Systems", cats_w11, true);
    /* nothing readable: no hive and no version in the WIM XML */
    w11(&f);
    memset(&f.os, 0, sizeof(f.os));
    f.ix.major = f.ix.minor = f.ix.build = 0;
    f.ix.install_type = f.ix.product_type = f.ix.product_name = "";
    assert_int_equal(status_of(&f, &u), IMAGE_ST_UNKNOWN);
    /* a release no family row describes (Windows XP) */
    os_make(&f, "Windows XP Professional", false, "", 5, 1, 2600,
            IMAGE_ARCH_X86);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_UNKNOWN);
    /* a client build between Windows 10 and 11 */
    os_make(&f, "Windows Insider", false, "", 10, 0, 21000, IMAGE_ARCH_AMD64);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_UNKNOWN);
    /* no hive, but the WIM XML names the release: judged from it */
    w11(&f);
    memset(&f.os, 0, sizeof(f.os));
    f.ix.arch = IMAGE_ARCH_AMD64;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
}

static void test_image_match__no_categories(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    image_update u =
        upd(1, "KB5033375", CU_W11 "x64-based Systems", NULL, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_UNKNOWN);
    /* even when its KB is installed: nothing says which product it is */
    u = upd(1, "KB5032190", "Some update (KB5032190)", NULL, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_UNKNOWN);
}

/* ---- 1 Not Required ------------------------------------------------------ */

static void test_image_match__other_product(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    image_update u = upd(1, "KB5002500",
                         "Security Update for Microsoft Office 2016 "
                         "(KB5002500) 64-Bit Edition",
                         cats_office, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u = upd(2, "KB5033118",
            "2023-12 Cumulative Update for Microsoft server operating "
            "system version 21H2 for x64-based Systems (KB5033118)",
            cats_srv22, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u = upd(3, "KB5032189",
            "2023-11 Cumulative Update for Windows 10 Version 22H2 for "
            "x64-based Systems (KB5032189)",
            cats_w10, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    /* the other way round: a Windows 11 update on Server 2022 */
    srv2022(&f);
    u = upd(4, "KB5033375", CU_W11 "x64-based Systems (KB5033375)", cats_w11,
            true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    /* and a product family name is not a product */
    static const char *family_only[] = {"Windows", NULL};
    w11(&f);
    u = upd(5, "KB5033375", CU_W11 "x64-based Systems", family_only, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
}

static void test_image_match__other_arch(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    image_update u =
        upd(1, "KB5033375", CU_W11 "x86-based Systems", cats_w11, true);
    assert_int_equal(u.arch, IMAGE_ARCH_X86);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u = upd(2, "KB5033375", CU_W11 "ARM64-based Systems", cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    /* another architecture even with its KB installed */
    u = upd(3, "KB5032190", CU_W11 "ARM64-based Systems (KB5032190)", cats_w11,
            true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u = upd(4, "KB5033375", CU_W11 "x64-based Systems", cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* an update that names no architecture fits every index */
    u = upd(5, "KB5033375", "2023-12 Cumulative Update for Windows 11",
            cats_w11, true);
    assert_int_equal(u.arch, IMAGE_ARCH_UNKNOWN);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* the WIM XML lacks ARCH: the packages' processorArchitecture says */
    f.ix.arch = IMAGE_ARCH_UNKNOWN;
    u = upd(6, "KB5033375", CU_W11 "x86-based Systems", cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    /* nothing tells the index's architecture: not held against it */
    for (uint32_t i = 0; i < f.os.npkgs; i++)
        f.pkgs[i].arch = "";
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* an x86 index */
    os_make(&f, "Windows 10 Enterprise", false, "22H2", 10, 0, 19045,
            IMAGE_ARCH_X86);
    u = upd(7, "KB5032189",
            "2023-11 Cumulative Update for Windows 10 Version 22H2 for "
            "x86-based Systems (KB5032189)",
            cats_w10, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    u = upd(8, "KB5032189",
            "2023-11 Cumulative Update for Windows 10 Version 22H2 for "
            "x64-based Systems (KB5032189)",
            cats_w10, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
}

static void test_image_match__other_version(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    image_update u = upd(1, "KB5033372",
                         "2023-12 Cumulative Update for Windows 11 Version "
                         "22H2 for x64-based Systems (KB5033372)",
                         cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u = upd(2, "KB5033375", CU_W11 "x64-based Systems (KB5033375)", cats_w11,
            true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* case does not matter */
    u = upd(3, "KB5033375",
            "2023-12 cumulative update for windows 11 version 23h2", cats_w11,
            true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* a "version" that is no release (YYHN / YYMM) is ignored */
    u = upd(4, "KB5033375", "Windows 11 servicing stack version 2.0 update",
            cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* an index that does not say its release: not held against it */
    f.os.display_version = "";
    u = upd(5, "KB5033372",
            "2023-12 Cumulative Update for Windows 11 Version 22H2 (KB5033372)",
            cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* YYMM releases (Windows 10 1809 and before) */
    os_make(&f, "Windows 10 Enterprise LTSC 2019", false, "1809", 10, 0, 17763,
            IMAGE_ARCH_AMD64);
    static const char *cats[] = {"Windows 10", NULL};
    image_platform p1809[] = {{"10.0.17763", false}};
    u = upd(6, "KB5033371",
            "2023-12 Cumulative Update for Windows 10 Version 1809 for "
            "x64-based Systems (KB5033371)",
            cats, true);
    image_catalog c = {&u, 1, p1809, 1};
    assert_int_equal(status_in(&f, &c, &u), IMAGE_ST_APPLICABLE);
    u = upd(6, "KB5033371",
            "2023-12 Cumulative Update for Windows 10 Version 1607 for "
            "x64-based Systems (KB5033371)",
            cats, true);
    assert_int_equal(status_in(&f, &c, &u), IMAGE_ST_NOT_REQUIRED);
}

static void test_image_match__superseded(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    /* CI 10 (KB5032190) is installed and supersedes CI 5; CI 20
     * (KB5033375, not installed) supersedes CI 6; CI 7 is superseded by a
     * CI the catalog lacks (expired) */
    int32_t by10[] = {10}, by20[] = {20}, by99[] = {99}, by20_10[] = {20, 10};
    image_update u[6];
    u[0] = upd(5, "KB5031455",
               "2023-10 Cumulative Update for Windows 11 Version 23H2 "
               "(KB5031455)",
               cats_w11, true);
    u[0].superseded_by = by10, u[0].nsup = 1;
    u[1] = upd(6, "KB5031000",
               "2023-10 Security Update for Windows 11 (KB5031000)", cats_w11,
               true);
    u[1].superseded_by = by20, u[1].nsup = 1;
    u[2] = upd(7, "KB5031001",
               "2023-10 Security Update for Windows 11 (KB5031001)", cats_w11,
               true);
    u[2].superseded_by = by99, u[2].nsup = 1;
    u[3] = upd(8, "KB5032190",
               "2023-11 Cumulative Update for Windows 11 (KB5032190)", cats_w11,
               true);
    u[3].superseded_by = by20, u[3].nsup = 1;
    u[4] = upd(10, "KB5032190",
               "2023-11 Cumulative Update for Windows 11 (KB5032190)", cats_w11,
               true);
    u[5] = upd(20, "KB5033375", CU_W11 "x64-based Systems (KB5033375)",
               cats_w11, true);
    image_catalog c = {u, 6, plats, sizeof(plats) / sizeof(plats[0])};
    assert_int_equal(status_in(&f, &c, &u[0]), IMAGE_ST_NOT_REQUIRED);
    assert_int_equal(status_in(&f, &c, &u[1]), IMAGE_ST_APPLICABLE);
    assert_int_equal(status_in(&f, &c, &u[2]), IMAGE_ST_APPLICABLE);
    /* installed wins over superseded */
    assert_int_equal(status_in(&f, &c, &u[3]), IMAGE_ST_INSTALLED);
    assert_int_equal(status_in(&f, &c, &u[4]), IMAGE_ST_INSTALLED);
    assert_int_equal(status_in(&f, &c, &u[5]), IMAGE_ST_APPLICABLE);
    /* one installed superseder among several is enough */
    u[1].superseded_by = by20_10, u[1].nsup = 2;
    assert_int_equal(status_in(&f, &c, &u[1]), IMAGE_ST_NOT_REQUIRED);
    /* a superseder staged into the image counts as installed */
    u[1].superseded_by = by20, u[1].nsup = 1;
    f.ix.staged = "KB5033375";
    assert_int_equal(status_in(&f, &c, &u[1]), IMAGE_ST_NOT_REQUIRED);
    /* superseded but not CBS: still Not Required */
    u[0].offline = false;
    assert_int_equal(status_in(&f, &c, &u[0]), IMAGE_ST_NOT_REQUIRED);
}

/* A supersedes B supersedes C: A installed makes C Not Required, even
 * when B expired; a cycle in the catalog ends. */
static void test_image_match__superseded_chain(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    int32_t by6[] = {6}, by10[] = {10};
    image_update u[3];
    u[0] = upd(5, "KB5031455", CU_W11 "x64-based Systems (KB5031455)", cats_w11,
               true);
    u[0].superseded_by = by6, u[0].nsup = 1;
    u[1] = upd(6, "KB5031999", CU_W11 "x64-based Systems (KB5031999)", cats_w11,
               true);
    u[1].superseded_by = by10, u[1].nsup = 1;
    u[1].expired = true;
    u[2] = upd(10, "KB5032190", CU_W11 "x64-based Systems (KB5032190)",
               cats_w11, true);
    image_catalog c = {u, 3, plats, sizeof(plats) / sizeof(plats[0])};
    assert_int_equal(status_in(&f, &c, &u[0]), IMAGE_ST_NOT_REQUIRED);
    /* without the installed end of the chain it is needed */
    f.os.npkgs = 0;
    assert_int_equal(status_in(&f, &c, &u[0]), IMAGE_ST_APPLICABLE);
    /* 5 <- 6 <- 5: the walk stops */
    int32_t by5[] = {5};
    u[1].superseded_by = by5;
    assert_int_equal(status_in(&f, &c, &u[0]), IMAGE_ST_APPLICABLE);
}

/* ---- 2 Installed, 3 Applicable ------------------------------------------- */

static void test_image_match__installed(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    image_update u = upd(1, "KB5032190",
                         "2023-11 Cumulative Update for Windows 11 Version "
                         "23H2 for x64-based Systems (KB5032190)",
                         cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED);
    /* staged by an earlier run (SMSPROV/STAGED) */
    f.ix.staged = "KB5033375,KB5034123";
    u = upd(2, "KB5033375", CU_W11 "x64-based Systems (KB5033375)", cats_w11,
            true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED);
    u = upd(3, "KB5034123",
            "2024-01 Security Update for Windows 11 Version 23H2 "
            "(KB5034123)",
            cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED);
    u = upd(4, "KB5034765",
            "2024-02 Cumulative Update for Windows 11 Version 23H2 "
            "(KB5034765)",
            cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* a list written by hand: blanks, lower case, junk */
    f.ix.staged = " kb5034765 ,,junk,KB5034123";
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED);
    /* an update without a KB is never installed */
    u = upd(5, "", CU_W11 "x64-based Systems", cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
}

/* Every KB of a long SMSPROV/STAGED list counts (years of monthly runs). */
static void test_image_match__many_staged(void **state)
{
    fixture f;
    char staged[1100] = "";
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_catalog c = {NULL, 0, plats, sizeof(plats) / sizeof(plats[0])};
    image_target t;
    (void)state;
    assert_non_null(a);
    for (int i = 0; i < 100; i++) {
        size_t n = strlen(staged);
        snprintf(staged + n, sizeof(staged) - n, "%sKB50%05d", i ? "," : "", i);
    }
    w11(&f);
    f.ix.staged = staged;
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_int_equal(t.nkbs, 101);
    assert_true(image_target_has_kb(&t, "KB5000000"));
    assert_true(image_target_has_kb(&t, "KB5000099"));
    assert_true(image_target_has_kb(&t, "KB5032190"));
    util_arena_free(a);
}

static void test_image_match__applicable(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    image_update u = upd(1, "KB5033375", CU_W11 "x64-based Systems (KB5033375)",
                         cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    srv2022(&f);
    static const char *cats_21h2[] = {"Microsoft Server operating system-21H2",
                                      NULL};
    u = upd(2, "KB5033118",
            "2023-12 Cumulative Update for Microsoft server operating "
            "system version 21H2 for x64-based Systems (KB5033118)",
            cats_21h2, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    u.cats = cats_srv22;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
}

/* ---- 4 and 5: the check is not supported --------------------------------- */

static void test_image_match__check_not_supported(void **state)
{
    fixture f;
    (void)state;
    w11(&f);
    /* not a CBS package (IsOfflineServiceable false) */
    image_update u = upd(1, "KB890830",
                         "Windows Malicious Software Removal Tool x64 - "
                         "v5.119 (KB890830)",
                         cats_w11, false);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_CHECK_NOT_SUPPORTED);
    /* a build the supported platform list lacks (Windows 11 21H2) */
    os_make(&f, "Windows 11 Enterprise", false, "21H2", 10, 0, 22000,
            IMAGE_ARCH_AMD64);
    u = upd(2, "KB5033369",
            "2023-12 Cumulative Update for Windows 11 for x64-based Systems "
            "(KB5033369)",
            cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_CHECK_NOT_SUPPORTED);
    /* no platform list at all */
    w11(&f);
    u = upd(3, "KB5033375", CU_W11 "x64-based Systems (KB5033375)", cats_w11,
            true);
    image_catalog c = {&u, 1, NULL, 0};
    assert_int_equal(status_in(&f, &c, &u), IMAGE_ST_CHECK_NOT_SUPPORTED);
    /* the build is listed, but for servers only */
    image_platform only_server[] = {{"10.0.22631", true}};
    c.plat = only_server, c.nplat = 1;
    assert_int_equal(status_in(&f, &c, &u), IMAGE_ST_CHECK_NOT_SUPPORTED);
}

static void test_image_match__installed_check_not_supported(void **state)
{
    fixture f;
    (void)state;
    srv2022(&f);
    image_update u = upd(1, "KB5032198",
                         "2023-11 Servicing Stack Update for Microsoft "
                         "server operating system version 21H2 for x64-based "
                         "Systems (KB5032198)",
                         cats_srv22, false);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED_CHECK_NOT_SUPPORTED);
    /* installed in a build the list lacks */
    os_make(&f, "Windows 11 Enterprise", false, "21H2", 10, 0, 22000,
            IMAGE_ARCH_AMD64);
    add_pkg(&f, "KB5032192", "amd64", true);
    u = upd(2, "KB5032192",
            "2023-11 Cumulative Update for Windows 11 for x64-based Systems "
            "(KB5032192)",
            cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED_CHECK_NOT_SUPPORTED);
    /* staged counts the same */
    f.ix.staged = "KB5033369";
    u = upd(3, "KB5033369", "Update for Windows 11 (KB5033369)", cats_w11,
            true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED_CHECK_NOT_SUPPORTED);
}

/* ---- product names ------------------------------------------------------- */

static void test_image_match__windows10_1903_and_later(void **state)
{
    fixture f;
    (void)state;
    os_make(&f, "Windows 10 Enterprise", false, "22H2", 10, 0, 19045,
            IMAGE_ARCH_AMD64);
    image_update u = upd(1, "KB5032189",
                         "2023-11 Cumulative Update for Windows 10 Version "
                         "22H2 for x64-based Systems (KB5032189)",
                         cats_w10, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    static const char *plain[] = {"Windows 10", NULL};
    u.cats = plain, u.ncats = 1;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* another product that only starts like it */
    static const char *ltsb[] = {"Windows 10 LTSB", NULL};
    u.cats = ltsb;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u.cats = cats_w11, u.ncats = 4;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    /* the product fits, the release in the title does not */
    u = upd(2, "KB5032188",
            "2023-11 Cumulative Update for Windows 10 Version 21H2 for "
            "x64-based Systems (KB5032188)",
            cats_w10, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    /* Windows 10 is not Windows 11 (and 19045 is no Windows 11 build) */
    w11(&f);
    u = upd(3, "KB5032189", "Cumulative Update for Windows 10 (KB5032189)",
            cats_w10, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
}

static void test_image_match__server_2012_not_r2(void **state)
{
    fixture f;
    (void)state;
    static const char *s2012[] = {"Windows Server 2012", NULL};
    static const char *s2012r2[] = {"Windows Server 2012 R2", NULL};
    os_make(&f, "Windows Server 2012 Datacenter", true, "", 6, 2, 9200,
            IMAGE_ARCH_AMD64);
    image_update u = upd(1, "KB5033429",
                         "2023-12 Security Monthly Quality Rollup for Windows "
                         "Server 2012 R2 (KB5033420)",
                         s2012r2, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u = upd(2, "KB5033429",
            "2023-12 Security Monthly Quality Rollup for Windows Server 2012 "
            "(KB5033429)",
            s2012, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    os_make(&f, "Windows Server 2012 R2 Datacenter", true, "", 6, 3, 9600,
            IMAGE_ARCH_AMD64);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_NOT_REQUIRED);
    u.cats = s2012r2;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
}

/* Every release family: the product names that fit and one that does
 * not. */
static void test_image_match__families(void **state)
{
    static const struct {
        const char *product;
        bool server;
        uint32_t major, minor, build;
        const char *cat;
        int want; /* with plats: 3 when listed, 4 when not */
    } rows[] = {
        {"Windows 7 Enterprise", false, 6, 1, 7601, "Windows 7", 4},
        {"Windows 7 Enterprise", false, 6, 1, 7601, "Windows 8", 1},
        {"Windows Server 2008 R2", true, 6, 1, 7601, "Windows Server 2008 R2",
         4},
        {"Windows Server 2008 R2", true, 6, 1, 7601, "Windows 7", 1},
        {"Windows 8 Pro", false, 6, 2, 9200, "Windows 8", 4},
        {"Windows 8 Pro", false, 6, 2, 9200, "Windows 8.1", 1},
        {"Windows 8.1 Pro", false, 6, 3, 9600, "Windows 8.1", 4},
        {"Windows 8.1 Pro", false, 6, 3, 9600, "Windows 8", 1},
        {"Windows Server 2016", true, 10, 0, 14393, "Windows Server 2016", 3},
        {"Windows Server 2016", true, 10, 0, 14393, "Windows 10", 1},
        {"Windows Server 2019", true, 10, 0, 17763, "Windows Server 2019", 4},
        {"Windows Server 2019", true, 10, 0, 17763, "Windows Server 2016", 1},
        {"Windows Server 2022", true, 10, 0, 20348, "Windows Server 2022", 3},
        {"Windows Server 2022", true, 10, 0, 20348,
         "Microsoft Server operating system-21H2", 3},
        {"Windows Server 2022", true, 10, 0, 20348,
         "Microsoft Server operating system-24H2", 1},
        {"Windows Server 2025", true, 10, 0, 26100,
         "Microsoft Server operating system-24H2", 4},
        {"Windows Server 2025", true, 10, 0, 26100, "Windows Server 2025", 4},
        {"Windows 11 Pro", false, 10, 0, 26100, "Windows 11", 4},
        {"Windows 11 Pro", false, 10, 0, 26100, "Windows Server 2025", 1},
        {"Windows 10 Pro", false, 10, 0, 10240, "Windows 10", 4},
        {"Windows 10 Pro", false, 10, 0, 10240, "Windows 11", 1},
        /* case-insensitive */
        {"Windows 11 Pro", false, 10, 0, 22631, "WINDOWS 11", 3},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        fixture f;
        const char *cats[] = {rows[i].cat, NULL};
        os_make(&f, rows[i].product, rows[i].server, "", rows[i].major,
                rows[i].minor, rows[i].build, IMAGE_ARCH_AMD64);
        image_update u = upd(1, "KB5000001", "An update", cats, true);
        int got = status_of(&f, &u);
        if (got != rows[i].want)
            fail_msg("%s %u.%u.%u / \"%s\": got %d, want %d", rows[i].product,
                     rows[i].major, rows[i].minor, rows[i].build, rows[i].cat,
                     got, rows[i].want);
    }
}

/* ---- helpers ------------------------------------------------------------- */

static void test_image_match__arch_in_text(void **state)
{
    (void)state;
    assert_int_equal(image_arch_in_text(CU_W11 "x64-based Systems"),
                     IMAGE_ARCH_AMD64);
    assert_int_equal(image_arch_in_text(CU_W11 "x86-based Systems"),
                     IMAGE_ARCH_X86);
    assert_int_equal(image_arch_in_text(CU_W11 "ARM64-based Systems"),
                     IMAGE_ARCH_ARM64);
    assert_int_equal(image_arch_in_text("for arm64-based systems"),
                     IMAGE_ARCH_ARM64);
    assert_int_equal(image_arch_in_text("Update for Windows (32-Bit)"),
                     IMAGE_ARCH_X86);
    assert_int_equal(image_arch_in_text("amd64_microsoft-windows-foo"),
                     IMAGE_ARCH_AMD64);
    assert_int_equal(
        image_arch_in_text("windows10.0-kb5005565-x64_"
                           "6e7d30a0bf3be33d2b2d6d5a4ccb3e4b7c8d63e8.cab"),
        IMAGE_ARCH_AMD64);
    assert_int_equal(image_arch_in_text("windows11.0-kb5033375-arm64.msu"),
                     IMAGE_ARCH_ARM64);
    assert_int_equal(image_arch_in_text("2023-12 Cumulative Update for "
                                        "Windows 11 Version 23H2"),
                     IMAGE_ARCH_UNKNOWN);
    assert_int_equal(image_arch_in_text(""), IMAGE_ARCH_UNKNOWN);
    assert_int_equal(image_arch_in_text(NULL), IMAGE_ARCH_UNKNOWN);
}

static void test_image_match__has_kb(void **state)
{
    fixture f;
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_catalog c = {NULL, 0, plats, sizeof(plats) / sizeof(plats[0])};
    image_target t;
    (void)state;
    assert_non_null(a);
    w11(&f);
    add_pkg(&f, "KB5027397", "amd64", true);
    f.ix.staged = "KB5034765,KB5001111";
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_int_equal(t.nkbs, 4);
    for (uint32_t i = 1; i < t.nkbs; i++)
        assert_true(util_stricmp(t.kbs[i - 1], t.kbs[i]) <= 0);
    assert_true(image_target_has_kb(&t, "KB5032190"));
    assert_true(image_target_has_kb(&t, "KB5027397"));
    assert_true(image_target_has_kb(&t, "KB5034765"));
    assert_true(image_target_has_kb(&t, "KB5001111"));
    assert_true(image_target_has_kb(&t, "kb5032190"));
    assert_false(image_target_has_kb(&t, "KB5033375"));
    assert_false(image_target_has_kb(&t, "KB503219"));
    assert_false(image_target_has_kb(&t, ""));
    assert_false(image_target_has_kb(&t, NULL));
    /* nothing installed or staged */
    os_make(&f, "Windows 11 Enterprise", false, "23H2", 10, 0, 22631,
            IMAGE_ARCH_AMD64);
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_int_equal(t.nkbs, 0);
    assert_false(image_target_has_kb(&t, "KB5032190"));
    util_arena_free(a);
}

static void test_image_match__not_installed_packages(void **state)
{
    fixture f;
    (void)state;
    os_make(&f, "Windows 11 Enterprise", false, "23H2", 10, 0, 22631,
            IMAGE_ARCH_AMD64);
    /* the manifest is there, CBS says Staged (0x20), not Installed */
    add_pkg(&f, "KB5032190", "amd64", false);
    image_update u = upd(1, "KB5032190",
                         "2023-11 Cumulative Update for Windows 11 Version "
                         "23H2 for x64-based Systems (KB5032190)",
                         cats_w11, true);
    assert_int_equal(status_of(&f, &u), IMAGE_ST_APPLICABLE);
    /* nor does it supersede anything */
    image_update v[2];
    v[0] = upd(5, "KB5031455", CU_W11 "x64-based Systems (KB5031455)", cats_w11,
               true);
    int32_t by[] = {6};
    v[0].superseded_by = by, v[0].nsup = 1;
    v[1] = u;
    v[1].ci_id = 6;
    image_catalog c = {v, 2, plats, sizeof(plats) / sizeof(plats[0])};
    assert_int_equal(status_in(&f, &c, &v[0]), IMAGE_ST_APPLICABLE);
    /* installed: both change */
    f.pkgs[f.os.npkgs - 1].installed = true;
    assert_int_equal(status_of(&f, &u), IMAGE_ST_INSTALLED);
    assert_int_equal(status_in(&f, &c, &v[0]), IMAGE_ST_NOT_REQUIRED);
}

/* What image_target_init takes from where. */
static void test_image_match__target_init(void **state)
{
    fixture f;
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_catalog c = {NULL, 0, plats, sizeof(plats) / sizeof(plats[0])};
    image_target t;
    (void)state;
    assert_non_null(a);
    srv2022(&f);
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_true(t.known);
    assert_true(t.server);
    assert_true(t.supported);
    assert_int_equal(t.arch, IMAGE_ARCH_AMD64);
    assert_int_equal(t.build, 20348);
    assert_string_equal(t.version, "21H2");
    assert_int_equal(t.nfamily, 2);
    assert_string_equal(t.family[0], "Windows Server 2022");
    assert_string_equal(t.family[1], "Microsoft Server operating system-21H2");
    /* the hive wins over the WIM XML for the version */
    f.ix.build = 19999;
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_int_equal(t.build, 20348);
    /* server from ProductType when the installation type is absent, then
     * from the product name */
    f.os.install_type = "";
    f.ix.install_type = "";
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_true(t.server);
    f.ix.product_type = "";
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_true(t.server);
    f.os.product_name = "Windows 11 Pro";
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_false(t.server);
    /* a client index: one family, no display version */
    w11(&f);
    f.os.display_version = "";
    assert_int_equal(image_target_init(&t, a, &f.ix, &f.os, &c, &err), 0);
    assert_true(t.known);
    assert_false(t.server);
    assert_true(t.supported);
    assert_null(t.version);
    assert_int_equal(t.nfamily, 1);
    assert_string_equal(t.family[0], "Windows 11");
    util_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_match__unknown_os),
        cmocka_unit_test(test_image_match__no_categories),
        cmocka_unit_test(test_image_match__other_product),
        cmocka_unit_test(test_image_match__other_arch),
        cmocka_unit_test(test_image_match__other_version),
        cmocka_unit_test(test_image_match__superseded),
        cmocka_unit_test(test_image_match__superseded_chain),
        cmocka_unit_test(test_image_match__installed),
        cmocka_unit_test(test_image_match__many_staged),
        cmocka_unit_test(test_image_match__applicable),
        cmocka_unit_test(test_image_match__check_not_supported),
        cmocka_unit_test(test_image_match__installed_check_not_supported),
        cmocka_unit_test(test_image_match__windows10_1903_and_later),
        cmocka_unit_test(test_image_match__server_2012_not_r2),
        cmocka_unit_test(test_image_match__families),
        cmocka_unit_test(test_image_match__arch_in_text),
        cmocka_unit_test(test_image_match__has_kb),
        cmocka_unit_test(test_image_match__not_installed_packages),
        cmocka_unit_test(test_image_match__target_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
