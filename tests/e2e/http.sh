#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: `smsprov serve` on the demo database, driven with curl over
# TLS: every route and JSON shape of docs/adminservice.md, OData options
# and client quirks, create/update/delete, method routes, the WQL
# endpoint, Basic and Bearer authentication, RBAC scoping and denial,
# audit, bad input, limits (413/414/431/429, slow clients) and shutdown.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/http_lib.bash"
DB="$TMP/h.db"
S() { "$SMSPROV" --db "$DB" "$@"; }
J() { # J PYTHON-EXPR DESCRIPTION (over $TMP/out as d)
    expect_json "$1" "$2"
}

S demo >"$TMP/demo.log" 2>&1 || { echo "demo failed"; cat "$TMP/demo.log"; exit 1; }
NUPD=$(S query --format csv "SELECT COUNT(*) FROM SMS_SoftwareUpdate" | tail -1)
echo secret-pw | S admin add alice --role "Full Administrator" --scope All --password-stdin >/dev/null
TOKEN=$(S admin token alice)
expect_rc 0 "admin list" -- S admin list
expect_json "d[0]['LogonName']=='alice' and d[0]['Password'] is True and d[0]['Tokens']==1 and d[0]['Roles']==['Full Administrator']" "admin list shape"
expect_rc 2 "admin add unknown role" -- S admin add x --role "Nope"
expect_rc 2 "admin token unknown user" -- S admin token nobody

start_server "$DB" || exit 1
W="$BASE/wmi"

# ---- authentication ------------------------------------------------------
AUTH=()
req GET "$W/"
expect_status 401 "anonymous is challenged"
expect_header '^WWW-Authenticate: Basic' "Basic challenge"
expect_header '^WWW-Authenticate: Bearer' "Bearer challenge"
J "d=={'error':{'code':'401','message':'Unauthorized'}}" "401 error shape"
AUTH=(-u alice:wrong)
req GET "$W/"
expect_status 401 "wrong password"
AUTH=(-H "Authorization: Bearer nope")
req GET "$W/"
expect_status 401 "bad token"
AUTH=(-H "Authorization: NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==")
req GET "$W/"
expect_status 401 "NTLM refused"
AUTH=(-H "Authorization: Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==")
req GET "$W/"
expect_status 401 "NTLM inside Negotiate refused"
AUTH=(-u alice:secret-pw)
req GET "$W/"
expect_status 200 "Basic over TLS"
AUTH=(-H "Authorization: Bearer $TOKEN")
req GET "$W/"
expect_status 200 "Bearer token"

# ---- service documents and $metadata -----------------------------------------
J "d['@odata.context']=='$W/\$metadata' and all(set(x)=={'name','kind','url'} for x in d['value'])" "service document shape"
J "any(x['name']=='SMS_SoftwareUpdate' and x['url']=='SMS_SoftwareUpdate' and x['kind']=='EntitySet' for x in d['value'])" "service document lists classes"
expect_header '^Content-Type: application/json' "JSON content type"
req GET "$W/\$metadata"
expect_status 200 "\$metadata"
expect_out '<EntityType Name="SMS_SoftwareUpdate"' "EntityType per class"
expect_out '<EntitySet Name="SMS_SoftwareUpdate" EntityType="AdminService.SMS_SoftwareUpdate"/>' "EntitySet per class"
expect_out '<Key><PropertyRef Name="CI_ID"/></Key>' "keys"
expect_out '<Property Name="CI_ID" Type="Edm.Int64"' "UInt32 is Edm.Int64"
expect_out '<Property Name="DatePosted" Type="Edm.DateTimeOffset"' "DateTime is Edm.DateTimeOffset"
expect_out '<Property Name="__PATH" Type="Edm.String"/>' "system properties"
expect_out '<Action Name="AcceptEULA" IsBound="true"><Parameter Name="bindingParameter" Type="AdminService.SMS_SoftwareUpdate"/>' "bound action"
expect_out '<ActionImport Name="SMS_SoftwareUpdate.SyncNow" Action="AdminService.SMS_SoftwareUpdate.SyncNow"/>' "action import"
python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse('$TMP/out')" && ok || bad "\$metadata is well-formed XML"
req GET "$BASE/v1.0/"
expect_status 200 "v1.0 service document"
J "d['value']==[] and d['@odata.context'].endswith('/v1.0/\$metadata')" "v1.0 service document shape"
req GET "$BASE/v1.0/\$metadata"
expect_status 200 "v1.0 \$metadata (health check)"
req GET "$BASE/v1.0/Device"
expect_status 404 "v1.0 entity we do not have"
J "d['error']['code']=='404'" "v1.0 404 is an OData error"
req GET "$BASE/nothing/here"
expect_status 404 "unknown route"

