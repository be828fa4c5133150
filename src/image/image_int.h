/* SPDX-License-Identifier: MIT */
/*
 * Internal interface of the offline-servicing layer (src/image).
 *
 * Reading side (wim.c, hive.c, mum.c): what a WIM file holds, index by
 * index, read through wimlib without extracting the image whole, and what
 * the Windows inside one index reports: the SOFTWARE hive (hivex) and the
 * servicing package manifests (*.mum, libxml2).
 *
 * Win32 error codes: every failure that reaches an SMS_Image* row carries
 * the Win32/HRESULT code a Windows site server would report for it
 * (image_win32_*).
 */
#ifndef SMSPROV_IMAGE_INT_H
#define SMSPROV_IMAGE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "smsprov/error.h"
#include "util/util.h"

/* Win32 / HRESULT codes written to UpdateInstallationStatus,
 * Win32ErrorCode and ErrorCode. */
#define IMAGE_WIN32_OK 0
#define IMAGE_WIN32_FILE_NOT_FOUND 2       /* ERROR_FILE_NOT_FOUND */
#define IMAGE_WIN32_ACCESS_DENIED 5        /* ERROR_ACCESS_DENIED */
#define IMAGE_WIN32_WRITE_PROTECT 19       /* ERROR_WRITE_PROTECT */
#define IMAGE_WIN32_DISK_FULL 112          /* ERROR_DISK_FULL */
#define IMAGE_WIN32_OPERATION_ABORTED 995  /* ERROR_OPERATION_ABORTED */
#define IMAGE_WIN32_FILE_CORRUPT 1392      /* ERROR_FILE_CORRUPT */
#define IMAGE_WIN32_NOT_SUPPORTED 50       /* ERROR_NOT_SUPPORTED */
#define IMAGE_WIN32_INVALID_DATA 13        /* ERROR_INVALID_DATA */
/* HRESULTs (stored as their signed 32-bit value) */
#define IMAGE_HR_HASH_MISMATCH ((int32_t)0x80091007U) /* CRYPT_E_HASH_VALUE */
#define IMAGE_HR_SOURCE_MISSING ((int32_t)0x800F081FU) /* CBS_E_SOURCE_MISSING */
#define IMAGE_HR_NOT_APPLICABLE ((int32_t)0x800F081EU) /* CBS_E_NOT_APPLICABLE */

/* ---- WIM metadata (wim.c) ------------------------------------------------ */

/* WIM XML <ARCH> values (PROCESSOR_ARCHITECTURE_*). */
enum image_arch {
    IMAGE_ARCH_X86 = 0,
    IMAGE_ARCH_ARM = 5,
    IMAGE_ARCH_IA64 = 6,
    IMAGE_ARCH_AMD64 = 9,
    IMAGE_ARCH_ARM64 = 12,
    IMAGE_ARCH_UNKNOWN = -1,
};

/* One index (image) of a WIM, from the WIM's own XML metadata. */
typedef struct image_index {
    int index;                 /* 1-based */
    const char *name;          /* NAME */
    const char *description;   /* DESCRIPTION, "" when absent */
    const char *edition;       /* WINDOWS/EDITIONID, "" when absent */
    const char *product_name;  /* WINDOWS/PRODUCTNAME */
    const char *install_type;  /* WINDOWS/INSTALLATIONTYPE (Client/Server) */
    const char *product_type;  /* WINDOWS/PRODUCTTYPE (WinNT/ServerNT) */
    int arch;                  /* enum image_arch */
    uint32_t major, minor, build, spbuild; /* WINDOWS/VERSION */
    const char *languages;     /* WINDOWS/LANGUAGES/LANGUAGE joined by ',' */
    const char *default_lang;  /* WINDOWS/LANGUAGES/DEFAULT */
    uint64_t total_bytes;      /* TOTALBYTES */
    uint64_t file_count;       /* FILECOUNT */
    uint64_t dir_count;        /* DIRCOUNT */
    const char *staged;        /* SMSPROV/STAGED: staged KBs "KB1,KB2", "" */
} image_index;

/* A WIM file's metadata. Strings live in `a`. */
typedef struct image_wim {
    util_arena *a;
    uint32_t count;            /* number of images (indexes) */
    image_index *idx;          /* count entries, idx[i].index == i + 1 */
    const char *xml;           /* the WIM's XML document, UTF-8 */
    uint64_t file_size;        /* bytes on disk */
    int compression;           /* wimlib compression type */
} image_wim;

/*
 * Reads the metadata of the WIM at `path` (read-only, no extraction).
 * A missing file is SMSPROV_ENOTFOUND; a file that is not a valid WIM is
 * SMSPROV_EIO with err->file = path and wimlib's reason in the message.
 * *win32 (optional) receives the Win32 code of a failure.
 */
int image_wim_read(image_wim *out, util_arena *a, const char *path,
                   int32_t *win32, smsprov_error *err);

/* Maps a wimlib error code (WIMLIB_ERR_*) to a Win32 code. */
int32_t image_wim_win32(int wimlib_err);

/* ---- the Windows inside one index (wim.c + hive.c + mum.c) --------------- */

/* One servicing package found in \Windows\servicing\Packages. */
typedef struct image_package {
    const char *identity;  /* assemblyIdentity name, e.g.
                              "Package_for_KB5005565" */
    const char *kb;        /* "KB5005565" (uppercase) or "" */
    const char *version;   /* assemblyIdentity version */
    const char *arch;      /* processorArchitecture ("amd64", "x86"...) */
    const char *release;   /* package/@releaseType ("Security Update"...) */
    int state;             /* CBS CurrentState from the SOFTWARE hive, -1
                              when the hive has no entry for the package */
    bool installed;        /* state says installed (or no state recorded) */
} image_package;

/* What the operating system in one index reports about itself. */
typedef struct image_os {
    bool has_software_hive;   /* Windows\System32\config\SOFTWARE read */
    const char *product_name; /* CurrentVersion\ProductName */
    const char *edition;      /* EditionID */
    const char *install_type; /* InstallationType ("Client", "Server") */
    const char *display_version; /* DisplayVersion or ReleaseId ("23H2") */
    uint32_t major, minor;    /* CurrentMajor/MinorVersionNumber (else
                                 from CurrentVersion "6.3") */
    uint32_t build;           /* CurrentBuild (CurrentBuildNumber) */
    uint32_t ubr;             /* UBR, 0 when absent */
    image_package *pkgs;
    uint32_t npkgs;
} image_os;

/*
 * Reads the operating system of index `index` (1-based) of the WIM at
 * `path`: extracts only Windows\System32\config\SOFTWARE and
 * Windows\servicing\Packages\*.mum into a private temporary directory
 * (removed before returning), reads them and fills *out (strings in a).
 * An index without a SOFTWARE hive is not an error
 * (has_software_hive false).  Failures set err (and *win32, optional).
 */
int image_os_read(image_os *out, util_arena *a, const char *path, int index,
                  int32_t *win32, smsprov_error *err);

/* hive.c: reads the values above from a SOFTWARE hive file on disk; also
 * fills state of each pkgs[i] from
 * Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages. */
int image_hive_read(image_os *os, util_arena *a, const char *hive_path,
                    smsprov_error *err);

/* mum.c: parses one package manifest held in memory.  name is used in
 * errors (err->file), with the byte offset of a syntax error. */
int image_mum_parse(image_package *out, util_arena *a, const char *xml,
                    size_t len, const char *name, smsprov_error *err);

/* Extracts a "KB1234567" number from a string (identity name, file name,
 * title), uppercase into out (16 bytes); false when there is none. */
bool image_kb_find(const char *s, char out[16]);

#endif
