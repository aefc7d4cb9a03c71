-- The Quick start's main job: a concurrency sweep, measured for real over
-- HTTP against the built-in test server (no GPU, no external server), stored
-- in the results store. When the simulator lands it becomes the default target.
-- Usage: frontier run scripts/quickstart.lua [levels]   e.g. 8,32,128
local levels = {}
for n in (arg[1] or "8,32,128"):gmatch("%d+") do levels[#levels + 1] = tonumber(n) end

print(string.format("frontier %s — results store: %s", sys.version(), db.path()))

-- A server that answers like a small model: 50 ms to the first token, then a
-- token every 10 ms, and 1% of requests rate-limited (HTTP 429).
local server = bench.test_server{ ttft = 0.05, itl = 0.01, faults = "429:0.01" }
print("measuring the built-in test server at " .. server.url)

-- 256 requests with long-tailed prompt and reply lengths, the same every time (seed 7).
local wl = workload.synthetic{ n = 256, seed = 7,
  input = dist.lognormal{ median = 200, sigma = 0.6 },
  output = dist.lognormal{ median = 24, sigma = 0.5 } }
print(tostring(wl))

local runs = bench.sweep{ target = server, workload = wl, concurrency = levels, tag = "quickstart",
                          warmup = 8, validity = { min_duration = 1 } }

local rows = {}
for _, r in ipairs(runs) do rows[#rows + 1] = r:row() end
print()
show(pretty.columns(rows, { "run_id", "level", "requests", "makespan", "req_s", "tok_s",
                            "ttft_p50", "ttft_p99", "tpot_p50", "errors", "valid" }))
for _, r in ipairs(runs) do
  if not r.valid then print(string.format("run %d: %s", r.run_id, table.concat(r.verdict.reasons, "; "))) end
end
server:stop()

local total = db.query("select count(*) as runs, (select count(*) from requests) as requests from runs")[1]
print()
print(string.format("the store now holds %d runs and %d requests; `frontier --db %s` opens the REPL on it",
  total.runs, total.requests, db.path()))
