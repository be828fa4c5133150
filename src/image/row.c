/* SPDX-License-Identifier: MIT */
/*
 * Building one SMS_Image* row by property name and writing it through the
 * provider (as the provider itself: qualifier rules and defaults apply).
 * The first failure sticks, so callers set every property and check once.
 */
#include <string.h>

#include "image/image_int.h"
#include "image/image_row.h"

int image_row_new(image_row *r, provider *p, const char *cls,
                  smsprov_error *err)
{
    memset(r, 0, sizeof(*r));
    r->err = err;
    const cim_class *c = cim_schema_class(provider_schema(p), cls, strlen(cls));
    if (c == NULL)
        return r->rc = util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                                      "the schema has no class '%s'", cls);
    return r->rc = cim_instance_new(&r->inst, c, NULL, err);
}

static void set(image_row *r, const char *prop, cim_value v, bool typed)
{
    if (r->rc != 0)
        return;
    const cim_property *pr =
        cim_class_property(r->inst->cls, prop, strlen(prop));
    if (pr == NULL) {
        r->rc = util_error_set(r->err, SMSPROV_EINVALID_PROPERTY, -1,
                               "class %s has no property '%s'",
                               r->inst->cls->name, prop);
        return;
    }
    if (!typed)
        v.type = pr->type; /* integers take the property's width */
    if (cim_instance_set(r->inst, pr->index, &v) != 0)
        r->rc = util_error_set(r->err, SMSPROV_ENOMEM, -1, "out of memory");
}

void image_row_int(image_row *r, const char *prop, int64_t v)
{
    set(r, prop, cim_value_int(CIM_SINT64, v), false);
}

void image_row_str(image_row *r, const char *prop, const char *s)
{
    set(r, prop, cim_value_str(CIM_STRING, s ? s : ""), true);
}

void image_row_bool(image_row *r, const char *prop, bool b)
{
    set(r, prop, cim_value_bool(b), true);
}

void image_row_time(image_row *r, const char *prop, int64_t us)
{
    set(r, prop, cim_value_datetime(us), true);
}

int image_row_put(image_row *r, provider *p)
{
    int rc = r->rc;
    if (rc == 0)
        rc = provider_put(NULL, NULL, p, r->inst, PROVIDER_INTERNAL, r->err);
    cim_instance_free(r->inst);
    r->inst = NULL;
    return rc;
}

void image_row_free(image_row *r)
{
    cim_instance_free(r->inst);
    r->inst = NULL;
}
