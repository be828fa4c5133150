/* SPDX-License-Identifier: MIT */
/*
 * The wimlib staging backend.  Linux cannot run DISM, so this backend does
 * what can be done honestly without it: it puts each update's verified
 * CBS packages into the image at
 *
 *   \Windows\servicing\smsprov\<NNN>-<KB>\<file>     (NNN = apply order)
 *
 * writes \Windows\Setup\Scripts\smsprov-apply.cmd, which installs every
 * staged package with DISM /Online /Add-Package in that order, and makes
 * SetupComplete.cmd call it (appending to an existing SetupComplete.cmd),
 * so Windows installs the updates at the end of setup on first boot.  The
 * index's XML metadata records the staged KBs in SMSPROV/STAGED, which
 * scans read back (the update then counts as installed in the image).
 *
 * The WIM is changed with wimlib_update_image and written in append mode
 * (wimlib_overwrite), as `wimlib-imagex update` does; run.c gives us a
 * private copy, so the original is never touched here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wimlib.h>

#include "image/image_backend.h"
#include "image/image_int.h"

#define STAGE_DIR "\\Windows\\servicing\\smsprov"
#define SCRIPTS_DIR "\\Windows\\Setup\\Scripts"
#define APPLY_SCRIPT "smsprov-apply.cmd"
#define STAGED_PROP "SMSPROV/STAGED"

/* Installs every staged package in directory-name order, logs, and
 * removes the staging area once DISM has taken them. */
static const char apply_cmd[] =
    "@echo off\r\n"
    "rem Written by smsprov offline servicing: installs the update packages\r\n"
    "rem staged under %WINDIR%\\servicing\\smsprov, in order.\r\n"
    "set LOG=%WINDIR%\\Logs\\smsprov-apply.log\r\n"
    "for /d %%k in (\"%WINDIR%\\servicing\\smsprov\\*\") do (\r\n"
    "  for %%f in (\"%%k\\*.cab\" \"%%k\\*.msu\") do (\r\n"
    "    echo %DATE% %TIME% %%f >> \"%LOG%\"\r\n"
    "    dism.exe /Online /Add-Package /PackagePath:\"%%f\" /Quiet "
    "/NoRestart >> \"%LOG%\" 2>&1\r\n"
    "  )\r\n"
    ")\r\n"
    "rd /s /q \"%WINDIR%\\servicing\\smsprov\"\r\n";

static const char call_line[] = "call \"%~dp0" APPLY_SCRIPT "\"\r\n";

typedef struct stage_ctx {
    const image_run_opts *o;
    const char *pkgid;
} stage_ctx;

static enum wimlib_progress_status on_progress(enum wimlib_progress_msg msg,
                                               union wimlib_progress_info *info,
                                               void *ctx)
{
    stage_ctx *s = ctx;
    if (msg == WIMLIB_PROGRESS_MSG_WRITE_STREAMS && s->o && s->o->progress) {
        image_progress pr = {s->pkgid, "write",
                             info->write_streams.completed_bytes,
                             info->write_streams.total_bytes};
        s->o->progress(&pr, s->o->payload);
    }
    return WIMLIB_PROGRESS_STATUS_CONTINUE;
}

static int write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t put = fwrite(data, 1, n, f);
    return fclose(f) == 0 && put == n ? 0 : -1;
}

/* Reads SetupComplete.cmd of index `idx` (if any) into tmp/SetupComplete.cmd
 * and makes it call the apply script.  0, or -1 on an I/O failure. */
