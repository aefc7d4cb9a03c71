#!/usr/bin/env bash
# A real inference engine for the test suite: llama.cpp's llama-server, built from
# the llama-cpp-python source distribution on PyPI (which vendors llama.cpp), serving
# a tiny random-weight llama model synthesized here. Nothing is downloaded but the
# sdist and Python/Debian packages; everything built is cached outside the repository.
#
#   scripts/engines/llamacpp.sh build                 # llama-server (about 8 min cold on 2 idle cores, instant cached)
#   scripts/engines/llamacpp.sh model                 # the tiny GGUF model (seconds)
#   scripts/engines/llamacpp.sh start [port] [parallel]   # prints http://127.0.0.1:PORT/v1
#   scripts/engines/llamacpp.sh stop [port]           # the latest started, by default
#   scripts/engines/llamacpp.sh status [port]
#   scripts/engines/llamacpp.sh paths [port]          # cache, binary, model, log
#
# Environment: FRONTIER_CACHE (default ~/.cache/frontier), LLAMACPP_THREADS (default 1),
# LLAMACPP_CTX_PER_SLOT (default 1024), LLAMACPP_SERVER_ARGS (more llama-server options,
# e.g. --kv-unified).
set -euo pipefail

version=0.3.36                       # llama-cpp-python sdist; vendors its own llama.cpp
here=$(cd "$(dirname "$0")" && pwd)
cache=${FRONTIER_CACHE:-$HOME/.cache/frontier}/llamacpp/$version
bin=$cache/bin/llama-server
model=$cache/model/tiny-llama.gguf
runs=$cache/run                      # one folder per port: pid, log, url; "last" names the latest port
set_port() { run_dir=$runs/$1; pid_file=$run_dir/llama-server.pid; log_file=$run_dir/llama-server.log; url_file=$run_dir/url; }
last_port() { cat "$runs/last" 2>/dev/null || true; }

