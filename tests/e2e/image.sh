#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: offline image servicing on real WIM files built with wimlib
# (tests/helpers/mkwinimage): register, properties, scan with every
# UpdateStatus value, schedules, runs, status/history/progress rows, the
# failure paths (missing content, hash mismatch, read-only WIM, corrupt
# WIM, disk full, kill -9 midway) with the original WIM surviving each,
# and the AdminService routes and methods.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/http_lib.bash"
MK=${MKWINIMAGE:-$(dirname "$SMSPROV")/mkwinimage}
DB="$TMP/i.db"
S() { "$SMSPROV" --db "$DB" "$@"; }
Q() { S query --format csv "$1" | tail -n +2; }
sha() { sha1sum "$1" | cut -d' ' -f1; }

expect_rc 0 "init" -- S init
# index 1: Windows 11 23H2 with KB9000001 and KB9000004 installed;
# index 2: Windows Server 2022
expect_rc 0 "mkwinimage" -- "$MK" "$TMP/install.wim" \
    --index "Windows 11 Enterprise:Enterprise:Client:22631.2861:amd64:KB9000001,KB9000004" \
    --index "Windows Server 2022 Standard:ServerStandard:Server:20348.2113:amd64:KB5032198"

# ---- a small catalog: one update per UpdateStatus value ----------------
upd() { # CI KB TITLE CATS OFFLINE
    printf '{"__CLASS":"SMS_SoftwareUpdate","CI_ID":%s,"CI_UniqueID":"a0000000-0000-0000-0000-0000%08d","ArticleID":"%s","LocalizedDisplayName":"%s","LocalizedCategoryInstanceNames":%s,"IsOfflineServiceable":%s,"IsExpired":false,"ApplicabilityCondition":"","CIType_ID":1,"RevisionNumber":200,"IsBundle":false,"IsEnabled":true,"IsHidden":false,"IsSuperseded":false,"IsUserDefined":false,"ModelID":%s,"ModelName":"Site_X/SUM_%s","PermittedUses":0,"SDMPackageVersion":1}\n' \
        "$1" "$1" "$2" "$3" "$4" "$5" "$1" "$1"
}
W11='["Windows 11","Security Updates"]'
{
    upd 20000001 9000001 "2026-10 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB9000001)" "$W11" true
    upd 20000002 9000002 "2026-11 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB9000002)" "$W11" true
    upd 20000003 9000003 "Update for Windows 11 (KB9000003)" "$W11" false
    upd 20000004 9000004 "Update for Windows 11 (KB9000004)" "$W11" false
    upd 20000005 9000005 "Mystery update (KB9000005)" '[]' true
    upd 20000006 9000006 "Security Update for Microsoft Office 2016 (KB9000006)" '["Office 2016"]' true
    upd 20000007 9000007 "2026-09 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB9000007)" "$W11" true
    upd 20000008 9000008 "2026-11 Update for Windows 11 Version 23H2 for x64-based Systems (KB9000008)" "$W11" true
    upd 20000009 9000009 "2026-11 Cumulative Update for Microsoft server operating system version 21H2 for x64-based Systems (KB9000009)" '["Microsoft Server operating system-21H2"]' true
    upd 20000010 9000010 "2026-11 Cumulative Update for Windows 11 Version 22H2 for x64-based Systems (KB9000010)" "$W11" true
    echo '{"__CLASS":"SMS_CIRelation","FromCIID":20000001,"ToCIID":20000007,"RelationType":6,"IsBroken":false}'
} >"$TMP/catalog.jsonl"

