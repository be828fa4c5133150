/* SPDX-License-Identifier: MIT */
/*
 * smsprov put: create or modify one instance from JSON (the keys decide),
 * with every qualifier enforced; prints the saved instance's path.
 */
#include <string.h>

#include "cli/cli.h"

static void print_help(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH put CLASS (--json '{...}' | --file "
            "F.json)\n\n"
            "Creates the instance, or modifies it when one with the same keys\n"
            "exists (like WMI PutInstance). Site-assigned keys (CI_ID, ...)\n"
            "and defaults are filled in. Read-only properties, SizeLimit,\n"
            "not_null, key, unique and type ranges are enforced; a rejected\n"
            "write changes nothing and names the property.\n"
            "Prints 'created PATH' or 'modified PATH'.\n");
}

int cmd_put(const cli_globals *g, int argc, char **argv)
{
    const char *cls_name = NULL, *json_text = NULL, *file = NULL;
    char *buf = NULL;
    size_t len = 0;
    provider *p = NULL;
    cim_instance *saved = NULL;
    json_t *obj = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    bool created = false;
    int rc;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            print_help(stdout);
            return CLI_OK;
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_text = argv[++i];
        } else if (strcmp(argv[i], "--file") == 0 && i + 1 < argc) {
            file = argv[++i];
        } else if (cls_name == NULL) {
            cls_name = argv[i];
        } else {
            print_help(stderr);
            return CLI_EINPUT;
        }
    }
    if (cls_name == NULL || (json_text == NULL) == (file == NULL)) {
        print_help(stderr);
        return CLI_EINPUT;
    }
    if (file != NULL) {
        buf = cli_read_file(file, &len, &err);
        if (buf == NULL)
            return cli_report(&err, NULL, 0);
        json_text = buf;
    }
    json_error_t jerr;
    obj = json_loads(json_text, JSON_REJECT_DUPLICATES, &jerr);
    if (obj == NULL) {
        util_error_set(&err, SMSPROV_EINVALID_PARAMETER, jerr.position,
                       "invalid JSON: %s", jerr.text);
        err.line = jerr.line;
        err.col = jerr.column;
        util_free(buf);
        return cli_report(&err, NULL, 0);
    }
    rc = cli_open(&p, g);
    if (rc != CLI_OK)
        goto out;
    const cim_class *cls =
        cim_schema_class(provider_schema(p), cls_name, strlen(cls_name));
    if (cls == NULL) {
        const char *hint = cim_schema_nearest(provider_schema(p), cls_name);
        util_error_set(&err, SMSPROV_EINVALID_CLASS, -1,
                       "unknown class '%s'%s%s%s", cls_name,
                       hint ? " (did you mean '" : "", hint ? hint : "",
                       hint ? "'?)" : "");
    } else if (provider_put_json(&saved, &created, p, cls, obj, PROVIDER_CLIENT,
                                 &err) == 0) {
        util_buf b = UTIL_BUF_INIT(CIM_PATH_MAX * 2);
        cim_path_format_rel(&b, saved);
        printf("%s %s\n", created ? "created" : "modified", util_buf_cstr(&b));
        util_buf_free(&b);
    }
    rc = err.code ? cli_report(&err, NULL, 0) : CLI_OK;
out:
    cim_instance_free(saved);
    provider_close(p);
    json_decref(obj);
    util_free(buf);
    return rc;
}
