-- How frontier.trend's results print: a trend (or a list of them) keeps its plain fields
-- and gains a __tostring returning its text, so the REPL and show() print the table.
local M = {}

local one = { __tostring = function(t) return t.text end }
local list = { __tostring = function(l)
  local parts = {}
  for i, t in ipairs(l) do parts[i] = t.text end
  return table.concat(parts, "\n\n")
end }

function M.wrap(v, many)
  if not many then return setmetatable(v, one) end
  for _, t in ipairs(v) do setmetatable(t, one) end
  return setmetatable(v, list)
end

document(M, { name = "trend", summary = "How frontier.trend's results print (a table of dates and values, changes flagged)." })
document(M.wrap, { name = "trend.wrap", args = "trend | trends, many",
  summary = "Gives a trend (or a list of trends when many is true) a __tostring that returns its text." })

return M