# content: KB9000002 and KB9000009 good, KB9000008 with a wrong digest
mkdir -p "$TMP/content/3002" "$TMP/content/3009" "$TMP/content/3008"
head -c 200000 /dev/urandom >"$TMP/content/3002/windows11.0-kb9000002-x64.cab"
head -c 150000 /dev/urandom >"$TMP/content/3009/windows10.0-kb9000009-x64.cab"
head -c 1000 /dev/urandom >"$TMP/content/3008/windows11.0-kb9000008-x64.cab"
content() { # CI CONTENTID FILE [HASH]
    local f="$TMP/content/$2/$3" h=${4:-}
    [ -n "$h" ] || h=$(sha "$f")
    printf '{"__CLASS":"SMS_CIToContent","CI_ID":%s,"ContentID":%s,"ContentDownloaded":true,"ContentLocales":["Locale:0"],"ContentUniqueID":"c%s","ContentVersion":1,"ObjectTypeID":5,"SDMMethodType":"Install"}\n' "$1" "$2" "$2"
    printf '{"__CLASS":"SMS_CIContentFiles","ContentID":%s,"FileName":"%s","FileHash":"SHA1:%s","FileSize":%s,"FileVersion":"","ImportPath":"","IsSigned":true,"ObjectTypeID":5,"SourceURL":"http://download.windowsupdate.com/%s"}\n' \
        "$2" "$3" "$h" "$(stat -c %s "$f")" "$3"
}
{
    content 20000002 3002 windows11.0-kb9000002-x64.cab
    content 20000009 3009 windows10.0-kb9000009-x64.cab
    content 20000008 3008 windows11.0-kb9000008-x64.cab 0000000000000000000000000000000000000000
} >>"$TMP/catalog.jsonl"
expect_rc 0 "import the catalog" -- S import "$TMP/catalog.jsonl"

# ---- register, properties ----------------------------------------------
expect_rc 0 "image add" -- S image add "$TMP/install.wim" --name "Reference image"
PKG=$(cat "$TMP/out")
[[ "$PKG" =~ ^PS1[0-9A-F]{5}$ ]] && ok || bad "image add prints a PackageID ($PKG)"
expect_rc 0 "image properties" -- S image properties "$PKG"
expect_out '^1 +Windows 11 Enterprise +Enterprise +x64 +10\.0\.22631\.2861' "index 1 listed"
expect_out '^2 +Windows Server 2022 Standard +ServerStandard +x64 +10\.0\.20348\.2113' "index 2 listed"
expect_rc 0 "image properties of a file" -- S image properties --xml "$TMP/install.wim"
expect_out '<IMAGE INDEX="2">' "ImageProperty XML of the file"
expect_rc 0 "ImageProperty stored" -- S get --format json "SMS_ImagePackage.PackageID=\"$PKG\""
expect_json "'<WIM>' in d['ImageProperty'] and 'Windows Server 2022' in d['ImageProperty'] and d['PkgSourcePath'].endswith('install.wim') and d['PackageType']==257 and d['Name']=='Reference image'" "package row"
expect_rc 0 "GetImageProperties (static)" -- S invoke SMS_ImagePackage GetImageProperties --json "{\"SourceImagePath\":\"$TMP/install.wim\"}"
expect_json "d['ReturnValue']==0 and d['ImageProperty'].count('<IMAGE ')==2" "GetImageProperties returns the XML"
expect_rc 2 "GetImageProperties of a missing file" -- S invoke SMS_ImagePackage GetImageProperties --json '{"SourceImagePath":"/nonexistent.wim"}'
expect_err "WBEM_E_NOT_FOUND" "missing file named"
expect_rc 0 "ReloadImageProperties" -- S invoke "SMS_ImagePackage.PackageID=\"$PKG\"" ReloadImageProperties
expect_rc 2 "add a missing WIM" -- S image add "$TMP/none.wim"
echo "not a wim at all" >"$TMP/bad.wim"
expect_rc 1 "add a file that is not a WIM" -- S image add "$TMP/bad.wim"
expect_err "bad.wim" "the error names the file"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImagePackage")" = 1 ] && ok || bad "failed adds wrote nothing"

