/* SPDX-License-Identifier: MIT */
/*
 * The reading side of offline servicing (src/image wim.c, hive.c, mum.c)
 * against real WIMs built by tests/helpers/winimage: index metadata, the
 * SOFTWARE hive and servicing manifests of one index, and what missing,
 * corrupt and foreign files give (error code, Win32 code, file named).
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <hivex.h>
#include <wimlib.h>

#include "helpers/winimage.h"
#include "image/image_int.h"
#include "util/util.h"

static char scratch[256];  /* private dir, also $TMPDIR of the reader */
static char main_wim[300]; /* index 1 Windows 11 23H2, 2 Server 2022 */
static char nohive_wim[300];

static const char *const kbs_client[] = {"KB5032190", "KB5027397", NULL};
static const char *const kbs_server[] = {"KB5032198", NULL};
static const char *const kbs_nohive[] = {"KB5031356", NULL};

static const winimage_index fixture[] = {
    {.name = "Windows 11 Enterprise",
     .edition = "Enterprise",
     .product_name = "Windows 11 Enterprise",
     .install_type = "Client",
     .display_version = "23H2",
     .major = 10,
     .build = 22631,
     .ubr = 2861,
     .arch = "amd64",
     .kbs = kbs_client},
    {.name = "Windows Server 2022 Datacenter",
     .edition = "ServerDatacenter",
     .product_name = "Windows Server 2022 Datacenter",
     .install_type = "Server",
     .display_version = "21H2",
     .major = 10,
     .build = 20348,
     .ubr = 2113,
     .arch = "amd64",
     .kbs = kbs_server},
};

static void path_in(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", scratch, name);
}

