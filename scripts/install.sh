#!/usr/bin/env bash
# Installs frontier under PREFIX: PREFIX/bin/frontier and its Lua stdlib in
# PREFIX/share/frontier/stdlib, where the binary looks for it.
# Usage: scripts/install.sh [PREFIX]   (default /usr/local; builds release first)
# FRONTIER_BINARY=path installs an already built binary instead.
set -euo pipefail
prefix=${1:-/usr/local}
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${FRONTIER_BINARY:-}
if [ -z "$binary" ]; then
  (cd "$root" && swift build -c release --product frontier)
  binary="$root/.build/release/frontier"
fi
install -d "$prefix/bin" "$prefix/share/frontier/stdlib"
install -m 0755 "$binary" "$prefix/bin/frontier"
cp -R "$root/stdlib/." "$prefix/share/frontier/stdlib/"
echo "installed $prefix/bin/frontier (stdlib in $prefix/share/frontier/stdlib)"
