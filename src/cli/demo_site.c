/* SPDX-License-Identifier: MIT */
/*
 * Demo data, site writers: a fleet of 20 devices with collections and
 * memberships, per-device compliance, one update group deployed to a pilot
 * collection with its content package, two OS images with offline-servicing
 * status, and the SMS_ProviderLocation row.
 */
#include <stdio.h>
#include <string.h>

#include "cli/demo_int.h"

#define DEMO_DOMAIN "CONTOSO"
#define DEMO_FQDN "contoso.com"
#define DEMO_SITE_SERVER "CM01"
#define DEMO_CLIENT_VERSION "5.00.9128.1000"
#define DEMO_PACKAGE_ID "PS100011"
#define DEMO_ASSIGNMENT_ID 16777217
#define DEMO_FIRST_RESOURCE_ID 16777217
#define DEMO_IMAGE_UPDATES 8 /* updates tracked per image */

const demo_device demo_fleet[] = {
    {"DESK-ACC-014", DEMO_OS_W11_23H2, "Accounting", "amartin", false, false},
    {"DESK-ACC-022", DEMO_OS_W11_23H2, "Accounting", "kchen", false, false},
    {"LAP-HR-007", DEMO_OS_W11_22H2, "HR", "lgarcia", false, false},
    {"LAP-HR-011", DEMO_OS_W10_22H2, "HR", "pnovak", false, false},
    {"LAP-IT-001", DEMO_OS_W11_23H2, "IT", "cmadmin", false, false},
    {"LAP-IT-002", DEMO_OS_W11_23H2, "IT", "jsmith", false, false},
    {"DESK-ENG-101", DEMO_OS_W11_23H2, "Engineering", "rpatel", false, false},
    {"DESK-ENG-102", DEMO_OS_W11_22H2, "Engineering", "mweber", false, false},
    {"DESK-ENG-103", DEMO_OS_W10_22H2, "Engineering", "tnguyen", false, false},
    {"LAP-SAL-031", DEMO_OS_W11_23H2, "Sales", "ebrown", false, false},
    {"LAP-SAL-032", DEMO_OS_W10_22H2, "Sales", "dlopez", false, false},
    {"LAP-SAL-040", DEMO_OS_W11_22H2, "Sales", "hschmidt", false, false},
    {"KIOSK-LOBBY-1", DEMO_OS_W10_22H2, "Kiosks", "kiosk", false, true},
    {"DESK-FIN-005", DEMO_OS_W11_23H2, "Finance", "sjohnson", false, false},
    {"CM01", DEMO_OS_WS2022, "Servers", "cmadmin", true, true},
    {"DC01", DEMO_OS_WS2019, "Servers", "cmadmin", false, true},
    {"DC02", DEMO_OS_WS2022, "Servers", "cmadmin", false, true},
    {"SQL01", DEMO_OS_WS2019, "Servers", "sqladmin", true, true},
    {"FS01", DEMO_OS_WS2019, "Servers", "cmadmin", false, true},
    {"WEB01", DEMO_OS_WS2022, "Servers", "webadmin", false, true},
};
const uint32_t demo_nfleet = sizeof(demo_fleet) / sizeof(demo_fleet[0]);

/* Collections: the built-in one and three of the admin's. */
typedef struct demo_coll {
    const char *id;      /* CollectionID */
    const char *name;    /* Name */
    const char *comment; /* Comment */
    uint32_t os;         /* members: DEMO_OS_* bits, 0 = listed below */
    const char *query;   /* query rule or NULL (direct rules) */
} demo_coll;

static const demo_coll collections[] = {
    {"SMS00001", "All Systems", "All Systems",
     DEMO_OS_CLIENTS | DEMO_OS_SERVERS, "select * from sms_r_system"},
    {"PS100014", "All Windows 11 Workstations", "Devices running Windows 11",
     DEMO_OS_W11_23H2 | DEMO_OS_W11_22H2,
     "select SMS_R_SYSTEM.ResourceID, SMS_R_SYSTEM.Name from SMS_R_System "
     "where SMS_R_System.Build like '10.0.22%'"},
    {"PS100015", "All Servers", "Windows Server devices", DEMO_OS_SERVERS,
     "select SMS_R_SYSTEM.ResourceID, SMS_R_SYSTEM.Name from SMS_R_System "
     "where SMS_R_System.OperatingSystemNameandVersion like '%Server%'"},
    {"PS100016", "Pilot - Software Updates",
     "First ring for monthly software updates", 0, NULL},
};

/* Members of the pilot collection (direct rules). */
static const char *const pilot[] = {"LAP-IT-001", "LAP-IT-002", "DESK-ENG-101",
                                    "FS01", "WEB01"};

static const char *os_build(uint32_t os)
{
    switch (os) {
    case DEMO_OS_W11_23H2:
        return "10.0.22631";
    case DEMO_OS_W11_22H2:
        return "10.0.22621";
    case DEMO_OS_W10_22H2:
        return "10.0.19045";
    case DEMO_OS_WS2019:
        return "10.0.17763";
    default:
        return "10.0.20348";
    }
}

