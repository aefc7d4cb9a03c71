#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the team-store tests (docs/scale.md, "Tests"):
# initdb into a new temporary directory as the unprivileged `postgres` user (initdb refuses
# root), TLS on with a self-signed certificate for 127.0.0.1, password logins over TCP on a
# free loopback port. Prints shell `export` lines; use it as
#   eval "$(bash scripts/postgres/start.sh)"   ...   bash scripts/postgres/stop.sh
# The password is in PGPASSWORD only (never in the URL), as a team would pass it.
set -euo pipefail
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "start.sh: no PostgreSQL server binaries (apt-get install postgresql; scripts/deps.sh)" >&2; exit 1; }
user=postgres
if [ "$(id -u)" -eq 0 ]; then
  id "$user" >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$user"
  as() { runuser -u "$user" -- "$@"; }
else
  user=$(id -un); as() { "$@"; }
fi
dir=$(mktemp -d /tmp/frontier-pg.XXXXXX)
chmod 755 "$dir"
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$password" > "$dir/pwfile"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# A self-signed certificate for 127.0.0.1 / localhost: the client checks it with sslrootcert.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$dir/server.key" -out "$dir/server.crt" >/dev/null 2>&1
chmod 600 "$dir/server.key"
chown -R "$user" "$dir"
as "$bin/initdb" -D "$dir/data" -U "$user" --pwfile="$dir/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
rm -f "$dir/pwfile"
as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key -c max_connections=100" \
  >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
as "$bin/createdb" -h "$dir" -p "$port" -U "$user" frontier_test
echo "export FRONTIER_PG_DIR=$dir"
echo "export FRONTIER_TEST_PG_URL=postgres://$user@127.0.0.1:$port/frontier_test"
echo "export FRONTIER_TEST_PG_CA=$dir/server.crt"
echo "export PGPASSWORD=$password"
