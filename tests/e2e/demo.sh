#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: `smsprov demo` builds the database the README starts from.
# Checks the counts, the fixed updates, the distributions, the image
# status coverage, the refusal to overwrite, --force and determinism.
# Usage: demo.sh PATH-TO-smsprov
set -euo pipefail
SMSPROV=${1:?usage: $0 PATH-TO-smsprov}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
DB="$TMP/demo.db"

# run CMD...: runs it with stdout in $TMP/out, stderr in $TMP/err, RC set
run() {
    RC=0
    "$@" >"$TMP/out" 2>"$TMP/err" || RC=$?
}

# check DESCRIPTION CMD...: counts CMD's success as a pass
check() {
    local what=$1
    shift
    if "$@"; then
        PASS=$((PASS + 1))
    else
        FAIL=$((FAIL + 1))
        echo "FAIL: $what" >&2
        head -20 "$TMP/err" "$TMP/out" >&2 || true
    fi
}

rc_is() { [ "$RC" -eq "$1" ]; }
out_has() { grep -qE -- "$1" "$TMP/out"; }
err_has() { grep -qE -- "$1" "$TMP/err"; }
# json EXPR: EXPR over d (the JSON on stdout) is true
json() {
    python3 -c 'import json, sys
d = json.load(open(sys.argv[2]))
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" "$TMP/out"
}
S() { "$SMSPROV" --db "$DB" "$@"; }
# q WQL: query as JSON
q() { run S query --format json "$1"; }

run "$SMSPROV" demo --help
check "help exits 0" rc_is 0
check "help shows usage" out_has "usage: smsprov demo --db PATH"

run "$SMSPROV" demo --db "$DB"
check "demo exits 0" rc_is 0
check "summary counts updates" out_has "SMS_SoftwareUpdate +300$"
check "summary suggests a query" out_has "ORDER BY DatePosted DESC"

q "SELECT COUNT(*) FROM SMS_SoftwareUpdate"
check "300 updates" json "d == [{'Count': 300}]"

# the README's first query
q "SELECT ArticleID, LocalizedDisplayName, DatePosted FROM SMS_SoftwareUpdate WHERE IsExpired = 0 AND IsSuperseded = 0 ORDER BY DatePosted DESC"
check "current updates listed newest first" \
    json "len(d) > 100 and d[0]['DatePosted'].startswith('202412') and d[0]['DatePosted'] >= d[-1]['DatePosted']"

run S get --format json "SMS_SoftwareUpdate.CI_ID=16777220"
check "get CI_ID 16777220" rc_is 0
check "16777220 is the 2024-01 Windows 11 CU" \
    json "d['LocalizedDisplayName'] == '2024-01 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5034123)' and d['ArticleID'] == '5034123'"
check "get returns SDMPackageXML" \
    json "'<SoftwareUpdateBundle' in d['SDMPackageXML'] and 'KB5034123' in d['SDMPackageXML']"
check "bundle flags" json "d['IsBundle'] is True and d['CIType_ID'] == 8"
check "localized information en-US and de-DE" \
    json "sorted(x['LocaleID'] for x in d['LocalizedInformation']) == [1031, 1033] and any('Kumulatives Update' in x['DisplayName'] for x in d['LocalizedInformation'])"
check "categories: company, family, product, classification" \
    json "[u.split(':')[0] for u in d['CategoryInstance_UniqueIDs']] == ['Company', 'ProductFamily', 'Product', 'UpdateClassification'] and 'UpdateClassification:0fa1201d-4330-4fa8-8ae9-b877473b6441' in d['CategoryInstance_UniqueIDs']"
check "severity and URL" \
    json "d['Severity'] == 10 and d['SeverityName'] == 'Critical' and d['LocalizedInformativeURL'] == 'https://support.microsoft.com/help/5034123'"
check "compliance counters add up" \
    json "d['NumTotal'] == d['NumMissing'] + d['NumPresent'] + d['NumNotApplicable'] + d['NumUnknown'] == 20"

