/* SPDX-License-Identifier: MIT */
/*
 * smsprov import / export: bulk load and dump of instances as JSON lines,
 * one object per line with "__CLASS".  An import is all-or-nothing: the
 * first bad line rolls everything back and is reported as file:line.
 */
#include <string.h>

#include "cli/cli.h"

#define IMPORT_MAX_LINE (64 * 1024 * 1024)

static int import_line(provider *p, const char *line, size_t n,
                       smsprov_error *err)
{
    json_error_t jerr;
    json_t *obj = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
    int rc;
    if (obj == NULL)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "invalid JSON at column %d: %s", jerr.column,
                              jerr.text);
    const char *cn = json_string_value(json_object_get(obj, "__CLASS"));
    const cim_class *cls =
        cn ? cim_schema_class(provider_schema(p), cn, strlen(cn)) : NULL;
    if (cn == NULL)
        rc = util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                            "the object has no \"__CLASS\" member");
    else if (cls == NULL)
        rc = util_error_set(err, SMSPROV_EINVALID_CLASS, -1,
                            "unknown class '%s'", cn);
    else
        rc = provider_put_json(NULL, NULL, p, cls, obj, PROVIDER_INTERNAL, err);
    json_decref(obj);
    return rc;
}

int cmd_import(const cli_globals *g, int argc, char **argv)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    char *buf = NULL;
    size_t len = 0, count = 0;
    int rc;
    if (argc != 2 || cli_is_help(argv[1])) {
        FILE *f = argc == 2 ? stdout : stderr;
        fprintf(f, "usage: smsprov --db PATH import FILE.jsonl\n\n"
                   "Loads instances, one JSON object per line with "
                   "\"__CLASS\"\n(as 'export' writes them), in one "
                   "transaction: all or nothing.\n"
                   "Each is created or modified like 'put'; read-only\n"
                   "properties may be loaded (this is a provider-level "
                   "load).\n");
        return argc == 2 ? CLI_OK : CLI_EINPUT;
    }
    buf = cli_read_file(argv[1], &len, &err);
    if (buf == NULL)
        return cli_report(&err, NULL, 0);
    rc = cli_open(&p, g);
    if (rc != CLI_OK) {
        util_free(buf);
        return rc;
    }
    store *db = provider_store(p);
    int line_no = 0;
    rc = store_begin(db, &err);
    for (size_t at = 0; rc == 0 && at < len;) {
        const char *nl = memchr(buf + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (buf + at)) : len - at;
        line_no++;
        size_t s = 0;
        while (s < n && (buf[at + s] == ' ' || buf[at + s] == '\t' ||
                         buf[at + s] == '\r'))
            s++;
        if (s < n) {
            rc = import_line(p, buf + at, n, &err);
            count += rc == 0;
        }
        at += n + 1;
    }
    if (rc == 0)
        rc = store_commit(db, &err);
    else
        store_rollback(db);
    provider_close(p);
    util_free(buf);
    if (rc != 0) {
        snprintf(err.file, sizeof(err.file), "%s", argv[1]);
        err.line = line_no;
        err.col = 1;
        fprintf(stderr, "smsprov: nothing imported\n");
        return cli_report(&err, NULL, 0);
    }
    printf("imported %zu instances\n", count);
    return CLI_OK;
}

typedef struct export_ctx {
    provider *p; /* for system props */
    FILE *f;     /* destination */
} export_ctx;

static int export_one(const cim_instance *row, void *payload)
{
    export_ctx *x = payload;
    cim_instance *inst = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    /* enumeration leaves lazy properties out: reload each with them */
    int rc = store_instance_get(&inst, provider_store(x->p), row, true, &err);
    if (rc != 0)
        return rc;
    json_t *o = json_object();
    json_object_set_new(o, "__CLASS", json_string(inst->cls->name));
    provider_json_opts opts = {false, false};
    json_t *props = provider_instance_to_json(x->p, inst, &opts);
    json_object_update(o, props);
    json_decref(props);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s)
        fprintf(x->f, "%s\n", s);
    util_free(s);
    json_decref(o);
    cim_instance_free(inst);
    return 0;
}

int cmd_export(const cli_globals *g, int argc, char **argv)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    if (argc != 2 || cli_is_help(argv[1])) {
        FILE *f = argc == 2 ? stdout : stderr;
        fprintf(f, "usage: smsprov --db PATH export CLASS\n\n"
                   "Writes every instance of CLASS (and its subclasses),\n"
                   "lazy properties included, as JSON lines on stdout.\n");
        return argc == 2 ? CLI_OK : CLI_EINPUT;
    }
    int rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    const cim_class *cls =
        cim_schema_class(provider_schema(p), argv[1], strlen(argv[1]));
    export_ctx x = {p, stdout};
    if (cls == NULL) {
        util_error_set(&err, SMSPROV_EINVALID_CLASS, -1, "unknown class '%s'",
                       argv[1]);
    } else {
        /* the class and its subclasses, depth first */
        const cim_class *stack[256];
        int sp = 0;
        stack[sp++] = cls;
        while (sp > 0 && err.code == 0) {
            const cim_class *c = stack[--sp];
            for (uint32_t i = c->nchildren; i > 0 && sp < 256; i--)
                stack[sp++] = c->children[i - 1];
            if (cim_class_is_concrete(c))
                store_instance_enum(provider_store(p), c, export_one, &x, &err);
        }
    }
    provider_close(p);
    return err.code ? cli_report(&err, NULL, 0) : CLI_OK;
}