static int group_setup(void **state)
{
    char err[512];
    (void)state;
    snprintf(scratch, sizeof(scratch), "/tmp/smsprov-imgtest-%d",
             (int)getpid());
    if (mkdir(scratch, 0700) != 0)
        return -1;
    setenv("TMPDIR", scratch, 1);
    path_in(main_wim, sizeof(main_wim), "main.wim");
    path_in(nohive_wim, sizeof(nohive_wim), "nohive.wim");
    if (winimage_build(main_wim, fixture, 2, err, sizeof(err)) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        return -1;
    }
    winimage_index nh = {.name = "No hive",
                         .edition = "Professional",
                         .product_name = "Windows 10 Pro",
                         .install_type = "Client",
                         .build = 19045,
                         .ubr = 3693,
                         .arch = "x86",
                         .kbs = kbs_nohive,
                         .no_hive = true};
    if (winimage_build(nohive_wim, &nh, 1, err, sizeof(err)) != 0) {
        fprintf(stderr, "fixture: %s\n", err);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    char cmd[400];
    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- small file helpers -------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = util_malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void spill(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* A copy of main.wim named name, for damaging. */
static void copy_main(char *out, size_t n, const char *name)
{
    size_t len;
    char *buf = slurp(main_wim, &len);
    path_in(out, n, name);
    spill(out, buf, len);
    util_free(buf);
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Entries of scratch whose name starts with "smsprov-image-" (the
 * reader's temporary directories). */
static int temp_dirs_left(void)
{
    DIR *d = opendir(scratch);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strncmp(e->d_name, "smsprov-image-", 14) == 0;
    closedir(d);
    return n;
}

static const image_package *find_pkg(const image_os *os, const char *prefix)
{
    for (uint32_t i = 0; i < os->npkgs; i++)
        if (strncmp(os->pkgs[i].full_name, prefix, strlen(prefix)) == 0)
            return &os->pkgs[i];
    return NULL;
}

static bool valid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80         ? 0
                : (*u >> 5) == 6  ? 1
                : (*u >> 4) == 14 ? 2
                : (*u >> 3) == 30 ? 3
                                  : -1;
        if (n < 0)
            return false;
        u++;
        for (int i = 0; i < n; i++, u++)
            if ((*u & 0xC0) != 0x80)
                return false;
    }
    return true;
}

/* ---- WIM metadata -------------------------------------------------------- */

static void test_image_read__wim_metadata(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_wim w;
    int32_t win32 = -1;
    struct stat st;
    (void)state;
    assert_int_equal(image_wim_read(&w, a, main_wim, &win32, &err), 0);
    assert_int_equal(win32, IMAGE_WIN32_OK);
    assert_int_equal(w.count, 2);
    assert_int_equal(w.compression, WIMLIB_COMPRESSION_TYPE_LZX);
    assert_int_equal(stat(main_wim, &st), 0);
    assert_int_equal(w.file_size, (uint64_t)st.st_size);

    const image_index *c = &w.idx[0], *s = &w.idx[1];
    assert_int_equal(c->index, 1);
    assert_string_equal(c->name, "Windows 11 Enterprise");
    assert_string_equal(c->description, "Windows 11 Enterprise");
    assert_string_equal(c->edition, "Enterprise");
    assert_string_equal(c->product_name, "Windows 11 Enterprise");
    assert_string_equal(c->install_type, "Client");
    assert_string_equal(c->product_type, "WinNT");
    assert_int_equal(c->arch, IMAGE_ARCH_AMD64);
    assert_int_equal(c->major, 10);
    assert_int_equal(c->minor, 0);
    assert_int_equal(c->build, 22631);
    assert_int_equal(c->spbuild, 2861);
    assert_string_equal(c->languages, "en-US");
    assert_string_equal(c->default_lang, "en-US");
    assert_string_equal(c->staged, "");
    assert_true(c->total_bytes > 0);
    assert_int_equal(c->file_count, 4); /* hive + 3 manifests */
    assert_true(c->dir_count >= 6);

    assert_int_equal(s->index, 2);
    assert_string_equal(s->name, "Windows Server 2022 Datacenter");
    assert_string_equal(s->edition, "ServerDatacenter");
    assert_string_equal(s->install_type, "Server");
    assert_string_equal(s->product_type, "ServerNT");
    assert_int_equal(s->build, 20348);
    assert_int_equal(s->spbuild, 2113);

    assert_non_null(w.xml);
    assert_true(strncmp(w.xml, "<WIM>", 5) == 0);
    assert_non_null(strstr(w.xml, "<IMAGE INDEX=\"2\">"));
    assert_true(valid_utf8(w.xml));
    util_arena_free(a);
}

/* SMSPROV/STAGED, as the writing side records staged updates. */
static void test_image_read__staged_property(void **state)
{
    char path[300];
    WIMStruct *wim = NULL;
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_wim w;
    (void)state;
    copy_main(path, sizeof(path), "staged.wim");
    assert_int_equal(wimlib_open_wim(path, WIMLIB_OPEN_FLAG_WRITE_ACCESS, &wim),
                     0);
    assert_int_equal(wimlib_set_image_property(wim, 2, "SMSPROV/STAGED",
                                               "KB5033118,KB5034129"),
                     0);
    assert_int_equal(wimlib_overwrite(wim, 0, 0), 0);
    wimlib_free(wim);
    assert_int_equal(image_wim_read(&w, a, path, NULL, &err), 0);
    assert_string_equal(w.idx[0].staged, "");
    assert_string_equal(w.idx[1].staged, "KB5033118,KB5034129");
    unlink(path);
    util_arena_free(a);
}

/* ---- the Windows inside an index ----------------------------------------- */

static void test_image_read__os_client(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_os os;
    int32_t win32 = -1;
    (void)state;
    assert_int_equal(image_os_read(&os, a, main_wim, 1, &win32, &err), 0);
    assert_int_equal(win32, IMAGE_WIN32_OK);
    assert_int_equal(temp_dirs_left(), 0);
    assert_true(os.has_software_hive);
    assert_string_equal(os.product_name, "Windows 11 Enterprise");
    assert_string_equal(os.edition, "Enterprise");
    assert_string_equal(os.install_type, "Client");
    assert_string_equal(os.display_version, "23H2");
    assert_int_equal(os.major, 10);
    assert_int_equal(os.minor, 0);
    assert_int_equal(os.build, 22631);
    assert_int_equal(os.ubr, 2861);

    assert_int_equal(os.npkgs, 3);
    const image_package *p = find_pkg(&os, "Package_for_KB5032190~");
    assert_non_null(p);
    assert_string_equal(p->full_name,
                        "Package_for_KB5032190~31bf3856ad364e35~amd64~~"
                        "10.0.22631.2861");
    assert_string_equal(p->identity, "Package_for_KB5032190");
    assert_string_equal(p->kb, "KB5032190");
    assert_string_equal(p->version, "10.0.22631.2861");
    assert_string_equal(p->arch, "amd64");
    assert_string_equal(p->release, "Security Update");
    assert_int_equal(p->state, 0x70);
    assert_true(p->installed);
    p = find_pkg(&os, "Package_for_KB5027397~");
    assert_non_null(p);
    assert_string_equal(p->kb, "KB5027397");
    assert_true(p->installed);
    p = find_pkg(&os, "Microsoft-Windows-Foundation-Package~");
    assert_non_null(p);
    assert_string_equal(p->kb, "");
    assert_string_equal(p->release, "Foundation");
    assert_int_equal(p->state, 0x70);
    util_arena_free(a);
}

static void test_image_read__os_server(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_os os;
    (void)state;
    assert_int_equal(image_os_read(&os, a, main_wim, 2, NULL, &err), 0);
    assert_string_equal(os.product_name, "Windows Server 2022 Datacenter");
    assert_string_equal(os.edition, "ServerDatacenter");
    assert_string_equal(os.install_type, "Server");
    assert_string_equal(os.display_version, "21H2");
    assert_int_equal(os.build, 20348);
    assert_int_equal(os.ubr, 2113);
    assert_int_equal(os.npkgs, 2);
    const image_package *p = find_pkg(&os, "Package_for_KB5032198~");
    assert_non_null(p);
    assert_string_equal(p->kb, "KB5032198");
    assert_true(p->installed);
    assert_null(find_pkg(&os, "Package_for_KB5032190~"));
    util_arena_free(a);
}

static void test_image_read__os_without_hive(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_os os;
    (void)state;
    assert_int_equal(image_os_read(&os, a, nohive_wim, 1, NULL, &err), 0);
    assert_false(os.has_software_hive);
    assert_string_equal(os.product_name, "");
    assert_int_equal(os.build, 0);
    assert_int_equal(os.npkgs, 2);
    const image_package *p = find_pkg(&os, "Package_for_KB5031356~");
    assert_non_null(p);
    assert_string_equal(p->arch, "x86");
    assert_int_equal(p->state, -1); /* no hive, no state */
    assert_true(p->installed);
    assert_int_equal(temp_dirs_left(), 0);
    util_arena_free(a);
}

static void test_image_read__bad_index(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_os os;
    (void)state;
    assert_int_equal(image_os_read(&os, a, main_wim, 3, NULL, &err),
                     SMSPROV_EINVALID_PARAMETER);
    assert_int_equal(os.npkgs, 0);
    util_arena_free(a);
}

/* ---- missing, corrupt and foreign files ---------------------------------- */

static void test_image_read__missing_file(void **state)
{
    char path[300];
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_wim w;
    image_os os;
    int32_t win32 = 0;
    (void)state;
    path_in(path, sizeof(path), "nope.wim");
    assert_int_equal(image_wim_read(&w, a, path, &win32, &err),
                     SMSPROV_ENOTFOUND);
    assert_int_equal(win32, IMAGE_WIN32_FILE_NOT_FOUND);
    assert_string_equal(err.file, path);
    util_error_clear(&err);
    win32 = 0;
    assert_int_equal(image_os_read(&os, a, path, 1, &win32, &err),
                     SMSPROV_ENOTFOUND);
    assert_int_equal(win32, IMAGE_WIN32_FILE_NOT_FOUND);
    util_arena_free(a);
}

/* Reads path expecting EIO + FILE_CORRUPT with err.file == path. */
static void expect_corrupt(const char *path)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_wim w;
    image_os os;
    int32_t win32 = 0;
    assert_int_equal(image_wim_read(&w, a, path, &win32, &err), SMSPROV_EIO);
    assert_int_equal(win32, IMAGE_WIN32_FILE_CORRUPT);
    assert_string_equal(err.file, path);
    assert_int_equal(w.count, 0);
    util_error_clear(&err);
    win32 = 0;
    assert_int_equal(image_os_read(&os, a, path, 1, &win32, &err), SMSPROV_EIO);
    assert_int_equal(win32, IMAGE_WIN32_FILE_CORRUPT);
    assert_string_equal(err.file, path);
    util_arena_free(a);
}

static void test_image_read__corrupt_wim(void **state)
{
    char path[300];
    size_t len;
    (void)state;
    /* the header magic overwritten */
    copy_main(path, sizeof(path), "badmagic.wim");
    char *buf = slurp(path, &len);
    memcpy(buf, "XXXXXXXX", 8);
    spill(path, buf, len);
    expect_corrupt(path);
    util_free(buf);
    /* cut in half: the blob table and the XML are gone */
    copy_main(path, sizeof(path), "half.wim");
    buf = slurp(path, &len);
    spill(path, buf, len / 2);
    util_free(buf);
    expect_corrupt(path);
}

/* The header, blob table and XML intact but the resources between them
 * (file data, image metadata) garbled: the metadata still reads, the
 * index does not. */
static void test_image_read__corrupt_resources(void **state)
{
    char path[300];
    size_t len;
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_wim w;
    image_os os;
    int32_t win32 = 0;
    (void)state;
    copy_main(path, sizeof(path), "garbled.wim");
    char *buf = slurp(path, &len);
    uint64_t blobs = le64((unsigned char *)buf + 0x38);
    uint64_t xml = le64((unsigned char *)buf + 0x50);
    uint64_t end = blobs < xml ? blobs : xml;
    assert_true(end > 208 && end <= len);
    for (uint64_t i = 208; i < end; i++)
        buf[i] = (char)(i * 131);
    spill(path, buf, len);
    util_free(buf);
    assert_int_equal(image_wim_read(&w, a, path, NULL, &err), 0);
    assert_int_equal(w.count, 2);
    assert_int_equal(image_os_read(&os, a, path, 1, &win32, &err), SMSPROV_EIO);
    assert_int_equal(win32, IMAGE_WIN32_FILE_CORRUPT);
    assert_non_null(strstr(err.msg, "index 1"));
    assert_int_equal(temp_dirs_left(), 0);
    util_arena_free(a);
}

static void test_image_read__not_a_wim(void **state)
{
    char path[300], text[1024];
    (void)state;
    path_in(path, sizeof(path), "notes.wim");
    memset(text, 'x', sizeof(text));
    memcpy(text, "This is a text file, not a WIM.\n", 32);
    spill(path, text, sizeof(text));
    expect_corrupt(path);
    spill(path, "MSWIM", 5); /* too short for a header */
    expect_corrupt(path);
}

/* A WIM captured from a hand-made tree: index 1 has a SOFTWARE file that
 * is no hive, index 2 a manifest that is no XML. */
static void test_image_read__corrupt_files_in_image(void **state)
{
    char root[300], dir[400], path[500], wimpath[300];
    WIMStruct *wim = NULL;
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_os os;
    int32_t win32 = 0;
    (void)state;
    path_in(root, sizeof(root), "trees");
    path_in(wimpath, sizeof(wimpath), "badfiles.wim");
    const char *dirs[] = {"",
                          "/1",
                          "/1/Windows",
                          "/1/Windows/System32",
                          "/1/Windows/System32/config",
                          "/2",
                          "/2/Windows",
                          "/2/Windows/servicing",
                          "/2/Windows/servicing/Packages"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(dir, sizeof(dir), "%s%s", root, dirs[i]);
        assert_int_equal(mkdir(dir, 0755), 0);
    }
    char junk[8192];
    memset(junk, 0x5A, sizeof(junk));
    memcpy(junk, "regf", 4);
    snprintf(path, sizeof(path), "%s/1/Windows/System32/config/SOFTWARE", root);
    spill(path, junk, sizeof(junk));
    snprintf(path, sizeof(path),
             "%s/2/Windows/servicing/Packages/Package_for_KB5000001~"
             "31bf3856ad364e35~amd64~~10.0.1.1.mum",
             root);
    spill(path, "<assembly><assemblyIdentity name=\"x\"", 36);
    assert_int_equal(
        wimlib_create_new_wim(WIMLIB_COMPRESSION_TYPE_XPRESS, &wim), 0);
    snprintf(dir, sizeof(dir), "%s/1", root);
    assert_int_equal(wimlib_add_image(wim, dir, "bad hive", NULL, 0), 0);
    snprintf(dir, sizeof(dir), "%s/2", root);
    assert_int_equal(wimlib_add_image(wim, dir, "bad manifest", NULL, 0), 0);
    assert_int_equal(wimlib_write(wim, wimpath, WIMLIB_ALL_IMAGES, 0, 0), 0);
    wimlib_free(wim);

    assert_int_equal(image_os_read(&os, a, wimpath, 1, &win32, &err),
                     SMSPROV_EIO);
    assert_int_equal(win32, IMAGE_WIN32_FILE_CORRUPT);
    assert_string_equal(err.file, "Windows\\System32\\config\\SOFTWARE");
    assert_null(strstr(err.msg, "smsprov-image-")); /* not the temp copy */
    assert_non_null(strstr(err.msg, "index 1: Windows\\System32"));
    util_error_clear(&err);
    win32 = 0;
    assert_int_equal(image_os_read(&os, a, wimpath, 2, &win32, &err),
                     SMSPROV_EIO);
    assert_int_equal(win32, IMAGE_WIN32_FILE_CORRUPT);
    assert_non_null(strstr(err.file, "Package_for_KB5000001~"));
    assert_true(err.offset >= 0);
    assert_int_equal(temp_dirs_left(), 0);
    util_arena_free(a);
}

static void test_image_read__win32_codes(void **state)
{
    (void)state;
    assert_int_equal(image_wim_win32(0), IMAGE_WIN32_OK);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_NOT_A_WIM_FILE),
                     IMAGE_WIN32_FILE_CORRUPT);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_INVALID_HEADER),
                     IMAGE_WIN32_FILE_CORRUPT);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_DECOMPRESSION),
                     IMAGE_WIN32_FILE_CORRUPT);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_INTEGRITY),
                     IMAGE_WIN32_FILE_CORRUPT);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_READ),
                     IMAGE_WIN32_FILE_CORRUPT);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_PATH_DOES_NOT_EXIST),
                     IMAGE_WIN32_FILE_NOT_FOUND);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_WIM_IS_READONLY),
                     IMAGE_WIN32_WRITE_PROTECT);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_ABORTED_BY_PROGRESS),
                     IMAGE_WIN32_OPERATION_ABORTED);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_WIM_IS_ENCRYPTED),
                     IMAGE_WIN32_NOT_SUPPORTED);
    assert_int_equal(image_wim_win32(WIMLIB_ERR_NOMEM),
                     IMAGE_WIN32_INVALID_DATA);
    assert_int_equal(image_wim_win32_errno(WIMLIB_ERR_OPEN, ENOENT),
                     IMAGE_WIN32_FILE_NOT_FOUND);
    assert_int_equal(image_wim_win32_errno(WIMLIB_ERR_OPEN, EACCES),
                     IMAGE_WIN32_ACCESS_DENIED);
    assert_int_equal(image_wim_win32_errno(WIMLIB_ERR_WRITE, ENOSPC),
                     IMAGE_WIN32_DISK_FULL);
    assert_int_equal(image_wim_win32_errno(WIMLIB_ERR_WRITE, EROFS),
                     IMAGE_WIN32_WRITE_PROTECT);
    assert_int_equal(image_wim_win32_errno(WIMLIB_ERR_MKDIR, EACCES),
                     IMAGE_WIN32_ACCESS_DENIED);
}

