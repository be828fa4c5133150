/* SPDX-License-Identifier: MIT */
/*
 * Error objects and the one table that maps each SMSPROV_E* code to its WMI
 * name, HRESULT, HTTP status and a one-line description.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct code_info {
    int code;         /* SMSPROV_E* */
    const char *wbem; /* WMI error name */
    unsigned hresult; /* WMI HRESULT */
    int http;         /* AdminService status */
    const char *doc;  /* one line for docs and --help */
} code_info;

static const code_info codes[] = {
    {SMSPROV_OK, "WBEM_S_NO_ERROR", 0x0, 200, "success"},
    {SMSPROV_EINTERNAL, "WBEM_E_FAILED", 0x80041001, 500, "internal error"},
    {SMSPROV_ENOMEM, "WBEM_E_OUT_OF_MEMORY", 0x80041006, 500, "out of memory"},
    {SMSPROV_EINVALID_QUERY, "WBEM_E_INVALID_QUERY", 0x80041017, 400,
     "the query text is not valid WQL"},
    {SMSPROV_EINVALID_CLASS, "WBEM_E_INVALID_CLASS", 0x80041010, 404,
     "no such class"},
    {SMSPROV_EINVALID_PROPERTY, "WBEM_E_INVALID_PROPERTY", 0x80041031, 400,
     "no such property"},
    {SMSPROV_ETYPE_MISMATCH, "WBEM_E_TYPE_MISMATCH", 0x80041005, 400,
     "a value does not fit the property's type"},
    {SMSPROV_ENOTFOUND, "WBEM_E_NOT_FOUND", 0x80041002, 404,
     "no such instance"},
    {SMSPROV_EEXISTS, "WBEM_E_ALREADY_EXISTS", 0x80041019, 409,
     "an instance with these keys already exists"},
    {SMSPROV_EINVALID_PARAMETER, "WBEM_E_INVALID_PARAMETER", 0x80041008, 400,
     "a parameter or property value is not valid"},
    {SMSPROV_EACCESS, "WBEM_E_ACCESS_DENIED", 0x80041003, 403,
     "the caller's role does not allow this"},
    {SMSPROV_EINVALID_SYNTAX, "WBEM_E_INVALID_SYNTAX", 0x80041021, 400,
     "the MOF text is not valid"},
    {SMSPROV_EIO, "WBEM_E_FAILED", 0x80041001, 500,
     "input/output or database error"},
    {SMSPROV_ENOTSUPPORTED, "WBEM_E_NOT_SUPPORTED", 0x8004100C, 501,
     "the operation is not supported"},
    {SMSPROV_EINVALID_OBJECT_PATH, "WBEM_E_INVALID_OBJECT_PATH", 0x8004103A,
     400, "the object path is not valid"},
    {SMSPROV_EREAD_ONLY, "WBEM_E_READ_ONLY", 0x80041023, 400,
     "the property is read-only for clients"},
    {SMSPROV_EILLEGAL_NULL, "WBEM_E_ILLEGAL_NULL", 0x80041028, 400,
     "a not_null or key property has no value"},
    {SMSPROV_EOUT_OF_RANGE, "WBEM_E_VALUE_OUT_OF_RANGE", 0x8004102B, 400,
     "a value is outside its type's range or SizeLimit"},
    {SMSPROV_EINVALID_METHOD, "WBEM_E_INVALID_METHOD", 0x8004102E, 400,
     "no such method"},
    {SMSPROV_ETOOBIG, "WBEM_E_QUOTA_VIOLATION", 0x8004106C, 413,
     "a size or nesting limit was exceeded"},
    {SMSPROV_EINVALID_OPERATION, "WBEM_E_INVALID_OPERATION", 0x80041016, 400,
     "the operation is not allowed on this object"},
};

static const code_info *find_code(int code)
{
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (codes[i].code == code)
            return &codes[i];
    return &codes[1];
}

const char *smsprov_code_wbem_name(int code)
{
    return find_code(code)->wbem;
}

unsigned int smsprov_code_hresult(int code)
{
    return find_code(code)->hresult;
}

int smsprov_code_http_status(int code)
{
    return find_code(code)->http;
}

const char *smsprov_code_doc(int code)
{
    return find_code(code)->doc;
}

int util_error_setv(smsprov_error *err, int code, int offset, const char *fmt,
                    va_list ap)
{
    if (err == NULL || err->code != 0)
        return code;
    err->code = code;
    err->offset = offset;
    err->line = 0;
    err->col = 0;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    return code;
}

int util_error_set(smsprov_error *err, int code, int offset, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_error_setv(err, code, offset, fmt, ap);
    va_end(ap);
    return code;
}

void util_error_object(smsprov_error *err, const char *name)
{
    if (err == NULL || name == NULL || err->object[0] != '\0')
        return;
    snprintf(err->object, sizeof(err->object), "%s", name);
}

void util_error_clear(smsprov_error *err)
{
    if (err == NULL)
        return;
    err->code = 0;
    err->offset = -1;
    err->line = 0;
    err->col = 0;
    err->object[0] = '\0';
    err->file[0] = '\0';
    err->msg[0] = '\0';
}

void util_error_locate(smsprov_error *err, const char *text, size_t len)
{
    if (err == NULL || err->offset < 0 || text == NULL)
        return;
    size_t end = (size_t)err->offset < len ? (size_t)err->offset : len;
    int line = 1, col = 1;
    for (size_t i = 0; i < end; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            line++;
            col = 1;
        } else if ((c & 0xC0) != 0x80) {
            col++; /* count UTF-8 lead bytes only */
        }
    }
    err->line = line;
    err->col = col;
}

/* Does the message already start with "<file>:" (then it is not
 * repeated in front)? */
static bool names_file(const smsprov_error *err)
{
    size_t n = strlen(err->file);
    return strncmp(err->msg, err->file, n) == 0 && err->msg[n] == ':';
}

void util_error_format(const smsprov_error *err, const char *text, size_t len,
                       char *out, size_t outsz)
{
    size_t n = 0;
    if (outsz == 0)
        return;
    out[0] = '\0';
    if (err->file[0] && err->line > 0)
        n = (size_t)snprintf(out, outsz, "%s:%d:%d: ", err->file, err->line,
                             err->col);
    else if (err->file[0] && !names_file(err))
        n = (size_t)snprintf(out, outsz, "%s: ", err->file);
    else if (err->line > 0)
        n = (size_t)snprintf(out, outsz, "%d:%d: ", err->line, err->col);
    if (n >= outsz)
        return;
    n += (size_t)snprintf(out + n, outsz - n, "%s: %s",
                          smsprov_code_wbem_name(err->code), err->msg);
    if (n >= outsz || text == NULL || err->offset < 0 || err->line <= 0)
        return;
    /* Quote the offending line and put a caret under the column. */
    size_t start = (size_t)err->offset < len ? (size_t)err->offset : len;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    size_t stop = start;
    while (stop < len && text[stop] != '\n')
        stop++;
    if (stop - start > 200)
        return;
    n += (size_t)snprintf(out + n, outsz - n, "\n  %.*s\n  ",
                          (int)(stop - start), text + start);
    for (int c = 1; c < err->col && n + 2 < outsz; c++)
        out[n++] = ' ';
    if (n + 2 < outsz) {
        out[n++] = '^';
        out[n] = '\0';
    }
}

void util_abort_assert(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: internal invariant failed: %s\n", file, line, expr);
    abort();
}
