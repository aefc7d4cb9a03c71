-- The paper's first experiment on your own server and hardware: concurrency 8 → 64,
-- cost per 1,000 requests at each level on your GPUs, quality of the answers, and the
-- quality-vs-cost frontier with its optimal zone.
--
--   frontier run scripts/experiments/baseline_calibration.lua                 (built-in test server)
--   frontier run scripts/experiments/baseline_calibration.lua url=http://HOST:8000/v1 model=NAME \
--       gpu=A800 gpus=2 [lm_eval=results.json] [levels=8,16,32,48,64] [n=200] [ttft_p50=1] [tokens_per_s=20]
--
-- Quality: the default workload asks arithmetic questions and a scorer grades the
-- answers (quality.numeric); with lm_eval=FILE the model's lm-evaluation-harness score
-- is used instead, for every level. Without url the built-in test server stands in for
-- a model that is right 80 % of the time. The SLA is the paper's example for interactive
-- use (TTFT p50 under 1 s, 20 tokens/s per request); the optimal zone is read both ways
-- the paper does: where cost per task stops falling (saturation) and where quality per
-- dollar is near its best (the frontier's zone).
local experiment = require "experiment"
local o = experiment.options(arg, { url = "", model = "", api = "", gpu = "A800", gpus = 2, lm_eval = "",
                                    levels = { 8, 16, 32, 48, 64 }, n = 200, max_tokens = 32, tag = "baseline-calibration",
                                    out = "baseline-calibration.html", ttft_p50 = 1, tokens_per_s = 20 })
local interactive = sla{ ttft_p50 = o.ttft_p50, tokens_per_s_mean = o.tokens_per_s, name = "interactive" }

local target, stop, where = experiment.target(o, { model = "stand-in", ttft = 0.05, itl = 0.01, accuracy = 0.8 })
local hardware = cost.gpu{ name = o.gpu, gpus = o.gpus }
print(string.format("baseline calibration: %s, priced on %d × %s at $%.3f/h", where, o.gpus, hardware.name or o.gpu,
  hardware.total_hourly))

local questions = workload.generate(o.n, function(i, rng)
  local a, b = rng:int(100, 999), rng:int(100, 999)
  return { prompt = string.format("Question %d: what is %d + %d? Reply with the number only.", i, a, b),
           expected = tostring(a + b), max_tokens = o.max_tokens }
end, 7)

-- The stand-in's runs are short; a real server's are judged by the default validity rules.
local validity = o.url == "" and { min_duration = 0.5 } or nil
local runs = bench.sweep{ target = target, workload = questions, concurrency = o.levels, tag = o.tag,
                          keep_responses = true, warmup = 4, validity = validity }
stop()

local imported = o.lm_eval ~= "" and quality.lm_eval(o.lm_eval) or nil
local points, rows = {}, {}
for _, r in ipairs(runs) do
  local score, how
  if imported then
    score, how = imported[1].score, imported[1].name
    quality.set{ run = r, name = how, score = score }
  else
    local q = quality.score(r, quality.numeric())
    score, how = q.score, "arithmetic (numeric scorer)"
  end
  local c = cost.of(r, hardware)
  points[#points + 1] = { id = "c=" .. r.concurrency, cost = c.per_request * 1000, quality = score }
  rows[#rows + 1] = { concurrency = r.concurrency, run_id = r.run_id, quality = string.format("%.3f", score),
                      per_1k_requests = string.format("$%.4f", c.per_request * 1000),
                      per_1m_tokens = c.per_1m_tokens and string.format("$%.3f", c.per_1m_tokens) or "-",
                      ttft_p50 = string.format("%.3f", r.ttft and r.ttft.p50 or 0), errors = r.requests - r.succeeded,
                      sla = interactive(r).passed and "meets" or "fails", valid = r.valid and "yes" or "no" }
end
show(pretty.columns(rows, { "concurrency", "run_id", "quality", "per_1k_requests", "per_1m_tokens", "ttft_p50", "errors", "sla", "valid" }))
for _, r in ipairs(runs) do
  if not r.valid then print(string.format("run %d is not valid: %s", r.run_id, table.concat(r.verdict.reasons, "; "))) end
end

local zone = frontier.zone(points)
local knee = frontier.knee(points)
print(string.format("optimal cost-effectiveness zone: %s", #zone.ids > 0 and table.concat(zone.ids, ", ") or "none"))
print(string.format("knee: %s", knee and knee.id or "none (fewer than three frontier points or no bend)"))
local saturation = frontier.saturation(runs, { hardware = hardware, sla = interactive })
print(string.format("saturation: %s (%s)", saturation.level and string.format("concurrency %g", saturation.level) or "none within the levels run",
  saturation.reason))
local best = frontier.cheapest(runs, { hardware = hardware, sla = interactive })
print(best and string.format("cheapest level meeting the SLA: concurrency %d at $%.4f per 1,000 requests", best.level, best.cost_per_task * 1000)
  or "no level meets the SLA")

local which = { points = points, title = "Quality vs cost by concurrency", cost_label = "dollars per 1,000 requests",
                quality_label = "quality" }
local out = report.html{ runs = runs, hardware = hardware, sla = interactive, out = o.out, title = "baseline calibration",
                        frontier = which }
print("report: " .. out)
