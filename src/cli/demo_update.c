/* SPDX-License-Identifier: MIT */
/*
 * Demo data, catalog writers: categories, EULAs, the updates with their
 * category links and content files, and the supersedence and bundle
 * relations, from the plan made in demo_data.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo_int.h"

static const char *const cat_types[4] = {"Company", "ProductFamily", "Product",
                                         "UpdateClassification"};

/* ---- text ---------------------------------------------------------------- */

/* Display name of an update, en-US or de-DE (Windows titles translated). */
void demo_title(const demo_update *u, bool de, char *out, size_t n)
{
    static const char *const w11_ver[4] = {"23H2", "22H2", "23H2", "22H2"};
    static const char *const w11_arch[4] = {"x64", "x64", "ARM64", "ARM64"};
    static const char *const w10_ver[4] = {"22H2", "22H2", "21H2", "21H2"};
    static const char *const w10_arch[4] = {"x64", "x86", "x64", "x86"};
    static const char *const x64_x86[2] = {"x64", "x86"};
    static const char *const fw[4] = {
        "3.5, 4.8 and 4.8.1", "3.5, 4.8 and 4.8.1", "3.5, 4.8 and 4.8.1",
        "3.5, 4.7.2 and 4.8"};
    static const char *const dotnet_os[4] = {
        "Windows 11, version 22H2", "Windows 10 Version 22H2",
        "Microsoft server operating system version 21H2",
        "Windows Server 2019"};
    static const char *const m365_channel[3] = {
        "Current Channel", "Monthly Enterprise Channel",
        "Semi-Annual Enterprise Channel"};
    static const char *const office[5] = {"Office 2016", "Excel 2016",
                                          "Word 2016", "Outlook 2016",
                                          "PowerPoint 2016"};
    static const char *const bits[2] = {"64-Bit", "32-Bit"};
    static const char *const edge_channel[2] = {"Stable", "Extended Stable"};
    static const char *const edge_arch[3] = {"x64", "x86", "ARM64"};
    static const char *const vendor[6] = {
        "Intel - System", "Intel - Display",    "Realtek - Audio",
        "HP - Firmware",  "Lenovo - Extension", "Dell - Net"};
    const char *cu =
        de ? "Kumulatives Update f\u00fcr" : "Cumulative Update for";
    const char *sec = de ? "Sicherheitsupdate f\u00fcr" : "Security Update for";
    const char *ssu =
        de ? "Wartungsstapelupdate f\u00fcr" : "Servicing Stack Update for";
    const char *upd = de ? "Update f\u00fcr" : "Update for";
    const char *fr = de ? "f\u00fcr" : "for";
    const char *sys = de ? "basierte Systeme" : "based Systems";
    unsigned v = u->variant, kb = u->kb;
    int y;
    unsigned m;
    char ym[16];
    demo_month(u->month, &y, &m);
    snprintf(ym, sizeof(ym), "%04d-%02u", y, m);
    switch (u->kind) {
    case K_WS2016_CU:
        snprintf(out, n, "%s Windows Server 2016 %s x64-%s (KB%u)", cu, fr, sys,
                 kb);
        break;
    case K_W10_1607_CU:
        snprintf(out, n, "%s Windows 10 Version 1607 %s x64-%s (KB%u)", cu, fr,
                 sys, kb);
        break;
    case K_W11_CU:
        snprintf(out, n, "%s %s Windows 11 Version %s %s %s-%s (KB%u)", ym, cu,
                 w11_ver[v % 4], fr, w11_arch[v % 4], sys, kb);
        break;
    case K_W10_CU:
        snprintf(out, n, "%s %s Windows 10 Version %s %s %s-%s (KB%u)", ym, cu,
                 w10_ver[v % 4], fr, w10_arch[v % 4], sys, kb);
        break;
    case K_WS2022_CU:
        snprintf(out, n,
                 "%s %s Microsoft server operating system version 21H2 %s "
                 "x64-%s (KB%u)",
                 ym, cu, fr, sys, kb);
        break;
    case K_WS2019_CU:
        snprintf(out, n, "%s %s Windows Server 2019 %s x64-%s (KB%u)", ym, cu,
                 fr, sys, kb);
        break;
    case K_W10_SEC:
        snprintf(out, n, "%s %s Windows 10 Version %s %s x64-%s (KB%u)", ym,
                 sec, v == 0 ? "22H2" : "21H2", fr, sys, kb);
        break;
    case K_W10_SSU:
        snprintf(out, n, "%s %s Windows 10 Version 22H2 %s %s-%s (KB%u)", ym,
                 ssu, fr, x64_x86[v % 2], sys, kb);
        break;
    case K_W10_UPD:
        snprintf(out, n, "%s Windows 10 Version 22H2 %s %s-%s (KB%u)", upd, fr,
                 x64_x86[v % 2], sys, kb);
        break;
    case K_W11_UPD:
        snprintf(out, n, "%s Windows 11 Version %s %s x64-%s (KB%u)", upd,
                 v == 0 ? "23H2" : "22H2", fr, sys, kb);
        break;
    case K_DOTNET:
        snprintf(out, n,
                 "%s Cumulative Update for .NET Framework %s for %s for x64 "
                 "(KB%u)",
                 ym, fw[v % 4], dotnet_os[v % 4], kb);
        break;
    case K_DOTNET_FP:
        snprintf(out, n, "Microsoft .NET Framework 4.8.1 for %s for x64 (KB%u)",
                 dotnet_os[v == 0 ? 1 : 2], kb);
        break;
    case K_MSRT:
        snprintf(out, n,
                 "Windows Malicious Software Removal Tool%s - v5.%u "
                 "(KB%u)",
                 v == 0 ? " x64" : "", u->v1, kb);
        break;
    case K_DEFENDER:
        snprintf(out, n,
                 "%s Microsoft Defender Antivirus - KB%u (Version "
                 "1.%u.%u.0)",
                 de ? "Security Intelligence-Update f\u00fcr"
                    : "Security Intelligence Update for",
                 kb, u->v1, u->v2);
        break;
    case K_M365:
        snprintf(out, n,
                 "Microsoft 365 Apps Update - %s Version %u for %s based "
                 "Edition (Build %u.%u)",
                 m365_channel[(v / 2) % 3], u->v1, x64_x86[v % 2], u->v2,
                 u->v3);
        break;
    case K_OFFICE:
        snprintf(out, n, "%s Microsoft %s (KB%u) %s Edition", sec,
                 office[(v / 2) % 5], kb, bits[v % 2]);
        break;
    case K_SQL_CU:
        snprintf(out, n, "Cumulative Update %u for SQL Server 2019 (KB%u)",
                 u->v1, kb);
        break;
    case K_SQL_SEC:
        snprintf(out, n, "%s SQL Server 2019 %s (KB%u)", sec,
                 v == 0 ? "RTM CU" : "RTM GDR", kb);
        break;
    case K_EDGE:
        snprintf(out, n,
                 "Microsoft Edge-%s Channel Version %u Update for %s based "
                 "Editions (Build %u.0.%u.%u)",
                 edge_channel[(v / 3) % 2], u->v1, edge_arch[v % 3], u->v1,
                 u->v2, u->v3);
        break;
    case K_W11_FEATURE:
        snprintf(out, n, "Windows 11, version %s x64 %sB",
                 v == 0 ? "23H2" : "22H2", ym);
        break;
    default: /* K_DRIVER */
        snprintf(out, n, "%s - %u.%u.%u", vendor[v % 6], u->v1, u->v2, u->v3);
        break;
    }
}

