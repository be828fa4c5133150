/* SPDX-License-Identifier: MIT */
/*
 * Test fixture builder: small but real WIM images of synthetic Windows
 * trees.  Each index holds Windows\System32\config\SOFTWARE (a real
 * registry hive written with hivex) and Windows\servicing\Packages\*.mum
 * manifests, captured with wimlib.  Used by tests/image, the e2e scripts
 * (through mkwinimage) and bench/image-bench.
 */
#ifndef SMSPROV_TESTS_WINIMAGE_H
#define SMSPROV_TESTS_WINIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One index (image) of the WIM to build. */
typedef struct winimage_index {
    const char *name;            /* image NAME, unique within the WIM */
    const char *edition;         /* EditionID ("Enterprise") */
    const char *product_name;    /* ProductName ("Windows 11 Enterprise") */
    const char *install_type;    /* InstallationType: Client/Server */
    const char *display_version; /* DisplayVersion ("23H2") */
    uint32_t major, minor, build, ubr; /* 10, 0, 22631, 2861 */
    const char *arch;                  /* "amd64", "x86", "arm64" */
    const char *const *kbs; /* installed KBs, NULL-terminated (or NULL) */
    size_t pad_bytes;       /* Windows\System32\pad.bin of this many
                               pseudo-random bytes (bench), 0 none */
    bool no_hive;           /* leave out the SOFTWARE hive */
} winimage_index;

/*
 * Builds the WIM at wim_path (replaced if it exists) with nidx indexes,
 * LZX-compressed.  The trees are built under $TMPDIR (or /tmp) and removed
 * before returning.  Every KB gets a
 * Package_for_<KB>~31bf3856ad364e35~<arch>~~<major>.<minor>.<build>.<ubr>
 * manifest and a CBS entry with CurrentState 0x70 (Installed); each index
 * also holds the non-KB Microsoft-Windows-Foundation-Package.  pad.bin has
 * the same content in every index, so the WIM stores it once.
 * Returns 0, or -1 with a one-line message in errbuf.
 */
int winimage_build(const char *wim_path, const winimage_index *idx, int nidx,
                   char *errbuf, size_t errlen);

/*
 * Writes an empty but valid registry hive (regf base block and one hbin
 * with the root key) to path: hivex cannot create a hive from nothing.
 * Returns 0, or -1 with a message in errbuf.
 */
int winimage_hive_create(const char *path, char *errbuf, size_t errlen);

#endif
