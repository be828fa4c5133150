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
#define IMAGE_WIN32_FILE_NOT_FOUND 2      /* ERROR_FILE_NOT_FOUND */
#define IMAGE_WIN32_ACCESS_DENIED 5       /* ERROR_ACCESS_DENIED */
#define IMAGE_WIN32_WRITE_PROTECT 19      /* ERROR_WRITE_PROTECT */
#define IMAGE_WIN32_DISK_FULL 112         /* ERROR_DISK_FULL */
#define IMAGE_WIN32_OPERATION_ABORTED 995 /* ERROR_OPERATION_ABORTED */
#define IMAGE_WIN32_FILE_CORRUPT 1392     /* ERROR_FILE_CORRUPT */
#define IMAGE_WIN32_NOT_SUPPORTED 50      /* ERROR_NOT_SUPPORTED */
#define IMAGE_WIN32_INVALID_DATA 13       /* ERROR_INVALID_DATA */
/* HRESULTs (stored as their signed 32-bit value) */
#define IMAGE_HR_HASH_MISMATCH ((int32_t)0x80091007U) /* CRYPT_E_HASH_VALUE */
#define IMAGE_HR_SOURCE_MISSING                                                \
    ((int32_t)0x800F081FU) /* CBS_E_SOURCE_MISSING */
#define IMAGE_HR_NOT_APPLICABLE                                                \
    ((int32_t)0x800F081EU) /* CBS_E_NOT_APPLICABLE */

/* Limits (an input past one is an error, never unbounded growth). */
#define IMAGE_XML_MAX (16u << 20)  /* bytes of a WIM's XML document */
#define IMAGE_XML_DEPTH 32         /* element nesting tracked in WIM XML */
#define IMAGE_MAX_INDEXES 1024     /* images in one WIM */
#define IMAGE_TEXT_MAX 1024        /* bytes kept of one XML/registry string */
#define IMAGE_MUM_MAX (8u << 20)   /* bytes of one package manifest */
#define IMAGE_MAX_PACKAGES 65536   /* manifests read from one index */
#define IMAGE_HIVE_VALUE_MAX 65536 /* bytes of one registry value read */

/* Where the files image_os_read extracts live in an image. */
#define IMAGE_HIVE_PATH "Windows\\System32\\config\\SOFTWARE"
#define IMAGE_MUM_DIR "Windows\\servicing\\Packages"

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
    int index;                /* 1-based */
    const char *name;         /* NAME */
    const char *description;  /* DESCRIPTION, "" when absent */
    const char *edition;      /* WINDOWS/EDITIONID, "" when absent */
    const char *product_name; /* WINDOWS/PRODUCTNAME */
    const char *install_type; /* WINDOWS/INSTALLATIONTYPE (Client/Server) */
    const char *product_type; /* WINDOWS/PRODUCTTYPE (WinNT/ServerNT) */
    int arch;                 /* enum image_arch */
    uint32_t major, minor, build, spbuild; /* WINDOWS/VERSION */
    const char *languages;    /* WINDOWS/LANGUAGES/LANGUAGE joined by ',' */
    const char *default_lang; /* WINDOWS/LANGUAGES/DEFAULT */
    uint64_t total_bytes;     /* TOTALBYTES */
    uint64_t file_count;      /* FILECOUNT */
    uint64_t dir_count;       /* DIRCOUNT */
    const char *staged;       /* SMSPROV/STAGED: staged KBs "KB1,KB2", "" */
} image_index;

/* A WIM file's metadata. Strings live in `a`. */
typedef struct image_wim {
    util_arena *a;
    uint32_t count;     /* number of images (indexes) */
    image_index *idx;   /* count entries, idx[i].index == i + 1 */
    const char *xml;    /* the WIM's XML document, UTF-8 */
    uint64_t file_size; /* bytes on disk */
    int compression;    /* wimlib compression type */
} image_wim;

/*
 * Reads the metadata of the WIM at `path` (read-only, no extraction).
 * A missing file is SMSPROV_ENOTFOUND; a file that is not a valid WIM is
 * SMSPROV_EIO with err->file = path and wimlib's reason in the message.
 * *win32 (optional) receives the Win32 code of a failure.
 */
int image_wim_read(image_wim *out, util_arena *a, const char *path,
                   int32_t *win32, smsprov_error *err);

/* wimxml.c: an index with every string "" and the architecture unknown. */
void image_index_defaults(image_index *ix, int index);

