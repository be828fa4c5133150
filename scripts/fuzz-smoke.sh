#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every libFuzzer target of a fuzz build for a few seconds on its
# corpus (copied, so the committed corpus is not changed).
set -euo pipefail
build=$1
secs=${2:-20}
pass=0
fail=0
for bin in "$build"/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    name=${name#fuzz_}
    work=$(mktemp -d)
    cp -r "fuzz/corpus/$name/." "$work/" 2>/dev/null || true
    if "$bin" -max_total_time="$secs" -rss_limit_mb=2048 "$work" \
        >"$work.log" 2>&1; then
        pass=$((pass + 1))
        echo "fuzz $name: ok ($(grep -c . "$work.log") log lines)"
    else
        fail=$((fail + 1))
        echo "fuzz $name: FAILED"
        tail -40 "$work.log"
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz-smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
