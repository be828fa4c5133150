#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Meta-test: code and docs stay in sync.  Every subcommand listed by
# `smsprov --help` answers --help with exit 0 and has a docs/cli page with
# the fixed sections; every folder of src/ has a README naming its files.
. "$(dirname "$0")/lib.bash"
cmds=$("$SMSPROV" --help | sed -n '/^commands:/,/^$/p' | awk 'NF>1 {print $1}')
[ -n "$cmds" ] && ok || bad "no commands listed by --help"
for c in $cmds; do
    expect_rc 0 "$c --help" -- "$SMSPROV" "$c" --help
    expect_out "usage: smsprov" "$c --help prints a usage line"
    page="docs/cli/$c.md"
    if [ -f "$page" ]; then ok; else bad "$page is missing"; continue; fi
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLE; do
        grep -q "^## $s" "$page" && ok || bad "$page lacks the section $s"
    done
done
for d in src/*/; do
    [ -f "$d/README.md" ] || { bad "$d has no README.md"; continue; }
    for f in "$d"*.c "$d"*.h; do
        [ -e "$f" ] || continue
        grep -q "$(basename "$f")" "$d/README.md" && ok ||
            bad "$d/README.md does not mention $(basename "$f")"
    done
done
finish
