/* SPDX-License-Identifier: MIT */
/*
 * Tests for the MOF files in schema/ as loaded by mof_load_dir: the classes
 * the provider needs exist, SMS_SoftwareUpdate has exactly the properties of
 * its SDK page with the page's types, keys, qualifiers and defaults, and the
 * other spot-checked classes (SMS_ImageUpdateStatus, SMS_R_System, ...)
 * match their pages and the decisions written down in schema/README.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mof/mof.h"

/* Every class the schema must define (the brief's list plus the embedded
 * types those classes name). */
static const char *const required_classes[] = {
    "SMS_BaseClass",
    "SMS_ConfigurationItemBaseClass",
    "SMS_ConfigurationItemLatestBaseClass",
    "SMS_SoftwareUpdateBase",
    "SMS_SoftwareUpdate",
    "SMS_ServicePlan",
    "SMS_ImageUpdateStatus",
    "SMS_CIRelation",
    "SMS_CategoryInstanceBase",
    "SMS_CategoryInstance",
    "SMS_UpdateCategoryInstance",
    "SMS_CIAllCategories",
    "SMS_CIToContent",
    "SMS_CIContentFiles",
    "SMS_AuthorizationList",
    "SMS_CIAssignmentBaseClass",
    "SMS_UpdatesAssignment",
    "SMS_UpdateGroupAssignment",
    "SMS_PackageBaseclass",
    "SMS_SoftwareUpdatesPackage",
    "SMS_PackageToContent",
    "SMS_Package",
    "SMS_Template",
    "SMS_UpdateComplianceStatus",
    "SMS_CIUpdateSources",
    "SMS_SoftwareUpdateSource",
    "SMS_ImagePackage",
    "SMS_ImageServicingSchedule",
    "SMS_ImageServicingScheduledImage",
    "SMS_ImageServicingScheduledUpdate",
    "SMS_ImageServicingProgress",
    "SMS_ImageServicingScanRequest",
    "SMS_ImageUpdateHistory",
    "SMS_ImageUpdateStatusView",
    "SMS_FailedImageUpdateView",
    "SMS_SupportedPlatformsOfflineServicing",
    "SMS_Collection",
    "SMS_CollectionRule",
    "SMS_CollectionRuleDirect",
    "SMS_CollectionRuleQuery",
    "SMS_CollectionRuleIncludeCollection",
    "SMS_CollectionRuleExcludeCollection",
    "SMS_Resource",
    "SMS_R_System",
    "SMS_FullCollectionMembership",
    "SMS_ProviderLocation",
    "SMS_Identification",
    "SMS_Site",
    "SMS_EULAContent",
    "SMS_SUPSyncStatus",
    "SMS_UpdateDeploymentSummary",
    "SMS_SUMDeploymentAssetDetails",
    "SMS_SUMDeploymentStatus",
    "SMS_SUMDeploymentStatistics",
    "SMS_AutoDeployment",
    "SMS_ADRDeploymentSettings",
    "SMS_CIContentPackage",
    "SMS_CIAssignmentToCI",
    "SMS_SecuredCategory",
    "SMS_SecuredCategoryMembership",
    "SMS_Admin",
    "SMS_APermission",
    "SMS_AdminExtendedData",
    "SMS_Role",
    "SMS_ARoleOperation",
    "SMS_ObjectLock",
    "SMS_CI_LocalizedProperties",
    "SMS_CI_LocalizedEulas",
    "SMS_SDMPackageLocalizedData",
    "SMS_Category_LocalizedProperties",
    "SMS_ScheduleToken",
    "SMS_ST_NonRecurring",
    "SMS_ST_RecurInterval",
    "SMS_ST_RecurWeekly",
    "SMS_ST_RecurMonthlyByWeekday",
    "SMS_ST_RecurMonthlyByDate",
    "SMS_ScheduleMethods",
};

