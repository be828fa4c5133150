/* SPDX-License-Identifier: MIT */
/*
 * Demo data: a realistic, deterministic software-update catalog (categories,
 * updates, supersedence, bundles, content, EULAs) with an optional small
 * site around it (devices, collections, compliance, an update group, a
 * package, a deployment) and offline-servicing image status.  Used by
 * `smsprov demo` and by bench/query_bench.
 */
#ifndef SMSPROV_CLI_DEMO_DATA_H
#define SMSPROV_CLI_DEMO_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "provider/provider.h"

#define DEMO_DEFAULT_UPDATES 300  /* updates written by `smsprov demo` */
#define DEMO_DEFAULT_SEED 1       /* seed when none is given */
#define DEMO_MAX_UPDATES 1000000  /* bounds memory (~150 B each) and time */
#define DEMO_FIRST_CI_ID 16777217 /* first site-assigned CI_ID */

/* What to generate.  Start from DEMO_OPTS_INIT. */
typedef struct demo_opts {
    uint32_t updates; /* SMS_SoftwareUpdate rows, 1..DEMO_MAX_UPDATES */
    uint64_t seed;    /* same seed, same data (byte for byte) */
    bool devices;     /* devices, collections, compliance, group, deployment */
    bool images;      /* SMS_ImagePackage + SMS_ImageUpdateStatus */
    bool progress;    /* report phases on stderr */
} demo_opts;

#define DEMO_OPTS_INIT                                                         \
    {                                                                          \
        DEMO_DEFAULT_UPDATES, DEMO_DEFAULT_SEED, true, true, false             \
    }

/*
 * Writes the demo data into the provider's database through provider_put
 * (PROVIDER_INTERNAL), so every qualifier is enforced, inside one store
 * transaction: on error nothing is written and err says which write failed.
 * The database should be empty (existing keys would be modified, not
 * duplicated).  CI_IDs are DEMO_FIRST_CI_ID .. DEMO_FIRST_CI_ID+updates-1;
 * the first five updates are fixed (see demo_data.c) whatever the seed.
 */
int demo_generate(provider *p, const demo_opts *o, smsprov_error *err);

#endif
