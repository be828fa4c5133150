/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: WQL parser + binder + planner against the built-in schema.
 * Any input must give a plan or a positioned error, never a crash.
 */
#include <stdint.h>
#include <stdlib.h>

#include "provider/provider.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cim_schema *schema;
    if (schema == NULL) {
        smsprov_error err = SMSPROV_ERROR_INIT;
        if (provider_load_schema(&schema, &err) != 0)
            abort();
    }
    util_arena *a = util_arena_new();
    wql_plan *plan = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (a == NULL)
        return 0;
    int rc = wql_compile(&plan, a, schema, (const char *)data, size,
                         WQL_DIALECT_SQLITE, 0, &err);
    if (rc != 0 && err.code == 0)
        abort(); /* every failure must say why */
    util_arena_free(a);
    return 0;
}
