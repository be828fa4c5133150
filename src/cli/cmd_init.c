/* SPDX-License-Identifier: MIT */
/*
 * smsprov init: creates an empty database with the schema's tables.
 */
#include "cli/cli.h"

int cmd_init(const cli_globals *g, int argc, char **argv)
{
    provider *p = NULL;
    if (argc > 1) {
        bool help = cli_is_help(argv[1]);
        fprintf(help ? stdout : stderr,
                "usage: smsprov --db PATH init\n\n"
                "Creates the database (SQLite, WAL) with one table per class\n"
                "of the built-in schema. Safe to run again: it only adds what\n"
                "is missing.\n");
        return help ? CLI_OK : CLI_EINPUT;
    }
    int rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    printf("initialized %s (%u classes)\n", g->db,
           provider_schema(p)->nclasses);
    provider_close(p);
    return CLI_OK;
}
