/* SPDX-License-Identifier: MIT */
/*
 * smsprov image: offline servicing of WIM images (src/image) from the
 * command line — register a WIM, show its indexes, scan it, read its
 * status, create and run servicing schedules.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "image/image.h"
#include "image/image_content.h"
#include "image/image_int.h"
#include "provider/schedule.h"
#include "sum/sum.h"

#define IMAGE_MAX_LIST 256

static void help_image(FILE *f)
{
    fprintf(
        f,
        "usage: smsprov --db PATH image add WIM [--name NAME]\n"
        "       smsprov --db PATH image properties PACKAGEID|WIM [--xml]\n"
        "       smsprov --db PATH image scan PACKAGEID\n"
        "       smsprov --db PATH image status PACKAGEID [--index N] "
        "[--format F]\n"
        "       smsprov --db PATH image schedule --image PACKAGEID... "
        "--update CI_ID[,CI_ID...]...\n"
        "                 (--now | --at TIME | --token TOKEN) [--name NAME]\n"
        "                 [--description TEXT] [--continue-on-error] "
        "[--update-dp]\n"
        "       smsprov --db PATH image run SCHEDULEID | --package PACKAGEID "
        "[--content DIR]\n"
        "       smsprov --db PATH image run-schedule [--content DIR]\n"
        "       smsprov --db PATH image content [DIR] [--download | "
        "--no-download]\n\n"
        "add registers a WIM file as an SMS_ImagePackage and prints its\n"
        "PackageID. properties lists the indexes of a package or WIM file\n"
        "(--xml prints ImageProperty). scan matches every update of the\n"
        "catalog against every index and rewrites SMS_ImageUpdateStatus\n"
        "(UpdateStatus 0 Unknown, 1 Not Required, 2 Installed, 3 Applicable,\n"
        "4 and 5 check not supported). status prints those rows.\n"
        "schedule creates an SMS_ImageServicingSchedule with its images and\n"
        "updates and prints its ScheduleID: --now runs at the next\n"
        "run-schedule (Action 1), --at TIME once at TIME (UTC, e.g.\n"
        "2026-12-01T02:00:00Z), --token a ConfigMgr schedule token string.\n"
        "run runs a schedule now (or every schedule naming a package);\n"
        "run-schedule runs the schedules that are due (smsprov serve does\n"
        "this on its own). Updates are staged into the WIM from the content\n"
        "library (content DIR sets it; --content overrides it for one run):\n"
        "files as DIR/<ContentID>/<FileName> or DIR/<FileName>, verified\n"
        "against the catalog's SHA-1/SHA-256; with --download a missing file\n"
        "is fetched from its SourceURL first. See docs/image.md.\n"
        "Exit status: 0 ok, 2 bad input or a failed servicing run, 1 "
        "internal error.\n");
}

/* ---- progress bar ------------------------------------------------------- */

static void on_progress(const image_progress *pr, void *payload)
{
    (void)payload;
    if (!isatty(STDERR_FILENO))
        return;
    int pct = pr->total ? (int)(pr->done * 100 / pr->total) : 0;
    int bar = pct / 4;
    fprintf(stderr, "\r%-8s %-6s [%.*s%*s] %3d%%", pr->pkgid, pr->step, bar,
            "=========================", 25 - bar, "", pct);
    if (strcmp(pr->step, "swap") == 0)
        fputc('\n', stderr);
    fflush(stderr);
}

/* ---- verbs -------------------------------------------------------------- */

static int image_add(provider *p, int argc, char **argv, smsprov_error *err)
{
    const char *wim = NULL, *name = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (wim == NULL && argv[i][0] != '-')
            wim = argv[i];
        else
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "image add: unexpected argument '%s'",
                                  argv[i]);
    }
    if (wim == NULL)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image add: give the WIM file");
    char *id = NULL;
    int rc = image_package_add(p, wim, name, &id, err);
    if (rc == 0)
        printf("%s\n", id);
    util_free(id);
    return rc;
}

static const char *arch_name(int a)
{
    switch (a) {
    case IMAGE_ARCH_X86:
        return "x86";
    case IMAGE_ARCH_AMD64:
        return "x64";
    case IMAGE_ARCH_ARM64:
        return "arm64";
    case IMAGE_ARCH_ARM:
        return "arm";
    default:
        return "?";
    }
}