static bool is_server(const demo_device *d)
{
    return (d->os & DEMO_OS_SERVERS) != 0;
}

static bool in_collection(const demo_coll *col, const demo_device *d)
{
    if (col->os != 0)
        return (col->os & d->os) != 0;
    for (size_t i = 0; i < sizeof(pilot) / sizeof(pilot[0]); i++)
        if (strcmp(pilot[i], d->name) == 0)
            return true;
    return false;
}

static int64_t demo_now(void)
{
    return demo_time(DEMO_NOW_Y, DEMO_NOW_M, DEMO_NOW_D, 6);
}

/* ---- devices ---------------------------------------------------------------
 */

static int write_device(demo_ctx *c, uint32_t i)
{
    const demo_device *d = &demo_fleet[i];
    bool srv = is_server(d);
    char lower[64], fqdn[96], dn[256], ip[32], v6[64], mac[32], subnet[32];
    char guid[DEMO_GUID_LEN], smsid[64], ou1[64], ou2[96], ou3[128];
    char hwid[64];
    size_t k;
    for (k = 0; d->name[k] && k + 1 < sizeof(lower); k++)
        lower[k] = (char)(d->name[k] >= 'A' && d->name[k] <= 'Z'
                              ? d->name[k] - 'A' + 'a'
                              : d->name[k]);
    lower[k] = '\0';
    snprintf(fqdn, sizeof(fqdn), "%s.%s", lower, DEMO_FQDN);
    snprintf(dn, sizeof(dn), "CN=%s,OU=%s,OU=%s,OU=Contoso,DC=contoso,DC=com",
             d->name, d->dept, srv ? "Servers" : "Workstations");
    snprintf(ip, sizeof(ip), "10.1.%d.%d", srv ? 10 : 20, 11 + i);
    snprintf(subnet, sizeof(subnet), "10.1.%d.0", srv ? 10 : 20);
    uint64_t h = demo_hash(c->o->seed, i, 11);
    snprintf(v6, sizeof(v6), "fe80::%x:%x:%x:%x", (unsigned)(h & 0xFFFF),
             (unsigned)((h >> 16) & 0xFFFF), (unsigned)((h >> 32) & 0xFFFF),
             (unsigned)(h >> 48));
    snprintf(mac, sizeof(mac), "00:15:5D:%02X:%02X:%02X", (unsigned)(h & 0xFF),
             (unsigned)((h >> 8) & 0xFF), (unsigned)((h >> 24) & 0xFF));
    demo_guid(c, guid);
    snprintf(smsid, sizeof(smsid), "GUID:%s", guid);
    snprintf(hwid, sizeof(hwid), "2:%016llX",
             (unsigned long long)demo_hash(c->o->seed, i, 12));
    snprintf(ou1, sizeof(ou1), "CONTOSO.COM/CONTOSO");
    snprintf(ou2, sizeof(ou2), "CONTOSO.COM/CONTOSO/%s",
             srv ? "SERVERS" : "WORKSTATIONS");
    snprintf(ou3, sizeof(ou3), "%s/%s", ou2, d->dept);
    const char *ous[3] = {ou1, ou2, ou3};
    const char *ips[2] = {ip, v6};
    const char *agents[2] = {"SMS_AD_SYSTEM_DISCOVERY_AGENT",
                             "Heartbeat Discovery"};
    const char *sites[2] = {c->site, c->site};
    const char *group[1] = {DEMO_DOMAIN "\\Domain Computers"};
    const char *roles[6] = {
        "SMS Site Server",           "SMS Provider",
        "SMS Management Point",      "SMS Distribution Point",
        "SMS Software Update Point", "SMS SQL Server"};
    char user[64];
    snprintf(user, sizeof(user), "%s", d->user);
    int64_t seen = demo_now() - (int64_t)(h % 72) * DEMO_US_PER_HOUR;
    char t1[UTIL_DMTF_LEN + 1], t2[UTIL_DMTF_LEN + 1];
    util_dmtf_format(seen - 5 * DEMO_US_PER_DAY, t1);
    util_dmtf_format(seen, t2);
    const char *times[2] = {t1, t2};
    demo_json j = demo_obj();
    demo_int(&j, "ResourceID", DEMO_FIRST_RESOURCE_ID + i);
    demo_int(&j, "Active", 1);
    demo_str(&j, "ADSiteName", "Default-First-Site-Name");
    demo_set(&j, "AgentName", demo_strs(agents, 2));
    demo_set(&j, "AgentSite", demo_strs(sites, 2));
    demo_set(&j, "AgentTime", demo_strs(times, 2));
    demo_str(&j, "Build", os_build(d->os));
    demo_str(&j, "Build01", os_build(d->os));
    demo_int(&j, "Client", 1);
    demo_int(&j, "ClientEdition", 0);
    demo_int(&j, "ClientType", 1);
    demo_str(&j, "ClientVersion", DEMO_CLIENT_VERSION);
    demo_str(&j, "CPUType", "Intel64 Family 6 Model 140 Stepping 1");
    demo_date(&j, "CreationDate", demo_time(2022, 9, 1 + i, 9));
    demo_int(&j, "Decommissioned", 0);
    demo_str(&j, "DistinguishedName", dn);
    demo_str(&j, "FullDomainName", "CONTOSO.COM");
    demo_str(&j, "HardwareID", hwid);
    demo_set(&j, "IPAddresses", demo_strs(ips, 2));
    demo_set(&j, "IPSubnets", demo_strs((const char *const[]){subnet}, 1));
    demo_bool(&j, "IsVirtualMachine", d->vm);
    demo_date(&j, "LastLogonTimestamp", seen - DEMO_US_PER_DAY);
    demo_str(&j, "LastLogonUserDomain", DEMO_DOMAIN);
    demo_str(&j, "LastLogonUserName", user);
    demo_set(&j, "MACAddresses", demo_strs((const char *const[]){mac}, 1));
    demo_str(&j, "Name", d->name);
    demo_str(&j, "NetbiosName", d->name);
    demo_int(&j, "Obsolete", 0);
    demo_str(&j, "OperatingSystemNameandVersion",
             srv ? "Microsoft Windows NT Server 10.0"
                 : "Microsoft Windows NT Workstation 10.0");
    demo_str(&j, "OSBranch", srv ? "2" : "0");
    demo_str(&j, "ResourceDomainORWorkgroup", DEMO_DOMAIN);
    demo_set(&j, "ResourceNames", demo_strs((const char *const[]){fqdn}, 1));
    demo_int(&j, "ResourceType", 5);
    demo_set(&j, "SMSAssignedSites", demo_strs(sites, 1));
    demo_set(&j, "SMSInstalledSites", demo_strs(sites, 1));
    demo_set(&j, "SMSResidentSites", demo_strs(sites, 1));
    demo_str(&j, "SMSUniqueIdentifier", smsid);
    demo_str(&j, "SMBIOSGUID", guid);
    demo_set(&j, "SystemGroupName", demo_strs(group, 1));
    demo_set(&j, "SystemOUName", demo_strs(ous, 3));
    if (strcmp(d->name, DEMO_SITE_SERVER) == 0)
        demo_set(&j, "SystemRoles", demo_strs(roles, 6));
    demo_int(&j, "Unknown", 0);
    demo_int(&j, "VirtualMachineType", d->vm ? 1 : 0);
    return demo_put(c, "SMS_R_System", &j);
}