# ---- collections -----------------------------------------------------------
req GET "$W/SMS_SoftwareUpdate"
expect_status 200 "collection"
J "list(d)==['@odata.context','value'] and d['@odata.context']=='$W/\$metadata#SMS_SoftwareUpdate'" "collection top level"
J "len(d['value'])==$NUPD" "whole result, no paging"
J "list(d['value'][0])[:3]==['@odata.etag','__LAZYPROPERTIES','__QUALIFIER_SECURITYVERBS']" "first keys in order"
J "d['value'][0]['__QUALIFIER_SECURITYVERBS'] is None and d['value'][0]['__LAZYPROPERTIES'][0]=='__QUALIFIER_SECURITYVERBS' and 'SDMPackageXML' in d['value'][0]['__LAZYPROPERTIES']" "lazy list"
J "d['value'][0]['SDMPackageXML'] is None" "lazy properties null in enumerations"
J "d['value'][0]['@odata.etag']==str(d['value'][0]['CI_ID'])" "etag is the key value"
J "(lambda k: [x for x in k if not x.startswith('_') and not x.startswith('@') and x not in ('LocalizedEulas','LocalizedInformation','SDMPackageLocalizedData')]==sorted([x for x in k if not x.startswith('_') and not x.startswith('@') and x not in ('LocalizedEulas','LocalizedInformation','SDMPackageLocalizedData')], key=lambda s:s.lower()))(list(d['value'][0]))" "properties sorted case-insensitively"
J "(lambda k: k[k.index('__GENUS'):k.index('__GENUS')+10]==['__GENUS','__CLASS','__SUPERCLASS','__DYNASTY','__RELPATH','__PROPERTY_COUNT','__DERIVATION','__SERVER','__NAMESPACE','__PATH'])(list(d['value'][0]))" "WMI system properties in order"
J "d['value'][0]['__GENUS']==2 and d['value'][0]['__CLASS']=='SMS_SoftwareUpdate' and d['value'][0]['__RELPATH']=='SMS_SoftwareUpdate.CI_ID=%d'%d['value'][0]['CI_ID'] and d['value'][0]['__NAMESPACE'].startswith('root\\\\sms\\\\site_') and 'SMS_BaseClass' in d['value'][0]['__DERIVATION']" "system property values"
J "d['value'][0]['DatePosted'].endswith('Z') and 'T' in d['value'][0]['DatePosted']" "ISO-8601 Z dates"
J "isinstance(d['value'][0]['IsExpired'], bool) and isinstance(d['value'][0]['CategoryInstance_UniqueIDs'], list)" "booleans and arrays"
J "(lambda k: k.index('__PATH') < k.index('LocalizedInformation'))(list(d['value'][0]))" "embedded objects last"

