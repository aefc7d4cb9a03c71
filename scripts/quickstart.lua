-- The Quick start's main job, on the built-in default (no GPU, no external server):
-- the paper's experiment planned on the simulator — 2,993 requests with long-tailed
-- lengths on 2 × A800 80G serving a 32B-class model, concurrency 8 → 128 — costed at
-- the paper's hourly rate, judged by its SLA examples, with the saturation point and
-- the same sweep on 2 × H100 for comparison. Then a short sweep measured for real,
-- over HTTP, against the built-in test server, so the measurement path runs too.
-- Every run lands in the results store.
-- Usage: frontier run scripts/quickstart.lua [levels]   e.g. 8,16,32,48,64,96,128
local levels = {}
for n in (arg[1] or "8,16,32,48,64,96,128"):gmatch("%d+") do levels[#levels + 1] = tonumber(n) end

print(string.format("frontier %s — results store: %s", sys.version(), db.path()))

-- The workload, the same every time (seed 7): prompts around 400 tokens, replies around 250.
local wl = workload.synthetic{ n = 2993, seed = 7,
  input = dist.lognormal{ median = 400, sigma = 0.6 },
  output = dist.lognormal{ median = 250, sigma = 0.8 } }

-- The paper's SLA examples: interactive use wants TTFT under 1 s and 20 tokens/s per request.
local interactive = sla{ ttft_p50 = 1.0, tokens_per_s_mean = 20, name = "interactive" }

--- Simulates the sweep on `count` × `gpu` and prints one row per level.
local all = {}

local function plan(gpu, count)
  local bed = cost.gpu{ name = gpu, gpus = count }
  local runs = sim.sweep{ gpu = gpu, gpus = count, model = "Qwen2.5-32B", workload = wl,
                          concurrency = levels, tag = "quickstart-sim" }
  local rows = {}
  for _, r in ipairs(runs) do
    all[#all + 1] = r
    local c = cost.of(r, bed)
    rows[#rows + 1] = { concurrency = r.concurrency, makespan_s = math.floor(r.makespan + 0.5),
                        ttft_p50_s = string.format("%.3f", r.ttft.p50),
                        tokens_per_s_mean = string.format("%.1f", r.tokens_per_s.mean),
                        test_set_cost = string.format("$%.3f", c.total),
                        per_1k_requests = string.format("$%.3f", c.per_request * 1000),
                        sla = interactive(r).passed and "meets" or "fails" }
  end
  print(string.format("\n%d × %s at $%.3f/h (cost.gpu preset), Qwen2.5-32B, %s", count, gpu, bed.total_hourly, tostring(wl)))
  show(pretty.columns(rows, { "concurrency", "makespan_s", "ttft_p50_s", "tokens_per_s_mean", "test_set_cost",
                              "per_1k_requests", "sla" }))
  local s = frontier.saturation(runs, { hardware = bed, sla = interactive })
  if s.rule == "end_of_sweep" or not s.level then
    print(string.format("saturation: none within the levels run (%s)", s.reason))
  else
    print(string.format("saturation: concurrency %d (%s)", s.level, s.reason))
  end
  local best = frontier.cheapest(runs, { hardware = bed, sla = interactive })
  if best then
    print(string.format("cheapest meeting the SLA: concurrency %d at $%.3f per 1,000 requests", best.level, best.cost_per_task * 1000))
  end
  return runs, best
end

print("\nplanned on the simulator (docs/sim.md: a roofline model, not a measurement)")
local _, a800 = plan("A800", 2)
local _, h100 = plan("H100", 2)
if a800 and h100 then
  print(string.format("\n2 × H100 vs 2 × A800, each at its cheapest SLA-meeting level: $%.3f vs $%.3f per 1,000 requests (%.2fx)",
    h100.cost_per_task * 1000, a800.cost_per_task * 1000, h100.cost_per_task / a800.cost_per_task))
end

-- The measurement path: a server that answers like a small model (50 ms to the first
-- token, then a token every 10 ms, 1% of requests rate-limited), measured over HTTP.
local server = bench.test_server{ ttft = 0.05, itl = 0.01, faults = "429:0.01" }
print("\nmeasured for real: the built-in test server at " .. server.url)
local small = workload.synthetic{ n = 256, seed = 7,
  input = dist.lognormal{ median = 200, sigma = 0.6 },
  output = dist.lognormal{ median = 24, sigma = 0.5 } }
local runs = bench.sweep{ target = server, workload = small, concurrency = { 8, 32, 128 }, tag = "quickstart",
                          warmup = 8, validity = { min_duration = 1 } }
local rows = {}
for _, r in ipairs(runs) do rows[#rows + 1] = r:row(); all[#all + 1] = r end
show(pretty.columns(rows, { "run_id", "level", "requests", "makespan", "requests_per_s", "output_tokens_per_s",
                            "ttft_p50", "ttft_p99", "tpot_p50", "errors", "valid" }))
for _, r in ipairs(runs) do
  if not r.valid then print(string.format("run %d: %s", r.run_id, table.concat(r.verdict.reasons, "; "))) end
end
server:stop()

-- Which model? The paper's figure: quality against cost, the frontier, its knee and the
-- optimal zone. Four stand-in models on the test server answer 200 arithmetic questions
-- (faster ones are right less often; "thinking" writes 6x the tokens); a scorer grades
-- their real answers, and each run is priced as if it had the paper's 2 x A800 to itself.
local function questions(max_tokens)  -- the same 200 questions for every model (seed 11)
  return workload.generate(200, function(i, rng)
    local a, b = rng:int(100, 999), rng:int(100, 999)
    return { prompt = string.format("Question %d: what is %d + %d? Reply with the number.", i, a, b),
             expected = tostring(a + b), max_tokens = max_tokens }
  end, 11)
end
local bed = cost.gpu{ name = "A800", gpus = 2 }
local models = {
  { name = "small", ttft = 0.03, itl = 0.006, accuracy = 0.55, workload = questions(24) },
  { name = "medium", ttft = 0.05, itl = 0.010, accuracy = 0.74, workload = questions(24) },
  { name = "large", ttft = 0.08, itl = 0.018, accuracy = 0.83, workload = questions(24) },
  { name = "large-thinking", ttft = 0.08, itl = 0.018, accuracy = 0.86, workload = questions(144) },
}
local points, quality_rows = {}, {}
for _, m in ipairs(models) do
  local s = bench.test_server{ model = m.name, ttft = m.ttft, itl = m.itl, accuracy = m.accuracy }
  local r = bench.run{ target = s:target(), workload = m.workload, concurrency = 32, tag = "quickstart-models",
                       keep_responses = true, validity = { min_duration = 0.5 } }
  s:stop()
  local q = quality.score(r, quality.numeric())
  local c = cost.of(r, bed)
  points[#points + 1] = { id = m.name, cost = c.per_request * 1000, quality = q.score }
  quality_rows[#quality_rows + 1] = { model = m.name, run_id = r.run_id, accuracy = string.format("%.3f ± %.3f", q.score, q.stderr),
                                      output_tokens = r.output_tokens, per_1k_requests = string.format("$%.4f", c.per_request * 1000) }
end
print("\nwhich model: quality against cost (stand-in models on the test server, priced on 2 × A800)")
show(pretty.columns(quality_rows, { "model", "run_id", "accuracy", "output_tokens", "per_1k_requests" }))
-- Simulated runs are costed on their own deployment; the test server is not costed.
local function hw(r) if r.source == "simulated" then return cost.gpu{ name = r.gpu, gpus = r.gpus } end end

-- One self-contained HTML file with every run, its charts, verdicts and costs.
local which = { points = points, title = "Which model: quality vs cost (stand-ins on the test server)",
  cost_label = "dollars per 1,000 requests (2 × A800)", quality_label = "accuracy" }
local out = report.html{ runs = all, out = "frontier-report.html", sla = interactive, title = "frontier quick start",
  hardware_of = hw, frontier = which }
print("\nreport: " .. out .. " (open it in a browser; `frontier report --db " .. db.path() .. "` writes one from the shell)")

-- The report's first section, the answer per sweep (`frontier report --summary` prints the same).
print("\nthe answer, per sweep and for the choice of model (the report's first section):")
for _, a in ipairs(report.answers{ runs = all, sla = interactive, hardware_of = hw, frontier = which }) do print("\n" .. a.text) end

local total = db.query("select count(*) as runs, (select count(*) from requests) as requests from runs")[1]
print(string.format("\nthe store now holds %d runs and %d requests; `frontier --db %s` opens the REPL on it",
  total.runs, total.requests, db.path()))
