/* SPDX-License-Identifier: MIT */
/*
 * smsprov admin: administrative users (SMS_Admin) with a role and security
 * scopes, their passwords, Kerberos principals and bearer tokens.
 */
#include <string.h>

#include "cli/cli.h"
#include "provider/rbac.h"

#define ADMIN_MAX_SCOPES 32

static void help_admin(FILE *f)
{
    fprintf(f,
            "usage: smsprov --db PATH admin add USER --role ROLE "
            "[--scope SCOPE]...\n"
            "                               [--password-stdin | --principal "
            "user@REALM]\n"
            "       smsprov --db PATH admin list\n"
            "       smsprov --db PATH admin remove USER\n"
            "       smsprov --db PATH admin token USER\n"
            "       smsprov --db PATH admin scope NAME [--description TEXT]\n\n"
            "ROLE is a role name or id (built in: \"Full Administrator\"\n"
            "SMS0001R, \"Read-only Analyst\" SMS0002R). SCOPE is a security\n"
            "scope name or id (built in: \"All\" SMS00ALL, \"Default\"\n"
            "SMS00UNA; the default). --password-stdin reads one line (Basic\n"
            "authentication); --principal maps a Kerberos principal. add on\n"
            "an existing user replaces its role and scopes. token prints a\n"
            "new bearer token (shown once). scope creates a security scope\n"
            "and prints its CategoryID (objects join it through\n"
            "SMS_SecuredCategoryMembership).\n"
            "Exit status: 0 ok, 2 bad input or unknown user/role/scope, 1 "
            "internal.\n");
}

/* Reads one line from stdin without its newline. */
static char *read_password(void)
{
    char buf[RBAC_MAX_NAME + 2];
    if (fgets(buf, sizeof(buf), stdin) == NULL)
        return NULL;
    size_t n = strcspn(buf, "\r\n");
    buf[n] = '\0';
    char *pw = n > 0 ? util_strdup(buf) : NULL;
    memset(buf, 0, sizeof(buf));
    return pw;
}

static int admin_add(provider *p, int argc, char **argv)
{
    const char *user = NULL, *role = NULL, *principal = NULL;
    const char *scopes[ADMIN_MAX_SCOPES];
    size_t nscopes = 0;
    bool pw_stdin = false;
    char *pw = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    for (int i = 2; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--password-stdin") == 0) {
            pw_stdin = true;
        } else if (strcmp(argv[i], "--role") == 0 && v) {
            role = v;
            i++;
        } else if (strcmp(argv[i], "--scope") == 0 && v &&
                   nscopes < ADMIN_MAX_SCOPES) {
            scopes[nscopes++] = v;
            i++;
        } else if (strcmp(argv[i], "--principal") == 0 && v) {
            principal = v;
            i++;
        } else if (user == NULL && argv[i][0] != '-') {
            user = argv[i];
        } else {
            help_admin(stderr);
            return CLI_EINPUT;
        }
    }
    if (user == NULL || role == NULL || (pw_stdin && principal)) {
        help_admin(stderr);
        return CLI_EINPUT;
    }
    if (pw_stdin && (pw = read_password()) == NULL) {
        fprintf(stderr, "smsprov admin: no password on stdin\n");
        return CLI_EINPUT;
    }
    int rc =
        provider_admin_add(p, user, role, scopes, nscopes, pw, principal, &err);
    if (pw)
        memset(pw, 0, strlen(pw));
    util_free(pw);
    if (rc != 0)
        return cli_report(&err, NULL, 0);
    printf("added %s\n", user);
    return CLI_OK;
}

static int admin_list(provider *p)
{
    smsprov_error err = SMSPROV_ERROR_INIT;
    json_t *list = NULL;
    if (provider_admin_list(&list, p, &err) != 0)
        return cli_report(&err, NULL, 0);
    char *s = json_dumps(list, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s)
        printf("%s\n", s);
    util_free(s);
    json_decref(list);
    return CLI_OK;
}

int cmd_admin(const cli_globals *g, int argc, char **argv)
{
    provider *p = NULL;
    smsprov_error err = SMSPROV_ERROR_INIT;
    int rc;
    if (argc < 2 || cli_is_help(argv[1])) {
        help_admin(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EINPUT : CLI_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 &&
        strcmp(sub, "remove") != 0 && strcmp(sub, "token") != 0 &&
        strcmp(sub, "scope") != 0) {
        help_admin(stderr);
        return CLI_EINPUT;
    }
    if (((strcmp(sub, "remove") == 0 || strcmp(sub, "token") == 0) &&
         argc != 3) ||
        (strcmp(sub, "scope") == 0 &&
         !(argc == 3 ||
           (argc == 5 && strcmp(argv[3], "--description") == 0)))) {
        help_admin(stderr);
        return CLI_EINPUT;
    }
    rc = cli_open(&p, g);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(sub, "add") == 0) {
        rc = admin_add(p, argc, argv);
    } else if (strcmp(sub, "list") == 0) {
        rc = admin_list(p);
    } else if (strcmp(sub, "scope") == 0) {
        char *id = NULL;
        if (provider_scope_add(&id, p, argv[2], argc == 5 ? argv[4] : NULL,
                               &err) != 0) {
            rc = cli_report(&err, NULL, 0);
        } else {
            printf("%s\n", id);
            rc = CLI_OK;
        }
        util_free(id);
    } else if (strcmp(sub, "remove") == 0) {
        rc = provider_admin_remove(p, argv[2], &err) != 0
                 ? cli_report(&err, NULL, 0)
                 : (printf("removed %s\n", argv[2]), CLI_OK);
    } else {
        char *tok = NULL;
        if (provider_admin_token(&tok, p, argv[2], &err) != 0) {
            rc = cli_report(&err, NULL, 0);
        } else {
            printf("%s\n", tok);
            rc = CLI_OK;
        }
        util_free(tok);
    }
    provider_close(p);
    return rc;
}
