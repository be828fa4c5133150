/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the AdminService router: the input is a request target
 * (path and query).  URL decoding and route parsing must either succeed
 * with a consistent route or fail with an error; nothing may crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

#define FUZZ_MAX_INPUT (16 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (size > FUZZ_MAX_INPUT)
        return 0;
    util_arena *a = util_arena_new();
    if (a == NULL)
        abort();
    const char *q = memchr(data, '?', size);
    size_t pl = q ? (size_t)(q - (const char *)data) : size;
    char *path = http_url_decode(a, (const char *)data, pl, false);
    if (q)
        (void)http_url_decode(a, q + 1, size - pl - 1, true);
    if (path != NULL) {
        http_route rt;
        int rc = http_route_parse(&rt, a, path, strlen(path), &err);
        if (rc != 0 && err.code == 0)
            abort();
        if (rc == 0) {
            bool needs_cls = rt.kind == HTTP_R_COLLECTION ||
                             rt.kind == HTTP_R_COUNT ||
                             rt.kind == HTTP_R_INSTANCE ||
                             rt.kind == HTTP_R_INSTANCE_METHOD ||
                             rt.kind == HTTP_R_STATIC_METHOD;
            if (needs_cls && rt.cls == NULL)
                abort();
            if ((rt.kind == HTTP_R_INSTANCE ||
                 rt.kind == HTTP_R_INSTANCE_METHOD) &&
                (rt.nkeys == 0 || rt.nkeys > HTTP_MAX_KEYS))
                abort();
            for (uint32_t i = 0; i < rt.nkeys; i++)
                if (rt.keys[i].text == NULL)
                    abort();
            if ((rt.kind == HTTP_R_INSTANCE_METHOD ||
                 rt.kind == HTTP_R_STATIC_METHOD) &&
                rt.method == NULL)
                abort();
        }
    }
    util_arena_free(a);
    return 0;
}
