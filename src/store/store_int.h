/* SPDX-License-Identifier: MIT */
/*
 * store internals: the backend vtable every database implements, the real
 * store and statement structs, and the helpers shared by the files of this
 * folder (JSON codec, SQL building).  Not for use outside src/store.
 */
#ifndef SMSPROV_STORE_INT_H
#define SMSPROV_STORE_INT_H

#include "store/store.h"

#define STORE_SQL_MAX (4u * 1024 * 1024)   /* bytes of one generated SQL */
#define STORE_JSON_MAX (64u * 1024 * 1024) /* bytes of one JSON column */
#define STORE_JSON_MAX_DEPTH 16            /* nesting of embedded objects */
#define STORE_LAYOUT_VERSION 1             /* smsprov_meta schema_version */
#define STORE_OID_COLUMN "__oid" /* rowid alias when the key is not one */

/*
 * One database backend.  Handles are opaque to the dispatcher: `db` is what
 * open returned, `h` what prepare returned.  Every function that can fail
 * returns 0 or a negative SMSPROV_E* code; those with an err parameter put
 * the database's own message in it.
 */
typedef struct store_backend {
    const char *name;      /* "sqlite", for messages */
    store_dialect dialect; /* SQL flavour the planner must emit */
    int (*open)(void **db_out, const char *uri, smsprov_error *err);
    void (*close)(void *db);
    int (*exec)(void *db, const char *sql, smsprov_error *err);
    int (*prepare)(void **h_out, void *db, const char *sql, smsprov_error *err);
    int (*bind_null)(void *h, int i);
    int (*bind_int64)(void *h, int i, int64_t v);
    int (*bind_double)(void *h, int i, double v);
    int (*bind_text)(void *h, int i, const char *z, size_t n);
    int (*step)(void *h, smsprov_error *err); /* 1 row, 0 done, <0 error */
    int (*reset)(void *h);
    int (*column_count)(void *h);
    bool (*column_is_null)(void *h, int i);
    int64_t (*column_int64)(void *h, int i);
    double (*column_double)(void *h, int i);
    const char *(*column_text)(void *h, int i, size_t *len);
    void (*stmt_free)(void *h);
    int64_t (*last_rowid)(void *db);
    int64_t (*changes)(void *db);
} store_backend;

/* An open database connection (one per thread). */
#define STORE_GET_CACHE 64 /* cached per-class statements */

/* What a cached statement of a class does. */
typedef enum store_cached_kind {
    STORE_CACHED_GET = 0,      /* SELECT ... WHERE keys, no lazy columns */
    STORE_CACHED_GET_LAZY = 1, /* the same with lazy columns */
    STORE_CACHED_INSERT = 2,   /* INSERT of every column */
} store_cached_kind;

/* A prepared statement kept for the next get or insert of its class. */
typedef struct store_get_entry {
    const cim_class *cls;   /* class, NULL = free slot */
    store_cached_kind kind; /* what the statement does */
    store_stmt *st;         /* the statement, reset; NULL while in use */
} store_get_entry;

struct store {
    const store_backend *be; /* the backend's functions */
    void *db;                /* the backend's connection handle */
    store_dialect dialect;   /* copied from be->dialect */
    int tx_depth;            /* nesting of store_begin; 0 = autocommit */
    bool tx_doomed;          /* an inner rollback happened: commit fails */
    store_get_entry gets[STORE_GET_CACHE]; /* see instance.c */
};

/* A prepared statement of one connection. */
struct store_stmt {
    store *s; /* owning connection (for its backend) */
    void *h;  /* the backend's statement handle */
};

extern const store_backend store_sqlite_backend;

/* ---- codec.c ------------------------------------------------------------- */

/*
 * Encodes an array or embedded-object value as JSON text into *out
 * (util_malloc'd, caller frees with util_free).  A NULL value gives
 * *out == NULL and 0.
 */
int store_json_encode(char **out, const cim_value *v, smsprov_error *err);
/*
 * Decodes the JSON text of property p (array or embedded object) into *out,
 * allocating from a.  Corrupt text is SMSPROV_EIO naming the property.
 */
int store_json_decode(cim_value *out, util_arena *a, const cim_property *p,
                      const char *text, size_t len, smsprov_error *err);

/* ---- layout.c ------------------------------------------------------------ */

/*
 * Appends the quoted column that aliases the row id: the key of a row-id
 * class, else "__oid".  Used instead of the bare name rowid, which a
 * property of that name would shadow.
 */
int store_sql_rowid(util_buf *out, const cim_class *cls);
/* True when p has a side table: a scalar (non-object) array. */
bool store_prop_has_side_table(const cim_property *p);
/* The SQLite column type of a property (or of one array element when
 * element is true), e.g. "TEXT COLLATE NOCASE". */
const char *store_sql_type(const cim_property *p, bool element);
/*
 * Appends the quoted name of an index, "<kind>:<table>[:<col>[:<suffix>]]".
 * The colons keep index names apart from each other and from tables, whose
 * names are MOF identifiers (no colons).
 */
int store_sql_index_name(util_buf *out, const char *kind, const char *table,
                         const char *col, const char *suffix);

#endif