/* Localized description (the wording of the catalog's own texts). */
static void description(const demo_update *u, bool de, char *out, size_t n)
{
    char title[DEMO_TEXT_MAX];
    switch (u->kind) {
    case K_DEFENDER:
        snprintf(out, n, "%s",
                 de ? "Installieren Sie dieses Update, um die Dateien zu "
                      "aktualisieren, mit denen Viren, Spyware und andere "
                      "potenziell unerw\u00fcnschte Software erkannt werden. "
                      "Nach der Installation kann dieses Element nicht "
                      "entfernt werden."
                    : "Install this update to revise the files that are used "
                      "to detect viruses, spyware, and other potentially "
                      "unwanted software. Once you have installed this item, "
                      "it cannot be removed.");
        return;
    case K_MSRT:
        snprintf(out, n, "%s",
                 de ? "Dieses Tool \u00fcberpr\u00fcft den Computer einmal auf "
                      "Infektionen durch bestimmte verbreitete Schadsoftware "
                      "und entfernt gefundene Infektionen. Jeden Monat wird "
                      "eine neue Version angeboten."
                    : "After the download, this tool runs one time to check "
                      "your computer for infection by specific, prevalent "
                      "malicious software and helps remove any infection that "
                      "is found. A new version of the tool will be offered "
                      "every month.");
        return;
    case K_OFFICE:
    case K_SQL_SEC:
        demo_title(u, false, title, sizeof(title));
        snprintf(out, n,
                 de ? "In diesem Produkt besteht eine Sicherheitsl\u00fccke, "
                      "die beim \u00d6ffnen einer manipulierten Datei die "
                      "Ausf\u00fchrung von Code erm\u00f6glicht. Dieses "
                      "Update (%s) behebt die Sicherheitsl\u00fccke."
                    : "A security vulnerability exists that could allow "
                      "arbitrary code to run when a maliciously modified file "
                      "is opened. This update (%s) resolves that "
                      "vulnerability.",
                 title);
        return;
    case K_EDGE:
    case K_M365:
    case K_DRIVER:
    case K_W11_FEATURE:
    case K_SQL_CU:
        demo_title(u, false, title, sizeof(title));
        snprintf(out, n,
                 de ? "%s. Dieses Update enth\u00e4lt Verbesserungen und "
                      "Korrekturen."
                    : "%s. This update contains improvements and fixes; see "
                      "the release notes for details.",
                 title);
        return;
    default:
        snprintf(out, n, "%s",
                 de ? "Installieren Sie dieses Update, um Probleme in Windows "
                      "zu beheben. Eine vollst\u00e4ndige Liste der "
                      "behobenen Probleme finden Sie im zugeh\u00f6rigen "
                      "Microsoft Knowledge Base-Artikel. Nach der "
                      "Installation m\u00fcssen Sie den Computer "
                      "m\u00f6glicherweise neu starten."
                    : "Install this update to resolve issues in Windows. For "
                      "a complete listing of the issues that are included in "
                      "this update, see the associated Microsoft Knowledge "
                      "Base article for more information. After you install "
                      "this item, you may have to restart your computer.");
        return;
    }
}

