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
# One KV cache shared by the slots, as llama-server sets up itself when --parallel is
# not given. With --parallel and no --kv-unified each slot has its own KV stream and a
# step's sequences run as separate micro-batches unless their slot numbers are
# consecutive, so a step's time depends on which slots the server happened to pick
# (docs/sim.md); LLAMACPP_SERVER_ARGS= (empty) measures that set-up instead.
export LLAMACPP_SERVER_ARGS=${LLAMACPP_SERVER_ARGS---kv-unified}
url=$(bash "$engine" start "$port" 8)
trap 'bash "$engine" stop "$port" >/dev/null 2>&1 || true' EXIT
# FRONTIER_BIN names the binary; else a release build, made if missing.
bin=${FRONTIER_BIN:-.build/release/frontier}
[ -n "${FRONTIER_BIN:-}" ] || swift build -c release --product frontier >/dev/null
# The measurements stay in FIDELITY_DB (default: a new temporary file, printed) for a
# refit without measuring again: frontier --db FILE run scripts/fidelity.lua --tag TAG
db=${FIDELITY_DB:-$(mktemp -d)/fidelity.db}
echo "store: $db"
"$bin" --db "$db" --quiet run scripts/fidelity.lua "$url" "${1:-3}"