/* ---- the XML document alone ---------------------------------------------- */

static void test_image_read__wim_xml(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_wim w = {0};
    (void)state;
    /* images out of order, one without INDEX, two languages */
    const char *doc =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n"
        "<WIM><TOTALBYTES>99</TOTALBYTES>"
        "<IMAGE INDEX=\"3\"><NAME>c</NAME><WINDOWS><ARCH>12</ARCH>"
        "<LANGUAGES><LANGUAGE>en-US</LANGUAGE><LANGUAGE>de-DE</LANGUAGE>"
        "<DEFAULT>de-DE</DEFAULT></LANGUAGES></WINDOWS></IMAGE>"
        "<IMAGE INDEX=\"1\"><NAME> a </NAME><TOTALBYTES>7</TOTALBYTES>"
        "<WINDOWS><VERSION><BUILD>26100</BUILD></VERSION></WINDOWS>"
        "</IMAGE></WIM>";
    assert_int_equal(image_wim_xml_parse(&w, a, doc, strlen(doc), &err), 0);
    assert_int_equal(w.count, 3);
    assert_string_equal(w.idx[0].name, "a");
    assert_int_equal(w.idx[0].total_bytes, 7);
    assert_int_equal(w.idx[0].build, 26100);
    assert_int_equal(w.idx[0].arch, IMAGE_ARCH_UNKNOWN);
    assert_int_equal(w.idx[1].index, 2); /* nobody described it */
    assert_string_equal(w.idx[1].name, "");
    assert_string_equal(w.idx[2].name, "c");
    assert_int_equal(w.idx[2].arch, IMAGE_ARCH_ARM64);
    assert_string_equal(w.idx[2].languages, "en-US,de-DE");
    assert_string_equal(w.idx[2].default_lang, "de-DE");
    assert_true(strncmp(w.xml, "<WIM>", 5) == 0);

    /* the same as stored in a WIM: UTF-16LE with BOM */
    size_t n = strlen(doc);
    char *u16 = util_arena_alloc(a, 2 * n + 2);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++)
        u16[2 + 2 * i] = doc[i];
    image_wim w2 = {0};
    assert_int_equal(image_wim_xml_parse(&w2, a, u16, 2 * n + 2, &err), 0);
    assert_int_equal(w2.count, 3);
    assert_string_equal(w2.idx[2].languages, "en-US,de-DE");
    assert_string_equal(w2.xml, w.xml);

    /* broken documents */
    const char *bad[] = {"<WIM><IMAGE INDEX=\"1\"><NAME>x</IMAGE></WIM>",
                         "<NOTWIM/>", "", "<WIM><IMAGE INDEX=\"5000\"/></WIM>",
                         "<WIM>"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        util_error_clear(&err);
        assert_int_equal(
            image_wim_xml_parse(&w, a, bad[i], strlen(bad[i]), &err),
            SMSPROV_EINVALID_SYNTAX);
        assert_true(err.offset >= 0);
        assert_int_equal(w.count, 0);
    }
    util_arena_free(a);
}

