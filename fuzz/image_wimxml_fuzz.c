/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the WIM XML reader (src/image/wim.c,
 * image_wim_xml_parse): the document as wimlib hands it over (UTF-16LE)
 * or as UTF-8.  A success must give a dense index array (idx[i].index ==
 * i + 1) with every string set; a failure an error with an offset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/image_int.h"

#define FUZZ_MAX_INPUT (1 << 20)

static void check_index(const image_index *ix, uint32_t i)
{
    if (ix->index != (int)i + 1)
        abort();
    const char *s[] = {ix->name,         ix->description,  ix->edition,
                       ix->product_name, ix->install_type, ix->product_type,
                       ix->languages,    ix->default_lang, ix->staged};
    for (size_t k = 0; k < sizeof(s) / sizeof(s[0]); k++)
        if (s[k] == NULL || strlen(s[k]) > IMAGE_TEXT_MAX)
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
    image_wim w = {0};
    int rc = image_wim_xml_parse(&w, a, (const char *)data, size, &err);
    if (rc == 0) {
        if (w.xml == NULL || w.count > IMAGE_MAX_INDEXES ||
            (w.count > 0 && w.idx == NULL))
            abort();
        for (uint32_t i = 0; i < w.count; i++)
            check_index(&w.idx[i], i);
    } else if (err.code == 0 || w.count != 0 ||
               (rc == SMSPROV_EINVALID_SYNTAX && err.offset < 0)) {
        abort();
    }
    util_arena_free(a);
    return 0;
}