/* ---- collections -----------------------------------------------------------
 */

/* Sets a string property of an embedded rule instance. */
static int rule_str(cim_instance *r, const char *prop, const char *s)
{
    const cim_property *p = cim_class_property(r->cls, prop, strlen(prop));
    cim_value v = cim_value_str(p ? p->type : CIM_STRING, s);
    return p ? cim_instance_set(r, p->index, &v) : SMSPROV_EINVALID_PROPERTY;
}

static int rule_int(cim_instance *r, const char *prop, int64_t i)
{
    const cim_property *p = cim_class_property(r->cls, prop, strlen(prop));
    cim_value v = cim_value_int(p ? p->type : CIM_UINT32, i);
    return p ? cim_instance_set(r, p->index, &v) : SMSPROV_EINVALID_PROPERTY;
}

/*
 * CollectionRules holds subclasses of the abstract SMS_CollectionRule, which
 * the JSON reader does not build, so the rules are added to the instance
 * directly: one query rule, or one direct rule per member.
 */
static int add_rules(demo_ctx *c, cim_instance *inst, const demo_coll *col)
{
    const cim_schema *s = provider_schema(c->p);
    const cim_property *rp =
        cim_class_property(inst->cls, "CollectionRules", 15);
    const char *cn =
        col->query ? "SMS_CollectionRuleQuery" : "SMS_CollectionRuleDirect";
    const cim_class *rc_cls = cim_schema_class(s, cn, strlen(cn));
    uint32_t n = col->query ? 1 : sizeof(pilot) / sizeof(pilot[0]);
    cim_value arr = cim_value_null(CIM_OBJECT, true);
    int rc = 0;
    if (rp == NULL || rc_cls == NULL)
        return util_error_set(c->err, SMSPROV_EINVALID_CLASS, -1,
                              "the schema lacks collection rules");
    arr.v.items = util_arena_alloc(inst->arena, n * sizeof(cim_value));
    if (arr.v.items == NULL)
        return util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    arr.is_null = 0;
    arr.count = n;
    for (uint32_t i = 0; rc == 0 && i < n; i++) {
        cim_instance *r = NULL;
        rc = cim_instance_new(&r, rc_cls, inst->arena, c->err);
        if (rc != 0)
            break;
        arr.v.items[i] = cim_value_null(CIM_OBJECT, false);
        arr.v.items[i].is_null = 0;
        arr.v.items[i].v.obj = r;
        if (col->query) {
            rc = rule_str(r, "RuleName", col->name);
            if (rc == 0)
                rc = rule_str(r, "QueryExpression", col->query);
            if (rc == 0)
                rc = rule_int(r, "QueryID", 1);
            continue;
        }
        for (uint32_t d = 0; d < demo_nfleet; d++)
            if (strcmp(demo_fleet[d].name, pilot[i]) == 0) {
                rc = rule_str(r, "RuleName", pilot[i]);
                if (rc == 0)
                    rc = rule_str(r, "ResourceClassName", "SMS_R_System");
                if (rc == 0)
                    rc = rule_int(r, "ResourceID", DEMO_FIRST_RESOURCE_ID + d);
            }
    }
    if (rc == 0)
        rc = cim_instance_set(inst, rp->index, &arr);
    if (rc != 0 && c->err->code == 0)
        rc = util_error_set(c->err, rc < 0 ? rc : SMSPROV_EINTERNAL, -1,
                            "cannot build the rules of %s", col->id);
    return rc;
}