/*
 * The properties of reference/sum/sms_softwareupdate-server-wmi-class.md:
 * its syntax block (which "includes all inherited properties") and its
 * property list agree on these 69 names.
 */
static const char *const software_update_props[] = {
    "ApplicabilityCondition",
    "ArticleID",
    "BulletinID",
    "CategoryInstance_UniqueIDs",
    "CI_ID",
    "CI_UniqueID",
    "CIType_ID",
    "CIVersion",
    "ConfigurationFlags",
    "CreatedBy",
    "CustomSeverity",
    "CustomSeverityName",
    "DateCreated",
    "DateLastModified",
    "DatePosted",
    "DateRevised",
    "EffectiveDate",
    "EULAAccepted",
    "EULAExists",
    "EULASignoffDate",
    "EULASignoffUser",
    "ExecutionContext",
    "IsBundle",
    "IsContentProvisioned",
    "IsDeployable",
    "IsDeployed",
    "IsDigest",
    "IsEnabled",
    "IsExpired",
    "IsHidden",
    "IsLatest",
    "IsMetadataOnlyUpdate",
    "IsOfflineServiceable",
    "IsQuarantined",
    "IsSuperseded",
    "IsUserDefined",
    "LastModifiedBy",
    "LastStatusTime",
    "LocalizedCategoryInstanceNames",
    "LocalizedDescription",
    "LocalizedDisplayName",
    "LocalizedEulas",
    "LocalizedInformation",
    "LocalizedInformativeURL",
    "LocalizedPropertyLocaleID",
    "MaxExecutionTime",
    "ModelID",
    "ModelName",
    "NumMissing",
    "NumNotApplicable",
    "NumPresent",
    "NumTotal",
    "NumUnknown",
    "PercentCompliant",
    "PermittedUses",
    "PlatformCategoryInstance_UniqueIDs",
    "PlatformType",
    "RequiresExclusiveHandling",
    "RevisionNumber",
    "SDMPackageLocalizedData",
    "SDMPackageVersion",
    "SDMPackageXML",
    "SecuredScopeNames",
    "SedoObjectVersion",
    "Severity",
    "SeverityName",
    "Size",
    "SourceSite",
    "UpdateLocales",
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Loads schema/ once for the whole group. */
static int group_setup(void **state)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    cim_schema *s = NULL;
    int rc = mof_load_dir(&s, SMSPROV_SCHEMA_DIR, &err);
    if (rc != 0) {
        fprintf(stderr, "mof_load_dir(%s): %s:%d:%d: %s\n", SMSPROV_SCHEMA_DIR,
                err.file, err.line, err.col, err.msg);
        return -1;
    }
    *state = s;
    return 0;
}

static int group_teardown(void **state)
{
    cim_schema_free(*state);
    return 0;
}

/* The class `name`; fails the test when it is missing. */
static const cim_class *need_class(void **state, const char *name)
{
    const cim_class *c = cim_schema_class(*state, name, strlen(name));
    if (c == NULL)
        fail_msg("class %s is missing", name);
    return c;
}

/* The property `name` of c; fails the test when it is missing. */
static const cim_property *need_prop(const cim_class *c, const char *name)
{
    const cim_property *p = cim_class_property(c, name, strlen(name));
    if (p == NULL)
        fail_msg("%s.%s is missing", c->name, name);
    return p;
}

static const cim_method *need_method(const cim_class *c, const char *name)
{
    const cim_method *m = cim_class_method(c, name, strlen(name));
    if (m == NULL)
        fail_msg("%s.%s() is missing", c->name, name);
    return m;
}

/* Name of the i-th key of c (keys are sorted by name). */
static const char *key_name(const cim_class *c, uint32_t i)
{
    assert_true(i < c->nkeys);
    return c->props[c->keys[i]].name;
}

static void test_mof_schema__required_classes(void **state)
{
    for (size_t i = 0; i < NELEMS(required_classes); i++)
        need_class(state, required_classes[i]);
}