req GET "$W/SMS_SoftwareUpdate?\$select=ArticleID,IsExpired"
J "len(d['value'])==$NUPD and all(set(x)=={'ArticleID','IsExpired'} for x in d['value'])" "\$select: only the selected properties, no collapsing"
req GET "$W/SMS_SoftwareUpdate?\$select=ArticleID,%20CI_ID&\$filter=ArticleID%20eq%20'5034441'"
J "d['value']==[{'ArticleID':'5034441','CI_ID':d['value'][0]['CI_ID']}] and d['@odata.context'].endswith('#SMS_SoftwareUpdate')" "\$select with a blank after the comma; context has no select list"
# quirks: lower-case class, slash before ?, + for spaces, trailing blank, odata=verbose
req GET "$W/sms_softwareupdate/?\$filter=ArticleID+eq+'5034441'+&\$select=ArticleID" -H "Content-Type: application/json; odata=verbose"
expect_status 200 "client quirks"
J "d['value']==[{'ArticleID':'5034441'}]" "quirks give the row"
req GET "$W/SMS_SoftwareUpdate?\$filter=startswith(ArticleID,'5034')%20eq%20true&\$select=ArticleID"
J "len(d['value'])>0 and all(x['ArticleID'].startswith('5034') for x in d['value'])" "startswith eq true"
req GET "$W/SMS_SoftwareUpdate?\$filter=startswith(ArticleID,'5034')&\$select=ArticleID"
N1=$(python3 -c "import json; print(len(json.load(open('$TMP/out'))['value']))")
req GET "$W/SMS_SoftwareUpdate?\$filter=not%20startswith(ArticleID,'5034')&\$select=ArticleID"
J "len(d['value'])+$N1==$NUPD" "not startswith"
req GET "$W/SMS_SoftwareUpdate?\$filter=contains(LocalizedDisplayName,'Windows')%20and%20(IsExpired%20eq%20false%20or%20IsSuperseded%20eq%20true)&\$select=LocalizedDisplayName"
J "len(d['value'])>0 and all('windows' in x['LocalizedDisplayName'].lower() for x in d['value'])" "contains, and/or, parentheses"
req GET "$W/SMS_SoftwareUpdate?\$filter=ArticleID%20in%20('5034441','5034123')&\$select=ArticleID"
J "sorted(x['ArticleID'] for x in d['value'])==['5034123','5034441']" "in (...)"
req GET "$W/SMS_SoftwareUpdate?\$filter=CategoryInstance_UniqueIDs/any(c:%20startswith(c,'Product:'))&\$select=CI_ID"
J "len(d['value'])==$NUPD" "lambda any on an array"
req GET "$W/SMS_SoftwareUpdate?\$filter=CI_ID%20ge%2016777220%20and%20CI_ID%20lt%2016777230&\$select=CI_ID&\$orderby=CI_ID%20desc"
J "[x['CI_ID'] for x in d['value']]==list(range(16777229,16777219,-1))" "ge/lt and \$orderby desc"
req GET "$W/SMS_SoftwareUpdate?\$select=CI_ID&\$orderby=CI_ID&\$top=3&\$skip=2&\$count=true"
J "d['@odata.count']==$NUPD and [x['CI_ID'] for x in d['value']]==[16777219,16777220,16777221] and list(d)[:3]==['@odata.context','@odata.count','value']" "\$top \$skip \$count"
req GET "$W/SMS_SoftwareUpdate/\$count"
expect_status 200 "/\$count"
expect_out "^$NUPD\$" "/\$count is the number"
req GET "$W/SMS_SoftwareUpdate?\$select=CI_ID&\$orderby=CI_ID&\$filter=CI_ID%20gt%2016777300" -H "Prefer: odata.maxpagesize=10"
J "len(d['value'])==10 and '@odata.nextLink' in d" "Prefer: odata.maxpagesize pages"
NEXT=$(python3 -c "import json; print(json.load(open('$TMP/out'))['@odata.nextLink'])")
FIRST=$(python3 -c "import json; print(json.load(open('$TMP/out'))['value'][-1]['CI_ID'])")
req GET "$NEXT" -H "Prefer: odata.maxpagesize=10"
J "d['value'][0]['CI_ID']==$FIRST+1 and all(x['CI_ID']>16777300 for x in d['value'])" "nextLink keeps the options"

# errors
req GET "$W/SMS_SoftwareUpdate?\$filter=ArticleID%20eq"
expect_status 400 "bad \$filter"
J "d['error']['code']=='400' and 'position 13' in d['error']['message']" "\$filter error has the position"
req GET "$W/SMS_SoftwareUpdate?\$filter=Nope%20eq%201"
expect_status 400 "unknown property in \$filter"
J "'WBEM_E_INVALID_PROPERTY' in d['error']['message']" "unknown property named"
req GET "$W/SMS_SoftwareUpdate?\$top=-1"
expect_status 400 "bad \$top"
req GET "$W/SMS_NoSuchClass"
expect_status 404 "unknown class"
J "d['error']['code']=='404'" "404 error body"

