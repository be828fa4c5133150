/* SPDX-License-Identifier: MIT */
/*
 * util: what every other layer may call.  Errors, arenas, bounded buffers,
 * checked number parsing, case-insensitive strings and DMTF date-times.
 * Only this folder calls malloc/free directly; everyone else goes through
 * util_malloc so that tests can inject allocation failures.
 */
#ifndef SMSPROV_UTIL_H
#define SMSPROV_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smsprov/error.h"

/* ---- allocation --------------------------------------------------------- */

void *util_malloc(size_t n);
void *util_calloc(size_t count, size_t size);
void *util_realloc(void *p, size_t n);
void util_free(void *p);
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);

/*
 * Fault injection for torture tests: the N-th allocation of this thread
 * from now (1-based) and every later one fail; 0 turns it off.  Returns
 * the number of allocations made since the last call.
 */
long util_alloc_fail_at(long n);

/* ---- errors ------------------------------------------------------------- */

/*
 * Sets err (if not NULL and not already set: the first error wins) and
 * returns code, so that callers can write `return util_error_set(...)`.
 */
int util_error_set(smsprov_error *err, int code, int offset, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
int util_error_setv(smsprov_error *err, int code, int offset, const char *fmt,
                    va_list ap);
/* Records the class, property or parameter at fault. */
void util_error_object(smsprov_error *err, const char *name);
/* Forgets an error that was handled. */
void util_error_clear(smsprov_error *err);
/* Fills line/col from err->offset against the text that was parsed. */
void util_error_locate(smsprov_error *err, const char *text, size_t len);
/*
 * Formats the error as one line: "[file:]line:col: WBEM_NAME: msg", and when
 * text is given a second line quoting the input and a third with a caret.
 * Always NUL-terminates out (truncating).
 */
void util_error_format(const smsprov_error *err, const char *text, size_t len,
                       char *out, size_t outsz);

/* Debug-only invariant guards (abort in debug, tolerate in release). */
#ifdef NDEBUG
#define UTIL_ALWAYS(x) (x)
#define UTIL_NEVER(x) (x)
#else
#define UTIL_ALWAYS(x)                                                         \
    ((x) ? 1 : (util_abort_assert(#x, __FILE__, __LINE__), 0))
#define UTIL_NEVER(x) ((x) ? (util_abort_assert(#x, __FILE__, __LINE__), 1) : 0)
#endif
void util_abort_assert(const char *expr, const char *file, int line);

/* ---- arena -------------------------------------------------------------- */

/*
 * An arena hands out memory from pages that are freed together.  Built with
 * -DSMSPROV_DEBUG_ARENA every allocation is a separate malloc so that ASan and
 * valgrind see each one.
 */
typedef struct util_arena util_arena;

util_arena *util_arena_new(void);
void util_arena_free(util_arena *a);
/* 16-byte aligned, zeroed memory; NULL when out of memory. */
void *util_arena_alloc(util_arena *a, size_t n);
char *util_arena_strdup(util_arena *a, const char *s);
char *util_arena_strndup(util_arena *a, const char *s, size_t n);
char *util_arena_printf(util_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Makes room for one more element in an arena array of n elements with
 * capacity *cap (doubling it, copying the old elements); returns the
 * array, moved or not, or NULL when out of memory (the old one stays
 * valid).  The old copy is left to the arena.
 */
void *util_arena_grow(util_arena *a, void *arr, size_t n, size_t *cap,
                      size_t elem);
/* Forgets every allocation but keeps one page for reuse (per-row loops). */
void util_arena_reset(util_arena *a);
/* Bytes handed out so far (for limits and tests). */
size_t util_arena_used(const util_arena *a);

/* ---- bounded growable buffer -------------------------------------------- */

typedef struct util_buf {
    char *data; /* NUL-terminated contents, owned; NULL when empty */
    size_t len; /* bytes used, without the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* appends past this fail with SMSPROV_ETOOBIG */
    int failed; /* sticky: an append failed (ENOMEM or ETOOBIG) */
} util_buf;

#define UTIL_BUF_INIT(max)                                                     \
    {                                                                          \
        NULL, 0, 0, (max), 0                                                   \
    }

void util_buf_init(util_buf *b, size_t max);
void util_buf_free(util_buf *b);
void util_buf_reset(util_buf *b);
int util_buf_append(util_buf *b, const char *s, size_t n);
int util_buf_puts(util_buf *b, const char *s);
int util_buf_putc(util_buf *b, char c);
int util_buf_printf(util_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s (NULL = "") with &, <, >, " and ' escaped for XML text and
 * attributes. */
int util_buf_xml_escape(util_buf *b, const char *s);
/* Returns the contents ("" when empty); borrowed. */
const char *util_buf_cstr(const util_buf *b);
/* Hands the contents to the caller (free with util_free); resets b. */
char *util_buf_detach(util_buf *b);

/* ---- strings and numbers ------------------------------------------------ */

int util_stricmp(const char *a, const char *b);
int util_strnicmp(const char *a, const char *b, size_t n);
/* Case-insensitive compare of a NUL-terminated string with a slice. */
bool util_streq_slice(const char *s, const char *z, size_t n);
/* Value of a hexadecimal digit, -1 when c is not one. */
int util_hexval(char c);
/* FNV-1a of the ASCII-lowercased bytes. */
uint32_t util_hash_ci(const char *s, size_t n);
/* Levenshtein distance, case-insensitive, capped at cap. */
int util_edit_distance(const char *a, const char *b, int cap);
/* The length of UTF-8 text s of n bytes cut to at most max bytes, on a
 * character boundary (n itself when it fits). */
size_t util_utf8_cut(const char *s, size_t n, size_t max);

/*
 * Parses a whole decimal integer (optional sign, optional surrounding blanks
 * not allowed) in [min, max].  Returns 0, or SMSPROV_ETYPE_MISMATCH when it is
 * not a number, SMSPROV_EOUT_OF_RANGE when it does not fit.
 */
int util_parse_i64(const char *s, size_t len, int64_t min, int64_t max,
                   int64_t *out);
int util_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);
int util_parse_double(const char *s, size_t len, double *out);

/* ---- DMTF date-time ----------------------------------------------------- */

/*
 * Date-times are UTC microseconds since 1970-01-01 (int64).  DMTF form is
 * yyyymmddHHMMSS.mmmmmmsUUU where sUUU is the offset in minutes from UTC
 * (+060) or "+***" (local time; taken as UTC here, as we run in UTC).
 */
#define UTIL_DMTF_LEN 25

/* Parses DMTF (also accepts '*' wildcards only as "+***" offset). */
int util_dmtf_parse(const char *s, size_t len, int64_t *out);
/*
 * Parses the date/time literal forms WQL accepts: DMTF, ISO-8601
 * (2025-01-15, 2025-01-15 08:30:00, 2025-01-15T08:30:00Z, with .fff and
 * +hh:mm), and the SQL Server styles of the date-and-time page
 * (01/15/2025, 2025.01.15, 15.01.2025, 'Jan 15 2025 8:30AM', ...).
 * Returns SMSPROV_ETYPE_MISMATCH when s is none of them.
 */
int util_datetime_parse(const char *s, size_t len, int64_t *out);
/* Writes 25 chars + NUL in UTC ("...+000"); out must hold 26 bytes. */
void util_dmtf_format(int64_t us, char out[26]);
/* Writes ISO-8601 UTC with Z ("2026-01-15T08:30:00Z", fraction if any). */
void util_iso8601_format(int64_t us, char out[40]);
/* Days-from-civil helpers shared with the WQL date functions. */
int64_t util_days_from_civil(int64_t y, unsigned m, unsigned d);
void util_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Current time in UTC microseconds. */
int64_t util_now_us(void);

#endif
