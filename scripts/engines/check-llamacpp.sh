#!/usr/bin/env bash
# The integration suite against a real llama.cpp server, driven by the built frontier
# binary: a sweep at concurrency 1, 2, 4 with default target settings and no errors,
# llama.cpp's metrics stored, served input tokens within 2 % of requested, and
# frontier's TTFT p50 within 5 ms of a raw-socket client's (scripts/engines/raw_ttft.py).
#
#   scripts/engines/check-llamacpp.sh [URL]     # URL defaults to the server llamacpp.sh started
#
# Environment: FRONTIER_BIN (default .build/release/frontier, else .build/debug/frontier),
# CHECK_MODEL (default tiny-llama, the alias llamacpp.sh serves), CHECK_N (requests per level),
# CHECK_HEADERS ('Name: value', a header on the sweep's target, e.g. 'Connection: close').
# Prints a table and "N passed, N failed, N skipped"; exits 1 when a check failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/scripts/engines
die() { echo "check-llamacpp.sh: $*" >&2; exit 2; }

url=${1:-}
if [ -z "$url" ]; then
  url_file=$(bash "$here/llamacpp.sh" paths | awk '$1 == "url_file" { print $2 }')
  [ -f "$url_file" ] || die "no URL given and no server started by llamacpp.sh ($url_file missing): run 'scripts/engines/llamacpp.sh start' first"
  url=$(cat "$url_file")
fi
model=${CHECK_MODEL:-tiny-llama}
bin=${FRONTIER_BIN:-}
if [ -z "$bin" ]; then
  for b in "$root/.build/release/frontier" "$root/.build/debug/frontier"; do
    [ -x "$b" ] && { bin=$b; break; }
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || die "no frontier binary (looked for .build/release/frontier and .build/debug/frontier; set FRONTIER_BIN or run 'swift build')"
command -v python3 >/dev/null || die "python3 is needed for the raw-socket client"
python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "${url%/v1}/health" 2>/dev/null || die "llama-server does not answer at ${url%/v1}/health"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/frontier-llamacpp-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db=$tmp/check.db
lua=$here/check_llamacpp.lua

echo "check-llamacpp.sh: $bin against $url (model $model)"
# The TTFT requests: 25 unique 64-word prompts, 8 tokens out, sent by both clients.
"$bin" --quiet --db "$db" run "$lua" prompts "$tmp/ttft.jsonl" 25 21 64 8 \
  || die "frontier could not write the TTFT prompts"
raw_cmd="python3 '$here/raw_ttft.py' --url '$url' --model '$model' --prompts '$tmp/ttft.jsonl' --body '{\"cache_prompt\": false}'"
eval "$raw_cmd" >"$tmp/raw.json" \
  || die "the raw-socket client failed: $(cat "$tmp/raw.json" 2>/dev/null)"
set +e
# RAW_TTFT: the same raw reading again, for a second and third paired reading.
RAW_TTFT="$raw_cmd" "$bin" --quiet --db "$db" run "$lua" check "$url" "$model" "$tmp/ttft.jsonl" "$tmp/raw.json"
status=$?
set -e
if [ "$status" -ne 0 ]; then
  port=${url##*:}; port=${port%%/*}
  echo "check-llamacpp.sh: failed (frontier exited $status; server log: $(bash "$here/llamacpp.sh" paths "$port" | awk '$1 == "log" { print $2 }'))" >&2
fi
exit "$status"
