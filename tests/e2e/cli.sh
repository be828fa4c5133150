#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: init, import, query (every format), get with lazy properties,
# put (create, modify, rejected writes), delete, describe, export, errors.
. "$(dirname "$0")/lib.bash"
DB="$TMP/t.db"
S() { "$SMSPROV" --db "$DB" "$@"; }

expect_rc 0 "init" -- S init
expect_out "initialized" "init prints"
expect_rc 0 "import" -- S import tests/e2e/data/updates.jsonl
expect_out "imported 4 instances" "import count"

# queries the way admins write them
expect_rc 0 "query table" -- S query "SELECT ArticleID, LocalizedDisplayName FROM SMS_SoftwareUpdate WHERE IsExpired = 0 AND IsSuperseded = 0 ORDER BY DatePosted DESC"
expect_out "5034441" "query finds the current update"
if grep -q 5034442 "$TMP/out"; then bad "superseded update listed"; else ok; fi
expect_rc 0 "query json" -- S query --format json "select * from sms_softwareupdate order by ArticleID"
expect_json "len(d)==2 and d[0]['ArticleID']=='5034441'" "json rows"
expect_json "'SDMPackageXML' not in d[0] and 'LocalizedInformation' not in d[0]" "lazy props left out of SELECT *"
expect_json "d[0]['IsExpired'] is False and isinstance(d[0]['CI_ID'], int)" "json types"
expect_json "d[0]['DatePosted']=='20240109000000.000000+000'" "DMTF dates in UTC"
expect_json "d[0]['CategoryInstance_UniqueIDs'][1].startswith('UpdateClassification:')" "arrays"
expect_rc 0 "lazy named" -- S query --format json "SELECT SDMPackageXML FROM SMS_SoftwareUpdate WHERE CI_ID = '16777217'"
expect_json "d[0]['SDMPackageXML'] is None" "named lazy property comes back NULL"
expect_rc 0 "array any element" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE CategoryInstance_UniqueIDs = \"product:ABC\""
expect_out "^5034441$" "array = value matches any element, case-blind"
expect_rc 0 "csv header without rows" -- S query --format csv "SELECT ArticleID, CI_ID FROM SMS_SoftwareUpdate WHERE CI_ID = 1"
expect_out "^ArticleID,CI_ID$" "an empty result still names its columns"
expect_rc 0 "boolean forms" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE IsSuperseded = 'true' AND IsExpired = FALSE AND IsEnabled = '1'"
expect_out "^5034442$" "boolean literals"
expect_rc 0 "date forms" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE DatePosted >= '2024-02-01' AND DatePosted < '02/15/2024'"
expect_out "^5034442$" "SQL Server date literals"
expect_rc 0 "count" -- S query --format json "SELECT COUNT(*) FROM SMS_SoftwareUpdate"
expect_json "d==[{'Count':2}]" "COUNT(*) is one object with one number"
expect_rc 0 "join" -- S query --format json "SELECT u.ArticleID, r.RelationType FROM SMS_SoftwareUpdate AS u JOIN SMS_CIRelation AS r ON r.FromCIID = u.CI_ID"
expect_json "d==[{'u':{'ArticleID':'5034442'},'r':{'RelationType':6}}]" "join nests by alias"
expect_rc 0 "subquery" -- S query --format csv "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE CI_ID IN (SELECT ToCIID FROM SMS_CIRelation WHERE RelationType = 6)"
expect_out "^5034441$" "IN (subquery)"
expect_rc 0 "base class" -- S query --format csv "SELECT CI_ID FROM SMS_ConfigurationItemBaseClass ORDER BY CI_ID"
expect_out "^16777218$" "base class returns subclass instances"
expect_rc 0 "mof format" -- S query --format mof "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE ArticleID = '5034441'"
expect_out "instance of SMS_SoftwareUpdate" "mof output"
expect_rc 0 "explain" -- S query --explain "SELECT ArticleID FROM SMS_SoftwareUpdate WHERE ArticleID = 'x'"
expect_out "sql: SELECT" "explain prints SQL"

# errors: exit 2, WMI name, position
expect_rc 2 "syntax error" -- S query "SELECT FROM SMS_SoftwareUpdate"
expect_err "WBEM_E_INVALID_QUERY" "syntax error name"
expect_rc 2 "unknown class" -- S query "SELECT * FROM SMS_SoftwareUpdat"
expect_err "WBEM_E_INVALID_CLASS.*did you mean 'SMS_SoftwareUpdate'" "class hint"
expect_rc 2 "type mismatch" -- S query "SELECT * FROM SMS_SoftwareUpdate WHERE CI_ID = 'abc'"
expect_err "1:48: WBEM_E_TYPE_MISMATCH" "type mismatch position"
expect_rc 2 "second statement" -- S query "SELECT * FROM SMS_SoftwareUpdate; DELETE FROM SMS_SoftwareUpdate"
expect_rc 2 "system property" -- S query "SELECT * FROM SMS_SoftwareUpdate WHERE __PATH = 'x'"
expect_rc 2 "count distinct" -- S query "SELECT DISTINCT COUNT(*) FROM SMS_SoftwareUpdate"
expect_rc 2 "explain invalid" -- S query --explain "SELECT * FROM"

