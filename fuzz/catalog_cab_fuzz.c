/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the CAB path: the input is written as a cabinet and
 * imported with sum_import into one in-memory database (libmspack opens
 * it, nested package.cab / packageN.cab are extracted, package.xml and the
 * fragments are parsed, rows written).  A corrupt cabinet must give an
 * error naming the file, and then roll back; nothing may crash or leak.
 * The members of the outer cabinet are also walked with sum_cab_each.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sum/sum_int.h"

#define FUZZ_MAX_INPUT (4 << 20)
#define FUZZ_DB_RUNS 500 /* fresh database every so many inputs (memory) */

static provider *db;

static int count_member(const char *member, const char *data, size_t len,
                        void *payload, smsprov_error *err)
{
    (void)member;
    (void)data;
    (void)err;
    *(size_t *)payload += len;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    smsprov_error err = SMSPROV_ERROR_INIT;
    static unsigned runs;
    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (db != NULL && ++runs % FUZZ_DB_RUNS == 0) {
        provider_close(db);
        db = NULL;
    }
    if (db == NULL && provider_open(&db, ":memory:", &err) != 0)
        abort();
    if (path[0] == '\0')
        snprintf(path, sizeof(path), "/tmp/smsprov-fuzz-%d.cab", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    sum_cab *c = NULL;
    if (sum_cab_open(&c, path, &err) == 0) {
        size_t total = 0;
        util_error_clear(&err);
        sum_cab_each(c, count_member, &total, &err);
        sum_cab_close(c);
    } else if (err.code == 0) {
        abort();
    }
    util_error_clear(&err);
    sum_options o = {0};
    o.expire_months = SUM_EXPIRE_NEVER;
    sum_stats st;
    if (sum_import(db, path, &o, &st, &err) != 0 && err.code == 0)
        abort();
    unlink(path);
    return 0;
}