/* A PackageID names a registered image; anything else is a WIM path. */
static int wim_path_of(provider *p, const char *arg, util_arena *a,
                       const char **path, smsprov_error *err)
{
    if (access(arg, F_OK) == 0) {
        *path = arg;
        return 0;
    }
    char *op = util_arena_printf(a, "SMS_ImagePackage.PackageID=\"%s\"", arg);
    cim_instance *inst = NULL;
    if (op == NULL || strchr(arg, '"') != NULL)
        return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                              "'%s' is neither a file nor a PackageID", arg);
    int rc = provider_get(&inst, p, op, strlen(op), err);
    if (rc == 0) {
        *path =
            util_arena_strdup(a, cim_instance_str(inst, "PkgSourcePath", ""));
    } else if (rc == SMSPROV_ENOTFOUND) {
        rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                            "'%s' is neither a file nor a PackageID", arg);
    }
    cim_instance_free(inst);
    return rc;
}

static int image_properties(provider *p, int argc, char **argv,
                            smsprov_error *err)
{
    bool xml = false;
    const char *arg = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--xml") == 0)
            xml = true;
        else if (arg == NULL)
            arg = argv[i];
        else
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "image properties: unexpected argument "
                                  "'%s'",
                                  argv[i]);
    }
    if (arg == NULL)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image properties: give a PackageID or a WIM");
    util_arena *a = util_arena_new();
    const char *path = NULL;
    image_wim w;
    int rc = a ? wim_path_of(p, arg, a, &path, err)
               : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (rc == 0)
        rc = image_wim_read(&w, a, path, NULL, err);
    if (rc == 0 && xml) {
        printf("%s\n", w.xml);
    } else if (rc == 0) {
        printf("%-5s  %-40s  %-22s  %-5s  %-16s  %-12s  %s\n", "Index", "Name",
               "Edition", "Arch", "Version", "Languages", "Size");
        for (uint32_t i = 0; i < w.count; i++) {
            const image_index *x = &w.idx[i];
            char ver[48];
            snprintf(ver, sizeof(ver), "%u.%u.%u.%u", x->major, x->minor,
                     x->build, x->spbuild);
            printf("%-5d  %-40.40s  %-22.22s  %-5s  %-16s  %-12.12s  %llu\n",
                   x->index, x->name ? x->name : "",
                   x->edition ? x->edition : "", arch_name(x->arch), ver,
                   x->languages ? x->languages : "",
                   (unsigned long long)x->total_bytes);
        }
    }
    util_arena_free(a);
    return rc;
}

static int image_do_scan(provider *p, int argc, char **argv, smsprov_error *err)
{
    if (argc != 3)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image scan: give one PackageID");
    image_scan_stats st;
    int64_t t0 = util_now_us();
    int rc = image_scan(p, argv[2], &st, err);
    if (rc == 0)
        printf("scanned %s: %u index(es) x %u update(s) in %.2f s\n"
               "  0 unknown %u, 1 not required %u, 2 installed %u, "
               "3 applicable %u,\n"
               "  4 check not supported %u, 5 installed, check not "
               "supported %u\n",
               argv[2], st.indexes, st.updates, (util_now_us() - t0) / 1e6,
               st.by_status[0], st.by_status[1], st.by_status[2],
               st.by_status[3], st.by_status[4], st.by_status[5]);
    return rc;
}

static int image_status(provider *p, int argc, char **argv, smsprov_error *err)
{
    const char *pkg = NULL;
    long index = 0;
    cli_format fmt = CLI_FMT_TABLE;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--index") == 0 && i + 1 < argc) {
            char *end;
            index = strtol(argv[++i], &end, 10);
            if (*end != '\0' || index < 1 || index > 65535)
                return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                      "--index must be 1..65535");
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (cli_parse_format(argv[++i], &fmt) != 0)
                return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                      "bad --format");
        } else if (pkg == NULL && argv[i][0] != '-') {
            pkg = argv[i];
        } else {
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "image status: unexpected argument '%s'",
                                  argv[i]);
        }
    }
    if (pkg == NULL || strpbrk(pkg, "'\\") != NULL)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image status: give a PackageID");
    char wql[512];
    int n = snprintf(wql, sizeof(wql),
                     "SELECT ImageIndex, UpdateID, UpdateStatus, "
                     "UpdateInstallationStatus, AppliedDateTime, UpdateTitle "
                     "FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '%s'",
                     pkg);
    if (index > 0)
        n += snprintf(wql + n, sizeof(wql) - (size_t)n, " AND ImageIndex = %ld",
                      index);
    snprintf(wql + n, sizeof(wql) - (size_t)n,
             " ORDER BY ImageIndex, UpdateID");
    return cli_print_query(p, wql, strlen(wql), fmt, false, stdout, err);
}

