/* SPDX-License-Identifier: MIT */
/*
 * SMS_ScheduleMethods: the static ReadFromString (interval string ->
 * SMS_ST_* objects) and WriteToString (objects -> interval string) over
 * the codec of schedule.c.  Both only compute: nothing is read from or
 * written to the store.
 */
#include <string.h>

#include "provider/schedule.h"

#define SCHEDULE_CLASS "SMS_ScheduleMethods"

/* Re-reports a codec error as WBEM_E_INVALID_PARAMETER on `param` (array
 * element `elem`, 1-based, 0 for none), keeping its offset (into
 * StringData) and its message. */
static int param_error(smsprov_error *err, const char *param, uint32_t elem,
                       const smsprov_error *e)
{
    int code =
        e->code == SMSPROV_ENOMEM ? SMSPROV_ENOMEM : SMSPROV_EINVALID_PARAMETER;
    util_error_object(err, param);
    if (elem > 0)
        return util_error_set(err, code, e->offset,
                              "parameter '%s': element %u: %s", param,
                              (unsigned)elem, e->msg);
    return util_error_set(err, code, e->offset, "parameter '%s': %s", param,
                          e->msg);
}

static int set_out(provider_method_call *call, const char *name,
                   const cim_value *v, smsprov_error *err)
{
    const cim_property *p =
        cim_class_property(call->out->cls, name, strlen(name));
    if (p == NULL)
        return util_error_set(err, SMSPROV_EINTERNAL, -1,
                              "%s.%s has no [out] parameter %s",
                              call->cls->name, call->method->name, name);
    if (cim_instance_set(call->out, p->index, v) != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    return 0;
}

/*
 * ReadFromString([in] String StringData, [out] SMS_ScheduleToken
 * TokenData[]): one embedded SMS_ST_* object per 16 hex digits.
 */
static int read_from_string(provider *p, provider_method_call *call,
                            smsprov_error *err)
{
    provider_schedule toks[PROVIDER_SCHEDULE_MAX_TOKENS];
    smsprov_error e = SMSPROV_ERROR_INIT;
    size_t n = 0;
    const cim_value *s = cim_instance_get_by_name(call->in, "StringData");
    if (s == NULL || s->is_null) {
        util_error_object(err, "StringData");
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter 'StringData' is required");
    }
    if (provider_schedule_parse(toks, PROVIDER_SCHEDULE_MAX_TOKENS, &n, s->v.s,
                                strlen(s->v.s), &e) != 0)
        return param_error(err, "StringData", 0, &e);
    util_arena *a = util_arena_new();
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    cim_value arr = cim_value_null(CIM_OBJECT, true);
    arr.is_null = 0;
    arr.count = (uint32_t)n;
    arr.v.items = util_arena_alloc(a, sizeof(cim_value) * n);
    int rc = arr.v.items
                 ? 0
                 : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        cim_instance *inst = NULL;
        rc = provider_schedule_to_instance(&inst, provider_schema(p), &toks[i],
                                           a, err);
        arr.v.items[i] = cim_value_null(CIM_OBJECT, false);
        arr.v.items[i].is_null = 0;
        arr.v.items[i].v.obj = inst;
    }
    if (rc == 0)
        rc = set_out(call, "TokenData", &arr, err);
    util_arena_free(a);
    return rc;
}

/*
 * WriteToString([in] SMS_ScheduleToken TokenData[], [out] String
 * StringData): the interval string of the tokens, in their order.
 */
static int write_to_string(provider *p, provider_method_call *call,
                           smsprov_error *err)
{
    provider_schedule toks[PROVIDER_SCHEDULE_MAX_TOKENS];
    smsprov_error e = SMSPROV_ERROR_INIT;
    (void)p;
    const cim_value *td = cim_instance_get_by_name(call->in, "TokenData");
    if (td == NULL || td->is_null || td->count == 0) {
        util_error_object(err, "TokenData");
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "parameter 'TokenData' needs at least one "
                              "SMS_ST_* token");
    }
    if (td->count > PROVIDER_SCHEDULE_MAX_TOKENS) {
        util_error_object(err, "TokenData");
        return util_error_set(err, SMSPROV_ETOOBIG, -1,
                              "parameter 'TokenData': more than %d tokens",
                              PROVIDER_SCHEDULE_MAX_TOKENS);
    }
    for (uint32_t i = 0; i < td->count; i++) {
        const cim_instance *inst = td->v.items[i].v.obj;
        int rc = inst ? provider_schedule_from_instance(&toks[i], inst, &e)
                      : util_error_set(&e, SMSPROV_EINVALID_PARAMETER, -1,
                                       "is null");
        if (rc != 0)
            return param_error(err, "TokenData", i + 1, &e);
    }
    util_buf b = UTIL_BUF_INIT(
        (size_t)PROVIDER_SCHEDULE_MAX_TOKENS * PROVIDER_SCHEDULE_TOKEN_LEN + 1);
    int rc = provider_schedule_format(toks, td->count, &b, err);
    if (rc == 0) {
        cim_value v = cim_value_str(CIM_STRING, util_buf_cstr(&b));
        rc = set_out(call, "StringData", &v, err);
    }
    util_buf_free(&b);
    return rc;
}

int provider_schedule_register_methods(provider *p, smsprov_error *err)
{
    int rc = provider_method_register(p, SCHEDULE_CLASS, "ReadFromString",
                                      read_from_string, err);
    if (rc == 0)
        rc = provider_method_register(p, SCHEDULE_CLASS, "WriteToString",
                                      write_to_string, err);
    return rc;
}