/*
 * Parses a WIM XML document held in memory (UTF-16LE as stored in the WIM,
 * with or without BOM, or UTF-8) into out->count, out->idx and out->xml
 * (UTF-8, without BOM or XML declaration); strings in a.  Images are placed
 * by their INDEX attribute (by position when it is missing or invalid);
 * indexes nobody describes get empty entries.  Malformed XML, a root that
 * is not <WIM> or an INDEX past IMAGE_MAX_INDEXES is
 * SMSPROV_EINVALID_SYNTAX with the byte offset in the UTF-8 text; more
 * than IMAGE_XML_MAX bytes or IMAGE_MAX_INDEXES <IMAGE> elements is
 * SMSPROV_ETOOBIG.  Other fields of out are left alone.
 */
int image_wim_xml_parse(image_wim *out, util_arena *a, const char *xml,
                        size_t len, smsprov_error *err);

/* Initialises wimlib once (quiet, case-insensitive paths); 0 or a
 * WIMLIB_ERR_* code.  image_wim_read calls it; other wimlib users too. */
int image_wimlib_init(void);

/* Maps a wimlib error code (WIMLIB_ERR_*) to a Win32 code. */
int32_t image_wim_win32(int wimlib_err);

/* Same, refined by the errno that came with the failure (0 unknown): the
 * errno-carrying codes (OPEN, READ, WRITE, MKDIR, ...) tell a missing file,
 * a read-only volume, a denied access and a full disk apart. */
int32_t image_wim_win32_errno(int wimlib_err, int errnum);

/* Sets err->file (truncating) unless err is NULL or names a file already
 * (the first error wins, with its file). */
void image_error_file(smsprov_error *err, const char *file);

/* hive.c: UTF-16LE → UTF-8 (unpaired surrogates become U+FFFD); stops at
 * a NUL unit.  NUL-terminated copy in a, *out_len (optional) its length;
 * NULL when out of memory.  An odd trailing byte is ignored. */
char *image_utf16le_to_utf8(util_arena *a, const char *s, size_t len,
                            size_t *out_len);

/* ---- the Windows inside one index (wim.c + hive.c + mum.c) --------------- */

