/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the OData query options: the input is split at NUL bytes
 * into $filter, $select and $orderby; the translator must either build a
 * SELECT or fail with a positioned error, and every SELECT it builds must
 * plan against the built-in schema or fail cleanly (no crash, no leak).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

#define FUZZ_MAX_INPUT (64 * 1024)

static cim_schema *schema;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (schema == NULL && provider_load_schema(&schema, &err) != 0)
        abort();
    util_arena *a = util_arena_new();
    char *text = util_arena_alloc(a, size + 2);
    if (a == NULL || text == NULL)
        abort();
    memcpy(text, data, size);
    text[size] = text[size + 1] = '\0';
    odata_options o;
    memset(&o, 0, sizeof(o));
    o.filter = text;
    const char *s = memchr(text, '\0', size + 1);
    if ((size_t)(s - text) < size) {
        o.select = s + 1;
        const char *t = s + 1 + strlen(s + 1);
        if ((size_t)(t - text) < size)
            o.orderby = t + 1;
    }
    wql_node *where = NULL;
    int rc = odata_filter_parse(&where, a, text, strlen(text), &err);
    if ((rc != 0) != (where == NULL) || (rc != 0 && err.code == 0))
        abort();
    util_error_clear(&err);
    wql_select *sel = NULL;
    bool selected = false;
    rc = odata_build_select(&sel, a, "SMS_SoftwareUpdate", &o, &selected, &err);
    if (rc == 0) {
        wql_plan *plan = NULL;
        util_error_clear(&err);
        if (wql_plan_build(&plan, a, schema, sel, WQL_DIALECT_SQLITE, 0,
                           &err) != 0 &&
            err.code == 0)
            abort();
    } else if (err.code == 0) {
        abort();
    }
    util_arena_free(a);
    return 0;
}