# ---- single instances ------------------------------------------------------
req GET "$W/SMS_SoftwareUpdate(16777220)"
expect_status 200 "get by key"
J "d['@odata.context']=='$W/\$metadata#SMS_SoftwareUpdate' and len(d['value'])==1 and d['value'][0]['CI_ID']==16777220" "wrapped in value:[...]"
J "d['value'][0]['SDMPackageXML'] is not None" "lazy properties filled on get"
req GET "$W/SMS_SoftwareUpdate/16777220"
J "d['value'][0]['CI_ID']==16777220" "path-segment key"
req GET "$W/sms_softwareupdate('16777220')"
J "d['value'][0]['CI_ID']==16777220" "quoted numeric key, lower-case class"
req GET "$W/SMS_SoftwareUpdate(1)"
expect_status 404 "missing key"
req GET "$W/SMS_SoftwareUpdate(abc)"
expect_status 404 "malformed key"
req GET "$W/SMS_Collection('SMS00001')"
J "d['value'][0]['CollectionID']=='SMS00001' and 'CollectionRules' in d['value'][0]" "string key"
req GET "$W/SMS_Collection/SMS00001"
J "d['value'][0]['CollectionID']=='SMS00001' and d['value'][0]['@odata.etag']=='SMS00001'" "string key as path segment"
REL=$(S query --format json "SELECT FromCIID, ToCIID, IsBroken FROM SMS_CIRelation" | python3 -c "import json,sys; r=json.load(sys.stdin)[0]; print('FromCIID=%d,IsBroken=%s,ToCIID=%d'%(r['FromCIID'],str(r['IsBroken']).lower(),r['ToCIID']))")
req GET "$W/SMS_CIRelation($REL)"
expect_status 200 "composite key by name"
J "len(d['value'])==1 and d['value'][0]['@odata.etag'].count(';')==2" "composite etag joined by ;"
req GET "$W/SMS_CIRelation(1)"
expect_status 400 "composite key must be named"

# ---- create, update, delete ----------------------------------------------------
req POST "$W/SMS_Collection" -H "Content-Type: application/json" -d '{"Name":"E2E coll","LimitToCollectionID":"SMS00001","Comment":""}'
expect_status 201 "POST creates"
J "d['@odata.context']=='$W/\$metadata#SMS_Collection/\$entity' and d['__QUALIFIER_SECURITYVERBS']==-1 and d['CollectionID'] and d['@odata.etag']==d['CollectionID'] and d['Name']=='E2E coll'" "created entity, bare, keys assigned"
NEWID=$(python3 -c "import json; print(json.load(open('$TMP/out'))['CollectionID'])")
req PUT "$W/SMS_Collection('$NEWID')" -H "Content-Type: application/json" -d '{"Comment":"changed"}'
expect_status 200 "PUT updates"
J "d['Comment']=='changed' and d['Name']=='E2E coll'" "PUT keeps other properties"
req PATCH "$W/SMS_Collection/$NEWID" -d '{"Name":"E2E renamed"}'
expect_status 200 "PATCH updates"
req GET "$W/SMS_Collection('$NEWID')"
J "d['value'][0]['Name']=='E2E renamed' and d['value'][0]['Comment']=='changed'" "changes stored"
req POST "$W/SMS_Collection" -d '{"Name": '
expect_status 400 "bad JSON"
J "'malformed JSON' in d['error']['message']" "bad JSON message"
req POST "$W/SMS_Collection" -d '[1,2]'
expect_status 400 "JSON that is not an object"
req POST "$W/SMS_Collection" -d '{"Name":"x","NoSuchProperty":1}'
expect_status 400 "unknown property"
req POST "$W/SMS_Collection" -d '{"Name":"x","CollectionType":2}'
expect_status 400 "read-only property"
J "'CollectionType' in d['error']['message']" "qualifier violation names the property"
req DELETE "$W/SMS_Collection('$NEWID')"
expect_status 204 "DELETE"
[ ! -s "$TMP/out" ] && ok || bad "204 has no body"
req GET "$W/SMS_Collection('$NEWID')"
expect_status 404 "deleted"
req DELETE "$W/SMS_Collection('$NEWID')"
expect_status 404 "delete missing"