/* One servicing package found in \Windows\servicing\Packages. */
typedef struct image_package {
    const char *identity;  /* assemblyIdentity name, e.g.
                              "Package_for_KB5005565" */
    const char *full_name; /* the package identity CBS keys its registry
                              entry on ("Package_for_KB5005565~31bf3856ad36
                              4e35~amd64~~19041.1237.1.7"): image_os_read
                              takes the .mum file name without ".mum";
                              image_mum_parse builds it from
                              assemblyIdentity as name~publicKeyToken~
                              arch~language~version, "neutral" left out */
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
    bool has_software_hive;      /* Windows\System32\config\SOFTWARE read */
    const char *product_name;    /* CurrentVersion\ProductName */
    const char *edition;         /* EditionID */
    const char *install_type;    /* InstallationType ("Client", "Server") */
    const char *display_version; /* DisplayVersion or ReleaseId ("23H2") */
    uint32_t major, minor;       /* CurrentMajor/MinorVersionNumber (else
                                    from CurrentVersion "6.3") */
    uint32_t build;              /* CurrentBuild (CurrentBuildNumber) */
    uint32_t ubr;                /* UBR, 0 when absent */
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

/* hive.c: reads the values above from a SOFTWARE hive file on disk and
 * sets has_software_hive; also fills state and installed of each pkgs[i]
 * from Microsoft\Windows\CurrentVersion\Component Based
 * Servicing\Packages\<pkgs[i].full_name>.  Absent keys and values leave
 * "" and 0; a file hivex cannot open is SMSPROV_EIO (ENOTFOUND when it is
 * missing) with err->file = hive_path. */
int image_hive_read(image_os *os, util_arena *a, const char *hive_path,
                    smsprov_error *err);

/* mum.c: parses one package manifest held in memory (UTF-8 with or
 * without BOM, or UTF-16 with BOM).  name is used in errors (err->file),
 * with the byte offset of a syntax error (SMSPROV_EINVALID_SYNTAX, also
 * for a manifest without <assembly><assemblyIdentity name=...>).  kb comes
 * from package/@identifier, else from the identity name; state is -1 and
 * installed true until image_hive_read says otherwise.  Strings in a. */
int image_mum_parse(image_package *out, util_arena *a, const char *xml,
                    size_t len, const char *name, smsprov_error *err);

/* mum.c: parses every *.mum file of dir (sorted by name; directories and
 * links skipped) into out->pkgs / out->npkgs, full_name from the file
 * name.  A manifest that cannot be read or parsed is SMSPROV_EIO (ETOOBIG
 * past IMAGE_MAX_PACKAGES) with err->file naming it as
 * Windows\servicing\Packages\<name> and `where` (the WIM and index)
 * leading the message. */
int image_mum_read_dir(image_os *out, util_arena *a, const char *dir,
                       const char *where, smsprov_error *err);

/* Extracts a "KB1234567" number from a string (identity name, file name,
 * title), uppercase into out (16 bytes); false when there is none. */
bool image_kb_find(const char *s, char out[16]);

/* ---- the catalog as a scan sees it (updates.c) --------------------------- */

struct provider;

/* One non-expired update of the catalog. */
typedef struct image_update {
    int32_t ci_id;     /* CI_ID */
    const char *title; /* LocalizedDisplayName */
    char kb[16];       /* "KB5032190" from ArticleID, "" none */
    const char **cats; /* LocalizedCategoryInstanceNames */
    uint32_t ncats;
    int arch;               /* IMAGE_ARCH_* it targets, UNKNOWN = any */
    bool offline;           /* IsOfflineServiceable (CBS) */
    bool expired;           /* IsExpired: kept for supersedence chains, no
                               status row */
    int32_t *superseded_by; /* CI_IDs of the updates that supersede it */
    uint32_t nsup;
    size_t sup_cap; /* capacity of superseded_by (loader) */
} image_update;

/* A supported platform row (SMS_SupportedPlatformsOfflineServicing). */
typedef struct image_platform {
    const char *build; /* OsVersionBuild, "10.0.22631" */
    bool server;       /* ProductType ServerNT */
} image_platform;

typedef struct image_catalog {
    image_update *u; /* sorted by ci_id */
    uint32_t n;
    image_platform *plat;
    uint32_t nplat;
} image_catalog;

/* How many supersedence links a scan follows from an update. */
#define IMAGE_SUPERSEDE_DEPTH 16

/* Loads every update (through the query engine; expired ones only for
 * supersedence chains), their supersedence and the supported platforms;
 * memory from a. */
int image_catalog_load(image_catalog *c, util_arena *a, struct provider *p,
                       smsprov_error *err);
/* The update with this CI_ID, NULL when the catalog lacks it. */
const image_update *image_catalog_find(const image_catalog *c, int32_t ci_id);

/* ---- applicability (match.c) ------------------------------------------- */

/* SMS_ImageUpdateStatus.UpdateStatus, as the class page defines it. */
enum image_update_status {
    IMAGE_ST_UNKNOWN = 0,
    IMAGE_ST_NOT_REQUIRED = 1,
    IMAGE_ST_INSTALLED = 2,
    IMAGE_ST_APPLICABLE = 3,
    IMAGE_ST_CHECK_NOT_SUPPORTED = 4,
    IMAGE_ST_INSTALLED_CHECK_NOT_SUPPORTED = 5,
};

#define IMAGE_MAX_FAMILIES 4

/* One index as the matcher sees it. */
typedef struct image_target {
    bool known; /* the OS could be identified */
    bool server;
    int arch; /* enum image_arch */
    uint32_t major, minor, build;
    const char *version; /* display version ("23H2"), NULL unknown */
    const char *family[IMAGE_MAX_FAMILIES]; /* product names it is */
    uint32_t nfamily;
    bool supported;   /* build listed for offline servicing */
    const char **kbs; /* installed or staged KBs, sorted */
    uint32_t nkbs;
} image_target;

/* Builds the target of one index from its WIM metadata and its OS. */
int image_target_init(image_target *t, util_arena *a, const image_index *ix,
                      const image_os *os, const image_catalog *c,
                      smsprov_error *err);
/* True when the KB is installed or staged in the target. */
bool image_target_has_kb(const image_target *t, const char *kb);
/* UpdateStatus of update u in target t. */
int image_match(const image_target *t, const image_catalog *c,
                const image_update *u);
/* Architecture named in a title or file name, IMAGE_ARCH_UNKNOWN none. */
int image_arch_in_text(const char *s);

#endif