/* Every property and parameter typed with a class resolves to one. */
static void test_mof_schema__embedded_types_resolve(void **state)
{
    const cim_schema *s = *state;
    for (uint32_t i = 0; i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        for (uint32_t j = 0; j < c->nprops; j++) {
            const cim_property *p = &c->props[j];
            if (p->type != CIM_OBJECT)
                continue;
            assert_non_null(p->ref_class);
            assert_non_null(p->embedded);
            assert_string_equal(p->embedded->name, p->ref_class);
        }
    }
}

/* Exactly the page's property names, spelled as the page spells them. */
static void test_mof_schema__software_update_props(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdate");
    assert_int_equal(c->nprops, NELEMS(software_update_props));
    for (size_t i = 0; i < NELEMS(software_update_props); i++) {
        const char *n = software_update_props[i];
        const cim_property *p = need_prop(c, n);
        assert_string_equal(p->name, n);
    }
}

static void test_mof_schema__software_update_key(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdate");
    assert_int_equal(c->nkeys, 1);
    assert_string_equal(key_name(c, 0), "CI_ID");
    const cim_property *p = need_prop(c, "CI_ID");
    assert_int_equal(p->type, CIM_UINT32);
    /* [key] only, as the SUM pages write it; the provider assigns it. */
    assert_false(p->flags & CIM_P_READ);
    for (uint32_t i = 0; i < c->nprops; i++)
        if (strcmp(c->props[i].name, "CI_ID") != 0)
            assert_false(c->props[i].flags & CIM_P_KEY);
}

static void test_mof_schema__software_update_types(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdate");
    const cim_property *p = need_prop(c, "LocalizedInformation");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_true(p->is_array);
    assert_true(p->flags & CIM_P_LAZY);
    assert_true(p->flags & CIM_P_READ);
    assert_string_equal(p->ref_class, "SMS_CI_LocalizedProperties");

    p = need_prop(c, "LocalizedEulas");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_true(p->is_array);
    assert_string_equal(p->ref_class, "SMS_CI_LocalizedEulas");

    p = need_prop(c, "Size");
    assert_int_equal(p->type, CIM_SINT64);
    p = need_prop(c, "ConfigurationFlags");
    assert_int_equal(p->type, CIM_UINT64);
    p = need_prop(c, "CategoryInstance_UniqueIDs");
    assert_int_equal(p->type, CIM_STRING);
    assert_true(p->is_array);
    p = need_prop(c, "UpdateLocales");
    assert_int_equal(p->type, CIM_STRING);
    assert_true(p->is_array);
    p = need_prop(c, "DatePosted");
    assert_int_equal(p->type, CIM_DATETIME);
    assert_true(p->flags & CIM_P_READ);
    p = need_prop(c, "IsDigest");
    assert_true(p->flags & CIM_P_LAZY);
    p = need_prop(c, "SDMPackageXML");
    assert_true(p->flags & CIM_P_LAZY);
    p = need_prop(c, "ArticleID");
    assert_true(p->flags & CIM_P_READ);
    assert_true(p->flags & CIM_P_NOT_NULL);
    assert_int_equal(p->size_max, 64);
    p = need_prop(c, "CustomSeverity");
    assert_false(p->flags & CIM_P_READ);
}

static void test_mof_schema__software_update_defaults(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdate");
    const cim_property *p = need_prop(c, "BulletinID");
    assert_true(p->has_default);
    assert_int_equal(p->def.type, CIM_STRING);
    assert_string_equal(p->def.v.s, "None");

    p = need_prop(c, "CustomSeverity");
    assert_true(p->has_default);
    assert_int_equal(p->def.v.i, 0);
    p = need_prop(c, "MaxExecutionTime");
    assert_true(p->has_default);
    assert_int_equal(p->def.v.i, 30);
    p = need_prop(c, "EULAAccepted");
    assert_true(p->has_default);
    assert_int_equal(p->def.v.i, 2);
    p = need_prop(c, "IsOfflineServiceable");
    assert_true(p->has_default);
    assert_true(p->def.v.b);
}

