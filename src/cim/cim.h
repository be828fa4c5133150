/* SPDX-License-Identifier: MIT */
/*
 * cim: the CIM object model every other layer speaks.  Types and values,
 * class definitions (built by src/mof, looked up here), instances, and WMI
 * object paths (__PATH, __RELPATH).  Knows nothing of SQL, WQL or HTTP.
 */
#ifndef SMSPROV_CIM_H
#define SMSPROV_CIM_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

/* ---- types -------------------------------------------------------------- */

typedef enum cim_type {
    CIM_NONE = 0,
    CIM_BOOLEAN,
    CIM_SINT8,
    CIM_UINT8,
    CIM_SINT16,
    CIM_UINT16,
    CIM_SINT32,
    CIM_UINT32,
    CIM_SINT64,
    CIM_UINT64,
    CIM_REAL32,
    CIM_REAL64,
    CIM_CHAR16,
    CIM_STRING,
    CIM_DATETIME,
    CIM_REFERENCE, /* object path of another instance (ref:Class) */
    CIM_OBJECT,    /* embedded instance; cim_property.ref_class names it */
} cim_type;

/* "UInt32", "String", "DateTime", ... as the SDK pages spell them. */
const char *cim_type_name(cim_type t);
/* Accepts any case of the MOF type names (uint32, string, datetime,
 * boolean, real64, char16, object); 0 or SMSPROV_ETYPE_MISMATCH. */
int cim_type_from_name(const char *z, size_t n, cim_type *out);
bool cim_type_is_integer(cim_type t);
bool cim_type_is_unsigned(cim_type t);
/* Range of an integer type; UInt64 reports INT64_MAX as its max because
 * values travel as int64 (documented limit). */
void cim_type_int_range(cim_type t, int64_t *min, int64_t *max);

/* ---- values ------------------------------------------------------------- */

struct cim_instance;

/*
 * A value of one property.  Integers of every width (and UInt64 bit
 * patterns) live in `i`; DateTime is UTC microseconds in `i`; strings,
 * char16 and references in `s`.  Arrays keep their elements in `items`
 * (each element has is_array = 0).  Memory belongs to the arena of the
 * instance (or query) that holds the value.
 */
typedef struct cim_value {
    cim_type type;    /* element type */
    uint8_t is_array; /* 1: `items`/`count` hold the elements */
    uint8_t is_null;  /* 1: NULL (no value) */
    uint32_t count;   /* number of elements when is_array */
    union {
        bool b;                   /* CIM_BOOLEAN */
        int64_t i;                /* integers, CIM_DATETIME (UTC us) */
        double r;                 /* CIM_REAL32/64 */
        const char *s;            /* CIM_STRING, CIM_CHAR16, CIM_REFERENCE */
        struct cim_instance *obj; /* CIM_OBJECT */
        struct cim_value *items;  /* arrays */
    } v;
} cim_value;

cim_value cim_value_null(cim_type t, bool is_array);
cim_value cim_value_int(cim_type t, int64_t i);
cim_value cim_value_bool(bool b);
cim_value cim_value_real(cim_type t, double r);
/* s is borrowed: copy it with cim_value_copy before the owner goes. */
cim_value cim_value_str(cim_type t, const char *s);
cim_value cim_value_datetime(int64_t us);

/* Deep-copies src into dst, allocating from a. */
int cim_value_copy(util_arena *a, cim_value *dst, const cim_value *src);
/* Compares two scalar values of the same type (strings case-insensitive);
 * <0, 0, >0.  NULLs sort first. */
int cim_value_compare(const cim_value *a, const cim_value *b);
/*
 * Appends a value as plain text (for tables, CSV, paths): integers in
 * decimal, booleans TRUE/FALSE, DateTime in DMTF UTC, arrays as {a,b},
 * objects as "instance of Class".  NULL appends nothing.
 */
int cim_value_to_text(util_buf *out, const cim_value *v);

/* ---- class definitions -------------------------------------------------- */

typedef struct cim_qualifier {
    const char *name; /* as written, e.g. "SizeLimit" */
    cim_value value;  /* boolean TRUE when written without a value */
    int line;         /* 1-based line in the MOF, 0 unknown */
} cim_qualifier;

