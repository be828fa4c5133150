/* SPDX-License-Identifier: MIT */
/*
 * smsprov invoke: calls a class method through the same dispatch table as
 * the AdminService, printing {"ReturnValue": 0, <[out] parameters>}.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void print_help(FILE *f)
{
    fprintf(
        f, "usage: smsprov --db PATH invoke [--as USER] [--locale LCID]\n"
           "                                OBJECTPATH|CLASS METHOD "
           "[--json '{...}']\n\n"
           "Calls an instance method on an object path or a static method\n"
           "on a class, with the [in] parameters as a JSON object (MOF\n"
           "names; integers may be strings). Prints the [out] parameters\n"
           "and ReturnValue as JSON. Examples:\n"
           "  invoke SMS_SoftwareUpdate.CI_ID=16777220 AcceptEULA --json "
           "'{\"Accepted\":true}'\n"
           "  invoke SMS_SoftwareUpdate.CI_ID=16777220 GetEULA\n"
           "  invoke SMS_SoftwareUpdate SyncNow --json '{\"fullSync\":false}'\n"
           "Wrong or missing parameters: WBEM_E_INVALID_PARAMETER naming\n"
           "the parameter (exit 2).\n");
}

int cmd_invoke(const cli_globals *g, int argc, char **argv)
{
    const char *target = NULL, *method = NULL, *json = NULL, *as = NULL;
    long locale = 0;
    provider *p = NULL;
    provider_caller *caller = NULL;
    json_t *in = NULL, *out = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json = argv[++i];
        } else if (strcmp(argv[i], "--as") == 0 && i + 1 < argc) {
            as = argv[++i];
        } else if (strcmp(argv[i], "--locale") == 0 && i + 1 < argc) {
            int64_t v;
            const char *s = argv[++i];
            if (util_parse_i64(s, strlen(s), 1, 0x7FFFFFFF, &v) != 0) {
                fprintf(stderr, "smsprov invoke: --locale takes an LCID "
                                "such as 1033\n");
                return CLI_EINPUT;
            }
            locale = (long)v;
        } else if (target == NULL) {
            target = argv[i];
        } else if (method == NULL) {
            method = argv[i];
        } else {
            print_help(stderr);
            return CLI_EINPUT;
        }
    }
    if (target == NULL || method == NULL) {
        print_help(stderr);
        return CLI_EINPUT;
    }
    if (json != NULL) {
        json_error_t je;
        in = json_loads(json, JSON_REJECT_DUPLICATES, &je);
        if (in == NULL) {
            util_error_set(&err, SMSPROV_EINVALID_PARAMETER, je.position,
                           "invalid JSON: %s", je.text);
            return cli_report(&err, NULL, 0);
        }
    }
    int rc = cli_open(&p, g);
    if (rc != CLI_OK) {
        json_decref(in);
        return rc;
    }
    if (locale)
        provider_set_locale(p, (uint32_t)locale);
    if (as != NULL && provider_caller_load(&caller, p, as, &err) == 0)
        provider_set_caller(p, caller);
    if (err.code == 0 && provider_invoke(&out, p, target, strlen(target),
                                         method, in, &err) == 0) {
        char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s)
            printf("%s\n", s);
        util_free(s);
    }
    json_decref(out);
    json_decref(in);
    provider_set_caller(p, NULL);
    provider_caller_free(caller);
    provider_close(p);
    return err.code ? cli_report(&err, NULL, 0) : CLI_OK;
}