static void test_mof_schema__software_update_inheritance(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdate");
    const cim_class *base = need_class(state, "SMS_ConfigurationItemBaseClass");
    const cim_class *root = need_class(state, "SMS_BaseClass");
    assert_ptr_equal(c->parent, base);
    assert_true(cim_class_is_a(c, base));
    assert_true(cim_class_is_a(c, root));
    assert_true(base->flags & CIM_C_ABSTRACT);
    assert_true(root->flags & CIM_C_ABSTRACT);
    assert_true(c->flags & CIM_C_SECURED);
    assert_true(cim_class_is_concrete(c));
    assert_false(cim_class_is_concrete(base));
}

static void test_mof_schema__software_update_methods(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdate");
    const cim_method *m = need_method(c, "SyncNow");
    assert_true(m->is_static);
    assert_int_equal(m->return_type, CIM_SINT32);
    assert_int_equal(m->nparams, 1);
    assert_string_equal(m->params[0].name, "fullSync");
    assert_int_equal(m->params[0].type, CIM_BOOLEAN);
    assert_true(m->params[0].flags & CIM_P_IN);

    m = need_method(c, "AcceptEULA");
    assert_false(m->is_static);
    assert_int_equal(m->nparams, 1);
    assert_string_equal(m->params[0].name, "Accepted");

    m = need_method(c, "GetEULA");
    assert_int_equal(m->nparams, 1);
    assert_true(m->params[0].flags & CIM_P_OUT);
    assert_int_equal(m->params[0].type, CIM_STRING);

    m = need_method(c, "SetEnforcement");
    assert_int_equal(m->nparams, 2);
    assert_string_equal(m->params[0].name, "Enforced");
    assert_string_equal(m->params[1].name, "EffectiveDate");
    assert_int_equal(m->params[1].type, CIM_DATETIME);

    m = need_method(c, "ResendObjectToAllSites");
    assert_int_equal(m->nparams, 0);
}

static void test_mof_schema__image_update_status(void **state)
{
    const cim_class *c = need_class(state, "SMS_ImageUpdateStatus");
    assert_int_equal(c->nprops, 7);
    assert_int_equal(c->nkeys, 3);
    assert_string_equal(key_name(c, 0), "ImageIndex");
    assert_string_equal(key_name(c, 1), "ImagePackageID");
    assert_string_equal(key_name(c, 2), "UpdateID");
    assert_int_equal(need_prop(c, "ImagePackageID")->type, CIM_STRING);
    assert_int_equal(need_prop(c, "ImageIndex")->type, CIM_SINT32);
    assert_int_equal(need_prop(c, "UpdateID")->type, CIM_SINT32);
    assert_int_equal(need_prop(c, "AppliedDateTime")->type, CIM_DATETIME);
    assert_ptr_equal(c->parent, need_class(state, "SMS_BaseClass"));
}

