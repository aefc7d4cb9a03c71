-- Prints bench.compare's result as two tables: the figures side by side with the
-- relative change, then the latency differences with their bootstrap intervals.
local pretty = require "pretty"

local M = {}

local function num(v)
  if v == nil then return "-" end
  if math.type(v) == "integer" or (v == math.floor(v) and math.abs(v) < 1e15) then return string.format("%d", v) end
  return string.format("%.6g", v)
end

--- The comparison as text: figures with relative change, then differences beyond noise.
function M.format(result, a_label, b_label)
  local rows = {}
  for _, f in ipairs(result.figures) do
    rows[#rows + 1] = { metric = f.metric, a = num(f.a), b = num(f.b),
                        change = f.relative and string.format("%+.1f%%", f.relative * 100) or "-" }
  end
  local out = { pretty.columns(rows, { "metric", "a", "b", "change" }) }
  if result.differences then
    local d = {}
    for _, t in ipairs(result.differences) do
      d[#d + 1] = { metric = t.metric, ["b - a"] = num(t.difference),
                    interval = string.format("[%s, %s]", num(t.lower), num(t.upper)),
                    verdict = t.beyond_noise and "differs" or "within noise" }
    end
    out[#out + 1] = ""
    out[#out + 1] = string.format("per-request latency, %s vs %s (%.0f%% bootstrap interval of the difference):",
      b_label or "b", a_label or "a", (result.confidence or 0.95) * 100)
    out[#out + 1] = pretty.columns(d, { "metric", "b - a", "interval", "verdict" })
  end
  return table.concat(out, "\n")
end

document(M, { name = "compare", summary = "bench.compare's result as text (what frontier compare prints)." })
document(M.format, { name = "compare.format", args = "result, [a_label, b_label]",
  summary = "bench.compare's result as text: figures side by side with the change, and latency differences beyond noise." })

return M
