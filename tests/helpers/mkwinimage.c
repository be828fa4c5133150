/* SPDX-License-Identifier: MIT */
/*
 * mkwinimage: the command form of the fixture builder (winimage.h), for
 * the e2e scripts and bench/image-bench.
 *
 *   mkwinimage OUT.wim [--index NAME:EDITION:INSTALLTYPE:BUILD.UBR:ARCH:KBS
 *                       [--no-hive]]... [--pad BYTES]
 *   mkwinimage --hive-only PATH
 *
 * KBS is a comma-separated list (may be empty).  The product name, display
 * version and major.minor come from the build (a small release table).
 * --no-hive applies to the --index before it; --pad to every index (same
 * bytes, stored once).  Prints nothing on success, one line and exit 1
 * otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "helpers/winimage.h"
#include "util/util.h"

#define MAX_INDEXES 64
#define MAX_KBS 256
#define SPEC_MAX 1024

/* Release table: build → product family and display version. */
static const struct release {
    uint32_t build;
    const char *client; /* family of a Client install, NULL none */
    const char *server; /* family of a Server install, NULL none */
    const char *display;
    uint32_t major, minor;
} releases[] = {
    {7601, "Windows 7", "Windows Server 2008 R2", "", 6, 1},
    {9600, "Windows 8.1", "Windows Server 2012 R2", "", 6, 3},
    {14393, "Windows 10", "Windows Server 2016", "1607", 10, 0},
    {17763, "Windows 10", "Windows Server 2019", "1809", 10, 0},
    {19044, "Windows 10", NULL, "21H2", 10, 0},
    {19045, "Windows 10", NULL, "22H2", 10, 0},
    {20348, NULL, "Windows Server 2022", "21H2", 10, 0},
    {22000, "Windows 11", NULL, "21H2", 10, 0},
    {22621, "Windows 11", NULL, "22H2", 10, 0},
    {22631, "Windows 11", NULL, "23H2", 10, 0},
    {26100, "Windows 11", "Windows Server 2025", "24H2", 10, 0},
};

/* EditionID → the word in the product name. */
static const char *edition_word(const char *edition)
{
    static const char *const map[][2] = {
        {"Professional", "Pro"},
        {"Core", "Home"},
        {"EnterpriseS", "Enterprise LTSC"},
        {"ServerStandard", "Standard"},
        {"ServerDatacenter", "Datacenter"},
        {"ServerStandardEval", "Standard Evaluation"},
        {"ServerDatacenterEval", "Datacenter Evaluation"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(edition, map[i][0]) == 0)
            return map[i][1];
    return edition;
}

/* Storage behind one parsed --index. */
typedef struct spec {
    char buf[SPEC_MAX];
    char product[160];
    const char *kbs[MAX_KBS + 1];
} spec;

static int usage(void)
{
    fprintf(stderr, "usage: mkwinimage OUT.wim [--index "
                    "NAME:EDITION:INSTALLTYPE:BUILD.UBR:ARCH:KB1,KB2 "
                    "[--no-hive]]... [--pad BYTES] | --hive-only PATH\n");
    return 1;
}

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, "mkwinimage: %s: %s\n", what, arg);
    return 1;
}

static int parse_u32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v;
    if (util_parse_u64(s, n, UINT32_MAX, &v) != 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* Parses NAME:EDITION:INSTALLTYPE:BUILD.UBR:ARCH:KBS into ix.  The five
 * last fields are split off from the right, so NAME may hold ':'. */
static int parse_index(const char *arg, spec *sp, winimage_index *ix)
{
    char *f[6];
    if (strlen(arg) >= sizeof(sp->buf))
        return -1;
    snprintf(sp->buf, sizeof(sp->buf), "%s", arg);
    char *end = sp->buf + strlen(sp->buf);
    for (int i = 5; i >= 1; i--) {
        char *c = end;
        while (c > sp->buf && c[-1] != ':')
            c--;
        if (c == sp->buf)
            return -1;
        c[-1] = '\0';
        f[i] = c;
        end = c - 1;
    }
    f[0] = sp->buf;
    memset(ix, 0, sizeof(*ix));
    ix->name = f[0];
    ix->edition = f[1];
    ix->install_type = f[2];
    ix->arch = f[4];
    char *dot = strchr(f[3], '.');
    if (dot == NULL || parse_u32(f[3], (size_t)(dot - f[3]), &ix->build) ||
        parse_u32(dot + 1, strlen(dot + 1), &ix->ubr))
        return -1;
    size_t nk = 0;
    for (char *k = f[5]; *k != '\0';) {
        char *comma = strchr(k, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*k != '\0') {
            if (nk == MAX_KBS)
                return -1;
            sp->kbs[nk++] = k;
        }
        if (comma == NULL)
            break;
        k = comma + 1;
    }
    sp->kbs[nk] = NULL;
    ix->kbs = sp->kbs;

    bool server = strcmp(ix->install_type, "Server") == 0;
    const char *family = server ? "Windows Server" : "Windows";
    ix->display_version = "";
    ix->major = 10;
    for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++) {
        const struct release *r = &releases[i];
        if (r->build != ix->build)
            continue;
        family = server ? (r->server ? r->server : r->client)
                        : (r->client ? r->client : r->server);
        ix->display_version = r->display;
        ix->major = r->major;
        ix->minor = r->minor;
    }
    snprintf(sp->product, sizeof(sp->product), "%s %s", family,
             edition_word(ix->edition));
    ix->product_name = sp->product;
    return 0;
}

int main(int argc, char **argv)
{
    static spec specs[MAX_INDEXES];
    winimage_index idx[MAX_INDEXES];
    int n = 0;
    uint64_t pad = 0;
    char err[512];

    if (argc == 3 && strcmp(argv[1], "--hive-only") == 0) {
        if (winimage_hive_create(argv[2], err, sizeof(err)) != 0)
            return bad("hive", err);
        return 0;
    }
    if (argc < 2 || argv[1][0] == '-')
        return usage();
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--index") == 0 && i + 1 < argc) {
            if (n == MAX_INDEXES)
                return bad("too many indexes", argv[i + 1]);
            if (parse_index(argv[i + 1], &specs[n], &idx[n]) != 0)
                return bad("bad --index", argv[i + 1]);
            n++;
            i++;
        } else if (strcmp(argv[i], "--no-hive") == 0 && n > 0) {
            idx[n - 1].no_hive = true;
        } else if (strcmp(argv[i], "--pad") == 0 && i + 1 < argc) {
            if (util_parse_u64(argv[i + 1], strlen(argv[i + 1]), SIZE_MAX,
                               &pad) != 0)
                return bad("bad --pad", argv[i + 1]);
            i++;
        } else {
            return usage();
        }
    }
    if (n == 0)
        return bad("no --index", argv[1]);
    for (int i = 0; i < n; i++)
        idx[i].pad_bytes = (size_t)pad;
    if (winimage_build(argv[1], idx, n, err, sizeof(err)) != 0)
        return bad("build", err);
    return 0;
}