/* LocalizedInformativeURL: the KB article, or the product's notes. */
static void info_url(const demo_update *u, char *out, size_t n)
{
    if (u->kind == K_EDGE)
        snprintf(out, n,
                 "https://learn.microsoft.com/deployedge/"
                 "microsoft-edge-relnote-stable-channel");
    else if (u->kind == K_M365)
        snprintf(out, n,
                 "https://learn.microsoft.com/officeupdates/"
                 "update-history-microsoft365-apps-by-date");
    else if (u->kb != 0)
        snprintf(out, n, "https://support.microsoft.com/help/%u", u->kb);
    else
        out[0] = '\0';
}

/* File name stem and extension of file idx of an update. */
static void file_stem(const demo_update *u, int idx, char *stem, size_t n,
                      const char **ext)
{
    static const char *const arch4[4] = {"x64", "x64", "arm64", "arm64"};
    static const char *const arch10[4] = {"x64", "x86", "x64", "x86"};
    static const char *const office[5] = {"office", "excel", "word", "outlook",
                                          "powerpnt"};
    static const char *const edge_arch[3] = {"X64", "X86", "ARM64"};
    bool windows = true;
    unsigned v = u->variant;
    switch (u->kind) {
    case K_W11_CU:
    case K_W11_UPD:
        snprintf(stem, n, "windows11.0-kb%u-%s", u->kb, arch4[v % 4]);
        break;
    case K_W10_CU:
    case K_W10_SSU:
    case K_W10_UPD:
        snprintf(stem, n, "windows10.0-kb%u-%s", u->kb, arch10[v % 4]);
        break;
    case K_DOTNET:
    case K_DOTNET_FP:
        snprintf(stem, n, "windows10.0-kb%u-x64-ndp481", u->kb);
        break;
    case K_MSRT:
        windows = false;
        snprintf(stem, n, "windows-kb890830-%s-v5.%u", v == 0 ? "x64" : "x86",
                 u->v1);
        break;
    case K_DEFENDER:
        windows = false;
        snprintf(stem, n, "am_delta_patch_1.%u.%u.0", u->v1, u->v2);
        break;
    case K_M365:
        windows = false;
        snprintf(stem, n, "microsoft365apps-%u.%u-%s", u->v2, u->v3,
                 v % 2 ? "x86" : "x64");
        break;
    case K_OFFICE:
        windows = false;
        snprintf(stem, n, "%s2016-kb%u-fullfile-%s-glb", office[(v / 2) % 5],
                 u->kb, v % 2 ? "x86" : "x64");
        break;
    case K_SQL_CU:
    case K_SQL_SEC:
        windows = false;
        snprintf(stem, n, "sqlserver2019-kb%u-x64", u->kb);
        break;
    case K_EDGE:
        windows = false;
        snprintf(stem, n, "MicrosoftEdge_%s_%u.0.%u.%u", edge_arch[v % 3],
                 u->v1, u->v2, u->v3);
        break;
    case K_W11_FEATURE:
        windows = false;
        snprintf(stem, n,
                 "22631.%u.ni_release_svc_refresh_CLIENTBUSINESS_VOL_"
                 "x64FRE_en-us",
                 u->v1);
        break;
    case K_DRIVER:
        windows = false;
        snprintf(stem, n, "%.8s", u->guid);
        break;
    default:
        snprintf(stem, n, "windows10.0-kb%u-x64", u->kb);
        break;
    }
    if (idx > 0)
        *ext = windows ? (idx == 1 ? "psf" : "cab") : "cab";
    else if (windows)
        *ext = "msu";
    else
        *ext = u->kind == K_W11_FEATURE                   ? "esd"
               : u->kind == K_M365 || u->kind == K_DRIVER ? "cab"
                                                          : "exe";
}

