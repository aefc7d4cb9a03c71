#!/usr/bin/env bash
# The simulator's fidelity against a real engine: builds and starts llama.cpp's
# llama-server on 127.0.0.1 (scripts/engines/llamacpp.sh, cached after the first build),
# runs scripts/fidelity.lua against it and stops it. Prints a table; asserts nothing.
#   scripts/fidelity.sh [repeats]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
engine=scripts/engines/llamacpp.sh
port=${FIDELITY_PORT:-8093}
bash "$engine" build >/dev/null
bash "$engine" model >/dev/null
url=$(bash "$engine" start "$port" 8)
trap 'bash "$engine" stop "$port" >/dev/null 2>&1 || true' EXIT
bin=.build/release/frontier
[ -x "$bin" ] || bin=.build/debug/frontier
[ -x "$bin" ] || { swift build -c release --product frontier >/dev/null; bin=.build/release/frontier; }
db=$(mktemp -d)/fidelity.db
"$bin" --db "$db" --quiet run scripts/fidelity.lua "$url" "${1:-3}"