/* Appends the integers of a comma-separated list. */
static int parse_ids(const char *s, int64_t *v, size_t *n, size_t max,
                     smsprov_error *err)
{
    while (*s) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        int64_t x;
        if (*n >= max || util_parse_i64(s, len, 1, INT32_MAX, &x) != 0)
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "--update: '%.*s' is not a CI_ID", (int)len,
                                  s);
        v[(*n)++] = x;
        s += len + (end != NULL);
    }
    return 0;
}

typedef struct sched_args {
    const char *images[IMAGE_MAX_LIST];
    size_t nimages;
    int64_t updates[IMAGE_MAX_LIST];
    size_t nupdates;
    const char *name, *description, *at, *token;
    bool now, continue_on_error, update_dp;
} sched_args;

static int parse_schedule(sched_args *a, int argc, char **argv,
                          smsprov_error *err)
{
    memset(a, 0, sizeof(*a));
    for (int i = 2; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0;
        if (strcmp(o, "--image") == 0 && v) {
            if (a->nimages == IMAGE_MAX_LIST)
                return util_error_set(err, SMSPROV_ETOOBIG, -1,
                                      "too many --image");
            a->images[a->nimages++] = v, i++;
        } else if (strcmp(o, "--update") == 0 && v) {
            rc = parse_ids(v, a->updates, &a->nupdates, IMAGE_MAX_LIST, err);
            i++;
        } else if (strcmp(o, "--name") == 0 && v) {
            a->name = v, i++;
        } else if (strcmp(o, "--description") == 0 && v) {
            a->description = v, i++;
        } else if (strcmp(o, "--at") == 0 && v) {
            a->at = v, i++;
        } else if (strcmp(o, "--token") == 0 && v) {
            a->token = v, i++;
        } else if (strcmp(o, "--now") == 0) {
            a->now = true;
        } else if (strcmp(o, "--continue-on-error") == 0) {
            a->continue_on_error = true;
        } else if (strcmp(o, "--update-dp") == 0) {
            a->update_dp = true;
        } else {
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "image schedule: unexpected argument '%s'",
                                  o);
        }
        if (rc != 0)
            return rc;
    }
    if (a->nimages == 0 || a->nupdates == 0)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image schedule: give --image and --update");
    if ((a->now ? 1 : 0) + (a->at ? 1 : 0) + (a->token ? 1 : 0) != 1)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image schedule: give one of --now, --at, "
                              "--token");
    return 0;
}

/* The schedule token string of --at or --token (validated). */
static int schedule_token(const sched_args *a, util_buf *out,
                          smsprov_error *err)
{
    provider_schedule t[16];
    size_t n = 0;
    if (a->token != NULL) {
        int rc =
            provider_schedule_parse(t, 16, &n, a->token, strlen(a->token), err);
        if (rc != 0)
            return rc;
        return util_buf_puts(out, a->token) ? SMSPROV_ENOMEM : 0;
    }
    if (a->at == NULL)
        return 0;
    int64_t us;
    if (util_datetime_parse(a->at, strlen(a->at), &us) != 0)
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "--at: '%s' is not a date and time", a->at);
    memset(t, 0, sizeof(t));
    t[0].type = PROVIDER_SCHEDULE_NONRECURRING;
    t[0].is_gmt = true;
    int rc = provider_schedule_set_start(&t[0], us, err);
    return rc ? rc : provider_schedule_format(t, 1, out, err);
}