/* ---- manifests ----------------------------------------------------------- */

#define MUM_HEAD                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"        \
    "<assembly xmlns=\"urn:schemas-microsoft-com:asm.v3\" "                    \
    "manifestVersion=\"1.0\" copyright=\"Copyright (c) Microsoft "             \
    "Corporation. All Rights Reserved.\">"

static const char mum_good[] = MUM_HEAD
    "<assemblyIdentity name=\"Package_for_KB5005565\" "
    "version=\"19041.1237.1.7\" processorArchitecture=\"amd64\" "
    "language=\"neutral\" buildType=\"release\" "
    "publicKeyToken=\"31bf3856ad364e35\"/>"
    "<package identifier=\"KB5005565\" releaseType=\"Security Update\" "
    "restart=\"possible\"><update name=\"x\"><package integrate=\"hidden\">"
    "<assemblyIdentity name=\"Package_1_for_KB5005565\" version=\"1.0\"/>"
    "</package></update></package></assembly>";

static void check_good(const image_package *p)
{
    assert_string_equal(p->identity, "Package_for_KB5005565");
    assert_string_equal(p->kb, "KB5005565");
    assert_string_equal(p->version, "19041.1237.1.7");
    assert_string_equal(p->arch, "amd64");
    assert_string_equal(p->release, "Security Update");
    assert_string_equal(p->full_name, "Package_for_KB5005565~31bf3856ad364e35"
                                      "~amd64~~19041.1237.1.7");
    assert_int_equal(p->state, -1);
    assert_true(p->installed);
}

