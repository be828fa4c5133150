#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: method dispatch from the CLI on the demo database
# (AcceptEULA, GetEULA, SetEnforcement, ResendObjectToAllSites), parameter
# checks, and that failed calls change nothing.
. "$(dirname "$0")/lib.bash"
DB="$TMP/m.db"
S() { "$SMSPROV" --db "$DB" "$@"; }

expect_rc 0 "demo" -- S demo --seed 7
CI=$(S query --format csv "SELECT CI_ID FROM SMS_SoftwareUpdate WHERE EULAExists = 1 ORDER BY CI_ID" | sed -n 2p)
NOEULA=$(S query --format csv "SELECT CI_ID FROM SMS_SoftwareUpdate WHERE EULAExists = 0 ORDER BY CI_ID" | sed -n 2p)
[ -n "$CI" ] && [ -n "$NOEULA" ] && ok || bad "demo has updates with and without EULA"

expect_rc 0 "AcceptEULA" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" AcceptEULA --json '{"Accepted":true}'
expect_json "d=={'ReturnValue':0}" "AcceptEULA returns 0"
expect_rc 0 "get after accept" -- S get --format json "SMS_SoftwareUpdate.CI_ID=$CI"
expect_json "d['EULAAccepted']==1 and d['EULASignoffUser'] and d['EULASignoffDate'].endswith('+000')" "EULA acceptance recorded"
expect_rc 0 "decline (string boolean)" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" AcceptEULA --json '{"accepted":"false"}'
expect_rc 0 "get after decline" -- S get --format json "SMS_SoftwareUpdate.CI_ID=$CI"
expect_json "d['EULAAccepted']==0" "declined is 0 as the class page says"

expect_rc 0 "GetEULA" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" GetEULA
expect_json "d['ReturnValue']==0 and len(d['EULA'])>20" "GetEULA returns the text"
expect_rc 0 "GetEULA other locale falls back" -- S invoke --locale 1041 "SMS_SoftwareUpdate.CI_ID=$CI" GetEULA
expect_json "len(d['EULA'])>20" "fallback to en-US"

expect_rc 2 "AcceptEULA without EULA" -- S invoke "SMS_SoftwareUpdate.CI_ID=$NOEULA" AcceptEULA --json '{"Accepted":true}'
expect_err "WBEM_E_INVALID_OPERATION.*EULAExists" "precondition error"
expect_rc 0 "unchanged" -- S get --format json "SMS_SoftwareUpdate.CI_ID=$NOEULA"
expect_json "d['EULAAccepted']==2 and d.get('EULASignoffUser') is None" "failed call changed nothing"

expect_rc 2 "unknown parameter" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" AcceptEULA --json '{"Acepted":true}'
expect_err "WBEM_E_INVALID_PARAMETER: parameter 'Acepted'" "names the parameter"
expect_rc 2 "missing parameter" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" AcceptEULA --json '{}'
expect_err "WBEM_E_INVALID_PARAMETER: parameter 'Accepted'" "missing parameter named"
expect_rc 2 "wrong type" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" SetEnforcement --json '{"Enforced":true,"EffectiveDate":"soon"}'
expect_err "WBEM_E_INVALID_PARAMETER: parameter 'EffectiveDate'" "bad date named"
expect_rc 2 "out parameter as input" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" GetEULA --json '{"EULA":"x"}'
expect_rc 2 "unknown method" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" Explode
expect_err "WBEM_E_INVALID_METHOD" "unknown method"
expect_rc 2 "instance method on class" -- S invoke SMS_SoftwareUpdate AcceptEULA --json '{"Accepted":true}'
expect_rc 2 "no such instance" -- S invoke "SMS_SoftwareUpdate.CI_ID=1" GetEULA
expect_err "WBEM_E_NOT_FOUND" "missing target"

expect_rc 0 "SetEnforcement" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" SetEnforcement --json '{"Enforced":true,"EffectiveDate":"20261201083000.000000+060"}'
expect_rc 0 "get enforcement" -- S get --format json "SMS_SoftwareUpdate.CI_ID=$CI"
expect_json "d['EffectiveDate']=='20261201073000.000000+000'" "EffectiveDate stored in UTC"

expect_rc 0 "child sites" -- S put SMS_Site --json '{"SiteCode":"CH1","ReportingSiteCode":"PS1","SiteName":"Child 1"}'
expect_rc 0 "child sites 2" -- S put SMS_Site --json '{"SiteCode":"CH2","ReportingSiteCode":"PS1","SiteName":"Child 2"}'
expect_rc 0 "ResendObjectToAllSites" -- S invoke "SMS_SoftwareUpdate.CI_ID=$CI" ResendObjectToAllSites
expect_rc 0 "queue visible" -- S query --format json "SELECT TargetSite, ObjectPath, State FROM SMSPROV_ReplicationJob ORDER BY TargetSite"
expect_json "[r['TargetSite'] for r in d]==['CH1','CH2'] and all(r['State']==0 and r['ObjectPath']=='SMS_SoftwareUpdate.CI_ID=$CI' for r in d)" "one queued job per child site"
expect_rc 2 "queue is read-only to clients" -- S delete "SMSPROV_ReplicationJob.JobID=1"
# SyncNow (static): clear error without a source, then a real sync
expect_rc 2 "SyncNow without a source" -- S invoke SMS_SoftwareUpdate SyncNow
expect_err "WBEM_E_INVALID_OPERATION.*no synchronization source" "SyncNow explains what is missing"
CAB="$(cd "$(dirname "$0")/../../.." && pwd)/shared/data/catalog/vuls-data-update/wsusscn2-fixture.cab"
expect_rc 0 "configure the source" -- S sync --source "$CAB" --quiet
expect_rc 0 "SyncNow" -- S invoke SMS_SoftwareUpdate SyncNow --json '{"fullSync":true}'
expect_json "d=={'ReturnValue':0}" "SyncNow returns 0"
expect_rc 0 "sync status" -- S query --format json "SELECT LastSyncState, LastSyncErrorCode FROM SMS_SUPSyncStatus"
expect_json "d==[{'LastSyncState':6702,'LastSyncErrorCode':0}]" "SyncNow recorded its result"
expect_rc 0 "catalog update imported" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE LocalizedDisplayName LIKE '%(KB3019978)'"
expect_out "^654321$" "KB3019978 from the catalog (its fixture ArticleID)"
finish
