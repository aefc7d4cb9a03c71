-- How the optimal operating point moves with the serving architecture (issue 13, item 3;
-- the paper's next check, "vLLM vs static batching"). One deployment (2 × A800 80G,
-- Qwen2.5-32B) and one workload, a concurrency sweep under each scheduler policy
-- (docs/sim.md, "Scheduler"), every level costed on owned A800s. Per architecture it
-- prints the cheapest level meeting the SLA, where the sweep saturates under the SLA,
-- and where cost per request stops falling with no SLA at all.
-- All architectures share vLLM's limits (256 sequences, 8,192 tokens per iteration,
-- chunked prefill): a static batch is formed within one iteration's budget, so with
-- ~400-token prompts it holds about 20 requests however many clients wait.
-- The simulator is a roofline model: compare architectures with each other, not digits
-- with a real engine.
-- Usage: frontier run scripts/architectures.lua [requests]   (default 300)
local n = tonumber(arg and arg[1]) or 300
local levels = { 4, 8, 16, 32, 64, 128 }

local wl = workload.synthetic{ n = n, seed = 7,
  input = dist.lognormal{ median = 400, sigma = 0.6 },
  output = dist.lognormal{ median = 250, sigma = 0.8 } }
local hardware = cost.gpu{ name = "A800", gpus = 2 }
local interactive = sla{ ttft_p50 = 1, tokens_per_s_mean = 20 }

-- vLLM V1 is continuous batching with decode priority and chunked prefill (the default);
-- vLLM V0's default scheduler gives waiting prompts priority; static batching forms a
-- batch, runs it to its longest member, then forms the next.
local architectures = {
  { name = "continuous/decode", scheduler = { policy = "continuous", priority = "decode" } },
  { name = "continuous/prefill", scheduler = { policy = "continuous", priority = "prefill" } },
  { name = "static/decode", scheduler = { policy = "static", priority = "decode" } },
  { name = "static/prefill", scheduler = { policy = "static", priority = "prefill" } },
}

local function fmt(x, f) return x and string.format(f, x) or "-" end

local summary = {}
for _, a in ipairs(architectures) do
  local runs = sim.sweep{ gpu = "A800", gpus = 2, model = "Qwen2.5-32B", workload = wl, concurrency = levels,
                          scheduler = a.scheduler, tag = "architectures" }
  local rows = {}
  for _, r in ipairs(runs) do
    local c = cost.of(r, hardware)
    rows[#rows + 1] = {
      concurrency = r.concurrency,
      makespan_s = fmt(r.makespan, "%.1f"),
      ttft_p50_s = fmt(r.ttft.p50, "%.3f"),
      tpot_p50_s = fmt(r.tpot and r.tpot.p50, "%.4f"),
      tokens_per_s_mean = fmt(r.tokens_per_s.mean, "%.1f"),
      output_tokens_per_s = fmt(r.output_tokens_per_s, "%.0f"),
      cost_per_1k_requests = fmt(c.per_request * 1000, "$%.3f"),
      sla = interactive(r).passed and "meets" or "fails",
    }
  end
  print(string.format("%s (%s batching, %s priority)", a.name, a.scheduler.policy, a.scheduler.priority))
  show(pretty.columns(rows, { "concurrency", "makespan_s", "ttft_p50_s", "tpot_p50_s", "tokens_per_s_mean",
                              "output_tokens_per_s", "cost_per_1k_requests", "sla" }))
  print("")
  local best = frontier.cheapest(runs, { hardware = hardware, sla = interactive })
  local sat = frontier.saturation(runs, { hardware = hardware, sla = interactive })
  local flat = frontier.saturation(runs, { hardware = hardware })
  summary[#summary + 1] = {
    architecture = a.name,
    cheapest_level = best and string.format("%d", best.level) or "none",
    cheapest_per_1k_requests = best and string.format("$%.3f", best.cost_per_task * 1000) or "-",
    saturation_level = sat.level and string.format("%d", sat.level) or "none",
    saturation_rule = sat.rule or "-",
    cost_saturation_level = flat.level and string.format("%d", flat.level) or "none",
  }
end

print(string.format("2 × A800 80G, Qwen2.5-32B, %d requests; SLA ttft_p50 ≤ 1 s, tokens_per_s_mean ≥ 20", n))
show(pretty.columns(summary, { "architecture", "cheapest_level", "cheapest_per_1k_requests", "saturation_level",
                               "saturation_rule", "cost_saturation_level" }))