static void test_image_read__mum(void **state)
{
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_package p;
    (void)state;
    assert_int_equal(
        image_mum_parse(&p, a, mum_good, strlen(mum_good), "x.mum", &err), 0);
    check_good(&p);

    /* UTF-8 with BOM */
    char *bom = util_arena_printf(a, "\xEF\xBB\xBF%s", mum_good);
    assert_int_equal(image_mum_parse(&p, a, bom, strlen(bom), "b.mum", &err),
                     0);
    check_good(&p);

    /* UTF-16LE with BOM (the declaration still says UTF-8) */
    size_t n = strlen(mum_good);
    char *u16 = util_arena_alloc(a, 2 * n + 2);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++)
        u16[2 + 2 * i] = mum_good[i];
    assert_int_equal(image_mum_parse(&p, a, u16, 2 * n + 2, "w.mum", &err), 0);
    check_good(&p);

    /* RollupFix: the KB is only in the identifier */
    const char *rollup =
        MUM_HEAD "<assemblyIdentity name=\"Package_for_RollupFix\" "
                 "version=\"19041.1237.1.7\" processorArchitecture=\"amd64\" "
                 "language=\"neutral\" publicKeyToken=\"31bf3856ad364e35\"/>"
                 "<package identifier=\"KB5005565\" releaseType=\"Update\"/>"
                 "</assembly>";
    assert_int_equal(
        image_mum_parse(&p, a, rollup, strlen(rollup), "r.mum", &err), 0);
    assert_string_equal(p.identity, "Package_for_RollupFix");
    assert_string_equal(p.kb, "KB5005565");

    /* no identifier: the KB comes from the name; no KB at all: "" */
    const char *noid = MUM_HEAD "<assemblyIdentity name=\"Package_for_KB"
                                "5006670\" version=\"1\"/></assembly>";
    assert_int_equal(image_mum_parse(&p, a, noid, strlen(noid), "n.mum", &err),
                     0);
    assert_string_equal(p.kb, "KB5006670");
    assert_string_equal(p.release, "");
    const char *nokb = MUM_HEAD "<assemblyIdentity name=\"Microsoft-Windows-"
                                "Foundation-Package\" version=\"1\" "
                                "language=\"en-US\"/></assembly>";
    assert_int_equal(image_mum_parse(&p, a, nokb, strlen(nokb), "f.mum", &err),
                     0);
    assert_string_equal(p.kb, "");
    assert_string_equal(p.full_name,
                        "Microsoft-Windows-Foundation-Package~~~en-US~1");
    util_arena_free(a);
}