/* One SMS_Collection with its member count and rules. */
static int write_collection(demo_ctx *c, const demo_coll *col)
{
    const cim_class *cls =
        cim_schema_class(provider_schema(c->p), "SMS_Collection", 14);
    cim_instance *inst = NULL;
    uint32_t members = 0;
    bool builtin = strncmp(col->id, "SMS", 3) == 0;
    int rc;
    for (uint32_t d = 0; d < demo_nfleet; d++)
        members += in_collection(col, &demo_fleet[d]);
    demo_json j = demo_obj();
    demo_str(&j, "CollectionID", col->id);
    demo_str(&j, "Name", col->name);
    demo_str(&j, "Comment", col->comment);
    demo_int(&j, "CollectionType", 2);
    demo_int(&j, "CurrentStatus", 1);
    demo_bool(&j, "IsBuiltIn", builtin);
    demo_bool(&j, "IsReferenceCollection", builtin);
    demo_str(&j, "LimitToCollectionID", builtin ? "" : "SMS00001");
    demo_str(&j, "LimitToCollectionName", builtin ? "" : "All Systems");
    demo_int(&j, "MemberCount", members);
    demo_int(&j, "LocalMemberCount", members);
    demo_str(&j, "MemberClassName",
             builtin ? "SMS_CM_RES_COLL_SMS00001" : "SMS_CM_RES_COLL_PS1");
    demo_date(&j, "LastChangeTime", demo_time(2024, 3, 4, 14));
    demo_date(&j, "LastMemberChangeTime", demo_now() - DEMO_US_PER_DAY);
    demo_date(&j, "LastRefreshTime", demo_now() - DEMO_US_PER_HOUR);
    demo_int(&j, "RefreshType", col->query ? 6 : 1);
    demo_int(&j, "IncludeExcludeCollectionsCount", 0);
    demo_int(&j, "ServiceWindowsCount", 0);
    demo_int(&j, "CollectionVariablesCount", 0);
    demo_int(&j, "PowerConfigsCount", 0);
    demo_bool(&j, "OwnedByThisSite", true);
    if (cls == NULL)
        rc = util_error_set(c->err, SMSPROV_EINVALID_CLASS, -1,
                            "the schema has no class SMS_Collection");
    else if (j.failed)
        rc = util_error_set(c->err, SMSPROV_ENOMEM, -1, "out of memory");
    else
        rc = provider_instance_from_json(&inst, cls, j.o, c->err);
    json_decref(j.o);
    if (rc == 0)
        rc = add_rules(c, inst, col);
    if (rc != 0) {
        cim_instance_free(inst);
        return rc;
    }
    return demo_put_inst(c, inst);
}

/* One SMS_FullCollectionMembership row. */
static int write_membership(demo_ctx *c, const demo_coll *col, uint32_t d)
{
    const demo_device *dev = &demo_fleet[d];
    char smsid[64], guid[DEMO_GUID_LEN];
    uint64_t h = demo_hash(c->o->seed, d, 13);
    demo_guid_from(h, demo_hash(c->o->seed, d, 14), guid);
    snprintf(smsid, sizeof(smsid), "GUID:%s", guid);
    demo_json j = demo_obj();
    demo_str(&j, "CollectionID", col->id);
    demo_int(&j, "ResourceID", DEMO_FIRST_RESOURCE_ID + d);
    demo_str(&j, "Name", dev->name);
    demo_str(&j, "Domain", DEMO_DOMAIN);
    demo_str(&j, "SiteCode", c->site);
    demo_str(&j, "SMSID", smsid);
    demo_int(&j, "ResourceType", 5);
    demo_int(&j, "ClientType", 1);
    demo_str(&j, "ClientVersion", DEMO_CLIENT_VERSION);
    demo_int(&j, "DeviceOwner", 1);
    demo_bool(&j, "IsActive", true);
    demo_bool(&j, "IsAlwaysInternet", false);
    demo_int(&j, "IsApproved", 1);
    demo_bool(&j, "IsAssigned", true);
    demo_bool(&j, "IsBlocked", false);
    demo_bool(&j, "IsClient", true);
    demo_bool(&j, "IsDecommissioned", false);
    demo_bool(&j, "IsDirect", col->query == NULL);
    demo_bool(&j, "IsInternetEnabled", false);
    demo_bool(&j, "IsObsolete", false);
    demo_bool(&j, "IsVirtualMachine", dev->vm);
    return demo_put(c, "SMS_FullCollectionMembership", &j);
}

