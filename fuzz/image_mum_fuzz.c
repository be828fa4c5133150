/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the servicing manifest reader (src/image/mum.c): any
 * bytes (UTF-8, UTF-16, with or without BOM) through image_mum_parse and
 * the KB finder.  Bad input must give an error with an offset inside the
 * input, never a crash or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image_int.h"

#define FUZZ_MAX_INPUT (1 << 20)

/* What a successful parse must look like. */
static void check_package(const image_package *p)
{
    if (p->identity == NULL || p->identity[0] == '\0' || p->kb == NULL ||
        p->full_name == NULL || p->version == NULL || p->arch == NULL ||
        p->release == NULL || p->state != -1 || !p->installed)
        abort();
    size_t n = strlen(p->kb);
    if (n != 0 && (n < 8 || n > 10 || strncmp(p->kb, "KB", 2) != 0))
        abort();
    if (strlen(p->identity) > IMAGE_TEXT_MAX)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    util_arena *a = util_arena_new();
    if (a == NULL)
        return 0;
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_package p;
    int rc = image_mum_parse(&p, a, (const char *)data, size, "fuzz.mum", &err);
    if (rc == 0)
        check_package(&p);
    else if (err.code == 0 || (rc == SMSPROV_EINVALID_SYNTAX &&
                               (err.offset < 0 || (size_t)err.offset > size)))
        abort();

    /* the KB finder on the raw bytes as a string */
    char *s = util_arena_strndup(a, (const char *)data, size);
    char kb[16];
    if (s != NULL && image_kb_find(s, kb) &&
        (strlen(kb) < 8 || strlen(kb) > 10 || strstr(kb, "KB") != kb))
        abort();
    util_arena_free(a);
    return 0;
}
