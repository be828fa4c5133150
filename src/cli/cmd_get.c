/* SPDX-License-Identifier: MIT */
/*
 * smsprov get / delete: one instance by object path.  get returns the lazy
 * properties too, exactly as a WMI GetObject on the SMS Provider does.
 */
#include <string.h>

#include "cli/cli.h"

static void help_get(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH get [--format table|json|csv|mof] "
            "OBJECTPATH\n\n"
            "Shows one instance with all its properties, lazy ones\n"
            "included. Paths as WMI writes them:\n"
            "  SMS_SoftwareUpdate.CI_ID=16777220\n"
            "  SMS_ImageUpdateStatus.ImageIndex=1,ImagePackageID=\"ABC00012\","
            "UpdateID=42\n"
            "Exit status: 0 ok, 2 bad path or WBEM_E_NOT_FOUND, 1 internal.\n");
}

static void help_delete(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH delete OBJECTPATH\n\n"
            "Deletes one instance (in one transaction).\n"
            "Exit status: 0 ok, 2 bad path or WBEM_E_NOT_FOUND, 1 internal.\n");
}

int cmd_get(const cli_globals *g, int argc, char **argv)
{
    cli_format fmt = CLI_FMT_TABLE;
    const char *path = NULL;
    provider *p = NULL;
    cim_instance *inst = NULL;
    cli_writer *w = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            help_get(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (cli_parse_format(argv[++i], &fmt) != 0)
                return CLI_EINPUT;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            help_get(stderr);
            return CLI_EINPUT;
        }
    }
    if (path == NULL) {
        help_get(stderr);
        return CLI_EINPUT;
    }
    int rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    if (provider_get(&inst, p, path, strlen(path), &err) == 0 &&
        cli_writer_new(&w, p, fmt, stdout, true) == 0) {
        if (fmt == CLI_FMT_JSON) {
            /* one object, not an array */
            provider_json_opts opts = {true, false};
            json_t *o = provider_instance_to_json(p, inst, &opts);
            char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            if (s)
                printf("%s\n", s);
            util_free(s);
            json_decref(o);
            util_free(w);
        } else {
            cli_writer_instance(w, inst);
            cli_writer_finish(w);
        }
    }
    cim_instance_free(inst);
    provider_close(p);
    return err.code ? cli_report(&err, NULL, 0) : CLI_OK;
}

int cmd_delete(const cli_globals *g, int argc, char **argv)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (argc != 2 || cli_is_help(argv[1])) {
        help_delete(argc == 2 ? stdout : stderr);
        return argc == 2 ? CLI_OK : CLI_EINPUT;
    }
    int rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    provider_delete(p, argv[1], strlen(argv[1]), PROVIDER_CLIENT, &err);
    provider_close(p);
    return err.code ? cli_report(&err, NULL, 0) : CLI_OK;
}
