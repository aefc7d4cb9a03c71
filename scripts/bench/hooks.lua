-- Response hooks against no hook, measured in the same run: an open loop at `rate`
-- requests/s for `seconds` against the built-in test server (TTFT 20 ms, 8 tokens),
-- with no hook, a hook that does nothing, and a hook that sleeps 5 ms per response (a
-- slow script). Hooks run on the Lua thread from the progress poll, after the fact:
-- the load generator's send lag and TTFT should not move. Prints a table; asserts nothing.
-- Usage: frontier run scripts/bench/hooks.lua [rate] [seconds]
local rate, seconds = tonumber(arg[1]) or 100, tonumber(arg[2]) or 3
local srv = bench.test_server{ ttft = 0.02, itl = 0.002, threads = 1 }
local n = math.floor(rate * seconds)
local variants = {
  { "no hook", nil },
  { "hook: nothing", function(r) end },
  { "hook: sleeps 5 ms", function(r) sys.sleep(0.005) end },
}
local base
print(string.format("%-20s %10s %12s %12s %12s %10s %14s", "variant", "requests", "lag p50 ms", "lag p99 ms",
  "TTFT p50 ms", "× TTFT", "wall s"))
for _, v in ipairs(variants) do
  local wl = workload.synthetic{ n = n, seed = 11, input = 16, output = 8 }
  local t0 = sys.clock()
  local r = bench.run{ target = srv, workload = wl, rate = rate, quiet = true, tag = "bench-hooks",
                       tokenizer = "none", server_metrics = false, on_response = v[2] }
  local wall = sys.clock() - t0
  base = base or r.ttft.p50
  print(string.format("%-20s %10d %12.3f %12.3f %12.2f %10.2f %14.2f", v[1], r.requests, 1000 * r.send_lag.p50,
    1000 * r.send_lag.p99, 1000 * r.ttft.p50, r.ttft.p50 / base, wall))
end
srv:stop()
