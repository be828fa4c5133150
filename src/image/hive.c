/* SPDX-License-Identifier: MIT */
/*
 * The SOFTWARE hive of an offline Windows, read with hivex (read-only):
 * what Windows says it is (Microsoft\Windows NT\CurrentVersion) and the
 * servicing state of each package found in the manifests (Microsoft\
 * Windows\CurrentVersion\Component Based Servicing\Packages\<package>).
 * Every value read is bounded (IMAGE_HIVE_VALUE_MAX, IMAGE_TEXT_MAX) and
 * type-checked; hivex itself validates cell offsets, so a corrupt hive is
 * an error, never a crash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hivex.h>

#include "image/image_int.h"

#define CV_KEY "Microsoft\\Windows NT\\CurrentVersion"
#define CBS_KEY                                                                \
    "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"

/* CBS CurrentState values that mean the package's content is on disk. */
#define CBS_SUPERSEDED 0x50
#define CBS_PARTIALLY_INSTALLED 0x65
#define CBS_INSTALLED 0x70
#define CBS_PERMANENT 0x80

/* ---- UTF-16 (registry strings, WIM XML) --------------------------------- */

static size_t put_utf8(char *o, uint32_t c)
{
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

char *image_utf16le_to_utf8(util_arena *a, const char *s, size_t len,
                            size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t units = len / 2;
    /* at most 3 bytes per unit (a pair takes 4 for 2 units) */
    char *out = util_arena_alloc(a, units * 3 + 1);
    size_t n = 0;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < units; i++) {
        uint32_t c = (uint32_t)u[2 * i] | (uint32_t)u[2 * i + 1] << 8;
        if (c == 0)
            break;
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < units) {
            uint32_t d = (uint32_t)u[2 * i + 2] | (uint32_t)u[2 * i + 3] << 8;
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        n += put_utf8(out + n, c);
    }
    out[n] = '\0';
    if (out_len != NULL)
        *out_len = n;
    return out;
}

/* ---- the hive ------------------------------------------------------------ */

/* The key at backslash-separated path below node (names compare
 * case-insensitively in hivex), 0 when it is missing. */
static hive_node_h key_at(hive_h *h, hive_node_h node, const char *path)
{
    char part[256];
    while (*path != '\0' && node != 0) {
        size_t n = strcspn(path, "\\");
        if (n >= sizeof(part))
            return 0;
        memcpy(part, path, n);
        part[n] = '\0';
        node = hivex_node_get_child(h, node, part);
        path += n;
        if (*path == '\\')
            path++;
    }
    return node;
}

/* The data of value `name` when its type is t1 or t2 (*t which) and it
 * holds at most IMAGE_HIVE_VALUE_MAX bytes; malloc'd by hivex (free()),
 * NULL otherwise. */
static char *value_data(hive_h *h, hive_node_h node, const char *name,
                        hive_type t1, hive_type t2, hive_type *t, size_t *len)
{
    hive_value_h v = hivex_node_get_value(h, node, name);
    size_t n;
    if (v == 0 || hivex_value_type(h, v, t, &n) != 0)
        return NULL;
    if ((*t != t1 && *t != t2) || n > IMAGE_HIVE_VALUE_MAX)
        return NULL;
    char *data = hivex_value_value(h, v, t, &n);
    if (data != NULL && n > IMAGE_HIVE_VALUE_MAX) {
        free(data);
        return NULL;
    }
    *len = n;
    return data;
}

/* A REG_SZ / REG_EXPAND_SZ value as UTF-8 in a: "" when absent or of
 * another type, NULL only when out of memory. */
static const char *reg_string(hive_h *h, hive_node_h node, const char *name,
                              util_arena *a)
{
    size_t n = 0;
    hive_type t;
    char *raw =
        value_data(h, node, name, hive_t_REG_SZ, hive_t_REG_EXPAND_SZ, &t, &n);
    if (raw == NULL)
        return "";
    size_t len;
    char *s = image_utf16le_to_utf8(a, raw, n, &len);
    free(raw); /* hivex's buffer */
    if (s != NULL)
        s[util_utf8_cut(s, len, IMAGE_TEXT_MAX)] = '\0';
    return s;
}

