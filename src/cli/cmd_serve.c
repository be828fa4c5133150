/* SPDX-License-Identifier: MIT */
/*
 * smsprov serve: the AdminService-compatible HTTPS server (src/http) on
 * the database, until SIGTERM.
 */
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

/* Every worker's provider handle serves the same methods as the CLI. */
static int serve_register(provider *p, smsprov_error *err)
{
    return cli_register_methods(p, err);
}

static void help_serve(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH serve [--listen HOST:PORT] [--cert C "
            "--key K]\n"
            "          [--keytab FILE] [--threads N] [--per-ip-limit N]\n"
            "          [--max-body BYTES] [--access-log FILE] "
            "[--insecure-http]\n"
            "          [--schedule-interval SECONDS]\n\n"
            "Serves the AdminService REST/OData routes (/AdminService/wmi/,\n"
            "/AdminService/v1.0/) over HTTPS (default %s). Without --cert\n"
            "a self-signed certificate is generated on first start and kept\n"
            "next to the database (PATH.cert.pem, PATH.key.pem).\n"
            "Authentication: Negotiate/Kerberos (with --keytab or\n"
            "$KRB5_KTNAME), Basic over TLS, Bearer tokens (smsprov admin).\n"
            "--insecure-http serves plain HTTP, on loopback only.\n"
            "Every --schedule-interval seconds (default 60, 0 off) it runs\n"
            "the offline-servicing schedules that are due (smsprov image).\n"
            "SIGTERM/SIGINT stop it after in-flight requests finish.\n"
            "Exit status: 0 stopped cleanly, 2 bad options, 1 could not "
            "start.\n",
            HTTP_DEFAULT_LISTEN);
}

/* Parses a positive integer option value. */
static int num_opt(const char *name, const char *s, int64_t max, int64_t *out)
{
    if (util_parse_i64(s, strlen(s), 1, max, out) == 0)
        return 0;
    fprintf(stderr, "smsprov serve: %s wants a number from 1 to %lld\n", name,
            (long long)max);
    return CLI_EINPUT;
}

int cmd_serve(const cli_globals *g, int argc, char **argv)
{
    http_config cfg = {g->db,
                       HTTP_DEFAULT_LISTEN,
                       NULL,
                       NULL,
                       NULL,
                       NULL,
                       false,
                       HTTP_DEFAULT_THREADS,
                       HTTP_DEFAULT_PER_IP,
                       HTTP_MAX_BODY,
                       serve_register};
    smsprov_error err = SMSPROV_ERROR_INIT;
    int64_t n = 0;
    unsigned schedule_s = 60; /* offline-servicing schedules */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (cli_is_help(a)) {
            help_serve(stdout);
            return CLI_OK;
        } else if (strcmp(a, "--insecure-http") == 0) {
            cfg.insecure_http = true;
            continue;
        } else if (v == NULL) {
            help_serve(stderr);
            return CLI_EINPUT;
        } else if (strcmp(a, "--listen") == 0) {
            cfg.listen = v;
        } else if (strcmp(a, "--cert") == 0) {
            cfg.cert = v;
        } else if (strcmp(a, "--key") == 0) {
            cfg.key = v;
        } else if (strcmp(a, "--keytab") == 0) {
            cfg.keytab = v;
        } else if (strcmp(a, "--access-log") == 0) {
            cfg.access_log = v;
        } else if (strcmp(a, "--threads") == 0) {
            if (num_opt(a, v, 64, &n))
                return CLI_EINPUT;
            cfg.threads = (unsigned)n;
        } else if (strcmp(a, "--per-ip-limit") == 0) {
            if (num_opt(a, v, 100000, &n))
                return CLI_EINPUT;
            cfg.per_ip = (unsigned)n;
        } else if (strcmp(a, "--schedule-interval") == 0) {
            if (util_parse_i64(v, strlen(v), 0, 86400, &n) != 0) {
                fprintf(stderr, "smsprov serve: --schedule-interval wants "
                                "seconds from 0 to 86400\n");
                return CLI_EINPUT;
            }
            schedule_s = (unsigned)n;
        } else if (strcmp(a, "--max-body") == 0) {
            if (num_opt(a, v, (int64_t)1 << 30, &n))
                return CLI_EINPUT;
            cfg.max_body = (size_t)n;
        } else {
            help_serve(stderr);
            return CLI_EINPUT;
        }
        i++;
    }
    if (g->db == NULL || g->db[0] == '\0') {
        fprintf(stderr, "smsprov: no database: give --db PATH or set "
                        "SMSPROV_DB\n");
        return CLI_EINPUT;
    }
    if (cli_scheduler_start(g->db, schedule_s) != 0) {
        fprintf(stderr, "smsprov serve: cannot start the scheduler\n");
        return CLI_EINTERNAL;
    }
    int rc = http_serve(&cfg, &err);
    cli_scheduler_stop();
    if (rc != 0) {
        cli_report(&err, NULL, 0);
        return err.code == SMSPROV_EINVALID_PARAMETER ? CLI_EINPUT
                                                      : CLI_EINTERNAL;
    }
    return CLI_OK;
}
