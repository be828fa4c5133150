#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: smsprov sync from a loopback HTTP server (tests/e2e/
# catalog_server.py): a broken download resumed with Range, an unchanged
# catalog not fetched again (If-Modified-Since -> 304), --full, the status
# in SMS_SUPSyncStatus, and a local-path source.
. "$(dirname "$0")/lib.bash"
CAB=../shared/data/catalog/vuls-data-update/wsusscn2-fixture.cab
DB="$TMP/s.db"
S() { TMPDIR="$TMP" "$SMSPROV" --db "$DB" "$@"; }
mkdir -p "$TMP/www"
cp "$CAB" "$TMP/www/wsusscn2.cab"
touch -d '2026-01-01 00:00:00 UTC' "$TMP/www/wsusscn2.cab"

python3 "$(dirname "$0")/catalog_server.py" --dir "$TMP/www" \
    --port-file "$TMP/port" --log "$TMP/http.log" --cut-first 5000 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$TMP/port")/wsusscn2.cab"

expect_rc 2 "sync without a source" -- S sync
expect_err "no synchronization source" "missing source named"

# 1: the server cuts the transfer: the sync fails and says it will resume
if S sync --source "$URL" >"$TMP/out" 2>"$TMP/err"; then
    bad "broken download reported success"; else ok; fi
expect_err "resumes it" "broken download keeps the partial file"
expect_rc 0 "status after failure" -- S sync --status
expect_out "state 6703, failed" "failure recorded"
expect_out "last successful sync: never" "no success yet"

# 2: resumed with Range, then imported
expect_rc 0 "resumed sync" -- S sync
expect_out "resumed" "sync reports the resume"
expect_out "added       4" "catalog imported"
if grep -q "range=bytes=5000- .* -> 206" "$TMP/http.log"; then ok; else
    bad "no Range request"; cat "$TMP/http.log" >&2; fi
expect_rc 0 "query" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE LocalizedDisplayName LIKE '%KB3019978%'"
expect_out "^654321$" "imported update queryable"

# 3: unchanged: If-Modified-Since, 304, nothing imported
expect_rc 0 "unchanged sync" -- S sync
expect_out "catalog unchanged" "304 means no import"
if grep -q "ims=.*GMT -> 304" "$TMP/http.log"; then ok; else
    bad "no If-Modified-Since/304"; cat "$TMP/http.log" >&2; fi

# 4: a newer catalog on the server is fetched again
touch -d '2026-02-01 00:00:00 UTC' "$TMP/www/wsusscn2.cab"
expect_rc 0 "changed sync" -- S sync
expect_out "unchanged   4" "newer file fetched and re-imported"

# 5: --full imports even when unchanged
expect_rc 0 "full sync" -- S sync --full
expect_out "unchanged   4" "full sync re-imports"

expect_rc 0 "status" -- S sync --status
expect_out "state 6702, done" "success recorded"
expect_out "catalog version:      3" "catalog version counts imports"
expect_rc 0 "status via WQL" -- S query --format json "SELECT LastSyncErrorCode, LastSyncState, SyncCatalogVersion, WSUSSourceServer FROM SMS_SUPSyncStatus"
expect_json "d[0]['LastSyncErrorCode']==0 and d[0]['LastSyncState']==6702 and d[0]['SyncCatalogVersion']==3 and d[0]['WSUSSourceServer'].startswith('http://127.0.0.1')" "SMS_SUPSyncStatus row"

# 6: a local path source; unchanged the second time
DB="$TMP/l.db"
expect_rc 0 "local sync" -- S sync --source "$TMP/www/wsusscn2.cab"
expect_out "added       4" "local catalog imported"
expect_rc 0 "local sync again" -- S sync
expect_out "catalog unchanged" "local catalog not imported twice"

# 7: a failing server answer is recorded and changes nothing
DB="$TMP/f.db"
expect_rc 0 "import first" -- S import-catalog "$CAB" --quiet
if S sync --source "http://127.0.0.1:$(cat "$TMP/port")/missing.cab" >"$TMP/out" 2>"$TMP/err"; then
    bad "404 reported success"; else ok; fi
expect_err "404" "HTTP error named"
expect_rc 0 "count" -- S query --format csv "SELECT COUNT(*) FROM SMS_SoftwareUpdate"
expect_out "^4$" "database unchanged after a failed sync"
finish
