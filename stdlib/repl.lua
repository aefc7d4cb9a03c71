-- The REPL's evaluation: Swift reads lines and handles the terminal; this
-- decides what a line means. As the standard lua does: try the line as an
-- expression first, else as statements; "<eof>" in a syntax error means the
-- input is incomplete.
local pretty = require "pretty"

local M = {}

local function handler(msg)
  if type(msg) ~= "string" then
    local mt = getmetatable(msg)
    msg = (mt and mt.__tostring) and tostring(msg) or ("(error object is a " .. type(msg) .. " value)")
  end
  -- Level 2 skips this handler; cut the frames of the REPL itself.
  local tb = debug.traceback(msg, 2)
  tb = tb:gsub("\n%s*%[C%]: in function 'xpcall'.*$", "")
  tb = tb:gsub("\nstack traceback:$", "")
  return tb
end

--- Evaluates one complete-or-partial input. Returns "more" (incomplete),
--- "ok" [, text of the results], or "error", message.
function M.eval(source)
  local fn, err = load("return " .. source, "=stdin", "t")
  if not fn then
    fn, err = load(source, "=stdin", "t")
  end
  if not fn then
    -- A short string cannot go on to the next line (unless the line ends with a
    -- backslash), so an unfinished one is reported now rather than waiting silently
    -- as lua.c does; long strings and comments ([[ ... ]]) do wait.
    local short = err:find("unfinished string near <eof>", 1, true) and source:sub(-1) ~= "\\"
    if err:sub(-5) == "<eof>" and not short then return "more" end
    return "error", err
  end
  local r = table.pack(xpcall(fn, handler))
  if not r[1] then return "error", r[2] end
  if r.n > 1 then return "ok", pretty.show(table.unpack(r, 2, r.n)) end
  return "ok"
end

document(M, { name = "repl", summary = "How the REPL evaluates a line (used by frontier itself)." })
document(M.eval, { name = "repl.eval", args = "source",
  summary = "Evaluates input: returns 'more' if incomplete, 'ok' and the results' text, or 'error' and the message." })

return M
