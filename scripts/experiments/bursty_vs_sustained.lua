-- The paper's first design trade-off: "self-hosted wins at sustained high load; cloud wins
-- for bursty workloads". One replica's capacity under an SLA, a week of demand, and the
-- monthly cost of each way of serving it (docs/cost.md, "Capacity planning") as the
-- demand gets burstier at the same mean load: where each option wins, and by how much.
--
--   frontier run scripts/experiments/bursty_vs_sustained.lua
--   frontier run scripts/experiments/bursty_vs_sustained.lua sweep=my-rate-sweep trace=arrivals.csv interval=900 \
--       gpu=H100 gpus=1 cloud_hourly=2.5 startup=300 api_input=0.2 api_output=0.6 peak_to_mean=1.5,2,3,5
--
-- Capacity: capacity= requests/s, or the stored sweep tagged sweep= (bench.runs{ tag = }),
-- or by default a simulated open-loop sweep of gpu × sim_model over rates= (repeats= runs
-- per rate, for the bootstrap interval), read by frontier.capacity under the SLA
-- (ttft_p90=, tokens_per_s=): the rate where the SLA margin crosses 0. Demand: trace= (a CSV with a timestamp column, seconds) or
-- by default a synthetic week: mean= requests/s (0: 4 replicas' worth) with a daily
-- cycle, quieter weekends. Each peak_to_mean= reshapes it to that burstiness with the
-- mean held (cost.demand{ peak_to_mean = }).
local experiment = require "experiment"
local o = experiment.options(arg, {
  capacity = 0, sweep = "", gpu = "H100", gpus = 1, sim_model = "Llama-3.1-8B", rates = { 8, 16, 32, 64, 128, 256 },
  repeats = 3, n = 400, ttft_p90 = 0.5, tokens_per_s = 20, trace = "", interval = 3600, hours = 168, mean = 0,
  cloud_hourly = 2.5, granularity = 1, min_billing = 3600, startup = 300, api_input = 0.2, api_output = 0.6,
  input_tokens = 300, output_tokens = 120, max_miss_fraction = 0.01, peak_to_mean = { 1.25, 1.5, 2, 3, 4, 6, 8 },
  out = "bursty-vs-sustained.html", tag = "bursty-vs-sustained" })

local gpu = cost.gpu{ name = o.gpu, gpus = o.gpus }
local target_sla = sla{ ttft_p90 = o.ttft_p90, tokens_per_s_mean = o.tokens_per_s, name = "interactive" }
local tokens = { input = o.input_tokens, output = o.output_tokens }

-- 1. One replica's capacity under the SLA.
local capacity, where
if o.capacity > 0 then
  capacity, where = { requests_per_s = o.capacity }, "given"
else
  local runs
  if o.sweep ~= "" then
    runs = bench.runs{ tag = o.sweep }
    where = "the stored sweep '" .. o.sweep .. "'"
  else
    local wl = workload.synthetic{ n = o.n, seed = 5, input = dist.lognormal{ median = o.input_tokens, sigma = 0.5 },
                                   output = dist.lognormal{ median = o.output_tokens, sigma = 0.5 } }
    runs = {}
    for _, rate in ipairs(o.rates) do
      for k = 1, o.repeats do
        runs[#runs + 1] = sim.run{ gpu = o.gpu, gpus = o.gpus, model = o.sim_model, workload = wl, rate = rate, seed = k,
                                   keep = "summary", tag = o.tag }
      end
    end
    where = string.format("a simulated sweep (%d × %s, %s, %d run(s) per rate)", o.gpus, o.gpu, o.sim_model, o.repeats)
  end
  capacity = frontier.capacity(runs, { sla = target_sla, hardware = gpu })
  if capacity == nil then error("the first level of the sweep already fails the SLA: no capacity to plan with", 0) end
  local r = runs[1]
  if o.sweep ~= "" and r.requests and r.requests > 0 and r.input_tokens then
    tokens = { input = r.input_tokens / r.requests, output = r.output_tokens / r.requests }
  end
end
print(string.format("replica capacity (%d × %s) from %s: %.2f requests/s%s%s", o.gpus, o.gpu, where, capacity.requests_per_s,
  capacity.lower and string.format(" (%.0f%% interval %.2f–%.2f)", capacity.confidence * 100, capacity.lower, capacity.upper) or "",
  capacity.cost_per_request and string.format(", $%.6f a request there", capacity.cost_per_request) or ""))
if capacity.reason then print("  " .. capacity.reason) end

-- 2. The demand.
local demand
if o.trace ~= "" then
  demand = cost.demand{ csv = o.trace, interval = o.interval }
else
  local mean = o.mean > 0 and o.mean or 4 * capacity.requests_per_s
  demand = cost.demand{ hours = o.hours, interval = o.interval, fn = function(t)
    local day, hour = math.floor(t / 86400) % 7, (t % 86400) / 3600
    local daily = 1 + 0.6 * math.sin((hour - 8) / 24 * 2 * math.pi)   -- busiest mid-afternoon
    return mean * daily * (day >= 5 and 0.6 or 1)                     -- days 6 and 7 quieter
  end }
end
print(string.format("demand: %.0f hours in %.0f-second intervals; mean %.2f, peak %.2f requests/s (peak/mean %.2f; p50 %.2f, p90 %.2f, p99 %.2f)",
  demand.hours, demand.interval, demand.mean, demand.peak, demand.peak_to_mean, demand.p50, demand.p90, demand.p99))

-- 3. Plans at each burstiness, the mean held.
local function plan(d)
  return cost.plan{ demand = d, capacity = capacity, gpu = gpu,
                    cloud = { hourly = o.cloud_hourly, granularity = o.granularity, min_billing = o.min_billing,
                              startup = o.startup },
                    api = cost.api{ input = o.api_input, output = o.api_output }, tokens_per_request = tokens,
                    max_miss_fraction = o.max_miss_fraction }
end
local options = { "self_hosted", "cloud", "api", "self_hosted_plus_cloud", "self_hosted_plus_api" }
local function money(x) return string.format("$%.0f", x) end

local base = plan(demand)
print(string.format("\nplans for this demand (%.3g requests a month; %d replicas for the peak):", base.monthly_requests, base.peak_replicas))
local rows = {}
for _, p in ipairs(base.plans) do
  rows[#rows + 1] = { option = p.option, monthly_cost = money(p.monthly_cost), owned = p.owned_replicas,
                      peak_cloud = p.peak_cloud_replicas, sla_misses = string.format("%.2f%%", p.miss_fraction * 100),
                      owned_utilization = p.owned_utilization and string.format("%.0f%%", p.owned_utilization * 100) or "-" }
end
show(pretty.columns(rows, { "option", "monthly_cost", "owned", "peak_cloud", "sla_misses", "owned_utilization" }))
print(string.format("cheapest (missing at most %g%% of requests): %s", o.max_miss_fraction * 100, base.cheapest or "none"))

local grid, table_rows = {}, {}
for _, k in ipairs(o.peak_to_mean) do
  local ok, d = pcall(cost.demand, { rates = demand.rates, interval = demand.interval, peak_to_mean = k })
  if ok then
    local p = plan(d)
    local row, costs = { peak_to_mean = string.format("%.2f", k), cheapest = p.cheapest or "none" }, { k = k }
    for _, r in ipairs(p.plans) do
      costs[r.option] = r.monthly_cost
      row[r.option] = money(r.monthly_cost) .. (r.miss_fraction > o.max_miss_fraction and "*" or "")
    end
    grid[#grid + 1], table_rows[#table_rows + 1] = costs, row
  else
    print(string.format("peak/mean %.2f left out: %s", k, tostring(d)))
  end
end
print("\nmonthly cost at the same mean load, by burstiness (* misses more than the SLA allows):")
local table_text = pretty.columns(table_rows, { "peak_to_mean", "self_hosted", "cloud", "api", "self_hosted_plus_cloud",
                                                "self_hosted_plus_api", "cheapest" })
show(table_text)

-- 4. Crossovers: where two options' monthly costs cross, by linear interpolation between grid points.
local function crossing(a, b)
  for i = 2, #grid do
    local d0, d1 = grid[i - 1][a] - grid[i - 1][b], grid[i][a] - grid[i][b]
    if d0 <= 0 and d1 > 0 then return grid[i - 1].k + (grid[i].k - grid[i - 1].k) * (-d0) / (d1 - d0) end
  end
end
local crossovers = {}
for _, pair in ipairs({ { "self_hosted", "cloud" }, { "self_hosted", "api" } }) do
  local k = #grid >= 2 and crossing(pair[1], pair[2])
  if k then crossovers[#crossovers + 1] = { label = pair[1] .. " = " .. pair[2], peak_to_mean = k } end
  print(k and string.format("%s = %s at peak/mean ≈ %.2f: %s wins below it, %s above", pair[1], pair[2], k, pair[1], pair[2])
          or string.format("%s vs %s: no crossover within peak/mean %.2f–%.2f", pair[1], pair[2],
                           grid[1] and grid[1].k or 0, grid[#grid] and grid[#grid].k or 0))
end

-- The chart: monthly cost of each option against peak/mean (report.svg kind 'burstiness').
local chart_rows = {}
for _, g in ipairs(grid) do
  local row = { peak_to_mean = g.k }
  for _, name in ipairs(options) do row[name] = g[name] end
  chart_rows[#chart_rows + 1] = row
end
local svg = #grid >= 2 and report.svg{ kind = "burstiness", data = { rows = chart_rows, crossovers = crossovers }, log_y = true } or ""
local f = assert(io.open(o.out, "w"))
f:write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bursty vs sustained</title></head><body>\n",
        "<h1>Bursty vs sustained load: monthly cost by burstiness</h1>\n",
        string.format("<p>Replica capacity %.2f requests/s; mean demand %.2f requests/s.</p>\n", capacity.requests_per_s, demand.mean),
        svg, "\n<h2>Monthly cost by burstiness</h2>\n<p>* misses more than the SLA allows.</p>\n<pre>",
        (table_text:gsub("&", "&amp;"):gsub("<", "&lt;")), "</pre>\n</body></html>\n")
f:close()
print("chart: " .. o.out)
