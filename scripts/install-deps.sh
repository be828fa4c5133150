#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what smsprov needs to build and test on Debian 12 (idempotent).
set -euo pipefail
PKGS=(build-essential make cmake ninja-build pkg-config clang libclang-rt-14-dev
      libsqlite3-dev sqlite3 libjansson-dev libcmocka-dev python3
      libmicrohttpd-dev libgnutls28-dev libkrb5-dev libssl-dev
      krb5-kdc krb5-admin-server krb5-user curl wrk
      libxml2-dev libmspack-dev libcurl4-openssl-dev gcab
      libwim-dev wimtools libhivex-dev libhivex-bin)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
