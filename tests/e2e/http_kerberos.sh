#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end: HTTP Negotiate with real Kerberos.  Starts an MIT KDC on
# loopback with a throw-away realm in a temp dir (kdb5_util, kadmin.local),
# makes a keytab for HTTP/localhost, runs `smsprov serve --keytab`, kinit
# and `curl --negotiate`: a mapped principal gets in with its role, an
# unmapped one is refused.  Skips (exit 0) only when the Kerberos packages
# are missing; CI installs them (scripts/install-deps.sh).
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/http_lib.bash"
export PATH="$PATH:/usr/sbin:/sbin"
for tool in krb5kdc kdb5_util kadmin.local kinit kdestroy; do
    if ! command -v "$tool" >/dev/null; then
        echo "SKIP: $tool not installed (Debian krb5-kdc, krb5-admin-server, krb5-user)"
        echo "$(basename "$0" .sh): 0 passed, 0 failed, 1 skipped"
        exit 0
    fi
done
if ! curl -V | grep -qiE 'GSS-API|SPNEGO'; then
    echo "SKIP: curl has no GSS-API support"
    echo "$(basename "$0" .sh): 0 passed, 0 failed, 1 skipped"
    exit 0
fi

K="$TMP/krb"
mkdir -p "$K"
KDC_PORT=$(free_port)
REALM=E2E.TEST
cat >"$K/krb5.conf" <<EOF
[libdefaults]
    default_realm = $REALM
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    udp_preference_limit = 1
[realms]
    $REALM = {
        kdc = 127.0.0.1:$KDC_PORT
    }
[domain_realm]
    localhost = $REALM
EOF
cat >"$K/kdc.conf" <<EOF
[kdcdefaults]
    kdc_ports = $KDC_PORT
    kdc_tcp_ports = $KDC_PORT
[realms]
    $REALM = {
        database_name = $K/principal
        key_stash_file = $K/stash
        acl_file = $K/kadm5.acl
        kdc_ports = $KDC_PORT
        kdc_tcp_ports = $KDC_PORT
        max_life = 1h
        supported_enctypes = aes256-cts-hmac-sha1-96:normal
    }
[logging]
    kdc = FILE:$K/kdc.log
EOF
: >"$K/kadm5.acl"
export KRB5_CONFIG="$K/krb5.conf" KRB5_KDC_PROFILE="$K/kdc.conf"
export KRB5CCNAME="FILE:$K/ccache" KRB5RCACHETYPE=none

expect_rc 0 "create the realm" -- kdb5_util -r $REALM create -s -P master-pw
kadmin.local -r $REALM -q "addprinc -pw kerb-pw kerbuser" >/dev/null 2>&1
kadmin.local -r $REALM -q "addprinc -pw other-pw stranger" >/dev/null 2>&1
kadmin.local -r $REALM -q "addprinc -randkey HTTP/localhost" >/dev/null 2>&1
kadmin.local -r $REALM -q "ktadd -k $K/http.keytab HTTP/localhost" >/dev/null 2>&1
[ -s "$K/http.keytab" ] && ok || bad "keytab written"
krb5kdc -n -r $REALM >"$K/kdc.out" 2>&1 &
KDC_PID=$!
trap 'kill $KDC_PID 2>/dev/null; kill $SRV_PID 2>/dev/null; rm -rf "$TMP"' EXIT
sleep 0.5

DB="$TMP/k.db"
S() { "$SMSPROV" --db "$DB" "$@"; }
S init >/dev/null
expect_rc 0 "map the principal" -- S admin add kerbadmin --role "Read-only Analyst" --scope All --principal kerbuser@$REALM
start_server "$DB" --keytab "$K/http.keytab" || exit 1
grep -q "Kerberos enabled" "$TMP/serve.log" && ok || bad "server announces Kerberos"

URL="https://localhost:$PORT/AdminService/wmi/"
AUTH=()
req GET "$URL"
expect_status 401 "anonymous"
expect_header '^WWW-Authenticate: Negotiate' "Negotiate challenge"

ok_kinit=1
for i in 1 2 3 4 5; do
    if echo kerb-pw | kinit kerbuser@$REALM >"$K/kinit.out" 2>&1; then ok_kinit=0; break; fi
    sleep 0.5
done
[ $ok_kinit -eq 0 ] && ok || { bad "kinit"; cat "$K/kinit.out" "$K/kdc.log" >&2; }
AUTH=(--negotiate -u :)
req GET "$URL"
expect_status 200 "curl --negotiate with a mapped principal"
J() { expect_json "$1" "$2"; }
J "any(x['name']=='SMS_SoftwareUpdate' for x in d['value'])" "service document over Kerberos"
req GET "${URL}SMS_Admin?\$select=LogonName"
expect_status 200 "a query as the Kerberos user"
J "d['value']==[{'LogonName':'kerbadmin'}]" "the principal maps to its admin user"
req POST "${URL}SMS_Collection" -d '{"Name":"x","LimitToCollectionID":"SMS00001"}'
expect_status 403 "its role applies (read-only)"
grep -q '"user":"kerbadmin"' "$TMP/access.log" && ok || bad "access log names the Kerberos user"

kdestroy >/dev/null 2>&1
echo other-pw | kinit stranger@$REALM >/dev/null 2>&1
req GET "$URL"
expect_status 401 "an unmapped principal is refused"
kdestroy >/dev/null 2>&1
req GET "$URL"
expect_status 401 "no ticket"

stop_server
[ "$SRV_RC" -eq 0 ] && ok || bad "clean exit"
kill $KDC_PID 2>/dev/null
wait $KDC_PID 2>/dev/null
finish