static void test_mof_schema__r_system(void **state)
{
    const cim_class *c = need_class(state, "SMS_R_System");
    static const char *const arrays[] = {
        "SystemOUName",      "SystemGroupName",  "SystemContainerName",
        "IPAddresses",       "IPSubnets",        "MACAddresses",
        "ResourceNames",     "AgentName",        "AgentSite",
        "SMSAssignedSites",  "SMSResidentSites", "SecurityGroupName",
        "SMSInstalledSites", "SystemRoles",
    };
    static const char *const scalars[] = {
        "Build",
        "OperatingSystemNameandVersion",
        "NetbiosName",
        "Name",
        "ClientVersion",
        "ADSiteName",
        "ResourceDomainORWorkgroup",
        "LastLogonUserName",
        "CPUType",
        "DistinguishedName",
        "FullDomainName",
        "SMSUniqueIdentifier",
        "OSBranch",
        "VirtualMachineHostName",
    };
    static const char *const uint32s[] = {
        "Client",         "ClientType", "Active",       "Obsolete",
        "Decommissioned", "Unknown",    "ResourceType", "UserAccountControl",
        "PrimaryGroupID", "ResourceID",
    };
    for (size_t i = 0; i < NELEMS(arrays); i++) {
        const cim_property *p = need_prop(c, arrays[i]);
        assert_int_equal(p->type, CIM_STRING);
        assert_true(p->is_array);
    }
    for (size_t i = 0; i < NELEMS(scalars); i++) {
        const cim_property *p = need_prop(c, scalars[i]);
        assert_int_equal(p->type, CIM_STRING);
        assert_false(p->is_array);
    }
    for (size_t i = 0; i < NELEMS(uint32s); i++)
        assert_int_equal(need_prop(c, uint32s[i])->type, CIM_UINT32);
    const cim_property *p = need_prop(c, "AgentTime");
    assert_int_equal(p->type, CIM_DATETIME);
    assert_true(p->is_array);
    assert_int_equal(need_prop(c, "LastLogonTimestamp")->type, CIM_DATETIME);
    assert_int_equal(need_prop(c, "IsVirtualMachine")->type, CIM_BOOLEAN);
    /* Case-insensitive lookup: WQL in the wild writes ResourceId. */
    assert_non_null(cim_class_property(c, "ResourceId", 10));
    assert_int_equal(c->nkeys, 1);
    assert_string_equal(key_name(c, 0), "ResourceID");
    assert_true(cim_class_is_a(c, need_class(state, "SMS_Resource")));
}

/* Redeclared properties keep the subclass page's access (SUMMARY 14). */
static void test_mof_schema__redeclared_access(void **state)
{
    const cim_class *al = need_class(state, "SMS_AuthorizationList");
    const cim_class *su = need_class(state, "SMS_SoftwareUpdate");
    const cim_class *ua = need_class(state, "SMS_UpdatesAssignment");
    const cim_class *ga = need_class(state, "SMS_UpdateGroupAssignment");
    const cim_class *base = need_class(state, "SMS_CIAssignmentBaseClass");

    assert_false(need_prop(al, "LocalizedInformation")->flags & CIM_P_READ);
    assert_true(need_prop(su, "LocalizedInformation")->flags & CIM_P_READ);
    assert_true(need_prop(al, "Updates")->flags & CIM_P_LAZY);
    assert_int_equal(need_prop(al, "Updates")->type, CIM_UINT32);

    assert_false(need_prop(ua, "LocaleID")->flags & CIM_P_READ);
    assert_true(need_prop(ga, "LocaleID")->flags & CIM_P_READ);
    assert_true(need_prop(base, "LocaleID")->flags & CIM_P_READ);

    const cim_property *p = need_prop(ua, "DPLocality");
    assert_true(p->has_default);
    assert_int_equal(p->def.v.i, 0x50);
    p = need_prop(ua, "UseBranchCache");
    assert_true(p->has_default);
    assert_true(p->def.v.b);
    p = need_prop(ua, "AssignedCIs");
    assert_int_equal(p->type, CIM_SINT32);
    assert_true(p->is_array);
    assert_int_equal(ua->nkeys, 1);
    assert_string_equal(key_name(ua, 0), "AssignmentID");
}

