-- Where the SLA breaks: fix concurrency at the recommended level (the cheapest meeting
-- the SLA), then run at twice that, and say whether the service degrades gracefully or
-- fails: error rate, TTFT growth and the share of requests meeting the SLA.
--
--   frontier run scripts/experiments/sla_boundary.lua          (simulated engine served over HTTP)
--   frontier run scripts/experiments/sla_boundary.lua url=http://HOST:8000/v1 model=NAME [level=32] \
--       [levels=8,16,32,64,128] [n=400] [ttft_p50=1] [tokens_per_s=20]
--
-- Without url, the level comes from a simulated sweep of gpu × model and both runs are
-- measured over real HTTP against sim.server, whose tokens the simulator paces in real
-- time. With url and no level, a measured sweep over `levels` finds it first.
--
-- Verdict (docs/cost.md, "SLA boundary"), at 2 × the level against the level:
--   fails                  error rate > 5 %, or under half the requests meet the SLA;
--   degrades gracefully    error rate ≤ 1 %, TTFT p50 at most 2 × (it may grow with the
--                          load it doubles), and the share meeting the SLA at least 80 %
--                          of what it was;
--   degrades               anything in between.
local experiment = require "experiment"
local o = experiment.options(arg, { url = "", model = "", api = "", level = 0, levels = { 8, 16, 32, 64, 128 }, n = 400,
                                    gpu = "H100", gpus = 1, sim_model = "Llama-3.1-8B", ttft_p50 = 1, tokens_per_s = 20,
                                    tag = "sla-boundary" })
local interactive = sla{ ttft_p50 = o.ttft_p50, tokens_per_s_mean = o.tokens_per_s, name = "interactive" }
local wl = workload.synthetic{ n = o.n, seed = 11, input = dist.lognormal{ median = 300, sigma = 0.5 },
                               output = dist.lognormal{ median = 120, sigma = 0.5 } }

local target, stop, where, level
if o.url == "" then
  local plan = sim.sweep{ gpu = o.gpu, gpus = o.gpus, model = o.sim_model, workload = wl, concurrency = o.levels,
                          tag = o.tag .. "-plan" }
  local best = frontier.cheapest(plan, { hardware = cost.gpu{ name = o.gpu, gpus = o.gpus }, sla = interactive })
  level = o.level > 0 and o.level or (best and best.level) or o.levels[1]
  local srv = sim.server{ gpu = o.gpu, gpus = o.gpus, model = o.sim_model }
  target, stop, where = srv, function() srv:stop() end, string.format("sim.server (%d × %s, %s) at %s", o.gpus, o.gpu, o.sim_model, srv.url)
  print(string.format("recommended level from the simulated sweep: concurrency %d%s", level, best and "" or " (none met the SLA: the lowest level)"))
else
  target, stop, where = experiment.target(o)
  level = o.level
  if level <= 0 then
    local sweep = bench.sweep{ target = target, workload = wl, concurrency = o.levels, tag = o.tag .. "-sweep" }
    -- Any constant price ranks the levels as their makespans do; the real price is not needed here.
    local best = frontier.cheapest(sweep, { hardware = { hourly = 1 }, sla = interactive })
    level = best and best.level or o.levels[1]
    print(string.format("recommended level from the measured sweep: concurrency %d", level))
  end
end

local function measure(c)
  return bench.run{ target = target, workload = wl, concurrency = c, tag = o.tag, warmup = 4,
                    validity = o.url == "" and { min_duration = 0.5 } or nil }
end
local at, beyond = measure(level), measure(2 * level)
stop()

local function figures(r)
  local g = interactive:goodput(r)
  return { error_rate = (r.requests - r.succeeded) / r.requests, ttft_p50 = r.ttft and r.ttft.p50 or math.huge,
           good_fraction = g.good_fraction, passed = interactive(r).passed }
end
local a, b = figures(at), figures(beyond)
local rows = {}
for _, pair in ipairs({ { "level", at, a }, { "2 × level", beyond, b } }) do
  local r, f = pair[2], pair[3]
  rows[#rows + 1] = { run = pair[1], concurrency = r.concurrency, run_id = r.run_id,
                      error_rate = string.format("%.1f%%", f.error_rate * 100), ttft_p50 = string.format("%.3f", f.ttft_p50),
                      tokens_per_s_mean = string.format("%.1f", r.tokens_per_s and r.tokens_per_s.mean or 0),
                      meeting_sla = string.format("%.0f%%", f.good_fraction * 100), sla = f.passed and "meets" or "fails" }
end
print(string.format("\nSLA boundary on %s (SLA: TTFT p50 < %g s, %g tokens/s per request)", where, o.ttft_p50, o.tokens_per_s))
show(pretty.columns(rows, { "run", "concurrency", "run_id", "error_rate", "ttft_p50", "tokens_per_s_mean", "meeting_sla", "sla" }))

local growth = b.ttft_p50 / a.ttft_p50
local kept = a.good_fraction > 0 and b.good_fraction / a.good_fraction or 0
local verdict
if b.error_rate > 0.05 or b.good_fraction < 0.5 then
  verdict = "fails"
elseif b.error_rate <= 0.01 and growth <= 2 and kept >= 0.8 then
  verdict = "degrades gracefully"
else
  verdict = "degrades"
end
print(string.format("\nverdict at 2 × the level: %s (errors %.1f%%, TTFT p50 ×%.2f, %.0f%% of the requests meeting the SLA kept)",
  verdict, b.error_rate * 100, growth, kept * 100))
