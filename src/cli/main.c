/* SPDX-License-Identifier: MIT */
/*
 * smsprov: entry point.  Parses the global options and dispatches to the
 * subcommand named in the table below.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

typedef struct cli_cmd {
    const char *name;  /* subcommand */
    cli_cmd_fn fn;     /* implementation */
    const char *brief; /* one line for --help */
} cli_cmd;

static const cli_cmd commands[] = {
    {"init", cmd_init, "create an empty database with the schema"},
    {"query", cmd_query, "run a WQL query (lazy properties are not returned)"},
    {"get", cmd_get, "show one instance by object path, lazy properties too"},
    {"put", cmd_put, "create or modify an instance from JSON"},
    {"delete", cmd_delete, "delete an instance by object path"},
    {"describe", cmd_describe, "show a class: properties, qualifiers, methods"},
    {"invoke", cmd_invoke, "call a class or instance method"},
    {"import", cmd_import, "bulk-load instances from JSON lines"},
    {"export", cmd_export, "dump the instances of a class as JSON lines"},
    {"import-catalog", cmd_import_catalog,
     "import a Microsoft Update catalog (wsusscn2.cab, update XML)"},
    {"sync", cmd_sync, "synchronize the catalog from the configured source"},
    {"demo", cmd_demo, "build the demo database"},
    {"serve", cmd_serve, "serve the AdminService REST/OData API over HTTPS"},
    {"admin", cmd_admin, "manage administrative users, roles, tokens"},
    {"image", cmd_image,
     "offline servicing of WIM images: add, scan, schedule, run"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: smsprov [--db PATH] COMMAND [ARGS...]\n\n"
               "A Linux-native ConfigMgr SMS Provider for software updates.\n"
               "The database is --db PATH or $SMSPROV_DB.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].brief);
    fprintf(f, "\nRun 'smsprov COMMAND --help' for a command's options.\n"
               "Exit status: 0 ok, 2 bad input or query, 1 internal "
               "error.\n");
}

int main(int argc, char **argv)
{
    cli_globals g = {getenv("SMSPROV_DB")};
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            g.db = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            g.db = argv[i] + 5;
            i++;
        } else if (cli_is_help(argv[i])) {
            usage(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("smsprov 0.1.0\n");
            return CLI_OK;
        } else {
            fprintf(stderr, "smsprov: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return CLI_EINPUT;
        }
    }
    if (i == argc) {
        usage(stderr);
        return CLI_EINPUT;
    }
    for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
        if (strcmp(argv[i], commands[k].name) == 0)
            return commands[k].fn(&g, argc - i, argv + i);
    fprintf(stderr, "smsprov: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return CLI_EINPUT;
}