static int setup_complete(WIMStruct *wim, int idx, const char *tmp, char *path,
                          size_t pathsz)
{
    const char *const want[1] = {SCRIPTS_DIR "\\SetupComplete.cmd"};
    if (snprintf(path, pathsz, "%s/SetupComplete.cmd", tmp) >= (int)pathsz)
        return -1;
    unlink(path);
    /* a missing file matches no glob and is not an error */
    wimlib_extract_paths(wim, idx, tmp, want, 1,
                         WIMLIB_EXTRACT_FLAG_NO_PRESERVE_DIR_STRUCTURE |
                             WIMLIB_EXTRACT_FLAG_GLOB_PATHS |
                             WIMLIB_EXTRACT_FLAG_NO_ACLS |
                             WIMLIB_EXTRACT_FLAG_NO_ATTRIBUTES);
    util_buf b = UTIL_BUF_INIT(1 << 20);
    FILE *f = fopen(path, "rb");
    if (f != NULL) {
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
            util_buf_append(&b, chunk, got);
        fclose(f);
    } else {
        util_buf_puts(&b, "@echo off\r\n");
    }
    int rc = 0;
    if (strstr(util_buf_cstr(&b), APPLY_SCRIPT) == NULL) {
        if (b.len > 0 && util_buf_cstr(&b)[b.len - 1] != '\n')
            util_buf_puts(&b, "\r\n");
        util_buf_puts(&b, call_line);
    }
    if (b.failed || write_file(path, util_buf_cstr(&b), b.len) != 0)
        rc = -1;
    util_buf_free(&b);
    return rc;
}

/* "KB1,KB2" of an index plus the new KBs (no duplicates). */
static char *merge_staged(util_arena *a, const char *old,
                          const image_stage_item *items, uint32_t n, int idx,
                          uint32_t *count)
{
    util_buf b = UTIL_BUF_INIT(1 << 20);
    *count = 0;
    if (old != NULL && old[0] != '\0') {
        util_buf_puts(&b, old);
        for (const char *c = old; *c; c++)
            *count += *c == ',';
        (*count)++;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (items[i].index != idx || items[i].kb[0] == '\0')
            continue;
        const char *cur = util_buf_cstr(&b);
        const char *hit = strstr(cur, items[i].kb);
        size_t kl = strlen(items[i].kb);
        if (hit != NULL && (hit == cur || hit[-1] == ',') &&
            (hit[kl] == '\0' || hit[kl] == ','))
            continue;
        util_buf_printf(&b, "%s%s", b.len ? "," : "", items[i].kb);
    }
    char *s = b.failed ? NULL : util_arena_strdup(a, util_buf_cstr(&b));
    util_buf_free(&b);
    return s;
}

