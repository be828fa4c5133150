/* SPDX-License-Identifier: MIT */
/*
 * SMS_ImagePackage methods with behaviour:
 *   GetImageProperties(SourceImagePath) -> ImageProperty   (static)
 *       the image XML of a WIM file, as ConfigMgr's console reads it
 *       before an image package exists;
 *   ReloadImageProperties()   re-reads the package's WIM into its row;
 *   RunOfflineServicingManager(SiteCode, ServerName, PackageID,
 *       PackageType)   (static) asks for every servicing schedule that
 *       names the image to run as soon as possible (Action 1) and wakes the
 *       scheduler of `smsprov serve`, as the real method prods the offline
 *       servicing component; it returns at once (progress rows show the
 *       run).  Its writes commit before the wake-up (own transaction).
 */
#include <string.h>

#include "image/image.h"
#include "provider/schedule.h"
#include "util/util.h"

#define PKG_TYPE_IMAGE 257 /* SMS_ImagePackage.PackageType */

static const cim_value *param(const cim_instance *in, const char *name)
{
    return cim_instance_get_by_name(in, name);
}

static int need_str(const cim_instance *in, const char *name, const char **s,
                    smsprov_error *err)
{
    const cim_value *v = param(in, name);
    if (v == NULL || v->is_null || v->v.s == NULL || v->v.s[0] == '\0')
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter '%s' is required", name);
    *s = v->v.s;
    return 0;
}

static int get_image_properties(provider *p, provider_method_call *call,
                                smsprov_error *err)
{
    (void)p;
    const char *path = NULL;
    char *xml = NULL;
    int rc = need_str(call->in, "SourceImagePath", &path, err);
    if (rc == 0)
        rc = image_properties_xml(path, &xml, err);
    if (rc == 0) {
        cim_value v = cim_value_str(CIM_STRING, xml);
        const cim_property *out =
            cim_class_property(call->out->cls, "ImageProperty", 13);
        rc = out && cim_instance_set(call->out, out->index, &v) == 0
                 ? 0
                 : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    util_free(xml);
    return rc;
}

static int reload_image_properties(provider *p, provider_method_call *call,
                                   smsprov_error *err)
{
    const cim_value *id = cim_instance_get_by_name(call->target, "PackageID");
    if (id == NULL || id->is_null)
        return util_error_set(err, SMSPROV_EINVALID_OBJECT_PATH, -1,
                              "the target has no PackageID");
    return image_package_reload(p, id->v.s, err);
}

static int run_offline_servicing_manager(provider *p,
                                         provider_method_call *call,
                                         smsprov_error *err)
{
    const char *site = NULL, *pkgid = NULL;
    int rc = need_str(call->in, "SiteCode", &site, err);
    if (rc == 0)
        rc = need_str(call->in, "PackageID", &pkgid, err);
    if (rc != 0)
        return rc;
    if (util_stricmp(site, provider_site_code(p)) != 0)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter 'SiteCode': this provider serves "
                              "site %s, not %s",
                              provider_site_code(p), site);
    const cim_value *type = param(call->in, "PackageType");
    if (type != NULL && !type->is_null && type->v.i != PKG_TYPE_IMAGE)
        return util_error_set(err, SMSPROV_ENOTSUPPORTED, -1,
                              "parameter 'PackageType': only OS images (%d) "
                              "are serviced offline here, not %lld",
                              PKG_TYPE_IMAGE, (long long)type->v.i);
    uint32_t n = 0;
    return image_request_run(p, pkgid, &n, err);
}

/* SMS_ImageServicingSchedule.Schedule must be a schedule token string
 * ("" = none): a token that cannot be read would never come due. */
static int check_schedule(const cim_value *v, smsprov_error *err)
{
    provider_schedule t[PROVIDER_SCHEDULE_MAX_TOKENS];
    size_t n = 0;
    size_t len = strlen(v->v.s);
    if (len == 0)
        return 0;
    int rc = provider_schedule_parse(t, PROVIDER_SCHEDULE_MAX_TOKENS, &n,
                                     v->v.s, len, err);
    if (rc != 0) {
        char why[SMSPROV_ERROR_MSG_MAX];
        snprintf(why, sizeof(why), "%s", err->msg);
        util_error_clear(err);
        util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                       "property 'Schedule' is not a schedule token string: "
                       "%s",
                       why);
    }
    return rc;
}

int image_register_methods(provider *p, smsprov_error *err)
{
    int rc = provider_method_register(
        p, "SMS_ImagePackage", "GetImageProperties", get_image_properties, err);
    if (rc == 0)
        rc = provider_method_register(p, "SMS_ImagePackage",
                                      "ReloadImageProperties",
                                      reload_image_properties, err);
    if (rc == 0)
        rc = provider_method_register_ex(
            p, "SMS_ImagePackage", "RunOfflineServicingManager",
            run_offline_servicing_manager, PROVIDER_METHOD_OWN_TX, err);
    if (rc == 0)
        rc = provider_check_register(p, "SMS_ImageServicingSchedule",
                                     "Schedule", check_schedule, err);
    return rc;
}