# ---- methods -----------------------------------------------------------------
req POST "$W/SMS_SoftwareUpdate(16777220)/AdminService.NoSuchMethod" -d '{}'
expect_status 400 "unknown method"
J "'WBEM_E_INVALID_METHOD' in d['error']['message']" "unknown method names the WMI error"
req POST "$W/SMS_SoftwareUpdate.NoSuchMethod" -d ''
expect_status 400 "unknown static method"
req POST "$W/SMS_SoftwareUpdate(16777220)/AdminService.AcceptEULA" -d '{"Accepted":true}'
python3 -c "import json,sys; s=int(open('$TMP/status').read()); d=json.load(open('$TMP/out')); sys.exit(0 if (s==201 and 'ReturnValue' in d and d['@odata.context'].endswith('#__PARAMETERS')) or (s==400 and 'WBEM_E_INVALID_OPERATION' in d['error']['message']) else 1)" && ok || bad "instance method reaches provider_invoke"
EULA_ID=$(S query --format csv "SELECT CI_ID FROM SMS_SoftwareUpdate WHERE EULAExists = TRUE" | sed -n 2p)
if [ -n "$EULA_ID" ]; then
    req POST "$W/SMS_SoftwareUpdate($EULA_ID)/AdminService.AcceptEULA" -H "Content-Type: application/json; odata=verbose" -d '{"Accepted":"true"}'
    python3 -c "import json,sys; s=int(open('$TMP/status').read()); d=json.load(open('$TMP/out')); sys.exit(0 if s==201 and d['ReturnValue']==0 and d['@odata.context'].endswith('\$metadata#__PARAMETERS') else 1)" && ok || bad "AcceptEULA answers 201 with ReturnValue"
    req GET "$W/SMS_SoftwareUpdate($EULA_ID)"
    J "d['value'][0]['EULAAccepted']==1 and d['value'][0]['EULASignoffUser']=='alice'" "the method ran as the authenticated caller"
    req POST "$W/SMS_SoftwareUpdate($EULA_ID)/AdminService.GetEULA" -d ''
    J "d['ReturnValue']==0 and len(d['EULA'])>20" "GetEULA over HTTP with an empty body"
    req GET "$W/SMSPROV_AuditRecord?\$filter=MethodName%20eq%20'AcceptEULA'"
    J "any(r['UserName']=='alice' and r['ResultCode']==0 for r in d['value'])" "method calls are audited with the caller"
fi
req POST "$W/SMS_SoftwareUpdate(16777220)/AdminService.AcceptEULA" -d '{"NoSuchParam":true}'
python3 -c "import json,sys; s=int(open('$TMP/status').read()); d=json.load(open('$TMP/out')); sys.exit(0 if s>=400 and 'WBEM_E_' in d['error']['message'] else 1)" && ok || bad "bad parameter is a WMI error"
req GET "$W/SMS_SoftwareUpdate.SyncNow"
python3 -c "import json,sys; s=int(open('$TMP/status').read()); d=json.load(open('$TMP/out')); sys.exit(0 if s==201 or (s not in (404,405) and 'WBEM_E_' in d['error']['message']) else 1)" && ok || bad "static method by GET reaches provider_invoke"
req POST "$W/SMS_SoftwareUpdate(99)/AdminService.AcceptEULA" -d '"{}"'
python3 -c "import json,sys; s=int(open('$TMP/status').read()); sys.exit(0 if s in (400,404) else 1)" && ok || bad "method on a missing instance"

# ---- WQL endpoint ------------------------------------------------------------
req POST "$W/\$query" -H "Content-Type: text/plain" --data-binary "SELECT COUNT(*) FROM SMS_SoftwareUpdate"
expect_status 200 "\$query COUNT"
J "d['value']==[{'Count':$NUPD}]" "\$query COUNT result"
req POST "$W/\$query" -d '{"query":"SELECT u.ArticleID, r.RelationType FROM SMS_SoftwareUpdate AS u JOIN SMS_CIRelation AS r ON r.FromCIID = u.CI_ID WHERE r.RelationType = 6"}'
J "len(d['value'])>0 and set(d['value'][0])=={'u','r'}" "\$query join"
req GET "$W/\$query?query=SELECT+DISTINCT+IsExpired+FROM+SMS_SoftwareUpdate"
J "sorted(x['IsExpired'] for x in d['value'])==[False,True]" "\$query DISTINCT by GET"
req POST "$W/\$query" --data-binary "SELECT FROM X"
expect_status 400 "bad WQL"
J "'position' in d['error']['message']" "WQL error position"

