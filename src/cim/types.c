/* SPDX-License-Identifier: MIT */
/*
 * CIM type names and integer ranges, as the SDK pages spell them.
 */
#include <string.h>

#include "cim.h"

typedef struct type_info {
    cim_type type;    /* the type */
    const char *name; /* SDK spelling */
    int64_t min;      /* integer range (0/0 for non-integers) */
    int64_t max;
} type_info;

static const type_info types[] = {
    {CIM_NONE, "None", 0, 0},
    {CIM_BOOLEAN, "Boolean", 0, 1},
    {CIM_SINT8, "SInt8", INT8_MIN, INT8_MAX},
    {CIM_UINT8, "UInt8", 0, UINT8_MAX},
    {CIM_SINT16, "SInt16", INT16_MIN, INT16_MAX},
    {CIM_UINT16, "UInt16", 0, UINT16_MAX},
    {CIM_SINT32, "SInt32", INT32_MIN, INT32_MAX},
    {CIM_UINT32, "UInt32", 0, UINT32_MAX},
    {CIM_SINT64, "SInt64", INT64_MIN, INT64_MAX},
    {CIM_UINT64, "UInt64", 0, INT64_MAX},
    {CIM_REAL32, "Real32", 0, 0},
    {CIM_REAL64, "Real64", 0, 0},
    {CIM_CHAR16, "Char16", 0, 0xFFFF},
    {CIM_STRING, "String", 0, 0},
    {CIM_DATETIME, "DateTime", 0, 0},
    {CIM_REFERENCE, "Reference", 0, 0},
    {CIM_OBJECT, "Object", 0, 0},
};

const char *cim_type_name(cim_type t)
{
    if ((unsigned)t >= sizeof(types) / sizeof(types[0]))
        return "None";
    return types[t].name;
}

int cim_type_from_name(const char *z, size_t n, cim_type *out)
{
    for (size_t i = 1; i < sizeof(types) / sizeof(types[0]); i++) {
        if (types[i].type == CIM_REFERENCE)
            continue;
        if (util_streq_slice(types[i].name, z, n)) {
            *out = types[i].type;
            return 0;
        }
    }
    return SMSPROV_ETYPE_MISMATCH;
}

bool cim_type_is_integer(cim_type t)
{
    return t >= CIM_SINT8 && t <= CIM_UINT64;
}

bool cim_type_is_unsigned(cim_type t)
{
    return t == CIM_UINT8 || t == CIM_UINT16 || t == CIM_UINT32 ||
           t == CIM_UINT64;
}

void cim_type_int_range(cim_type t, int64_t *min, int64_t *max)
{
    if ((unsigned)t >= sizeof(types) / sizeof(types[0])) {
        *min = *max = 0;
        return;
    }
    *min = types[t].min;
    *max = types[t].max;
}