# ---- scan: every UpdateStatus value ------------------------------------
expect_rc 0 "scan" -- S image scan "$PKG"
expect_out "2 index\(es\) x 10 update" "scan summary"
st() { Q "SELECT UpdateStatus FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG' AND ImageIndex = $1 AND UpdateID = $2"; }
[ "$(st 1 20000001)" = 2 ] && ok || bad "KB installed -> 2 Installed ($(st 1 20000001))"
[ "$(st 1 20000002)" = 3 ] && ok || bad "CBS update for 23H2 -> 3 Applicable ($(st 1 20000002))"
[ "$(st 1 20000003)" = 4 ] && ok || bad "not CBS -> 4 ($(st 1 20000003))"
[ "$(st 1 20000004)" = 5 ] && ok || bad "installed, not CBS -> 5 ($(st 1 20000004))"
[ "$(st 1 20000005)" = 0 ] && ok || bad "no product -> 0 Unknown ($(st 1 20000005))"
[ "$(st 1 20000006)" = 1 ] && ok || bad "Office -> 1 Not Required ($(st 1 20000006))"
[ "$(st 1 20000007)" = 1 ] && ok || bad "superseded by an installed KB -> 1 ($(st 1 20000007))"
[ "$(st 1 20000009)" = 1 ] && ok || bad "server update on a client -> 1 ($(st 1 20000009))"
[ "$(st 2 20000009)" = 3 ] && ok || bad "server update on Server 2022 -> 3 ($(st 2 20000009))"
[ "$(st 1 20000010)" = 1 ] && ok || bad "22H2 update on 23H2 -> 1 ($(st 1 20000010))"
[ "$(st 2 20000002)" = 1 ] && ok || bad "client update on a server -> 1 ($(st 2 20000002))"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG'")" = 20 ] && ok || bad "one row per index x update"
[ "$(Q "SELECT Status FROM SMS_ImageServicingScanRequest WHERE ImagePackageID = '$PKG'")" = 1 ] && ok || bad "scan request Status 1"
[ "$(Q "SELECT COUNT(*) FROM SMS_SupportedPlatformsOfflineServicing WHERE OsVersionBuild = '10.0.22631' AND ProductType = 'WinNT'")" = 1 ] && ok || bad "supported platforms seeded"
expect_rc 0 "status" -- S image status "$PKG" --index 1
expect_out "^1 +20000002 +3 " "status lists the updates"
expect_rc 2 "scan an unknown package" -- S image scan PS1FFFFF
expect_err "WBEM_E_NOT_FOUND" "unknown package"

# ---- schedules and runs -------------------------------------------------
expect_rc 2 "schedule without updates" -- S image schedule --image "$PKG" --now
expect_rc 2 "schedule of an unknown image" -- S image schedule --image NOPE0001 --update 20000002 --now
expect_rc 2 "schedule of an unknown update" -- S image schedule --image "$PKG" --update 29999999 --now
expect_err "WBEM_E_NOT_FOUND: --update 29999999: no such software update" "unknown update named"
expect_rc 2 "schedule with a bad token" -- S image schedule --image "$PKG" --update 20000002 --token XYZ
expect_rc 2 "put a schedule with a bad token" -- S put SMS_ImageServicingSchedule --json '{"Name":"x","Schedule":"00011A85000800ZZ"}'
expect_err "WBEM_E_INVALID_PARAMETER: property 'Schedule' is not a schedule token string" "bad token named"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageServicingSchedule")" = 0 ] && ok || bad "refused schedules wrote nothing"

