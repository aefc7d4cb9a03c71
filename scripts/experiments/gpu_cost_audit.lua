-- The paper's $0.79/h A800 baseline against your own purchase: price, electricity, PUE,
-- utilization, maintenance and a CapEx schedule (straight line, double declining or
-- sum-of-years digits, optionally financed), as a table of each term and a tornado chart
-- of what moves your hourly cost most. No server needed.
--
--   frontier run scripts/experiments/gpu_cost_audit.lua
--   frontier run scripts/experiments/gpu_cost_audit.lua price=22000 years=4 electricity=0.16 pue=1.4 \
--       utilization=0.6 maintenance=0.08 power_kw=0.4 schedule=syd financing_rate=0.07 [out=gpu-cost-audit.html]
local experiment = require "experiment"
local o = experiment.options(arg, { gpu = "A800", price = 18000, years = 4, power_kw = 0.4, electricity = 0.15, pue = 1.4,
                                    utilization = 0.7, maintenance = 0.08, residual_fraction = 0.1, schedule = "straight",
                                    financing_rate = 0, out = "gpu-cost-audit.html" })

local baseline = cost.gpu{ name = o.gpu }
if o.schedule ~= "straight" and o.schedule ~= "declining" and o.schedule ~= "syd" then
  error("argument 'schedule' must be straight, declining or syd, got '" .. o.schedule .. "'", 0)
end

--- The CapEx schedule for a price and a term, by the chosen method.
local function plan_for(price, years)
  local options = { price = price, years = years, residual_fraction = o.residual_fraction }
  if o.schedule == "declining" then
    options.method = "declining"
  elseif o.schedule == "syd" then
    -- Sum-of-years digits: year k of Y writes off (Y − k + 1) / (Y(Y + 1)/2) of the depreciable amount.
    local depreciable, digits = price * (1 - o.residual_fraction), years * (years + 1) / 2
    options.schedule = function(month) return depreciable * (years - (month - 1) // 12) / digits / 12 end
  end
  if o.financing_rate > 0 then options.financing = { rate = o.financing_rate } end
  return cost.capex(options)
end

--- Your GPU from its parameters, its capital cost from the schedule those parameters imply.
local function gpu_for(p)
  return cost.gpu{ name = o.gpu, price = p.price, years = p.years, power_kw = p.power_kw, electricity = p.electricity,
                   pue = p.pue, utilization = p.utilization, maintenance = p.maintenance,
                   residual_fraction = o.residual_fraction, capex = plan_for(p.price, p.years) }
end
local plan = plan_for(o.price, o.years)
local mine = gpu_for(o)

local function money(v) return string.format("$%.4f", v) end
local function change(a, b) return string.format("%+.1f%%", (b / a - 1) * 100) end
local rows = {}
for _, term in ipairs({ "depreciation", "power", "maintenance", "hourly", "calendar_hourly" }) do
  rows[#rows + 1] = { term = term, paper_baseline = money(baseline[term]), yours = money(mine[term]),
                      change = change(baseline[term], mine[term]) }
end
print(string.format("%s: the paper's baseline ($%.4f/h, u = 1) against your purchase (%s schedule%s, u = %g)",
  o.gpu, baseline.hourly, o.schedule, o.financing_rate > 0 and string.format(", financed at %g%%", o.financing_rate * 100) or "",
  o.utilization))
show(pretty.columns(rows, { "term", "paper_baseline", "yours", "change" }))
print(string.format("capital: $%.2f written off over %d months, $%.2f interest; $%.4f per hour of use at u = %g",
  plan.total_depreciation, plan.months, plan.total_interest, mine.depreciation, o.utilization))

-- What moves your hourly cost most: each parameter from 0.75x to 1.25x (utilization 0.5-1,
-- years ±1), the schedule rebuilt for each price and term.
local function around(v) return { v * 0.75, v * 1.25 } end
local tornado = cost.tornado{ gpu = mine, ranges = { price = around(o.price), electricity = around(o.electricity),
  pue = { math.max(1, o.pue * 0.75), o.pue * 1.25 }, utilization = { 0.5, 1 }, maintenance = around(o.maintenance),
  power_kw = around(o.power_kw), years = { math.max(1, o.years - 1), o.years + 1 } },
  metric = function(g) return gpu_for(g.params).hourly end }
local bars = {}
for _, b in ipairs(tornado.bars) do
  bars[#bars + 1] = { parameter = b.parameter, low = string.format("%g", b.low), high = string.format("%g", b.high),
                      at_low = money(b.at_low), at_high = money(b.at_high), swing = money(b.swing) }
end
print("\nwhat moves your hourly cost (one parameter at a time, the others at your values):")
show(pretty.columns(bars, { "parameter", "low", "high", "at_low", "at_high", "swing" }))
print(string.format("largest: %s (a swing of $%.4f/h)", tornado.bars[1].parameter, tornado.bars[1].swing))

local svg = report.svg{ kind = "tornado", data = tornado, title = "Your hourly cost: sensitivity (baseline $" ..
  string.format("%.4f", tornado.baseline) .. "/h)" }
local f = assert(io.open(o.out, "w"))
f:write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GPU cost audit</title></head><body>\n",
        "<h1>GPU cost audit</h1>\n", svg, "\n</body></html>\n")
f:close()
print("tornado chart: " .. o.out)