/* Property (and method parameter) flags derived from qualifiers. */
enum cim_prop_flag {
    CIM_P_KEY = 1 << 0,
    CIM_P_NOT_NULL = 1 << 1,
    CIM_P_READ = 1 << 2, /* read-only for clients */
    CIM_P_LAZY = 1 << 3,
    CIM_P_UNIQUE = 1 << 4,
    CIM_P_LARGE = 1 << 5,
    CIM_P_IN = 1 << 6,
    CIM_P_OUT = 1 << 7,
    CIM_P_OPTIONAL = 1 << 8,
    CIM_P_DEPRECATED = 1 << 9,
    CIM_P_WRITE = 1 << 10, /* explicit write qualifier */
};

struct cim_class;

typedef struct cim_property {
    const char *name;      /* exact spelling from the spec */
    cim_type type;         /* element type */
    bool is_array;         /* declared with [] */
    const char *ref_class; /* CIM_OBJECT/REFERENCE target class or NULL */
    const struct cim_class *embedded; /* resolved ref_class (CIM_OBJECT) */
    uint32_t flags;                   /* enum cim_prop_flag */
    int64_t size_min;                 /* SizeLimit low, -1 none */
    int64_t size_max;                 /* SizeLimit high, -1 none */
    bool has_range;                   /* Range("lo-hi") given */
    int64_t range_min;                /* Range low */
    int64_t range_max;                /* Range high */
    int32_t max_count;                /* max(n) on arrays, -1 none */
    bool has_default;                 /* `= value` in the MOF */
    cim_value def;                    /* the default value */
    cim_qualifier *quals;             /* every qualifier as written */
    uint32_t nquals;                  /* entries in quals */
    const struct cim_class *origin;   /* class that declared (or overrode) it */
    uint32_t index;                   /* position in the owning class's props */
    int line;                         /* 1-based line in the MOF */
} cim_property;

typedef struct cim_method {
    const char *name;               /* method name */
    cim_type return_type;           /* usually CIM_SINT32 */
    cim_property *params;           /* parameters, flags CIM_P_IN/OUT */
    uint32_t nparams;               /* entries in params */
    cim_qualifier *quals;           /* qualifiers as written */
    uint32_t nquals;                /* entries in quals */
    bool is_static;                 /* [static] qualifier */
    const struct cim_class *origin; /* declaring class */
    int line;                       /* 1-based line in the MOF */
} cim_method;

/* Class flags derived from class qualifiers. */
enum cim_class_flag {
    CIM_C_ABSTRACT = 1 << 0,
    CIM_C_SECURED = 1 << 1,
    CIM_C_EMBEDDED = 1 << 2, /* only lives inside other objects */
    CIM_C_READ = 1 << 3,     /* clients cannot create/modify/delete */
    CIM_C_DYNAMIC = 1 << 4,
    CIM_C_ASSOCIATION = 1 << 5,
};

typedef struct cim_class {
    const char *name;                  /* e.g. "SMS_SoftwareUpdate" */
    const char *parent_name;           /* superclass name or NULL */
    const struct cim_class *parent;    /* resolved superclass */
    uint32_t flags;                    /* enum cim_class_flag */
    cim_property *props;               /* flattened: inherited first */
    uint32_t nprops;                   /* entries in props */
    cim_method *methods;               /* flattened: inherited first */
    uint32_t nmethods;                 /* entries in methods */
    uint32_t *keys;                    /* indexes into props, sorted by name */
    uint32_t nkeys;                    /* entries in keys */
    cim_qualifier *quals;              /* class qualifiers as written */
    uint32_t nquals;                   /* entries in quals */
    const struct cim_class **children; /* direct subclasses */
    uint32_t nchildren;                /* entries in children */
    uint32_t id;                       /* index in the schema */
    const char *file;                  /* MOF file that declared it */
    int line;                          /* 1-based line there */
} cim_class;

/* True when instances may be stored (not abstract, not embedded). */
bool cim_class_is_concrete(const cim_class *c);
bool cim_class_is_a(const cim_class *c, const cim_class *base);
/* Case-insensitive lookups; NULL when absent. */
const cim_property *cim_class_property(const cim_class *c, const char *name,
                                       size_t len);
const cim_method *cim_class_method(const cim_class *c, const char *name,
                                   size_t len);
