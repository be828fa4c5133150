/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the MOF parser: arbitrary bytes go through mof_parse and
 * mof_schema_finalize into a fresh schema.  Bad input must give a
 * positioned error, never a crash or a leak; good input must give a schema
 * whose invariants hold.  A line "----" splits the input into two files so
 * that cross-file references are exercised too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mof/mof.h"

#define FUZZ_MAX_INPUT (1 << 20)

/* Aborts (a finding for the fuzzer) when a finalized schema is broken. */
static void check_schema(const cim_schema *s)
{
    for (uint32_t i = 0; i < s->nclasses; i++) {
        const cim_class *c = s->classes[i];
        if (c->id != i || cim_schema_class(s, c->name, strlen(c->name)) != c)
            abort();
        if (c->parent != NULL && c->parent->nprops > c->nprops)
            abort();
        for (uint32_t k = 0; k < c->nprops; k++) {
            const cim_property *p = &c->props[k];
            if (p->index != k || p->origin == NULL)
                abort();
            if (p->type == CIM_OBJECT && p->ref_class != NULL &&
                p->embedded == NULL)
                abort();
        }
        for (uint32_t k = 0; k < c->nkeys; k++)
            if (c->keys[k] >= c->nprops ||
                !(c->props[c->keys[k]].flags & CIM_P_KEY))
                abort();
        for (uint32_t k = 0; k < c->nchildren; k++)
            if (c->children[k]->parent != c)
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    cim_schema *s = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    char msg[1024];
    size_t first = size;
    int rc;
    if (size > FUZZ_MAX_INPUT || mof_schema_new(&s, &err) != 0)
        return 0;
    const char *sep = memmem(text, size, "\n----\n", 6);
    if (sep != NULL)
        first = (size_t)(sep - text);
    rc = mof_parse(s, "one.mof", text, first, &err);
    if (rc == 0 && sep != NULL)
        rc = mof_parse(s, "two.mof", sep + 6, size - first - 6, &err);
    if (rc == 0)
        rc = mof_schema_finalize(s, &err);
    if (rc == 0) {
        check_schema(s);
    } else {
        if (err.code != rc || err.msg[0] == '\0' || err.file[0] == '\0')
            abort();
        util_error_format(&err, text, size, msg, sizeof(msg));
    }
    cim_schema_free(s);
    return 0;
}