ORIG=$(sha "$TMP/install.wim")
# no content library yet: the update fails with CBS_E_SOURCE_MISSING
expect_rc 0 "schedule" -- S image schedule --image "$PKG" --update 20000002 --now --name "Monthly"
SID=$(cat "$TMP/out")
expect_rc 2 "run without content" -- S image run "$SID"
expect_out "0x800F081F" "source missing reported"
[ "$(sha "$TMP/install.wim")" = "$ORIG" ] && ok || bad "WIM unchanged after a failed run"
[ "$(Q "SELECT Status, Win32ErrorCode, FailedUpdateID FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID")" = "3,-2146498529,20000002" ] && ok || bad "progress row Failed with the code"
[ "$(Q "SELECT UpdateInstallationStatus FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG' AND ImageIndex = 1 AND UpdateID = 20000002")" = -2146498529 ] && ok || bad "status row carries the code"
[ "$(Q "SELECT State FROM SMS_ImageServicingSchedule WHERE ScheduleID = $SID")" = 4 ] && ok || bad "schedule State 4 Failed"
[ "$(Q "SELECT FailedImageCount FROM SMS_FailedImageUpdateView WHERE UpdateID = 20000002")" = 1 ] && ok || bad "failed-update view"

expect_rc 0 "content library" -- S image content "$TMP/content"
expect_rc 0 "run" -- S image run "$SID"
expect_out "2 update x index staged|1 update x index staged" "run summary"
[ "$(st 1 20000002)" = 2 ] && ok || bad "staged update is 2 Installed"
[ "$(Q "SELECT UpdateInstallationStatus FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG' AND ImageIndex = 1 AND UpdateID = 20000002")" = 0 ] && ok || bad "install status 0"
[ -n "$(Q "SELECT AppliedDateTime FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG' AND ImageIndex = 1 AND UpdateID = 20000002")" ] && ok || bad "AppliedDateTime set"
[ "$(Q "SELECT Status, Win32ErrorCode FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID")" = "2,0" ] && ok || bad "progress Success"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateHistory WHERE ScheduleID = $SID")" = 2 ] && ok || bad "one history row per run"
[ "$(Q "SELECT State FROM SMS_ImageServicingSchedule WHERE ScheduleID = $SID")" = 3 ] && ok || bad "schedule Succeeded"
[ "$(Q "SELECT SourceVersion FROM SMS_ImagePackage")" = 2 ] && ok || bad "SourceVersion counted"
[ "$(sha "$TMP/install.wim.bak")" = "$ORIG" ] && ok || bad "the previous image is kept as .bak"
wiminfo "$TMP/install.wim" 1 >/dev/null 2>&1 && ok || bad "the new WIM is valid"
wimdir "$TMP/install.wim" 1 >"$TMP/dir" 2>&1
grep -q '/Windows/servicing/smsprov/001-KB9000002/windows11.0-kb9000002-x64.cab' "$TMP/dir" && ok || bad "package staged in the image"
grep -q '/Windows/Setup/Scripts/smsprov-apply.cmd' "$TMP/dir" && ok || bad "apply script staged"
expect_rc 0 "ImageProperty records the staging" -- S image properties --xml "$PKG"
expect_out "<STAGED>KB9000002</STAGED>" "SMSPROV/STAGED in the index XML"
expect_rc 0 "rescan keeps it installed" -- S image scan "$PKG"
[ "$(st 1 20000002)" = 2 ] && ok || bad "rescan: staged stays 2"
[ -n "$(Q "SELECT AppliedDateTime FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG' AND ImageIndex = 1 AND UpdateID = 20000002")" ] && ok || bad "rescan keeps AppliedDateTime"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateStatusView WHERE ImagePackageID = '$PKG' AND UpdateID = 20000002 AND PackageName = 'Reference image'")" = 1 ] && ok || bad "status view row"

# hash mismatch, ContinueOnError false: nothing staged at all
CUR=$(sha "$TMP/install.wim")
expect_rc 0 "schedule (hash mismatch first)" -- S image schedule --image "$PKG" --update 20000008,20000009 --now
SID2=$(cat "$TMP/out")
expect_rc 2 "run stops at the bad hash" -- S image run "$SID2"
expect_out "0x80091007" "hash mismatch code"
[ "$(sha "$TMP/install.wim")" = "$CUR" ] && ok || bad "WIM unchanged (ContinueOnError false)"
[ "$(st 2 20000009)" = 3 ] && ok || bad "the good update was not staged"
# ContinueOnError true: the good one is staged, the bad one recorded
expect_rc 0 "schedule (continue on error)" -- S image schedule --image "$PKG" --update 20000008,20000009 --now --continue-on-error
SID3=$(cat "$TMP/out")
expect_rc 2 "run with an error" -- S image run "$SID3"
[ "$(st 2 20000009)" = 2 ] && ok || bad "good update staged despite the other"
[ "$(Q "SELECT UpdateInstallationStatus FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$PKG' AND ImageIndex = 1 AND UpdateID = 20000008")" = -2146889721 ] && ok || bad "bad update has CRYPT_E_HASH_VALUE"
[ "$(Q "SELECT Status FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID3")" = 3 ] && ok || bad "progress Failed when one failed"

# read-only WIM: ERROR_WRITE_PROTECT, nothing changes
CUR=$(sha "$TMP/install.wim")
chmod 0444 "$TMP/install.wim"
expect_rc 0 "schedule (read-only)" -- S image schedule --image "$PKG" --update 20000008 --now
SID4=$(cat "$TMP/out")
expect_rc 2 "run on a read-only WIM" -- S image run "$SID4"
[ "$(Q "SELECT Win32ErrorCode FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID4")" = 19 ] && ok || bad "ERROR_WRITE_PROTECT"
chmod 0644 "$TMP/install.wim"
[ "$(sha "$TMP/install.wim")" = "$CUR" ] && ok || bad "read-only WIM unchanged"

# disk full while writing the copy (a file size limit): ERROR_DISK_FULL
"$MK" "$TMP/big.wim" --index "Windows 11 Pro:Professional:Client:22631.2861:amd64:" --pad 3000000 2>/dev/null
expect_rc 0 "add big" -- S image add "$TMP/big.wim"
BIG=$(cat "$TMP/out")
BIGSHA=$(sha "$TMP/big.wim")
expect_rc 0 "schedule (disk full)" -- S image schedule --image "$BIG" --update 20000002 --now
SID5=$(cat "$TMP/out")
(ulimit -f 2000; trap '' XFSZ; "$SMSPROV" --db "$DB" image run "$SID5" >"$TMP/out" 2>"$TMP/err")
[ "$(Q "SELECT Win32ErrorCode FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID5")" = 112 ] && ok || bad "ERROR_DISK_FULL ($(Q "SELECT Win32ErrorCode FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID5"))"
[ "$(sha "$TMP/big.wim")" = "$BIGSHA" ] && ok || bad "WIM unchanged after disk full"
[ ! -e "$TMP/big.wim.smsprov-new" ] && ok || bad "working copy removed"

# corrupt WIM: FILE_CORRUPT, scan request Status 2
cp "$TMP/big.wim" "$TMP/corrupt.wim"
expect_rc 0 "add the soon-corrupt WIM" -- S image add "$TMP/corrupt.wim"
BAD=$(cat "$TMP/out")
printf 'garbage!garbage!garbage!' | dd of="$TMP/corrupt.wim" bs=1 seek=300 conv=notrunc 2>/dev/null
dd if=/dev/zero of="$TMP/corrupt.wim" bs=1 seek=1000000 count=200000 conv=notrunc 2>/dev/null
CSHA=$(sha "$TMP/corrupt.wim")
expect_rc 0 "schedule (corrupt)" -- S image schedule --image "$BAD" --update 20000002 --now
SID6=$(cat "$TMP/out")
expect_rc 2 "run on a corrupt WIM" -- S image run "$SID6"
[ "$(Q "SELECT Status FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID6")" = 3 ] && ok || bad "corrupt: progress Failed"
[ "$(sha "$TMP/corrupt.wim")" = "$CSHA" ] && ok || bad "corrupt WIM left as it was"

# kill -9 in the middle of staging: the original survives, the next run
# closes the dead run (ERROR_OPERATION_ABORTED) and rows follow the WIM
mkdir -p "$TMP/content/3011"
head -c 60000000 /dev/urandom >"$TMP/content/3011/windows11.0-kb9000011-x64.cab"
{
    upd 20000011 9000011 "2026-11 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB9000011)" "$W11" true
    content 20000011 3011 windows11.0-kb9000011-x64.cab
} >"$TMP/more.jsonl"
expect_rc 0 "import a big update" -- S import "$TMP/more.jsonl"
KSHA=$(sha "$TMP/big.wim")
expect_rc 0 "schedule (to be killed)" -- S image schedule --image "$BIG" --update 20000011 --now
SID7=$(cat "$TMP/out")
"$SMSPROV" --db "$DB" image run "$SID7" >/dev/null 2>&1 &
RUN=$!
for i in $(seq 1 500); do
    [ -e "$TMP/big.wim.smsprov-new" ] && break
    sleep 0.01
done
sleep 0.2
kill -9 "$RUN" 2>/dev/null
wait "$RUN" 2>/dev/null
[ "$(sha "$TMP/big.wim")" = "$KSHA" ] && ok || bad "the original WIM survives kill -9"
[ "$(Q "SELECT Status FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID7")" = 1 ] && ok || bad "killed run left Running"
expect_rc 0 "run-schedule recovers and reruns" -- S image run-schedule
[ ! -e "$TMP/big.wim.smsprov-new" ] && ok || bad "dead run's copy removed"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateHistory WHERE ScheduleID = $SID7 AND Status = 3")" = 1 ] && ok || bad "dead run recorded as failed"
[ "$(Q "SELECT Status FROM SMS_ImageServicingProgress WHERE ScheduleID = $SID7")" = 2 ] && ok || bad "rerun succeeded"
[ "$(Q "SELECT UpdateStatus FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$BIG' AND UpdateID = 20000011")" = 2 ] && ok || bad "rows follow the WIM"
wiminfo "$TMP/big.wim" >/dev/null 2>&1 && ok || bad "WIM valid after the rerun"

# ---- schedules at their time --------------------------------------------
expect_rc 0 "schedule in the future" -- S image schedule --image "$PKG" --update 20000010 --at 2033-01-01T00:00:00Z
FUT=$(cat "$TMP/out")
expect_rc 0 "schedule in the past" -- S image schedule --image "$PKG" --update 20000010 --at 2025-01-01T00:00:00Z
PAST=$(cat "$TMP/out")
expect_rc 0 "run-schedule" -- S image run-schedule
[ -z "$(Q "SELECT LastRunDateTime FROM SMS_ImageServicingSchedule WHERE ScheduleID = $FUT")" ] && ok || bad "future schedule did not run"
[ -n "$(Q "SELECT LastRunDateTime FROM SMS_ImageServicingSchedule WHERE ScheduleID = $PAST")" ] && ok || bad "due schedule ran"
expect_rc 0 "run-schedule again" -- S image run-schedule
expect_out "^0 schedule" "a non-recurring schedule runs once"

# ---- content downloaded from its SourceURL ------------------------------
mkdir -p "$TMP/www"
head -c 120000 /dev/urandom >"$TMP/www/windows11.0-kb9000012-x64.cab"
python3 "$(dirname "$0")/catalog_server.py" --dir "$TMP/www" \
    --port-file "$TMP/port" --log "$TMP/http.log" &
WWW=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$TMP/port")"
H12=$(sha "$TMP/www/windows11.0-kb9000012-x64.cab")
{
    upd 20000012 9000012 "2026-12 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB9000012)" "$W11" true
    printf '{"__CLASS":"SMS_CIToContent","CI_ID":20000012,"ContentID":3012,"ContentDownloaded":false,"ContentLocales":["Locale:0"],"ContentUniqueID":"c3012","ContentVersion":1,"ObjectTypeID":5,"SDMMethodType":"Install"}\n'
    printf '{"__CLASS":"SMS_CIContentFiles","ContentID":3012,"FileName":"windows11.0-kb9000012-x64.cab","FileHash":"SHA1:%s","FileSize":120000,"FileVersion":"","ImportPath":"","IsSigned":true,"ObjectTypeID":5,"SourceURL":"%s/windows11.0-kb9000012-x64.cab"}\n' "$H12" "$URL"
} >"$TMP/dl.jsonl"
expect_rc 0 "import an update with downloadable content" -- S import "$TMP/dl.jsonl"
expect_rc 0 "schedule (download)" -- S image schedule --image "$PKG" --update 20000012 --now
SIDD=$(cat "$TMP/out")
expect_rc 2 "without --download the file is missing" -- S image run "$SIDD"
expect_out "0x800F081F" "missing without download"
expect_rc 0 "turn downloads on" -- S image content --download
expect_rc 0 "content settings" -- S image content
expect_out "download on" "download shown"
# the server first sends other bytes: a digest mismatch, the file is removed
cp "$TMP/www/windows11.0-kb9000012-x64.cab" "$TMP/good.cab"
head -c 120000 /dev/urandom >"$TMP/www/windows11.0-kb9000012-x64.cab"
expect_rc 2 "a downloaded file that does not match" -- S image run "$SIDD"
expect_out "0x80091007" "hash mismatch after download"
[ ! -e "$TMP/content/3012/windows11.0-kb9000012-x64.cab" ] && ok || bad "a bad download is not kept"
cp "$TMP/good.cab" "$TMP/www/windows11.0-kb9000012-x64.cab"
expect_rc 0 "run downloads the content" -- S image run "$SIDD"
[ "$(sha "$TMP/content/3012/windows11.0-kb9000012-x64.cab")" = "$H12" ] && ok || bad "downloaded into the library"
[ "$(st 1 20000012)" = 2 ] && ok || bad "downloaded update staged"
grep -q "GET /windows11.0-kb9000012-x64.cab" "$TMP/http.log" && ok || bad "fetched from its SourceURL"
expect_rc 0 "turn downloads off" -- S image content --no-download
kill "$WWW" 2>/dev/null
wait "$WWW" 2>/dev/null

# ---- AdminService ------------------------------------------------------
echo pw | S admin add alice --role "Full Administrator" --scope All --password-stdin >/dev/null
TOKEN=$(S admin token alice)
AUTH=(-H "Authorization: Bearer $TOKEN")
start_server "$DB" --schedule-interval 1 || exit 1
W="$BASE/wmi"
req GET "$W/SMS_ImageUpdateStatus?\$filter=ImagePackageID%20eq%20'$PKG'%20and%20UpdateStatus%20eq%202"
expect_status 200 "GET SMS_ImageUpdateStatus"
expect_json "len(d['value'])>=3 and all(r['UpdateStatus']==2 for r in d['value'])" "filtered status rows"
req GET "$W/SMS_ImageUpdateStatus(ImageIndex=1,ImagePackageID='$PKG',UpdateID=20000002)"
expect_status 200 "GET one status row by its keys"
req GET "$W/SMS_FailedImageUpdateView"
expect_status 200 "GET the failed-update view"
req POST "$W/SMS_ImagePackage.GetImageProperties" -H "Content-Type: application/json" -d "{\"SourceImagePath\":\"$TMP/install.wim\"}"
expect_status 201 "GetImageProperties over HTTP"
expect_json "d['ReturnValue']==0 and '<WIM>' in d['ImageProperty']" "ImageProperty over HTTP"
# a schedule created over HTTP, as a script would (token only, no State),
# runs through the server's scheduler
req POST "$W/SMS_ScheduleMethods.WriteToString" -H "Content-Type: application/json" -d '{"TokenData":[{"__CLASS":"SMS_ST_NonRecurring","StartTime":"20250601000000.000000+000","IsGMT":true}]}'
expect_status 201 "WriteToString over HTTP"
TOK=$(python3 -c "import json; print(json.load(open('$TMP/out'))['StringData'])")
[[ "$TOK" =~ ^[0-9A-F]{16}$ ]] && ok || bad "a schedule token ($TOK)"
req POST "$W/SMS_ImageServicingSchedule" -H "Content-Type: application/json" -d "{\"Name\":\"Patch Tuesday\",\"Schedule\":\"$TOK\",\"ContinueOnError\":true,\"UpdateDP\":false}"
expect_status 201 "POST SMS_ImageServicingSchedule"
cp "$TMP/out" "$TMP/sched.json"
req POST "$W/SMS_ImageServicingSchedule" -H "Content-Type: application/json" -d '{"Name":"Broken","Schedule":"nonsense"}'
expect_status 400 "POST a schedule with a bad token"
cp "$TMP/sched.json" "$TMP/out"
SID8=$(python3 -c "import json; print(json.load(open('$TMP/out'))['ScheduleID'])")
req POST "$W/SMS_ImageServicingScheduledImage" -H "Content-Type: application/json" -d "{\"ScheduleID\":$SID8,\"ImagePackageID\":\"$PKG\"}"
expect_status 201 "POST SMS_ImageServicingScheduledImage"
req POST "$W/SMS_ImageServicingScheduledUpdate" -H "Content-Type: application/json" -d "{\"ScheduleID\":$SID8,\"UpdateID\":20000003}"
expect_status 201 "POST SMS_ImageServicingScheduledUpdate"
for i in $(seq 1 60); do
    req GET "$W/SMS_ImageServicingSchedule($SID8)"
    python3 -c "import json,sys; d=json.load(open('$TMP/out')); v=d.get('value',d); v=v[0] if isinstance(v,list) else v; sys.exit(0 if v.get('LastRunDateTime') else 1)" 2>/dev/null && break
    sleep 0.25
done
[ -n "$(Q "SELECT LastRunDateTime FROM SMS_ImageServicingSchedule WHERE ScheduleID = $SID8")" ] && ok || bad "serve ran the due schedule"
stop_server
[ "$SRV_RC" -eq 0 ] && ok || bad "server stops cleanly"

# RunOfflineServicingManager asks for a run and wakes the scheduler: with
# an hour between ticks the run still happens at once
start_server "$DB" --schedule-interval 3600 || exit 1
W="$BASE/wmi"
RUNS0=$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateHistory WHERE ImagePackageID = '$PKG'")
req POST "$W/SMS_ImagePackage.RunOfflineServicingManager" -H "Content-Type: application/json" -d "{\"SiteCode\":\"PS1\",\"ServerName\":\"site.contoso.com\",\"PackageID\":\"$PKG\",\"PackageType\":257}"
expect_status 201 "RunOfflineServicingManager"
expect_json "d['ReturnValue']==0" "RunOfflineServicingManager returns 0"
for i in $(seq 1 80); do
    [ "$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateHistory WHERE ImagePackageID = '$PKG'")" -gt "$RUNS0" ] && break
    sleep 0.25
done
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageUpdateHistory WHERE ImagePackageID = '$PKG'")" -gt "$RUNS0" ] && ok || bad "the woken scheduler ran the image's schedules"
[ "$(Q "SELECT COUNT(*) FROM SMS_ImageServicingSchedule WHERE Action = 1")" = 0 ] && ok || bad "Action 1 consumed by the runs"
req POST "$W/SMS_ImagePackage.RunOfflineServicingManager" -H "Content-Type: application/json" -d "{\"SiteCode\":\"XYZ\",\"ServerName\":\"s\",\"PackageID\":\"$PKG\",\"PackageType\":257}"
expect_status 400 "RunOfflineServicingManager for another site"
stop_server
[ "$SRV_RC" -eq 0 ] && ok || bad "server stops cleanly"

finish
