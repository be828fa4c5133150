#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: smsprov import-catalog on the real samples (shared/data/
# catalog), WQL over the result, re-import, options, errors (corrupt CAB
# and XML leave the database unchanged), no progress bar without a tty.
. "$(dirname "$0")/lib.bash"
CAT=../shared/data/catalog
CAB=$CAT/vuls-data-update/wsusscn2-fixture.cab
DB="$TMP/c.db"
S() { "$SMSPROV" --db "$DB" "$@"; }

expect_rc 0 "help" -- S import-catalog --help
expect_out "usage: smsprov --db PATH import-catalog" "help text"
expect_rc 2 "no file" -- S import-catalog
expect_rc 2 "bad option" -- S import-catalog --expire-superseded soon "$CAB"

expect_rc 0 "import wsusscn2.cab" -- S import-catalog "$CAB"
expect_out "added       4" "summary: added"
expect_out "superseded  2" "summary: superseded"
expect_out "skipped     0" "summary: skipped with reasons"
if grep -q $'\r' "$TMP/err"; then bad "progress bar without a terminal"; else ok; fi

expect_rc 0 "by KB" -- S query --format csv "SELECT LocalizedDisplayName FROM SMS_SoftwareUpdate WHERE ArticleID = '765432'"
expect_out "^2020-09 Security Monthly Quality Rollup for Windows Server 2012 R2 for x64-based Systems \(KB4577066\)$" "title by ArticleID"
expect_rc 0 "current" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE IsSuperseded = 0 AND IsExpired = 0 AND Severity = 8"
expect_out "^876543$" "the chain's newest update is current"
expect_rc 0 "chain" -- S query --format json "SELECT f.ArticleID, t.ArticleID FROM SMS_CIRelation AS r JOIN SMS_SoftwareUpdate AS f ON f.CI_ID = r.FromCIID JOIN SMS_SoftwareUpdate AS t ON t.CI_ID = r.ToCIID WHERE r.RelationType = 6 ORDER BY f.ArticleID"
expect_json "[(x['f']['ArticleID'], x['t']['ArticleID']) for x in d]==[('765432','654321'),('876543','765432')]" "supersedence chain by WQL"
expect_rc 0 "category" -- S query --format csv "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE CategoryInstance_UniqueIDs = 'Company:56309036-4c77-4dd9-951a-99ee9c246a94'"
expect_out "^1$" "array filter on categories"
expect_rc 0 "classification name" -- S query --format csv "SELECT LocalizedCategoryInstanceName FROM SMS_CategoryInstance WHERE CategoryTypeName = 'UpdateClassification'"
expect_out "^Security Updates$" "classification named"
expect_rc 0 "get lazy" -- S get --format json "SMS_SoftwareUpdate.CI_ID=16777218"
expect_json "'SoftwareUpdateBundle' in d['SDMPackageXML'] and d['LocalizedInformation'][0]['LocaleID']==1033 and d['BulletinID']=='MS00-000'" "lazy SDMPackageXML and LocalizedInformation"

# update XML documents (wsus-rs): content files and digests
expect_rc 0 "import update XML" -- S import-catalog "$CAT/wsus-rs/update-xml"
expect_out "added       1" "one software update"
expect_rc 0 "files" -- S query --format json "SELECT FileName, FileSize, FileHash FROM SMS_CIContentFiles"
expect_json "d==[{'FileName':'AM_Engine.exe','FileSize':6662560,'FileHash':'SHA1:bd789d42a2e027008ee3e7c4fbee6720dd6dc4c9'}]" "content file with digest"
expect_rc 0 "expired" -- S query --format csv "SELECT COUNT(*) FROM SMS_SoftwareUpdate WHERE IsExpired = 1"
expect_out "^0$" "update documents are partial: nothing expires"

