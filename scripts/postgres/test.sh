#!/usr/bin/env bash
# The team store against a real PostgreSQL server (docs/scale.md, "Tests"): push/pull
# round trip with identical figures (per-request class, meta, session and turn too), a
# version-1 team store migrating to 2 with its data intact, re-push idempotent, four
# processes pushing at once, a push killed mid-way (SIGKILL, then Ctrl-C) and repeated,
# four shards of one sweep as separate processes (one with the store out of reach: exit 75,
# pushing later) making the whole sweep exactly once, a Slurm task re-run alone, and levels
# a live shard has claimed left to it. Starts its own server with scripts/postgres/start.sh unless
# FRONTIER_TEST_PG_URL is set; fails (never skips) when no server can be had.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${FRONTIER_BIN:-$root/.build/debug/frontier}
[ -x "$bin" ] || { echo "postgres/test.sh: no frontier binary at $bin (swift build first)" >&2; exit 1; }
command -v psql >/dev/null || { echo "postgres/test.sh: psql missing (scripts/deps.sh installs postgresql)" >&2; exit 1; }
started=0
if [ -z "${FRONTIER_TEST_PG_URL:-}" ]; then
  eval "$(bash "$root/scripts/postgres/start.sh")"
  started=1
fi
work=$(mktemp -d /tmp/frontier-pgtest.XXXXXX)
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  if [ "$started" = 1 ]; then bash "$root/scripts/postgres/stop.sh" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A database of its own, so every count below is this run's.
name=frontier_t$$
psql "$FRONTIER_TEST_PG_URL" -qAtc "CREATE DATABASE $name" >/dev/null
base=${FRONTIER_TEST_PG_URL%/*}/$name
url="$base?sslmode=verify-ca&sslrootcert=${FRONTIER_TEST_PG_CA:-}"
[ -n "${FRONTIER_TEST_PG_CA:-}" ] || url="$base?sslmode=prefer"
sql() { psql "$base" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
lite() { sqlite3 "$1" "$2"; }

passed=0; failed=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then passed=$((passed + 1)); echo "ok   $1"
  else failed=$((failed + 1)); echo "FAIL $1: expected [$2], got [$3]"; fi
}
frontier() { "$bin" "$@"; }  # in the foreground; background jobs run "$bin" itself, so $! is its pid
sweep_lua() {  # a simulated sweep: FILE TAG LEVELS N
  cat > "$1" <<LUA
local w = workload.synthetic{ n = $4, seed = 7, input = 64, output = 32 }
local runs = sim.sweep{ gpu = "A800", model = "Qwen2.5-32B", workload = w, concurrency = { $3 }, tag = "$2", keep = "chunks" }
print("ran " .. #runs)
LUA
}

echo "== round trip"
sweep_lua "$work/rt.lua" rt "1, 4, 16" 300
frontier --db "$work/a.db" --quiet run "$work/rt.lua" >/dev/null
# Cover every per-run table: a run score, item scores, server metrics.
lite "$work/a.db" "INSERT INTO quality (run_id, name, score, n, stderr, source, detail) SELECT run_id, 'exact', 0.75, 300, 0.02, 'set', '{\"a\":1}' FROM runs;
  INSERT INTO request_scores (run_id, idx, scorer, score, detail) SELECT run_id, idx, 'exact', idx % 2, NULL FROM requests WHERE idx < 50;
  INSERT INTO server_metrics (run_id, t, name, value) SELECT run_id, idx * 0.5, 'requests_running', idx FROM requests WHERE idx < 20;"
out=$(frontier --db "$work/a.db" push --to "$url" --quiet)
check "push stores the runs" "pushed 3 runs (900 requests)" "$(echo "$out" | grep -o 'pushed 3 runs (900 requests)')"
out=$(frontier --db "$work/a.db" push --to "$url" --quiet)
check "re-push stores nothing" "pushed 0 runs (0 requests)|3 already there" "$(echo "$out" | grep -o 'pushed 0 runs (0 requests)')|$(echo "$out" | grep -o '3 already there')"
check "team store: 3 runs, 900 requests" "3|900" "$(sql "SELECT count(*) FROM runs")|$(sql "SELECT count(*) FROM requests")"
check "the password is never printed" "0" "$(echo "$out" | grep -c "$PGPASSWORD" || true)"
out=$(frontier --db "$work/b.db" pull --from "$url" --tag rt)
check "pull brings the runs" "pulled 3 runs (900 requests)" "$(echo "$out" | grep -o 'pulled 3 runs (900 requests)')"
out=$(frontier --db "$work/b.db" pull --from "$url" --tag rt)
check "pull twice adds nothing" "pulled 0 runs" "$(echo "$out" | grep -o 'pulled 0 runs')"
dump_compare() {  # A.db B.db WHICH: "same" when both files hold the same runs, field for field
python3 - "$@" <<'PY'
import json, sqlite3, sys
def dump(path):
    c = sqlite3.connect(path)
    out = []
    for uid, in c.execute("SELECT uid FROM runs ORDER BY uid"):
        run = c.execute("SELECT tag, source, target, model, concurrency, rate, settings, status, started_at, ended_at, summary, verdict FROM runs WHERE uid = ?", (uid,)).fetchone()
        run = list(run); run[6] = json.loads(run[6]); run[10] = json.loads(run[10]) if run[10] else None
        rid = c.execute("SELECT run_id FROM runs WHERE uid = ?", (uid,)).fetchone()[0]
        reqs = c.execute("SELECT idx, intended, sent, first_token, ended, ttft, e2e, input_tokens, output_tokens, tokens_approx, http_status, status, error_kind, error, chunk_times, response, max_tokens, workload_index, expected, class, meta, session, turn FROM requests WHERE run_id = ? ORDER BY idx", (rid,)).fetchall()
        reqs = [r[:20] + (json.loads(r[20]) if r[20] is not None else None,) + r[21:] for r in reqs]
        q = c.execute("SELECT name, score, n, stderr, source, detail FROM quality WHERE run_id = ?", (rid,)).fetchall()
        s = c.execute("SELECT idx, scorer, score, detail FROM request_scores WHERE run_id = ? ORDER BY idx", (rid,)).fetchall()
        m = c.execute("SELECT t, name, value FROM server_metrics WHERE run_id = ? ORDER BY name, t", (rid,)).fetchall()
        out.append((uid, run, reqs, [(a, b, c_, d, e, json.loads(f)) for a, b, c_, d, e, f in q], s, m))
    return out
a, b = dump(sys.argv[1]), dump(sys.argv[2])
if sys.argv[3] == "rt":
    print("same" if a == b and len(a) == 3 and all(len(r[2]) == 300 for r in a) and all(r[2][5][14] for r in a) else "different")
else:  # classed: a session run and a class/meta run, every column set where the workload set it
    reqs = [q for r in a for q in r[2]]
    sessions = sum(1 for q in reqs if q[21] is not None and q[22] is not None)
    classed = sum(1 for q in reqs if q[19] == "rag" and q[20] == {"passages": q[17], "source": "kb"})
    print("same" if a == b and len(a) == 2 and sessions == 18 and classed == 40 else "different %d %d" % (sessions, classed))
PY
}
same=$(dump_compare "$work/a.db" "$work/b.db" rt)
check "pulled figures identical to pushed ones (runs, requests, chunk times, scores, metrics)" same "$same"
check "pulled runs form one local sweep" "1" "$(lite "$work/b.db" "SELECT count(DISTINCT sweep) FROM runs")"
check "bench.runs reads the pulled sweep" "3" "$(frontier --db "$work/b.db" -e 'print(#bench.runs{ tag = "rt" })')"

echo "== per-request class, meta, session and turn (measured against the built-in server)"
cat > "$work/classed.lua" <<'LUA'
local srv = bench.test_server{ ttft = 0.002, itl = 0.0005 }
local target = bench.openai{ url = srv.url, model = "frontier-test", api = "chat" }
-- 6 sessions of 3 turns: session and turn on every request (18 rows: multi-row INSERT).
local chats = workload.sessions{ n = 6, turns = 3, think_time = 0.01, seed = 3, input = 12, output = 4 }
bench.run{ target = target, workload = chats, concurrency = 3, tag = "classed", quiet = true }
-- 120 requests, a third 'rag' with meta naming the workload index (COPY): class on every request.
local mix = workload.generate(120, function(i, rng)
  if i % 3 == 0 then
    return { messages = { { role = "user", content = rng:words(10) } }, max_tokens = 4, class = "rag",
             meta = { passages = i - 1, source = "kb" } }
  end
  return { messages = { { role = "user", content = rng:words(6) } }, max_tokens = 4, class = "chat" }
end, 5)
bench.run{ target = target, workload = mix, concurrency = 8, tag = "classed", quiet = true }
srv:stop()
LUA
frontier --db "$work/c.db" --quiet run "$work/classed.lua" >/dev/null
frontier --db "$work/c.db" push --to "$url" --quiet >/dev/null
check "team store: class, meta, session and turn pushed" "18|40|40" \
  "$(sql "SELECT count(*) FROM requests JOIN runs USING (run_uid) WHERE tag = 'classed' AND session IS NOT NULL AND turn BETWEEN 1 AND 3")|$(sql "SELECT count(*) FROM requests WHERE class = 'rag' AND meta->>'source' = 'kb'")|$(sql "SELECT count(*) FROM requests WHERE class = 'rag' AND (meta->>'passages')::int = workload_index")"
frontier --db "$work/d.db" pull --from "$url" --tag classed --quiet >/dev/null
check "pulled class, meta, session and turn identical to pushed ones" same "$(dump_compare "$work/c.db" "$work/d.db" classed)"

echo "== a version-1 team store migrates to version 2 on connect"
# The version-1 schema exactly as TeamSchema.swift creates it, with data, then two processes
# connecting at once: one migrates (advisory lock), both read the same rows after.
v1=frontier_v1_$$
psql "$FRONTIER_TEST_PG_URL" -qAtc "CREATE DATABASE $v1" >/dev/null
v1base=${FRONTIER_TEST_PG_URL%/*}/$v1
python3 - "$root/Sources/TeamStore/TeamSchema.swift" <<'PY' | psql "$v1base" -qAtX -v ON_ERROR_STOP=1 >/dev/null
import sys
src = open(sys.argv[1]).read()
body = src.split('private static let version1 = """', 1)[1].split('"""', 1)[0]
print(body + ";")
print("CREATE TABLE frontier_schema (version integer NOT NULL); INSERT INTO frontier_schema VALUES (1);")
print("""INSERT INTO runs (run_uid, tag, sweep, source, concurrency, settings, status, started_at, ended_at, summary)
  VALUES ('v1run', 'v1', 'v1run', 'simulated', 4, '{"program": "old"}', 'completed', 1.5e9, 1.5e9 + 60, '{"ttft": {"p50": 0.1}}');
INSERT INTO requests (run_uid, idx, intended, sent, first_token, ended, ttft, e2e, input_tokens, output_tokens, status, chunk_times, expected)
  SELECT 'v1run', g, g * 0.1, g * 0.1, g * 0.1 + 0.05, g * 0.1 + 1, 0.05, 1, 10 + g, 20, 'ok', '\\x000000000000f03f000000000000f83f'::bytea, 'x' || g
  FROM generate_series(0, 149) g;
INSERT INTO request_scores (run_uid, idx, scorer, score, detail) VALUES ('v1run', 3, 'exact', 1, '{"v": 1}');
INSERT INTO sweep_plans (sweep, tag, kind, levels, shards) VALUES ('v1sweep', 'v1', 'concurrency', '{4,8}', 2);""")
PY
v1sql() { psql "$v1base" -qAtX -c "$1"; }
v1sum() { v1sql "SELECT md5(string_agg(t::text, ',' ORDER BY run_uid, idx)) FROM (SELECT run_uid, idx, intended, sent, first_token, ended, ttft, e2e, input_tokens, output_tokens, tokens_approx, http_status, status, error_kind, error, chunk_times, response, max_tokens, workload_index, expected FROM requests) t"; }
before=$(v1sum)
pids=()
for k in 1 2; do "$bin" --db "$work/v1-$k.db" pull --from "$v1base?sslmode=prefer" --tag v1 >"$work/v1-$k.out" 2>&1 & pids+=($!); done
codes=""; for p in "${pids[@]}"; do wait "$p" && codes+="0" || codes+="x"; done
check "two processes connecting to a version-1 store at once: both succeed, version 2" "00|2|1" \
  "$codes|$(v1sql "SELECT version FROM frontier_schema")|$(v1sql "SELECT count(*) FROM frontier_schema")"
check "migration keeps every version-1 row, the new columns NULL" "$before|1|150|1|1|0" \
  "$(v1sum)|$(v1sql "SELECT count(*) FROM runs")|$(v1sql "SELECT count(*) FROM requests")|$(v1sql "SELECT count(*) FROM request_scores")|$(v1sql "SELECT count(*) FROM sweep_plans")|$(v1sql "SELECT count(*) FROM requests WHERE class IS NOT NULL OR meta IS NOT NULL OR session IS NOT NULL OR turn IS NOT NULL")"
check "the migrated run pulls whole" "150|150|1" \
  "$(lite "$work/v1-1.db" "SELECT count(*) FROM requests")|$(lite "$work/v1-2.db" "SELECT count(*) FROM requests WHERE class IS NULL AND length(chunk_times) = 16")|$(lite "$work/v1-1.db" "SELECT count(*) FROM request_scores")"
frontier --db "$work/c.db" push --to "$v1base?sslmode=prefer" --quiet >/dev/null
check "a classed run pushed to the migrated store keeps its columns" "40" "$(v1sql "SELECT count(*) FROM requests WHERE class = 'rag' AND meta IS NOT NULL")"
psql "$FRONTIER_TEST_PG_URL" -qAtc "DROP DATABASE $v1" >/dev/null 2>&1 || true

echo "== four processes pushing at once"
for k in 1 2 3 4; do
  sweep_lua "$work/p$k.lua" "par$k" "2, 8" 200
  frontier --db "$work/p$k.db" --quiet run "$work/p$k.lua" >/dev/null
done
sweep_lua "$work/s.lua" shared "1, 2, 3" 200
frontier --db "$work/s.db" --quiet run "$work/s.lua" >/dev/null
pids=()
for k in 1 2 3 4; do
  "$bin" --db "$work/p$k.db" push --to "$url" --quiet >"$work/push$k.out" 2>&1 & pids+=($!)
  "$bin" --db "$work/s.db" push --to "$url" --quiet >"$work/spush$k.out" 2>&1 & pids+=($!)
done
codes=""; for p in "${pids[@]}"; do wait "$p" && codes+="0" || codes+="x"; done
check "eight pushers (four files, and four on one file) all succeed" "00000000" "$codes"
check "each file's runs stored once" "8|1600" "$(sql "SELECT count(*) FROM runs WHERE tag LIKE 'par%'")|$(sql "SELECT count(*) FROM requests JOIN runs USING (run_uid) WHERE tag LIKE 'par%'")"
check "one file pushed four times at once: stored once" "3|600" "$(sql "SELECT count(*) FROM runs WHERE tag = 'shared'")|$(sql "SELECT count(*) FROM requests JOIN runs USING (run_uid) WHERE tag = 'shared'")"
check "the shared file's pushes: one stored each run" "3" "$(cat "$work"/spush*.out | grep -o 'pushed [0-9]* runs' | awk '{s += $2} END {print s}')"

echo "== a push killed mid-way, then repeated"
sweep_lua "$work/k.lua" kill "32" 50000
frontier --db "$work/k.db" --quiet run "$work/k.lua" >/dev/null
wait_for_insert() {  # until the session named $1 is inside its transaction (or 60 s)
  for _ in $(seq 1 1200); do
    n=$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1' AND backend_xid IS NOT NULL")
    [ "$n" -gt 0 ] && return 0
    sleep 0.05
  done
  return 1
}
"$bin" --db "$work/k.db" push --to "$url&application_name=killed" --quiet >"$work/kill.out" 2>&1 & pid=$!
code=0; if wait_for_insert killed; then kill -KILL "$pid"; fi; wait "$pid" 2>/dev/null || code=$?
check "the push was killed inside its transaction" "137" "$code"
sleep 0.5
check "SIGKILL mid-push: no part of the run in the team store" "0|0" "$(sql "SELECT count(*) FROM runs WHERE tag = 'kill'")|$(sql "SELECT count(*) FROM requests WHERE run_uid NOT IN (SELECT run_uid FROM runs)")"
"$bin" --db "$work/k.db" push --to "$url&application_name=stopped" --quiet >"$work/int.out" 2>&1 & pid=$!
code=0; if wait_for_insert stopped; then kill -INT "$pid"; fi; wait "$pid" || code=$?
check "Ctrl-C mid-push: exit 130, says it rolled back" "130|1" "$code|$(grep -c 'rolled back' "$work/int.out" || true)"
[ "$code" = 130 ] || { echo "  its output:"; sed 's/^/  /' "$work/int.out"; }
check "Ctrl-C mid-push: no part of the run in the team store" "0" "$(sql "SELECT count(*) FROM runs WHERE tag = 'kill'")"
out=$(frontier --db "$work/k.db" push --to "$url" --quiet)
check "the repeated push stores the whole run" "1|50000" "$(sql "SELECT count(*) FROM runs WHERE tag = 'kill'")|$(sql "SELECT count(*) FROM requests JOIN runs USING (run_uid) WHERE tag = 'kill'")"

echo "== four shards of one sweep"
sweep_lua "$work/sweep.lua" sharded "1, 2, 3, 4, 5, 6, 7, 8" 100
# Shard 3 cannot reach the team store: it measures into its file, says how to push later,
# and exits 75 (EX_TEMPFAIL) so a scheduler retries it instead of discarding the file.
nowhere="postgres://nobody@127.0.0.1:1/none?connect_timeout=2"
code=0; out=$(frontier --db "$work/shard3.db" run "$work/sweep.lua" --shard 3/4 --team "$nowhere" 2>&1) || code=$?
check "an unreachable team store: the shard measures locally, says how to push, exits 75" "ran 2|1|75|1" \
  "$(echo "$out" | grep -o 'ran 2')|$(echo "$out" | grep -c 'push its runs later with: frontier push' || true)|$code|$(echo "$out" | grep -c '2 runs of a sharded sweep (run 1, 2) stayed only in' || true)"
# Retried while the store is still out of reach: nothing new to measure, the runs still local: 75 again.
code=0; out=$(frontier --db "$work/shard3.db" run "$work/sweep.lua" --shard 3/4 --team "$nowhere" 2>&1) || code=$?
check "retried with the store still out of reach: ran 0, exit 75" "ran 0|75" "$(echo "$out" | grep -o 'ran 0')|$code"
code=0; frontier --db "$work/noteam.db" --quiet run "$work/sweep.lua" --shard 3/4 >/dev/null 2>&1 || code=$?
check "a shard given no team store at all exits 0" "0" "$code"
pids=()
for k in 0 1 2; do
  FRONTIER_SHARD=$k/4 FRONTIER_TEAM_STORE=$url "$bin" --db "$work/shard$k.db" --quiet run "$work/sweep.lua" >"$work/shard$k.out" 2>&1 & pids+=($!)
done
codes=""; for p in "${pids[@]}"; do wait "$p" && codes+="0" || codes+="x"; done
check "three shards as separate processes succeed" "000" "$codes"
status=$(frontier sweep status sharded --store "$url")
check "sweep status: 6 done, 2 missing" "done 6, running 0, missing 2" "$(echo "$status" | tail -1)"
check "sweep status names the missing levels" "4 8" "$(echo "$status" | awk -F'\t' '$4 == "missing" {print $3}' | xargs)"
# Shard 3 retried with the store back, on the file it kept: it pushes the kept runs, measures nothing.
code=0; out=$(frontier --db "$work/shard3.db" run "$work/sweep.lua" --shard 3/4 --team "$url" 2>&1) || code=$?
check "the retry on the kept file pushes its runs, measures nothing, exits 0" "ran 0|1|0" \
  "$(echo "$out" | grep -o 'ran [0-9]*')|$(echo "$out" | grep -c "pushed 2 run(s) of sweep 'sharded' kept in" || true)|$code"
check "after the retry: the whole sweep done" "done 8, running 0, missing 0" "$(frontier sweep status sharded --store "$url" | tail -1)"
pids=()
for k in 0 1 2 3; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=4 FRONTIER_SHARD_COUNT=4 "$bin" --db "$work/shard$k.db" --quiet run "$work/sweep.lua" --team "$url" >"$work/again$k.out" 2>&1 & pids+=($!)
done
codes=""; for p in "${pids[@]}"; do wait "$p" && codes+="0" || codes+="x"; done
check "re-run of every shard (as a Slurm array) skips the done levels" "0000|ran 0 ran 0 ran 0 ran 0" "$codes|$(cat "$work"/again*.out | grep -o 'ran [0-9]*' | xargs)"
check "the sweep exactly once: 8 runs, 8 levels, one sweep id" "8|8|1" \
  "$(sql "SELECT count(*) FROM runs WHERE tag = 'sharded'")|$(sql "SELECT count(DISTINCT concurrency) FROM runs WHERE tag = 'sharded'")|$(sql "SELECT count(DISTINCT sweep) FROM runs WHERE tag = 'sharded'")"

# `sbatch --array=3` re-runs task 3 alone: Slurm says MIN 3, COUNT 1; it is still shard 3/4.
out=$(SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=3 SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=1 FRONTIER_SHARD_COUNT=4 \
  "$bin" --db "$work/slurm3.db" run "$work/sweep.lua" --team "$url" 2>&1)
check "a Slurm task re-run alone is its own shard (3/4), not 0/1, and measures nothing done" "ran 0|1" \
  "$(echo "$out" | grep -o 'ran [0-9]*')|$(echo "$out" | grep -c 'shard 3/4: concurrency 4, 8 already done' || true)"
code=0; out=$(SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_COUNT=1 "$bin" --db "$work/slurm3.db" run "$work/sweep.lua" --team "$url" 2>&1) || code=$?
check "a Slurm array task without FRONTIER_SHARD_COUNT is refused, naming it" "1|1" "$code|$(echo "$out" | grep -c 'FRONTIER_SHARD_COUNT' || true)"

echo "== levels another live shard has claimed are left to it"
sweep_lua "$work/claimed.lua" claimed "1, 2, 3" 50
sql "INSERT INTO sweep_plans (sweep, tag, kind, levels, shards) VALUES ('claimed', 'claimed', 'concurrency', '{1,2,3}', 1);
     INSERT INTO sweep_levels (sweep, level, shard, owner, heartbeat_at) VALUES
       ('claimed', 2, '0/1', 'elsewhere 1', now()), ('claimed', 3, '0/1', 'gone 2', now() - interval '5 minutes')" >/dev/null
out=$(frontier --db "$work/claimed.db" run "$work/claimed.lua" --shard 0/1 --team "$url" 2>&1)
check "a fresh foreign claim is skipped, a stale one taken over" "ran 2|1|1 3|elsewhere 1" \
  "$(echo "$out" | grep -o 'ran [0-9]*')|$(echo "$out" | grep -c 'concurrency 2 is being measured by shard 0/1 (elsewhere 1' || true)|$(sql "SELECT string_agg(concurrency::text, ' ' ORDER BY concurrency) FROM runs WHERE tag = 'claimed'")|$(sql "SELECT string_agg(owner, ',') FROM sweep_levels WHERE sweep = 'claimed'")"
sql "UPDATE sweep_levels SET heartbeat_at = now() - interval '5 minutes' WHERE sweep = 'claimed'" >/dev/null
out=$(frontier --db "$work/claimed.db" run "$work/claimed.lua" --shard 0/1 --team "$url" 2>&1)
check "once its heartbeat is stale, the level is measured, once" "ran 1|1 2 3|0" \
  "$(echo "$out" | grep -o 'ran [0-9]*')|$(sql "SELECT string_agg(concurrency::text, ' ' ORDER BY concurrency) FROM runs WHERE tag = 'claimed'")|$(sql "SELECT count(*) FROM sweep_levels WHERE sweep = 'claimed'")"

echo "== a measured sweep (bench.sweep against the built-in server) in two shards"
cat > "$work/measured.lua" <<'LUA'
local srv = bench.test_server{ ttft = 0.005, itl = 0.001 }
local w = workload.synthetic{ n = 20, seed = 1, input = 16, output = 8 }
local runs = bench.sweep{ target = srv, workload = w, concurrency = { 1, 2, 3 }, tag = "measured", quiet = true }
srv:stop()
print("ran " .. #runs)
LUA
pids=()
for k in 0 1; do
  "$bin" --db "$work/m$k.db" --quiet run "$work/measured.lua" --shard "$k/2" --team "$url" >"$work/m$k.out" 2>&1 & pids+=($!)
done
codes=""; for p in "${pids[@]}"; do wait "$p" && codes+="0" || codes+="x"; done
check "two measured shards: 2 + 1 levels, each once in the team store" "00|ran 2 ran 1|3|1 2 3" \
  "$codes|$(cat "$work"/m0.out "$work"/m1.out | grep -o 'ran [0-9]*' | xargs)|$(sql "SELECT count(*) FROM runs WHERE tag = 'measured'")|$(sql "SELECT string_agg(concurrency::text, ' ' ORDER BY concurrency) FROM runs WHERE tag = 'measured'")"

echo "== running levels (heartbeat) and the team store from Lua"
# A claim beating now is running; one whose shard stopped beating 5 minutes ago is missing.
sql "INSERT INTO sweep_plans (sweep, tag, kind, levels, shards) VALUES ('hb', 'hbtag', 'concurrency', '{1,2,3}', 2);
     INSERT INTO sweep_levels (sweep, level, shard, owner, heartbeat_at) VALUES
       ('hb', 1, '0/2', 'node1 11', now()), ('hb', 2, '1/2', 'node2 22', now() - interval '5 minutes')" >/dev/null
status=$(frontier sweep status hbtag --store "$url")
check "sweep status: a fresh heartbeat is running, a stale one and an unclaimed level missing" "1 running 0/2|2 missing 1/2|3 missing -" \
  "$(echo "$status" | awk -F'\t' 'NR > 1 && NF > 4 {printf "%s%s %s %s", sep, $3, $4, $5; sep = "|"}')"
lua=$(TMPDIR="$work" frontier -e "local t = db.open('$url')
local rows = t:query('SELECT count(*) AS n, sum(concurrency)::bigint AS c FROM runs WHERE tag = \$1', 'sharded')
print(rows[1].n, rows[1].c)
local runs = bench.runs{ store = '$url', tag = 'rt' }
print(#runs, runs[1].concurrency, runs[3].concurrency)
local ok, err = pcall(db.open, 'postgres://u:hunter2@127.0.0.1:99999/x')
print(ok, err.code, tostring(err):find('hunter2') == nil)")
check "db.open('postgres://…'):query and bench.runs{ store = } read the team store" "8	36
3	1	16
false	bad_argument	true" "$lua"

check "no output of any command shows the password" "0" "$(cat "$work"/*.out | grep -c -F "$PGPASSWORD" || true)"

psql "$FRONTIER_TEST_PG_URL" -qAtc "DROP DATABASE $name" >/dev/null 2>&1 || true
echo "postgres: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
