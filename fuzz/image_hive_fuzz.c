/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target of the SOFTWARE hive reader (src/image/hive.c): any bytes,
 * written to a temporary file, through hivex and image_hive_read with two
 * packages to look up.  A damaged hive must give an error naming the file,
 * never a crash, a hang or a leak; every value read stays bounded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image_int.h"

#define FUZZ_MAX_INPUT (1 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT)
        return 0;
    char path[] = "/tmp/smsprov-fuzz-hive-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    util_arena *a = util_arena_new();
    if (a != NULL) {
        image_package pkgs[2] = {
            {.identity = "Package_for_KB5032190",
             .full_name =
                 "Package_for_KB5032190~31bf3856ad364e35~amd64~~22621.2861.1.0",
             .kb = "KB5032190",
             .state = -1,
             .installed = true},
            {.identity = "Package_for_RollupFix",
             .full_name = "Package_for_RollupFix~31bf3856ad364e35~amd64~~22621."
                          "2861.1.0",
             .kb = "KB5033375",
             .state = -1,
             .installed = true},
        };
        image_os os;
        memset(&os, 0, sizeof(os));
        os.pkgs = pkgs;
        os.npkgs = 2;
        smsprov_error err = SMSPROV_ERROR_INIT;
        int rc = image_hive_read(&os, a, path, &err);
        if (rc != 0 && (err.code == 0 || err.file[0] == '\0'))
            abort();
        if (rc == 0) {
            const char *s[] = {os.product_name, os.edition, os.install_type,
                               os.display_version};
            for (int i = 0; i < 4; i++)
                if (s[i] != NULL && strlen(s[i]) > IMAGE_TEXT_MAX)
                    abort();
        }
        util_arena_free(a);
    }
    unlink(path);
    return 0;
}