/* A REG_DWORD (or big-endian DWORD) value; false when absent. */
static bool reg_dword(hive_h *h, hive_node_h node, const char *name,
                      uint32_t *out)
{
    size_t n = 0;
    hive_type t;
    char *raw = value_data(h, node, name, hive_t_REG_DWORD,
                           hive_t_REG_DWORD_BIG_ENDIAN, &t, &n);
    if (raw == NULL)
        return false;
    bool ok = n >= 4;
    if (ok) {
        const unsigned char *u = (const unsigned char *)raw;
        *out = t == hive_t_REG_DWORD_BIG_ENDIAN
                   ? (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
                         (uint32_t)u[2] << 8 | u[3]
                   : (uint32_t)u[3] << 24 | (uint32_t)u[2] << 16 |
                         (uint32_t)u[1] << 8 | u[0];
    }
    free(raw);
    return ok;
}

static bool parse_u32(const char *s, size_t n, uint32_t *out)
{
    uint64_t v;
    if (util_parse_u64(s, n, UINT32_MAX, &v) != 0)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* CurrentVersion\*: product, edition, version numbers. */
static int read_version(image_os *os, hive_h *h, hive_node_h cv, util_arena *a)
{
    os->product_name = reg_string(h, cv, "ProductName", a);
    os->edition = reg_string(h, cv, "EditionID", a);
    os->install_type = reg_string(h, cv, "InstallationType", a);
    os->display_version = reg_string(h, cv, "DisplayVersion", a);
    if (os->display_version != NULL && os->display_version[0] == '\0')
        os->display_version = reg_string(h, cv, "ReleaseId", a);
    const char *cur = reg_string(h, cv, "CurrentVersion", a);
    const char *build = reg_string(h, cv, "CurrentBuild", a);
    if (!os->product_name || !os->edition || !os->install_type ||
        !os->display_version || !cur || !build)
        return SMSPROV_ENOMEM;

    /* Windows 10 froze CurrentVersion at "6.3" and added the numbers */
    if (!reg_dword(h, cv, "CurrentMajorVersionNumber", &os->major) ||
        !reg_dword(h, cv, "CurrentMinorVersionNumber", &os->minor)) {
        const char *dot = strchr(cur, '.');
        os->major = os->minor = 0;
        if (dot != NULL && (!parse_u32(cur, (size_t)(dot - cur), &os->major) ||
                            !parse_u32(dot + 1, strlen(dot + 1), &os->minor)))
            os->major = os->minor = 0;
    }
    /* XP marked CurrentBuild obsolete ("1.511.1 () (Obsolete data...)") */
    if (!parse_u32(build, strlen(build), &os->build)) {
        build = reg_string(h, cv, "CurrentBuildNumber", a);
        if (build == NULL)
            return SMSPROV_ENOMEM;
        if (!parse_u32(build, strlen(build), &os->build))
            os->build = 0;
    }
    if (!reg_dword(h, cv, "UBR", &os->ubr))
        os->ubr = 0;
    return 0;
}

static bool state_installed(int state)
{
    return state == -1 || state == CBS_SUPERSEDED ||
           state == CBS_PARTIALLY_INSTALLED || state == CBS_INSTALLED ||
           state == CBS_PERMANENT;
}

static int by_full_name(const void *x, const void *y)
{
    const image_package *p = *(image_package *const *)x;
    const image_package *q = *(image_package *const *)y;
    return util_stricmp(p->full_name, q->full_name);
}

/*
 * CurrentState of each package: one pass over the Packages key (thousands
 * of subkeys on a real image) against the packages sorted by full name,
 * rather than a hivex lookup (a linear scan) per package.  0, ENOMEM, or
 * EIO when hivex finds the key's subkey list corrupt.
 */
static int read_states(image_os *os, hive_h *h, hive_node_h root)
{
    hive_node_h pk = key_at(h, root, CBS_KEY);
    if (pk == 0 || os->npkgs == 0)
        return 0;
    image_package **sorted = util_malloc(os->npkgs * sizeof(*sorted));
    if (sorted == NULL)
        return SMSPROV_ENOMEM;
    uint32_t n = 0;
    for (uint32_t i = 0; i < os->npkgs; i++)
        if (os->pkgs[i].full_name != NULL)
            sorted[n++] = &os->pkgs[i];
    qsort(sorted, n, sizeof(*sorted), by_full_name);

    hive_node_h *kids = hivex_node_children(h, pk);
    if (kids == NULL) { /* hivex rejected the subkey list */
        util_free(sorted);
        return SMSPROV_EIO;
    }
    for (size_t k = 0; kids[k] != 0; k++) {
        char *name = hivex_node_name(h, kids[k]);
        if (name == NULL)
            continue;
        /* lower bound, then every package of that name */
        uint32_t lo = 0, hi = n;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (util_stricmp(sorted[mid]->full_name, name) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint32_t v;
        if (lo < n && util_stricmp(sorted[lo]->full_name, name) == 0 &&
            reg_dword(h, kids[k], "CurrentState", &v)) {
            int state = v > INT32_MAX ? INT32_MAX : (int)v;
            for (; lo < n && util_stricmp(sorted[lo]->full_name, name) == 0;
                 lo++) {
                sorted[lo]->state = state;
                sorted[lo]->installed = state_installed(state);
            }
        }
        free(name); /* hivex's buffer */
    }
    free(kids);
    util_free(sorted);
    return 0;
}

int image_hive_read(image_os *os, util_arena *a, const char *hive_path,
                    smsprov_error *err)
{
    int rc = 0;
    errno = 0;
    hive_h *h = hivex_open(hive_path, 0);
    if (h == NULL) {
        int e = errno;
        rc = util_error_set(err, e == ENOENT ? SMSPROV_ENOTFOUND : SMSPROV_EIO,
                            -1, "%s: not a readable registry hive (%s)",
                            hive_path, strerror(e ? e : EINVAL));
        image_error_file(err, hive_path);
        return rc;
    }
    hive_node_h root = hivex_root(h);
    hive_node_h cv = root ? key_at(h, root, CV_KEY) : 0;
    if (root == 0) {
        rc = util_error_set(err, SMSPROV_EIO, -1, "%s: no root key", hive_path);
        image_error_file(err, hive_path);
        goto out;
    }
    if (cv != 0)
        rc = read_version(os, h, cv, a);
    if (rc == 0)
        rc = read_states(os, h, root);
    if (rc != 0) {
        rc = util_error_set(err, rc, -1,
                            rc == SMSPROV_ENOMEM
                                ? "%s: out of memory"
                                : "%s: corrupt subkey list of " CBS_KEY,
                            hive_path);
        image_error_file(err, hive_path);
        goto out;
    }
    os->has_software_hive = true;
out:
    hivex_close(h);
    return rc;
}