/* SourceURL of a content file, in the layout of the download servers. */
static void source_url(const demo_update *u, const char *file, char *out,
                       size_t n)
{
    int y;
    unsigned m;
    demo_month(u->month, &y, &m);
    int cls = demo_kinds[u->kind].classification;
    if (u->kind == K_EDGE)
        snprintf(out, n,
                 "http://msedge.b.tlu.dl.delivery.mp.microsoft.com/"
                 "filestreamingservice/files/%s/%s",
                 u->content_guid, file);
    else if (u->kind == K_M365)
        snprintf(out, n, "http://officecdn.microsoft.com/pr/wsus/%s", file);
    else if (cls == CLS_DRIVERS)
        snprintf(out, n,
                 "http://download.windowsupdate.com/c/msdownload/update/"
                 "driver/drvs/%04d/%02u/%s",
                 y, m, file);
    else
        snprintf(out, n,
                 "http://download.windowsupdate.com/c/msdownload/update/"
                 "software/%s/%04d/%02u/%s",
                 cls == CLS_SECURITY     ? "secu"
                 : cls == CLS_DEFINITION ? "defu"
                                         : "updt",
                 y, m, file);
}

static const char *severity_name(int sev)
{
    switch (sev) {
    case 10:
        return "Critical";
    case 8:
        return "Important";
    case 6:
        return "Moderate";
    case 2:
        return "Low";
    default:
        return NULL;
    }
}

/* A small SDM package document in the shape ConfigMgr stores. */
static void sdm_xml(const demo_ctx *c, const demo_update *u, const char *title,
                    const char *desc, util_buf *b)
{
    const char *el =
        demo_kinds[u->kind].bundle ? "SoftwareUpdateBundle" : "SoftwareUpdate";
    const char *sev = severity_name(u->severity);
    util_buf_printf(b,
                    "<?xml version=\"1.0\" encoding=\"utf-16\"?>"
                    "<DesiredConfigurationDigest xmlns=\"http://schemas."
                    "microsoft.com/SystemsCenterConfigurationManager/2009/07/"
                    "10/DesiredConfiguration\">"
                    "<%s AuthoringScopeId=\"Site_%s\" LogicalName=\"SUM_%s\" "
                    "Version=\"200\"><Annotation><DisplayName Text=\"",
                    el, c->site_guid, u->guid);
    util_buf_xml_escape(b, title);
    util_buf_puts(b, "\"/><Description Text=\"");
    util_buf_xml_escape(b, desc);
    util_buf_printf(b, "\"/></Annotation><UpdateId>%s</UpdateId>", u->guid);
    if (u->kb)
        util_buf_printf(b, "<ArticleId>%u</ArticleId>", u->kb);
    if (u->bulletin)
        util_buf_printf(b, "<BulletinId>%s</BulletinId>", u->bulletin);
    if (sev)
        util_buf_printf(b, "<MsrcSeverity>%s</MsrcSeverity>", sev);
    util_buf_printf(b,
                    "<Contents><Content ContentId=\"%s\" Version=\"1\"/>"
                    "</Contents></%s></DesiredConfigurationDigest>",
                    u->content_guid, el);
}

/* ---- categories and EULAs ------------------------------------------------ */

