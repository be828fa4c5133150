/* SPDX-License-Identifier: MIT */
/*
 * Helpers every subcommand uses: opening the database, reporting errors as
 * one line with the WMI error name, exit codes, reading input files.
 */
#include <errno.h>
#include <string.h>

#include "cli/cli.h"
#include "image/image.h"
#include "provider/schedule.h"
#include "site/site.h"
#include "sum/sum_methods.h"

int cli_exit_code(int code)
{
    switch (code) {
    case SMSPROV_OK:
        return CLI_OK;
    case SMSPROV_EINTERNAL:
    case SMSPROV_ENOMEM:
    case SMSPROV_EIO:
        return CLI_EINTERNAL;
    default:
        return CLI_EINPUT;
    }
}

int cli_report(const smsprov_error *err, const char *text, size_t len)
{
    char line[2048];
    util_error_format(err, text, len, line, sizeof(line));
    fprintf(stderr, "smsprov: %s\n", line);
    return cli_exit_code(err->code ? err->code : SMSPROV_EINTERNAL);
}

int cli_register_methods(provider *p, smsprov_error *err)
{
    int rc = sum_register_methods(p, err);
    if (rc == 0)
        rc = site_register_methods(p, err);
    if (rc == 0)
        rc = image_register_methods(p, err);
    if (rc == 0)
        rc = provider_schedule_register_methods(p, err);
    return rc;
}

int cli_open(provider **out, const cli_globals *g)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (g->db == NULL || g->db[0] == '\0') {
        fprintf(stderr, "smsprov: no database: give --db PATH or set "
                        "SMSPROV_DB\n");
        return CLI_EINPUT;
    }
    if (provider_open(out, g->db, &err) != 0)
        return cli_report(&err, NULL, 0);
    if (cli_register_methods(*out, &err) != 0) {
        provider_close(*out);
        *out = NULL;
        return cli_report(&err, NULL, 0);
    }
    return CLI_OK;
}

int cli_parse_format(const char *s, cli_format *out)
{
    static const struct {
        const char *name;
        cli_format fmt;
    } names[] = {{"table", CLI_FMT_TABLE},
                 {"json", CLI_FMT_JSON},
                 {"csv", CLI_FMT_CSV},
                 {"mof", CLI_FMT_MOF}};
    for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].fmt;
            return 0;
        }
    fprintf(stderr, "smsprov: --format must be table, json, csv or mof\n");
    return CLI_EINPUT;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

char *cli_read_file(const char *path, size_t *len, smsprov_error *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    util_buf b = UTIL_BUF_INIT((size_t)1 << 32);
    char chunk[65536];
    size_t n;
    if (f == NULL) {
        snprintf(err->file, sizeof(err->file), "%s", path);
        util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1, "cannot open: %s",
                       strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        util_buf_append(&b, chunk, n);
    if (f != stdin)
        fclose(f);
    if (b.failed) {
        util_buf_free(&b);
        util_error_set(err, SMSPROV_ENOMEM, -1, "cannot read %s", path);
        return NULL;
    }
    *len = b.len;
    return util_buf_detach(&b);
}
