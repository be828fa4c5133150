/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the catalog XML readers.  The first byte picks the
 * reader: 0 a c/ x/ l/ fragment, 1 a full <upd:Update> document, 2
 * index.xml, 3 package.xml (streamed from a scratch file, then every
 * record merged with sum_pkg_fill), 4 a GetUpdateData SOAP response
 * (each XmlUpdateBlob parsed as a document).  Bad input must give an error with
 * an offset, never a crash or a leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sum/sum_int.h"
#include "sum/sum_xml.h"

#define FUZZ_MAX_INPUT (1 << 20)

/* Checks what a fragment reader left in u. */
static void check_update(const sum_update *u)
{
    if (u->uid[0] && strlen(u->uid) != SUM_GUID_LEN)
        abort();
    for (uint32_t i = 0; i < u->nlocs; i++)
        if (u->locs[i].lang == NULL)
            abort();
    for (uint32_t i = 0; i < u->supersedes.n; i++)
        if (strlen(u->supersedes.v[i]) != SUM_GUID_LEN)
            abort();
}

static void run_package(const uint8_t *data, size_t size)
{
    static char path[64];
    if (path[0] == '\0')
        snprintf(path, sizeof(path), "/tmp/smsprov-fuzz-pkg-%d.xml",
                 (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    static store *db;
    sum_pkg *pk = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (db == NULL && store_open(&db, ":memory:", &err) != 0)
        abort();
    if (sum_pkg_new(&pk, db, &err) != 0)
        return;
    if (sum_pkg_read(pk, path, NULL, NULL, &err) == 0) {
        util_arena *a = util_arena_new();
        for (uint32_t i = 0; a && i < sum_pkg_count(pk); i++) {
            sum_update u;
            util_arena_reset(a);
            sum_update_init(&u, a);
            if (sum_pkg_fill(pk, i, &u, &err) == 0)
                check_update(&u);
        }
        util_arena_free(a);
    } else if (err.code == 0) {
        abort(); /* a failure must say why */
    }
    sum_pkg_free(pk);
    unlink(path);
}

/* sum_xml_soap callback: parses each blob like a document. */
static int soap_blob(const char *blob, size_t len, const char *digest,
                     const char *url, void *payload, smsprov_error *err)
{
    (void)payload;
    (void)digest;
    (void)url;
    if (blob == NULL)
        return 0;
    util_arena *a = util_arena_new();
    if (a == NULL)
        return 0;
    sum_update u;
    sum_update_init(&u, a);
    if (sum_xml_update(&u, blob, len, false, "blob", err) == 0)
        check_update(&u);
    else
        util_error_clear(err);
    util_arena_free(a);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        sum_xml_init();
        ready = true;
    }
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    int mode = data[0] % 5;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (mode == 3) {
        run_package(data + 1, len);
        return 0;
    }
    if (mode == 4) {
        if (sum_xml_soap(text, len, "soap", soap_blob, NULL, &err) != 0 &&
            err.code == 0)
            abort();
        return 0;
    }
    if (mode == 2) {
        sum_cabref *refs = NULL;
        uint32_t n = 0;
        if (sum_xml_index(&refs, &n, text, len, "index.xml", &err) == 0) {
            for (uint32_t i = 0; i < n; i++)
                if (memchr(refs[i].name, '\0', sizeof(refs[i].name)) == NULL)
                    abort();
        } else if (err.code == 0 || err.offset < 0) {
            abort();
        }
        util_free(refs);
        return 0;
    }
    util_arena *a = util_arena_new();
    if (a == NULL)
        return 0;
    sum_update u;
    sum_update_init(&u, a);
    int rc = sum_xml_update(&u, text, len, mode == 0, "fuzz", &err);
    if (rc == 0)
        check_update(&u);
    else if (err.code == 0)
        abort();
    util_arena_free(a);
    return 0;
}
