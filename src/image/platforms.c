/* SPDX-License-Identifier: MIT */
/*
 * SMS_SupportedPlatformsOfflineServicing: the Windows builds whose images
 * can be serviced offline.  ConfigMgr ships this list with the site; these
 * rows are the releases whose servicing stack accepts offline packages
 * (Windows 7 SP1 / Server 2008 R2 SP1 onwards).  The class is read-only to
 * clients; the provider seeds it (idempotent) when a database is opened
 * for image work.
 */
#include "image/image.h"
#include "image/image_row.h"

typedef struct platform {
    const char *name;
    const char *build;
    const char *type; /* WinNT client, ServerNT server */
} platform;

static const platform platforms[] = {
    {"Windows 7", "6.1.7601", "WinNT"},
    {"Windows Server 2008 R2", "6.1.7601", "ServerNT"},
    {"Windows 8", "6.2.9200", "WinNT"},
    {"Windows Server 2012", "6.2.9200", "ServerNT"},
    {"Windows 8.1", "6.3.9600", "WinNT"},
    {"Windows Server 2012 R2", "6.3.9600", "ServerNT"},
    {"Windows 10 Version 1507", "10.0.10240", "WinNT"},
    {"Windows 10 Version 1607", "10.0.14393", "WinNT"},
    {"Windows Server 2016", "10.0.14393", "ServerNT"},
    {"Windows 10 Version 1809", "10.0.17763", "WinNT"},
    {"Windows Server 2019", "10.0.17763", "ServerNT"},
    {"Windows 10 Version 21H2", "10.0.19044", "WinNT"},
    {"Windows 10 Version 22H2", "10.0.19045", "WinNT"},
    {"Windows Server 2022", "10.0.20348", "ServerNT"},
    {"Windows 11 Version 21H2", "10.0.22000", "WinNT"},
    {"Windows 11 Version 22H2", "10.0.22621", "WinNT"},
    {"Windows 11 Version 23H2", "10.0.22631", "WinNT"},
    {"Windows 11 Version 24H2", "10.0.26100", "WinNT"},
    {"Windows Server 2025", "10.0.26100", "ServerNT"},
};

int image_seed_platforms(provider *p, smsprov_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof(platforms) / sizeof(*platforms);
         i++) {
        image_row r;
        rc =
            image_row_new(&r, p, "SMS_SupportedPlatformsOfflineServicing", err);
        if (rc != 0)
            break;
        image_row_str(&r, "Name", platforms[i].name);
        image_row_str(&r, "OsVersionBuild", platforms[i].build);
        image_row_str(&r, "ProductType", platforms[i].type);
        rc = image_row_put(&r, p);
    }
    return rc;
}