die() { echo "llamacpp.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

apt_install() {        # apt_install pkg... : installs the Debian packages that are missing
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "llamacpp.sh: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

python=${PYTHON:-python3}
pip_install() {        # pip_install module=package... : installs the Python packages that are missing
  local missing=() spec
  for spec in "$@"; do
    "$python" -c "import ${spec%%=*}" >/dev/null 2>&1 || missing+=("${spec#*=}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "llamacpp.sh: installing Python packages: ${missing[*]}" >&2
  "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore "${missing[@]}" \
    || die "pip install ${missing[*]} failed"
}

cmd_build() {
  if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  command -v "$python" >/dev/null || die "no $python: Python 3 is needed to download the sdist"
  apt_install cmake ninja-build build-essential
  local t0 work sdist src jobs
  t0=$(now)
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/build.XXXXXX")
  echo "llamacpp.sh: downloading llama-cpp-python==$version source distribution" >&2
  "$python" -m pip download -q --disable-pip-version-check --no-binary :all: --no-deps \
    -d "$work" "llama-cpp-python==$version" >&2 || die "pip download llama-cpp-python==$version failed"
  sdist=$(ls "$work"/llama_cpp_python-*.tar.gz 2>/dev/null | head -1)
  [ -n "$sdist" ] || die "pip download left no llama_cpp_python-*.tar.gz in $work"
  tar -xzf "$sdist" -C "$work" || die "could not unpack $sdist"
  src=$(ls -d "$work"/llama_cpp_python-*/vendor/llama.cpp 2>/dev/null | head -1)
  [ -f "$src/CMakeLists.txt" ] || die "no vendor/llama.cpp/CMakeLists.txt in $sdist"
  jobs=${LLAMACPP_JOBS:-$(nproc)}
  echo "llamacpp.sh: building llama-server from $(basename "$sdist") with $jobs jobs (about 8 min on 2 idle cores, longer on busy ones)" >&2
  # The UI flags keep the build offline (otherwise it downloads a prebuilt web UI);
  # OpenSSL off: loopback HTTP only; static: one self-contained binary to cache.
  cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_OPENSSL=OFF -DBUILD_SHARED_LIBS=OFF -DGGML_NATIVE=ON \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_CURL=OFF \
    >"$work/cmake.log" 2>&1 || { tail -30 "$work/cmake.log" >&2; die "cmake configure failed (log above)"; }
  cmake --build "$work/build" --target llama-server -j "$jobs" >"$work/build.log" 2>&1 \
    || { tail -40 "$work/build.log" >&2; die "building llama-server failed (log above)"; }
  [ -x "$work/build/bin/llama-server" ] || die "the build finished without $work/build/bin/llama-server"
  mkdir -p "$cache/bin"
  cp "$work/build/bin/llama-server" "$bin.tmp" && mv "$bin.tmp" "$bin"
  rm -rf "$work"
  echo "llamacpp.sh: built $bin in $(elapsed "$t0") s" >&2
  echo "$bin"
}

cmd_model() {
  if [ -f "$model" ]; then echo "$model"; return 0; fi
  command -v "$python" >/dev/null || die "no $python: Python 3 is needed to write the model"
  pip_install numpy=numpy gguf=gguf tokenizers=tokenizers
  local t0; t0=$(now)
  mkdir -p "$cache/model"
  "$python" "$here/make_model.py" --out "$model.tmp" ${LLAMACPP_MODEL_ARGS:-} >&2 \
    || { rm -f "$model.tmp"; die "make_model.py failed"; }
  mv "$model.tmp" "$model"
  echo "llamacpp.sh: wrote $model in $(elapsed "$t0") s" >&2
  echo "$model"
}

running_pid() {        # prints the pid of the server we started, if it still runs
  [ -f "$pid_file" ] || return 1
  local pid; pid=$(cat "$pid_file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

cmd_start() {
  local port=${1:-8089} parallel=${2:-4}
  case "$port$parallel" in *[!0-9]*) die "start: port and parallel must be numbers, got '$port' '$parallel'";; esac
  set_port "$port"
  local threads=${LLAMACPP_THREADS:-1} per_slot=${LLAMACPP_CTX_PER_SLOT:-1024}
  [ -x "$bin" ] || die "no llama-server at $bin: run '$0 build' first"
  [ -f "$model" ] || die "no model at $model: run '$0 model' first"
  if running_pid >/dev/null; then die "llama-server already running (pid $(cat "$pid_file")); run '$0 stop' first"; fi
  command -v curl >/dev/null || apt_install curl
  mkdir -p "$run_dir"
  local base="http://127.0.0.1:$port"
  if curl -s -o /dev/null --max-time 1 "$base/health"; then
    die "something already answers on 127.0.0.1:$port; choose another port"
  fi
  local t0; t0=$(now)
  "$bin" -m "$model" --host 127.0.0.1 --port "$port" --metrics \
    --parallel "$parallel" -c $((parallel * per_slot)) -t "$threads" -tb "$threads" \
    --alias tiny-llama --no-webui ${LLAMACPP_SERVER_ARGS:-} >"$log_file" 2>&1 &
  local pid=$!
  echo "$pid" >"$pid_file"
  local i
  for i in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -20 "$log_file" >&2; rm -f "$pid_file"
      die "llama-server exited during start-up (log above, full log $log_file)"
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$base/health" || true)" = 200 ]; then
      echo "$base/v1" >"$url_file"
      echo "$port" >"$runs/last"
      echo "llamacpp.sh: llama-server pid $pid ready in $(elapsed "$t0") s, $parallel slots x $per_slot context, $threads thread(s), log $log_file" >&2
      echo "$base/v1"
      return 0
    fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true; rm -f "$pid_file"
  tail -20 "$log_file" >&2
  die "llama-server did not answer $base/health within 60 s"
}

cmd_stop() {
  local port=${1:-$(last_port)} pid
  [ -n "$port" ] || return 0
  set_port "$port"
  if pid=$(running_pid); then
    kill "$pid"
    local i; for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    echo "llamacpp.sh: stopped llama-server (pid $pid)" >&2
  fi
  rm -f "$pid_file" "$url_file"
  [ "$(last_port)" != "$port" ] || rm -f "$runs/last"
}

cmd_status() {
  local port=${1:-$(last_port)} pid
  [ -n "$port" ] || { echo "not running"; return 1; }
  set_port "$port"
  if pid=$(running_pid); then echo "running pid $pid $(cat "$url_file" 2>/dev/null)"; else echo "not running"; return 1; fi
}

case "${1:-}" in
  build) cmd_build ;;
  model) cmd_model ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  paths)
    port=${2:-$(last_port)}; set_port "${port:-8089}"
    echo "cache $cache"; echo "bin $bin"; echo "model $model"; echo "log $log_file"; echo "url_file $url_file" ;;
  *) echo "usage: $0 build | model | start [port] [parallel] | stop [port] | status [port] | paths [port]" >&2; exit 2 ;;
esac
