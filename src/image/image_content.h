/* SPDX-License-Identifier: MIT */
/* An update's verified content files (content.c). */
#ifndef SMSPROV_IMAGE_CONTENT_H
#define SMSPROV_IMAGE_CONTENT_H

#include "provider/provider.h"

typedef struct image_content {
    const char **paths; /* files in the content library */
    const char **names; /* their FileName */
    uint32_t n;
    int32_t code; /* on failure: the Win32/HRESULT code for the rows */
} image_content;

/*
 * Finds every content file of update ci_id in the library `dir` (with
 * `download`, fetching a missing one from its SourceURL first) and
 * verifies size, SHA-1 and SHA-256 against the catalog.  On failure err
 * names the file and out->code holds the code to report.
 */
int image_content_resolve(image_content *out, util_arena *a, provider *p,
                          const char *dir, bool download, int32_t ci_id,
                          smsprov_error *err);

/* Whether missing content is downloaded (setting image.download). */
bool image_content_download(provider *p);

/* fetch.c: true for the http(s) URLs content is fetched from. */
bool image_fetchable(const char *url);
/* Downloads url to path (through path.part); *code is the Win32/HRESULT
 * for the rows on failure. */
int image_fetch(const char *url, const char *path, int32_t *code,
                smsprov_error *err);

#endif
