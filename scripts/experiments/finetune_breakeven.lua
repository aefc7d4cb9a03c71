-- The paper's open question 2: fine-tuning and other one-off costs in the self-hosted vs
-- cloud vs API decision. The same deployment compared with and without the one-off
-- costs spread over several horizons: how far each crossover moves.
--
--   frontier run scripts/experiments/finetune_breakeven.lua
--   frontier run scripts/experiments/finetune_breakeven.lua gpu=A800 gpus=2 tokens_per_s=3000 cloud_hourly=2.82 \
--       api_input=0.4 api_output=1.2 gpu_hours=200 data=5000 engineering=30000 horizons=6,12,24,36
--
-- Throughput: tokens_per_s, or (default 0) the simulated 2,993-request test set at
-- concurrency 48 on gpus × gpu serving Qwen2.5-32B, as the Quick start plans it. The
-- one-off costs (fine-tuning GPU-hours at cloud_hourly, data, engineering) are carried
-- by the options that serve your own fine-tuned model: self-hosted and cloud GPUs; the
-- API's fine-tuning, if any, is api_fine_tuning dollars.
local experiment = require "experiment"
local o = experiment.options(arg, { gpu = "A800", gpus = 2, tokens_per_s = 0, cloud_hourly = 2.82, api_input = 0.4,
                                    api_output = 1.2, gpu_hours = 200, data = 5000, engineering = 30000,
                                    api_fine_tuning = 0, horizons = { 6, 12, 24, 36 } })

local tokens_per_s, input_share = o.tokens_per_s, 0.6
if tokens_per_s <= 0 then
  local wl = workload.synthetic{ n = 2993, seed = 7, input = dist.lognormal{ median = 400, sigma = 0.6 },
                                 output = dist.lognormal{ median = 250, sigma = 0.8 } }
  local r = sim.run{ gpu = o.gpu, gpus = o.gpus, model = "Qwen2.5-32B", workload = wl, concurrency = 48, tag = "finetune-breakeven" }
  tokens_per_s, input_share = r.total_tokens_per_s, r.input_tokens / (r.input_tokens + r.output_tokens)
end
local gpu = cost.gpu{ name = o.gpu, gpus = o.gpus }
local cloud = cost.cloud{ hourly = o.cloud_hourly }
local api = cost.api{ input = o.api_input, output = o.api_output }
print(string.format("%d × %s at %.0f tokens/s (%.0f%% input); cloud $%.2f per GPU-hour; API $%.2f / $%.2f per 1M",
  o.gpus, o.gpu, tokens_per_s, input_share * 100, o.cloud_hourly, o.api_input, o.api_output))

local function compare(overhead)
  return cost.breakeven{ gpu = gpu, cloud = cloud, api = api, tokens_per_s = tokens_per_s, input_share = input_share,
                         overhead = overhead }
end
local function volume(v) return v and string.format("%.3g", v) or "none" end
local function moved(v, base) return (v and base) and string.format("%+.1f%%", (v / base - 1) * 100) or "-" end

local base = compare(nil)
local rows = { { horizon = "no one-off costs", monthly_overhead = "$0", self_hosted_vs_cloud = volume(base.self_hosted_vs_cloud),
                 self_hosted_vs_api = volume(base.self_hosted_vs_api), cloud_vs_api = volume(base.cloud_vs_api),
                 self_vs_api_moved = "-" } }
for _, months in ipairs(o.horizons) do
  local own = cost.overhead{ one_off = { fine_tuning = { gpu_hours = o.gpu_hours, hourly = o.cloud_hourly }, data = o.data,
                                         engineering = o.engineering }, months = months }
  local overhead = { self_hosted = own, cloud = own }
  if o.api_fine_tuning > 0 then overhead.api = cost.overhead{ one_off = { fine_tuning = o.api_fine_tuning }, months = months } end
  local b = compare(overhead)
  rows[#rows + 1] = { horizon = months .. " months", monthly_overhead = string.format("$%.0f", own.monthly_total),
                      self_hosted_vs_cloud = volume(b.self_hosted_vs_cloud), self_hosted_vs_api = volume(b.self_hosted_vs_api),
                      cloud_vs_api = volume(b.cloud_vs_api), self_vs_api_moved = moved(b.self_hosted_vs_api, base.self_hosted_vs_api) }
end
print("\ncrossovers in tokens a month (self-hosting is cheaper above them, up to its capacity of " ..
  volume(base.capacity) .. "):")
show(pretty.columns(rows, { "horizon", "monthly_overhead", "self_hosted_vs_cloud", "self_hosted_vs_api", "cloud_vs_api",
                            "self_vs_api_moved" }))
local total = o.gpu_hours * o.cloud_hourly + o.data + o.engineering
for i, months in ipairs(o.horizons) do
  local row = rows[i + 1]
  print(string.format("one-off costs of $%.0f over %d months: self-hosting beats the API %s", total, months,
    row.self_hosted_vs_api == "none" and "nowhere within its capacity"
      or string.format("above %s tokens a month (%s)", row.self_hosted_vs_api, row.self_vs_api_moved)))
end
print("against cloud GPUs the boundary stays: both serve the same fine-tuned model and pay the same one-off costs.")