static int put_link(provider *p, const char *cls, int32_t sched,
                    const char *prop, const char *s, int64_t v,
                    smsprov_error *err)
{
    json_t *o = json_pack("{s:i}", "ScheduleID", sched);
    if (o != NULL)
        json_object_set_new(o, prop,
                            s ? json_string(s) : json_integer((json_int_t)v));
    const cim_class *c = cim_schema_class(provider_schema(p), cls, strlen(cls));
    int rc = o && c
                 ? provider_put_json(NULL, NULL, p, c, o, PROVIDER_CLIENT, err)
                 : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    json_decref(o);
    return rc;
}

static int image_schedule(provider *p, int argc, char **argv,
                          smsprov_error *err)
{
    sched_args a;
    int rc = parse_schedule(&a, argc, argv, err);
    util_buf tok = UTIL_BUF_INIT(4096);
    if (rc == 0)
        rc = schedule_token(&a, &tok, err);
    /* every image and update must exist before anything is written */
    for (size_t i = 0; rc == 0 && i < a.nimages + a.nupdates; i++) {
        char op[128];
        cim_instance *inst = NULL;
        bool img = i < a.nimages;
        if (img)
            snprintf(op, sizeof(op), "SMS_ImagePackage.PackageID=\"%s\"",
                     a.images[i]);
        else
            snprintf(op, sizeof(op), "SMS_SoftwareUpdate.CI_ID=%lld",
                     (long long)a.updates[i - a.nimages]);
        rc = img && strchr(a.images[i], '"')
                 ? SMSPROV_ENOTFOUND
                 : provider_get(&inst, p, op, strlen(op), err);
        cim_instance_free(inst);
        if (rc == SMSPROV_ENOTFOUND)
            util_error_clear(err); /* name the option instead */
        if (rc == SMSPROV_ENOTFOUND && img)
            rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                                "--image %s: no such image package",
                                a.images[i]);
        else if (rc == SMSPROV_ENOTFOUND)
            rc = util_error_set(err, SMSPROV_ENOTFOUND, -1,
                                "--update %lld: no such software update",
                                (long long)a.updates[i - a.nimages]);
    }
    store *s = provider_store(p);
    if (rc == 0)
        rc = store_begin(s, err);
    if (rc != 0) {
        util_buf_free(&tok);
        return rc;
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:b, s:b}", "Name",
                          a.name ? a.name : "Offline servicing", "Description",
                          a.description ? a.description : "", "Schedule",
                          util_buf_cstr(&tok), "Action", a.now ? 1 : 0, "State",
                          1, "ContinueOnError", a.continue_on_error, "UpdateDP",
                          a.update_dp);
    const cim_class *c =
        cim_schema_class(provider_schema(p), "SMS_ImageServicingSchedule", 26);
    cim_instance *saved = NULL;
    rc = o && c ? provider_put_json(&saved, NULL, p, c, o, PROVIDER_CLIENT, err)
                : util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    json_decref(o);
    int32_t id = 0;
    if (rc == 0)
        id = (int32_t)cim_instance_int(saved, "ScheduleID", 0);
    cim_instance_free(saved);
    for (size_t i = 0; rc == 0 && i < a.nimages; i++)
        rc = put_link(p, "SMS_ImageServicingScheduledImage", id,
                      "ImagePackageID", a.images[i], 0, err);
    for (size_t i = 0; rc == 0 && i < a.nupdates; i++)
        rc = put_link(p, "SMS_ImageServicingScheduledUpdate", id, "UpdateID",
                      NULL, a.updates[i], err);
    if (rc == 0)
        rc = store_commit(s, err);
    else
        store_rollback(s);
    if (rc == 0)
        printf("%d\n", id);
    util_buf_free(&tok);
    return rc;
}

static void print_run(const image_run_stats *st)
{
    printf("%u image(s): %u update x index staged, %u failed, %u not "
           "applicable\n",
           st->images, st->applied, st->failed, st->skipped);
    if (st->win32 != 0)
        printf("first failure: 0x%08X %s\n", (unsigned)st->win32, st->why);
}