# get: lazy properties included, composite keys
expect_rc 0 "get" -- S get --format json "SMS_SoftwareUpdate.CI_ID=16777217"
expect_json "d['SDMPackageXML']=='<x/>' and d['LocalizedInformation'][0]['DisplayName']=='Hi'" "get returns lazy props"
expect_json "d['__RELPATH']=='SMS_SoftwareUpdate.CI_ID=16777217' and d['BulletinID']=='None' and d['CustomSeverity']==0 and d['MaxExecutionTime']==30" "defaults and relpath"
expect_rc 0 "get composite" -- S get --format json 'SMS_ImageUpdateStatus.UpdateID=42,ImagePackageID="abc00012",ImageIndex=1'
expect_json "d['__RELPATH']=='SMS_ImageUpdateStatus.ImageIndex=1,ImagePackageID=\"ABC00012\",UpdateID=42'" "composite relpath in key order"
expect_rc 2 "get missing" -- S get "SMS_SoftwareUpdate.CI_ID=1"
expect_err "WBEM_E_NOT_FOUND" "not found name"
expect_rc 2 "bad path" -- S get "SMS_SoftwareUpdate.Nope=1"
expect_err "WBEM_E_INVALID_OBJECT_PATH" "bad path name"

# put: create, modify, rejected writes change nothing
expect_rc 0 "put create" -- S put SMS_Collection --json '{"CollectionID":"PS100010","Name":"Pilot"}'
expect_out "created SMS_Collection.CollectionID=\"PS100010\"" "created path"
expect_rc 0 "put modify" -- S put SMS_SoftwareUpdate --json '{"CI_ID":16777217,"CustomSeverity":6,"IsHidden":true}'
expect_out "modified SMS_SoftwareUpdate.CI_ID=16777217" "modified path"
expect_rc 2 "read-only" -- S put SMS_SoftwareUpdate --json '{"CI_ID":16777217,"ArticleID":"999"}'
expect_err "WBEM_E_READ_ONLY.*ArticleID" "read-only names the property"
expect_rc 2 "uint32 range" -- S put SMS_SoftwareUpdate --json '{"CI_ID":16777217,"CustomSeverity":-1}'
expect_err "WBEM_E_VALUE_OUT_OF_RANGE.*CustomSeverity" "range names the property"
expect_rc 2 "unknown property" -- S put SMS_SoftwareUpdate --json '{"CI_ID":16777217,"Bogus":1}'
expect_err "WBEM_E_INVALID_PROPERTY.*Bogus" "unknown property"
expect_rc 2 "read-only class" -- S put SMS_CIRelation --json '{"FromCIID":1,"ToCIID":2,"IsBroken":false}'
expect_rc 0 "unchanged after rejects" -- S get --format json "SMS_SoftwareUpdate.CI_ID=16777217"
expect_json "d['ArticleID']=='5034441' and d['CustomSeverity']==6 and d['IsHidden'] is True" "state after rejected writes"
expect_rc 2 "bad json" -- S put SMS_Collection --json '{"CollectionID":'

# embedded objects: __CLASS picks a subclass of the declared type
expect_rc 0 "put embedded subclass" -- S put SMS_Collection --json '{"CollectionID":"PS100011","Name":"Win11","CollectionRules":[{"__CLASS":"SMS_CollectionRuleQuery","RuleName":"w11","QueryExpression":"select * from SMS_R_System where Build like \"10.0.22%\""},{"__CLASS":"SMS_CollectionRuleDirect","RuleName":"pc1","ResourceID":16777300}]}'
expect_rc 0 "get embedded subclass" -- S get --format json 'SMS_Collection.CollectionID="PS100011"'
expect_json "[r['__CLASS'] for r in d['CollectionRules']]==['SMS_CollectionRuleQuery','SMS_CollectionRuleDirect'] and d['CollectionRules'][1]['ResourceID']==16777300" "embedded subclasses round-trip"
expect_rc 2 "embedded wrong class" -- S put SMS_Collection --json '{"CollectionID":"PS100012","Name":"x","CollectionRules":[{"__CLASS":"SMS_Site"}]}'
expect_err "WBEM_E_TYPE_MISMATCH.*CollectionRules" "embedded class checked"

# delete
expect_rc 0 "delete" -- S delete 'SMS_Collection.CollectionID="PS100010"'
expect_rc 2 "delete again" -- S delete 'SMS_Collection.CollectionID="PS100010"'
expect_err "WBEM_E_NOT_FOUND" "delete missing"

# describe, export/import round trip, all-or-nothing import
expect_rc 0 "describe" -- S describe --format json SMS_SoftwareUpdate
expect_json "d['superclass']=='SMS_ConfigurationItemBaseClass' and d['keys']==['CI_ID']" "describe json"
expect_rc 0 "export" -- S export SMS_SoftwareUpdate
cp "$TMP/out" "$TMP/export.jsonl"
if [ "$(wc -l <"$TMP/export.jsonl")" -eq 2 ]; then ok; else bad "export lines"; fi
printf '%s\n' '{"__CLASS":"SMS_Collection","CollectionID":"PS1000AA","Name":"A"}' '{"__CLASS":"SMS_Nope"}' >"$TMP/bad.jsonl"
expect_rc 2 "import all-or-nothing" -- S import "$TMP/bad.jsonl"
expect_err ":2:1: WBEM_E_INVALID_CLASS" "import error names the line"
expect_rc 2 "nothing imported" -- S get 'SMS_Collection.CollectionID="PS1000AA"'
expect_rc 0 "help" -- "$SMSPROV" query --help
expect_out "Lazy properties" "query help documents lazy rule"
finish
