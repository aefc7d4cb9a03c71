#!/usr/bin/env bash
# The engine part of scripts/test.sh: build llama-server and the test model (cached),
# start the server on a free loopback port, run check-llamacpp.sh, and stop the
# server on exit whatever happened. FRONTIER_BIN names the frontier binary to drive.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
engine=scripts/engines/llamacpp.sh
bash "$engine" build >/dev/null || { echo "test-engine.sh: building llama-server failed" >&2; exit 1; }
bash "$engine" model >/dev/null || { echo "test-engine.sh: making the test model failed" >&2; exit 1; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') \
  || { echo "test-engine.sh: could not pick a free port" >&2; exit 1; }
trap 'bash "$engine" stop "$port"' EXIT
url=$(bash "$engine" start "$port" 4) || { echo "test-engine.sh: starting llama-server failed" >&2; exit 1; }
bash scripts/engines/check-llamacpp.sh "$url"