const cim_qualifier *cim_class_qualifier(const cim_class *c, const char *name);
const cim_qualifier *cim_property_qualifier(const cim_property *p,
                                            const char *name);

/*
 * The class registry.  Built by mof_load*; everything (classes, names,
 * defaults) lives in `arena` and is freed by cim_schema_free.
 */
typedef struct cim_schema {
    util_arena *arena;   /* owns every class and string */
    cim_class **classes; /* all classes, in declaration order */
    uint32_t nclasses;   /* entries in classes */
    uint32_t *slots;     /* hash of class names: id+1, 0 = empty */
    uint32_t nslots;     /* power of two */
} cim_schema;

/* Builds the name index; call after all classes are added. */
int cim_schema_index(cim_schema *s, smsprov_error *err);
const cim_class *cim_schema_class(const cim_schema *s, const char *name,
                                  size_t len);
/* The class name closest to `name` (for "did you mean" hints) or NULL. */
const char *cim_schema_nearest(const cim_schema *s, const char *name);
void cim_schema_free(cim_schema *s);

/* ---- instances ---------------------------------------------------------- */

typedef struct cim_instance {
    const cim_class *cls; /* borrowed from the schema */
    util_arena *arena;    /* holds values; owned when own_arena */
    cim_value *values;    /* cls->nprops entries */
    uint8_t *present;     /* 1 when values[i] was set or selected */
    bool own_arena;       /* free arena with the instance */
} cim_instance;

/*
 * Creates an empty instance (all properties absent).  With arena == NULL the
 * instance gets its own arena; otherwise it allocates from (and lives as long
 * as) the given one.  Free with cim_instance_free.
 */
int cim_instance_new(cim_instance **out, const cim_class *cls,
                     util_arena *arena, smsprov_error *err);
void cim_instance_free(cim_instance *inst);
/* Deep-copies v into property idx and marks it present. */
int cim_instance_set(cim_instance *inst, uint32_t idx, const cim_value *v);
/* Borrowed value of property idx, or NULL when absent. */
const cim_value *cim_instance_get(const cim_instance *inst, uint32_t idx);
/* Same by name (case-insensitive). */
const cim_value *cim_instance_get_by_name(const cim_instance *inst,
                                          const char *name);
/* The integer (also DateTime, Boolean as 0/1) of a present, non-NULL
 * scalar property `name`, else dflt. */
int64_t cim_instance_int(const cim_instance *inst, const char *name,
                         int64_t dflt);
/* The string of a present, non-NULL scalar property `name`, else dflt
 * (borrowed from the instance). */
const char *cim_instance_str(const cim_instance *inst, const char *name,
                             const char *dflt);
/* Deep copy into a new instance with its own arena. */
int cim_instance_clone(cim_instance **out, const cim_instance *src,
                       smsprov_error *err);

/* ---- object paths ------------------------------------------------------- */

typedef struct cim_path_key {
    const char *name; /* key property name as written */
    bool quoted;      /* the value was a quoted string */
    const char *text; /* unescaped value text */
} cim_path_key;

typedef struct cim_path {
    const char *server;     /* "\\\\server\\ns:" prefix parts or NULL */
    const char *ns;         /* namespace or NULL */
    const char *class_name; /* class */
    cim_path_key *keys;     /* keys in the order written */
    uint32_t nkeys;         /* entries in keys */
    bool singleton;         /* Class=@ */
} cim_path;

#define CIM_PATH_MAX 4096
#define CIM_PATH_MAX_KEYS 16

/*
 * Parses `[\\server\ns:]Class.Key=Value[,Key=Value]` (strings in double or
 * single quotes with backslash escapes, numbers and TRUE/FALSE bare) into
 * arena memory.  Errors are SMSPROV_EINVALID_OBJECT_PATH with an offset.
 */
int cim_path_parse(cim_path **out, util_arena *a, const char *text, size_t len,
                   smsprov_error *err);
/*
 * Appends the relative path of an instance: Class.K1=v,K2="s" with keys in
 * alphabetical order as WMI writes them.  All keys must be present.
 */
int cim_path_format_rel(util_buf *out, const cim_instance *inst);
/* Appends \\server\namespace:<relpath>. */
int cim_path_format_full(util_buf *out, const char *server, const char *ns,
                         const cim_instance *inst);

#endif
