/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target for the schedule token codec: parses arbitrary bytes as an
 * interval string, checks the error contract, and for what parses checks
 * that formatting gives the input back (case-folded) and that the next
 * occurrence after a few instants is sane (after them, non-decreasing).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "provider/schedule.h"

#define FUZZ_MAX_TOKENS 16

static void check_next(const provider_schedule *t, size_t n, int64_t after)
{
    int64_t got = 0, again = 0;
    int rc = provider_schedule_next(t, n, after, &got);
    if (rc == PROVIDER_SCHEDULE_NONE)
        return;
    if (rc != 0 || got <= after)
        abort();
    /* nothing lies between after and got: asking from just before got
     * gives got again */
    if (provider_schedule_next(t, n, got - 1, &again) != 0 || again != got)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    provider_schedule t[FUZZ_MAX_TOKENS];
    smsprov_error err = SMSPROV_ERROR_INIT;
    const char *text = (const char *)data;
    size_t n = 99;
    int rc = provider_schedule_parse(t, FUZZ_MAX_TOKENS, &n, text, size, &err);
    if (rc != 0) {
        if (n != 0 || err.code != rc || err.msg[0] == 0)
            abort();
        if (rc != SMSPROV_EINVALID_PARAMETER && rc != SMSPROV_ETOOBIG)
            abort();
        if (err.offset < 0 || (size_t)err.offset > size)
            abort();
        return 0;
    }
    if (n == 0 || n * PROVIDER_SCHEDULE_TOKEN_LEN != size)
        abort();
    util_buf out = UTIL_BUF_INIT(1 << 16);
    if (provider_schedule_format(t, n, &out, &err) != 0 || out.len != size ||
        util_strnicmp(out.data, text, size) != 0)
        abort();
    util_buf_free(&out);
    for (size_t i = 0; i < n; i++)
        if (provider_schedule_check(&t[i], NULL) != 0)
            abort();
    check_next(t, n, t[0].start_us - 1);
    check_next(t, n, t[0].start_us);
    check_next(t, n, t[n - 1].start_us + 86400LL * 1000000 * 45);
    check_next(t, n, 1767225600LL * 1000000); /* 2026-01-01 */
    return 0;
}