static void test_image_read__mum_bad(void **state)
{
    util_arena *a = util_arena_new();
    image_package p;
    const char *bad[] = {
        "",
        "<assembly><assemblyIdentity name=\"x\"", /* truncated */
        "<manifest><assemblyIdentity name=\"x\"/></manifest>",
        "<assembly><package identifier=\"KB5005565\"/></assembly>",
        "<assembly><x><assemblyIdentity name=\"deep\"/></x></assembly>",
        "<assembly>&bogus;</assembly>",
        "\xFF\xFE<\0a\0",
    };
    size_t lens[] = {0, 36, 0, 0, 0, 0, 6};
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        smsprov_error err = SMSPROV_ERROR_INIT;
        size_t len = lens[i] ? lens[i] : strlen(bad[i]);
        assert_int_equal(image_mum_parse(&p, a, bad[i], len, "bad.mum", &err),
                         SMSPROV_EINVALID_SYNTAX);
        assert_true(err.offset >= 0 && (size_t)err.offset <= len);
        assert_string_equal(err.file, "bad.mum");
        assert_null(p.identity);
    }
    util_arena_free(a);
}

static void test_image_read__kb_find(void **state)
{
    char kb[16];
    (void)state;
    assert_true(image_kb_find("KB5005565", kb));
    assert_string_equal(kb, "KB5005565");
    assert_true(image_kb_find("kb123456", kb));
    assert_string_equal(kb, "KB123456");
    assert_true(image_kb_find("Package_for_KB5005565~31bf3856ad364e35", kb));
    assert_string_equal(kb, "KB5005565");
    assert_true(image_kb_find("Security Update (KB12345678)", kb));
    assert_string_equal(kb, "KB12345678");
    assert_true(image_kb_find("WKB123456 then KB654321", kb));
    assert_string_equal(kb, "KB654321");
    assert_false(image_kb_find("xKB5005565", kb));
    assert_false(image_kb_find("1KB5005565", kb));
    assert_false(image_kb_find("KB12345", kb));     /* 5 digits */
    assert_false(image_kb_find("KB123456789", kb)); /* 9 digits */
    assert_false(image_kb_find("Package_for_RollupFix", kb));
    assert_false(image_kb_find("K", kb));
    assert_false(image_kb_find("", kb));
    assert_false(image_kb_find(NULL, kb));
}

