/* SPDX-License-Identifier: MIT */
/*
 * Generator internals shared by gen.c (what to write) and cabw.c (where:
 * an extracted directory or real cabinet files).
 */
#ifndef SMSPROV_SUM_GEN_H
#define SMSPROV_SUM_GEN_H

#include <stdio.h>

#include "sum/sum.h"
#include "util/util.h"

/* Receives the members of one detail group ("c/123", bytes). */
typedef struct gen_sink gen_sink;
struct gen_sink {
    int (*put)(gen_sink *s, const char *name, const char *data, size_t len,
               smsprov_error *err);
};

typedef int (*gen_package_fn)(FILE *f, const sum_gen_options *o, util_buf *b,
                              smsprov_error *err);
typedef int (*gen_group_fn)(gen_sink *s, const sum_gen_options *o,
                            uint64_t from, uint64_t to, bool with_cats,
                            util_buf *b, smsprov_error *err);

int sum_gen_write(const char *dir, const sum_gen_options *o,
                  gen_package_fn package, gen_group_fn group,
                  smsprov_error *err);
uint64_t sum_gen_ngroups(const sum_gen_options *o);
int64_t sum_gen_group_start(const sum_gen_options *o, uint64_t g);
void sum_gen_mkdir(const char *path);

/* One member of a cabinet to write: in memory (data) or a file (path). */
typedef struct cabw_member {
    const char *name;
    const char *data; /* NULL: read `path` */
    const char *path;
    uint64_t len;
} cabw_member;

/* Writes an uncompressed (stored) MS-CAB with one folder. */
int sum_cabw_write(const char *path, const cabw_member *m, size_t n,
                   smsprov_error *err);

#endif