/* ---- compliance, group, package, deployment ------------------------------ */

static int write_compliance(demo_ctx *c, const demo_update *u, uint32_t d)
{
    char title[DEMO_TEXT_MAX], kb[16], url[64];
    int status = demo_status(c, u, d);
    int64_t checked =
        demo_now() - (int64_t)(demo_hash(c->o->seed, u->ci_id, d + 100) % 48) *
                         DEMO_US_PER_HOUR;
    demo_title(u, false, title, sizeof(title));
    snprintf(kb, sizeof(kb), "%u", u->kb);
    snprintf(url, sizeof(url), "https://support.microsoft.com/help/%u", u->kb);
    demo_json j = demo_obj();
    demo_int(&j, "CI_ID", u->ci_id);
    demo_int(&j, "MachineID", DEMO_FIRST_RESOURCE_ID + d);
    demo_int(&j, "Status", status);
    demo_str(&j, "ArticleID", u->kb ? kb : "");
    demo_str(&j, "BulletinID", u->bulletin ? u->bulletin : "");
    demo_int(&j, "EnforcementSource", status == 3 ? (u->deployed ? 1 : 2) : 0);
    demo_date(&j, "LastStatusCheckTime", checked);
    demo_date(&j, "LastStatusChangeTime",
              status == 3 ? u->posted + 3 * DEMO_US_PER_DAY : checked);
    demo_str(&j, "LocalizedDisplayName", title);
    demo_str(&j, "LocalizedInformativeURL", u->kb ? url : "");
    demo_str(&j, "UpdateLocales", "");
    return demo_put(c, "SMS_UpdateComplianceStatus", &j);
}

/*
 * The update group: the planned group updates, with compliance counters
 * over the fleet (a device is compliant when none of them is required).
 */
static int write_group(demo_ctx *c)
{
    json_t *ids = json_array();
    uint32_t compliant = 0, noncompliant = 0;
    char guid[DEMO_GUID_LEN], model[DEMO_TEXT_MAX];
    bool superseded = false;
    for (uint32_t i = 0; ids != NULL && i < c->ngroup; i++) {
        const demo_update *u = &c->u[c->group[i]];
        if (json_array_append_new(ids, json_integer(u->ci_id)) != 0) {
            json_decref(ids);
            ids = NULL;
        }
        superseded |= u->superseded;
    }
    for (uint32_t d = 0; d < demo_nfleet; d++) {
        bool ok = true;
        for (uint32_t i = 0; i < c->ngroup; i++)
            ok &= demo_status(c, &c->u[c->group[i]], d) != 2;
        compliant += ok;
        noncompliant += !ok;
    }
    demo_guid(c, guid);
    snprintf(model, sizeof(model), "Site_%s/AuthList_%s", c->site_guid, guid);
    demo_json j = demo_obj();
    demo_int(&j, "CI_ID", DEMO_FIRST_CI_ID + c->n);
    demo_str(&j, "CI_UniqueID", guid);
    demo_str(&j, "ModelName", model);
    demo_int(&j, "ModelID", DEMO_FIRST_MODEL_ID + c->n);
    demo_str(&j, "ApplicabilityCondition", "");
    demo_int(&j, "CIVersion", 1);
    demo_str(&j, "CreatedBy", DEMO_DOMAIN "\\cmadmin");
    demo_str(&j, "LastModifiedBy", DEMO_DOMAIN "\\cmadmin");
    demo_date(&j, "DateCreated", demo_time(2024, 12, 11, 9));
    demo_date(&j, "DateLastModified", demo_time(2024, 12, 11, 9));
    demo_bool(&j, "IsBundle", false);
    demo_bool(&j, "IsEnabled", true);
    demo_bool(&j, "IsExpired", false);
    demo_bool(&j, "IsHidden", false);
    demo_bool(&j, "IsSuperseded", false);
    demo_bool(&j, "IsUserDefined", true);
    demo_bool(&j, "IsDeployed", true);
    demo_bool(&j, "IsProvisioned", true);
    demo_bool(&j, "ContainsExpiredUpdates", false);
    demo_bool(&j, "ContainsSupersededUpdates", superseded);
    demo_int(&j, "PermittedUses", 0);
    demo_int(&j, "SDMPackageVersion", 1);
    demo_str(&j, "LocalizedDisplayName", "2024-12 Patch Tuesday");
    demo_str(&j, "LocalizedDescription",
             "Security and critical updates of December 2024");
    demo_int(&j, "LocalizedPropertyLocaleID", DEMO_LOCALE_EN);
    demo_set(&j, "LocalizedInformation",
             json_pack("[{s:s, s:s, s:s, s:i}]", "DisplayName",
                       "2024-12 Patch Tuesday", "Description",
                       "Security and critical updates of December 2024",
                       "InformativeURL", "", "LocaleID", DEMO_LOCALE_EN));
    demo_int(&j, "NumberOfCollectionsDeployed", 1);
    demo_int(&j, "NumberOfExpiredUpdates", 0);
    demo_int(&j, "NumberOfUpdates", c->ngroup);
    demo_int(&j, "NumCompliant", compliant);
    demo_int(&j, "NumNonCompliant", noncompliant);
    demo_int(&j, "NumTotal", demo_nfleet);
    demo_int(&j, "NumUnknown", 0);
    demo_int(&j, "PercentCompliant", compliant * 100 / demo_nfleet);
    demo_date(&j, "LastStatusTime", demo_now());
    demo_str(&j, "SourceSite", c->site);
    demo_set(&j, "Updates", ids);
    return demo_put(c, "SMS_AuthorizationList", &j);
}

