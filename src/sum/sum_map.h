/* SPDX-License-Identifier: MIT */
/*
 * sum_map: string -> int64 open-addressing hash map with borrowed keys.
 */
#ifndef SMSPROV_SUM_MAP_H
#define SMSPROV_SUM_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct sum_map {
    const char **keys; /* borrowed; NULL = empty slot */
    int64_t *vals;
    size_t cap, n; /* cap is a power of two */
} sum_map;

void sum_map_init(sum_map *m);
void sum_map_free(sum_map *m);
/* Inserts or replaces; the key must outlive the map. */
int sum_map_put(sum_map *m, const char *key, int64_t val);
bool sum_map_get(const sum_map *m, const char *key, int64_t *val);

#endif
