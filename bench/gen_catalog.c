/* SPDX-License-Identifier: MIT */
/*
 * gen_catalog: writes a synthetic wsusscn2 catalog (sum_gen_catalog) for
 * the import bench and manual tests.
 *   gen_catalog DIR N [--cab] [--seed S] [--bump K] [--drop K] [--german]
 */
#include <stdio.h>
#include <string.h>

#include "sum/sum.h"
#include "util/util.h"

int main(int argc, char **argv)
{
    sum_gen_options o = {0};
    smsprov_error err = SMSPROV_ERROR_INIT;
    uint64_t v;
    if (argc < 3 ||
        util_parse_u64(argv[2], strlen(argv[2]), UINT64_MAX, &o.n) != 0) {
        fprintf(stderr, "usage: gen_catalog DIR N [--cab] [--seed S] "
                        "[--bump K] [--drop K] [--german]\n");
        return 2;
    }
    o.seed = 1;
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        bool has =
            i + 1 < argc && util_parse_u64(argv[i + 1], strlen(argv[i + 1]),
                                           UINT32_MAX, &v) == 0;
        if (strcmp(a, "--cab") == 0)
            o.cab = true;
        else if (strcmp(a, "--german") == 0)
            o.german = true;
        else if (strcmp(a, "--seed") == 0 && has)
            o.seed = v, i++;
        else if (strcmp(a, "--bump") == 0 && has)
            o.revision_bump = (uint32_t)v, i++;
        else if (strcmp(a, "--drop") == 0 && has)
            o.drop_every = (uint32_t)v, i++;
        else {
            fprintf(stderr, "gen_catalog: bad option %s\n", a);
            return 2;
        }
    }
    if (sum_gen_catalog(argv[1], &o, &err) != 0) {
        fprintf(stderr, "gen_catalog: %s\n", err.msg);
        return 1;
    }
    return 0;
}