/* The group's content package and its content and CI links. */
static int write_package(demo_ctx *c)
{
    int64_t size = 0;
    int rc;
    for (uint32_t i = 0; i < c->ngroup; i++)
        size += c->u[c->group[i]].size;
    demo_json j = demo_obj();
    demo_str(&j, "PackageID", DEMO_PACKAGE_ID);
    demo_str(&j, "Name", "2024-12 Patch Tuesday");
    demo_str(&j, "Description", "Content of the 2024-12 Patch Tuesday group");
    demo_int(&j, "PkgSourceFlag", 2);
    demo_str(&j, "PkgSourcePath",
             "\\\\" DEMO_SITE_SERVER "\\Sources\\Updates\\2024-12");
    demo_int(&j, "PackageSize", size / 1024);
    demo_date(&j, "SourceDate", demo_time(2024, 12, 11, 9));
    demo_str(&j, "SourceSite", c->site);
    demo_int(&j, "SourceVersion", 1);
    demo_int(&j, "ActionInProgress", 0);
    rc = demo_put(c, "SMS_SoftwareUpdatesPackage", &j);
    for (uint32_t i = 0; rc == 0 && i < c->ngroup; i++) {
        const demo_update *u = &c->u[c->group[i]];
        demo_json pj = demo_obj();
        demo_int(&pj, "ContentID",
                 DEMO_FIRST_CONTENT_ID + (u->ci_id - DEMO_FIRST_CI_ID));
        demo_str(&pj, "PackageID", DEMO_PACKAGE_ID);
        demo_str(&pj, "ContentSubFolder", u->content_guid);
        demo_str(&pj, "ContentUniqueID", u->content_guid);
        demo_int(&pj, "ContentVersionInPkg", 1);
        demo_int(&pj, "MinPackageVersion", 1);
        demo_int(&pj, "PackageType", 5);
        rc = demo_put(c, "SMS_PackageToContent", &pj);
        if (rc != 0)
            break;
        demo_json cj = demo_obj();
        demo_int(&cj, "CI_ID", u->ci_id);
        demo_str(&cj, "PackageID", DEMO_PACKAGE_ID);
        demo_str(&cj, "CI_UniqueID", u->guid);
        rc = demo_put(c, "SMS_CIContentPackage", &cj);
    }
    return rc;
}