static void test_mof_schema__packages(void **state)
{
    const cim_class *c = need_class(state, "SMS_SoftwareUpdatesPackage");
    assert_true(cim_class_is_a(c, need_class(state, "SMS_PackageBaseclass")));
    assert_string_equal(key_name(c, 0), "PackageID");
    const cim_property *p = need_prop(c, "PkgSourceFlag");
    assert_true(p->has_default);
    assert_int_equal(p->def.v.i, 1);
    p = need_prop(c, "Name");
    assert_true(p->has_default);
    assert_string_equal(p->def.v.s, "");
    p = need_prop(c, "RefreshSchedule");
    assert_int_equal(p->type, CIM_OBJECT);
    assert_string_equal(p->ref_class, "SMS_ScheduleToken");
    assert_int_equal(p->max_count, 15);

    const cim_method *m = need_method(c, "AddUpdateContent");
    assert_false(m->is_static);
    assert_int_equal(m->nparams, 3);
    assert_string_equal(m->params[0].name, "ContentIDs");
    assert_int_equal(m->params[0].type, CIM_UINT32);
    assert_true(m->params[0].is_array);
    assert_string_equal(m->params[1].name, "ContentSourcePath");
    assert_true(m->params[1].is_array);
    assert_string_equal(m->params[2].name, "bRefreshDPs");
    assert_true(m->params[2].flags & CIM_P_OPTIONAL);
    need_method(c, "RemoveContent");
    need_method(c, "AddDistributionPoints");
    need_method(c, "ValidateNewPackageSource");

    c = need_class(state, "SMS_ImagePackage");
    m = need_method(c, "RunOfflineServicingManager");
    assert_true(m->is_static);
    assert_int_equal(m->return_type, CIM_UINT32);
    assert_int_equal(m->nparams, 4);
}

static void test_mof_schema__embedded_classes(void **state)
{
    static const char *const names[] = {
        "SMS_CI_LocalizedProperties",  "SMS_CI_LocalizedEulas",
        "SMS_SDMPackageLocalizedData", "SMS_Category_LocalizedProperties",
        "SMS_ScheduleToken",           "SMS_ST_RecurInterval",
        "SMS_CollectionRule",          "SMS_CollectionRuleQuery",
    };
    for (size_t i = 0; i < NELEMS(names); i++) {
        const cim_class *c = need_class(state, names[i]);
        assert_true(c->flags & CIM_C_EMBEDDED);
        assert_false(cim_class_is_concrete(c));
    }
    const cim_class *t = need_class(state, "SMS_ST_RecurWeekly");
    assert_true(cim_class_is_a(t, need_class(state, "SMS_ScheduleToken")));
    const cim_property *p = need_prop(t, "DayDuration");
    assert_true(p->has_range);
    assert_int_equal(p->range_max, 31);
    p = need_prop(t, "StartTime");
    assert_int_equal(p->type, CIM_DATETIME);
    assert_true(p->has_default);
}

static void test_mof_schema__read_classes(void **state)
{
    static const char *const names[] = {
        "SMS_CIToContent",
        "SMS_CIContentFiles",
        "SMS_CIRelation",
        "SMS_UpdateComplianceStatus",
        "SMS_FullCollectionMembership",
        "SMS_CIAssignmentToCI",
    };
    for (size_t i = 0; i < NELEMS(names); i++)
        assert_true(need_class(state, names[i])->flags & CIM_C_READ);
    /* IsSubscribed must stay settable (schema/README.md). */
    const cim_class *c = need_class(state, "SMS_UpdateCategoryInstance");
    assert_false(c->flags & CIM_C_READ);
    assert_false(need_prop(c, "IsSubscribed")->flags & CIM_P_READ);
    assert_true(need_prop(c, "AllowSubscription")->flags & CIM_P_READ);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mof_schema__required_classes),
        cmocka_unit_test(test_mof_schema__embedded_types_resolve),
        cmocka_unit_test(test_mof_schema__software_update_props),
        cmocka_unit_test(test_mof_schema__software_update_key),
        cmocka_unit_test(test_mof_schema__software_update_types),
        cmocka_unit_test(test_mof_schema__software_update_defaults),
        cmocka_unit_test(test_mof_schema__software_update_inheritance),
        cmocka_unit_test(test_mof_schema__software_update_methods),
        cmocka_unit_test(test_mof_schema__image_update_status),
        cmocka_unit_test(test_mof_schema__r_system),
        cmocka_unit_test(test_mof_schema__redeclared_access),
        cmocka_unit_test(test_mof_schema__packages),
        cmocka_unit_test(test_mof_schema__embedded_classes),
        cmocka_unit_test(test_mof_schema__read_classes),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