int demo_write_categories(demo_ctx *c)
{
    int rc = 0;
    for (int i = 0; i < DEMO_NCATS; i++) {
        const demo_cat *d = &demo_cats[i];
        char guid[DEMO_GUID_LEN];
        if (d->guid == NULL) {
            uint64_t h = 14695981039346656037ULL;
            for (const char *s = d->name; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ULL;
            demo_guid_from(demo_hash(0, h, 1), demo_hash(0, h, 2), guid);
        }
        snprintf(c->cat_uid[i], DEMO_UID_MAX, "%s:%s", cat_types[d->type],
                 d->guid ? d->guid : guid);
    }
    /* SMS_CategoryInstance holds every category; SMS_UpdateCategoryInstance
     * the same rows with their subscription state. */
    for (int pass = 0; rc == 0 && pass < 2; pass++)
        for (int i = 0; rc == 0 && i < DEMO_NCATS; i++) {
            const demo_cat *d = &demo_cats[i];
            demo_json j = demo_obj();
            json_t *info = json_pack(
                "[{s:s, s:i}, {s:s, s:i}]", "CategoryInstanceName", d->name,
                "LocaleID", DEMO_LOCALE_EN, "CategoryInstanceName",
                d->name_de ? d->name_de : d->name, "LocaleID", DEMO_LOCALE_DE);
            demo_int(&j, "CategoryInstanceID", i + 1);
            demo_str(&j, "CategoryInstance_UniqueID", c->cat_uid[i]);
            demo_str(&j, "CategoryTypeName", cat_types[d->type]);
            demo_str(&j, "LocalizedCategoryInstanceName", d->name);
            demo_set(&j, "LocalizedInformation", info);
            demo_int(&j, "LocalizedPropertyLocaleID", DEMO_LOCALE_EN);
            demo_int(&j, "ParentCategoryInstanceID", d->parent + 1);
            demo_str(&j, "SourceSite", c->site);
            if (pass == 1) {
                bool sub = d->type >= 2;
                demo_bool(&j, "AllowSubscription", sub);
                demo_bool(&j, "IsSubscribed", sub);
            }
            rc = demo_put(
                c, pass ? "SMS_UpdateCategoryInstance" : "SMS_CategoryInstance",
                &j);
        }
    return rc;
}

/* The license texts some updates refer to. */
int demo_write_eulas(demo_ctx *c)
{
    static const char *const texts[DEMO_NEVULAS] = {
        "MICROSOFT SOFTWARE LICENSE TERMS\n\nWINDOWS OPERATING SYSTEM\n\n"
        "These license terms are an agreement between you and Microsoft "
        "Corporation. They apply to the software named above and to any "
        "Microsoft services or software updates. By installing this update "
        "you accept these terms. (Demo text, not the real license.)",
        "MICROSOFT SOFTWARE LICENSE TERMS\n\nMICROSOFT SQL SERVER 2019\n\n"
        "These license terms are an agreement between you and Microsoft "
        "Corporation covering the SQL Server software and its updates. "
        "(Demo text, not the real license.)"};
    int rc = 0;
    for (int i = 0; rc == 0 && i < DEMO_NEVULAS; i++) {
        demo_json j = demo_obj();
        demo_int(&j, "EULAContentID", i + 1);
        demo_str(&j, "EULAContentUniqueID", c->eula_guid[i]);
        demo_str(&j, "EULAText", texts[i]);
        demo_str(&j, "SourceSite", c->site);
        rc = demo_put(c, "SMS_EULAContent", &j);
    }
    return rc;
}

/* ---- updates ---------------------------------------------------------------
 */

/* The four categories of an update: company, family, product, class. */
static void update_cats(const demo_update *u, int out[4])
{
    const demo_kind *k = &demo_kinds[u->kind];
    out[0] = CAT_MICROSOFT;
    out[1] = demo_cats[k->product].parent;
    out[2] = k->product;
    out[3] = k->classification;
}

/* The SMS_SoftwareUpdate instance itself. */
static int write_update(demo_ctx *c, const demo_update *u, util_buf *xml)
{
    const demo_kind *k = &demo_kinds[u->kind];
    char title[DEMO_TEXT_MAX], title_de[DEMO_TEXT_MAX];
    char desc[DEMO_TEXT_MAX * 2], desc_de[DEMO_TEXT_MAX * 2];
    char url[DEMO_TEXT_MAX], model[DEMO_TEXT_MAX], kb[16];
    const char *uids[4], *names[4];
    static const char *const neutral[1] = {""};
    static const char *const office_locales[3] = {"en-US", "de-DE", "fr-FR"};
    static const char *const scopes[1] = {"Default"};
    int cats[4];
    uint32_t num[4] = {0, 0, 0, 0}; /* unknown, not required, required,
                                       installed */
    demo_json j = demo_obj();
    update_cats(u, cats);
    for (int i = 0; i < 4; i++) {
        uids[i] = c->cat_uid[cats[i]];
        names[i] = demo_cats[cats[i]].name;
    }
    for (uint32_t d = 0; d < demo_nfleet; d++)
        num[demo_status(c, u, d)]++;
    demo_title(u, false, title, sizeof(title));
    demo_title(u, true, title_de, sizeof(title_de));
    description(u, false, desc, sizeof(desc));
    description(u, true, desc_de, sizeof(desc_de));
    info_url(u, url, sizeof(url));
    snprintf(model, sizeof(model), "Site_%s/SUM_%s", c->site_guid, u->guid);
    if (u->kb)
        snprintf(kb, sizeof(kb), "%u", u->kb);
    else
        kb[0] = '\0';
    util_buf_reset(xml);
    sdm_xml(c, u, title, desc, xml);
    bool revised = u->revised != u->posted;
    uint32_t rev =
        revised ? 201 + (uint32_t)(demo_hash(c->o->seed, u->ci_id, 7) % 3)
                : 200;

    demo_int(&j, "CI_ID", u->ci_id);
    demo_str(&j, "CI_UniqueID", u->guid);
    demo_str(&j, "ArticleID", kb);
    demo_str(&j, "BulletinID", u->bulletin);
    demo_str(&j, "ApplicabilityCondition", "");
    demo_set(&j, "CategoryInstance_UniqueIDs", demo_strs(uids, 4));
    demo_set(&j, "LocalizedCategoryInstanceNames", demo_strs(names, 4));
    demo_int(&j, "CIType_ID", k->bundle ? 8 : 1);
    demo_bool(&j, "IsBundle", k->bundle);
    demo_int(&j, "CIVersion", revised ? 2 : 1);
    demo_int(&j, "RevisionNumber", rev);
    demo_str(&j, "CreatedBy", "SYSTEM");
    demo_str(&j, "LastModifiedBy", "SYSTEM");
    demo_date(&j, "DatePosted", u->posted);
    demo_date(&j, "DateRevised", u->revised);
    demo_date(&j, "DateCreated", u->posted + 2 * DEMO_US_PER_HOUR);
    demo_date(&j, "DateLastModified", u->revised + 2 * DEMO_US_PER_HOUR);
    demo_date(&j, "LastStatusTime",
              demo_time(DEMO_NOW_Y, DEMO_NOW_M, DEMO_NOW_D, 6));
    demo_bool(&j, "EULAExists", k->eula >= 0);
    if (k->eula >= 0) {
        demo_int(&j, "EULAAccepted", u->deployed ? 1 : 2);
        demo_set(&j, "LocalizedEulas",
                 json_pack("[{s:s, s:i}]", "EULAContentUniqueID",
                           c->eula_guid[k->eula], "LocaleID", DEMO_LOCALE_EN));
    }
    demo_int(&j, "ExecutionContext", 0);
    demo_bool(&j, "IsContentProvisioned", u->deployed);
    demo_bool(&j, "IsDeployable", !u->expired);
    demo_bool(&j, "IsDeployed", u->deployed);
    demo_bool(&j, "IsDigest", false);
    demo_bool(&j, "IsEnabled", true);
    demo_bool(&j, "IsExpired", u->expired);
    demo_bool(&j, "IsHidden", false);
    demo_bool(&j, "IsLatest", true);
    demo_bool(&j, "IsOfflineServiceable", k->offline);
    demo_bool(&j, "IsQuarantined", false);
    demo_bool(&j, "IsSuperseded", u->superseded);
    demo_bool(&j, "IsUserDefined", false);
    demo_str(&j, "LocalizedDisplayName", title);
    demo_str(&j, "LocalizedDescription", desc);
    demo_str(&j, "LocalizedInformativeURL", url);
    demo_int(&j, "LocalizedPropertyLocaleID", DEMO_LOCALE_EN);
    demo_set(&j, "LocalizedInformation",
             json_pack("[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:i}]",
                       "DisplayName", title, "Description", desc,
                       "InformativeURL", url, "LocaleID", DEMO_LOCALE_EN,
                       "DisplayName", title_de, "Description", desc_de,
                       "InformativeURL", url, "LocaleID", DEMO_LOCALE_DE));
    demo_int(&j, "MaxExecutionTime",
             k->size_max > 1000 * 1024 * 1024LL ? 120
             : k->bundle                        ? 60
                                                : 30);
    demo_int(&j, "ModelID",
             DEMO_FIRST_MODEL_ID + (u->ci_id - DEMO_FIRST_CI_ID));
    demo_str(&j, "ModelName", model);
    demo_int(&j, "NumUnknown", num[0]);
    demo_int(&j, "NumNotApplicable", num[1]);
    demo_int(&j, "NumMissing", num[2]);
    demo_int(&j, "NumPresent", num[3]);
    demo_int(&j, "NumTotal", demo_nfleet);
    demo_int(&j, "PercentCompliant", (num[1] + num[3]) * 100 / demo_nfleet);
    demo_int(&j, "PermittedUses", 0);
    demo_str(&j, "SDMPackageXML", util_buf_cstr(xml));
    demo_int(&j, "SDMPackageVersion", 1);
    demo_set(&j, "SecuredScopeNames", demo_strs(scopes, 1));
    demo_int(&j, "Severity", u->severity);
    demo_str(&j, "SeverityName", severity_name(u->severity));
    demo_int(&j, "Size", u->size);
    demo_str(&j, "SourceSite", c->site);
    if (u->kind == K_OFFICE || u->kind == K_M365)
        demo_set(&j, "UpdateLocales", demo_strs(office_locales, 3));
    else
        demo_set(&j, "UpdateLocales", demo_strs(neutral, 1));
    if (xml->failed)
        j.failed = true;
    return demo_put(c, "SMS_SoftwareUpdate", &j);
}

/* SMS_CIAllCategories: one row per category of the update. */
static int write_links(demo_ctx *c, const demo_update *u, const char *model,
                       bool uid_is_unique)
{
    int cats[4], rc = 0;
    update_cats(u, cats);
    for (int i = 0; rc == 0 && i < 4; i++) {
        demo_json j = demo_obj();
        demo_int(&j, "CategoryInstanceID", cats[i] + 1);
        demo_int(&j, "CI_ID", u->ci_id);
        /* The page marks CategoryInstance_UniqueID [unique], which a link
         * table cannot honour (many updates share a category); it is left
         * NULL while the schema says so. */
        if (!uid_is_unique)
            demo_str(&j, "CategoryInstance_UniqueID", c->cat_uid[cats[i]]);
        demo_str(&j, "CategoryTypeName", cat_types[demo_cats[cats[i]].type]);
        demo_str(&j, "CI_UniqueID", u->guid);
        demo_str(&j, "LocalizedCategoryInstanceName", demo_cats[cats[i]].name);
        demo_int(&j, "LocalizedPropertyLocaleID", DEMO_LOCALE_EN);
        demo_str(&j, "ModelName", model);
        rc = demo_put(c, "SMS_CIAllCategories", &j);
    }
    return rc;
}

/* SMS_CIToContent and the 1-3 SMS_CIContentFiles of the update. */
static int write_content(demo_ctx *c, const demo_update *u, const char *model)
{
    static const char *const neutral[1] = {"Locale:0"};
    uint32_t content_id = DEMO_FIRST_CONTENT_ID + (u->ci_id - DEMO_FIRST_CI_ID);
    demo_json j = demo_obj();
    int rc;
    demo_int(&j, "CI_ID", u->ci_id);
    demo_int(&j, "ContentID", content_id);
    demo_str(&j, "SDMMethodType", "Install");
    demo_str(&j, "CI_UniqueID", u->guid);
    demo_bool(&j, "ContentDownloaded", u->deployed);
    demo_set(&j, "ContentLocales", demo_strs(neutral, 1));
    demo_str(&j, "ContentUniqueID", u->content_guid);
    demo_int(&j, "ContentVersion", 0);
    demo_str(&j, "ModelName", model);
    demo_int(&j, "ObjectTypeID", 5); /* PKG_TYPE_SWUPDATES */
    rc = demo_put(c, "SMS_CIToContent", &j);
    for (int f = 0; rc == 0 && f < u->nfiles; f++) {
        char stem[DEMO_TEXT_MAX / 2], name[DEMO_TEXT_MAX];
        char url[DEMO_TEXT_MAX * 2];
        char sha1[41], hash[48];
        const char *ext;
        int64_t size = u->nfiles == 1 ? u->size
                       : f == 0       ? u->size * 85 / 100
                                      : u->size * 15 / 100 / (u->nfiles - 1);
        demo_hex(c, sha1, 40);
        file_stem(u, f, stem, sizeof(stem), &ext);
        snprintf(name, sizeof(name), "%s_%s.%s", stem, sha1, ext);
        snprintf(hash, sizeof(hash), "SHA1:%s", sha1);
        source_url(u, name, url, sizeof(url));
        demo_json fj = demo_obj();
        demo_int(&fj, "ContentID", content_id);
        demo_str(&fj, "FileName", name);
        demo_str(&fj, "FileHash", hash);
        demo_int(&fj, "FileSize", size);
        demo_str(&fj, "FileVersion", "");
        demo_str(&fj, "ImportPath", "");
        demo_bool(&fj, "IsSigned", true);
        demo_int(&fj, "LanguageID", 0);
        demo_str(&fj, "CI_UniqueID", u->guid);
        demo_str(&fj, "ModelName", model);
        demo_int(&fj, "ObjectTypeID", 5);
        demo_str(&fj, "SourceURL", url);
        rc = demo_put(c, "SMS_CIContentFiles", &fj);
    }
    return rc;
}

/* Every planned update with its category links and content. */
int demo_write_updates(demo_ctx *c)
{
    util_buf xml = UTIL_BUF_INIT(DEMO_XML_MAX);
    const cim_class *links =
        cim_schema_class(provider_schema(c->p), "SMS_CIAllCategories", 19);
    const cim_property *uid =
        links ? cim_class_property(links, "CategoryInstance_UniqueID", 25)
              : NULL;
    bool uid_is_unique = uid == NULL || (uid->flags & CIM_P_UNIQUE);
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < c->n; i++) {
        const demo_update *u = &c->u[i];
        char model[DEMO_TEXT_MAX];
        snprintf(model, sizeof(model), "Site_%s/SUM_%s", c->site_guid, u->guid);
        rc = write_update(c, u, &xml);
        if (rc == 0)
            rc = write_links(c, u, model, uid_is_unique);
        if (rc == 0)
            rc = write_content(c, u, model);
        if (rc == 0 && (i + 1) % 5000 == 0)
            demo_progress(c, "%u updates", i + 1);
    }
    util_buf_free(&xml);
    if (rc == 0)
        demo_progress(c, "%u updates with categories and content", c->n);
    return rc;
}