/* The group's deployment to the pilot collection and its CI links. */
static int write_deployment(demo_ctx *c)
{
    json_t *cis = json_array();
    char guid[DEMO_GUID_LEN], uid[DEMO_GUID_LEN + 2];
    int rc;
    for (uint32_t i = 0; cis != NULL && i < c->ngroup; i++)
        if (json_array_append_new(cis, json_integer(c->u[c->group[i]].ci_id)) !=
            0) {
            json_decref(cis);
            cis = NULL;
        }
    demo_guid(c, guid);
    for (size_t k = 0; guid[k]; k++)
        if (guid[k] >= 'a' && guid[k] <= 'f')
            guid[k] = (char)(guid[k] - 'a' + 'A');
    snprintf(uid, sizeof(uid), "{%s}", guid);
    demo_json j = demo_obj();
    demo_int(&j, "AssignmentID", DEMO_ASSIGNMENT_ID);
    demo_str(&j, "AssignmentUniqueID", uid);
    demo_str(&j, "AssignmentName", "2024-12 Patch Tuesday - Pilot");
    demo_str(&j, "AssignmentDescription", "Pilot ring, deadline in 3 days");
    demo_set(&j, "AssignedCIs", cis);
    demo_int(&j, "AssignmentAction", 2);
    demo_int(&j, "AssignmentType", 1);
    demo_bool(&j, "ApplyToSubTargets", false);
    demo_bool(&j, "ContainsExpiredUpdates", false);
    demo_date(&j, "CreationTime", demo_time(2024, 12, 11, 9));
    demo_date(&j, "LastModificationTime", demo_time(2024, 12, 11, 9));
    demo_str(&j, "LastModifiedBy", DEMO_DOMAIN "\\cmadmin");
    demo_int(&j, "DesiredConfigType", 1);
    demo_int(&j, "DPLocality", 80);
    demo_bool(&j, "Enabled", true);
    demo_date(&j, "StartTime", demo_time(2024, 12, 11, 10));
    demo_date(&j, "EnforcementDeadline", demo_time(2024, 12, 14, 22));
    demo_int(&j, "LocaleID", DEMO_LOCALE_EN);
    demo_bool(&j, "LogComplianceToWinEvent", false);
    demo_bool(&j, "NotifyUser", true);
    demo_bool(&j, "OverrideServiceWindows", false);
    demo_bool(&j, "RebootOutsideOfServiceWindows", false);
    demo_bool(&j, "SendDetailedNonComplianceStatus", false);
    demo_str(&j, "SourceSite", c->site);
    demo_int(&j, "SuppressReboot", 0);
    demo_str(&j, "TargetCollectionID", "PS100016");
    demo_bool(&j, "UseGMTTimes", false);
    demo_bool(&j, "LimitStateMessageVerbosity", true);
    demo_int(&j, "StateMessageVerbosity", 5);
    demo_bool(&j, "UseBranchCache", true);
    demo_bool(&j, "WoLEnabled", false);
    rc = demo_put(c, "SMS_UpdatesAssignment", &j);
    for (uint32_t i = 0; rc == 0 && i < c->ngroup; i++) {
        demo_json aj = demo_obj();
        demo_int(&aj, "AssignmentID", DEMO_ASSIGNMENT_ID);
        demo_int(&aj, "CI_ID", c->u[c->group[i]].ci_id);
        rc = demo_put(c, "SMS_CIAssignmentToCI", &aj);
    }
    return rc;
}

/* Devices, collections, memberships, compliance, group, package and
 * deployment. */
int demo_write_site(demo_ctx *c)
{
    int rc = 0;
    for (uint32_t d = 0; rc == 0 && d < demo_nfleet; d++)
        rc = write_device(c, d);
    for (size_t i = 0;
         rc == 0 && i < sizeof(collections) / sizeof(collections[0]); i++) {
        rc = write_collection(c, &collections[i]);
        for (uint32_t d = 0; rc == 0 && d < demo_nfleet; d++)
            if (in_collection(&collections[i], &demo_fleet[d]))
                rc = write_membership(c, &collections[i], d);
    }
    for (uint32_t i = 0; rc == 0 && i < c->n; i++)
        for (uint32_t d = 0; rc == 0 && c->u[i].compliance && d < demo_nfleet;
             d++)
            rc = write_compliance(c, &c->u[i], d);
    if (rc == 0 && c->ngroup > 0)
        rc = write_group(c);
    if (rc == 0 && c->ngroup > 0)
        rc = write_package(c);
    if (rc == 0 && c->ngroup > 0)
        rc = write_deployment(c);
    if (rc == 0)
        demo_progress(c, "devices, collections, compliance, deployment");
    return rc;
}

/* ---- images
 * ------------------------------------------------------------------ */

typedef struct demo_image {
    const char *id;         /* PackageID */
    const char *name;       /* Name */
    const char *path;       /* PkgSourcePath */
    const char *version;    /* Version (build of the WIM) */
    uint32_t os;            /* DEMO_OS_* the images run */
    const char *indexes[4]; /* edition names by ImageIndex (1-based) */
    uint32_t nindexes;      /* entries in indexes */
} demo_image;

static const demo_image images[2] = {
    {"PS100012",
     "Windows 11 Enterprise 23H2",
     "\\\\" DEMO_SITE_SERVER "\\Sources\\OSD\\Win11-23H2\\install.wim",
     "10.0.22631.2861",
     DEMO_OS_W11_23H2,
     {"Windows 11 Education", "Windows 11 Enterprise", "Windows 11 Pro"},
     3},
    {"PS100013",
     "Windows Server 2022",
     "\\\\" DEMO_SITE_SERVER "\\Sources\\OSD\\WS2022\\install.wim",
     "10.0.20348.2113",
     DEMO_OS_WS2022,
     {"Windows Server 2022 Standard",
      "Windows Server 2022 Standard (Desktop Experience)",
      "Windows Server 2022 Datacenter",
      "Windows Server 2022 Datacenter (Desktop Experience)"},
     4},
};