/* ---- hives --------------------------------------------------------------- */

static void test_image_read__hive(void **state)
{
    char path[300], msg[256];
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_os os = {0};
    (void)state;
    /* the empty hive: valid, nothing in it */
    path_in(path, sizeof(path), "empty.hive");
    assert_int_equal(winimage_hive_create(path, msg, sizeof(msg)), 0);
    assert_int_equal(image_hive_read(&os, a, path, &err), 0);
    assert_true(os.has_software_hive);
    assert_int_equal(os.build, 0);

    /* a flipped byte in the base block: the checksum no longer matches */
    size_t len;
    char *buf = slurp(path, &len);
    buf[0x30] ^= 1;
    spill(path, buf, len);
    memset(&os, 0, sizeof(os));
    assert_int_equal(image_hive_read(&os, a, path, &err), SMSPROV_EIO);
    assert_string_equal(err.file, path);
    assert_false(os.has_software_hive);
    /* bins of garbage */
    buf[0x30] ^= 1;
    memset(buf + 4096, 0xA5, len - 4096);
    spill(path, buf, len);
    util_error_clear(&err);
    assert_int_equal(image_hive_read(&os, a, path, &err), SMSPROV_EIO);
    /* too short */
    spill(path, buf, 100);
    util_error_clear(&err);
    assert_int_equal(image_hive_read(&os, a, path, &err), SMSPROV_EIO);
    util_free(buf);
    path_in(path, sizeof(path), "absent.hive");
    util_error_clear(&err);
    assert_int_equal(image_hive_read(&os, a, path, &err), SMSPROV_ENOTFOUND);
    util_arena_free(a);
}

#define CBS_PACKAGES                                                           \
    "Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages"
#define PKG_CLIENT(kb)                                                         \
    "Package_for_" kb "~31bf3856ad364e35~amd64~~10.0.22631.2861"

/* The SOFTWARE hive of main.wim index 1, extracted to scratch/name. */
static void extract_hive(char *out, size_t n, const char *name)
{
    char dir[300];
    WIMStruct *wim = NULL;
    const char *paths[] = {"\\Windows\\System32\\config\\SOFTWARE"};
    path_in(dir, sizeof(dir), name);
    assert_int_equal(wimlib_open_wim(main_wim, 0, &wim), 0);
    assert_int_equal(
        wimlib_extract_paths(wim, 1, dir, paths, 1,
                             WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE),
        0);
    wimlib_free(wim);
    snprintf(out, n, "%s/SOFTWARE", dir);
}

/* The nk offset of the CBS Packages key (hivex node handles are offsets). */
static hive_node_h packages_key(hive_h *h)
{
    hive_node_h node = hivex_root(h);
    const char *parts[] = {"Microsoft", "Windows", "CurrentVersion",
                           "Component Based Servicing", "Packages"};
    for (size_t i = 0; i < 5 && node != 0; i++)
        node = hivex_node_get_child(h, node, parts[i]);
    assert_true(node != 0);
    return node;
}