/* ---- relations -------------------------------------------------------------
 */

static int write_relation(demo_ctx *c, uint32_t from, uint32_t to, int type)
{
    demo_json j = demo_obj();
    demo_int(&j, "FromCIID", from);
    demo_int(&j, "ToCIID", to);
    demo_bool(&j, "IsBroken", false);
    demo_bool(&j, "IsVersionSpecific", false);
    demo_int(&j, "RelationType", type);
    return demo_put(c, "SMS_CIRelation", &j);
}

/*
 * Relations.  Supersedence (RelationType 6): FromCIID is the newer,
 * superseding update and ToCIID the older one it replaces, the way
 * ConfigMgr's CI_Relations rows read (SUMMARY.md 6: "FromCIID is the
 * child that is derived from the parent ToCIID" - the newer update derives
 * from the one it replaces).  Bundles (RelationType 1): FromCIID is the
 * bundle, ToCIID each leaf update it carries: non-bundle security,
 * critical or general updates of the same product and month.
 */
int demo_write_relations(demo_ctx *c)
{
    int rc = 0;
    for (uint32_t i = 0; rc == 0 && i < c->n; i++) {
        const demo_update *u = &c->u[i];
        if (u->superseded)
            rc = write_relation(c, c->u[u->successor].ci_id, u->ci_id, 6);
    }
    for (uint32_t i = 0; rc == 0 && i < c->n; i++) {
        const demo_update *u = &c->u[i];
        int added = 0;
        if (!demo_kinds[u->kind].bundle || u->month < 0 ||
            u->month >= DEMO_MONTHS)
            continue;
        for (uint32_t k = c->month_start[u->month];
             rc == 0 && added < DEMO_BUNDLE_MEMBERS &&
             k < c->month_start[u->month + 1];
             k++) {
            const demo_kind *mk = &demo_kinds[c->u[k].kind];
            if (mk->bundle || mk->product != demo_kinds[u->kind].product ||
                (mk->classification != CLS_SECURITY &&
                 mk->classification != CLS_CRITICAL &&
                 mk->classification != CLS_UPDATES))
                continue;
            rc = write_relation(c, u->ci_id, c->u[k].ci_id, 1);
            added++;
        }
    }
    if (rc == 0)
        demo_progress(c, "relations");
    return rc;
}