static int image_run(provider *p, int argc, char **argv, bool due,
                     smsprov_error *err)
{
    image_run_opts o = {NULL, on_progress, NULL};
    const char *pkg = NULL, *sched = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--content") == 0 && i + 1 < argc)
            o.content_dir = argv[++i];
        else if (!due && strcmp(argv[i], "--package") == 0 && i + 1 < argc)
            pkg = argv[++i];
        else if (!due && sched == NULL && argv[i][0] != '-')
            sched = argv[i];
        else
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "image run: unexpected argument '%s'",
                                  argv[i]);
    }
    if (due) {
        uint32_t ran = 0;
        int rc = image_run_due(p, util_now_us(), &o, &ran, err);
        if (rc == 0)
            printf("%u schedule(s) ran\n", ran);
        return rc;
    }
    if ((pkg == NULL) == (sched == NULL))
        return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                              "image run: give a ScheduleID or --package");
    image_run_stats st = {0};
    int rc;
    if (pkg != NULL) {
        rc = image_run_package(p, pkg, &o, &st, err);
    } else {
        int64_t id;
        rc = util_parse_i64(sched, strlen(sched), 1, INT32_MAX, &id) != 0
                 ? util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "'%s' is not a ScheduleID", sched)
                 : image_run_schedule(p, (int32_t)id, &o, &st, err);
    }
    if (rc == 0) {
        print_run(&st);
        if (st.win32 != 0)
            return util_error_set(err, SMSPROV_EINVALID_OPERATION, -1,
                                  "servicing failed (0x%08X); see "
                                  "SMS_ImageServicingProgress",
                                  (unsigned)st.win32);
    }
    return rc;
}

static int image_content_cmd(provider *p, int argc, char **argv,
                             smsprov_error *err)
{
    const char *dir = NULL, *download = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--download") == 0)
            download = "1";
        else if (strcmp(argv[i], "--no-download") == 0)
            download = "0";
        else if (dir == NULL && argv[i][0] != '-')
            dir = argv[i];
        else
            return util_error_set(err, SMSPROV_EINVALID_PARAMETER, -1,
                                  "image content: unexpected argument '%s'",
                                  argv[i]);
    }
    int rc = 0;
    if (dir != NULL) {
        char abs[4096];
        if (realpath(dir, abs) == NULL)
            return util_error_set(err, SMSPROV_ENOTFOUND, -1,
                                  "content library %s does not exist", dir);
        rc = sum_setting_set(p, IMAGE_SET_CONTENT, abs, err);
    }
    if (rc == 0 && download != NULL)
        rc = sum_setting_set(p, IMAGE_SET_DOWNLOAD, download, err);
    if (rc == 0 && dir == NULL && download == NULL) {
        char *cur = NULL;
        rc = sum_setting_get(p, IMAGE_SET_CONTENT, &cur, err);
        if (rc == 0)
            printf("%s (download %s)\n", cur ? cur : "(none)",
                   image_content_download(p) ? "on" : "off");
        util_free(cur);
    }
    return rc;
}

int cmd_image(const cli_globals *g, int argc, char **argv)
{
    static const char *const verbs[] = {"add",          "properties", "scan",
                                        "status",       "schedule",   "run",
                                        "run-schedule", "content"};
    if (argc < 2 || cli_is_help(argv[1])) {
        help_image(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EINPUT : CLI_OK;
    }
    for (int i = 2; i < argc; i++)
        if (cli_is_help(argv[i])) {
            help_image(stdout);
            return CLI_OK;
        }
    const char *verb = argv[1];
    size_t v = 0;
    while (v < sizeof(verbs) / sizeof(verbs[0]) && strcmp(verb, verbs[v]))
        v++;
    if (v == sizeof(verbs) / sizeof(verbs[0])) {
        fprintf(stderr, "smsprov image: unknown verb '%s'\n", verb);
        help_image(stderr);
        return CLI_EINPUT;
    }
    provider *p = NULL;
    int rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    smsprov_error err = SMSPROV_ERROR_INIT;
    switch (v) {
    case 0:
        rc = image_add(p, argc, argv, &err);
        break;
    case 1:
        rc = image_properties(p, argc, argv, &err);
        break;
    case 2:
        rc = image_do_scan(p, argc, argv, &err);
        break;
    case 3:
        rc = image_status(p, argc, argv, &err);
        break;
    case 4:
        rc = image_schedule(p, argc, argv, &err);
        break;
    case 5:
    case 6:
        rc = image_run(p, argc, argv, v == 6, &err);
        break;
    default:
        rc = image_content_cmd(p, argc, argv, &err);
        break;
    }
    provider_close(p);
    return rc ? cli_report(&err, NULL, 0) : CLI_OK;
}
