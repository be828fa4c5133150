/* SPDX-License-Identifier: MIT */
/*
 * Data-driven parser tests: every tests/wql/cases/NNNN.txt holds a query,
 * a line "----", then the expected wql_dump output (whitespace-insensitive,
 * may wrap) or "error CODE line:col".  Set WQL_CASES_UPDATE=1 to rewrite
 * the expectations from the current output (review the diff!).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wql/wql.h"

#define CASES_DIR "tests/wql/cases"
#define MAX_CASES 1000
#define MAX_CASE_BYTES (256 * 1024)

static const struct {
    int code;
    const char *name;
} code_names[] = {
    {SMSPROV_EINVALID_QUERY, "EINVALID_QUERY"},
    {SMSPROV_ETOOBIG, "ETOOBIG"},
    {SMSPROV_ENOMEM, "ENOMEM"},
    {SMSPROV_EINVALID_PARAMETER, "EINVALID_PARAMETER"},
    {SMSPROV_EINTERNAL, "EINTERNAL"},
};

static const char *code_name(int code)
{
    for (size_t i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
        if (code_names[i].code == code)
            return code_names[i].name;
    return "E?";
}

/* Reads a whole file (util_malloc'd, NUL-terminated) or NULL. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = util_malloc(MAX_CASE_BYTES + 1);
    size_t n = buf ? fread(buf, 1, MAX_CASE_BYTES, f) : 0;
    fclose(f);
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Collapses whitespace runs to one space and trims, in place. */
static void squash(char *s)
{
    char *w = s;
    int space = 0;
    for (char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = 0;
        *w++ = *r;
    }
    *w = '\0';
}

/*
 * Runs one case file; returns 1 when it passes.  *actual_out receives the
 * actual result line (util_malloc'd) for update mode.
 */
static int run_case(const char *path, char **actual_out, char **query_out)
{
    size_t len = 0;
    char *text = read_file(path, &len);
    int ok = 0;
    char *sep = text ? strstr(text, "\n----\n") : NULL;
    char *expected = sep ? sep + 6 : NULL;
    if (text != NULL && strncmp(text, "----\n", 5) == 0) {
        sep = text; /* empty query */
        expected = text + 5;
    }
    if (sep == NULL) {
        fprintf(stderr, "%s: no '----' line\n", path);
        util_free(text);
        return 0;
    }
    *sep = '\0';
    size_t qlen = (size_t)(sep - text);
    squash(expected);

    util_arena *a = util_arena_new();
    util_buf out = UTIL_BUF_INIT(1 << 20);
    smsprov_error err = SMSPROV_ERROR_INIT;
    wql_select *s = NULL;
    int rc = wql_parse(&s, a, text, qlen, &err);
    if (rc == 0) {
        assert_non_null(s);
        assert_int_equal(wql_dump(&out, s), 0);
    } else {
        assert_null(s);
        assert_int_equal(err.code, rc);
        util_error_locate(&err, text, qlen);
        util_buf_printf(&out, "error %s %d:%d", code_name(rc), err.line,
                        err.col);
    }
    char *actual = util_buf_detach(&out);
    squash(actual);
    ok = strcmp(actual, expected) == 0;
    if (!ok) {
        fprintf(stderr, "%s:\n  query:    %s\n  expected: %s\n  actual:   %s\n",
                path, text, expected, actual);
        if (rc != 0)
            fprintf(stderr, "  message:  %s\n", err.msg);
    }
    *actual_out = actual;
    *query_out = util_strndup(text, qlen);
    util_arena_free(a);
    util_buf_free(&out);
    util_free(text);
    return ok;
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Rewrites a case file with the actual result. */
static void update_case(const char *path, const char *query, const char *actual)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return;
    fprintf(f, "%s\n----\n%s\n", query, actual);
    fclose(f);
}

static void test_wql_cases__all(void **state)
{
    (void)state;
    DIR *d = opendir(CASES_DIR);
    assert_non_null(d);
    char *names[MAX_CASES];
    int n = 0;
    for (struct dirent *e = readdir(d); e != NULL && n < MAX_CASES;
         e = readdir(d)) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = util_strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
    const char *update = getenv("WQL_CASES_UPDATE");
    int failed = 0;
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", CASES_DIR, names[i]);
        char *actual = NULL, *query = NULL;
        if (!run_case(path, &actual, &query)) {
            failed++;
            if (update != NULL && *update == '1' && query && actual)
                update_case(path, query, actual);
        }
        util_free(actual);
        util_free(query);
        util_free(names[i]);
    }
    fprintf(stderr, "%d cases, %d failed\n", n, failed);
    assert_true(n >= 60);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wql_cases__all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