q "SELECT CI_ID FROM SMS_SoftwareUpdate WHERE ArticleID = '5034441'"
check "KB5034441 is CI_ID 16777219" json "d == [{'CI_ID': 16777219}]"
q "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE BulletinID = 'MS17-010'"
check "two MS17-010 updates" json "len(d) == 2 and all(x['ArticleID'] == '4013429' for x in d)"
q "SELECT LocalizedDisplayName FROM SMS_SoftwareUpdate WHERE CategoryInstance_UniqueIDs = 'UpdateClassification:e0789628-ce08-4437-be74-2495b842f43b'"
check "definition updates by classification (array any)" \
    json "len(d) > 30 and all(x['LocalizedDisplayName'].startswith('Security Intelligence Update') for x in d)"
q "SELECT CategoryTypeName, LocalizedCategoryInstanceName FROM SMS_CategoryInstance WHERE CategoryInstance_UniqueID = 'UpdateClassification:28bc880e-0592-4cbf-8f95-c79b17911d5f'"
check "Update Rollups category" \
    json "d == [{'CategoryTypeName': 'UpdateClassification', 'LocalizedCategoryInstanceName': 'Update Rollups'}]"
q "SELECT COUNT(*) FROM SMS_CIAllCategories"
check "four category links per update" json "d == [{'Count': 1200}]"

# distributions
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsSuperseded = 1"
SUP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Count"])' "$TMP/out")
check "about 20% superseded ($SUP)" test "$SUP" -ge 45 -a "$SUP" -le 75
q "SELECT COUNT(*) FROM SMS_CIRelation WHERE RelationType = 6"
check "one supersedence relation per superseded update" json "d == [{'Count': $SUP}]"
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsExpired = 1 AND IsSuperseded = 0"
check "expired updates are superseded ones" json "d == [{'Count': 0}]"
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsExpired = 1"
check "about 5% expired" json "8 <= d[0]['Count'] <= 22"
q "SELECT r.ToCIID FROM SMS_SoftwareUpdate AS u JOIN SMS_CIRelation AS r ON r.FromCIID = u.CI_ID WHERE r.RelationType = 6 AND u.IsSuperseded = 0 AND u.IsExpired = 0"
check "current updates supersede older ones" json "len(d) > 10"
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE Severity >= 8"
check "important and critical updates" json "d[0]['Count'] > 30"
q "SELECT FileName, FileHash, SourceURL, FileSize FROM SMS_CIContentFiles"
check "1-3 content files per update" json "300 <= len(d) <= 900"
check "file hashes and URLs" \
    json "all(x['FileHash'].startswith('SHA1:') and x['FileHash'][5:] in x['FileName'] and x['SourceURL'].startswith('http') and x['FileSize'] > 0 for x in d)"
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE EULAExists = 1"
check "some updates have a EULA" json "d[0]['Count'] > 0"

# the site around the catalog
q "SELECT MemberCount FROM SMS_Collection WHERE CollectionID = 'SMS00001'"
check "All Systems has the 20 devices" json "d == [{'MemberCount': 20}]"
q "SELECT COUNT(*) FROM SMS_FullCollectionMembership WHERE CollectionID = 'SMS00001'"
check "All Systems membership" json "d == [{'Count': 20}]"
q "SELECT Name FROM SMS_R_System WHERE IPAddresses = '10.1.10.25'"
check "device by IP address (array any)" json "d == [{'Name': 'CM01'}]"
q "SELECT DISTINCT Status FROM SMS_UpdateComplianceStatus"
check "compliance states 1-3 present" json "{1, 2, 3} <= {x['Status'] for x in d}"
q "SELECT NumberOfUpdates FROM SMS_AuthorizationList"
GROUP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["NumberOfUpdates"])' "$TMP/out")
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsDeployed = 1 AND IsContentProvisioned = 1"
check "the group's updates are deployed and provisioned" json "d == [{'Count': $GROUP}] and $GROUP > 0"
q "SELECT TargetCollectionID, AssignedCIs FROM SMS_UpdatesAssignment"
check "deployment to the pilot" json "d[0]['TargetCollectionID'] == 'PS100016' and len(d[0]['AssignedCIs']) == $GROUP"
q "SELECT ImagePackageID, UpdateStatus FROM SMS_ImageUpdateStatus"
check "image status covers UpdateStatus 0..5 for both images" \
    json "all({x['UpdateStatus'] for x in d if x['ImagePackageID'] == i} == set(range(6)) for i in ('PS100012', 'PS100013'))"