# ---- RBAC ----------------------------------------------------------------------
SCOPE=$(S admin scope "Scope A" --description e2e)
[ -n "$SCOPE" ] && ok || bad "admin scope prints the CategoryID"
req GET "$W/SMS_SecuredCategory('$SCOPE')"
J "d['value'][0]['CategoryName']=='Scope A' and d['value'][0]['IsBuiltIn'] is False" "the scope is an SMS_SecuredCategory"
req POST "$W/SMS_SecuredCategoryMembership" -d "{\"CategoryID\":\"$SCOPE\",\"ObjectKey\":\"SMS00001\",\"ObjectTypeID\":1}"
expect_status 201 "put SMS00001 into the scope"
req POST "$W/SMS_SecuredCategoryMembership" -d "{\"CategoryID\":\"$SCOPE\",\"ObjectKey\":\"16777220\",\"ObjectTypeID\":25}"
expect_status 201 "put update 16777220 into the scope"
echo bob-pw | S admin add bob --role "Read-only Analyst" --scope "Scope A" --password-stdin >/dev/null
S admin add carol --role SMS0002R >/dev/null
BOB=$(S admin token bob)
CAROL=$(S admin token carol)
NCOLL=$(S query --format csv "SELECT COUNT(*) FROM SMS_Collection" | tail -1)
AUTH=(-H "Authorization: Bearer $BOB")
req GET "$W/SMS_Collection?\$select=CollectionID"
expect_status 200 "scoped read"
J "d['value']==[{'CollectionID':'SMS00001'}]" "scoped user sees only its scope"
req GET "$W/SMS_Collection('SMS00002')"
expect_status 404 "out-of-scope get is absent"
req GET "$W/SMS_Collection('SMS00001')"
expect_status 200 "in-scope get"
req GET "$W/SMS_SoftwareUpdate/\$count"
expect_out "^1\$" "default-scope objects hidden from a Scope A user"
req POST "$W/\$query" --data-binary "SELECT CollectionID FROM SMS_Collection"
J "d['value']==[{'CollectionID':'SMS00001'}]" "WQL is scoped too"
req POST "$W/SMS_Collection" -d '{"Name":"bob was here","LimitToCollectionID":"SMS00001"}'
expect_status 403 "read-only analyst cannot create"
J "d['error']['code']=='403' and 'WBEM_E_ACCESS_DENIED' in d['error']['message']" "403 body"
req PUT "$W/SMS_Collection('SMS00001')" -d '{"Comment":"bob"}'
expect_status 403 "read-only analyst cannot modify"
req DELETE "$W/SMS_Collection('SMS00001')"
expect_status 403 "read-only analyst cannot delete"
req POST "$W/SMS_SoftwareUpdate(16777220)/AdminService.SetEnforcement" -d '{"Enforced":true,"EffectiveDate":"2025-01-01T00:00:00Z"}'
expect_status 403 "read-only analyst cannot call methods on its objects"
J "'WBEM_E_ACCESS_DENIED' in d['error']['message']" "method denial names the WMI error"
req GET "$W/SMS_SoftwareUpdate(16777221)"
expect_status 404 "an update outside the scope is absent"
req POST "$W/SMS_SoftwareUpdate(16777221)/AdminService.AcceptEULA" -d '{"Accepted":true}'
python3 -c "import sys; s=int(open('$TMP/status').read()); sys.exit(0 if s in (403,404) else 1)" && ok || bad "read-only analyst cannot call methods on out-of-scope objects (got $(cat $TMP/status))"
req POST "$W/SMS_SoftwareUpdate.SyncNow" -d '{"fullSync":false}'
expect_status 403 "read-only analyst cannot call static methods"
AUTH=(-u bob:bob-pw)
req GET "$W/SMS_Collection/\$count"
expect_out "^1\$" "Basic user scoped the same way"
AUTH=(-H "Authorization: Bearer $CAROL")
req GET "$W/SMS_Collection/\$count"
expect_out "^$((NCOLL - 1))\$" "Default-scope user sees the unscoped objects"
expect_rc 0 "nothing changed" -- S query --format csv "SELECT COUNT(*) FROM SMS_Collection"
expect_out "^$NCOLL\$" "collection count unchanged after denials"
expect_rc 0 "SMS00001 unchanged" -- S get --format json "SMS_Collection.CollectionID=\"SMS00001\""
expect_json "d.get('Comment')!='bob'" "denied PUT changed nothing"

