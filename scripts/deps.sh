#!/usr/bin/env bash
# Installs the Debian packages frontier builds against, if any are missing.
set -euo pipefail
packages=(liblua5.4-dev libedit-dev libsqlite3-dev pkg-config
  openssl  # openssl: the TLS tests make their CA and certificates with it
  postgresql sqlite3  # the team-store tests start a real PostgreSQL server (scripts/postgres/) and read files with sqlite3
  python3 bc)  # scripts/postgres compare files and pick a port with python3; scripts/bench/push.sh does its arithmetic with bc
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