q "SELECT PackageID, PackageType FROM SMS_ImagePackage ORDER BY PackageID"
check "image packages" json "d == [{'PackageID': 'PS100012', 'PackageType': 257}, {'PackageID': 'PS100013', 'PackageType': 257}]"
q "SELECT * FROM SMS_ProviderLocation"
check "provider location" \
    json "len(d) == 1 and d[0]['SiteCode'] == 'PS1' and d[0]['ProviderForLocalSite'] is True and d[0]['NamespacePath'].endswith('\\\\root\\\\sms\\\\site_PS1')"

# refusal, --force, bad arguments
run "$SMSPROV" demo --db "$DB" --updates 10
check "refuses a database with instances" rc_is 2
check "refusal explains --force" err_has "already holds instances.*--force"
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate"
check "refused run changed nothing" json "d == [{'Count': 300}]"
run "$SMSPROV" --db "$DB" demo --force --updates 10 --no-devices --no-images
check "--force rebuilds (global --db too)" rc_is 0
q "SELECT COUNT(*) FROM SMS_SoftwareUpdate"
check "--force gave 10 updates" json "d == [{'Count': 10}]"
q "SELECT COUNT(*) FROM SMS_R_System"
check "--no-devices" json "d == [{'Count': 0}]"
run "$SMSPROV" demo --db "$TMP/x.db" --updates 0
check "--updates 0 rejected" rc_is 2
run "$SMSPROV" demo --db "$TMP/x.db" --seed abc
check "bad --seed rejected" rc_is 2
run "$SMSPROV" demo --db "$TMP/x.db" --bogus
check "unknown option rejected" rc_is 2
run "$SMSPROV" --db "$TMP/init.db" init
run "$SMSPROV" demo --db "$TMP/init.db" --updates 5 --no-images
check "demo fills an initialized empty database" rc_is 0

# determinism: same seed, same data; another seed, other data
for x in a:42 b:42 c:43; do
    run "$SMSPROV" demo --db "$TMP/${x%:*}.db" --updates 120 --seed "${x#*:}"
    check "demo --seed ${x#*:} into ${x%:*}.db" rc_is 0
done
for x in a b c; do
    "$SMSPROV" --db "$TMP/$x.db" export SMS_SoftwareUpdate >"$TMP/$x.su"
    "$SMSPROV" --db "$TMP/$x.db" export SMS_CIContentFiles >"$TMP/$x.cf"
    "$SMSPROV" --db "$TMP/$x.db" export SMS_CIRelation >"$TMP/$x.rel"
done
# The provider stamps DateLastModified with the time of the write on every
# put; everything else must be identical byte for byte.
strip() {
    python3 -c 'import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    o.pop("DateLastModified", None)
    print(json.dumps(o, sort_keys=True))' "$1"
}
for x in a b c; do strip "$TMP/$x.su" >"$TMP/$x.sus"; done
differs() { ! cmp -s "$1" "$2"; }
check "same seed: same updates" cmp -s "$TMP/a.sus" "$TMP/b.sus"
check "same seed: same content files" cmp -s "$TMP/a.cf" "$TMP/b.cf"
check "same seed: same relations" cmp -s "$TMP/a.rel" "$TMP/b.rel"
check "other seed: other updates" differs "$TMP/a.sus" "$TMP/c.sus"

echo "$(basename "$0" .sh): $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
