/* SPDX-License-Identifier: MIT */
/*
 * Query cache: compiled plans and their prepared statements, keyed by the
 * WQL text, reused by later identical queries on the same handle (scripts
 * and the AdminService repeat the same queries).  Like SQLite's own
 * statement cache in spirit: a hit skips parse, bind, plan and prepare.
 * Only queries whose result does not depend on the caller or the clock are
 * kept (no row filter, no GetDate()).
 */
#include <string.h>

#include "provider/provider_int.h"

#define QCACHE_SLOTS 16      /* statements kept per handle */
#define QCACHE_MAX_TEXT 4096 /* longer queries are not kept */

typedef struct qcache_entry {
    char *text;     /* WQL text, owned; NULL = free slot */
    size_t len;     /* its length */
    util_arena *a;  /* owns the plan */
    wql_plan *plan; /* compiled plan */
    store_stmt *st; /* prepared statement, bindings in place */
    uint64_t used;  /* last use (LRU) */
    bool busy;      /* a query is stepping it now */
} qcache_entry;

struct prov_qcache {
    qcache_entry e[QCACHE_SLOTS]; /* slots */
    uint64_t tick;                /* use counter */
};

static void entry_clear(qcache_entry *e)
{
    util_free(e->text);
    store_stmt_free(e->st);
    util_arena_free(e->a);
    memset(e, 0, sizeof(*e));
}

void prov_qcache_free(provider *p)
{
    if (p->qcache == NULL)
        return;
    for (int i = 0; i < QCACHE_SLOTS; i++)
        entry_clear(&p->qcache->e[i]);
    util_free(p->qcache);
    p->qcache = NULL;
}

int prov_qcache_take(provider *p, const char *text, size_t len, wql_plan **plan,
                     store_stmt **st)
{
    if (p->qcache == NULL || p->caller != NULL)
        return 0;
    for (int i = 0; i < QCACHE_SLOTS; i++) {
        qcache_entry *e = &p->qcache->e[i];
        if (e->text == NULL || e->busy || e->len != len ||
            memcmp(e->text, text, len) != 0)
            continue;
        store_reset(e->st);
        e->busy = true;
        e->used = ++p->qcache->tick;
        *plan = e->plan;
        *st = e->st;
        return 1;
    }
    return 0;
}

void prov_qcache_release(provider *p, store_stmt *st)
{
    for (int i = 0; p->qcache && i < QCACHE_SLOTS; i++)
        if (p->qcache->e[i].st == st) {
            store_reset(st);
            p->qcache->e[i].busy = false;
        }
}

bool prov_qcache_put(provider *p, const char *text, size_t len, util_arena *a,
                     wql_plan *plan, store_stmt *st)
{
    if (p->caller != NULL || plan->uses_now || len > QCACHE_MAX_TEXT)
        return false;
    if (p->qcache == NULL) {
        p->qcache = util_calloc(1, sizeof(*p->qcache));
        if (p->qcache == NULL)
            return false;
    }
    qcache_entry *victim = NULL;
    for (int i = 0; i < QCACHE_SLOTS; i++) {
        qcache_entry *e = &p->qcache->e[i];
        if (e->busy)
            continue;
        if (victim == NULL || e->text == NULL ||
            (victim->text != NULL && e->used < victim->used))
            victim = e;
        if (e->text == NULL)
            break;
    }
    if (victim == NULL)
        return false;
    char *copy = util_strndup(text, len);
    if (copy == NULL)
        return false;
    entry_clear(victim);
    victim->text = copy;
    victim->len = len;
    victim->a = a;
    victim->plan = plan;
    victim->st = st;
    victim->used = ++p->qcache->tick;
    victim->busy = true;
    return true;
}
