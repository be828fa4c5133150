/* SPDX-License-Identifier: MIT */
/*
 * The smsprov command: one file per subcommand (cmd_<name>.c), registered in
 * main.c's table, sharing option parsing and output writers declared here.
 */
#ifndef SMSPROV_CLI_H
#define SMSPROV_CLI_H

#include <stdio.h>

#include "provider/provider.h"

/* Exit codes. */
#define CLI_OK 0
#define CLI_EINTERNAL 1
#define CLI_EINPUT 2

typedef enum cli_format {
    CLI_FMT_TABLE,
    CLI_FMT_JSON,
    CLI_FMT_CSV,
    CLI_FMT_MOF,
} cli_format;

/* Global options, parsed by main.c before the subcommand. */
typedef struct cli_globals {
    const char *db; /* --db or $SMSPROV_DB */
} cli_globals;

typedef int (*cli_cmd_fn)(const cli_globals *g, int argc, char **argv);

int cmd_init(const cli_globals *g, int argc, char **argv);
int cmd_query(const cli_globals *g, int argc, char **argv);
int cmd_get(const cli_globals *g, int argc, char **argv);
int cmd_put(const cli_globals *g, int argc, char **argv);
int cmd_delete(const cli_globals *g, int argc, char **argv);
int cmd_describe(const cli_globals *g, int argc, char **argv);
int cmd_import(const cli_globals *g, int argc, char **argv);
int cmd_export(const cli_globals *g, int argc, char **argv);
int cmd_demo(const cli_globals *g, int argc, char **argv);
int cmd_import_catalog(const cli_globals *g, int argc, char **argv);
int cmd_sync(const cli_globals *g, int argc, char **argv);
int cmd_invoke(const cli_globals *g, int argc, char **argv);
int cmd_serve(const cli_globals *g, int argc, char **argv);
int cmd_admin(const cli_globals *g, int argc, char **argv);
int cmd_image(const cli_globals *g, int argc, char **argv);

/* Prints an error as one line (plus the query and a caret when text is
 * given) to stderr and returns the exit code for it. */
int cli_report(const smsprov_error *err, const char *text, size_t len);
/* Exit code for an SMSPROV_E* code. */
int cli_exit_code(int code);
/* Opens the provider on g->db; reports and returns an exit code on error. */
int cli_open(provider **out, const cli_globals *g);
/* Registers every method body (software updates, replication, images,
 * schedules) on a provider handle. */
int cli_register_methods(provider *p, smsprov_error *err);
/* serve's background scheduler of offline-servicing runs (scheduler.c):
 * every interval_s seconds (0: off) on its own provider handle. */
int cli_scheduler_start(const char *db, unsigned interval_s);
void cli_scheduler_stop(void);
/* Parses --format VALUE; returns 0 or prints an error and returns 2. */
int cli_parse_format(const char *s, cli_format *out);
/* True when argv[i] is -h or --help. */
int cli_is_help(const char *arg);
/* Reads a whole file (or "-" for stdin) into a NUL-terminated buffer. */
char *cli_read_file(const char *path, size_t *len, smsprov_error *err);

/* ---- output ----------------------------------------------------------------
 */

typedef struct cli_writer cli_writer;

int cli_writer_new(cli_writer **out, provider *p, cli_format fmt, FILE *f,
                   bool system_props);
/* True once a header or row was written. */
bool cli_writer_started(const cli_writer *w);
/* Column titles (CSV header, table head) before any row; once. */
void cli_writer_header(cli_writer *w, const wql_plan *plan);
/* One query row (see provider_row_fn). */
int cli_writer_row(const wql_plan *plan, cim_instance **parts, int64_t count,
                   void *writer);
/* One whole instance (get, export). */
int cli_writer_instance(cli_writer *w, const cim_instance *inst);
/* Marks the output as failed: finish prints no table or row count. */
void cli_writer_discard(cli_writer *w);
/* Flushes (tables are laid out here) and frees. */
void cli_writer_finish(cli_writer *w);
/* Runs a query and writes its rows (a header even when none come). */
int cli_print_query(provider *p, const char *wql, size_t len, cli_format fmt,
                    bool sys, FILE *f, smsprov_error *err);

#endif
