#!/usr/bin/env bash
# Decode step time by batch size on llama.cpp's llama-server (one shared KV cache, as
# scripts/fidelity.sh starts it): the curve docs/sim.md's fidelity section quotes.
#   scripts/bench/engine-steps.sh      (FRONTIER_BIN names the client; default release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
engine=scripts/engines/llamacpp.sh
port=${STEPS_PORT:-8094}
bash "$engine" build >/dev/null
bash "$engine" model >/dev/null
url=$(LLAMACPP_SERVER_ARGS=${LLAMACPP_SERVER_ARGS---kv-unified} bash "$engine" start "$port" 8)
trap 'bash "$engine" stop "$port" >/dev/null 2>&1 || true' EXIT
bin=${FRONTIER_BIN:-.build/release/frontier}
[ -n "${FRONTIER_BIN:-}" ] || swift build -c release --product frontier >/dev/null
db=$(mktemp -d)/steps.db
"$bin" --db "$db" --quiet run scripts/bench/engine-steps.lua "$url" 2>&1 | grep -v '^warning: served input tokens'
