# SPDX-License-Identifier: MIT
# Helpers for the AdminService end-to-end tests (sourced after lib.bash):
# start the real server on a free loopback port, send requests with curl,
# check status codes and JSON bodies.

# free_port: prints a free TCP port on 127.0.0.1
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_server DB [serve options...]: starts `smsprov serve`, waits until
# it answers; sets PORT, BASE (https://127.0.0.1:PORT/AdminService) and SRV_PID.
start_server() {
    local db=$1
    shift
    local tries
    for tries in 1 2 3 4 5; do
        PORT=$(free_port)
        "$SMSPROV" --db "$db" serve --listen "127.0.0.1:$PORT" \
            --access-log "$TMP/access.log" "$@" >"$TMP/serve.log" 2>&1 &
        SRV_PID=$!
        local i
        for i in $(seq 1 100); do
            if curl -sk -o /dev/null "https://127.0.0.1:$PORT/" 2>/dev/null ||
                curl -s -o /dev/null "http://127.0.0.1:$PORT/" 2>/dev/null; then
                BASE="https://127.0.0.1:$PORT/AdminService"
                return 0
            fi
            kill -0 "$SRV_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$SRV_PID" 2>/dev/null
        wait "$SRV_PID" 2>/dev/null
    done
    echo "cannot start the server:" >&2
    cat "$TMP/serve.log" >&2
    return 1
}

# stop_server: SIGTERM and wait (bounded); prints the exit status.
stop_server() {
    kill -TERM "$SRV_PID" 2>/dev/null
    local i
    for i in $(seq 1 100); do
        kill -0 "$SRV_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SRV_PID" 2>/dev/null
    wait "$SRV_PID"
    SRV_RC=$?
    if [ "$SRV_RC" -ne 0 ]; then
        echo "server exited with $SRV_RC:" >&2
        tail -30 "$TMP/serve.log" >&2
    fi
}

# req METHOD URL [curl args...]: body -> $TMP/out, status -> $TMP/status,
# headers -> $TMP/headers.  AUTH holds the default credentials arguments.
req() {
    local m=$1 url=$2
    shift 2
    curl -sk --max-time 20 -X "$m" -o "$TMP/out" -D "$TMP/headers" \
        -w '%{http_code}' "${AUTH[@]}" "$@" "$url" >"$TMP/status" 2>"$TMP/err"
}

# expect_status CODE DESCRIPTION
expect_status() {
    local got
    got=$(cat "$TMP/status")
    if [ "$got" = "$1" ]; then ok; else
        bad "$2: HTTP $got, wanted $1"; head -c 600 "$TMP/out" >&2; echo >&2; fi
}

# expect_header REGEX DESCRIPTION
expect_header() {
    if grep -qiE -- "$1" "$TMP/headers"; then ok; else
        bad "$2: headers lack /$1/"; cat "$TMP/headers" >&2; fi
}