# ---- audit -------------------------------------------------------------------------
AUTH=(-H "Authorization: Bearer $TOKEN")
req GET "$W/SMSPROV_AuditRecord?\$select=Operation,UserName,ResultName,ClassName,MethodName,ObjectPath&\$orderby=AuditID"
J "any(x['Operation']=='Create' and x['UserName']=='alice' and x['ResultName']=='WBEM_S_NO_ERROR' for x in d['value'])" "audit: create by alice"
J "any(x['Operation']=='Delete' and x['UserName']=='alice' for x in d['value'])" "audit: delete"
J "any(x['Operation']=='Modify' and x['UserName']=='bob' and x['ResultName']=='WBEM_E_ACCESS_DENIED' for x in d['value'])" "audit: denied modify by bob"
J "any(x['Operation']=='Method' and x['MethodName']=='AcceptEULA' for x in d['value'])" "audit: method calls"
req POST "$W/SMSPROV_AuditRecord" -d '{"Operation":"forged"}'
expect_status 400 "audit records cannot be forged"

# ---- limits -----------------------------------------------------------------------
head -c 5000000 /dev/zero | tr '\0' 'a' >"$TMP/big"
req POST "$W/SMS_Collection" --data-binary @"$TMP/big"
expect_status 413 "oversized body"
req GET "$W/SMS_SoftwareUpdate" -H "X-Big: $(head -c 70000 /dev/zero | tr '\0' 'b')"
python3 -c "import sys; s=int(open('$TMP/status').read()); sys.exit(0 if s in (413,431) else 1)" && ok || bad "oversized headers (got $(cat $TMP/status))"
req GET "$W/SMS_SoftwareUpdate?\$filter=$(head -c 9000 /dev/zero | tr '\0' 'a')"
python3 -c "import sys; s=int(open('$TMP/status').read()); sys.exit(0 if s in (413,414) else 1)" && ok || bad "oversized URI (got $(cat $TMP/status))"
# slowloris: a client that never finishes its headers is dropped, others served
python3 - "$PORT" <<'PY' && ok || bad "slow partial request is bounded"
import socket, ssl, sys, time
port = int(sys.argv[1])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
s.sendall(b"GET /AdminService/wmi/ HTTP/1.1\r\nHost: x\r\n")
t0 = time.time(); s.settimeout(30)
try:
    while s.recv(1024):
        pass
except Exception:
    pass
sys.exit(0 if time.time() - t0 < 25 else 1)
PY
req GET "$W/"
expect_status 200 "still serving after the slow client"

stop_server
[ "$SRV_RC" -eq 0 ] && ok || bad "SIGTERM: clean exit (rc $SRV_RC)"
python3 -c "
import json
lines=[json.loads(l) for l in open('$TMP/access.log')]
assert all(set(l)>={'time','client','user','method','uri','status','ms'} for l in lines)
assert any(l['user']=='alice' and l['status']==200 for l in lines)
assert any(l['status']==401 and l['user']=='-' for l in lines)
" && ok || bad "structured access log"

# ---- per-IP limit: 429 with Retry-After -----------------------------------------------
start_server "$DB" --per-ip-limit 2 || exit 1
AUTH=(-H "Authorization: Bearer $TOKEN")
python3 - "$PORT" "$TOKEN" <<'PY' && ok || bad "per-IP limit answers 429 with Retry-After"
import socket, ssl, sys
port, tok = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
held = []
for i in range(2):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
    s.sendall(("POST /AdminService/wmi/$query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 100\r\n\r\nSELECT" % tok).encode())
    held.append(s)
import time; time.sleep(0.5)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
s.sendall(("GET /AdminService/wmi/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n" % tok).encode())
s.settimeout(10)
data = b""
while True:
    c = s.recv(4096)
    if not c:
        break
    data += c
head = data.split(b"\r\n\r\n")[0].decode()
ok = head.startswith("HTTP/1.1 429") and "Retry-After: 1" in head
print(head) if not ok else None
sys.exit(0 if ok else 1)
PY
stop_server

# --insecure-http only on loopback; bad options
expect_rc 2 "insecure on a public address" -- S serve --listen 0.0.0.0:1 --insecure-http
expect_err "loopback" "insecure refusal message"
expect_rc 2 "bad --listen" -- S serve --listen nowhere
# plain HTTP on loopback: Bearer works, Basic is refused
start_server "$DB" --insecure-http || exit 1
curl -s -o "$TMP/out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/AdminService/wmi/" >"$TMP/status"
expect_status 200 "insecure-http with a token"
J "d['@odata.context'].startswith('http://')" "context URL follows the scheme"
curl -s -o "$TMP/out" -w '%{http_code}' -u alice:secret-pw "http://127.0.0.1:$PORT/AdminService/wmi/" >"$TMP/status"
expect_status 401 "no Basic without TLS"
stop_server

finish
