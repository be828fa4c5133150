/* SPDX-License-Identifier: MIT */
/*
 * Test fixture builder: writes a synthetic Windows tree per index (a real
 * SOFTWARE hive, servicing manifests, optional padding) under a private
 * temporary directory and captures the trees as the images of one WIM with
 * wimlib.  The hive starts as a hand-written empty regf file (hivex can
 * edit hives but not create one) and is filled through hivex.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hivex.h>
#include <wimlib.h>

#include "helpers/winimage.h"
#include "util/util.h"

#define HIVE_BASE_SIZE 4096 /* regf base block */
#define HIVE_BIN_SIZE 4096  /* the one hbin of an empty hive */
#define HIVE_ROOT_CELL 0x20 /* root nk, relative to the first hbin */
#define HIVE_ROOT_NAME "ROOT"
#define PKT "31bf3856ad364e35" /* Microsoft's package public key token */
#define FOUNDATION "Microsoft-Windows-Foundation-Package"
#define CV_KEY "Microsoft\\Windows NT\\CurrentVersion"
#define CBS_KEY                                                                \
    "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
#define CBS_INSTALLED 0x70 /* CurrentState: Installed */
#define PAD_CHUNK (1u << 20)

static int fail(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *errbuf, size_t errlen, const char *fmt, ...)
{
    if (errbuf != NULL && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(errbuf, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* A self-relative security descriptor: owner BUILTIN\Administrators,
 * group SYSTEM, DACL present but NULL (full access).  Nobody checks it;
 * it only has to be there for the sk cell. */
static size_t put_sd(uint8_t *p)
{
    p[0] = 1;             /* revision */
    put16(p + 2, 0x8004); /* SE_SELF_RELATIVE | SE_DACL_PRESENT */
    put32(p + 4, 20);     /* owner */
    put32(p + 8, 36);     /* group */
    uint8_t *o = p + 20;  /* S-1-5-32-544 */
    o[0] = 1;
    o[1] = 2;
    o[7] = 5;
    put32(o + 8, 32);
    put32(o + 12, 544);
    uint8_t *g = p + 36; /* S-1-5-18 */
    g[0] = 1;
    g[1] = 1;
    g[7] = 5;
    put32(g + 8, 18);
    return 48;
}

/*
 * The empty hive: a base block, then one hbin with the root nk cell, the
 * sk cell it points to (its own flink/blink: the only one in the list) and
 * the rest of the bin as one free cell.  Cell offsets are relative to the
 * first hbin and 8-byte aligned (wimlib's reader insists on it).
 */
int winimage_hive_create(const char *path, char *errbuf, size_t errlen)
{
    uint8_t b[HIVE_BASE_SIZE + HIVE_BIN_SIZE] = {0};
    uint8_t *bin = b + HIVE_BASE_SIZE;
    size_t nk_len = (0x50 + strlen(HIVE_ROOT_NAME) + 7) & ~(size_t)7;
    uint32_t sk_off = HIVE_ROOT_CELL + (uint32_t)nk_len;

    /* root nk */
    uint8_t *nk = bin + HIVE_ROOT_CELL;
    put32(nk, (uint32_t) - (int32_t)nk_len);
    memcpy(nk + 4, "nk", 2);
    put16(nk + 6, 0x0004 | 0x0008 | 0x0020); /* HIVE_ENTRY NO_DELETE
                                                COMP_NAME */
    put32(nk + 0x20, 0xFFFFFFFF);            /* no subkey list */
    put32(nk + 0x24, 0xFFFFFFFF);            /* no volatile subkey list */
    put32(nk + 0x2C, 0xFFFFFFFF);            /* no value list */
    put32(nk + 0x30, sk_off);                /* security */
    put32(nk + 0x34, 0xFFFFFFFF);            /* no class name */
    put16(nk + 0x4C, (uint16_t)strlen(HIVE_ROOT_NAME));
    memcpy(nk + 0x50, HIVE_ROOT_NAME, strlen(HIVE_ROOT_NAME));

    /* sk */
    uint8_t *sk = bin + sk_off;
    size_t sd_len = put_sd(sk + 24);
    size_t sk_len = (24 + sd_len + 7) & ~(size_t)7;
    put32(sk, (uint32_t) - (int32_t)sk_len);
    memcpy(sk + 4, "sk", 2);
    put32(sk + 8, sk_off);  /* flink */
    put32(sk + 12, sk_off); /* blink */
    put32(sk + 16, 1);      /* referenced by the root */
    put32(sk + 20, (uint32_t)sd_len);

    /* the rest of the bin is free (positive size) */
    uint32_t free_off = sk_off + (uint32_t)sk_len;
    put32(bin + free_off, HIVE_BIN_SIZE - free_off);

    memcpy(bin, "hbin", 4);
    put32(bin + 4, 0);             /* offset of this bin */
    put32(bin + 8, HIVE_BIN_SIZE); /* size of this bin */

    memcpy(b, "regf", 4);
    put32(b + 0x04, 1); /* primary sequence number */
    put32(b + 0x08, 1); /* secondary: equal = consistent */
    put32(b + 0x14, 1); /* major version */
    put32(b + 0x18, 3); /* minor version */
    put32(b + 0x1C, 0); /* primary file */
    put32(b + 0x20, 1); /* direct memory load */
    put32(b + 0x24, HIVE_ROOT_CELL);
    put32(b + 0x28, HIVE_BIN_SIZE); /* hive bins data size */
    put32(b + 0x2C, 1);             /* clustering factor */
    uint32_t sum = 0;
    for (int i = 0; i < 127; i++)
        sum ^= get32(b + 4 * i);
    put32(b + 0x1FC, sum);

    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return fail(errbuf, errlen, "%s: %s", path, strerror(errno));
    size_t n = fwrite(b, 1, sizeof(b), f);
    if (fclose(f) != 0 || n != sizeof(b))
        return fail(errbuf, errlen, "%s: write failed", path);
    return 0;
}

/* ---- filling the hive ---------------------------------------------------- */

/* One value to set, with its data inline. */
typedef struct regval {
    char name[48];
    hive_type t;
    size_t len;
    char data[256];
} regval;

static void val_sz(regval *v, const char *name, const char *s)
{
    snprintf(v->name, sizeof(v->name), "%s", name);
    v->t = hive_t_REG_SZ;
    size_t n = strlen(s);
    if (n > sizeof(v->data) / 2 - 1)
        n = sizeof(v->data) / 2 - 1;
    memset(v->data, 0, sizeof(v->data));
    for (size_t i = 0; i < n; i++)
        v->data[2 * i] = s[i]; /* fixtures are ASCII */
    v->len = 2 * (n + 1);      /* with the terminating NUL */
}

static void val_dword(regval *v, const char *name, uint32_t x)
{
    snprintf(v->name, sizeof(v->name), "%s", name);
    v->t = hive_t_REG_DWORD;
    put32((uint8_t *)v->data, x);
    v->len = 4;
}

static int set_values(hive_h *h, hive_node_h node, regval *v, size_t n)
{
    hive_set_value sv[16];
    if (n > sizeof(sv) / sizeof(sv[0]))
        return -1;
    for (size_t i = 0; i < n; i++) {
        sv[i].key = v[i].name;
        sv[i].t = v[i].t;
        sv[i].len = v[i].len;
        sv[i].value = v[i].data;
    }
    return hivex_node_set_values(h, node, n, sv, 0);
}

/* Finds or creates the key at the backslash-separated path under node. */
static hive_node_h key_path(hive_h *h, hive_node_h node, const char *path)
{
    char part[256];
    while (*path != '\0' && node != 0) {
        size_t n = strcspn(path, "\\");
        if (n >= sizeof(part))
            return 0;
        memcpy(part, path, n);
        part[n] = '\0';
        hive_node_h child = hivex_node_get_child(h, node, part);
        if (child == 0)
            child = hivex_node_add_child(h, node, part);
        node = child;
        path += n;
        if (*path == '\\')
            path++;
    }
    return node;
}

/* The full package name: name~pkt~arch~~major.minor.build.ubr. */
static void pkg_full(char *out, size_t n, const char *base,
                     const winimage_index *ix)
{
    snprintf(out, n, "%s~" PKT "~%s~~%u.%u.%u.%u", base, ix->arch, ix->major,
             ix->minor, ix->build, ix->ubr);
}

static int fill_hive(const char *path, const winimage_index *ix, char *errbuf,
                     size_t errlen)
{
    if (winimage_hive_create(path, errbuf, errlen) != 0)
        return -1;
    hive_h *h = hivex_open(path, HIVEX_OPEN_WRITE);
    if (h == NULL)
        return fail(errbuf, errlen, "%s: hivex_open: %s", path,
                    strerror(errno));
    int rc = -1;
    char num[32];
    regval v[10];
    size_t n = 0;
    hive_node_h cv = key_path(h, hivex_root(h), CV_KEY);
    if (cv == 0)
        goto out;
    val_sz(&v[n++], "ProductName", ix->product_name);
    val_sz(&v[n++], "EditionID", ix->edition);
    val_sz(&v[n++], "InstallationType", ix->install_type);
    val_sz(&v[n++], "DisplayVersion", ix->display_version);
    val_dword(&v[n++], "CurrentMajorVersionNumber", ix->major);
    val_dword(&v[n++], "CurrentMinorVersionNumber", ix->minor);
    val_dword(&v[n++], "UBR", ix->ubr);
    snprintf(num, sizeof(num), "%u", ix->build);
    val_sz(&v[n++], "CurrentBuild", num);
    val_sz(&v[n++], "CurrentBuildNumber", num);
    val_sz(&v[n++], "CurrentVersion", "6.3");
    if (set_values(h, cv, v, n) != 0)
        goto out;

    hive_node_h cbs = key_path(h, hivex_root(h), CBS_KEY);
    if (cbs == 0)
        goto out;
    for (size_t i = 0; ix->kbs != NULL && ix->kbs[i] != NULL; i++) {
        char base[64], full[160];
        snprintf(base, sizeof(base), "Package_for_%s", ix->kbs[i]);
        pkg_full(full, sizeof(full), base, ix);
        hive_node_h p = key_path(h, cbs, full);
        val_dword(&v[0], "CurrentState", CBS_INSTALLED);
        if (p == 0 || set_values(h, p, v, 1) != 0)
            goto out;
    }
    char full[160];
    pkg_full(full, sizeof(full), FOUNDATION, ix);
    hive_node_h p = key_path(h, cbs, full);
    val_dword(&v[0], "CurrentState", CBS_INSTALLED);
    if (p == 0 || set_values(h, p, v, 1) != 0)
        goto out;
    if (hivex_commit(h, NULL, 0) != 0)
        goto out;
    rc = 0;
out:
    if (rc != 0)
        fail(errbuf, errlen, "%s: hivex: %s", path, strerror(errno));
    hivex_close(h);
    return rc;
}

/* ---- the tree ------------------------------------------------------------ */

static int mkdirs(const char *root, const char *rel, char *errbuf,
                  size_t errlen)
{
    char path[4096];
    int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
    if (n < 0 || (size_t)n >= sizeof(path))
        return fail(errbuf, errlen, "path too long");
    for (char *p = path + strlen(root) + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return fail(errbuf, errlen, "%s: %s", path, strerror(errno));
        *p = c;
        if (c == '\0')
            return 0;
    }
}

static int write_text(const char *path, const char *text, char *errbuf,
                      size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return fail(errbuf, errlen, "%s: %s", path, strerror(errno));
    size_t len = strlen(text);
    size_t n = fwrite(text, 1, len, f);
    if (fclose(f) != 0 || n != len)
        return fail(errbuf, errlen, "%s: write failed", path);
    return 0;
}

/* A servicing manifest as Windows writes them: the package's own
 * assemblyIdentity first, then <package> with nested identities (the
 * parent and a sub-package) that a reader must not mistake for it. */
static int write_mum(const char *dir, const char *base, const char *kb,
                     const winimage_index *ix, char *errbuf, size_t errlen)
{
    char full[160], ver[64], path[4096], xml[4096];
    pkg_full(full, sizeof(full), base, ix);
    snprintf(ver, sizeof(ver), "%u.%u.%u.%u", ix->major, ix->minor, ix->build,
             ix->ubr);
    snprintf(path, sizeof(path), "%s/%s.mum", dir, full);
    const char *head =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
        "<assembly xmlns=\"urn:schemas-microsoft-com:asm.v3\" "
        "manifestVersion=\"1.0\" copyright=\"Copyright (c) Microsoft "
        "Corporation. All Rights Reserved.\">\r\n";
    const char *ident = "assemblyIdentity name=\"%s\" version=\"%s\" "
                        "processorArchitecture=\"%s\" language=\"neutral\" "
                        "buildType=\"release\" publicKeyToken=\"" PKT "\"/>";
    char me[512], parent[512], sub[512], subname[96];
    snprintf(me, sizeof(me), ident, base, ver, ix->arch);
    snprintf(parent, sizeof(parent), ident, FOUNDATION, ver, ix->arch);
    snprintf(subname, sizeof(subname), "Package_1_for_%s", kb ? kb : "x");
    snprintf(sub, sizeof(sub), ident, subname, ver, ix->arch);
    if (kb != NULL)
        snprintf(xml, sizeof(xml),
                 "%s  <%s\r\n"
                 "  <package identifier=\"%s\" releaseType=\"Security "
                 "Update\" restart=\"possible\">\r\n"
                 "    <parent buildCompare=\"EQ\" revisionCompare=\"GE\" "
                 "integrate=\"separate\" disposition=\"detect\">\r\n"
                 "      <%s\r\n"
                 "    </parent>\r\n"
                 "    <update name=\"%s-1\">\r\n"
                 "      <package integrate=\"hidden\"><%s</package>\r\n"
                 "    </update>\r\n"
                 "  </package>\r\n"
                 "</assembly>\r\n",
                 head, me, kb, parent, kb, sub);
    else
        snprintf(xml, sizeof(xml),
                 "%s  <%s\r\n"
                 "  <package identifier=\"Microsoft-Windows-Foundation\" "
                 "releaseType=\"Foundation\" restart=\"possible\">\r\n"
                 "  </package>\r\n"
                 "</assembly>\r\n",
                 head, me);
    return write_text(path, xml, errbuf, errlen);
}

/* pad.bin: xorshift64 output, so that LZX cannot shrink it. */
static int write_pad(const char *path, size_t bytes, char *errbuf,
                     size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return fail(errbuf, errlen, "%s: %s", path, strerror(errno));
    uint64_t *chunk = util_malloc(PAD_CHUNK);
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    int rc = chunk ? 0 : fail(errbuf, errlen, "out of memory");
    while (rc == 0 && bytes > 0) {
        for (size_t i = 0; i < PAD_CHUNK / 8; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chunk[i] = x;
        }
        size_t n = bytes < PAD_CHUNK ? bytes : PAD_CHUNK;
        if (fwrite(chunk, 1, n, f) != n)
            rc = fail(errbuf, errlen, "%s: write failed", path);
        bytes -= n;
    }
    util_free(chunk);
    if (fclose(f) != 0 && rc == 0)
        rc = fail(errbuf, errlen, "%s: write failed", path);
    return rc;
}

static int build_tree(const char *root, const winimage_index *ix, char *errbuf,
                      size_t errlen)
{
    char path[4096];
    if (mkdirs(root, "Windows/System32/config", errbuf, errlen) != 0 ||
        mkdirs(root, "Windows/servicing/Packages", errbuf, errlen) != 0)
        return -1;
    if (!ix->no_hive) {
        if (snprintf(path, sizeof(path), "%s/Windows/System32/config/SOFTWARE",
                     root) >= (int)sizeof(path) ||
            fill_hive(path, ix, errbuf, errlen) != 0)
            return -1;
    }
    if (snprintf(path, sizeof(path), "%s/Windows/servicing/Packages", root) >=
        (int)sizeof(path))
        return -1;
    for (size_t i = 0; ix->kbs != NULL && ix->kbs[i] != NULL; i++) {
        char base[64];
        snprintf(base, sizeof(base), "Package_for_%s", ix->kbs[i]);
        if (write_mum(path, base, ix->kbs[i], ix, errbuf, errlen) != 0)
            return -1;
    }
    if (write_mum(path, FOUNDATION, NULL, ix, errbuf, errlen) != 0)
        return -1;
    if (ix->pad_bytes > 0) {
        if (snprintf(path, sizeof(path), "%s/Windows/System32/pad.bin", root) >=
                (int)sizeof(path) ||
            write_pad(path, ix->pad_bytes, errbuf, errlen) != 0)
            return -1;
    }
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* ---- the WIM ------------------------------------------------------------- */

/* WIM XML <ARCH>: PROCESSOR_ARCHITECTURE_* */
static const char *arch_code(const char *arch)
{
    if (strcmp(arch, "x86") == 0)
        return "0";
    if (strcmp(arch, "arm") == 0)
        return "5";
    if (strcmp(arch, "arm64") == 0)
        return "12";
    return "9";
}

/* wimlib fills EDITIONID, PRODUCTNAME, INSTALLATIONTYPE and VERSION from
 * the SOFTWARE hive it finds in the tree, but ARCH needs kernel32.dll and
 * PRODUCTTYPE, LANGUAGES and SPBUILD the SYSTEM hive: set them all, so
 * that an index without a hive is described too. */
static int set_props(WIMStruct *wim, int image, const winimage_index *ix)
{
    char major[16], minor[16], build[16], ubr[16];
    snprintf(major, sizeof(major), "%u", ix->major);
    snprintf(minor, sizeof(minor), "%u", ix->minor);
    snprintf(build, sizeof(build), "%u", ix->build);
    snprintf(ubr, sizeof(ubr), "%u", ix->ubr);
    bool server = strcmp(ix->install_type, "Server") == 0;
    const char *props[][2] = {
        {"DESCRIPTION", ix->product_name},
        {"WINDOWS/ARCH", arch_code(ix->arch)},
        {"WINDOWS/PRODUCTNAME", ix->product_name},
        {"WINDOWS/EDITIONID", ix->edition},
        {"WINDOWS/INSTALLATIONTYPE", ix->install_type},
        {"WINDOWS/PRODUCTTYPE", server ? "ServerNT" : "WinNT"},
        {"WINDOWS/LANGUAGES/LANGUAGE", "en-US"},
        {"WINDOWS/LANGUAGES/DEFAULT", "en-US"},
        {"WINDOWS/VERSION/MAJOR", major},
        {"WINDOWS/VERSION/MINOR", minor},
        {"WINDOWS/VERSION/BUILD", build},
        {"WINDOWS/VERSION/SPBUILD", ubr},
    };
    for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
        if (props[i][1][0] == '\0')
            continue;
        int rc =
            wimlib_set_image_property(wim, image, props[i][0], props[i][1]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* idx with NULL/zero fields replaced by defaults. */
static winimage_index with_defaults(const winimage_index *in)
{
    winimage_index ix = *in;
    if (ix.edition == NULL)
        ix.edition = "Enterprise";
    if (ix.install_type == NULL)
        ix.install_type = "Client";
    if (ix.product_name == NULL)
        ix.product_name = "Windows";
    if (ix.display_version == NULL)
        ix.display_version = "";
    if (ix.arch == NULL)
        ix.arch = "amd64";
    if (ix.major == 0 && ix.minor == 0)
        ix.major = 10;
    return ix;
}

int winimage_build(const char *wim_path, const winimage_index *idx, int nidx,
                   char *errbuf, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    char root[4096], dir[4200];
    snprintf(root, sizeof(root), "%s/winimage-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (nidx < 1 || idx == NULL)
        return fail(errbuf, errlen, "no index to build");
    if (mkdtemp(root) == NULL)
        return fail(errbuf, errlen, "%s: %s", root, strerror(errno));
    WIMStruct *wim = NULL;
    int rc = -1;
    int wrc = wimlib_create_new_wim(WIMLIB_COMPRESSION_TYPE_LZX, &wim);
    if (wrc != 0)
        goto wimerr;
    for (int i = 0; i < nidx; i++) {
        winimage_index ix = with_defaults(&idx[i]);
        if (ix.name == NULL || ix.name[0] == '\0') {
            fail(errbuf, errlen, "index %d has no name", i + 1);
            goto out;
        }
        snprintf(dir, sizeof(dir), "%s/i%d", root, i + 1);
        if (mkdir(dir, 0755) != 0) {
            fail(errbuf, errlen, "%s: %s", dir, strerror(errno));
            goto out;
        }
        if (build_tree(dir, &ix, errbuf, errlen) != 0)
            goto out;
        wrc = wimlib_add_image(wim, dir, ix.name, NULL, 0);
        if (wrc == 0)
            wrc = set_props(wim, i + 1, &ix);
        if (wrc != 0)
            goto wimerr;
    }
    wrc = wimlib_write(wim, wim_path, WIMLIB_ALL_IMAGES, 0, 0);
    if (wrc != 0)
        goto wimerr;
    rc = 0;
    goto out;
wimerr:
    fail(errbuf, errlen, "%s: wimlib: %s", wim_path,
         wimlib_get_error_string((enum wimlib_error_code)wrc));
out:
    wimlib_free(wim);
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