# the same documents as an archive (a compressed cabinet of *.xml)
mkdir -p "$TMP/arch"
cp "$CAT"/wsus-rs/update-xml/*.xml "$TMP/arch/"
(cd "$TMP/arch" && gcab -cz docs.cab ./*.xml) && ok || bad "gcab made the archive"
expect_rc 0 "import an archive of update XML" -- "$SMSPROV" --db "$TMP/arch.db" import-catalog "$TMP/arch/docs.cab"
expect_out "added       1" "one software update from the archive"
expect_rc 0 "archive files" -- "$SMSPROV" --db "$TMP/arch.db" query --format csv "SELECT FileHash FROM SMS_CIContentFiles WHERE FileName = 'AM_Engine.exe'"
expect_out "^SHA1:bd789d42a2e027008ee3e7c4fbee6720dd6dc4c9$" "archive content digest"

# a GetUpdateData SOAP response (XmlUpdateBlob, wsus-rs capture)
mkdir -p "$TMP/soap"
cp "$CAT/wsus-rs/soap/getupdatedata-000015.response.xml" "$TMP/soap/"
expect_rc 0 "import SOAP" -- S import-catalog "$TMP/soap"
expect_out "added       1" "blob imported"
expect_rc 0 "soap update" -- S query --format json "SELECT LocalizedDisplayName, CIType_ID, CategoryInstance_UniqueIDs FROM SMS_SoftwareUpdate WHERE CI_UniqueID = 'ccb78947-6453-4ecc-9de8-bc0305c98f2d'"
expect_json "d[0]['LocalizedDisplayName'].startswith('HIDDEN: Defender MpSigStub') and d[0]['CIType_ID']==8 and d[0]['CategoryInstance_UniqueIDs']==['UpdateClassification:e0789628-ce08-4437-be74-2495b842f43b']" "bundle with its classification"
S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE CI_UniqueID = 'ccb78947-6453-4ecc-9de8-bc0305c98f2d'" >/dev/null

# a response whose fileUrls map digests to Microsoft Update URLs
mkdir -p "$TMP/soap2"
python3 - "$CAT/wsus-rs/soap/getupdatedata-000015.response.xml" "$TMP/soap2/resp.xml" <<'PY'
import sys
s = open(sys.argv[1]).read().replace('<fileUrls />', '<fileUrls><ServerSyncUrlData><FileDigest>hlQslyYcRtWzeaQ+yJX5fq9Am6I=</FileDigest><MUUrl>http://download.windowsupdate.com/x.cab</MUUrl></ServerSyncUrlData></fileUrls>')
open(sys.argv[2], 'w').write(s)
PY
expect_rc 0 "import SOAP with fileUrls" -- "$SMSPROV" --db "$TMP/soap2.db" import-catalog "$TMP/soap2"
expect_out "added       1" "blob imported next to its file URLs"

# a full catalog again: the updates absent from it expire; CI_IDs kept
expect_rc 0 "re-import" -- S import-catalog "$CAB" --expire-superseded immediately
expect_out "unchanged   4" "same revisions unchanged"
expect_out "expired     4" "2 missing updates + 2 superseded expire"
expect_rc 0 "ids" -- S query --format csv "SELECT CI_ID FROM SMS_SoftwareUpdate WHERE ArticleID = '765432'"
expect_out "^16777218$" "CI_ID stable"

# corrupt inputs: clear error with file and offset, nothing changes
S query --format csv "SELECT CI_ID, RevisionNumber, IsExpired FROM SMS_SoftwareUpdate" >"$TMP/before"
head -c 12000 "$CAB" >"$TMP/cut.cab"
expect_rc 2 "truncated cab" -- S import-catalog "$TMP/cut.cab"
expect_err "cut.cab.*offset" "cab error names file and offset"
expect_err "nothing imported" "all or nothing"
mkdir -p "$TMP/bad/package"
printf '<OfflineSyncPackage><Updates><Update UpdateId="x" RevisionId="1"><Categories></Updates>' >"$TMP/bad/package/package.xml"
expect_rc 2 "malformed xml" -- S import-catalog "$TMP/bad"
expect_err "package.xml: malformed XML at offset [0-9]+" "xml error names file and offset"
S query --format csv "SELECT CI_ID, RevisionNumber, IsExpired FROM SMS_SoftwareUpdate" >"$TMP/after"
if cmp -s "$TMP/before" "$TMP/after"; then ok; else bad "database changed by a failed import"; fi
expect_rc 2 "missing file" -- S import-catalog "$TMP/nope.cab"
finish