static int stage_index(WIMStruct *wim, int idx, const image_stage_item *items,
                       uint32_t n, const char *tmp, util_arena *a,
                       smsprov_error *err)
{
    const wimlib_tchar *oldp = wimlib_get_image_property(wim, idx, STAGED_PROP);
    uint32_t seq = 0;
    char *merged = merge_staged(a, oldp, NULL, 0, idx, &seq);
    if (merged == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    size_t ncmd = 2;
    for (uint32_t i = 0; i < n; i++)
        if (items[i].index == idx)
            ncmd += items[i].nfiles;
    struct wimlib_update_command *cmds =
        util_arena_alloc(a, ncmd * sizeof(*cmds));
    if (cmds == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    memset(cmds, 0, ncmd * sizeof(*cmds));
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (items[i].index != idx)
            continue;
        seq++;
        for (uint32_t f = 0; f < items[i].nfiles; f++, k++) {
            cmds[k].op = WIMLIB_UPDATE_OP_ADD;
            cmds[k].add.fs_source_path = (char *)items[i].paths[f];
            cmds[k].add.wim_target_path = util_arena_printf(
                a, STAGE_DIR "\\%03u-%s\\%s", seq,
                items[i].kb[0] ? items[i].kb : "update", items[i].names[f]);
            if (cmds[k].add.wim_target_path == NULL)
                return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        }
    }
    char apply[4096], setup[4096];
    if (snprintf(apply, sizeof(apply), "%s/%s", tmp, APPLY_SCRIPT) >=
            (int)sizeof(apply) ||
        write_file(apply, apply_cmd, sizeof(apply_cmd) - 1) != 0 ||
        setup_complete(wim, idx, tmp, setup, sizeof(setup)) != 0)
        return util_error_set(err, SMSPROV_EIO, -1,
                              "cannot write the setup scripts in %s", tmp);
    cmds[k].op = WIMLIB_UPDATE_OP_ADD;
    cmds[k].add.fs_source_path = apply;
    cmds[k].add.wim_target_path = SCRIPTS_DIR "\\" APPLY_SCRIPT;
    k++;
    cmds[k].op = WIMLIB_UPDATE_OP_ADD;
    cmds[k].add.fs_source_path = setup;
    cmds[k].add.wim_target_path = SCRIPTS_DIR "\\SetupComplete.cmd";
    k++;
    int wrc = wimlib_update_image(wim, idx, cmds, k, 0);
    if (wrc == 0) {
        char *all = merge_staged(a, merged, items, n, idx, &seq);
        if (all == NULL)
            return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
        wrc = wimlib_set_image_property(wim, idx, STAGED_PROP, all);
    }
    return wrc;
}

static int stage_apply(const char *work, const image_stage_item *items,
                       uint32_t n, const image_run_opts *o, const char *pkgid,
                       int32_t *win32, smsprov_error *err)
{
    const char *tdir = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof(tmpl), "%s/smsprov-stage-XXXXXX",
             tdir && tdir[0] ? tdir : "/tmp");
    WIMStruct *wim = NULL;
    util_arena *a = util_arena_new();
    stage_ctx ctx = {o, pkgid};
    int rc = 0, wrc = 0;
    *win32 = 0;
    if (a == NULL)
        return util_error_set(err, SMSPROV_ENOMEM, -1, "out of memory");
    if (mkdtemp(tmpl) == NULL) {
        util_arena_free(a);
        *win32 = IMAGE_WIN32_ACCESS_DENIED;
        return util_error_set(err, SMSPROV_EIO, -1,
                              "cannot create a temporary directory");
    }
    wrc = image_wimlib_init();
    int last = 0;
    for (uint32_t i = 0; i < n; i++)
        last = items[i].index > last ? items[i].index : last;
    /* One append per index, each on a freshly opened WIM, as separate
     * `wimlib-imagex update` runs do: the first compresses each package
     * once, the later ones find its blobs by size and hash and only read
     * the files to hash them.  Staged together, every copy of a file is
     * read to tell duplicates apart before the one compression. */
    for (int idx = 1; wrc == 0 && rc == 0 && idx <= last; idx++) {
        bool any = false;
        for (uint32_t i = 0; i < n; i++)
            any |= items[i].index == idx;
        if (!any)
            continue;
        wrc = wimlib_open_wim_with_progress(work, WIMLIB_OPEN_FLAG_WRITE_ACCESS,
                                            &wim, on_progress, &ctx);
        if (wrc == 0)
            wrc = stage_index(wim, idx, items, n, tmpl, a, err);
        if (wrc < 0) {
            rc = wrc; /* an smsprov error (err set) */
            wrc = 0;
        }
        if (wrc == 0 && rc == 0)
            wrc = wimlib_overwrite(
                wim, idx == last ? WIMLIB_WRITE_FLAG_FSYNC : 0, 0);
        wimlib_free(wim);
        wim = NULL;
    }
    if (wrc != 0) {
        *win32 = image_wim_win32(wrc);
        rc = util_error_set(err, SMSPROV_EIO, -1, "staging into %s: %s", work,
                            wimlib_get_error_string(wrc));
    } else if (rc != 0) {
        *win32 = IMAGE_WIN32_ACCESS_DENIED;
    }
    wimlib_free(wim);
    /* the temporary scripts */
    char p[4200];
    snprintf(p, sizeof(p), "%s/%s", tmpl, APPLY_SCRIPT);
    unlink(p);
    snprintf(p, sizeof(p), "%s/SetupComplete.cmd", tmpl);
    unlink(p);
    rmdir(tmpl);
    util_arena_free(a);
    return rc;
}

const image_backend image_backend_wimlib_stage = {"wimlib-stage", stage_apply};
