/* SPDX-License-Identifier: MIT */
/*
 * A string-keyed open-addressing hash map to 64-bit values (GUIDs to
 * records, digests to URLs, unique IDs to database ids).  Keys are
 * borrowed: they must outlive the map (arena strings).
 */
#include <string.h>

#include "sum/sum_map.h"

#define MAP_MIN_CAP 64

/* FNV-1a, case-sensitive (keys are normalised by the callers). */
static uint64_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void sum_map_init(sum_map *m)
{
    memset(m, 0, sizeof(*m));
}

void sum_map_free(sum_map *m)
{
    util_free(m->keys);
    util_free(m->vals);
    memset(m, 0, sizeof(*m));
}

/* Doubles the table. */
static int rehash(sum_map *m)
{
    size_t nc = m->cap ? m->cap * 2 : MAP_MIN_CAP;
    const char **nk = util_calloc(nc, sizeof(*nk));
    int64_t *nv = util_calloc(nc, sizeof(*nv));
    if (nk == NULL || nv == NULL) {
        util_free(nk);
        util_free(nv);
        return SMSPROV_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == NULL)
            continue;
        size_t j = hash(m->keys[i]) & (nc - 1);
        while (nk[j] != NULL)
            j = (j + 1) & (nc - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    util_free(m->keys);
    util_free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = nc;
    return 0;
}

int sum_map_put(sum_map *m, const char *key, int64_t val)
{
    if ((m->n + 1) * 4 > m->cap * 3) {
        int rc = rehash(m);
        if (rc != 0)
            return rc;
    }
    size_t j = hash(key) & (m->cap - 1);
    while (m->keys[j] != NULL) {
        if (strcmp(m->keys[j], key) == 0) {
            m->vals[j] = val;
            return 0;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return 0;
}

bool sum_map_get(const sum_map *m, const char *key, int64_t *val)
{
    if (m->cap == 0)
        return false;
    size_t j = hash(key) & (m->cap - 1);
    while (m->keys[j] != NULL) {
        if (strcmp(m->keys[j], key) == 0) {
            if (val)
                *val = m->vals[j];
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}