/* One SMS_ImagePackage with its ImageProperty document. */
static int write_image_package(demo_ctx *c, const demo_image *im)
{
    util_buf xml = UTIL_BUF_INIT(DEMO_XML_MAX);
    int rc;
    util_buf_puts(&xml, "<WIM>");
    for (uint32_t i = 0; i < im->nindexes; i++)
        util_buf_printf(&xml,
                        "<IMAGE INDEX=\"%u\"><NAME>%s</NAME><VERSION>%s"
                        "</VERSION><ARCH>9</ARCH></IMAGE>",
                        i + 1, im->indexes[i], im->version);
    util_buf_puts(&xml, "</WIM>");
    demo_json j = demo_obj();
    demo_str(&j, "PackageID", im->id);
    demo_str(&j, "Name", im->name);
    demo_str(&j, "Description", "Reference image, serviced offline monthly");
    demo_str(&j, "Version", im->version);
    demo_str(&j, "Language", "English");
    demo_str(&j, "Manufacturer", "Microsoft");
    demo_int(&j, "PkgSourceFlag", 2);
    demo_str(&j, "PkgSourcePath", im->path);
    demo_str(&j, "ImageProperty", util_buf_cstr(&xml));
    demo_date(&j, "SourceDate", demo_time(2024, 12, 15, 3));
    demo_str(&j, "SourceSite", c->site);
    demo_int(&j, "SourceVersion", 4);
    if (xml.failed)
        j.failed = true;
    rc = demo_put(c, "SMS_ImagePackage", &j);
    util_buf_free(&xml);
    return rc;
}

/*
 * Offline-servicing status of one image: the newest offline-serviceable
 * updates for its OS (any updates when the catalog has too few), every
 * UpdateStatus value 0..5 used at least once per image.
 */
static int write_image_status(demo_ctx *c, const demo_image *im)
{
    uint32_t picked[DEMO_IMAGE_UPDATES], npicked = 0, row = 0;
    int rc = 0;
    for (int pass = 0; pass < 2 && npicked < DEMO_IMAGE_UPDATES; pass++)
        for (uint32_t i = c->n; i > 0 && npicked < DEMO_IMAGE_UPDATES; i--) {
            const demo_update *u = &c->u[i - 1];
            bool fits =
                demo_kinds[u->kind].offline && (demo_os_mask(u) & im->os) != 0;
            bool taken = false;
            for (uint32_t k = 0; k < npicked; k++)
                taken |= picked[k] == i - 1;
            if (!taken && (fits || pass == 1))
                picked[npicked++] = i - 1;
        }
    for (uint32_t x = 0; rc == 0 && x < im->nindexes; x++)
        for (uint32_t k = 0; rc == 0 && k < npicked; k++, row++) {
            const demo_update *u = &c->u[picked[k]];
            char title[DEMO_TEXT_MAX];
            int status =
                row < 6 ? (int)row
                        : (int)(demo_hash(c->o->seed, u->ci_id, 200 + x) % 6);
            /* 0x800F081F: the source files could not be found */
            int32_t install =
                status == 3 && k % 3 == 0 ? (int32_t)0x800F081FU : 0;
            demo_title(u, false, title, sizeof(title));
            demo_json j = demo_obj();
            demo_str(&j, "ImagePackageID", im->id);
            demo_int(&j, "ImageIndex", x + 1);
            demo_int(&j, "UpdateID", u->ci_id);
            demo_int(&j, "UpdateStatus", status);
            demo_int(&j, "UpdateInstallationStatus", install);
            demo_str(&j, "UpdateTitle", title);
            if (status == 2 || status == 5)
                demo_date(&j, "AppliedDateTime",
                          demo_time(2024, 12, 15, 2) +
                              (int64_t)row * 60 * 1000000);
            rc = demo_put(c, "SMS_ImageUpdateStatus", &j);
        }
    return rc;
}

/* Both image packages and their offline-servicing status. */
int demo_write_images(demo_ctx *c)
{
    int rc = 0;
    for (int i = 0; rc == 0 && i < 2; i++) {
        rc = write_image_package(c, &images[i]);
        if (rc == 0)
            rc = write_image_status(c, &images[i]);
    }
    if (rc == 0)
        demo_progress(c, "images");
    return rc;
}

/* The SMS_ProviderLocation row naming this host and namespace. */
int demo_write_provider_location(demo_ctx *c)
{
    char ns[512];
    snprintf(ns, sizeof(ns), "\\\\%s\\%s", provider_server(c->p),
             provider_namespace(c->p));
    demo_json j = demo_obj();
    demo_str(&j, "SiteCode", c->site);
    demo_str(&j, "Machine", provider_server(c->p));
    demo_str(&j, "NamespacePath", ns);
    demo_bool(&j, "ProviderForLocalSite", true);
    return demo_put(c, "SMS_ProviderLocation", &j);
}