/* CurrentState decides installed: 0x40 (staged) is not, no entry is. */
static void test_image_read__hive_states(void **state)
{
    char path[400];
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_package pk[3] = {
        {.full_name = PKG_CLIENT("KB5027397"), .state = -1, .installed = true},
        {.full_name = PKG_CLIENT("KB5032190"), .state = -1, .installed = true},
        {.full_name = PKG_CLIENT("KB5099999"), .state = -1, .installed = true},
    };
    image_os os = {.pkgs = pk, .npkgs = 3};
    (void)state;
    extract_hive(path, sizeof(path), "states");
    hive_h *h = hivex_open(path, HIVEX_OPEN_WRITE);
    assert_non_null(h);
    hive_node_h p = hivex_node_get_child(h, packages_key(h), pk[0].full_name);
    assert_true(p != 0);
    char staged[4] = {0x40, 0, 0, 0};
    hive_set_value v = {.key = "CurrentState",
                        .t = hive_t_REG_DWORD,
                        .len = 4,
                        .value = staged};
    assert_int_equal(hivex_node_set_value(h, p, &v, 0), 0);
    assert_int_equal(hivex_commit(h, NULL, 0), 0);
    hivex_close(h);

    assert_int_equal(image_hive_read(&os, a, path, &err), 0);
    assert_string_equal(os.product_name, "Windows 11 Enterprise");
    assert_int_equal(pk[0].state, 0x40);
    assert_false(pk[0].installed);
    assert_int_equal(pk[1].state, 0x70);
    assert_true(pk[1].installed);
    assert_int_equal(pk[2].state, -1);
    assert_true(pk[2].installed);
    util_arena_free(a);
}

/* A Packages key whose subkey list points nowhere: EIO, not "no state". */
static void test_image_read__hive_corrupt_packages(void **state)
{
    char path[400];
    util_arena *a = util_arena_new();
    smsprov_error err = SMSPROV_ERROR_INIT;
    image_package pk = {.full_name = PKG_CLIENT("KB5032190"), .state = -1};
    image_os os = {.pkgs = &pk, .npkgs = 1};
    size_t len;
    (void)state;
    extract_hive(path, sizeof(path), "badlist");
    hive_h *h = hivex_open(path, 0);
    assert_non_null(h);
    size_t nk = packages_key(h);
    hivex_close(h);
    char *buf = slurp(path, &len);
    assert_true(nk + 0x24 <= len);
    memcpy(buf + nk + 0x20, "\x10\x32\x54\x06", 4); /* subkey list offset */
    spill(path, buf, len);
    util_free(buf);
    assert_int_equal(image_hive_read(&os, a, path, &err), SMSPROV_EIO);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.msg, "Packages"));
    util_arena_free(a);
}

/* ---- torture: every allocation failing in turn --------------------------- */

static void test_image_read__torture(void **state)
{
    (void)state;
    for (long n = 1;; n++) {
        util_arena *a = util_arena_new();
        smsprov_error err = SMSPROV_ERROR_INIT;
        image_package p;
        image_wim w = {0};
        const char *doc = "<WIM><IMAGE INDEX=\"1\"><NAME>n</NAME><WINDOWS>"
                          "<LANGUAGES><LANGUAGE>a</LANGUAGE><LANGUAGE>b"
                          "</LANGUAGE></LANGUAGES></WINDOWS></IMAGE></WIM>";
        assert_non_null(a);
        util_alloc_fail_at(n);
        int r1 = image_mum_parse(&p, a, mum_good, strlen(mum_good), "t", &err);
        util_error_clear(&err);
        int r2 = image_wim_xml_parse(&w, a, doc, strlen(doc), &err);
        util_alloc_fail_at(0);
        assert_true(r1 == 0 || r1 == SMSPROV_ENOMEM);
        assert_true(r2 == 0 || r2 == SMSPROV_ENOMEM);
        util_arena_free(a);
        if (r1 == 0 && r2 == 0)
            break;
        assert_true(n < 10000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_read__wim_metadata),
        cmocka_unit_test(test_image_read__staged_property),
        cmocka_unit_test(test_image_read__os_client),
        cmocka_unit_test(test_image_read__os_server),
        cmocka_unit_test(test_image_read__os_without_hive),
        cmocka_unit_test(test_image_read__bad_index),
        cmocka_unit_test(test_image_read__missing_file),
        cmocka_unit_test(test_image_read__corrupt_wim),
        cmocka_unit_test(test_image_read__corrupt_resources),
        cmocka_unit_test(test_image_read__not_a_wim),
        cmocka_unit_test(test_image_read__corrupt_files_in_image),
        cmocka_unit_test(test_image_read__win32_codes),
        cmocka_unit_test(test_image_read__wim_xml),
        cmocka_unit_test(test_image_read__mum),
        cmocka_unit_test(test_image_read__mum_bad),
        cmocka_unit_test(test_image_read__kb_find),
        cmocka_unit_test(test_image_read__hive),
        cmocka_unit_test(test_image_read__hive_states),
        cmocka_unit_test(test_image_read__hive_corrupt_packages),
        cmocka_unit_test(test_image_read__torture),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
