/* SPDX-License-Identifier: MIT */
/*
 * MOF loading: creates empty schemas and reads a directory of *.mof files
 * (in name order, so that errors and class ids are reproducible) through
 * mof_parse and mof_schema_finalize.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mof/mof_int.h"

int mof_schema_new(cim_schema **out, smsprov_error *err)
{
    cim_schema *s = util_calloc(1, sizeof(*s));
    *out = NULL;
    if (s == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    s->arena = util_arena_new();
    if (s->arena == NULL) {
        util_free(s);
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    }
    *out = s;
    return 0;
}

/* Sets an error about a file as a whole (no line). */
static int file_error(smsprov_error *err, int code, const char *path,
                      const char *what)
{
    if (err == NULL || err->code != 0)
        return code;
    util_error_set(err, code, -1, "%s", what);
    snprintf(err->file, sizeof(err->file), "%s", path);
    return code;
}

/*
 * Reads a whole file into *text (util_malloc, NUL-terminated, caller
 * frees).  Files over MOF_MAX_TEXT are SMSPROV_ETOOBIG.
 */
static int read_file(const char *path, char **text, size_t *len,
                     smsprov_error *err)
{
    struct stat st;
    char msg[160];
    char *buf = NULL;
    int rc = 0;
    FILE *f = fopen(path, "rb");
    *text = NULL;
    if (f == NULL || fstat(fileno(f), &st) != 0) {
        snprintf(msg, sizeof(msg), "cannot open: %s", strerror(errno));
        rc = file_error(err, SMSPROV_EIO, path, msg);
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = file_error(err, SMSPROV_EIO, path, "not a regular file");
        goto out;
    }
    if (st.st_size > MOF_MAX_TEXT) {
        snprintf(msg, sizeof(msg), "file is larger than %d bytes",
                 MOF_MAX_TEXT);
        rc = file_error(err, SMSPROV_ETOOBIG, path, msg);
        goto out;
    }
    buf = util_malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        rc = file_error(err, SMSPROV_ENOMEM, path, "out of memory");
        goto out;
    }
    *len = fread(buf, 1, (size_t)st.st_size, f);
    if (ferror(f)) {
        snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
        rc = file_error(err, SMSPROV_EIO, path, msg);
        goto out;
    }
    buf[*len] = '\0';
    *text = buf;
    buf = NULL;
out:
    util_free(buf);
    if (f != NULL)
        fclose(f);
    return rc;
}

static bool is_mof_name(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 && util_stricmp(name + n - 4, ".mof") == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the *.mof names of dir, sorted; *names_out is util_malloc'd. */
static int list_dir(const char *dir, char ***names_out, size_t *n_out,
                    smsprov_error *err)
{
    char **names = NULL;
    size_t n = 0, cap = 0;
    char msg[160];
    int rc = 0;
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(msg, sizeof(msg), "cannot open directory: %s",
                 strerror(errno));
        rc = file_error(err, SMSPROV_EIO, dir, msg);
        goto out;
    }
    for (;;) {
        const struct dirent *e = readdir(d);
        if (e == NULL)
            break;
        if (!is_mof_name(e->d_name))
            continue;
        if (n >= MOF_MAX_FILES) {
            snprintf(msg, sizeof(msg), "more than %d MOF files", MOF_MAX_FILES);
            rc = file_error(err, SMSPROV_ETOOBIG, dir, msg);
            goto out;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **nn = util_realloc(names, ncap * sizeof(*nn));
            if (nn == NULL) {
                rc = file_error(err, SMSPROV_ENOMEM, dir, "out of memory");
                goto out;
            }
            names = nn;
            cap = ncap;
        }
        names[n] = util_strdup(e->d_name);
        if (names[n] == NULL) {
            rc = file_error(err, SMSPROV_ENOMEM, dir, "out of memory");
            goto out;
        }
        n++;
    }
    if (n > 1)
        qsort(names, n, sizeof(*names), cmp_names);
out:
    if (d != NULL)
        closedir(d);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            util_free(names[i]);
        util_free(names);
        names = NULL;
        n = 0;
    }
    *names_out = names;
    *n_out = n;
    return rc;
}

int mof_load_dir(cim_schema **out, const char *dir, smsprov_error *err)
{
    cim_schema *s = NULL;
    char **names = NULL;
    size_t nnames = 0;
    util_buf path = UTIL_BUF_INIT(4096);
    char *text = NULL;
    size_t len = 0;
    int rc;
    *out = NULL;
    rc = list_dir(dir, &names, &nnames, err);
    if (rc < 0)
        goto out;
    rc = mof_schema_new(&s, err);
    if (rc < 0)
        goto out;
    for (size_t i = 0; i < nnames; i++) {
        util_buf_reset(&path);
        util_buf_printf(&path, "%s/%s", dir, names[i]);
        if (path.failed) {
            rc = file_error(err, path.failed, dir,
                            path.failed == SMSPROV_ENOMEM ? "out of memory"
                                                          : "path too long");
            goto out;
        }
        rc = read_file(path.data, &text, &len, err);
        if (rc < 0)
            goto out;
        rc = mof_parse(s, path.data, text, len, err);
        util_free(text);
        text = NULL;
        if (rc < 0)
            goto out;
    }
    rc = mof_schema_finalize(s, err);
    if (rc < 0)
        goto out;
    *out = s;
    s = NULL;
out:
    cim_schema_free(s);
    util_free(text);
    util_buf_free(&path);
    for (size_t i = 0; i < nnames; i++)
        util_free(names[i]);
    util_free(names);
    return rc;
}
