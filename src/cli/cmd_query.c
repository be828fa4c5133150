/* SPDX-License-Identifier: MIT */
/*
 * smsprov query: runs one WQL query and prints the rows; --explain only
 * parses, binds and plans.
 */
#include <string.h>

#include "cli/cli.h"

static void print_help(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH query [--format table|json|csv|mof]\n"
            "                               [--system] [--explain] \"WQL\"\n\n"
            "Runs an Extended WQL SELECT as the SMS Provider does.\n"
            "Lazy properties (e.g. SMS_SoftwareUpdate.SDMPackageXML,\n"
            "LocalizedInformation) are never returned by a query, not by\n"
            "SELECT * nor when named (they come back NULL): use 'smsprov get'\n"
            "with the object path to read them.\n\n"
            "  --format F   table (default), json, csv or mof\n"
            "  --system     JSON: add __CLASS, __RELPATH and __PATH\n"
            "  --explain    parse, bind and plan only; print the SQL\n\n"
            "Exit status: 0 ok, 2 invalid query (the error names the WMI code\n"
            "and the line:col, with a caret under the query), 1 internal.\n");
}

int cmd_query(const cli_globals *g, int argc, char **argv)
{
    cli_format fmt = CLI_FMT_TABLE;
    bool explain = false, sys = false;
    const char *wql = NULL;
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (cli_parse_format(argv[++i], &fmt) != 0)
                return CLI_EINPUT;
        } else if (strcmp(argv[i], "--explain") == 0) {
            explain = true;
        } else if (strcmp(argv[i], "--system") == 0) {
            sys = true;
        } else if (wql == NULL && (argv[i][0] != '-' || argv[i][1] == '\0')) {
            wql = argv[i];
        } else {
            fprintf(stderr, "smsprov query: unexpected argument '%s'\n",
                    argv[i]);
            print_help(stderr);
            return CLI_EINPUT;
        }
    }
    if (wql == NULL) {
        print_help(stderr);
        return CLI_EINPUT;
    }
    rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    size_t len = strlen(wql);
    if (explain) {
        util_buf out = UTIL_BUF_INIT(1 << 24);
        if (provider_explain(p, wql, len, &out, &err) == 0)
            fputs(util_buf_cstr(&out), stdout);
        util_buf_free(&out);
    } else {
        cli_print_query(p, wql, len, fmt, sys, stdout, &err);
    }
    provider_close(p);
    return err.code ? cli_report(&err, wql, len) : CLI_OK;
}

int cli_print_query(provider *p, const char *wql, size_t len, cli_format fmt,
                    bool sys, FILE *f, smsprov_error *err)
{
    cli_writer *w = NULL;
    if (cli_writer_new(&w, p, fmt, f, sys) != 0)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (provider_query(p, wql, len, cli_writer_row, w, err) != 0) {
        cli_writer_discard(w);
    } else if (!cli_writer_started(w)) {
        /* no row came: the plan still names the columns (CSV header) */
        util_arena *a = util_arena_new();
        wql_plan *plan = NULL;
        if (a && provider_plan(&plan, a, p, wql, len, err) == 0)
            cli_writer_header(w, plan);
        util_arena_free(a);
    }
    cli_writer_finish(w);
    return err->code;
}
